# tcplimit: build the module and tcplimitctl, run the VM test matrix.
#
#   make                 module/tcplimit.ko and tools/tcplimitctl/tcplimitctl
#   make check           install deps, build for every kernel, run selftests in VMs
#   make check KERNELS=6.1   narrow the matrix (6.1, 6.12, 6.12-rt)
#   make demo            the cap at work in a VM
#   make checkpatch      checkpatch.pl --strict over module/ and uapi/

# Default kernel tree: the running kernel's if it has one, else the newest
# installed Debian 6.1 headers (the development host has no headers).
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(lastword $(sort $(wildcard /usr/src/linux-headers-6.1.*-amd64))))
KERNELS ?= 6.1 6.12 6.12-rt
CHECKPATCH ?= /usr/src/linux-source-6.1/scripts/checkpatch.pl

all: module tool

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tool:
	$(MAKE) -C tools/tcplimitctl

deps:
	bash scripts/deps.sh

check: deps
	bash scripts/check.sh $(KERNELS)

demo: deps
	bash scripts/demo.sh

checkpatch:
	$(CHECKPATCH) --strict --no-tree --quiet --show-types \
		--ignore SPDX_LICENSE_TAG,FILE_PATH_CHANGES \
		-f $(filter-out %.mod.c,$(wildcard module/*.c)) module/*.h uapi/linux/*.h

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools/tcplimitctl clean
	rm -rf build

.PHONY: all module tool deps check demo checkpatch clean
