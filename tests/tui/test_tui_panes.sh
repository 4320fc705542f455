#!/usr/bin/env bash
# test_tui_panes.sh - the real binary in a private tmux server: the packet list's columns, the
# decode and hex panes of a UDP/IPv4 packet, the exact highlight of a selected field, control
# bytes from a packet never reaching the terminal raw, resizing below and back above the
# minimum size, a clean quit and ending on hang-up.
#
# Env: CAPSCOPE (the binary), SRCDIR (the source tree), WORKDIR (scratch).
# Exit: 0 all passed, 1 a check failed, 77 skipped (tmux or python3 missing).
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"

skip() {
	echo "SKIP: $*"
	exit 77
}

[[ -n "${CAPSCOPE:-}" && -x "${CAPSCOPE}" ]] ||
	skip "CAPSCOPE (the built binary) is not set or not executable: '${CAPSCOPE:-}'"
for tool in tmux python3 script pgrep; do
	command -v "$tool" >/dev/null || skip "$tool is missing"
done
mkdir -p "$WORKDIR"
export XDG_STATE_HOME="$WORKDIR/state" # never the user's own
export CAPSCOPE_SECCOMP=strict # as tests/tui/lib.sh: a call the filter lacks ends capscope

SOCK="cs-$$"
source "$SRCDIR/tests/lib/check.sh"
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null' EXIT

# ---------------------------------------------------------------- captures
mkcap() { # NAME: a capture from the shared generator
	python3 "$SRCDIR/tests/gen/mkpcap.py" "$1" -o "$WORKDIR/$1.pcap" ||
		skip "tests/gen/mkpcap.py cannot write '$1'"
}
mkcap udp4       # 10.0.0.1:40000 -> 10.0.0.2:9999 "hello", then two more UDP packets
mkcap ctrl-bytes # a DNS name with ESC [31m ... BEL and 0x9b; a payload with OSC, BEL, CSI

# ---------------------------------------------------------------- helpers
now_ms() { date +%s%3N; }

# start CMD [COLS ROWS]: a fresh server whose only pane runs CMD.
start() {
	local deadline=$(($(now_ms) + 3000))
	tm kill-server 2>/dev/null
	while tm has-session 2>/dev/null && (($(now_ms) < deadline)); do sleep 0.05; done
	sleep 0.2 # the old server's socket goes away after its last client
	tm new-session -d -x "${2:-100}" -y "${3:-30}" "$1" || return 1
	tm set-option -g remain-on-exit off >/dev/null 2>&1
}

screen() { tm capture-pane -p -t 0 2>/dev/null; }

# wait_for REGEX [SECONDS]: polls the screen until a line matches (extended regex).
wait_for() {
	local deadline=$(($(now_ms) + ${2:-5} * 1000))
	while (($(now_ms) < deadline)); do
		screen | grep -qE -- "$1" && return 0
		sleep 0.1
	done
	return 1
}

keys() {
	tm send-keys -t 0 "$@"
	sleep 0.3
}

# The screen line (1-based) that first matches REGEX.
line_no() { screen | grep -nE -- "$1" | head -1 | cut -d: -f1; }

# ---------------------------------------------------------------- 1. the packet list
start "exec '$CAPSCOPE' -r '$WORKDIR/udp4.pcap'"
if wait_for 'Packets 3 shown of 3' 10; then
	ok "the list's title counts the packets"
else
	bad "no 'Packets 3 shown of 3' title"
	screen
fi
hdr=$(screen | grep -E 'No\.' | head -1 | tr -s ' ')
if [[ "$hdr" == *"No. Time Source Destination Protocol Length Info"* ]]; then
	ok "header row: No. Time Source Destination Protocol Length Info"
else
	bad "header row is '$hdr'"
fi
want_rows=(
	'1 0.000000 10.0.0.1.40000 10.0.0.2.9999 UDP 60 length 5'
	'2 0.001000 10.0.0.2.9999 10.0.0.1.40000 UDP 60 length 0'
	'3 0.002000 192.168.1.100.5001 192.168.1.255.5002 UDP 106 length 64'
)
for w in "${want_rows[@]}"; do
	if screen | sed 's/^[* ]*//' | tr -s ' ' | sed 's/ $//' | grep -qxF -- "$w"; then
		ok "row '$w'"
	else
		bad "no row '$w'"
		screen | head -8
	fi
done

# ---------------------------------------------------------------- 2. decode and hex panes
keys g # first packet (stops following)
scr=$(screen)
for w in 'Decode - packet 1' 'IPv4, Src: 10.0.0.1, Dst: 10.0.0.2'; do
	if grep -qF -- "$w" <<<"$scr"; then ok "decode pane shows '$w'"; else bad "decode pane lacks '$w'"; fi
done
if grep -qF '0000  02 00 00 00 00 0b 02 00  00 00 00 0a 08 00 45 00  ..............E.' <<<"$scr"; then
	ok "hex pane shows the first 16 bytes"
else
	bad "hex pane lacks line 0000"
	echo "$scr"
fi

# Select the UDP source port from the hex pane: its byte cursor on offset 34 (0x22).
keys Tab Tab          # list -> decode -> hex
keys Down Down Right Right
keys Tab              # hex -> list: no byte cursor, only the field's highlight
scr=$(screen)
if grep -qE 'Source port: 40000' <<<"$scr"; then
	ok "decode pane shows 'Source port: 40000' (the field the hex cursor chose)"
else
	bad "decode pane does not show the source port field"
fi
tm capture-pane -p -e -t 0 >"$WORKDIR/hilite.ansi"
python3 - "$WORKDIR/hilite.ansi" <<'EOF'
import re, sys
# Columns of line 0020 whose attributes differ from the offset digits'; must be exactly the
# two hex pairs of bytes 0x22, 0x23 and their two ASCII characters.
lines = open(sys.argv[1], encoding='utf-8', errors='replace').read().split('\n')
sgr = re.compile(r'\x1b\[([0-9;]*)m')
for raw in lines:
    plain = sgr.sub('', raw)
    if not plain.startswith('0020  '):
        continue
    cells, state, i = [], {}, 0
    while i < len(raw):
        m = sgr.match(raw, i)
        if m:
            ps = [int(p) if p else 0 for p in m.group(1).split(';')]
            while ps:
                p = ps.pop(0)
                if p == 0:
                    state = {}
                elif 30 <= p <= 37 or p == 39 or 90 <= p <= 97:
                    state['fg'] = p
                elif 40 <= p <= 47 or p == 49 or 100 <= p <= 107:
                    state['bg'] = p
                elif p in (38, 48):  # 38;5;N or 38;2;R;G;B
                    n = 2 if ps[:1] == [5] else 4
                    state['fg' if p == 38 else 'bg'] = (p, tuple(ps[:n]))
                    ps = ps[n:]
                elif p in (22, 23, 24, 25, 27):
                    state.pop({22: 1, 23: 3, 24: 4, 25: 5, 27: 7}[p], None)
                    if p == 22:
                        state.pop(2, None)
                else:
                    state[p] = True
            i = m.end()
            continue
        norm = tuple(sorted((k, v) for k, v in state.items()
                            if not (k == 'fg' and v == 39) and not (k == 'bg' and v == 49)))
        cells.append((raw[i], norm))
        i += 1
    base = cells[0][1]
    hot = [k for k, (_, s) in enumerate(cells) if s != base]
    text = ''.join(cells[k][0] for k in hot)
    want = [12, 13, 15, 16, 58, 59]
    if hot == want and text == '9c40.@':
        print('ok - the source port highlights exactly its two bytes (hex 9c 40, ASCII .@)')
        sys.exit(0)
    print('FAIL - highlighted columns %s (%r), want %s' % (hot, text, want))
    print(repr(raw))
    sys.exit(1)
print('FAIL - no hex line 0020 on screen')
sys.exit(1)
EOF
if (($? == 0)); then pass=$((pass + 1)); else failed=$((failed + 1)); fi

# The whole tree of packet 1, zoomed: the lengths (UDP 8 + 5 bytes, IPv4 20 + 13).
keys Tab z
scr=$(screen)
for w in 'UDP, Src Port: 40000, Dst Port: 9999' 'Source port: 40000' 'Destination port: 9999' \
	'Length: 13' 'Total length: 33' 'Source: 10.0.0.1' 'Destination: 10.0.0.2'; do
	if grep -qF -- "$w" <<<"$scr"; then ok "zoomed decode shows '$w'"; else bad "zoomed decode lacks '$w'"; fi
done
keys z

# ---------------------------------------------------------------- 3. control bytes stay escaped
rm -f "$WORKDIR/ctrl.typescript"
start "exec script -q -f -c \"'$CAPSCOPE' -r '$WORKDIR/ctrl-bytes.pcap'\" '$WORKDIR/ctrl.typescript'"
wait_for 'Packets 2 shown of 2' 10 || bad "ctrl-bytes.pcap did not load"
keys g           # packet 1: the DNS query whose name holds ESC [31m ... BEL and 0x9b
scr0=$(screen)
keys Tab z End   # its whole tree, zoomed
scr1=$(screen)
keys z Tab Tab j # list, packet 2: OSC 0 ; pwned BEL, CSI 2J, CR LF, DEL, 0xff
keys Tab End Tab End
scr2=$(screen)
keys q
deadline=$(($(now_ms) + 5000))
while tm has-session 2>/dev/null && (($(now_ms) < deadline)); do sleep 0.1; done
if grep -qF 'Standard query 0x0bad A \x1b[31mred\x07.' <<<"$scr0"; then
	ok "the list's Info shows the DNS name's control bytes as \\xNN"
else
	bad "the escaped DNS name is not in the list"
	echo "$scr0"
fi
if grep -qF 'Name: \x1b[31mred\x07.\x9bx\x0ay.example' <<<"$scr1"; then
	ok "the decode pane shows the DNS name's control bytes as \\xNN"
else
	bad "the escaped DNS name is not in the decode pane"
	echo "$scr1"
fi
if grep -qF '1b 5d 30 3b 70 77  ...........]0;pw' <<<"$scr2" &&
	grep -qF '7f ff           ned..2J..ok..' <<<"$scr2"; then
	ok "the hex pane's ASCII column shows control bytes as '.'"
else
	bad "the hex ASCII column of packet 2 is not as expected"
	echo "$scr2"
fi
python3 - "$WORKDIR/ctrl.typescript" <<'EOF'
import sys
data = open(sys.argv[1], 'rb').read()
bad = {b'\x07': 'BEL', b'\x9b': 'C1 CSI', b'\x1b]': 'OSC', b'\x7f': 'DEL', b'\xff': '0xff',
       b'\x1b[31mred': 'the packet\'s SGR', b'pwned\x07': 'the packet\'s OSC end'}
found = [name for seq, name in bad.items() if seq in data]
if len(data) < 500:
    print('FAIL - the recorded output stream is only %d bytes' % len(data))
    sys.exit(1)
if found:
    print('FAIL - raw bytes from the packet reached the terminal: %s' % ', '.join(found))
    sys.exit(1)
print('ok - no raw control byte from the packets in %d bytes of output' % len(data))
EOF
if (($? == 0)); then pass=$((pass + 1)); else failed=$((failed + 1)); fi

# ---------------------------------------------------------------- 4. resizing
start "exec '$CAPSCOPE' -r '$WORKDIR/udp4.pcap'"
wait_for 'Packets 3 shown of 3' 10
tm resize-window -t 0 -x 40 -y 10
if wait_for 'Packets 3' 3 && ! screen | grep -q 'terminal too small'; then
	ok "40x10 still shows the panes"
else
	bad "40x10 does not show the panes"
	screen
fi
tm resize-window -t 0 -x 39 -y 9
if wait_for 'terminal too small' 3; then ok "39x9 shows the small-terminal notice"; else bad "no notice at 39x9"; fi
tm resize-window -t 0 -x 100 -y 30
if wait_for 'Packets 3 shown of 3' 3 && wait_for 'No\. +Time' 1 &&
	! screen | grep -q 'terminal too small'; then
	ok "back to 100x30 redraws normally"
else
	bad "no normal redraw at 100x30"
	screen
fi

# ---------------------------------------------------------------- 5. q quits, terminal restored
start "sh -c \"'$CAPSCOPE' -r '$WORKDIR/udp4.pcap'; echo EXIT=\\\$?; stty -a; sleep 30\""
wait_for 'Packets 3 shown of 3' 10
t0=$(now_ms)
tm send-keys -t 0 q
if wait_for 'EXIT=' 5; then
	scr=$(screen)
	rc=$(grep -oE 'EXIT=[0-9]+' <<<"$scr" | head -1)
	if [[ "$rc" == EXIT=0 ]]; then ok "q exits with status 0 ($(($(now_ms) - t0)) ms)"; else bad "q: $rc"; fi
	if grep -qwE -- '-icanon|-echo' <<<"$scr" || ! grep -qw 'icanon' <<<"$scr"; then
		bad "terminal modes not restored"
	elif grep -qE 'Packets 3 shown|No\. +Time' <<<"$scr"; then
		bad "the program's screen is still shown after it ended"
	else
		ok "terminal restored (canonical mode and echo, main screen)"
	fi
else
	bad "q did not end the program"
fi

# ---------------------------------------------------------------- 6. hang-up
start "exec '$CAPSCOPE' -r '$WORKDIR/udp4.pcap'"
wait_for 'Packets 3 shown of 3' 10
pid=$(tm display-message -p -t 0 '#{pane_pid}')
tm kill-server
deadline=$(($(now_ms) + 1500))
gone=""
while (($(now_ms) < deadline)); do
	if ! pgrep -f "$WORKDIR/udp4.pcap" | grep -qx "$pid"; then
		gone=$(now_ms)
		break
	fi
	sleep 0.05
done
if [[ -n "$gone" ]]; then
	ok "hang-up ends the program"
else
	bad "the program is still running 1.5 s after the hang-up"
	ps -o pid,stat,pcpu,cmd -p "$pid"
	kill "$pid" 2>/dev/null
fi

check_summary
