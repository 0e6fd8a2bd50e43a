/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memtally: internal interfaces between the module's parts.
 *
 * Data path: tracepoint -> probe (hook_*.c) -> per-cgroup store (store.c)
 * -> generic netlink (genl.c) / debugfs (debugfs.c).
 */
#ifndef _MEMTALLY_H
#define _MEMTALLY_H

#include <linux/types.h>
#include <linux/percpu.h>
#include <linux/compiler.h>
#include <linux/build_bug.h>

struct cgroup;
struct pt_regs;
struct tracepoint;

#define MEMTALLY_VERSION "0.1.0"

/*
 * Per-cgroup counters.  Adding one takes an entry here and a row in
 * mt_counter_info[] (store.c); netlink and debugfs walk that table.
 */
enum mt_counter {
	MT_FAULTS_USER,
	MT_FAULTS_KERNEL,
	MT_NR_COUNTERS
};

/**
 * struct mt_counter_info - how a counter is exported
 * @name: column name in debugfs
 * @attr: netlink attribute in the cgroup attribute set
 */
struct mt_counter_info {
	const char *name;
	int attr;
};

extern const struct mt_counter_info mt_counter_info[MT_NR_COUNTERS];

/**
 * struct mt_snapshot - counters of one cgroup summed over all CPUs
 * @id: cgroup v2 id
 * @v: counter values, indexed by enum mt_counter
 */
struct mt_snapshot {
	u64 id;
	u64 v[MT_NR_COUNTERS];
};

/* store.c */
int mt_store_init(void);
void mt_store_exit(void);
void mt_store_sync(void);
void mt_store_kick(void);
void mt_count_current(enum mt_counter c);
bool mt_store_find(u64 *id, struct mt_snapshot *snap);
unsigned int mt_store_nr_cgroups(void);
u64 mt_store_unattributed(void);

/* hooks.c */

/**
 * struct mt_hook - one probe on one kernel tracepoint
 * @name: hook name shown to users
 * @tp_name: name of the tracepoint
 * @probe: probe function, NULL when this kernel's headers lack the tracepoint
 * @tp: the tracepoint, once found
 * @state: enum memtally_hook_state
 * @err: negative errno when @state is MEMTALLY_HOOK_STATE_FAILED
 */
struct mt_hook {
	const char *name;
	const char *tp_name;
	void *probe;
	struct tracepoint *tp;
	int state;
	int err;
};

int mt_hooks_attach(void);
void mt_hooks_detach(void);
unsigned int mt_hooks_count(void);
const struct mt_hook *mt_hook_get(unsigned int i);

/*
 * MT_PROBE_CHECK(tp, fn) - fail the build unless @fn has the prototype the
 * running kernel's <trace/events/...> header declares for tracepoint @tp.
 * Probes are registered by name at run time, where nothing checks them.
 */
#define MT_PROBE_CHECK(tp, fn)						\
	static_assert(__same_type(check_trace_callback_type_##tp,	\
				  void (typeof(fn) *)))

/* Probes, one block per hook_*.c file. */
void mt_probe_fault_user(void *data, unsigned long address,
			 struct pt_regs *regs, unsigned long error_code);
void mt_probe_fault_kernel(void *data, unsigned long address,
			   struct pt_regs *regs, unsigned long error_code);
void mt_probe_cgroup_mkdir(void *data, struct cgroup *cgrp, const char *path);
void mt_probe_cgroup_rmdir(void *data, struct cgroup *cgrp, const char *path);

/* genl.c */
int mt_genl_init(void);
void mt_genl_exit(void);

/* debugfs.c */
void mt_debugfs_init(void);
void mt_debugfs_exit(void);

#endif /* _MEMTALLY_H */
