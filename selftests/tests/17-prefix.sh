#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Sources grouped by prefix: with set-prefix v4 24 two client addresses of
# one /24 share one cap of 4; IPv6 groups by /64 by default. After
# set-prefix v6 128 new connections get per-address sources while the
# existing ones stay counted on their /64 entry until they close.
. "$(dirname "$0")/../lib.sh"

tl_topology
ip -n c1 addr add 10.0.1.3/24 dev to-srv || exit 1
ip -n c1 addr add fd00:1::3/64 dev to-srv nodad || exit 1
tl_load
tl_server srv :: 8000
tl_eq "prefix4 default" "$(tl_proc srv prefix4)" 32
tl_eq "prefix6 default" "$(tl_proc srv prefix6)" 64
tl_ctl srv set-prefix v4 24 || tl_fail "set-prefix v4 24"
tl_ctl srv set-max 4 || tl_fail "set-max 4"
tl_eq "prefix4" "$(tl_proc srv prefix4)" 24
tl_eq "prefix6 unchanged" "$(tl_proc srv prefix6)" 64

tl_hold_args a c1 -b 10.0.1.2 10.0.1.1 8000 3 3000
tl_eq "3 from 10.0.1.2" "$TL_HELD" "established 3 failed 0"
tl_hold_args b c1 -b 10.0.1.3 10.0.1.1 8000 3 3000
tl_eq "3 from 10.0.1.3" "$TL_HELD" "established 1 failed 2"
tl_eq "conns of 10.0.1.0/24" "$(tl_source_conns srv 10.0.1.0/24)" 4
tl_eq "row of 10.0.1.2/32" "$(tl_source_conns srv 10.0.1.2/32)" ""
tl_eq "show conns of 10.0.1.0/24" "$(tl_show_source srv 10.0.1.0/24)" 4
tl_eq "/proc sources" "$(tl_proc srv sources)" 1

# IPv6, default /64: fd00:1::2 and fd00:1::3 are one source.
tl_hold_args c c1 -b fd00:1::2 fd00:1::1 8000 3 3000
tl_eq "3 from fd00:1::2" "$TL_HELD" "established 3 failed 0"
tl_hold_args d c1 -b fd00:1::3 fd00:1::1 8000 3 3000
tl_eq "3 from fd00:1::3" "$TL_HELD" "established 1 failed 2"
tl_eq "conns of fd00:1::/64" "$(tl_source_conns srv fd00:1::/64)" 4
tl_eq "show conns of fd00:1::/64" "$(tl_show_source srv fd00:1::/64)" 4
tl_eq "/proc sources with IPv6" "$(tl_proc srv sources)" 2
tl_eq "/proc conns with IPv6" "$(tl_proc srv conns)" 8

# /128 from now on: fd00:1::2 is a new source with its own cap of 4; the
# connections already counted stay on fd00:1::/64.
tl_ctl srv set-prefix v6 128 || tl_fail "set-prefix v6 128"
tl_eq "prefix6" "$(tl_proc srv prefix6)" 128
tl_eq "prefix4 unchanged" "$(tl_proc srv prefix4)" 24
tl_eq "fd00:1::/64 keeps its count" "$(tl_source_conns srv fd00:1::/64)" 4
tl_hold_args e c1 -b fd00:1::2 fd00:1::1 8000 5 3000
tl_eq "5 from fd00:1::2 after set-prefix v6 128" "$TL_HELD" "established 4 failed 1"
tl_eq "conns of fd00:1::2/128" "$(tl_source_conns srv fd00:1::2/128)" 4
tl_eq "conns of fd00:1::/64 beside it" "$(tl_source_conns srv fd00:1::/64)" 4
tl_eq "/proc conns" "$(tl_proc srv conns)" 12

# The old IPv6 connections close: their own entry goes to 0, not the new one.
tl_release "$c"
tl_release "$d"
v6_closed() {
	local src

	src=$(tl_source_conns srv fd00:1::/64)
	[ -z "$src" ] || [ "$src" == 0 ]
}
busywait 10000 v6_closed || tl_fail "fd00:1::/64 still counts '$(tl_source_conns srv fd00:1::/64)'"
tl_eq "fd00:1::2/128 after the old connections closed" "$(tl_source_conns srv fd00:1::2/128)" 4
tl_eq "10.0.1.0/24 untouched" "$(tl_source_conns srv 10.0.1.0/24)" 4
tl_eq "/proc conns after the old IPv6 ones closed" "$(tl_proc srv conns)" 8

tl_release "$a"
tl_release "$b"
tl_release "$e"
tl_conns_settle srv 0
[ "$tl_failures" -eq 0 ] || tl_dump srv
tl_done
