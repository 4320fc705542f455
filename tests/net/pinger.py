#!/usr/bin/env python3
"""pinger.py - echo requests over raw sockets to the loopback addresses, for
test_icmp_echo_live.sh (run as root inside its private network namespace, where the kernel
answers them): IPv4 to 127.0.0.1 and IPv6 to ::1, several identifiers and sizes, one request
sent twice, and, when the caller has told the kernel to ignore echoes (the net.ipv4
icmp_echo_ignore_all and net.ipv6.icmp.echo_ignore_all sysctls), requests left unanswered.

  pinger.py TAG   TAG picks the identifiers (a run per TAG: "on" answered, "off" ignored)
Every socket has a timeout; nothing waits for more than a second."""
import socket
import struct
import sys
import time


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    s = (s & 0xffff) + (s >> 16)
    s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def echo(v6, ident, seq, data):
    t = 128 if v6 else 8
    h = struct.pack('!BBHHH', t, 0, 0, ident, seq) + data
    if v6:  # the kernel fills in the ICMPv6 checksum (it covers the pseudo-header)
        return h
    return h[:2] + struct.pack('!H', csum(h)) + h[4:]


def main():
    base = 0x100 if sys.argv[1] == 'on' else 0x200
    s4 = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    for s in (s4, s6):
        s.settimeout(1)
    sends = [(False, base + 1, 1, b'abcdefgh'), (False, base + 1, 2, b'x' * 100),
             (False, base + 2, 1, b'other id'), (False, base + 2, 1, b'other id'),
             (True, base + 1, 1, b'abcdefgh'), (True, base + 3, 7, b'y' * 56),
             (True, base + 3, 7, b'y' * 56), (False, base + 1, 1, b'abcdefgh')]
    for v6, ident, seq, data in sends:
        if v6:
            s6.sendto(echo(True, ident, seq, data), ('::1', 0))
        else:
            s4.sendto(echo(False, ident, seq, data), ('127.0.0.1', 0))
        time.sleep(0.02)
    return 0


if __name__ == '__main__':
    sys.exit(main())
