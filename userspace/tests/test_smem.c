// SPDX-License-Identifier: GPL-2.0
/* memtally smem: sizes per process, user, cgroup, mapping and system. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <json.h>

#include "test.h"
#include "../smemcalc.h"
#include "../smemchart.h"
#include "../snapfile.h"

/*
 * pid 10 (uid 0, /a) and 11 (uid 1000, /a/b) with known sizes (11 has no
 * SwapPss line, as before Linux 4.3, and smaps without VmFlags); 12 a
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
"Private_Hugetlb: 0 kB\\nSwap: 5 kB\\nSwapPss: 3 kB\\n"
"Pss_File: 15 kB\\nPss_Shmem: 5 kB\\n\","
"\"/proc/10/smaps\":\"00400000-00410000 r-xp 00000000 08:01 12 /lib/x.so\\n"
"Size: 64 kB\\nRss: 40 kB\\nPss: 20 kB\\nPrivate_Clean: 0 kB\\n"
"Private_Dirty: 0 kB\\nSwap: 0 kB\\nSwapPss: 0 kB\\nVmFlags: rd ex\\n"
"00600000-00700000 rw-p 00000000 00:00 0 [heap]\\nSize: 1024 kB\\n"
"Rss: 60 kB\\nPss: 40 kB\\nPrivate_Clean: 10 kB\\nPrivate_Dirty: 30 kB\\n"
"Swap: 5 kB\\nSwapPss: 3 kB\\nVmFlags: rd wr\\n\","
"\"/proc/11/status\":\"Name:\\tweb\\nUid:\\t1000\\t1000\\t1000\\t1000\\n\","
"\"/proc/11/cmdline\":\"web\","
"\"/proc/11/cgroup\":\"0::/a/b\\n\","
"\"/proc/11/smaps_rollup\":\"00400000-7fff0000 ---p 00000000 00:00 0 [rollup]\\n"
"Rss: 50 kB\\nPss: 30 kB\\nPrivate_Clean: 0 kB\\nPrivate_Dirty: 20 kB\\n"
"Swap: 0 kB\\n\","
"\"/proc/11/smaps\":\"00400000-00410000 r-xp 00000000 08:01 12 /lib/x.so\\n"
"Rss: 40 kB\\nPss: 20 kB\\nPrivate_Clean: 0 kB\\nPrivate_Dirty: 0 kB\\n"
"Swap: 0 kB\\n"
"00800000-00900000 rw-p 00000000 00:00 0 \\nRss: 10 kB\\nPss: 10 kB\\n"
"Private_Clean: 0 kB\\nPrivate_Dirty: 10 kB\\nSwap: 0 kB\\n\","
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
		CHECK_U64(m.procs[0].v[MT_SMEM_SWAPPSS], 3 * 1024);
		CHECK_U64(m.procs[0].no_swappss, 0);
		CHECK_U64(m.procs[1].uid, 1000);
		CHECK_U64(m.procs[1].v[MT_SMEM_USS], 20 * 1024);
		CHECK_U64(m.procs[1].v[MT_SMEM_RSS], 50 * 1024);
		CHECK_U64(m.procs[1].no_swappss, 1);
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
	for (i = 0; i < n; i++) {
		bool b = !strcmp(v[i].name, "/a/b");

		CHECK(b || !strcmp(v[i].name, "/a"));
		CHECK_U64(v[i].count, 1);
		CHECK_U64(v[i].v[MT_SMEM_USS], b ? 20 * 1024 : 40 * 1024);
		CHECK_U64(v[i].v[MT_SMEM_PSS], b ? 30 * 1024 : 60 * 1024);
		CHECK_U64(v[i].v[MT_SMEM_RSS], b ? 50 * 1024 : 100 * 1024);
		CHECK_U64(v[i].v[MT_SMEM_SWAP], b ? 0 : 5 * 1024);
		CHECK_U64(v[i].no_swappss, b);
	}
	mt_smem_rows_free(v, n);
	/*
	 * /lib/x.so in both processes: 20 + 20 kB PSS, counted twice; 11's
	 * blocks have neither VmFlags nor SwapPss
	 */
	CHECK(!mt_smem_maps(&s, &m, &v, &n));
	CHECK_U64(n, 3);
	for (i = 0; i < n; i++) {
		if (!strcmp(v[i].name, "/lib/x.so")) {
			CHECK_U64(v[i].count, 2);
			CHECK_U64(v[i].v[MT_SMEM_PSS], 40 * 1024);
			CHECK_U64(v[i].v[MT_SMEM_RSS], 80 * 1024);
			CHECK_U64(v[i].v[MT_SMEM_USS], 0);
			CHECK_U64(v[i].no_swappss, 1);
		} else if (!strcmp(v[i].name, "[anon]")) {
			CHECK_U64(v[i].count, 1);
			CHECK_U64(v[i].v[MT_SMEM_RSS], 10 * 1024);
			CHECK_U64(v[i].v[MT_SMEM_PSS], 10 * 1024);
			CHECK_U64(v[i].v[MT_SMEM_USS], 10 * 1024);
			CHECK_U64(v[i].v[MT_SMEM_SWAP], 0);
		} else {
			CHECK_STR(v[i].name, "[heap]");
			CHECK_U64(v[i].count, 1);
			CHECK_U64(v[i].v[MT_SMEM_USS], 40 * 1024);
			CHECK_U64(v[i].v[MT_SMEM_PSS], 40 * 1024);
			CHECK_U64(v[i].v[MT_SMEM_RSS], 60 * 1024);
			CHECK_U64(v[i].v[MT_SMEM_SWAP], 5 * 1024);
			CHECK_U64(v[i].v[MT_SMEM_SWAPPSS], 3 * 1024);
			CHECK_U64(v[i].no_swappss, 0);
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
	CHECK(strstr(out, "\"rows\":[{\"pid\":11,\"uid\":1000,\"cgroup\":\"/a/b\",\"command\":\"web\",\"swap\":0,\"uss\":20480,\"pss\":30720,\"rss\":51200,\"swap_pss\":null}]"));
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

/* The tables, exactly: sorting, --top, --totals, --bytes, the note */
static void smem_tables(void)
{
	char path[] = "/tmp/mt-smem.XXXXXX", out[8192], err[1024];

	fixture_file(path);
	/* by PSS (the default), sizes human-readable (the default) */
	CHECK(tool(out, err, sizeof(out), ARGS("smem", "--from", path,
					       "-t")) == 0);
	CHECK_STR(out,
"  PID  USER  CGROUP  COMMAND        SWAP      USS      PSS       RSS\n"
"   10  0     /a      /usr/bin/db  5.1 kB  41.0 kB  61.4 kB  102.4 kB\n"
"   11  1000  /a/b    web             0 B  20.5 kB  30.7 kB   51.2 kB\n"
"total                             5.1 kB  61.4 kB  92.2 kB  153.6 kB\n");
	/* --from: another host's uids, no advice to run as root */
	CHECK_STR(err, "memtally: 2 processes not readable\n");
	CHECK(tool(out, err, sizeof(out), ARGS("smem", "--from", path, "-B",
					       "-s", "name", "-n", "1",
					       "-b", "cgroup", "-t")) == 0);
	CHECK_STR(out,
"CGROUP  PROCESSES  SWAP    USS    PSS     RSS\n"
"/a              1  5120  40960  61440  102400\n"
"total           1  5120  40960  61440  102400\n");
	CHECK(tool(out, err, sizeof(out), ARGS("smem", "--from", path, "-B",
					       "-s", "swap", "-b", "mapping",
					       "-t")) == 0);
	CHECK_STR(out,
"MAPPING    PROCESSES  SWAP    USS    PSS     RSS\n"
"[heap]             1  5120  40960  40960   61440\n"
"/lib/x.so          2     0      0  40960   81920\n"
"[anon]             1     0  10240  10240   10240\n"
"total              4  5120  51200  92160  153600\n");
	/* -k after --bytes: human-readable again */
	CHECK(tool(out, err, sizeof(out), ARGS("smem", "--from", path,
					       "-b", "user", "-s", "uss",
					       "--bytes", "-k")) == 0);
	CHECK_STR(out,
"USER  PROCESSES    SWAP      USS      PSS       RSS\n"
"0             1  5.1 kB  41.0 kB  61.4 kB  102.4 kB\n"
"1000          1     0 B  20.5 kB  30.7 kB   51.2 kB\n");
	CHECK(tool(out, err, sizeof(out), ARGS("smem", "--from", path,
					       "-b", "user", "-s", "rss",
					       "-c", "/a/b", "--json")) == 0);
	CHECK_STR(out, "{\"view\":\"user\",\"rows\":[{\"uid\":1000,\"user\":\"1000\",\"processes\":1,\"swap\":0,\"uss\":20480,\"pss\":30720,\"rss\":51200,\"swap_pss\":null}],\"totals\":{\"swap\":0,\"uss\":20480,\"pss\":30720,\"rss\":51200,\"swap_pss\":null},\"unreadable\":2}\n");
	CHECK(tool(out, err, sizeof(out), ARGS("smem", "--from", path,
					       "-b", "system", "-B")) == 0);
	CHECK(strstr(out, "\nuser              92160    9.0%\n") &&
	      strstr(out, "\ntotal           1024000  100.0%\n"));
	/* a cgroup and those below it, not /a's namesakes */
	CHECK(tool(out, err, sizeof(out), ARGS("smem", "--from", path,
					       "-c", "/a/", "--json")) == 0);
	CHECK(strstr(out, "\"pid\":10") && strstr(out, "\"pid\":11"));
	CHECK(tool(out, err, sizeof(out), ARGS("smem", "--from", path,
					       "-c", "/a/bc", "--json")) == 0);
	CHECK(strstr(out, "\"rows\":[]"));
	CHECK(tool(out, err, sizeof(out), ARGS("smem", "--from", path,
					       "-s", "size")) == 2);
	CHECK(tool(out, err, sizeof(out), ARGS("smem", "--from", path,
					       "-M", "x", "-b", "user")) == 2);
	CHECK_STR(err, "memtally: smem: --mapping is for --by mapping; see memtally --help\n");
	unlink(path);
}

/* --by mapping of a snapshot taken without smaps: one line, exit 1 */
static void smem_no_smaps(void)
{
	static const char nosmaps[] =
	"{\"format\":\"memtally-snapshot\",\"version\":1,\"module\":null,"
	"\"files\":{\"/proc/7/smaps_rollup\":\"Rss: 4 kB\\n\"}}";
	char path[] = "/tmp/mt-smem.XXXXXX", out[1024], err[1024];
	int fd = mkstemp(path);

	CHECK(fd >= 0 && write(fd, nosmaps, sizeof(nosmaps) - 1) ==
	      (ssize_t)sizeof(nosmaps) - 1);
	close(fd);
	CHECK(tool(out, err, sizeof(out), ARGS("smem", "--from", path,
					       "-b", "mapping")) == 1);
	CHECK_STR(out, "");
	CHECK(strstr(err, "taken without smaps") && !strchr(err, '\n')[1]);
	unlink(path);
}

/*
 * Names that are no UTF-8 (a command line, a cgroup directory, a mapped
 * file's name are bytes): the JSON is UTF-8 all the same, each byte of an
 * invalid sequence U+FFFD, the valid parts kept.
 */
static void smem_utf8(void)
{
	static const char bad[] =
	"{\"format\":\"memtally-snapshot\",\"version\":1,\"module\":null,"
	"\"files\":{"
	"\"/proc/10/status\":\"Name:\\tdb\\nUid:\\t0\\t0\\t0\\t0\\n\","
	"\"/proc/10/cmdline\":\"/usr/bin/d\xff" "b --x=\xe2\x82\","
	"\"/proc/10/cgroup\":\"0::/a\xfe\xff" "b\\n\","
	"\"/proc/10/smaps_rollup\":\"Rss: 100 kB\\nPss: 60 kB\\n\","
	"\"/proc/10/smaps\":\"00400000-00410000 r-xp 00000000 08:01 12 "
	"/lib/x\xc0\xaf" "y.so\\nRss: 40 kB\\nPss: 20 kB\\n\"}}";
	char path[] = "/tmp/mt-smem.XXXXXX", out[8192], err[1024];
	int fd = mkstemp(path);

	CHECK(fd >= 0 && write(fd, bad, sizeof(bad) - 1) ==
	      (ssize_t)sizeof(bad) - 1);
	close(fd);
	CHECK(tool(out, err, sizeof(out), ARGS("smem", "--from", path,
					       "--json")) == 0);
	CHECK(t_utf8_ok(out, strlen(out)));
	CHECK(strstr(out, "\"command\":\"/usr/bin/d" FFFD "b --x=" FFFD FFFD
		      "\""));
	CHECK(strstr(out, "\"cgroup\":\"/a" FFFD FFFD "b\""));
	CHECK(tool(out, err, sizeof(out), ARGS("smem", "--from", path,
					       "--json", "-b", "cgroup")) == 0);
	CHECK(t_utf8_ok(out, strlen(out)));
	CHECK(strstr(out, "\"cgroup\":\"/a" FFFD FFFD "b\""));
	CHECK(tool(out, err, sizeof(out), ARGS("smem", "--from", path,
					       "--json", "-b", "mapping")) == 0);
	CHECK(t_utf8_ok(out, strlen(out)));
	CHECK(strstr(out, "\"mapping\":\"/lib/x" FFFD FFFD "y.so\""));
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
	unsigned int w, h;
	FILE *f;
	int fd;

	fd = mkstemps(png, 4);
	close(fd);
	fd = mkstemps(svg, 4);
	close(fd);
	CHECK(!mt_smem_chart(png, true, "PSS by process", labels, v, 3, 640,
			     480));
	png_size(png, &w, &h);
	CHECK_U64(w, 640);
	CHECK_U64(h, 480);
	CHECK(!mt_smem_chart(svg, false, "PSS by cgroup", labels, v, 3, 500,
			     300));
	f = fopen(svg, "re");
	CHECK(f && fread(buf, 1, sizeof(buf) - 1, f) > 0);
	if (f)
		fclose(f);
	CHECK(strstr(buf, "<svg") && strstr(buf, "width=\"500px\"") &&
	      strstr(buf, "height=\"300px\""));
	CHECK(t_xml_ok(svg));
	CHECK(mt_smem_chart("/tmp/x.bmp", true, "t", labels, v, 3, 640, 480) ==
	      -EINVAL);
	unlink(png);
	unlink(svg);
}

static bool write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	bool ok = f && fputs(text, f) >= 0;

	if (f && fclose(f))
		ok = false;
	return ok;
}

/* The names in @dir, but . and .. */
static size_t dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	while (d && (de = readdir(d)))
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

/* The whole of @path into @buf (at most @len bytes); how many */
static size_t slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(buf, 1, len, f) : 0;

	if (f)
		fclose(f);
	return n;
}

/*
 * A chart replaces its file at once, as export does: a new file beside it
 * renamed over it (a new inode, 0644, nothing left beside it), and a
 * failure (cairo's: an image too large) leaves the old file as it was.
 */
static void chart_atomic(void)
{
	static const char *const labels[] = { "a", "b" };
	static const uint64_t v[] = { 3, 1 };
	char dir[] = "/tmp/mt-chart.XXXXXX", path[64];
	static char before[1 << 16], after[1 << 16];
	size_t nb, na;
	struct stat old, st;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/c.png", dir);
	CHECK(write_text(path, "the old file"));
	CHECK(!stat(path, &old));
	CHECK(!mt_smem_chart(path, true, "t", labels, v, 2, 320, 240));
	CHECK(!stat(path, &st));
	CHECK(st.st_ino != old.st_ino);
	CHECK((st.st_mode & 0777) == 0644);
	CHECK_U64(dir_entries(dir), 1);
	nb = slurp(path, before, sizeof(before));
	CHECK(nb > 8 && !memcmp(before, "\x89PNG", 4));

	quiet(true);
	CHECK(mt_smem_chart(path, true, "t", labels, v, 2, 40000, 240) ==
	      -EIO);
	quiet(false);
	na = slurp(path, after, sizeof(after));
	CHECK(na == nb && !memcmp(before, after, nb));
	CHECK_U64(dir_entries(dir), 1);
	unlink(path);
	rmdir(dir);
}

/* The tool's charts of a snapshot: the top row and "other" */
static void smem_cli_charts(void)
{
	char path[] = "/tmp/mt-smem.XXXXXX", out[1024], err[1024];
	char png[] = "/tmp/mt-chart-XXXXXX.png", svg[] = "/tmp/mt-chart-XXXXXX.svg";
	char buf[4096] = { 0 };
	unsigned int w, h;
	FILE *f;
	int fd;

	fixture_file(path);
	fd = mkstemps(png, 4);
	close(fd);
	fd = mkstemps(svg, 4);
	close(fd);
	CHECK(tool(out, err, sizeof(out), ARGS("smem", "--from", path,
					       "--chart", "pie", "-o", png,
					       "--size", "320x240", "-n",
					       "1")) == 0);
	png_size(png, &w, &h);
	CHECK_U64(w, 320);
	CHECK_U64(h, 240);
	CHECK(tool(out, err, sizeof(out), ARGS("smem", "--from", path,
					       "-b", "user", "--chart", "bar",
					       "-o", svg, "--size",
					       "1000x700")) == 0);
	f = fopen(svg, "re");
	CHECK(f && fread(buf, 1, sizeof(buf) - 1, f) > 0);
	if (f)
		fclose(f);
	CHECK(strstr(buf, "width=\"1000px\"") &&
	      strstr(buf, "height=\"700px\""));
	CHECK(t_xml_ok(svg));
	CHECK(tool(out, err, sizeof(out), ARGS("smem", "--from", path,
					       "--chart", "pie", "-o",
					       "/tmp/x.jpg")) == 2);
	CHECK_STR(err, "memtally: smem: --output names a .png or .svg file, not '/tmp/x.jpg'; see memtally --help\n");
	CHECK(tool(out, err, sizeof(out), ARGS("smem", "--from", path,
					       "--chart", "pie", "-o",
					       "/nonexistent/x.png")) == 1);
	CHECK_STR(err, "memtally: writing /nonexistent/x.png: No such file or directory\n");
	unlink(png);
	unlink(svg);
	unlink(path);
}

void test_smem(void)
{
	RUN(smem_processes);
	RUN(smem_groups);
	RUN(smem_system);
	RUN(smem_system_over);
	RUN(smem_cli);
	RUN(smem_tables);
	RUN(smem_no_smaps);
	RUN(smem_utf8);
	RUN(smem_charts);
	RUN(smem_cli_charts);
	RUN(chart_atomic);
}
