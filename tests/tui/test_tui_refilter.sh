#!/usr/bin/env bash
# test_tui_refilter.sh - refiltering a big file on the real binary in tmux, with a display
# filter (each packet dissected: slow enough for Esc to land part-way): the status bar
# shows the progress ("filtering N%"), Esc gives up on it part-way and every packet shows
# again at once with no filter set, and the same filter applied again runs to the end (no
# packet matches it). Exit: 0 pass, 1 fail, 77 skipped.
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
source "$SRCDIR/tests/tui/lib.sh"

[[ -n "${CAPSCOPE:-}" && -x "$CAPSCOPE" ]] || skip "CAPSCOPE (the built binary) is not set"
for tool in tmux python3; do
	command -v "$tool" >/dev/null || skip "$tool is missing"
done
rm -rf "$WORKDIR" && mkdir -p "$WORKDIR"
export XDG_STATE_HOME="$WORKDIR/state"
N=1000000
BIG="$WORKDIR/big.pcap"
# N copies of one 60-byte UDP/IPv4 frame to port 9, a microsecond apart (76 MB).
python3 - "$BIG" "$N" <<'EOF' || skip "cannot write the test capture"
import struct, sys
path, n = sys.argv[1], int(sys.argv[2])
frame = (bytes.fromhex("020000000002" "020000000001" "0800")
         + bytes.fromhex("4500002e00004000401100000a0000010a000002")
         + struct.pack("!HHHH", 40000, 9, 26, 0) + bytes(18))
with open(path, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    f.write(b"".join(struct.pack("<IIII", 1700000000 + i // 1000000, i % 1000000, 60, 60)
                     + frame for i in range(n)))
EOF

counts_are() { [[ "$(tui_counts)" == "$1 $2" ]]; }
no_filter_shown() { ! tui_screen | grep -Eq 'filter: |filtering [0-9]+%'; }

tui_start "$CAPSCOPE" -r "$BIG"
check "the file loads: $N/$N" tui_wait_counts "$N" "$N" 60

# A filter no packet matches: the refilter has to read every packet back from the file.
tui_keys /
tui_wait '^filter: ' 5
tui_keys -l 'udp.port == 7'
tui_keys Enter
seen=""
deadline=$((SECONDS + 10))
while ((SECONDS < deadline)) && [[ -z "$seen" ]]; do
	seen=$(tui_screen | grep -Eo 'filtering [0-9]+%' | head -1)
	[[ -n "$seen" ]] || sleep 0.02
done
check "progress shows while refiltering ($seen)" test -n "$seen"
tui_keys Escape
# Had the refilter finished before Esc, the list would show 0/N: Esc must have stopped it.
check "Esc: every packet shows again ($N/$N)" tui_wait_counts "$N" "$N" 5
check "Esc: no filter and no progress left" no_filter_shown
check "Esc: the list shows packets" tui_wait '^ *1 ' 5

# The same filter again, left to finish: nothing matches.
tui_keys /
tui_wait '^filter: ' 5
tui_keys C-u
tui_keys -l 'udp.port == 7'
tui_keys Enter
check "the refilter runs to the end: 0/$N" tui_wait_counts 0 "$N" 60
check "the filter is shown" tui_wait 'filter: udp\.port == 7' 5

tui_keys q
tui_finish
