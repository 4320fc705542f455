# netns.sh - the hermetic set-up every live test shares. Sourced, not run.
#
# netns_enter TIMEOUT UNSHARE_FLAGS TOOL...   (call with the script's own "$0" in NETNS_SCRIPT)
#   Outside the namespace: skips (exit 77, with the reason) unless CAPSCOPE is an executable,
#   we are root, the tools are there and a namespace can be made; then re-runs the script
#   under `unshare UNSHARE_FLAGS` (bounded by TIMEOUT seconds) and exits with its status.
#   Inside (CAPSCOPE_IN_NETNS=1) it returns at once. Variables named in NETNS_EXPORT are
#   passed through as well as CAPSCOPE, SRCDIR and WORKDIR.
# netns_possible TOOL...     (for a test whose namespaced part is optional)
#   Returns 0 when root, the tools and a network namespace are available; else reports the
#   part as skipped with what is missing (counted by check.sh's part_skipped) and returns 1.
# netns_run TIMEOUT UNSHARE_FLAGS
#   Re-runs "$NETNS_SCRIPT" under unshare as netns_enter does, and returns its status.
# netns_veth
#   Inside: refuses to go on unless only `lo` is visible (a fresh, private namespace), turns
#   IPv6 off so the kernel sends nothing of its own, and makes the veth pair cs0 <-> cs1, up.
#   Nothing ever touches the machine's real interfaces.
# netns_veth2
#   Inside, after netns_veth: a second pair cs2 <-> cs3, up (several sources at once).
# netns_veth3
#   Inside, after netns_veth2: a third pair cs4 <-> cs5, up (three sources at once).

netns_enter() {
	local limit=$1 flags=$2 rc=0
	shift 2
	[[ "${CAPSCOPE_IN_NETNS:-}" == 1 ]] && return 0
	[[ -n "${CAPSCOPE:-}" && -x "$CAPSCOPE" ]] ||
		{ echo "SKIP: CAPSCOPE (the built binary) is not set or not executable: '${CAPSCOPE:-}'"; exit 77; }
	netns_why "$flags" "$@" && { echo "SKIP: $NETNS_WHY"; exit 77; }
	netns_run "$limit" "$flags" || rc=$?
	exit $rc
}

# Sets NETNS_WHY and returns 0 when something the namespaced part needs is missing.
netns_why() {
	local flags=$1
	shift
	NETNS_WHY=
	if (($(id -u) != 0)); then
		NETNS_WHY="needs root (namespaces, veth, raw capture)"
		return 0
	fi
	for tool in unshare ip timeout sysctl "$@"; do
		command -v "$tool" >/dev/null || { NETNS_WHY="$tool is missing"; return 0; }
	done
	timeout 10 unshare $flags true 2>/dev/null ||
		{ NETNS_WHY="cannot create the namespaces (unshare $flags failed)"; return 0; }
	return 1
}

netns_possible() {
	netns_why -n "$@" || return 0
	if declare -F part_skipped >/dev/null; then
		part_skipped "the network namespace part: $NETNS_WHY"
	else
		echo "SKIP (part): the network namespace part: $NETNS_WHY"
	fi
	return 1
}

netns_run() {
	local limit=$1 flags=$2 rc=0
	mkdir -p "$WORKDIR"
	export CAPSCOPE_IN_NETNS=1 CAPSCOPE SRCDIR WORKDIR ${NETNS_EXPORT:-}
	timeout "$limit" unshare $flags bash "$NETNS_SCRIPT" || rc=$?
	unset CAPSCOPE_IN_NETNS
	((rc == 124)) && echo "FAIL: the namespaced test did not finish within $limit s"
	return $rc
}

netns_veth() {
	local others
	others=$(timeout 5 ip -o link show | awk -F': ' '{print $2}' | grep -v '^lo$' || true)
	[[ -z "$others" ]] || { echo "FAIL: not in a private network namespace (visible: $others)"; exit 1; }
	timeout 5 sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 \
		>/dev/null || echo "note: could not disable IPv6 in the namespace"
	timeout 5 ip link add cs0 type veth peer name cs1 && timeout 5 ip link set cs0 up &&
		timeout 5 ip link set cs1 up || { echo "FAIL: cannot create the veth pair cs0/cs1"; exit 1; }
}

netns_veth2() {
	timeout 5 ip link add cs2 type veth peer name cs3 && timeout 5 ip link set cs2 up &&
		timeout 5 ip link set cs3 up || { echo "FAIL: cannot create the veth pair cs2/cs3"; exit 1; }
}

netns_veth3() {
	timeout 5 ip link add cs4 type veth peer name cs5 && timeout 5 ip link set cs4 up &&
		timeout 5 ip link set cs5 up || { echo "FAIL: cannot create the veth pair cs4/cs5"; exit 1; }
}
