// SPDX-License-Identifier: GPL-2.0
/* memtally reclaim: rates of known snapshots, and their lines. */
#include <math.h>
#include <stdlib.h>
#include <json.h>

#include "format.h"
#include "rate.h"
#include "test.h"

#define ROWS(v) (v), (sizeof(v) / sizeof((v)[0]))

/* A row with the counters memtally reclaim shows */
#define ROW(id_, scan, steal, direct, memcg, slab_ns, thr, wb, oom)	\
	{ .id = (id_), .counters = {					\
		[MT_CTR_PGSCAN] = (scan), [MT_CTR_PGSTEAL] = (steal),	\
		[MT_CTR_DIRECT_STALLS] = (direct),			\
		[MT_CTR_MEMCG_STALLS] = (memcg),			\
		[MT_CTR_SLAB_SHRINK_NS] = (slab_ns),			\
		[MT_CTR_THROTTLED] = (thr), [MT_CTR_PGWRITEBACK] = (wb),	\
		[MT_CTR_OOM_KILLS] = (oom) } }

#define CHECK_NEAR(got, want) CHECK(fabs((got) - (want)) < 1e-9)

/* Sorted by id, as mt_cgroups_delta() wants the earlier snapshot */
static const struct mt_cgroup prev[] = {
	ROW(1, 100, 50, 1, 0, 0, 0, 0, 0),
	ROW(3, 1000, 1000, 9, 9, 9, 9, 9, 9),	/* removed since */
	ROW(5, 40, 40, 0, 0, 0, 0, 0, 0),
};

static const struct mt_cgroup cur[] = {
	ROW(5, 40, 40, 0, 0, 0, 0, 0, 0),	/* idle */
	ROW(1, 300, 250, 3, 4, 6000000, 2, 10, 1),
	ROW(8, 20, 10, 0, 0, 0, 0, 0, 0),	/* created since */
};

static const struct mt_cgroup nodes_prev[] = {
	ROW(0, 1000, 500, 0, 0, 0, 0, 0, 0),
};

static const struct mt_cgroup nodes_cur[] = {
	ROW(0, 1200, 700, 0, 0, 2000000, 0, 0, 0),
	ROW(1, 80, 40, 0, 0, 0, 0, 0, 0),	/* came online */
};

static void counters_delta(void)
{
	uint64_t a[MT_NR_CGROUP_COUNTERS] = { 5, 10, UINT64_MAX },
		 b[MT_NR_CGROUP_COUNTERS] = { 7, 3, UINT64_MAX }, d[MT_NR_CGROUP_COUNTERS];

	mt_counters_delta(d, a, b);
	CHECK_U64(d[0], 2);
	CHECK_U64(d[1], 0);	/* backwards: nothing, not 2^64 - 7 */
	CHECK_U64(d[2], 0);
	mt_counters_delta(d, b, a);
	CHECK_U64(d[0], 0);
	CHECK_U64(d[1], 7);
}

static void cgroups_delta(void)
{
	struct mt_cgroup d[3];

	mt_cgroups_delta(d, ROWS(prev), ROWS(cur));
	CHECK_U64(d[0].id, 5);
	CHECK_U64(d[0].counters[MT_CTR_PGSCAN], 0);
	CHECK_U64(d[1].id, 1);
	CHECK_U64(d[1].counters[MT_CTR_PGSCAN], 200);
	CHECK_U64(d[1].counters[MT_CTR_PGSTEAL], 200);
	CHECK_U64(d[1].counters[MT_CTR_SLAB_SHRINK_NS], 6000000);
	CHECK_U64(d[2].id, 8);			/* counts from 0 */
	CHECK_U64(d[2].counters[MT_CTR_PGSCAN], 20);
	CHECK_U64(d[2].counters[MT_CTR_PGSTEAL], 10);

	/* from an empty snapshot: totals */
	mt_cgroups_delta(d, NULL, 0, ROWS(cur));
	CHECK_U64(d[1].counters[MT_CTR_PGSCAN], 300);
}

/* The cgroup was recreated: same id, counters from 0 again */
static void cgroup_recreated(void)
{
	const struct mt_cgroup before[] = { ROW(1, 5000, 4000, 90, 80, 70, 60, 50, 40) };
	const struct mt_cgroup after[] = { ROW(1, 30, 20, 1, 0, 0, 0, 0, 0) };
	uint64_t sum[MT_NR_CGROUP_COUNTERS] = { 0 };
	struct mt_cgroup d[1];
	double v[MT_NR_RC];
	size_t i;

	mt_cgroups_delta(d, ROWS(before), ROWS(after));
	mt_counters_add(sum, d, 1);
	mt_reclaim_calc(v, sum, 1);
	for (i = 0; i < MT_NR_RC; i++)
		if (i != MT_RC_VMEFF)
			CHECK_NEAR(v[i], 0);
	CHECK(isnan(v[MT_RC_VMEFF]));
}

/* System-wide: every cgroup row and every node row, over 2 seconds */
static void system_rates(void)
{
	uint64_t sum[MT_NR_CGROUP_COUNTERS] = { 0 };
	struct mt_cgroup d[3];
	double v[MT_NR_RC];

	mt_cgroups_delta(d, ROWS(prev), ROWS(cur));
	mt_counters_add(sum, d, 3);
	mt_cgroups_delta(d, ROWS(nodes_prev), ROWS(nodes_cur));
	mt_counters_add(sum, d, 2);
	CHECK_U64(sum[MT_CTR_PGSCAN], 0 + 200 + 20 + 200 + 80);
	CHECK_U64(sum[MT_CTR_PGSTEAL], 0 + 200 + 10 + 200 + 40);
	mt_reclaim_calc(v, sum, 2);
	CHECK_NEAR(v[MT_RC_PGSCAN], 250);
	CHECK_NEAR(v[MT_RC_PGSTEAL], 225);
	CHECK_NEAR(v[MT_RC_VMEFF], 90);
	CHECK_NEAR(v[MT_RC_DIRECT], 1);
	CHECK_NEAR(v[MT_RC_MEMCG], 2);
	CHECK_NEAR(v[MT_RC_SLAB_MS], 4);	/* 8 ms in 2 s */
	CHECK_NEAR(v[MT_RC_THROTTLED], 1);
	CHECK_NEAR(v[MT_RC_PGWRITEBACK], 5);
	CHECK_NEAR(v[MT_RC_OOM_KILLS], 1);	/* a count, not a rate */
}

static void vmeff_nothing_scanned(void)
{
	uint64_t d[MT_NR_CGROUP_COUNTERS] = { [MT_CTR_PGSTEAL] = 5 };
	double v[MT_NR_RC];
	char *out = NULL;
	size_t len;
	FILE *f;

	mt_reclaim_calc(v, d, 1);
	CHECK(isnan(v[MT_RC_VMEFF]));
	f = open_memstream(&out, &len);
	mt_cols_print(f, "12:00:01", mt_reclaim_cols, v, MT_NR_RC, NULL);
	fclose(f);
	CHECK_STR(out, "12:00:01       0.00       5.00          -       0.00       0.00       0.00         0.00           0.00          0\n");
	free(out);
}

static void rate_lines(void)
{
	const struct mt_cgroup row[] = { ROW(1, 200, 200, 2, 4, 6000000, 2, 10, 1) };
	double v[MT_NR_RC];
	char *out = NULL;
	size_t len;
	FILE *f;

	mt_reclaim_calc(v, row[0].counters, 2);
	f = open_memstream(&out, &len);
	mt_cols_header(f, mt_reclaim_cols, MT_NR_RC, false);
	mt_cols_print(f, "12:00:01", mt_reclaim_cols, v, MT_NR_RC, NULL);
	fclose(f);
	CHECK_STR(out,
		"TIME       pgscan/s  pgsteal/s     %vmeff   direct/s    memcg/s  slab-ms/s  throttled/s  pgwriteback/s  oom-kills\n"
		"12:00:01     100.00     100.00     100.00       1.00       2.00       3.00         1.00           5.00          1\n");
	free(out);
}

/* A line of --by-cgroup: PATH last */
static void path_lines(void)
{
	const struct mt_cgroup row[] = { ROW(1, 300, 250, 3, 4, 6400000, 2, 10, 1) };
	double v[MT_NR_RC];
	char *out = NULL;
	size_t len;
	FILE *f;

	mt_reclaim_calc(v, row[0].counters, 1);
	f = open_memstream(&out, &len);
	mt_cols_header(f, mt_reclaim_cols, MT_NR_RC, true);
	mt_cols_print(f, "12:00:01", mt_reclaim_cols, v, MT_NR_RC, "/a");
	fclose(f);
	CHECK_STR(out,
		"TIME       pgscan/s  pgsteal/s     %vmeff   direct/s    memcg/s  slab-ms/s  throttled/s  pgwriteback/s  oom-kills  PATH\n"
		"12:00:01     300.00     250.00      83.33       3.00       4.00       6.40         2.00          10.00          1  /a\n");
	free(out);
}

static char *json_line(const double *v)
{
	struct json_object *o = json_object_new_object();
	char *out = NULL;
	size_t len;
	FILE *f;

	f = open_memstream(&out, &len);
	json_object_object_add(o, "time", json_object_new_string("t"));
	mt_cols_json(o, mt_reclaim_cols, v, MT_NR_RC);
	CHECK(mt_json_print(f, o) == 0);
	fclose(f);
	return out;
}

static void rate_json(void)
{
	const struct mt_cgroup row[] = { ROW(1, 300, 250, 3, 4, 6400000, 2, 10, 1) };
	uint64_t none[MT_NR_CGROUP_COUNTERS] = { 0 };
	double v[MT_NR_RC];
	char *out;

	mt_reclaim_calc(v, row[0].counters, 2);
	out = json_line(v);
	CHECK_STR(out, "{\"time\":\"t\",\"pgscan_per_s\":150.00,\"pgsteal_per_s\":125.00,\"vmeff_pct\":83.33,\"direct_stalls_per_s\":1.50,\"memcg_stalls_per_s\":2.00,\"slab_ms_per_s\":3.20,\"throttled_per_s\":1.00,\"pgwriteback_per_s\":5.00,\"oom_kills\":1}\n");
	free(out);

	/* nothing scanned: %vmeff is null */
	mt_reclaim_calc(v, none, 1);
	out = json_line(v);
	CHECK(strstr(out, "\"vmeff_pct\":null,"));
	free(out);
}

void test_rate(void)
{
	RUN(counters_delta);
	RUN(cgroups_delta);
	RUN(cgroup_recreated);
	RUN(system_rates);
	RUN(vmeff_nothing_scanned);
	RUN(rate_lines);
	RUN(path_lines);
	RUN(rate_json);
}
