// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: compaction stalls per cgroup (compaction tracepoints; kernels
 * without CONFIG_COMPACTION list the hooks, unavailable).
 *
 * compact_zone() fires mm_compaction_begin once it decided to compact a
 * zone and mm_compaction_end when it stops, on every path after the begin,
 * in the task that compacts.  No tracepoint brackets a whole direct
 * compaction (mm_compaction_try_to_compact_pages fires at its start only,
 * and it may compact several zones, or none), so a stall here is one zone
 * compacted: paired per task (pair.c) and counted for the task's cgroup
 * with a latency histogram (stall kind compact).  The task is an allocating
 * task in direct compaction or one that asked for compaction (a write to
 * compact_memory or a node's compact file); kcompactd (proactive and
 * on-demand compaction) and other kernel threads count in the node row of
 * their CPU, without histogram.  A task's run at or over the stall
 * threshold is a reclaim-stall event of kind compact (reclaimed 0).  The
 * pages a run migrated come in mm_compaction_migratepages, per batch, in
 * the same task.
 *
 * Outcomes, of direct compaction only: compact_zone_order() points the
 * task's capture_control at its own while it compacts a zone for an
 * allocation, and nothing else sets it, so a probe that sees it set runs
 * in direct compaction (a write to compact_memory compacts whole zones
 * with no order: no outcome).  A run ending with status success made a
 * free page of the order asked for; any other end is a failure.  A zone
 * passed over is either deferred (mm_compaction_deferred: earlier runs
 * there failed; fired in try_to_compact_pages() before capture_control is
 * set, so any task's is a direct compaction's, kcompactd's are left out)
 * or skipped (mm_compaction_suitable said skipped or not suitable inside
 * compact_zone(); reclaim asks compaction_suitable() too, with no
 * capture_control: left out).  A zone whose watermark was already met is
 * in no counter (6.3 and later trace no event for it).
 *
 * No probe here may sleep or allocate, nor lock but to queue a work
 * (mt_count_stall(), mt_event_stall()); memtally.h says what context
 * probes run in.
 */
#include <linux/mmzone.h>
#include <linux/compaction.h>	/* needs mmzone.h first */
#include <linux/sched.h>

#include "memtally.h"
#include "compat.h"

#ifdef CONFIG_COMPACTION
struct compact_control;		/* mm/internal.h: only passed on here */
#include <trace/events/compaction.h>

/*
 * A zone compaction starts.  Context: compact_zone(), process context (it
 * sleeps between begin and end): the compacting task or kcompactd.
 */
static void mt_probe_compact_begin(void *data, struct compact_control *cc,
				   unsigned long zone_start,
				   unsigned long zone_end, bool sync)
{
	mt_pair_begin(MT_PAIR_COMPACT);
}

MT_PROBE_CHECK(mm_compaction_begin, mt_probe_compact_begin);

/*
 * A zone compaction ends with @status (enum compact_result).  Context: as
 * the begin, in the same task.  An end without its begin (the module was
 * loaded in between) counts as unpaired.
 */
static void mt_probe_compact_end(void *data, struct compact_control *cc,
				 unsigned long zone_start,
				 unsigned long zone_end, bool sync, int status)
{
	u64 ns;

	if (!mt_pair_end(MT_PAIR_COMPACT, &ns))
		return;
	if (current->flags & PF_KTHREAD) {	/* its node's row, no histogram */
		mt_count_worker(MT_COMPACT_STALLS, 1);
		mt_count_worker(MT_COMPACT_STALL_NS, ns);
		return;
	}
	mt_count_stall(MEMTALLY_RECLAIM_KIND_COMPACT, ns, 0);
	mt_event_stall(MEMTALLY_RECLAIM_KIND_COMPACT, ns, 0);
	if (READ_ONCE(current->capture_control))
		mt_count_current(status == COMPACT_SUCCESS ? MT_COMPACT_SUCCESS :
				 MT_COMPACT_FAILED, 1);
}

MT_PROBE_CHECK(mm_compaction_end, mt_probe_compact_end);

/*
 * A batch of pages a zone compaction isolated was migrated: @nr_succeeded
 * of them moved.  Context: compact_zone(), in the compacting task, between
 * its begin and end.
 */
static void mt_probe_compact_migratepages(void *data,
					  MT_COMPACT_MIGRATEPAGES_ARGS)
{
	mt_count_worker(MT_COMPACT_MIGRATED, nr_succeeded);
}

MT_PROBE_CHECK(mm_compaction_migratepages, mt_probe_compact_migratepages);

/*
 * Compaction of @zone for @order is deferred: earlier runs there failed.
 * Context: try_to_compact_pages() (the allocating task, process context,
 * may sleep) or kcompactd, which is left out.
 */
static void mt_probe_compact_deferred(void *data, struct zone *zone,
				      int order)
{
	if (!(current->flags & PF_KTHREAD))
		mt_count_current(MT_COMPACT_DEFERRED, 1);
}

MT_PROBE_CHECK(mm_compaction_deferred, mt_probe_compact_deferred);

/*
 * Whether @zone is worth compacting for @order: @ret (enum
 * compact_result).  Context: process context, a task in direct
 * compaction (counted), in reclaim, or kcompactd (both left out: no
 * capture_control).
 */
static void mt_probe_compact_suitable(void *data, struct zone *zone,
				      int order, int ret)
{
	if (!READ_ONCE(current->capture_control) ||
	    (current->flags & PF_KTHREAD))
		return;
	if (ret == COMPACT_SKIPPED || ret == COMPACT_NOT_SUITABLE_ZONE)
		mt_count_current(MT_COMPACT_SKIPPED, 1);
}

MT_PROBE_CHECK(mm_compaction_suitable, mt_probe_compact_suitable);
#else
#define mt_probe_compact_begin		NULL
#define mt_probe_compact_end		NULL
#define mt_probe_compact_migratepages	NULL
#define mt_probe_compact_deferred	NULL
#define mt_probe_compact_suitable	NULL
#endif

/* The end hook comes before its begin hook (see hook_reclaim.c) */
static struct mt_hook mt_compact_hook_rows[] = {
	MT_HOOK("compact-end", "mm_compaction_end", mt_probe_compact_end),
	MT_BEGIN("compact-begin", "mm_compaction_begin",
		 mt_probe_compact_begin, "compact-end"),
	MT_HOOK("compact-migrate", "mm_compaction_migratepages",
		mt_probe_compact_migratepages),
	MT_HOOK("compact-deferred", "mm_compaction_deferred",
		mt_probe_compact_deferred),
	MT_HOOK("compact-suitable", "mm_compaction_suitable",
		mt_probe_compact_suitable),
};

MT_HOOK_SET(mt_compact_hooks, mt_compact_hook_rows);
