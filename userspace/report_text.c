// SPDX-License-Identifier: GPL-2.0
/* memtally report: the report as text (memtally report) */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "ksm.h"
#include "recommend.h"
#include "report.h"

static const char *bytes(char buf[static 32], uint64_t v)
{
	mt_bytes(buf, 32, v);
	return buf;
}

static void line(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void line(const char *what, const char *fmt, ...)
{
	va_list ap;

	printf("  %-11s ", what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void pct_of(char *buf, size_t len, uint64_t v, uint64_t total)
{
	char b[32];

	if (total)
		snprintf(buf, len, "%s (%.1f %%)", bytes(b, v),
			 100.0 * v / total);
	else
		snprintf(buf, len, "%s", bytes(b, v));
}

static void text_memory(const struct mt_report *r, size_t top)
{
	uint64_t used = r->mem_total > r->mem_available ?
			r->mem_total - r->mem_available : 0;
	char b[64];

	(void)top;
	line("total", "%s", bytes(b, r->mem_total));
	pct_of(b, sizeof(b), used, r->mem_total);
	line("used", "%s (total - available)", b);
	pct_of(b, sizeof(b), r->mem_free, r->mem_total);
	line("free", "%s", b);
	pct_of(b, sizeof(b), r->mem_available, r->mem_total);
	line("available", "%s", b);
	line("buffers", "%s", bytes(b, r->buffers));
	line("cache", "%s (Cached + SReclaimable)", bytes(b, r->cached));
	if (r->swap_total) {
		char t[32];

		pct_of(b, sizeof(b), r->swap_total - r->swap_free,
		       r->swap_total);
		line("swap", "%s, %s used", bytes(t, r->swap_total), b);
	} else {
		line("swap", "none");
	}
}

/* A table: a header row, then rows of cells, numbers formatted in num */
static void psi_cells(struct mt_tab *t, size_t row, const struct mt_psi *p)
{
	mt_tab_num(t, row, 1, "%.2f", p->some);
	mt_tab_num(t, row, 2, "%.2f", p->some60);
	mt_tab_num(t, row, 3, "%.2f", p->some300);
	if (p->has_full) {
		mt_tab_num(t, row, 4, "%.2f", p->full);
		mt_tab_num(t, row, 5, "%.2f", p->full60);
		mt_tab_num(t, row, 6, "%.2f", p->full300);
	} else {
		mt_tab_str(t, row, 4, "-");
		mt_tab_str(t, row, 5, "-");
		mt_tab_str(t, row, 6, "-");
	}
}

static void text_pressure(const struct mt_report *r, size_t top)
{
	static const char *const head[] = {
		"WHERE", "SOME-AVG10", "SOME-AVG60", "SOME-AVG300",
		"FULL-AVG10", "FULL-AVG60", "FULL-AVG300",
	};
	const struct mt_rep_cgroup **v;
	ssize_t n = mt_report_pick(r, MT_REP_PICK_PSI, top, &v), i;
	struct mt_tab t;

	if (n < 0 || mt_tab_init(&t, 7, n + 1, head)) {
		free(v);
		return;
	}
	mt_tab_str(&t, 0, 0, "system");
	psi_cells(&t, 0, &r->psi);
	for (i = 0; i < n; i++) {
		mt_tab_str(&t, i + 1, 0, v[i]->path);
		psi_cells(&t, i + 1, &v[i]->psi);
	}
	mt_tab_print(stdout, &t, NULL, "  ");
	if (!n)
		printf("  no cgroup has memory pressure\n");
	free(v);
}

static void text_swap(const struct mt_report *r, size_t top)
{
	static const char *const head[] = {
		"DEVICE", "TYPE", "SIZE", "USED", "PRIORITY",
	};
	struct mt_tab t;
	size_t i;

	(void)top;
	if (!r->nr_swaps) {
		printf("  no swap device\n");
		return;
	}
	if (mt_tab_init(&t, 5, r->nr_swaps, head))
		return;
	for (i = 0; i < r->nr_swaps; i++) {
		mt_tab_str(&t, i, 0, r->swaps[i].name);
		mt_tab_str(&t, i, 1, r->swaps[i].type);
		mt_tab_bytes(&t, i, 2, r->swaps[i].size_kb << 10);
		mt_tab_bytes(&t, i, 3, r->swaps[i].used_kb << 10);
		mt_tab_num(&t, i, 4, "%d", r->swaps[i].prio);
	}
	mt_tab_print(stdout, &t,
		     (const bool[]){ false, false, true, true, true }, "  ");
}
static void text_faults(const struct mt_report *r, size_t top)
{
	static const char *const head[] = {
		"CGROUP", "FAULTS-USER", "FAULTS-KERNEL", "PGFAULT",
		"PGMAJFAULT",
	};
	const struct mt_rep_cgroup **v;
	ssize_t n, i;
	struct mt_tab t;

	printf("  system: %.1f faults/s, %.1f major faults/s (/proc/vmstat pgfault %" PRIu64 ", pgmajfault %" PRIu64 " over %.0f s since boot)\n",
	       mt_report_per_s(r, r->pgfault), mt_report_per_s(r, r->pgmajfault), r->pgfault,
	       r->pgmajfault, r->uptime_s);
	n = mt_report_pick(r, MT_REP_PICK_FAULTS, top, &v);
	if (n > 0 && !mt_tab_init(&t, 5, n, head)) {
		for (i = 0; i < n; i++) {
			const uint64_t *c = v[i]->row ? v[i]->row->counters :
					    NULL;

			mt_tab_str(&t, i, 0, v[i]->path);
			if (c) {
				mt_tab_u64(&t, i, 1, c[MT_CTR_FAULTS_USER]);
				mt_tab_u64(&t, i, 2, c[MT_CTR_FAULTS_KERNEL]);
			} else {
				mt_tab_str(&t, i, 1, "-");
				mt_tab_str(&t, i, 2, "-");
			}
			if (v[i]->has_stat) {
				mt_tab_u64(&t, i, 3, v[i]->pgfault);
				mt_tab_u64(&t, i, 4, v[i]->pgmajfault);
			} else {
				mt_tab_str(&t, i, 3, "-");
				mt_tab_str(&t, i, 4, "-");
			}
		}
		mt_tab_print(stdout, &t, NULL, "  ");
		printf("  (FAULTS-*: memtally, the cgroup's own tasks since the module loaded; PG*: memory.stat, with descendants)\n");
	}
	free(v);
}

static void text_reclaim(const struct mt_report *r, size_t top)
{
	static const char *const head[] = {
		"CGROUP", "DIRECT-STALLS", "DIRECT-ms", "MEMCG-STALLS",
		"MEMCG-ms", "OOM-KILLS",
	};
	const struct mt_rep_cgroup **v;
	ssize_t n = mt_report_pick(r, MT_REP_PICK_RECLAIM, top, &v), i;
	struct mt_tab t;

	if (n == 0)
		printf("  no cgroup stalled in reclaim or had an OOM kill\n");
	if (n > 0 && !mt_tab_init(&t, 6, n, head)) {
		for (i = 0; i < n; i++) {
			const uint64_t *c = v[i]->row->counters;

			mt_tab_str(&t, i, 0, v[i]->path);
			mt_tab_u64(&t, i, 1, c[MT_CTR_DIRECT_STALLS]);
			mt_tab_num(&t, i, 2, "%.1f",
				   c[MT_CTR_DIRECT_STALL_NS] / 1e6);
			mt_tab_u64(&t, i, 3, c[MT_CTR_MEMCG_STALLS]);
			mt_tab_num(&t, i, 4, "%.1f",
				   c[MT_CTR_MEMCG_STALL_NS] / 1e6);
			mt_tab_u64(&t, i, 5, c[MT_CTR_OOM_KILLS]);
		}
		mt_tab_print(stdout, &t, NULL, "  ");
	}
	free(v);
}

static void text_ksm(const struct mt_report *r, size_t top)
{
	static const char *const head[] = {
		"CGROUP", "MERGING-PAGES", "SAVED (share)",
	};
	const struct mt_rep_cgroup **v;
	struct mt_ksm_savings sv;
	ssize_t n, i;
	struct mt_tab t;
	char b[32];

	mt_report_ksm_savings(r, &sv);
	line("run", "%" PRId64 " (%s)", r->ksm.v[MT_KSM_RUN],
	     mt_ksm_run_name(r->ksm.v[MT_KSM_RUN]));
	line("pages", "shared %" PRId64 ", sharing %" PRId64 ", unshared %" PRId64 ", volatile %" PRId64,
	     r->ksm.v[MT_KSM_PAGES_SHARED], r->ksm.v[MT_KSM_PAGES_SHARING],
	     r->ksm.v[MT_KSM_PAGES_UNSHARED],
	     r->ksm.v[MT_KSM_PAGES_VOLATILE]);
	line("saved", "%s", bytes(b, sv.saved));
	if (isnan(sv.ratio))
		line("ratio", "- (nothing shared)");
	else
		line("ratio", "%.2f (pages_sharing / pages_shared)", sv.ratio);
	if (!r->has_module) {
		printf("  per cgroup: %s\n", mt_rep_no_module);
		return;
	}
	n = mt_report_pick(r, MT_REP_PICK_KSM, top, &v);
	if (n == 0)
		printf("  no cgroup has KSM-merged pages\n");
	if (n > 0 && !mt_tab_init(&t, 3, n, head)) {
		for (i = 0; i < n; i++) {
			mt_tab_str(&t, i, 0, v[i]->path);
			mt_tab_u64(&t, i, 1,
				   v[i]->row->counters[MT_CTR_KSM_MERGING_PAGES]);
			mt_tab_bytes(&t, i, 2,
				     mt_report_ksm_cg_saved(r, &sv, v[i]));
		}
		mt_tab_print(stdout, &t, NULL, "  ");
	}
	free(v);
}

static void text_damon(const struct mt_report *r, size_t top)
{
	static const char *const head[] = {
		"CGROUP", "WSS", "HOT", "WARM", "COLD",
	};
	const struct mt_rep_cgroup **v;
	ssize_t n = mt_report_pick(r, MT_REP_PICK_WSS, top, &v), i;
	struct mt_tab t;
	char b[32];

	line("bound", "yes: %" PRIu64 " aggregations, %s seen in the last, hot above %u/s, cold below %u/s",
	     r->damon_aggregations, bytes(b, r->damon_total),
	     r->damon_hot_rate, r->damon_cold_rate);
	if (n == 0)
		printf("  no cgroup has DAMON numbers yet\n");
	if (n > 0 && !mt_tab_init(&t, 5, n, head)) {
		for (i = 0; i < n; i++) {
			const uint64_t *c = v[i]->row->counters;

			mt_tab_str(&t, i, 0, v[i]->path);
			mt_tab_bytes(&t, i, 1, c[MT_CTR_DAMON_WSS]);
			mt_tab_bytes(&t, i, 2, c[MT_CTR_DAMON_HOT]);
			mt_tab_bytes(&t, i, 3, c[MT_CTR_DAMON_WARM]);
			mt_tab_bytes(&t, i, 4, c[MT_CTR_DAMON_COLD]);
		}
		mt_tab_print(stdout, &t, NULL, "  ");
	}
	free(v);
}

static void text_top_cgroups(const struct mt_report *r, size_t top)
{
	static const char *const head[] = { "CGROUP", "MEMORY.CURRENT" };
	const struct mt_rep_cgroup **v;
	ssize_t n = mt_report_pick(r, MT_REP_PICK_CURRENT, top, &v), i;
	struct mt_tab t;

	if (n > 0 && !mt_tab_init(&t, 2, n, head)) {
		for (i = 0; i < n; i++) {
			mt_tab_str(&t, i, 0, v[i]->path);
			mt_tab_bytes(&t, i, 1, v[i]->current);
		}
		mt_tab_print(stdout, &t, NULL, "  ");
	}
	free(v);
}

static void text_top_procs(const struct mt_report *r, size_t top)
{
	static const char *const head[] = {
		"PID", "COMMAND", "CGROUP", "PSS", "RSS",
	};
	size_t n = r->nr_procs < top ? r->nr_procs : top, i;
	static const bool right[] = { true, false, false, true, true };
	struct mt_tab t;

	if (mt_tab_init(&t, 5, n, head))
		return;
	for (i = 0; i < n; i++) {
		const struct mt_rep_proc *p = &r->procs[i];

		mt_tab_num(&t, i, 0, "%d", p->pid);
		mt_tab_str(&t, i, 1, p->comm);
		mt_tab_str(&t, i, 2, p->cgroup);
		if (p->has_pss)
			mt_tab_bytes(&t, i, 3, p->pss);
		else
			mt_tab_str(&t, i, 3, "-");
		mt_tab_bytes(&t, i, 4, p->rss);
	}
	mt_tab_print(stdout, &t, right, "  ");
	if (!r->procs_pss)
		printf("  (no smaps_rollup: by RSS)\n");
}

static void (*const text_fns[MT_NR_REP_SECS])(const struct mt_report *r,
				       size_t top) = {
	[MT_REP_SEC_MEMORY]		= text_memory,
	[MT_REP_SEC_PRESSURE]		= text_pressure,
	[MT_REP_SEC_SWAP]		= text_swap,
	[MT_REP_SEC_FAULTS]		= text_faults,
	[MT_REP_SEC_RECLAIM]		= text_reclaim,
	[MT_REP_SEC_KSM]		= text_ksm,
	[MT_REP_SEC_DAMON]		= text_damon,
	[MT_REP_SEC_TOP_CGROUPS]	= text_top_cgroups,
	[MT_REP_SEC_TOP_PROCS]		= text_top_procs,
};

/* The report as text, on stdout: what memtally report prints */
void mt_report_print(const struct mt_report *r, const struct mt_recs *l,
		     size_t top)
{
	const char *why;
	size_t i;

	printf("memtally report: %s, Linux %s, %s (%s)\n",
	       r->host ? r->host : "?", r->release ? r->release : "?",
	       r->time ? r->time : "?", r->source ? r->source : "live");
	if (!r->has_module)
		printf("Without the memtally module: no reclaim stalls, OOM kills or faults counted per cgroup, no KSM per cgroup, no DAMON (load it with: modprobe memtally)\n");
	for (i = 0; i < MT_NR_REP_SECS; i++) {
		printf("\n%s\n", mt_rep_sections[i].title);
		why = mt_rep_sections[i].why(r);
		if (why)
			printf("  unavailable: %s\n", why);
		else
			text_fns[i](r, top);
	}
	printf("\nRecommendations\n");
	if (!mt_recs_problems(l))
		printf("  No problems found.\n");
	for (i = 0; i < l->nr; i++)
		printf("  [%s] %s: %s\n    because %s\n",
		       mt_rec_severity_name(l->v[i].severity), l->v[i].rule,
		       l->v[i].advice, l->v[i].evidence);
}
