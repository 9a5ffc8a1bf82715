#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A caller without CAP_NET_ADMIN cannot change the configuration nor read
# per-source data; it can read the configuration and totals.
. "$(dirname "$0")/../lib.sh"

command -v setpriv >/dev/null || tl_skip "setpriv (util-linux) not installed"
tl_topology
tl_load
tl_server srv 10.0.1.1 8000
tl_ctl srv set-max 5 || tl_fail "set-max 5"
tl_hold pid c1 10.0.1.1 8000 2
tl_eq "client" "$TL_HELD" "established 2 failed 0"

nobody() {
	ip netns exec srv setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all "$@"
}

err=$(nobody "$TL_CTL" set-max 9 2>&1)
tl_eq "unprivileged set-max exit status" "$?" 1
tl_eq "unprivileged set-max message" "$err" \
	"tcplimitctl: set-max: permission denied (needs CAP_NET_ADMIN)"
tl_eq "max after unprivileged set-max" "$(tl_proc srv max)" 5

out=$(nobody "$TL_CTL" show 2>"$TL_TMP/err")
tl_eq "unprivileged show exit status" "$?" 0
grep -q '^  max: 5$' <<<"$out" || tl_fail "unprivileged show lacks 'max: 5': $out"
grep -q '^source' <<<"$out" && tl_fail "unprivileged show lists sources: $out"
tl_log "  $(cat "$TL_TMP/err")"

proc=$(nobody cat /proc/net/tcplimit)
grep -q '^conns 2$' <<<"$proc" || tl_fail "unprivileged /proc lacks 'conns 2': $proc"
grep -q '^10\.0\.1\.2' <<<"$proc" && tl_fail "unprivileged /proc shows a source address"
tl_eq "root sees the source" "$(tl_source_conns srv 10.0.1.2/32)" 2
tl_release "$pid"
tl_done
