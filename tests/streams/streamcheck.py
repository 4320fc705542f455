#!/usr/bin/env python3
"""streamcheck.py - capscope's stream index and TCP analysis against tshark 4.0, per capture.

usage: streamcheck.py --capscope BIN [--root DIR] [--index TSV] [-j N] [-v] [--filters] PATH...

For every capture under PATH (pcap/pcapng files whose link type capscope decodes, as
crosscheck.py finds them):
  1. `capscope -r F -T fields -e frame.number -e tcp.stream ...` against the same
     `tshark -n -r F <prefs> -T fields ...`, line by line and column by column; time values
     (tcp.analysis.ack_rtt, initial_rtt, tcp.time_*) may differ by 1 us;
  2. the "[TCP ...] " notes --print puts in the Info text against those of tshark's Info
     column (_ws.col.Info, the last column of the same tshark run);
  3. for each analysis flag, the frames where capscope shows the field tcp.analysis.FLAG
     against those where tshark does: in one pass a field is present exactly where
     `-Y tcp.analysis.FLAG` selects the frame, so one run of each tool gives every flag;
  4. with --filters (the generated captures), that claim itself: capscope's own
     `-Y tcp.analysis.FLAG` run for every flag selects the frames its fields show it on, and
     tshark's `-Y tcp.analysis.flags` run (one per capture: tshark's start-up is most of the
     time, 16 runs per capture took the generated run past its 300 s limit on a slow machine)
     selects the frames its fields show any flag on.
One tshark run and two capscope runs per capture without --filters.
<prefs> are crosscheck.py's (no IP defragmentation, no TCP reassembly: capscope decodes each
packet alone; TCP analysis itself does not depend on reassembly).

A difference is a failure unless streams_explained.py lists (file, field) with its reason:
those are printed and counted as skips; an entry for a checked file that no longer differs is a
failure too. Prints "N passed, N failed, N skipped"; exit 1 on a failure.
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'corpus'))
import crosscheck  # noqa: E402  (file walk, link types, tshark prefs)

FIELDS = ['tcp.stream', 'udp.stream', 'tcp.seq', 'tcp.ack', 'tcp.nxtseq', 'tcp.len',
          'tcp.window_size', 'tcp.time_relative', 'tcp.time_delta', 'tcp.analysis',
          'tcp.analysis.acks_frame', 'tcp.analysis.ack_rtt', 'tcp.analysis.initial_rtt',
          'tcp.analysis.bytes_in_flight', 'tcp.analysis.duplicate_ack_num',
          'tcp.analysis.duplicate_ack_frame']
FLAGS = ['flags', 'retransmission', 'fast_retransmission', 'spurious_retransmission',
         'out_of_order', 'lost_segment', 'ack_lost_segment', 'duplicate_ack', 'zero_window',
         'zero_window_probe', 'zero_window_probe_ack', 'window_full', 'window_update',
         'keep_alive', 'keep_alive_ack', 'reused_ports']
TIME_FIELDS = {'tcp.time_relative', 'tcp.time_delta', 'tcp.analysis.ack_rtt',
               'tcp.analysis.initial_rtt'}

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from streams_explained import EXPLAINED  # noqa: E402

COLS = ['frame.number'] + FIELDS + ['tcp.analysis.' + f for f in FLAGS]
FLAG0 = 1 + len(FIELDS)  # the first flag column


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    return p.stdout.decode('utf-8', 'surrogateescape')


def close_times(a, b):
    try:
        return abs(float(a) - float(b)) <= 1e-6
    except ValueError:
        return False


def same_value(field, a, b):
    if a == b:
        return True
    if field in TIME_FIELDS:
        va, vb = a.split(','), b.split(',')
        return len(va) == len(vb) and all(close_times(x, y) for x, y in zip(va, vb))
    return False


def tshark_rows(path):
    """One tshark pass: every column of COLS, then the Info column (last: it may hold tabs)."""
    args = sum([['-e', c] for c in COLS + ['_ws.col.Info']], [])
    out = run(['tshark', '-n', '-r', path] + crosscheck.TSHARK_PREFS + ['-T', 'fields'] + args)
    return [line.split('\t', len(COLS)) for line in out.split('\n')]


def capscope_rows(binary, path):
    args = sum([['-e', c] for c in COLS], [])
    return [line.split('\t') for line in run([binary, '-r', path, '--no-reassembly', '-T', 'fields'] + args).split('\n')]


def flag_frames(rows):
    """{flag: frames where its field is present}: in one pass, exactly the frames -Y selects."""
    out = {fl: set() for fl in FLAGS}
    for r in rows:
        if len(r) >= len(COLS):
            for j, fl in enumerate(FLAGS):
                if r[FLAG0 + j]:
                    out[fl].add(r[0])
    return out


def compare_fields(cs, ts, diffs, sample):
    for a, b in zip(cs, ts):
        if len(a) != len(COLS) or len(b) < len(COLS):
            continue
        for i, name in enumerate(COLS[1:FLAG0], start=1):
            if not same_value(name, a[i], b[i]):
                diffs.setdefault(name, []).append(a[0])
                sample.setdefault(name, (a[0], a[i], b[i]))
    if len(cs) != len(ts):
        diffs['lines'] = ['%d vs %d' % (len(cs), len(ts))]
        sample['lines'] = ('-', len(cs), len(ts))


NOTE = re.compile(r'\[TCP [^\]]*\] ')


def compare_info(binary, path, ts, diffs, sample):
    """The Info notes of --print against tshark's, anywhere in either line: tshark's come first
    unless a dissector above TCP prefixes the column after them (SSH's "Client: ")."""
    cs = run([binary, '-r', path, '--no-reassembly', '--print']).split('\n')
    for a, b in zip(cs, ts):
        info = b[len(COLS)] if len(b) > len(COLS) else ''
        mine, theirs = ''.join(NOTE.findall(a)), ''.join(NOTE.findall(info))
        if mine != theirs:
            diffs.setdefault('info notes', []).append(b[0])
            sample.setdefault('info notes', (b[0], mine, theirs))


def frames_selected(cmd):
    return {x for x in run(cmd).split('\n') if x}


def check_filters(binary, path, mine, theirs, diffs, sample):
    """The display filter path itself: `-Y tcp.analysis.FLAG` of each tool selects the frames
    its own fields show the flag on (tshark: the union flag only, the rest is tshark checking
    itself). Never explained: a mismatch is a bug in one tool's run."""
    for fl in FLAGS:
        y = ['-Y', 'tcp.analysis.' + fl, '-T', 'fields', '-e', 'frame.number']
        runs = [('capscope', [binary, '-r', path, '--no-reassembly'] + y, mine[fl])]
        if fl == 'flags':
            runs.append(('tshark', ['tshark', '-n', '-r', path] + crosscheck.TSHARK_PREFS + y,
                         theirs[fl]))
        for who, cmd, want in runs:
            got = frames_selected(cmd)
            if got != want:
                key = '%s -Y tcp.analysis.%s' % (who, fl)
                diffs[key] = sorted(got ^ want, key=int)
                sample[key] = ('-', ','.join(sorted(got, key=int)[:8]),
                               'fields ' + ','.join(sorted(want, key=int)[:8]))


def check_file(binary, path, root, filters):
    rel = os.path.relpath(path, root)
    diffs, sample = {}, {}
    cs, ts = capscope_rows(binary, path), tshark_rows(path)
    compare_fields(cs, ts, diffs, sample)
    compare_info(binary, path, ts, diffs, sample)
    mine, theirs = flag_frames(cs), flag_frames(ts)
    for fl in FLAGS:
        if mine[fl] != theirs[fl]:
            key = 'flag:' + fl
            diffs[key] = sorted(mine[fl] ^ theirs[fl], key=int)
            sample[key] = ('only capscope', ','.join(sorted(mine[fl] - theirs[fl], key=int)[:8]),
                           'only tshark ' + ','.join(sorted(theirs[fl] - mine[fl], key=int)[:8]))
    if filters:
        check_filters(binary, path, mine, theirs, diffs, sample)
    return rel, diffs, sample


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--capscope', required=True)
    ap.add_argument('--root')
    ap.add_argument('--index')
    ap.add_argument('-j', type=int, default=2)
    ap.add_argument('-v', action='store_true')
    ap.add_argument('--filters', action='store_true',
                    help='also run -Y tcp.analysis.FLAG in both tools for every flag')
    ap.add_argument('paths', nargs='+')
    a = ap.parse_args()
    index = crosscheck.read_index(a.index)
    root = a.root or os.path.commonpath([os.path.abspath(p) for p in a.paths])
    files = []
    for f in crosscheck.find_files(a.paths):
        rel = os.path.relpath(os.path.abspath(f), root)
        if index.get(rel, {}).get('libpcap_opens') == 'n':
            continue
        if crosscheck.linktype_name(f, rel, index) in crosscheck.SUPPORTED_NAMES:
            files.append(f)
    passed = failed = skipped = 0
    with concurrent.futures.ThreadPoolExecutor(a.j) as ex:
        results = list(ex.map(lambda f: check_file(a.capscope, f, root, a.filters), files))
    for rel, diffs, sample in sorted(results):
        bad = False
        for key, frames in sorted(diffs.items()):
            why = EXPLAINED.get((rel, key))
            s = sample[key]
            if why:
                skipped += 1
                print('skip: %s %s (%d frames): %s' % (rel, key, len(frames), why))
            else:
                bad = True
                print('FAIL: %s %s: %d frames, e.g. frame %s capscope %r tshark %r' %
                      (rel, key, len(frames), s[0], s[1], s[2]))
        for r, key in sorted(EXPLAINED):
            if r == rel and key not in diffs:
                bad = True
                print('FAIL: %s %s: explained in streams_explained.py but no longer differs '
                      '(remove the entry)' % (rel, key))
        if bad:
            failed += 1
        else:
            passed += 1
            if a.v:
                print('ok: ' + rel)
    print('%d passed, %d failed, %d skipped' % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
