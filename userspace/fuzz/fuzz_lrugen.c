// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzer of /sys/kernel/debug/lru_gen (MGLRU's generations per memcg and
 * node): the input is the file.  What parses is summed as memtally wss
 * --source lru_gen sums it, over a few windows.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "lrugen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t windows[] = { 0, 1, 1000, 120000, UINT64_MAX };
	struct mt_lrugen_sum s;
	struct mt_lrugen l;
	char *text = malloc(size + 1);
	size_t i, k, line;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (!mt_lrugen_parse(text, &l, &line)) {
		for (i = 0; i < l.nr; i++)
			for (k = 0; k < sizeof(windows) / sizeof(windows[0]); k++)
				mt_lrugen_sum(&l.v[i], windows[k], windows[k],
					      windows[k], &s);
		mt_lrugen_free(&l);
	}
	free(text);
	return 0;
}
