// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: KSM per cgroup.
 *
 * KSM keeps its counters per mm (mm->ksm_merging_pages, ksm_rmap_items,
 * ksm_zero_pages), not per cgroup, and updates them without telling anyone.
 * So a request walks all processes in process context, adds each mm's
 * counters to the cgroup of the mm's owner (each mm once, however many
 * tasks share it), and publishes the sums.  The walk sleeps between
 * batches of pids, so its cost grows with the number of processes but
 * nothing waits on it longer than one batch.  ksm-get, the request for
 * KSM numbers, is answered by a walk that started after it came (the
 * numbers change without telling, so an older walk's may be wrong);
 * requests that come while a walk runs share the next one.  A dump or a
 * cgroup's row takes a walk at most a second old, so that a tool refreshing
 * often does not walk each time, and memtally ksm's rows (a dump right
 * after its ksm-get) come from the ksm-get's walk.  A row read while
 * another request's walk publishes may mix two walks' values for that row;
 * the totals of ksm-get never do.
 */
#include <linux/cgroup.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "memtally.h"
#include "compat.h"

static DEFINE_MUTEX(mt_ksm_lock);	/* one walk at a time */
static u64 mt_ksm_sums[MT_NR_KSM];	/* over all processes; mt_ksm_lock */
static u64 mt_ksm_ns;	/* CLOCK_BOOTTIME the last walk started; mt_ksm_lock */
static DEFINE_PER_CPU(u64, mt_full_scans);

/*
 * The KSM gauges of process @p's mm into @v, and the mm's owner, if @p's
 * process owns its mm (each mm is counted once, in its owner's process).
 * The mm is read under task_lock() of a thread that has it (as
 * find_lock_task_mm() does): a process whose main thread exited keeps its
 * mm in the other threads.  Context: under rcu_read_lock().
 */
static struct task_struct *mt_ksm_of(struct task_struct *p, u64 *v)
{
	struct task_struct *t, *owner;

	for_each_thread(p, t) {
		task_lock(t);
		if (!t->mm) {
			task_unlock(t);
			continue;
		}
		owner = mt_mm_owner(t->mm);
		if (owner && !same_thread_group(owner, p))
			owner = NULL;
		if (owner) {
			struct mt_mm_ksm k = mt_mm_ksm(t->mm);

			v[MT_KSM_MERGING] = k.merging;
			v[MT_KSM_RMAP] = k.rmap;
			v[MT_KSM_ZERO] = k.zero;
		}
		task_unlock(t);
		return owner;
	}
	return NULL;
}

/*
 * The walk lets go of RCU and the CPU after this many pids: a system with
 * 100,000 processes must not hold off a real-time task or an RCU grace
 * period for the whole walk (Debian's kernels preempt only voluntarily).
 */
#define MT_KSM_BATCH	64

/* Add process @p's KSM gauges to @sums and to its cgroup.  Context: RCU. */
static void mt_ksm_add(struct task_struct *p, u64 *sums)
{
	struct task_struct *owner;
	u64 v[MT_NR_KSM];
	int i;

	if (p->flags & PF_KTHREAD)
		return;
	owner = mt_ksm_of(p, v);
	if (!owner || !v[MT_KSM_RMAP])
		return;
	for (i = 0; i < MT_NR_KSM; i++)
		sums[i] += v[i];
	mt_store_ksm_add(cgroup_id(task_dfl_cgroup(owner)), v);
}

/*
 * Processes are visited in the order of their pids, as /proc's readdir does
 * (find_ge_pid()), so the walk can sleep between batches and go on from
 * the next pid: a process that exits meanwhile is simply not found, one
 * that starts meanwhile is counted if its pid is above the walk's.  Each
 * mm is counted once either way (in its owner's process).
 */
static void mt_ksm_walk(void)
{
	u64 sums[MT_NR_KSM] = { 0 };
	unsigned int batch = 0;
	struct task_struct *p;
	struct pid *pid;
	int i, nr = 1;

	rcu_read_lock();
	while ((pid = find_ge_pid(nr, &init_pid_ns))) {
		nr = pid_nr(pid) + 1;
		p = pid_task(pid, PIDTYPE_TGID);
		if (p)
			mt_ksm_add(p, sums);
		if (++batch % MT_KSM_BATCH == 0) {
			rcu_read_unlock();
			cond_resched();
			rcu_read_lock();
		}
	}
	rcu_read_unlock();
	mt_store_ksm_publish();
	for (i = 0; i < MT_NR_KSM; i++)
		mt_ksm_sums[i] = sums[i];
}

/**
 * mt_ksm_refresh() - walk the processes unless the last walk is recent enough
 * @max_age_ns: how long before this call the walk used may have started; 0:
 *	after it (a walk that started after the call, another request's that
 *	held mt_ksm_lock meanwhile, saw everything this one would)
 *
 * Context: process context, may sleep.
 */
void mt_ksm_refresh(u64 max_age_ns)
{
	u64 called = ktime_get_boottime_ns();

	mutex_lock(&mt_ksm_lock);
	if (!mt_ksm_ns || mt_ksm_ns + max_age_ns <= called) {
		mt_ksm_ns = ktime_get_boottime_ns();
		mt_ksm_walk();
	}
	mutex_unlock(&mt_ksm_lock);
}

/**
 * mt_ksm_read() - the results of the last walk, all from the same walk
 * @sums: the gauges summed over all processes, indexed by enum mt_ksm_gauge
 *
 * Context: process context, may sleep.
 * Return: CLOCK_BOOTTIME of the walk in ns, 0 before the first one.
 */
u64 mt_ksm_read(u64 *sums)
{
	u64 ns;

	mutex_lock(&mt_ksm_lock);
	memcpy(sums, mt_ksm_sums, sizeof(mt_ksm_sums));
	ns = mt_ksm_ns;
	mutex_unlock(&mt_ksm_lock);
	return ns;
}

/**
 * mt_ksm_full_scan_done() - ksmd finished a full scan
 *
 * Context: the ksm_stop_scan probe.
 */
void mt_ksm_full_scan_done(void)
{
	this_cpu_inc(mt_full_scans);
}

/**
 * mt_ksm_full_scans() - full scans ksmd finished since load
 * @n: the count, when the return value is true
 *
 * Return: false if this kernel has no ksm_stop_scan tracepoint to count
 * them (the count would mean nothing).
 */
bool mt_ksm_full_scans(u64 *n)
{
	u64 sum = 0;
	int cpu;

	if (!mt_hook_attached("ksm-full-scan"))
		return false;
	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(&mt_full_scans, cpu));
	*n = sum;
	return true;
}
