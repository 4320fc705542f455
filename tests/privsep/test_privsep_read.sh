#!/usr/bin/env bash
# test_privsep_read.sh - modes that capture nothing run without privileges (issue 14): a
# capture file (-r) read headless and in the monitor. The input is a generated capture that
# only root may read (mode 600 in a mode 700 folder): capscope opens it before it drops its
# privileges, as tcpdump -Z does. For each way of starting it:
#   root      plain root: the process becomes nobody
#   sudo      SUDO_UID/SUDO_GID of a normal user (real sudo when installed, else set as sudo
#             sets them, and said so)
#   -Z USER   root with -Z naming the normal user
#   setcap    a copy with cap_net_raw,cap_net_admin+ep run by the normal user (its own copy
#             of the input: it has no root to open the other)
# it checks, from /proc/PID/status while `capscope -r FILE --print` is held by a full pipe: Uid
# (all four) the user's and not 0, CapEff/CapPrm/CapInh/CapAmb 0, NoNewPrivs 1, Seccomp 2 when
# --version says libseccomp; no child (headless -r forks no capture helper); then every packet
# printed (as many lines as tshark's), and `-r FILE -w OUT` into the root-only folder: OUT
# holds the packets byte for byte and belongs to the user; an existing root-owned OUT is
# rewritten whole and keeps its owner. The monitor with --no-processes on the file (tmux):
# every packet listed, the monitor nobody with nothing, its child the capture helper (it may
# switch to an adapter from the picker) CapEff 0x3000 only.
# Exit: 0 pass, 1 fail, 77 skipped (not root, a tool missing).
set -uo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
N=${READ_PACKETS:-20000}

mkdir -p "$WORKDIR"
TUI_AS_ROOT=1 # the monitor's part runs as plain root: it drops to nobody
source "$SRCDIR/tests/tui/lib.sh"
source "$SRCDIR/tests/privsep/lib.sh"
[[ $(id -u) == 0 ]] || skip "needs root (it checks what capscope gives up)"
for tool in python3 pgrep tshark setpriv tmux; do
	command -v "$tool" >/dev/null || skip "$tool is missing"
done
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1

rm -rf "$WORKDIR/secret" "$WORKDIR/user"
mkdir -m 700 "$WORKDIR/secret"
gen="$WORKDIR/secret/gen.pcap"
timeout 60 python3 "$SRCDIR/tests/gen/mkpcap.py" mixed "$N" -o "$gen" || exit 1
chmod 600 "$gen"
npk=$(timeout 60 tshark -r "$gen" 2>/dev/null | wc -l)
echo "input: $N packets, tshark reads $npk; $(stat -c '%A %U' "$gen"), folder $(stat -c '%A %U' "$WORKDIR/secret")"
seccomp=0
"$CAPSCOPE" --version | grep -q 'seccomp: libseccomp' && seccomp=1

privsep_user

same_packets() { # A B: the same packet records
	timeout 60 python3 - "$SRCDIR/tests/gen" "$1" "$2" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import mkpcap
a = [r[4] for r in mkpcap.read_pcap(sys.argv[2])]
b = [r[4] for r in mkpcap.read_pcap(sys.argv[3])]
print('  %d packets in, %d out%s' % (len(a), len(b), '' if a == b else ': they differ'))
sys.exit(a != b)
PY
}

# NAME WANT_UID FILE OUTDIR PREFIX...: -r FILE --print held by a full pipe, then -w.
read_case() {
	local name=$1 want=$2 file=$3 outdir=$4 err="$WORKDIR/$1.stderr" pid= i
	shift 4
	"$@" -r "$file" --print 2>"$err" | { sleep 2; cat >"$WORKDIR/$name.txt"; } &
	local job=$!
	for i in $(seq 50); do
		pid=$(pgrep -f -- "capscope .*-r $file --print" | head -1 || true)
		[[ -n "$pid" && "$(field NoNewPrivs "$pid" 2>/dev/null)" == 1 ]] && break
		sleep 0.05
	done
	if [[ -z "$pid" ]]; then
		bad "$name: capscope -r did not start"
	else
		unprivileged_checks "$name" "$pid" "$want"
		check "$name: no capture helper for headless -r" test -z "$(pgrep -P "$pid")"
	fi
	wait "$job"
	sed 's/^/  stderr: /' "$err" | head -5
	check "$name: every packet printed ($npk lines)" test "$(wc -l <"$WORKDIR/$name.txt")" = "$npk"
	check "$name: no sanitizer report" bash -c "! grep -qE 'Sanitizer|runtime error:' '$err'"
	rm -f "$outdir/$name.pcap"
	timeout 60 "$@" -r "$file" -w "$outdir/$name.pcap" 2>"$err"
	check "$name: -w exit 0" test $? = 0
	check "$name: -w wrote every packet byte for byte" same_packets "$file" "$outdir/$name.pcap"
	check "$name: the -w file belongs to uid $want" test "$(stat -c %u "$outdir/$name.pcap")" = "$want"
}

read_case root 65534 "$gen" "$WORKDIR/secret" "$CAPSCOPE"
echo "not a capture" >"$WORKDIR/secret/again.pcap"
timeout 60 "$CAPSCOPE" -r "$gen" -w "$WORKDIR/secret/again.pcap" 2>"$WORKDIR/again.stderr"
check "root: an existing root-owned -w file is rewritten" same_packets "$gen" "$WORKDIR/secret/again.pcap"
check "root: ... and keeps its owner" test "$(stat -c %u "$WORKDIR/secret/again.pcap")" = 0
if [[ -z "$uid" ]]; then
	part_skipped "sudo, -Z and setcap: no normal user and none could be made"
else
	if command -v sudo >/dev/null; then
		read_case sudo "$uid" "$gen" "$WORKDIR/secret" sudo -u root "$CAPSCOPE"
	else
		echo "note: sudo is not installed: SUDO_UID=$uid SUDO_GID=$gid set as sudo sets them"
		read_case sudo "$uid" "$gen" "$WORKDIR/secret" env SUDO_UID="$uid" SUDO_GID="$gid" \
			SUDO_USER="$user" "$CAPSCOPE"
	fi
	read_case "-Z" "$uid" "$gen" "$WORKDIR/secret" "$CAPSCOPE" -Z "$user"
	if command -v setcap >/dev/null; then
		capdir=$(mktemp -d /tmp/capscope-privsep.XXXXXX)
		chmod 755 "$capdir"
		cp "$CAPSCOPE" "$capdir/capscope"
		setcap cap_net_raw,cap_net_admin+ep "$capdir/capscope"
		cp "$gen" "$capdir/gen.pcap"
		chown "$uid:$gid" "$capdir" "$capdir/gen.pcap"
		read_case setcap "$uid" "$capdir/gen.pcap" "$capdir" setpriv --reuid="$uid" \
			--regid="$gid" --init-groups "$capdir/capscope"
		rm -rf "$capdir"
	else
		part_skipped "setcap: the setcap tool is missing (libcap2-bin)"
	fi
fi

# The monitor on the file, with --no-processes (test_privsep_tui.sh runs it with attribution).
tui_start "$CAPSCOPE" --no-processes -r "$gen"
check "monitor: every packet listed" tui_wait_counts "$npk" "$npk" 30
privsep_pair "^$CAPSCOPE --no-processes -r $gen"
if [[ -n "$main" && -n "$helper" ]]; then
	echo "  monitor $main: Uid $(uids "$main"), CapEff $(field CapEff "$main"); helper $helper:" \
		"Uid $(uids "$helper"), CapEff $(field CapEff "$helper")"
	check "monitor: runs as nobody" test "$(uids "$main")" = "65534 65534 65534 65534"
	check "monitor: holds no capability" test "$(field CapEff "$main")$(field CapPrm "$main")" = 00000000000000000000000000000000
	check "monitor: NoNewPrivs 1" test "$(field NoNewPrivs "$main")" = 1
	check "monitor: its helper holds CAP_NET_ADMIN + CAP_NET_RAW only" test "$(field CapEff "$helper")" = 0000000000003000
else
	bad "monitor: the monitor ($main) and its helper ($helper) not both found"
fi
tui_keys q
tui_wait 'discard|exited' 3 && tui_screen | grep -q discard && tui_keys y
check "monitor: quit exits 0" tui_wait '\[exited 0\]' 5
tui_finish
