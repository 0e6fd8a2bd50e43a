// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: output.  Tables have a header row, columns two spaces apart and
 * as wide as their widest cell, numbers right-aligned.  JSON is one line,
 * built with json-c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <json.h>
#include <linux/memtally.h>

#include "cgpath.h"
#include "format.h"

#define CGROUP_COLS	(2 + MT_NR_CGROUP_COUNTERS)	/* path, id, counters */
#define TABLE_MAX_COLS	CGROUP_COLS			/* the widest table */
#define U64_CHARS	21	/* UINT64_MAX in decimal, and a NUL */

/* @cells: @nrows rows (the first one the header) of @ncols cells each */
static void table_print(FILE *f, const bool *right, int ncols,
			const char **cells, size_t nrows)
{
	int w[TABLE_MAX_COLS] = { 0 }, c, len;
	size_t r;

	for (r = 0; r < nrows; r++)
		for (c = 0; c < ncols; c++) {
			len = strlen(cells[r * ncols + c]);
			if (len > w[c])
				w[c] = len;
		}
	for (r = 0; r < nrows; r++) {
		const char **cell = &cells[r * ncols];

		for (c = 0; c < ncols; c++) {
			const char *sep = c ? "  " : "";

			if (right[c])
				fprintf(f, "%s%*s", sep, w[c], cell[c]);
			else if (c == ncols - 1)	/* no trailing blanks */
				fprintf(f, "%s%s", sep, cell[c]);
			else
				fprintf(f, "%s%-*s", sep, w[c], cell[c]);
		}
		fputc('\n', f);
	}
}

static const char *const hook_state_names[] = {
	[MEMTALLY_HOOK_STATE_ATTACHED]		= "attached",
	[MEMTALLY_HOOK_STATE_UNAVAILABLE]	= "unavailable",
	[MEMTALLY_HOOK_STATE_FAILED]		= "failed",
};

static const char *hook_state_name(uint32_t state)
{
	if (state >= sizeof(hook_state_names) / sizeof(hook_state_names[0]))
		return "unknown";
	return hook_state_names[state];
}

/* Return: 0 or -ENOMEM. */
int mt_status_print(FILE *f, const struct mt_status *st)
{
	enum { COLS = 3, STATE_CHARS = 96 };
	static const bool right[COLS] = { false, false, false };
	const char **cells;
	char (*state)[STATE_CHARS];
	size_t i;

	cells = calloc((st->nr_hooks + 1) * COLS, sizeof(*cells));
	state = calloc(st->nr_hooks + 1, sizeof(*state));
	if (!cells || !state) {
		free(cells);
		free(state);
		return -ENOMEM;
	}
	cells[0] = "HOOK";
	cells[1] = "TRACEPOINT";
	cells[2] = "STATE";
	for (i = 0; i < st->nr_hooks; i++) {
		const struct mt_hook *h = &st->hooks[i];

		if (h->state == MEMTALLY_HOOK_STATE_FAILED)
			snprintf(state[i], STATE_CHARS, "failed (%s)",
				 strerror(h->err));
		else
			snprintf(state[i], STATE_CHARS, "%s",
				 hook_state_name(h->state));
		cells[(i + 1) * COLS] = h->name;
		cells[(i + 1) * COLS + 1] = h->tracepoint;
		cells[(i + 1) * COLS + 2] = state[i];
	}
	fprintf(f, "version:       %s\n", st->version);
	fprintf(f, "kernel:        %s\n", st->kernel_release);
	fprintf(f, "cgroups:       %" PRIu64 "\n", st->nr_cgroups);
	fprintf(f, "unattributed:  %" PRIu64 "\n\n", st->unattributed);
	table_print(f, right, COLS, cells, st->nr_hooks + 1);
	free(cells);
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
	json_object_object_add(o, "nr_cgroups",
			       json_object_new_uint64(st->nr_cgroups));
	json_object_object_add(o, "unattributed",
			       json_object_new_uint64(st->unattributed));
	for (i = 0; i < st->nr_hooks; i++) {
		const struct mt_hook *h = &st->hooks[i];
		struct json_object *hook = json_object_new_object();

		json_object_object_add(hook, "name",
				       json_object_new_string(h->name));
		json_object_object_add(hook, "tracepoint",
				       json_object_new_string(h->tracepoint));
		json_object_object_add(hook, "state",
			json_object_new_string(hook_state_name(h->state)));
		json_object_object_add(hook, "errno",
				       json_object_new_int64(h->err));
		json_object_array_add(hooks, hook);
	}
	json_object_object_add(o, "hooks", hooks);
	return o;
}

/* Return: 0 or -ENOMEM. */
int mt_cgroups_print(FILE *f, const struct mt_cgroup *v, size_t n)
{
	enum { COLS = CGROUP_COLS };
	bool right[COLS] = { false };	/* numbers right-aligned */
	char (*num)[COLS - 1][U64_CHARS];
	const char **cells;
	size_t i, c;

	cells = calloc((n + 1) * COLS, sizeof(*cells));
	num = calloc(n + 1, sizeof(*num));
	if (!cells || !num) {
		free(cells);
		free(num);
		return -ENOMEM;
	}
	cells[0] = "PATH";
	cells[1] = "ID";
	for (c = 0; c < MT_NR_CGROUP_COUNTERS; c++)
		cells[2 + c] = mt_cgroup_counters[c].header;
	for (c = 1; c < COLS; c++)
		right[c] = true;
	for (i = 0; i < n; i++) {
		const char **row = &cells[(i + 1) * COLS];

		snprintf(num[i][0], U64_CHARS, "%" PRIu64, v[i].id);
		for (c = 0; c < MT_NR_CGROUP_COUNTERS; c++)
			snprintf(num[i][1 + c], U64_CHARS, "%" PRIu64,
				 v[i].counters[c]);
		row[0] = v[i].path ? v[i].path : "?";
		for (c = 1; c < COLS; c++)
			row[c] = num[i][c - 1];
	}
	table_print(f, right, COLS, cells, n + 1);
	free(cells);
	free(num);
	return 0;
}

/* An unknown path (cgroup removed meanwhile) is null. */
struct json_object *mt_cgroups_json(const struct mt_cgroup *v, size_t n)
{
	struct json_object *a = json_object_new_array();
	size_t i, c;

	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "path", v[i].path ?
				       json_object_new_string(v[i].path) : NULL);
		json_object_object_add(o, "id", json_object_new_uint64(v[i].id));
		for (c = 0; c < MT_NR_CGROUP_COUNTERS; c++)
			json_object_object_add(o, mt_cgroup_counters[c].json,
				json_object_new_uint64(v[i].counters[c]));
		json_object_array_add(a, o);
	}
	return a;
}

/* Print @obj on one line and drop it.  Return: 0 or -ENOMEM. */
int mt_json_print(FILE *f, struct json_object *obj)
{
	const char *s;
	int ret = -ENOMEM;

	s = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
					   JSON_C_TO_STRING_NOSLASHESCAPE);
	if (s) {
		fprintf(f, "%s\n", s);
		ret = 0;
	}
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

/* Return: 0, or -EINVAL for an unknown key. */
int mt_sort_parse(const char *s, unsigned int *key)
{
	const char *name;
	unsigned int k;

	for (k = 0; (name = mt_sort_name(k)); k++)
		if (!strcmp(s, name)) {
			*key = k;
			return 0;
		}
	return -EINVAL;
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
	int r = 0;

	if (key >= MT_SORT_COUNTER)
		r = u64_cmp(b->counters[key - MT_SORT_COUNTER],
			    a->counters[key - MT_SORT_COUNTER]);
	if (!r && key != MT_SORT_ID)
		r = mt_path_cmp(a->path, b->path);
	return r ? r : u64_cmp(a->id, b->id);
}

void mt_cgroups_sort(struct mt_cgroup *v, size_t n, unsigned int key)
{
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
