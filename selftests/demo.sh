#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo, inside the VM: a server capped at 5 connections per source, a
# greedy client asking for 12 and a normal client asking for 3.
. "$(dirname "$0")/lib.sh"

step() {
	printf '\n$ %s\n' "$*"
}

tl_topology
tl_load
tl_server srv 0.0.0.0 8000
step "insmod tcplimit.ko; ip netns exec srv tcplimitctl set-max 5"
tl_ctl srv set-max 5 || exit 1
step "greedy client 10.0.1.2 opens 12 connections"
tl_hold greedy c1 10.0.1.1 8000 12
echo "$TL_HELD"
step "normal client 10.0.2.2 opens 3 connections"
tl_hold normal c2 10.0.2.1 8000 3
echo "$TL_HELD"
step "ip netns exec srv tcplimitctl show"
tl_ctl srv show
step "ip netns exec srv cat /proc/net/tcplimit"
ip netns exec srv cat /proc/net/tcplimit
step "both clients close; tcplimitctl show"
tl_release "$greedy"
tl_release "$normal"
busywait 10000 tl_conns_is srv 0
tl_ctl srv show
echo
[ "$(tl_proc srv conns)" == 0 ] && [ "$(tl_proc srv admitted)" == 8 ]
