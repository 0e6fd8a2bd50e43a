// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzer of the PSI files (/proc/pressure/memory, a cgroup's
 * memory.pressure: "some avg10=... avg60=... avg300=... total=..." and a
 * "full" line): the input is the file.  What parses is shown as memtally
 * top shows a cgroup's row (text and JSON), and as memtally report shows
 * the system's pressure and a cgroup's, with the PSI rules run over both.
 */
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "fuzz.h"
#include "recommend.h"
#include "report.h"
#include "toprows.h"

FUZZ_QUIET_INIT

static void top(const struct mt_psi *psi)
{
	char cells[MT_NR_TOP_COLS][MT_TOP_CELL];
	struct mt_top_row row = { .path = "/a", .rates = true, .psi = *psi };
	unsigned int key;

	mt_top_cells(cells, &row);
	for (key = MT_TOP_PSI_SOME; key <= MT_TOP_PSI_FULL; key++) {
		mt_top_print(fuzz_null(), "now", 1, key, &row, 1);
		mt_json_print(fuzz_null(), mt_top_json("now", 1, key, &row, 1));
	}
}

static void report(const struct mt_psi *psi)
{
	struct mt_rep_cgroup cg = {
		.path = "/a", .psi_file = "/sys/fs/cgroup/a/memory.pressure",
		.has_psi = true, .psi = *psi,
	};
	struct mt_report r = {
		.cgroot = "/sys/fs/cgroup", .has_psi = true, .psi = *psi,
		.has_swaps = true, .cgroups = &cg, .nr_cgroups = 1,
	};
	struct mt_recs l;

	if (mt_recommend(&r, &l))
		return;
	mt_report_print(&r, &l, 5);
	mt_json_print(stdout, mt_report_json(&r, &l, 5));
	mt_recs_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = strndup((const char *)data, size);
	struct mt_psi psi;

	if (!text)
		return 0;
	if (!mt_psi_parse(text, &psi)) {
		top(&psi);
		report(&psi);
	}
	free(text);
	return 0;
}
