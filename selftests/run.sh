#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the selftests inside the test VM (as root) and print KTAP. Each test
# starts with an empty kernel log; after it the log is scanned for splats and
# the module must be unloaded, whatever the test did.
# Usage: selftests/run.sh [TEST...]   (default: every selftests/tests/*.sh)
# Environment: TCPLIMIT_KO the module to load, TCPLIMIT_TEST_TIMEOUT seconds per
# test (default 600: three guests on two cores run a test up to 5 times
# slower than one alone; 31-tool-valgrind took 220 s there).

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
timeout_s=${TCPLIMIT_TEST_TIMEOUT:-600}

if [ $# -eq 0 ]; then
	set -- "$here"/tests/[0-9]*.sh
fi

# The reporter make check uses (scripts/ktap.sh); skips stay skips here.
. "$repo/scripts/ktap.sh"
ktap_skip_passes=1

echo "TAP version 13"
# A caller that reports more results after these (check-debug's leak
# check) counts them in the plan: TCPLIMIT_PLAN_EXTRA.
echo "1..$(($# + ${TCPLIMIT_PLAN_EXTRA:-0}))"
dmesg -C	# the boot's lines are scanned by scripts/vm.sh
for test in "$@"; do
	name=$(basename "$test" .sh)
	log=$(mktemp /tmp/selftest.XXXXXX)
	start=$(date +%s)
	: >"$log.dmesg"
	timeout -k 5 "$timeout_s" bash "$test" >"$log" 2>&1
	status=$?
	[ $status -eq 124 ] && echo "# timed out after $timeout_s s" >>"$log"
	pkill -KILL -f "$here/tcpconn" 2>/dev/null
	if grep -q '^tcplimit ' /proc/modules; then
		echo "# module left loaded; unloading" >>"$log"
		rmmod tcplimit >>"$log" 2>&1
		[ $status -eq 0 ] && status=1
	fi
	# Read and clear in one step: what is logged between two tests is
	# scanned with the next one, never lost.
	dmesg -c >>"$log.dmesg"
	if ! bash "$repo/scripts/scan-log.sh" "$log.dmesg" >>"$log" 2>&1; then
		[ $status -eq 0 ] || [ $status -eq 4 ] && status=1
	fi
	sed -e 's/^# //' -e 's/^/# /' "$log"
	echo "# $name: $(($(date +%s) - start)) s"
	result "$status" "$name"
	rm -f "$log" "$log.dmesg"
done
[ $failed -eq 0 ]
