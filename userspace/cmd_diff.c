// SPDX-License-Identifier: GPL-2.0
/*
 * memtally diff: what changed between two snapshots, for each cgroup and
 * each counter and histogram bucket, the largest changes first.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json.h>
#include <linux/memtally.h>

#include "cli.h"
#include "cmds.h"
#include "snapfile.h"

static const char diff_usage[] =
"Usage: memtally diff A B [-j] [-n N] [-c PATH]\n"
"\n"
"Compare two snapshots of memtally snapshot, such as the same workload on\n"
"two kernels, or before and after a change: for each cgroup (matched by\n"
"path, or by id where a path is unknown) each counter and each histogram\n"
"bucket that changed, as A, B, B - A and the change in percent of A, the\n"
"largest absolute change first (then the largest relative one).  A cgroup\n"
"of only one snapshot counts from 0 and is listed at the end.\n"
"\n"
"Options:\n"
"  -n, --top N        only the N largest changes\n"
"  -c, --cgroup PATH  only the cgroup PATH\n"
"  -j, --json         print a JSON array\n"
"  -h, --help         show this help\n";

/* Return: 0, or MT_EXIT_USAGE after reporting the error. */
int diff_parse(int argc, char **argv, struct diff_opts *o)
{
	static const struct option longopts[] = {
		{ "top",    required_argument, NULL, 'n' },
		{ "cgroup", required_argument, NULL, 'c' },
		{ "json",   no_argument,       NULL, 'j' },
		{ "help",   no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;	/* glibc: rescan from argv[1], forgetting earlier calls */
	while ((c = getopt_long(argc, argv, ":n:c:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (mt_num_arg("diff", "--top", optarg, 1, UINT64_MAX,
				       &o->top))
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
			return mt_getopt_err("diff", c, argv);
		}
	}
	if (o->help)
		return 0;
	if (argc - optind != 2)
		return mt_usage_err(argc - optind < 2 ?
				    "diff: two snapshots are needed, A and B" :
				    "diff: unexpected argument '%s'",
				    argv[argc - 1]);
	o->a = argv[optind];
	o->b = argv[optind + 1];
	if (o->cgroup && o->cgroup[0] != '/')
		return mt_usage_err("diff: a cgroup path starts with / (the cgroup2 mount)");
	return 0;
}

#define LABEL_CHARS	64

/* One changed number of one cgroup */
struct change {
	const char *path;	/* NULL: unknown */
	uint64_t id;
	char label[LABEL_CHARS];	/* the counter, or histogram[bucket] */
	uint64_t a, b;
	bool has_a, has_b;	/* false: the cgroup is not in that snapshot */
	size_t order;		/* of the table, for equal changes */
};

struct changes {
	struct change *v;
	size_t nr, cap;
};

static uint64_t magnitude(const struct change *c)
{
	return c->b > c->a ? c->b - c->a : c->a - c->b;
}

/* |B - A| / A; infinite from 0 */
static double relative(const struct change *c)
{
	return c->a ? (double)magnitude(c) / c->a : INFINITY;
}

static int change_cmp(const void *pa, const void *pb)
{
	const struct change *a = pa, *b = pb;
	uint64_t ma = magnitude(a), mb = magnitude(b);
	double ra = relative(a), rb = relative(b);
	int r;

	if (ma != mb)
		return ma < mb ? 1 : -1;
	if (ra != rb)
		return ra < rb ? 1 : -1;
	r = mt_path_cmp(a->path, b->path);
	if (r)
		return r;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return (a->order > b->order) - (a->order < b->order);
}

/* The label of bucket @i of @n: "[0-1us]", "[2-3us]" ... "[>=524288us]" */
static void bucket_label(char *buf, const char *name, size_t i, size_t n,
			 const char *unit)
{
	if (i == n - 1)
		snprintf(buf, LABEL_CHARS, "%s[>=%llu%s]", name, 1ull << i,
			 unit);
	else
		snprintf(buf, LABEL_CHARS, "%s[%llu-%llu%s]", name,
			 i ? 1ull << i : 0, (2ull << i) - 1, unit);
}

static int add(struct changes *l, const struct mt_cgroup *a,
	       const struct mt_cgroup *b, const char *label, uint64_t va,
	       uint64_t vb)
{
	const struct mt_cgroup *cg = b ? b : a;
	struct change *c;

	if (va == vb && a && b)
		return 0;
	if (va == vb && !va)	/* a cgroup of one side: only its numbers */
		return 0;
	if (l->nr == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		c = realloc(l->v, l->cap * sizeof(*c));
		if (!c)
			return -ENOMEM;
		l->v = c;
	}
	c = &l->v[l->nr];
	c->path = cg->path ? cg->path : a->path;	/* by id: the known one */
	c->id = cg->id;
	snprintf(c->label, sizeof(c->label), "%s", label);
	c->a = va;
	c->b = vb;
	c->has_a = a;
	c->has_b = b;
	c->order = l->nr++;
	return 0;
}

/*
 * Every counter of mt_cgroup_counters[] and every bucket of @a and @b
 * (either may be NULL: a cgroup of one snapshot only, counted from 0).
 */
static int compare(struct changes *l, const struct mt_cgroup *a,
		   const struct mt_cgroup *b)
{
	static const struct mt_cgroup zero;
	const struct mt_cgroup *x = a ? a : &zero, *y = b ? b : &zero;
	char label[LABEL_CHARS];
	size_t c, i;
	int err = 0;

	for (c = 0; !err && c < MT_NR_CGROUP_COUNTERS; c++)
		err = add(l, a, b, mt_cgroup_counters[c].json,
			  x->counters[c], y->counters[c]);
	for (c = 0; c < MT_NR_STALL_KINDS; c++)
		for (i = 0; !err && i < MEMTALLY_HIST_BUCKETS; i++) {
			bucket_label(label, mt_stall_kinds[c].hist_json, i,
				     MEMTALLY_HIST_BUCKETS, "us");
			err = add(l, a, b, label, x->hist[c][i],
				  y->hist[c][i]);
		}
	for (i = 0; !err && i < MEMTALLY_DAMON_AGE_BUCKETS; i++) {
		bucket_label(label, "damon_age_hist", i,
			     MEMTALLY_DAMON_AGE_BUCKETS, "ms");
		err = add(l, a, b, label, x->damon_age[i], y->damon_age[i]);
	}
	return err;
}

/* Whether row @cg is shown with --cgroup @only (NULL: every row) */
static bool wanted(const struct mt_cgroup *cg, const char *only)
{
	return !only || (cg->path && !strcmp(cg->path, only));
}

/* @cg's match in @s: by path, or by id where either path is unknown */
static const struct mt_cgroup *match(const struct mt_snap *s,
				     const struct mt_cgroup *cg)
{
	const struct mt_cgroup *m;

	if (cg->path) {
		m = mt_snap_cgroup(s, cg->path);
		if (m)
			return m;
	}
	m = mt_snap_cgroup_id(s, cg->id);
	return m && (!m->path || !cg->path) ? m : NULL;
}

/**
 * mt_diff() - the changes from snapshot @a to @b, the largest first
 * @only: only the cgroup of this path; NULL: every cgroup
 *
 * Return: 0 or -ENOMEM.
 */
static int mt_diff(struct changes *l, const struct mt_snap *a,
		   const struct mt_snap *b, const char *only)
{
	size_t i;
	int err = 0;

	for (i = 0; !err && i < a->nr_cgroups; i++)
		if (wanted(&a->cgroups[i], only))
			err = compare(l, &a->cgroups[i],
				      match(b, &a->cgroups[i]));
	for (i = 0; !err && i < b->nr_cgroups; i++)
		if (wanted(&b->cgroups[i], only) &&
		    !match(a, &b->cgroups[i]))
			err = compare(l, NULL, &b->cgroups[i]);
	if (l->nr)
		qsort(l->v, l->nr, sizeof(*l->v), change_cmp);
	return err;
}

#define NUM_CHARS	24

static void fmt_u64(char *buf, bool has, uint64_t v)
{
	if (has)
		snprintf(buf, NUM_CHARS, "%" PRIu64, v);
	else
		snprintf(buf, NUM_CHARS, "-");
}

static void fmt_delta(char *buf, const struct change *c)
{
	snprintf(buf, NUM_CHARS, "%s%" PRIu64, c->b < c->a ? "-" : "+",
		 magnitude(c));
}

/* "+12.5%"; "-" from 0 */
static void fmt_pct(char *buf, const struct change *c)
{
	double r = relative(c) * 100;

	if (isinf(r))
		snprintf(buf, NUM_CHARS, "-");
	else
		snprintf(buf, NUM_CHARS, "%s%.1f%%", c->b < c->a ? "-" : "+",
			 r);
}

enum { COLS = 6 };

/* The table, then the cgroups of one snapshot.  Return: 0 or -ENOMEM. */
static int diff_print(FILE *f, const struct changes *l, size_t n,
		      const struct mt_snap *a, const struct mt_snap *b,
		      const char *only)
{
	static const char *const head[COLS] = {
		"PATH", "COUNTER", "A", "B", "DELTA", "%",
	};
	static const bool right[COLS] = { false, false, true, true, true,
					  true };
	struct mt_tab t;
	size_t i;

	if (mt_tab_init(&t, COLS, n, head))
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const struct change *c = &l->v[i];

		mt_tab_str(&t, i, 0, c->path ? c->path : "?");
		mt_tab_str(&t, i, 1, c->label);
		fmt_u64(mt_tab_buf(&t, i, 2), c->has_a, c->a);
		fmt_u64(mt_tab_buf(&t, i, 3), c->has_b, c->b);
		fmt_delta(mt_tab_buf(&t, i, 4), c);
		fmt_pct(mt_tab_buf(&t, i, 5), c);
	}
	if (n) {
		mt_tab_print(f, &t, right, "");
	} else {
		fputs("no changes\n", f);
		mt_tab_free(&t);
	}
	for (i = 0; i < a->nr_cgroups; i++)
		if (wanted(&a->cgroups[i], only) && !match(b, &a->cgroups[i]))
			fprintf(f, "only in A: %s (%" PRIu64 ")\n",
				a->cgroups[i].path ? a->cgroups[i].path : "?",
				a->cgroups[i].id);
	for (i = 0; i < b->nr_cgroups; i++)
		if (wanted(&b->cgroups[i], only) && !match(a, &b->cgroups[i]))
			fprintf(f, "only in B: %s (%" PRIu64 ")\n",
				b->cgroups[i].path ? b->cgroups[i].path : "?",
				b->cgroups[i].id);
	return 0;
}

static struct json_object *opt_u64(bool has, uint64_t v)
{
	return has ? json_object_new_uint64(v) : NULL;
}

static struct json_object *change_json(const struct change *c)
{
	struct json_object *o = json_object_new_object();
	double r = relative(c) * 100;
	uint64_t m = magnitude(c);

	json_object_object_add(o, "path", c->path ?
			       json_object_new_string(c->path) : NULL);
	json_object_object_add(o, "id", json_object_new_uint64(c->id));
	json_object_object_add(o, "counter",
			       json_object_new_string(c->label));
	json_object_object_add(o, "a", opt_u64(c->has_a, c->a));
	json_object_object_add(o, "b", opt_u64(c->has_b, c->b));
	/* past INT64_MAX only between absurd snapshots: then a double */
	if (m <= INT64_MAX)
		json_object_object_add(o, "delta", json_object_new_int64(
				       c->b < c->a ? -(int64_t)m : (int64_t)m));
	else
		json_object_object_add(o, "delta", json_object_new_double(
				       c->b < c->a ? -(double)m : (double)m));
	json_object_object_add(o, "pct", isinf(r) ? NULL :
			       json_object_new_double(c->b < c->a ? -r : r));
	return o;
}

/* The changes, then {"path","id","only_in":"a"|"b"} of each one-sided */
static struct json_object *diff_json(const struct changes *l, size_t n,
				     const struct mt_snap *a,
				     const struct mt_snap *b,
				     const char *only)
{
	const struct mt_snap *side[2] = { a, b };
	struct json_object *arr = json_object_new_array(), *o;
	size_t i, s;

	for (i = 0; i < n; i++)
		json_object_array_add(arr, change_json(&l->v[i]));
	for (s = 0; s < 2; s++)
		for (i = 0; i < side[s]->nr_cgroups; i++) {
			const struct mt_cgroup *cg = &side[s]->cgroups[i];

			if (!wanted(cg, only) || match(side[!s], cg))
				continue;
			o = json_object_new_object();
			json_object_object_add(o, "path", cg->path ?
				json_object_new_string(cg->path) : NULL);
			json_object_object_add(o, "id",
					       json_object_new_uint64(cg->id));
			json_object_object_add(o, "only_in",
				json_object_new_string(s ? "b" : "a"));
			json_object_array_add(arr, o);
		}
	return arr;
}

/* Prints the error.  Return: 0 or -1. */
static int snap_open(const char *path, struct mt_snap *s)
{
	if (mt_snap_load(path, s))
		return -1;
	if (s->has_module)
		return 0;
	mt_err("%s: taken without the memtally module: no counters to compare",
	       path);
	mt_snap_free(s);
	return -1;
}

int cmd_diff(int argc, char **argv, bool json)
{
	struct diff_opts o = { .json = json };
	struct changes l = { 0 };
	struct mt_snap a, b;
	size_t n;
	int err;

	if (diff_parse(argc, argv, &o))
		return MT_EXIT_USAGE;
	if (o.help) {
		fputs(diff_usage, stdout);
		return MT_EXIT_OK;
	}
	if (snap_open(o.a, &a))
		return MT_EXIT_RUNTIME;
	if (snap_open(o.b, &b)) {
		mt_snap_free(&a);
		return MT_EXIT_RUNTIME;
	}
	err = o.cgroup && !mt_snap_cgroup(&a, o.cgroup) &&
	      !mt_snap_cgroup(&b, o.cgroup);
	if (err)
		mt_err("no cgroup %s in either snapshot", o.cgroup);
	if (!err)
		err = mt_diff(&l, &a, &b, o.cgroup);
	n = o.top && o.top < l.nr ? o.top : l.nr;
	if (!err)
		err = o.json ? mt_json_print(stdout,
					     diff_json(&l, n, &a, &b, o.cgroup)) :
			       diff_print(stdout, &l, n, &a, &b, o.cgroup);
	if (err < 0)
		mt_err("out of memory");
	free(l.v);
	mt_snap_free(&a);
	mt_snap_free(&b);
	return err ? MT_EXIT_RUNTIME : MT_EXIT_OK;
}
