#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A spoofed flood that fills the source table switches no limit off for a
# new real source (host mode). set-table-size 16, set-max 2: SYNs from
# random addresses of 10.99.0.0/16 fill the table (their request sockets
# keep it full); then c2, a source the table has no room for, opens 5
# connections. Its SYNs are let through, and its connections counted at
# the ACKs that complete them (which no spoofer sends): the server ends up
# with exactly 2, the other 3 reset at their ACK; c2's entry is in the
# table's reserve for proven sources. Under set-full-policy drop a new
# polite source (c1's own address) is still served, and tracked. Then
# over IPv6 with SYN cookies for every SYN (tcp_syncookies 2): the flood
# from fd00:99::/48, c2's ACKs proven by their cookies. And a crafted
# client (selftests/attack.py) from a new address whose completing ACKs
# carry a sequence number 100 ahead (in the window: TCP takes them) gets
# 2 of 5 too: its first 2 counted at their ACKs, its entry then refuses
# the next 3 SYNs (one handshake after the other).
# Before, c2 got 5 untracked connections and c1 was refused.
. "$(dirname "$0")/../lib.sh"

tl_topology
ip -n srv route add 10.99.0.0/16 via 10.0.1.2
ip -n srv -6 route add fd00:99::/48 via fd00:1::2
for conf in all default to-c1; do
	ip netns exec srv sysctl -qw "net.ipv4.conf.$conf.rp_filter=0"
done
tl_load
tl_server srv 0.0.0.0 8000
tl_server srv :: 8001
tl_server srv 10.0.1.1 8002
tl_quiet c1 8002
tl_ctl srv set-table-size 16 || tl_fail "set-table-size 16"
tl_ctl srv set-max 2 || tl_fail "set-max 2"

# new_source WHAT CLIENT SERVER PORT PEER: CLIENT opens 5 connections to
# SERVER:PORT from PEER, unknown to the full table; the server keeps 2.
new_source() {
	local what=$1 pid limited

	limited=$(tl_proc srv limited_conn)
	tl_hold pid "$2" "$3" "$4" 5 5000
	tl_log "$what: client: $TL_HELD"
	busywait 5000 tl_prints 2 tl_sockets srv "$4" "$5" established ||
		tl_fail "$what: server sockets of $5: $(tl_sockets srv "$4" "$5" established), want 2"
	sleep 1
	tl_eq "$what: server sockets of $5 a second later" \
		"$(tl_sockets srv "$4" "$5")" 2
	tl_eq "$what: conns of $5 on the server" "$(tl_source_count srv "$6" conns)" 2
	[ "$(tl_proc srv limited_conn)" -ge $((limited + 3)) ] ||
		tl_fail "$what: limited_conn $(tl_proc srv limited_conn), want at least $((limited + 3))"
	tl_release "$pid"
}

# --- IPv4: request sockets ---
tl_rawtcp c1 syn 10.99.0.0/16 10.0.1.1 8000 100
tl_eq "sources after the flood" "$(tl_proc srv sources)" 16
[ "$(tl_proc srv table_full)" -ge 80 ] || tl_fail "table_full $(tl_proc srv table_full)"
sleep 0.5
new_source "IPv4" c2 10.0.2.1 8000 10.0.2.2 10.0.2.2/32
sources=$(tl_proc srv sources)
[ "$sources" -le 20 ] || tl_fail "sources $sources, want at most 16 + 4 (the reserve)"

tl_ctl srv set-full-policy drop || tl_fail "set-full-policy drop"
tl_rawtcp c1 syn 10.99.0.0/16 10.0.1.1 8000 100
tl_hold pid c1 10.0.1.1 8000 1
tl_eq "a new polite source under drop" "$TL_HELD" "established 1 failed 0"
busywait 3000 tl_prints 1 tl_source_count srv 10.0.1.2/32 conns ||
	tl_fail "conns of 10.0.1.2/32: '$(tl_source_count srv 10.0.1.2/32 conns)', want 1"
tl_eq "server sockets of 10.0.1.2" "$(tl_sockets srv 8000 10.0.1.2)" 1
tl_release "$pid"

ip -n c1 addr add 10.0.1.31/24 dev to-srv
tl_eq "crafted client, ACKs ahead in the window" \
	"$(AHEAD=100 tl_attack c1 plain 10.0.1.31 10.0.1.1 8002 5 to-srv)" "synack 2 established 2"
sleep 0.5
tl_eq "server sockets of 10.0.1.31" "$(tl_sockets srv 8002 10.0.1.31 established)" 2
tl_eq "conns of 10.0.1.31/32" "$(tl_source_count srv 10.0.1.31/32 conns)" 2

# --- IPv6: SYN cookies ---
ip netns exec srv sysctl -qw net.ipv4.tcp_syncookies=2
tl_rawtcp c1 syn fd00:99::/48 fd00:1::1 8001 100
new_source "IPv6 cookies" c2 fd00:2::1 8001 fd00:2::2 fd00:2::/64
[ "$(tl_proc srv sources)" -le 20 ] || tl_fail "sources $(tl_proc srv sources), want at most 20"
[ "$tl_failures" -eq 0 ] || tl_dump srv
tl_done
