#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench's guest side (scripts/bench.sh boots the VM and reports).
# Every configuration has its own client and server namespaces, alike but
# for the filter in the server's (bcN -> bsN, 10.8.N.2 -> 10.8.N.1; the
# gateway's through a router, bcN -> brN -> bsN, 10.8.N.2 -> 10.9.N.2), so
# all are set up once and measured interleaved: each round runs every
# workload on every configuration, starting one configuration later than
# the round before, so that a drift in the host's speed favours no one.
#   none       no filter (tcplimit is loaded, but a namespace never
#              configured has no hook: 44-lazy-start)
#   tcplimit   host mode, set-max and set-rate far above the load
#   tl-100k    the same with 100k other sources in its table (SYNs from
#              10.64.0.0/10 to port 9, whose policy, rate 1/1h, keeps each
#              one's rate debt for an hour; tcplimit has the policy too)
#   ct-count   nft: ip saddr ct count over N (conntrack)
#   meter      nft: a dynamic set, ip saddr limit rate over N/second
#   connlimit  iptables: -m connlimit --connlimit-above N (conntrack)
#   hashlimit  iptables: -m hashlimit --hashlimit-above N/sec, per srcip
# and, measured with connect1 only:
#   tl-1k, tl-1m   tcplimit with 1k and 1M other sources (the scale)
#   tl-flood       tcplimit with a source table of 5000 entries
# and, with connect1, connect2 and bulk, through a router (the filter on it):
#   gw-none        no filter
#   gw-tcplimit    tcplimit in gateway mode, caps far above the load, with
#                  conntrack on the router as Documentation/tcplimit.rst
#                  advises for a router facing untrusted clients
#   gw-ct-count    nft ct count in the forward hook
# Workloads, SECONDS each:
#   connect1   one client: connect, a byte each way, close (bench/connrate)
#   connect2   two such clients at once, one per CPU
#   bulk       iperf3, two streams, bits per second
#   http       wrk against nginx, 8 connections, requests per second
# Every program is pinned: connrate's clients each to the CPU of the
# server thread they connect to (port 8000 + CPU), iperf3's client and
# wrk to CPU 0, iperf3's server and nginx's worker to CPU 1 (the last
# CPU on one), so the scheduler's placement, which varies from one run to
# the next, is not what a figure measures.
# Round r starts with the configuration r * ceil(N / ROUNDS) of the N a
# workload measures, so each takes the early and late places alike. Then,
# in rounds of their own after the others (what they leave behind must not
# load the others' figures):
#   nodump, dump    connect1 on tl-1m alone, then while tcplimitctl dumps
#                   its sources again and again
#   noflood, flood  connect1 on tl-flood alone, then during a SYN flood
#                   from random sources of 10.128.0.0/10 (5000 a second)
# Last, where the time goes: connect1 once more on tcplimit, tl-1m,
# gw-tcplimit and gw-ct-count, and the flood on tl-flood, under perf
# (cpu-clock samples of every CPU, with call chains).
# Prints "bench: ROUND WORKLOAD CONFIG VALUE" lines, "bench-dump:" lines
# (the time to dump all sources and to ask for the top 20),
# "bench-profile:" lines (profile(), below) and "bench-info:" notes. The
# run fails (and says why) if a connection fails, a filter never saw the
# traffic or refused any of it (but the flood's), or the flood never
# filled its table.
# Usage (in the VM, root): bench/run.sh ROUNDS SECONDS [SOURCES]
#   SOURCES   tl-100k's table fill (default 100000; tl-1k gets a hundredth,
#             tl-1m ten times as many; make check's smoke run: fewer)
. "$(dirname "$0")/../selftests/lib.sh"

rounds=$1 secs=$2 sources=${3:-100000}
CONNRATE=$TL_REPO/bench/connrate
BIG=100000
configs=(none tcplimit tl-100k ct-count meter connlimit hashlimit tl-1k tl-1m tl-flood
	 gw-none gw-tcplimit gw-ct-count)
workloads=(connect1 connect2 bulk http)
FLOOD_PPS=5000
FLOOD_TABLE=5000
[ -x "$CONNRATE" ] || tl_skip "bench/connrate not built (make -C bench)"
for tool in iperf3 nginx wrk nft iptables perf; do
	command -v $tool >/dev/null || tl_skip "$tool missing (scripts/deps.sh installs it)"
done
tl_load
ncpu=$(nproc)
# nginx's CPU mask (its rightmost digit is CPU 0): the last CPU.
nginx_cpu=1
for ((i = 1; i < ncpu; i++)); do
	nginx_cpu+=0
done
# The daemons go before the namespaces (lib.sh's cleanup).
bench_cleanup() {
	local pidfile

	for pidfile in "$TL_TMP"/iperf3.*.pid "$TL_TMP"/nginx*/pid; do
		[ -s "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
	done
	tl_cleanup
}
trap bench_cleanup EXIT

# measured WORKLOAD CONFIG: is CONFIG measured with WORKLOAD?
measured() {
	case $2 in
	tl-1k | tl-1m | tl-flood) [ "$1" = connect1 ] ;;
	gw-*) [ "$1" != http ] ;;
	*) true ;;
	esac
}

# server_ip N: the server's address in configuration N.
server_ip() {
	case ${configs[$(($1 - 1))]} in
	gw-*) echo "10.9.$1.2" ;;
	*) echo "10.8.$1.1" ;;
	esac
}

# ct_count_rules HOOK: nft ct count over BIG per source, in HOOK, with a
# counter of the SYNs it let through.
ct_count_rules() {
	cat <<-NFT
	table ip bench {
		set src { type ipv4_addr; size 65535; flags dynamic; }
		chain $1 {
			type filter hook $1 priority filter;
			tcp flags & (syn | ack) == syn ct state new add @src { ip saddr ct count over $BIG } counter drop
			tcp flags & (syn | ack) == syn counter
		}
	}
	NFT
}

# setup N CONFIG: the namespaces, servers and filter of configuration N.
setup() {
	local n=$1 c=$2 s=bs$1 ip

	ip=$(server_ip "$n")
	if [[ "$c" == gw-* ]]; then
		tl_ns "bc$n" "br$n" "$s"
		tl_link "br$n" "bc$n" "10.8.$n.1/24" "10.8.$n.2/24"
		tl_link "br$n" "$s" "10.9.$n.1/24" "$ip/24"
		ip netns exec "br$n" sysctl -qw net.ipv4.ip_forward=1 || tl_fail "forwarding in br$n"
		ip -n "bc$n" route add "10.9.$n.0/24" via "10.8.$n.1" || tl_fail "route in bc$n"
		ip -n "$s" route add "10.8.$n.0/24" via "10.9.$n.1" || tl_fail "route in $s"
	else
		tl_ns "bc$n" "$s"
		tl_link "bc$n" "$s" "10.8.$n.2/24" "$ip/24"
	fi
	ip netns exec "$s" "$CONNRATE" server "$ip" 8000 "$ncpu" &
	TL_PIDS+=($!)
	ip netns exec "$s" iperf3 -s -D -B "$ip" -p 5201 -I "$TL_TMP/iperf3.$n.pid" >/dev/null ||
		tl_fail "iperf3 in $s"
	mkdir -p "$TL_TMP/nginx$n"
	cat >"$TL_TMP/nginx$n/nginx.conf" <<-CONF
	daemon on;
	worker_processes 1;
	worker_cpu_affinity $nginx_cpu;
	pid $TL_TMP/nginx$n/pid;
	error_log $TL_TMP/nginx$n/error.log;
	events { worker_connections 1024; }
	http {
		access_log off;
		client_body_temp_path $TL_TMP/nginx$n;
		proxy_temp_path $TL_TMP/nginx$n;
		fastcgi_temp_path $TL_TMP/nginx$n;
		uwsgi_temp_path $TL_TMP/nginx$n;
		scgi_temp_path $TL_TMP/nginx$n;
		server { listen $ip:80; location / { return 200 "hello\n"; } }
	}
	CONF
	ip netns exec "$s" nginx -c "$TL_TMP/nginx$n/nginx.conf" -e "$TL_TMP/nginx$n/error.log" ||
		tl_fail "nginx in $s"
	case $c in
	tl-flood)
		tl_ctl "$s" set max $BIG rate $BIG/1s table-size $FLOOD_TABLE ||
			tl_fail "tcplimitctl in $s"
		ip -n "$s" route add 10.128.0.0/10 via "10.8.$n.2" || tl_fail "route in $s"
		;;
	tcplimit | tl-*)
		tl_ctl "$s" set max $BIG rate $BIG/1s table-size $((sources * 20 > 400000 ? sources * 20 : 400000)) ||
			tl_fail "tcplimitctl in $s"
		tl_ctl "$s" policy add 9 rate 1/1h || tl_fail "policy add 9 in $s"
		;;
	ct-count)
		ct_count_rules input | ip netns exec "$s" nft -f - || tl_fail "nft ct count in $s"
		;;
	gw-tcplimit)
		tl_ctl "br$n" set mode gateway max $BIG rate $BIG/1s || tl_fail "tcplimitctl in br$n"
		tl_conntrack "br$n"
		;;
	gw-ct-count)
		ct_count_rules forward | ip netns exec "br$n" nft -f - || tl_fail "nft ct count in br$n"
		;;
	meter)
		ip netns exec "$s" nft -f - <<-NFT || tl_fail "nft meter in $s"
		table ip bench {
			set src { type ipv4_addr; size 65535; flags dynamic,timeout; timeout 60s; }
			chain input {
				type filter hook input priority filter;
				tcp flags & (syn | ack) == syn add @src { ip saddr limit rate over $BIG/second } counter drop
				tcp flags & (syn | ack) == syn counter
			}
		}
		NFT
		;;
	connlimit)
		ip netns exec "$s" iptables -A INPUT -p tcp --syn -m connlimit \
			--connlimit-above $BIG --connlimit-mask 32 -j DROP || tl_fail "connlimit in $s"
		ip netns exec "$s" iptables -A INPUT -p tcp --syn || tl_fail "iptables count in $s"
		;;
	hashlimit)
		ip netns exec "$s" iptables -A INPUT -p tcp --syn -m hashlimit \
			--hashlimit-above $BIG/sec --hashlimit-burst 10000 --hashlimit-mode srcip \
			--hashlimit-name bench \
			-j DROP || tl_fail "hashlimit in $s"
		ip netns exec "$s" iptables -A INPUT -p tcp --syn || tl_fail "iptables count in $s"
		;;
	esac
}

# entry_slab: bytes of slab the source entries' cache holds (shared with
# caches SLUB merged it with: compare before and after).
entry_slab() {
	local d=/sys/kernel/slab/tcplimit_entry

	echo $(($(cut -d' ' -f1 "$d/objects") * $(cat "$d/slab_size")))
}

# sources_at_least NS N: NS's table holds N sources or more (busywait).
sources_at_least() {
	[ "$(tl_proc "$1" sources)" -ge "$2" ]
}

# fill CONFIG WANT: SYNs from random sources of 10.64.0.0/10 to port 9 of
# CONFIG, whose policy keeps each source's entry for an hour, until its
# table holds WANT sources (5/4 of WANT drawn: a few repeat); what the
# entries cost in slab memory.
fill() {
	local n=$(($(index "$1") + 1)) want=$2 s before got

	s=bs$n
	ip -n "$s" route add 10.64.0.0/10 via "10.8.$n.2" || tl_fail "route in $s"
	before=$(entry_slab)
	ip netns exec "bc$n" "$TL_RAWTCP" syn 10.64.0.0/10 "10.8.$n.1" 9 $((want * 5 / 4)) >/dev/null ||
		tl_fail "rawtcp in bc$n"
	busywait 60000 sources_at_least "$s" "$want" || tl_fail "fewer than $want sources in $s"
	got=$(tl_proc "$s" sources)
	echo "bench-info: $1: $got sources in the table, $((($(entry_slab) - before) / got)) B of slab each"
	filled[$n]=$(tl_proc "$s" admitted)
	fill_refused[$n]=$(refusals "$s")
}

# refusals NS: SYNs NS's limiter refused by a limit or a full table.
refusals() {
	local k sum=0

	for k in limited_rate limited_conn limited_halfopen table_full; do
		sum=$((sum + $(tl_proc "$1" $k)))
	done
	echo $sum
}

# index CONFIG: its place in configs.
index() {
	local i

	for i in "${!configs[@]}"; do
		[ "${configs[$i]}" = "$1" ] && echo "$i" && return
	done
}

# dump_ms CONFIG ARGS...: milliseconds tcplimitctl sources ARGS takes.
dump_ms() {
	local t0 s=bs$(($(index "$1") + 1))

	shift
	t0=$(tl_ms)
	tl_ctl "$s" sources "$@" >/dev/null || tl_fail "sources $* in $s"
	echo $(($(tl_ms) - t0))
}

# measure WORKLOAD N: one figure of WORKLOAD on configuration N.
measure() {
	local w=$1 n=$2 ip out="$TL_TMP/out"

	ip=$(server_ip "$n")
	case $w in
	connect1 | nodump | noflood)
		ip netns exec "bc$n" "$CONNRATE" client "$ip" 8000 $((secs * 1000)) 0 >"$out"
		;;
	connect2)
		local cpu2=$((ncpu - 1))
		ip netns exec "bc$n" "$CONNRATE" client "$ip" 8000 $((secs * 1000)) 0 >"$out.a" &
		ip netns exec "bc$n" "$CONNRATE" client "$ip" $((8000 + cpu2)) $((secs * 1000)) \
			$cpu2 >"$out.b"
		wait $!
		awk '{ c += $2; f += $4; r += $6 } END { print "connects", c, "failed", f, "per_s", r }' \
			"$out.a" "$out.b" >"$out"
		;;
	bulk)
		ip netns exec "bc$n" iperf3 -c "$ip" -p 5201 -A "0,$((ncpu - 1))" -P 2 -t "$secs" -J |
			/usr/bin/python3 -c 'import json, sys
print("per_s", int(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]))' >"$out"
		;;
	http)
		ip netns exec "bc$n" taskset -c 0 wrk -t 1 -c 8 -d "${secs}s" "http://$ip/" |
			awk '/^Requests\/sec:/ { r = $2 } /Non-2xx|Socket errors/ { bad = 1 }
			     END { print "per_s", r + 0, "failed", bad + 0 }' >"$out"
		;;
	dump)
		# Dumps one after the other in a session of their own, stopped
		# whole with the measurement (a dump of 1M sources outlasts it).
		rm -f "$TL_TMP/dumps"
		setsid bash -c 'while :; do echo >>"$0"; ip netns exec "$1" "$2" sources >/dev/null; done' \
			"$TL_TMP/dumps" "bs$n" "$TL_CTL" &
		local dumper=$!
		ip netns exec "bc$n" "$CONNRATE" client "$ip" 8000 $((secs * 1000)) 0 >"$out"
		kill -- -"$dumper"
		wait "$dumper" 2>/dev/null
		[ -s "$TL_TMP/dumps" ] || echo "no dump started" >>"$out"
		;;
	flood)
		ip netns exec "bc$n" "$TL_RAWTCP" syn 10.128.0.0/10 "$ip" 8000 \
			$((FLOOD_PPS * (secs + 1))) $FLOOD_PPS >/dev/null &
		local flooder=$!
		sleep 0.5
		ip netns exec "bc$n" "$CONNRATE" client "$ip" 8000 $((secs * 1000)) 0 >"$out"
		wait "$flooder" || echo "rawtcp failed" >>"$out"
		;;
	esac
	if grep -qE 'failed [1-9]|no dump|rawtcp failed' "$out" || ! grep -qE 'per_s [1-9]' "$out"; then
		echo "$w on ${configs[$((n - 1))]}: $(tr '\n' ' ' <"$out")" >&2
		return 1
	fi
	awk '{ for (i = 1; i < NF; i++) if ($i == "per_s") print $(i + 1) }' "$out"
}

# figure ROUND WORKLOAD N: measure, and print the figure's line.
figure() {
	local v

	if v=$(measure "$2" "$3" 2>"$TL_TMP/why"); then
		echo "bench: $1 $2 ${configs[$(($3 - 1))]} $v"
	else
		tl_fail "round $1: $(cat "$TL_TMP/why")"
	fi
}

echo "bench-info: $rounds rounds, $secs s a figure, $ncpu CPUs, kernel $(uname -r)"
for i in "${!configs[@]}"; do
	setup $((i + 1)) "${configs[$i]}"
done
[ "$tl_failures" -eq 0 ] || exit 1
# What the fills admitted and refused (a source drawn twice is refused by
# port 9's rate), taken off the totals at the end.
declare -A filled fill_refused
fill tl-1k $((sources / 100))
fill tl-100k "$sources"
fill tl-1m $((sources * 10))
tl_eq "the baseline's namespace has no limiter" "$(tl_proc bs1 started)" 0
for c in tl-100k tl-1m; do
	echo "bench-dump: $c $(tl_proc "bs$(($(index $c) + 1))" sources) $(dump_ms $c) $(dump_ms $c top 20)"
done
echo "bench-info: memory: a source entry takes $(cat /sys/kernel/slab/tcplimit_entry/slab_size) B" \
	"of slab, a tracked connection $(cat /sys/kernel/slab/tcplimit_flow/slab_size) B"

for round in $(seq 1 "$rounds"); do
	for w in "${workloads[@]}"; do
		these=()
		for i in "${!configs[@]}"; do
			measured "$w" "${configs[$i]}" && these+=("$i")
		done
		step=$(((${#these[@]} + rounds - 1) / rounds))
		for j in "${!these[@]}"; do
			i=${these[$(((round * step + j) % ${#these[@]}))]}
			figure "$round" "$w" $((i + 1))
		done
	done
done
# The packet path during dumps, then during floods.
for round in $(seq 1 "$rounds"); do
	figure "$round" nodump $(($(index tl-1m) + 1))
	figure "$round" dump $(($(index tl-1m) + 1))
done
for round in $(seq 1 "$rounds"); do
	figure "$round" noflood $(($(index tl-flood) + 1))
	figure "$round" flood $(($(index tl-flood) + 1))
done

# Entry points whose inclusive share (their callees' samples with theirs)
# is the cost of a filter: tcplimit's hooks and GC, conntrack, nftables.
PROFILED="tcplimit_hook4 tcplimit_gc_work nf_conntrack_in nft_do_chain"
# profile CONFIG WORKLOAD: one more figure under perf record -a -g, its
# sampling switched on once perf is ready (it takes seconds to start
# under TCG) and off when the figure ends. Prints "bench-profile: CONFIG
# WORKLOAD samples N", "... entry PCT SYMBOL" for PROFILED (with their
# callees), "... self PCT SYMBOL" for the 8 symbols with the most samples
# of their own, and "... module PCT SYMBOL" for tcplimit's 5, with
# "... module PCT total" for all of its code (percentages of every sample,
# idle included).
profile() {
	local c=$1 w=$2 n data=$TL_TMP/perf.data ctl=$TL_TMP/perf.ctl ack=$TL_TMP/perf.ack
	local pre="bench-profile: $1 $2" perf_pid reply

	n=$(($(index "$c") + 1))
	rm -f "$ctl" "$ack"
	mkfifo "$ctl" "$ack" || tl_fail "mkfifo"
	perf record -D -1 --control "fifo:$ctl,$ack" -q -a -g -e cpu-clock -F 1000 \
		-o "$data" >/dev/null 2>"$TL_TMP/perf.err" &
	perf_pid=$!
	exec 8<>"$ctl" 9<>"$ack"
	echo enable >&8
	if ! read -r -t 300 reply <&9 || [ "$reply" != ack ]; then
		tl_fail "perf record never started: $(cat "$TL_TMP/perf.err")"
	fi
	measure "$w" "$n" >/dev/null 2>"$TL_TMP/why" || tl_fail "profile: $(cat "$TL_TMP/why")"
	echo disable >&8
	read -r -t 60 reply <&9
	kill -INT "$perf_pid"
	# perf ends by raising the SIGINT it caught once perf.data is whole.
	wait "$perf_pid"
	reply=$?
	[ "$reply" -eq 0 ] || [ "$reply" -eq 130 ] ||
		tl_fail "perf record: status $reply: $(cat "$TL_TMP/perf.err")"
	exec 8>&- 9<&-
	# Children, self, samples, [k] or [.], the symbol.
	perf report -i "$data" --stdio -q --children -n -g none --sort sym \
		--percentage absolute >"$TL_TMP/perf.report" 2>>"$TL_TMP/perf.err" ||
		tl_fail "perf report: $(cat "$TL_TMP/perf.err")"
	awk -v pre="$pre" '$1 ~ /%$/ { n += $3 } END { print pre, "samples", n + 0 }' \
		"$TL_TMP/perf.report"
	awk -v pre="$pre" -v want=" $PROFILED " '
		$1 ~ /%$/ && want ~ " " $5 " " && !seen[$5]++ { sub("%", "", $1); print pre, "entry", $1, $5 }' \
		"$TL_TMP/perf.report"
	awk '$1 ~ /%$/ { sub("%", "", $2); print $2, $5 }' "$TL_TMP/perf.report" |
		sort -rn | head -8 | sed "s/^/$pre self /"
	awk '$1 ~ /%$/ && $5 ~ /^tcplimit_/ { sub("%", "", $2); print $2, $5 }' \
		"$TL_TMP/perf.report" | sort -rn >"$TL_TMP/perf.module"
	head -5 "$TL_TMP/perf.module" | sed "s/^/$pre module /"
	awk -v pre="$pre" '{ t += $1 } END { printf "%s module %.2f total\n", pre, t }' \
		"$TL_TMP/perf.module"
}

profile tcplimit connect1
profile tl-1m connect1
profile gw-tcplimit connect1
profile gw-ct-count connect1
profile tl-flood flood

s=bs$(($(index tl-flood) + 1))
got=$(tl_proc "$s" sources)
echo "bench-info: tl-flood after the floods: $got sources (table size $FLOOD_TABLE," \
	"$((got * $(cat /sys/kernel/slab/tcplimit_entry/slab_size) / 1024)) KiB of entries)," \
	"table_full $(tl_proc "$s" table_full), halfopen $(tl_proc "$s" halfopen)," \
	"conns $(tl_proc "$s" conns), admitted $(tl_proc "$s" admitted)"
[ "$got" -le $((FLOOD_TABLE + FLOOD_TABLE / 4)) ] ||
	tl_fail "tl-flood: more sources than its table size and reserve"
[ "$(tl_proc "$s" table_full)" -gt 0 ] || tl_fail "tl-flood: the flood never filled the table"

# Every filter saw the traffic (a rule that never matched measured
# nothing) and refused none of it (a refusal costs the client a SYN
# retransmission, not a failure: the figure would mean another thing).
# packets WHICH: the packets of the nft rules with (drop) or without
# (pass) a drop verdict.
packets() {
	ip netns exec "$s" nft list table ip bench | awk -v which="$1" '/counter/ {
		if ((which == "drop") != /drop/) next
		for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}
for i in "${!configs[@]}"; do
	n=$((i + 1)) s=bs$((i + 1))
	[[ "${configs[$i]}" != gw-* ]] || s=br$((i + 1))
	case ${configs[$i]} in
	tcplimit | tl-* | gw-tcplimit)
		seen=$(($(tl_proc "$s" admitted) - ${filled[$n]:-0}))
		refused=$(($(refusals "$s") - ${fill_refused[$n]:-0}))
		[ "${configs[$i]}" != tl-flood ] || refused=0
		;;
	ct-count | meter | gw-ct-count) seen=$(packets pass) refused=$(packets drop) ;;
	connlimit | hashlimit)
		seen=$(ip netns exec "$s" iptables -L INPUT -vnx | awk 'NR == 4 { print $1 }')
		refused=$(ip netns exec "$s" iptables -L INPUT -vnx | awk 'NR == 3 { print $1 }')
		;;
	*) continue ;;
	esac
	echo "bench-info: ${configs[$i]}: $seen SYNs through the filter, $refused refused"
	[ "${seen:-0}" -gt 0 ] || tl_fail "${configs[$i]}: the filter saw no SYN"
	[ "${refused:-1}" -eq 0 ] || tl_fail "${configs[$i]}: the filter refused $refused SYNs"
done
tl_done
