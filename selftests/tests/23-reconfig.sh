#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Changing the configuration keeps every count and entry: raising limits,
# adding new ones and re-setting the prefix leave 4 counted connections
# counted; lowering the cap below them closes nothing and refuses new SYNs.
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_load
tl_server srv 10.0.1.1 8000
tl_ctl srv set-max 5 || tl_fail "set-max 5"
tl_hold pid c1 10.0.1.1 8000 4
tl_eq "4 held" "$TL_HELD" "established 4 failed 0"
tl_eq "conns" "$(tl_proc srv conns)" 4

# check_counts WHEN: the 4 connections still counted, in total and by source.
check_counts() {
	tl_eq "conns after $1" "$(tl_proc srv conns)" 4
	tl_eq "conns of 10.0.1.2/32 after $1" "$(tl_source_conns srv 10.0.1.2/32)" 4
	tl_eq "sources after $1" "$(tl_proc srv sources)" 1
}

tl_ctl srv set-max 10 || tl_fail "set-max 10"
check_counts "set-max 10"
tl_ctl srv set-rate 100/1s || tl_fail "set-rate 100/1s"
check_counts "set-rate 100/1s"
tl_ctl srv set-halfopen-max 50 || tl_fail "set-halfopen-max 50"
check_counts "set-halfopen-max 50"
tl_ctl srv set-syn-timeout 30s || tl_fail "set-syn-timeout 30s"
check_counts "set-syn-timeout 30s"
tl_ctl srv set-prefix v4 32 || tl_fail "set-prefix v4 32"
check_counts "set-prefix v4 32"
tl_eq "max in /proc" "$(tl_proc srv max)" 10
tl_eq "rate in /proc" "$(tl_proc srv rate)" 100
tl_eq "rate_period_ms in /proc" "$(tl_proc srv rate_period_ms)" 1000
tl_eq "halfopen_max in /proc" "$(tl_proc srv halfopen_max)" 50
tl_eq "syn_timeout_ms in /proc" "$(tl_proc srv syn_timeout_ms)" 30000
tl_eq "prefix4 in /proc" "$(tl_proc srv prefix4)" 32

tl_ctl srv set-max 3 || tl_fail "set-max 3"
tl_eq "a new connection over the lowered cap" "$(tl_connect c1 10.0.1.1 8000 1 1500)" \
	"established 0 failed 1"
check_counts "set-max 3"
tl_eq "server sockets, none closed" "$(tl_established srv 8000)" 4
tl_release "$pid"
tl_conns_settle srv 0
tl_eq "the lowered cap, from 0" "$(tl_connect c1 10.0.1.1 8000 5 1500)" "established 3 failed 2"
tl_conns_settle srv 0
[ "$tl_failures" -eq 0 ] || tl_dump srv
tl_done
