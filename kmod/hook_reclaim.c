// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: reclaim per cgroup (vmscan tracepoints).
 *
 * Stalls: direct, memcg and soft limit reclaim begin/end are paired per
 * task (pair.c) and counted for the stalled task's cgroup with a latency
 * histogram; a stall at or over the threshold becomes an event.
 * Work: LRU scanning, reclaim writeback, throttling and slab shrinking are
 * counted for the cgroup of the task that does them, or for the node's row
 * when kswapd (or an interrupt) does them (mt_count_reclaim()).
 *
 * No probe here may sleep or allocate, nor lock but to queue a work
 * (mt_count_stall(); memtally.h says what context probes run in).
 * Unless noted, the tracepoint fires in task context: the reclaiming
 * task, or kswapd.  Where a tracepoint's prototype differs
 * between kernels, compat.h gives its argument list.
 */
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/shrinker.h>
#include <trace/events/vmscan.h>

#include "memtally.h"
#include "compat.h"

/*
 * The kind of a reclaim run: memcg reclaim of a cgroup that is neither the
 * current task's nor an ancestor of it (@memcg, where the tracepoint names
 * it) is no stall of the task's: an agent writes that cgroup's
 * memory.reclaim, memory.high or memory.max.  It is timed as agent reclaim.
 * Soft limit reclaim of other cgroups is part of the reclaimer's own stall.
 */
static enum mt_pair_kind mt_reclaim_kind(enum mt_pair_kind kind,
					 struct mem_cgroup *memcg)
{
	bool own;

	if (kind != MT_PAIR_MEMCG || !memcg)
		return kind;
	rcu_read_lock();
	own = mem_cgroup_is_descendant(mem_cgroup_from_task(current), memcg);
	rcu_read_unlock();
	return own ? kind : MT_PAIR_AGENT;
}

/**
 * mt_reclaim_begin() - a task enters direct, memcg or soft limit reclaim
 * @kind: which
 * @memcg: the memory cgroup reclaimed, where the tracepoint says (7.x:
 *	memcg and soft limit reclaim); else NULL
 *
 * Kernels whose tracepoints do not name the cgroup count agent reclaim
 * (see mt_reclaim_kind()) as a memcg stall of the writer; the status says
 * which (reclaim-names-memcg).  Context: the begin probes below.
 */
static void mt_reclaim_begin(enum mt_pair_kind kind, struct mem_cgroup *memcg)
{
	mt_pair_begin(mt_reclaim_kind(kind, memcg));
}

/**
 * mt_reclaim_end() - direct, memcg or soft limit reclaim returns
 * @kind: which
 * @nr_reclaimed: pages it freed
 * @memcg: as for mt_reclaim_begin()
 *
 * Agent reclaim is counted for the agent's cgroup, apart from its stalls,
 * and is never a reclaim-stall event.  Context: the end probes below.
 */
static void mt_reclaim_end(enum mt_pair_kind kind, unsigned long nr_reclaimed,
			   struct mem_cgroup *memcg)
{
	u64 ns;

	kind = mt_reclaim_kind(kind, memcg);
	/*
	 * Moved to another cgroup since the begin (reclaim may sleep): the
	 * memcg reclaimed is now another's, or now an ancestor.  End the
	 * begin's kind, or its slot would stay open until the task exits.
	 */
	if ((kind == MT_PAIR_MEMCG || kind == MT_PAIR_AGENT) &&
	    !mt_pair_open(kind)) {
		enum mt_pair_kind other = kind == MT_PAIR_MEMCG ?
					  MT_PAIR_AGENT : MT_PAIR_MEMCG;

		if (mt_pair_open(other))
			kind = other;
	}
	if (!mt_pair_end(kind, &ns))
		return;
	mt_count_stall(kind, ns, nr_reclaimed);
	if (kind != MT_PAIR_AGENT)
		mt_event_stall(kind, ns, nr_reclaimed);
}

/*
 * The reclaim begin and end probes.  Context: the reclaiming task (soft
 * limit reclaim: also kswapd), which may sleep between begin and end.
 */
static void mt_probe_direct_begin(void *data, MT_RECLAIM_BEGIN_ARGS)
{
	mt_reclaim_begin(MT_PAIR_DIRECT, MT_RECLAIM_BEGIN_MEMCG);
}

MT_PROBE_CHECK(mm_vmscan_direct_reclaim_begin, mt_probe_direct_begin);

static void mt_probe_direct_end(void *data, MT_RECLAIM_END_ARGS)
{
	mt_reclaim_end(MT_PAIR_DIRECT, nr_reclaimed, MT_RECLAIM_END_MEMCG);
}

MT_PROBE_CHECK(mm_vmscan_direct_reclaim_end, mt_probe_direct_end);

static void mt_probe_memcg_begin(void *data, MT_RECLAIM_BEGIN_ARGS)
{
	mt_reclaim_begin(MT_PAIR_MEMCG, MT_RECLAIM_BEGIN_MEMCG);
}

MT_PROBE_CHECK(mm_vmscan_memcg_reclaim_begin, mt_probe_memcg_begin);

static void mt_probe_memcg_end(void *data, MT_RECLAIM_END_ARGS)
{
	mt_reclaim_end(MT_PAIR_MEMCG, nr_reclaimed, MT_RECLAIM_END_MEMCG);
}

MT_PROBE_CHECK(mm_vmscan_memcg_reclaim_end, mt_probe_memcg_end);

static void mt_probe_softlimit_begin(void *data, MT_RECLAIM_BEGIN_ARGS)
{
	mt_reclaim_begin(MT_PAIR_SOFTLIMIT, MT_RECLAIM_BEGIN_MEMCG);
}

MT_PROBE_CHECK(mm_vmscan_memcg_softlimit_reclaim_begin,
	       mt_probe_softlimit_begin);

static void mt_probe_softlimit_end(void *data, MT_RECLAIM_END_ARGS)
{
	mt_reclaim_end(MT_PAIR_SOFTLIMIT, nr_reclaimed, MT_RECLAIM_END_MEMCG);
}

MT_PROBE_CHECK(mm_vmscan_memcg_softlimit_reclaim_end, mt_probe_softlimit_end);

/**
 * mt_probe_shrink_inactive() - reclaim scanned an inactive LRU list
 * @data: unused
 * @nid: node
 * @nr_scanned: pages scanned
 * @nr_reclaimed: pages reclaimed
 * @stat: details, unused
 * @priority: reclaim priority
 * @file: file or anon list
 */
static void mt_probe_shrink_inactive(void *data, int nid,
				     unsigned long nr_scanned,
				     unsigned long nr_reclaimed,
				     struct reclaim_stat *stat, int priority,
				     int file)
{
	mt_count_reclaim(MT_PGSCAN, nr_scanned, nid);
	mt_count_reclaim(MT_PGSTEAL, nr_reclaimed, nid);
}

MT_PROBE_CHECK(mm_vmscan_lru_shrink_inactive, mt_probe_shrink_inactive);

/**
 * mt_probe_shrink_active() - reclaim aged an active LRU list
 * @data: unused
 * @nid: node
 * @nr_taken: pages taken off the list
 * @nr_active: pages kept active
 * @nr_deactivated: pages moved to the inactive list
 * @nr_referenced: referenced pages
 * @priority: reclaim priority
 * @file: file or anon list
 */
static void mt_probe_shrink_active(void *data, int nid, unsigned long nr_taken,
				   unsigned long nr_active,
				   unsigned long nr_deactivated,
				   unsigned long nr_referenced, int priority,
				   int file)
{
	mt_count_reclaim(MT_PGDEACTIVATE, nr_deactivated, nid);
}

MT_PROBE_CHECK(mm_vmscan_lru_shrink_active, mt_probe_shrink_active);

/**
 * mt_probe_write_folio() - reclaim writes a dirty folio back itself
 * @data: unused
 * @folio: the folio, locked by reclaim
 */
static void mt_probe_write_folio(void *data, struct folio *folio)
{
	mt_count_reclaim(MT_PGWRITEBACK, folio_nr_pages(folio),
			 folio_nid(folio));
}

MT_PROBE_CHECK(mm_vmscan_write_folio, mt_probe_write_folio);

/**
 * mt_probe_throttled() - reclaim was throttled
 * @data: unused
 * @nid: node
 * @usec_timeout: longest it would have waited
 * @usec_delayed: how long it waited
 * @reason: why
 */
static void mt_probe_throttled(void *data, int nid, int usec_timeout,
			       int usec_delayed, int reason)
{
	mt_count_reclaim(MT_THROTTLED, 1, nid);
	mt_count_reclaim(MT_THROTTLED_US, max(usec_delayed, 0), nid);
}

MT_PROBE_CHECK(mm_vmscan_throttled, mt_probe_throttled);

/*
 * A slab shrinker call, timed as a begin/end pair.  The time is charged to
 * whoever reclaims (see the file comment), also where the tracepoint names
 * the memcg being shrunk.  Context: the reclaiming task or kswapd.
 */
static void mt_probe_slab_start(void *data, MT_SLAB_START_ARGS)
{
	mt_pair_begin(MT_PAIR_SLAB);
}

MT_PROBE_CHECK(mm_shrink_slab_start, mt_probe_slab_start);

static void mt_probe_slab_end(void *data, MT_SLAB_END_ARGS)
{
	u64 ns;

	if (!mt_pair_end(MT_PAIR_SLAB, &ns))
		return;
	mt_count_reclaim(MT_SLAB_SHRINKS, 1, nid);
	mt_count_reclaim(MT_SLAB_SHRINK_NS, ns, nid);
}

MT_PROBE_CHECK(mm_shrink_slab_end, mt_probe_slab_end);

/**
 * mt_probe_kswapd_wake() - kswapd woke up to balance a node
 * @data: unused
 * @nid: node
 * @zid: highest zone
 * @order: allocation order
 *
 * Context: kswapd.
 */
static void mt_probe_kswapd_wake(void *data, int nid, int zid, int order)
{
	mt_count_node(MT_KSWAPD_WAKES, 1, nid);
}

MT_PROBE_CHECK(mm_vmscan_kswapd_wake, mt_probe_kswapd_wake);

/**
 * mt_probe_wakeup_kswapd() - an allocation asks kswapd to wake up
 * @data: unused
 * @nid: node
 * @zid: zone
 * @order: allocation order
 * @gfp_flags: allocation flags
 *
 * Context: the page allocator's slow path, also for atomic allocations in
 * interrupts (then counted for the node, see mt_count_reclaim()).
 */
static void mt_probe_wakeup_kswapd(void *data, int nid, int zid, int order,
				   gfp_t gfp_flags)
{
	mt_count_reclaim(MT_KSWAPD_WAKEUPS, 1, nid);
}

MT_PROBE_CHECK(mm_vmscan_wakeup_kswapd, mt_probe_wakeup_kswapd);

/*
 * End hooks come before their begin hooks: a begin whose end is missed
 * would hold its pairing slot until the task exits.
 */
static struct mt_hook mt_reclaim_hook_rows[] = {
	MT_HOOK("direct-end", "mm_vmscan_direct_reclaim_end",
		mt_probe_direct_end),
	MT_BEGIN("direct-begin", "mm_vmscan_direct_reclaim_begin",
		 mt_probe_direct_begin, "direct-end"),
	MT_HOOK("memcg-end", "mm_vmscan_memcg_reclaim_end", mt_probe_memcg_end),
	MT_BEGIN("memcg-begin", "mm_vmscan_memcg_reclaim_begin",
		 mt_probe_memcg_begin, "memcg-end"),
	MT_HOOK("softlimit-end", "mm_vmscan_memcg_softlimit_reclaim_end",
		mt_probe_softlimit_end),
	MT_BEGIN("softlimit-begin", "mm_vmscan_memcg_softlimit_reclaim_begin",
		 mt_probe_softlimit_begin, "softlimit-end"),
	MT_HOOK("lru-inactive", "mm_vmscan_lru_shrink_inactive",
		mt_probe_shrink_inactive),
	MT_HOOK("lru-active", "mm_vmscan_lru_shrink_active",
		mt_probe_shrink_active),
	MT_HOOK("writeback", "mm_vmscan_write_folio", mt_probe_write_folio),
	MT_HOOK("throttled", "mm_vmscan_throttled", mt_probe_throttled),
	MT_HOOK("slab-end", "mm_shrink_slab_end", mt_probe_slab_end),
	MT_BEGIN("slab-start", "mm_shrink_slab_start", mt_probe_slab_start,
		 "slab-end"),
	MT_HOOK("kswapd-wake", "mm_vmscan_kswapd_wake", mt_probe_kswapd_wake),
	MT_HOOK("wakeup-kswapd", "mm_vmscan_wakeup_kswapd",
		mt_probe_wakeup_kswapd),
};

MT_HOOK_SET(mt_reclaim_hooks, mt_reclaim_hook_rows);
