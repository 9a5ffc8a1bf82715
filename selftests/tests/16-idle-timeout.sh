#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# set-idle-timeout 2s: established connections that receive nothing from
# the client for 2 s stop counting (expired), although they stay open; then
# the source gets its full quota again. Their later FINs move no count.
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_load
tl_server srv 10.0.1.1 8000
tl_ctl srv set-idle-timeout 2s || tl_fail "set-idle-timeout 2s"
tl_ctl srv set-max 5 || tl_fail "set-max 5"
tl_eq "idle_timeout_ms in /proc" "$(tl_proc srv idle_timeout_ms)" 2000

tl_hold old c1 10.0.1.1 8000 3
tl_eq "3 idle connections" "$TL_HELD" "established 3 failed 0"
tl_eq "conns while fresh" "$(tl_proc srv conns)" 3
start=$(tl_ms)
busywait 15000 tl_conns_is srv 0
tl_log "conns 0 after $(($(tl_ms) - start)) ms"
tl_eq "conns after the idle timeout" "$(tl_proc srv conns)" 0
tl_eq "expired" "$(tl_proc srv expired)" 3
src=$(tl_proc_source srv 10.0.1.2/32)
[ -z "$src" ] || tl_eq "source conns after the idle timeout" "$src" 0
tl_eq "the idle connections are still open" "$(tl_established srv 8000)" 3

# A long idle timeout from now on, so the new connections stay counted.
tl_ctl srv set-idle-timeout 1h || tl_fail "set-idle-timeout 1h"
tl_hold new c1 10.0.1.1 8000 5
tl_eq "5 new connections beside the 3 idle ones" "$TL_HELD" "established 5 failed 0"
tl_eq "conns with 5 new" "$(tl_proc srv conns)" 5
tl_eq "a 6th" "$(tl_connect c1 10.0.1.1 8000 1 1500)" "established 0 failed 1"
tl_eq "server sockets" "$(tl_established srv 8000)" 8

# The expired connections close: nothing counted goes away.
tl_release "$old"
tl_wait_eq 5000 5 tl_established srv 8000
tl_eq "server sockets after closing the idle ones" "$(tl_established srv 8000)" 5
sleep 0.5
tl_eq "conns after closing the idle ones" "$(tl_proc srv conns)" 5
tl_eq "/proc conns of 10.0.1.2/32" "$(tl_proc_source srv 10.0.1.2/32)" 5
tl_eq "still a cap of 5" "$(tl_connect c1 10.0.1.1 8000 1 1500)" "established 0 failed 1"
tl_release "$new"
tl_conns_settle srv 0
tl_eq "expired at the end" "$(tl_proc srv expired)" 3
[ "$tl_failures" -eq 0 ] || tl_dump srv
tl_done
