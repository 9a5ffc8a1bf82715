#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# When the capped client closes its connections the count returns to exactly
# 0 (FIN from both sides) and 5 new connections succeed, the 6th does not.
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_load
tl_server srv 10.0.1.1 8000
tl_ctl srv set-max 5 || tl_fail "set-max 5"

tl_hold pid c1 10.0.1.1 8000 12
tl_eq "client of 12" "$TL_HELD" "established 5 failed 7"
tl_eq "conns while held" "$(tl_proc srv conns)" 5
tl_release "$pid"
tl_conns_settle srv 0
# An idle source may linger in the table; listed, it must count 0.
src=$(tl_source_conns srv 10.0.1.2/32)
[ -z "$src" ] || tl_eq "source conns after close" "$src" 0

tl_hold pid c1 10.0.1.1 8000 5
tl_eq "5 new connections" "$TL_HELD" "established 5 failed 0"
tl_eq "a 6th" "$(tl_connect c1 10.0.1.1 8000 1 1500)" "established 0 failed 1"
tl_eq "conns" "$(tl_proc srv conns)" 5
tl_release "$pid"
tl_conns_settle srv 0
tl_done
