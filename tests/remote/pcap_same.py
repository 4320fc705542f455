#!/usr/bin/env python3
"""pcap_same.py A B - exit 0 when two classic pcap files hold the same packets (caplen, len
and bytes, in order; timestamps are each capture's own), else 1 with the first difference.
Prints the packet count. Either file may be microsecond or nanosecond pcap."""
import struct
import sys


def records(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise SystemExit(f"{path}: no pcap header ({len(data)} bytes)")
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        raise SystemExit(f"{path}: not a classic pcap file")
    out, off = [], 24
    while off + 16 <= len(data):
        _, _, caplen, length = struct.unpack(end + "IIII", data[off:off + 16])
        out.append((caplen, length, data[off + 16:off + 16 + caplen]))
        off += 16 + caplen
    return out


a, b = records(sys.argv[1]), records(sys.argv[2])
print(len(a), len(b))
for i, (x, y) in enumerate(zip(a, b)):
    if x != y:
        print(f"packet {i + 1} differs: caplen/len {x[:2]} vs {y[:2]}")
        sys.exit(1)
sys.exit(0 if len(a) == len(b) else 1)
