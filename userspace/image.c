// SPDX-License-Identifier: GPL-2.0
/*
 * memtally's images: cairo draws into memory, and the file is replaced at
 * once by mt_write_atomic(), as export replaces its file: a failure, of
 * cairo's or of the file system's, leaves the old file as it was.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cairo-svg.h>

#include "cli.h"
#include "image.h"

/**
 * mt_image_format() - the image format @path's extension names
 * @path: a file name
 *
 * Return: MT_IMAGE_PNG for .png, MT_IMAGE_SVG for .svg (any case), else -1.
 */
int mt_image_format(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot && !strcasecmp(dot, ".png"))
		return MT_IMAGE_PNG;
	if (dot && !strcasecmp(dot, ".svg"))
		return MT_IMAGE_SVG;
	return -1;
}

/* cairo's output, into the memory stream */
static cairo_status_t mem_write(void *f, const unsigned char *data,
				unsigned int len)
{
	return fwrite(data, 1, len, f) == len ? CAIRO_STATUS_SUCCESS :
	       CAIRO_STATUS_NO_MEMORY;
}

/**
 * mt_image_open() - a surface of @width x @height pixels for @path
 * @im: filled in; draw on im->surface, then mt_image_close()
 * @path: a .png or .svg file, written by mt_image_close()
 * @width: in pixels
 * @height: in pixels
 *
 * Return: 0, -EINVAL for a name that is no .png or .svg, or -ENOMEM.
 */
int mt_image_open(struct mt_image *im, const char *path, unsigned int width,
		  unsigned int height)
{
	int fmt = mt_image_format(path);

	memset(im, 0, sizeof(*im));
	if (fmt < 0)
		return -EINVAL;
	im->format = fmt;
	im->path = path;
	im->mem = open_memstream(&im->buf, &im->len);
	if (!im->mem)
		return -ENOMEM;
	if (fmt == MT_IMAGE_SVG) {
		im->surface = cairo_svg_surface_create_for_stream(mem_write,
				im->mem, width, height);
		cairo_svg_surface_set_document_unit(im->surface,
						    CAIRO_SVG_UNIT_PX);
	} else {
		im->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
							 width, height);
	}
	return 0;
}

struct blob {
	const char *buf;
	size_t len;
};

static void blob_write(FILE *f, const void *arg)
{
	const struct blob *b = arg;

	fwrite(b->buf, 1, b->len, f);
}

/**
 * mt_image_close() - encode the image drawn by @cr and replace the file
 * @im: as mt_image_open() filled it in
 * @cr: the context that drew on im->surface; destroyed here
 *
 * Nothing is written unless cairo drew and encoded the whole image; the
 * file is then replaced at once (mt_write_atomic()).  Prints the error.
 *
 * Return: 0 or -EIO.
 */
int mt_image_close(struct mt_image *im, cairo_t *cr)
{
	cairo_status_t st = cairo_status(cr);
	int err;

	cairo_destroy(cr);
	if (!st && im->format == MT_IMAGE_PNG)
		st = cairo_surface_write_to_png_stream(im->surface, mem_write,
						       im->mem);
	cairo_surface_finish(im->surface);	/* writes the SVG */
	if (!st)
		st = cairo_surface_status(im->surface);
	cairo_surface_destroy(im->surface);
	if (fclose(im->mem) && !st)
		st = CAIRO_STATUS_NO_MEMORY;
	if (st) {
		mt_err("%s: %s", im->path, st == CAIRO_STATUS_NO_MEMORY ?
		       "out of memory" : cairo_status_to_string(st));
		err = -EIO;
	} else {
		err = mt_write_atomic(im->path, blob_write,
				      &(struct blob){ im->buf, im->len }) ?
		      -EIO : 0;
	}
	free(im->buf);
	return err;
}
