#!/usr/bin/env bash
# Results of the long jobs (make check-debug, make stress, make fuzz), kept
# outside the repo so that `make check` can report them without running
# them again: ${TCPLIMIT_CACHE:-/var/cache/tcplimit}/results/NAME-KEY.
# KEY hashes every tracked file the module, the tools and the tests are
# made of (working copy contents, so an uncommitted change counts) and the
# machine they ran on: the kernels of the matrix and the debug kernel,
# compiler, qemu, and the Debian tools the tests drive. A result for
# another key is never shown. A long job takes its key when it starts
# (TCPLIMIT_RESULT_KEY=$(results.sh key ...)): its verdict is saved for the
# tree it ran, not for one edited while it ran. Only a full run is saved:
# a job given smaller parameters, or run with any TCPLIMIT_* override in
# its environment, gets the key "reduced" and save keeps nothing.
#   results.sh key [REDUCTION]   print KEY ("reduced" when REDUCTION is
#                                given or an override is set)
#   results.sh save NAME FILE    keep FILE as NAME's result for that key
#   results.sh show NAME         print it; exit 1 when there is none
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
dir=${TCPLIMIT_CACHE:-/var/cache/tcplimit}/results

fingerprint() {
	local alias

	git ls-files -z Kbuild Makefile version.h dkms.conf module uapi tools selftests scripts |
		xargs -0 sha256sum
	# shellcheck source=scripts/kernels.sh
	. "$here/kernels.sh"
	for alias in 6.1 6.12 6.12-rt; do
		echo "kernel $alias $(tcplimit_kver "$alias" 2>/dev/null || echo none)"
	done
	echo "debug kernel $(bash "$here/debug-kernel.sh" --cached 2>/dev/null || echo none)"
	echo "gcc $(gcc -dumpfullversion 2>/dev/null || echo none)"
	echo "$(qemu-system-x86_64 --version 2>/dev/null | head -1 || echo qemu none)"
	dpkg-query -W python3-scapy nftables iproute2 valgrind busybox-static 2>/dev/null || true
}

# The TCPLIMIT_* variables a caller set that change what a job does.
overrides() {
	env | grep -E '^TCPLIMIT_' | grep -vE '^TCPLIMIT_(CACHE|RESULT_KEY)=' || true
}

key() {
	fingerprint | sha256sum | cut -c1-16
}

case "${1:-}" in
key)
	if [ $# -gt 1 ] || [ -n "$(overrides)" ]; then
		echo "reduced"
	else
		key
	fi
	;;
save)
	[ $# -eq 3 ] || { echo "usage: results.sh save NAME FILE" >&2; exit 2; }
	k=${TCPLIMIT_RESULT_KEY:-$(bash "$0" key)}
	if [ "$k" = reduced ]; then
		echo "results: $2 not kept (a reduced run:$(overrides | cut -d= -f1 | tr '\n' ' ' | sed 's/^/ /;s/ $//'))" >&2
		exit 0
	fi
	mkdir -p "$dir"
	f=$dir/$2-$k
	cp "$3" "$f.tmp" && mv "$f.tmp" "$f"
	;;
show)
	[ $# -eq 2 ] || { echo "usage: results.sh show NAME" >&2; exit 2; }
	f=$dir/$2-$(key)
	[ -r "$f" ] || exit 1
	cat "$f"
	;;
*) echo "usage: results.sh key [REDUCTION] | save NAME FILE | show NAME" >&2; exit 2 ;;
esac
