// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: the DAMON views' calculations and output, apart from their
 * commands (cmd_wss.c, cmd_hotcold.c, cmd_heatmap.c): a working set's
 * samples and percentiles, a cgroup's hot, warm and cold bytes and shares,
 * a heatmap binned from region snapshots and drawn in the terminal, as
 * JSON or with cairo.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairo.h>
#include <json.h>

#include "cli.h"
#include "damonnl.h"
#include "damonview.h"
#include "image.h"

/* ---- wss ---- */

static int sample_cmp(const void *pa, const void *pb)
{
	const struct mt_wss_sample *a = pa, *b = pb;

	return (a->time_ns > b->time_ns) - (a->time_ns < b->time_ns);
}

/**
 * mt_wss_merge() - the samples of every cgroup of @l, summed per aggregation
 * @out: room for every sample of @l
 *
 * Return: the number of samples in @out, oldest first.
 */
size_t mt_wss_merge(const struct mt_wss_list *l, struct mt_wss_sample *out)
{
	size_t i, n = 0, m = 0;

	for (i = 0; i < l->nr; i++) {
		if (l->v[i].nr)
			memcpy(&out[n], l->v[i].v, l->v[i].nr * sizeof(*out));
		n += l->v[i].nr;
	}
	qsort(out, n, sizeof(*out), sample_cmp);
	for (i = 0; i < n; i++) {
		if (m && out[m - 1].time_ns == out[i].time_ns)
			out[m - 1].bytes += out[i].bytes;
		else
			out[m++] = out[i];
	}
	return m;
}

static int u64_cmp(const void *pa, const void *pb)
{
	const uint64_t *a = pa, *b = pb;

	return (*a > *b) - (*a < *b);
}

/**
 * mt_wss_percentiles() - percentiles 0, 25, 50, 75 and 100 of @v's bytes
 *
 * As damo report wss: the sample at rank p * n / 100 of those sorted,
 * the largest for 100.  All 0 without samples.
 *
 * Return: 0 or -ENOMEM.
 */
int mt_wss_percentiles(const struct mt_wss_sample *v, size_t n,
		       uint64_t pct[MT_WSS_PERCENTILES])
{
	uint64_t *b;
	size_t i, r;

	memset(pct, 0, MT_WSS_PERCENTILES * sizeof(*pct));
	if (!n)
		return 0;
	b = malloc(n * sizeof(*b));
	if (!b)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		b[i] = v[i].bytes;
	qsort(b, n, sizeof(*b), u64_cmp);
	for (i = 0; i < MT_WSS_PERCENTILES; i++) {
		r = 25 * i * n / 100;
		pct[i] = b[r < n ? r : n - 1];
	}
	free(b);
	return 0;
}

/* The change of the working set from @a to @b, in bytes per second */
static double wss_change(const struct mt_wss_sample *a,
			 const struct mt_wss_sample *b)
{
	if (b->time_ns <= a->time_ns)
		return 0;
	return ((double)b->bytes - (double)a->bytes) * 1e9 /
	       (b->time_ns - a->time_ns);
}

/*
 * The size of a change for mt_bytes(): samples a nanosecond apart can
 * change by more than 2^64 bytes per second, which no uint64_t holds.
 */
static uint64_t change_bytes(double d)
{
	d = fabs(d);
	return d < 0x1p64 ? (uint64_t)d : UINT64_MAX;
}

#define WSS_COLS	3

/*
 * The samples, then their percentiles; @now_ns on CLOCK_BOOTTIME.  None: a
 * line that says so.  Return: 0, -ENOMEM, or -EIO if that line could not
 * be written (else the caller's flush tells a write error).
 */
int mt_wss_print(FILE *f, const struct mt_wss_sample *v, size_t n,
		 uint64_t now_ns)
{
	static const char *const head[WSS_COLS] = { "AGO", "WSS", "CHANGE/S" };
	static const bool right[WSS_COLS] = { true, true, true };
	uint64_t pct[MT_WSS_PERCENTILES];
	struct mt_tab t;
	char size[32];
	size_t i;
	double d;

	if (!n)
		return fputs("no working set samples yet (none since the binding)\n",
			     f) == EOF ? -EIO : 0;
	if (mt_wss_percentiles(v, n, pct) || mt_tab_init(&t, WSS_COLS, n, head))
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		mt_duration(mt_tab_buf(&t, i, 0), MT_TAB_CHARS,
			    now_ns > v[i].time_ns ? now_ns - v[i].time_ns : 0);
		mt_tab_bytes(&t, i, 1, v[i].bytes);
		d = i ? wss_change(&v[i - 1], &v[i]) : 0;
		mt_bytes(size, sizeof(size), change_bytes(d));
		mt_tab_num(&t, i, 2, i ? "%s%s/s" : "-", d < 0 ? "-" : "+",
			   size);
	}
	mt_tab_print(f, &t, right, "");
	fputs("\nPERCENTILE  WSS\n", f);
	for (i = 0; i < MT_WSS_PERCENTILES; i++) {
		mt_bytes(size, sizeof(size), pct[i]);
		fprintf(f, "%10zu  %s\n", 25 * i, size);
	}
	return 0;
}

/* Percentiles 0, 25, 50, 75 and 100 of a working set, as JSON */
struct json_object *mt_wss_pct_json(const uint64_t *pct)
{
	struct json_object *o = json_object_new_object();
	char key[4];
	size_t i;

	for (i = 0; i < MT_WSS_PERCENTILES; i++) {
		snprintf(key, sizeof(key), "%zu", 25 * i);
		mt_json_put_u64(o, key, pct[i]);
	}
	return o;
}

/* {"cgroup":PATH or null,"samples":[...],"percentiles":{"0":B,...}} */
struct json_object *mt_wss_json(const char *cgroup,
				const struct mt_wss_sample *v, size_t n,
				uint64_t now_ns)
{
	struct json_object *o = json_object_new_object(), *a, *s;
	uint64_t pct[MT_WSS_PERCENTILES];
	size_t i;

	if (mt_wss_percentiles(v, n, pct)) {
		json_object_put(o);
		return NULL;
	}
	json_object_object_add(o, "cgroup", cgroup ?
			       json_object_new_string(cgroup) : NULL);
	a = json_object_new_array_ext(n);
	for (i = 0; i < n; i++) {
		s = json_object_new_object();
		mt_json_put_u64(s, "time_ns", v[i].time_ns);
		mt_json_put_u64(s, "ago_ns", now_ns > v[i].time_ns ?
				now_ns - v[i].time_ns : 0);
		mt_json_put_u64(s, "bytes", v[i].bytes);
		if (i)
			json_object_object_add(s, "change_bytes_per_s",
				json_object_new_double(wss_change(&v[i - 1],
								  &v[i])));
		json_object_array_add(a, s);
	}
	json_object_object_add(o, "samples", a);
	json_object_object_add(o, "percentiles", mt_wss_pct_json(pct));
	return o;
}

/* A line of --by-cgroup */

/* ---- hotcold ---- */

static uint64_t damon_bytes(const struct mt_cgroup *cg)
{
	return cg->counters[MT_CTR_DAMON_HOT] +
	       cg->counters[MT_CTR_DAMON_WARM] +
	       cg->counters[MT_CTR_DAMON_COLD];
}

/**
 * mt_hotcold_shares() - percentages of hot, warm and cold bytes of @cg
 * @pct: receives them, 0 each when @cg has no DAMON bytes
 */
void mt_hotcold_shares(const struct mt_cgroup *cg, double pct[3])
{
	uint64_t sum = damon_bytes(cg);
	int i;

	for (i = 0; i < 3; i++)
		pct[i] = sum ? 100.0 * cg->counters[MT_CTR_DAMON_HOT + i] / sum :
			       0;
}

static int bytes_cmp(const void *pa, const void *pb)
{
	const struct mt_cgroup *a = pa, *b = pb;
	uint64_t x = damon_bytes(a), y = damon_bytes(b);

	if (x != y)
		return x < y ? 1 : -1;
	return (a->id > b->id) - (a->id < b->id);
}

/**
 * mt_hotcold_rows() - keep the rows of @v with DAMON bytes, most first,
 * and sum them into @total
 *
 * Return: the number of rows kept at the front of @v.
 */
size_t mt_hotcold_rows(struct mt_cgroup *v, size_t n, struct mt_cgroup *total)
{
	size_t i, m = 0;
	int k;

	memset(total, 0, sizeof(*total));
	total->path = "total";
	for (i = 0; i < n; i++) {
		if (!damon_bytes(&v[i]))
			continue;
		for (k = MT_CTR_DAMON_WSS; k <= MT_CTR_DAMON_COLD; k++)
			total->counters[k] += v[i].counters[k];
		v[m++] = v[i];
	}
	if (m)	/* @v may be NULL then: an empty dump */
		qsort(v, m, sizeof(*v), bytes_cmp);
	return m;
}

#define HC_COLS	7

static void row_cells(struct mt_tab *t, size_t row,
		      const struct mt_cgroup *cg)
{
	double pct[3];
	int i;

	mt_hotcold_shares(cg, pct);
	mt_tab_str(t, row, 0, cg->path ? cg->path : "?");
	for (i = 0; i < 3; i++) {
		mt_tab_bytes(t, row, 1 + i, cg->counters[MT_CTR_DAMON_HOT + i]);
		mt_tab_num(t, row, 4 + i, "%.1f%%", pct[i]);
	}
}

/* The thresholds line, then the rows @v[0..n) and @total */
int mt_hotcold_print(FILE *f, const struct mt_damon_info *info,
		     const struct mt_cgroup *v, size_t n,
		     const struct mt_cgroup *total)
{
	static const bool right[HC_COLS] = { false, true, true, true, true,
					     true, true };
	static const char *const head[HC_COLS] = { "PATH", "HOT", "WARM",
		"COLD", "HOT%", "WARM%", "COLD%" };
	struct mt_tab t;
	char aggr[32];
	size_t i;

	if (mt_tab_init(&t, HC_COLS, n + 1, head))
		return -ENOMEM;
	mt_duration(aggr, sizeof(aggr), info->b.aggr_us * 1000ull);
	fprintf(f, "hot: more than %" PRIu32 " accesses/s, cold: fewer than %"
		PRIu32 " accesses/s, aggregation interval %s\n",
		info->hot_rate, info->cold_rate, aggr);
	for (i = 0; i < n; i++)
		row_cells(&t, i, &v[i]);
	row_cells(&t, n, total);
	mt_tab_print(f, &t, right, "");
	return 0;
}

static struct json_object *row_json(const struct mt_cgroup *cg, bool id)
{
	struct json_object *o = json_object_new_object();
	static const char *const keys[] = { "hot", "warm", "cold" };
	double pct[3];
	char key[16];
	int i;

	mt_hotcold_shares(cg, pct);
	if (id) {
		json_object_object_add(o, "path", cg->path ?
				       json_object_new_string(cg->path) : NULL);
		json_object_object_add(o, "id",
				       json_object_new_uint64(cg->id));
	}
	for (i = 0; i < 3; i++) {
		json_object_object_add(o, keys[i], json_object_new_uint64(
			cg->counters[MT_CTR_DAMON_HOT + i]));
		snprintf(key, sizeof(key), "%s_pct", keys[i]);
		json_object_object_add(o, key, json_object_new_double(pct[i]));
	}
	return o;
}

/* {"hot_rate":N,"cold_rate":N,"aggr_us":N,"total":{...},"cgroups":[...]} */
struct json_object *mt_hotcold_json(const struct mt_damon_info *info,
				    const struct mt_cgroup *v, size_t n,
				    const struct mt_cgroup *total)
{
	struct json_object *o = json_object_new_object(), *a;
	size_t i;

	json_object_object_add(o, "hot_rate",
			       json_object_new_uint64(info->hot_rate));
	json_object_object_add(o, "cold_rate",
			       json_object_new_uint64(info->cold_rate));
	json_object_object_add(o, "aggr_us",
			       json_object_new_uint64(info->b.aggr_us));
	json_object_object_add(o, "total", row_json(total, false));
	a = json_object_new_array_ext(n);
	for (i = 0; i < n; i++)
		json_object_array_add(a, row_json(&v[i], true));
	json_object_object_add(o, "cgroups", a);
	return o;
}

/* config-set of the thresholds; the one not given stays.  Prints errors. */

/* ---- heatmap ---- */

/* Colours from cold to hot: black, red, yellow (xterm 256-colour codes) */
static const int term_ramp[] = { 16, 52, 88, 124, 160, 196, 202, 208, 214,
				 220, 226 };
#define TERM_RAMP	(sizeof(term_ramp) / sizeof(term_ramp[0]))
#define TERM_EMPTY	238	/* grey: no region */

static bool kept(const struct mt_region *r, const struct heatmap_opts *o)
{
	return r->end > r->start && (!o->cgroup_id ||
				     r->cgroup_id == o->cgroup_id);
}

/* The aggregation interval: given, or the least gap between snapshots */
static uint64_t aggr_ns(const struct mt_region *v, size_t n,
			const struct heatmap_opts *o)
{
	uint64_t best = 0;
	size_t i;

	if (o->aggr_ns)
		return o->aggr_ns;
	for (i = 1; i < n; i++)
		if (v[i].time_ns > v[i - 1].time_ns &&
		    (!best || v[i].time_ns - v[i - 1].time_ns < best))
			best = v[i].time_ns - v[i - 1].time_ns;
	return best ? best : 1000000000;
}

/* The extent of the kept regions in time and address.  Return: how many. */
static size_t extent(const struct mt_region *v, size_t n,
		     const struct heatmap_opts *o, struct heatmap *hm)
{
	uint64_t aggr = aggr_ns(v, n, o);
	size_t i, m = 0;

	for (i = 0; i < n; i++) {
		if (!kept(&v[i], o))
			continue;
		if (!m++) {
			hm->t0 = v[i].time_ns;
			hm->t1 = v[i].time_ns;
			hm->a0 = v[i].start;
			hm->a1 = v[i].end;
		}
		if (v[i].time_ns < hm->t0)
			hm->t0 = v[i].time_ns;
		if (v[i].time_ns > hm->t1)
			hm->t1 = v[i].time_ns;
		if (v[i].start < hm->a0)
			hm->a0 = v[i].start;
		if (v[i].end > hm->a1)
			hm->a1 = v[i].end;
	}
	/* a snapshot stands for the aggregation that ended at its time */
	hm->t0 = hm->t0 > aggr ? hm->t0 - aggr : 0;
	return m;
}

/* Spread @r over the cells it overlaps, weighted by the overlap's area. */
static void spread(const struct mt_region *r, uint64_t aggr,
		   struct heatmap *hm, double *cover)
{
	double tspan = hm->t1 - hm->t0, aspan = hm->a1 - hm->a0;
	double x0 = ((double)r->time_ns - aggr - hm->t0) * hm->cols / tspan;
	double x1 = ((double)r->time_ns - hm->t0) * hm->cols / tspan;
	double y0 = (double)(r->start - hm->a0) * hm->rows / aspan;
	double y1 = (double)(r->end - hm->a0) * hm->rows / aspan;
	unsigned int x, y;
	double w;

	if (x0 < 0)
		x0 = 0;
	for (x = x0; x < hm->cols && x < x1; x++)
		for (y = y0; y < hm->rows && y < y1; y++) {
			w = (fmin(x1, x + 1) - fmax(x0, x)) *
			    (fmin(y1, y + 1) - fmax(y0, y));
			if (w <= 0)
				continue;
			hm->cell[y * hm->cols + x] += w * r->nr_accesses;
			cover[y * hm->cols + x] += w;
		}
}

/**
 * heatmap_bin() - average the access frequency of the regions per cell
 * @hm: receives @o->cols x @o->rows cells, row 0 the lowest addresses;
 *	free with heatmap_free()
 *
 * Return: 0, -ENOENT if no region is kept, or -ENOMEM.
 */
int heatmap_bin(const struct mt_region *v, size_t n,
		const struct heatmap_opts *o, struct heatmap *hm)
{
	uint64_t aggr = aggr_ns(v, n, o);
	size_t i, cells = (size_t)o->cols * o->rows;
	double *cover;

	memset(hm, 0, sizeof(*hm));
	if (!extent(v, n, o, hm) || hm->t1 == hm->t0)
		return -ENOENT;
	hm->cols = o->cols;
	hm->rows = o->rows;
	hm->cell = calloc(cells, sizeof(*hm->cell));
	cover = calloc(cells, sizeof(*cover));
	if (!hm->cell || !cover) {
		free(cover);
		heatmap_free(hm);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		if (kept(&v[i], o))
			spread(&v[i], aggr, hm, cover);
	for (i = 0; i < cells; i++) {
		hm->cell[i] = cover[i] > 0 ? hm->cell[i] / cover[i] : -1;
		if (hm->cell[i] > hm->max)
			hm->max = hm->cell[i];
	}
	free(cover);
	return 0;
}

void heatmap_free(struct heatmap *hm)
{
	free(hm->cell);
	memset(hm, 0, sizeof(*hm));
}

/* @v scaled to the map's maximum, 0 to 1 */
static double scaled(const struct heatmap *hm, double v)
{
	return hm->max > 0 ? v / hm->max : 0;
}

static int term_colour(const struct heatmap *hm, double v)
{
	if (v < 0)
		return TERM_EMPTY;
	return term_ramp[lround(scaled(hm, v) * (TERM_RAMP - 1))];
}

/**
 * heatmap_term() - the map in ANSI 256-colour background blocks, the top
 * row the highest addresses, with the address range on the left, the
 * time below and a colour legend
 */
void heatmap_term(FILE *f, const struct heatmap *hm)
{
	char top[24], bottom[24], left[32];
	unsigned int x, y;
	int lw;
	size_t i;

	snprintf(top, sizeof(top), "0x%" PRIx64, hm->a1);
	snprintf(bottom, sizeof(bottom), "0x%" PRIx64, hm->a0);
	lw = strlen(top) > strlen(bottom) ? strlen(top) : strlen(bottom);
	for (y = hm->rows; y-- > 0;) {
		fprintf(f, "%*s ", lw, y == hm->rows - 1 ? top :
			y == 0 ? bottom : "");
		for (x = 0; x < hm->cols; x++)
			fprintf(f, "\033[48;5;%dm ",
				term_colour(hm, hm->cell[y * hm->cols + x]));
		fputs("\033[0m\n", f);
	}
	/* the time of the left edge, and 0s at the right one */
	snprintf(left, sizeof(left), "-%.1fs", (hm->t1 - hm->t0) / 1e9);
	x = strlen(left);
	fprintf(f, "%*s %s%*s\n", lw, "", left,
		(int)(hm->cols >= x + 3 ? hm->cols - x : 3), "0s");
	fprintf(f, "%*s ", lw, "");
	for (i = 0; i < TERM_RAMP; i++)
		fprintf(f, "\033[48;5;%dm ", term_ramp[i]);
	fprintf(f, "\033[0m nr_accesses 0 to %.1f, \033[48;5;%dm \033[0m no region\n",
		hm->max, TERM_EMPTY);
}

/* The binned map: {"cols","rows","time_start_ns",...,"cells":[[...]]} */
struct json_object *heatmap_json(const struct heatmap *hm)
{
	struct json_object *o = json_object_new_object(), *rows, *row;
	unsigned int x, y;
	double c;

	json_object_object_add(o, "cols", json_object_new_uint64(hm->cols));
	json_object_object_add(o, "rows", json_object_new_uint64(hm->rows));
	json_object_object_add(o, "time_start_ns",
			       json_object_new_uint64(hm->t0));
	json_object_object_add(o, "time_end_ns",
			       json_object_new_uint64(hm->t1));
	json_object_object_add(o, "addr_start", json_object_new_uint64(hm->a0));
	json_object_object_add(o, "addr_end", json_object_new_uint64(hm->a1));
	json_object_object_add(o, "max", json_object_new_double(hm->max));
	rows = json_object_new_array_ext(hm->rows);
	for (y = 0; y < hm->rows; y++) {
		row = json_object_new_array_ext(hm->cols);
		for (x = 0; x < hm->cols; x++) {
			c = hm->cell[y * hm->cols + x];
			json_object_array_add(row, c < 0 ? NULL :
					      json_object_new_double(c));
		}
		json_object_array_add(rows, row);
	}
	json_object_object_add(o, "cells", rows);
	return o;
}

/* Black, red, yellow: the terminal's ramp, continuous */
static void cairo_colour(cairo_t *cr, const struct heatmap *hm, double v)
{
	double s = scaled(hm, v);

	if (v < 0)
		cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
	else
		cairo_set_source_rgb(cr, fmin(1, 2 * s), fmax(0, 2 * s - 1), 0);
}

static void text_at(cairo_t *cr, double x, double y, double align,
		    const char *s)
{
	cairo_text_extents_t e;

	cairo_text_extents(cr, s, &e);
	cairo_move_to(cr, x - align * e.x_advance, y);
	cairo_show_text(cr, s);
}

static void draw_cells(cairo_t *cr, const struct heatmap *hm, double pw,
		       double ph)
{
	unsigned int x, y;
	double x0, x1, y0, y1;

	cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
	for (y = 0; y < hm->rows; y++)
		for (x = 0; x < hm->cols; x++) {
			x0 = round(HEATMAP_LEFT + pw * x / hm->cols);
			x1 = round(HEATMAP_LEFT + pw * (x + 1) / hm->cols);
			/* row 0 at the bottom */
			y0 = round(HEATMAP_TOP + ph * (hm->rows - y - 1) /
				   hm->rows);
			y1 = round(HEATMAP_TOP + ph * (hm->rows - y) /
				   hm->rows);
			cairo_colour(cr, hm, hm->cell[y * hm->cols + x]);
			cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
			cairo_fill(cr);
		}
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
}

#define TICKS	5

static void draw_axes(cairo_t *cr, const struct heatmap *hm, double pw,
		      double ph)
{
	double span = (hm->t1 - hm->t0) / 1e9, x, y;
	char s[48], size[32];
	int i;

	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 1);
	cairo_rectangle(cr, HEATMAP_LEFT - 0.5, HEATMAP_TOP - 0.5, pw + 1,
			ph + 1);
	cairo_stroke(cr);
	for (i = 0; i < TICKS; i++) {
		x = HEATMAP_LEFT + pw * i / (TICKS - 1);
		y = HEATMAP_TOP + ph * (TICKS - 1 - i) / (TICKS - 1);
		cairo_move_to(cr, x, HEATMAP_TOP + ph);
		cairo_line_to(cr, x, HEATMAP_TOP + ph + 4);
		cairo_move_to(cr, HEATMAP_LEFT - 4, y);
		cairo_line_to(cr, HEATMAP_LEFT, y);
		cairo_stroke(cr);
		snprintf(s, sizeof(s), "%.1f", span * (i - TICKS + 1) /
			 (TICKS - 1));
		text_at(cr, x, HEATMAP_TOP + ph + 16, 0.5, s);
		snprintf(s, sizeof(s), "0x%" PRIx64, hm->a0 + (uint64_t)
			 ((double)(hm->a1 - hm->a0) * i / (TICKS - 1)));
		text_at(cr, HEATMAP_LEFT - 6, y + 4, 1, s);
	}
	text_at(cr, HEATMAP_LEFT + pw / 2, HEATMAP_TOP + ph + 32, 0.5,
		"time (s, 0 = newest aggregation)");
	mt_bytes(size, sizeof(size), hm->a1 - hm->a0);
	snprintf(s, sizeof(s), "address (%s)", size);
	text_at(cr, 4, HEATMAP_TOP - 8, 0, s);
}

/* The colour bar on the right, with the range of nr_accesses */
static void draw_legend(cairo_t *cr, const struct heatmap *hm, double w,
			double ph)
{
	double x = w - HEATMAP_RIGHT + 14;
	cairo_pattern_t *p;
	char s[32];

	p = cairo_pattern_create_linear(0, HEATMAP_TOP + ph, 0, HEATMAP_TOP);
	cairo_pattern_add_color_stop_rgb(p, 0, 0, 0, 0);
	cairo_pattern_add_color_stop_rgb(p, 0.5, 1, 0, 0);
	cairo_pattern_add_color_stop_rgb(p, 1, 1, 1, 0);
	cairo_rectangle(cr, x, HEATMAP_TOP, 14, ph);
	cairo_set_source(cr, p);
	cairo_fill(cr);
	cairo_pattern_destroy(p);
	cairo_set_source_rgb(cr, 0, 0, 0);
	snprintf(s, sizeof(s), "%.1f", hm->max);
	text_at(cr, x + 18, HEATMAP_TOP + 9, 0, s);
	text_at(cr, x + 18, HEATMAP_TOP + ph, 0, "0");
	text_at(cr, x + 7, HEATMAP_TOP - 8, 0.5, "nr_accesses");
}

static void draw(cairo_t *cr, const struct heatmap *hm, unsigned int w,
		 unsigned int h, const char *title)
{
	double pw = w - HEATMAP_LEFT - HEATMAP_RIGHT;
	double ph = h - HEATMAP_TOP - HEATMAP_BOTTOM;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
			       CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, 10);
	draw_cells(cr, hm, pw, ph);
	draw_axes(cr, hm, pw, ph);
	draw_legend(cr, hm, w, ph);
	cairo_set_font_size(cr, 13);
	text_at(cr, w / 2.0, 18, 0.5, title);
}

/* Cells of an image: a pixel each, up to a size the eye can tell apart */
static unsigned int image_cells(unsigned int pixels, unsigned int most)
{
	return pixels < most ? pixels : most;
}

/**
 * heatmap_render() - draw the regions into a PNG or SVG file
 * @o: width and height are the image's, in pixels
 *
 * The file is replaced at once, or left as it was (mt_image_close()).
 *
 * Return: 0, -EINVAL (an image too small for the axes, or a file name
 * of neither kind), -ENOENT (no region kept), -ENOMEM, or -EIO (the
 * image could not be made or written: said).
 */
int heatmap_render(const struct mt_region *v, size_t n,
		   const struct heatmap_opts *o, const char *path)
{
	struct heatmap_opts bins = *o;
	struct mt_image im;
	struct heatmap hm;
	cairo_t *cr;
	int err;

	if (mt_image_format(path) < 0 || o->width < HEATMAP_MIN_WIDTH ||
	    o->height < HEATMAP_MIN_HEIGHT)
		return -EINVAL;
	bins.cols = image_cells(o->width - HEATMAP_LEFT - HEATMAP_RIGHT, 200);
	bins.rows = image_cells(o->height - HEATMAP_TOP - HEATMAP_BOTTOM,
				150);
	err = heatmap_bin(v, n, &bins, &hm);
	if (err)
		return err;
	err = mt_image_open(&im, path, o->width, o->height);
	if (!err) {
		cr = cairo_create(im.surface);
		draw(cr, &hm, o->width, o->height, o->title ? o->title :
		     "DAMON access frequency");
		err = mt_image_close(&im, cr);
	}
	heatmap_free(&hm);
	return err;
}

/* The terminal's size less the legend, else 80x20 */
