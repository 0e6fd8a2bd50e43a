// SPDX-License-Identifier: GPL-2.0
/*
 * memtally ksm: the files of /sys/kernel/mm/ksm (or $MEMTALLY_KSM_DIR) and
 * /proc/PID/ksm_*, what they add up to, and a trial: scan hard for a few
 * full scans, then put the settings back.  Functions that change files
 * print their errors and return -1.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>

#include "cli.h"
#include "ksm.h"
#include "ksmfs.h"
#include "sysfs.h"

#define POLL_MS		100	/* full_scans is read this often */
#define BAR_WIDTH	30

const struct mt_ksm_file_desc mt_ksm_files[MT_NR_KSM_FILES] = {
	[MT_KSM_RUN]			= { "run", false },
	[MT_KSM_PAGES_SHARED]		= { "pages_shared", false },
	[MT_KSM_PAGES_SHARING]		= { "pages_sharing", false },
	[MT_KSM_PAGES_UNSHARED]		= { "pages_unshared", false },
	[MT_KSM_PAGES_VOLATILE]		= { "pages_volatile", false },
	[MT_KSM_FULL_SCANS]		= { "full_scans", false },
	[MT_KSM_GENERAL_PROFIT]		= { "general_profit", true },
	[MT_KSM_ZERO_PAGES]		= { "ksm_zero_pages", true },
	[MT_KSM_PAGES_TO_SCAN]		= { "pages_to_scan", false },
	[MT_KSM_SLEEP_MILLISECS]	= { "sleep_millisecs", false },
	[MT_KSM_MAX_PAGE_SHARING]	= { "max_page_sharing", true },
	[MT_KSM_MERGE_ACROSS_NODES]	= { "merge_across_nodes", true },
	[MT_KSM_USE_ZERO_PAGES]		= { "use_zero_pages", true },
};

/* $MEMTALLY_KSM_DIR, if set, stands for /sys/kernel/mm/ksm. */
const char *mt_ksm_dir(void)
{
	const char *env = getenv("MEMTALLY_KSM_DIR");

	return env ? env : "/sys/kernel/mm/ksm";
}

/* Prints the error.  Return: 0 or -1. */
static int write_i64(const char *dir, const char *name, int64_t v)
{
	char s[32];
	int err;

	snprintf(s, sizeof(s), "%" PRId64 "\n", v);
	err = mt_sysfs_write(dir, name, s);
	if (err)
		mt_err("writing %" PRId64 " to %s/%s: %s", v, dir, name,
		       strerror(-err));
	return err ? -1 : 0;
}

/*
 * Read every file of the KSM directory @dir; the optional ones may be
 * missing.  Prints the error.  Return: 0 or -1.
 */
int mt_ksm_read(const char *dir, struct mt_ksm_sys *s)
{
	int i, err;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < MT_NR_KSM_FILES; i++) {
		err = mt_sysfs_read_i64(dir, mt_ksm_files[i].name, &s->v[i]);
		if (err == -ENOENT && mt_ksm_files[i].optional)
			continue;
		if (err) {
			mt_err("%s/%s: %s", dir, mt_ksm_files[i].name,
			       strerror(-err));
			return -1;
		}
		s->has[i] = true;
	}
	return 0;
}

/*
 * Whether this process may change the settings a trial changes, checked
 * before it changes any.  Prints the error.  Return: 0 or -1.
 */
int mt_ksm_writable(const char *dir)
{
	static const int files[] = {
		MT_KSM_PAGES_TO_SCAN, MT_KSM_SLEEP_MILLISECS, MT_KSM_RUN,
	};
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir,
			 mt_ksm_files[files[i]].name);
		if (!faccessat(AT_FDCWD, path, W_OK, AT_EACCESS))
			continue;
		if (errno == EACCES || errno == EPERM)
			mt_err("ksm trial changes /sys/kernel/mm/ksm and needs root");
		else
			mt_err("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Writes the settings @s, up to the first failure; with @all (a restore,
 * which puts back all it can), every one.  Prints each error.
 * Return: 0 or -1.
 */
static int settings_write(const char *dir, const struct mt_ksm_settings *s,
			  bool all)
{
	int err;

	/* run last: ksmd starts (or stops) with the other settings in place */
	err = write_i64(dir, "pages_to_scan", s->pages_to_scan);
	if (!err || all)
		err |= write_i64(dir, "sleep_millisecs", s->sleep_millisecs);
	if (!err || all)
		err |= write_i64(dir, "run", s->run);
	return err ? -1 : 0;
}

static void bar_print(const struct mt_ksm_trial *t)
{
	uint64_t done = t->done < t->scans ? t->done : t->scans;
	int fill = BAR_WIDTH * done / t->scans;

	fprintf(t->bar, "\r[%.*s%*s] %" PRIu64 "/%" PRIu64 " full scans",
		fill, "##############################", BAR_WIDTH - fill, "",
		done, t->scans);
	fflush(t->bar);
}

/* Wait for t->scans full scans after @start.  Return: 0, -ETIMEDOUT,
 * -EINTR (a signal on @sfd, in t->signo) or -1 (printed). */
static int trial_wait(const char *dir, struct mt_ksm_trial *t, int64_t start,
		      int sfd)
{
	uint64_t now, end = mt_now_ns(CLOCK_MONOTONIC) / 1000000 +
			    t->timeout_s * 1000;
	struct signalfd_siginfo si;
	int64_t scans;
	int err;

	for (;;) {
		err = mt_sysfs_read_i64(dir, "full_scans", &scans);
		if (err) {
			mt_err("%s/full_scans: %s", dir, strerror(-err));
			return -1;
		}
		t->done = scans > start ? scans - start : 0;
		if (t->bar)
			bar_print(t);
		if (t->done >= t->scans)
			return 0;
		now = mt_now_ns(CLOCK_MONOTONIC) / 1000000;
		if (now >= end)
			return -ETIMEDOUT;
		if (mt_signalled(sfd, end - now < POLL_MS ? end - now : POLL_MS)) {
			if (read(sfd, &si, sizeof(si)) == sizeof(si))
				t->signo = si.ssi_signo;
			return -EINTR;
		}
	}
}

/**
 * mt_ksm_trial() - run KSM hard until t->scans more full scans
 * @dir: the KSM directory
 * @sfd: a signalfd of the signals that end it (mt_signalfd_undo()), or -1
 *
 * Saves run, pages_to_scan and sleep_millisecs, sets the trial's settings
 * and run=1, waits, and restores the saved settings (pages_to_scan and
 * sleep_millisecs first, run last; every one, even after a write failed):
 * always after an error or a signal, otherwise unless t->keep.
 *
 * A saved run of 2 (unmerge) is written back as 0 (ksmd stops, the pages
 * stay merged) when the trial ran its course: writing 2 unmerges every
 * page, and the savings the verdict reads with them.  t->unmerge then
 * says that mt_ksm_unmerge() is still to be called, after the verdict's
 * numbers are read.  After an error or a signal, 2 is written at once.
 *
 * Return: 0, -ETIMEDOUT, -EINTR (t->signo) or -1 after printing the error.
 */
int mt_ksm_trial(const char *dir, struct mt_ksm_trial *t, int sfd)
{
	struct mt_ksm_settings trial = {
		.pages_to_scan = t->pages_to_scan,
		.sleep_millisecs = t->sleep_ms,
		.run = 1,
	};
	struct mt_ksm_settings restore;
	struct mt_ksm_sys s;
	int64_t start;
	int ret;

	t->done = 0;
	t->signo = 0;
	t->unmerge = false;
	if (mt_ksm_read(dir, &s))
		return -1;
	t->saved.pages_to_scan = s.v[MT_KSM_PAGES_TO_SCAN];
	t->saved.sleep_millisecs = s.v[MT_KSM_SLEEP_MILLISECS];
	t->saved.run = s.v[MT_KSM_RUN];
	start = s.v[MT_KSM_FULL_SCANS];
	ret = settings_write(dir, &trial, false);
	if (!ret)
		ret = trial_wait(dir, t, start, sfd);
	if (t->bar)
		fputc('\n', t->bar);
	if (t->keep && ret != -1 && ret != -EINTR)
		return ret;
	restore = t->saved;
	if (restore.run == MT_KSM_RUN_UNMERGE && ret != -1 && ret != -EINTR) {
		restore.run = 0;
		t->unmerge = true;
	}
	if (settings_write(dir, &restore, true)) {
		mt_ksm_unmerge(dir, t);	/* no verdict after this */
		return -1;
	}
	return ret;
}

/**
 * mt_ksm_unmerge() - write run=2 if the trial left it for later
 *
 * Prints the error.  Return: 0 or -1.
 */
int mt_ksm_unmerge(const char *dir, struct mt_ksm_trial *t)
{
	if (!t->unmerge)
		return 0;
	t->unmerge = false;
	return write_i64(dir, "run", MT_KSM_RUN_UNMERGE);
}

/* The "name value" lines of a /proc/PID/ksm_stat into @p */
void mt_ksm_stat_parse(FILE *f, struct mt_ksm_proc *p)
{
	char line[128], name[64];
	int64_t v;

	/* "key N" lines; 7.x adds "key: yes|no" ones, which are skipped */
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %" SCNd64, name, &v) != 2)
			continue;
		if (!strcmp(name, "ksm_rmap_items")) {
			p->rmap_items = v;
		} else if (!strcmp(name, "ksm_merging_pages")) {
			p->merging_pages = v;
		} else if (!strcmp(name, "ksm_zero_pages")) {
			p->zero_pages = v;
			p->has_zero_pages = true;
		} else if (!strcmp(name, "ksm_process_profit")) {
			p->profit = v;
			p->has_profit = true;
		}
	}
}

static void ksm_stat_read(const char *piddir, struct mt_ksm_proc *p)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/ksm_stat", piddir);
	f = fopen(path, "re");
	if (!f)
		return;
	mt_ksm_stat_parse(f, p);
	fclose(f);
}

/* The "0::/path" line of a /proc/PID/cgroup, or NULL */
char *mt_proc_cgroup_parse(FILE *f)
{
	char *line = NULL, *cg = NULL;
	size_t cap = 0;
	ssize_t len;

	while (!cg && (len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (!strncmp(line, "0::", 3))
			cg = strdup(line + 3);
	}
	free(line);
	return cg;
}

static char *proc_cgroup(const char *piddir)
{
	char path[PATH_MAX], *cg;
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup", piddir);
	f = fopen(path, "re");
	if (!f)
		return NULL;
	cg = mt_proc_cgroup_parse(f);
	fclose(f);
	return cg;
}

/*
 * The KSM numbers of the process at @piddir (/proc/PID).  Return: 0, or
 * -errno when its ksm_merging_pages cannot be read (gone, no access, or
 * a kernel before 5.19).
 */
int mt_ksm_proc_read(const char *piddir, struct mt_ksm_proc *p)
{
	char path[PATH_MAX];
	int64_t merging;
	FILE *f;
	int err;

	memset(p, 0, sizeof(*p));
	p->pid = atoi(strrchr(piddir, '/') ? strrchr(piddir, '/') + 1 : piddir);
	err = mt_sysfs_read_i64(piddir, "ksm_merging_pages", &merging);
	if (err)
		return err;
	p->merging_pages = merging;
	ksm_stat_read(piddir, p);
	snprintf(path, sizeof(path), "%s/comm", piddir);
	f = fopen(path, "re");
	if (f) {
		if (fgets(p->comm, sizeof(p->comm), f))
			p->comm[strcspn(p->comm, "\n")] = '\0';
		fclose(f);
	}
	p->cgroup = proc_cgroup(piddir);
	return 0;
}

/*
 * The processes under @proc (/proc) with KSM rmap items, in no order.
 * Return: 0 or -errno.
 */
int mt_ksm_procs(const char *proc, struct mt_ksm_proc **v, size_t *n)
{
	char path[PATH_MAX];
	struct mt_ksm_proc p, *nv;
	struct dirent *de;
	size_t cap = 0;
	DIR *d;

	*v = NULL;
	*n = 0;
	d = opendir(proc);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "%s/%s", proc, de->d_name);
		if (mt_ksm_proc_read(path, &p))
			continue;
		if (!p.rmap_items) {
			free(p.cgroup);
			continue;
		}
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			nv = realloc(*v, cap * sizeof(**v));
			if (!nv) {
				free(p.cgroup);
				closedir(d);
				mt_ksm_procs_free(*v, *n);
				return -ENOMEM;
			}
			*v = nv;
		}
		(*v)[(*n)++] = p;
	}
	closedir(d);
	return 0;
}

void mt_ksm_procs_free(struct mt_ksm_proc *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].cgroup);
	free(v);
}
