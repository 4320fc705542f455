#!/usr/bin/env python3
"""procs_peer.py - the processes of test_tui_processes.sh, real ones with known pids.

  procs_peer.py server ADDR TCP_PORTS UDP_PORTS SECONDS
      In the peer namespace: accepts TCP connections on each of TCP_PORTS (comma separated)
      and reads them, receives UDP datagrams on each of UDP_PORTS; exits after SECONDS.
  procs_peer.py client NAME ADDR TCP_PORT UDP_PORT KBYTES PIDFILE STOPFILE
      Names itself NAME (prctl PR_SET_NAME: the command the kernel shows, which may hold any
      byte), writes its pid to PIDFILE, sends KBYTES KiB over one TCP connection and KBYTES
      datagrams of 512 bytes over UDP, spread over about a second, then keeps its sockets
      open until STOPFILE exists (at most 60 s), so the owner of every packet can be looked
      up while the socket lives.
  procs_peer.py short NAME ADDR TCP_PORT COUNT MS PIDFILE
      Names itself NAME, writes its pid to PIDFILE, then opens COUNT TCP connections one
      after the other, each sending 100 bytes and closed after MS milliseconds: short-lived
      sockets, gone soon after their packets.
"""
import ctypes
import os
import select
import socket
import sys
import time

PR_SET_NAME = 15


def set_name(name):
    libc = ctypes.CDLL(None, use_errno=True)
    raw = name.encode("utf-8", "surrogateescape")[:15]
    if libc.prctl(PR_SET_NAME, ctypes.c_char_p(raw), 0, 0, 0) != 0:
        sys.exit("prctl(PR_SET_NAME) failed: errno %d" % ctypes.get_errno())


def server(addr, tports, uports, seconds):
    listening, datagram = [], []
    for port in tports:
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        t.bind((addr, port))
        t.listen(16)
        listening.append(t)
    for port in uports:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind((addr, port))
        datagram.append(u)
    socks = listening + datagram
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        r, _, _ = select.select(socks, [], [], 0.5)
        for s in r:
            if s in listening:
                c, _ = s.accept()
                socks.append(c)
            elif s in datagram:
                s.recv(65536)
            elif not s.recv(65536):
                socks.remove(s)
                s.close()


def client(name, addr, tport, uport, kbytes, pidfile, stopfile):
    set_name(name)
    with open(pidfile + ".tmp", "w") as f:
        f.write("%d\n" % os.getpid())
    os.rename(pidfile + ".tmp", pidfile)
    t = socket.create_connection((addr, tport), timeout=10)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.connect((addr, uport))
    for _ in range(kbytes):
        t.sendall(b"x" * 1024)
        u.send(b"u" * 512)
        time.sleep(1.0 / kbytes)
    end = time.monotonic() + 60
    while not os.path.exists(stopfile) and time.monotonic() < end:
        time.sleep(0.1)
    t.close()
    u.close()


def short(name, addr, tport, count, ms, pidfile):
    set_name(name)
    with open(pidfile + ".tmp", "w") as f:
        f.write("%d\n" % os.getpid())
    os.rename(pidfile + ".tmp", pidfile)
    time.sleep(0.5)
    for _ in range(count):
        t = socket.create_connection((addr, tport), timeout=10)
        t.sendall(b"s" * 100)
        time.sleep(ms / 1000.0)
        t.close()
        time.sleep(0.02)


def main():
    if len(sys.argv) == 6 and sys.argv[1] == "server":
        ports = [[int(p) for p in arg.split(",")] for arg in sys.argv[3:5]]
        server(sys.argv[2], ports[0], ports[1], float(sys.argv[5]))
    elif len(sys.argv) == 9 and sys.argv[1] == "client":
        name = os.fsdecode(os.fsencode(sys.argv[2]))
        client(name, sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]),
               sys.argv[7], sys.argv[8])
    elif len(sys.argv) == 8 and sys.argv[1] == "short":
        short(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]),
              float(sys.argv[6]), sys.argv[7])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
