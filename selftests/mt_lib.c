// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the memtally selftests.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "mt_lib.h"

uint64_t cg_id(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return 0;
	return st.st_ino;
}

uint64_t cg_make(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), CG_ROOT "/%s", name);
	if (mkdir(path, 0755) && errno != EEXIST)
		return 0;
	return cg_id(path);
}

int cg_remove(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), CG_ROOT "/%s", name);
	return rmdir(path);
}

int cg_write(const char *name, const char *file, const char *val)
{
	char path[PATH_MAX];
	int fd, ok;

	snprintf(path, sizeof(path), CG_ROOT "/%s/%s", name, file);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok ? 0 : -1;
}

/* move the calling process into cgroup @name */
int cg_enter(const char *name)
{
	return cg_write(name, "cgroup.procs", "0");
}

/* value of "key N" in a flat keyed file such as memory.stat (0 if absent) */
uint64_t cg_stat(const char *name, const char *file, const char *key)
{
	char path[PATH_MAX], k[128];
	unsigned long long v, found = 0;
	FILE *f;

	snprintf(path, sizeof(path), CG_ROOT "/%s/%s", name, file);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fscanf(f, "%127s %llu", k, &v) == 2)
		if (!strcmp(k, key))
			found = v;
	fclose(f);
	return found;
}

/* The histogram attribute of each enum memtally_reclaim_kind */
static const int mt_hist_attr[MT_NR_KINDS] = {
	[MEMTALLY_RECLAIM_KIND_DIRECT]	  = MEMTALLY_A_CGROUP_DIRECT_STALL_HIST,
	[MEMTALLY_RECLAIM_KIND_MEMCG]	  = MEMTALLY_A_CGROUP_MEMCG_STALL_HIST,
	[MEMTALLY_RECLAIM_KIND_SOFTLIMIT] = MEMTALLY_A_CGROUP_SOFTLIMIT_STALL_HIST,
	[MEMTALLY_RECLAIM_KIND_AGENT]	  = MEMTALLY_A_CGROUP_AGENT_STALL_HIST,
	[MEMTALLY_RECLAIM_KIND_COMPACT]	  = MEMTALLY_A_CGROUP_COMPACT_STALL_HIST,
};

void mt_row_parse(const struct nlmsghdr *nlh, struct mt_row *row)
{
	int len = (int)nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	const struct nlattr *a;

	memset(row, 0, sizeof(*row));
	row->found = true;
	mt_nl_for_each_attr(a, (const void *)((const char *)NLMSG_DATA(nlh) + GENL_HDRLEN), len) {
		int t = a->nla_type & NLA_TYPE_MASK;
		int k;

		for (k = 0; k < MT_NR_KINDS && mt_hist_attr[k] != t; k++)
			;
		if (k < MT_NR_KINDS) {
			if (a->nla_len - NLA_HDRLEN == sizeof(row->hist[k]))
				memcpy(row->hist[k], (const char *)a + NLA_HDRLEN,
				       sizeof(row->hist[k]));
			continue;
		}
		if (t == MEMTALLY_A_CGROUP_REMOVED_DESCENDANTS) {
			int nlen = a->nla_len - NLA_HDRLEN;
			const struct nlattr *n;

			row->has_gone = true;
			mt_nl_for_each_attr(n, (const void *)((const char *)a + NLA_HDRLEN), nlen)
				if ((n->nla_type & NLA_TYPE_MASK) <= MEMTALLY_A_CGROUP_MAX &&
				    n->nla_len - NLA_HDRLEN == 8)
					row->gone[n->nla_type & NLA_TYPE_MASK] = mt_nl_u64(n);
			continue;
		}
		if (t == MEMTALLY_A_CGROUP_DAMON_AGE_HIST) {
			if (a->nla_len - NLA_HDRLEN == sizeof(row->age))
				memcpy(row->age, (const char *)a + NLA_HDRLEN,
				       sizeof(row->age));
			continue;
		}
		if (t <= MEMTALLY_A_CGROUP_MAX)
			row->v[t] = mt_nl_u64(a);
	}
	row->id = row->v[MEMTALLY_A_CGROUP_ID];
}

static void row_cb(const struct nlmsghdr *nlh, void *ctx)
{
	mt_row_parse(nlh, ctx);
}

/* cgroup-get do; returns the kernel's error (0 on success) */
int mt_row_get(struct mt_nl *nl, uint64_t id, struct mt_row *row,
	       struct mt_nl_result *res)
{
	struct mt_nl_req req;
	int err;

	memset(row, 0, sizeof(*row));
	mt_nl_req_init(&req, nl->family, MEMTALLY_CMD_CGROUP_GET, 0);
	mt_nl_put(&req, MEMTALLY_A_CGROUP_ID, &id, sizeof(id));
	err = mt_nl_talk(nl, &req, row_cb, row, res);
	return err ? err : res->error;
}

/* A request with at most one raw attribute; returns the kernel's error. */
int mt_raw_request(struct mt_nl *nl, uint8_t cmd, uint16_t flags,
		   uint16_t type, const void *data, uint16_t len,
		   struct mt_nl_result *res)
{
	struct mt_nl_req req;
	int err;

	mt_nl_req_init(&req, nl->family, cmd, flags);
	if (data)
		mt_nl_put(&req, type, data, len);
	err = mt_nl_talk(nl, &req, NULL, NULL, res);
	return err ? err : res->error;
}

/*
 * Does the kernel deliver the extack of a failing dump start?  6.1 answers
 * with the errno alone: its __netlink_dump_start() calls the start callback
 * with cb->extack NULL.  6.12 sets cb->extack first.  (Both tested.)
 */
bool mt_dump_start_has_extack(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	uname(&u);
	sscanf(u.release, "%d.%d", &major, &minor);
	return major > 6 || (major == 6 && minor >= 12);
}

/*
 * @len bytes of private anonymous memory in base pages (no THP), each page
 * written once; NULL if mmap() fails
 */
char *anon_touched(size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t i;

	if (p == MAP_FAILED)
		return NULL;
	madvise(p, len, MADV_NOHUGEPAGE);
	for (i = 0; i < len; i += PAGE)
		p[i] = 1;
	return p;
}

/* The wait status of child @pid, -1 if waitpid() failed */
int wait_status(pid_t pid)
{
	int status = -1;

	waitpid(pid, &status, 0);
	return status;
}

/* The number at the start of file @path, or -1 */
long file_long(const char *path)
{
	long v = -1;
	FILE *f = fopen(path, "r");

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* Write @val to file @path (truncated); 0 or -1 */
int file_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_TRUNC), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	return close(fd) || !ok ? -1 : 0;
}
