// SPDX-License-Identifier: GPL-2.0
/* memtally wss: the DAMON working set of the cgroups over time. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json.h>

#include "cli.h"
#include "cmds.h"
#include "damonnl.h"
#include "damonview.h"
#include "ksm.h"
#include "nl.h"

static const char wss_usage[] =
"Usage: memtally wss [-c PATH | -b] [-j]\n"
"\n"
"Show the working set that the bound DAMON context (see memtally damon\n"
"start) measures: the bytes of the cgroups in regions with at least one\n"
"access in an aggregation interval.  One line per kept sample, oldest\n"
"first: how long ago its aggregation ended, the working set (1 MB = 10^6\n"
"bytes), and CHANGE/S, the working set's growth since the sample before,\n"
"per second.  CHANGE/S is no access rate: the samples hold sizes only,\n"
"not how often the bytes were accessed (see memtally hotcold for that).\n"
"Then the distribution of the samples, as damo report wss prints it:\n"
"percentile P is the sample at rank P * N / 100 of the N samples sorted\n"
"(the largest for 100).  Without --cgroup, the samples of one aggregation\n"
"are summed over every cgroup.  Samples that did not all fit in the\n"
"kernel's reply (possible only if DAMON was rebound with a larger ring\n"
"while they were read) are the newest ones, marked truncated: a note\n"
"line, * after SAMPLES with -b, \"truncated\": true in JSON.\n"
"\n"
"Options:\n"
"  -c, --cgroup PATH  only the cgroup PATH (relative to the cgroup2 mount)\n"
"  -b, --by-cgroup    one line per cgroup, largest working set first: the\n"
"                     last sample, the median (P50) and the largest (P100)\n"
"  -j, --json         print one JSON object (with -b an array)\n"
"  -h, --help         show this help\n";

/* Return: 0, or MT_EXIT_USAGE after reporting the error. */
int wss_parse(int argc, char **argv, struct wss_opts *o)
{
	static const struct option longopts[] = {
		{ "cgroup",    required_argument, NULL, 'c' },
		{ "by-cgroup", no_argument,       NULL, 'b' },
		{ "json",      no_argument,       NULL, 'j' },
		{ "help",      no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;	/* glibc: rescan from argv[1], forgetting earlier calls */
	while ((c = getopt_long(argc, argv, ":c:bjh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->cgroup = optarg;
			break;
		case 'b':
			o->by_cgroup = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			o->help = true;
			break;
		default:
			return mt_getopt_err("wss", c, argv);
		}
	}
	if (optind < argc)
		return mt_usage_err("wss: unexpected argument '%s'", argv[optind]);
	if (o->cgroup && o->by_cgroup)
		return mt_usage_err("wss: --cgroup and --by-cgroup exclude each other");
	if (o->cgroup && o->cgroup[0] != '/')
		return mt_usage_err("wss: a cgroup path starts with / (the cgroup2 mount)");
	return 0;
}

struct wss_row {
	const char *path;
	uint64_t id;
	size_t nr;
	uint64_t last;
	uint64_t pct[MT_WSS_PERCENTILES];
	bool truncated;
};

static int row_cmp(const void *pa, const void *pb)
{
	const struct wss_row *a = pa, *b = pb;

	if (a->last != b->last)
		return a->last < b->last ? 1 : -1;
	return (a->id > b->id) - (a->id < b->id);
}

#define BY_CGROUP_COLS	6

static int by_cgroup_show(const struct wss_opts *o, const char *root,
			  const struct mt_wss_list *l)
{
	static const bool right[BY_CGROUP_COLS] = { false, true, true, true,
						    true, true };
	static const char *const head[BY_CGROUP_COLS] = { "PATH", "ID",
		"SAMPLES", "WSS", "P50", "P100" };
	struct wss_row *r = calloc(l->nr + 1, sizeof(*r));
	struct json_object *a = NULL, *j;
	struct mt_tab t = { 0 };
	struct mt_cgmap map;
	size_t i, n = 0;
	int err = -ENOMEM;
	bool cut = false;

	if (!r)
		goto out;
	err = mt_cgmap_load(&map, root);
	if (err) {
		mt_err("%s: %s", root, strerror(-err));
		err = -1;	/* reported */
		goto out;
	}
	for (i = 0; i < l->nr && !err; i++) {
		if (!l->v[i].nr)
			continue;
		r[n].path = mt_cgmap_path(&map, l->v[i].id);
		r[n].id = l->v[i].id;
		r[n].nr = l->v[i].nr;
		r[n].last = l->v[i].v[l->v[i].nr - 1].bytes;
		r[n].truncated = l->v[i].truncated;
		err = mt_wss_percentiles(l->v[i].v, l->v[i].nr, r[n++].pct);
	}
	if (err)
		goto unmap;
	qsort(r, n, sizeof(*r), row_cmp);
	if (o->json ? !(a = json_object_new_array_ext(n)) :
	    mt_tab_init(&t, BY_CGROUP_COLS, n, head)) {
		err = -ENOMEM;
		goto unmap;
	}
	for (i = 0; i < n; i++) {
		if (a) {
			j = json_object_new_object();
			json_object_object_add(j, "path", r[i].path ?
				json_object_new_string(r[i].path) : NULL);
			mt_json_put_u64(j, "id", r[i].id);
			mt_json_put_u64(j, "samples", r[i].nr);
			if (r[i].truncated)
				json_object_object_add(j, "truncated",
					json_object_new_boolean(true));
			mt_json_put_u64(j, "wss", r[i].last);
			json_object_object_add(j, "percentiles",
					       mt_wss_pct_json(r[i].pct));
			json_object_array_add(a, j);
			continue;
		}
		cut |= r[i].truncated;
		mt_tab_str(&t, i, 0, r[i].path ? r[i].path : "?");
		mt_tab_u64(&t, i, 1, r[i].id);
		mt_tab_num(&t, i, 2, "%zu%s", r[i].nr,
			   r[i].truncated ? "*" : "");
		mt_tab_bytes(&t, i, 3, r[i].last);
		mt_tab_bytes(&t, i, 4, r[i].pct[2]);
		mt_tab_bytes(&t, i, 5, r[i].pct[4]);
	}
	if (a)
		err = mt_json_print(stdout, a);
	else
		mt_tab_print(stdout, &t, right, "");
	if (!a && cut)
		fputs("* truncated: only the newest samples fitted in the kernel's reply\n",
		      stdout);
unmap:
	mt_cgmap_free(&map);
out:
	if (err == -ENOMEM)
		mt_err("out of memory");
	free(r);
	return err ? -1 : 0;
}

static int samples_show(const struct wss_opts *o, const struct mt_wss_list *l)
{
	struct json_object *j;
	struct mt_wss_sample *v;
	size_t i, n = 0;
	bool cut = false;
	int err;

	for (i = 0; i < l->nr; i++) {
		n += l->v[i].nr;
		cut |= l->v[i].truncated;
	}
	v = malloc((n ? n : 1) * sizeof(*v));
	if (!v) {
		mt_err("out of memory");
		return -1;
	}
	n = mt_wss_merge(l, v);
	if (o->json) {
		j = mt_wss_json(o->cgroup, v, n, mt_now_ns(CLOCK_BOOTTIME));
		if (j && cut)
			json_object_object_add(j, "truncated",
					       json_object_new_boolean(true));
		err = mt_json_print(stdout, j);
	} else {
		err = mt_wss_print(stdout, v, n, mt_now_ns(CLOCK_BOOTTIME));
		if (!err && cut)
			fputs("note: truncated: only the newest samples fitted in the kernel's reply\n",
			      stdout);
	}
	if (err == -EIO)
		mt_err("write error: %s", strerror(errno));
	else if (err)
		mt_err("out of memory");
	free(v);
	return err ? -1 : 0;
}

int cmd_wss(int argc, char **argv, bool json)
{
	struct wss_opts o = { .json = json };
	struct mt_wss_list l = { 0 };
	struct mt_damon_info info;
	char root[PATH_MAX];
	struct mt_nl nl;
	uint64_t id = 0;
	int err;

	if (wss_parse(argc, argv, &o))
		return MT_EXIT_USAGE;
	if (o.help) {
		fputs(wss_usage, stdout);
		return MT_EXIT_OK;
	}
	if (mt_cli_cgroot(root, sizeof(root)) ||
	    (o.cgroup && mt_cli_cgroup_id(root, o.cgroup, &id)) ||
	    mt_nl_open(&nl))
		return MT_EXIT_RUNTIME;
	err = mt_cli_damon(&nl, &info, true);
	if (!err) {
		mt_damon_info_free(&info);
		err = mt_nl_damon_wss(&nl, o.cgroup ? &id : NULL, &l);
		if (err == -ENOENT && o.cgroup)
			mt_err("no cgroup %s tracked by memtally", o.cgroup);
		else if (err)
			mt_nl_report(&nl, "reading the working set samples",
				     err);
	}
	if (!err)
		err = o.by_cgroup ? by_cgroup_show(&o, root, &l) :
				    samples_show(&o, &l);
	mt_wss_list_free(&l);
	mt_nl_close(&nl);
	return err ? MT_EXIT_RUNTIME : MT_EXIT_OK;
}
