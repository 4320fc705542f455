# require.sh - what a script test needs before it starts, each missing piece a skip (exit 77)
# with its reason, never a pass. Sourced, not run.
#
# require_capscope          CAPSCOPE names the built binary
# require_tools TOOL...     each TOOL is on the PATH
# require_corpus            CORPUS names the shared corpus folder

require_capscope() {
	if [[ -z "${CAPSCOPE:-}" || ! -x "${CAPSCOPE}" ]]; then
		echo "SKIP: CAPSCOPE (the built binary) is not set or not executable: '${CAPSCOPE:-}'"
		exit 77
	fi
}

require_tools() {
	for tool in "$@"; do
		if ! command -v "$tool" >/dev/null; then
			echo "SKIP: $tool is missing (tests/deps.sh installs it)"
			exit 77
		fi
	done
}

require_corpus() {
	if [[ -z "${CORPUS:-}" || ! -d "$CORPUS" ]]; then
		echo "SKIP: the shared corpus folder is absent ('${CORPUS:-unset}')"
		exit 77
	fi
}
