#!/usr/bin/env bash
# Whether a faster build still writes what another writes, byte for byte, for the outputs the
# --print speed work could change (each output's SHA-256 compared; the files are not kept):
#   bench/same_output.sh BASE_BUILD_DIR [BUILD_DIR]
# On appmix100k.pcap, quic100k.pcap (appmix1m's last 100,000 packets: its QUIC part) and
# mix100k.pcap (bench/threads.sh makes the first and last; this makes quic100k): --print, --print --names,
# -tt, -T fields with 8 fields and with the SNI alone, --json and -x (first 20,000 packets:
# the whole files give gigabytes), -Y, -z follow alone and with --print, and --print with the
# writer thread off (CAPSCOPE_PRINT_THREAD=0); standard error and the exit status count too.
# Prints one line a command; exit 1 if any differ.
set -euo pipefail
BASEB=${1:?usage: bench/same_output.sh BASE_BUILD_DIR [BUILD_DIR]}
shift
. "$(dirname "$0")/lib.sh"
[ -x "$BASEB/capscope" ] || { echo "no capscope in $BASEB" >&2; exit 1; }
export TZ=UTC
F8="-e frame.number -e ip.src -e tcp.stream -e tcp.seq -e tcp.analysis.flags -e tls.handshake.extensions_server_name -e http.host -e dns.qry.name"
fail=0
one() { # one FILE ARGS...: the same digest from both builds
	local f=$1 a b
	shift
	a=$({ "$BASEB/capscope" -r "$f" "$@" 2>&1; echo "exit $?"; } | sha256sum)
	b=$({ "$CS" -r "$f" "$@" 2>&1; echo "exit $?"; } | sha256sum)
	if [ "$a" = "$b" ]; then
		echo "same      ${CAPSCOPE_PRINT_THREAD:+CAPSCOPE_PRINT_THREAD=0 }$(basename "$f") $*"
	else
		echo "DIFFERENT ${CAPSCOPE_PRINT_THREAD:+CAPSCOPE_PRINT_THREAD=0 }$(basename "$f") $*"
		fail=1
	fi
}
Q=$W/quic100k.pcap
[ -f "$Q" ] || editcap -r "$W/appmix1m.pcap" "$Q" 900001-1000000
for f in "$W/appmix100k.pcap" "$Q" "$W/mix100k.pcap"; do
	[ -f "$f" ] || { echo "missing $f (run bench/threads.sh first)" >&2; exit 1; }
	one "$f" --print
	CAPSCOPE_PRINT_THREAD=0 one "$f" --print
	one "$f" --print --names
	one "$f" --print -tt
	# shellcheck disable=SC2086
	one "$f" -T fields $F8
	one "$f" -T fields -e tls.handshake.extensions_server_name
	one "$f" --json -c 20000
	one "$f" --print -x -c 20000
	one "$f" --print -Y 'tcp.analysis.flags || tls.handshake.type || http || dns || udp.length > 100'
	one "$f" -q -z follow,tcp,ascii,7
	one "$f" --print -z follow,tcp,hex,3
	one "$f" --print -z follow,udp,ascii,1
done
exit $fail
