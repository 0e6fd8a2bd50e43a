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

struct json_object *mt_wss_pct_json(const uint64_t *pct);
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

/* What heatmap_bin() and heatmap_render() draw */
struct heatmap_opts {
	unsigned int cols, rows;	/* cells of heatmap_bin() */
	unsigned int width, height;	/* pixels of heatmap_render() */
	uint64_t cgroup_id;	/* only regions of this cgroup; 0: all */
	uint64_t aggr_ns;	/* aggregation interval; 0: from the gaps */
	const char *title;	/* of the image; NULL: the default */
};

/* A binned map: cell[row * cols + col], row 0 the lowest addresses */
struct heatmap {
	unsigned int cols, rows;
	double *cell;		/* mean nr_accesses; -1: no region */
	double max;		/* the largest cell */
	uint64_t t0, t1;	/* CLOCK_BOOTTIME ns at the left, right edge */
	uint64_t a0, a1;	/* addresses at the bottom, top edge */
};

/* Margins of an image around the map, in pixels */
#define HEATMAP_LEFT		110	/* address labels */
#define HEATMAP_RIGHT		80	/* the colour bar */
#define HEATMAP_TOP		30	/* the title */
#define HEATMAP_BOTTOM		45	/* time labels */
#define HEATMAP_MIN_WIDTH	(HEATMAP_LEFT + HEATMAP_RIGHT + 20)
#define HEATMAP_MIN_HEIGHT	(HEATMAP_TOP + HEATMAP_BOTTOM + 20)

int heatmap_bin(const struct mt_region *v, size_t n,
		const struct heatmap_opts *o, struct heatmap *hm);
void heatmap_free(struct heatmap *hm);
void heatmap_term(FILE *f, const struct heatmap *hm);
struct json_object *heatmap_json(const struct heatmap *hm);
int heatmap_render(const struct mt_region *v, size_t n,
		   const struct heatmap_opts *o, const char *path);

#endif
