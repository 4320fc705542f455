#!/usr/bin/env bash
# Live capture benchmark, hermetic: a private network namespace with a veth pair (the shared
# harness ../shared/bench/netns_run.sh via live_bench.sh). The harness's fast sender (pktblast)
# sends RATE packets/s for SECS seconds on pv0 while capscope, then tcpdump, write to a file on
# pv1; REPS repetitions alternate the two so both see the same machine conditions.
#   sudo bench/live.sh [BUILD_DIR]     env: RATE=500000 SECS=6 REPS=3
# Prints per-run rows (lost packets, capturer CPU seconds) and a summary with ratios.
# pktblast loops over the file, so RATE*SECS packets are sent even past the file's 1M (the
# shared live_bench.sh caps $LIMIT at the file's count, hence our own REPLAY_CMD). On a shared,
# busy machine the whole run gets `nice -n $NICE` (default -20, both tools alike), or the
# sender cannot reach RATE; wait_idle.sh is skipped unless IDLE_MIN is set.
# CS_ARGS adds capscope options (e.g. CS_ARGS='-B 16384' or '--immediate').
# Display filters: CS_DFILTER='EXPR' runs capscope with -Y EXPR (its BPF prefilter in the
# kernel); TOOLS lists what runs (default "capscope tcpdump"), where capscope-only is capscope
# with CAPSCOPE_NO_PREFILTER=1 (the display filter in capscope alone), e.g.
#   sudo TOOLS='capscope capscope-only' CS_DFILTER='udp.dstport == 123' bench/live.sh
# With a filter, "lost" counts the packets filtered out too: read "kernel drops" and the CPU
# per packet sent.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${1:-$ROOT/build}
SH=$ROOT/../shared/bench
W=$HERE/work
RATE=${RATE:-500000} SECS=${SECS:-6} REPS=${REPS:-3} NICE=${NICE:--20}
[ "${NICED:-}" = 1 ] || NICED=1 exec nice -n "$NICE" "$0" "$@"
[ "$(id -u)" = 0 ] || { echo "needs root (network namespace)" >&2; exit 1; }
mkdir -p "$W"
[ -x "$W/pktblast" ] || cc -O2 -o "$W/pktblast" "$SH/pktblast.c" -lpcap
MIX=$W/mix1m.pcap
[ -f "$MIX" ] || python3 "$SH/gen_pcap.py" mix -o "$MIX"
export PKTBLAST=$W/pktblast CS=$BUILD/capscope CS_ARGS=${CS_ARGS:-} SECS
export CS_DFILTER=${CS_DFILTER:-}
results=${RESULTS:-$W/live-results.tsv}
: >"$results"
for i in $(seq "$REPS"); do
	for tool in ${TOOLS:-capscope tcpdump}; do
		cs='$CS $CS_ARGS ${CS_DFILTER:+-Y "$CS_DFILTER"} -i $RX -w "$W"'
		case $tool in
		capscope) cap="env CAPSCOPE_NO_PREFILTER=0 $cs" ;;
		capscope-only) cap="env CAPSCOPE_NO_PREFILTER=1 $cs" ;;
		*) cap='tcpdump -i $RX -nn -w "$W"' ;;
		esac
		OUTDIR=$W/live-$tool-$i RATES=$RATE SECS=$SECS TARGETS=$W/cap.pcap \
			CAPTURE_CMD="$cap" REPLAY_CMD='$PKTBLAST $TX "$PCAP" $((PPS * SECS)) $PPS' \
			IDLE_MIN=${IDLE_MIN:-0} "$SH/live_bench.sh" "$MIX" | tail -n 1 |
			sed "s/^/$tool\t/" | tee -a "$results"
	done
done
python3 - "$results" <<'PY'
import sys, statistics as st
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
# columns after the tool name follow live_bench.sh: target rate sent ... cap_drop(11) ...
# lost(14) send_cpu cap_cpu ...
by = {}
for r in rows:
    tool, sent, lost, cpu = r[0], int(r[3]), r[14], r[16]
    if lost == "-" or cpu in ("-", "None"):
        continue
    drop = int(r[11]) if r[11].isdigit() else 0
    by.setdefault(tool, []).append((sent, int(lost), float(cpu), drop))
print("\n| tool | runs | sent (median) | lost (median) | lost % | kernel drops | capture CPU s |"
      " us/packet kept | us/packet sent |")
print("|---|---|---|---|---|---|---|---|---|")
summ = {}
for tool, v in by.items():
    sent = st.median(x[0] for x in v); lost = st.median(x[1] for x in v)
    cpp = st.median(x[2] / max(1, x[0] - x[1]) * 1e6 for x in v)
    cps = st.median(x[2] / max(1, x[0]) * 1e6 for x in v)
    summ[tool] = (lost, cpp, cps)
    print(f"| {tool} | {len(v)} | {sent:.0f} | {lost:.0f} | {100*lost/sent:.2f} |"
          f" {st.median(x[3] for x in v):.0f} | {st.median(x[2] for x in v):.2f} | {cpp:.3f} |"
          f" {cps:.3f} |")
if "capscope" in summ and "capscope-only" in summ:
    print(f"\ncapscope-only CPU per packet sent / with the prefilter:"
          f" {summ['capscope-only'][2]/summ['capscope'][2]:.2f}x")
if "capscope" in summ and "tcpdump" in summ:
    print(f"\ncapscope CPU per packet / tcpdump's: {summ['capscope'][1]/summ['tcpdump'][1]:.2f}x")
PY
