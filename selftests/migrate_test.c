// SPDX-License-Identifier: GPL-2.0
/*
 * memtally selftests for page migration (migrate:mm_migrate_pages) and
 * compaction (compaction:mm_compaction_*): run as root in the test guest
 * with memtally.ko loaded.  The guest has one node,
 * where move_pages(2), migrate_pages(2) and mbind(2) move nothing; soft
 * offline and whole-node compaction migrate in the caller's context.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mt_lib.h"

#ifndef MADV_SOFT_OFFLINE
#define MADV_SOFT_OFFLINE	101
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE		25
#endif

#define MIB	(1024UL * 1024)
#define TRACE	"/sys/kernel/tracing/instances/mt_migrate"
#define EVENT	TRACE "/events/migrate/mm_migrate_pages"
#define HIST	"hist:keys=common_pid:vals=succeeded,failed"
/* zone compaction runs and the pages they migrated, by pid */
#define CEND	TRACE "/events/compaction/mm_compaction_end"
#define CEND_HIST	"hist:keys=common_pid"
#define CMIG	TRACE "/events/compaction/mm_compaction_migratepages"
#define CMIG_HIST	"hist:keys=common_pid:vals=nr_migrated"

FIXTURE(mg) {
	struct mt_nl nl;
};

FIXTURE_SETUP(mg)
{
	ASSERT_EQ(0, mt_nl_open(&self->nl, MEMTALLY_FAMILY_NAME));
	ASSERT_NE(0, self->nl.family);
}

FIXTURE_TEARDOWN(mg)
{
	mt_nl_close(&self->nl);
}

static int trace_pid_pages(pid_t pid, unsigned long *ok, unsigned long *bad)
{
	unsigned long hits, s, f;
	char line[512];
	FILE *h = fopen(EVENT "/hist", "r");
	int p, found = -1;

	*ok = *bad = 0;
	while (h && fgets(line, sizeof(line), h))
		if (sscanf(line, "{ common_pid: %d } hitcount: %lu succeeded: %lu failed: %lu",
			   &p, &hits, &s, &f) == 4 && p == pid) {
			*ok += s;
			*bad += f;
			found = 0;
		}
	if (h)
		fclose(h);
	return found;
}

/*
 * The hits of @pid in the histogram of @event ("{ common_pid: PID }
 * hitcount: N [FIELD: M]"), and the sum of its field @val if not NULL.
 * Return: 0, or -1 if @pid is not in it.
 */
static int hist_pid(const char *event, pid_t pid, const char *val,
		    unsigned long *hits, unsigned long *sum)
{
	char line[512], path[256], *v;
	unsigned long h;
	int p, found = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/hist", event);
	f = fopen(path, "r");
	*hits = *sum = 0;
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "{ common_pid: %d } hitcount: %lu", &p, &h) == 2 &&
		    p == pid) {
			*hits += h;
			v = val ? strstr(line, val) : NULL;
			if (v)
				*sum += strtoul(v + strlen(val) + 1, NULL, 10);
			found = 0;
		}
	if (f)
		fclose(f);
	return found;
}

#define THP	"/sys/kernel/mm/transparent_hugepage"
#define HPAGE	(2 * MIB)

/* The word in [brackets] of a sysfs choice file such as THP's enabled */
static int sysfs_choice(const char *path, char *buf, size_t size)
{
	char line[256], *a, *b;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	a = fgets(line, sizeof(line), f) ? strchr(line, '[') : NULL;
	fclose(f);
	b = a ? strchr(a, ']') : NULL;
	if (!b || (size_t)(b - a) > size)
		return -1;
	*b = '\0';
	snprintf(buf, size, "%s", a + 1);
	return 0;
}

/* @len bytes of anonymous memory starting on a huge page boundary; NULL */
static char *hpage_aligned(size_t len)
{
	char *m = mmap(NULL, len + HPAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return NULL;
	return (char *)(((unsigned long)m + HPAGE - 1) & ~(HPAGE - 1));
}

/*
 * Free huge pages' worth of blocks of pageblock order (9) and up
 * (/proc/buddyinfo), in the zones but DMA (whose low memory reserve keeps
 * user pages out)
 */
static unsigned long free_huge_blocks(void)
{
	unsigned long n = 0, c;
	char line[512], *p;
	FILE *f = fopen("/proc/buddyinfo", "r");
	int order, off;

	while (f && fgets(line, sizeof(line), f)) {
		p = strstr(line, "zone");
		if (!p)
			continue;
		p += 4;
		while (*p == ' ')
			p++;
		if (!strncmp(p, "DMA ", 4))
			continue;
		p = strchr(p, ' ');	/* past the zone's name */
		for (order = 0; p && sscanf(p, "%lu%n", &c, &off) == 1;
		     order++, p += off)
			if (order >= 9)	/* an order-10 block: two */
				n += c << (order - 9);
	}
	if (f)
		fclose(f);
	return n;
}

/*
 * Fill memory with written base pages until no free block of a huge
 * page's order is left (or free memory nears four times min_free_kbytes),
 * then free every other page: plenty free, nothing contiguous, and pages
 * of the caller all over the zones.  For a child; its pages stay until it
 * exits.  Return: the bytes mapped, 0 on failure.
 */
static size_t fragment(void)
{
	size_t chunk = 8 * MIB, len = 0, max = 1024 * MIB, k;
	char *p = mmap(NULL, max, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED || madvise(p, max, MADV_NOHUGEPAGE))
		return 0;
	while (len + chunk <= max && free_huge_blocks() > 0 &&
	       file_long("/proc/sys/vm/min_free_kbytes") * 1024 * 4 <
	       (long)(sysconf(_SC_AVPHYS_PAGES) * PAGE)) {
		for (k = 0; k < chunk; k += PAGE)
			p[len + k] = 1;
		len += chunk;
	}
	for (k = 0; k < len; k += 2 * PAGE)
		madvise(p + k, PAGE, MADV_DONTNEED);
	return len;
}

/* The value the compaction_status symbol @name has in @event's format */
static int trace_symbol(const char *event, const char *name)
{
	char line[4096], path[256], key[64], *p, *q;
	FILE *f;
	int v = -1;

	snprintf(path, sizeof(path), "%s/format", event);
	/* __print_symbolic(REC->status, {8, "success"}, ...) */
	snprintf(key, sizeof(key), "\"%s\"", name);
	f = fopen(path, "r");
	while (f && v < 0 && fgets(line, sizeof(line), f)) {
		for (p = strstr(line, key); p && v < 0;
		     p = strstr(p + 1, key)) {
			q = p + strlen(key);
			q += strspn(q, " ");
			if (*q != '}')
				continue;
			while (p > line && p[-1] != '{')
				p--;
			if (p > line)
				v = atoi(p);
		}
	}
	if (f)
		fclose(f);
	return v;
}

/*
 * Hits of @pid in a histogram keyed by common_pid and one field @field:
 * those whose field is @a or @b (-1: any).
 */
static unsigned long hist_pid_field(const char *event, pid_t pid,
				    const char *field, int a, int b)
{
	char line[512], path[256], fmt[96];
	unsigned long h, n = 0;
	int p, v;
	FILE *f;

	snprintf(path, sizeof(path), "%s/hist", event);
	snprintf(fmt, sizeof(fmt), "{ common_pid: %%d, %s: %%d } hitcount: %%lu",
		 field);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, fmt, &p, &v, &h) == 3 && p == pid &&
		    (a < 0 || v == a || v == b))
			n += h;
	if (f)
		fclose(f);
	return n;
}

#define CBEGIN_DIR	TRACE "/events/compaction"
#define CDEF	CBEGIN_DIR "/mm_compaction_deferred"
#define CSUIT	CBEGIN_DIR "/mm_compaction_suitable"
#define CEND_STATUS	"hist:keys=common_pid,status"
#define CSUIT_RET	"hist:keys=common_pid,ret"

/*
 * kselftest runs a file's tests last to first: the direct compaction test,
 * which leaves memory full of free huge blocks (then compact_memory finds
 * nothing to move below where its scanners meet), comes first here so
 * that it runs last.
 */
/*
 * Direct compaction: a neighbour fills memory with base pages until no
 * free block of a huge page's order is left (or the watermarks are near),
 * then frees every other page of them (plenty free, nothing contiguous); a
 * task of another cgroup then faults more huge pages than the free blocks
 * left hold (MADV_HUGEPAGE, THP defrag "madvise": the fault may compact),
 * with proactive compaction off.  Its cgroup's compaction
 * stalls are the zone runs tracefs saw end in its pid, split by status
 * into compact-success (status success) and compact-failed; the zones it
 * passed over as deferred are tracefs' mm_compaction_deferred of its pid,
 * those skipped at most its mm_compaction_suitable events that said
 * skipped (reclaim's asks fire the same event); the neighbour and an idle
 * cgroup have no compaction stall.
 */
TEST_F(mg, direct_compaction_as_tracefs)
{
	char enabled[32], defrag[32], proact[16];
	unsigned long runs, ok, deferred, skips, unused, hblocks;
	uint64_t id, frag, idle;
	struct mt_nl_result res;
	int ready[2], success, skipped, nsuit, status;
	struct mt_row r, fr, i;
	pid_t fpid, pid;
	char c;

	if (access(THP, F_OK))
		SKIP(return, "this kernel has no transparent huge pages (" THP ")");
	ASSERT_EQ(0, sysfs_choice(THP "/enabled", enabled, sizeof(enabled)));
	ASSERT_EQ(0, sysfs_choice(THP "/defrag", defrag, sizeof(defrag)));
	snprintf(proact, sizeof(proact), "%ld",
		 file_long("/proc/sys/vm/compaction_proactiveness"));
	rmdir(TRACE);
	ASSERT_EQ(0, mkdir(TRACE, 0700));
	success = trace_symbol(CEND, "success");
	skipped = trace_symbol(CEND, "skipped");
	nsuit = trace_symbol(CEND, "not_suitable_zone");
	ASSERT_GE(success, 0);
	ASSERT_GE(skipped, 0);
	ASSERT_EQ(0, file_write(CEND "/trigger", CEND_STATUS));
	ASSERT_EQ(0, file_write(CDEF "/trigger", CEND_HIST));
	ASSERT_EQ(0, file_write(CSUIT "/trigger", CSUIT_RET));
	ASSERT_EQ(0, file_write(THP "/enabled", "madvise"));
	ASSERT_EQ(0, file_write(THP "/defrag", "madvise"));
	file_write("/proc/sys/vm/compaction_proactiveness", "0");
	id = cg_make("mt_dc");
	frag = cg_make("mt_dc_frag");
	idle = cg_make("mt_dc_idle");
	ASSERT_NE(0, id);
	ASSERT_NE(0, frag);
	ASSERT_NE(0, idle);
	ASSERT_EQ(0, mt_row_get(&self->nl, id, &r, &res));	/* tracked */
	ASSERT_EQ(0, mt_row_get(&self->nl, frag, &fr, &res));
	ASSERT_EQ(0, mt_row_get(&self->nl, idle, &i, &res));
	ASSERT_EQ(0, pipe(ready));
	fpid = fork();
	if (fpid == 0) {
		if (cg_enter("mt_dc_frag"))
			_exit(3);
		if (!fragment())
			_exit(4);
		if (write(ready[1], "r", 1) != 1)
			_exit(5);
		pause();	/* its pages stay until it is killed */
		_exit(0);
	}
	/*
	 * The huge blocks still free (the fill stops short of the watermarks,
	 * which khugepaged raises) serve the first faults without compaction:
	 * fault 64 MiB more than they hold
	 */
	pid = -1;
	hblocks = read(ready[0], &c, 1) == 1 ? free_huge_blocks() : 0;
	if (fpid > 0 && hblocks < 4096)
		pid = fork();
	if (pid == 0) {
		size_t len = hblocks * HPAGE + 64 * MIB, k;
		char *p;

		if (cg_enter("mt_dc"))
			_exit(3);
		p = hpage_aligned(len);
		if (!p)
			_exit(4);
		if (madvise(p, len, MADV_HUGEPAGE))
			_exit(5);
		for (k = 0; k < len; k += PAGE)
			p[k] = 1;
		_exit(0);
	}
	status = pid > 0 ? wait_status(pid) : -1;
	/* the fragmenter and the settings go before any check may end the test */
	if (fpid > 0) {
		kill(fpid, SIGKILL);
		waitpid(fpid, NULL, 0);
	}
	file_write(THP "/enabled", enabled);
	file_write(THP "/defrag", defrag);
	file_write("/proc/sys/vm/compaction_proactiveness", proact);
	TH_LOG("fragmented: %lu huge pages' worth of free blocks left; the workload faulted %lu MiB",
	       hblocks, hblocks * 2 + 64);
	ASSERT_GT(fpid, 0);
	ASSERT_GT(pid, 0);
	ASSERT_EQ(0, status);
	ASSERT_EQ(0, mt_row_get(&self->nl, id, &r, &res));
	ASSERT_EQ(0, mt_row_get(&self->nl, frag, &fr, &res));
	ASSERT_EQ(0, mt_row_get(&self->nl, idle, &i, &res));
	runs = hist_pid_field(CEND, pid, "status", -1, -1);
	ok = hist_pid_field(CEND, pid, "status", success, success);
	hist_pid(CDEF, pid, NULL, &deferred, &unused);
	skips = hist_pid_field(CSUIT, pid, "ret", skipped, nsuit);
	file_write(CEND "/trigger", "!" CEND_STATUS);
	file_write(CDEF "/trigger", "!" CEND_HIST);
	file_write(CSUIT "/trigger", "!" CSUIT_RET);
	rmdir(TRACE);
	TH_LOG("direct compaction by pid %d: tracefs %lu zone runs, %lu success, %lu deferred, %lu skipped (at most); memtally %llu runs, %llu success, %llu failed, %llu deferred, %llu skipped, %llu pages migrated",
	       pid, runs, ok, deferred, skips,
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_COMPACT_STALLS],
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_COMPACT_SUCCESS],
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_COMPACT_FAILED],
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_COMPACT_DEFERRED],
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_COMPACT_SKIPPED],
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_COMPACT_MIGRATED]);
	EXPECT_GT(runs, 0);
	EXPECT_EQ(runs, r.v[MEMTALLY_A_CGROUP_COMPACT_STALLS]);
	EXPECT_EQ(ok, r.v[MEMTALLY_A_CGROUP_COMPACT_SUCCESS]);
	EXPECT_EQ(runs - ok, r.v[MEMTALLY_A_CGROUP_COMPACT_FAILED]);
	EXPECT_EQ(deferred, r.v[MEMTALLY_A_CGROUP_COMPACT_DEFERRED]);
	EXPECT_LE(r.v[MEMTALLY_A_CGROUP_COMPACT_SKIPPED], skips);
	EXPECT_EQ(r.v[MEMTALLY_A_CGROUP_COMPACT_MIGRATED],
		  r.v[MEMTALLY_A_CGROUP_MIGRATED_COMPACTION]);
	EXPECT_EQ(0, fr.v[MEMTALLY_A_CGROUP_COMPACT_STALLS]);
	EXPECT_EQ(0, i.v[MEMTALLY_A_CGROUP_COMPACT_STALLS]);
	EXPECT_EQ(0, cg_remove("mt_dc"));
	EXPECT_EQ(0, cg_remove("mt_dc_frag"));
	EXPECT_EQ(0, cg_remove("mt_dc_idle"));
}

/*
 * N written, private anonymous base pages soft-offlined with
 * madvise(MADV_SOFT_OFFLINE): soft_offline_in_use_page() calls
 * migrate_pages() once per page in the caller, so the caller's cgroup
 * migrated exactly N pages, none failed, no THP; a neighbour none.  (The
 * old pages stay poisoned: 256 KiB of a throwaway guest.)
 */
#define SOFT_PAGES	64

TEST_F(mg, soft_offline_counts_each_page)
{
	struct mt_nl_result res;
	struct mt_row r, i;
	uint64_t id, idle;
	pid_t pid;

	/* 6.11 and later can turn soft offline off */
	if (file_long("/proc/sys/vm/enable_soft_offline") == 0)
		ASSERT_EQ(0, file_write("/proc/sys/vm/enable_soft_offline", "1"));
	id = cg_make("mt_mig");
	idle = cg_make("mt_mig_idle");
	ASSERT_NE(0, id);
	ASSERT_NE(0, idle);
	ASSERT_EQ(0, mt_row_get(&self->nl, id, &r, &res));	/* tracked */
	ASSERT_EQ(0, mt_row_get(&self->nl, idle, &i, &res));
	pid = fork();
	if (pid == 0) {
		size_t len = SOFT_PAGES * PAGE;
		char *p;

		if (cg_enter("mt_mig"))
			_exit(3);
		/* base pages: a THP would be split first, outside migrate_pages() */
		p = anon_touched(len);
		if (!p)
			_exit(4);
		_exit(madvise(p, len, MADV_SOFT_OFFLINE) ? 10 + errno : 0);
	}
	ASSERT_EQ(0, wait_status(pid));
	ASSERT_EQ(0, mt_row_get(&self->nl, id, &r, &res));
	ASSERT_EQ(0, mt_row_get(&self->nl, idle, &i, &res));
	TH_LOG("migrated %llu, failed %llu, thp %llu/%llu/%llu",
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_MIGRATED],
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_MIGRATE_FAILED],
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_THP_MIGRATED],
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_THP_MIGRATE_FAILED],
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_THP_SPLIT]);
	EXPECT_EQ(SOFT_PAGES, r.v[MEMTALLY_A_CGROUP_MIGRATED]);
	/* reason memory_failure: in migrated-other, no other reason */
	EXPECT_EQ(SOFT_PAGES, r.v[MEMTALLY_A_CGROUP_MIGRATED_OTHER]);
	EXPECT_EQ(0, r.v[MEMTALLY_A_CGROUP_MIGRATED_COMPACTION]);
	EXPECT_EQ(0, r.v[MEMTALLY_A_CGROUP_MIGRATED_POLICY]);
	EXPECT_EQ(0, r.v[MEMTALLY_A_CGROUP_MIGRATED_NUMA]);
	EXPECT_EQ(0, r.v[MEMTALLY_A_CGROUP_MIGRATED_DEMOTION]);
	EXPECT_EQ(0, r.v[MEMTALLY_A_CGROUP_MIGRATE_FAILED]);
	EXPECT_EQ(0, r.v[MEMTALLY_A_CGROUP_THP_MIGRATED]);
	EXPECT_EQ(0, r.v[MEMTALLY_A_CGROUP_THP_MIGRATE_FAILED]);
	EXPECT_EQ(0, r.v[MEMTALLY_A_CGROUP_THP_SPLIT]);
	EXPECT_EQ(0, i.v[MEMTALLY_A_CGROUP_MIGRATED]);
	EXPECT_EQ(0, cg_remove("mt_mig"));
	EXPECT_EQ(0, cg_remove("mt_mig_idle"));
}

/* succeeded and failed pages tracefs' histogram has for @pid; -1: none */
/*
 * Whole-node compaction by writing /proc/sys/vm/compact_memory runs in the
 * writer (compact_nodes() -> compact_zone() -> migrate_pages()), after the
 * writer scattered its own pages over all free memory (fragment()).  The
 * writer's cgroup migrated what tracefs saw that pid migrate (a histogram
 * trigger summing the event's succeeded and failed by pid), and something;
 * its compaction stalls are the zone compaction runs tracefs saw end in
 * that pid, with the pages their batches migrated (the event's nr_migrated),
 * and took some time.
 */
TEST_F(mg, compaction_by_writer_as_tracefs)
{
	unsigned long ok, bad, runs, moved, unused, bucketed = 0;
	struct mt_nl_result res;
	int k;
	int go[2], ready[2];
	struct mt_row r;
	uint64_t id;
	char c;
	pid_t pid;

	rmdir(TRACE);
	ASSERT_EQ(0, mkdir(TRACE, 0700));
	ASSERT_EQ(0, file_write(EVENT "/trigger", HIST));
	ASSERT_EQ(0, file_write(CEND "/trigger", CEND_HIST));
	ASSERT_EQ(0, file_write(CMIG "/trigger", CMIG_HIST));
	id = cg_make("mt_cmp");
	ASSERT_NE(0, id);
	ASSERT_EQ(0, mt_row_get(&self->nl, id, &r, &res));	/* tracked */
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	if (pid == 0) {
		/*
		 * its pages all over the zones: some lie below where the
		 * scanners of a whole-zone compaction meet
		 */
		if (cg_enter("mt_cmp"))
			_exit(3);
		if (!fragment())
			_exit(4);
		if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(5);
		/* 6.12 takes only "1"; 6.1 any value */
		_exit(file_write("/proc/sys/vm/compact_memory", "1") ? 6 : 0);
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(0, wait_status(pid));
	ASSERT_EQ(0, mt_row_get(&self->nl, id, &r, &res));
	ASSERT_EQ(0, trace_pid_pages(pid, &ok, &bad))
		TH_LOG("tracefs saw no migrate_pages() of pid %d", pid);
	ASSERT_EQ(0, hist_pid(CEND, pid, NULL, &runs, &unused))
		TH_LOG("tracefs saw no compaction end in pid %d", pid);
	hist_pid(CMIG, pid, "nr_migrated:", &unused, &moved);
	file_write(EVENT "/trigger", "!" HIST);
	file_write(CEND "/trigger", "!" CEND_HIST);
	file_write(CMIG "/trigger", "!" CMIG_HIST);
	rmdir(TRACE);
	TH_LOG("compaction by pid %d: tracefs %lu zone runs, %lu pages; memtally %llu runs in %llu ns, %llu pages",
	       pid, runs, moved,
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_COMPACT_STALLS],
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_COMPACT_STALL_NS],
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_COMPACT_MIGRATED]);
	EXPECT_GT(runs, 0);
	EXPECT_EQ(runs, r.v[MEMTALLY_A_CGROUP_COMPACT_STALLS]);
	EXPECT_EQ(moved, r.v[MEMTALLY_A_CGROUP_COMPACT_MIGRATED]);
	EXPECT_GT(r.v[MEMTALLY_A_CGROUP_COMPACT_STALL_NS], 0);
	for (k = 0; k < MEMTALLY_HIST_BUCKETS; k++)
		bucketed += r.hist[MEMTALLY_RECLAIM_KIND_COMPACT][k];
	EXPECT_EQ(runs, bucketed);	/* the first stall's histogram was ready */
	TH_LOG("compaction by pid %d: tracefs %lu migrated, %lu failed; memtally %llu, %llu",
	       pid, ok, bad,
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_MIGRATED],
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_MIGRATE_FAILED]);
	EXPECT_GT(ok, 0);
	EXPECT_EQ(ok, r.v[MEMTALLY_A_CGROUP_MIGRATED]);
	EXPECT_EQ(bad, r.v[MEMTALLY_A_CGROUP_MIGRATE_FAILED]);
	/* all of it for compaction (reason compaction) */
	EXPECT_EQ(ok, r.v[MEMTALLY_A_CGROUP_MIGRATED_COMPACTION]);
	EXPECT_EQ(0, r.v[MEMTALLY_A_CGROUP_MIGRATED_OTHER]);
	/* compaction with no order asked for: no outcome */
	EXPECT_EQ(0, r.v[MEMTALLY_A_CGROUP_COMPACT_SUCCESS]);
	EXPECT_EQ(0, r.v[MEMTALLY_A_CGROUP_COMPACT_FAILED]);
	EXPECT_EQ(0, cg_remove("mt_cmp"));
}

/*
 * madvise(MADV_COLLAPSE) of N huge-page-aligned ranges of written base
 * pages collapses each into a huge page in the caller: the cgroup's
 * thp-collapsed is N, as its memory.stat thp_collapse_alloc; a neighbour's
 * 0.  THP "madvise" meanwhile: the range (not madvised) faults base pages
 * and khugepaged leaves it alone; MADV_COLLAPSE ignores the setting.
 */
#define COLLAPSE_HPAGES	4

TEST_F(mg, collapse_counts_each_huge_page)
{
	uint64_t id, idle, before, after;
	struct mt_nl_result res;
	struct mt_row r, i;
	char enabled[32];
	int status;
	pid_t pid;

	if (access(THP, F_OK))
		SKIP(return, "this kernel has no transparent huge pages (" THP ")");
	ASSERT_EQ(0, sysfs_choice(THP "/enabled", enabled, sizeof(enabled)));
	id = cg_make("mt_thp");
	idle = cg_make("mt_thp_idle");
	ASSERT_NE(0, id);
	ASSERT_NE(0, idle);
	ASSERT_EQ(0, mt_row_get(&self->nl, id, &r, &res));	/* tracked */
	ASSERT_EQ(0, mt_row_get(&self->nl, idle, &i, &res));
	before = cg_stat("mt_thp", "memory.stat", "thp_collapse_alloc");
	ASSERT_EQ(0, file_write(THP "/enabled", "madvise"));
	pid = fork();
	if (pid == 0) {
		size_t len = COLLAPSE_HPAGES * HPAGE, k;
		char *p;

		if (cg_enter("mt_thp"))
			_exit(3);
		p = hpage_aligned(len);
		if (!p)
			_exit(4);
		for (k = 0; k < len; k += PAGE)
			p[k] = 1;
		_exit(madvise(p, len, MADV_COLLAPSE) ? 10 + errno : 0);
	}
	status = wait_status(pid);
	file_write(THP "/enabled", enabled);
	ASSERT_EQ(0, status);
	after = cg_stat("mt_thp", "memory.stat", "thp_collapse_alloc");
	ASSERT_EQ(0, mt_row_get(&self->nl, id, &r, &res));
	ASSERT_EQ(0, mt_row_get(&self->nl, idle, &i, &res));
	TH_LOG("collapsed %llu, failed %llu; memory.stat thp_collapse_alloc +%llu",
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_THP_COLLAPSED],
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_THP_COLLAPSE_FAILED],
	       (unsigned long long)(after - before));
	EXPECT_EQ(COLLAPSE_HPAGES, r.v[MEMTALLY_A_CGROUP_THP_COLLAPSED]);
	EXPECT_EQ(0, r.v[MEMTALLY_A_CGROUP_THP_COLLAPSE_FAILED]);
	EXPECT_EQ(after - before, r.v[MEMTALLY_A_CGROUP_THP_COLLAPSED]);
	EXPECT_EQ(0, i.v[MEMTALLY_A_CGROUP_THP_COLLAPSED]);
	EXPECT_EQ(0, cg_remove("mt_thp"));
	EXPECT_EQ(0, cg_remove("mt_thp_idle"));
}

TEST_HARNESS_MAIN
