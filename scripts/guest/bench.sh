#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Overhead of memtally: ROUNDS interleaved runs of each workload without
# and with the module, in one boot; prints the medians and their ratio.
#   fault-storm  64 MiB written page by page, 16 times, in a cgroup
#   reclaim      128 MiB written page by page, 4 times, in a cgroup held
#                at memory.high=32M with swap on zram: memcg reclaim and
#                throttling on every pass
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
