#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# rmmod while counted connections are open, then insmod again: the
# connections survive untouched, the new limiter starts from zero, the old
# connections' FINs move no count, and nothing leaks or splats.
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_load
tl_server srv 0.0.0.0 8000
tl_ctl srv set-max 5 || tl_fail "set-max 5"
tl_hold old c1 10.0.1.1 8000 8
tl_eq "client before rmmod" "$TL_HELD" "established 5 failed 3"
tl_hold old2 c2 10.0.2.1 8000 3
tl_eq "second client before rmmod" "$TL_HELD" "established 3 failed 0"

tl_unload
tl_eq "server still holds the connections" \
	"$(ip netns exec srv ss -Htn state established '( sport = :8000 )' | wc -l)" 8

tl_load
tl_eq "conns after insmod" "$(tl_proc srv conns)" 0
tl_ctl srv set-max 5 || tl_fail "set-max 5 after insmod"
tl_release "$old"
tl_release "$old2"
server_conns() {
	ip netns exec srv ss -Htn '( sport = :8000 )' | wc -l
}
busywait 5000 tl_prints 0 server_conns || tl_fail "old connections did not close"
tl_eq "conns after the old connections closed" "$(tl_proc srv conns)" 0
tl_hold new c1 10.0.1.1 8000 8
tl_eq "client after insmod" "$TL_HELD" "established 5 failed 3"
tl_unload
tl_load
tl_release "$new"
tl_eq "conns" "$(tl_proc srv conns)" 0
tl_done
