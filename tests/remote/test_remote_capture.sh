#!/usr/bin/env bash
# test_remote_capture.sh - remote capture over SSH, hermetic: an OpenSSH server started here in
# a far network namespace (198.18.0.2, keys made for the test; tests/lib/sshd.sh), reached
# through CAPSCOPE_SSH_COMMAND="ssh -F <the test's config>", never the machine's own ssh
# configuration or hosts.
# - capscope -i ssh://far/cs1 -c N -w FILE with capscope on the far PATH, then with only
#   tcpdump there: the file holds exactly what a far tcpdump on cs1 got of a tcpreplay, byte
#   for byte, and the far tool that ran was the one expected;
# - a stop (SIGTERM) on an idle link ends the capture at once with every packet, ssh gone;
# - on csr, the link ssh itself runs over, while UDP datagrams go to the far host: the
#   capture's own SSH session never appears;
# - -D ssh://far and -D --json ssh://far list the far adapters, their addresses, marked remote
#   (from the far capscope's -D where installed, else tcpdump -D and ip -o addr);
# - one clear line each: unknown host key, refused key, connection refused, no such adapter
#   (with the far adapters' names), a hostile adapter name (nothing of it runs there), neither
#   capscope nor tcpdump there, sudo -n wanting a password, no capture permission there;
# - --remote-sudo runs the far tcpdump through sudo -n (a stand-in sudo: none is installed).
# Exit: 0 pass, 1 fail, 77 skipped (not root, sshd or a tool missing, no namespaces).
set -uo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"

source "$SRCDIR/tests/lib/netns.sh"
source "$SRCDIR/tests/lib/sshd.sh"
NETNS_SCRIPT=$0
remote_enter 100 tcpreplay tcpdump

# ------------------------------------------------------------ inside the private namespaces
source "$SRCDIR/tests/lib/check.sh"
trap remote_teardown EXIT
remote_setup
N=200
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1
export CAPSCOPE_SSH_COMMAND="$SSH_CMD" CAPSCOPE_REMOTE_TIMEOUT=15
python3 "$SRCDIR/tests/gen/mkpcap.py" mixed "$N" -o "$RDIR/send.pcap" >/dev/null || exit 1
SYS=/usr/sbin:/usr/bin:/sbin:/bin



# capture_both NAME: N packets replayed on cs0, captured on cs1 remotely and by a far tcpdump.
capture_both() {
	local name=$1 cap ref crc before
	before=$(far_sockets cs1) # an earlier run's far capture may still be bound
	far timeout 40 tcpdump -i cs1 -U -w "$RDIR/$name.ref.pcap" -c "$N" 2>/dev/null &
	ref=$!
	timeout 40 "$CAPSCOPE" -i ssh://far/cs1 -c "$N" -w "$RDIR/$name.pcap" 2>"$RDIR/$name.err" &
	cap=$!
	if ! far_wait_sockets cs1 $((before + 2)); then
		bad "$name: the captures did not start on cs1 within 10 s: $(cat "$RDIR/$name.err")"
		kill "$cap" "$ref" 2>/dev/null
		return
	fi
	far timeout 30 tcpreplay -q -i cs0 --pps 2000 "$RDIR/send.pcap" >/dev/null 2>&1
	wait "$cap"
	crc=$?
	wait "$ref"
	sed 's/^/    /' "$RDIR/$name.err"
	check "$name: capscope exits 0 after $N packets (exit $crc)" test "$crc" = 0
	check "$name: no sanitizer report" no_sanitizer "$RDIR/$name.err"
	check "$name: the packets are the far tcpdump's, byte for byte" \
		python3 "$SRCDIR/tests/remote/pcap_same.py" "$RDIR/$name.ref.pcap" "$RDIR/$name.pcap"
}

# ---------------------------------------------------------------- capscope on the far side
far_bin "$RDIR/binA" capscope "$CAPSCOPE"
far_bin "$RDIR/binA" tcpdump /usr/bin/tcpdump
sshd_start "$RDIR/binA:$SYS"
capture_both with-capscope
check "with-capscope: capscope ran there, not tcpdump" \
	test -s "$RDIR/binA/used.capscope" -a ! -e "$RDIR/binA/used.tcpdump"
timeout 30 "$CAPSCOPE" -D ssh://far >"$RDIR/listA.txt" 2>&1
check "-D ssh://far with capscope there: csr, its flags and address, from capscope's -D" \
	bash -c "grep -Eq '^[0-9]+\. csr ' '$RDIR/listA.txt' && grep -q 'flags: up, running' \
	'$RDIR/listA.txt' && grep -q 'inet 198.18.0.2  netmask 255.255.255.0' '$RDIR/listA.txt' &&
	test \$(wc -l <'$RDIR/binA/used.capscope') = 2 -a ! -e '$RDIR/binA/used.tcpdump'"

# ---------------------------------------------------------------- tcpdump only
far_bin "$RDIR/binB" tcpdump /usr/bin/tcpdump
sshd_start "$RDIR/binB:$SYS"
capture_both with-tcpdump
check "with-tcpdump: tcpdump ran there" test -s "$RDIR/binB/used.tcpdump"

# ---------------------------------------------------------------- a stop on an idle link
# (the read blocked on ssh's pipe is woken: the capture ends at once with what it has)
before=$(far_sockets cs1)
"$CAPSCOPE" -i ssh://far/cs1 -w "$RDIR/stop.pcap" 2>"$RDIR/stop.err" &
cap=$!
far_wait_sockets cs1 $((before + 1)) || bad "stop: the capture did not start on cs1"
far timeout 30 tcpreplay -q -i cs0 --pps 2000 "$RDIR/send.pcap" >/dev/null 2>&1
sleep 2
check "stop: its ssh runs (as pgrep finds it)" pgrep -f -- "-F $RDIR/ssh_config -o BatchMode"
t0=$SECONDS
kill -TERM "$cap"
wait "$cap"
crc=$?
check "stop: SIGTERM on an idle link ends it within 2 s, exit 0 (exit $crc)" \
	test "$crc" = 0 -a $((SECONDS - t0)) -le 2
check "stop: the file holds the $N packets" \
	test "$(tcpdump -nr "$RDIR/stop.pcap" 2>/dev/null | wc -l)" = "$N"
check "stop: ssh is gone with it" bash -c "! pgrep -f -- '[-]F $RDIR/ssh_config -o BatchMode' >/dev/null"

# ---------------------------------------------------------------- its own session left out
before=$(far_sockets csr)
timeout 30 "$CAPSCOPE" -i ssh://far/csr -c 10 -w "$RDIR/own.pcap" 2>"$RDIR/own.err" &
cap=$!
far_wait_sockets csr $((before + 1)) || bad "own session: the capture did not start on csr"
timeout 10 python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(20):
    s.sendto(b"not ssh", ("198.18.0.2", 9)); time.sleep(0.1)'
wait "$cap"
check "own session: 10 packets captured on csr, none TCP (UDP, ICMP, ARP)" \
	test "$(tcpdump -nr "$RDIR/own.pcap" not tcp 2>/dev/null | wc -l)" = 10
check "own session: none of them the capture's ssh (tcp port 22)" \
	test "$(tcpdump -nr "$RDIR/own.pcap" 'tcp port 22' 2>/dev/null | wc -l)" = 0

# ---------------------------------------------------------------- the far adapters
"$CAPSCOPE" -D ssh://far >"$RDIR/list.txt" 2>"$RDIR/list.err"
check "-D ssh://far: exits 0" test $? = 0
check "-D ssh://far: lists cs0, cs1, csr and lo" \
	bash -c "for a in cs0 cs1 csr lo; do grep -qE \"^[0-9]+\\. \$a \" '$RDIR/list.txt' || exit 1; done"
check "-D ssh://far: csr with its address and netmask" \
	grep -q 'inet 198.18.0.2  netmask 255.255.255.0' "$RDIR/list.txt"
check "-D ssh://far: marked remote, with the address to capture on" \
	grep -q '   remote: ssh://far/cs1' "$RDIR/list.txt"
"$CAPSCOPE" -D --json ssh://far >"$RDIR/list.json" 2>>"$RDIR/list.err"
check "-D --json ssh://far: the same adapters, each marked remote" python3 - "$RDIR/list.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))["adapters"]
names = {a["name"] for a in d}
assert {"cs0", "cs1", "csr", "lo"} <= names, names
assert all(a["remote"] == "ssh://far/" + a["name"] for a in d)
csr = next(a for a in d if a["name"] == "csr")
assert any(x["address"] == "198.18.0.2" and x["netmask"] == "255.255.255.0" for x in csr["addresses"])
EOF

# ---------------------------------------------------------------- one clear line each
# fails NAME REGEX ARGS...: capscope ARGS exits non-zero within 20 s, with one stderr line
# matching REGEX.
fails() {
	local name=$1 re=$2 rc
	shift 2
	timeout 20 "$CAPSCOPE" "$@" -w "$RDIR/fail.pcap" 2>"$RDIR/fail.err"
	rc=$?
	echo "    $(head -c 600 "$RDIR/fail.err")"
	check "$name: exits with an error" test "$rc" != 0 -a "$rc" != 124
	check "$name: one line saying so" \
		bash -c "test \$(wc -l <'$RDIR/fail.err') = 1 && grep -Eq -- \"\$1\" '$RDIR/fail.err'" _ "$re"
}
CAPSCOPE_SSH_COMMAND="ssh -F $RDIR/ssh_config_nohostkey" fails "unknown host key" \
	'ssh://far/cs1: host key verification failed' -i ssh://far/cs1 -c 1
CAPSCOPE_SSH_COMMAND="ssh -F $RDIR/ssh_config_badkey" fails "key not accepted" \
	'ssh://far/cs1: permission denied: the login was refused .*publickey' -i ssh://far/cs1 -c 1
fails "connection refused" 'ssh://far:2/cs1: cannot connect: .*Connection refused' \
	-i ssh://far:2/cs1 -c 1
fails "no such adapter" "ssh://far/nosuch: no adapter 'nosuch' there; its adapters: .*cs1" \
	-i ssh://far/nosuch -c 1
fails "a hostile adapter name" "no adapter 'x'\\\$\\(touch" \
	-i "ssh://far/x'\$(touch $RDIR/PWN)'\`touch $RDIR/PWN\`" -c 1
check "a hostile adapter name: nothing of it ran there" test ! -e "$RDIR/PWN"
# --remote-sudo (no sudo on the test machine: stand-ins with sudo's behaviour and words), and
# a far tcpdump refused by the kernel (tcpdump's own words for it)
mkdir -p "$RDIR/binS" "$RDIR/binP" "$RDIR/binQ"
printf '#!/bin/sh\necho "$*" >>"%s/used.sudo"\n[ "$1" = -n ] && shift\nexec "$@"\n' \
	"$RDIR/binS" >"$RDIR/binS/sudo"
printf '#!/bin/sh\necho "sudo: a password is required" >&2\nexit 1\n' >"$RDIR/binP/sudo"
printf '#!/bin/sh\necho "tcpdump: cs1: You don'"'"'t have permission to capture on that device" >&2
echo "(socket: Operation not permitted)" >&2\nexit 1\n' >"$RDIR/binQ/tcpdump"
chmod 755 "$RDIR/binS/sudo" "$RDIR/binP/sudo" "$RDIR/binQ/tcpdump"
far_bin "$RDIR/binS" tcpdump /usr/bin/tcpdump
sshd_start "$RDIR/binS:$SYS"
before=$(far_sockets cs1)
timeout 30 "$CAPSCOPE" -i ssh://far/cs1 --remote-sudo -c 5 -w "$RDIR/sudo.pcap" 2>"$RDIR/sudo.err" &
cap=$!
far_wait_sockets cs1 $((before + 1)) || bad "--remote-sudo: the capture did not start on cs1"
far timeout 30 tcpreplay -q -i cs0 --pps 2000 --limit 5 "$RDIR/send.pcap" >/dev/null 2>&1
wait "$cap"
check "--remote-sudo: 5 packets captured (exit $?)" test "$(tcpdump -nr "$RDIR/sudo.pcap" 2>/dev/null | wc -l)" = 5
check "--remote-sudo: the far tcpdump ran through sudo -n" \
	grep -Eq '^-n /.*/binS/tcpdump -U -w - -i cs1 ' "$RDIR/binS/used.sudo"
sshd_start "$RDIR/binP:$SYS"
fails "--remote-sudo, a password wanted there" \
	'ssh://far/cs1: sudo -n there needs a password or is not allowed: .*NOPASSWD' \
	-i ssh://far/cs1 --remote-sudo -c 1
sshd_start "$RDIR/binQ:$SYS"
fails "no capture permission there" \
	"ssh://far/cs1: no permission to capture there: use --remote-sudo, or give tcpdump capture rights" \
	-i ssh://far/cs1 -c 1
mkdir -p "$RDIR/binC"
sshd_start "$RDIR/binC"
fails "neither capscope nor tcpdump there" 'ssh://far/cs1: neither capscope nor tcpdump' \
	-i ssh://far/cs1 -c 1
check_summary
