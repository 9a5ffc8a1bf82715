#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Slow connections, gateway mode (conntrack on the router, IPv4
# masqueraded towards the server). Through rtr, a
# slowloris client (10.0.1.2: 3 connections, a byte each every second) and
# a normal IPv6 one (fd00:1::2: 2 connections, 1000 bytes a second). With
# set slow 150/5s abnormal-max 2 slow-action reset on rtr, the router
# counts the payload it forwards: the slowloris's connections are reset on
# both ends at their next packet (the server's sockets gone: ss; the client
# sees its resets) and it is banned, reason abnormal; the normal client
# keeps its connections and connects again.
#   c1 10.0.1.2 fd00:1::2 <-> rtr 10.0.1.1 fd00:1::1 | 10.0.3.1 fd00:3::1 <-> srv 10.0.3.2 fd00:3::2
. "$(dirname "$0")/../lib.sh"

tl_routed c1 rtr srv 1 3
tl_conntrack rtr
# IPv4 leaves the router masqueraded (as most gateways do): the RST to the
# server goes through NAT as the connection's packets do.
ip netns exec rtr nft -f - <<'NFT' || tl_fail "nft masquerade in rtr"
table ip tl_nat {
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "to-srv" masquerade
	}
}
NFT
tl_load
tl_server srv :: 8000
tl_ctl rtr set mode gateway slow 150/5s abnormal-max 2 slow-action reset ban-time 1m ||
	tl_fail "set mode gateway slow 150/5s abnormal-max 2 slow-action reset ban-time 1m"

tl_trickle loris c1 10.0.3.2 8000 3 1 1
tl_eq "slowloris" "$TL_HELD" "established 3"
tl_eq "server: slowloris connections (from rtr)" "$(tl_sockets srv 8000 10.0.3.1 established)" 3
tl_trickle normal c1 fd00:3::2 8000 2 1 1000
tl_eq "normal client" "$TL_HELD" "established 2"

busywait 20000 tl_prints 0 tl_sockets srv 8000 10.0.3.1 established ||
	tl_fail "server: slowloris connections left: $(tl_sockets srv 8000 10.0.3.1 established)"
tl_eq "rtr: slow_reset" "$(tl_proc rtr slow_reset)" 3
tl_eq "rtr: bans" "$(tl_ctl rtr bans | awk '{ print $1, $5 }')" "10.0.1.2/32 abnormal"
tl_eq "slowloris, a new connection" "$(tl_connect c1 10.0.3.2 8000 1 1500)" \
	"established 0 failed 1"
tl_eq "slowloris saw" "$(tl_trickle_end loris)" "alive 0 reset 3"
tl_eq "server: the normal client's" "$(tl_sockets srv 8000 fd00:1::2 established)" 2
tl_eq "rtr: slow of fd00:1::/64" "$(tl_source_count rtr fd00:1::/64 slow)" 0
tl_eq "normal client, a new connection" "$(tl_connect c1 fd00:3::2 8000 1)" \
	"established 1 failed 0"
tl_eq "normal client saw" "$(tl_trickle_end normal)" "alive 2 reset 0"
[ "$tl_failures" -eq 0 ] || tl_dump rtr
tl_done
