#!/usr/bin/env bash
# test_tui_processes.sh - process attribution in the monitor (issue 13), hermetic: inside a
# private network namespace capscope captures on cs0 (198.18.0.1) in a tmux pane; cs1, the
# veth's other end, is moved into a second namespace (198.18.0.2) where a Python server takes
# TCP and UDP. Two real Python clients with known pids send to it: "csclient", and one that
# names itself "\x1b[31mevil" (prctl PR_SET_NAME) to try to colour the terminal.
# Checked on the real screen:
#   - key P opens the Processes pane: "csclient[PID]" with nonzero bytes and connections, the
#     hostile name shown escaped ("\x1b[31mevil[PID]"), a row for unattributed traffic, and the
#     status bar says how processes are found ("processes: ...");
#   - Enter on csclient's row filters the list: the filter shows "process.pid == PID", the
#     list shows fewer packets than captured, and every row on screen is csclient's (its
#     Process column reads csclient[PID], its ports are the client's);
#   - the shown count equals the client's packets tshark counts in a file the monitor wrote
#     while capturing (its two flows, by port), so no packet of it was missed or added;
#   - the decode pane of a packet shows the Process subtree with the pid;
#   - 50 short-lived connections (5 ms each) of a third client: the share of their packets
#     attributed is reported (not asserted: without eBPF it depends on timing; --immediate
#     through PROCS_TUI_OPTS helps), and never more than it sent;
#   - C turns the Process column off and on;
#   - a file (the pcap written above) and --no-processes: no Process column, and the pane and
#     the status bar say why;
#   - pcapng files with our packet comments (tests/gen/mkpcapng_comments.py): each packet's
#     process in the Process column as the generator says, names escaped as -T fields writes
#     them, and the pane says the processes come from the comments.
# Exit: 0 pass, 1 fail, 77 skipped (not root, a tool missing, namespaces unavailable).
set -uo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"

source "$SRCDIR/tests/lib/netns.sh"
NETNS_SCRIPT=$0
NETNS_EXPORT=PROCS_TUI_OPTS
netns_enter 240 -n tmux python3 nsenter tshark

# ------------------------------------------------------------ inside the private namespace
TUI_W=160
TUI_H=40
source "$SRCDIR/tests/tui/lib.sh"
netns_veth
PEER=$SRCDIR/tests/tui/procs_peer.py
peer_pid=
server_pid=
cleanup() { # every process the test started ends with it
	touch "$WORKDIR/stop"
	[[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null
	[[ -n "$peer_pid" ]] && kill "$peer_pid" 2>/dev/null
	tui_stop
	wait 2>/dev/null
}
trap cleanup EXIT

# The peer's namespace: a process of its own holds it; cs1 moves there.
unshare -n sleep 120 &
peer_pid=$!
sleep 0.3
ip link set cs1 netns "$peer_pid" || { echo "FAIL: cannot move cs1 to the peer namespace"; exit 1; }
ip addr add 198.18.0.1/24 dev cs0
nsenter -t "$peer_pid" -n sh -c 'ip link set lo up && ip addr add 198.18.0.2/24 dev cs1 &&
	ip link set cs1 up' || { echo "FAIL: cannot set up the peer's cs1"; exit 1; }
nsenter -t "$peer_pid" -n timeout 100 python3 "$PEER" server 198.18.0.2 8000,8001,8002 9000,9001 90 &
server_pid=$!
rm -f "$WORKDIR"/pid.* "$WORKDIR/stop" "$WORKDIR/tee.pcap"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1
unset SSH_CONNECTION
# PROCS_TUI_OPTS: more capscope options for measurements (e.g. --immediate)
tui_start "$CAPSCOPE" -i cs0 ${PROCS_TUI_OPTS:-}
check "capture starts on cs0" tui_wait 'cs0.*running' 10
# write while capturing: every packet also goes to tee.pcap, for tshark to count
tui_keys W
check "write-while-capturing prompt" tui_wait 'write new packets to' 5
tui_keys "$WORKDIR/tee.pcap" Enter
check "writing the capture" tui_wait 'writing' 5
sleep 1 # the peer's server is listening

timeout 90 python3 "$PEER" client csclient 198.18.0.2 8000 9000 200 "$WORKDIR/pid.good" \
	"$WORKDIR/stop" &
timeout 90 python3 "$PEER" client $'\x1b[31mevil' 198.18.0.2 8001 9001 10 "$WORKDIR/pid.evil" \
	"$WORKDIR/stop" 2>/dev/null &
timeout 60 python3 "$PEER" short csshort 198.18.0.2 8002 50 5 "$WORKDIR/pid.short" &
for _ in $(seq 50); do
	[[ -s "$WORKDIR/pid.good" && -s "$WORKDIR/pid.evil" && -s "$WORKDIR/pid.short" ]] && break
	sleep 0.1
done
good=$(cat "$WORKDIR/pid.good" 2>/dev/null)
evil=$(cat "$WORKDIR/pid.evil" 2>/dev/null)
short=$(cat "$WORKDIR/pid.short" 2>/dev/null)
[[ -n "$good" && -n "$evil" ]] || { echo "FAIL: the clients did not start"; exit 1; }
echo "csclient pid $good, hostile-name client pid $evil"
sleep 3 # all have sent; the first two keep their sockets open until "stop"

tui_keys P
check "P opens the Processes pane" tui_wait 'Processes \| sort' 5
check "csclient[$good] is listed" tui_wait "csclient\\[$good\\]" 5
row=$(tui_screen | grep -E "^csclient\\[$good\\] " | head -1) # the Processes pane's row
echo "row: $row"
# Columns: Process User bits/s-in bits/s-out Packets Bytes Conns Rate
bytes=$(awk '{print $6}' <<<"$row" | tr -d ,)
conns=$(awk '{print $7}' <<<"$row" | tr -d ,)
check "csclient's bytes are nonzero (at least the 200 KiB it sent)" test "${bytes:-0}" -ge 204800
check "csclient has 2 connections (its TCP and UDP flows)" test "${conns:-0}" -eq 2
check "the hostile name is shown escaped" tui_wait "\\\\x1b\\[31mevil\\[$evil\\]" 3
check "no raw escape byte reaches the screen" \
	bash -c "! tmux -L $TUI_SOCK capture-pane -p -t t | grep -q $'\x1b'"
check "a row for unattributed traffic" tui_wait '\(unattributed\)' 3
check "the status bar says how processes are found" tui_wait 'processes: ' 3

# csclient sent the most bytes: first once sorted by bytes (s: rate, bytes, ...)
tui_keys s
check "sorted by bytes" tui_wait 'sort: bytes' 3
tui_keys g Enter
check "Enter filters the list to csclient" tui_wait "filter: process\\.pid == $good" 5
touch "$WORKDIR/stop" # the clients close their sockets and exit
sleep 1
read -r shown total <<<"$(tui_counts)"
echo "shown $shown of $total"
check "fewer packets shown than captured" test "${shown:-0}" -gt 0 -a "${shown:-0}" -lt "${total:-0}"
list=$(tui_screen | sed -n '3,16p' | grep -E '^ *[0-9]+ ')
others=$(grep -vF "csclient[$good]" <<<"$list" | grep -c . || true)
rows=$(grep -c . <<<"$list" || true)
check "every shown row ($rows) is csclient's (Process column)" test "$rows" -gt 0 -a "$others" -eq 0

# Short-lived connections (50 of 5 ms): without eBPF (this build has none, or it may not
# load) some of their packets come before the socket is seen or after it is gone; the share
# attributed is reported, not asserted (issue 13); none may go to another process.
srow=$(tui_screen | grep -E "^csshort\\[$short\\] " | head -1)
sgot=$(awk '{print $5}' <<<"$srow" | tr -d ,)
swant=$(tshark -n -r "$WORKDIR/tee.pcap" -Y 'tcp.port == 8002' 2>/dev/null | grep -c .)
echo "short-lived connections: ${sgot:-0} of $swant packets attributed to csshort[$short]${PROCS_TUI_OPTS:+ (options: $PROCS_TUI_OPTS)}"
check "short-lived: no more packets given to csshort than it had" test "${sgot:-0}" -le "$swant"

# The monitor wrote every packet to tee.pcap: csclient's are those of its two flows, which
# no other process used (ports 8000 and 9000 at the server).
tui_keys W
check "writing stops" tui_wait 'stopped writing' 5
want=$(tshark -n -r "$WORKDIR/tee.pcap" -Y 'tcp.port == 8000 || udp.port == 9000' 2>/dev/null |
	grep -c .)
echo "tshark: $want packets of csclient's flows in the written file"
check "the filter shows exactly csclient's $want packets" test "$shown" = "$want"

# C: the Process column off, then on again (the list's rows: lines 3 to 16)
screen_lacks() { ! tui_screen | grep -q -- "$1"; }
screen_has() { tui_screen | grep -qF -- "$1"; }
list_has() { tui_screen | sed -n '3,16p' | grep -q -- "$1"; }
list_lacks() { sleep 0.5; ! list_has "$1"; }
tui_keys -l C
check "C hides the Process column" list_lacks "csclient\\[$good\\]"
tui_keys -l C
check "C shows it again" tui_wait "^ +[0-9]+ .*csclient\\[$good\\]" 3

# the decode pane: the Process subtree of the selected packet (P hides the Processes pane);
# G goes to its last line, where the Process layer is
decode_has() { tui_screen | sed -n '/Decode - packet/,/Hex - /p' | grep -Eq -- "$1"; }
decode_wait() { for _ in $(seq 30); do decode_has "$1" && return 0; sleep 0.1; done; return 1; }
tui_keys P g Enter
check "the decode pane is open" tui_wait 'Decode - packet' 5
tui_keys G
check "the decode pane shows the Process layer" decode_wait '^[-+] Process'
check "... with the pid $good" decode_wait "Process ID: $good\\b"
check "... and the command csclient" decode_wait 'Command: csclient'

# The unattributed row: Enter shows the packets no process owns (ARP, the peer's IPv6 router
# solicitations, short-lived packets missed...), none of the two long-lived clients'.
tui_keys P
check "the Processes pane again" tui_wait 'Processes \| sort: bytes' 5
sleep 0.6 # a re-sort at most twice a second: the rows stay put after it
k=$(tui_screen | sed -n '/^Process  *User/,$p' | grep -n '^(unattributed)' | cut -d: -f1)
tui_keys g
for _ in $(seq $((${k:-1} - 2))); do tui_keys Down; done
tui_keys Enter
check "Enter on (unattributed) filters with !process.pid" tui_wait 'filter: !process\.pid' 5
sleep 0.5
read -r shown total <<<"$(tui_counts)"
clients=$(tshark -n -r "$WORKDIR/tee.pcap" -Y 'tcp.port in {8000, 8001} || udp.port in {9000, 9001}' \
	2>/dev/null | grep -c .)
echo "unattributed: shown $shown of $total, the clients' packets in the file: $clients"
check "the unattributed packets are all but the clients'" test "$shown" -gt 0 -a \
	"$shown" -le "$((total - clients))"
list=$(tui_screen | sed -n '3,16p' | grep -E '^ *[0-9]+ ')
no_process_named() { ! grep -Eq '\[[0-9]+\]' <<<"$list"; }
check "no shown row names a process" no_process_named

tui_keys q
tui_wait 'discard' 3 && tui_keys y
check "quit exits 0" tui_wait '\[exited 0\]' 5

# A file has no sockets to ask about: without comments of ours (a pcap file) no Process
# column, and the pane says why.
tui_start "$CAPSCOPE" -r "$WORKDIR/tee.pcap"
check "file: opened" tui_wait 'tee.pcap.*done' 10
check "file: no Process column" screen_lacks 'Length Process'
tui_keys P
check "file: the Processes pane says the file names no process" \
	tui_wait "processes: none in this file's comments" 5
tui_keys q
check "file: quit exits 0" tui_wait '\[exited 0\]' 5

# A pcapng file capscope wrote with --pcapng gives its packets' processes back from their
# comments (tests/gen/mkpcapng_comments.py: "good", and "forged" with an ESC sequence in the
# name); the pids each packet must show come from the generator (--expect).
gen=$SRCDIR/tests/gen/mkpcapng_comments.py
for case in good forged marked; do
	python3 "$gen" "$case" -o "$WORKDIR/$case.pcapng" || { bad "mkpcapng_comments.py $case"; continue; }
	mapfile -t want < <(python3 "$gen" "$case" --expect)
	tui_start "$CAPSCOPE" -r "$WORKDIR/$case.pcapng"
	check "$case.pcapng: opened" tui_wait "$case.pcapng.*done" 10
	for i in "${!want[@]}"; do
		line=$(tui_screen | grep -E "^ +$((i + 1)) ")
		if [[ -n "${want[$i]}" ]]; then
			check "$case.pcapng: packet $((i + 1)) shows [${want[$i]}]" grep -qF "[${want[$i]}]" <<<"$line"
		else
			no_process_named() { ! grep -Eq '\[[0-9]+\]' <<<"$line"; }
			check "$case.pcapng: packet $((i + 1)) shows no process" no_process_named
		fi
	done
	tui_keys P
	check "$case.pcapng: the pane says where processes come from" \
		tui_wait "processes: from the file's packet comments" 5
	check "$case.pcapng: no raw escape byte reaches the screen" screen_lacks $'\x1b'
	# the names as the headless reader escapes them (-T fields), on screen as they are
	while read -r name; do
		check "$case.pcapng: the name '$name' is shown as -T fields writes it" screen_has "$name"
	done < <("$CAPSCOPE" -r "$WORKDIR/$case.pcapng" -T fields -e process.name 2>/dev/null | sort -u | grep .)
	tui_keys q
	check "$case.pcapng: quit exits 0" tui_wait '\[exited 0\]' 5
done

# In "good" a packet without a comment is unknown (no Process layer); in "marked" the file
# says its packets were attributed, so it is "not attributed", as in the live capture.
for case in good marked; do
	mapfile -t want < <(python3 "$gen" "$case" --expect)
	n=0
	for i in "${!want[@]}"; do [[ -z "${want[$i]}" ]] && n=$((i + 1)) && break; done
	((n)) || { bad "$case.pcapng: the generator gives no packet without a process"; continue; }
	tui_start "$CAPSCOPE" -r "$WORKDIR/$case.pcapng"
	check "$case.pcapng: opened again" tui_wait "$case.pcapng.*done" 10
	tui_keys :
	tui_keys "$n" Enter Enter
	check "$case.pcapng: the decode pane shows packet $n" tui_wait "Decode - packet $n" 5
	tui_keys G
	if [[ $case == marked ]]; then
		check "marked.pcapng: packet $n is marked not attributed" decode_wait 'Not attributed'
	else
		no_layer() { sleep 0.5; ! decode_has '^[-+] Process'; }
		check "good.pcapng: packet $n has no Process layer" no_layer
	fi
	tui_keys q
	check "$case.pcapng: quit exits 0" tui_wait '\[exited 0\]' 5
done

# --no-processes: nothing is attributed, and the pane says so.
tui_start "$CAPSCOPE" -i cs0 --no-processes
check "--no-processes: capture starts" tui_wait 'cs0.*running' 10
tui_keys P
check "--no-processes: the pane says attribution is off" tui_wait 'processes: off \(--no-processes\)' 5
check "--no-processes: no Process column" screen_lacks 'Length Process'
tui_keys q
tui_wait 'discard' 3 && tui_keys y
check "--no-processes: quit exits 0" tui_wait '\[exited 0\]' 5
tui_finish
