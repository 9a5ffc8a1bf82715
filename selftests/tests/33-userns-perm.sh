#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# User namespaces (07-non-root covers a plain unprivileged user): root of
# its own user namespace, as nobody and as root, has no CAP_NET_ADMIN over
# a network namespace the initial user namespace owns: it cannot change
# its limiter (exit 1, "permission denied"), dump or flush its sources,
# see them in /proc, or enter it with -n; the configuration is unchanged.
# In a network namespace its own user namespace owns (unshare -U -r -n),
# the same user configures that limiter (GENL_UNS_ADMIN_PERM), which then
# limits connections there, and nothing changes anywhere else. Its tables
# start small (1024 sources, 4096 connections); growing one beyond its
# current size needs the initial namespace's admin, even back to the
# default after a shrink (the host's admin may have shrunk it).
. "$(dirname "$0")/../lib.sh"

command -v setpriv >/dev/null || tl_skip "setpriv (util-linux) not installed"
command -v unshare >/dev/null || tl_skip "unshare (util-linux) not installed"
if [ "$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null || echo 1)" != 1 ] ||
   [ "$(cat /proc/sys/user/max_user_namespaces)" -eq 0 ]; then
	tl_skip "unprivileged user namespaces are disabled"
fi
tl_topology
tl_load
tl_server srv 10.0.1.1 8000
tl_ctl srv set-max 5 || tl_fail "set-max 5"
"$TL_CTL" set-max 6 >/dev/null || tl_fail "set-max 6 in the initial namespace"
tl_hold pid c1 10.0.1.1 8000 2
tl_eq "client" "$TL_HELD" "established 2 failed 0"

# as_nobody NS CMD...: CMD as nobody (no capability at all) in NS.
as_nobody() {
	local ns=$1

	shift
	ip netns exec "$ns" setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all "$@"
}
if ! as_nobody srv unshare -U -r true 2>"$TL_TMP/err"; then
	tl_skip "nobody cannot create a user namespace: $(cat "$TL_TMP/err")"
fi

init_max() {
	awk '$1 == "max" { print $2 }' /proc/net/tcplimit
}

# Root of a new user namespace (nobody outside it), in srv's network
# namespace, and real root in a new user namespace: same answers.
for who in nobody root; do
	if [ $who = nobody ]; then
		userns() { as_nobody srv unshare -U -r "$@"; }
	else
		userns() { ip netns exec srv unshare -U -r "$@"; }
	fi
	tl_eq "$who: uid in its user namespace" "$(userns id -u)" 0

	err=$(userns "$TL_CTL" set-max 9 2>&1)
	tl_eq "$who: userns set-max exit status" "$?" 1
	tl_eq "$who: userns set-max message" "$err" \
		"tcplimitctl: set-max: permission denied (needs CAP_NET_ADMIN)"
	err=$(userns "$TL_CTL" set-rate 1/1s 2>&1)
	tl_eq "$who: userns set-rate exit status" "$?" 1
	tl_eq "$who: userns set-rate message" "$err" \
		"tcplimitctl: set-rate: permission denied (needs CAP_NET_ADMIN)"
	err=$(userns "$TL_CTL" flush 2>&1)
	tl_eq "$who: userns flush exit status" "$?" 1
	tl_eq "$who: userns flush message" "$err" \
		"tcplimitctl: flush: permission denied (needs CAP_NET_ADMIN)"
	err=$(userns "$TL_CTL" sources 2>&1)
	tl_eq "$who: userns sources exit status" "$?" 1
	tl_eq "$who: userns sources message" "$err" \
		"tcplimitctl: sources: permission denied (needs CAP_NET_ADMIN)"
	# Entering another network namespace needs CAP_SYS_ADMIN over it.
	err=$(userns "$TL_CTL" -n c1 set-max 9 2>&1)
	tl_eq "$who: userns -n c1 set-max exit status" "$?" 1
	tl_eq "$who: userns -n c1 set-max message" "$err" \
		"tcplimitctl: cannot enter network namespace 'c1': permission denied (needs CAP_SYS_ADMIN)"

	out=$(userns "$TL_CTL" show 2>/dev/null)
	tl_eq "$who: userns show exit status" "$?" 0
	grep -q '^  max: 5$' <<<"$out" || tl_fail "$who: userns show lacks 'max: 5': $out"
	grep -q '^source' <<<"$out" && tl_fail "$who: userns show lists sources: $out"
	proc=$(userns cat /proc/net/tcplimit)
	grep -q '^conns 2$' <<<"$proc" || tl_fail "$who: userns /proc lacks 'conns 2': $proc"
	grep -q '^10\.0\.1\.2' <<<"$proc" && tl_fail "$who: userns /proc shows a source address"

	tl_eq "$who: srv max unchanged" "$(tl_proc srv max)" 5
	tl_eq "$who: srv rate unchanged" "$(tl_proc srv rate)" 0
	tl_eq "$who: srv source kept" "$(tl_source_conns srv 10.0.1.2/32)" 2
	tl_eq "$who: c1 max unchanged" "$(tl_proc c1 max)" 0
	tl_eq "$who: initial namespace max unchanged" "$(init_max)" 6
done

# Its own network namespace: the user namespace's root configures it, and
# the limiter there caps a client on lo at 2 (refusals answered with RSTs:
# no waiting for retransmissions). One script: the namespace lives as long
# as it runs. The repository is readable by nobody; $TL_TMP is not.
own_netns() {
	set -e
	ip link set lo up
	"$TL_CTL" set-max 2
	"$TL_CTL" set-action reject >/dev/null
	# Its tables start small; memory beyond them is the host's to give.
	"$TL_CTL" show | sed -n 's/^  table-size: /show table-size /p
		s/^  flow-table-size: /show flow-table-size /p'
	"$TL_CTL" set-table-size 1025 2>&1 || echo "grow: exit $?"
	"$TL_CTL" set-flow-table-size 1000 && echo "shrink: ok"
	"$TL_CTL" set-flow-table-size 0 2>&1 || echo "back to the default: exit $?"
	"$TL_CTL" set-flow-table-size 1001 2>/dev/null || echo "one more: exit $?"
	"$TL_CTL" show | sed -n 's/^  flow-table-size: /after 0: flow-table-size /p'
	"$TL_TCPCONN" server 127.0.0.1 8000 &
	for _ in $(seq 100); do
		[ -n "$(ss -Hltn 'sport = :8000')" ] && break
		sleep 0.1
	done
	held=$(mktemp /tmp/userns-hold.XXXXXX)
	"$TL_TCPCONN" client 127.0.0.1 8000 5 3000 hold >"$held" &
	for _ in $(seq 100); do
		[ -s "$held" ] && break
		sleep 0.1
	done
	echo "client: $(cat "$held")"
	rm -f "$held"
	awk '$1 == "max" || $1 == "conns" || $1 == "reject" { print "proc " $1 " " $2 }
		seen { print "row " $0 } $1 == "source" { seen = 1 }' /proc/net/tcplimit
	"$TL_CTL" show | sed -n 's/^  max: /show max /p'
	echo "userns uid $(id -u) outside $(awk '{ print $2 }' /proc/self/uid_map)"
	kill $(jobs -p) 2>/dev/null
	wait 2>/dev/null
	echo "done"
}
export TL_CTL TL_TCPCONN
export -f own_netns
out=$(as_nobody srv unshare -U -r -n bash -c own_netns 2>&1)
tl_eq "own netns: script exit status" "$?" 0
tl_log "$(sed 's/^/  own netns: /' <<<"$out")"
while read -r want; do
	grep -qxF -- "$want" <<<"$out" || tl_fail "own netns: no line '$want'"
done <<'EOF'
show table-size 1024
show flow-table-size 4096
tcplimitctl: set-table-size: permission denied: a table above its current size needs CAP_NET_ADMIN in the initial user namespace
grow: exit 1
shrink: ok
tcplimitctl: set-flow-table-size: permission denied: a table above its current size needs CAP_NET_ADMIN in the initial user namespace
back to the default: exit 1
one more: exit 1
after 0: flow-table-size 1000
client: established 2 failed 3
proc max 2
proc conns 2
proc reject rate,conn,halfopen,dst,full,ban
row 127.0.0.1/32 2 0 0 3 0
show max 2
userns uid 0 outside 65534
done
EOF

# Nothing leaked out of it.
tl_eq "srv max after the user's own netns" "$(tl_proc srv max)" 5
tl_eq "srv reject after the user's own netns" "$(tl_proc srv reject)" none
tl_eq "srv conns after the user's own netns" "$(tl_proc srv conns)" 2
tl_eq "initial namespace max after the user's own netns" "$(init_max)" 6
tl_eq "initial namespace conns" "$(awk '$1 == "conns" { print $2 }' /proc/net/tcplimit)" 0
tl_release "$pid"
tl_conns_settle srv 0
"$TL_CTL" set-max 0 >/dev/null || tl_fail "set-max 0 in the initial namespace"
tl_done
