#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Two network namespaces keep separate configurations and counts, and the
# initial namespace's limiter is untouched.
. "$(dirname "$0")/../lib.sh"

tl_ns srva ca srvb cb
tl_link srva ca "10.0.1.1/24" "10.0.1.2/24"
tl_link srvb cb "10.0.1.1/24" "10.0.1.2/24"
tl_load
tl_server srva 10.0.1.1 8000
tl_server srvb 10.0.1.1 8000
tl_ctl srva set-max 3 || tl_fail "set-max 3 in srva"
tl_ctl srvb set-max 7 || tl_fail "set-max 7 in srvb"

tl_eq "max in srva" "$(tl_proc srva max)" 3
tl_eq "max in srvb" "$(tl_proc srvb max)" 7
tl_eq "max in the initial namespace" "$(awk '$1 == "max" { print $2 }' /proc/net/tcplimit)" 0

tl_hold a ca 10.0.1.1 8000 10
tl_eq "client of srva" "$TL_HELD" "established 3 failed 7"
tl_hold b cb 10.0.1.1 8000 10
tl_eq "client of srvb" "$TL_HELD" "established 7 failed 3"
tl_eq "srva source (same address as srvb's)" "$(tl_source_conns srva 10.0.1.2/32)" 3
tl_eq "srvb source" "$(tl_source_conns srvb 10.0.1.2/32)" 7
tl_eq "conns in the initial namespace" "$(awk '$1 == "conns" { print $2 }' /proc/net/tcplimit)" 0

tl_release "$a"
tl_conns_settle srva 0
tl_eq "srvb keeps its count" "$(tl_proc srvb conns)" 7
tl_release "$b"
tl_conns_settle srvb 0
tl_done
