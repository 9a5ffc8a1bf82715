#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Segments TCP itself drops or keeps the connection through must not change
# a count (found by the packet fuzzer, test 32):
# 1. under set-max 3, a client's 3 connections each get an RST at the right
#    sequence number but with a bad checksum, then with a data offset of 4:
#    TCP ignores them, so conns stays exactly 3 and a 4th connection is
#    still refused;
# 2. under set-halfopen-max 2, 10 spoofed SYNs from one address, each
#    followed by a blind ACK that makes the server answer with an RST while
#    keeping the request: exactly 2 admitted, halfopen 2, 8 limited.
. "$(dirname "$0")/../lib.sh"

F=$TL_DIR/pktfuzz
[ -x "$F" ] && [ -x "$TL_RAWTCP" ] || tl_skip "selftests helpers not built (make -C selftests)"
tl_topology
tl_load
tl_server srv 0.0.0.0 8000
tl_ctl srv set-max 3 || tl_fail "set-max 3"

for mode in csum doff; do
	out=$TL_TMP/bad.$mode
	ip netns exec c1 "$F" bad-rst 10.0.1.1 8000 3 $mode >"$out" &
	TL_PIDS+=($!)
	busywait 20000 test -s "$out" || tl_fail "pktfuzz bad-rst $mode said nothing"
	tl_log "$mode: $(cat "$out")"
	sleep 0.5
	tl_eq "conns after 3 RSTs with a bad $mode" "$(tl_proc srv conns)" 3
	tl_eq "conns of 10.0.1.2/32 after a bad $mode" "$(tl_source_count srv 10.0.1.2/32 conns)" 3
	tl_eq "a 4th after a bad $mode" "$(tl_connect c1 10.0.1.1 8000 1 1500)" \
		"established 0 failed 1"
	kill "${TL_PIDS[-1]}" 2>/dev/null
	wait "${TL_PIDS[-1]}" 2>/dev/null
	busywait 10000 tl_established_is srv 8000 0
	busywait 10000 tl_prints 0 tl_proc srv conns ||
		tl_fail "conns $(tl_proc srv conns) after pktfuzz let go ($mode), want 0"
done

ip -n srv route add 10.99.0.0/16 via 10.0.1.2
for conf in all default to-c1; do
	ip netns exec srv sysctl -qw "net.ipv4.conf.$conf.rp_filter=0"
done
tl_ctl srv set-max 0 || tl_fail "set-max 0"
tl_ctl srv set-halfopen-max 2 || tl_fail "set-halfopen-max 2"
before=$(tl_proc srv admitted)
for i in $(seq 1 10); do
	ip netns exec c1 "$TL_RAWTCP" syn-fixed 10.99.0.1 $((40000 + i)) 10.0.1.1 8000 1 0 1000 \
		>/dev/null || tl_fail "rawtcp syn-fixed $i"
	ip netns exec c1 "$F" seg 10.99.0.1 $((40000 + i)) 10.0.1.1 8000 ack 1001 12345 \
		>/dev/null || tl_fail "pktfuzz seg $i"
done
sleep 0.5
tl_snap srv
tl_eq "admitted of 10 SYN + blind ACK under halfopen 2" \
	"$(($(tl_snap_key srv admitted) - before))" 2
tl_eq "halfopen of 10.99.0.1/32" "$(tl_snap_col srv 10.99.0.1/32 halfopen)" 2
tl_eq "limited_halfopen" "$(tl_snap_key srv limited_halfopen)" 8
[ "$tl_failures" -eq 0 ] || tl_snap_dump srv | head -40
tl_done
