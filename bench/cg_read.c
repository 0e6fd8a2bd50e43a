// SPDX-License-Identifier: GPL-2.0
/*
 * cg_read: time reading the memory numbers of many cgroups, two ways.
 *
 *   cg_read dump          one cgroup-get dump of the memtally family
 *   cg_read stat DIR      memory.stat of DIR and every cgroup below it,
 *                         read and parsed the way cAdvisor or below do
 *                         (the directories by readdir(), no file stat()ed)
 *   cg_read run CMD...    CMD run as a user runs it, its output read
 *   cg_read handles       a dump's ids to paths, each by its kernfs file
 *                         handle as the tool does it (only that is timed)
 *   cg_read since DIR N   a dump since the generation of a first dump, after
 *                         a process in each of DIR/c1 .. DIR/cN touched
 *                         memory (only the dump is timed)
 *
 * The dumps are timed on a socket opened before.  Prints "<rows>
 * <seconds>", for run "<bytes of output> <seconds>".
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
static unsigned long long *ids;

static void row_cb(const struct nlmsghdr *nlh, void *ctx)
{
	const struct nlattr *a = mt_nl_attr(nlh, MEMTALLY_A_CGROUP_FAULTS_USER);
	const struct nlattr *id = mt_nl_attr(nlh, MEMTALLY_A_CGROUP_ID);

	sink += a ? mt_nl_u64(a) : 0;
	if (ids && id && rows < 1 << 20)
		ids[rows] = mt_nl_u64(id);
	rows++;
}

/* the path of each of the @n cgroups @ids, as the tool's mt_cgid_path() */
static int handles(long n)
{
	struct {
		struct file_handle fh;
		unsigned long long id;
	} h = { .fh = { .handle_bytes = 8, .handle_type = 0xfe } };
	char link[64], path[4096];
	int mnt = open("/sys/fs/cgroup", O_RDONLY | O_DIRECTORY), fd;

	for (long i = 0; i < n; i++) {
		h.id = ids[i];
		fd = open_by_handle_at(mnt, &h.fh, O_RDONLY | O_DIRECTORY);
		if (fd < 0)
			continue;
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		sink += readlink(link, path, sizeof(path));
		close(fd);
	}
	close(mnt);
	return mnt < 0 ? -1 : 0;
}

static unsigned long long gen;
static struct mt_nl nl;

/* the first message has only dump-gen; the rows come after it */
static void gen_cb(const struct nlmsghdr *nlh, void *ctx)
{
	const struct nlattr *a = mt_nl_attr(nlh, MEMTALLY_A_CGROUP_DUMP_GEN);

	if (a)
		gen = mt_nl_u64(a);
	if (mt_nl_attr(nlh, MEMTALLY_A_CGROUP_ID))
		row_cb(nlh, ctx);
}

static int nl_open(void)
{
	if (mt_nl_open(&nl, MEMTALLY_FAMILY_NAME) || !nl.family) {
		fprintf(stderr, "cg_read: memtally is not loaded\n");
		return -1;
	}
	return 0;
}

/*
 * one cgroup-get dump on the socket nl_open() opened; with @since
 * non-NULL, since that generation
 */
static int dump_since(const unsigned long long *since)
{
	struct mt_nl_result res;
	struct mt_nl_req req;

	mt_nl_req_init(&req, nl.family, MEMTALLY_CMD_CGROUP_GET, NLM_F_DUMP);
	if (since)
		mt_nl_put(&req, MEMTALLY_A_CGROUP_SINCE_GEN, since,
			  sizeof(*since));
	if (mt_nl_talk(&nl, &req, since ? gen_cb : row_cb, NULL, &res) ||
	    res.error) {
		fprintf(stderr, "cg_read: dump failed: %s\n", res.extack);
		return -1;
	}
	return 0;
}

static int dump(void)
{
	return dump_since(NULL);
}

/* a process in each of @dir/c1 .. c@n touches 16 fresh pages */
static int touch_cgroups(const char *dir, int n)
{
	char path[4096];
	int i, status, err = 0;

	for (i = 1; i <= n; i++) {
		pid_t pid = fork();

		if (!pid) {
			char *p;
			FILE *f;

			snprintf(path, sizeof(path), "%s/c%d/cgroup.procs", dir, i);
			f = fopen(path, "w");
			if (!f || fprintf(f, "%d\n", getpid()) < 0 || fclose(f))
				_exit(1);
			p = malloc(16 << 12);
			for (int k = 0; p && k < 16 << 12; k += 1 << 12)
				p[k] = 1;
			_exit(!p);
		}
		if (pid < 0 || waitpid(pid, &status, 0) < 0 || status)
			err = -1;
	}
	return err;
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

	if (!strcmp(argv[1 < argc ? 1 : 0], "handles")) {
		ids = calloc(1 << 20, sizeof(*ids));
		if (!ids || nl_open() || dump())
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		err = handles(rows);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (err)
			return 1;
		printf("%ld %.6f\n", rows, (t1.tv_sec - t0.tv_sec) +
		       (t1.tv_nsec - t0.tv_nsec) / 1e9);
		return 0;
	}
	if (argc < 2 || (strcmp(argv[1], "dump") && argc < 3) ||
	    (!strcmp(argv[1], "since") && argc < 4) ||
	    (strcmp(argv[1], "dump") && strcmp(argv[1], "stat") &&
	     strcmp(argv[1], "run") && strcmp(argv[1], "since"))) {
		fprintf(stderr, "usage: cg_read dump | cg_read handles | cg_read stat DIR | cg_read run CMD... | cg_read since DIR N\n");
		return 2;
	}
	if ((!strcmp(argv[1], "since") || !strcmp(argv[1], "dump")) &&
	    nl_open())
		return 1;
	if (!strcmp(argv[1], "since")) {
		unsigned long long zero = 0;

		if (dump_since(&zero) || !gen ||
		    touch_cgroups(argv[2], atoi(argv[3])))
			return 1;
		rows = 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!strcmp(argv[1], "since"))
		err = dump_since(&gen);
	else if (!strcmp(argv[1], "dump"))
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
