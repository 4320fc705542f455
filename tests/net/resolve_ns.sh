# resolve_ns.sh - the two namespaces and the PTR server of the --resolve tests
# (net/test_resolve.sh, tui/test_tui_resolve.sh). Sourced before netns_enter; all but
# resolve_require_cares run inside the test's private namespace, after netns_veth; `fail`
# and the array `pids` are the caller's.
#
# resolve_peer_up: 198.18.0.1/24 here on cs0 (and a multicast route), the peer namespace
#   (`unshare -n`, its holder in $holder) with cs1 at 198.18.0.2 and 198.18.0.10-60.
# resolve_server MODE PORT LOG: resolve_peer.py's DNS server in the peer (answer, silent,
#   hostile), waited for.
# resolve_wait_bound PID: until capscope has a packet socket on cs0 (5 s at most).
# resolve_require_cares: outside the namespace, skips (exit 77) a capscope without c-ares.
RESOLVE_PY="$SRCDIR/tests/net/resolve_peer.py"

resolve_require_cares() {
	if [[ "${CAPSCOPE_IN_NETNS:-}" != 1 && -x "${CAPSCOPE:-}" ]] &&
		"$CAPSCOPE" --version | grep -q -- '--resolve: without'; then
		echo "SKIP: capscope was built without c-ares (--resolve unavailable)"
		exit 77
	fi
}

resolve_peer_up() {
	unshare -n sleep 140 & # bounded by its own time; $! is the namespace's only process
	holder=$!
	pids+=("$holder")
	sleep 0.2
	[[ "$(readlink /proc/$holder/ns/net)" != "$(readlink /proc/self/ns/net)" ]] ||
		fail "the peer namespace was not made"
	timeout 5 ip link set cs1 netns "$holder" || fail "cannot move cs1 into the peer namespace"
	timeout 5 ip addr add 198.18.0.1/24 dev cs0
	timeout 5 ip link set lo up
	timeout 5 ip route add 224.0.0.0/4 dev cs0
	peer_ip link set lo up && peer_ip addr add 198.18.0.2/24 dev cs1 && peer_ip link set cs1 up ||
		fail "cannot set up cs1 in the peer namespace"
	for i in $(seq 10 60); do
		peer_ip addr add "198.18.0.$i/24" dev cs1 || fail "cannot add 198.18.0.$i"
	done
}

peer_ip() { timeout 5 nsenter -t "$holder" -n ip "$@"; }

resolve_server() { # MODE PORT LOG
	timeout 100 nsenter -t "$holder" -n python3 "$RESOLVE_PY" server "$1" 198.18.0.2 "$2" "$3" 90 &
	pids+=("$!")
	for _ in $(seq 50); do
		[[ -s $3 ]] && return 0
		sleep 0.1
	done
	fail "the DNS server ($1) did not start"
}

resolve_wait_bound() { # PID
	local ifi
	ifi=$(timeout 5 ip -o link show dev cs0 | cut -d: -f1)
	for _ in $(seq 50); do
		awk -v ifi="$ifi" 'NR > 1 && $5 == ifi {f = 1} END {exit !f}' /proc/net/packet && {
			sleep 0.5
			return 0
		}
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	fail "capscope did not start capturing on cs0"
}
