#!/usr/bin/env bash
# test_print_pipe.sh - --print reading a file writes its lines on a thread of its own
# (src/cli/print_pipe.c); the hand-off must change nothing a user sees:
#   same bytes   --print, -tt, --utc, -Y, -c N on a 30,000-packet mix (some 60 blocks of lines)
#                and on the corpus (a sample: tests/lib/corpus_files.sh): the output and exit status equal those
#                with CAPSCOPE_PRINT_THREAD=0 (the lines printed by the decoding thread)
#   -c N         exactly the first N lines of the whole output
#   the thread   while running, capscope has one thread more than with the variable set
#   SIGPIPE      | head -n 5 and | head -c 100000 (cut inside a block): the first lines, whole
#                to the cut; capscope ends at once with the same status as without the thread
#   Ctrl-C       mid-file, the reader slow: capscope ends, what it wrote is whole lines, a
#                prefix of the whole output, and fewer lines than the file has
# Exit: 0 pass, 1 fail, 77 skipped.
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
: "${CORPUS:=$SRCDIR/../shared/corpus}"
[[ -n "${CAPSCOPE:-}" && -x "${CAPSCOPE}" ]] || { echo "SKIP: CAPSCOPE is not set"; exit 77; }
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export TZ=UTC

source "$SRCDIR/tests/lib/check.sh"
source "$SRCDIR/tests/lib/corpus_files.sh"
W=$WORKDIR
rm -rf "$W" && mkdir -p "$W"
M=$W/m.pcap
timeout 60 python3 "$SRCDIR/tests/gen/mkpcap.py" mixed 30000 -o "$M" || { echo "mkpcap failed"; exit 1; }

# same FILE ARGS...: the thread's output and status equal the decoding thread's
same() {
	local f=$1 rc1 rc2
	shift
	timeout 120 "$CAPSCOPE" -r "$f" "$@" >"$W/pipe.out" 2>"$W/pipe.err"
	rc1=$?
	CAPSCOPE_PRINT_THREAD=0 timeout 120 "$CAPSCOPE" -r "$f" "$@" >"$W/one.out" 2>"$W/one.err"
	rc2=$?
	[[ $rc1 == "$rc2" ]] || { echo "  $f $*: status $rc1 with the thread, $rc2 without"; return 1; }
	cmp -s "$W/pipe.out" "$W/one.out" || {
		echo "  $f $*: outputs differ"
		cmp "$W/pipe.out" "$W/one.out" | head -3
		return 1
	}
	cmp -s "$W/pipe.err" "$W/one.err" || { echo "  $f $*: stderr differs"; return 1; }
}

check "mix --print" same "$M" --print
check "mix --print -tt" same "$M" --print -tt
check "mix --print --utc" same "$M" --print --utc
check "mix --print -Y 'tcp || dns'" same "$M" --print -Y 'tcp || dns'
check "mix --print -c 4321" same "$M" --print -c 4321
check "mix --print -Y udp -c 999" same "$M" --print -Y udp -c 999

timeout 120 "$CAPSCOPE" -r "$M" --print >"$W/all.out" 2>/dev/null
total=$(wc -l <"$W/all.out")
check "the mix spans many blocks ($total lines, $(wc -c <"$W/all.out") bytes)" \
	test "$(wc -c <"$W/all.out")" -gt $((16 * 65536))

firstn() { # firstn N FILE: FILE holds exactly the first N lines of the whole output
	[[ $(wc -l <"$2") == "$1" ]] && cmp -s "$2" <(head -n "$1" "$W/all.out")
}
timeout 60 "$CAPSCOPE" -r "$M" --print -c 4321 >"$W/c.out" 2>/dev/null
check "-c 4321 prints the first 4321 lines" firstn 4321 "$W/c.out"

n=0 nbad=0
while IFS= read -r -d '' f; do
	n=$((n + 1))
	same "$f" --print || nbad=$((nbad + 1))
done < <(corpus_files "$CORPUS")
if ((n == 0)); then
	part_skipped "no corpus at $CORPUS"
else
	check "corpus: $n captures ($(corpus_sample_note)), --print the same with and without the thread ($nbad differ)" \
		test "$nbad" -eq 0
fi

# threads PID: how many threads the process has
threads() { ls "/proc/$1/task" 2>/dev/null | wc -l; }

# A reader that takes 4 KiB every 20 ms: capscope blocks in write() with lines pending.
slow_reader() {
	python3 -c '
import sys, time
out = open(sys.argv[1], "wb")
while True:
    b = sys.stdin.buffer.read1(4096)
    if not b:
        break
    out.write(b)
    out.flush()
    time.sleep(0.02)
' "$1"
}

# interrupted OUT [ENV...]: capscope into the slow reader (which writes OUT), Ctrl-C after
# 1 s; prints its thread count then and its exit status (or "hung")
interrupted() {
	local out=$1 pid cnt rpid
	shift
	rm -f "$out"
	exec 3> >(slow_reader "$out")
	rpid=$!
	env "$@" "$CAPSCOPE" -r "$M" --print >&3 2>"$W/slow.err" &
	pid=$!
	exec 3>&-
	sleep 1
	cnt=$(threads "$pid")
	kill -INT "$pid" 2>/dev/null
	local t0=$SECONDS
	while kill -0 "$pid" 2>/dev/null && ((SECONDS - t0 < 20)); do sleep 0.1; done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null
		echo "hung"
		return
	fi
	wait "$pid"
	local rc=$?
	t0=$SECONDS # the reader takes the bytes left in the pipe, then sees its end
	while kill -0 "$rpid" 2>/dev/null && ((SECONDS - t0 < 20)); do sleep 0.1; done
	echo "$cnt $rc"
}

read -r th_pipe rc_pipe < <(interrupted "$W/int.out")
read -r th_one rc_one < <(interrupted "$W/int1.out" CAPSCOPE_PRINT_THREAD=0)
check "the writer thread runs (threads: $th_pipe with it, $th_one without)" \
	test "$th_pipe" -eq $((th_one + 1))
check "Ctrl-C mid-file: capscope ends (status $rc_pipe; without the thread $rc_one)" \
	test "${rc_pipe:-x}" == "${rc_one:-y}"
got=$(wc -l <"$W/int.out")
whole() { [[ ! -s $1 ]] || [[ $(tail -c 1 "$1" | od -An -c | tr -d ' ') == '\n' ]]; }
prefix() { cmp -s "$1" <(head -c "$(wc -c <"$1")" "$W/all.out"); }
check "Ctrl-C mid-file: $got of $total lines, whole lines" whole "$W/int.out"
check "Ctrl-C mid-file: a prefix of the whole output" prefix "$W/int.out"
check "Ctrl-C mid-file: stopped before the end" test "$got" -gt 0 -a "$got" -lt "$total"

# SIGPIPE: head takes what it wants and leaves; capscope must end at once
pipe_status() { # pipe_status HEADARGS...: "status of capscope" and head's output in $W/head.out
	local t0=$SECONDS rc
	timeout 30 "$CAPSCOPE" -r "$M" --print 2>"$W/head.err" | head "$@" >"$W/head.out"
	rc=${PIPESTATUS[0]}
	echo "$rc $((SECONDS - t0))"
}
read -r rc_h dt_h < <(pipe_status -n 5)
read -r rc_h1 _ < <(CAPSCOPE_PRINT_THREAD=0 pipe_status -n 5)
check "| head -n 5: the first 5 lines" firstn 5 "$W/head.out"
check "| head -n 5: capscope's status $rc_h (without the thread $rc_h1), within ${dt_h}s" \
	test "$rc_h" == "$rc_h1" -a "$rc_h" != 124
read -r rc_c _ < <(pipe_status -c 100000)
check "| head -c 100000: the first 100000 bytes" cmp -s "$W/head.out" <(head -c 100000 "$W/all.out")
check "| head -c 100000: capscope's status $rc_c" test "$rc_c" == "$rc_h1"

check_summary
