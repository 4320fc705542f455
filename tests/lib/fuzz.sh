# fuzz.sh - builds a libFuzzer harness over the core's base/ and decode/ sources. Sourced.
#
# fuzz_build NAME   compiles tests/fuzz/NAME.c with clang (-fsanitize=fuzzer,address,undefined)
#   into $WORKDIR/NAME. Exits 77 (skipped, reason printed) when clang, its libFuzzer runtime or
#   PCRE2's development files (decode/ holds the display filter's "matches") are missing, and 1
#   with clang's messages when the build fails.
fuzz_build() {
	local name=$1 srcs pcre
	mkdir -p "$WORKDIR"
	command -v clang >/dev/null || { echo "SKIP: clang is not installed"; exit 77; }
	pcre=$(pkg-config --cflags --libs libpcre2-8 2>/dev/null) ||
		{ echo "SKIP: libpcre2-8 not found by pkg-config (apt-get install libpcre2-dev)"; exit 77; }
	srcs=$(ls "$SRCDIR"/src/base/*.c "$SRCDIR"/src/decode/*.c "$SRCDIR"/src/decode/posix/*.c)
	# shellcheck disable=SC2086
	if ! clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-I"$SRCDIR/src" -DCAPSCOPE_VERSION='"fuzz"' $srcs "$SRCDIR/tests/fuzz/$name.c" \
		$pcre -o "$WORKDIR/$name" 2>"$WORKDIR/build.err"; then
		if grep -q "libclang_rt.fuzzer\|cannot find.*fuzzer" "$WORKDIR/build.err"; then
			echo "SKIP: clang's libFuzzer runtime is missing"
			exit 77
		fi
		cat "$WORKDIR/build.err"
		exit 1
	fi
}
