#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bad input through tcplimitctl and through raw netlink (wrong types and
# lengths, out-of-range values, unknown and missing attributes, attributes
# where none belong): one clear error each, the configuration unchanged.
. "$(dirname "$0")/../lib.sh"

tl_ns srv
tl_load
tl_ctl srv set-max 5 || tl_fail "set-max 5"

# tool_rejects STATUS ARGS...: exits STATUS with exactly one line on stderr
# starting "tcplimitctl:" or "Usage:", nothing on stdout, max still 5.
tool_rejects() {
	local want=$1 out err status

	shift
	out=$(tl_ctl srv "$@" 2>"$TL_TMP/err")
	status=$?
	err=$(cat "$TL_TMP/err")
	tl_eq "tcplimitctl $* exit status" "$status" "$want"
	[ -z "$out" ] || tl_fail "tcplimitctl $*: printed '$out' on stdout"
	[ "$(wc -l <"$TL_TMP/err")" -eq 1 ] && [[ "$err" == tcplimitctl:* || "$err" == Usage:* ]] ||
		tl_fail "tcplimitctl $*: want one error line, got '$err'"
	tl_log "  $err"
	tl_eq "max after tcplimitctl $*" "$(tl_proc srv max)" 5
}

tool_rejects 2 set-max -1
tool_rejects 2 set-max abc
tool_rejects 2 set-max ""
tool_rejects 2 set-max 5x
tool_rejects 2 set-max 0x10
tool_rejects 2 set-max 10000001
tool_rejects 2 set-max 99999999999999999999
tool_rejects 2 set-max
tool_rejects 2 set-max 1 2
tool_rejects 2 no-such-command

ip netns exec srv /usr/bin/python3 "$TL_DIR/nlraw.py" bad-input || tl_fail "raw netlink bad input"
tl_eq "max after raw netlink" "$(tl_proc srv max)" 5
tl_done
