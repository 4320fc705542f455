#!/usr/bin/env bash
# test_tui_names.sh - the real binary in a private tmux server: key n switches the packet
# list's Source/Destination between addresses (the default) and the names learned from the
# capture's DNS answers (tests/gen/mkpcap_names.py names-passive), with a hostile name
# escaped; n again goes back to addresses; the conversations and TCP streams tables show
# "Name A"/"Name B" columns beside the addresses (a long name cut with '~', escaped), and a
# pane too narrow for them shows names in the address columns under key n; the help screen
# lists the key. A second capture (names-dhcp): a DHCP lease names its address.
#
# Env: CAPSCOPE (the binary), SRCDIR (the source tree), WORKDIR (scratch).
# Exit: 0 all passed, 1 a check failed, 77 skipped (tmux or python3 missing).
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"

skip() {
	echo "SKIP: $*"
	exit 77
}

[[ -n "${CAPSCOPE:-}" && -x "${CAPSCOPE}" ]] ||
	skip "CAPSCOPE (the built binary) is not set or not executable: '${CAPSCOPE:-}'"
for tool in tmux python3; do
	command -v "$tool" >/dev/null || skip "$tool is missing"
done
mkdir -p "$WORKDIR"
export XDG_STATE_HOME="$WORKDIR/state" # never the user's own
export CAPSCOPE_SECCOMP=strict # as tests/tui/lib.sh: a call the filter lacks ends capscope

SOCK="csn-$$"
source "$SRCDIR/tests/lib/check.sh"
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null' EXIT

python3 "$SRCDIR/tests/gen/mkpcap.py" names-passive -o "$WORKDIR/names.pcap" ||
	skip "tests/gen/mkpcap.py cannot write names-passive"

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
has() { # TEXT WHAT: the screen holds TEXT (fixed string)
	if screen | grep -qF -- "$1"; then ok "$2"; else
		bad "$2: no '$1'"
		screen | head -24
	fi
}
lacks() {
	if screen | grep -qF -- "$1"; then
		bad "$2: '$1' is there"
		screen | head -24
	else ok "$2"; fi
}

tm new-session -d -x 160 -y 60 "exec '$CAPSCOPE' -r '$WORKDIR/names.pcap'" || skip "tmux cannot start"
if wait_for 'Packets 19 shown of 19' 10; then ok "the capture is loaded"; else
	bad "no 'Packets 19 shown of 19'"
	screen
fi
keys g
has '93.184.216.34.80' "addresses by default"
lacks 'example.com.http' "no names by default"
keys n
sleep 0.5
has 'other.example.http' "key n: the address answered last has its latest name"
has 'www.example.org.https' "key n: a CNAME chain's address has the queried name"
has 'v6.example.9999' "key n: an AAAA answer names an IPv6 address"
has '\x1b[31mred\x07.a.b.' "key n: a hostile name is escaped"
keys G # the last packets
has 'printer.local.631' "key n: an mDNS answer names its address"
has 'winhost.' "key n: an LLMNR answer names its address"
keys n
sleep 0.5
lacks 'other.example.http' "key n again: addresses"
keys c # the conversations, names off: the Name columns show them anyway
if wait_for 'Address A +Name A +Address B +Name B' 5 && wait_for 'printer\.local' 5; then
	ok "conversations: Name A/Name B beside Address A/Address B, without key n"
else
	bad "conversations: no Name columns"
	screen
fi
has 'printer.local' "conversations: an address pair shows its learned name"
has '10.0.0.42' "conversations: the named address is still shown"
has 'LLLLLLLLLLLLLLL~' "conversations: a long name is cut with ~"
lacks $'\x1b[31m' "conversations: no raw escape byte reaches the screen"
keys v v v # TCP streams
if wait_for 'Stream Address A +Name A +Address B +Name B' 5; then
	ok "TCP streams: Name columns"
else
	bad "TCP streams: no Name columns"
	screen
fi
has '10.0.0.1.51001' "TCP streams: an unnamed endpoint keeps its address"
if screen | grep -qE '93\.184\.216\.34\.80 +other\.example'; then
	ok "TCP streams: the named endpoint's address, then its name"
else
	bad "TCP streams: no 'address  name'"
fi
tm resize-window -t 0 -x 120 -y 60 # too narrow for Name columns: key n swaps as before
sleep 0.5
if wait_for 'Stream Address A +Address B' 5; then ok "TCP streams, narrow: no Name columns"; else
	bad "TCP streams, narrow: columns"
	screen
fi
keys n
if wait_for 'Stream Name A' 5; then ok "TCP streams, narrow: key n names the endpoints"; else bad "TCP streams, narrow: no Name A"; fi
has 'other.example.http' "TCP streams, narrow: a named endpoint"
keys n
tm resize-window -t 0 -x 160 -y 60
keys c # back to decode and hex
keys '?'
keys End
sleep 0.3
has 'names learned from the capture' "the help screen lists key n"
keys Escape q
sleep 0.5
tm kill-server 2>/dev/null

python3 "$SRCDIR/tests/gen/mkpcap.py" names-dhcp -o "$WORKDIR/dhcp.pcap" ||
	skip "tests/gen/mkpcap.py cannot write names-dhcp"
tm new-session -d -x 160 -y 60 "exec '$CAPSCOPE' -r '$WORKDIR/dhcp.pcap'" || skip "tmux cannot start"
if wait_for 'Packets 13 shown of 13' 10; then ok "names-dhcp is loaded"; else
	bad "no 'Packets 13 shown of 13'"
	screen
fi
keys n
sleep 0.5
has 'laptop.40000' "DHCP: key n: the ACKed address has the client's host name"
has 'phone.example.lan.40000' "DHCP: the FQDN (option 81) names the ACKed address"
has '192.168.0.40.40000' "DHCP: an ACK for a client that sent no name names nothing"
has '0.0.0.0.bootpc' "DHCP: Discover/Request's source 0.0.0.0 is not given the name"
keys c
if wait_for '192\.168\.0\.20 +phone\.example\.lan' 5; then ok "DHCP: conversations Name A"; else
	bad "DHCP: no name in the conversations"
	screen
fi
keys Escape q
check_summary
