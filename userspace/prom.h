/* SPDX-License-Identifier: GPL-2.0 */
/* memtally: decoded replies as Prometheus text (the exposition format). */
#ifndef MT_PROM_H
#define MT_PROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "decode.h"

struct mt_damon_info;
struct mt_ksm_sys;
struct mt_psi;

/* What memtally export writes; NULL or 0 leaves a part out. */
struct mt_prom {
	const struct mt_status *st;	/* NULL: the module is not loaded */
	const struct mt_cgroup *cgroups;	/* rows without a path are left out */
	size_t nr_cgroups;
	const struct mt_cgroup *nodes;	/* id is the node */
	size_t nr_nodes;
	const struct mt_ksm *ksm;	/* the module's ksm-get reply */
	const struct mt_ksm_sys *ksm_sys;	/* /sys/kernel/mm/ksm */
	long page_size;			/* for the KSM savings */
	const struct mt_damon_info *damon;	/* damon-get */
	const struct mt_psi *psi;	/* /proc/pressure/memory */
	const char *error;		/* with st NULL: why, or NULL */
	bool all;			/* cgroups' zero counters too */
};

void mt_prom_write(FILE *f, const struct mt_prom *p);
bool mt_prom_row_active(const struct mt_cgroup *cg);
void mt_prom_escape(FILE *f, const char *s, bool quote);
void mt_prom_name(char *buf, size_t len, const char *prefix,
		  const struct mt_counter_col *col, uint64_t *scale);

#endif
