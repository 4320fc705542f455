#!/usr/bin/env bash
# test_tui_stream.sh - a capture piped in ("... | capscope -r -") opens the full-screen monitor
# (keys from the terminal, packets from stdin), and nothing is lost on disconnect: when the
# session hangs up (the tmux server is killed) the packets only the monitor held are kept
# as a pcap file in the state folder, byte for byte what came in; the next run says where,
# once, and o offers to open it. A deliberate q (answered y) keeps nothing.
# Exit: 0 pass, 1 fail, 77 skipped.
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
TUI_W=160 # whole notices in the status bar
source "$SRCDIR/tests/tui/lib.sh"

[[ -n "${CAPSCOPE:-}" && -x "$CAPSCOPE" ]] || skip "CAPSCOPE (the built binary) is not set"
for tool in tmux tcpdump python3 cmp; do
	command -v "$tool" >/dev/null || skip "$tool is missing"
done
rm -rf "$WORKDIR" && mkdir -p "$WORKDIR/tmp"
export XDG_STATE_HOME="$WORKDIR/state" TMPDIR="$WORKDIR/tmp"
unset SSH_CONNECTION
MK="$SRCDIR/tests/gen/mkpcap.py"
KEPT_DIR="$XDG_STATE_HOME/capscope"
python3 "$MK" mixed -o "$WORKDIR/in.pcap" || skip "mkpcap.py cannot write 'mixed'"
N=$(tcpdump_packets "$WORKDIR/in.pcap")
((N > 0)) || skip "unexpected test capture"
kept_files() { ls "$KEPT_DIR"/capscope-kept-*.pcap 2>/dev/null; }
same_packets() { cmp -s <(python3 "$MK" --dump "$1") <(python3 "$MK" --dump "$2"); }

tui_start bash -c 'echo $$ >"$1"; cat "$2" | exec "$3" -r -' - "$WORKDIR/pid" \
	"$WORKDIR/in.pcap" "$CAPSCOPE"
check "-r - from a pipe opens the monitor with all $N packets" tui_wait_counts "$N" "$N" 20
check "the stream is done" tui_wait ' -  done ' 5
tui_keys g
check "keys work (from the terminal, not stdin)" tui_wait 'Decode - packet 1 ' 5

# Hang-up: the tmux server goes away, as an SSH session does.
pid=$(cat "$WORKDIR/pid")
tmux -L "$TUI_SOCK" kill-server
gone=0
for _ in $(seq 30); do
	kill -0 "$pid" 2>/dev/null || { gone=1; break; }
	sleep 0.1
done
check "the program ends within 3 s of the hang-up" test "$gone" = 1
kept=$(kept_files | head -1)
check "the packets were kept in the state folder" test -n "$kept"
check "tcpdump reads all $N kept packets" \
	test "$(tcpdump_packets "$kept")" = "$N"
check "the kept packets are byte for byte what came in" same_packets "$kept" "$WORKDIR/in.pcap"
check "no temporary file is left" test -z "$(ls -A "$TMPDIR")"

# The next run says where they are, once.
tui_start "$CAPSCOPE" -r "$WORKDIR/in.pcap"
check "the next run names the kept file" \
	tui_wait "kept when a session hung up: capscope-kept-[0-9-]+\.pcap \(o opens it\)" 10
tui_keys o
check "o offers its full path" tui_wait "open file: .*/state/capscope/capscope-kept-" 5
tui_keys Enter
check "Enter opens it: all $N packets" tui_wait 'capscope-kept-[0-9-]+\.pcap  done ' 10
check "... all $N of them" tui_wait_counts "$N" "$N" 10
tui_keys q
tui_wait '^\[exited 0\]' 10
tui_start "$CAPSCOPE" -r "$WORKDIR/in.pcap"
tui_wait_counts "$N" "$N" 20
check "the run after that does not repeat it" tui_wait_gone 'kept when' 1
tui_keys q
tui_wait '^\[exited 0\]' 10

# A deliberate quit that discards keeps nothing.
before=$(kept_files | wc -l)
tui_start bash -c 'cat "$1" | exec "$2" -r -' - "$WORKDIR/in.pcap" "$CAPSCOPE"
tui_wait_counts "$N" "$N" 20
tui_keys q
check "q asks before discarding" tui_wait 'discard' 5
tui_keys y
check "y quits with status 0" tui_wait '^\[exited 0\]' 10
check "nothing more is kept" test "$(kept_files | wc -l)" = "$before"
tui_finish
