# SPDX-License-Identifier: GPL-2.0
# Shared helpers of the selftests, sourced by each test (run as root in the
# test VM). A test exits 0 (pass), 1 (fail) or 4 (skip, ksft_skip); its
# cleanup runs on every exit. Grouped by topic: results, time, the module,
# namespaces, clients and servers, sockets, the limiter's state, raw
# packets, crafted clients. Names follow the kernel's net selftests where
# one exists (busywait, ksft_skip); the rest are tl_*.

ksft_skip=4
TL_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TL_REPO=$(cd "$TL_DIR/.." && pwd)
TL_CTL=$TL_REPO/tools/tcplimitctl/tcplimitctl
TL_TCPCONN=$TL_DIR/tcpconn
TL_RAWTCP=$TL_DIR/rawtcp
TL_ATTACK=$TL_DIR/attack.py
TL_TRICKLE=$TL_DIR/trickle.py
TL_KO=${TCPLIMIT_KO:-$TL_REPO/module/tcplimit.ko}
TL_TMP=$(mktemp -d /tmp/tcplimit-test.XXXXXX)
TL_NETNS=()
TL_PIDS=()
tl_failures=0

tl_cleanup() {
	local pid ns

	for pid in "${TL_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${TL_PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	for ns in "${TL_NETNS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	tl_loaded && rmmod tcplimit
	rm -rf "$TL_TMP"
}
trap tl_cleanup EXIT

# --- results ---

tl_log() {
	echo "# $*"
}

# tl_skip REASON: the test cannot run here (exit 4); a failure already
# recorded wins (exit 1).
tl_skip() {
	tl_log "SKIP: $*"
	[ "$tl_failures" -eq 0 ] || exit 1
	exit $ksft_skip
}

# tl_fail MESSAGE: record a failed check; the test goes on and exits 1.
tl_fail() {
	tl_log "FAIL: $*"
	tl_failures=$((tl_failures + 1))
}

# tl_eq WHAT GOT WANT
tl_eq() {
	if [ "$2" == "$3" ]; then
		tl_log "ok: $1 = $3"
	else
		tl_fail "$1: got '$2', want '$3'"
	fi
}

# tl_done: the test's last line.
tl_done() {
	[ "$tl_failures" -eq 0 ] && exit 0
	exit 1
}

# --- time ---

# tl_ms: milliseconds since the epoch.
tl_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# busywait TIMEOUT_MS CMD...: run CMD until it succeeds or time runs out.
busywait() {
	local deadline=$(($(tl_ms) + $1))

	shift
	until "$@"; do
		[ "$(tl_ms)" -ge $deadline ] && return 1
		sleep 0.1
	done
}

# tl_prints WANT CMD...: CMD prints WANT (for busywait: CMD is run again
# each time, unlike an argument substituted once).
tl_prints() {
	local want=$1

	shift
	[ "$("$@")" == "$want" ]
}

# tl_prints_ge N CMD...: CMD prints a number, at least N (for busywait).
tl_prints_ge() {
	local want=$1 got

	shift
	got=$("$@")
	[ "${got:-0}" -ge "$want" ] 2>/dev/null
}

# --- the module ---

tl_loaded() {
	grep -q '^tcplimit ' /proc/modules
}

tl_load() {
	insmod "$TL_KO" "$@" || { tl_fail "insmod $TL_KO"; exit 1; }
}

tl_unload() {
	rmmod tcplimit || tl_fail "rmmod tcplimit"
}

# --- namespaces and links ---

# tl_ns NAME...: new network namespaces, deleted on exit.
tl_ns() {
	local ns

	for ns in "$@"; do
		ip netns add "$ns" || exit 1
		ip -n "$ns" link set lo up
		TL_NETNS+=("$ns")
	done
}

# tl_link NS_A NS_B "ADDR_A..." "ADDR_B...": a veth pair between two
# namespaces (named after the peer), with addresses (IPv6 without DAD).
tl_link() {
	local a=$1 b=$2 addr

	ip link add "to-$b" netns "$a" type veth peer name "to-$a" netns "$b" || exit 1
	for addr in $3; do
		ip -n "$a" addr add "$addr" dev "to-$b" nodad 2>/dev/null ||
			ip -n "$a" addr add "$addr" dev "to-$b"
	done
	for addr in $4; do
		ip -n "$b" addr add "$addr" dev "to-$a" nodad 2>/dev/null ||
			ip -n "$b" addr add "$addr" dev "to-$a"
	done
	ip -n "$a" link set "to-$b" up
	ip -n "$b" link set "to-$a" up
}

# tl_topology: server namespace "srv" and two clients, each on its own link.
#   c1 10.0.1.2 fd00:1::2  <->  srv 10.0.1.1 fd00:1::1
#   c2 10.0.2.2 fd00:2::2  <->  srv 10.0.2.1 fd00:2::1
tl_topology() {
	tl_ns srv c1 c2
	tl_link srv c1 "10.0.1.1/24 fd00:1::1/64" "10.0.1.2/24 fd00:1::2/64"
	tl_link srv c2 "10.0.2.1/24 fd00:2::1/64" "10.0.2.2/24 fd00:2::2/64"
}

# tl_routed CLIENT RTR SERVER A B: CLIENT in network A (10.0.A.0/24,
# fd00:A::/64) and SERVER in network B, both .2 (::2), routed by RTR (.1,
# ::1 in both).
tl_routed() {
	local c=$1 r=$2 s=$3 a=$4 b=$5

	tl_ns "$c" "$r" "$s"
	tl_link "$r" "$c" "10.0.$a.1/24 fd00:$a::1/64" "10.0.$a.2/24 fd00:$a::2/64"
	tl_link "$r" "$s" "10.0.$b.1/24 fd00:$b::1/64" "10.0.$b.2/24 fd00:$b::2/64"
	ip netns exec "$r" sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward &&
		echo 1 >/proc/sys/net/ipv6/conf/all/forwarding' || exit 1
	ip -n "$c" route add default via "10.0.$a.1" || exit 1
	ip -n "$c" -6 route add default via "fd00:$a::1" || exit 1
	ip -n "$s" route add default via "10.0.$b.1" || exit 1
	ip -n "$s" -6 route add default via "fd00:$b::1" || exit 1
}

# tl_conntrack NS: conntrack runs in NS, as on most routers (an nft rule
# that needs it, counting in chain inet tl_ct forward what it finds invalid).
tl_conntrack() {
	ip netns exec "$1" nft -f - <<-NFT || tl_fail "nft ct rule in $1"
	table inet tl_ct {
		chain forward {
			type filter hook forward priority 0;
			ct state invalid counter
		}
	}
	NFT
}

# tl_dead_neigh NS DEV ADDR: a permanent neighbour entry for ADDR with a MAC
# address nobody has: packets to ADDR leave DEV and are lost, and no failed
# ARP resolution reports an error to the local sender (which would make TCP
# drop a SYN_RECV request socket after ~3 s).
tl_dead_neigh() {
	ip -n "$1" neigh replace "$3" lladdr 02:00:00:00:de:ad dev "$2" nud permanent
}

# --- servers and clients (selftests/tcpconn) ---

# tl_server NS ADDR PORT [-c]: a TCP server holding every connection it
# accepts (-c: it sends its FIN first, as tcpconn server -c).
tl_server() {
	ip netns exec "$1" "$TL_TCPCONN" server ${4:+"$4"} "$2" "$3" &
	TL_PIDS+=($!)
	busywait 5000 tl_listening "$1" "$3" || { tl_fail "server $2:$3 not listening"; exit 1; }
}

tl_listening() {
	ip netns exec "$1" ss -Hltn "sport = :$2" | grep -q .
}

# tl_client NS ARGS...: tcpconn client ARGS... in the foreground (ARGS as
# tcpconn takes them: [-b SRC] [-p PORT] [-r] ADDR PORT N TIMEOUT_MS [MODE]).
tl_client() {
	local ns=$1

	shift
	ip netns exec "$ns" "$TL_TCPCONN" client "$@"
}

# tl_connect NS ADDR PORT N [TIMEOUT_MS]: open N connections, print
# "established E failed F", close them.
tl_connect() {
	tl_client "$1" "$2" "$3" "$4" "${5:-3000}" close
}

# tl_hold_args VAR NS ARGS...: open connections as tcpconn client ARGS...
# ([-b SRC] [-p PORT] [-r] ADDR PORT N TIMEOUT_MS) and keep them open in the
# background. VAR gets the client's pid (tl_release closes them), TL_HELD
# its "established E failed F" line. Not in a subshell.
tl_hold_args() {
	local var=$1 ns=$2 out="$TL_TMP/hold.$RANDOM"

	shift 2
	ip netns exec "$ns" "$TL_TCPCONN" client "$@" hold >"$out" &
	TL_PIDS+=($!)
	printf -v "$var" '%s' "$!"
	busywait 30000 test -s "$out" || tl_fail "client $* never reported"
	TL_HELD=$(cat "$out")
}

# tl_hold VAR NS ADDR PORT N [TIMEOUT_MS]: tl_hold_args with the usual
# arguments (timeout 3 s).
tl_hold() {
	tl_hold_args "$1" "$2" "$3" "$4" "$5" "${6:-3000}"
}

# tl_trickle VAR NS ARGS...: a slow client in the background
# (selftests/trickle.py ARGS: [-b SRC] ADDR PORT N INTERVAL_S BYTES),
# once its connections are open. VAR gets its pid (tl_trickle_end ends
# it), TL_HELD its "established E" line.
tl_trickle() {
	local var=$1 ns=$2 out="$TL_TMP/trickle.$RANDOM"

	shift 2
	ip netns exec "$ns" /usr/bin/python3 "$TL_TRICKLE" "$@" >"$out" &
	TL_PIDS+=($!)
	printf -v "$var" '%s' "$!"
	printf -v "${var}_out" '%s' "$out"
	busywait 30000 test -s "$out" || tl_fail "slow client $* never reported"
	TL_HELD=$(head -n 1 "$out")
}

# tl_trickle_end VAR: end the slow client of tl_trickle VAR; print its
# "alive A reset R" line.
tl_trickle_end() {
	local pid=${!1} out="${1}_out"

	out=${!out}
	kill "$pid" 2>/dev/null
	# It ends at its next round (a subshell cannot wait for it).
	busywait 10000 tl_lines_ge "$out" 2 || tl_fail "slow client $1 never ended"
	tail -n 1 "$out"
}

# tl_lines_ge FILE N: FILE has N lines or more (for busywait).
tl_lines_ge() {
	[ "$(wc -l <"$1")" -ge "$2" ]
}

# tl_release PID: close the connections a tl_hold client keeps.
tl_release() {
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# --- sockets (ss) ---

# tl_established NS PORT: server-side established connections on PORT.
tl_established() {
	ip netns exec "$1" ss -Htn state established "( sport = :$2 )" | wc -l
}

# tl_established_is NS PORT N: N of them (for busywait).
tl_established_is() {
	[ "$(tl_established "$1" "$2")" -eq "$3" ]
}

# tl_local_ends NS PORT: the local ADDR:PORT of the namespace's established
# connections to remote port PORT, one a line.
tl_local_ends() {
	ip netns exec "$1" ss -Htn state established "( dport = :$2 )" | awk '{ print $3 }'
}

# tl_sockets NS PORT PEER [STATE]: the namespace's sockets on local PORT
# with PEER as the remote address, in STATE (default: any but TIME_WAIT).
tl_sockets() {
	local peer=$3 filter

	[[ $peer == *:* ]] && peer="[$peer]"
	filter="( sport = :$2 and dst $peer )"

	if [ -n "${4:-}" ]; then
		ip netns exec "$1" ss -Htn state "$4" "$filter" | wc -l
	else
		ip netns exec "$1" ss -Htn "$filter" | grep -vc '^TIME-WAIT'
	fi
}

# --- the limiter's state: tcplimitctl and /proc/net/tcplimit ---
# Counters are read from the tool's JSON (tl_snap: one netlink request, the
# values agree with each other); /proc/net/tcplimit, the readable
# interface, by tl_proc (its header) and tl_dump.

# tl_ctl NS ARGS...: tcplimitctl in a namespace.
tl_ctl() {
	local ns=$1

	shift
	ip netns exec "$ns" "$TL_CTL" "$@"
}

# tl_ctl_fails NS STATUS WANT ARGS...: tcplimitctl ARGS in NS exits STATUS
# and prints exactly WANT on stderr (nothing checked on stdout).
tl_ctl_fails() {
	local ns=$1 status=$2 want=$3 got

	shift 3
	tl_ctl "$ns" "$@" 2>"$TL_TMP/ctl.err" >/dev/null
	got=$?
	tl_eq "tcplimitctl $* exit status" "$got" "$status"
	tl_eq "tcplimitctl $* error" "$(cat "$TL_TMP/ctl.err")" "$want"
}

# tl_proc NS KEY: a header value of /proc/net/tcplimit.
tl_proc() {
	ip netns exec "$1" awk -v k="$2" '$1 == "source" { exit } $1 == k { print $2 }' \
		/proc/net/tcplimit
}

# tl_proc_is NS KEY WANT: the header value KEY is WANT (for busywait).
tl_proc_is() {
	[ "$(tl_proc "$1" "$2")" == "$3" ]
}

# tl_conns_is NS WANT: the namespace's total count is WANT (for busywait).
tl_conns_is() {
	tl_proc_is "$1" conns "$2"
}

# tl_conns_settle NS WANT: wait (up to 10 s) for the namespace's total count.
tl_conns_settle() {
	busywait 10000 tl_conns_is "$1" "$2"
	tl_eq "conns in $1" "$(tl_proc "$1" conns)" "$2"
}

# tl_json NS NAME: `tcplimitctl -j show` (the configuration, totals and
# sources) into $TL_TMP/NAME.NS.
tl_json() {
	tl_ctl "$1" -j show >"$TL_TMP/$2.$1" || tl_fail "tcplimitctl -j show in $1"
}

# tl_snap NS: take one snapshot; tl_snap_key and tl_snap_col read it.
tl_snap() {
	tl_json "$1" snap
}

# The awk program that reads a snapshot: the value of K in the object of
# source S (S empty: the top level, the configuration and the totals, the
# first found), a list as its items joined by commas; nothing if absent.
TL_AWK_JSON='BEGIN { RS = "[{}]" }
{
	rec = $0
	src = ""
	if (match(rec, /"source":"[^"]*"/))
		src = substr(rec, RSTART + 10, RLENGTH - 11)
	if (src != s)
		next
	while (match(rec, /"[^"]*":(\[[^]]*\]|"[^"]*"|[^,]*)/)) {
		pair = substr(rec, RSTART, RLENGTH)
		rec = substr(rec, RSTART + RLENGTH)
		key = pair
		sub(/":.*/, "", key)
		sub(/^"/, "", key)
		if (key != k)
			continue
		sub(/^"[^"]*":/, "", pair)
		gsub(/[]["]/, "", pair)
		print pair
		exit
	}
}'

# tl_snap_key NS KEY: a total (or setting) of the last snapshot.
tl_snap_key() {
	awk -v s= -v k="$2" "$TL_AWK_JSON" "$TL_TMP/snap.$1"
}

# tl_snap_col NS SOURCE COUNT: a count of SOURCE in the last snapshot.
tl_snap_col() {
	awk -v s="$2" -v k="$3" "$TL_AWK_JSON" "$TL_TMP/snap.$1"
}

# tl_source_count NS SOURCE COUNT: one count of SOURCE now (empty if the
# limiter has no such source).
tl_source_count() {
	tl_json "$1" now && awk -v s="$2" -v k="$3" "$TL_AWK_JSON" "$TL_TMP/now.$1"
}

# tl_source_conns NS SOURCE: the conns of SOURCE now.
tl_source_conns() {
	tl_source_count "$1" "$2" conns
}

# tl_snap_dump NS: the last snapshot of NS into the test log, an object a
# line.
tl_snap_dump() {
	sed 's/},{/},\n{/g; s/:{/:\n{/g; $a\' "$TL_TMP/snap.$1" | sed "s/^/  $1: /"
}

# tl_dump NS: /proc/net/tcplimit into the test log (for failures).
tl_dump() {
	ip netns exec "$1" cat /proc/net/tcplimit | sed "s/^/  $1: /"
}

# tl_show_field NS SOURCE KEY: the "KEY: value" that `tcplimitctl show`
# gives under "source SOURCE".
tl_show_field() {
	tl_ctl "$1" show | awk -v s="$2" -v k="$3:" '$1 == "source" { cur = $2; next }
		/^[^ ]/ { cur = "" } cur == s && $1 == k { print $2 }'
}

# tl_show_source NS SOURCE: the conns that `tcplimitctl show` gives a source.
tl_show_source() {
	tl_show_field "$1" "$2" conns
}

# --- raw packets and floods (selftests/rawtcp) ---

# tl_rawtcp NS ARGS...: selftests/rawtcp in a namespace (syn, syn-fixed, rst);
# its "sent ..." line goes to the test log. Fails the test if it fails.
tl_rawtcp() {
	local ns=$1 out

	shift
	[ -x "$TL_RAWTCP" ] || tl_skip "selftests/rawtcp not built (make -C selftests)"
	out=$(ip netns exec "$ns" "$TL_RAWTCP" "$@" 2>&1) || tl_fail "rawtcp $*: $out"
	tl_log "  rawtcp: $out"
}

# tl_backlog_drops: packets the receive backlogs dropped since boot, every
# CPU (the SYNs a flood loses before any hook, and the answers to it).
tl_backlog_drops() {
	local _ dropped total=0

	while read -r _ dropped _; do
		total=$((total + 16#$dropped))
	done </proc/net/softnet_stat
	echo "$total"
}

# --- crafted clients (selftests/attack.py, scapy) ---

# tl_quiet NS PORT...: the namespace's own TCP never answers packets from
# these ports (so a crafted client there drives its handshakes alone).
tl_quiet() {
	local ns=$1 port

	shift
	# One rule per port: an anonymous set makes the debug kernel's
	# nf_tables report "suspicious RCU usage" (its own, not tcplimit's).
	{
		echo "table inet tl_quiet {"
		echo "	chain input {"
		echo "		type filter hook input priority 0;"
		for port in "$@"; do
			echo "		tcp sport $port drop"
		done
		echo "	}"
		echo "}"
	} | ip netns exec "$ns" nft -f - || tl_fail "nft in $ns"
}

# tl_attack NS SCENARIO SRC DST PORT N IFACE: selftests/attack.py in a
# namespace; prints its "synack S established E" line.
tl_attack() {
	local ns=$1

	shift
	/usr/bin/python3 -c 'import scapy' 2>/dev/null ||
		tl_skip "python3-scapy missing (scripts/deps.sh installs it)"
	ip netns exec "$ns" /usr/bin/python3 "$TL_ATTACK" "$@"
}

[ -x "$TL_TCPCONN" ] || tl_skip "selftests/tcpconn not built (make -C selftests)"
[ -x "$TL_CTL" ] || tl_skip "tcplimitctl not built (make tool)"
