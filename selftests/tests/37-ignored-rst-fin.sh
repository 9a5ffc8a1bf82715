#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# RSTs and FINs that TCP ignores free no slot (set-max 2): a crafted client
# (selftests/attack.py) tries 5 handshakes from one address per trick, and
# after each trick the server must hold exactly 2 of its connections, the
# module must count 2, and the 3 other SYNs go unanswered:
# * an RST with data at the right edge of the request's window (outside
#   it: TCP keeps the request socket);
# * an RST at the right sequence number answered to a SYN-cookie SYN-ACK
#   (no request socket exists; the listener drops the RST; the cookie ACK
#   completes the connection);
# * a FIN outside the window after the server's own FIN (the server stays
#   in FIN-WAIT-1, its FIN never acknowledged).
# A module that trusts such a packet lets all 5 through (tcplimit before
# it asked the socket table did).
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_load
tl_server srv 10.0.1.1 8000
tl_server srv 10.0.1.1 8001 -c
tl_ctl srv set-max 2 || tl_fail "set-max 2"
tl_quiet c1 8000 8001

# trick SCENARIO SOURCE PORT [STATE]: 5 crafted handshakes, 2 may pass.
trick() {
	local scenario=$1 src=$2 port=$3

	ip -n c1 addr add "$src/24" dev to-srv 2>/dev/null
	tl_eq "$scenario: crafted client" "$(tl_attack c1 "$scenario" "$src" 10.0.1.1 "$port" 5 to-srv)" \
		"synack 2 established 2"
	sleep 0.5
	tl_eq "$scenario: server sockets of $src" "$(tl_sockets srv "$port" "$src" "${4:-}")" 2
	tl_eq "$scenario: conns of $src/32" "$(tl_source_count srv "$src/32" conns)" 2
}

trick rst-edge 10.0.1.11 8000 established
ip netns exec srv sysctl -qw net.ipv4.tcp_syncookies=2
trick rst-cookie 10.0.1.12 8000 established
ip netns exec srv sysctl -qw net.ipv4.tcp_syncookies=1
trick fin-ignored 10.0.1.13 8001 fin-wait-1
[ "$tl_failures" -eq 0 ] || tl_dump srv
tl_done
