#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tcplimitctl under valgrind's memcheck for what runs without the module
# (help, usage errors, version, bad restore files, missing namespaces):
# no memory error and no leak of any kind. The commands that talk to the
# module are run the same way in the test VM (selftests 31-tool-valgrind).
# Usage: valgrind.sh [TCPLIMITCTL]     (make -C tools/tcplimitctl valgrind)
here=$(cd "$(dirname "$0")" && pwd)
ctl=${1:-$here/tcplimitctl}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'set-max 3\nset-rate 20/1x\n' >"$tmp/bad"
printf '# ok\ntcplimitctl set-max 3\n\nset-action reject rate conn # rejects\n' >"$tmp/good"

failed=0 n=0
run() {
	n=$((n + 1))
	valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
		--error-exitcode=99 --vgdb=no "$ctl" "$@" >/dev/null 2>"$tmp/err" </dev/null
	status=$?
	if [ "$status" -eq 99 ] || grep -q '^==[0-9]*==' "$tmp/err"; then
		echo "FAIL: tcplimitctl $*"
		cat "$tmp/err"
		failed=$((failed + 1))
	else
		echo "ok: tcplimitctl $* (exit status $status)"
	fi
}

run help
run --help
run show --help
run
run version
run -j -p version
run -j version extra
run no-such-command
run -x show
run --no-such-option show
run -n
run -n no-such-netns show
run -n bad/name show
run -j -n no-such-netns sources
run show extra
run set-max abc
run set-max 10000001
run set-rate 5
run set-rate 20/1s burst
run set-prefix v4 33
run set-action drop rate
run set-syn-timeout 1h30x
run set-mode nowhere
run set max
run set max 5 max 6
run set colour blue
run set max 5 rate 20/1x
run set max 5 rate 20/1s burst 4 prefix v4 24 action reject rate,conn
run sources top 0
run sources prefix 10.0.0.0/33
run sources prefix nonsense
run sources top 3 by nothing
run sources by conns
run flush now
run -j save
run -j metrics
run restore
run restore "$tmp/none"
run restore "$tmp/bad"
run restore "$tmp/good"
run restore - <"$tmp/bad"
run show
run -j show
run sources limited
run set-max 5
run allow 10.0.0.1/8
run allow fd00::/129
run allow
run disallow all extra
run allowlist extra
printf 'allow 10.0.0.0/8\ndisallow 10.0.0.1/8\n' >"$tmp/allow"
run restore "$tmp/allow"
run allow 10.0.0.0/8
run allowlist
run ban 10.0.0.1/8
run ban 10.0.0.0/8 for
run unban
run bans extra
run set ban-time 15m max 1h max 3
run set-ban-after 3/1x
run ban 10.0.0.0/8 for 1m
run bans
run monitor
run monitor extra
run set slow 100/10s abnormal-max 3 slow-action reset
run set-slow-action sometimes
printf 'set-max 3\nban 10.5.0.0/16 for 1m\n' >"$tmp/bans"
run restore "$tmp/bans"
run policy
run policy add
run policy frob 22
run policy add 0
run policy add 30-20
run policy add 22-x
run policy add 22 max
run policy add 22 frob 1
run policy add 22 max 3 max 4
run policy add 22 rate 10/1s burst
run policy add 22 rate off burst 4
run policy add 22 slow 100/1x
run policy del 22 max 3
run policy del all extra
run policy add 22 max 3 rate 10/1m burst 5 halfopen-max 4 slow 100/10s abnormal-max 2
run policy add 8000-8100
run policy del 22
run policy del all
run policies
run -j policies
run policies extra
printf 'set-max 3\npolicy del all\npolicy add 20-30 max 1\npolicy add 0\n' >"$tmp/policy-bad"
run restore "$tmp/policy-bad"
printf 'policy del all\npolicy add 20-30 max 1\npolicy add 25\npolicy del 40\n' >"$tmp/policy"
run restore "$tmp/policy"
echo "$n runs, $failed failed"
[ "$failed" -eq 0 ]
