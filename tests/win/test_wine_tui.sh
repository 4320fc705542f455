#!/usr/bin/env bash
# test_wine_tui.sh - the Windows package's monitor under wine, in tmux, in a private network
# namespace (veth cs0 <-> cs1): ncurses' Windows console driver drawing through wine's
# console, keys sent with tmux send-keys, the screen read with capture-pane (tests/tui/lib.sh).
#  - the picker lists the namespace's adapters by description (cs0, cs1, lo), each with its
#    NPF name on the line below;
#  - Down to cs1 and Enter starts a live capture there, and the list fills: the status bar
#    names it by its description (cs1), and counts the N packets tcpreplay sends on cs0;
#  - a resize (tmux resize-window): the counts are still shown; the redraw at the new size is
#    checked where wine's console follows the terminal's size (a probe finds out: wine 8's
#    does not, and that part is then reported as skipped with the reason);
#  - q, y (discard) quits with status 0.
# Exit: 0 pass, 1 fail, 77 skipped (wine, mingw-w64, tmux, root or namespaces missing).
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
N=${LIVE_PACKETS:-300}
source "$SRCDIR/tests/win/lib.sh"
NETNS_SCRIPT=$0
win_netns_enter tcpreplay tmux python3

# ---------------------------------------------------------------- inside the private netns
# The Windows build has no privilege separation to drop into, and wine refuses a prefix
# (WORKDIR/wineprefix) that is not the running user's: the monitor runs as root here.
TUI_AS_ROOT=1
source "$SRCDIR/tests/tui/lib.sh"
win_prefix
trap 'tui_stop; win_cleanup' EXIT
netns_veth
python3 "$SRCDIR/tests/gen/mkpcap.py" mixed "$N" -o "$WORKDIR/send.pcap" || exit 1
unset SSH_CONNECTION

tui_wait_fn() { # SECONDS FUNCTION ARGS...: until it returns 0, or 1 at the deadline
	local deadline=$((SECONDS + $1))
	shift
	while ((SECONDS < deadline)); do
		"$@" && return 0
		sleep 0.2
	done
	return 1
}

# Does wine's console follow the terminal's size? A probe (console_size.c) in its own tmux
# session at 100x30: once it has printed that size (wine's first start creates the prefix,
# seconds), the session is resized to 80x24 and the probe's last lines say whether the
# console followed. wine 8's keeps its first size: only where it follows is the monitor's
# redraw after a resize checked; otherwise that part is a skip with the reason.
probe="$WORKDIR/console_size.exe"
x86_64-w64-mingw32-gcc -O1 -o "$probe" "$SRCDIR/tests/win/console_size.c" || exit 1
sizes="$WORKDIR/console_size.txt"
tmux -L "$TUI_SOCK" -f /dev/null new-session -d -s probe -x 100 -y 30 \
	"wine $(printf %q "$probe") 90 2>$sizes; sleep 30"
resize() { tmux -L "$TUI_SOCK" resize-window -t "$1" -x "$2" -y "$3" 2>/dev/null; }
for _ in $(seq 600); do
	grep -q '^100x30' "$sizes" 2>/dev/null && break
	sleep 0.1
done
grep -q '^100x30' "$sizes" || { cat "$sizes"; echo "FAIL: console_size.exe did not report 100x30 within 60 s"; exit 1; }
resize probe 80 24
sleep 3
tmux -L "$TUI_SOCK" kill-session -t probe
console_follows=0
last=$(tr -d '\r' <"$sizes" | grep -E '^[0-9]+x[0-9]+$' | tail -n 1)
console_why="wine's console kept $last after tmux resized the terminal from 100x30 to 80x24 (console_size.exe), so a resize cannot reach the program under this wine"
[[ "$last" == 80x24 ]] && console_follows=1

tui_start wine "$CAPSCOPE_EXE"
# wine's first start creates the prefix (seconds)
check "the picker shows up" tui_wait 'Choose an adapter' 90
for d in cs0 cs1 lo; do
	check "the picker lists $d by its description" tui_wait "^ +[0-9]+ +$d +" 5
done
check "each adapter's NPF name is on the line below" \
	test "$(tui_screen | grep -Ec '^ +\\\\Device\\\\NPF_\{')" = 3
row=$(tui_screen | sed -nE 's/^ +([0-9]+) +cs1 .*/\1/p' | head -n 1)
for ((i = 1; i < ${row:-1}; i++)); do
	tui_keys Down
	sleep 0.3
done
tui_keys Enter
check "Enter starts a live capture on cs1 (its description in the status bar)" \
	tui_wait "cs1  running" 30
check "no packets before sending" tui_wait_counts 0 0 10
timeout 60 tcpreplay -q -i cs0 --pps 1000 "$WORKDIR/send.pcap" >"$WORKDIR/tcpreplay.out" 2>&1
check "tcpreplay sent $N packets" grep -q "Successful packets: *$N" "$WORKDIR/tcpreplay.out"
check "the list fills: the status bar shows $N/$N" tui_wait_counts "$N" "$N" 10
check "the list shows packet rows" tui_wait '198\.1[89]\.[0-9]+\.[0-9]+' 5

resize t 80 24
check "after a resize to 80x24 the status bar still shows $N/$N" tui_wait_counts "$N" "$N" 10
# Redrawn, not cropped by tmux: the key help is the last row and the status bar above it.
bottom_at() { # ROWS: the key help line on row ROWS, the status bar's counts on ROWS-1
	local s
	s=$(tui_screen)
	[[ "$(sed -n "$1p" <<<"$s")" == F1Help* && "$(sed -n "$(($1 - 1))p" <<<"$s")" == *"$N/$N pkts"* ]]
}
if ((console_follows)); then
	check "after the resize the window is redrawn at 80x24" tui_wait_fn 10 bottom_at 24
else
	part_skipped "redrawing at 80x24: $console_why"
fi
resize t 110 34
check "after a resize to 110x34 the status bar still shows $N/$N" tui_wait_counts "$N" "$N" 10
if ((console_follows)); then
	check "after the resize the window is redrawn at 110x34" tui_wait_fn 10 bottom_at 34
else
	part_skipped "redrawing at 110x34: $console_why"
fi

tui_keys q
check "quit asks before discarding the capture" tui_wait 'discard' 10
tui_keys y
check "quit exits 0" tui_wait '\[exited 0\]' 20
tui_finish
