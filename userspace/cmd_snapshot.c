// SPDX-License-Identifier: GPL-2.0
/*
 * memtally snapshot: everything a report needs, in one file: the module's
 * numbers and the /proc, cgroup and KSM files, as they read.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <json.h>

#include "cli.h"
#include "cmds.h"
#include "ksmfs.h"
#include "damonnl.h"
#include "format.h"
#include "nl.h"
#include "snapfile.h"
#include "sources.h"

static const char snapshot_usage[] =
"Usage: memtally snapshot -o FILE [-j]\n"
"\n"
"Save everything a report needs in one JSON file: the module's status,\n"
"every tracked cgroup with every counter and histogram, the node rows,\n"
"the KSM and DAMON numbers, and as they read /proc/meminfo, /proc/vmstat,\n"
"/proc/swaps, /proc/cgroups, /proc/pressure/*, each cgroup's memory.stat,\n"
"memory.current, memory.events and memory.pressure, /sys/kernel/mm/ksm and\n"
"each process's status, comm, cmdline, cgroup, ksm_merging_pages,\n"
"ksm_stat, smaps_rollup and smaps (for memtally smem, report and ksm\n"
"--from).  Files the host lacks are null, as are another user's when not\n"
"run as root.  Without the module the files are saved all the same, with\n"
"\"module\": null, and a line on standard error says so (exit code 0).\n"
"Without cgroup2 (a cgroup v1 host) \"cgroup_root\" is null and the module\n"
"and the cgroups' files are left out, which a line on standard error says.\n"
"FILE is replaced at once (a temporary file beside it is renamed over it).\n"
"Compare two snapshots with memtally diff.\n"
"\n"
"Options:\n"
"  -o, --output FILE  write FILE; - for standard output\n"
"  -j, --json         changes nothing: the snapshot is JSON either way\n"
"  -h, --help         show this help\n";

/* The files of the host, then those of each cgroup */
static const char *const proc_files[] = {
	"/proc/meminfo", "/proc/vmstat", "/proc/swaps", "/proc/cgroups",
	"/proc/pressure/memory", "/proc/pressure/cpu", "/proc/pressure/io",
};

static const char *const cgroup_files[] = {
	"memory.stat", "memory.current", "memory.events", "memory.pressure",
};

struct snapshot_opts {
	bool help;
	const char *output;
};

/* Return: 0, or MT_EXIT_USAGE after reporting the error. */
static int snapshot_parse(int argc, char **argv, struct snapshot_opts *o)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "json",   no_argument,       NULL, 'j' },
		{ "help",   no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;	/* glibc: rescan from argv[1], forgetting earlier calls */
	while ((c = getopt_long(argc, argv, ":o:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->output = optarg;
			break;
		case 'j':	/* as every command takes it; JSON anyway */
			break;
		case 'h':
			o->help = true;
			break;
		default:
			return mt_getopt_err("snapshot", c, argv);
		}
	}
	if (optind < argc)
		return mt_usage_err("snapshot: unexpected argument '%s'",
				    argv[optind]);
	if (!o->help && (!o->output || !o->output[0]))
		return mt_usage_err("snapshot: -o FILE is required");
	return 0;
}

/* All of @path into a new string.  Return: it, or NULL with errno set. */
static char *read_all(const char *path)
{
	size_t len = 0, cap = 0;
	char *buf = NULL, *nb;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	do {
		if (cap - len < 4096) {
			nb = realloc(buf, cap = cap ? 2 * cap : 8192);
			if (!nb)
				goto fail;
			buf = nb;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		len += n;
	} while (n);
	close(fd);
	buf[len] = '\0';
	return buf;
fail:
	n = errno;
	close(fd);
	free(buf);
	errno = n;
	return NULL;
}

/* A host or kernel without it (no PSI, no KSM, a cgroup gone meanwhile) */
static bool absent(int err)
{
	return err == ENOENT || err == ENOTDIR || err == ENODEV ||
	       err == EOPNOTSUPP || err == ENXIO;
}

/* @path into @files: its contents, or null if absent.  Return: 0 or -1. */
static int add_file(struct json_object *files, const char *path)
{
	char *s = read_all(path);

	if (!s && !absent(errno)) {
		mt_err("%s: %s", path, strerror(errno));
		return -1;
	}
	json_object_object_add(files, path,
			       s ? json_object_new_string(s) : NULL);
	free(s);
	return 0;
}

/* Every file of @dir, by name; none if there is no such directory */
static int add_dir(struct json_object *files, const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(dir);
	int ret = 0;

	if (!d && absent(errno))
		return 0;
	if (!d) {
		mt_err("%s: %s", dir, strerror(errno));
		return -1;
	}
	while (!ret && (de = readdir(d)))
		if (de->d_type == DT_REG) {
			if (snprintf(path, sizeof(path), "%s/%s", dir,
				     de->d_name) < (int)sizeof(path))
				ret = add_file(files, path);
		}
	closedir(d);
	return ret;
}

/* The memory files of every cgroup below @root */
static int add_cgroups(struct json_object *files, const char *root)
{
	char path[PATH_MAX];
	struct mt_cgmap map;
	size_t i, f;
	int err = mt_cgmap_load(&map, root);

	if (err) {
		mt_err("%s: %s", root, strerror(-err));
		return -1;
	}
	for (i = 0; !err && i < map.nr; i++)
		for (f = 0; !err && f < sizeof(cgroup_files) /
					sizeof(cgroup_files[0]); f++) {
			/* the root cgroup's path is "/" */
			if (snprintf(path, sizeof(path), "%s%s/%s", root,
				     strcmp(map.ent[i].path, "/") ?
				     map.ent[i].path : "", cgroup_files[f]) <
			    (int)sizeof(path))
				err = add_file(files, path);
		}
	mt_cgmap_free(&map);
	return err;
}

/*
 * /proc/PID/cmdline with the NULs between its arguments as spaces (a JSON
 * string would end at the first).  Return: it, or NULL with errno set.
 */
static char *read_cmdline(const char *path)
{
	char *buf = malloc(4097);
	ssize_t n, i;
	int fd;

	if (!buf)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, buf, 4096);
	i = errno;
	if (fd >= 0)
		close(fd);
	if (n < 0) {
		free(buf);
		errno = i;
		return NULL;
	}
	while (n && !buf[n - 1])
		n--;
	for (i = 0; i < n; i++)
		if (!buf[i])
			buf[i] = ' ';
	buf[n] = '\0';
	return buf;
}

/* A process gone meanwhile, or one of another user's */
static bool proc_absent(int err)
{
	return absent(err) || err == ESRCH || err == EACCES || err == EPERM;
}

/* The files of every process: what smem and a report's top list read */
static int add_procs(struct json_object *files, bool maps)
{
	static const char *const names[] = {
		"status", "comm", "cmdline", "cgroup", "ksm_merging_pages",
		"ksm_stat", "smaps_rollup", "smaps",
	};
	size_t nr = sizeof(names) / sizeof(names[0]) - !maps, i;
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir("/proc");
	int ret = 0;

	if (!d) {
		mt_err("/proc: %s", strerror(errno));
		return -1;
	}
	while (!ret && (de = readdir(d))) {
		if (de->d_name[strspn(de->d_name, "0123456789")] ||
		    !de->d_name[0])
			continue;
		for (i = 0; !ret && i < nr; i++) {
			char *s;

			snprintf(path, sizeof(path), "/proc/%s/%s",
				 de->d_name, names[i]);
			s = strcmp(names[i], "cmdline") ? read_all(path) :
			    read_cmdline(path);
			if (!s && !proc_absent(errno)) {
				mt_err("%s: %s", path, strerror(errno));
				ret = -1;
			}
			json_object_object_add(files, path, s ?
					       json_object_new_string(s) :
					       NULL);
			free(s);
		}
	}
	closedir(d);
	return ret;
}

/* @root: of cgroup2, NULL without it */
static struct json_object *files_read(const char *root, unsigned int what)
{
	struct json_object *files = json_object_new_object();
	size_t i;
	int err = 0;

	for (i = 0; !err && (what & MT_TAKE_SYSTEM) &&
		    i < sizeof(proc_files) / sizeof(proc_files[0]); i++)
		err = add_file(files, proc_files[i]);
	if (!err && (what & MT_TAKE_SYSTEM) && root)
		err = add_cgroups(files, root);
	if (!err && (what & MT_TAKE_SYSTEM))
		err = add_dir(files, mt_ksm_dir());
	if (!err && (what & MT_TAKE_PROCS))
		err = add_procs(files, what & MT_TAKE_MAPS);
	if (err) {
		json_object_put(files);
		return NULL;
	}
	return files;
}

/*
 * The DAMON binding's working set samples and region ring, for wss and
 * heatmap from a snapshot.  A part that cannot be read (the binding went
 * meanwhile) is left out: it says so, the rest is worth having.
 */
static void damon_read(struct mt_wss_list *wss, struct mt_regions *regions,
		       struct mt_snap_in *in)
{
	struct mt_nl nl;
	int err;

	if (mt_nl_open(&nl))
		return;
	err = mt_nl_damon_wss(&nl, NULL, wss);
	if (err)
		mt_nl_report(&nl, "reading the working set samples", err);
	else
		in->wss = wss;
	err = mt_nl_damon_regions(&nl, regions);
	if (err)
		mt_nl_report(&nl, "reading the DAMON regions", err);
	else
		in->regions = regions;
	mt_nl_close(&nl);
}

/**
 * mt_snapshot_take() - read what @what names into a snapshot, here and now
 * @what: MT_TAKE_* flags
 *
 * Without the module (with MT_TAKE_MODULE) a line on standard error says
 * so and "module" is null: the files are worth having all the same.
 *
 * Return: the snapshot (see mt_snap_json()), or NULL after printing why.
 */
struct json_object *mt_snapshot_take(unsigned int what)
{
	struct mt_snap_in in = { 0 };
	struct json_object *snap = NULL;
	struct mt_wss_list wss = { 0 };
	struct mt_regions regions = { 0 };
	struct mt_sources s = { 0 };
	char root[PATH_MAX];
	struct utsname uts;
	bool v1, v2;
	int err = mt_cli_cgroot_find(root, sizeof(root), &v1);

	if (err && err != -ENOENT) {
		mt_err("cannot find the cgroup2 mount: %s", strerror(-err));
		return NULL;
	}
	/*
	 * Without cgroup2 (a cgroup v1 host) what /proc gives: the module's
	 * cgroups have no path, and no cgroup has memory.* files of cgroup2.
	 */
	v2 = !err;
	err = 0;
	if (!v2 && (what & MT_TAKE_MODULE)) {
		mt_err("no cgroup2 file system is mounted%s: the module's numbers and the cgroups' files are left out",
		       v1 ? ", only cgroup v1 hierarchies" : "");
		what &= ~MT_TAKE_MODULE;
	}
	/* the module first: its cgroups' files then are there too */
	if (what & MT_TAKE_MODULE) {
		err = mt_sources_read(&s, NULL, NULL);
		if (err == -ENOENT)
			err = 0;	/* said */
		else if (!err)
			in.mod = &s.p;
	}
	if (in.mod && s.p.damon && s.damon.b.bound)
		damon_read(&wss, &regions, &in);
	uname(&uts);
	in.uts = &uts;
	in.cgroot = v2 ? root : NULL;
	in.time_ns = mt_now_ns(CLOCK_REALTIME);
	in.boottime_ns = mt_now_ns(CLOCK_BOOTTIME);
	in.page_size = sysconf(_SC_PAGESIZE);
	if (!err)
		in.files = files_read(v2 ? root : NULL, what);
	if (in.files)
		snap = mt_snap_json(&in);
	if (what & MT_TAKE_MODULE)
		mt_sources_free(&s);
	mt_wss_list_free(&wss);
	mt_regions_free(&regions);
	return snap;
}

/**
 * mt_snap_take() - mt_snapshot_take(), decoded as a snapshot file would be
 * @what: MT_TAKE_* flags
 * @s: filled in; mt_snap_free() it
 *
 * Return: 0, or -1 after printing why.
 */
int mt_snap_take(unsigned int what, struct mt_snap *s)
{
	struct json_object *root = mt_snapshot_take(what);
	char why[256];

	if (!root)
		return -1;
	if (mt_snap_adopt(root, s, why, sizeof(why))) {
		mt_err("snapshot: %s", why);
		return -1;
	}
	return 0;
}

int cmd_snapshot(int argc, char **argv, bool json)
{
	struct snapshot_opts o = { 0 };
	struct json_object *snap;
	int err;

	(void)json;	/* a snapshot is JSON anyway */
	if (snapshot_parse(argc, argv, &o))
		return MT_EXIT_USAGE;
	if (o.help) {
		fputs(snapshot_usage, stdout);
		return MT_EXIT_OK;
	}
	snap = mt_snapshot_take(MT_TAKE_ALL);
	if (!snap)
		return MT_EXIT_RUNTIME;
	err = mt_write_output(o.output, mt_json_writer, snap);
	json_object_put(snap);
	return err ? MT_EXIT_RUNTIME : MT_EXIT_OK;
}
