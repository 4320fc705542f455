#!/usr/bin/env bash
# bless.sh - regenerate tests/decode/expected/* from the current capscope (for humans, not CI).
#
#   tests/decode/bless.sh [path/to/capscope]
#
# Blessing only records what capscope prints. Before committing, read every changed line
# (git diff tests/decode/expected) against the reference decoders, e.g.
#   python3 tests/gen/mkpcap.py NAME -o /tmp/x.pcap
#   TZ=UTC tcpdump -nn -v -r /tmp/x.pcap          (print rows)
#   tshark -r /tmp/x.pcap -V                      (json rows: every key and value)
# Rows sharing one expected file (udp4 and udp4-stdin) are blessed by whichever runs last;
# they must agree anyway.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
bin=${1:-}
if [[ -z "$bin" ]]; then
	bin=$(ls -t "$src"/build*/capscope 2>/dev/null | head -1 || true)
fi
[[ -n "$bin" && -x "$bin" ]] || { echo "bless.sh: no capscope binary (pass its path)"; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
BLESS=1 CAPSCOPE="$bin" SRCDIR="$src" WORKDIR="$work" bash "$here/test_testlist.sh"
echo
git -C "$src" status --short -- tests/decode/expected || true
echo "Now review every changed line against tcpdump -nn -v / tshark -V before committing."
