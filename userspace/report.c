// SPDX-License-Identifier: GPL-2.0
/*
 * memtally report: a comprehensive memory analysis in one command: the
 * memory overview, PSI, swap, faults, reclaim and OOM, KSM, DAMON, the top
 * consumers, then recommendations (recommend.c).  It reads a snapshot,
 * taken now or loaded from a file (--from), so both are one code path.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json.h>

#include "cli.h"
#include "format.h"
#include "ksm.h"
#include "recommend.h"
#include "report.h"
#include "snapfile.h"

#define DEFAULT_TOP	5
#define KSM_SYS_DIR	"/sys/kernel/mm/ksm"

static const char report_usage[] =
"Usage: memtally report [--from FILE] [-n N] [-j]\n"
"\n"
"A comprehensive memory analysis: the memory overview (/proc/meminfo),\n"
"memory pressure (PSI) of the system and of each cgroup, swap devices, page\n"
"fault and major fault rates, reclaim stalls and OOM kills per cgroup, KSM,\n"
"DAMON, the top cgroups (memory.current) and processes (PSS, else RSS),\n"
"then recommendations, each with the data that triggered it (the rules and\n"
"thresholds are in the admin guide, \"Reports\").  A section whose data is\n"
"missing says so.  Without the memtally module the report is made from the\n"
"files alone, without the per-cgroup counters, KSM per cgroup and DAMON.\n"
"\n"
"Options:\n"
"      --from FILE  report on a snapshot (memtally snapshot -o FILE), maybe\n"
"                   of another host, instead of this host now\n"
"  -n, --top N      N cgroups and processes in each list (default 5)\n"
"  -j, --json       print one JSON object\n"
"  -h, --help       show this help\n";

struct report_opts {
	bool json;
	bool help;
	uint64_t top;
	const char *from;
};

/* Return: 0, or MT_EXIT_USAGE after reporting the error. */
static int report_parse(int argc, char **argv, struct report_opts *o)
{
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "top",  required_argument, NULL, 'n' },
		{ "json", no_argument,       NULL, 'j' },
		{ "help", no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;	/* glibc: rescan from argv[1], forgetting earlier calls */
	while ((c = getopt_long(argc, argv, ":n:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			o->from = optarg;
			break;
		case 'n':
			if (mt_parse_u64(optarg, &o->top) || !o->top ||
			    o->top > 100000)
				return mt_usage_err("report: --top takes a number from 1 to 100000, not '%s'",
						    optarg);
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			o->help = true;
			break;
		default:
			return mt_getopt_err("report", c, argv);
		}
	}
	if (optind < argc)
		return mt_usage_err("report: unexpected argument '%s'",
				    argv[optind]);
	if (o->from && !o->from[0])
		return mt_usage_err("report: --from takes a snapshot file");
	return 0;
}

/* Collecting: the snapshot into a struct mt_report */

static const char *uname_str(const struct mt_snap *s, const char *key)
{
	struct json_object *u, *x;

	if (!json_object_object_get_ex(s->root, "uname", &u) ||
	    !json_object_object_get_ex(u, key, &x) ||
	    !json_object_is_type(x, json_type_string))
		return NULL;
	return json_object_get_string(x);
}

static void meminfo_collect(const struct mt_snap *s, struct mt_report *r)
{
	const char *t = mt_snap_file(s, "/proc/meminfo");
	uint64_t sreclaimable = 0;

	if (!t || mt_kv_get(t, "MemTotal", &r->mem_total) ||
	    mt_kv_get(t, "MemFree", &r->mem_free))
		return;
	/* MemAvailable: 3.14 and later; else what free(1) estimated */
	if (mt_kv_get(t, "MemAvailable", &r->mem_available))
		r->mem_available = r->mem_free;
	mt_kv_get(t, "Buffers", &r->buffers);
	mt_kv_get(t, "Cached", &r->cached);
	mt_kv_get(t, "SReclaimable", &sreclaimable);
	r->cached += sreclaimable;	/* free(1)'s cache */
	mt_kv_get(t, "SwapTotal", &r->swap_total);
	mt_kv_get(t, "SwapFree", &r->swap_free);
	r->mem_total <<= 10;
	r->mem_free <<= 10;
	r->mem_available <<= 10;
	r->buffers <<= 10;
	r->cached <<= 10;
	r->swap_total <<= 10;
	r->swap_free <<= 10;
	r->has_meminfo = true;
}

/* A KSM file by name: under /sys/kernel/mm/ksm, or $MEMTALLY_KSM_DIR */
static const char *ksm_file(const struct mt_snap *s, const char *name)
{
	char path[PATH_MAX];
	const char *t;

	snprintf(path, sizeof(path), "%s/%s", KSM_SYS_DIR, name);
	t = mt_snap_file(s, path);
	if (!t && strcmp(mt_ksm_dir(), KSM_SYS_DIR)) {
		snprintf(path, sizeof(path), "%s/%s", mt_ksm_dir(), name);
		t = mt_snap_file(s, path);
	}
	return t;
}

static void ksm_collect(const struct mt_snap *s, struct mt_report *r)
{
	struct json_object *k;
	const char *t;
	char *end;
	int i;

	for (i = 0; i < MT_NR_KSM_FILES; i++) {
		t = ksm_file(s, mt_ksm_files[i].name);
		if (!t) {
			if (!mt_ksm_files[i].optional)
				return;
			continue;
		}
		errno = 0;
		r->ksm.v[i] = strtoll(t, &end, 10);
		if (errno || end == t || (*end && *end != '\n')) {
			if (!mt_ksm_files[i].optional)
				return;
			continue;
		}
		r->ksm.has[i] = true;
	}
	r->has_ksm = true;
	k = mt_snap_module(s, "ksm");
	if (k) {
		r->has_ksm_mod = true;
		r->ksm_merging_pages = mt_json_u64(k, "merging_pages");
	}
}

static void damon_collect(const struct mt_snap *s, struct mt_report *r)
{
	struct json_object *d = mt_snap_module(s, "damon"), *x;

	if (!s->has_module)
		r->damon = MT_REP_DAMON_NO_MODULE;
	else if (mt_snap_hook_state(s, "damon-aggregated") ==
		 MEMTALLY_HOOK_STATE_UNAVAILABLE)
		r->damon = MT_REP_DAMON_UNBUILT;
	else if (!d)
		r->damon = MT_REP_DAMON_UNSUPPORTED;
	else if (!json_object_object_get_ex(d, "bound", &x) ||
		 !json_object_get_boolean(x))
		r->damon = MT_REP_DAMON_UNBOUND;
	else
		r->damon = MT_REP_DAMON_BOUND;
	if (r->damon != MT_REP_DAMON_BOUND)
		return;
	r->damon_total = mt_json_u64(d, "total_bytes");
	r->damon_aggregations = mt_json_u64(d, "aggregations");
	r->damon_hot_rate = mt_json_u64(d, "hot_rate");
	r->damon_cold_rate = mt_json_u64(d, "cold_rate");
}

/* The cgroup of @path ("/a"), added if new.  Return: it, or NULL (ENOMEM) */
static struct mt_rep_cgroup *cg_get(struct mt_report *r, const char *path,
				    size_t len, size_t *cap)
{
	struct mt_rep_cgroup *cg;
	size_t i;

	/* a snapshot lists a cgroup's files together: the last one first */
	for (i = r->nr_cgroups; i--; )
		if (strlen(r->cgroups[i].path) == len &&
		    !strncmp(r->cgroups[i].path, path, len))
			return &r->cgroups[i];
	if (r->nr_cgroups == *cap) {
		size_t ncap = *cap ? 2 * *cap : 64;

		cg = realloc(r->cgroups, ncap * sizeof(*cg));
		if (!cg)
			return NULL;
		r->cgroups = cg;
		*cap = ncap;
	}
	cg = &r->cgroups[r->nr_cgroups];
	memset(cg, 0, sizeof(*cg));
	cg->path = strndup(path, len);
	if (!cg->path)
		return NULL;
	r->nr_cgroups++;
	return cg;
}

static const char *const cg_files[] = {
	"/memory.pressure", "/memory.current", "/memory.stat",
	"/memory.events",
};

/*
 * Whether /proc/cgroups (@text, NULL if not read) puts the memory
 * controller on a cgroup v1 hierarchy (a hybrid or v1 host): a line
 * "memory HIERARCHY NUM_CGROUPS ENABLED" with a hierarchy other than 0.
 */
static bool memcg_v1(const char *text)
{
	const char *line;
	unsigned int hier, enabled;

	for (line = text; line && *line; line = strchr(line, '\n'),
	     line = line ? line + 1 : NULL)
		if (!strncmp(line, "memory\t", 7) &&
		    sscanf(line + 7, "%u %*u %u", &hier, &enabled) == 2)
			return hier && enabled;
	return false;
}

/* One cgroup file @key (absolute) with contents @text (NULL: absent) */
static int cg_file(struct mt_report *r, const char *key, const char *text,
		   size_t *cap)
{
	size_t rootlen, len = strlen(key), f, flen;
	struct mt_rep_cgroup *cg;
	const char *path;

	if (!r->cgroot)
		return 0;
	rootlen = strlen(r->cgroot);
	if (strncmp(key, r->cgroot, rootlen) ||
	    (key[rootlen] != '/' && rootlen > 1))
		return 0;
	for (f = 0; f < sizeof(cg_files) / sizeof(cg_files[0]); f++) {
		flen = strlen(cg_files[f]);
		if (len > rootlen + flen - 1 &&
		    !strcmp(key + len - flen, cg_files[f]))
			break;
	}
	if (f == sizeof(cg_files) / sizeof(cg_files[0]))
		return 0;
	/* "/" for the root: the path between the root and the file name */
	path = key + rootlen - (rootlen == 1);
	len = key + len - flen - path;
	cg = cg_get(r, len ? path : "/", len ? len : 1, cap);
	if (!cg)
		return -ENOMEM;
	if (!text)
		return 0;
	switch (f) {
	case 0:
		if (!mt_psi_parse(text, &cg->psi)) {
			cg->has_psi = true;
			cg->psi_file = strdup(key);
			if (!cg->psi_file)
				return -ENOMEM;
		}
		break;
	case 1:
		cg->has_current = sscanf(text, "%" SCNu64, &cg->current) == 1;
		break;
	case 2:
		cg->has_stat = !mt_kv_get(text, "pgfault", &cg->pgfault);
		mt_kv_get(text, "pgmajfault", &cg->pgmajfault);
		break;
	case 3:
		cg->has_events = !mt_kv_get(text, "oom_kill", &cg->oom_kill);
		break;
	}
	return 0;
}

static int cg_cmp(const void *a, const void *b)
{
	return strcmp(((const struct mt_rep_cgroup *)a)->path,
		      ((const struct mt_rep_cgroup *)b)->path);
}

static int cgroups_collect(const struct mt_snap *s, struct mt_report *r)
{
	struct json_object *files = mt_snap_files(s);
	uint64_t merged = 0;
	size_t cap = 0, i;
	int err = 0;

	if (files) {
		json_object_object_foreach(files, key, val) {
			err = cg_file(r, key, json_object_is_type(val,
				      json_type_string) ?
				      json_object_get_string(val) : NULL, &cap);
			if (err)
				return err;
		}
	}
	/* the module's rows, also of cgroups whose files were not read */
	for (i = 0; i < s->nr_cgroups; i++) {
		const struct mt_cgroup *row = &s->cgroups[i];
		uint64_t m = row->counters[MT_CTR_KSM_MERGING_PAGES];
		struct mt_rep_cgroup *cg;

		/* a file's numbers may add up past 2^64: stop there */
		merged = merged + m < merged ? UINT64_MAX : merged + m;
		if (!row->path)
			continue;	/* removed meanwhile */
		cg = cg_get(r, row->path, strlen(row->path), &cap);
		if (!cg)
			return -ENOMEM;
		cg->row = row;
	}
	r->ksm_merging_pages = mt_ksm_whole(r->ksm_merging_pages, merged);
	if (r->nr_cgroups)
		qsort(r->cgroups, r->nr_cgroups, sizeof(*r->cgroups), cg_cmp);
	return 0;
}

static uint64_t proc_size(const struct mt_rep_proc *p)
{
	return p->has_pss ? p->pss : p->rss;
}

static int proc_cmp(const void *a, const void *b)
{
	const struct mt_rep_proc *x = a, *y = b;
	uint64_t sx = proc_size(x), sy = proc_size(y);

	if (sx != sy)
		return sx < sy ? 1 : -1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* A process from its files; 0 if it has no memory (a kernel thread) */
static int proc_collect(const struct mt_snap *s, struct mt_report *r,
			int pid, const char *status, size_t *cap)
{
	struct mt_rep_proc p = { .pid = pid }, *v;
	char path[64];
	const char *t;
	FILE *f;

	mt_kv_str(status, "Name", p.comm, sizeof(p.comm));
	mt_kv_get(status, "VmRSS", &p.rss);
	p.rss <<= 10;
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pid);
	t = mt_snap_file(s, path);
	if (t && !mt_kv_get(t, "Pss", &p.pss)) {
		p.has_pss = true;
		p.pss <<= 10;
		r->procs_pss = true;
	}
	if (!proc_size(&p))
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	t = mt_snap_file(s, path);
	if (t) {
		f = fmemopen((void *)t, strlen(t), "r");
		if (f) {
			p.cgroup = mt_proc_cgroup_parse(f);
			fclose(f);
		}
	}
	if (r->nr_procs == *cap) {
		size_t ncap = *cap ? 2 * *cap : 64;

		v = realloc(r->procs, ncap * sizeof(*v));
		if (!v) {
			free(p.cgroup);
			return -ENOMEM;
		}
		r->procs = v;
		*cap = ncap;
	}
	r->procs[r->nr_procs++] = p;
	return 0;
}

static int procs_collect(const struct mt_snap *s, struct mt_report *r)
{
	struct json_object *files = mt_snap_files(s);
	size_t cap = 0;
	int pid, n, err;

	if (!files)
		return 0;
	json_object_object_foreach(files, key, val) {
		n = 0;
		if (!json_object_is_type(val, json_type_string) ||
		    sscanf(key, "/proc/%d/status%n", &pid, &n) != 1 ||
		    key[n] || !n)
			continue;
		err = proc_collect(s, r, pid, json_object_get_string(val),
				   &cap);
		if (err)
			return err;
	}
	if (r->nr_procs)
		qsort(r->procs, r->nr_procs, sizeof(*r->procs), proc_cmp);
	return 0;
}

/**
 * mt_report_collect() - what snapshot @s says, for a report
 * @source: NULL for a live snapshot, else the file it came from
 * @r: filled in; pointers into @s, which must outlive it; free it with
 *	mt_report_free()
 *
 * Return: 0 or -ENOMEM.
 */
int mt_report_collect(const struct mt_snap *s, const char *source,
		      struct mt_report *r)
{
	const char *t;
	int err;

	memset(r, 0, sizeof(*r));
	r->source = source;
	r->time = mt_snap_string(s, "time");
	r->host = uname_str(s, "nodename");
	r->release = uname_str(s, "release");
	r->cgroot = mt_snap_string(s, "cgroup_root");
	if (!r->cgroot && !json_object_object_get_ex(s->root, "cgroup_root",
						     NULL))
		r->cgroot = "/sys/fs/cgroup";	/* null: none */
	r->memcg_v1 = memcg_v1(mt_snap_file(s, "/proc/cgroups"));
	r->page_size = mt_snap_u64(s, "page_size");
	if (!r->page_size)
		r->page_size = sysconf(_SC_PAGESIZE);
	r->uptime_s = mt_snap_u64(s, "boottime_ns") / 1e9;
	r->has_module = s->has_module;

	meminfo_collect(s, r);
	t = mt_snap_file(s, "/proc/pressure/memory");
	r->has_psi = t && !mt_psi_parse(t, &r->psi);
	t = mt_snap_file(s, "/proc/swaps");
	if (t) {
		err = mt_swaps_parse(t, &r->swaps, &r->nr_swaps);
		if (err == -ENOMEM)
			goto fail;
		r->has_swaps = !err;
	}
	t = mt_snap_file(s, "/proc/vmstat");
	r->has_vmstat = t && !mt_kv_get(t, "pgfault", &r->pgfault) &&
			!mt_kv_get(t, "pgmajfault", &r->pgmajfault);
	ksm_collect(s, r);
	damon_collect(s, r);
	err = cgroups_collect(s, r);
	if (!err)
		err = procs_collect(s, r);
	if (!err)
		return 0;
fail:
	mt_report_free(r);
	return -ENOMEM;
}

void mt_report_free(struct mt_report *r)
{
	size_t i;

	for (i = 0; i < r->nr_cgroups; i++) {
		free(r->cgroups[i].path);
		free(r->cgroups[i].psi_file);
	}
	for (i = 0; i < r->nr_procs; i++)
		free(r->procs[i].cgroup);
	free(r->cgroups);
	free(r->procs);
	free(r->swaps);
	memset(r, 0, sizeof(*r));
}

/* Why a section cannot be shown, or NULL if it can */

static const char no_module[] = "needs the memtally module (load it with: modprobe memtally)";

static const char *why_memory(const struct mt_report *r)
{
	return r->has_meminfo ? NULL : "/proc/meminfo was not read";
}

static const char *why_pressure(const struct mt_report *r)
{
	return r->has_psi ? NULL : "no /proc/pressure/memory: a kernel without PSI (CONFIG_PSI), or booted with psi=0";
}

static const char *why_swap(const struct mt_report *r)
{
	return r->has_swaps ? NULL : "/proc/swaps was not read";
}

static const char *why_faults(const struct mt_report *r)
{
	return r->has_vmstat ? NULL : "/proc/vmstat was not read";
}

static const char *why_reclaim(const struct mt_report *r)
{
	return r->has_module ? NULL : no_module;
}

static const char *why_ksm(const struct mt_report *r)
{
	return r->has_ksm ? NULL : "KSM is not built into this kernel (CONFIG_KSM): no /sys/kernel/mm/ksm";
}

static const char *why_damon(const struct mt_report *r)
{
	switch (r->damon) {
	case MT_REP_DAMON_NO_MODULE:
		return no_module;
	case MT_REP_DAMON_UNSUPPORTED:
		return "the memtally module has no DAMON support (load a newer one)";
	case MT_REP_DAMON_UNBUILT:
		return "DAMON is not built into this kernel (CONFIG_DAMON)";
	case MT_REP_DAMON_UNBOUND:
		return "no DAMON context is bound (start one with: memtally damon start)";
	default:
		return NULL;
	}
}

static const char *why_top_cgroups(const struct mt_report *r)
{
	size_t i;

	for (i = 0; i < r->nr_cgroups; i++)
		if (r->cgroups[i].has_current)
			return NULL;
	if (!r->cgroot)
		return "no cgroup2 file system is mounted, whose cgroups have memory.current";
	if (r->memcg_v1)
		return "no cgroup has memory.current: the memory controller is on a cgroup v1 hierarchy (/proc/cgroups), not on cgroup2";
	return "no cgroup has memory.current (the memory controller is not enabled below the root)";
}

static const char *why_top_procs(const struct mt_report *r)
{
	return r->nr_procs ? NULL : "no process files were read (run as root for other users' processes)";
}

/* The sections in order: their title, JSON key and why_ function */
enum {
	SEC_MEMORY, SEC_PRESSURE, SEC_SWAP, SEC_FAULTS, SEC_RECLAIM, SEC_KSM,
	SEC_DAMON, SEC_TOP_CGROUPS, SEC_TOP_PROCS, NR_SECS
};

static const struct section {
	const char *title, *key;
	const char *(*why)(const struct mt_report *r);
} sections[NR_SECS] = {
	[SEC_MEMORY]	  = { "Memory (/proc/meminfo)", "memory", why_memory },
	[SEC_PRESSURE]	  = { "Memory pressure (PSI, % of time)", "pressure",
			      why_pressure },
	[SEC_SWAP]	  = { "Swap devices (/proc/swaps)", "swap", why_swap },
	[SEC_FAULTS]	  = { "Page faults", "faults", why_faults },
	[SEC_RECLAIM]	  = { "Reclaim stalls and OOM kills (since the module loaded)",
			      "reclaim", why_reclaim },
	[SEC_KSM]	  = { "KSM", "ksm", why_ksm },
	[SEC_DAMON]	  = { "DAMON", "damon", why_damon },
	[SEC_TOP_CGROUPS] = { "Top cgroups (memory.current, with descendants)",
			      "top_cgroups", why_top_cgroups },
	[SEC_TOP_PROCS]	  = { "Top processes", "top_processes",
			      why_top_procs },
};

/* Selections of cgroups for the lists */

static bool psi_nonzero(const struct mt_psi *p)
{
	return p->some || p->some60 || p->some300 || p->full || p->full60 ||
	       p->full300;
}

static int psi_cmp(const void *a, const void *b)
{
	const struct mt_rep_cgroup *x = *(const struct mt_rep_cgroup **)a;
	const struct mt_rep_cgroup *y = *(const struct mt_rep_cgroup **)b;
	double kx = x->psi.full * 1e6 + x->psi.some;
	double ky = y->psi.full * 1e6 + y->psi.some;

	if (kx != ky)
		return kx < ky ? 1 : -1;
	return strcmp(x->path, y->path);
}

static uint64_t cg_faults(const struct mt_rep_cgroup *cg)
{
	return cg->row ? cg->row->counters[MT_CTR_FAULTS_USER] +
			 cg->row->counters[MT_CTR_FAULTS_KERNEL] : 0;
}

static int faults_cmp(const void *a, const void *b)
{
	const struct mt_rep_cgroup *x = *(const struct mt_rep_cgroup **)a;
	const struct mt_rep_cgroup *y = *(const struct mt_rep_cgroup **)b;

	if (x->pgmajfault != y->pgmajfault)
		return x->pgmajfault < y->pgmajfault ? 1 : -1;
	if (cg_faults(x) != cg_faults(y))
		return cg_faults(x) < cg_faults(y) ? 1 : -1;
	if (x->pgfault != y->pgfault)
		return x->pgfault < y->pgfault ? 1 : -1;
	return strcmp(x->path, y->path);
}

static uint64_t cg_stall_ns(const struct mt_rep_cgroup *cg)
{
	const uint64_t *c = cg->row->counters;

	return c[MT_CTR_DIRECT_STALL_NS] + c[MT_CTR_MEMCG_STALL_NS] +
	       c[MT_CTR_SOFTLIMIT_STALL_NS];
}

static int reclaim_cmp(const void *a, const void *b)
{
	const struct mt_rep_cgroup *x = *(const struct mt_rep_cgroup **)a;
	const struct mt_rep_cgroup *y = *(const struct mt_rep_cgroup **)b;
	uint64_t ox = x->row->counters[MT_CTR_OOM_KILLS];
	uint64_t oy = y->row->counters[MT_CTR_OOM_KILLS];

	if (ox != oy)
		return ox < oy ? 1 : -1;
	if (cg_stall_ns(x) != cg_stall_ns(y))
		return cg_stall_ns(x) < cg_stall_ns(y) ? 1 : -1;
	return strcmp(x->path, y->path);
}

static int ksm_cmp(const void *a, const void *b)
{
	const struct mt_rep_cgroup *x = *(const struct mt_rep_cgroup **)a;
	const struct mt_rep_cgroup *y = *(const struct mt_rep_cgroup **)b;
	uint64_t kx = x->row->counters[MT_CTR_KSM_MERGING_PAGES];
	uint64_t ky = y->row->counters[MT_CTR_KSM_MERGING_PAGES];

	if (kx != ky)
		return kx < ky ? 1 : -1;
	return strcmp(x->path, y->path);
}

static int wss_cmp(const void *a, const void *b)
{
	const struct mt_rep_cgroup *x = *(const struct mt_rep_cgroup **)a;
	const struct mt_rep_cgroup *y = *(const struct mt_rep_cgroup **)b;
	uint64_t kx = x->row->counters[MT_CTR_DAMON_WSS];
	uint64_t ky = y->row->counters[MT_CTR_DAMON_WSS];

	if (kx != ky)
		return kx < ky ? 1 : -1;
	return strcmp(x->path, y->path);
}

static int current_cmp(const void *a, const void *b)
{
	const struct mt_rep_cgroup *x = *(const struct mt_rep_cgroup **)a;
	const struct mt_rep_cgroup *y = *(const struct mt_rep_cgroup **)b;

	if (x->current != y->current)
		return x->current < y->current ? 1 : -1;
	return strcmp(x->path, y->path);
}

enum { PICK_PSI, PICK_FAULTS, PICK_RECLAIM, PICK_KSM, PICK_WSS,
       PICK_CURRENT };

static bool pick_one(const struct mt_rep_cgroup *cg, int what)
{
	const uint64_t *c = cg->row ? cg->row->counters : NULL;

	/* the root's pressure and memory.stat are the system's */
	if (what != PICK_RECLAIM && what != PICK_KSM && what != PICK_WSS &&
	    !strcmp(cg->path, "/"))
		return false;
	switch (what) {
	case PICK_PSI:
		return cg->has_psi && psi_nonzero(&cg->psi);
	case PICK_FAULTS:
		return cg->pgfault || cg->pgmajfault || cg_faults(cg);
	case PICK_RECLAIM:
		return c && (c[MT_CTR_DIRECT_STALLS] || c[MT_CTR_MEMCG_STALLS] ||
			     c[MT_CTR_SOFTLIMIT_STALLS] || c[MT_CTR_OOM_KILLS]);
	case PICK_KSM:
		return c && c[MT_CTR_KSM_MERGING_PAGES];
	case PICK_WSS:
		return c && (c[MT_CTR_DAMON_HOT] + c[MT_CTR_DAMON_WARM] +
			     c[MT_CTR_DAMON_COLD]);
	default:
		return cg->has_current;
	}
}

/*
 * The cgroups a list shows, in its order, at most @top: a new array
 * (free() it) in @v.  Return: how many, or -1 (out of memory).
 */
static ssize_t pick(const struct mt_report *r, int what, size_t top,
		    const struct mt_rep_cgroup ***v)
{
	static int (*const cmp[])(const void *, const void *) = {
		psi_cmp, faults_cmp, reclaim_cmp, ksm_cmp, wss_cmp,
		current_cmp,
	};
	size_t i, n = 0;

	*v = calloc(r->nr_cgroups + 1, sizeof(**v));
	if (!*v)
		return -1;
	for (i = 0; i < r->nr_cgroups; i++)
		if (pick_one(&r->cgroups[i], what))
			(*v)[n++] = &r->cgroups[i];
	if (n)
		qsort(*v, n, sizeof(**v), cmp[what]);
	return n < top ? n : top;
}

/* Text */

static const char *bytes(char buf[static 32], uint64_t v)
{
	mt_bytes(buf, 32, v);
	return buf;
}

static void line(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void line(const char *what, const char *fmt, ...)
{
	va_list ap;

	printf("  %-11s ", what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void pct_of(char *buf, size_t len, uint64_t v, uint64_t total)
{
	char b[32];

	if (total)
		snprintf(buf, len, "%s (%.1f %%)", bytes(b, v),
			 100.0 * v / total);
	else
		snprintf(buf, len, "%s", bytes(b, v));
}

static void text_memory(const struct mt_report *r, size_t top)
{
	uint64_t used = r->mem_total > r->mem_available ?
			r->mem_total - r->mem_available : 0;
	char b[64];

	(void)top;
	line("total", "%s", bytes(b, r->mem_total));
	pct_of(b, sizeof(b), used, r->mem_total);
	line("used", "%s (total - available)", b);
	pct_of(b, sizeof(b), r->mem_free, r->mem_total);
	line("free", "%s", b);
	pct_of(b, sizeof(b), r->mem_available, r->mem_total);
	line("available", "%s", b);
	line("buffers", "%s", bytes(b, r->buffers));
	line("cache", "%s (Cached + SReclaimable)", bytes(b, r->cached));
	if (r->swap_total) {
		char t[32];

		pct_of(b, sizeof(b), r->swap_total - r->swap_free,
		       r->swap_total);
		line("swap", "%s, %s used", bytes(t, r->swap_total), b);
	} else {
		line("swap", "none");
	}
}

/* A table: a header row, then rows of cells, numbers formatted in num */
struct tab {
	int ncols;
	size_t n;		/* rows, without the header */
	const char **cells;
	char (*num)[32];
};

static int tab_init(struct tab *t, int ncols, size_t n,
		    const char *const *head)
{
	int c;

	t->ncols = ncols;
	t->n = n;
	t->cells = calloc((n + 1) * ncols, sizeof(*t->cells));
	t->num = calloc((n + 1) * ncols, sizeof(*t->num));
	if (!t->cells || !t->num) {
		free(t->cells);
		free(t->num);
		return -1;
	}
	for (c = 0; c < ncols; c++)
		t->cells[c] = head[c];
	return 0;
}

static void tab_str(struct tab *t, size_t row, int col, const char *s)
{
	t->cells[(row + 1) * t->ncols + col] = s ? s : "-";
}

static void tab_num(struct tab *t, size_t row, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void tab_num(struct tab *t, size_t row, int col, const char *fmt, ...)
{
	size_t i = (row + 1) * t->ncols + col;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->num[i], sizeof(t->num[i]), fmt, ap);
	va_end(ap);
	t->cells[i] = t->num[i];
}

static void tab_bytes(struct tab *t, size_t row, int col, uint64_t v)
{
	size_t i = (row + 1) * t->ncols + col;

	mt_bytes(t->num[i], sizeof(t->num[i]), v);
	t->cells[i] = t->num[i];
}

/*
 * Print it indented by two blanks; @right_cols: the columns aligned right,
 * t->ncols of them (NULL: all but the first)
 */
static void tab_print(struct tab *t, const bool *right_cols)
{
	bool *right = calloc(t->ncols, sizeof(*right));
	char *buf = NULL, *l, *nl;
	size_t len = 0;
	FILE *f = right ? open_memstream(&buf, &len) : NULL;
	int c;

	for (c = 0; right && c < t->ncols; c++)
		right[c] = right_cols ? right_cols[c] : c > 0;
	if (f) {
		mt_table_print(f, right, t->ncols, t->cells, t->n + 1);
		fclose(f);
		for (l = buf; l && *l; l = nl + 1) {
			nl = strchr(l, '\n');
			if (!nl)
				break;
			printf("  %.*s\n", (int)(nl - l), l);
		}
	}
	free(buf);
	free(right);
	free(t->cells);
	free(t->num);
}

static void psi_cells(struct tab *t, size_t row, const struct mt_psi *p)
{
	tab_num(t, row, 1, "%.2f", p->some);
	tab_num(t, row, 2, "%.2f", p->some60);
	tab_num(t, row, 3, "%.2f", p->some300);
	if (p->has_full) {
		tab_num(t, row, 4, "%.2f", p->full);
		tab_num(t, row, 5, "%.2f", p->full60);
		tab_num(t, row, 6, "%.2f", p->full300);
	} else {
		tab_str(t, row, 4, "-");
		tab_str(t, row, 5, "-");
		tab_str(t, row, 6, "-");
	}
}

static void text_pressure(const struct mt_report *r, size_t top)
{
	static const char *const head[] = {
		"WHERE", "SOME-AVG10", "SOME-AVG60", "SOME-AVG300",
		"FULL-AVG10", "FULL-AVG60", "FULL-AVG300",
	};
	const struct mt_rep_cgroup **v;
	ssize_t n = pick(r, PICK_PSI, top, &v), i;
	struct tab t;

	if (n < 0 || tab_init(&t, 7, n + 1, head)) {
		free(v);
		return;
	}
	tab_str(&t, 0, 0, "system");
	psi_cells(&t, 0, &r->psi);
	for (i = 0; i < n; i++) {
		tab_str(&t, i + 1, 0, v[i]->path);
		psi_cells(&t, i + 1, &v[i]->psi);
	}
	tab_print(&t, NULL);
	if (!n)
		printf("  no cgroup has memory pressure\n");
	free(v);
}

static void text_swap(const struct mt_report *r, size_t top)
{
	static const char *const head[] = {
		"DEVICE", "TYPE", "SIZE", "USED", "PRIORITY",
	};
	struct tab t;
	size_t i;

	(void)top;
	if (!r->nr_swaps) {
		printf("  no swap device\n");
		return;
	}
	if (tab_init(&t, 5, r->nr_swaps, head))
		return;
	for (i = 0; i < r->nr_swaps; i++) {
		tab_str(&t, i, 0, r->swaps[i].name);
		tab_str(&t, i, 1, r->swaps[i].type);
		tab_bytes(&t, i, 2, r->swaps[i].size_kb << 10);
		tab_bytes(&t, i, 3, r->swaps[i].used_kb << 10);
		tab_num(&t, i, 4, "%d", r->swaps[i].prio);
	}
	tab_print(&t, (const bool[]){ false, false, true, true, true });
}

static double per_s(const struct mt_report *r, uint64_t v)
{
	return r->uptime_s > 0 ? v / r->uptime_s : 0;
}

static void text_faults(const struct mt_report *r, size_t top)
{
	static const char *const head[] = {
		"CGROUP", "FAULTS-USER", "FAULTS-KERNEL", "PGFAULT",
		"PGMAJFAULT",
	};
	const struct mt_rep_cgroup **v;
	ssize_t n, i;
	struct tab t;

	printf("  system: %.1f faults/s, %.1f major faults/s (/proc/vmstat pgfault %" PRIu64 ", pgmajfault %" PRIu64 " over %.0f s since boot)\n",
	       per_s(r, r->pgfault), per_s(r, r->pgmajfault), r->pgfault,
	       r->pgmajfault, r->uptime_s);
	n = pick(r, PICK_FAULTS, top, &v);
	if (n > 0 && !tab_init(&t, 5, n, head)) {
		for (i = 0; i < n; i++) {
			const uint64_t *c = v[i]->row ? v[i]->row->counters :
					    NULL;

			tab_str(&t, i, 0, v[i]->path);
			if (c) {
				tab_num(&t, i, 1, "%" PRIu64,
					c[MT_CTR_FAULTS_USER]);
				tab_num(&t, i, 2, "%" PRIu64,
					c[MT_CTR_FAULTS_KERNEL]);
			} else {
				tab_str(&t, i, 1, "-");
				tab_str(&t, i, 2, "-");
			}
			if (v[i]->has_stat) {
				tab_num(&t, i, 3, "%" PRIu64, v[i]->pgfault);
				tab_num(&t, i, 4, "%" PRIu64,
					v[i]->pgmajfault);
			} else {
				tab_str(&t, i, 3, "-");
				tab_str(&t, i, 4, "-");
			}
		}
		tab_print(&t, NULL);
		printf("  (FAULTS-*: memtally, the cgroup's own tasks since the module loaded; PG*: memory.stat, with descendants)\n");
	}
	free(v);
}

static void text_reclaim(const struct mt_report *r, size_t top)
{
	static const char *const head[] = {
		"CGROUP", "DIRECT-STALLS", "DIRECT-ms", "MEMCG-STALLS",
		"MEMCG-ms", "OOM-KILLS",
	};
	const struct mt_rep_cgroup **v;
	ssize_t n = pick(r, PICK_RECLAIM, top, &v), i;
	struct tab t;

	if (n == 0)
		printf("  no cgroup stalled in reclaim or had an OOM kill\n");
	if (n > 0 && !tab_init(&t, 6, n, head)) {
		for (i = 0; i < n; i++) {
			const uint64_t *c = v[i]->row->counters;

			tab_str(&t, i, 0, v[i]->path);
			tab_num(&t, i, 1, "%" PRIu64, c[MT_CTR_DIRECT_STALLS]);
			tab_num(&t, i, 2, "%.1f",
				c[MT_CTR_DIRECT_STALL_NS] / 1e6);
			tab_num(&t, i, 3, "%" PRIu64, c[MT_CTR_MEMCG_STALLS]);
			tab_num(&t, i, 4, "%.1f",
				c[MT_CTR_MEMCG_STALL_NS] / 1e6);
			tab_num(&t, i, 5, "%" PRIu64, c[MT_CTR_OOM_KILLS]);
		}
		tab_print(&t, NULL);
	}
	free(v);
}

/* The KSM savings of /sys/kernel/mm/ksm */
static void ksm_savings(const struct mt_report *r, struct mt_ksm_savings *sv)
{
	mt_ksm_calc(sv, &r->ksm, r->page_size);
}

/* A cgroup's share of the saved bytes (ksmcalc.c) */
static uint64_t ksm_cg_saved(const struct mt_report *r,
			     const struct mt_ksm_savings *sv,
			     const struct mt_rep_cgroup *cg)
{
	return mt_ksm_share(sv->saved,
			    cg->row->counters[MT_CTR_KSM_MERGING_PAGES],
			    r->ksm_merging_pages);
}

static void text_ksm(const struct mt_report *r, size_t top)
{
	static const char *const head[] = {
		"CGROUP", "MERGING-PAGES", "SAVED (share)",
	};
	const struct mt_rep_cgroup **v;
	struct mt_ksm_savings sv;
	ssize_t n, i;
	struct tab t;
	char b[32];

	ksm_savings(r, &sv);
	line("run", "%" PRId64 " (%s)", r->ksm.v[MT_KSM_RUN],
	     mt_ksm_run_name(r->ksm.v[MT_KSM_RUN]));
	line("pages", "shared %" PRId64 ", sharing %" PRId64 ", unshared %" PRId64 ", volatile %" PRId64,
	     r->ksm.v[MT_KSM_PAGES_SHARED], r->ksm.v[MT_KSM_PAGES_SHARING],
	     r->ksm.v[MT_KSM_PAGES_UNSHARED],
	     r->ksm.v[MT_KSM_PAGES_VOLATILE]);
	line("saved", "%s", bytes(b, sv.saved));
	if (isnan(sv.ratio))
		line("ratio", "- (nothing shared)");
	else
		line("ratio", "%.2f (pages_sharing / pages_shared)", sv.ratio);
	if (!r->has_module) {
		printf("  per cgroup: %s\n", no_module);
		return;
	}
	n = pick(r, PICK_KSM, top, &v);
	if (n == 0)
		printf("  no cgroup has KSM-merged pages\n");
	if (n > 0 && !tab_init(&t, 3, n, head)) {
		for (i = 0; i < n; i++) {
			tab_str(&t, i, 0, v[i]->path);
			tab_num(&t, i, 1, "%" PRIu64,
				v[i]->row->counters[MT_CTR_KSM_MERGING_PAGES]);
			tab_bytes(&t, i, 2, ksm_cg_saved(r, &sv, v[i]));
		}
		tab_print(&t, NULL);
	}
	free(v);
}

static void text_damon(const struct mt_report *r, size_t top)
{
	static const char *const head[] = {
		"CGROUP", "WSS", "HOT", "WARM", "COLD",
	};
	const struct mt_rep_cgroup **v;
	ssize_t n = pick(r, PICK_WSS, top, &v), i;
	struct tab t;
	char b[32];

	line("bound", "yes: %" PRIu64 " aggregations, %s seen in the last, hot above %u/s, cold below %u/s",
	     r->damon_aggregations, bytes(b, r->damon_total),
	     r->damon_hot_rate, r->damon_cold_rate);
	if (n == 0)
		printf("  no cgroup has DAMON numbers yet\n");
	if (n > 0 && !tab_init(&t, 5, n, head)) {
		for (i = 0; i < n; i++) {
			const uint64_t *c = v[i]->row->counters;

			tab_str(&t, i, 0, v[i]->path);
			tab_bytes(&t, i, 1, c[MT_CTR_DAMON_WSS]);
			tab_bytes(&t, i, 2, c[MT_CTR_DAMON_HOT]);
			tab_bytes(&t, i, 3, c[MT_CTR_DAMON_WARM]);
			tab_bytes(&t, i, 4, c[MT_CTR_DAMON_COLD]);
		}
		tab_print(&t, NULL);
	}
	free(v);
}

static void text_top_cgroups(const struct mt_report *r, size_t top)
{
	static const char *const head[] = { "CGROUP", "MEMORY.CURRENT" };
	const struct mt_rep_cgroup **v;
	ssize_t n = pick(r, PICK_CURRENT, top, &v), i;
	struct tab t;

	if (n > 0 && !tab_init(&t, 2, n, head)) {
		for (i = 0; i < n; i++) {
			tab_str(&t, i, 0, v[i]->path);
			tab_bytes(&t, i, 1, v[i]->current);
		}
		tab_print(&t, NULL);
	}
	free(v);
}

static void text_top_procs(const struct mt_report *r, size_t top)
{
	static const char *const head[] = {
		"PID", "COMMAND", "CGROUP", "PSS", "RSS",
	};
	size_t n = r->nr_procs < top ? r->nr_procs : top, i;
	static const bool right[] = { true, false, false, true, true };
	struct tab t;

	if (tab_init(&t, 5, n, head))
		return;
	for (i = 0; i < n; i++) {
		const struct mt_rep_proc *p = &r->procs[i];

		tab_num(&t, i, 0, "%d", p->pid);
		tab_str(&t, i, 1, p->comm);
		tab_str(&t, i, 2, p->cgroup);
		if (p->has_pss)
			tab_bytes(&t, i, 3, p->pss);
		else
			tab_str(&t, i, 3, "-");
		tab_bytes(&t, i, 4, p->rss);
	}
	tab_print(&t, right);
	if (!r->procs_pss)
		printf("  (no smaps_rollup: by RSS)\n");
}

static void (*const text_fns[NR_SECS])(const struct mt_report *r,
				       size_t top) = {
	[SEC_MEMORY]		= text_memory,
	[SEC_PRESSURE]		= text_pressure,
	[SEC_SWAP]		= text_swap,
	[SEC_FAULTS]		= text_faults,
	[SEC_RECLAIM]		= text_reclaim,
	[SEC_KSM]		= text_ksm,
	[SEC_DAMON]		= text_damon,
	[SEC_TOP_CGROUPS]	= text_top_cgroups,
	[SEC_TOP_PROCS]		= text_top_procs,
};

/* The report as text, on stdout: what memtally report prints */
void mt_report_print(const struct mt_report *r, const struct mt_recs *l,
		     size_t top)
{
	const char *why;
	size_t i;

	printf("memtally report: %s, Linux %s, %s (%s)\n",
	       r->host ? r->host : "?", r->release ? r->release : "?",
	       r->time ? r->time : "?", r->source ? r->source : "live");
	if (!r->has_module)
		printf("Without the memtally module: no reclaim stalls, OOM kills or faults counted per cgroup, no KSM per cgroup, no DAMON (load it with: modprobe memtally)\n");
	for (i = 0; i < NR_SECS; i++) {
		printf("\n%s\n", sections[i].title);
		why = sections[i].why(r);
		if (why)
			printf("  unavailable: %s\n", why);
		else
			text_fns[i](r, top);
	}
	printf("\nRecommendations\n");
	if (!mt_recs_problems(l))
		printf("  No problems found.\n");
	for (i = 0; i < l->nr; i++)
		printf("  [%s] %s: %s\n    because %s\n",
		       mt_rec_severity_name(l->v[i].severity), l->v[i].rule,
		       l->v[i].advice, l->v[i].evidence);
}

/* JSON */

static void add_u64(struct json_object *o, const char *key, uint64_t v)
{
	json_object_object_add(o, key, json_object_new_uint64(v));
}

static void add_dbl(struct json_object *o, const char *key, double v)
{
	char s[32];

	/* two decimals, as the files have them */
	snprintf(s, sizeof(s), "%.2f", v);
	json_object_object_add(o, key, json_object_new_double_s(v, s));
}

static void add_str(struct json_object *o, const char *key, const char *s)
{
	json_object_object_add(o, key, s ? json_object_new_string(s) : NULL);
}

static struct json_object *json_memory(const struct mt_report *r, size_t top)
{
	struct json_object *o = json_object_new_object();

	(void)top;
	add_u64(o, "total_bytes", r->mem_total);
	add_u64(o, "used_bytes", r->mem_total > r->mem_available ?
		r->mem_total - r->mem_available : 0);
	add_u64(o, "free_bytes", r->mem_free);
	add_u64(o, "available_bytes", r->mem_available);
	add_u64(o, "buffers_bytes", r->buffers);
	add_u64(o, "cache_bytes", r->cached);
	add_u64(o, "swap_total_bytes", r->swap_total);
	add_u64(o, "swap_free_bytes", r->swap_free);
	return o;
}

static struct json_object *psi_json(const struct mt_psi *p)
{
	struct json_object *o = json_object_new_object();

	add_dbl(o, "some_avg10", p->some);
	add_dbl(o, "some_avg60", p->some60);
	add_dbl(o, "some_avg300", p->some300);
	add_u64(o, "some_total_us", p->some_total);
	if (p->has_full) {
		add_dbl(o, "full_avg10", p->full);
		add_dbl(o, "full_avg60", p->full60);
		add_dbl(o, "full_avg300", p->full300);
		add_u64(o, "full_total_us", p->full_total);
	} else {
		add_str(o, "full_avg10", NULL);
		add_str(o, "full_avg60", NULL);
		add_str(o, "full_avg300", NULL);
		add_str(o, "full_total_us", NULL);
	}
	return o;
}

static struct json_object *json_pressure(const struct mt_report *r,
					 size_t top)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array(), *x;
	const struct mt_rep_cgroup **v;
	ssize_t n = pick(r, PICK_PSI, top, &v), i;

	json_object_object_add(o, "system", psi_json(&r->psi));
	for (i = 0; i < n; i++) {
		x = psi_json(&v[i]->psi);
		add_str(x, "path", v[i]->path);
		add_str(x, "file", v[i]->psi_file);
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "cgroups", a);
	free(v);
	return o;
}

static struct json_object *json_swap(const struct mt_report *r, size_t top)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array(), *x;
	size_t i;

	(void)top;
	for (i = 0; i < r->nr_swaps; i++) {
		x = json_object_new_object();
		add_str(x, "device", r->swaps[i].name);
		add_str(x, "type", r->swaps[i].type);
		add_u64(x, "size_bytes", r->swaps[i].size_kb << 10);
		add_u64(x, "used_bytes", r->swaps[i].used_kb << 10);
		json_object_object_add(x, "priority",
				       json_object_new_int(r->swaps[i].prio));
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "devices", a);
	return o;
}

static struct json_object *json_faults(const struct mt_report *r, size_t top)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array(), *x;
	const struct mt_rep_cgroup **v;
	ssize_t n = pick(r, PICK_FAULTS, top, &v), i;

	add_u64(o, "pgfault", r->pgfault);
	add_u64(o, "pgmajfault", r->pgmajfault);
	add_dbl(o, "uptime_s", r->uptime_s);
	add_dbl(o, "pgfault_per_s", per_s(r, r->pgfault));
	add_dbl(o, "pgmajfault_per_s", per_s(r, r->pgmajfault));
	for (i = 0; i < n; i++) {
		const uint64_t *c = v[i]->row ? v[i]->row->counters : NULL;

		x = json_object_new_object();
		add_str(x, "path", v[i]->path);
		json_object_object_add(x, "faults_user", c ?
			json_object_new_uint64(c[MT_CTR_FAULTS_USER]) : NULL);
		json_object_object_add(x, "faults_kernel", c ?
			json_object_new_uint64(c[MT_CTR_FAULTS_KERNEL]) : NULL);
		json_object_object_add(x, "pgfault", v[i]->has_stat ?
			json_object_new_uint64(v[i]->pgfault) : NULL);
		json_object_object_add(x, "pgmajfault", v[i]->has_stat ?
			json_object_new_uint64(v[i]->pgmajfault) : NULL);
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "cgroups", a);
	free(v);
	return o;
}

static struct json_object *json_reclaim(const struct mt_report *r,
					size_t top)
{
	static const enum mt_counter ctrs[] = {
		MT_CTR_DIRECT_STALLS, MT_CTR_DIRECT_STALL_NS,
		MT_CTR_MEMCG_STALLS, MT_CTR_MEMCG_STALL_NS,
		MT_CTR_SOFTLIMIT_STALLS, MT_CTR_SOFTLIMIT_STALL_NS,
		MT_CTR_OOM_KILLS,
	};
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array(), *x;
	const struct mt_rep_cgroup **v;
	ssize_t n = pick(r, PICK_RECLAIM, top, &v), i;
	size_t c;

	for (i = 0; i < n; i++) {
		x = json_object_new_object();
		add_str(x, "path", v[i]->path);
		for (c = 0; c < sizeof(ctrs) / sizeof(ctrs[0]); c++)
			add_u64(x, mt_cgroup_counters[ctrs[c]].json,
				v[i]->row->counters[ctrs[c]]);
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "cgroups", a);
	free(v);
	return o;
}

static struct json_object *json_ksm(const struct mt_report *r, size_t top)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a, *x;
	const struct mt_rep_cgroup **v;
	struct mt_ksm_savings sv;
	ssize_t n, i;
	int f;

	ksm_savings(r, &sv);
	for (f = 0; f < MT_NR_KSM_FILES; f++)
		json_object_object_add(o, mt_ksm_files[f].name,
				       r->ksm.has[f] ?
				       json_object_new_int64(r->ksm.v[f]) :
				       NULL);
	add_u64(o, "page_size", r->page_size);
	add_u64(o, "saved_bytes", sv.saved);
	if (isnan(sv.ratio))
		add_str(o, "ratio", NULL);
	else
		add_dbl(o, "ratio", sv.ratio);
	if (!r->has_module) {
		add_str(o, "cgroups", NULL);
		return o;
	}
	a = json_object_new_array();
	n = pick(r, PICK_KSM, top, &v);
	for (i = 0; i < n; i++) {
		x = json_object_new_object();
		add_str(x, "path", v[i]->path);
		add_u64(x, "merging_pages",
			v[i]->row->counters[MT_CTR_KSM_MERGING_PAGES]);
		add_u64(x, "saved_bytes", ksm_cg_saved(r, &sv, v[i]));
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "cgroups", a);
	free(v);
	return o;
}

static struct json_object *json_damon(const struct mt_report *r, size_t top)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array(), *x;
	const struct mt_rep_cgroup **v;
	ssize_t n = pick(r, PICK_WSS, top, &v), i;

	add_u64(o, "aggregations", r->damon_aggregations);
	add_u64(o, "total_bytes", r->damon_total);
	add_u64(o, "hot_rate", r->damon_hot_rate);
	add_u64(o, "cold_rate", r->damon_cold_rate);
	for (i = 0; i < n; i++) {
		const uint64_t *c = v[i]->row->counters;

		x = json_object_new_object();
		add_str(x, "path", v[i]->path);
		add_u64(x, "wss_bytes", c[MT_CTR_DAMON_WSS]);
		add_u64(x, "hot_bytes", c[MT_CTR_DAMON_HOT]);
		add_u64(x, "warm_bytes", c[MT_CTR_DAMON_WARM]);
		add_u64(x, "cold_bytes", c[MT_CTR_DAMON_COLD]);
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "cgroups", a);
	free(v);
	return o;
}

static struct json_object *json_top_cgroups(const struct mt_report *r,
					    size_t top)
{
	struct json_object *a = json_object_new_array(), *x;
	const struct mt_rep_cgroup **v;
	ssize_t n = pick(r, PICK_CURRENT, top, &v), i;

	for (i = 0; i < n; i++) {
		x = json_object_new_object();
		add_str(x, "path", v[i]->path);
		add_u64(x, "memory_current_bytes", v[i]->current);
		json_object_array_add(a, x);
	}
	free(v);
	return a;
}

static struct json_object *json_top_procs(const struct mt_report *r,
					  size_t top)
{
	struct json_object *a = json_object_new_array(), *x;
	size_t i;

	for (i = 0; i < r->nr_procs && i < top; i++) {
		const struct mt_rep_proc *p = &r->procs[i];

		x = json_object_new_object();
		json_object_object_add(x, "pid", json_object_new_int(p->pid));
		add_str(x, "comm", p->comm);
		add_str(x, "cgroup", p->cgroup);
		json_object_object_add(x, "pss_bytes", p->has_pss ?
				       json_object_new_uint64(p->pss) : NULL);
		add_u64(x, "rss_bytes", p->rss);
		json_object_array_add(a, x);
	}
	return a;
}

static struct json_object *(*const json_fns[NR_SECS])(
	const struct mt_report *r, size_t top) = {
	[SEC_MEMORY]		= json_memory,
	[SEC_PRESSURE]		= json_pressure,
	[SEC_SWAP]		= json_swap,
	[SEC_FAULTS]		= json_faults,
	[SEC_RECLAIM]		= json_reclaim,
	[SEC_KSM]		= json_ksm,
	[SEC_DAMON]		= json_damon,
	[SEC_TOP_CGROUPS]	= json_top_cgroups,
	[SEC_TOP_PROCS]		= json_top_procs,
};

/**
 * mt_report_json() - the whole report as one object
 *
 * A section whose data is missing is null, and "unavailable" says why,
 * by the section's key.
 */
struct json_object *mt_report_json(const struct mt_report *r,
				   const struct mt_recs *l, size_t top)
{
	struct json_object *o = json_object_new_object();
	struct json_object *un = json_object_new_object();
	struct json_object *a = json_object_new_array(), *x;
	const char *why;
	size_t i;

	add_str(o, "source", r->source ? r->source : "live");
	add_str(o, "time", r->time);
	add_str(o, "host", r->host);
	add_str(o, "kernel", r->release);
	json_object_object_add(o, "module",
			       json_object_new_boolean(r->has_module));
	for (i = 0; i < NR_SECS; i++) {
		why = sections[i].why(r);
		if (why)
			add_str(un, sections[i].key, why);
		json_object_object_add(o, sections[i].key, why ? NULL :
				       json_fns[i](r, top));
	}
	json_object_object_add(o, "unavailable", un);
	for (i = 0; i < l->nr; i++) {
		x = json_object_new_object();
		add_str(x, "severity", mt_rec_severity_name(l->v[i].severity));
		add_str(x, "rule", l->v[i].rule);
		add_str(x, "advice", l->v[i].advice);
		add_str(x, "evidence", l->v[i].evidence);
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "recommendations", a);
	json_object_object_add(o, "problems",
			       json_object_new_boolean(mt_recs_problems(l)));
	return o;
}

int cmd_report(int argc, char **argv, bool json)
{
	struct report_opts o = { .json = json, .top = DEFAULT_TOP };
	struct mt_report r;
	struct mt_recs l;
	struct mt_snap s;
	int err;

	if (report_parse(argc, argv, &o))
		return MT_EXIT_USAGE;
	if (o.help) {
		fputs(report_usage, stdout);
		return MT_EXIT_OK;
	}
	if (o.from ? mt_snap_load(o.from, &s) :
	    mt_snap_take(MT_TAKE_MODULE | MT_TAKE_SYSTEM | MT_TAKE_PROCS, &s))
		return MT_EXIT_RUNTIME;
	err = mt_report_collect(&s, o.from, &r);
	if (!err) {
		err = mt_recommend(&r, &l);
		if (err)
			mt_report_free(&r);
	}
	if (err) {
		mt_snap_free(&s);
		mt_err("out of memory");
		return MT_EXIT_RUNTIME;
	}
	if (o.json)
		err = mt_json_print(stdout, mt_report_json(&r, &l, o.top));
	else
		mt_report_print(&r, &l, o.top);
	mt_recs_free(&l);
	mt_report_free(&r);
	mt_snap_free(&s);
	if (err) {
		mt_err("out of memory");
		return MT_EXIT_RUNTIME;
	}
	return MT_EXIT_OK;
}
