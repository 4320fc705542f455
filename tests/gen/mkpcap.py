#!/usr/bin/env python3
"""mkpcap.py - deterministic pcap writer and packet builders for capscope's tests.

Standard library only. Every capture is a pure function of its name (and arguments): the same
command always writes the same bytes, so expected outputs can be checked in.

  mkpcap.py NAME -o OUT           write one named capture (see --list)
  mkpcap.py mixed [N] -o OUT      N packets (default 1000) of mixed sizes/protocols, unique payloads
  mkpcap.py demo -o assets/demo.pcap
  mkpcap.py --list                the names
  mkpcap.py --dump FILE           print the link type and precision, then "sec frac caplen len hex"
                                  per record (for byte comparisons)

Builders return bytes with correct lengths and checksums unless asked to lie.
"""
import argparse
import struct
import sys

# ---------------------------------------------------------------- link types
LINKTYPE_NULL = 0
LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101
LINKTYPE_LOOP = 108
LINKTYPE_LINUX_SLL = 113
LINKTYPE_IPV4 = 228
LINKTYPE_IPV6 = 229
LINKTYPE_LINUX_SLL2 = 276

ETH_IPV4 = 0x0800
ETH_ARP = 0x0806
ETH_VLAN = 0x8100
ETH_QINQ = 0x88A8
ETH_IPV6 = 0x86DD
ETH_MPLS = 0x8847
ETH_PPPOED = 0x8863
ETH_PPPOES = 0x8864
ETH_PPP = 0x880B
ETH_TEB = 0x6558  # transparent Ethernet bridging (GRE)

BASE_TS = 1700000000  # 2023-11-14 22:13:20 UTC


# ---------------------------------------------------------------- pcap file
class Pkt:
    """One record: data, timestamp (sec, fraction in the file's unit), optional wire length."""

    def __init__(self, data, sec, frac=0, wirelen=None, caplen=None):
        self.data = bytes(data)
        self.sec = sec
        self.frac = frac
        self.wirelen = len(self.data) if wirelen is None else wirelen
        self.caplen = caplen  # header caplen override (lies); None = len(data)


def pcap_bytes(pkts, linktype=LINKTYPE_ETHERNET, nano=False, snaplen=262144):
    magic = 0xA1B23C4D if nano else 0xA1B2C3D4
    out = [struct.pack('<IHHiIII', magic, 2, 4, 0, 0, snaplen, linktype)]
    for p in pkts:
        cl = len(p.data) if p.caplen is None else p.caplen
        out.append(struct.pack('<IIII', p.sec, p.frac, cl, p.wirelen))
        out.append(p.data)
    return b''.join(out)


def read_pcap(path):
    """Yields (sec, frac, caplen, wirelen, data) from a little- or big-endian pcap file."""
    with open(path, 'rb') as f:
        hdr = f.read(24)
        if len(hdr) < 24:
            raise ValueError('%s: short pcap header' % path)
        m = struct.unpack('<I', hdr[:4])[0]
        if m in (0xA1B2C3D4, 0xA1B23C4D):
            e = '<'
        elif m in (0xD4C3B2A1, 0x4D3CB2A1):
            e = '>'
        else:
            raise ValueError('%s: not a pcap file (magic 0x%08x)' % (path, m))
        while True:
            rh = f.read(16)
            if not rh:
                return
            if len(rh) < 16:
                raise ValueError('%s: short record header' % path)
            sec, frac, cl, wl = struct.unpack(e + 'IIII', rh)
            data = f.read(cl)
            if len(data) < cl:
                raise ValueError('%s: short record' % path)
            yield sec, frac, cl, wl, data


# ---------------------------------------------------------------- helpers
def mac(s):
    return bytes(int(x, 16) for x in s.split(':'))


def ip4(s):
    return bytes(int(x) for x in s.split('.'))


def ip6(s):
    """Parses an IPv6 address (with :: and no embedded IPv4)."""
    if '::' in s:
        head, tail = s.split('::')
        h = [x for x in head.split(':') if x]
        t = [x for x in tail.split(':') if x]
        groups = h + ['0'] * (8 - len(h) - len(t)) + t
    else:
        groups = s.split(':')
    assert len(groups) == 8, s
    return b''.join(struct.pack('>H', int(g, 16)) for g in groups)


def csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('>%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def pseudo(src, dst, proto, length):
    if len(src) == 4:
        return src + dst + struct.pack('>BBH', 0, proto, length)
    return src + dst + struct.pack('>IxxxB', length, proto)


# ---------------------------------------------------------------- link layers
def eth(dst, src, etype, payload, pad=True):
    f = mac(dst) + mac(src) + struct.pack('>H', etype) + payload
    if pad and len(f) < 60:
        f += b'\0' * (60 - len(f))
    return f


def eth_vlan(dst, src, tags, etype, payload, pad=True):
    """tags: list of (tpid, vid), outermost first."""
    b = mac(dst) + mac(src)
    for tpid, vid in tags:
        b += struct.pack('>HH', tpid, vid)
    b += struct.pack('>H', etype)
    b += payload
    if pad and len(b) < 60:
        b += b'\0' * (60 - len(b))
    return b


def sll(proto, payload, pkttype=0, hatype=1, addr='00:11:22:33:44:55'):
    a = mac(addr)
    return struct.pack('>HHH', pkttype, hatype, len(a)) + a.ljust(8, b'\0') + \
        struct.pack('>H', proto) + payload


def sll2(proto, payload, ifindex=2, pkttype=0, hatype=1, addr='00:11:22:33:44:55'):
    a = mac(addr)
    return struct.pack('>HHIHBB', proto, 0, ifindex, hatype, pkttype, len(a)) + \
        a.ljust(8, b'\0') + payload


def null_hdr(af, payload, big_endian=False):
    """DLT_NULL: address family in the writer's (little-endian) byte order."""
    return struct.pack('>I' if big_endian else '<I', af) + payload


def loop_hdr(af, payload):
    """DLT_LOOP: address family in network byte order."""
    return struct.pack('>I', af) + payload


# ---------------------------------------------------------------- ARP
def arp(op, sha, spa, tha, tpa):
    return struct.pack('>HHBBH', 1, ETH_IPV4, 6, 4, op) + mac(sha) + ip4(spa) + mac(tha) + ip4(tpa)


# ---------------------------------------------------------------- IPv4
def ipv4(src, dst, proto, payload, ttl=64, ident=0, df=False, mf=False, frag=0, options=b'',
         tos=0, total_len=None, ihl=None, cksum=None):
    """frag is the fragment offset in 8-byte units."""
    if len(options) % 4:
        options += b'\0' * (4 - len(options) % 4)
    hl = 20 + len(options)
    ihl_v = hl // 4 if ihl is None else ihl
    tl = hl + len(payload) if total_len is None else total_len
    flags = (0x4000 if df else 0) | (0x2000 if mf else 0) | frag
    h = struct.pack('>BBHHHBBH4s4s', 0x40 | ihl_v, tos, tl, ident, flags, ttl, proto, 0,
                    ip4(src), ip4(dst)) + options
    c = csum(h) if cksum is None else cksum
    h = h[:10] + struct.pack('>H', c) + h[12:]
    return h + payload


def ipv4_fragments(src, dst, proto, payload, fragsize, ident, **kw):
    """Splits payload (a complete transport segment) into IPv4 fragments of fragsize bytes
    (a multiple of 8)."""
    out = []
    off = 0
    while off < len(payload):
        chunk = payload[off:off + fragsize]
        more = off + fragsize < len(payload)
        out.append(ipv4(src, dst, proto, chunk, ident=ident, mf=more, frag=off // 8, **kw))
        off += fragsize
    return out


# ---------------------------------------------------------------- IPv6
def ipv6(src, dst, nxt, payload, hlim=64, tc=0, flow=0, plen=None):
    pl = len(payload) if plen is None else plen
    return struct.pack('>IHBB', (6 << 28) | (tc << 20) | flow, pl, nxt, hlim) + \
        ip6(src) + ip6(dst) + payload


def ext_opts(nxt, options=b''):
    """Hop-by-hop / destination options header padded to a multiple of 8 (PadN)."""
    body = options
    total = 2 + len(body)
    padlen = (-total) % 8
    if padlen == 1:
        body += b'\x00'  # Pad1
    elif padlen >= 2:
        body += bytes([1, padlen - 2]) + b'\0' * (padlen - 2)
    total = 2 + len(body)
    return bytes([nxt, total // 8 - 1]) + body


def ext_frag(nxt, offset8, more, ident):
    return struct.pack('>BBHI', nxt, 0, (offset8 << 3) | (1 if more else 0), ident)


def ext_routing(nxt, addrs, rtype=0, segleft=None):
    sl = len(addrs) if segleft is None else segleft
    body = struct.pack('>BBBBI', nxt, 2 * len(addrs), rtype, sl, 0)
    return body + b''.join(ip6(a) for a in addrs)


# ---------------------------------------------------------------- transport
def udp(src, dst, sport, dport, payload, length=None, cksum=None):
    ln = 8 + len(payload) if length is None else length
    h = struct.pack('>HHHH', sport, dport, ln, 0)
    if cksum is None:
        s, d = (ip4(src), ip4(dst)) if '.' in src else (ip6(src), ip6(dst))
        c = csum(pseudo(s, d, 17, 8 + len(payload)) + h + payload)
        if c == 0:
            c = 0xFFFF
    else:
        c = cksum
    return h[:6] + struct.pack('>H', c) + payload


TCP_FIN, TCP_SYN, TCP_RST, TCP_PSH, TCP_ACK, TCP_URG, TCP_ECE, TCP_CWR = 1, 2, 4, 8, 16, 32, 64, 128


def tcp_opts_syn(ts=1000, tsecr=0):
    # MSS 1460, SACK permitted, timestamps, NOP, window scale 7 (Linux SYN layout)
    return struct.pack('>BBH', 2, 4, 1460) + b'\x04\x02' + struct.pack('>BBII', 8, 10, ts, tsecr) + \
        b'\x01' + b'\x03\x03\x07'


def tcp_opts_ts(ts, tsecr):
    return b'\x01\x01' + struct.pack('>BBII', 8, 10, ts, tsecr)


def tcp(src, dst, sport, dport, seq, ack, flags, payload=b'', win=512, options=b'', doff=None,
        urg=0):
    if len(options) % 4:
        options += b'\x00' * (4 - len(options) % 4)
    hl = 20 + len(options)
    d = hl // 4 if doff is None else doff
    h = struct.pack('>HHIIBBHHH', sport, dport, seq, ack, d << 4, flags, win, 0, urg) + options
    s, t = (ip4(src), ip4(dst)) if '.' in src else (ip6(src), ip6(dst))
    c = csum(pseudo(s, t, 6, len(h) + len(payload)) + h + payload)
    return h[:16] + struct.pack('>H', c) + h[18:] + payload


def icmp(itype, code, rest, payload=b''):
    h = struct.pack('>BBH', itype, code, 0) + rest + payload
    return h[:2] + struct.pack('>H', csum(h)) + h[4:]


def icmp_echo(ident, seq, payload, reply=False):
    return icmp(0 if reply else 8, 0, struct.pack('>HH', ident, seq), payload)


def icmp_error(itype, code, quoted, rest=b'\0\0\0\0'):
    """Destination unreachable (3), time exceeded (11) ...: quotes an IP packet."""
    return icmp(itype, code, rest, quoted)


def icmp6(src, dst, itype, code, body):
    h = struct.pack('>BBH', itype, code, 0) + body
    c = csum(pseudo(ip6(src), ip6(dst), 58, len(h)) + h)
    return h[:2] + struct.pack('>H', c) + h[4:]


def icmp6_echo(src, dst, ident, seq, payload, reply=False):
    return icmp6(src, dst, 129 if reply else 128, 0, struct.pack('>HH', ident, seq) + payload)


def icmp6_ns(src, dst, target, lladdr):
    body = b'\0\0\0\0' + ip6(target) + bytes([1, 1]) + mac(lladdr)
    return icmp6(src, dst, 135, 0, body)


def icmp6_na(src, dst, target, lladdr, flags=0x60000000):
    body = struct.pack('>I', flags) + ip6(target) + bytes([2, 1]) + mac(lladdr)
    return icmp6(src, dst, 136, 0, body)


# ---------------------------------------------------------------- tunnels
def gre(proto, payload, key=None, seq=None, checksum=False):
    """GRE version 0 (RFC 2784/2890); the checksum, when asked for, covers header and payload."""
    flags = (0x8000 if checksum else 0) | (0x2000 if key is not None else 0) | \
        (0x1000 if seq is not None else 0)
    b = struct.pack('>HH', flags, proto)
    if checksum:
        b += struct.pack('>HH', 0, 0)
    if key is not None:
        b += struct.pack('>I', key)
    if seq is not None:
        b += struct.pack('>I', seq)
    b += payload
    if checksum:
        b = b[:4] + struct.pack('>H', csum(b)) + b[6:]
    return b


def gre_pptp(call, payload, seq=None, ack=None):
    """Enhanced GRE (version 1, RFC 2637) carrying a PPP frame."""
    flags = 0x2001 | (0x1000 if seq is not None else 0) | (0x0080 if ack is not None else 0)
    b = struct.pack('>HHHH', flags, ETH_PPP, len(payload), call)
    if seq is not None:
        b += struct.pack('>I', seq)
    if ack is not None:
        b += struct.pack('>I', ack)
    return b + payload


def erspan2(vlan, session, index, frame, cos=0):
    """ERSPAN type II header (version 1), for GRE type 0x88be with a sequence number."""
    return struct.pack('>HHI', 1 << 12 | vlan, cos << 13 | session, index) + frame


def erspan3(vlan, session, timestamp, frame, hwid=0, sub=None):
    """ERSPAN type III header (version 2, frame type Ethernet), GRE type 0x22eb; `sub` is
    the optional 8-byte platform sub-header."""
    last = hwid << 4 | (1 if sub is not None else 0)
    return struct.pack('>HHIHH', 2 << 12 | vlan, session, timestamp, 0, last) + (sub or b'') + frame


def ppp(proto, payload, hdlc=False):
    """A PPP frame: HDLC-like address and control (as PPTP sends it) when hdlc."""
    return (b'\xff\x03' if hdlc else b'') + struct.pack('>H', proto) + payload


def vxlan(vni, frame, flags=0x08):
    return struct.pack('>B3xI', flags, vni << 8) + frame


def mpls(labels, payload):
    """labels: (label, tc, ttl) outermost first; the last one is the bottom of the stack."""
    out = b''
    for i, (label, tc, ttl) in enumerate(labels):
        s = 1 if i == len(labels) - 1 else 0
        out += struct.pack('>I', label << 12 | tc << 9 | s << 8 | ttl)
    return out + payload


def pppoe(code, session, payload, length=None):
    ln = len(payload) if length is None else length
    return struct.pack('>BBHH', 0x11, code, session, ln) + payload


def pppoe_tag(tag, value):
    return struct.pack('>HH', tag, len(value)) + value


# ---------------------------------------------------------------- DNS
QTYPE = {'A': 1, 'NS': 2, 'CNAME': 5, 'PTR': 12, 'MX': 15, 'TXT': 16, 'AAAA': 28}


def dns_name(name):
    """Encodes a name; labels may be bytes (to carry any byte) or str."""
    if isinstance(name, (list, tuple)):
        labels = [l if isinstance(l, bytes) else l.encode() for l in name]
    else:
        labels = [l.encode() for l in name.split('.') if l]
    out = b''
    for l in labels:
        assert len(l) < 64
        out += bytes([len(l)]) + l
    return out + b'\0'


def dns_query(ident, name, qtype='A', rd=True):
    flags = 0x0100 if rd else 0
    return struct.pack('>HHHHHH', ident, flags, 1, 0, 0, 0) + dns_name(name) + \
        struct.pack('>HH', QTYPE[qtype], 1)


def dns_response(ident, name, qtype, answers, rcode=0):
    """answers: list of (owner, type, ttl, rdata) where owner is an int offset (a compression
    pointer) or a name; rdata is bytes already encoded (may hold pointers)."""
    flags = 0x8180 | rcode
    b = struct.pack('>HHHHHH', ident, flags, 1, len(answers), 0, 0) + dns_name(name) + \
        struct.pack('>HH', QTYPE[qtype], 1)
    for owner, t, ttl, rdata in answers:
        o = struct.pack('>H', 0xC000 | owner) if isinstance(owner, int) else dns_name(owner)
        b += o + struct.pack('>HHIH', QTYPE[t], 1, ttl, len(rdata)) + rdata
    return b


def ptr(off):
    return struct.pack('>H', 0xC000 | off)


# ---------------------------------------------------------------- common endpoints
MAC_A = '02:00:00:00:00:0a'
MAC_B = '02:00:00:00:00:0b'
MAC_GW = '02:00:00:00:00:01'
BCAST = 'ff:ff:ff:ff:ff:ff'
H1, H2, DNS_SRV, WEB = '10.0.0.1', '10.0.0.2', '10.0.0.53', '93.184.216.34'
V6A, V6B = '2001:db8::1', '2001:db8::2'


TUN_A, TUN_B = '198.51.100.1', '198.51.100.2'  # tunnel endpoints
LCP_CONF_REQ = bytes([1, 1, 0, 10, 5, 6, 0x12, 0x34, 0x56, 0x78])  # magic number option


def e4(payload, src_mac=MAC_A, dst_mac=MAC_B):
    return eth(dst_mac, src_mac, ETH_IPV4, payload)


def e6(payload, src_mac=MAC_A, dst_mac=MAC_B):
    return eth(dst_mac, src_mac, ETH_IPV6, payload)


def udp4(src, dst, sport, dport, payload, **kw):
    return ipv4(src, dst, 17, udp(src, dst, sport, dport, payload), **kw)


def tcp4(src, dst, sport, dport, seq, ack, flags, payload=b'', **kw):
    ipkw = {k: kw.pop(k) for k in list(kw) if k in ('ttl', 'ident', 'df')}
    return ipv4(src, dst, 6, tcp(src, dst, sport, dport, seq, ack, flags, payload, **kw), **ipkw)


def seq_times(frames, step_us=1000, start_us=1, nano=False):
    """Packs frames with timestamps BASE_TS + start_us + i*step_us (µs, or ns units if nano)."""
    out = []
    for i, f in enumerate(frames):
        t = start_us + i * step_us
        if nano:
            out.append(Pkt(f, BASE_TS + t // 1000000000, t % 1000000000))
        else:
            out.append(Pkt(f, BASE_TS + t // 1000000, t % 1000000))
    return out


# ---------------------------------------------------------------- named captures
def cap_udp4():
    frames = [
        e4(udp4(H1, H2, 40000, 9999, b'hello')),
        e4(udp4(H2, H1, 9999, 40000, b'')),                       # empty payload
        e4(udp4('192.168.1.100', '192.168.1.255', 5001, 5002, bytes(range(64)), ttl=128)),
    ]
    return seq_times(frames), LINKTYPE_ETHERNET, False


def handshake_frames(c=H1, s=WEB, cport=51000, sport=80, iss=1000, irs=5000, data=None,
                     resp=None, ident=100):
    data = data or b'GET / HTTP/1.1\r\nHost: example.com\r\n\r\n'
    resp = resp or b'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'
    A, S, F, P = TCP_ACK, TCP_SYN, TCP_FIN, TCP_PSH
    f = []
    f.append(e4(tcp4(c, s, cport, sport, iss, 0, S, win=64240, options=tcp_opts_syn(100, 0),
                     ident=ident, df=True)))
    f.append(e4(tcp4(s, c, sport, cport, irs, iss + 1, S | A, win=65160,
                     options=tcp_opts_syn(900, 100), df=True), MAC_B, MAC_A))
    f.append(e4(tcp4(c, s, cport, sport, iss + 1, irs + 1, A, win=502, options=tcp_opts_ts(101, 900),
                     ident=ident + 1, df=True)))
    f.append(e4(tcp4(c, s, cport, sport, iss + 1, irs + 1, P | A, data, win=502,
                     options=tcp_opts_ts(102, 900), ident=ident + 2, df=True)))
    f.append(e4(tcp4(s, c, sport, cport, irs + 1, iss + 1 + len(data), P | A, resp, win=509,
                     options=tcp_opts_ts(903, 102), df=True), MAC_B, MAC_A))
    f.append(e4(tcp4(c, s, cport, sport, iss + 1 + len(data), irs + 1 + len(resp), F | A, win=502,
                     options=tcp_opts_ts(104, 903), ident=ident + 3, df=True)))
    f.append(e4(tcp4(s, c, sport, cport, irs + 1 + len(resp), iss + 2 + len(data), F | A, win=509,
                     options=tcp_opts_ts(905, 104), df=True), MAC_B, MAC_A))
    f.append(e4(tcp4(c, s, cport, sport, iss + 2 + len(data), irs + 2 + len(resp), A, win=502,
                     options=tcp_opts_ts(106, 905), ident=ident + 4, df=True)))
    return f


def cap_tcp_handshake():
    return seq_times(handshake_frames()), LINKTYPE_ETHERNET, False


def cap_tcp_flags():
    """Flag combinations and a RST, an URG pointer, ECE/CWR, and options without padding."""
    A = TCP_ACK
    f = [
        e4(tcp4(H1, H2, 1234, 22, 7, 0, TCP_SYN | TCP_ECE | TCP_CWR, win=1024)),
        e4(tcp4(H2, H1, 22, 1234, 0, 8, TCP_RST | A, win=0)),
        e4(tcp4(H1, H2, 1234, 23, 100, 200, TCP_URG | A | TCP_PSH, b'!', win=8192, urg=1)),
        e4(tcp4(H1, H2, 1234, 25, 0xFFFFFFFF, 0x80000000, A, win=65535)),
    ]
    return seq_times(f), LINKTYPE_ETHERNET, False


def dns_frames(base_id=0x1234, client=H1, server=DNS_SRV, cport=53001):
    f = []
    q = dns_query(base_id, 'example.com', 'A')
    f.append(e4(udp4(client, server, cport, 53, q)))
    r = dns_response(base_id, 'example.com', 'A', [(12, 'A', 3600, ip4('93.184.216.34'))])
    f.append(e4(udp4(server, client, 53, cport, r), MAC_B, MAC_A))
    q = dns_query(base_id + 1, 'www.example.org', 'AAAA')
    f.append(e4(udp4(client, server, cport + 1, 53, q)))
    # CNAME www.example.org -> web.example.org, expressed as "web" + pointer to "example.org"
    # (offset 12 + 4 = 16), then the AAAA record owned by the CNAME target.
    cname = b'\x03web' + ptr(16)
    qlen = len(dns_name('www.example.org')) + 4
    cname_off = 12 + qlen + 12  # owner ptr(2) type(2) class(2) ttl(4) rdlen(2)
    r = dns_response(base_id + 1, 'www.example.org', 'AAAA', [
        (12, 'CNAME', 300, cname),
        (cname_off, 'AAAA', 300, ip6('2001:db8::80')),
    ])
    f.append(e4(udp4(server, client, 53, cport + 1, r), MAC_B, MAC_A))
    q = dns_query(base_id + 2, 'nonexistent.invalid', 'A')
    f.append(e4(udp4(client, server, cport + 2, 53, q)))
    r = struct.pack('>HHHHHH', base_id + 2, 0x8183, 1, 0, 0, 0) + dns_name('nonexistent.invalid') + \
        struct.pack('>HH', 1, 1)
    f.append(e4(udp4(server, client, 53, cport + 2, r), MAC_B, MAC_A))
    return f


def cap_dns():
    return seq_times(dns_frames()), LINKTYPE_ETHERNET, False


def cap_vlan_qinq():
    pay = udp4(H1, H2, 40000, 9999, b'vlan')
    f = [
        eth_vlan(MAC_B, MAC_A, [(ETH_VLAN, 100)], ETH_IPV4, pay),
        eth_vlan(MAC_B, MAC_A, [(ETH_QINQ, 300), (ETH_VLAN, 200)], ETH_IPV4, pay),
        eth_vlan(MAC_B, MAC_A, [(ETH_VLAN, 10), (ETH_VLAN, 20)], ETH_ARP,
                 arp(1, MAC_A, H1, '00:00:00:00:00:00', H2)),
        eth_vlan(MAC_B, MAC_A, [(ETH_VLAN, 4094)], ETH_IPV6,
                 ipv6(V6A, V6B, 58, icmp6_echo(V6A, V6B, 7, 1, b'q'))),
    ]
    return seq_times(f), LINKTYPE_ETHERNET, False


def cap_arp():
    f = [
        eth(BCAST, MAC_A, ETH_ARP, arp(1, MAC_A, H1, '00:00:00:00:00:00', H2)),
        eth(MAC_A, MAC_B, ETH_ARP, arp(2, MAC_B, H2, MAC_A, H1)),
        eth(BCAST, MAC_A, ETH_ARP, arp(1, MAC_A, H1, '00:00:00:00:00:00', H1)),  # gratuitous
    ]
    return seq_times(f), LINKTYPE_ETHERNET, False


def cap_icmp_echo():
    pay = bytes(range(0x10, 0x38))
    f = [
        e4(ipv4(H1, H2, 1, icmp_echo(1, 2, pay), ident=0x1111)),
        e4(ipv4(H2, H1, 1, icmp_echo(1, 2, pay, reply=True), ident=0x2222), MAC_B, MAC_A),
    ]
    return seq_times(f), LINKTYPE_ETHERNET, False


def cap_icmp_unreach_udp():
    orig = udp4(H1, H2, 33434, 33435, b'probe', ttl=1, ident=0x3333)
    # Port unreachable quoting the whole original datagram; time exceeded quoting header+8
    f = [
        e4(orig),
        e4(ipv4(H2, H1, 1, icmp_error(3, 3, orig), ttl=64, ident=0x4444), MAC_B, MAC_A),
        e4(ipv4('10.0.0.254', H1, 1, icmp_error(11, 0, orig[:28]), ident=0x5555), MAC_GW, MAC_A),
        e4(ipv4('10.0.0.254', H1, 1, icmp_error(3, 1, tcp4(H1, WEB, 51000, 80, 1000, 0, TCP_SYN)[:28]),
                ident=0x5556), MAC_GW, MAC_A),
    ]
    return seq_times(f), LINKTYPE_ETHERNET, False


def cap_ipv6_ext():
    u = udp(V6A, V6B, 7777, 8888, b'v6data')
    # Hop-by-hop (router alert) -> destination options -> UDP
    p1 = ext_opts(60, b'\x05\x02\x00\x00') + ext_opts(17) + u
    # Fragment header: first fragment of a UDP datagram (M=1)
    big = udp(V6A, V6B, 12000, 12001, b'F' * 40)
    p2 = ext_frag(17, 0, True, 0xabcd) + big[:24]
    p3 = ext_frag(17, 3, False, 0xabcd) + big[24:]
    f = [
        e6(ipv6(V6A, V6B, 0, p1)),
        e6(ipv6(V6A, V6B, 44, p2)),
        e6(ipv6(V6A, V6B, 44, p3)),
        e6(ipv6(V6A, V6B, 58, icmp6_echo(V6A, V6B, 0x42, 1, b'ping6'), hlim=255)),
        e6(ipv6('fe80::a', 'ff02::1:ff00:b', 58, icmp6_ns('fe80::a', 'ff02::1:ff00:b', 'fe80::b', MAC_A),
                hlim=255), MAC_A, '33:33:ff:00:00:0b'),
        e6(ipv6(V6A, V6B, 6, tcp(V6A, V6B, 40001, 443, 1, 0, TCP_SYN, win=65535))),
    ]
    return seq_times(f), LINKTYPE_ETHERNET, False


def _alt_link(wrap, linktype):
    f = [
        wrap(ETH_IPV4, udp4(H1, H2, 41111, 42222, b'alt')),
        wrap(ETH_IPV4, tcp4(H1, H2, 3333, 4444, 10, 20, TCP_SYN | TCP_ACK, win=100)),
        wrap(ETH_IPV6, ipv6(V6A, V6B, 17, udp(V6A, V6B, 5555, 6666, b'alt6'))),
    ]
    return seq_times(f), linktype, False


def cap_sll():
    return _alt_link(lambda et, p: sll(et, p, pkttype=4), LINKTYPE_LINUX_SLL)


def cap_sll2():
    return _alt_link(lambda et, p: sll2(et, p, pkttype=0), LINKTYPE_LINUX_SLL2)


def cap_null():
    return _alt_link(lambda et, p: null_hdr(2 if et == ETH_IPV4 else 30, p), LINKTYPE_NULL)


def cap_loop():
    return _alt_link(lambda et, p: loop_hdr(2 if et == ETH_IPV4 else 30, p), LINKTYPE_LOOP)


def cap_raw():
    return _alt_link(lambda et, p: p, LINKTYPE_RAW)


def cap_nano():
    f = [e4(udp4(H1, H2, 40000, 9999, b'nano%d' % i)) for i in range(3)]
    pk = [Pkt(f[0], BASE_TS, 1), Pkt(f[1], BASE_TS, 123456789), Pkt(f[2], BASE_TS + 1, 999999999)]
    return pk, LINKTYPE_ETHERNET, True


def cap_ipv4_opts_frag():
    """IPv4 with options (record route + NOP + EOL), then a UDP datagram in 3 fragments."""
    rr = bytes([7, 11, 4]) + b'\0' * 8 + b'\x01\x00'  # RR with room for 2 addrs, NOP, EOL
    f = [e4(ipv4(H1, H2, 17, udp(H1, H2, 7, 7, b'opts'), options=rr))]
    seg = udp(H1, H2, 4000, 4001, bytes(range(48)))  # 56 bytes
    for fr in ipv4_fragments(H1, H2, 17, seg, 24, ident=0x77):
        f.append(e4(fr))
    return seq_times(f), LINKTYPE_ETHERNET, False


def cap_gre():
    """IPv4 in GRE; key and sequence number; Ethernet (0x6558); IPv6 with a checksum; PPTP."""
    inner = ipv4('192.168.1.1', '192.168.2.1', 1, icmp_echo(0x10, 1, b'gre-ping'))
    keyed = udp4('192.168.1.1', '192.168.2.1', 5000, 5001, b'keyed')
    bridged = eth(MAC_B, MAC_A, ETH_IPV4, udp4(H1, H2, 6000, 6001, b'bridged'), pad=False)
    six = ipv6(V6A, V6B, 58, icmp6_echo(V6A, V6B, 9, 1, b'gre6'))
    pptp = ppp(0x0021, ipv4('172.16.0.2', '172.16.0.1', 1, icmp_echo(0x20, 3, b'pptp')), hdlc=True)
    f = [
        e4(ipv4(TUN_A, TUN_B, 47, gre(ETH_IPV4, inner))),
        e4(ipv4(TUN_A, TUN_B, 47, gre(ETH_IPV4, keyed, key=0x3e8, seq=7))),
        e4(ipv4(TUN_A, TUN_B, 47, gre(ETH_TEB, bridged, key=42))),
        e4(ipv4(TUN_A, TUN_B, 47, gre(ETH_IPV6, six, checksum=True))),
        e4(ipv4(TUN_A, TUN_B, 47, gre_pptp(24, pptp, seq=7, ack=6))),
        e4(ipv4(TUN_B, TUN_A, 47, gre_pptp(1, b'', ack=7))),  # an acknowledgment alone
    ]
    return seq_times(f), LINKTYPE_ETHERNET, False


def cap_erspan():
    """Mirrored frames: type I (no header), type II (a tagged ARP), type III with a sub-header."""
    ping = eth(MAC_B, MAC_A, ETH_IPV4, ipv4(H1, H2, 1, icmp_echo(6, 1, b'span')), pad=False)
    who = eth_vlan(BCAST, MAC_A, [(ETH_VLAN, 20)], ETH_ARP,
                   arp(1, MAC_A, H1, '00:00:00:00:00:00', H2), pad=False)
    sub = struct.pack('>II', 3 << 26, 0)  # platform ID 3
    f = [
        e4(ipv4(TUN_A, TUN_B, 47, gre(0x88BE, ping))),
        e4(ipv4(TUN_A, TUN_B, 47, gre(0x88BE, erspan2(20, 5, 12345, who, cos=6), seq=1))),
        e4(ipv4(TUN_A, TUN_B, 47, gre(0x22EB, erspan3(30, 7, 1000, ping, hwid=3, sub=sub), seq=2))),
    ]
    return seq_times(f), LINKTYPE_ETHERNET, False


def cap_vxlan():
    ping = eth(MAC_B, MAC_A, ETH_IPV4, ipv4(H1, H2, 1, icmp_echo(5, 1, b'vxlan')), pad=False)
    who = eth(BCAST, MAC_A, ETH_ARP, arp(1, MAC_A, H1, '00:00:00:00:00:00', H2), pad=False)
    f = [
        e4(udp4(TUN_A, TUN_B, 50000, 4789, vxlan(100, ping))),
        e4(udp4(TUN_B, TUN_A, 50001, 4789, vxlan(0xABCDEF, who))),
    ]
    return seq_times(f), LINKTYPE_ETHERNET, False


def cap_mpls():
    """Two-label stacks with IPv4 and IPv6 inside, one label in UDP (RFC 7510), and a payload
    whose first nibble (5) is neither IPv4 nor IPv6."""
    six = udp(V6A, V6B, 40000, 40001, b'mpls6')
    f = [
        eth(MAC_B, MAC_A, ETH_MPLS, mpls([(100, 0, 64), (200, 5, 63)],
                                         udp4(H1, H2, 40000, 40001, b'mpls4'))),
        eth(MAC_B, MAC_A, ETH_MPLS, mpls([(300, 0, 64), (2, 0, 64)], ipv6(V6A, V6B, 17, six))),
        e4(udp4(TUN_A, TUN_B, 49200, 6635, mpls([(21, 0, 63)],
                                                ipv4(H1, H2, 1, icmp_echo(0x30, 1, b'mplsudp'))))),
        eth(MAC_B, MAC_A, ETH_MPLS, mpls([(1000, 0, 255)], b'\x50' + b'opaque')),
    ]
    return seq_times(f), LINKTYPE_ETHERNET, False


def cap_pppoe():
    """Discovery (PADI with tags), then session frames with IPv4, LCP and IPv6 inside, and
    IPv4 behind a compressed (one-byte) PPP protocol field."""
    padi = pppoe(0x09, 0, pppoe_tag(0x0101, b'') + pppoe_tag(0x0103, b'\x12\x34\x56\x78'))
    ping = ipv4(H1, H2, 1, icmp_echo(0x40, 1, b'pppoe'))
    pfc = b'\x21' + ipv4(H1, H2, 1, icmp_echo(0x40, 2, b'pfc'))
    six = ipv6(V6A, V6B, 17, udp(V6A, V6B, 8000, 8001, b'v6'))
    f = [
        eth(BCAST, MAC_A, ETH_PPPOED, padi),
        eth(MAC_B, MAC_A, ETH_PPPOES, pppoe(0, 0x11, ppp(0x0021, ping))),
        eth(MAC_B, MAC_A, ETH_PPPOES, pppoe(0, 0x11, ppp(0xC021, LCP_CONF_REQ))),
        eth(MAC_B, MAC_A, ETH_PPPOES, pppoe(0, 0x11, ppp(0x0057, six))),
        eth(MAC_B, MAC_A, ETH_PPPOES, pppoe(0, 0x11, pfc)),
    ]
    return seq_times(f), LINKTYPE_ETHERNET, False


# ---- truncations: caplen cut inside each header (wire length stays the full frame)
def _trunc(frame, cut):
    return Pkt(frame[:cut], 0, wirelen=len(frame))


def _trunc_caps():
    u = e4(udp4(H1, H2, 40000, 9999, b'truncated payload'))
    t = e4(tcp4(H1, H2, 1234, 80, 1, 2, TCP_SYN, options=tcp_opts_syn()))
    v = eth_vlan(MAC_B, MAC_A, [(ETH_VLAN, 5)], ETH_IPV4, udp4(H1, H2, 1, 2, b'x'))
    a = eth(BCAST, MAC_A, ETH_ARP, arp(1, MAC_A, H1, '00:00:00:00:00:00', H2))
    i = e4(ipv4(H1, H2, 1, icmp_echo(1, 1, b'abcd')))
    d = e4(udp4(H1, DNS_SRV, 5353, 53, dns_query(0x4242, 'truncated.example.com')))
    s = e6(ipv6(V6A, V6B, 17, udp(V6A, V6B, 1, 2, b'y')))
    x = e6(ipv6(V6A, V6B, 0, ext_opts(17, b'\x05\x02\x00\x00') + udp(V6A, V6B, 1, 2, b'z')))
    q = e4(ipv4(H2, H1, 1, icmp_error(3, 3, udp4(H1, H2, 1000, 2000, b'q'))))
    g = e4(ipv4(TUN_A, TUN_B, 47, gre(ETH_IPV4, udp4(H1, H2, 1, 2, b'g'), key=1, seq=2)))
    vx = e4(udp4(TUN_A, TUN_B, 50000, 4789, vxlan(7, eth(MAC_B, MAC_A, ETH_ARP, b'', pad=False))))
    m = eth(MAC_B, MAC_A, ETH_MPLS, mpls([(16, 0, 64), (17, 0, 64)], udp4(H1, H2, 1, 2, b'm')))
    pe = eth(MAC_B, MAC_A, ETH_PPPOES, pppoe(0, 0x11, ppp(0x0021, udp4(H1, H2, 1, 2, b'p'))))
    return {
        'eth': (u, 10),          # inside the MAC addresses
        'ethertype': (u, 13),    # one byte of the ethertype
        'vlan': (v, 16),         # inside the 802.1Q tag
        'arp': (a, 14 + 12),     # inside the sender addresses
        'ip': (u, 14 + 12),      # inside the IPv4 header (before addresses)
        'ip-addr': (u, 14 + 17), # inside the destination address
        'udp': (u, 14 + 20 + 5), # inside the UDP header
        'udp-payload': (u, 14 + 28 + 4),
        'tcp': (t, 14 + 20 + 15),  # inside the fixed TCP header
        'tcp-opts': (t, 14 + 20 + 25),  # inside the options
        'icmp': (i, 14 + 20 + 3),
        'icmp-quote': (q, 14 + 20 + 8 + 10),  # inside the quoted IPv4 header
        'dns': (d, 14 + 28 + 7),  # inside the DNS header
        'dns-name': (d, 14 + 28 + 12 + 5),  # inside the question name
        'ipv6': (s, 14 + 30),    # inside the source address
        'ipv6-ext': (x, 14 + 40 + 3),
        'gre': (g, 14 + 20 + 6),  # inside the key
        'vxlan': (vx, 14 + 28 + 5),  # inside the VNI
        'mpls': (m, 14 + 6),  # inside the second label
        'pppoe': (pe, 14 + 4),  # before the payload length
        'ppp': (pe, 14 + 6 + 1),  # inside the PPP protocol field
    }


def cap_truncated(which):
    frame, cut = _trunc_caps()[which]
    p = _trunc(frame, cut)
    p.sec, p.frac = BASE_TS, 500
    return [p], LINKTYPE_ETHERNET, False


# ---- lying lengths
def _lying_caps():
    pl = udp(H1, H2, 1000, 2000, b'data')
    return {
        # IPv4 total length larger than what was captured (and than the frame)
        'ip-len-long': e4(ipv4(H1, H2, 17, pl, total_len=200)),
        # IPv4 total length smaller than its own header
        'ip-len-short': e4(ipv4(H1, H2, 17, pl, total_len=12)),
        # IHL 4 (16 bytes) < 20
        'ip-ihl': e4(ipv4(H1, H2, 17, pl, ihl=4)),
        # IHL 15 (60 bytes) but a 20-byte header and a short packet
        'ip-ihl-long': e4(ipv4(H1, H2, 17, pl, ihl=15)),
        # UDP length 200 > IP payload 12
        'udp-len-long': e4(ipv4(H1, H2, 17, udp(H1, H2, 1000, 2000, b'data', length=200))),
        # UDP length 5 < 8
        'udp-len-short': e4(ipv4(H1, H2, 17, udp(H1, H2, 1000, 2000, b'data', length=5))),
        # TCP data offset 3 (< 5)
        'tcp-doff': e4(ipv4(H1, H2, 6, tcp(H1, H2, 1, 2, 0, 0, TCP_SYN, doff=3))),
        # IPv6 payload length 1000 > captured
        'ipv6-plen': e6(ipv6(V6A, V6B, 17, udp(V6A, V6B, 1, 2, b'p'), plen=1000)),
        # DNS header says 5 questions, one present
        'dns-qdcount': e4(udp4(H1, DNS_SRV, 5353, 53, dns_query(0x99, 'a.example')[:4] +
                               struct.pack('>H', 5) + dns_query(0x99, 'a.example')[6:])),
        # DNS compression pointer pointing at itself
        'dns-loop': e4(udp4(DNS_SRV, H1, 53, 5353, struct.pack('>HHHHHH', 0x77, 0x8180, 1, 0, 0, 0) +
                            ptr(12) + struct.pack('>HH', 1, 1))),
        # ICMP quoting an IPv4 header whose IHL is 2
        'icmp-quote-ihl': e4(ipv4(H2, H1, 1, icmp_error(3, 3, b'\x42' + udp4(H1, H2, 1, 2, b'')[1:]))),
        # PPPoE payload length 200, beyond the frame
        'pppoe-len': eth(MAC_B, MAC_A, ETH_PPPOES,
                         pppoe(0, 0x11, ppp(0x0021, udp4(H1, H2, 1, 2, b'p')), length=200)),
        # GRE version 3 (only 0 and 1 exist)
        'gre-version': e4(ipv4(TUN_A, TUN_B, 47,
                               struct.pack('>HH', 3, ETH_IPV4) + udp4(H1, H2, 1, 2, b'v'))),
    }


def cap_lying(which):
    p = Pkt(_lying_caps()[which], BASE_TS, 600)
    return [p], LINKTYPE_ETHERNET, False


def cap_ctrl_bytes():
    evil = [b'\x1b[31mred\x07', b'\x9bx\ny', b'example']
    f = [
        e4(udp4(H1, DNS_SRV, 5353, 53, dns_query(0x0bad, evil))),
        e4(udp4(H1, H2, 4000, 4001, b'\x1b]0;pwned\x07\x9b2J\r\nok\x7f\xff')),
    ]
    return seq_times(f), LINKTYPE_ETHERNET, False


def corrupt_record_bytes():
    pk = seq_times([e4(udp4(H1, H2, 1, 2, b'one')), e4(udp4(H1, H2, 1, 2, b'two'))])
    good = pcap_bytes(pk)
    bad = struct.pack('<IIII', BASE_TS + 1, 0, 0xFFFFFFFF, 60) + b'\0' * 60
    return good + bad


def mixed_frames(n):
    """n frames of mixed sizes (60..1514) and protocols, each with a unique 4-byte sequence tag
    right after the headers, for a live capture that must preserve bytes and order."""
    out = []
    for i in range(n):
        tag = struct.pack('>I', i) + b'CSMX'
        kind = i % 5
        size = [60, 128, 576, 1000, 1514][(i * 7) % 5]
        a = '198.18.%d.%d' % ((i >> 8) & 0xFF, i & 0xFF or 1)
        b = '198.19.0.%d' % (1 + i % 250)
        if kind == 0:
            hdr = 14 + 28
            body = tag + bytes((i + k) & 0xFF for k in range(max(0, size - hdr - len(tag))))
            fr = eth(MAC_B, MAC_A, ETH_IPV4, udp4(a, b, 10000 + i % 1000, 20000, body))
        elif kind == 1:
            hdr = 14 + 40
            body = tag + b'T' * max(0, size - hdr - len(tag))
            fr = eth(MAC_B, MAC_A, ETH_IPV4, tcp4(a, b, 30000, 80, i * 1000, 1, TCP_ACK | TCP_PSH, body))
        elif kind == 2:
            hdr = 14 + 28
            body = tag + b'I' * max(0, size - hdr - len(tag))
            fr = eth(MAC_B, MAC_A, ETH_IPV4, ipv4(a, b, 1, icmp_echo(7, i & 0xFFFF, body)))
        elif kind == 3:
            hdr = 14 + 4 + 28
            body = tag + b'V' * max(0, size - hdr - len(tag))
            fr = eth_vlan(MAC_B, MAC_A, [(ETH_VLAN, 1 + i % 4000)], ETH_IPV4,
                          udp4(a, b, 53000, 9, body))
        else:
            hdr = 14 + 48
            body = tag + b'6' * max(0, size - hdr - len(tag))
            s6 = '2001:db8::%x' % (i + 1)
            fr = eth(MAC_B, MAC_A, ETH_IPV6, ipv6(s6, V6B, 17, udp(s6, V6B, 40000, 40001, body)))
        out.append(fr)
    return out


def cap_mixed(n=1000):
    return seq_times(mixed_frames(n), step_us=500), LINKTYPE_ETHERNET, False


def cap_demo():
    """A small realistic session: ARP, DNS lookups, a TCP page fetch, ping, IPv6 ND and ping,
    a VLAN-tagged frame and a malformed packet; ~150 packets."""
    f = []
    t = []
    now = [0]

    def add(frame, gap_us):
        now[0] += gap_us
        f.append(frame)
        t.append(now[0])

    add(eth(BCAST, MAC_A, ETH_ARP, arp(1, MAC_A, H1, '00:00:00:00:00:00', '10.0.0.254')), 1000)
    add(eth(MAC_A, MAC_GW, ETH_ARP, arp(2, MAC_GW, '10.0.0.254', MAC_A, H1)), 180)
    names = ['example.com', 'www.wikipedia.org', 'ntp.org', 'debian.org', 'kernel.org',
             'tcpdump.org', 'wireshark.org', 'github.com']
    for k, name in enumerate(names):
        qid = 0x2000 + k
        add(eth(MAC_GW, MAC_A, ETH_IPV4, udp4(H1, DNS_SRV, 40000 + k, 53, dns_query(qid, name))), 20000)
        addr = ip4('203.0.113.%d' % (10 + k))
        add(eth(MAC_A, MAC_GW, ETH_IPV4,
                udp4(DNS_SRV, H1, 53, 40000 + k, dns_response(qid, name, 'A', [(12, 'A', 300, addr)]))),
            8000 + 997 * k)
        add(eth(MAC_GW, MAC_A, ETH_IPV4, udp4(H1, DNS_SRV, 40100 + k, 53, dns_query(qid + 0x100, name, 'AAAA'))), 300)
        a6 = ip6('2001:db8:%x::10' % (k + 1))
        add(eth(MAC_A, MAC_GW, ETH_IPV4,
                udp4(DNS_SRV, H1, 53, 40100 + k, dns_response(qid + 0x100, name, 'AAAA', [(12, 'AAAA', 300, a6)]))),
            9000)
    # two TCP fetches
    for k, server in enumerate(['203.0.113.10', '203.0.113.16']):
        body = ('GET /%d HTTP/1.1\r\nHost: example.com\r\nUser-Agent: capscope-demo\r\n\r\n' % k).encode()
        resp = b'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 600\r\n\r\n' + \
            (b'<p>capscope demo page</p>\n' * 24)[:600]
        for fr in handshake_frames(H1, server, 52000 + k, 80, 3000000 + k * 77777, 9000000 + k,
                                   body, resp, ident=0x100 * (k + 1)):
            fr = fr[:6] + mac(MAC_GW) + fr[12:] if fr[6:12] == mac(MAC_B) else fr
            fr = mac(MAC_GW) + fr[6:] if fr[:6] == mac(MAC_B) else fr
            add(fr, 15000)
    # ping x4
    for s in range(1, 5):
        pay = struct.pack('>Q', s) + bytes(range(0x10, 0x38))
        add(eth(MAC_GW, MAC_A, ETH_IPV4, ipv4(H1, '9.9.9.9', 1, icmp_echo(0x1f, s, pay), ident=0x900 + s)), 1000000)
        add(eth(MAC_A, MAC_GW, ETH_IPV4, ipv4('9.9.9.9', H1, 1, icmp_echo(0x1f, s, pay, reply=True), ttl=57,
                                             ident=0xa00 + s)), 12000)
    # traceroute-ish: UDP probe and time exceeded
    probe = udp4(H1, '9.9.9.9', 33434, 33435, b'\0' * 24, ttl=1, ident=0xb00)
    add(eth(MAC_GW, MAC_A, ETH_IPV4, probe), 5000)
    add(eth(MAC_A, MAC_GW, ETH_IPV4, ipv4('10.0.0.254', H1, 1, icmp_error(11, 0, probe[:28]))), 800)
    # IPv6: NS/NA then ping6
    ll_a, ll_b = 'fe80::a', 'fe80::1'
    add(eth('33:33:ff:00:00:01', MAC_A, ETH_IPV6,
            ipv6(ll_a, 'ff02::1:ff00:1', 58, icmp6_ns(ll_a, 'ff02::1:ff00:1', ll_b, MAC_A), hlim=255)), 3000)
    add(eth(MAC_A, MAC_GW, ETH_IPV6, ipv6(ll_b, ll_a, 58, icmp6_na(ll_b, ll_a, ll_b, MAC_GW), hlim=255)), 200)
    for s in range(1, 4):
        add(e6(ipv6(V6A, '2001:db8:1::10', 58, icmp6_echo(V6A, '2001:db8:1::10', 0x33, s, b'demo6' * 8)),
               MAC_A, MAC_GW), 1000000)
        add(e6(ipv6('2001:db8:1::10', V6A, 58, icmp6_echo('2001:db8:1::10', V6A, 0x33, s, b'demo6' * 8,
                                                         reply=True), hlim=54), MAC_GW, MAC_A), 20000)
    # VLAN-tagged NTP and a QinQ frame
    ntp = b'\x23' + b'\0' * 47
    add(eth_vlan(MAC_GW, MAC_A, [(ETH_VLAN, 42)], ETH_IPV4, udp4(H1, '10.42.0.1', 123, 123, ntp)), 50000)
    add(eth_vlan(MAC_GW, MAC_A, [(ETH_QINQ, 7), (ETH_VLAN, 42)], ETH_IPV4,
                 udp4(H1, '10.42.0.1', 123, 123, ntp)), 1000)
    # malformed: UDP length bigger than the datagram, and an IPv4 header with IHL 4
    add(e4(ipv4(H1, H2, 17, udp(H1, H2, 9999, 9999, b'bogus', length=300)), MAC_A, MAC_GW), 70000)
    add(e4(ipv4(H1, H2, 17, udp(H1, H2, 9999, 9999, b'bogus'), ihl=4), MAC_A, MAC_GW), 1000)
    # mDNS-ish chatter and more DNS to pad a realistic background
    for k in range(40):
        n = 'host%d.local' % k
        add(eth('01:00:5e:00:00:fb', MAC_A, ETH_IPV4, udp4(H1, '224.0.0.251', 5353, 5353, dns_query(0, n, 'A', rd=False),
                                                          ttl=255)), 250000 + 1000 * k)
    return seq_times_abs(f, t), LINKTYPE_ETHERNET, False


def seq_times_abs(frames, times_us):
    return [Pkt(fr, BASE_TS + t // 1000000, t % 1000000) for fr, t in zip(frames, times_us)]


# ---------------------------------------------------------------- TCP streams and analysis
class Flow:
    """One TCP connection's two directions: seq/ack bookkeeping for crafted analysis cases.
    c(...) sends from the client, s(...) from the server; each returns the frame and advances
    that side's sequence by the payload (and SYN/FIN) unless told not to."""

    def __init__(self, cport=40000, sport=80, iss=1000, irs=9000, c=H1, s=H2, wscale=None):
        self.ep = {'c': (c, cport), 's': (s, sport)}
        self.nxt = {'c': iss, 's': irs}
        self.wscale = wscale
        self.v6 = ':' in c

    def send(self, who, flags, data=b'', seq=None, ack=None, win=8192, advance=True, opts=b''):
        other = 's' if who == 'c' else 'c'
        (a, ap), (b, bp) = self.ep[who], self.ep[other]
        sq = self.nxt[who] if seq is None else seq
        ak = self.nxt[other] if ack is None else ack
        if flags & TCP_SYN and self.wscale is not None and not opts:
            opts = b'\x01\x03\x03' + bytes([self.wscale])
        seg = tcp(a, b, ap, bp, sq & 0xFFFFFFFF, ak & 0xFFFFFFFF, flags, data, win=win, options=opts)
        macs = (MAC_A, MAC_B) if who == 'c' else (MAC_B, MAC_A)
        fr = e6(ipv6(a, b, 6, seg), *macs) if self.v6 else e4(ipv4(a, b, 6, seg), *macs)
        if advance:
            self.nxt[who] = (sq + len(data) + bool(flags & TCP_SYN) + bool(flags & TCP_FIN)) \
                & 0xFFFFFFFF
        return fr

    def c(self, flags, data=b'', **kw):
        return self.send('c', flags, data, **kw)

    def s(self, flags, data=b'', **kw):
        return self.send('s', flags, data, **kw)

    def handshake(self, win=8192):
        return [self.c(TCP_SYN, win=win), self.s(TCP_SYN | TCP_ACK, win=win), self.c(TCP_ACK, win=win)]


def _timed(steps):
    """steps: (gap_us, frame) pairs -> Pkts at cumulative times."""
    t, out = 1, []
    for gap, fr in steps:
        t += gap
        out.append(Pkt(fr, BASE_TS + t // 1000000, t % 1000000))
    return out


def cap_tcpa_loss():
    """Loss, three dup ACKs, a fast retransmission, a timed-out retransmission, a spurious one,
    an out-of-order segment and an ACK of a segment that was never captured."""
    A, P = TCP_ACK, TCP_PSH
    f = Flow()
    seg = [b'%c' % (65 + i) * 100 for i in range(8)]
    st = [(1000, x) for x in f.handshake()]
    st.append((1000, f.c(P | A, seg[0])))
    base = f.nxt['c']
    f.c(P | A, seg[1])                          # lost: never captured
    st.append((1000, f.c(P | A, seg[2])))       # previous segment not captured
    st.append((100, f.s(A, ack=base)))          # ACK 1 .. then dup ACKs
    st.append((100, f.c(P | A, seg[3])))
    st.append((100, f.s(A, ack=base)))
    st.append((100, f.s(A, ack=base)))
    st.append((100, f.s(A, ack=base)))
    st.append((1000, f.c(P | A, seg[1], seq=base, advance=False)))   # fast retransmission
    st.append((1000, f.s(A)))                                          # all acked
    st.append((1000, f.c(P | A, seg[4])))
    st.append((300000, f.c(P | A, seg[4], seq=f.nxt['c'] - 100, advance=False)))  # RTO retrans
    st.append((1000, f.s(A)))
    st.append((1000, f.c(P | A, seg[4], seq=f.nxt['c'] - 100, advance=False)))   # spurious
    nx = f.nxt['c']
    f.nxt['c'] = nx + 100
    st.append((1000, f.c(P | A, seg[6])))       # a hole of 100 bytes
    st.append((500, f.c(P | A, seg[5], seq=nx, advance=False)))       # out-of-order filler
    st.append((1000, f.s(A)))
    st.append((1000, f.s(A, ack=f.nxt['c'] + 500)))                    # ACKed unseen segment
    return _timed(st), LINKTYPE_ETHERNET, False


def cap_tcpa_window():
    """Zero window, zero window probes and their ACKs, a window update, window full (no
    scaling), keep-alives and their ACKs."""
    A, P = TCP_ACK, TCP_PSH
    f = Flow(cport=40001)
    st = [(1000, x) for x in f.handshake(win=300)]
    st.append((1000, f.c(P | A, b'x' * 100, win=300)))
    st.append((1000, f.c(P | A, b'y' * 200, win=300)))               # fills the 300-byte window
    st.append((1000, f.s(A, win=0)))                                   # zero window
    st.append((200000, f.c(A, b'z', win=300, advance=False)))          # zero window probe
    st.append((1000, f.s(A, win=0)))                                   # probe ACK
    st.append((400000, f.c(A, b'z', win=300, advance=False)))          # probe again
    st.append((1000, f.s(A, win=0)))
    st.append((1000, f.s(A, win=4000)))                                # window update
    st.append((1000, f.c(P | A, b'z' * 50, win=300)))
    st.append((1000, f.s(A, win=4000)))
    st.append((45000000, f.c(A, seq=f.nxt['c'] - 1, advance=False, win=300)))  # keep-alive
    st.append((1000, f.s(A, win=4000)))                                        # keep-alive ACK
    st.append((45000000, f.c(A, b'\0', seq=f.nxt['c'] - 1, advance=False, win=300)))
    st.append((1000, f.s(A, win=4000)))
    st.append((1000, f.s(A, win=4000)))                                        # dup ACK
    return _timed(st), LINKTYPE_ETHERNET, False


def cap_tcpa_wscale():
    """Window scaling from the SYNs (shift 7 and 2), a window-full segment in scaled units, and
    a connection whose SYN/ACK has no scale option (no scaling either way)."""
    A, P = TCP_ACK, TCP_PSH
    f = Flow(cport=40002, wscale=2)
    st = [(1000, f.c(TCP_SYN, win=65535, opts=b'\x01\x03\x03\x07')),
          (1000, f.s(TCP_SYN | A, win=65535, opts=b'\x01\x03\x03\x02')),
          (1000, f.c(A, win=502))]
    st.append((1000, f.s(A, win=100)))                        # 400 bytes after scaling
    st.append((1000, f.c(P | A, b'a' * 150, win=502)))
    st.append((1000, f.c(P | A, b'b' * 250, win=502)))       # window full (400 bytes)
    st.append((1000, f.s(A, win=100)))
    g = Flow(cport=40003, sport=81)
    st += [(1000, g.c(TCP_SYN, win=1000, opts=b'\x01\x03\x03\x05')),
           (1000, g.s(TCP_SYN | A, win=800)), (1000, g.c(A, win=700)),
           (1000, g.s(P | A, b'q' * 700, win=800))]          # window full, unscaled
    return _timed(st), LINKTYPE_ETHERNET, False


def cap_tcpa_reuse():
    """Two sessions on the same ports (the second SYN has another ISN), a SYN retransmission,
    a reset, a half-close with data after the FIN, and UDP flows both ways."""
    A, P, F, R = TCP_ACK, TCP_PSH, TCP_FIN, TCP_RST
    f = Flow(cport=40004, iss=5000)
    st = [(1000, f.c(TCP_SYN))]
    st.append((1000000, f.c(TCP_SYN, seq=5000, advance=False)))     # SYN retransmission
    st += [(1000, f.s(TCP_SYN | A)), (1000, f.c(A))]
    st.append((1000, f.c(P | A, b'hello')))
    st.append((1000, f.s(R | A)))                                     # reset
    g = Flow(cport=40004, iss=77777)
    st += [(1000, x) for x in g.handshake()]                          # ports reused
    st.append((1000, g.c(F | A)))                                     # client half-closes
    st.append((1000, g.s(A)))
    st.append((1000, g.s(P | A, b'still sending')))                   # server keeps sending
    st.append((1000, g.c(A)))
    st.append((1000, g.s(F | A)))
    st.append((1000, g.c(A)))
    st.append((1000, e4(udp4(H1, H2, 5000, 9999, b'q1'))))
    st.append((1000, e4(udp4(H2, H1, 9999, 5000, b'r1'), MAC_B, MAC_A)))
    st.append((1000, e4(udp4(H1, H2, 5001, 9999, b'q2'))))
    st.append((1000, e4(udp4(H1, '10.0.0.3', 5000, 9999, b'q3'))))
    return _timed(st), LINKTYPE_ETHERNET, False


def cap_tcpa_wrap():
    """Sequence numbers that wrap past 2^32, a jump of 2^31 and an overlapping segment with
    different bytes."""
    A, P = TCP_ACK, TCP_PSH
    f = Flow(cport=40005, iss=0xFFFFFF00, irs=0x7FFFFFF0)
    st = [(1000, x) for x in f.handshake()]
    for i in range(4):
        st.append((1000, f.c(P | A, b'w' * 100)))      # crosses 2^32 on the third
        st.append((1000, f.s(A)))
    st.append((1000, f.c(P | A, b'o' * 100, seq=f.nxt['c'] - 50, advance=False)))  # overlap
    st.append((1000, f.c(P | A, b'j' * 10, seq=f.nxt['c'] + 0x80000000, advance=False)))
    st.append((1000, f.s(A)))
    st.append((1000, f.c(P | A, b'n' * 10)))
    return _timed(st), LINKTYPE_ETHERNET, False


def cap_tcpa_midstream():
    """A capture that starts inside connections (no SYN), IPv6 flows and many short ones."""
    A, P = TCP_ACK, TCP_PSH
    st = []
    f = Flow(cport=40006, iss=123456, irs=654321)
    st.append((1000, f.c(P | A, b'm' * 10)))
    st.append((1000, f.s(P | A, b'n' * 20)))
    st.append((1000, f.c(A)))
    for i in range(20):
        g = Flow(cport=41000 + i, sport=443, iss=i * 7919, irs=i * 104729)
        st += [(100, x) for x in g.handshake()]
        st.append((100, g.c(P | A, b'r' * (i + 1))))
        st.append((100, g.s(A)))
    h = Flow(cport=40007)
    st.append((1000, e6(ipv6(V6A, V6B, 6, tcp(V6A, V6B, 40007, 443, 1, 0, TCP_SYN)))))
    st.append((1000, e6(ipv6(V6B, V6A, 6, tcp(V6B, V6A, 443, 40007, 500, 2, TCP_SYN | A)),
                        MAC_B, MAC_A)))
    del h
    return _timed(st), LINKTYPE_ETHERNET, False


# ---------------------------------------------------------------- follow stream (-z follow)
def cap_follow_gap():
    """Two lost segments: the first one's gap is ACKed by the peer (tshark then reports the
    bytes missing), the second is never filled nor ACKed; data both ways and a FIN."""
    A, P, F = TCP_ACK, TCP_PSH, TCP_FIN
    f = Flow(cport=40100)
    st = [(1000, x) for x in f.handshake()]
    st.append((1000, f.c(P | A, b'GET /one HTTP/1.1\r\n\r\n')))
    f.c(P | A, b'lost-1' * 5)                                   # never captured
    st.append((1000, f.c(P | A, b'after the first gap\n')))
    st.append((1000, f.s(P | A, b'HTTP/1.1 200 OK\r\n\r\nbody')))   # ACKs past the gap
    st.append((1000, f.c(P | A, b'more\n')))
    f.s(P | A, b'x' * 7)                                        # lost, never ACKed
    st.append((1000, f.s(P | A, b'tail never placed')))
    st.append((1000, f.c(F | A)))
    return _timed(st), LINKTYPE_ETHERNET, False


def cap_follow_retrans():
    """Retransmissions: the same bytes again, a segment that repeats old bytes and adds new
    ones, and an overlap whose bytes differ (tshark keeps the first)."""
    A, P = TCP_ACK, TCP_PSH
    f = Flow(cport=40101, iss=70000, irs=123)
    st = [(1000, x) for x in f.handshake()]
    st.append((1000, f.c(P | A, b'0123456789')))
    st.append((1000, f.c(P | A, b'0123456789', seq=f.nxt['c'] - 10, advance=False)))
    st.append((1000, f.c(P | A, b'789abcdef', seq=f.nxt['c'] - 3, advance=False)))
    f.nxt['c'] += 6
    st.append((1000, f.s(P | A, b'first')))
    st.append((1000, f.c(P | A, b'XYZghij', seq=f.nxt['c'] - 3, advance=False)))  # differs
    f.nxt['c'] += 4
    st.append((1000, f.s(P | A, b'FIRST', seq=f.nxt['s'] - 5, advance=False)))
    st.append((1000, f.c(P | A, b'end')))
    return _timed(st), LINKTYPE_ETHERNET, False


def cap_follow_ooo():
    """Out-of-order segments held until the hole fills, an overlap between held segments, and
    an ACK from the peer that passes data still held (tshark's gap rule)."""
    A, P = TCP_ACK, TCP_PSH
    f = Flow(cport=40102, iss=5, irs=900)
    st = [(1000, x) for x in f.handshake()]
    b0 = f.nxt['c']
    st.append((1000, f.c(P | A, b'cc', seq=b0 + 4, advance=False)))
    st.append((1000, f.c(P | A, b'bb', seq=b0 + 2, advance=False)))
    st.append((1000, f.c(P | A, b'dddd', seq=b0 + 5, advance=False)))   # overlaps cc
    st.append((1000, f.c(P | A, b'aa', seq=b0, advance=False)))
    f.nxt['c'] = b0 + 9
    st.append((1000, f.s(P | A, b'reply')))
    b1 = f.nxt['s']
    st.append((1000, f.s(P | A, b'later', seq=b1 + 3, advance=False)))
    st.append((1000, f.c(A, ack=b1 + 8)))                                 # ACKs past the hole
    st.append((1000, f.s(P | A, b'xyz', seq=b1, advance=False)))         # the hole, late
    f.nxt['s'] = b1 + 8
    st.append((1000, f.s(P | A, b'!')))
    return _timed(st), LINKTYPE_ETHERNET, False


def cap_follow_wrap():
    """Sequence numbers that wrap past 2^32 both ways, and a stream whose first data sequence
    number is 0 (its SYN had 0xffffffff)."""
    A, P = TCP_ACK, TCP_PSH
    f = Flow(cport=40103, iss=0xFFFFFFF0, irs=0xFFFFFFFA)
    st = [(1000, x) for x in f.handshake()]
    for i in range(3):
        st.append((1000, f.c(P | A, b'%d' % i * 9)))
        st.append((1000, f.s(P | A, b'r%d' % i)))
    g = Flow(cport=40104, iss=0xFFFFFFFF, irs=77)
    st += [(1000, x) for x in g.handshake()]
    st.append((1000, g.c(P | A, b'zero')))
    st.append((1000, g.s(P | A, b'ok')))
    st.append((1000, g.c(P | A, b'again')))
    return _timed(st), LINKTYPE_ETHERNET, False


def cap_follow_udp():
    """A UDP conversation both ways (an empty datagram too) and a second one on IPv6."""
    st = [(1000, e4(udp4(H1, H2, 7000, 7001, b'query one'))),
          (1000, e4(udp4(H2, H1, 7001, 7000, b'answer\x00\x01\x7f\xff'), MAC_B, MAC_A)),
          (1000, e4(udp4(H1, H2, 7000, 7001, b''))),
          (1000, e4(udp4(H1, H2, 7000, 7001, b'line\r\nnext\tTab\n'))),
          (1000, e6(ipv6(V6B, V6A, 17, udp(V6B, V6A, 9000, 9001, b'six')), MAC_B, MAC_A)),
          (1000, e6(ipv6(V6A, V6B, 17, udp(V6A, V6B, 9001, 9000, b'back'))))]
    return _timed(st), LINKTYPE_ETHERNET, False


def cap_follow_ipv6():
    """TCP over IPv6 with data both ways, bytes of every value (ascii mode's dots), a SYN that
    carries data and a FIN with data."""
    A, P, F = TCP_ACK, TCP_PSH, TCP_FIN
    f = Flow(cport=40105, sport=443, c=V6A, s=V6B, iss=42, irs=4242)
    st = [(1000, f.c(TCP_SYN, b'syn-data')), (1000, f.s(TCP_SYN | A)), (1000, f.c(A))]
    st.append((1000, f.c(P | A, bytes(range(256)))))
    st.append((1000, f.s(P | A, b'\r\n\r\nline\n\n\t\x1b[31m')))
    st.append((1000, f.c(F | P | A, b'bye')))
    st.append((1000, f.s(F | P | A, b'bye too')))
    st.append((1000, f.c(A)))
    return _timed(st), LINKTYPE_ETHERNET, False


def cap_follow_snaplen():
    """Segments cut by the snapshot length (caplen < len): tshark follows the captured bytes
    and counts the sequence space of the whole segment."""
    A, P = TCP_ACK, TCP_PSH
    f = Flow(cport=40106)
    st = [(1000, x) for x in f.handshake()]
    st.append((1000, f.c(P | A, b'a' * 40)))
    st.append((1000, f.c(P | A, b'b' * 40)))
    st.append((1000, f.s(P | A, b'c' * 40)))
    b = f.nxt['c']
    st.append((1000, f.c(P | A, b'e' * 40, seq=b + 40, advance=False)))
    st.append((1000, f.c(P | A, b'd' * 40, seq=b, advance=False)))
    f.nxt['c'] = b + 80
    st.append((1000, f.c(P | A, b'f' * 10)))
    pk = _timed(st)
    for i in (4, 6, 7, 8):  # cut 20 bytes into the payload
        pk[i].wirelen = len(pk[i].data)
        pk[i].data = pk[i].data[:14 + 20 + 20 + 20]
    return pk, LINKTYPE_ETHERNET, False


CAPTURES = {
    'udp4': cap_udp4,
    'tcp-handshake': cap_tcp_handshake,
    'tcp-flags': cap_tcp_flags,
    'dns': cap_dns,
    'vlan-qinq': cap_vlan_qinq,
    'arp': cap_arp,
    'icmp-echo': cap_icmp_echo,
    'icmp-unreach-udp': cap_icmp_unreach_udp,
    'ipv6-ext': cap_ipv6_ext,
    'ipv4-opts-frag': cap_ipv4_opts_frag,
    'gre': cap_gre,
    'vxlan': cap_vxlan,
    'erspan': cap_erspan,
    'mpls': cap_mpls,
    'pppoe': cap_pppoe,
    'sll': cap_sll,
    'sll2': cap_sll2,
    'null': cap_null,
    'loop': cap_loop,
    'raw': cap_raw,
    'nano': cap_nano,
    'ctrl-bytes': cap_ctrl_bytes,
    'demo': cap_demo,
    'tcpa-loss': cap_tcpa_loss,
    'tcpa-window': cap_tcpa_window,
    'tcpa-wscale': cap_tcpa_wscale,
    'tcpa-reuse': cap_tcpa_reuse,
    'tcpa-wrap': cap_tcpa_wrap,
    'tcpa-midstream': cap_tcpa_midstream,
    'follow-gap': cap_follow_gap,
    'follow-retrans': cap_follow_retrans,
    'follow-ooo': cap_follow_ooo,
    'follow-wrap': cap_follow_wrap,
    'follow-udp': cap_follow_udp,
    'follow-ipv6': cap_follow_ipv6,
    'follow-snaplen': cap_follow_snaplen,
}
# The TCP analysis cases found on the corpus live in their own file (this one is long enough).
import mkpcap_tcpa  # noqa: E402
CAPTURES.update(mkpcap_tcpa.captures(sys.modules[__name__]))
# DHCP, DHCPv6, NTP and HTTP exchanges and their truncated and lying variants.
import mkpcap_app  # noqa: E402
CAPTURES.update(mkpcap_app.captures(sys.modules[__name__]))
import mkpcap_tls  # noqa: E402
CAPTURES.update(mkpcap_tls.captures(sys.modules[__name__]))
import mkpcap_names  # noqa: E402  (names learned from the capture)
CAPTURES.update(mkpcap_names.captures(sys.modules[__name__]))
import mkpcap_icmp  # noqa: E402  (ICMP type and code names)
CAPTURES.update(mkpcap_icmp.captures(sys.modules[__name__]))
try:  # the quic-* captures need python3-cryptography (tests/deps.sh)
    import mkquic  # noqa: E402
    CAPTURES.update(mkquic.captures(sys.modules[__name__]))
except ImportError:
    pass
for _k in _trunc_caps():
    CAPTURES['truncated-' + _k] = (lambda k: lambda: cap_truncated(k))(_k)
for _k in _lying_caps():
    CAPTURES['lying-' + _k] = (lambda k: lambda: cap_lying(k))(_k)


def build(name, arg=None):
    if name == 'corrupt-record':
        return corrupt_record_bytes()
    if name == 'not-a-capture':
        return b'This is a text file, not a capture.\n' * 4
    if name == 'empty':
        return b''
    if name == 'mixed':
        pk, lt, nano = cap_mixed(int(arg) if arg else 1000)
        return pcap_bytes(pk, lt, nano)
    if name not in CAPTURES:
        raise KeyError(name)
    pk, lt, nano = CAPTURES[name]()
    return pcap_bytes(pk, lt, nano)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('name', nargs='?')
    ap.add_argument('arg', nargs='?')
    ap.add_argument('-o', '--output')
    ap.add_argument('--list', action='store_true')
    ap.add_argument('--dump')
    a = ap.parse_args()
    if a.list:
        for n in sorted(list(CAPTURES) + ['corrupt-record', 'mixed', 'not-a-capture', 'empty']):
            print(n)
        return 0
    if a.dump:
        with open(a.dump, 'rb') as f:
            magic, _, _, _, _, snap, lt = struct.unpack('<IHHiIII', f.read(24))
        print('linktype %d %s' % (lt, 'nanosecond' if magic in (0xA1B23C4D, 0x4D3CB2A1) else 'microsecond'))
        for sec, frac, cl, wl, data in read_pcap(a.dump):
            print(sec, frac, cl, wl, data.hex())
        return 0
    if not a.name or not a.output:
        ap.error('need NAME and -o OUT')
    try:
        data = build(a.name, a.arg)
    except KeyError:
        print('mkpcap.py: unknown capture %r (see --list)' % a.name, file=sys.stderr)
        return 2
    if a.output == '-':
        sys.stdout.buffer.write(data)
    else:
        with open(a.output, 'wb') as f:
            f.write(data)
    return 0


if __name__ == '__main__':
    sys.exit(main())
