/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What smem makes of a snapshot, every view: by process (read), user,
 * cgroup, mapping and the system's parts.  For fuzz_smaps and fuzz_smem_from.
 */
#ifndef MT_FUZZ_SMEM_VIEWS_H
#define MT_FUZZ_SMEM_VIEWS_H

#include "smemcalc.h"
#include "snapfile.h"

static inline void fuzz_smem_views(struct mt_snap *s)
{
	struct mt_smem_row *v;
	struct mt_smem_sys sys;
	struct mt_smem m;
	size_t n;

	if (mt_smem_read(s, &m))
		return;
	if (!mt_smem_group(&m, MT_SMEM_BY_USER, &v, &n))
		mt_smem_rows_free(v, n);
	if (!mt_smem_group(&m, MT_SMEM_BY_CGROUP, &v, &n))
		mt_smem_rows_free(v, n);
	if (!mt_smem_maps(s, &m, &v, &n))
		mt_smem_rows_free(v, n);
	mt_smem_system(s, &m, &sys);
	mt_smem_free(&m);
}

#endif
