#!/usr/bin/env bash
# Build tcplimit.ko for one kernel of the matrix in build/<kver>/, a copy of
# the sources, so several kernels never share objects with the in-tree build.
# Usage: build-module.sh [-u] KERNEL [make args...]  -> prints the .ko path
#   -u  the unit-test build (TCPLIMIT_SELFTEST=1: module/selftest/ runs at
#       load), in build/<kver>/unit/
set -euo pipefail

unit=
if [ "${1:-}" = -u ]; then
	unit=1
	shift
fi

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=scripts/kernels.sh
. "$here/kernels.sh"

kver=$(tcplimit_kver "$1")
kdir=$(tcplimit_kdir "$1")
shift
out="$repo/build/$kver${unit:+/unit}"
mkdir -p "$out"
rm -rf "$out/module" "$out/uapi"
cp -a "$repo/Kbuild" "$repo/version.h" "$out/"
cp -a "$repo/uapi" "$out/"
mkdir -p "$out/module"
cp -a "$repo"/module/{Kbuild,*.mk,*.c,*.h,selftest} "$out/module/"
rm -f "$out"/module/*.mod.c
# Both cores: make check builds six modules before its last VM starts.
make -s -j"$(nproc)" -C "$kdir" M="$out" ${unit:+TCPLIMIT_SELFTEST=1} "$@" modules >&2
echo "$out/module/tcplimit.ko"
