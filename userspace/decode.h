/* SPDX-License-Identifier: GPL-2.0 */
/* memtally: the replies of the memtally family, decoded. */
#ifndef MT_DECODE_H
#define MT_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include <linux/memtally.h>

struct nlattr;

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
};

/* A counter of a cgroup reply: its attribute and its names in the output. */
struct mt_counter_col {
	int attr;		/* MEMTALLY_A_CGROUP_* */
	const char *json;	/* JSON key */
	const char *header;	/* table column header */
	const char *sort;	/* --sort key */
};

/*
 * The counters of a cgroup, in output order: decoding, the table and JSON
 * columns, sorting and the help follow this table, so a new counter is a
 * new row (and its attribute in the spec).
 */
static const struct mt_counter_col mt_cgroup_counters[] = {
	{ MEMTALLY_A_CGROUP_FAULTS_USER,   "faults_user",   "FAULTS_USER",   "faults-user" },
	{ MEMTALLY_A_CGROUP_FAULTS_KERNEL, "faults_kernel", "FAULTS_KERNEL", "faults-kernel" },
};

#define MT_NR_CGROUP_COUNTERS \
	(sizeof(mt_cgroup_counters) / sizeof(mt_cgroup_counters[0]))

struct mt_cgroup {
	uint64_t id;
	uint64_t counters[MT_NR_CGROUP_COUNTERS];	/* as mt_cgroup_counters[] */
	const char *path;	/* filled in by the caller; NULL if unknown */
};

int mt_attr_uint(const struct nlattr *a, uint64_t *v);
int mt_status_decode(struct nlattr *attrs, int len, struct mt_status *st);
void mt_status_free(struct mt_status *st);
int mt_cgroup_decode(struct nlattr *attrs, int len, struct mt_cgroup *cg);

#endif
