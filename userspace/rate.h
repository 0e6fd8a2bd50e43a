/* SPDX-License-Identifier: GPL-2.0 */
/* memtally reclaim: rates from two snapshots of counters, and their lines. */
#ifndef MT_RATE_H
#define MT_RATE_H

#include <stdbool.h>
#include <stdio.h>

#include "decode.h"

struct json_object;

/* The columns of memtally reclaim */
enum mt_reclaim_col {
	MT_RC_PGSCAN,
	MT_RC_PGSTEAL,
	MT_RC_VMEFF,		/* 100 * pgsteal / pgscan */
	MT_RC_DIRECT,		/* direct reclaim stalls */
	MT_RC_MEMCG,		/* memcg reclaim stalls */
	MT_RC_SLAB_MS,		/* time in slab shrinkers */
	MT_RC_THROTTLED,
	MT_RC_PGWRITEBACK,
	MT_RC_OOM_KILLS,	/* a count even over an interval */
	MT_NR_RC
};

/* A line of memtally reclaim: per second over an interval, or totals */
struct mt_reclaim {
	double v[MT_NR_RC];	/* %vmeff is NAN when nothing was scanned */
	bool rates;
};

void mt_counters_delta(uint64_t *d, const uint64_t *prev, const uint64_t *cur);
void mt_cgroups_delta(struct mt_cgroup *d, const struct mt_cgroup *prev,
		      size_t nprev, const struct mt_cgroup *cur, size_t n);
void mt_counters_add(uint64_t *sum, const struct mt_cgroup *v, size_t n);
void mt_reclaim_calc(struct mt_reclaim *r, const uint64_t *d, double secs);

void mt_reclaim_header(FILE *f, bool rates, bool path);
void mt_reclaim_print(FILE *f, const char *time, const struct mt_reclaim *r,
		      const char *path);
void mt_reclaim_json(struct json_object *o, const struct mt_reclaim *r);

#endif
