/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memtally's images (heatmap -o, smem --chart): a cairo surface that
 * writes a PNG or an SVG file, the format from the file's name.
 */
#ifndef MT_IMAGE_H
#define MT_IMAGE_H

#include <stdio.h>
#include <cairo.h>

enum mt_image_format { MT_IMAGE_PNG, MT_IMAGE_SVG };

struct mt_image {
	enum mt_image_format format;
	FILE *file;
	cairo_surface_t *surface;
};

int mt_image_format(const char *path);
int mt_image_open(struct mt_image *im, const char *path, unsigned int width,
		  unsigned int height, const char **why);
int mt_image_close(struct mt_image *im, cairo_t *cr, const char **why);

#endif
