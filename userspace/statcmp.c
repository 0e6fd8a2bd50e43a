// SPDX-License-Identifier: GPL-2.0
/*
 * memtally stat --compare: files of stat -o side by side.  The first file
 * (A) is the base: for every metric, each other file's mean, its change
 * against A's in %, and Welch's t-test of the two sets of run values
 * (unequal variances; two-sided p from GSL's Student t distribution).
 * The metrics come sorted by the smallest p, then by the largest change.
 * Where two files differ in more than the kernel (the command, its
 * settings, CPUs, memory, swap, THP, MGLRU), a warning says so: such a
 * comparison measures more than the kernel.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <json.h>

#include "cli.h"
#include "format.h"
#include "statcmp.h"

/**
 * mt_welch() - Welch's t-test: do @a and @b have the same mean?
 * @a: a sample
 * @na: its size
 * @b: another
 * @nb: its size
 * @w: t, the degrees of freedom and the two-sided p; all NAN when a
 *	sample has fewer than 2 values.  Two samples without any variance:
 *	p 1 if their means are equal, else 0.
 */
void mt_welch(const double *a, size_t na, const double *b, size_t nb,
	      struct mt_welch *w)
{
	double ma, mb, qa, qb, se2;

	w->t = w->df = w->p = NAN;
	if (na < 2 || nb < 2)
		return;
	ma = gsl_stats_mean(a, 1, na);
	mb = gsl_stats_mean(b, 1, nb);
	qa = gsl_stats_variance_m(a, 1, na, ma) / na;
	qb = gsl_stats_variance_m(b, 1, nb, mb) / nb;
	se2 = qa + qb;
	w->df = na + nb - 2;
	if (se2 == 0) {
		w->t = ma == mb ? 0 : copysign(INFINITY, mb - ma);
		w->p = ma == mb ? 1 : 0;
		return;
	}
	w->t = (mb - ma) / sqrt(se2);
	w->df = se2 * se2 / (qa * qa / (na - 1) + qb * qb / (nb - 1));
	w->p = 2 * gsl_cdf_tdist_Q(fabs(w->t), w->df);
}

/* Each metric an object with a source, a name and an array of values */
static bool metrics_ok(struct json_object *a)
{
	size_t i, n = json_object_array_length(a);
	struct json_object *m;

	for (i = 0; i < n; i++) {
		m = json_object_array_get_idx(a, i);
		if (!json_object_is_type(json_object_object_get(m, "source"),
					 json_type_string) ||
		    !json_object_is_type(json_object_object_get(m, "name"),
					 json_type_string) ||
		    !json_object_is_type(json_object_object_get(m, "values"),
					 json_type_array))
			return false;
	}
	return true;
}

/**
 * mt_cmp_load() - a file that stat -o saved
 * @f: filled in
 * @path: the file
 *
 * Prints the error.  Return: 0 or -1.
 */
int mt_cmp_load(struct mt_cmp_file *f, const char *path)
{
	struct json_object *m;

	f->path = path;
	if (access(path, R_OK)) {
		mt_err("%s: %s", path, strerror(errno));
		return -1;
	}
	f->doc = json_object_from_file(path);
	if (!f->doc) {
		mt_err("%s: not a file of memtally stat -o (no JSON, or cut short)",
		       path);
		return -1;
	}
	m = json_object_object_get(f->doc, "metrics");
	if (!json_object_is_type(m, json_type_array) ||
	    !json_object_is_type(json_object_object_get(f->doc, "system"),
				 json_type_object) ||
	    !json_object_is_type(json_object_object_get(f->doc, "runs"),
				 json_type_array) ||
	    !json_object_is_type(json_object_object_get(f->doc, "command"),
				 json_type_array) || !metrics_ok(m)) {
		mt_err("%s: not a file of memtally stat -o (its command, runs, system or metrics are not what stat writes)",
		       path);
		json_object_put(f->doc);
		f->doc = NULL;
		return -1;
	}
	return 0;
}

void mt_cmp_free(struct mt_cmp_file *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		json_object_put(f[i].doc);
		f[i].doc = NULL;
	}
}

static const char *str(struct json_object *o, const char *key)
{
	const char *s = json_object_get_string(json_object_object_get(o, key));

	return s ? s : "";
}

/* The metric (@source, @name) of @doc, or NULL */
static struct json_object *metric_of(struct json_object *doc,
				     const char *source, const char *name)
{
	struct json_object *a = json_object_object_get(doc, "metrics"), *m;
	size_t i, n = json_object_array_length(a);

	for (i = 0; i < n; i++) {
		m = json_object_array_get_idx(a, i);
		if (!strcmp(str(m, "source"), source) &&
		    !strcmp(str(m, "name"), name))
			return m;
	}
	return NULL;
}

/* A metric across the files */
struct row {
	const char *source, *name;
	double *mean, *change;	/* by file; change: vs the first, in % */
	struct mt_welch *w;	/* by file; [0] unused */
	double minp, maxchange;	/* for the order */
	bool zero;		/* 0 in every run of every file */
};

struct table {
	struct row *r;
	size_t nr;
};

/* The run values of @m (nulls left out) into @v (@cap at most) */
static size_t values_of(struct json_object *m, double *v, size_t cap)
{
	struct json_object *a = json_object_object_get(m, "values"), *x;
	size_t i, n = 0, len = json_object_array_length(a);

	for (i = 0; i < len && n < cap; i++) {
		x = json_object_array_get_idx(a, i);
		/* null: not measured; a number only, and a finite one */
		if ((json_object_is_type(x, json_type_int) ||
		     json_object_is_type(x, json_type_double)) &&
		    isfinite(json_object_get_double(x)))
			v[n++] = json_object_get_double(x);
	}
	return n;
}

static size_t runs_max(const struct mt_cmp_file *f, size_t n)
{
	size_t i, max = 1;

	for (i = 0; i < n; i++) {
		size_t r = json_object_array_length(json_object_object_get(f[i].doc,
									  "runs"));
		if (r > max)
			max = r;
	}
	return max;
}

/* Fill in row @r from the files */
static int row_fill(struct row *r, const struct mt_cmp_file *f, size_t n,
		    double *a, double *b, size_t cap)
{
	size_t i, j, na = 0, nb;
	struct json_object *m;

	r->mean = calloc(n, sizeof(*r->mean));
	r->change = calloc(n, sizeof(*r->change));
	r->w = calloc(n, sizeof(*r->w));
	if (!r->mean || !r->change || !r->w)
		return -ENOMEM;
	r->minp = INFINITY;
	r->maxchange = 0;
	r->zero = true;
	for (i = 0; i < n; i++) {
		m = metric_of(f[i].doc, r->source, r->name);
		nb = m ? values_of(m, i ? b : a, cap) : 0;
		if (!i)
			na = nb;
		for (j = 0; j < nb; j++)
			r->zero &= (i ? b : a)[j] == 0;
		r->mean[i] = nb ? gsl_stats_mean(i ? b : a, 1, nb) : NAN;
		if (!i)
			continue;
		r->change[i] = r->mean[0] != 0 && !isnan(r->mean[0]) ?
			       100 * (r->mean[i] - r->mean[0]) / fabs(r->mean[0]) :
			       NAN;
		mt_welch(a, na, b, nb, &r->w[i]);
		if (!isnan(r->w[i].p) && r->w[i].p < r->minp)
			r->minp = r->w[i].p;
		if (!isnan(r->change[i]) && fabs(r->change[i]) > r->maxchange)
			r->maxchange = fabs(r->change[i]);
	}
	return 0;
}

static int row_cmp(const void *x, const void *y)
{
	const struct row *a = x, *b = y;
	int c;

	if (a->minp != b->minp)
		return a->minp < b->minp ? -1 : 1;
	if (a->maxchange != b->maxchange)
		return a->maxchange > b->maxchange ? -1 : 1;
	c = strcmp(a->source, b->source);
	return c ? c : strcmp(a->name, b->name);
}

static void table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nr; i++) {
		free(t->r[i].mean);
		free(t->r[i].change);
		free(t->r[i].w);
	}
	free(t->r);
	t->r = NULL;
	t->nr = 0;
}

/* Every metric of any file, in order; @all: those 0 everywhere too */
static int table_make(struct table *t, const struct mt_cmp_file *f, size_t n,
		      bool all)
{
	size_t cap = runs_max(f, n), i, k, len, total = 0;
	double *a = calloc(cap, sizeof(*a)), *b = calloc(cap, sizeof(*b));
	struct json_object *ms, *m;
	int err = -ENOMEM;

	t->nr = 0;
	for (i = 0; i < n; i++)
		total += json_object_array_length(json_object_object_get(f[i].doc,
									"metrics"));
	t->r = calloc(total ? total : 1, sizeof(*t->r));
	if (!a || !b || !t->r)
		goto out;
	for (i = 0; i < n; i++) {
		ms = json_object_object_get(f[i].doc, "metrics");
		len = json_object_array_length(ms);
		for (k = 0; k < len; k++) {
			struct row *r = &t->r[t->nr];
			size_t j;
			bool seen = false;

			m = json_object_array_get_idx(ms, k);
			for (j = 0; j < i && !seen; j++)
				seen = metric_of(f[j].doc, str(m, "source"),
						 str(m, "name")) != NULL;
			if (seen)
				continue;
			r->source = str(m, "source");
			r->name = str(m, "name");
			t->nr++;
			if (row_fill(r, f, n, a, b, cap))
				goto out;
			if (r->zero && !all) {
				free(r->mean);
				free(r->change);
				free(r->w);
				t->nr--;
			}
		}
	}
	qsort(t->r, t->nr, sizeof(*t->r), row_cmp);
	err = 0;
out:
	free(a);
	free(b);
	if (err) {
		mt_err("out of memory");
		table_free(t);
	}
	return err;
}

/* What in @key of the system (or the file) differs between @a and @b */
static void differ(char *buf, size_t len, struct json_object *a,
		   struct json_object *b, const char *key)
{
	const char *x = json_object_to_json_string_ext(json_object_object_get(a, key),
						       JSON_C_TO_STRING_PLAIN |
						       JSON_C_TO_STRING_NOSLASHESCAPE);
	char *xs = strdup(x ? x : "null");
	const char *y = json_object_to_json_string_ext(json_object_object_get(b, key),
						       JSON_C_TO_STRING_PLAIN |
						       JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t n = strlen(buf);

	if (xs && y && strcmp(xs, y))
		snprintf(buf + n, len - n, "%s%s %s / %s", n ? ", " : "", key,
			 xs, y);
	free(xs);
}

/*
 * Whether the MemTotal of two systems is the same memory: within 5 %, for
 * each kernel keeps some of it (its code, its early reservations)
 */
static bool mem_near(struct json_object *sa, struct json_object *sb)
{
	double a = json_object_get_double(json_object_object_get(sa, "mem_total"));
	double b = json_object_get_double(json_object_object_get(sb, "mem_total"));

	return fabs(a - b) <= 0.05 * fmax(a, b);
}

/*
 * The warning for file @i against the first: what differs besides the
 * kernel (MemTotal by more than 5 %); "" if nothing
 */
static void warning_of(char *buf, size_t len, const struct mt_cmp_file *f,
		       size_t i)
{
	static const char *const sys[] = { "machine", "cpus", "mem_total",
					   "swap_total", "thp", "mglru" };
	struct json_object *sa = json_object_object_get(f[0].doc, "system");
	struct json_object *sb = json_object_object_get(f[i].doc, "system");
	size_t k;

	buf[0] = '\0';
	differ(buf, len, f[0].doc, f[i].doc, "command");
	differ(buf, len, f[0].doc, f[i].doc, "set");
	for (k = 0; k < sizeof(sys) / sizeof(sys[0]); k++) {
		if (!strcmp(sys[k], "mem_total") && mem_near(sa, sb))
			continue;
		differ(buf, len, sa, sb, sys[k]);
	}
}

static char letter(size_t i)
{
	return i < 26 ? 'A' + i : '?';
}

static void value_cell(struct mt_tab *t, size_t row, int col, double v)
{
	if (isnan(v))
		mt_tab_str(t, row, col, "-");
	else if (v == floor(v) || fabs(v) >= 100)
		mt_tab_num(t, row, col, "%.0f", v);
	else
		mt_tab_num(t, row, col, "%.3f", v);
}

/**
 * mt_cmp_print() - the files side by side
 * @out: where
 * @f: the files, the first the base
 * @n: how many (at least 2)
 * @all: metrics 0 in every run of every file too
 *
 * Return: 0, or -1 after the error.
 */
int mt_cmp_print(FILE *out, const struct mt_cmp_file *f, size_t n, bool all)
{
	int ncols = 3 + 3 * (int)(n - 1), c;
	char (*head)[24] = calloc(ncols, sizeof(*head));
	const char **hp = calloc(ncols, sizeof(*hp));
	bool *right = calloc(ncols, sizeof(*right));
	struct table tb = { 0 };
	char warn[1024];
	struct mt_tab t;
	size_t i, j;
	int ret = -1;

	if (!head || !hp || !right) {
		mt_err("out of memory");
		goto out;
	}
	if (table_make(&tb, f, n, all))
		goto out;
	fputs("memtally stat --compare\n", out);
	for (i = 0; i < n; i++) {
		struct json_object *sy = json_object_object_get(f[i].doc, "system");
		struct json_object *cmd = json_object_object_get(f[i].doc, "command");
		size_t k;

		struct json_object *mg = json_object_object_get(sy, "mglru");
		char mem[32], swap[32];

		mt_bytes(mem, sizeof(mem), json_object_get_uint64(
			json_object_object_get(sy, "mem_total")));
		mt_bytes(swap, sizeof(swap), json_object_get_uint64(
			json_object_object_get(sy, "swap_total")));
		fprintf(out, "  %c  %s: %zu runs of '", letter(i), f[i].path,
			json_object_array_length(json_object_object_get(f[i].doc,
									"runs")));
		for (k = 0; k < json_object_array_length(cmd); k++)
			fprintf(out, "%s%s", k ? " " : "",
				json_object_get_string(json_object_array_get_idx(cmd, k)));
		fprintf(out, "'\n     %s, %d CPUs, %s memory, %s swap, THP %s, MGLRU %s\n",
			str(sy, "kernel"),
			json_object_get_int(json_object_object_get(sy, "cpus")),
			mem, swap, *str(sy, "thp") ? str(sy, "thp") : "-",
			!mg ? "-" : json_object_get_boolean(mg) ? "on" : "off");
	}
	for (i = 1; i < n; i++) {
		warning_of(warn, sizeof(warn), f, i);
		if (warn[0])
			fprintf(out, "warning: %c differs from A in more than the kernel: %s\n",
				letter(i), warn);
	}
	fprintf(out, "Welch's t-test of the runs' values, two-sided; * significant: p < %.2f\n\n",
		MT_CMP_ALPHA);
	snprintf(head[0], sizeof(head[0]), "SOURCE");
	snprintf(head[1], sizeof(head[1]), "METRIC");
	snprintf(head[2], sizeof(head[2]), "A");
	for (i = 1; i < n; i++) {
		snprintf(head[3 * i], sizeof(head[0]), "%c", letter(i));
		snprintf(head[3 * i + 1], sizeof(head[0]), "%c-A %%", letter(i));
		snprintf(head[3 * i + 2], sizeof(head[0]), "p");
	}
	for (c = 0; c < ncols; c++) {
		hp[c] = head[c];
		right[c] = c >= 2;
	}
	if (mt_tab_init(&t, ncols, tb.nr, hp)) {
		mt_err("out of memory");
		goto out;
	}
	for (j = 0; j < tb.nr; j++) {
		const struct row *r = &tb.r[j];

		mt_tab_str(&t, j, 0, r->source);
		mt_tab_str(&t, j, 1, r->name);
		value_cell(&t, j, 2, r->mean[0]);
		for (i = 1; i < n; i++) {
			value_cell(&t, j, 3 * i, r->mean[i]);
			if (isnan(r->change[i]))
				mt_tab_str(&t, j, 3 * i + 1, "-");
			else
				mt_tab_num(&t, j, 3 * i + 1, "%+.2f%%",
					   r->change[i]);
			if (isnan(r->w[i].p))
				mt_tab_str(&t, j, 3 * i + 2, "-");
			else
				mt_tab_num(&t, j, 3 * i + 2, "%s%.3f",
					   r->w[i].p < MT_CMP_ALPHA ? "*" : "",
					   r->w[i].p);
		}
	}
	mt_tab_print(out, &t, right, "");
	ret = 0;
out:
	table_free(&tb);
	free(head);
	free(hp);
	free(right);
	return ret;
}

static struct json_object *num(double v)
{
	char buf[48];

	if (isnan(v) || isinf(v))
		return NULL;
	snprintf(buf, sizeof(buf), "%.10g", v);
	return json_object_new_double_s(v, buf);
}

/**
 * mt_cmp_json() - the comparison as JSON
 * @f: the files, the first the base
 * @n: how many
 * @all: metrics 0 in every run of every file too
 *
 * Return: the object, or NULL after the error.
 */
struct json_object *mt_cmp_json(const struct mt_cmp_file *f, size_t n,
				bool all)
{
	struct json_object *j, *a, *o, *vs, *x;
	struct table tb = { 0 };
	char warn[1024];
	size_t i, k;

	if (table_make(&tb, f, n, all))
		return NULL;
	j = json_object_new_object();
	mt_json_put_str(j, "test", "welch");
	json_object_object_add(j, "alpha", num(MT_CMP_ALPHA));
	a = json_object_new_array();
	for (i = 0; i < n; i++) {
		char name[2] = { letter(i), '\0' };

		o = json_object_new_object();
		mt_json_put_str(o, "name", name);
		mt_json_put_str(o, "path", f[i].path);
		mt_json_put_str(o, "kernel",
				str(json_object_object_get(f[i].doc, "system"),
				    "kernel"));
		json_object_object_add(o, "runs", json_object_new_int64(
			json_object_array_length(json_object_object_get(f[i].doc,
									"runs"))));
		json_object_object_add(o, "command", json_object_get(
			json_object_object_get(f[i].doc, "command")));
		json_object_array_add(a, o);
	}
	json_object_object_add(j, "files", a);
	a = json_object_new_array();
	for (i = 1; i < n; i++) {
		warning_of(warn, sizeof(warn), f, i);
		if (!warn[0])
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "file",
				       json_object_new_string((char[]){ letter(i), '\0' }));
		mt_json_put_str(o, "differs", warn);
		json_object_array_add(a, o);
	}
	json_object_object_add(j, "warnings", a);
	a = json_object_new_array();
	for (k = 0; k < tb.nr; k++) {
		const struct row *r = &tb.r[k];

		o = json_object_new_object();
		mt_json_put_str(o, "source", r->source);
		mt_json_put_str(o, "name", r->name);
		x = json_object_new_array();
		for (i = 0; i < n; i++)
			json_object_array_add(x, num(r->mean[i]));
		json_object_object_add(o, "means", x);
		vs = json_object_new_array();
		for (i = 1; i < n; i++) {
			x = json_object_new_object();
			json_object_object_add(x, "change_pct", num(r->change[i]));
			json_object_object_add(x, "t", num(r->w[i].t));
			json_object_object_add(x, "df", num(r->w[i].df));
			json_object_object_add(x, "p", num(r->w[i].p));
			json_object_object_add(x, "significant",
					       json_object_new_boolean(!isnan(r->w[i].p) &&
								       r->w[i].p < MT_CMP_ALPHA));
			json_object_array_add(vs, x);
		}
		json_object_object_add(o, "vs_a", vs);
		json_object_array_add(a, o);
	}
	json_object_object_add(j, "metrics", a);
	table_free(&tb);
	return j;
}
