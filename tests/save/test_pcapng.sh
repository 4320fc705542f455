#!/usr/bin/env bash
# test_pcapng.sh - `-w` in pcapng, checked by Wireshark's tools reading the files back.
# From files (no privileges):
#   - `capscope -r F.pcap --pcapng -w G`: capinfos says pcapng with F's packet count and
#     capscope as the application; tshark gives the same frame.time_epoch and frame.len for
#     every packet of F and G, and `editcap -F pcap G` is byte for byte F;
#   - a nanosecond capture (generated here) keeps its nanoseconds (capinfos: nanoseconds;
#     tshark's 9-digit times equal);
#   - -w FILE.pcapng chooses pcapng, -w FILE.pcap stays pcap, --pcapng needs -w;
#   - -C rotation: every file is pcapng and together they hold every packet;
#   - no process is known for a file source: no packet gets a comment.
# Live, in a private network namespace (root; else that part is reported as skipped):
#   - known processes (a Python TCP client and server, a UDP sender) talk over lo while
#     `capscope -i lo --pcapng -w F -T fields -e frame.number -e process.pid` runs:
#     capinfos shows pcapng, the interface name lo, a statistics block and the number of
#     packets capscope said it captured; tshark's
#     frame.comment says "Process: python3[PID]" with the PID of one of those processes for
#     every packet of the TCP connection and the UDP datagrams (they live well over 50 ms);
#   - `capscope -r F -T fields -e frame.number -e process.pid` prints exactly the lines the
#     live capture printed, the pids equal those in the comments, and
#     -Y 'process.name == "python3"' keeps exactly the commented packets;
#   - `capscope -r F -w G.pcapng` writes G with F's comments.
# Exit: 0 pass, 1 fail, 77 skipped (tools missing).
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
source "$SRCDIR/tests/lib/netns.sh"
source "$SRCDIR/tests/lib/check.sh"
NETNS_SCRIPT=$0
W=$WORKDIR
mkdir -p "$W"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

# ---------------------------------------------------------------- live, inside the netns
live_part() {
	local f="$W/live.pcapng" pids=() cap
	trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done' EXIT
	timeout 5 ip link set lo up || { bad "cannot bring lo up"; return 1; }
	rm -f "$f"
	timeout -k 5 60 "$CAPSCOPE" -i lo --pcapng -w "$f" -T fields -e frame.number \
		-e process.pid >"$W/live.txt" 2>"$W/live.err" &
	cap=$!
	pids+=("$cap")
	for _ in $(seq 50); do # until its packet socket is bound (lo is ifindex 1)
		awk 'NR > 1 && $5 == 1 {f = 1} END {exit !f}' /proc/net/packet && break
		sleep 0.1
	done
	sleep 0.3
	# each process prints its own pid; the connection and the datagrams last over 50 ms
	timeout 20 python3 - >"$W/procs.txt" <<'PY'
import os, socket, subprocess, sys, time
server = subprocess.Popen([sys.executable, "-c", """
import os, socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 5555)); s.listen(); print(os.getpid(), flush=True)
c, _ = s.accept(); c.recv(100); time.sleep(0.1); c.sendall(b"pong" * 10); time.sleep(0.2); c.close()
"""], stdout=subprocess.PIPE, text=True)
print("server", server.stdout.readline().strip(), flush=True)
client = subprocess.Popen([sys.executable, "-c", """
import os, socket, time
print(os.getpid(), flush=True)
s = socket.create_connection(("127.0.0.1", 5555)); time.sleep(0.1); s.sendall(b"ping" * 10)
s.recv(100); time.sleep(0.2); s.close()
"""], stdout=subprocess.PIPE, text=True)
print("client", client.stdout.readline().strip(), flush=True)
udp = subprocess.Popen([sys.executable, "-c", """
import os, socket, time
print(os.getpid(), flush=True)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0))
for i in range(5):
    s.sendto(b"x" * 20, ("127.0.0.1", 9)); time.sleep(0.05)
time.sleep(0.2)
"""], stdout=subprocess.PIPE, text=True)
print("udp", udp.stdout.readline().strip(), flush=True)
for p in (client, server, udp):
    p.wait(timeout=10)
PY
	sleep 0.5
	kill -INT "$cap"
	timeout 20 tail --pid="$cap" -f /dev/null
	wait "$cap"
	local rc=$?
	grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$W/live.err" &&
		{ cat "$W/live.err"; bad "live capture: sanitizer report"; }
	((rc == 0)) && ok "live capture ended cleanly" || { cat "$W/live.err"; bad "live capture: exit $rc"; }
	cat "$W/procs.txt"

	local info
	info=$(timeout 30 capinfos "$f" 2>&1)
	grep -q 'pcapng' <<<"$info" && ok "capinfos: pcapng" || bad "capinfos: not pcapng: $info"
	grep -q 'Name = lo' <<<"$info" && ok "capinfos: interface name lo" || bad "no if_name lo: $info"
	grep -q "Capture comment: *capscope: each packet's process is its comment" <<<"$info" &&
		ok "capinfos: the section says its packets were attributed" ||
		bad "no section comment: $info"
	grep -q 'Number of stat entries = 1' <<<"$info" && ok "capinfos: a statistics block" ||
		bad "no statistics block: $info"
	local said n_file
	said=$(sed -nE 's/^([0-9]+) packets captured$/\1/p' "$W/live.err")
	n_file=$(timeout 30 capinfos -c -M "$f" | sed -n 's/^Number of packets: *//p')
	[[ -n "$said" && "$said" == "$n_file" ]] && ok "capinfos: the $n_file packets capscope said it captured" ||
		bad "capscope said '$said' packets captured, capinfos counts '$n_file'"

	# every TCP packet on port 5555 and every UDP datagram to port 9: a known pid in its comment
	timeout 30 tshark -n -r "$f" -T fields -E separator=';' -e frame.number -e tcp.port \
		-e udp.dstport -e icmp.type -e frame.comment >"$W/comments.txt" 2>/dev/null
	if timeout 30 python3 - "$W/procs.txt" "$W/comments.txt" "$W/live.txt" >"$W/rt.txt" <<'PY'; then
import re, sys
procs = dict(line.split() for line in open(sys.argv[1]))
known = {procs["server"], procs["client"], procs["udp"]}
bad, attributed, flows = 0, {}, 0
for line in open(sys.argv[2]):
    num, tport, uport, icmp, comment = line.rstrip("\n").split(";", 4)
    if icmp:  # the kernel's port unreachable quotes the datagram: no process sent it
        continue
    m = re.match(r"Process: python3\[(\d+)\]\\nPID: (\d+)\\n", comment)
    if m:
        attributed[num] = m.group(2)
    if "5555" in tport.split(",") or uport == "9":
        flows += 1
        if not m or m.group(1) != m.group(2) or m.group(2) not in known:
            bad += 1
            print(f"frame {num}: comment {comment[:60]!r}, want one of {sorted(known)}")
        if uport == "9" and m and m.group(2) != procs["udp"]:
            bad += 1
            print(f"frame {num}: UDP datagram attributed to {m.group(2)}, sent by {procs['udp']}")
live = {}
for line in open(sys.argv[3]):
    num, pid = (line.rstrip("\n").split("\t") + [""])[:2]
    live[num] = pid
for num, pid in attributed.items():
    if live.get(num) != pid:
        bad += 1
        print(f"frame {num}: comment pid {pid}, the live capture printed {live.get(num)!r}")
print(f"{flows} packets of the known flows, {len(attributed)} with a process comment")
sys.exit(1 if bad or flows < 12 else 0)
PY
		ok "tshark: every packet of the known flows has 'Process: python3[PID]' of its process ($(tail -1 "$W/rt.txt"))"
	else
		cat "$W/rt.txt"
		bad "tshark: process comments"
	fi

	# read back: the same lines as the live capture printed
	timeout 30 "$CAPSCOPE" -r "$f" -T fields -e frame.number -e process.pid >"$W/back.txt" 2>"$W/back.err"
	if cmp -s "$W/live.txt" "$W/back.txt" && [[ -s "$W/back.txt" ]]; then
		ok "capscope -r: process.pid of every packet equals the live capture's ($(wc -l <"$W/back.txt") lines)"
	else
		diff "$W/live.txt" "$W/back.txt" | head -20
		bad "capscope -r: process.pid differs from the live capture's"
	fi
	local n_comm n_filt
	n_comm=$(awk -F';' '$5 ~ /^Process: python3\[/' "$W/comments.txt" | wc -l)
	n_filt=$(timeout 30 "$CAPSCOPE" -r "$f" -Y 'process.name == "python3"' -T fields -e frame.number 2>/dev/null | wc -l)
	((n_comm > 0 && n_comm == n_filt)) && ok "-Y 'process.name == \"python3\"' keeps the $n_filt commented packets" ||
		bad "-Y kept $n_filt packets, $n_comm have a python3 comment"
	# -r A.pcapng -w B.pcapng carries the comments over (they are written again from the
	# processes read back)
	timeout 30 "$CAPSCOPE" -r "$f" -w "$W/copy.pcapng" 2>/dev/null
	if cmp -s <(cut -d';' -f5- "$W/comments.txt") \
		<(timeout 30 tshark -n -r "$W/copy.pcapng" -T fields -e frame.comment 2>/dev/null); then
		ok "-r F.pcapng -w G.pcapng: G's comments are F's"
	else
		bad "-r F.pcapng -w G.pcapng changed the comments"
	fi
	((failed == 0))
}

if [[ "${CAPSCOPE_IN_NETNS:-}" == 1 ]]; then
	live_part
	rc=$?
	check_summary >/dev/null
	exit $rc
fi

# ---------------------------------------------------------------- files
[[ -n "${CAPSCOPE:-}" && -x "$CAPSCOPE" ]] ||
	{ echo "SKIP: CAPSCOPE (the built binary) is not set or not executable: '${CAPSCOPE:-}'"; exit 77; }
for tool in tshark capinfos editcap python3; do
	command -v $tool >/dev/null || { echo "SKIP: $tool is missing"; exit 77; }
done

timeout 60 python3 "$SRCDIR/tests/gen/mkpcap.py" mixed 2000 -o "$W/mixed.pcap" >/dev/null
# a nanosecond pcap: magic a1b23c4d, times with all nine digits
timeout 30 python3 - "$W/nano.pcap" <<'PY'
import struct, sys
out = open(sys.argv[1], "wb")
out.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 65535, 1))
for i in range(50):
    pkt = bytes(range(14)) + bytes((i * 7 + j) & 255 for j in range(46 + i))
    out.write(struct.pack("<IIII", 1700000000 + i, 123456789 + i * 1001, len(pkt), len(pkt) + i))
    out.write(pkt)
PY

fields() { timeout 60 tshark -n -r "$1" -T fields -e frame.time_epoch -e frame.len -e frame.cap_len 2>/dev/null; }
for src in mixed nano; do
	g="$W/$src-out.pcapng"
	rm -f "$g"
	timeout 60 "$CAPSCOPE" -r "$W/$src.pcap" --pcapng -w "$g" 2>"$W/err" ||
		{ cat "$W/err"; bad "$src: capscope -r --pcapng -w failed"; continue; }
	info=$(timeout 30 capinfos -M "$g" 2>&1)
	want=$(timeout 30 capinfos -M -c "$W/$src.pcap" | sed -n 's/^Number of packets: *//p')
	grep -q 'File type: .*pcapng' <<<"$info" && grep -q "Number of packets: *$want\$" <<<"$info" &&
		grep -q "Capture application: *capscope" <<<"$info" &&
		ok "$src: capinfos says pcapng, $want packets, written by capscope" || bad "$src: capinfos: $info"
	prec=micro
	[[ $src == nano ]] && prec=nano
	grep -q "precision: *${prec}seconds" <<<"$info" && ok "$src: ${prec}second precision kept" ||
		bad "$src: precision: $(grep -i precision <<<"$info")"
	if [[ -n "$(fields "$g")" && "$(fields "$g")" == "$(fields "$W/$src.pcap")" ]]; then
		ok "$src: tshark: the same times, lengths and captured lengths for every packet"
	else
		bad "$src: tshark shows other times or lengths"
	fi
	timeout 60 editcap -F "$([[ $src == nano ]] && echo nsecpcap || echo pcap)" "$g" "$W/back.pcap" 2>/dev/null
	# the records byte for byte, and the magic (the precision); editcap's header snaplen is
	# its own choice
	if cmp -s <(tail -c +25 "$W/back.pcap") <(tail -c +25 "$W/$src.pcap") &&
		cmp -s <(head -c 4 "$W/back.pcap") <(head -c 4 "$W/$src.pcap"); then
		ok "$src: editcap back to pcap gives the same records, byte for byte"
	else
		bad "$src: editcap back to pcap differs from the source"
	fi
	n=$(timeout 60 tshark -n -r "$g" -Y frame.comment 2>/dev/null | wc -l)
	((n == 0)) && ok "$src: no comments (no process is known for a file)" || bad "$src: $n packets with comments"
	n=$(timeout 60 "$CAPSCOPE" -r "$g" -T fields -e process.unattributed -e process.pid 2>/dev/null | tr -d '\t\n' | wc -c)
	((n == 0)) && ok "$src: read back, no packet is said attributed or not (nothing is known)" ||
		bad "$src: process fields on a file that says nothing of processes"
done

rm -f "$W/suffix.pcapng" "$W/suffix.pcap"
timeout 30 "$CAPSCOPE" -r "$W/mixed.pcap" -w "$W/suffix.pcapng" &&
	timeout 30 "$CAPSCOPE" -r "$W/mixed.pcap" -w "$W/suffix.pcap"
t1=$(timeout 30 capinfos -t -M "$W/suffix.pcapng" | tail -1)
t2=$(timeout 30 capinfos -t -M "$W/suffix.pcap" | tail -1)
[[ "$t1" == *pcapng* && "$t2" != *pcapng* && "$t2" == *pcap* ]] &&
	ok "-w FILE.pcapng writes pcapng, -w FILE.pcap pcap" || bad "suffix: '$t1' / '$t2'"
msg=$(timeout 10 "$CAPSCOPE" -r "$W/mixed.pcap" --pcapng 2>&1 >/dev/null)
rc=$?
((rc == 2)) && [[ "$msg" == *"--pcapng goes with -w FILE"* ]] && ok "--pcapng without -w: exit 2, '$msg'" ||
	bad "--pcapng without -w: exit $rc, '$msg'"

# As root, capscope -r reads and writes as nobody (issue 14): the rotated files (not made
# before the drop, as a single -w file is) go in a folder nobody may write to.
rm -rf "$W/rot" && mkdir -m 777 "$W/rot"
timeout 60 "$CAPSCOPE" -r "$W/mixed.pcap" -w "$W/rot/rot.pcapng" -C 1 2>"$W/err" || { cat "$W/err"; bad "-C failed"; }
files=("$W"/rot/rot.pcapng*)
total=0 allng=1
for x in "${files[@]}"; do
	[[ "$(timeout 30 capinfos -t -M "$x" | tail -1)" == *pcapng* ]] || allng=0
	total=$((total + $(timeout 30 capinfos -c -M "$x" | sed -n 's/^Number of packets: *//p')))
done
((${#files[@]} > 1 && allng && total == 2000)) &&
	ok "-C 1: ${#files[@]} files, each pcapng, $total packets in all" ||
	bad "-C 1: ${#files[@]} files, all pcapng: $allng, $total packets"

if netns_possible python3 tshark capinfos; then
	if netns_run 120 -n; then ok "the live part"; else bad "the live part"; fi
fi
check_summary
