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

static uint64_t damon_bytes(const struct mt_cgroup *cg)
{
	return cg->counters[MT_CTR_DAMON_HOT] +
	       cg->counters[MT_CTR_DAMON_WARM] +
	       cg->counters[MT_CTR_DAMON_COLD];
}

/**
 * mt_hotcold_shares() - percentages of hot, warm and cold bytes of @cg
 * @pct: receives them, 0 each when @cg has no DAMON bytes
 */
void mt_hotcold_shares(const struct mt_cgroup *cg, double pct[3])
{
	uint64_t sum = damon_bytes(cg);
	int i;

	for (i = 0; i < 3; i++)
		pct[i] = sum ? 100.0 * cg->counters[MT_CTR_DAMON_HOT + i] / sum :
			       0;
}

static int bytes_cmp(const void *pa, const void *pb)
{
	const struct mt_cgroup *a = pa, *b = pb;
	uint64_t x = damon_bytes(a), y = damon_bytes(b);

	if (x != y)
		return x < y ? 1 : -1;
	return (a->id > b->id) - (a->id < b->id);
}

/**
 * mt_hotcold_rows() - keep the rows of @v with DAMON bytes, most first,
 * and sum them into @total
 *
 * Return: the number of rows kept at the front of @v.
 */
size_t mt_hotcold_rows(struct mt_cgroup *v, size_t n, struct mt_cgroup *total)
{
	size_t i, m = 0;
	int k;

	memset(total, 0, sizeof(*total));
	total->path = "total";
	for (i = 0; i < n; i++) {
		if (!damon_bytes(&v[i]))
			continue;
		for (k = MT_CTR_DAMON_WSS; k <= MT_CTR_DAMON_COLD; k++)
			total->counters[k] += v[i].counters[k];
		v[m++] = v[i];
	}
	if (m)	/* @v may be NULL then: an empty dump */
		qsort(v, m, sizeof(*v), bytes_cmp);
	return m;
}

#define HC_COLS	7

static void row_cells(struct mt_tab *t, size_t row,
		      const struct mt_cgroup *cg)
{
	double pct[3];
	int i;

	mt_hotcold_shares(cg, pct);
	mt_tab_str(t, row, 0, cg->path ? cg->path : "?");
	for (i = 0; i < 3; i++) {
		mt_tab_bytes(t, row, 1 + i, cg->counters[MT_CTR_DAMON_HOT + i]);
		mt_tab_num(t, row, 4 + i, "%.1f%%", pct[i]);
	}
}

/* The thresholds line, then the rows @v[0..n) and @total */
int mt_hotcold_print(FILE *f, const struct mt_damon_info *info,
		     const struct mt_cgroup *v, size_t n,
		     const struct mt_cgroup *total)
{
	static const bool right[HC_COLS] = { false, true, true, true, true,
					     true, true };
	static const char *const head[HC_COLS] = { "PATH", "HOT", "WARM",
		"COLD", "HOT%", "WARM%", "COLD%" };
	struct mt_tab t;
	char aggr[32];
	size_t i;

	if (mt_tab_init(&t, HC_COLS, n + 1, head))
		return -ENOMEM;
	mt_duration(aggr, sizeof(aggr), info->b.aggr_us * 1000ull);
	fprintf(f, "hot: more than %" PRIu32 " accesses/s, cold: fewer than %"
		PRIu32 " accesses/s, aggregation interval %s\n",
		info->hot_rate, info->cold_rate, aggr);
	for (i = 0; i < n; i++)
		row_cells(&t, i, &v[i]);
	row_cells(&t, n, total);
	mt_tab_print(f, &t, right, "");
	return 0;
}

static struct json_object *row_json(const struct mt_cgroup *cg, bool id)
{
	struct json_object *o = json_object_new_object();
	static const char *const keys[] = { "hot", "warm", "cold" };
	double pct[3];
	char key[16];
	int i;

	mt_hotcold_shares(cg, pct);
	if (id) {
		json_object_object_add(o, "path", cg->path ?
				       json_object_new_string(cg->path) : NULL);
		json_object_object_add(o, "id",
				       json_object_new_uint64(cg->id));
	}
	for (i = 0; i < 3; i++) {
		json_object_object_add(o, keys[i], json_object_new_uint64(
			cg->counters[MT_CTR_DAMON_HOT + i]));
		snprintf(key, sizeof(key), "%s_pct", keys[i]);
		json_object_object_add(o, key, json_object_new_double(pct[i]));
	}
	return o;
}

/* {"hot_rate":N,"cold_rate":N,"aggr_us":N,"total":{...},"cgroups":[...]} */
struct json_object *mt_hotcold_json(const struct mt_damon_info *info,
				    const struct mt_cgroup *v, size_t n,
				    const struct mt_cgroup *total)
{
	struct json_object *o = json_object_new_object(), *a;
	size_t i;

	json_object_object_add(o, "hot_rate",
			       json_object_new_uint64(info->hot_rate));
	json_object_object_add(o, "cold_rate",
			       json_object_new_uint64(info->cold_rate));
	json_object_object_add(o, "aggr_us",
			       json_object_new_uint64(info->b.aggr_us));
	json_object_object_add(o, "total", row_json(total, false));
	a = json_object_new_array_ext(n);
	for (i = 0; i < n; i++)
		json_object_array_add(a, row_json(&v[i], true));
	json_object_object_add(o, "cgroups", a);
	return o;
}

/* config-set of the thresholds; the one not given stays.  Prints errors. */
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
