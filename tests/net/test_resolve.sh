#!/usr/bin/env bash
# test_resolve.sh - --resolve live, hermetic: two network namespaces joined by veth cs0 <->
# cs1 (198.18.0.1 here, where capscope captures on cs0; 198.18.0.2 and 198.18.0.10-60 in the
# peer, made with `unshare -n` and given cs1), and a small DNS server in the peer
# (resolve_peer.py: it encodes its PTR answers itself and logs every query it gets).
#
#  A. Answers: UDP datagrams to 53 addresses, 14 rounds 0.5 s apart, and to a broadcast and
#     a multicast address. --print --resolve shows the PTR names (every host name;
#     a first line to an address shows the address: the line never waits for a lookup);
#     each address is asked once (answers and NXDOMAIN cached); broadcast and multicast are
#     never asked; the rate limit holds (the k-th query no earlier than (k - 10) / 10 s after
#     the first, and 53 queries take at least 4 s); capscope's own queries and answers are
#     not printed and their count at exit is exactly two per query the server got from it,
#     while another process's PTR query to the same server is printed.
#  B. A server that never answers: capture and output go on (30 lines as the datagrams
#     come, capscope ends within 2 s of the last one, by -c).
#  C. Hostile answers (control bytes in a label, four 63-byte labels, a 255 length byte):
#     no raw control byte reaches the output (c-ares refuses the first: its address stays);
#     the long name is shown, cut to the endpoint's room; the 255 length is refused.
# Exit: 0 pass, 1 fail, 77 skipped (not root, a tool missing, namespaces unavailable, or
# capscope built without c-ares).
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"

source "$SRCDIR/tests/lib/netns.sh"
source "$SRCDIR/tests/net/resolve_ns.sh"
resolve_require_cares
NETNS_SCRIPT=$0
netns_enter 150 -n python3 nsenter

# ---------------------------------------------------------------- inside the private netns
source "$SRCDIR/tests/lib/check.sh"
fail() {
	echo "FAIL: $*"
	exit 1
}
PY="$SRCDIR/tests/net/resolve_peer.py"
pids=()
cleanup() {
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
}
trap cleanup EXIT

netns_veth
D=$WORKDIR/resolve
rm -rf "$D" && mkdir -p "$D"
resolve_peer_up

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1


# ---------------------------------------------------------------- A: answers
resolve_server answer 53 "$D/a.log"
out=$D/a.out err=$D/a.err
timeout -s INT 13 "$CAPSCOPE" -i cs0 --immediate --print --resolve --resolve-server 198.18.0.2 \
	>"$out" 2>"$err" &
cap=$!
pids+=("$cap")
resolve_wait_bound "$cap"
hosts=(198.18.0.2)
for i in $(seq 10 60); do hosts+=("198.18.0.$i"); done
timeout 20 python3 "$PY" send 14 0.5 "${hosts[@]}" 198.18.0.255 224.0.0.1 &
sender=$!
sleep 2
timeout 5 python3 "$PY" query 198.18.0.2 53 198.18.0.2 "$D/other.port" || bad "the other query failed"
wait "$sender"
wait "$cap"
echo "capscope (A) stderr:"
sed 's/^/    /' "$err"
check "A: no sanitizer report" no_sanitizer "$err"
other=$(cat "$D/other.port" 2>/dev/null)
# the server's log: "time port qname"; capscope's queries are those from other ports
grep -v '^ready' "$D/a.log" | awk -v o="$other" '$2 != o' >"$D/a.own.log"
nq=$(wc -l <"$D/a.own.log")
echo "  the server got $nq queries from capscope, from ports: $(awk '{print $2}' "$D/a.own.log" | sort -u | tr '\n' ' ')"
missing=0
for i in $(seq 10 59); do grep -q "host$i\.test\.discard" "$out" || missing=$((missing + 1)); done
check "A: every host's PTR name is shown (50 of 50)" test "$missing" = 0
check "A: the peer's name (its own address's PTR) is shown" grep -q 'peer\.test\.discard' "$out"
check "A: this host's name is shown" grep -q 'me\.test\.' "$out"
first=$(grep -m1 -E '(198\.18\.0\.10|host10\.test)\.discard' "$out")
check "A: the first line to an address shows the address (no wait): $first" \
	grep -q '198\.18\.0\.10\.discard' <<<"$first"
check "A: an unnamed address (NXDOMAIN) keeps its address" grep -q '198\.18\.0\.60\.discard' "$out"
dup=$(awk '{print $3}' "$D/a.own.log" | sort | uniq -d | head -3)
check "A: each address asked once (cached answers and failures) ${dup:+dup: $dup}" test -z "$dup"
check "A: 53 addresses asked (52 of the peer, this host's)" test "$nq" = 53
check "A: broadcast never asked" bash -c "! grep -q '255.0.18.198' '$D/a.own.log'"
check "A: multicast never asked" bash -c "! grep -q '1.0.0.224' '$D/a.own.log'"
check "A: the broadcast packets are shown" grep -q '198\.18\.0\.255\.discard' "$out"
rate_ok() { # the k-th query (from 0) no earlier than (k - 10) / 10 s after the first
	awk '{t[NR] = $1} END {
		for (k = 1; k <= NR; k++) if (t[k] - t[1] < (k - 1 - 10) / 10 - 0.05) {
			print "  query " k - 1 " at +" t[k] - t[1] " s"; exit 1 }
		print "  " NR " queries in " t[NR] - t[1] " s"; exit !(t[NR] - t[1] >= 4.0) }' "$1"
}
check "A: rate limit (10 a second after a burst of 10; 53 queries over 4 s or more)" rate_ok "$D/a.own.log"
own_lines() { # no printed line is one of capscope's own lookups (its ports with 'domain')
	local p
	for p in $(awk '{print $2}' "$D/a.own.log" | sort -u); do
		if grep -E "\.$p .*\.domain |\.domain .*\.$p " "$out" | head -2 | grep .; then return 1; fi
	done
	return 0
}
check "A: capscope's own lookups are not printed" own_lines
check "A: another process's PTR query to the same server is printed" \
	grep -qE "\.$other -> (peer\.test|198\.18\.0\.2)\.domain" "$out"
hidden=$(sed -nE 's/.* ([0-9]+) own lookup packets hidden.*/\1/p' "$err")
check "A: own lookup packets hidden and counted: $hidden = 2 x $nq (query + answer)" \
	test "${hidden:-x}" = $((2 * nq))

# ---------------------------------------------------------------- B: a server that never answers
resolve_server silent 5300 "$D/b.log"
out=$D/b.out err=$D/b.err
timeout 30 "$CAPSCOPE" -i cs0 --immediate --print --resolve --resolve-server 198.18.0.2:5300 -c 30 \
	'udp dst port 9' >"$out" 2>"$err" &
cap=$!
pids+=("$cap")
resolve_wait_bound "$cap"
timeout 20 python3 "$PY" send 10 0.3 198.18.0.20 198.18.0.21 198.18.0.22
sent_at=$(date +%s%N)
crc=0
wait "$cap" || crc=$?
took=$((($(date +%s%N) - sent_at) / 1000000))
echo "capscope (B) exit $crc, ${took} ms after the last datagram; stderr:"
sed 's/^/    /' "$err"
check "B: no sanitizer report" no_sanitizer "$err"
check "B: capscope ended by -c (exit 0)" test "$crc" = 0
check "B: within 2 s of the last datagram (${took} ms)" test "$took" -lt 2000
check "B: all 30 lines printed" test "$(grep -c 'discard' "$out")" = 30
check "B: the lookups were sent (the server got them)" test "$(grep -vc '^ready' "$D/b.log")" -ge 3
check "B: the addresses are shown" grep -q '198\.18\.0\.22\.discard' "$out"

# ---------------------------------------------------------------- C: hostile answers
resolve_server hostile 5301 "$D/c.log"
out=$D/c.out err=$D/c.err
timeout 30 "$CAPSCOPE" -i cs0 --immediate --print --resolve --resolve-server 198.18.0.2:5301 -c 30 \
	'udp dst port 9' >"$out" 2>"$err" &
cap=$!
pids+=("$cap")
resolve_wait_bound "$cap"
timeout 20 python3 "$PY" send 10 0.3 198.18.0.10 198.18.0.11 198.18.0.12
crc=0
wait "$cap" || crc=$?
echo "capscope (C) exit $crc; stderr:"
sed 's/^/    /' "$err"
tail -3 "$out" | cat -A | cut -c1-150
check "C: no sanitizer report" no_sanitizer "$err"
check "C: exit 0" test "$crc" = 0
check "C: all 30 lines printed" test "$(grep -c 'discard\|aaaa' "$out")" = 30
check "C: no raw control byte in the output" bash -c "! LC_ALL=C grep -q \$'[\\x01-\\x08\\x0b-\\x1f\\x7f]' '$out'"
check "C: the 255-byte name is shown (cut to the endpoint's room)" grep -qE '> a{40}' "$out"
check "C: a 255 label length: the address stays" grep -q '198\.18\.0\.12\.discard' "$out"
check_summary
