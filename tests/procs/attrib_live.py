#!/usr/bin/env python3
"""attrib_live.py - the processes of test_attrib_live.sh and the check of what capscope saw.

  attrib_live.py peer DIR          the peer namespace's servers (198.18.0.2): TCP echo :8080,
                                   TCP accept-and-close :8081, UDP echo :9000 (with an optional
                                   delay asked for in the datagram), a tiny DNS resolver :53,
                                   and the wildcard UDP socket *:9100 of the namespace test.
                                   Writes DIR/peer.pids; runs until killed (bounded: 120 s).
  attrib_live.py peerclient DIR    from the peer: connects to the capture side's server :7070,
                                   and sends to 198.18.0.1:9100 (nobody listens there).
  attrib_live.py local DIR         the capture side's processes, one after the other, each a
                                   real child process with its own pid.
  attrib_live.py check DIR FIELDS  checks capscope's -T fields output (see check()).

Every payload a process sends starts "PID=<pid>;S=<s>;" (its own pid as the kernel gives it):
S=1 marks a packet that must be attributed to that pid (a flow living >= 50 ms), S=0 one whose
attribution is only reported (a 5 ms connection, a socket's first packets before it is passed)
but must never name another pid. DNS queries carry the pid in the name (p<pid>-<s>.test).
Packets without a payload (SYN, ACK, FIN) take the pid and S of their flow's local port, from
DIR/ports.log, which each process appends "pid port s" to.
"""
import os
import socket
import struct
import sys
import threading
import time

LOCAL, PEER = '198.18.0.1', '198.18.0.2'


def tag(s):
    return b'PID=%d;S=%d;' % (os.getpid(), s)


def log_port(d, sock, s):
    with open(os.path.join(d, 'ports.log'), 'a') as f:
        f.write('%d %d %d\n' % (os.getpid(), sock.getsockname()[1], s))


# ---------------------------------------------------------------- the peer namespace

def serve_tcp_echo(port):
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((PEER, port))
    ls.listen(64)

    def one(c):
        with c:
            c.settimeout(10)
            try:
                while True:
                    b = c.recv(4096)
                    if not b:
                        return
                    c.sendall(b)
            except OSError:
                return
    while True:
        c, _ = ls.accept()
        threading.Thread(target=one, args=(c,), daemon=True).start()


def serve_tcp_close(port):
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((PEER, port))
    ls.listen(256)
    while True:
        c, _ = ls.accept()
        c.settimeout(2)
        try:
            c.recv(100)
        except OSError:
            pass
        c.close()


def serve_udp_echo(port):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((PEER, port))
    while True:
        b, a = u.recvfrom(2048)
        delay = 0.4 if b'DELAY' in b else 0
        threading.Timer(delay, u.sendto, args=(b, a)).start()


def dns_answer(q):
    if len(q) < 12:
        return None
    qid, = struct.unpack('!H', q[:2])
    i = 12
    for _ in range(64):  # bounded: labels of the question name
        if i >= len(q) or q[i] == 0:
            break
        i += 1 + q[i]
    end = i + 5
    if end > len(q):
        return None
    hdr = struct.pack('!HHHHHH', qid, 0x8180, 1, 1, 0, 0)
    ans = b'\xc0\x0c' + struct.pack('!HHIH', 1, 1, 60, 4) + socket.inet_aton('198.18.0.99')
    return hdr + q[12:end] + ans


def serve_dns():
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((PEER, 53))
    while True:
        q, a = u.recvfrom(2048)
        r = dns_answer(q)
        if r:
            u.sendto(r, a)


def peer(d):
    wild = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    wild.bind(('0.0.0.0', 9100))  # the same port in the peer: must never match on our side
    for fn, args in ((serve_tcp_echo, (8080,)), (serve_tcp_close, (8081,)),
                     (serve_udp_echo, (9000,)), (serve_dns, ())):
        threading.Thread(target=fn, args=args, daemon=True).start()
    with open(os.path.join(d, 'peer.pids'), 'a') as f:
        f.write('%d\n' % os.getpid())
    time.sleep(120)


def peerclient(d):
    """The peer as a client of our server, and a sender to a port nobody holds here."""
    with open(os.path.join(d, 'peer.pids'), 'a') as f:
        f.write('%d\n' % os.getpid())
    spid = int(open(os.path.join(d, 'server.pid')).read())
    c = socket.create_connection((LOCAL, 7070), timeout=5)
    for _ in range(10):
        c.sendall(b'PID=%d;S=1;' % spid)
        c.recv(100)
        time.sleep(0.01)
    c.close()
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for _ in range(5):
        u.sendto(b'PID=0;S=1;nobody here', (LOCAL, 9100))
        time.sleep(0.01)


# ---------------------------------------------------------------- the capture side

def child(fn, *args):
    pid = os.fork()
    if pid == 0:
        try:
            fn(*args)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def tcp_client(d):
    c = socket.create_connection((PEER, 8080), timeout=5)
    log_port(d, c, 1)
    for _ in range(20):  # about 300 ms
        c.sendall(tag(1))
        c.recv(100)
        time.sleep(0.015)
    c.close()
    time.sleep(0.1)


def udp_sender(d, port=0, count=20, gap=0.01):
    """Datagrams to the peer's echo (every one answered) from LOCAL:port (0: any)."""
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    u.bind((LOCAL, port))
    log_port(d, u, 1)
    for _ in range(count):
        u.sendto(tag(1), (PEER, 9000))
        time.sleep(gap)
    time.sleep(0.1)


def dns_query(d):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(2)
    u.bind((LOCAL, 0))
    log_port(d, u, 0)
    name = b'p%d-0' % os.getpid()
    q = struct.pack('!HHHHHH', os.getpid() & 0xffff, 0x0100, 1, 0, 0, 0)
    q += bytes([len(name)]) + name + b'\x04test\x00' + struct.pack('!HH', 1, 1)
    u.sendto(q, (PEER, 53))
    u.recvfrom(512)


def short_conns(d):
    for _ in range(200):
        c = socket.create_connection((PEER, 8081), timeout=5)
        log_port(d, c, 0)
        c.sendall(tag(0))
        time.sleep(0.005)
        c.close()


def exits(d):
    """Sends, then exits before the (delayed) answers come back: they keep its pid."""
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((LOCAL, 0))
    log_port(d, u, 1)
    for _ in range(5):
        u.sendto(tag(1) + b'DELAY', (PEER, 9000))
        time.sleep(0.02)


def hand_over(make, use):
    """A socket made by this process (make()) and passed to a child (SCM_RIGHTS) that uses it
    (use(sock)) once this process has closed its copy."""
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    pid = os.fork()
    if pid == 0:  # the receiver
        a.close()
        _, fds, _, _ = socket.recv_fds(b, 10, 1)
        u = socket.socket(fileno=fds[0])
        b.recv(1)  # the sender has closed its copy
        use(u)
        time.sleep(0.05)
        os._exit(0)
    b.close()
    u = make()
    socket.send_fds(a, [b'x'], [u.fileno()])
    u.close()
    a.send(b'c')
    os.waitpid(pid, 0)


def passing(d):
    """A socket passed to another process (SCM_RIGHTS): the holder at send time."""
    def make():
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind((LOCAL, 0))
        log_port(d, u, 0)
        u.sendto(tag(1) + b'before', (PEER, 9000))
        time.sleep(0.3)
        return u

    def use(u):
        time.sleep(0.6)  # rechecks find the new holder (sock_diag + /proc: not at once)
        for _ in range(10):
            u.sendto(b'PID=%d;S=1;late' % os.getpid(), (PEER, 9000))
            time.sleep(0.02)
    hand_over(make, use)


def passing_tcp(d):
    """A TCP connection passed to another process (SCM_RIGHTS), its first holder then closing
    its copy: the holder at send time, once the flow's owner is asked again (2 s for TCP)."""
    def make():
        c = socket.create_connection((PEER, 8080), timeout=5)
        log_port(d, c, 0)
        c.sendall(tag(0) + b'before')
        c.recv(100)
        return c

    def use(c):
        log_port(d, c, 0)  # its payload-less packets may name either holder
        time.sleep(2.5)
        c.settimeout(5)
        for _ in range(5):
            c.sendall(b'PID=%d;S=1;late' % os.getpid())
            c.recv(100)
            time.sleep(0.02)
        c.close()
    hand_over(make, use)


def local_server(d):
    """Our listener, for the peer's connection (an incoming SYN finds the listening socket)."""
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((LOCAL, 7070))
    ls.listen(4)
    log_port(d, ls, 1)
    with open(os.path.join(d, 'server.pid.tmp'), 'w') as f:
        f.write('%d' % os.getpid())
    os.rename(os.path.join(d, 'server.pid.tmp'), os.path.join(d, 'server.pid'))
    ls.settimeout(20)
    c, _ = ls.accept()
    c.settimeout(5)
    while True:
        b = c.recv(100)
        if not b:
            break
        c.sendall(tag(1))
    time.sleep(0.1)


def local(d):
    scenario = sys.argv[3] if len(sys.argv) > 3 else 'all'
    steps = {
        'tcp': lambda: child(tcp_client, d),
        'udp': lambda: child(udp_sender, d),
        'dns': lambda: [child(dns_query, d) for _ in range(5)],
        'exit': lambda: child(exits, d),
        # pid reuse: two processes in turn on the same local port (the same 4-tuple)
        'reuse': lambda: (child(udp_sender, d, 40000, 10, 0.02), time.sleep(0.5),
                          child(udp_sender, d, 40000, 10, 0.02)),
        'pass': lambda: child(passing, d),
        'pass-tcp': lambda: child(passing_tcp, d),
        'short': lambda: child(short_conns, d),
    }
    server = os.fork()
    if server == 0:
        try:
            local_server(d)
        finally:
            os._exit(0)
    for name, step in steps.items():
        if scenario in ('all', name):
            step()
            time.sleep(0.2)
    time.sleep(0.6)  # the delayed echoes of `exit`
    os.waitpid(server, 0)


# ---------------------------------------------------------------- the check

def parse_payload(hexdata):
    """(pid, strict) from a PID=..;S=..; payload (hex with colons or not), or None."""
    try:
        raw = bytes.fromhex(hexdata.replace(':', '').split(',')[0])
    except ValueError:
        return None
    if not raw.startswith(b'PID='):
        return None
    try:
        pid = int(raw[4:raw.index(b';')])
        s = int(raw[raw.index(b'S=') + 2:raw.index(b'S=') + 3])
    except ValueError:
        return None
    return pid, s


def check(d, path):
    """Columns: frame.number ip.src ip.dst tcp.srcport tcp.dstport udp.srcport udp.dstport
    data.data tcp.payload udp.payload dns.qry.name process.pid process.name
    process.direction process.unattributed."""
    ports = {}
    for line in open(os.path.join(d, 'ports.log')):
        pid, port, s = map(int, line.split())
        ports.setdefault(port, []).append((pid, s))
    peer_pids = {int(x) for x in open(os.path.join(d, 'peer.pids')).read().split()}
    ours = {pid for v in ports.values() for pid, _ in v}
    bad, strict_ok, strict_n, short_ok, short_n, unattr_ok, shown = 0, 0, 0, 0, 0, 0, 0
    for line in open(path):
        f = line.rstrip('\n').split('\t')
        if len(f) < 15 or not f[0].isdigit():
            continue
        if ',' in f[1]:
            continue  # an ICMP error quoting a packet: not a packet of a socket
        num, src, dst = f[0], f[1], f[2]
        sport = f[3] or f[5]
        dport = f[4] or f[6]
        if not sport or LOCAL not in (src, dst):
            continue
        got = int(f[11]) if f[11] else 0
        if got in peer_pids:
            print('FAIL frame %s: attributed to %d, a process of the peer namespace' % (num, got))
            bad += 1
            continue
        lport = int(sport if src == LOCAL else dport)
        want = None
        for col in (f[7], f[8], f[9]):
            if col:
                want = parse_payload(col)
                if want:
                    break
        if not want and f[10].startswith('p'):
            try:
                want = (int(f[10][1:].split('-')[0]), int(f[10].split('-')[1].split('.')[0]))
            except ValueError:
                want = None
        if not want and lport in ports:
            owners = {p for p, _ in ports[lport]}
            if len(owners) > 1:  # a port two of ours used in turn: either, never another
                if got and got not in owners:
                    print('FAIL frame %s: attributed to %d, none of the port\'s owners %s'
                          % (num, got, sorted(owners)))
                    bad += 1
                continue
            want = ports[lport][0]
        if not want:
            if got:
                print('FAIL frame %s: %s:%s -> attributed to %d, which is none of ours'
                      % (num, src, sport, got))
                bad += 1
            continue
        pid, strict = want
        shown += 1
        if pid == 0:  # to a port nobody holds here (the peer's own wildcard socket there)
            if got or f[14] != '1':
                print('FAIL frame %s: to a port nobody holds: pid %r, unattributed %r'
                      % (num, f[11], f[14]))
                bad += 1
            else:
                unattr_ok += 1
            continue
        if got and got != pid:
            # the passed socket: its early packets may name the sender (before the recheck)
            print('FAIL frame %s: attributed to %d, sent or received by %d' % (num, got, pid))
            bad += 1
            continue
        if strict:
            strict_n += 1
            if got == pid:
                strict_ok += 1
            else:
                print('FAIL frame %s: %s:%s -> %s:%s (pid %d, lives >= 50 ms) not attributed'
                      % (num, src, sport, dst, dport, pid))
                bad += 1
        else:
            short_n += 1
            short_ok += got == pid
    print('checked %d packets of our processes (%d pids): %d/%d of long-lived flows attributed '
          'right; %d packets to an unheld port unattributed' % (shown, len(ours), strict_ok,
                                                                  strict_n, unattr_ok))
    frac = short_ok / short_n if short_n else 0.0
    print('short-lived (5 ms connections, DNS queries, a socket before it is passed): '
          '%d/%d packets attributed (%.1f%%)' % (short_ok, short_n, 100 * frac))
    with open(os.path.join(d, 'short_fraction'), 'w') as out:
        out.write('%.4f %d\n' % (frac, short_n))
    if strict_n < 60 or unattr_ok < 1:
        print('FAIL: too few packets seen (%d long-lived, %d unheld): the scenarios did not run'
              % (strict_n, unattr_ok))
        bad += 1
    return 1 if bad else 0


if __name__ == '__main__':
    cmd, d = sys.argv[1], sys.argv[2]
    if cmd == 'peer':
        peer(d)
    elif cmd == 'peerclient':
        peerclient(d)
    elif cmd == 'local':
        local(d)
    elif cmd == 'check':
        sys.exit(check(d, sys.argv[3]))
