#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# set-halfopen-max 3: a source whose handshakes never complete (raw SYNs
# from 10.0.1.50, an address nobody owns, so the SYN-ACKs are lost) gets 3
# half-open connections out of 10 SYNs; the other 7 are refused
# (limited_halfopen). Meanwhile another source on the same link gets all 5
# of its connections, and its completed handshakes leave no half-open
# count. In host mode the SYN timeout does not apply: the 3 half-open ones
# count to set-halfopen-max while their request sockets exist (a 4th SYN
# is refused 3 s past a 1 s SYN timeout) and stop counting when TCP drops
# them, never before; to set-max only until their SYN-ACKs have gone
# unanswered for 3 s (unproven, test 41).
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_dead_neigh srv to-c1 10.0.1.50
tl_load
tl_server srv 10.0.1.1 8000
tl_ctl srv set-halfopen-max 3 || tl_fail "set-halfopen-max 3"
tl_eq "halfopen_max in /proc" "$(tl_proc srv halfopen_max)" 3

tl_rawtcp c1 syn 10.0.1.50 10.0.1.1 8000 10
tl_snap srv
tl_eq "admitted of 10 raw SYNs" "$(tl_snap_key srv admitted)" 3
tl_eq "limited_halfopen of 10 raw SYNs" "$(tl_snap_key srv limited_halfopen)" 7
tl_eq "conns" "$(tl_snap_key srv conns)" 3
tl_eq "halfopen" "$(tl_snap_key srv halfopen)" 3
tl_eq "halfopen of 10.0.1.50/32" "$(tl_snap_col srv 10.0.1.50/32 halfopen)" 3
tl_eq "limited of 10.0.1.50/32" "$(tl_snap_col srv 10.0.1.50/32 limited)" 7
tl_eq "server SYN_RECV requests" \
	"$(ip netns exec srv ss -Htn state syn-recv '( sport = :8000 )' | wc -l)" 3

# A real client: one connection at a time, so that its own handshakes
# never overlap (5 at once could meet its own half-open cap of 3).
pids=()
for i in 1 2 3 4 5; do
	tl_hold_args pid c1 10.0.1.1 8000 1 3000
	tl_eq "real client, connection $i" "$TL_HELD" "established 1 failed 0"
	pids+=("$pid")
done
# Completed handshakes stop counting as half-open when the GC sees their
# sockets (within a pass, 1.6 s).
busywait 3000 tl_proc_is srv halfopen 3
tl_snap srv
tl_eq "conns of 10.0.1.2/32" "$(tl_snap_col srv 10.0.1.2/32 conns)" 5
tl_eq "halfopen of 10.0.1.2/32" "$(tl_snap_col srv 10.0.1.2/32 halfopen)" 0
tl_eq "limited of 10.0.1.2/32" "$(tl_snap_col srv 10.0.1.2/32 limited)" 0
tl_eq "halfopen of 10.0.1.50/32 with the real client" \
	"$(tl_snap_col srv 10.0.1.50/32 halfopen)" 3
# Their SYN-ACKs unanswered for 3 s, they no longer count to set-max.
busywait 8000 tl_proc_is srv unproven 3 || tl_fail "the 3 never went unproven"
tl_eq "conns of 10.0.1.50/32 (unproven)" "$(tl_source_conns srv 10.0.1.50/32)" 0
tl_eq "admitted with the real client" "$(tl_snap_key srv admitted)" 8
tl_eq "conns with the real client" "$(tl_snap_key srv conns)" 8
tl_eq "halfopen with the real client" "$(tl_snap_key srv halfopen)" 3
tl_eq "expired before the SYN timeout is lowered" "$(tl_snap_key srv expired)" 0

# Host mode: the SYN timeout does not apply; the 3 handshakes count while
# their request sockets exist, and a 4th SYN is still refused.
tl_ctl srv set-syn-timeout 1s || tl_fail "set-syn-timeout 1s"
sleep 3
tl_rawtcp c1 syn 10.0.1.50 10.0.1.1 8000 1
tl_snap srv
tl_eq "halfopen of 10.0.1.50/32 past the SYN timeout" "$(tl_snap_col srv 10.0.1.50/32 halfopen)" 3
tl_eq "limited_halfopen past the SYN timeout" "$(tl_snap_key srv limited_halfopen)" 8
tl_eq "expired past the SYN timeout" "$(tl_snap_key srv expired)" 0
tl_eq "server SYN_RECV requests past the SYN timeout" "$(tl_sockets srv 8000 10.0.1.50 syn-recv)" 3

# They go with their request sockets (one more SYN-ACK retry, then TCP
# drops them), never before: sampled, the count is never below them.
ip netns exec srv sysctl -qw net.ipv4.tcp_synack_retries=1
early=0
for _ in $(seq 1 120); do
	tl_snap srv
	reqs=$(tl_sockets srv 8000 10.0.1.50 syn-recv)
	counted=$(tl_snap_col srv 10.0.1.50/32 halfopen)
	[ "${counted:-0}" -ge "$reqs" ] || early=$((early + 1))
	[ "$reqs" -eq 0 ] && break
	sleep 0.5
done
tl_eq "request sockets left" "$reqs" 0
tl_eq "samples counting fewer half-open than request sockets" "$early" 0
busywait 5000 tl_proc_is srv halfopen 0
tl_snap srv
tl_eq "halfopen once the requests are gone" "$(tl_snap_key srv halfopen)" 0
tl_eq "conns of 10.0.1.2/32 meanwhile" "$(tl_snap_col srv 10.0.1.2/32 conns)" 5

for pid in "${pids[@]}"; do
	tl_release "$pid"
done
tl_conns_settle srv 0
tl_eq "expired at the end (host mode)" "$(tl_proc srv expired)" 0
[ "$tl_failures" -eq 0 ] || tl_dump srv
tl_done
