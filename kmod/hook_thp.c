// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: huge page collapses per cgroup (huge_memory:mm_collapse_huge_page;
 * kernels without CONFIG_TRANSPARENT_HUGEPAGE list the hook, unavailable).
 *
 * collapse_huge_page() fires mm_collapse_huge_page once at its end, on
 * every path, for one anonymous range it tried to turn into a huge page:
 * in khugepaged, working through other processes' address spaces, or in a
 * task's MADV_COLLAPSE.  Either way the memory is the address space's, so
 * the collapse counts for the cgroup of the mm's owner (mt_count_mm()),
 * which is also where memory.stat counts thp_collapse_alloc.  The status
 * is enum scan_result of mm/khugepaged.c, private to it; its first two
 * values, SCAN_FAIL and SCAN_SUCCEED, have kept their places since the
 * enum was made.  On 7.x, where khugepaged also collapses into large
 * folios smaller than a huge page, only huge pages count (a range may be
 * tried at several orders).  File and shmem collapses have tracepoints
 * whose arguments changed within 6.12's stable releases: not counted.
 *
 * No probe here may sleep, lock or allocate (memtally.h says what context
 * probes run in).
 */
#include <linux/mm.h>		/* HPAGE_PMD_ORDER (huge_mm.h) */
#include <linux/mm_types.h>
#include <trace/events/huge_memory.h>

#include "memtally.h"
#include "compat.h"

#ifdef CONFIG_TRANSPARENT_HUGEPAGE
#define MT_SCAN_SUCCEED	1	/* enum scan_result, mm/khugepaged.c */

/*
 * A collapse of a range of @mm ended with @status; 7.x adds the order of
 * the folio it collapsed into (MT_COLLAPSE_HUGE_PAGE_ARGS).
 *
 * Context: collapse_huge_page(), process context (it sleeps on the mmap
 * lock), khugepaged or the task in madvise(MADV_COLLAPSE); the caller
 * holds a reference on @mm (khugepaged's mm_slot mmgrab(), or the task's
 * own mm).
 */
static void mt_probe_collapse_huge_page(void *data,
					MT_COLLAPSE_HUGE_PAGE_ARGS)
{
	if (MT_COLLAPSE_ORDER != HPAGE_PMD_ORDER)
		return;
	mt_count_mm(mm, status == MT_SCAN_SUCCEED ? MT_THP_COLLAPSED :
		    MT_THP_COLLAPSE_FAILED, 1);
}

MT_PROBE_CHECK(mm_collapse_huge_page, mt_probe_collapse_huge_page);
#else
#define mt_probe_collapse_huge_page	NULL
#endif

static struct mt_hook mt_thp_hook_rows[] = {
	MT_HOOK("thp-collapse", "mm_collapse_huge_page",
		mt_probe_collapse_huge_page),
};

MT_HOOK_SET(mt_thp_hooks, mt_thp_hook_rows);
