#!/usr/bin/env python3
"""mktls_reseg.py - real TLS sessions re-segmented at many split points, for test_tls_reseg.sh.

usage: mktls_reseg.py SESSION.pcap OUT.pcap

SESSION.pcap holds one TCP connection (tests/tls/reseg-tls12.pcap and reseg-tls13.pcap:
openssl s_server/s_client on lo, made as tests/tls/mkcaps.sh makes tls12 and tls13). Its
payloads are joined into the sends of each direction, two application data records of crafted
bodies are added to each direction's last send before the alerts (bytes that look like an
SSLv2 hello, a record header, an unknown content type, four printable characters), and the
whole session is written again as one TCP connection per split scheme (client ports 40000 up),
so where a segment starts no longer depends on the kernel:
  whole      each send in one segment (the baseline)
  every N    segments of N bytes (1, 4 to 7, 100, 333): 1-byte segments, headers split anywhere
  around D   a cut D bytes (-5 to +5) from every record start and every crafted mark: a segment
             that ends a record and starts the next, one that starts at a header, one that
             splits a header, one that begins inside a record
The TCP sequence numbers follow each other; no segment is lost or retransmitted.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mkpcap as m  # noqa: E402

CLI, SRV = '198.18.0.1', '198.18.0.2'


def sessions_sends(path):
    """[(from_client, bytes)], consecutive payloads of one direction joined, and the ports."""
    sends, cport, sport = [], None, None
    for _, _, _, _, data in m.read_pcap(path):
        ip = data[14:]
        if data[12:14] != b'\x08\x00' or ip[9] != 6:
            continue
        ihl = (ip[0] & 15) * 4
        t = ip[ihl:struct.unpack('>H', ip[2:4])[0]]
        sp, dp = struct.unpack('>HH', t[:4])
        pay = t[(t[12] >> 4) * 4:]
        if t[13] & 0x02 and not t[13] & 0x10:
            cport, sport = sp, dp
        if not pay:
            continue
        c = sp == cport
        if sends and sends[-1][0] == c:
            sends[-1] = (c, sends[-1][1] + pay)
        else:
            sends.append((c, pay))
    return sends, sport


def records(b):
    """Offsets where records start in a send (the walk stops at bytes that are no record)."""
    out, i = [], 0
    while i + 5 <= len(b):
        out.append(i)
        i += 5 + struct.unpack('>H', b[i + 3:i + 5])[0]
    return out


# crafted application data bodies: (body, offsets of interest in it)
def crafted():
    parts = [b'\x80\x2e\x01\x03\x01' + bytes(range(40)),      # SSLv2 client hello look
             b'\x81\x10\x04' + b'\x11' * 20,                   # SSLv2 looks (type 4)
             b'\x17\x03\x03\x00\x08' + b'\x22' * 8,            # a whole record inside
             b'\x16\x03\x01\x40\x00' + b'\x33' * 10,           # a header past the segment
             b'\x18\x03\x03\x00\x04' + b'\x44' * 12,           # heartbeat type
             b'\x30\x03\x03\x00\x04' + b'\x55' * 12,           # unknown content type
             b'\x15\x03\x03\x00\x02\x02\x28',                   # a plain alert inside
             b'abcd\x01\x02',                                   # four printable bytes
             b'\x14\x03\x03\x00\x01\x01' + b'\x66' * 9,         # change cipher spec
             b'\x17\x02\x00\x00\x05' + b'\x77' * 9]             # valid type, odd version
    body, marks = b'', []
    for p in parts:
        marks.append(len(body))
        body += p
    return body, marks


def add_crafted(sends):
    """Two crafted records at the end of each direction's last send before the alerts."""
    body, marks = crafted()
    rec = b'\x17\x03\x03' + struct.pack('>H', len(body)) + body
    out, done, extra = list(sends), set(), {}
    for i in range(len(out) - 1, -1, -1):
        c, b = out[i]
        if c in done or i < 2:
            continue
        done.add(c)
        # before the send's last record (an alert or the last of the flight)
        at = records(b)[-1]
        out[i] = (c, b[:at] + rec + rec + b[at:])
        extra[i] = [at + 5 + k for k in marks] + [at + len(rec) + 5 + k for k in marks]
    return out, extra


def cuts(n, scheme, starts):
    kind, v = scheme
    if kind == 'whole':
        return []
    if kind == 'every':
        return list(range(v, n, v))
    return sorted({s + v for s in starts if 0 < s + v < n})


def schemes():
    yield ('whole', 0)
    for v in (1, 4, 5, 6, 7, 100, 333):
        yield ('every', v)
    for v in range(-5, 6):
        yield ('around', v)


def connection(pkts, sends, extra, sport, cport, scheme):
    seq = {True: 1000, False: 5000}
    flow = [(CLI, SRV, cport, sport, True), (SRV, CLI, sport, cport, False)]

    def emit(c, flags, pay=b''):
        s, d, a, b, _ = flow[0] if c else flow[1]
        seg = m.tcp(s, d, a, b, seq[c], seq[not c], flags, pay, win=65535)
        frame = m.eth('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, m.ipv4(s, d, 6, seg))
        pkts.append(frame)
        seq[c] = (seq[c] + len(pay) + (1 if flags & 0x03 else 0)) & 0xffffffff

    syn = m.tcp(CLI, SRV, cport, sport, 999, 0, 0x02, win=65535)
    pkts.append(m.eth('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, m.ipv4(CLI, SRV, 6, syn)))
    synack = m.tcp(SRV, CLI, sport, cport, 4999, 1000, 0x12, win=65535)
    pkts.append(m.eth('02:00:00:00:00:01', '02:00:00:00:00:02', 0x0800,
                      m.ipv4(SRV, CLI, 6, synack)))
    for i, (c, b) in enumerate(sends):
        starts = records(b) + extra.get(i, [])
        edges = [0] + cuts(len(b), scheme, starts) + [len(b)]
        for lo, hi in zip(edges, edges[1:]):
            emit(c, 0x18, b[lo:hi])
    emit(True, 0x11)
    emit(False, 0x11)


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: mktls_reseg.py SESSION.pcap OUT.pcap')
    sends, sport = sessions_sends(sys.argv[1])
    if not sends or sport is None:
        sys.exit('mktls_reseg.py: %s: no TCP connection with payload and a SYN' % sys.argv[1])
    sends, extra = add_crafted(sends)
    frames = []
    for k, sc in enumerate(schemes()):
        connection(frames, sends, extra, sport, 40000 + k, sc)
    pkts = [m.Pkt(f, m.BASE_TS + i // 1000, (i % 1000) * 1000) for i, f in enumerate(frames)]
    with open(sys.argv[2], 'wb') as f:
        f.write(m.pcap_bytes(pkts))


if __name__ == '__main__':
    main()
