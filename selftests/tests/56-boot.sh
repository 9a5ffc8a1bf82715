#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Persistence at boot. modinfo gives the version tcplimitctl gives, a
# description, author, license and a description for every parameter.
# Parameters out of range fail the load with a log line naming them. Good
# ones are the initial namespace's configuration from the load on (a
# loopback client gets exactly max), and only its: a new namespace starts
# from the built-in defaults. tcplimit.service's commands, run as systemd
# runs them (the tree's paths for /usr/sbin/tcplimitctl, /etc/tcplimit.conf
# and modprobe): start loads the module with its options and restores a
# saved file, after which save gives the same file; reload with a broken
# file fails, says FILE:LINE and why, and changes nothing; stop leaves the
# module loaded, enforcing nothing; start enforces again. (This VM's PID 1
# is not systemd; make check also boots one that is, with the unit
# enabled: selftests/systemd-boot.sh.)
. "$(dirname "$0")/../lib.sh"

info=$(modinfo "$TL_KO") || tl_fail "modinfo $TL_KO"
tl_eq "modinfo version" "$(awk '$1 == "version:" { print $2 }' <<<"$info")" \
	"$("$TL_CTL" version | awk 'NR == 1 { print $2 }')"
for field in description author license; do
	[ -n "$(modinfo -F "$field" "$TL_KO")" ] || tl_fail "modinfo: no $field"
done
params=$(modinfo -F parm "$TL_KO")
tl_eq "parameters" "$(cut -d: -f1 <<<"$params" | tr '\n' ' ')" \
	"max rate rate_period_ms halfopen_max mode dry_run table_size flow_table_size "
while IFS=: read -r name desc; do
	[[ "$desc" =~ ^[a-z].+\ \((uint|charp|bool)\)$ ]] || tl_fail "parameter $name: '$desc'"
done <<<"$params"

for bad in max=10000001 rate_period_ms=50 mode=bridge; do
	if insmod "$TL_KO" "$bad" 2>/dev/null; then
		rmmod tcplimit
		tl_fail "insmod with $bad succeeded"
	fi
	dmesg | grep -q "tcplimit: parameter ${bad%%=*}=${bad#*=}" || tl_fail "no log line for $bad"
done
tl_loaded && tl_fail "loaded after bad parameters"

# proc KEY: a configuration value of the initial namespace.
proc() {
	awk -v k="$1" '$1 == "source" { exit } $1 == k { print $2 }' /proc/net/tcplimit
}

tl_load max=2 rate=30 rate_period_ms=60000 halfopen_max=9 table_size=4096
for kv in started=1 max=2 rate=30 rate_period_ms=60000 halfopen_max=9 table_size=4096 \
	mode=host dry_run=0; do
	tl_eq "${kv%=*} after insmod" "$(proc "${kv%=*}")" "${kv#*=}"
done
ip netns attach host 1 || tl_fail "ip netns attach host 1"
TL_NETNS+=(host)
tl_server host 127.0.0.1 8000
tl_hold h host 127.0.0.1 8000 4
tl_eq "loopback client under max=2" "$TL_HELD" "established 2 failed 2"
tl_release "$h"
tl_ns other
tl_eq "max in a new namespace" "$(tl_proc other max)" 0
tl_eq "table_size in a new namespace" "$(tl_proc other table_size)" 65536
tl_unload

# The unit's KEY= commands with the tree's paths; modprobe's options as
# /etc/modprobe.d/tcplimit.conf would give them.
unit=$TL_REPO/tools/systemd/tcplimit.service
conf=$TL_TMP/tcplimit.conf
modprobe_options="max=3 dry_run=1"
modprobe() {
	[ "$1" == tcplimit ] && { tl_loaded || insmod "$TL_KO" $modprobe_options; }
}
unit_run() {
	local cmd cmds

	mapfile -t cmds <<<"$(sed -n "s/^$1=//p" "$unit")"
	[ -n "${cmds[0]}" ] || tl_fail "the unit has no $1"
	for cmd in "${cmds[@]}"; do
		cmd=${cmd//\/usr\/sbin\/tcplimitctl/$TL_CTL}
		cmd=${cmd//\/etc\/tcplimit.conf/$conf}
		cmd=${cmd#/sbin/}
		eval "$cmd" || return
	done
}
# saved: tcplimitctl save without its comment header.
saved() {
	"$TL_CTL" save | grep -v '^#'
}

# The file: made by save from a configured limiter.
tl_load
"$TL_CTL" set max 5 rate 40/1m || tl_fail "set max 5 rate 40/1m"
"$TL_CTL" policy add 22 max 1 || tl_fail "policy add 22 max 1"
"$TL_CTL" allow 10.9.0.0/16 || tl_fail "allow 10.9.0.0/16"
"$TL_CTL" save >"$conf" || tl_fail "save"
tl_unload

unit_run ExecStartPre || tl_fail "ExecStartPre"
tl_eq "max as modprobe loaded it" "$(proc max)" 3
unit_run ExecStart || tl_fail "ExecStart"
tl_eq "save after start" "$(saved)" "$(grep -v '^#' "$conf")"
tl_eq "dry_run after start" "$(proc dry_run)" 0

cp "$conf" "$TL_TMP/good"
sed -i '5a set-max lots' "$conf"
unit_run ExecReload 2>"$TL_TMP/reload.err" && tl_fail "reload of a broken file succeeded"
tl_eq "reload error" "$(cat "$TL_TMP/reload.err")" \
	"tcplimitctl: $conf:6: set-max: 'lots' is not a non-negative integer"
tl_eq "save after the failed reload" "$(saved)" "$(grep -v '^#' "$TL_TMP/good")"
cp "$TL_TMP/good" "$conf"

unit_run ExecStop || tl_fail "ExecStop"
tl_loaded || tl_fail "the module unloaded by stop"
tl_eq "dry_run after stop" "$(proc dry_run)" 1
tl_hold h host 127.0.0.1 8000 7
tl_eq "loopback client after stop" "$TL_HELD" "established 7 failed 0"
tl_release "$h"
unit_run ExecStart || tl_fail "ExecStart again"
tl_eq "save after start again" "$(saved)" "$(grep -v '^#' "$conf")"
busywait 10000 tl_prints 0 proc conns || tl_fail "connections still counted: $(proc conns)"
tl_hold h host 127.0.0.1 8000 7
tl_eq "loopback client after start" "$TL_HELD" "established 5 failed 2"
tl_release "$h"
tl_done
