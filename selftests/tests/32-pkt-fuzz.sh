#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Malformed TCP/IP at every hook (selftests/pktfuzz): more than 100000
# packets, seeded (TCPLIMIT_FUZZ_SEED repeats a run), while every limit is
# small and refusals are answered with RSTs.
#   cli --veth-- gw (gateway mode: FORWARD) --veth-- srv (host mode)
# cli sends whole ethernet frames (AF_PACKET, not normalised) to gw's MAC,
# for srv, from its own address and spoofed ones (10.99/16, fd00:99::/64,
# routed back to cli, which drops them); srv fuzzes itself over lo through
# raw sockets (LOCAL_OUT, then LOCAL_IN); a real client connects meanwhile.
# Then: no splat (run.sh scans the log); once the SYN timeout (2 s) has
# passed, both limiters count exactly 0 connections and 0 handshakes, in
# total and per source; and they still work: a client gets exactly the cap,
# through the gateway's limiter and the host's, over IPv4 and IPv6.
. "$(dirname "$0")/../lib.sh"

TL_PKTFUZZ=$TL_DIR/pktfuzz
[ -x "$TL_PKTFUZZ" ] || tl_skip "selftests/pktfuzz not built (make -C selftests)"
link_packets=${TCPLIMIT_FUZZ_LINK:-80000}
local_packets=${TCPLIMIT_FUZZ_LOCAL:-25000}
seed=${TCPLIMIT_FUZZ_SEED:-$(( (RANDOM << 15 | RANDOM) ))}
tl_log "seed $seed (TCPLIMIT_FUZZ_SEED=$seed repeats this run)"
t0=$(tl_ms)
phase() {
	tl_log "-- $* ($(( $(tl_ms) - t0 )) ms)"
}

tl_ns cli gw srv
tl_link gw cli "10.0.1.1/24 fd00:1::1/64" "10.0.1.2/24 fd00:1::2/64"
tl_link gw srv "10.0.2.1/24 fd00:2::1/64" "10.0.2.2/24 fd00:2::2/64"
ip -n cli route add default via 10.0.1.1
ip -n cli -6 route add default via fd00:1::1
ip -n srv route add default via 10.0.2.1
ip -n srv -6 route add default via fd00:2::1
ip -n gw route add 10.99.0.0/16 via 10.0.1.2
ip -n gw -6 route add fd00:99::/64 via fd00:1::2
no_rp_filter="net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0"
# shellcheck disable=SC2086 # word splitting on purpose
ip netns exec gw sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
	$no_rp_filter net.ipv4.conf.to-cli.rp_filter=0 net.ipv4.conf.to-srv.rp_filter=0
# A request socket a blind ACK marked established lives this long (3 s).
# shellcheck disable=SC2086
ip netns exec srv sysctl -qw $no_rp_filter net.ipv4.conf.to-gw.rp_filter=0 \
	net.ipv4.tcp_synack_retries=1
gw_mac=$(ip -n gw -o link show to-cli | sed -n 's/.*link\/ether \([0-9a-f:]*\) .*/\1/p')
[ -n "$gw_mac" ] || { tl_fail "no MAC address for gw's to-cli"; exit 1; }

tl_load
tl_server srv :: 8000
ctl_ok() {
	tl_ctl "$@" || tl_fail "tcplimitctl $*"
}
# Every limit small; srv answers every refusal with an RST, gw some; srv's
# small table makes the spoofed sources reach the full-table paths.
limits="set-max 4
set-rate 10/1s burst 5
set-halfopen-max 3
set-dst-max 200
set-syn-timeout 2s"
ctl_ok gw restore - <<EOF
set-mode gateway
set-prefix v4 20 v6 48
$limits
set-idle-timeout 1m
set-action reject rate halfopen
EOF
ctl_ok srv restore - <<EOF
$limits
set-action reject
set-table-size 1024
EOF

# A real client while the fuzz runs (no assertion: the limits are small).
real_client() {
	while :; do
		tl_connect cli 10.0.2.2 8000 2 2000 >/dev/null 2>&1
		tl_connect cli fd00:2::2 8000 2 2000 >/dev/null 2>&1
		sleep 1
	done
}
real_client &
TL_PIDS+=($!)
client=$!

phase "fuzz"
start=$(tl_ms)
ip netns exec cli "$TL_PKTFUZZ" -s "$seed" -n "$link_packets" link to-gw "$gw_mac" \
	10.0.1.2,10.99.0.0/16 10.0.2.2 fd00:1::2,fd00:99::/64 fd00:2::2 8000 \
	>"$TL_TMP/link" 2>&1 &
link=$!
TL_PIDS+=($link)
ip netns exec srv "$TL_PKTFUZZ" -s "$((seed + 1))" -n "$local_packets" local \
	10.0.2.2,10.98.0.0/16 10.0.2.2 fd00:2::2,fd00:98::/64 fd00:2::2 8000 \
	>"$TL_TMP/local" 2>&1
tl_eq "pktfuzz local exit status" "$?" 0
wait "$link"
tl_eq "pktfuzz link exit status" "$?" 0
tl_release "$client"
sed 's/^/  /' "$TL_TMP/link" "$TL_TMP/local"
sent=$(( $(awk '$1 == "sent" { print $2 }' "$TL_TMP/link") +
	 $(awk '$1 == "sent" { print $2 }' "$TL_TMP/local") ))
tl_log "fuzz: $sent packets in $(( $(tl_ms) - start )) ms"
# A fragment set is sent whole: the count may pass the asked one a little.
[ "$sent" -ge $((link_packets + local_packets)) ] ||
	tl_fail "sent $sent packets, want at least $((link_packets + local_packets))"

# The fuzz got through and hit the limits (its SYNs come from few sources).
for ns in gw srv; do
	tl_snap "$ns"
	tl_log "$ns after the fuzz: $(sed 's/.*"stats":{\([^}]*\)}.*/\1/' "$TL_TMP/snap.$ns")"
	[ "$(tl_snap_key "$ns" admitted)" -gt 0 ] || tl_fail "$ns admitted nothing"
	[ "$(tl_snap_key "$ns" limited_rate)" -gt 0 ] || tl_fail "$ns limited no SYN by rate"
done
[ "$(tl_snap_key srv rejected)" -gt 0 ] || tl_fail "srv sent no RST"
[ "$(tl_snap_key srv table_full)" -gt 0 ] || tl_fail "srv's table was never full"

# No drift: past the SYN timeout every count is back to 0, per source too.
busy_rows() {
	ip netns exec "$1" awk 'seen && ($2 != 0 || $3 != 0) { n++ }
		$1 == "source" { seen = 1 } END { print n + 0 }' /proc/net/tcplimit
}
settled() {
	local ns

	for ns in gw srv; do
		tl_proc_is "$ns" conns 0 && tl_proc_is "$ns" halfopen 0 &&
			[ "$(busy_rows "$ns")" -eq 0 ] || return 1
	done
}
phase "settle"
busywait 20000 settled
phase "settled"
for ns in gw srv; do
	tl_eq "$ns conns after the fuzz" "$(tl_proc "$ns" conns)" 0
	tl_eq "$ns halfopen after the fuzz" "$(tl_proc "$ns" halfopen)" 0
	tl_eq "$ns source rows still counting" "$(busy_rows "$ns")" 0
done
[ "$tl_failures" -eq 0 ] || { tl_dump gw | head -40; tl_dump srv | head -40; }

# Still working, per source and per destination (the fuzz's own target):
# every limit off but the one checked (refusals answered: no waiting for
# retransmissions), sources forgotten.
for ns in gw srv; do
	ctl_ok "$ns" restore - <<EOF
set-rate off
set-halfopen-max 0
set-dst-max 0
set-max 0
set-action reject
EOF
	ctl_ok "$ns" flush >/dev/null
done
# cap NAME NS KNOB VALUE CLIENT_ADDR WANT: that one limit, 10 connections.
cap() {
	local pid

	ctl_ok "$2" "$3" "$4"
	tl_hold pid cli "$5" 8000 10
	tl_eq "$1" "$TL_HELD" "$6"
	tl_release "$pid"
	ctl_ok "$2" "$3" 0
	busywait 10000 no_conns || tl_fail "$1: the connections did not close"
}
no_conns() {
	tl_proc_is gw conns 0 && tl_proc_is srv conns 0
}
phase "caps"
cap "srv source cap 5 (IPv4)" srv set-max 5 10.0.2.2 "established 5 failed 5"
cap "srv destination cap 4 (IPv6)" srv set-dst-max 4 fd00:2::2 "established 4 failed 6"
cap "gw source cap 3 (IPv6)" gw set-max 3 fd00:2::2 "established 3 failed 7"
cap "gw destination cap 2 (IPv4)" gw set-dst-max 2 10.0.2.2 "established 2 failed 8"
phase "settle"
busywait 20000 settled
phase "settled"
for ns in gw srv; do
	tl_eq "$ns conns at the end" "$(tl_proc "$ns" conns)" 0
	tl_eq "$ns halfopen at the end" "$(tl_proc "$ns" halfopen)" 0
done
tl_done
