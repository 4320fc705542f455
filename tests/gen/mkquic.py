#!/usr/bin/env python3
"""mkquic.py - QUIC captures for capscope's tests: protected Initial packets built as a client
and a server would (RFC 9000, RFC 9001 packet protection, RFC 9369 for version 2).

Python 3 with python3-cryptography (AES-GCM and AES-ECB only; HKDF is the standard library's
HMAC). Every capture is a pure function of its name. mkpcap.py registers the captures below
(quic-*) when the module imports, so TESTLIST rows name them like any other; standalone:

  mkquic.py NAME -o OUT       one capture (see --list)
  mkquic.py mix N -o OUT      N datagrams of QUIC handshakes (Initials, short headers) for
                              benchmarks: distinct connection IDs, SNIs and ports per handshake
  mkquic.py handshake --version 0xff00001b -o OUT
                              the quic-handshake capture in another version (a draft: its
                              Initial salt as draft_salt() picks it)

The pieces are reusable: initial_keys(), protect(), long_header(), client_hello(), frames.
"""
import hashlib
import hmac
import struct
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

V1, V2 = 0x00000001, 0x6B3343CF
SALT = {V1: bytes.fromhex('38762cf7f55934b34d179ae6a4c80cadccbb7f0a'),
        V2: bytes.fromhex('0dede3def700a6db819381be6e269dcbf9bd2ed9')}
LABELS = {V1: (b'quic key', b'quic iv', b'quic hp'), V2: (b'quicv2 key', b'quicv2 iv', b'quicv2 hp')}
# The drafts' salts (draft-ietf-quic-tls-22, -23 and -29, section 5.2), each used up to the
# next one's draft, as tshark 4.0 picks them (quic_create_initial_secrets).
DRAFT_SALTS = [(22, bytes.fromhex('7fbcdb0e7c66bbe9193a96cd21519ebd7a02644a')),
               (28, bytes.fromhex('c3eef712c72ebb5a11a7d2432bb46365bef9f502')),
               (32, bytes.fromhex('afbfec289993d24c9e9786f19c6111e04390a899'))]


def draft_of(version):
    """The draft a version is based on (tshark's quic_draft_version), 0 if none."""
    if version >> 8 == 0xff0000:
        return version & 0xff
    return {0xfaceb001: 22, 0xfaceb002: 27, 0xfaceb00e: 27}.get(version, 0)


def draft_salt(version):
    for upto, salt in DRAFT_SALTS:
        if 0 < draft_of(version) <= upto:
            return salt
    raise KeyError('no Initial salt for version 0x%08x' % version)


# long header packet types (RFC 9000 17.2; version 2 rotates them, RFC 9369 3.2)
TYPES = {V1: {'initial': 0, '0rtt': 1, 'handshake': 2, 'retry': 3},
         V2: {'initial': 1, '0rtt': 2, 'handshake': 3, 'retry': 0}}
# SHA-256 of RFC 9001 Appendix A.2's 1200-byte protected client Initial
RFC9001_A2_SHA256 = '73fa0210cb4a5a17dc10b9dc98e5cc359ba1c20fe7c0e93a9e1dcb473c37e097'


# ---------------------------------------------------------------- key schedule, protection
def hkdf_extract(salt, ikm):
    return hmac.new(salt, ikm, hashlib.sha256).digest()


def expand_label(secret, label, length):
    full = b'tls13 ' + label
    info = struct.pack('>HB', length, len(full)) + full + b'\x00'
    out, t, i = b'', b'', 1
    while len(out) < length:
        t = hmac.new(secret, t + info + bytes([i]), hashlib.sha256).digest()
        out += t
        i += 1
    return out[:length]


def initial_keys(dcid, server, version=V1):
    """(key, iv, hp) of the client's (or the server's) Initial packets, dcid being the
    Destination Connection ID of the client's first Initial."""
    initial = hkdf_extract(SALT[version] if version in SALT else draft_salt(version), dcid)
    secret = expand_label(initial, b'server in' if server else b'client in', 32)
    lk, li, lh = LABELS.get(version, LABELS[V1])
    return expand_label(secret, lk, 16), expand_label(secret, li, 12), expand_label(secret, lh, 16)


def varint(v, n=None):
    """QUIC variable-length integer (RFC 9000 16), in n bytes if given (1, 2, 4 or 8)."""
    if n is None:
        n = 1 if v < 0x40 else 2 if v < 0x4000 else 4 if v < 0x40000000 else 8
    prefix = {1: 0, 2: 0x40, 4: 0x80, 8: 0xC0}[n]
    b = v.to_bytes(n, 'big')
    return bytes([b[0] | prefix]) + b[1:]


def long_header(ptype, version, dcid, scid, pn, pn_len, payload_len, token=b'', ptype_bits=None,
                length=None, token_len=None):
    """The unprotected long header up to and including the packet number. `length` and
    `token_len` override the true values (lying variants)."""
    t = TYPES.get(version, TYPES[V1])[ptype] if ptype_bits is None else ptype_bits
    first = 0xC0 | (t << 4) | (pn_len - 1)
    h = bytes([first]) + struct.pack('>I', version) + bytes([len(dcid)]) + dcid
    h += bytes([len(scid)]) + scid
    if ptype == 'initial':
        h += varint(len(token) if token_len is None else token_len) + token
    h += varint(pn_len + payload_len + 16 if length is None else length, 2)
    return h + pn.to_bytes(pn_len, 'big')


def short_header(dcid, pn, pn_len, key_phase=0, spin=0):
    return bytes([0x40 | (spin << 5) | (key_phase << 2) | (pn_len - 1)]) + dcid + \
        pn.to_bytes(pn_len, 'big')


def protect(keys, header, pn_len, pn, payload):
    """AEAD-seals payload under header (AAD) and applies header protection (RFC 9001 5.3, 5.4)."""
    key, iv, hp = keys
    nonce = bytes(a ^ b for a, b in zip(iv, pn.to_bytes(12, 'big')))
    ct = AESGCM(key).encrypt(nonce, payload, header)
    pn_off = len(header) - pn_len
    sample = ct[4 - pn_len:20 - pn_len]
    enc = Cipher(algorithms.AES(hp), modes.ECB()).encryptor()
    mask = enc.update(sample) + enc.finalize()
    h = bytearray(header)
    h[0] ^= mask[0] & (0x0F if h[0] & 0x80 else 0x1F)
    for i in range(pn_len):
        h[pn_off + i] ^= mask[1 + i]
    return bytes(h) + ct


def initial_packet(dcid, scid, payload, pn=0, pn_len=2, server=False, version=V1, token=b'',
                   key_dcid=None, pad_to=None, **lie):
    """A protected Initial; keys from key_dcid (the client's original DCID, default dcid).
    pad_to: PADDING frames appended so the packet is that long."""
    if pad_to:
        hlen = len(long_header('initial', version, dcid, scid, pn, pn_len, 0, token))
        need = pad_to - hlen - len(payload) - 16
        payload += bytes(max(0, need))
    h = long_header('initial', version, dcid, scid, pn, pn_len, len(payload), token, **lie)
    return protect(initial_keys(key_dcid or dcid, server, version), h, pn_len, pn, payload)


# ---------------------------------------------------------------- frames
def crypto_frame(offset, data):
    return b'\x06' + varint(offset) + varint(len(data)) + data


def ack_frame(largest, delay=0, first_range=0):
    return b'\x02' + varint(largest) + varint(delay) + varint(0) + varint(first_range)


def ping_frame():
    return b'\x01'


def close_frame(error, frame_type=0, reason=b''):
    return b'\x1c' + varint(error) + varint(frame_type) + varint(len(reason)) + reason


# ---------------------------------------------------------------- TLS 1.3 handshake messages
def ext(etype, body):
    return struct.pack('>HH', etype, len(body)) + body


def vec(n, body):
    return len(body).to_bytes(n, 'big') + body


def client_hello(sni, alpn=(b'h3',), random=None, scid=b'', big_share=0):
    """A TLS 1.3 ClientHello as QUIC clients send it. big_share: the size of an extra
    key share (a post-quantum hybrid's, group 0x6399) that pushes it past one packet."""
    random = random or hashlib.sha256(sni).digest()
    exts = [
        ext(0, vec(2, b'\x00' + vec(2, sni))),                                  # server_name
        ext(10, vec(2, b'\x00\x1d\x00\x17' + (b'\x63\x99' if big_share else b''))),
        ext(16, vec(2, b''.join(vec(1, a) for a in alpn))),                     # ALPN
        ext(13, vec(2, b'\x04\x03\x08\x04\x04\x01')),                           # sig algs
        ext(51, vec(2, (struct.pack('>H', 0x6399) + vec(2, bytes(big_share)) if big_share else b'')
                    + struct.pack('>H', 0x1d) + vec(2, hashlib.sha256(random).digest()))),
        ext(45, vec(1, b'\x01')),                                               # psk modes
        ext(43, vec(1, b'\x03\x04')),                                           # versions
        ext(57, b'\x0f' + vec(1, scid) + b'\x04\x04\x80\x10\x00\x00'),          # QUIC params
    ]
    body = b'\x03\x03' + random + b'\x00' + vec(2, b'\x13\x01\x13\x02\x13\x03') + b'\x01\x00'
    body += vec(2, b''.join(exts))
    return b'\x01' + vec(3, body)


def server_hello(random=None):
    random = random or hashlib.sha256(b'server').digest()
    exts = ext(43, b'\x03\x04') + ext(51, struct.pack('>H', 0x1d) + vec(2, bytes(32)))
    body = b'\x03\x03' + random + b'\x00' + b'\x13\x01' + b'\x00' + vec(2, exts)
    return b'\x02' + vec(3, body)


# ---------------------------------------------------------------- captures
def _frames(m, dgrams, v6=False):
    """Ethernet frames of (src, dst, sport, dport, payload) datagrams; with v6 the IPv4
    addresses C and S become IPv6 ones (--print shows the Info column only for IPv6)."""
    out = []
    for src, dst, sport, dport, payload in dgrams:
        if v6:
            src, dst = {C: m.V6A, S: m.V6B}.get(src, src), {C: m.V6A, S: m.V6B}.get(dst, dst)
            out.append(m.e6(m.ipv6(src, dst, 17, m.udp(src, dst, sport, dport, payload))))
        else:
            out.append(m.e4(m.udp4(src, dst, sport, dport, payload)))
    return m.seq_times(out)


C, S = '10.0.0.1', '93.184.216.34'
CDCID = bytes.fromhex('8394c8f03e515708')  # RFC 9001 Appendix A's


def cids(tag):
    """A capture's own (client DCID, client SCID, server SCID): captures merged into one file
    (the display filter test) must not share connection IDs, which connections are found by."""
    h = hashlib.sha256(tag.encode()).digest()
    return h[:8], h[8:12], h[12:20]


CSCID = bytes.fromhex('c1c2c3c4')
SSCID = bytes.fromhex('5e5e5e5e5e5e5e5e')


def handshake(sni=b'www.example.org', dcid=CDCID, cscid=CSCID, sscid=SSCID, version=V1,
              cport=50000, sport=443):
    """A client Initial (ClientHello, padded to 1200), the server's Initial (ACK, ServerHello)
    coalesced with a Handshake packet, a client Initial ACK, and a short header each way."""
    ch = client_hello(sni, scid=cscid)
    c1 = initial_packet(dcid, cscid, crypto_frame(0, ch), pn=0, version=version, pad_to=1200)
    s1 = initial_packet(cscid, sscid, ack_frame(0) + crypto_frame(0, server_hello()), pn=0,
                        server=True, version=version, key_dcid=dcid)
    hs = long_header('handshake', version, cscid, sscid, 0, 2, 40) + bytes(range(56))
    c2 = initial_packet(sscid, cscid, ack_frame(0) + ping_frame(), pn=1, version=version,
                        key_dcid=dcid, pad_to=1200)
    sh_c = short_header(sscid, 0x12, 1) + bytes(range(40))
    sh_s = short_header(cscid, 0x34, 1, key_phase=1) + bytes(range(32))
    return [(C, S, cport, sport, c1), (S, C, sport, cport, s1 + hs), (C, S, cport, sport, c2),
            (C, S, cport, sport, sh_c), (S, C, sport, cport, sh_s)]


def cap_handshake(m):
    d, c, sv = cids('quic-handshake')
    return _frames(m, handshake(dcid=d, cscid=c, sscid=sv)), m.LINKTYPE_ETHERNET, False


def cap_rfc9001(m):
    """RFC 9001 Appendix A.2's client Initial, rebuilt byte for byte, then A.3's server Initial."""
    a2_payload = bytes.fromhex(
        '060040f1010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e868'
        '04fe3a47f06a2b69484c00000413011302010000c000000010000e00000b6578'
        '616d706c652e636f6dff01000100000a00080006001d00170018001000070005'
        '04616c706e000500050100000000003300260024001d00209370b2c9caa47fba'
        'baf4559fedba753de171fa71f50f1ce15d43e994ec74d748002b000302030400'
        '0d0010000e0403050306030203080408050806002d00020101001c0002400100'
        '3900320408ffffffffffffffff05048000ffff07048000ffff08011001048000'
        '75300901100f088394c8f03e51570806048000ffff') + bytes(917)
    a2 = initial_packet(CDCID, b'', a2_payload, pn=2, pn_len=4)
    assert len(a2) == 1200 and hashlib.sha256(a2).hexdigest() == RFC9001_A2_SHA256, \
        'RFC 9001 A.2 not rebuilt byte for byte'
    a3_payload = bytes.fromhex(
        '02000000000600405a020000560303eefce7f7b37ba1d1632e96677825ddf739'
        '88cfc79825df566dc5430b9a045a1200130100002e00330024001d00209d3c94'
        '0d89690b84d08a60993c144eca684d1081287c834d5311bcf32bb9da1a002b00'
        '020304')
    a3 = initial_packet(b'', bytes.fromhex('f067a5502a4262b5'), a3_payload, pn=1, server=True,
                        key_dcid=CDCID)
    return _frames(m, [(C, S, 51000, 443, a2), (S, C, 443, 51000, a3)]), m.LINKTYPE_ETHERNET, False


def retry_packet(odcid, dcid, scid, token, version=V1):
    """A Retry (RFC 9000 17.2.5) with its integrity tag (RFC 9001 5.8, version 1)."""
    first = 0xC0 | (TYPES[version]['retry'] << 4)
    pkt = bytes([first]) + struct.pack('>I', version) + vec(1, dcid) + vec(1, scid) + token
    key = bytes.fromhex('be0c690b9f66575a1d766b54e368c84e')
    nonce = bytes.fromhex('461599d35d632bf2239825bb')
    return pkt + AESGCM(key).encrypt(nonce, b'', vec(1, odcid) + pkt)


def cap_retry(m):
    """A client Initial, the server's Retry (a new SCID and a token), the client's Initial
    again with the token, whose keys come from the Retry's SCID (RFC 9001 5.2), the server's
    Initial, and short headers each way."""
    CDCID, CSCID, SSCID = cids('quic-retry')
    ch = crypto_frame(0, client_hello(b'retry.example.com', scid=CSCID))
    new = bytes.fromhex('7e7e7e7e7e7e7e7e7e')
    token = b'retry-token-0123456789'
    c1 = initial_packet(CDCID, CSCID, ch, pn=0, pad_to=1200)
    r = retry_packet(CDCID, CSCID, new, token)
    c2 = initial_packet(new, CSCID, ch, pn=1, token=token, pad_to=1200)
    s1 = initial_packet(CSCID, new, ack_frame(1) + crypto_frame(0, server_hello()), pn=0,
                        server=True, key_dcid=new)
    sh = short_header(new, 7, 1) + bytes(range(30))
    return _frames(m, [(C, S, 50020, 443, c1), (S, C, 443, 50020, r), (C, S, 50020, 443, c2),
                       (S, C, 443, 50020, s1), (C, S, 50020, 443, sh)], v6=True), \
        m.LINKTYPE_ETHERNET, False


def cap_split(m):
    """A ClientHello with a 1216-byte key share, in two Initials (CRYPTO at offsets 0 and N)."""
    CDCID, CSCID, SSCID = cids('quic-split')
    ch = client_hello(b'pq.example.net', scid=CSCID, big_share=1216)
    cut = 1000
    p1 = initial_packet(CDCID, CSCID, crypto_frame(0, ch[:cut]), pn=0, pad_to=1200)
    p2 = initial_packet(CDCID, CSCID, crypto_frame(cut, ch[cut:]), pn=1, pad_to=1200)
    return _frames(m, [(C, S, 50001, 443, p1), (C, S, 50001, 443, p2)]), m.LINKTYPE_ETHERNET, False


def cap_vn(m):
    """Version Negotiation alone (tshark: UDP), then after a client Initial of a version that
    forces negotiation (0x?a?a?a?a: draft-29 keys), which makes the conversation QUIC, and
    the client's v1 Initial that follows (tshark keeps the first version's keys for it)."""
    CDCID, CSCID, SSCID = cids('quic-vn')
    vn = bytes([0x80]) + bytes(4) + vec(1, CSCID) + vec(1, CDCID) + \
        struct.pack('>III', V1, V2, 0x1A2A3A4A)
    grease = 0x1A2A3A4A
    ch = crypto_frame(0, client_hello(b'vn.example.com', scid=CSCID))
    salt_v = 0xFF00001D
    SALT.setdefault(salt_v, bytes.fromhex('afbfec289993d24c9e9786f19c6111e04390a899'))
    LABELS.setdefault(salt_v, LABELS[V1])
    h = long_header('initial', V1, CDCID, CSCID, 0, 2, 0)
    pad = 1200 - len(h) - len(ch) - 16
    h = long_header('initial', V1, CDCID, CSCID, 0, 2, len(ch) + pad)
    h = h[:1] + struct.pack('>I', grease) + h[5:]
    first = protect(initial_keys(CDCID, False, salt_v), h, 2, 0, ch + bytes(pad))
    again = initial_packet(CDCID, CSCID, ch, pn=0, pad_to=1200)
    return _frames(m, [(S, C, 443, 50002, vn), (C, S, 50003, 443, first),
                       (S, C, 443, 50003, vn), (C, S, 50003, 443, again)], v6=True), \
        m.LINKTYPE_ETHERNET, False


def cap_v2(m):
    """Version 2 (RFC 9369): its own salt, labels and Initial type bits."""
    d, c, sv = cids('quic-v2')
    return _frames(m, handshake(sni=b'v2.example.com', version=V2, cport=50003, dcid=d,
                                cscid=c, sscid=sv)[:2]), \
        m.LINKTYPE_ETHERNET, False


def cap_port(m):
    """A handshake on UDP 4433, found by tshark's heuristic rather than by port."""
    d, c, sv = cids('quic-port')
    return _frames(m, handshake(sni=b'alt.example.com', sport=4433, cport=50004, dcid=d,
                                cscid=c, sscid=sv)[:3]), \
        m.LINKTYPE_ETHERNET, False


def cap_bad(m):
    """Lying and broken Initials, one per datagram: length past the datagram, a token length
    past the packet, a tag that fails, a header cut short, then frames with lying lengths."""
    CDCID, CSCID, SSCID = cids('quic-bad')
    ch = crypto_frame(0, client_hello(b'bad.example.com'))
    good = initial_packet(CDCID, CSCID, ch, pad_to=1200)
    longer = initial_packet(CDCID, CSCID, ch, pad_to=1200, length=3000)
    badtok = initial_packet(CDCID, CSCID, ch, pad_to=1200, token_len=5000)
    badtag = bytearray(good)
    badtag[600] ^= 0x55
    cut = good[:12]
    # decrypts, but its CRYPTO frame claims more than the packet has
    liar = initial_packet(CDCID, CSCID, b'\x06\x00\x44\x00' + ch[4:200], pad_to=None)
    unknown = initial_packet(CDCID, CSCID, b'\x01\x1f' + bytes(30), pad_to=None)
    close = initial_packet(CDCID, CSCID, close_frame(0x0a, 6, b'bad') + bytes(20), pad_to=None)
    d = [good[:1200], longer, badtok, bytes(badtag), cut, liar, unknown, close]
    return _frames(m, [(C, S, 50005 + i, 443, p) for i, p in enumerate(d)], v6=True), \
        m.LINKTYPE_ETHERNET, False


def cap_drafts(m):
    """Drafts 21 to 29 and mvfst's versions, a connection each (client Initial, server
    Initial and Handshake, client Initial): each draft salt tshark 4.0 knows. Over IPv6, where
    --print shows the Info column."""
    versions = [0xff000000 + d for d in range(21, 30)] + [0xfaceb001, 0xfaceb002, 0xfaceb00e]
    dg = []
    for i, v in enumerate(versions):
        d, c, sv = cids('quic-draft-%x' % v)
        dg += handshake(sni=b'd%x.example.com' % v, version=v, cport=50100 + i, dcid=d,
                        cscid=c, sscid=sv)[:3]
    return _frames(m, dg, v6=True), m.LINKTYPE_ETHERNET, False


def cap_version(m, version):
    """quic-handshake in another version (mkquic.py handshake --version V)."""
    d, c, sv = cids('quic-handshake')
    return _frames(m, handshake(dcid=d, cscid=c, sscid=sv, version=version)), \
        m.LINKTYPE_ETHERNET, False


def cap_v6(m):
    """The handshake over IPv6 with a 20-byte DCID (--print shows the Info column for IPv6)."""
    _, c, sv = cids('quic-v6')
    return _frames(m, handshake(dcid=bytes(range(20)), cport=50010, cscid=c, sscid=sv),
                   v6=True), \
        m.LINKTYPE_ETHERNET, False


def cap_mix(m, n):
    """n datagrams: handshakes of 5 datagrams, each with its own CIDs, SNI and client port
    (from 49152: tshark gives some lower ports to other protocols, 10253 to Wi-SUN)."""
    dg = []
    i = 0
    while len(dg) < n:
        dcid, cscid, sscid = cids('mix%d' % i)
        dg += handshake(sni=b'host%d.example.com' % i, dcid=dcid, cport=49152 + i % 16000,
                        cscid=cscid, sscid=sscid)
        i += 1
    return _frames(m, dg[:n]), m.LINKTYPE_ETHERNET, False


def captures(m):
    """The quic-* captures for mkpcap.py's table (m: the mkpcap module)."""
    return {
        'quic-handshake': lambda: cap_handshake(m),
        'quic-rfc9001': lambda: cap_rfc9001(m),
        'quic-split': lambda: cap_split(m),
        'quic-vn': lambda: cap_vn(m),
        'quic-v2': lambda: cap_v2(m),
        'quic-port': lambda: cap_port(m),
        'quic-bad': lambda: cap_bad(m),
        'quic-v6': lambda: cap_v6(m),
        'quic-retry': lambda: cap_retry(m),
        'quic-drafts': lambda: cap_drafts(m),
    }


def main():
    import argparse
    import os
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import mkpcap as m
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('name', nargs='?')
    ap.add_argument('arg', nargs='?')
    ap.add_argument('-o', '--output')
    ap.add_argument('--list', action='store_true')
    ap.add_argument('--version', type=lambda s: int(s, 0),
                    help='with NAME handshake: the QUIC version (0xff00001b: draft-27)')
    a = ap.parse_args()
    caps = captures(m)
    if a.list:
        print('\n'.join(sorted(list(caps) + ['mix', 'handshake'])))
        return 0
    if not a.name or not a.output:
        ap.error('need NAME and -o OUT')
    if a.name == 'mix':
        pk, lt, nano = cap_mix(m, int(a.arg or 1000))
    elif a.name == 'handshake':
        pk, lt, nano = cap_version(m, a.version if a.version is not None else V1)
    elif a.name in caps:
        pk, lt, nano = caps[a.name]()
    else:
        print('mkquic.py: unknown capture %r (see --list)' % a.name, file=sys.stderr)
        return 2
    with open(a.output, 'wb') as f:
        f.write(m.pcap_bytes(pk, lt, nano))
    return 0


if __name__ == '__main__':
    sys.exit(main())
