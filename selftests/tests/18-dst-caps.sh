#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Per-destination limits count a local address+port over all sources:
# set-dst-max 4 lets two sources hold 4 connections to 10.0.1.1:8000
# between them, while 10.0.1.1:8001 has its own 4. set-dst-rate 3/60s
# admits 3 new connections to a port, whoever opens them.
. "$(dirname "$0")/../lib.sh"

tl_topology
# c2 reaches srv's 10.0.1.1 over its own link: the same destination as c1's.
ip -n c2 route add 10.0.1.1/32 via 10.0.2.1 || exit 1
tl_load
tl_server srv 0.0.0.0 8000
tl_server srv 0.0.0.0 8001
tl_server srv 0.0.0.0 8002
tl_ctl srv set-dst-max 4 || tl_fail "set-dst-max 4"
tl_eq "dst_max in /proc" "$(tl_proc srv dst_max)" 4
tl_eq "max in /proc" "$(tl_proc srv max)" 0

tl_hold_args a c1 10.0.1.1 8000 3 3000
tl_eq "c1: 3 to 8000" "$TL_HELD" "established 3 failed 0"
tl_hold_args b c2 10.0.1.1 8000 3 3000
tl_eq "c2: 3 to 8000" "$TL_HELD" "established 1 failed 2"
tl_eq "server sockets on 8000" "$(tl_established srv 8000)" 4
limited=$(tl_proc srv limited_dst)
[ "$limited" -gt 0 ] 2>/dev/null || tl_fail "limited_dst '$limited', want more than 0"
tl_log "limited_dst $limited"
tl_eq "limited_conn" "$(tl_proc srv limited_conn)" 0
tl_eq "conns of 10.0.1.2/32" "$(tl_source_conns srv 10.0.1.2/32)" 3
tl_eq "conns of 10.0.2.2/32" "$(tl_source_conns srv 10.0.2.2/32)" 1
tl_eq "limited of 10.0.2.2/32" "$(tl_source_count srv 10.0.2.2/32 limited)" "$limited"

tl_hold_args c c1 10.0.1.1 8001 5 3000
tl_eq "c1: 5 to 8001, a destination of its own" "$TL_HELD" "established 4 failed 1"
tl_eq "/proc conns" "$(tl_proc srv conns)" 8

# A rate per destination instead of a cap.
tl_ctl srv set-dst-max 0 || tl_fail "set-dst-max 0"
tl_ctl srv set-dst-rate 3/60s || tl_fail "set-dst-rate 3/60s"
tl_eq "dst_max in /proc after set-dst-max 0" "$(tl_proc srv dst_max)" 0
tl_eq "dst_rate in /proc" "$(tl_proc srv dst_rate)" 3
tl_eq "dst_rate_period_ms in /proc" "$(tl_proc srv dst_rate_period_ms)" 60000
before=$(tl_proc srv limited_dst)
tl_eq "c1: 5 to 8002" "$(tl_connect c1 10.0.1.1 8002 5 3000)" "established 3 failed 2"
tl_eq "c2: 1 to 8002, the destination's credit is spent" \
	"$(tl_connect c2 10.0.1.1 8002 1 1500)" "established 0 failed 1"
after=$(tl_proc srv limited_dst)
[ "$after" -ge $((before + 3)) ] 2>/dev/null ||
	tl_fail "limited_dst went from '$before' to '$after', want at least 3 more"
tl_eq "limited_rate (per source) untouched" "$(tl_proc srv limited_rate)" 0
# The 3 to 8002 closed: host mode gives them back once the socket table
# says they are gone (the GC's next pass).
busywait 5000 tl_prints 8 tl_proc srv conns || tl_eq "conns" "$(tl_proc srv conns)" 8

tl_release "$a"
tl_release "$b"
tl_release "$c"
tl_conns_settle srv 0
[ "$tl_failures" -eq 0 ] || tl_dump srv
tl_done
