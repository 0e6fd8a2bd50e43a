// SPDX-License-Identifier: GPL-2.0
/* Decoding the DAMON replies, built by hand as the kernel builds them. */
#include <errno.h>
#include <stdlib.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <linux/memtally.h>

#include "cli.h"
#include "cmds.h"
#include "damonnl.h"
#include "damonview.h"
#include "decode.h"
#include "test.h"

#define ATTRS(msg) nlmsg_attrdata(nlmsg_hdr(msg), 0), nlmsg_attrlen(nlmsg_hdr(msg), 0)

static void damon_get_bound(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct mt_damon_info info;

	nla_put_u32(msg, MEMTALLY_A_DAMON_KDAMOND_PID, 4242);
	nla_put_u32(msg, MEMTALLY_A_DAMON_OPS, MEMTALLY_DAMON_OPS_VADDR);
	nla_put_u32(msg, MEMTALLY_A_DAMON_SAMPLE_US, 5000);
	nla_put_u32(msg, MEMTALLY_A_DAMON_AGGR_US, 100000);
	nla_put_u32(msg, MEMTALLY_A_DAMON_TARGET_PID, 10);
	nla_put_u32(msg, MEMTALLY_A_DAMON_TARGET_PID, 20);
	nla_put_u32(msg, MEMTALLY_A_DAMON_WSS_RING, 64);
	nla_put_u32(msg, MEMTALLY_A_DAMON_REGION_RING, 8192);
	nla_put(msg, MEMTALLY_A_DAMON_PAD, 0, NULL);
	nla_put_u64(msg, MEMTALLY_A_DAMON_AGGREGATIONS, 77);
	nla_put_u64(msg, MEMTALLY_A_DAMON_UPDATED_NS, 123456789);
	nla_put_u64(msg, MEMTALLY_A_DAMON_TOTAL_BYTES, 1ull << 33);
	nla_put_u64(msg, MEMTALLY_A_DAMON_UNATTRIBUTED_BYTES, 4096);
	nla_put_u64(msg, MEMTALLY_A_DAMON_PROBE_NS, 999);
	nla_put_u32(msg, MEMTALLY_A_DAMON_HOT_RATE, 10);
	nla_put_u32(msg, MEMTALLY_A_DAMON_COLD_RATE, 1);
	CHECK(mt_damon_info_decode(ATTRS(msg), &info) == 0);
	CHECK(info.b.bound);
	CHECK_U64(info.b.kdamond_pid, 4242);
	CHECK_U64(info.b.ops, MEMTALLY_DAMON_OPS_VADDR);
	CHECK_U64(info.b.sample_us, 5000);
	CHECK_U64(info.b.aggr_us, 100000);
	CHECK_U64(info.b.nr_targets, 2);
	CHECK(info.b.nr_targets == 2 && info.b.target_pids[0] == 10 &&
	      info.b.target_pids[1] == 20);
	CHECK_U64(info.b.wss_ring, 64);
	CHECK_U64(info.b.region_ring, 8192);
	CHECK_U64(info.aggregations, 77);
	CHECK_U64(info.updated_ns, 123456789);
	CHECK_U64(info.total_bytes, 1ull << 33);
	CHECK_U64(info.unattributed_bytes, 4096);
	CHECK_U64(info.probe_ns, 999);
	CHECK_U64(info.hot_rate, 10);
	CHECK_U64(info.cold_rate, 1);
	CHECK_U64(info.stale, 0);
	CHECK(mt_damon_stale_why(info.stale) == NULL);
	mt_damon_info_free(&info);
	CHECK(info.b.target_pids == NULL);

	/* a stale binding says why */
	nla_put_u32(msg, MEMTALLY_A_DAMON_STALE, MEMTALLY_DAMON_STALE_TARGETS);
	CHECK(mt_damon_info_decode(ATTRS(msg), &info) == 0);
	CHECK_U64(info.stale, MEMTALLY_DAMON_STALE_TARGETS);
	CHECK(strstr(mt_damon_stale_why(info.stale), "targets changed"));
	mt_damon_info_free(&info);
	nlmsg_free(msg);
}

static void damon_get_unbound(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct mt_damon_info info;

	/* nothing bound: only the thresholds */
	nla_put_u32(msg, MEMTALLY_A_DAMON_HOT_RATE, 10);
	nla_put_u32(msg, MEMTALLY_A_DAMON_COLD_RATE, 1);
	CHECK(mt_damon_info_decode(ATTRS(msg), &info) == 0);
	CHECK(!info.b.bound && info.b.nr_targets == 0);
	CHECK_U64(info.hot_rate, 10);
	CHECK_U64(info.aggregations, 0);
	mt_damon_info_free(&info);
	nlmsg_free(msg);

	/* an empty reply too */
	msg = nlmsg_alloc();
	CHECK(mt_damon_info_decode(ATTRS(msg), &info) == 0);
	CHECK(!info.b.bound && info.hot_rate == 0);
	nlmsg_free(msg);
}

static void damon_get_invalid(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct mt_damon_info info;

	/* bound, but without the aggregation interval */
	nla_put_u32(msg, MEMTALLY_A_DAMON_KDAMOND_PID, 1);
	nla_put_u32(msg, MEMTALLY_A_DAMON_OPS, 0);
	nla_put_u32(msg, MEMTALLY_A_DAMON_SAMPLE_US, 5000);
	CHECK(mt_damon_info_decode(ATTRS(msg), &info) == -EBADMSG);
	nlmsg_free(msg);

	/* a 2-byte target pid after good ones: nothing leaks (valgrind) */
	msg = nlmsg_alloc();
	nla_put_u32(msg, MEMTALLY_A_DAMON_TARGET_PID, 10);
	nla_put_u16(msg, MEMTALLY_A_DAMON_TARGET_PID, 20);
	CHECK(mt_damon_info_decode(ATTRS(msg), &info) == -EBADMSG);
	CHECK(info.b.target_pids == NULL);
	nlmsg_free(msg);

	/* a u64 where a u32 must fit */
	msg = nlmsg_alloc();
	nla_put_u64(msg, MEMTALLY_A_DAMON_HOT_RATE, 1ull << 32);
	CHECK(mt_damon_info_decode(ATTRS(msg), &info) == -EBADMSG);
	nlmsg_free(msg);
}

static void wss_samples(void)
{
	uint64_t pairs[6] = { 1000, 4096, 2000, 8192, 3000, 1ull << 40 };
	struct nl_msg *msg = nlmsg_alloc();
	struct mt_wss w;

	nla_put(msg, MEMTALLY_A_CGROUP_PAD, 0, NULL);
	nla_put_u64(msg, MEMTALLY_A_CGROUP_ID, 77);
	nla_put(msg, MEMTALLY_A_CGROUP_DAMON_WSS_SAMPLES, sizeof(pairs), pairs);
	CHECK(mt_wss_decode(ATTRS(msg), &w) == 0);
	CHECK_U64(w.id, 77);
	CHECK_U64(w.nr, 3);
	CHECK(w.nr == 3 && w.v[0].time_ns == 1000 && w.v[0].bytes == 4096 &&
	      w.v[2].time_ns == 3000 && w.v[2].bytes == 1ull << 40);
	CHECK(!w.truncated);
	free(w.v);
	/* a row cut to the newest samples says so */
	nla_put_flag(msg, MEMTALLY_A_CGROUP_DAMON_WSS_TRUNCATED);
	CHECK(mt_wss_decode(ATTRS(msg), &w) == 0);
	CHECK(w.nr == 3 && w.truncated);
	free(w.v);
	nlmsg_free(msg);

	/* a cgroup without samples, with or without the attribute */
	msg = nlmsg_alloc();
	nla_put_u64(msg, MEMTALLY_A_CGROUP_ID, 78);
	CHECK(mt_wss_decode(ATTRS(msg), &w) == 0);
	CHECK(w.id == 78 && w.nr == 0 && w.v == NULL);
	nla_put(msg, MEMTALLY_A_CGROUP_DAMON_WSS_SAMPLES, 0, NULL);
	CHECK(mt_wss_decode(ATTRS(msg), &w) == 0);
	CHECK(w.nr == 0 && w.v == NULL);
	nlmsg_free(msg);
}

static void wss_invalid(void)
{
	uint64_t pairs[4] = { 1, 2, 3, 4 };
	struct nl_msg *msg = nlmsg_alloc();
	struct mt_wss w;

	/* truncated: one pair and a half */
	nla_put_u64(msg, MEMTALLY_A_CGROUP_ID, 77);
	nla_put(msg, MEMTALLY_A_CGROUP_DAMON_WSS_SAMPLES, 24, pairs);
	CHECK(mt_wss_decode(ATTRS(msg), &w) == -EBADMSG);
	CHECK(w.v == NULL);
	nlmsg_free(msg);

	/* no id */
	msg = nlmsg_alloc();
	nla_put(msg, MEMTALLY_A_CGROUP_DAMON_WSS_SAMPLES, 16, pairs);
	CHECK(mt_wss_decode(ATTRS(msg), &w) == -EBADMSG);
	nlmsg_free(msg);
}

static void put_region(struct nl_msg *msg, uint64_t start, uint64_t end)
{
	nla_put_u64(msg, MEMTALLY_A_REGION_SEQ, 5);
	nla_put_u64(msg, MEMTALLY_A_REGION_TIME_NS, 1000000000);
	nla_put_u64(msg, MEMTALLY_A_REGION_START, start);
	nla_put_u64(msg, MEMTALLY_A_REGION_END, end);
	nla_put_u32(msg, MEMTALLY_A_REGION_NR_ACCESSES, 17);
}

static void regions(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct mt_region r;

	put_region(msg, 0x1000, 0x3000);
	nla_put_u64(msg, MEMTALLY_A_REGION_AGE_MS, 250);
	nla_put_u64(msg, MEMTALLY_A_REGION_CGROUP_ID, 99);
	nla_put_u32(msg, MEMTALLY_A_REGION_TARGET, 1);
	CHECK(mt_region_decode(ATTRS(msg), &r) == 0);
	CHECK_U64(r.seq, 5);
	CHECK_U64(r.time_ns, 1000000000);
	CHECK_U64(r.start, 0x1000);
	CHECK_U64(r.end, 0x3000);
	CHECK_U64(r.nr_accesses, 17);
	CHECK_U64(r.age_ms, 250);
	CHECK_U64(r.cgroup_id, 99);
	CHECK_U64(r.target, 1);
	nlmsg_free(msg);

	/* the optional ones absent: no cgroup */
	msg = nlmsg_alloc();
	put_region(msg, 0x1000, 0x3000);
	CHECK(mt_region_decode(ATTRS(msg), &r) == 0);
	CHECK(r.cgroup_id == 0 && r.age_ms == 0 && r.target == 0);
	nlmsg_free(msg);

	/* end before start */
	msg = nlmsg_alloc();
	put_region(msg, 0x3000, 0x1000);
	CHECK(mt_region_decode(ATTRS(msg), &r) == -EBADMSG);
	nlmsg_free(msg);

	/* no nr-accesses */
	msg = nlmsg_alloc();
	nla_put_u64(msg, MEMTALLY_A_REGION_SEQ, 5);
	nla_put_u64(msg, MEMTALLY_A_REGION_TIME_NS, 1);
	nla_put_u64(msg, MEMTALLY_A_REGION_START, 0);
	nla_put_u64(msg, MEMTALLY_A_REGION_END, 1);
	CHECK(mt_region_decode(ATTRS(msg), &r) == -EBADMSG);
	nlmsg_free(msg);
}

/* The DAMON attributes of a cgroup row; an older module's row has none. */
static void cgroup_damon(void)
{
	uint64_t age[MEMTALLY_DAMON_AGE_BUCKETS] = { 1, 2, [19] = 3 };
	struct nl_msg *msg = nlmsg_alloc();
	struct mt_cgroup cg;

	nla_put_u64(msg, MEMTALLY_A_CGROUP_ID, 9);
	nla_put_u64(msg, MEMTALLY_A_CGROUP_DAMON_WSS, 1 << 20);
	nla_put_u64(msg, MEMTALLY_A_CGROUP_DAMON_HOT, 300);
	nla_put_u64(msg, MEMTALLY_A_CGROUP_DAMON_WARM, 200);
	nla_put_u64(msg, MEMTALLY_A_CGROUP_DAMON_COLD, 100);
	nla_put(msg, MEMTALLY_A_CGROUP_DAMON_AGE_HIST, sizeof(age), age);
	CHECK(mt_cgroup_decode(ATTRS(msg), &cg) == 0);
	CHECK_U64(cg.counters[MT_CTR_DAMON_WSS], 1 << 20);
	CHECK_U64(cg.counters[MT_CTR_DAMON_HOT], 300);
	CHECK_U64(cg.counters[MT_CTR_DAMON_WARM], 200);
	CHECK_U64(cg.counters[MT_CTR_DAMON_COLD], 100);
	CHECK(!memcmp(cg.damon_age, age, sizeof(age)));
	nlmsg_free(msg);

	/* without them */
	msg = nlmsg_alloc();
	nla_put_u64(msg, MEMTALLY_A_CGROUP_ID, 9);
	nla_put_u64(msg, MEMTALLY_A_CGROUP_FAULTS_USER, 5);
	CHECK(mt_cgroup_decode(ATTRS(msg), &cg) == 0);
	CHECK_U64(cg.counters[MT_CTR_DAMON_WSS], 0);
	CHECK_U64(cg.damon_age[0], 0);
	nlmsg_free(msg);

	/* a truncated age histogram */
	msg = nlmsg_alloc();
	nla_put_u64(msg, MEMTALLY_A_CGROUP_ID, 9);
	nla_put(msg, MEMTALLY_A_CGROUP_DAMON_AGE_HIST, sizeof(age) - 8, age);
	CHECK(mt_cgroup_decode(ATTRS(msg), &cg) == -EBADMSG);
	nlmsg_free(msg);
}

#define ARGC(argv) ((int)(sizeof(argv) / sizeof((argv)[0])) - 1)

static void wss_percentiles(void)
{
	struct mt_wss_sample v[] = {
		{ 1, 40 }, { 2, 10 }, { 3, 30 }, { 4, 20 }, { 5, 50 },
	};
	uint64_t p[MT_WSS_PERCENTILES];

	/* sorted 10 20 30 40 50: ranks 0, 1, 2, 3, 5 (the last) */
	CHECK(mt_wss_percentiles(v, 5, p) == 0);
	CHECK(p[0] == 10 && p[1] == 20 && p[2] == 30 && p[3] == 40 &&
	      p[4] == 50);
	/* 10 40: ranks 0, 0, 1, 1, 1 */
	CHECK(mt_wss_percentiles(v, 1, p) == 0);
	CHECK(p[0] == 40 && p[4] == 40);
	CHECK(mt_wss_percentiles(v + 1, 4, p) == 0);
	CHECK(p[0] == 10 && p[1] == 20 && p[2] == 30 && p[3] == 50 &&
	      p[4] == 50);
	CHECK(mt_wss_percentiles(v, 0, p) == 0);
	CHECK(p[0] == 0 && p[4] == 0);
}

/* Samples of the same aggregation add up across cgroups. */
static void wss_merge(void)
{
	struct mt_wss_sample a[] = { { 100, 1 }, { 200, 2 } };
	struct mt_wss_sample b[] = { { 200, 10 }, { 300, 20 } };
	struct mt_wss cg[] = { { 1, a, 2, false }, { 2, NULL, 0, false },
			       { 3, b, 2, false } };
	struct mt_wss_list l = { cg, 3, 3 };
	struct mt_wss_sample out[4];

	CHECK_U64(mt_wss_merge(&l, out), 3);
	CHECK(out[0].time_ns == 100 && out[0].bytes == 1);
	CHECK(out[1].time_ns == 200 && out[1].bytes == 12);
	CHECK(out[2].time_ns == 300 && out[2].bytes == 20);
}

static void wss_text(void)
{
	struct mt_wss_sample v[] = {
		{ 1000000000, 2000000 }, { 2000000000, 3000000 },
		{ 4000000000, 1000000 },
	};
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);

	CHECK(mt_wss_print(f, v, 3, 5000000000) == 0);
	fclose(f);
	CHECK_STR(out,
		  " AGO     WSS   CHANGE/S\n"
		  "4.0s  2.0 MB          -\n"
		  "3.0s  3.0 MB  +1.0 MB/s\n"
		  "1.0s  1.0 MB  -1.0 MB/s\n"
		  "\n"
		  "PERCENTILE  WSS\n"
		  "         0  1.0 MB\n"
		  "        25  1.0 MB\n"
		  "        50  2.0 MB\n"
		  "        75  3.0 MB\n"
		  "       100  3.0 MB\n");
	free(out);

	/* a change beyond 2^64 B/s (found by fuzz_nl) */
	v[1].time_ns = v[0].time_ns + 1;
	v[1].bytes = UINT64_MAX;
	f = open_memstream(&out, &len);
	CHECK(mt_wss_print(f, v, 2, 5000000000) == 0);
	fclose(f);
	CHECK(strstr(out, "  +18446.7 PB/s\n") != NULL);
	free(out);
}

/* No sample yet: a line that says so; a stream that fails: an error */
static void wss_none(void)
{
	char *out = NULL, ro[16];
	size_t len;
	FILE *f = open_memstream(&out, &len);

	CHECK(mt_wss_print(f, NULL, 0, 5000000000) == 0);
	fclose(f);
	CHECK_STR(out, "no working set samples yet (none since the binding)\n");
	free(out);
	/* read-only: every write fails */
	f = fmemopen(ro, sizeof(ro), "r");
	CHECK(f != NULL);
	if (f) {
		CHECK(mt_wss_print(f, NULL, 0, 5000000000) == -EIO);
		fclose(f);
	}
}

static int quiet_wss(int argc, char **argv, struct wss_opts *o)
{
	int ret;

	quiet(true);
	ret = wss_parse(argc, argv, o);
	quiet(false);
	return ret;
}

static void parse_wss(void)
{
	char *plain[] = { "wss", NULL };
	char *cg[] = { "wss", "-c", "/a", "--json", NULL };
	char *by[] = { "wss", "--by-cgroup", NULL };
	char *both[] = { "wss", "-c", "/a", "-b", NULL };
	char *rel[] = { "wss", "--cgroup", "a", NULL };
	char *bad[] = { "wss", "--hot", NULL };
	char *extra[] = { "wss", "5", NULL };
	struct wss_opts o = { 0 };

	CHECK(wss_parse(ARGC(plain), plain, &o) == 0);
	CHECK(!o.json && !o.by_cgroup && !o.cgroup);
	CHECK(wss_parse(ARGC(cg), cg, &o) == 0 && o.json);
	CHECK_STR(o.cgroup, "/a");
	memset(&o, 0, sizeof(o));
	CHECK(wss_parse(ARGC(by), by, &o) == 0 && o.by_cgroup);
	CHECK(quiet_wss(ARGC(both), both, &o) == MT_EXIT_USAGE);
	CHECK(quiet_wss(ARGC(rel), rel, &o) == MT_EXIT_USAGE);
	CHECK(quiet_wss(ARGC(bad), bad, &o) == MT_EXIT_USAGE);
	CHECK(quiet_wss(ARGC(extra), extra, &o) == MT_EXIT_USAGE);
}

static struct mt_cgroup hc_row(uint64_t id, const char *path, uint64_t hot,
			       uint64_t warm, uint64_t cold)
{
	struct mt_cgroup cg = { .id = id, .path = path };

	cg.counters[MT_CTR_DAMON_HOT] = hot;
	cg.counters[MT_CTR_DAMON_WARM] = warm;
	cg.counters[MT_CTR_DAMON_COLD] = cold;
	cg.counters[MT_CTR_DAMON_WSS] = hot + warm;
	return cg;
}

static void hotcold_rows(void)
{
	struct mt_cgroup v[] = {
		hc_row(1, "/", 0, 0, 0),
		hc_row(2, "/a", 1000000, 1000000, 2000000),
		hc_row(3, "/b", 6000000, 0, 0),
	};
	struct mt_damon_info info = { .hot_rate = 10, .cold_rate = 1 };
	struct mt_cgroup total, none;
	char *out = NULL;
	double pct[3];
	size_t n, len;
	FILE *f;

	n = mt_hotcold_rows(v, 3, &total);
	CHECK_U64(n, 2);
	CHECK(v[0].id == 3 && v[1].id == 2);	/* most bytes first */
	CHECK_U64(total.counters[MT_CTR_DAMON_HOT], 7000000);
	CHECK_U64(total.counters[MT_CTR_DAMON_COLD], 2000000);
	CHECK_U64(total.counters[MT_CTR_DAMON_WSS], 8000000);
	mt_hotcold_shares(&v[1], pct);
	CHECK(pct[0] == 25.0 && pct[1] == 25.0 && pct[2] == 50.0);
	mt_hotcold_shares(&total, pct);
	CHECK(pct[0] == 70.0 && pct[1] == 10.0 && pct[2] == 20.0);
	v[2] = hc_row(1, "/", 0, 0, 0);
	mt_hotcold_shares(&v[2], pct);
	CHECK(pct[0] == 0 && pct[1] == 0 && pct[2] == 0);
	/* the rows of an empty dump (found by fuzz_nl) */
	CHECK_U64(mt_hotcold_rows(NULL, 0, &none), 0);
	CHECK_U64(none.counters[MT_CTR_DAMON_WSS], 0);

	info.b.aggr_us = 100000;
	f = open_memstream(&out, &len);
	CHECK(mt_hotcold_print(f, &info, v, n, &total) == 0);
	fclose(f);
	CHECK_STR(out,
		  "hot: more than 10 accesses/s, cold: fewer than 1 accesses/s, aggregation interval 100.0ms\n"
		  "PATH      HOT    WARM    COLD    HOT%  WARM%  COLD%\n"
		  "/b     6.0 MB     0 B     0 B  100.0%   0.0%   0.0%\n"
		  "/a     1.0 MB  1.0 MB  2.0 MB   25.0%  25.0%  50.0%\n"
		  "total  7.0 MB  1.0 MB  2.0 MB   70.0%  10.0%  20.0%\n");
	free(out);
}

static int quiet_hotcold(int argc, char **argv, struct hotcold_opts *o)
{
	int ret;

	quiet(true);
	ret = hotcold_parse(argc, argv, o);
	quiet(false);
	return ret;
}

static void parse_hotcold(void)
{
	char *set[] = { "hotcold", "--hot", "20", "--cold", "2", "-b", NULL };
	char *one[] = { "hotcold", "--cold", "5", NULL };
	char *inv[] = { "hotcold", "--hot", "1", "--cold", "2", NULL };
	char *neg[] = { "hotcold", "--hot", "-1", NULL };
	char *big[] = { "hotcold", "--hot", "4294967296", NULL };
	char *word[] = { "hotcold", "--cold", "few", NULL };
	struct hotcold_opts o = { 0 };

	CHECK(hotcold_parse(ARGC(set), set, &o) == 0);
	CHECK(o.set_hot && o.hot == 20 && o.set_cold && o.cold == 2);
	CHECK(o.by_cgroup && !o.json);
	memset(&o, 0, sizeof(o));
	CHECK(hotcold_parse(ARGC(one), one, &o) == 0);
	CHECK(!o.set_hot && o.set_cold && o.cold == 5);
	CHECK(quiet_hotcold(ARGC(inv), inv, &o) == MT_EXIT_USAGE);
	CHECK(quiet_hotcold(ARGC(neg), neg, &o) == MT_EXIT_USAGE);
	CHECK(quiet_hotcold(ARGC(big), big, &o) == MT_EXIT_USAGE);
	CHECK(quiet_hotcold(ARGC(word), word, &o) == MT_EXIT_USAGE);
}

/* The binary: a usage error is one line and exit code 2. */
static void tool_damon_usage(void)
{
	char *const *cases[] = {
		ARGS("wss", "--bogus"),
		ARGS("wss", "-c"),
		ARGS("hotcold", "--hot", "x"),
		ARGS("hotcold", "--cold"),
	};
	char out[4096], err[4096];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK(tool(out, err, sizeof(out), cases[i]) == MT_EXIT_USAGE);
		CHECK(strchr(err, '\n') == err + strlen(err) - 1);
		CHECK(strstr(err, "see memtally --help\n") != NULL);
		CHECK_STR(out, "");
	}
	CHECK(tool(out, err, sizeof(out), ARGS("wss", "--help")) == 0);
	CHECK(strstr(out, "CHANGE/S is no access rate") != NULL);
}

void test_damon(void)
{
	RUN(damon_get_bound);
	RUN(damon_get_unbound);
	RUN(damon_get_invalid);
	RUN(wss_samples);
	RUN(wss_invalid);
	RUN(regions);
	RUN(cgroup_damon);
	RUN(wss_percentiles);
	RUN(wss_merge);
	RUN(wss_text);
	RUN(wss_none);
	RUN(parse_wss);
	RUN(hotcold_rows);
	RUN(parse_hotcold);
	RUN(tool_damon_usage);
}
