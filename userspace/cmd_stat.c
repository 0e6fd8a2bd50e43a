// SPDX-License-Identifier: GPL-2.0
/*
 * memtally stat: run a command in a cgroup of its own, N times, and say
 * what its runs did to memory, like perf stat -r.  Each run gets a fresh
 * cgroup below the parent (the process is born in it: clone3 with
 * CLONE_INTO_CGROUP), so every number is that run's alone; the cgroup is
 * removed after it.  The numbers: the module's counters of the cgroup and
 * those below it, and the changes of its memory.stat event counters,
 * memory.events, memory.pressure totals and cpu.stat times, its
 * memory.peak and the wall time.  stat.c summarizes and prints.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/sched.h>
#include <gsl/gsl_errno.h>
#include <json.h>

#include "cli.h"
#include "cmds.h"
#include "damonnl.h"
#include "nl.h"
#include "procfiles.h"
#include "stat.h"
#include "statcmp.h"
#include "sysfs.h"

static const char stat_usage[] =
"Usage: memtally stat [-r N] [-w K] [-p PATH] [-s FILE=VALUE]...\n"
"                     [--drop-caches] [--compact] [--ksm-off] [-v] [-a]\n"
"                     [-o FILE] [-j] [--] COMMAND [ARG...]\n"
"       memtally stat --compare [-a] [-j] A.json B.json [FILE...]\n"
"\n"
"Run COMMAND N times, each run in a new cgroup below PATH that is removed\n"
"after it, and show what the runs did to memory, like perf stat -r: for\n"
"each metric its mean over the runs, the relative standard deviation of\n"
"the runs (100 * sample standard deviation / mean: perf stat's +- is that\n"
"of the mean, smaller by the square root of N), and its rate per second\n"
"of wall time.  The metrics:\n"
"  run              wall_s (wall time), user_s and system_s (CPU time of\n"
"                   the cgroup, cpu.stat), peak (memory.peak)\n"
"  memtally         the module's counters of the cgroup and of cgroups\n"
"                   the command made below it (none without the module);\n"
"                   NAME_max: the highest of its KSM gauges (and DAMON's,\n"
"                   while bound) in a sample a second as the command runs\n"
"  memory.stat      the changes of its event counters (pgfault,\n"
"                   pgmajfault, pgscan, workingset_refault_anon, ...)\n"
"  memory.events    the changes of high, max, oom, oom_kill, ...\n"
"  memory.pressure  some_s and full_s: seconds stalled (no PSI: none)\n"
"Metrics 0 in every run are left out (--all shows them).  The reclaim\n"
"and compaction stalls of every run together follow: how many a run had,\n"
"and the log2 bucket of the module's histogram that their 50th, 90th and\n"
"99th percentiles and the longest are in.\n"
"\n"
"The cgroups' parent is PATH (default /memtally-stat, made if missing and\n"
"removed after); memtally enables the memory controller there, and the\n"
"controller of each FILE given to --set.  A command that leaves processes\n"
"behind has them killed at the end of its run.  It shares memtally's\n"
"standard output: to keep --json apart from what it prints, send that\n"
"elsewhere or save the runs with -o FILE.  Ctrl-C stops the run,\n"
"removes its cgroup and shows the runs that were done.  Needs root (or a\n"
"PATH delegated to the caller); the module's counters need CAP_PERFMON.\n"
"\n"
"--compare shows files that -o saved side by side: for each metric, A's\n"
"mean and each other file's, its change against A in %, and the p of\n"
"Welch's t-test of the two files' run values (two-sided; * : p < 0.05),\n"
"the most significant first; a warning says where two files differ in\n"
"more than the kernel (command, settings, CPUs, memory, swap, THP, MGLRU).\n"
"\n"
"Options:\n"
"  -r, --repeat N     run N times (default 1)\n"
"  -w, --warmup K     run K times first and leave those runs out\n"
"  -p, --parent PATH  the cgroups' parent (relative to the cgroup2 mount)\n"
"  -s, --set FILE=VALUE\n"
"                     write VALUE to FILE of each run's cgroup before the\n"
"                     command starts (memory.max=512M, cpuset.cpus=0-1)\n"
"      --drop-caches  before each run: sync and drop the page cache, dentries\n"
"                     and inodes (echo 3 > /proc/sys/vm/drop_caches)\n"
"      --compact      before each run: compact all memory\n"
"      --ksm-off      before each run: stop KSM and unmerge its pages\n"
"                     (echo 2 > /sys/kernel/mm/ksm/run; KSM stays off)\n"
"  -v, --verbose      a column per run\n"
"  -a, --all          metrics that were 0 in every run too\n"
"  -o, --output FILE  save the runs as JSON (what --json prints) in FILE\n"
"      --compare      compare files that -o saved (options before them)\n"
"  -j, --json         print a JSON object\n"
"  -h, --help         show this help\n";

#define DEFAULT_PARENT	"/memtally-stat"

enum { OPT_DROP = 256, OPT_COMPACT, OPT_KSM_OFF, OPT_COMPARE };

/* Return: 0, or MT_EXIT_USAGE after reporting the error. */
int stat_parse(int argc, char **argv, struct stat_opts *o)
{
	static const struct option longopts[] = {
		{ "repeat",      required_argument, NULL, 'r' },
		{ "warmup",      required_argument, NULL, 'w' },
		{ "parent",      required_argument, NULL, 'p' },
		{ "set",         required_argument, NULL, 's' },
		{ "drop-caches", no_argument,       NULL, OPT_DROP },
		{ "compact",     no_argument,       NULL, OPT_COMPACT },
		{ "ksm-off",     no_argument,       NULL, OPT_KSM_OFF },
		{ "compare",     no_argument,       NULL, OPT_COMPARE },
		{ "verbose",     no_argument,       NULL, 'v' },
		{ "all",         no_argument,       NULL, 'a' },
		{ "output",      required_argument, NULL, 'o' },
		{ "json",        no_argument,       NULL, 'j' },
		{ "help",        no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *eq;
	int c;

	o->repeat = 1;
	optind = 0;	/* glibc: rescan from argv[1], forgetting earlier calls */
	/* "+": the command's own options are its */
	while ((c = getopt_long(argc, argv, "+:r:w:p:s:vao:jh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'r':
			if (mt_num_arg("stat", "--repeat", optarg, 1, 100000,
				       &o->repeat))
				return MT_EXIT_USAGE;
			break;
		case 'w':
			if (mt_num_arg("stat", "--warmup", optarg, 0, 100000,
				       &o->warmup))
				return MT_EXIT_USAGE;
			break;
		case 'p':
			o->parent = optarg;
			break;
		case 's':
			eq = strchr(optarg, '=');
			if (!eq || eq == optarg || memchr(optarg, '/', eq - optarg) ||
			    optarg[0] == '.')
				return mt_usage_err("stat: --set takes FILE=VALUE, a file of the cgroup (memory.max=512M), not '%s'",
						    optarg);
			if (o->nset == MT_STAT_MAX_SET)
				return mt_usage_err("stat: --set at most %d times",
						    MT_STAT_MAX_SET);
			o->set[o->nset++] = optarg;
			break;
		case OPT_DROP:
			o->drop_caches = true;
			break;
		case OPT_COMPACT:
			o->compact = true;
			break;
		case OPT_KSM_OFF:
			o->ksm_off = true;
			break;
		case OPT_COMPARE:
			o->compare = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'a':
			o->all = true;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			o->help = true;
			break;
		default:
			return mt_getopt_err("stat", c, argv);
		}
	}
	if (o->help)
		return 0;
	if (o->compare) {
		if (o->repeat != 1 || o->warmup || o->parent || o->nset ||
		    o->drop_caches || o->compact || o->ksm_off || o->verbose ||
		    o->output)
			return mt_usage_err("stat: --compare takes only --all and --json");
		if (argc - optind < 2)
			return mt_usage_err("stat: --compare takes two files or more");
		o->argv = argv + optind;
		return 0;
	}
	if (optind == argc)
		return mt_usage_err("stat: no COMMAND to run");
	if (o->parent && o->parent[0] != '/')
		return mt_usage_err("stat: a cgroup path starts with / (the cgroup2 mount)");
	o->argv = argv + optind;
	return 0;
}

/* What a run needs */
struct ctx {
	const struct stat_opts *o;
	char root[PATH_MAX];
	char parent[PATH_MAX];	/* the parent's path, from root */
	char pdir[PATH_MAX];	/* its directory */
	bool made_parent;	/* removed at the end */
	struct mt_nl nl;
	bool module;		/* nl is open and may read */
	bool damon;		/* the module has a DAMON binding */
	int sfd;		/* signalfd */
	sigset_t sigs;		/* what the child unblocks */
	char runs[PATH_MAX];	/* the runs' cgroups: PARENT/run-PID-N */
	char name[PATH_MAX];	/* the run's cgroup path, from root */
	char dir[PATH_MAX];	/* its directory */
};

/* One moment of the run's cgroup */
struct sample {
	char memstat[32768];
	char events[1024];
	char pressure[512];
	char cpu[1024];
	bool has_memstat, has_events, has_pressure, has_cpu;
	bool has_module;
	struct mt_sums mod;
};

static int path_join(char *buf, const char *a, const char *b)
{
	if (snprintf(buf, PATH_MAX, "%s%s", a, strcmp(b, "/") ? b : "") >=
	    PATH_MAX) {
		mt_err("%s%s: path too long", a, b);
		return -1;
	}
	return 0;
}

/*
 * Enable controller @ctl for the children of every cgroup from the root
 * down to the parent.  Prints the error.  Return: 0 or -1.
 */
static int enable_controller(struct ctx *c, const char *ctl)
{
	char dir[PATH_MAX], text[512], plus[64];
	size_t n = strlen(c->root), len = 0;
	const char *slash;
	int err;

	snprintf(plus, sizeof(plus), "+%s", ctl);
	/* the root (len 0), then each cgroup down to the parent */
	for (;;) {
		if (n + len >= sizeof(dir))
			return -1;
		memcpy(dir, c->root, n);
		memcpy(dir + n, c->parent, len);
		dir[n + len] = '\0';
		err = mt_sysfs_read(dir, "cgroup.controllers", text,
				    sizeof(text));
		if (!err && !mt_sysfs_has_word(text, ctl)) {
			mt_err("%s: no %s controller here (cgroup.controllers: %.*s)",
			       len ? dir + n : "/", ctl, (int)strcspn(text, "\n"),
			       text);
			return -1;
		}
		if (!err)
			err = mt_sysfs_read(dir, "cgroup.subtree_control", text,
					    sizeof(text));
		if (!err && !mt_sysfs_has_word(text, ctl))
			err = mt_sysfs_write(dir, "cgroup.subtree_control", plus);
		if (err) {
			mt_err("%s: cannot enable the %s controller for its children: %s%s",
			       len ? dir + n : "/", ctl, strerror(-err),
			       err == -EBUSY ? " (it has processes of its own: give --parent a cgroup without)" : "");
			return -1;
		}
		if (!strcmp(c->parent, "/") || !c->parent[len])
			return 0;
		slash = strchr(c->parent + len + 1, '/');
		len = slash ? (size_t)(slash - c->parent) : strlen(c->parent);
	}
}

/* The parent, made if need be, with the controllers the runs need */
static int parent_ready(struct ctx *c)
{
	const struct stat_opts *o = c->o;
	char ctl[64];
	size_t i, n;

	if (mt_cli_cgroot(c->root, sizeof(c->root)) ||
	    mt_cli_cgroup_canon(c->root, o->parent ? o->parent : "/",
				c->parent, sizeof(c->parent)))
		return -1;
	if (!o->parent) {
		snprintf(c->parent, sizeof(c->parent), DEFAULT_PARENT);
		if (path_join(c->pdir, c->root, c->parent))
			return -1;
		if (!mkdir(c->pdir, 0755))
			c->made_parent = true;
		else if (errno != EEXIST) {
			mt_err("cannot make the cgroup %s: %s%s", c->parent,
			       strerror(errno), errno == EACCES ?
			       " (memtally stat makes cgroups: run it as root, or give --parent a cgroup delegated to you)" : "");
			return -1;
		}
	} else if (path_join(c->pdir, c->root, c->parent)) {
		return -1;
	}
	if (enable_controller(c, "memory"))
		return -1;
	for (i = 0; i < o->nset; i++) {
		n = strcspn(o->set[i], ".=");
		if (n >= sizeof(ctl) || o->set[i][n] != '.')
			continue;
		memcpy(ctl, o->set[i], n);
		ctl[n] = '\0';
		if (strcmp(ctl, "cgroup") && strcmp(ctl, "memory") &&
		    enable_controller(c, ctl))
			return -1;
	}
	return 0;
}

/* The module, if it is there and may be read; one line if not */
static int module_open(struct ctx *c)
{
	struct mt_damon_info info = { 0 };
	struct mt_status st = { 0 };
	int err = mt_nl_connect(&c->nl, MEMTALLY_FAMILY_NAME);

	if (err == -ENOENT) {
		mt_err("the memtally module is not loaded: no memtally metrics (load it with: modprobe memtally)");
		return 0;
	}
	if (err) {
		mt_nl_report(&c->nl, "opening a generic netlink socket", err);
		return -1;
	}
	err = mt_nl_status(&c->nl, &st);
	if (err == -EPERM) {
		mt_err("reading the module's counters needs CAP_PERFMON or CAP_SYS_ADMIN: no memtally metrics");
		mt_nl_close(&c->nl);
		return 0;
	}
	if (err) {
		mt_nl_report(&c->nl, "reading the module's status", err);
		mt_nl_close(&c->nl);
		return -1;
	}
	c->module = true;
	mt_status_free(&st);
	c->damon = !mt_nl_damon_get(&c->nl, &info) && info.b.bound;
	mt_damon_info_free(&info);
	return 0;
}

/* The module's version, for the JSON's system */
static void module_version(struct ctx *c, struct mt_stat_sys *y)
{
	struct mt_status st = { 0 };

	if (c->module && !mt_nl_status(&c->nl, &st)) {
		snprintf(y->module, sizeof(y->module), "%s",
			 st.version ? st.version : "");
		mt_status_free(&st);
	}
}

static void sys_read(struct mt_stat_sys *y)
{
	char text[4096], *a, *b;
	struct utsname u;
	uint64_t v;

	if (!uname(&u)) {
		snprintf(y->kernel, sizeof(y->kernel), "%s", u.release);
		snprintf(y->machine, sizeof(y->machine), "%s", u.machine);
	}
	y->cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (!mt_sysfs_read("/proc", "meminfo", text, sizeof(text))) {
		if (!mt_kv_get(text, "MemTotal", &v))
			y->mem_total = v * 1024;
		if (!mt_kv_get(text, "SwapTotal", &v))
			y->swap_total = v * 1024;
	}
	if (!mt_sysfs_read("/sys/kernel/mm/transparent_hugepage", "enabled",
			   text, sizeof(text)) &&
	    (a = strchr(text, '[')) && (b = strchr(a, ']')))
		snprintf(y->thp, sizeof(y->thp), "%.*s", (int)(b - a - 1),
			 a + 1);
	y->mglru = -1;
	if (!mt_sysfs_read("/sys/kernel/mm/lru_gen", "enabled", text,
			   sizeof(text)))
		y->mglru = strtoul(text, NULL, 0) != 0;
	else if (!access("/sys/kernel/mm", F_OK))
		y->mglru = 0;	/* not built in */
}

/* What --drop-caches, --compact and --ksm-off ask, before a run */
static int prepare(const struct stat_opts *o)
{
	static const struct {
		const char *dir, *name, *val, *opt;
	} steps[] = {
		{ "/proc/sys/vm", "drop_caches", "3", "--drop-caches" },
		{ "/proc/sys/vm", "compact_memory", "1", "--compact" },
		{ "/sys/kernel/mm/ksm", "run", "2", "--ksm-off" },
	};
	bool want[] = { o->drop_caches, o->compact, o->ksm_off };
	size_t i;
	int err;

	if (o->drop_caches)
		sync();
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if (!want[i])
			continue;
		err = mt_sysfs_write(steps[i].dir, steps[i].name, steps[i].val);
		if (err) {
			mt_err("%s: %s/%s: %s%s", steps[i].opt, steps[i].dir,
			       steps[i].name, strerror(-err),
			       err == -ENOENT ? " (not built into this kernel)" :
			       err == -EACCES || err == -EPERM ?
			       " (needs root)" : "");
			return -1;
		}
	}
	return 0;
}

/*
 * Whether row @r is cgroup @id or below it, by the rows' parent ids: a
 * module without ancestor-id sends every cgroup's rows
 */
static bool below(const struct mt_rows *l, const struct mt_cgroup *r,
		  uint64_t id)
{
	size_t depth, j;

	for (depth = 0; r && depth < 256; depth++) {
		if (r->id == id)
			return true;
		for (j = 0; j < l->nr && l->v[j].id != r->parent_id; j++)
			;
		r = j < l->nr && r->parent_id ? &l->v[j] : NULL;
	}
	return false;
}

/* The module's rows of the run's cgroup @id and those below, summed */
static int module_take(struct ctx *c, uint64_t id, bool first,
		       struct mt_sums *sum)
{
	struct mt_rows l = { 0 };
	size_t i, k, b;
	int err;

	memset(sum, 0, sizeof(*sum));
	/* a do request makes the module track a cgroup made just now */
	err = first ? mt_nl_cgroups(&c->nl, &id, &l) :
		      mt_nl_cgroups_below(&c->nl, id, &l);
	if (err) {
		mt_nl_report(&c->nl, "reading the cgroup's counters", err);
		mt_rows_free(&l);
		return -1;
	}
	for (i = 0; i < l.nr; i++) {
		const struct mt_cgroup *r = &l.v[i];

		if (r->removed_ns || !below(&l, r, id))
			continue;
		for (k = 0; k < MT_NR_CGROUP_COUNTERS; k++)
			sum->counters[k] += r->counters[k] +
					    (r->has_gone ? r->gone.counters[k] : 0);
		for (k = 0; k < MT_NR_STALL_KINDS; k++)
			for (b = 0; b < MEMTALLY_HIST_BUCKETS; b++)
				sum->hist[k][b] += r->hist[k][b] +
					(r->has_gone ? r->gone.hist[k][b] : 0);
	}
	mt_rows_free(&l);
	return 0;
}

static int sample_take(struct ctx *c, uint64_t id, bool first,
		       struct sample *s)
{
	s->has_memstat = !mt_sysfs_read(c->dir, "memory.stat", s->memstat,
					sizeof(s->memstat));
	s->has_events = !mt_sysfs_read(c->dir, "memory.events", s->events,
				       sizeof(s->events));
	s->has_pressure = !mt_sysfs_read(c->dir, "memory.pressure",
					 s->pressure, sizeof(s->pressure));
	s->has_cpu = !mt_sysfs_read(c->dir, "cpu.stat", s->cpu,
				    sizeof(s->cpu));
	s->has_module = c->module;
	return c->module ? module_take(c, id, first, &s->mod) : 0;
}

/*
 * The module's gauges of the run's cgroup (KSM, and DAMON's while bound)
 * as the command runs, a sample a second: their highest, as metrics
 * "NAME_max" (a run shorter than a second has none)
 */
struct gauges {
	double max[MT_NR_CGROUP_COUNTERS];
	bool seen;
};

static bool gauge_wanted(const struct ctx *c, size_t k)
{
	return mt_cgroup_counters[k].type == MT_GAUGE ||
	       (c->damon && mt_cgroup_counters[k].type == MT_DAMON_GAUGE);
}

static void gauges_take(struct ctx *c, uint64_t id, struct gauges *g)
{
	struct mt_rows l = { 0 };
	size_t k;

	if (c->module && !mt_nl_cgroups(&c->nl, &id, &l) && l.nr) {
		for (k = 0; k < MT_NR_CGROUP_COUNTERS; k++)
			if (gauge_wanted(c, k) &&
			    (!g->seen || l.v[0].counters[k] > g->max[k]))
				g->max[k] = l.v[0].counters[k];
		g->seen = true;
	}
	mt_rows_free(&l);
}

static int gauges_put(struct ctx *c, struct mt_stat *st,
		      struct mt_stat_run *r, const struct gauges *g)
{
	char name[MT_STAT_NAME];
	size_t k;
	int err = 0;

	for (k = 0; g->seen && !err && k < MT_NR_CGROUP_COUNTERS; k++) {
		if (!gauge_wanted(c, k))
			continue;
		snprintf(name, sizeof(name), "%s_max", mt_cgroup_counters[k].json);
		err = mt_stat_put(st, r, MT_SRC_MODULE, name,
				  mt_cgroup_counters[k].type == MT_DAMON_GAUGE ?
				  MT_UNIT_BYTES : MT_UNIT_LEVEL, g->max[k]);
	}
	if (err)
		mt_err("out of memory");
	return err ? -1 : 0;
}

/* memory.stat's event counters: the rest are sizes */
static bool memstat_event(const char *key)
{
	static const char *const prefixes[] = { "pg", "workingset_", "pswp",
						"zswp", "thp_", "numa_" };
	size_t i;

	if (!strcmp(key, "workingset_nodes"))	/* shadow nodes: a size */
		return false;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(key, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/* The changes of the "key value" lines of @b since @a (events only) */
static int kv_deltas(struct mt_stat *st, struct mt_stat_run *r, int src,
		     const char *a, const char *b)
{
	char key[MT_STAT_NAME];
	const char *line;
	uint64_t va, vb;
	int n, err;

	for (line = b; *line; line += strcspn(line, "\n"), line += !!*line) {
		if (sscanf(line, "%63s %" SCNu64 "%n", key, &vb, &n) != 2)
			continue;
		if (src == MT_SRC_MEMSTAT && !memstat_event(key))
			continue;
		if (mt_kv_get(a, key, &va))
			va = 0;
		err = mt_stat_put(st, r, src, key, MT_UNIT_COUNT,
				  vb >= va ? (double)(vb - va) : 0);
		if (err)
			return err;
	}
	return 0;
}

/* The run's metrics: what changed from @a to @b */
static int run_metrics(struct ctx *c, struct mt_stat *st,
		       struct mt_stat_run *r, const struct sample *a,
		       const struct sample *b, double wall_s)
{
	static const struct { const char *key, *name; } cpu[] = {
		{ "user_usec", "user_s" }, { "system_usec", "system_s" },
	};
	struct mt_psi pa, pb;
	uint64_t va, vb;
	size_t i, k;
	int err;

	err = mt_stat_put(st, r, MT_SRC_RUN, "wall_s", MT_UNIT_SECONDS, wall_s);
	for (i = 0; !err && a->has_cpu && b->has_cpu && i < 2; i++)
		if (!mt_kv_get(a->cpu, cpu[i].key, &va) &&
		    !mt_kv_get(b->cpu, cpu[i].key, &vb))
			err = mt_stat_put(st, r, MT_SRC_RUN, cpu[i].name,
					  MT_UNIT_SECONDS, (vb - va) / 1e6);
	if (!err && !mt_sysfs_read_u64(c->dir, "memory.peak", &vb))
		err = mt_stat_put(st, r, MT_SRC_RUN, "peak", MT_UNIT_BYTES, vb);
	for (i = 0; !err && b->has_module && i < MT_NR_CGROUP_COUNTERS; i++)
		if (mt_cgroup_counters[i].type == MT_CUMULATIVE)
			err = mt_stat_put(st, r, MT_SRC_MODULE,
					  mt_cgroup_counters[i].json,
					  MT_UNIT_COUNT,
					  b->mod.counters[i] - a->mod.counters[i]);
	for (k = 0; b->has_module && k < MT_NR_STALL_KINDS; k++)
		for (i = 0; i < MEMTALLY_HIST_BUCKETS; i++)
			r->hist[k][i] = b->mod.hist[k][i] - a->mod.hist[k][i];
	if (!err && a->has_memstat && b->has_memstat)
		err = kv_deltas(st, r, MT_SRC_MEMSTAT, a->memstat, b->memstat);
	if (!err && a->has_events && b->has_events)
		err = kv_deltas(st, r, MT_SRC_EVENTS, a->events, b->events);
	if (!err && a->has_pressure && b->has_pressure && !mt_psi_parse(a->pressure, &pa) &&
	    !mt_psi_parse(b->pressure, &pb)) {
		if (pb.has_some)
			err = mt_stat_put(st, r, MT_SRC_PSI, "some_s",
					  MT_UNIT_SECONDS,
					  (pb.some_total - pa.some_total) / 1e6);
		if (!err && pb.has_full)
			err = mt_stat_put(st, r, MT_SRC_PSI, "full_s",
					  MT_UNIT_SECONDS,
					  (pb.full_total - pa.full_total) / 1e6);
	}
	if (err)
		mt_err("out of memory");
	return err ? -1 : 0;
}

/* Kill what is left in the run's cgroup and wait (10 s at most) */
static void cgroup_empty(struct ctx *c)
{
	char text[256], procs[8192], *p;
	bool killfile = true;
	int i;

	for (i = 0; i < 1000; i++) {
		if (mt_sysfs_read(c->dir, "cgroup.events", text, sizeof(text)) ||
		    strstr(text, "populated 0"))
			return;
		if (killfile && i == 0)
			killfile = !mt_sysfs_write(c->dir, "cgroup.kill", "1");
		/* before 5.14, no cgroup.kill: its processes, again each time */
		if (!killfile && !mt_sysfs_read(c->dir, "cgroup.procs", procs,
						sizeof(procs)))
			for (p = procs; *p; p += strcspn(p, "\n"), p += !!*p)
				kill(atoi(p), SIGKILL);
		usleep(10000);
	}
}

static int rmdir_one(const char *path, const struct stat *sb, int flag,
		     struct FTW *ftw)
{
	(void)sb;
	if (flag == FTW_DP && ftw->level > 0)
		rmdir(path);
	return 0;
}

/* Remove the run's cgroup and those the command made below it */
static void cgroup_remove(struct ctx *c)
{
	int i, err = 0;

	cgroup_empty(c);
	nftw(c->dir, rmdir_one, 16, FTW_DEPTH | FTW_PHYS);
	/* a cgroup just emptied may be busy for a moment */
	for (i = 0; i < 100; i++) {
		err = rmdir(c->dir) ? errno : 0;
		if (err != EBUSY)
			break;
		usleep(10000);
	}
	if (err && err != ENOENT)
		mt_err("cannot remove the cgroup %s: %s", c->name,
		       strerror(err));
}

/* Makes the run's cgroup and writes the settings.  Prints the error. */
static int cgroup_make(struct ctx *c, unsigned int run, uint64_t *id)
{
	const struct stat_opts *o = c->o;
	char file[PATH_MAX];
	size_t i;
	int err;

	if (snprintf(c->name, sizeof(c->name), "%s/run-%d-%u",
		     strcmp(c->parent, "/") ? c->parent : "", (int)getpid(),
		     run) >= (int)sizeof(c->name) ||
	    path_join(c->dir, c->root, c->name)) {
		mt_err("%s: path too long", c->parent);
		return -1;
	}
	if (mkdir(c->dir, 0755)) {
		mt_err("cannot make the cgroup %s: %s", c->name,
		       strerror(errno));
		return -1;
	}
	for (i = 0; i < o->nset; i++) {
		size_t n = strcspn(o->set[i], "=");

		snprintf(file, sizeof(file), "%.*s", (int)n, o->set[i]);
		err = mt_sysfs_write(c->dir, file, o->set[i] + n + 1);
		if (err) {
			mt_err("--set %s: %s", o->set[i], strerror(-err));
			cgroup_remove(c);
			return -1;
		}
	}
	if (mt_cli_cgroup_id(c->root, c->name, id)) {
		cgroup_remove(c);
		return -1;
	}
	return 0;
}

/*
 * Start the command in the run's cgroup.  @pidfd: its pidfd.  Prints the
 * error.  Return: its pid, or -1 (nothing started).
 */
static pid_t spawn(struct ctx *c, int *pidfd)
{
	struct clone_args a = {
		.flags = CLONE_INTO_CGROUP | CLONE_PIDFD,
		.pidfd = (uintptr_t)pidfd,
		.exit_signal = SIGCHLD,
	};
	int cg = open(c->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int p[2], e = 0;
	pid_t pid;

	if (cg < 0 || pipe2(p, O_CLOEXEC)) {
		mt_err("%s: %s", c->name, strerror(errno));
		if (cg >= 0)
			close(cg);
		return -1;
	}
	a.cgroup = cg;
	fflush(NULL);
	pid = syscall(SYS_clone3, &a, sizeof(a));
	if (pid == 0) {
		sigprocmask(SIG_UNBLOCK, &c->sigs, NULL);
		execvp(c->o->argv[0], c->o->argv);
		e = errno;
		if (write(p[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	e = errno;
	close(cg);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		mt_err("cannot start a process in %s: %s", c->name, strerror(e));
		return -1;
	}
	/* the pipe closes at exec; a number on it is exec's error */
	if (read(p[0], &e, sizeof(e)) == sizeof(e)) {
		close(p[0]);
		waitpid(pid, NULL, 0);
		close(*pidfd);
		mt_err("cannot run %s: %s", c->o->argv[0], strerror(e));
		return -1;
	}
	close(p[0]);
	return pid;
}

/*
 * One run: 1 counted, 0 interrupted (nothing counted), -1 failed (after
 * the error).  @keep: store its numbers in @st.
 */
static int run_one(struct ctx *c, struct mt_stat *st, unsigned int i,
		   bool keep)
{
	static struct sample a, b;	/* 2 x 35 KiB: not on the stack */
	struct gauges g = { .seen = false };
	struct pollfd pf[2];
	struct mt_stat_run *r;
	int pidfd = -1, status, ret = -1, n;
	uint64_t id, t0, t1;
	bool stop = false;
	pid_t pid;

	if (prepare(c->o) || cgroup_make(c, i, &id))
		return -1;
	if (sample_take(c, id, true, &a))
		goto out;
	t0 = mt_now_ns(CLOCK_MONOTONIC);
	pid = spawn(c, &pidfd);
	if (pid < 0)
		goto out;
	pf[0] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
	pf[1] = (struct pollfd){ .fd = c->sfd, .events = POLLIN };
	/* a second at a time, for the gauges */
	while ((n = poll(pf, 2, 1000)) <= 0) {
		if (n < 0 && errno != EINTR)
			break;
		if (!n)
			gauges_take(c, id, &g);
	}
	if (pf[1].revents) {
		/* the terminal sent SIGINT to the command too; maybe not */
		stop = true;
		mt_sysfs_write(c->dir, "cgroup.kill", "1");
		kill(pid, SIGKILL);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	t1 = mt_now_ns(CLOCK_MONOTONIC);
	close(pidfd);
	if (stop) {
		ret = 0;
		goto out;
	}
	cgroup_empty(c);
	if (sample_take(c, id, false, &b))
		goto out;
	ret = 1;
	if (!keep)
		goto out;
	r = mt_stat_run_add(st);
	if (!r) {
		mt_err("out of memory");
		ret = -1;
		goto out;
	}
	r->code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	r->sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	if (run_metrics(c, st, r, &a, &b, (t1 - t0) / 1e9) ||
	    gauges_put(c, st, r, &g))
		ret = -1;
out:
	cgroup_remove(c);
	return ret;
}

/* "PARENT/run-PID-N" into @c->runs, for the output */
static int runs_name(struct ctx *c)
{
	if (snprintf(c->runs, sizeof(c->runs), "%s/run-%d-N",
		     strcmp(c->parent, "/") ? c->parent : "", (int)getpid()) <
	    (int)sizeof(c->runs))
		return 0;
	mt_err("%s: path too long", c->parent);
	return -1;
}

/* stat --compare: the files of o->argv */
static int compare(const struct stat_opts *o)
{
	struct mt_cmp_file f[26] = { 0 };
	struct json_object *j;
	size_t n = 0;
	int ret = MT_EXIT_RUNTIME;

	gsl_set_error_handler_off();	/* a NAN is data, not a reason to abort */
	while (o->argv[n]) {
		if (n == 26) {
			mt_err("stat --compare: 26 files at most");
			goto out;
		}
		if (mt_cmp_load(&f[n], o->argv[n]))
			goto out;
		n++;
	}
	if (o->json) {
		j = mt_cmp_json(f, n, o->all);
		if (j && !mt_json_print(stdout, j))	/* it puts j */
			ret = MT_EXIT_OK;
	} else if (!mt_cmp_print(stdout, f, n, o->all)) {
		ret = MT_EXIT_OK;
	}
out:
	mt_cmp_free(f, n);
	return ret;
}

int cmd_stat(int argc, char **argv, bool json)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct stat_opts o = { .json = json };
	struct ctx c = { .o = &o, .sfd = -1 };
	struct mt_stat st = { 0 };
	struct json_object *j = NULL;
	unsigned int i, total;
	int err, ret = MT_EXIT_RUNTIME;
	size_t k;

	err = stat_parse(argc, argv, &o);
	if (err)
		return err;
	if (o.help) {
		fputs(stat_usage, stdout);
		return MT_EXIT_OK;
	}
	if (o.compare)
		return compare(&o);
	sigemptyset(&c.sigs);
	for (k = 0; k < sizeof(sigs) / sizeof(sigs[0]); k++)
		sigaddset(&c.sigs, sigs[k]);
	if (parent_ready(&c) || module_open(&c))
		goto out;
	c.sfd = mt_signalfd_undo();
	if (c.sfd < 0) {
		mt_err("signalfd: %s", strerror(errno));
		goto out;
	}
	st.argv = o.argv;
	st.set = o.set;
	st.nset = o.nset;
	st.warmup = o.warmup;
	st.planned = o.repeat;
	if (runs_name(&c))
		goto out;
	st.cgroup = c.runs;
	sys_read(&st.sys);
	module_version(&c, &st.sys);
	total = o.warmup + o.repeat;
	for (i = 0; i < total; i++) {
		err = run_one(&c, &st, i, i >= o.warmup);
		if (err < 0)
			goto out;
		if (!err) {
			st.interrupted = true;
			break;
		}
	}
	if (!st.nr) {
		mt_err("interrupted before a run was done");
		goto out;
	}
	if (o.json || o.output) {
		j = mt_stat_json(&st);
		if (!j) {
			mt_err("out of memory");
			goto out;
		}
	}
	if (o.output && mt_write_atomic(o.output, mt_json_writer, j))
		goto out;
	if (o.json) {
		if (mt_json_write(stdout, j))
			goto out;
	} else {
		mt_stat_print(stdout, &st, o.all, o.verbose);
	}
	ret = st.interrupted ? MT_EXIT_RUNTIME : MT_EXIT_OK;
out:
	json_object_put(j);
	mt_stat_free(&st);
	if (c.made_parent)
		rmdir(c.pdir);	/* not if another memtally stat uses it */
	if (c.module)
		mt_nl_close(&c.nl);
	if (c.sfd >= 0)
		close(c.sfd);
	return ret;
}
