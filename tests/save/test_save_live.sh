#!/usr/bin/env bash
# test_save_live.sh - nothing is lost, nothing is claimed: in a private network and mount
# namespace (veth cs0/cs1, a tiny private tmpfs),
#   - SIGHUP (an SSH disconnect), SIGINT and SIGTERM sent to `capscope -i cs1 -w out.pcap`
#     while tcpreplay sends a steady 2000 pps: the file reads back in tcpdump and holds exactly
#     the "N packets captured" that capscope reported, and those are the first N sent, intact;
#   - a full disk: `capscope -r BIG -w tmpfs/out.pcap` and a live capture onto the tmpfs report
#     "No space left on device" at once and exit non-zero.
# Each case runs twice: writing pcap, and writing pcapng (-w out.pcapng, chosen by the suffix),
# whose file capinfos must call pcapng and whose packets are compared after `editcap -F pcap`.
# Exit: 0 pass, 1 fail, 77 skipped (not root, a tool missing, namespaces unavailable).
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"

source "$SRCDIR/tests/lib/netns.sh"
NETNS_SCRIPT=$0
netns_enter 600 "-m -n" tcpreplay tcpdump python3 mount editcap capinfos

# ---------------------------------------------------------------- inside the namespaces
source "$SRCDIR/tests/lib/check.sh"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	true
}
trap cleanup EXIT

netns_veth
# The mount namespace is private: make sure nothing propagates back to the host.
timeout 5 mount --make-rprivate / || { echo "FAIL: cannot make the mounts private"; exit 1; }

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
W=$WORKDIR
timeout 60 python3 "$SRCDIR/tests/gen/mkpcap.py" mixed 20000 -o "$W/m20k.pcap"
ifindex=$(timeout 5 ip -o link show dev cs1 | cut -d: -f1)

# Starts `capscope -i cs1 -w FILE` in the background (pid in $cap) and waits until it is bound.
start_capture() {
	timeout -k 5 60 "$CAPSCOPE" -i cs1 -w "$1" >/dev/null 2>"$W/capture.err" &
	cap=$!
	pids+=("$cap")
	for _ in $(seq 50); do
		awk -v ifi="$ifindex" 'NR > 1 && $5 == ifi {f = 1} END {exit !f}' /proc/net/packet && break
		kill -0 "$cap" 2>/dev/null || break
		sleep 0.1
	done
	sleep 0.5
}
start_stream() { # a steady 2000 pps for up to 10 s, in the background ($tr)
	timeout 20 tcpreplay -q -i cs0 --pps 2000 "$W/m20k.pcap" >/dev/null 2>&1 &
	tr=$!
	pids+=("$tr")
}
sanitizer() { grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$W/capture.err"; }

# The packet records of a pcap or pcapng file, as pcap (mkpcap.read_pcap reads pcap only).
as_pcap() {
	if [[ "$1" == *.pcapng ]]; then
		timeout 60 editcap -F pcap "$1" "$1.as.pcap" 2>/dev/null
		echo "$1.as.pcap"
	else
		echo "$1"
	fi
}
# "yes" when a .pcapng file is pcapng for capinfos (pcap files pass)
format_ok() {
	[[ "$1" != *.pcapng ]] && { echo yes; return; }
	timeout 30 capinfos -t "$1" 2>/dev/null | grep -q pcapng && echo yes || echo no
}

# ---- a signal in the middle of a steady stream
for fmt in pcap pcapng; do
for sig in HUP INT TERM; do
	out="$W/sig-$sig.$fmt"
	rm -f "$out"
	start_capture "$out"
	start_stream
	sleep 2
	kill -"$sig" "$cap"
	rc=0
	timeout 30 tail --pid="$cap" -f /dev/null
	wait "$cap" || rc=$?
	kill "$tr" 2>/dev/null
	wait "$tr" 2>/dev/null
	said=$(sed -nE 's/^([0-9]+) packets captured$/\1/p' "$W/capture.err")
	n_td=$(timeout 30 tcpdump -nn -r "$out" 2>/dev/null | wc -l)
	# The file holds the first $said packets sent, byte for byte.
	same=$(timeout 60 python3 - "$SRCDIR/tests/gen" "$W/m20k.pcap" "$(as_pcap "$out")" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import mkpcap
sent = [r[4] for r in mkpcap.read_pcap(sys.argv[2])]
got = [r[4] for r in mkpcap.read_pcap(sys.argv[3])]
print('yes' if got == sent[:len(got)] else 'no')
PY
)
	fmt_ok=$(format_ok "$out")
	if sanitizer; then
		cat "$W/capture.err"
		bad "$fmt SIG$sig: sanitizer report"
	elif ((rc == 0)) && [[ -n "$said" && "$same" == yes && "$fmt_ok" == yes ]] &&
		((said == n_td && said > 1000)); then
		ok "$fmt SIG$sig: capscope reported $said packets captured; tcpdump reads $n_td, intact"
	else
		cat "$W/capture.err"
		bad "$fmt SIG$sig: exit $rc, reported '${said:-none}' captured, file has $n_td" \
			"(intact: $same, format: $fmt_ok)"
	fi
done
done

# ---- a full disk
disk="$W/tiny"
mkdir -p "$disk"
if ! timeout 5 mount -t tmpfs -o size=64k none "$disk"; then
	bad "cannot mount a tmpfs in the private mount namespace"
else
for fmt in pcap pcapng; do
	rc=0
	timeout -k 5 60 "$CAPSCOPE" -r "$W/m20k.pcap" -w "$disk/out.$fmt" 2>"$W/capture.err" || rc=$?
	if ! sanitizer && ((rc == 1)) && grep -q 'No space left on device' "$W/capture.err"; then
		ok "$fmt full disk, file to file: exit 1 and '$(head -1 "$W/capture.err")'"
	else
		cat "$W/capture.err"
		bad "$fmt full disk, file to file: exit $rc"
	fi
	rm -f "$disk/out.$fmt"
	start_capture "$disk/out.$fmt"
	start_stream
	# 64 KiB fill within about a tenth of a second at 2000 pps: capscope must end by itself.
	rc=0
	timeout 10 tail --pid="$cap" -f /dev/null
	stuck=0
	if kill -0 "$cap" 2>/dev/null; then # still running: stop it (timeout passes TERM on)
		stuck=1
		kill -TERM "$cap"
		timeout 10 tail --pid="$cap" -f /dev/null
	fi
	wait "$cap" || rc=$?
	((stuck)) && rc=124
	kill "$tr" 2>/dev/null
	wait "$tr" 2>/dev/null
	if ! sanitizer && ((rc == 1)) && grep -q 'No space left on device' "$W/capture.err"; then
		ok "$fmt full disk, live capture: exit 1 within 10 s and '$(grep -m1 'No space' "$W/capture.err")'"
	else
		cat "$W/capture.err"
		bad "$fmt full disk, live capture: exit $rc (124: did not stop by itself)"
	fi
	rm -f "$disk/out.$fmt"
done
	timeout 10 umount "$disk" || umount -l "$disk"
fi

check_summary
