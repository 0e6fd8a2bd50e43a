// SPDX-License-Identifier: GPL-2.0
/*
 * memtally damon: DAMON's sysfs interface, under a root that is
 * /sys/kernel/mm/damon (or $MEMTALLY_DAMON_DIR, a fake tree of a test).
 *
 * A write to admin/kdamonds/nr_kdamonds fails with EBUSY while any kdamond
 * runs, and otherwise removes every kdamond directory and makes new, empty
 * ones (nr_contexts, nr_targets, nr_schemes... do the same one level
 * down).  So memtally adds its kdamond only when there is none: any other
 * one, on or off, would lose its configuration.
 *
 * Functions that print report one line; a failed start is undone first.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "damonfs.h"
#include "sysfs.h"

#define KD_LEN		1024	/* a kdamond directory */
#define CTX_LEN		2048	/* its context or scheme; PATH_MAX below */

#define ROOT_ONLY	"memtally damon needs root (DAMON's sysfs files are root's only)"

/* $MEMTALLY_DAMON_DIR, if set, stands for /sys/kernel/mm/damon. */
const char *mt_damon_dir(void)
{
	const char *env = getenv("MEMTALLY_DAMON_DIR");

	return env ? env : MT_DAMON_DIR;
}

/* $MEMTALLY_RUNDIR, if set, stands for /run/memtally. */
const char *mt_damon_rundir(void)
{
	const char *env = getenv("MEMTALLY_RUNDIR");

	return env ? env : MT_RUNDIR;
}

static void write_err(const char *dir, const char *name, const char *s,
		      int err)
{
	if (err == -EACCES || err == -EPERM)
		mt_err(ROOT_ONLY);
	else
		mt_err("writing %s to %s/%s: %s", s, dir, name, strerror(-err));
}

/* Writes printf(@fmt, ...) to @dir/@name.  Prints the error.  0 or -1. */
static int setf(const char *dir, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int setf(const char *dir, const char *name, const char *fmt, ...)
{
	char s[PATH_MAX];
	va_list ap;
	int err;

	va_start(ap, fmt);
	vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	err = mt_sysfs_write(dir, name, s);
	if (err)
		write_err(dir, name, s, err);
	return err ? -1 : 0;
}

static void kd_dir(char *buf, size_t len, const char *root, int index)
{
	snprintf(buf, len, "%s/admin/kdamonds/%d", root, index);
}

/*
 * Whether DAMON and its sysfs interface are there.  Prints the error.
 * Return: 0 or -1.
 */
int mt_damon_check(const char *root)
{
	char path[PATH_MAX];
	struct stat st;

	if (stat(root, &st)) {
		if (errno == ENOENT)
			mt_err("DAMON is not built into this kernel (CONFIG_DAMON); Debian's bookworm-backports 6.12 kernel has it");
		else
			mt_err("%s: %s", root, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/admin/kdamonds", root);
	if (stat(path, &st)) {
		if (errno == ENOENT)
			mt_err("DAMON has no sysfs interface in this kernel (CONFIG_DAMON_SYSFS)");
		else
			mt_err("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* The number of kdamond directories.  Prints the error.  0 or -1. */
int mt_damon_nr(const char *root, int *nr)
{
	char dir[PATH_MAX];
	int64_t v;
	int err;

	snprintf(dir, sizeof(dir), "%s/admin/kdamonds", root);
	err = mt_sysfs_read_i64(dir, "nr_kdamonds", &v);
	if (err == -EACCES || err == -EPERM)
		mt_err(ROOT_ONLY);
	else if (err)
		mt_err("%s/nr_kdamonds: %s", dir, strerror(-err));
	*nr = v;
	return err ? -1 : 0;
}

/* The kernel has the operations @ops (avail_operations is 5.19+). */
static int ops_check(const char *ctx, const char *ops)
{
	char avail[256];

	if (mt_sysfs_read(ctx, "avail_operations", avail, sizeof(avail)))
		return 0;
	if (mt_sysfs_has_word(avail, ops))
		return 0;
	mt_err("DAMON in this kernel has no %s operations (CONFIG_DAMON_%s)",
	       ops, strcmp(ops, "paddr") ? "VADDR" : "PADDR");
	return -1;
}

/* The targets of context @ctx: one region for paddr, a pid each for vaddr */
static int targets_set(const char *ctx, const struct mt_damon_cfg *c)
{
	char dir[PATH_MAX];
	size_t i;

	if (setf(ctx, "targets/nr_targets", "%zu", c->vaddr ? c->nr_pids : 1))
		return -1;
	if (c->vaddr) {
		for (i = 0; i < c->nr_pids; i++) {
			snprintf(dir, sizeof(dir), "%s/targets/%zu", ctx, i);
			if (setf(dir, "pid_target", "%" PRIu32, c->pids[i]))
				return -1;
		}
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s/targets/0/regions", ctx);
	return setf(dir, "nr_regions", "1") ||
	       setf(dir, "0/start", "%" PRIu64, c->start) ||
	       setf(dir, "0/end", "%" PRIu64, c->end) ? -1 : 0;
}

/* One context of the kdamond at @kd, as @c says.  Prints the error. */
static int context_set(const char *kd, const struct mt_damon_cfg *c)
{
	const char *ops = c->vaddr ? "vaddr" : "paddr";
	char ctx[CTX_LEN];

	snprintf(ctx, sizeof(ctx), "%s/contexts/0", kd);
	if (setf(kd, "contexts/nr_contexts", "1") || ops_check(ctx, ops) ||
	    setf(ctx, "operations", "%s", ops) ||
	    setf(ctx, "monitoring_attrs/intervals/sample_us", "%" PRIu64,
		 c->sample_us) ||
	    setf(ctx, "monitoring_attrs/intervals/aggr_us", "%" PRIu64,
		 c->aggr_us) ||
	    setf(ctx, "monitoring_attrs/intervals/update_us", "%" PRIu64,
		 c->update_us) ||
	    setf(ctx, "monitoring_attrs/nr_regions/min", "%" PRIu64,
		 c->min_regions) ||
	    setf(ctx, "monitoring_attrs/nr_regions/max", "%" PRIu64,
		 c->max_regions))
		return -1;
	return targets_set(ctx, c);
}

/* "kdamond N exists (on, pid P)": why memtally adds none */
static void foreign_report(const char *root, int nr)
{
	struct mt_kdamond k;
	char what[64] = "off";

	if (!mt_damon_kdamond(root, 0, &k) && k.on)
		snprintf(what, sizeof(what), "on, pid %d", k.pid);
	mt_err("kdamond 0 (%s)%s is not memtally's: adding a kdamond would reset it, so nothing was changed",
	       what, nr > 1 ? " and others" : "");
}

/*
 * Whether there is no kdamond, so that one can be added without resetting
 * another.  Prints the error or whose kdamond is there.  Return: 0 or -1.
 */
int mt_damon_none(const char *root)
{
	int nr;

	if (mt_damon_nr(root, &nr))
		return -1;
	if (nr > 0) {
		foreign_report(root, nr);
		return -1;
	}
	return 0;
}

/* Put back what a failed start did, quietly: its error is printed. */
static void start_undo(const char *root, const char *kd, bool on)
{
	char dir[PATH_MAX];

	if (on)
		mt_sysfs_write(kd, "state", "off");
	snprintf(dir, sizeof(dir), "%s/admin/kdamonds", root);
	mt_sysfs_write(dir, "nr_kdamonds", "0");
}

/*
 * The kernel's own DAMON modules that run DAMON exclusively when enabled:
 * while one does, no other kdamond starts (EBUSY).  Debian's 7.x kernels
 * start DAMON_STAT at boot.
 */
static const char *const exclusive_modules[] = {
	"damon_stat", "damon_reclaim", "damon_lru_sort",
};

/* The first of them that is enabled, or NULL */
static const char *exclusive_user(void)
{
	char path[PATH_MAX], v[8];

	for (size_t i = 0; i < sizeof(exclusive_modules) / sizeof(*exclusive_modules); i++) {
		snprintf(path, sizeof(path), "/sys/module/%s/parameters",
			 exclusive_modules[i]);
		if (!mt_sysfs_read(path, "enabled", v, sizeof(v)) && v[0] == 'Y')
			return exclusive_modules[i];
	}
	return NULL;
}

/* Turn the configured kdamond at @kd on and read its pid. */
static int turn_on(const char *kd, int index, int *pid)
{
	const char *excl;
	int64_t v;
	int err;

	err = mt_sysfs_write(kd, "state", "on");
	if (err == -EBUSY && (excl = exclusive_user())) {
		mt_err("turning kdamond %d on: the kernel's %s runs DAMON exclusively (stop it: echo N > /sys/module/%s/parameters/enabled)",
		       index, excl, excl);
		return -1;
	}
	if (err) {
		mt_err("turning kdamond %d on: %s", index, strerror(-err));
		return -1;
	}
	err = mt_sysfs_read_i64(kd, "pid", &v);
	if (!err && v <= 0)
		err = -ESRCH;
	if (err) {
		mt_err("kdamond %d: no pid after it was turned on: %s", index,
		       strerror(-err));
		return 1;	/* on, to be turned off */
	}
	*pid = v;
	return 0;
}

/**
 * mt_damon_start() - add a kdamond, configure it as @c says, turn it on
 * @root: the DAMON directory
 * @index: its index under admin/kdamonds
 * @pid: its thread's pid
 *
 * Only when there is no kdamond (see the top of this file).  After a
 * failure, nr_kdamonds is back to 0.  Prints the error.  Return: 0 or -1.
 */
int mt_damon_start(const char *root, const struct mt_damon_cfg *c,
		   int *index, int *pid)
{
	char dir[PATH_MAX], kd[KD_LEN];
	int err;

	if (mt_damon_none(root))
		return -1;
	snprintf(dir, sizeof(dir), "%s/admin/kdamonds", root);
	err = mt_sysfs_write(dir, "nr_kdamonds", "1");
	if (err) {
		write_err(dir, "nr_kdamonds", "1", err);
		return -1;
	}
	*index = 0;
	kd_dir(kd, sizeof(kd), root, 0);
	if (context_set(kd, c)) {
		start_undo(root, kd, false);
		return -1;
	}
	err = turn_on(kd, 0, pid);
	if (err) {
		start_undo(root, kd, err > 0);
		return -1;
	}
	return 0;
}

/**
 * mt_damon_stop() - turn memtally's kdamond off and remove it
 * @removed: set if its directory went (it is the only kdamond); else it
 *	stays, off, since removing it would reset the others
 *
 * Prints the error.  Return: 0 or -1.
 */
int mt_damon_stop(const char *root, const struct mt_damon_state *st,
		  bool *removed)
{
	char dir[PATH_MAX], kd[KD_LEN], state[16];
	int nr, err;

	*removed = false;
	kd_dir(kd, sizeof(kd), root, st->kdamond);
	err = mt_sysfs_read(kd, "state", state, sizeof(state));
	if (!err && !strcmp(state, "on"))
		err = mt_sysfs_write(kd, "state", "off");
	if (err == -EACCES || err == -EPERM) {
		mt_err(ROOT_ONLY);
		return -1;
	}
	if (err) {
		mt_err("turning kdamond %d off: %s", st->kdamond,
		       strerror(-err));
		return -1;
	}
	if (mt_damon_nr(root, &nr))
		return -1;
	if (nr != 1 || st->kdamond != 0)
		return 0;
	snprintf(dir, sizeof(dir), "%s/admin/kdamonds", root);
	err = mt_sysfs_write(dir, "nr_kdamonds", "0");
	if (err) {
		write_err(dir, "nr_kdamonds", "0", err);
		return -1;
	}
	*removed = true;
	return 0;
}

/* The first target of context @ctx */
static void target_read(const char *ctx, struct mt_kdamond *k)
{
	char dir[PATH_MAX];
	uint64_t nr = 0;

	snprintf(dir, sizeof(dir), "%s/targets/0", ctx);
	if (mt_sysfs_read_i64(dir, "pid_target", &k->pid_target))
		k->pid_target = -1;
	if (!mt_sysfs_read_u64(dir, "regions/nr_regions", &nr) && nr) {
		mt_sysfs_read_u64(dir, "regions/0/start", &k->start);
		mt_sysfs_read_u64(dir, "regions/0/end", &k->end);
	}
}

/*
 * What the files of kdamond @index say; those of its context may be
 * missing.  Prints the error.  Return: 0 or -1.
 */
int mt_damon_kdamond(const char *root, int index, struct mt_kdamond *k)
{
	char kd[KD_LEN], ctx[CTX_LEN], state[16];
	int64_t v = -1;
	int err;

	memset(k, 0, sizeof(*k));
	k->index = index;
	k->pid_target = -1;
	kd_dir(kd, sizeof(kd), root, index);
	err = mt_sysfs_read(kd, "state", state, sizeof(state));
	if (!err)
		err = mt_sysfs_read_i64(kd, "pid", &v);
	if (err == -EACCES || err == -EPERM) {
		mt_err(ROOT_ONLY);
		return -1;
	}
	if (err) {
		mt_err("%s: %s", kd, strerror(-err));
		return -1;
	}
	k->on = !strcmp(state, "on");
	k->pid = v;
	if (mt_sysfs_read_i64(kd, "contexts/nr_contexts", &v) || v < 1)
		return 0;
	snprintf(ctx, sizeof(ctx), "%s/contexts/0", kd);
	mt_sysfs_read(ctx, "operations", k->ops, sizeof(k->ops));
	mt_sysfs_read_u64(ctx, "monitoring_attrs/intervals/sample_us", &k->sample_us);
	mt_sysfs_read_u64(ctx, "monitoring_attrs/intervals/aggr_us", &k->aggr_us);
	mt_sysfs_read_u64(ctx, "monitoring_attrs/intervals/update_us", &k->update_us);
	mt_sysfs_read_u64(ctx, "monitoring_attrs/nr_regions/min", &k->min_regions);
	mt_sysfs_read_u64(ctx, "monitoring_attrs/nr_regions/max", &k->max_regions);
	mt_sysfs_read_i64(ctx, "targets/nr_targets", &k->nr_targets);
	mt_sysfs_read_i64(ctx, "schemes/nr_schemes", &k->nr_schemes);
	if (k->nr_targets > 0)
		target_read(ctx, k);
	return 0;
}

/*
 * Whether @k is the kdamond of the state file: its thread, or, when it
 * is off, its operations and intervals.
 */
bool mt_damon_owned(const struct mt_kdamond *k,
		    const struct mt_damon_state *st)
{
	if (k->index != st->kdamond)
		return false;
	if (k->on)
		return k->pid == st->pid;
	return !strcmp(k->ops, st->vaddr ? "vaddr" : "paddr") &&
	       k->sample_us == st->sample_us && k->aggr_us == st->aggr_us;
}

/* "commit" the context's files to the running kdamond @kd */
static int commit(const char *kd, int index)
{
	int err = mt_sysfs_write(kd, "state", "commit");

	if (err)
		mt_err("applying the scheme to kdamond %d (commit): %s", index,
		       strerror(-err));
	return err ? -1 : 0;
}

/*
 * A memcg filter on scheme @sch: matching=N, because in these kernels
 * (6.3 to 6.13) a filter excludes the memory it matches, so excluding
 * what is not the cgroup's leaves only the cgroup's.  6.14 added "allow",
 * whose default (N, exclude) keeps that meaning.
 */
static int filter_set(const char *sch, const char *memcg)
{
	char dir[PATH_MAX];
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/filters", sch);
	if (stat(dir, &st)) {
		mt_err("--cgroup needs DAMOS filters, which this kernel lacks (Linux 6.3 and later)");
		return -1;
	}
	return setf(dir, "nr_filters", "1") ||
	       setf(dir, "0/type", "memcg") ||
	       setf(dir, "0/memcg_path", "%s", memcg) ||
	       setf(dir, "0/matching", "N") ? -1 : 0;
}

/*
 * The scheme's access pattern: regions of at least s->min_size bytes,
 * not accessed (nr_accesses 0..0) for at least s->min_age aggregations.
 * Each range is 0..0 in a new scheme directory.
 */
static int pattern_set(const char *sch, const struct mt_damos *s)
{
	char ap[PATH_MAX];

	snprintf(ap, sizeof(ap), "%s/access_pattern", sch);
	return setf(ap, "sz/min", "%" PRIu64, s->min_size) ||
	       setf(ap, "sz/max", "%lu", ULONG_MAX) ||
	       setf(ap, "nr_accesses/min", "0") ||
	       setf(ap, "nr_accesses/max", "0") ||
	       setf(ap, "age/min", "%" PRIu64, s->min_age) ||
	       setf(ap, "age/max", "%u", UINT_MAX) ? -1 : 0;
}

/**
 * mt_damon_scheme_set() - one pageout scheme in kdamond @index's context
 *
 * It replaces whatever schemes the context had, and is committed to the
 * running kdamond.  After a failure the context has none.  Prints the
 * error.  Return: 0 or -1.
 */
int mt_damon_scheme_set(const char *root, int index, const struct mt_damos *s)
{
	char kd[KD_LEN], schemes[CTX_LEN], sch[CTX_LEN];

	kd_dir(kd, sizeof(kd), root, index);
	snprintf(schemes, sizeof(schemes), "%s/contexts/0/schemes", kd);
	snprintf(sch, sizeof(sch), "%s/contexts/0/schemes/0", kd);
	if (setf(schemes, "nr_schemes", "1"))
		return -1;
	if (setf(sch, "action", "pageout") || pattern_set(sch, s) ||
	    (s->memcg && filter_set(sch, s->memcg)) || commit(kd, index)) {
		mt_sysfs_write(schemes, "nr_schemes", "0");
		mt_sysfs_write(kd, "state", "commit");
		return -1;
	}
	return 0;
}

/* Remove the schemes of kdamond @index.  Prints the error.  0 or -1. */
int mt_damon_scheme_off(const char *root, int index)
{
	char kd[KD_LEN], state[16];

	kd_dir(kd, sizeof(kd), root, index);
	if (setf(kd, "contexts/0/schemes/nr_schemes", "0"))
		return -1;
	if (mt_sysfs_read(kd, "state", state, sizeof(state)) || strcmp(state, "on"))
		return 0;
	return commit(kd, index);
}

static int stats_read(const char *sch, struct mt_damos_stats *st)
{
	char dir[PATH_MAX];
	uint64_t nr = 0;

	mt_sysfs_read(sch, "action", st->action, sizeof(st->action));
	snprintf(dir, sizeof(dir), "%s/access_pattern", sch);
	mt_sysfs_read_u64(dir, "sz/min", &st->min_size);
	mt_sysfs_read_u64(dir, "age/min", &st->min_age);
	snprintf(dir, sizeof(dir), "%s/filters", sch);
	if (!mt_sysfs_read_u64(dir, "nr_filters", &nr) && nr)
		mt_sysfs_read(dir, "0/memcg_path", st->memcg, sizeof(st->memcg));
	snprintf(dir, sizeof(dir), "%s/stats", sch);
	return mt_sysfs_read_u64(dir, "nr_tried", &st->nr_tried) ||
	       mt_sysfs_read_u64(dir, "sz_tried", &st->sz_tried) ||
	       mt_sysfs_read_u64(dir, "nr_applied", &st->nr_applied) ||
	       mt_sysfs_read_u64(dir, "sz_applied", &st->sz_applied);
}

/**
 * mt_damon_scheme_stats() - the first scheme of kdamond @index and its stats
 *
 * The stats files change only on "update_schemes_stats", written first if
 * the kdamond is on.  st->action is "" without a scheme.  Prints the
 * error.  Return: 0 or -1.
 */
int mt_damon_scheme_stats(const char *root, int index,
			  struct mt_damos_stats *st)
{
	char kd[KD_LEN], sch[CTX_LEN], state[16];
	int64_t nr = 0;
	int err;

	memset(st, 0, sizeof(*st));
	kd_dir(kd, sizeof(kd), root, index);
	if (mt_sysfs_read_i64(kd, "contexts/0/schemes/nr_schemes", &nr) || nr < 1)
		return 0;
	if (!mt_sysfs_read(kd, "state", state, sizeof(state)) && !strcmp(state, "on")) {
		err = mt_sysfs_write(kd, "state", "update_schemes_stats");
		if (err) {
			mt_err("updating the scheme stats of kdamond %d: %s",
			       index, strerror(-err));
			return -1;
		}
	}
	snprintf(sch, sizeof(sch), "%s/contexts/0/schemes/0", kd);
	if (stats_read(sch, st)) {
		mt_err("%s/stats: cannot read them", sch);
		return -1;
	}
	return 0;
}

/* mt_iomem_ram() of the open file @f */
int mt_iomem_ram_parse(FILE *f, uint64_t *start, uint64_t *end)
{
	uint64_t s, e, best = 0;
	char *line = NULL, *p;
	bool found = false;
	size_t cap = 0;
	int n;

	while (getline(&line, &cap, f) > 0) {
		p = line + strspn(line, " ");
		n = 0;
		if (sscanf(p, "%" SCNx64 "-%" SCNx64 " : %n", &s, &e, &n) != 2 ||
		    !n || e < s || e == UINT64_MAX)	/* no exclusive end */
			continue;
		p[n + strcspn(p + n, "\n")] = '\0';
		if (strcmp(p + n, "System RAM"))
			continue;
		if (!found || e - s > best) {
			best = e - s;
			*start = s;
			*end = e + 1;
		}
		found = true;
	}
	free(line);
	if (!found)
		return -ENOENT;
	return *end == 1 ? -EACCES : 0;
}

/*
 * The largest "System RAM" range of /proc/iomem at @path, its end made
 * exclusive as DAMON wants it.  Return: 0, -ENOENT (none), -EACCES (the
 * addresses are all 0: only root sees them), or -errno.
 */
int mt_iomem_ram(const char *path, uint64_t *start, uint64_t *end)
{
	FILE *f = fopen(path, "re");
	int err;

	if (!f)
		return -errno;
	err = mt_iomem_ram_parse(f, start, end);
	fclose(f);
	return err;
}

/* Into @rundir/damon, whole or not at all.  Return: 0 or -errno. */
int mt_damon_state_write(const char *rundir, const struct mt_damon_state *st)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	FILE *f;
	int err = 0;

	if (mkdir(rundir, 0755) && errno != EEXIST)
		return -errno;
	snprintf(path, sizeof(path), "%s/damon", rundir);
	snprintf(tmp, sizeof(tmp), "%s/damon.new", rundir);
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	fprintf(f, "kdamond %d\npid %d\nops %s\nsample_us %" PRIu64
		"\naggr_us %" PRIu64 "\ntargets %" PRIu64 "\n", st->kdamond,
		st->pid, st->vaddr ? "vaddr" : "paddr", st->sample_us,
		st->aggr_us, st->nr_targets);
	if (fclose(f))
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

/*
 * The state file, open as @f.  Return: 0, -EBADMSG (a key missing), or
 * -ERANGE: aggr_us is not what memtally damon start sets (1 to
 * UINT32_MAX), which would divide by 0 or overflow.
 */
int mt_damon_state_parse(FILE *f, struct mt_damon_state *st)
{
	char key[32], val[32];
	unsigned int seen = 0;

	memset(st, 0, sizeof(*st));
	while (fscanf(f, "%31s %31s", key, val) == 2) {
		if (!strcmp(key, "kdamond")) {
			st->kdamond = atoi(val);
			seen |= 1;
		} else if (!strcmp(key, "pid")) {
			st->pid = atoi(val);
			seen |= 2;
		} else if (!strcmp(key, "ops")) {
			st->vaddr = !strcmp(val, "vaddr");
			seen |= 4;
		} else if (!strcmp(key, "sample_us")) {
			st->sample_us = strtoull(val, NULL, 10);
			seen |= 8;
		} else if (!strcmp(key, "aggr_us")) {
			st->aggr_us = strtoull(val, NULL, 10);
			seen |= 16;
		} else if (!strcmp(key, "targets")) {
			st->nr_targets = strtoull(val, NULL, 10);
		}
	}
	if (seen != 31)
		return -EBADMSG;
	return st->aggr_us && st->aggr_us <= UINT32_MAX ? 0 : -ERANGE;
}

/*
 * Return: 0, -ENOENT (memtally started nothing), -EBADMSG, -ERANGE (see
 * mt_damon_state_parse()) or -errno.
 */
int mt_damon_state_read(const char *rundir, struct mt_damon_state *st)
{
	char path[PATH_MAX];
	FILE *f;
	int err;

	memset(st, 0, sizeof(*st));
	snprintf(path, sizeof(path), "%s/damon", rundir);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	err = mt_damon_state_parse(f, st);
	fclose(f);
	return err;
}

int mt_damon_state_rm(const char *rundir)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/damon", rundir);
	return unlink(path) && errno != ENOENT ? -errno : 0;
}
