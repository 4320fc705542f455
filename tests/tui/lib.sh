# lib.sh - helpers for the TUI tests: the real binary in a private tmux server, keys sent with
# send-keys, the screen read with capture-pane. Every wait has a deadline. Sourced, not run.
#
# Before sourcing: CAPSCOPE (the binary), WORKDIR. Provides: tui_start CMD..., tui_keys KEYS...,
# tui_screen, tui_wait REGEX [SECONDS], tui_counts (prints "SHOWN TOTAL"), tui_wait_counts
# SHOWN TOTAL [SECONDS], tui_wait_gone REGEX [SECONDS], tui_hangup_kept EXT PATTERN,
# spill_sample PID..., check NAME COMMAND..., tui_finish (prints the summary, returns status).
#
# Run as root, the monitor gives up root's rights (issue 14): it runs as SUDO_UID's user, as
# under sudo, and WORKDIR is given to that user (tui_start), since the monitor writes its
# saves, state and kept spill there as that user. TUI_AS_ROOT=1: plain root (the monitor
# drops to nobody, who cannot write WORKDIR). TUI_ROOT_OWNED: paths under WORKDIR given back
# to root (read by a root process that holds no capability, as the ssh of a remote source).

TUI_SOCK="cs-$$"
TUI_W=${TUI_W:-100}
TUI_H=${TUI_H:-30}
source "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../privsep/lib.sh"
# Never the user's own filter history or kept captures.
export XDG_STATE_HOME="$WORKDIR/state"
# A system call the monitor makes and its seccomp filter lacks ends it with a line naming it
# (privsep_seccomp.c), instead of failing quietly with EPERM.
export CAPSCOPE_SECCOMP=strict

skip() {
	echo "SKIP: $*"
	exit 77
}

tui_stop() {
	tmux -L "$TUI_SOCK" kill-server 2>/dev/null || true
}
trap tui_stop EXIT

# As root: the environment that makes the monitor drop to a test user as under sudo (TUI_ENV,
# "env SUDO_UID=... SUDO_GID=..."), and WORKDIR that user's. Skips when there is no such user.
TUI_ENV=()
tui_as_user() {
	local user uid gid
	TUI_ENV=()
	[[ "$(id -u)" == 0 && "${TUI_AS_ROOT:-0}" != 1 ]] || return 0
	privsep_user
	[[ -n "$uid" ]] || skip "no unprivileged user for the monitor to drop to (useradd missing)"
	chown -R "$uid:$gid" "$WORKDIR"
	# what a root process without capabilities reads there stays root's (TUI_ROOT_OWNED,
	# paths: the ssh keys and configuration the capture helper's ssh reads)
	[[ -z "${TUI_ROOT_OWNED:-}" ]] || chown -R root:root $TUI_ROOT_OWNED
	TUI_ENV=(env "SUDO_UID=$uid" "SUDO_GID=$gid")
}

# Starts "$@" in a fresh tmux server (one session "t"); stderr goes to $WORKDIR/stderr.<n>.
# The pane stays after the program ends and shows "[exited N]".
tui_run=0
tui_start() {
	tui_stop
	sleep 0.2
	tui_run=$((tui_run + 1))
	tui_as_user
	local cmd
	printf -v cmd '%q ' "${TUI_ENV[@]}" "$@"
	tmux -L "$TUI_SOCK" -f /dev/null new-session -d -s t -x "$TUI_W" -y "$TUI_H" \
		"$cmd 2>$WORKDIR/stderr.$tui_run; echo \"[exited \$?]\"; sleep 120"
}

tui_keys() {
	tmux -L "$TUI_SOCK" send-keys -t t "$@"
}

tui_screen() {
	tmux -L "$TUI_SOCK" capture-pane -p -t t 2>/dev/null
}

# Waits until the screen matches an extended regex; returns 1 at the deadline.
tui_wait() {
	local re=$1 deadline=$((SECONDS + ${2:-10}))
	while ((SECONDS < deadline)); do
		tui_screen | grep -Eq -- "$re" && return 0
		sleep 0.1
	done
	return 1
}

# Waits until nothing on the screen matches; returns 1 at the deadline.
tui_wait_gone() {
	local re=$1 deadline=$((SECONDS + ${2:-10}))
	while ((SECONDS < deadline)); do
		tui_screen | grep -Eq -- "$re" || return 0
		sleep 0.1
	done
	return 1
}

# The session hung up (the tmux server killed): the file the monitor kept in the state folder
# (capscope-kept-*EXT), printed once the monitor (pgrep -f PATTERN) has ended; "" after 5 s.
tui_hangup_kept() {
	local ext=$1 pattern=$2 kept=""
	tmux -L "$TUI_SOCK" kill-server
	for _ in $(seq 50); do
		kept=$(ls "$XDG_STATE_HOME"/capscope/capscope-kept-*"$ext" 2>/dev/null | head -1)
		[[ -n "$kept" ]] && ! pgrep -f "$pattern" >/dev/null && break
		sleep 0.1
	done
	echo "$kept"
}

# "SHOWN TOTAL" from the status bar's "1,000/1,000 pkts" (commas removed).
tui_counts() {
	tui_screen | grep -Eo '[0-9,]+/[0-9,]+ pkts' | tail -1 | tr -d , | sed 's#/# #; s/ pkts//'
}

tui_wait_counts() {
	local want="$1 $2" deadline=$((SECONDS + ${3:-10}))
	while ((SECONDS < deadline)); do
		[[ "$(tui_counts)" == "$want" ]] && return 0
		sleep 0.1
	done
	return 1
}

# The packets tcpdump reads in FILE [matching FILTER]: its lines that start with a time (it
# adds hex lines for payloads it does not know).
tcpdump_packets() { tcpdump -nr "$1" ${2:+"$2"} 2>/dev/null | grep -c '^[0-9][0-9]:[0-9][0-9]:'; }

# spill_sample PID...: while any PID runs (at most 60 s), the largest size of the monitor's
# spill file in $WORKDIR/tmp (its TMPDIR there), sampled every 20 ms, into MAXSIZE.
spill_sample() {
	local i s f p alive
	for ((i = 0; i < 3000; i++)); do
		for f in "$WORKDIR"/tmp/capscope-spill*; do
			[[ -e "$f" ]] || continue
			s=$(stat -c %s "$f" 2>/dev/null || echo 0)
			((s > MAXSIZE)) && MAXSIZE=$s
		done
		alive=0
		for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
		((alive)) || break
		sleep 0.02
	done
	wait "$@"
}

# N with thousands separators, as the status bar shows counts ("1,562").
commas() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }

# A failed check shows the screen it saw.
check_on_fail() {
	echo "----- screen -----"
	tui_screen
	echo "------------------"
}

# No sanitizer report in any run's stderr.
tui_no_sanitizer_errors() {
	! grep -lE 'AddressSanitizer|runtime error|LeakSanitizer' "$WORKDIR"/stderr.* 2>/dev/null
}

# No system call refused by the strict seccomp filter in any run's stderr.
tui_no_seccomp_refusals() {
	! grep -h 'capscope: seccomp: system call' "$WORKDIR"/stderr.* 2>/dev/null
}

tui_finish() {
	check "no sanitizer reports" tui_no_sanitizer_errors
	check "no system call refused by seccomp" tui_no_seccomp_refusals
	check_summary
}
