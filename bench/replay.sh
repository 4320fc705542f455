#!/bin/bash
# bench/replay.sh - capscope --replay against tcpreplay, in the same run, on the same veth pair
# (the shared harness: ../shared/bench, a private network namespace per run). Needs root.
#   1. as-recorded timing: gen_gaps_mixed.py (gaps of 1 ms, 100 us, 10 ms), far-end
#      inter-arrival error median/p99/max and the error over the whole span (replay_accuracy.py)
#   2. a long --loop plan (the gaps file 5 times, ~12 s): no drift from pass to pass
#   3. --topspeed vs tcpreplay --topspeed -K: 1M 100-byte frames (100k file, 10 loops), 3 runs
# usage: bench/replay.sh [RUNS]   env: CAPSCOPE (a Release build), SHARED (../shared/bench),
#        OUT (/tmp/capscope-bench/replay-cmp), IDLE_MIN (0: do not wait for an idle machine),
#        PRIO (a prefix for both senders alike, e.g. PRIO='chrt -f 50' on a loaded machine, where
#        preemption, not the sender, decides the gaps)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=${SHARED:-$HERE/../../shared/bench}
CAPSCOPE=${CAPSCOPE:-$HERE/../build/capscope}
OUT=${OUT:-/tmp/capscope-bench/replay-cmp}
RUNS=${1:-3}
export IDLE_MIN=${IDLE_MIN:-0}
P=${PRIO:+$PRIO }
mkdir -p "$OUT"
[ -x "$CAPSCOPE" ] || { echo "build capscope first (Release): $CAPSCOPE"; exit 2; }

python3 "$SHARED/gen_gaps_mixed.py" "$OUT/gaps.pcap"
python3 "$SHARED/gen_pcap.py" gaps -n 100000 --gap-us 1 -o "$OUT/top.pcap"
# The 5-pass plan as one file: pass k is shifted by k x (span + mean gap), as capscope loops.
python3 - "$OUT/gaps.pcap" "$OUT/gaps_x5.pcap" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
recs, off = [], 24
while off < len(d):
    s, us, cl, wl = struct.unpack_from('<IIII', d, off)
    recs.append((s * 10**6 + us, d[off + 16:off + 16 + cl], wl))
    off += 16 + cl
span = recs[-1][0] - recs[0][0]
period = span + span // (len(recs) - 1)
with open(sys.argv[2], 'wb') as f:
    f.write(d[:24])
    for k in range(5):
        for t, fr, wl in recs:
            t += k * period
            f.write(struct.pack('<IIII', t // 10**6, t % 10**6, len(fr), wl) + fr)
PY

echo "== 1. as recorded: gaps.pcap (4100 packets, 2.3 s)"
for i in $(seq "$RUNS"); do
	OUTDIR=$OUT/acc-tcpreplay REPLAY_CMD="${P}tcpreplay -i \$TX \"\$PCAP\"" \
		python3 "$SHARED/replay_accuracy.py" "$OUT/gaps.pcap" | sed 's/^/tcpreplay /'
	OUTDIR=$OUT/acc-capscope REPLAY_CMD="$P$CAPSCOPE --replay \"\$PCAP\" -i \$TX" \
		python3 "$SHARED/replay_accuracy.py" "$OUT/gaps.pcap" | sed 's/^/capscope  /'
done

echo "== 2. --loop 5 of gaps.pcap, compared with the 5-pass plan"
OUTDIR=$OUT/loop-capscope REPLAY_CMD="$P$CAPSCOPE --replay $OUT/gaps.pcap --loop 5 -i \$TX" MAX_S=40 \
	python3 "$SHARED/replay_accuracy.py" "$OUT/gaps_x5.pcap" | sed 's/^/capscope  /'
OUTDIR=$OUT/loop-tcpreplay REPLAY_CMD="${P}tcpreplay --loop 5 -i \$TX $OUT/gaps.pcap" MAX_S=40 \
	python3 "$SHARED/replay_accuracy.py" "$OUT/gaps_x5.pcap" | sed 's/^/tcpreplay /'

echo "== 3. top speed: 100k 100-byte frames x 10 loops, no capture on the far end"
for i in $(seq "$RUNS"); do
	"$SHARED/netns_run.sh" "$OUT/top-tcpreplay" '' \
		"${P}tcpreplay --topspeed -K --loop 10 -i \$TX $OUT/top.pcap" >/dev/null
	echo "tcpreplay -K: $(grep -h 'Rated' "$OUT/top-tcpreplay/send.out" | head -1)"
	"$SHARED/netns_run.sh" "$OUT/top-capscope" '' \
		"$P$CAPSCOPE --replay $OUT/top.pcap --topspeed --loop 10 -i \$TX" >/dev/null
	echo "capscope:     $(grep -h '^Rate' "$OUT/top-capscope/send.err" | head -1)"
done
