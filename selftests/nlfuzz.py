#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Fuzz the tcplimit generic netlink family (python3 stdlib only).

  nlfuzz.py [--seed S] [--count N] [--verbose]

Sends N (default 10000) random and mutated requests to the family: every
command number (unknown ones too), random and mutated attributes (wrong
types and lengths, out-of-range and boundary values, unknown types, nests
where none belong and nests in nests, filters, prefixes and allowlists of
every kind), random
flags, genetlink headers cut short, bad attribute lengths, bytes flipped,
and netlink headers whose length lies (those the kernel drops unread).

Each request is followed by a GET_CONFIG (sent at once, or for a dump
once the dump has ended). Checked for every request:
  - it gets exactly one answer: an NLMSG_ERROR (error or ack) or, for a
    dump, its NLMSG_DONE, after zero or more replies; a request whose
    netlink header lies gets none at all (the GET_CONFIG after it must
    still be answered);
  - every reply is well formed: the family's type, the request's command,
    attributes that parse to the end, TCPLIMIT_A_VERSION 1;
  - an error is one of EINVAL, ERANGE, EOPNOTSUPP, EPERM, or ENOENT and
    ENOSPC (a prefix off an allowlist that lacks it, onto a full one);
  - after an error, or any command but SET_CONFIG, the configuration is
    byte for byte what it was; after a successful SET_CONFIG the new one
    becomes the reference.
Runs unprivileged too (then every change is refused with EPERM). The seed
is printed first; the same seed replays the same requests. Exit status 0
if every check held, 1 otherwise (each failure printed), 2 usage.
"""
import argparse
import errno
import os
import random
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nlraw  # noqa: E402  (the constants of the uapi header, the socket)

U = nlraw.U
NLMSGHDR, NLATTR = nlraw.NLMSGHDR, nlraw.NLATTR
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = nlraw.NLM_F_REQUEST, nlraw.NLM_F_ACK, nlraw.NLM_F_DUMP
NLM_F_MULTI = nlraw.NLM_F_MULTI
NLMSG_ERROR, NLMSG_DONE = nlraw.NLMSG_ERROR, nlraw.NLMSG_DONE
NLA_F_NESTED, NLA_F_NET_BYTEORDER = 0x8000, 0x4000
CMD_MAX = U["TCPLIMIT_CMD_MAX"]
A_MAX = U["TCPLIMIT_A_MAX"]
GET_CONFIG = U["TCPLIMIT_CMD_GET_CONFIG"]
SET_CONFIG = U["TCPLIMIT_CMD_SET_CONFIG"]
GET_SOURCES = U["TCPLIMIT_CMD_GET_SOURCES"]
PREFIX_CMDS = (U["TCPLIMIT_CMD_ALLOW"], U["TCPLIMIT_CMD_DISALLOW"])
A_FILTER = U["TCPLIMIT_A_FILTER"]
ALLOWED_ERRORS = {errno.EINVAL, errno.ERANGE, errno.EOPNOTSUPP, errno.EPERM,
                  errno.ENOENT, errno.ENOSPC}
TIMEOUT_S = 30.0


def a(name):
    return U["TCPLIMIT_A_" + name]


def f(name):
    return U["TCPLIMIT_FILTER_A_" + name]


MAX_CONN = U["TCPLIMIT_MAX_CONN_LIMIT"]
# Configuration attributes: (type, pack format, valid range).
CONFIG = {
    a("MAX_CONN"): ("=I", 0, MAX_CONN),
    a("RATE"): ("=I", 0, MAX_CONN),
    a("RATE_PERIOD_MS"): ("=I", U["TCPLIMIT_MIN_PERIOD_MS"], U["TCPLIMIT_MAX_PERIOD_MS"]),
    a("RATE_BURST"): ("=I", 0, MAX_CONN),
    a("HALFOPEN_MAX"): ("=I", 0, MAX_CONN),
    a("PREFIX4"): ("=B", 1, 32),
    a("PREFIX6"): ("=B", 1, 128),
    a("DST_MAX"): ("=I", 0, MAX_CONN),
    a("DST_RATE"): ("=I", 0, MAX_CONN),
    a("DST_RATE_PERIOD_MS"): ("=I", U["TCPLIMIT_MIN_PERIOD_MS"], U["TCPLIMIT_MAX_PERIOD_MS"]),
    a("DST_RATE_BURST"): ("=I", 0, MAX_CONN),
    a("SYN_TIMEOUT_MS"): ("=I", U["TCPLIMIT_MIN_TIMEOUT_MS"], U["TCPLIMIT_MAX_TIMEOUT_MS"]),
    a("IDLE_TIMEOUT_MS"): ("=I", U["TCPLIMIT_MIN_TIMEOUT_MS"], U["TCPLIMIT_MAX_TIMEOUT_MS"]),
    a("MODE"): ("=B", 0, U["TCPLIMIT_MODE_GATEWAY"]),
    a("REJECT"): ("=I", 0, U["TCPLIMIT_LIMIT_ALL"]),
    a("DRY_RUN"): ("=B", 0, 1),
    a("TABLE_SIZE"): ("=I", 0, U["TCPLIMIT_MAX_TABLE_SIZE"]),
    a("FLOW_TABLE_SIZE"): ("=I", 0, U["TCPLIMIT_MAX_TABLE_SIZE"]),
    a("FULL_POLICY"): ("=B", 0, U["TCPLIMIT_FULL_DROP"]),
}
FILTER = {
    f("PREFIX_LEN"): ("=B", 0, 128),
    f("TOP"): ("=I", 1, U["TCPLIMIT_MAX_TOP"]),
    f("SORT"): ("=B", 0, U["TCPLIMIT_SORT_LIMITED"]),
}


class Fuzzer:
    def __init__(self, rng):
        self.r = rng

    # --- attributes ---

    def value(self, spec):
        """A value for an attribute of @spec: mostly in range, sometimes at
        or just past a bound, sometimes anything of the right size."""
        fmt, lo, hi = spec
        top = (1 << (8 * struct.calcsize(fmt))) - 1
        pick = self.r.random()
        if pick < 0.6:
            v = self.r.randint(lo, hi)
        elif pick < 0.8:
            v = self.r.choice([lo, hi, lo - 1, hi + 1, 0, top])
        else:
            v = self.r.randint(0, top)
        return struct.pack(fmt, v & top)

    def junk(self):
        n = self.r.choice([0, 1, 2, 3, 4, 5, 8, 12, 16, 17, self.r.randint(0, 64)])
        return bytes(self.r.getrandbits(8) for _ in range(n))

    def any_attr(self, depth):
        """Anything at all: a known or unknown type, any payload, maybe a
        nest of more of the same."""
        t = self.r.choice([0, self.r.randint(1, A_MAX), self.r.randint(1, A_MAX),
                           A_MAX + 1, self.r.randint(A_MAX + 1, 0x3fff)])
        if depth < 4 and self.r.random() < 0.15:
            inner = b"".join(self.any_attr(depth + 1) for _ in range(self.r.randint(0, 3)))
            return nlraw.attr(t | NLA_F_NESTED, inner)
        if self.r.random() < 0.05:
            t |= NLA_F_NET_BYTEORDER
        if t in CONFIG and self.r.random() < 0.5:
            return nlraw.attr(t, self.value(CONFIG[t]))
        return nlraw.attr(t, self.junk())

    def filter_attr(self):
        """A TCPLIMIT_A_FILTER nest: a well-formed filter, or one with bad
        members."""
        inner = b""
        if self.r.random() < 0.5:
            n = self.r.choice([4, 16, 4, 16, 0, 3, 5, 15, 17])
            inner += nlraw.attr(f("ADDR"), bytes(self.r.getrandbits(8) for _ in range(n)))
        for t, spec in FILTER.items():
            if self.r.random() < 0.4:
                inner += nlraw.attr(t, self.value(spec))
        if self.r.random() < 0.3:
            inner += nlraw.attr(f("LIMITED"), b"" if self.r.random() < 0.9 else self.junk())
        if self.r.random() < 0.1:
            inner += self.any_attr(1)
        flag = NLA_F_NESTED if self.r.random() < 0.9 else 0
        return nlraw.attr(A_FILTER | flag, inner)

    def prefix_attr(self):
        """A TCPLIMIT_A_PREFIX nest: mostly a valid prefix (no bit set past
        its length), or a bad address length, bad length or bit."""
        inner = b""
        n = self.r.choice([4, 16, 4, 16, 4, 16, 0, 3, 5, 17])
        addr = bytearray(self.r.getrandbits(8) for _ in range(n))
        bits = self.r.randint(0, 8 * n)
        if self.r.random() < 0.8:
            for i in range(n):
                keep = max(0, min(8, bits - 8 * i))
                addr[i] &= (0xff << (8 - keep)) & 0xff
        if self.r.random() < 0.95:
            inner += nlraw.attr(U["TCPLIMIT_PREFIX_A_ADDR"], bytes(addr))
        if self.r.random() < 0.8:
            length = bits if self.r.random() < 0.9 else self.r.randint(0, 255)
            inner += nlraw.attr(U["TCPLIMIT_PREFIX_A_LEN"], struct.pack("=B", length))
        if self.r.random() < 0.05:
            inner += self.any_attr(1)
        flag = NLA_F_NESTED if self.r.random() < 0.9 else 0
        return nlraw.attr(a("PREFIX") | flag, inner)

    def allowlist_attr(self):
        """A TCPLIMIT_A_ALLOWLIST nest of prefixes (maybe none)."""
        inner = b"".join(self.prefix_attr() for _ in range(self.r.randint(0, 6)))
        flag = NLA_F_NESTED if self.r.random() < 0.9 else 0
        return nlraw.attr(a("ALLOWLIST") | flag, inner)

    def attrs(self, cmd):
        """Attributes for @cmd: mostly plausible ones, some anything."""
        out = []
        if cmd == SET_CONFIG and self.r.random() < 0.7:
            for t in self.r.sample(sorted(CONFIG), self.r.randint(1, 4)):
                out.append(nlraw.attr(t, self.value(CONFIG[t])))
            if self.r.random() < 0.1:
                out.append(self.allowlist_attr())
        if cmd in PREFIX_CMDS and self.r.random() < 0.8:
            out.append(self.prefix_attr())
        if cmd == GET_SOURCES and self.r.random() < 0.7:
            out.append(self.filter_attr())
        for _ in range(self.r.choice([0, 0, 0, 1, 1, 2, 3])):
            out.append(self.filter_attr() if self.r.random() < 0.2 else self.any_attr(0))
        self.r.shuffle(out)
        return b"".join(out)

    # --- whole messages ---

    def command(self):
        pick = self.r.random()
        if pick < 0.8:
            return self.r.randint(1, CMD_MAX)
        if pick < 0.9:
            return self.r.choice([0, CMD_MAX + 1, 255])
        return self.r.randint(0, 255)

    def mutate(self, body):
        """Flip, set, cut or extend bytes of the attributes (after the
        genetlink header, 4 bytes), or rewrite an attribute length."""
        body = bytearray(body)
        for _ in range(self.r.randint(1, 3)):
            pick = self.r.random()
            if pick < 0.3 and len(body) > 4:
                i = self.r.randrange(4, len(body))
                body[i] ^= 1 << self.r.randrange(8)
            elif pick < 0.45 and len(body) > 4:
                body[self.r.randrange(4, len(body))] = self.r.choice([0, 0xff, 4, 8])
            elif pick < 0.65 and len(body) > 4:
                del body[self.r.randrange(4, len(body)):]
            elif pick < 0.8:
                body += self.junk()
            elif len(body) >= 8:
                # the first attribute's length (or one at a 4-byte boundary)
                i = 4 + 4 * self.r.randrange((len(body) - 4) // 4)
                body[i:i + 2] = struct.pack("=H", self.r.choice(
                    [0, 1, 3, 4, 5, 0xffff, self.r.randint(0, 0x200)]))
        return bytes(body)

    def message(self, fam, seq):
        """(bytes to send, command, what is expected: "answer" or "silent")."""
        cmd = self.command()
        version = 1 if self.r.random() < 0.9 else self.r.randint(0, 255)
        reserved = 0 if self.r.random() < 0.95 else self.r.randint(1, 0xffff)
        body = struct.pack("=BBH", cmd, version, reserved) + self.attrs(cmd)
        if self.r.random() < 0.3:
            body = self.mutate(body)
        if self.r.random() < 0.04:
            body = body[:self.r.randint(0, 3)]      # genetlink header cut short
        flags = NLM_F_REQUEST | NLM_F_ACK
        if cmd == GET_SOURCES and self.r.random() < 0.8 or self.r.random() < 0.1:
            flags |= NLM_F_DUMP
        if self.r.random() < 0.05:
            flags |= 1 << self.r.choice([3, 4, 5, 6, 7, 10, 11, 12])
        length = NLMSGHDR.size + len(body)
        expect = "answer"
        if self.r.random() < 0.02:
            # a netlink header whose length lies: dropped unread
            length = self.r.choice([0, 1, NLMSGHDR.size - 1,
                                    length + self.r.randint(1, 64)])
            expect = "silent"
        return NLMSGHDR.pack(length, fam, flags, seq, 0) + body, cmd, expect


class Checker:
    def __init__(self, verbose):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, nlraw.NETLINK_GENERIC)
        self.sock.setsockopt(nlraw.SOL_NETLINK, nlraw.NETLINK_EXT_ACK, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        self.sock.settimeout(TIMEOUT_S)
        self.sock.bind((0, 0))
        nl = nlraw.GenlSocket()
        self.fam = nl.family_id(U["TCPLIMIT_GENL_NAME"])
        nl.sock.close()
        self.seq = 1000
        self.verbose = verbose
        self.failures = 0
        self.stats = {}
        self.pending = []       # messages read but not consumed yet

    def fail(self, n, what):
        self.failures += 1
        if self.failures <= 50:
            print(f"# FAIL: request {n}: {what}")

    def count(self, key):
        self.stats[key] = self.stats.get(key, 0) + 1

    def next_seq(self):
        self.seq += 1
        return self.seq

    def messages(self):
        """The next message from the kernel: (type, flags, seq, bytes)."""
        while not self.pending:
            buf = self.sock.recv(1 << 20)
            off = 0
            while off + NLMSGHDR.size <= len(buf):
                mlen, mtype, mflags, mseq, _ = NLMSGHDR.unpack_from(buf, off)
                if mlen < NLMSGHDR.size or off + mlen > len(buf):
                    raise OSError(errno.EBADMSG, f"kernel message of length {mlen}")
                self.pending.append((mtype, mflags, mseq, buf[off:off + mlen]))
                off += nlraw.align4(mlen)
        return self.pending.pop(0)

    def get_config_request(self):
        seq = self.next_seq()
        body = struct.pack("=BBH", GET_CONFIG, 1, 0)
        self.sock.send(NLMSGHDR.pack(NLMSGHDR.size + len(body), self.fam,
                                     NLM_F_REQUEST | NLM_F_ACK, seq, 0) + body)
        return seq

    def well_formed(self, msg, cmd):
        """None, or what is wrong with a reply to @cmd."""
        if len(msg) < NLMSGHDR.size + 4:
            return "reply shorter than its headers"
        rcmd = msg[NLMSGHDR.size]
        if rcmd != cmd:
            return f"reply command {rcmd}, request {cmd}"
        data, off, seen = msg[NLMSGHDR.size + 4:], 0, {}
        while off < len(data):
            if off + 4 > len(data):
                return "attribute header cut"
            alen, atype = NLATTR.unpack_from(data, off)
            if alen < 4 or off + alen > len(data):
                return f"attribute {atype} of length {alen}"
            seen[atype & 0x3fff] = data[off + 4:off + alen]
            off += nlraw.align4(alen)
        version = seen.get(U["TCPLIMIT_A_VERSION"])
        if version is None or struct.unpack("=I", version)[0] != U["TCPLIMIT_GENL_VERSION"]:
            return "no TCPLIMIT_A_VERSION 1"
        return None

    def answers(self, n, seq, cmd, dump, wait=False):
        """Read the answers to request @seq up to its end; returns the
        error (0 success, None: no end seen before the next request's, or
        with @wait, none in TIMEOUT_S)."""
        while True:
            try:
                mtype, mflags, mseq, msg = self.messages()
            except socket.timeout:
                if wait:
                    return None
                raise
            if mseq != seq:
                self.pending.insert(0, (mtype, mflags, mseq, msg))
                return None
            if mtype == NLMSG_ERROR:
                (err,) = struct.unpack_from("=i", msg, NLMSGHDR.size)
                return err
            if mtype == NLMSG_DONE:
                if not dump:
                    self.fail(n, "NLMSG_DONE without a dump")
                (err,) = struct.unpack_from("=i", msg, NLMSGHDR.size)
                return err
            if mtype != self.fam:
                self.fail(n, f"message of type {mtype}")
                continue
            if dump and not mflags & NLM_F_MULTI:
                self.fail(n, "dump reply without NLM_F_MULTI")
            problem = self.well_formed(msg, cmd)
            if problem:
                self.fail(n, problem)
            self.count("replies")

    def config(self, n, seq):
        """The GET_CONFIG reply to @seq (its attributes, as bytes)."""
        mtype, _, mseq, msg = self.messages()
        if mseq != seq or mtype != self.fam:
            self.fail(n, f"GET_CONFIG answered by type {mtype} seq {mseq}")
            return None
        problem = self.well_formed(msg, GET_CONFIG)
        if problem:
            self.fail(n, f"GET_CONFIG: {problem}")
        mtype, _, mseq, ack = self.messages()
        if mtype != NLMSG_ERROR or struct.unpack_from("=i", ack, NLMSGHDR.size)[0]:
            self.fail(n, "GET_CONFIG not acknowledged")
        return msg[NLMSGHDR.size:]

    def run(self, fuzz, count):
        reference = self.config(0, self.get_config_request())
        for n in range(1, count + 1):
            seq = self.next_seq()
            data, cmd, expect = fuzz.message(self.fam, seq)
            dump = bool(struct.unpack_from("=H", data, 6)[0] & NLM_F_DUMP)
            self.sock.send(data)
            if dump and expect == "answer":
                # The rest of a dump (its NLMSG_DONE at least) is made as
                # it is read: a request sent meanwhile would be answered
                # in the middle of it.
                err = self.answers(n, seq, cmd, dump, wait=True)
                cseq = self.get_config_request()
            else:
                cseq = self.get_config_request()
                err = self.answers(n, seq, cmd, dump)
            if expect == "silent":
                self.count("silent")
                if err is not None:
                    self.fail(n, f"a lying netlink header was answered ({err})")
            elif err is None:
                self.fail(n, f"no answer to command {cmd} ({data[:48].hex()})")
            elif err < 0:
                self.count(nlraw.errname(-err))
                if -err not in ALLOWED_ERRORS:
                    self.fail(n, f"command {cmd}: error {nlraw.errname(-err)}"
                                 f" ({data[:48].hex()})")
            else:
                self.count("ok")
            config = self.config(n, cseq)
            if config is None:
                return
            if config != reference:
                if err == 0 and cmd == SET_CONFIG:
                    self.count("config changed")
                    reference = config
                else:
                    self.fail(n, f"configuration changed by command {cmd} "
                                 f"answered {err} ({data[:48].hex()})")
                    reference = config
            if self.verbose:
                print(f"# {n}: cmd {cmd} {expect} -> {err}")


def main(argv):
    p = argparse.ArgumentParser(prog="nlfuzz.py", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--count", type=int, default=10000)
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args(argv)
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "little")
    print(f"# seed {seed} count {args.count} uid {os.getuid()}", flush=True)
    try:
        checker = Checker(args.verbose)
        checker.run(Fuzzer(random.Random(seed)), args.count)
    except (OSError, socket.timeout) as e:
        print(f"# FAIL: {e}")
        return 1
    summary = " ".join(f"{k} {v}" for k, v in sorted(checker.stats.items()))
    print(f"# {summary}")
    if checker.failures:
        print(f"# FAIL: {checker.failures} failed checks (seed {seed})")
        return 1
    print(f"# PASS: {args.count} requests (seed {seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
