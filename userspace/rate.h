/* SPDX-License-Identifier: GPL-2.0 */
/* memtally reclaim: the module's columns, from two snapshots of counters */
#ifndef MT_RATE_H
#define MT_RATE_H

#include "cols.h"
#include "decode.h"
#include "sarb.h"

/* The module's columns of memtally reclaim: --all (from DIRECT), --by-cgroup */
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

extern const struct mt_col mt_reclaim_cols[MT_NR_RC];

void mt_counters_delta(uint64_t *d, const uint64_t *prev, const uint64_t *cur);
void mt_cgroups_delta(struct mt_cgroup *d, const struct mt_cgroup *prev,
		      size_t nprev, const struct mt_cgroup *cur, size_t n);
void mt_counters_add(uint64_t *sum, const struct mt_cgroup *v, size_t n);
void mt_reclaim_calc(double *v, const uint64_t *d, double secs);

/* A line of memtally reclaim but --by-cgroup: sar's columns, then the
 * module's from direct/s (--all) */
#define MT_RECLAIM_LINE_MAX	(MT_NR_SB + MT_NR_RC - MT_RC_DIRECT)

size_t mt_reclaim_line_cols(struct mt_col *c, bool all);
void mt_reclaim_line(double *v, const struct mt_sarb_sample *prev,
		     const struct mt_sarb_sample *cur, double secs,
		     bool all, const uint64_t *d);

#endif
