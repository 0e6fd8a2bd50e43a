// SPDX-License-Identifier: GPL-2.0
/*
 * memtally report: a comprehensive memory analysis in one command: the
 * memory overview, PSI, swap, faults, reclaim and OOM, KSM, DAMON, the top
 * consumers, then recommendations (recommend.c).  It reads a snapshot,
 * taken now or loaded from a file (--from), so both are one code path:
 * report.c collects, report_text.c and report_json.c show.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json.h>

#include "cli.h"
#include "cmds.h"
#include "format.h"
#include "ksm.h"
#include "recommend.h"
#include "report.h"
#include "snapfile.h"

#define DEFAULT_TOP	5

static const char report_usage[] =
"Usage: memtally report [--from FILE] [-n N] [-j]\n"
"\n"
"A comprehensive memory analysis: the memory overview (/proc/meminfo),\n"
"memory pressure (PSI) of the system and of each cgroup, swap devices, page\n"
"fault and major fault rates, reclaim stalls and OOM kills per cgroup, KSM,\n"
"DAMON, the top cgroups (memory.current) and processes (PSS, else RSS),\n"
"then recommendations, each with the data that triggered it (the rules and\n"
"thresholds are in the admin guide, \"Reports\").  A section whose data is\n"
"missing says so.  Without the memtally module the report is made from the\n"
"files alone, without the per-cgroup counters, KSM per cgroup and DAMON.\n"
"\n"
"Options:\n"
"      --from FILE  report on a snapshot (memtally snapshot -o FILE), maybe\n"
"                   of another host, instead of this host now\n"
"  -n, --top N      N cgroups and processes in each list (default 5)\n"
"  -j, --json       print one JSON object\n"
"  -h, --help       show this help\n";

struct report_opts {
	bool json;
	bool help;
	uint64_t top;
	const char *from;
};

/* Return: 0, or MT_EXIT_USAGE after reporting the error. */
static int report_parse(int argc, char **argv, struct report_opts *o)
{
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "top",  required_argument, NULL, 'n' },
		{ "json", no_argument,       NULL, 'j' },
		{ "help", no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;	/* glibc: rescan from argv[1], forgetting earlier calls */
	while ((c = getopt_long(argc, argv, ":n:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			o->from = optarg;
			break;
		case 'n':
			if (mt_num_arg("report", "--top", optarg, 1, 100000,
				       &o->top))
				return MT_EXIT_USAGE;
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			o->help = true;
			break;
		default:
			return mt_getopt_err("report", c, argv);
		}
	}
	if (optind < argc)
		return mt_usage_err("report: unexpected argument '%s'",
				    argv[optind]);
	if (o->from && !o->from[0])
		return mt_usage_err("report: --from takes a snapshot file");
	return 0;
}

/* Collecting: the snapshot into a struct mt_report */

int cmd_report(int argc, char **argv, bool json)
{
	struct report_opts o = { .json = json, .top = DEFAULT_TOP };
	struct mt_report r;
	struct mt_recs l;
	struct mt_snap s;
	int err;

	if (report_parse(argc, argv, &o))
		return MT_EXIT_USAGE;
	if (o.help) {
		fputs(report_usage, stdout);
		return MT_EXIT_OK;
	}
	if (o.from ? mt_snap_load(o.from, &s) :
	    mt_snap_take(MT_TAKE_MODULE | MT_TAKE_SYSTEM | MT_TAKE_PROCS, &s))
		return MT_EXIT_RUNTIME;
	err = mt_report_collect(&s, o.from, &r);
	if (!err) {
		err = mt_recommend(&r, &l);
		if (err)
			mt_report_free(&r);
	}
	if (err) {
		mt_snap_free(&s);
		mt_err("out of memory");
		return MT_EXIT_RUNTIME;
	}
	if (o.json)
		err = mt_json_print(stdout, mt_report_json(&r, &l, o.top));
	else
		mt_report_print(&r, &l, o.top);
	mt_recs_free(&l);
	mt_report_free(&r);
	mt_snap_free(&s);
	if (err) {
		mt_err("out of memory");
		return MT_EXIT_RUNTIME;
	}
	return MT_EXIT_OK;
}
