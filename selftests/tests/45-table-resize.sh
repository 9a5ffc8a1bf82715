#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bucket arrays follow the entries: a started table has 64 buckets (one per
# lock shard); the GC grows it to a bucket an entry once it holds more
# entries than buckets, and shrinks it once it is eight times too big,
# moving the entries in place. Counts and caps do not notice.
#  - At the start: 64 buckets in each table.
#  - 10.0.1.2 holds 3 of its max 3 while 1000 spoofed sources each hold a
#    half-open handshake (SYNs over lo to a listener whose SYN-ACKs go
#    nowhere, as in 34): the source and connection tables grow to 1024
#    buckets, the destination table (no destination limit: no entry) stays
#    at 64. Then 1001 sources, 1000 half-open, 10.0.1.2 on one row with
#    its 3, a 4th connection refused, a longest chain of at most 8.
#  - Under load: 1000 more spoofed sources arrive (the tables grow to 2048)
#    while 10.0.1.2 opens and closes its 3 connections in a loop: every
#    round gets exactly 3, and then 2001 sources, 2000 half-open, and 3
#    held with no 4th again. (2000 requests: the listener's backlog of
#    4096 starts dropping old requests early past half full.)
#  - The requests reset (ss -K): the half-open flows end, the connection
#    table shrinks back to 64 buckets, 10.0.1.2 still holds its 3.
. "$(dirname "$0")/../lib.sh"

TL_PKTFUZZ=$TL_DIR/pktfuzz
[ -x "$TL_PKTFUZZ" ] || tl_skip "selftests/pktfuzz not built (make -C selftests)"

tl_topology
tl_load
tl_server srv 10.0.1.1 8000
tl_ctl srv set-max 3 || tl_fail "set-max 3"
tl_ctl srv set-action reject >/dev/null || tl_fail "set-action reject"

# buckets: "sources S dsts D flows F", the bucket counts in /proc.
buckets() {
	echo "sources $(tl_proc srv source_buckets) dsts $(tl_proc srv dst_buckets)" \
		"flows $(tl_proc srv flow_buckets)"
}
tl_eq "started" "$(buckets)" "sources 64 dsts 64 flows 64"

ip -n srv route replace 20.0.0.0/8 dev lo || tl_fail "route 20/8 to lo"
tl_server srv 127.0.0.1 9

# flood BASE: 1000 spoofed SYNs over lo from BASE + i * 4096.
flood() {
	ip netns exec srv "$TL_PKTFUZZ" stride "$1" 4096 1000 127.0.0.1 9 \
		>"$TL_TMP/flood.$1" 2>&1 || tl_fail "pktfuzz stride: $(tail -1 "$TL_TMP/flood.$1")"
}

# exact STEP SOURCES HALFOPEN: the counts, 10.0.1.2 on one row with its 3
# (and its refusals so far), a 4th connection refused (an RST: no
# waiting), a short longest chain.
refusals=0
exact() {
	local rows chain

	tl_eq "$1: sources" "$(tl_proc srv sources)" "$2"
	tl_eq "$1: halfopen" "$(tl_proc srv halfopen)" "$3"
	rows=$(ip netns exec srv awk '$1 == "10.0.1.2/32"' /proc/net/tcplimit)
	tl_eq "$1: the row of 10.0.1.2" "$rows" "10.0.1.2/32 3 0 0 $refusals 0"
	tl_eq "$1: a 4th connection" "$(tl_connect c1 10.0.1.1 8000 1 1000)" \
		"established 0 failed 1"
	refusals=$((refusals + 1))
	chain=$(tl_proc srv source_longest_chain)
	[ "$chain" -le 8 ] 2>/dev/null || tl_fail "$1: longest chain '$chain', want at most 8"
}

tl_hold pid c1 10.0.1.1 8000 3
tl_eq "held" "$TL_HELD" "established 3 failed 0"
flood 20.0.0.7
busywait 10000 tl_proc_is srv halfopen 1000 ||
	tl_fail "halfopen after the flood: $(tl_proc srv halfopen), want 1000"
busywait 5000 tl_prints "sources 1024 dsts 64 flows 1024" buckets ||
	tl_fail "buckets after 1000 sources: $(buckets), want 1024, 64, 1024"
exact "grown" 1001 1000
tl_release "$pid"
busywait 5000 tl_prints 0 tl_source_conns srv 10.0.1.2/32 ||
	tl_fail "conns of 10.0.1.2 after the release: $(tl_source_conns srv 10.0.1.2/32)"

# Under load: a second flood grows the tables while 10.0.1.2 loops.
flood 20.0.0.8 &
flooder=$!
rounds=0
while kill -0 "$flooder" 2>/dev/null || [ "$rounds" -lt 5 ]; do
	got=$(tl_connect c1 10.0.1.1 8000 3 3000)
	rounds=$((rounds + 1))
	[ "$got" = "established 3 failed 0" ] || tl_fail "round $rounds while growing: $got"
done
wait "$flooder"
tl_log "$rounds connect rounds during the second flood"
busywait 10000 tl_proc_is srv halfopen 2000 ||
	tl_fail "halfopen after the second flood: $(tl_proc srv halfopen), want 2000"
busywait 5000 tl_prints "sources 2048 dsts 64 flows 2048" buckets ||
	tl_fail "buckets after 2000 sources: $(buckets), want 2048, 64, 2048"
tl_hold pid c1 10.0.1.1 8000 3
tl_eq "held after growing" "$TL_HELD" "established 3 failed 0"
exact "grown again" 2001 2000

# The requests go: their flows end, and the connection table shrinks.
ip netns exec srv ss -K state syn-recv >/dev/null || tl_fail "ss -K state syn-recv"
busywait 10000 tl_proc_is srv halfopen 0 ||
	tl_fail "halfopen after ss -K: $(tl_proc srv halfopen), want 0"
busywait 5000 tl_prints 64 tl_proc srv flow_buckets ||
	tl_fail "flow buckets with 3 connections: $(tl_proc srv flow_buckets), want 64"
tl_eq "conns of 10.0.1.2 after the shrink" "$(tl_source_conns srv 10.0.1.2/32)" 3
tl_eq "a 4th after the shrink" "$(tl_connect c1 10.0.1.1 8000 1 1000)" "established 0 failed 1"
tl_release "$pid"
tl_done
