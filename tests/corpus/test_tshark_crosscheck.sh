#!/usr/bin/env bash
# test_tshark_crosscheck.sh - decoded fields of every corpus capture with a supported link type,
# capscope --json against tshark -T fields (see crosscheck.py for the rules and EXCEPTIONS).
# Also cross-checks the project's own generated captures (tests/gen/mkpcap.py).
# Exit: 0 agree (apart from documented exceptions), 1 disagree, 77 skipped (reason printed).
set -euo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
if [[ -z "${CAPSCOPE:-}" || ! -x "${CAPSCOPE}" ]]; then
	echo "SKIP: CAPSCOPE (the built binary) is not set or not executable: '${CAPSCOPE:-}'"
	exit 77
fi
for tool in tshark python3 timeout; do
	if ! command -v "$tool" >/dev/null; then
		echo "SKIP: $tool is missing"
		exit 77
	fi
done
if [[ -z "${CORPUS:-}" || ! -d "$CORPUS" ]]; then
	echo "SKIP: the shared corpus folder is absent ('${CORPUS:-unset}'); nothing to cross-check"
	exit 77
fi
mkdir -p "$WORKDIR/gen"
GEN="$SRCDIR/tests/gen/mkpcap.py"
# the generated captures tshark decodes as we mean them (not the deliberately corrupt files)
for n in $(python3 "$GEN" --list); do
	case "$n" in mixed | corrupt-record | not-a-capture | empty) continue ;; esac
	python3 "$GEN" "$n" -o "$WORKDIR/gen/$n.pcap"
done
python3 "$GEN" mixed 200 -o "$WORKDIR/gen/mixed.pcap"

rc=0
echo "== corpus: $CORPUS"
timeout 600 python3 "$SRCDIR/tests/corpus/crosscheck.py" --capscope "$CAPSCOPE" \
	--index "$CORPUS/INDEX.tsv" --root "$CORPUS" "$CORPUS" || rc=1
echo "== generated captures"
timeout 300 python3 "$SRCDIR/tests/corpus/crosscheck.py" --capscope "$CAPSCOPE" \
	--root "$WORKDIR/gen" "$WORKDIR/gen" || rc=1
exit $rc
