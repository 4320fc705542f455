#!/usr/bin/env python3
"""Quiet-link delivery latency, hermetic: how long a lone packet takes to reach the printer.

    sudo bench/latency.py [BUILD_DIR] [N]

Runs inside a private network namespace (unshare -n, like ../shared/bench/netns_run.sh) with a
veth pair pv0 <-> pv1. For each capturer (capscope with its defaults, capscope --immediate,
tcpdump -l), it starts the capturer printing on pv1, then N times: sends one Ethernet/IPv4/UDP
frame on pv0 through an AF_PACKET socket, and times until the capturer prints its line. The
link is otherwise silent (IPv6 off), which is the worst case for non-immediate (TPACKET_V3)
capture: a block is handed over only when full or when the read timeout retires it.
Prints a Markdown table with the median and maximum latency per capturer.
"""
import os
import select
import socket
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "build")
N = int(sys.argv[2]) if len(sys.argv) > 2 else 20


def netns():
    """Re-runs this script inside a fresh network namespace with the veth pair."""
    if os.environ.get("LAT_IN_NS") == "1":
        return
    setup = ("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 && "
             "ip link add pv0 type veth peer name pv1 && ip link set pv0 up && "
             "ip link set pv1 up && ip link set lo up && exec python3 \"$0\" \"$@\"")
    env = dict(os.environ, LAT_IN_NS="1")
    sys.exit(subprocess.call(["unshare", "-n", "bash", "-c", setup, __file__, *sys.argv[1:]],
                             env=env))


def frame(i):
    eth = bytes.fromhex("020000000002" "020000000001" "0800")
    payload = b"lat%06d" % i
    udp = (40000).to_bytes(2, "big") + (9).to_bytes(2, "big") + \
        (8 + len(payload)).to_bytes(2, "big") + b"\0\0" + payload
    ip = bytes([0x45, 0]) + (20 + len(udp)).to_bytes(2, "big") + b"\0\0\0\0\x40\x11\0\0" + \
        bytes([198, 18, 0, 1, 198, 18, 0, 2])
    return eth + ip + udp


def measure(cmd):
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind(("pv0", 0))
    time.sleep(1.0)  # let the capturer open the adapter
    lat, buf = [], b""
    for i in range(N):
        t0 = time.monotonic()
        s.send(frame(i))
        while b"\n" not in buf:
            left = 2.0 - (time.monotonic() - t0)
            if left <= 0 or not select.select([p.stdout], [], [], left)[0]:
                break
            buf += os.read(p.stdout.fileno(), 65536)
        if b"\n" in buf:
            lat.append(time.monotonic() - t0)
            buf = buf.split(b"\n", 1)[1]
        time.sleep(0.3)
    p.terminate()
    p.wait()
    return lat


def main():
    netns()
    cs = os.path.join(BUILD, "capscope")
    runs = [
        ("capscope -i pv1 --print (default: TPACKET_V3, timeout 100 ms)", [cs, "-i", "pv1", "--print"]),
        ("capscope -i pv1 --print --immediate", [cs, "-i", "pv1", "--print", "--immediate"]),
        ("tcpdump -l -nn -i pv1 (default: timeout 1000 ms)", ["tcpdump", "-l", "-nn", "-i", "pv1"]),
    ]
    print("| capturer | packets seen | median ms | max ms |")
    print("|---|---|---|---|")
    for name, cmd in runs:
        lat = measure(cmd)
        if lat:
            print(f"| {name} | {len(lat)}/{N} | {1e3 * statistics.median(lat):.1f} | "
                  f"{1e3 * max(lat):.1f} |")
        else:
            print(f"| {name} | 0/{N} | - | - |")


main()
