#!/usr/bin/env bash
# test_privsep_live.sh - privilege separation of a live capture (issue 14), in a private network
# namespace on veth cs0/cs1: capscope -i cs1 -w FILE captures through its capture helper while
# tcpreplay sends a generated capture on cs0. For each way of starting it:
#   root      plain root: the main process becomes nobody
#   sudo      as sudo leaves it (SUDO_UID/SUDO_GID of a normal user; real sudo when installed,
#             else the test sets the two variables as sudo would, and says so)
#   -Z USER   root with -Z naming the normal user
#   setcap    a copy of the binary with cap_net_raw,cap_net_admin+ep run by the normal user
# it checks, from /proc/PID/status while the capture runs: the main process has Uid != 0 (all
# four), CapEff/CapPrm/CapInh/CapAmb 0, NoNewPrivs 1 and, when --version says it was built with
# libseccomp, Seccomp 2 (also with --processes, as root: attribution's privileges go to the
# helper, which then holds CapEff 0xc000083004, adding CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH,
# CAP_BPF and CAP_PERFMON); the helper (the main process's child) holds CapEff 0x3000 (CAP_NET_ADMIN,
# CAP_NET_RAW) and nothing more, NoNewPrivs 1; after it: every packet written byte for byte as
# sent, in order; the end-of-capture counters on stderr; the written file owned by the user.
# Then the kernel drop counter through the helper: a 1 MiB kernel buffer, the main process
# stopped (SIGSTOP) while 20000 packets go out at top speed: the drops must be counted, and
# received = written + dropped.
# Exit: 0 pass, 1 fail, 77 skipped (not root, a tool missing, namespaces unavailable).
set -euo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
N=${LIVE_PACKETS:-600}

source "$SRCDIR/tests/lib/netns.sh"
source "$SRCDIR/tests/lib/check.sh"
source "$SRCDIR/tests/privsep/lib.sh"
NETNS_SCRIPT=$0
netns_enter 300 -n tcpreplay python3 pgrep setpriv

# ---------------------------------------------------------------- inside the private netns
tpid=
cleanup() {
	[[ -n "$tpid" ]] && kill "$tpid" 2>/dev/null || true
}
trap cleanup EXIT
netns_veth
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
gen="$WORKDIR/gen.pcap"
timeout 30 python3 "$SRCDIR/tests/gen/mkpcap.py" mixed "$N" -o "$gen"
ifindex=$(timeout 5 ip -o link show dev cs1 | cut -d: -f1)
seccomp=0
"$CAPSCOPE" --version | grep -q 'seccomp: libseccomp' && seccomp=1

# A normal user: the first one with a uid of 1000 or more, else one made for the test.
privsep_user

# The capscope process under `timeout` (pid $1), and its child, the helper.
wait_ready() {
	local main= i
	for i in $(seq 100); do
		main=$(pgrep -P "$1" | head -1 || true)
		if [[ -n "$main" ]] && pgrep -P "$main" >/dev/null &&
			awk -v ifi="$ifindex" 'NR > 1 && $5 == ifi {f = 1} END {exit !f}' /proc/net/packet; then
			echo "$main"
			return 0
		fi
		sleep 0.1
	done
	return 1
}

status_checks() { # NAME MAIN_PID WANT_UID
	local name=$1 main=$2 want=$3 helper
	helper=$(pgrep -P "$main" | head -1)
	unprivileged_checks "$name: main" "$main" "$want"
	echo "  helper $helper: Uid $(uids "$helper"), CapEff $(field CapEff "$helper")," \
		"CapBnd $(field CapBnd "$helper"), NoNewPrivs $(field NoNewPrivs "$helper")"
	local caps=${helper_caps:-0000000000003000}
	check "$name: helper CapEff is $caps (${helper_caps_names:-CAP_NET_ADMIN + CAP_NET_RAW}) only" \
		test "$(field CapEff "$helper")" = "$caps"
	check "$name: helper CapPrm the same" test "$(field CapPrm "$helper")" = "$caps"
	check "$name: helper NoNewPrivs 1" test "$(field NoNewPrivs "$helper")" = 1
}

same_packets() { # OUT
	timeout 60 python3 - "$SRCDIR/tests/gen" "$gen" "$1" <<'EOF'
import sys
sys.path.insert(0, sys.argv[1])
import mkpcap
sent = [r[4] for r in mkpcap.read_pcap(sys.argv[2])]
got = [r[4] for r in mkpcap.read_pcap(sys.argv[3])]
if got != sent:
    print('  sent %d, written %d, first difference at #%d' % (len(sent), len(got),
          next((i for i, (a, b) in enumerate(zip(sent, got)) if a != b), min(len(sent), len(got))) + 1))
    sys.exit(1)
print('  %d packets written, identical to those sent, in order' % len(got))
EOF
}

# NAME WANT_UID OUT PREFIX... : runs PREFIX... CAPSCOPE -i cs1 -w OUT -c N, checks it all.
run_case() {
	local name=$1 want=$2 out=$3 err="$WORKDIR/$1.stderr" main rc=0
	shift 3
	rm -f "$out"
	timeout 60 "$@" -i cs1 -w "$out" -c "$N" 2>"$err" &
	tpid=$!
	if ! main=$(wait_ready "$tpid"); then
		cat "$err"
		bad "$name: capscope and its helper did not start capturing on cs1 within 10 s"
		kill "$tpid" 2>/dev/null || true
		wait "$tpid" 2>/dev/null || true
		tpid=
		return
	fi
	status_checks "$name" "$main" "$want"
	sleep 0.3
	timeout 60 tcpreplay -q -i cs0 --pps 3000 "$gen" >"$WORKDIR/tcpreplay.log" 2>&1 ||
		bad "$name: tcpreplay failed"
	wait "$tpid" || rc=$?
	tpid=
	sed 's/^/  stderr: /' "$err"
	check "$name: capscope exit 0" test "$rc" = 0
	check "$name: no sanitizer report" bash -c "! grep -qE 'Sanitizer|runtime error:' '$err'"
	check "$name: every packet written byte for byte" same_packets "$out"
	check "$name: counters on stderr" grep -qE '[0-9]+ packets? received' "$err"
	check "$name: $out owned by uid $want" test "$(stat -c %u "$out")" = "$want"
}

run_case root 65534 "$WORKDIR/root.pcap" "$CAPSCOPE"
# Headless process attribution: its privileges go to the helper, the rest as above.
helper_caps=000000c000083004 \
	helper_caps_names="CAP_NET_ADMIN, CAP_NET_RAW, CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH, CAP_BPF, CAP_PERFMON" \
	run_case attrib 65534 "$WORKDIR/attrib.pcap" "$CAPSCOPE" --processes
check "attrib: attribution runs through the helper" grep -q "processes: .*(through the capture helper)" "$WORKDIR/attrib.stderr"
if [[ -z "$uid" ]]; then
	part_skipped "sudo, -Z and setcap: no normal user and none could be made"
else
	if command -v sudo >/dev/null; then
		run_case sudo "$uid" "$WORKDIR/sudo.pcap" sudo -u root "$CAPSCOPE"
	else
		echo "note: sudo is not installed: SUDO_UID=$uid SUDO_GID=$gid set as sudo sets them"
		run_case sudo "$uid" "$WORKDIR/sudo.pcap" env SUDO_UID="$uid" SUDO_GID="$gid" \
			SUDO_USER="$user" "$CAPSCOPE"
	fi
	run_case "-Z" "$uid" "$WORKDIR/z.pcap" "$CAPSCOPE" -Z "$user"
	if command -v setcap >/dev/null; then
		capdir=$(mktemp -d /tmp/capscope-privsep.XXXXXX)
		chmod 755 "$capdir"
		cp "$CAPSCOPE" "$capdir/capscope"
		setcap cap_net_raw,cap_net_admin+ep "$capdir/capscope"
		chown "$uid:$gid" "$capdir"
		run_case setcap "$uid" "$capdir/setcap.pcap" setpriv --reuid="$uid" --regid="$gid" \
			--init-groups "$capdir/capscope"
		rm -rf "$capdir"
	else
		part_skipped "setcap: the setcap tool is missing (libcap2-bin)"
	fi
fi

# --replay through the helper: it hands the main process a send-only packet socket; the
# sender runs as nobody (seccomp too) and every frame arrives on cs1 as sent.
replay_case() {
	local out="$WORKDIR/replayed.pcap" err="$WORKDIR/replay.stderr" cap main rc=0 rpid
	timeout 60 "$CAPSCOPE" -i cs1 -w "$out" -c "$N" 2>/dev/null &
	tpid=$!
	wait_ready "$tpid" >/dev/null || { bad "replay: the capture did not start"; return; }
	cap=$tpid
	timeout 60 "$CAPSCOPE" --replay "$gen" -i cs0 --pps 400 >/dev/null 2>"$err" &
	rpid=$!
	sleep 0.7
	main=$(pgrep -P "$rpid" | head -1 || true)
	if [[ -n "$main" ]]; then
		echo "  sender $main: Uid $(uids "$main"), CapEff $(field CapEff "$main"), Seccomp" \
			"$(field Seccomp "$main")"
		check "replay: the sender runs as nobody" test "$(uids "$main")" = "65534 65534 65534 65534"
		check "replay: the sender holds no capability" test "$(field CapEff "$main")" = 0000000000000000
		((seccomp)) && check "replay: the sender has Seccomp 2" test "$(field Seccomp "$main")" = 2
	else
		bad "replay: no sender process found"
	fi
	wait "$rpid" || rc=$?
	check "replay: exit 0" test "$rc" = 0
	wait "$cap" || true
	tpid=
	check "replay: every frame arrived byte for byte" same_packets "$out"
}
replay_case

# Kernel drops counted through the helper.
drops_case() {
	local out="$WORKDIR/drops.pcap" err="$WORKDIR/drops.stderr" main rc=0 many=20000
	timeout 30 python3 "$SRCDIR/tests/gen/mkpcap.py" mixed "$many" -o "$WORKDIR/many.pcap"
	timeout 60 "$CAPSCOPE" -i cs1 -B 1024 -w "$out" 2>"$err" &
	tpid=$!
	main=$(wait_ready "$tpid") || { bad "drops: capture did not start"; return; }
	kill -STOP "$main"
	timeout 60 tcpreplay -q -i cs0 --topspeed "$WORKDIR/many.pcap" >/dev/null 2>&1 || true
	timeout 60 tcpreplay -q -i cs0 --topspeed "$WORKDIR/many.pcap" >/dev/null 2>&1 || true
	kill -CONT "$main"
	sleep 1.5
	kill -INT "$main"
	wait "$tpid" || rc=$?
	tpid=
	sed 's/^/  stderr: /' "$err"
	local written dropped received
	written=$(python3 -c "import sys; sys.path.insert(0, '$SRCDIR/tests/gen'); import mkpcap; print(len(list(mkpcap.read_pcap('$out'))))")
	dropped=$(grep -oE '[0-9]+ packets? dropped by (the )?kernel' "$err" | grep -oE '^[0-9]+' || echo 0)
	received=$(grep -oE '[0-9]+ packets? received' "$err" | head -1 | grep -oE '^[0-9]+' || echo 0)
	echo "  written $written, received $received, kernel drops $dropped (sent $((2 * many)))"
	check "drops: capscope exit 0 after SIGINT" test "$rc" = 0
	check "drops: kernel drops counted (> 0)" test "${dropped:-0}" -gt 0
	check "drops: written + dropped = sent" test "$((written + dropped))" = "$((2 * many))"
}
drops_case
check_summary
