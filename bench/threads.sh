#!/usr/bin/env bash
# Instructions per thread of the offline commands issue 12's speed targets are about, counted
# by callgrind (instruction counts do not depend on what else the machine runs, wall times do):
#   bench/threads.sh [BUILD_DIR]         (BASE=OLD_BUILD_DIR adds its rows to the same table)
# Commands: appmix100k --print, mix100k --print (the UDP mix), appmix100k -T fields -e
# tls.handshake.extensions_server_name. Files (made once into bench/work/): appmix100k.pcap is
# the first 100,000 packets of appmix1m.pcap (bench/appmix.sh makes that), mix100k.pcap the
# first 100,000 of mix1m.pcap (bench/offline.sh). Threads: 1 decodes (the main thread),
# 2 reads the file (the capture thread), 3 writes --print's lines (print_pipe.c); with two
# cores wall time follows the busiest. Needs valgrind, editcap. Takes ~1 minute a build.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
OUT=$W/threads
mkdir -p "$OUT"
A=$W/appmix100k.pcap M=$W/mix100k.pcap
[ -f "$A" ] || { [ -f "$W/appmix1m.pcap" ] || { echo "run bench/appmix.sh first (it makes appmix1m.pcap)" >&2; exit 1; }
	editcap -r "$W/appmix1m.pcap" "$A" 1-100000; }
[ -f "$M" ] || { [ -f "$W/mix1m.pcap" ] || { echo "run bench/offline.sh first (it makes mix1m.pcap)" >&2; exit 1; }
	editcap -r "$W/mix1m.pcap" "$M" 1-100000; }

# counts LABEL BIN ARGS...: "t1 t2 t3" in millions (- for a thread that did not run)
counts() {
	local label=$1 bin=$2
	shift 2
	rm -f "$OUT/$label".cg*
	valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$OUT/$label.cg" \
		"$bin" "$@" >/dev/null 2>"$OUT/$label.err"
	for t in 01 02 03; do
		f=$OUT/$label.cg-$t
		if [ -f "$f" ]; then
			awk '/^(summary|totals):/ { printf "%.1fM ", $2 / 1e6; exit }' "$f"
		else
			printf -- "- "
		fi
	done
	echo
}

echo "| command | build | decoding thread | reader thread | writer thread |"
echo "|---|---|---|---|---|"
SNI=tls.handshake.extensions_server_name
for b in ${BASE:+"$BASE"} "$BUILD"; do
	n=$(basename "$b")
	read -r t1 t2 t3 < <(counts "$n-print" "$b/capscope" -r "$A" --print)
	echo "| appmix100k --print | $n | $t1 | $t2 | $t3 |"
	read -r t1 t2 t3 < <(counts "$n-mix" "$b/capscope" -r "$M" --print)
	echo "| mix100k --print | $n | $t1 | $t2 | $t3 |"
	read -r t1 t2 t3 < <(counts "$n-fields" "$b/capscope" -r "$A" -T fields -e $SNI)
	echo "| appmix100k -T fields -e $SNI | $n | $t1 | $t2 | $t3 |"
done
