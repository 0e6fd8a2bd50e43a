// SPDX-License-Identifier: GPL-2.0
/*
 * memtally export: the Prometheus text of known input against
 * tests/export.prom (which make check-prom hands to promtool), escaping,
 * histograms, names, and the atomic write of the file.
 */
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <linux/memtally.h>
#include <netlink/genl/genl.h>

#include "cli.h"
#include "cmds.h"
#include "damonnl.h"
#include "ksm.h"
#include "prom.h"
#include "sources.h"
#include "test.h"
#include "fakenl.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ARGC(argv) ((int)ARRAY_SIZE(argv) - 1)

/* Run @call with a memory stream f; @buf gets what it wrote: free() it. */
#define CAPTURE(buf, call) do {						\
	size_t len_;							\
	FILE *f = open_memstream(&(buf), &len_);			\
	call;								\
	fclose(f);							\
} while (0)

static struct mt_hook hooks[] = {
	{ "faults-user", "exceptions:page_fault_user",
	  MEMTALLY_HOOK_STATE_ATTACHED, 0 },
	{ "ksm-merge", "ksm:ksm_merge_one_page",
	  MEMTALLY_HOOK_STATE_UNAVAILABLE, 0 },
};

static const struct mt_status status = {
	.version = "0.1.0",
	.kernel_release = "6.12.0-test",
	.nr_cgroups = 3,
	.unattributed = 7,
	.hooks = hooks,
	.nr_hooks = ARRAY_SIZE(hooks),
	.stall_threshold_us = 2500,
	.events_dropped = 1,
	.reclaim_unpaired = 2,
};

/* /proc/pressure/memory: 1.5 s and 0.25 s stalled */
static const struct mt_psi psi = {
	.has_some = true, .has_full = true,
	.some_total = 1500000, .full_total = 250000,
};

/* Two cgroups (one with an awkward name, one gone), a node, KSM, DAMON */
static void golden_input(struct mt_prom *p, struct mt_cgroup cg[3],
			 struct mt_cgroup *node, struct mt_ksm *ksm,
			 struct mt_ksm_sys *sys, struct mt_damon_info *damon)
{
	size_t i;

	memset(cg, 0, 3 * sizeof(*cg));
	cg[0].id = 1;
	cg[0].path = "/";
	cg[1].id = 4242;
	cg[1].path = "/a \"b\"\\c\nd\xff";	/* all a directory may be */
	cg[2].id = 77;		/* removed meanwhile: no path */
	for (i = 0; i < MT_NR_CGROUP_COUNTERS; i++) {
		cg[0].counters[i] = i;
		cg[1].counters[i] = 1000 + i;
	}
	cg[1].counters[MT_CTR_MEMCG_STALLS] = 6;
	cg[1].counters[MT_CTR_MEMCG_STALL_NS] = 1500000;	/* 1.5 ms */
	cg[1].counters[MT_CTR_THROTTLED_US] = 2000000;		/* 2 s */
	cg[1].counters[MT_CTR_SLAB_SHRINK_NS] = UINT64_MAX;
	cg[1].hist[MEMTALLY_RECLAIM_KIND_MEMCG][0] = 1;
	cg[1].hist[MEMTALLY_RECLAIM_KIND_MEMCG][3] = 2;
	cg[1].hist[MEMTALLY_RECLAIM_KIND_MEMCG][MEMTALLY_HIST_BUCKETS - 1] = 3;
	memset(node, 0, sizeof(*node));
	node->id = 0;
	node->counters[MT_CTR_PGSCAN] = 300;
	node->counters[MT_CTR_PGSTEAL] = 200;
	node->counters[MT_CTR_SLAB_SHRINK_NS] = 1234;
	node->counters[MT_CTR_KSWAPD_WAKES] = 5;
	*ksm = (struct mt_ksm){ .updated_ns = 1, .merging_pages = 4080,
				.rmap_items = 4096, .zero_pages = 0,
				.has_full_scans = true, .full_scans = 3 };
	memset(sys, 0, sizeof(*sys));
	for (i = 0; i < MT_NR_KSM_FILES; i++) {
		sys->v[i] = 10 + i;
		sys->has[i] = i != MT_KSM_ZERO_PAGES;	/* a 6.1 kernel */
	}
	sys->v[MT_KSM_GENERAL_PROFIT] = -4096;
	memset(damon, 0, sizeof(*damon));
	damon->b.bound = true;
	damon->aggregations = 9;
	damon->total_bytes = 1 << 30;
	damon->unattributed_bytes = 4096;
	*p = (struct mt_prom){
		.st = &status, .cgroups = cg, .nr_cgroups = 3,
		.nodes = node, .nr_nodes = 1, .ksm = ksm, .ksm_sys = sys,
		.page_size = 4096, .damon = damon, .psi = &psi,
	};
}

static char *golden_path(char *buf, size_t len)
{
	char tool[PATH_MAX];

	snprintf(tool, sizeof(tool), "%s", t_tool);
	snprintf(buf, len, "%s/tests/export.prom", dirname(tool));
	return buf;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f)
		return NULL;
	n = getdelim(&buf, &cap, '\0', f);
	fclose(f);
	if (n < 0) {
		free(buf);
		return strdup("");
	}
	return buf;
}

/* The whole text, byte for byte; a change shows as a diff */
static void prom_golden(void)
{
	struct mt_cgroup cg[3], node;
	struct mt_damon_info damon;
	char path[PATH_MAX + 32], *out = NULL, *want;
	struct mt_ksm_sys sys;
	struct mt_ksm ksm;
	struct mt_prom p;
	FILE *f;

	golden_input(&p, cg, &node, &ksm, &sys, &damon);
	CAPTURE(out, mt_prom_write(f, &p));
	want = slurp(golden_path(path, sizeof(path) - 4));
	CHECK(want != NULL);
	if (want && strcmp(out, want)) {
		t_failed_case = true;
		strcat(path, ".out");
		f = fopen(path, "w");
		if (f) {
			fputs(out, f);
			fclose(f);
		}
		fprintf(stderr, "%s:%d: mt_prom_write() differs from the golden file: diff -u tests/export.prom %s\n",
			__FILE__, __LINE__, path);
	}
	free(want);
	free(out);
}

/* Does @text have the line @line? */
static bool has_line(const char *text, const char *line)
{
	size_t len = strlen(line);
	const char *s;

	for (s = text; (s = strstr(s, line)); s++)
		if ((s == text || s[-1] == '\n') && s[len] == '\n')
			return true;
	return false;
}

static void prom_escape(void)
{
	/* backslash, quote, newline; é and a 4-byte emoji; bad bytes */
	static const char in[] = "/a\\b\"c\nd\xc3\xa9\xf0\x9f\x90\xa7"
				 "\xff\xc3(\xed\xa0\x80\xc0\xaf";
	char *out = NULL;

	CAPTURE(out, mt_prom_escape(f, in, true));
	CHECK_STR(out, "/a\\\\b\\\"c\\nd\xc3\xa9\xf0\x9f\x90\xa7"
		       "\xef\xbf\xbd\xef\xbf\xbd("		/* ff, c3 */
		       "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"	/* surrogate */
		       "\xef\xbf\xbd\xef\xbf\xbd");		/* overlong */
	free(out);
	/* HELP text: quotes stay */
	CAPTURE(out, mt_prom_escape(f, "say \"x\"\\\n", false));
	CHECK_STR(out, "say \"x\"\\\\\\n");
	free(out);
}

/* Parse a sample line "name{...} value" of @text after @prefix */
static bool sample_after(const char **s, const char *prefix, char *le,
			 size_t lelen, uint64_t *v)
{
	const char *p = strstr(*s, prefix), *q;

	if (!p)
		return false;
	q = strstr(p, "le=\"");
	if (le && q) {
		q += 4;
		snprintf(le, lelen, "%.*s", (int)strcspn(q, "\""), q);
	}
	p = strchr(p, '}');
	*v = strtoull(p + 2, NULL, 10);
	*s = p;
	return true;
}

/*
 * The buckets of a histogram count every stall up to their le: they never
 * fall, +Inf is the count, and the le are the log2 us bounds in seconds.
 */
static void prom_histogram(void)
{
	static const char *const les[] = { "0.000002", "0.000004",
		"0.000008", "0.000016" };
	struct mt_cgroup cg = { .id = 9, .path = "/h" };
	uint64_t v = 0, prev = 0, sum = 0;
	const char *s;
	char *out = NULL, le[32] = "";
	size_t i;
	struct mt_prom p = { .st = &status, .cgroups = &cg, .nr_cgroups = 1 };

	for (i = 0; i < MEMTALLY_HIST_BUCKETS; i++) {
		cg.hist[MEMTALLY_RECLAIM_KIND_DIRECT][i] = i % 3;
		sum += i % 3;
	}
	cg.counters[MT_CTR_DIRECT_STALL_NS] = 123456789;
	CAPTURE(out, mt_prom_write(f, &p));
	s = out;
	for (i = 0; i < MEMTALLY_HIST_BUCKETS; i++) {
		CHECK(sample_after(&s, "memtally_direct_stall_seconds_bucket{",
				   le, sizeof(le), &v));
		CHECK(v >= prev);
		prev = v;
		if (i < ARRAY_SIZE(les))
			CHECK_STR(le, les[i]);
	}
	CHECK_STR(le, "+Inf");
	CHECK_U64(v, sum);
	CHECK(has_line(out, "memtally_direct_stall_seconds_bucket{cgroup=\"9\",path=\"/h\",le=\"0.524288\"} 18"));
	CHECK(has_line(out, "memtally_direct_stall_seconds_sum{cgroup=\"9\",path=\"/h\"} 0.123456789"));
	CHECK(has_line(out, "memtally_direct_stall_seconds_count{cgroup=\"9\",path=\"/h\"} 19"));
	CHECK(has_line(out, "# TYPE memtally_direct_stall_seconds histogram"));
	free(out);
}

/* Is @word one of the _-separated words of @name? */
static bool has_word(const char *name, const char *word)
{
	size_t len = strlen(word);
	const char *s;

	for (s = name; (s = strstr(s, word)); s++)
		if ((s == name || s[-1] == '_') && (!s[len] || s[len] == '_'))
			return true;
	return false;
}

/*
 * Each row of mt_cgroup_counters[] is a metric: counters end in _total,
 * gauges do not, times are in seconds; no two families share a name.
 */
static void prom_names(void)
{
	struct mt_cgroup cg[3], node;
	struct mt_damon_info damon;
	char name[128], line[160], *out = NULL, *s, *t;
	struct mt_ksm_sys sys;
	struct mt_ksm ksm;
	struct mt_prom p;
	uint64_t scale;
	size_t i, len;

	for (i = 0; i < MT_NR_CGROUP_COUNTERS; i++) {
		const struct mt_counter_col *col = &mt_cgroup_counters[i];

		mt_prom_name(name, sizeof(name), "memtally_", col, &scale);
		len = strlen(name);
		CHECK(strspn(name, "abcdefghijklmnopqrstuvwxyz_") == len);
		CHECK((col->type == MT_CUMULATIVE) ==
		      (len > 6 && !strcmp(name + len - 6, "_total")));
		CHECK(!has_word(name, "ns") && !has_word(name, "us"));
		CHECK(scale == 1 || strstr(name, "_seconds"));
		CHECK(col->help && col->help[0] && !strchr(col->help, '\n'));
	}
	mt_prom_name(name, sizeof(name), "memtally_",
		     &mt_cgroup_counters[MT_CTR_MEMCG_STALL_NS], &scale);
	CHECK_STR(name, "memtally_memcg_stall_seconds_total");
	CHECK_U64(scale, 1000000000);
	mt_prom_name(name, sizeof(name), "memtally_",
		     &mt_cgroup_counters[MT_CTR_KSM_MERGING_PAGES], &scale);
	CHECK_STR(name, "memtally_ksm_merging_pages");

	golden_input(&p, cg, &node, &ksm, &sys, &damon);
	CAPTURE(out, mt_prom_write(f, &p));
	for (s = out; (s = strstr(s, "# TYPE ")); s++) {
		len = strcspn(s + 7, " ");
		snprintf(line, sizeof(line), "# TYPE %.*s ", (int)len, s + 7);
		t = strstr(s + 1, line);
		CHECK(!t);
		if (t)
			fprintf(stderr, "twice: %s\n", line);
	}
	free(out);
}

/*
 * Without the module, memtally_up 0 alone, after why; DAMON gauges only
 * when bound
 */
static void prom_parts(void)
{
	struct mt_cgroup cg = { .id = 2, .path = "/x" };
	struct mt_damon_info damon = { 0 };
	struct mt_prom p = { 0 };
	char *out = NULL;

	CAPTURE(out, mt_prom_write(f, &p));
	CHECK_STR(out, "# HELP memtally_up Whether memtally export could read the memtally module\n"
		       "# TYPE memtally_up gauge\n"
		       "memtally_up 0\n");
	free(out);
	/* why, first, as a comment of one line */
	p.error = "reading x: y\nz\\";
	CAPTURE(out, mt_prom_write(f, &p));
	CHECK_STR(out, "# memtally export failed: reading x: y\\nz\\\\\n"
		       "# HELP memtally_up Whether memtally export could read the memtally module\n"
		       "# TYPE memtally_up gauge\n"
		       "memtally_up 0\n");
	free(out);

	p = (struct mt_prom){ .st = &status, .cgroups = &cg, .nr_cgroups = 1,
			      .damon = &damon };
	CAPTURE(out, mt_prom_write(f, &p));
	CHECK(has_line(out, "memtally_up 1"));
	CHECK(has_line(out, "memtally_damon_bound 0"));
	CHECK(!strstr(out, "memtally_damon_wss"));
	CHECK(!strstr(out, "memtally_node_"));
	CHECK(!strstr(out, "memtally_ksm_module"));
	CHECK(!strstr(out, "memtally_ksm_global"));
	/* an idle cgroup: its families are there, without its zeros */
	CHECK(has_line(out, "# TYPE memtally_faults_user_total counter"));
	CHECK(!strstr(out, "path=\"/x\""));
	free(out);
	p.all = true;
	CAPTURE(out, mt_prom_write(f, &p));
	CHECK(has_line(out, "memtally_faults_user_total{cgroup=\"2\",path=\"/x\"} 0"));
	CHECK(has_line(out, "memtally_memcg_stall_seconds_count{cgroup=\"2\",path=\"/x\"} 0"));
	free(out);
	damon.b.bound = true;
	CAPTURE(out, mt_prom_write(f, &p));
	CHECK(has_line(out, "memtally_damon_wss{cgroup=\"2\",path=\"/x\"} 0"));
	CHECK(has_line(out, "memtally_damon_bound 1"));
	free(out);

	/* by default: what is not 0, and the histograms of stalls it had */
	p.all = false;
	cg.counters[MT_CTR_FAULTS_USER] = 12;
	cg.counters[MT_CTR_MEMCG_STALLS] = 1;
	cg.hist[MEMTALLY_RECLAIM_KIND_MEMCG][2] = 1;
	CAPTURE(out, mt_prom_write(f, &p));
	CHECK(has_line(out, "memtally_faults_user_total{cgroup=\"2\",path=\"/x\"} 12"));
	CHECK(has_line(out, "memtally_memcg_stalls_total{cgroup=\"2\",path=\"/x\"} 1"));
	CHECK(!strstr(out, "memtally_faults_kernel_total{"));
	/* its gauges, 0 too: one falling to 0 reads 0, not stale */
	CHECK(has_line(out, "memtally_ksm_merging_pages{cgroup=\"2\",path=\"/x\"} 0"));
	CHECK(has_line(out, "memtally_damon_wss{cgroup=\"2\",path=\"/x\"} 0"));
	CHECK(has_line(out, "memtally_memcg_stall_seconds_count{cgroup=\"2\",path=\"/x\"} 1"));
	CHECK(has_line(out, "memtally_memcg_stall_seconds_bucket{cgroup=\"2\",path=\"/x\",le=\"0.000002\"} 0"));
	CHECK(!strstr(out, "memtally_direct_stall_seconds_count{"));
	free(out);
}

static void parse_export(void)
{
	char *file[] = { "export", "--prometheus", "/x/m.prom", NULL };
	char *out[] = { "export", "--prometheus=-", NULL };
	char *json[] = { "export", "-j", "--prometheus", "m.prom", NULL };
	char *help[] = { "export", "--help", NULL };
	char *none[] = { "export", NULL };
	char *empty[] = { "export", "--prometheus", "", NULL };
	char *both[] = { "export", "--prometheus", "-", "--json", NULL };
	char *extra[] = { "export", "--prometheus", "m", "now", NULL };
	char *bad[] = { "export", "--openmetrics", NULL };
	struct export_opts o = { 0 };

	CHECK(export_parse(ARGC(file), file, &o) == 0);
	CHECK_STR(o.prometheus, "/x/m.prom");
	CHECK(!o.json && !o.help);
	CHECK(export_parse(ARGC(out), out, &o) == 0);
	CHECK_STR(o.prometheus, "-");
	o = (struct export_opts){ 0 };
	CHECK(export_parse(ARGC(json), json, &o) == 0 && o.json);
	o = (struct export_opts){ 0 };
	CHECK(export_parse(ARGC(help), help, &o) == 0 && o.help);
	quiet(true);
	o = (struct export_opts){ 0 };
	CHECK(export_parse(ARGC(none), none, &o) == MT_EXIT_USAGE);
	CHECK(export_parse(ARGC(empty), empty, &o) == MT_EXIT_USAGE);
	o = (struct export_opts){ 0 };
	CHECK(export_parse(ARGC(both), both, &o) == MT_EXIT_USAGE);
	CHECK(export_parse(ARGC(extra), extra, &o) == MT_EXIT_USAGE);
	CHECK(export_parse(ARGC(bad), bad, &o) == MT_EXIT_USAGE);
	quiet(false);
}

/* The entries of @dir but . and .. */
static int dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

struct big {
	const char *target;	/* checked while the new text is written */
	const char *old;	/* what it holds meanwhile */
	size_t lines;
	bool seen_old;
};

/* @lines lines; meanwhile the target still holds the old text */
static void big_writer(FILE *f, const void *arg)
{
	const struct big *b = arg;
	char *now = slurp(b->target);
	size_t i;

	((struct big *)b)->seen_old = now && !strcmp(now, b->old);
	free(now);
	for (i = 0; i < b->lines; i++)
		fprintf(f, "memtally_line %zu\n", i);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/*
 * The target holds the old text until the new one is complete, then the
 * new one, 0644; no temporary file stays, whether it worked or not.
 */
static void write_atomic(void)
{
	char dir[] = "/tmp/memtally-prom.XXXXXX", path[64], *got, *s;
	struct big b = { .old = "old\n", .lines = 100000 };
	struct rlimit saved, small = { 4096, 4096 };
	struct stat st;
	size_t n;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/m.prom", dir);
	write_file(path, "old\n");
	b.target = path;
	CHECK(mt_write_atomic(path, big_writer, &b) == 0);
	CHECK(b.seen_old);
	got = slurp(path);
	n = 0;
	for (s = got; s && (s = strchr(s, '\n')); s++)
		n++;
	CHECK_U64(n, b.lines);
	CHECK(got && strstr(got, "memtally_line 99999\n"));
	free(got);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0644);
	CHECK(dir_entries(dir) == 1);

	/* a write error (the file size limit): the old file stays */
	write_file(path, "old\n");
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &saved);
	small.rlim_max = saved.rlim_max;
	setrlimit(RLIMIT_FSIZE, &small);
	quiet(true);
	CHECK(mt_write_atomic(path, big_writer, &b) == -1);
	quiet(false);
	setrlimit(RLIMIT_FSIZE, &saved);
	signal(SIGXFSZ, SIG_DFL);
	got = slurp(path);
	CHECK_STR(got, "old\n");
	free(got);
	CHECK(dir_entries(dir) == 1);

	/* no such directory: nothing written anywhere */
	snprintf(path, sizeof(path), "%s/none/m.prom", dir);
	quiet(true);
	CHECK(mt_write_atomic(path, big_writer, &b) == -1);
	quiet(false);
	CHECK(dir_entries(dir) == 1);
	snprintf(path, sizeof(path), "%s/m.prom", dir);
	unlink(path);
	rmdir(dir);
}

#define NOT_LOADED "the memtally module is not loaded (load it with: modprobe memtally, or insmod memtally.ko)"

/*
 * The binary without the module: the file that said memtally_up 1 says
 * memtally_up 0 and why, exit code 1
 */
static void tool_export_down(void)
{
	char dir[] = "/tmp/memtally-prom.XXXXXX", path[64], out[4096],
	     err[4096], *got;
	int ret;

	ret = tool(out, err, sizeof(out), ARGS("status"));
	if (ret != MT_EXIT_RUNTIME || !strstr(err, "not loaded")) {
		t_skipped_case = true;	/* loaded here after all */
		return;
	}
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/m.prom", dir);
	write_file(path, "# TYPE memtally_up gauge\nmemtally_up 1\n");
	CHECK(tool(out, err, sizeof(out),
		   ARGS("export", "--prometheus", path)) == MT_EXIT_RUNTIME);
	CHECK_STR(err, "memtally: " NOT_LOADED "\n");
	CHECK_STR(out, "");
	got = slurp(path);
	CHECK(got && has_line(got, "memtally_up 0"));
	CHECK(got && !has_line(got, "memtally_up 1"));
	CHECK(got && has_line(got, "# memtally export failed: " NOT_LOADED));
	free(got);
	CHECK(dir_entries(dir) == 1);
	CHECK(tool(out, err, sizeof(out),
		   ARGS("export", "--prometheus", "-")) == MT_EXIT_RUNTIME);
	CHECK(has_line(out, "memtally_up 0"));
	CHECK(tool(out, err, sizeof(out),
		   ARGS("-j", "export", "--prometheus", path)) ==
	      MT_EXIT_RUNTIME);
	CHECK(!strncmp(out, "{\"file\":\"", 9) &&
	      strstr(out, "\"up\":false"));
	unlink(path);
	rmdir(dir);
	CHECK(tool(out, err, sizeof(out), ARGS("export", "--help")) ==
	      MT_EXIT_OK);
	CHECK(strstr(out, "Usage: memtally export --prometheus FILE"));
}

/* The kernel's -EPERM to a request, capped, with its extack message */
static struct nl_msg *eperm_msg(void)
{
	struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_ERROR, NLM_F_CAPPED |
						NLM_F_ACK_TLVS);
	struct nlmsgerr *e = nlmsg_reserve(msg, sizeof(*e), NLMSG_ALIGNTO);

	memset(e, 0, sizeof(*e));
	e->error = -EPERM;
	e->msg.nlmsg_len = NLMSG_HDRLEN;
	nla_put_string(msg, NLMSGERR_ATTR_MSG, "needs CAP_PERFMON");
	return msg;
}

/*
 * Export through the fake kernel answering @reply (@len bytes) into @path,
 * which said memtally_up 1: its exit code, and the file's text in @got
 */
static int export_fake(const char *path, const void *reply, size_t len,
		       char **got)
{
	struct export_opts o = { .prometheus = path };
	struct mt_sources s;
	struct mt_nl nl;
	int ret;

	write_file(path, "# TYPE memtally_up gauge\nmemtally_up 1\n");
	if (fake_open(&nl, reply, len))
		return -1;
	quiet(true);
	ret = mt_sources_load(&s, &nl, NULL, mt_prom_row_active);
	mt_nl_close(&nl);
	ret = mt_export_write(&o, &s, ret);
	quiet(false);
	*got = slurp(path);
	return ret;
}

/*
 * Any failure to read, not only a missing module, replaces the file that
 * said memtally_up 1 with memtally_up 0 and why: the status refused
 * (permission), or the first read after the status (the KSM numbers: a
 * netlink error)
 */
static void export_read_errors(void)
{
	char dir[] = "/tmp/memtally-prom.XXXXXX", path[64], buf[1024], *got;
	size_t len = 0;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/m.prom", dir);
	setenv("MEMTALLY_CGROUP_ROOT", dir, 1);

	fake_append(buf, &len, eperm_msg());
	CHECK(export_fake(path, buf, len, &got) == MT_EXIT_RUNTIME);
	CHECK(got && has_line(got, "memtally_up 0"));
	CHECK(got && !has_line(got, "memtally_up 1"));
	CHECK(got && has_line(got, "# memtally export failed: permission denied: reading needs CAP_PERFMON or CAP_SYS_ADMIN (run as root); kernel: needs CAP_PERFMON"));
	free(got);

	/* the status, then the socket fails */
	len = 0;
	fake_append(buf, &len, fake_status_msg());
	fake_append(buf, &len, fake_ack_msg());
	CHECK(export_fake(path, buf, len, &got) == MT_EXIT_RUNTIME);
	CHECK(got && has_line(got, "memtally_up 0"));
	CHECK(got && !has_line(got, "memtally_up 1"));
	CHECK(got && has_line(got, "# memtally export failed: reading the KSM numbers: Input/output error; libnl: Bad socket"));
	CHECK(got && !strstr(got, "memtally_cgroups"));
	free(got);

	unsetenv("MEMTALLY_CGROUP_ROOT");
	CHECK(dir_entries(dir) == 1);
	unlink(path);
	rmdir(dir);
}

void test_prom(void)
{
	RUN(prom_golden);
	RUN(prom_escape);
	RUN(prom_histogram);
	RUN(prom_names);
	RUN(prom_parts);
	RUN(parse_export);
	RUN(write_atomic);
	RUN(export_read_errors);
	RUN(tool_export_down);
}
