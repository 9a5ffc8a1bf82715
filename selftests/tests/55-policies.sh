#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Per-port policies. Under the default max 2, port 8001 has a policy of
# max 4 and ports 8002-8003 one of max 1 (one count for the range), port
# 8004 one of rate 2/1m. One client gets exactly 2 on 8000, then 4 more
# on 8001 (its default cap does not refuse it there), 1 on 8002 and none
# on 8003, 2 of 4 on 8004; the server's sockets and the per-policy source
# rows (/proc, sources) agree. IPv6 alike. policy add replaces a policy of
# the same ports; overlapping ports, a 65th policy and bad input are
# refused and change nothing (tool and raw netlink, SET_CONFIG all or
# nothing); policy del puts a port back under the default. With the
# default limiting nothing, a port without a policy costs no table work
# (no source row); with no policy left, every port is counted again.
# save and restore round-trip the policies.
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_load
for port in 8000 8001 8002 8003 8004; do
	tl_server srv 10.0.1.1 $port
done
tl_server srv fd00:1::1 8001
tl_ctl srv set-max 2 || tl_fail "set-max 2"
# Refused SYNs answered at once, not left to time out.
tl_ctl srv set-action reject || tl_fail "set-action reject"
tl_ctl srv policy add 8001 max 4 || tl_fail "policy add 8001 max 4"
tl_ctl srv policy add 8002-8003 max 1 || tl_fail "policy add 8002-8003 max 1"
tl_ctl srv policy add 8004 rate 2/1m || tl_fail "policy add 8004 rate 2/1m"
tl_eq "policies" "$(tl_ctl srv policies | tr '\n' ';')" \
	"8001 max 4;8002-8003 max 1;8004 rate 2/1m;"
tl_eq "/proc policies" "$(tl_proc srv policies)" 3
tl_eq "/proc policy lines" "$(ip netns exec srv awk '$1 == "policy" { print $2, $4, $6 }' \
	/proc/net/tcplimit | tr '\n' ';')" "8001-8001 4 0;8002-8003 1 0;8004-8004 0 2;"

tl_hold p8000 c1 10.0.1.1 8000 6
tl_eq "client on 8000 (default max 2)" "$TL_HELD" "established 2 failed 4"
tl_hold p8001 c1 10.0.1.1 8001 6
tl_eq "client on 8001 (policy max 4)" "$TL_HELD" "established 4 failed 2"
tl_hold p8002 c1 10.0.1.1 8002 2
tl_eq "client on 8002 (policy max 1)" "$TL_HELD" "established 1 failed 1"
tl_hold p8003 c1 10.0.1.1 8003 2
tl_eq "client on 8003 (same policy as 8002)" "$TL_HELD" "established 0 failed 2"
tl_eq "client on 8004 (policy rate 2/1m)" "$(tl_connect c1 10.0.1.1 8004 4)" \
	"established 2 failed 2"
tl_hold p6 c1 fd00:1::1 8001 6
tl_eq "IPv6 client on 8001 (policy max 4)" "$TL_HELD" "established 4 failed 2"
for pw in 8000:2 8001:8 8002:1 8003:0; do
	tl_eq "server sockets on ${pw%:*}" "$(tl_established srv "${pw%:*}")" "${pw#*:}"
done
# rows: c1's source rows, but 8004's (no connection: the GC may forget it
# once its rate debt is paid, on a slow kernel before this point).
rows() {
	ip netns exec srv awk '$1 ~ /^(10\.0\.1\.2\/32|fd00:1::\/64)/ && $1 !~ /:8004/ { print $1, $2 }' \
		/proc/net/tcplimit | sort | tr '\n' ';'
}
tl_eq "/proc rows" "$(rows)" \
	"10.0.1.2/32 2;10.0.1.2/32:8001-8001 4;10.0.1.2/32:8002-8003 1;fd00:1::/64:8001-8001 4;"
tl_eq "/proc conns" "$(tl_proc srv conns)" 11
tl_eq "sources" "$(tl_ctl srv sources | awk 'NR > 1 && $2 != 8004 { print $1, $2, $3 }' |
	sort | tr '\n' ';')" "10.0.1.2/32 - 2;10.0.1.2/32 8001 4;10.0.1.2/32 8002-8003 1;fd00:1::/64 8001 4;"

# Replaced in place: 8001 at max 5 takes one more, its count kept.
tl_ctl srv policy add 8001 max 5 || tl_fail "policy add 8001 max 5"
tl_eq "one more on 8001 at max 5" "$(tl_connect c1 10.0.1.1 8001 2)" "established 1 failed 1"

# Refused, nothing changed: overlap, bad input, a 65th policy.
rejects() {
	tl_ctl_fails srv "$@"
	tl_eq "policies after tcplimitctl ${*:3}" "$(tl_ctl srv policies | tr '\n' ';')" \
		"8001 max 5;8002-8003 max 1;8004 rate 2/1m;"
}
rejects 1 "tcplimitctl: policy add: its ports overlap another policy's" \
	policy add 7990-8002 max 9
rejects 1 "tcplimitctl: policy del: no policy of these ports" policy del 8002
rejects 2 "tcplimitctl: policy add: port '0' is out of range (1..65535)" policy add 0 max 1
rejects 2 "tcplimitctl: policy add: '9000-8000': the last port is below the first" \
	policy add 9000-8000 max 1
rejects 2 "tcplimitctl: policy add: max given twice" policy add 9000 max 1 max 2
# 61 more (one restore: a program start costs a VM under TCG a lot).
seq 10001 10061 | sed 's/.*/policy add & max 1/' >"$TL_TMP/61"
tl_ctl srv restore "$TL_TMP/61" || tl_fail "restore of 61 policies"
tl_ctl_fails srv 1 "tcplimitctl: policy add: too many policies (64 at most)" policy add 20000 max 1
tl_eq "/proc policies at 64" "$(tl_proc srv policies)" 64
sed 's/ max 1$//; s/add/del/' "$TL_TMP/61" >"$TL_TMP/61-del"
tl_ctl srv restore "$TL_TMP/61-del" || tl_fail "restore of 61 policy removals"

# The kernel checks on its own: raw requests the tool would not send.
ip netns exec srv /usr/bin/python3 - "$TL_DIR" >"$TL_TMP/raw" <<'PY'
import struct, sys
sys.path.insert(0, sys.argv[1])
import nlraw
U, attr = nlraw.U, nlraw.attr
nl = nlraw.GenlSocket()
fam = nl.family_id(U["TCPLIMIT_GENL_NAME"])
NESTED = 0x8000


def policy(first=None, last=None, **limits):
    inner = b""
    if first is not None:
        inner += attr(U["TCPLIMIT_POLICY_A_PORT_FIRST"], struct.pack("=H", first))
    if last is not None:
        inner += attr(U["TCPLIMIT_POLICY_A_PORT_LAST"], struct.pack("=H", last))
    for name, val in limits.items():
        inner += attr(U["TCPLIMIT_POLICY_A_" + name.upper()], struct.pack("=I", val))
    return attr(U["TCPLIMIT_A_POLICY"] | NESTED, inner)


def policies(*ps):
    return attr(U["TCPLIMIT_A_POLICIES"] | NESTED, b"".join(ps))


max7 = attr(U["TCPLIMIT_A_MAX_CONN"], struct.pack("=I", 7))
cases = [
    ("no first port", "POLICY_ADD", policy(last=9000, max_conn=1)),
    ("last below first", "POLICY_ADD", policy(9000, 8999)),
    ("port 0", "POLICY_ADD", policy(0)),
    ("max over the limit", "POLICY_ADD", policy(9000, max_conn=10000001)),
    ("limits in a removal", "POLICY_DEL", policy(8004, max_conn=1)),
    ("no policy", "POLICY_ADD", b""),
    ("max 7 and overlapping policies", "SET_CONFIG",
     max7 + policies(policy(100, 200), policy(200, 300))),
    ("65 policies", "SET_CONFIG", policies(*(policy(1000 + i) for i in range(65)))),
]
for name, cmd, payload in cases:
    _, err, text = nl.request(fam, U["TCPLIMIT_CMD_" + cmd], payload)
    print(f"{name}: {nlraw.errname(-err) if err else 'ok'}: {text}")
PY
cat >"$TL_TMP/raw.want" <<'EOF'
no first port: EINVAL: a policy needs its first port
last below first: EINVAL: the last port is below the first
port 0: ERANGE: integer out of range
max over the limit: ERANGE: integer out of range
limits in a removal: EINVAL: a removal names ports only
no policy: EINVAL: no policy given
max 7 and overlapping policies: EBUSY: its ports overlap another policy's
65 policies: ENOSPC: too many policies (64 at most)
EOF
cmp -s "$TL_TMP/raw" "$TL_TMP/raw.want" && tl_log "ok: raw requests refused as expected" ||
	tl_fail "raw requests: $(diff "$TL_TMP/raw.want" "$TL_TMP/raw")"
tl_eq "max after the raw requests" "$(tl_proc srv max)" 2
tl_eq "policies after the raw requests" "$(tl_ctl srv policies | tr '\n' ';')" \
	"8001 max 5;8002-8003 max 1;8004 rate 2/1m;"

# save, then restore over other policies: the same list again.
tl_ctl srv save >"$TL_TMP/saved" || tl_fail "save"
grep -q '^tcplimitctl policy add 8002-8003 max 1$' "$TL_TMP/saved" ||
	tl_fail "save has no line for 8002-8003: $(grep policy "$TL_TMP/saved")"
tl_ctl srv policy del 8004 || tl_fail "policy del 8004"
tl_ctl srv policy add 7000 max 3 || tl_fail "policy add 7000 max 3"
tl_ctl srv restore "$TL_TMP/saved" || tl_fail "restore"
tl_eq "policies after restore" "$(tl_ctl srv policies | tr '\n' ';')" \
	"8001 max 5;8002-8003 max 1;8004 rate 2/1m;"

# Deleted: 8002-8003 falls back to the default max 2, where c1 holds 2.
tl_ctl srv policy del 8002-8003 || tl_fail "policy del 8002-8003"
tl_eq "8003 under the default" "$(tl_connect c1 10.0.1.1 8003 1)" "established 0 failed 1"
tl_release "$p8000"
busywait 10000 tl_established_is srv 8000 0 || tl_fail "8000 still held"
tl_eq "8003 under the default, 8000 closed" "$(tl_connect c1 10.0.1.1 8003 3)" \
	"established 2 failed 1"

# No default limit: ports without a policy are not tracked at all.
tl_release "$p8001"
tl_release "$p8002"
tl_release "$p8003"
tl_release "$p6"
busywait 10000 tl_conns_is srv 0 || tl_fail "connections still counted: $(tl_proc srv conns)"
tl_ctl srv flush >/dev/null || tl_fail "flush"
tl_ctl srv set-max 0 || tl_fail "set-max 0"
tl_hold q8000 c1 10.0.1.1 8000 3
tl_eq "client on 8000, no default limit" "$TL_HELD" "established 3 failed 0"
tl_eq "no source rows for 8000" "$(rows)" ""
tl_eq "conns while 8000 untracked" "$(tl_proc srv conns)" 0
tl_hold q8001 c1 10.0.1.1 8001 6
tl_eq "8001 still at its policy" "$TL_HELD" "established 5 failed 1"
tl_release "$q8000"
tl_release "$q8001"
tl_ctl srv policy del all || tl_fail "policy del all"
tl_eq "/proc policies after del all" "$(tl_proc srv policies)" 0
busywait 10000 tl_conns_is srv 0 || tl_fail "connections still counted: $(tl_proc srv conns)"
tl_ctl srv flush >/dev/null || tl_fail "flush"
tl_hold r8000 c1 10.0.1.1 8000 3
tl_eq "no policy left: 8000 counted again" "$(tl_source_conns srv 10.0.1.2/32)" 3
tl_release "$r8000"
tl_done
