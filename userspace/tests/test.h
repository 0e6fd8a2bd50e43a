/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memtally host unit tests: a case is a function of CHECKs; it passes if
 * all of them hold.  A failed CHECK prints where and what.
 */
#ifndef MT_TEST_H
#define MT_TEST_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

extern bool t_failed_case;	/* a CHECK of the running case failed */
extern bool t_skipped_case;	/* the running case cannot run here */
extern const char *t_tool;	/* path of the memtally binary */

void t_run(const char *name, void (*fn)(void));
#define RUN(fn) t_run(#fn, fn)

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		t_failed_case = true;					\
		fprintf(stderr, "%s:%d: CHECK(%s) failed\n",		\
			__FILE__, __LINE__, #cond);			\
	}								\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if (!g_ || !w_ || strcmp(g_, w_)) {				\
		t_failed_case = true;					\
		fprintf(stderr, "%s:%d: %s is \"%s\", not \"%s\"\n",	\
			__FILE__, __LINE__, #got, g_ ? g_ : "(null)",	\
			w_ ? w_ : "(null)");				\
	}								\
} while (0)

#define CHECK_U64(got, want) do {					\
	uint64_t g_ = (got), w_ = (want);				\
	if (g_ != w_) {							\
		t_failed_case = true;					\
		fprintf(stderr, "%s:%d: %s is %" PRIu64 ", not %"	\
			PRIu64 "\n", __FILE__, __LINE__, #got, g_, w_);	\
	}								\
} while (0)

/* Run the tool with @args; its stdout and stderr end up in @out and @err. */
int tool(char *out, char *err, size_t len, char *const args[]);
#define ARGS(...) ((char *const[]){ __VA_ARGS__, NULL })

/* Whether xmllint (Debian: libxml2-utils) parses the XML file @path */
int t_xml_ok(const char *path);

/* U+FFFD REPLACEMENT CHARACTER in UTF-8 */
#define FFFD	"\xef\xbf\xbd"

/* Whether the @len bytes at @s are valid UTF-8, as iconv(3) decodes it */
bool t_utf8_ok(const char *s, size_t len);

/* Silence stderr (the error lines of what is tested) and back. */
static inline void quiet(bool on)
{
	static int saved = -1;

	fflush(stderr);
	if (on) {
		int null = open("/dev/null", O_WRONLY);

		saved = dup(2);
		dup2(null, 2);
		close(null);
	} else {
		dup2(saved, 2);
		close(saved);
	}
}

void test_decode(void);
void test_format(void);
void test_cgpath(void);
void test_nl(void);
void test_cli(void);
void test_counters(void);
void test_rate(void);
void test_ksm(void);
void test_damon(void);
void test_heatmap(void);
void test_damonctl(void);
void test_prom(void);
void test_snap(void);
void test_top(void);
void test_report(void);
void test_vmstat(void);
void test_lrugen(void);
void test_sarb(void);
void test_stat(void);
void test_golden(void);
void test_smem(void);

#endif
