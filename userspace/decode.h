/* SPDX-License-Identifier: GPL-2.0 */
/* memtally: the replies of the memtally family, decoded. */
#ifndef MT_DECODE_H
#define MT_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/memtally.h>

struct nlattr;

struct mt_hook {
	char *name;
	char *tracepoint;
	uint32_t state;		/* enum memtally_hook_state */
	uint32_t err;		/* positive errno, when state is failed */
};

struct mt_status {
	char *version;
	char *kernel_release;
	uint64_t nr_cgroups;
	uint64_t unattributed;
	struct mt_hook *hooks;
	size_t nr_hooks;
	/* 0 when an older module does not send them */
	uint64_t stall_threshold_us;	/* 0: no stall events */
	uint64_t events_dropped;
	uint64_t reclaim_unpaired;
	/* agent reclaim is told from memcg stalls (7.x tracepoints) */
	bool reclaim_names_memcg;
};

/* A counter of a cgroup reply: its attribute and its names in the output. */
struct mt_counter_col {
	int attr;		/* MEMTALLY_A_CGROUP_* */
	const char *json;	/* JSON key */
	const char *header;	/* table column header */
	const char *sort;	/* --sort key */
	bool brief;		/* in the table without --all */
	unsigned char type;	/* enum mt_counter_type */
	bool node;		/* in node rows too (kswapd's reclaim work) */
	const char *help;	/* one line, for Prometheus' HELP */
};

/*
 * What a counter measures, for Prometheus: a counter only grows while its
 * row exists; a gauge goes up and down.
 */
enum mt_counter_type {
	MT_CUMULATIVE,		/* a counter: memtally_<json>_total */
	MT_GAUGE,		/* a gauge: memtally_<json> */
	MT_DAMON_GAUGE,		/* a gauge that means something while bound */
};

/* Indices of mt_cgroup_counters[], for the code that needs one counter */
enum mt_counter {
	MT_CTR_FAULTS_USER,
	MT_CTR_FAULTS_KERNEL,
	MT_CTR_DIRECT_STALLS,
	MT_CTR_DIRECT_STALL_NS,
	MT_CTR_DIRECT_RECLAIMED,
	MT_CTR_MEMCG_STALLS,
	MT_CTR_MEMCG_STALL_NS,
	MT_CTR_MEMCG_RECLAIMED,
	MT_CTR_SOFTLIMIT_STALLS,
	MT_CTR_SOFTLIMIT_STALL_NS,
	MT_CTR_SOFTLIMIT_RECLAIMED,
	MT_CTR_AGENT_STALLS,
	MT_CTR_AGENT_STALL_NS,
	MT_CTR_AGENT_RECLAIMED,
	MT_CTR_PGSCAN,
	MT_CTR_PGSTEAL,
	MT_CTR_PGDEACTIVATE,
	MT_CTR_PGWRITEBACK,
	MT_CTR_THROTTLED,
	MT_CTR_THROTTLED_US,
	MT_CTR_SLAB_SHRINKS,
	MT_CTR_SLAB_SHRINK_NS,
	MT_CTR_KSWAPD_WAKEUPS,
	MT_CTR_KSWAPD_WAKES,
	MT_CTR_OOM_KILLS,
	MT_CTR_KSM_MERGING_PAGES,
	MT_CTR_KSM_RMAP_ITEMS,
	MT_CTR_KSM_ZERO_PAGES,
	MT_CTR_KSM_MERGE_ATTEMPTS,
	MT_CTR_KSM_MERGES,
	MT_CTR_KSM_MERGE_FAILURES,
	MT_CTR_KSM_ENTERS,
	MT_CTR_KSM_EXITS,
	MT_CTR_DAMON_WSS,
	MT_CTR_DAMON_HOT,
	MT_CTR_DAMON_WARM,
	MT_CTR_DAMON_COLD,
	MT_NR_CGROUP_COUNTERS
};

/* The row of MEMTALLY_A_CGROUP_<NAME>: its header is NAME */
#define MT_COL(NAME, json, sort, brief, type, node, help)		\
	[MT_CTR_##NAME] = { MEMTALLY_A_CGROUP_##NAME, json, #NAME, sort, \
			    brief, type, node, help }
#define MT_COUNTER(NAME, json, sort, brief, help) \
	MT_COL(NAME, json, sort, brief, MT_CUMULATIVE, false, help)
#define MT_NODE_COUNTER(NAME, json, sort, brief, help) \
	MT_COL(NAME, json, sort, brief, MT_CUMULATIVE, true, help)
#define MT_GAUGE(NAME, json, sort, type, help) \
	MT_COL(NAME, json, sort, false, type, false, help)

/*
 * The counters of a cgroup, in output order: decoding, the table and JSON
 * columns, sorting, the help and the Prometheus metrics (prom.c) follow
 * this table, so a new counter is a new row and its index (and its
 * attribute in the spec).
 */
static const struct mt_counter_col mt_cgroup_counters[] = {
	MT_COUNTER(FAULTS_USER, "faults_user", "faults-user", true,
		   "Page faults taken in user mode by the cgroup's tasks"),
	MT_COUNTER(FAULTS_KERNEL, "faults_kernel", "faults-kernel", true,
		   "Page faults taken in kernel mode for the cgroup's tasks"),
	MT_COUNTER(DIRECT_STALLS, "direct_stalls", "direct-stalls", true,
		   "Direct reclaim runs (stalls) of the cgroup's tasks"),
	MT_COUNTER(DIRECT_STALL_NS, "direct_stall_ns", "direct-stall-ns",
		   false, "Time the cgroup's tasks stalled in direct reclaim"),
	MT_COUNTER(DIRECT_RECLAIMED, "direct_reclaimed", "direct-reclaimed",
		   false, "Pages direct reclaim runs of the cgroup reclaimed"),
	MT_COUNTER(MEMCG_STALLS, "memcg_stalls", "memcg-stalls", true,
		   "Memory cgroup reclaim runs (stalls) of the cgroup's tasks"),
	MT_COUNTER(MEMCG_STALL_NS, "memcg_stall_ns", "memcg-stall-ns", false,
		   "Time the cgroup's tasks stalled in memory cgroup reclaim"),
	MT_COUNTER(MEMCG_RECLAIMED, "memcg_reclaimed", "memcg-reclaimed",
		   false, "Pages memcg reclaim runs of the cgroup reclaimed"),
	MT_COUNTER(SOFTLIMIT_STALLS, "softlimit_stalls", "softlimit-stalls",
		   false, "Soft limit reclaim runs (stalls) of the cgroup"),
	MT_COUNTER(SOFTLIMIT_STALL_NS, "softlimit_stall_ns",
		   "softlimit-stall-ns", false,
		   "Time the cgroup's tasks stalled in soft limit reclaim"),
	MT_COUNTER(SOFTLIMIT_RECLAIMED, "softlimit_reclaimed",
		   "softlimit-reclaimed", false,
		   "Pages soft limit reclaim runs of the cgroup reclaimed"),
	MT_COUNTER(AGENT_STALLS, "agent_stalls", "agent-stalls", false,
		   "Memcg reclaim runs the cgroup's tasks did of other cgroups"),
	MT_COUNTER(AGENT_STALL_NS, "agent_stall_ns", "agent-stall-ns", false,
		   "Time the cgroup's tasks spent reclaiming other cgroups"),
	MT_COUNTER(AGENT_RECLAIMED, "agent_reclaimed", "agent-reclaimed",
		   false, "Pages the cgroup's tasks reclaimed of other cgroups"),
	MT_NODE_COUNTER(PGSCAN, "pgscan", "pgscan", false,
			"Pages scanned on inactive LRU lists by reclaim"),
	MT_NODE_COUNTER(PGSTEAL, "pgsteal", "pgsteal", true,
			"Pages reclaimed from inactive LRU lists by reclaim"),
	MT_NODE_COUNTER(PGDEACTIVATE, "pgdeactivate", "pgdeactivate", false,
			"Pages moved from active to inactive LRU lists"),
	MT_NODE_COUNTER(PGWRITEBACK, "pgwriteback", "pgwriteback", false,
			"Pages reclaim wrote back itself"),
	MT_NODE_COUNTER(THROTTLED, "throttled", "throttled", false,
			"Times reclaim was throttled"),
	MT_NODE_COUNTER(THROTTLED_US, "throttled_us", "throttled-us", false,
			"Time reclaim was throttled"),
	MT_NODE_COUNTER(SLAB_SHRINKS, "slab_shrinks", "slab-shrinks", false,
			"Slab shrinker calls made by reclaim"),
	MT_NODE_COUNTER(SLAB_SHRINK_NS, "slab_shrink_ns", "slab-shrink-ns",
			false, "Time reclaim spent in slab shrinkers"),
	MT_NODE_COUNTER(KSWAPD_WAKEUPS, "kswapd_wakeups", "kswapd-wakeups",
			false, "Allocations that asked kswapd to wake up"),
	MT_NODE_COUNTER(KSWAPD_WAKES, "kswapd_wakes", "kswapd-wakes", false,
			"Times kswapd woke up to balance the node"),
	MT_COUNTER(OOM_KILLS, "oom_kills", "oom-kills", true,
		   "Tasks of the cgroup the OOM killer chose as victims"),
	/* gauges as of the last KSM walk (see struct mt_ksm) */
	MT_GAUGE(KSM_MERGING_PAGES, "ksm_merging_pages", "ksm-merging-pages",
		 MT_GAUGE, "KSM-merged pages of the cgroup's address spaces"),
	MT_GAUGE(KSM_RMAP_ITEMS, "ksm_rmap_items", "ksm-rmap-items", MT_GAUGE,
		 "KSM rmap items of the cgroup's address spaces"),
	MT_GAUGE(KSM_ZERO_PAGES, "ksm_zero_pages", "ksm-zero-pages", MT_GAUGE,
		 "Pages of the cgroup KSM merged with the zero page"),
	/* counters of the KSM tracepoints */
	MT_COUNTER(KSM_MERGE_ATTEMPTS, "ksm_merge_attempts",
		   "ksm-merge-attempts", false,
		   "Merges into a KSM page that ksmd tried for the cgroup"),
	MT_COUNTER(KSM_MERGES, "ksm_merges", "ksm-merges", false,
		   "Merges into a KSM page that ksmd made for the cgroup"),
	MT_COUNTER(KSM_MERGE_FAILURES, "ksm_merge_failures",
		   "ksm-merge-failures", false,
		   "Merges into a KSM page that failed for the cgroup"),
	MT_COUNTER(KSM_ENTERS, "ksm_enters", "ksm-enters", false,
		   "Address spaces of the cgroup that became KSM-mergeable"),
	MT_COUNTER(KSM_EXITS, "ksm_exits", "ksm-exits", false,
		   "KSM-mergeable address spaces of the cgroup torn down"),
	/* bytes, as of the last complete DAMON aggregation */
	MT_GAUGE(DAMON_WSS, "damon_wss", "damon-wss", MT_DAMON_GAUGE,
		 "Bytes of the cgroup DAMON saw accessed (working set)"),
	MT_GAUGE(DAMON_HOT, "damon_hot", "damon-hot", MT_DAMON_GAUGE,
		 "Bytes of the cgroup DAMON saw accessed above the hot rate"),
	MT_GAUGE(DAMON_WARM, "damon_warm", "damon-warm", MT_DAMON_GAUGE,
		 "Bytes of the cgroup DAMON saw accessed at warm rates"),
	MT_GAUGE(DAMON_COLD, "damon_cold", "damon-cold", MT_DAMON_GAUGE,
		 "Bytes of the cgroup DAMON saw accessed below the cold rate"),
};

_Static_assert(sizeof(mt_cgroup_counters) / sizeof(mt_cgroup_counters[0]) ==
	       MT_NR_CGROUP_COUNTERS, "a row for every enum mt_counter");

/* A kind of reclaim (enum memtally_reclaim_kind): its counters, histogram */
struct mt_stall_kind {
	const char *name;	/* --kind, events */
	enum mt_counter stalls, stall_ns, reclaimed;
	int hist;		/* MEMTALLY_A_CGROUP_*_STALL_HIST */
	const char *hist_json;	/* JSON key of the histogram */
};

#define MT_STALL_KIND(NAME, name)					\
	[MEMTALLY_RECLAIM_KIND_##NAME] = { name,			\
		MT_CTR_##NAME##_STALLS, MT_CTR_##NAME##_STALL_NS,	\
		MT_CTR_##NAME##_RECLAIMED,				\
		MEMTALLY_A_CGROUP_##NAME##_STALL_HIST, name "_stall_hist" }

static const struct mt_stall_kind mt_stall_kinds[] = {
	MT_STALL_KIND(DIRECT, "direct"),
	MT_STALL_KIND(MEMCG, "memcg"),
	MT_STALL_KIND(SOFTLIMIT, "softlimit"),
	MT_STALL_KIND(AGENT, "agent"),
};

#define MT_NR_STALL_KINDS (sizeof(mt_stall_kinds) / sizeof(mt_stall_kinds[0]))

/* Counters and stall histograms summed over several cgroups */
struct mt_sums {
	uint64_t counters[MT_NR_CGROUP_COUNTERS];	/* as mt_cgroup_counters[] */
	uint64_t hist[MT_NR_STALL_KINDS][MEMTALLY_HIST_BUCKETS];
};

/*
 * A row of counters: a cgroup, or a NUMA node of a node-get reply (then id
 * is the node).  Counters and histograms a reply lacks (an older module,
 * or a node row) are 0.
 */
struct mt_cgroup {
	uint64_t id;
	uint64_t parent_id;	/* 0: the root, or a module without parent-id */
	uint64_t removed_ns;	/* a tombstone: when it was removed; else 0 */
	/* removed-descendants, when has_gone; gauges stay 0 */
	bool has_gone;
	struct mt_sums gone;
	/* hierarchical values, when the caller computed them; else NULL */
	const struct mt_sums *rec;
	uint64_t counters[MT_NR_CGROUP_COUNTERS];	/* as mt_cgroup_counters[] */
	const char *path;	/* filled in by the caller; NULL if unknown */
	/* stall latency histograms by enum memtally_reclaim_kind */
	uint64_t hist[MT_NR_STALL_KINDS][MEMTALLY_HIST_BUCKETS];
	/* bytes of the last DAMON aggregation by idle age (damon-age-hist) */
	uint64_t damon_age[MEMTALLY_DAMON_AGE_BUCKETS];
};

/* An oom-kill-ntf or reclaim-stall-ntf notification */
struct mt_event {
	uint8_t cmd;		/* MEMTALLY_CMD_*_NTF */
	uint64_t timestamp_ns;	/* CLOCK_REALTIME */
	uint32_t pid;
	const char *comm;	/* points into the message */
	uint64_t cgroup_id;
	const char *path;	/* filled in by the caller; NULL if unknown */
	/* oom-kill */
	bool has_uid;
	uint32_t uid;
	uint64_t anon_rss, file_rss, shmem_rss;		/* bytes */
	/* reclaim-stall */
	uint32_t reclaim_kind;	/* enum memtally_reclaim_kind */
	uint64_t stall_ns;
	uint64_t reclaimed;
};

/* A ksm-get reply */
struct mt_ksm {
	uint64_t updated_ns;	/* CLOCK_BOOTTIME of the walk */
	uint64_t merging_pages;
	uint64_t rmap_items;
	uint64_t zero_pages;
	bool has_full_scans;	/* kernels with the KSM tracepoints */
	uint64_t full_scans;
};

int mt_attr_uint(const struct nlattr *a, uint64_t *v);
int mt_attr_u32(const struct nlattr *a, uint32_t *v);
int mt_need_uint(const struct nlattr *a, uint64_t *v);
int mt_need_u32(const struct nlattr *a, uint32_t *v);
int mt_may_uint(const struct nlattr *a, uint64_t *v);
int mt_may_u32(const struct nlattr *a, uint32_t *v);
int mt_status_decode(struct nlattr *attrs, int len, struct mt_status *st);
void mt_status_free(struct mt_status *st);
int mt_cgroup_decode(struct nlattr *attrs, int len, struct mt_cgroup *cg);
int mt_node_decode(struct nlattr *attrs, int len, struct mt_cgroup *row);
int mt_ksm_decode(struct nlattr *attrs, int len, struct mt_ksm *k);
int mt_event_decode(uint8_t cmd, struct nlattr *attrs, int len,
		    struct mt_event *ev);

#endif
