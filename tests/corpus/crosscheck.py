#!/usr/bin/env python3
"""crosscheck.py - compare capscope --json with tshark -T fields, key by key.

usage: crosscheck.py --capscope BIN [--index INDEX.tsv] [--root DIR] [-j N] PATH...

PATH is a capture file or a folder (searched recursively for *.pcap *.pcapng *.cap). For every
file whose link type capscope decodes, capscope runs once (`-r F --json`) and tshark runs once
with every compared field as `-e`; values are compared on each frame tshark does not mark
malformed (_ws.malformed). Prints every disagreement, then
"agree: X of Y field values on Z packets (W%)"; exit 0 only when every disagreement is listed
in EXCEPTIONS below, 1 otherwise, 2 on a usage error.

Normalisation (not exceptions, they are how the two tools spell the same value):
  frame.time_epoch   compared as decimal numbers (tshark prints 9 decimals)
  vlan.id            capscope's array, outermost first; tshark's vlan.id is the first 802.1Q
                     tag and leaves 802.1ad S-tags to ieee8021ad.id, so when eth.type is 0x88a8
                     the second element is compared
  hex strings        eth.type, tcp.flags, dns.id, MAC addresses: case-insensitive
  absent keys        tshark prints an empty value; capscope must omit the key
  dns.qry.name       both escape unprintable bytes, differently: tshark C escapes (\\033, \\a,
                     \\n) and U+FFFD for bytes >= 0x80, capscope \\xNN; both are decoded to bytes
                     and bytes >= 0x80 compared as one "non-ASCII" class (tshark loses them)
Standard library only.
"""
import argparse
import concurrent.futures
import decimal
import json
import os
import struct
import subprocess
import sys

KEYS = [
    'frame.number', 'frame.time_epoch', 'frame.len', 'frame.cap_len',
    'eth.src', 'eth.dst', 'eth.type', 'vlan.id', 'arp.opcode',
    'ip.src', 'ip.dst', 'ip.proto', 'ip.ttl', 'ip.len', 'ip.frag_offset',
    'ipv6.src', 'ipv6.dst', 'ipv6.nxt',
    'udp.srcport', 'udp.dstport', 'udp.length',
    'tcp.srcport', 'tcp.dstport', 'tcp.flags', 'tcp.seq_raw', 'tcp.ack_raw',
    'icmp.type', 'icmp.code', 'icmpv6.type', 'icmpv6.code',
    'dns.id', 'dns.qry.name', 'dns.qry.type',
]
STRING_KEYS = {'frame.time_epoch', 'eth.src', 'eth.dst', 'eth.type', 'ip.src', 'ip.dst',
               'ipv6.src', 'ipv6.dst', 'tcp.flags', 'dns.id', 'dns.qry.name'}
HEXLIKE = {'eth.src', 'eth.dst', 'eth.type', 'tcp.flags', 'dns.id', 'ipv6.src', 'ipv6.dst'}

# Link types capscope decodes: DLT/LINKTYPE numbers and the names INDEX.tsv uses.
SUPPORTED_LINKTYPES = {0: 'NULL', 1: 'EN10MB', 101: 'RAW', 108: 'LOOP', 113: 'LINUX_SLL',
                       276: 'LINUX_SLL2', 228: 'IPV4', 229: 'IPV6'}
SUPPORTED_NAMES = set(SUPPORTED_LINKTYPES.values())

# (file relative to --root, frame number, key) -> why the tools legitimately differ.
# Every entry must say why capscope is right or why the difference is out of scope. A
# capscope bug is reported to the lead, never added here.
EXCEPTIONS = {
}

TSHARK_PREFS = ['-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE',
                '-o', 'tcp.desegment_tcp_streams:FALSE']


def find_files(paths):
    out = []
    for p in paths:
        if os.path.isdir(p):
            for dirpath, dirs, files in os.walk(p):
                dirs.sort()
                for f in sorted(files):
                    if f.endswith(('.pcap', '.pcapng', '.cap')):
                        out.append(os.path.join(dirpath, f))
        elif os.path.isfile(p):
            out.append(p)
    return out


def read_index(path):
    idx = {}
    if not path or not os.path.exists(path):
        return idx
    with open(path, encoding='utf-8', errors='replace') as f:
        head = f.readline().rstrip('\n').split('\t')
        for line in f:
            row = dict(zip(head, line.rstrip('\n').split('\t')))
            idx[row.get('path', '')] = row
    return idx


def header_linktype(path):
    """Link type from a pcap header or the first pcapng IDB; None if unknown."""
    try:
        with open(path, 'rb') as f:
            b = f.read(4096)
    except OSError:
        return None
    if len(b) < 24:
        return None
    m = b[:4]
    if m in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
        return struct.unpack('<I', b[20:24])[0] & 0xFFFF
    if m in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        return struct.unpack('>I', b[20:24])[0] & 0xFFFF
    if m == b'\x0a\x0d\x0d\x0a' and len(b) >= 12:
        e = '<' if b[8:12] == b'\x4d\x3c\x2b\x1a' else '>'
        off = 0
        for _ in range(16):
            if off + 12 > len(b):
                return None
            btype, blen = struct.unpack(e + 'II', b[off:off + 8])
            if btype == 1:
                return struct.unpack(e + 'H', b[off + 8:off + 10])[0]
            if blen < 12:
                return None
            off += blen
    return None


def linktype_name(path, rel, index):
    row = index.get(rel)
    if row and row.get('dlt') not in (None, '', '-'):
        d = row['dlt']
        if d.isdigit():
            return SUPPORTED_LINKTYPES.get(int(d), 'DLT%s' % d)
        return d
    lt = header_linktype(path)
    if lt is None:
        return None
    return SUPPORTED_LINKTYPES.get(lt, 'DLT%d' % lt)


def run(cmd, timeout):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
        return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')
    except subprocess.TimeoutExpired:
        return 'timeout', '', ''


def tshark_frames(path):
    cmd = ['tshark', '-n', '-r', path, '-T', 'fields', '-E', 'occurrence=f', '-E', 'separator=/t',
           '-E', 'quote=n'] + TSHARK_PREFS + ['-e', '_ws.malformed']
    for k in KEYS:
        cmd += ['-e', k]
    rc, out, err = run(cmd, 120)
    frames = {}
    for line in out.split('\n'):
        if not line:
            continue
        cols = line.split('\t')
        if len(cols) != len(KEYS) + 1:
            continue
        row = dict(zip(KEYS, cols[1:]))
        row['_malformed'] = cols[0]
        try:
            frames[int(row['frame.number'])] = row
        except ValueError:
            pass
    return rc, frames, err


def capscope_frames(binary, path):
    env = dict(os.environ, ASAN_OPTIONS='detect_leaks=1:abort_on_error=1',
               UBSAN_OPTIONS='halt_on_error=1:print_stacktrace=1')
    try:
        p = subprocess.run([binary, '-r', path, '--json'], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60, env=env)
    except subprocess.TimeoutExpired:
        return 'timeout', {}, 'timeout', []
    frames, bad = {}, []
    for i, line in enumerate(p.stdout.decode('utf-8', 'replace').split('\n')):
        if not line:
            continue
        try:
            o = json.loads(line)
            frames[int(o['frame.number'])] = o
        except (ValueError, KeyError, TypeError) as e:
            bad.append('line %d: %s: %.120s' % (i + 1, e, line))
    return p.returncode, frames, p.stderr.decode('utf-8', 'replace'), bad


def norm_capscope(key, val, obj):
    """capscope's value as text comparable with tshark's, or None when absent."""
    if val is None:
        return None
    if key == 'vlan.id':
        if not isinstance(val, list) or not val:
            return 'BAD:%r' % (val,)
        i = 1 if str(obj.get('eth.type', '')).lower() == '0x88a8' else 0
        return str(val[i]) if i < len(val) else None
    if key in STRING_KEYS:
        if not isinstance(val, str):
            return 'BAD-TYPE:%r' % (val,)
    else:
        if isinstance(val, bool) or not isinstance(val, int):
            return 'BAD-TYPE:%r' % (val,)
    return str(val)


C_ESC = {'a': 7, 'b': 8, 'f': 12, 'n': 10, 'r': 13, 't': 9, 'v': 11, '\\': 92, '"': 34, "'": 39}


def dns_name_bytes(s, style):
    """Decodes an escaped DNS name to bytes; every byte >= 0x80 (or U+FFFD) becomes 0x80."""
    out, i = bytearray(), 0
    while i < len(s):
        ch = s[i]
        if ch == '\\' and i + 1 < len(s):
            n = s[i + 1]
            if style == 'capscope' and n == 'x':
                try:
                    out.append(int(s[i + 2:i + 4], 16))
                    i += 4
                    continue
                except ValueError:
                    pass
            if style == 'tshark' and n in C_ESC:
                out.append(C_ESC[n])
                i += 2
                continue
            if style == 'tshark' and s[i + 1:i + 4].isdigit() and len(s[i + 1:i + 4]) == 3:
                out.append(int(s[i + 1:i + 4], 8) & 0xFF)
                i += 4
                continue
            if style == 'capscope' and n == '\\':
                out.append(92)
                i += 2
                continue
        out.extend(b'\x80' if ch == '\ufffd' else ch.encode('utf-8'))
        i += 1
    return bytes(0x80 if b >= 0x80 else b for b in out)


def same(key, cs, ts):
    if key == 'dns.qry.name':
        return cs == ts or dns_name_bytes(cs, 'capscope') == dns_name_bytes(ts, 'tshark')
    if key == 'frame.time_epoch':
        try:
            return decimal.Decimal(cs) == decimal.Decimal(ts)
        except decimal.InvalidOperation:
            return False
    if key in HEXLIKE:
        return cs.lower() == ts.lower()
    return cs == ts


def check_file(binary, path, rel, index):
    res = {'rel': rel, 'diffs': [], 'agree': 0, 'total': 0, 'packets': 0, 'notes': []}
    crc, cfr, cerr, bad = capscope_frames(binary, path)
    trc, tfr, terr = tshark_frames(path)
    if crc == 'timeout':
        res['diffs'].append((rel, '-', 'run', 'capscope timed out', ''))
        return res
    if any(s in cerr for s in ('ERROR: AddressSanitizer', 'runtime error:', 'LeakSanitizer')):
        res['diffs'].append((rel, '-', 'run', 'sanitizer report: ' + cerr.strip().split('\n')[0], ''))
    if crc not in (0, 1):
        res['diffs'].append((rel, '-', 'run', 'capscope exit %s: %s' % (crc, cerr.strip()[:200]), ''))
    for b in bad:
        res['diffs'].append((rel, '-', 'json', 'invalid JSON line ' + b, ''))
    row = index.get(rel)
    if row and row.get('packets', '').isdigit() and len(cfr) != int(row['packets']):
        res['diffs'].append((rel, '-', 'count', 'capscope printed %d packets' % len(cfr),
                             'libpcap reads %s' % row['packets']))
    for n in sorted(tfr):
        t = tfr[n]
        if t['_malformed']:
            res['notes'].append('frame %d: tshark malformed, not compared' % n)
            continue
        c = cfr.get(n)
        if c is None:
            continue  # libpcap stopped before this frame (counted above when INDEX knows)
        res['packets'] += 1
        for k in KEYS:
            ts = t[k]
            cs = norm_capscope(k, c.get(k), c)
            if ts == '' and cs is None:
                continue
            res['total'] += 1
            ok = cs is not None and ts != '' and same(k, cs, ts)
            if ok:
                res['agree'] += 1
            else:
                res['diffs'].append((rel, n, k, 'absent' if cs is None else cs,
                                     'absent' if ts == '' else ts))
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--capscope', required=True)
    ap.add_argument('--index')
    ap.add_argument('--root', help='paths in output and EXCEPTIONS are relative to this')
    ap.add_argument('-j', type=int, default=max(2, (os.cpu_count() or 2)))
    ap.add_argument('-v', action='store_true', help='also list frames tshark marks malformed')
    ap.add_argument('paths', nargs='+')
    a = ap.parse_args()
    index = read_index(a.index)
    root = a.root or os.path.commonpath([os.path.abspath(p) for p in a.paths])
    if os.path.isfile(root):
        root = os.path.dirname(root)
    todo, skipped = [], {}
    for f in find_files(a.paths):
        rel = os.path.relpath(os.path.abspath(f), root)
        lt = linktype_name(f, rel, index)
        if index.get(rel, {}).get('libpcap_opens') == 'n':
            skipped['libpcap-refuses'] = skipped.get('libpcap-refuses', 0) + 1
        elif lt in SUPPORTED_NAMES:
            todo.append((f, rel))
        else:
            skipped[lt] = skipped.get(lt, 0) + 1
    if not todo:
        print('crosscheck: no capture with a supported link type under %s' % ' '.join(a.paths))
        return 1
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.j) as ex:
        futs = [ex.submit(check_file, a.capscope, f, rel, index) for f, rel in todo]
        for fu in futs:
            results.append(fu.result())
    agree = total = packets = 0
    unexpected, excused, used = [], [], set()
    for r in results:
        agree += r['agree']
        total += r['total']
        packets += r['packets']
        if a.v:
            for note in r['notes']:
                print('note %s %s' % (r['rel'], note))
        for d in r['diffs']:
            rel, n, k, cs, ts = d
            key = (rel, n, k)
            if key in EXCEPTIONS:
                excused.append(d)
                used.add(key)
            else:
                unexpected.append(d)
    for rel, n, k, cs, ts in unexpected:
        print('DIFF %s frame %s %s: capscope=%s tshark=%s' % (rel, n, k, cs, ts))
    for rel, n, k, cs, ts in excused:
        print('excused %s frame %s %s: capscope=%s tshark=%s (%s)' % (rel, n, k, cs, ts,
                                                                     EXCEPTIONS[(rel, n, k)]))
    for key in sorted(set(EXCEPTIONS) - used, key=str):
        print('stale exception (no longer differs): %s' % (key,))
    print('files: %d compared, skipped: %s' % (
        len(todo), ', '.join('%s=%d' % (k, v) for k, v in sorted(skipped.items(), key=str)) or 'none'))
    pct = 100.0 * agree / total if total else 0.0
    print('agree: %d of %d field values on %d packets (%.3f%%)' % (agree, total, packets, pct))
    print('disagreements: %d unexplained, %d excused by EXCEPTIONS' % (len(unexpected), len(excused)))
    if total == 0:
        print('crosscheck: nothing was compared')
        return 1
    return 1 if unexpected else 0


if __name__ == '__main__':
    sys.exit(main())
