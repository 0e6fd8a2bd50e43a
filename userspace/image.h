/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memtally's images (heatmap -o, smem --chart): a cairo surface that
 * becomes a PNG or an SVG file, the format from the file's name, which
 * replaces the old one at once.
 */
#ifndef MT_IMAGE_H
#define MT_IMAGE_H

#include <stdio.h>
#include <cairo.h>

enum mt_image_format { MT_IMAGE_PNG, MT_IMAGE_SVG };

struct mt_image {
	enum mt_image_format format;
	const char *path;
	FILE *mem;		/* the encoded image, until it is written */
	char *buf;
	size_t len;
	cairo_surface_t *surface;
};

int mt_image_format(const char *path);
int mt_image_open(struct mt_image *im, const char *path, unsigned int width,
		  unsigned int height);
int mt_image_close(struct mt_image *im, cairo_t *cr);

#endif
