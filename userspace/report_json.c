// SPDX-License-Identifier: GPL-2.0
/* memtally report: the report as one JSON object (memtally report --json) */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json.h>

#include "format.h"
#include "ksm.h"
#include "recommend.h"
#include "report.h"

static void add_dbl(struct json_object *o, const char *key, double v)
{
	char s[32];

	/* two decimals, as the files have them */
	snprintf(s, sizeof(s), "%.2f", v);
	json_object_object_add(o, key, json_object_new_double_s(v, s));
}

static struct json_object *json_memory(const struct mt_report *r, size_t top)
{
	struct json_object *o = json_object_new_object();

	(void)top;
	mt_json_put_u64(o, "total_bytes", r->mem_total);
	mt_json_put_u64(o, "used_bytes", r->mem_total > r->mem_available ?
			r->mem_total - r->mem_available : 0);
	mt_json_put_u64(o, "free_bytes", r->mem_free);
	mt_json_put_u64(o, "available_bytes", r->mem_available);
	mt_json_put_u64(o, "buffers_bytes", r->buffers);
	mt_json_put_u64(o, "cache_bytes", r->cached);
	mt_json_put_u64(o, "swap_total_bytes", r->swap_total);
	mt_json_put_u64(o, "swap_free_bytes", r->swap_free);
	return o;
}

static struct json_object *psi_json(const struct mt_psi *p)
{
	struct json_object *o = json_object_new_object();

	add_dbl(o, "some_avg10", p->some);
	add_dbl(o, "some_avg60", p->some60);
	add_dbl(o, "some_avg300", p->some300);
	mt_json_put_u64(o, "some_total_us", p->some_total);
	if (p->has_full) {
		add_dbl(o, "full_avg10", p->full);
		add_dbl(o, "full_avg60", p->full60);
		add_dbl(o, "full_avg300", p->full300);
		mt_json_put_u64(o, "full_total_us", p->full_total);
	} else {
		mt_json_put_str(o, "full_avg10", NULL);
		mt_json_put_str(o, "full_avg60", NULL);
		mt_json_put_str(o, "full_avg300", NULL);
		mt_json_put_str(o, "full_total_us", NULL);
	}
	return o;
}

static struct json_object *json_pressure(const struct mt_report *r,
					 size_t top)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array(), *x;
	const struct mt_rep_cgroup **v;
	ssize_t n = mt_report_pick(r, MT_REP_PICK_PSI, top, &v), i;

	json_object_object_add(o, "system", psi_json(&r->psi));
	for (i = 0; i < n; i++) {
		x = psi_json(&v[i]->psi);
		mt_json_put_str(x, "path", v[i]->path);
		mt_json_put_str(x, "file", v[i]->psi_file);
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "cgroups", a);
	free(v);
	return o;
}

static struct json_object *json_swap(const struct mt_report *r, size_t top)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array(), *x;
	size_t i;

	(void)top;
	for (i = 0; i < r->nr_swaps; i++) {
		x = json_object_new_object();
		mt_json_put_str(x, "device", r->swaps[i].name);
		mt_json_put_str(x, "type", r->swaps[i].type);
		mt_json_put_u64(x, "size_bytes", r->swaps[i].size_kb << 10);
		mt_json_put_u64(x, "used_bytes", r->swaps[i].used_kb << 10);
		json_object_object_add(x, "priority",
				       json_object_new_int(r->swaps[i].prio));
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "devices", a);
	return o;
}

static struct json_object *json_faults(const struct mt_report *r, size_t top)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array(), *x;
	const struct mt_rep_cgroup **v;
	ssize_t n = mt_report_pick(r, MT_REP_PICK_FAULTS, top, &v), i;

	mt_json_put_u64(o, "pgfault", r->pgfault);
	mt_json_put_u64(o, "pgmajfault", r->pgmajfault);
	add_dbl(o, "uptime_s", r->uptime_s);
	add_dbl(o, "pgfault_per_s", mt_report_per_s(r, r->pgfault));
	add_dbl(o, "pgmajfault_per_s", mt_report_per_s(r, r->pgmajfault));
	for (i = 0; i < n; i++) {
		const uint64_t *c = v[i]->row ? v[i]->row->counters : NULL;

		x = json_object_new_object();
		mt_json_put_str(x, "path", v[i]->path);
		json_object_object_add(x, "faults_user", c ?
			json_object_new_uint64(c[MT_CTR_FAULTS_USER]) : NULL);
		json_object_object_add(x, "faults_kernel", c ?
			json_object_new_uint64(c[MT_CTR_FAULTS_KERNEL]) : NULL);
		json_object_object_add(x, "pgfault", v[i]->has_stat ?
			json_object_new_uint64(v[i]->pgfault) : NULL);
		json_object_object_add(x, "pgmajfault", v[i]->has_stat ?
			json_object_new_uint64(v[i]->pgmajfault) : NULL);
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "cgroups", a);
	free(v);
	return o;
}

static struct json_object *json_reclaim(const struct mt_report *r,
					size_t top)
{
	static const enum mt_counter ctrs[] = {
		MT_CTR_DIRECT_STALLS, MT_CTR_DIRECT_STALL_NS,
		MT_CTR_MEMCG_STALLS, MT_CTR_MEMCG_STALL_NS,
		MT_CTR_SOFTLIMIT_STALLS, MT_CTR_SOFTLIMIT_STALL_NS,
		MT_CTR_OOM_KILLS,
	};
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array(), *x;
	const struct mt_rep_cgroup **v;
	ssize_t n = mt_report_pick(r, MT_REP_PICK_RECLAIM, top, &v), i;
	size_t c;

	for (i = 0; i < n; i++) {
		x = json_object_new_object();
		mt_json_put_str(x, "path", v[i]->path);
		for (c = 0; c < sizeof(ctrs) / sizeof(ctrs[0]); c++)
			mt_json_put_u64(x, mt_cgroup_counters[ctrs[c]].json,
					v[i]->row->counters[ctrs[c]]);
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "cgroups", a);
	free(v);
	return o;
}

static struct json_object *json_ksm(const struct mt_report *r, size_t top)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a, *x;
	const struct mt_rep_cgroup **v;
	struct mt_ksm_savings sv;
	ssize_t n, i;
	int f;

	mt_report_ksm_savings(r, &sv);
	for (f = 0; f < MT_NR_KSM_FILES; f++)
		json_object_object_add(o, mt_ksm_files[f].name,
				       r->ksm.has[f] ?
				       json_object_new_int64(r->ksm.v[f]) :
				       NULL);
	mt_json_put_u64(o, "page_size", r->page_size);
	mt_json_put_u64(o, "saved_bytes", sv.saved);
	if (isnan(sv.ratio))
		mt_json_put_str(o, "ratio", NULL);
	else
		add_dbl(o, "ratio", sv.ratio);
	if (!r->has_module) {
		mt_json_put_str(o, "cgroups", NULL);
		return o;
	}
	a = json_object_new_array();
	n = mt_report_pick(r, MT_REP_PICK_KSM, top, &v);
	for (i = 0; i < n; i++) {
		x = json_object_new_object();
		mt_json_put_str(x, "path", v[i]->path);
		mt_json_put_u64(x, "merging_pages",
				v[i]->row->counters[MT_CTR_KSM_MERGING_PAGES]);
		mt_json_put_u64(x, "saved_bytes",
				mt_report_ksm_cg_saved(r, &sv, v[i]));
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "cgroups", a);
	free(v);
	return o;
}

static struct json_object *json_damon(const struct mt_report *r, size_t top)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array(), *x;
	const struct mt_rep_cgroup **v;
	ssize_t n = mt_report_pick(r, MT_REP_PICK_WSS, top, &v), i;

	mt_json_put_u64(o, "aggregations", r->damon_aggregations);
	mt_json_put_u64(o, "total_bytes", r->damon_total);
	mt_json_put_u64(o, "hot_rate", r->damon_hot_rate);
	mt_json_put_u64(o, "cold_rate", r->damon_cold_rate);
	for (i = 0; i < n; i++) {
		const uint64_t *c = v[i]->row->counters;

		x = json_object_new_object();
		mt_json_put_str(x, "path", v[i]->path);
		mt_json_put_u64(x, "wss_bytes", c[MT_CTR_DAMON_WSS]);
		mt_json_put_u64(x, "hot_bytes", c[MT_CTR_DAMON_HOT]);
		mt_json_put_u64(x, "warm_bytes", c[MT_CTR_DAMON_WARM]);
		mt_json_put_u64(x, "cold_bytes", c[MT_CTR_DAMON_COLD]);
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "cgroups", a);
	free(v);
	return o;
}

static struct json_object *json_top_cgroups(const struct mt_report *r,
					    size_t top)
{
	struct json_object *a = json_object_new_array(), *x;
	const struct mt_rep_cgroup **v;
	ssize_t n = mt_report_pick(r, MT_REP_PICK_CURRENT, top, &v), i;

	for (i = 0; i < n; i++) {
		x = json_object_new_object();
		mt_json_put_str(x, "path", v[i]->path);
		mt_json_put_u64(x, "memory_current_bytes", v[i]->current);
		json_object_array_add(a, x);
	}
	free(v);
	return a;
}

static struct json_object *json_top_procs(const struct mt_report *r,
					  size_t top)
{
	struct json_object *a = json_object_new_array(), *x;
	size_t i;

	for (i = 0; i < r->nr_procs && i < top; i++) {
		const struct mt_rep_proc *p = &r->procs[i];

		x = json_object_new_object();
		json_object_object_add(x, "pid", json_object_new_int(p->pid));
		mt_json_put_str(x, "comm", p->comm);
		mt_json_put_str(x, "cgroup", p->cgroup);
		json_object_object_add(x, "pss_bytes", p->has_pss ?
				       json_object_new_uint64(p->pss) : NULL);
		mt_json_put_u64(x, "rss_bytes", p->rss);
		json_object_array_add(a, x);
	}
	return a;
}

static struct json_object *(*const json_fns[MT_NR_REP_SECS])(
	const struct mt_report *r, size_t top) = {
	[MT_REP_SEC_MEMORY]		= json_memory,
	[MT_REP_SEC_PRESSURE]		= json_pressure,
	[MT_REP_SEC_SWAP]		= json_swap,
	[MT_REP_SEC_FAULTS]		= json_faults,
	[MT_REP_SEC_RECLAIM]		= json_reclaim,
	[MT_REP_SEC_KSM]		= json_ksm,
	[MT_REP_SEC_DAMON]		= json_damon,
	[MT_REP_SEC_TOP_CGROUPS]	= json_top_cgroups,
	[MT_REP_SEC_TOP_PROCS]		= json_top_procs,
};

/**
 * mt_report_json() - the whole report as one object
 *
 * A section whose data is missing is null, and "unavailable" says why,
 * by the section's key.
 */
struct json_object *mt_report_json(const struct mt_report *r,
				   const struct mt_recs *l, size_t top)
{
	struct json_object *o = json_object_new_object();
	struct json_object *un = json_object_new_object();
	struct json_object *a = json_object_new_array(), *x;
	const char *why;
	size_t i;

	mt_json_put_str(o, "source", r->source ? r->source : "live");
	mt_json_put_str(o, "time", r->time);
	mt_json_put_str(o, "host", r->host);
	mt_json_put_str(o, "kernel", r->release);
	json_object_object_add(o, "module",
			       json_object_new_boolean(r->has_module));
	for (i = 0; i < MT_NR_REP_SECS; i++) {
		why = mt_rep_sections[i].why(r);
		if (why)
			mt_json_put_str(un, mt_rep_sections[i].key, why);
		json_object_object_add(o, mt_rep_sections[i].key, why ? NULL :
				       json_fns[i](r, top));
	}
	json_object_object_add(o, "unavailable", un);
	for (i = 0; i < l->nr; i++) {
		x = json_object_new_object();
		mt_json_put_str(x, "severity",
				mt_rec_severity_name(l->v[i].severity));
		mt_json_put_str(x, "rule", l->v[i].rule);
		mt_json_put_str(x, "advice", l->v[i].advice);
		mt_json_put_str(x, "evidence", l->v[i].evidence);
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "recommendations", a);
	json_object_object_add(o, "problems",
			       json_object_new_boolean(mt_recs_problems(l)));
	return o;
}
