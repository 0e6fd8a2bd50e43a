// SPDX-License-Identifier: GPL-2.0
/*
 * STUB: drop at merge.  The real DAMON netlink calls come from another
 * branch; these only let memtally damon link and be tested meanwhile.
 */
#include <errno.h>
#include <stdlib.h>

#include "damonnl.h"
#include "nl.h"

int mt_nl_damon_bind(struct mt_nl *nl, const struct mt_damon_binding *b)
{
	(void)nl;
	(void)b;
	return -EOPNOTSUPP;
}

int mt_nl_damon_unbind(struct mt_nl *nl)
{
	(void)nl;
	return -EOPNOTSUPP;
}

int mt_nl_damon_get(struct mt_nl *nl, struct mt_damon_info *info)
{
	(void)nl;
	(void)info;
	return -EOPNOTSUPP;
}

int mt_nl_damon_thresholds(struct mt_nl *nl, uint32_t hot_rate,
			   uint32_t cold_rate)
{
	(void)nl;
	(void)hot_rate;
	(void)cold_rate;
	return -EOPNOTSUPP;
}

int mt_nl_damon_wss(struct mt_nl *nl, const uint64_t *id,
		    struct mt_wss_list *l)
{
	(void)nl;
	(void)id;
	(void)l;
	return -EOPNOTSUPP;
}

int mt_nl_damon_regions(struct mt_nl *nl, struct mt_regions *l)
{
	(void)nl;
	(void)l;
	return -EOPNOTSUPP;
}

void mt_damon_info_free(struct mt_damon_info *info)
{
	free(info->b.target_pids);
	info->b.target_pids = NULL;
}

void mt_wss_list_free(struct mt_wss_list *l)
{
	(void)l;
}

void mt_regions_free(struct mt_regions *l)
{
	(void)l;
}
