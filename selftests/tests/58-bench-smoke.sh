#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench, one short round, so that it cannot rot: bench/run.sh (every
# configuration set up, its filter seeing the traffic, no connection
# failing, 10, 1000 and 10000 sources in the scale's tables, the flood's
# table within its size), then bench/report.py gives a ratio for each of
# the 7 configurations and 4 workloads, the scale's, the flood's, the
# dump's and the gateway's, the control plane's times, the targets and
# the plots. The
# figures of a 1 s round mean nothing and are not judged.
. "$(dirname "$0")/../lib.sh"

for tool in nginx wrk iperf3 iptables gnuplot; do
	command -v $tool >/dev/null || tl_skip "$tool missing (scripts/deps.sh installs it)"
done
bash "$TL_REPO/bench/run.sh" 1 1 1000 >"$TL_TMP/raw" 2>"$TL_TMP/err"
status=$?
sed 's/^/  /' "$TL_TMP/raw" "$TL_TMP/err"
tl_eq "bench/run.sh exit status" "$status" 0
tl_eq "figures" "$(grep -c '^bench: 1 ' "$TL_TMP/raw")" 44
tl_eq "control plane lines" "$(grep -cE '^bench-dump: tl-(100k 1[0-9]{3}|1m 1[0-9]{4}) [0-9]+ [0-9]+$' \
	"$TL_TMP/raw")" 2
tl_eq "profiles with samples" "$(grep -cE '^bench-profile: [a-z0-9-]+ [a-z0-9]+ samples [1-9]' \
	"$TL_TMP/raw")" 5
tl_eq "tcplimit's hook sampled" "$(grep -cE \
	'^bench-profile: (tcplimit|tl-1m|gw-tcplimit) connect1 entry [0-9.]+ tcplimit_hook4$|^bench-profile: tl-flood flood entry [0-9.]+ tcplimit_hook4$' \
	"$TL_TMP/raw")" 4
tl_eq "conntrack sampled on the routers" "$(grep -cE \
	'^bench-profile: gw-(tcplimit|ct-count) connect1 entry [0-9.]+ nf_conntrack_in$' "$TL_TMP/raw")" 2
/usr/bin/python3 "$TL_REPO/bench/report.py" "$TL_TMP/raw" "$TL_TMP/report" "$(uname -r)" \
	>"$TL_TMP/report.out" 2>&1 || tl_fail "report.py: $(cat "$TL_TMP/report.out")"
tl_eq "table rows" "$(grep -cE '^\| [a-z0-9-]+ \| (connect[12]|bulk|http|dump|flood) \| [0-9]+\.[0-9]{3} \|' \
	"$TL_TMP/report/results.md")" 39
tl_eq "profile rows" "$(grep -cE '^\| [a-z0-9-]+ \| (connect1|flood) \| [1-9][0-9]* \| ' \
	"$TL_TMP/report/results.md")" 5
tl_eq "targets judged" "$(grep -cE '^- (met|\*\*missed\*\*): ' "$TL_TMP/report/results.md")" 18
for plot in connect scale; do
	tl_eq "$plot.png is a PNG" "$(head -c 4 "$TL_TMP/report/$plot.png" | tail -c 3)" PNG
done
tl_done
