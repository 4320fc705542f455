# two_ns.sh - the two network namespaces the process attribution benches share. Sourced,
# inside a shell already in a private network namespace (`unshare -n`):
#   two_ns_up SECONDS
# makes the veth pv0 (here, 198.18.0.1/24) <-> pv1 (198.18.0.2/24) with pv1 in a second
# namespace held by a process living SECONDS, whose pid is left in $peer (run commands there
# with `nsenter -t $peer -n`); IPv6 off so the kernel sends nothing of its own.
two_ns_up() {
	ip link set lo up
	ip link add pv0 type veth peer name pv1
	unshare -n sleep "$1" &
	peer=$!
	sleep 0.2
	ip link set pv1 netns "$peer"
	ip addr add 198.18.0.1/24 dev pv0
	ip link set pv0 up
	nsenter -t "$peer" -n sh -c "ip link set lo up; ip addr add 198.18.0.2/24 dev pv1; ip link set pv1 up"
	sysctl -qw net.ipv6.conf.all.disable_ipv6=1
}
