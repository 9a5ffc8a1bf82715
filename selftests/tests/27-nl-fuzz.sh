#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Netlink fuzzing (selftests/nlfuzz.py): 10000 random and mutated requests
# to the family as root (TCPLIMIT_FUZZ_COUNT, TCPLIMIT_FUZZ_SEED to
# replay), then 1000 as nobody, with sources and connections in the table.
# Each request gets exactly one error or valid answer (none for a lying
# netlink header), errors are EINVAL, ERANGE, EOPNOTSUPP or EPERM, the
# configuration changes only by a successful SET_CONFIG (never as nobody:
# every change is EPERM), and the kernel log stays clean (run.sh scans
# it). The module still answers and unloads afterwards.
. "$(dirname "$0")/../lib.sh"

count=${TCPLIMIT_FUZZ_COUNT:-10000}
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

start=$(tl_ms)
ip netns exec srv "${fuzz[@]}" --count "$count" >"$TL_TMP/root" 2>&1
status=$?
while read -r line; do tl_log "$line"; done <"$TL_TMP/root"
tl_eq "nlfuzz as root: exit status" "$status" 0
grep -q "^# PASS: $count requests" "$TL_TMP/root" || tl_fail "nlfuzz as root did not pass"
tl_log "root: $count requests in $(($(tl_ms) - start)) ms"

start=$(tl_ms)
ip netns exec srv "${nobody[@]}" "${fuzz[@]}" --count 1000 >"$TL_TMP/nobody" 2>&1
status=$?
while read -r line; do tl_log "$line"; done <"$TL_TMP/nobody"
tl_eq "nlfuzz as nobody: exit status" "$status" 0
grep -q "^# PASS: 1000 requests" "$TL_TMP/nobody" || tl_fail "nlfuzz as nobody did not pass"
grep -q "EPERM" "$TL_TMP/nobody" || tl_fail "nobody got no EPERM"
grep -q "config changed" "$TL_TMP/nobody" && tl_fail "nobody changed the configuration"
tl_log "nobody: 1000 requests in $(($(tl_ms) - start)) ms"

tl_eq "/proc version after fuzzing" "$(tl_proc srv version)" 1
out=$(ip netns exec srv /usr/bin/python3 -S "$TL_DIR/nlraw.py" set-max 7)
tl_eq "a SET_CONFIG after fuzzing" "$out" "max_conn 7"
tl_release "$pid"
tl_release "$pid6"
tl_done
