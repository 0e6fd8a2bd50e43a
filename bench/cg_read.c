// SPDX-License-Identifier: GPL-2.0
/*
 * cg_read: time reading the memory numbers of many cgroups, two ways.
 *
 *   cg_read dump          one cgroup-get dump of the memtally family
 *   cg_read stat DIR      memory.stat of DIR and every cgroup below it,
 *                         read and parsed the way cAdvisor or below do
 *                         (the directories by readdir(), no file stat()ed)
 *   cg_read run CMD...    CMD run as a user runs it, its output read
 *
 * Prints "<rows> <seconds>", for run "<bytes of output> <seconds>".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
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
static int stat_one(int dfd)
{
	unsigned long long v;
	struct dirent *e;
	char key[64];
	FILE *f;
	DIR *d;
	int fd = openat(dfd, "memory.stat", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		f = fdopen(fd, "r");
		while (fscanf(f, "%63s %llu", key, &v) == 2)
			sink += v;
		fclose(f);
		rows++;
	}
	d = fdopendir(dfd);
	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_type == DT_DIR && e->d_name[0] != '.') {
			fd = openat(dirfd(d), e->d_name,
				    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (fd >= 0 && stat_one(fd))
				return -1;
		}
	closedir(d);
	return 0;
}

/* runs @argv, its output into a pipe it reads: the bytes in rows */
static int run(char **argv)
{
	char buf[1 << 16];
	int p[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (!pid) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	while ((n = read(p[0], buf, sizeof(buf))) > 0)
		rows += n;
	close(p[0]);
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || status) {
		fprintf(stderr, "cg_read: %s failed\n", argv[0]);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	int err;

	if (argc < 2 || (strcmp(argv[1], "dump") && argc < 3) ||
	    (strcmp(argv[1], "dump") && strcmp(argv[1], "stat") &&
	     strcmp(argv[1], "run"))) {
		fprintf(stderr, "usage: cg_read dump | cg_read stat DIR | cg_read run CMD...\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!strcmp(argv[1], "dump"))
		err = dump();
	else if (!strcmp(argv[1], "run"))
		err = run(argv + 2);
	else
		err = stat_one(open(argv[2], O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (err)
		return 1;
	printf("%ld %.6f\n", rows, (t1.tv_sec - t0.tv_sec) +
	       (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}
