/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memtally reclaim: the paging columns of sar -B from two samples of
 * /proc/vmstat, or of a cgroup's memory.stat.  Pure: the text is read
 * elsewhere.
 */
#ifndef MT_SARB_H
#define MT_SARB_H

#include <stdbool.h>
#include <stdint.h>

#include "cols.h"

/* The columns, in sar's order; pgscanc is memtally's */
enum mt_sarb_col {
	MT_SB_PGPGIN,	/* KiB/s read from disk: pgpgin (already KiB) */
	MT_SB_PGPGOUT,	/* KiB/s written: pgpgout */
	MT_SB_FAULT,	/* page faults/s, minor and major: pgfault */
	MT_SB_MAJFLT,	/* major faults/s: pgmajfault */
	MT_SB_PGFREE,	/* pages freed/s: pgfree */
	MT_SB_PGSCANK,	/* pages kswapd scanned/s: pgscan_kswapd */
	MT_SB_PGSCAND,	/* a task's: pgscan_direct, _khugepaged, _proactive */
	MT_SB_PGSCANC,	/* cgroup reclaim, which the two above leave out */
	MT_SB_PGSTEAL,	/* pages reclaimed/s, every reclaimer */
	MT_SB_VMEFF,	/* 100 * pgsteal / pgscan, NAN with nothing scanned */
	MT_NR_SB,
};

extern const struct mt_col mt_sarb_cols[MT_NR_SB];

/* The counters the columns come from (since boot, or since the cgroup
 * was made) */
struct mt_sarb_sample {
	bool ok;		/* every one was there */
	bool cgroup;		/* memory.stat: no pgpgin, pgpgout, pgfree */
	bool scan_all;		/* kswapd/direct count cgroup reclaim too */
	uint64_t pgpgin, pgpgout, pgfault, pgmajfault, pgfree;
	uint64_t scan_kswapd, scan_direct;	/* direct: + khugepaged, proactive */
	uint64_t scan, steal;	/* every reclaimer */
};

void mt_sarb_parse(struct mt_sarb_sample *s, const char *vmstat);
void mt_sarb_parse_cgroup(struct mt_sarb_sample *s, const char *memstat);
void mt_sarb_calc(double *v, const struct mt_sarb_sample *prev,
		  const struct mt_sarb_sample *cur, double secs);

#endif
