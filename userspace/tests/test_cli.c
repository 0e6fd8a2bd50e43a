// SPDX-License-Identifier: GPL-2.0
/* Option parsing, and the binary's exit codes, help and error lines. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/memtally.h>

#include "cli.h"
#include "nl.h"
#include "test.h"

#define ARGC(argv) ((int)(sizeof(argv) / sizeof((argv)[0])) - 1)

/* Silence stderr (the usage error lines of the parsers) and back. */
static void quiet(bool on)
{
	static int saved = -1;
	fflush(stderr);
	if (on) {
		int null = open("/dev/null", O_WRONLY);

		saved = dup(2);
		dup2(null, 2);
		close(null);
	} else {
		dup2(saved, 2);
		close(saved);
	}
}

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

/* Run the tool with @args; its stdout and stderr end up in @out and @err. */
int tool(char *out, char *err, size_t len, char *const args[])
{
	char *argv[8] = { (char *)t_tool }, outf[] = "/tmp/mt-out.XXXXXX",
	     errf[] = "/tmp/mt-err.XXXXXX";
	int fo = mkstemp(outf), fe = mkstemp(errf), status = -1, argc;
	posix_spawn_file_actions_t fa;
	extern char **environ;
	ssize_t n;
	pid_t pid;

	for (argc = 1; argc < 7 && args[argc - 1]; argc++)
		argv[argc] = args[argc - 1];
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

/* One line on stderr, "memtally: ..." */
static bool one_line(const char *err)
{
	const char *nl = strchr(err, '\n');

	return !strncmp(err, "memtally: ", 10) && nl && !nl[1];
}

static void tool_help(void)
{
	char out[4096], err[4096];

	CHECK(tool(out, err, sizeof(out), ARGS("--help")) == 0);
	CHECK(!strncmp(out, "Usage: memtally", 15) && strstr(out, "cgroups"));
	CHECK_STR(err, "");
	CHECK(tool(out, err, sizeof(out), ARGS("-j", "status", "--help")) == 0);
	CHECK(!strncmp(out, "Usage: memtally status", 22));
	CHECK(tool(out, err, sizeof(out), ARGS("cgroups", "-h")) == 0);
	CHECK(!strncmp(out, "Usage: memtally cgroups", 23));
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
	};
	char out[4096], err[4096];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK(tool(out, err, sizeof(out), cases[i]) == MT_EXIT_USAGE);
		CHECK(one_line(err) && strstr(err, "see memtally --help\n"));
		CHECK_STR(out, "");
	}
	tool(out, err, sizeof(out), ARGS("cgroups", "--sort", "bogus"));
	CHECK_STR(err, "memtally: cgroups: unknown sort key 'bogus' (path, id, faults-user, faults-kernel); see memtally --help\n");
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

static void tool_not_loaded(void)
{
	char out[4096], err[4096];
	struct mt_nl nl;
	int ret = mt_nl_connect(&nl, MEMTALLY_FAMILY_NAME);

	if (ret != -ENOENT) {
		/* loaded after all, or no generic netlink here */
		if (!ret)
			mt_nl_close(&nl);
		t_skipped_case = true;
		return;
	}
	CHECK(tool(out, err, sizeof(out), ARGS("status")) == MT_EXIT_RUNTIME);
	CHECK_STR(err, "memtally: the memtally module is not loaded (load it with: modprobe memtally, or insmod memtally.ko)\n");
	CHECK_STR(out, "");
	CHECK(tool(out, err, sizeof(out), ARGS("-j", "cgroups")) ==
	      MT_EXIT_RUNTIME);
	CHECK(one_line(err) && strstr(err, "not loaded"));
}

void test_cli(void)
{
	RUN(parse_status);
	RUN(parse_cgroups);
	RUN(parse_cgroups_errors);
	RUN(tool_help);
	RUN(tool_usage_errors);
	RUN(tool_no_such_cgroup);
	RUN(tool_not_loaded);
}
