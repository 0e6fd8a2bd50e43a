#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Capture a guest's state for the golden-output tests (not a test: run by
# scripts/capture-golden.sh as `try.sh KERNEL capture.sh`).  Sets up what
# every formatter has something to show for: the demo's three cgroups, a
# memcg squeeze with reclaim stalls and swap, an OOM kill of a known
# victim and stalls of 10 ms or more seen by two event subscribers (JSON
# and text), KSM merging, and a DAMON binding where the kernel has DAMON;
# then ships two `memtally snapshot`s taken 5 s apart while the workloads
# run (top's and reclaim's rates) and the same events as each subscriber
# printed them.
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
# an event for each reclaim stall of 10 ms or more too (the squeeze's);
# two subscribers at once, each gets every event in the order it was sent
memtally config --stall-threshold-us 10000 > /dev/null
memtally events --json > /tmp/events-json.all 2> /dev/null &
evjson=$!
memtally events > /tmp/events-text.all 2> /dev/null &
evtext=$!
sleep 1

run demo/web /tests/mt_touch 1000 600
run demo/db /tests/mt_touch 5000 600
run demo/batch /tests/mt_touch 20000 600
run squeeze /tests/mt_touch 16384 600 loop
run ksm /tests/mt_merge 4096 same 600
# the OOM victim: 64 MiB in 16 MiB without swap; the kill's event names it
sh -c "echo \$\$ > $cg/oom/cgroup.procs && exec /tests/mt_touch 16384" 2> /dev/null &
victim=$!
wait $victim
victim_rc=$?
echo 1000 > /sys/kernel/mm/ksm/pages_to_scan
echo 1 > /sys/kernel/mm/ksm/run
# two full KSM scans, PSI's avg10 under the squeeze, DAMON aggregations
i=0
while [ "$(cat /sys/kernel/mm/ksm/full_scans)" -lt 2 ] && [ $i -lt 60 ]; do
	sleep 1
	i=$((i + 1))
done
sleep 10
# the rates of top and reclaim: over the interval between two snapshots
memtally snapshot -o /tmp/snapshot.json
sleep 5
memtally snapshot -o /tmp/snapshot-2.json
kill -INT $evjson $evtext
wait $evjson $evtext
# the OOM kill and the first 4 stalls are enough for the event formatter:
# their line numbers in the JSON lines, the same events in the text lines
lines=$({ grep -n '"event":"oom-kill"' /tmp/events-json.all | head -n 2
	  grep -n '"event":"reclaim-stall"' /tmp/events-json.all | head -n 4
	} | cut -d: -f1 | sort -n | tr '\n' ' ')
pick() {	# pick <file>: its lines of those numbers
	awk -v l="$lines" 'BEGIN { n = split(l, a, " "); for (i = 1; i <= n; i++) want[a[i]] = 1 } want[NR]' "$1"
}
pick /tmp/events-json.all > /tmp/events.jsonl
pick /tmp/events-text.all > /tmp/events.txt
echo "capture: events: $(wc -l < /tmp/events-json.all) JSON lines, $(wc -l < /tmp/events-text.all) text lines; shipped lines $lines"
# one OOM kill, of the victim (killed: 128 + SIGKILL), in /oom
ook=1
[ "$victim_rc" = 137 ] || { ook=; echo "capture: the OOM victim (pid $victim) exited $victim_rc, not killed"; }
[ "$(grep -c '"event":"oom-kill"' /tmp/events-json.all)" = 1 ] ||
	{ ook=; echo "capture: not one OOM kill:"; grep '"event":"oom-kill"' /tmp/events-json.all; }
grep -q "^{\"event\":\"oom-kill\",\"timestamp_ns\":[0-9]*,\"pid\":$victim,\"comm\":\"mt_touch\",\"cgroup_id\":[0-9]*,\"path\":\"/oom\"," /tmp/events.jsonl ||
	{ ook=; echo "capture: no JSON line of the OOM kill of pid $victim in /oom"; }
grep -q " oom-kill pid=$victim comm=mt_touch cgroup=/oom (" /tmp/events.txt ||
	{ ook=; echo "capture: no text line of the OOM kill of pid $victim in /oom"; }
[ "$(wc -l < /tmp/events.jsonl)" = "$(wc -l < /tmp/events.txt)" ] ||
	{ ook=; echo "capture: the subscribers' lines differ"; }
ship snapshot.json /tmp/snapshot.json
ship snapshot-2.json /tmp/snapshot-2.json
if [ -n "$ook" ]; then
	ship events.jsonl /tmp/events.jsonl
	ship events.txt /tmp/events.txt
else	# capture-golden.sh then stops: it has no events
	cat /tmp/events.jsonl /tmp/events.txt
fi
