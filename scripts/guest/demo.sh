#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo inside the guest: three cgroups with a known page fault load.
cg=/sys/fs/cgroup/demo
mkdir -p $cg
echo "+memory +pids" > $cg/cgroup.subtree_control
for name in web db batch; do mkdir -p $cg/$name; done

run() {	# run <cgroup> <pages>: mt_touch inside the cgroup
	sh -c "echo \$\$ > $cg/$1/cgroup.procs && exec /tests/mt_touch $2"
}
run web 1000
run db 5000
run batch 20000

echo '$ memtally status'
memtally status
echo
echo '$ memtally cgroups --prefix /demo --sort faults-user'
memtally cgroups --prefix /demo --sort faults-user
echo
echo '$ memtally cgroups --cgroup /demo/db --json'
memtally cgroups --cgroup /demo/db --json
echo
echo '$ cat /sys/kernel/debug/memtally/cgroups'
cat /sys/kernel/debug/memtally/cgroups
