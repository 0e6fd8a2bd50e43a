// SPDX-License-Identifier: GPL-2.0
/*
 * memtally stat: the metrics of the runs of a command and what they say
 * together.  A metric is a (source, name) pair; each run holds a value for
 * the metrics it measured (a kernel without memory.pressure has none of
 * it).  The mean and the sample standard deviation are GSL's; a rate is
 * the metric's sum over the runs' wall time.  Stall percentiles come from
 * the module's log2 histograms merged over the runs: a percentile is the
 * bucket its rank falls in, told by the bucket's upper bound.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_statistics_double.h>
#include <json.h>

#include "format.h"
#include "stat.h"

const char *const mt_stat_src_names[MT_NR_SRC] = {
	[MT_SRC_RUN]		= "run",
	[MT_SRC_MODULE]		= "memtally",
	[MT_SRC_MEMSTAT]	= "memory.stat",
	[MT_SRC_EVENTS]		= "memory.events",
	[MT_SRC_PSI]		= "memory.pressure",
};

/* A new run, zeroed, at the end of @s->runs; NULL: out of memory */
struct mt_stat_run *mt_stat_run_add(struct mt_stat *s)
{
	struct mt_stat_run *r;

	if (s->nr == s->rcap) {
		size_t cap = s->rcap ? 2 * s->rcap : 8;

		r = realloc(s->runs, cap * sizeof(*r));
		if (!r)
			return NULL;
		s->runs = r;
		s->rcap = cap;
	}
	r = &s->runs[s->nr++];
	memset(r, 0, sizeof(*r));
	return r;
}

/* The index of metric (@src, @name), or -1 */
ssize_t mt_stat_find(const struct mt_stat *s, int src, const char *name)
{
	size_t i;

	for (i = 0; i < s->nm; i++)
		if (s->m[i].src == src && !strcmp(s->m[i].name, name))
			return i;
	return -1;
}

/**
 * mt_stat_put() - a value of run @r
 * @s: the runs; the metric is added to @s->m if new
 * @r: one of @s->runs
 * @src: enum mt_stat_src
 * @name: the metric's name in its source (at most MT_STAT_NAME - 1 bytes)
 * @unit: enum mt_stat_unit
 * @v: the value
 *
 * Return: 0, -ENAMETOOLONG or -ENOMEM.
 */
int mt_stat_put(struct mt_stat *s, struct mt_stat_run *r, int src,
		const char *name, int unit, double v)
{
	ssize_t i = mt_stat_find(s, src, name);
	size_t k;

	if (strlen(name) >= MT_STAT_NAME)
		return -ENAMETOOLONG;
	if (i < 0) {
		if (s->nm == s->mcap) {
			size_t cap = s->mcap ? 2 * s->mcap : 64;
			struct mt_stat_metric *m;

			m = realloc(s->m, cap * sizeof(*m));
			if (!m)
				return -ENOMEM;
			s->m = m;
			s->mcap = cap;
		}
		i = s->nm++;
		memset(&s->m[i], 0, sizeof(s->m[i]));
		strcpy(s->m[i].name, name);
		s->m[i].src = src;
		s->m[i].unit = unit;
	}
	if ((size_t)i >= r->nv) {
		double *nv = realloc(r->v, s->mcap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		for (k = r->nv; k < s->mcap; k++)
			nv[k] = NAN;
		r->v = nv;
		r->nv = s->mcap;
	}
	r->v[i] = v;
	return 0;
}

/* Run @r's value of metric @metric; NAN if it has none */
double mt_stat_value(const struct mt_stat_run *r, size_t metric)
{
	return metric < r->nv ? r->v[metric] : NAN;
}

void mt_stat_free(struct mt_stat *s)
{
	size_t i;

	for (i = 0; i < s->nr; i++)
		free(s->runs[i].v);
	free(s->runs);
	free(s->m);
	s->runs = NULL;
	s->m = NULL;
	s->nr = s->rcap = s->nm = s->mcap = 0;
}

/**
 * mt_stat_summarize() - what metric @metric's values say
 * @s: the runs
 * @metric: an index of @s->m
 * @sum: filled in; @sum->n 0 when no run has the metric
 *
 * Return: 0 or -ENOMEM.
 */
int mt_stat_summarize(const struct mt_stat *s, size_t metric,
		      struct mt_stat_sum *sum)
{
	ssize_t wall = mt_stat_find(s, MT_SRC_RUN, "wall_s");
	double *v = malloc((s->nr ? s->nr : 1) * sizeof(*v));
	double total = 0, secs = 0;
	size_t i, n = 0;

	if (!v)
		return -ENOMEM;
	for (i = 0; i < s->nr; i++) {
		double x = mt_stat_value(&s->runs[i], metric);

		if (isnan(x))
			continue;
		v[n++] = x;
		total += x;
		if (wall >= 0)
			secs += mt_stat_value(&s->runs[i], wall);
	}
	memset(sum, 0, sizeof(*sum));
	sum->n = n;
	sum->mean = sum->sd = sum->rsd_pct = sum->per_s = NAN;
	sum->min = sum->max = NAN;
	if (n) {
		sum->mean = gsl_stats_mean(v, 1, n);
		gsl_stats_minmax(&sum->min, &sum->max, v, 1, n);
	}
	if (n > 1) {
		sum->sd = gsl_stats_sd_m(v, 1, n, sum->mean);
		if (sum->mean != 0)
			sum->rsd_pct = 100 * sum->sd / fabs(sum->mean);
	}
	if (n && secs > 0 && (s->m[metric].unit == MT_UNIT_COUNT ||
			      s->m[metric].unit == MT_UNIT_SECONDS) &&
	    (ssize_t)metric != wall)
		sum->per_s = total / secs;
	free(v);
	return 0;
}

/**
 * mt_hist_pct_bucket() - the bucket percentile @pct of a histogram is in
 * @b: MEMTALLY_HIST_BUCKETS counts
 * @pct: 0 < @pct <= 100; 100: the highest bucket that has a count
 *
 * The value of rank ceil(@pct * N / 100) of the N counted, as the bucket
 * that holds it.  Return: the bucket, or -1 if @b is empty.
 */
int mt_hist_pct_bucket(const uint64_t *b, double pct)
{
	uint64_t n = 0, rank, seen = 0;
	int i;

	for (i = 0; i < MEMTALLY_HIST_BUCKETS; i++)
		n += b[i];
	if (!n)
		return -1;
	rank = (uint64_t)ceil(pct * (double)n / 100);
	if (rank < 1)
		rank = 1;
	for (i = 0; i < MEMTALLY_HIST_BUCKETS; i++) {
		seen += b[i];
		if (seen >= rank)
			return i;
	}
	return MEMTALLY_HIST_BUCKETS - 1;
}

/* The upper bound of bucket @i in us (bucket i holds [2^i, 2^(i+1)); 0: none */
static uint64_t bucket_below_us(int i)
{
	return i < MEMTALLY_HIST_BUCKETS - 1 ? 2ull << i : 0;
}

/* "<4.0ms", or ">=524.3ms" for the last bucket */
static void bucket_text(char *buf, size_t len, int i)
{
	char d[24];

	if (i == MEMTALLY_HIST_BUCKETS - 1) {
		mt_duration(d, sizeof(d), (1ull << i) * 1000);
		snprintf(buf, len, ">=%s", d);
	} else {
		mt_duration(d, sizeof(d), bucket_below_us(i) * 1000);
		snprintf(buf, len, "<%s", d);
	}
}

/* The histogram of kind @k merged over the runs */
static void hist_merged(const struct mt_stat *s, size_t k, uint64_t *b)
{
	size_t i;
	int j;

	memset(b, 0, MEMTALLY_HIST_BUCKETS * sizeof(*b));
	for (i = 0; i < s->nr; i++)
		for (j = 0; j < MEMTALLY_HIST_BUCKETS; j++)
			b[j] += s->runs[i].hist[k][j];
}

static const double pcts[] = { 50, 90, 99, 100 };
static const char *const pct_names[] = { "p50", "p90", "p99", "max" };
#define NR_PCTS	(sizeof(pcts) / sizeof(pcts[0]))

/* A value as the text shows it */
static void value_text(char *buf, size_t len, double v, int unit)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (unit == MT_UNIT_BYTES)
		mt_bytes(buf, len, (uint64_t)v);
	else if (unit == MT_UNIT_SECONDS)
		snprintf(buf, len, "%.3f", v);
	else if (v == floor(v) || fabs(v) >= 100)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.2f", v);
}

/* "memtally stat: 5 runs of 'CMD ARGS'" and the lines after it */
static void head_print(FILE *f, const struct mt_stat *s)
{
	unsigned int killed = 0, failed = 0;
	size_t i;
	char **a;

	fprintf(f, "memtally stat: %zu run%s of '", s->nr, s->nr == 1 ? "" : "s");
	for (a = s->argv; a && *a; a++)
		fprintf(f, "%s%s", a == s->argv ? "" : " ", *a);
	fputc('\'', f);
	if (s->warmup)
		fprintf(f, " after %u warm-up run%s", s->warmup,
			s->warmup == 1 ? "" : "s");
	fputc('\n', f);
	fprintf(f, "kernel %s, in cgroups %s", s->sys.kernel,
		s->cgroup ? s->cgroup : "-");
	for (i = 0; i < s->nset; i++)
		fprintf(f, "%s%s", i ? " " : " with ", s->set[i]);
	fputc('\n', f);
	for (i = 0; i < s->nr; i++) {
		killed += s->runs[i].sig != 0;
		failed += s->runs[i].code > 0;
	}
	if (s->interrupted)
		fprintf(f, "interrupted: %zu of %u runs done\n", s->nr,
			s->planned);
	if (killed || failed)
		fprintf(f, "the command failed in %u and was killed by a signal in %u of the runs\n",
			failed, killed);
}

/* Stall kinds with stalls: count (a run's mean) and merged percentiles */
static void stalls_print(FILE *f, const struct mt_stat *s)
{
	static const char *const head[] = { "STALLS", "PER RUN", "p50", "p90",
					     "p99", "max" };
	uint64_t b[MEMTALLY_HIST_BUCKETS];
	struct mt_tab t;
	size_t k, rows = 0, row = 0, p;

	for (k = 0; k < MT_NR_STALL_KINDS; k++) {
		hist_merged(s, k, b);
		rows += mt_hist_pct_bucket(b, 100) >= 0;
	}
	if (!rows || mt_tab_init(&t, 6, rows, head))
		return;
	for (k = 0; k < MT_NR_STALL_KINDS; k++) {
		uint64_t n = 0;
		int j;

		hist_merged(s, k, b);
		if (mt_hist_pct_bucket(b, 100) < 0)
			continue;
		for (j = 0; j < MEMTALLY_HIST_BUCKETS; j++)
			n += b[j];
		mt_tab_str(&t, row, 0, mt_stall_kinds[k].what);
		mt_tab_num(&t, row, 1, "%.1f", (double)n / s->nr);
		for (p = 0; p < NR_PCTS; p++)
			bucket_text(mt_tab_buf(&t, row, 2 + p), MT_TAB_CHARS,
				    mt_hist_pct_bucket(b, pcts[p]));
		row++;
	}
	fputc('\n', f);
	mt_tab_print(f, &t, NULL, "");
	fputs("(the histograms of every run together: a percentile is the log2 bucket it is in)\n",
	      f);
}

/**
 * mt_stat_print() - the runs as a table, like perf stat -r
 * @f: where
 * @s: the runs
 * @all: metrics that were 0 in every run too
 * @verbose: a column per run
 *
 * A line per metric: its source and name, mean, relative standard
 * deviation, rate per second of wall time; the stalls' percentiles after.
 */
void mt_stat_print(FILE *f, const struct mt_stat *s, bool all, bool verbose)
{
	static const char *const fixed[] = { "SOURCE", "METRIC", "MEAN",
					     "+-RSD", "PER SEC" };
	int ncols = 5 + (verbose ? (int)s->nr : 0), c;
	const char **head = calloc(ncols, sizeof(*head));
	char (*run_head)[24] = calloc(s->nr + 1, sizeof(*run_head));
	struct mt_stat_sum sum;
	size_t i, rows = 0, row = 0, r;
	bool *right = calloc(ncols, sizeof(*right));
	struct mt_tab t;

	head_print(f, s);
	if (!head || !run_head || !right)
		goto out;
	for (c = 0; c < 5; c++)
		head[c] = fixed[c];
	for (r = 0; verbose && r < s->nr; r++) {
		snprintf(run_head[r], sizeof(run_head[r]), "RUN %zu", r + 1);
		head[5 + r] = run_head[r];
	}
	for (c = 2; c < ncols; c++)
		right[c] = true;
	for (i = 0; i < s->nm; i++)
		if (!mt_stat_summarize(s, i, &sum) && sum.n &&
		    (all || sum.max != 0 || sum.min != 0))
			rows++;
	if (mt_tab_init(&t, ncols, rows, head))
		goto out;
	for (i = 0; i < s->nm && row < rows; i++) {
		const struct mt_stat_metric *m = &s->m[i];

		if (mt_stat_summarize(s, i, &sum) || !sum.n ||
		    (!all && sum.max == 0 && sum.min == 0))
			continue;
		mt_tab_str(&t, row, 0, mt_stat_src_names[m->src]);
		mt_tab_str(&t, row, 1, m->name);
		value_text(mt_tab_buf(&t, row, 2), MT_TAB_CHARS, sum.mean,
			   m->unit);
		if (isnan(sum.rsd_pct))
			mt_tab_str(&t, row, 3, "-");
		else
			mt_tab_num(&t, row, 3, "%.2f%%", sum.rsd_pct);
		if (isnan(sum.per_s))
			mt_tab_str(&t, row, 4, "-");
		else
			mt_tab_num(&t, row, 4, "%.2f", sum.per_s);
		for (r = 0; verbose && r < s->nr; r++)
			value_text(mt_tab_buf(&t, row, 5 + r), MT_TAB_CHARS,
				   mt_stat_value(&s->runs[r], i), m->unit);
		row++;
	}
	fputc('\n', f);
	mt_tab_print(f, &t, right, "");
	stalls_print(f, s);
out:
	free(head);
	free(run_head);
	free(right);
}

/* @v as a JSON number with @fmt, or null when NAN */
static struct json_object *num_json(double v, const char *fmt)
{
	char buf[64];

	if (isnan(v))
		return NULL;
	snprintf(buf, sizeof(buf), fmt, v);
	return json_object_new_double_s(v, buf);
}

static struct json_object *sys_json(const struct mt_stat_sys *y)
{
	struct json_object *j = json_object_new_object();

	mt_json_put_str(j, "kernel", y->kernel);
	mt_json_put_str(j, "machine", y->machine);
	json_object_object_add(j, "cpus", json_object_new_int64(y->cpus));
	mt_json_put_u64(j, "mem_total", y->mem_total);
	mt_json_put_u64(j, "swap_total", y->swap_total);
	json_object_object_add(j, "thp", y->thp[0] ?
			       json_object_new_string(y->thp) : NULL);
	json_object_object_add(j, "mglru", y->mglru < 0 ? NULL :
			       json_object_new_boolean(y->mglru));
	json_object_object_add(j, "module", y->module[0] ?
			       json_object_new_string(y->module) : NULL);
	return j;
}

static struct json_object *strv_json(char **v, size_t n)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; v && (n == SIZE_MAX ? v[i] != NULL : i < n); i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

static struct json_object *metric_json(const struct mt_stat *s, size_t i)
{
	static const char *const units[] = {
		[MT_UNIT_COUNT] = "count", [MT_UNIT_SECONDS] = "seconds",
		[MT_UNIT_BYTES] = "bytes", [MT_UNIT_LEVEL] = "level",
	};
	struct json_object *j = json_object_new_object(), *v;
	struct mt_stat_sum sum;
	size_t r;

	mt_json_put_str(j, "source", mt_stat_src_names[s->m[i].src]);
	mt_json_put_str(j, "name", s->m[i].name);
	mt_json_put_str(j, "unit", units[s->m[i].unit]);
	if (mt_stat_summarize(s, i, &sum))
		memset(&sum, 0, sizeof(sum));	/* out of memory: n 0 */
	json_object_object_add(j, "runs", json_object_new_int64(sum.n));
	json_object_object_add(j, "mean", num_json(sum.mean, "%.17g"));
	json_object_object_add(j, "stddev", num_json(sum.sd, "%.17g"));
	json_object_object_add(j, "rsd_pct", num_json(sum.rsd_pct, "%.4f"));
	json_object_object_add(j, "min", num_json(sum.min, "%.17g"));
	json_object_object_add(j, "max", num_json(sum.max, "%.17g"));
	json_object_object_add(j, "per_s", num_json(sum.per_s, "%.6g"));
	v = json_object_new_array();
	for (r = 0; r < s->nr; r++)
		json_object_array_add(v, num_json(mt_stat_value(&s->runs[r], i),
						  "%.17g"));
	json_object_object_add(j, "values", v);
	return j;
}

static struct json_object *stalls_json(const struct mt_stat *s)
{
	struct json_object *a = json_object_new_array(), *j, *h;
	uint64_t b[MEMTALLY_HIST_BUCKETS], n;
	size_t k, p;
	int i;

	for (k = 0; k < MT_NR_STALL_KINDS; k++) {
		hist_merged(s, k, b);
		if (mt_hist_pct_bucket(b, 100) < 0)
			continue;
		j = json_object_new_object();
		mt_json_put_str(j, "kind", mt_stall_kinds[k].name);
		h = json_object_new_array();
		for (n = 0, i = 0; i < MEMTALLY_HIST_BUCKETS; i++) {
			n += b[i];
			json_object_array_add(h, json_object_new_uint64(b[i]));
		}
		mt_json_put_u64(j, "count", n);
		for (p = 0; p < NR_PCTS; p++) {
			char key[16];
			uint64_t us;

			i = mt_hist_pct_bucket(b, pcts[p]);
			us = bucket_below_us(i);
			snprintf(key, sizeof(key), "%s_below_us", pct_names[p]);
			json_object_object_add(j, key, us ?
					       json_object_new_uint64(us) : NULL);
		}
		json_object_object_add(j, "hist", h);
		json_object_array_add(a, j);
	}
	return a;
}

/**
 * mt_stat_json() - the runs as a JSON object: what --json prints and -o
 * saves, and what stat --compare reads
 * @s: the runs
 *
 * Return: the object; NULL when out of memory.
 */
struct json_object *mt_stat_json(const struct mt_stat *s)
{
	struct json_object *j = json_object_new_object(), *a, *r;
	size_t i;

	if (!j)
		return NULL;
	json_object_object_add(j, "command", strv_json(s->argv, SIZE_MAX));
	json_object_object_add(j, "cgroup", s->cgroup ?
			       json_object_new_string(s->cgroup) : NULL);
	json_object_object_add(j, "set", strv_json(s->set, s->nset));
	json_object_object_add(j, "warmup", json_object_new_int64(s->warmup));
	json_object_object_add(j, "planned",
			       json_object_new_int64(s->planned));
	json_object_object_add(j, "interrupted",
			       json_object_new_boolean(s->interrupted));
	json_object_object_add(j, "system", sys_json(&s->sys));
	a = json_object_new_array();
	for (i = 0; i < s->nr; i++) {
		r = json_object_new_object();
		json_object_object_add(r, "exit_code", s->runs[i].sig ? NULL :
				       json_object_new_int(s->runs[i].code));
		json_object_object_add(r, "signal", s->runs[i].sig ?
				       json_object_new_int(s->runs[i].sig) :
				       NULL);
		json_object_array_add(a, r);
	}
	json_object_object_add(j, "runs", a);
	a = json_object_new_array();
	for (i = 0; i < s->nm; i++)
		json_object_array_add(a, metric_json(s, i));
	json_object_object_add(j, "metrics", a);
	json_object_object_add(j, "stalls", stalls_json(s));
	return j;
}
