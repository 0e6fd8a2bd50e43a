// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: output.  Tables have a header row, columns two spaces apart and
 * as wide as their widest cell, numbers right-aligned.  JSON is one line,
 * built with json-c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json.h>
#include <linux/memtally.h>

#include "cgpath.h"
#include "format.h"
#include "memstat.h"

#define CGROUP_COLS	(2 + MT_NR_CGROUP_COUNTERS)	/* path, id, counters */
#define U64_CHARS	21	/* UINT64_MAX in decimal, and a NUL */

/*
 * @cells: @nrows rows (the first one the header) of @ncols cells each;
 * @right: @ncols flags.  The widths are as many as the columns (out of
 * memory: none, the cells unaligned but all there).
 */
static void table_print(FILE *f, const char *indent, const bool *right,
			int ncols, const char **cells, size_t nrows)
{
	int *w = calloc(ncols > 0 ? ncols : 1, sizeof(*w)), c, len;
	size_t r;

	for (r = 0; w && r < nrows; r++)
		for (c = 0; c < ncols; c++) {
			len = strlen(cells[r * ncols + c]);
			if (len > w[c])
				w[c] = len;
		}
	for (r = 0; r < nrows; r++) {
		const char **cell = &cells[r * ncols];

		fputs(indent, f);

		for (c = 0; c < ncols; c++) {
			const char *sep = c ? "  " : "";
			int width = w ? w[c] : 0;

			if (right[c])
				fprintf(f, "%s%*s", sep, width, cell[c]);
			else if (c == ncols - 1)	/* no trailing blanks */
				fprintf(f, "%s%s", sep, cell[c]);
			else
				fprintf(f, "%s%-*s", sep, width, cell[c]);
		}
		fputc('\n', f);
	}
	free(w);
}

void mt_table_print(FILE *f, const bool *right, int ncols,
		    const char **cells, size_t nrows)
{
	table_print(f, "", right, ncols, cells, nrows);
}

/**
 * mt_tab_init() - a table of @nrows rows under the header @head
 * @t: the table
 * @ncols: columns
 * @nrows: rows, without the header
 * @head: @ncols titles
 *
 * Fill it with mt_tab_str(), mt_tab_num() and mt_tab_bytes(); a cell left
 * empty prints as "-".  Return: 0, or -ENOMEM.
 */
int mt_tab_init(struct mt_tab *t, int ncols, size_t nrows,
		const char *const *head)
{
	size_t i;
	int c;

	t->ncols = ncols;
	t->nrows = nrows;
	t->cells = calloc((nrows + 1) * ncols, sizeof(*t->cells));
	t->num = calloc((nrows + 1) * ncols, sizeof(*t->num));
	if (!t->cells || !t->num) {
		mt_tab_free(t);
		return -ENOMEM;
	}
	for (c = 0; c < ncols; c++)
		t->cells[c] = head[c];
	for (i = ncols; i < (nrows + 1) * ncols; i++)
		t->cells[i] = "-";
	return 0;
}

/* Cell (@row, @col) is @s, which must live as long as the table; NULL: - */
void mt_tab_str(struct mt_tab *t, size_t row, int col, const char *s)
{
	t->cells[(row + 1) * t->ncols + col] = s ? s : "-";
}

/* Cell (@row, @col) is printf(@fmt, ...), at most 31 characters */
void mt_tab_num(struct mt_tab *t, size_t row, int col, const char *fmt, ...)
{
	size_t i = (row + 1) * t->ncols + col;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->num[i], sizeof(t->num[i]), fmt, ap);
	va_end(ap);
	t->cells[i] = t->num[i];
}

/* The buffer of cell (@row, @col), 32 bytes, for a text made elsewhere */
char *mt_tab_buf(struct mt_tab *t, size_t row, int col)
{
	size_t i = (row + 1) * t->ncols + col;

	t->cells[i] = t->num[i];
	return t->num[i];
}

/* Cell (@row, @col) is @v in decimal */
void mt_tab_u64(struct mt_tab *t, size_t row, int col, uint64_t v)
{
	mt_tab_num(t, row, col, "%" PRIu64, v);
}

/* Cell (@row, @col) is @v bytes as mt_bytes() says it */
void mt_tab_bytes(struct mt_tab *t, size_t row, int col, uint64_t v)
{
	size_t i = (row + 1) * t->ncols + col;

	mt_bytes(t->num[i], sizeof(t->num[i]), v);
	t->cells[i] = t->num[i];
}

/*
 * Print @t to @f, each line after @indent; @right: the columns aligned
 * right, t->ncols flags (NULL: all but the first).  Frees @t.
 */
void mt_tab_print(FILE *f, struct mt_tab *t, const bool *right,
		  const char *indent)
{
	bool *r = right ? NULL : calloc(t->ncols, sizeof(*r));
	int c;

	for (c = 1; r && c < t->ncols; c++)
		r[c] = true;
	if (right || r)		/* out of memory: nothing */
		table_print(f, indent, right ? right : r, t->ncols, t->cells,
			    t->nrows + 1);
	free(r);
	mt_tab_free(t);
}

void mt_tab_free(struct mt_tab *t)
{
	free(t->cells);
	free(t->num);
	t->cells = NULL;
	t->num = NULL;
}

/* @key: @v, into object @o */
void mt_json_put_u64(struct json_object *o, const char *key, uint64_t v)
{
	json_object_object_add(o, key, json_object_new_uint64(v));
}

/* @key: @s, or null for NULL, into object @o */
void mt_json_put_str(struct json_object *o, const char *key, const char *s)
{
	json_object_object_add(o, key, s ? json_object_new_string(s) : NULL);
}

static struct json_object *path_json(const char *path)
{
	return path ? json_object_new_string(path) : NULL;
}

/*
 * @obj as mt_json_write() writes it, without the newline: NULL as null.
 * Return: 0 or -ENOMEM.
 */
static int json_inline(FILE *f, struct json_object *obj)
{
	const char *s;

	s = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
					   JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!s)
		return -ENOMEM;
	mt_utf8_fputs(s, f);
	return 0;
}

static const char *const hook_state_names[MT_NR_HOOK_STATES] = {
	[MEMTALLY_HOOK_STATE_ATTACHED]		= "attached",
	[MEMTALLY_HOOK_STATE_UNAVAILABLE]	= "unavailable",
	[MEMTALLY_HOOK_STATE_FAILED]		= "failed",
};

/* The name of enum memtally_hook_state @state; "unknown" past the last */
const char *mt_hook_state_name(uint32_t state)
{
	if (state >= MT_NR_HOOK_STATES)
		return "unknown";
	return hook_state_names[state];
}

/* Return: 0 or -ENOMEM. */
int mt_status_print(FILE *f, const struct mt_status *st)
{
	static const char *const head[] = { "HOOK", "TRACEPOINT", "STATE" };
	static const bool right[] = { false, false, false };
	enum { STATE_CHARS = 96 };
	char (*state)[STATE_CHARS];
	struct mt_tab t;
	size_t i;

	state = calloc(st->nr_hooks + 1, sizeof(*state));
	if (!state || mt_tab_init(&t, 3, st->nr_hooks, head)) {
		free(state);
		return -ENOMEM;
	}
	for (i = 0; i < st->nr_hooks; i++) {
		const struct mt_hook *h = &st->hooks[i];

		if (h->state == MEMTALLY_HOOK_STATE_FAILED)
			snprintf(state[i], STATE_CHARS, "failed (%s)",
				 strerror(h->err));
		else
			snprintf(state[i], STATE_CHARS, "%s",
				 mt_hook_state_name(h->state));
		mt_tab_str(&t, i, 0, h->name);
		mt_tab_str(&t, i, 1, h->tracepoint);
		mt_tab_str(&t, i, 2, state[i]);
	}
	fprintf(f, "version:           %s\n", st->version);
	fprintf(f, "kernel:            %s\n", st->kernel_release);
	fprintf(f, "cgroups:           %" PRIu64 "\n", st->nr_cgroups);
	fprintf(f, "unattributed:      %" PRIu64 "\n", st->unattributed);
	fprintf(f, "events dropped:    %" PRIu64 "\n", st->events_dropped);
	fprintf(f, "reclaim unpaired:  %" PRIu64 "\n", st->reclaim_unpaired);
	fprintf(f, "agent reclaim:     %s\n", st->reclaim_names_memcg ?
		"apart (the kernel names the cgroup reclaimed)" :
		"in memcg stalls (the kernel does not name the cgroup reclaimed)");
	if (st->stall_threshold_us)
		fprintf(f, "stall threshold:   %" PRIu64 " us\n\n",
			st->stall_threshold_us);
	else
		fputs("stall threshold:   off\n\n", f);
	mt_tab_print(f, &t, right, "");
	free(state);
	return 0;
}

struct json_object *mt_status_json(const struct mt_status *st)
{
	struct json_object *o = json_object_new_object();
	struct json_object *hooks = json_object_new_array();
	size_t i;

	json_object_object_add(o, "version",
			       json_object_new_string(st->version));
	json_object_object_add(o, "kernel_release",
			       json_object_new_string(st->kernel_release));
	mt_json_put_u64(o, "nr_cgroups", st->nr_cgroups);
	mt_json_put_u64(o, "unattributed", st->unattributed);
	mt_json_put_u64(o, "events_dropped", st->events_dropped);
	mt_json_put_u64(o, "reclaim_unpaired", st->reclaim_unpaired);
	json_object_object_add(o, "reclaim_names_memcg",
			       json_object_new_boolean(st->reclaim_names_memcg));
	mt_json_put_u64(o, "stall_threshold_us", st->stall_threshold_us);
	for (i = 0; i < st->nr_hooks; i++) {
		const struct mt_hook *h = &st->hooks[i];
		struct json_object *hook = json_object_new_object();

		json_object_object_add(hook, "name",
				       json_object_new_string(h->name));
		json_object_object_add(hook, "tracepoint",
				       json_object_new_string(h->tracepoint));
		json_object_object_add(hook, "state",
			json_object_new_string(mt_hook_state_name(h->state)));
		json_object_object_add(hook, "errno",
				       json_object_new_int64(h->err));
		json_object_array_add(hooks, hook);
	}
	json_object_object_add(o, "hooks", hooks);
	return o;
}

/* The settings of config-set, as config-set names them; 0 is off. */
void mt_config_print(FILE *f, const struct mt_status *st)
{
	if (st->stall_threshold_us)
		fprintf(f, "stall-threshold-us: %" PRIu64 "\n",
			st->stall_threshold_us);
	else
		fputs("stall-threshold-us: off\n", f);
}

struct json_object *mt_config_json(const struct mt_status *st)
{
	struct json_object *o = json_object_new_object();

	mt_json_put_u64(o, "stall_threshold_us", st->stall_threshold_us);
	return o;
}

/* The counters the table shows without --all, in table order */
static const enum mt_counter brief_cols[] = {
	MT_CTR_FAULTS_USER, MT_CTR_FAULTS_KERNEL, MT_CTR_DIRECT_STALLS,
	MT_CTR_MEMCG_STALLS, MT_CTR_PGSTEAL, MT_CTR_OOM_KILLS,
};

/*
 * The table of @v: PATH, ID and the brief counters, or with @all every
 * counter; then, if the rows have their memory.stat (ms), its brief keys
 * or with @all all (- where a row's could not be read or this kernel
 * lacks the key).  Return: 0 or -ENOMEM.
 */
int mt_cgroups_print(FILE *f, const struct mt_cgroup *v, size_t n, bool all)
{
	const char *head[CGROUP_COLS + MT_NR_MS] = { "PATH", "ID" };
	size_t ctr[MT_NR_CGROUP_COUNTERS];	/* counter of each column */
	size_t key[MT_NR_MS];			/* memory.stat key of each */
	size_t nctr = all ? MT_NR_CGROUP_COUNTERS :
			    sizeof(brief_cols) / sizeof(brief_cols[0]);
	size_t nms = 0;
	struct mt_tab t;
	size_t i, c;

	for (c = 0; c < nctr; c++) {
		ctr[c] = all ? c : brief_cols[c];
		head[2 + c] = mt_cgroup_counters[ctr[c]].header;
	}
	for (c = 0; n && v[0].ms && c < MT_NR_MS; c++)
		if (all || mt_ms_keys[c].brief) {
			key[nms] = c;
			head[2 + nctr + nms++] = mt_ms_keys[c].header;
		}
	if (mt_tab_init(&t, 2 + nctr + nms, n, head))
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		/* hierarchical counts where the caller computed them */
		const uint64_t *counters = v[i].rec ? v[i].rec->counters :
						      v[i].counters;
		const struct mt_memstat *ms = v[i].ms;

		mt_tab_str(&t, i, 0, v[i].path ? v[i].path : "?");
		mt_tab_u64(&t, i, 1, v[i].id);
		for (c = 0; c < nctr; c++)
			mt_tab_u64(&t, i, 2 + c, counters[ctr[c]]);
		for (c = 0; c < nms; c++) {
			if (ms && ms->ok && ms->has & (1u << key[c]))
				mt_tab_u64(&t, i, 2 + nctr + c, ms->v[key[c]]);
			else
				mt_tab_str(&t, i, 2 + nctr + c, "-");
		}
	}
	mt_tab_print(f, &t, NULL, "");
	return 0;
}

/* A row's memory.stat: its keys, null where this kernel lacks one; null
 * if it could not be read */
static struct json_object *memstat_json(const struct mt_memstat *ms)
{
	struct json_object *o;
	size_t k;

	if (!ms->ok)
		return NULL;
	o = json_object_new_object();
	for (k = 0; k < MT_NR_MS; k++)
		json_object_object_add(o, mt_ms_keys[k].key,
				       ms->has & (1u << k) ?
				       json_object_new_uint64(ms->v[k]) : NULL);
	return o;
}

/* memstat_json(), written */
static void memstat_write(FILE *f, const struct mt_memstat *ms)
{
	size_t k;

	if (!ms->ok) {
		fputs(",\"memory_stat\":null", f);
		return;
	}
	for (k = 0; k < MT_NR_MS; k++) {
		fprintf(f, "%s\"%s\":", k ? "," : ",\"memory_stat\":{",
			mt_ms_keys[k].key);
		if (ms->has & (1u << k))
			fprintf(f, "%" PRIu64, ms->v[k]);
		else
			fputs("null", f);
	}
	fputc('}', f);
}

static struct json_object *u64_array(const uint64_t *v, size_t n)
{
	struct json_object *a = json_object_new_array_ext(n);
	size_t i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_uint64(v[i]));
	return a;
}

/* Hierarchical counts: the counters and histograms by their JSON keys */
static struct json_object *sums_json(const struct mt_sums *r)
{
	struct json_object *o = json_object_new_object();
	size_t c;

	for (c = 0; c < MT_NR_CGROUP_COUNTERS; c++)
		mt_json_put_u64(o, mt_cgroup_counters[c].json, r->counters[c]);
	for (c = 0; c < MT_NR_STALL_KINDS; c++)
		json_object_object_add(o, mt_stall_kinds[c].hist_json,
			u64_array(r->hist[c], MEMTALLY_HIST_BUCKETS));
	return o;
}

/*
 * An unknown path (cgroup removed meanwhile) is null.  A row with
 * hierarchical counts (rec) also has them under "recursive".
 */
struct json_object *mt_cgroups_json(const struct mt_cgroup *v, size_t n)
{
	struct json_object *a = json_object_new_array();
	size_t i, c;

	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "path", path_json(v[i].path));
		mt_json_put_u64(o, "id", v[i].id);
		for (c = 0; c < MT_NR_CGROUP_COUNTERS; c++)
			mt_json_put_u64(o, mt_cgroup_counters[c].json,
					v[i].counters[c]);
		for (c = 0; c < MT_NR_STALL_KINDS; c++)
			json_object_object_add(o, mt_stall_kinds[c].hist_json,
				u64_array(v[i].hist[c], MEMTALLY_HIST_BUCKETS));
		json_object_object_add(o, "damon_age_hist",
				       u64_array(v[i].damon_age,
						 MEMTALLY_DAMON_AGE_BUCKETS));
		if (v[i].rec)
			json_object_object_add(o, "recursive",
					       sums_json(v[i].rec));
		if (v[i].ms)
			json_object_object_add(o, "memory_stat",
					       memstat_json(v[i].ms));
		json_object_array_add(a, o);
	}
	return a;
}

/* ,"@key":[v,...] */
static void u64s_write(FILE *f, const char *key, const uint64_t *v, size_t n)
{
	size_t i;

	fprintf(f, ",\"%s\":[", key);
	for (i = 0; i < n; i++)
		fprintf(f, i ? ",%" PRIu64 : "%" PRIu64, v[i]);
	fputc(']', f);
}

/* The counters and histograms of sums_json(); @first: no comma before */
static void sums_write(FILE *f, const uint64_t *counters,
		       const uint64_t (*hist)[MEMTALLY_HIST_BUCKETS], bool first)
{
	size_t c;

	for (c = 0; c < MT_NR_CGROUP_COUNTERS; c++)
		fprintf(f, "%s\"%s\":%" PRIu64, first && !c ? "" : ",",
			mt_cgroup_counters[c].json, counters[c]);
	for (c = 0; c < MT_NR_STALL_KINDS; c++)
		u64s_write(f, mt_stall_kinds[c].hist_json, hist[c],
			   MEMTALLY_HIST_BUCKETS);
}

/**
 * mt_cgroups_json_write() - mt_cgroups_json() printed (mt_json_print()),
 * byte for byte, but written as it goes
 *
 * A tree of json-c objects costs ~140 allocations a row: at 10,000
 * cgroups, 9 in 10 of the tool's time went to them.  json-c still
 * escapes each path; the keys are the counters' JSON keys, plain ASCII.
 *
 * Return: 0 or -ENOMEM.
 */
int mt_cgroups_json_write(FILE *f, const struct mt_cgroup *v, size_t n)
{
	struct json_object *path;
	size_t i;
	bool err;

	fputc('[', f);
	for (i = 0; i < n; i++) {
		fputs(i ? ",{\"path\":" : "{\"path\":", f);
		path = path_json(v[i].path);
		err = (v[i].path && !path) || json_inline(f, path);
		json_object_put(path);
		if (err)
			return -ENOMEM;
		fprintf(f, ",\"id\":%" PRIu64, v[i].id);
		sums_write(f, v[i].counters, v[i].hist, false);
		u64s_write(f, "damon_age_hist", v[i].damon_age,
			   MEMTALLY_DAMON_AGE_BUCKETS);
		if (v[i].rec) {
			fputs(",\"recursive\":{", f);
			sums_write(f, v[i].rec->counters, v[i].rec->hist, true);
			fputc('}', f);
		}
		if (v[i].ms)
			memstat_write(f, v[i].ms);
		fputc('}', f);
	}
	fputs("]\n", f);
	return 0;
}

const char *mt_kind_name(uint32_t kind)
{
	return kind < MT_NR_STALL_KINDS ? mt_stall_kinds[kind].name :
					  "unknown";
}

/* @ns as "850ns", "12.3us", "45.6ms" or "1.2s" */
void mt_duration(char *buf, size_t len, uint64_t ns)
{
	if (ns < 1000)
		snprintf(buf, len, "%" PRIu64 "ns", ns);
	else if (ns < 1000000)
		snprintf(buf, len, "%.1fus", ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, len, "%.1fms", ns / 1e6);
	else
		snprintf(buf, len, "%.1fs", ns / 1e9);
}

/* @ns since the epoch in local time: "2026-11-22T06:00:19.123+01:00" */
void mt_iso_time(char *buf, size_t len, uint64_t ns)
{
	time_t sec = ns / 1000000000;
	char date[32], zone[8];
	struct tm tm;

	localtime_r(&sec, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm);
	snprintf(buf, len, "%s.%03u%.3s:%s", date,
		 (unsigned int)(ns / 1000000 % 1000), zone, zone + 3);
}

#define HIST_STARS	40

/*
 * A stall histogram as BCC tools print one, without the empty buckets
 * before the first and after the last that counted: bucket 0 is "0 -> 1"
 * us, bucket i "2^i -> 2^(i+1)-1", the last one open-ended.
 */
void mt_hist_print(FILE *f, const uint64_t *b)
{
	static const char stars[] = "****************************************";
	size_t lo = 0, hi = MEMTALLY_HIST_BUCKETS, i;
	char high[U64_CHARS];
	uint64_t max = 0;

	while (lo < hi && !b[lo])
		lo++;
	while (hi > lo && !b[hi - 1])
		hi--;
	if (lo == hi)
		return;
	for (i = lo; i < hi; i++)
		if (b[i] > max)
			max = b[i];
	fputs("     usecs               : count     distribution\n", f);
	for (i = lo; i < hi; i++) {
		if (i == MEMTALLY_HIST_BUCKETS - 1)
			snprintf(high, sizeof(high), "inf");
		else
			snprintf(high, sizeof(high), "%llu",
				 (2ull << i) - 1);
		fprintf(f, "%10llu -> %-10s : %-8" PRIu64 " |%-*.*s|\n",
			i ? 1ull << i : 0, high, b[i], HIST_STARS,
			(int)((double)HIST_STARS * b[i] / max), stars);
	}
}

/* Whether to show stalls of kind @k of @cg, for @kind (-1: every kind) */
static bool stalls_shown(const struct mt_cgroup *cg, size_t k, int kind)
{
	return (kind < 0 || (size_t)kind == k) &&
	       cg->counters[mt_stall_kinds[k].stalls];
}

/*
 * Stalls of kind @k of @cg in no bucket: the module had no histograms
 * ready for the cgroup's first stall (its stall-hist-missed).  Only then:
 * a read between a stall's count and its bucket is no miss.
 */
static uint64_t stalls_unbucketed(const struct mt_cgroup *cg, size_t k)
{
	uint64_t stalls = cg->counters[mt_stall_kinds[k].stalls], sum = 0;
	size_t i;

	if (!cg->counters[MT_CTR_STALL_HIST_MISSED])
		return 0;
	for (i = 0; i < MEMTALLY_HIST_BUCKETS; i++)
		sum += cg->hist[k][i];
	return stalls > sum ? stalls - sum : 0;
}

static void stall_print(FILE *f, const struct mt_cgroup *cg, size_t k)
{
	const struct mt_stall_kind *sk = &mt_stall_kinds[k];
	uint64_t stalls = cg->counters[sk->stalls];
	uint64_t ns = cg->counters[sk->stall_ns];
	char total[32], avg[32];

	mt_duration(total, sizeof(total), ns);
	mt_duration(avg, sizeof(avg), ns / stalls);
	fprintf(f, "%s (%" PRIu64 ") %s: %" PRIu64 " stalls, total %s, average %s, %s %" PRIu64 " pages\n",
		cg->path ? cg->path : "?", cg->id, sk->name, stalls, total,
		avg, sk->pages_key, cg->counters[sk->pages]);
	mt_hist_print(f, cg->hist[k]);
	if (stalls_unbucketed(cg, k))
		fprintf(f, "%" PRIu64 " of the stalls are in no bucket: the module had no histogram ready for the cgroup's first stall\n",
			stalls_unbucketed(cg, k));
	if (k == MEMTALLY_RECLAIM_KIND_COMPACT)
		fprintf(f, "direct compaction runs: %" PRIu64 " made the page asked for, %" PRIu64 " did not; zones passed over: %" PRIu64 " deferred, %" PRIu64 " short of free pages\n",
			cg->counters[MT_CTR_COMPACT_SUCCESS],
			cg->counters[MT_CTR_COMPACT_FAILED],
			cg->counters[MT_CTR_COMPACT_DEFERRED],
			cg->counters[MT_CTR_COMPACT_SKIPPED]);
}

/*
 * For each cgroup and kind of reclaim (@kind, or every kind if -1) with
 * stalls: a line with their count, total and average time and the pages
 * they reclaimed, and their histogram.  A blank line separates them.
 */
void mt_stalls_print(FILE *f, const struct mt_cgroup *v, size_t n, int kind)
{
	bool first = true;
	size_t i, k;

	for (i = 0; i < n; i++)
		for (k = 0; k < MT_NR_STALL_KINDS; k++) {
			if (!stalls_shown(&v[i], k, kind))
				continue;
			if (!first)
				fputc('\n', f);
			stall_print(f, &v[i], k);
			first = false;
		}
}

static struct json_object *stall_json(const struct mt_cgroup *cg, size_t k)
{
	const struct mt_stall_kind *sk = &mt_stall_kinds[k];
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "path", path_json(cg->path));
	mt_json_put_u64(o, "id", cg->id);
	json_object_object_add(o, "kind", json_object_new_string(sk->name));
	mt_json_put_u64(o, "stalls", cg->counters[sk->stalls]);
	mt_json_put_u64(o, "stall_ns", cg->counters[sk->stall_ns]);
	mt_json_put_u64(o, sk->pages_key, cg->counters[sk->pages]);
	json_object_object_add(o, "buckets",
			       u64_array(cg->hist[k], MEMTALLY_HIST_BUCKETS));
	mt_json_put_u64(o, "unbucketed", stalls_unbucketed(cg, k));
	if (k == MEMTALLY_RECLAIM_KIND_COMPACT) {
		mt_json_put_u64(o, "success", cg->counters[MT_CTR_COMPACT_SUCCESS]);
		mt_json_put_u64(o, "failed", cg->counters[MT_CTR_COMPACT_FAILED]);
		mt_json_put_u64(o, "deferred", cg->counters[MT_CTR_COMPACT_DEFERRED]);
		mt_json_put_u64(o, "skipped", cg->counters[MT_CTR_COMPACT_SKIPPED]);
	}
	return o;
}

struct json_object *mt_stalls_json(const struct mt_cgroup *v, size_t n,
				   int kind)
{
	struct json_object *a = json_object_new_array();
	size_t i, k;

	for (i = 0; i < n; i++)
		for (k = 0; k < MT_NR_STALL_KINDS; k++)
			if (stalls_shown(&v[i], k, kind))
				json_object_array_add(a, stall_json(&v[i], k));
	return a;
}

/* One line: local time, the event, then its fields as name=value */
void mt_event_print(FILE *f, const struct mt_event *ev)
{
	const char *path = ev->path ? ev->path : "?";
	char time[48], stall[32];

	mt_iso_time(time, sizeof(time), ev->timestamp_ns);
	if (ev->cmd == MEMTALLY_CMD_RECLAIM_STALL_NTF) {
		mt_duration(stall, sizeof(stall), ev->stall_ns);
		fprintf(f, "%s reclaim-stall kind=%s pid=%" PRIu32
			" comm=%s cgroup=%s stall=%s reclaimed=%" PRIu64 "\n",
			time, mt_kind_name(ev->reclaim_kind), ev->pid,
			ev->comm, path, stall, ev->reclaimed);
		return;
	}
	fprintf(f, "%s oom-kill pid=%" PRIu32 " comm=%s cgroup=%s (%" PRIu64
		")", time, ev->pid, ev->comm, path, ev->cgroup_id);
	if (ev->has_uid)
		fprintf(f, " uid=%" PRIu32, ev->uid);
	/* in bytes, as the JSON: kB would be 1000 bytes, not the kernel's */
	fprintf(f, " anon-rss=%" PRIu64 " file-rss=%" PRIu64
		" shmem-rss=%" PRIu64 "\n", ev->anon_rss, ev->file_rss,
		ev->shmem_rss);
}

/* Keys as the attributes; "uid" only where the kernel gives it */
struct json_object *mt_event_json(const struct mt_event *ev)
{
	struct json_object *o = json_object_new_object();
	bool stall = ev->cmd == MEMTALLY_CMD_RECLAIM_STALL_NTF;

	json_object_object_add(o, "event", json_object_new_string(stall ?
			       "reclaim-stall" : "oom-kill"));
	mt_json_put_u64(o, "timestamp_ns", ev->timestamp_ns);
	mt_json_put_u64(o, "pid", ev->pid);
	json_object_object_add(o, "comm", json_object_new_string(ev->comm));
	mt_json_put_u64(o, "cgroup_id", ev->cgroup_id);
	json_object_object_add(o, "path", path_json(ev->path));
	if (stall) {
		json_object_object_add(o, "reclaim_kind",
			json_object_new_string(mt_kind_name(ev->reclaim_kind)));
		mt_json_put_u64(o, "stall_ns", ev->stall_ns);
		mt_json_put_u64(o, "reclaimed", ev->reclaimed);
		return o;
	}
	if (ev->has_uid)
		mt_json_put_u64(o, "uid", ev->uid);
	mt_json_put_u64(o, "anon_rss", ev->anon_rss);
	mt_json_put_u64(o, "file_rss", ev->file_rss);
	mt_json_put_u64(o, "shmem_rss", ev->shmem_rss);
	return o;
}

/**
 * mt_utf8_len() - the length of the valid UTF-8 sequence at @s
 * @s: a NUL-terminated string
 *
 * Return: 1 to 4, or 0 if @s starts with a byte of no valid sequence (a
 * stray continuation byte, an overlong form, a surrogate, a code point
 * past U+10FFFF, a sequence cut short).
 */
size_t mt_utf8_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, i;
	uint32_t c;

	if (p[0] < 0x80)
		return 1;
	if (p[0] < 0xc2 || p[0] > 0xf4)	/* continuation, overlong, too big */
		return 0;
	n = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
	c = p[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)	/* the NUL stops here too */
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (n == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	return n;
}

/*
 * @s into @f as UTF-8: each byte of an invalid sequence becomes U+FFFD.
 * Names are bytes (a cgroup's directory may hold any byte but '/', a
 * comm or command line whatever the process set), JSON is UTF-8.
 */
void mt_utf8_fputs(const char *s, FILE *f)
{
	const char *run = s;	/* valid bytes not yet written */
	size_t n;

	while (*s) {
		n = mt_utf8_len(s);
		if (n) {
			s += n;
			continue;
		}
		fwrite(run, 1, s - run, f);
		fputs(MT_UTF8_FFFD, f);
		run = ++s;
	}
	fwrite(run, 1, s - run, f);
}

/*
 * @obj on one line, valid UTF-8 whatever its strings hold: json-c passes
 * their bytes through, and a byte past 0x7f is only ever in a string.
 * Return: 0 or -ENOMEM.
 */
int mt_json_write(FILE *f, struct json_object *obj)
{
	if (json_inline(f, obj))
		return -ENOMEM;
	fputc('\n', f);
	return 0;
}

/* Print @obj on one line (mt_json_write()) and drop it.  0 or -ENOMEM. */
int mt_json_print(FILE *f, struct json_object *obj)
{
	int ret = mt_json_write(f, obj);

	json_object_put(obj);
	return ret;
}

/* The name of sort key @key for --sort, NULL after the last key. */
const char *mt_sort_name(unsigned int key)
{
	static const char *const names[] = {
		[MT_SORT_PATH]	= "path",
		[MT_SORT_ID]	= "id",
	};

	if (key < MT_SORT_COUNTER)
		return names[key];
	key -= MT_SORT_COUNTER;
	return key < MT_NR_CGROUP_COUNTERS ? mt_cgroup_counters[key].sort :
					     NULL;
}

static int u64_cmp(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

/* Counters descending, then path (tree order), then id ascending. */
static int cgroup_cmp(const void *pa, const void *pb, void *arg)
{
	const struct mt_cgroup *a = pa, *b = pb;
	unsigned int key = *(const unsigned int *)arg;
	/* hierarchical counts where the caller computed them, as shown */
	const uint64_t *ca = a->rec ? a->rec->counters : a->counters;
	const uint64_t *cb = b->rec ? b->rec->counters : b->counters;
	int r = 0;

	if (key >= MT_SORT_COUNTER)
		r = u64_cmp(cb[key - MT_SORT_COUNTER], ca[key - MT_SORT_COUNTER]);
	if (!r && key != MT_SORT_ID)
		r = mt_path_cmp(a->path, b->path);
	return r ? r : u64_cmp(a->id, b->id);
}

/* By @key (MT_SORT_*); a key past the last counter sorts by path */
void mt_cgroups_sort(struct mt_cgroup *v, size_t n, unsigned int key)
{
	if (key >= MT_SORT_COUNTER + MT_NR_CGROUP_COUNTERS)
		key = MT_SORT_PATH;	/* never past counters[] */
	if (n)	/* @v may be NULL then */
		qsort_r(v, n, sizeof(*v), cgroup_cmp, &key);
}

/* Keep the cgroups at or below @prefix, in order; returns how many. */
size_t mt_cgroups_filter(struct mt_cgroup *v, size_t n, const char *prefix)
{
	size_t i, kept = 0;

	for (i = 0; i < n; i++)
		if (v[i].path && mt_path_has_prefix(v[i].path, prefix))
			v[kept++] = v[i];
	return kept;
}

/* @bytes as "512 B", "16.6 MB", "1.2 GB": units of 1000, as the verdict */
void mt_bytes(char *buf, size_t len, uint64_t bytes)
{
	static const char *const units[] = { "kB", "MB", "GB", "TB", "PB" };
	double v = bytes;
	int u = -1;

	if (bytes < 1000) {
		snprintf(buf, len, "%" PRIu64 " B", bytes);
		return;
	}
	while (v >= 999.95 && u < 4) {
		v /= 1000;
		u++;
	}
	snprintf(buf, len, "%.1f %s", v, units[u]);
}
