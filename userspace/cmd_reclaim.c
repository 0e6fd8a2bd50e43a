// SPDX-License-Identifier: GPL-2.0
/*
 * memtally reclaim: reclaim activity like sar -B, system-wide (every
 * cgroup and every node row), of one cgroup, or of the top cgroups.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <json.h>

#include "cli.h"
#include "cmds.h"
#include "nl.h"
#include "rate.h"

static const char reclaim_usage[] =
"Usage: memtally reclaim [INTERVAL [COUNT]] [-c PATH | -b [-t N]] [-j]\n"
"\n"
"Show reclaim activity like sar -B.  Without INTERVAL, one line of totals\n"
"since the module was loaded; with INTERVAL, a line of rates every\n"
"INTERVAL seconds, COUNT times or until interrupted.  System-wide figures\n"
"add up every cgroup and the per-node rows of kswapd.\n"
"\n"
"Columns: pgscan/s and pgsteal/s (pages reclaim scanned and reclaimed),\n"
"%vmeff (100 * pgsteal / pgscan, - if nothing was scanned), direct/s and\n"
"memcg/s (direct and memcg reclaim stalls), slab-ms/s (time in slab\n"
"shrinkers), throttled/s, pgwriteback/s (pages reclaim wrote back),\n"
"oom-kills (OOM victims in the interval).\n"
"\n"
"Options:\n"
"  -c, --cgroup PATH  only the cgroup PATH (relative to the cgroup2 mount)\n"
"  -b, --by-cgroup    a line per cgroup, for the cgroups that reclaimed most\n"
"  -t, --top N        with --by-cgroup, N cgroups (default 10)\n"
"  -j, --json         print a JSON object per line (per interval)\n"
"  -h, --help         show this help\n";

/* Return: 0, or MT_EXIT_USAGE after reporting the error. */
int reclaim_parse(int argc, char **argv, struct reclaim_opts *o)
{
	static const struct option longopts[] = {
		{ "cgroup",    required_argument, NULL, 'c' },
		{ "by-cgroup", no_argument,       NULL, 'b' },
		{ "top",       required_argument, NULL, 't' },
		{ "json",      no_argument,       NULL, 'j' },
		{ "help",      no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *top = NULL;
	int c;

	optind = 0;	/* glibc: rescan from argv[1], forgetting earlier calls */
	while ((c = getopt_long(argc, argv, ":c:bt:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->cgroup = optarg;
			break;
		case 'b':
			o->by_cgroup = true;
			break;
		case 't':
			top = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			o->help = true;
			break;
		default:
			return mt_getopt_err("reclaim", c, argv);
		}
	}
	if (argc - optind > 2)
		return mt_usage_err("reclaim: unexpected argument '%s'",
				    argv[optind + 2]);
	/* an INTERVAL in ns fits in 64 bits */
	if ((optind < argc &&
	     mt_num_arg("reclaim", "INTERVAL", argv[optind], 1, UINT32_MAX,
			&o->interval)) ||
	    (optind + 1 < argc &&
	     mt_num_arg("reclaim", "COUNT", argv[optind + 1], 1, UINT64_MAX,
			&o->count)) ||
	    (top && mt_num_arg("reclaim", "--top", top, 1, UINT32_MAX,
			       &o->top)))
		return MT_EXIT_USAGE;
	if (top && !o->by_cgroup)
		return mt_usage_err("reclaim: --top needs --by-cgroup");
	if (o->cgroup && o->by_cgroup)
		return mt_usage_err("reclaim: --cgroup and --by-cgroup exclude each other");
	if (o->cgroup && o->cgroup[0] != '/')
		return mt_usage_err("reclaim: a cgroup path starts with / (the cgroup2 mount)");
	return 0;
}

/* The counters at one moment: cgroup rows, node rows, sorted by id */
struct snap {
	struct mt_rows cg, node;
	uint64_t mono_ns;	/* CLOCK_MONOTONIC */
	uint64_t real_ns;	/* CLOCK_REALTIME */
};

/* Prints the error.  Return: 0 or -1. */
static int snap_take(struct mt_nl *nl, const struct reclaim_opts *o,
		     const char *root, struct snap *s)
{
	uint64_t id = 0;
	int err;

	s->cg.nr = 0;
	s->node.nr = 0;
	/* again each time: a cgroup recreated at the path has a new id */
	if ((o->cgroup && mt_cli_cgroup_id(root, o->cgroup, &id)) ||
	    mt_cli_cgroups(nl, o->cgroup, id, &s->cg))
		return -1;
	if (!o->cgroup && !o->by_cgroup) {
		err = mt_nl_nodes(nl, &s->node);
		if (err) {
			mt_nl_report(nl, "reading nodes", err);
			return -1;
		}
	}
	s->mono_ns = mt_now_ns(CLOCK_MONOTONIC);
	s->real_ns = mt_now_ns(CLOCK_REALTIME);
	mt_cgroups_sort(s->cg.v, s->cg.nr, MT_SORT_ID);
	mt_cgroups_sort(s->node.v, s->node.nr, MT_SORT_ID);
	return 0;
}

/* The header of text lines: once, or before each block with --by-cgroup */
static void header(const struct reclaim_opts *o, bool first)
{
	if (o->json || (!first && !o->by_cgroup))
		return;
	if (!first)
		putchar('\n');
	mt_reclaim_header(stdout, o->interval, o->by_cgroup);
}

/* The JSON object of a line: "time" first */
static struct json_object *line_json(const char *iso)
{
	struct json_object *j = json_object_new_object();

	json_object_object_add(j, "time", json_object_new_string(iso));
	return j;
}

static void add_cgroup(struct json_object *j, const char *path, uint64_t id)
{
	json_object_object_add(j, "path", path ?
			       json_object_new_string(path) : NULL);
	json_object_object_add(j, "id", json_object_new_uint64(id));
}

/* Prints the error.  Return: 0 or -1. */
static int put_json(struct json_object *j)
{
	if (!mt_json_print(stdout, j))
		return 0;
	mt_err("out of memory");
	return -1;
}

/* The top cgroups by pgsteal of the @n in @d: lines, or one JSON object */
static int report_top(const struct reclaim_opts *o, const char *root,
		      struct mt_cgroup *d, size_t n, double secs,
		      const char *hms, const char *iso)
{
	struct json_object *a = NULL, *row, *j;
	struct mt_reclaim r;
	struct mt_cgmap map;
	size_t i;

	if (mt_cli_paths(&map, root, d, n))
		return -1;
	mt_cgroups_sort(d, n, MT_SORT_COUNTER + MT_CTR_PGSTEAL);
	if (o->json)
		a = json_object_new_array();
	for (i = 0; i < n && i < o->top; i++) {
		mt_reclaim_calc(&r, d[i].counters, secs);
		if (!a) {
			mt_reclaim_print(stdout, hms, &r,
					 d[i].path ? d[i].path : "?");
			continue;
		}
		row = json_object_new_object();
		add_cgroup(row, d[i].path, d[i].id);
		mt_reclaim_json(row, &r);
		json_object_array_add(a, row);
	}
	mt_cgmap_free(&map);
	if (!a)
		return 0;
	j = line_json(iso);
	json_object_object_add(j, "cgroups", a);
	return put_json(j);
}

/*
 * What the counters did from @prev to @cur: rates, or totals if @prev is
 * empty (at time 0).  Return: 0 or -1 after reporting the error.
 */
static int report(const struct reclaim_opts *o, const char *root,
		  const struct snap *prev, const struct snap *cur, bool first)
{
	double secs = prev->mono_ns ? (cur->mono_ns - prev->mono_ns) / 1e9 : 0;
	uint64_t sum[MT_NR_CGROUP_COUNTERS] = { 0 };
	size_t n = cur->cg.nr, nn = cur->node.nr;
	time_t sec = cur->real_ns / 1000000000;
	char hms[16], iso[48];
	struct json_object *j;
	struct mt_cgroup *d;
	struct mt_reclaim r;
	struct tm tm;
	int err = 0;

	d = calloc((n > nn ? n : nn) + 1, sizeof(*d));
	if (!d) {
		mt_err("out of memory");
		return -1;
	}
	strftime(hms, sizeof(hms), "%H:%M:%S", localtime_r(&sec, &tm));
	mt_iso_time(iso, sizeof(iso), cur->real_ns);
	header(o, first);
	mt_cgroups_delta(d, prev->cg.v, prev->cg.nr, cur->cg.v, n);
	if (o->by_cgroup) {
		err = report_top(o, root, d, n, secs, hms, iso);
		goto out;
	}
	mt_counters_add(sum, d, n);
	mt_cgroups_delta(d, prev->node.v, prev->node.nr, cur->node.v, nn);
	mt_counters_add(sum, d, nn);
	mt_reclaim_calc(&r, sum, secs);
	if (!o->json) {
		mt_reclaim_print(stdout, hms, &r, NULL);
		goto out;
	}
	j = line_json(iso);
	if (o->cgroup)
		add_cgroup(j, o->cgroup, cur->cg.v[0].id);
	mt_reclaim_json(j, &r);
	err = put_json(j);
out:
	free(d);
	return err;
}

/* Lines until COUNT or a signal.  Return: 0 or -1 after the error. */
static int watch(struct mt_nl *nl, const struct reclaim_opts *o,
		 const char *root, struct snap *s)
{
	struct snap *prev = &s[0], *cur = &s[1], *t;
	int sfd = mt_signalfd();
	uint64_t k, deadline;

	if (sfd < 0) {
		mt_err("signalfd: %s", strerror(errno));
		return -1;
	}
	if (snap_take(nl, o, root, prev))
		goto fail;
	deadline = prev->mono_ns;
	for (k = 0; !o->count || k < o->count; k++) {
		deadline = mt_next_deadline(deadline, o->interval * 1000000000);
		if (mt_sleep_until(sfd, deadline))
			break;
		if (snap_take(nl, o, root, cur))
			goto fail;
		if (mt_signalled(sfd, 0))	/* nothing after a signal */
			break;
		if (report(o, root, prev, cur, !k))
			goto fail;
		if (fflush(stdout)) {
			mt_err("write error: %s", strerror(errno));
			goto fail;
		}
		t = prev;
		prev = cur;
		cur = t;
	}
	close(sfd);
	return 0;
fail:
	close(sfd);
	return -1;
}

int cmd_reclaim(int argc, char **argv, bool json)
{
	struct reclaim_opts o = { .json = json, .top = 10 };
	struct snap s[2] = { 0 };
	char root[PATH_MAX];
	struct mt_nl nl;
	int err;

	if (reclaim_parse(argc, argv, &o))
		return MT_EXIT_USAGE;
	if (o.help) {
		fputs(reclaim_usage, stdout);
		return MT_EXIT_OK;
	}
	if (mt_cli_cgroot(root, sizeof(root)) || mt_nl_open(&nl))
		return MT_EXIT_RUNTIME;
	if (o.interval)
		err = watch(&nl, &o, root, s);
	else	/* since the module loaded: from an empty snapshot */
		err = snap_take(&nl, &o, root, &s[1]) ||
		      report(&o, root, &s[0], &s[1], true);
	mt_rows_free(&s[0].cg);
	mt_rows_free(&s[0].node);
	mt_rows_free(&s[1].cg);
	mt_rows_free(&s[1].node);
	mt_nl_close(&nl);
	return err ? MT_EXIT_RUNTIME : MT_EXIT_OK;
}
