#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every way a connection ends gives its unit back exactly once, and what is
# not an end changes nothing (set-max 5):
# * FIN from both sides, and RST from the client: the count is 0 within
#   10 s of the client's end, however long the client took (the GC
#   compares every flow with the socket table every 1.6 s; the slowest
#   timer, the SYN timeout, is 75 s), and the slots are free at once: a
#   refused SYN asks the socket table about its source's flows first, so
#   none of 5 new connections is refused;
# * a blind RST (right 4-tuple, wrong sequence number, IPv4 and IPv6) is
#   ignored by TCP and by the module: the count stays 1, the connection
#   stays established and its later FIN still gives the unit back;
# * a half-closed connection (the server's FIN only, its socket still
#   open) still counts;
# * TIME_WAIT does not count, on the client's side or on the server's;
# * a 4-tuple used again (after an RST, over the client's TIME_WAIT with
#   tcp_tw_reuse, over the server's TIME_WAIT) is a new connection:
#   admitted once more and counted once.
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_load
tl_server srv 10.0.1.1 8000
tl_server srv fd00:1::1 8002
# Port 8001: a server that closes every connection first.
tl_server srv 10.0.1.1 8001 -c
tl_ctl srv set-max 5 || tl_fail "set-max 5"

# closed_by_event WHAT T0 T_CLIENT_END: conns must reach 0 before the
# client's end + 10 s: a few GC passes, even in a VM starved of CPU
# beside others; a limiter that forgets closed connections only by a
# timer (75 s at the least) fails here.
closed_by_event() {
	local what=$1 t0=$2 t_end=$3 left

	left=$((t_end + 10000 - $(tl_ms)))
	[ "$left" -gt 0 ] && busywait "$left" tl_conns_is srv 0
	if tl_conns_is srv 0; then
		tl_log "ok: $what: conns 0 within 10 s of the client's end ($((t_end - t0)) ms client, $(($(tl_ms) - t_end)) ms after)"
		return
	fi
	tl_fail "$what: conns '$(tl_proc srv conns)' 10 s after the client's end, want 0 (the close was missed)"
	tl_conns_settle srv 0
}

# FIN from both sides.
t0=$(tl_ms)
tl_eq "FIN close: client" "$(tl_client c1 10.0.1.1 8000 3 3000 close)" "established 3 failed 0"
closed_by_event "FIN close" "$t0" "$(tl_ms)"
tl_eq "admitted after FIN close" "$(tl_proc srv admitted)" 3

# RST from the client.
t0=$(tl_ms)
tl_eq "RST close: client" "$(tl_client c1 10.0.1.1 8000 3 3000 rst)" "established 3 failed 0"
closed_by_event "RST close" "$t0" "$(tl_ms)"
tl_eq "RST close: server sockets left" \
	"$(ip netns exec srv ss -Htn '( sport = :8000 )' | wc -l)" 0
tl_eq "admitted after RST close" "$(tl_proc srv admitted)" 6

# Blind RSTs, IPv4 and IPv6: the right 4-tuple, a wrong sequence number.
admitted=6
for dst in 10.0.1.1:8000 "[fd00:1::1]:8002"; do
	addr=${dst%:*} addr=${addr#\[} addr=${addr%\]} port=${dst##*:}
	tl_hold pid c1 "$addr" "$port" 1
	tl_eq "blind RST to $dst: client" "$TL_HELD" "established 1 failed 0"
	local_end=$(tl_local_ends c1 "$port")
	src=${local_end%:*} src=${src#\[} src=${src%\]} sport=${local_end##*:}
	tl_log "the connection: $local_end -> $dst"
	tl_rawtcp c1 rst "$src" "$sport" "$addr" "$port" 12345
	sleep 0.5
	tl_snap srv
	tl_eq "blind RST to $dst: conns" "$(tl_snap_key srv conns)" 1
	tl_eq "blind RST to $dst: admitted" "$(tl_snap_key srv admitted)" $((admitted + 1))
	tl_eq "blind RST to $dst: server still established" "$(tl_established srv "$port")" 1
	tl_eq "blind RST to $dst: client still established" "$(tl_local_ends c1 "$port")" "$local_end"
	tl_release "$pid"
	tl_conns_settle srv 0
	admitted=$((admitted + 1))
done

# The client closes first: its sockets wait in TIME_WAIT, the server's are gone.
time_wait() {
	ip netns exec "$1" ss -Htn state time-wait "$2" | wc -l
}
tl_hold pid c1 10.0.1.1 8000 2
tl_eq "client-side TIME_WAIT: client" "$TL_HELD" "established 2 failed 0"
# By their ports: earlier cases' TIME_WAIT sockets may expire meanwhile.
ports=$(tl_local_ends c1 8000 | sed 's/.*://' | sort)
t0=$(tl_ms)
tl_release "$pid"
closed_by_event "client-side TIME_WAIT" "$t0" "$t0"
tl_eq "client-side TIME_WAIT: the client's sockets in TIME_WAIT" \
	"$(ip netns exec c1 ss -Htn state time-wait '( dport = :8000 )' |
		awk '{ sub(/.*:/, "", $3); print $3 }' | sort | grep -cxF "$ports")" 2
tl_eq "client-side TIME_WAIT: server sockets left" \
	"$(ip netns exec srv ss -Htn '( sport = :8000 )' | wc -l)" 0

# The server closes first: half-closed connections count until the client's
# FIN; then the server's sockets wait in TIME_WAIT, counted 0.
fin_wait2() {
	[ "$(ip netns exec srv ss -Htn state fin-wait-2 '( sport = :8001 )' | wc -l)" -eq "$1" ]
}
tl_hold pid c1 10.0.1.1 8001 2
tl_eq "server-side TIME_WAIT: client" "$TL_HELD" "established 2 failed 0"
busywait 5000 fin_wait2 2 || tl_fail "the server did not close first"
tl_eq "half-closed by the server: conns" "$(tl_proc srv conns)" 2
t0=$(tl_ms)
tl_release "$pid"
closed_by_event "server-side TIME_WAIT" "$t0" "$t0"
tl_eq "server-side TIME_WAIT: server sockets in TIME_WAIT" "$(time_wait srv '( sport = :8001 )')" 2
tl_eq "admitted after the TIME_WAIT cases" "$(tl_proc srv admitted)" 12

# reuse WHAT ADMITTED_BEFORE ARGS...: reconnect on a 4-tuple used before:
# one more admitted, counted 1.
reuse() {
	local what=$1 before=$2 sport=$4 port=${*: -1}

	shift 2
	tl_hold_args pid c1 "$@" 1 3000
	tl_eq "$what: client" "$TL_HELD" "established 1 failed 0"
	# Not TIME_WAIT: the open connection (CLOSE_WAIT if the server closed).
	tl_eq "$what: the same source port" "$(ip netns exec c1 ss -Htn "( dport = :$port )" |
		awk '$1 != "TIME-WAIT" { sub(/.*:/, "", $4); print $4 }')" "$sport"
	tl_snap srv
	tl_eq "$what: admitted" "$(tl_snap_key srv admitted)" $((before + 1))
	tl_eq "$what: conns" "$(tl_snap_key srv conns)" 1
	tl_eq "$what: conns of 10.0.1.2/32" "$(tl_snap_col srv 10.0.1.2/32 conns)" 1
	tl_release "$pid"
	tl_conns_settle srv 0
}

# After an RST.
tl_eq "reuse after RST: first" "$(tl_client c1 -p 40000 10.0.1.1 8000 1 3000 rst)" \
	"established 1 failed 0"
tl_conns_settle srv 0
reuse "reuse after RST" 13 -p 40000 10.0.1.1 8000

# Over the client's TIME_WAIT (tcp_tw_reuse: at least 1 s after it).
ip netns exec c1 sysctl -qw net.ipv4.tcp_tw_reuse=1
tl_eq "reuse over client TIME_WAIT: first" "$(tl_client c1 -p 40001 10.0.1.1 8000 1 3000 close)" \
	"established 1 failed 0"
tl_conns_settle srv 0
[ "$(time_wait c1 '( sport = :40001 )')" -eq 1 ] ||
	tl_fail "no client TIME_WAIT on port 40001"
sleep 1.2
reuse "reuse over client TIME_WAIT" 15 -p 40001 10.0.1.1 8000

# Over the server's TIME_WAIT (a SYN with a newer timestamp reopens it).
tl_hold_args pid c1 -p 40002 10.0.1.1 8001 1 3000
tl_eq "reuse over server TIME_WAIT: first" "$TL_HELD" "established 1 failed 0"
busywait 5000 fin_wait2 1 || tl_fail "the server did not close first"
tl_release "$pid"
tl_conns_settle srv 0
[ "$(time_wait srv '( dport = :40002 )')" -eq 1 ] ||
	tl_fail "no server TIME_WAIT for port 40002"
reuse "reuse over server TIME_WAIT" 17 -p 40002 10.0.1.1 8001
# Slots free at once: hold 5, close them; once the server's sockets are
# gone, 5 more at once, none of them refused first (a refused SYN would be
# admitted on its retransmission, so count the refusals, not the time).
open_sockets() {
	ip netns exec srv ss -Htn '( sport = :8000 )' | grep -vc '^TIME-WAIT'
}
tl_hold pid c1 10.0.1.1 8000 5
tl_eq "slots: 5 held" "$TL_HELD" "established 5 failed 0"
tl_release "$pid"
busywait 5000 tl_prints 0 open_sockets || tl_fail "the server kept its sockets"
refused=$(tl_proc srv limited_conn)
tl_eq "slots: 5 at once after the close" "$(tl_connect c1 10.0.1.1 8000 5)" \
	"established 5 failed 0"
tl_eq "slots: SYNs refused by the cap meanwhile" "$(($(tl_proc srv limited_conn) - refused))" 0
tl_conns_settle srv 0
[ "$tl_failures" -eq 0 ] || tl_dump srv
tl_done
