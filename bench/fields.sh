#!/usr/bin/env bash
# Field output benchmark: `-T fields -e ip.src -e udp.dstport` on mix1m.pcap, capscope against
# tshark's same command, same run (issue 10 asks for capscope at least 20x faster).
#   bench/fields.sh [BUILD_DIR] [RUNS]
# mix1m.pcap is bench/offline.sh's 1,000,000-packet mixed capture (made here the same way if
# missing). Needs hyperfine, tshark, python3. Prints the wall and CPU medians and the ratio;
# tshark runs RUNS_TSHARK times (default 1: it takes about a minute per run).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
OUT=$W/fields
mkdir -p "$OUT"
MIX=$W/mix1m.pcap
[ -f "$MIX" ] || python3 "$GEN" mix -o "$MIX"
ARGS="-T fields -e ip.src -e udp.dstport"
cat "$MIX" >/dev/null
# the two outputs must agree before their speed is compared
cmp <("$CS" -r "$MIX" $ARGS) <(tshark -n -r "$MIX" $ARGS 2>/dev/null) ||
	echo "warning: capscope and tshark print different fields on $MIX" >&2
hyperfine -N -w 1 -r "$RUNS" --output=null --export-json "$OUT/cs.json" "$CS -r $MIX $ARGS" >/dev/null
hyperfine -N -w 0 -r "${RUNS_TSHARK:-1}" --output=null --export-json "$OUT/ts.json" \
	"tshark -n -r $MIX $ARGS" >/dev/null 2>&1
python3 - "$OUT" <<'PY'
import json, statistics, sys
def get(name):
    r = json.load(open('%s/%s.json' % (sys.argv[1], name)))['results'][0]
    return statistics.median(r['times']), r['user'] + r['system']
cs, ts = get('cs'), get('ts')
print('| command (mix1m.pcap, 1M packets) | wall s | CPU s |')
print('|---|---|---|')
print('| capscope -r mix1m.pcap -T fields -e ip.src -e udp.dstport | %.2f | %.2f |' % cs)
print('| tshark -n -r mix1m.pcap -T fields -e ip.src -e udp.dstport | %.2f | %.2f |' % ts)
print('| ratio (tshark / capscope) | %.0fx | %.0fx |' % (ts[0] / cs[0], ts[1] / cs[1]))
PY
