"""mkpcap_tls.py - TLS captures for mkpcap.py (tls-*): crafted handshakes whose every byte is
known, for the TESTLIST rows, the field comparison with tshark and the fuzz seeds. `m` is the
mkpcap module (Flow, the builders), passed in as mkpcap_tcpa.py does.

  tls-hello     a TLS 1.3 handshake on port 443: ClientHello with GREASE values, SNI, ALPN
                h2 and http/1.1, supported_versions, key_share; ServerHello; change cipher
                spec; application data; a plain fatal alert
  tls-split     the same ClientHello over two segments on port 8443 (recognised by content),
                then two records in one segment and one record over three segments
  tls-edges     reassembly's edges: a retransmitted first part, a lost middle, 70 pending PDUs
  tls-hsfrag    handshake messages over several records (tls_hsr.c): a ClientHello in three
                records of three segments; a Certificate whose records split its header, in a
                record reassembled over two segments; a fragment record sent twice; a
                handshake length that lies (the next handshake record is taken as its rest); a
                certificate length past its list
  reasm-gap     PDUs after a lost segment (reasm.c): a TLS record over three segments whose
                middle one is lost, comes after the third, or after the next record; the same
                with an HTTP response body (reassembly by Content-Length)
  tls-ja4       ClientHellos of the JA4 spec's worked example and two variants (test_ja4.sh)
  tls-lying     records that lie: a record length past its segment (the stream's last), a
                handshake length past its record, an extension length past its block, a
                server_name list and name length that lie, a 0-length name, a 300-byte name
                with control bytes, an ALPN string length past its list
"""
import struct

GREASE = 0x0a0a


def u8(v):
    return struct.pack('>B', v)


def u16(v):
    return struct.pack('>H', v)


def u24(v):
    return struct.pack('>I', v)[1:]


def ext(t, body):
    return u16(t) + u16(len(body)) + body


def sni(name):
    entry = b'\x00' + u16(len(name)) + name
    return ext(0, u16(len(entry)) + entry)


def alpn(*protos):
    lst = b''.join(u8(len(p)) + p for p in protos)
    return ext(16, u16(len(lst)) + lst)


def client_hello(name=b'example.com', protos=(b'h2', b'http/1.1'), extra=b'', exts=None):
    ciphers = [GREASE, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0x00ff]
    if exts is None:
        exts = (ext(GREASE, b'') + (sni(name) if name is not None else b'') +
                ext(11, b'\x03\x00\x01\x02') +
                ext(10, u16(8) + u16(GREASE) + u16(29) + u16(23) + u16(24)) +
                ext(35, b'') + (alpn(*protos) if protos else b'') + ext(23, b'') +
                ext(13, u16(8) + u16(0x0403) + u16(0x0804) + u16(0x0401) + u16(0x0503)) +
                ext(43, u8(6) + u16(GREASE) + u16(0x0304) + u16(0x0303)) +
                ext(45, b'\x01\x01') +
                ext(51, u16(4 + 32) + u16(29) + u16(32) + bytes(range(32))) + extra)
    body = (u16(0x0303) + bytes(range(0x40, 0x60)) + u8(32) + bytes(range(0x80, 0xa0)) +
            u16(2 * len(ciphers)) + b''.join(u16(c) for c in ciphers) + b'\x01\x00' +
            u16(len(exts)) + exts)
    return b'\x01' + u24(len(body)) + body


def server_hello():
    exts = ext(43, u16(0x0304)) + ext(51, u16(29) + u16(32) + bytes(range(0x20, 0x40)))
    body = (u16(0x0303) + bytes(range(0x60, 0x80)) + u8(32) + bytes(range(0x80, 0xa0)) +
            u16(0x1301) + b'\x00' + u16(len(exts)) + exts)
    return b'\x02' + u24(len(body)) + body


def record(ctype, body, version=0x0303):
    return u8(ctype) + u16(version) + u16(len(body)) + body


def captures(m):
    A, P = m.TCP_ACK, m.TCP_PSH

    def done(st):
        return m._timed(st), m.LINKTYPE_ETHERNET, False

    def hello():
        f = m.Flow(cport=50100, sport=443)
        st = [(1000, x) for x in f.handshake()]
        st.append((1000, f.c(P | A, record(22, client_hello(), 0x0301))))
        st.append((1000, f.s(P | A, record(22, server_hello()) + record(20, b'\x01') +
                             record(23, bytes(range(40))))))
        st.append((1000, f.c(P | A, record(20, b'\x01') + record(23, bytes(range(50, 80))))))
        st.append((1000, f.s(P | A, record(21, b'\x02\x28'))))
        return done(st)

    def split():
        f = m.Flow(cport=50200, sport=8443)
        st = [(1000, x) for x in f.handshake()]
        ch = record(22, client_hello(name=b'split.example'), 0x0301)
        st.append((1000, f.c(A, ch[:100])))
        st.append((1000, f.c(P | A, ch[100:])))
        st.append((1000, f.s(P | A, record(22, server_hello()) + record(20, b'\x01'))))
        big = record(23, bytes(i & 0xff for i in range(900)))
        st.append((1000, f.s(A, big[:300])))
        st.append((1000, f.s(A, big[300:600])))
        st.append((1000, f.s(P | A, big[600:] + record(23, b'tail'))))
        return done(st)

    def lying():
        """Each lie in its own stream (a handshake length past its record makes tshark take the
        direction's next records as the rest of that message)."""
        hs = client_hello(name=b'lie.example')
        bad_sni = ext(0, u16(40) + b'\x00' + u16(90) + b'short.example')
        long_name = (b'a\x01b\x1bc\x7f\xff.' * 38)[:300]
        bad_alpn = ext(16, u16(3) + u8(9) + b'h2')
        payloads = [
            # a handshake length past its record
            record(22, hs[:1] + u24(len(hs) + 50) + hs[4:], 0x0301),
            # an extension length past the extensions block
            record(22, client_hello(extra=u16(21) + u16(400)), 0x0301),
            # a server_name list and name length that lie
            record(22, client_hello(name=None, extra=bad_sni), 0x0301),
            # a 0-length name
            record(22, client_hello(name=b''), 0x0301),
            # 300 bytes with control bytes and bytes >= 0x80
            record(22, client_hello(name=long_name), 0x0301),
            # an ALPN string length past its list
            record(22, client_hello(protos=(), extra=bad_alpn), 0x0301),
            # a record length past its segment, and nothing follows
            record(23, bytes(100))[:60],
        ]
        st = []
        for i, p in enumerate(payloads):
            f = m.Flow(cport=50300 + i, sport=443)
            st += [(1000, x) for x in f.handshake()]
            st.append((1000, f.c(P | A, p)))
        return done(st)

    def ja4():
        """ClientHellos for the JA4 spec's worked example (FoxIO-LLC/ja4
        technical_details/JA4.md): its 15 ciphers and 16 extensions in its order, GREASE added;
        then the same with an empty signature_algorithms list; then no SNI and a first ALPN
        value of 0x30 0xab (not alphanumeric at its end)."""
        st = []
        for i, (sig, name, proto) in enumerate(((True, b'example.com', b'h2'),
                                                (False, b'example.com', b'h2'),
                                                (True, None, b'0\xab'))):
            f = m.Flow(cport=50400 + i, sport=443)
            st += [(1000, x) for x in f.handshake()]
            st.append((1000, f.c(P | A, record(22, ja4_hello(sig, name, proto), 0x0301))))
        return done(st)

    def edges():
        """Reassembly's edges: a record over two segments whose first is sent again before
        the second (not appended twice); a record whose middle segment is lost (the PDU is
        abandoned at the gap); then 70 streams that each start a record, completed in the
        same order: capscope keeps 64 pending PDUs (reasm.h), so the first 6 are dropped."""
        st = []
        rec = record(23, bytes(range(200)))
        f = m.Flow(cport=50500, sport=443)
        st += [(1000, x) for x in f.handshake()]
        st.append((1000, f.s(P | A, record(22, server_hello()))))
        b = f.nxt['s']
        st.append((1000, f.s(A, rec[:100])))
        st.append((1000, f.s(A, rec[:100], seq=b, advance=False)))
        st.append((1000, f.s(P | A, rec[100:])))
        f = m.Flow(cport=50501, sport=443)
        st += [(1000, x) for x in f.handshake()]
        st.append((1000, f.s(P | A, record(22, server_hello()))))
        st.append((1000, f.s(A, rec[:80])))
        f.nxt['s'] += 60  # 60 bytes never seen
        st.append((1000, f.s(P | A, rec[140:])))
        flows = [m.Flow(cport=51000 + i, sport=443) for i in range(70)]
        for fl in flows:
            st.append((100, fl.s(A, rec[:50])))
        for fl in flows:
            st.append((100, fl.s(P | A, rec[50:])))
        return done(st)

    def hsfrag():
        st = []
        # a ClientHello in three records, one segment each, the last with a CCS after it
        f = m.Flow(cport=50600, sport=443)
        st += [(1000, x) for x in f.handshake()]
        ch = client_hello(name=b'frag.example', extra=ext(21, bytes(300)))
        st.append((1000, f.c(A, record(22, ch[:200], 0x0301))))
        st.append((1000, f.c(A, record(22, ch[200:400], 0x0301))))
        st.append((1000, f.c(P | A, record(22, ch[400:]) + record(20, b'\x01'))))
        # ServerHello + the Certificate's first 2 bytes; a record of 700 bytes over two
        # segments; the rest with a ServerHelloDone after it
        # each certificate a DER SEQUENCE (tshark's certificate field spans what its BER
        # decoding takes) of OCTET STRINGs
        def der(n):
            body = b''.join(b'\x04\x7d' + bytes((i * 7 + k) & 0xff for i in range(125))
                            for k in range(n // 127)) + b'\x04' + u8(n % 127 - 2) + bytes(n % 127 - 2)
            return b'\x30\x82' + u16(len(body)) + body
        certs = b''.join(u24(len(der(n))) + der(n) for n in (300, 700))
        cert = b'\x0b' + u24(3 + len(certs)) + u24(len(certs)) + certs
        r2 = record(22, cert[2:702])
        # TLS 1.2 (no supported_versions): tshark reads a TLS 1.3 session's Certificate with
        # a request context first, and TLS 1.3 sends its Certificate encrypted anyway
        sh = u16(0x0303) + bytes(range(0x60, 0x80)) + u8(0) + u16(0xc02f) + b'\x00' + u16(0)
        st.append((1000, f.s(A, record(22, b'\x02' + u24(len(sh)) + sh + cert[:2]))))
        st.append((1000, f.s(A, r2[:400])))
        st.append((1000, f.s(A, r2[400:])))
        st.append((1000, f.s(P | A, record(22, cert[702:] + b'\x0e\x00\x00\x00'))))
        # a fragment record sent twice before the rest
        f = m.Flow(cport=50601, sport=443)
        st += [(1000, x) for x in f.handshake()]
        ch = client_hello(name=b'twice.example')
        b = f.nxt['c']
        st.append((1000, f.c(A, record(22, ch[:100], 0x0301))))
        st.append((1000, f.c(A, record(22, ch[:100], 0x0301), seq=b, advance=False)))
        st.append((1000, f.c(P | A, record(22, ch[100:], 0x0301))))
        # a handshake length that lies: the next handshake record is its rest
        f = m.Flow(cport=50602, sport=443)
        st += [(1000, x) for x in f.handshake()]
        ch = client_hello(name=b'lie.example')
        st.append((1000, f.c(P | A, record(22, ch[:1] + u24(len(ch) + 16) + ch[4:], 0x0301))))
        st.append((1000, f.c(P | A, record(23, bytes(30)))))
        st.append((1000, f.c(P | A, record(22, b'\x14' + u24(12) + bytes(12)))))
        # a certificate length past its list, in one record
        f = m.Flow(cport=50603, sport=443)
        st += [(1000, x) for x in f.handshake()]
        certs = u24(500) + bytes(100)
        st.append((1000, f.s(P | A, record(22, b'\x0b' + u24(3 + len(certs)) + u24(len(certs)) +
                                             certs))))
        return done(st)

    def gap():
        st = []
        rec = record(23, bytes(i & 0xff for i in range(300)))
        nxt = record(23, b'next record')
        body = bytes(b'0123456789abcdef'[k % 16] for k in range(300))
        resp = b'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 300\r\n\r\n' + body
        for i, mode in enumerate(('lost', 'late', 'later') * 2):
            http = i >= 3
            f = m.Flow(cport=52000 + i, sport=80 if http else 443)
            st += [(1000, x) for x in f.handshake()]
            if http:
                st.append((1000, f.c(P | A, b'GET / HTTP/1.1\r\nHost: gap.example\r\n\r\n')))
                pdu, after = resp, b'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n'
            else:
                st.append((1000, f.s(P | A, record(22, server_hello()))))
                pdu, after = rec, nxt
            b = f.nxt['s']
            n1 = len(pdu) - 200
            st.append((1000, f.s(A, pdu[:n1])))
            f.nxt['s'] += 100  # the middle segment: lost, or sent below
            st.append((1000, f.s(A, pdu[n1 + 100:])))
            if mode == 'late':
                st.append((1000, f.s(A, pdu[n1:n1 + 100], seq=b + n1, advance=False)))
            st.append((1000, f.s(P | A, after)))
            if mode == 'later':
                st.append((1000, f.s(A, pdu[n1:n1 + 100], seq=b + n1, advance=False)))
            st.append((1000, f.s(P | A, after)))
        return done(st)

    return {'tls-hello': hello, 'tls-split': split, 'tls-lying': lying, 'tls-ja4': ja4,
            'tls-edges': edges, 'tls-hsfrag': hsfrag, 'reasm-gap': gap}


JA4_CIPHERS = [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013,
               0xc014, 0x009c, 0x009d, 0x002f, 0x0035]
JA4_EXTS = [0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023,
            0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015]
JA4_SIGS = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601]


def ja4_hello(sigs, name, proto):
    """The spec example's hello (see captures' ja4); extensions without a body here have
    an empty one (JA4 reads only their types)."""
    exts = ext(GREASE, b'')
    for t in JA4_EXTS:
        if t == 0x0000:
            exts += sni(name) if name is not None else b''
        elif t == 0x0010:
            exts += alpn(proto)
        elif t == 0x000d:
            lst = b''.join(u16(v) for v in JA4_SIGS) if sigs else b''
            exts += ext(13, u16(len(lst)) + lst)
        elif t == 0x002b:
            exts += ext(43, u8(6) + u16(0x1a1a) + u16(0x0304) + u16(0x0303))
        elif t == 0x000a:
            exts += ext(10, u16(6) + u16(0x2a2a) + u16(29) + u16(23))
        elif t == 0x000b:
            exts += ext(11, b'\x01\x00')
        else:
            exts += ext(t, b'')
    exts += ext(0xfafa, b'\x00')
    ciphers = [0x3a3a] + JA4_CIPHERS
    body = (u16(0x0303) + bytes(32) + u8(0) + u16(2 * len(ciphers)) +
            b''.join(u16(c) for c in ciphers) + b'\x01\x00' + u16(len(exts)) + exts)
    return b'\x01' + u24(len(body)) + body
