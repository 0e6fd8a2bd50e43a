// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzer of the smaps files memtally smem reads (smemcalc.c): the input
 * is the text of the files of a snapshot, separated by NUL bytes (a file
 * the input does not reach is absent), in this order:
 *   0 /proc/1/smaps_rollup   1 /proc/1/smaps   2 /proc/1/status
 *   3 /proc/2/smaps_rollup   4 /proc/2/smaps   5 /proc/1/cgroup
 *   6 /proc/meminfo
 * Process 2 has /proc/1/status and cgroup too, and a command line;
 * process 3's smaps_rollup is null (not readable) with the same status.
 * Every view of smem is computed: by process, user, cgroup, mapping, and
 * the system's parts.
 */
#include <string.h>
#include <json.h>

#include "fuzz.h"
#include "smem_views.h"
#include "snapfile.h"

static const char *const paths[] = {
	"/proc/1/smaps_rollup", "/proc/1/smaps", "/proc/1/status",
	"/proc/2/smaps_rollup", "/proc/2/smaps", "/proc/1/cgroup",
	"/proc/meminfo",
};
#define NR_PATHS (sizeof(paths) / sizeof(paths[0]))

static struct json_object *snap_new(const uint8_t *data, size_t size)
{
	struct json_object *o = json_object_new_object();
	struct json_object *files = json_object_new_object();
	struct json_object *text[NR_PATHS] = { NULL };
	const uint8_t *p = data, *end = data + size, *nul;
	size_t i;

	json_object_object_add(o, "format",
			       json_object_new_string(MT_SNAP_FORMAT));
	json_object_object_add(o, "version",
			       json_object_new_int(MT_SNAP_VERSION));
	json_object_object_add(o, "module", NULL);
	for (i = 0; i < NR_PATHS; i++) {
		nul = memchr(p, '\0', end - p);
		text[i] = json_object_new_string_len((const char *)p,
						     (nul ? nul : end) - p);
		json_object_object_add(files, paths[i], text[i]);
		if (!nul)
			break;
		p = nul + 1;
	}
	/* the files process 1 shares with 2 and 3 */
	if (text[2]) {
		json_object_object_add(files, "/proc/2/status",
				       json_object_get(text[2]));
		json_object_object_add(files, "/proc/3/status",
				       json_object_get(text[2]));
	}
	if (text[5])
		json_object_object_add(files, "/proc/2/cgroup",
				       json_object_get(text[5]));
	json_object_object_add(files, "/proc/2/cmdline",
			       json_object_new_string("/bin/two"));
	json_object_object_add(files, "/proc/3/smaps_rollup", NULL);
	json_object_object_add(o, "files", files);
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mt_snap s;
	char why[256];

	if (mt_snap_adopt(snap_new(data, size), &s, why, sizeof(why)))
		return 0;
	fuzz_smem_views(&s);
	mt_snap_free(&s);
	return 0;
}
