// SPDX-License-Identifier: GPL-2.0
/*
 * memtally host unit tests.  Usage: tests/unit ./memtally
 * The last line is "N passed, N failed, N skipped"; the exit code is 1 if
 * any failed.
 */
#include <stdlib.h>

#include "test.h"

bool t_failed_case;
bool t_skipped_case;
const char *t_tool;
static int passed, failed, skipped;

void t_run(const char *name, void (*fn)(void))
{
	t_failed_case = false;
	t_skipped_case = false;
	fn();
	if (t_failed_case) {
		failed++;
		printf("FAIL %s\n", name);
	} else if (t_skipped_case) {
		skipped++;
		printf("skip %s\n", name);
	} else {
		passed++;
		printf("ok   %s\n", name);
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s MEMTALLY-BINARY\n", argv[0]);
		return 2;
	}
	t_tool = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* the tests set it where they need it */
	unsetenv("MEMTALLY_CGROUP_ROOT");
	unsetenv("MEMTALLY_MOUNTS");
	unsetenv("MEMTALLY_KSM_DIR");
	/* never the machine's DAMON, nor its /run/memtally */
	setenv("MEMTALLY_DAMON_DIR", "/nonexistent/damon", 1);
	setenv("MEMTALLY_RUNDIR", "/nonexistent/run", 1);
	test_decode();
	test_format();
	test_cgpath();
	test_nl();
	test_cli();
	test_counters();
	test_rate();
	test_ksm();
	test_damon();
	test_heatmap();
	test_damonctl();
	test_prom();
	test_snap();
	test_top();
	test_report();
	test_vmstat();
	test_lrugen();
	test_sarb();
	test_stat();
	test_smem();
	test_golden();
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
