# SPDX-License-Identifier: GPL-2.0
#
# make                    build memtally.ko for the running kernel (or KDIR=)
# make tool               build userspace/memtally
# make check              build, then run every test in QEMU (what CI runs)
# make check-debug        the same tests on the debug kernel only (KASAN,
#                         lockdep, kmemleak, UBSAN; built once per machine)
# make demo               boot a VM and show memtally on a small workload
# make bench              overhead ratios (fault storm, also against bpftrace;
#                         reclaim; DAMON), in a VM
KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

modules_install:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || \
		rm -rf *.ko *.mod* *.o kmod/*.o kmod/.*.cmd .*.cmd Module.symvers modules.order
	$(MAKE) -C userspace clean
	$(MAKE) -C selftests clean
	$(MAKE) -C bench clean

tool:
	$(MAKE) -C userspace

check:
	scripts/test-all.sh

check-debug:
	MT_KERNELS=debug MT_DEBUG_STRESS_CYCLES=1000 MT_DEBUG_STRESS_CGROUPS=10000 \
		MT_GUEST_TIMEOUT=5400 scripts/test-all.sh

demo:
	scripts/demo.sh

bench:
	scripts/bench.sh

.PHONY: all modules modules_install clean tool check check-debug demo bench
