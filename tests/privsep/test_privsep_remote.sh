#!/usr/bin/env bash
# test_privsep_remote.sh - privilege separation of remote sources (issues 14 and 16): an OpenSSH
# server in a far network namespace (tests/lib/sshd.sh), capscope run as root and as sudo leaves
# it (SUDO_UID/SUDO_GID of a normal user, set by the test as sudo would) with
#   -i ssh://far/cs1 -c N -w FILE   while tcpreplay sends N packets on the far cs0;
# while it runs, from /proc/PID/status: the main process has Uid != 0 (all four), CapEff,
# CapPrm, CapInh, CapAmb 0, NoNewPrivs 1 and (built with libseccomp) Seccomp 2; the capture
# helper (its child) holds no capability at all (a remote source needs none here) and
# NoNewPrivs 1; ssh (the helper's child) runs as the user capscope was run as (root here)
# with CapEff and CapPrm 0 and NoNewPrivs 1. After it: the file holds what a far tcpdump on
# cs1 got, byte for byte, owned by the user the main process became.
# A mixed run (-i csl -i ssh://far/cs1), a local one for the helper: writing pcap, it keeps
# CAP_NET_ADMIN + CAP_NET_RAW (0x3000) for the local source; writing pcapng, process
# attribution too (0xc000083004, as test_privsep_live.sh); the main process and ssh the same
# as above.
# The main process killed (SIGKILL) during a remote capture: the helper and its ssh end too.
# -D ssh://far as root: listed through the helper (exit 0, csr listed).
# Exit: 0 pass, 1 fail, 77 skipped (not root, sshd or a tool missing, no namespaces).
set -uo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"

source "$SRCDIR/tests/lib/netns.sh"
source "$SRCDIR/tests/lib/sshd.sh"
NETNS_SCRIPT=$0
remote_enter 120 tcpreplay tcpdump

# ------------------------------------------------------------ inside the private namespaces
source "$SRCDIR/tests/lib/check.sh"
source "$SRCDIR/tests/privsep/lib.sh"
trap remote_teardown EXIT
remote_setup
N=200
export CAPSCOPE_REMOTE_TIMEOUT=20 CAPSCOPE_SECCOMP=strict
far_tcpdump_host "$N"
seccomp=0
"$CAPSCOPE" --version | grep -q 'seccomp: libseccomp' && seccomp=1
privsep_user
nobody=$(id -u nobody)

# procs TIMEOUT_PID: sets main, helper and sshp (capscope, its helper, the helper's ssh), or
# returns 1 when they are not all there within 10 s.
procs() {
	local i
	for ((i = 0; i < 100; i++)); do
		main=$(pgrep -P "$1" | head -1 || true)
		helper=${main:+$(pgrep -P "$main" | head -1 || true)}
		sshp=${helper:+$(pgrep -P "$helper" -x ssh | head -1 || true)}
		[[ -n "$sshp" ]] && return 0
		sleep 0.1
	done
	return 1
}

# split_checks NAME WANT_UID HELPER_CAPS: the three processes of a running capture.
split_checks() {
	local name=$1 want=$2 caps=$3
	unprivileged_checks "$name: main" "$main" "$want"
	echo "  helper $helper: Uid $(uids "$helper"), CapEff $(field CapEff "$helper"), NoNewPrivs" \
		"$(field NoNewPrivs "$helper")"
	echo "  ssh $sshp: Uid $(uids "$sshp"), CapEff $(field CapEff "$sshp"), CapBnd" \
		"$(field CapBnd "$sshp"), NoNewPrivs $(field NoNewPrivs "$sshp")"
	check "$name: helper CapEff is $caps" test "$(field CapEff "$helper")" = "$caps"
	check "$name: helper CapPrm the same" test "$(field CapPrm "$helper")" = "$caps"
	check "$name: helper NoNewPrivs 1" test "$(field NoNewPrivs "$helper")" = 1
	check "$name: ssh runs as root, who ran capscope" test "$(uids "$sshp")" = "0 0 0 0"
	check "$name: ssh CapEff 0" test "$(field CapEff "$sshp")" = 0000000000000000
	check "$name: ssh CapPrm 0" test "$(field CapPrm "$sshp")" = 0000000000000000
	check "$name: ssh NoNewPrivs 1" test "$(field NoNewPrivs "$sshp")" = 1
}

# remote_case NAME WANT_UID ENV...: a remote capture of N packets, checked while and after.
remote_case() {
	local name=$1 want=$2 out="$RDIR/$1.pcap" err="$RDIR/$1.err" before ref tpid rc=0
	shift 2
	before=$(far_sockets cs1)
	far timeout 60 tcpdump -i cs1 -U -w "$RDIR/$name.ref.pcap" -c "$N" 2>/dev/null &
	ref=$!
	env "$@" timeout 60 "$CAPSCOPE" -i ssh://far/cs1 -c "$N" -w "$out" 2>"$err" &
	tpid=$!
	if ! procs "$tpid" || ! far_wait_sockets cs1 $((before + 2)); then
		bad "$name: the split capture did not start within 10 s: $(cat "$err")"
		kill "$tpid" "$ref" 2>/dev/null
		wait "$tpid" "$ref" 2>/dev/null
		return
	fi
	split_checks "$name" "$want" 0000000000000000
	far timeout 30 tcpreplay -q -i cs0 --pps 2000 "$RDIR/send.pcap" >/dev/null 2>&1
	wait "$tpid" || rc=$?
	wait "$ref"
	sed 's/^/  stderr: /' "$err"
	check "$name: exit 0 after $N packets (exit $rc)" test "$rc" = 0
	check "$name: no sanitizer report, no refused system call" \
		bash -c "! grep -qE 'Sanitizer|runtime error:|seccomp' '$err'"
	check "$name: the packets are the far tcpdump's, byte for byte" \
		python3 "$SRCDIR/tests/remote/pcap_same.py" "$RDIR/$name.ref.pcap" "$out"
	check "$name: $out owned by uid $want" test "$(stat -c %u "$out")" = "$want"
}

remote_case root "$nobody"
if [[ -n "$uid" ]]; then
	remote_case sudo "$uid" SUDO_UID="$uid" SUDO_GID="$gid"
else
	echo "  (no normal user to be had: the sudo case is left out)"
fi

# ---------------------------------------------------------------- mixed: a local source too
# mixed_case NAME OUT HELPER_CAPS: started, checked while it runs, ended with SIGTERM.
mixed_case() {
	local name=$1 err="$RDIR/$1.err" tpid rc
	timeout 60 "$CAPSCOPE" -i csl -i ssh://far/cs1 -w "$RDIR/$2" 2>"$err" &
	tpid=$!
	if ! procs "$tpid"; then
		bad "$name: the split capture did not start within 10 s: $(cat "$err")"
		kill "$tpid" 2>/dev/null
		wait "$tpid" 2>/dev/null
		return
	fi
	split_checks "$name" "$nobody" "$3"
	sleep 1
	kill -TERM "$main"
	wait "$tpid"
	rc=$?
	sed 's/^/  stderr: /' "$err"
	check "$name: SIGTERM ends it, exit 0 (exit $rc)" test "$rc" = 0
	check "$name: no sanitizer report, no refused system call" \
		bash -c "! grep -qE 'Sanitizer|runtime error:|seccomp' '$err'"
}
mixed_case mixed-pcap mixed.pcap 0000000000003000
mixed_case mixed-pcapng mixed.pcapng 000000c000083004

# ---------------------------------------------------------------- the main process killed
timeout 60 "$CAPSCOPE" -i ssh://far/cs1 -w "$RDIR/killed.pcap" 2>"$RDIR/killed.err" &
tpid=$!
if procs "$tpid"; then
	kill -KILL "$main"
	gone() { ! kill -0 "$helper" 2>/dev/null && ! kill -0 "$sshp" 2>/dev/null; }
	for ((i = 0; i < 30; i++)); do gone && break; sleep 0.1; done
	check "main killed: the helper and its ssh end within 3 s" gone
else
	bad "main killed: the split capture did not start within 10 s: $(cat "$RDIR/killed.err")"
fi
kill "$tpid" 2>/dev/null
wait "$tpid" 2>/dev/null

# ---------------------------------------------------------------- the far adapters
timeout 30 "$CAPSCOPE" -D ssh://far >"$RDIR/list.txt" 2>"$RDIR/list.err"
rc=$?
sed 's/^/  stderr: /' "$RDIR/list.err"
check "-D ssh://far as root (split): exits 0 (exit $rc)" test "$rc" = 0
check "-D ssh://far as root (split): lists csr" grep -qE '^[0-9]+\. csr ' "$RDIR/list.txt"
check_summary
