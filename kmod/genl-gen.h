/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * Do not edit: the request policies of the memtally family, generated
 * from Documentation/netlink/specs/memtally.yaml by the kernel's
 * tools/net/ynl/ynl-gen-c.py (scripts/check-spec.sh --update): one
 * per operation, the do's where it has one (kmod/genl.c's genl_ops
 * give do and dump the same policy, as 6.1 needs).
 */
#ifndef _MEMTALLY_GENL_GEN_H
#define _MEMTALLY_GENL_GEN_H

#include <net/netlink.h>
#include <linux/memtally.h>

/* Integer value ranges */
static struct netlink_range_validation memtally_a_config_stall_threshold_us_range __ro_after_init = {
	.max	= 60000000ULL,
};

/* MEMTALLY_CMD_CGROUP_GET - do */
static const struct nla_policy memtally_cgroup_get_do_nl_policy[MEMTALLY_A_CGROUP_SINCE_GEN + 1] = {
	[MEMTALLY_A_CGROUP_ID] = NLA_POLICY_MIN(NLA_U64, 1),
	[MEMTALLY_A_CGROUP_INCLUDE_REMOVED] = { .type = NLA_FLAG, },
	[MEMTALLY_A_CGROUP_ANCESTOR_ID] = NLA_POLICY_MIN(NLA_U64, 1),
	[MEMTALLY_A_CGROUP_SINCE_GEN] = { .type = NLA_U64, },
};

/* MEMTALLY_CMD_CONFIG_SET - do */
static const struct nla_policy memtally_config_set_nl_policy[MEMTALLY_A_CONFIG_DAMON_COLD_RATE + 1] = {
	[MEMTALLY_A_CONFIG_STALL_THRESHOLD_US] = NLA_POLICY_FULL_RANGE(NLA_U64, &memtally_a_config_stall_threshold_us_range),
	[MEMTALLY_A_CONFIG_DAMON_HOT_RATE] = { .type = NLA_U32, },
	[MEMTALLY_A_CONFIG_DAMON_COLD_RATE] = { .type = NLA_U32, },
};

/* MEMTALLY_CMD_DAMON_BIND - do */
static const struct nla_policy memtally_damon_bind_nl_policy[MEMTALLY_A_DAMON_REGION_RING + 1] = {
	[MEMTALLY_A_DAMON_KDAMOND_PID] = NLA_POLICY_MIN(NLA_U32, 1),
	[MEMTALLY_A_DAMON_OPS] = NLA_POLICY_MAX(NLA_U32, 1),
	[MEMTALLY_A_DAMON_SAMPLE_US] = NLA_POLICY_MIN(NLA_U32, 1),
	[MEMTALLY_A_DAMON_AGGR_US] = NLA_POLICY_MIN(NLA_U32, 1),
	[MEMTALLY_A_DAMON_TARGET_PID] = NLA_POLICY_MIN(NLA_U32, 1),
	[MEMTALLY_A_DAMON_WSS_RING] = NLA_POLICY_RANGE(NLA_U32, 1, 1024),
	[MEMTALLY_A_DAMON_REGION_RING] = NLA_POLICY_RANGE(NLA_U32, 1, 16384),
};

/* MEMTALLY_CMD_DAMON_WSS_GET - do */
static const struct nla_policy memtally_damon_wss_get_nl_policy[MEMTALLY_A_CGROUP_ID + 1] = {
	[MEMTALLY_A_CGROUP_ID] = NLA_POLICY_MIN(NLA_U64, 1),
};

#endif
