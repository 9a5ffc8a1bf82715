#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# set-max 5: a source opening 12 connections at once gets exactly 5; the
# other 7 SYNs (and their retransmits) are dropped. /proc/net/tcplimit,
# tcplimitctl show and its JSON all count 5.
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_load
tl_server srv 10.0.1.1 8000
tl_ctl srv set-max 5 || tl_fail "set-max 5"
tl_eq "max in /proc" "$(tl_proc srv max)" 5

tl_hold pid c1 10.0.1.1 8000 12
tl_eq "client of 12" "$TL_HELD" "established 5 failed 7"
tl_eq "server sockets" "$(ip netns exec srv ss -Htn state established '( sport = :8000 )' | wc -l)" 5
tl_eq "conns of 10.0.1.2/32" "$(tl_source_conns srv 10.0.1.2/32)" 5
tl_eq "/proc conns of 10.0.1.2/32" \
	"$(ip netns exec srv awk '$1 == "10.0.1.2/32" { print $2 }' /proc/net/tcplimit)" 5
tl_eq "/proc conns total" "$(tl_proc srv conns)" 5
tl_eq "/proc sources" "$(tl_proc srv sources)" 1
tl_eq "/proc admitted" "$(tl_proc srv admitted)" 5
limited=$(tl_proc srv limited_conn)
[ "$limited" -ge 7 ] 2>/dev/null || tl_fail "limited_conn $limited, want at least 7"
tl_eq "show conns of 10.0.1.2/32" "$(tl_show_source srv 10.0.1.2/32)" 5

# One more from the same source, still capped.
tl_eq "13th connection" "$(tl_connect c1 10.0.1.1 8000 1 1500)" "established 0 failed 1"
tl_eq "conns after the 13th" "$(tl_proc srv conns)" 5
tl_release "$pid"
tl_done
