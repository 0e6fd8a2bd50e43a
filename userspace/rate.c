// SPDX-License-Identifier: GPL-2.0
/*
 * memtally reclaim: what the module's counters did between two snapshots,
 * per second (the columns of --all and --by-cgroup; sarb.c has sar's).  A
 * counter that went backwards (its cgroup was recreated) did nothing.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rate.h"

/* The counter each column comes from, and its unit's scale */
static const struct {
	int ctr;		/* enum mt_counter; -1 for %vmeff */
	double scale;
	bool rate;		/* per second; else a count over the interval */
} from[MT_NR_RC] = {
	[MT_RC_PGSCAN]		= { MT_CTR_PGSCAN, 1, true },
	[MT_RC_PGSTEAL]		= { MT_CTR_PGSTEAL, 1, true },
	[MT_RC_VMEFF]		= { -1, 1, false },
	[MT_RC_DIRECT]		= { MT_CTR_DIRECT_STALLS, 1, true },
	[MT_RC_MEMCG]		= { MT_CTR_MEMCG_STALLS, 1, true },
	[MT_RC_SLAB_MS]		= { MT_CTR_SLAB_SHRINK_NS, 1e-6, true },
	[MT_RC_THROTTLED]	= { MT_CTR_THROTTLED, 1, true },
	[MT_RC_PGWRITEBACK]	= { MT_CTR_PGWRITEBACK, 1, true },
	[MT_RC_OOM_KILLS]	= { MT_CTR_OOM_KILLS, 1, false },
};

/* The columns */
const struct mt_col mt_reclaim_cols[MT_NR_RC] = {
	[MT_RC_PGSCAN]		= { "pgscan/s", "pgscan_per_s", 2 },
	[MT_RC_PGSTEAL]		= { "pgsteal/s", "pgsteal_per_s", 2 },
	[MT_RC_VMEFF]		= { "%vmeff", "vmeff_pct", 2 },
	[MT_RC_DIRECT]		= { "direct/s", "direct_stalls_per_s", 2 },
	[MT_RC_MEMCG]		= { "memcg/s", "memcg_stalls_per_s", 2 },
	[MT_RC_SLAB_MS]		= { "slab-ms/s", "slab_ms_per_s", 2 },
	[MT_RC_THROTTLED]	= { "throttled/s", "throttled_per_s", 2 },
	[MT_RC_PGWRITEBACK]	= { "pgwriteback/s", "pgwriteback_per_s", 2 },
	[MT_RC_OOM_KILLS]	= { "oom-kills", "oom_kills", 0 },
};

/* @d = @cur - @prev, counter by counter; one that went backwards is 0 */
void mt_counters_delta(uint64_t *d, const uint64_t *prev, const uint64_t *cur)
{
	size_t i;

	for (i = 0; i < MT_NR_CGROUP_COUNTERS; i++)
		d[i] = cur[i] > prev[i] ? cur[i] - prev[i] : 0;
}

static int id_cmp(const void *a, const void *b)
{
	const struct mt_cgroup *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/*
 * @d[i], with the id and path of @cur[i]: what @cur[i] counted since the
 * row of its id in @prev (sorted by id), or since it was created if @prev
 * has none.
 */
void mt_cgroups_delta(struct mt_cgroup *d, const struct mt_cgroup *prev,
		      size_t nprev, const struct mt_cgroup *cur, size_t n)
{
	static const uint64_t zero[MT_NR_CGROUP_COUNTERS];
	const struct mt_cgroup *p;
	size_t i;

	for (i = 0; i < n; i++) {
		p = nprev ? bsearch(&cur[i], prev, nprev, sizeof(*prev),
				    id_cmp) : NULL;
		memset(&d[i], 0, sizeof(d[i]));
		d[i].id = cur[i].id;
		d[i].path = cur[i].path;
		mt_counters_delta(d[i].counters, p ? p->counters : zero,
				  cur[i].counters);
	}
}

/* @sum += the counters of the rows @v */
void mt_counters_add(uint64_t *sum, const struct mt_cgroup *v, size_t n)
{
	size_t i, c;

	for (i = 0; i < n; i++)
		for (c = 0; c < MT_NR_CGROUP_COUNTERS; c++)
			sum[c] += v[i].counters[c];
}

/**
 * mt_reclaim_calc() - the module's columns over an interval
 * @v: MT_NR_RC values; %vmeff NAN when nothing was scanned
 * @d: the counters' deltas over the interval
 * @secs: its length, > 0
 */
void mt_reclaim_calc(double *v, const uint64_t *d, double secs)
{
	size_t i;

	for (i = 0; i < MT_NR_RC; i++) {
		if (from[i].ctr < 0)
			continue;
		v[i] = d[from[i].ctr] * from[i].scale;
		if (from[i].rate)
			v[i] /= secs;
	}
	v[MT_RC_VMEFF] = d[MT_CTR_PGSCAN] ?
		100.0 * d[MT_CTR_PGSTEAL] / d[MT_CTR_PGSCAN] : NAN;
}

/**
 * mt_reclaim_line_cols() - the columns of a line (not --by-cgroup)
 * @c: MT_RECLAIM_LINE_MAX columns, filled in
 * @all: the module's after sar's
 *
 * Return: how many.
 */
size_t mt_reclaim_line_cols(struct mt_col *c, bool all)
{
	size_t n = MT_NR_RC - MT_RC_DIRECT;

	memcpy(c, mt_sarb_cols, sizeof(mt_sarb_cols));
	if (!all)
		return MT_NR_SB;
	memcpy(&c[MT_NR_SB], &mt_reclaim_cols[MT_RC_DIRECT], n * sizeof(*c));
	return MT_NR_SB + n;
}

/**
 * mt_reclaim_line() - the values of a line (not --by-cgroup)
 * @v: MT_RECLAIM_LINE_MAX values, as mt_reclaim_line_cols() orders them
 * @prev: /proc/vmstat's or memory.stat's counters at the interval's start
 * @cur: at its end
 * @secs: its length, > 0
 * @all: the module's columns too
 * @d: what the module's counters did in the interval (the rows' sum), or
 *	NULL without the module: its columns are NAN
 */
void mt_reclaim_line(double *v, const struct mt_sarb_sample *prev,
		     const struct mt_sarb_sample *cur, double secs,
		     bool all, const uint64_t *d)
{
	double rc[MT_NR_RC];
	size_t i;

	mt_sarb_calc(v, prev, cur, secs);
	if (!all)
		return;
	for (i = MT_RC_DIRECT; i < MT_NR_RC; i++)
		rc[i] = NAN;
	if (d)
		mt_reclaim_calc(rc, d, secs);
	memcpy(&v[MT_NR_SB], &rc[MT_RC_DIRECT],
	       (MT_NR_RC - MT_RC_DIRECT) * sizeof(*v));
}
