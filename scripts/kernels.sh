# shellcheck shell=bash
# Sourced: map a kernel alias of the test matrix to an installed kernel.
#   6.1      newest /lib/modules/6.1.*-amd64 (Debian's linux-image-amd64)
#   6.12     newest /lib/modules/6.12.*+deb12-amd64
#   6.12-rt  newest /lib/modules/6.12.*+deb12-rt-amd64
#   debug    the KASAN/lockdep/kmemleak kernel scripts/debug-kernel.sh built
#            (its cache must be complete; this never starts a build)
# Patch versions move with security updates, so nothing is pinned.
# tcplimit_kver prints the release, tcplimit_kdir the tree to build modules
# against, tcplimit_image the kernel to boot, tcplimit_modroot the root of
# its lib/modules (modprobe -d; / for the Debian kernels).

# tcplimit_debug_dir: the debug kernel's cache directory.
tcplimit_debug_dir() {
	local image

	if ! image=$(bash "$(dirname "${BASH_SOURCE[0]}")/debug-kernel.sh" --cached); then
		echo "the debug kernel is not built: run scripts/debug-kernel.sh (make debug-kernel)" >&2
		return 1
	fi
	dirname "$image"
}

tcplimit_kver() {
	local alias=$1 pattern dir
	case "$alias" in
	debug)
		dir=$(tcplimit_debug_dir) || return 1
		cat "$dir/kernelrelease"
		return 0
		;;
	6.1) pattern='6.1.*-amd64' ;;
	6.12) pattern='6.12.*+deb12-amd64' ;;
	6.12-rt) pattern='6.12.*+deb12-rt-amd64' ;;
	*)
		if [ -d "/lib/modules/$alias" ]; then
			echo "$alias"
			return 0
		fi
		echo "unknown kernel '$alias' (use 6.1, 6.12, 6.12-rt, debug or an installed version)" >&2
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

tcplimit_kdir() {
	local kver dir

	if [ "$1" = debug ]; then
		dir=$(tcplimit_debug_dir) || return 1
		echo "$dir/build"
		return 0
	fi
	kver=$(tcplimit_kver "$1") || return 1
	echo "/lib/modules/$kver/build"
}

tcplimit_image() {
	local kver dir

	if [ "$1" = debug ]; then
		dir=$(tcplimit_debug_dir) || return 1
		echo "$dir/bzImage"
		return 0
	fi
	kver=$(tcplimit_kver "$1") || return 1
	echo "/boot/vmlinuz-$kver"
}

tcplimit_modroot() {
	local dir

	if [ "$1" = debug ]; then
		dir=$(tcplimit_debug_dir) || return 1
		echo "$dir/modroot"
		return 0
	fi
	echo /
}
