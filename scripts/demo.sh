#!/usr/bin/env bash
# What `make demo` runs once the dependencies are installed: build, boot
# Debian's 6.1 kernel in a VM and run selftests/demo.sh there.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cd "$repo"
kernel=${TCPLIMIT_DEMO_KERNEL:-6.1}

make -s -C tools/tcplimitctl
make -s -C selftests
ko=$(bash "$here/build-module.sh" "$kernel" 2> >(grep -v 'Skipping BTF' >&2))
echo "demo: booting $kernel in a VM (qemu TCG, about 10 s)..."
TCPLIMIT_KO=$ko TCPLIMIT_KERNEL=$kernel exec bash "$here/vm.sh" -t 600 "$kernel" selftests/demo.sh
