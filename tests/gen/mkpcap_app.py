"""mkpcap_app.py - DHCP, DHCPv6, NTP and HTTP captures for mkpcap.py (dhcp-*, dhcpv6-*, ntp-*,
http-*): the usual exchanges, then truncated and lying variants of each. mkpcap.py registers
them; `m` is that module (builders, Flow, flag bits), passed in as mkpcap_tcpa.py does.
Every capture is compared with tshark by tests/fields (fieldscheck.py) like the others.
"""
import struct

CLIENT_MAC = bytes.fromhex('020000000a01')
COOKIE = b'\x63\x82\x53\x63'


def dhcp_opt(code, value):
    return bytes([code, len(value)]) + value


def bootp(op, xid, options, ciaddr='0.0.0.0', yiaddr='0.0.0.0', siaddr='0.0.0.0', flags=0,
          sname=b'', file=b'', cookie=COOKIE, htype=1, hlen=6, chaddr=CLIENT_MAC):
    hdr = struct.pack('>BBBBIHH', op, htype, hlen, 0, xid, 0, flags)
    for a in (ciaddr, yiaddr, siaddr, '0.0.0.0'):
        hdr += bytes(int(x) for x in a.split('.'))
    hdr += chaddr.ljust(16, b'\0') + sname.ljust(64, b'\0') + file.ljust(128, b'\0')
    return hdr + cookie + options


def ip4b(a):
    return bytes(int(x) for x in a.split('.'))


def dora(m):
    xid = 0x3903f326
    cid = dhcp_opt(61, b'\x01' + CLIENT_MAC)
    prl = dhcp_opt(55, bytes([1, 3, 6, 15, 51, 58, 59]))
    disc = dhcp_opt(53, b'\x01') + cid + dhcp_opt(50, ip4b('192.168.0.10')) + \
        dhcp_opt(12, b'laptop') + prl + b'\xff' + b'\0' * 8
    srv = ip4b('192.168.0.1')
    common = dhcp_opt(54, srv) + dhcp_opt(51, struct.pack('>I', 86400)) + \
        dhcp_opt(58, struct.pack('>I', 43200)) + dhcp_opt(59, struct.pack('>I', 75600)) + \
        dhcp_opt(1, ip4b('255.255.255.0')) + dhcp_opt(3, srv) + \
        dhcp_opt(6, ip4b('192.168.0.1') + ip4b('8.8.8.8')) + dhcp_opt(15, b'example.lan') + \
        dhcp_opt(28, ip4b('192.168.0.255')) + b'\xff'
    offer = dhcp_opt(53, b'\x02') + b'\0\0' + common  # a run of two pad bytes
    req = dhcp_opt(53, b'\x03') + cid + dhcp_opt(50, ip4b('192.168.0.10')) + \
        dhcp_opt(54, srv) + dhcp_opt(12, b'laptop') + prl + b'\xff'
    ack = dhcp_opt(53, b'\x05') + common
    cli, bc = '0.0.0.0', '255.255.255.255'
    return [
        m.e4(m.udp4(cli, bc, 68, 67, bootp(1, xid, disc, flags=0x8000))),
        m.e4(m.udp4('192.168.0.1', '192.168.0.10', 67, 68,
                    bootp(2, xid, offer, yiaddr='192.168.0.10', siaddr='192.168.0.1',
                          file=b'pxelinux.0')), m.MAC_B, m.MAC_A),
        m.e4(m.udp4(cli, bc, 68, 67, bootp(1, xid, req))),
        m.e4(m.udp4('192.168.0.1', '192.168.0.10', 67, 68,
                    bootp(2, xid, ack, yiaddr='192.168.0.10', sname=b'dhcp.example.lan')),
             m.MAC_B, m.MAC_A),
    ]


def dhcp_lying(m):
    xid = 0x11223344
    f = []
    # an option whose length runs past the end of the datagram
    f.append(m.e4(m.udp4('0.0.0.0', '255.255.255.255', 68, 67,
                         bootp(1, xid, dhcp_opt(53, b'\x01') + b'\x0c\x40abc'))))
    # option overload (52 = 3): options in the file, then the sname field
    f.append(m.e4(m.udp4('0.0.0.0', '255.255.255.255', 68, 67,
                         bootp(1, xid + 1, dhcp_opt(53, b'\x03') + dhcp_opt(52, b'\x03') + b'\xff',
                               file=dhcp_opt(12, b'fromfile') + b'\xff',
                               sname=dhcp_opt(50, ip4b('10.1.2.3')) + b'\xff'))))
    # BOOTP: no magic cookie, the 64-byte vendor area
    f.append(m.e4(m.udp4('10.0.0.5', '10.0.0.1', 68, 67,
                         bootp(1, xid + 2, b'\0' * 60, cookie=b'\0\0\0\0'))))
    # a BOOTP reply, non-Ethernet hardware address
    f.append(m.e4(m.udp4('10.0.0.1', '10.0.0.5', 67, 68,
                         bootp(2, xid + 3, b'\0' * 60, cookie=b'\0\0\0\0', htype=6, hlen=3,
                               chaddr=b'\xaa\xbb\xcc'))))
    # lengths the option types do not allow (lease time of 3 bytes, message type of 2)
    f.append(m.e4(m.udp4('0.0.0.0', '255.255.255.255', 68, 67,
                         bootp(1, xid + 4, dhcp_opt(53, b'\x01\x02') + dhcp_opt(51, b'\0\0\1') +
                               dhcp_opt(3, b'\1\2\3\4\5') + b'\xff'))))
    # cut inside the fixed header and inside the sname area
    whole = m.e4(m.udp4('0.0.0.0', '255.255.255.255', 68, 67, bootp(1, xid + 5, b'\xff')))
    f.append(whole[:14 + 20 + 8 + 100])
    f.append(whole[:14 + 20 + 8 + 30])
    return f


def names_dhcp(m):
    """Leases that name their address (--names): a DORA whose client sends its host name
    (option 12), a second client's Request with an FQDN (option 81, ASCII, and a host name),
    a third whose hostile host name must be escaped, an ACK for a client that never sent a
    name, then traffic from each leased address. The Discover and Request come from 0.0.0.0:
    only the ACK's yiaddr ties the name to an address."""
    f = dora(m)
    srv, cli, bc = '192.168.0.1', '0.0.0.0', '255.255.255.255'
    ack = dhcp_opt(53, b'\x05') + dhcp_opt(54, ip4b(srv)) + b'\xff'
    clients = [(bytes.fromhex('020000000a02'), 0x51, '192.168.0.20',
                dhcp_opt(12, b'phone') + dhcp_opt(81, b'\x01\0\0phone.example.lan')),
               (bytes.fromhex('020000000a03'), 0x52, '192.168.0.30',
                dhcp_opt(12, b'evil\x1b[31m\x07' + b'x' * 40))]
    for mac, xid, addr, names in clients:
        req = dhcp_opt(53, b'\x03') + dhcp_opt(50, ip4b(addr)) + names + b'\xff'
        f.append(m.e4(m.udp4(cli, bc, 68, 67, bootp(1, xid, req, chaddr=mac))))
        f.append(m.e4(m.udp4(srv, addr, 67, 68, bootp(2, xid, ack, yiaddr=addr, chaddr=mac)),
                      m.MAC_B, m.MAC_A))
    # an ACK for a client that sent no name teaches nothing
    f.append(m.e4(m.udp4(srv, '192.168.0.40', 67, 68,
                         bootp(2, 0x53, ack, yiaddr='192.168.0.40',
                               chaddr=bytes.fromhex('020000000a04'))), m.MAC_B, m.MAC_A))
    for addr in ('192.168.0.10', '192.168.0.20', '192.168.0.30', '192.168.0.40'):
        f.append(m.e4(m.udp4(addr, srv, 40000, 9, b'hello')))
    return f


def v6opt(code, value):
    return struct.pack('>HH', code, len(value)) + value


def dhcpv6_msgs():
    duid_llt = struct.pack('>HHI', 1, 1, 700000000) + bytes.fromhex('020000000a01')
    duid_ll = struct.pack('>HH', 3, 1) + bytes.fromhex('020000000b01')
    duid_en = struct.pack('>HI', 2, 9) + b'\x01\x02\x03'
    cid, sid = v6opt(1, duid_llt), v6opt(2, duid_ll)
    iaaddr = v6opt(5, bytes.fromhex('20010db8000000000000000000000100') +
                   struct.pack('>II', 3600, 7200))
    ia = v6opt(3, bytes.fromhex('0a000001') + struct.pack('>II', 1800, 2880) + iaaddr)
    ia_empty = v6opt(3, bytes.fromhex('0a000001') + struct.pack('>II', 0, 0))
    oro = v6opt(6, struct.pack('>HHH', 23, 24, 31))
    el = v6opt(8, struct.pack('>H', 150))

    def msg(t, xid, opts):
        return bytes([t]) + xid.to_bytes(3, 'big') + opts

    return [
        msg(1, 0x0badc0, cid + el + oro + ia_empty),
        msg(2, 0x0badc0, ia + cid + sid),
        msg(3, 0x5eed01, cid + sid + el + oro + ia),
        msg(7, 0x5eed01, ia + cid + sid),
        msg(11, 0x000042, v6opt(1, duid_en) + el),
    ]


def relay(inner, depth):
    for _ in range(depth):
        inner = bytes([12, 0]) + bytes(16) + bytes.fromhex('fe800000000000000000000000000001') + \
            v6opt(9, inner)
    return inner


def dhcpv6(m):
    cl, sv, mc = 'fe80::1', 'fe80::2', 'ff02::1:2'
    msgs = dhcpv6_msgs()
    f = []
    for i, p in enumerate(msgs):
        fwd = i in (0, 2, 4)
        src, dst = (cl, mc) if fwd else (sv, cl)
        sp, dp = (546, 547) if fwd else (547, 546)
        f.append(m.e6(m.ipv6(src, dst, 17, m.udp(src, dst, sp, dp, p))))
    relayed = relay(msgs[0], 1)
    f.append(m.e6(m.ipv6('fe80::3', 'ff02::1:2', 17, m.udp('fe80::3', 'ff02::1:2', 547, 547,
                                                           relayed))))
    return f


def dhcpv6_lying(m):
    src, dst = 'fe80::1', 'ff02::1:2'
    msgs = dhcpv6_msgs()

    def fr(p):
        return m.e6(m.ipv6(src, dst, 17, m.udp(src, dst, 546, 547, p)))

    f = [
        fr(msgs[0][:4] + struct.pack('>HH', 1, 200) + b'\0\1'),      # option past the end
        fr(msgs[0][:4] + v6opt(3, b'\0\0')),                          # IA_NA too short
        fr(relay(msgs[0], 10)),                                       # relays 10 deep
        fr(relay(msgs[0], 34)),                                       # deeper than capscope's 32
        fr(msgs[0][:4] + b'\0'),                                      # cut option header
    ]
    f.append(fr(msgs[2])[:14 + 40 + 8 + 20])                          # cut by the capture
    return f


def ntp_pkt(li_vn_mode, stratum=0, poll=6, prec=0xec, refid=b'\0\0\0\0', ts=(0, 0, 0, 0)):
    hdr = struct.pack('>BBBBII', li_vn_mode, stratum, poll, prec, 0x00000d5e, 0x0001a2b3) + refid
    return hdr + b''.join(struct.pack('>Q', t) for t in ts)


def ntp(m):
    t1 = (0xe8f5a2c0 << 32) | 0x7ae147ae   # 2023-11-14, a fraction
    t2 = (0xe8f5a2c0 << 32) | 0x80000000
    t3 = (0xe8f5a2c1 << 32) | 0x00000001
    era1 = (0x00000010 << 32) | 0x40000000  # top bit clear: after 2036
    old = (0x80000000 << 32)                # 1968
    c, s = '10.0.0.1', '10.0.0.123'
    return [
        m.e4(m.udp4(c, s, 50123, 123, ntp_pkt(0xe3, ts=(0, 0, 0, t1)))),
        m.e4(m.udp4(s, c, 123, 50123, ntp_pkt(0x24, 2, 6, 0xe9, b'\xc0\x00\x02\x01',
                                                 (t2, t1, t2, t3))), m.MAC_B, m.MAC_A),
        m.e4(m.udp4(c, s, 123, 123, ntp_pkt(0x19, 3, 10, 0xfa, b'LOCL', (era1, old, 0, era1)))),
        m.e4(m.udp4(c, s, 50124, 123, bytes([0x16, 0x01, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]))),
        m.e4(m.udp4(c, s, 50125, 123, bytes([0x17, 0x00, 0x03, 0x2a]) + bytes(4))),
        m.e4(m.udp4(s, c, 123, 50125, bytes([0x97, 0x00, 0x03, 0x01]) + bytes(4))),
    ]


def ntp_lying(m):
    c, s = '10.0.0.1', '10.0.0.123'
    whole = m.e4(m.udp4(c, s, 50123, 123, ntp_pkt(0xe3, ts=(0, 0, 0, 1 << 63))))
    return [
        whole[:14 + 20 + 8 + 30],                                       # cut in refid
        m.e4(m.udp4(c, s, 50123, 123, ntp_pkt(0xe3)[:20])),            # short datagram
        m.e4(m.udp4(c, s, 50123, 123, b'')),                           # empty
    ]


GET = b'GET /index.html?q=1 HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: curl/8.0\r\n' \
      b'Accept: */*\r\n\r\n'
BODY = b'hello, world\n'
OK = b'HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\n' \
     b'Server: test\r\n\r\n' % len(BODY) + BODY


def http_flow(m, parts_c, parts_s, cport, sport=80, v6=False):
    """A connection whose client sends the parts_c segments, the server parts_s, then FINs."""
    A, P, F = m.TCP_ACK, m.TCP_PSH, m.TCP_FIN
    kw = {'c': 'fd00::1', 's': 'fd00::80'} if v6 else {}
    fl = m.Flow(cport=cport, sport=sport, **kw)
    f = fl.handshake()
    for p in parts_c:
        f.append(fl.c(P | A, p))
    f.append(fl.s(A))
    for p in parts_s:
        f.append(fl.s(P | A, p))
    f += [fl.c(F | A), fl.s(F | A), fl.c(A)]
    return f


def http_get(m):
    post = b'POST /api HTTP/1.0\r\nHost: api.example.com\r\nContent-Type: application/json\r\n' \
           b'Content-Length: 7\r\n\r\n{"a":1}'
    return http_flow(m, [GET], [OK], 41000) + \
        http_flow(m, [post], [b'HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n'], 41001,
                  8080) + \
        http_flow(m, [GET], [b'HTTP/1.1 304 Not Modified\r\n\r\n'], 41002, 5000, v6=True)


def http_split(m):
    """A request whose headers span three segments, a response whose headers and body span
    segments: without reassembly the later segments are Continuations."""
    req = [GET[:10], GET[10:40], GET[40:]]
    resp = [OK[:20], OK[20:70], OK[70:]]
    body = b'x' * 3000
    big = b'HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n' % len(body) + body
    return http_flow(m, req, resp, 42000) + \
        http_flow(m, [GET], [big[:1400], big[1400:2800], big[2800:]], 42001)


def http_lying(m):
    long_line = b'GET / HTTP/1.1\r\nHost: long.example\r\nX-Long: ' + b'a' * 20000 + b'\r\n\r\n'
    return http_flow(m, [b'GET /x HTTP/1.1\r\nHost: a\r\n\r\n'],
                     [b'HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\nshort'], 43000) + \
        http_flow(m, [b'GET /lf HTTP/1.1\nHost: lf.example\nContent-Length: abc\n\n'],
                  [b'HTTP/1.1 200 OK'], 43001) + \
        http_flow(m, [b'GET /\x01\x1b[31m HTTP/1.1\r\nHost: ctl\x07.example\r\n\r\n'],
                  [b'HTTP/1.1 999\r\n\r\n', b'HTTP/1.1 20 Bad\r\n\r\n'], 43002) + \
        http_flow(m, [long_line], [b'\r\n\r\n'], 43003)


def http_until_fin(m):
    """Responses with neither Content-Length nor a chunked body: tshark reassembles the body
    until the server's FIN (a FIN alone, or with the last data); Connection: close or
    keep-alive, HTTP/1.0 and 1.1, no Content-Type; 204 and 304 have no body; a whole response
    in one FIN segment."""
    get = b'GET / HTTP/1.0\r\nHost: fin.example\r\n\r\n'
    html = b'HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n'
    cases = [  # (response segments, FIN with the last one)
        ([html, b'<html>' * 50, b'b' * 300], False),
        ([html, b'<html>' * 50, b'b' * 300], True),
        ([b'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n', b'xyz' * 30, b'q' * 40], False),
        ([b'HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Type: text/plain\r\n\r\n',
          b'k' * 30, b'k' * 40], False),
        ([b'HTTP/1.1 204 No Content\r\n\r\n'], False),
        ([b'HTTP/1.0 304 Not Modified\r\nContent-Type: text/html\r\n\r\n'], False),
        ([b'HTTP/1.0 200 OK\r\nServer: x\r\n\r\n', b'f' * 30, b'g' * 40], False),
        ([html + b'<p>', b'two'], False),
        ([html + b'all in one'], True),
        ([b'HTTP/1.0 200 OK\r\n\r\n', b'x' * 100], False),
    ]
    return http_cases(m, get, cases, 44000)


def http_chunked(m):
    """Chunked responses over segments (no Content-Length, yet not until the FIN): chunks
    split across segments, a chunk extension, a trailer, the last chunk alone; the first
    without Content-Type (its body is data to tshark, dechunked: fieldscheck.py)."""
    get = b'GET /c HTTP/1.1\r\nHost: chunked.example\r\n\r\n'
    h = b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n'
    h0 = b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'
    cases = [
        ([h0 + b'5\r\nhello\r\n', b'6\r\n world\r\n', b'0\r\n\r\n'], False),
        ([h + b'a;ext=1\r\n01234', b'56789\r\n0\r\nX-Trailer: t\r\n\r\n'], False),
        ([h, b'3\r\nabc\r\n0\r\n\r\n'], True),
    ]
    return http_cases(m, get, cases, 44100)


def http_chunked_more(m):
    """Chunked bodies as servers and clients send them: several chunks in one segment,
    extensions (1a;name=val, ;a;b=\"q\"), upper-case and 0x-prefixed sizes, the zero chunk with
    two trailers, a trailer whose end comes in the next segment, a last chunk alone, line ends
    of LF alone, a body of only the zero chunk, a chunked POST and a 26-byte chunk."""
    get = b'GET /m HTTP/1.1\r\nHost: more.example\r\n\r\n'
    h = b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n'
    h0 = b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'
    alpha = b'abcdefghijklmnopqrstuvwxyz'
    cases = [
        ([h0 + b'3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n'], False),
        ([h0 + b'1a;name=val\r\n' + alpha + b'\r\n', b'2;a;b="q"\r\nxy\r\n0\r\n\r\n'], False),
        ([h0 + b'A\r\n0123456789\r\n0x3\r\nabc\r\n0\r\n\r\n'], False),
        ([h + b'4\r\nwxyz\r\n', b'0\r\nA: 1\r\nB: 2\r\n\r\n'], False),
        ([h0 + b'2\r\nok\r\n0\r\nX-Split: 1\r\n', b'\r\n'], False),
        ([h0 + b'5\nhello\n0\n\n'], False),
        ([h0, b'0\r\n\r\n'], False),
        ([h0 + b'3\r\n', b'a', b'bc\r\n', b'0\r\n', b'\r\n'], False),
    ]
    post = b'POST /up HTTP/1.1\r\nHost: more.example\r\nTransfer-Encoding: chunked\r\n\r\n'
    return http_cases(m, get, cases, 44200) + \
        http_flow(m, [post + b'4\r\ndata\r\n', b'0\r\n\r\n'],
                  [b'HTTP/1.1 204 No Content\r\n\r\n'], 44220)


def http_chunked_lying(m):
    """Chunked bodies that lie: a size beyond the data (the FIN comes first), a size of 17
    hex digits (overflows 64 bits), of 9 digits (over 32 bits), over 2^31, negative, not hex,
    a chunk not followed by CRLF, a size line without its end, the zero chunk's line cut; the
    FIN before the zero chunk, in the first segment and in a later one (tshark decodes the
    chunks there are), and before a Content-Length body's end (it waits)."""
    get = b'GET /l HTTP/1.1\r\nHost: lying.example\r\n\r\n'
    h0 = b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'
    cases = [
        ([h0 + b'ff\r\nshort\r\n0\r\n\r\n'], False),
        ([h0 + b'fffffffffffffffff\r\nabc\r\n0\r\n\r\n'], False),
        ([h0 + b'100000003\r\nabc\r\n0\r\n\r\n'], False),
        ([h0 + b'80000001\r\nabc\r\n0\r\n\r\n'], False),
        ([h0 + b'-1\r\nabc\r\n0\r\n\r\n'], False),
        ([h0 + b'zz\r\nabc\r\n0\r\n\r\n'], False),
        ([h0 + b'3\r\nabcXY0\r\n\r\n'], False),
        ([h0 + b'3\r\nabc0\r\n\r\n'], False),
        ([h0 + b'5'], False),
        ([h0 + b'3\r\nabc\r\n0'], True),
        ([h0 + b'3\r\nabc\r\n', b'4\r\ndefg\r\n'], True),
        ([b'HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nab', b'cd'], True),
    ]
    return http_cases(m, get, cases, 44300)


def http_cases(m, get, cases, port):
    """One connection per case: the client's GET, the server's segments (the last with the
    FIN if asked, else a FIN alone after them), the client's FIN."""
    A, P, F = m.TCP_ACK, m.TCP_PSH, m.TCP_FIN
    out = []
    for i, (parts, fin_last) in enumerate(cases):
        fl = m.Flow(cport=port + i, sport=80)
        f = fl.handshake() + [fl.c(P | A, get), fl.s(A)]
        for k, p in enumerate(parts):
            f.append(fl.s(P | A | (F if fin_last and k == len(parts) - 1 else 0), p))
        if not fin_last:
            f.append(fl.s(F | A))
        out += f + [fl.c(F | A), fl.s(A)]
    return out


def captures(m):
    def done(frames):
        return m.seq_times(frames), m.LINKTYPE_ETHERNET, False

    return {
        'dhcp-dora': lambda: done(dora(m)),
        'dhcp-lying': lambda: done(dhcp_lying(m)),
        'names-dhcp': lambda: done(names_dhcp(m)),
        'dhcpv6': lambda: done(dhcpv6(m)),
        'dhcpv6-lying': lambda: done(dhcpv6_lying(m)),
        'ntp': lambda: done(ntp(m)),
        'ntp-lying': lambda: done(ntp_lying(m)),
        'http-get': lambda: done(http_get(m)),
        'http-split': lambda: done(http_split(m)),
        'http-lying': lambda: done(http_lying(m)),
        'http-until-fin': lambda: done(http_until_fin(m)),
        'http-chunked': lambda: done(http_chunked(m)),
        'http-chunked-more': lambda: done(http_chunked_more(m)),
        'http-chunked-lying': lambda: done(http_chunked_lying(m)),
    }
