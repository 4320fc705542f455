#!/usr/bin/env python3
"""gen_appmix.py - an application-layer capture for the issue-12 benchmark (bench/appmix.sh).

usage: gen_appmix.py [-n PACKETS] [--concurrent K] [--seed S] -o OUT TEMPLATE.pcap[:WEIGHT] ...

Each TEMPLATE is a small pcap (Ethernet, IPv4) of one or more real flows: a TLS handshake made
by openssl, an HTTP exchange, DNS queries, QUIC Initials. The output holds PACKETS packets made
by replaying the templates over and over as new flows: K instances run at once, interleaved
packet by packet in a seeded random order, each with its own client and server addresses (from
198.18.0.0/15) and its own client port, so every instance is a separate TCP or UDP stream and the
TCP sequence numbers stay what the template had (consistent within the flow). A template's
client is the source address and port of its first packet (openssl talks to itself on one
address); that port is replaced, the other kept.
WEIGHT (default 1) sets how often a template is picked for a new instance. Timestamps advance
10 us a packet. IPv4 header checksums are recomputed; TCP/UDP checksums are left as they were
(wrong after the rewrite; neither tshark nor capscope checks them by default).
Deterministic: the same arguments give the same bytes.
"""
import argparse
import random
import struct
import sys


def read_pcap(path):
    """The Ethernet frames of a classic pcap file (either byte order, us or ns)."""
    with open(path, 'rb') as f:
        data = f.read()
    magic = data[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
        e = '<'
    elif magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        e = '>'
    else:
        sys.exit('%s: not a classic pcap file (convert with editcap -F pcap)' % path)
    linktype = struct.unpack(e + 'I', data[20:24])[0]
    if linktype != 1:
        sys.exit('%s: link type %d, only Ethernet (1) templates are supported' % (path, linktype))
    frames, off = [], 24
    while off + 16 <= len(data):
        incl = struct.unpack(e + 'I', data[off + 8:off + 12])[0]
        frames.append(data[off + 16:off + 16 + incl])
        off += 16 + incl
    return frames


def ip_checksum(hdr):
    s = sum(struct.unpack('>%dH' % (len(hdr) // 2), hdr))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


class Template:
    """The IPv4 TCP/UDP frames of a template, with who is the client."""

    def __init__(self, path, weight):
        self.path, self.weight, self.frames = path, weight, []
        for fr in read_pcap(path):
            if len(fr) < 34 or fr[12:14] != b'\x08\x00' or fr[23] not in (6, 17):
                continue
            self.frames.append(fr)
        if not self.frames:
            sys.exit('%s: no IPv4 TCP or UDP frame' % path)
        first = self.frames[0]
        ihl = (first[14] & 0x0F) * 4
        self.client = first[26:30]
        self.client_port = struct.unpack('>H', first[14 + ihl:16 + ihl])[0]


class Instance:
    def __init__(self, tpl, client, server, port):
        self.tpl, self.i = tpl, 0
        self.client, self.server, self.port = client, server, port

    def next_frame(self):
        fr = bytearray(self.tpl.frames[self.i])
        self.i += 1
        ihl = (fr[14] & 0x0F) * 4
        sport = struct.unpack('>H', fr[14 + ihl:16 + ihl])[0] if len(fr) >= 16 + ihl else -1
        from_client = bytes(fr[26:30]) == self.tpl.client and sport == self.tpl.client_port
        fr[26:30], fr[30:34] = ((self.client, self.server) if from_client else
                                (self.server, self.client))
        fr[24:26] = b'\0\0'
        fr[24:26] = struct.pack('>H', ip_checksum(bytes(fr[14:14 + ihl])))
        at = 14 + ihl + (0 if from_client else 2)  # the client's port: source or destination
        if (fr[20] & 0x1F) == 0 and fr[21] == 0 and len(fr) >= at + 2:  # first fragment only
            old = struct.unpack('>H', fr[at:at + 2])[0]
            if old == self.tpl.client_port:
                fr[at:at + 2] = struct.pack('>H', self.port)
        return bytes(fr)

    def done(self):
        return self.i >= len(self.tpl.frames)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('-n', type=int, default=1_000_000, help='packets (default 1,000,000)')
    ap.add_argument('--concurrent', type=int, default=500, help='flows at once (default 500)')
    ap.add_argument('--seed', type=int, default=12)
    ap.add_argument('-o', required=True)
    ap.add_argument('templates', nargs='+', help='TEMPLATE.pcap[:WEIGHT]')
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    tpls = []
    for t in a.templates:
        path, _, w = t.partition(':')
        tpls.append(Template(path, int(w) if w else 1))
    weights = [t.weight for t in tpls]
    serial = 0

    def new_instance():
        nonlocal serial
        serial += 1
        tpl = rnd.choices(tpls, weights)[0]
        # clients in 198.18.0.0/16, servers in 198.19.0.0/16, 65,536 of each
        client = bytes((198, 18, (serial >> 8) & 0xFF, serial & 0xFF))
        s = rnd.randrange(1, 4096)
        server = bytes((198, 19, s >> 8, s & 0xFF))
        port = 1024 + (serial * 7919) % 64000
        return Instance(tpl, client, server, port)

    active = [new_instance() for _ in range(a.concurrent)]
    ts = 1_700_000_000 * 1_000_000
    with open(a.o, 'wb') as out:
        out.write(struct.pack('<IHHiIII', 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        for _ in range(a.n):
            k = rnd.randrange(len(active))
            fr = active[k].next_frame()
            if active[k].done():
                active[k] = new_instance()
            out.write(struct.pack('<IIII', ts // 1_000_000, ts % 1_000_000, len(fr), len(fr)))
            out.write(fr)
            ts += 10
    print('%s: %d packets, %d flows started' % (a.o, a.n, serial), file=sys.stderr)


if __name__ == '__main__':
    main()
