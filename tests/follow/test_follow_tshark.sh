#!/usr/bin/env bash
# test_follow_tshark.sh - capscope -z follow against tshark 4.0's, byte for byte (followcheck.py):
# every TCP and UDP stream with payload in the generated captures (tests/gen/mkpcap.py follow-*:
# a gap, retransmission and overlap, out-of-order segments, wrap-around, UDP, IPv6 with SYN/FIN
# data, snaplen cuts; the tcpa-* analysis captures and others) and in the shared corpus, in raw,
# ascii and hex, up to 200 streams per protocol and file (then a sample; the report says so).
# Then the command line: -z errors, -q, several -z at once, packet lines before the blocks.
# Every difference left is listed with its reason in followcheck.py and counted as a skip.
# Env: CAPSCOPE, SRCDIR, CORPUS, WORKDIR. Exit 77 without the binary, tshark or python3.
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
. "$SRCDIR/tests/lib/require.sh"
require_capscope
require_tools tshark python3 timeout
. "$SRCDIR/tests/lib/check.sh"
CHECKER="$SRCDIR/tests/follow/followcheck.py"
GEN="$SRCDIR/tests/gen/mkpcap.py"
mkdir -p "$WORKDIR/gen"
for n in $(python3 "$GEN" --list | grep -E '^(follow-|tcpa-|tcp-|udp4|dns|demo|mixed|ipv6-ext|vxlan|gre)'); do
	python3 "$GEN" "$n" -o "$WORKDIR/gen/$n.pcap"
done

. "$SRCDIR/tests/lib/checker_runs.sh"
checker_runs "$CHECKER" "follow output" "${FOLLOW_JOBS:-3}" 600 -v
for f in "$WORKDIR/gen.txt" "$WORKDIR/corpus.txt"; do
	[[ -s "$f" ]] || continue
	n=$(grep -c '^skip: ' "$f")
	for ((i = 0; i < n; i++)); do part_skipped "a difference explained above ($(basename "$f" .txt))"; done
done

g="$WORKDIR/gen/follow-gap.pcap"
t() { tshark -r "$@" 2>/dev/null; }
check "several -z: blocks in tshark's order (the last first)" cmp -s \
	<(t "$g" -q -z follow,tcp,raw,0 -z follow,tcp,ascii,0 -z follow,udp,hex,3) \
	<("$CAPSCOPE" -r "$g" -q -z follow,tcp,raw,0 -z follow,tcp,ascii,0 -z follow,udp,hex,3)
check "a stream that does not exist: Node 0: :0" bash -c \
	"'$CAPSCOPE' -r '$g' -q -z follow,tcp,raw,7 | grep -qx 'Node 0: :0'"
check "ADDR:PORT,ADDR:PORT as tshark's (Filter line too)" cmp -s \
	<(t "$g" -q -z follow,tcp,ascii,10.0.0.2:80,10.0.0.1:40100) \
	<("$CAPSCOPE" -r "$g" -q -z follow,tcp,ascii,10.0.0.2:80,10.0.0.1:40100)
v6="$WORKDIR/gen/follow-ipv6.pcap"
check "[IPv6]:PORT endpoints" cmp -s \
	<(t "$v6" -q -z 'follow,tcp,hex,[2001:db8::2]:443,[2001:db8::1]:40105') \
	<("$CAPSCOPE" -r "$v6" -q -z 'follow,tcp,hex,[2001:db8::2]:443,[2001:db8::1]:40105')
check "without -q: capscope's packet lines, then the block" cmp -s \
	<("$CAPSCOPE" -r "$g" --print; "$CAPSCOPE" -r "$g" -q -z follow,tcp,raw,0) \
	<("$CAPSCOPE" -r "$g" -z follow,tcp,raw,0)
check "-Y does not change what follow sees (tshark neither)" cmp -s \
	<("$CAPSCOPE" -r "$g" -q -z follow,tcp,raw,0) \
	<("$CAPSCOPE" -r "$g" -q -Y 'frame.number == 1' -z follow,tcp,raw,0 | grep -v '^22:')
for bad in follow,tcp,raw follow,tcp,ebcdic,0 follow,sctp,raw,0 conv,tcp follow,tcp,raw,0,1 \
	follow,tcp,raw,x 'follow,tcp,raw,1.2.3.4:5,[::1]:6' follow,tcp,raw,1.2.3.4:70000,1.2.3.4:1 \
	follow,tcp,raw,4294967296; do
	check "-z $bad: one line on stderr, exit 2" bash -c \
		"out=\$('$CAPSCOPE' -r '$g' -q -z '$bad' 2>&1 >/dev/null); rc=\$?; \
		 [[ \$rc == 2 && \$(printf '%s\n' \"\$out\" | wc -l) == 1 && \$out == 'capscope: invalid -z '* ]]"
done
check "-z without a source: exit 2" bash -c "'$CAPSCOPE' -q -z follow,tcp,raw,0 2>/dev/null; [[ \$? == 2 ]]"
check_summary
