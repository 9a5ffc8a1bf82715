#!/usr/bin/env bash
# Install every Debian package tcplimit needs to build, test and run its VMs.
# Idempotent: when everything is present it only resolves names (a few seconds).
# Kernel package names carry patch versions that move with security updates, so
# the newest 6.12 image/headers are resolved with apt-cache, never pinned.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
# The project's VM boots without Debian's initrd: skip update-initramfs.
export INITRD=No

base=(build-essential kmod libmnl-dev pkg-config iproute2 qemu-system-x86
      busybox-static sparse linux-source-6.1 xz-utils python3 valgrind
      linux-image-amd64 linux-headers-amd64 procps psmisc util-linux
      python3-yaml man-db groff-base bash-completion python3-scapy nftables iperf3 dkms openssl
      nginx-light slowhttptest wrk systemd debhelper dh-dkms lintian iptables gnuplot-nox
      linux-perf)

need_update=0
apt_updated() { [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; }
apt_updated || need_update=1
[ "$need_update" = 1 ] && apt-get update -qq

# Newest 6.12 generic and PREEMPT_RT flavours that have headers and an image
# (the signed image can lag its headers by days: then the -unsigned one).
installable() {
	local cand

	cand=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2 }')
	[ -n "$cand" ] && [ "$cand" != "(none)" ]
}
newest_612() {
	local kver

	for kver in $(apt-cache search --names-only "^linux-headers-6\.12\.[0-9]+\+deb12-$1\$" |
		awk '{print $1}' | sed 's/^linux-headers-//' | sort -rV); do
		installable "linux-headers-$kver" || continue
		if installable "linux-image-$kver"; then
			echo "linux-headers-$kver linux-image-$kver"
			return
		elif installable "linux-image-$kver-unsigned"; then
			echo "linux-headers-$kver linux-image-$kver-unsigned"
			return
		fi
	done
}

pkgs=("${base[@]}")
for flavour in amd64 rt-amd64; do
	read -r -a kpkgs <<<"$(newest_612 "$flavour")"
	if [ "${#kpkgs[@]}" -eq 0 ]; then
		echo "deps: no linux-headers-6.12.*-$flavour with an image in the archive" >&2
		exit 1
	fi
	pkgs+=("${kpkgs[@]}")
done

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	[ "$need_update" = 1 ] || apt-get update -qq
	# Services installed for the tests (nginx) are not started on the host.
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod +x /usr/sbin/policy-rc.d
		trap 'rm -f /usr/sbin/policy-rc.d' EXIT
	fi
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# checkpatch.pl and the kernel source come from the linux-source tarball.
src=/usr/src/linux-source-6.1
if [ ! -x "$src/scripts/checkpatch.pl" ]; then
	tarball=$(ls /usr/src/linux-source-6.1.tar.* | head -1)
	mkdir -p "$src"
	tar -xf "$tarball" -C /usr/src
fi
echo "deps: ok"
