#!/usr/bin/env bash
# test_dfilter_bpf.sh - display filters' BPF prefilters keep at least what -Y keeps.
#
# 1. Files: for every expression of expressions.txt (plus rows below) and every capture (all
#    of tests/gen/mkpcap.py's, tunnels, ICMP errors, lying and truncated headers included, and
#    the shared corpus in $CORPUS), merged into one pcap per link type: the frames
#    `tcpdump -r F PREFILTER` keeps include every frame `capscope -r F -Y EXPR` keeps
#    (bpf_prefilter.py; the prefilter from `test_dfilter --bpf EXPR DLT`; capscope's side
#    from one --filter-table read per capture, a sample re-run with real -Y -w). On mixed without
#    its VLAN frames (no layer in T), address, port and protocol filters keep exactly the same.
# 2. Live, in a private network namespace (veth cs0/cs1, only when root): capscope -i cs1 -Y
#    on addresses and ports with its prefilter, the same with CAPSCOPE_NO_PREFILTER=1, and
#    tcpdump -i cs1 (everything) run side by side while tcpreplay sends a mixed capture on cs0.
#    Both capscopes keep the same packets, those -Y keeps of tcpdump's; stderr says which way
#    each ran; the prefiltered run's kernel passed fewer packets ("packets received by
#    filter") than the capscope-only run's, which passed all.
# Env: CAPSCOPE, SRCDIR, WORKDIR. Exit: 0 pass, 1 fail, 77 skipped (reason printed).
set -euo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
source "$SRCDIR/tests/lib/netns.sh"
NETNS_SCRIPT=$0
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

same_records() { # file_a file_b -> 0 if the same (ts, len, bytes) records in order
	python3 - "$SRCDIR/tests/gen" "$1" "$2" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import mkpcap
a = [(r[2], r[3], r[4]) for r in mkpcap.read_pcap(sys.argv[2])]
b = [(r[2], r[3], r[4]) for r in mkpcap.read_pcap(sys.argv[3])]
if a != b:
    print(f"   {len(a)} records vs {len(b)}")
    sys.exit(1)
PY
}

live_part() {
	netns_veth
	local gen="$WORKDIR/live.pcap" expr='tcp.port == 80 || ip.dst == 198.19.0.4'
	timeout 30 python3 "$SRCDIR/tests/gen/mkpcap.py" mixed 600 -o "$gen" >/dev/null
	timeout 60 "$CAPSCOPE" -i cs1 -Y "$expr" -w "$WORKDIR/kernel.pcap" 2>"$WORKDIR/kernel.err" &
	local p1=$!
	CAPSCOPE_NO_PREFILTER=1 timeout 60 "$CAPSCOPE" -i cs1 -Y "$expr" -w "$WORKDIR/user.pcap" \
		2>"$WORKDIR/user.err" &
	local p2=$!
	timeout 60 tcpdump -i cs1 -w "$WORKDIR/all.pcap" 2>"$WORKDIR/tcpdump.err" &
	local p3=$!
	local ifindex
	ifindex=$(timeout 5 ip -o link show dev cs1 | cut -d: -f1)
	for _ in $(seq 50); do # three packet sockets bound to cs1
		(($(awk -v i="$ifindex" 'NR > 1 && $5 == i' /proc/net/packet | wc -l) >= 3)) && break
		sleep 0.1
	done
	sleep 0.5
	timeout 60 tcpreplay -q -i cs0 --pps 3000 "$gen" >"$WORKDIR/tcpreplay.log" 2>&1 ||
		{ cat "$WORKDIR/tcpreplay.log"; bad "tcpreplay failed"; return; }
	sleep 1
	kill -INT "$p1" "$p2" "$p3" 2>/dev/null || true
	wait "$p1" "$p2" "$p3" || true
	sed 's/^/    prefilter: /' "$WORKDIR/kernel.err" | cut -c1-200
	sed 's/^/    no prefilter: /' "$WORKDIR/user.err"
	if grep -qE 'Sanitizer|runtime error:' "$WORKDIR/kernel.err" "$WORKDIR/user.err"; then
		bad "sanitizer report from capscope"
	fi
	grep -q "display filter also runs in the kernel as BPF (a prefilter; capscope applies the display filter): (" \
		"$WORKDIR/kernel.err" && ok || bad "the prefiltered run does not say it runs in the kernel"
	grep -q "display filter runs in capscope only: CAPSCOPE_NO_PREFILTER=1" "$WORKDIR/user.err" &&
		ok || bad "the CAPSCOPE_NO_PREFILTER=1 run does not say it runs in capscope only"
	"$CAPSCOPE" -r "$WORKDIR/all.pcap" -Y "$expr" -w "$WORKDIR/want.pcap" 2>/dev/null
	local kept all recv_k recv_u
	kept=$(tcpdump -r "$WORKDIR/want.pcap" 2>/dev/null | wc -l)
	all=$(tcpdump -r "$WORKDIR/all.pcap" 2>/dev/null | wc -l)
	echo "    tcpdump saw $all packets, $kept of them match -Y '$expr'"
	((kept > 0 && kept < all)) && ok || bad "the sent capture does not split ($kept of $all)"
	same_records "$WORKDIR/kernel.pcap" "$WORKDIR/user.pcap" && ok ||
		bad "the prefiltered and the capscope-only runs keep different packets"
	same_records "$WORKDIR/kernel.pcap" "$WORKDIR/want.pcap" && ok ||
		bad "the prefiltered run differs from -Y on tcpdump's capture of everything"
	recv_k=$(grep -oE '^[0-9]+ packets received by filter' "$WORKDIR/kernel.err" | grep -oE '^[0-9]+')
	recv_u=$(grep -oE '^[0-9]+ packets received by filter' "$WORKDIR/user.err" | grep -oE '^[0-9]+')
	echo "    received by filter: prefiltered $recv_k, capscope-only $recv_u"
	((recv_k >= kept && recv_k < recv_u)) && ok ||
		bad "the kernel passed $recv_k packets: want fewer than the $recv_u of the capscope-only run, at least $kept"
	((recv_u == all)) && ok || bad "the capscope-only run received $recv_u, want all $all"
	echo "$passed passed, $failed failed"
	((failed == 0))
}

if [[ "${CAPSCOPE_IN_NETNS:-}" == 1 ]]; then
	live_part
	exit $?
fi

if [[ -z "${CAPSCOPE:-}" || ! -x "$CAPSCOPE" ]]; then
	echo "SKIP: CAPSCOPE (the built binary) is not set or not executable: '${CAPSCOPE:-}'"
	exit 77
fi
UNIT=$(dirname "$CAPSCOPE")/tests/test_dfilter
for tool in tcpdump python3; do
	command -v "$tool" >/dev/null || { echo "SKIP: $tool is missing"; exit 77; }
done
[[ -x "$UNIT" ]] || { echo "SKIP: $UNIT (the unit test binary) is not built"; exit 77; }
rm -rf "$WORKDIR"
mkdir -p "$WORKDIR/caps" "$WORKDIR/merged"
command -v mergecap >/dev/null || { echo "SKIP: mergecap (wireshark-common) is missing"; exit 77; }
GEN="$SRCDIR/tests/gen/mkpcap.py"
# Every generated capture, the tunnels (VLAN, QinQ, MPLS, PPPoE, GRE, ERSPAN, VXLAN), ICMP
# errors, lying and truncated headers included: a layer missing from T fails here.
for n in $(python3 "$GEN" --list); do
	case "$n" in corrupt-record | not-a-capture | empty) continue ;; esac
	python3 "$GEN" "$n" -o "$WORKDIR/caps/gen-$n.pcap" >/dev/null
done
python3 "$GEN" mixed 300 -o "$WORKDIR/caps/gen-mixed.pcap" >/dev/null
# mixed without its VLAN-tagged frames: a capture with no layer in T, where a prefilter of
# addresses, ports and protocols must keep exactly what the display filter keeps
tcpdump -r "$WORKDIR/caps/gen-mixed.pcap" -w "$WORKDIR/plain.pcap" 'not ether proto 0x8100' 2>/dev/null
# The shared corpus: every capture libpcap opens whose link type has a prefilter.
if [[ -n "${CORPUS:-}" && -f "$CORPUS/INDEX.tsv" ]]; then
	awk -F'\t' 'NR > 1 && $6 == "y" && $4 ~ /^(EN10MB|LINUX_SLL|LINUX_SLL2|RAW|NULL|LOOP)$/ {
		print $1 }' "$CORPUS/INDEX.tsv" >"$WORKDIR/corpus.txt"
	while IFS= read -r f; do
		cp "$CORPUS/$f" "$WORKDIR/caps/corpus-$(echo "$f" | tr / _)" 2>/dev/null || true
	done <"$WORKDIR/corpus.txt"
else
	echo "note: the shared corpus is absent ('${CORPUS:-unset}'): generated captures only"
fi
# One pcap per link type (mergecap -a keeps each file's order).
groups=()
for f in "$WORKDIR"/caps/*; do # as classic pcap (records pcap cannot hold: left out)
	timeout 10 editcap -F pcap "$f" "$f.tmp" 2>/dev/null && mv "$f.tmp" "$f" || rm -f "$f" "$f.tmp"
done
timeout 120 capinfos -T -r -E "$WORKDIR"/caps/* 2>/dev/null >"$WORKDIR/encaps.tsv" || true
while read -r lt; do
	mapfile -t files < <(awk -F'\t' -v e="$lt" '$2 == e { print $1 }' "$WORKDIR/encaps.tsv")
	out="$WORKDIR/merged/${lt// /_}.pcap"
	timeout 60 mergecap -a -F pcap -w "$out" "${files[@]}" 2>/dev/null || continue
	code=$(python3 -c 'import struct, sys
print(struct.unpack("<I", open(sys.argv[1], "rb").read(24)[20:24])[0])' "$out")
	groups+=("$code:$out")
done < <(cut -f2 "$WORKDIR/encaps.tsv" | sort -u)
echo "captures merged per link type: ${groups[*]##*/}"
{
	grep -v '^#' "$SRCDIR/tests/dfilter/expressions.txt" | grep .
	printf '%s\n' 'frame.len > 500' 'frame.len <= 100 || frame.len >= 1000' \
		'!(frame.len in {60, 100..600})' 'frame.len != 60 && not frame.len == 1514' \
		'frame && frame.len ge 64' '!udp' '!(tcp.port == 80)' 'ip.addr != 198.18.1.5' \
		'!(ip.src == 198.18.1.5) && udp' 'ipv6 && !(ipv6.src == fe80::1)' '!(eth.src == 02:00:00:00:00:01)' \
		'!(udp.port in {53, 5353}) && ip' 'tcp.port == 80 && !ip.proto == 6'
} >"$WORKDIR/exprs.txt"
if timeout 900 python3 "$SRCDIR/tests/dfilter/bpf_prefilter.py" "$CAPSCOPE" "$UNIT" "$WORKDIR" \
	"$WORKDIR/exprs.txt" --exact 'ip.src == 198.18.1.5' --exact 'tcp.port == 80' \
	--exact 'udp && !dns' "$WORKDIR/plain.pcap" "${groups[@]}"; then
	ok
else
	bad "prefilters against capscope -Y"
fi
echo "skipped usefulness row 'tcp.flags.syn == 1': the field catalogue has no tcp.flags.syn"

if netns_possible tcpreplay tcpdump python3; then
	NETNS_EXPORT=
	if netns_run 120 -n; then ok; else bad "live part"; fi
fi
echo "$passed passed, $failed failed"
((failed == 0))
