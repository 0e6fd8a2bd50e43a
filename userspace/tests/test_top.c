// SPDX-License-Identifier: GPL-2.0
/* memtally top: rows of known dumps, their order, PSI files, output. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <json.h>

#include "cli.h"
#include "cmds.h"
#include "ksm.h"
#include "toprows.h"
#include "test.h"

#define NROWS(v) (sizeof(v) / sizeof((v)[0]))
#define CHECK_NEAR(got, want) CHECK(fabs((got) - (want)) < 1e-9)

#define ROW(id_, path_, fu, fk, ds, dns, ms, mns, oom, ksm, wss)	\
	{ .id = (id_), .path = (path_), .counters = {			\
		[MT_CTR_FAULTS_USER] = (fu), [MT_CTR_FAULTS_KERNEL] = (fk), \
		[MT_CTR_DIRECT_STALLS] = (ds),				\
		[MT_CTR_DIRECT_STALL_NS] = (dns),			\
		[MT_CTR_MEMCG_STALLS] = (ms),				\
		[MT_CTR_MEMCG_STALL_NS] = (mns),			\
		[MT_CTR_OOM_KILLS] = (oom),				\
		[MT_CTR_KSM_MERGING_PAGES] = (ksm),			\
		[MT_CTR_DAMON_WSS] = (wss) } }

/* Sorted by id, as mt_top_rows() wants the earlier dump */
static const struct mt_cgroup prev[] = {
	ROW(1, NULL, 100, 10, 0, 0, 0, 0, 0, 0, 0),
	ROW(2, NULL, 1000, 0, 2, 4000000, 1, 1000000, 1, 0, 0),
	ROW(3, NULL, 50, 0, 0, 0, 0, 0, 3, 0, 0),
};

static struct mt_cgroup cur[] = {
	ROW(2, "/db", 1200, 0, 6, 8000000, 3, 5000000, 3, 10, 8192),
	ROW(1, "/", 300, 10, 0, 0, 0, 0, 0, 0, 4096),
	ROW(4, "/db/child", 20, 0, 0, 0, 0, 0, 0, 256, 1 << 20),
	ROW(3, "/web", 50, 0, 0, 0, 0, 0, 3, 1, 0),
	ROW(5, NULL, 99999, 0, 0, 0, 0, 0, 0, 0, 0),	/* removed */
};

/*
 * KSM saves 801000 bytes; the cgroups' merged pages are 10 + 0 + 256 + 1
 * + 0 = 267: a page's share is 3000 bytes, as memtally ksm shares them
 */
static const struct mt_ksm_savings ksm = {
	.saved = 267 * 3000, .merged = 267 * 3000, .page_size = 4096,
};

static void rows(struct mt_top_row *r, bool wss)
{
	/* /db compacted 3 ms (since the earlier dump, which has none) */
	cur[0].counters[MT_CTR_COMPACT_STALL_NS] = 3000000;
	mt_top_rows(r, prev, NROWS(prev), cur, NROWS(cur), 2, &ksm, wss);
}

static void top_rates(void)
{
	char cells[MT_NR_TOP_COLS][MT_TOP_CELL];
	struct mt_top_row r[NROWS(cur)];
	struct json_object *o;

	rows(r, true);
	CHECK_U64(r[0].id, 2);
	CHECK(r[0].rates);
	CHECK_NEAR(r[0].faults, 100);
	CHECK_NEAR(r[0].stalls, 3);		/* (4 + 2) / 2 */
	CHECK_NEAR(r[0].stall_ms, 4);		/* (4 + 4) ms / 2 */
	CHECK_NEAR(r[0].compact_ms, 1.5);	/* 3 ms / 2 */
	CHECK_U64(r[0].oom, 3);
	CHECK_U64(r[0].oom_new, 2);
	CHECK(r[0].has_ksm);
	CHECK_U64(r[0].ksm_saved, 10 * 3000);	/* its share, not 10 pages */
	CHECK_U64(r[1].ksm_saved, 0);
	CHECK_U64(r[2].ksm_saved, 256 * 3000);
	CHECK_U64(r[3].ksm_saved, 3000);
	CHECK(r[0].has_wss);
	CHECK_U64(r[0].wss, 8192);
	CHECK_NEAR(r[1].faults, 100);		/* user 200 in 2 s */
	CHECK_NEAR(r[2].faults, 10);		/* new: since created */
	CHECK_U64(r[3].oom_new, 0);
	CHECK(!r[3].psi.has_some);

	rows(r, false);				/* no DAMON binding */
	CHECK(!r[0].has_wss);
	CHECK_U64(r[0].wss, 0);

	/* the first dump: no rates; a kernel without KSM */
	mt_top_rows(r, NULL, 0, cur, NROWS(cur), 0, NULL, false);
	CHECK(!r[0].rates);
	CHECK_U64(r[0].oom_new, 0);
	CHECK_U64(r[0].oom, 3);
	CHECK(!r[0].has_ksm);
	CHECK_U64(r[0].ksm_saved, 0);
	mt_top_cells(cells, &r[0]);
	CHECK_STR(cells[MT_TOP_COL_KSM], "-");
	o = mt_top_json("T", 0, MT_TOP_KSM, r, 1);
	CHECK(o && strstr(json_object_to_json_string(o),
			  "\"ksm_saved_bytes\": null"));
	json_object_put(o);
	/* nothing merged: nothing saved, and no division by 0 */
	mt_top_rows(r, NULL, 0, prev, NROWS(prev), 0, &ksm, false);
	CHECK(r[0].has_ksm);
	CHECK_U64(r[0].ksm_saved, 0);
}

/* The paths of @r, "a b c" */
static const char *order(const struct mt_top_row *r, size_t n)
{
	static char buf[256];
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
				i ? " " : "", r[i].path);
	return buf;
}

static size_t sorted(struct mt_top_row *r, const char *prefix,
		     unsigned int key)
{
	rows(r, true);
	r[1].psi = (struct mt_psi){ .has_some = true, .has_full = true,
				     .some = 5.5, .full = 1 };
	r[2].psi = (struct mt_psi){ .has_some = true, .some = 7 };
	r[3].psi = (struct mt_psi){ .has_some = true, .has_full = true,
				     .some = 0.5, .full = 2 };
	return mt_top_select(r, NROWS(cur), prefix, key);
}

static void top_sort(void)
{
	struct mt_top_row r[NROWS(cur)];
	size_t n;

	n = sorted(r, NULL, MT_TOP_FAULTS);	/* ties by path */
	CHECK_U64(n, 4);			/* not the removed cgroup */
	CHECK_STR(order(r, n), "/ /db /db/child /web");
	n = sorted(r, NULL, MT_TOP_STALLS);
	CHECK_STR(order(r, n), "/db / /db/child /web");
	n = sorted(r, NULL, MT_TOP_OOM);
	CHECK_STR(order(r, n), "/db /web / /db/child");
	n = sorted(r, NULL, MT_TOP_KSM);
	CHECK_STR(order(r, n), "/db/child /db /web /");
	n = sorted(r, NULL, MT_TOP_WSS);
	CHECK_STR(order(r, n), "/db/child /db / /web");
	n = sorted(r, NULL, MT_TOP_PSI_SOME);	/* none: last */
	CHECK_STR(order(r, n), "/db/child / /web /db");
	n = sorted(r, NULL, MT_TOP_PSI_FULL);
	CHECK_STR(order(r, n), "/web / /db /db/child");
}

static void top_filter(void)
{
	struct mt_top_row r[NROWS(cur)];
	size_t n;

	n = sorted(r, "/db", MT_TOP_FAULTS);
	CHECK_STR(order(r, n), "/db /db/child");
	n = sorted(r, "/db/", MT_TOP_KSM);
	CHECK_STR(order(r, n), "/db/child /db");
	n = sorted(r, "/d", MT_TOP_FAULTS);	/* path components */
	CHECK_U64(n, 0);
	n = sorted(r, "", MT_TOP_FAULTS);	/* the view's "every cgroup" */
	CHECK_U64(n, 4);
	n = sorted(r, "/", MT_TOP_FAULTS);
	CHECK_U64(n, 4);
}

static void top_keys(void)
{
	unsigned int k, key;

	for (k = 0; mt_top_key_name(k); k++) {
		CHECK(mt_name_arg("top", "sort key", mt_top_key_name(k),
				  mt_top_key_name, &key) == 0);
		CHECK_U64(key, k);
	}
	CHECK_U64(k, MT_NR_TOP_KEYS);
	quiet(true);
	CHECK(mt_name_arg("top", "sort key", "psi", mt_top_key_name,
			  &key) == MT_EXIT_USAGE);
	CHECK(mt_name_arg("top", "sort key", "", mt_top_key_name,
			  &key) == MT_EXIT_USAGE);
	quiet(false);
}

static void top_psi(void)
{
	char dir[] = "/tmp/mt-psi.XXXXXX", file[PATH_MAX];
	struct mt_psi p;
	FILE *f;

	CHECK(mt_psi_parse("some avg10=1.23 avg60=0.50 avg300=0.10 total=123\n"
			   "full avg10=0.45 avg60=0.20 avg300=0.05 total=45\n",
			   &p) == 0);
	CHECK(p.has_some && p.has_full);
	CHECK_NEAR(p.some, 1.23);
	CHECK_NEAR(p.full, 0.45);
	CHECK_NEAR(p.some60, 0.5);
	CHECK_NEAR(p.full60, 0.2);
	CHECK_NEAR(p.full300, 0.05);
	CHECK_U64(p.some_total, 123);
	CHECK_U64(p.full_total, 45);
	/* an older kernel's root: no full line */
	CHECK(mt_psi_parse("some avg10=12.00 avg60=0 avg300=0 total=0\n",
			   &p) == 0);
	CHECK(p.has_some && !p.has_full);
	CHECK_NEAR(p.some, 12);
	CHECK(mt_psi_parse("", &p) == -EINVAL);
	CHECK(!p.has_some && !p.has_full);
	CHECK(mt_psi_parse("some avg10=x avg60=0\n", &p) == -EINVAL);
	CHECK(mt_psi_parse("some avg1=1.0\n", &p) == -EINVAL);
	CHECK(mt_psi_parse("somex avg10=1.0\n", &p) == -EINVAL);

	/* from a file below a cgroup root; a missing file */
	CHECK(mkdtemp(dir) != NULL);
	snprintf(file, sizeof(file), "%s/a", dir);
	CHECK(mkdir(file, 0700) == 0);
	snprintf(file, sizeof(file), "%s/a/memory.pressure", dir);
	f = fopen(file, "w");
	CHECK(f != NULL);
	if (f) {
		fputs("some avg10=3.00 avg60=0 avg300=0 total=0\n"
		      "full avg10=2.50 avg60=0 avg300=0 total=0\n", f);
		fclose(f);
	}
	CHECK(mt_psi_read(dir, "/a", &p) == 0);
	CHECK_NEAR(p.some, 3);
	CHECK_NEAR(p.full, 2.5);
	CHECK(mt_psi_read(dir, "/", &p) == -ENOENT);
	CHECK(!p.has_some && !p.has_full);
	CHECK(mt_psi_read(dir, "/b", &p) == -ENOENT);
	unlink(file);
	snprintf(file, sizeof(file), "%s/a", dir);
	rmdir(file);
	rmdir(dir);
}

static const char golden[] =
"time 2026-11-22T06:00:00.000+01:00  interval 2.00s  sort oom  cgroups 4\n"
"PATH       FAULTS/s  STALLS/s  STALL-ms/s  COMPACT-ms/s  OOM  KSM-SAVED     WSS  PSI-SOME  PSI-FULL\n"
"/db           100.0       3.0         4.0           1.5  3+2    30.0 kB  8.2 kB         -         -\n"
"/web            0.0       0.0         0.0           0.0    3     3.0 kB     0 B      0.50      2.00\n"
"/             100.0       0.0         0.0           0.0    0        0 B  4.1 kB      5.50      1.00\n"
"/db/child      10.0       0.0         0.0           0.0    0   768.0 kB  1.0 MB      7.00         -\n";

static void top_batch_text(void)
{
	struct mt_top_row r[NROWS(cur)];
	char *buf = NULL;
	size_t len = 0, n;
	FILE *f = open_memstream(&buf, &len);

	n = sorted(r, NULL, MT_TOP_OOM);
	CHECK(mt_top_print(f, "2026-11-22T06:00:00.000+01:00", 2, MT_TOP_OOM,
			   r, n) == 0);
	fclose(f);
	CHECK_STR(buf, golden);
	free(buf);
}

/* A sort key past the last (no such key): "?", never past key_names[] */
static void top_key_bound(void)
{
	struct mt_top_row r[NROWS(cur)];
	struct json_object *o;
	char *buf = NULL;
	size_t len = 0, n;
	FILE *f = open_memstream(&buf, &len);

	n = sorted(r, NULL, MT_TOP_OOM);
	CHECK(mt_top_print(f, "T", 2, MT_NR_TOP_KEYS, r, n) == 0);
	fclose(f);
	CHECK(buf && !strncmp(buf, "time T  interval 2.00s  sort ?  ", 32));
	free(buf);
	o = mt_top_json("T", 2, MT_NR_TOP_KEYS + 1000, r, n);
	CHECK(o && strstr(json_object_to_json_string_ext(o,
		JSON_C_TO_STRING_PLAIN), ",\"sort\":\"?\","));
	json_object_put(o);
}

static void top_batch_json(void)
{
	struct mt_top_row r[NROWS(cur)];
	struct json_object *o;
	const char *s;
	size_t n;

	n = sorted(r, "/db", MT_TOP_FAULTS);
	o = mt_top_json("T", 2, MT_TOP_FAULTS, r, n);
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
					   JSON_C_TO_STRING_NOSLASHESCAPE);
	CHECK_STR(s, "{\"time\":\"T\",\"interval_s\":2.00,\"sort\":\"faults\","
		  "\"cgroups\":[{\"path\":\"/db\",\"id\":2,"
		  "\"faults_per_s\":100.00,\"stalls_per_s\":3.00,"
		  "\"stall_ms_per_s\":4.00,\"compact_ms_per_s\":1.50,"
		  "\"oom_kills\":3,\"oom_kills_new\":2,"
		  "\"ksm_saved_bytes\":30000,\"wss_bytes\":8192,"
		  "\"psi_some_avg10\":null,\"psi_full_avg10\":null},"
		  "{\"path\":\"/db/child\",\"id\":4,\"faults_per_s\":10.00,"
		  "\"stalls_per_s\":0.00,\"stall_ms_per_s\":0.00,"
		  "\"compact_ms_per_s\":0.00,\"oom_kills\":0,\"oom_kills_new\":0,"
		  "\"ksm_saved_bytes\":768000,\"wss_bytes\":1048576,"
		  "\"psi_some_avg10\":7.00,\"psi_full_avg10\":null}]}");
	json_object_put(o);
}

static int quiet_top(char **argv, struct top_opts *o)
{
	int argc = 0, ret;

	while (argv[argc])
		argc++;
	memset(o, 0, sizeof(*o));
	quiet(true);
	ret = top_parse(argc, argv, o);
	quiet(false);
	return ret;
}

#define PARSE(o, ...) quiet_top((char *[]){ "top", __VA_ARGS__, NULL }, (o))

/* Type @keys into @in, a key at a time; the result of the last */
static int type(struct mt_top_input *in, const char *keys)
{
	int res = MT_TOP_INPUT_MORE;

	while (*keys)
		res = mt_top_input_key(in, (unsigned char)*keys++);
	return res;
}

/*
 * top's / prompt takes a key at a time from the view's loop, which goes
 * on refreshing and reading signals meanwhile (it blocked in getnstr()):
 * a line that is not ended leaves the prefix alone; q is a letter there.
 */
static void top_prompt(void)
{
	struct mt_top_input in = { 0 };

	mt_top_input_start(&in);
	CHECK(in.active);
	CHECK(type(&in, "/db/q") == MT_TOP_INPUT_MORE);
	CHECK(in.active);
	CHECK_STR(in.buf, "/db/q");
	CHECK(type(&in, "\b\b") == MT_TOP_INPUT_MORE);	/* erase */
	CHECK_STR(in.buf, "/db");
	CHECK(mt_top_input_key(&in, 127) == MT_TOP_INPUT_MORE);	/* DEL */
	CHECK_STR(in.buf, "/d");
	CHECK(type(&in, "b\n") == MT_TOP_INPUT_DONE);
	CHECK(!in.active);
	CHECK_STR(in.buf, "/db");
	/* Escape: the old prefix stays */
	mt_top_input_start(&in);
	CHECK_STR(in.buf, "");
	CHECK(type(&in, "/x\x1b") == MT_TOP_INPUT_CANCEL);
	CHECK(!in.active);
	/* a UTF-8 name is erased a character at a time; ^U erases all */
	mt_top_input_start(&in);
	CHECK(type(&in, "/caf\xc3\xa9\b") == MT_TOP_INPUT_MORE);
	CHECK_STR(in.buf, "/caf");
	CHECK(type(&in, "\x15") == MT_TOP_INPUT_MORE);
	CHECK_STR(in.buf, "");
	CHECK(mt_top_input_key(&in, '\b') == MT_TOP_INPUT_MORE);
	/* other control keys and the terminal's codes past a byte: none */
	CHECK(mt_top_input_key(&in, '\t') == MT_TOP_INPUT_MORE);
	CHECK(mt_top_input_key(&in, 0x1000) == MT_TOP_INPUT_MORE);
	CHECK_STR(in.buf, "");
	CHECK(mt_top_input_key(&in, '\r') == MT_TOP_INPUT_DONE);
	CHECK_STR(in.buf, "");
}

/* The line holds what fits, and ends */
static void top_prompt_full(void)
{
	struct mt_top_input in = { 0 };
	size_t i;

	mt_top_input_start(&in);
	for (i = 0; i < sizeof(in.buf) + 10; i++)
		CHECK(mt_top_input_key(&in, 'a') == MT_TOP_INPUT_MORE);
	CHECK_U64(strlen(in.buf), sizeof(in.buf) - 1);
	CHECK(mt_top_input_key(&in, '\n') == MT_TOP_INPUT_DONE);
}

static void parse_top(void)
{
	struct top_opts o;

	CHECK(PARSE(&o, "-b", "-d", "1", "-n", "2") == 0);
	CHECK(o.batch && o.interval == 1 && o.count == 2 && !o.json);
	CHECK(PARSE(&o, "--batch", "--json", "--delay", "0.5", "-s",
		    "psi-full", "-p", "/db") == 0);
	CHECK(o.batch && o.json && o.interval == 0.5);
	CHECK_U64(o.key, MT_TOP_PSI_FULL);
	CHECK_STR(o.prefix, "/db");
	CHECK(PARSE(&o, "-s", "wss") == 0 && o.key == MT_TOP_WSS);
	CHECK(PARSE(&o, "-h") == 0 && o.help);

	CHECK(PARSE(&o, "-s", "bogus") == MT_EXIT_USAGE);
	CHECK(PARSE(&o, "-d", "0") == MT_EXIT_USAGE);
	CHECK(PARSE(&o, "-d", "0.05") == MT_EXIT_USAGE);
	CHECK(PARSE(&o, "-d", "1e3") == MT_EXIT_USAGE);
	CHECK(PARSE(&o, "-d", "-1") == MT_EXIT_USAGE);
	CHECK(PARSE(&o, "-d", ".") == MT_EXIT_USAGE);
	CHECK(PARSE(&o, "-d", "86401") == MT_EXIT_USAGE);
	CHECK(PARSE(&o, "-n", "0") == MT_EXIT_USAGE);
	CHECK(PARSE(&o, "-n", "x") == MT_EXIT_USAGE);
	CHECK(PARSE(&o, "-p", "db") == MT_EXIT_USAGE);
	CHECK(PARSE(&o, "--json") == MT_EXIT_USAGE);	/* needs -b */
	CHECK(PARSE(&o, "now") == MT_EXIT_USAGE);
	CHECK(PARSE(&o, "--bogus") == MT_EXIT_USAGE);
	CHECK(PARSE(&o, "-d") == MT_EXIT_USAGE);
}

/* The binary: help, and a bad option is exit 2 with one line */
static void tool_top(void)
{
	char out[8192], err[8192];

	CHECK(tool(out, err, sizeof(out), ARGS("top", "--help")) == 0);
	CHECK(strstr(out, "Usage: memtally top") != NULL);
	CHECK_STR(err, "");
	CHECK(tool(out, err, sizeof(out), ARGS("top", "-b", "-s", "x")) == 2);
	CHECK_STR(out, "");
	CHECK_STR(err, "memtally: top: unknown sort key 'x' (faults, stalls, oom, ksm, wss, psi-some, psi-full); see memtally --help\n");
	CHECK(tool(out, err, sizeof(out), ARGS("top", "-d", "0")) == 2);
	CHECK(strchr(err, '\n') == err + strlen(err) - 1);
	CHECK(tool(out, err, sizeof(out), ARGS("--help")) == 0);
	CHECK(strstr(out, "  top ") != NULL);
}

void test_top(void)
{
	RUN(top_rates);
	RUN(top_sort);
	RUN(top_filter);
	RUN(top_keys);
	RUN(top_psi);
	RUN(top_batch_text);
	RUN(top_batch_json);
	RUN(top_key_bound);
	RUN(top_prompt);
	RUN(top_prompt_full);
	RUN(parse_top);
	RUN(tool_top);
}
