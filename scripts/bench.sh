#!/usr/bin/env bash
# make bench: build the module for KERNEL, boot one VM (TCG, 2 vCPUs) that
# runs bench/run.sh, then write the report (bench/report.py): the table
# and its plots into OUTDIR (bench/ by default: a full run's results are
# committed, with the figures they come from, raw.txt), the VM's log into
# build/bench/.
# The guest keeps the kernel's allocator settings (vm.sh poisons
# tcplimit's caches for tests): what users run is measured.
# Nothing else should run on the machine meanwhile: the figures are
# ratios, but a neighbour's load still widens their spread.
# Usage: bench.sh [-r ROUNDS] [-s SECONDS] [-n SOURCES] [-o OUTDIR] [KERNEL]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cd "$repo"
# shellcheck source=scripts/kernels.sh
. "$here/kernels.sh"

rounds=7 secs=2 sources=100000 outdir=$repo/bench
usage="usage: bench.sh [-r ROUNDS] [-s SECONDS] [-n SOURCES] [-o OUTDIR] [KERNEL]"
while getopts r:s:n:o: opt; do
	case "$opt" in
	r) rounds=$OPTARG ;;
	s) secs=$OPTARG ;;
	n) sources=$OPTARG ;;
	o) outdir=$OPTARG ;;
	*) echo "$usage" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
kernel=${1:-6.1}
for n in "$rounds" "$secs" "$sources"; do
	if [[ ! "$n" =~ ^[1-9][0-9]*$ ]]; then
		echo "$usage" >&2
		exit 2
	fi
done
# tl-1k's table gets a hundredth of SOURCES.
[ "$sources" -ge 100 ] || { echo "bench.sh: SOURCES must be 100 or more" >&2; exit 2; }

work=$repo/build/bench
mkdir -p "$work"
make -s -C tools/tcplimitctl
make -s -C selftests
make -s -C bench
ko=$(bash "$here/build-module.sh" "$kernel" 2>"$work/build.log") ||
	{ cat "$work/build.log" >&2; exit 1; }
start=$(date +%s)
# 44 figures a round, each SECONDS and about 2 s more; the set-up, the
# fills and the dumps take about 5 minutes more.
status=0
TCPLIMIT_VM_ALLOC=default TCPLIMIT_KO=$ko bash "$here/vm.sh" -m 2048 -t $((600 + rounds * 44 * (secs + 3))) \
	-l "$work/vm.log" "$kernel" bench/run.sh "$rounds" "$secs" "$sources" \
	>"$work/raw.txt" || status=$?
grep -v '^bench: ' "$work/raw.txt" >&2 || true
if [ "$status" -ne 0 ]; then
	echo "bench: the run failed (status $status); log: $work/vm.log" >&2
	exit 1
fi
mkdir -p "$outdir"
grep '^bench' "$work/raw.txt" >"$outdir/raw.txt"
echo "bench-info: the VM ran $(($(date +%s) - start)) s" >>"$outdir/raw.txt"
python3 bench/report.py "$outdir/raw.txt" "$outdir" "$(tcplimit_kver "$kernel")"
echo "bench: $(($(date +%s) - start)) s; raw figures in $work/raw.txt"
