// SPDX-License-Identifier: GPL-2.0
/* Tables and JSON of known input; sorting and filtering. */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <json.h>
#include <linux/memtally.h>

#include "cli.h"
#include "format.h"
#include "memstat.h"
#include "test.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Run @call with a memory stream f; @buf gets what it wrote: free() it. */
#define CAPTURE(buf, call) do {						\
	size_t len_;							\
	FILE *f = open_memstream(&(buf), &len_);			\
	CHECK((call) == 0);						\
	fclose(f);							\
} while (0)

static struct mt_hook hooks[] = {
	{ "faults-user", "exceptions:page_fault_user",
	  MEMTALLY_HOOK_STATE_ATTACHED, 0 },
	{ "faults-kernel", "exceptions:page_fault_kernel",
	  MEMTALLY_HOOK_STATE_FAILED, ENOENT },
	{ "oom", "oom:mark_victim", MEMTALLY_HOOK_STATE_UNAVAILABLE, 0 },
};

static const struct mt_status status = {
	.version = "0.1.0",
	.kernel_release = "6.1.0-test",
	.nr_cgroups = 5,
	.unattributed = (1ull << 63) + 5,
	.hooks = hooks,
	.nr_hooks = ARRAY_SIZE(hooks),
	.stall_threshold_us = 5000,
	.events_dropped = 17,
	.reclaim_unpaired = UINT64_MAX,
};

static void status_text(void)
{
	char *out = NULL;

	CAPTURE(out, mt_status_print(f, &status));
	CHECK_STR(out,
		"version:           0.1.0\n"
		"kernel:            6.1.0-test\n"
		"cgroups:           5\n"
		"unattributed:      9223372036854775813\n"
		"events dropped:    17\n"
		"reclaim unpaired:  18446744073709551615\n"
		"agent reclaim:     in memcg stalls (the kernel does not name the cgroup reclaimed)\n"
		"stall threshold:   5000 us\n"
		"\n"
		"HOOK           TRACEPOINT                    STATE\n"
		"faults-user    exceptions:page_fault_user    attached\n"
		"faults-kernel  exceptions:page_fault_kernel  failed (No such file or directory)\n"
		"oom            oom:mark_victim               unavailable\n");
	free(out);

	/* a 7.x kernel names the cgroup its memcg reclaim works on */
	struct mt_status named = status;

	named.reclaim_names_memcg = true;
	out = NULL;
	CAPTURE(out, mt_status_print(f, &named));
	CHECK(strstr(out, "\nagent reclaim:     apart (the kernel names the cgroup reclaimed)\n"));
	free(out);
}

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
	       json_object_get_string(v) : NULL;
}

static uint64_t juint(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
	       json_object_get_uint64(v) : UINT64_MAX - 1;
}

static void status_json(void)
{
	struct json_object *o, *a, *h;
	char *out = NULL;

	CAPTURE(out, mt_json_print(f, mt_status_json(&status)));
	CHECK(strchr(out, '\n') == out + strlen(out) - 1);	/* one line */
	o = json_tokener_parse(out);
	CHECK(o && json_object_is_type(o, json_type_object));
	CHECK_STR(jstr(o, "version"), "0.1.0");
	CHECK_STR(jstr(o, "kernel_release"), "6.1.0-test");
	CHECK_U64(juint(o, "nr_cgroups"), 5);
	CHECK_U64(juint(o, "unattributed"), (1ull << 63) + 5);
	CHECK_U64(juint(o, "stall_threshold_us"), 5000);
	CHECK_U64(juint(o, "events_dropped"), 17);
	CHECK_U64(juint(o, "reclaim_unpaired"), UINT64_MAX);
	CHECK(json_object_object_get_ex(o, "hooks", &a));
	CHECK(json_object_is_type(a, json_type_array));
	CHECK_U64(json_object_array_length(a), 3);
	h = json_object_array_get_idx(a, 0);
	CHECK_STR(jstr(h, "name"), "faults-user");
	CHECK_STR(jstr(h, "tracepoint"), "exceptions:page_fault_user");
	CHECK_STR(jstr(h, "state"), "attached");
	CHECK_U64(juint(h, "errno"), 0);
	h = json_object_array_get_idx(a, 1);
	CHECK_STR(jstr(h, "state"), "failed");
	CHECK_U64(juint(h, "errno"), ENOENT);
	h = json_object_array_get_idx(a, 2);
	CHECK_STR(jstr(h, "state"), "unavailable");
	json_object_put(o);
	free(out);
}

/* A cgroup row with its first counters (in mt_cgroup_counters[] order) */
#define CG(id_, path_, ...) \
	{ .id = (id_), .path = (path_), .counters = { __VA_ARGS__ } }

/*
 * The cgroups below give their counters in mt_cgroup_counters[] order:
 * faults-user, then faults-kernel, then direct-stalls; pgsteal and
 * oom-kills by index.
 */

/*
 * A table of more columns than any table of the tool has: each column is
 * as wide as its widest cell however many there are (the widths were a
 * fixed array of the widest table's columns).  Into a buffer of a fixed
 * size: a width out of nowhere cannot fill the disk.
 */
static void table_wide(void)
{
	enum { COLS = 300, OUT = 1 << 16 };
	static char cell[COLS][8], out[OUT], want[OUT];
	static const char *cells[2 * COLS];
	static bool right[COLS];
	char *p = want;
	FILE *f;
	int c, r;

	for (c = 0; c < COLS; c++) {
		snprintf(cell[c], sizeof(cell[c]), "%.*s", c % 6 + 1,
			 "xxxxxx");
		cells[c] = "h";
		cells[COLS + c] = cell[c];
		right[c] = true;
	}
	for (r = 0; r < 2; r++) {
		for (c = 0; c < COLS; c++)
			p += sprintf(p, "%s%*s", c ? "  " : "", c % 6 + 1,
				     cells[r * COLS + c]);
		*p++ = '\n';
	}
	memset(out, 0, sizeof(out));
	f = fmemopen(out, sizeof(out) - 1, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	setvbuf(f, NULL, _IONBF, 0);
	mt_table_print(f, right, COLS, cells, 2);
	fclose(f);
	/* not CHECK_STR: what it printed may be long */
	CHECK(!strcmp(out, want));
}

static void cgroups_text(void)
{
	const struct mt_cgroup v[] = {
		CG(1, "/", 1234567, 0),
		CG(4242, "/a/b", 5, 123456789012, 3, [MT_CTR_PGSTEAL] = 9,
			  [MT_CTR_OOM_KILLS] = 2),
		CG(77, NULL, 0, 1),
	};
	char *out = NULL;

	CAPTURE(out, mt_cgroups_print(f, v, ARRAY_SIZE(v), false));
	CHECK_STR(out,
		"PATH    ID  FAULTS_USER  FAULTS_KERNEL  DIRECT_STALLS  MEMCG_STALLS  PGSTEAL  OOM_KILLS\n"
		"/        1      1234567              0              0             0        0          0\n"
		"/a/b  4242            5   123456789012              3             0        9          2\n"
		"?       77            0              1              0             0        0          0\n");
	free(out);
	CAPTURE(out, mt_cgroups_print(f, v, 0, false));
	CHECK_STR(out, "PATH  ID  FAULTS_USER  FAULTS_KERNEL  DIRECT_STALLS  MEMCG_STALLS  PGSTEAL  OOM_KILLS\n");
	free(out);
	CAPTURE(out, mt_cgroups_print(f, v, 0, true));
	CHECK_STR(out, "PATH  ID  FAULTS_USER  FAULTS_KERNEL  DIRECT_STALLS  DIRECT_STALL_NS  DIRECT_RECLAIMED  MEMCG_STALLS  MEMCG_STALL_NS  MEMCG_RECLAIMED  SOFTLIMIT_STALLS  SOFTLIMIT_STALL_NS  SOFTLIMIT_RECLAIMED  AGENT_STALLS  AGENT_STALL_NS  AGENT_RECLAIMED  PGSCAN  PGSTEAL  PGDEACTIVATE  PGWRITEBACK  THROTTLED  THROTTLED_US  SLAB_SHRINKS  SLAB_SHRINK_NS  KSWAPD_WAKEUPS  KSWAPD_WAKES  OOM_KILLS  KSM_MERGING_PAGES  KSM_RMAP_ITEMS  KSM_ZERO_PAGES  KSM_MERGE_ATTEMPTS  KSM_MERGES  KSM_MERGE_FAILURES  KSM_ENTERS  KSM_EXITS  STALL_HIST_MISSED  MIGRATED  MIGRATE_FAILED  THP_MIGRATED  THP_MIGRATE_FAILED  THP_SPLIT  COMPACT_STALLS  COMPACT_STALL_NS  COMPACT_MIGRATED  COMPACT_SUCCESS  COMPACT_FAILED  COMPACT_DEFERRED  COMPACT_SKIPPED  MIGRATED_COMPACTION  MIGRATED_NUMA  MIGRATED_POLICY  MIGRATED_DEMOTION  MIGRATED_OTHER  THP_COLLAPSED  THP_COLLAPSE_FAILED  DAMON_WSS  DAMON_HOT  DAMON_WARM  DAMON_COLD\n");
	free(out);
}

static void cgroups_json(void)
{
	const struct mt_cgroup v[] = {
		CG(1, "/", 10, 20),
		CG(4242, "/a/b", UINT64_MAX, 3),
		CG(77, NULL, 0, 1),
	};
	struct json_object *a, *o, *path, *hist;
	struct mt_cgroup hv;
	char *out = NULL;

	CAPTURE(out, mt_json_print(f, mt_cgroups_json(v, ARRAY_SIZE(v))));
	CHECK(strstr(out, "\"/a/b\""));		/* slashes unescaped */
	a = json_tokener_parse(out);
	CHECK(a && json_object_is_type(a, json_type_array));
	CHECK_U64(json_object_array_length(a), 3);
	o = json_object_array_get_idx(a, 0);
	CHECK_STR(jstr(o, "path"), "/");
	CHECK_U64(juint(o, "id"), 1);
	CHECK_U64(juint(o, "faults_user"), 10);
	CHECK_U64(juint(o, "faults_kernel"), 20);
	o = json_object_array_get_idx(a, 1);
	CHECK_STR(jstr(o, "path"), "/a/b");
	CHECK_U64(juint(o, "id"), 4242);
	CHECK_U64(juint(o, "faults_user"), UINT64_MAX);
	o = json_object_array_get_idx(a, 2);
	CHECK(json_object_object_get_ex(o, "path", &path) && path == NULL);
	CHECK_U64(juint(o, "id"), 77);
	json_object_put(a);
	free(out);

	/* the histograms: arrays of MEMTALLY_HIST_BUCKETS numbers */
	memcpy(&hv, &v[1], sizeof(hv));
	hv.hist[MEMTALLY_RECLAIM_KIND_MEMCG][0] = 4;
	hv.hist[MEMTALLY_RECLAIM_KIND_MEMCG][19] = UINT64_MAX;
	CAPTURE(out, mt_json_print(f, mt_cgroups_json(&hv, 1)));
	a = json_tokener_parse(out);
	o = json_object_array_get_idx(a, 0);
	CHECK(json_object_object_get_ex(o, "memcg_stall_hist", &hist));
	CHECK(json_object_is_type(hist, json_type_array));
	CHECK_U64(json_object_array_length(hist), MEMTALLY_HIST_BUCKETS);
	CHECK_U64(json_object_get_uint64(json_object_array_get_idx(hist, 0)), 4);
	CHECK_U64(json_object_get_uint64(json_object_array_get_idx(hist, 1)), 0);
	CHECK_U64(json_object_get_uint64(json_object_array_get_idx(hist, 19)),
		  UINT64_MAX);
	CHECK(json_object_object_get_ex(o, "direct_stall_hist", &hist));
	CHECK_U64(json_object_array_length(hist), MEMTALLY_HIST_BUCKETS);
	CHECK(json_object_object_get_ex(o, "softlimit_stall_hist", &hist));
	CHECK_U64(json_object_array_length(hist), MEMTALLY_HIST_BUCKETS);
	json_object_put(a);
	free(out);

	CAPTURE(out, mt_json_print(f, mt_cgroups_json(v, 0)));
	CHECK_STR(out, "[]\n");
	free(out);
}

/*
 * cgroups --json writes its rows as it goes: the bytes of the json-c tree
 * (mt_cgroups_json()), for every kind of row: no path, bytes a path may
 * hold, the largest numbers, hierarchical counts, none at all.
 */
static void cgroups_json_stream(void)
{
	struct mt_cgroup v[] = {
		CG(1, "/", 10, 20),
		CG(4242, "/a \"b\"\\c\nd\xff\x01/\xc3\xa9", UINT64_MAX, 3),
		CG(77, NULL, 0, 1),
	};
	struct mt_memstat ms[2] = { 0 };
	struct mt_sums rec = { 0 };
	char *tree = NULL, *stream = NULL;
	size_t i, n;

	for (i = 0; i < MT_NR_CGROUP_COUNTERS; i++)
		rec.counters[i] = 1000 + i;
	rec.hist[MEMTALLY_RECLAIM_KIND_DIRECT][3] = 5;
	v[0].hist[MEMTALLY_RECLAIM_KIND_MEMCG][19] = UINT64_MAX;
	v[0].damon_age[2] = 7;
	v[1].rec = &rec;
	for (n = 0; n <= ARRAY_SIZE(v); n++) {
		CAPTURE(tree, mt_json_print(f, mt_cgroups_json(v, n)));
		CAPTURE(stream, mt_cgroups_json_write(f, v, n));
		CHECK_STR(stream, tree);
		free(tree);
		free(stream);
	}
	/* with memory.stat: one read (a key missing), one not */
	mt_memstat_parse(&ms[0], "pgmajfault 3\nzswpin 18446744073709551615\n");
	v[0].ms = &ms[0];
	v[1].ms = &ms[1];
	v[2].ms = &ms[1];
	CAPTURE(tree, mt_json_print(f, mt_cgroups_json(v, 3)));
	CAPTURE(stream, mt_cgroups_json_write(f, v, 3));
	CHECK_STR(stream, tree);
	CHECK(strstr(tree, ",\"memory_stat\":{\"pgmajfault\":3,\"workingset_refault_anon\":null,") &&
	      strstr(tree, "\"zswpin\":18446744073709551615,\"zswpout\":null,\"thp_fault_alloc\":null}}") &&
	      strstr(tree, ",\"memory_stat\":null}"));
	free(tree);
	free(stream);
}

/* Runs of spaces in @s become one */
static void squeeze(char *s)
{
	char *start = s, *d = s;

	for (; *s; s++)
		if (*s != ' ' || d == start || d[-1] != ' ')
			*d++ = *s;
	*d = '\0';
}

/*
 * cgroups --memstat: memory.stat's brief columns after the counters (all
 * with --all), - for a key the kernel lacks or a file not read
 */
static void cgroups_memstat(void)
{
	struct mt_cgroup v[] = {
		CG(1, "/", 10, 20),
		CG(5, "/a", 1, 2),
	};
	struct mt_memstat ms[2] = { 0 };
	char *out = NULL;

	/* 6.1's: no pswpin */
	mt_memstat_parse(&ms[0], "pgfault 99\npgmajfault 7\nworkingset_refault_anon 5\n"
			 "workingset_refault_file 6\nworkingset_activate_anon 1\n"
			 "workingset_activate_file 2\nworkingset_restore_anon 3\n"
			 "workingset_restore_file 4\nzswpin 8\nzswpout 9\n"
			 "thp_fault_alloc 10\n");
	CHECK(ms[0].ok && !(ms[0].has & (1u << MT_MS_PSWPIN)));
	v[0].ms = &ms[0];
	v[1].ms = &ms[1];
	CAPTURE(out, mt_cgroups_print(f, v, 2, false));
	CHECK_STR(out,
		"PATH  ID  FAULTS_USER  FAULTS_KERNEL  DIRECT_STALLS  MEMCG_STALLS  PGSTEAL  OOM_KILLS  PGMAJFAULT  REFAULT_ANON  REFAULT_FILE  PSWPIN  ZSWPIN  THP_FAULT_ALLOC\n"
		"/      1           10             20              0             0        0          0           7             5             6       -       8               10\n"
		"/a     5            1              2              0             0        0          0           -             -             -       -       -                -\n");
	free(out);
	CAPTURE(out, mt_cgroups_print(f, v, 1, true));
	CHECK(strstr(out, "DAMON_COLD  PGMAJFAULT  REFAULT_ANON  REFAULT_FILE  ACTIVATE_ANON  ACTIVATE_FILE  RESTORE_ANON  RESTORE_FILE  PSWPIN  PSWPOUT  ZSWPIN  ZSWPOUT  THP_FAULT_ALLOC\n"));
	squeeze(out);
	/* the row ends with memory.stat's keys, whatever the counters before */
	CHECK(strstr(out, " 0 7 5 6 1 2 3 4 - - 8 9 10\n"));
	free(out);
}

static const struct mt_cgroup sample[] = {
	CG(10, "/b", 5, 1),
	CG(3, "/a/x", 5, 9),
	CG(7, "/a", 100, 0),
	CG(1, "/", 0, 0),
	CG(20, NULL, 50, 0),
	CG(8, "/a-b", 0, 9),
};

static void check_ids(const struct mt_cgroup *v, size_t n,
		      const uint64_t *ids, size_t nids)
{
	size_t i;

	CHECK_U64(n, nids);
	for (i = 0; i < n && i < nids; i++)
		CHECK_U64(v[i].id, ids[i]);
}

static void sort_keys(void)
{
	static const struct {
		const char *key;
		uint64_t ids[ARRAY_SIZE(sample)];
	} cases[] = {
		{ "path",          { 1, 7, 3, 8, 10, 20 } },
		{ "id",            { 1, 3, 7, 8, 10, 20 } },
		{ "faults-user",   { 7, 20, 3, 10, 1, 8 } },
		{ "faults-kernel", { 3, 8, 10, 1, 7, 20 } },
	};
	struct mt_cgroup v[ARRAY_SIZE(sample)];
	unsigned int key;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memcpy(v, sample, sizeof(v));
		CHECK(mt_name_arg("test", "sort key", cases[i].key,
				  mt_sort_name, &key) == 0);
		mt_cgroups_sort(v, ARRAY_SIZE(v), key);
		check_ids(v, ARRAY_SIZE(v), cases[i].ids, ARRAY_SIZE(v));
	}
	quiet(true);
	CHECK(mt_name_arg("test", "sort key", "faults", mt_sort_name,
			  &key) == MT_EXIT_USAGE);
	CHECK(mt_name_arg("test", "sort key", "", mt_sort_name,
			  &key) == MT_EXIT_USAGE);
	quiet(false);
	/* a key past the last counter: by path, never past counters[] */
	for (key = MT_SORT_COUNTER + MT_NR_CGROUP_COUNTERS;
	     key < MT_SORT_COUNTER + MT_NR_CGROUP_COUNTERS + 3; key++) {
		memcpy(v, sample, sizeof(v));
		mt_cgroups_sort(v, ARRAY_SIZE(v), key);
		check_ids(v, ARRAY_SIZE(v), cases[0].ids, ARRAY_SIZE(v));
	}
}

static void filter_prefix(void)
{
	static const struct {
		const char *prefix;
		uint64_t ids[ARRAY_SIZE(sample)];
		size_t n;
	} cases[] = {
		{ "/a",   { 3, 7 }, 2 },
		{ "/a/",  { 3, 7 }, 2 },
		{ "/a/x", { 3 }, 1 },
		{ "/",    { 10, 3, 7, 1, 8 }, 5 },
		{ "/zz",  { 0 }, 0 },
	};
	struct mt_cgroup v[ARRAY_SIZE(sample)];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memcpy(v, sample, sizeof(v));
		check_ids(v, mt_cgroups_filter(v, ARRAY_SIZE(v),
					       cases[i].prefix),
			  cases[i].ids, cases[i].n);
	}
}

static void config_text_json(void)
{
	struct mt_status st = { .stall_threshold_us = 0 };
	char *out = NULL;

	CAPTURE(out, (mt_config_print(f, &st), 0));
	CHECK_STR(out, "stall-threshold-us: off\n");
	free(out);
	CAPTURE(out, mt_json_print(f, mt_config_json(&st)));
	CHECK_STR(out, "{\"stall_threshold_us\":0}\n");
	free(out);
	st.stall_threshold_us = 60000000;
	CAPTURE(out, (mt_config_print(f, &st), 0));
	CHECK_STR(out, "stall-threshold-us: 60000000\n");
	free(out);
	CAPTURE(out, mt_json_print(f, mt_config_json(&st)));
	CHECK_STR(out, "{\"stall_threshold_us\":60000000}\n");
	free(out);
}

static void durations(void)
{
	static const struct {
		uint64_t ns;
		const char *text;
	} cases[] = {
		{ 0, "0ns" },
		{ 850, "850ns" },
		{ 1500, "1.5us" },
		{ 12345678, "12.3ms" },
		{ 2500000000ull, "2.5s" },
	};
	char buf[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		mt_duration(buf, sizeof(buf), cases[i].ns);
		CHECK_STR(buf, cases[i].text);
	}
}

/* Run @fn with the time zone @tz, then with the one before */
static void in_tz(const char *tz, void (*fn)(void))
{
	const char *old = getenv("TZ");
	char *saved = old ? strdup(old) : NULL;

	setenv("TZ", tz, 1);
	tzset();
	fn();
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
}

static void iso_times_utc(void)
{
	char buf[48];

	mt_iso_time(buf, sizeof(buf), 1700000000123456789ull);
	CHECK_STR(buf, "2023-11-14T22:13:20.123+00:00");
	mt_iso_time(buf, sizeof(buf), 999999);
	CHECK_STR(buf, "1970-01-01T00:00:00.000+00:00");
}

static void iso_times_india(void)
{
	char buf[48];

	mt_iso_time(buf, sizeof(buf), 1700000000999000000ull);
	CHECK_STR(buf, "2023-11-15T03:43:20.999+05:30");
}

static void iso_times(void)
{
	in_tz("UTC0", iso_times_utc);
	in_tz("IST-5:30", iso_times_india);
}

/* 2, 0, 10 and 5 stalls from 2 to 31 us */
static const uint64_t hist1[MEMTALLY_HIST_BUCKETS] = { 0, 2, 0, 10, 5 };

#define HIST1_TEXT \
	"     usecs               : count     distribution\n"		\
	"         2 -> 3          : 2        |********                                |\n" \
	"         4 -> 7          : 0        |                                        |\n" \
	"         8 -> 15         : 10       |****************************************|\n" \
	"        16 -> 31         : 5        |********************                    |\n"

#define STARTS(s, prefix) (!strncmp((s), (prefix), strlen(prefix)))

static void hist_text(void)
{
	uint64_t b[MEMTALLY_HIST_BUCKETS] = { 0 };
	char *out = NULL;

	CAPTURE(out, (mt_hist_print(f, hist1), 0));
	CHECK_STR(out, HIST1_TEXT);
	free(out);

	/* the first bucket, and the last one, which is open-ended */
	b[0] = 1;
	b[MEMTALLY_HIST_BUCKETS - 2] = 1ull << 40;
	b[MEMTALLY_HIST_BUCKETS - 1] = 3;
	CAPTURE(out, (mt_hist_print(f, b), 0));
	CHECK(STARTS(out, "     usecs               : count     distribution\n"
		     "         0 -> 1          : 1        |                                        |\n"
		     "         2 -> 3          : 0        |"));
	CHECK(strstr(out, "\n    262144 -> 524287     : 1099511627776 |****************************************|\n"
		     "    524288 -> inf        : 3        |                                        |\n"));
	free(out);

	/* nothing at all for an empty histogram */
	memset(b, 0, sizeof(b));
	CAPTURE(out, (mt_hist_print(f, b), 0));
	CHECK_STR(out, "");
	free(out);
}

/* Every bucket's count is shown: the counts of the lines add up. */
static void hist_sums(void)
{
	uint64_t b[MEMTALLY_HIST_BUCKETS], sum = 0, shown = 0, lo, n;
	char *out = NULL, *line, *save = NULL, high[16];
	size_t i, lines = 0;

	for (i = 0; i < MEMTALLY_HIST_BUCKETS; i++) {
		b[i] = (i * 7919) % 13;
		sum += b[i];
	}
	CAPTURE(out, (mt_hist_print(f, b), 0));
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%" SCNu64 " -> %15s : %" SCNu64, &lo, high,
			   &n) != 3)
			continue;
		shown += n;
		lines++;
	}
	CHECK_U64(shown, sum);
	CHECK_U64(lines, MEMTALLY_HIST_BUCKETS - 1);	/* bucket 0 is empty */
	free(out);
}

static struct mt_cgroup stall_rows[2] = {
	{ .id = 5, .path = "/a",
	  .counters = { [MT_CTR_DIRECT_STALLS] = 17,
			[MT_CTR_DIRECT_STALL_NS] = 4500000,
			[MT_CTR_DIRECT_RECLAIMED] = 64,
			[MT_CTR_SOFTLIMIT_STALLS] = 0 } },
	{ .id = 9, .path = NULL,
	  .counters = { [MT_CTR_MEMCG_STALLS] = 1,
			[MT_CTR_MEMCG_STALL_NS] = 1500,
			[MT_CTR_MEMCG_RECLAIMED] = 3 },
	  .hist[MEMTALLY_RECLAIM_KIND_MEMCG] = { 1 } },
};

static void stalls_text(void)
{
	char *out = NULL;

	memcpy(stall_rows[0].hist[MEMTALLY_RECLAIM_KIND_DIRECT], hist1,
	       sizeof(hist1));
	CAPTURE(out, (mt_stalls_print(f, stall_rows, 2, -1), 0));
	CHECK_STR(out,
		  "/a (5) direct: 17 stalls, total 4.5ms, average 264.7us, reclaimed 64 pages\n"
		  HIST1_TEXT
		  "\n"
		  "? (9) memcg: 1 stalls, total 1.5us, average 1.5us, reclaimed 3 pages\n"
		  "     usecs               : count     distribution\n"
		  "         0 -> 1          : 1        |****************************************|\n");
	free(out);

	/* one kind */
	CAPTURE(out, (mt_stalls_print(f, stall_rows, 2,
				      MEMTALLY_RECLAIM_KIND_MEMCG), 0));
	CHECK(STARTS(out, "? (9) memcg: 1 stalls"));
	free(out);
	CAPTURE(out, (mt_stalls_print(f, stall_rows, 2,
				      MEMTALLY_RECLAIM_KIND_SOFTLIMIT), 0));
	CHECK_STR(out, "");
	free(out);
}

static void stalls_json(void)
{
	struct json_object *a, *o, *b, *path;
	char *out = NULL;
	size_t i;

	memcpy(stall_rows[0].hist[MEMTALLY_RECLAIM_KIND_DIRECT], hist1,
	       sizeof(hist1));
	CAPTURE(out, mt_json_print(f, mt_stalls_json(stall_rows, 2, -1)));
	a = json_tokener_parse(out);
	CHECK(a && json_object_is_type(a, json_type_array));
	CHECK_U64(json_object_array_length(a), 2);
	o = json_object_array_get_idx(a, 0);
	CHECK_U64(json_object_object_length(o), 8);
	CHECK_STR(jstr(o, "path"), "/a");
	CHECK_U64(juint(o, "id"), 5);
	CHECK_STR(jstr(o, "kind"), "direct");
	CHECK_U64(juint(o, "stalls"), 17);
	CHECK_U64(juint(o, "stall_ns"), 4500000);
	CHECK_U64(juint(o, "reclaimed"), 64);
	CHECK(json_object_object_get_ex(o, "buckets", &b));
	CHECK_U64(json_object_array_length(b), MEMTALLY_HIST_BUCKETS);
	for (i = 0; i < MEMTALLY_HIST_BUCKETS; i++)
		CHECK_U64(json_object_get_uint64(json_object_array_get_idx(b, i)),
			  hist1[i]);
	o = json_object_array_get_idx(a, 1);
	CHECK(json_object_object_get_ex(o, "path", &path) && path == NULL);
	CHECK_STR(jstr(o, "kind"), "memcg");
	json_object_put(a);
	free(out);

	CAPTURE(out, mt_json_print(f, mt_stalls_json(stall_rows, 2,
					MEMTALLY_RECLAIM_KIND_SOFTLIMIT)));
	CHECK_STR(out, "[]\n");
	free(out);
}

/* A compaction stall: the pages its runs migrated, so said and keyed */
static void stalls_compact(void)
{
	struct mt_cgroup cg = {
		.id = 4, .path = "/c",
		.counters = { [MT_CTR_COMPACT_STALLS] = 2,
			      [MT_CTR_COMPACT_STALL_NS] = 3000000,
			      [MT_CTR_COMPACT_MIGRATED] = 700,
			      [MT_CTR_COMPACT_SUCCESS] = 1,
			      [MT_CTR_COMPACT_FAILED] = 2,
			      [MT_CTR_COMPACT_DEFERRED] = 3,
			      [MT_CTR_COMPACT_SKIPPED] = 4 },
		.hist[MEMTALLY_RECLAIM_KIND_COMPACT] = { [10] = 2 },
	};
	char *out = NULL;

	CAPTURE(out, (mt_stalls_print(f, &cg, 1, -1), 0));
	CHECK(STARTS(out, "/c (4) compact: 2 stalls, total 3.0ms, average 1.5ms, migrated 700 pages\n"));
	CHECK(strstr(out, "\ndirect compaction runs: 1 made the page asked for, 2 did not; zones passed over: 3 deferred, 4 short of free pages\n"));
	free(out);
	CAPTURE(out, mt_json_print(f, mt_stalls_json(&cg, 1,
					MEMTALLY_RECLAIM_KIND_COMPACT)));
	CHECK(STARTS(out, "[{\"path\":\"/c\",\"id\":4,\"kind\":\"compact\",\"stalls\":2,\"stall_ns\":3000000,\"migrated\":700,\"buckets\":["));
	CHECK(strstr(out, "\"unbucketed\":0,\"success\":1,\"failed\":2,\"deferred\":3,\"skipped\":4}]"));
	free(out);
}

/*
 * Stalls the module counted in no bucket (stall-hist-missed): said per
 * kind, as the stalls the buckets lack; without the counter a shortfall is
 * a read between a stall's count and its bucket, and nothing is said.
 */
static void stalls_unbucketed(void)
{
	struct mt_cgroup rows[2] = {
		{ .id = 7, .path = "/m",
		  .counters = { [MT_CTR_MEMCG_STALLS] = 5,
				[MT_CTR_MEMCG_STALL_NS] = 5000,
				[MT_CTR_DIRECT_STALLS] = 1,
				[MT_CTR_DIRECT_STALL_NS] = 1000,
				[MT_CTR_STALL_HIST_MISSED] = 3 },
		  .hist[MEMTALLY_RECLAIM_KIND_MEMCG] = { 0, 2 },
		  .hist[MEMTALLY_RECLAIM_KIND_DIRECT] = { 0, 1 } },
		{ .id = 8, .path = "/r",
		  .counters = { [MT_CTR_MEMCG_STALLS] = 2,
				[MT_CTR_MEMCG_STALL_NS] = 2000 },
		  .hist[MEMTALLY_RECLAIM_KIND_MEMCG] = { 0, 1 } },
	};
	struct json_object *a;
	char *out = NULL;

	CAPTURE(out, (mt_stalls_print(f, rows, 2, -1), 0));
	CHECK_STR(out,
		  "/m (7) direct: 1 stalls, total 1.0us, average 1.0us, reclaimed 0 pages\n"
		  "     usecs               : count     distribution\n"
		  "         2 -> 3          : 1        |****************************************|\n"
		  "\n"
		  "/m (7) memcg: 5 stalls, total 5.0us, average 1.0us, reclaimed 0 pages\n"
		  "     usecs               : count     distribution\n"
		  "         2 -> 3          : 2        |****************************************|\n"
		  "3 of the stalls are in no bucket: the module had no histogram ready for the cgroup's first stall\n"
		  "\n"
		  "/r (8) memcg: 2 stalls, total 2.0us, average 1.0us, reclaimed 0 pages\n"
		  "     usecs               : count     distribution\n"
		  "         2 -> 3          : 1        |****************************************|\n");
	free(out);
	CAPTURE(out, mt_json_print(f, mt_stalls_json(rows, 2, -1)));
	a = json_tokener_parse(out);
	CHECK(a && json_object_array_length(a) == 3);
	CHECK_U64(juint(json_object_array_get_idx(a, 0), "unbucketed"), 0);
	CHECK_U64(juint(json_object_array_get_idx(a, 1), "unbucketed"), 3);
	CHECK_U64(juint(json_object_array_get_idx(a, 2), "unbucketed"), 0);
	json_object_put(a);
	free(out);
}

static const struct mt_event oom = {
	.cmd = MEMTALLY_CMD_OOM_KILL_NTF,
	.timestamp_ns = 1700000000123456789ull,
	.pid = 4321,
	.comm = "stress",
	.cgroup_id = 4242,
	.path = "/demo/db",
	.has_uid = true,
	.uid = 1000,
	.anon_rss = 1ull << 30,
	.file_rss = 8192,
	.shmem_rss = 1023,
};

static const struct mt_event stall = {
	.cmd = MEMTALLY_CMD_RECLAIM_STALL_NTF,
	.timestamp_ns = 1700000000000000000ull,
	.pid = 77,
	.comm = "postgres",
	.cgroup_id = 99,
	.path = "/demo/db",
	.reclaim_kind = MEMTALLY_RECLAIM_KIND_MEMCG,
	.stall_ns = 12345678,
	.reclaimed = 32,
};

static void event_lines(void)
{
	struct mt_event ev = oom;
	char *out = NULL;

	CAPTURE(out, (mt_event_print(f, &ev), 0));
	CHECK_STR(out, "2023-11-14T22:13:20.123+00:00 oom-kill pid=4321 comm=stress cgroup=/demo/db (4242) uid=1000 anon-rss=1073741824 file-rss=8192 shmem-rss=1023\n");
	free(out);
	ev.has_uid = false;
	ev.path = NULL;
	CAPTURE(out, (mt_event_print(f, &ev), 0));
	CHECK_STR(out, "2023-11-14T22:13:20.123+00:00 oom-kill pid=4321 comm=stress cgroup=? (4242) anon-rss=1073741824 file-rss=8192 shmem-rss=1023\n");
	free(out);

	ev = stall;
	CAPTURE(out, (mt_event_print(f, &ev), 0));
	CHECK_STR(out, "2023-11-14T22:13:20.000+00:00 reclaim-stall kind=memcg pid=77 comm=postgres cgroup=/demo/db stall=12.3ms reclaimed=32\n");
	free(out);
	ev.reclaim_kind = 7;
	CAPTURE(out, (mt_event_print(f, &ev), 0));
	CHECK(strstr(out, " kind=unknown "));
	free(out);
}

static void event_text(void)
{
	in_tz("UTC0", event_lines);
}

static void event_json(void)
{
	struct mt_event ev = oom;
	struct json_object *o;
	char *out = NULL;

	CAPTURE(out, mt_json_print(f, mt_event_json(&ev)));
	CHECK_STR(out, "{\"event\":\"oom-kill\",\"timestamp_ns\":1700000000123456789,\"pid\":4321,\"comm\":\"stress\",\"cgroup_id\":4242,\"path\":\"/demo/db\",\"uid\":1000,\"anon_rss\":1073741824,\"file_rss\":8192,\"shmem_rss\":1023}\n");
	free(out);

	ev.has_uid = false;
	ev.path = NULL;
	CAPTURE(out, mt_json_print(f, mt_event_json(&ev)));
	o = json_tokener_parse(out);
	CHECK(o && !json_object_object_get_ex(o, "uid", NULL));
	CHECK(json_object_object_get_ex(o, "path", NULL) && !jstr(o, "path"));
	json_object_put(o);
	free(out);

	ev = stall;
	CAPTURE(out, mt_json_print(f, mt_event_json(&ev)));
	CHECK_STR(out, "{\"event\":\"reclaim-stall\",\"timestamp_ns\":1700000000000000000,\"pid\":77,\"comm\":\"postgres\",\"cgroup_id\":99,\"path\":\"/demo/db\",\"reclaim_kind\":\"memcg\",\"stall_ns\":12345678,\"reclaimed\":32}\n");
	free(out);
}

/*
 * Names are bytes (a cgroup directory, a comm): the JSON is UTF-8 all the
 * same, each byte of an invalid sequence U+FFFD, the valid parts kept.
 */
static void json_utf8(void)
{
	struct mt_cgroup cg[] = {
		{ .id = 1, .path = "/ok\xff\xfe/x" },
		{ .id = 2, .path = "/cut\xe2\x82" },	/* a 3-byte one, cut */
		{ .id = 3, .path = "/caf\xc3\xa9" },	/* valid: kept as is */
	};
	struct mt_event ev = oom;
	char *out = NULL;

	CAPTURE(out, mt_json_print(f, mt_cgroups_json(cg, ARRAY_SIZE(cg))));
	CHECK(t_utf8_ok(out, strlen(out)));
	CHECK(strstr(out, "\"path\":\"/ok" FFFD FFFD "/x\""));
	CHECK(strstr(out, "\"path\":\"/cut" FFFD FFFD "\""));
	CHECK(strstr(out, "\"path\":\"/caf\xc3\xa9\""));
	free(out);

	ev.comm = "a\xc0\xaf" "b";			/* overlong '/' */
	ev.path = "/\xed\xa0\x80";		/* a surrogate */
	CAPTURE(out, mt_json_print(f, mt_event_json(&ev)));
	CHECK(t_utf8_ok(out, strlen(out)));
	CHECK(strstr(out, "\"comm\":\"a" FFFD FFFD "b\""));
	CHECK(strstr(out, "\"path\":\"/" FFFD FFFD FFFD "\""));
	free(out);
}

/*
 * Hierarchical counts: / (1) > /a (10) > /a/b (20, a removed descendant
 * with 1 OOM kill), /a/c (30); /a/gone (25) is a tombstone, whose counts
 * are in /a's removed-descendants already; /z (40) beside /a.  Computed by
 * hand (faults-user = id; /a lost 2 faults and 3 OOM kills to removed
 * descendants): / = 1 + (10 + 2 + 20 + 30) + 40; /a = 10 + 2 + 20 + 30.
 */
static void recursive_sums(void)
{
	struct mt_cgroup v[6] = {
		{ .id = 30, .parent_id = 10 },
		{ .id = 1 },
		{ .id = 25, .parent_id = 10, .removed_ns = 5 },
		{ .id = 20, .parent_id = 10, .has_gone = true },
		{ .id = 10, .parent_id = 1, .has_gone = true },
		{ .id = 40, .parent_id = 1 },
	};
	struct mt_sums *rec;
	size_t i;

	for (i = 0; i < 6; i++) {
		v[i].counters[MT_CTR_FAULTS_USER] = v[i].id;
		v[i].hist[0][3] = 1;
	}
	v[3].gone.counters[MT_CTR_OOM_KILLS] = 1;
	v[4].gone.counters[MT_CTR_FAULTS_USER] = 2;
	v[4].gone.counters[MT_CTR_OOM_KILLS] = 3;
	rec = mt_cgroups_recursive(v, 6);
	CHECK(rec);
	CHECK(v[1].rec && v[1].rec->counters[MT_CTR_FAULTS_USER] == 1 + 62 + 40);
	CHECK(v[1].rec->counters[MT_CTR_OOM_KILLS] == 4);
	CHECK(v[1].rec->hist[0][3] == 5);	/* 1, 10, 20, 30, 40 */
	CHECK(v[4].rec && v[4].rec->counters[MT_CTR_FAULTS_USER] == 62);
	CHECK(v[4].rec->counters[MT_CTR_OOM_KILLS] == 4);
	CHECK(v[3].rec && v[3].rec->counters[MT_CTR_FAULTS_USER] == 20);
	CHECK(v[3].rec->counters[MT_CTR_OOM_KILLS] == 1);
	CHECK(v[0].rec && v[0].rec->counters[MT_CTR_FAULTS_USER] == 30);
	CHECK(v[5].rec && v[5].rec->counters[MT_CTR_FAULTS_USER] == 40);
	CHECK(!v[2].rec);	/* a tombstone */
	/* sorted by the counts shown: / 103, /a 62, /z 40, /a/c 30, ... */
	mt_cgroups_sort(v, 6, MT_SORT_COUNTER + MT_CTR_FAULTS_USER);
	CHECK(v[0].id == 1 && v[1].id == 10 && v[2].id == 40 && v[3].id == 30);
	free(rec);
}

void test_format(void)
{
	RUN(status_text);
	RUN(status_json);
	RUN(config_text_json);
	RUN(cgroups_text);
	RUN(table_wide);
	RUN(cgroups_json);
	RUN(cgroups_json_stream);
	RUN(cgroups_memstat);
	RUN(sort_keys);
	RUN(filter_prefix);
	RUN(recursive_sums);
	RUN(durations);
	RUN(iso_times);
	RUN(hist_text);
	RUN(hist_sums);
	RUN(stalls_text);
	RUN(stalls_json);
	RUN(stalls_compact);
	RUN(stalls_unbucketed);
	RUN(event_text);
	RUN(event_json);
	RUN(json_utf8);
}
