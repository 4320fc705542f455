#!/usr/bin/env python3
"""bpf_prefilter.py - checks display filters' BPF prefilters against capscope -Y (used by
test_dfilter_bpf.sh).

Soundness: for every expression and every capture (one merged pcap per link type), the frames
`tcpdump -r F -w - PREFILTER` keeps must include every frame `capscope -r F -Y EXPR` keeps.
Usefulness (--exact): on a capture without tunnels, the prefilter keeps exactly the display
filter's frames. Frames are numbered by matching each output, in order, against the input's
records (wire length and bytes). capscope's side of a capture is one
`capscope -r F --filter-table TABLE` for all its expressions (the frames -Y would keep, each
expression over one read); a sample of pairs is re-run with real `capscope -r F -Y EXPR -w`
to check that the table keeps what -Y writes.

Usage: bpf_prefilter.py CAPSCOPE UNIT WORKDIR EXPRFILE [--exact EXPR]... PLAIN LINKTYPE:FILE...
(PLAIN: the Ethernet capture without tunnels the --exact rows run on.)
Prints one line per failure and a summary; exit 0 if none failed.
"""
import concurrent.futures
import os
import queue
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'gen'))
import mkpcap  # noqa: E402

DLT_OF_LINKTYPE = {101: 12}
VALIDATE_PAIRS = 8  # pairs per capture re-run with capscope -Y -w  # pcap_datalink() maps LINKTYPE_RAW to DLT_RAW


def whole_frames(path, out):
    """Copies the records of pcap path whose captured length is the wire length into out;
    returns how many were left out. The kernel runs the prefilter on the whole frame, where
    every load BPF's `len` guards is inside it; a record cut by a snap length is not what the
    kernel sees (a load past its end drops it even under `not`)."""
    with open(path, 'rb') as f:
        data = f.read()
    e = '<' if data[:4] in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
    kept, left, pos = [data[:24]], 0, 24
    while pos + 16 <= len(data):
        incl, orig = struct.unpack(e + 'II', data[pos + 8:pos + 16])
        rec = data[pos:pos + 16 + incl]
        pos += 16 + incl
        if incl == orig and len(rec) == 16 + incl:
            kept.append(rec)
        else:
            left += 1
    with open(out, 'wb') as f:
        f.write(b''.join(kept))
    return left


def records(path):
    return [(r[3], r[4]) for r in mkpcap.read_pcap(path)]


def frame_numbers(all_recs, kept, what):
    """Numbers (from 1) of the input frames kept, matched in order."""
    nums, j = [], 0
    for rec in kept:
        while j < len(all_recs) and all_recs[j] != rec:
            j += 1
        if j == len(all_recs):
            raise ValueError('%s wrote a record that is not in the input, or out of order' % what)
        nums.append(j + 1)
        j += 1
    return nums


def prefilters(unit, exprs, dlt):
    """Each expression's (kind, text) on dlt: one run of the unit binary for the whole list
    (a run per expression was ~2,000 sanitizer start-ups)."""
    out = subprocess.run([unit, '--bpf-lines', str(dlt)], input=''.join(e + '\n' for e in exprs),
                         capture_output=True, text=True, timeout=120).stdout.split('\n')
    if len(out) < len(exprs):
        raise SystemExit('test_dfilter --bpf-lines answered %d of %d lines' % (len(out), len(exprs)))
    res = {}
    for e, line in zip(exprs, out):
        kind, _, text = line.strip().partition(': ')
        res[e] = (kind, text)
    return res


def sanitizer_clean(r):
    if 'Sanitizer' in r.stderr or 'runtime error' in r.stderr:
        raise ValueError('sanitizer report from capscope:\n' + r.stderr)


def table_frames(capscope, path, exprs, work):
    """{expression: frames capscope -Y keeps} over one read (--filter-table)."""
    table = os.path.join(work, 'table.txt')
    with open(table, 'w') as f:
        f.write(''.join(e + '\n' for e in exprs))  # expression i is line i + 1
    r = subprocess.run([capscope, '-r', path, '--filter-table', table], capture_output=True,
                       text=True, timeout=600)
    sanitizer_clean(r)
    if r.returncode != 0:
        raise ValueError('capscope --filter-table exits %d: %s' % (r.returncode, r.stderr.strip()))
    kept = {e: set() for e in exprs}
    for line in r.stdout.splitlines():
        row, _, rest = line.partition(' ')
        if rest.startswith('error: '):
            raise ValueError('capscope rejects %r: %s' % (exprs[int(row) - 1], rest))
        kept[exprs[int(row) - 1]].add(int(rest))
    return kept


def kept_by_tcpdump(path, bpf, all_recs, work, slot):
    td = os.path.join(work, 'td-%d.pcap' % slot)
    r = subprocess.run(['tcpdump', '-r', path, '-w', td, bpf], capture_output=True, text=True,
                       timeout=60)
    if r.returncode != 0:
        raise ValueError('tcpdump refused the prefilter: ' + r.stderr.strip().splitlines()[-1])
    return set(frame_numbers(all_recs, records(td), 'tcpdump'))


def kept_by_capscope(capscope, path, expr, all_recs, work, slot):
    cs = os.path.join(work, 'cs-%d.pcap' % slot)
    r = subprocess.run([capscope, '-r', path, '-Y', expr, '-w', cs], capture_output=True,
                       text=True, timeout=60)
    sanitizer_clean(r)
    return set(frame_numbers(all_recs, records(cs), 'capscope'))


def main(argv):
    capscope, unit, work, exprfile = argv[:4]
    exact, groups, rest = [], [], argv[4:]
    while rest[0] == '--exact':
        exact.append(rest[1])
        rest = rest[2:]
    plain = rest[0]
    groups.append((1, plain))
    for arg in rest[1:]:
        lt, _, path = arg.partition(':')
        groups.append((DLT_OF_LINKTYPE.get(int(lt), int(lt)), path))
    with open(exprfile) as f:
        exprs = [ln.rstrip('\n') for ln in f if ln.strip() and not ln.startswith('#')]
    failed, checked, none, wider, validated = 0, 0, 0, 0, 0
    # the (capture, expression) pairs run JOBS at a time (a tcpdump per pair; capscope's side
    # is the capture's table, checked on a sample by a capscope -Y per pair): results are
    # printed in the table's order
    jobs = int(os.environ.get('BPF_JOBS', '2'))
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=jobs)
    slots = queue.Queue()
    for i in range(jobs):
        slots.put(i)

    def one(path, expr, text, all_recs, kept, check):
        slot = slots.get()
        try:
            td = kept_by_tcpdump(path, text, all_recs, work, slot)
            if check:
                cs = kept_by_capscope(capscope, path, expr, all_recs, work, slot)
                if cs != kept[expr]:
                    raise ValueError('capscope --filter-table keeps %s, capscope -Y -w %s'
                                     % (sorted(kept[expr])[:10], sorted(cs)[:10]))
            return td, kept[expr]
        except ValueError as e:
            return e
        finally:
            slots.put(slot)

    for dlt, orig in groups:
        path = os.path.join(work, 'whole-' + os.path.basename(orig))
        left = whole_frames(orig, path)
        if left:
            print('%s: %d records cut by a snap length left out' % (os.path.basename(orig), left))
        all_recs = records(path)
        todo = exact if orig == plain else exprs
        pre = prefilters(unit, todo, dlt)
        with_bpf = [e for e in todo if pre[e][0] == 'bpf']
        none += sum(pre[e][0] == 'none' for e in todo)
        try:
            kept = table_frames(capscope, path, with_bpf, work)
        except ValueError as e:
            print('FAIL: %s: %s' % (os.path.basename(path), e))
            failed += 1
            continue
        step = max(1, len(with_bpf) // VALIDATE_PAIRS)
        sample = set(with_bpf[::step][:VALIDATE_PAIRS])
        validated += len(sample)
        futs = []
        for expr in with_bpf:
            text = pre[expr][1]
            futs.append((expr, text, pool.submit(one, path, expr, text, all_recs, kept,
                                                 expr in sample)))
        for expr, text, fu in futs:
            got = fu.result()
            if isinstance(got, ValueError):
                print('FAIL: %s, -Y %r: %s' % (os.path.basename(path), expr, got))
                failed += 1
                continue
            td, cs = got
            checked += 1
            wider += len(td - cs)
            if not cs <= td:
                failed += 1
                print('FAIL: %s (DLT %d): -Y %r keeps frames %s that the prefilter %r drops'
                      % (os.path.basename(path), dlt, expr, sorted(cs - td)[:10], text))
            elif orig == plain and td != cs:
                failed += 1
                print('FAIL: %s: the prefilter of %r also keeps frames %s'
                      % (os.path.basename(path), expr, sorted(td - cs)[:10]))
            elif orig == plain:
                print('exact: %s: -Y %r and its prefilter keep the same %d of %d frames'
                      % (os.path.basename(path), expr, len(cs), len(all_recs)))
    pool.shutdown()
    print('%d (expression, capture) pairs checked sound, %d failed; %d pairs had no prefilter;'
          ' the prefilters kept %d frames more than the display filters; %d pairs re-run with'
          ' capscope -Y -w against --filter-table' % (checked, failed, none, wider, validated))
    return 1 if failed or checked == 0 else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
