#!/usr/bin/env bash
# test_dfilter_bpf.sh - display filters translated to BPF keep exactly what -Y keeps.
#
# 1. Files: every expression of expressions.txt (plus frame.len rows below) is translated by
#    `test_dfilter --bpf` (the unit test binary beside capscope); for each one that has an exact
#    BPF form, `tcpdump -r F -w - BPF` and `capscope -r F -Y EXPR -w -` must write the same
#    records, on every generated capture (tests/gen/mkpcap.py).
# 2. Live, in a private network namespace (veth cs0/cs1, only when root): capscope -i cs1 -Y
#    'frame.len > 500' (translated: the kernel filters), capscope -i cs1 -Y with an untranslatable
#    filter of the same meaning (capscope filters), and tcpdump -i cs1 (everything) run side by
#    side while tcpreplay sends a mixed capture on cs0. Both capscopes must keep the same
#    packets, those of tcpdump's with len > 500; stderr must say which way each ran; and the
#    translated run's "packets received by filter" must count only what it kept (the kernel
#    dropped the rest) while the other's counts every packet.
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
	local gen="$WORKDIR/live.pcap" expr='frame.len > 500'
	local slow='frame.len > 500 && frame.number > 0' # frame.number: BPF cannot see it
	timeout 30 python3 "$SRCDIR/tests/gen/mkpcap.py" mixed 600 -o "$gen" >/dev/null
	timeout 60 "$CAPSCOPE" -i cs1 -Y "$expr" -w "$WORKDIR/kernel.pcap" 2>"$WORKDIR/kernel.err" &
	local p1=$!
	timeout 60 "$CAPSCOPE" -i cs1 -Y "$slow" -w "$WORKDIR/user.pcap" 2>"$WORKDIR/user.err" &
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
	sed 's/^/    kernel: /' "$WORKDIR/kernel.err"
	sed 's/^/    user:   /' "$WORKDIR/user.err"
	if grep -qE 'Sanitizer|runtime error:' "$WORKDIR/kernel.err" "$WORKDIR/user.err"; then
		bad "sanitizer report from capscope"
	fi
	grep -q "display filter also runs in the kernel as BPF: len > 500" "$WORKDIR/kernel.err" &&
		ok || bad "the translated run does not say it runs in the kernel"
	grep -q "display filter runs in capscope only: " "$WORKDIR/user.err" &&
		ok || bad "the untranslated run does not say it runs in capscope only"
	"$CAPSCOPE" -r "$WORKDIR/all.pcap" -Y "$expr" -w "$WORKDIR/want.pcap" 2>/dev/null
	local kept all recv_k recv_u
	kept=$(tcpdump -r "$WORKDIR/want.pcap" 2>/dev/null | wc -l)
	all=$(tcpdump -r "$WORKDIR/all.pcap" 2>/dev/null | wc -l)
	echo "    tcpdump saw $all packets, $kept of them longer than 500 bytes"
	((kept > 0 && kept < all)) && ok || bad "the sent capture does not split ($kept of $all)"
	same_records "$WORKDIR/kernel.pcap" "$WORKDIR/want.pcap" && ok ||
		bad "kernel-filtered capture differs from tcpdump's packets with len > 500"
	same_records "$WORKDIR/user.pcap" "$WORKDIR/want.pcap" && ok ||
		bad "capscope-filtered capture differs from tcpdump's packets with len > 500"
	recv_k=$(grep -oE '^[0-9]+ packets received by filter' "$WORKDIR/kernel.err" | grep -oE '^[0-9]+')
	recv_u=$(grep -oE '^[0-9]+ packets received by filter' "$WORKDIR/user.err" | grep -oE '^[0-9]+')
	echo "    received by filter: kernel-filtered $recv_k, capscope-filtered $recv_u"
	((recv_k == kept)) && ok || bad "the kernel passed $recv_k packets, want only the $kept kept"
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
mkdir -p "$WORKDIR/caps"
GEN="$SRCDIR/tests/gen/mkpcap.py"
for n in udp4 dns tcp-handshake tcp-flags arp icmp-unreach-udp vlan-qinq gre vxlan mpls pppoe \
	ipv6-ext sll null raw; do
	python3 "$GEN" "$n" -o "$WORKDIR/caps/$n.pcap" >/dev/null
done
python3 "$GEN" mixed 300 -o "$WORKDIR/caps/mixed.pcap" >/dev/null
exprs=$(grep -v '^#' "$SRCDIR/tests/dfilter/expressions.txt" | grep .)
exprs+=$'\nframe.len > 500\nframe.len <= 100 || frame.len >= 1000\n!(frame.len in {60, 100..600})'
exprs+=$'\nframe.len != 60 && not frame.len == 1514\nframe && frame.len ge 64'
translated=0 untranslated=0
while IFS= read -r expr; do
	line=$("$UNIT" --bpf "$expr")
	case "$line" in
	bpf:*) ;;
	none:*) untranslated=$((untranslated + 1)); continue ;;
	*) continue ;; # rejected expressions
	esac
	translated=$((translated + 1))
	bpf=${line#bpf: }
	for cap in "$WORKDIR"/caps/*.pcap; do
		tcpdump -r "$cap" -w "$WORKDIR/td.pcap" "$bpf" 2>/dev/null
		"$CAPSCOPE" -r "$cap" -Y "$expr" -w "$WORKDIR/cs.pcap" 2>/dev/null
		if same_records "$WORKDIR/td.pcap" "$WORKDIR/cs.pcap"; then
			ok
		else
			bad "$(basename "$cap"): tcpdump '$bpf' and capscope -Y '$expr' keep different packets"
		fi
	done
done <<<"$exprs"
echo "$translated expressions have an exact BPF form (checked on $(ls "$WORKDIR"/caps | wc -l)" \
	"captures); $untranslated have none"
((translated >= 5)) && ok || bad "only $translated expressions translated"

if netns_possible tcpreplay tcpdump python3; then
	NETNS_EXPORT=
	if netns_run 120 -n; then ok; else bad "live part"; fi
fi
echo "$passed passed, $failed failed"
((failed == 0))
