// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: decoded replies as Prometheus text, for node_exporter's textfile
 * collector.  Each metric family is written whole (HELP, TYPE, samples) and
 * the families always in the same order, so the same input gives the same
 * bytes.  Names follow Prometheus' conventions, so that promtool's lint
 * accepts them: counters end in _total, times are in seconds.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/memtally.h>

#include "damonnl.h"
#include "format.h"
#include "ksm.h"
#include "procfiles.h"
#include "prom.h"

#define NAME_CHARS	96
#define HELP_CHARS	160
#define US		1000000ull	/* the scale of a us value in seconds */
#define NS		1000000000ull

/**
 * mt_prom_escape() - @s as the exposition format wants it
 * @quote: a label value, where '"' is escaped too; else a HELP text
 *
 * Backslash and newline are escaped.  A cgroup's directory name may hold
 * any byte but '/', and node_exporter rejects the whole file if a label
 * is not UTF-8: each byte of an invalid sequence becomes U+FFFD, as in
 * the JSON (mt_utf8_fputs()).
 */
void mt_prom_escape(FILE *f, const char *s, bool quote)
{
	const char *p = s;
	size_t n;

	while (*p) {
		n = mt_utf8_len(p);
		if (!n)
			fputs(MT_UTF8_FFFD, f);
		else if (*p == '\\')
			fputs("\\\\", f);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '"' && quote)
			fputs("\\\"", f);
		else
			fwrite(p, 1, n, f);
		p += n ? n : 1;
	}
}

/*
 * @v, or with @scale > 1 the exact decimal of @v / @scale (a power of 10):
 * integers stay exact, where a double would round above 2^53.
 */
static void put_value(FILE *f, uint64_t v, uint64_t scale)
{
	char frac[24];
	int digits = 0, len;
	uint64_t s;

	fprintf(f, "%" PRIu64, scale > 1 ? v / scale : v);
	if (scale <= 1 || !(v % scale))
		return;
	for (s = scale; s > 1; s /= 10)
		digits++;
	len = snprintf(frac, sizeof(frac), "%0*" PRIu64, digits, v % scale);
	while (len > 0 && frac[len - 1] == '0')
		frac[--len] = '\0';
	fprintf(f, ".%s", frac);
}

/**
 * mt_prom_name() - the metric name of counter @col
 * @prefix: "memtally_" for cgroups, "memtally_node_" for node rows
 * @scale: receives what divides the value into the metric's unit
 *
 * The JSON key, with a time in ns or us (a key ending in _ns or _us) in
 * seconds, and _total after a counter: a new row of mt_cgroup_counters[]
 * is a metric without another edit.
 */
void mt_prom_name(char *buf, size_t len, const char *prefix,
		  const struct mt_counter_col *col, uint64_t *scale)
{
	size_t klen = strlen(col->json);
	const char *unit = klen > 3 ? col->json + klen - 3 : "";
	const char *total = col->type == MT_CUMULATIVE ? "_total" : "";

	*scale = !strcmp(unit, "_ns") ? NS : !strcmp(unit, "_us") ? US : 1;
	if (*scale > 1)
		snprintf(buf, len, "%s%.*s_seconds%s", prefix, (int)(klen - 3),
			 col->json, total);
	else
		snprintf(buf, len, "%s%s%s", prefix, col->json, total);
}

static void family(FILE *f, const char *name, const char *type,
		   const char *help)
{
	fprintf(f, "# HELP %s ", name);
	mt_prom_escape(f, help, false);
	fprintf(f, "\n# TYPE %s %s\n", name, type);
}

/* A sample without labels */
static void sample(FILE *f, const char *name, uint64_t v, uint64_t scale)
{
	fprintf(f, "%s ", name);
	put_value(f, v, scale);
	fputc('\n', f);
}

/* One metric of one value */
static void single(FILE *f, const char *name, const char *type,
		   const char *help, uint64_t v, uint64_t scale)
{
	family(f, name, type, help);
	sample(f, name, v, scale);
}

/* The labels of a cgroup row, left open for more */
static void cgroup_labels(FILE *f, const char *name, const char *suffix,
			  const struct mt_cgroup *cg)
{
	fprintf(f, "%s%s{cgroup=\"%" PRIu64 "\",path=\"", name, suffix, cg->id);
	mt_prom_escape(f, cg->path, true);
	fputc('"', f);
}

static void cgroup_sample(FILE *f, const char *name, const char *suffix,
			  const struct mt_cgroup *cg, uint64_t v,
			  uint64_t scale)
{
	cgroup_labels(f, name, suffix, cg);
	fputs("} ", f);
	put_value(f, v, scale);
	fputc('\n', f);
}

static const char *type_name(const struct mt_counter_col *col)
{
	return col->type == MT_CUMULATIVE ? "counter" : "gauge";
}

static void up_write(FILE *f, bool up)
{
	single(f, "memtally_up", "gauge",
	       "Whether memtally export could read the memtally module", up, 1);
}

/* The module's status counters, by their place in struct mt_status */
static const struct {
	const char *name, *type, *help;
	size_t off;
	uint64_t scale;
} status_metrics[] = {
	{ "memtally_cgroups", "gauge", "Cgroups the module tracks",
	  offsetof(struct mt_status, nr_cgroups), 1 },
	{ "memtally_unattributed_total", "counter",
	  "Events no cgroup could be charged with",
	  offsetof(struct mt_status, unattributed), 1 },
	{ "memtally_events_dropped_total", "counter",
	  "Events lost because a per-CPU event queue was full",
	  offsetof(struct mt_status, events_dropped), 1 },
	{ "memtally_reclaim_unpaired_total", "counter",
	  "Reclaim or slab shrink ends seen without their begin",
	  offsetof(struct mt_status, reclaim_unpaired), 1 },
	{ "memtally_stall_threshold_seconds", "gauge",
	  "Shortest reclaim stall sent as an event; 0: none",
	  offsetof(struct mt_status, stall_threshold_us), US },
};

static void status_write(FILE *f, const struct mt_status *st)
{
	size_t i;
	uint32_t s;

	family(f, "memtally_info", "gauge",
	       "The memtally module's version and the kernel release");
	fputs("memtally_info{version=\"", f);
	mt_prom_escape(f, st->version, true);
	fputs("\",kernel_release=\"", f);
	mt_prom_escape(f, st->kernel_release, true);
	fputs("\"} 1\n", f);
	for (i = 0; i < sizeof(status_metrics) / sizeof(status_metrics[0]); i++)
		single(f, status_metrics[i].name, status_metrics[i].type,
		       status_metrics[i].help,
		       *(const uint64_t *)((const char *)st +
					   status_metrics[i].off),
		       status_metrics[i].scale);
	/* every state of every hook, so that "== 1" alerts on any of them */
	family(f, "memtally_hooks", "gauge",
	       "Whether each hook of the module is in each state");
	for (i = 0; i < st->nr_hooks; i++)
		for (s = 0; s < MT_NR_HOOK_STATES; s++) {
			fputs("memtally_hooks{hook=\"", f);
			mt_prom_escape(f, st->hooks[i].name, true);
			fprintf(f, "\",state=\"%s\"} %d\n",
				mt_hook_state_name(s), st->hooks[i].state == s);
		}
}

/*
 * Whether cgroup @cg counted anything: a counter, a gauge or a stall not
 * 0.  Its gauges are written, 0 too, so that one falling to 0 reads 0 and
 * does not go stale; a cgroup that never counted anything is left out.
 */
bool mt_prom_row_active(const struct mt_cgroup *cg)
{
	size_t i, k;

	for (i = 0; i < MT_NR_CGROUP_COUNTERS; i++)
		if (cg->counters[i])
			return true;
	for (k = 0; k < MT_NR_STALL_KINDS; k++)
		for (i = 0; i < MEMTALLY_HIST_BUCKETS; i++)
			if (cg->hist[k][i])
				return true;
	return false;
}

/*
 * Whether row @i's sample of value @v goes out: the row has a path and
 * @p->all, or it is a counter not 0, or a gauge of an active row
 * (@active: mt_prom_row_active() of each row; NULL: every row is)
 */
static bool row_sample(const struct mt_prom *p, const bool *active, size_t i,
		       uint64_t v, bool gauge)
{
	if (!p->cgroups[i].path)
		return false;
	if (p->all)
		return true;
	return gauge ? !active || active[i] : v != 0;
}

/* Column @c of every cgroup with a path, as row_sample() says */
static void counter_write(FILE *f, const struct mt_prom *p, const bool *active,
			  size_t c)
{
	const struct mt_counter_col *col = &mt_cgroup_counters[c];
	bool gauge = col->type != MT_CUMULATIVE;
	char name[NAME_CHARS];
	uint64_t scale;
	size_t i;

	mt_prom_name(name, sizeof(name), "memtally_", col, &scale);
	family(f, name, type_name(col), col->help);
	for (i = 0; i < p->nr_cgroups; i++)
		if (row_sample(p, active, i, p->cgroups[i].counters[c], gauge))
			cgroup_sample(f, name, "", &p->cgroups[i],
				      p->cgroups[i].counters[c], scale);
}

/*
 * The log2 histogram of stall kind @k of @cg: bucket i counts stalls under
 * 2^(i+1) us (and from 2^i us, but for bucket 0), the last one the rest;
 * Prometheus' buckets count every stall up to their le.
 */
static void hist_write(FILE *f, const char *name, const struct mt_cgroup *cg,
		       size_t k)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < MEMTALLY_HIST_BUCKETS - 1; i++) {
		sum += cg->hist[k][i];
		cgroup_labels(f, name, "_bucket", cg);
		fputs(",le=\"", f);
		put_value(f, 2ull << i, US);
		fprintf(f, "\"} %" PRIu64 "\n", sum);
	}
	sum += cg->hist[k][i];
	cgroup_labels(f, name, "_bucket", cg);
	fprintf(f, ",le=\"+Inf\"} %" PRIu64 "\n", sum);
	cgroup_sample(f, name, "_sum", cg,
		      cg->counters[mt_stall_kinds[k].stall_ns], NS);
	cgroup_sample(f, name, "_count", cg, sum, 1);
}

/* Whether @cg had a stall of kind @k */
static bool hist_any(const struct mt_cgroup *cg, size_t k)
{
	size_t i;

	for (i = 0; i < MEMTALLY_HIST_BUCKETS; i++)
		if (cg->hist[k][i])
			return true;
	return false;
}

/* Each cgroup's histograms: of the kinds it had, or every one with all */
static void hists_write(FILE *f, const struct mt_prom *p)
{
	char name[NAME_CHARS], help[HELP_CHARS];
	size_t i, k;

	for (k = 0; k < MT_NR_STALL_KINDS; k++) {
		snprintf(name, sizeof(name), "memtally_%s_stall_seconds",
			 mt_stall_kinds[k].name);
		snprintf(help, sizeof(help),
			 "Lengths of the cgroup's %s stalls",
			 mt_stall_kinds[k].what);
		family(f, name, "histogram", help);
		for (i = 0; i < p->nr_cgroups; i++)
			if (p->cgroups[i].path &&
			    (p->all || hist_any(&p->cgroups[i], k)))
				hist_write(f, name, &p->cgroups[i], k);
	}
}

/* The counters of the node rows: the reclaim work no task did itself */
static void nodes_write(FILE *f, const struct mt_prom *p)
{
	char name[NAME_CHARS], help[HELP_CHARS];
	uint64_t scale;
	size_t c, i;

	for (c = 0; c < MT_NR_CGROUP_COUNTERS && p->nr_nodes; c++) {
		const struct mt_counter_col *col = &mt_cgroup_counters[c];

		if (!col->node)
			continue;
		mt_prom_name(name, sizeof(name), "memtally_node_", col, &scale);
		snprintf(help, sizeof(help),
			 "%s, by kernel threads (kswapd, kcompactd) or in interrupt context", col->help);
		family(f, name, type_name(col), help);
		for (i = 0; i < p->nr_nodes; i++) {
			fprintf(f, "%s{node=\"%" PRIu64 "\"} ", name,
				p->nodes[i].id);
			put_value(f, p->nodes[i].counters[c], scale);
			fputc('\n', f);
		}
	}
}

static void ksm_module_write(FILE *f, const struct mt_ksm *k)
{
	single(f, "memtally_ksm_module_merging_pages", "gauge",
	       "KSM-merged pages of all processes, as of the module's last walk",
	       k->merging_pages, 1);
	single(f, "memtally_ksm_module_rmap_items", "gauge",
	       "KSM rmap items of all processes, as of the module's last walk",
	       k->rmap_items, 1);
	single(f, "memtally_ksm_module_zero_pages", "gauge",
	       "Pages KSM merged with the zero page, as of the module's last walk",
	       k->zero_pages, 1);
	if (k->has_full_scans)
		single(f, "memtally_ksm_module_full_scans_total", "counter",
		       "Full scans ksmd finished since the module loaded",
		       k->full_scans, 1);
}

/* The help of the state files of /sys/kernel/mm/ksm (not the settings) */
static const char *const ksm_file_help[MT_KSM_PAGES_TO_SCAN] = {
	[MT_KSM_RUN]		= "KSM's run: 0 stopped, 1 running, 2 unmerging",
	[MT_KSM_PAGES_SHARED]	= "KSM pages in use",
	[MT_KSM_PAGES_SHARING]	= "Pages merged into KSM pages",
	[MT_KSM_PAGES_UNSHARED]	= "Pages KSM checks but does not merge",
	[MT_KSM_PAGES_VOLATILE]	= "Pages changing too fast for KSM",
	[MT_KSM_FULL_SCANS]	= "Full scans ksmd finished since boot",
	[MT_KSM_GENERAL_PROFIT]	= "Bytes KSM saves, less its own rmap items",
	[MT_KSM_ZERO_PAGES]	= "Pages KSM merged with the zero page",
};

/*
 * What KSM saves for each cgroup, as every view shows it
 * (mt_ksm_cg_saved()): a gauge, as row_sample() says
 */
static void ksm_cgroups_write(FILE *f, const struct mt_prom *p,
			      const bool *active,
			      const struct mt_ksm_savings *sv)
{
	const char *name = "memtally_ksm_saved_bytes";
	uint64_t whole = 0, v;
	size_t i;

	for (i = 0; i < p->nr_cgroups; i++)
		whole += p->cgroups[i].counters[MT_CTR_KSM_MERGING_PAGES];
	whole = mt_ksm_whole(p->ksm ? p->ksm->merging_pages : 0, whole);
	family(f, name, "gauge",
	       "Bytes KSM saves for the cgroup: its share of the merged pages by its merging pages, plus its zero pages");
	for (i = 0; i < p->nr_cgroups; i++) {
		const struct mt_cgroup *cg = &p->cgroups[i];

		v = mt_ksm_cg_saved(sv, cg->counters[MT_CTR_KSM_MERGING_PAGES],
				    whole, cg->counters[MT_CTR_KSM_ZERO_PAGES]);
		if (row_sample(p, active, i, v, true))
			cgroup_sample(f, name, "", cg, v, 1);
	}
}

static void ksm_sys_write(FILE *f, const struct mt_prom *p, const bool *active)
{
	const struct mt_ksm_sys *s = p->ksm_sys;
	char name[NAME_CHARS];
	struct mt_ksm_savings sv;
	bool counter;
	int i;

	for (i = 0; i < MT_KSM_PAGES_TO_SCAN; i++) {
		if (!s->has[i])
			continue;
		counter = i == MT_KSM_FULL_SCANS;
		snprintf(name, sizeof(name), "memtally_ksm_global_%s%s",
			 mt_ksm_files[i].name, counter ? "_total" : "");
		family(f, name, counter ? "counter" : "gauge",
		       ksm_file_help[i]);
		/* general_profit may be negative */
		fprintf(f, "%s %" PRId64 "\n", name, s->v[i]);
	}
	mt_ksm_calc(&sv, s, p->page_size);
	single(f, "memtally_ksm_global_saved_bytes", "gauge",
	       "Bytes KSM saves: (pages_sharing + ksm_zero_pages) * page size",
	       sv.saved, 1);
	ksm_cgroups_write(f, p, active, &sv);
}

static void damon_write(FILE *f, const struct mt_damon_info *d)
{
	single(f, "memtally_damon_bound", "gauge",
	       "Whether a DAMON context is bound to the module", d->b.bound, 1);
	if (!d->b.bound)
		return;
	single(f, "memtally_damon_stale", "gauge",
	       "Whether the bound DAMON context stopped or changed: the numbers are from before",
	       d->stale != 0, 1);
	single(f, "memtally_damon_aggregations_total", "counter",
	       "DAMON aggregations the module attributed", d->aggregations, 1);
	single(f, "memtally_damon_total_bytes", "gauge",
	       "Bytes the regions of the last DAMON aggregation covered",
	       d->total_bytes, 1);
	single(f, "memtally_damon_unattributed_bytes", "gauge",
	       "Bytes of the last DAMON aggregation no cgroup owned",
	       d->unattributed_bytes, 1);
}

/* The system's memory pressure: rate() of these is PSI's share of time */
static void psi_write(FILE *f, const struct mt_psi *psi)
{
	if (psi->has_some)
		single(f, "memtally_pressure_memory_some_seconds_total",
		       "counter",
		       "Time some tasks stalled on memory (/proc/pressure/memory)",
		       psi->some_total, US);
	if (psi->has_full)
		single(f, "memtally_pressure_memory_full_seconds_total",
		       "counter",
		       "Time all non-idle tasks stalled on memory (/proc/pressure/memory)",
		       psi->full_total, US);
}

/**
 * mt_prom_write() - @p as Prometheus text
 *
 * Without the module's status only memtally_up 0, after a comment with
 * the error that kept export from reading it, if there is one.  The DAMON
 * gauges of the cgroups are there while a context is bound; a cgroup
 * without a path (removed meanwhile, or not asked for) is left out, and
 * so are its counters that are 0, its histograms of stall kinds it never
 * had, and all of a cgroup that never counted anything, but with
 * @p->all (row_sample()).  The caller checks ferror(@f).
 */
void mt_prom_write(FILE *f, const struct mt_prom *p)
{
	bool bound = p->damon && p->damon->b.bound;
	bool *active;
	size_t c, i;

	if (!p->st && p->error && p->error[0]) {
		fputs("# memtally export failed: ", f);
		mt_prom_escape(f, p->error, false);
		fputc('\n', f);
	}
	up_write(f, p->st);
	if (!p->st)
		return;
	status_write(f, p->st);
	/* without memory for it, every row's gauges */
	active = calloc(p->nr_cgroups + 1, sizeof(*active));
	for (i = 0; active && i < p->nr_cgroups; i++)
		active[i] = mt_prom_row_active(&p->cgroups[i]);
	for (c = 0; c < MT_NR_CGROUP_COUNTERS; c++)
		if (mt_cgroup_counters[c].type != MT_DAMON_GAUGE || bound)
			counter_write(f, p, active, c);
	hists_write(f, p);
	nodes_write(f, p);
	if (p->ksm)
		ksm_module_write(f, p->ksm);
	if (p->ksm_sys)
		ksm_sys_write(f, p, active);
	free(active);
	if (p->damon)
		damon_write(f, p->damon);
	if (p->psi)
		psi_write(f, p->psi);
}
