#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The concurrent cap is exact when SYNs of one source race on both CPUs:
# set-max 50, two clients of the same source, one pinned to each CPU and
# released together, open 100 connections each at once; between them they
# get exactly 50. Three rounds, each released back to 0. The clients'
# connect() calls must overlap in time (CLOCK_MONOTONIC, shared by both),
# or nothing raced. It needs two CPUs (make check runs it in its 2-vCPU
# guest).
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_load
tl_server srv 10.0.1.1 8000
tl_ctl srv set-max 50 || tl_fail "set-max 50"

# A client SYN goes through the server namespace's hooks on the CPU that
# sent it (veth), so two clients pinned apart race in the limiter. Starting
# a program takes longer in the test VM than 100 connect()s, so each client
# is a process that makes its sockets first, then waits for the start line
# and only connects (hold mode: it keeps what it got until SIGTERM).
cat >"$TL_TMP/racer.py" <<'PY'
import os, select, signal, socket, sys, time

fifo, cpu, addr, port, n, timeout_ms = sys.argv[1], int(sys.argv[2]), sys.argv[3], \
    int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
if cpu >= 0:
    os.sched_setaffinity(0, {cpu})
socks = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(n)]
for s in socks:
    s.setblocking(False)
fd = os.open(fifo, os.O_RDONLY)
open(fifo + ".ready." + str(cpu), "w").close()
os.read(fd, 3)
first = time.monotonic()
for s in socks:
    s.connect_ex((addr, port))
last = time.monotonic()
deadline = time.monotonic() + timeout_ms / 1000
poller = select.poll()
pending = {s.fileno(): s for s in socks}
for f in pending:
    poller.register(f, select.POLLOUT)
up = []
while pending:
    left = deadline - time.monotonic()
    if left <= 0:
        break
    for f, _ in poller.poll(left * 1000):
        s = pending.pop(f)
        poller.unregister(f)
        if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
            up.append(s)
for s in socks:
    if s not in up:
        s.close()
print(f"established {len(up)} failed {n - len(up)} "
      f"connects {int(first * 1e6)} {int(last * 1e6)}", flush=True)
while True:
    signal.pause()
PY
ncpu=$(nproc)
tl_log "$ncpu CPUs"
[ "$ncpu" -ge 2 ] || tl_skip "one CPU: nothing would race"
fifo=$TL_TMP/go
mkfifo "$fifo" || exit 1
exec 3<>"$fifo"

# racer OUT CPU: a client of 100 on CPU (-1: anywhere).
racer() {
	ip netns exec c1 /usr/bin/python3 "$TL_TMP/racer.py" "$fifo" "$2" 10.0.1.1 8000 100 2000 >"$1" &
	TL_PIDS+=($!)
}

for round in 1 2 3; do
	a_out="$TL_TMP/a.$round" b_out="$TL_TMP/b.$round"
	cpu_a=0 cpu_b=1
	rm -f "$fifo".ready.*
	racer "$a_out" $cpu_a
	a=$!
	racer "$b_out" $cpu_b
	b=$!
	busywait 20000 test -e "$fifo.ready.$cpu_a" -a -e "$fifo.ready.$cpu_b" ||
		tl_fail "round $round: a client never got ready"
	sleep 0.2
	printf 'go\ngo\n' >&3
	busywait 20000 test -s "$a_out" -a -s "$b_out" || tl_fail "round $round: a client never reported"
	read -r _ ea _ fa _ a_first a_last <"$a_out"
	read -r _ eb _ fb _ b_first b_last <"$b_out"
	tl_log "round $round: client a: $(cat "$a_out"), client b: $(cat "$b_out")"
	# Each client's connect() calls (microseconds) overlap the other's.
	[ "$a_first" -le "$b_last" ] && [ "$b_first" -le "$a_last" ] ||
		tl_fail "round $round: the clients' connect() calls did not overlap"
	tl_eq "round $round: established a + b" "$((ea + eb))" 50
	tl_eq "round $round: failed a + b" "$((fa + fb))" 150
	tl_eq "round $round: server sockets" "$(tl_established srv 8000)" 50
	tl_eq "round $round: /proc conns" "$(tl_proc srv conns)" 50
	busywait 3000 tl_proc_is srv halfopen 0	# the GC sees the handshakes complete
	tl_eq "round $round: /proc halfopen" "$(tl_proc srv halfopen)" 0
	tl_eq "round $round: conns of 10.0.1.2/32" "$(tl_source_conns srv 10.0.1.2/32)" 50
	tl_eq "round $round: /proc admitted" "$(tl_proc srv admitted)" $((round * 50))
	tl_release "$a"
	tl_release "$b"
	tl_conns_settle srv 0
	src=$(tl_source_conns srv 10.0.1.2/32)
	[ -z "$src" ] || tl_eq "round $round: source conns after release" "$src" 0
	[ "$tl_failures" -eq 0 ] || { tl_dump srv; break; }
done
tl_done
