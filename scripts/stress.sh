#!/usr/bin/env bash
# The stress run (`make stress`): one VM, for DURATION seconds at once:
# legitimate clients, a spoofed SYN flood with malformed packets, slow
# clients holding connections, configuration churn over every knob,
# namespaces with their own limiter created and destroyed under held
# connections, and module reloads under load (selftests/stress/run.sh).
# Then every count must be back to 0, the slab caches gone after rmmod,
# no kmemleak report (debug kernel) and no splat in the serial log.
# Prints figures and "stress: PASS" or "stress: FAIL".
# Usage: stress.sh [-d DURATION_S] [KERNEL]   (default 600 s, 6.1)
#   TCPLIMIT_KO: a module already built for KERNEL (else it is built)
#   KERNEL: 6.1, 6.12, 6.12-rt, debug (scripts/debug-kernel.sh)
#   exit: 0 pass, 1 fail, 124 the VM died or hung, 125 kernel splat
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cd "$repo" || exit 1

duration=600
while getopts d: opt; do
	case "$opt" in
	d) duration=$OPTARG ;;
	*) echo "usage: stress.sh [-d DURATION_S] [KERNEL]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
kernel=${1:-6.1}
case "$duration" in
'' | *[!0-9]*) echo "stress.sh: DURATION must be a number of seconds" >&2; exit 2 ;;
esac
[ "$duration" -ge 10 ] || { echo "stress.sh: DURATION must be at least 10 s" >&2; exit 2; }

mkdir -p build/logs
# The verdict is for the tree as it is now, whatever is edited meanwhile;
# a shorter run than the default is not the job's verdict.
reduction=
[ "$duration" -eq 600 ] || reduction="-d $duration"
TCPLIMIT_RESULT_KEY=$(bash scripts/results.sh key $reduction)
export TCPLIMIT_RESULT_KEY
make -s tool >build/logs/stress-build.log 2>&1 &&
	make -s -C selftests >>build/logs/stress-build.log 2>&1 ||
	{ cat build/logs/stress-build.log >&2; echo "stress: FAIL (build)"; exit 1; }
# make check passes the module it built (a rebuild would pull it from
# under the VMs running it).
ko=${TCPLIMIT_KO:-}
[ -n "$ko" ] || ko=$(bash scripts/build-module.sh "$kernel" 2>>build/logs/stress-build.log) ||
	{ cat build/logs/stress-build.log >&2; echo "stress: FAIL (module build)"; exit 1; }

log=build/logs/stress-$kernel-$(date +%Y%m%d-%H%M%S).log
echo "stress: $duration s on $kernel, serial log $log"
# Setup, the final settling and the leak scans take minutes under TCG.
out=build/logs/stress-$kernel.out
TCPLIMIT_KO=$ko bash scripts/vm.sh -t $((duration + 900)) -l "$log" "$kernel" \
	bash selftests/stress/run.sh "$duration" | tee "$out"
status=${PIPESTATUS[0]}
case $status in
0) ;;
124) echo "stress: FAIL (the VM hung, panicked or timed out; see $log)" | tee -a "$out" ;;
125) echo "stress: FAIL (kernel splat in the serial log: $log)" | tee -a "$out" ;;
*) ;;	# the guest printed its own verdict
esac
# The figures and the verdict, for make check (scripts/results.sh keeps
# only a full run of a module built here: TCPLIMIT_KO makes it reduced).
{
	grep '^stress: ' "$out" | grep -v ': PASS$\|: FAIL' | sed 's/^/# /'
	[ $status -eq 0 ] && echo -n "ok" || echo -n "not ok"
	echo " - make stress: $duration s on $kernel ($(date -u +%F))"
} >"$out.result"
bash scripts/results.sh save "stress-$kernel" "$out.result"
exit $status
