"""mkpcap_tcpa.py - TCP analysis captures for mkpcap.py (tcpa-*) beyond its first six, and
udpn-* (which UDP headers get a udp.stream): each reproduces a rule of tshark 4.0's stream
numbering or sequence analysis first found in the shared corpus, so it stays checked without the
corpus (tests/streams). mkpcap.py registers them; `m` is that module (Flow,
the builders, the flag bits), passed in rather than imported so the script and the module agree.
"""
import struct


def sack(*blocks):
    """A SACK option (RFC 2018) of (left, right) edges, two NOPs in front to align it."""
    b = b''.join(struct.pack('>II', lo & 0xFFFFFFFF, hi & 0xFFFFFFFF) for lo, hi in blocks)
    return b'\x01\x01' + bytes([5, 2 + len(b)]) + b


def frag6(frame, more):
    """An Ethernet/IPv6 frame with a fragment header (offset 0) put in front of its payload:
    a first fragment with `more`, else an atomic fragment (RFC 6946)."""
    ip = frame[14:54]
    plen, nxt = struct.unpack('>HB', ip[4:7])
    fh = struct.pack('>BBHI', nxt, 0, 1 if more else 0, 0x1234)
    ip = ip[:4] + struct.pack('>HB', plen + 8, 44) + ip[7:]
    return frame[:14] + ip + fh + frame[54:]


def captures(m):
    A, P, F, S = m.TCP_ACK, m.TCP_PSH, m.TCP_FIN, m.TCP_SYN

    def done(st):
        return m._timed(st), m.LINKTYPE_ETHERNET, False

    def dupack_data():
        """Dup ACKs, then data from the same side with the same ACK number: tshark keeps the
        dup ACK count (it restarts only when the ACK number moves), so the other side's resend
        is a fast retransmission and the dup ACK after the data is #2 of the first ACK (zeek
        tcp__ssh-dups). After the ACK moves, one dup ACK and data is no fast retransmission."""
        f = m.Flow(cport=40010)
        st = [(1000, x) for x in f.handshake()]
        st.append((1000, f.c(P | A, b'a' * 100)))
        lost = f.nxt['c']
        f.nxt['c'] += 100                                   # never captured
        st.append((1000, f.c(P | A, b'c' * 100)))
        st.append((100, f.s(A, ack=lost)))
        st.append((100, f.s(A, ack=lost)))                  # dup ACK #1
        st.append((100, f.s(P | A, b'r' * 40, ack=lost)))   # data, same ACK: the count stays
        st.append((100, f.s(A, ack=lost)))                  # dup ACK #2 of the first ACK
        st.append((1000, f.c(P | A, b'b' * 100, seq=lost, advance=False)))  # fast
        st.append((1000, f.s(A)))                           # the ACK moves: count restarts
        st.append((1000, f.c(P | A, b'd' * 100)))
        st.append((100, f.s(A, ack=f.nxt['c'] - 100)))
        st.append((100, f.s(P | A, b's' * 40, ack=f.nxt['c'] - 100)))
        st.append((1000, f.c(P | A, b'd' * 100, seq=f.nxt['c'] - 100, advance=False)))
        return done(st)

    def fin_resend():
        """A SYN, a SYN/ACK and a FIN resent within microseconds: tshark counts the SYN or FIN
        in where the segment ends, so each is a retransmission, not out-of-order; a data
        segment resent as soon that does not end at the highest sequence still is."""
        f = m.Flow(cport=40011)
        st = [(1000, f.c(S)), (10, f.c(S, seq=f.nxt['c'] - 1, advance=False))]
        st += [(1000, f.s(S | A)), (10, f.s(S | A, seq=f.nxt['s'] - 1, advance=False))]
        st.append((1000, f.c(A)))
        st.append((1000, f.c(P | A, b'a' * 10)))
        st.append((100, f.c(F | P | A, b'b' * 10)))
        st.append((10, f.c(F | P | A, b'b' * 10, seq=f.nxt['c'] - 11, advance=False)))
        st.append((10, f.c(P | A, b'b' * 10, seq=f.nxt['c'] - 11, advance=False)))
        st.append((1000, f.s(A)))
        st.append((100, f.s(F | A)))
        st.append((10, f.s(F | A, seq=f.nxt['s'] - 1, advance=False)))
        st.append((1000, f.c(A)))
        return done(st)

    def unseen():
        """ACKs of data never captured (zeek tcp__reassembly). Past everything the other side
        sent: flagged while that side's dup ACK count is 0, then not again until its ACK number
        moves; a resend answering it is a fast retransmission, and a dup ACK from that side
        counts 1. Past a hole that side left: flagged each time the hole is passed."""
        f = m.Flow(cport=40012)
        st = [(1000, x) for x in f.handshake()]
        st.append((20000, f.c(P | A, b'a' * 274)))
        st.append((100, f.s(A)))
        st.append((500, f.s(P | A, b'x' * 10)))
        st.append((80000, f.c(A, b'b' * 1440, ack=f.nxt['s'] - 10)))
        st.append((200, f.s(A, ack=f.nxt['c'] + 8)))        # ACKed unseen
        st.append((200, f.s(A, ack=f.nxt['c'] + 8)))        # not again
        st.append((200, f.s(P | A, b'x' * 10, seq=f.nxt['s'] - 10, ack=f.nxt['c'] + 8,
                            advance=False)))                # fast retransmission
        st.append((200, f.c(A, ack=f.nxt['s'] - 10)))       # dup ACK #1
        f.nxt['c'] += 8
        st.append((200, f.c(A, b'c' * 100, ack=f.nxt['s'] - 10)))   # a hole of 8
        st.append((200, f.s(A, ack=f.nxt['c'])))            # past the hole: flagged
        st.append((200, f.c(A, b'd' * 100)))
        st.append((200, f.s(A, ack=f.nxt['c'] + 50)))       # ACK moved: flagged again
        return done(st)

    def sack_cap():
        """Dup ACKs carrying SACK blocks (RFC 2018): they stay dup ACKs (tshark's flags ignore
        SACK), and the other side's bytes in flight drop by every block of the last SACK it
        received (one block, two, three; none after an ACK without the option; a block larger
        than the flight hides the value)."""
        f = m.Flow(cport=40013, iss=1000, irs=9000)
        st = [(1000, x) for x in f.handshake()]
        st.append((1000, f.c(P | A, b'a' * 100)))
        c0 = f.nxt['c']
        f.nxt['c'] += 100                                   # lost
        st.append((1000, f.c(P | A, b'b' * 100)))
        st.append((1000, f.c(P | A, b'c' * 10)))
        st.append((100, f.s(A, ack=c0, opts=sack((c0 + 100, c0 + 210)))))
        st.append((100, f.s(A, ack=c0, opts=sack((c0 + 100, c0 + 200), (c0 + 200, c0 + 210)))))
        st.append((100, f.c(P | A, b'd' * 20)))
        st.append((100, f.s(A, ack=c0, opts=sack((c0 + 100, c0 + 5000)))))
        st.append((100, f.c(P | A, b'e' * 20)))
        st.append((100, f.s(A, ack=c0)))
        st.append((100, f.c(P | A, b'f' * 20)))
        st.append((100, f.s(A, ack=c0, opts=sack((c0 + 100, c0 + 110), (c0 + 120, c0 + 140),
                                                 (c0 + 150, c0 + 190)))))
        st.append((100, f.c(P | A, b'g' * 20)))
        st.append((100, f.c(F | P | A, b'h' * 20)))
        st.append((1000, f.c(P | A, b'b' * 100, seq=c0, advance=False)))   # fast
        st.append((100, f.s(A)))
        return done(st)

    def syn_late():
        """A SYN captured after its SYN/ACK (zeek tcp__handshake-reorder; ACK field 0), and one
        after a pure ACK from the other side: the SYN's sequence number is already known from
        that ACK, and tshark shows an empty SEQ/ACK analysis tree on it (no flag, no value).
        The second SYN/ACK's number is not the one the pure ACK implied: tshark flags it "Port
        numbers reused" in the same stream and counts from it (zeek tcp__rst-inject-rae)."""
        f = m.Flow(cport=40014, iss=1000, irs=9000)
        st = [(1000, f.s(S | A, ack=1001)), (300, f.c(S, ack=0)), (100, f.c(A))]
        st.append((1000, f.c(P | A, b'a' * 10)))
        st.append((1000, f.s(A)))
        g = m.Flow(cport=40015, iss=5000, irs=7000)
        st.append((1000, g.s(A, ack=5001)))
        st.append((100, g.c(S, ack=0)))
        st.append((100, g.s(S | A)))
        st.append((100, g.c(A)))
        return done(st)

    def noseglen():
        """Segments tshark 4.0 gives no segment length (pinfo->fragmented, or fewer bytes than
        the header length): a first IPv4 fragment (MF) holding a whole segment and a header
        whose data offset says 60 bytes in a 20-byte segment show raw numbers, no tcp.len or
        nxtseq and no analysis, and do not move the stream's state (the next data is "previous
        segment not captured"). A retransmission whose options the capture cut (caplen < len):
        analysed, but tshark throws in the options before its SEQ/ACK tree and Info notes
        (tcpdump *-oobr, zeek ipv4__fragmented-syn, synthetic P14-tcp-doff-15-short). Then
        the same over IPv6, where an atomic fragment (offset 0, no more) is no fragment."""
        f = m.Flow(cport=40016, iss=1000, irs=9000)
        st = [(1000, x) for x in f.handshake()]
        frag = bytearray(f.c(P | A, b'a' * 30))
        frag[14 + 6] |= 0x20                                # IPv4 MF: a first fragment
        st.append((1000, bytes(frag)))
        st.append((1000, f.c(P | A, b'b' * 30)))
        short = bytearray(f.c(A))
        short[14 + 20 + 12] = 0xF0 | (short[14 + 20 + 12] & 0x0F)   # data offset 15
        st.append((1000, bytes(short)))
        st.append((1000, f.s(A)))
        ts = b'\x01\x01\x08\x0a' + bytes(8)
        st.append((1000, f.c(P | A, b'b' * 30, seq=f.nxt['c'] - 30, advance=False, opts=ts)))
        st.append((1000, f.c(P | A, b'c' * 30, opts=ts)))
        st.append((1000, f.s(A)))
        # IPv6: a first fragment (M set) is as the IPv4 one; an atomic fragment is no fragment
        # to tshark (zeek ipv6-http-atomic-frag): its segment is analysed as any other
        g = m.Flow(cport=40017, c='2001:db8::1', s='2001:db8::2')
        st += [(1000, frag6(x, False)) for x in g.handshake()]
        st.append((1000, frag6(g.c(P | A, b'a' * 30), True)))
        st.append((1000, frag6(g.c(P | A, b'b' * 30), False)))
        st.append((1000, g.s(A)))
        pk = m._timed(st)
        pk[7].wirelen = len(pk[7].data)
        pk[7].data = pk[7].data[:14 + 20 + 20 + 6]          # cut inside the options
        return pk, m.LINKTYPE_ETHERNET, False

    def udp_badlen():
        """UDP lengths tshark 4.0 refuses before it numbers the datagram: below 8 over IPv4
        and IPv6 (0 and 7; synthetic P12-udp-len-0, tcpdump bigtcp-ipv4-vxlan-ipv6), except 0
        over IPv6 (a jumbogram, RFC 2675); a length past the IP payload is marked and still
        numbered; a header cut after the ports gets no number (tcpdump
        udp-length-heapoverflow)."""
        def dgram(src, dst, ln, cut=None):
            u = struct.pack('>HHHH', 5000, 53, ln, 0) + b'x' * 10
            if ':' in src:
                return m.e6(m.ipv6(src, dst, 17, u))
            return m.e4(m.ipv4(src, dst, 17, u if cut is None else u[:cut]))
        a, b, a6, b6 = '10.0.0.1', '10.0.0.2', '2001:db8::1', '2001:db8::2'
        st = [(100, dgram(a, b, 0)), (100, dgram(a, b, 7)), (100, dgram(a, b, 18)),
              (100, dgram(a, b, 40)), (100, dgram(a6, b6, 0)), (100, dgram(a6, b6, 5)),
              (100, dgram(a6, b6, 60)), (100, dgram(a, '10.0.0.3', 18, cut=4)),
              (100, dgram(a, '10.0.0.3', 18))]
        return done(st)

    def udp_raw6():
        """LINKTYPE_IPV6 (229) frames: tshark 4.0 hands them to IPv6 whatever the version
        nibble, so an IPv4 datagram there is a bad IPv6 header and its UDP gets no stream
        (tcpdump LINKTYPE_IPV6_invalid); an IPv6 one is numbered."""
        st = [(100, m.ipv4('10.0.0.1', '10.0.0.2', 17, m.udp('10.0.0.1', '10.0.0.2', 5000, 53,
                                                             b'x' * 10))),
              (100, m.ipv6('2001:db8::1', '2001:db8::2', 17,
                           m.udp('2001:db8::1', '2001:db8::2', 5000, 53, b'y' * 10)))]
        return m._timed(st), 229, False

    def icmp_cut():
        """A TCP header an ICMP error quotes only 8 bytes of (ports and sequence number,
        RFC 792): tshark shows the number as it is as tcp.seq (no analysis, no tcp.seq_raw) and
        gives the header no stream (pcapplusplus IcmpPackets)."""
        seg = m.tcp('10.0.0.2', '10.0.0.3', 1234, 80, 585665, 77, A)
        quoted = m.ipv4('10.0.0.2', '10.0.0.3', 6, seg)[:28]
        st = [(100, m.e4(m.ipv4('10.0.0.1', '10.0.0.2', 1, m.icmp(3, 3, bytes(4), quoted))))]
        return done(st)

    return {
        'tcpa-icmp-cut': icmp_cut,
        'udpn-raw6': udp_raw6,
        'udpn-badlen': udp_badlen,
        'tcpa-noseglen': noseglen,
        'tcpa-syn-late': syn_late,
        'tcpa-dupack-data': dupack_data,
        'tcpa-fin-resend': fin_resend,
        'tcpa-unseen': unseen,
        'tcpa-sack': sack_cap,
    }
