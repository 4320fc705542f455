#!/usr/bin/env bash
# test_fuzz_privsep.sh - builds the capture helper protocol's libFuzzer harness (fuzz_privsep.c)
# with clang (ASan + UBSan) and runs it for a bounded time from seeds: requests of every type,
# an adapter list, an open answer, a run of data records, a statistics-mode answer and ssh run
# by the helper (a spawn request, a wait answer), as the two sides write them.
# Exit 77 (skipped) when clang or its fuzzer runtime is missing.
set -euo pipefail
: "${SRCDIR:?}" "${WORKDIR:?}"
SECS=${FUZZ_SECONDS:-20}
source "$SRCDIR/tests/lib/fuzz.sh"
FUZZ_EXTRA_SRCS="$SRCDIR/src/capture/privsep_proto.c $SRCDIR/src/capture/privsep_proto_stats.c $SRCDIR/src/capture/privsep_proto_spawn.c $SRCDIR/src/capture/remote_cmd.c $SRCDIR/src/base/addr_parse.c $SRCDIR/src/cli/procs_wire.c" \
	fuzz_build fuzz_privsep
mkdir -p "$WORKDIR/seeds"
python3 - "$WORKDIR/seeds" <<'PY'
import struct, sys
d = sys.argv[1]
def s(t): return struct.pack('<H', len(t)) + t
def msg(typ, seq, body): return struct.pack('<IHH', 8 + len(body), typ, seq) + body
seeds = {
    'hello': b'\0' + msg(1, 0, struct.pack('<I', 4)),
    'service': b'\0' + msg(10, 1, b'\2' + bytes(52)),
    'list': b'\0' + msg(2, 1, b''),
    'linktype': b'\0' + msg(3, 2, s(b'cs1')),
    'open': b'\0' + msg(5, 3, struct.pack('<iiiBB', 262144, 100, 16384, 1, 0) + s(b'cs1')),
    'filter': b'\0' + msg(6, 4, struct.pack('<I', 0) + s(b'tcp port 80')),
    'stats': b'\0' + msg(7, 5, struct.pack('<I', 1)),
    'stats_open': b'\0' + msg(11, 6, s(b'cs1') + struct.pack('<IIB', 1000, 0, 1) + s(b'udp')),
    'stats_read': b'\0' + msg(12, 7, struct.pack('<QI', 5, 1)),
    'stats_stop': b'\0' + msg(13, 8, struct.pack('<I', 1)),
    'spawn': b'\0' + msg(15, 9, struct.pack('<BBI', 1, 7, 65535) + s(b'ssh://user@far:2222/cs1')
        + s(b'udp port 53')),
    'spawn_list': b'\0' + msg(15, 10, struct.pack('<BBI', 0, 1, 0) + s(b'ssh://[2001:db8::1]') + s(b'')),
    'spawn_wait': b'\0' + msg(16, 11, struct.pack('<I', 2)),
    'spawn_ended': b'\x09' + struct.pack('<Bi', 1, 143),
    'stats_batch': b'\x08' + struct.pack('<Q', 5) + b'\0' + s(b'') + struct.pack('<I', 2)
        + struct.pack('<QqQQQQ', 6, 1700000001000000000, 1000000000, 10, 1200, 0)
        + struct.pack('<QqQQQQ', 7, 1700000002000000000, 400000000, 3, 180, 1),
    'adapters': b'\1' + struct.pack('<I', 2)
        + s(b'cs0') + b'\0' + s(b'') + struct.pack('<IIiI', 3, 1, 1, 1)
        + b'\4' + bytes([198, 18, 0, 1]) + bytes(12) + b'\1' + bytes([255, 255, 255, 0]) + bytes(44)
        + s(b'lo') + b'\1' + s(b'loop') + struct.pack('<IIiI', 1, 3, -1, 0),
    'opened': b'\2' + struct.pack('<IiiBI', 0, 1, 262144, 1, 0xffffffff) + s(b'cs1') + s(b''),
    'records': b'\3' + struct.pack('<IIIIq', 1, 4, 60, 5, 1700000000) + b'abcd'
        + struct.pack('<IIIIq', 2, 5, 0, 0, 0) + b'gone!',
    # process attribution through the helper (cli/procs_wire.h), after the op byte
    'owner_req': b'\4' + struct.pack('<IBBHH', 0, 4, 6, 42126, 8080) + bytes([198, 18, 0, 1])
        + bytes(12) + bytes([198, 18, 0, 2]) + bytes(12) + struct.pack('<QB', 123456789, 1),
    'proc_req': b'\5' + struct.pack('<IIIQ', 1, 4242, 1000, 98765) + s(b'curl'),
    'owner_ans': b'\6' + struct.pack('<BBIIQ', 2, 2, 4242, 1000, 98765) + b'curl'.ljust(16, b'\0')
        + struct.pack('<QQQQ', 5, 10, 1, 0) + s(b''),
    'proc_ans': b'\7' + struct.pack('<BIQ', 1, 1000, 98765) + s(b'curl') + s(b'user')
        + s(b'curl -s http://198.18.0.2/') + s(b'/user.slice') + s(b''),
    'open_ans': b'\7' + struct.pack('<I', 0) + s(b'processes: eBPF + sock_diag + /proc'),
}
for k, v in seeds.items():
    open('%s/%s' % (d, k), 'wb').write(v)
PY
fuzz_run fuzz_privsep 4096 "the capture helper's protocol"
