#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A blind spoofer cannot get the address it forges banned by ban-after.
# Under rate 2/10m and ban-after 3/60s, SYNs forged to port 8000 (selftests
# /rawtcp, from c1) in the name of:
# * 10.0.1.3, which never connected: 12 SYNs, 10 refused by its rate, no
#   ban (its address never proved itself);
# * 10.0.1.2, holding a real connection (proven), whose host answers the
#   forged SYN-ACKs with bare RSTs (a host with no stateful firewall): 12
#   SYNs, 11 refused, then 6 more once the server dropped the reset
#   requests, all refused: no ban;
# * 10.0.1.4, holding a real connection, whose host drops the forged
#   SYN-ACKs (tl_quiet): 12 SYNs, 11 refused while the forged handshakes
#   wait: no ban.
# Each time the victim keeps its real connection (ss on the server), and no
# ban was made. Then 10.0.1.5, a real client over its rate (2 connections
# held, 3 refused with RSTs), is banned: reason refusals; the trigger works.
# Before this, every refused SYN counted: each victim was banned.
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_load
tl_server srv 10.0.1.1 8000
tl_server srv 10.0.1.1 8001
ip -n c1 addr add 10.0.1.4/24 dev to-srv
ip -n c1 addr add 10.0.1.5/24 dev to-srv

# forge SRC N: N SYNs from SRC to 10.0.1.1:8000, random source ports; N - WANT
# of them must be refused by the rate (WANT admitted).
forge() {
	local before

	before=$(tl_proc srv limited_rate)
	tl_rawtcp c1 syn "$1" 10.0.1.1 8000 "$2"
	busywait 5000 tl_proc_is srv limited_rate $((before + $2 - $3)) ||
		tl_fail "forged from $1: refused $(($(tl_proc srv limited_rate) - before)), want $(($2 - $3))"
}

# no_ban WHAT: no ban was made, by anything.
no_ban() {
	tl_eq "$1: bans" "$(tl_ctl srv bans)" ""
	tl_eq "$1: banned" "$(tl_proc srv banned)" 0
}

# proven NS SRC: a connection of SRC held, established and seen as such.
proven() {
	tl_hold_args "$1" c1 -b "$2" 10.0.1.1 8001 1 3000
	tl_eq "real $2" "$TL_HELD" "established 1 failed 0"
	busywait 5000 tl_prints 0 tl_source_count srv "$2/32" halfopen ||
		tl_fail "the connection of $2 never counted as established"
}

tl_ctl srv set rate 2/10m ban-after 3/60s ban-time 1m ||
	tl_fail "set rate 2/10m ban-after 3/60s ban-time 1m"

# --- never connected ---
forge 10.0.1.3 12 2
no_ban "10.0.1.3, never connected"

# --- proven, its host resets the forged handshakes ---
proven pid2 10.0.1.2
forge 10.0.1.2 12 1
busywait 10000 tl_prints 0 tl_sockets srv 8000 10.0.1.2 syn-recv ||
	tl_fail "the forged requests of 10.0.1.2 were not reset"
busywait 5000 tl_prints 0 tl_source_count srv 10.0.1.2/32 halfopen ||
	tl_fail "the reset requests of 10.0.1.2 still count as half-open"
forge 10.0.1.2 6 0
no_ban "10.0.1.2, proven, resetting"
tl_eq "server sockets of 10.0.1.2 on 8001" "$(tl_sockets srv 8001 10.0.1.2 established)" 1
tl_release "$pid2"

# --- proven, its host drops the forged SYN-ACKs ---
tl_quiet c1 8000
proven pid4 10.0.1.4
forge 10.0.1.4 12 1
tl_eq "forged requests of 10.0.1.4" "$(tl_sockets srv 8000 10.0.1.4 syn-recv)" 1
no_ban "10.0.1.4, proven, silent"
tl_eq "server sockets of 10.0.1.4 on 8001" "$(tl_sockets srv 8001 10.0.1.4 established)" 1
tl_release "$pid4"

# --- a real client over its rate is banned ---
tl_ctl srv set-action reject rate,ban || tl_fail "set-action reject rate,ban"
tl_hold_args pid5 c1 -b 10.0.1.5 10.0.1.1 8001 2 3000
tl_eq "10.0.1.5 within its rate" "$TL_HELD" "established 2 failed 0"
busywait 5000 tl_prints 0 tl_source_count srv 10.0.1.5/32 halfopen ||
	tl_fail "the connections of 10.0.1.5 never counted as established"
for i in 1 2 3; do
	tl_eq "10.0.1.5 over its rate, $i" \
		"$(tl_client c1 -b 10.0.1.5 -r 10.0.1.1 8001 1 1000 close)" \
		"established 0 failed 1 refused 1"
done
tl_eq "bans" "$(tl_ctl srv bans | awk '{ print $1, $5 }')" "10.0.1.5/32 refusals"
tl_eq "banned 10.0.1.5" "$(tl_client c1 -b 10.0.1.5 -r 10.0.1.1 8001 1 1000 close)" \
	"established 0 failed 1 refused 1"
[ "$(tl_proc srv banned)" -ge 1 ] || tl_fail "banned $(tl_proc srv banned)"
tl_eq "server sockets of 10.0.1.5" "$(tl_sockets srv 8001 10.0.1.5 established)" 2
tl_release "$pid5"
[ "$tl_failures" -eq 0 ] || tl_dump srv
tl_done
