#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Slow connections, host mode. A slowloris client (10.0.1.2: 4 connections,
# a byte each every second) beside a normal one (10.0.2.2: 2 connections
# sending 1000 bytes a second, and 1 idle keep-alive connection) and an
# allowlisted one (10.0.1.3: 4 idle connections):
# * off by default: nothing is found slow;
# * set-slow 100/3s, abnormal-max 2: the slowloris's 4 are found slow and it
#   is banned (reason abnormal), its new connections refused while its
#   slow ones stay (slow-action none); the normal client's idle one is
#   slow too (as documented: an idle keep-alive connection moves nothing),
#   1 is under abnormal-max, so it is not banned and connects again; the
#   allowlisted client is never counted;
# * dry run with slow-action reset: nothing is reset;
# * unban, dry run off: each slow connection is reset on both ends
#   (none left on the server: ss), counted in slow_reset, and the slowloris
#   is banned again (being reset spares it nothing); the idle keep-alive
#   connection is reset too, the active ones are not;
# * slow off again: nothing more is found slow.
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_load
tl_server srv :: 8000
ip -n c1 addr add 10.0.1.3/24 dev to-srv

# slow_of SOURCE: its slow connections now.
slow_of() {
	tl_source_count srv "$1" slow
}

# The limiter counts the connections it saw open: configure it first.
tl_ctl srv set abnormal-max 2 ban-time 1m || tl_fail "set abnormal-max 2 ban-time 1m"
tl_ctl srv allow 10.0.1.3 || tl_fail "allow 10.0.1.3"
tl_trickle loris c1 10.0.1.1 8000 4 1 1
tl_eq "slowloris" "$TL_HELD" "established 4"
tl_trickle normal c2 10.0.2.1 8000 2 1 1000
tl_eq "normal client" "$TL_HELD" "established 2"
tl_trickle idle c2 10.0.2.1 8000 1 1 0
tl_eq "keep-alive client" "$TL_HELD" "established 1"
tl_trickle allowed c1 -b 10.0.1.3 10.0.1.1 8000 4 1 0
tl_eq "allowlisted client" "$TL_HELD" "established 4"

# --- off by default ---
sleep 5
tl_eq "slow_found, slow detection off" "$(tl_proc srv slow_found)" 0
tl_eq "slow of 10.0.1.2/32, off" "$(slow_of 10.0.1.2/32)" 0
tl_eq "conns of 10.0.1.2/32" "$(tl_source_conns srv 10.0.1.2/32)" 4

# --- found slow, banned past abnormal-max ---
tl_ctl srv set-slow 100/3s || tl_fail "set-slow 100/3s"
tl_eq "/proc slow_bytes" "$(tl_proc srv slow_bytes)" 100
busywait 20000 tl_prints 4 slow_of 10.0.1.2/32 || tl_fail "slowloris: slow $(slow_of 10.0.1.2/32)"
busywait 5000 tl_prints 1 slow_of 10.0.2.2/32 || tl_fail "keep-alive: slow $(slow_of 10.0.2.2/32)"
tl_eq "bans" "$(tl_ctl srv bans | awk '{ print $1, $5 }')" "10.0.1.2/32 abnormal"
tl_eq "slowloris, a new connection" "$(tl_connect c1 10.0.1.1 8000 1 1500)" \
	"established 0 failed 1"
tl_eq "its slow connections stay (none)" "$(tl_sockets srv 8000 10.0.1.2 established)" 4
tl_eq "normal client, a new connection" "$(tl_connect c2 10.0.2.1 8000 1)" \
	"established 1 failed 0"
tl_eq "allowlisted, never counted" "$(tl_source_count srv 10.0.1.3/32 conns)" ""
tl_eq "slow_found" "$(tl_proc srv slow_found)" 5
tl_ctl srv -j sources top 1 by slow >"$TL_TMP/top.json" || tl_fail "sources top 1 by slow"
/usr/bin/python3 - "$TL_TMP/top.json" <<'PY' || tl_fail "top 1 by slow: $(cat "$TL_TMP/top.json")"
import json, sys
s = json.load(open(sys.argv[1]))
assert [(x["source"], x["slow"], x["conns"]) for x in s] == [("10.0.1.2/32", 4, 4)], s
PY

# --- dry run: reset asked for, nothing reset ---
tl_ctl srv set dry-run on slow-action reset || tl_fail "set dry-run on slow-action reset"
sleep 8
tl_eq "dry run: slow_reset" "$(tl_proc srv slow_reset)" 0
tl_eq "dry run: the slow connections stay" "$(tl_sockets srv 8000 10.0.1.2 established)" 4

# --- reset: both ends, and banned again ---
tl_ctl srv unban 10.0.1.2 || tl_fail "unban 10.0.1.2"
tl_ctl srv set dry-run off || tl_fail "set dry-run off"
busywait 20000 tl_prints 0 tl_sockets srv 8000 10.0.1.2 established ||
	tl_fail "slow connections of 10.0.1.2 left: $(tl_sockets srv 8000 10.0.1.2 established)"
busywait 10000 tl_prints 2 tl_sockets srv 8000 10.0.2.2 established ||
	tl_fail "server: 10.0.2.2 holds $(tl_sockets srv 8000 10.0.2.2 established), want its 2 active ones"
tl_eq "slow_reset" "$(tl_proc srv slow_reset)" 5
tl_eq "banned again" "$(tl_ctl srv bans | awk '{ print $1, $5 }')" "10.0.1.2/32 abnormal"
tl_eq "slowloris saw" "$(tl_trickle_end loris)" "alive 0 reset 4"
tl_eq "keep-alive client saw" "$(tl_trickle_end idle)" "alive 0 reset 1"
tl_eq "allowlisted client's connections" "$(tl_sockets srv 8000 10.0.1.3 established)" 4

# --- off again ---
tl_ctl srv set-slow off || tl_fail "set-slow off"
found=$(tl_proc srv slow_found)
sleep 5
tl_eq "slow_found after set-slow off" "$(tl_proc srv slow_found)" "$found"
tl_eq "normal client saw" "$(tl_trickle_end normal)" "alive 2 reset 0"
tl_eq "allowlisted client saw" "$(tl_trickle_end allowed)" "alive 4 reset 0"
[ "$tl_failures" -eq 0 ] || tl_dump srv
tl_done
