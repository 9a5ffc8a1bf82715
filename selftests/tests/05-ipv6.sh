#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The cap over IPv6: exact at 5 of 12, back to 0 after close and 5 again,
# a second IPv6 source unaffected.
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_load
tl_server srv :: 8000
tl_ctl srv set-max 5 || tl_fail "set-max 5"

tl_hold pid c1 fd00:1::1 8000 12
tl_eq "client of 12" "$TL_HELD" "established 5 failed 7"
tl_eq "/proc conns of fd00:1::/64" "$(tl_proc_source srv fd00:1::/64)" 5
tl_eq "show conns of fd00:1::/64" "$(tl_show_source srv fd00:1::/64)" 5
tl_eq "second source" "$(tl_connect c2 fd00:2::1 8000 5)" "established 5 failed 0"
tl_release "$pid"
tl_conns_settle srv 0
tl_eq "5 new connections" "$(tl_connect c1 fd00:1::1 8000 6)" "established 5 failed 1"
tl_conns_settle srv 0
tl_done
