#!/usr/bin/env bash
# test_tui_resolve.sh - key N in the monitor, live and hermetic: capscope -i cs0 in a private
# tmux server inside the network namespaces of tests/net/resolve_ns.sh (a PTR server in the
# peer, given with --resolve-server), UDP datagrams to six peer addresses. Before N no name
# and no lookup; N turns reverse lookups on (a notice) and the packet list shows the PTR
# names; the status line counts the own lookup packets hidden, and a display filter "dns"
# shows none of them (they are not in the list); the conversations' Name columns have the
# names; N again turns them off; the help screen lists key N.
# Exit: 0 pass, 1 fail, 77 skipped (not root, tmux or a tool missing, no namespaces, no c-ares).
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"

source "$SRCDIR/tests/lib/netns.sh"
source "$SRCDIR/tests/net/resolve_ns.sh"
resolve_require_cares
NETNS_SCRIPT=$0
netns_enter 120 -n python3 nsenter tmux

# ---------------------------------------------------------------- inside the private netns
source "$SRCDIR/tests/lib/check.sh"
fail() {
	echo "FAIL: $*"
	exit 1
}
pids=()
SOCK="csr-$$"
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
cleanup() {
	tm kill-server 2>/dev/null
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
}
trap cleanup EXIT
export XDG_STATE_HOME="$WORKDIR/state" # never the user's own

netns_veth
D=$WORKDIR/tui-resolve
rm -rf "$D" && mkdir -p "$D"
# As tests/tui/lib.sh runs the monitor: dropping root's rights as under sudo, to a normal user
# who owns WORKDIR (its state folder takes the capture kept when tmux ends the session), under
# the strict seccomp filter (a call it lacks, of the resolve thread's too, ends capscope).
source "$SRCDIR/tests/privsep/lib.sh"
export CAPSCOPE_SECCOMP=strict
as_user=""
privsep_user
if [[ -n "$uid" ]]; then
	chown -R "$uid:$gid" "$WORKDIR"
	as_user="env SUDO_UID=$uid SUDO_GID=$gid"
fi
resolve_peer_up
resolve_server answer 53 "$D/dns.log"

now_ms() { date +%s%3N; }
screen() { tm capture-pane -p -t 0 2>/dev/null; }
wait_for() { # REGEX [SECONDS]
	local deadline=$(($(now_ms) + ${2:-5} * 1000))
	while (($(now_ms) < deadline)); do
		screen | grep -qE -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
keys() {
	tm send-keys -t 0 "$@"
	sleep 0.3
}
expect() { # REGEX WHAT [SECONDS]
	if wait_for "$1" "${3:-5}"; then ok "$2"; else
		bad "$2: no /$1/"
		screen | head -30
	fi
}

tm new-session -d -x 200 -y 50 \
	"exec $as_user '$CAPSCOPE' -i cs0 --immediate --resolve-server 198.18.0.2 2>'$D/stderr'" ||
	fail "tmux cannot start"
capid=$(tm display -p -t 0 '#{pane_pid}')
resolve_wait_bound "$capid"
addrs=(198.18.0.10 198.18.0.11 198.18.0.12 198.18.0.13 198.18.0.14 198.18.0.2)
timeout 30 python3 "$RESOLVE_PY" send 1 0.1 "${addrs[@]}"
expect '198\.18\.0\.14\.9 ' "the first datagrams are listed with addresses"
keys n
sleep 0.5
if screen | grep -q 'host1[0-4]\.test'; then bad "a PTR name before key N"; else ok "no PTR name before key N"; fi
check "no lookup sent before key N" test "$(grep -vc '^ready' "$D/dns.log")" = 0
keys n
keys N
expect 'reverse lookups on' "key N: the notice says the lookups are on"
timeout 30 python3 "$RESOLVE_PY" send 6 0.5 "${addrs[@]}"
expect 'host14\.test\.discard' "key N: the packet list shows the PTR names (under n, which N sets)" 8
expect 'peer\.test\.discard' "key N: the server's own address is named too" 5
expect 'resolve on, [1-9][0-9]* own lookup packets hidden' "the status line counts the own lookup packets"
nq=$(grep -vc '^ready' "$D/dns.log")
check "the server got the lookups ($nq)" test "$nq" -ge 7
keys /
tm send-keys -t 0 -l 'dns'
keys Enter
sleep 1 # the refilter is done (not a list caught empty at its start)
expect 'Packets 0 shown of' "filter dns: none of the own lookup packets is in the list"
keys /
tm send-keys -t 0 C-u
keys Enter
keys c
expect '198\.18\.0\.13 +host13\.test' "conversations: the PTR name in the Name column"
keys c
keys N
expect 'reverse lookups off' "key N again: off"
expect 'resolve off, [1-9][0-9]* own lookup packets hidden' "the status line keeps the count"
keys '?'
keys End
expect 'reverse \(PTR\) lookups' "the help screen lists key N"
keys Escape q
sleep 0.5
if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:|seccomp: system call' "$D/stderr" 2>/dev/null; then
	bad "sanitizer report or system call refused by seccomp"
	cat "$D/stderr"
fi
check_summary
