// SPDX-License-Identifier: GPL-2.0
/*
 * memtally damon: options, durations and sizes, /proc/iomem, the state
 * file, and the sysfs driver against a fake DAMON tree laid out as the
 * kernel lays it out after nr_kdamonds=1 (a fake file keeps what is
 * written to it, so each check reads back the last value written).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <json.h>
#include <netlink/msg.h>

#include "cli.h"
#include "cmds.h"
#include "damonfs.h"
#include "test.h"
#include "fakenl.h"

/* @root/@rel holds @s; the directories on the way are made */
static void put(const char *root, const char *rel, const char *s)
{
	char path[1024], *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		mkdir(path, 0700);
		*p = '/';
	}
	f = fopen(path, "w");
	fputs(s, f);
	fclose(f);
}

/* What @root/@rel holds, less the newline */
static const char *get(const char *root, const char *rel)
{
	static char buf[256];
	char path[1024];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	return buf;
}

#define KD	"admin/kdamonds/0/"
#define CTX	KD "contexts/0/"
#define SCH	CTX "schemes/0/"

/* The files of one kdamond with one context, two targets and a scheme */
static const char *const tree[][2] = {
	{ "admin/kdamonds/nr_kdamonds", "0\n" },
	{ KD "state", "off\n" }, { KD "pid", "4242\n" },
	{ KD "contexts/nr_contexts", "0\n" },
	{ CTX "avail_operations", "vaddr\nfvaddr\npaddr\n" },
	{ CTX "operations", "vaddr\n" },
	{ CTX "monitoring_attrs/intervals/sample_us", "5000\n" },
	{ CTX "monitoring_attrs/intervals/aggr_us", "100000\n" },
	{ CTX "monitoring_attrs/intervals/update_us", "1000000\n" },
	{ CTX "monitoring_attrs/nr_regions/min", "10\n" },
	{ CTX "monitoring_attrs/nr_regions/max", "1000\n" },
	{ CTX "targets/nr_targets", "0\n" },
	{ CTX "targets/0/pid_target", "0\n" },
	{ CTX "targets/0/regions/nr_regions", "0\n" },
	{ CTX "targets/0/regions/0/start", "0\n" },
	{ CTX "targets/0/regions/0/end", "0\n" },
	{ CTX "targets/1/pid_target", "0\n" },
	{ CTX "schemes/nr_schemes", "0\n" },
	{ SCH "action", "stat\n" },
	{ SCH "access_pattern/sz/min", "0\n" },
	{ SCH "access_pattern/sz/max", "0\n" },
	{ SCH "access_pattern/nr_accesses/min", "0\n" },
	{ SCH "access_pattern/nr_accesses/max", "0\n" },
	{ SCH "access_pattern/age/min", "0\n" },
	{ SCH "access_pattern/age/max", "0\n" },
	{ SCH "filters/nr_filters", "0\n" },
	{ SCH "filters/0/type", "anon\n" },
	{ SCH "filters/0/memcg_path", "\n" },
	{ SCH "filters/0/matching", "N\n" },
	{ SCH "stats/nr_tried", "3\n" }, { SCH "stats/sz_tried", "12288\n" },
	{ SCH "stats/nr_applied", "2\n" },
	{ SCH "stats/sz_applied", "8192\n" },
};

#define NR_TREE (sizeof(tree) / sizeof(tree[0]))

static void fake_tree(char *root)
{
	size_t i;

	CHECK(mkdtemp(root) != NULL);
	for (i = 0; i < NR_TREE; i++)
		put(root, tree[i][0], tree[i][1]);
}

/* Every file holds what fake_tree() put there */
static bool unchanged(const char *root)
{
	char want[256];
	size_t i;

	for (i = 0; i < NR_TREE; i++) {
		snprintf(want, sizeof(want), "%s", tree[i][1]);
		want[strcspn(want, "\n")] = '\0';
		if (strcmp(get(root, tree[i][0]), want)) {
			fprintf(stderr, "%s changed\n", tree[i][0]);
			return false;
		}
	}
	return true;
}

static void rm_tree(const char *root)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	CHECK(system(cmd) == 0);
}

/* A foreign kdamond: on, pid 77 */
static void foreign(const char *root)
{
	put(root, "admin/kdamonds/nr_kdamonds", "1\n");
	put(root, KD "state", "on\n");
	put(root, KD "pid", "77\n");
}

static int quiet_parse(char **argv, struct damon_opts *o)
{
	int argc = 0, ret;

	while (argv[argc])
		argc++;
	quiet(true);
	ret = damon_parse(argc, argv, o);
	quiet(false);
	return ret;
}

static void parse_damon(void)
{
	char *start[] = { "damon", "start", "--pid", "12", "--pid", "13",
			  "--sample-us", "1000", "--aggr-us", "20000",
			  "--update-us", "500000", "--min-regions", "5",
			  "--max-regions", "50", "--wss-ring", "8",
			  "--region-ring", "100", "-j", NULL };
	char *pageout[] = { "damon", "scheme", "pageout", "--min-age", "5m",
			    "--min-size", "2M", "--cgroup", "/db", NULL };
	char *cg[] = { "damon", "start", "--cgroup", "/x", NULL };
	char *none[] = { "damon", NULL };
	char *stop[] = { "damon", "stop", "--json", NULL };
	char *off[] = { "damon", "scheme", "off", NULL };
	char *show[] = { "damon", "scheme", NULL };
	struct damon_opts o = { 0 };

	CHECK(quiet_parse(start, &o) == 0);
	CHECK(o.action == MT_DAMON_START && o.vaddr && o.nr_pids == 2 &&
	      o.pids[0] == 12 && o.pids[1] == 13 && o.json);
	CHECK(o.sample_us == 1000 && o.aggr_us == 20000 &&
	      o.update_us == 500000 && o.min_regions == 5 &&
	      o.max_regions == 50 && o.wss_ring == 8 && o.region_ring == 100);
	CHECK(quiet_parse(pageout, &o) == 0);
	CHECK(o.action == MT_DAMON_PAGEOUT && o.min_age_us == 300000000 &&
	      o.min_size == 2 << 20);
	CHECK_STR(o.cgroup, "/db");
	CHECK(quiet_parse(cg, &o) == 0);
	CHECK(o.vaddr && !o.nr_pids);
	CHECK_STR(o.cgroup, "/x");
	CHECK(quiet_parse(none, &o) == 0);
	CHECK(o.action == MT_DAMON_STATUS && !o.vaddr && o.sample_us == 5000 &&
	      o.aggr_us == 100000 && o.update_us == 1000000 &&
	      o.min_regions == 10 && o.max_regions == 1000 &&
	      o.min_size == 4096);
	CHECK(quiet_parse(stop, &o) == 0 && o.action == MT_DAMON_STOP && o.json);
	CHECK(quiet_parse(off, &o) == 0 && o.action == MT_DAMON_SCHEME_OFF);
	CHECK(quiet_parse(show, &o) == 0 && o.action == MT_DAMON_SCHEME);
}

static void parse_damon_bad(void)
{
	static char *const bad[][6] = {
		{ "damon", "begin" },
		{ "damon", "scheme", "reclaim" },
		{ "damon", "start", "--paddr", "--pid", "1" },
		{ "damon", "start", "--pid", "1", "--cgroup", "/x" },
		{ "damon", "start", "--pid", "x" },
		{ "damon", "start", "--pid", "0" },
		{ "damon", "start", "--sample-us", "0" },
		{ "damon", "start", "--aggr-us", "10", "--sample-us" },
		{ "damon", "start", "--min-regions", "2" },
		{ "damon", "start", "--max-regions", "5" },
		{ "damon", "start", "--wss-ring", "1025" },
		{ "damon", "start", "--region-ring", "65537" },
		{ "damon", "start", "--min-age", "1s" },
		{ "damon", "stop", "--paddr" },
		{ "damon", "status", "extra" },
		{ "damon", "scheme", "pageout" },
		{ "damon", "scheme", "pageout", "--min-age", "5x" },
		{ "damon", "scheme", "pageout", "--min-age", "0" },
		{ "damon", "scheme", "pageout", "--min-size", "-1" },
		{ "damon", "scheme", "off", "--min-age", "1s" },
	};
	struct damon_opts o;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o = (struct damon_opts){ 0 };
		if (quiet_parse((char **)bad[i], &o) != MT_EXIT_USAGE) {
			t_failed_case = true;
			fprintf(stderr, "bad case %zu parsed\n", i);
		}
	}
}

static void dur_size(void)
{
	uint64_t v;

	CHECK(mt_parse_dur("60s", &v) == 0 && v == 60000000);
	CHECK(mt_parse_dur("500ms", &v) == 0 && v == 500000);
	CHECK(mt_parse_dur("5m", &v) == 0 && v == 300000000);
	CHECK(mt_parse_dur("1h", &v) == 0 && v == 3600000000ull);
	CHECK(mt_parse_dur("250", &v) == 0 && v == 250);
	CHECK(mt_parse_dur("250us", &v) == 0 && v == 250);
	CHECK(mt_parse_dur("1d", &v) == -EINVAL);
	CHECK(mt_parse_dur("s", &v) == -EINVAL);
	CHECK(mt_parse_dur("-1s", &v) == -EINVAL);
	CHECK(mt_parse_dur("99999999999999h", &v) == -EINVAL);
	CHECK(mt_parse_size("4K", &v) == 0 && v == 4096);
	CHECK(mt_parse_size("2M", &v) == 0 && v == 2 << 20);
	CHECK(mt_parse_size("1g", &v) == 0 && v == 1 << 30);
	CHECK(mt_parse_size("512", &v) == 0 && v == 512);
	CHECK(mt_parse_size("4KB", &v) == -EINVAL);
	CHECK(mt_parse_size("", &v) == -EINVAL);
	CHECK(mt_parse_size("99999999999999999T", &v) == -EINVAL);
}

static void iomem(void)
{
	char path[] = "/tmp/memtally-iomem.XXXXXX";
	uint64_t start, end;
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	fputs("00000000-00000fff : Reserved\n"
	      "00001000-0009fbff : System RAM\n"
	      "000a0000-000bffff : PCI Bus 0000:00\n"
	      "00100000-bffd9fff : System RAM\n"
	      "  01000000-01e0255f : Kernel code\n"
	      "  3a000000-3fffffff : System RAM\n"
	      "bffda000-bfffffff : Reserved\n"
	      "100000000-23fffffff : System RAM\n"
	      "  200000000-200000fff : System RAM (not quite)\n", f);
	fclose(f);
	CHECK(mt_iomem_ram(path, &start, &end) == 0);
	CHECK_U64(start, 0x100000000);
	CHECK_U64(end, 0x240000000);	/* exclusive */
	f = fopen(path, "w");
	fputs("00000000-00000000 : Reserved\n"
	      "00000000-00000000 : System RAM\n", f);
	fclose(f);
	CHECK(mt_iomem_ram(path, &start, &end) == -EACCES);
	f = fopen(path, "w");
	fputs("00000000-00000fff : Reserved\n", f);
	fclose(f);
	CHECK(mt_iomem_ram(path, &start, &end) == -ENOENT);
	/* an end of 2^64 - 1 (or beyond: sscanf() saturates) has no
	 * exclusive end in 64 bits: not 0 (found by fuzz_iomem) */
	f = fopen(path, "w");
	fputs("00100000-ffffffffffffffff : System RAM\n"
	      "00000000-000fffffffffffffffff : System RAM\n", f);
	fclose(f);
	CHECK(mt_iomem_ram(path, &start, &end) == -ENOENT);
	unlink(path);
	CHECK(mt_iomem_ram(path, &start, &end) == -ENOENT);
}

static void state_file(void)
{
	char dir[] = "/tmp/memtally-run.XXXXXX", run[64];
	struct mt_damon_state st = {
		.kdamond = 2, .pid = 4242, .vaddr = true, .sample_us = 1000,
		.aggr_us = 20000, .nr_targets = 3,
	}, got;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(run, sizeof(run), "%s/memtally", dir);	/* made on write */
	CHECK(mt_damon_state_read(run, &got) == -ENOENT);
	CHECK(mt_damon_state_write(run, &st) == 0);
	CHECK(mt_damon_state_read(run, &got) == 0);
	CHECK(got.kdamond == 2 && got.pid == 4242 && got.vaddr &&
	      got.sample_us == 1000 && got.aggr_us == 20000 &&
	      got.nr_targets == 3);
	put(run, "damon", "kdamond 1\npid 5\n");
	CHECK(mt_damon_state_read(run, &got) == -EBADMSG);
	/* an aggregation interval memtally never sets: 0 would divide by 0 */
	put(run, "damon", "kdamond 1\npid 5\nops paddr\nsample_us 0\naggr_us 0\n");
	CHECK(mt_damon_state_read(run, &got) == -ERANGE);
	put(run, "damon", "kdamond 1\npid 5\nops paddr\nsample_us 0\naggr_us 4294967296\n");
	CHECK(mt_damon_state_read(run, &got) == -ERANGE);
	put(run, "damon", "kdamond 1\npid 5\nops paddr\nsample_us 0\naggr_us 4294967295\n");
	CHECK(mt_damon_state_read(run, &got) == 0);
	CHECK(mt_damon_state_rm(run) == 0);
	CHECK(mt_damon_state_rm(run) == 0);
	CHECK(mt_damon_state_read(run, &got) == -ENOENT);
	rm_tree(dir);
}

static const struct mt_damon_cfg paddr_cfg = {
	.sample_us = 5000, .aggr_us = 100000, .update_us = 1000000,
	.min_regions = 10, .max_regions = 1000,
	.start = 0x100000, .end = 0xbffda000,
};

static void start_paddr(void)
{
	char root[] = "/tmp/memtally-damon.XXXXXX";
	int index = -1, pid = 0;

	fake_tree(root);
	CHECK(mt_damon_start(root, &paddr_cfg, &index, &pid) == 0);
	CHECK(index == 0 && pid == 4242);
	CHECK_STR(get(root, "admin/kdamonds/nr_kdamonds"), "1");
	CHECK_STR(get(root, KD "contexts/nr_contexts"), "1");
	CHECK_STR(get(root, CTX "operations"), "paddr");
	CHECK_STR(get(root, CTX "monitoring_attrs/intervals/sample_us"), "5000");
	CHECK_STR(get(root, CTX "monitoring_attrs/intervals/aggr_us"), "100000");
	CHECK_STR(get(root, CTX "monitoring_attrs/intervals/update_us"), "1000000");
	CHECK_STR(get(root, CTX "monitoring_attrs/nr_regions/min"), "10");
	CHECK_STR(get(root, CTX "monitoring_attrs/nr_regions/max"), "1000");
	CHECK_STR(get(root, CTX "targets/nr_targets"), "1");
	CHECK_STR(get(root, CTX "targets/0/regions/nr_regions"), "1");
	CHECK_STR(get(root, CTX "targets/0/regions/0/start"), "1048576");
	CHECK_STR(get(root, CTX "targets/0/regions/0/end"), "3221069824");
	CHECK_STR(get(root, KD "state"), "on");
	rm_tree(root);
}

static void start_vaddr(void)
{
	char root[] = "/tmp/memtally-damon.XXXXXX";
	static const uint32_t pids[] = { 11, 22 };
	struct mt_damon_cfg c = paddr_cfg;
	struct mt_kdamond k;
	int index, pid;

	c.vaddr = true;
	c.pids = pids;
	c.nr_pids = 2;
	fake_tree(root);
	CHECK(mt_damon_start(root, &c, &index, &pid) == 0);
	CHECK_STR(get(root, CTX "operations"), "vaddr");
	CHECK_STR(get(root, CTX "targets/nr_targets"), "2");
	CHECK_STR(get(root, CTX "targets/0/pid_target"), "11");
	CHECK_STR(get(root, CTX "targets/1/pid_target"), "22");
	CHECK_STR(get(root, CTX "targets/0/regions/nr_regions"), "0");
	CHECK(mt_damon_kdamond(root, 0, &k) == 0);
	CHECK(k.on && k.pid == 4242 && !strcmp(k.ops, "vaddr") &&
	      k.nr_targets == 2 && k.pid_target == 11 && k.aggr_us == 100000);
	rm_tree(root);
}

/* Another's kdamond, on or merely there: refused, nothing written */
static void start_foreign(void)
{
	char root[] = "/tmp/memtally-damon.XXXXXX";
	int index, pid;

	fake_tree(root);
	foreign(root);
	quiet(true);
	CHECK(mt_damon_start(root, &paddr_cfg, &index, &pid) == -1);
	quiet(false);
	CHECK_STR(get(root, "admin/kdamonds/nr_kdamonds"), "1");
	CHECK_STR(get(root, KD "state"), "on");
	put(root, "admin/kdamonds/nr_kdamonds", "0\n");
	put(root, KD "state", "off\n");
	put(root, KD "pid", "4242\n");
	CHECK(unchanged(root));
	/* off, configured by someone: refused too */
	put(root, "admin/kdamonds/nr_kdamonds", "1\n");
	quiet(true);
	CHECK(mt_damon_start(root, &paddr_cfg, &index, &pid) == -1);
	quiet(false);
	put(root, "admin/kdamonds/nr_kdamonds", "0\n");
	CHECK(unchanged(root));
	rm_tree(root);
}

/* A step fails (no paddr operations): nr_kdamonds is back to 0 */
static void start_undone(void)
{
	char root[] = "/tmp/memtally-damon.XXXXXX";
	int index, pid;

	fake_tree(root);
	put(root, CTX "avail_operations", "vaddr\nfvaddr\n");
	quiet(true);
	CHECK(mt_damon_start(root, &paddr_cfg, &index, &pid) == -1);
	quiet(false);
	CHECK_STR(get(root, "admin/kdamonds/nr_kdamonds"), "0");
	CHECK_STR(get(root, KD "state"), "off");
	CHECK_STR(get(root, CTX "operations"), "vaddr");
	/* on, but no pid: turned off again */
	put(root, CTX "avail_operations", "paddr\n");
	put(root, KD "pid", "-1\n");
	quiet(true);
	CHECK(mt_damon_start(root, &paddr_cfg, &index, &pid) == -1);
	quiet(false);
	CHECK_STR(get(root, "admin/kdamonds/nr_kdamonds"), "0");
	CHECK_STR(get(root, KD "state"), "off");
	rm_tree(root);
}

static void stop_scheme(void)
{
	char root[] = "/tmp/memtally-damon.XXXXXX";
	struct mt_damon_state st = { .kdamond = 0, .pid = 4242,
				     .sample_us = 5000, .aggr_us = 100000 };
	struct mt_damos s = { .min_size = 4096, .min_age = 10,
			      .memcg = "/db" };
	struct mt_damos_stats stats;
	struct mt_kdamond k;
	bool removed;
	int index, pid;

	fake_tree(root);
	CHECK(mt_damon_start(root, &paddr_cfg, &index, &pid) == 0);
	CHECK(mt_damon_kdamond(root, 0, &k) == 0 && mt_damon_owned(&k, &st));
	st.pid = 1;
	CHECK(!mt_damon_owned(&k, &st));
	st.pid = 4242;
	CHECK(mt_damon_scheme_set(root, 0, &s) == 0);
	CHECK_STR(get(root, CTX "schemes/nr_schemes"), "1");
	CHECK_STR(get(root, SCH "action"), "pageout");
	CHECK_STR(get(root, SCH "access_pattern/sz/min"), "4096");
	CHECK_STR(get(root, SCH "access_pattern/sz/max"), "18446744073709551615");
	CHECK_STR(get(root, SCH "access_pattern/nr_accesses/max"), "0");
	CHECK_STR(get(root, SCH "access_pattern/age/min"), "10");
	CHECK_STR(get(root, SCH "access_pattern/age/max"), "4294967295");
	CHECK_STR(get(root, SCH "filters/nr_filters"), "1");
	CHECK_STR(get(root, SCH "filters/0/type"), "memcg");
	CHECK_STR(get(root, SCH "filters/0/memcg_path"), "/db");
	CHECK_STR(get(root, SCH "filters/0/matching"), "N");
	CHECK_STR(get(root, KD "state"), "commit");
	put(root, KD "state", "on\n");
	CHECK(mt_damon_scheme_stats(root, 0, &stats) == 0);
	CHECK_STR(get(root, KD "state"), "update_schemes_stats");
	CHECK_STR(stats.action, "pageout");
	CHECK_STR(stats.memcg, "/db");
	CHECK(stats.min_age == 10 && stats.nr_tried == 3 &&
	      stats.sz_tried == 12288 && stats.nr_applied == 2 &&
	      stats.sz_applied == 8192);
	put(root, KD "state", "on\n");
	CHECK(mt_damon_scheme_off(root, 0) == 0);
	CHECK_STR(get(root, CTX "schemes/nr_schemes"), "0");
	CHECK(mt_damon_scheme_stats(root, 0, &stats) == 0 && !stats.action[0]);
	put(root, KD "state", "on\n");
	CHECK(mt_damon_stop(root, &st, &removed) == 0 && removed);
	CHECK_STR(get(root, KD "state"), "off");
	CHECK_STR(get(root, "admin/kdamonds/nr_kdamonds"), "0");
	/* with another kdamond after it: off, but left there */
	put(root, KD "state", "on\n");
	put(root, "admin/kdamonds/nr_kdamonds", "2\n");
	CHECK(mt_damon_stop(root, &st, &removed) == 0 && !removed);
	CHECK_STR(get(root, "admin/kdamonds/nr_kdamonds"), "2");
	rm_tree(root);
}

/* The fake kernel's answer, after a SIGTERM: it comes while binding */
static int recv_signalled(struct nl_sock *sk, struct sockaddr_nl *from,
			  unsigned char **buf, struct ucred **creds)
{
	raise(SIGTERM);
	return fake_recv(sk, from, buf, creds);
}

/*
 * SIGTERM while the module is bound, between the kdamond turned on and
 * the state file: it takes effect only once both are there
 */
static void start_signal(void)
{
	char root[] = "/tmp/memtally-damon.XXXXXX",
	     run[] = "/tmp/memtally-run.XXXXXX", buf[64], out[64];
	static const uint32_t pids[] = { 11 };
	struct damon_opts o = { .vaddr = true };
	struct mt_damon_cfg c = paddr_cfg;
	struct nl_msg *ack = nlmsg_alloc_simple(NLMSG_ERROR, NLM_F_CAPPED);
	struct nlmsgerr *e = nlmsg_reserve(ack, sizeof(*e), NLMSG_ALIGNTO);
	struct mt_damon_state st;
	const char *said;
	size_t len;
	int status = -1;
	pid_t pid;

	memset(e, 0, sizeof(*e));
	len = nlmsg_hdr(ack)->nlmsg_len;
	memcpy(buf, nlmsg_hdr(ack), len);
	nlmsg_free(ack);
	c.vaddr = true;
	c.pids = pids;
	c.nr_pids = 1;
	fake_tree(root);
	CHECK(mkdtemp(run) != NULL);
	snprintf(out, sizeof(out), "%s/out", run);
	setenv("MEMTALLY_RUNDIR", run, 1);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (!pid) {
		struct mt_nl nl;
		sigset_t none;

		signal(SIGTERM, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (!freopen(out, "w", stdout))
			_exit(3);
		if (fake_open(&nl, buf, len))
			_exit(3);
		nl.recv = recv_signalled;
		damon_start_bound(root, &o, &c, &nl);
		_exit(0);	/* not reached: the SIGTERM ends it */
	}
	waitpid(pid, &status, 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	CHECK_STR(get(root, KD "state"), "on");
	CHECK(mt_damon_state_read(run, &st) == 0 && st.kdamond == 0 &&
	      st.pid == 4242 && st.vaddr);
	/* and after the line that says so */
	said = get(run, "out");
	CHECK(said && !strncmp(said, "started kdamond 0 (pid 4242): vaddr", 35));
	setenv("MEMTALLY_RUNDIR", "/nonexistent/run", 1);
	rm_tree(run);
	rm_tree(root);
}

#define NOT_BUILT_IN "memtally: DAMON is not built into this kernel (CONFIG_DAMON); Debian's bookworm-backports 6.12 kernel has it\n"

static void tool_damon(void)
{
	char root[] = "/tmp/memtally-damon.XXXXXX", run[] = "/tmp/memtally-run.XXXXXX";
	char out[8192], err[4096], want[512];
	struct json_object *j, *a, *v;

	CHECK(tool(out, err, sizeof(out), ARGS("damon", "--help")) == 0);
	CHECK(!strncmp(out, "Usage: memtally damon [status]", 30));
	CHECK(tool(out, err, sizeof(out), ARGS("damon", "start", "-h")) == 0);
	CHECK(strstr(out, "--min-age DUR") && strstr(out, "--region-ring M"));

	setenv("MEMTALLY_DAMON_DIR", "/nonexistent/damon", 1);
	CHECK(tool(out, err, sizeof(out), ARGS("damon", "start")) == 1);
	CHECK_STR(err, NOT_BUILT_IN);
	CHECK(tool(out, err, sizeof(out), ARGS("damon", "stop")) == 1);
	CHECK_STR(err, NOT_BUILT_IN);
	CHECK(tool(out, err, sizeof(out), ARGS("damon", "status", "-j")) == 1);
	CHECK_STR(err, NOT_BUILT_IN);
	CHECK_STR(out, "");
	CHECK(tool(out, err, sizeof(out), ARGS("damon", "scheme")) == 1);
	CHECK_STR(err, NOT_BUILT_IN);

	CHECK(mkdtemp(run) != NULL);
	setenv("MEMTALLY_RUNDIR", run, 1);
	CHECK(mkdtemp(root) != NULL);
	put(root, "README", "DAMON without its sysfs interface\n");
	setenv("MEMTALLY_DAMON_DIR", root, 1);
	CHECK(tool(out, err, sizeof(out), ARGS("damon")) == 1);
	CHECK_STR(err, "memtally: DAMON has no sysfs interface in this kernel (CONFIG_DAMON_SYSFS)\n");
	rm_tree(root);

	strcpy(root, "/tmp/memtally-damon.XXXXXX");
	fake_tree(root);
	setenv("MEMTALLY_DAMON_DIR", root, 1);
	CHECK(tool(out, err, sizeof(out), ARGS("damon", "stop")) == 0);
	CHECK_STR(out, "memtally has no kdamond running; nothing to stop\n");
	CHECK(tool(out, err, sizeof(out), ARGS("damon", "scheme")) == 1);
	CHECK_STR(err, "memtally: memtally has started no kdamond (memtally damon start)\n");
	CHECK(tool(out, err, sizeof(out), ARGS("damon", "-j")) == 0);
	j = json_tokener_parse(out);
	CHECK(j && json_object_object_get_ex(j, "kdamonds", &a) &&
	      json_object_array_length(a) == 0);
	json_object_put(j);

	foreign(root);
	CHECK(tool(out, err, sizeof(out), ARGS("damon", "start")) == 1);
	CHECK_STR(err, "memtally: kdamond 0 (on, pid 77) is not memtally's: adding a kdamond would reset it, so nothing was changed\n");
	CHECK_STR(get(root, "admin/kdamonds/nr_kdamonds"), "1");
	CHECK_STR(get(root, CTX "operations"), "vaddr");
	CHECK(tool(out, err, sizeof(out), ARGS("damon", "stop")) == 0);
	CHECK_STR(get(root, KD "state"), "on");
	CHECK(tool(out, err, sizeof(out), ARGS("damon", "status", "--json")) == 0);
	j = json_tokener_parse(out);
	CHECK(j && json_object_object_get_ex(j, "kdamonds", &a) &&
	      json_object_array_length(a) == 1);
	v = json_object_array_get_idx(a, 0);
	CHECK(v && json_object_object_get_ex(v, "memtally", &v) &&
	      !json_object_get_boolean(v));
	json_object_put(j);

	/* a state file naming a kdamond that is not memtally's any more */
	put(run, "damon", "kdamond 0\npid 5\nops paddr\nsample_us 5000\naggr_us 100000\ntargets 1\n");
	CHECK(tool(out, err, sizeof(out), ARGS("damon", "stop")) == 0);
	CHECK_STR(out, "memtally has no kdamond running; nothing to stop\n");
	CHECK_STR(get(root, KD "state"), "on");
	CHECK(get(run, "damon") == NULL);

	/* memtally's: stop turns it off and removes it */
	put(run, "damon", "kdamond 0\npid 77\nops vaddr\nsample_us 5000\naggr_us 100000\ntargets 1\n");
	CHECK(tool(out, err, sizeof(out), ARGS("damon", "start")) == 1);
	CHECK_STR(err, "memtally: memtally already started kdamond 0 (pid 77); memtally damon stop stops it\n");
	CHECK(tool(out, err, sizeof(out), ARGS("damon", "scheme", "pageout",
					       "--min-age", "1s")) == 0);
	CHECK_STR(get(root, SCH "access_pattern/age/min"), "10");
	CHECK_STR(get(root, SCH "filters/nr_filters"), "0");
	CHECK_STR(get(root, KD "state"), "commit");
	put(root, KD "state", "on\n");

	/* more aggregations than DAMON counts: refused, not wrapped to 0 */
	CHECK(tool(out, err, sizeof(out), ARGS("damon", "scheme", "pageout",
		   "--min-age", "18446744073709551615")) == MT_EXIT_USAGE);
	CHECK_STR(err, "memtally: damon scheme pageout: --min-age must be at most 429496729s (4294967295 aggregations of 100000 us); see memtally --help\n");
	CHECK(tool(out, err, sizeof(out), ARGS("damon", "scheme", "pageout",
		   "--min-age", "5124095h")) == MT_EXIT_USAGE);
	CHECK_STR(err, "memtally: damon scheme pageout: --min-age must be at most 429496729s (4294967295 aggregations of 100000 us); see memtally --help\n");
	CHECK_STR(get(root, SCH "access_pattern/age/min"), "10");
	CHECK_STR(get(root, KD "state"), "on");
	/* the longest it counts */
	CHECK(tool(out, err, sizeof(out), ARGS("damon", "scheme", "pageout",
		   "--min-age", "429496729500000us")) == 0);
	CHECK_STR(get(root, SCH "access_pattern/age/min"), "4294967295");
	put(root, KD "state", "on\n");

	/* a state file with aggr_us 0: an error, not a division by 0 */
	put(run, "damon", "kdamond 0\npid 77\nops vaddr\nsample_us 0\naggr_us 0\ntargets 1\n");
	CHECK(tool(out, err, sizeof(out), ARGS("damon", "scheme", "pageout",
					       "--min-age", "1s")) == 1);
	snprintf(want, sizeof(want), "memtally: %s/damon: aggr_us 0 is no aggregation interval memtally damon start sets (1 to 4294967295 us); remove the file\n",
		 run);
	CHECK_STR(err, want);
	CHECK_STR(get(root, SCH "access_pattern/age/min"), "4294967295");
	CHECK_STR(get(root, KD "state"), "on");
	put(run, "damon", "kdamond 0\npid 77\nops vaddr\nsample_us 5000\naggr_us 100000\ntargets 1\n");
	CHECK(tool(out, err, sizeof(out), ARGS("damon", "stop")) == 0);
	CHECK_STR(out, "stopped and removed kdamond 0\n");
	CHECK_STR(get(root, KD "state"), "off");
	CHECK_STR(get(root, "admin/kdamonds/nr_kdamonds"), "0");
	CHECK(get(run, "damon") == NULL);

	setenv("MEMTALLY_DAMON_DIR", "/nonexistent/damon", 1);
	setenv("MEMTALLY_RUNDIR", "/nonexistent/run", 1);
	rm_tree(root);
	rm_tree(run);
}

/* @n pids from @first into @dir/cgroup.procs */
static void put_procs(const char *dir, int first, int n)
{
	char text[1024];
	size_t len = 0;
	int i;

	for (i = 0; i < n; i++)
		len += snprintf(text + len, sizeof(text) - len, "%d\n",
				first + i);
	put(dir, "cgroup.procs", text);
}

/*
 * damon start --cgroup with more processes (below it too) than the module
 * binds targets: refused before any kdamond is started
 */
static void tool_damon_cgroup_limit(void)
{
	char root[] = "/tmp/memtally-damon.XXXXXX",
	     cg[] = "/tmp/memtally-cg.XXXXXX", sub[64], out[4096], err[4096];

	fake_tree(root);
	CHECK(mkdtemp(cg) != NULL);
	snprintf(sub, sizeof(sub), "%s/x", cg);
	put_procs(sub, 100, 40);
	snprintf(sub, sizeof(sub), "%s/x/y", cg);
	put_procs(sub, 200, 25);
	setenv("MEMTALLY_DAMON_DIR", root, 1);
	setenv("MEMTALLY_CGROUP_ROOT", cg, 1);
	CHECK(tool(out, err, sizeof(out), ARGS("damon", "start", "--cgroup",
					       "/x")) == MT_EXIT_RUNTIME);
	CHECK_STR(err, "memtally: cgroup /x has 65 processes (those below it too), more than the 64 targets the memtally module binds: start DAMON for a cgroup below it, or with --paddr\n");
	CHECK_STR(out, "");
	CHECK(unchanged(root));
	/* 64: past that check, to the next (no module here) */
	put_procs(sub, 200, 24);
	CHECK(tool(out, err, sizeof(out), ARGS("damon", "start", "--cgroup",
					       "/x")) == MT_EXIT_RUNTIME);
	CHECK(!strstr(err, "targets the memtally module binds"));
	CHECK(unchanged(root));
	unsetenv("MEMTALLY_CGROUP_ROOT");
	setenv("MEMTALLY_DAMON_DIR", "/nonexistent/damon", 1);
	rm_tree(cg);
	rm_tree(root);
}

void test_damonctl(void)
{
	RUN(parse_damon);
	RUN(parse_damon_bad);
	RUN(dur_size);
	RUN(iomem);
	RUN(state_file);
	RUN(start_paddr);
	RUN(start_vaddr);
	RUN(start_foreign);
	RUN(start_undone);
	RUN(stop_scheme);
	RUN(start_signal);
	RUN(tool_damon);
	RUN(tool_damon_cgroup_limit);
}
