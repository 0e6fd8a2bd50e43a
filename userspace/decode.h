/* SPDX-License-Identifier: GPL-2.0 */
/* memtally: the replies of the memtally family, decoded. */
#ifndef MT_DECODE_H
#define MT_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/memtally.h>

struct nlattr;
struct mt_memstat;

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

/* enum mt_counter and mt_cgroup_counters[], generated from the spec */
#include "counters-gen.h"

_Static_assert(sizeof(mt_cgroup_counters) / sizeof(mt_cgroup_counters[0]) ==
	       MT_NR_CGROUP_COUNTERS, "a row for every enum mt_counter");

/*
 * A kind of stall (enum memtally_reclaim_kind): its counters, histogram;
 * the pages a stall of the kind freed (reclaim) or moved (compaction)
 */
struct mt_stall_kind {
	const char *name;	/* --kind, events */
	const char *what;	/* in words: "direct reclaim" */
	enum mt_counter stalls, stall_ns, pages;
	const char *pages_key;	/* "reclaimed" or "migrated": text, JSON */
	int hist;		/* MEMTALLY_A_CGROUP_*_STALL_HIST */
	const char *hist_json;	/* JSON key of the histogram */
};

#define MT_STALL_KIND(NAME, name, what)					\
	[MEMTALLY_RECLAIM_KIND_##NAME] = { name, what,			\
		MT_CTR_##NAME##_STALLS, MT_CTR_##NAME##_STALL_NS,	\
		MT_CTR_##NAME##_RECLAIMED, "reclaimed",			\
		MEMTALLY_A_CGROUP_##NAME##_STALL_HIST, name "_stall_hist" }

static const struct mt_stall_kind mt_stall_kinds[] = {
	MT_STALL_KIND(DIRECT, "direct", "direct reclaim"),
	MT_STALL_KIND(MEMCG, "memcg", "memcg reclaim"),
	MT_STALL_KIND(SOFTLIMIT, "softlimit", "softlimit reclaim"),
	MT_STALL_KIND(AGENT, "agent", "agent reclaim"),
	[MEMTALLY_RECLAIM_KIND_COMPACT] = { "compact", "zone compaction",
		MT_CTR_COMPACT_STALLS, MT_CTR_COMPACT_STALL_NS,
		MT_CTR_COMPACT_MIGRATED, "migrated",
		MEMTALLY_A_CGROUP_COMPACT_STALL_HIST, "compact_stall_hist" },
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
	/* its memory.stat, when the caller read it for every row; else NULL */
	const struct mt_memstat *ms;
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
