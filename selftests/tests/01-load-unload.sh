#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Load and unload twice, with a namespace created and destroyed while loaded
# and an existing one holding a source: nothing is left behind.
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_server srv 10.0.1.1 8000
for round in 1 2; do
	tl_load
	tl_eq "round $round: /proc/net/tcplimit version" "$(tl_proc srv version)" 1
	tl_ctl srv show >/dev/null || tl_fail "round $round: tcplimitctl show failed"
	tl_ctl srv set-max 3 || tl_fail "round $round: set-max 3 failed"
	tl_eq "round $round: connections" "$(tl_connect c1 10.0.1.1 8000 5)" \
		"established 3 failed 2"
	tl_ns "extra$round"
	ip netns exec "extra$round" test -r /proc/net/tcplimit ||
		tl_fail "round $round: new namespace has no /proc/net/tcplimit"
	ip netns del "extra$round"
	tl_unload
	tl_loaded && tl_fail "round $round: module still loaded"
	ip netns exec srv test -e /proc/net/tcplimit &&
		tl_fail "round $round: /proc/net/tcplimit left behind"
	out=$(tl_ctl srv show 2>&1)
	tl_eq "round $round: tcplimitctl show after unload" "$?:$out" \
		"1:tcplimitctl: tcplimit module not loaded (generic netlink family 'tcplimit' not found)"
	grep -q '^tcplimit' /proc/slabinfo 2>/dev/null &&
		tl_fail "round $round: slab cache left behind"
done
tl_done
