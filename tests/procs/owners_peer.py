#!/usr/bin/env python3
"""owners_peer.py - the real processes of tests/procs/test_ebpf_owners.sh, each bounded in time.

  server ADDR TCPPORT UDPPORT SECONDS  accept TCP connections (read, close) and answer UDP
                                       datagrams (DNS-style: the query back with QR set) until
                                       SECONDS pass; prints "ready PID" once listening
  burst N ADDR PORT                    N TCP connections one after another, each ~5 ms
                                       (connect, send, 5 ms, close); prints "tcp PID LPORT" each
  dns ADDR PORT                        one DNS query on an unconnected UDP socket, waits up to 2 s
                                       for the answer; prints "udp PID LPORT ok|noanswer"
  v6 PORT                              over loopback, a dual-stack listener on [::]:PORT and
                                       three clients: TCP to ::1 ("v6 PID LPORT"), TCP to
                                       ::ffff:127.0.0.1 ("mapped PID LPORT"), UDP to [::1]:PORT+1
                                       ("udp6 PID LPORT")
"""
import os
import select
import socket
import struct
import sys
import time


def server(addr, tport, uport, seconds):
    t = socket.socket()
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind((addr, tport))
    t.listen(256)
    u = None
    if uport:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind((addr, uport))
    print("ready", os.getpid(), flush=True)
    end = time.monotonic() + seconds
    socks = [t] + ([u] if u else [])
    while time.monotonic() < end:
        r, _, _ = select.select(socks, [], [], 0.2)
        for s in r:
            if s is t:
                c, _ = t.accept()
                c.settimeout(1)
                try:
                    c.recv(64)
                except OSError:
                    pass
                c.close()
            else:
                q, peer = u.recvfrom(512)
                if len(q) >= 12:
                    u.sendto(q[:2] + bytes([q[2] | 0x80]) + q[3:], peer)


def burst(n, addr, port):
    for _ in range(n):
        c = socket.socket()
        c.settimeout(2)
        c.connect((addr, port))
        print("tcp", os.getpid(), c.getsockname()[1], flush=True)
        c.send(b"x")
        time.sleep(0.005)
        c.close()


def dns(addr, port):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    qname = b"".join(bytes([len(p)]) + p for p in [b"example", b"test"]) + b"\0"
    q = struct.pack("!HHHHHH", os.getpid() & 0xFFFF, 0x0100, 1, 0, 0, 0) + qname + b"\0\1\0\1"
    u.sendto(q, (addr, port))
    r, _, _ = select.select([u], [], [], 2)
    print("udp", os.getpid(), u.getsockname()[1], "ok" if r else "noanswer", flush=True)


def v6(port):
    ls = socket.socket(socket.AF_INET6)
    ls.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    ls.bind(("::", port))
    ls.listen(4)
    for kind, addr in (("v6", "::1"), ("mapped", "::ffff:127.0.0.1")):
        c = socket.socket(socket.AF_INET6)
        c.settimeout(2)
        c.connect((addr, port))
        a, _ = ls.accept()
        print(kind, os.getpid(), c.getsockname()[1], flush=True)
        c.send(b"x")
        a.close()
        c.close()
    u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u.sendto(b"x", ("::1", port + 1))
    print("udp6", os.getpid(), u.getsockname()[1], flush=True)


def main():
    a = sys.argv[1:]
    if a[0] == "server":
        server(a[1], int(a[2]), int(a[3]), float(a[4]))
    elif a[0] == "burst":
        burst(int(a[1]), a[2], int(a[3]))
    elif a[0] == "dns":
        dns(a[1], int(a[2]))
    elif a[0] == "v6":
        v6(int(a[1]))
    else:
        sys.exit("usage: see the file's docstring")


main()
