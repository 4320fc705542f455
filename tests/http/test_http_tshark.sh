#!/usr/bin/env bash
# test_http_tshark.sh - HTTP over TCP against tshark 4.0 with reassembly on (both tools'
# default: requests and responses whose headers and body span segments are decoded in the
# frame that brings their last byte, with tcp.segment / tcp.reassembled.length) and off
# (--no-reassembly against -o tcp.desegment_tcp_streams:FALSE): httpcheck.py compares the
# http.* fields and the reassembly fields byte for byte on the generated captures
# tcp-handshake, http-get, http-split and http-lying (tests/gen/mkpcap_app.py) and reasm-gap's
# HTTP bodies after a lost segment (tests/gen/mkpcap_tls.py), the
# differences it explains printed as skips.
# Exit 0 pass, 1 fail, 77 skipped (no tshark or python3).
set -euo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
: "${CAPSCOPE:?}"
. "$SRCDIR/tests/lib/check.sh"
for tool in tshark python3; do
	command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
mkdir -p "$WORKDIR/gen"
gen=()
for n in tcp-handshake http-get http-split http-lying reasm-gap; do
	python3 "$SRCDIR/tests/gen/mkpcap.py" "$n" -o "$WORKDIR/gen/$n.pcap"
	gen+=("$WORKDIR/gen/$n.pcap")
done
CHECKER="$SRCDIR/tests/http/httpcheck.py"
check "HTTP, reassembly on" python3 "$CHECKER" --capscope "$CAPSCOPE" "${gen[@]}"
check "HTTP, reassembly off" python3 "$CHECKER" --capscope "$CAPSCOPE" --no-reassembly "${gen[@]}"
check_summary
