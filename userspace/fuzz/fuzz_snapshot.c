// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzer of snapshot files (memtally snapshot, read by memtally diff):
 * the input is the file.  What parses is looked up as diff does.
 */
#include "fuzz.h"
#include "snapfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mt_snap s;
	char why[256];
	size_t i;

	if (mt_snap_parse((const char *)data, size, &s, why, sizeof(why)))
		return 0;
	for (i = 0; i < s.nr_cgroups; i++) {
		if (s.cgroups[i].path)
			mt_snap_cgroup(&s, s.cgroups[i].path);
		mt_snap_cgroup_id(&s, s.cgroups[i].id);
	}
	mt_snap_file(&s, "/proc/meminfo");
	mt_snap_free(&s);
	return 0;
}
