#!/bin/bash
# Second stage of the test VM, PID 1 after switch_root into the host's root
# (read-only over 9p). Makes the writable places, mounts the repo share at
# its host path, runs the command file, prints the kernel log and the exit
# status between markers for the host, and powers off.
# Kernel command line: tlvm.repo=PATH tlvm.cmd=FILE [tlvm.modroot=DIR]
# (DIR/lib/modules replaces /lib/modules: a kernel built outside Debian's
# packages, such as the debug kernel, keeps its modules.builtin there).

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LANG=C

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm 2>/dev/null
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
for d in /tmp /run /var/tmp /root /var/log /var/lib/dhcp; do
	[ -d "$d" ] && mount -t tmpfs tmpfs "$d"
done
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null

repo='' cmd='' modroot=''
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	tlvm.repo=*) repo=${arg#tlvm.repo=} ;;
	tlvm.cmd=*) cmd=${arg#tlvm.cmd=} ;;
	tlvm.modroot=*) modroot=${arg#tlvm.modroot=} ;;
	esac
done
[ -n "$modroot" ] && mount --bind "$modroot/lib/modules" /lib/modules
# The repo may live under a path the tmpfs mounts just hid (CI clones in /tmp).
mkdir -p "$repo" 2>/dev/null
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose repo "$repo"

hostname tlvm
ip link set lo up
echo 1 >/proc/sys/kernel/panic_on_oops 2>/dev/null

cd "$repo" || true
echo "TCPLIMIT-BEGIN"
bash "$cmd" </dev/null 2>&1
status=$?
echo "TCPLIMIT-DMESG-BEGIN"
dmesg
echo "TCPLIMIT-DMESG-END"
echo "TCPLIMIT-EXIT: $status"
# One compound command, parsed whole before it runs: bash must not need to
# read more of this script once the 9p share is gone.
{
	sync
	# Power off from a child's reboot(2): it returns only if it failed, so
	# PID 1 is still waiting when the devices go down. Nothing after it may
	# exec a program: the 9p root dies with its virtio device during the
	# power-off, and PID 1 exiting panics the guest (6.12: sleep got EIO).
	busybox poweroff -f
	echo o >/proc/sysrq-trigger
	while :; do
		read -r -t 5 _ </dev/console
	done
}
