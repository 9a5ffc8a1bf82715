#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Crafted TCP clients for tcplimit's attack selftests (scapy, as root).

Each scenario drives N handshakes by hand from SRC to DST:PORT, playing
one trick a limiter could fall for, and prints one line:
"synack S established E": S handshakes the server answered (admitted),
E completed by the final ACK. What TCP made of them, the test reads on the
server (ss); the limiter's counts, from /proc/net/tcplimit.

The client's own kernel must not answer the server (an RST to a SYN-ACK it
never asked for): the test drops the server's packets in the client
namespace's input hook; the packet socket here sees them before that.

  attack.py SCENARIO SRC DST PORT N IFACE
    rst-edge     after the SYN-ACK, an RST with data at the right edge of
                 the receive window (TCP ignores it), then the ACK
    rst-inside   complete the handshake, then an RST inside the window but
                 not at the next sequence number (RFC 5961: TCP answers with
                 a challenge ACK and keeps the connection)
    rst-cookie   after a SYN-cookie SYN-ACK, an RST at exactly the next
                 sequence number (no request socket takes it), then the ACK
    fin-ignored  complete the handshake; when the server's FIN comes, a FIN
                 outside the window (TCP ignores it), never acking theirs
    late-ack     SYNs first, then wait WAIT seconds (env, default 3), then
                 the ACKs: a handshake completed after any SYN timeout; then
                 MORE (env, default 0) plain handshakes, and the line ends
                 with "more M", M of them answered. With SENT (env), the
                 file SENT is written once the SYNs are answered (a test
                 waits for it: starting scapy takes seconds in a loaded
                 guest)
    plain        a handshake; its ACK carries no data (so TCP_DEFER_ACCEPT
                 keeps the request waiting); with AHEAD (env) its sequence
                 number is that far ahead, still in the window (TCP takes
                 it: only the acknowledgment number must be exact)
    bad-ack      the ACK acknowledges more than the SYN-ACK sent (TCP
                 answers with an RST and keeps the request)
    frag-syn     the SYN in IPv6 or IPv4 fragments (its TCP header split
                 after 16 bytes, before the flags, or after 24: FRAG env),
                 then the ACK
"""
import os
import random
import sys
import threading
import time

STARTED = time.time()

# Only what is used: all of scapy takes three times as long to import,
# many seconds in a TCG guest.
from scapy.config import conf
from scapy.layers.inet import IP, TCP, fragment
from scapy.layers.inet6 import IPv6, IPv6ExtHdrFragment, L3RawSocket6, fragment6
from scapy.packet import Raw
from scapy.sendrecv import AsyncSniffer
from scapy.supersocket import L3RawSocket

conf.verb = 0


class Client:
    """One handshake driven by hand; what the server sent is in .got."""

    def __init__(self, src, dst, port):
        self.src, self.dst, self.port = src, dst, port
        self.v6 = ":" in dst
        self.sport = random.randint(20000, 60000)
        self.isn = random.randint(0, 2**32 - 1)
        self.synack = None
        self.fin = None

    def ip(self):
        return IPv6(src=self.src, dst=self.dst) if self.v6 else IP(src=self.src, dst=self.dst)

    def seg(self, flags, seq, ack=0, data=b"", **kw):
        pkt = self.ip() / TCP(sport=self.sport, dport=self.port, flags=flags, seq=seq,
                              ack=ack, window=65535, **kw)
        return pkt / Raw(data) if data else pkt

    def send(self, pkt):
        sock = L3RawSocket6() if self.v6 else L3RawSocket()
        sock.send(pkt)
        sock.close()

    def syn(self, frag=0):
        opts = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (1, 0)), ("WScale", 7)]
        pkt = self.seg("S", self.isn, options=opts)
        if not frag:
            self.send(pkt)
        elif self.v6:
            pkt = IPv6(src=self.src, dst=self.dst) / IPv6ExtHdrFragment() / pkt[TCP]
            # fragment6 cuts after the 40-byte IPv6 header and 8 of the fragment header.
            for f in fragment6(pkt, 40 + 8 + frag):
                self.send(f)
        else:
            for f in fragment(pkt, frag):
                self.send(f)

    def ack(self, beyond=0, ahead=0):
        self.send(self.seg("A", self.isn + 1 + ahead, self.synack[TCP].seq + 1 + beyond))


class Tap:
    """Every segment from DST:PORT to us, by our port."""

    def __init__(self, iface, port):
        self.by_port = {}
        self.t0 = time.time()
        listening = threading.Event()
        self.sniffer = AsyncSniffer(iface=iface, store=False, prn=self.note,
                                    lfilter=lambda p: TCP in p and p[TCP].sport == port,
                                    started_callback=listening.set)
        self.sniffer.start()
        # A loaded TCG guest can take seconds to open the capture socket;
        # a SYN sent before it would have its SYN-ACK missed.
        if not listening.wait(30):
            sys.exit("attack.py: the capture never started")
        self.log(f"capturing on {iface}, {self.t0 - STARTED:.2f} s after start")

    def log(self, what):
        print(f"# attack.py {time.time() - self.t0:.2f} s: {what}", file=sys.stderr)

    def note(self, pkt):
        self.by_port.setdefault(pkt[TCP].dport, []).append(pkt)

    def wait(self, client, flags, timeout=4):
        # Long enough for the server's first retransmission (1 s) to be
        # dissected by a slow guest too.
        deadline = time.time() + timeout
        while time.time() < deadline:
            for pkt in self.by_port.get(client.sport, []):
                if pkt[TCP].flags & flags == flags:
                    return pkt
            time.sleep(0.05)
        self.log(f"no {flags} to port {client.sport} in {timeout} s")
        return None


def main():
    if len(sys.argv) != 7:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    scenario, src, dst, port, n, iface = sys.argv[1:]
    port, n = int(port), int(n)
    tap = Tap(iface, port)
    clients = [Client(src, dst, port) for _ in range(n)]
    synacks = established = 0

    def handshake(c, frag=0):
        c.syn(frag)
        tap.log(f"SYN from port {c.sport}")
        c.synack = tap.wait(c, "SA")
        return c.synack is not None

    more = None
    if scenario == "late-ack":
        for c in clients:
            synacks += handshake(c)
        if os.environ.get("SENT"):
            with open(os.environ["SENT"], "w") as f:
                f.write(f"{synacks}\n")
        time.sleep(float(os.environ.get("WAIT", "3")))
        for c in clients:
            if c.synack:
                c.ack()
                tap.log(f"late ACK from port {c.sport}")
                established += 1
        time.sleep(0.5)
        more = 0
        for c in [Client(src, dst, port) for _ in range(int(os.environ.get("MORE", "0")))]:
            if handshake(c):
                c.ack()
                more += 1
    else:
        for c in clients:
            if not handshake(c, int(os.environ.get("FRAG", "16")) if scenario == "frag-syn"
                             else 0):
                continue
            synacks += 1
            y = c.synack[TCP].seq
            if scenario == "rst-edge":
                edge = c.isn + 1 + c.synack[TCP].window
                c.send(c.seg("R", edge, data=b"x"))
            elif scenario == "rst-cookie":
                c.send(c.seg("R", c.isn + 1))
            time.sleep(0.2)
            c.ack(100000 if scenario == "bad-ack" else 0, int(os.environ.get("AHEAD", "0")))
            established += 1
            if scenario == "rst-inside":
                time.sleep(0.2)
                c.send(c.seg("R", c.isn + 1 + 1000))
            if scenario == "fin-ignored":
                c.fin = tap.wait(c, "F", 5)
                if c.fin is None:
                    print("# no FIN from the server", file=sys.stderr)
                    continue
                c.send(c.seg("FA", c.isn + 6 + 100000, y + 1))
            time.sleep(0.2)
    time.sleep(0.5)
    tap.sniffer.stop()
    print(f"synack {synacks} established {established}" +
          (f" more {more}" if more is not None else ""))


if __name__ == "__main__":
    main()
