#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The stress run inside the test VM (scripts/stress.sh starts it), as root.
# Usage: selftests/stress/run.sh DURATION_S
#
# For DURATION_S seconds, all at once, against a server in namespace srv:
#   legit   c1 connects and closes in a loop (IPv4 and IPv6), counting
#           the connections established;
#   flood   c3 sends spoofed SYNs (rawtcp, 10.99/16 and fd00:99::/64,
#           200 per second);
#   fuzz    c3 sends malformed packets now and then (pktfuzz);
#   slow    c2 holds 15 connections for 2..8 s, again and again;
#   churn   every set-* knob of srv with random valid values, flush, modes;
#   netns   namespace pairs with their own limiter (cap 3) come and go
#           while a client holds 6 connections in them (exactly 3 must
#           get through);
#   reload  rmmod and insmod every DURATION/8 s (at least 10 s), under load;
#   sample  the module's slab caches and /proc/meminfo Slab, each second.
# The churn and the namespaces' configuration take a shared lock, a reload
# the exclusive one: a set-* never finds the module missing, so every one
# must succeed. Afterwards, once the clients are gone and short timeouts
# have passed, every count of srv (totals and per source) and of the
# initial namespace is 0; rmmod succeeds and the tcplimit slab caches are
# gone; kmemleak (when the kernel has it) finds no leak; the kernel log has
# no splat. Prints figures and "stress: PASS" or "stress: FAIL".
. "$(dirname "$0")/../lib.sh"

duration=${1:-600}
# Private copies: the tree may be rebuilt on the host during a long run.
mkdir "$TL_TMP/bin"
for f in "$TL_CTL" "$TL_TCPCONN" "$TL_DIR/rawtcp" "$TL_DIR/pktfuzz" "$TL_KO"; do
	[ -e "$f" ] && cp "$f" "$TL_TMP/bin/"
done
TL_CTL=$TL_TMP/bin/tcplimitctl
TL_TCPCONN=$TL_TMP/bin/tcpconn
TL_RAWTCP=$TL_TMP/bin/rawtcp
TL_PKTFUZZ=$TL_TMP/bin/pktfuzz
TL_KO=$TL_TMP/bin/$(basename "$TL_KO")
deadline=	# set once everything is up
reload_every=$(( duration / 8 > 10 ? duration / 8 : 10 ))
lock=$TL_TMP/lock
: >"$lock"
fails=$TL_TMP/failures
: >"$fails"
kl=/sys/kernel/debug/kmemleak

# count NAME N: add N to counter NAME (one file per worker: no sharing).
count() {
	local f=$TL_TMP/count.$1

	echo $(( $(cat "$f" 2>/dev/null || echo 0) + $2 )) >"$f"
}
counter() {
	cat "$TL_TMP/count.$1" 2>/dev/null || echo 0
}
# failure WHAT: a failed check, reported at the end.
failure() {
	echo "$*" >>"$fails"
	tl_log "FAIL: $*"
}
running() {
	[ "$(date +%s)" -lt "$deadline" ]
}
pick() {
	shift $((RANDOM % $#))
	echo "$1"
}

# --- topology ---
tl_ns srv c1 c2 c3
tl_link srv c1 "10.0.1.1/24 fd00:1::1/64" "10.0.1.2/24 fd00:1::2/64"
tl_link srv c2 "10.0.2.1/24 fd00:2::1/64" "10.0.2.2/24 fd00:2::2/64"
tl_link srv c3 "10.0.3.1/24 fd00:3::1/64" "10.0.3.2/24 fd00:3::2/64"
ip -n srv route add 10.99.0.0/16 via 10.0.3.2
ip -n srv -6 route add fd00:99::/64 via fd00:3::2
ip netns exec srv sysctl -qw net.ipv4.tcp_synack_retries=1 net.ipv4.conf.all.rp_filter=0 \
	net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.to-c3.rp_filter=0
c3_peer_mac=$(ip -n srv -o link show to-c3 | sed -n 's/.*link\/ether \([0-9a-f:]*\) .*/\1/p')

# --- slab sampling ---
# The module's caches may be merged with others of the same size (SLUB's
# default): then their figures include the other users of the cache.
slab_caches="tcplimit_entry tcplimit_flow"
slab_kib() {	# CACHE: KiB of slabs held by the cache, empty if there is none
	local d=/sys/kernel/slab/$1 objects size

	objects=$(cut -d' ' -f1 "$d/total_objects" 2>/dev/null)
	size=$(cat "$d/slab_size" 2>/dev/null)
	[ -n "$objects" ] && [ -n "$size" ] && echo $((objects * size / 1024))
}
meminfo_slab() {
	awk '$1 == "Slab:" { print $2 }' /proc/meminfo
}
slab_base=$(meminfo_slab)

# --- configuration ---
baseline="set-max 20
set-rate 50/1s burst 20
set-halfopen-max 10
set-syn-timeout 3s
set-idle-timeout 30s
set-table-size 20000
set-flow-table-size 50000"
configure_srv() {
	tl_ctl srv restore - <<<"$baseline" || failure "baseline configuration"
}

rate_arg() {
	if [ $((RANDOM % 5)) -eq 0 ]; then
		echo off
	else
		echo "$((1 + RANDOM % 200))/$(pick 100ms 1s 10s 1m 1h) burst $((RANDOM % 100))"
	fi
}
limit_list() {
	local l out=

	for l in rate conn halfopen dst full; do
		[ $((RANDOM % 2)) -eq 0 ] && out="$out $l"
	done
	echo "${out:- conn}"
}
# churn_args: one random valid configuration change (tcplimitctl's words).
churn_args() {
	case $((RANDOM % 16)) in
	0) echo "set-max $((RANDOM % 50))" ;;
	1) echo "set-rate $(rate_arg)" ;;
	2) echo "set-halfopen-max $((RANDOM % 30))" ;;
	3) echo "set-prefix v4 $((16 + RANDOM % 17)) v6 $((48 + RANDOM % 81))" ;;
	4) echo "set-dst-max $((RANDOM % 300))" ;;
	5) echo "set-dst-rate $(rate_arg)" ;;
	6) echo "set-syn-timeout $((1 + RANDOM % 10))s" ;;
	7) echo "set-idle-timeout $((1 + RANDOM % 120))s" ;;
	8) echo "set-mode $(pick host host host gateway)" ;;
	9) echo "set-action $(pick drop reject "reject$(limit_list)")" ;;
	10) echo "set-dry-run $(pick on off off)" ;;
	11) echo "set-full-policy $(pick admit drop)" ;;
	12) echo "set-table-size $((RANDOM % 4 == 0 ? 0 : 100 + RANDOM * 3))" ;;
	13) echo "set-flow-table-size $((RANDOM % 4 == 0 ? 0 : 1000 + RANDOM * 8))" ;;
	14) echo flush ;;
	*) echo restore ;;
	esac
}

# --- workers ---
legit() {
	local addr out e f

	while running; do
		addr=$(pick 10.0.1.1 fd00:1::1)
		out=$(tl_client c1 "$addr" 8000 5 2000 close)
		read -r _ e _ f <<<"$out"
		count legit "${e:-0}"
		count legit_failed "${f:-0}"
	done
}

flood() {
	local out n

	while running; do
		if [ $((RANDOM % 2)) -eq 0 ]; then
			out=$(ip netns exec c3 "$TL_RAWTCP" syn 10.99.0.0/16 10.0.3.1 8000 1000 200)
		else
			out=$(ip netns exec c3 "$TL_RAWTCP" syn fd00:99::/64 fd00:3::1 8000 1000 200)
		fi || failure "rawtcp: $out"
		n=$(awk '$1 == "sent" { print $2 }' <<<"$out")
		count syn "${n:-0}"
		# Malformed packets now and then.
		if [ -x "$TL_PKTFUZZ" ] && [ $((RANDOM % 3)) -eq 0 ]; then
			out=$(ip netns exec c3 "$TL_PKTFUZZ" -n 500 link to-srv "$c3_peer_mac" \
				10.0.3.2,10.99.0.0/16 10.0.3.1 fd00:3::2,fd00:99::/64 fd00:3::1 8000) ||
				failure "pktfuzz: $out"
			n=$(awk '$1 == "sent" { print $2 }' <<<"$out")
			count fuzz "${n:-0}"
		fi
	done
}

slow() {
	local out=$TL_TMP/slow.out pid e

	while running; do
		: >"$out"
		ip netns exec c2 "$TL_TCPCONN" client "$(pick 10.0.2.1 fd00:2::1)" 8000 15 3000 \
			hold >"$out" &
		pid=$!
		busywait 20000 test -s "$out"
		read -r _ e _ <"$out"
		count slow "${e:-0}"
		sleep $((2 + RANDOM % 7))
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
}

churn() {
	local args out t0

	while running; do
		t0=$(tl_ms)
		args=$(churn_args)
		if [ "$args" = restore ]; then
			args="restore -"
			out=$(printf '%s\n%s\n%s\n' "$(churn_args)" "$(churn_args)" "$(churn_args)" |
				grep '^set-' | flock -s "$lock" ip netns exec srv "$TL_CTL" restore - 2>&1)
		else
			# shellcheck disable=SC2086 # the arguments are words
			out=$(flock -s "$lock" ip netns exec srv "$TL_CTL" $args 2>&1)
		fi
		if [ $? -eq 0 ]; then
			count reconfig 1
			count reconfig_ms $(( $(tl_ms) - t0 ))
		else
			failure "tcplimitctl $args: $out"
		fi
		sleep 0.1
	done
}

# One namespace pair: its limiter caps a client at 3 of 6 while the pair is
# deleted under it; returns once the processes are gone.
netns_once() {
	local i=$1 s=xs$1 c=xc$1 out=$TL_TMP/netns.out srv_pid hold_pid got

	ip netns add "$s" && ip netns add "$c" || { failure "ip netns add $s $c"; return; }
	count netns 1
	ip -n "$s" link set lo up
	ip link add to-c netns "$s" type veth peer name to-s netns "$c"
	ip -n "$s" addr add 10.9.0.1/24 dev to-c
	ip -n "$c" addr add 10.9.0.2/24 dev to-s
	ip -n "$s" link set to-c up
	ip -n "$c" link set to-s up
	ip netns exec "$s" "$TL_TCPCONN" server 10.9.0.1 8000 &
	srv_pid=$!
	busywait 10000 tl_listening "$s" 8000 || failure "netns $s: server not listening"
	: >"$out"
	(
		flock -s 9
		ip netns exec "$s" "$TL_CTL" restore - <<<"set-max 3
set-action reject" || failure "netns $s: set-max 3"
		# Not holding the lock (fd 9) while it lives.
		ip netns exec "$c" "$TL_TCPCONN" client 10.9.0.1 8000 6 3000 hold >"$out" 9<&- &
		busywait 20000 test -s "$out"
		echo $! >"$out.pid"
	) 9<"$lock"
	hold_pid=$(cat "$out.pid")
	got=$(cat "$out")
	[ "$got" = "established 3 failed 3" ] || failure "netns $s: client got '$got', want 3 of 6"
	count netns_conns "$(awk '{ print $2 }' <<<"$got")"
	sleep 1
	# Delete the namespaces while the connections are held, then let the
	# processes go: the last one takes the namespaces with it.
	ip netns del "$s"
	ip netns del "$c"
	kill "$hold_pid" "$srv_pid" 2>/dev/null
	wait "$srv_pid" 2>/dev/null
	busywait 10000 eval "! kill -0 $hold_pid 2>/dev/null"
}
netns_churn() {
	local i=0

	while running; do
		i=$((i + 1))
		netns_once "$i"
		sleep 1
	done
}

reload() {
	local next=$(( $(date +%s) + reload_every )) tries t0

	while running; do
		sleep 1
		[ "$(date +%s)" -ge "$next" ] || continue
		next=$(( $(date +%s) + reload_every ))
		exec 9<"$lock"
		t0=$(tl_ms)
		flock -x 9
		count reload_wait_ms $(( $(tl_ms) - t0 ))
		t0=$(tl_ms)
		tries=0
		until rmmod tcplimit 2>"$TL_TMP/rmmod.err"; do
			tries=$((tries + 1))
			count rmmod_retry 1
			if [ $tries -ge 20 ]; then
				failure "rmmod: $(cat "$TL_TMP/rmmod.err")"
				break
			fi
			sleep 0.5
		done
		if ! tl_loaded; then
			insmod "$TL_KO" || failure "insmod"
			count reload 1
			configure_srv
		fi
		count reload_ms $(( $(tl_ms) - t0 ))
		exec 9<&-
	done
}

sample() {
	local c kib total peak_mod=0 peak_slab=0 s v conns sources pc=0 ps=0 est pe=0

	while running; do
		total=0
		for c in $slab_caches; do
			kib=$(slab_kib "$c")
			[ -n "$kib" ] && total=$((total + kib))
		done
		[ "$total" -gt "$peak_mod" ] && peak_mod=$total
		s=$(meminfo_slab)
		[ "$s" -gt "$peak_slab" ] && peak_slab=$s
		v=$(ip netns exec srv awk '$1 == "sources" { s = $2 } $1 == "conns" { c = $2 }
			$1 == "source" { exit } END { print s + 0, c + 0 }' /proc/net/tcplimit 2>/dev/null)
		read -r sources conns <<<"$v"
		sources=${sources:-0}
		conns=${conns:-0}
		[ "$sources" -gt "$ps" ] && ps=$sources
		[ "$conns" -gt "$pc" ] && pc=$conns
		# srv's own objects: its sources and tracked connections.
		est=$(( (sources * entry_size + conns * flow_size) / 1024 ))
		[ "$est" -gt "$pe" ] && pe=$est
		echo "$peak_mod $peak_slab $ps $pc $pe" >"$TL_TMP/peaks"
		sleep 1
	done
}

# --- the run ---
[ -x "$TL_RAWTCP" ] || tl_skip "selftests/rawtcp not built (make -C selftests)"
command -v flock >/dev/null || tl_skip "flock (util-linux) not installed"
# What the boot left unreferenced is not the module's.
if [ -w "$kl" ]; then
	echo scan >"$kl" 2>/dev/null && echo clear >"$kl"
fi
dmesg -C
tl_load
merged=
for c in $slab_caches; do
	if [ -L "/sys/kernel/slab/$c" ]; then
		merged="$merged $c=$(basename "$(readlink "/sys/kernel/slab/$c")")"
	fi
done
[ -z "$merged" ] ||
	tl_log "slab caches merged with others of their size (figures include their users):$merged"
slab_start=0
for c in $slab_caches; do
	kib=$(slab_kib "$c")
	slab_start=$((slab_start + ${kib:-0}))
done
entry_size=$(cat /sys/kernel/slab/tcplimit_entry/object_size)
flow_size=$(cat /sys/kernel/slab/tcplimit_flow/object_size)
tl_server srv :: 8000
configure_srv
tl_log "stress for $duration s: reload every $reload_every s"

start=$(date +%s)
deadline=$((start + duration))
pids=()
for w in legit flood slow churn netns_churn reload sample; do
	"$w" &
	pids+=($!)
	TL_PIDS+=($!)
done
for pid in "${pids[@]}"; do
	wait "$pid"
done
elapsed=$(( $(date +%s) - start ))

# --- afterwards: back to 0 ---
tl_loaded || { insmod "$TL_KO" || failure "insmod at the end"; }
tl_ctl srv restore - <<EOF || failure "final configuration"
set-mode host
set-syn-timeout 1s
set-idle-timeout 1s
set-dry-run off
EOF
stale_ns=$(ip netns list | awk '$1 ~ /^x[sc][0-9]/ { print $1 }')
[ -z "$stale_ns" ] || failure "namespaces left: $stale_ns"
busy_rows() {
	ip netns exec srv awk 'seen && ($2 != 0 || $3 != 0) { n++ }
		$1 == "source" { seen = 1 } END { print n + 0 }' /proc/net/tcplimit
}
settled() {
	tl_proc_is srv conns 0 && tl_proc_is srv halfopen 0 && [ "$(busy_rows)" -eq 0 ]
}
# Host mode counts a handshake while TCP holds its request socket (SYN-ACK
# retries: one more, then dropped) or could accept its SYN cookie (up to
# two minutes after it was sent).
ip netns exec srv sysctl -qw net.ipv4.tcp_synack_retries=1
busywait 150000 settled
for k in conns halfopen; do
	v=$(tl_proc srv "$k")
	[ "$v" = 0 ] || failure "srv $k $v after the clients left, want 0"
done
[ "$(busy_rows)" -eq 0 ] || failure "srv: $(busy_rows) source rows still count something"
v=$(awk '$1 == "conns" { print $2 }' /proc/net/tcplimit)
[ "$v" = 0 ] || failure "initial namespace conns $v, want 0"
[ -s "$fails" ] && tl_dump srv | head -60
final_sources=$(tl_proc srv sources)
tl_server_kill() {
	local pid

	for pid in "${TL_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
}
tl_server_kill
rmmod tcplimit || failure "rmmod at the end"
# A cache of its own goes with the module; a merged one (SLUB keeps the
# alias link) cannot be told apart from its other users.
left=
for c in $slab_caches; do
	if [ -L "/sys/kernel/slab/$c" ]; then
		tl_log "$c: merged cache, its alias link stays"
	elif [ -e "/sys/kernel/slab/$c" ]; then
		left="$left $c"
	fi
done
grep -q '^tcplimit' /proc/slabinfo 2>/dev/null && left="$left (in /proc/slabinfo)"
[ -z "$left" ] || failure "slab caches left after rmmod:$left"
leaks="not available"
if [ -w "$kl" ] && echo scan >"$kl" 2>/dev/null; then
	sleep 6
	echo scan >"$kl"
	n=$(grep -c '^unreferenced object' "$kl")
	leaks="$n leak(s)"
	if [ "$n" -ne 0 ]; then
		sed 's/^/  /' "$kl" | head -60
		failure "kmemleak: $n unreferenced object(s)"
	fi
fi
dmesg >"$TL_TMP/dmesg"
bash "$TL_REPO/scripts/scan-log.sh" "$TL_TMP/dmesg" || failure "kernel splat (above)"

read -r peak_mod peak_slab peak_sources peak_conns peak_est <"$TL_TMP/peaks" 2>/dev/null
echo "stress: kernel $(uname -r), duration $elapsed s"
echo "stress: connections handled (successful connects): $(( $(counter legit) + $(counter slow) + $(counter netns_conns) ))" \
	"(legitimate $(counter legit), refused or failed $(counter legit_failed); slow held $(counter slow); in namespaces $(counter netns_conns))"
echo "stress: SYNs flooded: $(counter syn) (and $(counter fuzz) malformed packets)"
echo "stress: reconfigurations: $(counter reconfig)" \
	"($(( $(counter reconfig_ms) / ($(counter reconfig) > 0 ? $(counter reconfig) : 1) )) ms each on average)"
echo "stress: network namespaces created: $(counter netns)"
echo "stress: module reloads: $(counter reload) (rmmod retried $(counter rmmod_retry) times;" \
	"$(counter reload_ms) ms unloaded or reloading, $(counter reload_wait_ms) ms waiting for the lock)"
echo "stress: peak slab: tcplimit caches ${peak_mod:-?} KiB (${slab_start} KiB at load${merged:+; merged:$merged})," \
	"/proc/meminfo Slab ${peak_slab:-?} KiB (${slab_base} KiB before the run)"
echo "stress: peak in srv: sources ${peak_sources:-?}, conns ${peak_conns:-?}," \
	"objects ${peak_est:-?} KiB (entry $entry_size B, flow $flow_size B); at the end: sources $final_sources, conns 0"
echo "stress: kmemleak: $leaks"
if [ -s "$fails" ]; then
	echo "stress: $(wc -l <"$fails") failure(s):"
	sed 's/^/stress:   /' "$fails" | head -40
	echo "stress: FAIL"
	exit 1
fi
echo "stress: PASS"
exit 0
