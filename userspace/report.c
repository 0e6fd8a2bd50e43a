// SPDX-License-Identifier: GPL-2.0
/*
 * memtally report: what a snapshot (live or a file) says, collected into
 * struct mt_report section by section (pure: no I/O, fuzzed), and what the
 * text (report_text.c) and JSON (report_json.c) views share: why a section
 * is unavailable, which cgroups a list shows, KSM's savings.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json.h>

#include "cli.h"
#include "format.h"
#include "ksm.h"
#include "ksmfs.h"
#include "report.h"
#include "snapfile.h"

#define KSM_SYS_DIR	"/sys/kernel/mm/ksm"

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

/*
 * The cgroup of @path ("/a", @len bytes): the last one if it has that path
 * (a snapshot lists a cgroup's files together), else a new one.  A path
 * may so come twice: cg_merge() joins them once the list is sorted.
 * Return: it, or NULL (ENOMEM).
 */
static struct mt_rep_cgroup *cg_get(struct mt_report *r, const char *path,
				    size_t len, size_t *cap)
{
	struct mt_rep_cgroup *cg;

	if (r->nr_cgroups) {
		cg = &r->cgroups[r->nr_cgroups - 1];
		if (!strncmp(cg->path, path, len) && !cg->path[len])
			return cg;
	}
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

/* bsearch(): the cgroup whose path is the first @len bytes of @key */
struct path_key {
	const char *path;
	size_t len;
};

static int path_key_cmp(const void *k, const void *e)
{
	const struct path_key *key = k;
	const char *p = ((const struct mt_rep_cgroup *)e)->path;
	int c = strncmp(key->path, p, key->len);

	return c ? c : -!!p[key->len];
}

/*
 * Each cgroup's children's memory.events oom_kill, for the kills of its
 * own (memory.events counts descendants'): by each one's parent, found in
 * the sorted list.  A cgroup whose parent is not there adds to nothing.
 */
static void children_oom_collect(struct mt_report *r)
{
	struct mt_rep_cgroup *parent;
	struct path_key key;
	const char *slash;
	size_t i;

	for (i = 0; i < r->nr_cgroups; i++) {
		if (!r->cgroups[i].has_events)
			continue;
		key.path = r->cgroups[i].path;
		slash = strrchr(key.path, '/');
		if (!slash || !slash[1])
			continue;	/* the root, or not a path */
		key.len = slash == key.path ? 1 : (size_t)(slash - key.path);
		parent = bsearch(&key, r->cgroups, r->nr_cgroups,
				 sizeof(*r->cgroups), path_key_cmp);
		if (parent && parent->has_events)
			parent->children_oom_kill += r->cgroups[i].oom_kill;
	}
}

/* What @b knows and @a does not, into @a; @b's own allocations freed */
static void cg_join(struct mt_rep_cgroup *a, struct mt_rep_cgroup *b)
{
	if (!a->has_psi && b->has_psi) {
		a->has_psi = true;
		a->psi = b->psi;
		free(a->psi_file);
		a->psi_file = b->psi_file;
		b->psi_file = NULL;
	}
	if (!a->has_current && b->has_current) {
		a->has_current = true;
		a->current = b->current;
	}
	if (!a->has_stat && b->has_stat) {
		a->has_stat = true;
		a->pgfault = b->pgfault;
		a->pgmajfault = b->pgmajfault;
	}
	if (!a->has_events && b->has_events) {
		a->has_events = true;
		a->oom_kill = b->oom_kill;
	}
	if (!a->row)
		a->row = b->row;
	free(b->path);
	free(b->psi_file);
}

/* The sorted list with each path once: the first of a path keeps all */
static void cg_merge(struct mt_report *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->nr_cgroups; i++) {
		if (n && !strcmp(r->cgroups[n - 1].path, r->cgroups[i].path))
			cg_join(&r->cgroups[n - 1], &r->cgroups[i]);
		else
			r->cgroups[n++] = r->cgroups[i];
	}
	r->nr_cgroups = n;
}

static int cgroups_collect(const struct mt_snap *s, struct mt_report *r)
{
	struct json_object *files = mt_snap_files(s);
	uint64_t merged = 0;
	size_t cap = 0, i;
	int err;

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
	/* sorted, then a path's entries (its files, its row) joined */
	if (r->nr_cgroups)
		qsort(r->cgroups, r->nr_cgroups, sizeof(*r->cgroups), cg_cmp);
	cg_merge(r);
	children_oom_collect(r);
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

const char mt_rep_no_module[] = "needs the memtally module (load it with: modprobe memtally)";

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
	return r->has_module ? NULL : mt_rep_no_module;
}

static const char *why_ksm(const struct mt_report *r)
{
	return r->has_ksm ? NULL : "KSM is not built into this kernel (CONFIG_KSM): no /sys/kernel/mm/ksm";
}

static const char *why_damon(const struct mt_report *r)
{
	switch (r->damon) {
	case MT_REP_DAMON_NO_MODULE:
		return mt_rep_no_module;
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
const struct mt_rep_section mt_rep_sections[MT_NR_REP_SECS] = {
	[MT_REP_SEC_MEMORY]	  = { "Memory (/proc/meminfo)", "memory", why_memory },
	[MT_REP_SEC_PRESSURE]	  = { "Memory pressure (PSI, % of time)", "pressure",
			      why_pressure },
	[MT_REP_SEC_SWAP]	  = { "Swap devices (/proc/swaps)", "swap", why_swap },
	[MT_REP_SEC_FAULTS]	  = { "Page faults", "faults", why_faults },
	[MT_REP_SEC_RECLAIM]	  = { "Reclaim stalls and OOM kills (since the module loaded)",
			      "reclaim", why_reclaim },
	[MT_REP_SEC_KSM]	  = { "KSM", "ksm", why_ksm },
	[MT_REP_SEC_DAMON]	  = { "DAMON", "damon", why_damon },
	[MT_REP_SEC_TOP_CGROUPS] = { "Top cgroups (memory.current, with descendants)",
			      "top_cgroups", why_top_cgroups },
	[MT_REP_SEC_TOP_PROCS]	  = { "Top processes", "top_processes",
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

static bool pick_one(const struct mt_rep_cgroup *cg, int what)
{
	const uint64_t *c = cg->row ? cg->row->counters : NULL;

	/* the root's pressure and memory.stat are the system's */
	if (what != MT_REP_PICK_RECLAIM && what != MT_REP_PICK_KSM &&
	    what != MT_REP_PICK_WSS && !strcmp(cg->path, "/"))
		return false;
	switch (what) {
	case MT_REP_PICK_PSI:
		return cg->has_psi && psi_nonzero(&cg->psi);
	case MT_REP_PICK_FAULTS:
		return cg->pgfault || cg->pgmajfault || cg_faults(cg);
	case MT_REP_PICK_RECLAIM:
		return c && (c[MT_CTR_DIRECT_STALLS] || c[MT_CTR_MEMCG_STALLS] ||
			     c[MT_CTR_SOFTLIMIT_STALLS] || c[MT_CTR_OOM_KILLS]);
	case MT_REP_PICK_KSM:
		return c && (c[MT_CTR_KSM_MERGING_PAGES] ||
			     c[MT_CTR_KSM_ZERO_PAGES]);
	case MT_REP_PICK_WSS:
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
ssize_t mt_report_pick(const struct mt_report *r, int what, size_t top,
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

/* @v per second of uptime */
double mt_report_per_s(const struct mt_report *r, uint64_t v)
{
	return r->uptime_s > 0 ? v / r->uptime_s : 0;
}

/* The KSM savings of /sys/kernel/mm/ksm */
void mt_report_ksm_savings(const struct mt_report *r,
			   struct mt_ksm_savings *sv)
{
	mt_ksm_calc(sv, &r->ksm, r->page_size);
}

/* A cgroup's share of the saved bytes (ksm.c) */
uint64_t mt_report_ksm_cg_saved(const struct mt_report *r,
				const struct mt_ksm_savings *sv,
				const struct mt_rep_cgroup *cg)
{
	return mt_ksm_cg_saved(sv, cg->row->counters[MT_CTR_KSM_MERGING_PAGES],
			       r->ksm_merging_pages,
			       cg->row->counters[MT_CTR_KSM_ZERO_PAGES]);
}
