#!/usr/bin/env bash
# test_live_capture.sh - hermetic live capture: capscope -i on one end of a veth pair inside a
# private network namespace, tcpreplay on the other end, and the written file must hold exactly
# the replayed packets (same count, same bytes, same order). Also checks the end-of-capture
# statistics on stderr.
#
# Hermetic: the script re-executes itself under `unshare -n` (a new network namespace holding
# only lo), checks that no other interface is visible, and only then creates veth cs0/cs1.
# Nothing is captured on or sent to the machine's real interfaces.
# Exit: 0 pass, 1 fail, 77 skipped (not root, a tool missing, namespaces unavailable).
set -euo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
N=${LIVE_PACKETS:-1000}

source "$SRCDIR/tests/lib/netns.sh"
NETNS_SCRIPT=$0
netns_enter 120 -n tcpreplay tcpdump python3

# ---------------------------------------------------------------- inside the private netns
fail() {
	echo "FAIL: $*"
	exit 1
}
capture_pid=
cleanup() {
	if [[ -n "$capture_pid" ]] && kill -0 "$capture_pid" 2>/dev/null; then
		kill "$capture_pid" 2>/dev/null || true
	fi
}
trap cleanup EXIT

netns_veth
if [[ "$(cat /proc/sys/net/ipv6/conf/cs1/disable_ipv6 2>/dev/null || echo 1)" != 1 ]]; then
	fail "IPv6 still enabled on cs1: the kernel's own packets would mix into the capture"
fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
gen="$WORKDIR/gen.pcap" out="$WORKDIR/out.pcap" err="$WORKDIR/capscope.stderr"
rm -f "$out" "$err"
timeout 30 python3 "$SRCDIR/tests/gen/mkpcap.py" mixed "$N" -o "$gen"

ifindex=$(timeout 5 ip -o link show dev cs1 | cut -d: -f1)
[[ "$ifindex" =~ ^[0-9]+$ ]] || fail "no ifindex for cs1"
timeout 30 "$CAPSCOPE" -i cs1 -w "$out" -c "$N" 2>"$err" &
capture_pid=$!

# Wait (up to 5 s) until a packet socket is bound to cs1: /proc/net/packet lists this
# namespace's packet sockets with their interface index. No probe packets are sent.
ready=0
for _ in $(seq 50); do
	if awk -v ifi="$ifindex" 'NR > 1 && $5 == ifi {found = 1} END {exit !found}' /proc/net/packet; then
		ready=1
		break
	fi
	kill -0 "$capture_pid" 2>/dev/null || break
	sleep 0.1
done
if ((!ready)); then
	cat "$err"
	fail "capscope did not start capturing on cs1 within 5 s"
fi
sleep 0.5 # let libpcap finish setting up its ring after the bind

timeout 60 tcpreplay -q -i cs0 --pps 2000 "$gen" >"$WORKDIR/tcpreplay.log" 2>&1 ||
	{ cat "$WORKDIR/tcpreplay.log"; fail "tcpreplay failed"; }

crc=0
wait "$capture_pid" || crc=$?
capture_pid=
echo "capscope exit $crc; stderr:"
sed 's/^/    /' "$err"
if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$err"; then
	fail "sanitizer report from capscope"
fi
((crc != 124)) || fail "capscope did not stop after $N packets within 30 s"
((crc == 0)) || fail "capscope exited with $crc"
[[ -s "$out" ]] || fail "capscope wrote no file"

# Same count, same bytes, same order; also the file's link type and that nothing was cut.
timeout 60 python3 - "$SRCDIR/tests/gen" "$gen" "$out" <<'EOF' || fail "captured packets differ from the replayed ones"
import struct, sys
sys.path.insert(0, sys.argv[1])
import mkpcap
sent = [r[4] for r in mkpcap.read_pcap(sys.argv[2])]
got = list(mkpcap.read_pcap(sys.argv[3]))
with open(sys.argv[3], 'rb') as f:
    lt = struct.unpack('<I', f.read(24)[20:24])[0]
bad = 0
if lt != 1:
    print('written link type %d, want 1 (Ethernet)' % lt); bad += 1
cut = [i for i, r in enumerate(got) if r[2] != r[3]]
if cut:
    print('%d packets written with caplen != len (first: #%d)' % (len(cut), cut[0] + 1)); bad += 1
data = [r[4] for r in got]
if len(data) != len(sent):
    print('count: sent %d, captured %d' % (len(sent), len(data))); bad += 1
for i, (a, b) in enumerate(zip(sent, data)):
    if a != b:
        where = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
        print('packet #%d differs (lengths %d/%d, first difference at byte %d)' % (i + 1, len(a), len(b), where))
        bad += 1
        break
if not bad:
    print('captured %d packets, identical to the %d sent, in order' % (len(data), len(sent)))
sys.exit(1 if bad else 0)
EOF

# Cross-read the written file with tcpdump too: it must open it and count the same packets.
n_td=$(timeout 30 tcpdump -nn -r "$out" 2>/dev/null | wc -l)
((n_td == N)) || fail "tcpdump reads $n_td packets from capscope's file, want $N"

# End-of-capture statistics on stderr: received and dropped counters.
grep -qE '[0-9]+ packets? received' "$err" || fail "no 'N packets received' line on stderr"
grep -qE '[0-9]+ (packets? )?dropped' "$err" || fail "no 'N dropped' counter on stderr"
received=$(grep -oE '[0-9]+ packets? received' "$err" | head -1 | grep -oE '^[0-9]+')
((received >= N)) || fail "stderr says $received packets received, but $N were captured"
echo "pass: $N packets captured on cs1 identical to those replayed on cs0"
