#!/usr/bin/env bash
# What `make check-debug` runs once the dependencies are installed: build (or
# reuse) the debug kernel (scripts/debug-kernel.sh: KASAN, UBSAN, lockdep,
# kmemleak, debug objects), build the module and the test helpers against
# it, and run the selftests in one VM. After the last test the module is
# unloaded and kmemleak scans twice: any leak it reports is a failure, as is
# any splat in the kernel log. Prints KTAP; the very last line is
# "N passed, N failed" (a skip counts as a failure), as `make check`.
# The verdict of a full run is kept for make check (scripts/results.sh).
# The bulk tests send less under this kernel (several times slower than
# Debian's under TCG): 2000 fuzzed netlink requests per user, 25000
# malformed packets, a dump of 10000 sources under churn; make fuzz
# KERNEL=debug sends the full amounts.
# Usage: check-debug.sh [TEST...]   (test names without .sh; default all)
#        check-debug.sh --guest [TEST...]   the part that runs in the VM
# Environment: TCPLIMIT_TEST_TIMEOUT per test (default 900 s),
#              TCPLIMIT_DEBUG_VM_TIMEOUT for the whole VM (default 10800 s).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cd "$repo" || exit 1

# The guest side: selftests/run.sh, then the leak check, as KTAP lines.
guest() {
	local kl=/sys/kernel/debug/kmemleak status leaks list=("$@")

	echo "# boot: $(cut -d' ' -f1 /proc/uptime) s from kernel start to the tests"
	mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
	# Whatever the boot itself left unreferenced is not the module's: report
	# it for the record and mark it seen ("clear") before the first test.
	if echo scan 2>/dev/null >"$kl"; then
		leaks=$(grep -c '^unreferenced object' "$kl")
		if [ "$leaks" -ne 0 ]; then
			echo "# kmemleak: $leaks object(s) unreferenced at boot, not counted:"
			sed 's/^/#   /' "$kl"
		fi
		echo clear >"$kl"
	fi

	if [ ${#list[@]} -eq 0 ]; then
		list=(selftests/tests/[0-9]*.sh)
	else
		list=("${list[@]/#/selftests/tests/}")
		list=("${list[@]/%/.sh}")
	fi
	TCPLIMIT_PLAN_EXTRA=1 bash selftests/run.sh "${list[@]}"
	status=$?

	# The leak check: the module gone, two scans (an object counts as a leak
	# once it is older than 5 s and no pointer to it was found).
	grep -q '^tcplimit ' /proc/modules && rmmod tcplimit
	if ! echo scan 2>/dev/null >"$kl"; then
		echo "# kmemleak is not available or disabled itself (see dmesg)"
		echo "not ok $((${#list[@]} + 1)) - kmemleak: no leak after the selftests"
		return 1
	fi
	sleep 6
	echo scan >"$kl"
	if grep -q . "$kl"; then
		sed 's/^/# /' "$kl"
		echo "not ok $((${#list[@]} + 1)) - kmemleak: no leak after the selftests"
		return 1
	fi
	echo "ok $((${#list[@]} + 1)) - kmemleak: no leak after the selftests"
	return $status
}

if [ "${1:-}" = --guest ]; then
	shift
	guest "$@"
	exit
fi

logdir="$repo/build/logs"
mkdir -p "$logdir"
# shellcheck source=scripts/ktap.sh
. "$here/ktap.sh"

finish() {
	ktap_finish
	# The verdict, for make check (results.sh keeps only a full run's).
	{
		[ $failed -eq 0 ] && echo -n "ok" || echo -n "not ok"
		echo " - make check-debug: $ktap_summary ($(date -u +%F), $(($(date +%s) - start)) s)"
	} >"$logdir/check-debug.result"
	bash "$here/results.sh" save check-debug "$logdir/check-debug.result"
	[ $failed -eq 0 ]
	exit
}

tests_asked="$*"
start=$(date +%s)
# A run of some tests only is never the job's verdict, even if it stops early.
if [ -n "$tests_asked" ]; then
	TCPLIMIT_RESULT_KEY=reduced
	export TCPLIMIT_RESULT_KEY
fi
echo "TAP version 13"
if cached=$(bash "$here/debug-kernel.sh" --cached); then
	result 0 "debug kernel cached: $cached"
elif echo "# building the debug kernel (about 50 minutes; log: $logdir/debug-kernel.log)" &&
	bash "$here/debug-kernel.sh" >"$logdir/debug-kernel.log" 2>&1; then
	result 0 "debug kernel built in $(($(date +%s) - start)) s"
else
	result 1 "debug kernel builds" "$logdir/debug-kernel.log"
	finish
fi
# The verdict is for the tree as it is now (the debug kernel
# in the key is the one just built), whatever is edited meanwhile;
# a run of some tests only is not the job's verdict.
[ -n "$tests_asked" ] || TCPLIMIT_RESULT_KEY=$(bash "$here/results.sh" key)
export TCPLIMIT_RESULT_KEY
clean_build "tcplimitctl builds with -Wall -Wextra -Werror" "$logdir/build-tool.log" \
	make -C tools/tcplimitctl
clean_build "selftest helpers build" "$logdir/build-selftests.log" make -C selftests
clean_build "the benchmark's helper builds" "$logdir/build-bench.log" make -C bench

k=debug
ko=$(bash "$here/build-module.sh" $k W=1 2>"$logdir/build-$k.log")
status=$?
if [ $status -ne 0 ] || grep -qE 'warning:|error:' "$logdir/build-$k.log"; then
	result 1 "$k: module builds clean (W=1)" "$logdir/build-$k.log"
	finish
fi
result 0 "$k: module builds clean (W=1)"
unit_ko=$(bash "$here/build-module.sh" -u $k W=1 2>"$logdir/build-unit-$k.log")
status=$?
if [ $status -ne 0 ] || grep -qE 'warning:|error:' "$logdir/build-unit-$k.log"; then
	result 1 "$k: unit-test build is clean (W=1)" "$logdir/build-unit-$k.log"
	finish
fi
result 0 "$k: unit-test build is clean (W=1)"

out="$logdir/selftests-$k.out"
vmstart=$(date +%s)
TCPLIMIT_KO=$ko TCPLIMIT_UNIT_KO=$unit_ko TCPLIMIT_KERNEL=$k TCPLIMIT_TEST_TIMEOUT=${TCPLIMIT_TEST_TIMEOUT:-900} \
	TCPLIMIT_FUZZ_COUNT=${TCPLIMIT_FUZZ_COUNT:-2000} TCPLIMIT_FUZZ_LINK=${TCPLIMIT_FUZZ_LINK:-20000} \
	TCPLIMIT_FUZZ_LOCAL=${TCPLIMIT_FUZZ_LOCAL:-5000} \
	TCPLIMIT_CHURN_SOURCES=${TCPLIMIT_CHURN_SOURCES:-10000} \
	bash "$here/vm.sh" -t "${TCPLIMIT_DEBUG_VM_TIMEOUT:-10800}" -l "$logdir/vm-$k.log" \
	$k bash scripts/check-debug.sh --guest "$@" >"$out" 2>"$out.err"
status=$?
guest_results "$k" "$out" "$status" "$logdir/vm-$k.log"
echo "# $k: VM $(($(date +%s) - vmstart)) s, all $(($(date +%s) - start)) s"
finish
