// SPDX-License-Identifier: GPL-2.0
/*
 * memtally report: crafted snapshots that trigger each rule at, above and
 * below its threshold, a snapshot without the module, KSM, DAMON, PSI or
 * swap, and the shape of the JSON, through the command too.
 */
#include <errno.h>
#include <json.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <linux/memtally.h>

#include "procfiles.h"
#include "recommend.h"
#include "report.h"
#include "snapfile.h"
#include "test.h"

#define CG "/sys/fs/cgroup"

static struct json_object *snap_new(void)
{
	struct json_object *o = json_object_new_object();
	struct json_object *u = json_object_new_object();

	json_object_object_add(o, "format",
			       json_object_new_string(MT_SNAP_FORMAT));
	json_object_object_add(o, "version",
			       json_object_new_int(MT_SNAP_VERSION));
	json_object_object_add(o, "time",
			       json_object_new_string("2026-01-01T00:00:00"));
	/* 1000 s since boot */
	json_object_object_add(o, "boottime_ns",
			       json_object_new_uint64(1000000000000ull));
	json_object_object_add(o, "page_size", json_object_new_uint64(4096));
	json_object_object_add(u, "nodename", json_object_new_string("h"));
	json_object_object_add(u, "release", json_object_new_string("6.12"));
	json_object_object_add(o, "uname", u);
	json_object_object_add(o, "cgroup_root", json_object_new_string(CG));
	json_object_object_add(o, "module", NULL);
	json_object_object_add(o, "files", json_object_new_object());
	return o;
}

static void file_set(struct json_object *o, const char *path,
		     const char *text)
{
	struct json_object *files;

	json_object_object_get_ex(o, "files", &files);
	json_object_object_add(files, path,
			       text ? json_object_new_string(text) : NULL);
}

static void psi_set(struct json_object *o, const char *path, double some,
		    double full, double full60)
{
	char s[256];

	snprintf(s, sizeof(s), "some avg10=%.2f avg60=0.00 avg300=0.00 total=10\nfull avg10=%.2f avg60=%.2f avg300=0.00 total=5\n",
		 some, full, full60);
	file_set(o, path, s);
}

/* A module object with the hook damon-aggregated in @damon_state */
static struct json_object *module_new(struct json_object *o,
				      const char *damon_state)
{
	struct json_object *m = json_object_new_object();
	struct json_object *st = json_object_new_object();
	struct json_object *hooks = json_object_new_array();
	struct json_object *h = json_object_new_object();

	json_object_object_add(h, "name",
			       json_object_new_string("damon-aggregated"));
	json_object_object_add(h, "state",
			       json_object_new_string(damon_state));
	json_object_array_add(hooks, h);
	json_object_object_add(st, "hooks", hooks);
	json_object_object_add(m, "status", st);
	json_object_object_add(m, "cgroups", json_object_new_array());
	json_object_object_add(m, "nodes", NULL);
	json_object_object_add(m, "ksm", NULL);
	json_object_object_add(m, "damon", NULL);
	json_object_object_add(o, "module", m);
	return m;
}

/* A row of cgroup @path with the counters @kv ("key", value, ..., NULL) */
static void row_add(struct json_object *m, const char *path, uint64_t id,
		    ...)
{
	struct json_object *a, *row = json_object_new_object();
	const char *key;
	va_list ap;

	json_object_object_add(row, "path", json_object_new_string(path));
	json_object_object_add(row, "id", json_object_new_uint64(id));
	va_start(ap, id);
	while ((key = va_arg(ap, const char *)))
		json_object_object_add(row, key,
			json_object_new_uint64(va_arg(ap, uint64_t)));
	va_end(ap);
	json_object_object_get_ex(m, "cgroups", &a);
	json_object_array_add(a, row);
}

struct run {
	struct mt_snap s;
	struct mt_report r;
	struct mt_recs l;
	bool ok;
};

/* Decode @o (taken) and run the rules over it */
static void run(struct json_object *o, struct run *x)
{
	char why[256];

	memset(x, 0, sizeof(*x));
	CHECK(!mt_snap_adopt(o, &x->s, why, sizeof(why)));
	CHECK(!mt_report_collect(&x->s, NULL, &x->r));
	CHECK(!mt_recommend(&x->r, &x->l));
	x->ok = true;
}

static void run_free(struct run *x)
{
	mt_recs_free(&x->l);
	mt_report_free(&x->r);
	mt_snap_free(&x->s);
}

/* The recommendations of rule @rule: how many, the first in @rec */
static size_t count(const struct run *x, const char *rule,
		    const struct mt_rec **rec)
{
	size_t i, n = 0;

	if (rec)
		*rec = NULL;
	for (i = 0; i < x->l.nr; i++)
		if (!strcmp(x->l.v[i].rule, rule)) {
			if (rec && !n)
				*rec = &x->l.v[i];
			n++;
		}
	return n;
}

/* System PSI @some/@full/@full60 and the recommendation it gives */
static size_t psi_system(double some, double full, double full60,
			 const char *rule, const struct mt_rec **rec,
			 char *evidence)
{
	struct json_object *o = snap_new();
	struct run x;
	size_t n, all;

	psi_set(o, "/proc/pressure/memory", some, full, full60);
	run(o, &x);
	n = count(&x, rule, rec);
	all = count(&x, "psi-full-avg10", NULL) +
	      count(&x, "psi-full-avg60", NULL) +
	      count(&x, "psi-some-avg10", NULL);
	CHECK(all <= 1);	/* one per file */
	if (rec && *rec) {
		strcpy(evidence, (*rec)->evidence);
		CHECK((*rec)->severity == (!strcmp(rule, "psi-full-avg10") ?
			MT_REC_CRITICAL : !strcmp(rule, "psi-full-avg60") ?
			MT_REC_SERIOUS : MT_REC_MONITOR));
	}
	*rec = NULL;
	run_free(&x);
	return n;
}

static void report_psi_thresholds(void)
{
	const struct mt_rec *rec;
	char ev[512] = "";

	CHECK(psi_system(0, 5.00, 0, "psi-full-avg10", &rec, ev) == 0);
	CHECK(psi_system(0, 5.01, 0, "psi-full-avg10", &rec, ev) == 1);
	CHECK_STR(ev, "/proc/pressure/memory: full avg10=5.01 > 5.00");
	CHECK(psi_system(0, 0, 2.00, "psi-full-avg60", &rec, ev) == 0);
	CHECK(psi_system(0, 0, 2.01, "psi-full-avg60", &rec, ev) == 1);
	CHECK_STR(ev, "/proc/pressure/memory: full avg60=2.01 > 2.00");
	CHECK(psi_system(10.00, 0, 0, "psi-some-avg10", &rec, ev) == 0);
	CHECK(psi_system(10.01, 0, 0, "psi-some-avg10", &rec, ev) == 1);
	CHECK_STR(ev, "/proc/pressure/memory: some avg10=10.01 > 10.00");
	/* all three exceeded: the most severe only */
	CHECK(psi_system(50, 30, 20, "psi-full-avg10", &rec, ev) == 1);
	CHECK(psi_system(50, 30, 20, "psi-some-avg10", &rec, ev) == 0);
}

/* A cgroup's PSI names its file; no swap then is a recommendation too */
static void report_psi_cgroup(void)
{
	struct json_object *o = snap_new();
	const struct mt_rec *rec;
	struct run x;

	psi_set(o, "/proc/pressure/memory", 0, 0, 0);
	psi_set(o, CG "/squeeze/memory.pressure", 40, 12.4, 3);
	psi_set(o, CG "/idle/memory.pressure", 0, 0, 0);
	file_set(o, CG "/idle/memory.current", "4096\n");
	/* the root cgroup's pressure is the system's: not judged twice */
	psi_set(o, CG "/memory.pressure", 40, 30, 3);
	file_set(o, "/proc/swaps",
		 "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	run(o, &x);
	CHECK(count(&x, "psi-full-avg10", &rec) == 1);
	if (rec) {
		CHECK_STR(rec->evidence, CG "/squeeze/memory.pressure: full avg10=12.40 > 5.00");
		CHECK(strstr(rec->advice, "cgroup /squeeze") != NULL);
	}
	CHECK(count(&x, "swap-none", &rec) == 1);
	CHECK(x.l.nr == 2 && x.l.v[0].severity == MT_REC_CRITICAL &&
	      x.l.v[1].severity == MT_REC_SERIOUS);
	CHECK(mt_recs_problems(&x.l));
	CHECK_U64(x.r.nr_cgroups, 3);
	CHECK_STR(x.r.cgroups[0].path, "/");
	CHECK(x.r.cgroups[0].has_psi && x.r.cgroups[0].psi.full == 30);
	CHECK_STR(x.r.cgroups[1].path, "/idle");
	CHECK(x.r.cgroups[1].has_current && x.r.cgroups[1].current == 4096);
	CHECK_STR(x.r.cgroups[2].path, "/squeeze");
	run_free(&x);

	/* with a swap device: no swap-none */
	o = snap_new();
	psi_set(o, CG "/squeeze/memory.pressure", 40, 12.4, 3);
	file_set(o, "/proc/swaps",
		 "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
		 "/dev/zram0                              partition\t262140\t\t1024\t\t-2\n");
	run(o, &x);
	CHECK(count(&x, "psi-full-avg10", NULL) == 1);
	CHECK(count(&x, "swap-none", NULL) == 0);
	CHECK_U64(x.r.nr_swaps, 1);
	if (x.r.nr_swaps) {
		CHECK_STR(x.r.swaps[0].name, "/dev/zram0");
		CHECK_U64(x.r.swaps[0].size_kb, 262140);
		CHECK_U64(x.r.swaps[0].used_kb, 1024);
		CHECK(x.r.swaps[0].prio == -2);
	}
	run_free(&x);
}

/* KSM ratio @sharing/@shared with run @run_: the rule and its severity */
/* ksm_zero_pages of ksm_case()'s KSM directory: NULL, none (6.1) */
static const char *ksm_zero;

static size_t ksm_case(int run_, int shared, int sharing, const char *rule,
		       enum mt_rec_severity *sev)
{
	static const char *const names[] = {
		"pages_unshared", "pages_volatile", "full_scans",
		"pages_to_scan", "sleep_millisecs",
	};
	struct json_object *o = snap_new();
	const struct mt_rec *rec;
	struct run x;
	char s[64];
	size_t i, n;

	snprintf(s, sizeof(s), "%d\n", run_);
	file_set(o, "/sys/kernel/mm/ksm/run", s);
	snprintf(s, sizeof(s), "%d\n", shared);
	file_set(o, "/sys/kernel/mm/ksm/pages_shared", s);
	snprintf(s, sizeof(s), "%d\n", sharing);
	file_set(o, "/sys/kernel/mm/ksm/pages_sharing", s);
	if (ksm_zero)
		file_set(o, "/sys/kernel/mm/ksm/ksm_zero_pages", ksm_zero);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(s, sizeof(s), "/sys/kernel/mm/ksm/%s", names[i]);
		file_set(o, s, "0\n");
	}
	run(o, &x);
	CHECK(x.r.has_ksm);
	n = count(&x, rule, &rec);
	if (rec)
		*sev = rec->severity;
	run_free(&x);
	return n;
}

/*
 * The advice on KSM is the trial's verdict (mt_ksm_verdict(), ksm.c):
 * by the bytes saved, pages_sharing 4 KiB pages here: keep above 100 MB
 * (24415 pages = 100003840 bytes), disable below 20 MB (4882 pages =
 * 19996672 bytes), watch between; a high ratio alone is no reason.
 */
static void report_ksm(void)
{
	enum mt_rec_severity sev = MT_NR_REC_SEVERITIES;

	CHECK(ksm_case(1, 100, 24415, "ksm-saved", &sev) == 1);
	CHECK(sev == MT_REC_KEEP);
	CHECK(ksm_case(1, 100, 24414, "ksm-saved", &sev) == 1);
	CHECK(sev == MT_REC_MONITOR);
	CHECK(ksm_case(1, 100, 4883, "ksm-saved", &sev) == 1);
	CHECK(sev == MT_REC_MONITOR);
	CHECK(ksm_case(1, 100, 4882, "ksm-saved", &sev) == 1);
	CHECK(sev == MT_REC_INFO);
	/* the guests' 4096 identical pages: a ratio of 255, 16.7 MB saved */
	CHECK(ksm_case(1, 16, 4080, "ksm-saved", &sev) == 1);
	CHECK(sev == MT_REC_INFO);
	CHECK(ksm_case(1, 0, 0, "ksm-idle", &sev) == 1);
	CHECK(ksm_case(1, 0, 0, "ksm-saved", &sev) == 0);
	CHECK(ksm_case(0, 100, 24415, "ksm-saved", &sev) == 0);	/* off */
	CHECK(ksm_case(0, 0, 0, "ksm-idle", &sev) == 0);
	/* only empty pages merged (use_zero_pages): saved, not idle */
	ksm_zero = "100\n";
	CHECK(ksm_case(1, 0, 0, "ksm-idle", &sev) == 0);
	CHECK(ksm_case(1, 0, 0, "ksm-saved", &sev) == 1);
	CHECK(sev == MT_REC_INFO);
	ksm_zero = NULL;
}

static void report_oom_stalls(void)
{
	struct json_object *o = snap_new(), *m;
	const struct mt_rec *rec;
	struct run x;

	m = module_new(o, "attached");
	row_add(m, "/a", 10, "oom_kills", (uint64_t)3, "memcg_stalls",
		(uint64_t)7, "memcg_stall_ns", (uint64_t)1500000000, NULL);
	row_add(m, "/b", 11, "oom_kills", (uint64_t)0, "memcg_stalls",
		(uint64_t)0, NULL);
	run(o, &x);
	CHECK(count(&x, "oom-kills", &rec) == 1);
	if (rec) {
		CHECK(rec->severity == MT_REC_SERIOUS);
		CHECK(strstr(rec->advice, "cgroup /a ") != NULL);
		CHECK_STR(rec->evidence, "cgroup /a: oom_kills=3 > 0 (memtally, since the module loaded)");
	}
	CHECK(count(&x, "memcg-stalls", &rec) == 1);
	if (rec)
		CHECK_STR(rec->evidence, "cgroup /a: memcg_stalls=7 > 0, 1.500 s stalled (memtally, since the module loaded)");
	run_free(&x);

	/* without the module: memory.events, less the children's kills */
	o = snap_new();
	file_set(o, CG "/p/memory.events", "low 0\nhigh 0\nmax 9\noom 2\noom_kill 5\n");
	file_set(o, CG "/p/c/memory.events", "oom_kill 3\n");
	file_set(o, CG "/p/c/d/memory.events", "oom_kill 3\n");
	file_set(o, CG "/q/memory.events", "oom_kill 0\n");
	run(o, &x);
	CHECK(count(&x, "oom-kills", &rec) == 2);
	if (rec)
		CHECK_STR(rec->evidence, CG "/p/memory.events: oom_kill=2 > 0 (less its children's)");
	CHECK(count(&x, "memcg-stalls", NULL) == 0);
	run_free(&x);
}

static void report_majfault(void)
{
	struct json_object *o = snap_new();
	const struct mt_rec *rec;
	struct run x;

	/* 100000 over 1000 s: 100/s, not above */
	file_set(o, "/proc/vmstat", "pgfault 5000000\npgmajfault 100000\n");
	run(o, &x);
	CHECK(x.r.has_vmstat && x.r.pgmajfault == 100000);
	CHECK(count(&x, "majfault-rate", NULL) == 0);
	CHECK(!mt_recs_problems(&x.l));
	run_free(&x);
	o = snap_new();
	file_set(o, "/proc/vmstat", "pgfault 5000000\npgmajfault 100001\n");
	run(o, &x);
	CHECK(count(&x, "majfault-rate", &rec) == 1);
	if (rec)
		CHECK_STR(rec->evidence, "/proc/vmstat: pgmajfault=100001 over 1000 s since boot = 100.0/s > 100.0/s");
	run_free(&x);
}

/* DAMON bound: a cgroup per case, with hot, warm and cold MiB */
static void report_damon(void)
{
	struct json_object *o = snap_new(), *m, *d;
	const struct mt_rec *rec;
	struct run x;
	const uint64_t M = 1 << 20;

	m = module_new(o, "attached");
	d = json_object_new_object();
	json_object_object_add(d, "bound", json_object_new_boolean(1));
	json_object_object_add(d, "total_bytes",
			       json_object_new_uint64(512 * M));
	json_object_object_add(m, "damon", d);
	/* lukewarm: wss 60 % of seen, hot 10 % of wss */
	row_add(m, "/luke", 1, "damon_wss", 60 * M, "damon_hot", 6 * M,
		"damon_warm", 54 * M, "damon_cold", 40 * M, NULL);
	/* at the thresholds: wss 50 %, hot 20 %, cold 50 %: nothing */
	row_add(m, "/edge", 2, "damon_wss", 50 * M, "damon_hot", 10 * M,
		"damon_warm", 40 * M, "damon_cold", 50 * M, NULL);
	/* cold: 51 % cold */
	row_add(m, "/cold", 3, "damon_wss", 49 * M, "damon_hot", 49 * M,
		"damon_warm", 0, "damon_cold", 51 * M, NULL);
	/* too small to judge */
	row_add(m, "/tiny", 4, "damon_wss", 0, "damon_hot", 0,
		"damon_warm", 0, "damon_cold", 15 * M, NULL);
	run(o, &x);
	CHECK(x.r.damon == MT_REP_DAMON_BOUND);
	CHECK(count(&x, "damon-lukewarm", &rec) == 1);
	if (rec)
		CHECK(strstr(rec->evidence, "cgroup /luke: damon_wss=62914560 = 60.0 % of 104857600 bytes seen > 50.0 %, damon_hot=6291456 = 10.0 % of it < 20.0 %") == rec->evidence);
	CHECK(count(&x, "damon-cold", &rec) == 1);
	if (rec)
		CHECK_STR(rec->evidence, "cgroup /cold: damon_cold=53477376 = 51.0 % of 104857600 bytes seen > 50.0 %");
	run_free(&x);

	/* a kernel without DAMON: the hook is unavailable */
	o = snap_new();
	module_new(o, "unavailable");
	run(o, &x);
	CHECK(x.r.damon == MT_REP_DAMON_UNBUILT);
	run_free(&x);
	o = snap_new();
	module_new(o, "attached");
	run(o, &x);
	CHECK(x.r.damon == MT_REP_DAMON_UNSUPPORTED);
	run_free(&x);
}

/* The parsers of procfiles.c */
static void report_procfiles(void)
{
	struct mt_swap *v;
	uint64_t val;
	char s[16];
	size_t n;

	CHECK(!mt_kv_get("MemTotal:       2013440 kB\nMemFree: 5 kB\n",
			 "MemFree", &val) && val == 5);
	CHECK(mt_kv_get("MemTotalX: 3\n", "MemTotal", &val) == -ENOENT);
	CHECK(mt_kv_get("pgfault x\n", "pgfault", &val) == -EINVAL);
	CHECK(mt_kv_get("pgfault 12x\n", "pgfault", &val) == -EINVAL);
	CHECK(!mt_kv_str("Name:\tsh\nState: S\n", "Name", s, sizeof(s)));
	CHECK_STR(s, "sh");
	CHECK(mt_swaps_parse("Filename Type Size Used Priority\n", &v, &n) ==
	      0 && n == 0);
	CHECK(mt_swaps_parse("bogus\n", &v, &n) == -EINVAL);
	CHECK(mt_swaps_parse("Filename Type Size Used Priority\n/dev/x y\n",
			     &v, &n) == -EINVAL && !v && !n);
}

static char dir[] = "/tmp/mt-report.XXXXXX";

static void snap_save(struct json_object *o, const char *path)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (f) {
		fputs(json_object_to_json_string(o), f);
		fclose(f);
	}
	json_object_put(o);
}

/* Nothing but the header: every section says what it lacks */
static void report_unavailable(void)
{
	char out[16384], err[4096], path[PATH_MAX];
	struct json_object *j, *un, *x;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/empty.json", dir);
	snap_save(snap_new(), path);
	CHECK(tool(out, err, sizeof(out), ARGS("report", "--from", path)) == 0);
	CHECK_STR(err, "");
	CHECK(strstr(out, "Without the memtally module: ") != NULL);
	CHECK(strstr(out, "unavailable: /proc/meminfo was not read\n"));
	CHECK(strstr(out, "unavailable: no /proc/pressure/memory: a kernel without PSI"));
	CHECK(strstr(out, "unavailable: /proc/swaps was not read\n"));
	CHECK(strstr(out, "unavailable: KSM is not built into this kernel (CONFIG_KSM)"));
	CHECK(strstr(out, "DAMON\n  unavailable: needs the memtally module (load it with: modprobe memtally)\n"));
	CHECK(strstr(out, "\nRecommendations\n  No problems found.\n"));

	CHECK(tool(out, err, sizeof(out),
		   ARGS("report", "--from", path, "--json")) == 0);
	j = json_tokener_parse(out);
	CHECK(j != NULL);
	CHECK(json_object_object_get_ex(j, "memory", &x) && !x);
	CHECK(json_object_object_get_ex(j, "recommendations", &x) &&
	      json_object_is_type(x, json_type_array) &&
	      !json_object_array_length(x));
	CHECK(json_object_object_get_ex(j, "unavailable", &un));
	CHECK(json_object_object_get_ex(un, "ksm", &x) &&
	      strstr(json_object_get_string(x), "CONFIG_KSM"));
	CHECK(json_object_object_length(un) == 9);
	json_object_put(j);

	/* a kernel without DAMON, with the module */
	j = snap_new();
	module_new(j, "unavailable");
	snap_save(j, path);
	CHECK(tool(out, err, sizeof(out), ARGS("report", "--from", path)) == 0);
	CHECK(strstr(out, "DAMON\n  unavailable: DAMON is not built into this kernel (CONFIG_DAMON)\n"));
	CHECK(!strstr(out, "Without the memtally module"));
	unlink(path);
}

/* The JSON of a squeezed cgroup: the recommendation, the sections */
static void report_json(void)
{
	char out[16384], err[4096], path[PATH_MAX];
	struct json_object *o = snap_new(), *j, *a, *x, *y;

	psi_set(o, "/proc/pressure/memory", 1, 0.5, 0);
	psi_set(o, CG "/squeeze/memory.pressure", 40, 12.4, 3);
	file_set(o, CG "/squeeze/memory.current", "25165824\n");
	file_set(o, "/proc/meminfo", "MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 400 kB\nBuffers: 10 kB\nCached: 200 kB\nSReclaimable: 20 kB\n");
	file_set(o, "/proc/42/status", "Name:\tworker\nVmRSS:\t  2048 kB\n");
	file_set(o, "/proc/42/smaps_rollup", "Rss: 2048 kB\nPss: 1024 kB\n");
	file_set(o, "/proc/42/cgroup", "0::/squeeze\n");
	file_set(o, "/proc/43/status", "Name:\tkthreadd\n");
	snprintf(path, sizeof(path), "%s/sq.json", dir);
	snap_save(o, path);
	CHECK(tool(out, err, sizeof(out),
		   ARGS("report", "--from", path, "-j", "-n", "3")) == 0);
	j = json_tokener_parse(out);
	CHECK(j != NULL);
	CHECK(json_object_object_get_ex(j, "source", &x) &&
	      !strcmp(json_object_get_string(x), path));
	CHECK(json_object_object_get_ex(j, "recommendations", &a) &&
	      json_object_array_length(a) == 1);
	x = json_object_array_get_idx(a, 0);
	CHECK(json_object_object_get_ex(x, "severity", &y) &&
	      !strcmp(json_object_get_string(y), "critical"));
	CHECK(json_object_object_get_ex(x, "rule", &y) &&
	      !strcmp(json_object_get_string(y), "psi-full-avg10"));
	CHECK(json_object_object_get_ex(x, "evidence", &y) &&
	      !strcmp(json_object_get_string(y), CG "/squeeze/memory.pressure: full avg10=12.40 > 5.00"));
	CHECK(json_object_object_get_ex(x, "advice", &y));
	CHECK(json_object_object_get_ex(j, "memory", &x) &&
	      json_object_object_get_ex(x, "used_bytes", &y) &&
	      json_object_get_uint64(y) == 600 * 1024);
	CHECK(json_object_object_get_ex(x, "cache_bytes", &y) &&
	      json_object_get_uint64(y) == 220 * 1024);
	CHECK(json_object_object_get_ex(j, "pressure", &x) &&
	      json_object_object_get_ex(x, "cgroups", &a) &&
	      json_object_array_length(a) == 1);
	CHECK(json_object_object_get_ex(j, "top_processes", &a) &&
	      json_object_array_length(a) == 1);
	x = json_object_array_get_idx(a, 0);
	CHECK(json_object_object_get_ex(x, "pss_bytes", &y) &&
	      json_object_get_uint64(y) == 1024 * 1024);
	CHECK(json_object_object_get_ex(x, "cgroup", &y) &&
	      !strcmp(json_object_get_string(y), "/squeeze"));
	CHECK(json_object_object_get_ex(j, "top_cgroups", &a) &&
	      json_object_array_length(a) == 1);
	CHECK(json_object_object_get_ex(j, "problems", &x) &&
	      json_object_get_boolean(x));
	json_object_put(j);

	CHECK(tool(out, err, sizeof(out), ARGS("report", "--from", path)) == 0);
	CHECK(strstr(out, "  [critical] psi-full-avg10: cgroup /squeeze: ") != NULL);
	CHECK(strstr(out, "    because " CG "/squeeze/memory.pressure: full avg10=12.40 > 5.00\n") != NULL);
	CHECK(!strstr(out, "No problems found"));
	unlink(path);

	CHECK(tool(out, err, sizeof(out), ARGS("report", "-n", "0")) == 2);
	CHECK(tool(out, err, sizeof(out), ARGS("report", "extra")) == 2);
	CHECK(tool(out, err, sizeof(out),
		   ARGS("report", "--from", "/nonexistent/x.json")) == 1);
	CHECK(strstr(err, "/nonexistent/x.json") != NULL);
	CHECK(tool(out, err, sizeof(out), ARGS("report", "--help")) == 0);
	CHECK(!strncmp(out, "Usage: memtally report", 22));
	rmdir(dir);
}

/*
 * A cgroup v1 host's snapshot: "cgroup_root" null, and files at the
 * usual cgroup2 place that are no cgroup2's; a hybrid host's: cgroup2 at
 * /sys/fs/cgroup/unified, the memory controller on a v1 hierarchy.  The
 * report says why it has no cgroups, and advises no cgroup2 knob.
 */
static void report_no_cgroup2(void)
{
	char d[] = "/tmp/mt-report-v1.XXXXXX", path[PATH_MAX];
	char out[16384], err[4096];
	struct json_object *o = snap_new();

	CHECK(mkdtemp(d) != NULL);
	snprintf(path, sizeof(path), "%s/v1.json", d);
	json_object_object_add(o, "cgroup_root", NULL);
	file_set(o, "/proc/meminfo", "MemTotal: 1000 kB\nMemFree: 100 kB\n");
	file_set(o, CG "/a/memory.current", "4096\n");
	file_set(o, CG "/a/memory.events", "oom_kill 3\n");
	snap_save(o, path);
	CHECK(tool(out, err, sizeof(out), ARGS("report", "--from", path)) == 0);
	CHECK_STR(err, "");
	CHECK(strstr(out, "\nTop cgroups (memory.current, with descendants)\n  unavailable: no cgroup2 file system is mounted, whose cgroups have memory.current\n"));
	CHECK(!strstr(out, "/a") && !strstr(out, "memory.max"));

	o = snap_new();
	json_object_object_add(o, "cgroup_root",
			       json_object_new_string(CG "/unified"));
	file_set(o, "/proc/cgroups", "#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpu\t1\t1\t1\nmemory\t4\t31\t1\npids\t0\t1\t1\n");
	file_set(o, CG "/unified/a/memory.pressure",
		 "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
	snap_save(o, path);
	CHECK(tool(out, err, sizeof(out), ARGS("report", "--from", path)) == 0);
	CHECK(strstr(out, "\n  unavailable: no cgroup has memory.current: the memory controller is on a cgroup v1 hierarchy (/proc/cgroups), not on cgroup2\n"));
	/* on cgroup2 (hierarchy 0), enabling it is the advice */
	o = snap_new();
	file_set(o, "/proc/cgroups", "#subsys_name\thierarchy\tnum_cgroups\tenabled\nmemory\t0\t31\t1\n");
	snap_save(o, path);
	CHECK(tool(out, err, sizeof(out), ARGS("report", "--from", path)) == 0);
	CHECK(strstr(out, "\n  unavailable: no cgroup has memory.current (the memory controller is not enabled below the root)\n"));
	unlink(path);
	rmdir(d);
}

void test_report(void)
{
	RUN(report_psi_thresholds);
	RUN(report_psi_cgroup);
	RUN(report_ksm);
	RUN(report_oom_stalls);
	RUN(report_majfault);
	RUN(report_damon);
	RUN(report_procfiles);
	RUN(report_unavailable);
	RUN(report_json);
	RUN(report_no_cgroup2);
}
