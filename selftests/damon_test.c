// SPDX-License-Identifier: GPL-2.0
/*
 * memtally selftests for DAMON per cgroup: run as root in the test guest
 * with memtally.ko loaded.  The tests drive DAMON's sysfs interface
 * themselves (not through the tool) and check the module's numbers.
 *
 * On a kernel without DAMON (Debian 6.1) only the "unavailable" path runs;
 * the others skip, saying so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "kselftest_harness.h"
#include "mt_lib.h"

#define DAMON	"/sys/kernel/mm/damon/admin/kdamonds"
#define DAMON_STAT_ENABLED	"/sys/module/damon_stat/parameters/enabled"
#define KD	DAMON "/0"
#define CTX	KD "/contexts/0"
#define MIB	(1024ULL * 1024)
#define SAMPLE_US	5000
#define AGGR_US		100000

#define NO_DAMON "this kernel has no DAMON (CONFIG_DAMON is off)"

static bool have_damon(void)
{
	return !access(DAMON, F_OK);
}

static int wr(const char *path, const char *fmt, ...)
{
	va_list ap;
	FILE *f;
	int ok;

	f = fopen(path, "w");
	if (!f)
		return -1;
	va_start(ap, fmt);
	ok = vfprintf(f, fmt, ap) >= 0;
	va_end(ap);
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* The largest top-level "System RAM" range of /proc/iomem, end exclusive. */
static int system_ram(unsigned long long *start, unsigned long long *end)
{
	unsigned long long s, e, best = 0;
	char line[256];
	FILE *f = fopen("/proc/iomem", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == ' ' || !strstr(line, ": System RAM"))
			continue;
		if (sscanf(line, "%llx-%llx", &s, &e) == 2 && e + 1 - s > best) {
			best = e + 1 - s;
			*start = s;
			*end = e + 1;
		}
	}
	fclose(f);
	return best ? 0 : -1;
}

/*
 * One kdamond with one context: paddr over the largest System RAM range
 * (@npids 0), or vaddr over @pids.  Returns the kdamond's pid, or -1.
 */
static int damon_sample_us = SAMPLE_US, damon_aggr_us = AGGR_US;

static long damon_start(const pid_t *pids, int npids,
			unsigned long long *start, unsigned long long *end)
{
	char path[256];
	int i;

	/*
	 * Debian's 7.x starts DAMON_STAT at boot, which runs DAMON
	 * exclusively: stop it, as an admin would (damon_test.sh checks that
	 * the tool says so)
	 */
	if (!access(DAMON_STAT_ENABLED, F_OK))
		wr(DAMON_STAT_ENABLED, "N");
	if (wr(DAMON "/nr_kdamonds", "1") ||
	    wr(KD "/contexts/nr_contexts", "1") ||
	    wr(CTX "/operations", npids ? "vaddr" : "paddr") ||
	    wr(CTX "/monitoring_attrs/intervals/sample_us", "%d",
	       damon_sample_us) ||
	    wr(CTX "/monitoring_attrs/intervals/aggr_us", "%d", damon_aggr_us) ||
	    wr(CTX "/monitoring_attrs/intervals/update_us", "1000000") ||
	    wr(CTX "/monitoring_attrs/nr_regions/min", "10") ||
	    wr(CTX "/monitoring_attrs/nr_regions/max", "1000") ||
	    wr(CTX "/targets/nr_targets", "%d", npids ? npids : 1))
		return -1;
	for (i = 0; i < npids; i++) {
		snprintf(path, sizeof(path), CTX "/targets/%d/pid_target", i);
		if (wr(path, "%d", pids[i]))
			return -1;
	}
	if (!npids &&
	    (system_ram(start, end) ||
	     wr(CTX "/targets/0/regions/nr_regions", "1") ||
	     wr(CTX "/targets/0/regions/0/start", "%llu", *start) ||
	     wr(CTX "/targets/0/regions/0/end", "%llu", *end)))
		return -1;
	if (wr(KD "/state", "on"))
		return -1;
	return file_long(KD "/pid");
}

static void damon_stop(void)
{
	wr(KD "/state", "off");
	wr(DAMON "/nr_kdamonds", "0");
}

struct bind {
	uint32_t kdamond, ops, sample_us, aggr_us;
	uint32_t wss_ring;	/* 0: the module's default */
	const uint32_t *targets;
	int ntargets;
};

static int bind(struct mt_nl *nl, const struct bind *b, struct mt_nl_result *res)
{
	struct mt_nl_req req;
	int i;

	mt_nl_req_init(&req, nl->family, MEMTALLY_CMD_DAMON_BIND, 0);
	mt_nl_put(&req, MEMTALLY_A_DAMON_KDAMOND_PID, &b->kdamond, 4);
	mt_nl_put(&req, MEMTALLY_A_DAMON_OPS, &b->ops, 4);
	mt_nl_put(&req, MEMTALLY_A_DAMON_SAMPLE_US, &b->sample_us, 4);
	mt_nl_put(&req, MEMTALLY_A_DAMON_AGGR_US, &b->aggr_us, 4);
	if (b->wss_ring)
		mt_nl_put(&req, MEMTALLY_A_DAMON_WSS_RING, &b->wss_ring, 4);
	for (i = 0; i < b->ntargets; i++)
		mt_nl_put(&req, MEMTALLY_A_DAMON_TARGET_PID, &b->targets[i], 4);
	if (mt_nl_talk(nl, &req, NULL, NULL, res))
		return -EIO;
	return res->error;
}

/*
 * A vaddr kdamond over process @v, bound with @b (ops and intervals set by
 * the caller; @target keeps the pid).  Returns the kdamond's pid, or -1.
 */
static long bind_vaddr(struct mt_nl *nl, pid_t v, struct bind *b,
		       uint32_t *target, struct mt_nl_result *res)
{
	long kd = damon_start(&v, 1, NULL, NULL);

	if (kd <= 0)
		return -1;
	b->kdamond = kd;
	*target = v;
	b->targets = target;
	b->ntargets = 1;
	return bind(nl, b, res) ? -1 : kd;
}

static int unbind(struct mt_nl *nl, struct mt_nl_result *res)
{
	return mt_raw_request(nl, MEMTALLY_CMD_DAMON_UNBIND, 0, 0, NULL, 0,
			      res);
}

struct info {
	bool bound;
	uint32_t wss_ring;
	uint64_t aggregations, total, unattributed, probe_ns;
};

static void info_cb(const struct nlmsghdr *nlh, void *ctx)
{
	struct info *in = ctx;
	const struct nlattr *a;

	in->bound = mt_nl_attr(nlh, MEMTALLY_A_DAMON_KDAMOND_PID);
	a = mt_nl_attr(nlh, MEMTALLY_A_DAMON_WSS_RING);
	in->wss_ring = a ? (uint32_t)mt_nl_u64(a) : 0;
	a = mt_nl_attr(nlh, MEMTALLY_A_DAMON_AGGREGATIONS);
	in->aggregations = a ? mt_nl_u64(a) : 0;
	a = mt_nl_attr(nlh, MEMTALLY_A_DAMON_TOTAL_BYTES);
	in->total = a ? mt_nl_u64(a) : 0;
	a = mt_nl_attr(nlh, MEMTALLY_A_DAMON_UNATTRIBUTED_BYTES);
	in->unattributed = a ? mt_nl_u64(a) : 0;
	a = mt_nl_attr(nlh, MEMTALLY_A_DAMON_PROBE_NS);
	in->probe_ns = a ? mt_nl_u64(a) : 0;
}

static int info_get(struct mt_nl *nl, struct info *in)
{
	struct mt_nl_result res;
	struct mt_nl_req req;

	memset(in, 0, sizeof(*in));
	mt_nl_req_init(&req, nl->family, MEMTALLY_CMD_DAMON_GET, 0);
	if (mt_nl_talk(nl, &req, info_cb, in, &res))
		return -EIO;
	return res.error;
}

/* Sum of hot + warm + cold over every cgroup (a cgroup-get dump). */
static void sum_cb(const struct nlmsghdr *nlh, void *ctx)
{
	struct mt_row r;

	mt_row_parse(nlh, &r);
	*(uint64_t *)ctx += r.v[MEMTALLY_A_CGROUP_DAMON_HOT] +
			    r.v[MEMTALLY_A_CGROUP_DAMON_WARM] +
			    r.v[MEMTALLY_A_CGROUP_DAMON_COLD];
}

static uint64_t sum_cgroups(struct mt_nl *nl)
{
	struct mt_nl_result res;
	struct mt_nl_req req;
	uint64_t sum = 0;

	mt_nl_req_init(&req, nl->family, MEMTALLY_CMD_CGROUP_GET, NLM_F_DUMP);
	if (mt_nl_talk(nl, &req, sum_cb, &sum, &res) || res.error)
		return 0;
	return sum;
}

/*
 * A child in cgroup @cg that writes @mib MiB: over and over (@loop), or
 * once and then sleeps.  Returns once the memory was written once.
 */
static pid_t worker(const char *cg, unsigned long mib, bool loop)
{
	int ready[2];
	pid_t pid;
	char c;

	if (pipe(ready))
		return -1;
	pid = fork();
	if (pid == 0) {
		size_t len = mib * MIB;
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED || cg_enter(cg))
			_exit(1);
		for (size_t i = 0; i < len; i += PAGE)
			p[i] = 1;
		if (write(ready[1], "r", 1) != 1)
			_exit(3);
		/*
		 * DAMON's vaddr check clears the accessed bit without a TLB
		 * flush, as x86 allows.  A real CPU's TLB cannot hold 8192
		 * pages for long, so the bit comes back; QEMU TCG's soft TLB
		 * can, until the guest flushes it.  Flush it each pass, as
		 * a real TLB's misses would: mprotect() over the range ends
		 * in a flush of the whole TLB.
		 */
		while (loop) {
			for (size_t i = 0; i < len; i += PAGE)
				p[i]++;
			mprotect(p, len, PROT_READ);
			mprotect(p, len, PROT_READ | PROT_WRITE);
		}
		pause();
		_exit(0);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		pid = -1;
	close(ready[0]);
	return pid;
}

static void stop(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

struct hook_state {
	const char *name;
	uint32_t state;
};

static void hook_cb(const struct nlmsghdr *nlh, void *ctx)
{
	int len = (int)nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	struct hook_state *hs = ctx;
	const struct nlattr *a, *h;

	mt_nl_for_each_attr(a, (const void *)((const char *)NLMSG_DATA(nlh) + GENL_HDRLEN), len) {
		int hlen = a->nla_len - NLA_HDRLEN;
		const char *name = "";
		uint32_t state = ~0u;

		if ((a->nla_type & NLA_TYPE_MASK) != MEMTALLY_A_STATUS_HOOK)
			continue;
		mt_nl_for_each_attr(h, (const void *)((const char *)a + NLA_HDRLEN), hlen) {
			if (h->nla_type == MEMTALLY_A_HOOK_NAME)
				name = (const char *)h + NLA_HDRLEN;
			if (h->nla_type == MEMTALLY_A_HOOK_STATE)
				state = (uint32_t)mt_nl_u64(h);
		}
		if (!strcmp(name, hs->name))
			hs->state = state;
	}
}

/*
 * The damon-aggregated hook is attached exactly when the kernel has DAMON;
 * without it a bind fails with a reason, and nothing else changes.
 */
TEST(hook_state)
{
	struct hook_state hs = { "damon-aggregated", ~0u };
	struct bind b = { .kdamond = 2, .ops = MEMTALLY_DAMON_OPS_PADDR,
			  .sample_us = SAMPLE_US, .aggr_us = AGGR_US };
	struct mt_nl_result res;
	struct mt_nl_req req;
	struct mt_nl nl;

	ASSERT_EQ(0, mt_nl_open(&nl, MEMTALLY_FAMILY_NAME));
	mt_nl_req_init(&req, nl.family, MEMTALLY_CMD_STATUS_GET, 0);
	ASSERT_EQ(0, mt_nl_talk(&nl, &req, hook_cb, &hs, &res));
	ASSERT_EQ(0, res.error);
	if (have_damon()) {
		EXPECT_EQ(MEMTALLY_HOOK_STATE_ATTACHED, hs.state);
	} else {
		EXPECT_EQ(MEMTALLY_HOOK_STATE_UNAVAILABLE, hs.state);
		EXPECT_EQ(-EOPNOTSUPP, bind(&nl, &b, &res));
		EXPECT_NE(NULL, strstr(res.extack, "CONFIG_DAMON"))
			TH_LOG("extack: '%s'", res.extack);
	}
	mt_nl_close(&nl);
}

/* Bad binds: each refused with the reason, by the right check. */
TEST(bind_bad_input)
{
	uint32_t pid1 = 1;
	struct bind b = { .kdamond = 1, .ops = MEMTALLY_DAMON_OPS_PADDR,
			  .sample_us = SAMPLE_US, .aggr_us = AGGR_US };
	struct mt_nl_result res;
	struct mt_nl nl;
	pid_t child;
	int status;

	if (!have_damon())
		SKIP(return, NO_DAMON);
	ASSERT_EQ(0, mt_nl_open(&nl, MEMTALLY_FAMILY_NAME));
	/* init is no kdamond; neither is a pid nobody has */
	EXPECT_EQ(-ESRCH, bind(&nl, &b, &res));
	EXPECT_STREQ("kdamond-pid is no kdamond thread", res.extack);
	b.kdamond = 4000000;
	EXPECT_EQ(-ESRCH, bind(&nl, &b, &res));
	/* vaddr without targets, paddr with one, intervals the wrong way */
	b.ops = MEMTALLY_DAMON_OPS_VADDR;
	EXPECT_EQ(-EINVAL, bind(&nl, &b, &res));
	EXPECT_STREQ("vaddr needs a target-pid per target", res.extack);
	b.ops = MEMTALLY_DAMON_OPS_PADDR;
	b.targets = &pid1;
	b.ntargets = 1;
	EXPECT_EQ(-EINVAL, bind(&nl, &b, &res));
	EXPECT_STREQ("paddr takes no target-pid", res.extack);
	b.ntargets = 0;
	b.aggr_us = SAMPLE_US - 1;
	EXPECT_EQ(-EINVAL, bind(&nl, &b, &res));
	EXPECT_NE(0, res.extack[0]);
	/* an unknown ops value fails the policy */
	b.aggr_us = AGGR_US;
	b.ops = 7;
	EXPECT_NE(0, bind(&nl, &b, &res));
	EXPECT_NE(0, res.extack[0]);
	/* nothing bound: unbind says so */
	unbind(&nl, &res);
	EXPECT_EQ(-ENOENT, unbind(&nl, &res));
	EXPECT_STREQ("no kdamond is bound", res.extack);
	/* not root: no bind, no unbind */
	child = fork();
	if (child == 0) {
		struct mt_nl unl;

		b.ops = MEMTALLY_DAMON_OPS_PADDR;
		if (setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534) ||
		    mt_nl_open(&unl, MEMTALLY_FAMILY_NAME))
			_exit(10);
		if (bind(&unl, &b, &res) != -EPERM)
			_exit(11);
		if (unbind(&unl, &res) != -EPERM)
			_exit(12);
		_exit(0);
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	mt_nl_close(&nl);
}

#define PCT(x, pct)	((x) * (pct) / 100)

/*
 * In the spirit of masim: cgroup H rewrites 64 MiB over and over, cgroup
 * C wrote 256 MiB once and sleeps.  One paddr kdamond over all of RAM.
 *
 * Tolerance: +-25 % of the workloads' sizes, from two sources.  DAMON's
 * own: its regions are adaptive and a region mixing H's pages with others
 * has one nr_accesses for all.  memtally's: a region's bytes go to cgroups
 * by MEMTALLY_DAMON_SAMPLES page samples; with ~50 regions over 1 GiB the
 * standard error of a 256 MiB share is about 2 % of RAM (20 MiB, 8 % of
 * C), so 25 % is three standard errors.  C's hot bytes must stay below
 * 1/16 of its size.  After unbinding the numbers hold still, and then the
 * cgroups' bytes plus the unattributed ones are exactly the bytes the
 * regions covered, which is exactly the monitored range.
 */
TEST(paddr_hot_cold)
{
	uint64_t idh, idc, wss, hot, cold, sum, aged = 0;
	unsigned long long start = 0, end = 0;
	struct bind b = { .ops = MEMTALLY_DAMON_OPS_PADDR,
			  .sample_us = SAMPLE_US, .aggr_us = AGGR_US };
	struct mt_nl_result res;
	struct mt_row rh, rc;
	struct info in;
	struct mt_nl nl;
	pid_t h, c;
	long kd;
	int i, k;

	if (!have_damon())
		SKIP(return, NO_DAMON);
	ASSERT_EQ(0, mt_nl_open(&nl, MEMTALLY_FAMILY_NAME));
	idh = cg_make("mt_dh");
	idc = cg_make("mt_dc");
	ASSERT_NE(0, idh);
	ASSERT_NE(0, idc);
	c = worker("mt_dc", 256, false);
	h = worker("mt_dh", 64, true);
	ASSERT_GT(c, 0);
	ASSERT_GT(h, 0);
	kd = damon_start(NULL, 0, &start, &end);
	ASSERT_GT(kd, 0) TH_LOG("DAMON sysfs setup failed: %s", strerror(errno));
	b.kdamond = kd;
	ASSERT_EQ(0, bind(&nl, &b, &res)) TH_LOG("bind: %s", res.extack);

	/* DAMON's regions need a few seconds to adapt */
	for (i = 0; i < 120; i++) {
		sleep(1);
		ASSERT_EQ(0, mt_row_get(&nl, idh, &rh, &res));
		ASSERT_EQ(0, mt_row_get(&nl, idc, &rc, &res));
		wss = rh.v[MEMTALLY_A_CGROUP_DAMON_WSS];
		hot = rh.v[MEMTALLY_A_CGROUP_DAMON_HOT];
		cold = rc.v[MEMTALLY_A_CGROUP_DAMON_COLD];
		if (i >= 10 && wss > PCT(64 * MIB, 75) && wss < PCT(64 * MIB, 125) &&
		    hot > PCT(64 * MIB, 75) &&
		    cold > PCT(256 * MIB, 75) && cold < PCT(256 * MIB, 125) &&
		    rc.v[MEMTALLY_A_CGROUP_DAMON_HOT] < 16 * MIB)
			break;
	}
	ASSERT_EQ(0, unbind(&nl, &res)) TH_LOG("unbind: %s", res.extack);
	ASSERT_EQ(0, info_get(&nl, &in));
	ASSERT_EQ(0, mt_row_get(&nl, idh, &rh, &res));
	ASSERT_EQ(0, mt_row_get(&nl, idc, &rc, &res));
	sum = sum_cgroups(&nl);
	stop(h);
	stop(c);
	damon_stop();
	TH_LOG("after %d s, %llu aggregations: H wss %llu hot %llu warm %llu cold %llu MiB; C wss %llu hot %llu warm %llu cold %llu MiB; unattributed %llu of %llu MiB; probe %llu us/aggregation",
	       i, (unsigned long long)in.aggregations,
	       (unsigned long long)(rh.v[MEMTALLY_A_CGROUP_DAMON_WSS] / MIB),
	       (unsigned long long)(rh.v[MEMTALLY_A_CGROUP_DAMON_HOT] / MIB),
	       (unsigned long long)(rh.v[MEMTALLY_A_CGROUP_DAMON_WARM] / MIB),
	       (unsigned long long)(rh.v[MEMTALLY_A_CGROUP_DAMON_COLD] / MIB),
	       (unsigned long long)(rc.v[MEMTALLY_A_CGROUP_DAMON_WSS] / MIB),
	       (unsigned long long)(rc.v[MEMTALLY_A_CGROUP_DAMON_HOT] / MIB),
	       (unsigned long long)(rc.v[MEMTALLY_A_CGROUP_DAMON_WARM] / MIB),
	       (unsigned long long)(rc.v[MEMTALLY_A_CGROUP_DAMON_COLD] / MIB),
	       (unsigned long long)(in.unattributed / MIB),
	       (unsigned long long)(in.total / MIB),
	       (unsigned long long)(in.aggregations ?
				    in.probe_ns / in.aggregations / 1000 : 0));
	wss = rh.v[MEMTALLY_A_CGROUP_DAMON_WSS];
	EXPECT_GT(wss, PCT(64 * MIB, 75));
	EXPECT_LT(wss, PCT(64 * MIB, 125));
	EXPECT_GT(rh.v[MEMTALLY_A_CGROUP_DAMON_HOT], PCT(64 * MIB, 75));
	EXPECT_LT(rh.v[MEMTALLY_A_CGROUP_DAMON_HOT], PCT(64 * MIB, 125));
	EXPECT_GT(rc.v[MEMTALLY_A_CGROUP_DAMON_COLD], PCT(256 * MIB, 75));
	EXPECT_LT(rc.v[MEMTALLY_A_CGROUP_DAMON_COLD], PCT(256 * MIB, 125));
	EXPECT_LT(rc.v[MEMTALLY_A_CGROUP_DAMON_HOT], 16 * MIB);
	/* aggr 100 ms: any access is >= 10/s, never cold, so wss = hot + warm */
	EXPECT_EQ(wss, rh.v[MEMTALLY_A_CGROUP_DAMON_HOT] +
		       rh.v[MEMTALLY_A_CGROUP_DAMON_WARM]);
	/* the age histogram holds the same bytes */
	for (k = 0; k < MEMTALLY_DAMON_AGE_BUCKETS; k++)
		aged += rh.age[k];
	EXPECT_EQ(aged, rh.v[MEMTALLY_A_CGROUP_DAMON_HOT] +
			   rh.v[MEMTALLY_A_CGROUP_DAMON_WARM] +
			   rh.v[MEMTALLY_A_CGROUP_DAMON_COLD]);
	/* every byte once: the cgroups' plus the unattributed */
	EXPECT_EQ(end - start, in.total);
	EXPECT_EQ(in.total, sum + in.unattributed);
	EXPECT_LE(rh.v[MEMTALLY_A_CGROUP_DAMON_HOT] +
		  rc.v[MEMTALLY_A_CGROUP_DAMON_COLD], in.total);
	cg_remove("mt_dh");
	cg_remove("mt_dc");
	mt_nl_close(&nl);
}

struct ring {
	int n;
	uint64_t last_seq, last_time;
	bool ordered, sane;
	int of_cgroup;
	uint64_t cgroup;
};

static void region_cb(const struct nlmsghdr *nlh, void *ctx)
{
	const struct nlattr *s = mt_nl_attr(nlh, MEMTALLY_A_REGION_SEQ);
	const struct nlattr *t = mt_nl_attr(nlh, MEMTALLY_A_REGION_TIME_NS);
	const struct nlattr *a = mt_nl_attr(nlh, MEMTALLY_A_REGION_START);
	const struct nlattr *e = mt_nl_attr(nlh, MEMTALLY_A_REGION_END);
	const struct nlattr *c = mt_nl_attr(nlh, MEMTALLY_A_REGION_CGROUP_ID);
	struct ring *r = ctx;

	if (!s || !t || !a || !e) {
		r->sane = false;
		return;
	}
	if (r->n && (mt_nl_u64(s) <= r->last_seq || mt_nl_u64(t) < r->last_time))
		r->ordered = false;
	if (mt_nl_u64(a) >= mt_nl_u64(e))
		r->sane = false;
	if (c && mt_nl_u64(c) == r->cgroup)
		r->of_cgroup++;
	r->last_seq = mt_nl_u64(s);
	r->last_time = mt_nl_u64(t);
	r->n++;
}

struct wss {
	int n;
	uint64_t t[MEMTALLY_DAMON_WSS_RING_MAX], v[MEMTALLY_DAMON_WSS_RING_MAX];
};

static void wss_cb(const struct nlmsghdr *nlh, void *ctx)
{
	const struct nlattr *a = mt_nl_attr(nlh,
					    MEMTALLY_A_CGROUP_DAMON_WSS_SAMPLES);
	struct wss *w = ctx;
	const uint64_t *p;
	int i;

	if (!a)
		return;
	p = (const uint64_t *)((const char *)a + NLA_HDRLEN);
	w->n = (a->nla_len - NLA_HDRLEN) / 16;
	for (i = 0; i < w->n && i < MEMTALLY_DAMON_WSS_RING_MAX; i++) {
		w->t[i] = p[2 * i];
		w->v[i] = p[2 * i + 1];
	}
}

/*
 * vaddr: every byte of the target's regions goes to the target's cgroup,
 * none unattributed; its working set is its 32 MiB loop (+-25 %, DAMON's
 * regions) plus a little code and stack.  The working set ring and the
 * region ring fill in order.
 */
TEST(vaddr_rings)
{
	struct bind b = { .ops = MEMTALLY_DAMON_OPS_VADDR,
			  .sample_us = SAMPLE_US, .aggr_us = AGGR_US };
	struct ring ring = { .ordered = true, .sane = true };
	struct mt_nl_result res;
	static struct wss w;
	struct mt_nl_req req;
	uint32_t target;
	struct mt_row r;
	struct info in;
	struct mt_nl nl;
	uint64_t id;
	pid_t v;
	long kd;
	int i;

	if (!have_damon())
		SKIP(return, NO_DAMON);
	ASSERT_EQ(0, mt_nl_open(&nl, MEMTALLY_FAMILY_NAME));
	id = cg_make("mt_dv");
	ASSERT_NE(0, id);
	v = worker("mt_dv", 32, true);
	ASSERT_GT(v, 0);
	kd = bind_vaddr(&nl, v, &b, &target, &res);
	ASSERT_GT(kd, 0) TH_LOG("bind: %s", res.extack);
	for (i = 0; i < 120; i++) {
		sleep(1);
		ASSERT_EQ(0, mt_row_get(&nl, id, &r, &res));
		if (i >= 10 && r.v[MEMTALLY_A_CGROUP_DAMON_WSS] > PCT(32 * MIB, 75) &&
		    r.v[MEMTALLY_A_CGROUP_DAMON_WSS] < PCT(32 * MIB, 125) + 4 * MIB)
			break;
	}
	ASSERT_EQ(0, unbind(&nl, &res));
	ASSERT_EQ(0, info_get(&nl, &in));
	EXPECT_FALSE(in.bound);
	ASSERT_EQ(0, mt_row_get(&nl, id, &r, &res));
	TH_LOG("after %d s, %llu aggregations: wss %llu KiB of %llu KiB, unattributed %llu",
	       i, (unsigned long long)in.aggregations,
	       (unsigned long long)(r.v[MEMTALLY_A_CGROUP_DAMON_WSS] >> 10),
	       (unsigned long long)(in.total >> 10),
	       (unsigned long long)in.unattributed);
	EXPECT_GT(r.v[MEMTALLY_A_CGROUP_DAMON_WSS], PCT(32 * MIB, 75));
	EXPECT_LT(r.v[MEMTALLY_A_CGROUP_DAMON_WSS], PCT(32 * MIB, 125) + 4 * MIB);
	EXPECT_EQ(0, in.unattributed);
	EXPECT_EQ(in.total, r.v[MEMTALLY_A_CGROUP_DAMON_HOT] +
			    r.v[MEMTALLY_A_CGROUP_DAMON_WARM] +
			    r.v[MEMTALLY_A_CGROUP_DAMON_COLD]);

	/* the working set ring: the newest sample is the published wss */
	mt_nl_req_init(&req, nl.family, MEMTALLY_CMD_DAMON_WSS_GET, 0);
	mt_nl_put(&req, MEMTALLY_A_CGROUP_ID, &id, 8);
	ASSERT_EQ(0, mt_nl_talk(&nl, &req, wss_cb, &w, &res));
	ASSERT_GE(w.n, 2);
	EXPECT_EQ(r.v[MEMTALLY_A_CGROUP_DAMON_WSS], w.v[w.n - 1]);
	for (i = 1; i < w.n; i++)
		EXPECT_LT(w.t[i - 1], w.t[i]);

	/* the region ring: in order, sane, and about this cgroup */
	ring.cgroup = id;
	mt_nl_req_init(&req, nl.family, MEMTALLY_CMD_DAMON_REGIONS_GET,
		       NLM_F_DUMP);
	ASSERT_EQ(0, mt_nl_talk(&nl, &req, region_cb, &ring, &res));
	EXPECT_EQ(0, res.error);
	TH_LOG("region ring: %d snapshots, %d of the cgroup", ring.n,
	       ring.of_cgroup);
	EXPECT_GT(ring.n, 10);
	EXPECT_TRUE(ring.ordered);
	EXPECT_TRUE(ring.sane);
	EXPECT_EQ(ring.n, ring.of_cgroup);

	/* debugfs shows the same */
	char line[256], want[128];
	bool seen = false;
	FILE *f = fopen("/sys/kernel/debug/memtally/damon", "r");

	ASSERT_NE(NULL, f);
	snprintf(want, sizeof(want), "%-12llu %14llu ", (unsigned long long)id,
		 (unsigned long long)r.v[MEMTALLY_A_CGROUP_DAMON_WSS]);
	while (fgets(line, sizeof(line), f))
		seen |= !strncmp(line, want, strlen(want));
	fclose(f);
	EXPECT_TRUE(seen) TH_LOG("no line '%s' in debugfs", want);

	stop(v);
	damon_stop();
	cg_remove("mt_dv");
	mt_nl_close(&nl);
}

/* the damon-wss-get do of cgroup @id into @w */
static int wss_get(struct mt_nl *nl, uint64_t id, struct wss *w,
		   struct mt_nl_result *res)
{
	struct mt_nl_req req;

	memset(w, 0, sizeof(*w));
	mt_nl_req_init(&req, nl->family, MEMTALLY_CMD_DAMON_WSS_GET, 0);
	mt_nl_put(&req, MEMTALLY_A_CGROUP_ID, &id, 8);
	return mt_nl_talk(nl, &req, wss_cb, w, res);
}

/*
 * Only the cgroups with bytes in an aggregation are written when it ends;
 * one that had bytes before and none now must still read as zero, with a
 * zero sample at the time of each aggregation it was not in.  The vaddr
 * target moves from cgroup B to cgroup C: B's numbers drop to 0, its ring
 * goes on with zeros at the same times as C's ring.
 */
TEST(vaddr_cgroup_left)
{
	struct bind b = { .ops = MEMTALLY_DAMON_OPS_VADDR,
			  .sample_us = SAMPLE_US, .aggr_us = AGGR_US };
	static struct wss wb, wc;
	struct mt_nl_result res;
	struct mt_row rb, rc;
	uint64_t idb, idc, age = 0;
	uint32_t target;
	struct mt_nl nl;
	char pid[16];
	int i, zeros;
	pid_t v;
	long kd;

	if (!have_damon())
		SKIP(return, NO_DAMON);
	ASSERT_EQ(0, mt_nl_open(&nl, MEMTALLY_FAMILY_NAME));
	idb = cg_make("mt_dl_b");
	idc = cg_make("mt_dl_c");
	ASSERT_NE(0, idb);
	ASSERT_NE(0, idc);
	v = worker("mt_dl_b", 32, true);
	ASSERT_GT(v, 0);
	kd = bind_vaddr(&nl, v, &b, &target, &res);
	ASSERT_GT(kd, 0) TH_LOG("bind: %s", res.extack);
	for (i = 0; i < 120; i++) {
		sleep(1);
		ASSERT_EQ(0, mt_row_get(&nl, idb, &rb, &res));
		if (rb.v[MEMTALLY_A_CGROUP_DAMON_WSS] > PCT(32 * MIB, 75))
			break;
	}
	ASSERT_GT(rb.v[MEMTALLY_A_CGROUP_DAMON_WSS], PCT(32 * MIB, 75));
	snprintf(pid, sizeof(pid), "%d", v);
	ASSERT_EQ(0, cg_write("mt_dl_c", "cgroup.procs", pid));
	sleep(3);	/* 30 aggregations */
	ASSERT_EQ(0, unbind(&nl, &res));
	ASSERT_EQ(0, mt_row_get(&nl, idb, &rb, &res));
	ASSERT_EQ(0, mt_row_get(&nl, idc, &rc, &res));
	ASSERT_EQ(0, wss_get(&nl, idb, &wb, &res)) TH_LOG("%s", res.extack);
	ASSERT_EQ(0, wss_get(&nl, idc, &wc, &res)) TH_LOG("%s", res.extack);
	stop(v);
	damon_stop();
	cg_remove("mt_dl_b");
	cg_remove("mt_dl_c");
	mt_nl_close(&nl);

	for (zeros = 0; zeros < wb.n && !wb.v[wb.n - 1 - zeros]; zeros++)
		;
	for (i = 0; i < MEMTALLY_DAMON_AGE_BUCKETS; i++)
		age += rb.age[i];
	TH_LOG("B: wss %llu, %d samples, the last %d zero; C: wss %llu, %d samples",
	       (unsigned long long)rb.v[MEMTALLY_A_CGROUP_DAMON_WSS], wb.n, zeros,
	       (unsigned long long)rc.v[MEMTALLY_A_CGROUP_DAMON_WSS], wc.n);
	EXPECT_EQ(0, rb.v[MEMTALLY_A_CGROUP_DAMON_WSS]);
	EXPECT_EQ(0, rb.v[MEMTALLY_A_CGROUP_DAMON_HOT]);
	EXPECT_EQ(0, rb.v[MEMTALLY_A_CGROUP_DAMON_WARM]);
	EXPECT_EQ(0, rb.v[MEMTALLY_A_CGROUP_DAMON_COLD]);
	EXPECT_EQ(0, age);
	EXPECT_GT(rc.v[MEMTALLY_A_CGROUP_DAMON_WSS], PCT(32 * MIB, 50));
	/* both made at the same bind: the same aggregations, the same times */
	ASSERT_EQ(wc.n, wb.n);
	for (i = 0; i < wb.n; i++)
		ASSERT_EQ(wc.t[i], wb.t[i]) TH_LOG("sample %d", i);
	EXPECT_GE(zeros, 10);
	EXPECT_LT(zeros, wb.n);		/* B had bytes before */
	EXPECT_GT(wb.v[wb.n - 1 - zeros], PCT(32 * MIB, 50));
	EXPECT_GT(wc.v[wc.n - 1], 0);
	EXPECT_EQ(0, wc.v[0]);		/* C had nothing at first */
}

static void stale_cb(const struct nlmsghdr *nlh, void *ctx)
{
	const struct nlattr *a = mt_nl_attr(nlh, MEMTALLY_A_DAMON_STALE);

	*(uint32_t *)ctx = a ? *(const uint32_t *)((const char *)a + NLA_HDRLEN) : 0;
}

/*
 * A DAMON sysfs commit that shortens the bound kdamond's aggregation
 * interval (100 to 20 ms): its aggregations no longer match the binding,
 * which says it is stale (intervals) and stops publishing; the cgroup keeps
 * its last good numbers and none of its working set samples is 0.  (6.12
 * terminates a kdamond whose commit changes its number of targets, which
 * ends the binding instead.)
 */
TEST(commit_changed_intervals)
{
	struct bind b = { .ops = MEMTALLY_DAMON_OPS_VADDR,
			  .sample_us = SAMPLE_US, .aggr_us = AGGR_US };
	uint64_t id, zeros = 0, aggr0, aggr1;
	uint32_t target, stale = 0;
	struct mt_nl_result res;
	static struct wss w;
	struct mt_nl_req req;
	struct mt_row r;
	struct info in;
	struct mt_nl nl;
	int i, waited;
	long kd;
	pid_t v;

	if (!have_damon())
		SKIP(return, NO_DAMON);
	ASSERT_EQ(0, mt_nl_open(&nl, MEMTALLY_FAMILY_NAME));
	id = cg_make("mt_dsa");
	ASSERT_NE(0, id);
	v = worker("mt_dsa", 16, true);
	ASSERT_GT(v, 0);
	kd = damon_start(&v, 1, NULL, NULL);
	ASSERT_GT(kd, 0);
	b.kdamond = kd;
	target = v;
	b.targets = &target;
	b.ntargets = 1;
	ASSERT_EQ(0, bind(&nl, &b, &res)) TH_LOG("bind: %s", res.extack);
	for (i = 0; i < 600; i++) {
		usleep(100000);
		ASSERT_EQ(0, mt_row_get(&nl, id, &r, &res));
		ASSERT_EQ(0, info_get(&nl, &in));
		if (in.aggregations >= 5 && r.v[MEMTALLY_A_CGROUP_DAMON_WSS])
			break;
	}
	ASSERT_GT(r.v[MEMTALLY_A_CGROUP_DAMON_WSS], 0);

	/* the same kdamond, a fifth of the aggregation interval */
	ASSERT_EQ(0, wr(CTX "/monitoring_attrs/intervals/aggr_us", "%d",
			AGGR_US / 5));
	ASSERT_EQ(0, wr(KD "/state", "commit"));
	aggr0 = in.aggregations;
	for (waited = 0; waited < 10000 && !stale; waited += 100) {
		usleep(100000);
		mt_nl_req_init(&req, nl.family, MEMTALLY_CMD_DAMON_GET, 0);
		ASSERT_EQ(0, mt_nl_talk(&nl, &req, stale_cb, &stale, &res));
	}
	ASSERT_EQ(0, info_get(&nl, &in));
	aggr1 = in.aggregations;
	sleep(1);
	ASSERT_EQ(0, info_get(&nl, &in));
	ASSERT_EQ(0, mt_row_get(&nl, id, &r, &res));
	mt_nl_req_init(&req, nl.family, MEMTALLY_CMD_DAMON_WSS_GET, 0);
	mt_nl_put(&req, MEMTALLY_A_CGROUP_ID, &id, 8);
	ASSERT_EQ(0, mt_nl_talk(&nl, &req, wss_cb, &w, &res));
	for (i = 0; i < w.n; i++)
		zeros += !w.v[i];
	TH_LOG("after the commit: stale %u after %d ms; aggregations %llu before, %llu at stale, %llu 1 s later; wss %llu KiB; %d samples, %llu of 0",
	       stale, waited, (unsigned long long)aggr0,
	       (unsigned long long)aggr1, (unsigned long long)in.aggregations,
	       (unsigned long long)(r.v[MEMTALLY_A_CGROUP_DAMON_WSS] >> 10),
	       w.n, (unsigned long long)zeros);
	EXPECT_EQ(kd, file_long(KD "/pid"));
	EXPECT_TRUE(in.bound);
	EXPECT_EQ(MEMTALLY_DAMON_STALE_INTERVALS, stale);
	EXPECT_EQ(aggr1, in.aggregations);
	EXPECT_GT(r.v[MEMTALLY_A_CGROUP_DAMON_WSS], 0);
	EXPECT_GT(w.n, 0);
	EXPECT_EQ(0, zeros);

	unbind(&nl, &res);
	stop(v);
	damon_stop();
	cg_remove("mt_dsa");
	mt_nl_close(&nl);
}

#define FAILSLAB	"/sys/kernel/debug/failslab"
#define FAIL_PAGE_ALLOC	"/sys/kernel/debug/fail_page_alloc"
#define FAIL_NTH	"/proc/thread-self/fail-nth"

/*
 * Each allocation a bind makes fails in turn (fault injection's fail-nth:
 * the Nth allocation of this thread from now fails, slab or page, GFP_KERNEL
 * included): every bind that fails leaves the old binding bound, counting
 * on with its numbers (its ring size, its aggregation count, the cgroup's
 * working set); a bind that succeeds despite the fault (kvzalloc's vmalloc
 * fallback) is one that replaced it, then the old one is bound again.
 * Stops when a bind no longer reaches the Nth allocation.
 */
TEST(bind_out_of_memory)
{
	struct bind b = { .ops = MEMTALLY_DAMON_OPS_VADDR,
			  .sample_us = SAMPLE_US, .aggr_us = AGGR_US,
			  .wss_ring = 64 };
	struct bind nb;
	int n, failed = 0, passed = 0, store_enomem = 0, bad = 0;
	struct mt_nl_result res, bres;
	struct info in, before;
	char what[5000] = "";
	uint32_t target;
	struct mt_row r;
	struct mt_nl nl;
	long kd, left;
	uint64_t id;
	int i, err, fd;
	pid_t v;

	if (!have_damon())
		SKIP(return, NO_DAMON);
	if (access(FAIL_NTH, F_OK) || access(FAILSLAB, F_OK) ||
	    access(FAIL_PAGE_ALLOC, F_OK))
		SKIP(return, "this kernel has no fault injection (CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC, CONFIG_FAULT_INJECTION_DEBUG_FS)");
	/* GFP_KERNEL and order-0 allocations too; no stack dumps */
	ASSERT_EQ(0, file_write(FAILSLAB "/ignore-gfp-wait", "N"));
	ASSERT_EQ(0, file_write(FAILSLAB "/verbose", "0"));
	ASSERT_EQ(0, file_write(FAIL_PAGE_ALLOC "/ignore-gfp-wait", "N"));
	ASSERT_EQ(0, file_write(FAIL_PAGE_ALLOC "/min-order", "0"));
	ASSERT_EQ(0, file_write(FAIL_PAGE_ALLOC "/verbose", "0"));
	/*
	 * Opened once: an open after the bind would itself allocate, and
	 * be failed, if the bind did not use up the count
	 */
	fd = open(FAIL_NTH, O_RDWR);
	ASSERT_GE(fd, 0);

	ASSERT_EQ(0, mt_nl_open(&nl, MEMTALLY_FAMILY_NAME));
	id = cg_make("mt_doom");
	ASSERT_NE(0, id);
	v = worker("mt_doom", 8, true);
	ASSERT_GT(v, 0);
	kd = bind_vaddr(&nl, v, &b, &target, &res);
	ASSERT_GT(kd, 0) TH_LOG("bind: %s", res.extack);
	nb = b;
	nb.wss_ring = 32;	/* tells the new binding from the old */

	for (n = 1; n < 2000; n++) {
		/* the old binding has numbers */
		for (i = 0; i < 100; i++) {
			ASSERT_EQ(0, info_get(&nl, &before));
			ASSERT_EQ(0, mt_row_get(&nl, id, &r, &res));
			if (before.aggregations >= 3 &&
			    r.v[MEMTALLY_A_CGROUP_DAMON_WSS])
				break;
			usleep(100000);
		}
		ASSERT_EQ(b.wss_ring, before.wss_ring);
		ASSERT_GT(r.v[MEMTALLY_A_CGROUP_DAMON_WSS], 0);

		char nth[16];
		ssize_t len;

		len = snprintf(nth, sizeof(nth), "%d", n);
		bres.extack[0] = 0;
		ASSERT_EQ(len, pwrite(fd, nth, len, 0));
		err = bind(&nl, &nb, &bres);
		len = pread(fd, nth, sizeof(nth) - 1, 0);
		ASSERT_EQ(1, pwrite(fd, "0", 1, 0));
		ASSERT_GT(len, 0);
		nth[len] = 0;
		left = strtol(nth, NULL, 10);

		ASSERT_EQ(0, info_get(&nl, &in));
		ASSERT_EQ(0, mt_row_get(&nl, id, &r, &res));
		if (!err && left > 0)
			break;		/* no allocation failed: all were tried */
		if (in.wss_ring == nb.wss_ring) {
			/* the fault was survived: bound anew; go back */
			passed++;
			strcat(what, "s");
			ASSERT_EQ(0, bind(&nl, &b, &res)) TH_LOG("%s", res.extack);
			continue;
		}
		failed++;
		store_enomem += err == -ENOMEM &&
				strstr(bres.extack, "per-cgroup DAMON");
		strcat(what, err == -ENOMEM ? "m" : err == -EIO ? "i" : "e");
		/* the old binding, its numbers as they were, not reset */
		if (!in.bound || in.wss_ring != b.wss_ring ||
		    in.aggregations < before.aggregations ||
		    !r.v[MEMTALLY_A_CGROUP_DAMON_WSS]) {
			bad++;
			strcat(what, "!");
			TH_LOG("allocation %d failed (bind: %d, %s): bound %d, ring %u, aggregations %llu (were %llu), wss %llu",
			       n, err, bres.extack, in.bound, in.wss_ring,
			       (unsigned long long)in.aggregations,
			       (unsigned long long)before.aggregations,
			       (unsigned long long)r.v[MEMTALLY_A_CGROUP_DAMON_WSS]);
			if (!in.bound)	/* bind it again for what follows */
				ASSERT_EQ(0, bind(&nl, &b, &res));
		}
	}
	/* the bind that had no fault counts */
	ASSERT_EQ(0, info_get(&nl, &before));
	sleep(1);
	ASSERT_EQ(0, info_get(&nl, &in));
	TH_LOG("allocation n of a bind failed, n = 1.. (m: bind ENOMEM, i: no reply, e: other error, s: survived, !: the old binding lost): %s",
	       what);
	TH_LOG("a bind makes %d allocations: %d failed it (%d in the per-cgroup numbers), %d were survived; then a bind without a fault: %llu -> %llu aggregations in 1 s",
	       n - 1, failed, store_enomem, passed,
	       (unsigned long long)before.aggregations,
	       (unsigned long long)in.aggregations);
	unbind(&nl, &res);
	stop(v);
	damon_stop();
	cg_remove("mt_doom");
	mt_nl_close(&nl);
	close(fd);

	EXPECT_EQ(0, bad);
	EXPECT_GT(failed, 5);
	EXPECT_GT(store_enomem, 0);
	EXPECT_GT(in.aggregations, before.aggregations);
}

#define ROWS		50
#define ROWS_RING	MEMTALLY_DAMON_WSS_RING_MAX

struct rows {
	uint64_t id[ROWS];
	int n[ROWS], truncated;
};

static void rows_cb(const struct nlmsghdr *nlh, void *ctx)
{
	const struct nlattr *id = mt_nl_attr(nlh, MEMTALLY_A_CGROUP_ID);
	const struct nlattr *a = mt_nl_attr(nlh,
					    MEMTALLY_A_CGROUP_DAMON_WSS_SAMPLES);
	struct rows *r = ctx;
	int i;

	if (mt_nl_attr(nlh, MEMTALLY_A_CGROUP_DAMON_WSS_TRUNCATED))
		r->truncated++;
	for (i = 0; id && a && i < ROWS; i++)
		if (r->id[i] == mt_nl_u64(id))
			r->n[i] = (a->nla_len - NLA_HDRLEN) / 16;
}

/*
 * The working set dump sends every row whole: 50 cgroups, the largest
 * ring, more than 400 aggregations (rows of 6.4 KiB and more, several to
 * a message), and every cgroup has one sample per aggregation since the
 * binding (the ring's fill), none truncated.
 */
TEST(wss_dump_rows_whole)
{
	struct bind b = { .ops = MEMTALLY_DAMON_OPS_VADDR, .sample_us = 1000,
			  .aggr_us = 4000, .wss_ring = ROWS_RING };
	struct mt_nl_result res;
	static struct rows rows;
	struct mt_nl_req req;
	char name[32];
	uint32_t target;
	struct mt_row r;
	struct info in;
	struct mt_nl nl;
	uint64_t fill;
	int i, t;
	long kd;
	pid_t v;

	if (!have_damon())
		SKIP(return, NO_DAMON);
	ASSERT_EQ(0, mt_nl_open(&nl, MEMTALLY_FAMILY_NAME));
	for (i = 0; i < ROWS; i++) {
		snprintf(name, sizeof(name), "mt_dw%d", i);
		rows.id[i] = cg_make(name);
		ASSERT_NE(0, rows.id[i]);
		/* tracked by the module before the binding */
		for (t = 0; t < 100 && mt_row_get(&nl, rows.id[i], &r, &res);
		     t++)
			usleep(50000);
	}
	v = worker("mt_dw0", 4, true);
	ASSERT_GT(v, 0);
	damon_sample_us = b.sample_us;
	damon_aggr_us = b.aggr_us;
	kd = damon_start(&v, 1, NULL, NULL);
	damon_sample_us = SAMPLE_US;
	damon_aggr_us = AGGR_US;
	ASSERT_GT(kd, 0);
	b.kdamond = kd;
	target = v;
	b.targets = &target;
	b.ntargets = 1;
	ASSERT_EQ(0, bind(&nl, &b, &res)) TH_LOG("bind: %s", res.extack);
	for (t = 0; t < 240; t++) {
		usleep(500000);
		ASSERT_EQ(0, info_get(&nl, &in));
		if (in.aggregations > 400)
			break;
	}
	ASSERT_EQ(0, unbind(&nl, &res));
	ASSERT_EQ(0, info_get(&nl, &in));
	fill = in.aggregations < ROWS_RING ? in.aggregations : ROWS_RING;
	mt_nl_req_init(&req, nl.family, MEMTALLY_CMD_DAMON_WSS_GET,
		       NLM_F_DUMP);
	ASSERT_EQ(0, mt_nl_talk(&nl, &req, rows_cb, &rows, &res));
	EXPECT_EQ(0, res.error);
	TH_LOG("%llu aggregations; dump in %d messages",
	       (unsigned long long)in.aggregations, nl.recvs);
	EXPECT_GT(in.aggregations, 400);
	EXPECT_EQ(0, rows.truncated);
	for (i = 0; i < ROWS; i++) {
		EXPECT_EQ(fill, rows.n[i]) TH_LOG("cgroup %d (id %llu)", i,
						  (unsigned long long)rows.id[i]);
	}
	stop(v);
	damon_stop();
	for (i = 0; i < ROWS; i++) {
		snprintf(name, sizeof(name), "mt_dw%d", i);
		cg_remove(name);
	}
	mt_nl_close(&nl);
}

/*
 * Put the memory controller on a v1 hierarchy mounted at @dir: 0, or
 * -EINVAL when this kernel cannot (no CONFIG_MEMCG_V1: the option is
 * unknown), or another -errno (then memory stays on cgroup v2).  No cgroup
 * but the root may have memory state, dying ones included: the guests run
 * this test first (scripts/guest/memcg_v1.sh).
 */
static int memcg_to_v1(const char *dir)
{
	int i, err;

	mkdir(dir, 0755);
	if (!mount("memcg-v1", dir, "cgroup", 0, "memory"))
		return 0;
	if (errno != EBUSY)
		return -errno;
	file_write(CG_ROOT "/cgroup.subtree_control", "-memory");
	for (i = 0; i < 50; i++) {
		file_write("/proc/sys/vm/drop_caches", "3");
		if (!mount("memcg-v1", dir, "cgroup", 0, "memory"))
			return 0;
		if (errno != EBUSY)
			break;
		usleep(100000);
	}
	err = -errno;
	file_write(CG_ROOT "/cgroup.subtree_control", "+memory");
	rmdir(dir);
	return err;
}

/* and back to cgroup v2, enabled in the root's subtree_control again */
static int memcg_to_v2(const char *dir)
{
	int i;

	if (umount(dir))
		return -errno;
	rmdir(dir);
	/* the v1 hierarchy goes away after its last reference: retry */
	for (i = 0; i < 200; i++) {
		if (!file_write(CG_ROOT "/cgroup.subtree_control", "+memory"))
			return 0;
		usleep(100000);
	}
	return -EBUSY;
}

/*
 * paddr names a page's memory cgroup; with the memory controller on a v1
 * hierarchy that cgroup has a v1 id, which may equal an unrelated v2
 * cgroup's.  The bind must be refused, saying why; vaddr (task cgroups,
 * always v2) still binds.  It moves the memory controller away from
 * cgroup v2 for a moment, which the kernel allows only before any other
 * cgroup had memory state: the guests run it alone, first
 * (scripts/guest/memcg_v1.sh), and the damon_test suite without it.
 */
TEST(paddr_memcg_v1)
{
	struct bind b = { .ops = MEMTALLY_DAMON_OPS_PADDR,
			  .sample_us = SAMPLE_US, .aggr_us = AGGR_US };
	const char *dir = "/run/memcg-v1";
	unsigned long long start, end;
	char why[256], vwhy[256];
	struct mt_nl_result res;
	int err, bound, back;
	uint32_t target;
	struct mt_nl nl;
	long kd, vaddr;
	pid_t v;

	if (!have_damon())
		SKIP(return, NO_DAMON);
	err = memcg_to_v1(dir);
	if (err == -EINVAL)
		SKIP(return, "this kernel cannot mount the memory controller on cgroup v1 (no CONFIG_MEMCG_V1), so paddr always sees v2 ids");
	ASSERT_EQ(0, err) TH_LOG("mount -t cgroup -o memory: %s", strerror(-err));
	ASSERT_EQ(0, mt_nl_open(&nl, MEMTALLY_FAMILY_NAME));
	kd = damon_start(NULL, 0, &start, &end);
	b.kdamond = kd;
	res.extack[0] = 0;
	bound = kd > 0 ? bind(&nl, &b, &res) : -1;
	damon_stop();
	snprintf(why, sizeof(why), "%s", res.extack);
	TH_LOG("paddr bind with memory on v1: %d (%s)", bound, why);

	cg_make("mt_dv1");
	v = worker("mt_dv1", 4, true);
	b.ops = MEMTALLY_DAMON_OPS_VADDR;
	res.extack[0] = 0;
	vaddr = v > 0 ? bind_vaddr(&nl, v, &b, &target, &res) : -1;
	snprintf(vwhy, sizeof(vwhy), "%s", res.extack);
	unbind(&nl, &res);
	damon_stop();
	stop(v);
	cg_remove("mt_dv1");
	mt_nl_close(&nl);
	back = memcg_to_v2(dir);

	ASSERT_EQ(0, back) TH_LOG("the memory controller did not come back to cgroup v2");
	ASSERT_GT(kd, 0);
	EXPECT_EQ(-EOPNOTSUPP, bound);
	EXPECT_NE(NULL, strstr(why, "cgroup v2")) TH_LOG("extack: %s", why);
	EXPECT_GT(vaddr, 0) TH_LOG("vaddr bind: %s", vwhy);
}

TEST_HARNESS_MAIN
