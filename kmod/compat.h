/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memtally: every difference between the kernels memtally supports
 * (Debian 6.1, 6.12 and 7.3) lives here, as a wrapper named after what it
 * does.
 */
#ifndef _MEMTALLY_COMPAT_H
#define _MEMTALLY_COMPAT_H

#include <linux/cgroup.h>
#include <linux/damon.h>
#include <linux/memcontrol.h>
#include <linux/migrate.h>
#include <linux/mm_types.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <net/genetlink.h>
#include <trace/events/damon.h>
#include <trace/events/migrate.h>
#include <trace/events/oom.h>
#include <trace/events/sched.h>
#include <trace/events/vmscan.h>
#ifdef MT_HAVE_FAULT_TRACEPOINTS
#ifdef MT_HAVE_TRACE_EXCEPTIONS
#include <trace/events/exceptions.h>
#else
#include <asm/trace/exceptions.h>
#endif
#endif

/*
 * The MT_HAVE_* macros come from the feature tests in Kbuild, which look
 * for an API in the headers of the kernel being built against.
 */

/*
 * The check that a dump's state fits in cb->ctx: NL_ASSERT_DUMP_CTX_FITS
 * from 6.2, renamed NL_ASSERT_CTX_FITS in 7.x; 6.1 has cb->ctx but no check.
 */
#ifndef NL_ASSERT_DUMP_CTX_FITS
#ifdef NL_ASSERT_CTX_FITS
#define NL_ASSERT_DUMP_CTX_FITS(type_name)	NL_ASSERT_CTX_FITS(type_name)
#else
#define NL_ASSERT_DUMP_CTX_FITS(type_name)				\
	BUILD_BUG_ON(sizeof(type_name) >				\
		     sizeof_field(struct netlink_callback, ctx))
#endif
#endif

/*
 * Parsed attributes of a dump request: 6.1 keeps them in struct
 * genl_dumpit_info, 6.6 moved them into a genl_info (genl_info_dump()).
 */
static inline struct nlattr **mt_genl_dump_attrs(struct netlink_callback *cb)
{
#ifdef MT_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * Who may join the "events" multicast group: CAP_SYS_ADMIN (events carry
 * victims' pid, uid, comm and RSS).  Kernels with the GENL_MCAST_CAP_*
 * group flags (6.6, and stable 6.1 from 6.1.68, so every Debian 6.1.0-NN
 * that memtally supports) check it at join time.  Older ones only know
 * GENL_UNS_ADMIN_PERM (CAP_NET_ADMIN), and a family's bind() hook cannot
 * refuse (its return value is ignored): there the module offers no events
 * group at all (MT_GENL_EVENTS 0), and the tool says so.
 */
#ifdef MT_HAVE_GENL_MCAST_CAP
#define MT_GENL_EVENTS		1
#define MT_GENL_EVENTS_FLAGS	GENL_MCAST_CAP_SYS_ADMIN
#else
#define MT_GENL_EVENTS		0
#define MT_GENL_EVENTS_FLAGS	0
#endif

/*
 * oom:mark_victim: upstream kernels before 6.8 pass the victim's pid, later
 * ones the task and its uid (Debian's 6.1.0-56 has the later form too).
 * MT_MARK_VICTIM_TASK is the victim, under rcu_read_lock(); the victim is
 * task_lock()ed or current either way, so the task found by pid is alive.
 */
#ifdef MT_HAVE_MARK_VICTIM_TASK
#define MT_MARK_VICTIM_ARGS	struct task_struct *task, uid_t uid
#define MT_MARK_VICTIM_TASK	task
#else
#define MT_MARK_VICTIM_ARGS	int pid
#define MT_MARK_VICTIM_TASK	pid_task(find_pid_ns(pid, &init_pid_ns), PIDTYPE_PID)
#endif

/*
 * sched:sched_process_exit: 7.x adds group_dead, and calls it before
 * exit_mm() (6.x after).
 */
#ifdef MT_HAVE_EXIT_GROUP_DEAD
#define MT_TASK_EXIT_ARGS	struct task_struct *p, bool group_dead
#else
#define MT_TASK_EXIT_ARGS	struct task_struct *p
#endif

/*
 * vmscan: the direct, memcg and soft limit reclaim begin and end
 * tracepoints.  7.x swaps order and gfp_flags and adds to both the memcg
 * reclaimed (NULL for direct reclaim), which mt_reclaim_begin() uses; older
 * kernels do not say.  Context: the reclaiming task (soft limit reclaim:
 * also kswapd), may sleep between begin and end.
 */
#ifdef MT_HAVE_RECLAIM_BEGIN_MEMCG
#define MT_RECLAIM_BEGIN_ARGS	gfp_t gfp_flags, int order, struct mem_cgroup *memcg
#define MT_RECLAIM_BEGIN_MEMCG	memcg
#else
#define MT_RECLAIM_BEGIN_ARGS	int order, gfp_t gfp_flags
#define MT_RECLAIM_BEGIN_MEMCG	NULL
#endif
#ifdef MT_HAVE_RECLAIM_END_MEMCG
#define MT_RECLAIM_END_ARGS	unsigned long nr_reclaimed, struct mem_cgroup *memcg
#define MT_RECLAIM_END_MEMCG	memcg
#else
#define MT_RECLAIM_END_ARGS	unsigned long nr_reclaimed
#define MT_RECLAIM_END_MEMCG	NULL
#endif
/* both name it: agent reclaim is told from memcg reclaim (status says so) */
#if defined(MT_HAVE_RECLAIM_BEGIN_MEMCG) && defined(MT_HAVE_RECLAIM_END_MEMCG)
#define MT_RECLAIM_NAMES_MEMCG	1
#else
#define MT_RECLAIM_NAMES_MEMCG	0
#endif

/*
 * vmscan:mm_shrink_slab_start/end: 7.x adds the memcg being shrunk, last.
 * Context: the reclaiming task or kswapd.
 */
#ifdef MT_HAVE_SHRINK_SLAB_MEMCG
#define MT_SLAB_START_ARGS						\
	struct shrinker *shr, struct shrink_control *sc,		\
	long nr_objects_to_shrink, unsigned long cache_items,		\
	unsigned long long delta, unsigned long total_scan, int priority, \
	struct mem_cgroup *memcg
#define MT_SLAB_END_ARGS						\
	struct shrinker *shr, int nid, int shrinker_retval,		\
	long unused_scan_cnt, long new_scan_cnt, long total_scan,	\
	struct mem_cgroup *memcg
#else
#define MT_SLAB_START_ARGS						\
	struct shrinker *shr, struct shrink_control *sc,		\
	long nr_objects_to_shrink, unsigned long cache_items,		\
	unsigned long long delta, unsigned long total_scan, int priority
#define MT_SLAB_END_ARGS						\
	struct shrinker *shr, int nid, int shrinker_retval,		\
	long unused_scan_cnt, long new_scan_cnt, long total_scan
#endif

/**
 * struct mt_mm_ksm - the KSM counters of an mm
 * @merging: pages of it merged by KSM
 * @rmap: KSM's rmap items for it
 * @zero: its pages merged with the zero page (6.6 and later; else 0)
 */
struct mt_mm_ksm {
	unsigned long merging, rmap, zero;
};

/*
 * The KSM counters of @mm: merging pages and rmap items since 6.1, zero
 * pages since 6.6 (an unsigned long, an atomic_long_t from 6.10).  All 0
 * without CONFIG_KSM.
 */
static inline struct mt_mm_ksm mt_mm_ksm(struct mm_struct *mm)
{
	struct mt_mm_ksm k = { 0 };

#ifdef CONFIG_KSM
	k.merging = READ_ONCE(mm->ksm_merging_pages);
	k.rmap = READ_ONCE(mm->ksm_rmap_items);
#if defined(MT_HAVE_MM_KSM_ZERO_PAGES)
	k.zero = atomic_long_read(&mm->ksm_zero_pages);
#elif defined(MT_HAVE_MM_KSM_ZERO_PAGES_ULONG)
	k.zero = READ_ONCE(mm->ksm_zero_pages);
#endif
#endif
	return k;
}

/*
 * The task an mm is charged to (mm->owner, CONFIG_MEMCG), under RCU; NULL
 * when unknown.  It counts each mm once however many tasks share it.
 */
static inline struct task_struct *mt_mm_owner(struct mm_struct *mm)
{
#ifdef CONFIG_MEMCG
	return rcu_dereference(mm->owner);
#else
	return NULL;
#endif
}

/*
 * The memory cgroup of a folio, for any folio, without a reference: 6.12
 * has folio_memcg_check(); 6.1 only page_memcg_check(), which gives the
 * same for a folio's head page.  Under RCU.
 */
static inline struct mem_cgroup *mt_folio_memcg_check(struct folio *folio)
{
#ifdef MT_HAVE_FOLIO_MEMCG_CHECK
	return folio_memcg_check(folio);
#else
	return page_memcg_check(&folio->page);
#endif
}

/*
 * Is the memory controller on the default (v2) hierarchy, so that a
 * page's memcg is a v2 cgroup with a v2 id?  Kernels up to 6.11 (and
 * later ones with CONFIG_MEMCG_V1) can mount it on a v1 hierarchy, whose
 * cgroup ids are another id space.
 */
static inline bool mt_memcg_on_dfl(void)
{
#ifdef CONFIG_MEMCG
	return cgroup_subsys_on_dfl(memory_cgrp_subsys);
#else
	return true;
#endif
}

/* damon:damon_aggregated: up to 6.6 it also passes the target */
#ifdef MT_HAVE_DAMON_AGGREGATED_TARGET
#define MT_DAMON_AGGREGATED_ARGS					\
	struct damon_target *t, unsigned int target_id,			\
	struct damon_region *r, unsigned int nr_regions
#else
#define MT_DAMON_AGGREGATED_ARGS					\
	unsigned int target_id, struct damon_region *r,			\
	unsigned int nr_regions
#endif

/*
 * migrate:mm_migrate_pages: 6.12 adds the large folios split before
 * migrating (large_folio_split), 7.x passes the reason as an enum
 * migrate_reason, an int before.
 */
#ifdef MT_HAVE_MIGRATE_REASON_ENUM
#define MT_MIGRATE_REASON_T	enum migrate_reason
#else
#define MT_MIGRATE_REASON_T	int
#endif
#ifdef MT_HAVE_MIGRATE_LARGE_FOLIO_SPLIT
#define MT_MIGRATE_PAGES_ARGS						\
	unsigned long succeeded, unsigned long failed,			\
	unsigned long thp_succeeded, unsigned long thp_failed,		\
	unsigned long thp_split, unsigned long large_folio_split,	\
	enum migrate_mode mode, MT_MIGRATE_REASON_T reason
#else
#define MT_MIGRATE_PAGES_ARGS						\
	unsigned long succeeded, unsigned long failed,			\
	unsigned long thp_succeeded, unsigned long thp_failed,		\
	unsigned long thp_split, enum migrate_mode mode,		\
	MT_MIGRATE_REASON_T reason
#endif

/*
 * mm_compaction_migratepages: 6.1 passes the compact_control and the pages
 * migrated; 6.3 and later the pages tried and migrated.
 */
#ifdef MT_HAVE_COMPACT_MIGRATEPAGES_NR
#define MT_COMPACT_MIGRATEPAGES_ARGS					\
	unsigned int nr_migratepages, unsigned int nr_succeeded
#else
#define MT_COMPACT_MIGRATEPAGES_ARGS					\
	struct compact_control *cc, unsigned int nr_succeeded
#endif

/*
 * mm_collapse_huge_page: 7.x adds the order of the folio collapsed into
 * (khugepaged collapses into large folios smaller than a huge page too);
 * MT_COLLAPSE_ORDER is it, or a huge page's before.
 */
#ifdef MT_HAVE_COLLAPSE_ORDER
#define MT_COLLAPSE_HUGE_PAGE_ARGS					\
	struct mm_struct *mm, int isolated, int status, unsigned int order
#define MT_COLLAPSE_ORDER	order
#else
#define MT_COLLAPSE_HUGE_PAGE_ARGS					\
	struct mm_struct *mm, int isolated, int status
#define MT_COLLAPSE_ORDER	HPAGE_PMD_ORDER
#endif

#endif /* _MEMTALLY_COMPAT_H */
