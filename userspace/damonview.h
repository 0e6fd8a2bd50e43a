/* SPDX-License-Identifier: GPL-2.0 */
/* memtally: what wss, hotcold and heatmap compute and print, for the tests. */
#ifndef MT_DAMONVIEW_H
#define MT_DAMONVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "damonnl.h"
#include "decode.h"

struct json_object;

/* Percentiles 0, 25, 50, 75 and 100 */
#define MT_WSS_PERCENTILES	5

size_t mt_wss_merge(const struct mt_wss_list *l, struct mt_wss_sample *out);
int mt_wss_percentiles(const struct mt_wss_sample *v, size_t n,
		       uint64_t pct[MT_WSS_PERCENTILES]);
int mt_wss_print(FILE *f, const struct mt_wss_sample *v, size_t n,
		 uint64_t now_ns);
struct json_object *mt_wss_json(const char *cgroup,
				const struct mt_wss_sample *v, size_t n,
				uint64_t now_ns);

void mt_hotcold_shares(const struct mt_cgroup *cg, double pct[3]);
size_t mt_hotcold_rows(struct mt_cgroup *v, size_t n, struct mt_cgroup *total);
int mt_hotcold_print(FILE *f, const struct mt_damon_info *info,
		     const struct mt_cgroup *v, size_t n,
		     const struct mt_cgroup *total);
struct json_object *mt_hotcold_json(const struct mt_damon_info *info,
				    const struct mt_cgroup *v, size_t n,
				    const struct mt_cgroup *total);

#endif
