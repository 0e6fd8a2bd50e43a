#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run every guest test suite (or those of mt.suites=a,b on the kernel
# command line, see scripts/try.sh); each prints TAP.  mt.env.VAR=value on
# the command line sets VAR for the suites.
cd /tests || exit 1
suites="memcg_v1.sh tool_test.sh ynl.sh memtally_test reclaim_test migrate_test ksm_test damon_test nl_fuzz stress_test damon_test.sh"
for a in $(cat /proc/cmdline); do
	case $a in
	mt.suites=*) suites=$(echo "${a#mt.suites=}" | tr , ' ') ;;
	mt.env.*=*) export "${a#mt.env.}" ;;	# e.g. mt.env.MT_STRESS_CYCLES=100
	esac
done
for t in $suites; do
	[ -x "$t" ] || continue
	echo "MT-SUITE $t"
	t0=$(cut -d. -f1 /proc/uptime)
	case $t in
	damon_test) ./"$t" -T paddr_memcg_v1 ;;	# memcg_v1.sh runs it
	*) ./"$t" ;;
	esac
	rc=$?
	# how long it took, for the suite's budget (a TAP comment)
	echo "# time: $t $(($(cut -d. -f1 /proc/uptime) - t0)) s"
	echo "MT-SUITE-END $t rc=$rc"
done
