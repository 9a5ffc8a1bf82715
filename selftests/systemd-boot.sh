#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Limits that survive a reboot, shown on a real systemd boot of the test VM
# (scripts/check.sh boots it with TCPLIMIT_VM_BOOT=systemd).
#
# systemd-boot.sh setup, before systemd starts (scripts/vm-boot.sh), does
# what the README tells an administrator: the module (TCPLIMIT_KO: make
# check gives the one DKMS installed from the package) in
# /lib/modules/KVER/updates with depmod, the tree's tcplimitctl in
# /usr/sbin and its unit in /lib/systemd/system, boot-time parameters in
# /etc/modprobe.d/tcplimit.conf (table_size=4096); limits set with
# tcplimitctl, "tcplimitctl save > /etc/tcplimit.conf", the module
# unloaded; "systemctl enable tcplimit.service". The host image's own
# services are disabled and tmpfiles masked (this VM boots to test one
# unit, on the host's files over 9p), and a unit that runs the check below
# after tcplimit.service is enabled.
#
# systemd-boot.sh check, from that unit: tcplimit.service is enabled and
# active, the module is loaded with the parameter, "tcplimitctl save"
# prints /etc/tcplimit.conf again, and the cap it restored is enforced on
# a connection over lo; results between the markers vm.sh reads, then a
# power-off.
. "$(dirname "$0")/lib.sh"

conf=/etc/tcplimit.conf

setup() {
	local kver

	kver=$(uname -r)
	install -D -m 644 "$TL_KO" "/lib/modules/$kver/updates/tcplimit.ko" || exit 1
	depmod -a "$kver" || exit 1
	install -m 755 "$TL_CTL" /usr/sbin/tcplimitctl || exit 1
	install -m 644 "$TL_REPO/tools/systemd/tcplimit.service" /lib/systemd/system/ || exit 1
	echo "options tcplimit table_size=4096" >/etc/modprobe.d/tcplimit.conf
	modprobe tcplimit || exit 1
	tcplimitctl set max 3 rate 20/1s burst 5 || exit 1
	tcplimitctl policy add 2222 max 1 || exit 1
	tcplimitctl allow 192.0.2.0/24 || exit 1
	tcplimitctl save >"$conf" || exit 1
	rmmod tcplimit || exit 1
	echo "setup: $conf:"
	cat "$conf"
	find /etc/systemd/system -path '*.wants/*' -delete
	# The root is the host's over 9p: tmpfiles would walk its /tmp and /var,
	# and the host's container marker would make systemd start a getty on
	# the console, which hangs up the check's output there.
	rm -f /.dockerenv /run/.containerenv
	# tmp.mount would hide a repository cloned under /tmp.
	systemctl mask systemd-tmpfiles-setup.service systemd-tmpfiles-clean.timer \
		console-getty.service serial-getty@ttyS0.service getty@tty1.service tmp.mount || exit 1
	systemctl enable tcplimit.service || exit 1
	cat >/etc/systemd/system/tlvm-check.service <<-UNIT
	[Unit]
	Description=tcplimit test VM: check what the boot restored
	After=tcplimit.service
	# A check that cannot run must not leave the VM to its time-out.
	FailureAction=poweroff-force

	[Service]
	Type=oneshot
	ExecStart=/bin/bash $TL_DIR/systemd-boot.sh check
	StandardOutput=tty
	StandardError=tty
	TTYPath=/dev/ttyS0

	[Install]
	WantedBy=multi-user.target
	UNIT
	systemctl enable tlvm-check.service || exit 1
	# Not a test of its own: nothing to clean up before systemd starts.
	trap - EXIT
	rm -rf "$TL_TMP"
}

check() {
	local status

	# After tcplimit.service: its restore is over.
	echo "TCPLIMIT-BEGIN"
	tl_eq "tcplimit.service enabled" "$(systemctl is-enabled tcplimit.service)" enabled
	tl_eq "tcplimit.service active" "$(systemctl is-active tcplimit.service)" active
	tl_eq "module loaded" "$(grep -c '^tcplimit ' /proc/modules)" 1
	# The parameter, not /proc: the restored file sets the table size too.
	tl_eq "table_size from /etc/modprobe.d" "$(cat /sys/module/tcplimit/parameters/table_size)" 4096
	tcplimitctl save >"$TL_TMP/saved"
	if cmp -s "$TL_TMP/saved" "$conf"; then
		tl_log "ok: tcplimitctl save prints $conf again"
	else
		tl_fail "tcplimitctl save differs from $conf: $(diff "$conf" "$TL_TMP/saved")"
	fi
	tl_server_plain 127.0.0.1 8000
	tl_eq "a client of 5 over lo under the restored max 3" \
		"$("$TL_TCPCONN" client 127.0.0.1 8000 5 3000 close)" "established 3 failed 2"
	journalctl -b -u tcplimit.service --no-pager | sed 's/^/# journal: /'
	status=0
	[ "$tl_failures" -eq 0 ] || status=1
	echo "TCPLIMIT-DMESG-BEGIN"
	dmesg
	echo "TCPLIMIT-DMESG-END"
	echo "TCPLIMIT-EXIT: $status"
	sync
	systemctl poweroff --force --force
}

# tl_server_plain ADDR PORT: tcpconn's server in this namespace.
tl_server_plain() {
	"$TL_TCPCONN" server "$1" "$2" &
	TL_PIDS+=($!)
	busywait 5000 sh -c "ss -Hltn 'sport = :$2' | grep -q ." || tl_fail "server $1:$2 not listening"
}

case ${1:-} in
setup) setup ;;
check) check ;;
*) echo "usage: systemd-boot.sh setup|check" >&2; exit 2 ;;
esac
