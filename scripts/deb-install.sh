#!/usr/bin/env bash
# The Debian packages installed as on a server, with dpkg, in a chroot: a
# copy-on-write view of this host's root (overlayfs over /, in a private
# mount namespace, so the host keeps nothing). tcplimit-dkms's postinst
# registers the source with DKMS, which builds and installs the module
# for each KERNEL (autoinstall_all_kernels: the running kernel is the
# host's, with no headers); tcplimit-tools gives tcplimitctl of the
# version and a unit systemctl can enable. The installed modules are
# copied to OUTDIR/tcplimit-KERNEL.ko (selftest 57-deb loads them). Then
# dpkg removes both packages: the modules, the source and the DKMS
# registration go with them.
# Root. Usage: deb-install.sh DEBDIR OUTDIR KERNEL...
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
if [ -z "${TL_DEB_INSTALL_NS:-}" ]; then
	TL_DEB_INSTALL_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
# shellcheck source=scripts/kernels.sh
. "$here/kernels.sh"
debs=${1:?usage: deb-install.sh DEBDIR OUTDIR KERNEL...}
out=${2:?usage: deb-install.sh DEBDIR OUTDIR KERNEL...}
shift 2
ver=$(sed -n 's/^#define TCPLIMIT_VERSION\t*"\(.*\)"/\1/p' "$repo/version.h")

bad=0
fail() {
	echo "FAIL: $*"
	bad=1
}

# Everything in a tmpfs of this mount namespace: nothing lands on the
# host's disk, even if the run is killed, and no rm walks into the
# chroot's bind mounts of /dev or /proc.
tmp=$(mktemp -d)
mount -t tmpfs tmpfs "$tmp" || { echo "FAIL: no tmpfs for the chroot"; exit 1; }
root=$tmp/root
trap 'umount -R "$root" 2>/dev/null; umount "$tmp" && rmdir "$tmp"' EXIT
mkdir -p "$tmp/upper" "$tmp/work" "$root"
if ! mount -t overlay overlay -o "lowerdir=/,upperdir=$tmp/upper,workdir=$tmp/work" "$root"; then
	echo "FAIL: no overlayfs over / for the chroot"
	exit 1
fi
for d in proc sys dev; do
	mount --rbind "/$d" "$root/$d" || { echo "FAIL: mount /$d in the chroot"; exit 1; }
done
if [ -n "$(find /lib/modules/*/updates -name 'tcplimit.ko*' 2>/dev/null)" ] || [ -e /var/lib/dkms/tcplimit ]; then
	echo "FAIL: this host has tcplimit installed (/lib/modules/*/updates, DKMS): remove it first"
	exit 1
fi
mkdir -p "$root/var/tmp/debs"
cp "$debs/tcplimit-dkms_${ver}_all.deb" "$debs/tcplimit-tools_${ver}_amd64.deb" \
	"$root/var/tmp/debs/" || { echo "FAIL: no packages of version $ver in $debs"; exit 1; }
in_root() {
	chroot "$root" env DEBIAN_FRONTEND=noninteractive autoinstall_all_kernels=1 "$@"
}

if ! in_root dpkg -i /var/tmp/debs/tcplimit-dkms_"$ver"_all.deb \
	/var/tmp/debs/tcplimit-tools_"$ver"_amd64.deb >"$tmp/install.log" 2>&1; then
	fail "dpkg -i:"
	tail -30 "$tmp/install.log" | sed 's/^/  /'
	exit 1
fi
echo "ok: dpkg -i tcplimit-dkms tcplimit-tools $ver in a chroot"
for k in "$@"; do
	kver=$(tcplimit_kver "$k") || { fail "$k: no such kernel"; continue; }
	status=$(in_root dkms status -m tcplimit -v "$ver" -k "$kver" 2>&1)
	[[ "$status" == *": installed"* ]] || fail "$k: dkms status: '$status', want installed"
	ko=$(find "$root/lib/modules/$kver/updates" -name 'tcplimit.ko*' 2>/dev/null | head -1)
	if [ -z "$ko" ]; then
		fail "$k: no tcplimit.ko under /lib/modules/$kver/updates after the install"
		continue
	fi
	grep -q "tcplimit.ko" "$root/lib/modules/$kver/modules.dep" ||
		fail "$k: depmod did not list tcplimit.ko"
	got=$(modinfo -F version "$ko")
	[ "$got" == "$ver" ] || fail "$k: modinfo version '$got', want '$ver'"
	got=$(modinfo -F vermagic "$ko")
	[ "${got%% *}" == "$kver" ] || fail "$k: vermagic '$got', want $kver"
	xz -dc -f "$ko" >"$out/tcplimit-$k.ko" ||
		{ rm -f "$out/tcplimit-$k.ko"; fail "$k: cannot keep $ko in $out"; }
	[ $bad -ne 0 ] || echo "ok: $k: DKMS installed ${ko#"$root"}"
done
got=$(in_root tcplimitctl version 2>/dev/null | head -1)
[ "$(awk '{ print $1, $2 }' <<<"$got")" == "tcplimitctl $ver" ] ||
	fail "installed tcplimitctl version says '$got'"
in_root systemctl enable tcplimit.service >"$tmp/enable.log" 2>&1 &&
	[ -L "$root/etc/systemd/system/multi-user.target.wants/tcplimit.service" ] ||
	fail "systemctl enable tcplimit.service: $(cat "$tmp/enable.log")"
[ $bad -ne 0 ] || echo "ok: tcplimitctl $ver installed, tcplimit.service enabled"

if ! in_root dpkg -r tcplimit-tools tcplimit-dkms >"$tmp/remove.log" 2>&1; then
	fail "dpkg -r:"
	tail -20 "$tmp/remove.log" | sed 's/^/  /'
fi
left=$(find "$root"/lib/modules/*/updates -name 'tcplimit.ko*' 2>/dev/null)
[ -z "$left" ] || fail "modules left after dpkg -r: $left"
[ ! -e "$root/usr/src/tcplimit-$ver" ] || fail "/usr/src/tcplimit-$ver left after dpkg -r"
[ -z "$(in_root dkms status -m tcplimit 2>/dev/null)" ] || fail "DKMS still knows tcplimit after dpkg -r"
[ ! -e "$root/usr/sbin/tcplimitctl" ] || fail "tcplimitctl left after dpkg -r"
[ $bad -ne 0 ] || echo "ok: dpkg -r removes the modules, the source and the DKMS registration"
exit $bad
