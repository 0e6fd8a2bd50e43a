#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# memtally damon against the real module and DAMON, in the guest.  On a
# kernel without DAMON (Debian 6.1) every damon command must print the
# one "not built in" line and exit 1.  Prints TAP.
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
nok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n $1"; shift; for l in "$@"; do echo "# $l"; done; }

kd=/sys/kernel/mm/damon/admin/kdamonds
echo "TAP version 13"

# one_line <rc> <expected rc> <pattern> <out>: one "memtally: " line matching
one_line() {
	[ "$1" -eq "$2" ] && [ "$(echo "$4" | wc -l)" -eq 1 ] &&
		case $4 in "memtally: "$3) true ;; *) false ;; esac
}

if [ ! -d /sys/kernel/mm/damon ]; then
	echo "1..6"
	for c in "damon start" "damon stop" "damon status" wss hotcold heatmap; do
		out=$(memtally $c 2>&1)
		rc=$?
		if one_line $rc 1 "DAMON is not built into this kernel (CONFIG_DAMON)*" "$out"; then
			ok "$c without DAMON: one line, exit 1"
		else
			nok "$c without DAMON: one line, exit 1" "rc=$rc" "$out"
		fi
	done
	echo "# Totals: pass:$((n - failed)) fail:$failed"
	[ $failed -eq 0 ]
	exit
fi

echo "1..16"

# DAMON_STAT (Debian 7.x starts it at boot) runs DAMON exclusively: the tool
# names it and the way to stop it, and leaves nothing behind; then it is
# stopped for the tests below
stat=/sys/module/damon_stat/parameters/enabled
if [ -e $stat ]; then
	echo Y > $stat
	out=$(memtally damon start --paddr 2>&1)
	rc=$?
	if one_line $rc 1 "*the kernel's damon_stat runs DAMON exclusively (stop it: echo N > $stat)" "$out" &&
	   [ "$(cat $kd/nr_kdamonds)" = 0 ]; then
		ok "damon start while DAMON_STAT runs: one line naming it, nothing left"
	else
		nok "damon start while DAMON_STAT runs: one line naming it, nothing left" "rc=$rc" "$out"
	fi
	echo N > $stat
else
	ok "damon start while DAMON_STAT runs # SKIP no DAMON_STAT in this kernel"
fi

# the state of a kdamond: "on 123 vaddr 4567" (state, pid, ops, target)
kd_state() {
	echo "$(cat $kd/0/state) $(cat $kd/0/pid) $(cat $kd/0/contexts/0/operations) $(cat $kd/0/contexts/0/targets/0/pid_target)"
}

out=$(su -s /bin/sh -c 'memtally damon start' nobody 2>&1)
rc=$?
if one_line $rc 1 "*needs root*" "$out" && [ "$(cat $kd/nr_kdamonds)" = 0 ]; then
	ok "damon start as non-root: one line, nothing changed"
else
	nok "damon start as non-root: one line, nothing changed" "rc=$rc" "$out"
fi

out=$(memtally damon start --paddr 2>&1)
rc=$?
if [ $rc -eq 0 ] && [ "$(cat $kd/nr_kdamonds)" = 1 ] && [ "$(cat $kd/0/state)" = on ]; then
	ok "damon start --paddr: kdamond 0 on"
else
	nok "damon start --paddr: kdamond 0 on" "rc=$rc" "$out"
fi

sleep 1
out=$(memtally damon status --json 2>&1)
case $out in
*'"state":"on"'*'"memtally":true'*'"module":{"bound":true'*) ok "damon status --json: memtally's kdamond on, module bound" ;;
*) nok "damon status --json: memtally's kdamond on, module bound" "$out" ;;
esac

# the views, on a 64 MiB loop in /dv_hot and 256 MiB written once in /dv_cold
cg=/sys/fs/cgroup
mkdir -p $cg/dv_hot $cg/dv_cold
MIB=1048576
# until_current <cgroup> <bytes>: wait (at most 60 s) for its memory.current
until_current() {
	i=0
	while [ "$(cat $cg/$1/memory.current)" -lt "$2" ] && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
# paddr monitors physical addresses: the two workloads allocate one after
# the other so that their pages are not interleaved in physical memory
# finer than DAMON's regions can tell apart
[ -w /proc/sys/vm/compact_memory ] && echo 1 > /proc/sys/vm/compact_memory
# both run until killed below (a slow guest may need minutes to get there)
sh -c "echo \$\$ > $cg/dv_hot/cgroup.procs && exec /tests/mt_touch 16384 3600 loop" &
hot_pid=$!
until_current dv_hot $((64 * MIB))
sh -c "echo \$\$ > $cg/dv_cold/cgroup.procs && exec /tests/mt_touch 65536 3600" &
cold_pid=$!
until_current dv_cold $((256 * MIB))
# json_u64 <key> <json>: the first value of "key"
json_u64() { echo "$2" | tr ',{}' '\n\n\n' | sed -n "s/.*\"$1\": *\([0-9]*\).*/\1/p" | head -n 1; }

# DAMON's regions split and merge adaptively: on a slow kernel (KASAN under
# TCG) they take longer to separate the two cgroups' pages, so look every
# 5 s from 15 s on and take the first view that does, for at most 75 s.
waited=10
sleep $waited
while :; do
	sleep 5
	waited=$((waited + 5))
	out=$(memtally hotcold --by-cgroup --json 2>&1)
	hot=$(json_u64 hot "$(echo "$out" | tr '{' '\n' | grep '"/dv_hot"')")
	cold=$(json_u64 cold "$(echo "$out" | tr '{' '\n' | grep '"/dv_cold"')")
	if [ -n "$hot" ] && [ "$hot" -gt $((48 * MIB)) ] && [ "$hot" -lt $((80 * MIB)) ] &&
	   [ -n "$cold" ] && [ "$cold" -gt $((160 * MIB)) ] && [ "$cold" -lt $((320 * MIB)) ]; then
		ok "hotcold --by-cgroup: /dv_hot $((hot / MIB)) MiB hot, /dv_cold $((cold / MIB)) MiB cold (after ${waited} s)"
		break
	fi
	if [ $waited -ge 75 ]; then
		nok "hotcold --by-cgroup: /dv_hot ~64 MiB hot, /dv_cold ~256 MiB cold" "hot=$hot cold=$cold after ${waited} s" \
			"workloads running: $(kill -0 $hot_pid 2>/dev/null && echo hot) $(kill -0 $cold_pid 2>/dev/null && echo cold)" \
			"memory.current: hot $(cat $cg/dv_hot/memory.current) cold $(cat $cg/dv_cold/memory.current)" "$out"
		break
	fi
done

out=$(memtally wss --cgroup /dv_hot --json 2>&1)
n_samples=$(echo "$out" | grep -o '"time_ns"' | wc -l)
if [ "$n_samples" -gt 10 ]; then
	ok "wss --cgroup /dv_hot --json: $n_samples samples"
else
	nok "wss --cgroup /dv_hot --json: samples" "$out"
fi

out=$(memtally heatmap -o /tmp/heatmap.png -W 640 -H 360 2>&1)
rc=$?
# width and height are the first two fields of IHDR, bytes 16..23
size=$(od -A n -t u1 -j 16 -N 8 /tmp/heatmap.png 2>/dev/null |
	awk '{printf "%dx%d", $1 * 16777216 + $2 * 65536 + $3 * 256 + $4, $5 * 16777216 + $6 * 65536 + $7 * 256 + $8}')
if [ $rc -eq 0 ] && [ "$size" = 640x360 ]; then
	ok "heatmap -o png: a 640x360 PNG"
	# the host decodes it too (scripts/test-all.sh)
	echo "MT-FILE-BEGIN heatmap-640x360.png"
	base64 /tmp/heatmap.png
	echo "MT-FILE-END"
else
	nok "heatmap -o png: a 640x360 PNG" "rc=$rc size=$size" "$out"
fi

out=$(memtally heatmap -W 60 -H 8 2>&1)
rc=$?
if [ $rc -eq 0 ] && echo "$out" | grep -q "$(printf '\033')\[48;5;"; then
	ok "heatmap in the terminal: colour blocks"
else
	nok "heatmap in the terminal: colour blocks" "rc=$rc" "$out"
fi

out=$(su -s /bin/sh -c 'memtally hotcold --hot 5' nobody 2>&1)
rc=$?
if one_line $rc 1 "*CAP_SYS_ADMIN*" "$out"; then
	ok "hotcold --hot as non-root: one line naming the capability"
else
	nok "hotcold --hot as non-root: one line naming the capability" "rc=$rc" "$out"
fi
kill $hot_pid $cold_pid 2> /dev/null
wait $hot_pid $cold_pid 2> /dev/null
rmdir $cg/dv_hot $cg/dv_cold

out=$(memtally damon scheme pageout --min-age 1s 2>&1)
rc=$?
sleep 4
out2=$(memtally damon scheme --json 2>&1)
tried=$(echo "$out2" | sed -n 's/.*"sz_tried":\([0-9]*\).*/\1/p')
if [ $rc -eq 0 ] && [ -n "$tried" ] && [ "$tried" -gt 0 ]; then
	ok "damon scheme pageout --min-age 1s: stats show tried bytes ($tried)"
else
	nok "damon scheme pageout --min-age 1s: stats show tried bytes" "rc=$rc" "$out" "$out2"
fi

out=$(memtally damon stop 2>&1)
rc=$?
if [ $rc -eq 0 ] && [ "$(cat $kd/nr_kdamonds)" = 0 ]; then
	ok "damon stop leaves no kdamond"
else
	nok "damon stop leaves no kdamond" "rc=$rc" "$out"
fi

out=$(memtally damon stop 2>&1)
rc=$?
if [ $rc -eq 0 ] && [ "$out" = "memtally has no kdamond running; nothing to stop" ]; then
	ok "damon stop again: nothing to stop, exit 0"
else
	nok "damon stop again: nothing to stop, exit 0" "rc=$rc" "$out"
fi

# someone else's kdamond, monitoring a sleeping process
sleep 1000 &
sleeper=$!
echo 1 > $kd/nr_kdamonds
echo 1 > $kd/0/contexts/nr_contexts
echo vaddr > $kd/0/contexts/0/operations
echo 1 > $kd/0/contexts/0/targets/nr_targets
echo $sleeper > $kd/0/contexts/0/targets/0/pid_target
echo on > $kd/0/state
before=$(kd_state)

out=$(memtally damon start 2>&1)
rc=$?
after=$(kd_state)
if one_line $rc 1 "kdamond 0 (on, pid *) is not memtally's*" "$out" &&
   [ "$before" = "$after" ] && [ "$(cat $kd/nr_kdamonds)" = 1 ]; then
	ok "damon start beside another's kdamond: refused, it is unchanged ($after)"
else
	nok "damon start beside another's kdamond: refused, it is unchanged" "rc=$rc $before -> $after" "$out"
fi

out=$(memtally damon stop 2>&1)
rc=$?
after=$(kd_state)
if [ $rc -eq 0 ] && [ "$before" = "$after" ]; then
	ok "damon stop leaves another's kdamond alone"
else
	nok "damon stop leaves another's kdamond alone" "rc=$rc $before -> $after" "$out"
fi

out=$(memtally damon status 2>&1)
case $out in
*"kdamond 0: on, pid "*", not memtally's"*) ok "damon status: another's kdamond is not memtally's" ;;
*) nok "damon status: another's kdamond is not memtally's" "$out" ;;
esac
echo off > $kd/0/state
echo 0 > $kd/nr_kdamonds
kill $sleeper
wait $sleeper 2> /dev/null

# the module goes away while bound: stop still cleans up, quietly
memtally damon start > /dev/null 2>&1
rmmod memtally
out=$(memtally damon stop 2>&1)
rc=$?
insmod /memtally.ko
if [ $rc -eq 0 ] && [ "$out" = "stopped and removed kdamond 0" ] &&
   [ "$(cat $kd/nr_kdamonds)" = 0 ]; then
	ok "damon stop after rmmod memtally: removed, no error"
else
	nok "damon stop after rmmod memtally: removed, no error" "rc=$rc" "$out"
fi

echo "# Totals: pass:$((n - failed)) fail:$failed"
[ $failed -eq 0 ]
