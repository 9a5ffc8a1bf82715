#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module DKMS built from the tcplimit-dkms package (scripts/check-deb.sh,
# passed as TCPLIMIT_DEB_KO) is the one a server installing the packages
# runs: it loads, modinfo gives version.h's version and this kernel's
# vermagic, and it enforces a cap exactly (3 of 6 connections, the server's
# sockets agreeing), then unloads cleanly.
. "$(dirname "$0")/../lib.sh"

ko=${TCPLIMIT_DEB_KO:-}
[ -n "$ko" ] && [ -f "$ko" ] ||
	tl_skip "no module built by DKMS from the package (TCPLIMIT_DEB_KO: scripts/check-deb.sh)"
TL_KO=$ko
ver=$(sed -n 's/^#define TCPLIMIT_VERSION\t*"\(.*\)"/\1/p' "$TL_REPO/version.h")
tl_eq "modinfo version" "$(modinfo -F version "$ko")" "$ver"
tl_eq "vermagic" "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" "$(uname -r)"

tl_topology
tl_load
tl_server srv 10.0.1.1 8000
tl_ctl srv set-max 3 || tl_fail "set-max 3"
tl_hold h c1 10.0.1.1 8000 6
tl_eq "client of 6 under max 3" "$TL_HELD" "established 3 failed 3"
tl_eq "server sockets" "$(tl_established srv 8000)" 3
tl_eq "conns of 10.0.1.2/32" "$(tl_source_conns srv 10.0.1.2/32)" 3
tl_release "$h"
tl_done
