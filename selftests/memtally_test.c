// SPDX-License-Identifier: GPL-2.0
/*
 * memtally selftests: run as root in a guest with memtally.ko loaded and
 * cgroup2 mounted at /sys/fs/cgroup.  MT_KO names the module file for the
 * reload test (default /memtally.ko).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <linux/capability.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/memtally.h>

#include "kselftest_harness.h"
#include "mt_lib.h"

#define SLACK		16	/* faults of the measured code itself */

struct cg_counts {
	uint64_t id, faults_user, faults_kernel;
	bool found;
};

/* cgroup-get do; returns the kernel's error (0 on success) */
static int cg_get(struct mt_nl *nl, uint64_t id, struct cg_counts *c,
		  struct mt_nl_result *res)
{
	struct mt_row row;
	int err = mt_row_get(nl, id, &row, res);

	c->found = row.found;
	c->id = row.id;
	c->faults_user = row.v[MEMTALLY_A_CGROUP_FAULTS_USER];
	c->faults_kernel = row.v[MEMTALLY_A_CGROUP_FAULTS_KERNEL];
	return err;
}

struct id_set {
	uint64_t *ids;
	int n, cap;
};

static void ids_cb(const struct nlmsghdr *nlh, void *ctx)
{
	const struct nlattr *a = mt_nl_attr(nlh, MEMTALLY_A_CGROUP_ID);
	struct id_set *s = ctx;

	if (!a)
		return;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->ids = realloc(s->ids, s->cap * sizeof(*s->ids));
	}
	s->ids[s->n++] = mt_nl_u64(a);
}

static int cg_dump(struct mt_nl *nl, struct id_set *s, struct mt_nl_result *res)
{
	struct mt_nl_req req;
	int err;

	memset(s, 0, sizeof(*s));
	mt_nl_req_init(&req, nl->family, MEMTALLY_CMD_CGROUP_GET, NLM_F_DUMP);
	err = mt_nl_talk(nl, &req, ids_cb, s, res);
	return err ? err : res->error;
}

/* A dump of cgroup @ancestor's subtree, with @removed its tombstones */
static int cg_dump_below(struct mt_nl *nl, uint64_t ancestor, bool removed,
			 struct id_set *s, struct mt_nl_result *res)
{
	struct mt_nl_req req;
	int err;

	memset(s, 0, sizeof(*s));
	mt_nl_req_init(&req, nl->family, MEMTALLY_CMD_CGROUP_GET, NLM_F_DUMP);
	mt_nl_put(&req, MEMTALLY_A_CGROUP_ANCESTOR_ID, &ancestor,
		  sizeof(ancestor));
	if (removed)
		mt_nl_put(&req, MEMTALLY_A_CGROUP_INCLUDE_REMOVED, NULL, 0);
	err = mt_nl_talk(nl, &req, ids_cb, s, res);
	return err ? err : res->error;
}

static bool ids_has(const struct id_set *s, uint64_t id)
{
	for (int i = 0; i < s->n; i++)
		if (s->ids[i] == id)
			return true;
	return false;
}

static int count_cgroups(const char *dir)
{
	struct dirent *d;
	int n = 1;
	DIR *dp = opendir(dir);

	if (!dp)
		return 0;
	while ((d = readdir(dp))) {
		char sub[PATH_MAX];

		if (d->d_type != DT_DIR || d->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, d->d_name);
		n += count_cgroups(sub);
	}
	closedir(dp);
	return n;
}

FIXTURE(mt) {
	struct mt_nl nl;
};

FIXTURE_SETUP(mt)
{
	ASSERT_EQ(0, mt_nl_open(&self->nl, MEMTALLY_FAMILY_NAME));
	ASSERT_NE(0, self->nl.family) TH_LOG("memtally family not registered: module not loaded?");
}

FIXTURE_TEARDOWN(mt)
{
	mt_nl_close(&self->nl);
}

struct status {
	char version[32];
	uint32_t nr_cgroups;
	int hooks;
	uint32_t fault_user_state, fault_kernel_state;
};

static void status_cb(const struct nlmsghdr *nlh, void *ctx)
{
	int len = (int)nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	const struct nlattr *a, *h;
	struct status *st = ctx;

	mt_nl_for_each_attr(a, (const void *)((const char *)NLMSG_DATA(nlh) + GENL_HDRLEN), len) {
		if (a->nla_type == MEMTALLY_A_STATUS_VERSION)
			strncpy(st->version, (const char *)a + NLA_HDRLEN, sizeof(st->version) - 1);
		if (a->nla_type == MEMTALLY_A_STATUS_NR_CGROUPS)
			st->nr_cgroups = (uint32_t)mt_nl_u64(a);
		if ((a->nla_type & NLA_TYPE_MASK) == MEMTALLY_A_STATUS_HOOK) {
			int hlen = a->nla_len - NLA_HDRLEN;
			const char *name = "";
			uint32_t state = ~0u;

			st->hooks++;
			mt_nl_for_each_attr(h, (const void *)((const char *)a + NLA_HDRLEN), hlen) {
				if (h->nla_type == MEMTALLY_A_HOOK_NAME)
					name = (const char *)h + NLA_HDRLEN;
				if (h->nla_type == MEMTALLY_A_HOOK_STATE)
					state = (uint32_t)mt_nl_u64(h);
			}
			if (!strcmp(name, "faults-user"))
				st->fault_user_state = state;
			if (!strcmp(name, "faults-kernel"))
				st->fault_kernel_state = state;
		}
	}
}

TEST_F(mt, status)
{
	struct mt_nl_result res;
	struct mt_nl_req req;
	struct status st = { .fault_user_state = ~0u, .fault_kernel_state = ~0u };

	mt_nl_req_init(&req, self->nl.family, MEMTALLY_CMD_STATUS_GET, 0);
	ASSERT_EQ(0, mt_nl_talk(&self->nl, &req, status_cb, &st, &res));
	ASSERT_EQ(0, res.error) TH_LOG("status-get: %s", res.extack);
	EXPECT_STREQ("0.1.0", st.version);
	EXPECT_GE(st.hooks, 4);
	EXPECT_EQ(MEMTALLY_HOOK_STATE_ATTACHED, st.fault_user_state);
	EXPECT_EQ(MEMTALLY_HOOK_STATE_ATTACHED, st.fault_kernel_state);
	/* status may lag mkdir/rmdir by one sync; a dump syncs first */
	struct id_set ids;

	ASSERT_EQ(0, cg_dump(&self->nl, &ids, &res));
	mt_nl_req_init(&req, self->nl.family, MEMTALLY_CMD_STATUS_GET, 0);
	ASSERT_EQ(0, mt_nl_talk(&self->nl, &req, status_cb, &st, &res));
	EXPECT_EQ(count_cgroups(CG_ROOT), (int)st.nr_cgroups);
	EXPECT_EQ(ids.n, (int)st.nr_cgroups);
	free(ids.ids);
}

/*
 * A child in a fresh cgroup writes to N fresh anonymous pages (no THP, so
 * one fault per page): the cgroup's user fault count must rise by N plus at
 * most SLACK.  Then the kernel writes N fresh pages on its behalf (read()
 * from /dev/zero): the kernel fault count must rise the same way.
 */
#define NPAGES 4096

static void toucher(int go, int done, char *warm, char *user, char *kern)
{
	char c;
	int zero = open("/dev/zero", O_RDONLY);

	/* warm up: fault in stack, code and the syscall paths used below */
	memset(warm, 1, PAGE);
	if (read(zero, warm, PAGE) != PAGE || write(done, "w", 1) != 1)
		_exit(1);

	if (read(go, &c, 1) != 1)
		_exit(1);
	for (unsigned long i = 0; i < NPAGES; i++)
		user[i * PAGE] = 1;
	if (write(done, "u", 1) != 1)
		_exit(1);

	if (read(go, &c, 1) != 1)
		_exit(1);
	if (read(zero, kern, NPAGES * PAGE) != (ssize_t)(NPAGES * PAGE))
		_exit(2);
	if (write(done, "k", 1) != 1)
		_exit(1);
	_exit(0);
}

TEST_F(mt, faults_exact)
{
	struct cg_counts c0, c1, c2;
	struct mt_nl_result res;
	int go[2], done[2], status;
	char *warm, *user, *kern, ch;
	uint64_t id;
	pid_t pid;

	id = cg_make("mt_faults");
	ASSERT_NE(0, id);
	warm = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	user = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	kern = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, user);
	ASSERT_NE(MAP_FAILED, kern);
	ASSERT_NE(MAP_FAILED, warm);
	madvise(user, NPAGES * PAGE, MADV_NOHUGEPAGE);
	madvise(kern, NPAGES * PAGE, MADV_NOHUGEPAGE);
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(done));

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (cg_enter("mt_faults"))
			_exit(3);
		toucher(go[0], done[1], warm, user, kern);
	}
	ASSERT_EQ(1, read(done[0], &ch, 1));	/* warmed up, in the cgroup */

	ASSERT_EQ(0, cg_get(&self->nl, id, &c0, &res)) TH_LOG("%s", res.extack);
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(1, read(done[0], &ch, 1));
	ASSERT_EQ(0, cg_get(&self->nl, id, &c1, &res));
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(1, read(done[0], &ch, 1));
	ASSERT_EQ(0, cg_get(&self->nl, id, &c2, &res));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));

	TH_LOG("user faults +%llu, kernel faults +%llu (expected %d each)",
	       (unsigned long long)(c1.faults_user - c0.faults_user),
	       (unsigned long long)(c2.faults_kernel - c1.faults_kernel), NPAGES);
	EXPECT_EQ(id, c0.id);
	EXPECT_GE(c1.faults_user - c0.faults_user, NPAGES);
	EXPECT_LE(c1.faults_user - c0.faults_user, NPAGES + SLACK);
	EXPECT_GE(c2.faults_kernel - c1.faults_kernel, NPAGES);
	EXPECT_LE(c2.faults_kernel - c1.faults_kernel, NPAGES + SLACK);
	/* the kernel-mode phase took no user faults beyond slack */
	EXPECT_LE(c2.faults_user - c1.faults_user, SLACK);
	EXPECT_EQ(0, cg_remove("mt_faults"));
}

TEST_F(mt, cgroup_lifecycle)
{
	struct mt_nl_result res;
	struct cg_counts c;
	struct mt_row r;
	struct id_set ids;
	uint64_t id;

	id = cg_make("mt_life");
	ASSERT_NE(0, id);
	ASSERT_EQ(0, cg_dump(&self->nl, &ids, &res)) TH_LOG("%s", res.extack);
	EXPECT_TRUE(ids_has(&ids, id));
	EXPECT_TRUE(ids_has(&ids, 1));		/* the root cgroup */
	free(ids.ids);
	EXPECT_EQ(0, cg_get(&self->nl, id, &c, &res));
	EXPECT_EQ(id, c.id);

	ASSERT_EQ(0, cg_remove("mt_life"));
	ASSERT_EQ(0, cg_dump(&self->nl, &ids, &res));
	EXPECT_FALSE(ids_has(&ids, id));
	free(ids.ids);
	/* a do by id finds its tombstone, which says that it was removed */
	EXPECT_EQ(0, mt_row_get(&self->nl, id, &r, &res)) TH_LOG("%s", res.extack);
	EXPECT_GT(r.v[MEMTALLY_A_CGROUP_REMOVED_NS], 0);
	EXPECT_EQ(1, r.v[MEMTALLY_A_CGROUP_PARENT_ID]);
}

#define MANY 1000

TEST_F(mt, dump_many)
{
	struct mt_nl_result res;
	struct id_set ids;
	uint64_t want[MANY];
	char name[64];
	int i, found = 0;

	ASSERT_NE(0, cg_make("mt_many"));
	for (i = 0; i < MANY; i++) {
		snprintf(name, sizeof(name), "mt_many/c%d", i);
		want[i] = cg_make(name);
		ASSERT_NE(0, want[i]);
	}
	ASSERT_EQ(0, cg_dump(&self->nl, &ids, &res)) TH_LOG("%s", res.extack);
	TH_LOG("dump: %d cgroups in %d recv() calls", ids.n, self->nl.recvs);
	EXPECT_GT(self->nl.recvs, 1);	/* resumed across skbs */
	for (i = 0; i < MANY; i++)
		found += ids_has(&ids, want[i]);
	EXPECT_EQ(MANY, found);
	for (i = 1; i < ids.n; i++)	/* ascending: no duplicates */
		EXPECT_LT(ids.ids[i - 1], ids.ids[i]);
	free(ids.ids);
	/* the subtree alone, resumed across skbs too */
	ASSERT_EQ(0, cg_dump_below(&self->nl, cg_id(CG_ROOT "/mt_many"), false,
				   &ids, &res)) TH_LOG("%s", res.extack);
	EXPECT_GT(self->nl.recvs, 1);
	EXPECT_EQ(MANY + 1, ids.n);
	for (i = found = 0; i < MANY; i++)
		found += ids_has(&ids, want[i]);
	EXPECT_EQ(MANY, found);
	free(ids.ids);
	for (i = 0; i < MANY; i++) {
		snprintf(name, sizeof(name), "mt_many/c%d", i);
		ASSERT_EQ(0, cg_remove(name));
	}
	ASSERT_EQ(0, cg_remove("mt_many"));
}

/*
 * A dump with an ancestor id: that cgroup and its descendants, however
 * deep, not a sibling whose name it prefixes; its removed ones with
 * include-removed; the root's is the whole dump.  An untracked ancestor
 * and an ancestor in a do request are errors that say so.
 */
TEST_F(mt, dump_subtree)
{
	uint64_t sub, a, x, b, subx, bogus = 0x7fffffffffffULL, one = 1;
	struct mt_nl_result res;
	struct id_set ids, all;

	sub = cg_make("mt_sub");
	a = cg_make("mt_sub/a");
	x = cg_make("mt_sub/a/x");
	b = cg_make("mt_sub/b");
	subx = cg_make("mt_subx");
	ASSERT_TRUE(sub && a && x && b && subx);
	/*
	 * The store learns of a new cgroup at its next sync, which a dump
	 * makes: b is known, and so leaves a tombstone (a cgroup made and
	 * removed between two syncs was never tracked: it counted nothing).
	 */
	ASSERT_EQ(0, cg_dump_below(&self->nl, sub, false, &ids, &res))
		TH_LOG("%s", res.extack);
	EXPECT_TRUE(ids_has(&ids, b));
	free(ids.ids);
	ASSERT_EQ(0, cg_remove("mt_sub/b"));

	ASSERT_EQ(0, cg_dump_below(&self->nl, sub, false, &ids, &res))
		TH_LOG("%s", res.extack);
	EXPECT_EQ(3, ids.n);
	EXPECT_TRUE(ids_has(&ids, sub) && ids_has(&ids, a) && ids_has(&ids, x));
	EXPECT_FALSE(ids_has(&ids, b) || ids_has(&ids, subx));
	free(ids.ids);
	ASSERT_EQ(0, cg_dump_below(&self->nl, sub, true, &ids, &res));
	EXPECT_EQ(4, ids.n);
	EXPECT_TRUE(ids_has(&ids, b));
	free(ids.ids);
	ASSERT_EQ(0, cg_dump_below(&self->nl, a, false, &ids, &res));
	EXPECT_EQ(2, ids.n);
	free(ids.ids);

	ASSERT_EQ(0, cg_dump_below(&self->nl, 1, false, &ids, &res));
	ASSERT_EQ(0, cg_dump(&self->nl, &all, &res));
	EXPECT_EQ(all.n, ids.n);
	free(ids.ids);
	free(all.ids);

	EXPECT_EQ(-ENOENT, cg_dump_below(&self->nl, bogus, false, &ids, &res));
	if (mt_dump_start_has_extack())
		EXPECT_STREQ("no cgroup with this id", res.extack);
	free(ids.ids);
	EXPECT_EQ(-EINVAL, mt_raw_request(&self->nl, MEMTALLY_CMD_CGROUP_GET, 0,
					  MEMTALLY_A_CGROUP_ANCESTOR_ID, &one,
					  sizeof(one), &res));
	EXPECT_STREQ("a do request takes no ancestor id; use a dump",
		     res.extack);

	EXPECT_EQ(0, cg_remove("mt_sub/a/x"));
	EXPECT_EQ(0, cg_remove("mt_sub/a"));
	EXPECT_EQ(0, cg_remove("mt_sub"));
	EXPECT_EQ(0, cg_remove("mt_subx"));
}

/* The rows of a dump since a generation, and the dump-gen it gave */
struct rowset {
	struct mt_row *r;
	int n, cap;
	uint64_t gen;	/* of the first message; 0 if none had one */
	int gens;	/* messages with a dump-gen */
	int msgs;	/* messages */
	bool gen_first;	/* the first message had only dump-gen */
};

static void rowset_cb(const struct nlmsghdr *nlh, void *ctx)
{
	struct rowset *s = ctx;
	struct mt_row *r;

	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->r = realloc(s->r, s->cap * sizeof(*s->r));
	}
	r = &s->r[s->n];
	mt_row_parse(nlh, r);
	if (r->v[MEMTALLY_A_CGROUP_DUMP_GEN] && !s->gens++)
		s->gen = r->v[MEMTALLY_A_CGROUP_DUMP_GEN];
	if (!s->msgs++)
		s->gen_first = r->v[MEMTALLY_A_CGROUP_DUMP_GEN] && !r->id;
	if (r->id)	/* a row; else the message of dump-gen */
		s->n++;
}

static int cg_dump_since(struct mt_nl *nl, uint64_t since, struct rowset *s,
			 struct mt_nl_result *res)
{
	struct mt_nl_req req;
	int err;

	free(s->r);
	memset(s, 0, sizeof(*s));
	mt_nl_req_init(&req, nl->family, MEMTALLY_CMD_CGROUP_GET, NLM_F_DUMP);
	mt_nl_put(&req, MEMTALLY_A_CGROUP_SINCE_GEN, &since, sizeof(since));
	err = mt_nl_talk(nl, &req, rowset_cb, s, res);
	return err ? err : res->error;
}

static const struct mt_row *rowset_find(const struct rowset *s, uint64_t id)
{
	for (int i = 0; i < s->n; i++)
		if (s->r[i].id == id)
			return &s->r[i];
	return NULL;
}

/* A child in cgroup @name writes to @n fresh pages, then exits. */
static int touch_in(const char *name, unsigned long n)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		char *p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED || cg_enter(name))
			_exit(1);
		madvise(p, n * PAGE, MADV_NOHUGEPAGE);
		for (unsigned long i = 0; i < n; i++)
			p[i * PAGE] = 1;
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * A dump since a generation: since 0 lists every cgroup and gives a
 * generation in its first message, alone; since that one, only the
 * cgroups that counted something (not an idle one), and a removed one as a
 * tombstone without include-removed; a dump of nothing gives a generation
 * too.  A generation the module never gave, or in a do request, is an
 * error that says so.
 */
TEST_F(mt, dump_since)
{
	uint64_t a, b, c, g, bogus = UINT64_MAX, one = 1;
	struct rowset s = { 0 };
	struct mt_nl_result res;
	const struct mt_row *r;
	struct mt_row row;
	struct id_set all;

	a = cg_make("mt_since_a");
	b = cg_make("mt_since_b");
	ASSERT_TRUE(a && b);
	ASSERT_EQ(0, cg_dump_since(&self->nl, 0, &s, &res)) TH_LOG("%s", res.extack);
	ASSERT_EQ(1, s.gens);
	EXPECT_TRUE(s.gen_first);
	ASSERT_EQ(0, cg_dump(&self->nl, &all, &res));
	EXPECT_EQ(all.n, s.n);
	free(all.ids);
	EXPECT_TRUE(rowset_find(&s, a) && rowset_find(&s, b));
	g = s.gen;

	/* nothing in them since */
	ASSERT_EQ(0, cg_dump_since(&self->nl, g, &s, &res)) TH_LOG("%s", res.extack);
	TH_LOG("since %llu: %d rows", (unsigned long long)g, s.n);
	EXPECT_FALSE(rowset_find(&s, a) || rowset_find(&s, b));
	ASSERT_EQ(1, s.gens);
	EXPECT_TRUE(s.gen_first);
	EXPECT_GT(s.gen, g);
	g = s.gen;

	ASSERT_EQ(0, touch_in("mt_since_a", NPAGES));
	ASSERT_EQ(0, cg_dump_since(&self->nl, g, &s, &res)) TH_LOG("%s", res.extack);
	TH_LOG("since %llu: %d rows", (unsigned long long)g, s.n);
	r = rowset_find(&s, a);
	ASSERT_TRUE(r);
	EXPECT_GE(r->v[MEMTALLY_A_CGROUP_FAULTS_USER], NPAGES);
	EXPECT_FALSE(rowset_find(&s, b));
	ASSERT_EQ(1, s.gens);
	EXPECT_GT(s.gen, g);
	g = s.gen;

	/* a removed cgroup comes once, as a tombstone */
	ASSERT_EQ(0, cg_remove("mt_since_b"));
	ASSERT_EQ(0, cg_dump_since(&self->nl, g, &s, &res)) TH_LOG("%s", res.extack);
	r = rowset_find(&s, b);
	ASSERT_TRUE(r);
	EXPECT_GT(r->v[MEMTALLY_A_CGROUP_REMOVED_NS], 0);
	g = s.gen;
	ASSERT_EQ(0, cg_dump_since(&self->nl, g, &s, &res));
	EXPECT_FALSE(rowset_find(&s, b));

	/*
	 * one removed before a dump since 0 (which lists live cgroups only)
	 * does not come in the dump since that one
	 */
	c = cg_make("mt_since_c");
	ASSERT_NE(0, c);
	ASSERT_EQ(0, mt_row_get(&self->nl, c, &row, &res)) TH_LOG("%s", res.extack);
	ASSERT_EQ(0, cg_remove("mt_since_c"));
	ASSERT_EQ(0, cg_dump_since(&self->nl, 0, &s, &res)) TH_LOG("%s", res.extack);
	EXPECT_FALSE(rowset_find(&s, c));
	g = s.gen;
	ASSERT_EQ(0, cg_dump_since(&self->nl, g, &s, &res)) TH_LOG("%s", res.extack);
	EXPECT_FALSE(rowset_find(&s, c));

	EXPECT_EQ(-ESTALE, cg_dump_since(&self->nl, bogus, &s, &res));
	if (mt_dump_start_has_extack())
		EXPECT_STREQ("since-gen is too old (or of an earlier load) to tell what changed since; dump with 0",
			     res.extack);
	EXPECT_EQ(-ESTALE, cg_dump_since(&self->nl, one, &s, &res));
	EXPECT_EQ(-EINVAL, mt_raw_request(&self->nl, MEMTALLY_CMD_CGROUP_GET, 0,
					  MEMTALLY_A_CGROUP_SINCE_GEN, &one,
					  sizeof(one), &res));
	EXPECT_STREQ("a do request takes no since-gen; use a dump", res.extack);
	free(s.r);
	EXPECT_EQ(0, cg_remove("mt_since_a"));
}

/*
 * A reader whose generation predates a cgroup's removal must hear of it:
 * once the module forgets that tombstone (more than the 256 it keeps were
 * removed since), a dump since that generation is refused with ESTALE,
 * and a dump since 0 starts over.
 */
TEST_F(mt, dump_since_stale)
{
	struct rowset s = { 0 };
	struct mt_nl_result res;
	struct mt_row r;
	uint64_t g, id;
	char name[64];
	int i;

	ASSERT_NE(0, cg_make("mt_stale"));
	ASSERT_EQ(0, cg_dump_since(&self->nl, 0, &s, &res)) TH_LOG("%s", res.extack);
	g = s.gen;
	ASSERT_EQ(0, cg_remove("mt_stale"));
	for (i = 0; i < 260; i++) {	/* each tracked (a do syncs), removed */
		snprintf(name, sizeof(name), "mt_stale%d", i);
		id = cg_make(name);
		ASSERT_NE(0, id);
		ASSERT_EQ(0, mt_row_get(&self->nl, id, &r, &res)) TH_LOG("%s", res.extack);
		ASSERT_EQ(0, cg_remove(name));
	}
	EXPECT_EQ(-ESTALE, cg_dump_since(&self->nl, g, &s, &res));
	if (mt_dump_start_has_extack())
		EXPECT_STREQ("since-gen is too old (or of an earlier load) to tell what changed since; dump with 0",
			     res.extack);
	EXPECT_EQ(0, cg_dump_since(&self->nl, 0, &s, &res)) TH_LOG("%s", res.extack);
	EXPECT_EQ(1, s.gens);
	free(s.r);
}

/*
 * Numbers kept from dumps since a generation are the module's: two readers
 * that take turns, each merging the rows of its dumps while a cgroup
 * faults on every CPU (each dump clears what changed for the other too),
 * end, once the faults stop, with that cgroup's count exactly.
 */
TEST_F(mt, dump_since_misses_nothing)
{
	uint64_t id, g[2] = { 0 }, kept[2] = { 0 };
	struct rowset s = { 0 };
	struct mt_nl_result res;
	const struct mt_row *r;
	struct cg_counts c;
	pid_t pid[2];
	int i, rounds;

	id = cg_make("mt_since_busy");
	ASSERT_NE(0, id);
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		ASSERT_GE(pid[i], 0);
		if (pid[i] == 0) {
			if (cg_enter("mt_since_busy"))
				_exit(1);
			for (;;)
				if (touch_in("mt_since_busy", 64))
					_exit(1);
		}
	}
	/* the rounds below take well under a second on a fast machine */
	for (i = 0; i < 3000; i++) {
		ASSERT_EQ(0, cg_get(&self->nl, id, &c, &res)) TH_LOG("%s", res.extack);
		if (c.faults_user > 1024)
			break;
		usleep(10000);
	}
	for (rounds = 0; rounds < 200; rounds++) {
		int k = rounds % 2;

		ASSERT_EQ(0, cg_dump_since(&self->nl, g[k], &s, &res)) TH_LOG("%s", res.extack);
		r = rowset_find(&s, id);
		if (r)
			kept[k] = r->v[MEMTALLY_A_CGROUP_FAULTS_USER];
		if (s.gens)
			g[k] = s.gen;
		if (rounds == 150) {	/* the children and theirs */
			ASSERT_EQ(0, cg_write("mt_since_busy", "cgroup.kill", "1"));
			for (i = 0; i < 2; i++)
				waitpid(pid[i], NULL, 0);
		}
	}
	free(s.r);
	ASSERT_EQ(0, cg_get(&self->nl, id, &c, &res));
	TH_LOG("%llu user faults, %llu and %llu kept from the dumps since",
	       (unsigned long long)c.faults_user, (unsigned long long)kept[0],
	       (unsigned long long)kept[1]);
	EXPECT_GT(c.faults_user, 1024);
	EXPECT_EQ(c.faults_user, kept[0]);
	EXPECT_EQ(c.faults_user, kept[1]);
	/* a killed grandchild (touch_in's) may not be reaped yet */
	for (i = 0; i < 500 && cg_remove("mt_since_busy"); i++)
		usleep(10000);
	EXPECT_LT(i, 500) TH_LOG("mt_since_busy: %s", strerror(errno));
}

TEST_F(mt, unknown_id)
{
	struct mt_nl_result res;
	struct cg_counts c;

	EXPECT_EQ(-ENOENT, cg_get(&self->nl, 0x7fffffffffffULL, &c, &res));
	EXPECT_STREQ("no cgroup with this id", res.extack);
}

TEST_F(mt, malformed)
{
	struct mt_nl_result res;
	uint32_t id32 = 1;
	uint64_t zero = 0, one = 1;

	/* missing id */
	EXPECT_EQ(-EINVAL, mt_raw_request(&self->nl, MEMTALLY_CMD_CGROUP_GET, 0, 0, NULL, 0, &res));
	EXPECT_STREQ("missing cgroup id", res.extack);
	/* wrong length for a u64 */
	EXPECT_EQ(-EINVAL, mt_raw_request(&self->nl, MEMTALLY_CMD_CGROUP_GET, 0,
				      MEMTALLY_A_CGROUP_ID, &id32, sizeof(id32), &res));
	EXPECT_NE(0, res.extack[0]);
	TH_LOG("u32 id: %s", res.extack);
	/* out of range: ids start at 1 */
	EXPECT_EQ(-ERANGE, mt_raw_request(&self->nl, MEMTALLY_CMD_CGROUP_GET, 0,
				      MEMTALLY_A_CGROUP_ID, &zero, sizeof(zero), &res));
	EXPECT_NE(0, res.extack[0]);
	TH_LOG("id 0: %s", res.extack);
	/* attribute type the op does not know */
	EXPECT_EQ(-EINVAL, mt_raw_request(&self->nl, MEMTALLY_CMD_CGROUP_GET, 0,
				      MEMTALLY_A_CGROUP_FAULTS_USER, &one, sizeof(one), &res));
	EXPECT_NE(0, res.extack[0]);
	TH_LOG("unknown attr: %s", res.extack);
	/* status takes no attributes */
	EXPECT_EQ(-EINVAL, mt_raw_request(&self->nl, MEMTALLY_CMD_STATUS_GET, 0,
				      MEMTALLY_A_STATUS_VERSION, "x", 2, &res));
	EXPECT_NE(0, res.extack[0]);
	/* a dump takes no id */
	EXPECT_EQ(-EINVAL, mt_raw_request(&self->nl, MEMTALLY_CMD_CGROUP_GET, NLM_F_DUMP,
				      MEMTALLY_A_CGROUP_ID, &one, sizeof(one), &res));
	if (mt_dump_start_has_extack())
		EXPECT_STREQ("a dump takes no cgroup id; use a do request", res.extack);
	/* unknown command */
	EXPECT_EQ(-EOPNOTSUPP, mt_raw_request(&self->nl, MEMTALLY_CMD_MAX + 7, 0, 0, NULL, 0, &res));
}

static int drop_to_nobody(void)
{
	return setgroups(0, NULL) || setgid(65534) || setuid(65534) ? -1 : 0;
}

TEST_F(mt, unprivileged)
{
	struct mt_nl_result res;
	struct id_set ids;
	struct cg_counts c;

	/* the harness runs each test in its own child: dropping is local */
	ASSERT_EQ(0, drop_to_nobody());
	EXPECT_EQ(-EPERM, mt_raw_request(&self->nl, MEMTALLY_CMD_STATUS_GET, 0, 0, NULL, 0, &res));
	EXPECT_STREQ("reading memtally needs CAP_PERFMON or CAP_SYS_ADMIN", res.extack);
	EXPECT_EQ(-EPERM, cg_get(&self->nl, 1, &c, &res));
	EXPECT_EQ(-EPERM, cg_dump(&self->nl, &ids, &res));
	if (mt_dump_start_has_extack())
		EXPECT_STREQ("reading memtally needs CAP_PERFMON or CAP_SYS_ADMIN", res.extack);
}

/* nobody, with capabilities @a and @b (the same for one) and nothing else */
static int drop_to_caps(int a, int b)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { 0 };

	if (prctl(PR_SET_KEEPCAPS, 1) || drop_to_nobody())
		return -1;
	data[CAP_TO_INDEX(a)].permitted |= CAP_TO_MASK(a);
	data[CAP_TO_INDEX(b)].permitted |= CAP_TO_MASK(b);
	data[CAP_TO_INDEX(a)].effective |= CAP_TO_MASK(a);
	data[CAP_TO_INDEX(b)].effective |= CAP_TO_MASK(b);
	return syscall(SYS_capset, &hdr, data);
}

static int drop_to_perfmon(void)
{
	return drop_to_caps(CAP_PERFMON, CAP_PERFMON);
}

/*
 * Events carry victims' pid, uid, comm and RSS: joining the group needs
 * CAP_SYS_ADMIN, which CAP_NET_ADMIN (genetlink's older admin flag) and
 * CAP_PERFMON (enough to read the counters) are not.  A module built for a
 * kernel that cannot check it offers no group (compat.h).
 */
TEST_F(mt, events_need_sys_admin)
{
	struct mt_nl root;

	ASSERT_NE(0, self->nl.events_group);
	ASSERT_EQ(0, mt_nl_open(&root, MEMTALLY_FAMILY_NAME));
	EXPECT_EQ(0, mt_nl_join(&root, root.events_group));
	mt_nl_close(&root);
	ASSERT_EQ(0, drop_to_caps(CAP_NET_ADMIN, CAP_PERFMON));
	EXPECT_EQ(-EPERM, mt_nl_join(&self->nl, self->nl.events_group));
}

TEST_F(mt, perfmon_reads)
{
	struct mt_nl_result res;
	struct id_set ids;
	struct cg_counts c;
	uint64_t us = 1000;

	ASSERT_EQ(0, drop_to_perfmon());
	EXPECT_EQ(0, mt_raw_request(&self->nl, MEMTALLY_CMD_STATUS_GET, 0, 0, NULL, 0, &res));
	EXPECT_EQ(0, cg_get(&self->nl, 1, &c, &res));
	EXPECT_EQ(0, cg_dump(&self->nl, &ids, &res));
	EXPECT_GT(ids.n, 0);
	free(ids.ids);
	/* reading, not changing */
	EXPECT_EQ(-EPERM, mt_raw_request(&self->nl, MEMTALLY_CMD_CONFIG_SET, 0,
					 MEMTALLY_A_CONFIG_STALL_THRESHOLD_US,
					 &us, sizeof(us), &res));
}

static void rates_cb(const struct nlmsghdr *nlh, void *ctx)
{
	const struct nlattr *h = mt_nl_attr(nlh, MEMTALLY_A_DAMON_HOT_RATE);
	const struct nlattr *c = mt_nl_attr(nlh, MEMTALLY_A_DAMON_COLD_RATE);
	uint32_t *v = ctx;

	if (h && c) {
		v[0] = *(const uint32_t *)((const char *)h + NLA_HDRLEN);
		v[1] = *(const uint32_t *)((const char *)c + NLA_HDRLEN);
	}
}

/* The DAMON hot and cold rates as damon-get reports them */
static int rates_get(struct mt_nl *nl, uint32_t *hot, uint32_t *cold)
{
	struct mt_nl_result res;
	struct mt_nl_req req;
	uint32_t v[2] = { 0, UINT32_MAX };

	mt_nl_req_init(&req, nl->family, MEMTALLY_CMD_DAMON_GET, 0);
	if (mt_nl_talk(nl, &req, rates_cb, v, &res) || res.error)
		return -1;
	*hot = v[0];
	*cold = v[1];
	return 0;
}

static int rate_set(struct mt_nl *nl, uint16_t type, uint32_t v)
{
	struct mt_nl_result res;

	return mt_raw_request(nl, MEMTALLY_CMD_CONFIG_SET, 0, type, &v,
			      sizeof(v), &res);
}

/*
 * A child on CPU @cpu for @secs seconds: role 0 sets the hot rate to 100
 * and 2, role 1 the cold rate to 50 and 1 (each valid or not against the
 * other's current value), role 2 reads the pair.  Exits with the number
 * of pairs it saw with cold above hot (at most 100), 255 on an error.
 */
static int rates_child(int role, int cpu, int secs)
{
	time_t end = time(NULL) + secs;
	uint32_t hot, cold;
	int bad = 0, i = 0;
	struct mt_nl nl;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
	if (mt_nl_open(&nl, MEMTALLY_FAMILY_NAME) || !nl.family)
		return 255;
	while (time(NULL) < end) {
		i++;
		if (role == 0)
			rate_set(&nl, MEMTALLY_A_CONFIG_DAMON_HOT_RATE,
				 i & 1 ? 100 : 2);
		else if (role == 1)
			rate_set(&nl, MEMTALLY_A_CONFIG_DAMON_COLD_RATE,
				 i & 1 ? 50 : 1);
		else if (rates_get(&nl, &hot, &cold))
			return 255;
		else if (cold > hot && bad < 100)
			bad++;
	}
	mt_nl_close(&nl);
	return bad;
}

/*
 * config-set checks a new hot or cold rate against the other one and sets
 * the pair: two writers at once, one on each CPU, must never leave (or
 * show a reader) the cold rate above the hot rate.
 */
TEST_F(mt, config_rates_race)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	uint32_t hot = 0, cold = UINT32_MAX;
	int i, status, bad = 0;
	pid_t pid[3];

	for (i = 0; i < 3; i++) {
		pid[i] = fork();
		ASSERT_GE(pid[i], 0);
		if (pid[i] == 0)
			_exit(rates_child(i, i % ncpu, 5));
	}
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(pid[i], waitpid(pid[i], &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		ASSERT_NE(255, WEXITSTATUS(status)) TH_LOG("child %d failed", i);
		bad += WEXITSTATUS(status);
	}
	ASSERT_EQ(0, rates_get(&self->nl, &hot, &cold));
	TH_LOG("after the race: hot %u cold %u; pairs read with cold > hot: %d",
	       hot, cold, bad);
	EXPECT_LE(cold, hot);
	EXPECT_EQ(0, bad);
	/* the defaults back */
	EXPECT_EQ(0, rate_set(&self->nl, MEMTALLY_A_CONFIG_DAMON_COLD_RATE, 1));
	EXPECT_EQ(0, rate_set(&self->nl, MEMTALLY_A_CONFIG_DAMON_HOT_RATE, 10));
}

TEST(netns_invisible)
{
	struct mt_nl nl;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, mt_nl_open(&nl, MEMTALLY_FAMILY_NAME));
	EXPECT_EQ(0, nl.family);
	mt_nl_close(&nl);
}

TEST(debugfs)
{
	char buf[65536], line[128];
	uint64_t id = cg_make("mt_dbg");
	ssize_t n;
	int fd;

	ASSERT_NE(0, id);
	fd = open("/sys/kernel/debug/memtally/status", O_RDONLY);
	ASSERT_GE(fd, 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ASSERT_GT(n, 0);
	buf[n] = 0;
	EXPECT_NE(NULL, strstr(buf, "version:      0.1.0"));
	EXPECT_NE(NULL, strstr(buf, "page_fault_user"));

	/* an mkdir's entry appears once the sync work ran */
	for (int i = 0; i < 100; i++) {
		fd = open("/sys/kernel/debug/memtally/cgroups", O_RDONLY);
		ASSERT_GE(fd, 0);
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		ASSERT_GT(n, 0);
		buf[n] = 0;
		if (strstr(buf, " /mt_dbg\n"))
			break;
		usleep(10000);
	}
	snprintf(line, sizeof(line), "\n%-12llu ", (unsigned long long)id);
	EXPECT_NE(NULL, strstr(buf, line));
	EXPECT_NE(NULL, strstr(buf, " /mt_dbg\n"));
	EXPECT_EQ(0, cg_remove("mt_dbg"));
}

/*
 * Unload and reload the module while a fault storm, cgroup churn and a
 * dump loop run.  A running dump holds a module reference, so
 * delete_module() may answer EAGAIN/EBUSY for a while: retry.
 */
static void storm(void)
{
	char *p = mmap(NULL, 256 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	for (;;) {
		for (int i = 0; i < 256; i++)
			p[i * PAGE] = 1;
		madvise(p, 256 * PAGE, MADV_DONTNEED);
	}
}

static void churn(void)
{
	for (unsigned long i = 0;; i++) {
		cg_make("mt_churn");
		cg_remove("mt_churn");
	}
}

static void dump_loop(void)
{
	struct mt_nl_result res;
	struct id_set ids;
	struct mt_nl nl;

	for (;;) {
		if (mt_nl_open(&nl, MEMTALLY_FAMILY_NAME) == 0 && nl.family) {
			cg_dump(&nl, &ids, &res);
			free(ids.ids);
		}
		mt_nl_close(&nl);
	}
}

TEST(reload_under_load)
{
	const char *ko = getenv("MT_KO") ? getenv("MT_KO") : "/memtally.ko";
	pid_t kids[3];
	int i, round, fd;

	kids[0] = fork();
	if (!kids[0])
		storm();
	kids[1] = fork();
	if (!kids[1])
		churn();
	kids[2] = fork();
	if (!kids[2])
		dump_loop();
	usleep(200000);
	for (round = 0; round < 5; round++) {
		int tries = 0, err;

		while ((err = syscall(SYS_delete_module, "memtally", O_NONBLOCK)) &&
		       (errno == EAGAIN || errno == EBUSY || errno == EWOULDBLOCK) &&
		       tries++ < 2000)
			usleep(1000);
		ASSERT_EQ(0, err) TH_LOG("rmmod round %d: %s", round, strerror(errno));
		usleep(50000);
		fd = open(ko, O_RDONLY | O_CLOEXEC);
		ASSERT_GE(fd, 0);
		ASSERT_EQ(0, syscall(SYS_finit_module, fd, "", 0))
			TH_LOG("insmod round %d: %s", round, strerror(errno));
		close(fd);
		usleep(100000);
	}
	for (i = 0; i < 3; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
	cg_remove("mt_churn");
}

TEST_HARNESS_MAIN
