#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Overhead of memtally: ROUNDS interleaved runs of each workload without
# and with the module, in one boot; prints the medians and their ratio.
#   faults-1t    64 MiB written page by page, 16 times, in a cgroup; and
#   faults-2t    the same pages in 2 threads (64 MiB, 8 times each): also
#                against a bpftrace program that counts the same faults per
#                cgroup, run from the image that scripts/bpftrace-rootfs.sh
#                makes (attached as a virtio disk; skipped without one)
#   reclaim      128 MiB written page by page, 4 times, in a cgroup held
#                at memory.high=32M with swap on zram: memcg reclaim and
#                throttling on every pass
#   damon        (kernels with DAMON) a paddr kdamond over all of RAM for
#                DAMON_SECONDS while a cgroup rewrites 64 MiB: the kdamond's
#                CPU time against the time the module's probe took in it;
#                once with the guest's few cgroups, once with 10,000 more
#                (empty, as on a host with many idle services)
# BENCH names the parts to run, comma-separated (default: all of them)
ROUNDS=${ROUNDS:-7}
BENCH=${BENCH:-faults,reclaim,damon,cgroups}
want() { case ",$BENCH," in *",$1,"*) return 0 ;; esac; return 1; }
cg=/sys/fs/cgroup
mkdir -p $cg/bench $cg/squeeze
echo 32M > $cg/squeeze/memory.high
/tests/zram-swap.sh 512M > /dev/null || exit 1

run() {	# run <cgroup> <MiB> <rounds> [threads]: pages/s
	sh -c "echo \$\$ > $cg/$1/cgroup.procs && exec /tests/fault_storm $2 $3 ${4:-1}"
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

# faults: no module, module, bpftrace, interleaved per round, 1 and 2 threads
root=/rootfs
bpft=""
if out=$(/tests/rootfs.sh $root 2>&1); then
	bpft=$(chroot $root bpftrace --version 2>&1) ||
		{ bpft=""; echo "bench faults: bpftrace skipped: it does not run: $bpft"; }
else
	echo "bench faults: bpftrace skipped: $out"
fi
if [ -n "$bpft" ]; then
	[ -e /sys/kernel/btf/vmlinux ] || echo "bench faults: note: no /sys/kernel/btf/vmlinux"
	# bpftrace runs this as its child (-c, which wants an ELF binary
	# first) only once every probe is attached, and stops when it ends
	printf 'echo $$ > /tmp/attached\nexec sleep 100000\n' > $root/tmp/ready
fi
prog='tracepoint:exceptions:page_fault_user { @user[cgroup] = count(); }
tracepoint:exceptions:page_fault_kernel { @kernel[cgroup] = count(); }'

bpft_start() {	# bpftrace in the background, attached; 1 if it does not
	local i=0
	rm -f $root/tmp/attached
	chroot $root /usr/bin/env PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		bpftrace -B line -c "/bin/sh /tmp/ready" -e "$prog" > /tmp/bpft.out 2>&1 &
	bpft_pid=$!
	while ! { grep -q '^Attaching [0-9]* probes' /tmp/bpft.out &&
		  [ -s $root/tmp/attached ]; }; do
		if ! kill -0 $bpft_pid 2> /dev/null || [ $i -ge 600 ]; then
			kill $bpft_pid 2> /dev/null
			wait $bpft_pid
			return 1
		fi
		sleep 0.5
		i=$((i + 1))
	done
	bpft_secs=$((i / 2))
}

bpft_stop() {	# end the child: bpftrace prints its maps and exits
	local i=0
	kill "$(cat $root/tmp/attached)"
	while kill -0 $bpft_pid 2> /dev/null && [ $i -lt 120 ]; do
		sleep 0.5
		i=$((i + 1))
	done
	kill -KILL $bpft_pid 2> /dev/null
	wait $bpft_pid
}

faults() {
	local r t f id order
	for t in 1 2; do
		run bench 64 $((16 / t)) $t > /dev/null	# warm up
		for f in none module bpftrace; do : > /tmp/f$t-$f; done
	done
	# each round starts with the next of the three, so that none of them
	# always runs first (or last) in a round
	order="none module bpftrace"
	for r in $(seq "$ROUNDS"); do
		for f in $order; do
			case $f in
			none)
				rmmod memtally
				for t in 1 2; do run bench 64 $((16 / t)) $t >> /tmp/f$t-none; done
				insmod /memtally.ko ;;
			module)
				for t in 1 2; do run bench 64 $((16 / t)) $t >> /tmp/f$t-module; done ;;
			bpftrace)
				[ -n "$bpft" ] || continue
				rmmod memtally
				if bpft_start; then
					for t in 1 2; do run bench 64 $((16 / t)) $t >> /tmp/f$t-bpftrace; done
					bpft_stop
				else
					echo "bench faults: bpftrace did not attach: $(tail -n 3 /tmp/bpft.out | tr '\n' ' ')"
					bpft=""
				fi
				insmod /memtally.ko ;;
			esac
		done
		order="${order#* } ${order%% *}"
	done
	if [ -s /tmp/f1-bpftrace ]; then
		# the last round's maps: the faults of the workload's cgroup
		id=$(stat -c %i $cg/bench)
		echo "bench faults: bpftrace attached in ~${bpft_secs} s;" \
			"it counted in /bench (id $id), last round:" \
			"user $(sed -n "s/^@user\[$id\]: //p" /tmp/bpft.out)," \
			"kernel $(sed -n "s/^@kernel\[$id\]: //p" /tmp/bpft.out)" \
			"(touched: $((2 * 16 * 64 * 256)) pages)"
	fi
	for t in 1 2; do
		for f in none module bpftrace; do
			[ -s /tmp/f$t-$f ] &&
				echo "bench faults-${t}t: pages/s $f: $(tr '\n' ' ' < /tmp/f$t-$f)"
		done
		median < /tmp/f$t-none > /tmp/m-none
		median < /tmp/f$t-module > /tmp/m-module
		if [ -s /tmp/f$t-bpftrace ]; then
			median < /tmp/f$t-bpftrace > /tmp/m-bpftrace
		else
			: > /tmp/m-bpftrace
		fi
		awk -v t=$t -v a="$(cat /tmp/m-none)" -v m="$(cat /tmp/m-module)" \
		    -v b="$(cat /tmp/m-bpftrace)" 'BEGIN {
			printf "bench faults-%dt: median none %d, module %d", t, a, m
			if (b == "") {
				printf " pages/s; ratio module %.3f, bpftrace skipped\n", a / m
				exit
			}
			mo = a / m - 1; bo = a / b - 1
			printf ", bpftrace %d pages/s; ratio module %.3f, bpftrace %.3f, ", b, a / m, a / b
			if (mo > 0.0005)
				printf "bpftrace overhead / module overhead %.1f\n", bo / mo
			else
				printf "bpftrace overhead / module overhead inf (module overhead %.1f%%)\n", mo * 100
		}'
	done
}

want faults && faults
want reclaim && bench reclaim squeeze 128 4

# damon: DAMON's own work is the kdamond's CPU time less the probe's
damon_bench() {	# damon_bench <name> <extra cgroups>
	local kd=/sys/kernel/mm/damon/admin/kdamonds secs=${DAMON_SECONDS:-30}
	local pid ticks0 ticks1 p0 p1 a0 a1 hz=100 load ncg i name=$1 extra=$2
	if [ ! -d $kd ]; then
		echo "bench $name: skipped: this kernel has no DAMON (CONFIG_DAMON)"
		return
	fi
	if [ "$extra" -gt 0 ]; then
		mkdir -p $cg/dmany
		echo "+memory" > $cg/dmany/cgroup.subtree_control
		for i in $(seq "$extra"); do mkdir $cg/dmany/c$i; done
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
	ncg=$(find $cg -type d | wc -l)
	rmdir $cg/damonload
	if [ "$extra" -gt 0 ]; then
		for i in $(seq "$extra"); do rmdir $cg/dmany/c$i; done
		rmdir $cg/dmany
	fi
	awk -v t="$((ticks1 - ticks0))" -v hz=$hz -v p="$((p1 - p0))" \
	    -v a="$((a1 - a0))" -v s="$secs" -v n="$ncg" -v name="$name" 'BEGIN {
		kd = t * 1e9 / hz; own = kd - p
		printf "bench %s: paddr, sample 5 ms, aggr 100 ms, %d cgroups, %d s: %d aggregations\n", name, n, s, a
		printf "bench %s: kdamond CPU %.1f ms per aggregation, memtally probe %.3f ms of it\n", name, kd / a / 1e6, p / a / 1e6
		printf "bench %s: probe time / the kdamond'"'"'s own %.3fx (goal <= 0.10)\n", name, (own > 0 ? p / own : 0)
	}'
}
if want damon; then
	damon_bench damon 0
	damon_bench damon-10000 10000
fi

# cgroups: reading N cgroups' numbers with one netlink dump against reading
# each one's memory.stat; and what the module keeps per tracked cgroup,
# from the guest's own accounting (Slab + Percpu of /proc/meminfo) before
# and after loading it with N cgroups there
meminfo_kb() { awk '$1 == "Slab:" || $1 == "Percpu:" {s += $2} END {print s}' /proc/meminfo; }
# the tool as users run it, against reading every memory.stat (<stat> s):
# the median of 3 runs, and the bytes it prints
tool_bench() {	# tool_bench <cgroups> <stat seconds> <memtally arguments...>
	local n=$1 stat=$2 r
	shift 2
	: > /tmp/tool
	for r in 1 2 3; do
		/tests/cg_read run memtally "$@" >> /tmp/tool || return
	done
	sort -n -k2 /tmp/tool | sed -n 2p | awk -v n="$n" -v s="$stat" -v c="memtally $*" '{
		printf "bench tool-%d %s: %ss, %d bytes (%.0f per cgroup), %.1fx the time of reading every memory.stat\n", n, c, $2, $1, $1 / n, $2 / s
	}'
}
# memtally events during a stall storm (the reclaim workload, an event for
# every stall): the tool's CPU time per event, from /proc/PID/stat
events_bench() {	# events_bench <cgroups>
	local n=$1 pid ev ticks
	memtally config --stall-threshold-us 1 > /dev/null || return
	memtally events -j > /tmp/events &
	pid=$!
	sleep 2
	run squeeze 128 2 > /dev/null
	sleep 2
	ticks=$(awk '{print $14 + $15}' /proc/$pid/stat)
	kill $pid
	wait $pid 2> /dev/null
	memtally config --stall-threshold-us 0 > /dev/null
	ev=$(grep -c "^{" /tmp/events)
	# /proc/PID/stat counts in USER_HZ, 100 on Linux (no getconf here)
	awk -v n="$n" -v e="$ev" -v t="$ticks" -v hz=100 'BEGIN {
		printf "bench tool-%d memtally events: %d stall events, %.0f us of the tool'"'"'s CPU per event\n", n, e, e ? t / hz * 1e6 / e : 0
	}'
}
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
	# what the tool adds to the dump for every row it shows: the path
	for r in 1 2 3; do /tests/cg_read handles; done | sort -n -k2 | sed -n 2p |
		awk -v n="$n" '{printf "bench cgroups-%d: %d ids to paths by file handle, as the tool does: %ss\n", n, $1, $2}'
	# what top and export read again: the cgroups that changed since
	: > /tmp/since
	for r in $(seq "$ROUNDS"); do
		/tests/cg_read since $cg/many 100 >> /tmp/since
	done
	sort -n -k2 /tmp/since | sed -n "$(((ROUNDS + 1) / 2))p" | awk -v n="$n" -v d="$dump" '{
		printf "bench cgroups-%d: a dump since the last one, 100 cgroups active: %ss (%d rows), %.1fx faster than a full dump (goal >= 20x at 10000)\n", n, $2, $1, d / $2
	}'
	tool_bench "$n" "$stat" cgroups
	tool_bench "$n" "$stat" cgroups --json
	tool_bench "$n" "$stat" cgroups --cgroup /many/c5
	tool_bench "$n" "$stat" top -b -n 2 -d 0.1
	tool_bench "$n" "$stat" export --prometheus -
	tool_bench "$n" "$stat" report
	events_bench "$n"
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
if want cgroups; then
	cgroups_bench 1000
	cgroups_bench 10000
fi
