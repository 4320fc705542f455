#!/usr/bin/env bash
# soak.sh - the monitor left capturing at 100k pps for MINUTES (issue 14's days-long runs, in
# short), hermetic: in a private network namespace tcpreplay sends a mix of UDP (the bench
# generator's size mix) and TCP sessions, DNS and ICMP (its proto mix) out of sv0 at PPS
# packets a second, looped, while on sv1 both the TUI (in a tmux pane, the rate graph and the
# conversations view on, TCP analysis on as always; its spill file in bench/work under
# --spill-max SPILL_MAX) and a headless `capscope -i sv1 -w /dev/null` capture. Every minute it
# samples the TUI's RSS (VmRSS), its spill file's size, the status bar's counts and drops and
# the load average;
# at the end the TUI's loss against the headless capture's in the same run, and whether RSS
# after minute 1 grew by less than 5%. Not in CI.
# TUI_B="ARGS" runs a second TUI in the same run with those extra arguments (e.g. TUI_B="-B
# 16384": another kernel buffer), so two settings see the same load; its counts follow.
#   sudo bench/soak.sh [MINUTES] [BUILD_DIR]   env: PPS=100000 SPILL_MAX=1G TUI_B=
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
MINUTES=${1:-30}
BUILD=${2:-$ROOT/build}
SH=$ROOT/../shared/bench
W=$HERE/work
export PPS=${PPS:-100000} SPILL_MAX=${SPILL_MAX:-1G} MINUTES W TUI_B=${TUI_B:-}
export CS=$BUILD/capscope
[ "$(id -u)" = 0 ] || { echo "needs root (network namespace)" >&2; exit 1; }
[ -x "$CS" ] || { echo "build capscope first: $CS" >&2; exit 1; }
for t in tmux tcpreplay mergecap python3; do
	command -v $t >/dev/null || { echo "$t is missing" >&2; exit 1; }
done
mkdir -p "$W"
rm -f "$W/soak-rss.txt"
if [ ! -f "$W/soak.pcap" ]; then
	python3 "$SH/gen_pcap.py" mix -n 200000 -o "$W/soak-mix.pcap"
	python3 "$SH/gen_pcap.py" proto -n 100000 -o "$W/soak-proto.pcap"
	mergecap -a -w "$W/soak.pcap" "$W/soak-mix.pcap" "$W/soak-proto.pcap"
fi

timeout $((MINUTES * 60 + 180)) unshare -n bash -c '
	set -uo pipefail
	ip link add sv0 type veth peer name sv1; ip link set sv0 up; ip link set sv1 up
	sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	S=soak$$
	rm -rf "$W/soak-tmp" "$W/soak-state" "$W/soak-tmp-b"; mkdir -p "$W/soak-tmp" "$W/soak-tmp-b"
	trap "tmux -L $S kill-server 2>/dev/null; rm -rf $W/soak-tmp $W/soak-state $W/soak-tmp-b" EXIT
	tmux -L $S -f /dev/null new-session -d -s t -x 160 -y 45 \
		"TMPDIR=$W/soak-tmp XDG_STATE_HOME=$W/soak-state $CS -i sv1 --spill-max $SPILL_MAX; sleep 600"
	[ -n "$TUI_B" ] && tmux -L $S new-session -d -s b -x 160 -y 45 \
		"TMPDIR=$W/soak-tmp-b XDG_STATE_HOME=$W/soak-state $CS -i sv1 --spill-max $SPILL_MAX $TUI_B; sleep 600"
	screen() { tmux -L $S capture-pane -p -t ${1:-t} 2>/dev/null; }
	# counts SESSION: "captured kdrop rdrop" from its status bar
	counts() {
		local sc; sc=$(screen "$1")
		echo "$(grep -Eo "[0-9,]+/[0-9,]+ pkts" <<<"$sc" | tail -1 | cut -d/ -f2 | tr -d ", pkts")" \
			"$(grep -Eo "kdrop [0-9,]+" <<<"$sc" | tail -1 | grep -Eo "[0-9,]+$" | tr -d ,)" \
			"$(grep -Eo "rdrop [0-9,]+" <<<"$sc" | tail -1 | grep -Eo "[0-9,]+$" | tr -d ,)"
	}
	sleep 1.5
	# the monitor runs split as root: its main process (uid nobody, decodes and draws, holds the
	# spill file) and its capture helper, a child with the same command line; RSS and the
	# spill are the main process'"'"'s, the helper'"'"'s RSS is reported beside them
	tui=; helper=
	for p in $(pgrep -f "^$CS -i sv1 --spill-max $SPILL_MAX\$"); do
		if [ "$(ps -o comm= -p "$(ps -o ppid= -p $p | tr -d " ")")" = capscope ]; then
			helper=$p
		else
			tui=$p
		fi
	done
	for s in t ${TUI_B:+b}; do
		tmux -L $S send-keys -t $s r; sleep 0.3; tmux -L $S send-keys -t $s c
	done
	"$CS" -i sv1 -w /dev/null 2>"$W/soak-headless.err" & hl=$!
	sleep 1
	timeout $((MINUTES * 60 + 30)) tcpreplay -q -i sv0 --pps "$PPS" --loop 0 \
		--duration $((MINUTES * 60)) "$W/soak.pcap" >"$W/soak-tcpreplay.out" 2>&1 & tr=$!
	echo "TUI main process $tui (uid $(ps -o uid= -p $tui | tr -d " ")), capture helper ${helper:-none}"
	echo "minute  RSS_KiB   spill_bytes   captured     kdrop      rdrop  load1  helper_RSS_KiB"
	for ((min = 1; min <= MINUTES; min++)); do
		sleep 60
		rss=$(awk "/VmRSS/ {print \$2}" /proc/$tui/status 2>/dev/null || echo gone)
		# the spill file is in TMPDIR, or in the private folder a run dropped to nobody makes
		spill=$(find /proc/$tui/fd -lname "*capscope-spill*" 2>/dev/null | head -1)
		spill=$([ -n "$spill" ] && stat -L -c %s "$spill")
		hrss=$(awk "/VmRSS/ {print \$2}" /proc/${helper:-0}/status 2>/dev/null || echo -)
		cnt=$(screen | grep -Eo "[0-9,]+/[0-9,]+ pkts" | tail -1 | cut -d/ -f2 | tr -d ", pkts")
		kd=$(screen | grep -Eo "kdrop [0-9,]+" | tail -1 | grep -Eo "[0-9,]+$" | tr -d ,)
		rd=$(screen | grep -Eo "rdrop [0-9,]+" | tail -1 | grep -Eo "[0-9,]+$" | tr -d ,)
		ld=$(cut -d" " -f1 /proc/loadavg)
		printf "%6d  %8s  %12s  %10s  %8s  %9s  %5s  %8s" $min "$rss" "${spill:-none}" "${cnt:-?}" "${kd:-?}" "${rd:-?}" "$ld" "$hrss"
		[ -n "$TUI_B" ] && printf "  | B: captured %s kdrop %s rdrop %s" $(counts b)
		echo
		echo "$min $rss" >>"$W/soak-rss.txt"
	done
	wait $tr
	sleep 3
	sent=$(grep -Eo "Actual: [0-9]+ packets" "$W/soak-tcpreplay.out" | grep -Eo "[0-9]+" | head -1)
	tui_cnt=$(screen | grep -Eo "[0-9,]+/[0-9,]+ pkts" | tail -1 | cut -d/ -f2 | tr -d ", pkts")
	kill -INT $hl; wait $hl
	hl_cnt=$(grep -Eo "^[0-9]+ packets captured" "$W/soak-headless.err" | grep -Eo "^[0-9]+")
	echo "sent ${sent:-?}; TUI captured ${tui_cnt:-?} (lost $(( ${sent:-0} - ${tui_cnt:-0} ))); headless -w captured ${hl_cnt:-?} (lost $(( ${sent:-0} - ${hl_cnt:-0} )))"
	echo "headless: $(tr "\n" " " <"$W/soak-headless.err")"
	if [ -n "$TUI_B" ]; then
		read -r b_cnt b_kd b_rd < <(counts b)
		echo "TUI B ($TUI_B) captured ${b_cnt:-?} (lost $(( ${sent:-0} - ${b_cnt:-0} )); kdrop ${b_kd:-?}, rdrop ${b_rd:-?})"
		tmux -L $S send-keys -t b q; sleep 0.5; tmux -L $S send-keys -t b y
	fi
	tmux -L $S send-keys -t t q; sleep 0.5; tmux -L $S send-keys -t t y; sleep 1
' | tee "$W/soak.out"
python3 - "$W/soak-rss.txt" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
rss = [(int(m), int(r)) for m, r in rows if r.isdigit()]
if len(rss) < 2:
    print("RSS: fewer than two samples")
else:
    first, last = rss[0][1], rss[-1][1]
    g = (last - first) * 100.0 / first
    print(f"RSS after minute 1: {first} KiB, at minute {rss[-1][0]}: {last} KiB, growth {g:+.1f}% "
          f"({'< 5%: met' if g < 5 else '>= 5%: NOT met'})")
PY
rm -f "$W/soak-rss.txt"
