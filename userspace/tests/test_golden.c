// SPDX-License-Identifier: GPL-2.0
/*
 * Golden-output tests: every formatter on the state captured in a 6.1 and
 * a 6.12 guest (scripts/capture-golden.sh writes tests/golden/KERNEL/
 * snapshot.json and snapshot-2.json, taken 5 s apart, events.jsonl and
 * events.txt, the same events as `memtally events --json` and `memtally
 * events` printed them), compared byte for byte with
 * tests/golden/KERNEL/out/NAME.  MT_GOLDEN_UPDATE=1 (make golden-update)
 * writes them instead; review their diff before committing.  The events
 * are compared with what the guest printed, never written here.
 *
 * A new formatter is one more line in a table below: in-process
 * (struct golden_fmt: a function of the decoded snapshot) or through the
 * tool (struct golden_cli: arguments, with %s for the snapshot).  A JSON
 * output is named after its $defs entry in
 * Documentation/admin-guide/memtally.schema.json (NAME.json or
 * NAME-VARIANT.json), so that scripts/test-all.sh validates it there.
 */
#include <limits.h>
#include <stdlib.h>
#include <time.h>
#include <sys/stat.h>
#include <json.h>

#include "test.h"
#include "../damonnl.h"
#include "../damonview.h"
#include "../format.h"
#include "../ksm.h"
#include "../procfiles.h"
#include "../prom.h"
#include "../rate.h"
#include "../snapfile.h"
#include "../toprows.h"
#include "snapdecode.h"

#define GOLDEN_DIR	"tests/golden"
#define OUT_MAX		(4 << 20)

static const char *const kernels[] = { "6.1", "6.12" };

struct golden_in {
	struct mt_snap snap;	/* snapshot.json: what most formatters show */
	struct mt_snap snap2;	/* snapshot-2.json: taken after it */
	double secs;		/* from one to the other (their time_ns) */
	const char *kernel;
};

/*
 * Whether @got (@len bytes) is what the file @path holds; if not, @got goes
 * to /tmp/memtally-golden-@kernel-@name and a line says how to compare
 * (@hint after it)
 */
static bool file_same(const char *path, const char *kernel, const char *name,
		      const char *got, size_t len, const char *hint)
{
	char gotp[PATH_MAX], *want = malloc(OUT_MAX);
	bool same = false;
	FILE *f = want ? fopen(path, "re") : NULL;

	if (f) {
		same = fread(want, 1, OUT_MAX, f) == len && !memcmp(want, got, len);
		fclose(f);
	}
	free(want);
	if (same)
		return true;
	snprintf(gotp, sizeof(gotp), "/tmp/memtally-golden-%s-%s", kernel, name);
	f = fopen(gotp, "we");
	if (f) {
		fwrite(got, 1, len, f);
		fclose(f);
	}
	fprintf(stderr, "golden: %s differs: diff -u %s %s%s\n", path, path,
		gotp, hint);
	return false;
}

/*
 * Whether @got (@len bytes) is what tests/golden/@kernel/out/@name holds
 * (MT_GOLDEN_UPDATE: write it there instead)
 */
static bool golden_same(const char *kernel, const char *name,
			const char *got, size_t len)
{
	char path[PATH_MAX];
	bool same;
	FILE *f;

	snprintf(path, sizeof(path), GOLDEN_DIR "/%s/out", kernel);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), GOLDEN_DIR "/%s/out/%s", kernel, name);
	if (!getenv("MT_GOLDEN_UPDATE"))
		return file_same(path, kernel, name, got, len,
				 " (make golden-update takes it)");
	f = fopen(path, "we");
	same = f && fwrite(got, 1, len, f) == len;
	if (f)
		fclose(f);
	return same;
}

/*
 * Whether @got (@len bytes) is what the guest printed into
 * tests/golden/@kernel/@name: a captured input, never written here
 */
static bool captured_same(const char *kernel, const char *name,
			  const char *got, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), GOLDEN_DIR "/%s/%s", kernel, name);
	return file_same(path, kernel, name, got, len,
			 " (captured by scripts/capture-golden.sh)");
}

/* In-process formatters: each writes to @f what its command would print */
struct golden_fmt {
	const char *name;
	void (*fn)(FILE *f, const struct golden_in *in);
};

/* mt_json_print() takes @o */
static void json_out(FILE *f, struct json_object *o)
{
	mt_json_print(f, o);
}

static void g_cgroups(FILE *f, const struct golden_in *in)
{
	mt_cgroups_print(f, in->snap.cgroups, in->snap.nr_cgroups, false);
}

static void g_cgroups_all(FILE *f, const struct golden_in *in)
{
	mt_cgroups_print(f, in->snap.cgroups, in->snap.nr_cgroups, true);
}

/* what cgroups --json writes: streamed, the same bytes as the tree */
static void g_cgroups_json(FILE *f, const struct golden_in *in)
{
	mt_cgroups_json_write(f, in->snap.cgroups, in->snap.nr_cgroups);
}

static void g_stalls(FILE *f, const struct golden_in *in)
{
	mt_stalls_print(f, in->snap.cgroups, in->snap.nr_cgroups, -1);
}

static void g_stalls_json(FILE *f, const struct golden_in *in)
{
	json_out(f, mt_stalls_json(in->snap.cgroups, in->snap.nr_cgroups,
				   -1));
}

/* A copy of the @n rows @v sorted by id, as the tool holds a dump; or NULL */
static struct mt_cgroup *by_id(const struct mt_cgroup *v, size_t n)
{
	struct mt_cgroup *c = malloc((n + 1) * sizeof(*c));

	if (c && n) {
		memcpy(c, v, n * sizeof(*c));
		mt_cgroups_sort(c, n, MT_SORT_ID);
	}
	return c;
}

/*
 * top's rows as `memtally top -b` shows them at snapshot-2.json: rates
 * since snapshot.json over the interval between them, each cgroup's PSI
 * from the memory.pressure snapshot-2.json holds, sorted by faults.
 * Return: the rows (@n of them), or NULL.
 */
static struct mt_top_row *top_rows(const struct golden_in *in, size_t *n)
{
	const struct mt_snap *a = &in->snap, *b = &in->snap2;
	const char *root = mt_snap_string(b, "cgroup_root");
	struct mt_cgroup *prev = by_id(a->cgroups, a->nr_cgroups);
	struct mt_top_row *v = calloc(b->nr_cgroups + 1, sizeof(*v));
	struct mt_damon_info d;
	struct mt_ksm_savings sv;
	struct mt_ksm_sys sys;
	char file[PATH_MAX];
	const char *text;
	bool wss;
	size_t i;

	if (!prev || !v || !root) {
		free(prev);
		free(v);
		return NULL;
	}
	/* as top: WSS only while a context is bound */
	wss = !mt_snap_damon(b, &d) && d.b.bound;
	mt_damon_info_free(&d);
	/* KSM's saving as snapshot-2.json's /sys/kernel/mm/ksm has it */
	mt_snap_ksm_sys(b, &sys);
	mt_ksm_calc(&sv, &sys, mt_snap_u64(b, "page_size"));
	mt_top_rows(v, prev, a->nr_cgroups, b->cgroups, b->nr_cgroups,
		    in->secs, sys.has[MT_KSM_RUN] ? &sv : NULL, wss);
	for (i = 0; i < b->nr_cgroups; i++) {
		if (!v[i].path)
			continue;
		snprintf(file, sizeof(file), "%s%s/memory.pressure", root,
			 strcmp(v[i].path, "/") ? v[i].path : "");
		text = mt_snap_file(b, file);
		if (text)
			mt_psi_parse(text, &v[i].psi);
	}
	*n = mt_top_select(v, b->nr_cgroups, NULL, MT_TOP_FAULTS);
	free(prev);
	return v;
}

static void g_top(FILE *f, const struct golden_in *in)
{
	char iso[48];
	size_t n;
	struct mt_top_row *v = top_rows(in, &n);

	mt_iso_time(iso, sizeof(iso), mt_snap_u64(&in->snap2, "time_ns"));
	if (v)
		mt_top_print(f, iso, in->secs, MT_TOP_FAULTS, v, n);
	free(v);
}

static void g_top_json(FILE *f, const struct golden_in *in)
{
	char iso[48];
	size_t n;
	struct mt_top_row *v = top_rows(in, &n);

	mt_iso_time(iso, sizeof(iso), mt_snap_u64(&in->snap2, "time_ns"));
	if (v)
		json_out(f, mt_top_json(iso, in->secs, MT_TOP_FAULTS, v, n));
	free(v);
}

static uint64_t jget(struct json_object *o, const char *key)
{
	struct json_object *x;

	return json_object_object_get_ex(o, key, &x) ?
	       (uint64_t)json_object_get_int64(x) : 0;
}

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *x;

	return json_object_object_get_ex(o, key, &x) && x ?
	       json_object_get_string(x) : NULL;
}

/* A reclaim kind by the name mt_kind_name() gives it */
static uint32_t kind_of(const char *name)
{
	uint32_t k;

	for (k = 0; k < MT_NR_STALL_KINDS && name; k++)
		if (!strcmp(name, mt_stall_kinds[k].name))
			return k;
	return MT_NR_STALL_KINDS;	/* "unknown" */
}

/*
 * The captured `memtally events --json` lines of @path, decoded and
 * printed as text or as JSON lines again
 */
static void events(FILE *f, const char *path, bool json)
{
	FILE *ev = fopen(path, "re");
	char line[4096];

	while (ev && fgets(line, sizeof(line), ev)) {
		struct json_object *o = json_tokener_parse(line);
		struct json_object *x;
		struct mt_event e = { 0 };

		if (!o)
			continue;
		e.cmd = !strcmp(jstr(o, "event") ?: "", "oom-kill") ?
			MEMTALLY_CMD_OOM_KILL_NTF : MEMTALLY_CMD_RECLAIM_STALL_NTF;
		e.timestamp_ns = jget(o, "timestamp_ns");
		e.pid = jget(o, "pid");
		e.comm = jstr(o, "comm");
		e.cgroup_id = jget(o, "cgroup_id");
		e.path = jstr(o, "path");
		e.has_uid = json_object_object_get_ex(o, "uid", &x);
		e.uid = jget(o, "uid");
		e.anon_rss = jget(o, "anon_rss");
		e.file_rss = jget(o, "file_rss");
		e.shmem_rss = jget(o, "shmem_rss");
		e.reclaim_kind = kind_of(jstr(o, "reclaim_kind"));
		e.stall_ns = jget(o, "stall_ns");
		e.reclaimed = jget(o, "reclaimed");
		if (json)
			json_out(f, mt_event_json(&e));
		else
			mt_event_print(f, &e);
		json_object_put(o);
	}
	if (ev)
		fclose(ev);
}

/*
 * The events: the JSON lines as text are the lines the text subscriber
 * printed for the same events, and as JSON what the JSON one printed.
 * Their one OOM kill is of capture.sh's victim: a mt_touch in /oom.
 */
static void golden_events(const struct golden_in *in, char *buf)
{
	const struct mt_cgroup *oom = mt_snap_cgroup(&in->snap, "/oom");
	char path[PATH_MAX], line[4096];
	int kills = 0, stalls = 0;
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), GOLDEN_DIR "/%s/events.jsonl",
		 in->kernel);
	f = fmemopen(buf, OUT_MAX, "w");
	events(f, path, false);
	len = ftell(f);
	fclose(f);
	CHECK(len > 0 && captured_same(in->kernel, "events.txt", buf, len));
	f = fmemopen(buf, OUT_MAX, "w");
	events(f, path, true);
	len = ftell(f);
	fclose(f);
	CHECK(len > 0 && captured_same(in->kernel, "events.jsonl", buf, len));

	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f)) {
		struct json_object *o = json_tokener_parse(line);
		const char *ev = o ? jstr(o, "event") : NULL;

		CHECK(ev);
		if (ev && !strcmp(ev, "oom-kill")) {
			kills++;
			CHECK_STR(jstr(o, "comm"), "mt_touch");
			CHECK_STR(jstr(o, "path"), "/oom");
			CHECK(oom && jget(o, "cgroup_id") == oom->id);
			CHECK(jget(o, "pid") > 1);
		} else if (ev) {
			CHECK_STR(ev, "reclaim-stall");
			stalls++;
		}
		json_object_put(o);
	}
	if (f)
		fclose(f);
	CHECK(kills == 1 && stalls > 0);
}

static void g_status(FILE *f, const struct golden_in *in)
{
	struct mt_status st;

	if (mt_snap_status(&in->snap, &st))
		return;
	mt_status_print(f, &st);
	mt_status_free(&st);
}

static void g_status_json(FILE *f, const struct golden_in *in)
{
	struct mt_status st;

	if (mt_snap_status(&in->snap, &st))
		return;
	json_out(f, mt_status_json(&st));
	mt_status_free(&st);
}

static void g_config(FILE *f, const struct golden_in *in)
{
	struct mt_status st;

	if (mt_snap_status(&in->snap, &st))
		return;
	mt_config_print(f, &st);
	mt_status_free(&st);
}

static void g_config_json(FILE *f, const struct golden_in *in)
{
	struct mt_status st;

	if (mt_snap_status(&in->snap, &st))
		return;
	json_out(f, mt_config_json(&st));
	mt_status_free(&st);
}

/*
 * hotcold's rows; nothing without a bound context (the tool prints only
 * an error then, on standard error: "DAMON is not built into this
 * kernel" on 6.1)
 */
static void hotcold(FILE *f, const struct golden_in *in, bool json)
{
	size_t n = in->snap.nr_cgroups;
	struct mt_cgroup *v = malloc((n + 1) * sizeof(*v)), total;
	struct mt_damon_info d;

	if (!v)
		return;
	if (!mt_snap_damon(&in->snap, &d) && d.b.bound) {
		memcpy(v, in->snap.cgroups, n * sizeof(*v));
		n = mt_hotcold_rows(v, n, &total);
		if (json)
			json_out(f, mt_hotcold_json(&d, v, n, &total));
		else
			mt_hotcold_print(f, &d, v, n, &total);
	}
	mt_damon_info_free(&d);
	free(v);
}

static void g_hotcold(FILE *f, const struct golden_in *in)
{
	hotcold(f, in, false);
}

static void g_hotcold_json(FILE *f, const struct golden_in *in)
{
	hotcold(f, in, true);
}

/* memtally export --prometheus of everything the snapshot has */
static void g_export(FILE *f, const struct golden_in *in)
{
	const char *pressure = mt_snap_file(&in->snap, "/proc/pressure/memory");
	struct mt_damon_info d;
	struct mt_ksm_sys sys;
	struct mt_status st;
	struct mt_psi psi;
	struct mt_ksm k;
	struct mt_prom p = {
		.cgroups = in->snap.cgroups,
		.nr_cgroups = in->snap.nr_cgroups,
		.nodes = in->snap.nodes,
		.nr_nodes = in->snap.nr_nodes,
		.ksm_sys = &sys,
		.page_size = 4096,
	};

	if (mt_snap_status(&in->snap, &st))
		return;
	p.st = &st;
	if (!mt_snap_ksm(&in->snap, &k))
		p.ksm = &k;
	if (!mt_snap_damon(&in->snap, &d))
		p.damon = &d;
	mt_snap_ksm_sys(&in->snap, &sys);
	if (pressure && !mt_psi_parse(pressure, &psi))
		p.psi = &psi;
	mt_prom_write(f, &p);
	mt_damon_info_free(&d);
	mt_status_free(&st);
}

/* The deltas of @cur's rows since @prev's (none: since 0) added to @sum */
static void reclaim_add(uint64_t *sum, const struct mt_cgroup *prev,
			size_t nprev, const struct mt_cgroup *cur, size_t n)
{
	struct mt_cgroup *p = by_id(prev, nprev);
	struct mt_cgroup *d = calloc(n + 1, sizeof(*d));

	if (p && d) {
		mt_cgroups_delta(d, p, nprev, cur, n);
		mt_counters_add(sum, d, n);
	}
	free(p);
	free(d);
}

/* The id of the row at @path in @s, 0 if none */
static uint64_t id_of(const struct mt_snap *s, const char *path)
{
	size_t i;

	for (i = 0; i < s->nr_cgroups; i++)
		if (s->cgroups[i].path && !strcmp(s->cgroups[i].path, path))
			return s->cgroups[i].id;
	return 0;
}

/*
 * The line of `memtally reclaim 5` at snapshot-2.json (its first sample at
 * snapshot.json): the paging columns from their /proc/vmstat, or with
 * @cgroup from its memory.stat; with @all, the module's columns from every
 * cgroup and node row
 */
static void reclaim(FILE *f, const struct golden_in *in, bool json,
		    bool all, const char *cgroup)
{
	const struct mt_snap *a = &in->snap, *b = &in->snap2;
	uint64_t sum[MT_NR_CGROUP_COUNTERS] = { 0 };
	uint64_t ns = mt_snap_u64(b, "time_ns");
	double v[MT_RECLAIM_LINE_MAX];
	struct mt_col c[MT_RECLAIM_LINE_MAX];
	struct mt_sarb_sample sa, sb;
	time_t sec = ns / 1000000000;
	char hms[16], iso[48], path[256], num[32];
	struct json_object *j;
	struct tm tm;
	size_t n;

	if (cgroup) {
		snprintf(path, sizeof(path), "%s%s/memory.stat",
			 mt_snap_string(a, "cgroup_root"),
			 cgroup);
		mt_sarb_parse_cgroup(&sa, mt_snap_file(a, path));
		mt_sarb_parse_cgroup(&sb, mt_snap_file(b, path));
	} else {
		mt_sarb_parse(&sa, mt_snap_file(a, "/proc/vmstat"));
		mt_sarb_parse(&sb, mt_snap_file(b, "/proc/vmstat"));
	}
	reclaim_add(sum, a->cgroups, a->nr_cgroups, b->cgroups, b->nr_cgroups);
	reclaim_add(sum, a->nodes, a->nr_nodes, b->nodes, b->nr_nodes);
	n = mt_reclaim_line_cols(c, all);
	mt_reclaim_line(v, &sa, &sb, in->secs, all, sum);
	strftime(hms, sizeof(hms), "%H:%M:%S", localtime_r(&sec, &tm));
	mt_iso_time(iso, sizeof(iso), ns);
	if (!json) {
		mt_cols_header(f, c, n, false);
		mt_cols_print(f, hms, c, v, n, NULL);
		return;
	}
	j = json_object_new_object();
	json_object_object_add(j, "time", json_object_new_string(iso));
	snprintf(num, sizeof(num), "%.3f", in->secs);
	json_object_object_add(j, "interval_s",
			       json_object_new_double_s(in->secs, num));
	if (cgroup) {
		json_object_object_add(j, "path", json_object_new_string(cgroup));
		json_object_object_add(j, "id", json_object_new_uint64(id_of(b, cgroup)));
	}
	mt_cols_json(j, c, v, n);
	json_out(f, j);
}

static void g_reclaim(FILE *f, const struct golden_in *in)
{
	reclaim(f, in, false, false, NULL);
}

static void g_reclaim_json(FILE *f, const struct golden_in *in)
{
	reclaim(f, in, true, false, NULL);
}

static void g_reclaim_all(FILE *f, const struct golden_in *in)
{
	reclaim(f, in, false, true, NULL);
}

static void g_reclaim_all_json(FILE *f, const struct golden_in *in)
{
	reclaim(f, in, true, true, NULL);
}

static void g_reclaim_cgroup(FILE *f, const struct golden_in *in)
{
	reclaim(f, in, false, false, "/squeeze");
}

static void g_reclaim_cgroup_json(FILE *f, const struct golden_in *in)
{
	reclaim(f, in, true, false, "/squeeze");
}

/* wss: every cgroup's samples summed; nothing without a binding */
static void wss(FILE *f, const struct golden_in *in, bool json)
{
	uint64_t now = mt_snap_u64(&in->snap, "boottime_ns");
	struct mt_wss_sample *v;
	struct mt_wss_list l;
	size_t i, n = 0;

	if (mt_snap_wss(&in->snap, &l))
		return;
	for (i = 0; i < l.nr; i++)
		n += l.v[i].nr;
	v = calloc(n + 1, sizeof(*v));
	if (v) {
		n = mt_wss_merge(&l, v);
		if (json)
			json_out(f, mt_wss_json(NULL, v, n, now));
		else
			mt_wss_print(f, v, n, now);
	}
	free(v);
	mt_wss_list_free(&l);
}

/* wss --cgroup PATH: a cgroup with the most samples, the largest last */
static void g_wss_cgroup_json(FILE *f, const struct golden_in *in)
{
	uint64_t now = mt_snap_u64(&in->snap, "boottime_ns");
	const struct mt_wss *best = NULL;
	const char *path = NULL;
	struct mt_wss_list l;
	size_t i;

	if (mt_snap_wss(&in->snap, &l))
		return;
	for (i = 0; i < l.nr; i++)
		if (l.v[i].nr && (!best || l.v[i].nr > best->nr ||
		    (l.v[i].nr == best->nr &&
		     l.v[i].v[l.v[i].nr - 1].bytes > best->v[best->nr - 1].bytes)))
			best = &l.v[i];
	for (i = 0; best && i < in->snap.nr_cgroups; i++)
		if (in->snap.cgroups[i].id == best->id)
			path = in->snap.cgroups[i].path;
	if (path)
		json_out(f, mt_wss_json(path, best->v, best->nr, now));
	mt_wss_list_free(&l);
}

static void g_wss(FILE *f, const struct golden_in *in)
{
	wss(f, in, false);
}

static void g_wss_json(FILE *f, const struct golden_in *in)
{
	wss(f, in, true);
}

/* heatmap in a 60 x 12 terminal; nothing without a binding */
static void heatmap(FILE *f, const struct golden_in *in, bool json)
{
	struct heatmap_opts o = { .cols = 60, .rows = 12 };
	struct mt_regions l;
	struct heatmap hm;

	if (mt_snap_regions(&in->snap, &l))
		return;
	if (!heatmap_bin(l.v, l.nr, &o, &hm)) {
		if (json)
			json_out(f, heatmap_json(&hm));
		else
			heatmap_term(f, &hm);
		heatmap_free(&hm);
	}
	mt_regions_free(&l);
}

static void g_heatmap(FILE *f, const struct golden_in *in)
{
	heatmap(f, in, false);
}

static void g_heatmap_json(FILE *f, const struct golden_in *in)
{
	heatmap(f, in, true);
}

static const struct golden_fmt fmts[] = {
	{ "wss.txt", g_wss },
	{ "wss.json", g_wss_json },
	{ "wss-cgroup.json", g_wss_cgroup_json },
	{ "heatmap.txt", g_heatmap },
	{ "heatmap.json", g_heatmap_json },
	{ "reclaim.txt", g_reclaim },
	{ "reclaim.json", g_reclaim_json },
	{ "reclaim-all.txt", g_reclaim_all },
	{ "reclaim-all.json", g_reclaim_all_json },
	{ "reclaim-cgroup.txt", g_reclaim_cgroup },
	{ "reclaim-cgroup.json", g_reclaim_cgroup_json },
	{ "status.txt", g_status },
	{ "status.json", g_status_json },
	{ "config.txt", g_config },
	{ "config.json", g_config_json },
	{ "hotcold.txt", g_hotcold },
	{ "hotcold.json", g_hotcold_json },
	{ "export.prom", g_export },
	{ "cgroups.txt", g_cgroups },
	{ "cgroups-all.txt", g_cgroups_all },
	{ "cgroups.json", g_cgroups_json },
	{ "stalls.txt", g_stalls },
	{ "stalls.json", g_stalls_json },
	{ "top.txt", g_top },
	{ "top.json", g_top_json },
};

/* Through the tool: %s in an argument is the kernel's snapshot */
struct golden_cli {
	const char *name;
	const char *args[7];	/* NULL-terminated: at most 6 */
};

static const struct golden_cli clis[] = {
	{ "report.txt", { "report", "--from", "%s" } },
	{ "report.json", { "report", "--from", "%s", "--json" } },
	{ "ksm.txt", { "ksm", "--from", "%s", "--processes" } },
	{ "ksm.json", { "ksm", "--from", "%s", "--processes", "--json" } },
	{ "smem.txt", { "smem", "--from", "%s", "--totals" } },
	{ "smem.json", { "smem", "--from", "%s", "--json" } },
	{ "smem-user.txt", { "smem", "--from", "%s", "--by", "user" } },
	{ "smem-cgroup.txt", { "smem", "--from", "%s", "--by", "cgroup" } },
	{ "smem-cgroup.json", { "smem", "--from", "%s", "-b", "cgroup",
				"--json" } },
	{ "smem-mapping.txt", { "smem", "--from", "%s", "-b", "mapping" } },
	{ "smem-system.txt", { "smem", "--from", "%s", "-b", "system" } },
	{ "smem-system.json", { "smem", "--from", "%s", "-b", "system",
				"--json" } },
};

static void golden_kernel(const char *kernel)
{
	char snap[PATH_MAX], snap2[PATH_MAX];
	char *buf = malloc(OUT_MAX), *err = malloc(OUT_MAX);
	struct golden_in in = { .kernel = kernel };
	uint64_t t[2], bt[2];
	size_t i, len;
	FILE *f;

	snprintf(snap, sizeof(snap), GOLDEN_DIR "/%s/snapshot.json", kernel);
	snprintf(snap2, sizeof(snap2), GOLDEN_DIR "/%s/snapshot-2.json",
		 kernel);
	CHECK(buf && err && !mt_snap_load(snap, &in.snap));
	if (t_failed_case)
		goto out;
	CHECK(!mt_snap_load(snap2, &in.snap2));
	if (t_failed_case) {
		mt_snap_free(&in.snap);
		goto out;
	}
	CHECK(in.snap.has_module && in.snap.nr_cgroups > 3);
	CHECK(in.snap2.has_module && in.snap2.nr_cgroups > 3);
	/*
	 * of one boot, the second 5 s and a snapshot's time later: the real
	 * clock went as far as the boot clock (top's interval is monotonic)
	 */
	t[0] = mt_snap_u64(&in.snap, "time_ns");
	t[1] = mt_snap_u64(&in.snap2, "time_ns");
	bt[0] = mt_snap_u64(&in.snap, "boottime_ns");
	bt[1] = mt_snap_u64(&in.snap2, "boottime_ns");
	CHECK(t[1] > t[0] && bt[1] > bt[0]);
	in.secs = (double)(t[1] - t[0]) / 1e9;
	CHECK(in.secs >= 5 && in.secs < 60);
	CHECK(llabs((long long)(t[1] - t[0]) - (long long)(bt[1] - bt[0])) <
	      100000000);
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		f = fmemopen(buf, OUT_MAX, "w");
		fmts[i].fn(f, &in);
		len = ftell(f);
		fclose(f);
		CHECK(len < OUT_MAX);
		if (!len) {	/* nothing to show here (no DAMON on 6.1) */
			char path[PATH_MAX];

			snprintf(path, sizeof(path), GOLDEN_DIR "/%s/out/%s",
				 kernel, fmts[i].name);
			CHECK(access(path, F_OK));
			continue;
		}
		CHECK(golden_same(kernel, fmts[i].name, buf, len));
	}
	for (i = 0; i < sizeof(clis) / sizeof(clis[0]); i++) {
		char *argv[8] = { NULL };
		size_t a;
		int rc;

		for (a = 0; clis[i].args[a]; a++)
			argv[a] = !strcmp(clis[i].args[a], "%s") ? snap :
				  (char *)clis[i].args[a];
		rc = tool(buf, err, OUT_MAX, argv);
		CHECK(rc == 0);
		if (rc)
			fprintf(stderr, "golden: %s: %s", clis[i].name, err);
		CHECK(golden_same(kernel, clis[i].name, buf, strlen(buf)));
	}
	golden_events(&in, buf);
	mt_snap_free(&in.snap);
	mt_snap_free(&in.snap2);
out:
	free(buf);
	free(err);
}

static void golden_6_1(void)
{
	golden_kernel(kernels[0]);
}

static void golden_6_12(void)
{
	golden_kernel(kernels[1]);
}

/* What changed from the 6.1 capture to the 6.12 one */
static void golden_diff(void)
{
	char *buf = malloc(OUT_MAX), *err = malloc(OUT_MAX);
	char a[] = GOLDEN_DIR "/6.1/snapshot.json",
	     b[] = GOLDEN_DIR "/6.12/snapshot.json";

	CHECK(buf && err);
	if (t_failed_case)
		goto out;
	CHECK(tool(buf, err, OUT_MAX, ARGS("diff", a, b)) == 0);
	CHECK(golden_same("6.12", "diff-from-6.1.txt", buf, strlen(buf)));
	CHECK(tool(buf, err, OUT_MAX, ARGS("diff", a, b, "--json")) == 0);
	CHECK(golden_same("6.12", "diff-from-6.1.json", buf, strlen(buf)));
out:
	free(buf);
	free(err);
}

void test_golden(void)
{
	/* times are printed in local time: the same everywhere */
	setenv("TZ", "UTC", 1);
	tzset();
	RUN(golden_6_1);
	RUN(golden_6_12);
	RUN(golden_diff);
}
