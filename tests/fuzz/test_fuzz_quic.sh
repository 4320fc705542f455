#!/usr/bin/env bash
# test_fuzz_quic.sh - builds the QUIC libFuzzer harness (fuzz_quic.c: the header parser
# through the decoder, and the frame parser of decrypted payloads) with clang (ASan + UBSan)
# and runs it for a bounded time from seeds made by tests/gen/mkquic.py: the UDP payloads of
# its captures and the plaintext payloads of the Initials it builds.
# Exit 77 (skipped) when clang, its fuzzer runtime or python3-cryptography is missing.
set -euo pipefail
: "${SRCDIR:?}" "${WORKDIR:?}"
SECS=${FUZZ_SECONDS:-20}
source "$SRCDIR/tests/lib/fuzz.sh"
python3 -c 'import cryptography' 2>/dev/null ||
	{ echo "SKIP: python3-cryptography is not installed (tests/deps.sh)"; exit 77; }
fuzz_build fuzz_quic
mkdir -p "$WORKDIR/seeds"
PYTHONPATH="$SRCDIR/tests/gen" python3 - "$WORKDIR/seeds" <<'PY'
import sys
import mkpcap as m
import mkquic as q
out = sys.argv[1]
i = 0
def seed(sel, b):
    global i
    open('%s/seed-%d' % (out, i), 'wb').write(bytes([sel]) + b)
    i += 1
for name, fn in sorted(q.captures(m).items()):
    pk, _, _ = fn()
    for p in pk:
        d = p.data
        ihl = 14 + (40 if d[12:14] == b'\x86\xdd' else 20)
        to_server = d[ihl + 2:ihl + 4] == b'\x01\xbb'
        seed(2 if to_server else 0, d[ihl + 8:])
ch = q.client_hello(b'seed.example.com')
seed(3, q.crypto_frame(0, ch) + bytes(40))
seed(3, q.crypto_frame(100, ch[100:]) + q.crypto_frame(0, ch[:100]) + q.ping_frame())
seed(7, q.crypto_frame(0, ch[:60]) + bytes(10))
seed(7, q.crypto_frame(60, ch[60:]) + bytes(10))
seed(1, q.ack_frame(5, 10, 2) + b'\x03\x01\x00\x01\x00\x00\x01\x02\x03' + q.close_frame(0x10a, 6, b'x'))
seed(1, b'\x1d\x05\x02ab\x1f\x00\x00')
PY
fuzz_run fuzz_quic 2048 "the QUIC parsers"
