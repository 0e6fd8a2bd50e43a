// SPDX-License-Identifier: GPL-2.0
/*
 * memtally vmstat: the memory and swap columns of vmstat(8), computed as
 * procps computes them, beside what vmstat lacks: reclaim stalls per second
 * (the module) and the share of the interval tasks stalled on memory
 * (PSI).  cols.c prints the lines.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "procfiles.h"
#include "rate.h"
#include "vmstat.h"

/* The columns: as vmstat names them, in JSON with their units */
const struct mt_col mt_vm_cols[MT_NR_VM] = {
	[MT_VM_SWPD]	= { "swpd", "swpd_kb", 0 },
	[MT_VM_FREE]	= { "free", "free_kb", 0 },
	[MT_VM_BUFF]	= { "buff", "buff_kb", 0 },
	[MT_VM_CACHE]	= { "cache", "cache_kb", 0 },
	[MT_VM_SI]	= { "si", "si_kb_per_s", 0 },
	[MT_VM_SO]	= { "so", "so_kb_per_s", 0 },
	[MT_VM_STALLS]	= { "stalls/s", "stalls_per_s", 2 },
	[MT_VM_SOME]	= { "some%", "psi_some_pct", 2 },
	[MT_VM_FULL]	= { "full%", "psi_full_pct", 2 },
};

/**
 * mt_vm_parse() - what the files of one moment say
 * @s: filled in
 * @meminfo: /proc/meminfo, or NULL if it could not be read
 * @vmstat: /proc/vmstat, or NULL
 * @pressure: /proc/pressure/memory, or NULL (a kernel without PSI)
 */
void mt_vm_parse(struct mt_vm_sample *s, const char *meminfo,
		 const char *vmstat, const char *pressure)
{
	uint64_t swap_total, swap_free, cached, srecl;
	struct mt_psi psi;

	memset(s, 0, sizeof(*s));
	s->has_meminfo = !mt_kv_get(meminfo, "MemFree", &s->free_kb) &&
			 !mt_kv_get(meminfo, "Buffers", &s->buff_kb) &&
			 !mt_kv_get(meminfo, "Cached", &cached) &&
			 !mt_kv_get(meminfo, "SReclaimable", &srecl) &&
			 !mt_kv_get(meminfo, "SwapTotal", &swap_total) &&
			 !mt_kv_get(meminfo, "SwapFree", &swap_free);
	if (s->has_meminfo) {
		s->cache_kb = cached + srecl;
		s->swpd_kb = swap_total > swap_free ? swap_total - swap_free : 0;
	}
	s->has_swapio = !mt_kv_get(vmstat, "pswpin", &s->pswpin) &&
			!mt_kv_get(vmstat, "pswpout", &s->pswpout);
	if (pressure && !mt_psi_parse(pressure, &psi)) {
		s->has_some = psi.has_some;
		s->has_full = psi.has_full;
		s->some_us = psi.some_total;
		s->full_us = psi.full_total;
	}
}

/* @cur - @prev (counters since boot never go back; 0 if they seem to) */
static double delta(uint64_t prev, uint64_t cur)
{
	return cur > prev ? (double)(cur - prev) : 0;
}

/**
 * mt_vm_calc() - a line from two samples @secs seconds apart
 * @l: filled in; NAN where a sample lacks what a column needs
 * @prev: the earlier sample
 * @cur: the later one: the gauges (swpd, free, buff, cache) are its own
 * @secs: seconds between them, > 0
 * @page_kb: KiB in a page (pswpin and pswpout count pages)
 * @stalls: reclaim stalls in the interval, NULL without the module
 */
void mt_vm_calc(struct mt_vm_line *l, const struct mt_vm_sample *prev,
		const struct mt_vm_sample *cur, double secs, long page_kb,
		const uint64_t *stalls)
{
	size_t i;

	for (i = 0; i < MT_NR_VM; i++)
		l->v[i] = NAN;
	if (cur->has_meminfo) {
		l->v[MT_VM_SWPD] = cur->swpd_kb;
		l->v[MT_VM_FREE] = cur->free_kb;
		l->v[MT_VM_BUFF] = cur->buff_kb;
		l->v[MT_VM_CACHE] = cur->cache_kb;
	}
	if (secs <= 0)
		return;
	if (prev->has_swapio && cur->has_swapio) {
		l->v[MT_VM_SI] = delta(prev->pswpin, cur->pswpin) * page_kb / secs;
		l->v[MT_VM_SO] = delta(prev->pswpout, cur->pswpout) * page_kb / secs;
	}
	if (stalls)
		l->v[MT_VM_STALLS] = *stalls / secs;
	/* PSI's totals are in us; read a moment apart from the clock */
	if (prev->has_some && cur->has_some)
		l->v[MT_VM_SOME] = fmin(100, delta(prev->some_us, cur->some_us) /
					1e4 / secs);
	if (prev->has_full && cur->has_full)
		l->v[MT_VM_FULL] = fmin(100, delta(prev->full_us, cur->full_us) /
					1e4 / secs);
}

/**
 * mt_vm_stalls() - reclaim stalls of every kind from rows @prev to @cur
 * @prev: the earlier rows, sorted by id
 * @nprev: how many
 * @cur: the later rows
 * @n: how many
 * @stalls: the direct, memcg, soft limit and agent stalls the rows of
 *	@cur counted since their rows in @prev (or since they were created)
 *
 * Return: 0, or -ENOMEM.
 */
int mt_vm_stalls(const struct mt_cgroup *prev, size_t nprev,
		 const struct mt_cgroup *cur, size_t n, uint64_t *stalls)
{
	static const int kinds[] = {
		MT_CTR_DIRECT_STALLS, MT_CTR_MEMCG_STALLS,
		MT_CTR_SOFTLIMIT_STALLS, MT_CTR_AGENT_STALLS,
	};
	uint64_t sum[MT_NR_CGROUP_COUNTERS] = { 0 };
	struct mt_cgroup *d = calloc(n + 1, sizeof(*d));
	size_t i;

	if (!d)
		return -ENOMEM;
	mt_cgroups_delta(d, prev, nprev, cur, n);
	mt_counters_add(sum, d, n);
	free(d);
	*stalls = 0;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		*stalls += sum[kinds[i]];
	return 0;
}
