#!/usr/bin/env bash
# The long fuzzing run (`make fuzz`): in one VM, selftests 27-nl-fuzz with
# COUNT requests as root and COUNT as an unprivileged user in its own user
# and network namespace (COUNT/10 more as nobody and from a user namespace
# without power over the target), and 32-pkt-fuzz with 4*COUNT/5 malformed
# frames at the gateway and COUNT/4 over lo. The kernel log is scanned
# after each test (selftests/run.sh) and after the VM (scripts/vm.sh).
# Usage: fuzz.sh [-c COUNT] [KERNEL]   (default 100000, 6.1; KERNEL may be
#        debug: the cached KASAN/lockdep kernel of scripts/debug-kernel.sh)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."

count=100000
while getopts c: opt; do
	case "$opt" in
	c) count=$OPTARG ;;
	*) echo "usage: fuzz.sh [-c COUNT] [KERNEL]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
kernel=${1:-6.1}
case "$count" in
'' | *[!0-9]*) echo "fuzz.sh: COUNT must be a number" >&2; exit 2 ;;
esac

mkdir -p build/logs
log=build/logs/fuzz-$kernel.log
make -s tool >"$log" 2>&1 && make -s -C selftests >>"$log" 2>&1 ||
	{ cat "$log" >&2; exit 1; }
ko=$(bash scripts/build-module.sh "$kernel" 2>>"$log") || { cat "$log" >&2; exit 1; }

start=$(date +%s)
# The verdict is for the tree as it is now, whatever is edited meanwhile;
# fewer requests than the default are not the job's verdict.
reduction=
[ "$count" -eq 100000 ] || reduction="-c $count"
TCPLIMIT_RESULT_KEY=$(bash scripts/results.sh key $reduction)
export TCPLIMIT_RESULT_KEY
status=0
TCPLIMIT_KO=$ko TCPLIMIT_KERNEL=$kernel TCPLIMIT_TEST_TIMEOUT=7200 \
	TCPLIMIT_FUZZ_COUNT=$count TCPLIMIT_FUZZ_LINK=$((count * 4 / 5)) TCPLIMIT_FUZZ_LOCAL=$((count / 4)) \
	bash scripts/vm.sh -t 9000 -l "build/logs/vm-fuzz-$kernel.log" "$kernel" \
	selftests/run.sh selftests/tests/27-nl-fuzz.sh selftests/tests/32-pkt-fuzz.sh |
	tee "build/logs/fuzz-$kernel.out" || status=$?
summary="$kernel, $count netlink requests per user, $((count * 4 / 5 + count / 4)) packets, $(($(date +%s) - start)) s"
echo "# fuzz: $summary"
ok=0
# A skipped fuzzer fuzzed nothing: not a pass.
[ "$status" -eq 0 ] && grep -q '^ok' "build/logs/fuzz-$kernel.out" &&
	! grep -q -e '^not ok' -e '# SKIP' "build/logs/fuzz-$kernel.out" || ok=1
# The verdict, for make check (scripts/results.sh).
{
	[ $ok -eq 0 ] && echo -n "ok" || echo -n "not ok"
	echo " - make fuzz: $summary ($(date -u +%F))"
} >"build/logs/fuzz-$kernel.result"
bash scripts/results.sh save "fuzz-$kernel" "build/logs/fuzz-$kernel.result"
exit $ok
