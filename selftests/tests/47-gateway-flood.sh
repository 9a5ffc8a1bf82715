#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Gateway mode with conntrack on the router: a spoofed flood that fills
# the router's source table switches no limit off for a new real source.
# set-table-size 16, set-max 2: SYNs from random addresses of
# 10.99.0.0/16 fill the table (their handshakes wait for the SYN timeout);
# then c1, which the table has no room for, opens 5 connections to srv.
# Its SYNs are let through, and its connections counted when conntrack
# sees the ACK that completes them: srv ends up with exactly 2, the other
# 3 reset by the router at their ACK (srv never sees them complete).
# Before, c1 got 5 untracked connections.
#   c1 10.0.1.2 <-> rtr 10.0.1.1 | 10.0.3.1 <-> srv 10.0.3.2
. "$(dirname "$0")/../lib.sh"

tl_routed c1 rtr srv 1 3
# The flood's SYN-ACKs go back to c1, which forwards nothing.
ip -n rtr route add 10.99.0.0/16 via 10.0.1.2
tl_load
tl_conntrack rtr
tl_server srv 10.0.3.2 8000
tl_ctl rtr set-mode gateway || tl_fail "set-mode gateway"
tl_ctl rtr set-table-size 16 || tl_fail "set-table-size 16"
tl_ctl rtr set-max 2 || tl_fail "set-max 2"

tl_rawtcp c1 syn 10.99.0.0/16 10.0.3.2 8000 100
tl_eq "sources on the router after the flood" "$(tl_proc rtr sources)" 16
[ "$(tl_proc rtr table_full)" -ge 80 ] || tl_fail "table_full $(tl_proc rtr table_full)"
sleep 0.5
limited=$(tl_proc rtr limited_conn)
tl_hold pid c1 10.0.3.2 8000 5 5000
tl_log "c1: $TL_HELD"
busywait 5000 tl_prints 2 tl_sockets srv 8000 10.0.1.2 established ||
	tl_fail "server sockets of 10.0.1.2: $(tl_sockets srv 8000 10.0.1.2 established), want 2"
sleep 1
tl_eq "server sockets of 10.0.1.2 a second later" "$(tl_sockets srv 8000 10.0.1.2 established)" 2
tl_eq "conns of 10.0.1.2/32 on the router" "$(tl_source_count rtr 10.0.1.2/32 conns)" 2
[ "$(tl_proc rtr limited_conn)" -ge $((limited + 3)) ] ||
	tl_fail "limited_conn $(tl_proc rtr limited_conn), want at least $((limited + 3))"
[ "$(tl_proc rtr sources)" -le 20 ] || tl_fail "sources $(tl_proc rtr sources), want at most 20"
tl_release "$pid"
[ "$tl_failures" -eq 0 ] || tl_dump rtr
tl_done
