#!/usr/bin/env bash
# test_dfilter_tshark.sh - capscope -Y selects the same frames as tshark 4.0's -Y, for every
# expression of expressions.txt, on the project's generated captures (tests/gen/mkpcap.py)
# and on a selection of corpus captures whose protocols the table exercises (DNS, TCP, ICMP,
# ICMPv6, ARP, VLAN/QinQ, GRE, ERSPAN, MPLS, PPPoE, SLL, Null).
#
# Captures of one link type are concatenated into one file per link type (mergecap -a); both
# tools read the same merged files, so frame numbers line up. Each tool reads each file once
# for the whole table (tshark with Lua taps, capscope with --filter-table), and a sample of
# rows is re-run with each one's real -Y; dfilter_tshark.py does the comparison. Rows naming a field capscope's catalogue lacks are skipped,
# each with its reason. Env: CAPSCOPE, SRCDIR, CORPUS (optional), WORKDIR.
# Exit: 0 all rows agree, 1 a row differs, 77 skipped (reason printed).
set -euo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
. "$SRCDIR/tests/lib/require.sh"
require_capscope
require_tools tshark mergecap python3
if ! tshark -v 2>/dev/null | grep -q "with Lua"; then
	echo "SKIP: this tshark has no Lua, which the batched oracle needs"
	exit 77
fi
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
rm -rf "$WORKDIR"
mkdir -p "$WORKDIR/caps" "$WORKDIR/merged"
GEN="$SRCDIR/tests/gen/mkpcap.py"
for n in $(python3 "$GEN" --list); do
	# not captures, or packets that lie or are cut on purpose: those test the decoder (and
	# tshark's decode of them differs by design, see tests/corpus/crosscheck.py)
	case "$n" in corrupt-record | not-a-capture | empty | lying-* | truncated-*) continue ;; esac
	python3 "$GEN" "$n" -o "$WORKDIR/caps/gen-$n.pcap" >/dev/null
done
python3 "$GEN" mixed 300 -o "$WORKDIR/caps/gen-mixed.pcap" >/dev/null

corpus_files=(
	realworld/zeek/arp-who-has.pcap realworld/zeek/dns-two-responses.pcap
	realworld/zeek/dns-zero-RRs.pcap realworld/zeek/dns__dns_notify2.pcap
	realworld/zeek/dns-edns-cookie.pcap realworld/zeek/erspanI.pcap realworld/zeek/erspanIII.pcap
	realworld/zeek/http-qinq-0.pcap realworld/zeek/icmp__5-pings.pcap
	realworld/zeek/icmp__icmp-timeexceeded.pcap realworld/zeek/icmp__icmp6-ping.pcap
	realworld/zeek/icmp__icmp6-neighbor-solicit.pcap realworld/zeek/icmp_dot1q.pcap
	realworld/zeek/pppoe.pcap realworld/zeek/q-in-q.pcap realworld/zeek/tcp__fin_retransmission.pcap
	realworld/zeek/tcp__syn-synack.pcap realworld/zeek/udp-broadcast.pcap
	realworld/zeek/linuxsll-arp.pcap realworld/pcapplusplus/Dns4.pcap
	realworld/pcapplusplus/GrePackets.cap realworld/pcapplusplus/IcmpPackets.pcap
	realworld/pcapplusplus/VlanPackets.pcap
	realworld/pcapplusplus/IPv6UdpPacket.pcap realworld/pcapplusplus/one_tcp_rst.pcap
	realworld/pcapplusplus/ArpResponsePacket.pcap realworld/pcapplusplus/NullLoopback.pcap
	realworld/dpkt/dns_icmp.pcap
)
if [[ -n "${CORPUS:-}" && -d "$CORPUS" ]]; then
	for f in "${corpus_files[@]}"; do
		if [[ -f "$CORPUS/$f" ]]; then
			cp "$CORPUS/$f" "$WORKDIR/caps/corpus-$(basename "$f")"
		else
			echo "note: corpus file $f is absent; left out"
		fi
	done
else
	echo "note: the shared corpus is absent ('${CORPUS:-unset}'): generated captures only"
fi

# One file per link type (pcap header offset 20; these are all classic pcap files).
python3 - "$WORKDIR/caps" >"$WORKDIR/groups.txt" <<'PY'
import os, struct, sys
d = sys.argv[1]
for name in sorted(os.listdir(d)):
    head = open(os.path.join(d, name), "rb").read(24)
    if len(head) < 24 or head[:4] not in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d"):
        continue
    lt = struct.unpack("<I" if head[0] in (0xd4, 0x4d) else ">I", head[20:24])[0] & 0xffff
    print(lt, os.path.join(d, name))
PY
merged=()
for lt in $(cut -d' ' -f1 "$WORKDIR/groups.txt" | sort -un); do
	out="$WORKDIR/merged/linktype-$lt.pcap"
	mapfile -t files < <(awk -v lt="$lt" '$1 == lt {print $2}' "$WORKDIR/groups.txt")
	mergecap -a -F pcap -w "$out" "${files[@]}"
	merged+=("$out")
done
echo "$(grep -vc '^#\|^$' "$SRCDIR/tests/dfilter/expressions.txt") expressions over" \
	"$(wc -l <"$WORKDIR/groups.txt") captures merged into ${#merged[@]} files by link type"
timeout 600 python3 -u "$SRCDIR/tests/dfilter/dfilter_tshark.py" --capscope "$CAPSCOPE" \
	--table "$SRCDIR/tests/dfilter/expressions.txt" --workdir "$WORKDIR" --jobs 2 "${merged[@]}"
