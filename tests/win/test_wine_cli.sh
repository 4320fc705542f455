#!/usr/bin/env bash
# test_wine_cli.sh - the Windows package's headless commands under wine (no capture: the
# live ones are test_wine_live.sh), against the Linux build:
#  - --version: capscope's version line and the libpcap line as the Linux build prints them
#    (wine's wpcap.dll reports the host's libpcap), and notes naming what is unavailable
#    (PCRE2, libcrypto, and Npcap's extensions under wine);
#  - --help: the Linux build's text, plus those notes;
#  - -D: one numbered entry per adapter, NPF name and description, as many as -D --json has;
#  - what wine's wpcap.dll lacks is not called: --stats and -r end with a message naming
#    wine, never with wine's "unimplemented function" abort;
#  - without wpcap.dll (WINEDLLOVERRIDES disables wine's): -D says to install Npcap,
#    --version still runs and says so.
# Exit: 0 pass, 1 fail, 77 skipped (wine or mingw-w64 missing).
set -euo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
source "$SRCDIR/tests/win/lib.sh"
win_need python3 flock
[[ -n "${CAPSCOPE:-}" && -x "$CAPSCOPE" ]] || { echo "SKIP: CAPSCOPE (the Linux build) is not set"; exit 77; }
win_package
win_prefix
trap win_cleanup EXIT
fail() {
	echo "FAIL: $*"
	exit 1
}
w="$WORKDIR"

win_run --version | tr -d '\r' >"$w/win.version" || fail "capscope.exe --version failed"
"$CAPSCOPE" --version >"$w/lin.version"
diff <(head -n 2 "$w/lin.version") <(head -n 2 "$w/win.version") ||
	fail "--version's capscope and libpcap lines differ from the Linux build's"
for want in 'Note: display filters.*"matches": unavailable' 'Note: JA3/JA4 hashes and QUIC decryption: unavailable' \
	'Note: --stats .*unavailable under wine'; do
	grep -qE "$want" "$w/win.version" || { cat "$w/win.version"; fail "--version lacks /$want/"; }
done
echo "ok: --version under wine: $(head -n 1 "$w/win.version"), $(grep -c '^Note:' "$w/win.version") notes"

win_run --help | tr -d '\r' >"$w/win.help" || fail "capscope.exe --help failed"
"$CAPSCOPE" --help >"$w/lin.help"
diff <(grep -Ev '^(Note:|$)' "$w/lin.help") <(grep -Ev '^(Note:|$)' "$w/win.help") ||
	fail "--help differs from the Linux build's (notes and blank lines aside)"
grep -q '^Note: --stats .*unavailable under wine' "$w/win.help" || fail "--help lacks the wine note"
echo "ok: --help under wine is the Linux build's text with $(grep -c '^Note:' "$w/win.help") notes"

win_run -D | tr -d '\r' >"$w/win.D" || fail "capscope.exe -D failed"
win_run -D --json >"$w/win.json" || fail "capscope.exe -D --json failed"
python3 - "$w/win.D" "$w/win.json" <<'PY' || fail "-D under wine"
import json, re, sys
lines = [l for l in open(sys.argv[1]) if re.match(r"\d+\. ", l)]
js = json.load(open(sys.argv[2]))["adapters"]
if not js or len(lines) != len(js):
    sys.exit(f"-D lists {len(lines)} adapters, -D --json {len(js)}")
for i, (l, a) in enumerate(zip(lines, js), 1):
    want = f"{i}. {a['name']} ({a['description']})"
    if l.rstrip("\n") != want or not a["name"].startswith("\\\\Device\\\\NPF_{"):
        sys.exit(f"-D line {l!r} != {want!r}")
print(f"ok: -D and -D --json under wine: {len(js)} adapters with NPF names and descriptions")
PY

# What wine's wpcap.dll has as aborting stubs, or lacks, is not called.
gen="$w/gen.pcap"
timeout 30 python3 "$SRCDIR/tests/gen/mkpcap.py" mixed 10 -o "$gen"
lo=lo # the loopback adapter: nothing is captured (the calls are refused first)
for args in "--stats -i $lo --interval 100" "-r $gen --print"; do
	rc=0
	# shellcheck disable=SC2086
	WIN_TIMEOUT=60 win_run $args >"$w/out" 2>"$w/err" || rc=$?
	tr -d '\r' <"$w/err" >"$w/err.txt"
	if grep -q 'unimplemented function' "$w/err.txt" || ((rc == 124 || rc == 0)); then
		cat "$w/err.txt"
		fail "capscope.exe $args: exit $rc (expected a message naming wine, not a stub's abort)"
	fi
	grep -qi 'under wine' "$w/err.txt" || { cat "$w/err.txt"; fail "capscope.exe $args: no message naming wine"; }
	echo "ok: capscope.exe ${args%% *} under wine: exit $rc, '$(head -n 1 "$w/err.txt")'"
done

# No wpcap.dll at all.
rc=0
WINEDLLOVERRIDES="wpcap=" win_run -D >"$w/out" 2>"$w/err" || rc=$?
tr -d '\r' <"$w/err" >"$w/err.txt"
((rc == 2)) && grep -q 'wpcap.dll not found: install Npcap' "$w/err.txt" ||
	{ cat "$w/err.txt"; fail "-D without wpcap.dll: exit $rc, expected 2 and 'install Npcap'"; }
WINEDLLOVERRIDES="wpcap=" win_run --version | tr -d '\r' >"$w/nopcap.version" ||
	fail "--version without wpcap.dll failed"
grep -q 'wpcap.dll not found: install Npcap' "$w/nopcap.version" || { cat "$w/nopcap.version"; fail "--version without wpcap.dll does not say so"; }
echo "ok: without wpcap.dll: -D exits 2 saying to install Npcap; --version runs and says so"
