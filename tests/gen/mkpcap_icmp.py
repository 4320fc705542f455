"""mkpcap_icmp.py - icmp-types: one ICMP message of every type tshark 4.0 names, errors with
each code (and one unknown code), and the ICMPv6 types and codes, for the Info text (tshark's
type and code names). mkpcap.py registers it; `m` is that module, passed in."""
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

    return {'icmp-types': icmp_types}
