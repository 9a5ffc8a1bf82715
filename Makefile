# tcplimit: build the module and tcplimitctl, run the VM test matrix.
#
#   make                 module/tcplimit.ko and tools/tcplimitctl/tcplimitctl
#   make check           install deps, build for every kernel, run selftests in VMs
#                        (each selftest on one kernel, unit tests on all)
#   make check KERNELS=6.1   narrow the matrix (6.1, 6.12, 6.12-rt)
#   make check-matrix    every selftest on every kernel (about 40 minutes)
#   make check-debug     selftests on a KASAN/lockdep/kmemleak kernel built from
#                        linux-source-6.1 (cached; TESTS="02-cap-exact ..." narrows)
#   make demo            the cap at work in a VM
#   make bench           tcplimit's cost beside nftables and iptables, as
#                        ratios to no filter, into bench/results.md (about
#                        30 minutes; ROUNDS=7 SECS=2 KERNEL=6.1)
#   make stress          clients, SYN flood, reconfiguration, namespaces and
#                        module reloads at once in one VM, then no leak, no
#                        drift (DURATION=600 seconds, KERNEL=6.1)
#   make fuzz            100000 netlink requests as root and as an unprivileged
#                        user namespace, 105000 malformed packets, in one VM
#                        (COUNT=100000, KERNEL=6.1 or debug)
#   make checkpatch      checkpatch.pl --strict over module/ and uapi/
#   make install         the module (MODDIR, then depmod), tcplimitctl, its man
#                        pages, bash completion and tcplimit.service under
#                        PREFIX (/usr/local); DESTDIR= stages them elsewhere
#   make uninstall       remove what make install installed
#   make dkms-src        the module's source for DKMS in /usr/src/tcplimit-VERSION
#   make man             the man pages render without a warning
#   make check-docs      man pages, completion and install checks (host only)

# Default kernel tree: the running kernel's if it has one, else the newest
# installed Debian 6.1 headers (the development host has no headers).
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(lastword $(sort $(wildcard /usr/src/linux-headers-6.1.*-amd64))))
# The release KDIR builds for (what the module's vermagic says).
KVER ?= $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h)
MODDIR ?= /lib/modules/$(KVER)/updates
TL_VERSION := $(shell sed -n 's/^\#define TCPLIMIT_VERSION\t*"\(.*\)"/\1/p' version.h)
DKMS_SRC ?= /usr/src/tcplimit-$(TL_VERSION)
KERNELS ?= 6.1 6.12 6.12-rt
CHECKPATCH ?= /usr/src/linux-source-6.1/scripts/checkpatch.pl

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
UNITDIR ?= $(PREFIX)/lib/systemd/system
INSTALL ?= install

all: module tool

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tool:
	$(MAKE) -C tools/tcplimitctl

deps:
	bash scripts/deps.sh

check: deps
	bash scripts/check.sh $(KERNELS)

# Every selftest on every kernel (about 40 minutes); its verdict is shown
# by make check.
check-matrix: deps
	bash scripts/check.sh --matrix $(KERNELS)

# The debug kernel (KASAN, UBSAN, lockdep, kmemleak) is cached in
# /var/cache/tcplimit/debug-kernel; a cold build takes about 50 minutes.
debug-kernel: deps
	bash scripts/debug-kernel.sh

check-debug: deps
	bash scripts/check-debug.sh $(TESTS)

.PHONY: debug-kernel check-debug

demo: deps
	bash scripts/demo.sh

# The packet path's cost beside nftables and iptables, in one VM
# (scripts/bench.sh): ROUNDS interleaved rounds of SECS seconds a figure;
# the report goes to bench/results.md and bench/*.png.
ROUNDS ?= 7
SECS ?= 2
bench: deps
	bash scripts/bench.sh -r $(ROUNDS) -s $(SECS) $(KERNEL)

.PHONY: bench

# Soak test (scripts/stress.sh): one VM, DURATION seconds, KERNEL of the
# matrix or debug.
DURATION ?= 600
KERNEL ?= 6.1
stress: deps
	bash scripts/stress.sh -d $(DURATION) $(KERNEL)

.PHONY: stress

COUNT ?= 100000
fuzz: deps
	bash scripts/fuzz.sh -c $(COUNT) $(KERNEL)

.PHONY: fuzz

checkpatch:
	$(CHECKPATCH) --strict --no-tree --quiet --show-types \
		--ignore SPDX_LICENSE_TAG,FILE_PATH_CHANGES \
		-f $(filter-out %.mod.c,$(wildcard module/*.c)) module/selftest/*.c module/*.h \
		uapi/linux/*.h version.h

install: install-module install-tools

install-module: module
	$(INSTALL) -D -m 0644 module/tcplimit.ko $(DESTDIR)$(MODDIR)/tcplimit.ko
	[ -n "$(DESTDIR)" ] || depmod -a $(KVER)

# Without the module: what the tcplimit-tools package holds (DKMS builds it).
install-tools: tool
	$(INSTALL) -D -m 0755 tools/tcplimitctl/tcplimitctl $(DESTDIR)$(SBINDIR)/tcplimitctl
	$(INSTALL) -D -m 0644 Documentation/man/tcplimitctl.8 $(DESTDIR)$(MANDIR)/man8/tcplimitctl.8
	$(INSTALL) -D -m 0644 Documentation/man/tcplimit.4 $(DESTDIR)$(MANDIR)/man4/tcplimit.4
	$(INSTALL) -D -m 0644 tools/tcplimitctl/completion/tcplimitctl \
		$(DESTDIR)$(BASHCOMPDIR)/tcplimitctl
	$(INSTALL) -d $(DESTDIR)$(UNITDIR)
	sed 's|/usr/sbin/tcplimitctl|$(SBINDIR)/tcplimitctl|' tools/systemd/tcplimit.service \
		>$(DESTDIR)$(UNITDIR)/tcplimit.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/tcplimit.service

uninstall:
	rm -f $(DESTDIR)$(MODDIR)/tcplimit.ko
	[ -n "$(DESTDIR)" ] || depmod -a $(KVER)
	rm -f $(DESTDIR)$(SBINDIR)/tcplimitctl \
		$(DESTDIR)$(MANDIR)/man8/tcplimitctl.8 \
		$(DESTDIR)$(MANDIR)/man4/tcplimit.4 \
		$(DESTDIR)$(BASHCOMPDIR)/tcplimitctl \
		$(DESTDIR)$(UNITDIR)/tcplimit.service

# The module's source as DKMS takes it, in DESTDIR$(DKMS_SRC).
dkms-src:
	$(INSTALL) -d $(DESTDIR)$(DKMS_SRC)/module/selftest $(DESTDIR)$(DKMS_SRC)/uapi/linux
	$(INSTALL) -m 0644 dkms.conf Kbuild version.h $(DESTDIR)$(DKMS_SRC)/
	$(INSTALL) -m 0644 module/Kbuild module/*.mk $(filter-out %.mod.c,$(wildcard module/*.c)) \
		module/*.h $(DESTDIR)$(DKMS_SRC)/module/
	$(INSTALL) -m 0644 module/selftest/*.c $(DESTDIR)$(DKMS_SRC)/module/selftest/
	$(INSTALL) -m 0644 uapi/linux/tcplimit.h $(DESTDIR)$(DKMS_SRC)/uapi/linux/

man:
	bash scripts/check-docs.sh man-render

check-docs:
	bash scripts/check-docs.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools/tcplimitctl clean
	rm -rf build

.PHONY: all module tool deps check check-matrix demo checkpatch install install-module install-tools uninstall dkms-src man \
	check-docs clean
