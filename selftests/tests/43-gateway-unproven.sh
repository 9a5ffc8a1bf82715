#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Gateway mode, set-max 2 on the router: a handshake whose client sends no
# ACK for 3 s stops holding its source's cap, so SYNs forged from a
# real client's address (its host drops the SYN-ACKs they draw: tl_quiet)
# cannot lock it out; an unproven handshake completed later is charged, or,
# over the cap, refused on the router: its ACK dropped, the client reset,
# the server never sees it complete. Without conntrack on the router, then
# with it (the handshake completes on conntrack's word).
# Before, the forged SYNs held the cap until the router's SYN timeout, and
# late handshakes went through the cap.
#   c1 10.0.1.2 <-> rtr 10.0.1.1 | 10.0.3.1 <-> srv 10.0.3.2
. "$(dirname "$0")/../lib.sh"

tl_routed c1 rtr srv 1 3
tl_load
tl_server srv 10.0.3.2 8000
tl_server srv 10.0.3.2 8001
tl_ctl rtr set-mode gateway || tl_fail "set-mode gateway"
tl_ctl rtr set-max 2 || tl_fail "set-max 2"
tl_quiet c1 8000

# unproven_is N: the router made N handshakes unproven so far (busywait).
unproven_is() {
	tl_proc_is rtr unproven "$1"
}

# late WHAT SRC HOLD UNPROVEN ABORTED: 2 handshakes from SRC to 8000
# answered 9 s late, while the real SRC holds HOLD connections to 8001.
late() {
	local what=$1 src=$2 hold=$3 pid= attack out="$TL_TMP/late.$2"

	ip -n c1 addr add "$src/24" dev to-rtr
	SENT=$out.sent WAIT=9 tl_attack c1 late-ack "$src" 10.0.3.2 8000 2 to-rtr >"$out" &
	attack=$!
	# Starting scapy may take longer than the wait below in a loaded guest.
	busywait 180000 test -s "$out.sent" || tl_fail "$what: attack.py never sent its SYNs"
	busywait 25000 unproven_is "$4" || tl_fail "$what: the late handshakes never went unproven"
	if [ "$hold" -gt 0 ]; then
		tl_hold_args pid c1 -b "$src" 10.0.3.2 8001 "$hold" 3000
		tl_eq "$what: real $src while its late handshakes wait" "$TL_HELD" \
			"established $hold failed 0"
	fi
	wait "$attack"
	tl_eq "$what: the late handshakes" "$(cat "$out")" "synack 2 established 2 more 0"
	busywait 3000 tl_proc_is rtr aborted "$5" || tl_fail "$what: aborted $(tl_proc rtr aborted)"
	sleep 0.5
	tl_eq "$what: server sockets of $src on 8000" \
		"$(tl_sockets srv 8000 "$src" established)" $((2 - hold))
	tl_eq "$what: conns of $src/32 on the router" "$(tl_source_count rtr "$src/32" conns)" 2
	# Refused, they keep their half-open units until the SYN timeout.
	tl_eq "$what: halfopen of $src/32 on the router" \
		"$(tl_source_count rtr "$src/32" halfopen)" "$hold"
	[ -z "$pid" ] || tl_release "$pid"
}

# --- forged SYNs, no conntrack ---
tl_rawtcp c1 syn 10.0.1.2 10.0.3.2 8000 2
busywait 10000 unproven_is 2 || tl_fail "2 forged handshakes never went unproven"
tl_hold pid c1 10.0.3.2 8001 2 7000
tl_eq "real 10.0.1.2 after 2 forged SYNs" "$TL_HELD" "established 2 failed 0"
tl_eq "its server sockets" "$(tl_sockets srv 8001 10.0.1.2 established)" 2
tl_eq "a 3rd real connection" "$(tl_connect c1 10.0.3.2 8001 1 1500)" "established 0 failed 1"
tl_snap rtr
tl_eq "conns of 10.0.1.2/32 on the router" "$(tl_snap_col rtr 10.0.1.2/32 conns)" 2
tl_eq "halfopen of 10.0.1.2/32 on the router" "$(tl_snap_col rtr 10.0.1.2/32 halfopen)" 2
tl_release "$pid"

late "no conntrack, over the cap" 10.0.1.21 2 4 2
late "no conntrack, under the cap" 10.0.1.22 0 6 2

# --- the same with conntrack on the router ---
tl_conntrack rtr
late "conntrack, over the cap" 10.0.1.23 2 8 4
late "conntrack, under the cap" 10.0.1.24 0 10 4
[ "$tl_failures" -eq 0 ] || tl_dump rtr
tl_done
