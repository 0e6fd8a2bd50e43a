// SPDX-License-Identifier: GPL-2.0
/* Option parsing, and the binary's exit codes, help and error lines. */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/memtally.h>

#include "cli.h"
#include "cmds.h"
#include "nl.h"
#include "toprows.h"
#include "test.h"

#define ARGC(argv) ((int)(sizeof(argv) / sizeof((argv)[0])) - 1)


static int quiet_status(int argc, char **argv, struct status_opts *o)
{
	int ret;

	quiet(true);
	ret = status_parse(argc, argv, o);
	quiet(false);
	return ret;
}

static int quiet_cgroups(int argc, char **argv, struct cgroups_opts *o)
{
	int ret;

	quiet(true);
	ret = cgroups_parse(argc, argv, o);
	quiet(false);
	return ret;
}

static void parse_status(void)
{
	char *plain[] = { "status", NULL };
	char *json[] = { "status", "--json", NULL };
	char *help[] = { "status", "-h", NULL };
	char *bad[] = { "status", "--bogus", NULL };
	char *extra[] = { "status", "now", NULL };
	struct status_opts o = { 0 };

	CHECK(status_parse(ARGC(plain), plain, &o) == 0);
	CHECK(!o.json && !o.help);
	CHECK(status_parse(ARGC(json), json, &o) == 0 && o.json);
	CHECK(status_parse(ARGC(help), help, &o) == 0 && o.help);
	CHECK(quiet_status(ARGC(bad), bad, &o) == MT_EXIT_USAGE);
	CHECK(quiet_status(ARGC(extra), extra, &o) == MT_EXIT_USAGE);
}

static void parse_cgroups(void)
{
	char *plain[] = { "cgroups", NULL };
	char *all[] = { "cgroups", "--sort", "faults-kernel", "-j",
			"--prefix", "/a/b", NULL };
	char *one[] = { "cgroups", "-s", "id", "--cgroup=/x", NULL };
	struct cgroups_opts o = { .sort = MT_SORT_PATH };

	CHECK(cgroups_parse(ARGC(plain), plain, &o) == 0);
	CHECK(o.sort == MT_SORT_PATH && !o.json && !o.prefix && !o.cgroup);
	CHECK(cgroups_parse(ARGC(all), all, &o) == 0);
	CHECK(o.sort >= MT_SORT_COUNTER && o.json);
	CHECK_STR(mt_sort_name(o.sort), "faults-kernel");
	CHECK_STR(o.prefix, "/a/b");
	CHECK(o.cgroup == NULL);
	o = (struct cgroups_opts){ 0 };
	CHECK(cgroups_parse(ARGC(one), one, &o) == 0);
	CHECK(o.sort == MT_SORT_ID);
	CHECK_STR(o.cgroup, "/x");
}

static void parse_cgroups_errors(void)
{
	char *bad[][5] = {
		{ "cgroups", "--sort", "faults", NULL },
		{ "cgroups", "--sort", NULL },
		{ "cgroups", "-p", NULL },
		{ "cgroups", "--prefix", "a/b", NULL },
		{ "cgroups", "--cgroup", "x", NULL },
		{ "cgroups", "-p", "/a", "-c", "/a" },
		{ "cgroups", "--frob", NULL },
		{ "cgroups", "/a", NULL },
	};
	struct cgroups_opts o;
	size_t i;
	int argc;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		for (argc = 0; argc < 5 && bad[i][argc]; argc++)
			;
		o = (struct cgroups_opts){ 0 };
		CHECK(quiet_cgroups(argc, bad[i], &o) == MT_EXIT_USAGE);
	}
}

static void parse_cgroups_all(void)
{
	char *all[] = { "cgroups", "--all", NULL };
	char *a[] = { "cgroups", "-a", "-s", "pgsteal", NULL };
	struct cgroups_opts o = { 0 };

	CHECK(cgroups_parse(ARGC(all), all, &o) == 0 && o.all);
	o = (struct cgroups_opts){ 0 };
	CHECK(cgroups_parse(ARGC(a), a, &o) == 0 && o.all);
	CHECK_U64(o.sort, MT_SORT_COUNTER + MT_CTR_PGSTEAL);
}

/* Each case: the arguments, then whether they parse */
#define PARSE_CASES(type, fn, cases, check) do {			\
	size_t i_;							\
	int argc_;							\
									\
	for (i_ = 0; i_ < sizeof(cases) / sizeof(cases[0]); i_++) {	\
		type o_ = { 0 };					\
									\
		for (argc_ = 0; cases[i_].argv[argc_]; argc_++)		\
			;						\
		quiet(true);						\
		CHECK((fn(argc_, cases[i_].argv, &o_) == 0) ==		\
		      cases[i_].ok);					\
		quiet(false);						\
		if (cases[i_].ok)					\
			check;						\
	}								\
} while (0)

static void parse_reclaim(void)
{
	char *plain[] = { "reclaim", NULL };
	char *watch[] = { "reclaim", "5", "3", "--json", NULL };
	char *one[] = { "reclaim", "-c", "/a", "1", NULL };
	char *top[] = { "reclaim", "1", "--by-cgroup", "--top=3", NULL };
	struct reclaim_opts o = { .top = 10 };
	struct {		/* not const: getopt_long() permutes */
		char *argv[6];
		bool ok;
	} cases[] = {
		{ { "reclaim", "0" }, false },
		{ { "reclaim", "1s" }, false },
		{ { "reclaim", "-1" }, false },
		{ { "reclaim", "1", "0" }, false },
		{ { "reclaim", "1", "2", "3" }, false },
		{ { "reclaim", "4294967296" }, false },
		{ { "reclaim", "4294967295", "18446744073709551615" }, true },
		{ { "reclaim", "1", "18446744073709551616" }, false },
		{ { "reclaim", "--top", "3" }, false },
		{ { "reclaim", "-b", "--top", "0" }, false },
		{ { "reclaim", "-b", "-t", "x" }, false },
		{ { "reclaim", "-b", "-c", "/a" }, false },
		{ { "reclaim", "-c", "a" }, false },
		{ { "reclaim", "-c" }, false },
		{ { "reclaim", "--by-cgroup" }, true },
		{ { "reclaim", "--all", "-c", "/a" }, true },
		{ { "reclaim", "-a", "-b" }, true },
		{ { "reclaim", "--bogus" }, false },
	};

	CHECK(reclaim_parse(ARGC(plain), plain, &o) == 0);
	/* one line over a second */
	CHECK(o.interval == 1 && o.count == 1 && !o.json && !o.by_cgroup &&
	      !o.cgroup && !o.all);
	CHECK_U64(o.top, 10);
	CHECK(reclaim_parse(ARGC(watch), watch, &o) == 0);
	CHECK(o.interval == 5 && o.count == 3 && o.json);
	o = (struct reclaim_opts){ .top = 10 };
	CHECK(reclaim_parse(ARGC(one), one, &o) == 0);
	CHECK_STR(o.cgroup, "/a");
	CHECK(o.interval == 1 && o.count == 0);
	o = (struct reclaim_opts){ .top = 10 };
	CHECK(reclaim_parse(ARGC(top), top, &o) == 0);
	CHECK(o.by_cgroup && o.top == 3 && o.interval == 1);
	PARSE_CASES(struct reclaim_opts, reclaim_parse, cases, (void)0);
}

static void parse_stalls(void)
{
	char *plain[] = { "stalls", NULL };
	char *all[] = { "stalls", "--kind", "softlimit", "-c", "/x", "-j",
			NULL };
	struct stalls_opts o = { .kind = -1 };
	struct {		/* not const: getopt_long() permutes */
		char *argv[4];
		bool ok;
	} cases[] = {
		{ { "stalls", "-k", "direct" }, true },
		{ { "stalls", "--kind=memcg" }, true },
		{ { "stalls", "-k", "kswapd" }, false },
		{ { "stalls", "-k" }, false },
		{ { "stalls", "-c", "x" }, false },
		{ { "stalls", "now" }, false },
	};

	CHECK(stalls_parse(ARGC(plain), plain, &o) == 0);
	CHECK(o.kind == -1 && !o.cgroup && !o.json);
	CHECK(stalls_parse(ARGC(all), all, &o) == 0);
	CHECK(o.kind == MEMTALLY_RECLAIM_KIND_SOFTLIMIT && o.json);
	CHECK_STR(o.cgroup, "/x");
	PARSE_CASES(struct stalls_opts, stalls_parse, cases, (void)0);
}

static void parse_events(void)
{
	char *plain[] = { "events", NULL };
	char *json[] = { "events", "-j", NULL };
	char *extra[] = { "events", "oom", NULL };
	struct events_opts o = { 0 };

	CHECK(events_parse(ARGC(plain), plain, &o) == 0 && !o.json);
	CHECK(events_parse(ARGC(json), json, &o) == 0 && o.json);
	quiet(true);
	CHECK(events_parse(ARGC(extra), extra, &o) == MT_EXIT_USAGE);
	quiet(false);
}

static void parse_config(void)
{
	char *plain[] = { "config", NULL };
	char *set[] = { "config", "--stall-threshold-us", "5000", "-j", NULL };
	struct config_opts o = { 0 };
	struct {		/* not const: getopt_long() permutes */
		char *argv[4];
		bool ok;
	} cases[] = {
		{ { "config", "--stall-threshold-us=0" }, true },
		/* the module checks the range */
		{ { "config", "--stall-threshold-us", "99999999999" }, true },
		{ { "config", "--stall-threshold-us", "5ms" }, false },
		{ { "config", "--stall-threshold-us", "-5" }, false },
		{ { "config", "--stall-threshold-us", "" }, false },
		{ { "config", "--stall-threshold-us", "18446744073709551616" },
		  false },
		{ { "config", "--stall-threshold-us" }, false },
		{ { "config", "-s", "5" }, false },
	};

	CHECK(config_parse(ARGC(plain), plain, &o) == 0 && !o.set);
	CHECK(config_parse(ARGC(set), set, &o) == 0 && o.set && o.json);
	CHECK_U64(o.stall_threshold_us, 5000);
	PARSE_CASES(struct config_opts, config_parse, cases, CHECK(o_.set));
}

/* Run the tool with @args; its stdout and stderr end up in @out and @err. */
int tool(char *out, char *err, size_t len, char *const args[])
{
	char *argv[16] = { (char *)t_tool }, outf[] = "/tmp/mt-out.XXXXXX",
	     errf[] = "/tmp/mt-err.XXXXXX";
	int fo = mkstemp(outf), fe = mkstemp(errf), status = -1, argc;
	posix_spawn_file_actions_t fa;
	extern char **environ;
	ssize_t n;
	pid_t pid;

	for (argc = 1; argc < 15 && args[argc - 1]; argc++)
		argv[argc] = args[argc - 1];
	if (args[argc - 1]) {
		/* never run a command line cut short */
		fprintf(stderr, "tool(): more than %d arguments\n", argc - 1);
		out[0] = err[0] = '\0';
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fo, 1);
	posix_spawn_file_actions_adddup2(&fa, fe, 2);
	if (!posix_spawn(&pid, t_tool, &fa, NULL, argv, environ))
		waitpid(pid, &status, 0);
	posix_spawn_file_actions_destroy(&fa);
	n = pread(fo, out, len - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	n = pread(fe, err, len - 1, 0);
	err[n > 0 ? n : 0] = '\0';
	close(fo);
	close(fe);
	unlink(outf);
	unlink(errf);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

#define STARTS(s, prefix) (!strncmp((s), (prefix), strlen(prefix)))

/* One line on stderr, "memtally: ..." */
static bool one_line(const char *err)
{
	const char *nl = strchr(err, '\n');

	return !strncmp(err, "memtally: ", 10) && nl && !nl[1];
}

static void tool_help(void)
{
	char out[4096], err[4096], top[4096];
	const char *opt, *end = NULL;
	unsigned int k;

	CHECK(tool(out, err, sizeof(out), ARGS("--help")) == 0);
	CHECK(!strncmp(out, "Usage: memtally", 15) && strstr(out, "cgroups"));
	CHECK_STR(err, "");
	CHECK(tool(out, err, sizeof(out), ARGS("-j", "status", "--help")) == 0);
	CHECK(!strncmp(out, "Usage: memtally status", 22));
	CHECK(tool(out, err, sizeof(out), ARGS("cgroups", "-h")) == 0);
	CHECK(!strncmp(out, "Usage: memtally cgroups", 23));
	CHECK(strstr(out, "  -a, --all "));
	CHECK(tool(out, err, sizeof(out), ARGS("reclaim", "--help")) == 0);
	CHECK(STARTS(out, "Usage: memtally reclaim [INTERVAL [COUNT]]"));
	CHECK(strstr(out, "--by-cgroup") && strstr(out, "--top N"));
	CHECK(tool(out, err, sizeof(out), ARGS("stalls", "-h")) == 0);
	CHECK(STARTS(out, "Usage: memtally stalls"));
	CHECK(strstr(out, "--kind KIND"));
	/*
	 * the help of --kind and of top's --sort names every name they take
	 * (the option's lines, up to the next option)
	 */
	opt = strstr(out, "--kind KIND");
	CHECK(opt && (end = strstr(opt, "\n  -")));
	for (k = 0; opt && end && k < MT_NR_STALL_KINDS; k++)
		CHECK(memmem(opt, end - opt, mt_stall_kinds[k].name,
			     strlen(mt_stall_kinds[k].name)));
	CHECK(tool(top, err, sizeof(top), ARGS("top", "-h")) == 0);
	opt = strstr(top, "--sort KEY");
	CHECK(opt && (end = strstr(opt, "\n  -")));
	for (k = 0; opt && end && mt_top_key_name(k); k++)
		CHECK(memmem(opt, end - opt, mt_top_key_name(k),
			     strlen(mt_top_key_name(k))));
	CHECK(tool(out, err, sizeof(out), ARGS("events", "-h")) == 0);
	CHECK(STARTS(out, "Usage: memtally events"));
	CHECK(strstr(out, "needs\nCAP_SYS_ADMIN"));
	CHECK(tool(out, err, sizeof(out), ARGS("config", "-h")) == 0);
	CHECK(STARTS(out, "Usage: memtally config"));
	CHECK(strstr(out, "--stall-threshold-us N"));
	CHECK(tool(out, err, sizeof(out), ARGS("--help")) == 0);
	CHECK(strstr(out, "\n  reclaim ") && strstr(out, "\n  stalls ") &&
	      strstr(out, "\n  events ") && strstr(out, "\n  config ") &&
	      strstr(out, "\n  ksm "));
	CHECK(tool(out, err, sizeof(out), ARGS("-V")) == 0);
	CHECK_STR(out, "memtally " MT_VERSION "\n");
}

static void tool_usage_errors(void)
{
	static char *const cases[][4] = {
		{ NULL },
		{ "--bogus", NULL },
		{ "frob", NULL },
		{ "status", "-x", NULL },
		{ "cgroups", "--sort", "bogus", NULL },
		{ "cgroups", "--prefix", NULL },
		{ "reclaim", "0", NULL },
		{ "reclaim", "--top", "3", NULL },
		{ "stalls", "--kind", "x", NULL },
		{ "events", "now", NULL },
		{ "config", "--stall-threshold-us", "x", NULL },
		{ "ksm", "--scans", "2", NULL },
		{ "ksm", "trial", "--scans=x", NULL },
	};
	char out[4096], err[4096];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK(tool(out, err, sizeof(out), cases[i]) == MT_EXIT_USAGE);
		CHECK(one_line(err) && strstr(err, "see memtally --help\n"));
		CHECK_STR(out, "");
	}
	/* subcommands, from the commands' tables (mt_subcmd_parse()) */
	tool(out, err, sizeof(out), ARGS("damon", "frob"));
	CHECK_STR(err, "memtally: damon: unknown action 'frob'; see memtally --help\n");
	tool(out, err, sizeof(out), ARGS("damon", "scheme", "frob"));
	CHECK_STR(err, "memtally: damon scheme: unknown action 'frob'; see memtally --help\n");
	tool(out, err, sizeof(out), ARGS("damon", "stop", "frob"));
	CHECK_STR(err, "memtally: damon stop: unexpected argument 'frob'; see memtally --help\n");
	tool(out, err, sizeof(out), ARGS("damon", "scheme", "off", "-x"));
	CHECK(strstr(err, "memtally: damon scheme off: "));
	tool(out, err, sizeof(out), ARGS("ksm", "frob"));
	CHECK_STR(err, "memtally: ksm: unknown action 'frob'; see memtally --help\n");
	tool(out, err, sizeof(out), ARGS("ksm", "trial", "frob"));
	CHECK_STR(err, "memtally: ksm trial: unexpected argument 'frob'; see memtally --help\n");
	/* and their Usage lines */
	CHECK(tool(out, err, sizeof(out), ARGS("damon", "-h")) == 0);
	CHECK(!strncmp(out, "Usage: memtally damon [status] [-j]\n"
		       "       memtally damon start [--paddr | --pid PID... | --cgroup PATH]\n"
		       "                            [--sample-us N] [--aggr-us N] [--update-us N]\n",
		       strlen("Usage: memtally damon [status] [-j]\n"
			      "       memtally damon start [--paddr | --pid PID... | --cgroup PATH]\n"
			      "                            [--sample-us N] [--aggr-us N] [--update-us N]\n")));
	CHECK(strstr(out, "\n       memtally damon scheme [pageout --min-age DUR [--min-size SIZE]\n"
		      "                             [--cgroup PATH] | off] [-j]\n\n"));
	CHECK(tool(out, err, sizeof(out), ARGS("ksm", "trial", "-h")) == 0);
	CHECK(!strncmp(out, "Usage: memtally ksm trial [--scans N]", 37));
	tool(out, err, sizeof(out), ARGS("cgroups", "--sort", "bogus"));
	CHECK_STR(err, "memtally: cgroups: unknown sort key 'bogus' (path, id, faults-user, faults-kernel, direct-stalls, direct-stall-ns, direct-reclaimed, memcg-stalls, memcg-stall-ns, memcg-reclaimed, softlimit-stalls, softlimit-stall-ns, softlimit-reclaimed, agent-stalls, agent-stall-ns, agent-reclaimed, pgscan, pgsteal, pgdeactivate, pgwriteback, throttled, throttled-us, slab-shrinks, slab-shrink-ns, kswapd-wakeups, kswapd-wakes, oom-kills, ksm-merging-pages, ksm-rmap-items, ksm-zero-pages, ksm-merge-attempts, ksm-merges, ksm-merge-failures, ksm-enters, ksm-exits, stall-hist-missed, migrated, migrate-failed, thp-migrated, thp-migrate-failed, thp-split, compact-stalls, compact-stall-ns, compact-migrated, compact-success, compact-failed, compact-deferred, compact-skipped, migrated-compaction, migrated-numa, migrated-policy, migrated-demotion, migrated-other, thp-collapsed, thp-collapse-failed, damon-wss, damon-hot, damon-warm, damon-cold); see memtally --help\n");
}

static void tool_no_such_cgroup(void)
{
	char dir[] = "/tmp/memtally-root.XXXXXX", out[4096], err[4096];

	CHECK(mkdtemp(dir) != NULL);
	setenv("MEMTALLY_CGROUP_ROOT", dir, 1);
	CHECK(tool(out, err, sizeof(out),
		   ARGS("cgroups", "--cgroup", "/gone")) == MT_EXIT_RUNTIME);
	CHECK_STR(err, "memtally: /gone: no such cgroup\n");
	unsetenv("MEMTALLY_CGROUP_ROOT");
	rmdir(dir);
}

#define NOT_LOADED "memtally: the memtally module is not loaded (load it with: modprobe memtally, or insmod memtally.ko)\n"

static void tool_not_loaded(void)
{
	static char *const cmds[][6] = {
		{ "reclaim", "--by-cgroup", "--json", NULL },
		{ "stalls", NULL },
		{ "stalls", "--cgroup", "/", "--kind", "memcg", NULL },
		{ "events", NULL },
		{ "-j", "events", NULL },
		{ "config", NULL },
		{ "config", "--stall-threshold-us", "1000", NULL },
	};
	char dir[] = "/tmp/memtally-root.XXXXXX", out[4096], err[4096];
	struct mt_nl nl;
	int ret = mt_nl_connect(&nl, MEMTALLY_FAMILY_NAME);
	size_t i;

	if (ret != -ENOENT) {
		/* loaded after all, or no generic netlink here */
		if (!ret)
			mt_nl_close(&nl);
		t_skipped_case = true;
		return;
	}
	CHECK(tool(out, err, sizeof(out), ARGS("status")) == MT_EXIT_RUNTIME);
	CHECK_STR(err, NOT_LOADED);
	CHECK_STR(out, "");
	/* whatever the host's cgroups */
	CHECK(mkdtemp(dir) != NULL);
	setenv("MEMTALLY_CGROUP_ROOT", dir, 1);
	CHECK(tool(out, err, sizeof(out), ARGS("-j", "cgroups")) ==
	      MT_EXIT_RUNTIME);
	CHECK(one_line(err) && strstr(err, "not loaded"));
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		CHECK(tool(out, err, sizeof(out), cmds[i]) == MT_EXIT_RUNTIME);
		CHECK_STR(err, NOT_LOADED);
		CHECK_STR(out, "");
	}
	unsetenv("MEMTALLY_CGROUP_ROOT");
	rmdir(dir);
}

/*
 * reclaim without the module: sar's columns all the same, the module's
 * (--all) null after one line that says why; a cgroup's from its
 * memory.stat (a made-up one), where pgpgin, pgpgout, pgfree and pgscanc
 * are unknown
 */
static void tool_reclaim_no_module(void)
{
	static const char stat[] =
		"pgfault 10\npgmajfault 2\npgscan 8\npgsteal 4\n"
		"pgscan_kswapd 3\npgscan_direct 5\npgsteal_kswapd 1\n"
		"pgsteal_direct 3\n";
	char dir[] = "/tmp/memtally-root.XXXXXX", path[PATH_MAX];
	char out[4096], err[4096];
	struct mt_nl nl;
	int ret = mt_nl_connect(&nl, MEMTALLY_FAMILY_NAME);
	FILE *f;

	if (ret != -ENOENT) {
		if (!ret)
			mt_nl_close(&nl);
		t_skipped_case = true;
		return;
	}
	CHECK(tool(out, err, sizeof(out), ARGS("reclaim", "-j")) == MT_EXIT_OK);
	CHECK_STR(err, "");
	CHECK(strchr(out, '\n') == out + strlen(out) - 1 &&
	      strstr(out, "\"pgscanc_per_s\":") &&
	      !strstr(out, "direct_stalls"));
	CHECK(tool(out, err, sizeof(out), ARGS("reclaim", "-a", "-j")) ==
	      MT_EXIT_OK);
	CHECK_STR(err, "memtally: the memtally module is not loaded: its columns are - (load it with: modprobe memtally)\n");
	CHECK(strstr(out, "\"direct_stalls_per_s\":null,") &&
	      strstr(out, "\"oom_kills\":null}"));
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/a", dir);
	CHECK(mkdir(path, 0700) == 0);
	snprintf(path, sizeof(path), "%s/a/memory.stat", dir);
	f = fopen(path, "w");
	CHECK(f && fputs(stat, f) >= 0 && fclose(f) == 0);
	setenv("MEMTALLY_CGROUP_ROOT", dir, 1);
	CHECK(tool(out, err, sizeof(out), ARGS("reclaim", "-c", "/a", "-j")) ==
	      MT_EXIT_OK);
	CHECK_STR(err, "");
	CHECK(strstr(out, "\"path\":\"/a\",\"id\":") &&
	      strstr(out, "\"pgpgin_kb_per_s\":null,\"pgpgout_kb_per_s\":null,\"fault_per_s\":0.00,") &&
	      strstr(out, "\"pgscanc_per_s\":null,") &&
	      strstr(out, "\"vmeff_pct\":null}"));
	CHECK(tool(out, err, sizeof(out), ARGS("reclaim", "-c", "/b")) ==
	      MT_EXIT_RUNTIME);
	CHECK_STR(err, "memtally: /b: no such cgroup\n");
	unsetenv("MEMTALLY_CGROUP_ROOT");
	unlink(path);
	snprintf(path, sizeof(path), "%s/a", dir);
	rmdir(path);
	rmdir(dir);
}

/* SIGINT and SIGTERM wait on the signalfd instead of ending the process */
static void signals(void)
{
	struct signalfd_siginfo si;
	int sfd = mt_signalfd();
	sigset_t set;

	CHECK(sfd >= 0);
	CHECK(!mt_signalled(sfd, 0));
	raise(SIGTERM);
	CHECK(mt_signalled(sfd, 0));
	CHECK(mt_signalled(sfd, -1));
	CHECK(read(sfd, &si, sizeof(si)) == sizeof(si));
	CHECK_U64(si.ssi_signo, SIGTERM);
	CHECK(!mt_signalled(sfd, 10));
	close(sfd);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* A bad threshold is a usage error before any netlink request */
static void tool_config_usage(void)
{
	char out[4096], err[4096];

	CHECK(tool(out, err, sizeof(out),
		   ARGS("config", "--stall-threshold-us", "lots")) ==
	      MT_EXIT_USAGE);
	CHECK_STR(err, "memtally: config: --stall-threshold-us takes a number from 0, not 'lots'; see memtally --help\n");
	CHECK_STR(out, "");
}

bool t_utf8_ok(const char *s, size_t len)
{
	iconv_t cd = iconv_open("UTF-32LE", "UTF-8");
	char *in = (char *)s, buf[4096], *out;
	size_t left = len, room;
	bool ok = true;

	if (cd == (iconv_t)-1)
		return false;
	while (ok && left) {
		out = buf;
		room = sizeof(buf);
		/* E2BIG: buf is full, decode on */
		ok = iconv(cd, &in, &left, &out, &room) != (size_t)-1 ||
		     errno == E2BIG;
	}
	iconv_close(cd);
	return ok;
}

/* A loop that fell behind (SIGSTOP) goes on from now, an interval at a time */
static void next_deadline(void)
{
	uint64_t now = mt_now_ns(CLOCK_MONOTONIC), d;

	/* on time: an interval after the last deadline */
	CHECK_U64(mt_next_deadline(now + 5000000000ULL, 1000000000),
		  now + 6000000000ULL);
	/* ten intervals late: one interval from now, not ten at once */
	d = mt_next_deadline(now - 10000000000ULL, 1000000000);
	CHECK(d >= now + 1000000000 && d < now + 2000000000);
}

void test_cli(void)
{
	RUN(next_deadline);
	RUN(parse_status);
	RUN(parse_cgroups);
	RUN(parse_cgroups_errors);
	RUN(parse_cgroups_all);
	RUN(parse_reclaim);
	RUN(parse_stalls);
	RUN(parse_events);
	RUN(parse_config);
	RUN(tool_help);
	RUN(tool_usage_errors);
	RUN(tool_no_such_cgroup);
	RUN(tool_not_loaded);
	RUN(tool_reclaim_no_module);
	RUN(tool_config_usage);
	RUN(signals);
}

int t_xml_ok(const char *path)
{
	char *argv[] = { "xmllint", "--noout", (char *)path, NULL };
	extern char **environ;
	int status = -1;
	pid_t pid;

	if (posix_spawnp(&pid, "xmllint", NULL, NULL, argv, environ)) {
		fprintf(stderr, "no xmllint to parse %s (apt install libxml2-utils)\n",
			path);
		return 0;
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && !WEXITSTATUS(status);
}
