// SPDX-License-Identifier: GPL-2.0
/*
 * memtally ksm: what KSM saves, system-wide, per cgroup (from the module)
 * and per process; memtally ksm trial: run KSM hard for a few full scans,
 * restore its settings, and tell whether it is worth keeping on.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <json.h>

#include "cli.h"
#include "cmds.h"
#include "ksm.h"
#include "ksmfs.h"
#include "nl.h"
#include "snapfile.h"

/* The subcommands; the Usage lines of --help are made from them */
static const struct mt_subcmd ksm_cmds[] = {
	{ .name = "", .args = "[-p|--processes] [--from FILE] [-j]",
	  .dflt = true },
	{ .name = "trial", .id = 1,
	  .args = "[--scans N] [--pages-to-scan P] [--sleep-ms S]\n"
		  "[--timeout SEC] [--keep] [-j]" },
};

static const char ksm_usage[] =
"\n"
"Show what KSM saves: its state and settings from /sys/kernel/mm/ksm,\n"
"the memory saved ((pages_sharing + ksm_zero_pages) * page size), the\n"
"dedup ratio (pages_sharing / pages_shared), and, with the memtally\n"
"module, the cgroups whose processes have merged pages.\n"
"\n"
"Options:\n"
"  -p, --processes  also each process with KSM rmap items\n"
"      --from FILE  what a snapshot (memtally snapshot -o FILE) saw\n"
"  -j, --json       print one JSON object\n"
"  -h, --help       show this help\n"
"\n"
"Run 'memtally ksm trial --help' for the trial.\n";

static const char trial_usage[] =
"\n"
"Run KSM hard (run=1 with the settings below) until it has done N more\n"
"full scans, restore run, pages_to_scan and sleep_millisecs, and report\n"
"the savings and a verdict: keep KSM on above 100 MB saved, disable it\n"
"below 20 MB (MB = 10^6 bytes).  Needs root.  The settings are restored\n"
"after SIGINT, SIGTERM, SIGHUP and SIGQUIT too (exit code 128 + the\n"
"signal).  A run of 2 (unmerge) is restored as 0, and as 2, which\n"
"unmerges every page, once the report's numbers are read.\n"
"\n"
"Options:\n"
"      --scans N          full scans to wait for (default 2)\n"
"      --pages-to-scan P  pages_to_scan meanwhile (default 5000)\n"
"      --sleep-ms S       sleep_millisecs meanwhile (default 10)\n"
"      --timeout SEC      give up after SEC seconds (default 120)\n"
"      --keep             leave the trial's settings after it\n"
"  -j, --json             print one JSON object\n"
"  -h, --help             show this help\n";

enum { OPT_SCANS = 256, OPT_PAGES, OPT_SLEEP, OPT_TIMEOUT, OPT_KEEP, OPT_FROM };

/* Return: 0, or MT_EXIT_USAGE after reporting the error. */
int ksm_parse(int argc, char **argv, struct ksm_opts *o)
{
	static const struct option show_opts[] = {
		{ "processes", no_argument, NULL, 'p' },
		{ "from",      required_argument, NULL, OPT_FROM },
		{ "json",      no_argument, NULL, 'j' },
		{ "help",      no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct option trial_opts[] = {
		{ "scans",         required_argument, NULL, OPT_SCANS },
		{ "pages-to-scan", required_argument, NULL, OPT_PAGES },
		{ "sleep-ms",      required_argument, NULL, OPT_SLEEP },
		{ "timeout",       required_argument, NULL, OPT_TIMEOUT },
		{ "keep",          no_argument,       NULL, OPT_KEEP },
		{ "json",          no_argument,       NULL, 'j' },
		{ "help",          no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct mt_subcmd *sub;
	const char *cmd;
	int c, used;

	sub = mt_subcmd_parse("ksm", ksm_cmds, 2, argc, argv, &used);
	if (!sub)
		return MT_EXIT_USAGE;
	o->trial = sub->id;
	cmd = o->trial ? "ksm trial" : "ksm";
	argc -= used;
	argv += used;
	optind = 0;	/* glibc: rescan from argv[1], forgetting earlier calls */
	while ((c = getopt_long(argc, argv, o->trial ? ":jh" : ":pjh",
				o->trial ? trial_opts : show_opts,
				NULL)) != -1) {
		switch (c) {
		case 'p':
			o->processes = true;
			break;
		case OPT_SCANS:
			if (mt_num_arg("ksm trial", "--scans", optarg, 1,
				       UINT32_MAX, &o->scans))
				return MT_EXIT_USAGE;
			break;
		case OPT_PAGES:
			if (mt_num_arg("ksm trial", "--pages-to-scan", optarg,
				       1, UINT32_MAX, &o->pages_to_scan))
				return MT_EXIT_USAGE;
			break;
		case OPT_SLEEP:
			if (mt_num_arg("ksm trial", "--sleep-ms", optarg, 0,
				       UINT32_MAX, &o->sleep_ms))
				return MT_EXIT_USAGE;
			break;
		case OPT_TIMEOUT:
			if (mt_num_arg("ksm trial", "--timeout", optarg, 1,
				       UINT32_MAX, &o->timeout_s))
				return MT_EXIT_USAGE;
			break;
		case OPT_KEEP:
			o->keep = true;
			break;
		case OPT_FROM:
			o->from = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			o->help = true;
			break;
		default:
			return mt_getopt_err(cmd, c, argv);
		}
	}
	if (optind < argc)
		return mt_usage_err("%s: unexpected argument '%s'", cmd,
				    argv[optind]);
	return 0;
}

/* What memtally ksm shows */
struct report {
	struct mt_ksm_sys sys;
	struct mt_ksm_savings sv;
	bool module;		/* the module is loaded: mod, rows */
	bool snap;		/* mod and rows from a snapshot */
	struct mt_ksm mod;
	struct mt_rows rows;	/* cgroups with merged pages, most first */
	uint64_t merged;	/* what their shares are of: mt_ksm_whole() */
	struct mt_cgmap map;
	struct mt_ksm_proc *procs;	/* most merged first */
	size_t nprocs;
	long page_size;
	uint64_t now_ns;	/* CLOCK_BOOTTIME, for the walk's age */
};

/* The module's numbers, if it is loaded.  Prints the error.  0 or -1. */
static int module_load(struct report *r)
{
	char root[PATH_MAX];
	struct mt_nl nl;
	size_t i, n = 0;
	int err = mt_nl_connect(&nl, MEMTALLY_FAMILY_NAME);

	if (err == -ENOENT)
		return 0;
	if (err) {
		mt_nl_report(&nl, "opening a generic netlink socket", err);
		return -1;
	}
	err = mt_nl_ksm(&nl, &r->mod);
	if (err)
		mt_nl_report(&nl, "reading the KSM numbers", err);
	else
		err = mt_cli_cgroups(&nl, NULL, 0, &r->rows);
	mt_nl_close(&nl);
	if (err || mt_cli_cgroot(root, sizeof(root)))
		return -1;
	for (i = 0; i < r->rows.nr; i++) {
		if (!r->rows.v[i].counters[MT_CTR_KSM_MERGING_PAGES] &&
		    !r->rows.v[i].counters[MT_CTR_KSM_ZERO_PAGES])
			continue;
		r->merged += r->rows.v[i].counters[MT_CTR_KSM_MERGING_PAGES];
		r->rows.v[n++] = r->rows.v[i];
	}
	r->rows.nr = n;
	r->merged = mt_ksm_whole(r->mod.merging_pages, r->merged);
	if (mt_cli_paths(&r->map, root, r->rows.v, n))
		return -1;
	r->module = true;
	mt_cgroups_sort(r->rows.v, n, MT_SORT_COUNTER + MT_CTR_KSM_MERGING_PAGES);
	return 0;
}

static int proc_cmp(const void *pa, const void *pb)
{
	const struct mt_ksm_proc *a = pa, *b = pb;

	if (a->merging_pages != b->merging_pages)
		return a->merging_pages < b->merging_pages ? 1 : -1;
	return (a->pid > b->pid) - (a->pid < b->pid);
}

/* Prints the error.  Return: 0 or -1. */
static int report_load(struct report *r, const char *dir)
{
	int err;

	if (mt_ksm_read(dir, &r->sys))
		return -1;
	r->page_size = sysconf(_SC_PAGESIZE);
	mt_ksm_calc(&r->sv, &r->sys, r->page_size);
	if (module_load(r))
		return -1;
	r->now_ns = mt_now_ns(CLOCK_BOOTTIME);	/* after the walk it ages */
	err = mt_ksm_procs("/proc", &r->procs, &r->nprocs);
	if (err) {
		mt_err("/proc: %s", strerror(-err));
		return -1;
	}
	if (r->nprocs)
		qsort(r->procs, r->nprocs, sizeof(*r->procs), proc_cmp);
	return 0;
}

/* The KSM numbers of the process whose files are @dir/... in @s */
static int snap_proc(const struct mt_snap *s, const char *dir,
		     struct mt_ksm_proc *p)
{
	char path[PATH_MAX];
	const char *t;
	FILE *f;

	memset(p, 0, sizeof(*p));
	p->pid = atoi(dir + strlen("/proc/"));
	snprintf(path, sizeof(path), "%s/ksm_merging_pages", dir);
	t = mt_snap_file(s, path);
	if (!t)
		return -1;
	p->merging_pages = strtoull(t, NULL, 10);
	snprintf(path, sizeof(path), "%s/ksm_stat", dir);
	t = mt_snap_file(s, path);
	f = t ? fmemopen((void *)t, strlen(t), "r") : NULL;
	if (f) {
		mt_ksm_stat_parse(f, p);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/comm", dir);
	t = mt_snap_file(s, path);
	if (t) {
		snprintf(p->comm, sizeof(p->comm), "%s", t);
		p->comm[strcspn(p->comm, "\n")] = '\0';
	}
	snprintf(path, sizeof(path), "%s/cgroup", dir);
	t = mt_snap_file(s, path);
	f = t ? fmemopen((void *)t, strlen(t), "r") : NULL;
	if (f) {
		p->cgroup = mt_proc_cgroup_parse(f);
		fclose(f);
	}
	return 0;
}

/* report_load() of what snapshot @s saw.  Prints the error.  0 or -1. */
static int report_snap(struct report *r, const struct mt_snap *s)
{
	struct json_object_iterator it, end;
	struct json_object *files = mt_snap_files(s);
	size_t i, n = 0, cap = 0;
	struct mt_ksm_proc p;

	mt_snap_ksm_sys(s, &r->sys);
	if (!r->sys.has[MT_KSM_RUN]) {
		mt_err("the snapshot has no /sys/kernel/mm/ksm: KSM is not built into its kernel (CONFIG_KSM)");
		return -1;
	}
	r->page_size = (long)mt_snap_u64(s, "page_size");
	if (!r->page_size)
		r->page_size = sysconf(_SC_PAGESIZE);
	r->now_ns = mt_snap_u64(s, "boottime_ns");
	mt_ksm_calc(&r->sv, &r->sys, r->page_size);
	if (s->has_module && !mt_snap_ksm(s, &r->mod)) {
		r->rows.v = calloc(s->nr_cgroups + 1, sizeof(*r->rows.v));
		if (!r->rows.v)
			goto nomem;
		for (i = 0; i < s->nr_cgroups; i++) {
			const struct mt_cgroup *cg = &s->cgroups[i];

			if (!cg->counters[MT_CTR_KSM_MERGING_PAGES] &&
			    !cg->counters[MT_CTR_KSM_ZERO_PAGES])
				continue;
			/* a file's numbers may add up past 2^64: stop there */
			r->merged += cg->counters[MT_CTR_KSM_MERGING_PAGES];
			if (r->merged < cg->counters[MT_CTR_KSM_MERGING_PAGES])
				r->merged = UINT64_MAX;
			r->rows.v[n++] = *cg;
		}
		r->rows.nr = n;
		r->merged = mt_ksm_whole(r->mod.merging_pages, r->merged);
		r->module = true;
		r->snap = true;
		mt_cgroups_sort(r->rows.v, n,
				MT_SORT_COUNTER + MT_CTR_KSM_MERGING_PAGES);
	}
	it = json_object_iter_begin(files);
	end = json_object_iter_end(files);
	for (; files && !json_object_iter_equal(&it, &end);
	     json_object_iter_next(&it)) {
		const char *name = json_object_iter_peek_name(&it);
		char dir[64];
		size_t len = strlen(name);

		/* "/proc/" and "/ksm_merging_pages" do not overlap */
		if (strncmp(name, "/proc/", 6) || len < 6 + 18 ||
		    strcmp(name + len - 18, "/ksm_merging_pages") ||
		    len - 18 >= sizeof(dir))
			continue;
		snprintf(dir, sizeof(dir), "%.*s", (int)(len - 18), name);
		if (snap_proc(s, dir, &p))
			continue;
		if (!p.rmap_items) {
			free(p.cgroup);
			continue;
		}
		if (r->nprocs == cap) {
			struct mt_ksm_proc *nv;

			cap = cap ? 2 * cap : 16;
			nv = realloc(r->procs, cap * sizeof(*nv));
			if (!nv) {
				free(p.cgroup);
				goto nomem;
			}
			r->procs = nv;
		}
		r->procs[r->nprocs++] = p;
	}
	if (r->nprocs)
		qsort(r->procs, r->nprocs, sizeof(*r->procs), proc_cmp);
	return 0;
nomem:
	mt_err("out of memory");
	return -1;
}

static void report_free(struct report *r)
{
	if (r->module && !r->snap)
		mt_cgmap_free(&r->map);
	mt_rows_free(&r->rows);
	mt_ksm_procs_free(r->procs, r->nprocs);
}

/* The cgroup's share of the merged pages, in percent */
static double share(const struct report *r, const struct mt_cgroup *cg)
{
	return 100.0 * cg->counters[MT_CTR_KSM_MERGING_PAGES] / r->merged;
}

/* The cgroup's share of the saved bytes */
static uint64_t cg_saved(const struct report *r, const struct mt_cgroup *cg)
{
	return mt_ksm_cg_saved(&r->sv, cg->counters[MT_CTR_KSM_MERGING_PAGES],
			       r->merged, cg->counters[MT_CTR_KSM_ZERO_PAGES]);
}

static uint64_t walk_age_ns(const struct report *r)
{
	return r->now_ns > r->mod.updated_ns ? r->now_ns - r->mod.updated_ns :
	       0;
}

static void savings_print(const struct mt_ksm_savings *sv)
{
	char size[32];

	mt_bytes(size, sizeof(size), sv->saved);
	printf("%-20s%" PRIu64 " bytes (%s)\n", "memory saved:", sv->saved,
	       size);
	if (isnan(sv->ratio))
		printf("%-20s-\n", "dedup ratio:");
	else
		printf("%-20s%.1f\n", "dedup ratio:", sv->ratio);
	if (isnan(sv->pct))
		printf("%-20s-\n", "savings:");
	else
		printf("%-20s%.1f%%\n", "savings:", sv->pct);
}

static void global_print(const struct mt_ksm_sys *s)
{
	char label[32];
	int i;

	for (i = 0; i < MT_NR_KSM_FILES; i++) {
		if (!s->has[i])
			continue;
		snprintf(label, sizeof(label), "%s:", mt_ksm_files[i].name);
		printf("%-20s%" PRId64, label, s->v[i]);
		if (i == MT_KSM_RUN)
			printf(" (%s)", mt_ksm_run_name(s->v[i]));
		putchar('\n');
	}
}

/* PATH, MERGED, SAVED, SHARE, RMAP_ITEMS, ZERO_PAGES */
static int cgroups_print(const struct report *r)
{
	static const char *const head[] = {
		"PATH", "MERGED", "SAVED", "SHARE", "RMAP_ITEMS", "ZERO_PAGES",
	};
	struct mt_tab t;
	size_t i;

	if (!r->module) {
		puts("per cgroup: needs the memtally module (load it with: modprobe memtally)");
		return 0;
	}
	printf("module: KSM walk %.1fs ago: %" PRIu64 " merging pages, %"
	       PRIu64 " rmap items, %" PRIu64 " zero pages",
	       walk_age_ns(r) / 1e9, r->mod.merging_pages,
	       r->mod.rmap_items, r->mod.zero_pages);
	if (r->mod.has_full_scans)
		printf(", %" PRIu64 " full scans", r->mod.full_scans);
	putchar('\n');
	if (!r->rows.nr) {
		puts("no cgroup has KSM-merged pages");
		return 0;
	}
	if (mt_tab_init(&t, 6, r->rows.nr, head))
		return -ENOMEM;
	for (i = 0; i < r->rows.nr; i++) {
		const struct mt_cgroup *cg = &r->rows.v[i];

		mt_tab_str(&t, i, 0, cg->path ? cg->path : "?");
		mt_tab_u64(&t, i, 1, cg->counters[MT_CTR_KSM_MERGING_PAGES]);
		mt_tab_bytes(&t, i, 2, cg_saved(r, cg));
		mt_tab_num(&t, i, 3, "%.1f%%", share(r, cg));
		mt_tab_u64(&t, i, 4, cg->counters[MT_CTR_KSM_RMAP_ITEMS]);
		mt_tab_u64(&t, i, 5, cg->counters[MT_CTR_KSM_ZERO_PAGES]);
	}
	mt_tab_print(stdout, &t, NULL, "");
	return 0;
}

/* PID, COMM, CGROUP, MERGED, RMAP_ITEMS, and ZERO and PROFIT on 6.12 */
static int procs_print(const struct report *r)
{
	static const char *const head[] = {
		"PID", "COMM", "CGROUP", "MERGED", "RMAP_ITEMS", "ZERO",
		"PROFIT",
	};
	static const bool right[] = { true, false, false, true, true, true,
				      true };
	struct mt_tab t;
	size_t i;

	if (!r->nprocs) {
		puts("no process has KSM rmap items");
		return 0;
	}
	/* 6.12 ksm_stat has both ZERO and PROFIT */
	if (mt_tab_init(&t, r->procs[0].has_zero_pages ? 7 : 5, r->nprocs,
			head))
		return -ENOMEM;
	for (i = 0; i < r->nprocs; i++) {
		const struct mt_ksm_proc *p = &r->procs[i];

		mt_tab_num(&t, i, 0, "%d", p->pid);
		mt_tab_str(&t, i, 1, p->comm);
		mt_tab_str(&t, i, 2, p->cgroup ? p->cgroup : "?");
		mt_tab_u64(&t, i, 3, p->merging_pages);
		mt_tab_u64(&t, i, 4, p->rmap_items);
		if (t.ncols == 7) {
			mt_tab_u64(&t, i, 5, p->zero_pages);
			mt_tab_num(&t, i, 6, "%" PRId64, p->profit);
		}
	}
	mt_tab_print(stdout, &t, right, "");
	return 0;
}

static void note_print(const struct report *r)
{
	if (!r->sys.v[MT_KSM_PAGES_SHARING] && !r->nprocs)
		puts("note: KSM merges only memory marked MADV_MERGEABLE (madvise(2)), or of processes with prctl(PR_SET_MEMORY_MERGE) (Linux 6.4 and later); no process has any");
}

/* Prints the error.  Return: 0 or -1. */
static int report_print(const struct report *r, bool processes)
{
	int err;

	global_print(&r->sys);
	savings_print(&r->sv);
	putchar('\n');
	err = cgroups_print(r);
	if (!err && processes) {
		putchar('\n');
		err = procs_print(r);
	}
	if (!err)
		note_print(r);
	if (err)
		mt_err("out of memory");
	return err ? -1 : 0;
}

/* @v with one decimal, as printed; NAN is null */
static void add_dec(struct json_object *o, const char *key, double v)
{
	char s[32];

	snprintf(s, sizeof(s), "%.1f", v);
	json_object_object_add(o, key, isnan(v) ? NULL :
			       json_object_new_double_s(v, s));
}

static struct json_object *global_json(const struct report *r)
{
	struct json_object *o = json_object_new_object();
	int i;

	for (i = 0; i < MT_NR_KSM_FILES; i++)
		if (r->sys.has[i])
			json_object_object_add(o, mt_ksm_files[i].name,
				json_object_new_int64(r->sys.v[i]));
	mt_json_put_u64(o, "page_size", r->page_size);
	mt_json_put_u64(o, "saved_bytes", r->sv.saved);
	add_dec(o, "ratio", r->sv.ratio);
	add_dec(o, "savings_pct", r->sv.pct);
	return o;
}

static struct json_object *module_json(const struct report *r)
{
	const struct mt_ksm *k = &r->mod;
	struct json_object *o = json_object_new_object();

	mt_json_put_u64(o, "updated_ns", k->updated_ns);
	mt_json_put_u64(o, "age_ns", walk_age_ns(r));
	mt_json_put_u64(o, "merging_pages", k->merging_pages);
	mt_json_put_u64(o, "rmap_items", k->rmap_items);
	mt_json_put_u64(o, "zero_pages", k->zero_pages);
	if (k->has_full_scans)
		mt_json_put_u64(o, "full_scans", k->full_scans);
	return o;
}

static struct json_object *cgroups_json(const struct report *r)
{
	struct json_object *a = json_object_new_array(), *o;
	size_t i;

	for (i = 0; i < r->rows.nr; i++) {
		const struct mt_cgroup *cg = &r->rows.v[i];

		o = json_object_new_object();
		json_object_object_add(o, "path", cg->path ?
				       json_object_new_string(cg->path) : NULL);
		mt_json_put_u64(o, "id", cg->id);
		mt_json_put_u64(o, "merging_pages",
				cg->counters[MT_CTR_KSM_MERGING_PAGES]);
		mt_json_put_u64(o, "saved_bytes", cg_saved(r, cg));
		add_dec(o, "share_pct", share(r, cg));
		mt_json_put_u64(o, "rmap_items",
				cg->counters[MT_CTR_KSM_RMAP_ITEMS]);
		mt_json_put_u64(o, "zero_pages",
				cg->counters[MT_CTR_KSM_ZERO_PAGES]);
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *procs_json(const struct report *r)
{
	struct json_object *a = json_object_new_array(), *o;
	size_t i;

	for (i = 0; i < r->nprocs; i++) {
		const struct mt_ksm_proc *p = &r->procs[i];

		o = json_object_new_object();
		mt_json_put_u64(o, "pid", p->pid);
		json_object_object_add(o, "comm",
				       json_object_new_string(p->comm));
		json_object_object_add(o, "cgroup", p->cgroup ?
				json_object_new_string(p->cgroup) : NULL);
		mt_json_put_u64(o, "merging_pages", p->merging_pages);
		mt_json_put_u64(o, "rmap_items", p->rmap_items);
		if (p->has_zero_pages)
			mt_json_put_u64(o, "zero_pages", p->zero_pages);
		if (p->has_profit)
			json_object_object_add(o, "profit",
					json_object_new_int64(p->profit));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *report_json(const struct report *r,
				       bool processes)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "global", global_json(r));
	json_object_object_add(o, "module", r->module ?
			       module_json(r) : NULL);
	json_object_object_add(o, "cgroups", cgroups_json(r));
	if (processes)
		json_object_object_add(o, "processes", procs_json(r));
	return o;
}

static struct json_object *settings_json(const struct mt_ksm_settings *s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "pages_to_scan",
			       json_object_new_int64(s->pages_to_scan));
	json_object_object_add(o, "sleep_millisecs",
			       json_object_new_int64(s->sleep_millisecs));
	json_object_object_add(o, "run", json_object_new_int64(s->run));
	return o;
}

static const char *const verdict_keys[] = {
	[MT_KSM_KEEP]		= "keep",
	[MT_KSM_CONSIDER]	= "consider",
	[MT_KSM_DISABLE]	= "disable",
};

/* The report of a trial: the savings, the cgroups, the verdict */
static int trial_print(const struct report *r, const struct mt_ksm_trial *t,
		       bool json, bool timed_out, int64_t run)
{
	enum mt_ksm_verdict v = mt_ksm_verdict(r->sv.saved);
	const struct mt_ksm_settings *s = &t->saved;
	struct json_object *o, *j;
	char size[32];

	if (json) {
		o = report_json(r, false);
		j = json_object_new_object();
		mt_json_put_u64(j, "scans", t->scans);
		mt_json_put_u64(j, "scans_done", t->done);
		json_object_object_add(j, "timed_out",
				       json_object_new_boolean(timed_out));
		json_object_object_add(j, "kept",
				       json_object_new_boolean(t->keep));
		json_object_object_add(j, "previous", settings_json(s));
		json_object_object_add(j, "verdict",
				json_object_new_string(verdict_keys[v]));
		json_object_object_add(o, "trial", j);
		if (!mt_json_print(stdout, o))
			return 0;
		mt_err("out of memory");
		return -1;
	}
	printf("trial: %" PRIu64 " of %" PRIu64 " full scans with pages_to_scan=%"
	       PRIu64 ", sleep_millisecs=%" PRIu64 "\n", t->done, t->scans,
	       t->pages_to_scan, t->sleep_ms);
	if (t->keep)
		printf("kept: run=1, pages_to_scan=%" PRIu64 ", sleep_millisecs=%"
		       PRIu64 " (were run=%" PRId64 ", pages_to_scan=%" PRId64
		       ", sleep_millisecs=%" PRId64 ")\n", t->pages_to_scan,
		       t->sleep_ms, s->run, s->pages_to_scan,
		       s->sleep_millisecs);
	else
		printf("restored: run=%" PRId64 ", pages_to_scan=%" PRId64
		       ", sleep_millisecs=%" PRId64 "%s\n", run,
		       s->pages_to_scan, s->sleep_millisecs,
		       run == MT_KSM_RUN_UNMERGE ?
		       " (unmerged after the numbers below were read)" : "");
	savings_print(&r->sv);
	putchar('\n');
	if (cgroups_print(r)) {
		mt_err("out of memory");
		return -1;
	}
	mt_bytes(size, sizeof(size), r->sv.saved);
	printf("\nverdict: %s (%s saved; 1 MB = 10^6 bytes)\n",
	       mt_ksm_verdict_text(v), size);
	return 0;
}

static int trial_run(const struct ksm_opts *o, const char *dir)
{
	struct mt_ksm_trial t = {
		.scans = o->scans, .pages_to_scan = o->pages_to_scan,
		.sleep_ms = o->sleep_ms, .timeout_s = o->timeout_s,
		.keep = o->keep,
	};
	struct report r = { 0 };
	int sfd, ret, err, unmerge;
	int64_t run;

	if (mt_ksm_writable(dir))
		return MT_EXIT_RUNTIME;
	sfd = mt_signalfd_undo();
	if (sfd < 0) {
		mt_err("signalfd: %s", strerror(errno));
		return MT_EXIT_RUNTIME;
	}
	t.bar = isatty(STDERR_FILENO) ? stderr : NULL;
	ret = mt_ksm_trial(dir, &t, sfd);
	close(sfd);
	if (ret == -1)
		return MT_EXIT_RUNTIME;
	run = t.saved.run;
	if (ret == -EINTR) {
		mt_err("interrupted; KSM settings restored");
		return 128 + t.signo;
	}
	if (ret == -ETIMEDOUT)
		mt_err("timed out after %" PRIu64 " s waiting for %" PRIu64
		       " full scans (%" PRIu64 " done); results so far:",
		       t.timeout_s, t.scans, t.done);
	/* the numbers first: run=2 unmerges what they count */
	err = report_load(&r, dir);
	unmerge = mt_ksm_unmerge(dir, &t);
	if (unmerge)
		run = 0;	/* stopped, but not unmerged */
	err = err || trial_print(&r, &t, o->json, ret, run);
	report_free(&r);
	return ret || err || unmerge ? MT_EXIT_RUNTIME : MT_EXIT_OK;
}

/* Prints the error.  Return: 0 or -1. */
static int report_show(const struct report *r, const struct ksm_opts *o)
{
	int err;

	if (!o->json)
		return report_print(r, o->processes);
	err = mt_json_print(stdout, report_json(r, o->processes));
	if (err)
		mt_err("out of memory");
	return err ? -1 : 0;
}

/**
 * mt_ksm_snap_show() - memtally ksm --from: what snapshot @s saw, printed
 * @json: as one JSON object, else as text
 * @processes: with the processes' table (--processes)
 *
 * Prints the error.  Return: 0 or -1.
 */
int mt_ksm_snap_show(const struct mt_snap *s, bool json, bool processes)
{
	struct ksm_opts o = { .json = json, .processes = processes };
	struct report r = { 0 };
	int err = report_snap(&r, s) || report_show(&r, &o);

	report_free(&r);
	return err ? -1 : 0;
}

int cmd_ksm(int argc, char **argv, bool json)
{
	struct ksm_opts o = {
		.json = json, .scans = 2, .pages_to_scan = 5000,
		.sleep_ms = 10, .timeout_s = 120,
	};
	const char *dir = mt_ksm_dir();
	struct report r = { 0 };
	struct stat st;
	int err;

	if (ksm_parse(argc, argv, &o))
		return MT_EXIT_USAGE;
	if (o.help) {
		mt_subcmd_usage(stdout, "ksm", &ksm_cmds[o.trial],
				o.trial ? 1 : 2);
		fputs(o.trial ? trial_usage : ksm_usage, stdout);
		return MT_EXIT_OK;
	}
	if (o.from) {
		struct mt_snap snap;

		if (o.trial)
			return mt_usage_err("ksm trial: --from is for the report only");
		if (mt_snap_load(o.from, &snap))
			return MT_EXIT_RUNTIME;
		err = mt_ksm_snap_show(&snap, o.json, o.processes);
		mt_snap_free(&snap);
		return err ? MT_EXIT_RUNTIME : MT_EXIT_OK;
	}
	if (stat(dir, &st)) {
		if (errno == ENOENT)
			mt_err("KSM is not built into this kernel (CONFIG_KSM)");
		else
			mt_err("%s: %s", dir, strerror(errno));
		return MT_EXIT_RUNTIME;
	}
	if (o.trial)
		return trial_run(&o, dir);
	err = report_load(&r, dir) || report_show(&r, &o);
	report_free(&r);
	return err ? MT_EXIT_RUNTIME : MT_EXIT_OK;
}
