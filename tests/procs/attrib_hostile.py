#!/usr/bin/env python3
"""attrib_hostile.py - the processes of test_attrib_hostile.sh.

  attrib_hostile.py hold N FILE     opens up to N bound UDP sockets (127.0.0.1 and 127.0.0.2,
                                    ports 10000-59999), in as many processes as RLIMIT_NOFILE
                                    needs, writes how many to FILE, then sleeps (bounded:
                                    300 s) until killed
  attrib_hostile.py recv PORT FILE  a UDP sink on 127.0.0.1:PORT (bounded: 300 s); its pid
                                    goes to FILE
  attrib_hostile.py send PORT N     N datagrams "PID=<own pid>;" to 127.0.0.1:PORT, 5 ms apart
  attrib_hostile.py check FIELDS DSTPORT RECVPID  per sender pid: its packets and how many
                                    were attributed to it, to the receiver (on loopback both
                                    ends are local: also right), to another pid, or not at all
"""
import os
import ctypes
import resource
import signal
import socket
import sys
import time


def hold_some(addrs, per, r):
    """A child holding up to `per` sockets of addrs (a list of (addr, port)); writes the count
    it reached to the pipe r."""
    socks = []
    try:
        for a in addrs[:per]:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(a)
            socks.append(s)
    except OSError as e:
        print('hold: a holder stopped at %d sockets: %s' % (len(socks), e))
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG: go with the parent
    os.write(r, b'%d\n' % len(socks))
    os.close(r)
    time.sleep(300)


def hold(n, path):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    per = max(hard - 64, 16)
    addrs = [(a, p) for a in ('127.0.0.1', '127.0.0.2') for p in range(10000, 60000)][:n]
    total, kids = 0, []

    def end(*_):
        for pid in kids:
            os.kill(pid, signal.SIGTERM)
        os._exit(0)
    signal.signal(signal.SIGTERM, end)
    for start in range(0, len(addrs), per):  # bounded: n / per processes
        rd, wr = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(rd)
            hold_some(addrs[start:start + per], per, wr)
            os._exit(0)
        os.close(wr)
        kids.append(pid)
        got = int(os.read(rd, 32) or b'0')
        os.close(rd)
        total += got
        if got < min(per, len(addrs) - start):
            break  # the machine allows no more
    with open(path + '.tmp', 'w') as f:
        f.write('%d %d\n' % (total, len(kids)))
    os.rename(path + '.tmp', path)
    time.sleep(300)
    end()


def recv(port, path):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(('127.0.0.1', port))
    with open(path, 'w') as f:
        f.write('%d\n' % os.getpid())
    u.settimeout(300)
    while True:
        u.recv(2048)


def send(port, n):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(('127.0.0.1', 0))
    for _ in range(n):
        u.sendto(b'PID=%d;' % os.getpid(), ('127.0.0.1', port))
        time.sleep(0.005)


def check(path, dport, receiver):
    """Columns: frame.number udp.dstport udp.payload process.pid. Prints one line per
    sender: 'pid PACKETS SENDER RECEIVER WRONG NONE'."""
    per = {}
    for line in open(path):
        f = line.rstrip('\n').split('\t')
        if len(f) < 4 or f[1] != dport or not f[2]:
            continue
        raw = bytes.fromhex(f[2].replace(':', ''))
        if not raw.startswith(b'PID='):
            continue
        pid = int(raw[4:raw.index(b';')])
        got = int(f[3]) if f[3] else 0
        c = per.setdefault(pid, [0, 0, 0, 0, 0])
        c[0] += 1
        c[1 if got == pid else 2 if got == receiver else 3 if got else 4] += 1
    for pid, c in sorted(per.items()):
        print('%d %d %d %d %d %d' % (pid, *c))


if __name__ == '__main__':
    cmd = sys.argv[1]
    if cmd == 'hold':
        hold(int(sys.argv[2]), sys.argv[3])
    elif cmd == 'recv':
        recv(int(sys.argv[2]), sys.argv[3])
    elif cmd == 'send':
        send(int(sys.argv[2]), int(sys.argv[3]))
    elif cmd == 'check':
        check(sys.argv[2], sys.argv[3], int(sys.argv[4]))
