#!/usr/bin/env bash
# test_privsep_tui.sh - the monitor through the capture helper (issue 14), hermetic (private
# network namespace, veth cs0/cs1, tmux): `capscope --no-processes -i cs1` as root. While it
# captures, /proc/PID/status: the monitor's process runs as nobody with no capability and
# NoNewPrivs 1; its child, the helper, holds CAP_NET_ADMIN + CAP_NET_RAW only. Then the packets
# tcpreplay sends on cs0 are all counted in the status bar, a BPF filter typed in the filter bar
# (installed in the kernel by the helper) keeps only UDP, and quitting exits 0.
# Then the monitor with process attribution (the default) on cs1, as plain root and as under
# sudo (SUDO_UID/SUDO_GID of a normal user): every capscope process but the helper runs as
# nobody / that user (all four uids, not 0) with CapEff/CapPrm/CapInh/CapAmb 0, NoNewPrivs 1
# and, when --version names libseccomp, Seccomp 2 (the strict filter of tests/tui/lib.sh: a
# call it lacks ends the monitor); the helper holds CapEff 0xc000083004 (CAP_NET_ADMIN,
# CAP_NET_RAW, and attribution's CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH, CAP_BPF, CAP_PERFMON)
# and nothing more. As nobody the spill is in a /tmp/capscope-nobody-* folder of nobody's,
# mode 700, gone after quitting; under sudo it is the user's; packets are counted through
# the helper; the rate graph (statistics mode, counted in the helper) shows a non-zero rate;
# as nobody, a save into a folder only root may write fails with a line naming sudo and -Z.
# Exit: 0 pass, 1 fail, 77 skipped (not root, a tool missing, namespaces unavailable).
set -uo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
N=${LIVE_PACKETS:-300}

source "$SRCDIR/tests/lib/netns.sh"
NETNS_SCRIPT=$0
netns_enter 200 -n tcpreplay tmux python3 pgrep

# ------------------------------------------------------------ inside the private namespace
TUI_AS_ROOT=1 # plain root: the monitor drops to nobody
source "$SRCDIR/tests/tui/lib.sh"
source "$SRCDIR/tests/privsep/lib.sh"
netns_veth
python3 "$SRCDIR/tests/gen/mkpcap.py" mixed "$N" -o "$WORKDIR/send.pcap" || exit 1
python3 "$SRCDIR/tests/gen/mkpcap.py" udp4 -o "$WORKDIR/udp.pcap" || exit 1
n_udp=$(python3 "$SRCDIR/tests/gen/mkpcap.py" --dump "$WORKDIR/udp.pcap" | grep -c "^[0-9]")
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1
unset SSH_CONNECTION

tui_start "$CAPSCOPE" --no-processes -i cs1
check "capture starts on cs1" tui_wait 'cs1.*running' 10
privsep_pair "^$CAPSCOPE --no-processes -i cs1"
echo "monitor $main: $(grep -E '^(Uid|CapEff|NoNewPrivs):' /proc/$main/status | tr '\n\t' '  ')"
echo "helper $helper: $(grep -E '^(Uid|CapEff|NoNewPrivs):' /proc/$helper/status | tr '\n\t' '  ')"
check "the monitor runs as nobody" test "$(awk '$1 == "Uid:" {print $2 $3 $4 $5}' /proc/$main/status)" = 65534655346553465534
check "the monitor holds no capability" test "$(field CapEff "$main")$(field CapPrm "$main")" = 00000000000000000000000000000000
check "the monitor has NoNewPrivs 1" test "$(field NoNewPrivs "$main")" = 1
check "the helper holds CAP_NET_ADMIN + CAP_NET_RAW only" test "$(field CapEff "$helper")" = 0000000000003000
timeout 60 tcpreplay -q -i cs0 --pps 1000 "$WORKDIR/send.pcap" >/dev/null 2>&1
check "all $N packets counted" tui_wait_counts "$N" "$N" 3
tui_keys /
sleep 0.3
tmux -L "$TUI_SOCK" send-keys -t t -l "ip proto 17"
tui_keys Enter
check "the BPF filter is taken" tui_wait 'ip proto 17' 3
sleep 1
timeout 30 tcpreplay -q -i cs0 "$WORKDIR/send.pcap" >/dev/null 2>&1
timeout 30 tcpreplay -q -i cs0 "$WORKDIR/udp.pcap" >/dev/null 2>&1
sleep 1.5
read -r _ total <<<"$(tui_counts)"
echo "counts after the filter: $(tui_counts) ($N before it, then $N mixed and $n_udp UDP sent)"
check "the kernel filter let the UDP packets in" test "$((total - N))" -ge "$n_udp"
check "the kernel filter kept the others out" test "$((total - N))" -lt "$((N + n_udp))"
tui_keys q
tui_wait 'discard' 3 && tui_keys y
check "quit exits 0" tui_wait '\[exited 0\]' 5

seccomp=0
"$CAPSCOPE" --version | grep -q 'seccomp: libseccomp' && seccomp=1

# The spill file the monitor (pid $1) has open.
spill_file() { find "/proc/$1/fd" -lname '*capscope-spill*' -printf '%l\n' 2>/dev/null | head -1; }

# NAME WANT_UID [ENV...]: the monitor with attribution on cs1, started as root with ENV.
attribution_case() {
	local name=$1 want=$2 pid dir spill
	shift 2
	tui_start "$@" "$CAPSCOPE" -i cs1
	check "$name: capture starts on cs1" tui_wait 'cs1.*running' 10
	privsep_pair "^$CAPSCOPE -i cs1\$"
	if [[ -z "$main" || -z "$helper" ]]; then
		bad "$name: the monitor ($main) and its helper ($helper) not both found"
		return
	fi
	for pid in $(pgrep -f "^$CAPSCOPE -i cs1\$"); do
		[[ "$pid" == "$helper" ]] || unprivileged_checks "$name: capscope $pid" "$pid" "$want"
	done
	echo "  helper $helper: $(grep -E '^(Uid|CapEff|NoNewPrivs):' /proc/$helper/status | tr '\n\t' '  ')"
	check "$name: the helper holds CAP_NET_ADMIN, CAP_NET_RAW and attribution's capabilities only" \
		test "$(field CapEff "$helper")" = 000000c000083004
	check "$name: the helper has NoNewPrivs 1" test "$(field NoNewPrivs "$helper")" = 1
	spill=$(spill_file "$main")
	dir=$(dirname "${spill:-/nonexistent/x}")
	echo "  spill $spill ($(stat -c '%U' "$spill" 2>/dev/null)), in $dir ($(stat -c '%U %a' "$dir" 2>/dev/null))"
	if [[ "$want" == 65534 ]]; then
		check "$name: the spill is in a private folder of nobody's" \
			test "$(stat -c '%u %a' "$dir" 2>/dev/null)" = "65534 700"
		check "$name: ... under /tmp/capscope-nobody-" test "${dir#/tmp/capscope-nobody-}" != "$dir"
	else
		check "$name: the spill belongs to the user" test "$(stat -c %u "$spill" 2>/dev/null)" = "$want"
	fi
	timeout 60 tcpreplay -q -i cs0 --pps 1000 "$WORKDIR/send.pcap" >/dev/null 2>&1
	check "$name: all $N packets counted" tui_wait_counts "$N" "$N" 5
	if [[ "$want" == 65534 ]]; then # a folder only root may write: the save says what to do
		tui_keys C-s
		tui_wait ' to:( |$)' 5
		tui_keys C-u
		tui_keys -l "$denied/x.pcap"
		tui_keys Enter
		check "$name: a save nobody cannot write names sudo and -Z" \
			tui_wait "cannot save to .*\(writing as nobody: use sudo or -Z USER\)" 5
		check "$name: ... and leaves no file" test -z "$(ls -A "$denied")"
	fi
	tui_keys r
	check "$name: the rate graph opens" tui_wait 'Rate: ' 3
	timeout 60 tcpreplay -q -i cs0 --pps 200 "$WORKDIR/send.pcap" >/dev/null 2>&1 &
	check "$name: the rate graph counts through the helper" tui_wait 'bits/s cur [1-9]' 5
	wait
	tui_keys q
	tui_wait 'discard' 3 && tui_keys y
	check "$name: quit exits 0" tui_wait '\[exited 0\]' 5
	[[ "$want" == 65534 && -n "$dir" ]] &&
		check "$name: the private folder is removed at the end" test ! -e "$dir"
}

denied=$(mktemp -d /tmp/cs-root.XXXXXX) # root's, 0700
TUI_W=120 # the save's error line in full
attribution_case "as root" 65534
rmdir "$denied"
privsep_user
if [[ -n "$uid" ]]; then
	attribution_case "under sudo" "$uid" env SUDO_UID="$uid" SUDO_GID="$gid"
else
	part_skipped "under sudo: no normal user and none could be made"
fi
tui_finish
