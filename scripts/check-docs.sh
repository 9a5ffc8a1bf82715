#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host-side checks of the man pages, the bash completion and "make install".
#
#   check-docs.sh list          the step names, one per line
#   check-docs.sh describe STEP one line saying what STEP checks
#   check-docs.sh STEP          run one step: exit 0 pass, 1 fail; what went
#                               wrong on stderr
#   check-docs.sh               every step, one KTAP line each ("ok N - ...",
#                               no plan), diagnostics as "# " lines
#
# TCPLIMITCTL=path checks another tcplimitctl binary's help (default: the
# tree's, built if stale); BASH_COMPLETION=path uses another bash_completion.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
ctl=${TCPLIMITCTL:-$repo/tools/tcplimitctl/tcplimitctl}
man8=$repo/Documentation/man/tcplimitctl.8
man4=$repo/Documentation/man/tcplimit.4
completion=$repo/tools/tcplimitctl/completion/tcplimitctl
bash_completion=${BASH_COMPLETION:-/usr/share/bash-completion/bash_completion}
# The completion asks "tcplimitctl help" for the commands: this tree's.
PATH=$(dirname "$ctl"):$PATH

steps=(man-render man-commands completion install)

describe() {
	case $1 in
	man-render) echo "man pages render without a warning, 80 columns, all sections" ;;
	man-commands) echo "every tcplimitctl command is in tcplimitctl.8 and the completion" ;;
	completion) echo "bash completion of commands, options, netns names, keywords, files" ;;
	install) echo "make install/uninstall with DESTDIR, PREFIX and KDIR (tool and module)" ;;
	*) return 1 ;;
	esac
}

failed=0
fail() {
	echo "FAIL: $*" >&2
	failed=1
}

tmp=$(mktemp -d /tmp/check-docs.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT

# render PAGE: the page as man shows it, in the exact environment of the
# man-render step; its stderr in $tmp/render.err.
render() {
	LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 \
		man --warnings -E UTF-8 -l "$1" 2>"$tmp/render.err"
}

# (a) Each page renders with no warning at all, fits 80 columns, has its
# sections, and has a NAME line mandb can index.
step_man_render() {
	local page out sections s width

	for page in "$man8" "$man4"; do
		[ -f "$page" ] || { fail "$page missing"; continue; }
		out=$(render "$page") || fail "$page: man failed"
		[ -s "$tmp/render.err" ] && fail "$page: warnings: $(cat "$tmp/render.err")"
		[ -n "$out" ] || fail "$page: rendered nothing"
		width=$(LC_ALL=C.UTF-8 wc -L <<<"$out")
		[ "$width" -le 80 ] || fail "$page: a line is $width columns wide: $(LC_ALL=C.UTF-8 grep -E '^.{81}' <<<"$out" | head -3)"
		case $page in
		*.8) sections=(NAME SYNOPSIS DESCRIPTION OPTIONS COMMANDS UNITS "EXIT STATUS"
				EXAMPLES FILES "SEE ALSO") ;;
		*) sections=(NAME SYNOPSIS DESCRIPTION NOTES "SEE ALSO") ;;
		esac
		for s in "${sections[@]}"; do
			grep -qx "$s" <<<"$out" || fail "$page: no section $s"
		done
		lexgrog "$page" >/dev/null 2>&1 || fail "$page: lexgrog cannot read its NAME section"
	done
	grep -q 'tcplimit(4), ip-netns(8), nft(8)' <<<"$(render "$man8")" ||
		fail "tcplimitctl.8: SEE ALSO lacks tcplimit(4), ip-netns(8), nft(8)"
}

# "tcplimitctl help" in $tmp/help (the tree's tool built first if stale).
get_help() {
	if [ -z "${TCPLIMITCTL:-}" ]; then
		make -s -C "$repo/tools/tcplimitctl" >"$tmp/build.log" 2>&1 ||
			{ cat "$tmp/build.log" >&2; return 1; }
	fi
	"$ctl" help >"$tmp/help"
}

# The commands "tcplimitctl help" lists, one per line: its "Commands:"
# block, a command at two spaces, its help indented below.
help_commands() {
	awk '/^Commands:/ { on = 1; next }
	     on && /^$/ { exit }
	     on && /^  [^ ]/ { print $1 }' "$tmp/help"
}

# The options it lists (short and long), one per line: its "Options:"
# block, "  -j, --json  what it does".
help_options() {
	awk '/^Options:/ { on = 1; next }
	     on && /^$/ { exit }
	     on && /^  -/ {
		sub(/^  /, "")
		sub(/  .*/, "")
		n = split($0, w, /[ ,]+/)
		for (i = 1; i <= n; i++)
			if (w[i] ~ /^-/)
				print w[i]
	     }' "$tmp/help"
}

# The tags of the .TP paragraphs of section $1 of tcplimitctl.8, outside the
# nested lists (.RS/.RE), without fonts or quotes.
man_tags() {
	awk -v section="$1" '
	     /^\.SH/ {
		name = $0
		sub(/^\.SH[ \t]+/, "", name)
		gsub(/"/, "", name)
		on = (name == section)
		depth = 0
		next
	     }
	     !on { next }
	     /^\.RS/ { depth++; next }
	     /^\.RE/ { depth--; next }
	     /^\.TP/ { tag = (depth == 0); next }
	     tag {
		tag = 0
		line = $0
		sub(/^\.[BIR]+[ \t]+/, "", line)
		gsub(/\\f[BIRP]|"/, "", line)
		gsub(/\\-/, "-", line)
		print line
	     }' "$man8"
}

# The commands tcplimitctl.8 describes: the first word of each tag under
# COMMANDS.
man_commands() {
	man_tags COMMANDS | awk '{ print $1 }'
}

# The options it describes: the words of the tags under OPTIONS that start
# with a "-".
man_options() {
	man_tags OPTIONS | tr -s ' ,' '\n' | grep -- '^-'
}

# The driver of the completion tests: a non-interactive bash with
# bash_completion and the completion loaded. Each input line is
# "COMMAND LINE|EXPECTED WORDS"; the cursor is at the end of the command
# line (a trailing space: completing an empty word). Prints one line per
# case: "ok" or '"LINE": got "...", want "..."'; for EXPECTED "?", the words.
# shellcheck disable=SC2016
driver='
. "$1" || exit 1
. "$2" || exit 1
spec=$(complete -p tcplimitctl) || exit 1
fn=${spec#*-F }
fn=${fn%% *}
while IFS="|" read -r line want; do
	COMP_LINE=$line
	COMP_POINT=${#line}
	# Split as readline does: blanks separate words, and a run of
	# COMP_WORDBREAKS characters such as ":" is a word of its own.
	read -ra COMP_WORDS <<<"$(sed "s/[:=]\{1,\}/ & /g" <<<"$line")"
	[[ $line == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	"$fn" tcplimitctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	got=$(printf "%s\n" "${COMPREPLY[@]}" | sed "/^$/d" | sort | tr "\n" " ")
	if [[ $want == "?" ]]; then
		echo "${got% }"
		continue
	fi
	want=$(tr " " "\n" <<<"$want" | sed "/^$/d" | sort | tr "\n" " ")
	if [[ $got == "$want" ]]; then
		echo ok
	else
		echo "\"$line\": got \"${got% }\", want \"${want% }\""
	fi
done
'

# complete_cases DIR: run the cases on stdin through the driver in DIR; fail
# on any case that does not match.
complete_cases() {
	local out

	if ! out=$(cd "$1" && bash --norc --noprofile -c "$driver" driver \
		"$bash_completion" "$completion" 2>&1); then
		fail "completion driver: $out"
		return
	fi
	while read -r line; do
		[ "$line" == ok ] || fail "completion of $line"
	done <<<"$out"
}

# The words the completion offers for the command line $1.
completion_words() {
	bash --norc --noprofile -c "$driver" driver "$bash_completion" "$completion" \
		<<<"$1|?" 2>&1 | tr ' ' '\n'
}

# compare WHAT A B NAME-A NAME-B: the word lists A and B hold the same words.
compare() {
	local w

	while read -r w; do
		[ -z "$w" ] || grep -qx -- "$w" <<<"$3" || fail "$1: '$w' is in $4, not in $5"
	done <<<"$2"
	while read -r w; do
		[ -z "$w" ] || grep -qx -- "$w" <<<"$2" || fail "$1: '$w' is in $5, not in $4"
	done <<<"$3"
}

# (b) The commands and options of "tcplimitctl help", of tcplimitctl.8 and
# of the completion are the same.
step_man_commands() {
	local help man comp

	get_help || { fail "cannot run '$ctl help'"; return; }
	help=$(help_commands)
	[ -n "$help" ] || { fail "no command found in '$ctl help' (format changed?)"; return; }
	man=$(man_commands)
	[ -n "$man" ] || { fail "no command found under COMMANDS in tcplimitctl.8"; return; }
	comp=$(completion_words "tcplimitctl ")
	[ -n "$comp" ] || { fail "the completion offers no command"; return; }
	compare commands "$help" "$man" "'tcplimitctl help'" "tcplimitctl.8 COMMANDS"
	compare commands "$help" "$comp" "'tcplimitctl help'" "the completion"

	# Options: only once the tool lists them.
	help=$(help_options)
	[ -n "$help" ] || return
	compare options "$help" "$(man_options)" "'tcplimitctl help'" "tcplimitctl.8 OPTIONS"
	compare options "$help" "$(completion_words "tcplimitctl -")" \
		"'tcplimitctl help'" "the completion"
}

# Run "$@" in a private mount namespace where /run/netns holds web1 and web2.
with_netns_dir() {
	local setup='mount -t tmpfs tmpfs /run && mkdir /run/netns &&
		touch /run/netns/web1 /run/netns/web2 && exec "$@"'

	if unshare -m true 2>/dev/null; then
		unshare -m sh -c "$setup" sh "$@"
	elif unshare -rm true 2>/dev/null; then
		unshare -rm sh -c "$setup" sh "$@"
	else
		return 125
	fi
}

# (c) Completion cases: subcommands, global options, netns names, the fixed
# keywords of each command, files after restore.
step_completion() {
	local out

	[ -f "$bash_completion" ] || { fail "$bash_completion missing (bash-completion)"; return; }
	get_help || { fail "cannot run '$ctl help'"; return; }
	mkdir -p "$tmp/files/dir" && touch "$tmp/files/boot.conf" "$tmp/files/web.conf"
	complete_cases "$tmp/files" <<'EOF'
tcplimitctl set-d|set-dry-run set-dst-max set-dst-rate
tcplimitctl so|sources
tcplimitctl sh|show
tcplimitctl -|-j --json -p --pretty -n --netns -h --help
tcplimitctl --|--json --pretty --netns --help
tcplimitctl --n|--netns
tcplimitctl -j so|sources
tcplimitctl -j -p ve|version
tcplimitctl --pretty --json me|metrics
tcplimitctl -j -|-j --json -p --pretty -n --netns -h --help
tcplimitctl -jp sh|show
tcplimitctl show |
tcplimitctl show -|
tcplimitctl flush |
tcplimitctl help |
tcplimitctl set-mode |host gateway
tcplimitctl set-mode g|gateway
tcplimitctl set-mode host |
tcplimitctl set-dry-run |on off
tcplimitctl set-dry-run of|off
tcplimitctl set-full-policy |admit drop
tcplimitctl set-action |drop reject
tcplimitctl set-action drop |
tcplimitctl set-action reject |rate conn halfopen dst full ban
tcplimitctl set-action reject h|halfopen
tcplimitctl set-action reject rate |conn halfopen dst full ban
tcplimitctl set-action reject rate,|rate,conn rate,halfopen rate,dst rate,full rate,ban
tcplimitctl set-action reject rate,c|rate,conn
tcplimitctl set-action reject rate,conn dst |halfopen full ban
tcplimitctl set-prefix |v4 v6
tcplimitctl set-prefix v4 |
tcplimitctl set-prefix v4 24 |v6
tcplimitctl set-prefix v6 56 |v4
tcplimitctl set-prefix v4 24 v6 56 |
tcplimitctl set-rate |off
tcplimitctl set-rate 20/s |burst
tcplimitctl set-rate off |
tcplimitctl set-dst-rate 100/10s b|burst
tcplimitctl set-dst-rate 100/10s burst |
tcplimitctl set-max |
tcplimitctl set-syn-timeout |
tcplimitctl sources |prefix limited top
tcplimitctl sources l|limited
tcplimitctl sources top |
tcplimitctl sources top 10 |prefix limited by
tcplimitctl sources top 10 by |conns halfopen limited slow
tcplimitctl sources top 10 by h|halfopen
tcplimitctl sources top 10 by limited |prefix limited
tcplimitctl sources limited |prefix top
tcplimitctl sources prefix |
tcplimitctl sources prefix 2001:db8::/32 |limited top
tcplimitctl sources prefix 10.0.0.0/8 limited top 5 by conns |
tcplimitctl sources limited top 3 prefix fd00::/8 |
tcplimitctl set |mode dry-run max rate halfopen-max prefix dst-max dst-rate syn-timeout idle-timeout action full-policy table-size flow-table-size ban-after ban-time slow abnormal-max slow-action
tcplimitctl set m|mode max
tcplimitctl set mode |host gateway
tcplimitctl set max |
tcplimitctl set max 5 h|halfopen-max
tcplimitctl set max 5 rate |off
tcplimitctl set max 5 rate 20/s |burst
tcplimitctl set max 5 rate 20/s burst 4 m|mode
tcplimitctl set max 5 prefix v4 24 |v6
tcplimitctl set max 5 prefix v4 24 v6 48 |mode dry-run rate halfopen-max dst-max dst-rate syn-timeout idle-timeout action full-policy table-size flow-table-size ban-after ban-time slow abnormal-max slow-action
tcplimitctl set action reject rate,|rate,conn rate,halfopen rate,dst rate,full rate,ban
tcplimitctl disallow |all
tcplimitctl ban 10.0.0.0/8 |for
tcplimitctl ban 10.0.0.0/8 for |
tcplimitctl set-ban-after |off
tcplimitctl set-slow |off
tcplimitctl set-slow-action |none reset
tcplimitctl set slow 100/10s slow-action |none reset
tcplimitctl set-ban-time 15m |max
tcplimitctl set-ban-time 15m max |
tcplimitctl disallow 10.0.0.0/8 |
tcplimitctl allow |
tcplimitctl allowlist |
tcplimitctl restore |- boot.conf dir web.conf
tcplimitctl restore b|boot.conf
tcplimitctl restore -|-
tcplimitctl restore web.conf |
tcplimitctl -n web1 restore w|web.conf
tcplimitctl policy |add del
tcplimitctl policy del |all
tcplimitctl policy add 22 |max rate halfopen-max slow abnormal-max
tcplimitctl policy add 22 max 3 |rate halfopen-max slow abnormal-max
tcplimitctl policy add 22 rate |off
tcplimitctl policies |
EOF
	# Netns names come from /run/netns: a private one for the test.
	out=$(with_netns_dir bash --norc --noprofile -c "$driver" driver \
		"$bash_completion" "$completion" 2>&1 <<'EOF'
tcplimitctl -n |web1 web2
tcplimitctl --netns w|web1 web2
tcplimitctl -n web2 |show sources allow disallow allowlist ban unban bans monitor flush save restore metrics version help set policy policies set-max set-rate set-halfopen-max set-prefix set-dst-max set-dst-rate set-syn-timeout set-idle-timeout set-mode set-action set-dry-run set-full-policy set-table-size set-flow-table-size set-ban-after set-ban-time set-slow set-abnormal-max set-slow-action
tcplimitctl -j --netns web1 fl|flush
tcplimitctl --netns=w|web1 web2
tcplimitctl --netns=web1 se|set set-max set-rate set-halfopen-max set-prefix set-dst-max set-dst-rate set-syn-timeout set-idle-timeout set-mode set-action set-dry-run set-full-policy set-table-size set-flow-table-size set-ban-after set-ban-time set-slow set-abnormal-max set-slow-action
tcplimitctl -jn |web1 web2
tcplimitctl -jn web2 |show sources allow disallow allowlist ban unban bans monitor flush save restore metrics version help set policy policies set-max set-rate set-halfopen-max set-prefix set-dst-max set-dst-rate set-syn-timeout set-idle-timeout set-mode set-action set-dry-run set-full-policy set-table-size set-flow-table-size set-ban-after set-ban-time set-slow set-abnormal-max set-slow-action
tcplimitctl -n web1 -|-j --json -p --pretty -n --netns -h --help
tcplimitctl -n web1 set-mode |host gateway
EOF
	)
	case $? in
	0)
		while read -r line; do
			[ "$line" == ok ] || fail "completion of $line"
		done <<<"$out"
		;;
	125) echo "note: no mount namespace here: netns names not checked" >&2 ;;
	*) fail "netns completion: $out" ;;
	esac
}

# (d) make install puts exactly these files, with these modes and contents,
# under DESTDIR and PREFIX; the completion is where bash-completion finds it;
# make uninstall removes them all.
step_install() {
	local prefix dest got want f mode src kver kdir

	# The module goes to /lib/modules/KVER/updates of the KDIR given.
	# shellcheck source=scripts/kernels.sh
	. "$here/kernels.sh"
	kver=$(tcplimit_kver 6.1) && kdir=$(tcplimit_kdir 6.1) ||
		{ fail "no 6.1 kernel headers (scripts/deps.sh)"; return; }

	# Only what the step passes reaches make (not a caller's PREFIX or
	# command-line variables of an outer make).
	unset PREFIX SBINDIR MANDIR BASHCOMPDIR DESTDIR INSTALL MAKEFLAGS MFLAGS MAKEOVERRIDES
	for prefix in "" /usr; do
		dest=$tmp/dest${prefix//\//-}
		if ! make -s -C "$repo" install DESTDIR="$dest" KDIR="$kdir" \
			${prefix:+PREFIX="$prefix"} >"$tmp/install.log" 2>&1; then
			fail "make install PREFIX=${prefix:-default}: $(cat "$tmp/install.log")"
			continue
		fi
		prefix=${prefix:-/usr/local}
		got=$(cd "$dest" && find . ! -type d | sed 's|^\.||' | sort)
		want=$(printf '%s\n' "$prefix/sbin/tcplimitctl" \
			"$prefix/share/man/man8/tcplimitctl.8" \
			"$prefix/share/man/man4/tcplimit.4" \
			"$prefix/share/bash-completion/completions/tcplimitctl" \
			"$prefix/lib/systemd/system/tcplimit.service" \
			"/lib/modules/$kver/updates/tcplimit.ko" | sort)
		[ "$got" == "$want" ] ||
			fail "make install PREFIX=$prefix installed: ${got//$'\n'/ }, want: ${want//$'\n'/ }"
		while read -r f mode src; do
			[ -f "$dest$f" ] || continue
			[ "$(stat -c %a "$dest$f")" == "$mode" ] ||
				fail "$f: mode $(stat -c %a "$dest$f"), want $mode"
			cmp -s "$dest$f" "$repo/$src" || fail "$f differs from $src"
		done <<-EOF
			$prefix/sbin/tcplimitctl 755 tools/tcplimitctl/tcplimitctl
			$prefix/share/man/man8/tcplimitctl.8 644 Documentation/man/tcplimitctl.8
			$prefix/share/man/man4/tcplimit.4 644 Documentation/man/tcplimit.4
			$prefix/share/bash-completion/completions/tcplimitctl 644 tools/tcplimitctl/completion/tcplimitctl
			/lib/modules/$kver/updates/tcplimit.ko 644 module/tcplimit.ko
		EOF
		# The unit runs the tcplimitctl installed, and systemd finds it sound
		# (its commands exist under DESTDIR, modprobe lent by the host).
		f=$dest$prefix/lib/systemd/system/tcplimit.service
		[ "$(stat -c %a "$f" 2>/dev/null)" == 644 ] || fail "$f: not installed with mode 644"
		grep -qx "ExecStart=$prefix/sbin/tcplimitctl restore /etc/tcplimit.conf" "$f" ||
			fail "$f does not run $prefix/sbin/tcplimitctl"
		mkdir -p "$dest/sbin" && cp -L "$(command -v modprobe || echo /sbin/modprobe)" "$dest/sbin/modprobe"
		systemd-analyze --man=no verify --root="$dest" tcplimit.service >"$tmp/verify.log" 2>&1 ||
			fail "systemd-analyze verify tcplimit.service: $(cat "$tmp/verify.log")"
		rm -r "$dest/sbin"
		# bash-completion's loader finds it by the command's name.
		BASH_COMPLETION_USER_DIR=$dest$prefix/share/bash-completion \
			bash --norc --noprofile -c '. "$1" && __load_completion tcplimitctl &&
				complete -p tcplimitctl' sh "$bash_completion" >/dev/null 2>&1 ||
			fail "bash-completion does not load $prefix/share/bash-completion/completions/tcplimitctl"

		[ "$prefix" == /usr/local ] && prefix=''
		make -s -C "$repo" uninstall DESTDIR="$dest" KDIR="$kdir" ${prefix:+PREFIX="$prefix"} \
			>"$tmp/install.log" 2>&1 || fail "make uninstall: $(cat "$tmp/install.log")"
		got=$(cd "$dest" && find . ! -type d)
		[ -z "$got" ] || fail "make uninstall PREFIX=${prefix:-default} left: ${got//$'\n'/ }"
	done
}

run_step() {
	failed=0
	case $1 in
	man-render) step_man_render ;;
	man-commands) step_man_commands ;;
	completion) step_completion ;;
	install) step_install ;;
	esac
	return $failed
}

case ${1:-} in
list)
	printf '%s\n' "${steps[@]}"
	;;
describe)
	describe "${2:-}" || { echo "usage: $0 describe STEP (steps: ${steps[*]})" >&2; exit 2; }
	;;
"")
	n=0 status=0
	for s in "${steps[@]}"; do
		n=$((n + 1))
		if run_step "$s" 2>"$tmp/step.err"; then
			echo "ok $n - $(describe "$s")"
		else
			echo "not ok $n - $(describe "$s")"
			status=1
		fi
		sed 's/^/# /' "$tmp/step.err"
	done
	exit $status
	;;
*)
	describe "$1" >/dev/null || { echo "usage: $0 list | describe STEP | STEP (steps: ${steps[*]})" >&2; exit 2; }
	run_step "$1"
	;;
esac
