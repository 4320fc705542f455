# corpus_files.sh - which captures of the shared corpus a per-file test runs on. Sourced, not run.
#
# CI runs a fixed sample of the corpus: every CORPUS_STEP-th capture in sorted order. Each
# test picks its default step (a test that only checks that two of capscope's paths agree
# takes every 8th; the comparisons with tshark take every 4th: tshark's start-up, ~0.7 s a
# file, made them minutes each); CORPUS_STEP set in the environment overrides them all, and
# CORPUS_STEP=1 runs every capture (bench/corpus_full.sh does).
#
# corpus_files DIR [STEP]: the sampled captures (.pcap, .pcapng, .cap), NUL-separated.
# corpus_step [STEP]: the step in force (the environment's, else STEP, else 8).
# corpus_sample_note [STEP]: what was taken, for a check's name.
corpus_step() {
	echo "${CORPUS_STEP:-${1:-8}}"
}

corpus_files() {
	local i=0 f step
	step=$(corpus_step "${2:-}")
	while IFS= read -r -d '' f; do
		if ((i++ % step == 0)); then printf '%s\0' "$f"; fi
	done < <(find "$1" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \) \
		-print0 2>/dev/null | sort -z)
}

corpus_sample_note() {
	local step
	step=$(corpus_step "${1:-}")
	if ((step == 1)); then echo "every capture"; else
		echo "every ${step}th capture of the sorted corpus; CORPUS_STEP=1 for all"
	fi
}
