// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzer of memtally ksm --from: the input is the snapshot file; the KSM
 * view of it (/sys/kernel/mm/ksm, the module's KSM numbers and rows, each
 * process's ksm_merging_pages, ksm_stat, comm and cgroup) is printed with
 * --processes, as text and as JSON.
 */
#include "fuzz.h"
#include "cmds.h"
#include "ksm.h"
#include "snapfile.h"

FUZZ_QUIET_INIT

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mt_snap s;
	char why[256];

	if (mt_snap_parse((const char *)data, size, &s, why, sizeof(why)))
		return 0;
	mt_ksm_snap_show(&s, false, true);
	mt_ksm_snap_show(&s, true, true);
	mt_snap_free(&s);
	return 0;
}
