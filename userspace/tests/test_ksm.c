// SPDX-License-Identifier: GPL-2.0
/*
 * memtally ksm: the formulas, the verdict, a trial on a fake KSM directory
 * (restored after a timeout, a signal or success, kept with --keep), the
 * files of /proc/PID, the ksm-get reply, and the command's lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <time.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <json.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <linux/memtally.h>

#include "cli.h"
#include "cmds.h"
#include "ksm.h"
#include "ksmfs.h"
#include "test.h"

/* A fake KSM directory: name, content */
static const char *const fake[][2] = {
	{ "run", "0\n" }, { "pages_shared", "16\n" },
	{ "pages_sharing", "4080\n" }, { "pages_unshared", "9\n" },
	{ "pages_volatile", "3\n" }, { "full_scans", "7\n" },
	{ "pages_to_scan", "100\n" }, { "sleep_millisecs", "20\n" },
	{ "max_page_sharing", "256\n" }, { "general_profit", "-12\n" },
};

#define NR_FAKE (sizeof(fake) / sizeof(fake[0]))

/* atomically, as sysfs would: a reader never sees an empty file */
static void put(const char *dir, const char *name, const char *s)
{
	char path[512], tmp[520];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	f = fopen(tmp, "w");
	fputs(s, f);
	fclose(f);
	rename(tmp, path);
}

static const char *get(const char *dir, const char *name)
{
	static char buf[64];
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void fake_dir(char *dir)
{
	size_t i;

	CHECK(mkdtemp(dir) != NULL);
	for (i = 0; i < NR_FAKE; i++)
		put(dir, fake[i][0], fake[i][1]);
}

/* Every file holds what it held before */
static void check_unchanged(const char *dir)
{
	size_t i;

	for (i = 0; i < NR_FAKE; i++)
		CHECK_STR(get(dir, fake[i][0]), fake[i][1]);
}

static void fake_rm(const char *dir)
{
	char path[512];
	size_t i;

	for (i = 0; i < NR_FAKE; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, fake[i][0]);
		unlink(path);
	}
	rmdir(dir);
}


/*
 * The saved pages, as Documentation/admin-guide/mm/ksm.rst counts them:
 * pages_sharing (each page merged into a KSM page but the one kept) plus
 * ksm_zero_pages (each empty page merged with the zero page).  The guests'
 * ground truth: 4096 identical pages are kept in 16 (max_page_sharing 256),
 * pages_sharing 4080, so 4080 pages saved, 99.6 % of 4096.
 */
static void formulas(void)
{
	struct mt_ksm_sys s = { 0 };
	struct mt_ksm_savings sv;

	s.v[MT_KSM_PAGES_SHARING] = 4080;
	s.v[MT_KSM_PAGES_SHARED] = 16;
	mt_ksm_calc(&sv, &s, 4096);
	CHECK_U64(sv.saved, 4080 * 4096);
	CHECK(sv.ratio == 255.0);
	CHECK(fabs(sv.pct - 100.0 * 4080 / 4096) < 1e-9);
	/*
	 * the kernel's own account of the same pages (6.12 guest, captured in
	 * tests/golden/6.12): general_profit 16449536 = what is saved minus
	 * 4096 rmap items of 64 bytes
	 */
	CHECK_U64(sv.saved - 4096 * 64, 16449536);
	/* 100 empty pages merged with the zero page save 100 more */
	s.v[MT_KSM_ZERO_PAGES] = 100;
	s.has[MT_KSM_ZERO_PAGES] = true;
	mt_ksm_calc(&sv, &s, 4096);
	CHECK_U64(sv.saved, 4180 * 4096);
	CHECK(fabs(sv.pct - 100.0 * 4180 / 4196) < 1e-9);
	/*
	 * a cgroup's: its share of the merges into KSM pages by its merged
	 * pages, plus its own zero pages (a cgroup with only zero pages
	 * saves those); never more than the whole
	 */
	CHECK_U64(mt_ksm_cg_saved(&sv, 2048, 4096, 100),
		  2040 * 4096 + 100 * 4096);
	CHECK_U64(mt_ksm_cg_saved(&sv, 0, 4096, 50), 50 * 4096);
	CHECK_U64(mt_ksm_cg_saved(&sv, 4096, 4096, 100), 4180 * 4096);
	CHECK_U64(mt_ksm_cg_saved(&sv, 4096, 4096, UINT64_MAX), 4180 * 4096);
	CHECK_U64(mt_ksm_cg_saved(&sv, 0, 0, 0), 0);
	s.v[MT_KSM_ZERO_PAGES] = 0;
	s.has[MT_KSM_ZERO_PAGES] = false;
	/* a snapshot's pages_sharing without pages_shared (not a kernel's) */
	s.v[MT_KSM_PAGES_SHARED] = 0;
	mt_ksm_calc(&sv, &s, 4096);
	CHECK_U64(sv.saved, 4080 * 4096);
	CHECK(isnan(sv.ratio) && sv.pct == 100.0);
	s.v[MT_KSM_PAGES_SHARING] = 0;
	mt_ksm_calc(&sv, &s, 4096);
	CHECK(sv.saved == 0 && isnan(sv.ratio) && isnan(sv.pct));
	/* sharing below shared: what is shared is not saved */
	s.v[MT_KSM_PAGES_SHARED] = 5;
	s.v[MT_KSM_PAGES_SHARING] = 2;
	mt_ksm_calc(&sv, &s, 65536);
	CHECK(sv.saved == 2 * 65536 && sv.ratio == 0.4);
	CHECK(fabs(sv.pct - 100.0 * 2 / 7) < 1e-9);
	/* negative numbers of a damaged snapshot count as 0 */
	s.v[MT_KSM_PAGES_SHARING] = -3;
	mt_ksm_calc(&sv, &s, 65536);
	CHECK(sv.saved == 0 && sv.pct == 0.0);
	CHECK_STR(mt_ksm_run_name(0), "stopped");
	CHECK_STR(mt_ksm_run_name(1), "running");
	CHECK_STR(mt_ksm_run_name(2), "unmerging");
	CHECK_STR(mt_ksm_run_name(7), "unknown");
}

static void verdict_edges(void)
{
	CHECK(mt_ksm_verdict(100000001) == MT_KSM_KEEP);
	CHECK(mt_ksm_verdict(100000000) == MT_KSM_CONSIDER);
	CHECK(mt_ksm_verdict(20000000) == MT_KSM_CONSIDER);
	CHECK(mt_ksm_verdict(19999999) == MT_KSM_DISABLE);
	CHECK(mt_ksm_verdict(0) == MT_KSM_DISABLE);
	CHECK_STR(mt_ksm_verdict_text(MT_KSM_KEEP), "keep KSM on");
	CHECK_STR(mt_ksm_verdict_text(MT_KSM_CONSIDER),
		  "consider keeping KSM on (moderate savings)");
	CHECK_STR(mt_ksm_verdict_text(MT_KSM_DISABLE),
		  "disable KSM (savings too small)");
}

static void bytes(void)
{
	char b[32];

	mt_bytes(b, sizeof(b), 999);
	CHECK_STR(b, "999 B");
	mt_bytes(b, sizeof(b), 1000);
	CHECK_STR(b, "1.0 kB");
	mt_bytes(b, sizeof(b), 16646144);
	CHECK_STR(b, "16.6 MB");
	mt_bytes(b, sizeof(b), 999999);
	CHECK_STR(b, "1.0 MB");
	mt_bytes(b, sizeof(b), 123456789012ull);
	CHECK_STR(b, "123.5 GB");
}

static void read_dir(void)
{
	char dir[] = "/tmp/memtally-ksm.XXXXXX";
	struct mt_ksm_sys s;

	fake_dir(dir);
	CHECK(mt_ksm_read(dir, &s) == 0);
	CHECK(s.has[MT_KSM_RUN] && s.v[MT_KSM_PAGES_SHARING] == 4080);
	CHECK(s.has[MT_KSM_GENERAL_PROFIT] && s.v[MT_KSM_GENERAL_PROFIT] == -12);
	CHECK(!s.has[MT_KSM_ZERO_PAGES] && !s.has[MT_KSM_USE_ZERO_PAGES] &&
	      !s.has[MT_KSM_MERGE_ACROSS_NODES]);
	/* a missing file that every kernel has is an error */
	put(dir, "pages_volatile", "x\n");
	quiet(true);
	CHECK(mt_ksm_read(dir, &s) == -1);
	quiet(false);
	put(dir, "pages_volatile", "3\n");
	fake_rm(dir);
}

static struct mt_ksm_trial trial_opts(bool keep)
{
	return (struct mt_ksm_trial){ .scans = 2, .pages_to_scan = 5000,
				      .sleep_ms = 10, .timeout_s = 1,
				      .keep = keep };
}

/* full_scans never grows: the trial times out and restores everything */
static void trial_timeout(void)
{
	char dir[] = "/tmp/memtally-ksm.XXXXXX";
	struct mt_ksm_trial t = trial_opts(false);

	fake_dir(dir);
	CHECK(mt_ksm_trial(dir, &t, -1) == -ETIMEDOUT);
	CHECK_U64(t.done, 0);
	CHECK(t.saved.run == 0 && t.saved.pages_to_scan == 100 &&
	      t.saved.sleep_millisecs == 20);
	check_unchanged(dir);
	fake_rm(dir);
}

/* --keep leaves the trial's settings; nothing else changes */
static void trial_keep(void)
{
	char dir[] = "/tmp/memtally-ksm.XXXXXX";
	struct mt_ksm_trial t = trial_opts(true);

	fake_dir(dir);
	CHECK(mt_ksm_trial(dir, &t, -1) == -ETIMEDOUT);
	CHECK_STR(get(dir, "run"), "1\n");
	CHECK_STR(get(dir, "pages_to_scan"), "5000\n");
	CHECK_STR(get(dir, "sleep_millisecs"), "10\n");
	CHECK_STR(get(dir, "pages_sharing"), "4080\n");
	fake_rm(dir);
}

/* SIGINT while waiting: restored, even with --keep */
static void trial_signal(void)
{
	char dir[] = "/tmp/memtally-ksm.XXXXXX";
	struct mt_ksm_trial t = trial_opts(true);
	int sfd = mt_signalfd();
	sigset_t set;

	fake_dir(dir);
	t.timeout_s = 30;
	CHECK(sfd >= 0);
	raise(SIGINT);
	CHECK(mt_ksm_trial(dir, &t, sfd) == -EINTR);
	CHECK(t.signo == SIGINT);
	check_unchanged(dir);
	close(sfd);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	fake_rm(dir);
}

/* ksmd does two full scans: success, settings restored in the end */
static void trial_done(void)
{
	char dir[] = "/tmp/memtally-ksm.XXXXXX";
	struct mt_ksm_trial t = trial_opts(false);
	pid_t pid;

	fake_dir(dir);
	t.timeout_s = 10;
	pid = fork();
	if (!pid) {
		usleep(300000);
		put(dir, "full_scans", "8\n");
		usleep(300000);
		put(dir, "full_scans", "9\n");
		_exit(0);
	}
	CHECK(mt_ksm_trial(dir, &t, -1) == 0);
	CHECK_U64(t.done, 2);
	waitpid(pid, NULL, 0);
	put(dir, "full_scans", "7\n");
	check_unchanged(dir);
	fake_rm(dir);
}

/* Without write access, an error line, and nothing changes */
static void trial_not_root(void)
{
	char dir[] = "/tmp/memtally-ksm.XXXXXX", err[256] = "";
	int fds[2], status = -1;
	size_t len;
	ssize_t n;
	pid_t pid;

	if (geteuid()) {
		t_skipped_case = true;
		return;
	}
	fake_dir(dir);
	CHECK(pipe(fds) == 0);
	pid = fork();
	if (!pid) {
		dup2(fds[1], 2);
		_exit(setuid(65534) || mt_ksm_writable(dir) != -1);
	}
	close(fds[1]);
	for (len = 0; (n = read(fds[0], err + len, sizeof(err) - 1 - len)) > 0;)
		len += n;
	err[len] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_STR(err, "memtally: ksm trial changes /sys/kernel/mm/ksm and needs root\n");
	check_unchanged(dir);
	fake_rm(dir);
}

/* The tool with @args started, its stdout and stderr in @outf and @errf */
static pid_t spawn_tool(char *const args[], int outf, int errf)
{
	char *argv[16] = { (char *)t_tool };
	posix_spawn_file_actions_t fa;
	extern char **environ;
	pid_t pid = -1;
	int i;

	for (i = 0; args[i] && i < 14; i++)
		argv[i + 1] = args[i];
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, outf, 1);
	posix_spawn_file_actions_adddup2(&fa, errf, 2);
	if (posix_spawn(&pid, t_tool, &fa, NULL, argv, environ))
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

/* Whether @dir/@name came to hold @want within 10 s */
static bool wait_for(const char *dir, const char *name, const char *want)
{
	struct timespec ms = { 0, 1000000 };
	int i;

	for (i = 0; i < 10000; i++) {
		const char *got = get(dir, name);

		if (got && !strcmp(got, want))
			return true;
		nanosleep(&ms, NULL);
	}
	return false;
}

/* What file @fd holds, into @buf */
static void fd_text(int fd, char *buf, size_t len)
{
	ssize_t n = pread(fd, buf, len - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
}

/*
 * memtally ksm trial until ksmd runs with the trial's settings, then
 * @signo: its exit status (128 + @signo, or -1 if the signal killed it)
 */
static int trial_killed(const char *dir, int signo, char *err, size_t len,
			void (*meanwhile)(const char *dir))
{
	char outf[] = "/tmp/mt-out.XXXXXX", errf[] = "/tmp/mt-err.XXXXXX";
	int fo = mkstemp(outf), fe = mkstemp(errf), status = -1;
	pid_t pid;

	setenv("MEMTALLY_KSM_DIR", dir, 1);
	pid = spawn_tool(ARGS("ksm", "trial", "--timeout", "30"), fo, fe);
	unsetenv("MEMTALLY_KSM_DIR");
	CHECK(pid > 0);
	CHECK(wait_for(dir, "run", "1\n"));
	if (meanwhile)
		meanwhile(dir);
	if (pid > 0) {
		kill(pid, signo);
		waitpid(pid, &status, 0);
	}
	fd_text(fe, err, len);
	close(fo);
	close(fe);
	unlink(outf);
	unlink(errf);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* SIGHUP and SIGQUIT, like SIGINT and SIGTERM: restored, 128 + the signal */
static void trial_signals(void)
{
	static const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	char dir[] = "/tmp/memtally-ksm.XXXXXX", err[1024];
	size_t i;

	fake_dir(dir);
	for (i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
		CHECK(trial_killed(dir, signals[i], err, sizeof(err), NULL) ==
		      128 + signals[i]);
		CHECK_STR(err, "memtally: interrupted; KSM settings restored\n");
		check_unchanged(dir);
		for (size_t j = 0; j < NR_FAKE; j++)	/* for the next */
			put(dir, fake[j][0], fake[j][1]);
	}
	fake_rm(dir);
}

/* pages_to_scan and sleep_millisecs cannot be written back */
static void break_two(const char *dir)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/pages_to_scan", dir);
	unlink(path);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/sleep_millisecs", dir);
	unlink(path);
	mkdir(path, 0700);
}

/* A write that fails does not keep the others from being restored */
static void trial_restore_each(void)
{
	char dir[] = "/tmp/memtally-ksm.XXXXXX", err[1024], want[1024],
	     path[512];

	fake_dir(dir);
	CHECK(trial_killed(dir, SIGTERM, err, sizeof(err), break_two) ==
	      MT_EXIT_RUNTIME);
	snprintf(want, sizeof(want),
		 "memtally: writing 100 to %s/pages_to_scan: Is a directory\n"
		 "memtally: writing 20 to %s/sleep_millisecs: Is a directory\n",
		 dir, dir);
	CHECK_STR(err, want);
	CHECK_STR(get(dir, "run"), "0\n");
	snprintf(path, sizeof(path), "%s/pages_to_scan", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/sleep_millisecs", dir);
	rmdir(path);
	fake_rm(dir);
}

/*
 * run=2 (unmerge) before: the trial stops ksmd (run=0) and leaves the
 * unmerge, which would undo what the verdict measures, for after it
 */
static void trial_unmerge(void)
{
	char dir[] = "/tmp/memtally-ksm.XXXXXX", out[8192], err[4096];
	struct mt_ksm_trial t = trial_opts(false);

	fake_dir(dir);
	put(dir, "run", "2\n");
	CHECK(mt_ksm_trial(dir, &t, -1) == -ETIMEDOUT);
	CHECK(t.saved.run == 2);
	CHECK_STR(get(dir, "run"), "0\n");
	CHECK_STR(get(dir, "pages_to_scan"), "100\n");
	CHECK_STR(get(dir, "sleep_millisecs"), "20\n");
	CHECK(t.unmerge);
	CHECK(mt_ksm_unmerge(dir, &t) == 0);
	CHECK_STR(get(dir, "run"), "2\n");
	CHECK(!t.unmerge && mt_ksm_unmerge(dir, &t) == 0);

	/* the tool: the numbers, then run=2 */
	setenv("MEMTALLY_KSM_DIR", dir, 1);
	CHECK(tool(out, err, sizeof(out), ARGS("ksm", "trial", "--timeout",
					       "1")) == MT_EXIT_RUNTIME);
	unsetenv("MEMTALLY_KSM_DIR");
	CHECK(strstr(out, "restored: run=2, pages_to_scan=100, sleep_millisecs=20 (unmerged after the numbers below were read)\n"));
	CHECK_STR(get(dir, "run"), "2\n");

	/* interrupted: no verdict, so 2 at once */
	CHECK(trial_killed(dir, SIGTERM, err, sizeof(err), NULL) ==
	      128 + SIGTERM);
	CHECK_STR(get(dir, "run"), "2\n");
	CHECK_STR(get(dir, "pages_to_scan"), "100\n");
	put(dir, "run", "0\n");
	fake_rm(dir);
}

static void put_proc(const char *proc, const char *pid, const char *name,
		     const char *s)
{
	char dir[256];

	snprintf(dir, sizeof(dir), "%.200s/%s", proc, pid);
	mkdir(dir, 0700);
	put(dir, name, s);
}

static void procs(void)
{
	char proc[] = "/tmp/memtally-proc.XXXXXX", cmd[600];
	struct mt_ksm_proc *v;
	size_t n;

	CHECK(mkdtemp(proc) != NULL);
	/* 6.12 */
	put_proc(proc, "123", "ksm_merging_pages", "40\n");
	put_proc(proc, "123", "ksm_stat", "ksm_rmap_items 50\nksm_zero_pages 2\nksm_merging_pages 40\nksm_process_profit -4096\n");
	put_proc(proc, "123", "comm", "qemu-kvm\n");
	put_proc(proc, "123", "cgroup", "0::/machine.slice/vm1\n");
	/* 6.1, no rmap items: left out */
	put_proc(proc, "124", "ksm_merging_pages", "0\n");
	put_proc(proc, "124", "ksm_stat", "ksm_rmap_items 0\n");
	put_proc(proc, "124", "comm", "bash\n");
	/* no ksm files: left out */
	put_proc(proc, "125", "comm", "kthreadd\n");
	put_proc(proc, "self", "ksm_stat", "ksm_rmap_items 5\n");
	CHECK(mt_ksm_procs(proc, &v, &n) == 0);
	CHECK_U64(n, 1);
	if (n == 1) {
		CHECK(v[0].pid == 123 && v[0].merging_pages == 40 &&
		      v[0].rmap_items == 50);
		CHECK(v[0].has_zero_pages && v[0].zero_pages == 2);
		CHECK(v[0].has_profit && v[0].profit == -4096);
		CHECK_STR(v[0].comm, "qemu-kvm");
		CHECK_STR(v[0].cgroup, "/machine.slice/vm1");
	}
	mt_ksm_procs_free(v, n);
	/* 6.1: rmap items only */
	put_proc(proc, "124", "ksm_stat", "ksm_rmap_items 7\n");
	put_proc(proc, "124", "cgroup", "12:pids:/x\n0::/user.slice\n");
	CHECK(mt_ksm_procs(proc, &v, &n) == 0);
	CHECK_U64(n, 2);
	for (size_t i = 0; i < n; i++) {
		if (v[i].pid != 124)
			continue;
		CHECK(v[i].rmap_items == 7 && !v[i].has_zero_pages &&
		      !v[i].has_profit && v[i].merging_pages == 0);
		CHECK_STR(v[i].cgroup, "/user.slice");
	}
	mt_ksm_procs_free(v, n);
	/*
	 * 7.x adds "key: yes|no" lines (ksm_merge_any, ksm_mergeable); a line
	 * of another form anywhere loses nothing after it
	 */
	put_proc(proc, "124", "ksm_stat", "ksm_rmap_items 9\nksm_merge_any: no\nksm_mergeable: yes\nksm_zero_pages 1\nksm_merging_pages 8\nksm_process_profit 4096\n");
	CHECK(mt_ksm_procs(proc, &v, &n) == 0);
	for (size_t i = 0; i < n; i++) {
		if (v[i].pid != 124)
			continue;
		CHECK(v[i].rmap_items == 9 && v[i].has_zero_pages &&
		      v[i].zero_pages == 1 && v[i].has_profit &&
		      v[i].profit == 4096);
	}
	mt_ksm_procs_free(v, n);
	snprintf(cmd, sizeof(cmd), "rm -r %s", proc);
	CHECK(system(cmd) == 0);
}

#define ATTRS(msg) nlmsg_attrdata(nlmsg_hdr(msg), 0), nlmsg_attrlen(nlmsg_hdr(msg), 0)

static void decode_ksm_get(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct mt_ksm k;

	nla_put_u64(msg, MEMTALLY_A_KSM_UPDATED_NS, 5);
	nla_put_u64(msg, MEMTALLY_A_KSM_MERGING_PAGES, 4080);
	nla_put_u32(msg, MEMTALLY_A_KSM_RMAP_ITEMS, 5000);
	nla_put_u64(msg, MEMTALLY_A_KSM_ZERO_PAGES, 3);
	CHECK(mt_ksm_decode(ATTRS(msg), &k) == 0);
	CHECK(k.updated_ns == 5 && k.merging_pages == 4080 &&
	      k.rmap_items == 5000 && k.zero_pages == 3);
	CHECK(!k.has_full_scans);
	nla_put_u64(msg, MEMTALLY_A_KSM_FULL_SCANS, 17);
	CHECK(mt_ksm_decode(ATTRS(msg), &k) == 0);
	CHECK(k.has_full_scans && k.full_scans == 17);
	nlmsg_free(msg);
	msg = nlmsg_alloc();
	nla_put_u64(msg, MEMTALLY_A_KSM_UPDATED_NS, 5);
	nla_put_u64(msg, MEMTALLY_A_KSM_MERGING_PAGES, 4080);
	CHECK(mt_ksm_decode(ATTRS(msg), &k) == -EBADMSG);
	nlmsg_free(msg);
}

static int quiet_ksm(int argc, char **argv, struct ksm_opts *o)
{
	int ret;

	quiet(true);
	ret = ksm_parse(argc, argv, o);
	quiet(false);
	return ret;
}

static void parse_ksm(void)
{
	char *show[] = { "ksm", "-p", "--json", NULL };
	char *trial[] = { "ksm", "trial", "--scans", "3", "--pages-to-scan",
			  "100", "--sleep-ms", "0", "--timeout", "9", "--keep",
			  NULL };
	char *bad1[] = { "ksm", "--keep", NULL };
	char *bad2[] = { "ksm", "trial", "-p", NULL };
	char *bad3[] = { "ksm", "trial", "--timeout", "0", NULL };
	char *bad4[] = { "ksm", "now", NULL };
	struct ksm_opts o = { 0 };

	CHECK(ksm_parse(3, show, &o) == 0);
	CHECK(o.processes && o.json && !o.trial);
	o = (struct ksm_opts){ 0 };
	CHECK(ksm_parse(11, trial, &o) == 0);
	CHECK(o.trial && o.keep && o.scans == 3 && o.pages_to_scan == 100 &&
	      o.sleep_ms == 0 && o.timeout_s == 9 && !o.processes);
	o = (struct ksm_opts){ 0 };
	CHECK(quiet_ksm(2, bad1, &o) == MT_EXIT_USAGE);
	o = (struct ksm_opts){ 0 };
	CHECK(quiet_ksm(3, bad2, &o) == MT_EXIT_USAGE);
	o = (struct ksm_opts){ 0 };
	CHECK(quiet_ksm(4, bad3, &o) == MT_EXIT_USAGE);
	o = (struct ksm_opts){ 0 };
	CHECK(quiet_ksm(2, bad4, &o) == MT_EXIT_USAGE);
}

static void tool_ksm(void)
{
	char dir[] = "/tmp/memtally-ksm.XXXXXX", out[8192], err[4096];
	struct json_object *j, *g, *v;

	CHECK(tool(out, err, sizeof(out), ARGS("ksm", "--help")) == 0);
	CHECK(!strncmp(out, "Usage: memtally ksm [-p|--processes]", 36));
	CHECK(tool(out, err, sizeof(out), ARGS("ksm", "trial", "-h")) == 0);
	CHECK(!strncmp(out, "Usage: memtally ksm trial", 25));
	CHECK(strstr(out, "--pages-to-scan P") && strstr(out, "--keep"));

	setenv("MEMTALLY_KSM_DIR", "/nonexistent/ksm", 1);
	CHECK(tool(out, err, sizeof(out), ARGS("ksm")) == MT_EXIT_RUNTIME);
	CHECK_STR(err, "memtally: KSM is not built into this kernel (CONFIG_KSM)\n");
	CHECK_STR(out, "");
	CHECK(tool(out, err, sizeof(out), ARGS("ksm", "trial")) ==
	      MT_EXIT_RUNTIME);
	CHECK_STR(err, "memtally: KSM is not built into this kernel (CONFIG_KSM)\n");

	fake_dir(dir);
	setenv("MEMTALLY_KSM_DIR", dir, 1);
	CHECK(tool(out, err, sizeof(out), ARGS("ksm")) == 0);
	CHECK(strstr(out, "pages_sharing:      4080\n"));
	CHECK(strstr(out, "dedup ratio:        255.0\n"));
	CHECK(strstr(out, "run:                0 (stopped)\n"));
	CHECK(!strstr(out, "MADV_MERGEABLE"));	/* pages_sharing > 0 */
	CHECK(tool(out, err, sizeof(out), ARGS("-j", "ksm", "-p")) == 0);
	j = json_tokener_parse(out);
	CHECK(j && json_object_object_get_ex(j, "global", &g));
	CHECK(json_object_object_get_ex(g, "saved_bytes", &v) &&
	      json_object_get_uint64(v) ==
	      4080ull * (uint64_t)sysconf(_SC_PAGESIZE));
	CHECK(json_object_object_get_ex(g, "ratio", &v) &&
	      json_object_get_double(v) == 255.0);
	CHECK(json_object_object_get_ex(g, "general_profit", &v) &&
	      json_object_get_int64(v) == -12);
	CHECK(!json_object_object_get_ex(g, "ksm_zero_pages", NULL));
	CHECK(json_object_object_get_ex(j, "module", NULL));
	CHECK(json_object_object_get_ex(j, "cgroups", &v) &&
	      json_object_is_type(v, json_type_array));
	CHECK(json_object_object_get_ex(j, "processes", &v) &&
	      json_object_is_type(v, json_type_array));
	json_object_put(j);

	/* a timed-out trial still reports, and restores */
	CHECK(tool(out, err, sizeof(out), ARGS("ksm", "trial", "--timeout",
					       "1")) == MT_EXIT_RUNTIME);
	CHECK_STR(err, "memtally: timed out after 1 s waiting for 2 full scans (0 done); results so far:\n");
	CHECK(strstr(out, "restored: run=0, pages_to_scan=100, sleep_millisecs=20\n"));
	CHECK(strstr(out, "\nverdict: "));
	check_unchanged(dir);
	unsetenv("MEMTALLY_KSM_DIR");
	fake_rm(dir);
}

void test_ksm(void)
{
	RUN(formulas);
	RUN(verdict_edges);
	RUN(bytes);
	RUN(read_dir);
	RUN(trial_timeout);
	RUN(trial_keep);
	RUN(trial_signal);
	RUN(trial_done);
	RUN(trial_not_root);
	RUN(trial_signals);
	RUN(trial_restore_each);
	RUN(trial_unmerge);
	RUN(procs);
	RUN(decode_ksm_get);
	RUN(parse_ksm);
	RUN(tool_ksm);
}
