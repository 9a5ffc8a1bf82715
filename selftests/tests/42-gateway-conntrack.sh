#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Gateway mode believes what conntrack on the router believes: with
# conntrack running there (an nft ct rule), segments the server ignores
# free nothing. set-max 2 (set-halfopen-max 2 for the bare ACKs), a crafted
# client (selftests/attack.py) behind the router tries 5 handshakes per
# trick and exactly 2 pass:
# * an RST at a wrong sequence number inside the window, once established
#   (the server answers it with a challenge ACK);
# * a FIN outside the window after the server's FIN;
# * an ACK acknowledging more than the SYN-ACK sent (the server answers
#   with an RST and keeps its request).
# Without conntrack's verdict each trick lets all 5 through (gateway mode
# believed every RST, FIN and ACK).
#   g1 10.0.5.2 <-> rtr 10.0.5.1 | 10.0.6.1 <-> gsrv 10.0.6.2
. "$(dirname "$0")/../lib.sh"

tl_routed g1 rtr gsrv 5 6
tl_conntrack rtr
tl_load
tl_server gsrv 10.0.6.2 8000
tl_server gsrv 10.0.6.2 8001 -c
tl_ctl rtr set-mode gateway || tl_fail "set-mode gateway"
tl_ctl rtr set-max 2 || tl_fail "set-max 2"
tl_quiet g1 8000 8001

# trick SCENARIO SOURCE PORT WHAT_COUNTS: 5 crafted handshakes, 2 pass.
trick() {
	local scenario=$1 src=$2 port=$3

	ip -n g1 addr add "$src/24" dev to-rtr
	tl_eq "$scenario: crafted client" \
		"$(tl_attack g1 "$scenario" "$src" 10.0.6.2 "$port" 5 to-rtr)" "synack 2 established 2"
	sleep 0.5
	tl_eq "$scenario: $4 of $src/32 on the router" "$(tl_source_count rtr "$src/32" "$4")" 2
}

trick rst-inside 10.0.5.11 8000 conns
trick fin-ignored 10.0.5.12 8001 conns
tl_ctl rtr set-max 0 || tl_fail "set-max 0"
tl_ctl rtr set-halfopen-max 2 || tl_fail "set-halfopen-max 2"
trick bad-ack 10.0.5.13 8000 halfopen
tl_log "conntrack's invalid packets: $(ip netns exec rtr nft list chain inet tl_ct forward |
	grep -o 'packets [0-9]*')"
[ "$tl_failures" -eq 0 ] || tl_dump rtr
tl_done
