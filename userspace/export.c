// SPDX-License-Identifier: GPL-2.0
/*
 * memtally export: every number of the module in Prometheus text, for
 * node_exporter's textfile collector, written so that the collector never
 * reads half a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <json.h>

#include "cli.h"
#include "damonnl.h"
#include "ksm.h"
#include "nl.h"
#include "prom.h"
#include "sources.h"

static const char export_usage[] =
"Usage: memtally export --prometheus FILE [-j]\n"
"\n"
"Write the counters of every tracked cgroup, their stall histograms, the\n"
"node rows, the module's status and hooks, KSM's numbers and, while a\n"
"DAMON context is bound, its bytes per cgroup, in Prometheus' text format.\n"
"FILE is replaced at once (a temporary file beside it is renamed over it),\n"
"so node_exporter's textfile collector reads the old or the new numbers,\n"
"never a part.  If anything cannot be read (the module is not loaded,\n"
"permission denied, no cgroup2, a netlink error), FILE holds only\n"
"memtally_up 0 after a comment \"# memtally export failed: \" with the\n"
"error line, and the exit code is 1.\n"
"\n"
"Options:\n"
"      --prometheus FILE  write FILE, such as\n"
"                         /var/lib/prometheus/node-exporter/memtally.prom;\n"
"                         - for standard output\n"
"  -j, --json             print what was written as one JSON object\n"
"  -h, --help             show this help\n";

enum { OPT_PROMETHEUS = 256 };

/* Return: 0, or MT_EXIT_USAGE after reporting the error. */
int export_parse(int argc, char **argv, struct export_opts *o)
{
	static const struct option longopts[] = {
		{ "prometheus", required_argument, NULL, OPT_PROMETHEUS },
		{ "json",       no_argument,       NULL, 'j' },
		{ "help",       no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;	/* glibc: rescan from argv[1], forgetting earlier calls */
	while ((c = getopt_long(argc, argv, ":jh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_PROMETHEUS:
			o->prometheus = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			o->help = true;
			break;
		default:
			return mt_getopt_err("export", c, argv);
		}
	}
	if (optind < argc)
		return mt_usage_err("export: unexpected argument '%s'",
				    argv[optind]);
	if (o->help)
		return 0;
	if (!o->prometheus || !o->prometheus[0])
		return mt_usage_err("export: --prometheus FILE is required");
	if (o->json && !strcmp(o->prometheus, "-"))
		return mt_usage_err("export: --json and --prometheus - both write to standard output");
	return 0;
}

/* 0 or a positive errno: @f's data on disk, readable by node_exporter */
static int file_finish(FILE *f)
{
	int fd = fileno(f);

	errno = 0;
	if (fflush(f) || ferror(f))
		return errno ? errno : EIO;
	if (fsync(fd) || fchmod(fd, 0644))
		return errno;
	return 0;
}

/* Best effort: the rename on disk too, not only the data */
static void dir_sync(const char *path)
{
	char *dir = strdup(path), *slash;
	int fd;

	if (!dir)
		return;
	slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir] = '\0';	/* "/f" is in "/" */
	fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/**
 * mt_write_atomic() - write @path with @write, all of it or nothing
 *
 * @write writes into PATH.XXXXXX, a new file beside @path (so on the same
 * file system, and not *.prom, which node_exporter would read), which is
 * synced, made 0644 and renamed over @path.  On any error the temporary
 * file is removed and @path stays as it was.  Prints the error.
 *
 * Return: 0 or -1.
 */
int mt_write_atomic(const char *path, mt_writer_t write, const void *arg)
{
	static const char suffix[] = ".XXXXXX";
	size_t len = strlen(path);
	char *tmp = malloc(len + sizeof(suffix));
	FILE *f;
	int fd, err;

	if (!tmp) {
		mt_err("out of memory");
		return -1;
	}
	memcpy(tmp, path, len);
	memcpy(tmp + len, suffix, sizeof(suffix));
	fd = mkstemp(tmp);
	if (fd < 0) {
		mt_err("writing %s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	f = fdopen(fd, "w");
	if (!f) {
		err = errno;
		close(fd);
	} else {
		write(f, arg);
		err = file_finish(f);
		if (fclose(f) && !err)
			err = errno;
	}
	if (!err && rename(tmp, path))
		err = errno;
	if (err) {
		unlink(tmp);
		mt_err("writing %s: %s", path, strerror(err));
	} else {
		dir_sync(path);
	}
	free(tmp);
	return err ? -1 : 0;
}

static void prom_writer(FILE *f, const void *arg)
{
	mt_prom_write(f, arg);
}

/* @path, or standard output for "-".  Prints the error.  Return: 0 or -1. */
int mt_write_output(const char *path, mt_writer_t write, const void *arg)
{
	if (strcmp(path, "-"))
		return mt_write_atomic(path, write, arg);
	write(stdout, arg);
	if (!fflush(stdout) && !ferror(stdout))
		return 0;
	mt_err("write error: %s", strerror(errno ? errno : EIO));
	return -1;
}

static int prom_output(const char *path, const struct mt_prom *p)
{
	return mt_write_output(path, prom_writer, p);
}

/*
 * A request an older module may not know (genetlink: -EOPNOTSUPP): then
 * its part is left out.  Prints the error.  Return: 0, 1 if left out, -1.
 */
static int optional(struct mt_nl *nl, int err, const char *what)
{
	if (err == -EOPNOTSUPP)
		return 1;
	if (err)
		mt_nl_report(nl, what, err);
	return err ? -1 : 0;
}

/* /sys/kernel/mm/ksm, if the kernel has KSM.  Prints the error. */
static int ksm_sys_load(struct mt_sources *s)
{
	const char *dir = mt_ksm_dir();
	struct stat sb;

	if (stat(dir, &sb)) {
		if (errno == ENOENT)
			return 0;	/* no CONFIG_KSM */
		mt_err("%s: %s", dir, strerror(errno));
		return -1;
	}
	if (mt_ksm_read(dir, &s->ksm_sys))
		return -1;
	s->p.ksm_sys = &s->ksm_sys;
	s->p.page_size = sysconf(_SC_PAGESIZE);
	return 0;
}

/* The rest, once the status came.  Prints the error.  Return: 0 or -1. */
static int sources_load(struct mt_sources *s, struct mt_nl *nl)
{
	char root[PATH_MAX];
	int ret;

	if (mt_cli_cgroot(root, sizeof(root)) ||
	    mt_cli_cgroups(nl, NULL, 0, &s->cgroups) ||
	    mt_cli_paths(&s->map, root, s->cgroups.v, s->cgroups.nr))
		return -1;
	mt_cgroups_sort(s->cgroups.v, s->cgroups.nr, MT_SORT_PATH);
	s->p.cgroups = s->cgroups.v;
	s->p.nr_cgroups = s->cgroups.nr;
	ret = optional(nl, mt_nl_nodes(nl, &s->nodes), "reading nodes");
	if (ret < 0)
		return -1;
	mt_cgroups_sort(s->nodes.v, s->nodes.nr, MT_SORT_ID);
	s->p.nodes = s->nodes.v;
	s->p.nr_nodes = s->nodes.nr;
	ret = optional(nl, mt_nl_ksm(nl, &s->ksm), "reading the KSM numbers");
	if (ret < 0)
		return -1;
	s->p.ksm = ret ? NULL : &s->ksm;
	ret = optional(nl, mt_nl_damon_get(nl, &s->damon),
		       "reading the DAMON binding");
	if (ret < 0)
		return -1;
	s->p.damon = ret ? NULL : &s->damon;
	return ksm_sys_load(s);
}

void mt_sources_free(struct mt_sources *s)
{
	mt_status_free(&s->st);
	mt_rows_free(&s->cgroups);
	mt_rows_free(&s->nodes);
	mt_cgmap_free(&s->map);
	mt_damon_info_free(&s->damon);
}

/* {"file":F,"up":B,"cgroups":N,"nodes":N}: what export wrote */
static int json_report(const char *path, const struct mt_prom *p)
{
	struct json_object *o = json_object_new_object();
	size_t i, n = 0;

	for (i = 0; i < p->nr_cgroups; i++)
		n += !!p->cgroups[i].path;
	json_object_object_add(o, "file", json_object_new_string(path));
	json_object_object_add(o, "up", json_object_new_boolean(p->st != NULL));
	json_object_object_add(o, "cgroups", json_object_new_uint64(n));
	json_object_object_add(o, "nodes",
			       json_object_new_uint64(p->nr_nodes));
	if (!mt_json_print(stdout, o))
		return 0;
	mt_err("out of memory");
	return -1;
}

/**
 * mt_sources_load() - mt_sources_read() through @nl, open
 *
 * Return: 0 or -1.
 */
int mt_sources_load(struct mt_sources *s, struct mt_nl *nl)
{
	int err;

	memset(s, 0, sizeof(*s));
	err = mt_nl_status(nl, &s->st);
	if (err) {
		mt_nl_report(nl, "reading the status", err);
		return -1;
	}
	s->p.st = &s->st;
	return sources_load(s, nl) ? -1 : 0;
}

/**
 * mt_sources_read() - the status, cgroups, nodes, KSM and DAMON numbers
 *
 * What an older module does not know is left out (NULL in @s->p), as is
 * KSM's sysfs on a kernel without KSM.  Prints the error; without the
 * module, the one line that says so.  Free @s with mt_sources_free() in
 * any case.
 *
 * Return: 0, -ENOENT if the module is not loaded, or -1.
 */
int mt_sources_read(struct mt_sources *s)
{
	struct mt_nl nl;
	int err;

	memset(s, 0, sizeof(*s));
	err = mt_nl_open_errno(&nl);
	if (err)
		return err == -ENOENT ? err : -1;
	err = mt_sources_load(s, &nl);
	mt_nl_close(&nl);
	return err;
}

/**
 * mt_export_write() - write what mt_sources_read() (returning @err) read
 *
 * After any failure to read (@err non-zero), the file holds memtally_up 0
 * and, in a comment, the error line already printed: never an older
 * memtally_up 1.  Frees @s.
 *
 * Return: the exit code, MT_EXIT_RUNTIME after a failure to read.
 */
int mt_export_write(const struct export_opts *o, struct mt_sources *s, int err)
{
	int ret;

	if (err)
		s->p = (struct mt_prom){ .error = mt_err_last() };
	ret = prom_output(o->prometheus, &s->p);
	if (!ret && o->json)
		ret = json_report(o->prometheus, &s->p);
	mt_sources_free(s);
	return err || ret ? MT_EXIT_RUNTIME : MT_EXIT_OK;
}

int cmd_export(int argc, char **argv, bool json)
{
	struct export_opts o = { .json = json };
	struct mt_sources s;

	if (export_parse(argc, argv, &o))
		return MT_EXIT_USAGE;
	if (o.help) {
		fputs(export_usage, stdout);
		return MT_EXIT_OK;
	}
	return mt_export_write(&o, &s, mt_sources_read(&s));
}
