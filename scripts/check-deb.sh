#!/usr/bin/env bash
# The Debian packages, built from the tree as a user would build them
# (dpkg-buildpackage -b on a copy of the tracked files): lintian finds
# nothing, overrides aside (each explained in debian/); tcplimit-tools holds
# exactly the tool, its man pages, completion, unit and example, its
# tcplimitctl gives version.h's version and systemd finds its unit sound;
# tcplimit-dkms holds make dkms-src's files and registers them with DKMS at
# installation; then both are installed with dpkg in a chroot, DKMS
# building and installing the module for each KERNEL, kept in OUTDIR for
# the VM that loads it (selftest 57-deb), and removed again
# (scripts/deb-install.sh).
# Runs on the host, as root (dkms). Usage: check-deb.sh OUTDIR [KERNEL...]
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
out=${1:?usage: check-deb.sh OUTDIR [KERNEL...]}
shift
[ $# -gt 0 ] || set -- 6.1
ver=$(sed -n 's/^#define TCPLIMIT_VERSION\t*"\(.*\)"/\1/p' "$repo/version.h")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bad=0
fail() {
	echo "FAIL: $*"
	bad=1
}

mkdir -p "$tmp/src" "$tmp/tools" "$tmp/dkms" "$tmp/want" "$out" || exit 1
# A module left by an earlier run must not pass for this one's.
rm -f "$out"/tcplimit-*.ko
git -C "$repo" ls-files -z | (cd "$repo" && xargs -0 tar cf -) | tar xf - -C "$tmp/src" ||
	{ echo "FAIL: copy of the tracked files"; exit 1; }
if ! (cd "$tmp/src" && dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1; then
	echo "FAIL: dpkg-buildpackage -b:"
	tail -20 "$tmp/build.log" | sed 's/^/  /'
	exit 1
fi
echo "ok: dpkg-buildpackage -b: $(cd "$tmp" && echo ./*.deb)"

if lintian -I --pedantic --fail-on error,warning,info,pedantic \
	"$tmp/tcplimit_${ver}_amd64.changes" >"$tmp/lintian.log" 2>&1; then
	echo "ok: lintian --pedantic: no tag but the explained overrides"
else
	fail "lintian:"
	grep -v 'root privileges' "$tmp/lintian.log" | sed 's/^/  /'
fi

dpkg-deb -x "$tmp/tcplimit-tools_${ver}_amd64.deb" "$tmp/tools" &&
	dpkg-deb -x "$tmp/tcplimit-dkms_${ver}_all.deb" "$tmp/dkms" || { echo "FAIL: dpkg-deb -x"; exit 1; }
files() {
	(cd "$1" && find . ! -type d | sed 's|^\./|/|' | grep -v '^/usr/share/doc/' | sort)
}
got=$(files "$tmp/tools")
want=$(printf '%s\n' /usr/sbin/tcplimitctl /usr/share/man/man8/tcplimitctl.8.gz \
	/usr/share/man/man4/tcplimit.4.gz /usr/share/bash-completion/completions/tcplimitctl \
	/lib/systemd/system/tcplimit.service /usr/share/lintian/overrides/tcplimit-tools | sort)
[ "$got" == "$want" ] || fail "tcplimit-tools holds: ${got//$'\n'/ }; want: ${want//$'\n'/ }"
[ -f "$tmp/tools/usr/share/doc/tcplimit-tools/examples/modprobe.conf" ] ||
	fail "tcplimit-tools has no modprobe.conf example"
got=$("$tmp/tools/usr/sbin/tcplimitctl" version 2>/dev/null | head -1)
[ "${got#tcplimitctl }" != "$got" ] && [ "$(awk '{ print $2 }' <<<"$got")" == "$ver" ] ||
	fail "packaged tcplimitctl version says '$got', want $ver"
mkdir -p "$tmp/tools/sbin" && cp -L "$(command -v modprobe)" "$tmp/tools/sbin/modprobe"
systemd-analyze --man=no verify --root="$tmp/tools" tcplimit.service >"$tmp/verify.log" 2>&1 ||
	fail "systemd-analyze verify of the packaged unit: $(cat "$tmp/verify.log")"

make -s -C "$repo" dkms-src DESTDIR="$tmp/want" DKMS_SRC=/src >/dev/null ||
	fail "make dkms-src"
got=$(cd "$tmp/dkms/usr/src/tcplimit-$ver" 2>/dev/null && find . -type f | sort)
want=$(cd "$tmp/want/src" && find . -type f | sort)
[ -n "$got" ] && [ "$got" == "$want" ] ||
	fail "tcplimit-dkms's /usr/src/tcplimit-$ver differs from make dkms-src's files"
dpkg-deb -I "$tmp/tcplimit-dkms_${ver}_all.deb" | grep -q '^ Depends: dkms' ||
	fail "tcplimit-dkms does not depend on dkms"
dpkg-deb --ctrl-tarfile "$tmp/tcplimit-dkms_${ver}_all.deb" | tar xOf - ./postinst >"$tmp/postinst"
grep -qx "DKMS_NAME=tcplimit" "$tmp/postinst" && grep -qx "DKMS_VERSION=$ver" "$tmp/postinst" &&
	grep -q 'common.postinst' "$tmp/postinst" ||
	fail "tcplimit-dkms's postinst does not register tcplimit $ver with DKMS"
[ $bad -ne 0 ] || echo "ok: the packages hold what they should"

bash "$here/deb-install.sh" "$tmp" "$out" "$@" || bad=1
exit $bad
