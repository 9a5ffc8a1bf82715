#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A SYN in fragments is refused, so no connection opens uncounted (no TCP
# stack fragments a SYN; a limiter that lets it pass cannot count it: IPv6
# reassembles after LOCAL_IN without conntrack, FORWARD never does).
# set-max 2; a crafted client (selftests/attack.py) opens 4 connections
# with fragmented SYNs, the TCP header cut after 24 bytes (the flags in
# the first fragment) or after 16 (IPv4: the flags in the second):
# * host mode, IPv6: no SYN-ACK, no server socket;
# * gateway mode (a router between client and server), IPv4 cut at 16, and
#   IPv6 cut at 24: the same.
# Before and after, whole SYNs from the same address are capped at 2, so
# the crafted client works.
#   c1 10.0.1.2 fd00:1::2 <-> srv 10.0.1.1 fd00:1::1           (host mode)
#   g1 10.0.5.2 fd00:5::2 <-> rtr ... 10.0.6.1 <-> gsrv 10.0.6.2 fd00:6::2
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_routed g1 rtr gsrv 5 6
tl_load
tl_server srv :: 8000
tl_server gsrv :: 8000
tl_ctl srv set-max 2 || tl_fail "set-max 2"
tl_ctl rtr set-mode gateway || tl_fail "set-mode gateway in rtr"
tl_ctl rtr set-max 2 || tl_fail "set-max 2 in rtr"
tl_quiet c1 8000
tl_quiet g1 8000

# fragmented WHAT NS SRC DST IFACE CUT SERVER_NS LIMITER_NS
fragmented() {
	local what=$1 ns=$2 src=$3 dst=$4 iface=$5 cut=$6 sns=$7 lns=$8

	tl_eq "$what: 4 fragmented SYNs cut at $cut" \
		"$(FRAG=$cut tl_attack "$ns" frag-syn "$src" "$dst" 8000 4 "$iface")" \
		"synack 0 established 0"
	tl_eq "$what: server sockets of $src" "$(tl_sockets "$sns" 8000 "$src")" 0
	tl_eq "$what: conns" "$(tl_proc "$lns" conns)" 0
}

# whole WHAT NS SRC DST IFACE SERVER_NS: 3 whole handshakes, 2 pass.
whole() {
	tl_eq "$1: 3 whole SYNs" "$(tl_attack "$2" plain "$3" "$4" 8000 3 "$5")" \
		"synack 2 established 2"
	tl_eq "$1: server sockets of $3" "$(tl_sockets "$6" 8000 "$3")" 2
}

fragmented "host IPv6" c1 fd00:1::2 fd00:1::1 to-srv 24 srv srv
whole "host IPv6" c1 fd00:1::2 fd00:1::1 to-srv srv
fragmented "gateway IPv4" g1 10.0.5.2 10.0.6.2 to-rtr 16 gsrv rtr
fragmented "gateway IPv6" g1 fd00:5::2 fd00:6::2 to-rtr 24 gsrv rtr
whole "gateway IPv4" g1 10.0.5.2 10.0.6.2 to-rtr gsrv
[ "$tl_failures" -eq 0 ] || { tl_dump srv; tl_dump rtr; }
tl_done
