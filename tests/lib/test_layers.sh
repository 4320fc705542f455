#!/usr/bin/env bash
# test_layers.sh - the include rules between layers (cmake/CheckLayers.cmake, a build step)
# hold on the real tree and catch each kind of violation on small made-up trees: capture or
# decode including a ui, model or views header, model including curses, a view including a
# capture header, curses outside ui/curses_compat.h.
set -uo pipefail
: "${SRCDIR:?}" "${WORKDIR:?}"
check_script="$SRCDIR/cmake/CheckLayers.cmake"
source "$SRCDIR/tests/lib/check.sh"

# layers SRC_TREE -> 0 when the rules hold
layers() { cmake -DSRC="$1" -P "$check_script" >"$WORKDIR/out" 2>&1; }

expect() { # NAME WANT(ok|broken) FILE CONTENT
	local name=$1 want=$2 file=$3 content=$4 tree="$WORKDIR/tree" got=ok
	rm -rf "$tree" && mkdir -p "$tree/ui" "$(dirname "$tree/$file")"
	echo '#include <curses.h>' >"$tree/ui/curses_compat.h"
	printf '%s\n' "$content" >"$tree/$file"
	layers "$tree" || got=broken
	if [[ $got == "$want" ]] && { [[ $want == ok ]] || grep -q "src/$file" "$WORKDIR/out"; }; then
		ok "$name"
	else
		bad "$name (got $got)"
		cat "$WORKDIR/out"
	fi
}

mkdir -p "$WORKDIR"
layers "$SRCDIR/src" || cat "$WORKDIR/out"
check "the real tree keeps the rules" layers "$SRCDIR/src"
expect "decode may include base" ok decode/a.c '#include "base/escape.h"'
expect "decode may not include ui" broken decode/a.c '#include "ui/term.h"'
expect "capture may not include model" broken capture/a.c '#include "model/model.h"'
expect "capture may not include views" broken capture/a.h '#include "views/view.h"'
expect "decode may not include capture" broken decode/a.c '#include "capture/ring.h"'
expect "model may not include curses" broken model/a.c '#include <curses.h>'
expect "model may not include ui" broken model/a.c '#include "ui/app.h"'
expect "views may not include capture" broken views/a.c '#include "capture/adapter.h"'
expect "a view may not include ncursesw" broken views/a.c '#include <ncursesw/curses.h>'
expect "platform files count as their layer" broken capture/linux/a.c '#include "ui/term.h"'
check_summary
