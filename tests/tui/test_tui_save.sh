#!/usr/bin/env bash
# test_tui_save.sh - saving from the TUI and the menu bar, on the real binary in tmux:
# Save marked writes exactly the marked packets (byte-compared with mkpcap.py --dump, and read
# back by tcpdump and tshark), and a name ending in .pcapng saves them as pcapng (capinfos;
# the same records once editcap turns it back into pcap), the menu opens with F2 and with m and its "Save marked..." item
# works like the key, the overwrite question keeps an existing file on 'n' and replaces it on
# 'y', Save displayed after a filter holds what tcpdump's filter selects, a nanosecond capture
# saves as nanoseconds, and a failed save (no such folder, a full disk) says so at once.
# Live part (root, in a private network namespace): write while capturing, stop/restart, and
# a SIGTERM that closes the written file cleanly.
# Exit: 0 pass, 1 fail, 77 skipped.
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"

if [[ "${CAPSCOPE_IN_NETNS:-}" == 1 ]]; then
	live_part=1
else
	live_part=0
	[[ -n "${CAPSCOPE:-}" && -x "$CAPSCOPE" ]] || { echo "SKIP: CAPSCOPE (the built binary) is not set"; exit 77; }
	for tool in tmux tcpdump tshark python3 cmp capinfos editcap; do
		command -v "$tool" >/dev/null || { echo "SKIP: $tool is missing"; exit 77; }
	done
	rm -rf "$WORKDIR" && mkdir -p "$WORKDIR"
fi
# Wide enough that the status bar shows whole messages even with a long WORKDIR in paths.
TUI_W=${TUI_W:-140}
source "$SRCDIR/tests/tui/lib.sh"
source "$SRCDIR/tests/lib/netns.sh"
NETNS_SCRIPT=$0
export XDG_STATE_HOME="$WORKDIR/state" ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1
unset SSH_CONNECTION
MK="$SRCDIR/tests/gen/mkpcap.py"
dump() { python3 "$MK" --dump "$1"; }
# Packet lines N... of a capture's dump (1-based), with its header line first.
dump_lines() {
	local f=$1
	shift
	dump "$f" | awk -v want=" $* " 'NR == 1 || index(want, " " (NR - 1) " ")'
}
same() { cmp -s <(dump "$1") <(printf '%s\n' "$2"); }
# A pcapng file ($1) holding the records of a pcap file ($2), byte for byte.
same_as_pcapng() {
	[[ "$(capinfos -t -M "$1" 2>/dev/null | tail -1)" == *pcapng* ]] &&
		editcap -F pcap "$1" "$WORKDIR/back.pcap" 2>/dev/null &&
		cmp -s <(tail -c +25 "$WORKDIR/back.pcap") <(tail -c +25 "$2")
}
tcpdump_count() { [[ "$(tcpdump_packets "$1")" == "$2" ]] && tcpdump -nr "$1" >/dev/null 2>&1; }
tshark_count() {
	local out
	out=$(tshark -r "$1" -T fields -e frame.number 2>"$WORKDIR/tshark.err") || return 1
	! grep -v 'Running as user' "$WORKDIR/tshark.err" | grep -q . && [[ "$(wc -l <<<"$out")" == "$2" ]]
}
# Types a path into the open path prompt (clearing any offered folder) and presses Enter.
answer_path() {
	tui_wait ' to:( |$)' 5
	tui_keys C-u
	tui_keys -l "$1"
	tui_keys Enter
}

# ---------------------------------------------------------------- live part (netns, root)
if ((live_part)); then
	netns_veth
	python3 "$MK" udp4 -o "$WORKDIR/send.pcap" || exit 1
	N=$(dump "$WORKDIR/send.pcap" | grep -c '^[0-9]')
	OUT="$WORKDIR/while.pcap"
	tui_start bash -c 'echo $$ >"$1"; exec "$2" -i cs1' - "$WORKDIR/pid" "$CAPSCOPE"
	check "live: capture starts on cs1" tui_wait 'cs1.*running' 10
	tui_keys W
	answer_path "$OUT"
	check "live: the status bar says it writes" tui_wait 'writing .*while.pcap \(0 pkts\)' 5
	timeout 30 tcpreplay -q -i cs0 "$WORKDIR/send.pcap" >/dev/null 2>&1
	check "live: $N packets written so far" tui_wait "writing .*while.pcap \($N pkts\)" 5
	tui_keys W
	check "live: W again stops writing" tui_wait "stopped writing .*while.pcap: $N packets" 5
	check "live: the written file holds the $N packets" tcpdump_count "$OUT" "$N"

	# Send menu: what goes out of cs0 comes back in on cs1, into this same capture.
	down=$(("$("$CAPSCOPE" -D | grep -E '^[0-9]+\. ' | grep -n '^[0-9]*\. cs0 ' | cut -d: -f1)" - 1))
	pick_cs0() {
		tui_wait 'Choose the adapter to send on' 5 || return 1
		for ((i = 0; i < down; i++)); do tui_keys Down; done
		tui_keys Enter
	}
	tui_keys C-p
	tui_wait '^replay file:' 5
	tui_keys C-u
	tui_keys -l "$WORKDIR/send.pcap"
	tui_keys Enter
	check "replay: the picker asks where to send" pick_cs0
	check "replay: the timing is asked" tui_wait '^timing \(recorded, topspeed, or packets/s\): recorded' 5
	tui_keys C-u
	tui_keys -l topspeed
	tui_keys Enter
	check "replay: $N packets sent to cs0" tui_wait "sent $N packets to cs0" 10
	check "replay: they come back in on cs1" tui_wait_counts $((2 * N)) $((2 * N)) 5
	tui_keys C-t
	check "send: the selected packet to cs0" pick_cs0
	check "send: 1 packet sent" tui_wait "sent 1 packet to cs0" 10
	check "send: it comes back in on cs1" tui_wait_counts $((2 * N + 1)) $((2 * N + 1)) 5
	python3 "$MK" raw -o "$WORKDIR/raw.pcap" || exit 1
	tui_keys C-p
	tui_wait '^replay file:' 5
	tui_keys C-u
	tui_keys -l "$WORKDIR/raw.pcap"
	tui_keys Enter
	pick_cs0
	tui_wait '^timing' 5
	tui_keys Enter
	check "replay: another link type asks first" tui_wait 'holds RAW frames, cs0 is EN10MB: send anyway\? \(y/N\)' 5
	tui_keys n
	check "replay: n sends nothing" tui_wait 'nothing sent' 5
	sleep 0.5
	check "replay: nothing came in" tui_wait_counts $((2 * N + 1)) $((2 * N + 1)) 2
	# Esc stops a slow replay (1 packet a second).
	tui_keys C-p
	tui_wait '^replay file:' 5
	tui_keys C-u
	tui_keys -l "$WORKDIR/send.pcap"
	tui_keys Enter
	pick_cs0
	tui_wait '^timing' 5
	tui_keys C-u 1 Enter
	check "replay: progress in the status bar" tui_wait 'sending to cs0: [0-9]+/3 pkts \(Esc stops\)' 5
	tui_keys Escape
	check "replay: Esc stops it" tui_wait 'stopped: sent [0-9]+ packets? to cs0' 5
	tui_wait_counts $((2 * N + 1)) $((2 * N + 1)) 1 # the ones sent before Esc (at most 2)
	n_now=$(tui_counts | cut -d' ' -f2)
	check "replay: fewer than $N sent before Esc" test "$n_now" -lt $((3 * N + 1))
	tui_keys C-x
	check "live: ^X stops, the packets stay" tui_wait "stopped: $n_now packets kept" 5
	tui_keys C-e
	check "live: ^E asks before discarding" tui_wait 'Start a new capture and discard' 5
	tui_keys y
	check "live: a new capture runs" tui_wait 'cs1.*running' 5
	tui_wait_counts 0 0 5
	tui_keys W
	answer_path "$OUT"
	check "live: an existing file asks first" tui_wait 'exists. Overwrite\? \(y/N\)' 5
	tui_keys y
	tui_wait 'writing .*while.pcap' 5
	timeout 30 tcpreplay -q -i cs0 "$WORKDIR/send.pcap" >/dev/null 2>&1
	tui_wait "writing .*while.pcap \($N pkts\)" 5
	kill -TERM "$(cat "$WORKDIR/pid")"
	check "live: SIGTERM ends the TUI" tui_wait '^\[exited' 10
	check "live: the file written while capturing is complete after SIGTERM" tcpdump_count "$OUT" "$N"
	echo "live: $pass passed, $failed failed"
	((failed == 0))
	exit $?
fi

# ---------------------------------------------------------------- files
PCAP="$WORKDIR/mixed.pcap"
NANO="$WORKDIR/nano.pcap"
python3 "$MK" mixed -o "$PCAP" || skip "mkpcap.py cannot write 'mixed'"
python3 "$MK" nano -o "$NANO" || skip "mkpcap.py cannot write 'nano'"
TOTAL=$(dump "$PCAP" | grep -c '^[0-9]')
UDP=$(tcpdump_packets "$PCAP" udp)
((TOTAL > 10 && UDP > 0 && UDP < TOTAL)) || skip "unexpected test capture ($TOTAL/$UDP)"

tui_start "$CAPSCOPE" -r "$PCAP"
check "the file loads" tui_wait_counts "$TOTAL" "$TOTAL" 20

# The menu: F2 and m open it, Esc closes it.
tui_keys F2
check "F2 opens the menu" tui_wait 'File +Capture +Send' 5
check "the File menu lists Save marked with its key" tui_wait 'Save marked\.\.\. +M ' 5
tui_keys Right
check "Right opens the Capture menu" tui_wait 'Write to file while capturing' 5
tui_keys Escape
check "Esc closes the menu" tui_wait_gone 'File +Capture +Send' 5
tui_keys m
check "m opens the menu" tui_wait 'File +Capture +Send' 5
tui_keys Escape
tui_wait_gone 'File +Capture +Send' 5
check "the function bar shows F2 Menu" tui_wait 'F2Menu' 5

# Mark packets 1, 2 and 4 (Space marks and moves down), then Save marked (M).
tui_keys Space Space j Space
tui_keys M
check "M asks where to save the 3 marked packets" tui_wait 'save the marked packets \(3\) to:( |$)' 5
answer_path "$WORKDIR/marked.pcap"
check "saved: 3 packets reported" tui_wait 'saved 3 packets, [0-9,]+ bytes to ' 5
want=$(dump_lines "$PCAP" 1 2 4)
check "the saved file holds exactly packets 1, 2 and 4" same "$WORKDIR/marked.pcap" "$want"
check "tcpdump reads it back: 3 packets" tcpdump_count "$WORKDIR/marked.pcap" 3
check "tshark reads it back: 3 packets" tshark_count "$WORKDIR/marked.pcap" 3

# The same through the menu: F2, down to Save marked, Enter.
tui_keys F2
tui_wait 'File +Capture +Send' 5
tui_keys Down Down Down Enter
check "menu > Save marked... asks like M" tui_wait 'save the marked packets \(3\) to:( |$)' 5
answer_path "$WORKDIR/menu.pcap"
check "menu: saved 3 packets" tui_wait 'saved 3 packets, ' 5
check "menu: the same file as with the key" cmp -s "$WORKDIR/marked.pcap" "$WORKDIR/menu.pcap"

# A name ending in .pcapng: the same packets, saved as pcapng.
tui_keys M
tui_wait 'save the marked packets \(3\) to:( |$)' 5
answer_path "$WORKDIR/marked.pcapng"
check "pcapng: saved 3 packets" tui_wait 'saved 3 packets, [0-9,]+ bytes to .*marked\.pcapng' 5
check "pcapng: capinfos says pcapng; the records are marked.pcap's" \
	same_as_pcapng "$WORKDIR/marked.pcapng" "$WORKDIR/marked.pcap"
check "pcapng: tshark reads it back: 3 packets" tshark_count "$WORKDIR/marked.pcapng" 3

# The mouse (X10 press and release): a click on F2Menu in the function bar opens the menu, on
# a title switches menus, on an item chooses it.
click() {
	local x y
	x=$(printf '%03o' $((33 + $1)))
	y=$(printf '%03o' $((33 + $2)))
	tui_keys -l "$(printf "\e[M \\$x\\$y\e[M#\\$x\\$y")"
}
click 8 $((TUI_H - 1))
check "mouse: a click on F2Menu opens the menu" tui_wait 'File +Capture +Send' 5
click 12 0
check "mouse: a click on Capture opens that menu" tui_wait 'Write to file while capturing' 5
click 3 0
tui_wait 'Save marked' 5
click 5 5
check "mouse: a click on Save marked... asks like M" tui_wait 'save the marked packets \(3\) to:( |$)' 5
tui_keys Escape
tui_wait_gone ' to:( |$)' 5

# Overwrite: 'n' leaves the file untouched, 'y' replaces it.
before=$(md5sum <"$WORKDIR/marked.pcap")
tui_keys C-s
answer_path "$WORKDIR/marked.pcap"
check "an existing file asks before overwriting" tui_wait 'marked.pcap exists. Overwrite\? \(y/N\)' 5
tui_keys n
check "n: nothing written" tui_wait 'nothing written: .* is left as it was' 5
check "n: the file is untouched" test "$(md5sum <"$WORKDIR/marked.pcap")" == "$before"
tui_keys C-s
answer_path "$WORKDIR/marked.pcap"
tui_wait 'exists. Overwrite' 5
tui_keys y
check "y: every packet saved over it" tui_wait "saved $(commas "$TOTAL") packets" 5
check "y: the file is the whole capture" same "$WORKDIR/marked.pcap" "$(dump "$PCAP")"
check "no temporary file is left behind" test -z "$(find "$WORKDIR" -name '.*.tmp')"

# Save displayed after a filter: exactly what tcpdump's filter selects.
tui_keys /
tui_wait '^filter: ' 5
tui_keys C-u
tui_keys -l udp
tui_keys Enter
check "udp: $UDP of $TOTAL shown" tui_wait_counts "$UDP" "$TOTAL" 20
tui_keys w
answer_path "$WORKDIR/udp.pcap"
check "w: $UDP packets saved" tui_wait "saved $(commas "$UDP") packets" 5
tcpdump -r "$PCAP" -w "$WORKDIR/udp-tcpdump.pcap" udp 2>/dev/null
check "the saved file equals tcpdump's filtered copy" same "$WORKDIR/udp.pcap" "$(dump "$WORKDIR/udp-tcpdump.pcap")"
check "tshark reads the filtered file: $UDP packets" tshark_count "$WORKDIR/udp.pcap" "$UDP"

# Errors: no such folder keeps the prompt open; Esc leaves it.
tui_keys w
answer_path "$WORKDIR/nowhere/x.pcap"
check "no such folder: said at once, the prompt stays" tui_wait 'no such folder for .*nowhere/x.pcap' 5
tui_keys Escape
tui_wait_gone ' to:( |$)' 5
tui_keys q
tui_wait '^\[exited 0\]' 10

# A nanosecond capture saves with nanoseconds (^S: every packet).
tui_start "$CAPSCOPE" -r "$NANO"
n=$(dump "$NANO" | grep -c '^[0-9]')
tui_wait_counts "$n" "$n" 20
tui_keys C-s
answer_path "$WORKDIR/nano-saved.pcap"
check "nano: saved" tui_wait "saved $n packets" 5
check "nano: the saved file is nanosecond and identical" same "$WORKDIR/nano-saved.pcap" "$(dump "$NANO")"
check "nano: tshark reads it" tshark_count "$WORKDIR/nano-saved.pcap" "$n"
tui_keys q
tui_wait '^\[exited 0\]' 10

# A full disk: a tiny tmpfs (root only); the error shows at once and no file is left.
if (($(id -u) == 0)) && command -v unshare >/dev/null && timeout 10 unshare -m true 2>/dev/null; then
	FULL="$WORKDIR/full"
	mkdir -p "$FULL"
	tui_start unshare -m bash -c "mount -t tmpfs -o size=64k tmpfs '$FULL' && exec '$CAPSCOPE' -r '$PCAP'"
	tui_wait_counts "$TOTAL" "$TOTAL" 20
	tui_keys C-s
	answer_path "$FULL/all.pcap"
	check "full disk: the error shows at once" tui_wait "No space left on device" 10
	tui_keys q
	tui_wait '^\[exited 0\]' 10
else
	part_skipped "the full-disk part: it needs root and a mount namespace (a tmpfs)"
fi

# The live part in a private network namespace, when possible.
if netns_possible tcpreplay; then
	tui_stop
	if netns_run 120 -n; then
		check "live part (see above)" true
	else
		check "live part (see above)" false
	fi
fi

tui_finish
