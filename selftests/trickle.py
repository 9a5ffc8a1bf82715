#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A slow client (slowloris): open connections and keep each alive with a
few bytes now and then.

usage: trickle.py [-b SRC] ADDR PORT N INTERVAL_S BYTES

Opens N connections to ADDR:PORT (from SRC if given) and sends BYTES bytes
on each every INTERVAL_S seconds (BYTES 0: idle, as a keep-alive
connection), until SIGTERM. Prints "established E" once all connect
attempts are done, and "alive A reset R" when it ends: R connections were
reset by the other end (or the network)."""
import errno
import signal
import socket
import sys
import time

args = sys.argv[1:]
src = None
if args[:1] == ["-b"]:
    src, args = args[1], args[2:]
if len(args) != 5:
    sys.exit(__doc__)
addr, port, n, interval, size = args[0], int(args[1]), int(args[2]), float(args[3]), int(args[4])
family = socket.AF_INET6 if ":" in addr else socket.AF_INET
stop = False


def on_term(_sig, _frame):
    global stop
    stop = True


signal.signal(signal.SIGTERM, on_term)
live, reset = [], 0
for _ in range(n):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(5)
    if src:
        s.bind((src, 0))
    try:
        s.connect((addr, port))
        s.setblocking(False)
        live.append(s)
    except OSError:
        s.close()
print("established %d" % len(live), flush=True)


def dead(s):
    """Was @s reset? Sends BYTES, or peeks when idle."""
    try:
        if size:
            s.send(b"x" * size)
            return False
        return s.recv(1, socket.MSG_PEEK) == b""
    except BlockingIOError:
        return False
    except OSError as e:
        return e.errno in (errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED, errno.ETIMEDOUT)


while not stop and live:
    for s in list(live):
        if dead(s):
            live.remove(s)
            s.close()
            reset += 1
    time.sleep(interval)
print("alive %d reset %d" % (len(live), reset), flush=True)
