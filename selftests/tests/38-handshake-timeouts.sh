#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A handshake counts until TCP itself lets it go, whatever the module's
# timeouts (set-max 2, set-syn-timeout 1s), and an ACK TCP does not take
# does not end it. A crafted client (selftests/attack.py) per case:
# * 2 SYNs, then their ACKs 5 s later, past the SYN timeout, while the
#   request sockets still exist: the 2 connections are counted, and 3
#   more handshakes from the same address get no SYN-ACK;
# * the same with SYN cookies (tcp_syncookies=2: no request socket, the
#   cookie completes the connection);
# * a TCP_DEFER_ACCEPT listener keeps the request after a bare ACK: with
#   set-halfopen-max 2 (set-max 0) 5 handshakes leave exactly 2 requests.
# A module that expires a handshake on its own clock, or believes the
# bare ACK, lets 4 (5) through (tcplimit did before it asked the socket
# table).
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_load
tl_server srv 10.0.1.1 8000
ip netns exec srv /usr/bin/python3 -c '
import socket, time
s = socket.socket()
s.setsockopt(socket.SOL_TCP, socket.TCP_DEFER_ACCEPT, 60)
s.bind(("10.0.1.1", 8003))
s.listen(64)
time.sleep(3600)' &
TL_PIDS+=($!)
busywait 30000 tl_listening srv 8003 || { tl_fail "defer-accept server not listening"; exit 1; }
tl_ctl srv set-max 2 || tl_fail "set-max 2"
tl_ctl srv set-syn-timeout 1s || tl_fail "set-syn-timeout 1s"
tl_quiet c1 8000 8003

late_ack() {
	local what=$1 src=$2

	ip -n c1 addr add "$src/24" dev to-srv
	# Traffic meanwhile keeps the CPUs awake, so the deferrable GC runs
	# (a module with its own SYN timeout gets every chance to apply it).
	ip netns exec c2 timeout 7 bash -c \
		'while :; do (: </dev/tcp/10.0.2.1/9) 2>/dev/null; sleep 0.05; done' &
	tl_eq "$what: 2 ACKs 5 s after their SYNs, then 3 more handshakes" \
		"$(WAIT=5 MORE=3 tl_attack c1 late-ack "$src" 10.0.1.1 8000 2 to-srv)" \
		"synack 2 established 2 more 0"
	wait $!
	tl_eq "$what: server sockets of $src" "$(tl_sockets srv 8000 "$src" established)" 2
	tl_eq "$what: conns of $src/32" "$(tl_source_count srv "$src/32" conns)" 2
	tl_eq "$what: expired" "$(tl_proc srv expired)" 0
}

late_ack "request sockets" 10.0.1.21
ip netns exec srv sysctl -qw net.ipv4.tcp_syncookies=2
late_ack "SYN cookies" 10.0.1.22
ip netns exec srv sysctl -qw net.ipv4.tcp_syncookies=1

tl_ctl srv set-max 0 || tl_fail "set-max 0"
tl_ctl srv set-halfopen-max 2 || tl_fail "set-halfopen-max 2"
ip -n c1 addr add 10.0.1.23/24 dev to-srv
tl_eq "TCP_DEFER_ACCEPT: 5 handshakes with bare ACKs" \
	"$(tl_attack c1 plain 10.0.1.23 10.0.1.1 8003 5 to-srv)" "synack 2 established 2"
tl_eq "TCP_DEFER_ACCEPT: requests waiting" "$(tl_sockets srv 8003 10.0.1.23 syn-recv)" 2
tl_eq "TCP_DEFER_ACCEPT: halfopen of 10.0.1.23/32" "$(tl_source_count srv 10.0.1.23/32 halfopen)" 2
[ "$tl_failures" -eq 0 ] || tl_dump srv
tl_done
