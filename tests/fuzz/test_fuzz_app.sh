#!/usr/bin/env bash
# test_fuzz_app.sh - builds the application parsers' libFuzzer harness (fuzz_app.c: HTTP and
# its message length, SSDP, DHCP, DHCPv6, NTP) with clang (ASan + UBSan) and runs it for a
# bounded time from seeds made of the UDP and TCP payloads of the generated dhcp-*, names-dhcp
# (option 81), dhcpv6-*,
# ntp-* and http-* captures (the chunked ones' server payloads also joined per connection, so
# whole chunked bodies reach the chunk parser, with and without reassembly). Any crash,
# sanitizer report or field outside the buffer fails.
# Exit 77 (skipped) when clang or its fuzzer runtime is missing.
set -euo pipefail
: "${SRCDIR:?}" "${WORKDIR:?}"
SECS=${FUZZ_SECONDS:-20}
source "$SRCDIR/tests/lib/fuzz.sh"
fuzz_build fuzz_app
mkdir -p "$WORKDIR/seeds"
for name in dhcp-dora dhcp-lying names-dhcp dhcpv6 dhcpv6-lying ntp ntp-lying http-get http-split \
	http-lying http-chunked http-chunked-more http-chunked-lying; do
	python3 "$SRCDIR/tests/gen/mkpcap.py" "$name" -o "$WORKDIR/$name.pcap" >/dev/null
	python3 - "$WORKDIR/$name.pcap" "$WORKDIR/seeds/$name" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
off, i = 24, 0
# the harness's selector for a payload to these ports (fuzz_app.c's table order)
sel = {80: 0, 8080: 0, 5000: 0, 1900: 1, 67: 2, 68: 2, 546: 3, 547: 3, 123: 4}
joined = {}  # HTTP payloads per direction of a connection, in order
while off + 16 <= len(data):
    caplen = struct.unpack_from("<I", data, off + 8)[0]
    pkt = data[off + 16: off + 16 + caplen]
    off += 16 + caplen
    et = pkt[12:14]
    if et == b"\x08\x00":
        ip, proto, l4 = pkt[14:], pkt[23], 14 + (pkt[14] & 15) * 4
    elif et == b"\x86\xdd":
        ip, proto, l4 = pkt[14:], pkt[20], 54
    else:
        continue
    if proto == 17:
        ports, pay = struct.unpack_from(">HH", pkt, l4), pkt[l4 + 8:]
    elif proto == 6 and len(pkt) >= l4 + 13:
        ports, pay = struct.unpack_from(">HH", pkt, l4), pkt[l4 + (pkt[l4 + 12] >> 4) * 4:]
    else:
        continue
    s = sel.get(min(ports), sel.get(max(ports)))
    if s is None or not pay:
        continue
    open(f"{sys.argv[2]}-{i}", "wb").write(bytes([s]) + pay)
    i += 1
    if s == 0:
        joined[ports] = joined.get(ports, b"") + pay
for k, (ports, pay) in enumerate(joined.items()):  # whole messages, reassembly off and on
    for s in (0x00, 0x80):
        open(f"{sys.argv[2]}-j{k}-{s}", "wb").write(bytes([s]) + pay)
PY
done
fuzz_run fuzz_app 4096 "the DHCP, DHCPv6, NTP and HTTP parsers"
