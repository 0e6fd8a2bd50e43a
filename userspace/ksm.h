/* SPDX-License-Identifier: GPL-2.0 */
/* memtally ksm: the KSM files of sysfs and procfs, and a trial of KSM. */
#ifndef MT_KSM_H
#define MT_KSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The files of the KSM directory that memtally ksm shows */
enum mt_ksm_file {
	MT_KSM_RUN,		/* 0 stop, 1 run, 2 unmerge */
	MT_KSM_PAGES_SHARED,
	MT_KSM_PAGES_SHARING,
	MT_KSM_PAGES_UNSHARED,
	MT_KSM_PAGES_VOLATILE,
	MT_KSM_FULL_SCANS,
	MT_KSM_GENERAL_PROFIT,	/* bytes, may be negative; 6.4+ */
	MT_KSM_ZERO_PAGES,	/* 6.10+ */
	/* the scan configuration */
	MT_KSM_PAGES_TO_SCAN,
	MT_KSM_SLEEP_MILLISECS,
	MT_KSM_MAX_PAGE_SHARING,
	MT_KSM_MERGE_ACROSS_NODES,	/* CONFIG_NUMA */
	MT_KSM_USE_ZERO_PAGES,
	MT_NR_KSM_FILES
};

struct mt_ksm_file_desc {
	const char *name;	/* file name, JSON key */
	bool optional;		/* not on every kernel */
};

extern const struct mt_ksm_file_desc mt_ksm_files[MT_NR_KSM_FILES];

struct mt_ksm_sys {
	int64_t v[MT_NR_KSM_FILES];
	bool has[MT_NR_KSM_FILES];
};

struct mt_ksm_savings {
	uint64_t saved;		/* bytes: (pages_sharing + zero pages) * page */
	uint64_t merged;	/* of them pages_sharing * page */
	long page_size;
	double ratio;		/* pages_sharing / pages_shared; NAN if 0 shared */
	double pct;		/* saved of (saved + shared) pages; NAN if none */
};

/* By saved bytes, in MB of 10^6 bytes */
enum mt_ksm_verdict { MT_KSM_KEEP, MT_KSM_CONSIDER, MT_KSM_DISABLE };

#define MT_KSM_KEEP_ABOVE	100000000ull	/* > 100 MB: keep */
#define MT_KSM_DISABLE_BELOW	20000000ull	/* < 20 MB: disable */

/* The settings a trial changes, in the order it restores them */
struct mt_ksm_settings {
	int64_t pages_to_scan, sleep_millisecs, run;
};

#define MT_KSM_RUN_UNMERGE	2	/* run: stop ksmd, unmerge every page */

struct mt_ksm_trial {
	uint64_t scans;		/* full scans to wait for */
	uint64_t pages_to_scan, sleep_ms, timeout_s;
	bool keep;		/* leave the trial settings after a trial */
	FILE *bar;		/* progress bar, or NULL */
	/* results */
	struct mt_ksm_settings saved;
	uint64_t done;		/* full scans seen */
	int signo;		/* the signal that interrupted it */
	bool unmerge;		/* run=2 still to restore: mt_ksm_unmerge() */
};

/* A process with KSM rmap items */
struct mt_ksm_proc {
	int pid;
	char comm[64];
	char *cgroup;		/* NULL if unknown */
	uint64_t merging_pages, rmap_items, zero_pages;
	int64_t profit;
	bool has_zero_pages, has_profit;	/* 6.12 ksm_stat */
};

/* ksm.c: what KSM saves, for every view */
void mt_ksm_calc(struct mt_ksm_savings *sv, const struct mt_ksm_sys *s,
		 long page_size);
const char *mt_ksm_run_name(int64_t run);
uint64_t mt_ksm_whole(uint64_t module, uint64_t rows);
uint64_t mt_ksm_cg_saved(const struct mt_ksm_savings *sv, uint64_t merging,
			 uint64_t whole, uint64_t zero);
enum mt_ksm_verdict mt_ksm_verdict(uint64_t saved);
const char *mt_ksm_verdict_text(enum mt_ksm_verdict v);

#endif
