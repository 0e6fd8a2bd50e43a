// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzer of the /proc and cgroup files procfiles.c parses from their
 * text: byte 0 says which, the rest is the file.
 *   0: a "key value" file (/proc/meminfo, /proc/vmstat, /proc/PID/status,
 *	smaps_rollup, memory.stat, memory.events): every key the tool looks
 *	up, as a number and as text (into a buffer of byte 1 bytes, 0 to 79,
 *	the text after byte 1)
 *   1: /proc/swaps
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "procfiles.h"

/* What the tool looks up (report.c, smemcalc.c), and a key of none */
static const char *const keys[] = {
	"MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached",
	"SReclaimable", "SwapTotal", "SwapFree", "Slab", "KernelStack",
	"PageTables", "SecPageTables", "Percpu", "VmallocUsed", "pgfault",
	"pgmajfault", "oom_kill", "Name", "Uid", "VmRSS", "Rss", "Pss",
	"Pss_File", "Pss_Shmem", "Swap", "SwapPss", "Private_Clean",
	"Private_Dirty", "Private_Hugetlb", "nokey",
};

static void kv(const char *text, size_t len)
{
	char buf[80];
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		mt_kv_get(text, keys[i], &v);
		mt_kv_str(text, keys[i], buf, len);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n, len = 0, skip = 1;
	struct mt_swap *v;
	char *text;
	int kind;

	if (size < 1)
		return 0;
	kind = data[0] % 2;
	if (kind == 0 && size > 1) {
		len = data[1] % 80;
		skip = 2;
	}
	/* a file's text, as a snapshot holds it: a string */
	text = strndup((const char *)data + skip, size - skip);
	if (!text)
		return 0;
	if (kind == 0)
		kv(text, len);
	else if (!mt_swaps_parse(text, &v, &n))
		free(v);
	free(text);
	return 0;
}
