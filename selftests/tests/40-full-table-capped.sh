#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A full flow table lets no source past its own limits: with
# set-flow-table-size 6, set-max 2 and set-full-policy admit, a client
# holding its 2 connections while spoofed SYNs fill the table is still
# refused a 3rd (limited_conn, not table_full), while a new source under
# its limits takes the full policy's path (admitted, table_full counted).
# A proven source (its handshakes complete) keeps being tracked in the
# table's reserve (a quarter more): c1 closes its 2, the flood refills the
# table, and c1 gets 2 tracked connections again and no 3rd (it got every
# one untracked before). A source admitted untracked still pays its rate:
# with set-rate 2/10m, c2 gets 2 of 3 (3 of 3 before). A new source's
# connections, the table full, are counted at their ACKs (proof.c).
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_load
tl_server srv 0.0.0.0 8000
ip -n srv route add 10.99.0.0/16 via 10.0.1.2
for conf in all default to-c1; do
	ip netns exec srv sysctl -qw "net.ipv4.conf.$conf.rp_filter=0"
done
tl_ctl srv set-max 2 || tl_fail "set-max 2"
tl_ctl srv set-flow-table-size 6 || tl_fail "set-flow-table-size 6"
tl_ctl srv set-full-policy admit || tl_fail "set-full-policy admit"

tl_hold pid c1 10.0.1.1 8000 2
tl_eq "c1 holds 2" "$TL_HELD" "established 2 failed 0"
tl_rawtcp c1 syn 10.99.0.0/16 10.0.1.1 8000 20
sleep 0.5
tl_snap srv
tl_eq "conns with the table full" "$(tl_snap_key srv conns)" 6
full=$(tl_snap_key srv table_full)
[ "$full" -ge 16 ] 2>/dev/null || tl_fail "table_full '$full' after 20 spoofed SYNs, want at least 16"
limited=$(tl_snap_key srv limited_conn)

tl_eq "c1's 3rd with the table full" "$(tl_connect c1 10.0.1.1 8000 1 1500)" "established 0 failed 1"
tl_eq "server sockets of c1" "$(tl_established srv 8000)" 2
tl_snap srv
[ "$(tl_snap_key srv limited_conn)" -gt "$limited" ] ||
	tl_fail "limited_conn $(tl_snap_key srv limited_conn), want more than $limited"
tl_eq "table_full after c1's refusals" "$(tl_snap_key srv table_full)" "$full"
tl_eq "c1 conns" "$(tl_snap_col srv 10.0.1.2/32 conns)" 2

tl_eq "c2 (under its limits) with the table full" "$(tl_connect c2 10.0.2.1 8000 1 3000)" \
	"established 1 failed 0"
[ "$(tl_proc srv table_full)" -gt "$full" ] || tl_fail "c2's admission did not count table_full"

# c1 is proven: with the table full again, the reserve takes its flows.
tl_release "$pid"
busywait 5000 tl_prints 0 tl_source_count srv 10.0.1.2/32 conns || tl_fail "c1's closes not seen"
tl_rawtcp c1 syn 10.99.0.0/16 10.0.1.1 8000 20
sleep 0.5
tl_eq "conns with the table full again" "$(tl_proc srv conns)" 6
full=$(tl_proc srv table_full)
tl_hold pid c1 10.0.1.1 8000 2
tl_eq "c1 holds 2 again, the table full" "$TL_HELD" "established 2 failed 0"
tl_eq "c1's 3rd, the table full again" "$(tl_connect c1 10.0.1.1 8000 1 1500)" \
	"established 0 failed 1"
tl_eq "server sockets of c1 again" "$(tl_established srv 8000)" 2
tl_snap srv
tl_eq "c1 conns in the reserve" "$(tl_snap_col srv 10.0.1.2/32 conns)" 2
tl_eq "conns with c1 in the reserve" "$(tl_snap_key srv conns)" 8
tl_eq "table_full with c1 in the reserve" "$(tl_snap_key srv table_full)" "$full"
tl_release "$pid"

# c2, counted at its ACKs in the reserve (or, that full, admitted
# untracked), still takes its place in the rate: the 3rd is reset at its
# ACK (its connect() may have returned: the server's sockets say).
tl_ctl srv set-rate 2/10m || tl_fail "set-rate 2/10m"
tl_hold pid c2 10.0.2.1 8000 3 3000
tl_log "c2 under set-rate 2/10m: $TL_HELD"
sleep 1
tl_eq "server sockets of c2 under set-rate 2/10m, the table full" \
	"$(tl_sockets srv 8000 10.0.2.2 established)" 2
tl_eq "rate_avail of 10.0.2.2/32" "$(tl_source_count srv 10.0.2.2/32 rate_avail)" 0
tl_release "$pid"
[ "$tl_failures" -eq 0 ] || tl_dump srv
tl_done
