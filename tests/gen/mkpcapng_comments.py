#!/usr/bin/env python3
"""mkpcapng_comments.py - pcapng files whose packet comments are hostile, for capscope's
reading of process comments back (tests/procs/test_pcapng_comments.sh).

Each case is one small file of UDP packets; EXPECT[name] lists, per packet, the process.pid
capscope must read back ('' = none) - known from how the file is built, not from a run.

  good       two packets with our comment, one without: the baseline (the file says nothing
             of the packet without one: it gets no Process layer)
  marked     the same in a file whose section comment says its packets were attributed as
             written (capscope's PROC_COMMENT_SECTION): the packet without one is marked
             process.unattributed
  multi      a foreign comment, then ours: the first of ours counts
  overlong   a 65,000-byte comment whose PID line comes first, and one whose PID line comes
             after 20,000 bytes of text (past what is read: not found)
  badlen     an option length that runs past the block: nothing after it is trusted
  noend      the options run to the block's end without opt_endofopt
  forged     raw control bytes and a newline in the name ("x\\nPID: 1"), an ESC sequence:
             the PID line that comes first wins, nothing raw reaches the terminal
  nul        NUL bytes inside the comment's lines
  swapped    a big-endian section (the host is little-endian)
  liecap     an EPB whose captured length runs past its block (libpcap refuses the
             packet; capscope reports the read error and exits 1 after the good packets)
  cut        the file ends in the middle of the last packet's options
"""
import argparse
import struct
import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
import mkpcap  # noqa: E402

OURS = "Process: curl[{pid}]\nPID: {pid}\nCommand: curl\nUser: root (0)\nDirection: out\n"


def frame(i):
    return mkpcap.eth("02:00:00:00:00:02", "02:00:00:00:00:01", 0x0800,
                      mkpcap.ipv4("198.18.0.1", "198.18.0.2", 17,
                                  mkpcap.udp("198.18.0.1", "198.18.0.2", 40000 + i, 53,
                                             b"q" * 12)))


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


def opt(code, val, e="<", length=None):
    return struct.pack(e + "HH", code, len(val) if length is None else length) + pad4(val)


def block(btype, body, e="<"):
    total = 12 + len(body)
    return struct.pack(e + "II", btype, total) + body + struct.pack(e + "I", total)


MARK = b"capscope: each packet's process is its comment; a packet without one was not attributed"


def head(e="<", marked=False):
    shb = struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0, -1) + opt(4, b"mkpcapng_comments", e) + \
        (opt(1, b"another comment", e) + opt(1, MARK, e) if marked else b"") + opt(0, b"", e)
    idb = struct.pack(e + "HHI", 1, 0, 65535) + opt(9, b"\x09", e) + opt(0, b"", e)
    return block(0x0A0D0D0A, shb, e) + block(1, idb, e)


def epb(i, options=b"", e="<", caplen=None, end=True):
    data = frame(i)
    ts = (1700000000 + i) * 10**9 + 123456789
    body = struct.pack(e + "IIIII", 0, ts >> 32, ts & 0xFFFFFFFF,
                       len(data) if caplen is None else caplen, len(data))
    body += pad4(data) + options
    if options and end:
        body += opt(0, b"", e)
    return block(6, body, e)


def comment(text, e="<", **kw):
    raw = text if isinstance(text, bytes) else text.encode()
    return opt(1, raw, e, **kw)


def build(name):
    """Returns the file's bytes and the pids expected for its packets."""
    e = "<"
    if name == "good":
        return head() + epb(0, comment(OURS.format(pid=11))) + epb(1) + \
            epb(2, comment(OURS.format(pid=12))), ["11", "", "12"]
    if name == "marked":
        return head(marked=True) + epb(0, comment(OURS.format(pid=11))) + epb(1) + \
            epb(2, comment(OURS.format(pid=12))), ["11", "", "12"]
    if name == "multi":
        return head() + epb(0, comment("saved by Wireshark") + comment(OURS.format(pid=21))), ["21"]
    if name == "overlong":
        first = "PID: 31\n" + "A" * 65000
        late = "Command: x\n" + "B" * 20000 + "\nPID: 32\n"
        return head() + epb(0, comment(first)) + epb(1, comment(late)), ["31", ""]
    if name == "badlen":
        # a foreign comment whose length runs past the block, then ours: not trusted
        bad = struct.pack("<HH", 1, 4000) + b"junk"
        return head() + epb(0, bad + comment(OURS.format(pid=41)), end=False) + \
            epb(1, comment(OURS.format(pid=42))), ["", "42"]
    if name == "noend":
        return head() + epb(0, comment(OURS.format(pid=51)), end=False), ["51"]
    if name == "forged":
        text = b"Process: x\nPID: 1\x1b]0;pwned\x07[61]\nPID: 61\nCommand: \x1b[2Jevil\nDirection: out\n"
        return head() + epb(0, comment(text)), ["61"]
    if name == "nul":
        text = b"PID: 7\x001\nPID: 71\nCommand: a\x00b\n"
        return head() + epb(0, comment(text)), ["71"]
    if name == "swapped":
        e = ">"
        return head(e) + epb(0, comment(OURS.format(pid=81), e), e) + epb(1, e=e), ["81", ""]
    if name == "liecap":
        return head() + epb(0, comment(OURS.format(pid=91))) + \
            epb(1, comment(OURS.format(pid=92)), caplen=5000), ["91"]
    if name == "cut":
        whole = head() + epb(0, comment(OURS.format(pid=95))) + epb(1, comment(OURS.format(pid=96)))
        return whole[:-30], ["95"]
    raise SystemExit(f"unknown case {name}")


CASES = ["good", "marked", "multi", "overlong", "badlen", "noend", "forged", "nul", "swapped", "liecap",
         "cut"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("name", nargs="?")
    ap.add_argument("-o", "--output")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--expect", action="store_true", help="print the expected pids, one a line")
    a = ap.parse_args()
    if a.list:
        print("\n".join(CASES))
        return 0
    data, pids = build(a.name)
    if a.expect:
        print("\n".join(pids))
        return 0
    with open(a.output, "wb") as f:
        f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
