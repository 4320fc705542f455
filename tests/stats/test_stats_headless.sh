#!/usr/bin/env bash
# test_stats_headless.sh - capscope --stats, hermetic: inside a private network namespace
# (unshare -n, only lo, then a veth pair cs0/cs1) capscope counts with the filter `udp` on cs1
# while tcpreplay sends K UDP frames of known sizes mixed with TCP, ICMP and ARP frames out of
# cs0 at a fixed rate. The packets and bytes over all intervals must equal K and the exact
# byte total; each full 1 s interval must be within 10% of the offered rate. Also: the text
# line format, the option errors, and a negative control showing the checker can fail.
# Exit: 0 pass, 1 fail, 77 skipped (not root, a tool missing, namespaces unavailable).
set -uo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
K=${STATS_UDP:-1200}     # UDP frames
EVERY=2                  # a non-UDP frame after every EVERY UDP ones
PPS=${STATS_PPS:-300}    # all frames per second: UDP at PPS * EVERY / (EVERY + 1)
HERE=$SRCDIR/tests/stats
source "$SRCDIR/tests/lib/netns.sh"
source "$SRCDIR/tests/lib/check.sh"
finish() {
	check "no sanitizer reports" bash -c "! grep -lE 'AddressSanitizer|runtime error|LeakSanitizer' $WORKDIR/*.err"
	check_summary
	exit $?
}

if [[ "${CAPSCOPE_IN_NETNS:-}" != 1 ]]; then
	[[ -x "${CAPSCOPE:-}" ]] || { echo "SKIP: CAPSCOPE is not set"; exit 77; }
	mkdir -p "$WORKDIR"
	# option errors need no privileges
	"$CAPSCOPE" --stats --interval 1000 2>"$WORKDIR/noif.err"
	rc=$?
	check "--stats without -i is refused (exit 2)" test "$rc" = 2
	check "  ... saying to use -i" grep -q -- '-i ADAPTER' "$WORKDIR/noif.err"
	"$CAPSCOPE" --stats -i lo --interval 50 2>"$WORKDIR/short.err"
	rc=$?
	check "--interval 50 is refused (exit 2)" test "$rc" = 2
	check "  ... naming the range" grep -q '100 to 60000' "$WORKDIR/short.err"
	"$CAPSCOPE" -i lo --interval 500 2>"$WORKDIR/nostats.err" </dev/null >/dev/null
	check "--interval without --stats is refused" grep -q 'goes with --stats' "$WORKDIR/nostats.err"
	export STATS_PASS=$pass STATS_FAILED=$failed
	NETNS_EXPORT="STATS_PASS STATS_FAILED" NETNS_SCRIPT=$0
	netns_enter 180 -n tcpreplay python3
fi

# ------------------------------------------------------------ inside the private namespace
pass=${STATS_PASS:-0} failed=${STATS_FAILED:-0}
netns_veth
read -r k bytes < <(python3 "$HERE/gen_stats.py" "$K" "$EVERY" "$WORKDIR/send.pcap") || exit 1
udp_pps=$((PPS * EVERY / (EVERY + 1)))
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1
ifindex=$(ip -o link show dev cs1 | cut -d: -f1)

# Starts capscope "$@" in the background (stdout $1.out, stderr $1.err) and waits until its
# packet socket is bound to cs1.
start() {
	local name=$1
	shift
	"$CAPSCOPE" "$@" >"$WORKDIR/$name.out" 2>"$WORKDIR/$name.err" &
	cs_pid=$!
	for _ in $(seq 50); do
		awk -v ifi="$ifindex" 'NR > 1 && $5 == ifi {f = 1} END {exit !f}' /proc/net/packet && break
		sleep 0.1
	done
	sleep 0.5
}
stop() {
	kill -INT "$cs_pid" 2>/dev/null
	wait "$cs_pid"
}

start json --stats -i cs1 --interval 1000 --json udp
timeout 60 tcpreplay -q -i cs0 --pps "$PPS" "$WORKDIR/send.pcap" >"$WORKDIR/tcpreplay.log" 2>&1
check "tcpreplay sent every frame" grep -q "Successful packets: *$((K + K / EVERY))" "$WORKDIR/tcpreplay.log"
sleep 1.5 # the last packets' interval closes
stop
rc=$?
echo "  stderr: $(tr '\n' ';' <"$WORKDIR/json.err")"
check "capscope --stats exits 0 on SIGINT" test "$rc" = 0
check "sums exact ($k UDP frames, $bytes bytes), full intervals within 10% of $udp_pps pps" \
	python3 "$HERE/check_stats.py" "$WORKDIR/json.out" "$k" "$bytes" "$udp_pps" 1000
check "negative control: one packet more is caught" \
	bash -c "! python3 '$HERE/check_stats.py' '$WORKDIR/json.out' $((k + 1)) $bytes $udp_pps 1000 >/dev/null"
check "negative control: a 20% different rate is caught" \
	bash -c "! python3 '$HERE/check_stats.py' '$WORKDIR/json.out' $k $bytes $((udp_pps * 12 / 10)) 1000 >/dev/null"
check "stderr totals say $k packets counted" grep -q "^$k packets counted" "$WORKDIR/json.err"

# the tcptop line format, at 250 ms
start text --stats -i cs1 --interval 250 'udp or icmp'
timeout 30 tcpreplay -q -i cs0 --pps 600 --limit 300 "$WORKDIR/send.pcap" >/dev/null 2>&1
sleep 0.6
stop
check "text lines are 'HH:MM:SS BPS=n PPS=n'" \
	bash -c "[[ -s '$WORKDIR/text.out' ]] && ! grep -vE '^[0-9]{2}:[0-9]{2}:[0-9]{2} BPS=[0-9]+ PPS=[0-9]+$' '$WORKDIR/text.out'"
check "some 250 ms interval shows traffic" grep -qE 'PPS=[1-9]' "$WORKDIR/text.out"

# a filter libpcap rejects: exit 2 with its message
"$CAPSCOPE" --stats -i cs1 'udp port' >/dev/null 2>"$WORKDIR/badfilter.err"
rc=$?
check "a bad filter exits 2 with libpcap's message" \
	bash -c "test $rc = 2 && grep -qi 'syntax\|error' '$WORKDIR/badfilter.err'"
finish
