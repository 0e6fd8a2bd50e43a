// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzer of memtally report --from: the input is the snapshot file.  What
 * parses is collected (meminfo, PSI, swaps, vmstat, KSM, DAMON, each
 * cgroup's files and the module's rows, the processes' status,
 * smaps_rollup and cgroup), the rules run over it, and the report is
 * printed as text and as JSON, as cmd_report() does.
 */
#include <stdlib.h>

#include "format.h"
#include "fuzz.h"
#include "recommend.h"
#include "report.h"
#include "snapfile.h"

FUZZ_QUIET_INIT

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mt_report r;
	struct mt_recs l;
	struct mt_snap s;
	char why[256];

	if (mt_snap_parse((const char *)data, size, &s, why, sizeof(why)))
		return 0;
	if (!mt_report_collect(&s, "fuzz.json", &r)) {
		if (!mt_recommend(&r, &l)) {
			/* the default --top, and every row */
			mt_report_print(&r, &l, 5);
			mt_json_print(stdout, mt_report_json(&r, &l, 100000));
			mt_recs_free(&l);
		}
		mt_report_free(&r);
	}
	mt_snap_free(&s);
	return 0;
}
