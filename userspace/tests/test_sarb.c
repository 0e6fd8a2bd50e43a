// SPDX-License-Identifier: GPL-2.0
/*
 * memtally reclaim's sar -B columns from two /proc/vmstat samples: the
 * counters of real guests (the golden captures' /proc/vmstat, 6.1 and
 * 6.12, memcg reclaim under memory.max) and a made-up split of reclaimers,
 * against the numbers worked out by hand below.
 */
#include <math.h>

#include "sarb.h"
#include "test.h"

#define NEAR(got, want) CHECK(fabs((got) - (want)) < 1e-6)

/* 6.1 (tests/golden/6.1 snapshot.json, snapshot-2.json): its lines */
static const char v61a[] =
	"pgpgin 8\npgpgout 4\npgfree 356618\npgfault 218487\npgmajfault 82077\n"
	"pgsteal_kswapd 0\npgsteal_direct 0\npgscan_kswapd 0\npgscan_direct 0\n"
	"pgscan_direct_throttle 0\npgscan_anon 198168\npgscan_file 0\n"
	"pgsteal_anon 97415\npgsteal_file 0\n";
static const char v61b[] =
	"pgpgin 8\npgpgout 4\npgfree 406153\npgfault 317201\npgmajfault 131263\n"
	"pgsteal_kswapd 0\npgsteal_direct 0\npgscan_kswapd 0\npgscan_direct 0\n"
	"pgscan_direct_throttle 0\npgscan_anon 295678\npgscan_file 0\n"
	"pgsteal_anon 146609\npgsteal_file 0\n";

/*
 * Over 5 s: fault 98714 / 5, majflt 49186 / 5, pgfree 49535 / 5; no
 * kswapd or direct reclaim, so the 97510 pages scanned are cgroup reclaim
 * (sar's pgscank/s and pgscand/s: 0); pgsteal 49194 / 5; %vmeff
 * 100 * 49194 / 97510 = 50.45021...
 */
static void sarb_61(void)
{
	struct mt_sarb_sample a, b;
	double v[MT_NR_SB];

	mt_sarb_parse(&a, v61a);
	mt_sarb_parse(&b, v61b);
	CHECK(a.ok && b.ok);
	mt_sarb_calc(v, &a, &b, 5);
	NEAR(v[MT_SB_PGPGIN], 0);
	NEAR(v[MT_SB_PGPGOUT], 0);
	NEAR(v[MT_SB_FAULT], 19742.8);
	NEAR(v[MT_SB_MAJFLT], 9837.2);
	NEAR(v[MT_SB_PGFREE], 9907);
	NEAR(v[MT_SB_PGSCANK], 0);
	NEAR(v[MT_SB_PGSCAND], 0);
	NEAR(v[MT_SB_PGSCANC], 19502);
	NEAR(v[MT_SB_PGSTEAL], 9838.8);
	NEAR(v[MT_SB_VMEFF], 4919400.0 / 97510);
}

/* 6.12 has pgscan_khugepaged/pgsteal_khugepaged too */
static const char v612a[] =
	"pgpgin 562180\npgpgout 623624\npgfree 417729\npgfault 195188\n"
	"pgmajfault 140543\npgsteal_kswapd 0\npgsteal_direct 0\n"
	"pgsteal_khugepaged 0\npgscan_kswapd 0\npgscan_direct 0\n"
	"pgscan_khugepaged 0\npgscan_direct_throttle 0\npgscan_anon 302733\n"
	"pgscan_file 0\npgsteal_anon 155905\npgsteal_file 0\n";
static const char v612b[] =
	"pgpgin 852368\npgpgout 913772\npgfree 491460\npgfault 268743\n"
	"pgmajfault 213090\npgsteal_kswapd 0\npgsteal_direct 0\n"
	"pgsteal_khugepaged 0\npgscan_kswapd 0\npgscan_direct 0\n"
	"pgscan_khugepaged 0\npgscan_direct_throttle 0\npgscan_anon 445901\n"
	"pgscan_file 0\npgsteal_anon 228442\npgsteal_file 0\n";

/*
 * Over 5 s: pgpgin 290188 / 5 (KiB already), pgpgout 290148 / 5, fault
 * 73555 / 5, majflt 72547 / 5, pgfree 73731 / 5, cgroup scan 143168 / 5,
 * pgsteal 72537 / 5, %vmeff 100 * 72537 / 143168 = 50.66565...
 */
static void sarb_612(void)
{
	struct mt_sarb_sample a, b;
	double v[MT_NR_SB];

	mt_sarb_parse(&a, v612a);
	mt_sarb_parse(&b, v612b);
	mt_sarb_calc(v, &a, &b, 5);
	NEAR(v[MT_SB_PGPGIN], 58037.6);
	NEAR(v[MT_SB_PGPGOUT], 58029.6);
	NEAR(v[MT_SB_FAULT], 14711);
	NEAR(v[MT_SB_MAJFLT], 14509.4);
	NEAR(v[MT_SB_PGFREE], 14746.2);
	NEAR(v[MT_SB_PGSCANK], 0);
	NEAR(v[MT_SB_PGSCAND], 0);
	NEAR(v[MT_SB_PGSCANC], 28633.6);
	NEAR(v[MT_SB_PGSTEAL], 14507.4);
	NEAR(v[MT_SB_VMEFF], 7253700.0 / 143168);
}

/*
 * Every reclaimer in 1 s: kswapd scanned 100, direct 50 and khugepaged 10
 * (pgscand 60), 260 in all, so cgroup reclaim 100; then node proactive
 * reclaim (7.x) scans 20 more: pgscand 80, cgroup reclaim still 100; 130 reclaimed (the
 * per-reclaimer pgsteal_* lines are not added again); %vmeff 50.  A
 * counter that went back gives 0, not a huge rate.
 */
static void sarb_split(void)
{
	static const char a[] =
		"pgpgin 0\npgpgout 0\npgfault 0\npgmajfault 0\npgfree 0\n"
		"pgscan_kswapd 0\npgscan_direct 0\npgscan_khugepaged 0\n"
		"pgscan_anon 0\npgscan_file 0\npgsteal_anon 0\npgsteal_file 0\n"
		"pgsteal_kswapd 0\npgsteal_direct 0\n";
	static const char b[] =
		"pgpgin 0\npgpgout 0\npgfault 7\npgmajfault 0\npgfree 0\n"
		"pgscan_kswapd 100\npgscan_direct 50\npgscan_khugepaged 10\n"
		"pgscan_anon 200\npgscan_file 60\npgsteal_anon 100\n"
		"pgsteal_file 30\npgsteal_kswapd 90\npgsteal_direct 40\n";
	static const char c[] =
		"pgpgin 0\npgpgout 0\npgfault 7\npgmajfault 0\npgfree 0\n"
		"pgscan_kswapd 100\npgscan_direct 50\npgscan_khugepaged 10\n"
		"pgscan_proactive 20\npgscan_anon 220\npgscan_file 60\n"
		"pgsteal_anon 100\npgsteal_file 30\n";
	struct mt_sarb_sample sa, sb, sc;
	double v[MT_NR_SB];

	mt_sarb_parse(&sa, a);
	mt_sarb_parse(&sb, b);
	mt_sarb_calc(v, &sa, &sb, 1);
	NEAR(v[MT_SB_PGSCANK], 100);
	NEAR(v[MT_SB_PGSCAND], 60);
	NEAR(v[MT_SB_PGSCANC], 100);
	NEAR(v[MT_SB_PGSTEAL], 130);
	NEAR(v[MT_SB_VMEFF], 50);
	mt_sarb_parse(&sc, c);
	mt_sarb_calc(v, &sa, &sc, 1);
	NEAR(v[MT_SB_PGSCAND], 80);
	NEAR(v[MT_SB_PGSCANC], 100);
	mt_sarb_calc(v, &sb, &sa, 1);
	NEAR(v[MT_SB_FAULT], 0);
	CHECK(isnan(v[MT_SB_VMEFF]));	/* nothing scanned */
}

/* 6.1's /squeeze (the same captures): its memory.stat's lines */
static const char c61a[] =
	"pgscan 191220\npgsteal 94498\npgscan_kswapd 0\npgscan_direct 191220\n"
	"pgsteal_kswapd 0\npgsteal_direct 94498\npgfault 180702\n"
	"pgmajfault 82152\n";
static const char c61b[] =
	"pgscan 288712\npgsteal 143684\npgscan_kswapd 0\npgscan_direct 288712\n"
	"pgsteal_kswapd 0\npgsteal_direct 143684\npgfault 279068\n"
	"pgmajfault 131338\n";

/*
 * Over 5 s: fault 98366 / 5, majflt 49186 / 5; the cgroup's own reclaim
 * (memory.max) is in its pgscan_direct: pgscand 97492 / 5; pgsteal
 * 49186 / 5, %vmeff 100 * 49186 / 97492 = 50.45132...; no pgpgin,
 * pgpgout, pgfree or pgscanc in memory.stat.
 */
static void sarb_cgroup_61(void)
{
	struct mt_sarb_sample a, b;
	double v[MT_NR_SB];

	mt_sarb_parse_cgroup(&a, c61a);
	mt_sarb_parse_cgroup(&b, c61b);
	CHECK(a.ok && b.ok);
	mt_sarb_calc(v, &a, &b, 5);
	CHECK(isnan(v[MT_SB_PGPGIN]) && isnan(v[MT_SB_PGPGOUT]) &&
	      isnan(v[MT_SB_PGFREE]) && isnan(v[MT_SB_PGSCANC]));
	NEAR(v[MT_SB_FAULT], 19673.2);
	NEAR(v[MT_SB_MAJFLT], 9837.2);
	NEAR(v[MT_SB_PGSCANK], 0);
	NEAR(v[MT_SB_PGSCAND], 19498.4);
	NEAR(v[MT_SB_PGSTEAL], 9837.2);
	NEAR(v[MT_SB_VMEFF], 4918600.0 / 97492);
	mt_sarb_parse_cgroup(&b, "pgfault 1\n");	/* cgroup v1, or a file cut short */
	CHECK(!b.ok);
}

/*
 * Linux 7.x: pgscan_* are node statistics, listed before pgpgin, and count
 * cgroup reclaim too (here all 100 pages scanned are the direct/cgroup
 * reclaim's): pgscand has them, pgscanc cannot be told
 */
static void sarb_scan_all(void)
{
	static const char a[] =
		"nr_free_pages 1\npgsteal_kswapd 0\npgsteal_direct 0\n"
		"pgscan_kswapd 0\npgscan_direct 0\npgscan_anon 0\n"
		"pgscan_file 0\npgsteal_anon 0\npgsteal_file 0\n"
		"nr_dirty_threshold 9\npgpgin 0\npgpgout 0\npgfault 0\n"
		"pgmajfault 0\npgfree 0\n";
	static const char b[] =
		"nr_free_pages 1\npgsteal_kswapd 0\npgsteal_direct 50\n"
		"pgscan_kswapd 0\npgscan_direct 100\npgscan_anon 100\n"
		"pgscan_file 0\npgsteal_anon 50\npgsteal_file 0\n"
		"nr_dirty_threshold 9\npgpgin 0\npgpgout 0\npgfault 0\n"
		"pgmajfault 0\npgfree 0\n";
	struct mt_sarb_sample sa, sb;
	double v[MT_NR_SB];

	mt_sarb_parse(&sa, a);
	mt_sarb_parse(&sb, b);
	CHECK(sa.ok && sa.scan_all && sb.scan_all);
	mt_sarb_calc(v, &sa, &sb, 1);
	NEAR(v[MT_SB_PGSCAND], 100);
	CHECK(isnan(v[MT_SB_PGSCANC]));
	NEAR(v[MT_SB_PGSTEAL], 50);
	NEAR(v[MT_SB_VMEFF], 50);
	mt_sarb_parse(&sa, v61a);	/* 6.x: events after pgpgin */
	CHECK(!sa.scan_all);
}

/* A /proc/vmstat without a counter, or none: every column unknown */
static void sarb_missing(void)
{
	struct mt_sarb_sample a, b;
	double v[MT_NR_SB];
	int i;

	mt_sarb_parse(&a, "pgpgin 1\npgpgout 2\n");
	CHECK(!a.ok);
	mt_sarb_parse(&b, NULL);
	CHECK(!b.ok);
	mt_sarb_parse(&b, v612b);
	mt_sarb_calc(v, &a, &b, 1);
	for (i = 0; i < MT_NR_SB; i++)
		CHECK(isnan(v[i]));
}

void test_sarb(void)
{
	RUN(sarb_61);
	RUN(sarb_612);
	RUN(sarb_cgroup_61);
	RUN(sarb_split);
	RUN(sarb_scan_all);
	RUN(sarb_missing);
}
