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
