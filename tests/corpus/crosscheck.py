#!/usr/bin/env python3
"""crosscheck.py - compare capscope --json with tshark -T fields, key by key.

usage: crosscheck.py --capscope BIN [--index INDEX.tsv] [--root DIR] [-j N] PATH...

PATH is a capture file or a folder (searched recursively for *.pcap *.pcapng *.cap). For every
file whose link type capscope decodes, capscope runs once (`-r F --json`) and tshark runs once
with every compared field as `-e`; values are compared on each frame tshark does not mark
malformed (_ws.malformed). Prints every unexplained disagreement, every KNOWN_BUGS one, a count
per exception rule, then "agree: X of Y field values on Z packets (W%)"; exit 0 only when every
disagreement is explained by EXCEPTIONS, KNOWN_BUGS, UNDECODED or the _ws.short rule below
(-v lists each excused one), 1 otherwise, 2 on a usage error.

Normalisation (not exceptions, they are how the two tools spell the same value):
  frame.time_epoch   compared as decimal numbers (tshark prints 9 decimals)
  vlan.id            capscope's array of 802.1Q (0x8100, 0x9100) tag IDs, outermost first; its
                     first element is compared. Like tshark, capscope leaves 802.1ad (0x88a8)
                     S-tag IDs out of vlan.id (tshark calls them ieee8021ad.id)
  hex strings        HEX_FIELDS (eth.type, tcp.flags, gre.proto ...), MAC and IPv6 addresses:
                     case-insensitive
  absent keys        tshark prints an empty value; capscope must omit the key
  dns.qry.name       both escape unprintable bytes, differently: tshark C escapes (\\033, \\a,
                     \\n), \\uXXXX for format characters (U+202E) and U+FFFD for bytes >= 0x80,
                     capscope \\xNN; both are decoded to bytes
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
    'gre.flags_and_version', 'gre.proto', 'gre.key', 'gre.key.call_id', 'gre.sequence_number',
    'gre.ack_number', 'erspan.version', 'erspan.vlan', 'erspan.spanid', 'vxlan.flags', 'vxlan.vni',
    'mpls.label', 'mpls.exp', 'mpls.bottom', 'mpls.ttl', 'pppoe.code', 'pppoe.session_id',
    'pppoe.payload_length', 'ppp.protocol',
]
# Values capscope prints as strings: addresses, times, names and the BASE_HEX fields.
HEX_FIELDS = {'eth.type', 'tcp.flags', 'dns.id', 'gre.flags_and_version', 'gre.proto', 'gre.key',
              'vxlan.flags', 'pppoe.code', 'pppoe.session_id', 'ppp.protocol'}
STRING_KEYS = {'frame.time_epoch', 'eth.src', 'eth.dst', 'ip.src', 'ip.dst', 'ipv6.src',
               'ipv6.dst', 'dns.qry.name'} | HEX_FIELDS
HEXLIKE = {'eth.src', 'eth.dst', 'ipv6.src', 'ipv6.dst'} | HEX_FIELDS

# Link types capscope decodes: DLT/LINKTYPE numbers and the names INDEX.tsv uses.
SUPPORTED_LINKTYPES = {0: 'NULL', 1: 'EN10MB', 101: 'RAW', 108: 'LOOP', 113: 'LINUX_SLL',
                       276: 'LINUX_SLL2', 228: 'IPV4', 229: 'IPV6'}
SUPPORTED_NAMES = set(SUPPORTED_LINKTYPES.values())

SNAP = ('the file declares a snaplen smaller than this record; libpcap, which capscope reads '
        'through, cuts the record to the snaplen (tcpdump shows the same), tshark keeps it whole')
SPB = ('a pcapng Simple Packet Block has no timestamp: tshark shows none, libpcap reports 0 and '
       'capscope prints what libpcap gives')
CB_FRAMES = ('tshark numbers the Custom Blocks of this pcapng as frames (1, 4, 6, 8), libpcap skips '
             'them, so from frame 1 on the two number different packets')
SSRR = ('strict source route option: tshark gives ip.dst the route\'s final destination (here '
        '0.0.0.0, "Via 10.0.0.138"); capscope, like tcpdump, reports the header\'s destination field')
DNS_TCP_CONT = ('a continuation segment of a DNS-over-TCP message that spans segments: tshark tracks '
                'the stream and sees no message start; capscope decodes packets without state, so '
                'the segment\'s first bytes read as a DNS header')
LYING_IP = ('IPv4 total length below the header length: tshark reports "Bogus IP length" before '
            'adding the addresses, ttl, protocol and offset; capscope shows the fixed header it read '
            'and marks invalid ip.len')
LYING_TCP = ('TCP data offset 3 (12 bytes): tshark reports "Bogus TCP header length" and omits the '
             'flags and ack it has not added yet; capscope shows them and marks invalid tcp.hdr_len')
GRE_VERSION = ('GRE version 3 (RFC 2784 defines 0, RFC 2637 1): capscope, like tcpdump '
               '("unknown-version"), marks invalid gre.version and stops; tshark decodes the '
               'payload as for version 0')
MPLS_NEST = ("an MPLS label stack deeper than DISS_MAX_NEST (8): capscope stops there by design "
             "(bounded work per packet, '[nesting too deep]'), tshark reads on to the IPv4 header "
             "under it")
TS_USEC = ('a microsecond field >= 10^6 (deliberately invalid): tshark prints the raw count as '
           'the fraction ("1700000000.2000000000", or a negative time); capscope carries the whole '
           'seconds into the seconds field, so the times cannot be compared')

UNDEC_GENEVE = 'Geneve (UDP 6081) and the frame inside'
UNDEC_VXLAN_GPE = 'VXLAN-GPE (UDP 4790, which tshark shows with vxlan.* fields) and the NSH inside'
UNDEC_MPLS_PW = ('an Ethernet pseudowire with a control word after the MPLS stack (first nibble '
                 '0): tshark finds it by heuristics, capscope hands on only IPv4 and IPv6 by the '
                 'first nibble (RFC 4928) and shows the rest as data')
UNDEC_L2TP = 'L2TP (UDP 1701) and the PPP/IPv6 inside it, in frames carried by PPPoE'
UNDEC_NHRP = 'NHRP (GRE type 0x2001), whose error indications quote an IP packet'
UNDEC_WCCP = 'WCCP redirect (GRE type 0x883e): a redirect header, then the redirected IP packet'
UNDEC_PIM_REG = 'PIM Register messages, which carry a whole multicast IP packet'
UNDEC_AH = 'IPsec AH (IP proto 51) and the TCP after it'
UNDEC_SNAP_LLC = '802.3 frames with an LLC/SNAP header (capscope shows them as data, as its eth.c says)'
UNDEC_VNTAG = 'VN-Tag (ethertype 0x8926) and the VLAN/IP after it'
UNDEC_MACSEC = 'MACsec (ethertype 0x88e5) with integrity only, and the IP inside'
UNDEC_SFLOW = 'sFlow samples (UDP 6343), which carry sampled packet headers'
UNDEC_OPENFLOW = 'OpenFlow packet-in/out messages, which carry whole Ethernet frames'
UNDEC_DNS_8053 = 'DNS on UDP port 8053: tshark finds it heuristically, capscope (like tcpdump without -T domain) dispatches DNS by port 53/5353/5355 only'
UNDEC_NEST = "encapsulation deeper than DISS_MAX_NEST (8): capscope stops there by design (bounded work per packet, '[nesting too deep]'), tshark goes on to the innermost UDP"

# Disagreements that are not capscope decoding wrongly. Every entry says why capscope is
# right or why the difference is out of scope; a capscope decoding bug is fixed, or reported
# to the lead and listed in KNOWN_BUGS (printed on every run), never hidden here.
#
# EXCEPTIONS: (file relative to --root, frame number or '*', key or '*') -> reason. Exact
# keys are preferred; '*' is used where one cause covers a whole file.
EXCEPTIONS = {
    # -- how the file is read: capscope reads through libpcap 1.10, tshark through wiretap
    ('tcpdump/vrrp-vrrp_print-oobr-2.pcap', '*', 'frame.cap_len'): SNAP,
    ('tcpdump/lmp-lmp_print_data_link_subobjs-oobr.pcap', '*', 'frame.cap_len'): SNAP,
    ('tcpdump/mobility_opt_asan.pcap', '*', 'frame.cap_len'): SNAP,
    ('tcpdump/smb_print_trans-oobr2.pcap', '*', 'frame.cap_len'): SNAP,
    ('tcpdump/extract_read2_asan.pcap', '*', 'frame.cap_len'): SNAP,
    ('tcpdump/icmp-icmp_print-oobr-1.pcap', '*', 'frame.cap_len'): SNAP,
    ('tcpdump/pim-packet-assortment.pcap', '*', 'frame.cap_len'): SNAP,
    ('synthetic/cases/F09-caplen-gt-snaplen.pcap', '*', 'frame.cap_len'): SNAP,
    ('pcapng_format/be__basic__test010.pcapng', '*', 'frame.time_epoch'): SPB,
    ('pcapng_format/le__basic__test010.pcapng', '*', 'frame.time_epoch'): SPB,
    ('pcapng_format/be__basic__test011.pcapng', '*', 'frame.time_epoch'): SPB,
    ('pcapng_format/le__basic__test011.pcapng', '*', 'frame.time_epoch'): SPB,
    ('pcapng_format/be__basic__test012.pcapng', '*', 'frame.time_epoch'): SPB,
    ('pcapng_format/be__basic__test016.pcapng', '*', 'frame.time_epoch'): SPB,
    ('pcapng_format/le__advanced__test100.pcapng', '*', 'frame.time_epoch'): SPB,
    ('pcapng_format/be__basic__test018.pcapng', '*', '*'): CB_FRAMES,
    ('pcapng_format/le__basic__test018.pcapng', '*', '*'): CB_FRAMES,
    # -- the same bytes, different meaning
    ('realworld/pcapplusplus/ipv4-options.pcap', 6, 'ip.dst'): SSRR,
    ('realworld/pcapplusplus/ipv4-options.pcap', 7, 'ip.dst'): SSRR,
    ('realworld/zeek/dns__tkey.pcap', 5, 'dns.id'): DNS_TCP_CONT,
    ('realworld/zeek/dns__tkey.pcap', 7, 'dns.id'): DNS_TCP_CONT,
    ('lying-dns-loop.pcap', 1, 'dns.qry.name'):
        'the name\'s compression pointer loops: tshark prints the placeholder "<Name contains a '
        'pointer that loops>" as the name, capscope has no name (it marks invalid dns.name_ptr '
        'and still reports the type and class after the pointer, as tshark does)',
    # -- a lying length: tshark stops before adding the fields capscope already read (those
    #    fields lie inside the captured, well-formed fixed header; capscope marks the lie)
    ('lying-ip-ihl-long.pcap', 1, 'ip.src'): LYING_IP,
    ('lying-ip-ihl-long.pcap', 1, 'ip.dst'): LYING_IP,
    ('lying-ip-ihl-long.pcap', 1, 'ip.proto'): LYING_IP,
    ('lying-ip-ihl-long.pcap', 1, 'ip.ttl'): LYING_IP,
    ('lying-ip-ihl-long.pcap', 1, 'ip.frag_offset'): LYING_IP,
    ('lying-ip-len-short.pcap', 1, 'ip.src'): LYING_IP,
    ('lying-ip-len-short.pcap', 1, 'ip.dst'): LYING_IP,
    ('lying-ip-len-short.pcap', 1, 'ip.proto'): LYING_IP,
    ('lying-ip-len-short.pcap', 1, 'ip.ttl'): LYING_IP,
    ('lying-ip-len-short.pcap', 1, 'ip.frag_offset'): LYING_IP,
    ('realworld/zeek/trunc__mpls-6in6-broken.pcap', 775, 'ip.src'): LYING_IP,
    ('realworld/zeek/trunc__mpls-6in6-broken.pcap', 775, 'ip.dst'): LYING_IP,
    ('realworld/zeek/trunc__mpls-6in6-broken.pcap', 775, 'ip.proto'): LYING_IP,
    ('realworld/zeek/trunc__mpls-6in6-broken.pcap', 775, 'ip.ttl'): LYING_IP,
    ('realworld/zeek/trunc__mpls-6in6-broken.pcap', 775, 'ip.frag_offset'): LYING_IP,
    ('lying-tcp-doff.pcap', 1, 'tcp.flags'): LYING_TCP,
    ('lying-tcp-doff.pcap', 1, 'tcp.ack_raw'): LYING_TCP,
    ('realworld/zeek/trunc__mpls-6in6-broken.pcap', 674, 'ip.len'): MPLS_NEST,
    ('realworld/zeek/trunc__mpls-6in6-broken.pcap', 1735, 'ip.len'): MPLS_NEST,
    ('lying-gre-version.pcap', 1, 'udp.srcport'): GRE_VERSION,
    ('lying-gre-version.pcap', 1, 'udp.dstport'): GRE_VERSION,
    ('lying-gre-version.pcap', 1, 'udp.length'): GRE_VERSION,
    ('synthetic/cases/F16-usec-overflow.pcap', '*', 'frame.time_epoch'): TS_USEC,
    ('tcpdump/timestamp_invalid_micro.pcap', 2, 'frame.time_epoch'): TS_USEC,
}

# KNOWN_BUGS: same form; capscope is wrong outside src/decode and the fix is pending.
KNOWN_BUGS = {
}

# UNDECODED: file -> the encapsulation tshark decodes and capscope does not. Excuses only
# values capscope leaves absent (fields tshark finds inside the tunnel); every value both
# tools print must still agree, so outer headers stay fully compared.
UNDECODED = {
    'tcpdump/nhrp-trace.pcap': UNDEC_NHRP,
    'tcpdump/wccp_redirect_gre.pcap': UNDEC_WCCP,
    'tcpdump/nsh-over-vxlan-gpe.pcap': UNDEC_VXLAN_GPE,
    'tcpdump/geneve.pcap': UNDEC_GENEVE,
    'tcpdump/geneve-gcp.pcap': UNDEC_GENEVE,
    'tcpdump/gso-ipv6-geneve-ipv4.pcap': UNDEC_GENEVE,
    'realworld/pcapplusplus/MplsPackets.pcap': UNDEC_MPLS_PW,
    'realworld/dpkt/nb6-http.pcap': UNDEC_L2TP,
    'tcpdump/PIM_register_register-stop.pcap': UNDEC_PIM_REG,
    'tcpdump/pim-packet-assortment.pcap': UNDEC_PIM_REG,
    'libpcap/filter/AH-IPcomp-IPv4.pcap': UNDEC_AH,
    'realworld/zeek/snap-tcp.pcap': UNDEC_SNAP_LLC,
    'realworld/zeek/vntag.pcap': UNDEC_VNTAG,
    'tcpdump/macsec-integonly.pcap': UNDEC_MACSEC,
    'tcpdump/macsec-short-valid.pcap': UNDEC_MACSEC,
    'tcpdump/sflow-print-v6.pcap': UNDEC_SFLOW,
    'tcpdump/sflow_expanded.pcap': UNDEC_SFLOW,
    'tcpdump/of13_ericsson.pcapng': UNDEC_OPENFLOW,
    'tcpdump/dns_udp_8053.pcap': UNDEC_DNS_8053,
    'synthetic/cases/P30-icmp-error-nested-10.pcap': UNDEC_NEST,
    'synthetic/cases/P32-ip6ip6-nested-100.pcap': UNDEC_NEST,
}

# Frames tshark marks _ws.short ("Packet size limited during capture"): tshark drops a header
# the capture cut as a whole, capscope (like tcpdump) keeps each field that was captured
# complete. Only "capscope has it, tshark absent" is excused on such frames.
SHORT_RULE = '(tshark _ws.short) capscope keeps the complete fields of a header cut by the capture'


def excuse(d):
    """(reason, table key) for a disagreement that is explained, (None, None) otherwise."""
    rel, n, k, cs, ts, short = d
    for table in (EXCEPTIONS, KNOWN_BUGS):
        for key in ((rel, n, k), (rel, n, '*'), (rel, '*', k), (rel, '*', '*')):
            if key in table:
                why = table[key]
                return ('KNOWN BUG: ' + why if table is KNOWN_BUGS else why), key
    if rel in UNDECODED and cs == 'absent' and n != '-':
        return 'not decoded: ' + UNDECODED[rel], rel
    if short and ts == 'absent' and cs != 'absent':
        return SHORT_RULE, 'SHORT_RULE'
    return None, None

TSHARK_PREFS = ['-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE',
                '-o', 'tcp.desegment_tcp_streams:FALSE']


def find_files(paths):
    """The captures under paths, sorted; of a directory's walk, every CORPUS_STEP-th only
    (the environment's, default 1: all), the sample tests/lib/corpus_files.sh takes."""
    step = max(1, int(os.environ.get('CORPUS_STEP', '1') or 1))
    out = []
    for p in paths:
        if os.path.isdir(p):
            walked = []
            for dirpath, dirs, files in os.walk(p):
                dirs.sort()
                for f in sorted(files):
                    if f.endswith(('.pcap', '.pcapng', '.cap')):
                        walked.append(os.path.join(dirpath, f))
            out += walked[::step]
        elif os.path.isfile(p):
            out.append(p)
    return out


def decodable_files(paths, root, index):
    """The captures under paths that libpcap opens and whose link type capscope decodes
    (what the per-capture checkers of tests/streams, tests/fields and tests/follow walk)."""
    out = []
    for f in find_files(paths):
        rel = os.path.relpath(os.path.abspath(f), root)
        if index.get(rel, {}).get('libpcap_opens') == 'n':
            continue
        if linktype_name(f, rel, index) in SUPPORTED_NAMES:
            out.append(f)
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
           '-E', 'quote=n'] + TSHARK_PREFS + ['-e', '_ws.malformed', '-e', '_ws.short']
    for k in KEYS:
        cmd += ['-e', k]
    rc, out, err = run(cmd, 120)
    frames = {}
    for line in out.split('\n'):
        if not line:
            continue
        cols = line.split('\t')
        if len(cols) != len(KEYS) + 2:
            continue
        row = dict(zip(KEYS, cols[2:]))
        row['_malformed'] = cols[0]
        row['_short'] = cols[1]
        try:
            frames[int(row['frame.number'])] = row
        except ValueError:
            pass
    return rc, frames, err


def capscope_frames(binary, path):
    env = dict(os.environ, ASAN_OPTIONS='detect_leaks=1:abort_on_error=1',
               UBSAN_OPTIONS='halt_on_error=1:print_stacktrace=1')
    try:
        p = subprocess.run([binary, '-r', path, '--no-reassembly', '--json'], stdout=subprocess.PIPE,
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
        return str(val[0])
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
            if style == 'tshark' and n in 'uU':  # tshark 4 escapes format characters: \u202E
                w = 4 if n == 'u' else 8
                try:
                    out.extend(chr(int(s[i + 2:i + 2 + w], 16)).encode('utf-8'))
                    i += 2 + w
                    continue
                except ValueError:
                    pass
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
        res['diffs'].append((rel, '-', 'run', 'capscope timed out', '', False))
        return res
    if any(s in cerr for s in ('ERROR: AddressSanitizer', 'runtime error:', 'LeakSanitizer')):
        res['diffs'].append((rel, '-', 'run', 'sanitizer report: ' + cerr.strip().split('\n')[0], '', False))
    if crc not in (0, 1):
        res['diffs'].append((rel, '-', 'run', 'capscope exit %s: %s' % (crc, cerr.strip()[:200]), '', False))
    for b in bad:
        res['diffs'].append((rel, '-', 'json', 'invalid JSON line ' + b, '', False))
    row = index.get(rel)
    if row and row.get('packets', '').isdigit() and len(cfr) != int(row['packets']):
        res['diffs'].append((rel, '-', 'count', 'capscope printed %d packets' % len(cfr),
                             'libpcap reads %s' % row['packets'], False))
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
                                     'absent' if ts == '' else ts, bool(t['_short'])))
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--capscope', required=True)
    ap.add_argument('--index')
    ap.add_argument('--root', help='paths in output and EXCEPTIONS are relative to this')
    # tshark's run is mostly start-up, so more workers than CPUs still shortens the wall time
    ap.add_argument('-j', type=int, default=8, help='files checked at once (default 8)')
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
    unexpected, excused, used, rule_counts = [], [], set(), {}
    for r in results:
        agree += r['agree']
        total += r['total']
        packets += r['packets']
        if a.v:
            for note in r['notes']:
                print('note %s %s' % (r['rel'], note))
        for d in r['diffs']:
            why, key = excuse(d)
            if why is None:
                unexpected.append(d)
            else:
                used.add(key)
                excused.append((d, why))
                rule_counts[key] = rule_counts.get(key, 0) + 1
    for rel, n, k, cs, ts, _ in unexpected:
        print('DIFF %s frame %s %s: capscope=%s tshark=%s' % (rel, n, k, cs, ts))
    for (rel, n, k, cs, ts, _), why in excused:
        if a.v or why.startswith('KNOWN BUG'):
            print('excused %s frame %s %s: capscope=%s tshark=%s (%s)' % (rel, n, k, cs, ts, why))
    for key in sorted(rule_counts, key=str):
        print('excused %4d by %s' % (rule_counts[key], key))
    checked = {rel for _, rel in todo}
    for key in sorted((set(EXCEPTIONS) | set(KNOWN_BUGS) | set(UNDECODED)) - used, key=str):
        if (key if isinstance(key, str) else key[0]) in checked:
            print('stale exception (no longer differs): %s' % (key,))
    print('files: %d compared, skipped: %s' % (
        len(todo), ', '.join('%s=%d' % (k, v) for k, v in sorted(skipped.items(), key=str)) or 'none'))
    pct = 100.0 * agree / total if total else 0.0
    print('agree: %d of %d field values on %d packets (%.3f%%)' % (agree, total, packets, pct))
    field_diffs = sum(1 for d, _ in excused if d[1] != '-') + sum(1 for d in unexpected if d[1] != '-')
    explained = sum(1 for d, _ in excused if d[1] != '-')
    print('agree or explained: %d of %d (%.3f%%)' % (
        agree + explained, agree + field_diffs,
        100.0 * (agree + explained) / (agree + field_diffs) if agree + field_diffs else 0.0))
    print('disagreements: %d unexplained, %d excused (EXCEPTIONS, KNOWN_BUGS, UNDECODED, '
          '_ws.short rule)' % (len(unexpected), len(excused)))
    if total == 0:
        print('crosscheck: nothing was compared')
        return 1
    return 1 if unexpected else 0


if __name__ == '__main__':
    sys.exit(main())
