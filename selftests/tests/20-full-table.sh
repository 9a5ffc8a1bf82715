#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Full tables. Source table (set-table-size 2, a reserve of 1), one
# connection each from 10.0.1.2, .3: under set-full-policy drop the first
# SYN that finds no room (.4's) is dropped (table_full 1, 2 sources, 2
# conns). From then on (proof 1 in /proc) a SYN that finds no room is let
# through and its connection counted at its ACK: .4 again is tracked in
# the reserve (3 sources); .5, the reserve full too, is refused at its ACK
# by drop (reset, the server never sees it complete); under admit (the
# default) .5 is established untracked, still 3 sources and 3 conns, and
# its close moves no count. Flow table (set-flow-table-size 3, the source
# table back to its default): 5 connections from one source get 3 under
# drop (no max set: no reserve); under admit all 5 are established, 3 of
# them counted. Destination table (the source table's size, 1 here): no
# entry is taken while no destination limit is set; with one, a second
# port is refused under drop.
# Clients that must see a drop use a 500 ms timeout: one SYN, no retransmit.
# A client refused at its ACK may see its connect() return before the RST:
# the server's sockets and counters say.
. "$(dirname "$0")/../lib.sh"

tl_topology
ip -n c1 addr add 10.0.1.3/24 dev to-srv
ip -n c1 addr add 10.0.1.4/24 dev to-srv
ip -n c1 addr add 10.0.1.5/24 dev to-srv
tl_load
tl_server srv 0.0.0.0 8000
tl_eq "full_policy by default" "$(tl_proc srv full_policy)" admit
tl_ctl srv set-table-size 2 || tl_fail "set-table-size 2"
tl_ctl srv set-full-policy drop || tl_fail "set-full-policy drop"
tl_eq "table_size in /proc" "$(tl_proc srv table_size)" 2
tl_eq "full_policy in /proc" "$(tl_proc srv full_policy)" drop

tl_hold_args p2 c1 -b 10.0.1.2 10.0.1.1 8000 1 3000
tl_eq "drop: 10.0.1.2" "$TL_HELD" "established 1 failed 0"
tl_hold_args p3 c1 -b 10.0.1.3 10.0.1.1 8000 1 3000
tl_eq "drop: 10.0.1.3" "$TL_HELD" "established 1 failed 0"
tl_hold_args p4 c1 -b 10.0.1.4 10.0.1.1 8000 1 500
tl_eq "drop: 10.0.1.4" "$TL_HELD" "established 0 failed 1"
tl_release "$p4"
tl_eq "drop: table_full" "$(tl_proc srv table_full)" 1
tl_eq "drop: sources" "$(tl_proc srv sources)" 2
tl_eq "drop: conns" "$(tl_proc srv conns)" 2
tl_eq "drop: admitted" "$(tl_proc srv admitted)" 2
tl_eq "drop: 10.0.1.4/32 not in the table" "$(tl_source_count srv 10.0.1.4/32 conns)" ""
tl_eq "drop: conns of 10.0.1.3/32" "$(tl_source_count srv 10.0.1.3/32 conns)" 1

busywait 3000 tl_proc_is srv proof 1 || tl_fail "proof $(tl_proc srv proof), want 1"
tl_hold_args p4 c1 -b 10.0.1.4 10.0.1.1 8000 1 3000
tl_eq "drop, at the proof: 10.0.1.4" "$TL_HELD" "established 1 failed 0"
tl_eq "drop, at the proof: table_full" "$(tl_proc srv table_full)" 2
tl_eq "drop, at the proof: sources (.4 in the reserve)" "$(tl_proc srv sources)" 3
busywait 3000 tl_proc_is srv conns 3 || tl_fail "drop, at the proof: conns $(tl_proc srv conns)"
tl_eq "drop, at the proof: admitted" "$(tl_proc srv admitted)" 3
tl_eq "drop, at the proof: conns of 10.0.1.4/32" "$(tl_source_count srv 10.0.1.4/32 conns)" 1
tl_hold_args p5 c1 -b 10.0.1.5 10.0.1.1 8000 1 1500
tl_release "$p5"
tl_eq "drop, the reserve full: .5 reset at its ACK" "$(tl_proc srv rejected)" 1
tl_eq "drop, the reserve full: table_full (its SYN and ACK)" "$(tl_proc srv table_full)" 4
tl_eq "drop, the reserve full: server sockets" "$(tl_established srv 8000)" 3

tl_ctl srv set-full-policy admit || tl_fail "set-full-policy admit"
tl_hold_args p5 c1 -b 10.0.1.5 10.0.1.1 8000 1 3000
tl_eq "admit: 10.0.1.5" "$TL_HELD" "established 1 failed 0"
tl_eq "admit: table_full" "$(tl_proc srv table_full)" 6
tl_eq "admit: sources" "$(tl_proc srv sources)" 3
tl_eq "admit: conns (the untracked one not counted)" "$(tl_proc srv conns)" 3
tl_eq "admit: admitted" "$(tl_proc srv admitted)" 3
tl_eq "admit: server sockets" "$(tl_established srv 8000)" 4
# The untracked connection's FINs give back nothing.
tl_release "$p5"
busywait 5000 tl_established_is srv 8000 3
sleep 2
tl_eq "admit: conns after the untracked one closed" "$(tl_proc srv conns)" 3
tl_eq "admit: conns of 10.0.1.2/32 after it" "$(tl_source_count srv 10.0.1.2/32 conns)" 1
tl_eq "admit: conns of 10.0.1.3/32 after it" "$(tl_source_count srv 10.0.1.3/32 conns)" 1
tl_release "$p2"
tl_release "$p3"
tl_release "$p4"
tl_conns_settle srv 0

# The flow table.
tl_ctl srv set-table-size 0 || tl_fail "set-table-size 0"
tl_ctl srv set-flow-table-size 3 || tl_fail "set-flow-table-size 3"
tl_ctl srv set-full-policy drop || tl_fail "set-full-policy drop"
tl_eq "flow_table_size in /proc" "$(tl_proc srv flow_table_size)" 3
full=$(tl_proc srv table_full)
tl_hold_args p c2 10.0.2.1 8000 5 500
tl_log "flow table, drop: 5 at once: $TL_HELD"
sleep 0.5
tl_eq "flow table, drop: server sockets" "$(tl_established srv 8000)" 3
tl_eq "flow table, drop: table_full (2 SYNs, 2 ACKs)" "$(tl_proc srv table_full)" $((full + 4))
tl_eq "flow table, drop: conns" "$(tl_proc srv conns)" 3
tl_eq "flow table, drop: conns of 10.0.2.2/32" "$(tl_source_count srv 10.0.2.2/32 conns)" 3
tl_ctl srv set-full-policy admit || tl_fail "set-full-policy admit"
tl_hold_args q c2 10.0.2.1 8000 2 3000
tl_eq "flow table, admit: 2 more" "$TL_HELD" "established 2 failed 0"
tl_eq "flow table, admit: table_full" "$(tl_proc srv table_full)" $((full + 8))
tl_eq "flow table, admit: conns" "$(tl_proc srv conns)" 3
tl_eq "flow table, admit: server sockets" "$(tl_established srv 8000)" 5
tl_release "$q"
tl_release "$p"
tl_conns_settle srv 0

# Destinations are tracked only while a destination limit is set: without
# one a SYN takes no destination entry, so two ports cost nothing (a port
# scan fills no table). With one, the destination table (the source
# table's size, 1 here) fills with the first port and the full-table
# policy decides for the next.
tl_server srv 0.0.0.0 8001
tl_server srv 0.0.0.0 8002
tl_ctl srv set-flow-table-size 0 || tl_fail "set-flow-table-size 0"
tl_ctl srv flush >/dev/null || tl_fail "flush"
tl_ctl srv set-table-size 1 || tl_fail "set-table-size 1"
tl_ctl srv set-full-policy drop || tl_fail "set-full-policy drop"
tl_hold_args d1 c1 -b 10.0.1.2 10.0.1.1 8000 1 3000
tl_eq "no destination limit: 8000" "$TL_HELD" "established 1 failed 0"
tl_hold_args d2 c1 -b 10.0.1.2 10.0.1.1 8001 1 3000
tl_eq "no destination limit: 8001" "$TL_HELD" "established 1 failed 0"
tl_eq "no destination limit: conns of 10.0.1.2/32" "$(tl_source_count srv 10.0.1.2/32 conns)" 2
tl_eq "no destination limit: table_full" "$(tl_proc srv table_full)" $((full + 8))
tl_ctl srv set-dst-max 10 || tl_fail "set-dst-max 10"
tl_hold_args d3 c1 -b 10.0.1.2 10.0.1.1 8002 1 3000
tl_eq "destination limit: 8002 takes the one entry" "$TL_HELD" "established 1 failed 0"
tl_hold_args d4 c1 -b 10.0.1.2 10.0.1.1 8000 1 1500
sleep 0.5
tl_eq "destination table full, drop: server sockets on 8000" \
	"$(tl_sockets srv 8000 10.0.1.2 established)" 1
tl_eq "destination table full, drop: table_full (its SYN and ACK)" \
	"$(tl_proc srv table_full)" $((full + 10))
tl_release "$d4"
tl_release "$d3"
tl_release "$d2"
tl_release "$d1"
tl_conns_settle srv 0
[ "$tl_failures" -eq 0 ] || tl_dump srv
tl_done
