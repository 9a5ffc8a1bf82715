#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# /proc/net/tcplimit privacy. With 10.0.1.2 holding 2 connections:
#  - root sees the header, the column line and the source line, no
#    "hidden" line;
#  - nobody (no capability) sees the same header but for the hash table's
#    shape (the bucket counts, source_longest_chain, bans: root only), the column
#    line, then exactly "# sources hidden: CAP_NET_ADMIN needed" and
#    nothing else: no address anywhere;
#  - what counts is the opener's credentials: a file root opened and
#    nobody reads shows the source;
#  - in a network namespace of its own user namespace (unshare -Urn as
#    nobody), the same user is the namespace's admin and sees its own
#    sources (127.0.0.1 over lo), until it drops its capabilities.
. "$(dirname "$0")/../lib.sh"

command -v setpriv >/dev/null || tl_skip "setpriv (util-linux) not installed"
hidden="# sources hidden: CAP_NET_ADMIN needed"
tl_ns srv c1
tl_link srv c1 "10.0.1.1/24" "10.0.1.2/24"
tl_load
tl_ctl srv set-max 10 || tl_fail "set-max"
tl_server srv 10.0.1.1 8000
tl_hold pid c1 10.0.1.1 8000 2
tl_eq "client" "$TL_HELD" "established 2 failed 0"
# The GC sees the handshakes complete within a pass: one view from now on.
busywait 3000 tl_proc_is srv halfopen 0

nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all)

root_view=$(ip netns exec srv cat /proc/net/tcplimit)
nobody_view=$(ip netns exec srv "${nobody[@]}" cat /proc/net/tcplimit)
shape='^(source|dst|flow)_buckets |^source_longest_chain |^bans '
header=$(sed -n '1,/^source /p' <<<"$root_view" | grep -Ev "$shape")
tl_eq "root: table shape" "$(grep -E "$shape" <<<"$root_view")" \
	"$(printf 'source_buckets 64\nsource_longest_chain 1\ndst_buckets 64\nflow_buckets 64\nbans 0')"
tl_eq "root: after the column line" "$(sed '1,/^source /d' <<<"$root_view")" "10.0.1.2/32 2 0 0 0 0"
tl_eq "nobody: the same header" "$(sed -n '1,/^source /p' <<<"$nobody_view")" "$header"
tl_eq "nobody: after the column line" "$(sed '1,/^source /d' <<<"$nobody_view")" "$hidden"
tl_eq "nobody: table shape lines" "$(grep -Ec "$shape" <<<"$nobody_view")" 0
tl_eq "nobody: conns in the header" "$(grep '^conns ' <<<"$nobody_view")" "conns 2"
tl_eq "nobody: lines mentioning 10.0.1.2" "$(grep -c '10\.0\.1\.2' <<<"$nobody_view")" 0

# The opener decides: root opens, nobody reads (inheriting the descriptor).
got=$(ip netns exec srv bash -c 'exec 3</proc/net/tcplimit && exec "$@" cat <&3' - \
	"${nobody[@]}" | sed '1,/^source /d')
tl_eq "opened by root, read by nobody" "$got" "10.0.1.2/32 2 0 0 0 0"

# nobody's own user and network namespace: it is that namespace's admin.
if ! userns=$("${nobody[@]}" unshare -Urn true 2>&1); then
	[ "$tl_failures" -eq 0 ] && tl_skip "unprivileged user namespaces unavailable: $userns"
	tl_done
fi
cat >"$TL_TMP/userns.sh" <<EOF
ip link set lo up
"$TL_CTL" set-max 10 || exit
"$TL_TCPCONN" server 127.0.0.1 8000 &
srv=\$!
for i in \$(seq 50); do
	ss -Hltn "sport = :8000" | grep -q . && break
	sleep 0.1
done
"$TL_TCPCONN" client 127.0.0.1 8000 3 3000 hold >"$TL_TMP/userns.held" &
cli=\$!
for i in \$(seq 100); do
	[ -s "$TL_TMP/userns.held" ] && break
	sleep 0.1
done
echo "held \$(cat "$TL_TMP/userns.held")"
# A completed handshake stops showing as half-open when the GC sees it.
for i in \$(seq 50); do
	sed '1,/^source /d' /proc/net/tcplimit | grep -q ' 0 0 0\$' && break
	sleep 0.1
done
echo "admin \$(sed '1,/^source /d' /proc/net/tcplimit)"
echo "dropped \$(setpriv --inh-caps=-all --bounding-set=-all cat /proc/net/tcplimit | sed '1,/^source /d')"
kill \$cli \$srv
wait
EOF
chmod 777 "$TL_TMP"
out=$("${nobody[@]}" unshare -Urn bash "$TL_TMP/userns.sh" 2>&1)
tl_eq "user namespace: client" "$(grep '^held ' <<<"$out")" "held established 3 failed 0"
tl_eq "user namespace: its admin sees its source" "$(grep '^admin ' <<<"$out")" \
	"admin 127.0.0.1/32 3 0 0 0 0"
tl_eq "user namespace: without capabilities" "$(grep '^dropped ' <<<"$out")" "dropped $hidden"
[ "$tl_failures" -eq 0 ] || echo "$out"
tl_release "$pid"
tl_done
