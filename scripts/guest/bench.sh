#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Overhead of memtally on a page fault storm: ROUNDS interleaved runs of
# the same workload without and with the module, in one boot; prints the
# medians and their ratio.
ROUNDS=${ROUNDS:-5}
cg=/sys/fs/cgroup/bench
mkdir -p $cg
storm() { sh -c "echo \$\$ > $cg/cgroup.procs && exec /tests/fault_storm 64 16"; }
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

storm > /dev/null	# warm up
: > /tmp/without
: > /tmp/with
for r in $(seq "$ROUNDS"); do
	rmmod memtally
	storm >> /tmp/without
	insmod /memtally.ko
	storm >> /tmp/with
done
without=$(median < /tmp/without)
with=$(median < /tmp/with)
echo "bench fault-storm: pages/s without memtally: $(tr '\n' ' ' < /tmp/without)"
echo "bench fault-storm: pages/s with memtally:    $(tr '\n' ' ' < /tmp/with)"
echo "bench fault-storm: median without $without, with $with," \
	"overhead ratio $(awk -v a="$without" -v b="$with" 'BEGIN {printf "%.3f", a / b}')x"
