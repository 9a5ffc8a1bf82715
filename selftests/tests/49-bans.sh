#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bans. By hand: an IPv4 address banned gets no connection while another
# source does, until unbanned; an IPv6 /64 banned for 10 s gets none, then
# connects again; with set-action reject ban a banned SYN is answered with
# an RST. By trigger: under max 1 and ban-after 3/60s, a client refused 3
# times is banned for ban-time (30 s); refused again after that, for twice
# as long (offences 2). The times leave room for the debug kernel (the
# checks during the first trigger ban took over 10 s there). An
# allowlisted source is never banned, even by hand; bans survive a configuration change; bans lists them (text, JSON);
# a ban in a namespace whose limiter never started starts it; bad input
# gets one clear error.
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_load
tl_server srv 10.0.1.1 8000
tl_server srv fd00:1::1 8001
tl_server srv 10.0.2.1 8002

# connects NS ADDR PORT: "established 1" or "refused 1" or "failed 1" (1 s).
connects() {
	local out

	out=$(tl_client "$1" -r "$2" "$3" 1 1000 close)
	case $out in
	"established 1 "*) echo established ;;
	*"refused 1") echo refused ;;
	*) echo failed ;;
	esac
}

# --- by hand ---
tl_ctl srv ban 10.0.1.2 || tl_fail "ban 10.0.1.2"
tl_eq "banned client" "$(connects c1 10.0.1.1 8000)" failed
tl_eq "other client" "$(connects c2 10.0.2.1 8002)" established
tl_eq "bans" "$(tl_ctl srv bans | awk '{ print $1, $5, $9 }')" "10.0.1.2/32 manual 0"
tl_ctl srv -j bans >"$TL_TMP/bans.json" || tl_fail "bans -j"
/usr/bin/python3 - "$TL_TMP/bans.json" <<'PY' || tl_fail "bans -j: $(cat "$TL_TMP/bans.json")"
import json, sys
b = json.load(open(sys.argv[1]))
assert len(b) == 1 and b[0]["prefix"] == "10.0.1.2/32" and b[0]["reason"] == "manual", b
assert 14 * 60000 < b[0]["left_ms"] <= 15 * 60000 and b[0]["hits"] >= 1, b
assert b[0]["offences"] == 0, b
PY
tl_snap srv
tl_eq "bans in force" "$(tl_snap_key srv bans)" 1
[ "$(tl_snap_key srv banned)" -ge 1 ] || tl_fail "banned $(tl_snap_key srv banned)"
tl_ctl srv set-max 5 || tl_fail "set-max 5"
tl_eq "ban kept across a configuration change" "$(tl_ctl srv bans | awk '{ print $1 }')" \
	10.0.1.2/32
tl_ctl srv unban 10.0.1.2 || tl_fail "unban 10.0.1.2"
tl_eq "unbanned client" "$(connects c1 10.0.1.1 8000)" established
tl_eq "bans after unban" "$(tl_ctl srv bans)" ""

# 10 s: time enough for a debug kernel to run the two clients.
tl_ctl srv ban fd00:1::/64 for 10s || tl_fail "ban fd00:1::/64 for 10s"
tl_eq "banned /64" "$(connects c1 fd00:1::1 8001)" failed
tl_eq "its IPv4 address" "$(connects c1 10.0.1.1 8000)" established
busywait 15000 tl_prints "" tl_ctl srv bans || tl_fail "the 10 s ban never ended"
tl_eq "/64 after its ban" "$(connects c1 fd00:1::1 8001)" established

tl_ctl srv set-action reject ban || tl_fail "set-action reject ban"
tl_eq "/proc reject" "$(tl_proc srv reject)" ban
tl_ctl srv ban 10.0.2.0/24 for 1m || tl_fail "ban 10.0.2.0/24"
tl_eq "banned, rejected" "$(connects c2 10.0.2.1 8002)" refused

# An allowlisted source is never banned, even by hand.
tl_ctl srv allow 10.0.2.2 || tl_fail "allow 10.0.2.2"
tl_eq "allowlisted beats a ban" "$(connects c2 10.0.2.1 8002)" established
tl_ctl srv disallow 10.0.2.2 || tl_fail "disallow 10.0.2.2"
tl_ctl srv unban 10.0.2.0/24 || tl_fail "unban 10.0.2.0/24"

# --- by trigger: 3 refusals within 60 s ban for 30 s, then 60 s ---
tl_ctl srv set max 1 ban-after 3/60s ban-time 30s max 240s action reject conn,ban ||
	tl_fail "set max 1 ban-after 3/60s ban-time 30s max 240s"
tl_hold held c1 10.0.1.1 8000 1
tl_eq "one held" "$TL_HELD" "established 1 failed 0"
# strike_out: 3 connections refused by max (RST), then banned.
strike_out() {
	local i

	for i in 1 2 3; do
		tl_eq "$1: refusal $i" "$(connects c1 10.0.1.1 8000)" refused
	done
	tl_eq "$1: reason" "$(tl_ctl srv bans | awk '{ print $1, $5 }')" "10.0.1.2/32 refusals"
}
strike_out "first offence"
tl_ctl srv -j bans >"$TL_TMP/b1.json"
tl_release "$held"
busywait 5000 tl_prints 0 tl_proc srv conns || tl_fail "the held connection never ended"
tl_eq "banned after 3 refusals, max free" "$(connects c1 10.0.1.1 8000)" refused
busywait 45000 tl_prints "" tl_ctl srv bans || tl_fail "the 30 s ban never ended"
tl_hold held c1 10.0.1.1 8000 1
tl_eq "one held again" "$TL_HELD" "established 1 failed 0"
strike_out "second offence"
tl_ctl srv -j bans >"$TL_TMP/b2.json"
/usr/bin/python3 - "$TL_TMP/b1.json" "$TL_TMP/b2.json" <<'PY' || tl_fail "doubling: $(cat "$TL_TMP"/b[12].json)"
import json, sys
b1, b2 = (json.load(open(f))[0] for f in sys.argv[1:])
assert b1["offences"] == 1 and 0 < b1["left_ms"] <= 30000, b1
assert b2["offences"] == 2 and 30000 < b2["left_ms"] <= 60000, b2
PY
tl_release "$held"

# --- bad input ---
rejects() {
	tl_ctl_fails srv "$@"
}
rejects 2 "tcplimitctl: ban: '10.0.1.1/24' has bits set past /24 (the prefix is 10.0.1.0/24)" \
	ban 10.0.1.1/24
rejects 2 "tcplimitctl: ban for: '0s' is too short (at least 1s)" ban 10.0.1.0/24 for 0s
rejects 2 "Usage: tcplimitctl ban ADDR[/LEN] [for DURATION]" ban 10.0.1.0/24 during 1m
rejects 1 "tcplimitctl: unban: prefix is not banned" unban 10.9.0.0/16
rejects 2 "Usage: tcplimitctl set-ban-after K/WINDOW | off" set-ban-after 3/10s burst 2

# A namespace whose limiter never started: the ban starts it.
tl_ns fresh
tl_eq "fresh namespace, not started" "$(tl_proc fresh started)" 0
tl_ctl fresh ban 192.0.2.0/24 || tl_fail "ban in a fresh namespace"
tl_eq "fresh namespace, started by the ban" "$(tl_proc fresh started)" 1
tl_done
