#!/usr/bin/env bash
# test_fields_tshark.sh - capscope -T fields against tshark -T fields, byte for byte: every
# catalogue field tshark also has, on the TESTLIST captures (tests/gen/mkpcap.py) and the
# shared corpus (fieldscheck.py: the exceptions and rules, each counted and printed as skip);
# the -E options on a few captures; and the errors for bad -T/-e/-E.
# Env: CAPSCOPE, SRCDIR, CORPUS, WORKDIR. Exit 77 (whole script skipped) without the binary,
# tshark or python3; without the corpus only the generated captures are compared.
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
. "$SRCDIR/tests/lib/require.sh"
require_capscope
require_tools tshark python3 timeout
. "$SRCDIR/tests/lib/check.sh"
CHECKER="$SRCDIR/tests/fields/fieldscheck.py"
GEN="$SRCDIR/tests/gen/mkpcap.py"
mkdir -p "$WORKDIR/gen"
# the generated captures tshark decodes as we mean them (as test_tshark_crosscheck.sh)
for n in $(python3 "$GEN" --list); do
	case "$n" in mixed | corrupt-record | not-a-capture | empty) continue ;; esac
	python3 "$GEN" "$n" -o "$WORKDIR/gen/$n.pcap"
done
python3 "$GEN" mixed 200 -o "$WORKDIR/gen/mixed.pcap"

. "$SRCDIR/tests/lib/checker_runs.sh"
checker_runs "$CHECKER" "-T fields" "${FIELDS_JOBS:-6}" 850

# -E options: the whole output, header included, byte for byte.
same_as_tshark() { # capture, then -T fields arguments
	local f=$1
	shift
	cmp -s <("$CAPSCOPE" -r "$f" -T fields "$@" 2>&1) \
		<(tshark -n -r "$f" -T fields "$@" 2>/dev/null)
}
E_FIELDS=(-e frame.number -e ip.addr -e udp.port -e dns.qry.name -e dns.flags.rcode -e eth.lg
	-e vlan.id -e tcp.flags.syn -e tcp.option_kind -e frame.time_relative)
for f in dns tcp-handshake vlan-qinq vxlan; do
	g="$WORKDIR/gen/$f.pcap"
	check "$f: default -E" same_as_tshark "$g" "${E_FIELDS[@]}"
	check "$f: header=y separator=, quote=d" same_as_tshark "$g" -E header=y -E separator=, \
		-E quote=d "${E_FIELDS[@]}"
	check "$f: occurrence=f aggregator=/s quote=s" same_as_tshark "$g" -E occurrence=f \
		-E aggregator=/s -E quote=s "${E_FIELDS[@]}"
	check "$f: occurrence=l separator=/s aggregator=;" same_as_tshark "$g" -E occurrence=l \
		-E separator=/s -E 'aggregator=;' "${E_FIELDS[@]}"
done

# Errors: one line naming the problem, exit 2, before any packet is read.
fails_with() { # expected text, then arguments
	local want=$1 out rc
	shift
	out=$("$CAPSCOPE" "$@" 2>&1 >/dev/null)
	rc=$?
	[[ $rc == 2 && $(head -1 <<<"$out") == *"$want"* ]] || {
		echo "  exit $rc: $out"
		return 1
	}
}
g="$WORKDIR/gen/dns.pcap"
check "unknown field: did you mean" fails_with 'unknown field "ip.sorce" (did you mean ip.src?)' \
	-r "$g" -T fields -e ip.sorce
check "unknown field: no suggestion" fails_with 'unknown field "nothing.like.it"' \
	-r "$g" -T fields -e ip.src -e nothing.like.it
check "bad -E" fails_with "invalid -E option 'quote=x'" -r "$g" -T fields -e ip.src -E quote=x
check "-T fields without -e" fails_with "-T fields needs at least one -e" -r "$g" -T fields
check "-e without -T fields" fails_with "-e FIELD goes with -T fields" -r "$g" -e ip.src
check "unknown -T" fails_with "invalid -T format 'pdml'" -r "$g" -T pdml
check "-T text is the default" cmp -s <("$CAPSCOPE" -r "$g" -T text) <("$CAPSCOPE" -r "$g" --print)
check "--list-fields: P and F rows" bash -c "'$CAPSCOPE' --list-fields | awk -F'\t' \
	'\$1==\"P\" && NF==3 {p++} \$1==\"F\" && NF==5 {f++} END {exit !(p > 20 && f > 200)}'"
check_summary
