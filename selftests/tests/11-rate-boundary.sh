#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The rate is a GCRA, not a window: set-rate 4/4s is one new connection per
# second with a burst of 4. After a burst of 4 nothing more is admitted
# until a second has passed, 1.5 s after the burst exactly one is, and
# after a long pause the credit is back to the burst of 4, never more (a
# fixed window would allow 4 at the end of one period and 4 more at the
# start of the next).
#
# The steps are timed to the millisecond by one process in c1 (starting a
# tcpconn client takes about a second in the test VM, as long as the
# refill interval). Each step opens its connections at once and closes
# them when it is done, so concurrency plays no part. Steps that must see a
# refusal wait 500 ms: shorter than the 1 s SYN retransmission, so each
# refused connection sends one SYN and no retransmit can pick up credit
# that refills meanwhile. The source's rate_avail is read from the
# server's /proc/net/tcplimit (through the server process's /proc/PID/net).
# A run a loaded guest stalled past its timing is run again (at most 3),
# from a fresh entry.
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_load
tl_server srv 10.0.1.1 8000
srv_pid=${TL_PIDS[-1]}
tl_ctl srv set-rate 4/4s || tl_fail "set-rate 4/4s"
tl_eq "rate in /proc" "$(tl_proc srv rate)" 4
tl_eq "rate_period_ms in /proc" "$(tl_proc srv rate_period_ms)" 4000

# Prints "step NAME ESTABLISHED FAILED FIRST_MS LAST_MS END_MS" (FIRST..LAST:
# when its connect() calls ran, END when it closed them) and "avail NAME
# RATE_AVAIL AT_MS", times in ms after the burst's first connect().
cat >"$TL_TMP/steps.py" <<'PY'
import select, socket, sys, time

addr, port, proc, source = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
t0 = None


def ms():
    return round((time.monotonic() - t0) * 1000)


def step(name, n, timeout_ms):
    global t0
    if t0 is None:
        t0 = time.monotonic()
    socks, first = [], ms()
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.connect_ex((addr, port))
        socks.append(s)
    last = ms()
    deadline = time.monotonic() + timeout_ms / 1000
    poller = select.poll()
    pending = {s.fileno(): s for s in socks}
    for fd in pending:
        poller.register(fd, select.POLLOUT)
    up = 0
    while pending:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        for fd, _ in poller.poll(left * 1000):
            s = pending.pop(fd)
            poller.unregister(fd)
            up += s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
    for s in socks:
        s.close()
    print(f"step {name} {up} {n - up} {first} {last} {ms()}", flush=True)


def avail(name):
    col, value = None, ""
    with open(proc) as f:
        for line in f:
            w = line.split()
            if col is None and w and w[0] == "source":
                col = w.index("rate_avail")
            elif col is not None and w and w[0] == source:
                value = w[col]
    print(f"avail {name} {value} {ms()}", flush=True)


def sleep_until(at_ms):
    time.sleep(max(0, at_ms - ms()) / 1000)


step("burst", 4, 3000)
step("one", 1, 500)
avail("burst")
sleep_until(1500)
step("three", 3, 500)
sleep_until(7000)
avail("rested")
step("eight", 8, 500)
avail("eight")
PY
# run_steps: one timed run, parsed into got, first, last and at.
declare -A got first last at
run_steps() {
	ip netns exec c1 /usr/bin/python3 "$TL_TMP/steps.py" 10.0.1.1 8000 \
		"/proc/$srv_pid/net/tcplimit" 10.0.1.2/32 >"$TL_TMP/steps" 2>&1 ||
		tl_fail "the timed steps failed: $(cat "$TL_TMP/steps")"
	sed 's/^/  /' "$TL_TMP/steps"
	got=() first=() last=() at=()
	while read -r kind name a b c d _; do
		case $kind in
		step) got[$name]="established $a failed $b"; first[$name]=$c; last[$name]=$d ;;
		avail) got[avail-$name]=$a; at[$name]=$b ;;
		esac
	done <"$TL_TMP/steps"
}

# on_time: every step ran when its result means something (a loaded
# guest may stall the stepping process past a refill).
on_time() {
	[ $((last[one] < first[burst] + 1000)) == 1 ] &&
		[ $((at[burst] < first[burst] + 1000)) == 1 ] &&
		[ $((first[three] >= last[burst] + 1000 && last[three] < first[burst] + 2000)) == 1 ] &&
		[ $((first[eight] >= last[burst] + 5000)) == 1 ] &&
		[ $((at[eight] < first[eight] + 1000)) == 1 ]
}

# Up to 3 runs, each from a fresh entry (flush): the first on time counts.
for attempt in 1 2 3; do
	admitted0=$(tl_proc srv admitted)
	limited0=$(tl_proc srv limited_rate)
	run_steps
	on_time && break
	tl_log "run $attempt missed its timing; the source flushed, again"
	tl_conns_settle srv 0
	tl_ctl srv flush >/dev/null || tl_fail "flush"
done

# timing WHAT CONDITION: the step ran when its result means something.
timing() {
	[ "$2" == 1 ] || tl_fail "timing: $1, the result above is not meaningful"
}

tl_eq "burst of 4 (SYNs at +${first[burst]}..+${last[burst]} ms)" "${got[burst]}" \
	"established 4 failed 0"
tl_eq "one more at once (SYN at +${first[one]} ms)" "${got[one]}" "established 0 failed 1"
timing "one more's SYN at +${last[one]} ms, not before the refill at +${first[burst]}+1000" \
	$((last[one] < first[burst] + 1000))
tl_eq "rate_avail after the burst (at +${at[burst]} ms)" "${got[avail-burst]}" 0
timing "rate_avail read at +${at[burst]} ms, not before +1000" $((at[burst] < first[burst] + 1000))
tl_eq "3 tried 1.5 s after the burst (SYNs at +${first[three]}..+${last[three]} ms)" \
	"${got[three]}" "established 1 failed 2"
timing "3 tried at +${first[three]}..+${last[three]} ms, not within +1000..+2000 of the burst" \
	$((first[three] >= last[burst] + 1000 && last[three] < first[burst] + 2000))
tl_eq "rate_avail after more than a period (at +${at[rested]} ms)" "${got[avail-rested]}" 4
tl_eq "8 tried after more than a period (SYNs at +${first[eight]}..+${last[eight]} ms)" \
	"${got[eight]}" "established 4 failed 4"
timing "8 tried at +${first[eight]} ms, less than 5 s after the burst" \
	$((first[eight] >= last[burst] + 5000))
tl_eq "rate_avail after the 8 (at +${at[eight]} ms)" "${got[avail-eight]}" 0
timing "rate_avail read at +${at[eight]} ms, not within 1 s of the 8" \
	$((at[eight] < first[eight] + 1000))

tl_eq "/proc admitted by the run" $(($(tl_proc srv admitted) - admitted0)) 9
# One SYN each for the 1 + 2 + 4 refused connections, no retransmits.
tl_eq "/proc limited_rate by the run" $(($(tl_proc srv limited_rate) - limited0)) 7
tl_eq "limited of 10.0.1.2/32" "$(tl_source_count srv 10.0.1.2/32 limited)" 7
[ "$tl_failures" -eq 0 ] || tl_dump srv
tl_done
