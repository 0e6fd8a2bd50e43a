// SPDX-License-Identifier: GPL-2.0
/*
 * memtally smem --chart: a pie or a bar chart of labelled sizes, drawn
 * with cairo into a PNG or an SVG file (the format from the file's name).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cairo.h>

#include "image.h"
#include "ksm.h"
#include "format.h"
#include "smemchart.h"

/* A colour per slice or bar, from a qualitative palette */
static void colour(cairo_t *cr, size_t i, const char *label)
{
	static const double pal[][3] = {
		{ 0.12, 0.47, 0.71 }, { 1.00, 0.50, 0.05 },
		{ 0.17, 0.63, 0.17 }, { 0.84, 0.15, 0.16 },
		{ 0.58, 0.40, 0.74 }, { 0.55, 0.34, 0.29 },
		{ 0.89, 0.47, 0.76 }, { 0.50, 0.50, 0.50 },
		{ 0.74, 0.74, 0.13 }, { 0.09, 0.75, 0.81 },
	};
	const double *c = pal[i % (sizeof(pal) / sizeof(pal[0]))];

	/* the rest summed: a light grey, unlike any row */
	if (!strcmp(label, "other"))
		cairo_set_source_rgb(cr, 0.80, 0.80, 0.80);
	else
		cairo_set_source_rgb(cr, c[0], c[1], c[2]);
}

/* "12.3 MB (45.6 %)" */
static void size_text(char *buf, size_t len, uint64_t v, uint64_t total)
{
	char size[32];

	mt_bytes(size, sizeof(size), v);
	snprintf(buf, len, "%s (%.1f %%)", size, total ? 100.0 * v / total : 0);
}

static void draw_pie(cairo_t *cr, const char *const *labels,
		     const uint64_t *v, size_t n, uint64_t total,
		     double w, double h)
{
	double r = fmin(w * 0.45, h - 60) / 2 - 10, cx = 20 + r, cy = 40 + r;
	double a = -M_PI / 2, x = 2 * r + 70, sw = 0, lw = 0, y;
	cairo_text_extents_t ext;
	char text[64];
	size_t i;

	/* the legend: labels (cut to leave room) then sizes, in columns */
	for (i = 0; i < n; i++) {
		cairo_text_extents(cr, labels[i], &ext);
		lw = fmax(lw, ext.x_advance);
		size_text(text, sizeof(text), v[i], total);
		cairo_text_extents(cr, text, &ext);
		sw = fmax(sw, ext.x_advance);
	}
	lw = fmax(fmin(lw, w - x - sw - 20), 20);
	for (i = 0; i < n; i++) {
		double da = total ? 2 * M_PI * v[i] / total : 0;

		colour(cr, i, labels[i]);
		cairo_move_to(cr, cx, cy);
		cairo_arc(cr, cx, cy, r, a, a + da);
		cairo_close_path(cr);
		cairo_fill(cr);
		a += da;
		cairo_rectangle(cr, 2 * r + 50, 50 + 20 * i, 12, 12);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		y = 61 + 20 * i;
		size_text(text, sizeof(text), v[i], total);
		cairo_move_to(cr, x + lw + 10, y);
		cairo_show_text(cr, text);
		cairo_save(cr);
		cairo_rectangle(cr, x, 0, lw, h);
		cairo_clip(cr);
		cairo_move_to(cr, x, y);
		cairo_show_text(cr, labels[i]);
		cairo_restore(cr);
	}
}


/*
 * Horizontal bars: the labels left of them (cut if wider than 40 % of the
 * chart), each bar's size and share right of its end
 */
static void draw_bars(cairo_t *cr, const char *const *labels,
		      const uint64_t *v, size_t n, uint64_t total,
		      double w, double h)
{
	double top = 40, bar = n ? fmin(28, (h - top - 20) / n) : 0;
	double left = 0, sw = 0, len, y;
	cairo_text_extents_t ext;
	uint64_t max = 0;
	char text[64];
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i] > max)
			max = v[i];
		cairo_text_extents(cr, labels[i], &ext);
		left = fmax(left, ext.x_advance);
		size_text(text, sizeof(text), v[i], total);
		cairo_text_extents(cr, text, &ext);
		sw = fmax(sw, ext.x_advance);
	}
	left = fmin(left + 20, w * 0.4);
	/* the longest bar leaves room for its size */
	len = fmax(w - left - sw - 30, 10);
	for (i = 0; i < n; i++) {
		double bl = max ? len * v[i] / max : 0;

		y = top + bar * i + bar / 2 + 4;
		colour(cr, i, labels[i]);
		cairo_rectangle(cr, left, top + bar * i + 2, bl, bar - 4);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		size_text(text, sizeof(text), v[i], total);
		cairo_move_to(cr, left + bl + 6, y);
		cairo_show_text(cr, text);
		/* a label too long is cut at the bars */
		cairo_save(cr);
		cairo_rectangle(cr, 0, 0, left - 8, h);
		cairo_clip(cr);
		cairo_move_to(cr, 10, y);
		cairo_show_text(cr, labels[i]);
		cairo_restore(cr);
	}
}

/**
 * mt_smem_chart() - draw @n labelled sizes into @path
 * @pie: a pie chart, else horizontal bars
 *
 * Return: 0, -EINVAL for a name that is no .png or .svg, -ENOMEM, or -EIO
 * (the image could not be made or written: said, the old file left).
 */
int mt_smem_chart(const char *path, bool pie, const char *title,
		  const char *const *labels, const uint64_t *values, size_t n,
		  unsigned int width, unsigned int height)
{
	struct mt_image im;
	uint64_t total = 0;
	cairo_t *cr;
	size_t i;
	int err;

	err = mt_image_open(&im, path, width, height);
	if (err)
		return err;
	for (i = 0; i < n; i++)
		total += values[i];
	cr = cairo_create(im.surface);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
			       CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, 15);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_move_to(cr, 10, 22);
	cairo_show_text(cr, title);
	cairo_set_font_size(cr, 12);
	if (pie)
		draw_pie(cr, labels, values, n, total, width, height);
	else
		draw_bars(cr, labels, values, n, total, width, height);
	return mt_image_close(&im, cr);
}
