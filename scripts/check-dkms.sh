#!/usr/bin/env bash
# DKMS builds the module for every kernel of the matrix, as a server with
# the tcplimit-dkms package would at each kernel upgrade: make dkms-src
# into /usr/src/tcplimit-VERSION, dkms add, dkms build -k for each kernel;
# each built module carries the version of version.h and the kernel's
# vermagic (6.12 compresses it: .ko.xz). The check's own DKMS version,
# VERSION-check, leaves a real tcplimit DKMS install alone; it and its
# source go afterwards, whatever happened.
# Runs on the host (building needs no VM); root, as dkms wants.
# Usage: check-dkms.sh [-s SRCDIR] [-o DIR] [KERNEL...]   (default: 6.1 6.12 6.12-rt)
#   -s SRCDIR  build this module source (a tcplimit-dkms package's
#              /usr/src/tcplimit-VERSION) instead of make dkms-src's
#   -o DIR     keep each built module as DIR/tcplimit-KERNEL.ko
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=scripts/kernels.sh
. "$here/kernels.sh"
src='' keep=''
while getopts s:o: opt; do
	case $opt in
	s) src=$OPTARG ;;
	o) keep=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- 6.1 6.12 6.12-rt

bad=0
fail() {
	echo "FAIL: $*"
	bad=1
}

ver=$(sed -n 's/^#define TCPLIMIT_VERSION\t*"\(.*\)"/\1/p' "$repo/version.h")
[ -n "$ver" ] || { echo "FAIL: no TCPLIMIT_VERSION in version.h"; exit 1; }
grep -qx "PACKAGE_VERSION=\"$ver\"" "$repo/dkms.conf" ||
	fail "dkms.conf's PACKAGE_VERSION is not version.h's $ver"
command -v dkms >/dev/null || { echo "FAIL: dkms missing (scripts/deps.sh installs it)"; exit 1; }

dver=$ver-check${src:+-src}
cleanup() {
	dkms remove -m tcplimit -v "$dver" --all >/dev/null 2>&1
	rm -rf "/usr/src/tcplimit-$dver"
}
cleanup	# what an interrupted run left
trap cleanup EXIT

if [ -n "$src" ]; then
	cp -r "$src" "/usr/src/tcplimit-$dver" || { echo "FAIL: copy $src"; exit 1; }
else
	make -s -C "$repo" dkms-src DKMS_SRC="/usr/src/tcplimit-$dver" ||
		{ echo "FAIL: make dkms-src"; exit 1; }
fi
sed -i "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$dver\"/" "/usr/src/tcplimit-$dver/dkms.conf"
if ! out=$(dkms add -m tcplimit -v "$dver" 2>&1); then
	echo "FAIL: dkms add: $out"
	exit 1
fi
for k in "$@"; do
	kver=$(tcplimit_kver "$k") || { fail "$k: no such kernel"; continue; }
	if ! out=$(dkms build -m tcplimit -v "$dver" -k "$kver" 2>&1); then
		fail "$k: dkms build -k $kver:"
		echo "$out" | tail -20 | sed 's/^/  /'
		continue
	fi
	ko=$(find "/var/lib/dkms/tcplimit/$dver/$kver" -name 'tcplimit.ko*' | head -1)
	if [ -z "$ko" ]; then
		fail "$k: dkms built no tcplimit.ko for $kver"
		continue
	fi
	got=$(modinfo -F version "$ko")
	[ "$got" == "$ver" ] || fail "$k: modinfo version '$got', want '$ver'"
	got=$(modinfo -F vermagic "$ko")
	[ "${got%% *}" == "$kver" ] || fail "$k: vermagic '$got', want $kver"
	[ -z "$keep" ] || xz -dc -f "$ko" >"$keep/tcplimit-$k.ko" ||
		fail "$k: cannot keep $ko in $keep"
	[ $bad -ne 0 ] || echo "ok: $k: dkms build for $kver: version $ver"
done
exit $bad
