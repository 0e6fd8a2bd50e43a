/* SPDX-License-Identifier: GPL-2.0 */
/* memtally: the replies of the memtally family, decoded. */
#ifndef MT_DECODE_H
#define MT_DECODE_H

#include <stddef.h>
#include <stdint.h>

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

struct mt_cgroup {
	uint64_t id;
	uint64_t faults_user;
	uint64_t faults_kernel;
	const char *path;	/* filled in by the caller; NULL if unknown */
};

int mt_attr_uint(const struct nlattr *a, uint64_t *v);
int mt_status_decode(struct nlattr *attrs, int len, struct mt_status *st);
void mt_status_free(struct mt_status *st);
int mt_cgroup_decode(struct nlattr *attrs, int len, struct mt_cgroup *cg);

#endif
