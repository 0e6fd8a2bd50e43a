// SPDX-License-Identifier: GPL-2.0
/*
 * memtally report: the recommendations.  Each rule is a function of the
 * report's data that adds zero or more recommendations, each with the
 * data that triggered it.  Pure: no files, no netlink, no output.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "recommend.h"

static const char *const severity_names[MT_NR_REC_SEVERITIES] = {
	[MT_REC_CRITICAL]	= "critical",
	[MT_REC_SERIOUS]	= "serious",
	[MT_REC_MONITOR]	= "monitor",
	[MT_REC_INFO]		= "info",
	[MT_REC_KEEP]		= "keep",
};

const char *mt_rec_severity_name(enum mt_rec_severity s)
{
	return s < MT_NR_REC_SEVERITIES ? severity_names[s] : "unknown";
}

/* The state of a run of the rules */
struct rec_run {
	const struct mt_report *r;
	struct mt_recs *out;
	bool pressure;		/* a PSI rule fired */
	int err;
};

static struct mt_rec *rec_add(struct rec_run *run, enum mt_rec_severity sev,
			      const char *rule)
{
	struct mt_recs *l = run->out;
	struct mt_rec *rec;

	if (l->nr == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct mt_rec *v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			run->err = -ENOMEM;
			return NULL;
		}
		l->v = v;
		l->cap = cap;
	}
	rec = &l->v[l->nr++];
	memset(rec, 0, sizeof(*rec));
	rec->severity = sev;
	rec->rule = rule;
	return rec;
}

/* A recommendation: @advice is plain text, @fmt makes the evidence */
static void __attribute__((format(printf, 5, 6)))
rec(struct rec_run *run, enum mt_rec_severity sev, const char *rule,
    const char *advice, const char *fmt, ...)
{
	struct mt_rec *r = rec_add(run, sev, rule);
	va_list ap;

	if (!r)
		return;
	snprintf(r->advice, sizeof(r->advice), "%s", advice);
	va_start(ap, fmt);
	vsnprintf(r->evidence, sizeof(r->evidence), fmt, ap);
	va_end(ap);
}

/*
 * PSI: the most severe of the three thresholds that a pressure file
 * exceeds, one recommendation per file; @who: the cgroup, NULL for the
 * system.  Return: whether one fired.
 */
static bool psi_one(struct rec_run *run, const char *file, const char *who,
		    const struct mt_psi *p)
{
	const char *more = who ? "raise its memory limit" : "add memory";
	char advice[256];

	if (!who)
		who = "the system";
	if (p->has_full && p->full > MT_REC_PSI_FULL_AVG10) {
		snprintf(advice, sizeof(advice), "%s: tasks stall on memory much of the time; %s or move work away now",
			 who, more);
		rec(run, MT_REC_CRITICAL, "psi-full-avg10", advice,
		    "%s: full avg10=%.2f > %.2f", file, p->full,
		    MT_REC_PSI_FULL_AVG10);
	} else if (p->has_full && p->full60 > MT_REC_PSI_FULL_AVG60) {
		snprintf(advice, sizeof(advice), "%s: sustained memory stalls over a minute; %s or reduce the working set",
			 who, more);
		rec(run, MT_REC_SERIOUS, "psi-full-avg60", advice,
		    "%s: full avg60=%.2f > %.2f", file, p->full60,
		    MT_REC_PSI_FULL_AVG60);
	} else if (p->has_some && p->some > MT_REC_PSI_SOME_AVG10) {
		snprintf(advice, sizeof(advice), "%s: some tasks wait for memory; watch it (memtally top -s psi-some)",
			 who);
		rec(run, MT_REC_MONITOR, "psi-some-avg10", advice,
		    "%s: some avg10=%.2f > %.2f", file, p->some,
		    MT_REC_PSI_SOME_AVG10);
	} else {
		return false;
	}
	return true;
}

static void rule_psi(struct rec_run *run)
{
	const struct mt_report *r = run->r;
	size_t i;

	if (r->has_psi && psi_one(run, "/proc/pressure/memory", NULL,
				  &r->psi))
		run->pressure = true;
	for (i = 0; i < r->nr_cgroups; i++) {
		const struct mt_rep_cgroup *cg = &r->cgroups[i];
		char who[300];

		/* the root cgroup's pressure is the system's */
		if (!cg->has_psi || !strcmp(cg->path, "/"))
			continue;
		snprintf(who, sizeof(who), "cgroup %s", cg->path);
		if (psi_one(run, cg->psi_file, who, &cg->psi))
			run->pressure = true;
	}
}

/* No swap device while a PSI rule fired */
static void rule_swap(struct rec_run *run)
{
	const struct mt_report *r = run->r;

	if (!run->pressure || !r->has_swaps || r->nr_swaps)
		return;
	rec(run, MT_REC_SERIOUS, "swap-none", "memory is under pressure and there is no swap: consider zram (or zswap with a swap device) so that reclaim can move idle anonymous memory out",
	    "%s", "/proc/swaps: no swap device, while a PSI rule above fired");
}

/* OOM kills by cgroup: the module's own, else memory.events less children */
static void rule_oom(struct rec_run *run)
{
	const struct mt_report *r = run->r;
	size_t i;

	for (i = 0; i < r->nr_cgroups; i++) {
		const struct mt_rep_cgroup *cg = &r->cgroups[i];
		uint64_t kills = 0;
		char advice[400];

		if (cg->row) {
			kills = cg->row->counters[MT_CTR_OOM_KILLS];
		} else if (!r->has_module && cg->has_events) {
			/* memory.events counts descendants' kills too */
			kills = cg->oom_kill > cg->children_oom_kill ?
				cg->oom_kill - cg->children_oom_kill : 0;
		}
		if (!kills)
			continue;
		snprintf(advice, sizeof(advice), "cgroup %s had tasks OOM-killed: raise its memory.max or find what grows (a leak)",
			 cg->path);
		if (cg->row)
			rec(run, MT_REC_SERIOUS, "oom-kills", advice,
			    "cgroup %s: oom_kills=%" PRIu64 " > 0 (memtally, since the module loaded)",
			    cg->path, kills);
		else
			rec(run, MT_REC_SERIOUS, "oom-kills", advice,
			    "%s%s/memory.events: oom_kill=%" PRIu64 " > 0 (less its children's)",
			    r->cgroot, strcmp(cg->path, "/") ? cg->path : "",
			    kills);
	}
}

/* memcg reclaim stalls: the cgroup's own limit made its tasks reclaim */
static void rule_memcg_stalls(struct rec_run *run)
{
	const struct mt_report *r = run->r;
	size_t i;

	for (i = 0; i < r->nr_cgroups; i++) {
		const struct mt_rep_cgroup *cg = &r->cgroups[i];
		const uint64_t *c = cg->row ? cg->row->counters : NULL;
		char advice[400];

		if (!c || c[MT_CTR_MEMCG_STALLS] <= MT_REC_MEMCG_STALLS)
			continue;
		snprintf(advice, sizeof(advice), "cgroup %s stalls in reclaim at its own limit: memory.high or memory.max is too tight for its working set",
			 cg->path);
		rec(run, MT_REC_MONITOR, "memcg-stalls", advice,
		    "cgroup %s: memcg_stalls=%" PRIu64 " > %d, %.3f s stalled (memtally, since the module loaded)",
		    cg->path, c[MT_CTR_MEMCG_STALLS], MT_REC_MEMCG_STALLS,
		    c[MT_CTR_MEMCG_STALL_NS] / 1e9);
	}
}

static void rule_majfault(struct rec_run *run)
{
	const struct mt_report *r = run->r;
	double rate;

	if (!r->has_vmstat || r->uptime_s <= 0)
		return;
	rate = r->pgmajfault / r->uptime_s;
	if (rate <= MT_REC_MAJFLT_PER_S)
		return;
	rec(run, MT_REC_SERIOUS, "majfault-rate", "many major faults: the working set exceeds memory (pages are read back from swap or files); add memory or shrink the workload",
	    "/proc/vmstat: pgmajfault=%" PRIu64 " over %.0f s since boot = %.1f/s > %.1f/s",
	    r->pgmajfault, r->uptime_s, rate, MT_REC_MAJFLT_PER_S);
}

static void rule_ksm(struct rec_run *run)
{
	const struct mt_report *r = run->r;
	struct mt_ksm_savings sv;
	int64_t shared, sharing;
	char saved[32];

	if (!r->has_ksm || r->ksm.v[MT_KSM_RUN] != 1)
		return;
	shared = r->ksm.v[MT_KSM_PAGES_SHARED];
	sharing = r->ksm.v[MT_KSM_PAGES_SHARING];
	mt_ksm_calc(&sv, &r->ksm, r->page_size);
	if (!sv.saved) {
		rec(run, MT_REC_INFO, "ksm-idle", "KSM runs but merged nothing: no mergeable memory (madvise MADV_MERGEABLE or prctl PR_SET_MEMORY_MERGE); turn it off to save ksmd's CPU",
		    "/sys/kernel/mm/ksm: run=1, pages_sharing=%" PRId64 ", no zero pages",
		    sharing);
		return;
	}
	/* the trial's verdict, by the bytes saved (ksm.c) */
	mt_bytes(saved, sizeof(saved), sv.saved);
	switch (mt_ksm_verdict(sv.saved)) {
	case MT_KSM_KEEP:
		rec(run, MT_REC_KEEP, "ksm-saved", "KSM saves much memory: keep it on",
		    "/sys/kernel/mm/ksm: %s saved > 100 MB (pages_sharing %" PRId64 ", pages_shared %" PRId64 ", ratio %.2f)",
		    saved, sharing, shared, sv.ratio);
		break;
	case MT_KSM_CONSIDER:
		rec(run, MT_REC_MONITOR, "ksm-saved", "KSM saves some memory: watch whether it is worth ksmd's CPU (memtally ksm trial)",
		    "/sys/kernel/mm/ksm: %s saved, from 20 to 100 MB (pages_sharing %" PRId64 ", pages_shared %" PRId64 ", ratio %.2f)",
		    saved, sharing, shared, sv.ratio);
		break;
	default:
		rec(run, MT_REC_INFO, "ksm-saved", "KSM saves little for its CPU: disable it (echo 0 > /sys/kernel/mm/ksm/run)",
		    "/sys/kernel/mm/ksm: %s saved < 20 MB (pages_sharing %" PRId64 ", pages_shared %" PRId64 ", ratio %.2f)",
		    saved, sharing, shared, sv.ratio);
	}
}

/* DAMON, per cgroup: a large working set of rarely accessed memory, cold */
static void rule_damon(struct rec_run *run)
{
	const struct mt_report *r = run->r;
	size_t i;

	if (r->damon != MT_REP_DAMON_BOUND)
		return;
	for (i = 0; i < r->nr_cgroups; i++) {
		const struct mt_rep_cgroup *cg = &r->cgroups[i];
		const uint64_t *c = cg->row ? cg->row->counters : NULL;
		uint64_t hot, warm, cold, seen, wss;
		double wss_pct, hot_pct, cold_pct;
		char advice[400];

		if (!c)
			continue;
		hot = c[MT_CTR_DAMON_HOT];
		warm = c[MT_CTR_DAMON_WARM];
		cold = c[MT_CTR_DAMON_COLD];
		wss = c[MT_CTR_DAMON_WSS];
		seen = hot + warm + cold;
		if (seen < MT_REC_DAMON_MIN_BYTES)
			continue;
		wss_pct = 100.0 * wss / seen;
		hot_pct = wss ? 100.0 * hot / wss : 0;
		cold_pct = 100.0 * cold / seen;
		if (wss_pct > MT_REC_DAMON_WSS_SHARE &&
		    hot_pct < MT_REC_DAMON_HOT_SHARE) {
			snprintf(advice, sizeof(advice), "cgroup %s: a large working set accessed at low rates: a zswap (or swap) candidate, compressed it costs less",
				 cg->path);
			rec(run, MT_REC_INFO, "damon-lukewarm", advice,
			    "cgroup %s: damon_wss=%" PRIu64 " = %.1f %% of %" PRIu64 " bytes seen > %.1f %%, damon_hot=%" PRIu64 " = %.1f %% of it < %.1f %%",
			    cg->path, wss, wss_pct, seen,
			    MT_REC_DAMON_WSS_SHARE, hot, hot_pct,
			    MT_REC_DAMON_HOT_SHARE);
		}
		if (cold_pct > MT_REC_DAMON_COLD_SHARE) {
			snprintf(advice, sizeof(advice), "cgroup %s: most of its memory is cold: aggressive swap is safe (memory.swappiness, or memtally damon scheme pageout)",
				 cg->path);
			rec(run, MT_REC_INFO, "damon-cold", advice,
			    "cgroup %s: damon_cold=%" PRIu64 " = %.1f %% of %" PRIu64 " bytes seen > %.1f %%",
			    cg->path, cold, cold_pct, seen,
			    MT_REC_DAMON_COLD_SHARE);
		}
	}
}

/* The rules, in the order their recommendations are listed by severity */
static void (*const rules[])(struct rec_run *run) = {
	rule_psi,		/* first: rule_swap needs its verdict */
	rule_swap,
	rule_oom,
	rule_memcg_stalls,
	rule_majfault,
	rule_ksm,
	rule_damon,
};

/* Most severe first; a stable sort, so rule order within a severity */
static void recs_sort(struct mt_recs *l)
{
	struct mt_rec t;
	size_t i, j;

	for (i = 1; i < l->nr; i++) {
		t = l->v[i];
		for (j = i; j && l->v[j - 1].severity > t.severity; j--)
			l->v[j] = l->v[j - 1];
		l->v[j] = t;
	}
}

/**
 * mt_recommend() - run every rule over @r
 * @out: filled in, most severe first; mt_recs_free() it
 *
 * Return: 0 or -ENOMEM.
 */
int mt_recommend(const struct mt_report *r, struct mt_recs *out)
{
	struct rec_run run = { .r = r, .out = out };
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; !run.err && i < sizeof(rules) / sizeof(rules[0]); i++)
		rules[i](&run);
	if (run.err) {
		mt_recs_free(out);
		return run.err;
	}
	recs_sort(out);
	return 0;
}

void mt_recs_free(struct mt_recs *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Whether any recommendation is a problem (critical, serious, monitor) */
bool mt_recs_problems(const struct mt_recs *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (l->v[i].severity <= MT_REC_MONITOR)
			return true;
	return false;
}
