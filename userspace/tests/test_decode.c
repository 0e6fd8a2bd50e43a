// SPDX-License-Identifier: GPL-2.0
/* Decoding replies built by hand with libnl, as the kernel builds them. */
#include <errno.h>
#include <stdlib.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <linux/memtally.h>

#include "decode.h"
#include "test.h"

#define ATTRS(msg) nlmsg_attrdata(nlmsg_hdr(msg), 0), nlmsg_attrlen(nlmsg_hdr(msg), 0)

static void attr_uint_widths(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *a;
	uint64_t v = 0;

	nla_put_u32(msg, 1, 4000000000u);
	nla_put_u64(msg, 2, 0x123456789abcdef0ull);
	nla_put_u16(msg, 3, 7);
	nla_put_u8(msg, 4, 7);
	a = nlmsg_find_attr(nlmsg_hdr(msg), 0, 1);
	CHECK(mt_attr_uint(a, &v) == 0);
	CHECK_U64(v, 4000000000u);
	a = nlmsg_find_attr(nlmsg_hdr(msg), 0, 2);
	CHECK(mt_attr_uint(a, &v) == 0);
	CHECK_U64(v, 0x123456789abcdef0ull);
	v = 99;
	CHECK(mt_attr_uint(nlmsg_find_attr(nlmsg_hdr(msg), 0, 3), &v) == -EBADMSG);
	CHECK(mt_attr_uint(nlmsg_find_attr(nlmsg_hdr(msg), 0, 4), &v) == -EBADMSG);
	CHECK_U64(v, 99);
	nlmsg_free(msg);
}

/*
 * A reply carries every counter of mt_cgroup_counters[]: put those @msg
 * lacks, as 8-byte zeros, after the ones a case is about.
 */
static void put_other_counters(struct nl_msg *msg)
{
	size_t i;

	for (i = 0; i < MT_NR_CGROUP_COUNTERS; i++)
		if (!nlmsg_find_attr(nlmsg_hdr(msg), 0,
				     mt_cgroup_counters[i].attr))
			nla_put_u64(msg, mt_cgroup_counters[i].attr, 0);
}

/* The counter of @cg with the JSON key @json */
static uint64_t counter(const struct mt_cgroup *cg, const char *json)
{
	size_t i;

	for (i = 0; i < MT_NR_CGROUP_COUNTERS; i++)
		if (!strcmp(mt_cgroup_counters[i].json, json))
			return cg->counters[i];
	return UINT64_MAX - 1;
}

/* As the kernel sends it: a pad attribute, then 8-byte values. */
static void cgroup_u64(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct mt_cgroup cg;

	nla_put(msg, MEMTALLY_A_CGROUP_PAD, 0, NULL);
	nla_put_u64(msg, MEMTALLY_A_CGROUP_ID, 12345);
	nla_put(msg, MEMTALLY_A_CGROUP_PAD, 0, NULL);
	nla_put_u64(msg, MEMTALLY_A_CGROUP_FAULTS_USER, (1ull << 40) + 3);
	nla_put_u64(msg, MEMTALLY_A_CGROUP_FAULTS_KERNEL, 7);
	put_other_counters(msg);
	CHECK(mt_cgroup_decode(ATTRS(msg), &cg) == 0);
	CHECK_U64(cg.id, 12345);
	CHECK_U64(counter(&cg, "faults_user"), (1ull << 40) + 3);
	CHECK_U64(counter(&cg, "faults_kernel"), 7);
	CHECK(cg.path == NULL);
	nlmsg_free(msg);
}

static void cgroup_u32(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct mt_cgroup cg;

	nla_put_u32(msg, MEMTALLY_A_CGROUP_ID, 1);
	nla_put_u32(msg, MEMTALLY_A_CGROUP_FAULTS_USER, 4000000000u);
	nla_put_u64(msg, MEMTALLY_A_CGROUP_FAULTS_KERNEL, 5);
	put_other_counters(msg);
	nla_put_u32(msg, 99, 1);	/* from a newer module: ignored */
	CHECK(mt_cgroup_decode(ATTRS(msg), &cg) == 0);
	CHECK_U64(cg.id, 1);
	CHECK_U64(counter(&cg, "faults_user"), 4000000000u);
	CHECK_U64(counter(&cg, "faults_kernel"), 5);
	nlmsg_free(msg);
}

static void cgroup_invalid(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct mt_cgroup cg;

	/* no id */
	nla_put_u64(msg, MEMTALLY_A_CGROUP_FAULTS_USER, 1);
	nla_put_u64(msg, MEMTALLY_A_CGROUP_FAULTS_KERNEL, 1);
	put_other_counters(msg);
	CHECK(mt_cgroup_decode(ATTRS(msg), &cg) == -EBADMSG);
	nlmsg_free(msg);

	/* a 2-byte counter */
	msg = nlmsg_alloc();
	nla_put_u64(msg, MEMTALLY_A_CGROUP_ID, 2);
	nla_put_u16(msg, MEMTALLY_A_CGROUP_FAULTS_USER, 1);
	nla_put_u64(msg, MEMTALLY_A_CGROUP_FAULTS_KERNEL, 1);
	put_other_counters(msg);
	CHECK(mt_cgroup_decode(ATTRS(msg), &cg) == -EBADMSG);
	nlmsg_free(msg);
}

static void put_hook(struct nl_msg *msg, const char *name, const char *tp,
		     uint32_t state, uint32_t err)
{
	struct nlattr *nest = nla_nest_start(msg, MEMTALLY_A_STATUS_HOOK);

	nla_put_string(msg, MEMTALLY_A_HOOK_NAME, name);
	nla_put_string(msg, MEMTALLY_A_HOOK_TRACEPOINT, tp);
	nla_put_u32(msg, MEMTALLY_A_HOOK_STATE, state);
	if (err)
		nla_put_u32(msg, MEMTALLY_A_HOOK_ERRNO, err);
	nla_nest_end(msg, nest);
}

static struct nl_msg *status_msg(void)
{
	struct nl_msg *msg = nlmsg_alloc();

	nla_put_string(msg, MEMTALLY_A_STATUS_VERSION, "0.1.0");
	nla_put_string(msg, MEMTALLY_A_STATUS_KERNEL_RELEASE, "6.1.0-test");
	nla_put_u32(msg, MEMTALLY_A_STATUS_NR_CGROUPS, 5);
	nla_put(msg, MEMTALLY_A_STATUS_PAD, 0, NULL);
	nla_put_u64(msg, MEMTALLY_A_STATUS_UNATTRIBUTED, 99);
	put_hook(msg, "faults-user", "exceptions:page_fault_user",
		 MEMTALLY_HOOK_STATE_ATTACHED, 0);
	put_hook(msg, "faults-kernel", "exceptions:page_fault_kernel",
		 MEMTALLY_HOOK_STATE_FAILED, ENOENT);
	return msg;
}

static void status_full(void)
{
	struct nl_msg *msg = status_msg();
	struct mt_status st;

	CHECK(mt_status_decode(ATTRS(msg), &st) == 0);
	CHECK_STR(st.version, "0.1.0");
	CHECK_STR(st.kernel_release, "6.1.0-test");
	CHECK_U64(st.nr_cgroups, 5);
	CHECK_U64(st.unattributed, 99);
	CHECK_U64(st.nr_hooks, 2);
	if (st.nr_hooks == 2) {
		CHECK_STR(st.hooks[0].name, "faults-user");
		CHECK_STR(st.hooks[0].tracepoint, "exceptions:page_fault_user");
		CHECK_U64(st.hooks[0].state, MEMTALLY_HOOK_STATE_ATTACHED);
		CHECK_U64(st.hooks[0].err, 0);
		CHECK_STR(st.hooks[1].name, "faults-kernel");
		CHECK_U64(st.hooks[1].state, MEMTALLY_HOOK_STATE_FAILED);
		CHECK_U64(st.hooks[1].err, ENOENT);
	}
	mt_status_free(&st);
	CHECK(st.hooks == NULL && st.version == NULL);
	nlmsg_free(msg);
}

static void status_no_hooks_u64_count(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct mt_status st;

	nla_put_string(msg, MEMTALLY_A_STATUS_KERNEL_RELEASE, "6.12.0");
	nla_put_u64(msg, MEMTALLY_A_STATUS_NR_CGROUPS, 1ull << 33);
	nla_put_u32(msg, MEMTALLY_A_STATUS_UNATTRIBUTED, 0);
	nla_put_string(msg, MEMTALLY_A_STATUS_VERSION, "0.2.0");
	CHECK(mt_status_decode(ATTRS(msg), &st) == 0);
	CHECK_STR(st.version, "0.2.0");
	CHECK_U64(st.nr_cgroups, 1ull << 33);
	CHECK_U64(st.unattributed, 0);
	CHECK_U64(st.nr_hooks, 0);
	mt_status_free(&st);
	nlmsg_free(msg);
}

static void status_invalid(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct mt_status st;
	struct nlattr *nest;

	/* a string without its NUL */
	nla_put(msg, MEMTALLY_A_STATUS_VERSION, 3, "0.1");
	nla_put_string(msg, MEMTALLY_A_STATUS_KERNEL_RELEASE, "6.1.0");
	nla_put_u32(msg, MEMTALLY_A_STATUS_NR_CGROUPS, 1);
	nla_put_u64(msg, MEMTALLY_A_STATUS_UNATTRIBUTED, 1);
	CHECK(mt_status_decode(ATTRS(msg), &st) == -EBADMSG);
	CHECK(st.version == NULL);
	nlmsg_free(msg);

	/* a hook without a state, after a good one */
	msg = status_msg();
	nest = nla_nest_start(msg, MEMTALLY_A_STATUS_HOOK);
	nla_put_string(msg, MEMTALLY_A_HOOK_NAME, "x");
	nla_put_string(msg, MEMTALLY_A_HOOK_TRACEPOINT, "y:z");
	nla_nest_end(msg, nest);
	CHECK(mt_status_decode(ATTRS(msg), &st) == -EBADMSG);
	CHECK(st.hooks == NULL && st.nr_hooks == 0);
	nlmsg_free(msg);

	/* no unattributed count */
	msg = nlmsg_alloc();
	nla_put_string(msg, MEMTALLY_A_STATUS_VERSION, "0.1.0");
	nla_put_string(msg, MEMTALLY_A_STATUS_KERNEL_RELEASE, "6.1.0");
	nla_put_u32(msg, MEMTALLY_A_STATUS_NR_CGROUPS, 1);
	CHECK(mt_status_decode(ATTRS(msg), &st) == -EBADMSG);
	nlmsg_free(msg);
}

void test_decode(void)
{
	RUN(attr_uint_widths);
	RUN(cgroup_u64);
	RUN(cgroup_u32);
	RUN(cgroup_invalid);
	RUN(status_full);
	RUN(status_no_hooks_u64_count);
	RUN(status_invalid);
}
