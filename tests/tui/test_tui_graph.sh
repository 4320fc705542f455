#!/usr/bin/env bash
# test_tui_graph.sh - the rate graph and the conversations view, hermetic: inside a private
# network namespace (unshare -n, only lo, then a veth pair cs0/cs1) capscope captures on cs1 in
# an 80x24 tmux pane while tcpreplay sends UDP from two hosts mixed with TCP, ICMP and ARP out
# of cs0. The graph (r) must show its axes, SI units and a non-zero series while traffic flows,
# with Unicode blocks in a UTF-8 locale and ASCII only in the C locale; the conversations (c)
# must list both address pairs and the 5-tuples with the exact packet counts of the capture,
# and Enter must apply a pair as the display filter.
# Exit: 0 pass, 1 fail, 77 skipped (not root, a tool missing, namespaces unavailable).
set -uo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
K=900 # UDP frames (and K/2 others): 6.75 s at 200 packets/s

source "$SRCDIR/tests/lib/netns.sh"
NETNS_SCRIPT=$0
netns_enter 180 -n tcpreplay tmux python3

# ------------------------------------------------------------ inside the private namespace
TUI_W=80 TUI_H=24
source "$SRCDIR/tests/tui/lib.sh"
netns_veth
python3 "$SRCDIR/tests/stats/gen_stats.py" "$K" 2 "$WORKDIR/send.pcap" >/dev/null || exit 1
# Expected counts per address pair and per 5-tuple, from the file itself.
python3 - "$WORKDIR/send.pcap" >"$WORKDIR/expected" <<'PY'
import collections, struct, sys
data = open(sys.argv[1], "rb").read()[24:]
pairs, flows, off = collections.Counter(), collections.Counter(), 0
while off < len(data):
    _, _, cap, _ = struct.unpack_from("<IIII", data, off); f = data[off + 16:off + 16 + cap]; off += 16 + cap
    if f[12:14] != b"\x08\x00":
        continue
    src, dst, proto = ".".join(map(str, f[26:30])), ".".join(map(str, f[30:34])), f[23]
    pairs[(src, dst)] += 1
    if proto in (6, 17):
        sp, dp = struct.unpack_from("!HH", f, 34)
        flows[("tcp" if proto == 6 else "udp", "%s:%d" % (src, sp), "%s:%d" % (dst, dp))] += 1
for (a, b), n in pairs.items():
    print("pair", a, b, n)
for (p, a, b), n in flows.items():
    print("flow", p, a, b, n)
PY

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1
export LC_ALL=C.UTF-8 LANG=C.UTF-8
unset SSH_CONNECTION
send() { timeout 60 tcpreplay -q -i cs0 --pps 200 "$WORKDIR/send.pcap" >/dev/null 2>&1; }

# The plot area (rows under the title) holds a drawn bar: a block character, or '#' in ASCII.
has_bar() { tui_screen | sed -n '10,21p' | grep -q "$1"; }
nonzero_rate() { tui_screen | grep -Eq 'bits/s cur [1-9][0-9.]*[kM]? '; }

tui_start "$CAPSCOPE" -i cs1
check "capture starts on cs1" tui_wait 'cs1.*running' 10
tui_keys r
check "r opens the rate graph beside the list" tui_wait 'Rate: all traffic \| 1 s x 60' 3
send &
sender=$!
check "graph: a non-zero bits/s series while traffic flows" tui_wait 'bits/s cur [1-9][0-9.]*[kM]? ' 8
check "graph: SI units on the value axis" tui_wait '^[0-9.]+[kM] +│ b/s' 3
check "graph: time axis with 'now' and '-10s'" tui_wait '-10s +now *$' 3
check "graph: block characters drawn" has_bar '[▁▂▃▄▅▆▇█]'
check "graph: the list still shows beside it" tui_wait 'Packets [0-9,]+ shown' 1
tui_keys / u d p Enter
check "graph: the filter bar's filter becomes the graph's" tui_wait 'Rate: udp \|' 3
tui_keys T
check "graph: filtered and total series" tui_wait 'bits/s cur [1-9].*\| total cur [1-9]' 4
tui_keys z
check "z: the graph full screen, bits/s and packets/s" tui_wait 'pkts/s cur [1-9]' 3
tui_keys p
check "p: the picture pauses" tui_wait 'Rate: udp.*paused' 3
sleep 1.5
tui_keys p
check "resume: counting went on (a non-zero current rate)" tui_wait 'bits/s cur [1-9]' 3
wait "$sender"
tui_keys q y
tui_wait '\[exited 0\]' 5

# Conversations: a fresh capture of everything sent (the filter above also filtered the
# capture in the kernel).
tui_start "$CAPSCOPE" -i cs1
check "capture starts again" tui_wait 'cs1.*running' 10
sleep 0.5
send
total=$(python3 "$SRCDIR/tests/gen/mkpcap.py" --dump "$WORKDIR/send.pcap" | grep -c '^[0-9]')
check "all $total frames captured" tui_wait_counts "$total" "$total" 5
tui_keys c
check "c: conversations (address pairs)" tui_wait 'Conversations: address pairs' 3

# Every pair, then every 5-tuple, with its exact packet count.
rows_match() {
	local kind=$1 ok=0
	while read -r k p a b n; do
		[[ $k == pair ]] && { n=$b; b=$a; a=$p; }
		[[ $k == "$kind" ]] || continue
		local re
		if [[ $k == pair ]]; then re="^${a//./\\.} +${b//./\\.} +${n} "; else re="^$p +${a//./\\.} +${b//./\\.} +${n} "; fi
		tui_screen | grep -Eq "$re" || { echo "  missing: $re"; ok=1; }
	done <"$WORKDIR/expected"
	return $ok
}
tui_keys z
check "conversations: both pairs with exact counts" bash -c "sleep 1; $(declare -f tui_screen rows_match); TUI_SOCK=$TUI_SOCK WORKDIR=$WORKDIR rows_match pair"
tui_keys v
check "v: 5-tuples with exact counts" bash -c "sleep 1; $(declare -f tui_screen rows_match); TUI_SOCK=$TUI_SOCK WORKDIR=$WORKDIR rows_match flow"
check "negative control: a wrong count is not found" bash -c "! (tui_screen() { tmux -L $TUI_SOCK capture-pane -p -t t; }; tui_screen | grep -Eq '^10\.9\.0\.1 +10\.9\.0\.2 +1 ')"
tui_keys v
check "v: the protocol breakdown" tui_wait 'UDP +[0-9,]+ +[0-9.]+%' 3
tui_keys v
check "v: the TCP streams table" tui_wait 'Conversations: TCP streams' 3
tui_keys v z Enter
top=$(awk '$1 == "pair" {print $4, $2, $3}' "$WORKDIR/expected" | sort -rn | head -1)
read -r n a b <<<"$top"
check "Enter: the top pair becomes the display filter ($n packets)" \
	tui_wait "filter: ip\\.addr == ${a%%.*}" 3
check "  ... and the list shows exactly its $n packets" tui_wait_counts "$n" "$total" 5
tui_keys q y
tui_wait '\[exited 0\]' 5

# ASCII fallback: the same graph in the C locale has no byte outside ASCII.
export LC_ALL=C LANG=C
tui_start "$CAPSCOPE" -i cs1
check "C locale: capture starts" tui_wait 'cs1.*running' 10
tui_keys r
send &
sender=$!
check "C locale: a non-zero series" tui_wait 'bits/s cur [1-9]' 8
check "C locale: ASCII bars ('#')" has_bar '#'
check "C locale: nothing outside ASCII on screen" bash -c "! tmux -L $TUI_SOCK capture-pane -p -t t | LC_ALL=C grep -q '[^ -~]'"
wait "$sender"
tui_keys q y
tui_finish
