#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run every guest test suite; each prints TAP.
cd /tests || exit 1
for t in memtally_test reclaim_test ksm_test nl_fuzz tool_test.sh; do
	[ -x "$t" ] || continue
	echo "MT-SUITE $t"
	./"$t"
	echo "MT-SUITE-END $t rc=$?"
done
