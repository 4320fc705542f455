#!/usr/bin/env bash
# remote.sh - remote capture throughput over ssh (issue 16), hermetic: tests/lib/sshd.sh's far
# host (an sshd in a far network namespace, keys made here, tcpdump only on its PATH) with
# tcpreplay sending PACKETS packets at each rate in RATES out of the far cs0. In the same run,
# on the far cs1:
#   capscope -i ssh://far/cs1 -w FILE              (the far tcpdump -U -w - streams to it)
#   ssh far tcpdump -U -w - -i cs1 | tcpdump -r - -w FILE   (the pipe by hand)
# Reports, per rate: packets each kept, and CPU seconds (user+sys, getrusage through
# /usr/bin/time) of each local reader (capscope; the pipe's local tcpdump) and of each far
# tcpdump, per million packets kept. The ssh processes' own CPU is not counted on either side.
# CPU time on a shared machine is noisy: compare the two in the same run. Not in CI.
# CAPSCOPE_BEFORE=/path/to/other/capscope adds a third reader in the same run, the same
# capture by another build (a before/after of a change). The two capscopes then pass
# filters that keep everything but tell their far tcpdumps apart (not port 65001 / 65002).
#   sudo bench/remote.sh [BUILD_DIR]      env: RATES="50000 200000" PACKETS=400000
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${1:-$ROOT/build}
# the re-run in the namespaces has no arguments: it keeps the CAPSCOPE passed to it
[[ "${CAPSCOPE_IN_NETNS:-}" == 1 ]] || CAPSCOPE=$BUILD/capscope
export CAPSCOPE SRCDIR=$ROOT WORKDIR=$HERE/work/remote
export RATES=${RATES:-50000 200000} PACKETS=${PACKETS:-400000} CAPSCOPE_BEFORE=${CAPSCOPE_BEFORE:-}
[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)" >&2; exit 1; }
[ -x "$CAPSCOPE" ] || { echo "build capscope first: $CAPSCOPE" >&2; exit 1; }
source "$ROOT/tests/lib/netns.sh"
source "$ROOT/tests/lib/sshd.sh"
NETNS_SCRIPT=$0
NETNS_EXPORT="RATES PACKETS CAPSCOPE_BEFORE"
if [[ "${CAPSCOPE_IN_NETNS:-}" != 1 ]]; then
	why=$(remote_why) && { echo "$why" >&2; exit 1; }
	mkdir -p "$WORKDIR"
	netns_run 1800 "-n -m"
	exit $?
fi

trap remote_teardown EXIT
remote_setup
B="$RDIR/bin"
mkdir -p "$B"
# the far tcpdump under /usr/bin/time: its CPU, written when it ends
# (capscope's has the exclusion filter, the pipe's none)
cat >"$B/tcpdump" <<EOF
#!/bin/sh
case "\$*" in *"port 65001"*) w=before ;; *"not (host"*) w=cs ;; *) w=pipe ;; esac
exec /usr/bin/time -f "%U %S" -o "$B/far.\$w" /usr/bin/tcpdump "\$@"
EOF
chmod 755 "$B/tcpdump"
sshd_start "$B:/usr/sbin:/usr/bin:/sbin:/bin"
export CAPSCOPE_SSH_COMMAND="$SSH_CMD" CAPSCOPE_REMOTE_TIMEOUT=30
python3 "$ROOT/tests/gen/mkpcap.py" mixed 20000 -o "$RDIR/send.pcap" >/dev/null
loops=$(((PACKETS + 19999) / 20000))
cpu() { awk '{printf "%.2f", $1 + $2}' "$1" 2>/dev/null || echo "?"; }
count() { tcpdump -nr "$1" 2>/dev/null | wc -l; }
per_m() { awk -v c="$1" -v n="$2" 'BEGIN {if (n > 0 && c != "?") printf "%.2f", c * 1e6 / n; else print "?"}'; }

# start_capscope NAME BINARY FILTER...: a remote capture under /usr/bin/time; sets $pid (of
# time) and $cpid (of capscope itself: time does not pass SIGTERM on).
start_capscope() {
	local name=$1 bin=$2
	shift 2
	/usr/bin/time -f "%U %S" -o "$RDIR/$name.cpu" "$bin" -i ssh://far/cs1 -w "$RDIR/$name.pcap" \
		"$@" 2>"$RDIR/$name.err" &
	pid=$!
	sleep 0.2
	cpid=$(pgrep -P "$pid")
}
before=
[[ -n "$CAPSCOPE_BEFORE" ]] && before=1
printf '| pps | sent | capscope kept |%s pipe kept | capscope CPU s/M pkts (far tcpdump) |%s pipe tcpdump -r CPU s/M pkts (far tcpdump) |\n' \
	"${before:+ before kept |}" "${before:+ before CPU s/M pkts (far tcpdump) |}"
printf '|---|---|---|%s---|---|%s---|\n' "${before:+---|}" "${before:+---|}"
for pps in $RATES; do
	rm -f "$B"/far.* "$RDIR"/cs.* "$RDIR"/pipe.* "$RDIR"/before.*
	filter=()
	if [[ -n "$before" ]]; then
		start_capscope before "$CAPSCOPE_BEFORE" not port 65001
		bf=$pid bfpid=$cpid
		filter=(not port 65002)
	fi
	start_capscope cs "$CAPSCOPE" "${filter[@]}"
	cs=$pid cspid=$cpid
	rm -f "$RDIR/fifo"
	mkfifo "$RDIR/fifo"
	ssh -F "$RDIR/ssh_config" far "tcpdump -U -w - -i cs1 2>/dev/null" >"$RDIR/fifo" 2>/dev/null &
	sshpid=$!
	/usr/bin/time -f "%U %S" -o "$RDIR/pipe.cpu" tcpdump -r - -w "$RDIR/pipe.pcap" \
		<"$RDIR/fifo" 2>/dev/null &
	pipe=$!
	far_wait_sockets cs1 $((2 + ${before:-0})) || { echo "the captures did not start" >&2; exit 1; }
	far tcpreplay -q -i cs0 --pps "$pps" --loop "$loops" "$RDIR/send.pcap" >"$RDIR/replay.log" 2>&1
	sent=$((loops * 20000))
	sleep 3 # what is in flight arrives
	kill -TERM "$cspid" ${before:+"$bfpid"}
	kill -TERM "$sshpid" # the pipe's ssh: its tcpdump -r then ends
	wait "$cs" ${before:+"$bf"} "$sshpid" "$pipe" 2>/dev/null
	# the far tcpdumps end at their next write into a closed channel
	far tcpreplay -q -i cs0 --pps 1000 --limit 50 "$RDIR/send.pcap" >/dev/null 2>&1
	for ((i = 0; i < 50; i++)); do
		[[ -s "$B/far.cs" && -s "$B/far.pipe" && (-z "$before" || -s "$B/far.before") ]] && break
		sleep 0.1
	done
	kc=$(count "$RDIR/cs.pcap")
	kp=$(count "$RDIR/pipe.pcap")
	kb= cb=
	if [[ -n "$before" ]]; then
		kb=$(count "$RDIR/before.pcap")
		kb=" $kb |"
		cb=" $(per_m "$(cpu "$RDIR/before.cpu")" "${kb//[ |]/}") ($(per_m "$(cpu "$B/far.before")" "${kb//[ |]/}")) |"
	fi
	printf '| %s | %s | %s |%s %s | %s (%s) |%s %s (%s) |\n' "$pps" "$sent" "$kc" "$kb" "$kp" \
		"$(per_m "$(cpu "$RDIR/cs.cpu")" "$kc")" "$(per_m "$(cpu "$B/far.cs")" "$kc")" "$cb" \
		"$(per_m "$(cpu "$RDIR/pipe.cpu")" "$kp")" "$(per_m "$(cpu "$B/far.pipe")" "$kp")"
done
