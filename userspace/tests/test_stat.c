// SPDX-License-Identifier: GPL-2.0
/*
 * memtally stat: the summaries of made-up runs against numbers worked out
 * by hand below, the percentile buckets of a histogram, the table and the
 * JSON of two runs, and the option parser.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <json.h>

#include "cmds.h"
#include "stat.h"
#include "statcmp.h"
#include "test.h"

#define NEAR(got, want) CHECK(fabs((got) - (want)) < 1e-9)
/* not const: getopt_long() may permute */
#define SARGS(...) ((char *[]){ __VA_ARGS__, NULL })

/* Runs with these values of one metric, each @wall seconds long */
static void runs_of(struct mt_stat *s, const double *v, size_t n, double wall)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct mt_stat_run *r = mt_stat_run_add(s);

		CHECK(r != NULL);
		if (!r)
			return;
		CHECK(!mt_stat_put(s, r, MT_SRC_RUN, "wall_s", MT_UNIT_SECONDS,
				   wall));
		if (!isnan(v[i]))
			CHECK(!mt_stat_put(s, r, MT_SRC_MODULE, "faults",
					   MT_UNIT_COUNT, v[i]));
	}
}

/*
 * 2 4 4 4 5 5 7 9: mean 40 / 8 = 5; squared deviations 9 1 1 1 0 0 4 16 =
 * 32, sample variance 32 / 7, sd 2.1380899352993950; rsd 42.761798705987900
 * %; 40 faults in 8 * 0.5 s: 10 a second
 */
static void stat_summary(void)
{
	static const double v[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	struct mt_stat s = { 0 };
	struct mt_stat_sum sum;
	ssize_t m;

	runs_of(&s, v, 8, 0.5);
	m = mt_stat_find(&s, MT_SRC_MODULE, "faults");
	CHECK(m == 1);
	CHECK(mt_stat_find(&s, MT_SRC_MEMSTAT, "faults") == -1);
	CHECK(!mt_stat_summarize(&s, m, &sum));
	CHECK_U64(sum.n, 8);
	NEAR(sum.mean, 5);
	NEAR(sum.sd, sqrt(32.0 / 7));
	NEAR(sum.rsd_pct, 100 * sqrt(32.0 / 7) / 5);
	NEAR(sum.min, 2);
	NEAR(sum.max, 9);
	NEAR(sum.per_s, 10);
	/* the wall time itself has no rate */
	CHECK(!mt_stat_summarize(&s, 0, &sum));
	NEAR(sum.mean, 0.5);
	NEAR(sum.sd, 0);
	NEAR(sum.rsd_pct, 0);
	CHECK(isnan(sum.per_s));
	mt_stat_free(&s);
}

/* A metric some runs lack counts over the others: runs 1 and 3 of 3 */
static void stat_missing(void)
{
	const double v[] = { 10, NAN, 30 };
	struct mt_stat s = { 0 };
	struct mt_stat_sum sum;

	runs_of(&s, v, 3, 2);
	CHECK(!mt_stat_summarize(&s, 1, &sum));
	CHECK_U64(sum.n, 2);
	NEAR(sum.mean, 20);
	NEAR(sum.sd, sqrt(200.0));
	NEAR(sum.per_s, 40.0 / 4);	/* over the wall time of those two */
	mt_stat_free(&s);

	/* one run: no deviation; a mean of 0: no relative one */
	runs_of(&s, (const double[]){ 7 }, 1, 1);
	CHECK(!mt_stat_summarize(&s, 1, &sum));
	NEAR(sum.mean, 7);
	CHECK(isnan(sum.sd) && isnan(sum.rsd_pct));
	mt_stat_free(&s);
	runs_of(&s, (const double[]){ 0, 0 }, 2, 1);
	CHECK(!mt_stat_summarize(&s, 1, &sum));
	NEAR(sum.sd, 0);
	CHECK(isnan(sum.rsd_pct));
	mt_stat_free(&s);
}

/* A size has no rate, nor a level */
static void stat_bytes(void)
{
	struct mt_stat s = { 0 };
	struct mt_stat_run *r = mt_stat_run_add(&s);
	struct mt_stat_sum sum;

	CHECK(!mt_stat_put(&s, r, MT_SRC_RUN, "wall_s", MT_UNIT_SECONDS, 2));
	CHECK(!mt_stat_put(&s, r, MT_SRC_RUN, "peak", MT_UNIT_BYTES, 4096));
	CHECK(!mt_stat_put(&s, r, MT_SRC_MODULE, "ksm_merging_pages_max",
			   MT_UNIT_LEVEL, 2048));
	CHECK(!mt_stat_summarize(&s, 1, &sum));
	NEAR(sum.mean, 4096);
	CHECK(isnan(sum.per_s));
	/* nor does a gauge's highest */
	CHECK(!mt_stat_summarize(&s, 2, &sum));
	NEAR(sum.mean, 2048);
	CHECK(isnan(sum.per_s));
	CHECK(mt_stat_put(&s, r, MT_SRC_RUN,
			  "a name longer than sixty-three bytes, which no metric has ......",
			  MT_UNIT_COUNT, 1) == -ENAMETOOLONG);
	mt_stat_free(&s);
}

/*
 * Counts 5 in bucket 1 ([2, 4) us), 4 in bucket 3, 1 in bucket 10: of 10,
 * rank 5 (p50) is in bucket 1, rank 9 (p90) in bucket 3, rank ceil(9.9) =
 * 10 (p99) and the maximum in bucket 10
 */
static void stat_pct(void)
{
	uint64_t b[MEMTALLY_HIST_BUCKETS] = { 0 };

	CHECK(mt_hist_pct_bucket(b, 50) == -1);
	b[1] = 5;
	b[3] = 4;
	b[10] = 1;
	CHECK(mt_hist_pct_bucket(b, 50) == 1);
	CHECK(mt_hist_pct_bucket(b, 60) == 3);
	CHECK(mt_hist_pct_bucket(b, 90) == 3);
	CHECK(mt_hist_pct_bucket(b, 99) == 10);
	CHECK(mt_hist_pct_bucket(b, 100) == 10);
	memset(b, 0, sizeof(b));
	b[MEMTALLY_HIST_BUCKETS - 1] = 1;
	CHECK(mt_hist_pct_bucket(b, 50) == MEMTALLY_HIST_BUCKETS - 1);
}

/* Two runs: faults 100 and 200, memcg stalls in buckets 1 and 3 */
static void two_runs(struct mt_stat *s)
{
	static char *argv[] = { "./work", "64", NULL };
	static char *set[] = { "memory.max=64M" };
	struct mt_stat_run *r;
	int i;

	s->argv = argv;
	s->set = set;
	s->nset = 1;
	s->cgroup = "/memtally-stat/run-42-N";
	s->planned = 2;
	snprintf(s->sys.kernel, sizeof(s->sys.kernel), "6.12.57+deb13-amd64");
	s->sys.mglru = 1;
	for (i = 0; i < 2; i++) {
		r = mt_stat_run_add(s);
		CHECK(!mt_stat_put(s, r, MT_SRC_RUN, "wall_s", MT_UNIT_SECONDS,
				   1));
		CHECK(!mt_stat_put(s, r, MT_SRC_MODULE, "faults", MT_UNIT_COUNT,
				   100 * (i + 1)));
		CHECK(!mt_stat_put(s, r, MT_SRC_MEMSTAT, "pgmajfault",
				   MT_UNIT_COUNT, 0));
		r->hist[MEMTALLY_RECLAIM_KIND_MEMCG][1 + 2 * i] = 2;
	}
	s->runs[1].sig = 9;
	s->runs[1].code = -1;
}

/* Spaces collapsed, for lines whose columns' widths do not matter */
static void squeeze(char *t)
{
	char *w = t, *start = t;

	for (; *t; t++)
		if (*t != ' ' || (w > start && w[-1] != ' '))
			*w++ = *t;
	*w = '\0';
}

/*
 * faults: mean 150, sd sqrt(5000) = 70.71, rsd 47.14 %, 300 in 2 s: 150.00
 * a second; pgmajfault 0 in both: left out but with --all; memcg stalls:
 * 2 a run, 4 in all, ranks 2 (p50) in bucket 1 (< 4 us), 4 (p90, p99,
 * max) in bucket 3 (< 16 us)
 */
static void stat_text(void)
{
	struct mt_stat s = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	two_runs(&s);
	f = open_memstream(&buf, &len);
	mt_stat_print(f, &s, false, true);
	fclose(f);
	squeeze(buf);
	CHECK(strstr(buf, "memtally stat: 2 runs of './work 64'\n") != NULL);
	CHECK(strstr(buf, "kernel 6.12.57+deb13-amd64, in cgroups /memtally-stat/run-42-N with memory.max=64M\n") != NULL);
	CHECK(strstr(buf, "the command failed in 0 and was killed by a signal in 1 of the runs\n") != NULL);
	CHECK(strstr(buf, "SOURCE METRIC MEAN +-RSD PER SEC RUN 1 RUN 2\n") != NULL);
	CHECK(strstr(buf, "run wall_s 1.000 0.00% - 1.000 1.000\n") != NULL);
	CHECK(strstr(buf, "memtally faults 150 47.14% 150.00 100 200\n") != NULL);
	CHECK(strstr(buf, "pgmajfault") == NULL);
	CHECK(strstr(buf, "memcg reclaim 2.0 <4.0us <16.0us <16.0us <16.0us\n") != NULL);
	if (t_failed_case)
		fprintf(stderr, "%s", buf);
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	mt_stat_print(f, &s, true, false);
	fclose(f);
	squeeze(buf);
	CHECK(strstr(buf, "memory.stat pgmajfault 0 - 0.00\n") != NULL);
	CHECK(strstr(buf, "RUN 1") == NULL);
	free(buf);
	mt_stat_free(&s);
}

static void stat_json(void)
{
	struct mt_stat s = { 0 };
	struct json_object *j, *m, *x, *st;
	const char *text;

	two_runs(&s);
	j = mt_stat_json(&s);
	CHECK(j != NULL);
	text = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	CHECK(strstr(text, "\"command\":[\"./work\",\"64\"]") != NULL);
	CHECK(strstr(text, "\"runs\":[{\"exit_code\":0,\"signal\":null},{\"exit_code\":null,\"signal\":9}]") != NULL);
	CHECK(strstr(text, "\"system\":{\"kernel\":\"6.12.57+deb13-amd64\"") != NULL);
	CHECK(strstr(text, "\"mglru\":true") != NULL);
	m = json_object_array_get_idx(json_object_object_get(j, "metrics"), 1);
	CHECK_STR(json_object_get_string(json_object_object_get(m, "source")),
		  "memtally");
	CHECK_STR(json_object_get_string(json_object_object_get(m, "name")),
		  "faults");
	NEAR(json_object_get_double(json_object_object_get(m, "mean")), 150);
	NEAR(json_object_get_double(json_object_object_get(m, "stddev")),
	     sqrt(5000));
	NEAR(json_object_get_double(json_object_object_get(m, "per_s")), 150);
	x = json_object_object_get(m, "values");
	CHECK(json_object_array_length(x) == 2);
	NEAR(json_object_get_double(json_object_array_get_idx(x, 1)), 200);
	st = json_object_array_get_idx(json_object_object_get(j, "stalls"), 0);
	CHECK_STR(json_object_get_string(json_object_object_get(st, "kind")),
		  "memcg");
	CHECK_U64(json_object_get_uint64(json_object_object_get(st, "count")), 4);
	CHECK_U64(json_object_get_uint64(json_object_object_get(st, "p50_below_us")), 4);
	CHECK_U64(json_object_get_uint64(json_object_object_get(st, "max_below_us")), 16);
	json_object_put(j);
	mt_stat_free(&s);
}

static int parse(struct stat_opts *o, char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	memset(o, 0, sizeof(*o));
	return stat_parse(argc, argv, o);
}

static void stat_options(void)
{
	struct stat_opts o;
	char err[512];
	FILE *old = stderr;

	CHECK(!parse(&o, SARGS("stat", "-r", "5", "-w", "1", "--set",
			      "memory.max=1M", "--drop-caches", "--", "./x",
			      "-r", "3")));
	CHECK_U64(o.repeat, 5);
	CHECK_U64(o.warmup, 1);
	CHECK_U64(o.nset, 1);
	CHECK(o.drop_caches && !o.compact);
	CHECK_STR(o.argv[0], "./x");
	CHECK_STR(o.argv[1], "-r");
	/* the command's options are its own, without -- too */
	CHECK(!parse(&o, SARGS("stat", "-j", "./x", "-j")));
	CHECK(o.json && o.repeat == 1);
	CHECK_STR(o.argv[1], "-j");
	/* bad input: one line each, usage exit code */
	stderr = fmemopen(err, sizeof(err), "w");
	CHECK(parse(&o, SARGS("stat")) == 2);
	CHECK(parse(&o, SARGS("stat", "-r", "0", "true")) == 2);
	CHECK(parse(&o, SARGS("stat", "--set", "memory.max", "true")) == 2);
	CHECK(parse(&o, SARGS("stat", "--set", "../x=1", "true")) == 2);
	CHECK(parse(&o, SARGS("stat", "-p", "rel", "true")) == 2);
	fclose(stderr);
	stderr = old;
	CHECK(strstr(err, "memtally: stat: no COMMAND to run; see memtally --help\n") != NULL);
	CHECK(strstr(err, "memtally: stat: --repeat takes a number from 1 to 100000, not '0'") != NULL);
	CHECK(strstr(err, "--set takes FILE=VALUE") != NULL);
}

/*
 * {0, 2} against {3, 5}: means 1 and 4, variances 2 and 2, standard error
 * sqrt(2/2 + 2/2) = sqrt(2), t = 3 / sqrt(2); Welch's df = (1 + 1)^2 /
 * (1/1 + 1/1) = 2, where Student's t has a closed form: P(|T| > t) = 1 -
 * t / sqrt(2 + t^2) = 1 - sqrt(4.5 / 6.5) = 1 - 3 / sqrt(13).
 * {1..5} against {2, 4, .., 10}: variances 2.5 and 10, se^2 = 0.5 + 2 =
 * 2.5, t = 3 / sqrt(2.5), df = 2.5^2 / (0.5^2 / 4 + 2^2 / 4) = 6.25 /
 * 1.0625.
 */
static void cmp_welch(void)
{
	const double a[] = { 0, 2 }, b[] = { 3, 5 };
	const double c[] = { 1, 2, 3, 4, 5 }, d[] = { 2, 4, 6, 8, 10 };
	struct mt_welch w;

	mt_welch(a, 2, b, 2, &w);
	NEAR(w.t, 3 / sqrt(2));
	NEAR(w.df, 2);
	NEAR(w.p, 1 - 3 / sqrt(13));
	mt_welch(b, 2, a, 2, &w);
	NEAR(w.t, -3 / sqrt(2));
	NEAR(w.p, 1 - 3 / sqrt(13));
	mt_welch(c, 5, d, 5, &w);
	NEAR(w.t, 3 / sqrt(2.5));
	NEAR(w.df, 6.25 / 1.0625);
	CHECK(w.p > 0.05 && w.p < 0.2);
	/* no test with one run; no variance: equal or not */
	mt_welch(a, 1, b, 2, &w);
	CHECK(isnan(w.p) && isnan(w.t));
	mt_welch((const double[]){ 7, 7 }, 2, (const double[]){ 7, 7, 7 }, 3, &w);
	NEAR(w.p, 1);
	mt_welch((const double[]){ 7, 7 }, 2, (const double[]){ 8, 8 }, 2, &w);
	NEAR(w.p, 0);
}

/*
 * 1000 pairs of 5 runs from one normal distribution: about 5 % of them
 * significant at p < 0.05 (the test's own false positives); 1000 pairs 5
 * standard deviations apart: all of them
 */
static void cmp_trials(void)
{
	gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
	double a[5], b[5];
	int i, k, same = 0, apart = 0;
	struct mt_welch w;

	gsl_rng_set(g, 1);
	for (i = 0; i < 1000; i++) {
		for (k = 0; k < 5; k++) {
			a[k] = 1000 + gsl_ran_gaussian(g, 20);
			b[k] = 1000 + gsl_ran_gaussian(g, 20);
		}
		mt_welch(a, 5, b, 5, &w);
		same += w.p < MT_CMP_ALPHA;
		for (k = 0; k < 5; k++)
			b[k] += 100;
		mt_welch(a, 5, b, 5, &w);
		apart += w.p < MT_CMP_ALPHA;
	}
	gsl_rng_free(g);
	CHECK(same >= 20 && same <= 80);
	CHECK(apart >= 995);
	if (t_failed_case)
		fprintf(stderr, "same: %d of 1000, apart: %d\n", same, apart);
}

/* A file of stat -o: faults from @base, +-2; pgmajfault 5 in every run */
static void file_of(char *path, double base, long cpus, uint64_t mem)
{
	static const double dev[] = { 0, 2, -2, 1, -1 };
	struct mt_stat s = { 0 };
	struct json_object *j;
	int i, fd = mkstemp(path);

	two_runs(&s);	/* the command, settings and host */
	mt_stat_free(&s);
	s.sys.cpus = cpus;
	s.sys.mem_total = mem;
	for (i = 0; i < 5; i++) {
		struct mt_stat_run *r = mt_stat_run_add(&s);

		mt_stat_put(&s, r, MT_SRC_RUN, "wall_s", MT_UNIT_SECONDS, 1);
		mt_stat_put(&s, r, MT_SRC_MODULE, "faults_user", MT_UNIT_COUNT,
			    base + dev[i]);
		mt_stat_put(&s, r, MT_SRC_MEMSTAT, "pgmajfault", MT_UNIT_COUNT,
			    5);
	}
	j = mt_stat_json(&s);
	CHECK(fd >= 0 && j && !json_object_to_fd(fd, j, JSON_C_TO_STRING_PLAIN));
	close(fd);
	json_object_put(j);
	mt_stat_free(&s);
}

static void bad_file(char *path, const char *text)
{
	FILE *f;

	strcpy(path + strlen(path) - 6, "XXXXXX");
	f = fdopen(mkstemp(path), "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/*
 * faults_user 100 +- 2 against 110 +- 2 (the same deviations): +10 %,
 * t = 10 / sqrt(2 * 2.5 / 5) = 10, df 8: significant; pgmajfault 5 in
 * both: +0 %, p 1 (ties: by source, then name); B has 4 CPUs: a warning
 */
static void cmp_files(void)
{
	char a[] = "/tmp/mt-cmp-a.XXXXXX", b[] = "/tmp/mt-cmp-b.XXXXXX";
	char c[] = "/tmp/mt-cmp-c.XXXXXX";
	char out[8192], err[1024];
	int rc;

	/* MemTotal 1 % apart: each kernel keeps some; not a difference */
	file_of(a, 100, 2, 1000000000);
	file_of(b, 110, 4, 1010000000);
	rc = tool(out, err, sizeof(out), SARGS("stat", "--compare", a, b));
	CHECK(rc == 0);
	squeeze(out);
	CHECK(strstr(out, "warning: B differs from A in more than the kernel: cpus 2 / 4\n") != NULL);
	CHECK(strstr(out, "SOURCE METRIC A B B-A % p\n"
			  "memtally faults_user 100 110 +10.00% *0.000\n"
			  "memory.stat pgmajfault 5 5 +0.00% 1.000\n"
			  "run wall_s 1 1 +0.00% 1.000\n") != NULL);
	if (t_failed_case)
		fprintf(stderr, "%s%s", out, err);
	rc = tool(out, err, sizeof(out), SARGS("stat", "--compare", "--json", a, b));
	CHECK(rc == 0);
	CHECK(strstr(out, "{\"source\":\"memtally\",\"name\":\"faults_user\",\"means\":[100,110],\"vs_a\":[{\"change_pct\":10,\"t\":10,\"df\":8,\"p\":") != NULL);
	CHECK(strstr(out, "\"significant\":true}]}") != NULL);
	CHECK(strstr(out, "\"warnings\":[{\"file\":\"B\",\"differs\":\"cpus 2 / 4\"}]") != NULL);
	/* not a file of stat -o; one file only */
	rc = tool(out, err, sizeof(out), SARGS("stat", "--compare", a, "/etc/hostname"));
	CHECK(rc == 1 && strstr(err, "memtally: /etc/hostname: ") == err);
	/* a file stat did not write: one line, no crash; NaN is no value */
	bad_file(c, "{\"command\":[\"x\"],\"system\":{},\"runs\":[{}],\"metrics\":[{\"source\":\"run\",\"name\":\"w\",\"values\":7}]}");
	rc = tool(out, err, sizeof(out), SARGS("stat", "--compare", a, c));
	CHECK(rc == 1 && strstr(err, "not a file of memtally stat -o") && !strchr(strchr(err, '\n') + 1, '\n'));
	unlink(c);
	bad_file(c, "{\"command\":[\"x\"],\"system\":{},\"metrics\":[]}");
	rc = tool(out, err, sizeof(out), SARGS("stat", "--compare", c, a));
	CHECK(rc == 1 && strstr(err, "not a file of memtally stat -o"));
	unlink(c);
	bad_file(c, "{\"command\":[\"x\"],\"system\":{},\"runs\":[{},{},{}],\"metrics\":[{\"source\":\"memtally\",\"name\":\"faults_user\",\"values\":[\"nan\",NaN,\"x\",101,99]}]}");
	rc = tool(out, err, sizeof(out), SARGS("stat", "--compare", a, c));
	CHECK(rc == 0);
	squeeze(out);
	CHECK(strstr(out, "memtally faults_user 100 100 +0.00% 1.000\n") != NULL);
	unlink(c);
	/* twice the memory is */
	strcpy(c + strlen(c) - 6, "XXXXXX");
	file_of(c, 100, 2, 2000000000);
	rc = tool(out, err, sizeof(out), SARGS("stat", "--compare", a, c));
	CHECK(rc == 0 && strstr(out, "warning: B differs from A in more than the kernel: mem_total 1000000000 / 2000000000\n"));
	unlink(c);
	rc = tool(out, err, sizeof(out), SARGS("stat", "--compare", a));
	CHECK(rc == 2 && !strcmp(err, "memtally: stat: --compare takes two files or more; see memtally --help\n"));
	rc = tool(out, err, sizeof(out), SARGS("stat", "--compare", "-r", "3", a, b));
	CHECK(rc == 2);
	unlink(a);
	unlink(b);
}

void test_stat(void)
{
	RUN(stat_summary);
	RUN(stat_missing);
	RUN(stat_bytes);
	RUN(stat_pct);
	RUN(stat_text);
	RUN(stat_json);
	RUN(stat_options);
	RUN(cmp_welch);
	RUN(cmp_trials);
	RUN(cmp_files);
}
