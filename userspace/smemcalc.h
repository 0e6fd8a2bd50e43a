/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memtally smem: who uses the memory, from the /proc/PID files and
 * /proc/meminfo a snapshot holds (live or from a file).  Pure: it reads
 * only the snapshot.
 */
#ifndef MT_SMEMCALC_H
#define MT_SMEMCALC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mt_snap;

/* The sizes of a row, in bytes */
enum {
	MT_SMEM_SWAP,
	MT_SMEM_USS,	/* Private_Clean + Private_Dirty + Private_Hugetlb */
	MT_SMEM_PSS,
	MT_SMEM_RSS,
	MT_SMEM_SWAPPSS,	/* SwapPss: its share of the swapped pages */
	MT_NR_SMEM,
};

/* The columns of a table: SwapPss is in the JSON only */
#define MT_SMEM_COLS	MT_SMEM_SWAPPSS

/* A process, or the sum of a user's, a cgroup's or a mapping's */
struct mt_smem_row {
	char *name;		/* command line, cgroup or mapping; NULL */
	int pid;		/* a process; else 0 */
	uint32_t uid;		/* a process or a user */
	char *cgroup;		/* a process: "0::" of /proc/PID/cgroup */
	unsigned int count;	/* processes summed (mappings: of them) */
	unsigned int no_swappss; /* of those, without a SwapPss line */
	uint64_t v[MT_NR_SMEM];
	uint64_t pss_cache;	/* Pss_File + Pss_Shmem: of the page cache */
};

struct mt_smem {
	struct mt_smem_row *procs;	/* every readable user process */
	size_t nr_procs;
	size_t unreadable;	/* processes whose smaps_rollup was null */
};

int mt_smem_read(const struct mt_snap *s, struct mt_smem *m);
void mt_smem_free(struct mt_smem *m);

/* Rows by user, cgroup or mapping (@s's smaps); free(*out) after */
enum { MT_SMEM_BY_USER, MT_SMEM_BY_CGROUP };
int mt_smem_group(const struct mt_smem *m, int by, struct mt_smem_row **out,
		  size_t *n);
int mt_smem_maps(const struct mt_snap *s, const struct mt_smem *m,
		 struct mt_smem_row **out, size_t *n);
void mt_smem_rows_free(struct mt_smem_row *v, size_t n);

/*
 * The system view: MemTotal of /proc/meminfo in parts that add up to it.
 * Documentation/admin-guide/memtally.rst ("Who uses the memory") has the
 * definitions.
 */
enum {
	MT_SYS_FREE,		/* MemFree */
	MT_SYS_USER,		/* the processes' PSS */
	MT_SYS_CACHE,		/* Buffers + Cached, less what PSS counts */
	MT_SYS_KERNEL,		/* Slab + KernelStack + PageTables +
				 * SecPageTables + Percpu + vmalloc */
	MT_SYS_OTHER,		/* the rest: drivers, huge pages, swap
				 * cache, unreadable processes */
	MT_NR_SYS,
};

struct mt_smem_sys {
	uint64_t total;		/* MemTotal */
	uint64_t v[MT_NR_SYS];	/* their sum is total */
	uint64_t over;		/* what the parts overshot total by (other
				 * is then 0); 0 when they fit */
};

int mt_smem_system(const struct mt_snap *s, const struct mt_smem *m,
		   struct mt_smem_sys *sys);
extern const char *const mt_sys_names[MT_NR_SYS];

#endif
