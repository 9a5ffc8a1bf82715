# shellcheck shell=bash
# Sourced: map a kernel alias of the test matrix to an installed kernel.
#   6.1      newest /lib/modules/6.1.*-amd64 (Debian's linux-image-amd64)
#   6.12     newest /lib/modules/6.12.*+deb12-amd64
#   6.12-rt  newest /lib/modules/6.12.*+deb12-rt-amd64
# Patch versions move with security updates, so nothing is pinned.

tcplimit_kver() {
	local alias=$1 pattern
	case "$alias" in
	6.1) pattern='6.1.*-amd64' ;;
	6.12) pattern='6.12.*+deb12-amd64' ;;
	6.12-rt) pattern='6.12.*+deb12-rt-amd64' ;;
	*)
		if [ -d "/lib/modules/$alias" ]; then
			echo "$alias"
			return 0
		fi
		echo "unknown kernel '$alias' (use 6.1, 6.12, 6.12-rt or an installed version)" >&2
		return 1
		;;
	esac
	local found
	# shellcheck disable=SC2086 # the pattern is a glob on purpose
	found=$(cd /lib/modules 2>/dev/null && ls -d $pattern 2>/dev/null |
		grep -v -- '-rt-amd64$' | sort -V | tail -1)
	[ "$alias" = 6.12-rt ] && found=$(cd /lib/modules && ls -d $pattern 2>/dev/null | sort -V | tail -1)
	if [ -z "$found" ] || [ ! -e "/boot/vmlinuz-$found" ]; then
		echo "kernel $alias ($pattern) is not installed: run scripts/deps.sh" >&2
		return 1
	fi
	echo "$found"
}
