# shellcheck shell=bash
# KTAP reporting shared by check.sh and check-debug.sh (sourced): numbered
# results, counted, and the summary line `make check` ends with.

n=0 passed=0 failed=0 skipped=0
# Why each failure failed, repeated before the summary: a log cut to its
# head and tail (as CI shows it) still says what went wrong.
ktap_failures=

# failure_detail NAME [FILE]: keep NAME, the FAIL lines and the last lines
# of FILE for the recap (result does it for every failure, with its diagnostic file or,
# for a guest's test, the lines guest_results sets in ktap_detail).
failure_detail() {
	ktap_failures+="# --- not ok: $1"$'\n'
	if [ -n "${2:-}" ] && [ -s "$2" ]; then
		# The failed checks first: a test's dump after them can be long.
		if grep -aq 'FAIL' "$2"; then
			ktap_failures+=$(grep -a 'FAIL' "$2" | head -n 10 | sed 's/^/# /')$'\n'
			ktap_failures+="# its last lines:"$'\n'
		fi
		ktap_failures+=$(tail -n 25 "$2" | sed 's/^/# /')$'\n'
	fi
}

# result STATUS(0 pass, 4 skip, other fail) NAME [DIAGNOSTIC FILE]
# Every skip condition is something scripts/deps.sh installs or check.sh
# builds, so here a skip means the set-up broke: it fails (a test run by
# hand still exits 4). The guest's selftests/run.sh reports skips as such
# (ktap_skip_passes=1): the host judges its lines again, with this rule.
result() {
	n=$((n + 1))
	case "$1" in
	0) passed=$((passed + 1)); echo "ok $n - $2" ;;
	4)
		if [ "${ktap_skip_passes:-0}" = 1 ]; then
			skipped=$((skipped + 1))
			echo "ok $n - $2 # SKIP"
			return
		fi
		failed=$((failed + 1)) skipped=$((skipped + 1))
		echo "not ok $n - $2 # SKIP counted as a failure"
		failure_detail "$2" "${3:-${ktap_detail:-}}"
		;;
	*)
		failed=$((failed + 1))
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && [ -s "$3" ] && tail -n 40 "$3" | sed 's/^/# /'
		failure_detail "$2" "${3:-${ktap_detail:-}}"
		;;
	esac
}

# clean_build NAME LOG COMMAND...: passes when it succeeds and warns nowhere.
clean_build() {
	local name=$1 log=$2

	shift 2
	if "$@" >"$log" 2>&1 && ! grep -qE 'warning:|error:' "$log"; then
		result 0 "$name"
	else
		result 1 "$name" "$log"
	fi
}

# guest_results KERNEL OUT STATUS VMLOG: the guest's output, commented, then
# one result per top-level KTAP line it printed, and a failure when the VM
# itself went wrong (timeout, splat: status >= 124, or no test ran).
guest_results() {
	local k=$1 out=$2 status=$3 vmlog=$4 line name plan tests=0
	local blocks

	sed 's/^/# /' "$out"
	# Each test's own lines (those since the previous result), numbered
	# by result, for the recap of failures.
	blocks=$(mktemp -d /tmp/ktap-blocks.XXXXXX)
	awk -v dir="$blocks" '/^(not )?ok [0-9]+ - / { n++; next } /^(TAP version|1\.\.)/ { next }
		{ print > (dir "/" n + 1) }' "$out"
	while read -r line; do
		tests=$((tests + 1))
		name=${line#*ok }
		name=${name#* - }
		ktap_detail=$blocks/$tests
		case "$line" in
		"not ok "*) result 1 "$k: ${name%% # *}" ;;
		*"# SKIP"*) result 4 "$k: ${name%% # *}" ;;
		*) result 0 "$k: $name" ;;
		esac
		ktap_detail=
	done < <(grep -E '^(not )?ok [0-9]+ - ' "$out")
	rm -rf "$blocks"
	if [ "$status" -ne 0 ] && { [ "$status" -ge 124 ] || [ $tests -eq 0 ]; }; then
		result 1 "$k: vm ran cleanly (status $status, log $vmlog)" "$out.err"
	fi
	# A guest that lost or garbled result lines must not pass with fewer.
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$out" | head -1)
	if [ -z "$plan" ] || [ "$plan" -ne "$tests" ]; then
		result 1 "$k: $tests results for a plan of ${plan:-nothing}"
	fi
}

# The plan and the summary, the very last line; sets ktap_summary.
ktap_finish() {
	if [ -n "$ktap_failures" ]; then
		echo "# what the failures printed last:"
		printf '%s' "$ktap_failures"
	fi
	echo "1..$n"
	ktap_summary="$passed passed, $failed failed"
	[ "$skipped" -eq 0 ] || ktap_summary="$ktap_summary ($skipped of them skipped)"
	echo "$ktap_summary"
}
