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
 * Every probe here runs inside the tracepoint's RCU-sched section with
 * preemption off and must not sleep, lock or allocate.  Unless noted, the
 * tracepoint fires in task context: the reclaiming task, or kswapd.
 */
#include <linux/mm.h>
#include <linux/shrinker.h>
#include <trace/events/vmscan.h>

#include "memtally.h"

static void mt_stall_end(enum mt_pair_kind kind, unsigned long nr_reclaimed)
{
	u64 ns;

	if (!mt_pair_end(kind, &ns))
		return;
	mt_count_stall(kind, ns, nr_reclaimed);
	mt_event_stall(kind, ns, nr_reclaimed);
}

MT_PROBE_CHECK(mm_vmscan_direct_reclaim_begin, mt_probe_direct_begin);
/**
 * mt_probe_direct_begin() - an allocating task enters direct reclaim
 * @data: unused
 * @order: allocation order
 * @gfp_flags: allocation flags
 */
void mt_probe_direct_begin(void *data, int order, gfp_t gfp_flags)
{
	mt_pair_begin(MT_PAIR_DIRECT);
}

MT_PROBE_CHECK(mm_vmscan_direct_reclaim_end, mt_probe_direct_end);
/**
 * mt_probe_direct_end() - direct reclaim returns
 * @data: unused
 * @nr_reclaimed: pages it freed
 */
void mt_probe_direct_end(void *data, unsigned long nr_reclaimed)
{
	mt_stall_end(MT_PAIR_DIRECT, nr_reclaimed);
}

MT_PROBE_CHECK(mm_vmscan_memcg_reclaim_begin, mt_probe_memcg_begin);
/**
 * mt_probe_memcg_begin() - a task reclaims a memory cgroup over its limit
 * @data: unused
 * @order: allocation order
 * @gfp_flags: allocation flags
 */
void mt_probe_memcg_begin(void *data, int order, gfp_t gfp_flags)
{
	mt_pair_begin(MT_PAIR_MEMCG);
}

MT_PROBE_CHECK(mm_vmscan_memcg_reclaim_end, mt_probe_memcg_end);
/**
 * mt_probe_memcg_end() - memory cgroup reclaim returns
 * @data: unused
 * @nr_reclaimed: pages it freed
 */
void mt_probe_memcg_end(void *data, unsigned long nr_reclaimed)
{
	mt_stall_end(MT_PAIR_MEMCG, nr_reclaimed);
}

MT_PROBE_CHECK(mm_vmscan_memcg_softlimit_reclaim_begin, mt_probe_softlimit_begin);
/**
 * mt_probe_softlimit_begin() - cgroup v1 soft limit reclaim starts
 * @data: unused
 * @order: allocation order
 * @gfp_flags: allocation flags
 *
 * Context: also from kswapd, which then pairs with itself like any task.
 */
void mt_probe_softlimit_begin(void *data, int order, gfp_t gfp_flags)
{
	mt_pair_begin(MT_PAIR_SOFTLIMIT);
}

MT_PROBE_CHECK(mm_vmscan_memcg_softlimit_reclaim_end, mt_probe_softlimit_end);
/**
 * mt_probe_softlimit_end() - soft limit reclaim returns
 * @data: unused
 * @nr_reclaimed: pages it freed
 */
void mt_probe_softlimit_end(void *data, unsigned long nr_reclaimed)
{
	mt_stall_end(MT_PAIR_SOFTLIMIT, nr_reclaimed);
}

MT_PROBE_CHECK(mm_vmscan_lru_shrink_inactive, mt_probe_shrink_inactive);
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
void mt_probe_shrink_inactive(void *data, int nid, unsigned long nr_scanned,
			      unsigned long nr_reclaimed,
			      struct reclaim_stat *stat, int priority,
			      int file)
{
	mt_count_reclaim(MT_PGSCAN, nr_scanned, nid);
	mt_count_reclaim(MT_PGSTEAL, nr_reclaimed, nid);
}

MT_PROBE_CHECK(mm_vmscan_lru_shrink_active, mt_probe_shrink_active);
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
void mt_probe_shrink_active(void *data, int nid, unsigned long nr_taken,
			    unsigned long nr_active,
			    unsigned long nr_deactivated,
			    unsigned long nr_referenced, int priority,
			    int file)
{
	mt_count_reclaim(MT_PGDEACTIVATE, nr_deactivated, nid);
}

MT_PROBE_CHECK(mm_vmscan_write_folio, mt_probe_write_folio);
/**
 * mt_probe_write_folio() - reclaim writes a dirty folio back itself
 * @data: unused
 * @folio: the folio, locked by reclaim
 */
void mt_probe_write_folio(void *data, struct folio *folio)
{
	mt_count_reclaim(MT_PGWRITEBACK, folio_nr_pages(folio),
			 folio_nid(folio));
}

MT_PROBE_CHECK(mm_vmscan_throttled, mt_probe_throttled);
/**
 * mt_probe_throttled() - reclaim was throttled
 * @data: unused
 * @nid: node
 * @usec_timeout: longest it would have waited
 * @usec_delayed: how long it waited
 * @reason: why
 */
void mt_probe_throttled(void *data, int nid, int usec_timeout,
			int usec_delayed, int reason)
{
	mt_count_reclaim(MT_THROTTLED, 1, nid);
	mt_count_reclaim(MT_THROTTLED_US, max(usec_delayed, 0), nid);
}

MT_PROBE_CHECK(mm_shrink_slab_start, mt_probe_slab_start);
/**
 * mt_probe_slab_start() - reclaim calls a slab shrinker
 * @data: unused
 * @shr: the shrinker
 * @sc: the request; sc->memcg is the memcg being shrunk, if any (the time
 *	is charged to whoever reclaims, see the file comment)
 * @nr_objects_to_shrink: deferred work
 * @cache_items: objects in the cache
 * @delta: new work
 * @total_scan: objects to scan
 * @priority: reclaim priority
 */
void mt_probe_slab_start(void *data, struct shrinker *shr,
			 struct shrink_control *sc, long nr_objects_to_shrink,
			 unsigned long cache_items, unsigned long long delta,
			 unsigned long total_scan, int priority)
{
	mt_pair_begin(MT_PAIR_SLAB);
}

MT_PROBE_CHECK(mm_shrink_slab_end, mt_probe_slab_end);
/**
 * mt_probe_slab_end() - the slab shrinker returned
 * @data: unused
 * @shr: the shrinker
 * @nid: node
 * @shrinker_retval: objects freed
 * @unused_scan_cnt: deferred work left
 * @new_scan_cnt: deferred work now
 * @total_scan: objects scanned
 */
void mt_probe_slab_end(void *data, struct shrinker *shr, int nid,
		       int shrinker_retval, long unused_scan_cnt,
		       long new_scan_cnt, long total_scan)
{
	u64 ns;

	if (!mt_pair_end(MT_PAIR_SLAB, &ns))
		return;
	mt_count_reclaim(MT_SLAB_SHRINKS, 1, nid);
	mt_count_reclaim(MT_SLAB_SHRINK_NS, ns, nid);
}

MT_PROBE_CHECK(mm_vmscan_kswapd_wake, mt_probe_kswapd_wake);
/**
 * mt_probe_kswapd_wake() - kswapd woke up to balance a node
 * @data: unused
 * @nid: node
 * @zid: highest zone
 * @order: allocation order
 *
 * Context: kswapd.
 */
void mt_probe_kswapd_wake(void *data, int nid, int zid, int order)
{
	mt_count_node(MT_KSWAPD_WAKES, 1, nid);
}

MT_PROBE_CHECK(mm_vmscan_wakeup_kswapd, mt_probe_wakeup_kswapd);
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
void mt_probe_wakeup_kswapd(void *data, int nid, int zid, int order,
			    gfp_t gfp_flags)
{
	mt_count_reclaim(MT_KSWAPD_WAKEUPS, 1, nid);
}
