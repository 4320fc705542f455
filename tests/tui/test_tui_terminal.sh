#!/usr/bin/env bash
# test_tui_terminal.sh - the monitor survives what terminals do to it, with a 4000-packet
# file open in a private tmux server:
# - a resize storm (400 tmux resize-window calls, sizes from 1x1 to 220x70, no pause): still
#   running, the frame redrawn at the final size (title, status and key bars where they
#   belong) and keys work;
# - a SIGWINCH flood (5000 kill -WINCH, no pause): the same;
# - Ctrl-Z in an interactive shell: the job stops, the terminal is as the shell had it
#   (stty -g equal to before the start), and after `clear; fg` the screen is drawn again and
#   keys work; a SIGTSTP from outside (kill -TSTP) does the same.
# Exit: 0 pass, 1 fail, 77 skipped (tmux or python3 missing).
set -uo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
: "${CAPSCOPE:?}"
mkdir -p "$WORKDIR"
source "$SRCDIR/tests/tui/lib.sh"
for t in tmux python3 stty; do command -v $t >/dev/null || skip "$t is missing"; done
rm -f "$WORKDIR"/stderr.* "$WORKDIR"/stty.*
PCAP=$WORKDIR/mixed.pcap
python3 "$SRCDIR/tests/gen/mkpcap.py" mixed 4000 -o "$PCAP" >/dev/null || exit 1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1

# The capscope process under the pane (its shell's child), or nothing.
cs_pid() {
	local pane
	pane=$(tmux -L "$TUI_SOCK" list-panes -t t -F '#{pane_pid}' 2>/dev/null | head -1)
	[[ -n "$pane" ]] && pgrep -P "$pane" -f "$CAPSCOPE" | head -1
}
alive() { [[ -n "$(cs_pid)" ]] && ! tui_screen | grep -q '\[exited'; }
# The frame fits W x H: the list's title on line 1, the status bar on line H-1 and the key
# bar on line H.
frame_is() {
	local w=$1 h=$2 s
	s=$(tui_screen)
	[[ $(wc -l <<<"$s") -eq $h ]] &&
		sed -n 1p <<<"$s" | grep -q 'Packets 4,000 shown of 4,000' &&
		sed -n "$((h - 1))p" <<<"$s" | grep -q 'done  4,000/4,000 pkts' &&
		sed -n "${h}p" <<<"$s" | grep -q '^F1Help'
}
wait_frame() {
	local deadline=$((SECONDS + 10))
	while ((SECONDS < deadline)); do
		frame_is "$1" "$2" && return 0
		sleep 0.1
	done
	return 1
}

# ---------------------------------------------------------------- resize storm
tui_start "$CAPSCOPE" -r "$PCAP"
check "the file loads" tui_wait_counts 4000 4000 20
sizes=(1x1 220x70 20x5 2x40 100x2 80x24 160x50 3x3 60x10 200x1)
for ((i = 0; i < 400; i++)); do
	s=${sizes[i % ${#sizes[@]}]}
	tmux -L "$TUI_SOCK" resize-window -t t -x "${s%x*}" -y "${s#*x}" 2>/dev/null
done
tmux -L "$TUI_SOCK" resize-window -t t -x 100 -y 30
check "resize storm: still running" alive
check "resize storm: the frame is redrawn at 100x30" wait_frame 100 30
tui_keys End
check "resize storm: keys work (End selects packet 4000)" tui_wait 'Decode - packet 4000 ' 5

# ---------------------------------------------------------------- SIGWINCH flood
pid=$(cs_pid)
check "the capscope process is found" test -n "$pid"
for ((i = 0; i < 5000; i++)); do kill -WINCH "$pid" 2>/dev/null || break; done
check "SIGWINCH flood: still running" alive
tmux -L "$TUI_SOCK" resize-window -t t -x 90 -y 26
check "SIGWINCH flood: a resize after it is drawn at 90x26" wait_frame 90 26
tui_keys Home
check "SIGWINCH flood: keys work (Home selects packet 1)" tui_wait 'Decode - packet 1 ' 5
tui_keys q
check "q exits 0" tui_wait '\[exited 0\]' 5

# ---------------------------------------------------------------- Ctrl-Z and fg
# An interactive shell in the pane, so that job control works as in a terminal.
suspend_resume() { # $1: how to stop it (key or signal)
	local how=$1
	tui_stop
	sleep 0.2
	tmux -L "$TUI_SOCK" -f /dev/null new-session -d -s t -x 100 -y 30 \
		"env -i PATH=$PATH TERM=screen HOME=$WORKDIR ASAN_OPTIONS=$ASAN_OPTIONS UBSAN_OPTIONS=$UBSAN_OPTIONS bash --norc --noprofile -i"
	sleep 0.5
	tui_keys "PS1='PROMPT\$ '; stty -g >$WORKDIR/stty.before; $CAPSCOPE -r $PCAP 2>>$WORKDIR/stderr.z" Enter
	check "$how: the file loads" tui_wait_counts 4000 4000 20
	tui_keys End
	tui_wait 'Decode - packet 4000 ' 5
	if [[ $how == Ctrl-Z ]]; then
		tui_keys C-z
	else
		kill -TSTP "$(cs_pid)"
	fi
	check "$how: the job stops" tui_wait '\[1\]\+ +Stopped' 5
	tui_keys "stty -g >$WORKDIR/stty.during" Enter
	sleep 0.5
	check "$how: the terminal is as the shell had it (stty -g)" \
		cmp -s "$WORKDIR/stty.before" "$WORKDIR/stty.during"
	tui_keys "clear; fg" Enter
	check "$how: fg draws the monitor again" wait_frame 100 30
	check "$how: its selection is kept" tui_wait 'Decode - packet 4000 ' 3
	tui_keys Home
	check "$how: keys work after fg" tui_wait 'Decode - packet 1 ' 5
	tui_keys q
	check "$how: q ends it, back at the prompt" tui_wait '^PROMPT\$ *$' 5
}
suspend_resume Ctrl-Z
suspend_resume SIGTSTP
tui_stop
tui_finish
