// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzer of the state file of memtally damon (/run/memtally/damon): the
 * bytes are the file.
 */
#include "damonfs.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mt_damon_state st;
	FILE *f = fuzz_file(data, size);

	if (!f)
		return 0;
	mt_damon_state_parse(f, &st);
	fclose(f);
	return 0;
}
