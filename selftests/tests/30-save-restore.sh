#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tcplimitctl save prints every knob as a set-* command in the units the
# parser takes; restore applies such a file in one request: into a fresh
# namespace it reproduces the configuration exactly (saving there gives the
# same file, /proc agrees). A file with one bad line changes nothing and
# the error names FILE:LINE. Comments, blank lines, lines without the
# leading "tcplimitctl" and standard input are accepted. "set KEY VALUE..."
# sets every knob in one command as the set-* commands do, bad input there
# changes nothing, and a restore file may hold it. The allowlist is saved
# as "disallow all" and one allow line per prefix, and restored with the
# settings in the same request; allow and disallow lines of a hand-written
# file change the current allowlist in order, and a bad one changes
# nothing. Port-range policies are saved as "policy del all" and one
# "policy add" line each, in port order, and come back alike.
. "$(dirname "$0")/../lib.sh"

ctl() {
	"$TL_CTL" "$@"
}

# proc_config NS: the configuration lines of /proc/net/tcplimit (up to the
# first total, "sources").
proc_config() {
	ip netns exec "$1" awk '$1 == "sources" { exit } { print }' /proc/net/tcplimit
}

tl_ns a b
tl_load
ctl -n b save >"$TL_TMP/defaults.save" || tl_fail "save in b"

# Every knob away from its default, some in other units than save prints.
ctl -n a set-mode gateway || tl_fail "set-mode gateway"
ctl -n a set-dry-run on || tl_fail "set-dry-run on"
ctl -n a set-max 200 || tl_fail "set-max 200"
ctl -n a set-rate 20/250ms burst 7 || tl_fail "set-rate"
ctl -n a set-halfopen-max 50 || tl_fail "set-halfopen-max"
ctl -n a set-prefix 24 48 || tl_fail "set-prefix 24 48"
ctl -n a set-dst-max 1000 || tl_fail "set-dst-max"
ctl -n a set-dst-rate 300/60s burst 40 || tl_fail "set-dst-rate"
ctl -n a set-syn-timeout 45000ms || tl_fail "set-syn-timeout"
ctl -n a set-idle-timeout 3723 || tl_fail "set-idle-timeout"
ctl -n a set-action reject rate,halfopen || tl_fail "set-action"
ctl -n a set-full-policy drop || tl_fail "set-full-policy"
ctl -n a set-table-size 4096 || tl_fail "set-table-size"
ctl -n a set-flow-table-size 8192 || tl_fail "set-flow-table-size"
ctl -n a set-ban-after 5/30s || tl_fail "set-ban-after"
ctl -n a set-ban-time 10m max 7200 || tl_fail "set-ban-time"
ctl -n a set-slow 100/5000ms || tl_fail "set-slow"
ctl -n a set-abnormal-max 3 || tl_fail "set-abnormal-max"
ctl -n a set-slow-action reset || tl_fail "set-slow-action"
ctl -n a allow fd00:1::/64 || tl_fail "allow fd00:1::/64"
ctl -n a allow 192.0.2.1 || tl_fail "allow 192.0.2.1"
ctl -n a allow 10.0.0.0/8 || tl_fail "allow 10.0.0.0/8"
ctl -n a policy add 8000-8100 slow 100/5000ms abnormal-max 2 || tl_fail "policy add 8000-8100"
ctl -n a policy add 22 max 3 rate 6/60s burst 2 halfopen-max 4 || tl_fail "policy add 22"
ctl -n a policy add 80 || tl_fail "policy add 80"

ctl -n a save >"$TL_TMP/a.save" || tl_fail "save in a"
cat >"$TL_TMP/want" <<'EOF'
tcplimitctl set-mode gateway
tcplimitctl set-dry-run on
tcplimitctl set-max 200
tcplimitctl set-rate 20/250ms burst 7
tcplimitctl set-halfopen-max 50
tcplimitctl set-prefix v4 24 v6 48
tcplimitctl set-dst-max 1000
tcplimitctl set-dst-rate 300/1m burst 40
tcplimitctl set-syn-timeout 45s
tcplimitctl set-idle-timeout 1h2m3s
tcplimitctl set-action reject rate halfopen
tcplimitctl set-full-policy drop
tcplimitctl set-table-size 4096
tcplimitctl set-flow-table-size 8192
tcplimitctl set-ban-after 5/30s
tcplimitctl set-ban-time 10m max 2h
tcplimitctl set-slow 100/5s
tcplimitctl set-abnormal-max 3
tcplimitctl set-slow-action reset
tcplimitctl policy del all
EOF
cp "$TL_TMP/want" "$TL_TMP/want.settings"
echo "tcplimitctl disallow all" >>"$TL_TMP/want.settings"
cat >>"$TL_TMP/want" <<'EOF'
tcplimitctl policy add 22 max 3 rate 6/1m burst 2 halfopen-max 4
tcplimitctl policy add 80
tcplimitctl policy add 8000-8100 slow 100/5s abnormal-max 2
tcplimitctl disallow all
tcplimitctl allow 10.0.0.0/8
tcplimitctl allow 192.0.2.1/32
tcplimitctl allow fd00:1::/64
EOF
grep -v '^#' "$TL_TMP/a.save" >"$TL_TMP/a.cmds"
if cmp -s "$TL_TMP/a.cmds" "$TL_TMP/want"; then
	tl_log "ok: save prints every knob as expected"
else
	tl_fail "save output differs from the expected commands"
	diff "$TL_TMP/want" "$TL_TMP/a.save" | sed 's/^/  /'
fi
grep -q '^# ' "$TL_TMP/a.save" || tl_fail "save: no comment header"
tl_eq "knobs of the default save also set in a" \
	"$(grep -v '^tcplimitctl \(disallow all\|policy del all\)$' "$TL_TMP/defaults.save" |
		grep -cxFf - "$TL_TMP/a.cmds")" 0
tl_eq "commands in the default save" "$(grep -vc '^#' "$TL_TMP/defaults.save")" 21

# Restore into the fresh namespace b: the same save, the same /proc.
ctl -n b restore "$TL_TMP/a.save" || tl_fail "restore a's save into b"
ctl -n b save >"$TL_TMP/b.save" || tl_fail "save in b"
cmp -s "$TL_TMP/a.save" "$TL_TMP/b.save" && tl_log "ok: save after restore is identical" ||
	tl_fail "save after restore differs: $(diff "$TL_TMP/a.save" "$TL_TMP/b.save")"
proc_config a >"$TL_TMP/a.proc"
proc_config b >"$TL_TMP/b.proc"
cmp -s "$TL_TMP/a.proc" "$TL_TMP/b.proc" && tl_log "ok: /proc configuration identical" ||
	tl_fail "/proc configuration differs: $(diff "$TL_TMP/a.proc" "$TL_TMP/b.proc")"
tl_eq "allowlist restored" "$(ctl -n b allowlist | tr '\n' ' ')" \
	"10.0.0.0/8 192.0.2.1/32 fd00:1::/64 "

# bad_restore NAME WANT_ERR ARGS...: restore fails with exit status 1,
# nothing on stdout, exactly WANT_ERR on stderr, and b's configuration
# is unchanged.
bad_restore() {
	local name=$1 want=$2 out status

	shift 2
	out=$(ctl -n b restore "$@" 2>"$TL_TMP/err" <"$TL_TMP/stdin")
	status=$?
	tl_eq "$name: exit status" "$status" 1
	tl_eq "$name: stdout" "$out" ""
	tl_eq "$name: error" "$(cat "$TL_TMP/err")" "$want"
	proc_config b >"$TL_TMP/b.proc"
	cmp -s "$TL_TMP/a.proc" "$TL_TMP/b.proc" && tl_log "ok: $name: nothing changed" ||
		tl_fail "$name: configuration changed: $(diff "$TL_TMP/a.proc" "$TL_TMP/b.proc")"
}

: >"$TL_TMP/stdin"
# The defaults (every value differs from b's) with a bad line 9.
sed '9i set-halfopen-max lots' "$TL_TMP/defaults.save" >"$TL_TMP/bad1"
bad_restore "bad number" \
	"tcplimitctl: $TL_TMP/bad1:9: set-halfopen-max: 'lots' is not a non-negative integer" \
	"$TL_TMP/bad1"
sed '$a tcplimitctl show' "$TL_TMP/defaults.save" >"$TL_TMP/bad2"
bad_restore "not a set command" \
	"tcplimitctl: $TL_TMP/bad2:24: 'show' is not set, a set-* command, policy, allow, disallow or ban (a restore file has only those)" \
	"$TL_TMP/bad2"
sed '$a allow 10.0.0.1/8' "$TL_TMP/defaults.save" >"$TL_TMP/bad4"
bad_restore "allow with a bit past the length" \
	"tcplimitctl: $TL_TMP/bad4:24: allow: '10.0.0.1/8' has bits set past /8 (the prefix is 10.0.0.0/8)" \
	"$TL_TMP/bad4"
printf 'set-max 1\nallow 10.9.0.0/16\ndisallow 10.0.0.0/8\ndisallow 10.9.0.0/24\n' >"$TL_TMP/bad5"
bad_restore "disallow of a prefix not there" \
	"tcplimitctl: $TL_TMP/bad5:4: disallow 10.9.0.0/24: not in the allowlist" "$TL_TMP/bad5"
sed '3s/$/ 7/' "$TL_TMP/defaults.save" >"$TL_TMP/bad3"
bad_restore "extra argument" "tcplimitctl: $TL_TMP/bad3:3: usage: set-mode host|gateway" \
	"$TL_TMP/bad3"
sed '5s/$/ # ok/; 6s|off|20/1x|' "$TL_TMP/defaults.save" >"$TL_TMP/stdin"
bad_restore "bad period on stdin" \
	"tcplimitctl: <stdin>:6: set-rate period: '1x' is not a duration (like 500ms, 30s, 2m or 1h30m)" -
bad_restore "missing file" \
	"tcplimitctl: restore: cannot open $TL_TMP/none: No such file or directory" "$TL_TMP/none"

# Back to the defaults from standard input.
ctl -n b restore - <"$TL_TMP/defaults.save" || tl_fail "restore - (defaults)"
ctl -n b save >"$TL_TMP/b.save"
cmp -s "$TL_TMP/defaults.save" "$TL_TMP/b.save" && tl_log "ok: defaults restored" ||
	tl_fail "defaults not restored: $(diff "$TL_TMP/defaults.save" "$TL_TMP/b.save")"

# Allowlist lines without "disallow all" change the current allowlist.
ctl -n b allow 10.0.0.0/8 || tl_fail "allow 10.0.0.0/8 in b"
printf 'allow 10.9.0.0/16\ndisallow 10.0.0.0/8\nallow fd00::/8\nallow 10.9.0.0/16\n' |
	ctl -n b restore - || tl_fail "restore of allowlist lines"
tl_eq "allowlist after restoring allowlist lines" "$(ctl -n b allowlist | tr '\n' ' ')" \
	"10.9.0.0/16 fd00::/8 "
tl_eq "max untouched by allowlist lines" "$(tl_proc b max)" 0

# A hand-written file: comments, blank lines, no "tcplimitctl", a value
# set twice (the later line wins).
printf '# hand-written\n\n   set-max 9   # nine\n\ttcplimitctl  set-max 10\nset-rate 5/2s\n' \
	>"$TL_TMP/hand"
ctl -n b restore "$TL_TMP/hand" || tl_fail "restore a hand-written file"
tl_eq "max after the hand-written file" "$(tl_proc b max)" 10
tl_eq "rate after the hand-written file" "$(tl_proc b rate)" 5
tl_eq "rate_period_ms after the hand-written file" "$(tl_proc b rate_period_ms)" 2000
tl_eq "halfopen_max untouched" "$(tl_proc b halfopen_max)" 0

# "set": every knob of a's in one command, as the set-* commands took them.
tl_ns c
ctl -n c set mode gateway dry-run on max 200 rate 20/250ms burst 7 halfopen-max 50 \
	prefix 24 48 dst-max 1000 dst-rate 300/60s burst 40 syn-timeout 45000ms \
	idle-timeout 3723 action reject rate,halfopen full-policy drop table-size 4096 \
	flow-table-size 8192 ban-after 5/30s ban-time 10m max 2h slow 100/5s abnormal-max 3 \
	slow-action reset || tl_fail "set with every knob"
ctl -n c save | grep -v '^#' >"$TL_TMP/c.cmds"
cmp -s "$TL_TMP/c.cmds" "$TL_TMP/want.settings" &&
	tl_log "ok: set gives the same save as the set-* commands" ||
	tl_fail "set: save differs: $(diff "$TL_TMP/want.settings" "$TL_TMP/c.cmds")"
# bad_set NAME WANT_ERR ARGS...: exit status 2, exactly WANT_ERR, nothing changed.
bad_set() {
	local name=$1 want=$2 status

	shift 2
	ctl -n c set "$@" 2>"$TL_TMP/err"
	status=$?
	tl_eq "set, $name: exit status" "$status" 2
	tl_eq "set, $name: error" "$(cat "$TL_TMP/err")" "$want"
	ctl -n c save | grep -v '^#' >"$TL_TMP/c.cmds"
	cmp -s "$TL_TMP/c.cmds" "$TL_TMP/want.settings" ||
		tl_fail "set, $name: the configuration changed"
}
bad_set "a bad value after a good one" \
	"tcplimitctl: set-rate period: '1x' is not a duration (like 500ms, 30s, 2m or 1h30m)" \
	max 7 rate 20/1x
bad_set "a setting twice" "tcplimitctl: set: max given twice" max 7 max 8
bad_set "no such setting" "tcplimitctl: set: 'colour' is not a setting (try 'tcplimitctl help')" \
	colour blue
bad_set "a key alone" "Usage: tcplimitctl set KEY VALUE [KEY VALUE...]" max
bad_set "a value missing" "Usage: tcplimitctl set-rate N/PERIOD [burst B] | off" \
	max 7 rate
bad_set "a misspelt key" "tcplimitctl: set: 'rat' is not a setting (try 'tcplimitctl help')" \
	max 7 rat 10/1s
bad_set "a rate after action" \
	"tcplimitctl: set-action: '10/1s' is not rate, conn, halfopen, dst, full or ban" \
	action reject rate 10/1s
# A restore file may hold set lines, as long as the command line takes.
printf 'set max 3 rate 1/1s action reject rate\nset-halfopen-max 4\n%s\n' \
	"set mode gateway dry-run on prefix 24 48 dst-max 1000 dst-rate 300/60s burst 40 syn-timeout 45s idle-timeout 3723 full-policy drop" |
	ctl -n c restore - || tl_fail "restore of set lines"
tl_eq "reject after restoring a set line" "$(tl_proc c reject)" "rate"
tl_eq "dst_max after restoring a long set line" "$(tl_proc c dst_max)" 1000
tl_eq "max after restoring a set line" "$(tl_proc c max)" 3
tl_eq "rate after restoring a set line" "$(tl_proc c rate)" 1
tl_eq "halfopen_max after restoring" "$(tl_proc c halfopen_max)" 4

# --- bans: saved with the time they have left, restored after the settings ---
tl_ns d e
ctl -n d set-max 9 || tl_fail "set-max 9 in d"
ctl -n d ban 198.51.100.0/24 for 1h || tl_fail "ban 198.51.100.0/24 for 1h"
ctl -n d ban 2001:db8:1::/48 for 10m || tl_fail "ban 2001:db8:1::/48 for 10m"
ctl -n d save >"$TL_TMP/d.save" || tl_fail "save in d"
grep -q '^tcplimitctl set-max 9$' "$TL_TMP/d.save" || tl_fail "d's save lacks its max"
tl_eq "saved bans" "$(grep ' ban ' "$TL_TMP/d.save" | sed -E 's/for [0-9hms]+$/for T/')" \
	"tcplimitctl ban 198.51.100.0/24 for T
tcplimitctl ban 2001:db8:1::/48 for T"
ctl -n e restore "$TL_TMP/d.save" || tl_fail "restore d's save into e"
tl_eq "max restored with the bans" "$(tl_proc e max)" 9
ctl -n e -j bans >"$TL_TMP/e.bans" || tl_fail "bans in e"
/usr/bin/python3 - "$TL_TMP/e.bans" <<'PY' || tl_fail "restored bans: $(cat "$TL_TMP/e.bans")"
import json, sys
b = {x["prefix"]: x for x in json.load(open(sys.argv[1]))}
assert sorted(b) == ["198.51.100.0/24", "2001:db8:1::/48"], b
assert 50 * 60000 < b["198.51.100.0/24"]["left_ms"] <= 3600000, b
assert 5 * 60000 < b["2001:db8:1::/48"]["left_ms"] <= 600000, b
assert all(x["reason"] == "manual" for x in b.values()), b
PY
# A bad ban line: nothing applied (it is parsed with the rest first).
printf 'set-max 1\nban 203.0.113.0/24\nban 198.51.100.1/24 for 1h\n' >"$TL_TMP/bad6"
ctl -n e restore "$TL_TMP/bad6" 2>"$TL_TMP/err"
tl_eq "a bad ban line: exit status" "$?" 1
tl_eq "a bad ban line: error" "$(cat "$TL_TMP/err")" \
	"tcplimitctl: $TL_TMP/bad6:3: ban: '198.51.100.1/24' has bits set past /24 (the prefix is 198.51.100.0/24)"
tl_eq "a bad ban line: max unchanged" "$(tl_proc e max)" 9
tl_eq "a bad ban line: no ban made" "$(ctl -n e bans | grep -c 203.0.113)" 0
tl_done
