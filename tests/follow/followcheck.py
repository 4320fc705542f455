#!/usr/bin/env python3
"""followcheck.py - capscope -z follow against tshark 4.0's, per capture, byte for byte.

usage: followcheck.py --capscope BIN [--root DIR] [--index INDEX.tsv] [-j N] [-v] PATH...

For every capture under PATH (pcap/pcapng files whose link type capscope decodes, as
crosscheck.py finds them): the TCP and UDP streams with payload (tcp.len > 0, udp.length > 8,
as capscope numbers them: tests/streams checks that numbering against tshark's), at most MAX_STREAMS of each protocol per file (beyond that an even sample,
and the report says so), each followed in raw, ascii and hex mode. One `tshark -r F -q -z ...`
run takes every -z option of the file (in batches of BATCH) and one `capscope -r F -q -z ...`
run the same; each output block (one per -z) must be identical.

tshark runs with its default preferences, as a user would type the command. A difference is
a failure unless EXPLAINED lists (file, block) or ('*', reason key) with its reason: those
are printed and counted as skips. Prints "N passed, N failed, N skipped"; exit 1 on a failure.
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'corpus'))
import crosscheck  # noqa: E402  (file walk, link types)

MAX_STREAMS = 200
BATCH = 300
MODES = ['raw', 'ascii', 'hex']
SEP = '\n===================================================================\nFollow: '

LIBPCAP_COUNT = ('libpcap reads fewer packets of this file than tshark (pcapng edge cases, '
                 'several interfaces; the corpus README), so a stream has fewer packets')
IP_REASSEMBLY = ('tshark reassembles IP fragments by default and follows the reassembled '
                 'datagram; capscope decodes each packet alone (as the other cross-checks run '
                 'tshark without defragmentation)')
OUTER_UDP = ('tshark numbers every UDP header of a packet (the outer UDP of a tunnel: VXLAN, '
             'Geneve, LWAPP, sFlow, L2TP); capscope numbers the innermost transport, so stream N '
             'is another stream in each tool')
TSHARK_REFUSES = 'tshark refuses this file (a pcapng option longer than its block); libpcap reads it'
IPV6_ENDPOINTS = ('IPv6 with a Home Address option or a routing header: tshark takes the endpoint '
                  'from the extension header, capscope from the IPv6 header')
CAPLEN_SNAPLEN = ('a record whose caplen passes the file\'s snaplen: libpcap cuts it to the snaplen, '
                  'tshark reads it whole')
FCS_BITS = ('the pcap header announces an FCS: tshark strips those trailing bytes from the frame, '
            'capscope keeps them in the payload')
INNER_ADDRESSES = ('tshark files a chunk under the node of the packet\'s last decoded addresses: '
                   'this OpenFlow stream (127.0.0.1 both ends) carries whole Ethernet/IP frames in '
                   'PACKET_OUT/PACKET_IN, so tshark puts those chunks under the wrong node and cuts '
                   'them there; capscope follows the TCP endpoints')

# (file relative to its --root, "tcp N" / "udp N" / "run") -> reason; found on the generated
# captures and the corpus.
EXPLAINED = {
    ('ipv6-ext.pcap', 'udp 1'): IP_REASSEMBLY,  # generated (tests/gen/mkpcap.py)
    ('pcapng_format/be__basic__test005.pcapng', 'run'): LIBPCAP_COUNT,
    ('pcapng_format/be__basic__test005.pcapng', 'udp 0'): LIBPCAP_COUNT,
    ('pcapng_format/be__basic__test008.pcapng', 'run'): LIBPCAP_COUNT,
    ('pcapng_format/be__basic__test008.pcapng', 'udp 0'): LIBPCAP_COUNT,
    ('pcapng_format/le__advanced__test100.pcapng', 'run'): LIBPCAP_COUNT,
    ('pcapng_format/le__advanced__test100.pcapng', 'udp 0'): LIBPCAP_COUNT,
    ('pcapng_format/le__basic__test005.pcapng', 'run'): LIBPCAP_COUNT,
    ('pcapng_format/le__basic__test005.pcapng', 'udp 0'): LIBPCAP_COUNT,
    ('pcapng_format/le__basic__test008.pcapng', 'run'): LIBPCAP_COUNT,
    ('pcapng_format/le__basic__test008.pcapng', 'udp 0'): LIBPCAP_COUNT,
    ('realworld/dpkt/nb6-http.pcap', 'udp 3'): OUTER_UDP,
    ('realworld/pcapplusplus/frag_with_padding.pcap', 'udp 0'): IP_REASSEMBLY,
    ('realworld/zeek/chksums__ip6-hoa-udp-good-chksum.pcap', 'udp 0'): IPV6_ENDPOINTS,
    ('realworld/zeek/chksums__ip6-route0-udp-bad-chksum.pcap', 'udp 0'): IPV6_ENDPOINTS,
    ('realworld/zeek/chksums__ip6-route0-udp-good-chksum.pcap', 'udp 0'): IPV6_ENDPOINTS,
    ('realworld/zeek/ipv4__fragmented-1.pcap', 'udp 0'): IP_REASSEMBLY,
    ('realworld/zeek/ipv6-fragmented-dns.pcap', 'udp 1'): IP_REASSEMBLY,
    ('synthetic/cases/F09-caplen-gt-snaplen.pcap', 'udp 0'): CAPLEN_SNAPLEN,
    ('synthetic/cases/F20-linktype-fcs-bits.pcap', 'udp 0'): FCS_BITS,
    ('synthetic/cases/N10-pcapng-option-len-overrun.pcapng', 'run'): TSHARK_REFUSES,
    ('tcpdump/geneve-gcp.pcap', 'udp 0'): OUTER_UDP,
    ('tcpdump/geneve.pcap', 'udp 0'): OUTER_UDP,
    ('tcpdump/geneve.pcap', 'udp 1'): OUTER_UDP,
    ('tcpdump/geneve.pcap', 'udp 2'): OUTER_UDP,
    ('tcpdump/geneve.pcap', 'udp 3'): OUTER_UDP,
    ('tcpdump/gso-ipv6-geneve-ipv4.pcap', 'udp 0'): OUTER_UDP,
    ('tcpdump/ipv6-srh-insert-cksum.pcap', 'udp 0'): IPV6_ENDPOINTS,
    ('tcpdump/ldp_tlv_print-oobr.pcap', 'udp 0'): CAPLEN_SNAPLEN,
    ('tcpdump/lmp-lmp_print_data_link_subobjs-oobr.pcap', 'udp 0'): CAPLEN_SNAPLEN,
    ('tcpdump/lwapp-data.pcap', 'udp 0'): OUTER_UDP,
    ('tcpdump/lwapp-data.pcap', 'udp 1'): OUTER_UDP,
    ('tcpdump/nsh-over-vxlan-gpe.pcap', 'udp 0'): OUTER_UDP,
    ('tcpdump/of13_ericsson.pcapng', 'tcp 9'): INNER_ADDRESSES,
    ('tcpdump/sflow_expanded.pcap', 'udp 0'): OUTER_UDP,
    ('tcpdump/smb_print_trans-oobr2.pcap', 'udp 0'): CAPLEN_SNAPLEN,
}


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    return p.stdout.decode('utf-8', 'surrogateescape'), p.returncode


def streams_with_payload(binary, path):
    """{'tcp': [numbers], 'udp': [numbers]} that carry payload, as capscope numbers them (its
    numbering is checked against tshark's by tests/streams; asking capscope spares a tshark
    start per file). Streams only tshark numbers (an outer tunnel UDP header) are not compared."""
    out, _ = run([binary, '-r', path, '-T', 'fields', '-e', 'tcp.stream', '-e', 'tcp.len',
                  '-e', 'udp.stream', '-e', 'udp.length'])
    found = {'tcp': set(), 'udp': set()}
    for line in out.split('\n'):
        c = line.split('\t')
        if len(c) != 4:
            continue
        for proto, num, ln, empty in (('tcp', c[0], c[1], 0), ('udp', c[2], c[3], 8)):
            for n, l in zip(num.split(','), ln.split(',')):
                if n.isdigit() and l.isdigit() and int(l) > empty:
                    found[proto].add(int(n))
    return {k: sorted(v) for k, v in found.items()}


def sample(nums):
    if len(nums) <= MAX_STREAMS:
        return nums, False
    step = len(nums) / MAX_STREAMS
    return [nums[int(i * step)] for i in range(MAX_STREAMS)], True


def blocks(text):
    """Output split into follow blocks: {(proto, mode, filter): block text}."""
    out = {}
    for part in text.split(SEP)[1:]:
        head = part.split('\n', 2)
        m = re.match(r'(tcp|udp),(\w+)$', head[0])
        filt = head[1][len('Filter: '):] if len(head) > 1 else ''
        if m:
            out[(m.group(1), m.group(2), filt)] = part
    return out


def check_file(binary, path, root):
    rel = os.path.relpath(path, root)
    found = streams_with_payload(binary, path)
    notes, zs = [], []
    for proto in ('tcp', 'udp'):
        nums, cut = sample(found[proto])
        if cut:
            notes.append('%s: %d of %d %s streams (a sample)' % (rel, len(nums),
                                                                 len(found[proto]), proto))
        zs += ['follow,%s,%s,%d' % (proto, mode, n) for n in nums for mode in MODES]
    diffs = {}
    checked = 0
    for i in range(0, len(zs), BATCH):
        args = sum([['-z', z] for z in zs[i:i + BATCH]], [])
        ts, _ = run(['tshark', '-r', path, '-q'] + args)
        cs, rc = run([binary, '-r', path, '-q'] + args)
        tb, cb = blocks(ts), blocks(cs)
        if rc != 0 or len(cb) != len(tb):
            diffs['run'] = 'capscope exit %d, %d blocks, tshark %d' % (rc, len(cb), len(tb))
        for key, text in tb.items():
            checked += 1
            if cb.get(key) != text:
                proto, mode, filt = key
                diffs.setdefault('%s %s' % (proto, filt.split(' ')[-1]), []).append(mode)
    return rel, diffs, notes, checked


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--capscope', required=True)
    ap.add_argument('--root')
    ap.add_argument('--index')
    ap.add_argument('-j', type=int, default=2)
    ap.add_argument('-v', action='store_true')
    ap.add_argument('paths', nargs='+')
    a = ap.parse_args()
    index = crosscheck.read_index(a.index)
    root = a.root or os.path.commonpath([os.path.abspath(p) for p in a.paths])
    files = crosscheck.decodable_files(a.paths, root, index)
    passed = failed = skipped = blocks_checked = 0
    with concurrent.futures.ThreadPoolExecutor(a.j) as ex:
        results = list(ex.map(lambda f: check_file(a.capscope, f, root), files))
    for rel, diffs, notes, checked in sorted(results):
        blocks_checked += checked
        for n in notes:
            print('note: ' + n)
        bad = False
        for key, what in sorted(diffs.items()):
            why = EXPLAINED.get((rel, key)) or EXPLAINED.get(('*', key))
            what = what if key == 'run' else ','.join(what)
            if why:
                skipped += 1
                print('skip: %s %s (%s): %s' % (rel, key, what, why))
            else:
                bad = True
                print('FAIL: %s %s: %s' % (rel, key, what))
        if bad:
            failed += 1
        else:
            passed += 1
            if a.v:
                print('ok: %s (%d blocks)' % (rel, checked))
    print('%d follow blocks compared in %d files' % (blocks_checked, len(results)))
    print('%d passed, %d failed, %d skipped' % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
