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
 * No probe here may sleep or allocate, nor lock but to queue a work
 * (mt_count_stall(), mt_event_stall()); memtally.h says what context
 * probes run in.
 */
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
#else
#define mt_probe_compact_begin		NULL
#define mt_probe_compact_end		NULL
#define mt_probe_compact_migratepages	NULL
#endif

/* The end hook comes before its begin hook (see hook_reclaim.c) */
static struct mt_hook mt_compact_hook_rows[] = {
	MT_HOOK("compact-end", "mm_compaction_end", mt_probe_compact_end),
	MT_BEGIN("compact-begin", "mm_compaction_begin",
		 mt_probe_compact_begin, "compact-end"),
	MT_HOOK("compact-migrate", "mm_compaction_migratepages",
		mt_probe_compact_migratepages),
};

MT_HOOK_SET(mt_compact_hooks, mt_compact_hook_rows);
