#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Overhead of memtally: ROUNDS interleaved runs of each workload without
# and with the module, in one boot; prints the medians and their ratio.
#   fault-storm  64 MiB written page by page, 16 times, in a cgroup
#   reclaim      128 MiB written page by page, 4 times, in a cgroup held
#                at memory.high=32M with swap on zram: memcg reclaim and
#                throttling on every pass
#   damon        (kernels with DAMON) a paddr kdamond over all of RAM for
#                DAMON_SECONDS while a cgroup rewrites 64 MiB: the kdamond's
#                CPU time against the time the module's probe took in it
ROUNDS=${ROUNDS:-7}
cg=/sys/fs/cgroup
mkdir -p $cg/bench $cg/squeeze
echo 32M > $cg/squeeze/memory.high
/tests/zram-swap.sh 512M > /dev/null || exit 1

run() {	# run <cgroup> <MiB> <rounds>: pages/s
	sh -c "echo \$\$ > $cg/$1/cgroup.procs && exec /tests/fault_storm $2 $3"
}
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

bench() {	# bench <name> <cgroup> <MiB> <rounds>
	run "$2" "$3" "$4" > /dev/null	# warm up
	: > /tmp/without
	: > /tmp/with
	for r in $(seq "$ROUNDS"); do
		rmmod memtally
		run "$2" "$3" "$4" >> /tmp/without
		insmod /memtally.ko
		run "$2" "$3" "$4" >> /tmp/with
	done
	without=$(median < /tmp/without)
	with=$(median < /tmp/with)
	echo "bench $1: pages/s without memtally: $(tr '\n' ' ' < /tmp/without)"
	echo "bench $1: pages/s with memtally:    $(tr '\n' ' ' < /tmp/with)"
	echo "bench $1: median without $without, with $with, overhead ratio" \
		"$(awk -v a="$without" -v b="$with" 'BEGIN {printf "%.3f", a / b}')x"
}

bench fault-storm bench 64 16
bench reclaim squeeze 128 4

# damon: DAMON's own work is the kdamond's CPU time less the probe's
damon_bench() {
	local kd=/sys/kernel/mm/damon/admin/kdamonds secs=${DAMON_SECONDS:-30}
	local pid ticks0 ticks1 p0 p1 a0 a1 hz=100 load ncg
	if [ ! -d $kd ]; then
		echo "bench damon: skipped: this kernel has no DAMON (CONFIG_DAMON)"
		return
	fi
	memtally damon start --paddr > /dev/null || return
	pid=$(cat $kd/0/pid)
	mkdir -p $cg/damonload
	sh -c "echo \$\$ > $cg/damonload/cgroup.procs && exec /tests/mt_touch 16384 $((secs + 10)) loop" &
	load=$!
	sleep 5
	# utime + stime of the kdamond, in clock ticks
	ticks0=$(awk '{print $14 + $15}' /proc/$pid/stat)
	st=$(memtally damon status --json)
	p0=$(echo "$st" | sed -n 's/.*"probe_ns":\([0-9]*\).*/\1/p')
	a0=$(echo "$st" | sed -n 's/.*"aggregations":\([0-9]*\).*/\1/p')
	sleep "$secs"
	ticks1=$(awk '{print $14 + $15}' /proc/$pid/stat)
	st=$(memtally damon status --json)
	p1=$(echo "$st" | sed -n 's/.*"probe_ns":\([0-9]*\).*/\1/p')
	a1=$(echo "$st" | sed -n 's/.*"aggregations":\([0-9]*\).*/\1/p')
	kill $load
	wait $load 2> /dev/null
	memtally damon stop > /dev/null
	rmdir $cg/damonload
	ncg=$(find $cg -type d | wc -l)
	awk -v t="$((ticks1 - ticks0))" -v hz=$hz -v p="$((p1 - p0))" \
	    -v a="$((a1 - a0))" -v s="$secs" -v n="$ncg" 'BEGIN {
		kd = t * 1e9 / hz; own = kd - p
		printf "bench damon: paddr, sample 5 ms, aggr 100 ms, %d cgroups, %d s: %d aggregations\n", n, s, a
		printf "bench damon: kdamond CPU %.1f ms per aggregation, memtally probe %.3f ms of it\n", kd / a / 1e6, p / a / 1e6
		printf "bench damon: probe time / the kdamond'"'"'s own %.3fx (goal <= 0.10)\n", (own > 0 ? p / own : 0)
	}'
}
damon_bench

# cgroups: reading N cgroups' numbers with one netlink dump against reading
# each one's memory.stat; and what the module keeps per tracked cgroup,
# from the guest's own accounting (Slab + Percpu of /proc/meminfo) before
# and after loading it with N cgroups there
meminfo_kb() { awk '$1 == "Slab:" || $1 == "Percpu:" {s += $2} END {print s}' /proc/meminfo; }
cgroups_bench() {
	local n=$1 i dump stat k0 k1 ncpu
	mkdir -p $cg/many
	echo "+memory" > $cg/many/cgroup.subtree_control
	for i in $(seq "$n"); do mkdir $cg/many/c$i; done
	: > /tmp/dump
	: > /tmp/stat
	for r in $(seq "$ROUNDS"); do
		/tests/cg_read dump | awk '{print $2}' >> /tmp/dump
		/tests/cg_read stat $cg/many | awk '{print $2}' >> /tmp/stat
	done
	dump=$(median < /tmp/dump)
	stat=$(median < /tmp/stat)
	echo "bench cgroups-$n: one netlink dump ${dump}s, each memory.stat ${stat}s," \
		"dump faster by $(awk -v a="$stat" -v b="$dump" 'BEGIN {printf "%.1f", a / b}')x"
	rmmod memtally
	sync
	echo 3 > /proc/sys/vm/drop_caches
	sleep 1
	k0=$(meminfo_kb)
	insmod /memtally.ko
	sleep 2
	k1=$(meminfo_kb)
	ncpu=$(grep -c ^processor /proc/cpuinfo)
	awk -v d="$((k1 - k0))" -v n="$n" -v c="$ncpu" 'BEGIN {
		printf "bench memory-%d: %.0f bytes per tracked cgroup (Slab + Percpu), %d CPUs, goal <= %d\n", n, d * 1024 / n, c, 1024 + 64 * c
	}'
	for i in $(seq "$n"); do rmdir $cg/many/c$i; done
	rmdir $cg/many
}
cgroups_bench 1000
cgroups_bench 10000
