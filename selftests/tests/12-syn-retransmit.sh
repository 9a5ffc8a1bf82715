#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A retransmitted SYN (same 4-tuple, same sequence number) is not a new
# connection. set-halfopen-max 3; 5 identical SYNs from 10.0.1.50 (an
# address nobody owns: the server's SYN-ACKs are lost, so the handshake
# never completes and the SYN is all the module sees) are admitted once and
# leave one half-open connection (and one SYN_RECV request on the server:
# every copy was let through). Two more 4-tuples reach the cap of 3; a
# fourth is refused (limited_halfopen 1), while later retransmits of an
# admitted 4-tuple still pass and cost nothing. The same over IPv6, where
# SYNs from random addresses of one /64 are one source. (The half-open cap,
# not max or the rate: unanswered for 3 s, these handshakes stop counting
# to those, test 41.)
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_dead_neigh srv to-c1 10.0.1.50
tl_load
tl_server srv 10.0.1.1 8000
tl_ctl srv set-halfopen-max 3 || tl_fail "set-halfopen-max 3"
tl_eq "halfopen_max in /proc" "$(tl_proc srv halfopen_max)" 3

syn_recv() {
	ip netns exec srv ss -Htn state syn-recv '( sport = :8000 )' | wc -l
}

tl_rawtcp c1 syn-fixed 10.0.1.50 40001 10.0.1.1 8000 5 100 1000
tl_snap srv
tl_eq "admitted after 5 identical SYNs" "$(tl_snap_key srv admitted)" 1
tl_eq "limited_halfopen after 5 identical SYNs" "$(tl_snap_key srv limited_halfopen)" 0
tl_eq "conns after 5 identical SYNs" "$(tl_snap_key srv conns)" 1
tl_eq "halfopen after 5 identical SYNs" "$(tl_snap_key srv halfopen)" 1
tl_eq "halfopen of 10.0.1.50/32" "$(tl_snap_col srv 10.0.1.50/32 halfopen)" 1
tl_eq "limited of 10.0.1.50/32" "$(tl_snap_col srv 10.0.1.50/32 limited)" 0
tl_eq "server SYN_RECV requests" "$(syn_recv)" 1

tl_rawtcp c1 syn-fixed 10.0.1.50 40002 10.0.1.1 8000 1 0
tl_rawtcp c1 syn-fixed 10.0.1.50 40003 10.0.1.1 8000 2 100
tl_snap srv
tl_eq "admitted after 2 more 4-tuples" "$(tl_snap_key srv admitted)" 3
tl_eq "limited_halfopen after 2 more 4-tuples" "$(tl_snap_key srv limited_halfopen)" 0
tl_eq "halfopen of 10.0.1.50/32 after 3 4-tuples" \
	"$(tl_snap_col srv 10.0.1.50/32 halfopen)" 3

tl_rawtcp c1 syn-fixed 10.0.1.50 40004 10.0.1.1 8000 1 0
tl_snap srv
tl_eq "admitted after a 4th 4-tuple" "$(tl_snap_key srv admitted)" 3
tl_eq "limited_halfopen after a 4th 4-tuple" "$(tl_snap_key srv limited_halfopen)" 1
tl_eq "limited of 10.0.1.50/32 after a 4th 4-tuple" "$(tl_snap_col srv 10.0.1.50/32 limited)" 1
tl_eq "halfopen of 10.0.1.50/32 after a 4th 4-tuple" \
	"$(tl_snap_col srv 10.0.1.50/32 halfopen)" 3

# At the cap: retransmits of the admitted 4-tuples pass and cost nothing
# (for 40003 a new sequence number: the module goes by the 4-tuple only).
tl_rawtcp c1 syn-fixed 10.0.1.50 40001 10.0.1.1 8000 2 100 1000
tl_rawtcp c1 syn-fixed 10.0.1.50 40003 10.0.1.1 8000 2 100
tl_snap srv
tl_eq "admitted after retransmits" "$(tl_snap_key srv admitted)" 3
tl_eq "limited_halfopen after retransmits" "$(tl_snap_key srv limited_halfopen)" 1
tl_eq "conns after retransmits" "$(tl_snap_key srv conns)" 3
tl_eq "halfopen after retransmits" "$(tl_snap_key srv halfopen)" 3
tl_eq "limited of 10.0.1.50/32 after retransmits" "$(tl_snap_col srv 10.0.1.50/32 limited)" 1
tl_eq "server SYN_RECV requests at the end" "$(syn_recv)" 3

# IPv6, where a source is a /64: identical SYNs from fd00:1::50 count once,
# then SYNs from random addresses of fd00:1::/64 share its cap of 3.
tl_server srv fd00:1::1 8001
tl_rawtcp c1 syn-fixed fd00:1::50 40001 fd00:1::1 8001 3 100
tl_snap srv
tl_eq "IPv6: admitted after 3 identical SYNs" "$(tl_snap_key srv admitted)" 4
tl_eq "IPv6: halfopen of fd00:1::/64" "$(tl_snap_col srv fd00:1::/64 halfopen)" 1
tl_rawtcp c1 syn fd00:1::/64 fd00:1::1 8001 3
tl_snap srv
tl_eq "IPv6: admitted after 3 SYNs from random addresses" "$(tl_snap_key srv admitted)" 6
tl_eq "IPv6: limited_halfopen after 3 SYNs from random addresses" \
	"$(tl_snap_key srv limited_halfopen)" 2
tl_eq "IPv6: halfopen of fd00:1::/64 at the end" "$(tl_snap_col srv fd00:1::/64 halfopen)" 3
tl_eq "IPv6: limited of fd00:1::/64 at the end" "$(tl_snap_col srv fd00:1::/64 limited)" 1
tl_eq "IPv6: sources" "$(tl_snap_key srv sources)" 2
[ "$tl_failures" -eq 0 ] || tl_snap_dump srv
tl_done
