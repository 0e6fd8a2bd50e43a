// SPDX-License-Identifier: GPL-2.0
/*
 * memtally's tests: the parts of a snapshot that no command reads back
 * (the module's status, DAMON, working set samples and regions) decoded
 * into the structs their formatters take, for the golden tests.  Built
 * into tests/unit only: the tool never ships them.
 */
#include <stdlib.h>
#include <string.h>
#include <json.h>

#include "../damonnl.h"
#include "../decode.h"
#include "../format.h"
#include "../snapfile.h"
#include "snapdecode.h"

static char *obj_strdup(struct json_object *o, const char *key)
{
	struct json_object *x;

	return strdup(json_object_object_get_ex(o, key, &x) &&
		      json_object_is_type(x, json_type_string) ?
		      json_object_get_string(x) : "");
}

/**
 * mt_snap_status() - the module's status as status-get gave it
 * @s: the snapshot
 * @st: filled in; mt_status_free() it
 *
 * Return: 0, or -1 if the snapshot has no module (or memory ran out).
 */
int mt_snap_status(const struct mt_snap *s, struct mt_status *st)
{
	struct json_object *o = mt_snap_module(s, "status"), *hooks, *h, *x;
	size_t i, n;

	memset(st, 0, sizeof(*st));
	if (!o)
		return -1;
	st->version = obj_strdup(o, "version");
	st->kernel_release = obj_strdup(o, "kernel_release");
	st->nr_cgroups = mt_json_u64(o, "nr_cgroups");
	st->unattributed = mt_json_u64(o, "unattributed");
	st->events_dropped = mt_json_u64(o, "events_dropped");
	st->reclaim_unpaired = mt_json_u64(o, "reclaim_unpaired");
	st->stall_threshold_us = mt_json_u64(o, "stall_threshold_us");
	n = json_object_object_get_ex(o, "hooks", &hooks) &&
	    json_object_is_type(hooks, json_type_array) ?
	    json_object_array_length(hooks) : 0;
	st->hooks = calloc(n + 1, sizeof(*st->hooks));
	if (!st->version || !st->kernel_release || !st->hooks) {
		mt_status_free(st);
		return -1;
	}
	for (i = 0; i < n; i++) {
		struct mt_hook *hk = &st->hooks[st->nr_hooks++];

		h = json_object_array_get_idx(hooks, i);
		hk->name = obj_strdup(h, "name");
		hk->tracepoint = obj_strdup(h, "tracepoint");
		hk->err = mt_json_u64(h, "errno");
		if (json_object_object_get_ex(h, "state", &x))
			for (hk->state = 0; hk->state < MT_NR_HOOK_STATES;
			     hk->state++)
				if (!strcmp(mt_hook_state_name(hk->state),
					    json_object_get_string(x)))
					break;
		if (!hk->name || !hk->tracepoint) {
			mt_status_free(st);
			return -1;
		}
	}
	return 0;
}

/**
 * mt_snap_damon() - the module's damon-get reply
 * @s: the snapshot
 * @d: filled in; mt_damon_info_free() it
 *
 * Return: 0, or -1 if the snapshot has no DAMON part.
 */
int mt_snap_damon(const struct mt_snap *s, struct mt_damon_info *d)
{
	struct json_object *o = mt_snap_module(s, "damon"), *x, *pids;
	size_t i, n;

	memset(d, 0, sizeof(*d));
	if (!o)
		return -1;
	d->b.bound = json_object_object_get_ex(o, "bound", &x) &&
		     json_object_get_boolean(x);
	d->b.kdamond_pid = mt_json_u64(o, "kdamond_pid");
	d->b.ops = mt_json_u64(o, "ops");
	d->b.sample_us = mt_json_u64(o, "sample_us");
	d->b.aggr_us = mt_json_u64(o, "aggr_us");
	d->b.wss_ring = mt_json_u64(o, "wss_ring");
	d->b.region_ring = mt_json_u64(o, "region_ring");
	d->aggregations = mt_json_u64(o, "aggregations");
	d->updated_ns = mt_json_u64(o, "updated_ns");
	d->total_bytes = mt_json_u64(o, "total_bytes");
	d->unattributed_bytes = mt_json_u64(o, "unattributed_bytes");
	d->probe_ns = mt_json_u64(o, "probe_ns");
	d->hot_rate = mt_json_u64(o, "hot_rate");
	d->cold_rate = mt_json_u64(o, "cold_rate");
	n = json_object_object_get_ex(o, "target_pids", &pids) &&
	    json_object_is_type(pids, json_type_array) ?
	    json_object_array_length(pids) : 0;
	if (n) {
		d->b.target_pids = calloc(n, sizeof(*d->b.target_pids));
		if (!d->b.target_pids)
			return -1;
		for (i = 0; i < n; i++)
			d->b.target_pids[i] = json_object_get_int64(
				json_object_array_get_idx(pids, i));
		d->b.nr_targets = n;
	}
	return 0;
}

/**
 * mt_snap_wss() - the module's working set samples, as damon-wss-get gave
 * @s: the snapshot
 * @l: filled in; mt_wss_list_free() it
 *
 * Return: 0, or -1 if the snapshot has none (no binding) or memory ran out.
 */
int mt_snap_wss(const struct mt_snap *s, struct mt_wss_list *l)
{
	struct json_object *a = mt_snap_module(s, "damon_wss"), *o, *v, *pair;
	size_t i, k, n;

	memset(l, 0, sizeof(*l));
	if (!a || !json_object_is_type(a, json_type_array))
		return -1;
	n = json_object_array_length(a);
	l->v = calloc(n + 1, sizeof(*l->v));
	if (!l->v)
		return -1;
	for (i = 0; i < n; i++) {
		struct mt_wss *w = &l->v[l->nr++];

		o = json_object_array_get_idx(a, i);
		w->id = mt_json_u64(o, "id");
		if (!json_object_object_get_ex(o, "samples", &v) ||
		    !json_object_is_type(v, json_type_array))
			continue;
		w->v = calloc(json_object_array_length(v) + 1,
			      sizeof(*w->v));
		if (!w->v) {
			mt_wss_list_free(l);
			return -1;
		}
		for (k = 0; k < json_object_array_length(v); k++) {
			pair = json_object_array_get_idx(v, k);
			if (json_object_array_length(pair) != 2)
				continue;
			w->v[w->nr].time_ns = json_object_get_uint64(
				json_object_array_get_idx(pair, 0));
			w->v[w->nr++].bytes = json_object_get_uint64(
				json_object_array_get_idx(pair, 1));
		}
	}
	l->cap = n + 1;
	return 0;
}

/**
 * mt_snap_regions() - the module's region ring, as damon-regions-get gave
 * @s: the snapshot
 * @l: filled in; mt_regions_free() it
 *
 * Return: 0, or -1 if the snapshot has none (no binding) or memory ran out.
 */
int mt_snap_regions(const struct mt_snap *s, struct mt_regions *l)
{
	struct json_object *a = mt_snap_module(s, "damon_regions"), *o;
	size_t i, n;

	memset(l, 0, sizeof(*l));
	if (!a || !json_object_is_type(a, json_type_array))
		return -1;
	n = json_object_array_length(a);
	l->v = calloc(n + 1, sizeof(*l->v));
	if (!l->v)
		return -1;
	for (i = 0; i < n; i++) {
		struct mt_region *r = &l->v[l->nr++];

		o = json_object_array_get_idx(a, i);
		r->seq = mt_json_u64(o, "seq");
		r->time_ns = mt_json_u64(o, "time_ns");
		r->start = mt_json_u64(o, "start");
		r->end = mt_json_u64(o, "end");
		r->nr_accesses = mt_json_u64(o, "nr_accesses");
		r->age_ms = mt_json_u64(o, "age_ms");
		r->cgroup_id = mt_json_u64(o, "cgroup_id");
		r->target = mt_json_u64(o, "target");
	}
	l->cap = n + 1;
	return 0;
}
