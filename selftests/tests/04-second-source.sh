#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# While one source is at its cap, a second source gets its own full quota.
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_load
tl_server srv 0.0.0.0 8000
tl_ctl srv set-max 5 || tl_fail "set-max 5"

tl_hold greedy c1 10.0.1.1 8000 12
tl_eq "greedy client" "$TL_HELD" "established 5 failed 7"
tl_hold normal c2 10.0.2.1 8000 3
tl_eq "normal client" "$TL_HELD" "established 3 failed 0"
tl_hold normal2 c2 10.0.2.1 8000 3
tl_eq "normal client, 3 more" "$TL_HELD" "established 2 failed 1"
tl_eq "greedy source" "$(tl_source_conns srv 10.0.1.2/32)" 5
tl_eq "normal source" "$(tl_source_conns srv 10.0.2.2/32)" 5
tl_eq "sources" "$(tl_proc srv sources)" 2
tl_eq "conns" "$(tl_proc srv conns)" 10
tl_release "$greedy"
tl_release "$normal"
tl_release "$normal2"
tl_conns_settle srv 0
tl_done
