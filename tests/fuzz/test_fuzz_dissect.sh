#!/usr/bin/env bash
# test_fuzz_dissect.sh - builds the decoder's libFuzzer harness with clang (ASan + UBSan) and
# runs it for a bounded time from a seed corpus of the project's generated captures' packets.
# Any crash, sanitizer report or field outside caplen fails the test.
# Exit 77 (skipped) when clang or its fuzzer runtime is missing.
set -euo pipefail
: "${SRCDIR:?}" "${WORKDIR:?}"
SECS=${FUZZ_SECONDS:-20}
source "$SRCDIR/tests/lib/fuzz.sh"
fuzz_build fuzz_dissect
mkdir -p "$WORKDIR/seeds"
# Seeds: every packet of a few generated captures, prefixed with its link type selector (0 =
# Ethernet in the harness's table).
for name in udp4 dns tcp-handshake vlan-qinq arp icmp-unreach-udp ipv6-ext ipv4-opts-frag gre \
	erspan vxlan mpls pppoe dhcp-dora dhcpv6 ntp http-get; do
	python3 "$SRCDIR/tests/gen/mkpcap.py" "$name" -o "$WORKDIR/$name.pcap" >/dev/null
	python3 - "$WORKDIR/$name.pcap" "$WORKDIR/seeds/$name" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
le = data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1")
off, i = 24, 0
while off + 16 <= len(data):
    caplen = struct.unpack_from("<I" if le else ">I", data, off + 8)[0]
    open(f"{sys.argv[2]}-{i}", "wb").write(b"\x00" + data[off + 16: off + 16 + caplen])
    off += 16 + caplen
    i += 1
PY
done
fuzz_run fuzz_dissect 4096 "the decoder"
