#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The allowlist beats every cap. Under max 2, halfopen-max 2 and a rate of
# 2 a second, a client inside an allowlisted prefix (IPv4 /24, IPv6 /64)
# holds 6 connections and is never counted (no source entry, "allowed"
# counts its SYNs), while a client outside it gets exactly 2 from each
# family. allow is idempotent, allowlist lists the prefixes sorted (text
# and JSON), disallow puts the prefix's new connections under the caps
# again (connections it opened while allowlisted stay uncounted, as
# documented); bad prefixes get one clear error and change nothing, from
# the tool and over raw netlink (a bit past the length, a bad length or
# address size, a SET_CONFIG allowlist with a bad element: all or
# nothing), and the allowlist holds at most 1024 prefixes.
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_load
tl_server srv 10.0.1.1 8000
tl_server srv fd00:1::1 8001
tl_server srv 10.0.2.1 8002
tl_server srv fd00:2::1 8003
tl_ctl srv set max 2 halfopen-max 2 rate 2/1s || tl_fail "set max 2 halfopen-max 2 rate 2/1s"

tl_ctl srv allow 10.0.1.0/24 || tl_fail "allow 10.0.1.0/24"
tl_ctl srv allow fd00:1::/64 || tl_fail "allow fd00:1::/64"
tl_ctl srv allow 10.0.1.0/24 || tl_fail "allow 10.0.1.0/24 again"
tl_eq "allowlist" "$(tl_ctl srv allowlist | tr '\n' ' ')" "10.0.1.0/24 fd00:1::/64 "
tl_eq "allowlist -j" "$(tl_ctl srv -j allowlist)" '["10.0.1.0/24","fd00:1::/64"]'
tl_eq "/proc allowlist" "$(tl_proc srv allowlist)" 2

tl_hold in4 c1 10.0.1.1 8000 6
tl_eq "allowlisted client, IPv4" "$TL_HELD" "established 6 failed 0"
tl_hold in6 c1 fd00:1::1 8001 6
tl_eq "allowlisted client, IPv6" "$TL_HELD" "established 6 failed 0"
tl_hold out4 c2 10.0.2.1 8002 6
tl_eq "other client, IPv4" "$TL_HELD" "established 2 failed 4"
tl_hold out6 c2 fd00:2::1 8003 6
tl_eq "other client, IPv6" "$TL_HELD" "established 2 failed 4"
tl_eq "server sockets of c1" "$(ip netns exec srv ss -Htn state established \
	'( sport = :8000 or sport = :8001 )' | wc -l)" 12
tl_eq "server sockets of c2" "$(ip netns exec srv ss -Htn state established \
	'( sport = :8002 or sport = :8003 )' | wc -l)" 4
tl_snap srv
tl_eq "allowed" "$(tl_snap_key srv allowed)" 12
tl_eq "conns counted" "$(tl_snap_key srv conns)" 4
tl_eq "sources" "$(tl_snap_key srv sources)" 2
tl_eq "conns of 10.0.1.2/32" "$(tl_snap_col srv 10.0.1.2/32 conns)" ""
tl_eq "conns of 10.0.2.2/32" "$(tl_snap_col srv 10.0.2.2/32 conns)" 2
tl_eq "conns of fd00:2::/64" "$(tl_snap_col srv fd00:2::/64 conns)" 2
tl_eq "/proc allowed" "$(tl_proc srv allowed)" 12

# Off the list: c1's new connections are capped; its 6 are not counted.
tl_ctl srv disallow 10.0.1.0/24 || tl_fail "disallow 10.0.1.0/24"
tl_eq "allowlist after disallow" "$(tl_ctl srv allowlist)" "fd00:1::/64"
tl_hold more4 c1 10.0.1.1 8000 4
tl_eq "c1 after disallow" "$TL_HELD" "established 2 failed 2"
tl_eq "conns of 10.0.1.2/32 after disallow" "$(tl_source_conns srv 10.0.1.2/32)" 2
tl_release "$more4"

# rejects STATUS WANT ARGS...: tcplimitctl ARGS exits STATUS with exactly
# WANT on stderr; the allowlist is still fd00:1::/64 alone.
rejects() {
	tl_ctl_fails srv "$@"
	shift 2
	tl_eq "allowlist after tcplimitctl $*" "$(tl_ctl srv allowlist)" "fd00:1::/64"
}
rejects 2 "tcplimitctl: allow: '10.0.1.1/24' has bits set past /24 (the prefix is 10.0.1.0/24)" \
	allow 10.0.1.1/24
rejects 2 "tcplimitctl: allow: '33' is too large (at most 32)" allow 10.0.0.0/33
rejects 2 "tcplimitctl: allow: 'nowhere' is not an address or ADDR/LEN (like 10.0.0.0/8 or fd00::/64)" \
	allow nowhere
rejects 2 "Usage: tcplimitctl allow ADDR[/LEN]" allow
rejects 1 "tcplimitctl: disallow: prefix is not in the allowlist" disallow 10.9.9.0/24

# The kernel checks on its own: raw requests the tool would not send.
ip netns exec srv /usr/bin/python3 - "$TL_DIR" >"$TL_TMP/raw" <<'PY'
import struct, sys
sys.path.insert(0, sys.argv[1])
import nlraw
U, attr = nlraw.U, nlraw.attr
nl = nlraw.GenlSocket()
fam = nl.family_id(U["TCPLIMIT_GENL_NAME"])
NESTED = 0x8000


def prefix(addr, plen=None):
    inner = attr(U["TCPLIMIT_PREFIX_A_ADDR"], bytes(addr))
    if plen is not None:
        inner += attr(U["TCPLIMIT_PREFIX_A_LEN"], struct.pack("=B", plen))
    return attr(U["TCPLIMIT_A_PREFIX"] | NESTED, inner)


def allowlist(*prefixes):
    return attr(U["TCPLIMIT_A_ALLOWLIST"] | NESTED, b"".join(prefixes))


max5 = attr(U["TCPLIMIT_A_MAX_CONN"], struct.pack("=I", 5))
cases = [
    ("bit past the length", "ALLOW", prefix([10, 0, 1, 1], 24)),
    ("IPv4 length 33", "ALLOW", prefix([10, 0, 0, 0], 33)),
    ("3-byte address", "ALLOW", prefix([10, 0, 1], 24)),
    ("no address", "ALLOW", attr(U["TCPLIMIT_A_PREFIX"] | NESTED,
                                 attr(U["TCPLIMIT_PREFIX_A_LEN"], b"\x18"))),
    ("no prefix", "ALLOW", b""),
    ("max 5 and a bad allowlist", "SET_CONFIG",
     max5 + allowlist(prefix([10, 0, 3, 0], 24), prefix([10, 0, 4, 1], 24))),
    ("1025 prefixes", "SET_CONFIG",
     allowlist(*(prefix([10, 1, i // 256, i % 256]) for i in range(1025)))),
]
for name, cmd, payload in cases:
    _, err, text = nl.request(fam, U["TCPLIMIT_CMD_" + cmd], payload)
    print(f"{name}: {nlraw.errname(-err) if err else 'ok'}: {text}")
PY
cat >"$TL_TMP/raw.want" <<'EOF'
bit past the length: EINVAL: address has bits set past the prefix length
IPv4 length 33: ERANGE: IPv4 prefix length over 32
3-byte address: EINVAL: address must be 4 (IPv4) or 16 (IPv6) bytes
no address: EINVAL: a prefix needs an address
no prefix: EINVAL: no prefix given
max 5 and a bad allowlist: EINVAL: address has bits set past the prefix length
1025 prefixes: ENOSPC: allowlist full (1024 prefixes)
EOF
cmp -s "$TL_TMP/raw" "$TL_TMP/raw.want" && tl_log "ok: raw requests refused as expected" ||
	tl_fail "raw requests: $(diff "$TL_TMP/raw.want" "$TL_TMP/raw")"
tl_eq "max after the raw requests" "$(tl_proc srv max)" 2
tl_eq "allowlist after the raw requests" "$(tl_ctl srv allowlist)" "fd00:1::/64"

# 1024 prefixes fit, in one restore; the 1025th does not.
{
	echo "disallow all"
	for i in $(seq 0 1023); do
		echo "allow 10.2.$((i / 256)).$((i % 256))"
	done
} >"$TL_TMP/many"
tl_ctl srv restore "$TL_TMP/many" || tl_fail "restore of 1024 prefixes"
tl_eq "/proc allowlist of 1024" "$(tl_proc srv allowlist)" 1024
tl_eq "listed" "$(tl_ctl srv allowlist | wc -l)" 1024
tl_ctl srv allow 10.3.0.0/16 2>"$TL_TMP/err" && tl_fail "a 1025th prefix was taken"
tl_eq "1025th prefix" "$(cat "$TL_TMP/err")" "tcplimitctl: allow: allowlist full (1024 prefixes)"
tl_ctl srv disallow all || tl_fail "disallow all"
tl_eq "allowlist after disallow all" "$(tl_ctl srv allowlist)" ""
tl_eq "/proc allowlist after disallow all" "$(tl_proc srv allowlist)" 0

tl_release "$in4"
tl_release "$in6"
tl_release "$out4"
tl_release "$out6"
tl_done
