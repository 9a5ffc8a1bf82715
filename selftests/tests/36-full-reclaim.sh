#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A full table makes room from idle entries at once. Source table of 2,
# full policy drop: 10.0.1.2 and .3 connect and close; their idle entries
# stay (no new source wanted room: the GC keeps an idle entry 30 s). A SYN
# from .4 finds the table full (dropped, table_full 1); the GC's next pass
# forgets the idle entries within seconds, and .4 is then tracked: room
# came from entries that held nothing, no count moved. That pass over, an
# idle entry (.4's, once closed) is kept again. Entries that owe
# rate debt (set-rate 1/1h: each has taken its one connection) are kept
# whatever the pressure: forgetting one would hand its owner a new burst.
# Meanwhile a new source's SYN is let through and counted at its ACK
# (table_full having been seen): .5 is tracked in the reserve of proven
# sources (one entry), and .6, finding that full too, is refused at its
# ACK by the drop policy.
. "$(dirname "$0")/../lib.sh"

tl_topology
for a in 3 4 5 6; do
	ip -n c1 addr add 10.0.1.$a/24 dev to-srv
done
tl_load
tl_server srv 0.0.0.0 8000
tl_ctl srv set-table-size 2 || tl_fail "set-table-size 2"
tl_ctl srv set-full-policy drop || tl_fail "set-full-policy drop"

for a in 2 3; do
	tl_eq "10.0.1.$a" "$(tl_client c1 -b 10.0.1.$a 10.0.1.1 8000 1 3000 close)" \
		"established 1 failed 0"
done
tl_conns_settle srv 0
sleep 2
tl_eq "idle entries kept while nobody wants room" "$(tl_proc srv sources)" 2
tl_eq "first SYN of 10.0.1.4: table full" \
	"$(tl_client c1 -b 10.0.1.4 10.0.1.1 8000 1 500 close)" "established 0 failed 1"
tl_eq "table_full" "$(tl_proc srv table_full)" 1
busywait 5000 tl_proc_is srv sources 0 ||
	tl_fail "idle entries of a full table not forgotten within 5 s: $(tl_proc srv sources)"
# The eager pass (1.7 s at most) is over after this.
sleep 2
tl_hold_args p4 c1 -b 10.0.1.4 10.0.1.1 8000 1 3000
tl_eq "10.0.1.4 once there is room" "$TL_HELD" "established 1 failed 0"
tl_eq "10.0.1.4 tracked" "$(tl_source_count srv 10.0.1.4/32 conns)" 1
tl_eq "table_full after" "$(tl_proc srv table_full)" 1
tl_eq "admitted" "$(tl_proc srv admitted)" 3
tl_release "$p4"
tl_conns_settle srv 0
sleep 3
tl_eq "one eager pass only: an idle entry is kept again" "$(tl_proc srv sources)" 1

# Rate debt is kept under pressure.
tl_ctl srv flush >/dev/null || tl_fail "flush"
tl_eq "sources after flush" "$(tl_proc srv sources)" 0
tl_ctl srv set-rate 1/1h || tl_fail "set-rate 1/1h"
for a in 2 3; do
	tl_eq "10.0.1.$a under 1/1h" "$(tl_client c1 -b 10.0.1.$a 10.0.1.1 8000 1 3000 close)" \
		"established 1 failed 0"
done
tl_conns_settle srv 0
tl_eq "10.0.1.5: table full of debtors, counted at its ACK" \
	"$(tl_client c1 -b 10.0.1.5 10.0.1.1 8000 1 3000 close)" "established 1 failed 0"
tl_eq "table_full with debtors" "$(tl_proc srv table_full)" 2
tl_eq "sources with .5 in the reserve" "$(tl_proc srv sources)" 3
# Its connect() may return before the RST comes: the server's count says.
tl_client c1 -b 10.0.1.6 10.0.1.1 8000 1 1500 close >/dev/null
tl_eq "10.0.1.6 (table and reserve full of debtors) reset at its ACK" \
	"$(tl_proc srv rejected)" 1
tl_eq "table_full after .6's SYN and ACK" "$(tl_proc srv table_full)" 4
tl_eq "admitted after .6 (.2 to .5)" "$(tl_proc srv admitted)" 6
# A full pass of the GC takes 1.6 s.
sleep 4
tl_eq "debtors kept under pressure" "$(tl_proc srv sources)" 3
tl_eq "10.0.1.2 still owes its period" \
	"$(tl_client c1 -b 10.0.1.2 10.0.1.1 8000 1 500 close)" "established 0 failed 1"
tl_eq "limited_rate" "$(tl_proc srv limited_rate)" 1
tl_done
