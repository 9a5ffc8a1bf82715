#!/usr/bin/env bash
# Scan a guest's serial log (scripts/vm.sh) for kernel splats. Exit 1 and print the
# offending lines when any is found.
set -euo pipefail

patterns=(
	'BUG:' 'WARNING:' 'Oops' 'KASAN' 'UBSAN' 'Kernel panic'
	'kmemleak: [0-9]* new suspected memory leaks' 'unreferenced object'
	'possible circular locking' 'inconsistent lock state' 'possible recursive locking'
	'suspicious RCU usage' 'refcount_t' 'list_add corruption' 'list_del corruption'
	'general protection fault' 'sleeping function called from invalid context'
	'scheduling while atomic' 'Slab cache still has objects' 'stack-protector'
	'tcplimit.*[Tt]aint' 'unregister_netdevice: waiting'
	'INFO: task .* blocked for more than' 'rcu: INFO: .* stall' 'detected stalls on CPUs'
	'rcu_.* kthread starved'
)
args=()
for p in "${patterns[@]}"; do
	args+=(-e "$p")
done
# The kernel's own lines: the boot and the dmesg the guest printed at the
# end; the whole log when the guest died before printing it.
kernel_lines() {
	if grep -q '^TCPLIMIT-DMESG-END' "$1"; then
		awk '/TCPLIMIT-BEGIN$/ { skip = 1 } /^TCPLIMIT-DMESG-BEGIN/ { skip = 0 }
		     !skip' "$1"
	else
		cat "$1"
	fi
}

# Out-of-tree and unsigned-module taint messages are expected.
# Each report with the 30 lines after it: the splat's trace says where.
if kernel_lines "$1" | tr -d '\r' | grep -a -n -A 30 "${args[@]}" |
	grep -v -e 'loading out-of-tree module taints kernel' \
		-e 'module verification failed' >/tmp/scan-log.$$ &&
	kernel_lines "$1" | tr -d '\r' | grep -a "${args[@]}" |
	grep -q -v -e 'loading out-of-tree module taints kernel' \
		-e 'module verification failed'; then
	echo "kernel splat in $1:"
	sed 's/^/  /' /tmp/scan-log.$$
	rm -f /tmp/scan-log.$$
	exit 1
fi
rm -f /tmp/scan-log.$$
exit 0
