// SPDX-License-Identifier: GPL-2.0
/* The heatmap: binning, the terminal's blocks, PNG and SVG files. */
#include <errno.h>
#include <stdlib.h>
#include <cairo.h>
#include <json.h>

#include "cli.h"
#include "cmds.h"
#include "damonview.h"
#include "test.h"

#define ARGC(argv) ((int)(sizeof(argv) / sizeof((argv)[0])) - 1)
#define SEC 1000000000ull

/* A region snapshot of the aggregation that ended at @t seconds */
static struct mt_region reg(uint64_t t, uint64_t start, uint64_t end,
			    uint32_t nr, uint64_t cgroup)
{
	struct mt_region r = {
		.time_ns = t * SEC, .start = start, .end = end,
		.nr_accesses = nr, .cgroup_id = cgroup,
	};

	return r;
}

/*
 * Two aggregations of a second: the first with a cold lower and a hot
 * upper half, the second warm all over.
 */
static const struct mt_region two[] = {
	{ .time_ns = SEC, .start = 0, .end = 0x1000, .nr_accesses = 0 },
	{ .time_ns = SEC, .start = 0x1000, .end = 0x2000, .nr_accesses = 10 },
	{ .time_ns = 2 * SEC, .start = 0, .end = 0x2000, .nr_accesses = 5 },
};

static void heatmap_binning(void)
{
	struct heatmap_opts o = { .cols = 4, .rows = 2, .aggr_ns = SEC };
	struct mt_region other[] = { reg(1, 0, 0x1000, 3, 7) };
	struct heatmap hm;

	CHECK(heatmap_bin(two, 3, &o, &hm) == 0);
	CHECK(hm.t0 == 0 && hm.t1 == 2 * SEC);
	CHECK(hm.a0 == 0 && hm.a1 == 0x2000);
	CHECK(hm.max == 10);
	CHECK(hm.cell[0] == 0 && hm.cell[1] == 0);	/* row 0: low */
	CHECK(hm.cell[2] == 5 && hm.cell[3] == 5);
	CHECK(hm.cell[4] == 10 && hm.cell[5] == 10);
	CHECK(hm.cell[6] == 5 && hm.cell[7] == 5);
	heatmap_free(&hm);

	/* half a cell each way: the mean, weighted by the overlap */
	o.cols = 1;
	o.rows = 1;
	CHECK(heatmap_bin(two, 3, &o, &hm) == 0);
	CHECK(hm.cell[0] == 5);	/* (0 + 10) / 2 and 5, halves each */
	heatmap_free(&hm);

	/* regions of another cgroup; none at all */
	o.cgroup_id = 8;
	CHECK(heatmap_bin(other, 1, &o, &hm) == -ENOENT);
	CHECK(heatmap_bin(other, 0, &o, &hm) == -ENOENT);
	o.cgroup_id = 7;
	CHECK(heatmap_bin(other, 1, &o, &hm) == 0);
	CHECK(hm.max == 3);
	heatmap_free(&hm);
}

#define B(n) "\033[48;5;" #n "m "

static void heatmap_terminal(void)
{
	struct heatmap_opts o = { .cols = 4, .rows = 2, .aggr_ns = SEC };
	struct heatmap hm;
	char *out = NULL;
	size_t len;
	FILE *f;

	CHECK(heatmap_bin(two, 3, &o, &hm) == 0);
	f = open_memstream(&out, &len);
	heatmap_term(f, &hm);
	fclose(f);
	CHECK_STR(out,
		  "0x2000 " B(226) B(226) B(196) B(196) "\033[0m\n"
		  "   0x0 " B(16) B(16) B(196) B(196) "\033[0m\n"
		  "       -2.0s 0s\n"
		  "       " B(16) B(52) B(88) B(124) B(160) B(196) B(202)
		  B(208) B(214) B(220) B(226)
		  "\033[0m nr_accesses 0 to 10.0, " B(238) "\033[0m no region\n");
	free(out);
	heatmap_free(&hm);
}

static void heatmap_to_json(void)
{
	struct heatmap_opts o = { .cols = 3, .rows = 1, .aggr_ns = SEC };
	struct mt_region gap[] = { reg(1, 0, 0x1000, 4, 0),
				   reg(3, 0, 0x1000, 2, 0) };
	struct json_object *j;
	struct heatmap hm;
	const char *s;

	/* no aggregation ended at 2 s: that column is null */
	CHECK(heatmap_bin(gap, 2, &o, &hm) == 0);
	j = heatmap_json(&hm);
	s = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);
	CHECK(strstr(s, "\"cells\":[[4.0,null,2.0]]") != NULL);
	CHECK(strstr(s, "\"cols\":3,\"rows\":1,\"time_start_ns\":0,\"time_end_ns\":3000000000,\"addr_start\":0,\"addr_end\":4096,\"max\":4.0") != NULL);
	json_object_put(j);
	heatmap_free(&hm);
}

/* The pixel at @x, @y of an RGB24 image */
static uint32_t pixel(cairo_surface_t *s, int x, int y)
{
	unsigned char *data = cairo_image_surface_get_data(s);

	return *(uint32_t *)(data + y * cairo_image_surface_get_stride(s) +
			     4 * x);
}

/* Hot upper, cold lower half of 64 KiB, over three aggregations */
static const struct mt_region halves[] = {
	{ .time_ns = SEC, .end = 0x8000, .nr_accesses = 0 },
	{ .time_ns = SEC, .start = 0x8000, .end = 0x10000, .nr_accesses = 20 },
	{ .time_ns = 2 * SEC, .end = 0x8000, .nr_accesses = 0 },
	{ .time_ns = 2 * SEC, .start = 0x8000, .end = 0x10000,
	  .nr_accesses = 20 },
	{ .time_ns = 3 * SEC, .end = 0x8000, .nr_accesses = 0 },
	{ .time_ns = 3 * SEC, .start = 0x8000, .end = 0x10000,
	  .nr_accesses = 20 },
};

static void heatmap_png(void)
{
	struct heatmap_opts o = { .width = 641, .height = 361 };
	char dir[] = "/tmp/memtally-heatmap-XXXXXX", path[64];
	int top = HEATMAP_TOP, bottom = 361 - HEATMAP_BOTTOM;
	int x = (HEATMAP_LEFT + 641 - HEATMAP_RIGHT) / 2;
	cairo_surface_t *s;
	uint32_t hot, cold;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/map.png", dir);
	CHECK(heatmap_render(halves, 6, &o, path) == 0);
	s = cairo_image_surface_create_from_png(path);
	CHECK(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS);
	CHECK(cairo_image_surface_get_width(s) == 641);
	CHECK(cairo_image_surface_get_height(s) == 361);
	if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
		/* a quarter down the map: hot, yellow; three quarters: black */
		hot = pixel(s, x, top + (bottom - top) / 4);
		cold = pixel(s, x, top + 3 * (bottom - top) / 4);
		CHECK((hot & 0xffffff) == 0xffff00);
		CHECK((cold & 0xffffff) == 0x000000);
	}
	cairo_surface_destroy(s);
	unlink(path);

	/* too small for the axes; a file of another kind; no regions */
	o.width = HEATMAP_MIN_WIDTH - 1;
	CHECK(heatmap_render(halves, 6, &o, path) == -EINVAL);
	o.width = 641;
	CHECK(heatmap_render(halves, 6, &o, "map.gif") == -EINVAL);
	CHECK(heatmap_render(halves, 0, &o, path) == -ENOENT);
	CHECK(access(path, F_OK) != 0);
	/* a directory that is not there */
	snprintf(path, sizeof(path), "%s/none/map.png", dir);
	quiet(true);
	CHECK(heatmap_render(halves, 6, &o, path) == -EIO);
	quiet(false);
	rmdir(dir);
}

static void heatmap_svg(void)
{
	struct heatmap_opts o = { .width = 640, .height = 360 };
	char dir[] = "/tmp/memtally-heatmap-XXXXXX", path[64], head[512];
	FILE *f;
	size_t n = 0;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/map.svg", dir);
	CHECK(heatmap_render(halves, 6, &o, path) == 0);
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (f) {
		n = fread(head, 1, sizeof(head) - 1, f);
		fclose(f);
	}
	head[n] = '\0';
	CHECK(!strncmp(head, "<?xml", 5));
	CHECK(strstr(head, "<svg") != NULL);
	CHECK(strstr(head, "width=\"640px\" height=\"360px\"") != NULL);
	CHECK(t_xml_ok(path));
	unlink(path);
	rmdir(dir);
}

static int quiet_heatmap(int argc, char **argv, struct heatmap_cli_opts *o)
{
	int ret;

	quiet(true);
	ret = heatmap_parse(argc, argv, o);
	quiet(false);
	return ret;
}

static void parse_heatmap(void)
{
	char *png[] = { "heatmap", "-o", "a.PNG", "-W", "641", "--height",
			"361", "-c", "/x", NULL };
	char *term[] = { "heatmap", "--json", NULL };
	char *gif[] = { "heatmap", "--output", "a.gif", NULL };
	char *zero[] = { "heatmap", "-W", "0", NULL };
	char *huge[] = { "heatmap", "-H", "100000", NULL };
	char *both[] = { "heatmap", "-o", "a.svg", "-j", NULL };
	char *rel[] = { "heatmap", "-c", "x", NULL };
	struct heatmap_cli_opts o = { 0 };

	CHECK(heatmap_parse(ARGC(png), png, &o) == 0);
	CHECK_STR(o.output, "a.PNG");
	CHECK(o.width == 641 && o.height == 361);
	CHECK_STR(o.cgroup, "/x");
	memset(&o, 0, sizeof(o));
	CHECK(heatmap_parse(ARGC(term), term, &o) == 0);
	CHECK(o.json && !o.output && !o.width);
	CHECK(quiet_heatmap(ARGC(gif), gif, &o) == MT_EXIT_USAGE);
	CHECK(quiet_heatmap(ARGC(zero), zero, &o) == MT_EXIT_USAGE);
	CHECK(quiet_heatmap(ARGC(huge), huge, &o) == MT_EXIT_USAGE);
	memset(&o, 0, sizeof(o));
	CHECK(quiet_heatmap(ARGC(both), both, &o) == MT_EXIT_USAGE);
	CHECK(quiet_heatmap(ARGC(rel), rel, &o) == MT_EXIT_USAGE);
}

void test_heatmap(void)
{
	RUN(heatmap_binning);
	RUN(heatmap_terminal);
	RUN(heatmap_to_json);
	RUN(heatmap_png);
	RUN(heatmap_svg);
	RUN(parse_heatmap);
}
