/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memtally: the event counters of a cgroup's memory.stat that the module
 * does not count (major faults, refaults, swap-ins and -outs, THP faults),
 * read by the tool for the cgroups a view shows.
 */
#ifndef MT_MEMSTAT_H
#define MT_MEMSTAT_H

#include <stdbool.h>
#include <stdint.h>

/* The keys, in their columns' order */
enum mt_ms_key {
	MT_MS_PGMAJFAULT,
	MT_MS_REFAULT_ANON,
	MT_MS_REFAULT_FILE,
	MT_MS_ACTIVATE_ANON,
	MT_MS_ACTIVATE_FILE,
	MT_MS_RESTORE_ANON,
	MT_MS_RESTORE_FILE,
	MT_MS_PSWPIN,
	MT_MS_PSWPOUT,
	MT_MS_ZSWPIN,
	MT_MS_ZSWPOUT,
	MT_MS_THP_FAULT_ALLOC,
	MT_NR_MS,
};

/* A key: its name in memory.stat (and JSON), its column */
struct mt_ms_info {
	const char *key;
	const char *header;
	bool brief;		/* a column without --all */
};

extern const struct mt_ms_info mt_ms_keys[MT_NR_MS];

/* What a cgroup's memory.stat says */
struct mt_memstat {
	bool ok;		/* it was read */
	uint32_t has;		/* bit k: this kernel has key k */
	uint64_t v[MT_NR_MS];
};

void mt_memstat_parse(struct mt_memstat *m, const char *text);
int mt_memstat_read(struct mt_memstat *m, const char *root, const char *path);

#endif
