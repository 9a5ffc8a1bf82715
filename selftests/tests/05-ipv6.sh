#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The cap over IPv6: exact at 5 of 12, back to 0 after close and 5 again,
# a second IPv6 source unaffected. Then link-local (fe80::/64, the socket
# bound to the interface it came in on): 3 of 5 with set-max 3, and still 3
# counted 3 s later (the socket lookups must use the SYN's device, or the
# GC finds no socket and forgets the connections), a 4th still refused.
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_load
tl_server srv :: 8000
tl_ctl srv set-max 5 || tl_fail "set-max 5"

tl_hold pid c1 fd00:1::1 8000 12
tl_eq "client of 12" "$TL_HELD" "established 5 failed 7"
tl_eq "conns of fd00:1::/64" "$(tl_source_conns srv fd00:1::/64)" 5
tl_eq "show conns of fd00:1::/64" "$(tl_show_source srv fd00:1::/64)" 5
tl_eq "second source" "$(tl_connect c2 fd00:2::1 8000 5)" "established 5 failed 0"
tl_release "$pid"
tl_conns_settle srv 0
tl_eq "5 new connections" "$(tl_connect c1 fd00:1::1 8000 6)" "established 5 failed 1"
tl_conns_settle srv 0

ip -n srv addr add fe80::1/64 dev to-c1 nodad || tl_fail "fe80::1 on srv"
ip -n c1 addr add fe80::2/64 dev to-srv nodad || tl_fail "fe80::2 on c1"
tl_ctl srv set-max 3 || tl_fail "set-max 3"
tl_hold ll c1 fe80::1%to-srv 8000 5
tl_eq "link-local client of 5" "$TL_HELD" "established 3 failed 2"
sleep 3
tl_eq "link-local conns 3 s later" "$(tl_source_conns srv fe80::/64)" 3
tl_eq "link-local: a 4th" "$(tl_connect c1 fe80::1%to-srv 8000 1 1000)" "established 0 failed 1"
tl_release "$ll"
tl_conns_settle srv 0
tl_done
