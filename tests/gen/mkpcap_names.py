"""mkpcap_names.py - captures for the names learned from the capture (names-*): DNS answers
then traffic to the answered addresses, a CNAME chain, a name that changes, hostile names, a
CNAME loop, an mDNS and an LLMNR answer. mkpcap.py registers them; `m` is that module, passed in."""
import struct


def captures(m):
    def a4(s):
        return m.ip4(s)

    def udp_to(src, dst, sport, dport, data=b'x'):
        return m.e4(m.udp4(src, dst, sport, dport, data))

    def passive():
        """Each answer, then a packet to (or from) the address it names."""
        H1, SRV = m.H1, m.DNS_SRV
        fr = []
        # 1. A record: 93.184.216.34 is example.com
        fr.append(udp_to(H1, SRV, 53001, 53, m.dns_query(0x10, 'example.com')))
        fr.append(udp_to(SRV, H1, 53, 53001, m.dns_response(0x10, 'example.com', 'A',
                                                            [(12, 'A', 60, a4(m.WEB))])))
        fr.append(m.e4(m.tcp4(H1, m.WEB, 51000, 80, 1, 0, m.TCP_SYN)))
        # 2. CNAME chain: www.example.org -> web.example.org -> edge.example.net A 10.9.0.80;
        #    the address takes the queried name (the head of the chain)
        fr.append(udp_to(H1, SRV, 53002, 53, m.dns_query(0x11, 'www.example.org')))
        fr.append(udp_to(SRV, H1, 53, 53002, m.dns_response(0x11, 'www.example.org', 'A', [
            (12, 'CNAME', 60, m.dns_name('web.example.org')),
            ('web.example.org', 'CNAME', 60, m.dns_name('edge.example.net')),
            ('edge.example.net', 'A', 60, a4('10.9.0.80'))])))
        fr.append(udp_to(H1, '10.9.0.80', 40000, 443))
        # 3. AAAA over IPv6 addresses
        fr.append(udp_to(H1, SRV, 53003, 53, m.dns_query(0x12, 'v6.example', 'AAAA')))
        fr.append(udp_to(SRV, H1, 53, 53003, m.dns_response(0x12, 'v6.example', 'AAAA',
                                                            [(12, 'AAAA', 60, m.ip6('2001:db8::80'))])))
        fr.append(m.e6(m.ipv6(m.V6A, '2001:db8::80', 17, m.udp(m.V6A, '2001:db8::80', 40001, 9999, b'x'))))
        # 4. a name that changes: 93.184.216.34 is now other.example
        fr.append(udp_to(SRV, H1, 53, 53004, m.dns_response(0x13, 'other.example', 'A',
                                                            [(12, 'A', 60, a4(m.WEB))])))
        fr.append(m.e4(m.tcp4(H1, m.WEB, 51001, 80, 1, 0, m.TCP_SYN)))
        # 5. a hostile name: ESC [31m, BEL, a dot inside a label, a 63-byte label
        evil = [b'\x1b[31mred\x07', b'a.b', b'L' * 63, b'example']
        fr.append(udp_to(SRV, H1, 53, 53005, m.dns_response(0x14, evil, 'A',
                                                            [(12, 'A', 60, a4('10.0.0.99'))])))
        fr.append(udp_to(H1, '10.0.0.99', 40002, 9))
        # 6. a CNAME loop (a -> b -> a) with an address under b: bounded, the address is named
        fr.append(udp_to(SRV, H1, 53, 53006, m.dns_response(0x15, 'a.loop.example', 'A', [
            (12, 'CNAME', 60, m.dns_name('b.loop.example')),
            ('b.loop.example', 'CNAME', 60, m.dns_name('a.loop.example')),
            ('b.loop.example', 'A', 60, a4('10.0.0.77'))])))
        fr.append(udp_to(H1, '10.0.0.77', 40003, 7))
        # 7. an mDNS answer (no question): 10.0.0.42 is printer.local
        mdns = struct.pack('>HHHHHH', 0, 0x8400, 0, 1, 0, 0) + m.dns_name('printer.local') + \
            struct.pack('>HHIH', 1, 0x8001, 120, 4) + a4('10.0.0.42')
        fr.append(m.eth('01:00:5e:00:00:fb', m.MAC_A, m.ETH_IPV4,
                        m.udp4('10.0.0.42', '224.0.0.251', 5353, 5353, mdns)))
        fr.append(udp_to('10.0.0.42', H1, 631, 40004))
        # 8. an LLMNR answer (its flags are conflict and tentative): 10.0.0.5 is winhost
        llmnr = struct.pack('>HHHHHH', 0x77, 0x8000, 1, 1, 0, 0) + m.dns_name('winhost') + \
            struct.pack('>HH', 1, 1) + struct.pack('>HHHIH', 0xC00C, 1, 1, 30, 4) + a4('10.0.0.5')
        fr.append(udp_to('10.0.0.5', H1, 5355, 50000, llmnr))
        fr.append(udp_to(H1, '10.0.0.5', 40005, 445))
        return m.seq_times(fr), m.LINKTYPE_ETHERNET, False

    return {'names-passive': passive}
