// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzer of memtally smem --from: the input is the snapshot file.  What
 * parses is read as smem reads it (every /proc/PID/smaps_rollup, status,
 * cmdline and cgroup, whatever the files' names) and summed into every
 * view: by process, user, cgroup, mapping (smaps) and the system's parts
 * (/proc/meminfo).  fuzz_smaps.c feeds the files' text directly.
 */
#include "fuzz.h"
#include "smemcalc.h"
#include "snapfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mt_smem_row *v;
	struct mt_smem_sys sys;
	struct mt_smem m;
	struct mt_snap s;
	char why[256];
	size_t n;

	if (mt_snap_parse((const char *)data, size, &s, why, sizeof(why)))
		return 0;
	if (!mt_smem_read(&s, &m)) {
		if (!mt_smem_group(&m, MT_SMEM_BY_USER, &v, &n))
			mt_smem_rows_free(v, n);
		if (!mt_smem_group(&m, MT_SMEM_BY_CGROUP, &v, &n))
			mt_smem_rows_free(v, n);
		if (!mt_smem_maps(&s, &m, &v, &n))
			mt_smem_rows_free(v, n);
		mt_smem_system(&s, &m, &sys);
		mt_smem_free(&m);
	}
	mt_snap_free(&s);
	return 0;
}
