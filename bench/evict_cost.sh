#!/usr/bin/env bash
# evict_cost.sh - instructions a packet of the bounded tables that evict (bench/evict_cost.c:
# the Processes view's totals, the process table, the conversation tables; below their
# bounds and in a flood past them), counted by callgrind for the driver built from each
# source tree given (cc -O2 -flto, as the default build; a tree's files that do not exist
# are left out, so a tree from before the change builds too): (Ir of N packets - Ir of none)
# / N. Not in CI.
#   bench/evict_cost.sh SRC_TREE [SRC_TREE ...]    env: N=1000000
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
N=${N:-1000000}
W=$HERE/work
command -v valgrind >/dev/null || { echo "valgrind is missing" >&2; exit 1; }
mkdir -p "$W"
FILES="src/model/proc_stats.c src/model/proc_flows.c src/procs/proctab.c src/decode/conv.c
src/decode/cursor.c src/base/addr.c src/base/recency.c src/base/probe_remove.c"
ir() { # BINARY WHAT N -> total Ir
	local out=$W/evict.$$.cg
	valgrind -q --tool=callgrind --callgrind-out-file="$out" "$1" "$2" "$3" >/dev/null
	awk '/^summary:/ {print $2}' "$out"
	rm -f "$out"
}
for tree in "$@"; do
	bin=$W/evict_cost.$$.$(basename "$tree")
	srcs=
	for f in $FILES; do [ -f "$tree/$f" ] && srcs="$srcs $tree/$f"; done
	cc -std=c11 -O2 -flto -I"$tree/src" -o "$bin" "$HERE/evict_cost.c" $srcs
	for what in procs-steady procs-flood proctab-steady proctab-flood conv-steady conv-flood; do
		a=$(ir "$bin" $what "$N") b=$(ir "$bin" $what 0)
		python3 -c "print(f'$tree $what: {($a - $b) / $N:.1f} Ir a packet ({$a - $b:,} for {$N:,})')"
	done
	rm -f "$bin"
done
