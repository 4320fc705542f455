#!/usr/bin/env python3
"""httpcheck.py - HTTP and TCP reassembly fields of capscope against tshark 4.0, byte for byte.

usage: httpcheck.py --capscope BIN [--no-reassembly] PCAP...

Runs `capscope -r F -T fields -e ...` and `tshark -n -r F -T fields -e ...` with the http.*
fields of the catalogue (the chunked body's too) and tcp.segment, tcp.segment.count,
tcp.reassembled.length; with
reassembly on (both tools' default) or off (--no-reassembly against
-o tcp.desegment_tcp_streams:FALSE). Each line must be the same, column for column, or the
difference explained in EXCEPTIONS (file, frame, field, mode) -> reason, printed as a skip.
Exit 0 when every difference is explained. A last column compares the frames cut short: tshark's
_ws.malformed or _ws.unreassembled ("[Malformed Packet: HTTP]", "[BoundError Unreassembled
Packet: HTTP]") against capscope's --print mark of an HTTP fault ("[invalid http....]").
"""
import argparse
import os
import re
import subprocess
import sys

FIELDS = ['frame.number', 'http.request', 'http.response', 'http.request.method',
          'http.request.uri', 'http.request.version', 'http.response.version',
          'http.response.code', 'http.response.phrase', 'http.request.line',
          'http.response.line', 'http.host', 'http.user_agent', 'http.content_type',
          'http.content_length_header', 'http.content_length', 'http.chunk_size',
          'http.chunk_data', 'http.chunk_boundary', 'http.chunked_trailer_part', 'tcp.segment',
          'tcp.segment.count', 'tcp.reassembled.length']
# tshark's marks of a message cut short (a chunk past its end): one column, "1" or ""
TSHARK_FAULT = ['_ws.malformed', '_ws.unreassembled']

CTRL = ('control bytes in HTTP strings: capscope writes \\xNN; tshark writes them raw without '
        'reassembly and drops them from the reassembled message\'s strings')
ARENA = ('a 20000-byte header line: longer than the dissection\'s text arena (DISS_TEXT_SIZE '
         '4096), so capscope keeps an empty value, tshark the line')
EXCEPTIONS = {}
for f in ('http.request.uri', 'http.request.line', 'http.host'):
    EXCEPTIONS[('http-lying.pcap', 22, f, 'on')] = CTRL
    EXCEPTIONS[('http-lying.pcap', 22, f, 'off')] = CTRL
for m in ('on', 'off'):
    EXCEPTIONS[('http-lying.pcap', 32, 'http.request.line', m)] = ARENA
CUT_LINE = ('reassembly off, headers cut at the segment\'s end: tshark throws on the line '
            'without its end (FragmentBoundsError, "[BoundError Unreassembled Packet]"); capscope '
            'decodes the lines it has and marks no fault (its mark is for chunked bodies)')
for fr in (8, 9):
    EXCEPTIONS[('http-split.pcap', fr, 'fault', 'off')] = CUT_LINE


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    if p.returncode not in (0, 1) or b'Sanitizer' in p.stderr or b'runtime error' in p.stderr:
        sys.exit('%s: exit %d %s' % (cmd[0], p.returncode, p.stderr.decode()[:300]))
    return p.stdout.decode('utf-8', 'surrogateescape').split('\n')[:-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--capscope', required=True)
    ap.add_argument('--no-reassembly', action='store_true')
    ap.add_argument('pcaps', nargs='+')
    a = ap.parse_args()
    mode = 'off' if a.no_reassembly else 'on'
    args = [x for f in FIELDS for x in ('-e', f)]
    bad = skipped = 0
    for pcap in a.pcaps:
        name = os.path.basename(pcap)
        opt = ['--no-reassembly'] if a.no_reassembly else []
        cs = run([a.capscope, '-r', pcap, '-T', 'fields'] + opt + args)
        marks = ['1' if re.search(r' \[(invalid|truncated) http[^]]*\]$', x) else ''
                 for x in run([a.capscope, '-r', pcap, '--print'] + opt)]
        cs = [c + '\t' + k for c, k in zip(cs, marks)]
        ts = run(['tshark', '-n', '-r', pcap, '-T', 'fields'] +
                 (['-o', 'tcp.desegment_tcp_streams:FALSE'] if a.no_reassembly else []) + args +
                 [x for f in TSHARK_FAULT for x in ('-e', f)])
        ts = ['\t'.join(t.split('\t')[:len(FIELDS)] +
                        ['1' if any(t.split('\t')[len(FIELDS):]) else '']) for t in ts]
        if len(cs) != len(ts):
            print('FAIL %s: capscope %d lines, tshark %d' % (name, len(cs), len(ts)))
            bad += 1
            continue
        for cl, tl in zip(cs, ts):
            if cl == tl:
                continue
            frame = int(tl.split('\t')[0])
            for f, c, t in zip(FIELDS + ['fault'], cl.split('\t'), tl.split('\t')):
                if c == t:
                    continue
                why = EXCEPTIONS.get((name, frame, f, mode))
                if why:
                    skipped += 1
                    print('skip %s frame %d %s: %s' % (name, frame, f, why[:70]))
                else:
                    bad += 1
                    print('FAIL %s frame %d %s (reassembly %s): capscope=%r tshark=%r' %
                          (name, frame, f, mode, c[:200], t[:200]))
    print('reassembly %s: %d differences not explained, %d explained' % (mode, bad, skipped))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
