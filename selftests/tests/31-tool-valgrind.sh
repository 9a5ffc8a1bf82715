#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every kind of tcplimitctl request to the kernel (each dump, a do with
# and without a reply, SET_CONFIG, a restore, an error the kernel answers
# with an extack message), under valgrind's memcheck against the loaded
# module with sources in the table: no memory error, no leak of any kind,
# and the expected exit status. Valgrind under TCG is slow (tens of
# seconds a run): two run at a time, one per vCPU, and what needs no
# module (help, every usage error, a bad restore file, a missing
# namespace, version) is left to the host: make -C tools/tcplimitctl
# valgrind.
. "$(dirname "$0")/../lib.sh"

command -v valgrind >/dev/null || tl_skip "valgrind not installed"
VG=(valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all
    --error-exitcode=99 --vgdb=no)

# With libc6-dbg installed valgrind reads all of libc's debug info at each
# start, 40% of a short run: hide /usr/lib/debug but for the dynamic
# linker's file (valgrind needs its symbols) in a mount namespace per run.
vg_debug=
ld=$(readlink -f /lib64/ld-linux-x86-64.so.2)
id=$(readelf -n "$ld" 2>/dev/null | awk '/Build ID/ { print $3 }')
if [ -n "$id" ] && [ -e "/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug" ]; then
	vg_debug=$TL_TMP/debug
	mkdir -p "$vg_debug/.build-id/${id:0:2}"
	cp "/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug" "$vg_debug/.build-id/${id:0:2}/"
fi

# vg_run ARGS...: tcplimitctl ARGS under valgrind.
vg_run() {
	if [ -n "$vg_debug" ]; then
		unshare -m sh -c 'mount --bind "$0" /usr/lib/debug && exec "$@"' "$vg_debug" \
			"${VG[@]}" "$TL_CTL" "$@"
	else
		"${VG[@]}" "$TL_CTL" "$@"
	fi
}

tl_topology
tl_load
tl_server srv :: 8000
tl_ctl srv set-max 2 || tl_fail "set-max 2"
tl_ctl srv set-action reject || tl_fail "set-action reject"
tl_hold pid c1 10.0.1.1 8000 3
tl_eq "client" "$TL_HELD" "established 2 failed 1"
tl_hold_args pid6 c1 -b fd00:1::2 fd00:1::1 8000 1 3000
tl_eq "IPv6 client" "$TL_HELD" "established 1 failed 0"
printf '# good\ntcplimitctl set-max 2\nset-action reject\nallow fd00:9::/64\n' >"$TL_TMP/good"
printf '# bans only\nban 10.5.0.0/16 for 1m\n' >"$TL_TMP/bans"

n=0
vg_all=()
vg_running=()
# vg WANT ARGS...: tcplimitctl ARGS under valgrind in the background, at
# most two at a time; checked below once all have ended.
vg() {
	local want=$1 pid live

	shift
	while [ "${#vg_running[@]}" -ge 2 ]; do
		wait -n "${vg_running[@]}"
		live=()
		for pid in "${vg_running[@]}"; do
			[ -e "$TL_TMP/vg.$pid.done" ] || live+=("$pid")
		done
		vg_running=("${live[@]}")
	done
	n=$((n + 1))
	echo "$want $*" >"$TL_TMP/vg.$n.args"
	(
		vg_run "$@" >"$TL_TMP/vg.$n.out" 2>"$TL_TMP/vg.$n.err" </dev/null
		echo $? >"$TL_TMP/vg.$n.status"
		touch "$TL_TMP/vg.$BASHPID.done"
	) &
	vg_running+=($!)
	vg_all+=($!)
}

vg 0 -n srv show
vg 0 -n srv -j -p sources prefix 10.0.0.0/8 top 2 by limited
vg 0 -n srv save
vg 0 -n srv restore "$TL_TMP/good"
vg 0 -n srv metrics
vg 0 -n srv -j flush
vg 0 -n srv allow 10.9.0.0/16
vg 0 -n srv -j allowlist
vg 0 -n srv ban 10.7.0.0/16 for 1m
vg 0 -n srv -j bans
vg 1 -n srv unban 10.6.0.0/16
vg 0 -n srv set slow 100/10s abnormal-max 3 slow-action reset
vg 0 -n srv restore "$TL_TMP/bans"
wait "${vg_all[@]}"

for i in $(seq "$n"); do
	read -r want args <"$TL_TMP/vg.$i.args"
	status=$(cat "$TL_TMP/vg.$i.status" 2>/dev/null)
	if grep -q '^==[0-9]*==' "$TL_TMP/vg.$i.err" || [ "$status" == 99 ]; then
		tl_fail "valgrind: tcplimitctl $args:"
		sed 's/^/  /' "$TL_TMP/vg.$i.err"
	elif [ "$status" != "$want" ]; then
		tl_fail "tcplimitctl $args: exit status $status, want $want: $(cat "$TL_TMP/vg.$i.err")"
	else
		tl_log "ok: tcplimitctl $args: clean, exit status $status"
	fi
done
tl_eq "max after the restore" "$(tl_proc srv max)" 2
tl_eq "slow_bytes after set slow" "$(tl_proc srv slow_bytes)" 100
tl_release "$pid"
tl_release "$pid6"
tl_done
