/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memtally: the text of /proc and cgroup files as a snapshot holds them
 * (meminfo, vmstat, swaps, memory.stat, memory.events, smaps_rollup,
 * status, memory.pressure), parsed.  Pure: no file is opened here.
 */
#ifndef MT_PROCFILES_H
#define MT_PROCFILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int mt_kv_get(const char *text, const char *key, uint64_t *v);
int mt_kv_str(const char *text, const char *key, char *buf, size_t len);

/* A line of /proc/swaps; sizes in KiB */
struct mt_swap {
	char name[128];
	char type[16];
	uint64_t size_kb, used_kb;
	int prio;
};

int mt_swaps_parse(const char *text, struct mt_swap **v, size_t *n);

/* A memory.pressure (or /proc/pressure/memory): percent of wall time */
struct mt_psi {
	bool has_some, has_full;
	double some, full;	/* avg10 */
	double some60, full60;	/* avg60 */
	double some300, full300;	/* avg300 */
	uint64_t some_total, full_total;	/* us stalled */
};

int mt_psi_parse(const char *text, struct mt_psi *p);

#endif
