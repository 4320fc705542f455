#!/usr/bin/env python3
"""resolve_peer.py - the other end of tests/net/test_resolve.sh (standard library only).

  resolve_peer.py server MODE ADDR PORT LOG [SECONDS]
      A DNS server answering PTR queries for the test's addresses (MODE answer), never
      answering (silent), or answering with hostile names (hostile). Each query received is
      logged as "time src_port qname" (flushed at once). Stops after SECONDS (default 60).
  resolve_peer.py send ROUNDS INTERVAL ADDR...
      One UDP datagram to port 9 of each ADDR, ROUNDS times, INTERVAL seconds apart
      (broadcast allowed).
  resolve_peer.py query SERVER PORT ADDR OUTFILE
      Another process's PTR query for ADDR to SERVER:PORT; writes its local port to OUTFILE.
"""
import socket
import struct
import sys
import time


def rev_name(addr):
    return '.'.join(reversed(addr.split('.'))) + '.in-addr.arpa'


def wire(name):
    out = b''
    for label in name.rstrip('.').split('.'):
        out += bytes([len(label)]) + label.encode()
    return out + b'\0'


NAMES = {'198.18.0.1': wire('me.test'), '198.18.0.2': wire('peer.test')}
for i in range(10, 60):
    NAMES['198.18.0.%d' % i] = wire('host%d.test' % i)
# hostile: control bytes in a label, four 63-byte labels (a 253-byte name), a label whose
# length byte is 255 (no valid DNS label is longer than 63)
HOSTILE = {
    '198.18.0.10': b'\x0bevil\x1b[31m\x07x\x04test\0',
    '198.18.0.11': b''.join(b'\x3f' + bytes([0x61 + i]) * 63 for i in range(4)) + b'\0',
    '198.18.0.12': b'\xff' + b'L' * 255 + b'\0',
}


def qname(msg, off):
    labels = []
    while off < len(msg) and msg[off] != 0 and len(labels) < 128:
        n = msg[off]
        labels.append(msg[off + 1:off + 1 + n].decode('latin-1'))
        off += 1 + n
    return '.'.join(labels), off + 1


def answer(msg, mode):
    qid, flags, qd = struct.unpack('>HHH', msg[:6])
    name, end = qname(msg, 12)
    qtype = struct.unpack('>H', msg[end:end + 2])[0] if end + 2 <= len(msg) else 0
    question = msg[12:end + 4]
    addr = None
    if name.endswith('.in-addr.arpa'):
        addr = '.'.join(reversed(name[:-len('.in-addr.arpa')].split('.')))
    table = HOSTILE if mode == 'hostile' else NAMES
    rdata = table.get(addr) if qtype == 12 else None
    if rdata is None:
        return struct.pack('>HHHHHH', qid, 0x8183, 1, 0, 0, 0) + question
    rr = struct.pack('>HHHIH', 0xc00c, 12, 1, 60, len(rdata)) + rdata
    return struct.pack('>HHHHHH', qid, 0x8180, 1, 1, 0, 0) + question + rr


def server(mode, addr, port, log, seconds=60.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, int(port)))
    s.settimeout(0.2)
    end = time.monotonic() + float(seconds)
    with open(log, 'w', buffering=1) as f:
        f.write('ready\n')
        while time.monotonic() < end:
            try:
                msg, src = s.recvfrom(4096)
            except socket.timeout:
                continue
            if len(msg) < 12:
                continue
            name, _ = qname(msg, 12)
            f.write('%.3f %d %s\n' % (time.time(), src[1], name))
            if mode != 'silent':
                s.sendto(answer(msg, mode), src)


def send(rounds, interval, addrs):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    for r in range(int(rounds)):
        for a in addrs:
            s.sendto(b'round %d' % r, (a, 9))
        time.sleep(float(interval))


def query(server_addr, port, addr, outfile):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect((server_addr, int(port)))
    with open(outfile, 'w') as f:
        f.write('%d\n' % s.getsockname()[1])
    q = struct.pack('>HHHHHH', 0x4242, 0x0100, 1, 0, 0, 0) + wire(rev_name(addr)) + \
        struct.pack('>HH', 12, 1)
    s.send(q)
    s.settimeout(2)
    try:
        s.recv(4096)
    except socket.timeout:
        pass


if __name__ == '__main__':
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'server':
        server(*args)
    elif cmd == 'send':
        send(args[0], args[1], args[2:])
    elif cmd == 'query':
        query(*args)
    else:
        sys.exit('unknown command ' + cmd)
