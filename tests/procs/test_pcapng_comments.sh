#!/usr/bin/env bash
# test_pcapng_comments.sh - reading process comments back from hostile pcapng files
# (tests/gen/mkpcapng_comments.py: overlong comments, option lengths past the block, no end
# of options, forged lines and raw control bytes, NULs, a big-endian section, a lying
# captured length, a file cut inside the options). For each file:
#   - `capscope -r F -T fields -e process.pid` gives, packet by packet, the pids the file was
#     built to give (the generator's --expect), never a guess;
#   - it exits 0, or 1 with libpcap's read error for the two broken files (after the packets
#     before the break);
#   - process.unattributed marks the packet without a comment in the file whose section says
#     its packets were attributed ("marked"), and no packet of the others;
#   - --print --processes and -T fields -e process.name write no raw control byte;
#   - --json writes one valid JSON object per packet;
#   - no sanitizer report (when capscope is a sanitizer build).
# Exit: 0 pass, 1 fail, 77 skipped (python3 missing).
set -uo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
source "$SRCDIR/tests/lib/check.sh"
[[ -n "${CAPSCOPE:-}" && -x "$CAPSCOPE" ]] ||
	{ echo "SKIP: CAPSCOPE (the built binary) is not set or not executable: '${CAPSCOPE:-}'"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 is missing"; exit 77; }
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
GEN="$SRCDIR/tests/gen/mkpcapng_comments.py"
W=$WORKDIR
mkdir -p "$W"

sanitizer() { grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$@"; }

for c in $(python3 "$GEN" --list); do
	f="$W/$c.pcapng"
	timeout 30 python3 "$GEN" "$c" -o "$f"
	want=$(timeout 30 python3 "$GEN" "$c" --expect)
	rc=0
	got=$(timeout 30 "$CAPSCOPE" -r "$f" -T fields -e process.pid 2>"$W/$c.err") || rc=$?
	want_rc=0
	[[ $c == liecap || $c == cut ]] && want_rc=1
	if sanitizer "$W/$c.err"; then
		cat "$W/$c.err"
		bad "$c: sanitizer report"
	elif [[ "$got" == "$want" ]] && ((rc == want_rc)); then
		ok "$c: process.pid per packet '$(tr '\n' ' ' <<<"$got")', exit $rc"
	else
		cat "$W/$c.err"
		bad "$c: process.pid '$(tr '\n' ' ' <<<"$got")', want '$(tr '\n' ' ' <<<"$want")'; exit $rc, want $want_rc"
	fi
	unatt=$(timeout 30 "$CAPSCOPE" -r "$f" -T fields -e process.unattributed 2>/dev/null | tr -d '\n')
	want_un=""
	[[ $c == marked ]] && want_un=1
	[[ "$unatt" == "$want_un" ]] && ok "$c: process.unattributed '$unatt'" ||
		bad "$c: process.unattributed '$unatt', want '$want_un'"
	if ((want_rc)) && ! grep -q "capscope: error reading" "$W/$c.err"; then
		bad "$c: no read error reported: $(cat "$W/$c.err")"
	fi
	timeout 30 "$CAPSCOPE" -r "$f" --print --processes >"$W/$c.print" 2>>"$W/$c.err"
	timeout 30 "$CAPSCOPE" -r "$f" -T fields -e process.name -e process.cmdline >>"$W/$c.print" 2>>"$W/$c.err"
	if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$W/$c.print" || sanitizer "$W/$c.err"; then
		bad "$c: a raw control byte in the output (or a sanitizer report)"
	else
		ok "$c: --print --processes and -T fields write no raw control byte"
	fi
	timeout 30 "$CAPSCOPE" -r "$f" --json 2>>"$W/$c.err" >"$W/$c.json"
	if timeout 30 python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    json.loads(line); n += 1
sys.exit(0 if n == int(sys.argv[2]) else 1)' "$W/$c.json" "$(python3 "$GEN" "$c" --expect | wc -l)"; then
		ok "$c: --json: one valid object per packet"
	else
		bad "$c: --json output is not one valid object per packet"
	fi
done
check_summary
