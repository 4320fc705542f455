#!/usr/bin/env python3
"""multi_check.py - checks for test_multi_capture.sh (several sources at once).

  multi_check.py merged CAPSCOPE.pcapng MERGECAP.pcapng NAME0 NAME1 [NAME2...]
      capscope's pcapng (one interface per source) holds the packets mergecap's merge of the
      tcpdump captures (one per source, in that order) holds: the same (interface, timestamp,
      bytes) in the same order (within one microsecond, tcpdump's precision, by interface);
      its interfaces are named NAME0, NAME1, ... and its timestamps (nanoseconds) never go back.
  multi_check.py isb CAPSCOPE.pcapng N
      an Interface Statistics Block for each interface, whose isb_ifrecv is N.
  multi_check.py same A.pcap B.pcap
      the two pcap files hold the same packets (timestamps and bytes), in order.
  multi_check.py print PRINT.txt CAPSCOPE.pcapng NAME0 NAME1 [NAME2...]
      --print's lines (-tt) show the interface of each packet of the pcapng, in the same order.

Standard library only; little-endian pcapng as capscope and mergecap write it here.
"""
import struct
import sys


def read_pcapng(path):
    """Returns (interface names, [(ifid, ts_ns, bytes)]) of a little-endian pcapng file."""
    with open(path, 'rb') as f:
        buf = f.read()
    at, names, resol, pkts = 0, [], [], []
    while at + 12 <= len(buf):
        btype, blen = struct.unpack_from('<II', buf, at)
        if blen < 12 or at + blen > len(buf):
            raise SystemExit('%s: bad block at %d' % (path, at))
        body = buf[at + 8:at + blen - 4]
        if btype == 1:  # IDB: options after linktype(2) reserved(2) snaplen(4)
            name, res, o = None, 6, 8
            while o + 4 <= len(body):
                code, olen = struct.unpack_from('<HH', body, o)
                if code == 0:
                    break
                val = body[o + 4:o + 4 + olen]
                if code == 2:
                    name = val.decode('utf-8', 'replace')
                if code == 9:
                    res = val[0]
                o += 4 + ((olen + 3) & ~3)
            names.append(name)
            resol.append(res)
        elif btype == 6:  # EPB
            ifid, hi, lo, cap, _ = struct.unpack_from('<IIIII', body, 0)
            t = (hi << 32) | lo
            ns = t * 1000 if resol[ifid] == 6 else t
            pkts.append((ifid, ns, bytes(body[20:20 + cap])))
        at += blen
    return names, pkts


def read_pcap(path):
    with open(path, 'rb') as f:
        buf = f.read()
    magic = struct.unpack_from('<I', buf, 0)[0]
    nano = magic == 0xa1b23c4d
    at, pkts = 24, []
    while at + 16 <= len(buf):
        sec, frac, cap, _ = struct.unpack_from('<IIII', buf, at)
        pkts.append((sec * 10**9 + (frac if nano else frac * 1000), bytes(buf[at + 16:at + 16 + cap])))
        at += 16 + cap
    return pkts


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b)) if len(a) != len(b) else -1


def micro(pkts):
    """Timestamps to microseconds (tcpdump writes microseconds; capscope may keep ns)."""
    return [p[:-2] + (p[-2] // 1000, p[-1]) for p in pkts]


def merged(ours, theirs, *want_names):
    names, got = read_pcapng(ours)
    _, want = read_pcapng(theirs)
    got, want = micro(got), micro(want)
    bad = 0
    if names != list(want_names):
        print('capscope pcapng interfaces %r, want %r' % (names, list(want_names)))
        bad += 1
    back = sum(1 for i in range(1, len(got)) if got[i][1] < got[i - 1][1])
    if back:
        print('%d packets whose timestamp is earlier than the one before' % back)
        bad += 1
    # tcpdump keeps microseconds, capscope nanoseconds: packets of two interfaces within
    # the same microsecond may be in either order (capscope's is by nanosecond, checked
    # above), so both are put in (microsecond, interface) order, stably, for the comparison
    got = sorted(got, key=lambda p: (p[1], p[0]))
    want = sorted(want, key=lambda p: (p[1], p[0]))
    i = first_difference(got, want)
    if i >= 0:
        print('capscope %d packets, mergecap %d; first difference at #%d' % (len(got), len(want), i + 1))
        for k in range(max(0, i - 2), min(i + 3, max(len(got), len(want)))):
            g = got[k][:2] if k < len(got) else None
            w = want[k][:2] if k < len(want) else None
            print('  #%d capscope %r mergecap %r' % (k + 1, g, w))
        bad += 1
    if not bad:
        per = ', '.join('%d on %s' % (sum(1 for p in got if p[0] == k), n)
                        for k, n in enumerate(want_names))
        print('merged: %d packets (%s) as mergecap merged tcpdump\'s, in order' % (len(got), per))
    return bad


def same(a, b):
    x, y = micro(read_pcap(a)), micro(read_pcap(b))
    i = first_difference(x, y)
    if i >= 0:
        print('%s (%d packets) and %s (%d) differ at #%d' % (a, len(x), b, len(y), i + 1))
        return 1
    print('%s: %d packets, as %s' % (a, len(x), b))
    return 0


def printed(txt, ours, *names):
    _, got = read_pcapng(ours)
    with open(txt, encoding='utf-8', errors='replace') as f:
        lines = [l.split() for l in f if l.strip()]
    bad = 0
    if len(lines) != len(got):
        print('--print: %d lines, the pcapng %d packets' % (len(lines), len(got)))
        return 1
    for k, (words, p) in enumerate(zip(lines, got)):
        sec, _, frac = words[0].partition('.') if words else ('', '', '')
        digits = len(frac) if frac.isdigit() and 0 < len(frac) <= 9 else 9
        ts = '%d.%s' % (p[1] // 10**9, ('%09d' % (p[1] % 10**9))[:digits])
        if len(words) < 2 or words[0] != ts or words[1] != names[p[0]]:
            print('--print line %d: %r, want time %s interface %s' % (k + 1, ' '.join(words[:4]), ts, names[p[0]]))
            bad += 1
            if bad > 5:
                break
    if not bad:
        print('--print: %d lines, each with its packet\'s time and interface' % len(lines))
    return 1 if bad else 0


def isb(path, n):
    """Checks an ISB per interface with isb_ifrecv (option 4) == n."""
    with open(path, 'rb') as f:
        buf = f.read()
    at, idbs, recv = 0, 0, {}
    while at + 12 <= len(buf):
        btype, blen = struct.unpack_from('<II', buf, at)
        if btype == 1:
            idbs += 1
        if btype == 5:
            body = buf[at + 8:at + blen - 4]
            ifid, o = struct.unpack_from('<I', body, 0)[0], 12
            while o + 4 <= len(body):
                code, olen = struct.unpack_from('<HH', body, o)
                if code == 0:
                    break
                if code == 4:
                    recv[ifid] = struct.unpack_from('<Q', body, o + 4)[0]
                o += 4 + ((olen + 3) & ~3)
        at += blen
    want = {i: int(n) for i in range(idbs)}
    if recv != want:
        print('%s: statistics blocks received %r, want %r' % (path, recv, want))
        return 1
    print('%s: a statistics block per interface, each %s received' % (path, n))
    return 0


def main():
    cmd = sys.argv[1]
    if cmd == 'merged':
        return merged(*sys.argv[2:])
    if cmd == 'isb':
        return isb(*sys.argv[2:4])
    if cmd == 'same':
        return same(*sys.argv[2:4])
    if cmd == 'print':
        return printed(*sys.argv[2:])
    raise SystemExit('unknown command ' + cmd)


if __name__ == '__main__':
    sys.exit(1 if main() else 0)
