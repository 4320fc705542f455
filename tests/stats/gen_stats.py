#!/usr/bin/env python3
"""gen_stats.py - the statistics tests' traffic: K UDP frames of known sizes (from 10.9.0.1 and
10.9.0.3 in turn, to 10.9.0.2) interleaved with non-UDP frames (TCP, ICMP, ARP from 10.9.0.1),
as an Ethernet pcap. Prints "K BYTES" (the UDP frames and the
sum of their lengths) on stdout.
usage: gen_stats.py K OTHER_EVERY OUT.pcap   (one non-UDP frame after every OTHER_EVERY UDP ones)
"""
import struct
import sys

UDP_SIZES = (60, 142, 590, 1514)  # frame lengths, cycled
SRC_MAC, DST_MAC = bytes.fromhex("020000000001"), bytes.fromhex("020000000002")


def ipv4(proto, payload, src="10.9.0.1", dst="10.9.0.2"):
    a = bytes(int(x) for x in src.split(".")); b = bytes(int(x) for x in dst.split("."))
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0, a, b)
    s = sum(struct.unpack("!10H", hdr)); s = (s & 0xFFFF) + (s >> 16); s = (s & 0xFFFF) + (s >> 16)
    return hdr[:10] + struct.pack("!H", ~s & 0xFFFF) + hdr[12:] + payload


def eth(ethertype, payload):
    frame = DST_MAC + SRC_MAC + struct.pack("!H", ethertype) + payload
    return frame + bytes(max(0, 60 - len(frame)))


def udp_frame(size, i):
    payload = bytes((i + k) & 0xFF for k in range(size - 42))
    udp = struct.pack("!HHHH", 40000 + i % 3, 9999, 8 + len(payload), 0) + payload
    return eth(0x0800, ipv4(17, udp, src="10.9.0.%d" % (1 + 2 * (i % 2))))  # two address pairs


def other_frame(i):
    kind = i % 3
    if kind == 0:  # TCP SYN
        return eth(0x0800, ipv4(6, struct.pack("!HHIIBBHHH", 40000, 80, i, 0, 0x50, 0x02, 1024, 0, 0)))
    if kind == 1:  # ICMP echo request
        return eth(0x0800, ipv4(1, struct.pack("!BBHHH", 8, 0, 0, 1, i) + bytes(32)))
    return eth(0x0806, struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, SRC_MAC,  # ARP request
                                   bytes([10, 9, 0, 1]), bytes(6), bytes([10, 9, 0, 2])))


def main():
    k, every, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    frames, total = [], 0
    for i in range(k):
        f = udp_frame(UDP_SIZES[i % len(UDP_SIZES)], i)
        assert len(f) == UDP_SIZES[i % len(UDP_SIZES)]
        frames.append(f); total += len(f)
        if every and (i + 1) % every == 0:
            frames.append(other_frame(i))
    with open(out, "wb") as fp:
        fp.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for n, f in enumerate(frames):
            fp.write(struct.pack("<IIII", 1700000000 + n // 1000, (n % 1000) * 1000, len(f), len(f)) + f)
    print(k, total)


if __name__ == "__main__":
    main()
