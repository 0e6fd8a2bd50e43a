// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: what KSM saves, once for every view (ksm, report, top, the
 * Prometheus export): the savings of the whole system from the files of
 * /sys/kernel/mm/ksm, a cgroup's share of them, the names of the run
 * states and the trial's verdict.  Pure: no I/O.
 */
#include <math.h>
#include <stdint.h>

#include "ksm.h"

/* A file's number; a damaged snapshot's negative one counts as 0 */
static uint64_t pages(const struct mt_ksm_sys *s, int file)
{
	return s->v[file] > 0 ? s->v[file] : 0;
}

/**
 * mt_ksm_calc() - what KSM saves, from the files of /sys/kernel/mm/ksm
 * @sv: filled
 * @s: the files
 * @page_size: bytes of a page
 *
 * As Documentation/admin-guide/mm/ksm.rst counts it: KSM keeps
 * pages_shared pages for pages_shared + pages_sharing mappings, and maps
 * ksm_zero_pages empty pages to the zero page (use_zero_pages; 6.10 and
 * later say how many), so it saves pages_sharing + ksm_zero_pages pages:
 *   saved = (pages_sharing + ksm_zero_pages) * page size
 *   ratio = pages_sharing / pages_shared
 *   pct   = saved pages / (pages_shared + saved pages) * 100
 */
void mt_ksm_calc(struct mt_ksm_savings *sv, const struct mt_ksm_sys *s,
		 long page_size)
{
	uint64_t shared = pages(s, MT_KSM_PAGES_SHARED);
	uint64_t sharing = pages(s, MT_KSM_PAGES_SHARING);
	uint64_t saved = sharing + (s->has[MT_KSM_ZERO_PAGES] ?
				    pages(s, MT_KSM_ZERO_PAGES) : 0);

	sv->saved = saved * page_size;
	sv->merged = sharing * page_size;
	sv->page_size = page_size;
	sv->ratio = shared ? (double)sharing / shared : NAN;
	sv->pct = shared + saved ? 100.0 * saved / (shared + saved) : NAN;
}

/* The name of a value of /sys/kernel/mm/ksm/run */
const char *mt_ksm_run_name(int64_t run)
{
	switch (run) {
	case 0:
		return "stopped";
	case 1:
		return "running";
	case 2:
		return "unmerging";
	default:
		return "unknown";
	}
}

/**
 * mt_ksm_whole() - the merged pages a cgroup's share is a part of
 * @module: the module's sum over every process (ksm-get), 0 if unknown
 * @rows: the sum over the cgroups' rows
 *
 * The module's sum also counts processes of cgroups it does not track (a
 * cgroup made during its walk); the rows' may mix two walks.  The larger,
 * so that the shares never add up past what is saved.
 */
uint64_t mt_ksm_whole(uint64_t module, uint64_t rows)
{
	return module > rows ? module : rows;
}

/**
 * mt_ksm_share() - a cgroup's share of the saved bytes
 * @saved: what KSM saves in all (mt_ksm_calc())
 * @part: the cgroup's KSM-merged pages
 * @whole: every process's (mt_ksm_whole())
 *
 * Return: @saved * @part / @whole; 0 if @whole is 0, and never more than
 * @saved (a snapshot's numbers need not agree: @part above @whole).
 */
static uint64_t mt_ksm_share(uint64_t saved, uint64_t part, uint64_t whole)
{
	if (!whole)
		return 0;
	if (part >= whole)
		return saved;
	return (double)saved * part / whole;
}

/**
 * mt_ksm_cg_saved() - what KSM saves for one cgroup
 * @sv: what it saves in all (mt_ksm_calc())
 * @merging: the cgroup's pages merged into KSM pages (ksm-merging-pages)
 * @whole: every process's (mt_ksm_whole())
 * @zero: the cgroup's pages merged with the zero page (ksm-zero-pages)
 *
 * Its share of the pages merged into KSM pages, by @merging, plus its
 * zero pages, each of which saves a page of its own.
 * Return: bytes, never more than @sv->saved.
 */
uint64_t mt_ksm_cg_saved(const struct mt_ksm_savings *sv, uint64_t merging,
			 uint64_t whole, uint64_t zero)
{
	uint64_t v = mt_ksm_share(sv->merged, merging, whole);
	uint64_t z = zero < UINT64_MAX / 65536 ? zero * sv->page_size :
		     UINT64_MAX;

	return z < sv->saved - v ? v + z : sv->saved;
}

enum mt_ksm_verdict mt_ksm_verdict(uint64_t saved)
{
	if (saved > MT_KSM_KEEP_ABOVE)
		return MT_KSM_KEEP;
	return saved < MT_KSM_DISABLE_BELOW ? MT_KSM_DISABLE : MT_KSM_CONSIDER;
}

const char *mt_ksm_verdict_text(enum mt_ksm_verdict v)
{
	static const char *const text[] = {
		[MT_KSM_KEEP]		= "keep KSM on",
		[MT_KSM_CONSIDER]	= "consider keeping KSM on (moderate savings)",
		[MT_KSM_DISABLE]	= "disable KSM (savings too small)",
	};

	return text[v];
}
