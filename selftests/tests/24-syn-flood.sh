#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A SYN flood from random addresses of 10.99.0.0/16 (20000 SYNs at 2000/s,
# long enough to outlast a slow guest's start-up; random ports, never
# answered: the server routes 10.99/16 to c1, which does not
# forward) against set-table-size 200, set-max 5: the source table stops at
# exactly 200 entries, every other SYN is counted in table_full (admitted +
# table_full + limited_conn = every SYN sent, and 1 to 3 ACKs below), every
# connection of the flood is half-open, and a legitimate client arriving
# during the flood gets all 3 of its connections, tracked: its SYNs are
# let through, counted at the ACKs that complete them, its entry in the
# reserve of sources proven so (201 entries). The
# kernel log stays clean (run.sh scans it). A slow kernel (KASAN under
# TCG) may drop SYNs from the receive backlog before any hook sees them:
# /proc/net/softnet_stat counts those drops (and those of srv's answers);
# the SYNs counted may fall short of those sent by no more than that.
. "$(dirname "$0")/../lib.sh"

[ -x "$TL_RAWTCP" ] || tl_skip "selftests/rawtcp not built (make -C selftests)"
tl_topology
ip -n srv route add 10.99.0.0/16 via 10.0.1.2
for conf in all default to-c1; do
	ip netns exec srv sysctl -qw "net.ipv4.conf.$conf.rp_filter=0"
done
tl_load
tl_server srv 0.0.0.0 8000
tl_ctl srv set-table-size 200 || tl_fail "set-table-size 200"
tl_ctl srv set-max 5 || tl_fail "set-max 5"

# counted: every SYN the limiter has seen so far.
counted() {
	tl_snap srv
	echo $(($(tl_snap_key srv admitted) + $(tl_snap_key srv table_full) +
		$(tl_snap_key srv limited_conn)))
}

drops0=$(tl_backlog_drops)
start=$(tl_ms)
ip netns exec c1 "$TL_RAWTCP" syn 10.99.0.0/16 10.0.1.1 8000 20000 2000 >"$TL_TMP/flood" 2>&1 &
flood=$!
TL_PIDS+=($flood)
table_full_seen() {
	[ "$(tl_proc srv table_full)" -gt 0 ] 2>/dev/null
}
busywait 20000 table_full_seen ||
	tl_fail "table_full still '$(tl_proc srv table_full)' 20 s into the flood"
tl_log "table full $(($(tl_ms) - start)) ms into the flood"
tl_hold pid c2 10.0.2.1 8000 3 5000
tl_eq "legitimate client during the flood" "$TL_HELD" "established 3 failed 0"
running=no
kill -0 "$flood" 2>/dev/null && running=yes
tl_eq "the flood still running when the client got through" "$running" yes
wait "$flood"
tl_eq "rawtcp exit status" "$?" 0
tl_log "  rawtcp: $(cat "$TL_TMP/flood")"
# srv counts the SYNs as it gets to them: wait until the count holds still.
seen=-1
while [ "$(counted)" != "$seen" ]; do
	seen=$(counted)
	sleep 1
done
drops=$(($(tl_backlog_drops) - drops0))

tl_snap srv
sources=$(tl_snap_key srv sources)
admitted=$(tl_snap_key srv admitted)
table_full=$(tl_snap_key srv table_full)
limited=$(tl_snap_key srv limited_conn)
conns=$(tl_snap_key srv conns)
tl_log "sources $sources admitted $admitted table_full $table_full limited_conn $limited conns $conns (backlog drops $drops)"
tl_eq "sources (200, and the client's in the reserve)" "$sources" 201
[ "$table_full" -gt 19000 ] 2>/dev/null || tl_fail "table_full '$table_full', want more than 19000"
# Every SYN counted once, and each ACK of the client's that was counted
# at its proof: its first SYN found no room, a later one may find its
# entry made by then. 20003 to 20006, unless some were dropped (the
# backlog drops also count srv's answers to c1, so they bound the loss).
seen=$((admitted + table_full + limited))
if [ "$seen" -gt 20006 ] || [ "$seen" -lt $((20004 - drops)) ]; then
	tl_fail "admitted + table_full + limited_conn = $seen, want 20004 to 20006 (20003 SYNs, 1 to 3 ACKs) less at most $drops backlog drops"
else
	tl_log "ok: admitted + table_full + limited_conn = $seen of 20004 to 20006, backlog drops $drops"
fi
[ "$drops" -lt 1000 ] || tl_fail "$drops packets dropped by the receive backlogs, want fewer than 1000"
tl_eq "conns (the flood's, half-open, and the client's 3)" "$conns" "$admitted"
tl_eq "halfopen" "$(tl_snap_key srv halfopen)" $((admitted - 3))
tl_eq "legitimate source tracked" "$(tl_snap_col srv 10.0.2.2/32 conns)" 3
tl_eq "legitimate connections still up" "$(tl_established srv 8000)" 3
tl_eq "sources listed" "$(grep -o '"source":' "$TL_TMP/snap.srv" | wc -l)" 201
tl_release "$pid"
busywait 5000 tl_established_is srv 8000 0
busywait 5000 tl_proc_is srv conns $((admitted - 3)) ||
	tl_fail "conns after the legitimate client left: $(tl_proc srv conns), want $((admitted - 3))"
[ "$tl_failures" -eq 0 ] || tl_snap_dump srv | head -60
tl_done
