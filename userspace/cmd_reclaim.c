// SPDX-License-Identifier: GPL-2.0
/*
 * memtally reclaim: the paging lines of sar -B, system-wide (/proc/vmstat)
 * or of one cgroup (its memory.stat), with the module's reclaim columns
 * (--all); or the module's lines of the cgroups that reclaimed most.
 * sarb.c and rate.c compute the columns, cols.c prints them.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
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
#include "sarb.h"
#include "sysfs.h"

static const char reclaim_usage[] =
"Usage: memtally reclaim [INTERVAL [COUNT]] [-c PATH | -b [-t N]] [-a] [-j]\n"
"\n"
"The paging lines of sar -B: a line every INTERVAL seconds (default 1),\n"
"COUNT times (default: until interrupted; without INTERVAL, one line).\n"
"Every line is over the interval before it.  System-wide from /proc/vmstat,\n"
"or of one cgroup and its descendants from its memory.stat (--cgroup).\n"
"\n"
"Columns, as sar -B computes them: pgpgin/s and pgpgout/s (KiB/s read\n"
"from and written to disk), fault/s and majflt/s (page faults, major\n"
"faults), pgfree/s (pages freed), pgscank/s (pages kswapd scanned),\n"
"pgscand/s (pages direct reclaim scanned, khugepaged's too), pgsteal/s\n"
"(pages reclaimed), %vmeff (100 * pgsteal / pages scanned).  And\n"
"pgscanc/s: pages cgroup reclaim (memory.max, memory.high, memory.reclaim)\n"
"scanned, which the kernel leaves out of pgscank and pgscand (sar shows\n"
"0 there when cgroup limits drive reclaim; Linux 7.x counts it in pgscand:\n"
"then pgscanc/s is -).  A cgroup's memory.stat counts its own reclaim in\n"
"pgscand and has no pgpgin, pgpgout or pgfree: -.\n"
"\n"
"With --all, the module's columns follow: direct/s and memcg/s (direct\n"
"and memcg reclaim stalls), slab-ms/s (time in slab shrinkers),\n"
"throttled/s, pgwriteback/s (pages reclaim wrote back), oom-kills (OOM\n"
"victims in the interval); - without the module.  --by-cgroup prints the\n"
"module's columns, with its pgscan/s, pgsteal/s and %vmeff, for the\n"
"cgroups whose tasks reclaimed most (memory.stat would have to be read\n"
"for every cgroup to rank them).\n"
"\n"
"Options:\n"
"  -c, --cgroup PATH  only the cgroup PATH (relative to the cgroup2 mount)\n"
"  -b, --by-cgroup    a line per cgroup, for the cgroups that reclaimed most\n"
"  -t, --top N        with --by-cgroup, N cgroups (default 10)\n"
"  -a, --all          the module's columns too\n"
"  -j, --json         print a JSON object per line (per interval)\n"
"  -h, --help         show this help\n";

/* Return: 0, or MT_EXIT_USAGE after reporting the error. */
int reclaim_parse(int argc, char **argv, struct reclaim_opts *o)
{
	static const struct option longopts[] = {
		{ "cgroup",    required_argument, NULL, 'c' },
		{ "by-cgroup", no_argument,       NULL, 'b' },
		{ "top",       required_argument, NULL, 't' },
		{ "all",       no_argument,       NULL, 'a' },
		{ "json",      no_argument,       NULL, 'j' },
		{ "help",      no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *top = NULL;
	int c;

	optind = 0;	/* glibc: rescan from argv[1], forgetting earlier calls */
	while ((c = getopt_long(argc, argv, ":c:bt:ajh", longopts, NULL)) != -1) {
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
		case 'a':
			o->all = true;
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
	o->interval = 1;
	o->count = optind < argc ? 0 : 1;
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


/* What a run reads, and from where */
struct ctx {
	const struct reclaim_opts *o;
	const char *root;
	char dir[PATH_MAX];	/* the cgroup's directory, with --cgroup */
	struct mt_nl *nl;	/* NULL: no module columns */
	struct mt_col cols[MT_RECLAIM_LINE_MAX];	/* a line's columns */
	size_t ncols;
};

/* One moment: the paging counters, the module's rows (sorted by id) */
struct snap {
	struct mt_sarb_sample sb;
	struct mt_rows cg, node;
	uint64_t id;		/* the cgroup's, with --cgroup */
	uint64_t mono_ns;	/* CLOCK_MONOTONIC */
	uint64_t real_ns;	/* CLOCK_REALTIME */
};

/*
 * The module's rows into @s: every cgroup and node, or the cgroup's.  A
 * caller without the capability to read them gets the other columns all
 * the same: one line says why, and @c->nl becomes NULL.  Prints the
 * error.  Return: 0 or -1.
 */
static int rows_take(struct ctx *c, struct snap *s)
{
	const struct reclaim_opts *o = c->o;
	int err;

	s->cg.nr = 0;
	s->node.nr = 0;
	if (!c->nl)
		return 0;
	if (o->cgroup) {
		err = mt_nl_cgroups(c->nl, &s->id, &s->cg);
		if (!err && !s->cg.nr)	/* acked without a reply */
			err = -EBADMSG;
	} else {
		err = mt_nl_cgroups(c->nl, NULL, &s->cg);
		if (!err && !o->by_cgroup)
			err = mt_nl_nodes(c->nl, &s->node);
	}
	if (err == -EPERM && !o->by_cgroup) {
		mt_err("reading the module's counters needs CAP_PERFMON or CAP_SYS_ADMIN: its columns are -");
		c->nl = NULL;
		return 0;
	}
	if (err == -ENOENT && o->cgroup) {
		mt_err("no cgroup %s tracked by memtally", o->cgroup);
		return -1;
	}
	if (err) {
		mt_nl_report(c->nl, "reading cgroups", err);
		return -1;
	}
	mt_cgroups_sort(s->cg.v, s->cg.nr, MT_SORT_ID);
	mt_cgroups_sort(s->node.v, s->node.nr, MT_SORT_ID);
	return 0;
}

/* Prints the error.  Return: 0 or -1. */
static int snap_take(struct ctx *c, struct snap *s)
{
	static char text[65536];	/* several times what vmstat holds */
	const char *dir = c->o->cgroup ? c->dir : "/proc";
	const char *name = c->o->cgroup ? "memory.stat" : "vmstat";
	int err;

	/* again each time: a cgroup recreated at the path has a new id */
	if ((c->o->cgroup && mt_cli_cgroup_id(c->root, c->o->cgroup, &s->id)) ||
	    rows_take(c, s))
		return -1;
	if (!c->o->by_cgroup) {
		err = mt_sysfs_read(dir, name, text, sizeof(text));
		if (err) {
			mt_err("%s/%s: %s", dir, name, strerror(-err));
			return -1;
		}
		if (c->o->cgroup)
			mt_sarb_parse_cgroup(&s->sb, text);
		else
			mt_sarb_parse(&s->sb, text);
	}
	s->mono_ns = mt_now_ns(CLOCK_MONOTONIC);
	s->real_ns = mt_now_ns(CLOCK_REALTIME);
	return 0;
}

/* The JSON object of a line: "time" and "interval_s" first */
static struct json_object *line_json(const char *iso, double secs)
{
	struct json_object *j = json_object_new_object();
	char num[32];

	json_object_object_add(j, "time", json_object_new_string(iso));
	snprintf(num, sizeof(num), "%.3f", secs);
	json_object_object_add(j, "interval_s",
			       json_object_new_double_s(secs, num));
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
static int report_top(const struct ctx *c, struct mt_cgroup *d, size_t n,
		      double secs, const char *hms, const char *iso)
{
	struct json_object *a = NULL, *row, *j;
	double v[MT_NR_RC];
	struct mt_cgmap map;
	size_t i;

	if (mt_cli_paths(&map, c->root, d, n))
		return -1;
	mt_cgroups_sort(d, n, MT_SORT_COUNTER + MT_CTR_PGSTEAL);
	if (c->o->json)
		a = json_object_new_array();
	else
		mt_cols_header(stdout, mt_reclaim_cols, MT_NR_RC, true);
	for (i = 0; i < n && i < c->o->top; i++) {
		mt_reclaim_calc(v, d[i].counters, secs);
		if (!a) {
			mt_cols_print(stdout, hms, mt_reclaim_cols, v, MT_NR_RC,
				      d[i].path ? d[i].path : "?");
			continue;
		}
		row = json_object_new_object();
		add_cgroup(row, d[i].path, d[i].id);
		mt_cols_json(row, mt_reclaim_cols, v, MT_NR_RC);
		json_object_array_add(a, row);
	}
	mt_cgmap_free(&map);
	if (!a)
		return 0;
	j = line_json(iso, secs);
	json_object_object_add(j, "cgroups", a);
	return put_json(j);
}

/*
 * What the module's counters did from @prev to @cur, every cgroup and node
 * row (or the cgroup's), into @sum.  Return: 0 or -1 after the error.
 */
static int module_sum(const struct snap *prev, const struct snap *cur,
		      uint64_t *sum)
{
	size_t n = cur->cg.nr, nn = cur->node.nr;
	struct mt_cgroup *d = calloc((n > nn ? n : nn) + 1, sizeof(*d));

	if (!d) {
		mt_err("out of memory");
		return -1;
	}
	mt_cgroups_delta(d, prev->cg.v, prev->cg.nr, cur->cg.v, n);
	mt_counters_add(sum, d, n);
	mt_cgroups_delta(d, prev->node.v, prev->node.nr, cur->node.v, nn);
	mt_counters_add(sum, d, nn);
	free(d);
	return 0;
}

/* The line from @prev to @cur.  Return: 0 or -1 after the error. */
static int report(const struct ctx *c, const struct snap *prev,
		  const struct snap *cur)
{
	double secs = (cur->mono_ns - prev->mono_ns) / 1e9;
	time_t sec = cur->real_ns / 1000000000;
	uint64_t sum[MT_NR_CGROUP_COUNTERS] = { 0 };
	double v[MT_RECLAIM_LINE_MAX];
	char hms[16], iso[48];
	struct json_object *j;
	struct mt_cgroup *d;
	struct tm tm;
	int err;

	strftime(hms, sizeof(hms), "%H:%M:%S", localtime_r(&sec, &tm));
	mt_iso_time(iso, sizeof(iso), cur->real_ns);
	if (c->o->by_cgroup) {
		d = calloc(cur->cg.nr + 1, sizeof(*d));
		if (!d) {
			mt_err("out of memory");
			return -1;
		}
		mt_cgroups_delta(d, prev->cg.v, prev->cg.nr, cur->cg.v,
				 cur->cg.nr);
		err = report_top(c, d, cur->cg.nr, secs, hms, iso);
		free(d);
		return err;
	}
	if (c->nl && module_sum(prev, cur, sum))
		return -1;
	mt_reclaim_line(v, &prev->sb, &cur->sb, secs, c->o->all,
			c->nl ? sum : NULL);
	if (!c->o->json) {
		mt_cols_print(stdout, hms, c->cols, v, c->ncols, NULL);
		return 0;
	}
	j = line_json(iso, secs);
	if (c->o->cgroup)
		add_cgroup(j, c->o->cgroup, cur->id);
	mt_cols_json(j, c->cols, v, c->ncols);
	return put_json(j);
}

/* Lines until COUNT or a signal.  Return: 0 or -1 after the error. */
static int watch(struct ctx *c, struct snap *s)
{
	struct snap *prev = &s[0], *cur = &s[1], *t;
	const struct reclaim_opts *o = c->o;
	int sfd = mt_signalfd();
	uint64_t k, deadline;
	int err = -1;

	if (sfd < 0) {
		mt_err("signalfd: %s", strerror(errno));
		return -1;
	}
	if (snap_take(c, prev))
		goto out;
	/* the header says the first sample is taken: out at once */
	if (!o->json && !o->by_cgroup) {
		mt_cols_header(stdout, c->cols, c->ncols, false);
		if (fflush(stdout)) {
			mt_err("write error: %s", strerror(errno));
			goto out;
		}
	}
	deadline = prev->mono_ns;
	for (k = 0; !o->count || k < o->count; k++) {
		deadline = mt_next_deadline(deadline, o->interval * 1000000000);
		if (mt_sleep_until(sfd, deadline))
			break;
		if (snap_take(c, cur))
			goto out;
		if (mt_signalled(sfd, 0))	/* nothing after a signal */
			break;
		if (o->by_cgroup && !o->json && k)
			putchar('\n');
		if (report(c, prev, cur))
			goto out;
		if (fflush(stdout)) {
			mt_err("write error: %s", strerror(errno));
			goto out;
		}
		t = prev;
		prev = cur;
		cur = t;
	}
	err = 0;
out:
	close(sfd);
	return err;
}

/*
 * The module, if a column needs it: --by-cgroup cannot go without it;
 * --all goes on without, its columns -, after one line that says why.
 * Return: 0 (@c->nl set or NULL) or -1 after the error.
 */
static int module_open(struct ctx *c, struct mt_nl *nl)
{
	int err;

	c->nl = NULL;
	if (c->o->by_cgroup) {
		if (mt_nl_open(nl))
			return -1;
		c->nl = nl;
		return 0;
	}
	if (!c->o->all)
		return 0;
	err = mt_nl_connect(nl, MEMTALLY_FAMILY_NAME);
	if (err == -ENOENT) {
		mt_err("the memtally module is not loaded: its columns are - (load it with: modprobe memtally)");
		return 0;
	}
	if (err) {
		mt_nl_report(nl, "opening a generic netlink socket", err);
		return -1;
	}
	c->nl = nl;
	return 0;
}

int cmd_reclaim(int argc, char **argv, bool json)
{
	struct reclaim_opts o = { .json = json, .top = 10 };
	struct ctx c = { .o = &o };
	struct snap s[2] = { 0 };
	char root[PATH_MAX];
	struct mt_nl nl;
	bool module;
	int err;

	if (reclaim_parse(argc, argv, &o))
		return MT_EXIT_USAGE;
	if (o.help) {
		fputs(reclaim_usage, stdout);
		return MT_EXIT_OK;
	}
	if (o.cgroup || o.by_cgroup) {
		if (mt_cli_cgroot(root, sizeof(root)))
			return MT_EXIT_RUNTIME;
		c.root = root;
		snprintf(c.dir, sizeof(c.dir), "%s%s", root,
			 o.cgroup && strcmp(o.cgroup, "/") ? o.cgroup : "");
	}
	c.ncols = mt_reclaim_line_cols(c.cols, o.all);
	if (module_open(&c, &nl))
		return MT_EXIT_RUNTIME;
	module = c.nl;
	err = watch(&c, s);
	mt_rows_free(&s[0].cg);
	mt_rows_free(&s[0].node);
	mt_rows_free(&s[1].cg);
	mt_rows_free(&s[1].node);
	if (module)
		mt_nl_close(&nl);
	return err ? MT_EXIT_RUNTIME : MT_EXIT_OK;
}
