// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzer of memtally smem --from: the input is the snapshot file.  What
 * parses is read as smem reads it (every /proc/PID/smaps_rollup, status,
 * cmdline and cgroup, whatever the files' names) and summed into every
 * view: by process, user, cgroup, mapping (smaps) and the system's parts
 * (/proc/meminfo).  fuzz_smaps.c feeds the files' text directly.
 */
#include "fuzz.h"
#include "smem_views.h"
#include "snapfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mt_snap s;
	char why[256];

	if (mt_snap_parse((const char *)data, size, &s, why, sizeof(why)))
		return 0;
	fuzz_smem_views(&s);
	mt_snap_free(&s);
	return 0;
}
