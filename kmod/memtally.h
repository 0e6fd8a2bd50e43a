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
#include <linux/sched.h>
#include <linux/topology.h>
#include <linux/memtally.h>

struct mm_struct;
struct tracepoint;

#define MEMTALLY_VERSION "0.1.0"

/*
 * Counters of a row: a cgroup, or a NUMA node for work done on behalf of
 * no task (kswapd, interrupts).  enum mt_counter and mt_counter_info[]
 * are generated from the spec (counters-gen.h); netlink and debugfs walk
 * that table.  The stall counters come in groups of three per enum
 * memtally_reclaim_kind (store.c checks).  The first MT_NR_PCPU counters,
 * the page faults, are the hot ones, kept per CPU in a cgroup's entry; the
 * others are shared atomics (see store.c).
 */
#include "counters-gen.h"

#define MT_NR_PCPU	(MT_FAULTS_KERNEL + 1)

/* KSM gauges of a cgroup, summed over its processes by the KSM walk */
enum mt_ksm_gauge {
	MT_KSM_MERGING,
	MT_KSM_RMAP,
	MT_KSM_ZERO,
	MT_NR_KSM
};

#define MT_NR_KINDS	(MEMTALLY_RECLAIM_KIND_COMPACT + 1)

/* first counter of reclaim kind @k: stalls, stall ns, reclaimed pages */
#define MT_STALL_COUNTERS(k)	(MT_DIRECT_STALLS + 3 * (k))

/*
 * first counter of stall kind @k: a reclaim kind's, or compaction's
 * (stalls, stall ns, migrated pages: counted apart, after the others)
 */
static inline enum mt_counter mt_stall_counters(unsigned int k)
{
	return k == MEMTALLY_RECLAIM_KIND_COMPACT ? MT_COMPACT_STALLS :
						    MT_STALL_COUNTERS(k);
}

/**
 * struct mt_counter_info - how a counter is exported
 * @name: column name in debugfs
 * @attr: netlink attribute in the cgroup attribute set
 * @node: also exported in per-node rows
 */
struct mt_counter_info {
	const char *name;
	int attr;
	bool node;
};

extern const struct mt_counter_info mt_counter_info[MT_NR_COUNTERS];

/**
 * struct mt_counters - what a row counts, summed
 * @v: counters, indexed by enum mt_counter
 * @hist: stall latency histograms per enum memtally_reclaim_kind; see
 *	mt_hist_bucket()
 */
struct mt_counters {
	u64 v[MT_NR_COUNTERS];
	u64 hist[MT_NR_KINDS][MEMTALLY_HIST_BUCKETS];
};

/**
 * struct mt_node_counters - what a node row counts (per CPU in the store)
 * @v: counters, indexed by enum mt_counter; only mt_counter_info[].node
 *	ones are used
 */
struct mt_node_counters {
	u64 v[MT_NR_COUNTERS];
};

/**
 * struct mt_damon_stats - a cgroup's bytes in one DAMON aggregation
 * @wss: in regions with at least one access
 * @hot: accessed more often than the hot threshold
 * @warm: between the thresholds
 * @cold: accessed less often than the cold threshold
 * @age: by idle age, log2 of ms; see MEMTALLY_DAMON_AGE_BUCKETS
 */
struct mt_damon_stats {
	u64 wss, hot, warm, cold;
	u64 age[MEMTALLY_DAMON_AGE_BUCKETS];
};

/**
 * struct mt_wss_sample - one working set sample of a cgroup
 * @time_ns: CLOCK_BOOTTIME of the aggregation
 * @bytes: the working set
 */
struct mt_wss_sample {
	u64 time_ns;
	u64 bytes;
};

/**
 * struct mt_region_snap - one region of one aggregation, for heatmaps
 * @seq: its sequence number in the ring; U64_MAX while being written
 * @time_ns: CLOCK_BOOTTIME of the aggregation
 * @start: first address
 * @end: end address (exclusive)
 * @nr_accesses: sampling intervals that saw an access
 * @target: index of the target in the context
 * @age_ms: how long the region kept its access frequency
 * @cgroup_id: the cgroup with most of the region, 0 for none
 */
struct mt_region_snap {
	u64 seq;
	u64 time_ns;
	u64 start, end;
	u32 nr_accesses;
	u32 target;
	u64 age_ms;
	u64 cgroup_id;
};

/**
 * struct mt_snapshot - the counters of one row summed over all CPUs
 * @id: cgroup v2 id, or NUMA node id
 * @parent_id: the parent cgroup's id, 0 for the root
 * @removed_ns: CLOCK_BOOTTIME when the cgroup was removed, 0 if it is not
 * @c: the sums
 * @has_gone: @gone is valid (a descendant was removed)
 * @gone: the removed descendants' final counts, summed
 * @ksm: KSM gauges of a cgroup as of the last KSM walk
 * @has_damon: @damon is valid (something was ever bound)
 * @damon: the cgroup's last complete DAMON aggregation
 */
struct mt_snapshot {
	u64 id;
	u64 parent_id;
	u64 removed_ns;
	struct mt_counters c;
	bool has_gone;
	struct mt_counters gone;
	u64 ksm[MT_NR_KSM];
	bool has_damon;
	struct mt_damon_stats damon;
};

/* store.c */
int mt_store_init(void);
void mt_store_exit(void);
void mt_store_sync(void);
void mt_store_kick(void);
void mt_count_task(struct task_struct *task, enum mt_counter c, u64 n);
void mt_count_mm(struct mm_struct *mm, enum mt_counter c, u64 n);
void mt_count_reclaim(enum mt_counter c, u64 n, int nid);
void mt_count_node(enum mt_counter c, u64 n, int nid);
void mt_count_stall(unsigned int kind, u64 ns, u64 reclaimed);

/* Count for the current task's cgroup; see mt_count_task() */
static inline void mt_count_current(enum mt_counter c, u64 n)
{
	mt_count_task(current, c, n);
}

/*
 * Count @n (if any) for whoever does the work: the current task's cgroup,
 * or for a kernel thread (kcompactd, khugepaged, kdamond, a kworker) the
 * row of the node whose CPU it runs on
 */
static inline void mt_count_worker(enum mt_counter c, u64 n)
{
	if (!n)
		return;
	if (current->flags & PF_KTHREAD)
		mt_count_node(c, n, numa_node_id());
	else
		mt_count_current(c, n);
}

bool mt_store_find(u64 *id, struct mt_snapshot *snap);
bool mt_store_get(u64 id, struct mt_snapshot *snap);

/**
 * struct mt_dump - what a cgroup-get dump lists
 * @below: only this cgroup and its descendants; 0: every cgroup
 * @since: only what changed since this generation; 0: everything
 * @gen: the dump's own generation, for the reader's next @since
 * @removed: removed cgroups (tombstones) too
 * @ids: with @since, the ids of the cgroups to send, in order
 * @nr: how many
 * @pos: the first not yet sent
 */
struct mt_dump {
	u64 below;
	u64 since;
	u64 gen;
	bool removed;
	u64 *ids;
	u32 nr;
	u32 pos;
};

int mt_store_dump_begin(struct mt_dump *d);
int mt_store_dump_next(u64 *id, struct mt_snapshot *snap, struct mt_dump *d);
void mt_store_dump_end(struct mt_dump *d);
void mt_store_refresh(void);
bool mt_store_find_node(int *nid, struct mt_snapshot *snap);
unsigned int mt_store_nr_cgroups(void);
unsigned int mt_store_changes(void);
u64 mt_store_unattributed(void);
void mt_store_ksm_add(u64 id, const u64 *v);
void mt_store_ksm_publish(void);
struct mt_damon_cg *mt_store_damon(u64 id);
void mt_store_damon_for_each(void (*fn)(struct mt_damon_cg *cg, void *arg),
			     void *arg);
/**
 * struct mt_damon_cgs - fresh DAMON numbers for the cgroups, made before a
 *	binding changes (store.c)
 * @nr: in @cg
 * @ring: working set samples each keeps
 * @cg: the numbers
 */
struct mt_damon_cgs {
	u32 nr, ring;
	struct mt_damon_cg *cg[];
};

struct mt_damon_cgs *mt_store_damon_alloc(u32 ring);
void mt_store_damon_free(struct mt_damon_cgs *set);
void mt_store_damon_install(struct mt_damon_cgs *set);
u32 mt_store_damon_ring(void);
int mt_store_damon_samples(u64 *id, struct mt_wss_sample *buf, u32 max);

/* damon.c: DAMON aggregations of one bound kdamond, per cgroup */
#define MT_DAMON_MAX_TARGETS	MEMTALLY_DAMON_MAX_TARGETS

/**
 * struct mt_damon_req - a damon-bind request
 * @kdamond: pid of the kdamond thread
 * @ops: enum memtally_damon_ops
 * @sample_us: sampling interval of its context
 * @aggr_us: aggregation interval
 * @wss_ring: working set samples per cgroup
 * @region_ring: region snapshots
 * @nr_targets: vaddr targets in @targets
 * @targets: their pids, in the context's target order
 */
struct mt_damon_req {
	pid_t kdamond;
	u32 ops, sample_us, aggr_us, wss_ring, region_ring;
	u32 nr_targets;
	pid_t targets[MT_DAMON_MAX_TARGETS];
};

/**
 * struct mt_damon_info - a damon-get reply
 * @kdamond: pid of the bound kdamond, 0 for none
 * @ops: as bound
 * @sample_us: as bound
 * @aggr_us: as bound
 * @wss_ring: as bound
 * @region_ring: as bound
 * @nr_targets: as bound
 * @targets: as bound
 * @aggregations: complete aggregations since the binding
 * @updated_ns: CLOCK_BOOTTIME of the last one
 * @total_bytes: bytes of its regions
 * @unattr_bytes: bytes of it that went to no cgroup
 * @probe_ns: time in the probe
 * @hot_rate: hot threshold, accesses per second
 * @cold_rate: cold threshold
 * @stale: enum memtally_damon_stale, 0 while the binding attributes
 */
struct mt_damon_info {
	pid_t kdamond;
	u32 ops, sample_us, aggr_us, wss_ring, region_ring;
	u32 nr_targets;
	pid_t targets[MT_DAMON_MAX_TARGETS];
	u64 aggregations, updated_ns, total_bytes, unattr_bytes, probe_ns;
	u32 hot_rate, cold_rate;
	u32 stale;
};

struct netlink_ext_ack;
struct mt_damon_cg *mt_damon_cg_alloc(u32 ring);
void mt_damon_cg_free(struct mt_damon_cg *cg);
void mt_damon_cg_free_rcu(struct mt_damon_cg *cg);
void mt_damon_cg_start(struct mt_damon_cg *cg);
void mt_damon_cg_read(struct mt_damon_cg *cg, struct mt_damon_stats *st);
bool mt_damon_cg_changed(struct mt_damon_cg *cg, u64 *seen);
u64 mt_damon_pub_count(void);
u32 mt_damon_cg_samples(struct mt_damon_cg *cg, struct mt_wss_sample *buf,
			u32 max);
void mt_damon_task_exit(struct task_struct *p);
int mt_damon_bind(const struct mt_damon_req *req,
		  struct netlink_ext_ack *extack);
int mt_damon_unbind(struct netlink_ext_ack *extack);
void mt_damon_info(struct mt_damon_info *info);
int mt_damon_set_rates(const u32 *hot, const u32 *cold);
void mt_damon_rates(u32 *hot, u32 *cold);
int mt_damon_regions(u64 *gen, u64 *pos, u64 *end,
		     struct mt_region_snap *buf, u32 max);
void mt_damon_exit(void);

/* ksm.c: KSM per cgroup, from a walk of all processes */
void mt_ksm_refresh(u64 max_age_ns);
u64 mt_ksm_read(u64 *sums);
bool mt_ksm_full_scans(u64 *n);
void mt_ksm_full_scan_done(void);

/*
 * pair.c: begin/end pairing per task, for reclaim, compaction and slab
 * shrink times
 */
enum mt_pair_kind {
	MT_PAIR_DIRECT = MEMTALLY_RECLAIM_KIND_DIRECT,
	MT_PAIR_MEMCG = MEMTALLY_RECLAIM_KIND_MEMCG,
	MT_PAIR_SOFTLIMIT = MEMTALLY_RECLAIM_KIND_SOFTLIMIT,
	MT_PAIR_AGENT = MEMTALLY_RECLAIM_KIND_AGENT,
	MT_PAIR_COMPACT = MEMTALLY_RECLAIM_KIND_COMPACT,
	MT_PAIR_SLAB,
	MT_NR_PAIR_KINDS
};

void mt_pair_begin(enum mt_pair_kind kind);
bool mt_pair_open(enum mt_pair_kind kind);
bool mt_pair_end(enum mt_pair_kind kind, u64 *ns);
void mt_pair_forget(struct task_struct *task);
u64 mt_pair_unpaired(void);

/* events.c: OOM kills and long reclaim stalls, multicast from a work */

/**
 * struct mt_event - an event on its way from a probe to the "events" group
 * @cmd: MEMTALLY_CMD_OOM_KILL_NTF or MEMTALLY_CMD_RECLAIM_STALL_NTF
 * @kind: enum memtally_reclaim_kind of a stall
 * @pid: task's process id (tgid) in the initial pid namespace
 * @uid: task's uid in the initial user namespace
 * @cgroup_id: task's cgroup v2 id
 * @ts: CLOCK_REALTIME, ns
 * @anon_rss: OOM victim's anonymous RSS, bytes
 * @file_rss: OOM victim's file RSS, bytes
 * @shmem_rss: OOM victim's shmem RSS, bytes
 * @stall_ns: stall length
 * @reclaimed: pages the stalled reclaim freed
 * @comm: task's command name
 */
struct mt_event {
	u8 cmd;
	u8 kind;
	u32 pid;
	u32 uid;
	u64 cgroup_id;
	u64 ts;
	u64 anon_rss;
	u64 file_rss;
	u64 shmem_rss;
	u64 stall_ns;
	u64 reclaimed;
	char comm[TASK_COMM_LEN];
};

int mt_events_init(void);
void mt_events_exit(void);
void mt_event_post(const struct mt_event *ev);
void mt_event_stall(unsigned int kind, u64 ns, u64 reclaimed);
void mt_event_dropped(void);
u64 mt_events_dropped(void);
u64 mt_stall_threshold_us(void);
void mt_set_stall_threshold_us(u64 us);

/* hooks.c */

/**
 * struct mt_hook - one probe on one kernel tracepoint
 * @name: hook name shown to users
 * @tp_name: name of the tracepoint
 * @probe: probe function, NULL when this kernel's headers lack the tracepoint
 * @tp: the tracepoint, once found
 * @state: enum memtally_hook_state
 * @err: negative errno when @state is MEMTALLY_HOOK_STATE_FAILED
 * @end: for a begin hook, the name of its end hook, which must be attached
 */
struct mt_hook {
	const char *name;
	const char *tp_name;
	void *probe;
	struct tracepoint *tp;
	int state;
	int err;
	const char *end;
};

/**
 * struct mt_hook_set - the hooks one file owns, in attach order
 * @hooks: its rows of the hook table
 * @nr: how many
 */
struct mt_hook_set {
	struct mt_hook *hooks;
	unsigned int nr;
};

#define MT_HOOK(_name, _tp, _probe)					\
	{ .name = (_name), .tp_name = (_tp), .probe = (_probe),		\
	  .state = MEMTALLY_HOOK_STATE_UNAVAILABLE }

/* a begin hook, attached only after (and only if) its end hook is */
#define MT_BEGIN(_name, _tp, _probe, _end)				\
	{ .name = (_name), .tp_name = (_tp), .probe = (_probe),		\
	  .state = MEMTALLY_HOOK_STATE_UNAVAILABLE, .end = (_end) }

/* the hook set @set of a file: its rows, the static array @rows */
#define MT_HOOK_SET(set, rows)						\
	const struct mt_hook_set set = {				\
		.hooks = (rows),					\
		.nr = sizeof(rows) / sizeof((rows)[0]),			\
	}

/* each file's hooks (hooks.c lists them in the order they attach) */
extern const struct mt_hook_set mt_store_hooks;		/* store.c */
extern const struct mt_hook_set mt_fault_hooks;		/* hook_fault.c */
extern const struct mt_hook_set mt_pair_hooks;		/* pair.c */
extern const struct mt_hook_set mt_reclaim_hooks;	/* hook_reclaim.c */
extern const struct mt_hook_set mt_events_hooks;	/* events.c */
extern const struct mt_hook_set mt_ksm_hooks;		/* hook_ksm.c */
extern const struct mt_hook_set mt_migrate_hooks;	/* hook_migrate.c */
extern const struct mt_hook_set mt_compact_hooks;	/* hook_compact.c */
extern const struct mt_hook_set mt_thp_hooks;		/* hook_thp.c */
extern const struct mt_hook_set mt_damon_hooks;		/* damon.c */

int mt_hooks_attach(void);
void mt_hooks_detach(void);
unsigned int mt_hooks_count(void);
bool mt_hook_attached(const char *name);
const struct mt_hook *mt_hook_get(unsigned int i);

/*
 * MT_PROBE_CHECK(tp, fn) - fail the build unless @fn has the prototype the
 * running kernel's <trace/events/...> header declares for tracepoint @tp.
 * Probes are registered by name at run time, where nothing checks them.
 *
 * The context of a probe: up to 6.x a tracepoint calls its probes with
 * preemption off (an RCU read-side section); 7.x calls them under
 * SRCU-fast, preemptible (Debian's 7.3: PREEMPT_LAZY, PREEMPT_RCU).  So no
 * probe relies on the tracepoint for either: what needs preemption off
 * (a per-CPU queue, a seqcount writer, the lookup in mt_count_task()) or an
 * RCU read side takes it itself, and per-CPU counters are this_cpu_*()
 * operations, safe in any context.
 */
#define MT_PROBE_CHECK(tp, fn)						\
	static_assert(__same_type(check_trace_callback_type_##tp,	\
				  void (typeof(fn) *)))

/* genl.c */
struct sk_buff;
struct genl_info;
struct netlink_callback;
int mt_genl_init(void);
void mt_genl_exit(void);
int mt_genl_may_read(const struct sk_buff *skb, struct netlink_ext_ack *extack);
int mt_genl_may_write(const struct sk_buff *skb,
		      struct netlink_ext_ack *extack);
void *mt_genl_put_hdr(struct sk_buff *msg, u32 portid, u32 seq, int flags,
		      u8 cmd);

/* genl_damon.c: the DAMON operations */
int memtally_nl_damon_bind_doit(struct sk_buff *skb, struct genl_info *info);
int memtally_nl_damon_unbind_doit(struct sk_buff *skb, struct genl_info *info);
int memtally_nl_damon_get_doit(struct sk_buff *skb, struct genl_info *info);
int memtally_nl_damon_wss_get_doit(struct sk_buff *skb, struct genl_info *info);
int memtally_nl_damon_wss_get_start(struct netlink_callback *cb);
int memtally_nl_damon_wss_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int memtally_nl_damon_regions_get_start(struct netlink_callback *cb);
int memtally_nl_damon_regions_get_dumpit(struct sk_buff *skb,
					 struct netlink_callback *cb);
bool mt_genl_has_listeners(void);
void mt_genl_event(const struct mt_event *ev);

/* debugfs.c */
void mt_debugfs_init(void);
void mt_debugfs_exit(void);

#endif /* _MEMTALLY_H */
