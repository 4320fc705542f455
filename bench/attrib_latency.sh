#!/usr/bin/env bash
# Attribution latency for a new connection (issue 13: median under 1 ms with eBPF, under
# 100 ms without), both backends in the same run, hermetic: a private network namespace whose
# veth pv0 has its peer pv1 in a second one (198.18.0.1 -> 198.18.0.2, a TCP listener there).
# tests/procs/ebpf_probe's `latency N ADDR PORT pv0`: a child reads CLOCK_MONOTONIC and
# connects; the probe takes the SYN off pv0 with a packet socket (as a capture would) and
# looks its tuple up until the child is the owner. eBPF: the child closes at once (the
# records outlive the socket); sock_diag + /proc (CAPSCOPE_PROBE_BACKEND=sockdiag): the child
# keeps the connection open until found (sock_diag sees open sockets only).
#   sudo bench/attrib_latency.sh [BUILD_DIR]     env: N=200 REPS=3
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${1:-$ROOT/build}
N=${N:-200} REPS=${REPS:-3}
PROBE=$BUILD/tests/ebpf_probe
[ -x "$PROBE" ] || PROBE=$(find "$BUILD" -name ebpf_probe -type f -perm -u+x | head -1)
[ -n "$PROBE" ] || { echo "build the tests first (target ebpf_probe)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)" >&2; exit 1; }
export PROBE N REPS HERE

exec timeout 600 unshare -n bash -c '
set -euo pipefail
source "$HERE/two_ns.sh"
two_ns_up 590
nsenter -t $peer -n python3 -c "
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((\"198.18.0.2\", 8080)); s.listen(1024); s.settimeout(1)
end = time.time() + 580
held = []
while time.time() < end:
    try:
        c, _ = s.accept(); held.append(c); held = held[-256:]
    except OSError:
        pass
" & srv=$!
trap "kill $srv $peer 2>/dev/null || true" EXIT
sleep 0.5
for i in $(seq $REPS); do
	for backend in ebpf sockdiag; do
		echo "latency $N 198.18.0.2 8080 pv0" |
			CAPSCOPE_PROBE_BACKEND=$backend "$PROBE" > /tmp/attrib-lat.$$ || true
		python3 - $backend /tmp/attrib-lat.$$ <<"PY"
import statistics, sys
v = []; miss = 0; first = ""
for line in open(sys.argv[2]):
    if line.startswith("lat "):
        v.append(int(line.split()[1]) / 1000)
    elif line.startswith("lat-miss"):
        miss += 1
    elif not first:
        first = line.strip()
if not v:
    print(f"{sys.argv[1]}: no measurement ({first})")
else:
    v.sort()
    print(f"{sys.argv[1]}: {len(v)} connections, {miss} missed: median {statistics.median(v):.1f} us, p90 {v[int(len(v) * 0.9) - 1]:.1f} us, max {v[-1]:.1f} us")
PY
	done
done
rm -f /tmp/attrib-lat.$$
'
