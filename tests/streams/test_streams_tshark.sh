#!/usr/bin/env bash
# test_streams_tshark.sh - tcp.stream, udp.stream, relative sequence numbers, per-stream times
# and every tcp.analysis.* flag against tshark 4.0 (streamcheck.py): the generated TCP analysis
# captures (tests/gen/mkpcap.py tcpa-*: loss, dup ACKs, fast/normal/spurious retransmission,
# out-of-order, zero window and probes, window full/update, keep-alive, reused ports, SYN
# retransmission, RST, half-close, wrap-around, window scaling, SACK, dup ACKs around data,
# resent FINs, ACKs of unseen data, a SYN after its SYN/ACK, a SYN/ACK reusing ports, segments
# without a length: IP fragments, short headers, options cut by the capture, a header an ICMP
# error quotes 8 bytes of), udpn-* (UDP headers tshark numbers no stream for: bad lengths, IPv4
# on LINKTYPE_IPV6) and the shared corpus. Every difference left is listed with its reason in
# streams_explained.py and counted as a skip. One tshark run per capture gives every field and
# flag; the -Y tcp.analysis.FLAG runs of both tools are checked on the generated captures
# (--filters).
# Env: CAPSCOPE, SRCDIR, CORPUS, WORKDIR. Exit 77 without the binary, tshark or python3.
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
. "$SRCDIR/tests/lib/require.sh"
require_capscope
require_tools tshark python3 timeout
. "$SRCDIR/tests/lib/check.sh"
CHECKER="$SRCDIR/tests/streams/streamcheck.py"
GEN="$SRCDIR/tests/gen/mkpcap.py"
mkdir -p "$WORKDIR/gen"
for n in $(python3 "$GEN" --list | grep -E '^(tcpa-|tcp-|udpn-)'); do
	python3 "$GEN" "$n" -o "$WORKDIR/gen/$n.pcap"
done

. "$SRCDIR/tests/lib/checker_runs.sh"
checker_runs "$CHECKER" "streams and TCP analysis" "${STREAMS_JOBS:-4}" 600 -v --filters
if [[ -s "$WORKDIR/corpus.txt" ]]; then
	n=$(grep -c '^skip: ' "$WORKDIR/corpus.txt")
	for ((i = 0; i < n; i++)); do part_skipped "a corpus difference explained above"; done
fi

# --no-analysis: the index and relative numbers stay, the analysis goes.
g="$WORKDIR/gen/tcpa-loss.pcap"
check "--no-analysis keeps tcp.stream and tcp.seq" cmp -s \
	<("$CAPSCOPE" -r "$g" -T fields -e tcp.stream -e tcp.seq -e tcp.ack) \
	<("$CAPSCOPE" -r "$g" --no-analysis -T fields -e tcp.stream -e tcp.seq -e tcp.ack)
check "--no-analysis drops tcp.analysis.*" test -z \
	"$("$CAPSCOPE" -r "$g" --no-analysis -Y tcp.analysis.flags -T fields -e frame.number)"
check "--no-analysis: no [TCP ...] notes" bash -c "! '$CAPSCOPE' -r '$g' --no-analysis --print | grep -q '\[TCP '"
check "-Y 'tcp.stream == 1' starts at the reused ports' SYN" test \
	"$("$CAPSCOPE" -r "$WORKDIR/gen/tcpa-reuse.pcap" -Y 'tcp.stream == 1' -T fields -e frame.number | head -1)" = 7
check "--list-fields: tcp.analysis.retransmission is FT_NONE" bash -c \
	"'$CAPSCOPE' --list-fields | grep -q \$'\ttcp.analysis.retransmission\tFT_NONE\t'"
check_summary
