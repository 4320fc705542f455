# corpus_files.sh - which captures of the shared corpus a per-file test runs on. Sourced, not run.
#
# corpus_files DIR: the corpus's captures (.pcap, .pcapng, .cap), NUL-separated, sorted; in CI
# a fixed sample of them: every CORPUS_STEP-th (default 8), so a test that runs capscope twice
# per file under ASan takes a minute, not eight. CORPUS_STEP=1 runs every file (bench/ and by
# hand). corpus_sample_note prints what was taken, for the check's name.
: "${CORPUS_STEP:=8}"

corpus_files() {
	local i=0 f
	while IFS= read -r -d '' f; do
		((i++ % CORPUS_STEP == 0)) && printf '%s\0' "$f"
	done < <(find "$1" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \) \
		-print0 2>/dev/null | sort -z)
}

corpus_sample_note() {
	if ((CORPUS_STEP == 1)); then echo "every capture"; else
		echo "every ${CORPUS_STEP}th capture of the sorted corpus; CORPUS_STEP=1 for all"
	fi
}
