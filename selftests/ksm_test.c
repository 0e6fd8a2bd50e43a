// SPDX-License-Identifier: GPL-2.0
/*
 * memtally selftests for KSM per cgroup: run as root in the test guest
 * with memtally.ko loaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "kselftest_harness.h"
#include "mt_lib.h"

#define NPAGES	4096
#define KSM	"/sys/kernel/mm/ksm/"

static int ksm_write(const char *file, const char *val)
{
	char path[128];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), KSM "%s", file);
	f = fopen(path, "w");
	if (!f)
		return -1;
	ok = fputs(val, f) >= 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static long merging_pages(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/ksm_merging_pages", pid);
	return file_long(path);
}

/*
 * A child in cgroup @cg with NPAGES mergeable pages, identical or not,
 * that waits to be killed.  Returns after the pages are written.
 */
static pid_t mergeable(const char *cg, bool identical)
{
	int ready[2];
	pid_t pid;
	char c;

	if (pipe(ready))
		return -1;
	pid = fork();
	if (pid == 0) {
		char *p = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED || cg_enter(cg))
			_exit(1);
		madvise(p, NPAGES * PAGE, MADV_NOHUGEPAGE);
		for (unsigned long i = 0; i < NPAGES; i++) {
			memset(p + i * PAGE, 0x5a, PAGE);
			if (!identical)
				memcpy(p + i * PAGE, &i, sizeof(i));
		}
		if (madvise(p, NPAGES * PAGE, MADV_MERGEABLE))
			_exit(2);
		if (write(ready[1], "r", 1) != 1)
			_exit(3);
		pause();
		_exit(0);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		pid = -1;
	close(ready[0]);
	return pid;
}

FIXTURE(ksm) {
	struct mt_nl nl;
	pid_t a, b;
	uint64_t ida, idb;
};

FIXTURE_SETUP(ksm)
{
	long scans;
	int i;

	if (access(KSM "run", W_OK))
		SKIP(return, "KSM is not built into this kernel (CONFIG_KSM)");
	ASSERT_EQ(0, mt_nl_open(&self->nl, MEMTALLY_FAMILY_NAME));
	ASSERT_NE(0, self->nl.family);
	self->ida = cg_make("mt_ksm_a");
	self->idb = cg_make("mt_ksm_b");
	ASSERT_NE(0, self->ida);
	ASSERT_NE(0, self->idb);
	self->a = mergeable("mt_ksm_a", true);
	self->b = mergeable("mt_ksm_b", false);
	ASSERT_GT(self->a, 0);
	ASSERT_GT(self->b, 0);
	ASSERT_EQ(0, ksm_write("pages_to_scan", "5000"));
	ASSERT_EQ(0, ksm_write("sleep_millisecs", "10"));
	ASSERT_EQ(0, ksm_write("run", "1"));
	/* merged, then two more full scans so that B was looked at too */
	for (i = 0; i < 600 && merging_pages(self->a) < NPAGES - 64; i++)
		usleep(100000);
	scans = file_long(KSM "full_scans");
	for (i = 0; i < 600 && file_long(KSM "full_scans") < scans + 2; i++)
		usleep(100000);
	/* stop ksmd: merged pages stay, the numbers hold still */
	ASSERT_EQ(0, ksm_write("run", "0"));
	usleep(1100000);	/* past the module's one-second cache */
}

FIXTURE_TEARDOWN(ksm)
{
	if (self->a > 0)
		kill(self->a, SIGKILL);
	if (self->b > 0)
		kill(self->b, SIGKILL);
	waitpid(self->a, NULL, 0);
	waitpid(self->b, NULL, 0);
	ksm_write("run", "2");		/* unmerge what is left */
	ksm_write("run", "0");
	ksm_write("pages_to_scan", "100");	/* the kernel's defaults */
	ksm_write("sleep_millisecs", "20");
	cg_remove("mt_ksm_a");
	cg_remove("mt_ksm_b");
	mt_nl_close(&self->nl);
}

struct ksm_totals {
	uint64_t merging, rmap, full_scans, updated;
	bool has_full_scans;
};

static void ksm_cb(const struct nlmsghdr *nlh, void *ctx)
{
	struct ksm_totals *t = ctx;
	const struct nlattr *a;

	a = mt_nl_attr(nlh, MEMTALLY_A_KSM_MERGING_PAGES);
	t->merging = a ? mt_nl_u64(a) : ~0ULL;
	a = mt_nl_attr(nlh, MEMTALLY_A_KSM_RMAP_ITEMS);
	t->rmap = a ? mt_nl_u64(a) : ~0ULL;
	a = mt_nl_attr(nlh, MEMTALLY_A_KSM_UPDATED_NS);
	t->updated = a ? mt_nl_u64(a) : 0;
	a = mt_nl_attr(nlh, MEMTALLY_A_KSM_FULL_SCANS);
	t->has_full_scans = a;
	t->full_scans = a ? mt_nl_u64(a) : 0;
}

static bool kernel_has_ksm_tracepoints(void)
{
	return !access("/sys/kernel/tracing/events/ksm", F_OK);
}

/*
 * A's merged pages are exactly its process's ksm_merging_pages, about all
 * of its 4096 identical pages; B's distinct pages merge to nothing.
 */
TEST_F(ksm, merged_per_cgroup)
{
	struct mt_nl_result res;
	struct ksm_totals t = { 0 };
	struct mt_nl_req req;
	struct mt_row ra, rb;
	long pa, pb;

	pa = merging_pages(self->a);
	pb = merging_pages(self->b);
	ASSERT_EQ(0, mt_row_get(&self->nl, self->ida, &ra, &res)) TH_LOG("%s", res.extack);
	ASSERT_EQ(0, mt_row_get(&self->nl, self->idb, &rb, &res));
	TH_LOG("A: %llu merged (proc %ld), %llu rmap items; B: %llu merged (proc %ld)",
	       (unsigned long long)ra.v[MEMTALLY_A_CGROUP_KSM_MERGING_PAGES], pa,
	       (unsigned long long)ra.v[MEMTALLY_A_CGROUP_KSM_RMAP_ITEMS],
	       (unsigned long long)rb.v[MEMTALLY_A_CGROUP_KSM_MERGING_PAGES], pb);
	EXPECT_EQ((uint64_t)pa, ra.v[MEMTALLY_A_CGROUP_KSM_MERGING_PAGES]);
	EXPECT_GE(pa, NPAGES - 64);
	EXPECT_LE(pa, NPAGES);
	EXPECT_GE(ra.v[MEMTALLY_A_CGROUP_KSM_RMAP_ITEMS], NPAGES - 64);
	EXPECT_EQ(0, pb);
	EXPECT_EQ(0, rb.v[MEMTALLY_A_CGROUP_KSM_MERGING_PAGES]);
	EXPECT_GT(rb.v[MEMTALLY_A_CGROUP_KSM_RMAP_ITEMS], 0);	/* scanned */

	mt_nl_req_init(&req, self->nl.family, MEMTALLY_CMD_KSM_GET, 0);
	ASSERT_EQ(0, mt_nl_talk(&self->nl, &req, ksm_cb, &t, &res));
	ASSERT_EQ(0, res.error) TH_LOG("%s", res.extack);
	/* nothing else in the guest merges */
	EXPECT_EQ((uint64_t)pa, t.merging);
	EXPECT_GT(t.updated, 0);
	EXPECT_EQ(kernel_has_ksm_tracepoints(), t.has_full_scans);
}

/* The tracepoint counters: merges charged to the owner's cgroup. */
TEST_F(ksm, tracepoint_counters)
{
	struct mt_nl_result res;
	struct mt_row ra, rb;

	if (!kernel_has_ksm_tracepoints())
		SKIP(return, "this kernel has no KSM tracepoints (6.7+)");
	ASSERT_EQ(0, mt_row_get(&self->nl, self->ida, &ra, &res));
	ASSERT_EQ(0, mt_row_get(&self->nl, self->idb, &rb, &res));
	TH_LOG("A: %llu attempts, %llu merges, %llu failures, %llu enters",
	       (unsigned long long)ra.v[MEMTALLY_A_CGROUP_KSM_MERGE_ATTEMPTS],
	       (unsigned long long)ra.v[MEMTALLY_A_CGROUP_KSM_MERGES],
	       (unsigned long long)ra.v[MEMTALLY_A_CGROUP_KSM_MERGE_FAILURES],
	       (unsigned long long)ra.v[MEMTALLY_A_CGROUP_KSM_ENTERS]);
	/*
	 * Each merged page was merged once, except the first page of each
	 * KSM page, which becomes it (16 of them: max_page_sharing 256).
	 */
	EXPECT_LE(ra.v[MEMTALLY_A_CGROUP_KSM_MERGES],
		  ra.v[MEMTALLY_A_CGROUP_KSM_MERGING_PAGES]);
	EXPECT_GE(ra.v[MEMTALLY_A_CGROUP_KSM_MERGES],
		  ra.v[MEMTALLY_A_CGROUP_KSM_MERGING_PAGES] - 64);
	EXPECT_EQ(ra.v[MEMTALLY_A_CGROUP_KSM_MERGE_ATTEMPTS],
		  ra.v[MEMTALLY_A_CGROUP_KSM_MERGES] +
		  ra.v[MEMTALLY_A_CGROUP_KSM_MERGE_FAILURES]);
	EXPECT_EQ(1, ra.v[MEMTALLY_A_CGROUP_KSM_ENTERS]);
	EXPECT_EQ(1, rb.v[MEMTALLY_A_CGROUP_KSM_ENTERS]);
	EXPECT_EQ(0, rb.v[MEMTALLY_A_CGROUP_KSM_MERGES]);
}

TEST_HARNESS_MAIN
