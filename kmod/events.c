// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: events (OOM kills, long reclaim stalls) for the "events"
 * multicast group.
 *
 * A probe cannot allocate the netlink message, so it fills a struct
 * mt_event into this CPU's queue (a kfifo: lock-free for one writer and one
 * reader) and schedules a work that sends the queued events.  One writer
 * per queue: producers run in task context with preemption off (taken by
 * mt_event_post()), never in interrupts, so two cannot interleave on one
 * CPU.  One reader: the work, which never runs concurrently with itself.
 * A full queue counts the event as dropped.  Nothing is queued while
 * nobody listens.
 */
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/kfifo.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "memtally.h"
#include "compat.h"

#define MT_EVENT_QUEUE	32	/* events per CPU, a power of 2 */

struct mt_event_queue {
	DECLARE_KFIFO(fifo, struct mt_event, MT_EVENT_QUEUE);
};

static struct mt_event_queue __percpu *mt_queues;
static DEFINE_PER_CPU(u64, mt_dropped);
static u64 mt_stall_threshold_ns;	/* 0: no stall events */

static void mt_events_workfn(struct work_struct *work)
{
	struct mt_event ev;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct mt_event_queue *q = per_cpu_ptr(mt_queues, cpu);

		while (kfifo_get(&q->fifo, &ev))
			mt_genl_event(&ev);
	}
}

static DECLARE_WORK(mt_events_work, mt_events_workfn);

/**
 * mt_event_post() - queue an event for the "events" group
 * @ev: the event, copied
 *
 * Context: task context; not in interrupts (one writer per CPU queue,
 * with preemption off).
 */
void mt_event_post(const struct mt_event *ev)
{
	struct mt_event_queue *q;
	bool queued;

	preempt_disable_notrace();
	q = this_cpu_ptr(mt_queues);
	queued = kfifo_put(&q->fifo, *ev);
	preempt_enable_notrace();
	if (!queued) {
		mt_event_dropped();
		return;
	}
	schedule_work(&mt_events_work);
}

static void mt_event_task(struct mt_event *ev, u8 cmd, struct task_struct *t)
{
	memset(ev, 0, sizeof(*ev));
	ev->cmd = cmd;
	ev->ts = ktime_get_real_ns();
	ev->pid = task_tgid_nr(t);
	/* no get_task_comm(): the OOM killer holds task_lock(t) */
	strscpy(ev->comm, t->comm, sizeof(ev->comm));
	rcu_read_lock();
	ev->uid = from_kuid_munged(&init_user_ns, task_uid(t));
	ev->cgroup_id = cgroup_id(task_dfl_cgroup(t));
	rcu_read_unlock();
}

/**
 * mt_event_stall() - a reclaim stall of the current task ended
 * @kind: enum memtally_reclaim_kind
 * @ns: its length
 * @reclaimed: pages it freed
 *
 * Multicast when @ns reaches the threshold set with config-set.
 * Context: task context (a tracepoint probe).
 */
void mt_event_stall(unsigned int kind, u64 ns, u64 reclaimed)
{
	u64 threshold = READ_ONCE(mt_stall_threshold_ns);
	struct mt_event ev;

	if (!threshold || ns < threshold || !mt_genl_has_listeners())
		return;
	mt_event_task(&ev, MEMTALLY_CMD_RECLAIM_STALL_NTF, current);
	ev.kind = kind;
	ev.stall_ns = ns;
	ev.reclaimed = reclaimed;
	mt_event_post(&ev);
}

/**
 * mt_oom_victim() - the OOM killer chose @task
 * @task: the victim
 *
 * Counts an OOM kill for the victim's cgroup and multicasts an event.  The
 * OOM killer also marks a task that is exiting anyway (task_will_free_mem())
 * without sending it SIGKILL; that counts too.
 * Context: the OOM killer, task context; @task is task_lock()ed or current,
 * so @task->mm is stable.
 */
static void mt_oom_victim(struct task_struct *task)
{
	struct mm_struct *mm = task->mm;
	struct mt_event ev;

	mt_count_task(task, MT_OOM_KILLS, 1);
	if (!mt_genl_has_listeners())
		return;
	mt_event_task(&ev, MEMTALLY_CMD_OOM_KILL_NTF, task);
	if (mm) {
		ev.anon_rss = get_mm_counter(mm, MM_ANONPAGES) << PAGE_SHIFT;
		ev.file_rss = get_mm_counter(mm, MM_FILEPAGES) << PAGE_SHIFT;
		ev.shmem_rss = get_mm_counter(mm, MM_SHMEMPAGES) << PAGE_SHIFT;
	}
	mt_event_post(&ev);
}

/* oom:mark_victim.  Context: see mt_oom_victim(). */
static void mt_probe_mark_victim(void *data, MT_MARK_VICTIM_ARGS)
{
	struct task_struct *victim;

	rcu_read_lock();
	victim = MT_MARK_VICTIM_TASK;
	if (victim)
		mt_oom_victim(victim);
	rcu_read_unlock();
}

MT_PROBE_CHECK(mark_victim, mt_probe_mark_victim);

static struct mt_hook mt_events_hook_rows[] = {
	MT_HOOK("oom-victim", "mark_victim", mt_probe_mark_victim),
};

MT_HOOK_SET(mt_events_hooks, mt_events_hook_rows);

/**
 * mt_stall_threshold_us() - the stall event threshold
 *
 * Return: microseconds, 0 when stall events are off.
 */
u64 mt_stall_threshold_us(void)
{
	return div_u64(READ_ONCE(mt_stall_threshold_ns), NSEC_PER_USEC);
}

/**
 * mt_set_stall_threshold_us() - set the stall event threshold
 * @us: microseconds, 0 for no stall events
 */
void mt_set_stall_threshold_us(u64 us)
{
	WRITE_ONCE(mt_stall_threshold_ns, us * NSEC_PER_USEC);
}

/**
 * mt_event_dropped() - count an event that could not be sent
 *
 * Context: any.
 */
void mt_event_dropped(void)
{
	this_cpu_inc(mt_dropped);
}

/**
 * mt_events_dropped() - events lost to full queues or failed sends
 *
 * Return: the sum over all CPUs.
 */
u64 mt_events_dropped(void)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(&mt_dropped, cpu));
	return sum;
}

/**
 * mt_events_init() - allocate the per-CPU event queues
 *
 * Return: 0 or -ENOMEM.
 */
int mt_events_init(void)
{
	int cpu;

	mt_queues = alloc_percpu(struct mt_event_queue);
	if (!mt_queues)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		INIT_KFIFO(per_cpu_ptr(mt_queues, cpu)->fifo);
	return 0;
}

/**
 * mt_events_exit() - free the queues
 *
 * Context: after the probes are gone and before the netlink family is
 * unregistered, so queued events can still be sent.
 */
void mt_events_exit(void)
{
	flush_work(&mt_events_work);
	free_percpu(mt_queues);
}
