/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memtally stat: the numbers of each run of a command in a cgroup of its
 * own, and what they say together (mean, deviation, rates, stall
 * percentiles): text and JSON.  Pure: cmd_stat.c runs and reads.
 */
#ifndef MT_STAT_H
#define MT_STAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "decode.h"

struct json_object;

/* Where a metric comes from; its JSON "source" and its text section */
enum mt_stat_src {
	MT_SRC_RUN,		/* the run: wall time, CPU time (cpu.stat) */
	MT_SRC_MODULE,		/* the module's counters of the cgroup */
	MT_SRC_MEMSTAT,		/* memory.stat's event counters, changes */
	MT_SRC_EVENTS,		/* memory.events, changes */
	MT_SRC_PSI,		/* memory.pressure's totals, changes */
	MT_NR_SRC,
};

extern const char *const mt_stat_src_names[MT_NR_SRC];

/* What a metric's numbers are, for the text */
enum mt_stat_unit {
	MT_UNIT_COUNT,		/* events: per second makes sense */
	MT_UNIT_SECONDS,	/* time spent: per second is a share */
	MT_UNIT_BYTES,		/* a size (memory.peak): no rate */
	MT_UNIT_LEVEL,		/* a number that is a level, not events
				 * (a gauge's highest): no rate */
};

#define MT_STAT_NAME	64

struct mt_stat_metric {
	char name[MT_STAT_NAME];
	unsigned char src;	/* enum mt_stat_src */
	unsigned char unit;	/* enum mt_stat_unit */
};

/* A run that was counted */
struct mt_stat_run {
	int code;		/* its exit code; -1: killed by a signal */
	int sig;		/* the signal that killed it, else 0 */
	double *v;		/* by metric; NAN or past nv: not measured */
	size_t nv;
	uint64_t hist[MT_NR_STALL_KINDS][MEMTALLY_HIST_BUCKETS];
};

/* The host, for a comparison of two files to tell what differs */
struct mt_stat_sys {
	char kernel[65];	/* uname -r */
	char machine[65];	/* uname -m */
	long cpus;		/* online */
	uint64_t mem_total, swap_total;	/* bytes */
	char thp[16];		/* transparent_hugepage/enabled; "" unknown */
	int mglru;		/* lru_gen/enabled: 1, 0, -1 unknown */
	char module[32];	/* the module's version; "" not loaded */
};

struct mt_stat {
	char **argv;		/* the command */
	const char *cgroup;	/* the runs' cgroups, "PARENT/run-PID-N" */
	char **set;		/* FILE=VALUE, written into each run's cgroup */
	size_t nset;
	unsigned int warmup;	/* runs left out */
	unsigned int planned;	/* runs asked for */
	bool interrupted;	/* a signal ended it before the last run */
	struct mt_stat_sys sys;
	struct mt_stat_metric *m;
	size_t nm, mcap;
	struct mt_stat_run *runs;
	size_t nr, rcap;
};

/* What a metric's values say over the runs that have it */
struct mt_stat_sum {
	size_t n;		/* runs that have it */
	double mean, sd;	/* sd: sample standard deviation (n - 1) */
	double rsd_pct;		/* 100 * sd / mean; NAN with n < 2 or mean 0 */
	double min, max;
	double per_s;		/* sum / wall time of those runs; NAN: none */
};

struct mt_stat_run *mt_stat_run_add(struct mt_stat *s);
int mt_stat_put(struct mt_stat *s, struct mt_stat_run *r, int src,
		const char *name, int unit, double v);
void mt_stat_free(struct mt_stat *s);
ssize_t mt_stat_find(const struct mt_stat *s, int src, const char *name);
double mt_stat_value(const struct mt_stat_run *r, size_t metric);
int mt_stat_summarize(const struct mt_stat *s, size_t metric,
		      struct mt_stat_sum *sum);
int mt_hist_pct_bucket(const uint64_t *b, double pct);
void mt_stat_print(FILE *f, const struct mt_stat *s, bool all, bool verbose);
struct json_object *mt_stat_json(const struct mt_stat *s);

#endif
