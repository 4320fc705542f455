#!/usr/bin/env bash
# test_icmp_echo_live.sh - ICMP and ICMPv6 echo request/reply matching on echoes the kernel
# answers, made live inside a private network namespace (unshare -n, only lo): pinger.py sends
# echo requests over raw sockets to 127.0.0.1 and ::1 (several identifiers and sizes, a request
# sent twice), first answered, then with the kernel told to ignore echoes (per-namespace
# sysctls), while tcpdump captures lo. Outside, capscope against tshark 4.0 on that capture:
# icmp.resp_to, icmp.resptime and the icmpv6.* alike with -T fields (tshark's one pass), and
# the Info column of --print, line for line. Exit: 0 pass, 1 fail, 77 skipped (no tshark or
# python3; the live part is a counted skip without root, namespaces or tcpdump).
set -uo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
source "$SRCDIR/tests/lib/netns.sh"
NETNS_SCRIPT=$0

if [[ "${CAPSCOPE_IN_NETNS:-}" == 1 ]]; then # inside: make the capture, nothing else
	set -e
	cd "$WORKDIR"
	timeout 5 ip link set lo up
	timeout 20 tcpdump -U --immediate-mode -B 16384 -n -i lo -w echo.pcap 'icmp or icmp6' 2>/dev/null &
	tpid=$!
	sleep 1
	timeout 10 python3 "$SRCDIR/tests/net/pinger.py" on
	timeout 5 sysctl -qw net.ipv4.icmp_echo_ignore_all=1
	timeout 5 sysctl -qw net.ipv6.icmp.echo_ignore_all=1 || true # older kernels: v4 only
	timeout 10 python3 "$SRCDIR/tests/net/pinger.py" off
	sleep 1 # (--immediate-mode: each packet is written as it comes; this is slack)
	kill "$tpid"
	wait "$tpid" || true
	exit 0
fi
: "${CAPSCOPE:?}"
. "$SRCDIR/tests/lib/check.sh"
for tool in tshark python3; do
	command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
F=(-e frame.number -e icmp.type -e icmp.resp_to -e icmp.resptime -e icmpv6.type
	-e icmpv6.resp_to -e icmpv6.resptime)
same_fields() {
	diff <(tshark -n -r "$1" -T fields "${F[@]}" 2>/dev/null) <("$CAPSCOPE" -r "$1" -T fields "${F[@]}")
}
same_info() { # the Info after capscope's "ICMP len:N " / "ICMPv6 len:N "
	diff <(tshark -n -r "$1" -T fields -e _ws.col.Info 2>/dev/null) \
		<("$CAPSCOPE" -r "$1" --print | sed -E 's/^.* ICMP(v6)? len:[0-9]+ //')
}

if netns_possible tcpdump sysctl; then
	rm -f "$WORKDIR/echo.pcap"
	if netns_run 60 -n && [[ -s "$WORKDIR/echo.pcap" ]]; then
		p=$WORKDIR/echo.pcap
		check "the capture has answered echoes of both kinds (tshark)" test \
			"$(tshark -n -r "$p" -Y 'icmp.resp_to || icmpv6.resp_to' 2>/dev/null | wc -l)" -ge 8
		check "and unanswered requests (tshark -2)" test \
			"$(tshark -2 -n -r "$p" -Y 'icmp.no_resp' 2>/dev/null | wc -l)" -ge 3
		check "icmp.resp_to, icmp.resptime, icmpv6.* as tshark's" same_fields "$p"
		check "Info as tshark's, line for line" same_info "$p"
	else
		bad "the live echoes were not captured"
	fi
fi
check_summary
