#!/usr/bin/env bash
# test_remote_hostile.sh - a hostile far side (tests/lib/sshd.sh's far host, with a fake
# `tcpdump` first on its PATH): garbage instead of a capture, a stream cut inside a record, a
# header with a huge snapshot length followed by a record longer than any, a stream that never
# starts (CAPSCOPE_REMOTE_TIMEOUT=3), 10 MB on stderr before a good stream (its deadline 20 s). Each: the clear
# line expected (or the packets), no crash, no sanitizer report, a bounded peak memory
# (/usr/bin/time's maximum resident size under 256 MiB), within its time.
# Exit: 0 pass, 1 fail, 77 skipped (not root, sshd or a tool missing, no namespaces).
set -uo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"

source "$SRCDIR/tests/lib/netns.sh"
source "$SRCDIR/tests/lib/sshd.sh"
NETNS_SCRIPT=$0
[[ -x /usr/bin/time ]] || { echo "SKIP: /usr/bin/time (Debian package time) is missing"; exit 77; }
remote_enter 100 tcpdump

# ------------------------------------------------------------ inside the private namespaces
source "$SRCDIR/tests/lib/check.sh"
trap remote_teardown EXIT
remote_setup
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1
export CAPSCOPE_SSH_COMMAND="$SSH_CMD" CAPSCOPE_REMOTE_TIMEOUT=3

python3 - "$RDIR" <<'EOF'
import struct, sys
d = sys.argv[1]
def hdr(snaplen=65535):
    return struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, snaplen, 1)
def rec(i, data):
    return struct.pack('<IIII', 1000 + i, 0, len(data), len(data)) + data
frame = bytes(range(6)) * 2 + b'\x08\x00' + bytes(46)
good = hdr() + b''.join(rec(i, frame) for i in range(3))
open(d + '/valid.pcap', 'wb').write(good)
cut = hdr() + rec(0, frame) + rec(1, frame) + rec(2, frame)[:30]
open(d + '/truncated.pcap', 'wb').write(cut)
huge = hdr(0xffffffff) + rec(0, frame) + struct.pack('<IIII', 2000, 0, 0x40000000, 0x40000000) + bytes(4096)
open(d + '/huge.pcap', 'wb').write(huge)
EOF
mkdir -p "$RDIR/binH"
cat >"$RDIR/binH/tcpdump" <<EOF
#!/bin/sh
case \$(cat "$RDIR/mode") in
garbage) yes 'this is not a capture' | head -c 200000 ;;
truncated) cat "$RDIR/truncated.pcap" ;;
huge) cat "$RDIR/huge.pcap"; exec sleep 5 ;;
never) exec sleep 6 ;;
noisy) yes 'a flood on stderr' | head -c 10000000 >&2; cat "$RDIR/valid.pcap"; exec sleep 5 ;;
esac
EOF
chmod 755 "$RDIR/binH/tcpdump"
sshd_start "$RDIR/binH:/usr/sbin:/usr/bin:/sbin:/bin"

# hostile MODE COUNT: runs the capture of COUNT packets against the fake; sets rc, secs, kib.
hostile() {
	echo "$1" >"$RDIR/mode"
	local t0=$SECONDS
	/usr/bin/time -f '%M' -o "$RDIR/$1.rss" timeout 30 "$CAPSCOPE" -i ssh://far/cs1 -c "$2" \
		-w "$RDIR/$1.pcap" 2>"$RDIR/$1.err"
	rc=$?
	secs=$((SECONDS - t0))
	kib=$(tail -n 1 "$RDIR/$1.rss")
	echo "    $1: exit $rc after ${secs}s, peak ${kib} KiB: $(head -c 600 "$RDIR/$1.err")"
	check "$1: no crash, no sanitizer report" \
		bash -c "test $rc -lt 128 && ! grep -qE 'Sanitizer|runtime error:' '$RDIR/$1.err'"
	check "$1: peak memory under 256 MiB" test "${kib:-999999999}" -lt 262144
}
one_line() { test "$(wc -l <"$RDIR/$1.err")" = 1 && grep -Eq -- "$2" "$RDIR/$1.err"; }
packets() { tcpdump -nr "$RDIR/$1.pcap" 2>/dev/null | wc -l; }

# exits RC MODE REGEX: the capture exited RC with one stderr line matching REGEX.
exits() { test "$rc" = "$1" && one_line "$2" "$3"; }
hostile garbage 5
check "garbage: exits 2 with one line: no pcap capture came, libpcap's reason" \
	exits 2 garbage 'ssh://far/cs1: the far side sent no pcap capture \(unknown file format\)'
hostile truncated 10
check "truncated: exits 1, disconnected after the 2 whole packets" \
	exits 1 truncated 'disconnected after 2 packets from ssh://far/cs1'
check "truncated: the 2 whole packets are written" test "$(packets truncated)" = 2
hostile huge 10
check "huge snaplen: exits 1, a damaged capture after the first packet" \
	exits 1 huge 'ssh://far/cs1 sent a damaged capture after 1 packets: .*length'
check "huge snaplen: the good packet is written" test "$(packets huge)" = 1
hostile never 5
check "never starts: exits 2 with one line, no capture within 3 s" \
	exits 2 never 'ssh://far/cs1: no capture came within 3 s'
check "never starts: gives up within 8 s" test "$secs" -le 8
# the start-up deadline is not what this case tests: 10 MB through ssh takes seconds on a
# slow machine (4 s here under ASan), so it gets a longer one
CAPSCOPE_REMOTE_TIMEOUT=20 hostile noisy 3
check "10 MB on stderr first: the 3 packets still come, exit 0" \
	bash -c "test $rc = 0 && test \"\$(tcpdump -nr '$RDIR/noisy.pcap' 2>/dev/null | wc -l)\" = 3"
check_summary
