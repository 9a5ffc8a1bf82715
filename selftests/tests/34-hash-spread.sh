#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Source buckets are chosen by siphash under a key drawn per network
# namespace when its limiter starts: an attacker cannot aim at a bucket.
# 2000 IPv4 sources equal modulo 4096 (20.0.0.7 + i * 4096: the same low
# 12 bits, one of the 2048 buckets the table grows to for an "address &
# mask" hash)
# send one spoofed SYN each, over lo, to a listener whose SYN-ACKs are
# lost (routed out lo to nobody): they stay half-open.
# /proc/net/tcplimit lists sources in bucket order, so the listing's order
# is the hash's: it must be unrelated (Spearman rank correlation below
# 0.2 in absolute value; 0.022 is one standard deviation for unrelated
# orders, 1 for equal ones) between two namespaces fed the same packets,
# between two loads of the module, and to the insertion order and the
# address order. And /proc's "source_longest_chain" is at most 10 (random
# spread in 2048 buckets: 11 or more happens about once in 50000 runs; an
# unkeyed hash would make one chain of 2000).
. "$(dirname "$0")/../lib.sh"

TL_PKTFUZZ=$TL_DIR/pktfuzz
[ -x "$TL_PKTFUZZ" ] || tl_skip "selftests/pktfuzz not built (make -C selftests)"
n=2000
seed=${TCPLIMIT_HASH_SEED:-$(( (RANDOM << 15 | RANDOM) ))}
tl_log "seed $seed"

tl_ns s1 s2
tl_load

# setup NS: a limiter that keeps every SYN's source, and a listener whose
# requests (or SYN cookies) keep their half-open flows counted.
setup() {
	tl_ctl "$1" set-table-size 100000 || tl_fail "set-table-size in $1"
	ip -n "$1" route replace 20.0.0.0/8 dev lo || tl_fail "route in $1"
	tl_listening "$1" 9 || tl_server "$1" 127.0.0.1 9
}

# flood NS OUT: the SYNs (their sources in send order into OUT), then the
# sources as /proc lists them into OUT.proc.
flood() {
	ip netns exec "$1" "$TL_PKTFUZZ" -s "$seed" stride 20.0.0.7 4096 $n 127.0.0.1 9 \
		>"$2" 2>&1 || tl_fail "pktfuzz stride in $1: $(tail -1 "$2")"
	tl_log "  $1: $(tail -1 "$2")"
	sed -i '/^#/d' "$2"
	busywait 10000 tl_proc_is "$1" sources $n ||
		tl_fail "$1: sources '$(tl_proc "$1" sources)', want $n"
	tl_eq "$1 halfopen" "$(tl_proc "$1" halfopen)" $n
	ip netns exec "$1" awk 'seen { sub("/32$", "", $1); print $1 } $1 == "source" { seen = 1 }' \
		/proc/net/tcplimit >"$2.proc"
	tl_eq "$1 source rows" "$(wc -l <"$2.proc")" $n
}

# rho A B: Spearman's rank correlation of two orders of the same lines
# (empty when they are not the same set).
rho() {
	awk -v n=$n 'NR == FNR { rank[$1] = FNR; next }
		!($1 in rank) || ($1 in got) { bad = 1 }
		{ got[$1] = 1; d = rank[$1] - FNR; s += d * d; seen++ }
		END { if (!bad && seen == n && FNR == n) printf "%.4f\n", 1 - 6 * s / (n * (n * n - 1)) }' \
		"$1" "$2"
}

# unrelated WHAT A B: the two orders are of the same sources, and unrelated.
unrelated() {
	local r

	r=$(rho "$2" "$3")
	tl_log "$1: rank correlation ${r:-(not the same sources)}"
	if [ -z "$r" ]; then
		tl_fail "$1: not the same $n sources"
	elif ! awk -v r="$r" 'BEGIN { exit !(r < 0.2 && r > -0.2) }'; then
		tl_fail "$1: rank correlation $r, want |r| < 0.2"
	fi
}

# longest NS: the longest chain of NS's source table.
longest() {
	local l

	busywait 5000 tl_proc_is "$1" source_buckets 2048 ||
		tl_fail "$1: source buckets '$(tl_proc "$1" source_buckets)', want 2048"
	l=$(tl_proc "$1" source_longest_chain)
	tl_log "$1: longest chain $l"
	[ "$l" -le 10 ] 2>/dev/null || tl_fail "$1: longest chain '$l', want at most 10"
}

setup s1
setup s2
flood s1 "$TL_TMP/s1"
flood s2 "$TL_TMP/s2"
cmp -s "$TL_TMP/s1" "$TL_TMP/s2" || tl_fail "the two namespaces got different SYNs"
sort -t. -k1,1n -k2,2n -k3,3n -k4,4n "$TL_TMP/s1" >"$TL_TMP/sorted"
cmp -s "$TL_TMP/s1" "$TL_TMP/sorted" && tl_fail "pktfuzz sent the sources in address order"
tac "$TL_TMP/s1" >"$TL_TMP/s1.reverse"

unrelated "s1 and s2 (same packets, keys per namespace)" "$TL_TMP/s1.proc" "$TL_TMP/s2.proc"
unrelated "s1 and insertion order" "$TL_TMP/s1.proc" "$TL_TMP/s1"
unrelated "s1 and address order" "$TL_TMP/s1.proc" "$TL_TMP/sorted"
unrelated "s2 and insertion order" "$TL_TMP/s2.proc" "$TL_TMP/s1"
cmp -s "$TL_TMP/s1.proc" "$TL_TMP/s1.reverse" && tl_fail "s1 lists sources newest first: one bucket"
longest s1
longest s2

# A new load draws new keys for the namespaces that exist.
tl_unload
tl_load
setup s1
tl_eq "s1 sources after insmod" "$(tl_proc s1 sources)" 0
flood s1 "$TL_TMP/s1.again"
cmp -s "$TL_TMP/s1" "$TL_TMP/s1.again" || tl_fail "the second load got different SYNs"
unrelated "s1 before and after rmmod/insmod" "$TL_TMP/s1.proc" "$TL_TMP/s1.again.proc"
longest s1
tl_done
