#!/usr/bin/env bash
# test_privsep_stats.sh - statistics mode through the capture helper (issue 14), hermetic
# (private network namespace, veth cs0/cs1): `capscope --stats -i cs1 --json udp` as plain
# root and as under sudo (SUDO_UID/SUDO_GID of a normal user). While it counts,
# /proc/PID/status: every capscope process but the helper runs as nobody / that user (all
# four uids, not 0) with no capability, NoNewPrivs 1 and, when --version names libseccomp,
# Seccomp 2 (CAPSCOPE_SECCOMP=strict: a call the filter lacks ends it); the helper holds
# CAP_NET_ADMIN + CAP_NET_RAW only. The counts, read back from the helper, are exact: the
# UDP frames tcpreplay sent among others, and their bytes (the rates are
# test_stats_headless's, which runs split too as root).
# Exit: 0 pass, 1 fail, 77 skipped (not root, a tool missing, namespaces unavailable).
set -uo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
K=${STATS_UDP:-400}
PPS=600

source "$SRCDIR/tests/lib/netns.sh"
source "$SRCDIR/tests/lib/check.sh"
source "$SRCDIR/tests/privsep/lib.sh"
NETNS_SCRIPT=$0
netns_enter 120 -n tcpreplay python3 pgrep

# ------------------------------------------------------------ inside the private namespace
netns_veth
mkdir -p "$WORKDIR"
read -r k bytes < <(python3 "$SRCDIR/tests/stats/gen_stats.py" "$K" 2 "$WORKDIR/send.pcap") || exit 1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1
export CAPSCOPE_SECCOMP=strict
ifindex=$(ip -o link show dev cs1 | cut -d: -f1)
seccomp=0
"$CAPSCOPE" --version | grep -q 'seccomp: libseccomp' && seccomp=1

# KEY FILE: the sum of KEY over the JSON lines of FILE.
sum_of() { python3 -c 'import json,sys; print(sum(json.loads(l)[sys.argv[1]] for l in open(sys.argv[2])))' "$1" "$2"; }

# NAME WANT_UID [ENV...]
stats_case() {
	local name=$1 want=$2 cs_pid main= helper pid
	shift 2
	"$@" "$CAPSCOPE" --stats -i cs1 --interval 500 --json udp >"$WORKDIR/$want.out" \
		2>"$WORKDIR/$want.err" &
	cs_pid=$!
	for _ in $(seq 50); do
		awk -v ifi="$ifindex" 'NR > 1 && $5 == ifi {f = 1} END {exit !f}' /proc/net/packet && break
		sleep 0.1
	done
	sleep 0.5
	privsep_pair "^$CAPSCOPE --stats"
	if [[ -z "$main" || -z "$helper" ]]; then
		bad "$name: capscope ($main) and its helper ($helper) not both found"
	else
		for pid in $(pgrep -f "^$CAPSCOPE --stats"); do
			[[ "$pid" == "$helper" ]] || unprivileged_checks "$name: capscope $pid" "$pid" "$want"
		done
		check "$name: the helper holds CAP_NET_ADMIN + CAP_NET_RAW only" \
			test "$(field CapEff "$helper")" = 0000000000003000
		check "$name: the helper has NoNewPrivs 1" test "$(field NoNewPrivs "$helper")" = 1
	fi
	timeout 60 tcpreplay -q -i cs0 --pps "$PPS" "$WORKDIR/send.pcap" >/dev/null 2>&1
	sleep 1
	kill -INT "${main:-$cs_pid}" 2>/dev/null
	wait "$cs_pid"
	check "$name: exits 0 on SIGINT" test "$?" = 0
	echo "  stderr: $(tr '\n' ';' <"$WORKDIR/$want.err")"
	check "$name: intervals printed as JSON" grep -q '"packets":' "$WORKDIR/$want.out"
	check "$name: the intervals read back from the helper sum to $k UDP frames" \
		test "$(sum_of packets "$WORKDIR/$want.out")" = "$k"
	check "$name: ... and $bytes bytes" test "$(sum_of bytes "$WORKDIR/$want.out")" = "$bytes"
	check "$name: the totals on stderr say so" grep -q "^$k packets counted" "$WORKDIR/$want.err"
	check "$name: no sanitizer report, no system call refused" \
		bash -c "! grep -qE 'Sanitizer|runtime error|seccomp: system call' '$WORKDIR/$want.err'"
}

stats_case "as root" 65534
privsep_user
if [[ -n "$uid" ]]; then
	stats_case "under sudo" "$uid" env SUDO_UID="$uid" SUDO_GID="$gid"
else
	part_skipped "under sudo: no normal user and none could be made"
fi
check_summary
