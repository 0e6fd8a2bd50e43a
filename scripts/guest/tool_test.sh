#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The memtally tool against the real module, in the guest.  Prints TAP.
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
nok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n $1"; shift; for l in "$@"; do echo "# $l"; done; }
# check <name> <command...>: pass when the command succeeds
check() { name=$1; shift; if out=$("$@" 2>&1); then ok "$name"; else nok "$name" "$out"; fi; }

cg=/sys/fs/cgroup
echo "TAP version 13"
echo "1..86"

out=$(memtally status 2>&1)
case $out in
*faults-user*attached*) ok "status shows the hook table" ;;
*) nok "status shows the hook table" "$out" ;;
esac

out=$(memtally status --json 2>&1)
case $out in
*'"version"'*'"0.1.0"'*'"hooks"'*) ok "status --json" ;;
*) nok "status --json" "$out" ;;
esac

# ---- report on the idle guest, before anything squeezes memory ------
out=$(memtally report 2>&1)
rc=$?
if [ $rc -eq 0 ] && echo "$out" | grep -q '^Recommendations' &&
   ! echo "$out" | grep -Eq '\] (psi-|swap-none|majfault-rate|memcg-stalls)'; then
	ok "report on the idle guest: no pressure recommendation"
else
	nok "report on the idle guest: no pressure recommendation" "rc=$rc" "$out"
fi
# Debian's 6.1 has no DAMON: the report says so; 6.12 has it, unbound
if [ -d /sys/kernel/mm/damon ]; then
	want="no DAMON context is bound (start one with: memtally damon start)"
else
	want="DAMON is not built into this kernel (CONFIG_DAMON)"
fi
if echo "$out" | grep -A1 '^DAMON$' | grep -qF "unavailable: $want"; then
	ok "report: DAMON section says '$want'"
else
	nok "report: DAMON section says '$want'" "$out"
fi

# a workload with a known fault count: 3000 fresh pages
mkdir -p $cg/tt/sub $cg/ttx
sh -c "echo \$\$ > $cg/tt/cgroup.procs && exec /tests/mt_touch 3000"
out=$(memtally cgroups --cgroup /tt --json 2>&1)
faults=$(echo "$out" | tr ',{}' '\n\n\n' | sed -n 's/.*"faults_user": *\([0-9]*\).*/\1/p')
# 3000 pages plus what exec of a static binary faults in (< 200)
if [ -n "$faults" ] && [ "$faults" -ge 3000 ] && [ "$faults" -lt 3200 ]; then
	ok "cgroups --cgroup /tt counts 3000 touched pages ($faults)"
else
	nok "cgroups --cgroup /tt counts 3000 touched pages" "$out"
fi
# the row of one cgroup is named by its path as the kernel resolves it
out=$(memtally cgroups --cgroup /tt//sub/../ --json 2>&1)
case $out in
'[{"path":"/tt","id":'"$(stat -c %i $cg/tt)"',"faults_user":'*) ok "cgroups --cgroup /tt//sub/../ names its row /tt" ;;
*) nok "cgroups --cgroup /tt//sub/../ names its row /tt" "$out" ;;
esac

# hierarchical counts: 3000 pages touched in /th/job stay in /th's after
# the job's cgroup is removed (the dump start brings the module up to date)
mkdir -p $cg/th/job
sh -c "echo \$\$ > $cg/th/job/cgroup.procs && exec /tests/mt_touch 3000"
rmdir $cg/th/job
out=$(memtally cgroups --recursive --cgroup /th --json 2>&1)
own=$(echo "$out" | grep -o '"faults_user": *[0-9]*' | sed -n '1s/.*: *//p')
rec=$(echo "$out" | grep -o '"faults_user": *[0-9]*' | sed -n '2s/.*: *//p')
if [ "$own" = 0 ] && [ -n "$rec" ] && [ "$rec" -ge 3000 ] && [ "$rec" -lt 3200 ]; then
	ok "cgroups --recursive: /th keeps the 3000 faults of its removed child ($rec, own $own)"
else
	nok "cgroups --recursive: /th keeps the 3000 faults of its removed child" "$out"
fi
rmdir $cg/th

out=$(memtally cgroups --prefix /tt 2>&1)
out2=$(memtally cgroups --prefix //tt/sub/.. 2>&1)
if echo "$out" | grep -q '^/tt ' && echo "$out" | grep -q '^/tt/sub ' &&
   ! echo "$out" | grep -q '^/ttx ' && [ "$out2" = "$out" ]; then
	ok "cgroups --prefix is path-component aware, and as the kernel resolves it"
else
	nok "cgroups --prefix is path-component aware, and as the kernel resolves it" "$out" "//tt/sub/..: $out2"
fi
out=$(memtally cgroups --prefix /nonexistent 2>&1)
rc=$?
case "$rc|$out" in
"1|memtally: /nonexistent: no such cgroup") ok "cgroups --prefix of no cgroup: one plain line" ;;
*) nok "cgroups --prefix of no cgroup: one plain line" "rc=$rc" "$out" ;;
esac

out=$(memtally cgroups --json 2>&1)
case $out in
\[*'"path"'*'"/tt/sub"'*\]) ok "cgroups --json lists every cgroup" ;;
*) nok "cgroups --json lists every cgroup" "$out" ;;
esac

out=$(memtally cgroups --cgroup /nonexistent 2>&1)
rc=$?
if [ $rc -eq 1 ] && [ "$(echo "$out" | wc -l)" -eq 1 ] &&
   [ "${out#memtally: }" != "$out" ]; then
	ok "a missing cgroup is one plain line ($out)"
else
	nok "a missing cgroup is one plain line" "rc=$rc" "$out"
fi

out=$(su -s /bin/sh -c 'memtally status' nobody 2>&1)
rc=$?
case "$rc $out" in
"1 "*CAP_PERFMON*) ok "unprivileged caller is told which capability" ;;
*) nok "unprivileged caller is told which capability" "rc=$rc" "$out" ;;
esac

check "memtally --help" memtally --help
check "memtally status --help" memtally status --help
check "memtally cgroups --help" memtally cgroups --help

memtally --no-such-option > /dev/null 2>&1
rc=$?
if [ $rc -eq 2 ]; then ok "a bad option exits 2"; else nok "a bad option exits 2" "rc=$rc"; fi

# ---- reclaim, stalls, config, events --------------------------------
grep -q zram0 /proc/swaps || /tests/zram-swap.sh 256M > /dev/null
mkdir -p $cg/sq
echo 24M > $cg/sq/memory.max
sq0=$(cut -d' ' -f1 /proc/uptime)
sh -c "echo \$\$ > $cg/sq/cgroup.procs && exec /tests/mt_touch 16384"
sq1=$(cut -d' ' -f1 /proc/uptime)

out=$(memtally stalls --cgroup /sq 2>&1)
case $out in
"/sq ("*"memcg: "*" stalls"*usecs*distribution*) ok "stalls shows the memcg histogram of a squeezed cgroup" ;;
*) nok "stalls shows the memcg histogram of a squeezed cgroup" "$out" ;;
esac

# the note and the status line follow what the kernel's tracepoints say
if grep -qs ' memcg_id;' /sys/kernel/tracing/events/vmscan/mm_vmscan_memcg_reclaim_begin/format; then
	want="agent reclaim:     apart"; note=no
else
	want="agent reclaim:     in memcg stalls"; note=yes
fi
has_note=no
case $out in *"note: this kernel's reclaim tracepoints do not name the cgroup reclaimed"*) has_note=yes ;; esac
if memtally status | grep -q "^$want" && [ $has_note = $note ]; then
	ok "stalls and status say whether agent reclaim is apart ($want)"
else
	nok "stalls and status say whether agent reclaim is apart" "want '$want', note $note" "$(memtally status | head -8)" "$out"
fi

out=$(memtally stalls --cgroup /sq --json 2>&1)
stalls=$(echo "$out" | sed -n 's/.*"kind":"memcg","stalls":\([0-9]*\).*/\1/p')
buckets=$(echo "$out" | sed -n 's/.*"kind":"memcg".*"buckets":\[\([0-9,]*\)\].*/\1/p' | tr , '\n' | awk '{s += $1} END {print s}')
if [ -n "$stalls" ] && [ "$stalls" -gt 0 ] && [ "$stalls" = "$buckets" ]; then
	ok "stalls --json: buckets sum to the stall count ($stalls)"
else
	nok "stalls --json: buckets sum to the stall count" "$out"
fi

# cgroups --memstat: the squeezed cgroup's memory.stat as the kernel
# shows it (its tasks are gone: nothing changes it), null for a key this
# kernel lacks (pswpin before 7.x); sorted by a memory.stat key, every
# row's in descending order
out=$(memtally cgroups --memstat --cgroup /sq --json 2>&1)
ms=$(cat $cg/sq/memory.stat)
want=
for k in pgmajfault workingset_refault_anon workingset_refault_file \
	 workingset_activate_anon workingset_activate_file workingset_restore_anon \
	 workingset_restore_file pswpin pswpout zswpin zswpout thp_fault_alloc; do
	v=$(echo "$ms" | awk -v k=$k '$1 == k {print $2}')
	want="$want${want:+,}\"$k\":${v:-null}"
done
maj=$(echo "$ms" | awk '$1 == "pgmajfault" {print $2}')
ref=$(echo "$ms" | awk '$1 == "workingset_refault_anon" {print $2}')
case $out in
*"\"memory_stat\":{$want}"*)
	if [ "${maj:-0}" -gt 0 ] && [ "${ref:-0}" -gt 0 ]; then
		ok "cgroups --memstat: the squeezed cgroup's memory.stat ($maj major faults, $ref anon refaults)"
	else
		nok "cgroups --memstat: the squeeze made major faults and refaults" "$ms"
	fi ;;
*) nok "cgroups --memstat: the squeezed cgroup's memory.stat" "want {$want}" "$out" ;;
esac
out=$(memtally cgroups --memstat --sort pgmajfault --json 2>&1)
if echo "$out" | grep -o '"pgmajfault":[0-9]*' | cut -d: -f2 |
	awk 'NR > 1 && $1 > last {bad = 1} {last = $1; n++} END {exit bad || n < 2}'; then
	ok "cgroups --memstat --sort pgmajfault: rows in descending order"
else
	nok "cgroups --memstat --sort pgmajfault: rows in descending order" "$out"
fi

# major faults and swap-ins of known counts: a file of the root filesystem
# image (squashfs on a virtio disk) read back after dropping caches, one
# fault a filesystem block (MADV_RANDOM: no readahead); anonymous pages
# pushed to zram (MADV_PAGEOUT) and read back, one fault a page.  The
# cgroup's memory.stat pgmajfault (and pswpin + zswpin where the kernel
# has pswpin, 6.15 and later) is within 1 % of the count, and cgroups
# --memstat shows memory.stat's numbers
mkdir -p $cg/mf
mf_run() { sh -c "echo \$\$ > $cg/mf/cgroup.procs && exec /tests/mt_majflt $*"; }
mf_key() { awk -v k="$1" '$1 == k {print $2}' $cg/mf/memory.stat; }
mf_swapins() { awk '$1 == "pswpin" || $1 == "zswpin" {s += $2} END {print s + 0}' $cg/mf/memory.stat; }
within1() { awk -v a="$1" -v b="$2" 'BEGIN {d = a - b; if (d < 0) d = -d; exit !(b > 0 && d * 100 <= b)}'; }
mf_tool() {	# the tool's memory_stat of /mf agrees with the file's
	local out want="" k v
	out=$(memtally cgroups --memstat --cgroup /mf --json 2>&1)
	for k in pgmajfault pswpin zswpin; do
		v=$(mf_key $k)
		case $out in *"\"$k\":${v:-null}"[,}]*) ;; *) want="$want $k=${v:-null}" ;; esac
	done
	if [ -z "$want" ]; then
		ok "cgroups --memstat after $1: pgmajfault $(mf_key pgmajfault), as memory.stat"
	else
		nok "cgroups --memstat after $1: as memory.stat" "want$want" "$out"
	fi
}
if rf=$(/tests/rootfs.sh /run/mf-root 2>&1) &&
   f=$(find /run/mf-root/usr -type f -size +2048k 2>/dev/null | head -n 1) && [ -n "$f" ]; then
	echo 3 > /proc/sys/vm/drop_caches
	m0=$(mf_key pgmajfault)
	res=$(mf_run file "$f" 2>&1)
	m1=$(mf_key pgmajfault)
	exp=$(echo "$res" | awk '$1 == "expected" {print $2}')
	if [ -n "$exp" ] && within1 $((m1 - m0)) "$exp"; then
		ok "a file read back after dropping caches: memory.stat pgmajfault +$((m1 - m0)) for $exp blocks ($res)"
	else
		nok "a file read back after dropping caches: memory.stat pgmajfault within 1 % of the blocks" \
			"file $f: $res" "pgmajfault $m0 -> $m1"
	fi
	mf_tool "reading a file"
else
	nok "a file read back after dropping caches: no file to read" "$rf"
	nok "cgroups --memstat after reading a file: no file"
fi
m0=$(mf_key pgmajfault)
s0=$(mf_swapins)
res=$(mf_run swap 4096 2>&1)
m1=$(mf_key pgmajfault)
s1=$(mf_swapins)
exp=$(echo "$res" | awk '$1 == "expected" {print $2}')
if grep -q '^pswpin ' $cg/mf/memory.stat; then
	sin="pswpin+zswpin +$((s1 - s0))"
	within1 $((s1 - s0)) "${exp:-0}" || sin="$sin NOT within 1 %"
else
	sin="no pswpin in this kernel's memory.stat"
fi
if [ -n "$exp" ] && [ "$exp" -ge 3686 ] && within1 $((m1 - m0)) "$exp" &&
   [ "${sin%NOT within 1 %}" = "$sin" ]; then
	ok "anonymous pages read back from zram: memory.stat pgmajfault +$((m1 - m0)) for $exp pages, $sin ($res)"
else
	nok "anonymous pages read back from zram: pgmajfault (and swap-ins) within 1 % of the pages swapped (90 % of 4096 at least)" \
		"$res" "pgmajfault $m0 -> $m1, $sin"
fi
mf_tool "swap-ins"

out=$(memtally reclaim 2>&1)
case $out in
"TIME       pgpgin/s  pgpgout/s    fault/s   majflt/s   pgfree/s  pgscank/s  pgscand/s  pgscanc/s  pgsteal/s     %vmeff
"*) ok "reclaim prints a line of sar -B's columns" ;;
*) nok "reclaim prints a line of sar -B's columns" "$out" ;;
esac

out=$(memtally reclaim 1 2 --json --all 2>&1)
if [ "$(echo "$out" | grep -c '"pgscanc_per_s":.*"memcg_stalls_per_s":[0-9]')" -eq 2 ]; then
	ok "reclaim 1 2 --json --all prints two intervals with the module's columns"
else
	nok "reclaim 1 2 --json --all prints two intervals with the module's columns" "$out"
fi

# vmstat and reclaim over an interval that holds a whole squeeze (twice
# as long as the first one took, and 3 s; the squeeze starts once each
# printed its header, after its first sample).  vmstat: its stalls are the
# squeezed cgroup's stalls as the module counted them, its so is the
# change of pswpout (/proc/vmstat, read before and after: the idle guest
# swaps for nothing else), both within 3 %; swpd, cache and free are
# /proc/meminfo's, read right after (within 1 %, 5 % and 5 %; 7.3 frees
# the squeeze's swap when it exits, 6.x keeps some in use).  reclaim
# --all: pgscanc and pgsteal are the changes of /proc/vmstat's cgroup
# reclaim scan (pgscan_anon + pgscan_file - kswapd - direct - khugepaged
# - proactive)
# and pgsteal_anon + pgsteal_file, memcg/s the cgroup's memcg stalls;
# reclaim -c: the fresh cgroup's memory.stat after (pgfault, pgmajfault,
# pgscan_direct, pgsteal), with - where memory.stat has nothing; all
# within 3 %.
secs=$(awk -v a="$sq0" -v b="$sq1" 'BEGIN {printf "%d", 2 * (b - a) + 3}')
mkdir -p $cg/sq2
echo 24M > $cg/sq2/memory.max
vm0=$(cat /proc/vmstat)
memtally vmstat "$secs" 1 > /tmp/vmstat.txt 2>&1 &
vpid=$!
memtally reclaim "$secs" 1 --all > /tmp/reclaim.txt 2>&1 &
rpid=$!
memtally reclaim "$secs" 1 -c /sq2 > /tmp/reclaim-sq2.txt 2>&1 &
cpid=$!
i=0
while ! { grep -qs '^TIME' /tmp/vmstat.txt && grep -qs '^TIME' /tmp/reclaim.txt &&
	  grep -qs '^TIME' /tmp/reclaim-sq2.txt; } && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
sh -c "echo \$\$ > $cg/sq2/cgroup.procs && exec /tests/mt_touch 16384"
wait $vpid $rpid $cpid
vm1=$(cat /proc/vmstat)
mi=$(cat /proc/meminfo)
out=$(cat /tmp/vmstat.txt)
kb() { echo "$mi" | awk -v k="$1:" '$1 == k {print $2}'; }
vm() { echo "$2" | awk -v k="$1" '$1 == k {v = $2} END {print v + 0}'; }	# 0 if absent
dvm() { echo $(( $(vm "$1" "$vm1") - $(vm "$1" "$vm0") )); }
sq2=$(memtally cgroups --cgroup /sq2 --json)
memcg_stalls=$(echo "$sq2" | sed -n 's/.*"memcg_stalls":\([0-9]*\).*/\1/p')
want_stalls=$(( memcg_stalls + $(echo "$sq2" | sed -n 's/.*"direct_stalls":\([0-9]*\).*/\1/p') ))
want_so=$(( $(dvm pswpout) * 4 ))	# KiB: 4 KiB pages (x86-64)
near='function near(g, w, share, slack) {
		d = g - w; if (d < 0) d = -d; return d <= w * share + slack
	}'
if echo "$out" | awk -v i="$secs" -v ws="$want_stalls" -v wso="$want_so" \
	-v wsw="$(( $(kb SwapTotal) - $(kb SwapFree) ))" -v wf="$(kb MemFree)" \
	-v wc="$(( $(kb Cached) + $(kb SReclaimable) ))" "$near"' NR == 2 {
		ok = ws > 0 && wso > 0 && near($8 * i, ws, 0.03, 1) &&
		     near($7 * i, wso, 0.03, i) && near($2, wsw, 0.01, 64) &&
		     near($5, wc, 0.05, 256) && near($3, wf, 0.05, 1024)
	} END {exit !ok}'; then
	ok "vmstat ${secs} 1: the squeeze's $want_stalls stalls, so = pswpout ($want_so KiB), swpd, cache, free = /proc/meminfo"
else
	nok "vmstat: the squeeze's stalls, so = pswpout, swpd, cache, free = /proc/meminfo" \
		"stalls $want_stalls, pswpout $want_so KiB over ${secs} s" "$mi" "$out"
fi
want_scand=$(( $(dvm pgscan_direct) + $(dvm pgscan_khugepaged) + $(dvm pgscan_proactive) ))
want_scanc=$(( $(dvm pgscan_anon) + $(dvm pgscan_file) - $(dvm pgscan_kswapd) - want_scand ))
want_steal=$(( $(dvm pgsteal_anon) + $(dvm pgsteal_file) ))
# 7.x counts cgroup reclaim in pgscan_direct (pgscan_* became node
# statistics, listed before pgpgin): pgscand has the squeeze, pgscanc is -
all=$(echo "$vm1" | awk '$1 == "pgscan_kswapd" {k = NR} $1 == "pgpgin" {p = NR} END {print (k < p)}')
out=$(cat /tmp/reclaim.txt)
if echo "$out" | awk -v i="$secs" -v wc="$want_scanc" -v wd="$want_scand" \
	-v wst="$want_steal" -v wm="$memcg_stalls" -v all="$all" "$near"' NR == 2 {
		scan = all ? $9 == "-" && wd > 0 && near($8 * i, wd, 0.03, i) :
			     wc > 0 && near($9 * i, wc, 0.03, i)
		ok = scan && wst > 0 && wm > 0 && near($10 * i, wst, 0.03, i) &&
		     near($13 * i, wm, 0.03, 1)
	} END {exit !ok}'; then
	if [ "$all" = 1 ]; then
		ok "reclaim ${secs} 1 --all: pgscand ($want_scand, with cgroup reclaim on this kernel), pgscanc -, pgsteal ($want_steal) = /proc/vmstat's, memcg/s = the squeeze's $memcg_stalls stalls"
	else
		ok "reclaim ${secs} 1 --all: pgscanc ($want_scanc) and pgsteal ($want_steal) = /proc/vmstat's cgroup reclaim, memcg/s = the squeeze's $memcg_stalls stalls"
	fi
else
	nok "reclaim --all: pgscanc (or 7.x pgscand) and pgsteal = /proc/vmstat's, memcg/s = the squeeze's stalls" \
		"pgscanc $want_scanc, pgscand $want_scand (all: $all), pgsteal $want_steal, memcg stalls $memcg_stalls over ${secs} s" "$out"
fi
ms=$(cat $cg/sq2/memory.stat)
out=$(cat /tmp/reclaim-sq2.txt)
if echo "$out" | awk -v i="$secs" -v wf="$(vm pgfault "$ms")" \
	-v wmaj="$(vm pgmajfault "$ms")" -v wst="$(vm pgsteal "$ms")" \
	-v wd="$(( $(vm pgscan_direct "$ms") + $(vm pgscan_khugepaged "$ms") + $(vm pgscan_proactive "$ms") ))" "$near"' NR == 2 {
		ok = wf > 0 && wst > 0 && wd > 0 && $2 == "-" && $6 == "-" &&
		     $9 == "-" && near($4 * i, wf, 0.03, i) &&
		     near($5 * i, wmaj, 0.03, i) && near($8 * i, wd, 0.03, i) &&
		     near($10 * i, wst, 0.03, i)
	} END {exit !ok}'; then
	ok "reclaim ${secs} 1 -c /sq2: fault, majflt, pgscand, pgsteal = its memory.stat"
else
	nok "reclaim -c /sq2: fault, majflt, pgscand, pgsteal = its memory.stat" "$ms" "$out"
fi
rmdir $cg/sq2

# ---- report under a memcg squeeze --------------------------------------
if [ ! -e /proc/pressure/memory ]; then
	# the debug kernel's config has no CONFIG_PSI
	for t in "report under a squeeze: critical PSI recommendation names /squeeze" \
		 "report --json carries the critical PSI recommendation" \
		 "report --from a snapshot of the squeeze: the same recommendation"; do
		n=$((n + 1))
		echo "ok $n $t # SKIP this kernel has no PSI (CONFIG_PSI)"
	done
else
# 64 MiB rewritten in a loop in 16 MiB, with swap on zram: the cgroup's
# tasks stall on memory; poll (squeeze running) until full avg10 > 6
mkdir -p $cg/squeeze
echo 16M > $cg/squeeze/memory.max
sh -c "echo \$\$ > $cg/squeeze/cgroup.procs && exec /tests/mt_touch 16384 120 loop" &
squeezer=$!
i=0
full=0
while [ $i -lt 60 ]; do
	sleep 1
	full=$(sed -n 's/^full avg10=\([0-9.]*\) .*/\1/p' $cg/squeeze/memory.pressure)
	awk "BEGIN { exit !(${full:-0} > 6) }" && break
	i=$((i + 1))
done
out=$(memtally report 2>&1)
rc=$?
jout=$(memtally report --json 2>&1)
jrc=$?
sout=$(memtally snapshot -o /tmp/squeeze.json 2>&1)
src=$?
kill $squeezer
wait $squeezer 2> /dev/null
if [ $rc -eq 0 ] && echo "$out" | grep -q '^  \[critical\] psi-full-avg10: cgroup /squeeze: ' &&
   echo "$out" | grep -q "^    because $cg/squeeze/memory.pressure: full avg10=[0-9.]* > 5.00\$"; then
	ok "report under a squeeze: critical PSI recommendation names /squeeze (polled avg10 $full after ${i}s)"
else
	nok "report under a squeeze: critical PSI recommendation names /squeeze" "rc=$rc full avg10 seen: $full after ${i}s" "$out"
fi
case "$jrc $jout" in
"0 {"*'{"severity":"critical","rule":"psi-full-avg10","advice":"cgroup /squeeze: '*"\"evidence\":\"$cg/squeeze/memory.pressure: full avg10="*'"problems":true}')
	ok "report --json carries the critical PSI recommendation" ;;
*) nok "report --json carries the critical PSI recommendation" "rc=$jrc full avg10 seen: $full" "$jout" ;;
esac
# the snapshot of the squeeze, reported after it ended
out=$(memtally report --from /tmp/squeeze.json 2>&1)
rc=$?
if [ $src -eq 0 ] && [ $rc -eq 0 ] && echo "$out" | grep -q '(/tmp/squeeze.json)$' &&
   echo "$out" | grep -q '^  \[critical\] psi-full-avg10: cgroup /squeeze: ' &&
   echo "$out" | grep -q "^    because $cg/squeeze/memory.pressure: full avg10=[0-9.]* > 5.00\$"; then
	ok "report --from a snapshot of the squeeze: the same recommendation"
else
	nok "report --from a snapshot of the squeeze: the same recommendation" "rc=$src $rc" "$sout" "$out"
fi
rm -f /tmp/squeeze.json
rmdir $cg/squeeze
fi

# ---- top ------------------------------------------------------------
# faults in every interval: mt_touch after mt_touch, for 6 s
mkdir -p $cg/tt3
sh -c "echo \$\$ > $cg/tt3/cgroup.procs && end=\$((\$(date +%s) + 6)) &&
	while [ \$(date +%s) -lt \$end ]; do /tests/mt_touch 20000; done" &
toucher=$!
out=$(unset TERM; memtally top -b -d 1 -n 2 2>&1)
rc=$?
faults=$(echo "$out" | awk '/^time / { t++ } t == 2 && $1 == "/tt3" { print $2 }')
if [ $rc -eq 0 ] && [ "$(echo "$out" | grep -c '^time ')" -eq 2 ] &&
   [ -n "$faults" ] && awk "BEGIN { exit !($faults > 0) }"; then
	ok "top -b -d 1 -n 2: /tt3 faults in the second table ($faults/s)"
else
	nok "top -b -d 1 -n 2: /tt3 faults in the second table" "rc=$rc" "$out"
fi

# valid JSON on one line: strings, nesting and the keys checked by awk
out=$(unset TERM; memtally top -b --json -n 1 -d 1 2>&1)
rc=$?
if [ $rc -eq 0 ] && [ "$(echo "$out" | wc -l)" -eq 1 ] &&
   echo "$out" | awk '{
	d = 0; s = 0
	for (i = 1; i <= length($0); i++) {
		c = substr($0, i, 1)
		if (s) { if (c == "\\") i++; else if (c == "\"") s = 0; continue }
		if (c == "\"") s = 1
		else if (c == "{" || c == "[") d++
		else if (c == "}" || c == "]") { if (--d < 0) exit 1 }
		else if (c ~ /[^ ,:0-9.eE+a-z-]/) exit 1
		if (d == 0 && i < length($0)) exit 1
	}
	exit !(d == 0 && !s && /^[{]"time":".*"cgroups":\[.*"path":"\/tt3"/)
   }'; then
	ok "top -b --json -n 1: one line of JSON"
else
	nok "top -b --json -n 1: one line of JSON" "rc=$rc" "$out"
fi
wait $toucher	# its 6 s: then nothing is left in /tt3
rmdir $cg/tt3

memtally config --stall-threshold-us 5000 > /dev/null
out=$(memtally config 2>&1)
memtally config --stall-threshold-us 0 > /dev/null
case $out in
*5000*) ok "config sets the stall threshold" ;;
*) nok "config sets the stall threshold" "$out" ;;
esac

out=$(memtally config --stall-threshold-us 60000001 2>&1)
rc=$?
case "$rc $out" in
"1 memtally: "*"kernel: integer out of range (allowed: 0 to 60000000)") ok "config: out of range is one line with the kernel's reason and the spec's range" ;;
*) nok "config: out of range is one line with the kernel's reason and the spec's range" "rc=$rc" "$out" ;;
esac

out=$(su -s /bin/sh -c 'memtally config --stall-threshold-us 5' nobody 2>&1)
rc=$?
case "$rc $out" in
"1 "*CAP_SYS_ADMIN*) ok "config as non-root: which capability" ;;
*) nok "config as non-root: which capability" "rc=$rc" "$out" ;;
esac

out=$(su -s /bin/sh -c 'memtally events' nobody 2>&1)
rc=$?
case "$rc $out" in
"1 memtally: permission denied: receiving events needs CAP_SYS_ADMIN"*) ok "events as non-root: which capability" ;;
*) nok "events as non-root: which capability" "rc=$rc" "$out" ;;
esac

# vmstat as non-root: the /proc columns, stalls/s -, one line says why
# (the line on standard error comes at the first sample, before the header)
out=$(su -s /bin/sh -c 'memtally vmstat 2>&1' nobody)
rc=$?
if [ $rc -eq 0 ] && [ "$(echo "$out" | head -n 1)" = "memtally: reading the module's counters needs CAP_PERFMON or CAP_SYS_ADMIN: no stalls/s" ] &&
   echo "$out" | awk 'NR == 3 && $3 ~ /^[0-9]+$/ && $8 == "-" {f = 1} END {exit !f}'; then
	ok "vmstat as non-root: the memory columns, stalls/s -, one line says which capability"
else
	nok "vmstat as non-root: the memory columns, stalls/s -, one line says which capability" "rc=$rc" "$out"
fi

# an OOM kill seen by a subscriber, which exits 0 on SIGINT
mkdir -p $cg/oomt
echo 16M > $cg/oomt/memory.max
echo 0 > $cg/oomt/memory.swap.max
# a low stall threshold: the victim's reclaim stalls are events too
memtally config --stall-threshold-us 100 > /dev/null
memtally events --json > /tmp/events.json 2> /tmp/events.err &
evpid=$!
sleep 1
sh -c "echo \$\$ > $cg/oomt/cgroup.procs && exec /tests/mt_touch 16384" &
victim=$!
wait $victim
sleep 2
kill -INT $evpid
wait $evpid
rc=$?
if [ $rc -eq 0 ] && grep -q "\"event\":\"oom-kill\".*\"pid\":$victim,.*\"path\":\"/oomt\"" /tmp/events.json; then
	ok "events --json reports the OOM kill (pid $victim) and exits 0 on SIGINT"
else
	nok "events --json reports the OOM kill and exits 0 on SIGINT" "rc=$rc victim=$victim" "$(cat /tmp/events.json /tmp/events.err)"
fi
memtally config --stall-threshold-us 0 > /dev/null
# its lines go to the host with the other commands' JSON (below)
mv /tmp/events.json /tmp/json-events.jsonl

out=$(memtally cgroups --all --cgroup /sq 2>&1)
case $out in
*MEMCG_STALL_NS*PGSCAN*OOM_KILLS*) ok "cgroups --all shows every counter" ;;
*) nok "cgroups --all shows every counter" "$out" ;;
esac

rmdir $cg/sq $cg/oomt

# a dump that cgroups made and removed meanwhile interrupt (NLM_F_DUMP_INTR)
# is dumped again: 300 cgroups, so that a dump spans many messages, one
# made and removed 10 times a second (a busy systemd host), and 20 dumps
# that must all succeed (before: 3 of 20 failed, "Dump inconsistency")
mkdir -p $cg/churn
for i in $(seq 300); do mkdir $cg/churn/c$i; done
(while [ -d $cg/churn/c1 ]; do mkdir $cg/churn/x; sleep 0.05; rmdir $cg/churn/x; sleep 0.05; done) 2> /dev/null &
churn=$!
bad=0
rm -f /tmp/churn.err
for i in $(seq 20); do
	memtally cgroups --json > /tmp/churn.json 2>> /tmp/churn.err || bad=$((bad + 1))
done
warned=$(grep -c 'during each of' /tmp/churn.err)
rmdir $cg/churn/c1
wait $churn
for i in $(seq 2 300); do rmdir $cg/churn/c$i; done
rmdir $cg/churn/x 2> /dev/null
rmdir $cg/churn
if [ $bad -eq 0 ] && grep -q '"path": *"/churn/c300"' /tmp/churn.json; then
	ok "cgroups: 20 dumps of 300 cgroups while another is made and removed all succeed ($warned shown after 10 interrupted dumps)"
else
	nok "cgroups: 20 dumps of 300 cgroups while another is made and removed all succeed" "$bad failed" "$(cat /tmp/churn.err)"
fi

# ---- export ------------------------------------------------------------
rm -f /tmp/m.prom
out=$(memtally export --prometheus /tmp/m.prom 2>&1)
rc=$?
if [ $rc -eq 0 ] && [ -z "$out" ] && grep -qx 'memtally_up 1' /tmp/m.prom &&
   grep -q '^memtally_faults_user_total{cgroup="[0-9]*",path="/tt"} [1-9][0-9]*$' /tmp/m.prom &&
   [ "$(ls /tmp/m.prom.* 2> /dev/null)" = "" ]; then
	ok "export --prometheus writes memtally_up 1 and the faults of /tt"
else
	nok "export --prometheus writes memtally_up 1 and the faults of /tt" "rc=$rc" "$out" "$(head -n 40 /tmp/m.prom 2>&1)"
fi

# an idle cgroup: left out by default (no counter of 0; gauges only of
# cgroups that counted something), there with --all
mkdir $cg/idle
memtally export --prometheus /tmp/d.prom > /tmp/d.err 2>&1
memtally export --prometheus /tmp/a.prom --all >> /tmp/d.err 2>&1
zeros=$(grep -c '^memtally_[a-z_]*_total{cgroup="[0-9]*",path="[^"]*"} 0$' /tmp/d.prom)
if ! grep -q 'path="/idle"' /tmp/d.prom && [ "$zeros" = 0 ] &&
   grep -q '^memtally_faults_user_total{cgroup="[0-9]*",path="/idle"} 0$' /tmp/a.prom &&
   grep -q '^memtally_memcg_stall_seconds_count{cgroup="[0-9]*",path="/idle"} 0$' /tmp/a.prom &&
   grep -q '^memtally_faults_user_total{cgroup="[0-9]*",path="/tt"} [1-9]' /tmp/d.prom &&
   [ ! -s /tmp/d.err ]; then
	ok "export leaves out counters of 0 ($(wc -c < /tmp/d.prom) bytes), --all writes them ($(wc -c < /tmp/a.prom) bytes)"
else
	nok "export leaves out counters of 0, --all writes them" "$zeros zeros" "$(cat /tmp/d.err)" "$(grep idle /tmp/d.prom | head -n 5)"
fi
rmdir $cg/idle

memtally export --prometheus /tmp/p.prom --prefix /tt --all > /tmp/d.err 2>&1
memtally export --prometheus /tmp/r.prom --cgroup-depth 0 --all >> /tmp/d.err 2>&1
paths=$(grep -o 'path="[^"]*"' /tmp/p.prom | sort -u | tr '\n' ' ')
rpaths=$(grep -o 'path="[^"]*"' /tmp/r.prom | sort -u | tr '\n' ' ')
others=$(echo "$paths" | tr ' ' '\n' | grep -v '^path="/tt[/"]' | grep -c .)
case "$others|$paths|$rpaths" in
'0|path="/tt" '*'|path="/" ') [ ! -s /tmp/d.err ] &&
	ok "export --prefix /tt and --cgroup-depth 0 export those cgroups only" ||
	nok "export --prefix /tt and --cgroup-depth 0 export those cgroups only" "$(cat /tmp/d.err)" ;;
*) nok "export --prefix /tt and --cgroup-depth 0 export those cgroups only" "--prefix /tt: $paths" "--cgroup-depth 0: $rpaths" ;;
esac

# the host's memory pressure totals, as /proc/pressure/memory has them
if [ -r /proc/pressure/memory ]; then
	want=$(sed -n 's/^full .*total=\([0-9]*\)$/\1/p' /proc/pressure/memory)
	got=$(sed -n 's/^memtally_pressure_memory_full_seconds_total \([0-9.]*\)$/\1/p' /tmp/d.prom)
	# the file was read before, so its total is at most the one now
	if [ -n "$got" ] && awk -v g="$got" -v w="$want" 'BEGIN {exit !(g * 1e6 <= w + 0.5)}'; then
		ok "export has PSI's memory full total ($got s; /proc/pressure/memory now: $want us)"
	else
		nok "export has PSI's memory full total" "export: $got" "/proc/pressure/memory: $(cat /proc/pressure/memory)"
	fi
else
	ok "export has PSI's memory full total # SKIP no /proc/pressure/memory (a kernel without PSI)"
fi

# ---- KSM ---------------------------------------------------------------
ksm=/sys/kernel/mm/ksm
# settings a trial must put back, unlike anything it sets itself
echo 0 > $ksm/run
echo 123 > $ksm/pages_to_scan
echo 45 > $ksm/sleep_millisecs
before="$(cat $ksm/run) $(cat $ksm/pages_to_scan) $(cat $ksm/sleep_millisecs)"
mkdir -p $cg/kt
sh -c "echo \$\$ > $cg/kt/cgroup.procs && exec /tests/mt_merge 4096 same" > /tmp/kt.ready &
merger=$!
# its pages filled and mergeable (a debug kernel takes more than a second)
i=0
while ! grep -q ready /tmp/kt.ready && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
kt_before=$(cat $cg/kt/memory.current)

out=$(su -s /bin/sh -c 'memtally ksm trial' nobody 2>&1)
rc=$?
after="$(cat $ksm/run) $(cat $ksm/pages_to_scan) $(cat $ksm/sleep_millisecs)"
case "$rc $out" in
"1 memtally: ksm trial changes /sys/kernel/mm/ksm and needs root") [ "$before" = "$after" ] &&
	ok "ksm trial as non-root: one line, nothing changed" ||
	nok "ksm trial as non-root: one line, nothing changed" "$before -> $after" ;;
*) nok "ksm trial as non-root: one line, nothing changed" "rc=$rc" "$out" ;;
esac

out=$(memtally ksm trial --scans 2 --timeout 100 2>&1)
rc=$?
after="$(cat $ksm/run) $(cat $ksm/pages_to_scan) $(cat $ksm/sleep_millisecs)"
if [ $rc -eq 0 ] && [ "$before" = "$after" ] && echo "$out" | grep -q '^/kt ' &&
   echo "$out" | grep -q '^verdict: '; then
	ok "ksm trial: /kt merged, verdict given, settings restored ($after)"
else
	nok "ksm trial: /kt merged, verdict given, settings restored" "rc=$rc $before -> $after" "$out"
fi

# What KSM saved, against the workload and the kernel's own numbers: the
# 4096 identical pages of /kt (its only mergeable process: the kernel
# counts each page once, pages_shared + pages_sharing = 4096) are kept in
# pages_shared pages (max_page_sharing splits one content), so 4096 -
# pages_shared pages are saved, all of them /kt's; /kt's memory.current
# fell by as much (within 5 %).  ksmd is off, the numbers stand still.
out=$(memtally ksm --json 2>&1)
sharing=$(cat $ksm/pages_sharing)
shared=$(cat $ksm/pages_shared)
kt_after=$(cat $cg/kt/memory.current)
want=$(( (4096 - shared) * 4096 ))
drop=$((kt_before - kt_after))
saved=$(echo "$out" | sed -n 's/.*"saved_bytes":\([0-9]*\).*"cgroups".*/\1/p')
kt_saved=$(echo "$out" | grep -o '"path":"/kt"[^}]*' | sed -n 's/.*"saved_bytes":\([0-9]*\).*/\1/p')
if [ $((sharing + shared)) -eq 4096 ] && [ "$saved" = $want ] && [ "$kt_saved" = $want ] &&
   [ $((drop * 100)) -ge $((want * 95)) ] && [ $((drop * 100)) -le $((want * 105)) ]; then
	ok "ksm --json: saved bytes = (4096 - pages_shared) x 4096 = $want, all /kt's; its memory.current fell by $drop"
else
	nok "ksm --json: saved bytes = (4096 - pages_shared) x 4096 = $want, all /kt's; memory.current fell as much" \
		"sharing=$sharing shared=$shared saved=$saved kt_saved=$kt_saved memory.current $kt_before -> $kt_after" "$out"
fi

out=$(memtally ksm --processes 2>&1)
case $out in
*"$merger "*"/kt "*) ok "ksm --processes lists the merging process" ;;
*) nok "ksm --processes lists the merging process" "$out" ;;
esac

# SIGINT in the middle of the wait restores every setting
memtally ksm trial --scans 100000 --timeout 100 > /tmp/trial.out 2>&1 &
trial=$!
sleep 2
during="$(cat $ksm/run) $(cat $ksm/pages_to_scan) $(cat $ksm/sleep_millisecs)"
kill -INT $trial
wait $trial
rc=$?
after="$(cat $ksm/run) $(cat $ksm/pages_to_scan) $(cat $ksm/sleep_millisecs)"
if [ $rc -eq 130 ] && [ "$during" = "1 5000 10" ] && [ "$before" = "$after" ]; then
	ok "ksm trial: SIGINT restores every setting ($during -> $after)"
else
	nok "ksm trial: SIGINT restores every setting" "rc=$rc before=$before during=$during after=$after" "$(cat /tmp/trial.out)"
fi
# A snapshot's cgroup rows and KSM sums are of one walk of all processes:
# a row reuses a walk up to a second old, so a dump just before saw /kt's
# pages merged; unmerging them all (run=2, synchronous) and a snapshot at
# once must show /kt with what the sums say, none.
memtally cgroups --cgroup /kt > /dev/null 2>&1
echo 2 > $ksm/run
out=$(memtally snapshot -o /tmp/k.json 2>&1); rc=$?
echo 0 > $ksm/run
kt_m=$(grep -o '"path":"/kt"[^}]*' /tmp/k.json | sed -n 's/.*"ksm_merging_pages":\([0-9]*\).*/\1/p')
sum_m=$(grep -o '"ksm":{[^}]*' /tmp/k.json | sed -n 's/.*"merging_pages":\([0-9]*\).*/\1/p')
if [ $rc -eq 0 ] && [ "$kt_m" = 0 ] && [ "$sum_m" = 0 ]; then
	ok "snapshot after unmerging: /kt's row and the KSM sums of one walk (0 merging pages)"
else
	nok "snapshot after unmerging: /kt's row and the KSM sums of one walk (0 merging pages)" \
		"rc=$rc /kt row: $kt_m, sums: $sum_m" "$out"
fi
kill $merger
wait $merger 2> /dev/null
echo 2 > $ksm/run
echo 0 > $ksm/run
rmdir $cg/kt

# memtally stat: runs of a known workload, each in a cgroup of its own.
# st_values <source> <name> <file>: a metric's values, one per run
st_values() { tr '{' '\n' < "$3" | grep "^\"source\":\"$1\",\"name\":\"$2\"," |
	sed -n 's/.*"values":\[\([^]]*\)\].*/\1/p' | tr ',' ' '; }
# st_within <lo> <hi> <values...>: every value an integer from lo to hi
st_within() { lo=$1 hi=$2; shift 2; [ $# -gt 0 ] || return 1
	for v; do case $v in ''|*[!0-9]*) return 1 ;; esac
		[ "$v" -ge "$lo" ] && [ "$v" -le "$hi" ] || return 1; done; }
# st_left: cgroups memtally stat left behind (none: it removes them)
st_left() { ls -d $cg/memtally-stat $cg/memtally-stat/run-* 2> /dev/null; }
# 32768 fresh pages a run: 32768 faults and what exec of a static binary
# faults in (< 200), within 1 %; memory.stat's pgfault counts the same
out=$(memtally stat -r 5 -o /tmp/st.json -- /tests/mt_touch 32768 2>&1); rc=$?
mod=$(st_values memtally faults_user /tmp/st.json)
pgf=$(st_values memory.stat pgfault /tmp/st.json)
if [ $rc -eq 0 ] && st_within 32768 33095 $mod && st_within 32768 33095 $pgf &&
   [ "$(echo $mod | wc -w)" = 5 ] && [ -z "$(st_left)" ] &&
   echo "$out" | grep -q '^memtally stat: 5 runs of ./tests/mt_touch 32768.$' &&
   echo "$out" | grep -Eq '^memtally +faults_user +[0-9]+ '; then
	ok "stat -r 5 of 32768 touched pages: faults_user $mod, pgfault $pgf; cgroups removed"
else
	nok "stat -r 5 of 32768 touched pages: faults_user and pgfault within 1 % in each run; cgroups removed" \
		"rc=$rc faults_user: $mod pgfault: $pgf left: $(st_left)" "$out" "$(head -c 2000 /tmp/st.json)"
fi
# the same beside a cgroup that faults all the time
mkdir -p $cg/stnb
sh -c "echo \$\$ > $cg/stnb/cgroup.procs && while :; do /tests/mt_touch 4096; done" &
nb=$!
sleep 1
nb0=$(sed -n 's/^pgfault //p' $cg/stnb/memory.stat)
out=$(memtally stat -r 3 -j -- /tests/mt_touch 32768 2>&1 > /tmp/st2.json); rc=$?
nb1=$(sed -n 's/^pgfault //p' $cg/stnb/memory.stat)
kill $nb
echo 1 > $cg/stnb/cgroup.kill
wait $nb 2> /dev/null
mod=$(st_values memtally faults_user /tmp/st2.json)
if [ $rc -eq 0 ] && st_within 32768 33095 $mod && [ $((nb1 - nb0)) -gt 32768 ]; then
	ok "stat -r 3 beside a neighbour that faulted $((nb1 - nb0)) pages: faults_user $mod"
else
	nok "stat -r 3 beside a faulting neighbour: faults_user within 1 % of 32768" \
		"rc=$rc faults_user: $mod neighbour: $nb0 -> $nb1" "$out" "$(head -c 2000 /tmp/st2.json)"
fi
rmdir $cg/stnb 2> /dev/null
# half the pages: --compare of the two files says faults_user fell by half,
# significantly (Welch's t-test)
memtally stat -r 3 -o /tmp/st5.json -- /tests/mt_touch 16384 > /dev/null 2>&1
out=$(memtally stat --compare /tmp/st2.json /tmp/st5.json 2>&1); rc=$?
if [ $rc -eq 0 ] && echo "$out" | grep -Eq '^memtally +faults_user +3[0-9]{4} +16[0-9]{3} +-4[89]\.[0-9]{2}% +\*0\.0[0-9]{2}$'; then
	ok "stat --compare of 32768 and 16384 touched pages: faults_user -50 %, significant"
else
	nok "stat --compare of 32768 and 16384 touched pages: faults_user -50 %, significant" "rc=$rc" "$out"
fi
# 64 MiB under memory.max 16M without swap: one OOM kill a run
out=$(memtally stat -r 2 -s memory.max=16M -s memory.swap.max=0 -j -- /tests/mt_touch 16384 2>&1 > /tmp/st3.json); rc=$?
ev=$(st_values memory.events oom_kill /tmp/st3.json)
mk=$(st_values memtally oom_kills /tmp/st3.json)
if [ $rc -eq 0 ] && [ "$ev" = "1 1" ] && [ "$mk" = "1 1" ] &&
   grep -q '"runs":\[{"exit_code":null,"signal":9},{"exit_code":null,"signal":9}\]' /tmp/st3.json &&
   [ -z "$(st_left)" ]; then
	ok "stat -r 2 past memory.max: memory.events oom_kill $ev, memtally oom_kills $mk, SIGKILL in each run"
else
	nok "stat -r 2 past memory.max: one OOM kill a run" "rc=$rc oom_kill: $ev oom_kills: $mk left: $(st_left)" \
		"$out" "$(head -c 2000 /tmp/st3.json)"
fi
# 96 MiB through memory.max 32M into swap: the module's pgsteal is the
# cgroup's memory.stat pgsteal in every run (reclaim_test's memcg_reclaim),
# each run stalls, and the merged histogram holds every stall
out=$(memtally stat -r 3 -s memory.max=32M -j -- /tests/mt_touch 24576 2>&1 > /tmp/st6.json); rc=$?
mp=$(st_values memtally pgsteal /tmp/st6.json)
ms=$(st_values memory.stat pgsteal /tmp/st6.json)
stalls=$(st_values memtally memcg_stalls /tmp/st6.json)
merged=$(tr '{' '\n' < /tmp/st6.json | grep '^"kind":"memcg",' | sed -n 's/.*"count":\([0-9]*\).*/\1/p')
if [ $rc -eq 0 ] && [ -n "$mp" ] && [ "$mp" = "$ms" ] && st_within 16384 99999999 $ms &&
   st_within 1 99999999 $stalls && [ "$merged" = "$(echo $stalls | tr ' ' '\n' | awk '{s += $1} END {print s}')" ]; then
	ok "stat -r 3 past memory.max into swap: pgsteal $mp = memory.stat's, memcg stalls $stalls, $merged in the merged histogram"
else
	nok "stat -r 3 past memory.max into swap: pgsteal = memory.stat's, stalls in each run and in the histogram" \
		"rc=$rc pgsteal: $mp memory.stat: $ms stalls: $stalls merged: $merged" "$out" "$(head -c 2000 /tmp/st6.json)"
fi
# a gauge while the command runs: 2048 identical pages that ksmd merges
# in its 20 s (its ready line to /dev/null, the runs to a file)
echo 10000 > $ksm/pages_to_scan
echo 20 > $ksm/sleep_millisecs
echo 1 > $ksm/run
out=$(memtally stat -o /tmp/st7.json -- /tests/mt_merge 2048 same 20 2>&1 > /dev/null); rc=$?
echo 2 > $ksm/run
echo 0 > $ksm/run
km=$(st_values memtally ksm_merging_pages_max /tmp/st7.json)
if [ $rc -eq 0 ] && [ "$km" = 2048 ]; then
	ok "stat of 2048 mergeable pages: ksm_merging_pages_max $km"
else
	nok "stat of 2048 mergeable pages: ksm_merging_pages_max 2048" "rc=$rc max: $km" "$out" "$(head -c 2000 /tmp/st7.json)"
fi
out=$(memtally stat /nonexistent 2>&1); rc=$?
if [ "$rc $out" = "1 memtally: cannot run /nonexistent: No such file or directory" ] && [ -z "$(st_left)" ]; then
	ok "stat of a command that does not exist: one line, no cgroup left"
else
	nok "stat of a command that does not exist: one line, no cgroup left" "rc=$rc left: $(st_left)" "$out"
fi
out=$(su -s /bin/sh -c 'memtally stat true' nobody 2>&1); rc=$?
if [ $rc -eq 1 ] && [ "$(echo "$out" | wc -l)" = 1 ] &&
   case $out in "memtally: cannot make the cgroup /memtally-stat: Permission denied"*"as root"*) true ;; *) false ;; esac; then
	ok "stat as non-root: one line"
else
	nok "stat as non-root: one line" "rc=$rc" "$out"
fi
# SIGTERM (a shell's background job ignores SIGINT) ends it as Ctrl-C does
memtally stat -r 50 -- sleep 1 > /tmp/st4.out 2>&1 &
st=$!
sleep 3.5
kill -TERM $st
wait $st; rc=$?
if [ $rc -eq 1 ] && grep -Eq '^interrupted: [1-4] of 50 runs done$' /tmp/st4.out &&
   grep -Eq '^run +wall_s +1\.' /tmp/st4.out && [ -z "$(st_left)" ]; then
	ok "stat interrupted: the runs done, no cgroup left"
else
	nok "stat interrupted: the runs done, no cgroup left" "rc=$rc left: $(st_left)" "$(cat /tmp/st4.out)"
fi

# snapshots around a known workload: 2000 fresh pages in a new cgroup
sa=$(memtally snapshot -o /tmp/a.json 2>&1); ra=$?
mkdir -p $cg/tt2
sh -c "echo \$\$ > $cg/tt2/cgroup.procs && exec /tests/mt_touch 2000"
sb=$(memtally snapshot -o /tmp/b.json 2>&1); rb=$?
if [ $ra -eq 0 ] && [ $rb -eq 0 ] &&
   grep -q '"format":"memtally-snapshot"' /tmp/a.json &&
   grep -q '"format":"memtally-snapshot"' /tmp/b.json; then
	ok "snapshot -o writes two snapshots"
else
	nok "snapshot -o writes two snapshots" "rc=$ra $rb" "$sa" "$sb"
fi
out=$(memtally diff /tmp/a.json /tmp/b.json --cgroup /tt2 --json 2>&1)
delta=$(echo "$out" | tr '{}' '\n\n' | grep '"counter":"faults_user"' |
	sed -n 's/.*"delta":\([0-9-]*\).*/\1/p')
# 2000 pages plus what exec of a static binary faults in (< 200)
if [ -n "$delta" ] && [ "$delta" -ge 2000 ] && [ "$delta" -lt 2200 ]; then
	ok "diff --cgroup /tt2: faults_user grew by 2000 touched pages ($delta)"
else
	nok "diff --cgroup /tt2: faults_user grew by 2000 touched pages" "$out"
fi
rmdir $cg/tt2
# a.json and b.json: the diff shipped below

# every command's JSON, live, to the host, which validates each against the
# schema of the admin guide (scripts/guest-files.sh): json-DEF[-VARIANT].json
# against $defs/DEF, a .jsonl line by line
jfail=""
json_out() {	# json_out <def[-variant][.jsonl]> <command...>
	case $1 in
	*.jsonl) f=json-$1 ;;
	*) f=json-$1.json ;;
	esac
	shift
	if memtally "$@" > /tmp/$f 2> /tmp/json.err && [ -s /tmp/$f ]; then
		ship $f /tmp/$f
	else
		jfail="$jfail $f: $(head -c 200 /tmp/json.err)"
	fi
}
ship() {	# ship <name> <file>: to the host, base64
	echo "MT-FILE-BEGIN $1"
	base64 "$2"
	echo "MT-FILE-END"
}
json_out status status --json
json_out config config --json
json_out cgroups cgroups --json
json_out cgroups-tt cgroups --cgroup /tt --json
json_out cgroups-recursive cgroups --recursive --json
json_out cgroups-memstat cgroups --memstat --json
json_out stalls stalls --json
json_out stalls-memcg stalls --kind memcg --json
json_out reclaim reclaim --json
json_out reclaim-all reclaim --all --json
json_out reclaim-tt reclaim --cgroup /tt --all --json
json_out reclaim-by-cgroup reclaim --by-cgroup --json
json_out reclaim-rates.jsonl reclaim 1 2 --json
json_out vmstat.jsonl vmstat 1 2 --json
json_out ksm ksm --json
json_out ksm-processes ksm -p --json
# (ksmd runs only while some memory is mergeable)
/tests/mt_merge 512 same 100 > /dev/null &
mpid=$!
json_out ksm-trial ksm trial --scans 1 --timeout 100 --json
kill $mpid
wait $mpid 2> /dev/null
json_out top.jsonl top -b -n 2 -d 0.5 --json
json_out report report --json
json_out smem smem --json
json_out smem-user smem -b user --json
json_out smem-cgroup smem -b cgroup --json
json_out smem-mapping smem -b mapping -n 20 --json
json_out smem-system smem -b system --json
json_out export export --prometheus /tmp/j.prom --json
json_out snapshot snapshot -o -
json_out diff diff /tmp/a.json /tmp/b.json --json
json_out stat stat -r 2 --drop-caches --compact --ksm-off -j -- /tests/mt_touch 1000
json_out stat_compare stat --compare --json /tmp/st2.json /tmp/st5.json
# what it shipped: /tt2 (in b.json only) from 0 by its 2000 touched pages
row=$(tr '{}' '\n\n' < /tmp/json-diff.json | grep '^"path":"/tt2","id":[0-9]*,"counter":"faults_user",')
delta=$(echo "$row" | sed -n 's/.*"delta":\([0-9-]*\).*/\1/p')
if echo "$row" | grep -q '"a":null,"b":[0-9]*,' && [ -n "$delta" ] &&
   [ "$delta" -ge 2000 ] && [ "$delta" -lt 2200 ] &&
   grep -q '{"path":"/tt2","id":[0-9]*,"only_in":"b"}' /tmp/json-diff.json; then
	ok "diff --json of the snapshots around /tt2: faults_user from none by $delta, /tt2 only in b"
else
	nok "diff --json of the snapshots around /tt2: faults_user from none by 2000 touched pages, /tt2 only in b" "$(head -c 3000 /tmp/json-diff.json)"
fi
if [ -s /tmp/json-events.jsonl ]; then
	ship json-events.jsonl /tmp/json-events.jsonl
else
	jfail="$jfail json-events.jsonl: empty"
fi
# ---- wss from MGLRU (lru_gen) -------------------------------------------
# MGLRU off (Debian's 6.1 boots so; turned off here elsewhere): one line
# saying how to turn it on, exit 1.  On: a cgroup whose 8192 written pages
# sleep has them in its working set over an hour (every generation is
# younger than the guest), its LRU pages are memory.stat's LRU lists
# (within 1 %), and a window shorter than its youngest generation has none
lg=/sys/kernel/mm/lru_gen/enabled
anon_at_least() {	# anon_at_least <cgroup> <bytes>: wait up to 30 s
	local i=0
	while [ "$(awk '$1 == "anon" {print $2}' $cg/$1/memory.stat)" -lt "$2" ] &&
	      [ $i -lt 150 ]; do
		sleep 0.2
		i=$((i + 1))
	done
}
if [ -e $lg ]; then
	lg_was=$(cat $lg)
	echo n > $lg
	out=$(memtally wss --source lru_gen 2>&1)
	rc=$?
	case $rc/$(echo "$out" | wc -l)/$out in
	"1/1/memtally: MGLRU is built but off (turn it on with: echo y > $lg;"*)
		ok "wss --source lru_gen with MGLRU off: one line, how to turn it on" ;;
	*) nok "wss --source lru_gen with MGLRU off: one line, how to turn it on" "rc=$rc" "$out" ;;
	esac
	echo y > $lg
	mkdir -p $cg/lg
	sh -c "echo \$\$ > $cg/lg/cgroup.procs && exec /tests/mt_touch 8192 600" &
	lgpid=$!
	anon_at_least lg 33554432
	out=$(memtally wss --source lru_gen --cgroup /lg --window 1h --json 2>&1)
	ms=$(cat $cg/lg/memory.stat)
	lru=$(echo "$ms" | awk '$1 ~ /^(in)?active_(anon|file)$/ {s += $2} END {print s + 0}')
	wa=$(echo "$out" | sed -n 's/.*"wss_anon":\([0-9]*\).*/\1/p')
	ll=$(echo "$out" | sed -n 's/.*"lru":\([0-9]*\).*/\1/p')
	# (99 %: the last pages written may wait in a CPU's LRU batch)
	if [ -n "$wa" ] && [ "$wa" -ge $((33554432 * 99 / 100)) ] && within1 "$ll" "$lru"; then
		ok "wss --source lru_gen: 8192 written pages in the hour's working set ($wa bytes anon), LRU $ll = memory.stat's $lru"
	else
		nok "wss --source lru_gen: 8192 written pages in the hour's working set, LRU as memory.stat's ($lru)" "$out"
	fi
	out=$(memtally wss --source lru_gen --cgroup /lg --window 1ms --json 2>&1)
	case $out in
	*'"youngest_ms":'[1-9]*'"wss":0,"wss_anon":0,"wss_file":0,'*)
		ok "wss --source lru_gen: a window shorter than the youngest generation has nothing" ;;
	*) nok "wss --source lru_gen: a window shorter than the youngest generation has nothing" "$out" ;;
	esac
	json_out wss-lrugen wss --source lru_gen --window 1h --json
	kill $lgpid
	wait $lgpid 2> /dev/null
	rmdir $cg/lg
	# --age over 6 s: a hot 16 MiB (rewritten all the time) beside a cold
	# 48 MiB (written once, before): the working set is the hot set.  The
	# aging walk clears accessed bits without flushing TLBs, so the CPU
	# sets them again only when it walks the page tables anew: QEMU's TLB
	# keeps every translation until a context switch (a CR3 write) on that
	# vCPU, so a ticker shares the hot loop's CPU, as any machine has other
	# tasks (without it the walks saw nothing: 0 bytes, 2 runs of 2; with
	# it the hot 16 MiB, 4 of 4, on 6.12)
	mkdir -p $cg/lga
	sh -c "echo \$\$ > $cg/lga/cgroup.procs && exec /tests/mt_touch 12288 600" &
	coldpid=$!
	sh -c "echo \$\$ > $cg/lga/cgroup.procs && exec taskset -c 0 /tests/mt_touch 4096 600 loop" &
	hotpid=$!
	taskset -c 0 sh -c 'while :; do sleep 0.01; done' &
	tickpid=$!
	anon_at_least lga 67108864
	# 6.1's walk skips page tables whose middle-level accessed bit its
	# last walk cleared (6.3 and later scan all when asked to), and QEMU's
	# TLB keeps the hot loop's translations, so the CPU never sets it
	# again: the tool warns, and the check runs with that bit (0x0004) off
	case $(uname -r) in
	6.[012].*)
		memtally wss --source lru_gen --cgroup /lga --window 1s --age > /dev/null 2> /tmp/lga.err
		if grep -q "^memtally: warning: Linux before 6.3 with MGLRU's bit 0x0004 on" /tmp/lga.err; then
			aged="(bit 0x0004 off: the tool warned of it)"
		else
			aged="(NO WARNING of bit 0x0004: $(cat /tmp/lga.err))"
		fi
		echo 3 > $lg ;;
	*) aged="" ;;
	esac
	out=$(memtally wss --source lru_gen --cgroup /lga --window 6s --age --json 2>&1)
	wa=$(echo "$out" | sed -n 's/.*"wss_anon":\([0-9]*\).*/\1/p')
	if [ -n "$wa" ] && [ "$wa" -ge $((16777216 * 8 / 10)) ] &&
	   [ "$wa" -le $((16777216 + 50331648 / 5)) ] &&
	   [ "${aged#*NO WARNING}" = "$aged" ]; then
		ok "wss --source lru_gen --age over 6 s: the hot 16 MiB and not the cold 48 MiB ($wa bytes anon) $aged"
	else
		nok "wss --source lru_gen --age over 6 s: the hot 16 MiB (80 %+) and not the cold 48 MiB (20 %-)" "$aged" "$out" "$(cat /sys/kernel/debug/lru_gen)"
	fi
	json_out wss-lrugen-aged wss --source lru_gen --cgroup /lga --window 2s --age --json
	kill $coldpid $hotpid $tickpid
	wait $coldpid $hotpid $tickpid 2> /dev/null
	rmdir $cg/lga
	echo "$lg_was" > $lg
else
	for t in "MGLRU off" "the hour's working set" "a short window" "--age"; do
		ok "wss --source lru_gen: $t # SKIP no MGLRU in this kernel (CONFIG_LRU_GEN)"
	done
fi

# the DAMON views, on a loop of 16 MiB in /js
if [ -d /sys/kernel/mm/damon/admin ]; then
	mkdir -p $cg/js
	sh -c "echo \$\$ > $cg/js/cgroup.procs && exec /tests/mt_touch 4096 30 loop" &
	jspid=$!
	# Debian 7.x's DAMON_STAT would keep memtally's kdamond off (damon_test.sh)
	[ ! -e /sys/module/damon_stat ] || echo N > /sys/module/damon_stat/parameters/enabled
	if memtally damon start --paddr --json > /tmp/json-damon_start.json 2> /tmp/json.err; then
		ship json-damon_start.json /tmp/json-damon_start.json
		sleep 5
		json_out damon damon status --json
		json_out wss wss --json
		json_out wss-js wss --cgroup /js --json
		json_out wss-by-cgroup wss --by-cgroup --json
		json_out hotcold hotcold --json
		json_out hotcold-by-cgroup hotcold --by-cgroup --json
		json_out heatmap heatmap -W 40 -H 10 --json
		json_out heatmap-js heatmap -W 40 -H 10 --cgroup /js --json
		if memtally heatmap -o /tmp/heatmap.svg -W 320 -H 200 \
			> /tmp/json.err 2>&1; then
			ship heatmap-320x200.svg /tmp/heatmap.svg
		else
			jfail="$jfail heatmap.svg: $(head -c 200 /tmp/json.err)"
		fi
		json_out damon-scheme-pageout damon scheme pageout --min-age 1s --json
		json_out damon_scheme damon scheme --json
		json_out damon_scheme-off damon scheme off --json
		json_out damon_stop damon stop --json
	else
		jfail="$jfail damon start: $(head -c 200 /tmp/json.err)"
	fi
	kill $jspid
	wait $jspid 2> /dev/null
	rmdir $cg/js
fi
if [ -z "$jfail" ]; then
	ok "every command's --json output shipped to the host"
else
	nok "every command's --json output shipped to the host" "$jfail"
fi
rm -f /tmp/json-*.json /tmp/json-*.jsonl /tmp/j.prom /tmp/heatmap.svg \
	/tmp/a.json /tmp/b.json

rmmod memtally
out=$(memtally status 2>&1)
rc=$?
eout=$(memtally export --prometheus /tmp/m.prom 2>&1)
erc=$?
tout=$(unset TERM; memtally top -b -n 1 2>&1)
trc=$?
rout=$(memtally report 2> /dev/null)
rrc=$?
vout=$(memtally vmstat 2> /tmp/vmstat.err)
vrc=$?
sout=$(memtally stat -r 2 -- /tests/mt_touch 1000 2> /tmp/stat.err)
src=$?
insmod /memtally.ko
if [ $src -eq 0 ] && [ "$(cat /tmp/stat.err)" = "memtally: the memtally module is not loaded: no memtally metrics (load it with: modprobe memtally)" ] &&
   echo "$sout" | grep -Eq '^memory.stat +pgfault +10[0-9]{2} ' && ! echo "$sout" | grep -Eq '^memtally +[a-z_]+ +[0-9]'; then
	ok "stat without the module: the kernel's files, one line says why"
else
	nok "stat without the module: the kernel's files, one line says why" "rc=$src" "$(cat /tmp/stat.err)" "$sout"
fi
case "$rc $out" in
"1 "*"not loaded"*) ok "module not loaded: one line with the fix" ;;
*) nok "module not loaded: one line with the fix" "rc=$rc" "$out" ;;
esac
case "$erc $eout" in
"1 "*"not loaded"*) grep -qx 'memtally_up 0' /tmp/m.prom &&
	ok "export without the module: memtally_up 0, exit code 1" ||
	nok "export without the module: memtally_up 0, exit code 1" "$(cat /tmp/m.prom)" ;;
*) nok "export without the module: memtally_up 0, exit code 1" "rc=$erc" "$eout" ;;
esac

# vmstat's columns of /proc stand; stalls/s is - and one line says why
if [ $vrc -eq 0 ] && [ "$(cat /tmp/vmstat.err)" = "memtally: the memtally module is not loaded: no stalls/s (load it with: modprobe memtally)" ] &&
   echo "$vout" | awk 'NR == 2 && $2 ~ /^[0-9]+$/ && $8 == "-" {f = 1} END {exit !f}'; then
	ok "vmstat without the module: the memory columns, stalls/s -, one line says why"
else
	nok "vmstat without the module: the memory columns, stalls/s -, one line says why" "rc=$vrc" "$(cat /tmp/vmstat.err)" "$vout"
fi
case "$trc $tout" in
"1 memtally: the memtally module is not loaded"*)
	[ "$(echo "$tout" | wc -l)" -eq 1 ] &&
	ok "top without the module: one line, exit code 1" ||
	nok "top without the module: one line, exit code 1" "$tout" ;;
*) nok "top without the module: one line, exit code 1" "rc=$trc" "$tout" ;;
esac

if [ $rrc -eq 0 ] && echo "$rout" | grep -q '^Without the memtally module: ' &&
   echo "$rout" | grep -A1 '^DAMON$' | grep -q 'unavailable: needs the memtally module' &&
   echo "$rout" | grep -q '^Recommendations'; then
	ok "report without the module: from the files, says what is missing"
else
	nok "report without the module: from the files, says what is missing" "rc=$rrc" "$rout"
fi

# smem needs no module: a process in /sm with 4096 private pages (16 MiB)
mkdir -p $cg/sm
sh -c "echo \$\$ > $cg/sm/cgroup.procs && exec /tests/mt_touch 4096 600" &
smpid=$!
# and in /sm/share two processes that both map 2048 shared pages (8 MiB)
mkdir -p $cg/sm/share
sh -c "echo \$\$ > $cg/sm/share/cgroup.procs && exec /tests/mt_share 2048 600" &
shpid=$!
# until every page is in (a debug kernel beside another guest takes more
# than the 2 s this once slept): /sm's 16 MiB, and /sm/share's two
# processes with their 8 MiB each
rss_kb() { awk '$1 == "VmRSS:" {print $2}' /proc/$1/status 2> /dev/null; }
i=0
while [ $i -lt 600 ]; do
	set -- $(cat $cg/sm/share/cgroup.procs)
	[ "$(rss_kb $smpid)" -ge 16384 ] 2> /dev/null && [ $# -eq 2 ] &&
		[ "$(rss_kb $1)" -ge 8192 ] 2> /dev/null &&
		[ "$(rss_kb $2)" -ge 8192 ] 2> /dev/null && break
	sleep 0.1
	i=$((i + 1))
done
smuss() { sed -n 's/.*"cgroup":"\/sm","processes":1,"swap":[0-9]*,"uss":\([0-9]*\).*/\1/p'; }
out=$(memtally smem -b cgroup --json 2>&1)
uss=$(echo "$out" | smuss)
# its 16 MiB plus what a static binary has of its own (< 1 MiB)
if [ -n "$uss" ] && [ "$uss" -ge 16777216 ] && [ "$uss" -lt 17825792 ]; then
	ok "smem -b cgroup: /sm has its 16 MiB of private pages ($uss bytes)"
else
	nok "smem -b cgroup: /sm has its 16 MiB of private pages" "$out"
fi
memtally snapshot -o /tmp/sm.json 2> /dev/null
fout=$(memtally smem --from /tmp/sm.json -b cgroup --json 2>&1)
fuss=$(echo "$fout" | smuss)
if [ -n "$fuss" ] && [ "$fuss" = "$uss" ]; then
	ok "smem --from a snapshot: the same USS for /sm ($fuss)"
else
	nok "smem --from a snapshot: the same USS for /sm" "live $uss" "$fout"
fi
# each process's PSS: half the 8 MiB, plus what the static binary has of
# its own (< 1 MiB); RSS all of it; USS none of it
out=$(memtally smem -c /sm/share --json 2>&1)
pss_ok=0 pss_all=
for p in $(echo "$out" | grep -o '"pid":[0-9]*' | sed 's/"pid"://'); do
	row=$(echo "$out" | tr '{' '\n' | grep "\"pid\":$p,")
	pss=$(echo "$row" | sed -n 's/.*"pss":\([0-9]*\).*/\1/p')
	rss=$(echo "$row" | sed -n 's/.*"rss":\([0-9]*\).*/\1/p')
	uss=$(echo "$row" | sed -n 's/.*"uss":\([0-9]*\).*/\1/p')
	pss_all="$pss_all $pss"
	if [ -n "$pss" ] && [ "$pss" -ge 4194304 ] && [ "$pss" -lt 5242880 ] &&
	   [ "$rss" -ge 8388608 ] && [ "$uss" -lt 1048576 ]; then
		pss_ok=$((pss_ok + 1))
	fi
done
if [ $pss_ok -eq 2 ]; then
	ok "smem: two processes sharing 8 MiB have 4 MiB of PSS each (< 5 MiB):$pss_all"
else
	nok "smem: two processes sharing 8 MiB have 4 MiB of PSS each" "$out"
fi
# the shared region as a mapping: both processes, 8 MiB of PSS in all
out=$(memtally smem -b mapping -c /sm/share -M '^/dev/zero' --json 2>&1)
if echo "$out" | grep -q '"rows":\[{"mapping":"/dev/zero (deleted)","processes":2,"swap":0,"uss":0,"pss":8388608,"rss":16777216,'; then
	ok "smem -b mapping: the shared region, 8 MiB of PSS over 2 processes"
else
	nok "smem -b mapping: the shared region, 8 MiB of PSS over 2 processes" "$out"
fi
# the snapshot's rows are the live rows of the same still processes
live=$(memtally smem -c /sm --json 2> /dev/null | sed 's/,"totals".*//')
from=$(memtally smem --from /tmp/sm.json -c /sm --json 2> /dev/null | sed 's/,"totals".*//')
if [ "$(echo "$live" | grep -o '"pid"' | wc -l)" -eq 3 ] && [ "$live" = "$from" ]; then
	ok "smem --from a snapshot: the rows of /sm's 3 processes as live"
else
	nok "smem --from a snapshot: the rows of /sm's 3 processes as live" "live $live" "from $from"
fi
out=$(memtally smem -c /sm -t 2>&1)
if echo "$out" | grep -Eq "^ *$smpid  (0|root) *  /sm  */tests/mt_touch 4096 600" &&
   echo "$out" | grep -q "^total "; then
	ok "smem -c /sm -t: its process and the totals"
else
	nok "smem -c /sm -t: its process and the totals" "$out"
fi
out=$(memtally smem -b cgroup --chart pie -o /tmp/smem.png --size 640x480 2>&1)
rc=$?
size=$(od -A n -t u1 -j 16 -N 8 /tmp/smem.png 2>/dev/null |
	awk '{printf "%dx%d", $1 * 16777216 + $2 * 65536 + $3 * 256 + $4, $5 * 16777216 + $6 * 65536 + $7 * 256 + $8}')
if [ $rc -eq 0 ] && [ "$size" = 640x480 ]; then
	ok "smem --chart pie: a 640x480 PNG"
	echo "MT-FILE-BEGIN smem-640x480.png"
	base64 /tmp/smem.png
	echo "MT-FILE-END"
else
	nok "smem --chart pie: a 640x480 PNG" "rc=$rc size=$size" "$out"
fi
out=$(memtally smem -b system --chart bar -o /tmp/smem.svg --size 500x300 2>&1)
rc=$?
if [ $rc -eq 0 ] && head -c 400 /tmp/smem.svg | grep -q 'width="500px" height="300px"'; then
	ok "smem --chart bar: a 500x300 SVG"
	# the host parses it too (scripts/guest-files.sh)
	ship smem-500x300.svg /tmp/smem.svg
else
	nok "smem --chart bar: a 500x300 SVG" "rc=$rc" "$out" "$(head -c 300 /tmp/smem.svg)"
fi
# the system's memory in parts that add up to MemTotal; user holds the
# PSS of /sm's 16 MiB
out=$(memtally smem -b system --json 2> /dev/null)
smkey() { echo "$out" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
sum=0
for k in free user cache kernel other; do
	v=$(smkey $k)
	sum=$((sum + ${v:-0}))
done
if [ -n "$(smkey total)" ] && [ "$sum" = "$(smkey total)" ] &&
   [ "$(smkey over)" = 0 ] && [ "$(smkey user)" -ge 16777216 ]; then
	ok "smem -b system: free, user, cache, kernel and other add up to MemTotal ($sum)"
else
	nok "smem -b system: the parts add up to MemTotal" "sum $sum" "$out"
fi
out=$(su -s /bin/sh -c 'memtally smem -b user' nobody 2>&1)
rc=$?
if [ $rc -eq 0 ] && echo "$out" | grep -q "processes not readable: run as root"; then
	ok "smem as non-root: its own processes, and says what it cannot read"
else
	nok "smem as non-root: its own processes, and says what it cannot read" "rc=$rc" "$out"
fi
kill $smpid $shpid
wait $smpid $shpid 2> /dev/null
sleep 1

rmdir $cg/tt/sub $cg/tt $cg/ttx $cg/sm/share $cg/sm
echo "# Totals: pass:$((n - failed)) fail:$failed"
[ $failed -eq 0 ]
