#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# set-rate 5/10m (one new connection every 2 min, burst 5): a source opening
# 8 connections at once gets exactly 5; the other 3 SYNs and their
# retransmits are refused, and so is a 9th. Its rate_avail is 0. A second
# source has its own credit. set-rate 0 lifts the limit.
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_load
tl_server srv 0.0.0.0 8000
tl_ctl srv set-rate 5/10m || tl_fail "set-rate 5/10m"
tl_eq "rate in /proc" "$(tl_proc srv rate)" 5
tl_eq "rate_period_ms in /proc" "$(tl_proc srv rate_period_ms)" 600000
tl_eq "max in /proc" "$(tl_proc srv max)" 0

# Credit refills one connection every 2 min (slow enough for a loaded
# emulated guest): what must read 0 is read first.
start=$(tl_ms)
tl_eq "8 at once" "$(tl_connect c1 10.0.1.1 8000 8 3000)" "established 5 failed 3"
tl_eq "a 9th" "$(tl_connect c1 10.0.1.1 8000 1 1500)" "established 0 failed 1"
tl_eq "rate_avail of 10.0.1.2/32" "$(tl_source_count srv 10.0.1.2/32 rate_avail)" 0
tl_eq "show rate_avail of 10.0.1.2/32" "$(tl_show_field srv 10.0.1.2/32 rate_avail)" 0
ms=$(($(tl_ms) - start))
tl_log "the 9th and rate_avail done $ms ms after the burst started"
[ "$ms" -lt 120000 ] || tl_fail "timing: more than 2 min since the burst, a refill may have come"
tl_eq "/proc admitted" "$(tl_proc srv admitted)" 5
limited=$(tl_proc srv limited_rate)
# 3 SYNs, their retransmits 1 s later, the 9th's SYN and its retransmit.
[ "$limited" -ge 4 ] 2>/dev/null || tl_fail "limited_rate '$limited', want at least 4"
tl_log "limited_rate $limited"
tl_eq "/proc limited_conn" "$(tl_proc srv limited_conn)" 0
tl_eq "limited of 10.0.1.2/32" "$(tl_source_count srv 10.0.1.2/32 limited)" "$limited"
# Closed connections are not counted (once the GC sees their sockets gone:
# a deferrable pass, up to 1.6 s on a busy machine, later on an idle one),
# the rate still refuses.
busywait 5000 tl_prints 0 tl_source_count srv 10.0.1.2/32 conns
tl_eq "conns of 10.0.1.2/32 after close" "$(tl_source_count srv 10.0.1.2/32 conns)" 0

tl_eq "second source, 5" "$(tl_connect c2 10.0.2.1 8000 5 3000)" "established 5 failed 0"
tl_eq "rate_avail of 10.0.2.2/32" "$(tl_source_count srv 10.0.2.2/32 rate_avail)" 0
tl_eq "/proc admitted after the second source" "$(tl_proc srv admitted)" 10
tl_eq "limited of 10.0.2.2/32" "$(tl_source_count srv 10.0.2.2/32 limited)" 0

tl_ctl srv set-rate 0 || tl_fail "set-rate 0"
tl_eq "rate in /proc after set-rate 0" "$(tl_proc srv rate)" 0
tl_eq "3 more after set-rate 0" "$(tl_connect c1 10.0.1.1 8000 3 3000)" "established 3 failed 0"
tl_eq "/proc admitted at the end" "$(tl_proc srv admitted)" 13
[ "$tl_failures" -eq 0 ] || tl_dump srv
tl_conns_settle srv 0
tl_done
