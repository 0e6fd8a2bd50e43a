/* SPDX-License-Identifier: GPL-2.0 */
/* memtally: the DAMON operations of the memtally family. */
#ifndef MT_DAMONNL_H
#define MT_DAMONNL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/memtally.h>

struct mt_nl;

/* A damon-bind request, and the binding a damon-get reply describes */
struct mt_damon_binding {
	bool bound;		/* damon-get: a kdamond is bound */
	uint32_t kdamond_pid;
	uint32_t ops;		/* enum memtally_damon_ops */
	uint32_t sample_us, aggr_us;
	uint32_t *target_pids;	/* vaddr, in the context's target order */
	size_t nr_targets;
	uint32_t wss_ring;	/* 0 in a request: the module's default */
	uint32_t region_ring;	/* 0 in a request: the module's default */
};

/* A damon-get reply */
struct mt_damon_info {
	struct mt_damon_binding b;
	uint64_t aggregations;
	uint64_t updated_ns;	/* CLOCK_BOOTTIME */
	uint64_t total_bytes;
	uint64_t unattributed_bytes;
	uint64_t probe_ns;
	uint32_t hot_rate, cold_rate;	/* accesses per second */
	uint32_t stale;		/* enum memtally_damon_stale, 0: attributing */
};

/* Why a binding is stale, in words; NULL for 0 (it is not) */
const char *mt_damon_stale_why(uint32_t stale);

/* One working set sample of a cgroup */
struct mt_wss_sample {
	uint64_t time_ns;	/* CLOCK_BOOTTIME */
	uint64_t bytes;
};

/* The working set samples of one cgroup (damon-wss-get) */
struct mt_wss {
	uint64_t id;
	struct mt_wss_sample *v;	/* oldest first */
	size_t nr;
	bool truncated;		/* only the newest samples of the cgroup's */
};

struct mt_wss_list {
	struct mt_wss *v;
	size_t nr, cap;
};

/* One region snapshot of the ring (damon-regions-get) */
struct mt_region {
	uint64_t seq;
	uint64_t time_ns;	/* CLOCK_BOOTTIME */
	uint64_t start, end;
	uint32_t nr_accesses;
	uint64_t age_ms;
	uint64_t cgroup_id;	/* 0: none */
	uint32_t target;
};

struct mt_regions {
	struct mt_region *v;
	size_t nr, cap;
};

/*
 * All return 0 or a negative errno (the kernel's reason in nl->why), like
 * the other mt_nl_* calls.
 */
int mt_nl_damon_bind(struct mt_nl *nl, const struct mt_damon_binding *b);
int mt_nl_damon_unbind(struct mt_nl *nl);
int mt_nl_damon_get(struct mt_nl *nl, struct mt_damon_info *info);
int mt_nl_damon_thresholds(struct mt_nl *nl, uint32_t hot_rate,
			   uint32_t cold_rate);
/* @id NULL: every cgroup (dump) */
int mt_nl_damon_wss(struct mt_nl *nl, const uint64_t *id,
		    struct mt_wss_list *l);
int mt_nl_damon_regions(struct mt_nl *nl, struct mt_regions *l);

void mt_damon_info_free(struct mt_damon_info *info);
void mt_wss_list_free(struct mt_wss_list *l);
void mt_regions_free(struct mt_regions *l);

/* The replies' decoders, for the calls above and the tests */
struct nlattr;
int mt_damon_info_decode(struct nlattr *attrs, int len,
			 struct mt_damon_info *info);
int mt_wss_decode(struct nlattr *attrs, int len, struct mt_wss *w);
int mt_region_decode(struct nlattr *attrs, int len, struct mt_region *r);

#endif
