#!/bin/bash
# Second stage of a systemd boot of the test VM (tlvm.boot=systemd, see
# scripts/mkinitramfs.sh): PID 1 in a writable overlay of the host's root
# (a tmpfs over the 9p share, gone at power-off). It runs the command file
# to set the system up as an administrator would (the module installed,
# the unit enabled, /etc/tcplimit.conf saved), then execs systemd, which
# boots it. The set-up installs a unit that prints the results between
# the markers vm.sh reads and powers off; if the set-up fails, its status
# is printed here instead.
# Kernel command line: tlvm.repo=PATH tlvm.cmd=FILE tlvm.boot=systemd

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LANG=C

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
repo='' cmd=''
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	tlvm.repo=*) repo=${arg#tlvm.repo=} ;;
	tlvm.cmd=*) cmd=${arg#tlvm.cmd=} ;;
	esac
done
# The host's /run must not be seen: systemctl would take a systemd
# running there for this one.
mount -t tmpfs tmpfs /run
hostname tlvm
cd "$repo" || true
log=/run/tlvm-setup.log
if ! bash "$cmd" </dev/null >"$log" 2>&1; then
	echo "TCPLIMIT-BEGIN"
	cat "$log"
	echo "TCPLIMIT-DMESG-BEGIN"
	dmesg
	echo "TCPLIMIT-DMESG-END"
	echo "TCPLIMIT-EXIT: 1"
	sync
	echo o >/proc/sysrq-trigger
	while :; do
		read -r -t 5 _ </dev/console
	done
fi
cat "$log"
echo "the set-up is done; systemd boots"
exec /lib/systemd/systemd
