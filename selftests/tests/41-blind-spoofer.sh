#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A blind spoofer cannot lock a real address out. SYNs forged from
# 10.0.1.2 to port 8000, whose SYN-ACKs its host silently drops (tl_quiet:
# the stateful "ct state invalid drop" of a real host), are charged to
# nothing but the half-open counts once their SYN-ACKs went unanswered for
# 3 s; the real 10.0.1.2 (on port 8001: the caps are per source, every
# port) then gets its connections within its SYN retransmissions:
# * set-max 3: 3 forged SYNs; the real client still gets 3, and a 4th
#   of either is refused (the cap stays exact);
# * set-rate 3/10m: 3 forged SYNs take no rate from it for good;
# * set-dst-max 5: 20 forged SYNs do not take the service from others.
# A handshake unproven this way that completes after all is charged then,
# or reset when its source reached a limit meanwhile (late-ack, set-max 2:
# 2 handshakes answered 9 s late while the real 10.0.1.21 holds 2).
# tcplimit charged every SYN until TCP dropped its request (63 s) before.
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_load
tl_server srv 10.0.1.1 8000
tl_server srv 10.0.1.1 8001
tl_quiet c1 8000

# forge N: N SYNs from 10.0.1.2 to 10.0.1.1:8000, random source ports.
forge() {
	tl_rawtcp c1 syn 10.0.1.2 10.0.1.1 8000 "$1"
}

# unproven_is N: N handshakes went unproven so far (for busywait).
unproven_is() {
	tl_proc_is srv unproven "$1"
}

# --- the concurrent cap ---
tl_ctl srv set-max 3 || tl_fail "set-max 3"
forge 3
tl_eq "forged requests" "$(tl_sockets srv 8000 10.0.1.2 syn-recv)" 3
busywait 10000 unproven_is 3 || tl_fail "3 forged handshakes never went unproven"
tl_hold_args pid c1 10.0.1.1 8001 3 7000
tl_eq "real 10.0.1.2 after 3 forged SYNs, set-max 3" "$TL_HELD" "established 3 failed 0"
tl_eq "its server sockets" "$(tl_sockets srv 8001 10.0.1.2 established)" 3
tl_eq "forged requests meanwhile" "$(tl_sockets srv 8000 10.0.1.2 syn-recv)" 3
tl_snap srv
tl_eq "conns of 10.0.1.2/32" "$(tl_snap_col srv 10.0.1.2/32 conns)" 3
tl_eq "halfopen of 10.0.1.2/32 (the forged ones)" "$(tl_snap_col srv 10.0.1.2/32 halfopen)" 3
limited=$(tl_snap_key srv limited_conn)
tl_eq "a 4th real connection" "$(tl_connect c1 10.0.1.1 8001 1 1500)" "established 0 failed 1"
forge 1
tl_eq "forged requests after a 4th forged SYN" "$(tl_sockets srv 8000 10.0.1.2 syn-recv)" 3
[ "$(tl_proc srv limited_conn)" -ge $((limited + 2)) ] ||
	tl_fail "the 4th connections were not refused by the cap"
tl_release "$pid"
tl_ctl srv set-max 0 || tl_fail "set-max 0"

# --- the rate (10.0.1.3: a source with its own credit) ---
ip -n c1 addr add 10.0.1.3/24 dev to-srv
tl_ctl srv set-rate 3/10m || tl_fail "set-rate 3/10m"
tl_rawtcp c1 syn 10.0.1.3 10.0.1.1 8000 3
busywait 10000 unproven_is 6 || tl_fail "3 more forged handshakes never went unproven"
tl_eq "real 10.0.1.3 after 3 forged SYNs, set-rate 3/10m" \
	"$(tl_client c1 -b 10.0.1.3 10.0.1.1 8001 3 7000 close)" "established 3 failed 0"
tl_eq "a 4th from 10.0.1.3" "$(tl_client c1 -b 10.0.1.3 10.0.1.1 8001 1 1500 close)" \
	"established 0 failed 1"
tl_eq "rate_avail of 10.0.1.3/32" "$(tl_source_count srv 10.0.1.3/32 rate_avail)" 0
tl_ctl srv set-rate off || tl_fail "set-rate off"

# --- a destination's cap: the service stays up for the others ---
tl_ctl srv set-dst-max 5 || tl_fail "set-dst-max 5"
limited=$(tl_proc srv limited_dst)
forge 20
tl_eq "forged SYNs refused by set-dst-max 5" "$(($(tl_proc srv limited_dst) - limited))" 15
busywait 10000 unproven_is 11 || tl_fail "5 forged handshakes to the service never went unproven"
ip -n c2 route add 10.0.1.0/24 via 10.0.2.1
tl_hold_args pid c2 10.0.1.1 8000 5 7000
tl_eq "10.0.2.2 after 20 forged SYNs, set-dst-max 5" "$TL_HELD" "established 5 failed 0"
tl_eq "a 6th to the service" "$(tl_connect c2 10.0.1.1 8000 1 1500)" "established 0 failed 1"
tl_release "$pid"
tl_ctl srv set-dst-max 0 || tl_fail "set-dst-max 0"

# --- unproven, then completed: charged, or reset over the cap ---
tl_ctl srv set-max 2 || tl_fail "set-max 2"
ip -n c1 addr add 10.0.1.21/24 dev to-srv
SENT=/tmp/late-ack.$$.sent WAIT=9 tl_attack c1 late-ack 10.0.1.21 10.0.1.1 8000 2 to-srv \
	>/tmp/late-ack.$$ &
late=$!
# Starting scapy may take longer than the wait below in a loaded guest.
busywait 180000 test -s /tmp/late-ack.$$.sent || tl_fail "attack.py never sent its SYNs"
busywait 25000 unproven_is 13 || tl_fail "the late handshakes never went unproven"
tl_hold_args pid c1 -b 10.0.1.21 10.0.1.1 8001 2 3000
tl_eq "real 10.0.1.21 while its 2 late handshakes wait" "$TL_HELD" "established 2 failed 0"
wait "$late"
tl_eq "the late handshakes" "$(cat /tmp/late-ack.$$)" "synack 2 established 2 more 0"
rm -f /tmp/late-ack.$$ /tmp/late-ack.$$.sent
busywait 3000 tl_proc_is srv aborted 2 || tl_fail "the late handshakes were not reset"
tl_eq "server sockets of 10.0.1.21 on 8000 (reset)" \
	"$(tl_sockets srv 8000 10.0.1.21 established)" 0
tl_eq "server sockets of 10.0.1.21 on 8001" "$(tl_sockets srv 8001 10.0.1.21 established)" 2
tl_eq "conns of 10.0.1.21/32" "$(tl_source_count srv 10.0.1.21/32 conns)" 2
tl_release "$pid"

# Under the cap, a late handshake is charged, not reset.
ip -n c1 addr add 10.0.1.22/24 dev to-srv
tl_eq "a late handshake under the cap" \
	"$(WAIT=5 tl_attack c1 late-ack 10.0.1.22 10.0.1.1 8000 1 to-srv)" \
	"synack 1 established 1 more 0"
busywait 3000 tl_prints 1 tl_source_count srv 10.0.1.22/32 conns ||
	tl_fail "the late handshake under the cap was not charged"
tl_eq "server sockets of 10.0.1.22" "$(tl_sockets srv 8000 10.0.1.22 established)" 1
tl_eq "halfopen of 10.0.1.22/32" "$(tl_source_count srv 10.0.1.22/32 halfopen)" 0
tl_eq "aborted at the end" "$(tl_proc srv aborted)" 2
[ "$tl_failures" -eq 0 ] || tl_dump srv
tl_done
