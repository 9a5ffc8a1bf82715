#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# set-halfopen-max 3: a source whose handshakes never complete (raw SYNs
# from 10.0.1.50, an address nobody owns, so the SYN-ACKs are lost) gets 3
# half-open connections out of 10 SYNs; the other 7 are refused
# (limited_halfopen). Meanwhile another source on the same link gets all 5
# of its connections, and its completed handshakes leave no half-open
# count. set-syn-timeout 2s then applies to the flows already tracked: the
# garbage collector forgets exactly the 3 stale half-open ones (expired 3)
# and none of the established ones. The flooding source gets exactly 3
# again, not a 4th, and those expire no sooner than 2 s after their SYNs.
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_dead_neigh srv to-c1 10.0.1.50
tl_load
tl_server srv 10.0.1.1 8000
tl_ctl srv set-halfopen-max 3 || tl_fail "set-halfopen-max 3"
tl_eq "halfopen_max in /proc" "$(tl_proc srv halfopen_max)" 3

tl_rawtcp c1 syn 10.0.1.50 10.0.1.1 8000 10
tl_snap srv
tl_eq "admitted of 10 raw SYNs" "$(tl_snap_key srv admitted)" 3
tl_eq "limited_halfopen of 10 raw SYNs" "$(tl_snap_key srv limited_halfopen)" 7
tl_eq "conns" "$(tl_snap_key srv conns)" 3
tl_eq "halfopen" "$(tl_snap_key srv halfopen)" 3
tl_eq "conns of 10.0.1.50/32" "$(tl_snap_col srv 10.0.1.50/32 conns)" 3
tl_eq "halfopen of 10.0.1.50/32" "$(tl_snap_col srv 10.0.1.50/32 halfopen)" 3
tl_eq "limited of 10.0.1.50/32" "$(tl_snap_col srv 10.0.1.50/32 limited)" 7
tl_eq "server SYN_RECV requests" \
	"$(ip netns exec srv ss -Htn state syn-recv '( sport = :8000 )' | wc -l)" 3

# A real client: one connection at a time, so that its own handshakes
# never overlap (5 at once could meet its own half-open cap of 3).
pids=()
for i in 1 2 3 4 5; do
	tl_hold_args pid c1 10.0.1.1 8000 1 3000
	tl_eq "real client, connection $i" "$TL_HELD" "established 1 failed 0"
	pids+=("$pid")
done
tl_snap srv
tl_eq "conns of 10.0.1.2/32" "$(tl_snap_col srv 10.0.1.2/32 conns)" 5
tl_eq "halfopen of 10.0.1.2/32" "$(tl_snap_col srv 10.0.1.2/32 halfopen)" 0
tl_eq "limited of 10.0.1.2/32" "$(tl_snap_col srv 10.0.1.2/32 limited)" 0
tl_eq "halfopen of 10.0.1.50/32 with the real client" \
	"$(tl_snap_col srv 10.0.1.50/32 halfopen)" 3
tl_eq "admitted with the real client" "$(tl_snap_key srv admitted)" 8
tl_eq "conns with the real client" "$(tl_snap_key srv conns)" 8
tl_eq "halfopen with the real client" "$(tl_snap_key srv halfopen)" 3
tl_eq "expired before the SYN timeout is lowered" "$(tl_snap_key srv expired)" 0

# The flows are older than 2 s: gone at the next GC passes.
tl_ctl srv set-syn-timeout 2s || tl_fail "set-syn-timeout 2s"
tl_eq "syn_timeout_ms in /proc" "$(tl_proc srv syn_timeout_ms)" 2000
busywait 10000 tl_proc_is srv halfopen 0
tl_snap srv
tl_eq "halfopen after the SYN timeout" "$(tl_snap_key srv halfopen)" 0
tl_eq "expired" "$(tl_snap_key srv expired)" 3
tl_eq "conns after the SYN timeout" "$(tl_snap_key srv conns)" 5
src=$(tl_snap_col srv 10.0.1.50/32 conns)
[ -z "$src" ] || tl_eq "conns of 10.0.1.50/32 after the SYN timeout" "$src" 0
tl_eq "conns of 10.0.1.2/32 after the SYN timeout" "$(tl_snap_col srv 10.0.1.2/32 conns)" 5
sleep 2
tl_eq "conns 2 s later (established ones never expire by the SYN timeout)" \
	"$(tl_proc srv conns)" 5

for pid in "${pids[@]}"; do
	tl_release "$pid"
done
tl_conns_settle srv 0

t_syn=$(tl_ms)
tl_rawtcp c1 syn 10.0.1.50 10.0.1.1 8000 4
tl_snap srv
t=$(($(tl_ms) - t_syn))
tl_eq "admitted after 4 more raw SYNs" "$(tl_snap_key srv admitted)" 11
tl_eq "limited_halfopen after 4 more raw SYNs" "$(tl_snap_key srv limited_halfopen)" 8
if [ "$t" -lt 1500 ]; then
	tl_eq "halfopen of 10.0.1.50/32 again ($t ms after the SYNs)" \
		"$(tl_snap_col srv 10.0.1.50/32 halfopen)" 3
else
	tl_log "snapshot $t ms after the SYNs: too late to tell whether the 3 are still half-open"
fi
busywait 10000 tl_proc_is srv halfopen 0
t=$(($(tl_ms) - t_syn))
tl_log "the 3 new half-open connections forgotten $t ms after their SYNs were sent"
[ "$t" -ge 2000 ] || tl_fail "half-open connections forgotten after $t ms, before the 2 s SYN timeout"
tl_snap srv
tl_eq "expired at the end" "$(tl_snap_key srv expired)" 6
tl_eq "conns at the end" "$(tl_snap_key srv conns)" 0
[ "$tl_failures" -eq 0 ] || tl_snap_dump srv
tl_done
