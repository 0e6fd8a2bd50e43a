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
echo "1..12"

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

out=$(memtally cgroups --prefix /tt 2>&1)
if echo "$out" | grep -q '^/tt ' && echo "$out" | grep -q '^/tt/sub ' &&
   ! echo "$out" | grep -q '^/ttx '; then
	ok "cgroups --prefix is path-component aware"
else
	nok "cgroups --prefix is path-component aware" "$out"
fi

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

rmmod memtally
out=$(memtally status 2>&1)
rc=$?
insmod /memtally.ko
case "$rc $out" in
"1 "*"not loaded"*) ok "module not loaded: one line with the fix" ;;
*) nok "module not loaded: one line with the fix" "rc=$rc" "$out" ;;
esac

rmdir $cg/tt/sub $cg/tt $cg/ttx
echo "# Totals: pass:$((n - failed)) fail:$failed"
[ $failed -eq 0 ]
