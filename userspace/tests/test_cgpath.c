// SPDX-License-Identifier: GPL-2.0
/* cgroup paths against a directory tree standing in for a cgroup2 mount. */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <json.h>

#include "cgpath.h"
#include "test.h"

static char tree[] = "/tmp/memtally-test.XXXXXX";

static uint64_t ino(const char *rel)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s%s", tree, rel);
	return stat(path, &st) ? 0 : st.st_ino;
}

/* tree/{a/b/c,ab}, a regular file f and a symlink l -> a */
static bool make_tree(void)
{
	static const char *const dirs[] = { "/a", "/a/b", "/a/b/c", "/ab" };
	char path[PATH_MAX];
	size_t i;
	FILE *f;

	if (!mkdtemp(tree))
		return false;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", tree, dirs[i]);
		if (mkdir(path, 0755))
			return false;
	}
	snprintf(path, sizeof(path), "%s/f", tree);
	f = fopen(path, "w");
	if (!f)
		return false;
	fclose(f);
	snprintf(path, sizeof(path), "%s/l", tree);
	return symlink("a", path) == 0;
}

static void tree_made(void)
{
	CHECK(make_tree());
}

static int remove_one(const char *path, const struct stat *st, int type,
		      struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

/* What a host with cgroup v1 hierarchies only, no cgroup2, mounts */
static const char v1_mounts[] =
	"proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"
	"tmpfs /sys/fs/cgroup tmpfs ro,nosuid,nodev,noexec,mode=755 0 0\n"
	"cgroup /sys/fs/cgroup/systemd cgroup rw,nosuid,nodev,noexec,relatime,xattr,name=systemd 0 0\n"
	"cgroup /sys/fs/cgroup/memory cgroup rw,nosuid,nodev,noexec,relatime,memory 0 0\n";

static bool write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	bool ok = f && fputs(text, f) >= 0;

	if (f && fclose(f))
		ok = false;
	return ok;
}

static void cgroot_env(void)
{
	char root[PATH_MAX], env[PATH_MAX];

	snprintf(env, sizeof(env), "%s//", tree);
	setenv("MEMTALLY_CGROUP_ROOT", env, 1);
	CHECK(mt_cgroot("/nonexistent", root, sizeof(root), NULL) == 0);
	CHECK_STR(root, tree);
	CHECK(mt_cgroot("/nonexistent", root, 4, NULL) == -ENAMETOOLONG);
	unsetenv("MEMTALLY_CGROUP_ROOT");
}

static void cgroot_mtab(void)
{
	char mtab[PATH_MAX], root[PATH_MAX];
	bool v1;
	FILE *f;

	snprintf(mtab, sizeof(mtab), "%s/mtab", tree);
	f = fopen(mtab, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fputs("proc /proc proc rw,nosuid 0 0\n"
	      "cgroup /sys/fs/cgroup/cpu cgroup rw,cpu 0 0\n"
	      "cgroup2 /sys/fs/cgroup/unified cgroup2 rw,nsdelegate 0 0\n"
	      "cgroup2 /mnt/other cgroup2 rw 0 0\n", f);
	fclose(f);
	CHECK(mt_cgroot(mtab, root, sizeof(root), NULL) == 0);
	CHECK_STR(root, "/sys/fs/cgroup/unified");
	/* a hybrid host */
	CHECK(mt_cgroot(mtab, root, sizeof(root), &v1) == 0);
	CHECK_STR(root, "/sys/fs/cgroup/unified");
	CHECK(v1);

	f = fopen(mtab, "w");
	fputs("cgroup2 / cgroup2 rw 0 0\n", f);
	fclose(f);
	CHECK(mt_cgroot(mtab, root, sizeof(root), &v1) == 0);
	CHECK_STR(root, "");
	CHECK(!v1);

	/* cgroup v1 only */
	CHECK(write_file(mtab, v1_mounts));
	CHECK(mt_cgroot(mtab, root, sizeof(root), &v1) == -ENOENT);
	CHECK(v1);

	f = fopen(mtab, "w");
	fputs("proc /proc proc rw 0 0\n", f);
	fclose(f);
	CHECK(mt_cgroot(mtab, root, sizeof(root), &v1) == -ENOENT);
	CHECK(!v1);
	remove(mtab);
	CHECK(mt_cgroot(mtab, root, sizeof(root), NULL) == -ENOENT);
}

static void cgmap_tree(void)
{
	static const char *const paths[] = { "/", "/a", "/a/b", "/a/b/c", "/ab" };
	struct mt_cgmap map;
	size_t i;

	CHECK(mt_cgmap_load(&map, tree) == 0);
	CHECK_U64(map.nr, 5);
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		CHECK(ino(paths[i]) != 0);
		CHECK_STR(mt_cgmap_path(&map, ino(paths[i])), paths[i]);
	}
	for (i = 1; i < map.nr; i++)
		CHECK(map.ent[i - 1].id < map.ent[i].id);
	CHECK(mt_cgmap_path(&map, ino("/f")) == NULL);
	CHECK(mt_cgmap_path(&map, 0) == NULL);
	mt_cgmap_free(&map);
	CHECK(map.nr == 0 && map.ent == NULL);

	CHECK(mt_cgmap_load(&map, "/nonexistent/memtally") == -ENOENT);
	CHECK(map.nr == 0);
}

/*
 * The paths of events' cgroups: the map is walked again for an id new to
 * it (a cgroup created since), but a storm of events of a removed cgroup
 * walks cgroupfs once, not once per event.
 */
static void cgnames_storm(void)
{
	struct mt_cgnames c = { .root = tree };
	char path[PATH_MAX];
	uint64_t id, two[2];
	int i;

	CHECK_STR(mt_cgnames_path(&c, ino("/a/b")), "/a/b");
	CHECK_STR(mt_cgnames_path(&c, ino("/ab")), "/ab");
	CHECK_U64(c.walks, 1);
	CHECK(c.mnt == -1);	/* no cgroup2 here: not opened again */
	/* a removed cgroup, event after event */
	for (i = 0; i < 1000; i++)
		CHECK(!mt_cgnames_path(&c, UINT64_MAX - 7));
	CHECK_U64(c.walks, 2);
	CHECK_STR(mt_cgnames_path(&c, ino("/a")), "/a");
	CHECK_U64(c.walks, 2);
	/* one created since the last walk */
	snprintf(path, sizeof(path), "%s/new", tree);
	CHECK(!mkdir(path, 0755));
	id = ino("/new");
	CHECK_STR(mt_cgnames_path(&c, id), "/new");
	CHECK_U64(c.walks, 3);
	CHECK(!mt_cgnames_path(&c, UINT64_MAX - 7));
	CHECK_U64(c.walks, 3);
	/* each removed cgroup once */
	for (i = 0; i < 1000; i++)
		CHECK(!mt_cgnames_path(&c, UINT64_MAX - 8 - i % 3));
	CHECK_U64(c.walks, 6);
	/* the latest MT_CGNAMES_GONE are remembered, no more */
	for (i = 0; i < MT_CGNAMES_GONE; i++)
		CHECK(!mt_cgnames_path(&c, UINT64_MAX - 100 - i));
	CHECK_U64(c.walks, 6 + MT_CGNAMES_GONE);
	CHECK(!mt_cgnames_path(&c, UINT64_MAX - 100));
	CHECK_U64(c.walks, 6 + MT_CGNAMES_GONE);
	CHECK(!mt_cgnames_path(&c, UINT64_MAX - 7));	/* forgotten */
	CHECK_U64(c.walks, 7 + MT_CGNAMES_GONE);
	rmdir(path);
	mt_cgnames_free(&c);

	/* at once: one walk finds any number of ids, then none is needed */
	c = (struct mt_cgnames){ .root = tree };
	two[0] = ino("/a");
	two[1] = ino("/a/b");
	CHECK(mt_cgnames_ids(&c, two, 2) == 0);
	CHECK_U64(c.walks, 1);
	CHECK_STR(mt_cgmap_path(&c.map, two[1]), "/a/b");
	CHECK(mt_cgnames_ids(&c, two, 2) == 0);
	CHECK_U64(c.walks, 1);
	mt_cgnames_free(&c);
}

/*
 * Ids to paths by file handle, on this host's own cgroup2 mount where it
 * lets us make cgroups (root): the path of a live cgroup, -ESTALE for one
 * removed; events' lookups walk nothing.
 */
static void cgid_handles(void)
{
	char root[PATH_MAX], dir[PATH_MAX + 32], sub[PATH_MAX + 34], buf[PATH_MAX];
	struct mt_cgnames c = { .root = root };
	uint64_t ids[3];
	struct mt_cgmap map;
	struct stat st;
	int mnt;

	if (mt_cgroot("/proc/self/mounts", root, sizeof(root), NULL)) {
		fprintf(stderr, "  skipped: no cgroup2 mount here\n");
		t_skipped_case = true;
		return;
	}
	snprintf(dir, sizeof(dir), "%s/memtally-test.%d", root, (int)getpid());
	snprintf(sub, sizeof(sub), "%s/b", dir);
	if (mkdir(dir, 0755) || mkdir(sub, 0755)) {
		fprintf(stderr, "  skipped: cannot make cgroups in %s: %s\n",
			root, strerror(errno));
		rmdir(dir);
		t_skipped_case = true;
		return;
	}
	CHECK(!stat(dir, &st));
	ids[0] = st.st_ino;
	CHECK(!stat(sub, &st));
	ids[1] = st.st_ino;
	mnt = mt_cgmount_open(root);
	CHECK(mnt >= 0);
	CHECK(mt_cgid_path(mnt, root, ids[1], buf, sizeof(buf)) == 0);
	CHECK_STR(buf, sub + strlen(root));
	CHECK(mt_cgid_path(mnt, root, ids[1], buf, 4) == -ENAMETOOLONG);
	CHECK_STR(mt_cgnames_path(&c, ids[1]), sub + strlen(root));
	CHECK(!rmdir(sub));
	CHECK(mt_cgid_path(mnt, root, ids[1], buf, sizeof(buf)) == -ESTALE);
	/* an event of the removed cgroup: known; then new ones, looked up */
	CHECK_STR(mt_cgnames_path(&c, ids[1]), sub + strlen(root));
	CHECK(!mt_cgnames_path(&c, ids[1] + 1000000));
	CHECK(!mt_cgnames_path(&c, ids[1] + 1000000));
	CHECK_STR(mt_cgnames_path(&c, ids[0]), dir + strlen(root));
	CHECK_U64(c.lookups, 3);
	CHECK_U64(c.walks, 0);
	mt_cgnames_free(&c);

	ids[2] = ids[1] + 1000000;
	/* at once, as top does for the rows without a path: no walk */
	c = (struct mt_cgnames){ .root = root };
	CHECK(mt_cgnames_ids(&c, ids, 3) == 0);
	CHECK_U64(c.map.nr, 1);
	CHECK_U64(c.lookups, 3);
	CHECK(mt_cgnames_ids(&c, ids, 3) == 0);
	CHECK_U64(c.lookups, 3);	/* known, or known removed */
	CHECK_STR(mt_cgmap_path(&c.map, ids[0]), dir + strlen(root));
	mt_cgnames_drop(&c, ids, 1);
	CHECK_U64(c.map.nr, 0);
	CHECK_U64(c.walks, 0);
	mt_cgnames_free(&c);

	CHECK(mt_cgmap_ids(&map, root, ids, 3) == 0);
	CHECK_U64(map.nr, 1);
	CHECK_STR(mt_cgmap_path(&map, ids[0]), dir + strlen(root));
	CHECK(!mt_cgmap_path(&map, ids[1]));
	mt_cgmap_free(&map);
	/* a directory standing in for cgroup2: walked */
	CHECK(mt_cgmount_open(tree) == -EOPNOTSUPP);
	CHECK(mt_cgmap_ids(&map, tree, ids, 1) == 0);
	CHECK_U64(map.nr, 5);
	mt_cgmap_free(&map);
	close(mnt);
	CHECK(!rmdir(dir));
}

static void cgpath_to_id(void)
{
	uint64_t id = 0;

	CHECK(mt_cgpath_id(tree, "/a/b", &id) == 0);
	CHECK_U64(id, ino("/a/b"));
	CHECK(mt_cgpath_id(tree, "/", &id) == 0);
	CHECK_U64(id, ino(""));
	CHECK(mt_cgpath_id(tree, "/a/b/", &id) == 0);
	CHECK_U64(id, ino("/a/b"));
	id = 42;
	CHECK(mt_cgpath_id(tree, "/nope", &id) == -ENOENT);
	CHECK(mt_cgpath_id(tree, "/f", &id) == -ENOENT);
	CHECK(mt_cgpath_id(tree, "/f/x", &id) == -ENOENT);
	CHECK_U64(id, 42);
}

/* the path a row of --cgroup P shows: P as the kernel resolves it */
static void cgpath_canonical(void)
{
	char buf[PATH_MAX];

	CHECK(mt_cgpath_canon(tree, "/a//b/", buf, sizeof(buf)) == 0);
	CHECK_STR(buf, "/a/b");
	CHECK(mt_cgpath_canon(tree, "a/./b", buf, sizeof(buf)) == 0);
	CHECK_STR(buf, "/a/b");
	CHECK(mt_cgpath_canon(tree, "/a/b/../../a", buf, sizeof(buf)) == 0);
	CHECK_STR(buf, "/a");
	CHECK(mt_cgpath_canon(tree, "/", buf, sizeof(buf)) == 0);
	CHECK_STR(buf, "/");
	CHECK(mt_cgpath_canon(tree, "/nope", buf, sizeof(buf)) == -1 &&
	      errno == ENOENT);
	CHECK(mt_cgpath_canon(tree, "/..", buf, sizeof(buf)) == -1 &&
	      errno == EXDEV);
	CHECK(mt_cgpath_canon(tree, "/a/b", buf, 3) == -1 &&
	      errno == ENAMETOOLONG);
}

static void path_prefix(void)
{
	CHECK(mt_path_has_prefix("/a", "/a"));
	CHECK(mt_path_has_prefix("/a/b", "/a"));
	CHECK(mt_path_has_prefix("/a/b", "/a/"));
	CHECK(!mt_path_has_prefix("/ab", "/a"));
	CHECK(!mt_path_has_prefix("/a", "/a/b"));
	CHECK(!mt_path_has_prefix("/b", "/a"));
	CHECK(mt_path_has_prefix("/", "/"));
	CHECK(mt_path_has_prefix("/a", "/"));
	CHECK(mt_path_has_prefix("/ab/c", "/"));
	CHECK(!mt_path_has_prefix("/", "/a"));
}

/*
 * $MEMTALLY_MOUNTS, a mount table of cgroup v1 only: smem, report and
 * snapshot run on what /proc gives; what needs cgroup2 says so in a line
 * that does not tell to mount cgroup2 over the v1 hierarchies.
 */
static void tool_cgroup_v1(void)
{
	char mtab[PATH_MAX], snap[PATH_MAX], out[1 << 16], err[4096];
	struct json_object *o, *x;

	snprintf(mtab, sizeof(mtab), "%s/mounts", tree);
	snprintf(snap, sizeof(snap), "%s/snap.json", tree);
	CHECK(write_file(mtab, v1_mounts));
	setenv("MEMTALLY_MOUNTS", mtab, 1);

	CHECK(tool(out, err, sizeof(out), ARGS("smem", "-b", "user",
					       "--json")) == 0);
	o = json_tokener_parse(out);
	CHECK(o && json_object_object_get_ex(o, "rows", NULL));
	json_object_put(o);
	CHECK(!strstr(err, "cgroup"));

	CHECK(tool(out, err, sizeof(out), ARGS("snapshot", "-o", snap)) == 0);
	CHECK(!strstr(err, "mount -t cgroup2"));
	o = json_object_from_file(snap);
	CHECK(o && json_object_object_get_ex(o, "cgroup_root", &x) && !x);
	CHECK(o && json_object_object_get_ex(o, "files", &x) &&
	      json_object_object_get_ex(x, "/proc/meminfo", NULL));
	json_object_put(o);
	unlink(snap);

	CHECK(tool(out, err, sizeof(out), ARGS("report")) == 0);
	CHECK(strstr(out, "\nMemory (/proc/meminfo)\n  total "));
	CHECK(strstr(out, "\nTop cgroups (memory.current, with descendants)\n  unavailable: no cgroup2 file system is mounted"));
	CHECK(!strstr(out, "mount -t cgroup2") && !strstr(err, "mount -t cgroup2"));

	/* a command that names cgroups: one line, what the host lacks */
	CHECK(tool(out, err, sizeof(out), ARGS("cgroups")) == 1);
	CHECK_STR(err, "memtally: no cgroup2 file system is mounted, only cgroup v1 hierarchies, whose cgroups memtally does not see (boot with systemd.unified_cgroup_hierarchy=1 for cgroup2)\n");
	/* nothing mounted there: mount cgroup2 */
	CHECK(write_file(mtab, "proc /proc proc rw 0 0\n"));
	CHECK(tool(out, err, sizeof(out), ARGS("cgroups")) == 1);
	CHECK_STR(err, "memtally: no cgroup2 file system is mounted (mount it with: mount -t cgroup2 none /sys/fs/cgroup)\n");
	unsetenv("MEMTALLY_MOUNTS");
	unlink(mtab);
}

static void path_order(void)
{
	CHECK(mt_path_cmp("/", "/a") < 0);
	CHECK(mt_path_cmp("/a", "/a/b") < 0);
	CHECK(mt_path_cmp("/a/b", "/a-b") < 0);
	CHECK(mt_path_cmp("/a/z", "/ab") < 0);
	CHECK(mt_path_cmp("/b", "/a/z") > 0);
	CHECK(mt_path_cmp("/a", "/a") == 0);
	CHECK(mt_path_cmp("/z", NULL) < 0);
	CHECK(mt_path_cmp(NULL, "/") > 0);
	CHECK(mt_path_cmp(NULL, NULL) == 0);
}

void test_cgpath(void)
{
	RUN(tree_made);
	RUN(cgroot_env);
	RUN(cgroot_mtab);
	RUN(cgmap_tree);
	RUN(cgnames_storm);
	RUN(cgid_handles);
	RUN(cgpath_to_id);
	RUN(cgpath_canonical);
	RUN(path_prefix);
	RUN(path_order);
	RUN(tool_cgroup_v1);
	nftw(tree, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}
