#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A namespace's limiter starts at its first configuration: before, the
# namespace has no tables, no hooks and no packet work; after, what the
# packet path allocates is charged to the memory cgroup of the task that
# started it, and that cgroup's limit bounds it.
#  - The initial namespace starts at load ("started 1" in /proc).
#  - A new namespace: "started 0", no tcplimit hook in `nft list hooks`
#    (on kernels that can list hooks),
#    two connections from c1 counted nowhere (sources 0), show answers with
#    the defaults. set-max 2 starts it: "started 1", tcplimit's hooks on
#    input for ip and ip6, and the cap exact (2 of 3).
#  - Memory cgroup: namespace m1 started from cgroup tl44a, 4000 spoofed
#    half-open sources (SYNs over lo to a listener whose SYN-ACKs go
#    nowhere, as in 34) raise tl44a's slab by at least 4000 x (entry +
#    flow) = 4000 x 288 bytes. Namespace m2 started from cgroup tl44b whose
#    memory.max is 256 KiB above its use: the same flood finds the table
#    full (table_full > 0, fewer than 4000 sources), with no allocation
#    warning in the kernel log.
. "$(dirname "$0")/../lib.sh"

TL_PKTFUZZ=$TL_DIR/pktfuzz
[ -x "$TL_PKTFUZZ" ] || tl_skip "selftests/pktfuzz not built (make -C selftests)"
command -v nft >/dev/null || tl_skip "nft not installed (scripts/deps.sh installs it)"
cgroot=/sys/fs/cgroup
grep -qw memory "$cgroot/cgroup.controllers" 2>/dev/null ||
	tl_skip "no cgroup2 memory controller at $cgroot"

tl_topology
tl_load
tl_eq "initial namespace: started at load" \
	"$(awk '$1 == "started" { print $2 }' /proc/net/tcplimit)" 1
tl_server srv 10.0.1.1 8000

# hooks_are WHAT NS WANT: tcplimit's hooks in NS are WANT ("FAMILY HOOK
# FUNCTION" lines), where the kernel can list hooks: Debian's 6.1 cannot
# (CONFIG_NETFILTER_NETLINK_HOOK is off), and the counts say the rest.
if modprobe -q nfnetlink_hook; then
	listed=1
else
	listed=0
	tl_log "no nfnetlink_hook in $(uname -r): hooks are listed on 6.12 only"
fi
hooks_are() {
	[ $listed = 1 ] || return 0
	tl_eq "$1" "$(ip netns exec "$2" nft list hooks 2>&1 | awk '
		$1 == "family" { family = $2 }
		$1 == "hook" { hook = $2 }
		/\[tcplimit\]/ { print family, hook, $2 }' | sort)" "$3"
}

tl_eq "unconfigured: started" "$(tl_proc srv started)" 0
hooks_are "unconfigured: hooks" srv ""
tl_eq "unconfigured: connections" "$(tl_connect c1 10.0.1.1 8000 2)" "established 2 failed 0"
tl_eq "unconfigured: sources" "$(tl_proc srv sources)" 0
tl_eq "unconfigured: show max" "$(tl_ctl srv show | sed -n 's/^  max: //p')" 0
tl_ctl srv set-max 2 || tl_fail "set-max 2"
tl_eq "configured: started" "$(tl_proc srv started)" 1
hooks_are "configured: hooks" srv "$(printf 'ip input tcplimit_hook4\nip6 input tcplimit_hook6')"
tl_hold pid c1 10.0.1.1 8000 3 1000
tl_eq "configured: a client capped at 2" "$TL_HELD" "established 2 failed 1"
tl_release "$pid"

echo +memory >"$cgroot/cgroup.subtree_control" || tl_fail "enable the memory controller"
n=4000

# start_from CGROUP NS: create CGROUP, start NS's limiter from a task in it
# (SYNs over lo to a listener on port 9 whose SYN-ACKs go nowhere).
start_from() {
	mkdir "$cgroot/$1" || tl_fail "mkdir cgroup $1"
	tl_ns "$2"
	ip -n "$2" route replace 20.0.0.0/8 dev lo || tl_fail "route in $2"
	tl_server "$2" 127.0.0.1 9
	sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' - "$cgroot/$1" \
		ip netns exec "$2" "$TL_CTL" set-table-size 100000 || tl_fail "start $2 from $1"
	tl_eq "$2: started" "$(tl_proc "$2" started)" 1
}

slab() {
	awk '$1 == "slab_unreclaimable" { print $2 }' "$cgroot/$1/memory.stat"
}

# flood NS: the n spoofed SYNs.
flood() {
	ip netns exec "$1" "$TL_PKTFUZZ" stride 20.0.0.7 4096 $n 127.0.0.1 9 \
		>"$TL_TMP/flood" 2>&1 || tl_fail "pktfuzz in $1: $(tail -1 "$TL_TMP/flood")"
	tl_log "$1: $(tail -1 "$TL_TMP/flood")"
}

start_from tl44a m1
before=$(slab tl44a)
flood m1
busywait 10000 tl_proc_is m1 sources $n || tl_fail "m1 sources: $(tl_proc m1 sources), want $n"
want=$((before + n * 288))
busywait 5000 eval '[ "$(slab tl44a)" -ge $want ]' ||
	tl_fail "tl44a slab: from $before to $(slab tl44a), want at least $want"
tl_log "tl44a slab_unreclaimable: $before -> $(slab tl44a) for $n sources"

start_from tl44b m2
echo $(($(cat "$cgroot/tl44b/memory.current") + 256 * 1024)) >"$cgroot/tl44b/memory.max" ||
	tl_fail "memory.max of tl44b"
flood m2
sources=$(tl_proc m2 sources)
full=$(tl_proc m2 table_full)
tl_log "m2 under memory.max: $sources sources, table_full $full," \
	"$(grep '^max ' "$cgroot/tl44b/memory.events")"
[ "$sources" -gt 0 ] && [ "$sources" -lt $n ] ||
	tl_fail "m2 sources under memory.max: $sources, want between 0 and $n"
[ "$full" -gt 0 ] || tl_fail "m2 table_full under memory.max: $full, want more than 0"

rmdir "$cgroot/tl44a" "$cgroot/tl44b" || tl_fail "rmdir the test cgroups"
tl_done
