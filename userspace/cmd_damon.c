// SPDX-License-Identifier: GPL-2.0
/*
 * memtally damon: start a kdamond through DAMON's sysfs interface and bind
 * the module to it, stop it, show it, and give it a pageout scheme.  Only
 * what memtally started (the state file says which) is ever changed.
 */
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <json.h>
#include <linux/memtally.h>

#include "cli.h"
#include "cmds.h"
#include "damonfs.h"
#include "damonnl.h"
#include "ksm.h"
#include "nl.h"

#define STR_(x)	#x
#define STR(x)	STR_(x)

/* The subcommands; the Usage lines of --help are made from them */
static const struct mt_subcmd damon_cmds[] = {
	{ .name = "status", .args = "[-j]", .id = MT_DAMON_STATUS,
	  .dflt = true },
	{ .name = "start", .id = MT_DAMON_START,
	  .args = "[--paddr | --pid PID... | --cgroup PATH]\n"
		  "[--sample-us N] [--aggr-us N] [--update-us N]\n"
		  "[--min-regions N] [--max-regions N]\n"
		  "[--wss-ring K] [--region-ring M] [-j]" },
	{ .name = "stop", .args = "[-j]", .id = MT_DAMON_STOP },
	{ .name = "scheme", .id = MT_DAMON_SCHEME,
	  .args = "[pageout --min-age DUR [--min-size SIZE]\n"
		  "[--cgroup PATH] | off] [-j]" },
	{ .name = "scheme pageout", .id = MT_DAMON_PAGEOUT },
	{ .name = "scheme off", .id = MT_DAMON_SCHEME_OFF },
};

#define NR_DAMON_CMDS	(sizeof(damon_cmds) / sizeof(damon_cmds[0]))

static const char damon_usage[] =
"\n"
"Drive DAMON through /sys/kernel/mm/damon/admin for the memtally module.\n"
"start adds a kdamond, only when there is no other (adding one would reset\n"
"the others), turns it on and binds the module to it; stop turns it off,\n"
"removes it and unbinds the module; status shows every kdamond, the\n"
"module's binding and the scheme; scheme pageout pages out memory that\n"
"was not accessed for DUR.  All but status --help need root.\n"
"\n"
"Options of start:\n"
"      --paddr            physical memory, the largest System RAM range of\n"
"                         /proc/iomem (the default)\n"
"      --pid PID          the address space of process PID; repeatable\n"
"      --cgroup PATH      the processes of cgroup PATH and its descendants\n"
"                         (at most " STR(MEMTALLY_DAMON_MAX_TARGETS) ", as --pid)\n"
"      --sample-us N      sampling interval (default 5000)\n"
"      --aggr-us N        aggregation interval (default 100000)\n"
"      --update-us N      operations update interval (default 1000000)\n"
"      --min-regions N    (default 10, at least 3)\n"
"      --max-regions N    (default 1000)\n"
"      --wss-ring K       working set samples the module keeps per cgroup\n"
"                         (at most " STR(MEMTALLY_DAMON_WSS_RING_MAX) ")\n"
"      --region-ring M    region snapshots the module keeps (at most "
STR(MEMTALLY_DAMON_REGION_RING_MAX) ")\n"
"Options of scheme pageout:\n"
"      --min-age DUR      not accessed for DUR: 500ms, 60s, 5m, 1h, or us;\n"
"                         at most 4294967295 aggregation intervals\n"
"      --min-size SIZE    regions of at least SIZE: 4K (the default), 2M,\n"
"                         1G, or bytes\n"
"      --cgroup PATH      only the memory of cgroup PATH (Linux 6.3+)\n"
"Options:\n"
"  -j, --json             print one JSON object\n"
"  -h, --help             show this help\n";

enum {
	OPT_PADDR = 256, OPT_PID, OPT_CGROUP, OPT_SAMPLE, OPT_AGGR, OPT_UPDATE,
	OPT_MIN_REGIONS, OPT_MAX_REGIONS, OPT_WSS_RING, OPT_REGION_RING,
	OPT_MIN_AGE, OPT_MIN_SIZE,
};

/* --paddr, --pid and --cgroup pick one kind of target */
static int target_arg(struct damon_opts *o, int c, const char *arg)
{
	uint64_t pid;

	if (o->target_opt && o->target_opt != c)
		return mt_usage_err("damon start: --paddr, --pid and --cgroup exclude each other");
	o->target_opt = c;
	if (c == OPT_PADDR)
		return 0;
	o->vaddr = true;
	if (c == OPT_CGROUP) {
		o->cgroup = arg;
		return 0;
	}
	if (mt_num_arg("damon start", "--pid", arg, 1, INT32_MAX, &pid))
		return MT_EXIT_USAGE;
	if (o->nr_pids == MT_DAMON_MAX_PIDS)
		return mt_usage_err("damon start: at most %d --pid options",
				    MT_DAMON_MAX_PIDS);
	o->pids[o->nr_pids++] = pid;
	return 0;
}

static int start_arg(struct damon_opts *o, int c, const char *arg)
{
	static const char cmd[] = "damon start";

	switch (c) {
	case OPT_PADDR:
	case OPT_PID:
	case OPT_CGROUP:
		return target_arg(o, c, arg);
	case OPT_SAMPLE:
		return mt_num_arg(cmd, "--sample-us", arg, 1, UINT32_MAX,
				  &o->sample_us);
	case OPT_AGGR:
		return mt_num_arg(cmd, "--aggr-us", arg, 1, UINT32_MAX,
				  &o->aggr_us);
	case OPT_UPDATE:
		return mt_num_arg(cmd, "--update-us", arg, 1, UINT32_MAX,
				  &o->update_us);
	case OPT_MIN_REGIONS:
		return mt_num_arg(cmd, "--min-regions", arg, 3, UINT32_MAX,
				  &o->min_regions);
	case OPT_MAX_REGIONS:
		return mt_num_arg(cmd, "--max-regions", arg, 3, UINT32_MAX,
				  &o->max_regions);
	case OPT_WSS_RING:
		return mt_num_arg(cmd, "--wss-ring", arg, 1,
				  MEMTALLY_DAMON_WSS_RING_MAX, &o->wss_ring);
	default:
		return mt_num_arg(cmd, "--region-ring", arg, 1,
				  MEMTALLY_DAMON_REGION_RING_MAX,
				  &o->region_ring);
	}
}

static int pageout_arg(struct damon_opts *o, int c, const char *arg)
{
	if (c == OPT_CGROUP) {
		o->cgroup = arg;
		return 0;
	}
	if (c == OPT_MIN_AGE) {
		if (mt_parse_dur(arg, &o->min_age_us) || !o->min_age_us)
			return mt_usage_err("damon scheme pageout: --min-age takes a duration such as 500ms, 60s, 5m, 1h, not '%s'",
					    arg);
		return 0;
	}
	if (mt_parse_size(arg, &o->min_size))
		return mt_usage_err("damon scheme pageout: --min-size takes a size such as 4K, 2M, 1G or bytes, not '%s'",
				    arg);
	return 0;
}

/* The action words: "start", "scheme pageout"...  Return: words used. */
/* Return: 0, or MT_EXIT_USAGE after reporting the error. */
int damon_parse(int argc, char **argv, struct damon_opts *o)
{
	static const struct option start_opts[] = {
		{ "paddr",       no_argument,       NULL, OPT_PADDR },
		{ "pid",         required_argument, NULL, OPT_PID },
		{ "cgroup",      required_argument, NULL, OPT_CGROUP },
		{ "sample-us",   required_argument, NULL, OPT_SAMPLE },
		{ "aggr-us",     required_argument, NULL, OPT_AGGR },
		{ "update-us",   required_argument, NULL, OPT_UPDATE },
		{ "min-regions", required_argument, NULL, OPT_MIN_REGIONS },
		{ "max-regions", required_argument, NULL, OPT_MAX_REGIONS },
		{ "wss-ring",    required_argument, NULL, OPT_WSS_RING },
		{ "region-ring", required_argument, NULL, OPT_REGION_RING },
		{ "json",        no_argument,       NULL, 'j' },
		{ "help",        no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct option pageout_opts[] = {
		{ "min-age",  required_argument, NULL, OPT_MIN_AGE },
		{ "min-size", required_argument, NULL, OPT_MIN_SIZE },
		{ "cgroup",   required_argument, NULL, OPT_CGROUP },
		{ "json",     no_argument,       NULL, 'j' },
		{ "help",     no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct mt_subcmd *sub;
	const struct option *opts;
	char cmd[32];
	int c, used;

	*o = (struct damon_opts){
		.json = o->json, .sample_us = 5000, .aggr_us = 100000,
		.update_us = 1000000, .min_regions = 10, .max_regions = 1000,
		.min_size = 4096,
	};
	sub = mt_subcmd_parse("damon", damon_cmds, NR_DAMON_CMDS, argc, argv,
			      &used);
	if (!sub)
		return MT_EXIT_USAGE;
	o->action = sub->id;
	snprintf(cmd, sizeof(cmd), "damon %s", sub->name);
	argc -= used;
	argv += used;
	if (o->action != MT_DAMON_START && o->action != MT_DAMON_PAGEOUT)
		return mt_parse_plain(cmd, argc, argv, &o->json, &o->help);
	opts = o->action == MT_DAMON_START ? start_opts : pageout_opts;
	optind = 0;	/* glibc: rescan from argv[1], forgetting earlier calls */
	while ((c = getopt_long(argc, argv, ":jh", opts, NULL)) != -1) {
		if (c == 'j')
			o->json = true;
		else if (c == 'h')
			o->help = true;
		else if (c == '?' || c == ':')
			return mt_getopt_err(cmd, c, argv);
		else if (o->action == MT_DAMON_START ?
			 start_arg(o, c, optarg) : pageout_arg(o, c, optarg))
			return MT_EXIT_USAGE;
	}
	if (optind < argc)
		return mt_usage_err("%s: unexpected argument '%s'", cmd,
				    argv[optind]);
	if (o->help)
		return 0;
	if (o->action == MT_DAMON_START && o->aggr_us < o->sample_us)
		return mt_usage_err("damon start: --aggr-us must be at least --sample-us");
	if (o->action == MT_DAMON_START && o->max_regions < o->min_regions)
		return mt_usage_err("damon start: --max-regions must be at least --min-regions");
	if (o->action == MT_DAMON_PAGEOUT && !o->min_age_us)
		return mt_usage_err("damon scheme pageout: --min-age is required");
	return 0;
}

/* ---- the kdamond memtally started -------------------------------------- */

/*
 * The state file and the kdamond it names into @st and @k, if that kdamond
 * is still memtally's.  Prints the error.  Return: 1 (memtally's), 0 (none:
 * no state file, or a stale one, then removed) or -1.
 */
static int own_kdamond(const char *root, struct mt_damon_state *st,
		       struct mt_kdamond *k)
{
	const char *rundir = mt_damon_rundir();
	int err = mt_damon_state_read(rundir, st), nr;

	if (err == -ENOENT)
		return 0;
	if (err == -ERANGE) {
		mt_err("%s/damon: aggr_us %" PRIu64 " is no aggregation interval memtally damon start sets (1 to %" PRIu32 " us); remove the file",
		       rundir, st->aggr_us, UINT32_MAX);
		return -1;
	}
	if (err && err != -EBADMSG) {
		mt_err("%s/damon: %s", rundir, strerror(-err));
		return -1;
	}
	if (mt_damon_nr(root, &nr))
		return -1;
	if (!err && st->kdamond < nr) {
		if (mt_damon_kdamond(root, st->kdamond, k))
			return -1;
		if (mt_damon_owned(k, st))
			return 1;
	}
	mt_damon_state_rm(rundir);	/* its kdamond is gone */
	return 0;
}

_Static_assert(MT_DAMON_MAX_PIDS == MEMTALLY_DAMON_MAX_TARGETS,
	       "--pid takes as many processes as the module binds targets");

/* Appends the pids of one cgroup.procs file; nftw's callback */
static uint32_t *walk_pids;
static size_t walk_nr, walk_cap;

static int procs_add(const char *path, const struct stat *sb, int type,
		     struct FTW *ftw)
{
	char file[PATH_MAX];
	uint32_t *v;
	FILE *f;
	unsigned int pid;

	(void)sb;
	(void)ftw;
	if (type != FTW_D)
		return 0;
	snprintf(file, sizeof(file), "%s/cgroup.procs", path);
	f = fopen(file, "re");
	if (!f)
		return 0;	/* removed meanwhile */
	while (fscanf(f, "%u", &pid) == 1) {
		if (walk_nr == walk_cap) {
			walk_cap = walk_cap ? 2 * walk_cap : 64;
			v = realloc(walk_pids, walk_cap * sizeof(*v));
			if (!v) {
				fclose(f);
				return -1;
			}
			walk_pids = v;
		}
		walk_pids[walk_nr++] = pid;
	}
	fclose(f);
	return 0;
}

/* The processes of cgroup @path and below.  Prints the error.  0 or -1. */
static int cgroup_pids(const char *path, uint32_t **pids, size_t *nr)
{
	char root[PATH_MAX], dir[2 * PATH_MAX];
	uint64_t id;

	if (mt_cli_cgroot(root, sizeof(root)) ||
	    mt_cli_cgroup_id(root, path, &id))
		return -1;
	snprintf(dir, sizeof(dir), "%s/%s", root, path);
	walk_pids = NULL;
	walk_nr = walk_cap = 0;
	if (nftw(dir, procs_add, 16, FTW_PHYS)) {
		free(walk_pids);
		mt_err("%s: %s", dir, errno ? strerror(errno) : "out of memory");
		return -1;
	}
	if (!walk_nr) {
		free(walk_pids);
		mt_err("cgroup %s has no process to monitor", path);
		return -1;
	}
	if (walk_nr > MEMTALLY_DAMON_MAX_TARGETS) {
		free(walk_pids);
		mt_err("cgroup %s has %zu processes (those below it too), more than the %d targets the memtally module binds: start DAMON for a cgroup below it, or with --paddr",
		       path, walk_nr, MEMTALLY_DAMON_MAX_TARGETS);
		return -1;
	}
	*pids = walk_pids;
	*nr = walk_nr;
	return 0;
}

/* The paddr region, from /proc/iomem.  Prints the error.  0 or -1. */
static int paddr_region(struct mt_damon_cfg *c)
{
	int err = mt_iomem_ram("/proc/iomem", &c->start, &c->end);

	if (err == -EACCES)
		mt_err("memtally damon needs root (/proc/iomem shows addresses only to root)");
	else if (err == -ENOENT)
		mt_err("/proc/iomem has no System RAM range");
	else if (err)
		mt_err("/proc/iomem: %s", strerror(-err));
	return err ? -1 : 0;
}

/* Opens the module's family: 1 if loaded, 0 if not, -1 (printed) */
static int module_open(struct mt_nl *nl)
{
	int err = mt_nl_connect(nl, MEMTALLY_FAMILY_NAME);

	if (err == -ENOENT)
		return 0;
	if (err) {
		mt_nl_report(nl, "opening a generic netlink socket", err);
		return -1;
	}
	return 1;
}

static int bind_module(struct mt_nl *nl, const struct damon_opts *o,
		       const struct mt_damon_cfg *c, int pid)
{
	struct mt_damon_binding b = {
		.kdamond_pid = pid,
		.ops = c->vaddr ? MEMTALLY_DAMON_OPS_VADDR :
				  MEMTALLY_DAMON_OPS_PADDR,
		.sample_us = c->sample_us, .aggr_us = c->aggr_us,
		.target_pids = (uint32_t *)c->pids, .nr_targets = c->nr_pids,
		.wss_ring = o->wss_ring, .region_ring = o->region_ring,
	};
	int err = mt_nl_damon_bind(nl, &b);

	if (err == -EPERM)
		mt_err("permission denied: binding the module needs CAP_SYS_ADMIN");
	else if (err)
		mt_nl_report(nl, "binding the module to the kdamond", err);
	return err ? -1 : 0;
}

static struct json_object *cfg_json(const struct mt_damon_state *st,
				    const struct mt_damon_cfg *c);

/* Prints what it started, or the error.  Return: 0 or -1. */
static int started(const struct damon_opts *o, const struct mt_damon_cfg *c,
		   const struct mt_damon_state *st)
{
	if (o->json) {
		if (!mt_json_print(stdout, cfg_json(st, c)))
			return 0;
		mt_err("out of memory");
		return -1;
	}
	printf("started kdamond %d (pid %d): %s", st->kdamond, st->pid,
	       c->vaddr ? "vaddr" : "paddr");
	if (c->vaddr)
		printf(", %zu processes", c->nr_pids);
	else
		printf(" %#" PRIx64 "-%#" PRIx64, c->start, c->end);
	printf(", sample %" PRIu64 " us, aggregation %" PRIu64
	       " us; the module is bound to it\n", c->sample_us, c->aggr_us);
	return 0;
}

/* The kdamond started, bound and recorded, or not started.  0 or -1. */
static int start_bind_record(const char *root, const struct damon_opts *o,
			     const struct mt_damon_cfg *c, struct mt_nl *nl)
{
	struct mt_damon_state st = {
		.vaddr = c->vaddr, .sample_us = c->sample_us,
		.aggr_us = c->aggr_us, .nr_targets = c->vaddr ? c->nr_pids : 1,
	};
	bool removed;
	int err;

	if (mt_damon_start(root, c, &st.kdamond, &st.pid))
		return -1;
	if (bind_module(nl, o, c, st.pid)) {
		mt_damon_stop(root, &st, &removed);
		return -1;
	}
	err = mt_damon_state_write(mt_damon_rundir(), &st);
	if (err) {
		mt_err("%s/damon: %s", mt_damon_rundir(), strerror(-err));
		mt_nl_damon_unbind(nl);
		mt_damon_stop(root, &st, &removed);
		return -1;
	}
	return started(o, c, &st);
}

/**
 * damon_start_bound() - the kdamond of @c started, the module bound to it
 * through @nl, and the state file written
 *
 * After a failure, what was done is undone.  Every signal is blocked
 * meanwhile, so that one (SIGINT, say) never leaves a running kdamond
 * without its state file, nor a state file without its kdamond: it takes
 * effect once the line that says what was started is out.  Prints that
 * line, or the error.  Return: 0 or -1.
 */
int damon_start_bound(const char *root, const struct damon_opts *o,
		      const struct mt_damon_cfg *c, struct mt_nl *nl)
{
	sigset_t all, saved;
	int ret;

	sigfillset(&all);
	if (sigprocmask(SIG_BLOCK, &all, &saved)) {
		mt_err("sigprocmask: %s", strerror(errno));
		return -1;
	}
	ret = start_bind_record(root, o, c, nl);
	fflush(stdout);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	return ret;
}

static int damon_start(const char *root, const struct damon_opts *o)
{
	struct mt_damon_cfg c = {
		.vaddr = o->vaddr, .sample_us = o->sample_us,
		.aggr_us = o->aggr_us, .update_us = o->update_us,
		.min_regions = o->min_regions, .max_regions = o->max_regions,
		.pids = o->pids, .nr_pids = o->nr_pids,
	};
	struct mt_damon_state st = { 0 };
	uint32_t *cg_pids = NULL;
	struct mt_kdamond k;
	struct mt_nl nl;
	int ret = -1, err;

	err = own_kdamond(root, &st, &k);
	if (err > 0)
		mt_err("memtally already started kdamond %d (pid %d); memtally damon stop stops it",
		       st.kdamond, st.pid);
	if (err || mt_damon_none(root))
		return MT_EXIT_RUNTIME;
	if (o->cgroup && cgroup_pids(o->cgroup, &cg_pids, &c.nr_pids))
		return MT_EXIT_RUNTIME;
	if (cg_pids)
		c.pids = cg_pids;
	if (!c.vaddr && paddr_region(&c))
		goto out;
	err = module_open(&nl);
	if (!err)
		mt_err("the memtally module is not loaded (modprobe memtally): damon start binds it to the kdamond");
	if (err <= 0)
		goto out;
	ret = damon_start_bound(root, o, &c, &nl);
	mt_nl_close(&nl);
out:
	free(cg_pids);
	return ret ? MT_EXIT_RUNTIME : MT_EXIT_OK;
}

/* Unbind the module, if it is loaded.  Prints the error.  0 or -1. */
static int unbind_module(void)
{
	struct mt_nl nl;
	int err = module_open(&nl);

	if (err <= 0)
		return err;
	err = mt_nl_damon_unbind(&nl);
	if (err == -EPERM)
		mt_err("permission denied: unbinding the module needs CAP_SYS_ADMIN");
	else if (err && err != -ENOENT)
		mt_nl_report(&nl, "unbinding the module", err);
	mt_nl_close(&nl);
	return err && err != -ENOENT ? -1 : 0;
}

static void stopped(bool json, const struct mt_damon_state *st, bool found,
		    bool removed)
{
	struct json_object *o;

	if (json) {
		o = json_object_new_object();
		json_object_object_add(o, "stopped", json_object_new_boolean(found));
		json_object_object_add(o, "kdamond", found ?
				       json_object_new_int(st->kdamond) : NULL);
		json_object_object_add(o, "removed",
				       json_object_new_boolean(removed));
		if (mt_json_print(stdout, o))
			mt_err("out of memory");
	} else if (!found) {
		puts("memtally has no kdamond running; nothing to stop");
	} else if (removed) {
		printf("stopped and removed kdamond %d\n", st->kdamond);
	} else {
		printf("stopped kdamond %d; its directory stays (off): removing it would reset the other kdamonds\n",
		       st->kdamond);
	}
}

static int damon_stop(const char *root, bool json)
{
	struct mt_damon_state st;
	struct mt_kdamond k;
	bool removed = false;
	int own = own_kdamond(root, &st, &k), err = 0;

	if (own < 0)
		return MT_EXIT_RUNTIME;
	if (own) {
		if (mt_damon_stop(root, &st, &removed))
			return MT_EXIT_RUNTIME;
		mt_damon_state_rm(mt_damon_rundir());
		err = unbind_module();
	}
	stopped(json, &st, own, removed);
	return err ? MT_EXIT_RUNTIME : MT_EXIT_OK;
}

/* ---- status and scheme -------------------------------------------------- */

struct report {
	struct mt_kdamond *kd;
	int nr;
	int own;		/* index of memtally's kdamond, or -1 */
	int module;		/* 1 loaded, 0 not, -1 error (printed) */
	struct mt_damon_info info;
	bool has_scheme;
	struct mt_damos_stats scheme;
	uint64_t aggr_us;	/* of memtally's kdamond */
};

/* The module's binding.  Prints the error.  Return: 0 or -1. */
static int module_load(struct report *r)
{
	struct mt_nl nl;
	int err;

	r->module = module_open(&nl);
	if (r->module <= 0)
		return r->module;
	err = mt_nl_damon_get(&nl, &r->info);
	if (err == -EPERM)
		mt_err("permission denied: reading the module needs CAP_PERFMON or CAP_SYS_ADMIN");
	else if (err)
		mt_nl_report(&nl, "reading the module's DAMON binding", err);
	mt_nl_close(&nl);
	if (err)
		r->module = -1;
	return err ? -1 : 0;
}

/* Prints the error.  Return: 0 or -1. */
static int report_load(const char *root, struct report *r)
{
	struct mt_damon_state st;
	struct mt_kdamond k;
	int i, own, err = 0;

	r->own = -1;
	own = own_kdamond(root, &st, &k);
	if (own < 0 || mt_damon_nr(root, &r->nr))
		return -1;
	r->kd = calloc(r->nr ? r->nr : 1, sizeof(*r->kd));
	if (!r->kd) {
		mt_err("out of memory");
		return -1;
	}
	for (i = 0; i < r->nr; i++)
		if (mt_damon_kdamond(root, i, &r->kd[i]))
			return -1;
	if (own) {
		r->own = st.kdamond;
		r->aggr_us = st.aggr_us;
		if (mt_damon_scheme_stats(root, st.kdamond, &r->scheme))
			return -1;
		r->has_scheme = r->scheme.action[0];
	}
	err = module_load(r);
	return err;
}

static struct json_object *cfg_json(const struct mt_damon_state *st,
				    const struct mt_damon_cfg *c)
{
	struct json_object *o = json_object_new_object(), *a;
	size_t i;

	json_object_object_add(o, "kdamond", json_object_new_int(st->kdamond));
	json_object_object_add(o, "pid", json_object_new_int(st->pid));
	json_object_object_add(o, "operations",
			json_object_new_string(c->vaddr ? "vaddr" : "paddr"));
	mt_json_put_u64(o, "sample_us", c->sample_us);
	mt_json_put_u64(o, "aggr_us", c->aggr_us);
	mt_json_put_u64(o, "update_us", c->update_us);
	mt_json_put_u64(o, "min_regions", c->min_regions);
	mt_json_put_u64(o, "max_regions", c->max_regions);
	if (!c->vaddr) {
		mt_json_put_u64(o, "start", c->start);
		mt_json_put_u64(o, "end", c->end);
		return o;
	}
	a = json_object_new_array();
	for (i = 0; i < c->nr_pids; i++)
		json_object_array_add(a, json_object_new_int64(c->pids[i]));
	json_object_object_add(o, "target_pids", a);
	return o;
}

static struct json_object *kdamond_json(const struct mt_kdamond *k, bool own)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "index", json_object_new_int(k->index));
	json_object_object_add(o, "state",
			       json_object_new_string(k->on ? "on" : "off"));
	json_object_object_add(o, "pid", k->on ?
			       json_object_new_int(k->pid) : NULL);
	json_object_object_add(o, "memtally", json_object_new_boolean(own));
	if (!k->ops[0])
		return o;
	json_object_object_add(o, "operations",
			       json_object_new_string(k->ops));
	mt_json_put_u64(o, "sample_us", k->sample_us);
	mt_json_put_u64(o, "aggr_us", k->aggr_us);
	mt_json_put_u64(o, "update_us", k->update_us);
	mt_json_put_u64(o, "min_regions", k->min_regions);
	mt_json_put_u64(o, "max_regions", k->max_regions);
	json_object_object_add(o, "nr_targets",
			       json_object_new_int64(k->nr_targets));
	json_object_object_add(o, "nr_schemes",
			       json_object_new_int64(k->nr_schemes));
	return o;
}

static uint64_t age_ns(uint64_t then)
{
	uint64_t now = mt_now_ns(CLOCK_BOOTTIME);

	return now > then ? now - then : 0;
}

static struct json_object *module_json(const struct mt_damon_info *in)
{
	struct json_object *o = json_object_new_object(), *a;
	size_t i;

	json_object_object_add(o, "bound", json_object_new_boolean(in->b.bound));
	if (!in->b.bound)
		return o;
	mt_json_put_u64(o, "kdamond_pid", in->b.kdamond_pid);
	json_object_object_add(o, "operations", json_object_new_string(
		in->b.ops == MEMTALLY_DAMON_OPS_VADDR ? "vaddr" : "paddr"));
	mt_json_put_u64(o, "sample_us", in->b.sample_us);
	mt_json_put_u64(o, "aggr_us", in->b.aggr_us);
	a = json_object_new_array();
	for (i = 0; i < in->b.nr_targets; i++)
		json_object_array_add(a,
			json_object_new_int64(in->b.target_pids[i]));
	json_object_object_add(o, "target_pids", a);
	mt_json_put_u64(o, "wss_ring", in->b.wss_ring);
	mt_json_put_u64(o, "region_ring", in->b.region_ring);
	mt_json_put_u64(o, "aggregations", in->aggregations);
	mt_json_put_u64(o, "updated_ns", in->updated_ns);
	mt_json_put_u64(o, "age_ns", age_ns(in->updated_ns));
	mt_json_put_u64(o, "total_bytes", in->total_bytes);
	mt_json_put_u64(o, "unattributed_bytes", in->unattributed_bytes);
	mt_json_put_u64(o, "probe_ns", in->probe_ns);
	mt_json_put_u64(o, "hot_rate", in->hot_rate);
	mt_json_put_u64(o, "cold_rate", in->cold_rate);
	json_object_object_add(o, "stale", mt_damon_stale_why(in->stale) ?
		json_object_new_string(mt_damon_stale_why(in->stale)) : NULL);
	return o;
}

static struct json_object *scheme_json(const struct mt_damos_stats *s,
				       uint64_t aggr_us)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "action", json_object_new_string(s->action));
	mt_json_put_u64(o, "min_size", s->min_size);
	mt_json_put_u64(o, "min_age_aggregations", s->min_age);
	mt_json_put_u64(o, "min_age_us", s->min_age * aggr_us);
	json_object_object_add(o, "cgroup", s->memcg[0] ?
			       json_object_new_string(s->memcg) : NULL);
	mt_json_put_u64(o, "nr_tried", s->nr_tried);
	mt_json_put_u64(o, "sz_tried", s->sz_tried);
	mt_json_put_u64(o, "nr_applied", s->nr_applied);
	mt_json_put_u64(o, "sz_applied", s->sz_applied);
	return o;
}

static struct json_object *report_json(const struct report *r)
{
	struct json_object *o = json_object_new_object(), *a;
	int i;

	a = json_object_new_array();
	for (i = 0; i < r->nr; i++)
		json_object_array_add(a, kdamond_json(&r->kd[i], i == r->own));
	json_object_object_add(o, "kdamonds", a);
	json_object_object_add(o, "module", r->module > 0 ?
			       module_json(&r->info) : NULL);
	json_object_object_add(o, "scheme", r->has_scheme ?
			       scheme_json(&r->scheme, r->aggr_us) : NULL);
	return o;
}

static void kdamond_print(const struct mt_kdamond *k, bool own)
{
	printf("kdamond %d: %s", k->index, k->on ? "on" : "off");
	if (k->on)
		printf(", pid %d", k->pid);
	printf("%s\n", own ? ", memtally's" : ", not memtally's");
	if (!k->ops[0])
		return;
	printf("  %s, sample %" PRIu64 " us, aggregation %" PRIu64
	       " us, update %" PRIu64 " us, regions %" PRIu64 "..%" PRIu64
	       "\n", k->ops, k->sample_us, k->aggr_us, k->update_us,
	       k->min_regions, k->max_regions);
	printf("  %" PRId64 " targets", k->nr_targets);
	if (!strcmp(k->ops, "paddr") && k->end)
		printf(" (%#" PRIx64 "-%#" PRIx64 ")", k->start, k->end);
	else if (k->pid_target > 0)
		printf(" (first: pid %" PRId64 ")", k->pid_target);
	printf(", %" PRId64 " schemes\n", k->nr_schemes);
}

static void module_print(const struct report *r)
{
	const struct mt_damon_info *in = &r->info;
	char total[32], unattr[32];

	if (r->module == 0) {
		puts("module: not loaded");
		return;
	}
	if (r->module < 0)
		return;
	if (!in->b.bound) {
		puts("module: not bound to a kdamond");
		return;
	}
	mt_bytes(total, sizeof(total), in->total_bytes);
	mt_bytes(unattr, sizeof(unattr), in->unattributed_bytes);
	printf("module: bound to kdamond pid %" PRIu32 " (%s), %" PRIu64
	       " aggregations, the last %.1fs ago\n", in->b.kdamond_pid,
	       in->b.ops == MEMTALLY_DAMON_OPS_VADDR ? "vaddr" : "paddr",
	       in->aggregations, age_ns(in->updated_ns) / 1e9);
	printf("  %s monitored, %s unattributed; probe time %.3fs; hot above %"
	       PRIu32 "/s, cold below %" PRIu32 "/s\n", total, unattr,
	       in->probe_ns / 1e9, in->hot_rate, in->cold_rate);
	if (in->stale)
		printf("  stale: %s; attributing stopped, the numbers are from before (rebind: memtally damon start)\n",
		       mt_damon_stale_why(in->stale));
}

static void scheme_print(const struct mt_damos_stats *s, uint64_t aggr_us)
{
	char tried[32], applied[32];

	printf("scheme: %s regions of >= %" PRIu64 " bytes not accessed for >= %"
	       PRIu64 " aggregations (%.1fs)", s->action, s->min_size,
	       s->min_age, s->min_age * aggr_us / 1e6);
	if (s->memcg[0])
		printf(", of cgroup %s only", s->memcg);
	mt_bytes(tried, sizeof(tried), s->sz_tried);
	mt_bytes(applied, sizeof(applied), s->sz_applied);
	printf("\n  tried %" PRIu64 " regions (%s), applied to %" PRIu64
	       " (%s)\n", s->nr_tried, tried, s->nr_applied, applied);
}

static void report_print(const struct report *r)
{
	int i;

	if (!r->nr)
		puts("no kdamond");
	for (i = 0; i < r->nr; i++)
		kdamond_print(&r->kd[i], i == r->own);
	module_print(r);
	if (r->own < 0)
		return;
	if (r->has_scheme)
		scheme_print(&r->scheme, r->aggr_us);
	else
		puts("scheme: none");
}

static int damon_status(const char *root, bool json)
{
	struct report r = { 0 };
	int err = report_load(root, &r);

	/* the kdamonds are worth showing even if the module failed */
	if (r.kd && (!err || r.module < 0)) {
		if (json && mt_json_print(stdout, report_json(&r))) {
			mt_err("out of memory");
			err = -1;
		} else if (!json) {
			report_print(&r);
		}
	}
	free(r.kd);
	mt_damon_info_free(&r.info);
	return err ? MT_EXIT_RUNTIME : MT_EXIT_OK;
}

/* memtally's kdamond, for the scheme actions.  Prints the error. */
static int scheme_kdamond(const char *root, struct mt_damon_state *st,
			  struct mt_kdamond *k)
{
	int own = own_kdamond(root, st, k);

	if (!own)
		mt_err("memtally has started no kdamond (memtally damon start)");
	return own > 0 ? 0 : -1;
}

/* The memcg_path of cgroup @path: "/a/b".  Prints the error. */
static int memcg_path(const char *path, char *buf, size_t len)
{
	char root[PATH_MAX];
	uint64_t id;

	if (mt_cli_cgroot(root, sizeof(root)) ||
	    mt_cli_cgroup_id(root, path, &id))
		return -1;
	snprintf(buf, len, "%s%s", path[0] == '/' ? "" : "/", path);
	len = strlen(buf);
	while (len > 1 && buf[len - 1] == '/')
		buf[--len] = '\0';
	return 0;
}

static int scheme_pageout(const char *root, const struct damon_opts *o)
{
	struct mt_damos s = { .min_size = o->min_size };
	struct mt_damon_state st;
	struct mt_kdamond k;
	char memcg[PATH_MAX];

	if (scheme_kdamond(root, &st, &k))
		return MT_EXIT_RUNTIME;
	if (!k.on) {
		mt_err("memtally's kdamond %d is off", st.kdamond);
		return MT_EXIT_RUNTIME;
	}
	if (o->cgroup && st.vaddr) {
		mt_err("--cgroup needs a paddr kdamond: DAMON filters vaddr memory by process, not by cgroup");
		return MT_EXIT_RUNTIME;
	}
	if (o->cgroup && memcg_path(o->cgroup, memcg, sizeof(memcg)))
		return MT_EXIT_RUNTIME;
	s.memcg = o->cgroup ? memcg : NULL;
	/* DAMON counts age in aggregation intervals, unsigned int: round up */
	s.min_age = o->min_age_us / st.aggr_us + !!(o->min_age_us % st.aggr_us);
	if (s.min_age > UINT_MAX)
		return mt_usage_err("damon scheme pageout: --min-age must be at most %" PRIu64
				    "s (%u aggregations of %" PRIu64 " us)",
				    UINT_MAX * st.aggr_us / 1000000, UINT_MAX,
				    st.aggr_us);
	if (mt_damon_scheme_set(root, st.kdamond, &s))
		return MT_EXIT_RUNTIME;
	if (o->json)
		return damon_status(root, true);
	printf("kdamond %d pages out regions of >= %" PRIu64
	       " bytes not accessed for >= %" PRIu64 " aggregations (%.1fs)%s%s\n",
	       st.kdamond, s.min_size, s.min_age, s.min_age * st.aggr_us / 1e6,
	       s.memcg ? " of cgroup " : "", s.memcg ? s.memcg : "");
	return MT_EXIT_OK;
}

static int scheme_show(const char *root, const struct damon_opts *o)
{
	struct mt_damon_state st;
	struct mt_damos_stats s;
	struct json_object *j;
	struct mt_kdamond k;

	if (scheme_kdamond(root, &st, &k) ||
	    mt_damon_scheme_stats(root, st.kdamond, &s))
		return MT_EXIT_RUNTIME;
	if (o->json) {
		j = json_object_new_object();
		json_object_object_add(j, "scheme", s.action[0] ?
				       scheme_json(&s, st.aggr_us) : NULL);
		if (mt_json_print(stdout, j)) {
			mt_err("out of memory");
			return MT_EXIT_RUNTIME;
		}
	} else if (s.action[0]) {
		scheme_print(&s, st.aggr_us);
	} else {
		puts("scheme: none");
	}
	return MT_EXIT_OK;
}

static int scheme_off(const char *root, const struct damon_opts *o)
{
	struct mt_damon_state st;
	struct json_object *j;
	struct mt_kdamond k;

	if (scheme_kdamond(root, &st, &k))
		return MT_EXIT_RUNTIME;
	if (k.nr_schemes && mt_damon_scheme_off(root, st.kdamond))
		return MT_EXIT_RUNTIME;
	if (o->json) {
		j = json_object_new_object();
		json_object_object_add(j, "removed",
				json_object_new_boolean(k.nr_schemes > 0));
		if (!mt_json_print(stdout, j))
			return MT_EXIT_OK;
		mt_err("out of memory");
		return MT_EXIT_RUNTIME;
	}
	if (k.nr_schemes)
		printf("removed the scheme of kdamond %d\n", st.kdamond);
	else
		printf("kdamond %d has no scheme\n", st.kdamond);
	return MT_EXIT_OK;
}

int cmd_damon(int argc, char **argv, bool json)
{
	struct damon_opts o = { .json = json };
	const char *root = mt_damon_dir();

	if (damon_parse(argc, argv, &o))
		return MT_EXIT_USAGE;
	if (o.help) {
		mt_subcmd_usage(stdout, "damon", damon_cmds, NR_DAMON_CMDS);
		fputs(damon_usage, stdout);
		return MT_EXIT_OK;
	}
	if (mt_damon_check(root))
		return MT_EXIT_RUNTIME;
	switch (o.action) {
	case MT_DAMON_START:
		return damon_start(root, &o);
	case MT_DAMON_STOP:
		return damon_stop(root, o.json);
	case MT_DAMON_SCHEME:
		return scheme_show(root, &o);
	case MT_DAMON_PAGEOUT:
		return scheme_pageout(root, &o);
	case MT_DAMON_SCHEME_OFF:
		return scheme_off(root, &o);
	default:
		return damon_status(root, o.json);
	}
}
