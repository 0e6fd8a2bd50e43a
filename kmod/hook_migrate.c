// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: page migration per cgroup (migrate:mm_migrate_pages).
 *
 * migrate_pages() fires mm_migrate_pages once at its end, on every path,
 * with the base pages it migrated and failed to and the THPs it moved
 * whole, failed to move and split: the same numbers it adds to
 * /proc/vmstat (pgmigrate_success, pgmigrate_fail, thp_migration_*).
 * Whoever called it did the work: a task's cgroup (direct compaction,
 * NUMA balancing faults, move_pages(2), mbind(2), soft offline, the writer
 * of compact_memory), or for a kernel thread (kcompactd, khugepaged,
 * kdamond, a kworker migrating a cpuset's pages) the row of the node it
 * runs on: the event names no node.  kcompactd runs on its node's CPUs,
 * but a node without CPUs (a CXL memory tier) has its kernel threads on
 * other nodes' CPUs, and unbound kworkers run anywhere: their work lands
 * in the row of the node they ran on.
 */
#include <linux/migrate.h>
#include <linux/sched.h>
#include <trace/events/migrate.h>

#include "memtally.h"
#include "compat.h"

/* Which of the migrated-REASON counters a reason's pages go to */
static enum mt_counter mt_migrate_reason_counter(int reason)
{
	switch (reason) {
	case MR_COMPACTION:
		return MT_MIGRATED_COMPACTION;
	case MR_NUMA_MISPLACED:
		return MT_MIGRATED_NUMA;
	case MR_SYSCALL:
	case MR_MEMPOLICY_MBIND:
		return MT_MIGRATED_POLICY;
	case MR_DEMOTION:
		return MT_MIGRATED_DEMOTION;
	default:	/* soft offline, hotplug, CMA, long-term pins, DAMON */
		return MT_MIGRATED_OTHER;
	}
}

/*
 * A migrate_pages() call ended: @succeeded and @failed base pages, THPs
 * moved whole (@thp_succeeded), failed to (@thp_failed, split ones too)
 * and split to move their pages (@thp_split); 6.12 and later also pass the
 * large folios of any order split (large_folio_split, not counted), and
 * every kernel the mode and reason (MT_MIGRATE_PAGES_ARGS); the pages
 * migrated count also in the counter of their reason's class.
 *
 * Context: migrate_pages(), process context (it sleeps: folio locks,
 * cond_resched()), any task or kernel thread; the tracepoint calls the
 * probe with preemption off on 6.x, preemptible on 7.x.  Counting is a
 * lockless lookup and atomic adds (mt_count_worker()).
 */
static void mt_probe_migrate_pages(void *data, MT_MIGRATE_PAGES_ARGS)
{
	mt_count_worker(mt_migrate_reason_counter(reason), succeeded);
	mt_count_worker(MT_MIGRATED, succeeded);
	mt_count_worker(MT_MIGRATE_FAILED, failed);
	mt_count_worker(MT_THP_MIGRATED, thp_succeeded);
	mt_count_worker(MT_THP_MIGRATE_FAILED, thp_failed);
	mt_count_worker(MT_THP_SPLIT, thp_split);
}

MT_PROBE_CHECK(mm_migrate_pages, mt_probe_migrate_pages);

static struct mt_hook mt_migrate_hook_rows[] = {
	MT_HOOK("migrate", "mm_migrate_pages", mt_probe_migrate_pages),
};

MT_HOOK_SET(mt_migrate_hooks, mt_migrate_hook_rows);
