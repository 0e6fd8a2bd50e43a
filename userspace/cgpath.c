// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: cgroup paths.  The id of a cgroup v2 cgroup is the inode number
 * of its directory and its kernfs file handle: a path maps to an id by
 * stat(), an id to a path by opening its handle (root) or by walking the
 * cgroup2 mount.  Paths are relative to the mount: "/",
 * "/a/b".  A root is kept without trailing slashes, "/" as "".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "cgpath.h"

static int copy_root(char *buf, size_t len, const char *dir)
{
	size_t n = strlen(dir);

	while (n && dir[n - 1] == '/')
		n--;
	if (n >= len)
		return -ENAMETOOLONG;
	memcpy(buf, dir, n);
	buf[n] = '\0';
	return 0;
}

/**
 * mt_cgroot_parse() - the first cgroup2 mount of the mount table open as @f
 * @v1: if not NULL, set to whether it mounts a cgroup v1 hierarchy (a v1
 *	or hybrid host; NULL: not asked)
 *
 * Return: as mt_cgroot().
 */
int mt_cgroot_parse(FILE *f, char *buf, size_t len, bool *v1)
{
	struct mntent *m;
	int err = -ENOENT;

	if (v1)
		*v1 = false;
	while ((m = getmntent(f))) {
		if (!strcmp(m->mnt_type, "cgroup") && v1)
			*v1 = true;
		if (strcmp(m->mnt_type, "cgroup2") || err != -ENOENT)
			continue;
		err = copy_root(buf, len, m->mnt_dir);
		if (!v1)
			break;
	}
	return err;
}

/**
 * mt_cgroot() - find the cgroup2 root directory
 * @mtab: mount table to read, normally /proc/self/mounts
 * @v1: as mt_cgroot_parse()
 *
 * $MEMTALLY_CGROUP_ROOT, if set, overrides the mount table.
 *
 * Return: 0, -ENOENT if no cgroup2 file system is mounted, or another
 * negative errno.
 */
int mt_cgroot(const char *mtab, char *buf, size_t len, bool *v1)
{
	const char *env = getenv("MEMTALLY_CGROUP_ROOT");
	FILE *f;
	int err;

	if (v1)
		*v1 = false;
	if (env && *env)
		return copy_root(buf, len, env);
	f = setmntent(mtab, "r");
	if (!f)
		return -errno;
	err = mt_cgroot_parse(f, buf, len, v1);
	endmntent(f);
	return err;
}

static int cgmap_add(struct mt_cgmap *map, uint64_t id, const char *path)
{
	struct mt_cgent *ent;
	size_t cap = map->cap ? map->cap : 64;

	if (map->nr == map->cap) {
		while (cap <= map->nr)
			cap *= 2;
		ent = realloc(map->ent, cap * sizeof(*ent));
		if (!ent)
			return -ENOMEM;
		map->ent = ent;
		map->cap = cap;
	}
	ent = &map->ent[map->nr];
	ent->id = id;
	ent->path = strdup(*path ? path : "/");
	if (!ent->path)
		return -ENOMEM;
	map->nr++;
	return 0;
}

/*
 * Adds directory @fd, at @path (of @len bytes, room for PATH_MAX), and the
 * directories below it; closes @fd.  readdir() gives each entry's type, so
 * only directories are opened and no file is stat()ed; the id is the
 * directory's inode, from one fstat() each, which also keeps the walk on
 * @dev, the cgroup2 file system.
 */
static int walk_dir(struct mt_cgmap *map, int fd, dev_t dev, char *path,
		    size_t len)
{
	struct dirent *e;
	struct stat st;
	DIR *d;
	int sub, ret;

	if (fstat(fd, &st) || st.st_dev != dev) {
		close(fd);
		return 0;	/* removed meanwhile, or another mount */
	}
	ret = cgmap_add(map, st.st_ino, path);
	d = ret ? NULL : fdopendir(fd);
	if (!d) {
		close(fd);
		return ret ? ret : -errno;
	}
	while (!ret && (e = readdir(d))) {
		if ((e->d_type != DT_DIR && e->d_type != DT_UNKNOWN) ||
		    !strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (len + 1 + strlen(e->d_name) >= PATH_MAX) {
			ret = -ENAMETOOLONG;
			break;
		}
		sprintf(path + len, "/%s", e->d_name);
		sub = openat(dirfd(d), e->d_name,
			     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0)
			ret = walk_dir(map, sub, dev, path,
				       len + 1 + strlen(e->d_name));
		/* unreadable directories are still cgroups */
		else if (errno == EACCES &&
			 !fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) &&
			 st.st_dev == dev)
			ret = cgmap_add(map, st.st_ino, path);
		path[len] = '\0';
	}
	closedir(d);
	return ret;
}

static int cgent_cmp(const void *a, const void *b)
{
	const struct mt_cgent *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/**
 * mt_cgmap_load() - map the id of every cgroup below @root to its path
 *
 * Return: 0 or a negative errno.
 */
int mt_cgmap_load(struct mt_cgmap *map, const char *root)
{
	char path[PATH_MAX] = "";
	struct stat st;
	int fd, ret;

	*map = (struct mt_cgmap){ 0 };
	fd = open(*root ? root : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
		close(fd);
		return ret;
	}
	ret = walk_dir(map, fd, st.st_dev, path, 0);
	if (ret) {
		mt_cgmap_free(map);
		return ret;
	}
	qsort(map->ent, map->nr, sizeof(*map->ent), cgent_cmp);
	return 0;
}

/**
 * mt_cgmount_open() - open cgroup2 mount @root for mt_cgid_path()
 *
 * Return: a file descriptor, -EOPNOTSUPP if @root is no cgroup2 file
 * system (a directory standing in for one), or another negative errno.
 */
int mt_cgmount_open(const char *root)
{
	struct statfs sfs;
	int fd = open(*root ? root : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (fstatfs(fd, &sfs))
		err = -errno;
	else if (sfs.f_type != CGROUP2_SUPER_MAGIC)
		err = -EOPNOTSUPP;
	if (err)
		close(fd);
	return err ? err : fd;
}

/* The kernel's file handle of a cgroup: its id (include/linux/exportfs.h) */
#define MT_FILEID_KERNFS	0xfe

/**
 * mt_cgid_path() - the path of cgroup @id below cgroup2 mount @mnt
 * @mnt: from mt_cgmount_open()
 * @root: its path, as mt_cgroot() gives it
 * @buf: "/a/b", "/" for the root
 * @len: its size
 *
 * One cgroup without a walk: the id is the cgroup's kernfs file handle
 * (as systemd's cg_cgroupid_open() and bpftool use it), opened, and the
 * path of the open directory read back from /proc/self/fd.
 *
 * Return: 0; -ESTALE if no cgroup has the id (removed: ids are not used
 * again); -EPERM without CAP_DAC_READ_SEARCH, -EXDEV if the path is not
 * below @root (another mount namespace's view), or another negative errno:
 * then walk (mt_cgmap_load()).
 */
int mt_cgid_path(int mnt, const char *root, uint64_t id, char *buf,
		 size_t len)
{
	struct {
		struct file_handle fh;
		uint64_t id;
	} h = { .fh = { .handle_bytes = sizeof(id),
			.handle_type = MT_FILEID_KERNFS }, .id = id };
	char link[64], path[PATH_MAX];
	size_t n = strlen(root);
	ssize_t got;
	int fd, err = 0;

	fd = open_by_handle_at(mnt, &h.fh, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	got = readlink(link, path, sizeof(path));
	if (got < 0)
		err = -errno;
	close(fd);
	if (err)
		return err;
	if ((size_t)got >= sizeof(path))
		return -ENAMETOOLONG;
	path[got] = '\0';
	/* removed between the open and the readlink */
	if (got > 10 && !strcmp(path + got - 10, " (deleted)"))
		return -ESTALE;
	if (strncmp(path, root, n) || (path[n] && path[n] != '/'))
		return -EXDEV;
	if (snprintf(buf, len, "%s", path[n] ? path + n : "/") >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

/**
 * mt_cgmap_ids() - map the paths of the cgroups @ids[@n]
 *
 * Each by its file handle (mt_cgid_path()) where the kernel lets this
 * process open one, and an id of a cgroup removed meanwhile is left out;
 * else (not root, not a cgroup2 mount) every cgroup, by walking
 * (mt_cgmap_load()).  Either way a lookup in @map gives each path.
 *
 * Return: 0 or a negative errno.
 */
int mt_cgmap_ids(struct mt_cgmap *map, const char *root, const uint64_t *ids,
		 size_t n)
{
	char path[PATH_MAX];
	int mnt = mt_cgmount_open(root), err = 0;
	size_t i;

	*map = (struct mt_cgmap){ 0 };
	for (i = 0; mnt >= 0 && i < n && !err; i++) {
		err = mt_cgid_path(mnt, root, ids[i], path, sizeof(path));
		if (!err)
			err = cgmap_add(map, ids[i], path);
		else if (err == -ESTALE)
			err = 0;
	}
	if (mnt >= 0)
		close(mnt);
	if (mnt < 0 || (err && err != -ENOMEM)) {
		mt_cgmap_free(map);
		return mt_cgmap_load(map, root);
	}
	if (err) {
		mt_cgmap_free(map);
		return err;
	}
	qsort(map->ent, map->nr, sizeof(*map->ent), cgent_cmp);
	return 0;
}

/* The path of cgroup @id, or NULL if it is not in the map (removed). */
const char *mt_cgmap_path(const struct mt_cgmap *map, uint64_t id)
{
	const struct mt_cgent key = { .id = id }, *ent;

	ent = bsearch(&key, map->ent, map->nr, sizeof(*map->ent), cgent_cmp);
	return ent ? ent->path : NULL;
}

void mt_cgmap_free(struct mt_cgmap *map)
{
	size_t i;

	for (i = 0; i < map->nr; i++)
		free(map->ent[i].path);
	free(map->ent);
	*map = (struct mt_cgmap){ 0 };
}

static bool cgnames_gone(const struct mt_cgnames *c, uint64_t id)
{
	size_t i;

	for (i = 0; i < c->ngone; i++)
		if (c->gone[i] == id)
			return true;
	return false;
}

static void cgnames_forget(struct mt_cgnames *c, uint64_t id)
{
	c->gone[c->next] = id;
	c->next = (c->next + 1) % MT_CGNAMES_GONE;
	if (c->ngone < MT_CGNAMES_GONE)
		c->ngone++;
}

/*
 * Adds @id's path to the end of the map by its file handle, or remembers
 * it removed; false if that cannot tell (walk).
 */
static bool cgnames_handle_add(struct mt_cgnames *c, uint64_t id)
{
	char path[PATH_MAX];
	int err, fd;

	if (!c->mnt) {	/* the first lookup: open the mount once */
		fd = mt_cgmount_open(c->root);
		c->mnt = fd < 0 ? -1 : fd + 1;
	}
	if (c->mnt < 0)
		return false;
	err = mt_cgid_path(c->mnt - 1, c->root, id, path, sizeof(path));
	if (err == -ESTALE) {
		cgnames_forget(c, id);
		c->lookups++;
		return true;
	}
	if (err || cgmap_add(&c->map, id, path)) {
		close(c->mnt - 1);
		c->mnt = -1;	/* walk from now on */
		return false;
	}
	c->lookups++;
	return true;
}

/* Looks @id up by its file handle; false if that cannot tell (walk). */
static bool cgnames_by_handle(struct mt_cgnames *c, uint64_t id)
{
	size_t i, nr = c->map.nr;

	if (!cgnames_handle_add(c, id))
		return false;
	if (c->map.nr == nr)	/* removed */
		return true;
	/* keep the map sorted: move the new entry into its place */
	for (i = c->map.nr - 1; i && c->map.ent[i - 1].id > id; i--) {
		struct mt_cgent t = c->map.ent[i];

		c->map.ent[i] = c->map.ent[i - 1];
		c->map.ent[i - 1] = t;
	}
	return true;
}

/**
 * mt_cgnames_path() - the path of cgroup @id, or NULL if there is none
 *
 * A new id is looked up by its file handle (mt_cgid_path()); where that
 * cannot be, the map is walked again, so that a cgroup created since
 * resolves.  An id of a cgroup removed meanwhile is remembered (the latest
 * MT_CGNAMES_GONE of them; ids are not used again), so a storm of events
 * of a removed cgroup costs one lookup, not one per event.  The path is
 * @c's until it is freed.
 */
const char *mt_cgnames_path(struct mt_cgnames *c, uint64_t id)
{
	const char *path = mt_cgmap_path(&c->map, id);

	if (path || cgnames_gone(c, id))
		return path;
	if (cgnames_by_handle(c, id))
		return mt_cgmap_path(&c->map, id);
	mt_cgmap_free(&c->map);
	c->walks++;
	if (mt_cgmap_load(&c->map, c->root))
		return NULL;	/* not found for sure: not remembered */
	path = mt_cgmap_path(&c->map, id);
	if (!path)
		cgnames_forget(c, id);
	return path;
}

/**
 * mt_cgnames_ids() - look up at once the @n ids of @ids not yet known
 *
 * As mt_cgnames_path() would for each, but the map is sorted once: the
 * paths are then mt_cgmap_path(&@c->map, id).  A walk (where file handles
 * cannot be used) makes a new map: paths taken from the old one are gone.
 *
 * Return: 0 or a negative errno.
 */
int mt_cgnames_ids(struct mt_cgnames *c, const uint64_t *ids, size_t n)
{
	size_t i, sorted = c->map.nr;
	struct mt_cgmap known;

	for (i = 0; i < n; i++) {
		known = (struct mt_cgmap){ .ent = c->map.ent, .nr = sorted };
		if (mt_cgmap_path(&known, ids[i]) || cgnames_gone(c, ids[i]) ||
		    cgnames_handle_add(c, ids[i]))
			continue;
		mt_cgmap_free(&c->map);
		c->walks++;
		return mt_cgmap_load(&c->map, c->root);
	}
	qsort(c->map.ent, c->map.nr, sizeof(*c->map.ent), cgent_cmp);
	return 0;
}

static int id_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Forget the paths of the @n cgroups @ids (sorted), removed: a reader that
 * runs for long keeps only the paths of the cgroups that are there.
 */
void mt_cgnames_drop(struct mt_cgnames *c, const uint64_t *ids, size_t n)
{
	size_t i, k = 0;

	for (i = 0; n && i < c->map.nr; i++) {
		if (bsearch(&c->map.ent[i].id, ids, n, sizeof(*ids), id_cmp))
			free(c->map.ent[i].path);
		else
			c->map.ent[k++] = c->map.ent[i];
	}
	if (n)
		c->map.nr = k;
}

void mt_cgnames_free(struct mt_cgnames *c)
{
	mt_cgmap_free(&c->map);
	if (c->mnt > 0)
		close(c->mnt - 1);
	c->mnt = 0;
}

/**
 * mt_cgpath_id() - the id of the cgroup at @path ("/a/b") below @root
 *
 * Return: 0, -ENOENT if @path is no cgroup directory, or another negative
 * errno.
 */
int mt_cgpath_id(const char *root, const char *path, uint64_t *id)
{
	struct stat rst, st;
	char full[PATH_MAX];

	if (snprintf(full, sizeof(full), "%s%s", root, path) >=
	    (int)sizeof(full))
		return -ENAMETOOLONG;
	if (stat(*root ? root : "/", &rst) || stat(full, &st))
		return errno == ENOTDIR ? -ENOENT : -errno;
	/* only directories of the cgroup2 file system itself are cgroups */
	if (!S_ISDIR(st.st_mode) || st.st_dev != rst.st_dev)
		return -ENOENT;
	*id = st.st_ino;
	return 0;
}

/**
 * mt_cgpath_canon() - @path below @root as the kernel resolves it
 * @root: the cgroup2 mount
 * @path: "/a/b", "a//b/", "/a/../a/b"...
 * @buf: "/a/b"; "/" for the root
 * @len: its size
 *
 * Return: 0, or -1 with errno set (ENOENT: no such directory; EXDEV: it
 * resolves to outside @root).
 */
int mt_cgpath_canon(const char *root, const char *path, char *buf,
		    size_t len)
{
	char full[PATH_MAX], real[PATH_MAX], rroot[PATH_MAX];
	size_t n;

	if (snprintf(full, sizeof(full), "%s/%s", root, path) >=
	    (int)sizeof(full)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (!realpath(*root ? root : "/", rroot) || !realpath(full, real))
		return -1;
	n = strcmp(rroot, "/") ? strlen(rroot) : 0;
	if (strncmp(real, rroot, n) || (real[n] && real[n] != '/')) {
		errno = EXDEV;
		return -1;
	}
	if (snprintf(buf, len, "%s", real[n] ? real + n : "/") >= (int)len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/*
 * Whether @path is @prefix or below it, component by component: "/a"
 * covers "/a" and "/a/b" but not "/ab"; "/" covers every path.
 */
bool mt_path_has_prefix(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	while (n && prefix[n - 1] == '/')
		n--;
	return !strncmp(path, prefix, n) && (path[n] == '\0' || path[n] == '/');
}

/* '/' sorts before any other character, so children follow their parent. */
static int path_rank(char c)
{
	if (c == '/')
		return 1;
	return c ? (unsigned char)c + 1 : 0;
}

/* Tree order of two paths; an unknown (NULL) path sorts last. */
int mt_path_cmp(const char *a, const char *b)
{
	if (!a || !b)
		return !a - !b;
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return path_rank(*a) - path_rank(*b);
}
