#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Raw generic netlink client for the tcplimit family (python3 stdlib only).

  nlraw.py bad-input    selftest 6: send malformed requests, expect a clear
                        error (errno + extack message) and an unchanged config
  nlraw.py set-max N    set TCPLIMIT_A_MAX_CONN to N, print the config back
  nlraw.py get          print TCPLIMIT_A_MAX_CONN
"""
import errno
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NLM_F_REQUEST, NLM_F_ACK = 0x1, 0x4
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLMSGERR_ATTR_MSG = 1
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2

# uapi/linux/tcplimit.h
TCPLIMIT_CMD_GET_CONFIG, TCPLIMIT_CMD_SET_CONFIG = 1, 2
TCPLIMIT_A_VERSION, TCPLIMIT_A_MAX_CONN, TCPLIMIT_A_STATS = 1, 2, 3
TCPLIMIT_STATS_A_SOURCES = 2
TCPLIMIT_MAX_CONN_LIMIT = 10000000

NLMSGHDR = struct.Struct("=IHHII")  # len, type, flags, seq, pid
NLATTR = struct.Struct("=HH")       # len, type


def align4(n):
    return (n + 3) & ~3


def attr(atype, payload):
    """One attribute, padded to 4 bytes."""
    data = NLATTR.pack(NLATTR.size + len(payload), atype) + payload
    return data + b"\0" * (align4(len(data)) - len(data))


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


class GenlSocket:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 0

    def request(self, family, cmd, payload=b""):
        """Send one do request with NLM_F_ACK; read replies up to the ACK.

        Returns (list of reply attribute dicts, error, extack message);
        error is 0 on success, a negative errno otherwise.
        """
        self.seq += 1
        body = struct.pack("=BBH", cmd, 1, 0) + payload
        hdr = NLMSGHDR.pack(NLMSGHDR.size + len(body), family,
                            NLM_F_REQUEST | NLM_F_ACK, self.seq, 0)
        self.sock.send(hdr + body)
        replies = []
        while True:
            buf = self.sock.recv(65536)
            off = 0
            while off + NLMSGHDR.size <= len(buf):
                mlen, mtype, mflags, mseq, _ = NLMSGHDR.unpack_from(buf, off)
                msg = buf[off:off + mlen]
                off += align4(mlen)
                if mseq != self.seq:
                    continue
                if mtype == NLMSG_ERROR:
                    return (replies,) + self._parse_error(msg, mflags)
                if mtype != NLMSG_DONE:
                    replies.append(parse_attrs(msg[NLMSGHDR.size + 4:]))

    @staticmethod
    def _parse_error(msg, flags):
        """(error, extack message) from an NLMSG_ERROR message."""
        (error,) = struct.unpack_from("=i", msg, NLMSGHDR.size)
        off = NLMSGHDR.size + 4
        # The original request follows: its header only when capped.
        orig_len = NLMSGHDR.unpack_from(msg, off)[0]
        off += NLMSGHDR.size if flags & NLM_F_CAPPED else align4(orig_len)
        text = None
        if flags & NLM_F_ACK_TLVS:
            raw = parse_attrs(msg[off:]).get(NLMSGERR_ATTR_MSG)
            if raw is not None:
                text = raw.split(b"\0", 1)[0].decode(errors="replace")
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


def u32(v):
    return struct.pack("=I", v)


def errname(e):
    """errno name; errno.errorcode calls 95 ENOTSUP, the kernel EOPNOTSUPP."""
    return "EOPNOTSUPP" if e == errno.EOPNOTSUPP else errno.errorcode.get(e, str(e))


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
    ("stats nest in set", TCPLIMIT_CMD_SET_CONFIG,
     attr(TCPLIMIT_A_STATS, attr(TCPLIMIT_STATS_A_SOURCES, u32(1))), errno.EINVAL, True),
    ("attr in get", TCPLIMIT_CMD_GET_CONFIG,
     attr(TCPLIMIT_A_MAX_CONN, u32(5)), errno.EINVAL, True),
    ("unknown cmd 77", 77, b"", errno.EOPNOTSUPP, False),
    ("truncated attr", TCPLIMIT_CMD_SET_CONFIG,
     NLATTR.pack(64, TCPLIMIT_A_MAX_CONN) + u32(5), errno.EINVAL, True),
]


def bad_input(nl, fam):
    before = get_max(nl, fam)
    print(f"# max_conn before: {before}")
    failed = []
    for name, cmd, payload, want, want_msg in BAD_INPUT:
        _, err, text = nl.request(fam, cmd, payload)
        got = errname(-err) if err else "success"
        after = get_max(nl, fam)
        problems = []
        if err != -want:
            problems.append(f"want {errname(want)}")
        if want_msg and not text:
            problems.append("no extack message")
        if after != before:
            problems.append(f"max_conn changed {before} -> {after}")
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


def main(argv):
    if argv not in (["bad-input"], ["get"]) and (argv[:1] != ["set-max"] or len(argv) != 2):
        print(__doc__, file=sys.stderr)
        return 2
    nl = GenlSocket()
    try:
        fam = nl.family_id("tcplimit")
        if argv[0] == "bad-input":
            return bad_input(nl, fam)
        if argv[0] == "set-max":
            _, err, text = nl.request(fam, TCPLIMIT_CMD_SET_CONFIG,
                                      attr(TCPLIMIT_A_MAX_CONN, u32(int(argv[1]))))
            if err:
                raise OSError(-err, f"SET_CONFIG: {text or os.strerror(-err)}")
        print(f"max_conn {get_max(nl, fam)}")
        return 0
    except OSError as e:
        print(f"# FAIL: {' '.join(argv)}: {e.strerror}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
