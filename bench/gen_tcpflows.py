#!/usr/bin/env python3
"""gen_tcpflows.py - a TCP capture for the stream analysis benchmark (bench/streams.sh).

usage: gen_tcpflows.py [-n PACKETS] [--flows N] [--loss P] -o OUT

N concurrent flows (default 2000), each a handshake then 100-byte data segments from the
client, the server ACKing every second one; with probability P (default 0.01) a segment is
"lost" (not written) and sent again two segments later, so tshark and capscope see previous
segments not captured, dup ACKs and retransmissions. Deterministic (seeded); checksums are
left 0 (neither reader verifies them by default).
"""
import argparse
import random
import struct

ETH = bytes.fromhex('02000000000b02000000000a0800')
ETH_R = bytes.fromhex('02000000000a02000000000b0800')


def frame(fwd, src, dst, sport, dport, seq, ack, flags, paylen):
    ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 40 + paylen, 0, 0x4000, 64, 6, 0, src, dst)
    tcp = struct.pack('>HHIIBBHHH', sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 0x50,
                      flags, 512, 0, 0)
    return (ETH if fwd else ETH_R) + ip + tcp + b'p' * paylen


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('-n', type=int, default=1000000)
    ap.add_argument('--flows', type=int, default=2000)
    ap.add_argument('--loss', type=float, default=0.01)
    ap.add_argument('-o', required=True)
    a = ap.parse_args()
    rnd = random.Random(11)
    flows = []
    for i in range(a.flows):
        c = bytes([10, 1, i >> 8 & 255, i & 255])
        s = bytes([10, 2, 0, 1 + i % 200])
        flows.append({'c': c, 's': s, 'cp': 20000 + i, 'sp': 443, 'seq': rnd.getrandbits(32),
                      'ack': rnd.getrandbits(32), 'state': 0, 'unacked': 0, 'pending': []})
    out = open(a.o, 'wb')
    out.write(struct.pack('<IHHiIII', 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
    t, n = 1700000000 * 1000000, 0

    def emit(fr):
        nonlocal t, n
        t += 7
        out.write(struct.pack('<IIII', t // 1000000, t % 1000000, len(fr), len(fr)))
        out.write(fr)
        n += 1

    while n < a.n:
        f = flows[rnd.randrange(a.flows)]
        c, s, cp, sp = f['c'], f['s'], f['cp'], f['sp']
        if f['state'] == 0:
            emit(frame(True, c, s, cp, sp, f['seq'], 0, 0x02, 0))
            emit(frame(False, s, c, sp, cp, f['ack'], f['seq'] + 1, 0x12, 0))
            f['seq'] += 1
            f['ack'] += 1
            emit(frame(True, c, s, cp, sp, f['seq'], f['ack'], 0x10, 0))
            f['state'] = 1
            continue
        for p in [p for p in f['pending'] if p[1] <= 0]:
            emit(frame(True, c, s, cp, sp, p[0], f['ack'], 0x18, 100))  # the retransmission
            f['pending'].remove(p)
        for p in f['pending']:
            p[1] -= 1
        if rnd.random() < a.loss:
            f['pending'].append([f['seq'], 2])
        else:
            emit(frame(True, c, s, cp, sp, f['seq'], f['ack'], 0x18, 100))
        f['seq'] += 100
        f['unacked'] += 1
        if f['unacked'] >= 2:
            lo = min([p[0] for p in f['pending']] + [f['seq']])
            emit(frame(False, s, c, sp, cp, f['ack'], lo, 0x10, 0))
            f['unacked'] = 0
    out.close()


if __name__ == '__main__':
    main()
