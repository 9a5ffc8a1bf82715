#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Netlink fuzzing (selftests/nlfuzz.py), with sources and connections in
# the table: N random and mutated requests to the family as root
# (N = TCPLIMIT_FUZZ_COUNT, default 2000 with a new seed each run; `make
# fuzz` sends 100000; TCPLIMIT_FUZZ_SEED replays), N as nobody become root
# of its own user and network namespace (unshare -U -r -n:
# GENL_UNS_ADMIN_PERM lets it change that limiter, so the set paths are
# fuzzed without privilege), then N/10
# as nobody and N/10 as root of a user namespace in srv's network namespace
# (which its user namespace does not own: every change must be EPERM).
# Each request gets exactly one error or valid answer (none for a lying
# netlink header), errors are EINVAL, ERANGE, EOPNOTSUPP or EPERM, the
# configuration changes only by a successful SET_CONFIG (never as nobody:
# every change is EPERM), and the kernel log stays clean (run.sh scans
# it). The module still answers and unloads afterwards.
. "$(dirname "$0")/../lib.sh"

count=${TCPLIMIT_FUZZ_COUNT:-2000}
few=$((count / 10))
seed=${TCPLIMIT_FUZZ_SEED:-}
tl_ns srv c1
tl_link srv c1 "10.0.1.1/24 fd00:1::1/64" "10.0.1.2/24 fd00:1::2/64"
tl_load
tl_server srv :: 8000
tl_hold pid c1 10.0.1.1 8000 3
tl_eq "client" "$TL_HELD" "established 3 failed 0"
tl_hold pid6 c1 fd00:1::1 8000 2
tl_eq "IPv6 client" "$TL_HELD" "established 2 failed 0"

nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all)
fuzz=(/usr/bin/python3 -S "$TL_DIR/nlfuzz.py" ${seed:+--seed "$seed"})

# fuzz_as NAME N [CMD...]: N requests from srv's namespace, through CMD (a
# prefix that switches user and namespaces); every check of nlfuzz held.
fuzz_as() {
	local name=$1 n=$2 start status

	shift 2
	start=$(tl_ms)
	ip netns exec srv "$@" "${fuzz[@]}" --count "$n" >"$TL_TMP/$name" 2>&1
	status=$?
	while read -r line; do tl_log "$line"; done <"$TL_TMP/$name"
	tl_eq "nlfuzz $name: exit status" "$status" 0
	grep -q "^# PASS: $n requests" "$TL_TMP/$name" || tl_fail "nlfuzz $name did not pass"
	tl_log "$name: $n requests in $(($(tl_ms) - start)) ms"
}
# powerless NAME: every change NAME tried was refused.
powerless() {
	grep -q "EPERM" "$TL_TMP/$1" || tl_fail "$1 got no EPERM"
	grep -q "config changed" "$TL_TMP/$1" && tl_fail "$1 changed the configuration"
}

fuzz_as root "$count"
fuzz_as nobody "$few" "${nobody[@]}"
powerless nobody
# Its own namespaces: it is their admin, so SET_CONFIG succeeds there.
fuzz_as userns-own "$count" "${nobody[@]}" unshare -U -r -n
grep -q "config changed" "$TL_TMP/userns-own" || tl_fail "userns-own changed nothing in its own namespace"
# srv's namespace from a user namespace: root there, no power here.
fuzz_as userns-srv "$few" "${nobody[@]}" unshare -U -r
powerless userns-srv

tl_eq "/proc version after fuzzing" "$(tl_proc srv version)" 1
out=$(ip netns exec srv /usr/bin/python3 -S "$TL_DIR/nlraw.py" set-max 7)
tl_eq "a SET_CONFIG after fuzzing" "$out" "max_conn 7"
tl_release "$pid"
tl_release "$pid6"
tl_done
