#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Raw generic netlink client for the tcplimit family (python3 stdlib only).

  nlraw.py bad-input    selftest 6: send malformed requests, expect a clear
                        error (errno + extack message) and an unchanged config
  nlraw.py set-max N    set TCPLIMIT_A_MAX_CONN to N, print the config back
  nlraw.py get          print TCPLIMIT_A_MAX_CONN
  nlraw.py set NAME=VALUE...
                        SET_CONFIG with TCPLIMIT_A_<NAME> (max_conn=5,
                        rate_period_ms=1000, prefix6=128...), one request
  nlraw.py sources [FILTER]
                        GET_SOURCES with a TCPLIMIT_A_FILTER built from FILTER
                        (none: no filter attribute); one line per source,
                        "ADDR/LEN conns halfopen rate_avail limited", in the
                        kernel's order. A dump marked NLM_F_DUMP_INTR is
                        retried (the tool does the same), at most 20 times.
                        An error prints "error ERRNO IN: MESSAGE" (IN is
                        ERROR or DONE: the message that carried it), exit 1.
  nlraw.py rank SORT K [FILTER]
                        the same from a full dump, filtered and ranked here:
                        what a top-K dump must return (brute force)
  nlraw.py flush        TCPLIMIT_CMD_FLUSH, prints "flushed N"
  nlraw.py raw CMD HEX [dump]
                        send CMD with the attributes HEX (as bytes), print the
                        outcome ("ok N" replies, or the error line above)
  nlraw.py churn-dumps STABLE N
                        selftest 26: N complete dumps (each retried while
                        NLM_F_DUMP_INTR); every one must hold each source of
                        the file STABLE (one ADDR/LEN a line) exactly once
  nlraw.py keys         one full dump, "ADDR/LEN" a line (for churn-dumps)
  nlraw.py batch        read commands (these arguments, one command a line)
                        from stdin, run them in this one process (python
                        starts slowly in the test VM); for each print
                        "== LINE", its output, then "== exit STATUS"
                        ("# words" end a line: tell equal commands apart)

FILTER: [--addr A | --addr-hex HEX] [--prefix-len N] [--limited] [--top K]
[--sort S] [--empty-filter] [--sorted], S one of conns, halfopen, limited
(or a number, sent as is); --addr-hex sends any bytes as the address;
--sorted prints by family and address instead of the kernel's order.
"""
import argparse
import errno
import ipaddress
import os
import re
import shlex
import socket
import struct
import sys

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK = 0x1, 0x2, 0x4
NLM_F_DUMP_INTR = 0x10
NLM_F_DUMP = 0x300
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLMSGERR_ATTR_MSG = 1
NLA_F_NESTED = 0x8000
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2

# uapi/linux/tcplimit.h, read from the header itself (load_uapi).
UAPI_H = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "uapi", "linux",
                      "tcplimit.h")


def load_uapi(path=UAPI_H):
    """The #define numbers and enum values of a uapi header, by name.

    A small C-subset reader: comments are dropped, enum members count up
    from the last explicit value, values are evaluated as Python
    expressions over the names already known (the header uses only
    integers, <<, |, -, * and parentheses)."""
    with open(path) as f:
        text = f.read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    consts = {}
    for name, expr in re.findall(r"^#define[ \t]+(\w+)[ \t]+(.+?)[ \t]*$", text, re.M):
        try:
            consts[name] = eval(expr, {"__builtins__": {}}, consts)
        except (NameError, SyntaxError):
            pass
    for body in re.findall(r"\benum\s+\w*\s*\{(.*?)\}", text, re.S):
        value = -1
        for item in body.split(","):
            name, _, expr = (x.strip() for x in item.partition("="))
            if not name:
                continue
            value = eval(expr, {"__builtins__": {}}, consts) if expr else value + 1
            consts[name] = value
    return consts


U = load_uapi()
TCPLIMIT_CMD_GET_CONFIG = U["TCPLIMIT_CMD_GET_CONFIG"]
TCPLIMIT_CMD_SET_CONFIG = U["TCPLIMIT_CMD_SET_CONFIG"]
TCPLIMIT_CMD_GET_STATS = U["TCPLIMIT_CMD_GET_STATS"]
TCPLIMIT_CMD_GET_SOURCES = U["TCPLIMIT_CMD_GET_SOURCES"]
TCPLIMIT_CMD_FLUSH = U["TCPLIMIT_CMD_FLUSH"]
TCPLIMIT_A_VERSION = U["TCPLIMIT_A_VERSION"]
TCPLIMIT_A_MAX_CONN = U["TCPLIMIT_A_MAX_CONN"]
TCPLIMIT_A_RATE = U["TCPLIMIT_A_RATE"]
TCPLIMIT_A_RATE_PERIOD_MS = U["TCPLIMIT_A_RATE_PERIOD_MS"]
TCPLIMIT_A_PREFIX4 = U["TCPLIMIT_A_PREFIX4"]
TCPLIMIT_A_STATS = U["TCPLIMIT_A_STATS"]
TCPLIMIT_A_SOURCE = U["TCPLIMIT_A_SOURCE"]
TCPLIMIT_A_FILTER = U["TCPLIMIT_A_FILTER"]
TCPLIMIT_A_FLUSHED = U["TCPLIMIT_A_FLUSHED"]
TCPLIMIT_STATS_A_SOURCES = U["TCPLIMIT_STATS_A_SOURCES"]
TCPLIMIT_SOURCE_A_FAMILY = U["TCPLIMIT_SOURCE_A_FAMILY"]
TCPLIMIT_SOURCE_A_ADDR = U["TCPLIMIT_SOURCE_A_ADDR"]
TCPLIMIT_SOURCE_A_PREFIX_LEN = U["TCPLIMIT_SOURCE_A_PREFIX_LEN"]
TCPLIMIT_SOURCE_A_CONNS = U["TCPLIMIT_SOURCE_A_CONNS"]
TCPLIMIT_SOURCE_A_HALFOPEN = U["TCPLIMIT_SOURCE_A_HALFOPEN"]
TCPLIMIT_SOURCE_A_RATE_AVAIL = U["TCPLIMIT_SOURCE_A_RATE_AVAIL"]
TCPLIMIT_SOURCE_A_LIMITED = U["TCPLIMIT_SOURCE_A_LIMITED"]
TCPLIMIT_FILTER_A_ADDR = U["TCPLIMIT_FILTER_A_ADDR"]
TCPLIMIT_FILTER_A_PREFIX_LEN = U["TCPLIMIT_FILTER_A_PREFIX_LEN"]
TCPLIMIT_FILTER_A_LIMITED = U["TCPLIMIT_FILTER_A_LIMITED"]
TCPLIMIT_FILTER_A_TOP = U["TCPLIMIT_FILTER_A_TOP"]
TCPLIMIT_FILTER_A_SORT = U["TCPLIMIT_FILTER_A_SORT"]
SORTS = {"conns": U["TCPLIMIT_SORT_CONNS"], "halfopen": U["TCPLIMIT_SORT_HALFOPEN"],
         "limited": U["TCPLIMIT_SORT_LIMITED"]}
TCPLIMIT_MAX_CONN_LIMIT = U["TCPLIMIT_MAX_CONN_LIMIT"]
TCPLIMIT_MAX_TOP = U["TCPLIMIT_MAX_TOP"]

NLMSGHDR = struct.Struct("=IHHII")  # len, type, flags, seq, pid
NLATTR = struct.Struct("=HH")       # len, type
DUMP_RETRIES = 20


def align4(n):
    return (n + 3) & ~3


def attr(atype, payload):
    """One attribute, padded to 4 bytes."""
    data = NLATTR.pack(NLATTR.size + len(payload), atype) + payload
    return data + b"\0" * (align4(len(data)) - len(data))


def nest(atype, payload):
    return attr(atype | NLA_F_NESTED, payload)


def parse_attrs(data):
    """{type: payload} for a well-formed attribute stream."""
    attrs, off = {}, 0
    while off + NLATTR.size <= len(data):
        alen, atype = NLATTR.unpack_from(data, off)
        if alen < NLATTR.size:
            break
        attrs[atype & 0x3fff] = data[off + NLATTR.size:off + alen]
        off += align4(alen)
    return attrs


def u8(v):
    return struct.pack("=B", v)


def u32(v):
    return struct.pack("=I", v)


def errname(e):
    """errno name; errno.errorcode calls 95 ENOTSUP, the kernel EOPNOTSUPP."""
    return "EOPNOTSUPP" if e == errno.EOPNOTSUPP else errno.errorcode.get(e, str(e))


class Outcome:
    """What a request got: replies (attribute dicts, or raw payloads),
    whether a message carried NLM_F_DUMP_INTR, the error (0 or -errno),
    its extack message and which message carried it (ERROR or DONE)."""

    def __init__(self):
        self.replies = []
        self.intr = False
        self.err = 0
        self.text = None
        self.where = None

    def line(self):
        if self.err:
            return f"error {errname(-self.err)} {self.where}: {self.text or ''}"
        return f"ok {len(self.replies)}"


class GenlSocket:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 0

    def send(self, family, cmd, payload=b"", flags=NLM_F_REQUEST | NLM_F_ACK, version=1):
        """Send one request; returns its sequence number."""
        self.seq += 1
        body = struct.pack("=BBH", cmd, version, 0) + payload
        hdr = NLMSGHDR.pack(NLMSGHDR.size + len(body), family, flags, self.seq, 0)
        self.sock.send(hdr + body)
        return self.seq

    def collect(self, seq, raw=False):
        """Read the answer to request @seq up to its ACK, error or DONE."""
        out = Outcome()
        while True:
            buf = self.sock.recv(1 << 20)
            off = 0
            while off + NLMSGHDR.size <= len(buf):
                mlen, mtype, mflags, mseq, _ = NLMSGHDR.unpack_from(buf, off)
                if mlen < NLMSGHDR.size:
                    raise OSError(errno.EBADMSG, "short netlink message")
                msg = buf[off:off + mlen]
                off += align4(mlen)
                if mseq != seq:
                    continue
                if mflags & NLM_F_DUMP_INTR:
                    out.intr = True
                if mtype == NLMSG_ERROR:
                    out.err, out.text = self._parse_error(msg, mflags)
                    out.where = "ERROR"
                    return out
                if mtype == NLMSG_DONE:
                    if len(msg) >= NLMSGHDR.size + 4:
                        (out.err,) = struct.unpack_from("=i", msg, NLMSGHDR.size)
                    if out.err and mflags & NLM_F_ACK_TLVS:
                        out.text = self._msg_tlv(msg[NLMSGHDR.size + 4:])
                    out.where = "DONE"
                    return out
                payload = msg[NLMSGHDR.size + 4:]
                out.replies.append(payload if raw else parse_attrs(payload))
                if not mflags & NLM_F_MULTI:
                    # A do reply; its ACK follows.
                    continue

    def request(self, family, cmd, payload=b""):
        """Send one do request with NLM_F_ACK; read replies up to the ACK.

        Returns (list of reply attribute dicts, error, extack message);
        error is 0 on success, a negative errno otherwise.
        """
        out = self.collect(self.send(family, cmd, payload))
        return out.replies, out.err, out.text

    def dump(self, family, cmd, payload=b"", raw=False):
        return self.collect(self.send(family, cmd, payload,
                                      NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP), raw)

    @staticmethod
    def _msg_tlv(data):
        raw = parse_attrs(data).get(NLMSGERR_ATTR_MSG)
        if raw is None:
            return None
        return raw.split(b"\0", 1)[0].decode(errors="replace")

    @classmethod
    def _parse_error(cls, msg, flags):
        """(error, extack message) from an NLMSG_ERROR message."""
        (error,) = struct.unpack_from("=i", msg, NLMSGHDR.size)
        off = NLMSGHDR.size + 4
        # The original request follows: its header only when capped.
        orig_len = NLMSGHDR.unpack_from(msg, off)[0]
        off += NLMSGHDR.size if flags & NLM_F_CAPPED else align4(orig_len)
        text = cls._msg_tlv(msg[off:]) if flags & NLM_F_ACK_TLVS else None
        return error, text

    def family_id(self, name):
        replies, err, text = self.request(
            GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
            attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
        if err or not replies:
            raise OSError(-err, f"family {name}: {text or os.strerror(-err)}")
        return struct.unpack("=H", replies[0][CTRL_ATTR_FAMILY_ID][:2])[0]


def get_max(nl, fam):
    replies, err, text = nl.request(fam, TCPLIMIT_CMD_GET_CONFIG)
    if err or not replies:
        raise OSError(-err, f"GET_CONFIG: {text or os.strerror(-err)}")
    return struct.unpack("=I", replies[0][TCPLIMIT_A_MAX_CONN])[0]


# --- sources: parsing, filters, ranking ---

class Source:
    __slots__ = ("family", "addr", "plen", "conns", "halfopen", "rate_avail", "limited")

    def __init__(self, a):
        self.family = struct.unpack("=H", a[TCPLIMIT_SOURCE_A_FAMILY])[0]
        self.addr = bytes(a[TCPLIMIT_SOURCE_A_ADDR])
        self.plen = a[TCPLIMIT_SOURCE_A_PREFIX_LEN][0]
        self.conns = struct.unpack("=I", a[TCPLIMIT_SOURCE_A_CONNS])[0]
        self.halfopen = struct.unpack("=I", a[TCPLIMIT_SOURCE_A_HALFOPEN])[0]
        self.rate_avail = struct.unpack("=I", a[TCPLIMIT_SOURCE_A_RATE_AVAIL])[0]
        self.limited = struct.unpack("=Q", a[TCPLIMIT_SOURCE_A_LIMITED])[0]

    def key(self):
        return f"{socket.inet_ntop(self.family, self.addr)}/{self.plen}"

    def line(self):
        return f"{self.key()} {self.conns} {self.halfopen} {self.rate_avail} {self.limited}"

    def counter(self, sort):
        return (self.conns, self.halfopen, self.limited)[sort]


# The u8 configuration attributes; the others are u32.
CONFIG_U8 = ("PREFIX4", "PREFIX6", "MODE", "DRY_RUN", "FULL_POLICY")


def config_payload(assignments):
    """SET_CONFIG attributes from NAME=VALUE strings."""
    payload = b""
    for a in assignments:
        name, _, value = a.partition("=")
        name = name.upper()
        pack = u8 if name in CONFIG_U8 else u32
        payload += attr(U[f"TCPLIMIT_A_{name}"], pack(int(value, 0)))
    return payload


def filter_payload(args):
    """TCPLIMIT_A_FILTER from the command line, or b"" for none."""
    inner = b""
    if args.addr_hex is not None:
        inner += attr(TCPLIMIT_FILTER_A_ADDR, bytes.fromhex(args.addr_hex))
    if args.addr is not None:
        inner += attr(TCPLIMIT_FILTER_A_ADDR, ipaddress.ip_address(args.addr).packed)
    if args.prefix_len is not None:
        inner += attr(TCPLIMIT_FILTER_A_PREFIX_LEN, u8(args.prefix_len))
    if args.limited:
        inner += attr(TCPLIMIT_FILTER_A_LIMITED, b"")
    if args.top is not None:
        inner += attr(TCPLIMIT_FILTER_A_TOP, u32(args.top))
    if args.sort is not None:
        inner += attr(TCPLIMIT_FILTER_A_SORT, u8(sort_number(args.sort)))
    if not inner and not args.empty_filter:
        return b""
    return nest(TCPLIMIT_A_FILTER, inner)


def sort_number(s):
    return SORTS[s] if s in SORTS else int(s)


def dump_sources(nl, fam, payload=b""):
    """Outcome of a GET_SOURCES dump, retried while interrupted; its
    replies are Source objects."""
    for _ in range(DUMP_RETRIES):
        out = nl.dump(fam, TCPLIMIT_CMD_GET_SOURCES, payload)
        if out.err or not out.intr:
            break
    else:
        raise OSError(errno.EINTR, f"dump interrupted {DUMP_RETRIES} times")
    if not out.err:
        out.replies = [Source(parse_attrs(r[TCPLIMIT_A_SOURCE])) for r in out.replies]
    return out


def inside(src, args):
    """Does @src pass the filter of @args (brute force)?"""
    if args.limited and not src.limited:
        return False
    if args.addr is None:
        return True
    a = ipaddress.ip_address(args.addr)
    plen = a.max_prefixlen if args.prefix_len is None else args.prefix_len
    net = ipaddress.ip_network((a, plen), strict=False)
    family = socket.AF_INET if net.version == 4 else socket.AF_INET6
    return src.family == family and ipaddress.ip_address(src.addr) in net


def address_order(s):
    """IPv4 before IPv6, then address and prefix length ascending."""
    return (0 if s.family == socket.AF_INET else 1, s.addr, s.plen)


def rank(sources, sort, k):
    """The kernel's top-K order: counter descending, then address_order."""
    return sorted(sources, key=lambda s: (-s.counter(sort),) + address_order(s))[:k]


# --- selftest 6 ---

def filt(*attrs):
    return nest(TCPLIMIT_A_FILTER, b"".join(attrs))


# name, command, payload, expected errno, extack message expected
BAD_INPUT = [
    ("u8 max", TCPLIMIT_CMD_SET_CONFIG,
     attr(TCPLIMIT_A_MAX_CONN, b"\x05"), errno.EINVAL, True),
    ("u64 max", TCPLIMIT_CMD_SET_CONFIG,
     attr(TCPLIMIT_A_MAX_CONN, struct.pack("=Q", 5)), errno.EINVAL, True),
    ("max over limit", TCPLIMIT_CMD_SET_CONFIG,
     attr(TCPLIMIT_A_MAX_CONN, u32(TCPLIMIT_MAX_CONN_LIMIT + 1)), errno.ERANGE, True),
    ("unknown attr 99", TCPLIMIT_CMD_SET_CONFIG,
     attr(TCPLIMIT_A_MAX_CONN, u32(5)) + attr(99, u32(1)), errno.EINVAL, True),
    ("no attributes", TCPLIMIT_CMD_SET_CONFIG, b"", errno.EINVAL, True),
    # All or nothing: a good max beside a bad value does not apply.
    ("good max, period 1 ms", TCPLIMIT_CMD_SET_CONFIG,
     attr(TCPLIMIT_A_MAX_CONN, u32(9)) + attr(TCPLIMIT_A_RATE, u32(5))
     + attr(TCPLIMIT_A_RATE_PERIOD_MS, u32(1)), errno.ERANGE, True),
    ("good max, prefix4 33", TCPLIMIT_CMD_SET_CONFIG,
     attr(TCPLIMIT_A_MAX_CONN, u32(9)) + attr(TCPLIMIT_A_PREFIX4, b"\x21"),
     errno.ERANGE, True),
    ("stats nest in set", TCPLIMIT_CMD_SET_CONFIG,
     attr(TCPLIMIT_A_STATS, attr(TCPLIMIT_STATS_A_SOURCES, u32(1))), errno.EINVAL, True),
    ("filter in set", TCPLIMIT_CMD_SET_CONFIG,
     attr(TCPLIMIT_A_MAX_CONN, u32(9)) + filt(attr(TCPLIMIT_FILTER_A_TOP, u32(1))),
     errno.EINVAL, True),
    ("attr in get", TCPLIMIT_CMD_GET_CONFIG,
     attr(TCPLIMIT_A_MAX_CONN, u32(5)), errno.EINVAL, True),
    ("version attr in get", TCPLIMIT_CMD_GET_CONFIG,
     attr(TCPLIMIT_A_VERSION, u32(1)), errno.EINVAL, True),
    ("attr in stats", TCPLIMIT_CMD_GET_STATS,
     attr(TCPLIMIT_A_MAX_CONN, u32(5)), errno.EINVAL, True),
    ("filter in stats", TCPLIMIT_CMD_GET_STATS,
     filt(attr(TCPLIMIT_FILTER_A_TOP, u32(1))), errno.EINVAL, True),
    ("attr in flush", TCPLIMIT_CMD_FLUSH,
     attr(TCPLIMIT_A_FLUSHED, u32(1)), errno.EINVAL, True),
    ("unknown attr in flush", TCPLIMIT_CMD_FLUSH,
     attr(99, u32(1)), errno.EINVAL, True),
    ("unknown cmd 77", 77, b"", errno.EOPNOTSUPP, False),
    ("truncated attr", TCPLIMIT_CMD_SET_CONFIG,
     NLATTR.pack(64, TCPLIMIT_A_MAX_CONN) + u32(5), errno.EINVAL, True),
]


def get_config(nl, fam):
    """The whole configuration, every attribute of the GET_CONFIG reply."""
    replies, err, text = nl.request(fam, TCPLIMIT_CMD_GET_CONFIG)
    if err or not replies:
        raise OSError(-err, f"GET_CONFIG: {text or os.strerror(-err)}")
    return sorted(replies[0].items())


def bad_input(nl, fam):
    before = get_config(nl, fam)
    print(f"# max_conn before: {get_max(nl, fam)}")
    failed = []
    for name, cmd, payload, want, want_msg in BAD_INPUT:
        _, err, text = nl.request(fam, cmd, payload)
        got = errname(-err) if err else "success"
        after = get_config(nl, fam)
        problems = []
        if err != -want:
            problems.append(f"want {errname(want)}")
        if want_msg and not text:
            problems.append("no extack message")
        if after != before:
            problems.append(f"configuration changed {before} -> {after}")
        status = "not ok" if problems else "ok"
        print(f'# {status}: {name}: {got} "{text or ""}"'
              + (f" ({'; '.join(problems)})" if problems else ""))
        if problems:
            failed.append(name)
    if failed:
        print(f"# FAIL: bad-input: {', '.join(failed)}")
        return 1
    print(f"# PASS: bad-input: {len(BAD_INPUT)} cases")
    return 0


# --- selftest 26 ---

def source_keys(nl, fam):
    """(list of keys of one dump, interrupted?), a key being the source's
    address bytes and prefix length byte: the fast path for dumps of 100k
    sources in the test VM, where python is slow. Each buffer read is
    scanned with regular expressions (in C) for the headers of this dump's
    messages (their flags) and for the address and prefix attributes; when
    the counts of the two disagree (any other layout), the buffer is parsed
    in full instead."""
    seq = nl.send(fam, TCPLIMIT_CMD_GET_SOURCES, b"", NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP)
    ids = struct.pack("=I", seq) + struct.pack("=I", nl.sock.getsockname()[0])
    # Patterns that start with a literal are searched fast. A header from
    # its type on: the family, the flags (captured), sequence and port id.
    headers = re.compile(b"(?s)" + re.escape(struct.pack("=H", fam)) + b"(..)" + re.escape(ids))
    # The end of the dump, NLMSG_DONE or NLMSG_ERROR: the last message of
    # its buffer, short unless it carries an extack.
    end = re.compile(b"(?s)....[\x02\x03]\x00.." + re.escape(ids))
    plen = re.escape(NLATTR.pack(5, TCPLIMIT_SOURCE_A_PREFIX_LEN))
    addr4 = re.compile(b"(?s)" + re.escape(NLATTR.pack(8, TCPLIMIT_SOURCE_A_ADDR))
                       + b"(....)" + plen + b"(.)")
    addr6 = re.compile(b"(?s)" + re.escape(NLATTR.pack(20, TCPLIMIT_SOURCE_A_ADDR))
                       + b"(.{16})" + plen + b"(.)")
    keys, intr = [], False
    while True:
        buf = nl.sock.recv(1 << 20)
        done = end.search(buf, max(0, len(buf) - 1024))
        body = buf[:done.start()] if done else buf
        flags = headers.findall(body)
        found = addr4.findall(body) + addr6.findall(body)
        if len(found) == len(flags):
            keys.extend(a + p for a, p in found)
        else:
            keys.extend(slow_keys(body, fam, seq))
        intr = intr or any(struct.unpack("=H", f)[0] & NLM_F_DUMP_INTR for f in set(flags))
        if done:
            (err,) = struct.unpack_from("=i", buf, done.start() + NLMSGHDR.size)
            if err:
                raise OSError(-err, "GET_SOURCES failed")
            intr = intr or bool(struct.unpack_from("=H", buf, done.start() + 6)[0]
                                & NLM_F_DUMP_INTR)
            return keys, intr


def slow_keys(buf, fam, seq):
    """The keys of the source messages of @buf, parsed attribute by attribute."""
    keys, off = [], 0
    while off + NLMSGHDR.size <= len(buf):
        mlen, mtype, _, mseq, _ = NLMSGHDR.unpack_from(buf, off)
        if mlen < NLMSGHDR.size:
            raise OSError(errno.EBADMSG, "short netlink message")
        if mseq == seq and mtype == fam:
            src = Source(parse_attrs(parse_attrs(
                buf[off + NLMSGHDR.size + 4:off + mlen])[TCPLIMIT_A_SOURCE]))
            keys.append(src.addr + bytes([src.plen]))
        off += align4(mlen)
    return keys


def key_text(key):
    """ "ADDR/LEN" of a source_keys key."""
    family = socket.AF_INET if len(key) == 5 else socket.AF_INET6
    return f"{socket.inet_ntop(family, key[:-1])}/{key[-1]}"


def text_key(text):
    addr, _, plen = text.partition("/")
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    return socket.inet_pton(family, addr) + bytes([int(plen)])


def churn_dumps(nl, fam, stable_file, count):
    with open(stable_file) as f:
        stable = set(text_key(line.strip()) for line in f if line.strip())
    print(f"# {len(stable)} stable sources")
    bad = 0
    intr_total = 0
    for n in range(count):
        for attempt in range(DUMP_RETRIES):
            keys, intr = source_keys(nl, fam)
            if not intr:
                break
            intr_total += 1
        else:
            print(f"# FAIL: dump {n}: interrupted {DUMP_RETRIES} times in a row")
            return 1
        seen = set(keys)
        twice = len(keys) - len(seen)
        missing = len(stable - seen)
        print(f"# dump {n}: {len(keys)} sources, {attempt} interrupted before it, "
              f"stable missing {missing}, sources twice {twice}")
        if missing or twice:
            bad += 1
    print(f"# interrupted dumps retried: {intr_total}")
    print(f"complete {count} bad {bad} interrupted {intr_total}")
    return 1 if bad else 0


def add_filter_args(p):
    p.add_argument("--addr")
    p.add_argument("--addr-hex")
    p.add_argument("--prefix-len", type=int)
    p.add_argument("--limited", action="store_true")
    p.add_argument("--top", type=int)
    p.add_argument("--sort")
    p.add_argument("--empty-filter", action="store_true",
                   help="send an empty TCPLIMIT_A_FILTER nest")
    p.add_argument("--sorted", action="store_true",
                   help="print by family and address, not in the kernel's order")


_PARSER = None


def parse_args(argv):
    """The command line; the parser is built once (batch runs many)."""
    global _PARSER
    if _PARSER is None:
        _PARSER = make_parser()
    return _PARSER.parse_args(argv)


def make_parser():
    p = argparse.ArgumentParser(prog="nlraw.py", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("bad-input")
    sub.add_parser("get")
    s = sub.add_parser("set-max")
    s.add_argument("n", type=int)
    s = sub.add_parser("set")
    s.add_argument("assignments", nargs="+")
    s = sub.add_parser("sources")
    add_filter_args(s)
    s = sub.add_parser("rank")
    s.add_argument("sort_name", choices=sorted(SORTS))
    s.add_argument("k", type=int)
    add_filter_args(s)
    sub.add_parser("flush")
    s = sub.add_parser("raw")
    s.add_argument("raw_cmd", type=int)
    s.add_argument("hex")
    s.add_argument("mode", nargs="?", choices=["dump"])
    s = sub.add_parser("churn-dumps")
    s.add_argument("stable")
    s.add_argument("count", type=int)
    sub.add_parser("keys")
    sub.add_parser("batch")
    return p


def run(args, nl, fam):
    if args.cmd == "bad-input":
        return bad_input(nl, fam)
    if args.cmd == "set-max":
        _, err, text = nl.request(fam, TCPLIMIT_CMD_SET_CONFIG,
                                  attr(TCPLIMIT_A_MAX_CONN, u32(args.n)))
        if err:
            raise OSError(-err, f"SET_CONFIG: {text or os.strerror(-err)}")
    if args.cmd == "set":
        _, err, text = nl.request(fam, TCPLIMIT_CMD_SET_CONFIG,
                                  config_payload(args.assignments))
        if err:
            print(f"error {errname(-err)} ERROR: {text or ''}")
            return 1
        return 0
    if args.cmd in ("set-max", "get"):
        print(f"max_conn {get_max(nl, fam)}")
        return 0
    if args.cmd == "sources":
        out = dump_sources(nl, fam, filter_payload(args))
        if out.err:
            print(out.line())
            return 1
        sources = sorted(out.replies, key=address_order) if args.sorted else out.replies
        for s in sources:
            print(s.line())
        return 0
    if args.cmd == "rank":
        out = dump_sources(nl, fam)
        if out.err:
            print(out.line())
            return 1
        for s in rank([s for s in out.replies if inside(s, args)],
                      SORTS[args.sort_name], args.k):
            print(s.line())
        return 0
    if args.cmd == "flush":
        out = nl.collect(nl.send(fam, TCPLIMIT_CMD_FLUSH))
        if out.err or len(out.replies) != 1:
            print(out.line())
            return 1
        print(f"flushed {struct.unpack('=I', out.replies[0][TCPLIMIT_A_FLUSHED])[0]}")
        return 0
    if args.cmd == "raw":
        flags = NLM_F_REQUEST | NLM_F_ACK | (NLM_F_DUMP if args.mode else 0)
        out = nl.collect(nl.send(fam, args.raw_cmd, bytes.fromhex(args.hex), flags))
        print(out.line())
        return 1 if out.err else 0
    if args.cmd == "churn-dumps":
        return churn_dumps(nl, fam, args.stable, args.count)
    if args.cmd == "keys":
        for _ in range(DUMP_RETRIES):
            keys, intr = source_keys(nl, fam)
            if not intr:
                print("\n".join(key_text(k) for k in keys))
                return 0
        raise OSError(errno.EINTR, "dump interrupted every time")
    if args.cmd == "batch":
        for line in sys.stdin:
            line = line.strip()
            if not line:
                continue
            print(f"== {line}")
            try:
                status = run(parse_args(shlex.split(line, comments=True)), nl, fam)
            except OSError as e:
                print(f"# FAIL: {line}: {e.strerror}")
                status = 1
            except SystemExit as e:
                status = e.code
            print(f"== exit {status}", flush=True)
        return 0
    return 2


def main(argv):
    args = parse_args(argv)
    nl = GenlSocket()
    try:
        return run(args, nl, nl.family_id("tcplimit"))
    except OSError as e:
        print(f"# FAIL: {' '.join(argv)}: {e.strerror}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
