// SPDX-License-Identifier: GPL-2.0
/*
 * memtally stress selftests: run as root in the test guest with
 * memtally.ko loaded (and the tool in /bin when it checks the tool).
 *
 *   reload_cycles   MT_STRESS_CYCLES (default 1000) unload/load cycles while
 *                   a fault storm, cgroup churn, a dump loop, an event
 *                   subscriber and (where the kernel has DAMON) a paddr
 *                   kdamond bound to the module run
 *   many_cgroups    MT_STRESS_CGROUPS (default 10000) cgroups created and
 *                   removed while dumps run; every dump is consistent
 *
 * Oopses, lockdep and KASAN reports and leaks are caught by the harness
 * around the guest (dmesg, kmemleak), not here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "kselftest_harness.h"
#include "mt_lib.h"

/* 1000 cycles on the KASAN kernel under TCG take half an hour */
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT	3600

#define DAMON	"/sys/kernel/mm/damon/admin/kdamonds"

static long env_long(const char *name, long def)
{
	const char *v = getenv(name);

	return v && *v ? strtol(v, NULL, 10) : def;
}

static const char *module_file(void)
{
	return getenv("MT_KO") ? getenv("MT_KO") : "/memtally.ko";
}

static int unload(void)
{
	int tries = 0, err;

	/* a running dump holds a module reference: retry */
	while ((err = syscall(SYS_delete_module, "memtally", O_NONBLOCK)) &&
	       (errno == EAGAIN || errno == EBUSY || errno == EWOULDBLOCK) &&
	       tries++ < 5000)
		usleep(1000);
	return err;
}

static int load(void)
{
	int fd = open(module_file(), O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return -1;
	err = syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	return err;
}

/* What the workers did, in memory shared with the test. */
struct tally {
	atomic_long faults_rounds, churns, dumps, dump_errors, events_joins;
	atomic_long event_errors;
	char dump_error[128];
};

static void storm(struct tally *t)
{
	char *p = mmap(NULL, 256 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	for (;;) {
		for (int i = 0; i < 256; i++)
			p[i * PAGE] = 1;
		madvise(p, 256 * PAGE, MADV_DONTNEED);
		t->faults_rounds++;
	}
}

static void churn(struct tally *t)
{
	for (;;) {
		cg_make("mt_stress_churn");
		cg_remove("mt_stress_churn");
		t->churns++;
	}
}

static void count_cb(const struct nlmsghdr *nlh, void *ctx)
{
	(*(int *)ctx)++;
}

/*
 * Dumps of every kind while the module comes and goes: each either works
 * or finds no family; any other error is counted and the first kept.
 */
static void dump_loop(struct tally *t)
{
	static const uint8_t cmds[] = {
		MEMTALLY_CMD_CGROUP_GET, MEMTALLY_CMD_NODE_GET,
		MEMTALLY_CMD_DAMON_WSS_GET, MEMTALLY_CMD_DAMON_REGIONS_GET,
	};
	struct mt_nl_result res;
	struct mt_nl_req req;
	struct mt_nl nl;
	unsigned int i;
	int n;

	for (;;) {
		if (mt_nl_open(&nl, MEMTALLY_FAMILY_NAME) || !nl.family) {
			mt_nl_close(&nl);
			usleep(1000);
			continue;
		}
		for (i = 0; i < sizeof(cmds); i++) {
			mt_nl_req_init(&req, nl.family, cmds[i], NLM_F_DUMP);
			n = 0;
			if (mt_nl_talk(&nl, &req, count_cb, &n, &res))
				break;	/* the family went away */
			/*
			 * The family went away since it resolved (ENOENT,
			 * EOPNOTSUPP) or the module is on its way out and
			 * takes no new dumps (EPROTONOSUPPORT).
			 */
			if (res.error == -ENOENT || res.error == -EOPNOTSUPP ||
			    res.error == -EPROTONOSUPPORT)
				continue;
			if (res.error) {
				if (!t->dump_errors++)
					snprintf(t->dump_error,
						 sizeof(t->dump_error),
						 "cmd %u: %s (%.60s)", cmds[i],
						 strerror(-res.error), res.extack);
			}
			t->dumps++;
		}
		mt_nl_close(&nl);
	}
}

static void nop_cb(const struct nlmsghdr *nlh, void *ctx)
{
}

static void subscriber(struct tally *t)
{
	struct mt_nl nl;

	for (;;) {
		if (mt_nl_open(&nl, MEMTALLY_FAMILY_NAME) || !nl.family ||
		    mt_nl_join(&nl, nl.events_group)) {
			mt_nl_close(&nl);
			usleep(1000);
			continue;
		}
		t->events_joins++;
		/*
		 * An unloaded family's group just falls silent: listen for a
		 * second, then join the family as it is now.
		 */
		for (int i = 0; i < 10; i++)
			if (mt_nl_recv_event(&nl, 100, nop_cb, NULL) < 0)
				t->event_errors++;
		mt_nl_close(&nl);
	}
}

/* A paddr kdamond over the first 256 MiB of RAM; its pid, or 0. */
static long damon_start(void)
{
	char buf[32];
	long pid = 0;
	FILE *f;

	if (access(DAMON, F_OK) ||
	    file_write(DAMON "/nr_kdamonds", "1") ||
	    file_write(DAMON "/0/contexts/nr_contexts", "1") ||
	    file_write(DAMON "/0/contexts/0/operations", "paddr") ||
	    file_write(DAMON "/0/contexts/0/targets/nr_targets", "1") ||
	    file_write(DAMON "/0/contexts/0/targets/0/regions/nr_regions", "1") ||
	    file_write(DAMON "/0/contexts/0/targets/0/regions/0/start", "1048576") ||
	    file_write(DAMON "/0/contexts/0/targets/0/regions/0/end", "268435456") ||
	    file_write(DAMON "/0/state", "on"))
		return 0;
	f = fopen(DAMON "/0/pid", "r");
	if (f) {
		if (fgets(buf, sizeof(buf), f))
			pid = strtol(buf, NULL, 10);
		fclose(f);
	}
	return pid;
}

static void damon_stop(void)
{
	file_write(DAMON "/0/state", "off");
	file_write(DAMON "/nr_kdamonds", "0");
}

static int damon_bind(long kdamond)
{
	uint32_t pid = kdamond, ops = MEMTALLY_DAMON_OPS_PADDR;
	uint32_t sample = 5000, aggr = 100000;
	struct mt_nl_result res;
	struct mt_nl_req req;
	struct mt_nl nl;
	int err;

	if (mt_nl_open(&nl, MEMTALLY_FAMILY_NAME) || !nl.family)
		return -ENOENT;
	mt_nl_req_init(&req, nl.family, MEMTALLY_CMD_DAMON_BIND, 0);
	mt_nl_put(&req, MEMTALLY_A_DAMON_KDAMOND_PID, &pid, 4);
	mt_nl_put(&req, MEMTALLY_A_DAMON_OPS, &ops, 4);
	mt_nl_put(&req, MEMTALLY_A_DAMON_SAMPLE_US, &sample, 4);
	mt_nl_put(&req, MEMTALLY_A_DAMON_AGGR_US, &aggr, 4);
	err = mt_nl_talk(&nl, &req, NULL, NULL, &res) ? -EIO : res.error;
	mt_nl_close(&nl);
	return err;
}

/* The tool, while the module is out: exit 1 and one line saying so. */
static bool tool_says_not_loaded(void)
{
	char out[512] = "";
	size_t n;
	FILE *p;
	int st;

	p = popen("/bin/memtally status 2>&1", "r");
	if (!p)
		return false;
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) && WEXITSTATUS(st) == 1 &&
	       strstr(out, "not loaded") && strchr(out, '\n') == out + n - 1;
}

TEST(reload_cycles)
{
	long cycles = env_long("MT_STRESS_CYCLES", 1000), kdamond;
	void (*const workers[])(struct tally *) = {
		storm, churn, dump_loop, subscriber,
	};
	const int nworkers = sizeof(workers) / sizeof(workers[0]);
	bool tool = !access("/bin/memtally", X_OK);
	struct timespec t0, t1;
	int tool_checks = 0;
	struct tally *t;
	pid_t kids[4];
	long i, binds = 0;
	int k;

	t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, t);
	memset(t, 0, sizeof(*t));
	kdamond = damon_start();
	for (k = 0; k < nworkers; k++) {
		kids[k] = fork();
		if (!kids[k]) {
			workers[k](t);
			_exit(0);
		}
	}
	usleep(200000);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < cycles; i++) {
		ASSERT_EQ(0, unload()) TH_LOG("rmmod %ld: %s", i, strerror(errno));
		if (tool && i % 100 == 0) {
			EXPECT_TRUE(tool_says_not_loaded());
			tool_checks++;
		}
		ASSERT_EQ(0, load()) TH_LOG("insmod %ld: %s", i, strerror(errno));
		if (kdamond && damon_bind(kdamond) == 0)
			binds++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (k = 0; k < nworkers; k++) {
		kill(kids[k], SIGKILL);
		waitpid(kids[k], NULL, 0);
	}
	if (kdamond)
		damon_stop();
	cg_remove("mt_stress_churn");
	TH_LOG("%ld cycles in %ld s; meanwhile %ld fault rounds, %ld cgroups made and removed, %ld dumps, %ld event subscriptions, %ld DAMON binds, %d tool checks",
	       cycles, (long)(t1.tv_sec - t0.tv_sec), (long)t->faults_rounds,
	       (long)t->churns, (long)t->dumps, (long)t->events_joins, binds,
	       tool_checks);
	EXPECT_EQ(0, t->dump_errors) TH_LOG("first: %s", t->dump_error);
	EXPECT_GT(t->dumps, 0);
	EXPECT_GT(t->churns, 0);
	EXPECT_GT(t->events_joins, 0);
	if (kdamond)
		EXPECT_EQ(cycles, binds);
	munmap(t, sizeof(*t));
}

/* Shared between the cgroup maker and the dumping test. */
struct churn_log {
	atomic_ulong clock;		/* bumped after each rmdir */
	atomic_int made, removed;
	uint64_t id[];			/* cgroup ids, by index */
};

struct dump_ids {
	uint64_t *v;
	int n, cap;
};

static void ids_add(struct dump_ids *d, uint64_t id)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 1024;
		d->v = realloc(d->v, d->cap * sizeof(*d->v));
	}
	d->v[d->n++] = id;
}

static void dump_cb(const struct nlmsghdr *nlh, void *ctx)
{
	struct mt_row r;

	mt_row_parse(nlh, &r);
	ids_add(ctx, r.id);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* A reader of what changed, as memtally top is: the cgroups it has live */
struct since_reader {
	uint64_t gen;
	struct dump_ids live;	/* sorted */
	struct dump_ids got, gone;	/* of the last dump */
	long since, stale;
};

static void since_cb(const struct nlmsghdr *nlh, void *ctx)
{
	struct since_reader *rd = ctx;
	struct mt_row r;

	mt_row_parse(nlh, &r);
	if (!r.id)	/* the first message: the generation */
		rd->gen = r.v[MEMTALLY_A_CGROUP_DUMP_GEN];
	else
		ids_add(r.v[MEMTALLY_A_CGROUP_REMOVED_NS] ? &rd->gone : &rd->got,
			r.id);
}

/*
 * A dump since the reader's generation merged into its live cgroups: the
 * rows added, the tombstones dropped; refused (ESTALE), a dump since 0.
 */
static int since_read(struct mt_nl *nl, struct since_reader *rd)
{
	struct mt_nl_result res;
	struct mt_nl_req req;
	int i, k;

	for (;;) {
		rd->got.n = rd->gone.n = 0;
		mt_nl_req_init(&req, nl->family, MEMTALLY_CMD_CGROUP_GET,
			       NLM_F_DUMP);
		mt_nl_put(&req, MEMTALLY_A_CGROUP_SINCE_GEN, &rd->gen,
			  sizeof(rd->gen));
		if (mt_nl_talk(nl, &req, since_cb, rd, &res))
			return -EIO;
		if (res.error != -ESTALE)
			break;
		rd->stale++;
		rd->gen = 0;
		rd->live.n = 0;
	}
	if (res.error)
		return res.error;
	rd->since++;
	for (i = 0; i < rd->got.n; i++)
		ids_add(&rd->live, rd->got.v[i]);
	qsort(rd->live.v, rd->live.n, sizeof(uint64_t), cmp_u64);
	qsort(rd->gone.v, rd->gone.n, sizeof(uint64_t), cmp_u64);
	for (i = k = 0; i < rd->live.n; i++) {
		if (k && rd->live.v[k - 1] == rd->live.v[i])
			continue;
		if (bsearch(&rd->live.v[i], rd->gone.v, rd->gone.n,
			    sizeof(uint64_t), cmp_u64))
			continue;
		rd->live.v[k++] = rd->live.v[i];
	}
	rd->live.n = k;
	return 0;
}

/*
 * N cgroups are made and then removed one by one while dumps run back to
 * back.  Each dump must list ids in ascending order (so none twice) and
 * none of a cgroup whose rmdir had returned before the dump was asked for.
 * A reader of dumps since a generation alongside (the module forgets most
 * removals before it asks again: each slot is used many times) must not
 * keep such a cgroup either, and ends with the cgroups of a full dump.
 * At the end the module tracks what it tracked before.
 */
TEST(many_cgroups)
{
	long n = env_long("MT_STRESS_CGROUPS", 10000);
	struct dump_ids d = { 0 };
	struct since_reader rd = { 0 };
	long since_kept = 0;
	struct mt_nl_result res;
	struct churn_log *log;
	struct mt_nl_req req;
	uint64_t *removed;
	long dumps = 0, checked = 0, violations = 0, unordered = 0;
	int base_dump, final_dump, status;
	struct mt_nl nl;
	size_t logsz;
	pid_t maker;
	char name[64];

	logsz = sizeof(*log) + n * sizeof(uint64_t);
	log = mmap(NULL, logsz, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, log);
	removed = calloc(n, sizeof(*removed));
	ASSERT_NE(NULL, removed);
	ASSERT_EQ(0, mt_nl_open(&nl, MEMTALLY_FAMILY_NAME));
	mt_nl_req_init(&req, nl.family, MEMTALLY_CMD_CGROUP_GET, NLM_F_DUMP);
	ASSERT_EQ(0, mt_nl_talk(&nl, &req, dump_cb, &d, &res));
	base_dump = d.n;
	ASSERT_NE(0, cg_make("mt_stress_many"));

	maker = fork();
	if (!maker) {
		for (long i = 0; i < n; i++) {
			snprintf(name, sizeof(name), "mt_stress_many/c%ld", i);
			log->id[i] = cg_make(name);
			if (!log->id[i])
				_exit(1);
			log->made++;
		}
		for (long i = 0; i < n; i++) {
			snprintf(name, sizeof(name), "mt_stress_many/c%ld", i);
			if (cg_remove(name))
				_exit(2);
			/* the id is gone from the hierarchy: log it so */
			log->removed = i + 1;
			log->clock++;
		}
		_exit(0);
	}
	while (waitpid(maker, &status, WNOHANG) == 0) {
		int done = log->removed, i;

		/* ids removed before this dump started */
		d.n = 0;
		ASSERT_EQ(0, mt_nl_talk(&nl, &req, dump_cb, &d, &res));
		ASSERT_EQ(0, res.error) TH_LOG("dump: %s", res.extack);
		dumps++;
		for (i = 1; i < d.n; i++)
			unordered += d.v[i - 1] >= d.v[i];
		memcpy(removed, log->id, done * sizeof(*removed));
		qsort(removed, done, sizeof(*removed), cmp_u64);
		for (i = 0; i < d.n; i++) {
			checked++;
			violations += bsearch(&d.v[i], removed, done,
					      sizeof(*removed), cmp_u64) != NULL;
		}
		done = log->removed;
		memcpy(removed, log->id, done * sizeof(*removed));
		qsort(removed, done, sizeof(*removed), cmp_u64);
		ASSERT_EQ(0, since_read(&nl, &rd));
		for (i = 0; i < rd.live.n; i++)
			since_kept += bsearch(&rd.live.v[i], removed, done,
					      sizeof(*removed), cmp_u64) != NULL;
	}
	ASSERT_EQ(0, WEXITSTATUS(status)) TH_LOG("the maker failed at %d/%d",
						  log->made, log->removed);
	EXPECT_EQ(0, cg_remove("mt_stress_many"));
	d.n = 0;
	ASSERT_EQ(0, mt_nl_talk(&nl, &req, dump_cb, &d, &res));
	final_dump = d.n;
	ASSERT_EQ(0, since_read(&nl, &rd));
	TH_LOG("%ld cgroups made and removed; %ld dumps during it, %ld rows checked; %ld out of order, %ld of removed cgroups; %d rows before, %d after",
	       n, dumps, checked, unordered, violations, base_dump, final_dump);
	TH_LOG("dumps since a generation: %ld, %ld refused (ESTALE), %ld removed cgroups kept; %d cgroups at the end",
	       rd.since, rd.stale, since_kept, rd.live.n);
	EXPECT_GT(dumps, 1);
	EXPECT_EQ(0, unordered);
	EXPECT_EQ(0, violations);
	EXPECT_EQ(0, since_kept);
	EXPECT_EQ(base_dump, final_dump);
	qsort(d.v, d.n, sizeof(*d.v), cmp_u64);
	ASSERT_EQ(d.n, rd.live.n);
	for (int i = 0; i < d.n; i++)
		EXPECT_EQ(d.v[i], rd.live.v[i]);
	free(d.v);
	free(rd.live.v);
	free(rd.got.v);
	free(rd.gone.v);
	free(removed);
	munmap(log, logsz);
	mt_nl_close(&nl);
}

TEST_HARNESS_MAIN
