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
	EXPECT_EQ(0, r.v[MEMTALLY_A_CGROUP_MIGRATE_FAILED]);
	EXPECT_EQ(0, r.v[MEMTALLY_A_CGROUP_THP_MIGRATED]);
	EXPECT_EQ(0, r.v[MEMTALLY_A_CGROUP_THP_MIGRATE_FAILED]);
	EXPECT_EQ(0, r.v[MEMTALLY_A_CGROUP_THP_SPLIT]);
	EXPECT_EQ(0, i.v[MEMTALLY_A_CGROUP_MIGRATED]);
	EXPECT_EQ(0, cg_remove("mt_mig"));
	EXPECT_EQ(0, cg_remove("mt_mig_idle"));
}

/* succeeded and failed pages tracefs' histogram has for @pid; -1: none */
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

/*
 * Whole-node compaction by writing /proc/sys/vm/compact_memory runs in the
 * writer (compact_nodes() -> compact_zone() -> migrate_pages()), after the
 * writer scattered its own pages (every other page of 64 MiB freed).  The
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
		size_t len = 64 * MIB, k;
		char *p;

		if (cg_enter("mt_cmp"))
			_exit(3);
		p = anon_touched(len);
		if (!p)
			_exit(4);
		for (k = 0; k < len; k += 2 * PAGE)
			madvise(p + k, PAGE, MADV_DONTNEED);
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
	EXPECT_EQ(0, cg_remove("mt_cmp"));
}

TEST_HARNESS_MAIN
