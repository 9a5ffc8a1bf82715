#!/usr/bin/env bash
# Build (or reuse) the debug kernel of `make check-debug`: Debian's
# linux-source-6.1, x86_64 defconfig + scripts/debug-kernel.config (KASAN,
# UBSAN, lockdep, kmemleak, debug objects; everything the VM needs built in).
#
# The build lives outside the repo, in
#   ${TCPLIMIT_CACHE:-/var/cache/tcplimit}/debug-kernel/KEY/
#     bzImage        the kernel
#     build/         the O= tree, KDIR for external modules (objects pruned)
#     src/           the unpacked linux-source tarball build/ refers to
#     modroot/       modules_install output (modules.builtin for modprobe)
#     kernelrelease  uname -r of the kernel
#     build.log      the make output
#     stamp          written last: a directory without it is never used
# KEY hashes the linux-source-6.1 package version, the compiler, the options
# of the config fragment and the build recipe below (functions, not comments),
# so any of them changing rebuilds.
# A cold build takes about 50 minutes on two cores (nice 19, -j2); an
# interrupted one resumes where make stopped.
#
# Usage: debug-kernel.sh            build unless cached; print the bzImage path
#        debug-kernel.sh --cached   print the bzImage path and exit 0 if the
#                                   cache is complete, else exit 1 (no build)
#        debug-kernel.sh --config DIR   only write and check DIR/.config
# Environment: TCPLIMIT_CACHE, TCPLIMIT_DEBUG_JOBS (default 2).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
fragment=$here/debug-kernel.config
tarball=/usr/src/linux-source-6.1.tar.xz
cache=${TCPLIMIT_CACHE:-/var/cache/tcplimit}/debug-kernel
jobs=${TCPLIMIT_DEBUG_JOBS:-2}

say() {
	echo "debug-kernel: $*" >&2
}

# tcplimit_debug_config SRC OBJ: defconfig, the fragment merged in, then
# olddefconfig; fail when any line of the fragment did not take (an option
# whose dependencies are missing is dropped silently by Kconfig).
tcplimit_debug_config() {
	local src=$1 obj=$2 line name bad=0

	mkdir -p "$obj"
	make -s -C "$src" O="$obj" x86_64_defconfig
	(cd "$src" && scripts/kconfig/merge_config.sh -m -O "$obj" \
		"$obj/.config" "$fragment") >/dev/null
	make -s -C "$src" O="$obj" olddefconfig
	while read -r line; do
		case "$line" in
		CONFIG_*=*)
			grep -qxF -- "$line" "$obj/.config" && continue
			say "config: wanted '$line', got '$(grep -E "^(# )?${line%%=*}[= ]" "$obj/.config" || echo absent)'"
			bad=1
			;;
		"# CONFIG_"*" is not set")
			name=${line#\# }
			name=${name%% *}
			grep -q "^$name=" "$obj/.config" || continue
			say "config: wanted '$line', got '$(grep "^$name=" "$obj/.config")'"
			bad=1
			;;
		esac
	done <"$fragment"
	[ "$bad" = 0 ] || { say "config: the fragment did not take (see above)"; return 1; }
}

# tcplimit_debug_build DIR: the recipe (part of the cache key).
tcplimit_debug_build() {
	local dir=$1 src=$1/src obj=$1/build

	if [ ! -e "$src/.unpacked" ]; then
		say "unpacking $tarball"
		rm -rf "$src"
		mkdir -p "$src"
		tar -xf "$tarball" -C "$src" --strip-components=1
		touch "$src/.unpacked"
	fi
	tcplimit_debug_config "$src" "$obj"
	nice -n 19 make -C "$src" O="$obj" -j"$jobs" bzImage modules
	rm -rf "$dir/modroot"
	make -C "$src" O="$obj" INSTALL_MOD_PATH="$dir/modroot" DEPMOD=/sbin/depmod \
		modules_install
	make -s -C "$src" O="$obj" kernelrelease >"$dir/kernelrelease"
	cp "$obj/arch/x86/boot/bzImage" "$dir/bzImage"
	# External modules (M=) need the configuration, the generated headers,
	# Module.symvers and the host tools under scripts/ and tools/ only.
	find "$obj" \( -path "$obj/scripts" -o -path "$obj/tools" \) -prune -o \
		\( -name '*.o' -o -name '*.a' -o -name '.tmp_vmlinux*' \) -type f -print0 |
		xargs -0 rm -f
}

cache_key() {
	local pkg

	pkg=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) || return 1
	{
		echo "linux-source-6.1 $pkg"
		gcc --version | head -1
		grep -E '^(CONFIG_|# CONFIG_)' "$fragment"
		declare -f tcplimit_debug_config tcplimit_debug_build
	} | sha256sum | cut -c1-16
}

# Tools a kernel build needs beyond what scripts/deps.sh installs.
build_deps() {
	local p missing=()

	for p in flex bison bc libelf-dev libssl-dev; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	say "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
}

case "${1:-}" in
--cached)
	key=$(cache_key) || exit 1
	[ -e "$cache/$key/stamp" ] || exit 1
	echo "$cache/$key/bzImage"
	exit 0
	;;
--config)
	[ $# -eq 2 ] || { echo "usage: debug-kernel.sh --config DIR" >&2; exit 2; }
	src=/usr/src/linux-source-6.1
	[ -e "$src/Makefile" ] || { say "$src is not unpacked (scripts/deps.sh)"; exit 1; }
	tcplimit_debug_config "$src" "$2"
	say "config ok: $2/.config"
	exit 0
	;;
"") ;;
*)
	echo "usage: debug-kernel.sh [--cached | --config DIR]" >&2
	exit 2
	;;
esac

if ! key=$(cache_key); then
	say "linux-source-6.1 is not installed (scripts/deps.sh)"
	exit 1
fi
dir=$cache/$key
mkdir -p "$cache"
# One build at a time; a second caller waits and then reuses it.
exec 9>"$cache/.lock"
if ! flock -n 9; then
	say "another build holds $cache/.lock; waiting"
	flock 9
fi
if [ -e "$dir/stamp" ]; then
	echo "$dir/bzImage"
	exit 0
fi

build_deps
mkdir -p "$dir"
say "building $dir (about 50 minutes on two cores; log: $dir/build.log)"
start=$(date +%s)
# Not in an if: errexit must stay on inside the recipe.
set +e
(set -e; tcplimit_debug_build "$dir") >"$dir/build.log" 2>&1
status=$?
set -e
if [ "$status" -ne 0 ]; then
	tail -n 40 "$dir/build.log" | sed 's/^/debug-kernel:   /' >&2
	say "build failed; log: $dir/build.log"
	exit 1
fi
took=$(($(date +%s) - start))
echo "$key $(cat "$dir/kernelrelease") built in ${took}s on $(date -u +%FT%TZ)" >"$dir/stamp"
say "built $(cat "$dir/kernelrelease") in ${took}s"

# Keep the two newest complete builds; drop the others and any leftover
# half-built directory (none can be in progress: we hold the lock).
for old in "$cache"/*/; do
	old=${old%/}
	[ "$old" = "$dir" ] && continue
	[ -e "$old/stamp" ] || { rm -rf "$old"; continue; }
done
find "$cache" -mindepth 2 -maxdepth 2 -name stamp -printf '%T@ %h\n' | sort -rn |
	tail -n +3 | while read -r _ old; do
	rm -rf "$old"
done

echo "$dir/bzImage"
