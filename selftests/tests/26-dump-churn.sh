#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# GET_SOURCES under churn, in a gateway (srv) whose half-open flows last
# as long as set-syn-timeout says (1h here): a host's would end with their
# request sockets or SYN cookies, within the test's own time under TCG.
# 50000 spoofed SYNs (TCPLIMIT_CHURN_SOURCES) from random addresses of
# 100.64.0.0/10, forwarded by srv into a dummy device where nothing answers,
# make about 49.7k stable sources (a few SYNs fall on the same address; the
# receive backlog is raised to 100000 packets for the flood, so at most 1 %
# may be lost there, and every loss must be one of its counted drops).
# Then, while other sources come and go (bursts of raw SYNs from
# 198.18.0.0/15 to far, which has no listener: its RSTs end them at once,
# and FLUSH removes their idle entries), the sources are dumped again and
# again: every dump that completes without NLM_F_DUMP_INTR holds each
# stable source exactly once and no source twice; interrupted dumps are
# retried as tcplimitctl does. At least one dump must complete, and the
# churn must have changed the table meanwhile (flushed > 0).
. "$(dirname "$0")/../lib.sh"

[ -x "$TL_RAWTCP" ] || tl_skip "selftests/rawtcp not built (make -C selftests)"
STABLE=${TCPLIMIT_CHURN_SOURCES:-50000}
DUMPS=${TCPLIMIT_CHURN_DUMPS:-4}
tl_ns srv c1 far
tl_link srv c1 "10.0.1.1/24" "10.0.1.2/24"
tl_link srv far "10.0.2.1/24" "10.0.2.2/24"
ip -n c1 route add default via 10.0.1.1 || tl_fail "c1's route"
ip -n c1 route add local 198.18.0.0/15 dev lo || tl_fail "local route on c1"
ip -n far route add default via 10.0.2.1 || tl_fail "far's route"
ip -n srv -batch - <<EOF || tl_fail "srv's devices and routes"
link add blackhole type dummy
link set blackhole up
route add 10.0.8.0/24 dev blackhole
route add 198.18.0.0/15 via 10.0.1.2
EOF
for conf in all default to-c1 to-far; do
	ip netns exec srv sysctl -qw "net.ipv4.conf.$conf.rp_filter=0"
done
ip netns exec srv sysctl -qw net.ipv4.ip_forward=1
tl_load
tl_ctl srv set-mode gateway || tl_fail "set-mode gateway"
nlraw() {
	ip netns exec srv /usr/bin/python3 -S "$TL_DIR/nlraw.py" "$@"
}
out=$(nlraw set table_size=400000 flow_table_size=400000 syn_timeout_ms=3600000) ||
	tl_fail "configuration: $out"

# The flood must not be lost before the hooks (the limit is global: put back after).
backlog0=$(sysctl -n net.core.netdev_max_backlog)
sysctl -qw net.core.netdev_max_backlog=100000 || tl_fail "netdev_max_backlog"
start=$(tl_ms)
drops0=$(tl_backlog_drops)
# Two senders (the VM has two CPUs), 4000 SYNs/s each: faster, srv's
# backlog would drop some; a lost SYN only makes one stable source fewer.
ip netns exec c1 "$TL_RAWTCP" syn 100.64.0.0/10 10.0.8.1 8000 $((STABLE / 2)) 4000 \
	>"$TL_TMP/flood1" 2>&1 &
flood=$!
tl_rawtcp c1 syn 100.64.0.0/10 10.0.8.1 8000 $((STABLE - STABLE / 2)) 4000
wait "$flood" || tl_fail "rawtcp: $(cat "$TL_TMP/flood1")"
tl_log "  rawtcp: $(cat "$TL_TMP/flood1")"
# srv counts the SYNs as it gets to them: wait until the count holds still.
admitted=-1
while [ "$(tl_proc srv admitted)" != "$admitted" ]; do
	admitted=$(tl_proc srv admitted)
	sleep 1
done
tl_eq "table_full" "$(tl_proc srv table_full)" 0
drops=$(($(tl_backlog_drops) - drops0))
tl_log "$admitted of $STABLE SYNs counted in $(($(tl_ms) - start)) ms (backlog drops $drops)"
sysctl -qw net.core.netdev_max_backlog="$backlog0"
# Every SYN is counted but those a receive backlog dropped before the hooks
# (the drops also count srv's answers, so they bound the loss), and those
# are few: a limiter losing SYNs cannot hide behind them.
[ $((admitted + drops)) -ge "$STABLE" ] ||
	tl_fail "$admitted of $STABLE SYNs counted, only $drops backlog drops"
[ "$drops" -le $((STABLE / 100)) ] ||
	tl_fail "$drops backlog drops for $STABLE SYNs, want at most 1 %"
nlraw keys >"$TL_TMP/stable" || tl_fail "first dump"
stable=$(wc -l <"$TL_TMP/stable")
tl_eq "sources in the first dump" "$stable" "$(tl_proc srv sources)"
tl_log "$stable stable sources ($(($(tl_ms) - start)) ms)"
# Random addresses of a /10 repeat: about 0.6 % of 50000 (n / 2^23).
[ "$stable" -ge $((admitted * 97 / 100)) ] &&
	[ "$stable" -ge $((STABLE / 2)) ] ||
	tl_fail "only $stable distinct sources of $admitted SYNs counted"

# The churn: a burst of 2000 SYNs (their sources come and, RST by far,
# turn idle: half the buckets change), a pause, a flush (they go), a
# pause; until stopped. A dump takes a few seconds in the VM: some overlap
# a change (and without NLM_F_DUMP_INTR would miss or repeat sources where
# a part ended in a changed bucket), some do not.
cat >"$TL_TMP/churn.sh" <<EOF
while [ ! -e "$TL_TMP/stop" ]; do
	ip netns exec c1 "$TL_RAWTCP" syn 198.18.0.0/15 10.0.2.2 8000 2000 >/dev/null || exit 1
	sleep 1
	ip netns exec srv /usr/bin/python3 -S "$TL_DIR/nlraw.py" flush >>"$TL_TMP/flushed" || exit 1
	sleep 4
done
EOF
bash "$TL_TMP/churn.sh" &
churn=$!
TL_PIDS+=("$churn")
nlraw churn-dumps "$TL_TMP/stable" "$DUMPS" >"$TL_TMP/dumps" 2>&1
status=$?
touch "$TL_TMP/stop"
wait "$churn"
tl_eq "churn exit status" "$?" 0
sed 's/^# //' "$TL_TMP/dumps" | while read -r line; do tl_log "$line"; done
tl_eq "churn-dumps exit status" "$status" 0
tl_eq "complete dumps, bad ones" "$(grep '^complete ' "$TL_TMP/dumps" | cut -d' ' -f1-4)" \
	"complete $DUMPS bad 0"
flushed=$(awk '{ n += $2 } END { print n + 0 }' "$TL_TMP/flushed")
tl_log "churn: $(wc -l <"$TL_TMP/flushed") flushes, $flushed sources flushed"
[ "$flushed" -gt 0 ] || tl_fail "the churn flushed nothing"
tl_log "total $(($(tl_ms) - start)) ms"
tl_done
