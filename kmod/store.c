// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: the per-cgroup store.
 *
 * One entry per cgroup of the cgroup v2 hierarchy, indexed by cgroup id in
 * an xarray, and one row per NUMA node for work done on behalf of no task
 * (kswapd, interrupts).  Probes look their entry up under RCU and bump a
 * counter: no lock, no allocation, safe in any context including NMI.
 * The hot counters (page faults, once per fault on every CPU) are per CPU;
 * the rest, counted in reclaim, OOM and KSM paths that do far more work
 * per event, are atomic64_t shared by all CPUs, which keeps an entry near
 * 400 bytes plus 16 bytes per CPU (the fault counters) and a bit per CPU
 * that something of it changed, for dumps of what changed (see
 * mt_scan_gen).  The stall histograms (800 bytes) come with a cgroup's
 * first stall (mt_hist_get()): most cgroups never stall.
 *
 * Entries are created and retired only by mt_store_sync(), in process
 * context under mt_store_lock: a mark-and-sweep walk of the hierarchy that
 * adds an entry for every online cgroup without one and retires the
 * entries whose cgroup is gone.  The cgroup mkdir/rmdir probes only kick
 * the sync work; until it has run, events of a new cgroup are counted as
 * unattributed, never dropped.
 *
 * A retired entry's counts, with the removed-descendant counts it had
 * gathered, are added to its parent's removed-descendant counts (children
 * first: a child's id is above its parent's), so an ancestor's
 * hierarchical counts never shrink; and the entry itself stays readable as
 * a tombstone for a while (the last MT_TOMBS of them, MT_TOMB_AGE at
 * most), out of the probes' reach, then is RCU-freed.  A probe that looked
 * an entry up just before it was retired may still add to it: that event
 * shows in the tombstone, not in the parent's removed-descendant counts.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/llist.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <trace/events/cgroup.h>

#include <linux/memtally.h>

#include "memtally.h"
#include "compat.h"

const struct mt_counter_info mt_counter_info[MT_NR_COUNTERS] = {
	MT_COUNTER_INFO_ROWS
};

/*
 * The order of the spec's cgroup-counters set that the store relies on:
 * the page faults first (kept per CPU), a stall group (stalls, stall ns,
 * reclaimed) per reclaim kind, in the kinds' order; compaction's group
 * (stalls, stall ns, migrated) stands apart, after them.
 */
static_assert(MT_FAULTS_USER == 0 && MT_FAULTS_KERNEL == 1);
#define MT_STALL_GROUP(K)						\
	static_assert(MT_STALL_COUNTERS(MEMTALLY_RECLAIM_KIND_##K) ==	\
		      MT_##K##_STALLS &&					\
		      MT_STALL_COUNTERS(MEMTALLY_RECLAIM_KIND_##K) + 1 ==	\
		      MT_##K##_STALL_NS &&					\
		      MT_STALL_COUNTERS(MEMTALLY_RECLAIM_KIND_##K) + 2 ==	\
		      MT_##K##_RECLAIMED)
MT_STALL_GROUP(DIRECT);
MT_STALL_GROUP(MEMCG);
MT_STALL_GROUP(SOFTLIMIT);
MT_STALL_GROUP(AGENT);
static_assert(MT_COMPACT_STALLS + 1 == MT_COMPACT_STALL_NS &&
	      MT_COMPACT_STALLS + 2 == MT_COMPACT_MIGRATED);

/* The hot counters of an entry, per CPU */
struct mt_pcpu {
	u64 v[MT_NR_PCPU];
};

#define MT_NR_SHARED	(MT_NR_COUNTERS - MT_NR_PCPU)

/* An entry's stall latency histograms; see mt_hist_get() */
struct mt_hist {
	union {
		atomic64_t b[MT_NR_KINDS][MEMTALLY_HIST_BUCKETS];
		struct llist_node unused;	/* a spare left over */
	};
};

/* Removed descendants' final counts, summed; see mt_store_retire() */
struct mt_gone {
	struct mt_counters c;
};

struct mt_cgroup {
	u64 id;
	u64 parent_id;			/* 0 for the root cgroup */
	unsigned long gen;		/* last sync that saw the cgroup */
	u64 removed_ns;			/* CLOCK_BOOTTIME of retirement, 0: live */
	u64 seen_gen;			/* under mt_scan_lock: see mt_store_stamp() */
	u64 damon_seen;			/* under mt_scan_lock: mt_damon_cg_changed() */
	/* off every list (under mt_store_lock) before it is RCU-freed */
	union {
		struct list_head link;	/* retiring, then the tombstones' FIFO */
		struct rcu_head rcu;
	};
	struct list_head seen_link;	/* in mt_seen, once stamped */
	/* its bit in mt_dirty, its index in mt_slots; by @pcpu for the probes */
	u32 slot;
	struct mt_gone __rcu *gone;	/* written under mt_store_lock */
	struct mt_pcpu __percpu *pcpu;
	atomic64_t shared[MT_NR_SHARED];	/* counters MT_NR_PCPU and up */
	struct mt_hist *hist;		/* set once (mt_hist_get()), then kept */
	u64 ksm[MT_NR_KSM];		/* published by the KSM walk */
	u64 ksm_next[MT_NR_KSM];	/* the walk in progress */
	struct mt_damon_cg __rcu *damon;	/* once anything was bound */
};

static struct kmem_cache *mt_cgroup_cache;
static DEFINE_XARRAY(mt_cgroups);	/* cgroup id -> struct mt_cgroup */
/* Removed cgroups still readable: id -> entry, oldest first in mt_tomb_fifo */
static DEFINE_XARRAY(mt_tombs);
static LIST_HEAD(mt_tomb_fifo);		/* under mt_store_lock */
static unsigned int mt_nr_tombs;	/* under mt_store_lock */
#define MT_TOMBS	256
#define MT_TOMB_AGE	(600ULL * NSEC_PER_SEC)
static DEFINE_MUTEX(mt_store_lock);	/* serialises all writers */
static unsigned long mt_gen;		/* under mt_store_lock */
static unsigned int mt_nr;		/* entries; written under mt_store_lock */
static unsigned long mt_changes;	/* entries added or retired */
static u32 mt_damon_ring;		/* under mt_store_lock; see damon.c */
static bool mt_damon_on;		/* under mt_store_lock: give entries DAMON numbers */
static DEFINE_PER_CPU(u64, mt_unattributed);
static atomic_t mt_sync_pending;	/* a cgroup was made or removed */
/* the KSM walk (one at a time): it added to an entry; the last one did */
static bool mt_ksm_added, mt_ksm_any;

/*
 * Generations, for dumps of what changed since an earlier dump.  Whatever
 * changes something of an entry (a counter, a KSM gauge, its removed
 * descendants, its removal) sets the entry's bit in its CPU's dirty map
 * after the change (mt_changed()).  Every cgroup-get dump starts a
 * generation under mt_scan_lock and takes the bits set since the last one
 * (mt_store_harvest()): each of those entries is stamped with the new
 * generation (seen_gen) and moved to the end of mt_seen, which so stays in
 * stamp order; DAMON numbers, which change for every cgroup with each
 * aggregation, are looked at in every entry when one was published since.
 * The dump reads its rows after that, so a change it may miss sets a bit
 * again and is stamped by a later dump.  A dump since G therefore sends the
 * entries stamped later than G: the tail of mt_seen, not a walk of every
 * entry.  Freeing a tombstone loses what it would have told: a dump since
 * a generation up to mt_floor_live (the tombstone's removal), or
 * mt_floor_all (the tombstone itself, for readers of removed cgroups), is
 * refused.  Generations start at the wall clock of the load, so that one
 * of an earlier load is refused too.
 */
static DEFINE_MUTEX(mt_scan_lock);
static u64 mt_scan_gen;			/* under mt_scan_lock */
static u64 mt_floor_live, mt_floor_all;	/* under mt_scan_lock */
static LIST_HEAD(mt_seen);		/* under mt_scan_lock: by seen_gen */
static u64 mt_damon_looked;		/* under mt_scan_lock: DAMON's pub count */

/*
 * Slots: a small number per entry (live or tombstone), its bit in the
 * per-CPU dirty maps, which come in chunks of MT_DIRTY_BITS slots,
 * allocated as the slots grow and kept until unload.
 */
#define MT_DIRTY_BITS	4096
#define MT_DIRTY_WORDS	(MT_DIRTY_BITS / BITS_PER_LONG)
#define MT_DIRTY_CHUNKS	256		/* a million entries */
/* slot -> entry: added under mt_store_lock, erased under both locks, RCU */
static DEFINE_XARRAY_ALLOC(mt_slots);
static unsigned long __percpu *mt_dirty[MT_DIRTY_CHUNKS];
/* [nr_node_ids], one allocation per possible node */
static struct mt_node_counters __percpu **mt_nodes;

/*
 * The last cgroup looked up on each CPU: faults come in runs from one task,
 * and this spares them the xarray walk.  @changes is mt_changes when @e was
 * found; any retirement bumps mt_changes before call_rcu() frees the entry,
 * so a reader that still sees the old value runs in a read-side section
 * that began before that grace period did, and @e is still there.  Cgroup
 * ids are never reused.
 */
struct mt_lookup_cache {
	u64 id;
	struct mt_cgroup *e;
	unsigned long changes;
};

static DEFINE_PER_CPU(struct mt_lookup_cache, mt_lookup_cache);

/*
 * The entry of cgroup @id, or NULL.  Caller is an RCU reader.  The
 * cache is read and written only with interrupts off and outside NMI, where
 * nothing else on this CPU can use it meanwhile; elsewhere (a probe that
 * runs with interrupts on, or a perf NMI's fault) it is left alone.
 */
static struct mt_cgroup *mt_lookup(u64 id)
{
	struct mt_lookup_cache *lc;
	unsigned long changes;
	struct mt_cgroup *e;

	if (!irqs_disabled() || in_nmi())
		return xa_load(&mt_cgroups, id);
	lc = this_cpu_ptr(&mt_lookup_cache);
	changes = READ_ONCE(mt_changes);
	if (lc->id == id && lc->changes == changes)
		return lc->e;
	e = xa_load(&mt_cgroups, id);
	if (e) {
		lc->id = id;
		lc->e = e;
		lc->changes = changes;
	}
	return e;
}

/*
 * Something of @e changed: after the change is visible (smp_wmb()), set
 * its bit in this CPU's dirty map for mt_store_harvest().  Any context: a
 * per-CPU read-modify-write that interrupts and NMIs cannot split
 * (this_cpu_or()).  The harvest's xchg() of a word between its read and
 * its write at worst leaves other bits set again (an entry reported
 * changed that was not): never loses this one.
 */
static inline void mt_changed(struct mt_cgroup *e)
{
	unsigned long __percpu *chunk = READ_ONCE(mt_dirty[e->slot / MT_DIRTY_BITS]);
	unsigned int bit = e->slot % MT_DIRTY_BITS;

	/* the change before the bit: pairs with the xchg() that takes it */
	smp_wmb();
	this_cpu_or(chunk[bit / BITS_PER_LONG], BIT(bit % BITS_PER_LONG));
}

/*
 * Histograms: a probe cannot allocate (nor free), so the first stall of a
 * cgroup takes the histograms from a spare, one per CPU, and the refill
 * work allocates a new spare.  A spare is taken and given with xchg() and
 * cmpxchg(), atomic against every CPU (the work fills other CPUs' spares),
 * so any CPU's will do and the caller need not stay on one.  A spare no
 * slot has room for goes to mt_hist_unused, for the work to free.
 */
static struct kmem_cache *mt_hist_cache;
static DEFINE_PER_CPU(struct mt_hist *, mt_hist_spare);
static LLIST_HEAD(mt_hist_unused);

/* Free the spares left over */
static void mt_hist_drain(void)
{
	struct mt_hist *h, *t;

	llist_for_each_entry_safe(h, t, llist_del_all(&mt_hist_unused), unused)
		kmem_cache_free(mt_hist_cache, h);
}

/* Give every CPU a spare; GFP_KERNEL.  Process context. */
static void mt_hist_refill(void)
{
	struct mt_hist *h;
	int cpu;

	mt_hist_drain();
	for_each_possible_cpu(cpu) {
		if (READ_ONCE(*per_cpu_ptr(&mt_hist_spare, cpu)))
			continue;
		h = kmem_cache_zalloc(mt_hist_cache, GFP_KERNEL | __GFP_NOWARN);
		if (!h)
			return;
		if (cmpxchg(per_cpu_ptr(&mt_hist_spare, cpu), NULL, h))
			kmem_cache_free(mt_hist_cache, h);
	}
}

static void mt_hist_workfn(struct work_struct *work)
{
	mt_hist_refill();
}

static DECLARE_WORK(mt_hist_work, mt_hist_workfn);

/* A spare: this CPU's, else another's; NULL when none is left */
static struct mt_hist *mt_hist_take(void)
{
	struct mt_hist *h = xchg(raw_cpu_ptr(&mt_hist_spare), NULL);
	int cpu;

	for_each_possible_cpu(cpu) {
		if (h)
			break;
		h = xchg(per_cpu_ptr(&mt_hist_spare, cpu), NULL);
	}
	return h;
}

/* Give unused spare @h back: to an empty slot, else for the work to free */
static void mt_hist_give(struct mt_hist *h)
{
	int cpu;

	for_each_possible_cpu(cpu)
		if (!cmpxchg(per_cpu_ptr(&mt_hist_spare, cpu), NULL, h))
			return;
	llist_add(&h->unused, &mt_hist_unused);
}

/*
 * The histograms of @e, given them from a spare if it has none, or NULL
 * when there is no spare.  Task context (schedule_work()); the caller
 * keeps @e alive (RCU).  Two first stalls of one cgroup may race:
 * cmpxchg() publishes one spare (zeroed before, a full barrier orders
 * that), the loser gives its own back.
 */
static struct mt_hist *mt_hist_get(struct mt_cgroup *e)
{
	struct mt_hist *h = READ_ONCE(e->hist), *old;

	if (likely(h))
		return h;
	h = mt_hist_take();
	schedule_work(&mt_hist_work);
	if (!h)
		return NULL;
	old = cmpxchg(&e->hist, NULL, h);
	if (!old)
		return h;
	mt_hist_give(h);
	return old;
}

static void mt_sync_workfn(struct work_struct *work)
{
	mt_store_sync();
}

static DECLARE_WORK(mt_sync_work, mt_sync_workfn);

/**
 * mt_count_task() - count for the cgroup of a task
 * @task: the task, current or one the caller keeps alive
 * @c: the counter
 * @n: how much
 *
 * Context: tracepoint probes only, in any context including hard IRQ and
 * NMI.  Preemption off here is the RCU read-side section which keeps the
 * task's css_set and the entry (freed by call_rcu()) alive, as
 * rcu_read_lock() would: 6.x tracepoints call their probes so, 7.x does not
 * (memtally.h).  Does a lockless lookup and a per-CPU add (a single
 * instruction on x86) or an atomic add, then sets the entry's bit in this
 * CPU's dirty map (mt_changed()), all NMI-safe.  An event whose
 * cgroup has no entry yet counts as unattributed.
 */
void mt_count_task(struct task_struct *task, enum mt_counter c, u64 n)
{
	struct mt_cgroup *e;

	preempt_disable_notrace();
	e = mt_lookup(cgroup_id(task_dfl_cgroup(task)));
	if (unlikely(!e)) {
		this_cpu_inc(mt_unattributed);
	} else {
		if (c < MT_NR_PCPU)
			this_cpu_add(e->pcpu->v[c], n);
		else
			atomic64_add(n, &e->shared[c - MT_NR_PCPU]);
		mt_changed(e);
	}
	preempt_enable_notrace();
}

/**
 * mt_count_mm() - count for the cgroup of an address space's owner
 * @mm: the address space; the caller keeps the mm_struct allocated
 * @c: the counter
 * @n: how much
 *
 * For work a kernel thread (ksmd, khugepaged) does on some process's
 * memory.  mm->owner is cleared by the last exiting owner and task_structs
 * are freed after an RCU grace period, so rcu_dereference() and a NULL
 * check suffice; an mm without owner is exiting and is not counted.
 *
 * Context: tracepoint probes, process context; no lock but RCU's.
 */
void mt_count_mm(struct mm_struct *mm, enum mt_counter c, u64 n)
{
	struct task_struct *owner;

	rcu_read_lock();
	owner = mt_mm_owner(mm);
	if (owner)
		mt_count_task(owner, c, n);
	rcu_read_unlock();
}

/**
 * mt_count_node() - count for a NUMA node's row
 * @c: the counter
 * @n: how much
 * @nid: the node; out-of-range ids are ignored
 *
 * Context: any.
 */
void mt_count_node(enum mt_counter c, u64 n, int nid)
{
	if ((unsigned int)nid < nr_node_ids && mt_nodes[nid])
		this_cpu_add(mt_nodes[nid]->v[c], n);
}

/**
 * mt_count_reclaim() - count reclaim work for whoever did it
 * @c: the counter
 * @n: how much
 * @nid: the node the work was on
 *
 * Work by a task goes to the task's cgroup; work by kswapd or in interrupt
 * context is on behalf of no task and goes to the node's row.
 *
 * Context: any.
 */
void mt_count_reclaim(enum mt_counter c, u64 n, int nid)
{
	if (in_task() && !(current->flags & PF_KSWAPD))
		mt_count_current(c, n);
	else
		mt_count_node(c, n, nid);
}

static unsigned int mt_hist_bucket(u64 ns)
{
	u64 us = div_u64(ns, NSEC_PER_USEC);

	if (us < 2)
		return 0;
	return min_t(unsigned int, ilog2(us), MEMTALLY_HIST_BUCKETS - 1);
}

/**
 * mt_count_stall() - count one reclaim stall of the current task
 * @kind: enum memtally_reclaim_kind
 * @ns: how long it stalled
 * @reclaimed: pages the reclaim freed
 *
 * Context: task context (a tracepoint probe).  Takes no lock but the
 * workqueue's (schedule_work(): the pool's, a wakeup's), to refill a spare
 * it took: the reclaim end tracepoints fire under none of them.
 */
void mt_count_stall(unsigned int kind, u64 ns, u64 reclaimed)
{
	enum mt_counter c = mt_stall_counters(kind);
	struct mt_cgroup *e;
	struct mt_hist *h;

	rcu_read_lock();
	e = xa_load(&mt_cgroups, cgroup_id(task_dfl_cgroup(current)));
	if (likely(e)) {
		atomic64_inc(&e->shared[c - MT_NR_PCPU]);
		atomic64_add(ns, &e->shared[c + 1 - MT_NR_PCPU]);
		atomic64_add(reclaimed, &e->shared[c + 2 - MT_NR_PCPU]);
		h = mt_hist_get(e);
		if (likely(h))
			atomic64_inc(&h->b[kind][mt_hist_bucket(ns)]);
		else
			atomic64_inc(&e->shared[MT_STALL_HIST_MISSED -
						MT_NR_PCPU]);
		mt_changed(e);
	} else {
		this_cpu_inc(mt_unattributed);
	}
	rcu_read_unlock();
}

/*
 * Give @e a slot and make sure every CPU's dirty map has its bit.  Under
 * mt_store_lock.
 */
static int mt_store_slot(struct mt_cgroup *e)
{
	unsigned long __percpu *chunk;
	u32 k;
	int err;

	err = xa_alloc(&mt_slots, &e->slot, e,
		       XA_LIMIT(0, MT_DIRTY_CHUNKS * MT_DIRTY_BITS - 1),
		       GFP_KERNEL);
	if (err)
		return err;
	k = e->slot / MT_DIRTY_BITS;
	if (mt_dirty[k])
		return 0;
	chunk = __alloc_percpu(MT_DIRTY_BITS / BITS_PER_BYTE,
			       sizeof(unsigned long));
	if (!chunk) {
		xa_erase(&mt_slots, e->slot);
		return -ENOMEM;
	}
	/* zeroed before a probe or the harvest can see it */
	smp_store_release(&mt_dirty[k], chunk);
	return 0;
}

/*
 * Take @e's slot back, once nothing can find it by id.  Its bit may still
 * be set, or be set by a probe that found it earlier: the next entry in
 * the slot is then reported changed once more than it did, no harm.
 * Under mt_store_lock.
 */
static void mt_store_unslot(struct mt_cgroup *e)
{
	mutex_lock(&mt_scan_lock);
	xa_erase(&mt_slots, e->slot);
	list_del_init(&e->seen_link);
	mutex_unlock(&mt_scan_lock);
}

static void mt_cgroup_free(struct mt_cgroup *e)
{
	if (e->hist)
		kmem_cache_free(mt_hist_cache, e->hist);
	kfree(rcu_dereference_protected(e->gone, 1));
	mt_damon_cg_free(rcu_dereference_protected(e->damon, 1));
	free_percpu(e->pcpu);
	kmem_cache_free(mt_cgroup_cache, e);
}

static void mt_cgroup_free_rcu(struct rcu_head *rcu)
{
	mt_cgroup_free(container_of(rcu, struct mt_cgroup, rcu));
}

static int mt_store_add(u64 id, u64 parent_id, unsigned long gen)
{
	struct mt_damon_cg *cg = NULL;
	struct mt_cgroup *e;
	int err;

	e = kmem_cache_zalloc(mt_cgroup_cache, GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->pcpu = alloc_percpu(struct mt_pcpu);
	if (!e->pcpu) {
		kmem_cache_free(mt_cgroup_cache, e);
		return -ENOMEM;
	}
	if (mt_damon_on) {
		cg = mt_damon_cg_alloc(mt_damon_ring);
		if (!cg) {
			mt_cgroup_free(e);
			return -ENOMEM;
		}
		RCU_INIT_POINTER(e->damon, cg);
	}
	e->id = id;
	e->parent_id = parent_id;
	e->gen = gen;
	INIT_LIST_HEAD(&e->seen_link);
	/* its DAMON numbers start with the aggregations from here on */
	if (cg)
		mt_damon_cg_start(cg);
	err = mt_store_slot(e);
	if (err) {
		mt_cgroup_free(e);
		return err;
	}
	err = xa_insert(&mt_cgroups, id, e, GFP_KERNEL);
	if (err) {
		mt_store_unslot(e);
		mt_cgroup_free(e);
		return err;
	}
	/* new: the next dump since any generation sends it */
	mt_changed(e);
	WRITE_ONCE(mt_nr, mt_nr + 1);
	WRITE_ONCE(mt_changes, mt_changes + 1);
	return 0;
}

static bool mt_css_online(struct cgroup_subsys_state *css)
{
	return css->flags & CSS_ONLINE;
}

static void mt_sum(const struct mt_cgroup *e, struct mt_counters *sum)
{
	const struct mt_hist *h = READ_ONCE(e->hist);
	int cpu, i, k;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct mt_pcpu *c = per_cpu_ptr(e->pcpu, cpu);

		for (i = 0; i < MT_NR_PCPU; i++)
			sum->v[i] += READ_ONCE(c->v[i]);
	}
	for (i = MT_NR_PCPU; i < MT_NR_COUNTERS; i++)
		sum->v[i] = atomic64_read(&e->shared[i - MT_NR_PCPU]);
	for (k = 0; h && k < MT_NR_KINDS; k++)
		for (i = 0; i < MEMTALLY_HIST_BUCKETS; i++)
			sum->hist[k][i] = atomic64_read(&h->b[k][i]);
}

/* Add @src to @dst. */
static void mt_counters_add(struct mt_counters *dst,
			    const struct mt_counters *src)
{
	int i, k;

	for (i = 0; i < MT_NR_COUNTERS; i++)
		WRITE_ONCE(dst->v[i], dst->v[i] + src->v[i]);
	for (k = 0; k < MT_NR_KINDS; k++)
		for (i = 0; i < MEMTALLY_HIST_BUCKETS; i++)
			WRITE_ONCE(dst->hist[k][i],
				   dst->hist[k][i] + src->hist[k][i]);
}

/*
 * Add retiring entry @e's counts and its removed descendants' to its
 * parent's removed descendants.  Under mt_store_lock.
 */
static void mt_store_fold(struct mt_cgroup *e)
{
	static struct mt_counters sum;	/* under mt_store_lock */
	struct mt_gone *pg, *eg;
	struct mt_cgroup *p;

	p = xa_load(&mt_cgroups, e->parent_id);
	if (!p) {
		/* its parent was never tracked (out of memory then) */
		pr_warn_ratelimited("the counts of removed cgroup %llu are not in its parent's: the parent is not tracked\n",
				    e->id);
		return;
	}
	pg = rcu_dereference_protected(p->gone, lockdep_is_held(&mt_store_lock));
	if (!pg) {
		pg = kzalloc(sizeof(*pg), GFP_KERNEL);
		if (pg)
			rcu_assign_pointer(p->gone, pg);
	}
	if (!pg) {
		pr_warn_ratelimited("the counts of removed cgroup %llu could not be added to its parent's\n",
				    e->id);
		return;
	}
	mt_sum(e, &sum);
	mt_counters_add(&pg->c, &sum);
	eg = rcu_dereference_protected(e->gone, lockdep_is_held(&mt_store_lock));
	if (eg)
		mt_counters_add(&pg->c, &eg->c);
	mt_changed(p);
}

/*
 * Stamp @e with the current generation: a dump since an earlier one sends
 * it.  Under mt_scan_lock and rcu_read_lock().
 */
static void mt_store_stamp(struct mt_cgroup *e)
{
	e->seen_gen = mt_scan_gen;
	list_move_tail(&e->seen_link, &mt_seen);
}

/*
 * Stamp every entry whose bit a CPU set since the last harvest, and those
 * whose DAMON numbers may have changed.  Taking a word with xchg() (a full
 * barrier) comes before the caller reads the counters, so a change that
 * read misses sets its bit again.  Under mt_scan_lock.
 */
static void mt_store_harvest(void)
{
	unsigned long __percpu *chunk;
	struct mt_damon_cg *cg;
	unsigned long *w, bits;
	struct mt_cgroup *e;
	unsigned long index;
	unsigned int k, i, b, n = 0;
	u64 pub;
	int cpu;

	lockdep_assert_held(&mt_scan_lock);
	rcu_read_lock();
	for (k = 0; k < MT_DIRTY_CHUNKS; k++) {
		/* pairs with the release in mt_store_slot(): zeroed */
		chunk = smp_load_acquire(&mt_dirty[k]);
		if (!chunk)
			break;
		for_each_possible_cpu(cpu) {
			w = per_cpu_ptr(chunk, cpu);
			for (i = 0; i < MT_DIRTY_WORDS; i++) {
				if (!READ_ONCE(w[i]))
					continue;
				bits = xchg(&w[i], 0);
				for_each_set_bit(b, &bits, BITS_PER_LONG) {
					e = xa_load(&mt_slots, k * MT_DIRTY_BITS +
						    i * BITS_PER_LONG + b);
					if (e)
						mt_store_stamp(e);
				}
			}
		}
	}
	/* an aggregation published since the last look: each one's numbers */
	pub = mt_damon_pub_count();
	if (pub != mt_damon_looked) {
		mt_damon_looked = pub;
		xa_for_each(&mt_slots, index, e) {
			cg = rcu_dereference(e->damon);
			if (cg && mt_damon_cg_changed(cg, &e->damon_seen))
				mt_store_stamp(e);
			/* xa_for_each() goes on from the index: safe to let go */
			if (++n % 256 == 0) {
				rcu_read_unlock();
				cond_resched();
				rcu_read_lock();
			}
		}
	}
	rcu_read_unlock();
}

/* Whether @e's bit is set on any CPU.  Under mt_scan_lock. */
static bool mt_store_dirty(const struct mt_cgroup *e)
{
	unsigned long __percpu *chunk = mt_dirty[e->slot / MT_DIRTY_BITS];
	unsigned int bit = e->slot % MT_DIRTY_BITS;
	int cpu;

	for_each_possible_cpu(cpu)
		if (test_bit(bit, per_cpu_ptr(chunk, cpu)))
			return true;
	return false;
}

/*
 * Take @e out of @xa for good: readers since a generation that would have
 * been sent its last change (its removal), and every reader of removed
 * cgroups, can no longer be told what changed.  Under mt_store_lock.
 */
static void mt_store_drop(struct xarray *xa, struct mt_cgroup *e)
{
	u64 seen;

	mutex_lock(&mt_scan_lock);
	xa_erase(xa, e->id);
	/* a change no dump took yet: the last dump's readers missed it */
	seen = mt_store_dirty(e) ? mt_scan_gen : e->seen_gen;
	mt_floor_live = max(mt_floor_live, seen);
	mt_floor_all = mt_scan_gen;
	xa_erase(&mt_slots, e->slot);
	list_del_init(&e->seen_link);
	mutex_unlock(&mt_scan_lock);
}

/* Free tombstone @e after readers.  Under mt_store_lock. */
static void mt_tomb_free(struct mt_cgroup *e)
{
	mt_store_drop(&mt_tombs, e);
	list_del(&e->link);
	mt_nr_tombs--;
	/* a dump that lists tombstones sees that it changed */
	WRITE_ONCE(mt_changes, mt_changes + 1);
	call_rcu(&e->rcu, mt_cgroup_free_rcu);
}

/*
 * Retire @e, whose cgroup is gone: fold it into its parent, take it out of
 * the probes' reach and keep it as a tombstone.  Under mt_store_lock.
 */
static void mt_store_retire(struct mt_cgroup *e)
{
	struct mt_damon_cg *cg;
	bool kept;

	list_del(&e->link);
	mt_store_fold(e);
	WRITE_ONCE(e->removed_ns, ktime_get_boottime_ns());
	/* the numbers of what it holds now (nothing) are not kept */
	cg = rcu_replace_pointer(e->damon, NULL, lockdep_is_held(&mt_store_lock));
	mt_damon_cg_free_rcu(cg);
	mt_changed(e);
	/* a tombstone before it leaves: a do by id finds one or the other */
	kept = !xa_insert(&mt_tombs, e->id, e, GFP_KERNEL);
	if (kept)
		xa_erase(&mt_cgroups, e->id);
	else
		mt_store_drop(&mt_cgroups, e);
	WRITE_ONCE(mt_nr, mt_nr - 1);
	WRITE_ONCE(mt_changes, mt_changes + 1);
	if (!kept) {
		call_rcu(&e->rcu, mt_cgroup_free_rcu);
		return;
	}
	list_add_tail(&e->link, &mt_tomb_fifo);
	if (++mt_nr_tombs > MT_TOMBS)
		mt_tomb_free(list_first_entry(&mt_tomb_fifo, struct mt_cgroup,
					      link));
}

/* Free the tombstones older than MT_TOMB_AGE.  Under mt_store_lock. */
static void mt_store_expire(void)
{
	u64 now = ktime_get_boottime_ns();
	struct mt_cgroup *e, *tmp;

	list_for_each_entry_safe(e, tmp, &mt_tomb_fifo, link) {
		if (now - e->removed_ns < MT_TOMB_AGE)
			break;
		mt_tomb_free(e);
	}
}

/*
 * Bring the store in line with the cgroup hierarchy.  Under mt_store_lock.
 * Walks the hierarchy under RCU; to allocate an entry it pins the current
 * position with css_tryget(), leaves the RCU section, and resumes the walk
 * from the pinned position, which css_next_descendant_pre() allows even if
 * the cgroup was removed meanwhile.
 */
static void mt_store_sync_locked(void)
{
	struct cgroup_subsys_state *root = &cgrp_dfl_root.cgrp.self;
	struct cgroup_subsys_state *pos, *next;
	struct mt_cgroup *e, *tmp;
	unsigned long index, gen;
	LIST_HEAD(retiring);
	u64 parent;
	int err;

	lockdep_assert_held(&mt_store_lock);
	/*
	 * A cgroup made or removed from here on syncs again; the full
	 * barrier orders clearing the flag before the walk, which sees
	 * every cgroup whose mt_store_kick() came before.
	 */
	atomic_xchg(&mt_sync_pending, 0);
	gen = ++mt_gen;

	rcu_read_lock();
	pos = css_next_descendant_pre(NULL, root);
	while (pos) {
		u64 id = cgroup_id(pos->cgroup);

		if (!mt_css_online(pos))
			goto next;
		e = xa_load(&mt_cgroups, id);
		if (e) {
			e->gen = gen;
			goto next;
		}
		if (!css_tryget(pos))
			goto next;
		parent = pos->parent ? cgroup_id(pos->parent->cgroup) : 0;
		rcu_read_unlock();
		err = mt_store_add(id, parent, gen);
		if (err) {
			pr_warn_ratelimited("cannot track cgroup %llu: %d\n",
					    id, err);
			/* the next reader tries again */
			atomic_set(&mt_sync_pending, 1);
		}
		rcu_read_lock();
		next = css_next_descendant_pre(pos, root);
		css_put(pos);
		pos = next;
		continue;
next:
		pos = css_next_descendant_pre(pos, root);
	}
	rcu_read_unlock();

	/* gone: in descending id order, so children come before parents */
	xa_for_each(&mt_cgroups, index, e)
		if (e->gen != gen)
			list_add(&e->link, &retiring);
	list_for_each_entry_safe(e, tmp, &retiring, link)
		mt_store_retire(e);
	mt_store_expire();
}

/**
 * mt_store_sync() - bring the store in line with the cgroup hierarchy
 *
 * Context: process context, may sleep.
 */
void mt_store_sync(void)
{
	mutex_lock(&mt_store_lock);
	mt_store_sync_locked();
	mutex_unlock(&mt_store_lock);
}

/**
 * mt_store_kick() - schedule mt_store_sync() soon
 *
 * Context: any but NMI; does not sleep.
 */
void mt_store_kick(void)
{
	/* the cgroup made or removed before the flag */
	smp_mb__before_atomic();
	atomic_inc(&mt_sync_pending);
	schedule_work(&mt_sync_work);
}

/**
 * mt_store_refresh() - bring the store in line for a reader
 *
 * Syncs if a cgroup was made or removed since the last sync (or the
 * cgroup hooks that say so are not attached); else only frees the
 * tombstones that expired.  A cgroup made or removed before the call is
 * then in the store as it is: the flag is read under mt_store_lock, so a
 * sync that cleared it (under the lock) has finished its walk.
 *
 * Context: process context, may sleep.
 */
void mt_store_refresh(void)
{
	mutex_lock(&mt_store_lock);
	if (atomic_read(&mt_sync_pending) || !mt_hook_attached("cgroup-mkdir") ||
	    !mt_hook_attached("cgroup-rmdir"))
		mt_store_sync_locked();
	else
		mt_store_expire();
	mutex_unlock(&mt_store_lock);
}

/**
 * mt_probe_cgroup_mkdir() - a cgroup was created: track it soon
 * @data: unused
 * @cgrp: the new cgroup
 * @path: its path
 *
 * Context: cgroup_mkdir(), process context with cgroup_mutex held, inside
 * TRACE_CGROUP_PATH (trace_cgroup_path_lock held, interrupts off): must not
 * sleep or allocate, so only queue the sync work.
 */
static void mt_probe_cgroup_mkdir(void *data, struct cgroup *cgrp,
				  const char *path)
{
	mt_store_kick();
}

MT_PROBE_CHECK(cgroup_mkdir, mt_probe_cgroup_mkdir);

/**
 * mt_probe_cgroup_rmdir() - a cgroup was removed: retire its entry soon
 * @data: unused
 * @cgrp: the cgroup
 * @path: its path
 *
 * Context: as mt_probe_cgroup_mkdir().
 */
static void mt_probe_cgroup_rmdir(void *data, struct cgroup *cgrp,
				  const char *path)
{
	mt_store_kick();
}

MT_PROBE_CHECK(cgroup_rmdir, mt_probe_cgroup_rmdir);

static struct mt_hook mt_store_hook_rows[] = {
	MT_HOOK("cgroup-mkdir", "cgroup_mkdir", mt_probe_cgroup_mkdir),
	MT_HOOK("cgroup-rmdir", "cgroup_rmdir", mt_probe_cgroup_rmdir),
};

MT_HOOK_SET(mt_store_hooks, mt_store_hook_rows);

/* The live or removed cgroup @id.  Under rcu_read_lock(). */
static struct mt_cgroup *mt_store_entry(u64 id)
{
	struct mt_cgroup *e = xa_load(&mt_cgroups, id);

	return e ? e : xa_load(&mt_tombs, id);
}

/*
 * Whether cgroup @e is @below or a descendant of it, by the parent ids of
 * the cgroups the store keeps, live or removed.  Ids are never used
 * twice, so the chain has no loop; a parent the store no longer keeps
 * ends it.  Under rcu_read_lock().
 */
static bool mt_store_is_below(const struct mt_cgroup *e, u64 below)
{
	while (e && e->id != below)
		e = e->parent_id ? mt_store_entry(e->parent_id) : NULL;
	return e;
}

/*
 * The first tombstone with id >= *@tindex; *@tindex is its id.  One that
 * expired is still listed until the sync frees it (mt_store_drop()), so
 * that a dump since a generation never skips a removal it was not told
 * of.  Under rcu_read_lock().
 */
static struct mt_cgroup *mt_tomb_find(unsigned long *tindex)
{
	return xa_find(&mt_tombs, tindex, ULONG_MAX, XA_PRESENT);
}

/*
 * A walk in id order over the live cgroups and the tombstones: the two
 * xarrays merged, the live ones by an xa_state, which steps from one
 * entry to the next without a lookup from the top.  Under
 * rcu_read_lock(), let go only between mt_walk_step() and
 * mt_walk_resume().
 */
struct mt_walk {
	struct xa_state *xas;		/* over mt_cgroups */
	struct mt_cgroup *e;		/* at xas->xa_index; NULL: no more */
	unsigned long tindex;		/* the id of @t */
	struct mt_cgroup *t;		/* the next tombstone; NULL: no more */
};

static struct mt_cgroup *mt_walk_live(struct mt_walk *w)
{
	struct mt_cgroup *e;

	do {
		e = xas_next_entry(w->xas, ULONG_MAX);
	} while (xas_retry(w->xas, e));
	return e;
}

/* Start @w at @index (@xas there) */
static void mt_walk_start(struct mt_walk *w, struct xa_state *xas,
			  unsigned long index)
{
	w->xas = xas;
	w->e = mt_walk_live(w);
	w->tindex = index;
	w->t = mt_tomb_find(&w->tindex);
}

/* The walk's cgroup: the lower id of the two, the live one for the same */
static struct mt_cgroup *mt_walk_cur(const struct mt_walk *w)
{
	if (w->t && (!w->e || w->tindex < w->xas->xa_index))
		return w->t;
	return w->e;
}

/* On past cgroup @cur (from mt_walk_cur()), in both xarrays */
static void mt_walk_step(struct mt_walk *w, const struct mt_cgroup *cur)
{
	if (w->e && w->xas->xa_index == cur->id)
		w->e = mt_walk_live(w);
	if (w->t && w->tindex == cur->id) {
		w->t = NULL;
		if (w->tindex != ULONG_MAX) {
			w->tindex++;
			w->t = mt_tomb_find(&w->tindex);
		}
	}
}

/* Go on after rcu_read_lock() was let go: look the next ones up again */
static void mt_walk_resume(struct mt_walk *w)
{
	if (w->e) {
		xas_set(w->xas, w->xas->xa_index);
		w->e = mt_walk_live(w);
	}
	if (w->t)
		w->t = mt_tomb_find(&w->tindex);
}

/* Fill @snap with the numbers of @e.  Under rcu_read_lock(). */
static void mt_store_fill(struct mt_cgroup *e, struct mt_snapshot *snap)
{
	struct mt_damon_cg *cg;
	struct mt_gone *g;
	int i, k;

	snap->id = e->id;
	snap->parent_id = e->parent_id;
	snap->removed_ns = READ_ONCE(e->removed_ns);
	mt_sum(e, &snap->c);
	/* a removed cgroup holds no KSM pages */
	for (i = 0; i < MT_NR_KSM; i++)
		snap->ksm[i] = snap->removed_ns ? 0 : READ_ONCE(e->ksm[i]);
	g = rcu_dereference(e->gone);
	snap->has_gone = g;
	for (i = 0; g && i < MT_NR_COUNTERS; i++)
		snap->gone.v[i] = READ_ONCE(g->c.v[i]);
	for (k = 0; g && k < MT_NR_KINDS; k++)
		for (i = 0; i < MEMTALLY_HIST_BUCKETS; i++)
			snap->gone.hist[k][i] = READ_ONCE(g->c.hist[k][i]);
	cg = rcu_dereference(e->damon);
	snap->has_damon = cg;
	if (cg)
		mt_damon_cg_read(cg, &snap->damon);
}

/**
 * mt_store_find() - counters of the first live cgroup with id >= *@id
 * @id: in: lowest id wanted; out: id of the cgroup found
 * @snap: filled with the cgroup's counters summed over all CPUs
 *
 * Context: process context (it reads DAMON numbers under a seqcount whose
 * writer runs with interrupts on).
 * Return: true if a cgroup was found.
 */
bool mt_store_find(u64 *id, struct mt_snapshot *snap)
{
	unsigned long index = *id;
	struct mt_cgroup *e;

	rcu_read_lock();
	e = xa_find(&mt_cgroups, &index, ULONG_MAX, XA_PRESENT);
	if (e) {
		mt_store_fill(e, snap);
		*id = e->id;
	}
	rcu_read_unlock();
	return e;
}

/**
 * mt_store_get() - counters of cgroup @id, live or removed
 * @id: the cgroup
 * @snap: filled with the cgroup's counters summed over all CPUs
 *
 * Context: as mt_store_find().
 * Return: true if the store has the cgroup.
 */
bool mt_store_get(u64 id, struct mt_snapshot *snap)
{
	struct mt_cgroup *e;

	rcu_read_lock();
	e = mt_store_entry(id);
	if (e)
		mt_store_fill(e, snap);
	rcu_read_unlock();
	return e;
}

/* Whether a dump since @since can be told what changed.  Under mt_scan_lock. */
static bool mt_store_since_ok(u64 since, bool removed)
{
	return !since ||
	       (since > (removed ? mt_floor_all : mt_floor_live) &&
		since <= mt_scan_gen);
}

static int mt_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * The ids of the entries stamped since @d->since, in id order, into
 * @d->ids.  Under mt_scan_lock.
 */
static int mt_store_dump_since(struct mt_dump *d)
{
	struct mt_cgroup *e;
	u32 n = 0;

	list_for_each_entry_reverse(e, &mt_seen, seen_link) {
		if (e->seen_gen <= d->since)
			break;
		n++;
	}
	d->ids = kvmalloc_array(max(n, 1U), sizeof(*d->ids), GFP_KERNEL);
	if (!d->ids)
		return -ENOMEM;
	list_for_each_entry_reverse(e, &mt_seen, seen_link) {
		if (e->seen_gen <= d->since)
			break;
		d->ids[d->nr++] = e->id;
	}
	sort(d->ids, d->nr, sizeof(*d->ids), mt_cmp_u64, NULL);
	return 0;
}

/**
 * mt_store_dump_begin() - start a generation for a cgroup-get dump
 * @d: the dump, zeroed but for @below, @since and @removed; @d->gen is set
 *
 * Takes what changed since the last dump (mt_store_harvest()); a dump
 * since a generation then knows its rows.  Free with mt_store_dump_end().
 *
 * Context: process context, may sleep.
 * Return: 0, -ENOMEM, or -ESTALE if what changed since @d->since can no
 * longer be told (see mt_scan_gen).
 */
int mt_store_dump_begin(struct mt_dump *d)
{
	int err = 0;

	mutex_lock(&mt_scan_lock);
	if (!mt_store_since_ok(d->since, d->removed)) {
		err = -ESTALE;
		goto out;
	}
	d->gen = ++mt_scan_gen;
	mt_store_harvest();
	if (d->since)
		err = mt_store_dump_since(d);
out:
	mutex_unlock(&mt_scan_lock);
	return err;
}

/**
 * mt_store_dump_end() - free what mt_store_dump_begin() allocated
 * @d: the dump
 */
void mt_store_dump_end(struct mt_dump *d)
{
	kvfree(d->ids);
	d->ids = NULL;
}

/*
 * The next cgroup of a dump since a generation: of @d->ids, the first
 * with an id >= @id (in @d->below's subtree).  Under mt_scan_lock and
 * rcu_read_lock().
 */
static struct mt_cgroup *mt_store_next_since(u64 id, struct mt_dump *d)
{
	struct mt_cgroup *e;

	for (; d->pos < d->nr; d->pos++) {
		if (d->ids[d->pos] < id)
			continue;
		/* a tombstone freed since would have made the dump stale */
		e = mt_store_entry(d->ids[d->pos]);
		if (e && (!d->below || mt_store_is_below(e, d->below)))
			return e;
	}
	return NULL;
}

/*
 * The next cgroup of a dump of every one: the first with an id >= @id (in
 * @d->below's subtree), removed ones only with @d->removed.  Under
 * mt_scan_lock and rcu_read_lock().
 */
static struct mt_cgroup *mt_store_next_all(u64 id, const struct mt_dump *d)
{
	XA_STATE(xas, &mt_cgroups, id);
	unsigned int passed = 0;
	struct mt_cgroup *e;
	struct mt_walk w;

	mt_walk_start(&w, &xas, id);
	while ((e = mt_walk_cur(&w))) {
		if ((!d->below || mt_store_is_below(e, d->below)) &&
		    (!READ_ONCE(e->removed_ns) || d->removed))
			return e;
		mt_walk_step(&w, e);
		/* between the cgroups it passes, let the CPU go */
		if (++passed % 64 == 0) {
			rcu_read_unlock();
			cond_resched();
			rcu_read_lock();
			mt_walk_resume(&w);
		}
	}
	return NULL;
}

/**
 * mt_store_dump_next() - the next row of a cgroup-get dump
 * @id: in: lowest id wanted; out: id of the cgroup found
 * @snap: filled with the cgroup's counters summed over all CPUs
 * @d: what the dump lists, from mt_store_dump_begin()
 *
 * With @d->since, only a cgroup stamped since is a row, removed ones too
 * (so that the reader drops them); else every cgroup, removed ones only
 * with @d->removed.
 *
 * Context: process context, may sleep.
 * Return: 1 if a cgroup was found, 0 if none is left, -ESTALE if what
 * changed since @d->since can no longer be told (a tombstone it would
 * have listed was freed meanwhile).
 */
int mt_store_dump_next(u64 *id, struct mt_snapshot *snap, struct mt_dump *d)
{
	struct mt_cgroup *e;
	int ret = -ESTALE;

	mutex_lock(&mt_scan_lock);
	if (!mt_store_since_ok(d->since, d->removed))
		goto out;
	rcu_read_lock();
	e = d->since ? mt_store_next_since(*id, d) : mt_store_next_all(*id, d);
	if (e) {
		mt_store_fill(e, snap);
		*id = e->id;
	}
	rcu_read_unlock();
	ret = e ? 1 : 0;
out:
	mutex_unlock(&mt_scan_lock);
	return ret;
}

/**
 * mt_store_find_node() - counters of the first node with memory >= *@nid
 * @nid: in: lowest node wanted; out: node found
 * @snap: filled with the node row's counters summed over all CPUs
 *
 * Return: true if a node was found.
 */
bool mt_store_find_node(int *nid, struct mt_snapshot *snap)
{
	int n, cpu, i;

	for (n = max(*nid, 0); n < nr_node_ids; n++) {
		if (!node_state(n, N_MEMORY) || !mt_nodes[n])
			continue;
		memset(snap, 0, sizeof(*snap));
		snap->id = n;
		for_each_possible_cpu(cpu) {
			const struct mt_node_counters *c;

			c = per_cpu_ptr(mt_nodes[n], cpu);
			for (i = 0; i < MT_NR_COUNTERS; i++)
				snap->c.v[i] += READ_ONCE(c->v[i]);
		}
		*nid = n;
		return true;
	}
	return false;
}

/**
 * mt_store_ksm_add() - add one mm's KSM gauges to a cgroup's next sums
 * @id: the cgroup
 * @v: the gauges, indexed by enum mt_ksm_gauge
 *
 * Context: the KSM walk (one at a time), under RCU.
 */
void mt_store_ksm_add(u64 id, const u64 *v)
{
	struct mt_cgroup *e = xa_load(&mt_cgroups, id);
	int i;

	if (!e)
		return;
	for (i = 0; i < MT_NR_KSM; i++)
		e->ksm_next[i] += v[i];
	mt_ksm_added = true;
}

/**
 * mt_store_ksm_publish() - the KSM walk is done: make its sums visible
 *
 * Context: the KSM walk, process context.
 */
void mt_store_ksm_publish(void)
{
	struct mt_cgroup *e;
	unsigned long index;
	unsigned int n = 0;
	int i;

	/* no KSM pages then or now (the usual case): nothing to change */
	if (!mt_ksm_added && !mt_ksm_any)
		return;
	mt_ksm_any = mt_ksm_added;
	mt_ksm_added = false;
	rcu_read_lock();
	xa_for_each(&mt_cgroups, index, e) {
		if (memcmp(e->ksm, e->ksm_next, sizeof(e->ksm))) {
			for (i = 0; i < MT_NR_KSM; i++)
				WRITE_ONCE(e->ksm[i], e->ksm_next[i]);
			mt_changed(e);
		}
		memset(e->ksm_next, 0, sizeof(e->ksm_next));
		/* xa_for_each() goes on from the index: safe to let go */
		if (++n % 256 == 0) {
			rcu_read_unlock();
			cond_resched();
			rcu_read_lock();
		}
	}
	rcu_read_unlock();
}

/**
 * mt_store_damon() - the DAMON numbers of a cgroup
 * @id: the cgroup
 *
 * Context: under RCU; the bound kdamond's probe.
 * Return: the numbers, NULL if the cgroup has no entry or no numbers yet.
 */
struct mt_damon_cg *mt_store_damon(u64 id)
{
	struct mt_cgroup *e = xa_load(&mt_cgroups, id);

	return e ? rcu_dereference(e->damon) : NULL;
}

/**
 * mt_store_damon_for_each() - call @fn on every cgroup's DAMON numbers
 * @fn: called with the numbers and @arg
 * @arg: for @fn
 *
 * Context: the bound kdamond's probe, under RCU with preemption off.
 */
void mt_store_damon_for_each(void (*fn)(struct mt_damon_cg *cg, void *arg),
			     void *arg)
{
	struct mt_damon_cg *cg;
	struct mt_cgroup *e;
	unsigned long index;

	xa_for_each(&mt_cgroups, index, e) {
		cg = rcu_dereference(e->damon);
		if (cg)
			fn(cg, arg);
	}
}

/* cgroups that may appear between mt_store_damon_alloc() and the install */
#define MT_DAMON_SLACK	16

/**
 * mt_store_damon_alloc() - fresh DAMON numbers for every tracked cgroup
 * @ring: working set samples each keeps
 *
 * Allocated before a binding changes anything, without the store's lock,
 * so that a bind that runs out of memory leaves the old binding as it was.
 *
 * Context: process context, may sleep.
 * Return: the set for mt_store_damon_install(), or NULL.
 */
struct mt_damon_cgs *mt_store_damon_alloc(u32 ring)
{
	u32 nr = READ_ONCE(mt_nr) + MT_DAMON_SLACK;
	struct mt_damon_cgs *set;

	set = kvzalloc(struct_size(set, cg, nr), GFP_KERNEL);
	if (!set)
		return NULL;
	set->ring = ring;
	for (set->nr = 0; set->nr < nr; set->nr++) {
		set->cg[set->nr] = mt_damon_cg_alloc(ring);
		if (!set->cg[set->nr]) {
			mt_store_damon_free(set);
			return NULL;
		}
	}
	return set;
}

/**
 * mt_store_damon_free() - free a set that was not installed
 * @set: from mt_store_damon_alloc(), or NULL
 */
void mt_store_damon_free(struct mt_damon_cgs *set)
{
	u32 i;

	if (!set)
		return;
	for (i = 0; i < set->nr; i++)
		mt_damon_cg_free(set->cg[i]);
	kvfree(set);
}

/**
 * mt_store_damon_install() - give every cgroup fresh DAMON numbers
 * @set: from mt_store_damon_alloc(); consumed
 *
 * Also every cgroup tracked from now on gets them.  The old numbers are
 * freed after readers.  A cgroup created since the allocation beyond the
 * slack gets its numbers allocated here, or none if that fails (its rows
 * then carry no DAMON attributes).
 *
 * Context: process context, may sleep; no probe may write DAMON numbers
 * (nothing is bound).
 */
void mt_store_damon_install(struct mt_damon_cgs *set)
{
	struct mt_damon_cg *cg, *old;
	struct mt_cgroup *e;
	unsigned long index;
	u32 i = 0;

	mutex_lock(&mt_store_lock);
	WRITE_ONCE(mt_damon_ring, set->ring);
	mt_damon_on = true;
	xa_for_each(&mt_cgroups, index, e) {
		if (i < set->nr) {
			cg = set->cg[i++];
			mt_damon_cg_start(cg);
		} else {
			cg = mt_damon_cg_alloc(set->ring);
		}
		old = rcu_replace_pointer(e->damon, cg,
					  lockdep_is_held(&mt_store_lock));
		mt_damon_cg_free_rcu(old);
		mt_changed(e);
	}
	mutex_unlock(&mt_store_lock);
	for (; i < set->nr; i++)
		mt_damon_cg_free(set->cg[i]);
	kvfree(set);
}

/**
 * mt_store_damon_ring() - working set samples per cgroup of the binding
 *
 * Return: the ring length of the last binding, 0 if none was ever made.
 */
u32 mt_store_damon_ring(void)
{
	return READ_ONCE(mt_damon_ring);
}

/**
 * mt_store_damon_samples() - working set samples of the first cgroup with
 *	id >= *@id that has DAMON numbers
 * @id: in: lowest id wanted; out: id of the cgroup found
 * @buf: room for @max samples
 * @max: the newest @max samples at most
 *
 * Context: process context, as mt_store_find().
 * Return: samples copied, or -ENOENT when no such cgroup was found.
 */
int mt_store_damon_samples(u64 *id, struct mt_wss_sample *buf, u32 max)
{
	unsigned long index = *id;
	struct mt_damon_cg *cg;
	struct mt_cgroup *e;
	int n = -ENOENT;

	rcu_read_lock();
	xa_for_each_start(&mt_cgroups, index, e, index) {
		cg = rcu_dereference(e->damon);
		if (!cg)
			continue;
		*id = e->id;
		n = mt_damon_cg_samples(cg, buf, max);
		break;
	}
	rcu_read_unlock();
	return n;
}

/**
 * mt_store_nr_cgroups() - number of tracked cgroups
 *
 * Return: the number of entries in the store.
 */
unsigned int mt_store_nr_cgroups(void)
{
	return READ_ONCE(mt_nr);
}

/**
 * mt_store_changes() - a number that changes whenever the set of tracked
 *	cgroups does
 *
 * Return: how many entries were ever added or retired (wrapping).
 */
unsigned int mt_store_changes(void)
{
	return READ_ONCE(mt_changes);
}

/**
 * mt_store_unattributed() - events that found no entry for their cgroup
 *
 * Return: the sum over all CPUs.
 */
u64 mt_store_unattributed(void)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(&mt_unattributed, cpu));
	return sum;
}

static void mt_store_free_nodes(void)
{
	int nid;

	for (nid = 0; mt_nodes && nid < nr_node_ids; nid++)
		free_percpu(mt_nodes[nid]);
	kfree(mt_nodes);
	mt_nodes = NULL;
}

static void mt_hist_free_spares(void)
{
	struct mt_hist *h;
	int cpu;

	for_each_possible_cpu(cpu) {
		h = xchg(per_cpu_ptr(&mt_hist_spare, cpu), NULL);
		if (h)
			kmem_cache_free(mt_hist_cache, h);
	}
	mt_hist_drain();
}

/**
 * mt_store_init() - allocate the node rows, track every cgroup that exists
 *
 * Return: 0 or -ENOMEM (a cgroup that cannot be tracked only makes its
 * events unattributed).
 */
int mt_store_init(void)
{
	int nid;

	mt_cgroup_cache = KMEM_CACHE(mt_cgroup, 0);
	mt_hist_cache = KMEM_CACHE(mt_hist, 0);
	mt_nodes = kcalloc(nr_node_ids, sizeof(*mt_nodes), GFP_KERNEL);
	if (!mt_cgroup_cache || !mt_hist_cache || !mt_nodes)
		goto err;
	for_each_node(nid) {
		mt_nodes[nid] = alloc_percpu(struct mt_node_counters);
		if (!mt_nodes[nid])
			goto err;
	}
	mt_hist_refill();
	mt_store_sync();
	/* the first reader syncs: hooks attached after this sync say nothing */
	atomic_set(&mt_sync_pending, 1);
	mt_floor_live = ktime_get_real_ns();
	mt_floor_all = mt_floor_live;
	mt_scan_gen = mt_floor_live;
	return 0;
err:
	mt_hist_free_spares();
	mt_store_free_nodes();
	kmem_cache_destroy(mt_hist_cache);
	kmem_cache_destroy(mt_cgroup_cache);
	return -ENOMEM;
}

/**
 * mt_store_exit() - free the store
 *
 * Context: process context, after every probe was unregistered and
 * tracepoint_synchronize_unregister() returned, and after the netlink family
 * and debugfs files are gone: nothing can reach an entry any more.
 */
void mt_store_exit(void)
{
	struct mt_cgroup *e;
	unsigned long index;
	unsigned int k;

	cancel_work_sync(&mt_sync_work);
	cancel_work_sync(&mt_hist_work);
	mt_hist_free_spares();
	mutex_lock(&mt_store_lock);
	xa_for_each(&mt_cgroups, index, e) {
		xa_erase(&mt_cgroups, index);
		mt_cgroup_free(e);
	}
	mt_nr = 0;
	xa_for_each(&mt_tombs, index, e) {
		xa_erase(&mt_tombs, index);
		mt_cgroup_free(e);
	}
	INIT_LIST_HEAD(&mt_tomb_fifo);
	mt_nr_tombs = 0;
	mutex_unlock(&mt_store_lock);
	xa_destroy(&mt_cgroups);
	xa_destroy(&mt_tombs);
	xa_destroy(&mt_slots);
	for (k = 0; k < MT_DIRTY_CHUNKS; k++)
		free_percpu(mt_dirty[k]);
	mt_store_free_nodes();
	/* wait for the RCU callbacks of entries retired earlier */
	rcu_barrier();
	kmem_cache_destroy(mt_hist_cache);
	kmem_cache_destroy(mt_cgroup_cache);
}
