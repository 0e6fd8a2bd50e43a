// SPDX-License-Identifier: GPL-2.0
/*
 * memtally reclaim: what the counters did between two snapshots, per
 * second (or since the module loaded, from an empty snapshot), in sar -B
 * style lines: fixed-width columns, so that lines of intervals align.
 * A counter that went backwards (its cgroup was recreated) did nothing.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <json.h>

#include "rate.h"

#define COL_WIDTH	9	/* at least */

static const struct reclaim_col {
	int ctr;		/* enum mt_counter; -1 for %vmeff */
	double scale;		/* from the counter's unit */
	bool rate;		/* per second over an interval */
	const char *head;	/* column header; "/s" follows for a rate */
	const char *json;	/* JSON key; "_per_s" follows for a rate */
} cols[] = {
	[MT_RC_PGSCAN]		= { MT_CTR_PGSCAN, 1, true,
				    "pgscan", "pgscan" },
	[MT_RC_PGSTEAL]		= { MT_CTR_PGSTEAL, 1, true,
				    "pgsteal", "pgsteal" },
	[MT_RC_VMEFF]		= { -1, 1, false, "%vmeff", "vmeff_pct" },
	[MT_RC_DIRECT]		= { MT_CTR_DIRECT_STALLS, 1, true,
				    "direct", "direct_stalls" },
	[MT_RC_MEMCG]		= { MT_CTR_MEMCG_STALLS, 1, true,
				    "memcg", "memcg_stalls" },
	[MT_RC_SLAB_MS]		= { MT_CTR_SLAB_SHRINK_NS, 1e-6, true,
				    "slab-ms", "slab_ms" },
	[MT_RC_THROTTLED]	= { MT_CTR_THROTTLED, 1, true,
				    "throttled", "throttled" },
	[MT_RC_PGWRITEBACK]	= { MT_CTR_PGWRITEBACK, 1, true,
				    "pgwriteback", "pgwriteback" },
	[MT_RC_OOM_KILLS]	= { MT_CTR_OOM_KILLS, 1, false,
				    "oom-kills", "oom_kills" },
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

/* The line of counter deltas @d over @secs seconds; 0 for totals */
void mt_reclaim_calc(struct mt_reclaim *r, const uint64_t *d, double secs)
{
	size_t i;

	r->rates = secs > 0;
	for (i = 0; i < MT_NR_RC; i++) {
		if (cols[i].ctr < 0)
			continue;
		r->v[i] = d[cols[i].ctr] * cols[i].scale;
		if (r->rates && cols[i].rate)
			r->v[i] /= secs;
	}
	r->v[MT_RC_VMEFF] = d[MT_CTR_PGSCAN] ?
		100.0 * d[MT_CTR_PGSTEAL] / d[MT_CTR_PGSCAN] : NAN;
}

static bool per_s(size_t i, bool rates)
{
	return rates && cols[i].rate;
}

/* Return: the width of column @i */
static int head(char *buf, size_t len, size_t i, bool rates)
{
	int n = snprintf(buf, len, "%s%s", cols[i].head,
			 per_s(i, rates) ? "/s" : "");

	return n > COL_WIDTH ? n : COL_WIDTH;
}

/* Two decimals for rates and %vmeff, none for counts */
static void cell(char *buf, size_t len, const struct mt_reclaim *r, size_t i)
{
	if (isnan(r->v[i]))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, i == MT_RC_VMEFF || per_s(i, r->rates) ?
			 "%.2f" : "%.0f", r->v[i]);
}

/* The header line; PATH last with @path */
void mt_reclaim_header(FILE *f, bool rates, bool path)
{
	char buf[32];
	size_t i;
	int w;

	fputs("TIME    ", f);
	for (i = 0; i < MT_NR_RC; i++) {
		w = head(buf, sizeof(buf), i, rates);
		fprintf(f, "  %*s", w, buf);
	}
	fputs(path ? "  PATH\n" : "\n", f);
}

/* A line at @time (HH:MM:SS); @path, if not NULL, last */
void mt_reclaim_print(FILE *f, const char *time, const struct mt_reclaim *r,
		      const char *path)
{
	char buf[32], num[32];
	size_t i;
	int w;

	fprintf(f, "%-8s", time);
	for (i = 0; i < MT_NR_RC; i++) {
		w = head(buf, sizeof(buf), i, r->rates);
		cell(num, sizeof(num), r, i);
		fprintf(f, "  %*s", w, num);
	}
	if (path)
		fprintf(f, "  %s", path);
	fputc('\n', f);
}

/* Adds to @o the numbers of a line, as printed; "-" is null. */
void mt_reclaim_json(struct json_object *o, const struct mt_reclaim *r)
{
	char key[32], num[32];
	size_t i;

	for (i = 0; i < MT_NR_RC; i++) {
		snprintf(key, sizeof(key), "%s%s", cols[i].json,
			 per_s(i, r->rates) ? "_per_s" : "");
		cell(num, sizeof(num), r, i);
		json_object_object_add(o, key, isnan(r->v[i]) ? NULL :
				       json_object_new_double_s(r->v[i], num));
	}
}
