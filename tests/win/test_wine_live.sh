#!/usr/bin/env bash
# test_wine_live.sh - the Windows package (capscope.exe, cross-built by lib.sh's win_package)
# capturing live under wine, through wine's wpcap.dll (which forwards to the host's libpcap),
# in a private network namespace (tests/lib/netns.sh: veth cs0 <-> cs1, nothing else).
#  1. -D --json under wine: every adapter has an Npcap-style name (\Device\NPF_{...}) and the
#     descriptions are the namespace's interfaces (cs0, cs1, lo: `ip link`).
#  2. -i cs1 (the description) -c N -w: capscope.exe and the Linux build capture the same
#     tcpreplay of N generated packets at the same time; both files must hold exactly the
#     packets sent (bytes and order, compared with tcpdump -x) and stderr says N captured.
#  3. --print live, -i by the NPF name: the lines of capscope.exe and of the Linux build
#     (capturing the same replay at the same time) are the same, less the timestamp column
#     (each capture stamps its own copy).
#  4. -i by number (cs1's place in -D's list) -c N -w keeps exactly the packets sent.
# Exit: 0 pass, 1 fail, 77 skipped (wine, mingw-w64, root or namespaces missing).
set -euo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
N=${LIVE_PACKETS:-200}
source "$SRCDIR/tests/win/lib.sh"
NETNS_SCRIPT=$0
win_netns_enter tcpreplay tcpdump python3

# ---------------------------------------------------------------- inside the private netns
fail() {
	echo "FAIL: $*"
	exit 1
}
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	win_cleanup
}
trap cleanup EXIT
netns_veth
win_prefix

# Waits (up to 60 s: wine's first start creates the prefix) until $1 packet sockets are bound
# to cs1, as /proc/net/packet lists them; no probe packets are sent.
wait_bound() {
	local want=$1 ifindex
	ifindex=$(timeout 5 ip -o link show dev cs1 | cut -d: -f1)
	for _ in $(seq 600); do
		if (($(awk -v ifi="$ifindex" 'NR > 1 && $5 == ifi {n++} END {print n + 0}' /proc/net/packet) >= want)); then
			sleep 0.5
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# 1. -D --json under wine against the Linux build's names.
win_run -D --json >"$WORKDIR/win-D.json" 2>"$WORKDIR/win-D.err" || { cat "$WORKDIR/win-D.err"; fail "capscope.exe -D --json"; }
timeout 5 ip -o link show | awk -F': ' '{sub(/@.*/, "", $2); print $2}' >"$WORKDIR/links.txt"
python3 - "$WORKDIR/win-D.json" "$WORKDIR/links.txt" <<'PY' || fail "-D --json under wine"
import json, re, sys
win = json.load(open(sys.argv[1]))["adapters"]
# capscope escapes what the system names (src/base/escape.h): a backslash is doubled.
for a in win:
    a["name"] = a["name"].replace("\\\\", "\\")
bad = [a["name"] for a in win if not re.fullmatch(r"\\Device\\NPF_\{[0-9A-Fa-f-]{36}\}", a["name"])]
if bad:
    sys.exit(f"not Npcap-style names: {bad}")
wd = sorted(a["description"] for a in win)
ln = sorted(open(sys.argv[2]).read().split())
if wd != ln:
    sys.exit(f"descriptions {wd} != the namespace's interfaces {ln}")
print(f"ok: -D --json under wine: {len(win)} adapters, NPF names, descriptions {wd}")
PY
num=$(python3 -c 'import json,sys; print([i + 1 for i, a in enumerate(json.load(open(sys.argv[1]))["adapters"]) if a["description"] == "cs1"][0])' "$WORKDIR/win-D.json")
npf=$(python3 -c 'import json,sys; print([a["name"].replace("\\\\", "\\") for a in json.load(open(sys.argv[1]))["adapters"] if a["description"] == "cs1"][0])' "$WORKDIR/win-D.json")
[[ "$npf" == '\Device\NPF_{'* ]] || fail "no NPF name for cs1 in -D --json: '$npf'"

gen="$WORKDIR/gen.pcap"
timeout 30 python3 "$SRCDIR/tests/gen/mkpcap.py" mixed "$N" -o "$gen"
replay() {
	timeout 120 tcpreplay -q -i cs0 --pps 1000 "$gen" >"$WORKDIR/tcpreplay.log" 2>&1 ||
		{ cat "$WORKDIR/tcpreplay.log"; fail "tcpreplay failed"; }
}
finish() { # pid name: waits for a capture, fails unless it ended by itself with status 0
	local rc=0
	wait "$1" || rc=$?
	((rc != 124)) || fail "$2 did not stop after $N packets"
	((rc == 0)) || { cat "$WORKDIR/$2.err"; fail "$2 exited with $rc"; }
}

# Both builds capture one replay: capture_both TAG WIN_IFACE ARGS... (stdout to win.TAG and
# lin.TAG, stderr to win-TAG.err and lin-TAG.err; @B@ in ARGS becomes win or lin; the Linux
# build takes -i cs1).
capture_both() {
	local tag=$1 iface=$2
	shift 2
	WIN_TIMEOUT=240 win_run -i "$iface" -c "$N" "${@//@B@/win}" >"$WORKDIR/win.$tag" 2>"$WORKDIR/win-$tag.err" &
	pids+=($!)
	wait_bound 1 || { cat "$WORKDIR/win-$tag.err"; fail "capscope.exe -i '$iface' did not start capturing"; }
	timeout 240 "$CAPSCOPE" -i cs1 -c "$N" "${@//@B@/lin}" >"$WORKDIR/lin.$tag" 2>"$WORKDIR/lin-$tag.err" &
	pids+=($!)
	wait_bound 2 || fail "the Linux build did not start capturing on cs1"
	replay
	finish "${pids[0]}" "win-$tag"
	finish "${pids[1]}" "lin-$tag"
	pids=()
}

# 2. -w, both builds on the same replay.
capture_both w cs1 -w "$WORKDIR/@B@.pcap"
hexdump_of() { timeout 30 tcpdump -r "$1" -x 2>/dev/null | grep -E '^\s+0x'; }
hexdump_of "$gen" >"$WORKDIR/gen.hex"
for f in win lin; do
	hexdump_of "$WORKDIR/$f.pcap" >"$WORKDIR/$f.hex"
	cmp -s "$WORKDIR/gen.hex" "$WORKDIR/$f.hex" || fail "$f.pcap does not hold exactly the $N packets sent"
done
tr -d '\r' <"$WORKDIR/win-w.err" | grep -q "^$N packets captured" || { cat "$WORKDIR/win-w.err"; fail "capscope.exe's stderr does not say $N packets captured"; }
echo "ok: -i cs1 -c $N -w under wine keeps exactly the packets sent, as the Linux build's capture does"

# 3. --print live, -i by the NPF name.
capture_both print "$npf" --print
n=$(wc -l <"$WORKDIR/lin.print")
((n == N)) || fail "the Linux build printed $n lines, not $N"
tr -d '\r' <"$WORKDIR/win.print" | cut -d' ' -f2- >"$WORKDIR/win.lines"
cut -d' ' -f2- "$WORKDIR/lin.print" >"$WORKDIR/lin.lines"
diff "$WORKDIR/lin.lines" "$WORKDIR/win.lines" >"$WORKDIR/print.diff" ||
	{ head -n 20 "$WORKDIR/print.diff"; fail "--print under wine differs from the Linux build's"; }
echo "ok: --print live under wine (-i by the NPF name) matches the Linux build's $N lines"

# 4. -i by number, both builds on the same replay (the Linux build by name).
capture_both num "$num" -w "$WORKDIR/@B@-num.pcap"
hexdump_of "$WORKDIR/win-num.pcap" >"$WORKDIR/win-num.hex"
cmp -s "$WORKDIR/gen.hex" "$WORKDIR/win-num.hex" || fail "-i $num (cs1 by number) under wine did not keep exactly the $N packets sent"
echo "ok: -i $num (cs1's number in -D) under wine keeps exactly the packets sent"
