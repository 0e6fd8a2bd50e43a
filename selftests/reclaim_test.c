// SPDX-License-Identifier: GPL-2.0
/*
 * memtally selftests for reclaim and OOM: run as root in the test guest with
 * memtally.ko loaded; /tests/zram-swap.sh gives the guest swap on zram.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "kselftest_harness.h"
#include "mt_lib.h"

#define MIB	(1024UL * 1024)

/* swap on zram, once per boot */
static int ensure_swap(void)
{
	char line[256];
	bool have = false;
	FILE *f = fopen("/proc/swaps", "r");

	while (f && fgets(line, sizeof(line), f))
		have |= !strncmp(line, "/dev/zram0", 10);
	if (f)
		fclose(f);
	return have ? 0 : system("/tests/zram-swap.sh 256M");
}

/* fork a child in cgroup @cg that writes @mib MiB of anonymous memory */
static pid_t squeeze(const char *cg, unsigned long mib)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (cg_enter(cg))
			_exit(3);
		_exit(anon_touched(mib * MIB) ? 0 : 4);
	}
	return pid;
}

static uint64_t hist_sum(const uint64_t *h, int from)
{
	uint64_t sum = 0;

	for (int i = from; i < MEMTALLY_HIST_BUCKETS; i++)
		sum += h[i];
	return sum;
}

FIXTURE(rc) {
	struct mt_nl nl;
};

FIXTURE_SETUP(rc)
{
	ASSERT_EQ(0, mt_nl_open(&self->nl, MEMTALLY_FAMILY_NAME));
	ASSERT_NE(0, self->nl.family);
	ASSERT_NE(0, self->nl.events_group);
}

FIXTURE_TEARDOWN(rc)
{
	mt_nl_close(&self->nl);
}

static int set_threshold(struct mt_nl *nl, uint64_t us, struct mt_nl_result *res)
{
	return mt_raw_request(nl, MEMTALLY_CMD_CONFIG_SET, 0,
			      MEMTALLY_A_CONFIG_STALL_THRESHOLD_US, &us,
			      sizeof(us), res);
}

/*
 * A cgroup squeezed by memory.max into swap: its memcg reclaim counters
 * rise, an idle cgroup's stay zero, and the module's pgsteal is the
 * cgroup's own memory.stat pgsteal.  Both count the pages that
 * shrink_inactive_list()/evict_folios() reclaimed from the cgroup's LRUs,
 * and here only the cgroup's own task reclaims them (no global pressure:
 * 1 GiB guest, 32 MiB limit, so kswapd stays away).  Tolerance: exact.
 * memcg-reclaimed (nr_reclaimed at the end of each reclaim run) also counts
 * slab pages freed, so it is at least pgsteal.
 */
TEST_F(rc, memcg_reclaim)
{
	uint64_t id, idle, pgsteal;
	struct mt_nl_result res;
	struct mt_row r, i;

	ASSERT_EQ(0, ensure_swap());
	id = cg_make("mt_rcl");
	idle = cg_make("mt_idle");
	ASSERT_NE(0, id);
	ASSERT_NE(0, idle);
	ASSERT_EQ(0, cg_write("mt_rcl", "memory.max", "32M"));
	ASSERT_EQ(0, mt_row_get(&self->nl, id, &r, &res));	/* tracked */
	ASSERT_EQ(0, wait_status(squeeze("mt_rcl", 96)));

	ASSERT_EQ(0, mt_row_get(&self->nl, id, &r, &res));
	ASSERT_EQ(0, mt_row_get(&self->nl, idle, &i, &res));
	pgsteal = cg_stat("mt_rcl", "memory.stat", "pgsteal");
	TH_LOG("memcg stalls %llu (%llu ms), reclaimed %llu; pgscan %llu pgsteal %llu; memory.stat pgsteal %llu",
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_MEMCG_STALLS],
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_MEMCG_STALL_NS] / 1000000,
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_MEMCG_RECLAIMED],
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_PGSCAN],
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_PGSTEAL],
	       (unsigned long long)pgsteal);
	/* 96 MiB through 32 MiB: at least 64 MiB went to swap */
	EXPECT_GE(pgsteal, 64 * MIB / PAGE);
	EXPECT_GT(r.v[MEMTALLY_A_CGROUP_MEMCG_STALLS], 0);
	EXPECT_GT(r.v[MEMTALLY_A_CGROUP_MEMCG_STALL_NS], 0);
	EXPECT_EQ(pgsteal, r.v[MEMTALLY_A_CGROUP_PGSTEAL]);
	/* no pgscan >= pgsteal: MGLRU (6.12) reports a retried batch's scan once */
	EXPECT_GT(r.v[MEMTALLY_A_CGROUP_PGSCAN], 0);
	EXPECT_GE(r.v[MEMTALLY_A_CGROUP_MEMCG_RECLAIMED], pgsteal);
	EXPECT_EQ(r.v[MEMTALLY_A_CGROUP_MEMCG_STALLS],
		  hist_sum(r.hist[MEMTALLY_RECLAIM_KIND_MEMCG], 0));
	EXPECT_EQ(r.v[MEMTALLY_A_CGROUP_DIRECT_STALLS],
		  hist_sum(r.hist[MEMTALLY_RECLAIM_KIND_DIRECT], 0));
	/* its first stall took the histograms from a spare (store.c) */
	EXPECT_EQ(0, r.v[MEMTALLY_A_CGROUP_STALL_HIST_MISSED]);
	/* the idle cgroup did no reclaim */
	EXPECT_EQ(0, i.v[MEMTALLY_A_CGROUP_MEMCG_STALLS]);
	EXPECT_EQ(0, i.v[MEMTALLY_A_CGROUP_PGSCAN]);
	EXPECT_EQ(0, i.v[MEMTALLY_A_CGROUP_PGSTEAL]);
	EXPECT_EQ(0, hist_sum(i.hist[MEMTALLY_RECLAIM_KIND_MEMCG], 0));
	EXPECT_EQ(0, cg_remove("mt_rcl"));
	EXPECT_EQ(0, cg_remove("mt_idle"));
}

static uint64_t status_u64(struct mt_nl *nl, int attr)
{
	struct mt_nl_result res;
	struct mt_nl_req req;
	struct mt_row row;

	memset(&row, 0, sizeof(row));
	mt_nl_req_init(&req, nl->family, MEMTALLY_CMD_STATUS_GET, 0);
	/* status attributes are plain u32/u64 too: reuse the row parser */
	if (mt_nl_talk(nl, &req, (mt_nl_cb)mt_row_parse, &row, &res) || res.error)
		return ~0ULL;
	return row.v[attr];
}

struct flag_req {
	int attr;
	bool set;
};

static void flag_cb(const struct nlmsghdr *nlh, void *ctx)
{
	struct flag_req *f = ctx;

	f->set = mt_nl_attr(nlh, f->attr) != NULL;
}

/* Is the flag attribute @attr in the status? */
static bool status_flag(struct mt_nl *nl, int attr)
{
	struct flag_req f = { .attr = attr };
	struct mt_nl_result res;
	struct mt_nl_req req;

	mt_nl_req_init(&req, nl->family, MEMTALLY_CMD_STATUS_GET, 0);
	if (mt_nl_talk(nl, &req, flag_cb, &f, &res) || res.error)
		return false;
	return f.set;
}

/* Do the memcg reclaim tracepoints name the cgroup reclaimed (7.x)? */
static bool reclaim_names_memcg(void)
{
	char line[256];
	bool found = false;
	FILE *f = fopen("/sys/kernel/tracing/events/vmscan/mm_vmscan_memcg_reclaim_begin/format", "r");

	while (f && fgets(line, sizeof(line), f))
		found |= strstr(line, " memcg_id;") != NULL;
	if (f)
		fclose(f);
	return found;
}

/*
 * An agent in cgroup A reclaims cgroup B through B's memory.reclaim.  The
 * reclaim runs in the agent's context but is no stall of A's: on kernels
 * whose tracepoints name the cgroup reclaimed (7.x), A shows no memcg
 * stall; older ones cannot tell and count it as A's, as the admin guide
 * says.  B's own memory.stat pgsteal proves the reclaim happened.
 */
TEST_F(rc, reclaim_for_another_cgroup)
{
	uint64_t a, b, before, after;
	struct mt_nl_result res;
	int ready[2], go[2];
	struct mt_row r;
	pid_t holder, agent;
	char c = 0;

	ASSERT_EQ(0, ensure_swap());
	a = cg_make("mt_agent");
	b = cg_make("mt_target");
	ASSERT_NE(0, a);
	ASSERT_NE(0, b);
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	holder = fork();
	if (holder == 0) {
		size_t len = 48 * MIB;
		char *p;

		if (cg_enter("mt_target"))
			_exit(3);
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			_exit(4);
		memset(p, 1, len);
		if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(5);
		_exit(0);
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	before = cg_stat("mt_target", "memory.stat", "pgsteal");
	agent = fork();
	if (agent == 0) {
		if (cg_enter("mt_agent"))
			_exit(3);
		/* EAGAIN when less than asked could be reclaimed: still ran */
		cg_write("mt_target", "memory.reclaim", "32M");
		_exit(0);
	}
	ASSERT_EQ(0, wait_status(agent));
	after = cg_stat("mt_target", "memory.stat", "pgsteal");
	ASSERT_EQ(1, write(go[1], &c, 1));
	ASSERT_EQ(0, wait_status(holder));

	ASSERT_EQ(0, mt_row_get(&self->nl, a, &r, &res));
	TH_LOG("target pgsteal +%llu; agent's memcg stalls %llu, agent reclaim runs %llu (%llu pages), pgsteal %llu (tracepoints name the memcg: %s)",
	       (unsigned long long)(after - before),
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_MEMCG_STALLS],
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_AGENT_STALLS],
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_AGENT_RECLAIMED],
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_PGSTEAL],
	       reclaim_names_memcg() ? "yes" : "no");
	EXPECT_GE(after - before, 8 * MIB / PAGE);
	/* the status says which the module can tell */
	EXPECT_EQ(reclaim_names_memcg(),
		  status_flag(&self->nl, MEMTALLY_A_STATUS_RECLAIM_NAMES_MEMCG));
	if (reclaim_names_memcg()) {
		EXPECT_EQ(0, r.v[MEMTALLY_A_CGROUP_MEMCG_STALLS]);
		EXPECT_GT(r.v[MEMTALLY_A_CGROUP_AGENT_STALLS], 0);
		EXPECT_GT(r.v[MEMTALLY_A_CGROUP_AGENT_STALL_NS], 0);
		EXPECT_GE(r.v[MEMTALLY_A_CGROUP_AGENT_RECLAIMED], after - before);
		EXPECT_EQ(r.v[MEMTALLY_A_CGROUP_AGENT_STALLS],
			  hist_sum(r.hist[MEMTALLY_RECLAIM_KIND_AGENT], 0));
	} else {
		EXPECT_GT(r.v[MEMTALLY_A_CGROUP_MEMCG_STALLS], 0);
		EXPECT_EQ(0, r.v[MEMTALLY_A_CGROUP_AGENT_STALLS]);
	}
	EXPECT_EQ(0, cg_remove("mt_agent"));
	EXPECT_EQ(0, cg_remove("mt_target"));
}

struct stalls {
	int n, bad_cgroup, below;
	uint64_t cgroup, min_ns;
};

static void stall_cb(const struct nlmsghdr *nlh, void *ctx)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	struct stalls *s = ctx;
	struct mt_row row;

	if (g->cmd != MEMTALLY_CMD_RECLAIM_STALL_NTF)
		return;
	/* event attributes are u64/u32 too: reuse the row parser */
	mt_row_parse(nlh, &row);
	s->n++;
	if (row.v[MEMTALLY_A_EVENT_CGROUP_ID] != s->cgroup)
		s->bad_cgroup++;
	if (row.v[MEMTALLY_A_EVENT_STALL_NS] < s->min_ns)
		s->below++;
}

/*
 * With the threshold at T = 2^k us, exactly the stalls of histogram buckets
 * k and up are events (bucket bounds are powers of two in us), less any
 * the per-CPU queues dropped.  With the largest threshold: none.
 */
TEST_F(rc, stall_events)
{
	const int k = 10;			/* T = 1024 us */
	struct mt_row before, after;
	struct stalls s = { 0 };
	struct mt_nl_result res;
	struct mt_nl sub;
	uint64_t id, expected;
	int n;

	ASSERT_EQ(0, ensure_swap());
	id = cg_make("mt_stall");
	ASSERT_NE(0, id);
	ASSERT_EQ(0, cg_write("mt_stall", "memory.max", "16M"));
	ASSERT_EQ(0, mt_nl_open(&sub, MEMTALLY_FAMILY_NAME));
	ASSERT_EQ(0, mt_nl_join(&sub, self->nl.events_group));

	ASSERT_EQ(0, set_threshold(&self->nl, 1ULL << k, &res)) TH_LOG("%s", res.extack);
	ASSERT_EQ(0, mt_row_get(&self->nl, id, &before, &res));
	ASSERT_EQ(0, wait_status(squeeze("mt_stall", 64)));
	ASSERT_EQ(0, mt_row_get(&self->nl, id, &after, &res));
	s.cgroup = id;
	s.min_ns = (1ULL << k) * 1000;
	while ((n = mt_nl_recv_event(&sub, 1000, stall_cb, &s)) > 0)
		;
	EXPECT_EQ(0, n) TH_LOG("events lost: %s", strerror(-n));
	expected = hist_sum(after.hist[MEMTALLY_RECLAIM_KIND_MEMCG], k) -
		   hist_sum(before.hist[MEMTALLY_RECLAIM_KIND_MEMCG], k) +
		   hist_sum(after.hist[MEMTALLY_RECLAIM_KIND_DIRECT], k) -
		   hist_sum(before.hist[MEMTALLY_RECLAIM_KIND_DIRECT], k);
	TH_LOG("stalls >= %d us: %llu in the histograms, %d events", 1 << k,
	       (unsigned long long)expected, s.n);
	EXPECT_GT(expected, 0);
	EXPECT_EQ((int)expected, s.n);
	EXPECT_EQ(0, s.bad_cgroup);
	EXPECT_EQ(0, s.below);

	/* the largest threshold: no event */
	ASSERT_EQ(0, set_threshold(&self->nl, MEMTALLY_STALL_THRESHOLD_MAX_US, &res));
	memset(&s, 0, sizeof(s));
	s.cgroup = id;
	ASSERT_EQ(0, wait_status(squeeze("mt_stall", 64)));
	while ((n = mt_nl_recv_event(&sub, 1000, stall_cb, &s)) > 0)
		;
	EXPECT_EQ(0, n);
	EXPECT_EQ(0, s.n);
	ASSERT_EQ(0, set_threshold(&self->nl, 0, &res));
	mt_nl_close(&sub);
	EXPECT_EQ(0, cg_remove("mt_stall"));
}

TEST_F(rc, threshold_bad_input)
{
	uint64_t too_big = MEMTALLY_STALL_THRESHOLD_MAX_US + 1;
	struct mt_nl_result res;

	/* the spec's range, in the policy generated from it */
	EXPECT_EQ(-ERANGE, set_threshold(&self->nl, too_big, &res));
	EXPECT_STREQ("integer out of range", res.extack);
	EXPECT_TRUE(res.range);
	EXPECT_EQ(0, res.min);
	EXPECT_EQ(MEMTALLY_STALL_THRESHOLD_MAX_US, res.max);
	EXPECT_EQ(0, set_threshold(&self->nl, too_big - 1, &res));
	EXPECT_EQ(0, set_threshold(&self->nl, 0, &res));
	EXPECT_EQ(-EINVAL, mt_raw_request(&self->nl, MEMTALLY_CMD_CONFIG_SET, 0, 0, NULL, 0, &res));
	EXPECT_STREQ("nothing to set", res.extack);
	ASSERT_EQ(0, setgroups(0, NULL));
	ASSERT_EQ(0, setgid(65534));
	ASSERT_EQ(0, setuid(65534));
	EXPECT_EQ(-EPERM, set_threshold(&self->nl, 1000, &res));
	EXPECT_STREQ("changing memtally settings needs CAP_SYS_ADMIN", res.extack);
	/* nor may it listen to other users' OOM kills and stalls */
	EXPECT_EQ(-EPERM, mt_nl_join(&self->nl, self->nl.events_group));
}

struct ooms {
	int n;
	uint32_t pid;
	uint64_t cgroup, anon;
	char comm[32];
};

static void oom_cb(const struct nlmsghdr *nlh, void *ctx)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	const struct nlattr *a;
	struct ooms *o = ctx;

	if (g->cmd != MEMTALLY_CMD_OOM_KILL_NTF)
		return;
	o->n++;
	a = mt_nl_attr(nlh, MEMTALLY_A_EVENT_PID);
	o->pid = a ? (uint32_t)mt_nl_u64(a) : 0;
	a = mt_nl_attr(nlh, MEMTALLY_A_EVENT_CGROUP_ID);
	o->cgroup = a ? mt_nl_u64(a) : 0;
	a = mt_nl_attr(nlh, MEMTALLY_A_EVENT_ANON_RSS);
	o->anon = a ? mt_nl_u64(a) : 0;
	a = mt_nl_attr(nlh, MEMTALLY_A_EVENT_COMM);
	if (a)
		strncpy(o->comm, (const char *)a + NLA_HDRLEN, sizeof(o->comm) - 1);
}

/* A cgroup without swap driven to OOM: one event, the right victim. */
TEST_F(rc, oom_kill)
{
	struct mt_nl_result res;
	struct ooms o = { 0 };
	struct mt_row r;
	struct mt_nl sub;
	uint64_t id;
	int status;
	pid_t pid;

	id = cg_make("mt_oom");
	ASSERT_NE(0, id);
	ASSERT_EQ(0, cg_write("mt_oom", "memory.max", "16M"));
	ASSERT_EQ(0, cg_write("mt_oom", "memory.swap.max", "0"));
	ASSERT_EQ(0, mt_row_get(&self->nl, id, &r, &res));
	ASSERT_EQ(0, r.v[MEMTALLY_A_CGROUP_OOM_KILLS]);
	ASSERT_EQ(0, mt_nl_open(&sub, MEMTALLY_FAMILY_NAME));
	ASSERT_EQ(0, mt_nl_join(&sub, self->nl.events_group));

	pid = squeeze("mt_oom", 64);
	status = wait_status(pid);
	ASSERT_TRUE(WIFSIGNALED(status));
	ASSERT_EQ(SIGKILL, WTERMSIG(status));
	while (mt_nl_recv_event(&sub, 1000, oom_cb, &o) > 0)
		;
	TH_LOG("oom event: pid %u (child %d) comm %s cgroup %llu anon-rss %llu kB",
	       o.pid, pid, o.comm, (unsigned long long)o.cgroup,
	       (unsigned long long)o.anon / 1024);
	EXPECT_EQ(1, o.n);
	EXPECT_EQ((uint32_t)pid, o.pid);
	EXPECT_EQ(id, o.cgroup);
	EXPECT_STREQ("reclaim_test", o.comm);
	EXPECT_GT(o.anon, 8 * MIB);		/* it held most of its 16 MiB */
	EXPECT_LE(o.anon, 17 * MIB);		/* 16 MiB charged, plus stack */
	ASSERT_EQ(0, mt_row_get(&self->nl, id, &r, &res));
	EXPECT_EQ(1, r.v[MEMTALLY_A_CGROUP_OOM_KILLS]);
	EXPECT_EQ(1, cg_stat("mt_oom", "memory.events", "oom_kill"));
	mt_nl_close(&sub);
	EXPECT_EQ(0, cg_remove("mt_oom"));
}

struct listed {
	uint64_t id;
	bool seen;
	uint64_t removed_ns;
};

static void listed_cb(const struct nlmsghdr *nlh, void *ctx)
{
	struct listed *l = ctx;
	struct mt_row r;

	mt_row_parse(nlh, &r);
	if (r.id != l->id)
		return;
	l->seen = true;
	l->removed_ns = r.v[MEMTALLY_A_CGROUP_REMOVED_NS];
}

/* Is cgroup @id in a cgroup-get dump (with include-removed or not)? */
static bool dump_lists(struct mt_nl *nl, uint64_t id, bool removed,
		       uint64_t *removed_ns)
{
	struct listed l = { .id = id };
	struct mt_nl_result res;
	struct mt_nl_req req;

	mt_nl_req_init(&req, nl->family, MEMTALLY_CMD_CGROUP_GET, NLM_F_DUMP);
	if (removed)
		mt_nl_put(&req, MEMTALLY_A_CGROUP_INCLUDE_REMOVED, NULL, 0);
	if (mt_nl_talk(nl, &req, listed_cb, &l, &res) || res.error)
		return false;
	*removed_ns = l.removed_ns;
	return l.seen;
}

/*
 * A job OOM-killed in a child cgroup that is removed at once, as systemd
 * removes a failed scope: its counts must not vanish.  The parent's
 * removed-descendants hold the child's final counts (so the parent's
 * hierarchical oom_kills is 1 and stays 1), and the child stays readable as
 * a tombstone (do by id; dumps with include-removed) with removed-ns and
 * the same final counts.
 */
TEST_F(rc, oom_child_removed)
{
	struct mt_nl_result res;
	struct mt_nl_req req;
	struct mt_row p, c;
	uint64_t pid_, cid, rns = 0;
	int status, i;
	pid_t pid;

	pid_ = cg_make("mt_hier");
	ASSERT_NE(0, pid_);
	ASSERT_EQ(0, cg_write("mt_hier", "cgroup.subtree_control", "+memory"));
	cid = cg_make("mt_hier/job");
	ASSERT_NE(0, cid);
	ASSERT_EQ(0, cg_write("mt_hier/job", "memory.max", "16M"));
	ASSERT_EQ(0, cg_write("mt_hier/job", "memory.swap.max", "0"));
	ASSERT_EQ(0, mt_row_get(&self->nl, pid_, &p, &res));
	EXPECT_FALSE(p.has_gone);
	ASSERT_EQ(0, mt_row_get(&self->nl, cid, &c, &res));
	EXPECT_EQ(pid_, c.v[MEMTALLY_A_CGROUP_PARENT_ID]);

	pid = squeeze("mt_hier/job", 64);
	status = wait_status(pid);
	ASSERT_TRUE(WIFSIGNALED(status));
	ASSERT_EQ(SIGKILL, WTERMSIG(status));
	for (i = 0; i < 100 && cg_remove("mt_hier/job"); i++)
		usleep(10000);
	ASSERT_LT(i, 100) TH_LOG("rmdir: %s", strerror(errno));
	/* the store learns of the rmdir from its sync work: moments */
	for (i = 0; i < 50; i++) {
		ASSERT_EQ(0, mt_row_get(&self->nl, pid_, &p, &res));
		if (p.has_gone)
			break;
		usleep(100000);
	}
	ASSERT_EQ(0, mt_row_get(&self->nl, cid, &c, &res)) TH_LOG("%s", res.extack);
	TH_LOG("parent: oom_kills %llu, removed descendants' %llu (faults %llu); tombstone: oom_kills %llu, faults %llu, removed-ns %llu",
	       (unsigned long long)p.v[MEMTALLY_A_CGROUP_OOM_KILLS],
	       (unsigned long long)p.gone[MEMTALLY_A_CGROUP_OOM_KILLS],
	       (unsigned long long)p.gone[MEMTALLY_A_CGROUP_FAULTS_USER],
	       (unsigned long long)c.v[MEMTALLY_A_CGROUP_OOM_KILLS],
	       (unsigned long long)c.v[MEMTALLY_A_CGROUP_FAULTS_USER],
	       (unsigned long long)c.v[MEMTALLY_A_CGROUP_REMOVED_NS]);
	ASSERT_TRUE(p.has_gone);
	EXPECT_EQ(0, p.v[MEMTALLY_A_CGROUP_OOM_KILLS]);
	EXPECT_EQ(1, p.gone[MEMTALLY_A_CGROUP_OOM_KILLS]);
	/* it touched its 16 MiB before the kill: 4096 faults at least */
	EXPECT_GE(p.gone[MEMTALLY_A_CGROUP_FAULTS_USER], 4000);
	EXPECT_GT(p.gone[MEMTALLY_A_CGROUP_MEMCG_STALLS], 0);
	/* the tombstone: the same final counts */
	EXPECT_GT(c.v[MEMTALLY_A_CGROUP_REMOVED_NS], 0);
	EXPECT_EQ(pid_, c.v[MEMTALLY_A_CGROUP_PARENT_ID]);
	EXPECT_EQ(1, c.v[MEMTALLY_A_CGROUP_OOM_KILLS]);
	EXPECT_EQ(p.gone[MEMTALLY_A_CGROUP_FAULTS_USER],
		  c.v[MEMTALLY_A_CGROUP_FAULTS_USER]);
	EXPECT_EQ(p.gone[MEMTALLY_A_CGROUP_MEMCG_STALLS],
		  c.v[MEMTALLY_A_CGROUP_MEMCG_STALLS]);
	EXPECT_FALSE(dump_lists(&self->nl, cid, false, &rns));
	EXPECT_TRUE(dump_lists(&self->nl, cid, true, &rns));
	EXPECT_EQ(c.v[MEMTALLY_A_CGROUP_REMOVED_NS], rns);
	EXPECT_TRUE(dump_lists(&self->nl, pid_, true, &rns));
	EXPECT_EQ(0, rns);

	/* a do request finds the removed cgroup with include-removed too */
	mt_nl_req_init(&req, self->nl.family, MEMTALLY_CMD_CGROUP_GET, 0);
	mt_nl_put(&req, MEMTALLY_A_CGROUP_ID, &cid, 8);
	mt_nl_put(&req, MEMTALLY_A_CGROUP_INCLUDE_REMOVED, NULL, 0);
	ASSERT_EQ(0, mt_nl_talk(&self->nl, &req, NULL, NULL, &res));
	EXPECT_EQ(0, res.error) TH_LOG("%s", res.extack);
	EXPECT_EQ(1, res.nmsgs);
	EXPECT_EQ(0, cg_remove("mt_hier"));
}

struct nodes {
	int n, node0;
};

static void node_cb(const struct nlmsghdr *nlh, void *ctx)
{
	const struct nlattr *a = mt_nl_attr(nlh, MEMTALLY_A_CGROUP_NODE);
	struct nodes *s = ctx;

	s->n++;
	/* a counter of 0 is not sent: a node row has no cgroup counter */
	if (a && mt_nl_u64(a) == 0 &&
	    !mt_nl_attr(nlh, MEMTALLY_A_CGROUP_FAULTS_USER))
		s->node0++;
}

TEST_F(rc, node_rows)
{
	struct mt_nl_result res;
	struct mt_nl_req req;
	struct nodes s = { 0 };

	mt_nl_req_init(&req, self->nl.family, MEMTALLY_CMD_NODE_GET, NLM_F_DUMP);
	ASSERT_EQ(0, mt_nl_talk(&self->nl, &req, node_cb, &s, &res));
	ASSERT_EQ(0, res.error) TH_LOG("%s", res.extack);
	EXPECT_EQ(1, s.n);		/* the guest has one node */
	EXPECT_EQ(1, s.node0);
}


/*
 * Reload the module while a task keeps stalling in memcg reclaim: ends
 * whose begin the new module never saw are counted as unpaired, not as
 * stalls, and no stall is longer than the whole run.  (Whether a reload
 * lands inside a reclaim run is up to timing: under TCG the task spends
 * only a few percent of its time there, so unpaired ends are reported,
 * not required.)
 */
#define TRACE		"/sys/kernel/tracing/instances/mt_pair"
#define RECLAIMERS	512

/* Lines of @path that contain @what */
static long count_lines(const char *path, const char *what)
{
	char line[512];
	long n = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, what) != NULL;
	fclose(f);
	return n;
}

/* Sum of "overrun:" over the instance's per-CPU stats */
static long trace_overrun(void)
{
	char path[128], line[128];
	long sum = 0, v;
	int cpu;

	for (cpu = 0; cpu < 64; cpu++) {
		FILE *f;

		snprintf(path, sizeof(path), TRACE "/per_cpu/cpu%d/stats", cpu);
		f = fopen(path, "r");
		if (!f)
			break;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "overrun: %ld", &v) == 1)
				sum += v;
		fclose(f);
	}
	return sum;
}

/*
 * The home slot of the pairing key of (pid, memcg reclaim) in the module's
 * table (pair.c): hash_32() of the key into 4096 slots
 */
static unsigned int pair_home(pid_t pid)
{
	uint32_t key = ((uint32_t)pid << 3 | MEMTALLY_RECLAIM_KIND_MEMCG) + 1;

	return (key * 0x61C88647u) >> (32 - 12);
}

/*
 * A child with pid @want if it is free (ns_last_pid; 0: any), else any: it joins
 * @cg, writes @len bytes of anonymous memory, says so on @ready, waits for
 * a byte on @go and writes them three more times: with every child
 * holding its memory, each pass goes through the cgroup's reclaim.
 */
static pid_t reclaimer(const char *cg, pid_t want, int ready, int go,
		       size_t len)
{
	char buf[16];
	pid_t pid;

	snprintf(buf, sizeof(buf), "%d", want - 1);
	if (want)
		file_write("/proc/sys/kernel/ns_last_pid", buf);
	pid = fork();
	if (pid == 0) {
		char *p, c = 0;
		size_t i;
		int r;

		if (cg_enter(cg))
			_exit(3);
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			_exit(4);
		madvise(p, len, MADV_NOHUGEPAGE);
		for (r = 0; r < 4; r++) {
			for (i = 0; i < len; i += PAGE)
				p[i] = r + 1;
			if (!r && (write(ready, &c, 1) != 1 ||
				   read(go, &c, 1) != 1))
				_exit(5);
		}
		_exit(0);
	}
	return pid;
}

/*
 * 512 tasks of one cgroup (four times its memory.max) reclaim at once,
 * with pids whose pairing keys crowd one corner of a hash table (a
 * long-running host's pids can do that by chance): every memcg reclaim
 * run that tracefs saw end is one memcg stall of the cgroup, none
 * unpaired.  (The first table, a key in the 8 slots from its home, lost
 * 58 of 393 here.)  A kernel without ns_last_pid (CONFIG_CHECKPOINT_RESTORE,
 * the debug kernel) gives the pids it gives: the counts must still match.
 */
TEST_F(rc, many_reclaimers)
{
	long pid_max = file_long("/proc/sys/kernel/pid_max"), ends, overrun;
	uint64_t id, unpaired0, unpaired1, stalls;
	int go[2], ready[2], i, n = 0, failed = 0, status;
	static pid_t kids[RECLAIMERS];
	struct mt_nl_result res;
	unsigned int home = 0;
	struct mt_row r;
	char buf[32];
	bool crowd;
	pid_t p;

	ASSERT_EQ(0, ensure_swap());
	crowd = !access("/proc/sys/kernel/ns_last_pid", W_OK);
	id = cg_make("mt_many");
	ASSERT_NE(0, id);
	ASSERT_EQ(0, cg_write("mt_many", "memory.max", "32M"));
	ASSERT_EQ(0, mt_row_get(&self->nl, id, &r, &res));	/* tracked */
	ASSERT_EQ(0, file_write("/proc/sys/kernel/pid_max", "4194304"));
	/* tracefs counts the memcg reclaim ends of the window */
	mkdir(TRACE, 0755);
	ASSERT_EQ(0, file_write(TRACE "/buffer_size_kb", "8192"));
	ASSERT_EQ(0, file_write(TRACE "/events/vmscan/mm_vmscan_memcg_reclaim_end/enable", "1"));
	ASSERT_EQ(0, file_write(TRACE "/trace", ""));
	unpaired0 = status_u64(&self->nl, MEMTALLY_A_STATUS_RECLAIM_UNPAIRED);

	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ready));
	for (p = 300000; n < RECLAIMERS && p < 4194304; p++) {
		if (!n)
			home = pair_home(p);
		else if (crowd && pair_home(p) - home >= 8)
			continue;
		kids[n] = reclaimer("mt_many", crowd ? p : 0, ready[1], go[0],
				    256 * 1024);
		ASSERT_GT(kids[n], 0);
		n++;
	}
	ASSERT_EQ(RECLAIMERS, n);
	for (i = 0; i < n; i++)
		ASSERT_EQ(1, read(ready[0], buf, 1));
	for (i = 0; i < n; i++)
		ASSERT_EQ(1, write(go[1], "g", 1));
	for (i = 0; i < n; i++) {
		ASSERT_EQ(kids[i], waitpid(kids[i], &status, 0));
		failed += !WIFEXITED(status) || WEXITSTATUS(status);
	}
	ASSERT_EQ(0, file_write(TRACE "/tracing_on", "0"));

	ends = count_lines(TRACE "/trace", "mm_vmscan_memcg_reclaim_end:");
	overrun = trace_overrun();
	ASSERT_EQ(0, mt_row_get(&self->nl, id, &r, &res));
	stalls = r.v[MEMTALLY_A_CGROUP_MEMCG_STALLS];
	unpaired1 = status_u64(&self->nl, MEMTALLY_A_STATUS_RECLAIM_UNPAIRED);
	TH_LOG("%d reclaimers (%d failed, pids %s): tracefs saw %ld memcg reclaim ends (overrun %ld); memtally %llu memcg stalls, %llu unpaired",
	       n, failed, crowd ? "crowded" : "as the kernel gave them (no ns_last_pid)",
	       ends, overrun, (unsigned long long)stalls,
	       (unsigned long long)(unpaired1 - unpaired0));
	file_write(TRACE "/events/vmscan/mm_vmscan_memcg_reclaim_end/enable", "0");
	rmdir(TRACE);
	snprintf(buf, sizeof(buf), "%ld", pid_max);
	file_write("/proc/sys/kernel/pid_max", buf);
	EXPECT_EQ(0, failed);
	EXPECT_EQ(0, overrun);
	EXPECT_GT(ends, 50);
	EXPECT_EQ(ends, stalls);
	EXPECT_EQ(unpaired0, unpaired1);
	EXPECT_EQ(0, cg_remove("mt_many"));
}

TEST(reload_mid_reclaim)
{
	const char *ko = getenv("MT_KO") ? getenv("MT_KO") : "/memtally.ko";
	struct mt_nl_result res;
	struct timespec t0, t1;
	uint64_t unpaired = 0, id;
	struct mt_row r;
	struct mt_nl nl;
	pid_t kid;
	int round, fd;

	ASSERT_EQ(0, ensure_swap());
	id = cg_make("mt_reload");
	ASSERT_NE(0, id);
	ASSERT_EQ(0, cg_write("mt_reload", "memory.max", "8M"));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	kid = fork();
	if (kid == 0) {
		setpgid(0, 0);
		for (;;)
			if (wait_status(squeeze("mt_reload", 32)))
				_exit(1);
	}
	for (round = 0; round < 10; round++) {
		usleep(100000);
		while (syscall(SYS_delete_module, "memtally", O_NONBLOCK) &&
		       (errno == EAGAIN || errno == EBUSY || errno == EWOULDBLOCK))
			usleep(1000);
		fd = open(ko, O_RDONLY | O_CLOEXEC);
		ASSERT_GE(fd, 0);
		ASSERT_EQ(0, syscall(SYS_finit_module, fd, "", 0));
		close(fd);
		ASSERT_EQ(0, mt_nl_open(&nl, MEMTALLY_FAMILY_NAME));
		usleep(100000);
		unpaired += status_u64(&nl, MEMTALLY_A_STATUS_RECLAIM_UNPAIRED);
		mt_nl_close(&nl);
	}
	/*
	 * The last module must see whole stalls. On the KASAN kernel one
	 * squeeze round can take seconds, so poll (up to 60 s) rather than
	 * sample once.
	 */
	ASSERT_EQ(0, mt_nl_open(&nl, MEMTALLY_FAMILY_NAME));
	for (int i = 0; i < 600; i++) {
		ASSERT_EQ(0, mt_row_get(&nl, id, &r, &res));
		if (r.v[MEMTALLY_A_CGROUP_MEMCG_STALLS])
			break;
		usleep(100000);
	}
	kill(-kid, SIGKILL);
	waitpid(kid, NULL, 0);
	usleep(100000);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	TH_LOG("unpaired ends over 10 reloads: %llu; last module: %llu memcg stalls",
	       (unsigned long long)unpaired,
	       (unsigned long long)r.v[MEMTALLY_A_CGROUP_MEMCG_STALLS]);
	EXPECT_GT(r.v[MEMTALLY_A_CGROUP_MEMCG_STALLS], 0);
	/* the last bucket in use is below the run's length */
	for (int b = MEMTALLY_HIST_BUCKETS - 1; b >= 0; b--) {
		if (!r.hist[MEMTALLY_RECLAIM_KIND_MEMCG][b])
			continue;
		EXPECT_LT((1ULL << b) * 1000,
			  (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000ULL);
		break;
	}
	mt_nl_close(&nl);
	/* the killed squeezers may take a while to leave (KASAN kernel) */
	for (int i = 0; i < 100 && cg_remove("mt_reload") && errno == EBUSY; i++)
		usleep(100000);
	EXPECT_EQ(-1, access(CG_ROOT "/mt_reload", F_OK));
}

TEST_HARNESS_MAIN
