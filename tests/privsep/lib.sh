# lib.sh - helpers shared by the privilege separation tests. Sourced, not run.
#
# privsep_user           sets user, uid, gid: the first normal user (uid 1000..59999), else one
#                        made for the test (capscope-test); all three empty when none can be had
# field NAME PID         a field of /proc/PID/status ("CapEff" -> 0000000000003000)
# uids PID               its four user ids (real, effective, saved, fs)
# privsep_pair PATTERN   sets main and helper: of the processes whose command line matches
#                        PATTERN (pgrep -f), the one whose parent is one of them is the helper
# unprivileged_checks NAME PID WANT_UID
#                        check (tests/lib/check.sh) that PID runs as WANT_UID (all four ids, not
#                        0) with CapEff/CapPrm/CapInh/CapAmb 0, NoNewPrivs 1 and, when $seccomp
#                        is 1 (--version names libseccomp), Seccomp 2

privsep_user() {
	user=$(getent passwd | awk -F: '$3 >= 1000 && $3 < 60000 {print $1; exit}')
	if [[ -z "$user" ]] && command -v useradd >/dev/null; then
		useradd -M -r -s /usr/sbin/nologin capscope-test 2>/dev/null || true
		user=$(getent passwd capscope-test | cut -d: -f1 || true)
	fi
	uid=$(id -u "$user" 2>/dev/null || echo)
	gid=$(id -g "$user" 2>/dev/null || echo)
}

field() { awk -v k="$1:" '$1 == k {print $2; exit}' "/proc/$2/status"; }
uids() { awk '$1 == "Uid:" {print $2, $3, $4, $5}' "/proc/$1/status"; }

privsep_pair() {
	local pid ppid
	main= helper=
	for pid in $(pgrep -f "$1"); do
		ppid=$(awk '$1 == "PPid:" {print $2}' "/proc/$pid/status")
		if pgrep -f "$1" | grep -qx "$ppid"; then
			helper=$pid
		else
			main=$pid
		fi
	done
}

unprivileged_checks() {
	local name=$1 pid=$2 want=$3 c
	echo "  $name $pid: Uid $(uids "$pid"), CapEff $(field CapEff "$pid"), NoNewPrivs" \
		"$(field NoNewPrivs "$pid"), Seccomp $(field Seccomp "$pid")"
	check "$name: uid is $want (real, effective, saved, fs)" \
		test "$(uids "$pid")" = "$want $want $want $want"
	check "$name: uid is not 0" test "$want" != 0
	for c in CapEff CapPrm CapInh CapAmb; do
		check "$name: $c is 0" test "$(field $c "$pid")" = 0000000000000000
	done
	check "$name: NoNewPrivs 1" test "$(field NoNewPrivs "$pid")" = 1
	if ((${seccomp:-0})); then
		check "$name: Seccomp 2 (filter)" test "$(field Seccomp "$pid")" = 2
	fi
}
