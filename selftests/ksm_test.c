// SPDX-License-Identifier: GPL-2.0
/*
 * memtally selftests for KSM per cgroup: run as root in the test guest
 * with memtally.ko loaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
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

/* ksm-get: a walk of every process that starts now; its totals into @t */
static int ksm_get(struct mt_nl *nl, struct ksm_totals *t,
		   struct mt_nl_result *res)
{
	struct mt_nl_req req;

	mt_nl_req_init(&req, nl->family, MEMTALLY_CMD_KSM_GET, 0);
	return mt_nl_talk(nl, &req, ksm_cb, t, res);
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
	struct mt_row ra, rb;
	long pa, pb;

	pa = merging_pages(self->a);
	pb = merging_pages(self->b);
	/*
	 * ksm-get walks now; a cgroup's row takes a walk at most a second
	 * old, so the rows below come from this one (as memtally ksm reads
	 * them), not from one before A and B merged.
	 */
	ASSERT_EQ(0, ksm_get(&self->nl, &t, &res));
	ASSERT_EQ(0, res.error) TH_LOG("%s", res.extack);
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

	/* nothing else in the guest merges */
	EXPECT_EQ((uint64_t)pa, t.merging);
	EXPECT_GT(t.updated, 0);
	EXPECT_EQ(kernel_has_ksm_tracepoints(), t.has_full_scans);
}

/* The tracepoint counters: merges charged to the owner's cgroup. */
TEST_F(ksm, tracepoint_counters)
{
	struct ksm_totals t = { 0 };
	struct mt_nl_result res;
	struct mt_row ra, rb;

	if (!kernel_has_ksm_tracepoints())
		SKIP(return, "this kernel has no KSM tracepoints (6.7+)");
	/*
	 * The rows' merged pages from a walk after A merged (a row takes a
	 * walk up to a second old: one from the fixture's start read 0)
	 */
	ASSERT_EQ(0, ksm_get(&self->nl, &t, &res));
	ASSERT_EQ(0, res.error) TH_LOG("%s", res.extack);
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

/* The whole-system KSM walk with many processes: see walk_latency. */
#define WALK_PROCS	10000
#define WALK_STACK	16384
#define WALK_GETS	8

static int walk_child(void *arg)
{
	for (;;)
		pause();
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

struct walk_lat {
	volatile bool stop;
	volatile unsigned long runs;	/* wakeups so far */
	uint64_t max_ns;		/* the longest a 1 ms sleep overslept */
};

/* A SCHED_FIFO thread on CPU 0 that asks to run every 1 ms. */
static void *walk_lat_thread(void *arg)
{
	struct walk_lat *l = arg;

	while (!l->stop) {
		struct timespec ts = { 0, 1000000 };
		uint64_t t0 = now_ns(), late;

		clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
		late = now_ns() - t0 - 1000000;
		if (late > l->max_ns)
			l->max_ns = late;
		l->runs++;
	}
	return NULL;
}

static uint64_t boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * KSM's numbers change without telling the module, so every request is
 * answered by a walk that started after it was sent: requests one right
 * after the other each get their own (a one-second cache once answered
 * with a walk from before ksmd merged: CI on a fast machine, 6.1).
 */
TEST(walk_is_fresh)
{
	struct ksm_totals t = { 0 };
	struct mt_nl_result res;
	struct mt_nl nl;
	uint64_t sent;
	int i;

	if (access(KSM "run", F_OK))
		SKIP(return, "KSM is not built into this kernel (CONFIG_KSM)");
	ASSERT_EQ(0, mt_nl_open(&nl, MEMTALLY_FAMILY_NAME));
	for (i = 0; i < 3; i++) {
		sent = boottime_ns();
		ASSERT_EQ(0, ksm_get(&nl, &t, &res)) TH_LOG("%s", res.extack);
		EXPECT_GE(t.updated, sent)
			TH_LOG("request %d: the walk started %llu ns before it was sent",
			       i, (unsigned long long)(sent - t.updated));
	}
	mt_nl_close(&nl);
}

static long mem_available_kb(void)
{
	char line[128];
	long kb = 0;
	FILE *f;

	f = fopen("/proc/meminfo", "r");
	while (f && fgets(line, sizeof(line), f))
		sscanf(line, "MemAvailable: %ld kB", &kb);
	if (f)
		fclose(f);
	return kb;
}

/*
 * ksm-get walks every process.  With 10,000 of them (fewer if the guest's
 * memory does not allow) the walk must let a real-time task on the same
 * CPU run while it goes on: a walk that holds the CPU from the first
 * process to the last (one RCU read-side section, no cond_resched) lets it
 * run only after the walk on a kernel without forced preemption (Debian's
 * default: voluntary; a kernel with full or lazy preemption passes either
 * way).  Counted, not timed: a task that wants to run every 1 ms must get
 * at least one run per 4 ms of request time, summed over the requests
 * (TCG's timers are late by a few ms now and then; a walk that never lets
 * go gets ~1 run per request).  The walk's time is logged.
 */
TEST(walk_latency)
{
	struct sched_param sp = { .sched_priority = 50 };
	uint64_t req_ns = 0, req_max = 0, runs = 0;
	long avail, threads_max, n, i;
	struct ksm_totals t = { 0 };
	struct mt_nl_result res;
	struct walk_lat lat = { 0 };
	pthread_attr_t attr;
	cpu_set_t cpu0;
	pid_t *pids;
	pthread_t th;
	struct mt_nl nl;
	char *stacks;
	char val[32];

	if (access(KSM "run", F_OK))
		SKIP(return, "KSM is not built into this kernel (CONFIG_KSM)");
	ASSERT_EQ(0, mt_nl_open(&nl, MEMTALLY_FAMILY_NAME));
	/* a process here costs ~40 KiB of kernel memory, more with KASAN */
	avail = mem_available_kb();
	n = avail / 80 < WALK_PROCS ? avail / 80 : WALK_PROCS;
	threads_max = file_long("/proc/sys/kernel/threads-max");
	if (threads_max < n + 4096) {
		snprintf(val, sizeof(val), "%ld", n + 4096);
		ASSERT_EQ(0, file_write("/proc/sys/kernel/threads-max", val));
	}

	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(cpu0), &cpu0));
	pids = calloc(n, sizeof(*pids));
	stacks = mmap(NULL, n * WALK_STACK, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT_NE(NULL, pids);
	ASSERT_NE(MAP_FAILED, stacks);
	/* processes that share this one's memory: cheap, yet each a process */
	for (i = 0; i < n; i++) {
		pids[i] = clone(walk_child, stacks + (i + 1) * WALK_STACK,
				CLONE_VM | CLONE_FS | CLONE_FILES | SIGCHLD,
				NULL);
		if (pids[i] < 0)
			break;
	}
	TH_LOG("%ld processes (MemAvailable %ld kB, then %ld kB)",
	       i, avail, mem_available_kb());
	EXPECT_EQ(n, i);
	n = i;

	ASSERT_EQ(0, pthread_attr_init(&attr));
	ASSERT_EQ(0, pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED));
	ASSERT_EQ(0, pthread_attr_setschedpolicy(&attr, SCHED_FIFO));
	ASSERT_EQ(0, pthread_attr_setschedparam(&attr, &sp));
	ASSERT_EQ(0, pthread_attr_setaffinity_np(&attr, sizeof(cpu0), &cpu0));
	ASSERT_EQ(0, pthread_create(&th, &attr, walk_lat_thread, &lat));
	for (i = 0; i < WALK_GETS; i++) {
		unsigned long r0;
		uint64_t t0;

		r0 = lat.runs;
		t0 = now_ns();
		EXPECT_EQ(0, ksm_get(&nl, &t, &res)) TH_LOG("%s", res.extack);
		t0 = now_ns() - t0;
		runs += lat.runs - r0;
		req_ns += t0;
		if (t0 > req_max)
			req_max = t0;
	}
	lat.stop = true;
	pthread_join(th, NULL);

	for (i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
	if (threads_max < n + 4096) {
		snprintf(val, sizeof(val), "%ld", threads_max);
		file_write("/proc/sys/kernel/threads-max", val);
	}
	munmap(stacks, n * WALK_STACK);
	free(pids);
	mt_nl_close(&nl);

	TH_LOG("ksm-get over %ld processes: %.1f ms each, %.1f at most; a real-time task on the same CPU ran %llu times meanwhile, waited %.1f ms at most",
	       n, req_ns / 1e6 / WALK_GETS, req_max / 1e6,
	       (unsigned long long)runs, lat.max_ns / 1e6);
	ASSERT_GT(req_ns, WALK_GETS * 5000000ULL)
		TH_LOG("the walk is too short here to tell");
	EXPECT_GE(runs, req_ns / 4000000);
}

TEST_HARNESS_MAIN
