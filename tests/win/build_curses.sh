#!/usr/bin/env bash
# build_curses.sh - builds ncurses (wide-character, with its Windows console driver) for
# x86_64-w64-mingw32 from Debian's ncurses source package, for the Windows package's TUI.
# Debian ships no curses for mingw-w64, and nothing third-party is kept in the repository:
# the source is fetched with `apt-get source --download-only` (needs a deb-src line:
# tests/deps.sh adds one) or taken from $CAPSCOPE_NCURSES_TARBALL, and the result is cached
# in OUT (the build tree): a second run with the same source does nothing.
# Only the library is built (no programs, tests, C++ or Ada binding, manual pages, terminfo
# database: the console driver needs none).
# Usage: build_curses.sh OUT    Result: OUT/include/ncursesw/curses.h, OUT/lib/libncursesw.dll.a,
# OUT/bin/libncursesw6.dll, and OUT/stamp naming the source it was built from.
set -euo pipefail

out=${1:?usage: build_curses.sh OUT}
host=x86_64-w64-mingw32
mkdir -p "$out"
out=$(cd "$out" && pwd)
src="$out/src"
mkdir -p "$src"

# 1. The source: a tarball named by the caller, else Debian's (upstream tarball of the
# source package, checked by apt against the Release file's hashes).
tarball=${CAPSCOPE_NCURSES_TARBALL:-}
if [ -z "$tarball" ]; then
	tarball=$(ls "$src"/ncurses_*.orig.tar.gz 2>/dev/null | head -n 1 || true)
fi
if [ -z "$tarball" ]; then
	if ! command -v apt-get >/dev/null; then
		echo "build_curses.sh: no apt-get: set CAPSCOPE_NCURSES_TARBALL to an ncurses 6.x tarball" >&2
		exit 1
	fi
	(cd "$src" && apt-get source --download-only ncurses >"$out/fetch.log" 2>&1) || {
		cat "$out/fetch.log" >&2
		echo "build_curses.sh: apt-get source ncurses failed: add a deb-src line (tests/deps.sh does)" >&2
		exit 1
	}
	tarball=$(ls "$src"/ncurses_*.orig.tar.gz | head -n 1)
fi
stamp="$(basename "$tarball") widec term-driver sp-funcs shared ncurses-only"
if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$stamp" ] &&
	[ -f "$out/lib/libncursesw.dll.a" ]; then
	exit 0
fi

# 2. Build: the library only.
rm -rf "$out/tree" "$out/include" "$out/lib" "$out/bin"
mkdir -p "$out/tree"
tar xzf "$tarball" -C "$out/tree" --strip-components=1
cd "$out/tree"
./configure --host="$host" --build="$(./config.guess)" --prefix="$out" \
	--with-build-cc=gcc --without-ada --without-cxx --without-cxx-binding \
	--without-progs --without-tests --without-manpages --without-debug \
	--without-normal --with-shared --without-libtool --without-pkg-config \
	--enable-widec --enable-term-driver --enable-sp-funcs --enable-interop \
	--disable-home-terminfo --disable-termcap --disable-database --without-fallbacks \
	--disable-db-install --disable-rpath >"$out/configure.log" 2>&1 || {
	tail -n 40 "$out/configure.log" >&2
	exit 1
}
# ncurses only: not the form, menu and panel libraries (capscope uses none of them).
{ make -C include -j"${CAPSCOPE_JOBS:-2}" && make -C ncurses -j"${CAPSCOPE_JOBS:-2}" libs; } \
	>"$out/make.log" 2>&1 || {
	tail -n 40 "$out/make.log" >&2
	exit 1
}
{ make -C include install && make -C ncurses install.libs; } >"$out/install.log" 2>&1 || {
	tail -n 40 "$out/install.log" >&2
	exit 1
}
echo "$stamp" >"$out/stamp"
