// SPDX-License-Identifier: GPL-2.0
/*
 * memtally top: what each cgroup did between two dumps (rates per second,
 * as memtally reclaim computes them), with its OOM kills, what KSM saves
 * for it (mt_ksm_cg_saved(), among the cgroups shown), DAMON working set and
 * memory pressure; filtered by path and sorted.
 * Pure: no netlink, no terminal, so that the unit tests call it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json.h>

#include "cgpath.h"
#include "format.h"
#include "ksm.h"
#include "rate.h"
#include "toprows.h"

static const char *const key_names[MT_NR_TOP_KEYS] = {
	[MT_TOP_FAULTS]		= "faults",
	[MT_TOP_STALLS]		= "stalls",
	[MT_TOP_OOM]		= "oom",
	[MT_TOP_KSM]		= "ksm",
	[MT_TOP_WSS]		= "wss",
	[MT_TOP_PSI_SOME]	= "psi-some",
	[MT_TOP_PSI_FULL]	= "psi-full",
};

const char *const mt_top_heads[MT_NR_TOP_COLS] = {
	"PATH", "FAULTS/s", "STALLS/s", "STALL-ms/s", "COMPACT-ms/s", "OOM",
	"KSM-SAVED", "WSS", "PSI-SOME", "PSI-FULL",
};

const bool mt_top_right[MT_NR_TOP_COLS] = {
	false, true, true, true, true, true, true, true, true, true,
};

/* The name of sort key @key, or NULL past the last */
const char *mt_top_key_name(unsigned int key)
{
	return key < MT_NR_TOP_KEYS ? key_names[key] : NULL;
}

/* The name of @key to show: "?" for none, never past key_names[] */
static const char *key_label(unsigned int key)
{
	const char *name = mt_top_key_name(key);

	return name ? name : "?";
}

/* Show the prompt, its line empty */
void mt_top_input_start(struct mt_top_input *in)
{
	in->active = true;
	in->len = 0;
	in->buf[0] = '\0';
}

/**
 * mt_top_input_key() - key @ch typed at the prompt
 * @ch: a byte as the terminal sends it; the caller maps the terminal's
 *	Enter and Backspace keys to '\n' and '\b'
 *
 * Enter ('\n', '\r') ends the line, Escape cancels it, Backspace ('\b',
 * DEL) erases a character (a UTF-8 sequence whole), ^U the line; any other
 * byte from space up is typed, as long as the line has room.  Other keys
 * do nothing.
 *
 * Return: MT_TOP_INPUT_MORE, or MT_TOP_INPUT_DONE (the line in in->buf)
 * or MT_TOP_INPUT_CANCEL, the prompt gone.
 */
int mt_top_input_key(struct mt_top_input *in, int ch)
{
	switch (ch) {
	case '\n':
	case '\r':
		in->active = false;
		return MT_TOP_INPUT_DONE;
	case 0x1b:
		in->active = false;
		return MT_TOP_INPUT_CANCEL;
	case '\b':
	case 0x7f:
		while (in->len && ((unsigned char)in->buf[in->len - 1] &
				   0xc0) == 0x80)
			in->len--;	/* continuation bytes */
		if (in->len)
			in->len--;
		break;
	case 0x15:	/* ^U */
		in->len = 0;
		break;
	default:
		if (ch < ' ' || ch > 0xff || in->len >= sizeof(in->buf) - 1)
			return MT_TOP_INPUT_MORE;
		in->buf[in->len++] = ch;
		break;
	}
	in->buf[in->len] = '\0';
	return MT_TOP_INPUT_MORE;
}

/*
 * @out[i]: the row of @cur[i] (its path, PSI left empty): rates over @secs
 * since its row in @prev (sorted by id; none: since it was created), or
 * no rates if @secs is 0.  @ksm: what KSM saves (NULL: a kernel without
 * KSM), of which each row shows its share by its merged pages among
 * @cur's, plus its zero pages (mt_ksm_cg_saved()).  @wss: a
 * DAMON context is bound.
 */
void mt_top_rows(struct mt_top_row *out, const struct mt_cgroup *prev,
		 size_t nprev, const struct mt_cgroup *cur, size_t n,
		 double secs, const struct mt_ksm_savings *ksm, bool wss)
{
	uint64_t d[MT_NR_CGROUP_COUNTERS], merged = 0;
	struct mt_cgroup one;
	const uint64_t *c;
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t m = cur[i].counters[MT_CTR_KSM_MERGING_PAGES];

		/* a file's numbers may add up past 2^64: stop there */
		merged = merged + m < merged ? UINT64_MAX : merged + m;
	}
	for (i = 0; i < n; i++) {
		struct mt_top_row *r = &out[i];

		/* one row at a time: @out need not hold n struct mt_cgroup */
		mt_cgroups_delta(&one, prev, nprev, &cur[i], 1);
		memcpy(d, one.counters, sizeof(d));
		c = cur[i].counters;
		memset(r, 0, sizeof(*r));
		r->id = cur[i].id;
		r->path = cur[i].path;
		r->rates = secs > 0;
		if (r->rates) {
			r->faults = (d[MT_CTR_FAULTS_USER] +
				     d[MT_CTR_FAULTS_KERNEL]) / secs;
			r->stalls = (d[MT_CTR_DIRECT_STALLS] +
				     d[MT_CTR_MEMCG_STALLS]) / secs;
			r->stall_ms = (d[MT_CTR_DIRECT_STALL_NS] +
				       d[MT_CTR_MEMCG_STALL_NS]) / 1e6 / secs;
			r->compact_ms = d[MT_CTR_COMPACT_STALL_NS] / 1e6 / secs;
			r->oom_new = d[MT_CTR_OOM_KILLS];
		}
		r->oom = c[MT_CTR_OOM_KILLS];
		r->has_ksm = ksm;
		r->ksm_saved = ksm ? mt_ksm_cg_saved(ksm,
				c[MT_CTR_KSM_MERGING_PAGES], merged,
				c[MT_CTR_KSM_ZERO_PAGES]) : 0;
		r->has_wss = wss;
		r->wss = wss ? c[MT_CTR_DAMON_WSS] : 0;
	}
}

/* The value a row sorts by; -1 for a "-" (below every number) */
static double key_value(const struct mt_top_row *r, unsigned int key)
{
	switch (key) {
	case MT_TOP_FAULTS:
		return r->rates ? r->faults : -1;
	case MT_TOP_STALLS:
		return r->rates ? r->stalls : -1;
	case MT_TOP_OOM:
		return r->oom;
	case MT_TOP_KSM:
		return r->has_ksm ? (double)r->ksm_saved : -1;
	case MT_TOP_WSS:
		return r->has_wss ? (double)r->wss : -1;
	case MT_TOP_PSI_SOME:
		return r->psi.has_some ? r->psi.some : -1;
	default:
		return r->psi.has_full ? r->psi.full : -1;
	}
}

/* Descending by the key, then new OOM kills first (for oom), then by path */
static int row_cmp(const void *pa, const void *pb, void *arg)
{
	const struct mt_top_row *a = pa, *b = pb;
	unsigned int key = *(const unsigned int *)arg;
	double x = key_value(a, key), y = key_value(b, key);

	if (x != y)
		return x < y ? 1 : -1;
	if (key == MT_TOP_OOM && a->oom_new != b->oom_new)
		return a->oom_new < b->oom_new ? 1 : -1;
	return mt_path_cmp(a->path, b->path);
}

/*
 * Keeps, in order, the rows of @v with a path (cgroups not removed
 * meanwhile) at or below @prefix (NULL: all), sorted by @key.
 * Return: how many.
 */
size_t mt_top_select(struct mt_top_row *v, size_t n, const char *prefix,
		     unsigned int key)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (v[i].path && (!prefix || !*prefix ||
				  mt_path_has_prefix(v[i].path, prefix)))
			v[k++] = v[i];
	qsort_r(v, k, sizeof(*v), row_cmp, &key);
	return k;
}

/*
 * The cells of a row, as both views show them: "-" for what is not
 * known; OOM kills since the earlier dump follow the total as "+N"; sizes
 * as every command shows them (mt_bytes(): 1.5 MB, units of 1000).
 */
void mt_top_cells(char cells[MT_NR_TOP_COLS][MT_TOP_CELL],
		  const struct mt_top_row *r)
{
	snprintf(cells[MT_TOP_COL_PATH], MT_TOP_CELL, "%s",
		 r->path ? r->path : "?");
	if (r->rates) {
		snprintf(cells[MT_TOP_COL_FAULTS], MT_TOP_CELL, "%.1f",
			 r->faults);
		snprintf(cells[MT_TOP_COL_STALLS], MT_TOP_CELL, "%.1f",
			 r->stalls);
		snprintf(cells[MT_TOP_COL_STALL_MS], MT_TOP_CELL, "%.1f",
			 r->stall_ms);
		snprintf(cells[MT_TOP_COL_COMPACT_MS], MT_TOP_CELL, "%.1f",
			 r->compact_ms);
	} else {
		strcpy(cells[MT_TOP_COL_FAULTS], "-");
		strcpy(cells[MT_TOP_COL_STALLS], "-");
		strcpy(cells[MT_TOP_COL_STALL_MS], "-");
		strcpy(cells[MT_TOP_COL_COMPACT_MS], "-");
	}
	if (r->oom_new)
		snprintf(cells[MT_TOP_COL_OOM], MT_TOP_CELL, "%llu+%llu",
			 (unsigned long long)r->oom,
			 (unsigned long long)r->oom_new);
	else
		snprintf(cells[MT_TOP_COL_OOM], MT_TOP_CELL, "%llu",
			 (unsigned long long)r->oom);
	if (r->has_ksm)
		mt_bytes(cells[MT_TOP_COL_KSM], MT_TOP_CELL, r->ksm_saved);
	else
		strcpy(cells[MT_TOP_COL_KSM], "-");
	if (r->has_wss)
		mt_bytes(cells[MT_TOP_COL_WSS], MT_TOP_CELL, r->wss);
	else
		strcpy(cells[MT_TOP_COL_WSS], "-");
	if (r->psi.has_some)
		snprintf(cells[MT_TOP_COL_PSI_SOME], MT_TOP_CELL, "%.2f",
			 r->psi.some);
	else
		strcpy(cells[MT_TOP_COL_PSI_SOME], "-");
	if (r->psi.has_full)
		snprintf(cells[MT_TOP_COL_PSI_FULL], MT_TOP_CELL, "%.2f",
			 r->psi.full);
	else
		strcpy(cells[MT_TOP_COL_PSI_FULL], "-");
}

/*
 * A table of batch mode: a header line with @time, the interval and the
 * sort key, then the column heads and the rows.  Return: 0 or -ENOMEM.
 */
int mt_top_print(FILE *f, const char *time, double secs, unsigned int key,
		 const struct mt_top_row *v, size_t n)
{
	char (*cells)[MT_NR_TOP_COLS][MT_TOP_CELL];
	const char **p;
	size_t i, c;

	cells = calloc(n, sizeof(*cells));
	p = calloc((n + 1) * MT_NR_TOP_COLS, sizeof(*p));
	if (!cells || !p) {
		free(cells);
		free(p);
		return -ENOMEM;
	}
	for (c = 0; c < MT_NR_TOP_COLS; c++)
		p[c] = mt_top_heads[c];
	for (i = 0; i < n; i++) {
		mt_top_cells(cells[i], &v[i]);
		for (c = 0; c < MT_NR_TOP_COLS; c++)
			p[(i + 1) * MT_NR_TOP_COLS + c] = cells[i][c];
		/* the whole path, however long */
		p[(i + 1) * MT_NR_TOP_COLS] = v[i].path ? v[i].path : "?";
	}
	fprintf(f, "time %s  interval %.2fs  sort %s  cgroups %zu\n", time,
		secs, key_label(key), n);
	mt_table_print(f, mt_top_right, MT_NR_TOP_COLS, p, n + 1);
	free(cells);
	free(p);
	return 0;
}

static struct json_object *num(double v, const char *fmt, bool known)
{
	char buf[32];

	if (!known)
		return NULL;
	snprintf(buf, sizeof(buf), fmt, v);
	return json_object_new_double_s(v, buf);
}

static struct json_object *row_json(const struct mt_top_row *r)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "path", json_object_new_string(r->path ?
							      r->path : "?"));
	json_object_object_add(o, "id", json_object_new_uint64(r->id));
	json_object_object_add(o, "faults_per_s",
			       num(r->faults, "%.2f", r->rates));
	json_object_object_add(o, "stalls_per_s",
			       num(r->stalls, "%.2f", r->rates));
	json_object_object_add(o, "stall_ms_per_s",
			       num(r->stall_ms, "%.2f", r->rates));
	json_object_object_add(o, "compact_ms_per_s",
			       num(r->compact_ms, "%.2f", r->rates));
	json_object_object_add(o, "oom_kills", json_object_new_uint64(r->oom));
	json_object_object_add(o, "oom_kills_new",
			       json_object_new_uint64(r->oom_new));
	json_object_object_add(o, "ksm_saved_bytes", r->has_ksm ?
			       json_object_new_uint64(r->ksm_saved) : NULL);
	json_object_object_add(o, "wss_bytes", r->has_wss ?
			       json_object_new_uint64(r->wss) : NULL);
	json_object_object_add(o, "psi_some_avg10",
			       num(r->psi.some, "%.2f", r->psi.has_some));
	json_object_object_add(o, "psi_full_avg10",
			       num(r->psi.full, "%.2f", r->psi.has_full));
	return o;
}

/* The JSON object of a batch interval: "-" is null */
struct json_object *mt_top_json(const char *time, double secs,
				unsigned int key, const struct mt_top_row *v,
				size_t n)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array();
	size_t i;

	json_object_object_add(o, "time", json_object_new_string(time));
	json_object_object_add(o, "interval_s", num(secs, "%.2f", true));
	json_object_object_add(o, "sort",
			       json_object_new_string(key_label(key)));
	for (i = 0; i < n; i++)
		json_object_array_add(a, row_json(&v[i]));
	json_object_object_add(o, "cgroups", a);
	return o;
}

/* The memory.pressure of cgroup @path below @root; 0 or -errno (none) */
int mt_psi_read(const char *root, const char *path, struct mt_psi *p)
{
	char file[PATH_MAX], text[512];
	size_t len;
	FILE *f;

	memset(p, 0, sizeof(*p));
	if (snprintf(file, sizeof(file), "%s%s%smemory.pressure", root,
		     strcmp(path, "/") ? path : "", "/") >= (int)sizeof(file))
		return -ENAMETOOLONG;
	f = fopen(file, "re");
	if (!f)
		return -errno;
	len = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[len] = '\0';
	return mt_psi_parse(text, p);
}
