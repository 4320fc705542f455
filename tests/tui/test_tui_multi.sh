#!/usr/bin/env bash
# test_tui_multi.sh - the monitor on several adapters at once (-i cs1 -i cs3), hermetic: in a
# private network namespace two veth pairs carry distinct traffic (tcpreplay out of cs0 and
# cs2 at the same time); the monitor shows one list with an Interface column naming both,
# every packet once, in timestamp order; the status bar shows both sources; the rate graph
# has a row per source and the sum; the display filter frame.interface_name == "cs1" keeps
# only cs1's packets (frame.interface_id == 1 cs3's, and the decode pane names it); a pcapng
# save reads back in tshark with both interfaces and the same packets, a pcap save writes a
# file each; a hang-up keeps both sources' packets in one pcapng file. cs1 and "any" (two
# link types): a BPF filter runs as each one's program, and a display filter's kernel
# prefilter is each one's own (either order): each source keeps what capscope -r -Y keeps
# of a tcpdump reference on it, and the filter's note says each one's prefilter (once when
# they are the same), as headless -i IF -Y says it for each alone.
# Exit: 0 pass, 1 fail, 77 skipped (not root, a tool missing, namespaces unavailable).
set -uo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"

source "$SRCDIR/tests/lib/netns.sh"
NETNS_SCRIPT=$0
netns_enter 120 -n tcpreplay tmux python3 tshark tcpdump mergecap pgrep

# ------------------------------------------------------------ inside the private namespace
TUI_W=140
source "$SRCDIR/tests/tui/lib.sh"
netns_veth
netns_veth2
MK="$SRCDIR/tests/gen/mkpcap.py"
python3 "$MK" mixed 200 -o "$WORKDIR/a.pcap" || exit 1
python3 "$MK" udp4 -o "$WORKDIR/b1.pcap" || exit 1
# udp4 is small: the same packets ten times over (mergecap -a appends)
mergecap -a -F pcap -w "$WORKDIR/b.pcap" $(printf "$WORKDIR/b1.pcap %.0s" $(seq 10)) || exit 1
NA=$(tcpdump_packets "$WORKDIR/a.pcap")
NB=$(tcpdump_packets "$WORKDIR/b.pcap")
N=$((NA + NB))

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1
unset SSH_CONNECTION
tui_start "$CAPSCOPE" -i cs1 -i cs3
check "both sources start (status bar)" tui_wait 'cs1 running +cs3 running' 10
check "no packets before sending" tui_wait_counts 0 0 5
check "the Interface column's header" tui_wait 'No\. +Time +Interface +Source' 2
# Writing while capturing: pcapng (an interface each); a pcap name is refused, saying why.
answer_path() {
	tui_wait ' to:( |$)' 5
	tui_keys C-u
	tui_keys -l "$1"
	tui_keys Enter
}
rm -f "$WORKDIR"/while.*
tui_keys W
answer_path "$WORKDIR/while.pcap"
check "writing while capturing to pcap is refused: pcapng" \
	tui_wait 'several sources are written as pcapng: name the file \*\.pcapng' 5
tui_keys W
answer_path "$WORKDIR/while.pcapng"
check "writing while capturing to pcapng" tui_wait 'writing .*while.pcapng \(0 pkts\)' 5
timeout 60 tcpreplay -q -i cs0 --pps 400 "$WORKDIR/a.pcap" >"$WORKDIR/a.out" 2>&1 &
timeout 60 tcpreplay -q -i cs2 --pps 100 "$WORKDIR/b.pcap" >"$WORKDIR/b.out" 2>&1
wait
check "tcpreplay sent $NA packets on cs0" grep -q "Successful packets: *$NA" "$WORKDIR/a.out"
check "tcpreplay sent $NB packets on cs2" grep -q "Successful packets: *$NB" "$WORKDIR/b.out"
check "every packet once: $N of both" tui_wait_counts "$N" "$N" 5
check "all $N written" tui_wait "writing .*while.pcapng \($N pkts\)" 5
tui_keys W
check "W again stops writing" tui_wait "stopped writing .*while.pcapng: $N packets" 5
check "the written file has cs1's $NA and cs3's $NB" bash -c \
	"[[ \"\$(tshark -r '$WORKDIR/while.pcapng' -T fields -e frame.interface_name 2>/dev/null |
	    sort | uniq -c | awk '{print \$2 \"=\" \$1}' | tr '\n' ' ')\" == 'cs1=$NA cs3=$NB ' ]]"
check "the Interface column names cs1" tui_wait '^ +[0-9]+ +[0-9.]+ +cs1 ' 2
check "no drops shown" bash -c "! tmux -L $TUI_SOCK capture-pane -p -t t | grep -Eq '(kdrop|rdrop) [1-9]'"

# The rate graph: a row per source, the plot their sum.
tui_keys r
check "the rate graph has a row for cs1" tui_wait '^│? *cs1 +cur [0-9.]+[kM]? avg [0-9.]+[kM]? peak [1-9]' 5
check "and one for cs3" tui_wait '^│? *cs3 +cur [0-9.]+[kM]? avg [0-9.]+[kM]? peak [1-9]' 2
check "and the sum of all" tui_wait 'all bits/s cur [0-9.]+[kM]? avg [0-9.]+[kM]? peak [1-9]' 2
tui_keys r

# The display filter on the interface's name, as tshark takes it.
tui_keys /
tui_wait '^filter' 5
tui_keys -l 'frame.interface_name == "cs1"'
tui_keys Enter
check "frame.interface_name == \"cs1\" keeps cs1's $NA" tui_wait_counts "$NA" "$N" 10
check "and only cs1 shows" bash -c \
	"! tmux -L $TUI_SOCK capture-pane -p -t t | grep -Eq '^ +[0-9]+ +[0-9.]+ +cs3 '"
tui_keys /
tui_wait '^filter' 5
tui_keys C-u
tui_keys -l 'frame.interface_id == 1'
tui_keys Enter
check "frame.interface_id == 1 keeps cs3's $NB" tui_wait_counts "$NB" "$N" 10
check "the Interface column names cs3" tui_wait '^ +[0-9]+ +[0-9.]+ +cs3 ' 2
check "and only cs3 shows" bash -c \
	"! tmux -L $TUI_SOCK capture-pane -p -t t | grep -Eq '^ +[0-9]+ +[0-9.]+ +cs1 '"
check "the decode pane says the interface" tui_wait 'Frame: .*, on interface cs3, id 1' 2
tui_keys /
tui_wait '^filter' 5
tui_keys C-u
tui_keys -l 'udp'
tui_keys Enter
UDP=$(($(tcpdump_packets "$WORKDIR/a.pcap" udp) + $(tcpdump_packets "$WORKDIR/b.pcap" udp)))
check "a BPF filter (udp) applies to both: $UDP" tui_wait_counts "$UDP" "$N" 10
tui_keys /
tui_wait '^filter' 5
tui_keys C-u Enter
check "the filter cleared: $N again" tui_wait_counts "$N" "$N" 10

# Save every packet as pcapng: an interface per source, the same packets, in time order.
OUT="$WORKDIR/both.pcapng"
rm -f "$WORKDIR"/both*
tui_keys C-s
answer_path "$OUT"
check "the save says it is done" tui_wait "saved $N packets" 10
tshark -r "$OUT" -T fields -e frame.interface_name -e frame.time_epoch >"$WORKDIR/back.txt" 2>/dev/null
check "tshark reads $NA packets of cs1" test "$(grep -c '^cs1	' "$WORKDIR/back.txt")" = "$NA"
check "tshark reads $NB packets of cs3" test "$(grep -c '^cs3	' "$WORKDIR/back.txt")" = "$NB"
check "the saved list is in timestamp order" bash -c \
	"cut -f2 '$WORKDIR/back.txt' | sort -c -g"
# the same packets as sent on each side, in the order sent (tcpdump's lines without times)
check "cs1's packets are the ones sent on cs0" bash -c \
	"cmp -s <(tcpdump -nr '$WORKDIR/a.pcap' -t 2>/dev/null) \
	        <(tshark -r '$OUT' -Y 'frame.interface_name == \"cs1\"' -w - 2>/dev/null | tcpdump -nr - -t 2>/dev/null)"
check "cs3's packets are the ones sent on cs2" bash -c \
	"cmp -s <(tcpdump -nr '$WORKDIR/b.pcap' -t 2>/dev/null) \
	        <(tshark -r '$OUT' -Y 'frame.interface_name == \"cs3\"' -w - 2>/dev/null | tcpdump -nr - -t 2>/dev/null)"

# Save as pcap: a file per source, named as headless -w names them.
tui_keys C-s
answer_path "$WORKDIR/both.pcap"
check "a pcap save says it wrote a file per source" \
	tui_wait "saved $N packets .*, a pcap file per source: both-cs1.pcap, both-cs3.pcap" 10
check "both-cs1.pcap holds cs1's $NA packets" test "$(tcpdump_packets "$WORKDIR/both-cs1.pcap")" = "$NA"
check "both-cs3.pcap holds cs3's $NB packets" test "$(tcpdump_packets "$WORKDIR/both-cs3.pcap")" = "$NB"

tui_keys q
tui_wait 'discard' 5
tui_keys y
check "quit exits 0" tui_wait '\[exited 0\]' 10

# Sources of other link types: cs1 (Ethernet) and "any" (Linux cooked): each packet decodes
# with its own source's link type, and a BPF filter runs as each one's program. A tcpdump on
# each keeps the reference for the display filters' prefilters below.
timeout 40 tcpdump -i cs1 -U -c "$NA" -w "$WORKDIR/ref-cs1.pcap" 2>"$WORKDIR/ref-cs1.err" &
r1=$!
timeout 40 tcpdump -i any -U -c $((2 * NA)) -w "$WORKDIR/ref-any.pcap" 2>"$WORKDIR/ref-any.err" &
r2=$!
tui_start "$CAPSCOPE" -i cs1 -i any
check "link types: cs1 and any start" tui_wait 'cs1 running +any running' 10
check "link types: the tcpdump references listen" bash -c \
	"for i in {1..50}; do grep -q listening '$WORKDIR/ref-cs1.err' &&
	 grep -q listening '$WORKDIR/ref-any.err' && exit 0; sleep 0.1; done; exit 1"
sleep 1 # tcpdump says "listening" before its socket takes packets
timeout 60 tcpreplay -q -i cs0 --pps 1000 "$WORKDIR/a.pcap" >/dev/null 2>&1
wait "$r1" "$r2"
check "link types: the references hold $NA (cs1) and $((2 * NA)) (any)" test \
	"$(tcpdump_packets "$WORKDIR/ref-cs1.pcap") $(tcpdump_packets "$WORKDIR/ref-any.pcap")" = \
	"$NA $((2 * NA))"
# any sees each packet twice: out of cs0 and into cs1
check "link types: $NA on cs1 and $((2 * NA)) on any" tui_wait_counts $((3 * NA)) $((3 * NA)) 5
UDPA=$(tcpdump_packets "$WORKDIR/a.pcap" udp)
tui_keys /
tui_wait '^filter' 5
tui_keys -l 'udp'
tui_keys Enter
check "link types: udp (BPF) keeps $((3 * UDPA)) of both" \
	tui_wait_counts $((3 * UDPA)) $((3 * NA)) 10
check "link types: any's packets decode as UDP" tui_wait '^ +[0-9]+ +[0-9.]+ +any +[0-9a-f.:]+ +[0-9a-f.:]+ +UDP ' 2
tui_keys q
tui_wait 'discard' 5
tui_keys y

# A display filter's BPF prefilter is built for each source's own link type (or is none
# there): no source loses a packet the display filter keeps, whichever comes first (the
# first's prefilter on the other could refuse to compile, "ether src" on Linux cooked, or
# leave out what the filter keeps). Each source keeps what capscope -r -Y keeps of its
# tcpdump reference. A bare "udp" typed in the bar of a monitor started without -Y is BPF
# (checked above); given as -Y it is the display filter, which also keeps the VLAN-tagged UDP
# that BPF's udp leaves out, as headless -Y udp does.
tui_shown() { [[ "$(tui_counts)" == "$1 "* ]]; }
# within SECONDS CMD...: runs CMD until it succeeds, for at most SECONDS.
within() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		((SECONDS < deadline)) || return 1
		sleep 0.1
	done
}
tui_wait_shown() { within "$2" tui_shown "$1"; }
# ref_kept IF EXPR: how many packets of IF's reference the display filter EXPR keeps.
ref_kept() {
	"$CAPSCOPE" -r "$WORKDIR/ref-$1.pcap" -T fields -e frame.number -Y "$2" 2>/dev/null | wc -l
}
# headless_prefilter IF EXPR: the prefilter headless -i IF -Y EXPR says runs in the kernel
# (its stderr line at the start) into $WORKDIR/pf-IF, empty for none.
headless_prefilter() {
	timeout 1.5 "$CAPSCOPE" -i "$1" -Y "$2" >/dev/null 2>"$WORKDIR/prefilter-$1.err"
	sed -n 's/^capscope: display filter also runs in the kernel as BPF (a prefilter; capscope applies the display filter): //p' \
		"$WORKDIR/prefilter-$1.err" | head -1 >"$WORKDIR/pf-$1"
}
# expected_note "IF IF" EXPR: the start of the note on where EXPR runs (the whole of it when
# it is per source), from headless's prefilter on each alone (both at once): said once when
# they are the same, else each one's first 40 characters ("none": none).
expected_note() {
	local -a order=($1)
	local -A pf
	local i out="also in the kernel, per source:" sep=" "
	for i in "${order[@]}"; do headless_prefilter "$i" "$2" & done
	wait
	for i in "${order[@]}"; do pf[$i]=$(<"$WORKDIR/pf-$i"); done
	if [[ "${pf[${order[0]}]}" == "${pf[${order[1]}]}" ]]; then
		[[ -n "${pf[${order[0]}]}" ]] || { echo "runs in capscope only: "; return; }
		echo "also in the kernel as BPF (a prefilter; capscope"
		return
	fi
	for i in "${order[@]}"; do
		((${#pf[$i]} <= 40)) || pf[$i]="${pf[$i]:0:37}..."
		out+="$sep$i: ${pf[$i]:-none}"
		sep="; "
	done
	echo "$out"
}
tui_has() { tui_screen | grep -Fq -- "$1"; }
# prefilter_case "IF IF" EXPR
prefilter_case() {
	local order=$1 y=$2 want=0 k note
	local -A kept
	for i in $order; do
		kept[$i]=$(ref_kept "$i" "$y")
		want=$((want + kept[$i]))
	done
	note=$(expected_note "$order" "$y")
	tui_start "$CAPSCOPE" $(printf -- '-i %s ' $order) -Y "$y"
	check "prefilter -i ${order/ / -i } -Y '$y': both start" tui_wait 'running +[a-z0-9]+ running' 10
	timeout 60 tcpreplay -q -i cs0 --pps 1000 "$WORKDIR/a.pcap" >/dev/null 2>&1
	check "prefilter -i ${order/ / -i } -Y '$y': keeps $want (${kept[cs1]} of cs1, ${kept[any]} of any)" \
		tui_wait_shown "$want" 10
	k=$(tui_counts)
	check "prefilter -i ${order/ / -i } -Y '$y': a prefilter ran (${k#* } of $((3 * NA)) captured)" \
		test "${k#* }" -lt $((3 * NA))
	tui_keys /
	tui_wait '^filter' 5
	tui_keys C-u
	tui_keys -l "$y"
	tui_keys Enter
	check "prefilter -i ${order/ / -i } -Y '$y': the note says for each: $note" \
		within 5 tui_has "display filter $note"
	if [[ "$note" != *"per source"* ]]; then
		check "prefilter -i ${order/ / -i } -Y '$y': once, not per source" \
			bash -c "! tmux -L $TUI_SOCK capture-pane -p -t t | grep -q 'per source'"
	fi
	for i in $order; do
		tui_keys /
		tui_wait '^filter' 5
		tui_keys C-u
		tui_keys -l "($y) && frame.interface_name == \"$i\""
		tui_keys Enter
		check "prefilter -i ${order/ / -i } -Y '$y': ${kept[$i]} of $i" tui_wait_shown "${kept[$i]}" 10
	done
	tui_keys q
	tui_wait 'discard' 5
	tui_keys y
	tui_wait '\[exited 0\]' 10
}
TUI_W=200 # the whole note in the status bar (it loses its middle on a narrower one)
prefilter_case "cs1 any" udp.srcport
prefilter_case "cs1 any" udp
prefilter_case "cs1 any" 'ip.addr == 198.18.0.1'
prefilter_case "cs1 any" 'eth.src == 02:00:00:00:00:0a'
prefilter_case "any cs1" 'eth.src == 02:00:00:00:00:0a'
prefilter_case "any cs1" 'ip.addr == 198.18.0.1'

TUI_W=140
# A hang-up keeps the packets of both: the spill file, pcapng, an interface each.
rm -rf "$XDG_STATE_HOME"
tui_start "$CAPSCOPE" -i cs1 -i cs3
check "hang-up: both sources start" tui_wait 'cs1 running +cs3 running' 10
timeout 60 tcpreplay -q -i cs0 --pps 2000 "$WORKDIR/a.pcap" >/dev/null 2>&1
timeout 60 tcpreplay -q -i cs2 --pps 2000 "$WORKDIR/b.pcap" >/dev/null 2>&1
check "hang-up: $N packets captured" tui_wait_counts "$N" "$N" 5
kept=$(tui_hangup_kept .pcapng "^$CAPSCOPE -i cs1")
check "hang-up: the capture was kept as pcapng" test -n "$kept"
check "hang-up: tshark reads cs1's $NA and cs3's $NB packets in it" bash -c \
	"[[ \"\$(tshark -r '$kept' -T fields -e frame.interface_name 2>/dev/null | sort | uniq -c |
	    awk '{print \$2 \"=\" \$1}' | tr '\n' ' ')\" == 'cs1=$NA cs3=$NB ' ]]"
tui_finish
