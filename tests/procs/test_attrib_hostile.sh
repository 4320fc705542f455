#!/usr/bin/env bash
# test_attrib_hostile.sh - process attribution when the machine is hostile to it, in a private
# network and mount namespace, capturing on lo while real senders (attrib_hostile.py) send
# datagrams that name their own pid. Three parts, each also run with attribution off
# (--no-processes) on the same traffic, whose packet count must be the same (the capture is
# unaffected):
#  1. many sockets: a process holds as many bound UDP sockets as the machine allows, up to
#     100k (RLIMIT_NOFILE raised): capscope's peak RSS (VmHWM) with attribution stays within
#     RSS_BOUND_MIB of the run without, and the sender's packets are attributed to it;
#  2. /proc unreadable: /proc remounted with hidepid=2, capscope run as nobody with only the
#     capture capabilities (setpriv): stderr says /proc is hidden, nobody's own sender is
#     attributed, root's sender is not (never a wrong pid);
#  3. netlink errors: every recv() on the sock_diag socket fails with ENOBUFS, injected by a
#     preloaded shim (netlink_fail.c; the kernel gives ENOBUFS when a netlink queue overruns):
#     stderr names the error and counts it, no packet is attributed, the count is unchanged.
# Exit: 0 pass, 1 fail, 77 skipped (not root, a tool missing, namespaces unavailable).
set -euo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
RSS_BOUND_MIB=${RSS_BOUND_MIB:-48}
SOCKETS=${HOSTILE_SOCKETS:-100000}
N=200

source "$SRCDIR/tests/lib/netns.sh"
NETNS_SCRIPT=$0
netns_enter 600 "-n -m" python3 setpriv cc

# ---------------------------------------------------------------- inside the namespaces
source "$SRCDIR/tests/lib/check.sh"
PY="$SRCDIR/tests/procs/attrib_hostile.py"
D=$WORKDIR/hostile
rm -rf "$D" && mkdir -p "$D" && chmod 755 "$D"
pids=()
cleanup() {
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
}
trap cleanup EXIT
timeout 5 ip link set lo up
timeout 5 ip addr add 127.0.0.2/8 dev lo 2>/dev/null || true
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
timeout 310 python3 "$PY" recv 5000 "$D/recv.pid" &
pids+=("$!")
for _ in $(seq 50); do
	[[ -s $D/recv.pid ]] && break
	sleep 0.1
done
RECV=$(cat "$D/recv.pid")

# run NAME [RUNNER...] -- CAPSCOPE-OPTIONS...: captures on lo while the senders given in
# SENDERS (a command line run by bash) send; writes $D/NAME.{txt,err,hwm}.
run() {
	local name=$1 cap
	shift
	local runner=()
	while [[ $1 != -- ]]; do
		runner+=("$1")
		shift
	done
	shift
	timeout 120 "${runner[@]}" "$CAPSCOPE" -i lo --immediate -T fields -e frame.number \
		-e udp.dstport -e udp.payload -e process.pid "$@" >"$D/$name.txt" 2>"$D/$name.err" &
	cap=$!
	for _ in $(seq 100); do # until its packet socket is bound to lo (ifindex 1)
		awk 'NR > 1 && $5 == 1 {f = 1} END {exit !f}' /proc/net/packet && break
		sleep 0.1
	done
	sleep 0.5
	bash -c "$SENDERS"
	sleep 1
	awk '/^VmHWM/ {print $2}' "/proc/$(pgrep -P "$cap" -n || echo "$cap")/status" \
		>"$D/$name.hwm" 2>/dev/null || echo 0 >"$D/$name.hwm"
	kill -INT "$(pgrep -P "$cap" -n || echo "$cap")" 2>/dev/null || true
	wait "$cap" || echo "note: capscope ($name) exited with $?"
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$D/$name.err"; then
		sed 's/^/    /' "$D/$name.err"
		bad "$name: sanitizer report"
	fi
}
count() { awk -F'\t' '$2 == 5000' "$D/$1.txt" | wc -l; }
show_err() { sed 's/^/    /' "$D/$1.err"; }

# ---- 1. many sockets
ulimit -Hn $((SOCKETS + 1000)) 2>/dev/null || true
ulimit -n "$(ulimit -Hn)"
timeout 320 python3 "$PY" hold "$SOCKETS" "$D/held" &
holder=$!
pids+=("$holder")
for _ in $(seq 600); do
	[[ -s $D/held ]] && break
	sleep 0.1
done
read -r held nholders <"$D/held" || held=0
echo "holding $held bound UDP sockets in ${nholders:-0} processes (asked $SOCKETS; RLIMIT_NOFILE $(ulimit -n))"
((held >= 1000)) || bad "could not open even 1000 sockets"
SENDERS="timeout 30 python3 '$PY' send 5000 $N"
run many_off -- --no-processes
run many_on --
show_err many_on
timeout 30 python3 "$PY" check "$D/many_on.txt" 5000 "$RECV" >"$D/many_on.check"
read -r _ sent right recv wrong none <"$D/many_on.check" || true
echo "sender: ${sent:-0} packets, ${right:-0} attributed to it, ${recv:-0} to the receiver" \
	"(loopback: the other local end), ${wrong:-0} to another pid, ${none:-0} not at all"
check "many sockets: count unchanged ($(count many_on) = $(count many_off), $N sent)" \
	test "$(count many_on)" -eq "$(count many_off)" -a "$(count many_off)" -eq "$N"
check "many sockets: every packet attributed to its sender or its receiver, none wrong" \
	test $((${right:-0} + ${recv:-0})) -eq "$N" -a "${wrong:-1}" -eq 0
check "many sockets: most packets attributed to the sender (the end tried first)" \
	test "${right:-0}" -ge $((N / 2))
hwm_on=$(cat "$D/many_on.hwm") hwm_off=$(cat "$D/many_off.hwm")
echo "peak RSS: $((hwm_on / 1024)) MiB with attribution, $((hwm_off / 1024)) MiB without"
check "many sockets: peak RSS within $RSS_BOUND_MIB MiB of the run without" \
	test $((hwm_on - hwm_off)) -le $((RSS_BOUND_MIB * 1024)) -a "$hwm_on" -gt 0
kill "$holder" 2>/dev/null || true
wait "$holder" 2>/dev/null || true

# ---- 2. /proc hidden (hidepid=2), capscope unprivileged with the capture capabilities
SYSPY=/usr/bin/python3 # nobody cannot run root's own interpreters (pyenv under /root)
if [[ ! -x $SYSPY ]]; then
	part_skipped "hidepid: no $SYSPY for the unprivileged sender"
elif timeout 5 mount -t proc -o hidepid=2 proc /proc 2>"$D/mount.err"; then
	NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	CAPS=(--inh-caps=+net_raw,+net_admin --ambient-caps=+net_raw,+net_admin)
	SENDERS="timeout 30 ${NOBODY[*]} $SYSPY '$PY' send 5000 $N & timeout 30 python3 '$PY' send 5000 $N; wait"
	run hide_off "${NOBODY[@]}" "${CAPS[@]}" -- --no-processes
	run hide_on "${NOBODY[@]}" "${CAPS[@]}" --
	show_err hide_on
	timeout 30 python3 "$PY" check "$D/hide_on.txt" 5000 "$RECV" >"$D/hide_on.check"
	sed 's/^/    pid packets sender receiver wrong none: /' "$D/hide_on.check"
	check "hidepid: count unchanged" test "$(count hide_on)" -eq "$(count hide_off)" \
		-a "$(count hide_off)" -eq $((2 * N))
	check "hidepid: stderr says /proc is hidden" grep -q 'hidden (hidepid)' "$D/hide_on.err"
	check "hidepid: no packet attributed to a wrong pid" \
		awk '{w += $5} END {exit w != 0}' "$D/hide_on.check"
	check "hidepid: nobody's own sender attributed, root's not" \
		awk -v n=$N '$3 == n {own++} $6 == n {hidden++} END {exit !(own == 1 && hidden == 1)}' \
		"$D/hide_on.check"
	timeout 5 umount /proc
else
	part_skipped "hidepid: cannot mount /proc with hidepid=2 here: $(cat "$D/mount.err")"
fi

# ---- 3. netlink errors, injected
if timeout 30 cc -shared -fPIC -o "$D/netlink_fail.so" "$SRCDIR/tests/procs/netlink_fail.c" -ldl; then
	SENDERS="timeout 30 python3 '$PY' send 5000 $N"
	run nl_off -- --no-processes
	ASAN_OPTIONS=$ASAN_OPTIONS:verify_asan_link_order=0 \
		run nl_on env "LD_PRELOAD=$D/netlink_fail.so" --
	show_err nl_on
	check "netlink errors: count unchanged" test "$(count nl_on)" -eq "$(count nl_off)" \
		-a "$(count nl_off)" -eq $N
	check "netlink errors: stderr names the error" \
		grep -q 'netlink sock_diag receive: No buffer space available' "$D/nl_on.err"
	check "netlink errors: counted" grep -qE 'processes: .*[1-9][0-9]* errors' "$D/nl_on.err"
	check "netlink errors: nothing attributed" \
		awk -F'\t' '$4 != "" {n++} END {exit n != 0}' "$D/nl_on.txt"
	check "netlink errors: peak RSS within $RSS_BOUND_MIB MiB of the run without" \
		test $(($(cat "$D/nl_on.hwm") - $(cat "$D/nl_off.hwm"))) -le $((RSS_BOUND_MIB * 1024))
else
	part_skipped "netlink errors: cannot build the preloaded shim (cc)"
fi
check_summary
