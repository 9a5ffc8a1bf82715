#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# set-dry-run on: nothing is refused, the limited_* counters count what
# would have been, each would-be refusal once, by the first limit that
# refuses it: the rate, then the concurrent cap (set-max 2, set-rate 3/60s,
# 6 connections: the 3rd is over the cap only, the 4th-6th over both and
# count as rate). Turned off, the limits apply to the counts kept meanwhile.
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_load
tl_server srv 10.0.1.1 8000
tl_ctl srv set-dry-run on || tl_fail "set-dry-run on"
tl_ctl srv set-max 2 || tl_fail "set-max 2"
tl_ctl srv set-rate 3/60s || tl_fail "set-rate 3/60s"
tl_eq "dry_run in /proc" "$(tl_proc srv dry_run)" 1

tl_hold pid c1 10.0.1.1 8000 6
tl_eq "6 at once, dry run" "$TL_HELD" "established 6 failed 0"
tl_eq "server sockets" "$(tl_established srv 8000)" 6
tl_eq "/proc conns" "$(tl_proc srv conns)" 6
tl_eq "conns of 10.0.1.2/32" "$(tl_source_conns srv 10.0.1.2/32)" 6
tl_eq "/proc admitted" "$(tl_proc srv admitted)" 6
lconn=$(tl_proc srv limited_conn)
lrate=$(tl_proc srv limited_rate)
tl_log "would have limited: limited_conn $lconn, limited_rate $lrate"
tl_eq "limited_rate: the 4th to 6th" "$lrate" 3
tl_eq "limited_conn: the 3rd" "$lconn" 1
# Each of the 4 connections beyond the cap would have been refused once.
limited=$(tl_source_count srv 10.0.1.2/32 limited)
tl_eq "/proc limited of 10.0.1.2/32" "$limited" 4
tl_eq "rejected" "$(tl_proc srv rejected)" 0

tl_ctl srv set-dry-run off || tl_fail "set-dry-run off"
tl_eq "dry_run in /proc after off" "$(tl_proc srv dry_run)" 0
tl_eq "a 7th" "$(tl_connect c1 10.0.1.1 8000 1 1500)" "established 0 failed 1"
tl_eq "/proc conns after the 7th" "$(tl_proc srv conns)" 6
tl_eq "/proc admitted after the 7th" "$(tl_proc srv admitted)" 6
tl_release "$pid"
tl_conns_settle srv 0
[ "$tl_failures" -eq 0 ] || tl_dump srv
tl_done
