/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the memtally selftests: cgroups and the module's rows.
 */
#ifndef MT_LIB_H
#define MT_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/memtally.h>

#include "mt_nl.h"

/*
 * The harness kills a test after 30 s; under TCG, and on the KASAN kernel,
 * the reclaim and reload tests take longer.  Included after the harness.
 */
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT	600

#define CG_ROOT		"/sys/fs/cgroup"
#define PAGE		4096UL
#define MT_NR_KINDS	(MEMTALLY_RECLAIM_KIND_COMPACT + 1)

/* One row of the module: every u64 attribute by type, and the histograms. */
struct mt_row {
	bool found;
	uint64_t id;
	uint64_t v[MEMTALLY_A_CGROUP_MAX + 1];
	uint64_t hist[MT_NR_KINDS][MEMTALLY_HIST_BUCKETS];
	uint64_t age[MEMTALLY_DAMON_AGE_BUCKETS];	/* damon-age-hist */
	bool has_gone;		/* removed-descendants, its u64 attributes: */
	uint64_t gone[MEMTALLY_A_CGROUP_MAX + 1];
};

uint64_t cg_id(const char *path);
uint64_t cg_make(const char *name);
int cg_remove(const char *name);
int cg_enter(const char *name);
int cg_write(const char *name, const char *file, const char *val);
uint64_t cg_stat(const char *name, const char *file, const char *key);

void mt_row_parse(const struct nlmsghdr *nlh, struct mt_row *row);
int mt_row_get(struct mt_nl *nl, uint64_t id, struct mt_row *row,
	       struct mt_nl_result *res);
int mt_raw_request(struct mt_nl *nl, uint8_t cmd, uint16_t flags,
		   uint16_t type, const void *data, uint16_t len,
		   struct mt_nl_result *res);
bool mt_dump_start_has_extack(void);
long file_long(const char *path);
char *anon_touched(size_t len);
int wait_status(pid_t pid);
int file_write(const char *path, const char *val);

#endif
