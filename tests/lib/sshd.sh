# sshd.sh - a far host for the remote-capture tests: a second network namespace ("far") with
# an OpenSSH server started by the test, a host key and a client key made for the test, and an
# ssh client configuration that reads nothing of the machine's own (CAPSCOPE_SSH_COMMAND points
# capscope at it). Sourced, not run; call inside the test's private namespaces (netns.sh with
# "-n -m": the mount namespace lets /run be a private tmpfs for sshd's /run/sshd).
#
# remote_enter TIMEOUT TOOL...   (after NETNS_SCRIPT=$0, with netns.sh sourced) skips (77)
#                     when sshd or a tool is missing, else re-runs the script in private
#                     network and mount namespaces as netns_enter does; returns inside.
# remote_setup        the far namespace (a process holding it: $FAR_PID), the link csl
#                     198.18.0.1 <-> csr 198.18.0.2 carrying ssh, the veth cs0 <-> cs1 in the
#                     far namespace (tcpreplay there), keys and configs under $RDIR.
# far CMD...          runs CMD in the far namespace.
# sshd_start PATH     (re)starts sshd with PATH as the far sessions' PATH; $SSHD_PID.
# far_wait_sockets IF COUNT, local_wait_sockets IF COUNT
#                     until COUNT packet sockets are bound to IF there (far) or here.
# sshd_sessions       the PIDs of sshd's per-connection children (what a dropped link kills).
# remote_teardown     ends what remote_setup and sshd_start started (by PID), and what
#                     is left in the far namespace (far_reap).
# SSH_CMD             "ssh -F $RDIR/ssh_config": the value for CAPSCOPE_SSH_COMMAND; host "far".

SSHD_BIN=${SSHD_BIN:-/usr/sbin/sshd}
FAR_PID=
SSHD_PID=

remote_enter() {
	local limit=$1 why
	shift
	if [[ "${CAPSCOPE_IN_NETNS:-}" != 1 ]] && why=$(remote_why); then
		echo "SKIP: $why"
		exit 77
	fi
	netns_enter "$limit" "-n -m" python3 ss pgrep "$@"
}

remote_why() {
	[[ -x "$SSHD_BIN" ]] || { echo "no $SSHD_BIN (Debian package openssh-server)"; return 0; }
	for t in ssh ssh-keygen nsenter; do
		command -v "$t" >/dev/null || { echo "$t is missing"; return 0; }
	done
	return 1
}

far() {
	nsenter -t "$FAR_PID" -n -- "$@"
}

remote_setup() {
	RDIR="$WORKDIR/remote"
	rm -rf "$RDIR"
	mkdir -p "$RDIR"
	local others
	others=$(timeout 5 ip -o link show | awk -F': ' '{print $2}' | grep -v '^lo$' || true)
	[[ -z "$others" ]] || { echo "FAIL: not in a private network namespace (visible: $others)"; exit 1; }
	mount -t tmpfs -o mode=0755 tmpfs /run || { echo "FAIL: cannot mount a private /run"; exit 1; }
	mkdir -p -m 0755 /run/sshd
	sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 >/dev/null || true
	ip link set lo up
	unshare -n sleep 600 &
	FAR_PID=$!
	sleep 0.2
	far sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 >/dev/null || true
	ip link add csl type veth peer name csr && ip link set csr netns "$FAR_PID" &&
		ip addr add 198.18.0.1/24 dev csl && ip link set csl up &&
		far ip link set lo up && far ip addr add 198.18.0.2/24 dev csr && far ip link set csr up &&
		far ip link add cs0 type veth peer name cs1 && far ip link set cs0 up &&
		far ip link set cs1 up || { echo "FAIL: cannot make the links"; exit 1; }
	ssh-keygen -q -t ed25519 -N '' -C capscope-test-host -f "$RDIR/host_key" &&
		ssh-keygen -q -t ed25519 -N '' -C capscope-test-client -f "$RDIR/client_key" &&
		ssh-keygen -q -t ed25519 -N '' -C capscope-test-other -f "$RDIR/other_key" ||
		{ echo "FAIL: ssh-keygen"; exit 1; }
	cp "$RDIR/client_key.pub" "$RDIR/authorized_keys"
	echo "far,198.18.0.2 $(cut -d' ' -f1,2 "$RDIR/host_key.pub")" >"$RDIR/known_hosts"
	: >"$RDIR/known_hosts_empty"
	ssh_config "$RDIR/ssh_config" client_key known_hosts
	ssh_config "$RDIR/ssh_config_nohostkey" client_key known_hosts_empty
	ssh_config "$RDIR/ssh_config_badkey" other_key known_hosts
	SSH_CMD="ssh -F $RDIR/ssh_config"
	# the capture must never read the user's agent or configuration
	unset SSH_AUTH_SOCK SSH_CONNECTION
}

# ssh_config FILE KEY KNOWN_HOSTS
ssh_config() {
	cat >"$1" <<EOF
Host far
  HostName 198.18.0.2
Host *
  User root
  IdentityFile $RDIR/$2
  IdentitiesOnly yes
  IdentityAgent none
  UserKnownHostsFile $RDIR/$3
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  CheckHostIP no
  ConnectTimeout 5
  ServerAliveInterval 2
  ServerAliveCountMax 2
  ControlMaster no
  ControlPath none
  LogLevel ERROR
EOF
	chmod 600 "$1"
}

sshd_stop() {
	if [[ -n "$SSHD_PID" ]]; then
		local kids
		kids=$(pgrep -P "$SSHD_PID" 2>/dev/null || true)
		kill "$SSHD_PID" $kids 2>/dev/null || true
		wait "$SSHD_PID" 2>/dev/null || true
	fi
	SSHD_PID=
}

sshd_start() {
	sshd_stop
	cat >"$RDIR/sshd_config" <<EOF
ListenAddress 198.18.0.2:22
HostKey $RDIR/host_key
AuthorizedKeysFile $RDIR/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
PidFile none
PrintMotd no
PrintLastLog no
SetEnv PATH=$1
LogLevel ERROR
EOF
	# not through far(): $! must be sshd itself (nsenter execs it), whose children are the
	# sessions
	nsenter -t "$FAR_PID" -n -- "$SSHD_BIN" -D -e -f "$RDIR/sshd_config" 2>>"$RDIR/sshd.log" &
	SSHD_PID=$!
	local i
	for ((i = 0; i < 50; i++)); do # listening within 5 s
		far ss -Hltn 'sport = :22' 2>/dev/null | grep -q . && return 0
		sleep 0.1
	done
	cat "$RDIR/sshd.log"
	echo "FAIL: sshd did not start listening within 5 s"
	exit 1
}

sshd_sessions() {
	[[ -n "$SSHD_PID" ]] && pgrep -P "$SSHD_PID" 2>/dev/null || true
}

remote_teardown() {
	sshd_stop
	far_reap
	[[ -n "$FAR_PID" ]] && kill "$FAR_PID" 2>/dev/null
	FAR_PID=
}

# far_reap: ends every process left in the far namespace (by PID; all of them the test's):
# a far capture whose session was killed lives on until it next writes into the closed
# channel, which in a namespace about to go never comes.
far_reap() {
	[[ -n "$FAR_PID" ]] || return 0
	local ns p
	ns=$(readlink "/proc/$FAR_PID/ns/net") || return 0
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		[[ "$p" != "$FAR_PID" && "$(readlink "/proc/$p/ns/net" 2>/dev/null)" == "$ns" ]] &&
			kill "$p" 2>/dev/null
	done
	return 0
}

# far_wait_sockets IF COUNT: until COUNT packet sockets are bound to IF in the far namespace
# (10 s at most), then 1.5 s more: tcpdump binds its socket well before it takes packets
# (libpcap drops what came before its filter is set; after 0.5 s a far tcpdump still missed
# the first packets of a replay).
far_wait_sockets() {
	wait_sockets far_sockets "$@"
}

# local_wait_sockets IF COUNT: the same here, in the test's own namespace.
local_wait_sockets() {
	wait_sockets local_sockets "$@"
}

# wait_sockets COUNTER IF COUNT: the loop of the two above (COUNTER IF prints the number).
wait_sockets() {
	local n i
	for ((i = 0; i < 100; i++)); do
		n=$("$1" "$2")
		((n >= $3)) && { sleep 1.5; return 0; }
		sleep 0.1
	done
	return 1
}

# far_sockets IF: how many packet sockets are bound to IF in the far namespace now. A far
# capture of an earlier run may still hold one (it ends at its next write into its closed
# channel): wait for this many plus the new ones.
far_sockets() {
	local ifi
	ifi=$(far ip -o link show dev "$1" | cut -d: -f1)
	far awk -v ifi="$ifi" 'NR > 1 && $5 == ifi {c++} END {print c + 0}' /proc/net/packet
}

# local_sockets IF: as far_sockets, here.
local_sockets() {
	local ifi
	ifi=$(ip -o link show dev "$1" | cut -d: -f1)
	awk -v ifi="$ifi" 'NR > 1 && $5 == ifi {c++} END {print c + 0}' /proc/net/packet
}

# far_tcpdump_host N: what the tests of a far host with tcpdump (not capscope) do after
# remote_setup: the sanitizers' options, capscope's ssh command (CAPSCOPE_REMOTE_TIMEOUT 15 s
# unless set), N packets of mkpcap.py's mix in $RDIR/send.pcap, sshd with tcpdump on its PATH.
far_tcpdump_host() {
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1
	export CAPSCOPE_SSH_COMMAND="$SSH_CMD" CAPSCOPE_REMOTE_TIMEOUT=${CAPSCOPE_REMOTE_TIMEOUT:-15}
	python3 "$SRCDIR/tests/gen/mkpcap.py" mixed "$1" -o "$RDIR/send.pcap" >/dev/null || exit 1
	far_bin "$RDIR/bin" tcpdump /usr/bin/tcpdump
	sshd_start "$RDIR/bin:/usr/sbin:/usr/bin:/sbin:/bin"
}

# far_bin DIR TOOL TARGET: DIR/TOOL is a wrapper that notes its use in DIR/used.TOOL and
# runs TARGET with the same arguments (how a test knows which far tool ran).
far_bin() {
	mkdir -p "$1"
	printf '#!/bin/sh\necho "$$" >>"%s/used.%s"\nexec "%s" "$@"\n' "$1" "$2" "$3" >"$1/$2"
	chmod 755 "$1/$2"
}
