// SPDX-License-Identifier: GPL-2.0
/*
 * The lru_gen parser on text in the kernel's own layout (the formats of
 * lru_gen_seq_show(): "memcg %5hu %s", " node %5d", " %10lu %10u" and
 * " %10lu%c" per type), and the sums by age worked out by hand.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define STARTS(s, prefix) (!strncmp((s), (prefix), strlen(prefix)))

#include "lrugen.h"
#include "test.h"

/*
 * The root memcg and /a b (a space in its name) on node 0; /a b also on
 * node 1.  6.x prints the 16-bit memcg id.
 */
static const char text61[] =
	"memcg     1 /\n"
	" node     0\n"
	"          4      90000       1000          10 \n"
	"          5      30000        200          20 \n"
	"          6       5000         30          30 \n"
	"          7        500          4          40 \n"
	"memcg     2 /a b\n"
	" node     0\n"
	"         10     200000        100        1000 \n"
	"         11       1000         50         500 \n"
	" node     1\n"
	"          3       4000          7           0 \n";

static void lrugen_parse_6x(void)
{
	struct mt_lrugen l;
	size_t line = 0;

	CHECK(mt_lrugen_parse(text61, &l, &line) == 0);
	CHECK(l.nr == 2);
	if (l.nr != 2)
		return;
	CHECK(l.v[0].id == 1);
	CHECK_STR(l.v[0].path, "/");
	CHECK(l.v[0].nr == 1 && l.v[0].v[0].node == 0 && l.v[0].v[0].nr == 4);
	CHECK(l.v[0].v[0].gen[0].seq == 4);
	CHECK(l.v[0].v[0].gen[0].age_ms == 90000);
	CHECK(l.v[0].v[0].gen[0].pages[MT_LRUGEN_ANON] == 1000);
	CHECK(l.v[0].v[0].gen[3].pages[MT_LRUGEN_FILE] == 40);
	CHECK(l.v[1].id == 2);
	CHECK_STR(l.v[1].path, "/a b");
	CHECK(l.v[1].nr == 2 && l.v[1].v[1].node == 1 && l.v[1].v[1].nr == 1);
	mt_lrugen_free(&l);
}

/*
 * Working set within 10 s: the generations no older than that.  Hot (1 s):
 * the youngest of the root (500 ms).  Cold (60 s): a generation whose next
 * younger one is 60 s old or more (the root's seq 4 has seq 5 at 30 s: not
 * cold; /a b's seq 10 has seq 11 at 1 s: not cold): with cold at 20 s
 * instead, the root's seq 4 is cold.
 */
static void lrugen_sums(void)
{
	struct mt_lrugen_sum s;
	struct mt_lrugen l;

	if (mt_lrugen_parse(text61, &l, NULL)) {
		CHECK(0);
		return;
	}
	mt_lrugen_sum(&l.v[0], 10000, 1000, 60000, &s);
	CHECK(s.youngest_ms == 500);
	CHECK(s.wss[MT_LRUGEN_ANON] == 34 && s.wss[MT_LRUGEN_FILE] == 70);
	CHECK(s.hot[MT_LRUGEN_ANON] == 4 && s.hot[MT_LRUGEN_FILE] == 40);
	CHECK(s.cold[MT_LRUGEN_ANON] == 0 && s.cold[MT_LRUGEN_FILE] == 0);
	CHECK(s.warm[MT_LRUGEN_ANON] == 1230 && s.warm[MT_LRUGEN_FILE] == 60);
	CHECK(s.lru[MT_LRUGEN_ANON] == 1234 && s.lru[MT_LRUGEN_FILE] == 100);
	mt_lrugen_sum(&l.v[0], 10000, 1000, 20000, &s);
	CHECK(s.cold[MT_LRUGEN_ANON] == 1000 && s.cold[MT_LRUGEN_FILE] == 10);
	CHECK(s.warm[MT_LRUGEN_ANON] == 230 && s.warm[MT_LRUGEN_FILE] == 50);
	/* two nodes: the stalest youngest generation, pages summed */
	mt_lrugen_sum(&l.v[1], 5000, 1000, 60000, &s);
	CHECK(s.youngest_ms == 4000);
	CHECK(s.wss[MT_LRUGEN_ANON] == 57 && s.wss[MT_LRUGEN_FILE] == 500);
	CHECK(s.hot[MT_LRUGEN_ANON] == 50 && s.hot[MT_LRUGEN_FILE] == 500);
	CHECK(s.warm[MT_LRUGEN_ANON] == 107 && s.warm[MT_LRUGEN_FILE] == 1000);
	mt_lrugen_free(&l);
}

/* 7.x prints the 64-bit cgroup id */
static void lrugen_parse_7x(void)
{
	static const char text[] =
		"memcg 4294967311 /system.slice\n"
		" node     0\n"
		"          1        100          0          0 \n";
	struct mt_lrugen l;

	CHECK(mt_lrugen_parse(text, &l, NULL) == 0);
	CHECK(l.nr == 1 && l.v[0].id == 4294967311ULL && !l.memcg_ids);
	if (l.nr == 1)
		CHECK_STR(l.v[0].path, "/system.slice");
	mt_lrugen_free(&l);
}

/*
 * Aging: the command for each node, with the youngest generation's seq;
 * the pages since: those of generations younger than the first read's
 * youngest on the same node (root: seq 7 then; 8 and 9 now), none for a
 * node the first read lacked
 */
static void lrugen_aging(void)
{
	static const char now[] =
		"memcg     1 /\n"
		" node     0\n"
		"          6       9000         30          30 \n"
		"          7       4000          4          40 \n"
		"          8       2000        300           5 \n"
		"          9          1          2           0 \n"
		" node     1\n"
		"          1       9000         99          99 \n";
	uint64_t pages[MT_LRUGEN_TYPES];
	struct mt_lrugen a, b;
	char cmd[64];

	if (mt_lrugen_parse(text61, &a, NULL) || mt_lrugen_parse(now, &b, NULL)) {
		CHECK(0);
		return;
	}
	CHECK(mt_lrugen_age_cmd(&a.v[0], 0, cmd, sizeof(cmd)) == 12);
	CHECK_STR(cmd, "+ 1 0 7 1 1\n");
	CHECK(mt_lrugen_age_cmd(&a.v[1], 1, cmd, sizeof(cmd)) == 12);
	CHECK_STR(cmd, "+ 2 1 3 1 1\n");
	CHECK(mt_lrugen_age_cmd(&a.v[1], 1, cmd, 12) == -1);
	CHECK(mt_lrugen_find(&a, "/a b", 2) == &a.v[1]);
	CHECK(mt_lrugen_find(&a, "/a b", 0) == NULL);	/* a dying one */
	CHECK(mt_lrugen_find(&a, "/a", 2) == NULL);
	CHECK(a.memcg_ids);
	/* seq 6 is still there: none folded */
	CHECK(mt_lrugen_since(&a.v[0], &b.v[0], pages));
	CHECK(pages[MT_LRUGEN_ANON] == 302 && pages[MT_LRUGEN_FILE] == 5);
	/* the root's seq 7 then; now its oldest is 8: folded */
	b.v[0].v[0].gen[0].seq = 8;
	CHECK(!mt_lrugen_since(&a.v[0], &b.v[0], pages));
	mt_lrugen_free(&a);
	mt_lrugen_free(&b);
}

/* What is not the format is refused, with the line */
static void lrugen_bad(void)
{
	static const struct {
		const char *text;
		size_t line;
	} bad[] = {
		{ "memcg     1 /\n node     0\n          4      90000  x \n", 3 },
		{ "          4      90000       1000          10 \n", 1 },
		{ " node     0\n", 1 },
		{ "memcg     1 /\n node     0\n          5       1000          1           1 \n"
		  "          5        900          1           1 \n", 4 },
		{ "memcg 1x /\n", 1 },
		{ "memcg     1 /\n node     0\n          4      90000       1000          10  7\n", 3 },
	};
	struct mt_lrugen l;
	size_t i, line;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		line = 0;
		CHECK(mt_lrugen_parse(bad[i].text, &l, &line) == -EINVAL);
		CHECK(line == bad[i].line);
	}
}

static void put_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/*
 * memtally wss --source lru_gen on a made-up tree: the MGLRU switch
 * ($MEMTALLY_MGLRU_DIR), debugfs's lru_gen ($MEMTALLY_LRU_GEN) and the
 * cgroup2 root ($MEMTALLY_CGROUP_ROOT, with "a b" in it): the rows
 * summed as above (4 KiB pages), largest working set first, the cgroup
 * ids those of the directories; then what is said when MGLRU is off, not
 * built, or lru_gen unreadable or of another format.
 */
static void tool_wss_lrugen(void)
{
	char dir[] = "/tmp/memtally-lrugen.XXXXXX", path[256], out[8192],
	     err[4096], want[512];
	struct stat st;

	if (sysconf(_SC_PAGESIZE) != 4096) {	/* the sums are of 4 KiB pages */
		t_skipped_case = true;
		return;
	}
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/cg", dir);
	CHECK(mkdir(path, 0700) == 0);
	snprintf(path, sizeof(path), "%s/cg/a b", dir);
	CHECK(mkdir(path, 0700) == 0 && stat(path, &st) == 0);
	snprintf(path, sizeof(path), "%s/mglru", dir);
	CHECK(mkdir(path, 0700) == 0);
	put_file(path, "enabled", "0x0007\n");
	setenv("MEMTALLY_MGLRU_DIR", path, 1);
	snprintf(path, sizeof(path), "%s/lru_gen", dir);
	put_file(dir, "lru_gen", text61);
	setenv("MEMTALLY_LRU_GEN", path, 1);
	snprintf(path, sizeof(path), "%s/cg", dir);
	setenv("MEMTALLY_CGROUP_ROOT", path, 1);

	/* /a b: 57 + 500 pages within 5 s; the root: 34 + 70 */
	CHECK(tool(out, err, sizeof(out), ARGS("wss", "--source", "lru_gen",
		   "--window", "5s", "--json")) == 0);
	snprintf(want, sizeof(want),
		 "{\"source\":\"lru_gen\",\"window_ms\":5000,\"aged\":false,\"cgroups\":["
		 "{\"path\":\"/a b\",\"id\":%llu,\"youngest_ms\":4000,\"wss\":%d,\"wss_anon\":%d,\"wss_file\":%d,\"lru\":%d},"
		 "{\"path\":\"/\",\"id\":",
		 (unsigned long long)st.st_ino, 557 * 4096, 57 * 4096,
		 500 * 4096, 1657 * 4096);
	CHECK(!strncmp(out, want, strlen(want)));
	CHECK(strstr(out, "\"youngest_ms\":500,\"wss\":425984,\"wss_anon\":139264,\"wss_file\":286720,\"lru\":5464064}]}") != NULL);
	/* text, one cgroup; without --source, MGLRU on and no DAMON bound */
	CHECK(tool(out, err, sizeof(out), ARGS("wss", "-c", "/a b",
		   "-w", "5s")) == 0);
	snprintf(want, sizeof(want), "MGLRU working set: pages seen accessed within 5.0s (%s/lru_gen)\nPATH", dir);
	CHECK(STARTS(out, want));
	CHECK(strstr(out, "\n/a b ") != NULL && !strstr(out, "\n/ "));
	CHECK(tool(out, err, sizeof(out), ARGS("wss", "-s", "lru_gen", "-c",
		   "/nope")) == MT_EXIT_RUNTIME);
	CHECK_STR(err, "memtally: /nope: no such cgroup\n");
	CHECK(tool(out, err, sizeof(out), ARGS("wss", "-s", "damon", "-w",
		   "5s")) == MT_EXIT_USAGE);
	CHECK(tool(out, err, sizeof(out), ARGS("wss", "-s", "damon",
		   "--age")) == MT_EXIT_USAGE);
	CHECK_STR(err, "memtally: wss: --window and --age are for --source lru_gen (DAMON's samples have their own intervals); see memtally --help\n");

	put_file(dir, "lru_gen", "memcg     1 /\n node     0\n garbage\n");
	CHECK(tool(out, err, sizeof(out), ARGS("wss", "-s", "lru_gen")) ==
	      MT_EXIT_RUNTIME);
	snprintf(want, sizeof(want), "memtally: %s/lru_gen: line 3 is not of the format this memtally knows\n", dir);
	CHECK_STR(err, want);
	snprintf(path, sizeof(path), "%s/lru_gen", dir);
	unlink(path);
	CHECK(tool(out, err, sizeof(out), ARGS("wss", "-s", "lru_gen")) ==
	      MT_EXIT_RUNTIME);
	snprintf(want, sizeof(want), "memtally: %s/lru_gen: no such file: is debugfs mounted? (mount -t debugfs none /sys/kernel/debug)\n", dir);
	CHECK_STR(err, want);

	snprintf(path, sizeof(path), "%s/mglru", dir);
	put_file(path, "enabled", "0x0000\n");
	CHECK(tool(out, err, sizeof(out), ARGS("wss", "-s", "lru_gen")) ==
	      MT_EXIT_RUNTIME);
	snprintf(want, sizeof(want), "memtally: MGLRU is built but off (turn it on with: echo y > %s/enabled; it changes how reclaim picks pages: by generation, not the active and inactive lists)\n", path);
	CHECK_STR(err, want);
	snprintf(path, sizeof(path), "%s/mglru/enabled", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/mglru", dir);
	rmdir(path);
	CHECK(tool(out, err, sizeof(out), ARGS("wss", "-s", "lru_gen")) ==
	      MT_EXIT_RUNTIME);
	CHECK_STR(err, "memtally: MGLRU is not built into this kernel (CONFIG_LRU_GEN)\n");

	unsetenv("MEMTALLY_MGLRU_DIR");
	unsetenv("MEMTALLY_LRU_GEN");
	unsetenv("MEMTALLY_CGROUP_ROOT");
	snprintf(path, sizeof(path), "%s/cg/a b", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/cg", dir);
	rmdir(path);
	rmdir(dir);
}

void test_lrugen(void)
{
	RUN(lrugen_parse_6x);
	RUN(lrugen_sums);
	RUN(lrugen_parse_7x);
	RUN(lrugen_bad);
	RUN(lrugen_aging);
	RUN(tool_wss_lrugen);
}
