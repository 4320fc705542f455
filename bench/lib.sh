# lib.sh - how every bench script starts. Sourced (after `set -euo pipefail`) with the
# script's own arguments [BUILD_DIR] [RUNS]; sets HERE (bench/), ROOT (the source tree),
# BUILD, RUNS, CS (the capscope binary), GEN (the shared capture generator) and W (the work
# folder), and checks that the binary exists.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${1:-$ROOT/build}
RUNS=${2:-5}
CS=$BUILD/capscope
GEN=$ROOT/../shared/bench/gen_pcap.py
W=$HERE/work
[ -x "$CS" ] || { echo "build capscope first (Release): cmake -S . -B build && cmake --build build" >&2; exit 1; }

# bench_run LABEL RUNS COMMAND...: hyperfine (1 warm-up; no shell when the command allows)
# into $OUT/LABEL.json. bench_stat LABEL prints "median_wall cpu" from it.
bench_run() {
	local label=$1 r=$2
	shift 2
	hyperfine -N -w 1 -r "$r" --style none --export-json "$OUT/$label.json" "$*" >/dev/null 2>&1 ||
		hyperfine -w 1 -r "$r" --style none --export-json "$OUT/$label.json" "$* > /dev/null" >/dev/null
}
bench_stat() {
	python3 - "$OUT/$1.json" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))['results'][0]
print('%.3f %.3f' % (statistics.median(r['times']), r['user'] + r['system']))
PY
}

# The monitor in a private tmux server (socket $S, session t): now prints the clock;
# screen the screen's text; wait_for REGEX SECONDS prints the seconds since $T0 when the
# screen first matches (sampled every 10 ms), or "timeout".
now() { date +%s.%N; }
screen() { tmux -L "$S" capture-pane -p -t t 2>/dev/null || true; }
wait_for() {
	local re=$1 end=$(($(date +%s) + $2))
	while [ "$(date +%s)" -lt $end ]; do
		if screen | grep -Eq -- "$re"; then
			python3 -c "print(f'{$(now) - $T0:.3f}')"
			return 0
		fi
		sleep 0.01
	done
	echo timeout
}
