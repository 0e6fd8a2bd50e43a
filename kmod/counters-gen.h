/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Do not edit: scripts/check-counters.py --update writes it from
 * Documentation/netlink/specs/memtally.yaml.
 */
#ifndef _MEMTALLY_COUNTERS_GEN_H
#define _MEMTALLY_COUNTERS_GEN_H

/*
 * The counters the store counts per cgroup (and per node, the
 * ones node-get carries): the spec's cgroup-counters set, in its
 * order.
 */
enum mt_counter {
	MT_FAULTS_USER,
	MT_FAULTS_KERNEL,
	MT_DIRECT_STALLS,
	MT_DIRECT_STALL_NS,
	MT_DIRECT_RECLAIMED,
	MT_MEMCG_STALLS,
	MT_MEMCG_STALL_NS,
	MT_MEMCG_RECLAIMED,
	MT_SOFTLIMIT_STALLS,
	MT_SOFTLIMIT_STALL_NS,
	MT_SOFTLIMIT_RECLAIMED,
	MT_AGENT_STALLS,
	MT_AGENT_STALL_NS,
	MT_AGENT_RECLAIMED,
	MT_PGSCAN,
	MT_PGSTEAL,
	MT_PGDEACTIVATE,
	MT_PGWRITEBACK,
	MT_THROTTLED,
	MT_THROTTLED_US,
	MT_SLAB_SHRINKS,
	MT_SLAB_SHRINK_NS,
	MT_KSWAPD_WAKEUPS,
	MT_KSWAPD_WAKES,
	MT_OOM_KILLS,
	MT_KSM_MERGE_ATTEMPTS,
	MT_KSM_MERGES,
	MT_KSM_MERGE_FAILURES,
	MT_KSM_ENTERS,
	MT_KSM_EXITS,
	MT_STALL_HIST_MISSED,
	MT_MIGRATED,
	MT_MIGRATE_FAILED,
	MT_THP_MIGRATED,
	MT_THP_MIGRATE_FAILED,
	MT_THP_SPLIT,
	MT_COMPACT_STALLS,
	MT_COMPACT_STALL_NS,
	MT_COMPACT_MIGRATED,
	MT_COMPACT_SUCCESS,
	MT_COMPACT_FAILED,
	MT_COMPACT_DEFERRED,
	MT_COMPACT_SKIPPED,
	MT_MIGRATED_COMPACTION,
	MT_MIGRATED_NUMA,
	MT_MIGRATED_POLICY,
	MT_MIGRATED_DEMOTION,
	MT_MIGRATED_OTHER,
	MT_THP_COLLAPSED,
	MT_THP_COLLAPSE_FAILED,
	MT_NR_COUNTERS
};

/* the rows of mt_counter_info[]: debugfs name, attribute, node */
#define MT_COUNTER_INFO_ROWS \
	[MT_FAULTS_USER] = { "faults_user", \
		MEMTALLY_A_CGROUP_FAULTS_USER, false }, \
	[MT_FAULTS_KERNEL] = { "faults_kernel", \
		MEMTALLY_A_CGROUP_FAULTS_KERNEL, false }, \
	[MT_DIRECT_STALLS] = { "direct_stalls", \
		MEMTALLY_A_CGROUP_DIRECT_STALLS, false }, \
	[MT_DIRECT_STALL_NS] = { "direct_stall_ns", \
		MEMTALLY_A_CGROUP_DIRECT_STALL_NS, false }, \
	[MT_DIRECT_RECLAIMED] = { "direct_reclaimed", \
		MEMTALLY_A_CGROUP_DIRECT_RECLAIMED, false }, \
	[MT_MEMCG_STALLS] = { "memcg_stalls", \
		MEMTALLY_A_CGROUP_MEMCG_STALLS, false }, \
	[MT_MEMCG_STALL_NS] = { "memcg_stall_ns", \
		MEMTALLY_A_CGROUP_MEMCG_STALL_NS, false }, \
	[MT_MEMCG_RECLAIMED] = { "memcg_reclaimed", \
		MEMTALLY_A_CGROUP_MEMCG_RECLAIMED, false }, \
	[MT_SOFTLIMIT_STALLS] = { "softlimit_stalls", \
		MEMTALLY_A_CGROUP_SOFTLIMIT_STALLS, false }, \
	[MT_SOFTLIMIT_STALL_NS] = { "softlimit_stall_ns", \
		MEMTALLY_A_CGROUP_SOFTLIMIT_STALL_NS, false }, \
	[MT_SOFTLIMIT_RECLAIMED] = { "softlimit_reclaimed", \
		MEMTALLY_A_CGROUP_SOFTLIMIT_RECLAIMED, false }, \
	[MT_AGENT_STALLS] = { "agent_stalls", \
		MEMTALLY_A_CGROUP_AGENT_STALLS, false }, \
	[MT_AGENT_STALL_NS] = { "agent_stall_ns", \
		MEMTALLY_A_CGROUP_AGENT_STALL_NS, false }, \
	[MT_AGENT_RECLAIMED] = { "agent_reclaimed", \
		MEMTALLY_A_CGROUP_AGENT_RECLAIMED, false }, \
	[MT_PGSCAN] = { "pgscan", \
		MEMTALLY_A_CGROUP_PGSCAN, true }, \
	[MT_PGSTEAL] = { "pgsteal", \
		MEMTALLY_A_CGROUP_PGSTEAL, true }, \
	[MT_PGDEACTIVATE] = { "pgdeactivate", \
		MEMTALLY_A_CGROUP_PGDEACTIVATE, true }, \
	[MT_PGWRITEBACK] = { "pgwriteback", \
		MEMTALLY_A_CGROUP_PGWRITEBACK, true }, \
	[MT_THROTTLED] = { "throttled", \
		MEMTALLY_A_CGROUP_THROTTLED, true }, \
	[MT_THROTTLED_US] = { "throttled_us", \
		MEMTALLY_A_CGROUP_THROTTLED_US, true }, \
	[MT_SLAB_SHRINKS] = { "slab_shrinks", \
		MEMTALLY_A_CGROUP_SLAB_SHRINKS, true }, \
	[MT_SLAB_SHRINK_NS] = { "slab_shrink_ns", \
		MEMTALLY_A_CGROUP_SLAB_SHRINK_NS, true }, \
	[MT_KSWAPD_WAKEUPS] = { "kswapd_wakeups", \
		MEMTALLY_A_CGROUP_KSWAPD_WAKEUPS, true }, \
	[MT_KSWAPD_WAKES] = { "kswapd_wakes", \
		MEMTALLY_A_CGROUP_KSWAPD_WAKES, true }, \
	[MT_OOM_KILLS] = { "oom_kills", \
		MEMTALLY_A_CGROUP_OOM_KILLS, false }, \
	[MT_KSM_MERGE_ATTEMPTS] = { "ksm_merge_attempts", \
		MEMTALLY_A_CGROUP_KSM_MERGE_ATTEMPTS, false }, \
	[MT_KSM_MERGES] = { "ksm_merges", \
		MEMTALLY_A_CGROUP_KSM_MERGES, false }, \
	[MT_KSM_MERGE_FAILURES] = { "ksm_merge_failures", \
		MEMTALLY_A_CGROUP_KSM_MERGE_FAILURES, false }, \
	[MT_KSM_ENTERS] = { "ksm_enters", \
		MEMTALLY_A_CGROUP_KSM_ENTERS, false }, \
	[MT_KSM_EXITS] = { "ksm_exits", \
		MEMTALLY_A_CGROUP_KSM_EXITS, false }, \
	[MT_STALL_HIST_MISSED] = { "stall_hist_missed", \
		MEMTALLY_A_CGROUP_STALL_HIST_MISSED, false }, \
	[MT_MIGRATED] = { "migrated", \
		MEMTALLY_A_CGROUP_MIGRATED, true }, \
	[MT_MIGRATE_FAILED] = { "migrate_failed", \
		MEMTALLY_A_CGROUP_MIGRATE_FAILED, true }, \
	[MT_THP_MIGRATED] = { "thp_migrated", \
		MEMTALLY_A_CGROUP_THP_MIGRATED, true }, \
	[MT_THP_MIGRATE_FAILED] = { "thp_migrate_failed", \
		MEMTALLY_A_CGROUP_THP_MIGRATE_FAILED, true }, \
	[MT_THP_SPLIT] = { "thp_split", \
		MEMTALLY_A_CGROUP_THP_SPLIT, true }, \
	[MT_COMPACT_STALLS] = { "compact_stalls", \
		MEMTALLY_A_CGROUP_COMPACT_STALLS, true }, \
	[MT_COMPACT_STALL_NS] = { "compact_stall_ns", \
		MEMTALLY_A_CGROUP_COMPACT_STALL_NS, true }, \
	[MT_COMPACT_MIGRATED] = { "compact_migrated", \
		MEMTALLY_A_CGROUP_COMPACT_MIGRATED, true }, \
	[MT_COMPACT_SUCCESS] = { "compact_success", \
		MEMTALLY_A_CGROUP_COMPACT_SUCCESS, false }, \
	[MT_COMPACT_FAILED] = { "compact_failed", \
		MEMTALLY_A_CGROUP_COMPACT_FAILED, false }, \
	[MT_COMPACT_DEFERRED] = { "compact_deferred", \
		MEMTALLY_A_CGROUP_COMPACT_DEFERRED, false }, \
	[MT_COMPACT_SKIPPED] = { "compact_skipped", \
		MEMTALLY_A_CGROUP_COMPACT_SKIPPED, false }, \
	[MT_MIGRATED_COMPACTION] = { "migrated_compaction", \
		MEMTALLY_A_CGROUP_MIGRATED_COMPACTION, true }, \
	[MT_MIGRATED_NUMA] = { "migrated_numa", \
		MEMTALLY_A_CGROUP_MIGRATED_NUMA, true }, \
	[MT_MIGRATED_POLICY] = { "migrated_policy", \
		MEMTALLY_A_CGROUP_MIGRATED_POLICY, true }, \
	[MT_MIGRATED_DEMOTION] = { "migrated_demotion", \
		MEMTALLY_A_CGROUP_MIGRATED_DEMOTION, true }, \
	[MT_MIGRATED_OTHER] = { "migrated_other", \
		MEMTALLY_A_CGROUP_MIGRATED_OTHER, true }, \
	[MT_THP_COLLAPSED] = { "thp_collapsed", \
		MEMTALLY_A_CGROUP_THP_COLLAPSED, false }, \
	[MT_THP_COLLAPSE_FAILED] = { "thp_collapse_failed", \
		MEMTALLY_A_CGROUP_THP_COLLAPSE_FAILED, false },

#endif /* _MEMTALLY_COUNTERS_GEN_H */
