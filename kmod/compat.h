/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memtally: every difference between the kernels memtally supports
 * (Debian 6.1 and 6.12) lives here, as a wrapper named after what it does.
 */
#ifndef _MEMTALLY_COMPAT_H
#define _MEMTALLY_COMPAT_H

#include <linux/pid.h>
#include <linux/sched.h>
#include <net/genetlink.h>
#include <trace/events/oom.h>

#include "memtally.h"

/*
 * The MT_HAVE_* macros come from the feature tests in Kbuild, which look
 * for an API in the headers of the kernel being built against.
 */

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
 * Who may join the "events" multicast group.  6.6 gave families a bind()
 * hook: require CAP_PERFMON or CAP_SYS_ADMIN of the joining process, as for
 * reads.  Older kernels (6.1) have no hook, only the group's flags: there
 * joining needs CAP_NET_ADMIN (GENL_UNS_ADMIN_PERM).
 */
#ifdef MT_HAVE_GENL_BIND
static inline int mt_genl_bind(int mcgrp)
{
	return perfmon_capable() ? 0 : -EPERM;
}

static inline void mt_genl_restrict_events(struct genl_family *family,
					   struct genl_multicast_group *grp)
{
	family->bind = mt_genl_bind;
}
#else
static inline void mt_genl_restrict_events(struct genl_family *family,
					   struct genl_multicast_group *grp)
{
	grp->flags = GENL_UNS_ADMIN_PERM;
}
#endif

/*
 * oom:mark_victim: 6.1 passes the victim's pid, 6.8 the task and its uid.
 * The OOM killer holds task_lock() on the victim either way, so the task
 * found by pid is alive.  Context: see mt_oom_victim().
 */
#ifdef MT_HAVE_MARK_VICTIM_TASK
static inline void mt_probe_mark_victim(void *data, struct task_struct *task,
					uid_t uid)
{
	mt_oom_victim(task);
}
#else
static inline void mt_probe_mark_victim(void *data, int pid)
{
	struct task_struct *task;

	rcu_read_lock();
	task = pid_task(find_pid_ns(pid, &init_pid_ns), PIDTYPE_PID);
	if (task)
		mt_oom_victim(task);
	rcu_read_unlock();
}
#endif
MT_PROBE_CHECK(mark_victim, mt_probe_mark_victim);

#endif /* _MEMTALLY_COMPAT_H */
