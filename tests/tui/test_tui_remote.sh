#!/usr/bin/env bash
# test_tui_remote.sh - the monitor on a remote source (tests/lib/sshd.sh's far host, tcpdump
# there) and a link that drops: the monitor on ssh://far/cs1 counts the packets replayed on
# the far cs0; the far sshd's session process killed: one line says the source disconnected,
# its packets stay and Ctrl-R reconnects, with what ssh said; the state reads "disconnected";
# the packets stay and decode; Ctrl-R reconnects (no question: nothing is discarded) and the
# packets sent then join the kept ones. Mixed, a local adapter (cs3) and the remote one: the
# Interface column names both, the far link dropped reads "disconnected" while the local
# source goes on capturing, and Ctrl-R reconnects it.
# Run as sudo leaves it, the monitor is split (issue 14) on a remote source too: the process
# that decodes and draws runs as the user without capabilities, NoNewPrivs 1 (and Seccomp 2),
# the capture helper runs ssh for it, and ssh holds no capability.
# The picker: its last line "[ Remote host... ]" asks for the host; the split monitor (its
# seccomp filter forbids exec) lists the far adapters through the helper, marked remote, and
# Enter on cs1 captures there: the packets replayed on the far cs0 are counted.
# Exit: 0 pass, 1 fail, 77 skipped (not root, sshd or a tool missing, no namespaces).
set -uo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"

source "$SRCDIR/tests/lib/netns.sh"
source "$SRCDIR/tests/lib/sshd.sh"
NETNS_SCRIPT=$0
remote_enter 100 tcpreplay tmux tcpdump

# ------------------------------------------------------------ inside the private namespaces
TUI_W=220 # the whole message in the status bar
source "$SRCDIR/tests/tui/lib.sh"
trap 'tui_stop; remote_teardown' EXIT
remote_setup
far_tcpdump_host 300
# the monitor runs as a test user, as under sudo; ssh runs as root (who ran capscope) without
# capabilities, so its keys and configuration stay root's
TUI_ROOT_OWNED=$RDIR
privsep_user

send() { far timeout 60 tcpreplay -q -i cs0 --pps 2000 "$RDIR/send.pcap" >/dev/null 2>&1; }

seccomp=0
"$CAPSCOPE" --version | grep -q 'seccomp: libseccomp' && seccomp=1
# split_checks: the monitor (the capscope process of the user) and the ssh it has run.
split_checks() {
	local main sshp
	main=$(pgrep -u "$uid" -x capscope | head -1)
	sshp=$(pgrep -P "$(pgrep -P "$main" | head -1)" -x ssh | head -1)
	check "split: the monitor runs as uid $uid" test -n "$main"
	[[ -n "$main" ]] && unprivileged_checks "split: the monitor" "$main" "$uid"
	check "split: the helper's ssh runs without capabilities" \
		test -n "$sshp" -a "$(field CapEff "$sshp")" = 0000000000000000
}

tui_start "$CAPSCOPE" -i ssh://far/cs1
check "the remote capture starts" tui_wait 'ssh://far/cs1  running' 15
split_checks
check "tcpdump listens on the far cs1" far_wait_sockets cs1 1
send
check "300 packets captured" tui_wait_counts 300 300 10
sessions=$(sshd_sessions)
check "the far sshd has the capture's session" test -n "$sessions"
kill $sessions 2>/dev/null
check "one line: the packets stay, Ctrl-R reconnects, disconnected after how many, what ssh said" \
	tui_wait 'the packets stay, Ctrl-R reconnects: disconnected after 300 packets from ssh://far/cs1: ssh exited with status 255: Connection to 198.18.0.2 closed by remote host' 10
check "the state reads disconnected" tui_wait 'ssh://far/cs1  disconnected' 2
check "the 300 packets stay" tui_wait_counts 300 300 2
tui_keys End
check "the UI is alive: End selects the last packet, which decodes" \
	tui_wait 'Decode - packet 300 ' 3
tui_keys C-r
check "reconnected: running again, the 300 packets stay" \
	tui_wait 'reconnected: capturing on ssh://far/cs1 again, the 300 packets stay' 15
check "the state reads running" tui_wait 'ssh://far/cs1  running' 2
check "tcpdump listens on the far cs1 again" far_wait_sockets cs1 1
send
check "reconnected: the 300 packets sent then join the 300 kept" tui_wait_counts 600 600 10
tui_keys q
tui_wait 'discard' 3 && tui_keys y
check "q exits 0" tui_wait '\[exited 0\]' 5

# ------------------------------------------- mixed: a local adapter and the remote one at once
netns_veth2
python3 "$SRCDIR/tests/gen/mkpcap.py" mixed 50 -o "$RDIR/local.pcap" >/dev/null || exit 1
NL=$(tcpdump_packets "$RDIR/local.pcap")
send_local() { timeout 30 tcpreplay -q -i cs2 --pps 500 "$RDIR/local.pcap" >/dev/null 2>&1; }
tui_start "$CAPSCOPE" -i cs3 -i ssh://far/cs1
check "mixed: both sources start" tui_wait 'cs3 running  ssh://far/cs1 running' 15
check "mixed: tcpdump listens on the far cs1" far_wait_sockets cs1 1
send_local
send # the last rows on screen: the remote source's
check "mixed: 300 remote and $NL local packets" tui_wait_counts $((300 + NL)) $((300 + NL)) 10
check "mixed: the Interface column names the remote source" \
	tui_wait '^ +[0-9]+ +[0-9.]+ +ssh://far/cs1 ' 2
kill $(sshd_sessions) 2>/dev/null
check "mixed: the remote source reads disconnected, the local one runs" \
	tui_wait 'cs3 running  ssh://far/cs1 disconnected' 10
check "mixed: one line says which, that its packets stay and Ctrl-R reconnects" \
	tui_wait 'ssh://far/cs1 disconnected, its packets stay \(Ctrl-R reconnects\)' 2
send_local
check "mixed: the local source goes on ($NL more)" \
	tui_wait_counts $((300 + 2 * NL)) $((300 + 2 * NL)) 10
tui_keys C-r
check "mixed: Ctrl-R reconnects, both run" tui_wait 'cs3 running  ssh://far/cs1 running' 15
check "mixed: tcpdump listens on the far cs1 again" far_wait_sockets cs1 1
send
check "mixed: the 300 sent then join the rest" \
	tui_wait_counts $((600 + 2 * NL)) $((600 + 2 * NL)) 10
tui_keys q
tui_wait 'discard' 3 && tui_keys y
check "mixed: q exits 0" tui_wait '\[exited 0\]' 5

# ---------------------------------------------------------------- the picker's remote host
tui_start "$CAPSCOPE"
check "the picker opens with its remote host line" tui_wait '\[ Remote host\.\.\. \]' 10
tui_keys End Enter
check "Enter on it asks for the host" tui_wait 'Remote host, \[user@\]host\[:port\]:' 5
tui_keys far Enter
check "the split monitor's picker lists the far adapters, marked remote" \
	tui_wait 'Choose an adapter of ssh://far \(remote\) to capture on' 20
check "the far adapters: cs1 and csr among them" tui_wait ' csr ' 2
check "... and cs1" tui_wait ' cs1 ' 2
# cs1's row number, wherever the far side lists it: Home, then down to it
row=$(tui_screen | grep -oE '[0-9]+  cs1 ' | head -1 | cut -d' ' -f1)
check "cs1 has a row number" test -n "$row"
tui_keys Home
for ((i = 1; i < ${row:-1}; i++)); do
	tui_keys Down
done
tui_keys Enter
check "Enter on cs1 captures there, in the split monitor" tui_wait 'ssh://far/cs1  running' 15
check "tcpdump listens on the far cs1 (picker)" far_wait_sockets cs1 1
send
check "the capture chosen in the picker counts the 300 packets" tui_wait_counts 300 300 10
tui_keys q
tui_wait 'discard' 3 && tui_keys y
check "q exits 0 (picker)" tui_wait '\[exited 0\]' 5
check "no sanitizer report" bash -c "! grep -qE 'Sanitizer|runtime error:' '$WORKDIR'/stderr.*"
tui_finish
