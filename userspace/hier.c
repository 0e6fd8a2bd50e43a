// SPDX-License-Identifier: GPL-2.0
/*
 * Hierarchical counts, like memory.events against memory.events.local: a
 * cgroup's own counts, plus its removed descendants' (which the module
 * keeps in removed-descendants), plus its live children's hierarchical
 * counts.  They never decrease while the cgroup lives.
 */
#include <errno.h>
#include <stdlib.h>

#include "format.h"

static int id_cmp(const void *a, const void *b, void *arg)
{
	const struct mt_cgroup *v = arg;
	uint64_t x = v[*(const size_t *)a].id, y = v[*(const size_t *)b].id;

	return x < y ? 1 : x > y ? -1 : 0;	/* descending */
}

static int id_find(const void *key, const void *elem, void *arg)
{
	const struct mt_cgroup *v = arg;
	uint64_t x = *(const uint64_t *)key, y = v[*(const size_t *)elem].id;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* bsearch() with an argument, over @idx sorted by descending id */
static const size_t *idx_find(uint64_t id, const size_t *idx, size_t n,
			      const struct mt_cgroup *v)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = id_find(&id, &idx[mid], (void *)v);

		if (!c)
			return &idx[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static void sums_add(struct mt_sums *dst, const uint64_t *counters,
		     const uint64_t (*hist)[MEMTALLY_HIST_BUCKETS])
{
	size_t i, k;

	for (i = 0; i < MT_NR_CGROUP_COUNTERS; i++)
		dst->counters[i] += counters[i];
	for (k = 0; k < MT_NR_STALL_KINDS; k++)
		for (i = 0; i < MEMTALLY_HIST_BUCKETS; i++)
			dst->hist[k][i] += hist[k][i];
}

/**
 * mt_cgroups_recursive() - the hierarchical counts of every row
 * @v: the rows of a whole dump (live cgroups; tombstones are left out:
 *	their counts are in their parents' removed-descendants already)
 * @n: rows
 *
 * Sets each live row's rec to its hierarchical counts.  A child's id is
 * above its parent's, so adding each row to its parent in descending id
 * order sums every subtree once.
 *
 * Return: the array rec points into (free() it after the rows), or NULL
 * for out of memory (then no rec is set).
 */
struct mt_sums *mt_cgroups_recursive(struct mt_cgroup *v, size_t n)
{
	struct mt_sums *rec = calloc(n ? n : 1, sizeof(*rec));
	size_t *idx = malloc((n ? n : 1) * sizeof(*idx));
	size_t i, m = 0;

	if (!rec || !idx) {
		free(rec);
		free(idx);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (v[i].removed_ns)
			continue;
		sums_add(&rec[i], v[i].counters,
			 (const uint64_t (*)[MEMTALLY_HIST_BUCKETS])v[i].hist);
		if (v[i].has_gone)
			sums_add(&rec[i], v[i].gone.counters,
				 (const uint64_t (*)[MEMTALLY_HIST_BUCKETS])v[i].gone.hist);
		idx[m++] = i;
	}
	qsort_r(idx, m, sizeof(*idx), id_cmp, v);
	for (i = 0; i < m; i++) {
		const size_t *p = v[idx[i]].parent_id ?
			idx_find(v[idx[i]].parent_id, idx, m, v) : NULL;

		if (p)
			sums_add(&rec[*p], rec[idx[i]].counters,
				 (const uint64_t (*)[MEMTALLY_HIST_BUCKETS])rec[idx[i]].hist);
	}
	for (i = 0; i < m; i++)
		v[idx[i]].rec = &rec[idx[i]];
	free(idx);
	return rec;
}
