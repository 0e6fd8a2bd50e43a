/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memtally damon: DAMON's sysfs interface (/sys/kernel/mm/damon, or a
 * fake tree of a test), /proc/iomem, and the state file that says which
 * kdamond memtally started.
 */
#ifndef MT_DAMONFS_H
#define MT_DAMONFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define MT_DAMON_DIR	"/sys/kernel/mm/damon"
#define MT_RUNDIR	"/run/memtally"

/* What memtally damon start asks of DAMON */
struct mt_damon_cfg {
	bool vaddr;			/* else paddr */
	uint64_t sample_us, aggr_us, update_us;
	uint64_t min_regions, max_regions;
	uint64_t start, end;		/* paddr: the region, end exclusive */
	const uint32_t *pids;		/* vaddr: one target each */
	size_t nr_pids;
};

/* The state file: the kdamond memtally started */
struct mt_damon_state {
	int kdamond;			/* index in admin/kdamonds */
	int pid;			/* of the kdamond thread */
	bool vaddr;
	uint64_t sample_us, aggr_us;
	uint64_t nr_targets;
};

/* One kdamond as its sysfs files describe it */
struct mt_kdamond {
	int index;
	bool on;
	int pid;			/* -1 when off */
	char ops[16];			/* "" without a context */
	uint64_t sample_us, aggr_us, update_us;
	uint64_t min_regions, max_regions;
	int64_t nr_targets, nr_schemes;
	uint64_t start, end;		/* paddr: its first region, if any */
	int64_t pid_target;		/* vaddr: of its first target, or -1 */
};

/* A pageout scheme of memtally's context */
struct mt_damos {
	uint64_t min_size;		/* bytes */
	uint64_t min_age;		/* aggregation intervals */
	const char *memcg;		/* only this cgroup's memory, or NULL */
};

struct mt_damos_stats {
	char action[32];
	uint64_t min_size, min_age;
	char memcg[256];		/* "" for none */
	uint64_t nr_tried, sz_tried, nr_applied, sz_applied;
};

const char *mt_damon_dir(void);
const char *mt_damon_rundir(void);

/* These print their error, one line, and return -1 on failure. */
int mt_damon_check(const char *root);
int mt_damon_nr(const char *root, int *nr);
int mt_damon_none(const char *root);
int mt_damon_start(const char *root, const struct mt_damon_cfg *c,
		   int *index, int *pid);
int mt_damon_stop(const char *root, const struct mt_damon_state *st,
		  bool *removed);
int mt_damon_kdamond(const char *root, int index, struct mt_kdamond *k);
int mt_damon_scheme_set(const char *root, int index,
			const struct mt_damos *s);
int mt_damon_scheme_off(const char *root, int index);
int mt_damon_scheme_stats(const char *root, int index,
			  struct mt_damos_stats *st);

bool mt_damon_owned(const struct mt_kdamond *k,
		    const struct mt_damon_state *st);

/* These print nothing.  Return: 0 or -errno. */
int mt_iomem_ram(const char *path, uint64_t *start, uint64_t *end);
int mt_damon_state_write(const char *rundir, const struct mt_damon_state *st);
int mt_damon_state_read(const char *rundir, struct mt_damon_state *st);
int mt_damon_state_rm(const char *rundir);
/* The parsers of mt_iomem_ram() and mt_damon_state_read() (tests, fuzzers) */
int mt_iomem_ram_parse(FILE *f, uint64_t *start, uint64_t *end);
int mt_damon_state_parse(FILE *f, struct mt_damon_state *st);

#endif
