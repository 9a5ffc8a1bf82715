#!/usr/bin/env bash
# The harness judges guests honestly: scripts/ktap.sh's guest_results,
# fed made-up guest outputs, must fail a skip, a missing result line and
# a missing plan, and pass only a whole clean run; a failure's lines are
# recapped before the summary; cached verdicts are keyed by tree and
# machine and never kept for a reduced run. Prints one line per
# case; exit 1 when the harness let a broken run through.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0

# check NAME WANT GOT
check() {
	if [ "$3" = "$2" ]; then
		echo "ok: $1: $3"
	else
		echo "WRONG: $1: $3, want $2"
		bad=1
	fi
}

# verdict NAME WANT(pass|fail) GUEST_OUTPUT
verdict() {
	local got

	printf '%s\n' "$3" >"$tmp/out"
	got=$(
		# shellcheck source=scripts/ktap.sh
		. "$here/ktap.sh"
		guest_results k "$tmp/out" 0 none >/dev/null
		[ "$failed" -eq 0 ] && echo pass || echo fail
	)
	check "$1" "$2" "$got"
}

verdict "a whole clean run" pass "$(printf 'TAP version 13\n1..2\nok 1 - a\nok 2 - b')"
verdict "a skipped test" fail "$(printf '1..2\nok 1 - a\nok 2 - b # SKIP')"
verdict "a result line lost" fail "$(printf '1..3\nok 1 - a\nok 2 - b')"
verdict "a garbled result line" fail "$(printf '1..2\nok 1 - a\nok2 - b')"
verdict "no plan" fail "$(printf 'ok 1 - a\nok 2 - b')"
verdict "a failed test" fail "$(printf '1..2\nok 1 - a\nnot ok 2 - b')"
# A failure's own lines are repeated just before the summary, where a log
# cut to its head and tail still shows them.
printf '1..2\n# why a failed\nnot ok 1 - a\n# b is fine\nok 2 - b\n' >"$tmp/out"
recap=$(
	# shellcheck source=scripts/ktap.sh
	. "$here/ktap.sh"
	guest_results k "$tmp/out" 0 none >/dev/null
	ktap_finish | head -n -2
)
if [ "$recap" = "$(printf '# what the failures printed last:\n# --- not ok: k: a\n# # why a failed')" ]; then
	echo "ok: a failure's lines are recapped before the summary"
else
	echo "WRONG: failure recap: $recap"
	bad=1
fi
# A failed check far above the tail (a long dump after it) is recapped too.
{
	echo '1..1'
	echo '# # FAIL: the check that failed'
	seq 1 40 | sed 's/^/# # dump /'
	echo 'not ok 1 - a'
} >"$tmp/out"
recap=$(
	. "$here/ktap.sh"
	guest_results k "$tmp/out" 0 none >/dev/null
	ktap_finish | head -n 4
)
if [ "$recap" = "$(printf '# what the failures printed last:\n# --- not ok: k: a\n# # # FAIL: the check that failed\n# its last lines:')" ]; then
	echo "ok: a failed check above a long dump is recapped"
else
	echo "WRONG: failure recap of a long test: $recap"
	bad=1
fi
# Cached verdicts: shown only for the same tree and machine, never kept
# for a reduced run. Whatever TCPLIMIT_* the caller has (make check-matrix
# exports its key) is not this check's.
unset $(env | sed -n 's/^\(TCPLIMIT_[A-Za-z0-9_]*\)=.*/\1/p')
export TCPLIMIT_CACHE=$tmp/cache
results=$here/results.sh
echo "ok - x" >"$tmp/verdict"
cached() { bash "$results" show "$1" >/dev/null 2>&1 && echo shown || echo none; }
TCPLIMIT_RESULT_KEY=$(bash "$results" key) bash "$results" save full "$tmp/verdict"
check "a full run's verdict" shown "$(cached full)"
mkdir "$tmp/bin"
printf '#!/bin/sh\necho "QEMU emulator version 0.0.1"\n' >"$tmp/bin/qemu-system-x86_64"
chmod +x "$tmp/bin/qemu-system-x86_64"
check "the verdict under another qemu" none "$(PATH=$tmp/bin:$PATH cached full)"
check "the key of a run with an override" reduced "$(TCPLIMIT_FUZZ_COUNT=10 bash "$results" key)"
check "the key of a run with smaller parameters" reduced "$(bash "$results" key -c 10)"
TCPLIMIT_RESULT_KEY=$(bash "$results" key -d 60) bash "$results" save short "$tmp/verdict" 2>/dev/null
check "a reduced run's verdict" none "$(cached short)"
TCPLIMIT_FUZZ_COUNT=10 bash "$results" save short "$tmp/verdict" 2>/dev/null
check "a verdict saved under an override" none "$(cached short)"
unset TCPLIMIT_CACHE
# The splat scan knows hangs and stalls.
for line in 'INFO: task kworker/0:1:12 blocked for more than 120 seconds.' \
	'rcu: INFO: rcu_preempt self-detected stall on CPU' \
	'watchdog: BUG: soft lockup - CPU#0 stuck for 45s! [ksoftirqd/0:14]'; do
	echo "$line" >"$tmp/log"
	if bash "$here/scan-log.sh" "$tmp/log" >/dev/null; then
		echo "WRONG: scan-log.sh missed '$line'"
		bad=1
	else
		echo "ok: scan-log.sh flags '$line'"
	fi
done
exit $bad
