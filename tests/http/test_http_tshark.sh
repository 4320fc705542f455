#!/usr/bin/env bash
# test_http_tshark.sh - HTTP over TCP against tshark 4.0 with reassembly on (both tools'
# default: requests and responses whose headers and body span segments are decoded in the
# frame that brings their last byte, with tcp.segment / tcp.reassembled.length) and off
# (--no-reassembly against -o tcp.desegment_tcp_streams:FALSE): httpcheck.py compares the
# http.* fields and the reassembly fields byte for byte on the generated captures
# tcp-handshake, http-get, http-split, http-lying, http-until-fin (tests/gen/mkpcap_app.py:
# responses without Content-Length whose bodies run until the FIN), http-chunked (chunked
# bodies over segments), http-chunked-more (extensions, trailers, LF line ends, a chunked
# POST), http-chunked-lying (sizes beyond the data, overflowing, negative, not hex, chunks
# without CRLF: the http.chunk_* fields and the frames tshark marks malformed) and reasm-gap's
# HTTP bodies after a lost segment (tests/gen/mkpcap_tls.py), the differences it explains
# printed as skips; the Info of the HTTP frames of http-until-fin and the chunked captures
# against tshark's (both reassembly settings for the chunked ones), the Info of the segments
# of messages still being reassembled (pendinginfo.py) on all of them, and the same
# checks on responses made live in a private network namespace (mkcaps.sh: python3's
# http.server, a response until the close, a chunked one), skipped as a part (counted) without
# root, namespaces or tcpdump.
# Exit 0 pass, 1 fail, 77 skipped (no tshark or python3).
set -euo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
source "$SRCDIR/tests/lib/netns.sh"
NETNS_SCRIPT=$0
if [[ "${CAPSCOPE_IN_NETNS:-}" == 1 ]]; then
	# inside the namespace: only make the captures (capscope and tshark run outside)
	bash "$SRCDIR/tests/http/mkcaps.sh" "$WORKDIR/live"
	exit 0
fi
: "${CAPSCOPE:?}"
. "$SRCDIR/tests/lib/check.sh"
for tool in tshark python3; do
	command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
mkdir -p "$WORKDIR/gen"
gen=()
for n in tcp-handshake http-get http-split http-lying http-until-fin http-chunked \
	http-chunked-more http-chunked-lying reasm-gap; do
	python3 "$SRCDIR/tests/gen/mkpcap.py" "$n" -o "$WORKDIR/gen/$n.pcap"
	gen+=("$WORKDIR/gen/$n.pcap")
done
CHECKER="$SRCDIR/tests/http/httpcheck.py"
check "HTTP, reassembly on" python3 "$CHECKER" --capscope "$CAPSCOPE" "${gen[@]}"
check "HTTP, reassembly off" python3 "$CHECKER" --capscope "$CAPSCOPE" --no-reassembly "${gen[@]}"

# The Info of the frames tshark calls HTTP (where each message is decoded), line for line:
# frame numbers and text from capscope --print's HTTP lines ("... HTTP len:N INFO", without
# capscope's own mark of a malformed frame, " [invalid http....]": httpcheck compares those
# frames). A second argument "off" compares both without reassembly.
same_http_info() {
	local ts=() cs=()
	[[ ${2:-on} == off ]] && ts=(-o tcp.desegment_tcp_streams:FALSE) cs=(--no-reassembly)
	diff <(tshark -n -r "$1" "${ts[@]}" -T fields -e frame.number -e _ws.col.Protocol \
		-e _ws.col.Info 2>/dev/null | awk -F'\t' '$2 == "HTTP" {print $1 "\t" $3}') \
		<("$CAPSCOPE" -r "$1" "${cs[@]}" --print |
			awk '/ HTTP len:[0-9]+ / {sub(/^.* HTTP len:[0-9]+ /, "");
				sub(/ \[(invalid|truncated) http[^]]*\]$/, ""); print NR "\t" $0}')
}
for n in http-until-fin http-chunked http-chunked-more http-chunked-lying; do
	check "$n: HTTP frames and Info as tshark's" same_http_info "$WORKDIR/gen/$n.pcap"
done
for n in http-chunked http-chunked-more http-chunked-lying; do
	check "$n: HTTP frames and Info as tshark's, reassembly off" same_http_info \
		"$WORKDIR/gen/$n.pcap" off
done
# A segment of a message still being reassembled: the message's first line then tshark's note
# while HTTP is asked again (headers, chunks), TCP's Info and the note for a body of known
# length (tests/http/pendinginfo.py).
check "segments of messages being reassembled: Info as tshark's" python3 \
	"$SRCDIR/tests/http/pendinginfo.py" "$CAPSCOPE" "${gen[@]}"

if netns_possible tcpdump ethtool ss; then
	rm -rf "$WORKDIR/live"
	if netns_run 120 -n && ls "$WORKDIR"/live/*.pcap >/dev/null 2>&1; then
		live=("$WORKDIR"/live/*.pcap)
		check "live captures hold their responses" python3 - "${live[@]}" <<'PY'
import subprocess, sys
for p in sys.argv[1:]:
    out = subprocess.run(['tshark', '-n', '-r', p, '-Y', 'http.response', '-T', 'fields',
                          '-e', 'tcp.segment.count'], capture_output=True, text=True).stdout
    if not any(c and int(c.split(',')[0]) > 2 for c in out.split()):
        sys.exit('%s: no response over more than two segments in tshark\'s view' % p)
PY
		check "live, reassembly on" python3 "$CHECKER" --capscope "$CAPSCOPE" "${live[@]}"
		check "live, reassembly off" python3 "$CHECKER" --capscope "$CAPSCOPE" --no-reassembly \
			"${live[@]}"
		for f in "${live[@]}"; do
			check "live ${f##*/}: HTTP frames and Info as tshark's" same_http_info "$f"
		done
	else
		bad "the live HTTP exchanges were not captured"
	fi
fi
check_summary
