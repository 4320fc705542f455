# fuzz.sh - builds a libFuzzer harness over the core's base/ and decode/ sources. Sourced.
#
# fuzz_build NAME   compiles tests/fuzz/NAME.c with clang (-fsanitize=fuzzer,address,undefined)
#   into $WORKDIR/NAME. Exits 77 (skipped, reason printed) when clang, its libFuzzer runtime or
#   PCRE2's development files (decode/ holds the display filter's "matches") are missing, and 1
#   with clang's messages when the build fails. FUZZ_EXTRA_SRCS: more .c files to link (from
#   other layers, e.g. procs/ or capture/ files that need nothing but base/ and decode/).
fuzz_build() {
	local name=$1 srcs pcre crypto
	mkdir -p "$WORKDIR"
	command -v clang >/dev/null || { echo "SKIP: clang is not installed"; exit 77; }
	crypto=$(pkg-config --cflags --libs libcrypto 2>/dev/null) ||
		{ echo "SKIP: libcrypto not found by pkg-config (apt-get install libssl-dev)"; exit 77; }
	pcre=$(pkg-config --cflags --libs libpcre2-8 2>/dev/null) ||
		{ echo "SKIP: libpcre2-8 not found by pkg-config (apt-get install libpcre2-dev)"; exit 77; }
	# decode/quic_crypto.c decrypts QUIC Initials with libcrypto
	pcre="$pcre $(pkg-config --cflags --libs libcrypto 2>/dev/null)" ||
		{ echo "SKIP: libcrypto not found by pkg-config (apt-get install libssl-dev)"; exit 77; }
	# not --resolve's lookups (decode/resolve*.c: a thread, c-ares and the platform clock)
	srcs=$(ls "$SRCDIR"/src/base/*.c "$SRCDIR"/src/decode/*.c "$SRCDIR"/src/decode/posix/*.c |
		grep -v '/decode/resolve[a-z_]*\.c$')
	# shellcheck disable=SC2086
	fuzz_core_lib "$srcs" $pcre || fuzz_build_failed
	# shellcheck disable=SC2086
	if ! clang $FUZZ_CFLAGS -I"$SRCDIR/src" -DCAPSCOPE_VERSION='"fuzz"' ${FUZZ_EXTRA_SRCS:-} \
		"$SRCDIR/tests/fuzz/$name.c" "$FUZZ_CORE_LIB" $pcre $crypto -o "$WORKDIR/$name" \
		2>"$WORKDIR/build.err"; then
		fuzz_build_failed
	fi
}

FUZZ_CFLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"

# fuzz_core_lib SRCS CFLAGS...   the base/ and decode/ objects every harness links, compiled
#   once per CI run instead of once per target (11 targets compiled them 11 times: ~15 s each):
#   an archive in the build tree named by a hash of every source and header and the flags, so
#   a changed file rebuilds it. The harness's own files and FUZZ_EXTRA_SRCS are compiled per
#   target. Sets FUZZ_CORE_LIB; the objects are built with -fsanitize=fuzzer-no-link so that
#   only the harness carries libFuzzer's main.
fuzz_core_lib() {
	local srcs=$1 cache key obj f
	shift
	cache="$(dirname "$WORKDIR")/fuzz-core"
	mkdir -p "$cache"
	# shellcheck disable=SC2086
	key=$( (echo "$FUZZ_CFLAGS $*"; cat $srcs; find "$SRCDIR/src" -name '*.h' | sort | xargs cat) |
		sha256sum | cut -c1-16)
	FUZZ_CORE_LIB="$cache/libfuzzcore-$key.a"
	(
		flock 9
		[ -f "$FUZZ_CORE_LIB" ] && exit 0
		rm -rf "$cache/obj" && mkdir "$cache/obj"
		for f in $srcs; do
			obj="$cache/obj/$(basename "$(dirname "$f")")_$(basename "$f" .c).o"
			# shellcheck disable=SC2086
			clang ${FUZZ_CFLAGS/fuzzer,/fuzzer-no-link,} -I"$SRCDIR/src" \
				-DCAPSCOPE_VERSION='"fuzz"' "$@" -c "$f" -o "$obj" 2>>"$WORKDIR/build.err" ||
				exit 1
		done
		ar rcs "$FUZZ_CORE_LIB.tmp" "$cache"/obj/*.o && mv "$FUZZ_CORE_LIB.tmp" "$FUZZ_CORE_LIB"
	) 9>"$cache/lock"
}

fuzz_build_failed() {
	if grep -q "libclang_rt.fuzzer\|cannot find.*fuzzer" "$WORKDIR/build.err"; then
		echo "SKIP: clang's libFuzzer runtime is missing"
		exit 77
	fi
	cat "$WORKDIR/build.err"
	exit 1
}

# fuzz_run NAME MAX_LEN WHAT [FLAG...]   first replays every input kept under
#   tests/fuzz/regress/NAME/ (crashes found before, each run once), then runs $WORKDIR/NAME for
#   $SECS seconds from $WORKDIR/seeds and prints its stats and "1 passed, 0 failed", or the
#   log's tail, "0 passed, 1 failed" and exits 1 on a crash or sanitizer report. With
#   FUZZ_KEEP_DIR set (bench/fuzz.sh), the inputs that crashed are copied there. FLAGs go to
#   libFuzzer (e.g. -timeout=10).
fuzz_run() {
	local name=$1 maxlen=$2 what=$3 regress="$SRCDIR/tests/fuzz/regress/$1"
	shift 3
	cd "$WORKDIR"
	rm -f "$WORKDIR"/crash-* "$WORKDIR"/leak-* "$WORKDIR"/timeout-* "$WORKDIR"/oom-*
	if compgen -G "$regress/*" >/dev/null; then
		echo "replaying $(ls "$regress" | wc -l) regression inputs of $regress"
		if ! "$WORKDIR/$name" -max_len="$maxlen" "$@" "$regress"/* >"$WORKDIR/regress.log" 2>&1; then
			tail -40 "$WORKDIR/regress.log"
			echo "0 passed, 1 failed"
			exit 1
		fi
	fi
	echo "fuzzing $what for $SECS s from $(ls "$WORKDIR/seeds" | wc -l) seeds"
	if "$WORKDIR/$name" -max_total_time="$SECS" -max_len="$maxlen" -print_final_stats=1 \
		-artifact_prefix="$WORKDIR/" "$@" "$WORKDIR/seeds" >"$WORKDIR/fuzz.log" 2>&1; then
		grep -E "stat::number_of_executed_units|cov:" "$WORKDIR/fuzz.log" | tail -2
		echo "1 passed, 0 failed"
	else
		tail -40 "$WORKDIR/fuzz.log"
		fuzz_keep
		echo "0 passed, 1 failed"
		exit 1
	fi
}

# Copies the inputs libFuzzer wrote for a failure into FUZZ_KEEP_DIR, when set.
fuzz_keep() {
	[[ -n "${FUZZ_KEEP_DIR:-}" ]] || return 0
	mkdir -p "$FUZZ_KEEP_DIR"
	for f in "$WORKDIR"/crash-* "$WORKDIR"/leak-* "$WORKDIR"/timeout-* "$WORKDIR"/oom-*; do
		[[ -e "$f" ]] && cp "$f" "$FUZZ_KEEP_DIR/" && echo "kept $FUZZ_KEEP_DIR/$(basename "$f")"
	done
	return 0
}

# fuzz_seed_pcap PCAP OUT TAG   writes the Ethernet/IPv4 packets of PCAP as the stream and
#   follow harnesses read them: [2-byte length][1 tag byte][IPv4 packet]. TAG "step" puts 1
#   (a time step), "proto" 0 for TCP and 1 for anything else (the follow engine to feed).
#   A fourth argument "v6" keeps the IPv6 packets too (a harness that reads raw IP of either).
fuzz_seed_pcap() {
	python3 - "$1" "$2" "$3" "${4:-}" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
off, out = 24, b""
while off + 16 <= len(data):
    caplen = struct.unpack_from("<I", data, off + 8)[0]
    pkt = data[off + 16: off + 16 + caplen]
    v6 = pkt[12:14] == b"\x86\xdd" and sys.argv[4] == "v6"
    if pkt[12:14] == b"\x08\x00" or v6:  # IPv4 unless asked: most harnesses read raw IPv4
        ip = pkt[14:]
        tag = 1 if sys.argv[3] == "step" or v6 or ip[9] != 6 else 0
        out += struct.pack(">HB", len(ip), tag) + ip
    off += 16 + caplen
open(sys.argv[2], "wb").write(out)
PY
}
