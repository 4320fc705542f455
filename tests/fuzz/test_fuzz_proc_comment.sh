#!/usr/bin/env bash
# test_fuzz_proc_comment.sh - builds the pcapng process comment harness (fuzz_proc_comment.c)
# with clang (ASan + UBSan) and runs it for a bounded time from seeds: comments as capscope
# writes them, and cut, garbled and overlong ones. Any crash, sanitizer report or round trip
# that changes a field fails the test. Exit 77 (skipped) when clang or its fuzzer runtime is
# missing.
set -euo pipefail
: "${SRCDIR:?}" "${WORKDIR:?}"
SECS=${FUZZ_SECONDS:-20}
source "$SRCDIR/tests/lib/fuzz.sh"
FUZZ_EXTRA_SRCS="$SRCDIR/src/procs/proc_comment.c" fuzz_build fuzz_proc_comment
mkdir -p "$WORKDIR/seeds"
printf 'Process: curl[4242]\nPID: 4242\nCommand: curl\nUser: root (0)\nStart: 123\nCmdline: curl -s http://198.18.0.2/\nCgroup: /system.slice/x.service\nContainer: 0123abcd\nDirection: out\n' \
	>"$WORKDIR/seeds/full"
printf 'Process: a\\x0a[1][7]\r\nPID: 7\r\nUser: b\\x28 (\nDirection: in' >"$WORKDIR/seeds/odd"
printf 'PID: 4294967295\nCommand: \\\\\\x41\\x0\\x00\nUser: x (4294967294)\n' >"$WORKDIR/seeds/edges"
head -c 3000 /dev/zero | tr '\0' 'A' | sed 's/^/PID: 1\nCmdline: /' >"$WORKDIR/seeds/long"
fuzz_run fuzz_proc_comment 4096 "pcapng process comments"
