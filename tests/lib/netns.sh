# netns.sh - the hermetic set-up every live test shares. Sourced, not run.
#
# netns_enter TIMEOUT UNSHARE_FLAGS TOOL...   (call with the script's own "$0" in NETNS_SCRIPT)
#   Outside the namespace: skips (exit 77, with the reason) unless CAPSCOPE is an executable,
#   we are root, the tools are there and a namespace can be made; then re-runs the script
#   under `unshare UNSHARE_FLAGS` (bounded by TIMEOUT seconds) and exits with its status.
#   Inside (CAPSCOPE_IN_NETNS=1) it returns at once. Variables named in NETNS_EXPORT are
#   passed through as well as CAPSCOPE, SRCDIR and WORKDIR.
# netns_veth
#   Inside: refuses to go on unless only `lo` is visible (a fresh, private namespace), turns
#   IPv6 off so the kernel sends nothing of its own, and makes the veth pair cs0 <-> cs1, up.
#   Nothing ever touches the machine's real interfaces.

netns_enter() {
	local limit=$1 flags=$2 rc=0
	shift 2
	[[ "${CAPSCOPE_IN_NETNS:-}" == 1 ]] && return 0
	[[ -n "${CAPSCOPE:-}" && -x "$CAPSCOPE" ]] ||
		{ echo "SKIP: CAPSCOPE (the built binary) is not set or not executable: '${CAPSCOPE:-}'"; exit 77; }
	(($(id -u) == 0)) || { echo "SKIP: needs root (namespaces, veth, raw capture)"; exit 77; }
	for tool in unshare ip timeout sysctl "$@"; do
		command -v "$tool" >/dev/null || { echo "SKIP: $tool is missing"; exit 77; }
	done
	timeout 10 unshare $flags true 2>/dev/null ||
		{ echo "SKIP: cannot create the namespaces (unshare $flags failed)"; exit 77; }
	mkdir -p "$WORKDIR"
	export CAPSCOPE_IN_NETNS=1 CAPSCOPE SRCDIR WORKDIR ${NETNS_EXPORT:-}
	timeout "$limit" unshare $flags bash "$NETNS_SCRIPT" || rc=$?
	((rc == 124)) && echo "FAIL: the namespaced test did not finish within $limit s"
	exit $rc
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
