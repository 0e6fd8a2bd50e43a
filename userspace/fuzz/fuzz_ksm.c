// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzer of the KSM files memtally ksm reads: byte 0 says which, the rest
 * is the file.
 *   0: /proc/PID/ksm_stat ("name value" lines)
 *   1: /proc/PID/cgroup (the "0::/path" line)
 *   2, 3: a number of /sys/kernel/mm/ksm (or any sysfs number), signed or
 *	not, as mt_sysfs_read() hands it over: at most 63 bytes, trailing
 *	newlines dropped
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ksm.h"
#include "ksmfs.h"
#include "sysfs.h"

static void sysfs_num(const uint8_t *data, size_t size, bool sign)
{
	char buf[64];
	int64_t i;
	uint64_t u;
	size_t n = size < sizeof(buf) - 1 ? size : sizeof(buf) - 1;

	memcpy(buf, data, n);
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	mt_sysfs_parse(buf, sign, &i, &u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mt_ksm_proc p = { 0 };
	FILE *f;

	if (size < 1)
		return 0;
	switch (data[0] % 4) {
	case 0:
	case 1:
		f = fuzz_file(data + 1, size - 1);
		if (!f)
			return 0;
		if (data[0] % 4 == 0)
			mt_ksm_stat_parse(f, &p);
		else
			free(mt_proc_cgroup_parse(f));
		fclose(f);
		break;
	default:
		sysfs_num(data + 1, size - 1, data[0] % 4 == 2);
	}
	return 0;
}
