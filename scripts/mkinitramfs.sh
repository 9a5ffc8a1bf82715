#!/usr/bin/env bash
# Build (or reuse) a tiny busybox initramfs for KVER: it loads the virtio,
# 9p and overlay modules the Debian kernel builds as modules, mounts the
# host root over 9p and switch_roots into it, running the repo's
# scripts/vm-init.sh (the repo path comes from the kernel command line,
# tlvm.repo=). With tlvm.boot=systemd the new root is a writable overlay
# of the host's (a tmpfs over the 9p share) and the second stage is
# scripts/vm-boot.sh, which boots systemd.
# A kernel with them built in (the debug kernel) gets an initramfs without
# modules: modprobe reports them "builtin".
# Usage: mkinitramfs.sh [-d MODROOT] KVER  -> prints the path of the cached cpio.gz
#   MODROOT  where lib/modules/KVER lives (modprobe -d), default /
set -euo pipefail

modroot=/
if [ "${1:-}" = -d ]; then
	modroot=$2
	shift 2
fi
kver=$1
cache=${TCPLIMIT_CACHE:-/var/cache/tcplimit}
stamp=$({ cat "$0"; echo "$modroot"; } | sha256sum | cut -c1-12)
out="$cache/initramfs-$kver-$stamp.cpio.gz"
if [ -s "$out" ]; then
	echo "$out"
	exit 0
fi

mkdir -p "$cache"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{bin,dev,proc,sys,newroot,lower,rw,lib/modules}

cp /bin/busybox "$work/bin/busybox"
for app in sh mount insmod switch_root mkdir cat echo sleep; do
	ln -s busybox "$work/bin/$app"
done

# Modules in load order, decompressed (busybox insmod takes plain .ko).
modules=()
for m in virtio_pci 9pnet_virtio 9p overlay; do
	while read -r verb path; do
		[ "$verb" = insmod ] || continue
		name=$(basename "$path")
		name=${name%.xz}
		case " ${modules[*]:-} " in *" $name "*) continue ;; esac
		case "$path" in
		*.xz) xz -dc "$path" >"$work/lib/modules/$name" ;;
		*) cp "$path" "$work/lib/modules/$name" ;;
		esac
		modules+=("$name")
	done < <(modprobe -d "$modroot" -S "$kver" --show-depends "$m")
done

cat >"$work/init" <<INIT
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in ${modules[*]:-}; do
	insmod /lib/modules/\$m || echo "initramfs: insmod \$m failed"
done
# The second stage lives in the repo, named on the kernel command line.
repo=/ boot=
for arg in \$(cat /proc/cmdline); do
	case "\$arg" in
	tlvm.repo=*) repo="\${arg#tlvm.repo=}" ;;
	tlvm.boot=systemd) boot=systemd ;;
	esac
done
root=/newroot
[ -z "\$boot" ] || root=/lower
if ! mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose root \$root; then
	echo "initramfs: cannot mount the host root"
	echo o >/proc/sysrq-trigger
fi
init2=\$repo/scripts/vm-init.sh
if [ -n "\$boot" ]; then
	mount -t tmpfs tmpfs /rw && mkdir /rw/upper /rw/work &&
		mount -t overlay overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work /newroot ||
		{ echo "initramfs: cannot make a writable root"; echo o >/proc/sysrq-trigger; }
	init2=\$repo/scripts/vm-boot.sh
fi
umount /sys /dev 2>/dev/null
umount /proc 2>/dev/null
exec switch_root /newroot /bin/bash "\$init2"
INIT
chmod +x "$work/init"

# Built aside under a name of its own: VMs starting together may build it
# at once.
tmpout=$(mktemp "$out.XXXXXX")
(cd "$work" && find . | cpio -o -H newc --quiet | gzip -1) >"$tmpout"
mv "$tmpout" "$out"
echo "$out"
