#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# GET_SOURCES filters and FLUSH, over raw netlink (selftests/nlraw.py).
# Nine sources with known counts (set-max 5, rate 10/1h so rate_avail is
# 10 minus the connections admitted, IPv6 prefix /128): real connections
# held from three addresses of c1 and one IPv6 address, half-open ones from
# raw SYNs of five addresses whose SYN-ACKs are lost (some over the cap:
# "limited"; once unproven, they count only as half-open, their rate given
# back). Then:
#  - the full dump is exactly that table;
#  - top-K by each sort key, K = 1..100, equals the brute-force ranking of
#    the full dump (counter descending, IPv4 first, address ascending), and
#    a few rankings are spelt out (ties broken by address as numbers);
#  - prefix filters return exactly the sources inside, "limited" exactly
#    those with limited > 0, combinations the intersection;
#  - bad filters get the right errno and an extack message;
#  - unprivileged dumps and flushes get EPERM;
#  - FLUSH forgets only a source whose connections all closed (reply 1),
#    its rate state with it (it comes back with a fresh burst), and leaves
#    every other count as it was.
. "$(dirname "$0")/../lib.sh"

[ -x "$TL_RAWTCP" ] || tl_skip "selftests/rawtcp not built (make -C selftests)"
export LC_ALL=C
tl_ns srv c1
tl_link srv c1 "10.0.1.1/24 fd00:1::1/64" "10.0.1.2/24 10.0.1.3/24 10.0.1.4/24 fd00:1::2/64"
# tl_dead_neigh for five addresses, in one ip command (each costs in TCG)
for a in 10.0.1.101 10.0.1.102 10.0.1.103 10.0.1.104 fd00:1::100; do
	echo "neigh replace $a lladdr 02:00:00:00:de:ad dev to-c1 nud permanent"
done | ip -n srv -batch - || tl_fail "dead neighbours"
tl_load
tl_server srv :: 8000

# nl NAME [WRAPPER...]: run the queries of $TL_TMP/NAME.q (one nlraw.py
# command a line) in one python process in srv (python starts slowly in
# the VM), and load the answers: ${NL[QUERY]} is what QUERY printed,
# ${NL_EXIT[QUERY]} its exit status (read without a fork: cheap in TCG).
declare -A NL NL_EXIT
nl() {
	local name=$1 q= line

	shift
	NL=()
	NL_EXIT=()
	ip netns exec srv "$@" /usr/bin/python3 -S "$TL_DIR/nlraw.py" batch \
		<"$TL_TMP/$name.q" >"$TL_TMP/$name.a" 2>&1 || tl_fail "nlraw.py batch $name"
	while IFS= read -r line; do
		case $line in
		"== exit "*) NL_EXIT[$q]=${line#== exit }; q= ;;
		"== "*) q=${line#== }; NL[$q]= ;;
		*) [ -n "$q" ] && NL[$q]+="${NL[$q]:+$'\n'}$line" ;;
		esac
	done <"$TL_TMP/$name.a"
}

# nl_keys QUERY: the first column of its lines, on one line.
nl_keys() {
	local line keys=

	while read -r line _; do
		keys+="${keys:+ }$line"
	done <<<"${NL[$1]}"
	echo "$keys"
}

cat >"$TL_TMP/setup.q" <<EOF
set max_conn=5 rate=10 rate_period_ms=3600000 prefix6=128 syn_timeout_ms=600000
EOF
nl setup
tl_eq "configuration" "${NL[$(<"$TL_TMP/setup.q")]}" ""

tl_hold_args pa c1 -b 10.0.1.2 10.0.1.1 8000 4 5000
tl_eq "10.0.1.2 holds 4" "$TL_HELD" "established 4 failed 0"
tl_hold_args pb c1 -b 10.0.1.3 10.0.1.1 8000 2 5000
tl_eq "10.0.1.3 holds 2" "$TL_HELD" "established 2 failed 0"
tl_hold_args pc c1 -b 10.0.1.4 10.0.1.1 8000 3 5000
tl_eq "10.0.1.4 holds 3" "$TL_HELD" "established 3 failed 0"
tl_hold_args ph c1 -b fd00:1::2 fd00:1::1 8000 1 5000
tl_eq "fd00:1::2 holds 1" "$TL_HELD" "established 1 failed 0"
tl_rawtcp c1 syn 10.0.1.101 10.0.1.1 8000 8
tl_rawtcp c1 syn 10.0.1.102 10.0.1.1 8000 1
tl_rawtcp c1 syn 10.0.1.103 10.0.1.1 8000 3
tl_rawtcp c1 syn 10.0.1.104 10.0.1.1 8000 6
tl_rawtcp c1 syn fd00:1::100 fd00:1::1 8000 7
busywait 10000 tl_prints 29 tl_proc srv conns || tl_fail "conns $(tl_proc srv conns), want 29"
busywait 10000 tl_prints 19 tl_proc srv unproven || tl_fail "unproven $(tl_proc srv unproven), want 19"

# source conns halfopen rate_avail limited, by family and address
full="10.0.1.2/32 4 0 6 0
10.0.1.3/32 2 0 8 0
10.0.1.4/32 3 0 7 0
10.0.1.101/32 0 5 10 3
10.0.1.102/32 0 1 10 0
10.0.1.103/32 0 3 10 0
10.0.1.104/32 0 5 10 1
fd00:1::2/128 1 0 9 0
fd00:1::100/128 0 5 10 2"
v4="10.0.1.2/32 10.0.1.3/32 10.0.1.4/32 10.0.1.101/32 10.0.1.102/32 10.0.1.103/32 10.0.1.104/32"

# prefix and limited filters: "--sorted" prints in the order above
inside=(
	"--addr 10.0.1.0 --prefix-len 24|$v4"
	"--addr 10.0.1.77 --prefix-len 24|$v4"
	"--addr 10.0.1.96 --prefix-len 27|10.0.1.101/32 10.0.1.102/32 10.0.1.103/32 10.0.1.104/32"
	"--addr 10.0.1.2|10.0.1.2/32"
	"--addr 10.0.1.5 --prefix-len 31|10.0.1.4/32"
	"--addr 0.0.0.0 --prefix-len 0|$v4"
	"--addr :: --prefix-len 0|fd00:1::2/128 fd00:1::100/128"
	"--addr fd00:1:: --prefix-len 64|fd00:1::2/128 fd00:1::100/128"
	"--addr fd00:1::100 --prefix-len 120|fd00:1::100/128"
	"--addr 10.0.2.0 --prefix-len 24|"
	"--limited|10.0.1.101/32 10.0.1.104/32 fd00:1::100/128"
	"--limited --addr 10.0.1.0 --prefix-len 24|10.0.1.101/32 10.0.1.104/32"
	"--limited --addr fd00:1:: --prefix-len 64|fd00:1::100/128"
)
{
	echo "sources --sorted"
	echo "sources --empty-filter --sorted"
	for sort in conns halfopen limited; do
		for k in 1 2 3 4 5 6 7 8 9 100; do
			echo "sources --top $k --sort $sort"
			echo "rank $sort $k"
		done
		echo "sources --top 2 --sort $sort --addr 10.0.1.0 --prefix-len 24"
		echo "rank $sort 2 --addr 10.0.1.0 --prefix-len 24"
		echo "sources --top 4 --sort $sort --limited"
		echo "rank $sort 4 --limited"
	done
	echo "sources --top 3"
	for f in "${inside[@]}"; do
		echo "sources ${f%%|*} --sorted"
	done
	echo "sources --addr 10.0.1.0 --prefix-len 33"
	echo "sources --addr-hex 0a00010203"
	echo "sources --addr-hex 0a0001"
	echo "sources --top 0"
	echo "sources --top 10001"
	echo "sources --top 2 --sort 9"
	echo "sources --addr fd00:1:: --prefix-len 129"
	echo "sources --prefix-len 8"
	echo "sources --sort halfopen"
	echo "sources --top 1"
	echo "flush"
} >"$TL_TMP/q1.q"
nl q1

tl_eq "full dump" "${NL[sources --sorted]}" "$full"
tl_eq "empty filter" "${NL[sources --empty-filter --sorted]}" "$full"
for sort in conns halfopen limited; do
	for k in 1 2 3 4 5 6 7 8 9 100; do
		got=${NL[sources --top $k --sort $sort]}
		want=${NL[rank $sort $k]}
		[ "$got" == "$want" ] || tl_fail "top $k by $sort: got '$got', want '$want'"
		[ -n "$got" ] || tl_fail "top $k by $sort: empty"
	done
	tl_eq "top 2 by $sort in 10.0.1.0/24" \
		"${NL[sources --top 2 --sort $sort --addr 10.0.1.0 --prefix-len 24]}" \
		"${NL[rank $sort 2 --addr 10.0.1.0 --prefix-len 24]}"
	tl_eq "top 4 limited by $sort" "${NL[sources --top 4 --sort $sort --limited]}" \
		"${NL[rank $sort 4 --limited]}"
done
tl_log "top-K: 30 rankings equal the brute force"
tl_eq "top 3 by conns" "$(nl_keys "sources --top 3 --sort conns")" \
	"10.0.1.2/32 10.0.1.4/32 10.0.1.3/32"
tl_eq "top 6 by conns (ties at 0 by address)" "$(nl_keys "sources --top 6 --sort conns")" \
	"10.0.1.2/32 10.0.1.4/32 10.0.1.3/32 fd00:1::2/128 10.0.1.101/32 10.0.1.102/32"
tl_eq "top 100 by conns" "$(nl_keys "sources --top 100 --sort conns")" \
	"10.0.1.2/32 10.0.1.4/32 10.0.1.3/32 fd00:1::2/128 10.0.1.101/32 10.0.1.102/32 10.0.1.103/32 10.0.1.104/32 fd00:1::100/128"
tl_eq "top 4 by halfopen (10.0.1.101, .104 before fd00:1::100)" \
	"$(nl_keys "sources --top 4 --sort halfopen")" \
	"10.0.1.101/32 10.0.1.104/32 fd00:1::100/128 10.0.1.103/32"
tl_eq "top 3 by limited" "$(nl_keys "sources --top 3 --sort limited")" \
	"10.0.1.101/32 fd00:1::100/128 10.0.1.104/32"
tl_eq "top 3, default sort" "$(nl_keys "sources --top 3")" \
	"10.0.1.2/32 10.0.1.4/32 10.0.1.3/32"
tl_eq "top 2 by limited in 10.0.1.0/24" \
	"$(nl_keys "sources --top 2 --sort limited --addr 10.0.1.0 --prefix-len 24")" \
	"10.0.1.101/32 10.0.1.104/32"
for f in "${inside[@]}"; do
	tl_eq "sources ${f%%|*}" "$(nl_keys "sources ${f%%|*} --sorted")" "${f#*|}"
	tl_eq "exit status of sources ${f%%|*}" "${NL_EXIT[sources ${f%%|*} --sorted]}" 0
done
tl_eq "counts of 10.0.1.5/31" "${NL[sources --addr 10.0.1.5 --prefix-len 31 --sorted]}" \
	"10.0.1.4/32 3 0 7 0"

# bad filters: errno, the message that carried the error (a bad
# combination is found after the core's policy: in the NLMSG_ERROR on
# kernels that give a dump's .start an extack, else in its NLMSG_DONE),
# and the extack message
bad() {
	local got

	got=${NL[$1]}
	if [[ "$got" =~ ^error\ $2\ ($3):\ (.+)$ ]] && [[ -z "$4" || "${BASH_REMATCH[2]}" == "$4" ]]; then
		tl_log "ok: $1: $got"
	else
		tl_fail "$1: got '$got', want 'error $2 $3: ${4:-<a message>}'"
	fi
}
bad "sources --addr 10.0.1.0 --prefix-len 33" ERANGE "ERROR|DONE" "IPv4 prefix length over 32"
bad "sources --addr-hex 0a00010203" EINVAL ERROR "address must be 4 (IPv4) or 16 (IPv6) bytes"
bad "sources --addr-hex 0a0001" EINVAL ERROR "address must be 4 (IPv4) or 16 (IPv6) bytes"
bad "sources --top 0" ERANGE ERROR
bad "sources --top 10001" ERANGE ERROR
bad "sources --top 2 --sort 9" ERANGE ERROR
bad "sources --addr fd00:1:: --prefix-len 129" ERANGE ERROR
bad "sources --prefix-len 8" EINVAL "ERROR|DONE" "a prefix length needs an address"
bad "sources --sort halfopen" EINVAL "ERROR|DONE" "a sort order needs a top count"
tl_eq "a dump after the bad filters" "${NL[sources --top 1]}" "10.0.1.2/32 4 0 6 0"
tl_eq "flush with every source busy" "${NL[flush]}" "flushed 0"

# unprivileged: no dump, no flush (the filter is not even looked at)
printf '%s\n' "sources" "sources --top 2" "flush" >"$TL_TMP/nobody.q"
nl nobody setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all
tl_eq "unprivileged dump" "${NL[sources]}" "error EPERM ERROR: "
tl_eq "unprivileged top dump" "${NL[sources --top 2]}" "error EPERM ERROR: "
tl_eq "unprivileged flush" "${NL[flush]}" "error EPERM ERROR: "

# FLUSH: 10.0.1.3 closes its 2 connections; its entry stays (it owes rate
# credit, so the garbage collector keeps it) until flushed.
tl_release "$pb"
busywait 10000 tl_prints 0 tl_source_count srv 10.0.1.3/32 conns ||
	tl_fail "10.0.1.3/32 conns still $(tl_source_count srv 10.0.1.3/32 conns)"
printf '%s\n' "sources --addr 10.0.1.3" "flush" "sources --sorted" "flush # again" >"$TL_TMP/q2.q"
nl q2
tl_eq "10.0.1.3 idle before the flush" "${NL[sources --addr 10.0.1.3]}" "10.0.1.3/32 0 0 8 0"
tl_eq "flush" "${NL[flush]}" "flushed 1"
tl_eq "after the flush" "${NL[sources --sorted]}" "$(grep -v '^10\.0\.1\.3/' <<<"$full")"
tl_eq "second flush" "${NL[flush # again]}" "flushed 0"
tl_eq "sources in /proc after the flush" "$(tl_proc srv sources)" 8
tl_hold_args pb c1 -b 10.0.1.3 10.0.1.1 8000 1 5000
tl_eq "10.0.1.3 back" "$TL_HELD" "established 1 failed 0"
tl_eq "10.0.1.3 starts with a fresh burst" "$(tl_source_count srv 10.0.1.3/32 rate_avail)" 9
[ "$tl_failures" -eq 0 ] || { cat "$TL_TMP/q1.a"; tl_dump srv; }
tl_done
