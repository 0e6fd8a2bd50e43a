// SPDX-License-Identifier: GPL-2.0
/*
 * memtally smem: PSS, USS, RSS and swap per process, user, cgroup and
 * mapping, and the system's memory in parts, from a snapshot's files.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json.h>

#include "ksm.h"
#include "ksmfs.h"
#include "procfiles.h"
#include "smemcalc.h"
#include "snapfile.h"

const char *const mt_sys_names[MT_NR_SYS] = {
	"free", "user", "cache", "kernel", "other",
};

/* The file @name of /proc/@pid in @s, or NULL */
static const char *pid_file(const struct mt_snap *s, int pid,
			    const char *name)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	return mt_snap_file(s, path);
}

/*
 * The sizes of an smaps_rollup or of one mapping of smaps, in bytes.
 * Return: 1 if it has no SwapPss line (before Linux 4.3), else 0.
 */
static unsigned int sizes_parse(const char *text, uint64_t *v)
{
	uint64_t clean, dirty, huge;
	int no_swappss;

	mt_kv_get(text, "Swap", &v[MT_SMEM_SWAP]);
	no_swappss = mt_kv_get(text, "SwapPss", &v[MT_SMEM_SWAPPSS]) ==
		     -ENOENT;
	mt_kv_get(text, "Pss", &v[MT_SMEM_PSS]);
	mt_kv_get(text, "Rss", &v[MT_SMEM_RSS]);
	mt_kv_get(text, "Private_Clean", &clean);
	mt_kv_get(text, "Private_Dirty", &dirty);
	mt_kv_get(text, "Private_Hugetlb", &huge);
	v[MT_SMEM_USS] = clean + dirty + huge;
	for (int i = 0; i < MT_NR_SMEM; i++)
		v[i] *= 1024;
	return no_swappss;
}

/* The command line, its NULs as spaces; the comm if it has none */
static char *command(const struct mt_snap *s, int pid, const char *status)
{
	const char *cmd = pid_file(s, pid, "cmdline");
	char name[64], *c;
	size_t len = cmd ? strlen(cmd) : 0;

	/* the snapshot's string ends at the first NUL: the program */
	if (len)
		return strdup(cmd);
	mt_kv_str(status, "Name", name, sizeof(name));
	if (asprintf(&c, "[%s]", name) < 0)
		return NULL;
	return c;
}

/* The pid of "/proc/PID/smaps_rollup", or 0 for any other file */
static int pid_of(const char *path)
{
	const char *p = path + strlen("/proc/");
	char *end;
	long pid;

	if (strncmp(path, "/proc/", strlen("/proc/")))
		return 0;
	pid = strtol(p, &end, 10);
	return end != p && !strcmp(end, "/smaps_rollup") ? (int)pid : 0;
}

static int proc_read(const struct mt_snap *s, struct mt_smem *m,
		     const char *path, json_object *val, size_t *cap)
{
	const char *rollup = json_object_get_string(val), *status, *cg;
	struct mt_smem_row *r;
	int pid = pid_of(path);
	uint64_t uid = 0, v;
	FILE *f;

	if (!pid)
		return 0;
	if (!val) {
		/*
		 * smaps_rollup fails (ESRCH) for a process without memory:
		 * a kernel thread or a zombie, whose status has no VmRSS.
		 * Anyone can read status: with it, it is another user's.
		 */
		status = pid_file(s, pid, "status");
		if (!status || mt_kv_get(status, "VmRSS", &v) != -ENOENT)
			m->unreadable++;
		return 0;
	}
	if (!strstr(rollup, "Rss:"))
		return 0;	/* a kernel thread: no memory of its own */
	if (m->nr_procs == *cap) {
		struct mt_smem_row *nv;

		*cap = *cap ? 2 * *cap : 64;
		nv = realloc(m->procs, *cap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		m->procs = nv;
	}
	r = &m->procs[m->nr_procs];
	memset(r, 0, sizeof(*r));
	status = pid_file(s, pid, "status");
	if (status) {
		char line[64];

		/* Uid: real effective saved fs */
		if (!mt_kv_str(status, "Uid", line, sizeof(line)))
			uid = strtoull(line, NULL, 10);
	}
	r->pid = pid;
	r->uid = uid;
	r->count = 1;
	r->no_swappss = sizes_parse(rollup, r->v);
	if (!mt_kv_get(rollup, "Pss_File", &v))
		r->pss_cache += v * 1024;
	if (!mt_kv_get(rollup, "Pss_Shmem", &v))
		r->pss_cache += v * 1024;
	r->name = command(s, pid, status);
	cg = pid_file(s, pid, "cgroup");
	f = cg ? fmemopen((void *)cg, strlen(cg), "r") : NULL;
	if (f) {
		r->cgroup = mt_proc_cgroup_parse(f);
		fclose(f);
	}
	m->nr_procs++;
	return r->name ? 0 : -ENOMEM;
}

static int pid_cmp(const void *a, const void *b)
{
	const struct mt_smem_row *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/**
 * mt_smem_read() - every user process of snapshot @s, by pid
 * @s: a snapshot with MT_TAKE_PROCS
 * @m: filled in; mt_smem_free() it
 *
 * Return: 0 or -ENOMEM.
 */
int mt_smem_read(const struct mt_snap *s, struct mt_smem *m)
{
	struct json_object *files = mt_snap_files(s);
	struct json_object_iterator it, end;
	size_t cap = 0;
	int err = 0;

	memset(m, 0, sizeof(*m));
	if (!files)
		return 0;
	it = json_object_iter_begin(files);
	end = json_object_iter_end(files);
	for (; !err && !json_object_iter_equal(&it, &end);
	     json_object_iter_next(&it))
		err = proc_read(s, m, json_object_iter_peek_name(&it),
				json_object_iter_peek_value(&it), &cap);
	if (err) {
		mt_smem_free(m);
		return err;
	}
	if (m->nr_procs)
		qsort(m->procs, m->nr_procs, sizeof(*m->procs), pid_cmp);
	return 0;
}

void mt_smem_rows_free(struct mt_smem_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].cgroup);
	}
	free(v);
}

void mt_smem_free(struct mt_smem *m)
{
	mt_smem_rows_free(m->procs, m->nr_procs);
	memset(m, 0, sizeof(*m));
}

/* The row of key @name (or @uid) in @v[0..*n), added if new */
static struct mt_smem_row *row_get(struct mt_smem_row **v, size_t *n,
				   size_t *cap, const char *name,
				   uint32_t uid)
{
	struct mt_smem_row *nv;
	size_t i;

	for (i = 0; i < *n; i++)
		if (name ? (*v)[i].name && !strcmp((*v)[i].name, name) :
			   (*v)[i].uid == uid)
			return &(*v)[i];
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 32;
		nv = realloc(*v, *cap * sizeof(*nv));
		if (!nv)
			return NULL;
		*v = nv;
	}
	nv = &(*v)[(*n)++];
	memset(nv, 0, sizeof(*nv));
	nv->uid = uid;
	if (name) {
		nv->name = strdup(name);
		if (!nv->name) {
			(*n)--;
			return NULL;
		}
	}
	return nv;
}

static void row_add(struct mt_smem_row *r, const struct mt_smem_row *p)
{
	for (int i = 0; i < MT_NR_SMEM; i++)
		r->v[i] += p->v[i];
	r->no_swappss += p->no_swappss;
	r->count++;
}

/**
 * mt_smem_group() - the processes of @m summed per user or per cgroup
 * @by: MT_SMEM_BY_USER (rows have uid, no name) or MT_SMEM_BY_CGROUP
 *	(name is the cgroup; "?" for a process without one)
 *
 * Return: 0 or -ENOMEM.
 */
int mt_smem_group(const struct mt_smem *m, int by, struct mt_smem_row **out,
		  size_t *n)
{
	size_t i, cap = 0;
	struct mt_smem_row *r;

	*out = NULL;
	*n = 0;
	for (i = 0; i < m->nr_procs; i++) {
		const struct mt_smem_row *p = &m->procs[i];

		r = row_get(out, n, &cap, by == MT_SMEM_BY_USER ? NULL :
			    p->cgroup ? p->cgroup : "?", p->uid);
		if (!r) {
			mt_smem_rows_free(*out, *n);
			*out = NULL;
			*n = 0;
			return -ENOMEM;
		}
		row_add(r, p);
	}
	return 0;
}

/* Is @line the first line of a mapping ("addr-addr perms ...")? */
static const char *map_name(const char *line, size_t len, char *buf,
			    size_t buflen)
{
	const char *p = line, *e = line + len;
	int field;

	if (!strchr("0123456789abcdef", *line) || !memchr(line, '-', len) ||
	    memchr(line, ':', strcspn(line, " ")))
		return NULL;
	/* addr perms offset dev inode [name] */
	for (field = 0; field < 5 && p < e; field++) {
		p += strcspn(p, " ");
		p += strspn(p, " ");
	}
	if (field < 5)
		return NULL;
	len = e - p;
	snprintf(buf, buflen, "%.*s", (int)(len ? len : 6),
		 len ? p : "[anon]");
	return buf;
}

/* Add the sizes of a mapping's lines [@text, @end) to @r */
static int block_add(struct mt_smem_row *r, const char *text,
		     const char *end)
{
	uint64_t v[MT_NR_SMEM];
	char *block = strndup(text, end - text);

	if (!block)
		return -ENOMEM;
	r->no_swappss += sizes_parse(block, v);
	free(block);
	for (int i = 0; i < MT_NR_SMEM; i++)
		r->v[i] += v[i];
	return 0;
}

/* Add @pid's mappings of @smaps to the rows; count it once per name */
static int maps_add(const char *smaps, struct mt_smem_row **out, size_t *n,
		    size_t *cap)
{
	const char *line = smaps, *next, *block = NULL;
	struct mt_smem_row *r;
	size_t rn = 0, i, len;
	char name[512];
	int err = 0;

	for (; !err; line = next) {
		next = line + strcspn(line, "\n");
		len = next - line;
		if (*next)
			next++;
		if (*line && !map_name(line, len, name, sizeof(name)))
			continue;
		/* a header or the end: the block before it is complete */
		if (block)
			err = block_add(&(*out)[rn], block, line);
		if (!*line || err)
			break;
		r = row_get(out, n, cap, name, 0);
		if (!r)
			return -ENOMEM;
		/* the next row_get may move the rows: keep the index */
		rn = r - *out;
		r->pid = -1;	/* this process has it */
		block = next;
	}
	if (err)
		return err;
	/* count the process once in each mapping it has */
	for (i = 0; i < *n; i++)
		if ((*out)[i].pid == -1) {
			(*out)[i].pid = 0;
			(*out)[i].count++;
		}
	return 0;
}

/**
 * mt_smem_maps() - the mappings of @m's processes summed per name (the
 *	file, or [heap], [stack], [anon]...), from @s's smaps
 *
 * Return: 0, -ENOENT if @s has no smaps (taken without them), or -ENOMEM.
 */
int mt_smem_maps(const struct mt_snap *s, const struct mt_smem *m,
		 struct mt_smem_row **out, size_t *n)
{
	size_t i, cap = 0, seen = 0;
	int err = 0;

	*out = NULL;
	*n = 0;
	for (i = 0; !err && i < m->nr_procs; i++) {
		const char *smaps = pid_file(s, m->procs[i].pid, "smaps");

		if (!smaps)
			continue;
		seen++;
		err = maps_add(smaps, out, n, &cap);
	}
	if (!err && m->nr_procs && !seen)
		err = -ENOENT;
	if (err) {
		mt_smem_rows_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return err;
}

/* @a - @b, or 0 */
static uint64_t sub0(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

/**
 * mt_smem_system() - MemTotal in parts that add up to it
 * @s: the snapshot, for its /proc/meminfo
 * @m: its processes, for their PSS
 * @sys: filled in, in bytes
 *
 * free is MemFree; user the processes' PSS (their anonymous memory and
 * their share of the files and shared memory they map); cache the page
 * cache (Buffers + Cached, shared memory included) less the part of it in
 * the processes' PSS (Pss_File + Pss_Shmem), so that no page is counted
 * twice; kernel Slab + KernelStack + PageTables + SecPageTables + Percpu
 * + vmalloc, where vmalloc is VmallocUsed less KernelStack (stacks are
 * vmalloc'd with CONFIG_VMAP_STACK); other what remains of MemTotal.
 *
 * Return: 0, or -ENOENT if @s has no /proc/meminfo.
 */
int mt_smem_system(const struct mt_snap *s, const struct mt_smem *m,
		   struct mt_smem_sys *sys)
{
	static const char *const kernel[] = {
		"Slab", "KernelStack", "PageTables", "SecPageTables", "Percpu",
	};
	const char *mi = mt_snap_file(s, "/proc/meminfo");
	uint64_t v, stack, used = 0, cache = 0;
	size_t i;

	memset(sys, 0, sizeof(*sys));
	if (!mi || mt_kv_get(mi, "MemTotal", &sys->total))
		return -ENOENT;
	sys->total *= 1024;
	mt_kv_get(mi, "MemFree", &sys->v[MT_SYS_FREE]);
	sys->v[MT_SYS_FREE] *= 1024;
	for (i = 0; i < m->nr_procs; i++) {
		sys->v[MT_SYS_USER] += m->procs[i].v[MT_SMEM_PSS];
		cache += m->procs[i].pss_cache;
	}
	mt_kv_get(mi, "Buffers", &v);
	sys->v[MT_SYS_CACHE] = v;
	mt_kv_get(mi, "Cached", &v);
	sys->v[MT_SYS_CACHE] += v;
	sys->v[MT_SYS_CACHE] = sub0(sys->v[MT_SYS_CACHE] * 1024, cache);
	for (i = 0; i < sizeof(kernel) / sizeof(kernel[0]); i++) {
		mt_kv_get(mi, kernel[i], &v);
		sys->v[MT_SYS_KERNEL] += v;
	}
	mt_kv_get(mi, "KernelStack", &stack);
	mt_kv_get(mi, "VmallocUsed", &v);
	sys->v[MT_SYS_KERNEL] = (sys->v[MT_SYS_KERNEL] + sub0(v, stack)) * 1024;
	for (i = 0; i < MT_SYS_OTHER; i++)
		used += sys->v[i];
	/* what the counters above leave out; never below 0 */
	sys->v[MT_SYS_OTHER] = sub0(sys->total, used);
	sys->over = sub0(used, sys->total);
	return 0;
}
