// SPDX-License-Identifier: GPL-2.0
/* memtally smem: sizes per process, user, cgroup, mapping and system. */
#include <errno.h>
#include <stdlib.h>
#include <json.h>

#include "test.h"
#include "../smemcalc.h"
#include "../smemchart.h"
#include "../snapfile.h"

/*
 * pid 10 (uid 0, /a) and 11 (uid 1000, /a/b) with known sizes; 12 a
 * kernel thread (empty smaps_rollup); 13 not readable (null); 14 a
 * kernel thread whose smaps_rollup failed (no VmRSS); 15 another user's
 * (VmRSS, smaps_rollup null)
 */
static const char fixture[] =
"{\"format\":\"memtally-snapshot\",\"version\":1,\"module\":null,\"files\":{"
"\"/proc/meminfo\":\"MemTotal: 1000 kB\\nMemFree: 400 kB\\nBuffers: 10 kB\\n"
"Cached: 90 kB\\nAnonPages: 300 kB\\nSlab: 50 kB\\nKernelStack: 8 kB\\n"
"PageTables: 2 kB\\nSecPageTables: 1 kB\\nPercpu: 40 kB\\n"
"VmallocUsed: 20 kB\\n\","
"\"/proc/10/status\":\"Name:\\tdb\\nUid:\\t0\\t0\\t0\\t0\\n\","
"\"/proc/10/cmdline\":\"/usr/bin/db\","
"\"/proc/10/cgroup\":\"0::/a\\n\","
"\"/proc/10/smaps_rollup\":\"00400000-7fff0000 ---p 00000000 00:00 0 [rollup]\\n"
"Rss: 100 kB\\nPss: 60 kB\\nPrivate_Clean: 10 kB\\nPrivate_Dirty: 30 kB\\n"
"Private_Hugetlb: 0 kB\\nSwap: 5 kB\\nPss_File: 15 kB\\n"
"Pss_Shmem: 5 kB\\n\","
"\"/proc/10/smaps\":\"00400000-00410000 r-xp 00000000 08:01 12 /lib/x.so\\n"
"Size: 64 kB\\nRss: 40 kB\\nPss: 20 kB\\nPrivate_Clean: 0 kB\\n"
"Private_Dirty: 0 kB\\nSwap: 0 kB\\nVmFlags: rd ex\\n"
"00600000-00700000 rw-p 00000000 00:00 0 [heap]\\nSize: 1024 kB\\n"
"Rss: 60 kB\\nPss: 40 kB\\nPrivate_Clean: 10 kB\\nPrivate_Dirty: 30 kB\\n"
"Swap: 5 kB\\nVmFlags: rd wr\\n\","
"\"/proc/11/status\":\"Name:\\tweb\\nUid:\\t1000\\t1000\\t1000\\t1000\\n\","
"\"/proc/11/cmdline\":\"web\","
"\"/proc/11/cgroup\":\"0::/a/b\\n\","
"\"/proc/11/smaps_rollup\":\"00400000-7fff0000 ---p 00000000 00:00 0 [rollup]\\n"
"Rss: 50 kB\\nPss: 30 kB\\nPrivate_Clean: 0 kB\\nPrivate_Dirty: 20 kB\\n"
"Swap: 0 kB\\n\","
"\"/proc/11/smaps\":\"00400000-00410000 r-xp 00000000 08:01 12 /lib/x.so\\n"
"Rss: 40 kB\\nPss: 20 kB\\nPrivate_Clean: 0 kB\\nPrivate_Dirty: 0 kB\\n"
"Swap: 0 kB\\nVmFlags: rd ex\\n\","
"\"/proc/12/status\":\"Name:\\tkthreadd\\nUid:\\t0\\t0\\t0\\t0\\n\","
"\"/proc/12/smaps_rollup\":\"\","
"\"/proc/13/smaps_rollup\":null,"
"\"/proc/14/status\":\"Name:\\tkworker/0:1\\nKthread:\\t1\\n\","
"\"/proc/14/smaps_rollup\":null,"
"\"/proc/15/status\":\"Name:\\tsshd\\nVmRSS:\\t  900 kB\\n\","
"\"/proc/15/smaps_rollup\":null"
"}}";

static int load(struct mt_snap *s)
{
	char why[256];
	int err = mt_snap_parse(fixture, sizeof(fixture) - 1, s, why,
				sizeof(why));

	if (err)
		fprintf(stderr, "fixture: %s\n", why);
	return err;
}

static void smem_processes(void)
{
	struct mt_snap s;
	struct mt_smem m;

	CHECK(!load(&s));
	if (t_failed_case)
		return;
	CHECK(!mt_smem_read(&s, &m));
	CHECK_U64(m.nr_procs, 2);	/* no kernel thread */
	CHECK_U64(m.unreadable, 2);	/* 13 and 15 */
	if (m.nr_procs == 2) {
		CHECK_U64(m.procs[0].pid, 10);
		CHECK_U64(m.procs[0].uid, 0);
		CHECK_STR(m.procs[0].name, "/usr/bin/db");
		CHECK_STR(m.procs[0].cgroup, "/a");
		CHECK_U64(m.procs[0].v[MT_SMEM_RSS], 100 * 1024);
		CHECK_U64(m.procs[0].v[MT_SMEM_PSS], 60 * 1024);
		CHECK_U64(m.procs[0].v[MT_SMEM_USS], 40 * 1024);
		CHECK_U64(m.procs[0].v[MT_SMEM_SWAP], 5 * 1024);
		CHECK_U64(m.procs[1].uid, 1000);
		CHECK_U64(m.procs[1].v[MT_SMEM_USS], 20 * 1024);
	}
	mt_smem_free(&m);
	mt_snap_free(&s);
}

static void smem_groups(void)
{
	struct mt_smem_row *v;
	struct mt_snap s;
	struct mt_smem m;
	size_t n, i;

	CHECK(!load(&s));
	if (t_failed_case)
		return;
	CHECK(!mt_smem_read(&s, &m));
	CHECK(!mt_smem_group(&m, MT_SMEM_BY_USER, &v, &n));
	CHECK_U64(n, 2);
	for (i = 0; i < n; i++)
		CHECK_U64(v[i].v[MT_SMEM_PSS], v[i].uid ? 30 * 1024 :
						60 * 1024);
	mt_smem_rows_free(v, n);
	CHECK(!mt_smem_group(&m, MT_SMEM_BY_CGROUP, &v, &n));
	CHECK_U64(n, 2);
	mt_smem_rows_free(v, n);
	/* /lib/x.so in both processes: 20 + 20 kB PSS, counted twice */
	CHECK(!mt_smem_maps(&s, &m, &v, &n));
	CHECK_U64(n, 2);
	for (i = 0; i < n; i++) {
		if (!strcmp(v[i].name, "/lib/x.so")) {
			CHECK_U64(v[i].count, 2);
			CHECK_U64(v[i].v[MT_SMEM_PSS], 40 * 1024);
			CHECK_U64(v[i].v[MT_SMEM_RSS], 80 * 1024);
			CHECK_U64(v[i].v[MT_SMEM_USS], 0);
		} else {
			CHECK_STR(v[i].name, "[heap]");
			CHECK_U64(v[i].count, 1);
			CHECK_U64(v[i].v[MT_SMEM_USS], 40 * 1024);
			CHECK_U64(v[i].v[MT_SMEM_SWAP], 5 * 1024);
		}
	}
	mt_smem_rows_free(v, n);
	mt_smem_free(&m);
	mt_snap_free(&s);
}

static void smem_system(void)
{
	struct mt_smem_sys sys;
	struct mt_snap s;
	struct mt_smem m;
	uint64_t sum = 0;
	int i;

	CHECK(!load(&s));
	if (t_failed_case)
		return;
	CHECK(!mt_smem_read(&s, &m));
	CHECK(!mt_smem_system(&s, &m, &sys));
	CHECK_U64(sys.total, 1000 * 1024);
	CHECK_U64(sys.v[MT_SYS_FREE], 400 * 1024);
	/* the PSS of 10 and 11 */
	CHECK_U64(sys.v[MT_SYS_USER], 90 * 1024);
	/* Buffers + Cached less 10's Pss_File + Pss_Shmem */
	CHECK_U64(sys.v[MT_SYS_CACHE], 80 * 1024);
	/* 50 + 8 + 2 + 1 + 40, and VmallocUsed less KernelStack: 12 */
	CHECK_U64(sys.v[MT_SYS_KERNEL], 113 * 1024);
	CHECK_U64(sys.v[MT_SYS_OTHER], 317 * 1024);
	CHECK_U64(sys.over, 0);
	for (i = 0; i < MT_NR_SYS; i++)
		sum += sys.v[i];
	CHECK_U64(sum, sys.total);
	mt_smem_free(&m);
	mt_snap_free(&s);
}

/* Parts that overshoot MemTotal: other is 0, over says by how much */
static void smem_system_over(void)
{
	static const char over[] =
	"{\"format\":\"memtally-snapshot\",\"version\":1,\"module\":null,"
	"\"files\":{\"/proc/meminfo\":\"MemTotal: 100 kB\\nMemFree: 90 kB\\n"
	"Slab: 50 kB\\n\"}}";
	struct mt_smem_sys sys;
	struct mt_snap s;
	struct mt_smem m;
	char why[256];

	CHECK(!mt_snap_parse(over, sizeof(over) - 1, &s, why, sizeof(why)));
	if (t_failed_case)
		return;
	CHECK(!mt_smem_read(&s, &m));
	CHECK(!mt_smem_system(&s, &m, &sys));
	CHECK_U64(sys.v[MT_SYS_KERNEL], 50 * 1024);
	CHECK_U64(sys.v[MT_SYS_OTHER], 0);
	CHECK_U64(sys.over, 40 * 1024);
	mt_smem_free(&m);
	mt_snap_free(&s);
}

/* Write the fixture to a file for the tool's --from */
static void fixture_file(char *path)
{
	int fd = mkstemp(path);

	CHECK(fd >= 0 && write(fd, fixture, sizeof(fixture) - 1) ==
	      (ssize_t)sizeof(fixture) - 1);
	close(fd);
}

static void smem_cli(void)
{
	char path[] = "/tmp/mt-smem.XXXXXX", out[8192], err[1024];

	fixture_file(path);
	CHECK(tool(out, err, sizeof(out), ARGS("smem", "--from", path,
					       "--json", "-c", "/a/b")) == 0);
	CHECK(strstr(out, "\"rows\":[{\"pid\":11,\"uid\":1000,\"cgroup\":\"/a/b\",\"command\":\"web\",\"swap\":0,\"uss\":20480,\"pss\":30720,\"rss\":51200}]"));
	CHECK(tool(out, err, sizeof(out), ARGS("smem", "--from", path,
					       "-u", "0", "-buser")) == 0);
	CHECK(strstr(out, "\n0 ") && !strstr(out, "1000"));
	CHECK(tool(out, err, sizeof(out), ARGS("smem", "--from", path,
					       "-P", "^web$", "--json")) == 0);
	CHECK(strstr(out, "\"pid\":11") && !strstr(out, "\"pid\":10"));
	CHECK(tool(out, err, sizeof(out), ARGS("smem", "--from", path,
					       "-bmapping", "-Mheap", "--json")) == 0);
	CHECK(strstr(out, "\"mapping\":\"[heap]\"") &&
	      !strstr(out, "x.so"));
	CHECK(tool(out, err, sizeof(out), ARGS("smem", "--by", "nope")) == 2);
	CHECK_STR(err, "memtally: smem: --by takes process, user, cgroup, mapping or system, not 'nope'; see memtally --help\n");
	CHECK(tool(out, err, sizeof(out), ARGS("smem", "--chart", "pie",
					       "-o", "x.gif")) == 2);
	CHECK(tool(out, err, sizeof(out), ARGS("smem", "--from", path,
					       "--json")) == 0);
	CHECK(strstr(out, "\"unreadable\":2"));
	unlink(path);
}

/* width and height of a PNG: the IHDR's first fields, big-endian */
static void png_size(const char *path, unsigned int *w, unsigned int *h)
{
	unsigned char b[24] = { 0 };
	FILE *f = fopen(path, "rb");

	*w = *h = 0;
	if (f && fread(b, 1, sizeof(b), f) == sizeof(b) &&
	    !memcmp(b, "\x89PNG", 4)) {
		*w = b[16] << 24 | b[17] << 16 | b[18] << 8 | b[19];
		*h = b[20] << 24 | b[21] << 16 | b[22] << 8 | b[23];
	}
	if (f)
		fclose(f);
}

static void smem_charts(void)
{
	static const char *const labels[] = { "a", "b", "other" };
	static const uint64_t v[] = { 300, 200, 100 };
	char png[] = "/tmp/mt-chart-XXXXXX.png", svg[] = "/tmp/mt-chart-XXXXXX.svg";
	char buf[512] = { 0 };
	const char *why;
	unsigned int w, h;
	FILE *f;
	int fd;

	fd = mkstemps(png, 4);
	close(fd);
	fd = mkstemps(svg, 4);
	close(fd);
	CHECK(!mt_smem_chart(png, true, "PSS by process", labels, v, 3, 640,
			     480, &why));
	png_size(png, &w, &h);
	CHECK_U64(w, 640);
	CHECK_U64(h, 480);
	CHECK(!mt_smem_chart(svg, false, "PSS by cgroup", labels, v, 3, 500,
			     300, &why));
	f = fopen(svg, "re");
	CHECK(f && fread(buf, 1, sizeof(buf) - 1, f) > 0);
	if (f)
		fclose(f);
	CHECK(strstr(buf, "<svg") && strstr(buf, "width=\"500px\"") &&
	      strstr(buf, "height=\"300px\""));
	CHECK(t_xml_ok(svg));
	CHECK(mt_smem_chart("/tmp/x.bmp", true, "t", labels, v, 3, 640, 480,
			    &why) == -EINVAL);
	unlink(png);
	unlink(svg);
}

void test_smem(void)
{
	RUN(smem_processes);
	RUN(smem_groups);
	RUN(smem_system);
	RUN(smem_system_over);
	RUN(smem_cli);
	RUN(smem_charts);
}
