#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Real tools from Debian: slowhttptest (slowloris: 200 connections from
# 10.0.1.2, a few header bytes each every 4 s) against nginx (256
# connections a worker, its header timeout raised to 2 minutes, so the
# attack alone would hold its slots) in srv, while wrk loads it from
# 10.0.2.2. With set slow 200/5s abnormal-max 10 slow-action reset, the
# attacker is banned (reason abnormal), its connections are reset (none
# left on the server: ss), and wrk, run once the attacker is banned, gets
# every answer right: no socket error (connect, read, write, timeout), no
# non-2xx answer, and none of its connections found slow or reset,
# before the attack or during it. (Its requests carry a 1 KiB header, as
# a browser's cookies do: each connection moves far more than 200 B in 5 s
# even on the debug kernel.)
. "$(dirname "$0")/../lib.sh"

for tool in nginx slowhttptest wrk; do
	command -v "$tool" >/dev/null || tl_skip "$tool not installed (scripts/deps.sh installs it)"
done
tl_topology
tl_load
web=$TL_TMP/nginx
mkdir -p "$web"
cat >"$web/nginx.conf" <<NGINX
worker_processes 1;
pid $web/nginx.pid;
error_log $web/error.log;
events { worker_connections 256; }
http {
	access_log off;
	client_body_temp_path $web/body;
	proxy_temp_path $web/proxy;
	fastcgi_temp_path $web/fastcgi;
	uwsgi_temp_path $web/uwsgi;
	scgi_temp_path $web/scgi;
	client_header_timeout 120s;
	keepalive_timeout 120s;
	server {
		listen 80;
		location / { return 200 "ok\n"; }
	}
}
NGINX
tl_ctl srv set slow 200/5s abnormal-max 10 slow-action reset ban-time 5m ||
	tl_fail "set slow 200/5s abnormal-max 10 slow-action reset ban-time 5m"
ip netns exec srv nginx -p "$web" -c "$web/nginx.conf" -e "$web/error.log" \
	-g 'daemon off;' &
TL_PIDS+=($!)
busywait 10000 tl_listening srv 80 || tl_fail "nginx never listened: $(cat "$web/error.log")"

# load NAME: wrk for 8 s from 10.0.2.2; its report into $TL_TMP/NAME.
# Every answer right: no socket error, no non-2xx answer, and none of its
# connections found slow.
pad=$(printf '%01024d' 0)
load() {
	local reset

	reset=$(tl_proc srv slow_reset)
	ip netns exec c2 wrk -t1 -c8 -d8s --timeout 10s -H "X-Pad: $pad" \
		http://10.0.2.1/ >"$TL_TMP/$1" 2>&1 ||
		tl_fail "wrk ($1): $(cat "$TL_TMP/$1")"
	tl_log "  wrk ($1): $(grep -E 'requests in|Requests/sec|errors|Non-2xx' "$TL_TMP/$1" | tr -s ' \n' ' ')"
	grep -q 'Socket errors' "$TL_TMP/$1" && tl_fail "wrk ($1): socket errors"
	grep -q 'Non-2xx' "$TL_TMP/$1" && tl_fail "wrk ($1): non-2xx answers"
	tl_eq "wrk ($1): its source's slow connections" \
		"$(tl_source_count srv 10.0.2.2/32 slow)" 0
	tl_eq "wrk ($1): slow_reset" "$(tl_proc srv slow_reset)" "$reset"
}
rate() {
	awk '/^Requests\/sec:/ { print int($2) }' "$TL_TMP/$1"
}
load before
[ "$(rate before)" -gt 0 ] || tl_fail "wrk before the attack: no request served"

ip netns exec c1 slowhttptest -H -c 200 -r 50 -i 4 -x 8 -p 3 -l 60 \
	-u http://10.0.1.1/ >"$TL_TMP/slowhttptest" 2>&1 &
attack=$!
TL_PIDS+=("$attack")
# More than abnormal-max at once: on a slow kernel the first are flagged
# (5 s) and reset before 50 are up, so that many is not asked for.
busywait 20000 tl_prints_ge 11 tl_sockets srv 80 10.0.1.2 established ||
	tl_fail "the attack never held 11 connections: $(tail -5 "$TL_TMP/slowhttptest")"
# bans_now: the bans in force, "PREFIX REASON" each.
bans_now() {
	tl_ctl srv bans | awk '{ print $1, $5 }'
}
busywait 40000 tl_prints "10.0.1.2/32 abnormal" bans_now ||
	tl_fail "the attacker was not banned: $(tl_ctl srv bans)"
busywait 20000 tl_prints 0 tl_sockets srv 80 10.0.1.2 established ||
	tl_fail "the attacker's connections were not reset: $(tl_sockets srv 80 10.0.1.2 established)"
load during
# slowhttptest gives up once its connections are reset and refused.
kill -0 "$attack" 2>/dev/null && tl_log "  slowhttptest still attacking during the load"
# Its rate is logged, not compared: the attacker's retries share the
# guest's two vCPUs with wrk and nginx, so under TCG it measures them.
before=$(rate before) during=$(rate during)
tl_log "  wrk: $before requests/s before, $during during the attack"
[ "$during" -ge 10 ] || tl_fail "wrk during the attack: $during requests/s"
[ "$(tl_proc srv slow_reset)" -ge 11 ] || tl_fail "slow_reset $(tl_proc srv slow_reset)"
kill "$attack" 2>/dev/null
wait "$attack" 2>/dev/null
tl_log "  slowhttptest: $(sed 's/\x1b\[[0-9;]*m//g' "$TL_TMP/slowhttptest" |
	grep -E 'pending|connected|closed|error' | tail -4 | tr -s ' \n' ' ')"
tl_done
