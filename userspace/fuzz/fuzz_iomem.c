// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzer of the /proc/iomem parser of memtally damon start --paddr: the
 * bytes are the file.  A range it returns is never empty: DAMON gets
 * [start, end).
 */
#include <stdlib.h>

#include "damonfs.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t start = 0, end = 0;
	FILE *f = fuzz_file(data, size);

	if (!f)
		return 0;
	if (!mt_iomem_ram_parse(f, &start, &end) && end <= start)
		abort();
	fclose(f);
	return 0;
}
