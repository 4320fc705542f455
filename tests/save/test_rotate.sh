#!/usr/bin/env bash
# test_rotate.sh - -w with tcpdump's rotation options:
#   -C 1 -W 3   a ring of FILE0 FILE1 FILE2, none over 1,000,000 bytes, each readable; the
#               newest packets are in them, in order
#   -C 2        FILE FILE1 FILE2 FILE3, which together hold the whole capture in order
#   -G 1        with a strftime pattern, fed a stream in three bursts 1.3 s apart: a file for
#               each burst at least, named by the pattern, together the whole capture
#   -G 1 -W 2   the same stream: two files, then capscope ends by itself
#   bad combinations are usage errors (exit 2)
# Exit: 0 pass, 1 fail, 77 skipped.
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
[[ -n "${CAPSCOPE:-}" && -x "${CAPSCOPE}" ]] || { echo "SKIP: CAPSCOPE is not set"; exit 77; }
command -v tcpdump >/dev/null || { echo "SKIP: tcpdump is missing"; exit 77; }
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

source "$SRCDIR/tests/lib/check.sh"
W=$WORKDIR
rm -rf "$W" && mkdir -p "$W"
# As root, capscope -r reads and writes as nobody (issue 14): the folders of rotated files
# (not made before the drop, as a single -w file is) are made writable by anyone.
timeout 60 python3 "$SRCDIR/tests/gen/mkpcap.py" mixed 6000 -o "$W/m.pcap"

# check ORIG FILES... : every file reads back in tcpdump; their packets, concatenated, are
# ORIG's last packets (all of them with "all" as the first argument; "last": the files of a
# ring, in any order), in order.
check() {
	local all=$1 orig=$2
	shift 2
	for f in "$@"; do
		timeout 30 tcpdump -nn -r "$f" >/dev/null 2>&1 || { echo "tcpdump cannot read $f"; return 1; }
	done
	timeout 60 python3 - "$SRCDIR/tests/gen" "$all" "$orig" "$@" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import mkpcap
want = [r[4] for r in mkpcap.read_pcap(sys.argv[3])]
files = [[r[4] for r in mkpcap.read_pcap(f)] for f in sys.argv[4:]]
if sys.argv[2] == 'last':  # a ring: put the files in the order their packets were sent
    files.sort(key=lambda f: want.index(f[0]) if f else -1)
got = [p for f in files for p in f]
if sys.argv[2] == 'all' and len(got) != len(want):
    print('want %d packets, the files hold %d' % (len(want), len(got))); sys.exit(1)
if not got or got != want[len(want) - len(got):]:
    print('the files do not hold the capture\'s last %d packets in order' % len(got)); sys.exit(1)
PY
}
names() { (cd "$1" && ls | tr '\n' ' '); }
run() { timeout -k 5 60 "$CAPSCOPE" "$@" 2>"$W/err"; }

# ---- -C 1 -W 3: a ring of three names
mkdir -m 777 "$W/ring"
if run -r "$W/m.pcap" -w "$W/ring/cap.pcap" -C 1 -W 3 && [[ "$(names "$W/ring")" == "cap.pcap0 cap.pcap1 cap.pcap2 " ]]; then
	big=$(find "$W/ring" -size +1000000c | wc -l)
	# The ring wrapped (about 4 MB in 1 MB files): the three hold the newest packets.
	if ((big == 0)) && check last "$W/m.pcap" "$W"/ring/cap.pcap?; then
		ok "-C 1 -W 3: $(names "$W/ring")none over 1,000,000 bytes, newest packets in order"
	else
		bad "-C 1 -W 3: $big files over the limit, or wrong contents"
	fi
else
	cat "$W/err"
	bad "-C 1 -W 3: files $(names "$W/ring")"
fi

# ---- -C 2: FILE FILE1 FILE2 ...
mkdir -m 777 "$W/size"
if run -r "$W/m.pcap" -w "$W/size/c.pcap" -C 2 && [[ "$(names "$W/size")" == "c.pcap c.pcap1 c.pcap2 " ]] &&
	check all "$W/m.pcap" "$W/size/c.pcap" "$W/size/c.pcap1" "$W/size/c.pcap2"; then
	ok "-C 2: $(names "$W/size")hold the whole capture in order"
else
	cat "$W/err"
	bad "-C 2: files $(names "$W/size")"
fi

# A pcap stream of m.pcap in three bursts, 1.3 s apart.
bursts() {
	python3 - "$W/m.pcap" <<'PY'
import sys, time
data = open(sys.argv[1], 'rb').read()
out = sys.stdout.buffer
off, recs = 24, []
while off < len(data):
    n = int.from_bytes(data[off + 8:off + 12], 'little')
    recs.append(data[off:off + 16 + n])
    off += 16 + n
out.write(data[:24])
third = len(recs) // 3
for k, part in enumerate((recs[:third], recs[third:2 * third], recs[2 * third:])):
    if k:
        time.sleep(1.3)
    out.write(b''.join(part))
    out.flush()
PY
}

# ---- -G 1 with a strftime pattern
mkdir -m 777 "$W/time"
if bursts | run -r - -w "$W/time/t-%Y%m%d-%H%M%S.pcap" -G 1; then
	files=("$W"/time/t-*.pcap)
	# Each pause outlasts -G, so each burst opens a file; a slow (loaded) burst may open more.
	if ((${#files[@]} >= 3)) && [[ "$(names "$W/time")" =~ ^(t-[0-9]{8}-[0-9]{6}\.pcap\ ){3,}$ ]] &&
		check all "$W/m.pcap" "${files[@]}"; then
		ok "-G 1 with a strftime pattern: $(names "$W/time")"
	else
		bad "-G 1: files $(names "$W/time")"
	fi
else
	cat "$W/err"
	bad "-G 1: capscope failed"
fi

# ---- -G 1 -W 2: two files, then it ends by itself
mkdir -m 777 "$W/gw"
rc=0
bursts | run -r - -w "$W/gw/g-%H%M%S.pcap" -G 1 -W 2 || rc=$?
files=("$W"/gw/g-*.pcap)
if ((rc == 0 && ${#files[@]} == 2)); then
	ok "-G 1 -W 2: two files ($(names "$W/gw")), then the capture ended"
else
	cat "$W/err"
	bad "-G 1 -W 2: exit $rc, files $(names "$W/gw")"
fi

# ---- usage errors
for args in "-r $W/m.pcap -W 3 -w $W/x.pcap" "-r $W/m.pcap -C 1" "-r $W/m.pcap -C 1 -w -" "-r $W/m.pcap -C 0 -w $W/x.pcap"; do
	rc=0
	# shellcheck disable=SC2086
	run $args || rc=$?
	if ((rc == 2)); then
		ok "usage error (exit 2): capscope $args: $(head -1 "$W/err")"
	else
		bad "capscope $args: exit $rc, want 2"
	fi
done

check_summary
