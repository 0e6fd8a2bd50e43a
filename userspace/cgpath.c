// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: cgroup paths.  The id of a cgroup v2 cgroup is the inode number
 * of its directory, so ids map to paths by walking the cgroup2 mount, and a
 * path maps to an id by stat().  Paths are relative to the mount: "/",
 * "/a/b".  A root is kept without trailing slashes, "/" as "".
 */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* nftw() passes no argument to its callback: the walk in progress. */
static struct {
	struct mt_cgmap *map;
	size_t cap;
	size_t rootlen;
} walk;

static int walk_dir(const char *fpath, const struct stat *st, int type,
		    struct FTW *ftw)
{
	const char *rel = fpath + walk.rootlen;
	struct mt_cgmap *map = walk.map;
	struct mt_cgent *ent;

	(void)ftw;
	/* unreadable directories are still cgroups */
	if (type != FTW_D && type != FTW_DNR)
		return 0;
	if (map->nr == walk.cap) {
		walk.cap = walk.cap ? 2 * walk.cap : 64;
		ent = realloc(map->ent, walk.cap * sizeof(*ent));
		if (!ent)
			return -ENOMEM;
		map->ent = ent;
	}
	ent = &map->ent[map->nr];
	ent->id = st->st_ino;
	ent->path = strdup(*rel ? rel : "/");
	if (!ent->path)
		return -ENOMEM;
	map->nr++;
	return 0;
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
	int ret;

	map->ent = NULL;
	map->nr = 0;
	walk.map = map;
	walk.cap = 0;
	walk.rootlen = strlen(root);
	/* stay on the cgroup2 file system, do not follow symlinks */
	ret = nftw(*root ? root : "/", walk_dir, 16, FTW_PHYS | FTW_MOUNT);
	if (ret) {
		ret = ret == -1 ? -errno : ret;
		mt_cgmap_free(map);
		return ret;
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
	map->ent = NULL;
	map->nr = 0;
}

static bool cgnames_gone(const struct mt_cgnames *c, uint64_t id)
{
	size_t i;

	for (i = 0; i < c->ngone; i++)
		if (c->gone[i] == id)
			return true;
	return false;
}

/**
 * mt_cgnames_path() - the path of cgroup @id, or NULL if there is none
 *
 * The map is loaded for an id new to it, so that a cgroup created since
 * resolves.  An id that walk does not find either is of a cgroup removed
 * meanwhile: ids are not used again, so it is remembered (the latest
 * MT_CGNAMES_GONE of them), and a storm of events of a removed cgroup
 * walks cgroupfs once, not once per event.  The path is @c's until the
 * next call.
 */
const char *mt_cgnames_path(struct mt_cgnames *c, uint64_t id)
{
	const char *path = mt_cgmap_path(&c->map, id);

	if (path || cgnames_gone(c, id))
		return path;
	mt_cgmap_free(&c->map);
	c->walks++;
	if (mt_cgmap_load(&c->map, c->root))
		return NULL;	/* not found for sure: not remembered */
	path = mt_cgmap_path(&c->map, id);
	if (!path) {
		c->gone[c->next] = id;
		c->next = (c->next + 1) % MT_CGNAMES_GONE;
		if (c->ngone < MT_CGNAMES_GONE)
			c->ngone++;
	}
	return path;
}

void mt_cgnames_free(struct mt_cgnames *c)
{
	mt_cgmap_free(&c->map);
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
