#!/usr/bin/env python3
"""httpcheck.py - HTTP and TCP reassembly fields of capscope against tshark 4.0, byte for byte.

usage: httpcheck.py --capscope BIN [--no-reassembly] PCAP...

Runs `capscope -r F -T fields -e ...` and `tshark -n -r F -T fields -e ...` with the http.*
fields of the catalogue and tcp.segment, tcp.segment.count, tcp.reassembled.length; with
reassembly on (both tools' default) or off (--no-reassembly against
-o tcp.desegment_tcp_streams:FALSE). Each line must be the same, column for column, or the
difference explained in EXCEPTIONS (file, frame, field, mode) -> reason, printed as a skip.
Exit 0 when every difference is explained.
"""
import argparse
import os
import subprocess
import sys

FIELDS = ['frame.number', 'http.request', 'http.response', 'http.request.method',
          'http.request.uri', 'http.request.version', 'http.response.version',
          'http.response.code', 'http.response.phrase', 'http.request.line',
          'http.response.line', 'http.host', 'http.user_agent', 'http.content_type',
          'http.content_length_header', 'http.content_length', 'tcp.segment',
          'tcp.segment.count', 'tcp.reassembled.length']

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
        cs = run([a.capscope, '-r', pcap, '-T', 'fields'] +
                 (['--no-reassembly'] if a.no_reassembly else []) + args)
        ts = run(['tshark', '-n', '-r', pcap, '-T', 'fields'] +
                 (['-o', 'tcp.desegment_tcp_streams:FALSE'] if a.no_reassembly else []) + args)
        if len(cs) != len(ts):
            print('FAIL %s: capscope %d lines, tshark %d' % (name, len(cs), len(ts)))
            bad += 1
            continue
        for cl, tl in zip(cs, ts):
            if cl == tl:
                continue
            frame = int(tl.split('\t')[0])
            for f, c, t in zip(FIELDS, cl.split('\t'), tl.split('\t')):
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
