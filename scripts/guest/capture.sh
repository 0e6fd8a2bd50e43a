#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Capture a guest's state for the golden-output tests (not a test: run by
# scripts/capture-golden.sh as `try.sh KERNEL capture.sh`).  Sets up what
# every formatter has something to show for: the demo's three cgroups, a
# memcg squeeze with reclaim stalls and swap, an OOM kill and stalls of
# 10 ms or more seen by an event subscriber, KSM merging, and a DAMON
# binding where the kernel has DAMON; then ships `memtally snapshot` and
# the event lines to the host.
cg=/sys/fs/cgroup
ship() {	# ship <name> <file>
	echo "MT-FILE-BEGIN $1"
	base64 "$2"
	echo "MT-FILE-END"
}
run() {	# run <cgroup> <command...>: in the background, in the cgroup
	c=$1
	shift
	sh -c "echo \$\$ > $cg/$c/cgroup.procs && exec $*" &
}

echo "+memory +pids" > $cg/cgroup.subtree_control
mkdir -p $cg/demo $cg/squeeze $cg/oom $cg/ksm
echo "+memory +pids" > $cg/demo/cgroup.subtree_control
for name in web db batch; do mkdir -p $cg/demo/$name; done
/tests/zram-swap.sh 256M > /dev/null
echo 8M > $cg/demo/db/memory.max
echo 16M > $cg/squeeze/memory.max
echo 16M > $cg/oom/memory.max
echo 0 > $cg/oom/memory.swap.max

if [ -d /sys/kernel/mm/damon/admin ]; then
	memtally damon start --paddr > /dev/null || echo "capture: damon start failed"
fi
# an event for each reclaim stall of 10 ms or more too (the squeeze's)
memtally config --stall-threshold-us 10000 > /dev/null
memtally events --json > /tmp/events.all 2> /dev/null &
evpid=$!
sleep 1

run demo/web /tests/mt_touch 1000 600
run demo/db /tests/mt_touch 5000 600
run demo/batch /tests/mt_touch 20000 600
run squeeze /tests/mt_touch 16384 600 loop
run ksm /tests/mt_merge 4096 same 600
sh -c "echo \$\$ > $cg/oom/cgroup.procs && exec /tests/mt_touch 16384" 2> /dev/null
echo 1000 > /sys/kernel/mm/ksm/pages_to_scan
echo 1 > /sys/kernel/mm/ksm/run
# two full KSM scans, PSI's avg10 under the squeeze, DAMON aggregations
i=0
while [ "$(cat /sys/kernel/mm/ksm/full_scans)" -lt 2 ] && [ $i -lt 60 ]; do
	sleep 1
	i=$((i + 1))
done
sleep 10
kill -INT $evpid
wait $evpid
# the OOM kill and a few of the stalls are enough for the event formatter
{ grep '"oom-kill"' /tmp/events.all | head -n 2
  grep '"reclaim-stall"' /tmp/events.all | head -n 4; } > /tmp/events.jsonl
memtally snapshot -o /tmp/snapshot.json
ship snapshot.json /tmp/snapshot.json
ship events.jsonl /tmp/events.jsonl
