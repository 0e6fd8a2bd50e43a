/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memtally vmstat: the memory columns of vmstat(8) from two samples of
 * /proc/meminfo, /proc/vmstat and /proc/pressure/memory, with the module's
 * reclaim stalls.  Pure: the texts are read elsewhere.
 */
#ifndef MT_VMSTAT_H
#define MT_VMSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cols.h"

struct mt_cgroup;

/* The columns, in their order */
enum mt_vm_col {
	MT_VM_SWPD,	/* KiB of swap used: SwapTotal - SwapFree */
	MT_VM_FREE,	/* KiB: MemFree */
	MT_VM_BUFF,	/* KiB: Buffers */
	MT_VM_CACHE,	/* KiB: Cached + SReclaimable, as procps counts it */
	MT_VM_SI,	/* KiB/s swapped in: pswpin pages */
	MT_VM_SO,	/* KiB/s swapped out: pswpout pages */
	MT_VM_STALLS,	/* reclaim stalls/s (the module, every kind) */
	MT_VM_SOME,	/* % of the interval some task stalled on memory */
	MT_VM_FULL,	/* % of it all non-idle tasks stalled on memory */
	MT_NR_VM,
};

extern const struct mt_col mt_vm_cols[MT_NR_VM];

/* What one moment's files say; a part that could not be read is false */
struct mt_vm_sample {
	bool has_meminfo, has_swapio, has_some, has_full;
	uint64_t swpd_kb, free_kb, buff_kb, cache_kb;
	uint64_t pswpin, pswpout;	/* pages since boot */
	uint64_t some_us, full_us;	/* PSI totals since boot */
};

void mt_vm_parse(struct mt_vm_sample *s, const char *meminfo,
		 const char *vmstat, const char *pressure);

/* A line: each column's value, NAN where it cannot be told */
struct mt_vm_line {
	double v[MT_NR_VM];
};

void mt_vm_calc(struct mt_vm_line *l, const struct mt_vm_sample *prev,
		const struct mt_vm_sample *cur, double secs, long page_kb,
		const uint64_t *stalls);
int mt_vm_stalls(const struct mt_cgroup *prev, size_t nprev,
		 const struct mt_cgroup *cur, size_t n, uint64_t *stalls);

#endif
