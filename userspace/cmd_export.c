// SPDX-License-Identifier: GPL-2.0
/*
 * memtally export: every number of the module in Prometheus text, for
 * node_exporter's textfile collector, written so that the collector never
 * reads half a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <json.h>

#include "cli.h"
#include "cmds.h"
#include "damonnl.h"
#include "ksm.h"
#include "nl.h"
#include "prom.h"
#include "sources.h"

static const char export_usage[] =
"Usage: memtally export --prometheus FILE [-a] [-p PATH] [-D DEPTH] [-j]\n"
"\n"
"Write the counters of every tracked cgroup, their stall histograms, the\n"
"node rows, the module's status and hooks, KSM's numbers and, while a\n"
"DAMON context is bound, its bytes per cgroup, in Prometheus' text format.\n"
"A cgroup's counter that is 0 is left out, and so is the histogram of a\n"
"stall kind it never had (a counter appears with its first event), and a\n"
"cgroup that never counted anything, so that thousands of idle cgroups\n"
"cost a scrape little; --all writes them.\n"
"Every cgroup sample has the labels cgroup (its id) and path.\n"
"FILE is replaced at once (a temporary file beside it is renamed over it),\n"
"so node_exporter's textfile collector reads the old or the new numbers,\n"
"never a part.  If anything cannot be read (the module is not loaded,\n"
"permission denied, no cgroup2, a netlink error), FILE holds only\n"
"memtally_up 0 after a comment \"# memtally export failed: \" with the\n"
"error line, and the exit code is 1.\n"
"\n"
"Options:\n"
"      --prometheus FILE  write FILE, such as\n"
"                         /var/lib/prometheus/node-exporter/memtally.prom;\n"
"                         - for standard output\n"
"  -a, --all              every counter and histogram, 0 too\n"
"  -p, --prefix PATH      only PATH and the cgroups below it\n"
"  -D, --cgroup-depth N   only cgroups N or fewer levels below the root\n"
"                         (0: the root cgroup alone)\n"
"  -j, --json             print what was written as one JSON object\n"
"  -h, --help             show this help\n";

enum { OPT_PROMETHEUS = 256 };

/* Return: 0, or MT_EXIT_USAGE after reporting the error. */
int export_parse(int argc, char **argv, struct export_opts *o)
{
	static const struct option longopts[] = {
		{ "prometheus", required_argument, NULL, OPT_PROMETHEUS },
		{ "all",        no_argument,       NULL, 'a' },
		{ "prefix",     required_argument, NULL, 'p' },
		{ "cgroup-depth", required_argument, NULL, 'D' },
		{ "json",       no_argument,       NULL, 'j' },
		{ "help",       no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	o->depth = -1;
	optind = 0;	/* glibc: rescan from argv[1], forgetting earlier calls */
	while ((c = getopt_long(argc, argv, ":ap:D:jh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_PROMETHEUS:
			o->prometheus = optarg;
			break;
		case 'a':
			o->all = true;
			break;
		case 'p':
			o->prefix = optarg;
			break;
		case 'D':
			if (mt_num_arg("export", "--cgroup-depth", optarg, 0,
				       INT_MAX, &v))
				return MT_EXIT_USAGE;
			o->depth = v;
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			o->help = true;
			break;
		default:
			return mt_getopt_err("export", c, argv);
		}
	}
	if (optind < argc)
		return mt_usage_err("export: unexpected argument '%s'",
				    argv[optind]);
	if (o->help)
		return 0;
	if (o->prefix && o->prefix[0] != '/')
		return mt_usage_err("export: a cgroup path starts with / (the cgroup2 mount)");
	if (!o->prometheus || !o->prometheus[0])
		return mt_usage_err("export: --prometheus FILE is required");
	if (o->json && !strcmp(o->prometheus, "-"))
		return mt_usage_err("export: --json and --prometheus - both write to standard output");
	return 0;
}

static void prom_writer(FILE *f, const void *arg)
{
	mt_prom_write(f, arg);
}

static int prom_output(const char *path, const struct mt_prom *p)
{
	return mt_write_output(path, prom_writer, p);
}

/* {"file":F,"up":B,"cgroups":N,"nodes":N}: what export wrote */
static int json_report(const char *path, const struct mt_prom *p)
{
	struct json_object *o = json_object_new_object();
	size_t i, n = 0;

	for (i = 0; i < p->nr_cgroups; i++)
		n += !!p->cgroups[i].path;
	json_object_object_add(o, "file", json_object_new_string(path));
	json_object_object_add(o, "up", json_object_new_boolean(p->st != NULL));
	json_object_object_add(o, "cgroups", json_object_new_uint64(n));
	json_object_object_add(o, "nodes",
			       json_object_new_uint64(p->nr_nodes));
	if (!mt_json_print(stdout, o))
		return 0;
	mt_err("out of memory");
	return -1;
}

/* How many levels below the root cgroup @path is: "/" 0, "/a/b" 2 */
static int path_depth(const char *path)
{
	int n = 0;

	for (; *path; path++)
		n += *path == '/' && path[1];
	return n;
}

/* Leaves out of @s's export the cgroups @o does not ask for */
static void export_pick(const struct export_opts *o, struct mt_sources *s)
{
	struct mt_cgroup *v = s->cgroups.v;
	size_t i, n = s->p.nr_cgroups;

	if (o->prefix)	/* as the kernel resolves it */
		n = mt_cgroups_filter(v, n, s->below);
	for (i = 0; o->depth >= 0 && i < n; i++)
		if (v[i].path && path_depth(v[i].path) > o->depth)
			v[i].path = NULL;	/* left out, as a removed one */
	s->p.nr_cgroups = n;
	s->p.all = o->all;
}

/**
 * mt_export_write() - write what mt_sources_read() (returning @err) read
 *
 * After any failure to read (@err non-zero), the file holds memtally_up 0
 * and, in a comment, the error line already printed: never an older
 * memtally_up 1.  Frees @s.
 *
 * Return: the exit code, MT_EXIT_RUNTIME after a failure to read.
 */
int mt_export_write(const struct export_opts *o, struct mt_sources *s, int err)
{
	int ret;

	if (err)
		s->p = (struct mt_prom){ .error = mt_err_last() };
	else
		export_pick(o, s);
	ret = prom_output(o->prometheus, &s->p);
	if (!ret && o->json)
		ret = json_report(o->prometheus, &s->p);
	mt_sources_free(s);
	return err || ret ? MT_EXIT_RUNTIME : MT_EXIT_OK;
}

int cmd_export(int argc, char **argv, bool json)
{
	struct export_opts o = { .json = json };
	struct mt_sources s;

	if (export_parse(argc, argv, &o))
		return MT_EXIT_USAGE;
	if (o.help) {
		fputs(export_usage, stdout);
		return MT_EXIT_OK;
	}
	/* the paths of only the cgroups written, unless --all */
	return mt_export_write(&o, &s, mt_sources_read(&s, o.prefix,
				o.all ? NULL : mt_prom_row_active));
}
