/* SPDX-License-Identifier: GPL-2.0 */
/* memtally: everything the module tells, read at once (export, snapshot). */
#ifndef MT_SOURCES_H
#define MT_SOURCES_H

#include <limits.h>

#include "cgpath.h"
#include "cli.h"
#include "cmds.h"
#include "damonnl.h"
#include "ksm.h"
#include "nl.h"
#include "procfiles.h"
#include "prom.h"

/* What export and snapshot read; each part may be missing (see mt_prom) */
struct mt_sources {
	struct mt_status st;
	struct mt_rows cgroups, nodes;	/* cgroups sorted by path */
	struct mt_cgmap map;	/* the paths of the cgroups */
	struct mt_ksm ksm;
	struct mt_ksm_sys ksm_sys;
	struct mt_damon_info damon;
	struct mt_psi psi;
	char below[PATH_MAX];	/* mt_sources_read()'s below, resolved */
	struct mt_prom p;	/* what was read: NULL or 0 if not */
};

int mt_sources_read(struct mt_sources *s, const char *below,
		    bool (*want)(const struct mt_cgroup *));
int mt_sources_load(struct mt_sources *s, struct mt_nl *nl, const char *below,
		    bool (*want)(const struct mt_cgroup *));
int mt_export_write(const struct export_opts *o, struct mt_sources *s,
		    int err);
void mt_sources_free(struct mt_sources *s);

#endif
