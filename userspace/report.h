/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memtally report: what a snapshot (live or a file) says about the host's
 * memory, section by section, and the recommendations drawn from it.
 */
#ifndef MT_REPORT_H
#define MT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "decode.h"
#include "ksm.h"
#include "procfiles.h"
#include "toprows.h"

struct json_object;
struct mt_snap;

/* A cgroup below the snapshot's cgroup root, from its files and the module */
struct mt_rep_cgroup {
	char *path;			/* "/a/b"; "/" the root */
	char *psi_file;			/* its memory.pressure, absolute */
	bool has_psi;
	struct mt_psi psi;
	bool has_current;
	uint64_t current;		/* memory.current, bytes */
	bool has_stat;
	uint64_t pgfault, pgmajfault;	/* memory.stat */
	bool has_events;
	uint64_t oom_kill;		/* memory.events (with descendants) */
	uint64_t children_oom_kill;	/* of its children that have it */
	const struct mt_cgroup *row;	/* the module's row, or NULL */
};

/* A process, from /proc/PID/{status,cgroup,smaps_rollup} */
struct mt_rep_proc {
	int pid;
	char comm[64];
	char *cgroup;			/* NULL if unknown */
	bool has_pss;
	uint64_t pss, rss;		/* bytes */
};

/* What DAMON can tell, in the order of the checks */
enum mt_rep_damon {
	MT_REP_DAMON_NO_MODULE,		/* no module: nothing known */
	MT_REP_DAMON_UNSUPPORTED,	/* an older module without DAMON */
	MT_REP_DAMON_UNBUILT,		/* the kernel lacks CONFIG_DAMON */
	MT_REP_DAMON_UNBOUND,		/* no context bound to the module */
	MT_REP_DAMON_BOUND,
};

/* Everything a report shows; a has_ flag false: the data is unavailable */
struct mt_report {
	const char *source;		/* NULL: live; else the file */
	const char *time, *host, *release;
	const char *cgroot;		/* NULL: no cgroup2 was mounted */
	bool memcg_v1;			/* /proc/cgroups: the memory
					 * controller is on a v1 hierarchy */
	uint64_t page_size;
	double uptime_s;		/* boottime_ns / 1e9 */

	bool has_meminfo;		/* bytes */
	uint64_t mem_total, mem_free, mem_available, buffers, cached;
	uint64_t swap_total, swap_free;

	bool has_psi;			/* /proc/pressure/memory */
	struct mt_psi psi;

	bool has_swaps;			/* /proc/swaps was read */
	struct mt_swap *swaps;
	size_t nr_swaps;

	bool has_vmstat;
	uint64_t pgfault, pgmajfault;

	bool has_ksm;			/* /sys/kernel/mm/ksm */
	struct mt_ksm_sys ksm;
	bool has_ksm_mod;		/* the module's ksm-get */
	uint64_t ksm_merging_pages;	/* a cgroup's share is of these:
					 * mt_ksm_whole() */

	bool has_module;
	enum mt_rep_damon damon;
	uint64_t damon_total, damon_aggregations;	/* when bound */
	uint32_t damon_hot_rate, damon_cold_rate;

	struct mt_rep_cgroup *cgroups;	/* by path */
	size_t nr_cgroups;
	struct mt_rep_proc *procs;	/* by PSS (or RSS), largest first */
	size_t nr_procs;
	bool procs_pss;			/* some process had smaps_rollup */
};

int mt_report_collect(const struct mt_snap *s, const char *source,
		      struct mt_report *r);
void mt_report_free(struct mt_report *r);

/* What the text and JSON views share (report.c) */
enum mt_rep_sec {
	MT_REP_SEC_MEMORY, MT_REP_SEC_PRESSURE, MT_REP_SEC_SWAP,
	MT_REP_SEC_FAULTS, MT_REP_SEC_RECLAIM, MT_REP_SEC_KSM,
	MT_REP_SEC_DAMON, MT_REP_SEC_TOP_CGROUPS, MT_REP_SEC_TOP_PROCS,
	MT_NR_REP_SECS
};

/* A section: its title, its JSON key, why it cannot be shown (or NULL) */
struct mt_rep_section {
	const char *title, *key;
	const char *(*why)(const struct mt_report *r);
};

extern const struct mt_rep_section mt_rep_sections[MT_NR_REP_SECS];
extern const char mt_rep_no_module[];

/* The lists of cgroups, each in its order */
enum mt_rep_pick {
	MT_REP_PICK_PSI, MT_REP_PICK_FAULTS, MT_REP_PICK_RECLAIM,
	MT_REP_PICK_KSM, MT_REP_PICK_WSS, MT_REP_PICK_CURRENT,
};

ssize_t mt_report_pick(const struct mt_report *r, int what, size_t top,
		       const struct mt_rep_cgroup ***v);
double mt_report_per_s(const struct mt_report *r, uint64_t v);
void mt_report_ksm_savings(const struct mt_report *r,
			   struct mt_ksm_savings *sv);
uint64_t mt_report_ksm_cg_saved(const struct mt_report *r,
				const struct mt_ksm_savings *sv,
				const struct mt_rep_cgroup *cg);

struct mt_recs;
void mt_report_print(const struct mt_report *r, const struct mt_recs *l,
		     size_t top);
struct json_object *mt_report_json(const struct mt_report *r,
				   const struct mt_recs *l, size_t top);

#endif
