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

/* An older module sends only some counters: the others read 0. */
static void cgroup_older_module(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct mt_cgroup cg;
	size_t i;

	nla_put_u64(msg, MEMTALLY_A_CGROUP_ID, 9);
	nla_put_u64(msg, MEMTALLY_A_CGROUP_FAULTS_USER, 11);
	nla_put_u64(msg, MEMTALLY_A_CGROUP_FAULTS_KERNEL, 12);
	CHECK(mt_cgroup_decode(ATTRS(msg), &cg) == 0);
	CHECK_U64(cg.id, 9);
	CHECK_U64(counter(&cg, "faults_user"), 11);
	CHECK_U64(counter(&cg, "faults_kernel"), 12);
	for (i = MT_CTR_FAULTS_KERNEL + 1; i < MT_NR_CGROUP_COUNTERS; i++)
		CHECK_U64(cg.counters[i], 0);
	for (i = 0; i < MEMTALLY_HIST_BUCKETS; i++)
		CHECK_U64(cg.hist[MEMTALLY_RECLAIM_KIND_DIRECT][i], 0);
	nlmsg_free(msg);
}

/* Histograms: MEMTALLY_HIST_BUCKETS u64 in host order, nothing else */
static void cgroup_hist(void)
{
	uint64_t h[MEMTALLY_HIST_BUCKETS] = { 0 };
	struct nl_msg *msg = nlmsg_alloc();
	struct mt_cgroup cg;
	size_t i;

	for (i = 0; i < MEMTALLY_HIST_BUCKETS; i++)
		h[i] = (1ull << 35) + i;
	nla_put_u64(msg, MEMTALLY_A_CGROUP_ID, 3);
	nla_put_u64(msg, MEMTALLY_A_CGROUP_MEMCG_STALLS, 2);
	nla_put(msg, MEMTALLY_A_CGROUP_MEMCG_STALL_HIST, sizeof(h), h);
	nla_put(msg, MEMTALLY_A_CGROUP_SOFTLIMIT_STALL_HIST, sizeof(h), h);
	CHECK(mt_cgroup_decode(ATTRS(msg), &cg) == 0);
	CHECK_U64(counter(&cg, "memcg_stalls"), 2);
	for (i = 0; i < MEMTALLY_HIST_BUCKETS; i++) {
		CHECK_U64(cg.hist[MEMTALLY_RECLAIM_KIND_DIRECT][i], 0);
		CHECK_U64(cg.hist[MEMTALLY_RECLAIM_KIND_MEMCG][i], h[i]);
		CHECK_U64(cg.hist[MEMTALLY_RECLAIM_KIND_SOFTLIMIT][i], h[i]);
	}
	nlmsg_free(msg);

	/* a bucket short */
	msg = nlmsg_alloc();
	nla_put_u64(msg, MEMTALLY_A_CGROUP_ID, 3);
	nla_put(msg, MEMTALLY_A_CGROUP_DIRECT_STALL_HIST, sizeof(h) - 8, h);
	CHECK(mt_cgroup_decode(ATTRS(msg), &cg) == -EBADMSG);
	nlmsg_free(msg);
}

/* node-get rows: the node instead of the id, a subset of the counters */
static void node_rows(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct mt_cgroup row;

	nla_put_u32(msg, MEMTALLY_A_CGROUP_NODE, 1);
	nla_put(msg, MEMTALLY_A_CGROUP_PAD, 0, NULL);
	nla_put_u64(msg, MEMTALLY_A_CGROUP_PGSCAN, 1000);
	nla_put_u64(msg, MEMTALLY_A_CGROUP_PGSTEAL, 900);
	nla_put_u64(msg, MEMTALLY_A_CGROUP_KSWAPD_WAKES, 4);
	CHECK(mt_node_decode(ATTRS(msg), &row) == 0);
	CHECK_U64(row.id, 1);
	CHECK_U64(row.counters[MT_CTR_PGSCAN], 1000);
	CHECK_U64(row.counters[MT_CTR_PGSTEAL], 900);
	CHECK_U64(row.counters[MT_CTR_KSWAPD_WAKES], 4);
	CHECK_U64(row.counters[MT_CTR_FAULTS_USER], 0);
	/* not a cgroup row */
	CHECK(mt_cgroup_decode(ATTRS(msg), &row) == -EBADMSG);
	nlmsg_free(msg);

	/* a node that does not fit its u32 */
	msg = nlmsg_alloc();
	nla_put_u64(msg, MEMTALLY_A_CGROUP_NODE, 1ull << 32);
	CHECK(mt_node_decode(ATTRS(msg), &row) == -EBADMSG);
	nlmsg_free(msg);
}

static struct nl_msg *oom_msg(bool uid)
{
	struct nl_msg *msg = nlmsg_alloc();

	nla_put(msg, MEMTALLY_A_EVENT_PAD, 0, NULL);
	nla_put_u64(msg, MEMTALLY_A_EVENT_TIMESTAMP_NS, 1700000000123456789ull);
	nla_put_u32(msg, MEMTALLY_A_EVENT_PID, 4321);
	nla_put_string(msg, MEMTALLY_A_EVENT_COMM, "stress");
	nla_put_u64(msg, MEMTALLY_A_EVENT_CGROUP_ID, 4242);
	if (uid)
		nla_put_u32(msg, MEMTALLY_A_EVENT_UID, 1000);
	nla_put_u64(msg, MEMTALLY_A_EVENT_ANON_RSS, 1ull << 30);
	nla_put_u64(msg, MEMTALLY_A_EVENT_FILE_RSS, 8192);
	nla_put_u64(msg, MEMTALLY_A_EVENT_SHMEM_RSS, 0);
	return msg;
}

static void event_oom_kill(void)
{
	struct nl_msg *msg = oom_msg(true);
	struct mt_event ev;

	CHECK(mt_event_decode(MEMTALLY_CMD_OOM_KILL_NTF, ATTRS(msg), &ev) == 0);
	CHECK_U64(ev.cmd, MEMTALLY_CMD_OOM_KILL_NTF);
	CHECK_U64(ev.timestamp_ns, 1700000000123456789ull);
	CHECK_U64(ev.pid, 4321);
	CHECK_STR(ev.comm, "stress");
	CHECK_U64(ev.cgroup_id, 4242);
	CHECK(ev.has_uid);
	CHECK_U64(ev.uid, 1000);
	CHECK_U64(ev.anon_rss, 1ull << 30);
	CHECK_U64(ev.file_rss, 8192);
	CHECK_U64(ev.shmem_rss, 0);
	CHECK(ev.path == NULL);
	nlmsg_free(msg);

	/* the uid only where the kernel gives it */
	msg = oom_msg(false);
	CHECK(mt_event_decode(MEMTALLY_CMD_OOM_KILL_NTF, ATTRS(msg), &ev) == 0);
	CHECK(!ev.has_uid);
	nlmsg_free(msg);
}

static struct nl_msg *stall_msg(void)
{
	struct nl_msg *msg = nlmsg_alloc();

	nla_put_u64(msg, MEMTALLY_A_EVENT_TIMESTAMP_NS, 1700000000000000000ull);
	nla_put_u32(msg, MEMTALLY_A_EVENT_PID, 77);
	nla_put_string(msg, MEMTALLY_A_EVENT_COMM, "postgres");
	nla_put_u64(msg, MEMTALLY_A_EVENT_CGROUP_ID, 99);
	nla_put_u32(msg, MEMTALLY_A_EVENT_RECLAIM_KIND,
		    MEMTALLY_RECLAIM_KIND_MEMCG);
	nla_put_u64(msg, MEMTALLY_A_EVENT_STALL_NS, 12345678);
	nla_put_u64(msg, MEMTALLY_A_EVENT_RECLAIMED, 32);
	return msg;
}

static void event_reclaim_stall(void)
{
	struct nl_msg *msg = stall_msg();
	struct mt_event ev;

	CHECK(mt_event_decode(MEMTALLY_CMD_RECLAIM_STALL_NTF, ATTRS(msg),
			      &ev) == 0);
	CHECK_U64(ev.cmd, MEMTALLY_CMD_RECLAIM_STALL_NTF);
	CHECK_U64(ev.pid, 77);
	CHECK_STR(ev.comm, "postgres");
	CHECK_U64(ev.cgroup_id, 99);
	CHECK_U64(ev.reclaim_kind, MEMTALLY_RECLAIM_KIND_MEMCG);
	CHECK_U64(ev.stall_ns, 12345678);
	CHECK_U64(ev.reclaimed, 32);
	nlmsg_free(msg);
}

static void event_invalid(void)
{
	struct nl_msg *msg = stall_msg();
	struct mt_event ev;

	/* a stall is no OOM kill: it lacks the RSS */
	CHECK(mt_event_decode(MEMTALLY_CMD_OOM_KILL_NTF, ATTRS(msg), &ev) ==
	      -EBADMSG);
	/* no event at all */
	CHECK(mt_event_decode(MEMTALLY_CMD_CGROUP_GET, ATTRS(msg), &ev) ==
	      -EOPNOTSUPP);
	CHECK(mt_event_decode(MEMTALLY_CMD_MAX + 1, ATTRS(msg), &ev) ==
	      -EOPNOTSUPP);
	nlmsg_free(msg);

	/* an OOM kill without its cgroup */
	msg = nlmsg_alloc();
	nla_put_u64(msg, MEMTALLY_A_EVENT_TIMESTAMP_NS, 1);
	nla_put_u32(msg, MEMTALLY_A_EVENT_PID, 1);
	nla_put_string(msg, MEMTALLY_A_EVENT_COMM, "x");
	nla_put_u64(msg, MEMTALLY_A_EVENT_ANON_RSS, 1);
	nla_put_u64(msg, MEMTALLY_A_EVENT_FILE_RSS, 1);
	nla_put_u64(msg, MEMTALLY_A_EVENT_SHMEM_RSS, 1);
	CHECK(mt_event_decode(MEMTALLY_CMD_OOM_KILL_NTF, ATTRS(msg), &ev) ==
	      -EBADMSG);
	nlmsg_free(msg);

	/* a comm without its NUL */
	msg = oom_msg(true);
	nla_put(msg, MEMTALLY_A_EVENT_COMM, 3, "abc");
	CHECK(mt_event_decode(MEMTALLY_CMD_OOM_KILL_NTF, ATTRS(msg), &ev) ==
	      -EBADMSG);
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

/* The fields added with reclaim, and an older module without them */
static void status_reclaim_fields(void)
{
	struct nl_msg *msg = status_msg();
	struct mt_status st;

	CHECK(mt_status_decode(ATTRS(msg), &st) == 0);
	CHECK_U64(st.stall_threshold_us, 0);
	CHECK_U64(st.events_dropped, 0);
	CHECK_U64(st.reclaim_unpaired, 0);
	mt_status_free(&st);
	nla_put_u64(msg, MEMTALLY_A_STATUS_STALL_THRESHOLD_US, 5000);
	nla_put_u64(msg, MEMTALLY_A_STATUS_EVENTS_DROPPED, 1ull << 40);
	nla_put_u32(msg, MEMTALLY_A_STATUS_RECLAIM_UNPAIRED, 3);
	CHECK(mt_status_decode(ATTRS(msg), &st) == 0);
	CHECK_U64(st.stall_threshold_us, 5000);
	CHECK_U64(st.events_dropped, 1ull << 40);
	CHECK_U64(st.reclaim_unpaired, 3);
	CHECK_U64(st.nr_hooks, 2);
	mt_status_free(&st);
	nlmsg_free(msg);

	/* malformed */
	msg = status_msg();
	nla_put_u16(msg, MEMTALLY_A_STATUS_EVENTS_DROPPED, 1);
	CHECK(mt_status_decode(ATTRS(msg), &st) == -EBADMSG);
	CHECK(st.version == NULL);
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
	RUN(cgroup_older_module);
	RUN(cgroup_hist);
	RUN(node_rows);
	RUN(event_oom_kill);
	RUN(event_reclaim_stall);
	RUN(event_invalid);
	RUN(status_full);
	RUN(status_reclaim_fields);
	RUN(status_no_hooks_u64_count);
	RUN(status_invalid);
}
