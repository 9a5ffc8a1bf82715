#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Gateway mode: the limiter of a router namespace caps the connections it
# forwards, IPv4 and IPv6, and sees them end (FINs in both directions on
# FORWARD). The server's own limiter, in host mode without limits, refuses
# nothing.
#   c1 10.0.1.2 fd00:1::2 <-> rtr 10.0.1.1 fd00:1::1 | 10.0.3.1 fd00:3::1 <-> srv 10.0.3.2 fd00:3::2
. "$(dirname "$0")/../lib.sh"

tl_routed c1 rtr srv 1 3
tl_load
tl_server srv :: 8000
tl_eq "c1 reaches srv through rtr" "$(tl_connect c1 10.0.3.2 8000 1 3000)" "established 1 failed 0"
tl_eq "c1 reaches srv through rtr, IPv6" "$(tl_connect c1 fd00:3::2 8000 1 3000)" "established 1 failed 0"

tl_ctl rtr set-mode gateway || tl_fail "set-mode gateway in rtr"
tl_ctl rtr set-max 5 || tl_fail "set-max 5 in rtr"
tl_eq "rtr mode" "$(tl_proc rtr mode)" gateway
tl_eq "srv mode" "$(tl_proc srv mode)" host
tl_eq "srv max" "$(tl_proc srv max)" 0

tl_hold pid c1 10.0.3.2 8000 12
tl_eq "client of 12 through rtr" "$TL_HELD" "established 5 failed 7"
tl_eq "server sockets" "$(tl_established srv 8000)" 5
tl_eq "rtr: conns of 10.0.1.2/32" "$(tl_source_conns rtr 10.0.1.2/32)" 5
tl_eq "rtr: /proc conns" "$(tl_proc rtr conns)" 5
tl_eq "rtr: /proc admitted" "$(tl_proc rtr admitted)" 5
limited=$(tl_proc rtr limited_conn)
[ "$limited" -ge 7 ] 2>/dev/null || tl_fail "rtr: limited_conn '$limited', want at least 7"
tl_eq "srv: limited_conn" "$(tl_proc srv limited_conn)" 0
tl_eq "srv: limited_rate" "$(tl_proc srv limited_rate)" 0
tl_release "$pid"
tl_conns_settle rtr 0
src=$(tl_source_conns rtr 10.0.1.2/32)
[ -z "$src" ] || tl_eq "rtr: source conns after close" "$src" 0
tl_eq "5 again after close" "$(tl_connect c1 10.0.3.2 8000 6 1500)" "established 5 failed 1"
tl_conns_settle rtr 0

# IPv6 through the router (sources grouped by /64 by default).
tl_hold pid c1 fd00:3::2 8000 12
tl_eq "IPv6 client of 12 through rtr" "$TL_HELD" "established 5 failed 7"
tl_eq "rtr: conns of fd00:1::/64" "$(tl_source_conns rtr fd00:1::/64)" 5
tl_eq "rtr: /proc conns, IPv6" "$(tl_proc rtr conns)" 5
tl_eq "server sockets, IPv6" "$(tl_established srv 8000)" 5
tl_release "$pid"
tl_conns_settle rtr 0

# The router's own services are not what gateway mode counts.
tl_server rtr 10.0.1.1 9000
tl_eq "8 to rtr itself" "$(tl_connect c1 10.0.1.1 9000 8 3000)" "established 8 failed 0"
tl_eq "srv: limited_conn at the end" "$(tl_proc srv limited_conn)" 0
[ "$tl_failures" -eq 0 ] || { tl_dump rtr; tl_dump srv; }
tl_done
