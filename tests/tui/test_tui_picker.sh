#!/usr/bin/env bash
# test_tui_picker.sh - the adapter picker on the real binary in tmux.
#
# As root, inside a private network namespace (only lo, plus a veth pair cs0/cs1 made here;
# nothing touches the machine's real interfaces): capscope with no arguments lists lo, cs0 and
# cs1 with flags and addresses; expanding cs0 (Right) shows its netmask and broadcast; traffic
# sent out of cs0 moves its packets/s column; Enter on cs1 starts a live capture that sees that
# traffic; q asks before discarding the captured packets; Space marks cs0 and cs1 ('*') and
# Enter captures on both at once (the status bar shows both, the Interface column appears).
# As an unprivileged user (root drops to nobody with setpriv; a non-root runner is already
# one): the picker says why capture is not permitted, offers the demo capture, and Enter opens
# it; a failing "-i lo" opens the picker with the reason.
# Exit: 0 pass, 1 fail, 77 skipped (tmux missing, or neither part could run).
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
source "$SRCDIR/tests/tui/lib.sh"
source "$SRCDIR/tests/lib/netns.sh"
NETNS_SCRIPT=$0

[[ -n "${CAPSCOPE:-}" && -x "$CAPSCOPE" ]] || skip "CAPSCOPE (the built binary) is not set"
command -v tmux >/dev/null || skip "tmux is missing"
export TMPDIR="${TMPDIR:-/tmp}"

# The row of an adapter in the list: "  3  cs0  up,run  EN10MB  198.18.99.1 ..."
adapter_row() { tui_screen | grep -E "^ +[0-9]+  $1 "; }
adapter_number() { adapter_row "$1" | awk '{print $1}'; }
# Selects adapter number $1 (every list item is an adapter when capture is permitted).
select_adapter() {
	tui_keys Home
	for ((i = 1; i < $1; i++)); do tui_keys Down; done
}
row_has() { adapter_row "$1" | grep -Eq -- "$2"; }
# The packets/s figure at the end of an adapter's row is above zero.
rate_up() { [[ "$(adapter_row "$1" | awk '{print $NF}')" =~ ^[0-9]+[kM]?$ ]] &&
	[[ "$(adapter_row "$1" | awk '{print $NF}')" != 0 ]]; }
rate_moves() {
	local deadline=$((SECONDS + 8))
	while ((SECONDS < deadline)); do
		rate_up "$1" && return 0
		sleep 0.3
	done
	return 1
}
shown_above_zero() {
	local deadline=$((SECONDS + 10)) c
	while ((SECONDS < deadline)); do
		c=$(tui_counts)
		[[ -n "$c" && "${c%% *}" -gt 0 ]] && return 0
		sleep 0.2
	done
	return 1
}

# ---------------------------------------------------------------- root, in a private netns
netns_part() {
	mkdir -p "$WORKDIR"
	netns_veth
	ip link set lo up
	ip addr add 198.18.99.1/24 brd + dev cs0

	tui_start env XDG_STATE_HOME="$WORKDIR/state" "$CAPSCOPE"
	check "no arguments: the picker" tui_wait 'Choose an adapter' 15
	check "lo is listed, up and loopback, 127.0.0.1" row_has lo 'up,run,loop .*127\.0\.0\.1'
	check "cs0 is listed, up, 198.18.99.1" row_has cs0 'up.* 198\.18\.99\.1'
	check "cs1 is listed, up" row_has cs1 ' up'
	check "descriptions or their absence are shown" tui_wait 'No description available' 2
	check "a packets/s column where capture is permitted" tui_wait 'packets/s' 2

	local n0 n1
	n0=$(adapter_number cs0)
	n1=$(adapter_number cs1)
	select_adapter "$n0"
	tui_keys Right
	check "cs0 expanded: netmask 255.255.255.0" tui_wait 'inet +198\.18\.99\.1 +netmask 255\.255\.255\.0' 5
	check "cs0 expanded: broadcast 198.18.99.255" tui_wait 'broadcast 198\.18\.99\.255' 2
	check "cs0 expanded: flags in full" tui_wait 'flags: up, running' 2
	tui_keys Left
	check "Left collapses it" tui_wait_gone 'broadcast 198\.18\.99\.255' 5

	# UDP broadcasts leave through cs0 and arrive on cs1 (nothing needs to answer).
	timeout 60 python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.bind(("198.18.99.1", 0))
while True:
    s.sendto(b"capscope", ("198.18.99.255", 9))
    time.sleep(0.05)
' &
	local gen_pid=$!
	check "traffic on cs0 moves its packets/s" rate_moves cs0

	select_adapter "$n1"
	tui_keys Enter
	check "Enter on cs1: the packet list" tui_wait 'Packets [0-9,]+ shown' 10
	check "cs1's capture sees the traffic" shown_above_zero
	tui_keys q
	check "q asks before discarding a live capture" tui_wait 'Quit and discard [0-9]+ captured packets\? \(y/N\)' 5
	tui_keys n
	check "n keeps running" tui_wait_gone 'Quit and discard' 5
	tui_keys q
	tui_wait 'Quit and discard' 5
	tui_keys y
	check "y quits" tui_wait '^\[exited 0\]' 15

	# Several at once: Space marks, Enter opens every marked adapter.
	tui_start env XDG_STATE_HOME="$WORKDIR/state" "$CAPSCOPE"
	tui_wait 'Choose an adapter' 15
	select_adapter "$n0"
	tui_keys Space
	check "Space marks cs0" tui_wait "^\* +$n0  cs0 " 5
	select_adapter "$n1"
	tui_keys Space
	check "Space marks cs1" tui_wait "^\* +$n1  cs1 " 5
	select_adapter "$n0"
	tui_keys Space
	check "Space again unmarks cs0" tui_wait "^ +$n0  cs0 " 5
	select_adapter "$n0"
	tui_keys Space Enter
	check "Enter captures on both marked adapters (in the list's order)" tui_wait 'cs[01] running  cs[01] running' 10
	check "with an Interface column" tui_wait 'No\. +Time +Interface ' 2
	check "which names them" tui_wait '^ +[0-9]+ +[0-9.]+ +cs[01] ' 10
	tui_keys q
	tui_wait 'Quit and discard' 5
	tui_keys y
	check "y quits (several)" tui_wait '^\[exited 0\]' 15
	kill "$gen_pid" 2>/dev/null
	wait "$gen_pid" 2>/dev/null
	check "no sanitizer reports (namespace part)" tui_no_sanitizer_errors
	echo "$pass $failed" >"$WORKDIR/counts" # the outer run prints the summary
	((failed == 0))
}

if [[ "${CAPSCOPE_IN_NETNS:-}" == 1 ]]; then
	netns_part
	exit $?
fi

# ---------------------------------------------------------------- unprivileged
rm -rf "$WORKDIR" && mkdir -p "$WORKDIR"
chmod 755 "$WORKDIR"
ran=0
as_user=()
if (($(id -u) == 0)); then
	if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
		as_user=(setpriv --reuid=nobody --regid="$(id -gn nobody)" --clear-groups env HOME=/nonexistent)
	else
		part_skipped "the unprivileged part: setpriv or the nobody user is missing"
	fi
fi
if (($(id -u) != 0)) || ((${#as_user[@]})); then
	ran=1
	command -v tcpdump >/dev/null && DEMO_N=$(tcpdump_packets "$SRCDIR/assets/demo.pcap") || DEMO_N=
	tui_start "${as_user[@]}" "$CAPSCOPE"
	if tui_wait 'Choose an adapter' 15 && tui_wait 'packets/s' 1; then
		part_skipped "the unprivileged part: this user may capture (capabilities?)"
	else
		check "unprivileged: says capture is not permitted" tui_wait 'may not capture packets' 5
		check "unprivileged: says what to do (sudo / capabilities)" tui_wait 'sudo setcap cap_net_raw' 2
		check "unprivileged: offers the demo capture" tui_wait '\[ Open the demo capture \]' 2
		tui_keys Enter
		check "unprivileged: Enter opens the demo capture" tui_wait 'Packets [0-9,]+ shown' 10
		[[ -n "$DEMO_N" ]] && check "unprivileged: all $DEMO_N demo packets" tui_wait_counts "$DEMO_N" "$DEMO_N" 20
		tui_keys q
		check "unprivileged: q quits" tui_wait '^\[exited 0\]' 10

		tui_start "${as_user[@]}" "$CAPSCOPE" -i lo
		check "-i lo without permission: the picker" tui_wait 'Choose an adapter' 15
		check "-i lo without permission: the reason" tui_wait "no permission to capture on 'lo'|lo: .*not permitted" 2
		tui_keys q
		tui_wait '^\[exited' 10
	fi
fi

# ---------------------------------------------------------------- root part, re-executed
if netns_possible python3; then
	ran=1
	rc=0
	outer=$WORKDIR
	WORKDIR="$outer/netns"
	netns_run 180 -n || rc=$?
	WORKDIR=$outer
	tui_stop
	if [[ -s "$WORKDIR/netns/counts" ]]; then
		read -r p f <"$WORKDIR/netns/counts"
		pass=$((pass + p))
		failed=$((failed + f))
	else
		echo "FAIL: the namespaced part did not finish (status $rc)"
		failed=$((failed + 1))
	fi
fi
((ran)) || skip "neither the unprivileged nor the root part could run"
tui_finish
