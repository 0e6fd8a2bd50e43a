#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo inside the guest: three cgroups with a known page fault load;
# db is held at memory.max=8M with swap on zram, so it also stalls in
# reclaim.
cg=/sys/fs/cgroup/demo
mkdir -p $cg
echo "+memory +pids" > $cg/cgroup.subtree_control
for name in web db batch; do mkdir -p $cg/$name; done
/tests/zram-swap.sh 256M > /dev/null && echo 8M > $cg/db/memory.max

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
echo '$ memtally stalls --cgroup /demo/db'
memtally stalls --cgroup /demo/db
echo
# reclaim as sar -B over 3 s in which db runs again (once the first
# sample is taken: the header says so), then the cgroups whose tasks
# reclaimed most in the next 3 s, in which it runs a third time
echo '$ memtally reclaim 3 1 --all    # db runs again'
memtally reclaim 3 1 --all > /tmp/demo-reclaim.txt 2>&1 &
i=0
until grep -qs '^TIME' /tmp/demo-reclaim.txt || [ $i -ge 300 ]; do sleep 0.1; i=$((i + 1)); done
run db 5000
wait
cat /tmp/demo-reclaim.txt
echo
echo '$ memtally reclaim 3 1 --by-cgroup --top 3    # and again'
memtally reclaim 3 1 --by-cgroup --top 3 &
sleep 1
run db 5000
wait
echo
echo '$ cat /sys/kernel/debug/memtally/cgroups'
cat /sys/kernel/debug/memtally/cgroups
