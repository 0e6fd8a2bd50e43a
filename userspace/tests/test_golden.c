// SPDX-License-Identifier: GPL-2.0
/*
 * Golden-output tests: every formatter on the state captured in a 6.1 and
 * a 6.12 guest (scripts/capture-golden.sh writes tests/golden/KERNEL/
 * snapshot.json and events.jsonl), compared byte for byte with
 * tests/golden/KERNEL/out/NAME.  MT_GOLDEN_UPDATE=1 (make golden-update)
 * writes them instead; review their diff before committing.
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
#include "../prom.h"
#include "../rate.h"
#include "../snapfile.h"
#include "../toprows.h"

#define GOLDEN_DIR	"tests/golden"
#define OUT_MAX		(4 << 20)

static const char *const kernels[] = { "6.1", "6.12" };

struct golden_in {
	struct mt_snap snap;
	const char *kernel;
	char events[PATH_MAX];
};

/* Whether @got (@len bytes) is what tests/golden/@kernel/out/@name holds */
static bool golden_same(const char *kernel, const char *name,
			const char *got, size_t len)
{
	char path[PATH_MAX], *want = malloc(OUT_MAX);
	bool update = getenv("MT_GOLDEN_UPDATE") != NULL, same = false;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), GOLDEN_DIR "/%s/out", kernel);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), GOLDEN_DIR "/%s/out/%s", kernel, name);
	if (update) {
		f = fopen(path, "we");
		same = f && fwrite(got, 1, len, f) == len;
		if (f)
			fclose(f);
		free(want);
		return same;
	}
	f = fopen(path, "re");
	if (f) {
		n = fread(want, 1, OUT_MAX, f);
		same = n == len && !memcmp(want, got, len);
		fclose(f);
	}
	if (!same) {
		char gotp[PATH_MAX];

		snprintf(gotp, sizeof(gotp), "/tmp/memtally-golden-%s-%s",
			 kernel, name);
		f = fopen(gotp, "we");
		if (f) {
			fwrite(got, 1, len, f);
			fclose(f);
		}
		fprintf(stderr, "golden: %s differs: diff -u %s %s (make golden-update takes it)\n",
			path, path, gotp);
	}
	free(want);
	return same;
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

static void g_cgroups_json(FILE *f, const struct golden_in *in)
{
	json_out(f, mt_cgroups_json(in->snap.cgroups, in->snap.nr_cgroups));
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

/*
 * top's rows: rates over 10 s since nothing (every counter counts), KSM's
 * saving as the snapshot's /sys/kernel/mm/ksm has it
 */
static struct mt_top_row *top_rows(const struct golden_in *in)
{
	struct mt_top_row *v = calloc(in->snap.nr_cgroups + 1, sizeof(*v));
	struct mt_ksm_savings sv;
	struct mt_ksm_sys sys;

	mt_snap_ksm_sys(&in->snap, &sys);
	mt_ksm_calc(&sv, &sys, mt_snap_u64(&in->snap, "page_size"));
	if (v)
		mt_top_rows(v, NULL, 0, in->snap.cgroups,
			    in->snap.nr_cgroups, 10.0,
			    sys.has[MT_KSM_RUN] ? &sv : NULL,
			    mt_snap_hook_state(&in->snap, "damon-aggregated") ==
			    MEMTALLY_HOOK_STATE_ATTACHED);
	return v;
}

static void g_top(FILE *f, const struct golden_in *in)
{
	struct mt_top_row *v = top_rows(in);

	if (v)
		mt_top_print(f, "2026-01-01T00:00:00", 10.0, MT_TOP_FAULTS, v,
			     in->snap.nr_cgroups);
	free(v);
}

static void g_top_json(FILE *f, const struct golden_in *in)
{
	struct mt_top_row *v = top_rows(in);

	if (v)
		json_out(f, mt_top_json("2026-01-01T00:00:00", 10.0,
					MT_TOP_FAULTS, v,
					in->snap.nr_cgroups));
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

/* The captured `memtally events --json` lines, as text or JSON lines */
static void events(FILE *f, const struct golden_in *in, bool json)
{
	FILE *ev = fopen(in->events, "re");
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

static void g_events(FILE *f, const struct golden_in *in)
{
	events(f, in, false);
}

static void g_events_json(FILE *f, const struct golden_in *in)
{
	events(f, in, true);
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

/* hotcold's rows; on a kernel without DAMON, what hotcold says there */
static void hotcold(FILE *f, const struct golden_in *in, bool json)
{
	size_t n = in->snap.nr_cgroups;
	struct mt_cgroup *v = malloc((n + 1) * sizeof(*v)), total;
	struct mt_damon_info d;

	if (!v)
		return;
	if (mt_snap_damon(&in->snap, &d) || !d.b.bound) {
		/* what hotcold says (on stderr; no JSON) */
		if (!json)
			fputs("no DAMON context is bound (start one with: memtally damon start)\n",
			      f);
	} else {
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
	struct mt_damon_info d;
	struct mt_ksm_sys sys;
	struct mt_status st;
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
	mt_prom_write(f, &p);
	mt_damon_info_free(&d);
	mt_status_free(&st);
}

/*
 * memtally reclaim: with no interval (@secs 0), totals since the module
 * loaded; else rates, as over @secs since nothing
 */
static void reclaim(FILE *f, const struct golden_in *in, bool json,
		    double secs)
{
	uint64_t sum[MT_NR_CGROUP_COUNTERS] = { 0 };
	struct json_object *j;
	struct mt_reclaim r;

	mt_counters_add(sum, in->snap.cgroups, in->snap.nr_cgroups);
	mt_counters_add(sum, in->snap.nodes, in->snap.nr_nodes);
	mt_reclaim_calc(&r, sum, secs);
	if (!json) {
		mt_reclaim_header(f, secs > 0, false);
		mt_reclaim_print(f, "00:00:00", &r, NULL);
		return;
	}
	j = json_object_new_object();
	json_object_object_add(j, "time",
			       json_object_new_string("2026-01-01T00:00:00"));
	mt_reclaim_json(j, &r);
	json_out(f, j);
}

static void g_reclaim(FILE *f, const struct golden_in *in)
{
	reclaim(f, in, false, 0);
}

static void g_reclaim_json(FILE *f, const struct golden_in *in)
{
	reclaim(f, in, true, 0);
}

static void g_reclaim_rates(FILE *f, const struct golden_in *in)
{
	reclaim(f, in, false, 10.0);
}

static void g_reclaim_rates_json(FILE *f, const struct golden_in *in)
{
	reclaim(f, in, true, 10.0);
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
	{ "reclaim-rates.txt", g_reclaim_rates },
	{ "reclaim-rates.json", g_reclaim_rates_json },
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
	{ "events.txt", g_events },
	{ "events.jsonl", g_events_json },
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
	char snap[PATH_MAX], *buf = malloc(OUT_MAX), *err = malloc(OUT_MAX);
	struct golden_in in = { .kernel = kernel };
	size_t i, len;
	FILE *f;

	snprintf(snap, sizeof(snap), GOLDEN_DIR "/%s/snapshot.json", kernel);
	snprintf(in.events, sizeof(in.events), GOLDEN_DIR "/%s/events.jsonl",
		 kernel);
	CHECK(buf && err && !mt_snap_load(snap, &in.snap));
	if (t_failed_case)
		goto out;
	CHECK(in.snap.has_module && in.snap.nr_cgroups > 3);
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
	/* the event lines, decoded and formatted again, are what was captured */
	f = fopen(in.events, "re");
	len = f ? fread(err, 1, OUT_MAX, f) : 0;
	if (f)
		fclose(f);
	CHECK(len > 0 && golden_same(kernel, "events.jsonl", err, len));
	mt_snap_free(&in.snap);
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
