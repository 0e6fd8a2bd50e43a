// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: begin/end pairing per task, to time reclaim stalls and slab
 * shrinker calls.
 *
 * A begin probe claims a slot keyed by (pid, kind) in a fixed table with a
 * cmpxchg and stores the start time; the end probe of the same task finds
 * the slot, takes the time and frees it.  No allocation, no lock.  Only the
 * owning task touches a claimed slot, so t0 and depth need no atomics.
 *
 * - A key goes to the first free slot from its home (hash) slot on, so a
 *   begin is lost only when all MT_PAIR_SLOTS slots are taken (4096 keys
 *   open: a thousand tasks in nested reclaim at once).  Lookups scan
 *   MT_PAIR_NEAR slots from the home; while any key lives farther, they
 *   scan as far as the farthest (mt_pair_reach), whatever the pids are.
 * - Nesting of the same kind only deepens the slot; the outermost pair
 *   is timed.
 * - An end without a begin (the module was loaded in the middle, or the
 *   table was full at the begin) is counted as unpaired and ignored.
 * - A task that exits holding slots has them freed by the sched_process_exit
 *   probe, so a later task with the same pid cannot inherit them.
 */
#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/hash.h>
#include <linux/minmax.h>
#include <linux/mm_types.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>

#include "memtally.h"
#include "compat.h"

#define MT_PAIR_BITS	12
#define MT_PAIR_SLOTS	BIT(MT_PAIR_BITS)
#define MT_PAIR_NEAR	8	/* slots from its home a lookup always scans */

struct mt_pair {
	atomic_t key;		/* 0: free */
	u32 depth;
	u64 t0;
};

static struct mt_pair mt_pairs[MT_PAIR_SLOTS];
static DEFINE_PER_CPU(u64, mt_unpaired);

/*
 * How far lookups scan, in one word changed by cmpxchg: the low 16 bits
 * are the reach (MT_PAIR_NEAR, or one past the farthest slot a live key
 * has from its home), the high 16 bits count the keys living beyond
 * MT_PAIR_NEAR.  The reach falls back to MT_PAIR_NEAR when the last of
 * them goes.  Only a key's own task looks it up, after raising the reach
 * itself, so the reach it reads covers its key.
 */
static atomic_t mt_pair_reach = ATOMIC_INIT(MT_PAIR_NEAR);

#define MT_PAIR_FAR_ONE	BIT(16)
#define MT_PAIR_REACH	(MT_PAIR_FAR_ONE - 1)

/* pid_max is at most 2^22: the key fits with the kind and a +1 for "used" */
static u32 mt_pair_key(pid_t pid, enum mt_pair_kind kind)
{
	BUILD_BUG_ON(MT_NR_PAIR_KINDS > 8);
	return ((u32)pid << 3 | kind) + 1;
}

static u32 mt_pair_home(u32 key)
{
	return hash_32(key, MT_PAIR_BITS);
}

static struct mt_pair *mt_pair_slot(u32 key, unsigned int i)
{
	return &mt_pairs[(mt_pair_home(key) + i) & (MT_PAIR_SLOTS - 1)];
}

static struct mt_pair *mt_pair_lookup(u32 key)
{
	unsigned int i, reach = atomic_read(&mt_pair_reach) & MT_PAIR_REACH;

	for (i = 0; i < reach; i++) {
		struct mt_pair *p = mt_pair_slot(key, i);

		if (atomic_read(&p->key) == key)
			return p;
	}
	return NULL;
}

/* A key now lives @i slots from its home, @i >= MT_PAIR_NEAR */
static void mt_pair_far(unsigned int i)
{
	int old = atomic_read(&mt_pair_reach), new;

	do {
		new = ((old & ~MT_PAIR_REACH) + MT_PAIR_FAR_ONE) |
		      max_t(unsigned int, old & MT_PAIR_REACH, i + 1);
	} while (!atomic_try_cmpxchg(&mt_pair_reach, &old, new));
}

/* Free the slot @p of key @key */
static void mt_pair_free(struct mt_pair *p, u32 key)
{
	unsigned int i = (p - mt_pairs - mt_pair_home(key)) &
			 (MT_PAIR_SLOTS - 1);
	int old, new;

	atomic_set_release(&p->key, 0);
	if (i < MT_PAIR_NEAR)
		return;
	old = atomic_read(&mt_pair_reach);
	do {
		new = old - MT_PAIR_FAR_ONE;
		if (!(new & ~MT_PAIR_REACH))
			new = MT_PAIR_NEAR;
	} while (!atomic_try_cmpxchg(&mt_pair_reach, &old, new));
}

/**
 * mt_pair_begin() - the current task starts something to be timed
 * @kind: what
 *
 * Context: task context (a tracepoint probe); may be followed by sleeping
 * and migration before mt_pair_end().
 */
void mt_pair_begin(enum mt_pair_kind kind)
{
	u32 key = mt_pair_key(current->pid, kind);
	struct mt_pair *p = mt_pair_lookup(key);
	unsigned int i;

	if (p) {
		p->depth++;
		return;
	}
	for (i = 0; i < MT_PAIR_SLOTS; i++) {
		p = mt_pair_slot(key, i);
		if (!atomic_read(&p->key) &&
		    atomic_cmpxchg(&p->key, 0, key) == 0) {
			if (i >= MT_PAIR_NEAR)
				mt_pair_far(i);
			p->depth = 1;
			p->t0 = ktime_get_ns();
			return;
		}
	}
	/* every slot taken: the end will count as unpaired */
}

/**
 * mt_pair_open() - has the current task a begin of @kind without its end?
 * @kind: what
 *
 * Context: task context (a tracepoint probe).
 * Return: true if so.
 */
bool mt_pair_open(enum mt_pair_kind kind)
{
	return mt_pair_lookup(mt_pair_key(current->pid, kind));
}

/**
 * mt_pair_end() - the current task finished what mt_pair_begin() started
 * @kind: what
 * @ns: how long it took, when the return value is true
 *
 * Context: task context (a tracepoint probe).
 * Return: true at the end of an outermost pair; false for an inner one and
 * for an end without a begin.
 */
bool mt_pair_end(enum mt_pair_kind kind, u64 *ns)
{
	u32 key = mt_pair_key(current->pid, kind);
	struct mt_pair *p = mt_pair_lookup(key);

	if (!p) {
		this_cpu_inc(mt_unpaired);
		return false;
	}
	if (--p->depth)
		return false;
	*ns = ktime_get_ns() - p->t0;
	mt_pair_free(p, key);
	return true;
}

/**
 * mt_pair_forget() - free the slots of an exiting task
 * @task: the task, current
 */
void mt_pair_forget(struct task_struct *task)
{
	enum mt_pair_kind kind;

	for (kind = 0; kind < MT_NR_PAIR_KINDS; kind++) {
		u32 key = mt_pair_key(task->pid, kind);
		struct mt_pair *p = mt_pair_lookup(key);

		if (p)
			mt_pair_free(p, key);
	}
}

/*
 * sched:sched_process_exit: a task exits, drop what it still has open.
 * Context: do_exit(), current is @p, may not sleep in the probe.
 */
static void mt_probe_task_exit(void *data, MT_TASK_EXIT_ARGS)
{
	mt_pair_forget(p);
	mt_damon_task_exit(p);
}

MT_PROBE_CHECK(sched_process_exit, mt_probe_task_exit);

static struct mt_hook mt_pair_hook_rows[] = {
	MT_HOOK("task-exit", "sched_process_exit", mt_probe_task_exit),
};

MT_HOOK_SET(mt_pair_hooks, mt_pair_hook_rows);

/**
 * mt_pair_unpaired() - ends seen without a begin
 *
 * Return: the sum over all CPUs.
 */
u64 mt_pair_unpaired(void)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(&mt_unpaired, cpu));
	return sum;
}
