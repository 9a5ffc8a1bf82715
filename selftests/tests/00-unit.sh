#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module's unit tests (module/selftest/: the GCRA rate at its
# boundaries and overflow cap, source prefixes of every length, the top-K
# heap for every K, the allowlist's search against a brute force, the
# port-range policies' against a scan) run when the unit-test build loads
# (scripts/build-module.sh -u, passed as TCPLIMIT_UNIT_KO): the load must
# succeed and each unit report all its checks passed. Any failed check
# fails the load itself.
. "$(dirname "$0")/../lib.sh"

ko=${TCPLIMIT_UNIT_KO:-}
[ -n "$ko" ] && [ -r "$ko" ] ||
	tl_skip "no unit-test build (TCPLIMIT_UNIT_KO: scripts/build-module.sh -u KERNEL)"
insmod "$ko" || tl_fail "insmod of the unit-test build failed"
for unit in rate prefix topk allowlist policy; do
	line=$(dmesg | grep -o "tcplimit: selftest $unit: .*" | tail -1)
	case "$line" in
	*": "[1-9]*" checks passed") tl_log "$line" ;;
	*) tl_fail "unit $unit: ${line:-no report}" ;;
	esac
done
dmesg | grep "tcplimit: selftest .*FAIL" | while read -r line; do tl_log "$line"; done
tl_loaded && tl_unload
tl_done
