// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: DAMON per cgroup.
 *
 * DAMON exports nothing to modules, so the tool drives it through sysfs and
 * binds the module to one kdamond thread (damon-bind).  The probe on
 * damon:damon_aggregated then sees every region of that kdamond's context
 * once per aggregation interval and splits the region's bytes among
 * cgroups:
 *
 *  - paddr: at MEMTALLY_DAMON_SAMPLES evenly spaced pages, each standing
 *    for an equal share of the region (a region of fewer pages is read
 *    page by page, exactly).  A page goes to the memory cgroup of its
 *    folio; free pages and pages of no memcg are unattributed, never the
 *    root cgroup's.  No page reference is taken: a folio freed or reused
 *    while it is sampled can lend one sample to the wrong cgroup.
 *  - vaddr: the whole region goes to the cgroup of its target process.
 *
 * Per cgroup the aggregation in progress is summed (working set, hot /
 * warm / cold bytes, idle-age histogram) and published when the last
 * region of the last target was seen, together with a sample in the
 * cgroup's ring of working set sizes (store.c keeps one struct mt_damon_cg
 * per cgroup while anything was ever bound).  Every region also goes into
 * one system-wide ring of region snapshots for heatmaps.
 *
 * Only the cgroups that got bytes in an aggregation are written when it
 * ends (the probe keeps their ids as it goes), so the probe's cost is
 * O(regions + those cgroups), not O(all cgroups): the published numbers
 * carry the number of their aggregation, and a reader shows a cgroup
 * whose numbers are not from the last one as zeros, its ring filled with
 * zero samples at the times of the aggregations it was not in.
 *
 * The binding is what the tool read from sysfs when it bound; a DAMON sysfs
 * commit may change the context under the same kdamond.  The probe checks
 * every region against the binding (target index, accesses per aggregation,
 * the spacing of aggregations) and on a mismatch marks the binding stale
 * and stops; an aggregation that does not come whole or comes too soon is
 * dropped.  It never publishes an aggregation it cannot attribute, so the
 * last good numbers stay.  Attribution starts at the first aggregation
 * that begins after the binding, found from the order of the regions
 * (targets in order, each one's regions by address), not from timing.
 *
 * Writers: only the bound kdamond thread, one at a time, so the
 * aggregation in progress needs no lock; publication uses one seqcount for
 * all cgroups and a sequence number per region slot.  Readers: netlink and
 * debugfs, in process context.  Binding changes are serialised by
 * mt_damon_lock and wait for running probes with synchronize_rcu().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cgroup.h>
#include <linux/build_bug.h>
#include <linux/damon.h>
#include <linux/math64.h>
#include <linux/memcontrol.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <trace/events/damon.h>

#include "memtally.h"
#include "compat.h"

/**
 * struct mt_damon_sample - the working set of a cgroup in one aggregation
 * @n: the aggregation's number (mt_damon_pub_n when it was published)
 * @bytes: the working set
 */
struct mt_damon_sample {
	u64 n;
	u64 bytes;
};

/**
 * struct mt_damon_cg - DAMON numbers of one cgroup
 * @cur_gen: @cur belongs to the binding's aggregation of this
 *	mt_damon.cur_gen; anything else means @cur is empty
 * @slot: its entry in mt_damon.touched during that aggregation, or
 *	U32_MAX
 * @cur: the aggregation in progress (the kdamond only)
 * @pub_n: the number of the aggregation @pub is from
 * @pub: the last aggregation the cgroup had bytes in
 * @born_n: mt_damon_pub_n when the numbers were made: later aggregations
 *	without a sample of the cgroup are zeros
 * @ring_len: samples @ring holds
 * @ring_n: samples ever pushed; the next goes to @ring[@ring_n % @ring_len]
 * @rcu: to free it after readers
 * @ring: working set samples of the aggregations the cgroup had bytes in
 *
 * @pub_n, @pub and the ring change under mt_damon_pub_seq.
 */
struct mt_damon_cg {
	u64 cur_gen;
	u32 slot;
	struct mt_damon_stats cur;
	u64 pub_n;
	struct mt_damon_stats pub;
	u64 born_n;
	u32 ring_len;
	u64 ring_n;
	struct rcu_head rcu;
	struct mt_damon_sample ring[];
};

/**
 * struct mt_damon_touched - a cgroup with bytes in the aggregation
 * @id: its id
 * @bytes: its bytes so far: unattributed if it is gone when published
 */
struct mt_damon_touched {
	u64 id;
	u64 bytes;
};

/**
 * struct mt_damon - a binding to one kdamond
 * @kdamond: pid of the bound kdamond; 0 once unbound (data stays readable)
 * @kpid: its struct pid, held: the probe compares it, so a later kdamond
 *	that gets the same pid number never feeds this binding
 * @ops: enum memtally_damon_ops
 * @sample_us: the context's sampling interval
 * @aggr_us: the context's aggregation interval
 * @nr_targets: vaddr targets in @targets
 * @targets: vaddr: the targets' pids, in the context's order
 * @wss_ring: working set samples per cgroup
 * @gen: binding generation, for dumps that span a rebinding
 * @regions: ring of region snapshots, @region_ring slots
 * @region_ring: slots in @regions
 * @head: snapshots ever written; the next goes to @regions[@head % ...]
 * @cur_ti: aggregation in progress: target of the last region
 * @cur_seen: regions of @cur_ti seen
 * @cur_total: bytes seen
 * @cur_unattr: bytes that went to no cgroup
 * @pending: an aggregation is in progress
 * @aggregations: complete aggregations
 * @updated_ns: CLOCK_BOOTTIME of the last one
 * @total_bytes: bytes of the last one
 * @unattr_bytes: bytes of the last one that went to no cgroup
 * @probe_ns: time spent in the probe
 * @cur_gen: number of the aggregation in progress, counting dropped ones
 * @touched: the cgroups with bytes in the aggregation in progress
 * @nr_touched: entries in @touched
 * @touched_max: room in @touched
 * @touched_all: @touched overflowed: publish by walking every cgroup
 * @hot: the hot rate, read once per region
 * @cold: the cold rate, of the same pair
 * @stale: enum memtally_damon_stale once the context no longer matches
 * @synced: at the start of an aggregation or in one: attributing
 * @last_commit_ns: when the last aggregation ended
 * @drops: aggregations dropped in a row (see MT_DAMON_DROPS)
 * @seen: @prev_ti and @prev_start are set
 * @prev_ti: target of the last region seen
 * @prev_start: its start address
 */
struct mt_damon {
	pid_t kdamond;
	struct pid *kpid;
	u32 ops, sample_us, aggr_us;
	u32 nr_targets;
	struct pid **targets;
	u32 wss_ring;
	u64 gen;
	struct mt_region_snap *regions;
	u32 region_ring;
	u64 head;
	u32 cur_ti, cur_seen;
	u64 cur_total, cur_unattr;
	bool pending;
	u64 aggregations, updated_ns, total_bytes, unattr_bytes, probe_ns;
	u64 cur_gen;
	struct mt_damon_touched *touched;
	u32 nr_touched, touched_max;
	bool touched_all;
	u32 hot, cold;
	u32 stale;
	bool synced;
	u64 last_commit_ns;
	u32 drops;
	bool seen;
	u32 prev_ti;
	unsigned long prev_start;
};

static struct mt_damon __rcu *mt_damon;
static DEFINE_MUTEX(mt_damon_lock);	/* serialises binding changes */
static u64 mt_damon_gen;		/* under mt_damon_lock */
/*
 * The hot and cold rates (accesses per second) in one word, hot << 32 |
 * cold: a reader never sees half of a change, and a change is checked
 * against the very pair it replaces (cmpxchg), so cold <= hot always.
 */
static atomic64_t mt_damon_rate_pair = ATOMIC64_INIT(10LL << 32 | 1);
/*
 * Publication: aggregations published since load (over all bindings), the
 * time of each of the last MEMTALLY_DAMON_WSS_RING_MAX, and every cgroup's
 * published numbers, all written by the bound kdamond's probe (preemption
 * off) under one seqcount, read under it by netlink and debugfs.
 */
static seqcount_t mt_damon_pub_seq = SEQCNT_ZERO(mt_damon_pub_seq);
static u64 mt_damon_pub_n;
static u64 mt_damon_pub_ts[MEMTALLY_DAMON_WSS_RING_MAX];
/* its index is n & (MAX - 1) */
static_assert(!(MEMTALLY_DAMON_WSS_RING_MAX & (MEMTALLY_DAMON_WSS_RING_MAX - 1)));

/* Slot of the @n-th entry of a ring of @len slots */
static u32 mt_ring_idx(u64 n, u32 len)
{
	u32 rem;

	div_u64_rem(n, len, &rem);
	return rem;
}

/**
 * mt_damon_cg_alloc() - allocate the DAMON numbers of one cgroup
 * @ring: working set samples to keep
 *
 * Context: process context, may sleep.
 * Return: the numbers, empty from the next aggregation published, or NULL.
 */
struct mt_damon_cg *mt_damon_cg_alloc(u32 ring)
{
	struct mt_damon_cg *cg;

	cg = kvzalloc(struct_size(cg, ring, ring), GFP_KERNEL);
	if (!cg)
		return NULL;
	cg->ring_len = ring;
	mt_damon_cg_start(cg);
	return cg;
}

/**
 * mt_damon_cg_start() - the numbers of a cgroup begin with the next
 *	aggregation published
 * @cg: fresh numbers
 *
 * Context: @cg is not published yet (no probe reaches it).
 */
void mt_damon_cg_start(struct mt_damon_cg *cg)
{
	cg->born_n = READ_ONCE(mt_damon_pub_n);
}

/**
 * mt_damon_cg_free() - free the DAMON numbers of a cgroup now
 * @cg: the numbers, or NULL
 *
 * Context: nothing can reach @cg any more.
 */
void mt_damon_cg_free(struct mt_damon_cg *cg)
{
	kvfree(cg);
}

/**
 * mt_damon_cg_free_rcu() - free the DAMON numbers of a cgroup after readers
 * @cg: the numbers, or NULL
 */
void mt_damon_cg_free_rcu(struct mt_damon_cg *cg)
{
	if (cg)
		kvfree_rcu(cg, rcu);
}

/**
 * mt_damon_cg_read() - the last complete aggregation of a cgroup
 * @cg: the cgroup's numbers
 * @st: filled with them
 *
 * Context: under RCU (the caller found @cg there).
 */
void mt_damon_cg_read(struct mt_damon_cg *cg, struct mt_damon_stats *st)
{
	unsigned int seq;

	do {
		seq = read_seqcount_begin(&mt_damon_pub_seq);
		if (cg->pub_n == mt_damon_pub_n)
			*st = cg->pub;
		else	/* no bytes in the last aggregation */
			memset(st, 0, sizeof(*st));
	} while (read_seqcount_retry(&mt_damon_pub_seq, seq));
}

/**
 * mt_damon_pub_count() - how many aggregations were published since load
 *
 * Context: any.
 * Return: the count; it changes when any cgroup's numbers may have.
 */
u64 mt_damon_pub_count(void)
{
	return READ_ONCE(mt_damon_pub_n);
}

/**
 * mt_damon_cg_changed() - whether mt_damon_cg_read() may give other numbers
 *	than when a reader last asked
 * @cg: the cgroup's numbers
 * @seen: mt_damon_pub_n when the reader last asked (0: never); updated
 *
 * The numbers change when an aggregation is published in which the cgroup
 * has bytes, or had bytes in the one the reader saw (they drop to 0).
 * May say changed when they are not: never the reverse.
 *
 * Context: process context under RCU (the caller found @cg there), as
 * mt_damon_cg_read().
 * Return: true if they may have changed.
 */
bool mt_damon_cg_changed(struct mt_damon_cg *cg, u64 *seen)
{
	unsigned int seq;
	bool changed;
	u64 now, pub;

	do {
		seq = read_seqcount_begin(&mt_damon_pub_seq);
		now = mt_damon_pub_n;
		pub = cg->pub_n;
	} while (read_seqcount_retry(&mt_damon_pub_seq, seq));
	if (now == *seen)
		return false;
	changed = pub >= *seen;
	*seen = now;
	return changed;
}

/**
 * mt_damon_cg_samples() - the working set samples of a cgroup, oldest first
 * @cg: the cgroup's numbers
 * @buf: room for @max samples
 * @max: how many the caller wants at most: the newest ones
 *
 * Context: under RCU.
 * Return: samples copied.
 */
u32 mt_damon_cg_samples(struct mt_damon_cg *cg, struct mt_wss_sample *buf,
			u32 max)
{
	struct mt_damon_sample smp;
	u64 n, first, j, end;
	unsigned int seq;
	u32 i, k, slot;

	do {
		seq = read_seqcount_begin(&mt_damon_pub_seq);
		n = READ_ONCE(mt_damon_pub_n);
		k = min_t(u64, min_t(u64, n - cg->born_n, cg->ring_len), max);
		first = n - k + 1;
		/* the cgroup's own samples, the oldest kept first, by number */
		end = READ_ONCE(cg->ring_n);
		j = end - min_t(u64, end, cg->ring_len);
		slot = k ? mt_ring_idx(j, cg->ring_len) : 0;
		smp.n = U64_MAX;
		for (i = 0; i < k; i++) {
			/* skip samples older than aggregation first + i */
			while (j < end) {
				/* torn by a publication: retried below */
				smp = data_race(cg->ring[slot]);
				if (smp.n >= first + i)
					break;
				smp.n = U64_MAX;
				j++;
				if (++slot == cg->ring_len)
					slot = 0;
			}
			/* likewise */
			buf[i].time_ns = data_race(mt_damon_pub_ts[(first + i) &
					(MEMTALLY_DAMON_WSS_RING_MAX - 1)]);
			buf[i].bytes = smp.n == first + i ? smp.bytes : 0;
		}
	} while (read_seqcount_retry(&mt_damon_pub_seq, seq));
	return k;
}

static unsigned int mt_age_bucket(u64 ms)
{
	if (ms < 2)
		return 0;
	return min_t(unsigned int, ilog2(ms), MEMTALLY_DAMON_AGE_BUCKETS - 1);
}

/*
 * Add @bytes of a region to the aggregation in progress of cgroup @id, its
 * numbers @cg; the first bytes of an aggregation start it afresh and note
 * the cgroup for the publication.
 */
static void mt_damon_cg_add(struct mt_damon_cg *cg, struct mt_damon *d,
			    u64 id, u64 bytes, unsigned int nr_accesses,
			    u64 age_ms)
{
	/* accesses per second = nr_accesses * 10^6 / aggr_us */
	u64 rate_x_aggr = (u64)nr_accesses * USEC_PER_SEC;

	if (cg->cur_gen != d->cur_gen) {
		memset(&cg->cur, 0, sizeof(cg->cur));
		cg->cur_gen = d->cur_gen;
		cg->slot = U32_MAX;
		if (d->nr_touched < d->touched_max) {
			cg->slot = d->nr_touched++;
			d->touched[cg->slot].id = id;
			d->touched[cg->slot].bytes = 0;
		} else {
			d->touched_all = true;
		}
	}
	if (cg->slot != U32_MAX)
		d->touched[cg->slot].bytes += bytes;

	if (nr_accesses)
		cg->cur.wss += bytes;
	if (rate_x_aggr > (u64)d->hot * d->aggr_us)
		cg->cur.hot += bytes;
	else if (rate_x_aggr < (u64)d->cold * d->aggr_us)
		cg->cur.cold += bytes;
	else
		cg->cur.warm += bytes;
	cg->cur.age[mt_age_bucket(age_ms)] += bytes;
}

/* The cgroup id of the page at @pfn, 0 for none.  Under RCU. */
static u64 mt_pfn_cgroup(unsigned long pfn)
{
	struct mem_cgroup *memcg;
	struct page *page;

	if (mem_cgroup_disabled())
		return 0;
	page = pfn_to_online_page(pfn);
	if (!page)
		return 0;
	memcg = mt_folio_memcg_check(page_folio(page));
	if (!memcg)
		return 0;
	return cgroup_id(memcg->css.cgroup);
}

/* The cgroup id of a vaddr target, 0 if it exited.  Under RCU. */
static u64 mt_target_cgroup(const struct mt_damon *d, unsigned int ti)
{
	struct task_struct *task;

	if (ti >= d->nr_targets)
		return 0;
	task = pid_task(d->targets[ti], PIDTYPE_PID);
	if (!task)
		return 0;
	return cgroup_id(task_dfl_cgroup(task));
}

/* Account @bytes of a region to cgroup @id (0: none). */
static void mt_damon_account(struct mt_damon *d, u64 id, u64 bytes,
			     unsigned int nr_accesses, u64 age_ms)
{
	struct mt_damon_cg *cg = id ? mt_store_damon(id) : NULL;

	d->cur_total += bytes;
	if (cg)
		mt_damon_cg_add(cg, d, id, bytes, nr_accesses, age_ms);
	else
		d->cur_unattr += bytes;
}

/*
 * paddr: split the region among the cgroups of its sampled pages.
 * Return: the cgroup with the most bytes, 0 if none.
 */
static u64 mt_damon_paddr(struct mt_damon *d, u64 start, u64 end,
			  unsigned int nr_accesses, u64 age_ms)
{
	u64 ids[MEMTALLY_DAMON_SAMPLES], bytes[MEMTALLY_DAMON_SAMPLES];
	u64 size = end - start, best = 0, best_bytes = 0;
	unsigned int n, i, j, k = 0;

	n = min_t(u64, MEMTALLY_DAMON_SAMPLES, max_t(u64, size >> PAGE_SHIFT, 1));
	for (i = 0; i < n; i++) {
		u64 lo = start + div_u64(size * i, n);
		u64 hi = start + div_u64(size * (i + 1), n);
		u64 id = mt_pfn_cgroup(PHYS_PFN(lo + (hi - lo) / 2));

		/* merge samples of the same cgroup */
		for (j = 0; j < k && ids[j] != id; j++)
			;
		if (j == k) {
			ids[k] = id;
			bytes[k++] = 0;
		}
		bytes[j] += hi - lo;
	}
	for (j = 0; j < k; j++) {
		mt_damon_account(d, ids[j], bytes[j], nr_accesses, age_ms);
		if (ids[j] && bytes[j] > best_bytes) {
			best = ids[j];
			best_bytes = bytes[j];
		}
	}
	return best;
}

static void mt_damon_snap(struct mt_damon *d, u64 now, unsigned int ti,
			  u64 start, u64 end, unsigned int nr_accesses,
			  u64 age_ms, u64 id)
{
	struct mt_region_snap *s;
	u64 h = d->head;

	s = &d->regions[mt_ring_idx(h, d->region_ring)];
	/*
	 * A slot is valid while its seq is its index: invalidate it before
	 * the fields change (pairs with the smp_rmb() in mt_damon_regions())
	 */
	WRITE_ONCE(s->seq, U64_MAX);
	smp_wmb(); /* the invalid seq before the fields */
	s->time_ns = now;
	s->start = start;
	s->end = end;
	s->nr_accesses = nr_accesses;
	s->target = ti;
	s->age_ms = age_ms;
	s->cgroup_id = id;
	/* the fields before the seq; pairs with the acquire of the reader */
	smp_store_release(&s->seq, h);
	/* the slot before the head; pairs with the acquire of the reader */
	smp_store_release(&d->head, h + 1);
}

/*
 * Aggregations dropped in a row (closer than half the bound interval, or
 * interrupted) before the binding is called stale: one could be a late
 * end or a pause after preemption.
 */
#define MT_DAMON_DROPS	3

/* Start the next aggregation: the cgroups' numbers in progress are void */
static void mt_damon_next(struct mt_damon *d)
{
	d->cur_gen++;
	d->nr_touched = 0;
	d->touched_all = false;
}

/* Forget the aggregation in progress: nothing of it is published. */
static void mt_damon_drop(struct mt_damon *d)
{
	mt_damon_next(d);
	d->cur_total = 0;
	d->cur_unattr = 0;
	d->cur_ti = 0;
	d->cur_seen = 0;
	d->pending = false;
}

/*
 * Publish cgroup @cg's aggregation in progress as number mt_damon_pub_n + 1
 * if it is from the binding @arg's aggregation in progress.  Context: the
 * probe, under mt_damon_pub_seq.
 */
static void mt_damon_cg_publish(struct mt_damon_cg *cg, void *arg)
{
	const struct mt_damon *d = arg;
	struct mt_damon_sample *s;
	u64 n = mt_damon_pub_n + 1;

	if (cg->cur_gen != d->cur_gen)
		return;
	cg->pub = cg->cur;
	WRITE_ONCE(cg->pub_n, n);
	if (cg->ring_len) {
		s = &cg->ring[mt_ring_idx(cg->ring_n, cg->ring_len)];
		s->n = n;
		s->bytes = cg->cur.wss;
		WRITE_ONCE(cg->ring_n, cg->ring_n + 1);
	}
}

/* Publish the aggregation in progress of every cgroup that had bytes. */
static void mt_damon_publish(struct mt_damon *d, u64 ts)
{
	struct mt_damon_cg *cg;
	u64 n = mt_damon_pub_n + 1;
	u32 i;

	write_seqcount_begin(&mt_damon_pub_seq);
	mt_damon_pub_ts[n & (MEMTALLY_DAMON_WSS_RING_MAX - 1)] = ts;
	if (d->touched_all) {
		mt_store_damon_for_each(mt_damon_cg_publish, d);
	} else {
		for (i = 0; i < d->nr_touched; i++) {
			cg = mt_store_damon(d->touched[i].id);
			if (cg)
				mt_damon_cg_publish(cg, d);
			else	/* removed since */
				d->cur_unattr += d->touched[i].bytes;
		}
	}
	WRITE_ONCE(mt_damon_pub_n, n);
	write_seqcount_end(&mt_damon_pub_seq);
	mt_damon_next(d);
}

/*
 * The aggregation in progress is complete: publish it, unless it came less
 * than half the bound interval after the last one (dropped: the context's
 * interval changed, or the last one ended late).
 * Return: 0, or the enum memtally_damon_stale reason.
 */
static u32 mt_damon_commit(struct mt_damon *d, u64 ts)
{
	if (d->last_commit_ns &&
	    ts - d->last_commit_ns < (u64)d->aggr_us * NSEC_PER_USEC / 2) {
		d->last_commit_ns = ts;
		mt_damon_drop(d);
		return ++d->drops >= MT_DAMON_DROPS ?
		       MEMTALLY_DAMON_STALE_INTERVALS : 0;
	}
	d->drops = 0;
	d->last_commit_ns = ts;
	mt_damon_publish(d, ts);
	WRITE_ONCE(d->total_bytes, d->cur_total);
	WRITE_ONCE(d->unattr_bytes, d->cur_unattr);
	WRITE_ONCE(d->updated_ns, ts);
	WRITE_ONCE(d->aggregations, d->aggregations + 1);
	d->cur_total = 0;
	d->cur_unattr = 0;
	d->cur_ti = 0;
	d->cur_seen = 0;
	d->pending = false;
	return 0;
}

/* Does region @r of target @ti fit the binding?  0, or why not. */
static u32 mt_damon_mismatch(const struct mt_damon *d, unsigned int ti,
			     const struct damon_region *r)
{
	if (ti >= (d->ops == MEMTALLY_DAMON_OPS_PADDR ? 1 : d->nr_targets))
		return MEMTALLY_DAMON_STALE_TARGETS;
	/* at most one access per sample of the aggregation */
	if (r->nr_accesses > d->aggr_us / d->sample_us)
		return MEMTALLY_DAMON_STALE_INTERVALS;
	return 0;
}

/**
 * mt_damon_region() - one region of an aggregation of some kdamond
 * @ti: index of the region's target in the context
 * @r: the region, with nr_accesses and age of the aggregation
 * @nr_regions: regions of that target
 *
 * The kernel calls damon_aggregated for every region of every target, in
 * target order, at the end of each aggregation interval.  The aggregation is
 * complete at the last region of the last target and published then.  An
 * aggregation that does not come whole (a target missing or without
 * regions) is dropped, never published; three in a row make the binding
 * stale, as does any region that does not fit it.
 *
 * Context: a kdamond thread (kdamond_reset_aggregated()), process context:
 * no sleeping, no allocation.  Turns preemption off itself (7.x calls
 * probes preemptible), for the seqcount writers below.
 * Only the bound kdamond gets past the first check, so everything below
 * has one writer.
 */
static void mt_damon_region(unsigned int ti, struct damon_region *r,
			    unsigned int nr_regions)
{
	u64 t0 = ktime_get_ns(), now, age_ms, id;
	unsigned int nr_acc = r->nr_accesses;
	struct mt_damon *d;
	u32 last_ti, stale;
	bool first;

	preempt_disable_notrace();
	rcu_read_lock();
	d = rcu_dereference(mt_damon);
	if (!d || !READ_ONCE(d->kdamond) || task_pid(current) != d->kpid ||
	    READ_ONCE(d->stale))
		goto out;
	now = ktime_get_boottime_ns();
	/*
	 * The kdamond reports an aggregation's regions in one burst, target by
	 * target, each target's nr_regions in address order: a region of a
	 * lower target, or not above the last one of its target, starts a
	 * burst.
	 */
	first = d->seen && (ti < d->prev_ti ||
			    (ti == d->prev_ti && r->ar.start <= d->prev_start));
	d->seen = true;
	d->prev_ti = ti;
	d->prev_start = r->ar.start;
	stale = 0;
	if (!d->synced) {
		/* bound (or out of step) in the middle of a burst: wait */
		if (!first)
			goto stale;
		d->synced = true;
	} else if (first == !d->pending) {
		/* in step: a burst starts after the last one was complete */
	} else {
		/*
		 * A burst that ended before its count (a target missing or
		 * without regions), or regions after the count: drop what is
		 * in progress, start again at this burst or the next.
		 */
		mt_damon_drop(d);
		if (++d->drops >= MT_DAMON_DROPS)
			stale = MEMTALLY_DAMON_STALE_TARGETS;
		d->synced = first;
		if (stale || !first)
			goto stale;
	}
	stale = mt_damon_mismatch(d, ti, r);
	/* within a burst, targets only go up and each has nr_regions */
	if (!stale && d->pending &&
	    (ti < d->cur_ti || (ti == d->cur_ti && d->cur_seen >= nr_regions)))
		stale = MEMTALLY_DAMON_STALE_TARGETS;
	if (stale)
		goto stale;
	/* one pair of rates for the whole aggregation */
	if (!d->pending)
		mt_damon_rates(&d->hot, &d->cold);
	if (ti != d->cur_ti) {
		d->cur_ti = ti;
		d->cur_seen = 0;
	}
	age_ms = div_u64((u64)r->age * d->aggr_us, USEC_PER_MSEC);
	if (d->ops == MEMTALLY_DAMON_OPS_PADDR) {
		id = mt_damon_paddr(d, r->ar.start, r->ar.end, nr_acc, age_ms);
	} else {
		id = mt_target_cgroup(d, ti);
		mt_damon_account(d, id, r->ar.end - r->ar.start, nr_acc,
				 age_ms);
	}
	mt_damon_snap(d, now, ti, r->ar.start, r->ar.end, nr_acc, age_ms, id);
	d->cur_seen++;
	d->pending = true;
	last_ti = d->ops == MEMTALLY_DAMON_OPS_PADDR ? 0 : d->nr_targets - 1;
	if (ti >= last_ti && d->cur_seen >= nr_regions)
		stale = mt_damon_commit(d, now);
stale:
	/* stop here: the aggregation in progress is never published */
	if (stale)
		WRITE_ONCE(d->stale, stale);
	WRITE_ONCE(d->probe_ns, d->probe_ns + ktime_get_ns() - t0);
out:
	rcu_read_unlock();
	preempt_enable_notrace();
}

/* damon:damon_aggregated.  Context: see mt_damon_region(). */
static void mt_probe_damon_aggregated(void *data, MT_DAMON_AGGREGATED_ARGS)
{
	mt_damon_region(target_id, r, nr_regions);
}

MT_PROBE_CHECK(damon_aggregated, mt_probe_damon_aggregated);

static struct mt_hook mt_damon_hook_rows[] = {
	MT_HOOK("damon-aggregated", "damon_aggregated",
		mt_probe_damon_aggregated),
};

MT_HOOK_SET(mt_damon_hooks, mt_damon_hook_rows);

/**
 * mt_damon_task_exit() - a task exits: unbind if it is the bound kdamond
 * @p: the task
 *
 * A later kdamond may get the same pid; it must not feed this binding.
 * Context: the task-exit probe.
 */
void mt_damon_task_exit(struct task_struct *p)
{
	struct mt_damon *d;

	if (!(p->flags & PF_KTHREAD))
		return;
	rcu_read_lock();
	d = rcu_dereference(mt_damon);
	if (d && task_pid(p) == d->kpid)
		WRITE_ONCE(d->kdamond, 0);
	rcu_read_unlock();
}

static void mt_damon_free(struct mt_damon *d)
{
	u32 i;

	if (!d)
		return;
	for (i = 0; i < d->nr_targets; i++)
		put_pid(d->targets[i]);
	put_pid(d->kpid);
	kfree(d->targets);
	kvfree(d->regions);
	kvfree(d->touched);
	kfree(d);
}

/* The struct pid of kdamond thread @pid, held, or NULL if it is none */
static struct pid *mt_kdamond_get(pid_t pid)
{
	struct pid *kpid = NULL;
	struct task_struct *t;

	rcu_read_lock();
	t = pid_task(find_pid_ns(pid, &init_pid_ns), PIDTYPE_PID);
	if (t && (t->flags & PF_KTHREAD) && t->pid == pid &&
	    !strncmp(t->comm, "kdamond", 7))
		kpid = get_pid(task_pid(t));
	rcu_read_unlock();
	return kpid;
}

/* Is the kdamond of @kpid still there, not exiting? */
static bool mt_kdamond_alive(struct pid *kpid)
{
	struct task_struct *t;
	bool alive;

	rcu_read_lock();
	t = pid_task(kpid, PIDTYPE_PID);
	alive = t && !(t->flags & PF_EXITING);
	rcu_read_unlock();
	return alive;
}

static struct mt_damon *mt_damon_new(const struct mt_damon_req *req,
				     struct netlink_ext_ack *extack)
{
	struct mt_damon *d;
	u32 i;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return ERR_PTR(-ENOMEM);
	d->kdamond = req->kdamond;
	d->kpid = mt_kdamond_get(req->kdamond);
	if (!d->kpid) {
		kfree(d);
		NL_SET_ERR_MSG(extack, "kdamond-pid is no kdamond thread");
		return ERR_PTR(-ESRCH);
	}
	d->ops = req->ops;
	d->sample_us = req->sample_us;
	d->aggr_us = req->aggr_us;
	d->wss_ring = req->wss_ring;
	d->region_ring = req->region_ring;
	d->regions = kvcalloc(d->region_ring, sizeof(*d->regions), GFP_KERNEL);
	d->targets = kcalloc(req->nr_targets, sizeof(*d->targets), GFP_KERNEL);
	if (!d->regions || (req->nr_targets && !d->targets)) {
		mt_damon_free(d);
		return ERR_PTR(-ENOMEM);
	}
	for (i = 0; i < d->region_ring; i++)
		d->regions[i].seq = U64_MAX;
	for (i = 0; i < req->nr_targets; i++) {
		rcu_read_lock();
		d->targets[i] = get_pid(find_pid_ns(req->targets[i],
						    &init_pid_ns));
		rcu_read_unlock();
		if (!d->targets[i]) {
			NL_SET_ERR_MSG(extack, "a target-pid has no process");
			mt_damon_free(d);
			return ERR_PTR(-ESRCH);
		}
		d->nr_targets++;
	}
	return d;
}

/**
 * mt_damon_bind() - attribute the aggregations of one kdamond from now on
 * @req: what to bind, checked against the spec's policy by the caller
 * @extack: for the reason of a failure
 *
 * Replaces any earlier binding and resets every cgroup's DAMON numbers;
 * all of it is allocated first, so a failure leaves the earlier binding
 * and its numbers as they were.
 * Context: process context, may sleep (netlink, CAP_SYS_ADMIN).
 * Return: 0 or a negative errno with a message in @extack.
 */
int mt_damon_bind(const struct mt_damon_req *req,
		  struct netlink_ext_ack *extack)
{
	struct mt_damon *d, *old;
	struct mt_damon_cgs *cgs;
	int err = 0;

	if (!mt_hook_attached("damon-aggregated")) {
		NL_SET_ERR_MSG(extack,
			       "this kernel has no damon_aggregated tracepoint (CONFIG_DAMON)");
		return -EOPNOTSUPP;
	}
	/* paddr attributes pages by memcg: ids must be the store's (v2) */
	if (req->ops == MEMTALLY_DAMON_OPS_PADDR && !mt_memcg_on_dfl()) {
		NL_SET_ERR_MSG(extack,
			       "paddr needs the memory controller on cgroup v2; it is on a v1 hierarchy here (vaddr works)");
		return -EOPNOTSUPP;
	}
	d = mt_damon_new(req, extack);
	if (IS_ERR(d))
		return PTR_ERR(d);
	/* everything allocated first: a failure leaves the old binding */
	cgs = mt_store_damon_alloc(d->wss_ring);
	/*
	 * Room for twice the cgroups there are now (each one's id, once per
	 * aggregation); if more get bytes in one aggregation, that one is
	 * published by a walk of every cgroup, as slow as it sounds.
	 */
	if (cgs) {
		d->touched_max = max_t(u32, 2 * cgs->nr, 1024);
		d->touched = kvmalloc_array(d->touched_max, sizeof(*d->touched),
					    GFP_KERNEL);
	}
	if (!cgs || !d->touched) {
		NL_SET_ERR_MSG(extack, "out of memory for per-cgroup DAMON numbers");
		mt_store_damon_free(cgs);
		mt_damon_free(d);
		return -ENOMEM;
	}
	d->cur_gen = 1;		/* fresh numbers have 0 */

	mutex_lock(&mt_damon_lock);
	old = rcu_dereference_protected(mt_damon,
					lockdep_is_held(&mt_damon_lock));
	RCU_INIT_POINTER(mt_damon, NULL);
	/* no probe uses the old binding or the cgroups' numbers after this */
	synchronize_rcu();
	mt_store_damon_install(cgs);
	d->gen = ++mt_damon_gen;
	rcu_assign_pointer(mt_damon, d);
	/*
	 * It exited before its exit probe could see the binding?  Pairs with
	 * the barrier between PF_EXITING and the exit probe (do_exit()'s
	 * atomic_dec_and_test()): one of the two sees the other.
	 */
	smp_mb();
	if (!mt_kdamond_alive(d->kpid)) {
		WRITE_ONCE(d->kdamond, 0);
		NL_SET_ERR_MSG(extack, "the kdamond exited during the bind; nothing is bound");
		err = -ESRCH;
	}
	mutex_unlock(&mt_damon_lock);
	mt_damon_free(old);
	return err;
}

/**
 * mt_damon_unbind() - stop attributing; the last numbers stay readable
 * @extack: for the reason of a failure
 *
 * Context: process context, may sleep.
 * Return: 0, or -ENOENT if nothing is bound.
 */
int mt_damon_unbind(struct netlink_ext_ack *extack)
{
	struct mt_damon *d;
	int err = 0;

	mutex_lock(&mt_damon_lock);
	d = rcu_dereference_protected(mt_damon,
				      lockdep_is_held(&mt_damon_lock));
	if (d && READ_ONCE(d->kdamond)) {
		WRITE_ONCE(d->kdamond, 0);
		synchronize_rcu();
	} else {
		NL_SET_ERR_MSG(extack, "no kdamond is bound");
		err = -ENOENT;
	}
	mutex_unlock(&mt_damon_lock);
	return err;
}

/**
 * mt_damon_info() - the binding and the state of its attribution
 * @info: filled in; @info->kdamond 0 when nothing is bound
 *
 * The published numbers are read one by one: a reply may mix two
 * aggregations.  Context: process context.
 */
void mt_damon_info(struct mt_damon_info *info)
{
	struct mt_damon *d;

	memset(info, 0, sizeof(*info));
	mt_damon_rates(&info->hot_rate, &info->cold_rate);
	mutex_lock(&mt_damon_lock);
	d = rcu_dereference_protected(mt_damon,
				      lockdep_is_held(&mt_damon_lock));
	if (d) {
		u32 i;

		info->kdamond = READ_ONCE(d->kdamond);
		info->ops = d->ops;
		info->sample_us = d->sample_us;
		info->aggr_us = d->aggr_us;
		info->wss_ring = d->wss_ring;
		info->region_ring = d->region_ring;
		info->nr_targets = min_t(u32, d->nr_targets,
					 ARRAY_SIZE(info->targets));
		for (i = 0; i < info->nr_targets; i++)
			info->targets[i] = pid_nr(d->targets[i]);
		info->aggregations = READ_ONCE(d->aggregations);
		info->updated_ns = READ_ONCE(d->updated_ns);
		info->total_bytes = READ_ONCE(d->total_bytes);
		info->unattr_bytes = READ_ONCE(d->unattr_bytes);
		info->probe_ns = READ_ONCE(d->probe_ns);
		info->stale = READ_ONCE(d->stale);
	}
	mutex_unlock(&mt_damon_lock);
}

/**
 * mt_damon_set_rates() - change the hot and/or the cold threshold
 * @hot: the new hot rate, or NULL to keep it
 * @cold: the new cold rate, or NULL to keep it
 *
 * The new pair is checked against the pair it replaces, atomically: two
 * callers at once, one changing each rate, cannot leave cold above hot.
 * They apply from the next region on.  Context: any.
 * Return: 0, or -EINVAL (nothing changed) if cold would be above hot.
 */
int mt_damon_set_rates(const u32 *hot, const u32 *cold)
{
	s64 old = atomic64_read(&mt_damon_rate_pair), new;
	u32 h, c;

	do {
		h = hot ? *hot : (u64)old >> 32;
		c = cold ? *cold : (u32)old;
		if (c > h)
			return -EINVAL;
		new = (s64)((u64)h << 32 | c);
	} while (!atomic64_try_cmpxchg(&mt_damon_rate_pair, &old, new));
	return 0;
}

/**
 * mt_damon_rates() - the hot and cold thresholds, one consistent pair
 * @hot: set to the hot threshold
 * @cold: set to the cold threshold
 */
void mt_damon_rates(u32 *hot, u32 *cold)
{
	u64 pair = atomic64_read(&mt_damon_rate_pair);

	*hot = pair >> 32;
	*cold = (u32)pair;
}

/**
 * mt_damon_regions() - copy region snapshots, oldest first
 * @gen: in: binding generation of the first call of a dump (0: any); out:
 *	the generation read
 * @pos: in: sequence number to start at; out: where to go on
 * @end: sequence number to stop at (exclusive); 0: the current end
 * @buf: room for @max snapshots
 * @max: snapshots wanted at most
 *
 * Snapshots overwritten since the caller's last position are skipped.
 * Context: process context, may sleep.
 * Return: snapshots copied, or -ESTALE if the binding changed since @gen.
 */
int mt_damon_regions(u64 *gen, u64 *pos, u64 *end,
		     struct mt_region_snap *buf, u32 max)
{
	struct mt_damon *d;
	u64 h, i;
	u32 n = 0;

	mutex_lock(&mt_damon_lock);
	d = rcu_dereference_protected(mt_damon,
				      lockdep_is_held(&mt_damon_lock));
	if (!d || (*gen && *gen != d->gen)) {
		mutex_unlock(&mt_damon_lock);
		return d ? -ESTALE : 0;
	}
	*gen = d->gen;
	/* pairs with the release in mt_damon_snap(): slots below h are set */
	h = smp_load_acquire(&d->head);
	if (!*end)
		*end = h;
	i = max_t(u64, *pos, h > d->region_ring ? h - d->region_ring : 0);
	for (; i < *end && n < max; i++) {
		const struct mt_region_snap *s;

		s = &d->regions[mt_ring_idx(i, d->region_ring)];
		/* the fields after the seq (the writer's release) */
		if (smp_load_acquire(&s->seq) != i)
			continue;
		buf[n] = *s;
		/* the fields before the recheck (the writer's smp_wmb()) */
		smp_rmb();
		if (READ_ONCE(s->seq) == i)
			n++;
	}
	*pos = i;
	mutex_unlock(&mt_damon_lock);
	return n;
}

/**
 * mt_damon_exit() - free the binding
 *
 * Context: after the hooks were detached and the netlink family removed.
 */
void mt_damon_exit(void)
{
	mt_damon_free(rcu_dereference_protected(mt_damon, 1));
	RCU_INIT_POINTER(mt_damon, NULL);
}
