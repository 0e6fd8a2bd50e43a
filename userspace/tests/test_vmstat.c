// SPDX-License-Identifier: GPL-2.0
/*
 * memtally vmstat: columns of two fixed samples, against the numbers
 * procps' vmstat computes from the same files (worked out by hand below),
 * and the command's usage errors.
 */
#include <math.h>
#include <stdlib.h>
#include <json.h>

#include "cmds.h"
#include "rate.h"
#include "vmstat.h"
#include "test.h"

#define CHECK_NEAR(got, want) CHECK(fabs((got) - (want)) < 1e-9)

/* /proc/meminfo, the lines vmstat reads, in a 6.12 guest's layout */
static const char meminfo0[] =
	"MemTotal:        1012200 kB\n"
	"MemFree:          600000 kB\n"
	"MemAvailable:     800000 kB\n"
	"Buffers:            1200 kB\n"
	"Cached:           100000 kB\n"
	"SwapCached:          512 kB\n"
	"SwapTotal:        524284 kB\n"
	"SwapFree:         500000 kB\n"
	"SReclaimable:      20000 kB\n"
	"SUnreclaim:        30000 kB\n";

static const char meminfo1[] =
	"MemTotal:        1012200 kB\n"
	"MemFree:          550000 kB\n"
	"Buffers:            1300 kB\n"
	"Cached:           110000 kB\n"
	"SwapTotal:        524284 kB\n"
	"SwapFree:         400000 kB\n"
	"SReclaimable:      21000 kB\n";

/* pswpin/pswpout count pages; pgpgin and the others are decoys */
static const char vmstat0[] =
	"nr_free_pages 150000\npgpgin 999\npgpgout 999\n"
	"pswpin 1000\npswpout 2000\npgfault 123\n";
static const char vmstat1[] =
	"nr_free_pages 137500\npgpgin 5999\npgpgout 5999\n"
	"pswpin 1500\npswpout 27000\npgfault 456\n";

static const char psi0[] =
	"some avg10=1.00 avg60=0.50 avg300=0.10 total=1000000\n"
	"full avg10=0.50 avg60=0.20 avg300=0.05 total=400000\n";
static const char psi1[] =
	"some avg10=9.00 avg60=2.50 avg300=0.60 total=1500000\n"
	"full avg10=4.50 avg60=1.20 avg300=0.25 total=600000\n";

/*
 * Over 2 s with 4 KiB pages, vmstat 2 prints
 *   swpd  = SwapTotal - SwapFree      = 524284 - 400000 = 124284
 *   free  = MemFree                   = 550000
 *   buff  = Buffers                   = 1300
 *   cache = Cached + SReclaimable     = 110000 + 21000 = 131000
 *   si    = (1500 - 1000) * 4 / 2     = 1000
 *   so    = (27000 - 2000) * 4 / 2    = 50000
 * and PSI's totals (us) give some (1500000 - 1000000) / 2e6 = 25 %,
 * full (600000 - 400000) / 2e6 = 10 %; 7 stalls in 2 s are 3.5/s.
 */
static void vmstat_columns(void)
{
	struct mt_vm_sample a, b;
	struct mt_vm_line l;
	uint64_t stalls = 7;

	mt_vm_parse(&a, meminfo0, vmstat0, psi0);
	mt_vm_parse(&b, meminfo1, vmstat1, psi1);
	CHECK(a.has_meminfo && b.has_meminfo && a.has_swapio && b.has_some &&
	      b.has_full);
	mt_vm_calc(&l, &a, &b, 2.0, 4, &stalls);
	CHECK_NEAR(l.v[MT_VM_SWPD], 124284);
	CHECK_NEAR(l.v[MT_VM_FREE], 550000);
	CHECK_NEAR(l.v[MT_VM_BUFF], 1300);
	CHECK_NEAR(l.v[MT_VM_CACHE], 131000);
	CHECK_NEAR(l.v[MT_VM_SI], 1000);
	CHECK_NEAR(l.v[MT_VM_SO], 50000);
	CHECK_NEAR(l.v[MT_VM_STALLS], 3.5);
	CHECK_NEAR(l.v[MT_VM_SOME], 25);
	CHECK_NEAR(l.v[MT_VM_FULL], 10);
}

/* What a sample lacks is - (null), never 0; the rest stands */
static void vmstat_missing(void)
{
	struct mt_vm_sample a, b;
	struct json_object *o;
	struct mt_vm_line l;
	char line[256];
	FILE *f;

	/* no PSI (psi=0), no module, /proc/vmstat unreadable */
	mt_vm_parse(&a, meminfo0, NULL, NULL);
	mt_vm_parse(&b, meminfo1, NULL, NULL);
	mt_vm_calc(&l, &a, &b, 1.0, 4, NULL);
	CHECK_NEAR(l.v[MT_VM_FREE], 550000);
	CHECK(isnan(l.v[MT_VM_SI]) && isnan(l.v[MT_VM_SO]));
	CHECK(isnan(l.v[MT_VM_STALLS]));
	CHECK(isnan(l.v[MT_VM_SOME]) && isnan(l.v[MT_VM_FULL]));

	f = fmemopen(line, sizeof(line), "w");
	CHECK(f != NULL);
	if (f) {
		mt_cols_print(f, "12:00:00", mt_vm_cols, l.v, MT_NR_VM, NULL);
		fclose(f);
		CHECK_STR(line, "12:00:00     124284     550000       1300     131000          -          -          -          -          -\n");
	}
	o = json_object_new_object();
	mt_cols_json(o, mt_vm_cols, l.v, MT_NR_VM);
	CHECK_STR(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
		  "{\"swpd_kb\":124284,\"free_kb\":550000,\"buff_kb\":1300,\"cache_kb\":131000,\"si_kb_per_s\":null,\"so_kb_per_s\":null,\"stalls_per_s\":null,\"psi_some_pct\":null,\"psi_full_pct\":null}");
	json_object_put(o);

	/* a meminfo without SReclaimable (not one of Linux's): no memory columns */
	mt_vm_parse(&a, "MemFree: 1 kB\nBuffers: 1 kB\nCached: 1 kB\n", NULL, NULL);
	CHECK(!a.has_meminfo);
}

/* A counter that seems to go back (it cannot since boot) adds nothing */
static void vmstat_backwards(void)
{
	struct mt_vm_sample a, b;
	struct mt_vm_line l;

	mt_vm_parse(&a, meminfo0, vmstat1, psi1);
	mt_vm_parse(&b, meminfo1, vmstat0, psi0);
	mt_vm_calc(&l, &a, &b, 1.0, 4, NULL);
	CHECK_NEAR(l.v[MT_VM_SI], 0);
	CHECK_NEAR(l.v[MT_VM_SOME], 0);
}

/*
 * Stalls of every kind, per id between two dumps: a cgroup created since
 * counts from 0, one removed since is gone, a recreated one (its counter
 * went back) adds nothing; other counters are not stalls.
 */
static void vmstat_stalls(void)
{
	static const struct mt_cgroup prev[] = {	/* sorted by id */
		{ .id = 1, .counters = { [MT_CTR_DIRECT_STALLS] = 10,
					 [MT_CTR_MEMCG_STALLS] = 5 } },
		{ .id = 2, .counters = { [MT_CTR_MEMCG_STALLS] = 100 } },
		{ .id = 4, .counters = { [MT_CTR_AGENT_STALLS] = 50 } },
	};
	static const struct mt_cgroup cur[] = {
		{ .id = 4, .counters = { [MT_CTR_AGENT_STALLS] = 53,
					 [MT_CTR_PGSCAN] = 1000 } },
		{ .id = 1, .counters = { [MT_CTR_DIRECT_STALLS] = 12,
					 [MT_CTR_MEMCG_STALLS] = 9,
					 [MT_CTR_SOFTLIMIT_STALLS] = 1 } },
		{ .id = 7, .counters = { [MT_CTR_MEMCG_STALLS] = 20 } },
		{ .id = 2, .counters = { [MT_CTR_MEMCG_STALLS] = 3 } },
	};
	uint64_t n = 99;

	/* 1: 2 + 4 + 1, 4: 3, 7: 20, 2: went back, 0 */
	CHECK(mt_vm_stalls(prev, 3, cur, 4, &n) == 0);
	CHECK_U64(n, 30);
	CHECK(mt_vm_stalls(NULL, 0, NULL, 0, &n) == 0);
	CHECK_U64(n, 0);
}

static void vmstat_usage(void)
{
	char out[4096], err[4096];

	CHECK(tool(out, err, sizeof(out), ARGS("vmstat", "0")) == 2);
	CHECK(strstr(err, "INTERVAL") != NULL);
	CHECK(tool(out, err, sizeof(out), ARGS("vmstat", "1", "2", "3")) == 2);
	CHECK_STR(err, "memtally: vmstat: unexpected argument '3'; see memtally --help\n");
	CHECK(tool(out, err, sizeof(out), ARGS("vmstat", "--help")) == 0);
	CHECK(strstr(out, "Usage: memtally vmstat") != NULL);
}

void test_vmstat(void)
{
	RUN(vmstat_columns);
	RUN(vmstat_missing);
	RUN(vmstat_backwards);
	RUN(vmstat_stalls);
	RUN(vmstat_usage);
}
