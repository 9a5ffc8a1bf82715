#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# set-action reject: a SYN over the cap is answered with an RST, so the
# client learns at once (ECONNREFUSED) instead of retrying until its
# timeout; IPv4 and IPv6. set-action drop goes back to silent drops.
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_load
tl_server srv :: 8000
tl_ctl srv set-max 2 || tl_fail "set-max 2"
tl_ctl srv set-action reject || tl_fail "set-action reject"
tl_eq "reject in /proc" "$(tl_proc srv reject)" "rate,conn,halfopen,dst,full,ban"

# rejected_run NAME ADDR: 5 connections at once, 5 s timeout, over IPv4 or 6.
rejected_run() {
	local start out ms

	start=$(tl_ms)
	out=$(tl_client c1 -r "$2" 8000 5 5000 close)
	ms=$(($(tl_ms) - start))
	tl_log "$1: '$out' in $ms ms"
	tl_eq "$1: client of 5" "$out" "established 2 failed 3 refused 3"
	[ "$ms" -lt 3000 ] || tl_fail "$1: the client took $ms ms, want well under its 5000 ms timeout"
	tl_conns_settle srv 0
}

rejected_run IPv4 10.0.1.1
tl_eq "rejected" "$(tl_proc srv rejected)" 3
tl_eq "limited_conn" "$(tl_proc srv limited_conn)" 3
tl_eq "admitted" "$(tl_proc srv admitted)" 2
rejected_run IPv6 fd00:1::1
tl_eq "rejected after IPv6" "$(tl_proc srv rejected)" 6
tl_eq "limited_conn after IPv6" "$(tl_proc srv limited_conn)" 6

# Back to drops: the client retries until its timeout, no RST.
tl_ctl srv set-action drop || tl_fail "set-action drop"
tl_eq "reject in /proc after set-action drop" "$(tl_proc srv reject)" none
tl_hold pid c1 10.0.1.1 8000 2
tl_eq "2 held" "$TL_HELD" "established 2 failed 0"
start=$(tl_ms)
out=$(tl_client c1 -r 10.0.1.1 8000 3 1500 close)
ms=$(($(tl_ms) - start))
tl_log "dropped: '$out' in $ms ms"
tl_eq "3 more, dropped" "$out" "established 0 failed 3 refused 0"
[ "$ms" -ge 1500 ] || tl_fail "dropped: the client took $ms ms, less than its 1500 ms timeout"
tl_eq "rejected after set-action drop" "$(tl_proc srv rejected)" 6
limited=$(tl_proc srv limited_conn)
# 3 SYNs and their retransmits 1 s later.
[ "$limited" -ge 12 ] 2>/dev/null || tl_fail "limited_conn '$limited', want at least 12"
tl_release "$pid"
tl_conns_settle srv 0
[ "$tl_failures" -eq 0 ] || tl_dump srv
tl_done
