// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzer of the mount table parser that finds the cgroup2 root
 * (/proc/self/mounts).  Input: byte 0 the size of the buffer for the
 * root (1 to 256), then the file.  A root it returns fits its buffer.
 */
#include <stdlib.h>
#include <string.h>

#include "cgpath.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *root;
	size_t len;
	bool v1;
	FILE *f;

	if (size < 1)
		return 0;
	len = data[0] + 1;
	/* exactly @len bytes, so that a write past them is caught */
	root = malloc(len);
	f = fuzz_file(data + 1, size - 1);
	if (root && f && !mt_cgroot_parse(f, root, len, &v1) &&
	    strnlen(root, len) == len)
		abort();
	if (f)
		fclose(f);
	free(root);
	return 0;
}
