"""mkpcap_icmp.py - icmp-types: one ICMP message of every type tshark 4.0 names, errors with
each code (and one unknown code), and the ICMPv6 types and codes, for the Info text (tshark's
type and code names); icmp-echo-match: echo requests and replies for tshark's request/reply
matching (replies, duplicates, missing replies, wrong ids, id reuse, v4 and v6). mkpcap.py
registers it; `m` is that module, passed in."""
import struct


def captures(m):
    def icmp_types():
        q = m.ipv4('10.0.0.1', '10.0.0.2', 17, m.udp('10.0.0.1', '10.0.0.2', 1000, 2000, b'abcd'))
        fr = []
        errors = [(3, c) for c in range(17)] + [(5, c) for c in range(5)] + \
            [(11, 0), (11, 1), (11, 2), (12, 0), (12, 1), (12, 2), (12, 3), (4, 0), (4, 1)]
        for t, c in errors:
            fr.append(m.e4(m.ipv4(m.H1, m.H2, 1, m.icmp_error(t, c, q))))
        others = [(9, 0), (9, 16), (9, 1), (10, 0), (15, 0), (16, 0), (17, 0), (18, 0), (6, 0),
                  (1, 0), (19, 0), (20, 0), (30, 0), (31, 0), (40, 0), (40, 1), (41, 0), (42, 0),
                  (43, 0), (43, 1), (44, 0), (255, 0), (8, 1), (0, 5)]
        for t, c in others:
            fr.append(m.e4(m.ipv4(m.H1, m.H2, 1, m.icmp(t, c, struct.pack('>HH', 7, 258), b'x' * 8),
                                  ttl=33)))
        a, b = m.V6A, m.V6B
        body = b'\0' * 4 + m.ip6('2001:db8::9') + bytes([1, 1]) + m.mac('02:00:00:00:00:0c')
        v6 = [(1, c) for c in range(9)] + [(2, 0), (3, 0), (3, 1), (3, 2), (4, 0), (4, 1), (4, 2),
                                           (4, 3), (4, 4), (128, 0), (133, 0), (135, 0),
                                           (136, 0), (100, 0), (200, 0), (255, 0), (5, 0)]
        quoted = b'\0' * 4 + m.ipv6(b, a, 17, m.udp(b, a, 1000, 2000, b'abcd'))
        for t, c in v6:  # errors (1-4) quote an IPv6 packet, the others carry an ND body
            fr.append(m.e6(m.ipv6(a, b, 58, m.icmp6(a, b, t, c, quoted if t <= 4 else body),
                                  hlim=77)))
        fr.append(m.e6(m.ipv6(a, b, 58, m.icmp6_na(a, b, '2001:db8::1', '02:00:00:00:00:0d'))))
        fr.append(m.e6(m.ipv6(a, b, 58, m.icmp6_na(a, b, '2001:db8::1', '02:00:00:00:00:0d',
                                                   flags=0xe0000000))))
        fr.append(m.e6(m.ipv6(a, b, 58, m.icmp6_na(a, b, '2001:db8::1', '02:00:00:00:00:0d',
                                                   flags=0))))
        fr.append(m.e6(m.ipv6(a, b, 58, m.icmp6(a, b, 135, 0, b'\0' * 4 + m.ip6('2001:db8::9')))))
        return m.seq_times(fr), m.LINKTYPE_ETHERNET, False

    def icmp_echo_match():
        e4, ip4, echo = m.e4, m.ipv4, m.icmp_echo
        H1, H2, H3 = m.H1, m.H2, '10.0.0.3'
        pay = b'abcdefgh'

        def v4(src, dst, ident, seq, reply=False, data=pay):
            return e4(ip4(src, dst, 1, echo(ident, seq, data, reply)))
        a, b, c = m.V6A, m.V6B, '2001:db8::3'

        def v6(src, dst, ident, seq, reply=False, data=pay):
            return m.e6(m.ipv6(src, dst, 58, m.icmp6_echo(src, dst, ident, seq, data, reply)))
        def ck4(fn, src, dst, ident, reply, want, write=None):
            """An echo whose checksum is `want` (its data's last word chosen for it), written
            as `write` (0xffff for 0 is the same sum: a valid checksum either way)."""
            def ones(x, y):
                s = x + y
                return (s & 0xffff) + (s >> 16)
            fr = fn(src, dst, ident, 1, reply, b'abcdef\0\0')
            at = 14 + (40 if fn is v6 else 20) + 2  # the checksum (v4 frames are padded)
            have = int.from_bytes(fr[at:at + 2], 'big')
            word = ones(~want & 0xffff, have)  # sum += word makes the checksum `want`
            end = at + 2 + 4 + 8  # the data's last word ends here
            write = want if write is None else write
            return (fr[:at] + write.to_bytes(2, 'big') + fr[at + 2:end - 2] +
                    word.to_bytes(2, 'big') + fr[end:])
        q = ip4(H2, H1, 1, echo(9, 9, pay))  # an echo request quoted in an error
        fr = [
            v4(H1, H2, 1, 1), v4(H2, H1, 1, 1, True),            # 1, 2: matched
            v4(H2, H1, 1, 1, True),                              # 3: a duplicate reply
            v4(H1, H2, 1, 2),                                    # 4: never answered
            v4(H1, H2, 2, 3), v4(H2, H1, 3, 3, True),            # 5, 6: wrong id
            v4(H2, H1, 2, 3, True, b'other da'),                 # 7: other data
            v4(H2, H1, 2, 3, True),                              # 8: answers 5
            v4(H1, H2, 1, 1), v4(H2, H1, 1, 1, True),            # 9, 10: id and seq reused
            v4(H1, H2, 7, 1), v4(H1, H2, 7, 1), v4(H2, H1, 7, 1, True),  # 11-13: request twice
            v4(H1, H2, 8, 1), v4(H3, H1, 8, 1, True),            # 14, 15: another host answers
            v4(H2, H1, 4, 4), v4(H1, H2, 4, 4, True),            # 16, 17: the other way round
            e4(ip4(H1, H2, 1, m.icmp_error(3, 3, q))),           # 18: quoted request
            v4(H2, H1, 9, 9, True),                              # 19: answers nothing
            v4(H1, H2, 10, 1, data=b''), v4(H2, H1, 10, 1, True, b''),  # 20, 21: no data
            v6(a, b, 1, 1), v6(b, a, 1, 1, True), v6(b, a, 1, 1, True),  # 22-24
            v6(a, b, 1, 2), v6(a, b, 2, 3), v6(b, a, 3, 3, True),        # 25-27
            v6(b, a, 2, 3, True, b'other da'), v6(b, a, 2, 3, True),     # 28, 29
            v6(a, b, 1, 1), v6(c, a, 1, 1, True), v6(b, a, 1, 1, True),  # 30-32
            v4(H1, H2, 0xffff, 0xffff), v4(H2, H1, 0xffff, 0xffff, True),  # 33, 34
            # the two zeros of ones' complement: tshark folds one key into the other
            ck4(v4, H1, H2, 20, False, 0xf7ff), ck4(v4, H2, H1, 20, True, 0),        # 35, 36
            ck4(v4, H1, H2, 21, False, 0xf7ff), ck4(v4, H2, H1, 21, True, 0, 0xffff),  # 37, 38
            ck4(v6, a, b, 22, False, 0), ck4(v6, b, a, 22, True, 0xfeff),            # 39, 40
            ck4(v6, a, b, 23, False, 0, 0xffff), ck4(v6, b, a, 23, True, 0xfeff),    # 41, 42
            ck4(v6, a, b, 24, False, 0x0100), ck4(v6, b, a, 24, True, 0),            # 43, 44
            ck4(v6, a, b, 25, False, 0x0100), ck4(v6, b, a, 25, True, 0, 0xffff),    # 45, 46
        ]
        # nanosecond times: the response times are not round numbers of microseconds
        return m.seq_times(fr, step_us=1234567, nano=True), m.LINKTYPE_ETHERNET, True

    return {'icmp-types': icmp_types, 'icmp-echo-match': icmp_echo_match}
