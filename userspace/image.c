// SPDX-License-Identifier: GPL-2.0
/*
 * memtally's images: cairo draws, and writes into a file of ours, so that
 * a failure to write says why (Permission denied, No space left on device).
 */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <cairo-svg.h>

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

/* cairo's output, into our file, so that a failure keeps its errno */
static cairo_status_t file_write(void *f, const unsigned char *data,
				 unsigned int len)
{
	return fwrite(data, 1, len, f) == len ? CAIRO_STATUS_SUCCESS :
	       CAIRO_STATUS_WRITE_ERROR;
}

/**
 * mt_image_open() - create @path and a surface of @width x @height pixels
 * @im: filled in; draw on im->surface, then mt_image_close()
 * @path: a .png or .svg file, created or truncated
 * @width: in pixels
 * @height: in pixels
 * @why: on failure, the reason
 *
 * Return: 0, -EINVAL for a name that is no .png or .svg, or -EIO when the
 * file cannot be created.
 */
int mt_image_open(struct mt_image *im, const char *path, unsigned int width,
		  unsigned int height, const char **why)
{
	int fmt = mt_image_format(path);

	*why = "not a .png or .svg file";
	if (fmt < 0)
		return -EINVAL;
	im->format = fmt;
	im->file = fopen(path, "we");
	if (!im->file) {
		*why = strerror(errno);
		return -EIO;
	}
	if (fmt == MT_IMAGE_SVG) {
		im->surface = cairo_svg_surface_create_for_stream(file_write,
				im->file, width, height);
		cairo_svg_surface_set_document_unit(im->surface,
						    CAIRO_SVG_UNIT_PX);
	} else {
		im->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
							 width, height);
	}
	return 0;
}

/**
 * mt_image_close() - write the image drawn by @cr and close the file
 * @im: as mt_image_open() filled it in
 * @cr: the context that drew on im->surface; destroyed here
 * @why: on failure, the reason (the system's or cairo's)
 *
 * Return: 0, -ENOMEM or -EIO.
 */
int mt_image_close(struct mt_image *im, cairo_t *cr, const char **why)
{
	cairo_status_t st = cairo_status(cr);
	int err = 0;

	cairo_destroy(cr);
	errno = 0;
	if (!st && im->format == MT_IMAGE_PNG)
		st = cairo_surface_write_to_png_stream(im->surface, file_write,
						       im->file);
	cairo_surface_finish(im->surface);	/* writes the SVG */
	if (!st)
		st = cairo_surface_status(im->surface);
	cairo_surface_destroy(im->surface);
	if (st == CAIRO_STATUS_WRITE_ERROR && errno)
		err = errno;
	if (fclose(im->file) && !st && !err)
		err = errno;
	if (err) {
		*why = strerror(err);
		return -EIO;
	}
	*why = cairo_status_to_string(st);
	return st == CAIRO_STATUS_NO_MEMORY ? -ENOMEM : st ? -EIO : 0;
}
