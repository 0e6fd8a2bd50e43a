// SPDX-License-Identifier: GPL-2.0
/*
 * memtally snapshot and diff: a snapshot of known data read back, broken
 * files, the order and shape of a diff of a known pair, and the command
 * against a fake cgroup tree.
 */
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <json.h>
#include <linux/memtally.h>

#include "damonnl.h"
#include "prom.h"
#include "snapfile.h"
#include "test.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct mt_hook hooks[] = {
	{ "faults-user", "exceptions:page_fault_user",
	  MEMTALLY_HOOK_STATE_ATTACHED, 0 },
};

static const struct mt_status status = {
	.version = "0.1.0",
	.kernel_release = "6.12.0-test",
	.nr_cgroups = 3,
	.hooks = hooks,
	.nr_hooks = ARRAY_SIZE(hooks),
};

static const struct utsname uts = {
	.sysname = "Linux", .nodename = "test", .release = "6.12.0-test",
	.version = "#1", .machine = "x86_64",
};

/* The snapshot of @v as a string: free() it */
static char *snap_text(const struct mt_cgroup *v, size_t n,
		       const struct mt_cgroup *node, const struct mt_ksm *ksm,
		       const struct mt_damon_info *damon)
{
	struct mt_prom p = {
		.st = &status, .cgroups = v, .nr_cgroups = n,
		.nodes = node, .nr_nodes = node ? 1 : 0, .ksm = ksm,
		.damon = damon,
	};
	struct json_object *files = json_object_new_object();
	struct mt_snap_in in = {
		.mod = &p, .cgroot = "/sys/fs/cgroup", .uts = &uts,
		.time_ns = 1795300000000000000ull, .boottime_ns = 5000,
		.files = files,
	};
	struct json_object *o;
	char *s;

	json_object_object_add(files, "/proc/meminfo",
			       json_object_new_string("MemTotal: 1 kB\n"));
	json_object_object_add(files, "/proc/pressure/memory", NULL);
	o = mt_snap_json(&in);
	s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return s;
}

static void snap_write(const char *path, const struct mt_cgroup *v,
		       size_t n)
{
	char *s = snap_text(v, n, NULL, NULL, NULL);
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (f) {
		fputs(s, f);
		fclose(f);
	}
	free(s);
}

static void row(struct mt_cgroup *cg, const char *path, uint64_t id)
{
	memset(cg, 0, sizeof(*cg));
	cg->path = path;
	cg->id = id;
}

static bool rows_equal(const struct mt_cgroup *a, const struct mt_cgroup *b)
{
	return a->id == b->id &&
	       (a->path ? b->path && !strcmp(a->path, b->path) : !b->path) &&
	       !memcmp(a->counters, b->counters, sizeof(a->counters)) &&
	       !memcmp(a->hist, b->hist, sizeof(a->hist)) &&
	       !memcmp(a->damon_age, b->damon_age, sizeof(a->damon_age));
}

static void test_snap_roundtrip(void)
{
	struct mt_cgroup cg[3], node;
	struct mt_ksm ksm = { .updated_ns = 7, .merging_pages = 3 };
	uint32_t pids[] = { 42 };
	struct mt_damon_info damon = {
		.b = { .bound = true, .target_pids = pids, .nr_targets = 1 },
		.total_bytes = 4096,
	};
	struct mt_snap s;
	char why[256], *text;
	size_t i, c;

	row(&cg[0], "/", 1);
	row(&cg[1], "/a \"b\"", 2);
	row(&cg[2], NULL, 3);	/* removed meanwhile */
	for (i = 0; i < 3; i++) {
		for (c = 0; c < MT_NR_CGROUP_COUNTERS; c++)
			cg[i].counters[c] = i * 1000 + c + UINT64_MAX / 2;
		cg[i].hist[1][4] = i + 5;
		cg[i].damon_age[19] = i + 9;
	}
	row(&node, NULL, 0);
	node.counters[MT_CTR_PGSCAN] = 11;
	text = snap_text(cg, 3, &node, &ksm, &damon);
	CHECK(!mt_snap_parse(text, strlen(text), &s, why, sizeof(why)));
	CHECK(s.has_module);
	CHECK_U64(s.nr_cgroups, 3);
	CHECK_U64(s.nr_nodes, 1);
	for (i = 0; i < 3 && i < s.nr_cgroups; i++)
		CHECK(rows_equal(&cg[i], &s.cgroups[i]));
	if (s.nr_nodes)
		CHECK(rows_equal(&node, &s.nodes[0]));
	CHECK(mt_snap_cgroup(&s, "/a \"b\"") == &s.cgroups[1]);
	CHECK(mt_snap_cgroup(&s, "/nope") == NULL);
	CHECK(mt_snap_cgroup_id(&s, 3) == &s.cgroups[2]);
	CHECK_STR(mt_snap_file(&s, "/proc/meminfo"), "MemTotal: 1 kB\n");
	CHECK(mt_snap_file(&s, "/proc/pressure/memory") == NULL);
	mt_snap_free(&s);
	free(text);
}

/* Each broken file: -1 and one line that says what is wrong */
static void test_snap_broken(void)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "", "truncated (the JSON ends early)" },
		{ "{\"format\":\"memtally-snapshot\",\"vers",
		  "truncated (the JSON ends early)" },
		{ "hello", "not JSON" },
		{ "{} {}", "not JSON (unexpected character at byte 3)" },
		{ "[1]", "not a memtally snapshot" },
		{ "{\"format\":\"memtally-export\",\"version\":1}",
		  "not a memtally snapshot" },
		{ "{\"format\":\"memtally-snapshot\"}",
		  "a memtally snapshot without a version" },
		{ "{\"format\":\"memtally-snapshot\",\"version\":2}",
		  "a memtally snapshot of version 2, not 1 (use a newer memtally)" },
		{ "{\"format\":\"memtally-snapshot\",\"version\":1,\"module\":{\"cgroups\":[{\"faults_user\":\"x\"}]}}",
		  "\"faults_user\" is not a number" },
		{ "{\"format\":\"memtally-snapshot\",\"version\":1,\"module\":{\"cgroups\":[{\"direct_stall_hist\":[1]}]}}",
		  "\"direct_stall_hist\" is not an array of 20 buckets" },
		{ "{\"format\":\"memtally-snapshot\",\"version\":1,\"module\":{\"cgroups\":[{\"id\":-1}]}}",
		  "\"id\" is not a counter" },
	};
	struct mt_snap s;
	char why[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		strcpy(why, "");
		CHECK(mt_snap_parse(bad[i].text, strlen(bad[i].text), &s,
				    why, sizeof(why)) == -1);
		if (strncmp(why, bad[i].why, strlen(bad[i].why)) ||
		    strchr(why, '\n'))
			CHECK_STR(why, bad[i].why);
		CHECK(s.root == NULL && s.cgroups == NULL);
	}
}

static char dir[] = "/tmp/mt-snap.XXXXXX";
static char fa[PATH_MAX], fb[PATH_MAX];

/*
 * A: / 100 faults, /a 50 faults and a stall of 8-15 us, /gone
 * B: / 300 faults, /a 40 faults and 4 such stalls, /new; and a
 * cgroup whose path is unknown in B, matched by its id
 */
static void pair_write(void)
{
	struct mt_cgroup a[4], b[4];

	row(&a[0], "/", 1);
	a[0].counters[MT_CTR_FAULTS_USER] = 100;
	a[0].counters[MT_CTR_PGSTEAL] = 10;
	row(&a[1], "/a", 2);
	a[1].counters[MT_CTR_FAULTS_USER] = 50;
	a[1].hist[MEMTALLY_RECLAIM_KIND_DIRECT][3] = 1;
	row(&a[2], "/gone", 3);
	a[2].counters[MT_CTR_OOM_KILLS] = 2;
	row(&a[3], "/x", 5);
	a[3].counters[MT_CTR_PGSCAN] = 7;
	memcpy(b, a, sizeof(b));
	b[0].counters[MT_CTR_FAULTS_USER] = 300;
	b[1].counters[MT_CTR_FAULTS_USER] = 40;
	b[1].hist[MEMTALLY_RECLAIM_KIND_DIRECT][3] = 4;
	row(&b[2], "/new", 4);
	b[2].counters[MT_CTR_FAULTS_USER] = 9;
	b[2].damon_age[0] = 4096;
	b[3].path = NULL;
	b[3].counters[MT_CTR_PGSCAN] = 8;
	CHECK(mkdtemp(dir) != NULL);
	snprintf(fa, sizeof(fa), "%s/a.json", dir);
	snprintf(fb, sizeof(fb), "%s/b.json", dir);
	snap_write(fa, a, 4);
	snap_write(fb, b, 4);
}

static void test_diff_golden(void)
{
	static const char want[] =
"PATH   COUNTER                      A     B  DELTA        %\n"
"/new   damon_age_hist[0-1ms]        -  4096  +4096        -\n"
"/      faults_user                100   300   +200  +200.0%\n"
"/a     faults_user                 50    40    -10   -20.0%\n"
"/new   faults_user                  -     9     +9        -\n"
"/a     direct_stall_hist[8-15us]    1     4     +3  +300.0%\n"
"/gone  oom_kills                    2     -     -2  -100.0%\n"
"/x     pgscan                       7     8     +1   +14.3%\n"
"only in A: /gone (3)\n"
"only in B: /new (4)\n";
	char out[8192], err[4096];

	CHECK(tool(out, err, sizeof(out), ARGS("diff", fa, fb)) == 0);
	CHECK_STR(out, want);
	CHECK_STR(err, "");
	CHECK(tool(out, err, sizeof(out),
		   ARGS("diff", fa, fb, "--top", "2")) == 0);
	CHECK_STR(out,
"PATH  COUNTER                  A     B  DELTA        %\n"
"/new  damon_age_hist[0-1ms]    -  4096  +4096        -\n"
"/     faults_user            100   300   +200  +200.0%\n"
"only in A: /gone (3)\n"
"only in B: /new (4)\n");
	CHECK(tool(out, err, sizeof(out), ARGS("diff", fa, fa)) == 0);
	CHECK_STR(out, "no changes\n");
}

static void test_diff_one_side(void)
{
	char out[8192], err[4096];

	CHECK(tool(out, err, sizeof(out),
		   ARGS("diff", fa, fb, "--cgroup", "/gone")) == 0);
	CHECK_STR(out,
"PATH   COUNTER    A  B  DELTA        %\n"
"/gone  oom_kills  2  -     -2  -100.0%\n"
"only in A: /gone (3)\n");
	CHECK(tool(out, err, sizeof(out),
		   ARGS("diff", fa, fb, "-c", "/new", "-j")) == 0);
	CHECK_STR(out,
"[{\"path\":\"/new\",\"id\":4,\"counter\":\"damon_age_hist[0-1ms]\",\"a\":null,\"b\":4096,\"delta\":4096,\"pct\":null},"
"{\"path\":\"/new\",\"id\":4,\"counter\":\"faults_user\",\"a\":null,\"b\":9,\"delta\":9,\"pct\":null},"
"{\"path\":\"/new\",\"id\":4,\"only_in\":\"b\"}]\n");
	CHECK(tool(out, err, sizeof(out),
		   ARGS("diff", fa, fb, "--cgroup", "/nope")) == 1);
	CHECK_STR(err, "memtally: no cgroup /nope in either snapshot\n");
}

/* Every element: a change with its 7 keys, or a cgroup of one side */
static void test_diff_json(void)
{
	static const char *const keys[] = {
		"path", "id", "counter", "a", "b", "delta", "pct",
	};
	struct json_object *a, *e, *x;
	char out[8192], err[4096];
	size_t i, k, changes = 0, sides = 0;

	CHECK(tool(out, err, sizeof(out), ARGS("diff", "--json", fa, fb)) ==
	      0);
	a = json_tokener_parse(out);
	CHECK(json_object_is_type(a, json_type_array));
	for (i = 0; a && i < json_object_array_length(a); i++) {
		e = json_object_array_get_idx(a, i);
		if (json_object_object_get_ex(e, "only_in", &x)) {
			sides++;
			CHECK(json_object_object_length(e) == 3);
			continue;
		}
		changes++;
		CHECK(json_object_object_length(e) == ARRAY_SIZE(keys));
		for (k = 0; k < ARRAY_SIZE(keys); k++)
			CHECK(json_object_object_get_ex(e, keys[k], NULL));
	}
	CHECK_U64(changes, 7);
	CHECK_U64(sides, 2);
	e = json_object_array_get_idx(a, 2);	/* /a faults_user */
	CHECK(json_object_object_get_ex(e, "delta", &x) &&
	      json_object_get_int64(x) == -10);
	CHECK(json_object_object_get_ex(e, "pct", &x) &&
	      json_object_get_double(x) == -20.0);
	json_object_put(a);
}

static void test_diff_bad_files(void)
{
	char out[4096], err[4096], trunc[PATH_MAX];
	FILE *f;

	snprintf(trunc, sizeof(trunc), "%s/t.json", dir);
	f = fopen(trunc, "w");
	CHECK(f != NULL);
	if (f) {
		fputs("{\"format\":\"memtally-snapshot\",\"version\":1,\"mod",
		      f);
		fclose(f);
	}
	CHECK(tool(out, err, sizeof(out), ARGS("diff", fa, trunc)) == 1);
	CHECK_STR(out, "");
	if (strncmp(err, "memtally: ", 10) || !strstr(err, "t.json: truncated (the JSON ends early)\n") ||
	    strchr(err, '\n') != err + strlen(err) - 1)
		CHECK_STR(err, "memtally: .../t.json: truncated (the JSON ends early)\n");
	CHECK(tool(out, err, sizeof(out), ARGS("diff", fa)) == 2);
	CHECK(tool(out, err, sizeof(out),
		   ARGS("diff", fa, fb, "--top", "0")) == 2);
	unlink(trunc);
}

static void file_put(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (f) {
		fputs(s, f);
		fclose(f);
	}
}

/* Without the module: the files all the same, "module": null, exit 0 */
static void test_snapshot_cmd(void)
{
	char out[4096], err[4096], p[PATH_MAX], snap[PATH_MAX];
	struct mt_snap s;

	snprintf(p, sizeof(p), "%s/cg", dir);
	CHECK(!mkdir(p, 0755));
	snprintf(p, sizeof(p), "%s/cg/w", dir);
	CHECK(!mkdir(p, 0755));
	snprintf(p, sizeof(p), "%s/cg/w/memory.stat", dir);
	file_put(p, "anon 4096\nfile 0\n");
	snprintf(p, sizeof(p), "%s/ksm", dir);
	CHECK(!mkdir(p, 0755));
	snprintf(p, sizeof(p), "%s/ksm/pages_shared", dir);
	file_put(p, "12\n");
	snprintf(p, sizeof(p), "%s/cg", dir);
	setenv("MEMTALLY_CGROUP_ROOT", p, 1);
	snprintf(p, sizeof(p), "%s/ksm", dir);
	setenv("MEMTALLY_KSM_DIR", p, 1);
	snprintf(snap, sizeof(snap), "%s/s.json", dir);
	CHECK(tool(out, err, sizeof(out), ARGS("snapshot", "-o", snap)) == 0);
	unsetenv("MEMTALLY_CGROUP_ROOT");
	unsetenv("MEMTALLY_KSM_DIR");
	if (!strstr(err, "not loaded")) {
		t_skipped_case = true;	/* this host has the module */
		goto out;
	}
	CHECK_STR(out, "");
	CHECK(strchr(err, '\n') == err + strlen(err) - 1);
	CHECK(!mt_snap_load(snap, &s));
	CHECK(!s.has_module);
	snprintf(p, sizeof(p), "%s/cg/w/memory.stat", dir);
	CHECK_STR(mt_snap_file(&s, p), "anon 4096\nfile 0\n");
	snprintf(p, sizeof(p), "%s/cg/w/memory.pressure", dir);
	CHECK(mt_snap_file(&s, p) == NULL);
	snprintf(p, sizeof(p), "%s/ksm/pages_shared", dir);
	CHECK_STR(mt_snap_file(&s, p), "12\n");
	CHECK(mt_snap_file(&s, "/proc/meminfo") != NULL);
	mt_snap_free(&s);
	CHECK(tool(out, err, sizeof(out), ARGS("diff", snap, snap)) == 1);
	CHECK(strstr(err, "taken without the memtally module") != NULL);
out:
	CHECK(tool(out, err, sizeof(out), ARGS("snapshot")) == 2);
	unlink(snap);
	snprintf(p, sizeof(p), "%s/cg/w/memory.stat", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/cg/w", dir);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/cg", dir);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/ksm/pages_shared", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/ksm", dir);
	rmdir(p);
}

void test_snap(void)
{
	RUN(test_snap_roundtrip);
	RUN(test_snap_broken);
	pair_write();
	RUN(test_diff_golden);
	RUN(test_diff_one_side);
	RUN(test_diff_json);
	RUN(test_diff_bad_files);
	RUN(test_snapshot_cmd);
	unlink(fa);
	unlink(fb);
	rmdir(dir);
}
