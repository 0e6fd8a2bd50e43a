#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# damon_test's paddr_memcg_v1 alone, first of all suites (scripts/guest/run.sh):
# it moves the memory controller to a cgroup v1 hierarchy and back, which
# the kernel refuses while any cgroup but the root has memory state, and
# the other suites leave dying cgroups behind (pinned by their page cache
# and kernel memory) for as long as the guest runs.  The module is loaded
# afresh afterwards: the next suites find it as it was at boot.
./damon_test -t paddr_memcg_v1
rc=$?
rmmod memtally && insmod /memtally.ko || echo "# memcg_v1.sh: could not reload memtally"
exit $rc
