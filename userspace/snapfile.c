// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: snapshot files.  The module's data is in them as the commands
 * print it (cgroups --json), the files of /proc and sysfs as they read,
 * so that a report computed from a snapshot is the report of that moment.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <json.h>

#include "cli.h"
#include "damonnl.h"
#include "format.h"
#include "ksm.h"
#include "prom.h"
#include "snapfile.h"

static struct json_object *ksm_json(const struct mt_ksm *k)
{
	struct json_object *o = json_object_new_object();

	mt_json_put_u64(o, "updated_ns", k->updated_ns);
	mt_json_put_u64(o, "merging_pages", k->merging_pages);
	mt_json_put_u64(o, "rmap_items", k->rmap_items);
	mt_json_put_u64(o, "zero_pages", k->zero_pages);
	json_object_object_add(o, "full_scans", k->has_full_scans ?
			       json_object_new_uint64(k->full_scans) : NULL);
	return o;
}

/* The damon-get reply, its attributes as keys */
static struct json_object *damon_json(const struct mt_damon_info *d)
{
	struct json_object *o = json_object_new_object();
	struct json_object *pids = json_object_new_array();
	size_t i;

	json_object_object_add(o, "bound", json_object_new_boolean(d->b.bound));
	mt_json_put_u64(o, "kdamond_pid", d->b.kdamond_pid);
	mt_json_put_u64(o, "ops", d->b.ops);
	mt_json_put_u64(o, "sample_us", d->b.sample_us);
	mt_json_put_u64(o, "aggr_us", d->b.aggr_us);
	for (i = 0; i < d->b.nr_targets; i++)
		json_object_array_add(pids,
			json_object_new_uint64(d->b.target_pids[i]));
	json_object_object_add(o, "target_pids", pids);
	mt_json_put_u64(o, "wss_ring", d->b.wss_ring);
	mt_json_put_u64(o, "region_ring", d->b.region_ring);
	mt_json_put_u64(o, "aggregations", d->aggregations);
	mt_json_put_u64(o, "updated_ns", d->updated_ns);
	mt_json_put_u64(o, "total_bytes", d->total_bytes);
	mt_json_put_u64(o, "unattributed_bytes", d->unattributed_bytes);
	mt_json_put_u64(o, "probe_ns", d->probe_ns);
	mt_json_put_u64(o, "hot_rate", d->hot_rate);
	mt_json_put_u64(o, "cold_rate", d->cold_rate);
	return o;
}

/* cgroups as cgroups --json --all prints them; what was not read is null */
static struct json_object *wss_json(const struct mt_wss_list *l)
{
	struct json_object *a = json_object_new_array(), *o, *v, *pair;
	size_t i, k;

	for (i = 0; i < l->nr; i++) {
		o = json_object_new_object();
		v = json_object_new_array();
		mt_json_put_u64(o, "id", l->v[i].id);
		for (k = 0; k < l->v[i].nr; k++) {
			pair = json_object_new_array();
			json_object_array_add(pair, json_object_new_uint64(
				l->v[i].v[k].time_ns));
			json_object_array_add(pair, json_object_new_uint64(
				l->v[i].v[k].bytes));
			json_object_array_add(v, pair);
		}
		json_object_object_add(o, "samples", v);
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *regions_json(const struct mt_regions *l)
{
	struct json_object *a = json_object_new_array(), *o;
	size_t i;

	for (i = 0; i < l->nr; i++) {
		const struct mt_region *r = &l->v[i];

		o = json_object_new_object();
		mt_json_put_u64(o, "seq", r->seq);
		mt_json_put_u64(o, "time_ns", r->time_ns);
		mt_json_put_u64(o, "start", r->start);
		mt_json_put_u64(o, "end", r->end);
		mt_json_put_u64(o, "nr_accesses", r->nr_accesses);
		mt_json_put_u64(o, "age_ms", r->age_ms);
		mt_json_put_u64(o, "cgroup_id", r->cgroup_id);
		mt_json_put_u64(o, "target", r->target);
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *module_json(const struct mt_snap_in *in)
{
	const struct mt_prom *p = in->mod;
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "status", mt_status_json(p->st));
	json_object_object_add(o, "cgroups",
			       mt_cgroups_json(p->cgroups, p->nr_cgroups));
	json_object_object_add(o, "nodes", p->nodes ?
			       mt_cgroups_json(p->nodes, p->nr_nodes) : NULL);
	json_object_object_add(o, "ksm", p->ksm ? ksm_json(p->ksm) : NULL);
	json_object_object_add(o, "damon",
			       p->damon ? damon_json(p->damon) : NULL);
	json_object_object_add(o, "damon_wss", in->wss ? wss_json(in->wss) :
			       NULL);
	json_object_object_add(o, "damon_regions", in->regions ?
			       regions_json(in->regions) : NULL);
	return o;
}

static struct json_object *uname_json(const struct utsname *u)
{
	struct json_object *o = json_object_new_object();

	mt_json_put_str(o, "sysname", u->sysname);
	mt_json_put_str(o, "nodename", u->nodename);
	mt_json_put_str(o, "release", u->release);
	mt_json_put_str(o, "version", u->version);
	mt_json_put_str(o, "machine", u->machine);
	return o;
}

/* The whole snapshot; see "Snapshots" in the admin guide. */
struct json_object *mt_snap_json(const struct mt_snap_in *in)
{
	struct json_object *o = json_object_new_object();
	char time[48];

	mt_iso_time(time, sizeof(time), in->time_ns);
	mt_json_put_str(o, "format", MT_SNAP_FORMAT);
	json_object_object_add(o, "version",
			       json_object_new_int(MT_SNAP_VERSION));
	mt_json_put_str(o, "tool_version", MT_VERSION);
	mt_json_put_u64(o, "time_ns", in->time_ns);
	mt_json_put_str(o, "time", time);
	mt_json_put_u64(o, "boottime_ns", in->boottime_ns);
	mt_json_put_u64(o, "page_size", in->page_size);
	json_object_object_add(o, "uname", uname_json(in->uts));
	mt_json_put_str(o, "cgroup_root", in->cgroot);
	json_object_object_add(o, "module", in->mod && in->mod->st ?
			       module_json(in) : NULL);
	json_object_object_add(o, "files", in->files);
	return o;
}

/* Reading back.  Each function returns 0 or -1 with @why set. */

static int __attribute__((format(printf, 3, 4)))
fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -1;
}

#define WHY(...) fail(why, whylen, __VA_ARGS__)

/* @key of @o as a u64: absent (an older snapshot) is 0 */
static int get_u64(struct json_object *o, const char *key, uint64_t *v,
		   char *why, size_t whylen)
{
	struct json_object *x;

	*v = 0;
	if (!json_object_object_get_ex(o, key, &x) || !x)
		return 0;
	if (!json_object_is_type(x, json_type_int))
		return WHY("\"%s\" is not a number", key);
	errno = 0;
	*v = json_object_get_uint64(x);
	if (errno || json_object_get_int64(x) < 0)
		return WHY("\"%s\" is not a counter", key);
	return 0;
}

static int get_hist(struct json_object *o, const char *key, uint64_t *v,
		    size_t n, char *why, size_t whylen)
{
	struct json_object *a, *x;
	size_t i;

	memset(v, 0, n * sizeof(*v));
	if (!json_object_object_get_ex(o, key, &a) || !a)
		return 0;
	if (!json_object_is_type(a, json_type_array) ||
	    json_object_array_length(a) != n)
		return WHY("\"%s\" is not an array of %zu buckets", key, n);
	for (i = 0; i < n; i++) {
		x = json_object_array_get_idx(a, i);
		if (!json_object_is_type(x, json_type_int) ||
		    json_object_get_int64(x) < 0)
			return WHY("\"%s\" has a bucket that is no counter",
				   key);
		v[i] = json_object_get_uint64(x);
	}
	return 0;
}

static int row_parse(struct json_object *o, struct mt_cgroup *cg,
		     char *why, size_t whylen)
{
	struct json_object *path;
	size_t c;

	if (!json_object_is_type(o, json_type_object))
		return WHY("a row is not an object");
	cg->path = NULL;
	if (json_object_object_get_ex(o, "path", &path) && path) {
		if (!json_object_is_type(path, json_type_string))
			return WHY("a \"path\" is not a string");
		cg->path = json_object_get_string(path);
	}
	if (get_u64(o, "id", &cg->id, why, whylen))
		return -1;
	for (c = 0; c < MT_NR_CGROUP_COUNTERS; c++)
		if (get_u64(o, mt_cgroup_counters[c].json, &cg->counters[c],
			    why, whylen))
			return -1;
	for (c = 0; c < MT_NR_STALL_KINDS; c++)
		if (get_hist(o, mt_stall_kinds[c].hist_json, cg->hist[c],
			     MEMTALLY_HIST_BUCKETS, why, whylen))
			return -1;
	return get_hist(o, "damon_age_hist", cg->damon_age,
			MEMTALLY_DAMON_AGE_BUCKETS, why, whylen);
}

/* The array @key of @mod (null: none) into @v */
static int rows_parse(struct json_object *mod, const char *key,
		      struct mt_cgroup **v, size_t *nr, char *why,
		      size_t whylen)
{
	struct json_object *a;
	size_t i, n;

	*v = NULL;
	*nr = 0;
	if (!json_object_object_get_ex(mod, key, &a) || !a)
		return 0;
	if (!json_object_is_type(a, json_type_array))
		return WHY("\"module\".\"%s\" is not an array", key);
	n = json_object_array_length(a);
	*v = calloc(n ? n : 1, sizeof(**v));
	if (!*v)
		return WHY("out of memory");
	for (i = 0; i < n; i++)
		if (row_parse(json_object_array_get_idx(a, i), &(*v)[i],
			      why, whylen))
			return -1;
	*nr = n;
	return 0;
}

static int snap_check(struct mt_snap *s, char *why, size_t whylen)
{
	struct json_object *r = s->root, *x, *mod, *files;

	if (!json_object_is_type(r, json_type_object) ||
	    !json_object_object_get_ex(r, "format", &x) ||
	    !json_object_is_type(x, json_type_string) ||
	    strcmp(json_object_get_string(x), MT_SNAP_FORMAT))
		return WHY("not a memtally snapshot");
	if (!json_object_object_get_ex(r, "version", &x) ||
	    !json_object_is_type(x, json_type_int))
		return WHY("a memtally snapshot without a version");
	if (json_object_get_int64(x) != MT_SNAP_VERSION)
		return WHY("a memtally snapshot of version %" PRId64 ", not %d (use a newer memtally)",
			   json_object_get_int64(x), MT_SNAP_VERSION);
	if (json_object_object_get_ex(r, "files", &files) &&
	    !json_object_is_type(files, json_type_object))
		return WHY("\"files\" is not an object");
	if (!json_object_object_get_ex(r, "module", &mod) || !mod)
		return 0;
	if (!json_object_is_type(mod, json_type_object))
		return WHY("\"module\" is neither an object nor null");
	s->has_module = true;
	if (rows_parse(mod, "cgroups", &s->cgroups, &s->nr_cgroups, why,
		       whylen))
		return -1;
	return rows_parse(mod, "nodes", &s->nodes, &s->nr_nodes, why, whylen);
}

/* Whether the @len bytes at @s (not a string) are white space */
static bool blank(const char *s, size_t len)
{
	while (len && strchr(" \t\r\n", *s) && *s) {
		s++;
		len--;
	}
	return !len;
}

/**
 * mt_snap_parse() - check and decode the snapshot in @buf
 * @why: on failure, what is wrong with it, one line
 *
 * Return: 0, or -1 (@s freed).
 */
int mt_snap_parse(const char *buf, size_t len, struct mt_snap *s,
		  char *why, size_t whylen)
{
	struct json_tokener *tok = json_tokener_new();
	enum json_tokener_error jerr;

	memset(s, 0, sizeof(*s));
	if (!tok)
		return WHY("out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	s->root = json_tokener_parse_ex(tok, buf, len);
	jerr = json_tokener_get_error(tok);
	if (jerr == json_tokener_continue) {
		WHY("truncated (the JSON ends early)");
	} else if (jerr != json_tokener_success) {
		WHY("not JSON (%s at byte %zu)",
		    json_tokener_error_desc(jerr),
		    json_tokener_get_parse_end(tok));
	} else if (!blank(buf + json_tokener_get_parse_end(tok),
			  len - json_tokener_get_parse_end(tok))) {
		WHY("not JSON (data after the object at byte %zu)",
		    json_tokener_get_parse_end(tok));
	} else if (!snap_check(s, why, whylen)) {
		json_tokener_free(tok);
		return 0;
	}
	json_tokener_free(tok);
	mt_snap_free(s);
	return -1;
}

/**
 * mt_snap_adopt() - check and decode a snapshot made in this process
 * @root: what mt_snap_json() returned; @s owns it from now on, even on
 *	failure
 * @why: on failure, what is wrong with it, one line
 *
 * Return: 0, or -1 (@s freed).
 */
int mt_snap_adopt(struct json_object *root, struct mt_snap *s, char *why,
		  size_t whylen)
{
	memset(s, 0, sizeof(*s));
	s->root = root;
	if (!snap_check(s, why, whylen))
		return 0;
	mt_snap_free(s);
	return -1;
}

/* Read @path ("-": standard input).  Prints the error.  Return: 0 or -1. */
int mt_snap_load(const char *path, struct mt_snap *s)
{
	bool in = !strcmp(path, "-");
	FILE *f = in ? stdin : fopen(path, "re");
	char *buf = NULL, why[256];
	size_t len = 0, cap = 0, n;
	int ret = -1;

	memset(s, 0, sizeof(*s));
	if (!f) {
		mt_err("%s: %s", path, strerror(errno));
		return -1;
	}
	do {
		if (cap - len < 65536) {
			char *nb = realloc(buf, cap = cap ? 2 * cap : 65536);

			if (!nb) {
				mt_err("%s: out of memory", path);
				goto out;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n);
	if (ferror(f))
		mt_err("%s: %s", path, strerror(errno ? errno : EIO));
	else if (mt_snap_parse(buf, len, s, why, sizeof(why)))
		mt_err("%s: %s", path, why);
	else
		ret = 0;
out:
	if (!in)
		fclose(f);
	free(buf);
	return ret;
}

void mt_snap_free(struct mt_snap *s)
{
	json_object_put(s->root);
	free(s->cgroups);
	free(s->nodes);
	memset(s, 0, sizeof(*s));
}

/* The row of cgroup @path, or NULL */
const struct mt_cgroup *mt_snap_cgroup(const struct mt_snap *s,
				       const char *path)
{
	size_t i;

	for (i = 0; i < s->nr_cgroups; i++)
		if (s->cgroups[i].path && !strcmp(s->cgroups[i].path, path))
			return &s->cgroups[i];
	return NULL;
}

const struct mt_cgroup *mt_snap_cgroup_id(const struct mt_snap *s,
					  uint64_t id)
{
	size_t i;

	for (i = 0; i < s->nr_cgroups; i++)
		if (s->cgroups[i].id == id)
			return &s->cgroups[i];
	return NULL;
}

/* The contents of file @path as read, or NULL if absent or not read */
const char *mt_snap_file(const struct mt_snap *s, const char *path)
{
	struct json_object *files, *x;

	if (!json_object_object_get_ex(s->root, "files", &files) ||
	    !json_object_object_get_ex(files, path, &x) ||
	    !json_object_is_type(x, json_type_string))
		return NULL;
	return json_object_get_string(x);
}

/* The object of every file read (path: contents or null), or NULL */
struct json_object *mt_snap_files(const struct mt_snap *s)
{
	struct json_object *files;

	if (!json_object_object_get_ex(s->root, "files", &files) ||
	    !json_object_is_type(files, json_type_object))
		return NULL;
	return files;
}

/* The top-level string @key ("cgroup_root", "time"), or NULL */
const char *mt_snap_string(const struct mt_snap *s, const char *key)
{
	struct json_object *x;

	if (!json_object_object_get_ex(s->root, key, &x) ||
	    !json_object_is_type(x, json_type_string))
		return NULL;
	return json_object_get_string(x);
}

/* The top-level counter @key ("boottime_ns", "page_size"); 0 if absent */
uint64_t mt_snap_u64(const struct mt_snap *s, const char *key)
{
	struct json_object *x;

	if (!json_object_object_get_ex(s->root, key, &x) ||
	    !json_object_is_type(x, json_type_int) ||
	    json_object_get_int64(x) < 0)
		return 0;
	return json_object_get_uint64(x);
}

/* @key of "module" ("status", "ksm", "damon"), or NULL if null/absent */
struct json_object *mt_snap_module(const struct mt_snap *s, const char *key)
{
	struct json_object *mod, *x;

	if (!s->has_module ||
	    !json_object_object_get_ex(s->root, "module", &mod) ||
	    !json_object_object_get_ex(mod, key, &x) ||
	    (!json_object_is_type(x, json_type_object) &&
	     !json_object_is_type(x, json_type_array)))
		return NULL;
	return x;
}

/*
 * The state (enum memtally_hook_state) of the module's hook @hook as the
 * snapshot's status lists it, or -1 without the module or such a hook.
 */
int mt_snap_hook_state(const struct mt_snap *s, const char *hook)
{
	struct json_object *st = mt_snap_module(s, "status"), *hooks, *h, *x;
	size_t i;
	int state;

	if (!st || !json_object_object_get_ex(st, "hooks", &hooks) ||
	    !json_object_is_type(hooks, json_type_array))
		return -1;
	for (i = 0; i < json_object_array_length(hooks); i++) {
		h = json_object_array_get_idx(hooks, i);
		if (!json_object_object_get_ex(h, "name", &x) ||
		    !json_object_is_type(x, json_type_string) ||
		    strcmp(json_object_get_string(x), hook) ||
		    !json_object_object_get_ex(h, "state", &x) ||
		    !json_object_is_type(x, json_type_string))
			continue;
		for (state = 0; state < MT_NR_HOOK_STATES; state++)
			if (!strcmp(json_object_get_string(x),
				    mt_hook_state_name(state)))
				return state;
	}
	return -1;
}

/* Decoding the module's parts into the structs the formatters take */

/**
 * mt_json_u64() - the unsigned number @key of object @o
 *
 * Return: it, or 0 if @o has no such key, it is no number or below 0.
 */
uint64_t mt_json_u64(struct json_object *o, const char *key)
{
	struct json_object *x;

	if (!json_object_object_get_ex(o, key, &x) ||
	    !json_object_is_type(x, json_type_int) ||
	    json_object_get_int64(x) < 0)
		return 0;
	return json_object_get_uint64(x);
}

/**
 * mt_snap_ksm() - the module's ksm-get reply
 * @s: the snapshot
 * @k: filled in
 *
 * Return: 0, or -1 if the snapshot has no KSM part.
 */
int mt_snap_ksm(const struct mt_snap *s, struct mt_ksm *k)
{
	struct json_object *o = mt_snap_module(s, "ksm"), *x;

	memset(k, 0, sizeof(*k));
	if (!o)
		return -1;
	k->updated_ns = mt_json_u64(o, "updated_ns");
	k->merging_pages = mt_json_u64(o, "merging_pages");
	k->rmap_items = mt_json_u64(o, "rmap_items");
	k->zero_pages = mt_json_u64(o, "zero_pages");
	k->has_full_scans = json_object_object_get_ex(o, "full_scans", &x) &&
			    x;
	k->full_scans = mt_json_u64(o, "full_scans");
	return 0;
}

/**
 * mt_snap_ksm_sys() - /sys/kernel/mm/ksm as the snapshot read it
 * @s: the snapshot
 * @k: filled in; a file the snapshot lacks is not "has"
 */
void mt_snap_ksm_sys(const struct mt_snap *s, struct mt_ksm_sys *k)
{
	char path[256];
	const char *t;
	int i;

	memset(k, 0, sizeof(*k));
	for (i = 0; i < MT_NR_KSM_FILES; i++) {
		snprintf(path, sizeof(path), "/sys/kernel/mm/ksm/%s",
			 mt_ksm_files[i].name);
		t = mt_snap_file(s, path);
		if (t && sscanf(t, "%" SCNd64, &k->v[i]) == 1)
			k->has[i] = true;
	}
}
