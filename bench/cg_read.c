// SPDX-License-Identifier: GPL-2.0
/*
 * cg_read: time reading the memory numbers of many cgroups, two ways.
 *
 *   cg_read dump          one cgroup-get dump of the memtally family
 *   cg_read stat DIR      memory.stat of DIR and every cgroup below it,
 *                         read and parsed the way cAdvisor or below do
 *
 * Prints "<rows> <seconds>".
 */
#define _GNU_SOURCE
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/memtally.h>

#include "../selftests/mt_nl.h"

static long rows;
static unsigned long long sink;

static void row_cb(const struct nlmsghdr *nlh, void *ctx)
{
	const struct nlattr *a = mt_nl_attr(nlh, MEMTALLY_A_CGROUP_FAULTS_USER);

	sink += a ? mt_nl_u64(a) : 0;
	rows++;
}

static int dump(void)
{
	struct mt_nl_result res;
	struct mt_nl_req req;
	struct mt_nl nl;

	if (mt_nl_open(&nl, MEMTALLY_FAMILY_NAME) || !nl.family) {
		fprintf(stderr, "cg_read: memtally is not loaded\n");
		return -1;
	}
	mt_nl_req_init(&req, nl.family, MEMTALLY_CMD_CGROUP_GET, NLM_F_DUMP);
	if (mt_nl_talk(&nl, &req, row_cb, NULL, &res) || res.error) {
		fprintf(stderr, "cg_read: dump failed\n");
		return -1;
	}
	mt_nl_close(&nl);
	return 0;
}

/* every "key value" line of a memory.stat, summed into the sink */
static int stat_one(const char *path, const struct stat *sb, int type,
		    struct FTW *ftw)
{
	char file[4096], key[64];
	unsigned long long v;
	FILE *f;

	if (type != FTW_D)
		return 0;
	snprintf(file, sizeof(file), "%s/memory.stat", path);
	f = fopen(file, "r");
	if (!f)
		return 0;
	while (fscanf(f, "%63s %llu", key, &v) == 2)
		sink += v;
	fclose(f);
	rows++;
	return 0;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	int err;

	if (argc < 2 || (strcmp(argv[1], "dump") && (strcmp(argv[1], "stat") || argc < 3))) {
		fprintf(stderr, "usage: cg_read dump | cg_read stat DIR\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!strcmp(argv[1], "dump"))
		err = dump();
	else
		err = nftw(argv[2], stat_one, 64, FTW_PHYS);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (err)
		return 1;
	printf("%ld %.6f\n", rows, (t1.tv_sec - t0.tv_sec) +
	       (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}
