// SPDX-License-Identifier: GPL-2.0
/* memtally hotcold: hot, warm and cold bytes per cgroup, from DAMON. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json.h>

#include "cli.h"
#include "cmds.h"
#include "damonnl.h"
#include "damonview.h"
#include "ksm.h"
#include "nl.h"

static const char hotcold_usage[] =
"Usage: memtally hotcold [-b] [--hot N] [--cold N] [-j]\n"
"\n"
"Show how much memory of the cgroups the bound DAMON context found hot,\n"
"warm and cold in its last complete aggregation, and their shares: bytes\n"
"accessed more than the hot threshold times per second are hot, fewer\n"
"than the cold threshold cold, the others warm (1 MB = 10^6 bytes).\n"
"\n"
"Options:\n"
"  -b, --by-cgroup  a line per cgroup with DAMON bytes, most first, and\n"
"                   then the total\n"
"      --hot N      set the hot threshold to N accesses per second first\n"
"      --cold N     set the cold threshold to N accesses per second first\n"
"                   (at most the hot one); needs CAP_SYS_ADMIN, applies\n"
"                   from the next aggregation\n"
"  -j, --json       print one JSON object\n"
"  -h, --help       show this help\n";

enum { OPT_HOT = 256, OPT_COLD };

static int rate_parse(const char *opt, const char *s, uint32_t *v)
{
	uint64_t u;

	if (mt_num_arg("hotcold", opt, s, 0, UINT32_MAX, &u))
		return MT_EXIT_USAGE;
	*v = u;
	return 0;
}

/* Return: 0, or MT_EXIT_USAGE after reporting the error. */
int hotcold_parse(int argc, char **argv, struct hotcold_opts *o)
{
	static const struct option longopts[] = {
		{ "by-cgroup", no_argument,       NULL, 'b' },
		{ "hot",       required_argument, NULL, OPT_HOT },
		{ "cold",      required_argument, NULL, OPT_COLD },
		{ "json",      no_argument,       NULL, 'j' },
		{ "help",      no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;	/* glibc: rescan from argv[1], forgetting earlier calls */
	while ((c = getopt_long(argc, argv, ":bjh", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			o->by_cgroup = true;
			break;
		case OPT_HOT:
			if (rate_parse("--hot", optarg, &o->hot))
				return MT_EXIT_USAGE;
			o->set_hot = true;
			break;
		case OPT_COLD:
			if (rate_parse("--cold", optarg, &o->cold))
				return MT_EXIT_USAGE;
			o->set_cold = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			o->help = true;
			break;
		default:
			return mt_getopt_err("hotcold", c, argv);
		}
	}
	if (optind < argc)
		return mt_usage_err("hotcold: unexpected argument '%s'",
				    argv[optind]);
	/* with one of them, the module checks against the other */
	if (o->set_hot && o->set_cold && o->cold > o->hot)
		return mt_usage_err("hotcold: --cold %" PRIu32 " is above --hot %" PRIu32,
				    o->cold, o->hot);
	return 0;
}

static int thresholds_set(struct mt_nl *nl, const struct hotcold_opts *o,
			  const struct mt_damon_info *info)
{
	uint32_t hot = o->set_hot ? o->hot : info->hot_rate;
	uint32_t cold = o->set_cold ? o->cold : info->cold_rate;
	int err = mt_nl_damon_thresholds(nl, hot, cold);

	if (err == -EPERM)
		mt_err("permission denied: changing the DAMON thresholds needs CAP_SYS_ADMIN");
	else if (err)
		mt_nl_report(nl, "changing the DAMON thresholds", err);
	else if (!o->json)
		printf("new thresholds: hot above %" PRIu32 ", cold below %"
		       PRIu32 " accesses/s, from the next aggregation\n",
		       hot, cold);
	return err ? -1 : 0;
}

static int hotcold_show(const struct hotcold_opts *o, const char *root,
			const struct mt_damon_info *info, struct mt_rows *l)
{
	struct mt_cgroup total;
	struct mt_cgmap map;
	size_t n;
	int err;

	if (mt_cli_paths(&map, root, l->v, l->nr))
		return -1;
	n = mt_hotcold_rows(l->v, l->nr, &total);
	if (!o->by_cgroup)
		n = 0;
	err = o->json ? mt_json_print(stdout, mt_hotcold_json(info, l->v, n,
							      &total)) :
			mt_hotcold_print(stdout, info, l->v, n, &total);
	if (err)
		mt_err("out of memory");
	mt_cgmap_free(&map);
	return err;
}

int cmd_hotcold(int argc, char **argv, bool json)
{
	struct hotcold_opts o = { .json = json };
	struct mt_damon_info info;
	struct mt_rows l = { 0 };
	char root[PATH_MAX];
	struct mt_nl nl;
	bool set;
	int err;

	if (hotcold_parse(argc, argv, &o))
		return MT_EXIT_USAGE;
	if (o.help) {
		fputs(hotcold_usage, stdout);
		return MT_EXIT_OK;
	}
	set = o.set_hot || o.set_cold;
	if (mt_cli_cgroot(root, sizeof(root)) || mt_nl_open(&nl))
		return MT_EXIT_RUNTIME;
	/* thresholds may be set before a context is bound: then only that */
	err = mt_cli_damon(&nl, &info, !set);
	if (!err && set) {
		err = thresholds_set(&nl, &o, &info);
		mt_damon_info_free(&info);
		if (!err)	/* the thresholds now in use */
			err = mt_cli_damon(&nl, &info, false);
	}
	if (!err && info.b.bound)
		err = mt_cli_cgroups(&nl, NULL, 0, &l) ||
		      hotcold_show(&o, root, &info, &l);
	mt_damon_info_free(&info);	/* freed and zeroed on errors: again */
	mt_rows_free(&l);
	mt_nl_close(&nl);
	return err ? MT_EXIT_RUNTIME : MT_EXIT_OK;
}
