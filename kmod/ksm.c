// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: KSM per cgroup.
 *
 * KSM keeps its counters per mm (mm->ksm_merging_pages, ksm_rmap_items,
 * ksm_zero_pages), not per cgroup, and updates them without telling anyone.
 * So a request walks all processes in process context, adds each mm's
 * counters to the cgroup of the mm's owner (each mm once, however many
 * tasks share it), and publishes the sums.  The result is cached for a
 * second: a burst of requests walks once.
 */
#include <linux/cgroup.h>
#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/timekeeping.h>

#include "memtally.h"
#include "compat.h"

static DEFINE_MUTEX(mt_ksm_lock);	/* one walk at a time */
static unsigned long mt_ksm_walked;	/* jiffies of the last walk */
static bool mt_ksm_done;		/* a walk has happened */
static u64 mt_ksm_sums[MT_NR_KSM];	/* over all processes */
static u64 mt_ksm_ns;			/* CLOCK_BOOTTIME of the last walk */
static DEFINE_PER_CPU(u64, mt_full_scans);

static void mt_ksm_walk(void)
{
	u64 sums[MT_NR_KSM] = { 0 };
	struct task_struct *p;
	int i;

	rcu_read_lock();
	for_each_process(p) {
		struct mm_struct *mm;
		u64 v[MT_NR_KSM];

		if (p->flags & PF_KTHREAD)
			continue;
		/* p->mm stays valid while task_lock(p) is held */
		task_lock(p);
		mm = p->mm;
		if (!mm || mt_mm_owner(mm) != p) {
			task_unlock(p);
			continue;
		}
		mt_mm_ksm(mm, v);
		task_unlock(p);
		if (!v[MT_KSM_RMAP])
			continue;
		for (i = 0; i < MT_NR_KSM; i++)
			sums[i] += v[i];
		mt_store_ksm_add(cgroup_id(task_dfl_cgroup(p)), v);
	}
	rcu_read_unlock();
	mt_store_ksm_publish();
	for (i = 0; i < MT_NR_KSM; i++)
		WRITE_ONCE(mt_ksm_sums[i], sums[i]);
	WRITE_ONCE(mt_ksm_ns, ktime_get_boottime_ns());
}

/**
 * mt_ksm_refresh() - walk the processes unless the last walk is recent
 *
 * Context: process context, may sleep.
 */
void mt_ksm_refresh(void)
{
	mutex_lock(&mt_ksm_lock);
	if (!mt_ksm_done || time_after(jiffies, mt_ksm_walked + HZ)) {
		mt_ksm_walk();
		mt_ksm_walked = jiffies;
		mt_ksm_done = true;
	}
	mutex_unlock(&mt_ksm_lock);
}

/**
 * mt_ksm_total() - a KSM gauge summed over all processes, last walk
 * @g: the gauge
 *
 * Return: the sum.
 */
u64 mt_ksm_total(enum mt_ksm_gauge g)
{
	return READ_ONCE(mt_ksm_sums[g]);
}

/**
 * mt_ksm_updated_ns() - when the last walk was
 *
 * Return: CLOCK_BOOTTIME in ns, 0 before the first walk.
 */
u64 mt_ksm_updated_ns(void)
{
	return READ_ONCE(mt_ksm_ns);
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
