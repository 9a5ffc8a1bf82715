#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The idle timeout applies to gateway mode only: a host holds the socket,
# and a connection counts while it exists, however silent.
# * host mode, set-idle-timeout 1s, set-max 2: 2 silent connections still
#   count 4 s later, a 3rd is refused, nothing expired; closing them frees
#   the source (the old module forgot them: hold 2, wait, open 2 more);
# * gateway mode, set-idle-timeout 5s: 3 silent connections through the
#   router stop counting (expired 3), no sooner than 5 s after they were
#   opened, though they stay open.
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_load
tl_server srv 10.0.1.1 8000
tl_ctl srv set-idle-timeout 1s || tl_fail "set-idle-timeout 1s"
tl_ctl srv set-max 2 || tl_fail "set-max 2"
tl_eq "idle_timeout_ms in /proc" "$(tl_proc srv idle_timeout_ms)" 1000

tl_hold old c1 10.0.1.1 8000 2
tl_eq "2 idle connections" "$TL_HELD" "established 2 failed 0"
sleep 4
tl_eq "conns 4 s later" "$(tl_proc srv conns)" 2
tl_eq "a 3rd while they are silent" "$(tl_connect c1 10.0.1.1 8000 1 1500)" "established 0 failed 1"
tl_eq "server sockets" "$(tl_established srv 8000)" 2
tl_eq "expired (host mode)" "$(tl_proc srv expired)" 0
tl_release "$old"
tl_conns_settle srv 0
tl_eq "2 after closing" "$(tl_connect c1 10.0.1.1 8000 2 3000)" "established 2 failed 0"

# Gateway: c2 routes between a third namespace (far) and srv.
tl_ns far
tl_link c2 far "10.0.7.1/24" "10.0.7.2/24"
ip netns exec c2 sysctl -qw net.ipv4.ip_forward=1
ip -n far route add default via 10.0.7.1
ip -n c2 route add 10.0.1.0/24 via 10.0.2.1
ip -n srv route add 10.0.7.0/24 via 10.0.2.2
tl_ctl srv set-max 0 || tl_fail "set-max 0"
tl_ctl c2 set-mode gateway || tl_fail "set-mode gateway in c2"
tl_ctl c2 set-idle-timeout 5s || tl_fail "set-idle-timeout 5s in c2"
start=$(tl_ms)
tl_hold gw far 10.0.1.1 8000 3 10000
tl_eq "3 through the router" "$TL_HELD" "established 3 failed 0"
if [ $(($(tl_ms) - start)) -lt 4000 ]; then
	tl_eq "router conns before the idle timeout" "$(tl_proc c2 conns)" 3
fi
busywait 20000 tl_conns_is c2 0
tl_log "router conns 0 after $(($(tl_ms) - start)) ms"
# Each connection was made after start: none may go before 5 s.
[ $(($(tl_ms) - start)) -ge 5000 ] || tl_fail "expired before the idle timeout"
tl_eq "router expired" "$(tl_proc c2 expired)" 3
tl_eq "the idle connections are still open" "$(tl_established srv 8000)" 3
tl_release "$gw"
[ "$tl_failures" -eq 0 ] || { tl_dump srv; tl_dump c2; }
tl_done
