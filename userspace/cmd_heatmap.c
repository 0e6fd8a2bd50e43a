// SPDX-License-Identifier: GPL-2.0
/*
 * memtally heatmap: DAMON's region snapshots as a time x address map of
 * access frequency, in the terminal (ANSI 256 colours) or as PNG or SVG
 * (cairo).  Binning and drawing are pure functions of the regions, for
 * the tests.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <cairo.h>
#include <json.h>

#include "cli.h"
#include "cmds.h"
#include "damonnl.h"
#include "damonview.h"
#include "image.h"
#include "ksm.h"
#include "nl.h"

static const char heatmap_usage[] =
"Usage: memtally heatmap [-o FILE.png|FILE.svg] [-W W] [-H H] [-c PATH] [-j]\n"
"\n"
"Draw the region snapshots the bound DAMON context left in the module's\n"
"ring as a heatmap: time from left (oldest) to right (the newest\n"
"aggregation), addresses from bottom to top, and the colour the access\n"
"frequency, DAMON's nr_accesses (sampling intervals of an aggregation\n"
"that saw an access) averaged over each cell, from black (none) through\n"
"red to yellow (the map's maximum).  Grey: no region.  Without --output,\n"
"in the terminal, W columns by H rows (the terminal's size, else 80x20).\n"
"\n"
"Options:\n"
"  -o, --output FILE  write a PNG or SVG image (by FILE's extension) of W\n"
"                     by H pixels (default 800x600) with axes and a legend;\n"
"                     FILE is replaced at once, or left on a failure\n"
"  -W, --width W      columns or pixels\n"
"  -H, --height H     rows or pixels\n"
"  -c, --cgroup PATH  only regions that cgroup PATH owns most of\n"
"  -j, --json         print the binned map as one JSON object\n"
"  -h, --help         show this help\n";

#define HEATMAP_MAX_PIXELS	16384	/* a side of an image */

/* Colours from cold to hot: black, red, yellow (xterm 256-colour codes) */
static const int term_ramp[] = { 16, 52, 88, 124, 160, 196, 202, 208, 214,
				 220, 226 };
#define TERM_RAMP	(sizeof(term_ramp) / sizeof(term_ramp[0]))
#define TERM_EMPTY	238	/* grey: no region */

static int dim_parse(const char *opt, const char *s, unsigned int *v)
{
	uint64_t u;

	if (mt_num_arg("heatmap", opt, s, 1, HEATMAP_MAX_PIXELS, &u))
		return MT_EXIT_USAGE;
	*v = u;
	return 0;
}

/* Return: 0, or MT_EXIT_USAGE after reporting the error. */
int heatmap_parse(int argc, char **argv, struct heatmap_cli_opts *o)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "width",  required_argument, NULL, 'W' },
		{ "height", required_argument, NULL, 'H' },
		{ "cgroup", required_argument, NULL, 'c' },
		{ "json",   no_argument,       NULL, 'j' },
		{ "help",   no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;	/* glibc: rescan from argv[1], forgetting earlier calls */
	while ((c = getopt_long(argc, argv, ":o:W:H:c:jh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'o':
			o->output = optarg;
			if (mt_image_format(optarg) < 0)
				return mt_usage_err("heatmap: --output names a .png or .svg file, not '%s'",
						    optarg);
			break;
		case 'W':
			if (dim_parse("--width", optarg, &o->width))
				return MT_EXIT_USAGE;
			break;
		case 'H':
			if (dim_parse("--height", optarg, &o->height))
				return MT_EXIT_USAGE;
			break;
		case 'c':
			o->cgroup = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			o->help = true;
			break;
		default:
			return mt_getopt_err("heatmap", c, argv);
		}
	}
	if (optind < argc)
		return mt_usage_err("heatmap: unexpected argument '%s'",
				    argv[optind]);
	if (o->cgroup && o->cgroup[0] != '/')
		return mt_usage_err("heatmap: a cgroup path starts with / (the cgroup2 mount)");
	if (o->output && o->json)
		return mt_usage_err("heatmap: --output and --json exclude each other");
	return 0;
}

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
static void term_size(unsigned int *cols, unsigned int *rows)
{
	struct winsize ws;

	*cols = 80;
	*rows = 20;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) || ws.ws_col < 40 ||
	    ws.ws_row < 8)
		return;
	*cols = ws.ws_col - 20;		/* the address labels */
	*rows = ws.ws_row - 4;		/* the time and the legend */
}

/* Prints the error.  Return: 0 or -1. */
static int heatmap_show(const struct heatmap_cli_opts *c,
			struct heatmap_opts *o, const struct mt_regions *l)
{
	struct heatmap hm;
	int err;

	if (c->output) {
		o->width = c->width ? c->width : 800;
		o->height = c->height ? c->height : 600;
		o->title = c->cgroup;
		err = heatmap_render(l->v, l->nr, o, c->output);
	} else {
		term_size(&o->cols, &o->rows);
		if (c->width)
			o->cols = c->width;
		if (c->height)
			o->rows = c->height;
		err = heatmap_bin(l->v, l->nr, o, &hm);
		if (!err && c->json)
			err = mt_json_print(stdout, heatmap_json(&hm));
		else if (!err)
			heatmap_term(stdout, &hm);
		heatmap_free(&hm);
	}
	if (err == -ENOENT)
		mt_err("no region snapshots%s%s in the ring yet",
		       c->cgroup ? " of " : "", c->cgroup ? c->cgroup : "");
	else if (err == -EINVAL)
		mt_err("%s: an image needs at least %dx%d pixels", c->output,
		       HEATMAP_MIN_WIDTH, HEATMAP_MIN_HEIGHT);
	else if (err && err != -EIO)	/* -EIO: said */
		mt_err("out of memory");
	return err ? -1 : 0;
}

int cmd_heatmap(int argc, char **argv, bool json)
{
	struct heatmap_cli_opts c = { .json = json };
	struct mt_regions l = { 0 };
	struct heatmap_opts o = { 0 };
	struct mt_damon_info info;
	char root[PATH_MAX];
	struct mt_nl nl;
	int err;

	if (heatmap_parse(argc, argv, &c))
		return MT_EXIT_USAGE;
	if (c.help) {
		fputs(heatmap_usage, stdout);
		return MT_EXIT_OK;
	}
	if (c.cgroup && (mt_cli_cgroot(root, sizeof(root)) ||
			 mt_cli_cgroup_id(root, c.cgroup, &o.cgroup_id)))
		return MT_EXIT_RUNTIME;
	if (mt_nl_open(&nl))
		return MT_EXIT_RUNTIME;
	/* the ring outlives an unbinding: read it whether bound or not */
	err = mt_cli_damon(&nl, &info, false);
	if (!err) {
		o.aggr_ns = info.b.aggr_us * 1000ull;
		err = mt_nl_damon_regions(&nl, &l);
		if (err)
			mt_nl_report(&nl, "reading the region snapshots", err);
		else if (!l.nr && !info.b.bound)
			err = mt_cli_unbound();
		else
			err = heatmap_show(&c, &o, &l);
		mt_damon_info_free(&info);
	}
	mt_regions_free(&l);
	mt_nl_close(&nl);
	return err ? MT_EXIT_RUNTIME : MT_EXIT_OK;
}
