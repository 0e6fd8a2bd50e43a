// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: KSM tracepoints (kernels that have <trace/events/ksm.h>, 6.7
 * and later; on others the hooks are listed, unavailable).
 *
 * Merges are done by ksmd, for some other process's mm: they are counted
 * for the cgroup of the mm's owner.  The mm_struct stays allocated: KSM's
 * mm_slot holds an mmgrab() reference while ksmd works on it (the mmap
 * lock is not always held, and the mm may be exiting); mt_count_mm()
 * says why the owner may be read.  An mm without owner is exiting: its
 * merges are not counted.  No probe may sleep, lock or allocate
 * (memtally.h says what context probes run in).
 */
#include "memtally.h"
#include "compat.h"

#ifdef MT_HAVE_KSM_TRACEPOINTS
#include <trace/events/ksm.h>

/**
 * mt_probe_ksm_stop_scan() - ksmd finished a full scan
 * @data: unused
 * @seq: scan sequence number
 * @rmap_entries: rmap items scanned
 *
 * Context: ksmd.
 */
static void mt_probe_ksm_stop_scan(void *data, int seq, u32 rmap_entries)
{
	mt_ksm_full_scan_done();
}

MT_PROBE_CHECK(ksm_stop_scan, mt_probe_ksm_stop_scan);

/**
 * mt_probe_ksm_enter() - an mm became KSM-mergeable
 * @data: unused
 * @mm: the mm
 *
 * Context: the task that asked for it (madvise, prctl), current.
 */
static void mt_probe_ksm_enter(void *data, void *mm)
{
	mt_count_current(MT_KSM_ENTERS, 1);
}

MT_PROBE_CHECK(ksm_enter, mt_probe_ksm_enter);

/**
 * mt_probe_ksm_exit() - a KSM-mergeable mm is torn down
 * @data: unused
 * @mm: the mm
 *
 * Context: whoever drops the last reference, normally the exiting task
 * (current), which is who gets the count; sometimes a kworker or a /proc
 * reader (then the root cgroup).  @mm may already be freed: never touch it.
 */
static void mt_probe_ksm_exit(void *data, void *mm)
{
	mt_count_current(MT_KSM_EXITS, 1);
}

MT_PROBE_CHECK(ksm_exit, mt_probe_ksm_exit);

/**
 * mt_probe_ksm_merge_one() - ksmd tried to map an empty page to the zero page
 * @data: unused
 * @pfn: the page
 * @rmap_item: KSM's rmap item
 * @mm: the mm the page is mapped in
 * @err: 0 on success
 *
 * Only with use_zero_pages.  A page that is not empty is not a failed merge
 * (it goes on to the trees): only successes count, as attempt and merge.
 * Context: ksmd, holding @mm's mmap lock.
 */
static void mt_probe_ksm_merge_one(void *data, unsigned long pfn,
				   void *rmap_item, void *mm, int err)
{
	if (err)
		return;
	mt_count_mm(mm, MT_KSM_MERGE_ATTEMPTS, 1);
	mt_count_mm(mm, MT_KSM_MERGES, 1);
}

MT_PROBE_CHECK(ksm_merge_one_page, mt_probe_ksm_merge_one);

/**
 * mt_probe_ksm_merge_ksm() - ksmd tried to merge a page with a KSM page
 * @data: unused
 * @ksm_page: the KSM page, or NULL
 * @pfn: the page
 * @rmap_item: KSM's rmap item
 * @mm: the mm the page is mapped in
 * @err: 0 on success
 *
 * A call without @ksm_page only prepares the first of two pages for a
 * merge that the next call makes (or undoes): not counted.
 * Context: ksmd.
 */
static void mt_probe_ksm_merge_ksm(void *data, void *ksm_page,
				   unsigned long pfn, void *rmap_item,
				   void *mm, int err)
{
	if (!ksm_page)
		return;
	mt_count_mm(mm, MT_KSM_MERGE_ATTEMPTS, 1);
	mt_count_mm(mm, err ? MT_KSM_MERGE_FAILURES : MT_KSM_MERGES, 1);
}

MT_PROBE_CHECK(ksm_merge_with_ksm_page, mt_probe_ksm_merge_ksm);
#else
#define mt_probe_ksm_stop_scan	NULL
#define mt_probe_ksm_enter	NULL
#define mt_probe_ksm_exit	NULL
#define mt_probe_ksm_merge_one	NULL
#define mt_probe_ksm_merge_ksm	NULL
#endif

static struct mt_hook mt_ksm_hook_rows[] = {
	MT_HOOK("ksm-full-scan", "ksm_stop_scan", mt_probe_ksm_stop_scan),
	MT_HOOK("ksm-enter", "ksm_enter", mt_probe_ksm_enter),
	MT_HOOK("ksm-exit", "ksm_exit", mt_probe_ksm_exit),
	MT_HOOK("ksm-merge", "ksm_merge_one_page", mt_probe_ksm_merge_one),
	MT_HOOK("ksm-merge-ksm", "ksm_merge_with_ksm_page",
		mt_probe_ksm_merge_ksm),
};

MT_HOOK_SET(mt_ksm_hooks, mt_ksm_hook_rows);
