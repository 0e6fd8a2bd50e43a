// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: what the commands share.  Every error is one line on stderr,
 * prefixed "memtally: "; usage errors end with a pointer to --help.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/signalfd.h>

#include "cli.h"
#include "damonfs.h"
#include "damonnl.h"
#include "nl.h"

static char last_err[1024];	/* the last error line, without "memtally: " */

static void vreport(const char *hint, const char *fmt, va_list ap)
{
	va_list copy;

	va_copy(copy, ap);
	vsnprintf(last_err, sizeof(last_err), fmt, copy);
	va_end(copy);
	fputs("memtally: ", stderr);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "%s\n", hint);
}

/* What the last mt_err() said (without "memtally: "), or "" */
const char *mt_err_last(void)
{
	return last_err;
}

void mt_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
}

/* Returns MT_EXIT_USAGE, for "return mt_usage_err(...)". */
int mt_usage_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("; see memtally --help", fmt, ap);
	va_end(ap);
	return MT_EXIT_USAGE;
}

/*
 * Report what getopt_long() (optstring starting with ':') returned as
 * @c == '?' (bad option) or ':' (missing argument).  A long option has
 * already been stepped over; a bad short option is in optopt.
 */
int mt_getopt_err(const char *cmd, int c, char **argv)
{
	const char *arg = argv[optind - 1];
	const char *sep = cmd ? ": " : "";
	char name[3] = { '-', (char)optopt, '\0' };

	if (strncmp(arg, "--", 2))
		arg = name;
	if (!cmd)
		cmd = "";
	if (c == ':')
		return mt_usage_err("%s%soption '%s' needs an argument",
				    cmd, sep, arg);
	return mt_usage_err("%s%sinvalid option '%s'", cmd, sep, arg);
}

/* Options of a command that has no others: -j|--json and -h|--help */
int mt_parse_plain(const char *cmd, int argc, char **argv, bool *json,
		   bool *help)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;	/* glibc: rescan from argv[1], forgetting earlier calls */
	while ((c = getopt_long(argc, argv, ":jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			*json = true;
			break;
		case 'h':
			*help = true;
			break;
		default:
			return mt_getopt_err(cmd, c, argv);
		}
	}
	if (optind < argc)
		return mt_usage_err("%s: unexpected argument '%s'", cmd,
				    argv[optind]);
	return 0;
}

/* A decimal number, digits only.  Return: 0 or -EINVAL. */
int mt_parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return *end || errno ? -EINVAL : 0;
}

/**
 * mt_num_arg() - a number from @min to @max given on the command line
 * @cmd: the command, for the error line
 * @what: the option or argument ("--top", "INTERVAL")
 * @s: what was given
 * @min: the least it may be
 * @max: the most it may be; UINT64_MAX: no limit
 * @v: the number
 *
 * Return: 0, or MT_EXIT_USAGE after reporting "CMD: WHAT takes a number
 * from MIN to MAX, not 'S'".
 */
int mt_num_arg(const char *cmd, const char *what, const char *s,
	       uint64_t min, uint64_t max, uint64_t *v)
{
	if (!mt_parse_u64(s, v) && *v >= min && *v <= max)
		return 0;
	if (max == UINT64_MAX)
		return mt_usage_err("%s: %s takes a number from %" PRIu64
				    ", not '%s'", cmd, what, min, s);
	return mt_usage_err("%s: %s takes a number from %" PRIu64 " to %"
			    PRIu64 ", not '%s'", cmd, what, min, max, s);
}

/**
 * mt_cli_cgroot_find() - the cgroup2 root, as mt_cgroot() finds it
 * @v1: set to whether a cgroup v1 hierarchy is mounted
 *
 * The mount table is $MEMTALLY_MOUNTS (for tests), else /proc/self/mounts.
 * Return: 0, -ENOENT without cgroup2, or another negative errno.
 */
int mt_cli_cgroot_find(char *root, size_t len, bool *v1)
{
	const char *mtab = getenv("MEMTALLY_MOUNTS");

	return mt_cgroot(mtab && *mtab ? mtab : "/proc/self/mounts", root,
			 len, v1);
}

/*
 * The cgroup2 root, for the commands that name cgroups.  The module sees
 * the cgroups of cgroup2 (the default hierarchy) only; on a host that
 * mounts cgroup v1 hierarchies at /sys/fs/cgroup, mounting cgroup2 over
 * them is no advice.  Prints the error.  Return: 0 or -1.
 */
int mt_cli_cgroot(char *root, size_t len)
{
	bool v1;
	int err = mt_cli_cgroot_find(root, len, &v1);

	if (err == -ENOENT && v1)
		mt_err("no cgroup2 file system is mounted, only cgroup v1 hierarchies, whose cgroups memtally does not see (boot with systemd.unified_cgroup_hierarchy=1 for cgroup2)");
	else if (err == -ENOENT)
		mt_err("no cgroup2 file system is mounted (mount it with: mount -t cgroup2 none /sys/fs/cgroup)");
	else if (err)
		mt_err("cannot find the cgroup2 mount: %s", strerror(-err));
	return err ? -1 : 0;
}

int mt_cli_cgroup_id(const char *root, const char *path, uint64_t *id)
{
	int err = mt_cgpath_id(root, path, id);

	if (err)
		mt_err("%s: %s", path, err == -ENOENT ? "no such cgroup" :
		       strerror(-err));
	return err ? -1 : 0;
}

/* Appends to @l the rows of every tracked cgroup, or with @path of @id. */
int mt_cli_cgroups(struct mt_nl *nl, const char *path, uint64_t id,
		   struct mt_rows *l)
{
	int err = mt_nl_cgroups(nl, path ? &id : NULL, l);

	if (!err && path && !l->nr)	/* acked without a reply */
		err = -EBADMSG;
	if (err == -ENOENT && path)
		mt_err("no cgroup %s tracked by memtally", path);
	else if (err)
		mt_nl_report(nl, "reading cgroups", err);
	return err ? -1 : 0;
}

/*
 * @path below cgroup2 mount @root as the kernel resolves it ("/a//b/" ->
 * "/a/b"), into @buf of @len bytes.  Prints the error.  Return: 0 or -1.
 */
int mt_cli_cgroup_canon(const char *root, const char *path, char *buf,
			size_t len)
{
	if (!mt_cgpath_canon(root, path, buf, len))
		return 0;
	mt_err("%s: %s", path, errno == ENOENT ? "no such cgroup" :
	       strerror(errno));
	return -1;
}

/*
 * Appends to @l the rows of cgroup @path (its @id) and those below it, or
 * with an older module every cgroup's (filter them by path).
 */
int mt_cli_cgroups_below(struct mt_nl *nl, const char *path, uint64_t id,
			 struct mt_rows *l)
{
	int err = mt_nl_cgroups_below(nl, id, l);

	if (err == -ENOENT)
		mt_err("no cgroup %s tracked by memtally", path);
	else if (err)
		mt_nl_report(nl, "reading cgroups", err);
	return err ? -1 : 0;
}

/*
 * The damon-get reply into @info, for the commands that read DAMON numbers:
 * with @need_bound, that a context is bound is an error.  An older module
 * does not know the command (genetlink: -EOPNOTSUPP).
 */
int mt_cli_damon(struct mt_nl *nl, struct mt_damon_info *info, bool need_bound)
{
	int err = mt_nl_damon_get(nl, info);

	if (err == -EOPNOTSUPP)
		mt_err("the loaded memtally module has no DAMON support (load a newer one)");
	else if (err)
		mt_nl_report(nl, "reading the DAMON binding", err);
	else if (need_bound && !info->b.bound)
		mt_cli_unbound();
	else if (!info->stale)
		return 0;
	else {
		/* the numbers are those of before: say so, then show them */
		fprintf(stderr, "memtally: warning: the DAMON binding is stale (%s): these are the numbers from before it; rebind with memtally damon start\n",
			mt_damon_stale_why(info->stale));
		return 0;
	}
	mt_damon_info_free(info);
	return -1;
}

/*
 * Prints that no DAMON context is bound, or why none can be (a kernel
 * without DAMON).  Return: -1.
 */
int mt_cli_unbound(void)
{
	if (mt_damon_check(mt_damon_dir()) == 0)
		mt_err("no DAMON context is bound (start one with: memtally damon start)");
	return -1;
}

/*
 * The paths of rows @v (NULL for a cgroup removed meanwhile) from @map,
 * looked up now (mt_cgmap_ids()), so that cgroups created meanwhile
 * resolve; free it after.
 */
int mt_cli_paths(struct mt_cgmap *map, const char *root, struct mt_cgroup *v,
		 size_t n)
{
	return mt_cli_paths_if(map, root, v, n, NULL);
}

/*
 * mt_cli_paths() for the rows @want says (NULL: every row); the others'
 * path is NULL, as a removed cgroup's.
 */
int mt_cli_paths_if(struct mt_cgmap *map, const char *root,
		    struct mt_cgroup *v, size_t n,
		    bool (*want)(const struct mt_cgroup *))
{
	uint64_t *ids = calloc(n + 1, sizeof(*ids));
	size_t i, k = 0;
	int err = ids ? 0 : -ENOMEM;

	for (i = 0; ids && i < n; i++)
		if (!want || want(&v[i]))
			ids[k++] = v[i].id;
	if (!err)
		err = mt_cgmap_ids(map, root, ids, k);
	free(ids);
	if (err) {
		mt_err("%s: %s", root, strerror(-err));
		return -1;
	}
	for (i = 0; i < n; i++)
		v[i].path = mt_cgmap_path(map, v[i].id);
	return 0;
}

/* Block the @n signals @sigs; a signalfd that reads them, or -1 */
static int signalfd_of(const int *sigs, size_t n)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < n; i++)
		sigaddset(&set, sigs[i]);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	return signalfd(-1, &set, SFD_CLOEXEC);
}

/*
 * SIGINT and SIGTERM end the commands that run until then, with exit code
 * 0: block them, and return a signalfd that reads them (-1 on failure).
 */
int mt_signalfd(void)
{
	static const int sigs[] = { SIGINT, SIGTERM };

	return signalfd_of(sigs, sizeof(sigs) / sizeof(sigs[0]));
}

/*
 * mt_signalfd() for a command that must undo what it changed before it
 * ends (ksm trial): SIGHUP (its terminal gone) and SIGQUIT too.
 */
int mt_signalfd_undo(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

	return signalfd_of(sigs, sizeof(sigs) / sizeof(sigs[0]));
}

/* Whether SIGINT or SIGTERM came, waiting up to @timeout_ms (-1: forever) */
bool mt_signalled(int sfd, int timeout_ms)
{
	struct pollfd p = { .fd = sfd, .events = POLLIN };

	return poll(&p, 1, timeout_ms) > 0;
}

/* Nanoseconds of @clock */
uint64_t mt_now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* Sleep until @deadline (CLOCK_MONOTONIC); true if a signal came first */
bool mt_sleep_until(int sfd, uint64_t deadline)
{
	uint64_t now, ms;

	while ((now = mt_now_ns(CLOCK_MONOTONIC)) < deadline) {
		ms = (deadline - now + 999999) / 1000000;
		if (mt_signalled(sfd, ms > INT_MAX ? INT_MAX : (int)ms))
			return true;
	}
	return false;
}

/*
 * The deadline @interval ns after @deadline (CLOCK_MONOTONIC), or @interval
 * from now if that has passed (the process was stopped, or a sample took
 * longer than the interval): a late loop goes on from now instead of
 * making up for lost time with a burst of intervals of nothing.
 */
uint64_t mt_next_deadline(uint64_t deadline, uint64_t interval)
{
	uint64_t now = mt_now_ns(CLOCK_MONOTONIC);

	deadline += interval;
	return deadline > now ? deadline : now + interval;
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

/**
 * mt_json_writer() - write a JSON object, for mt_write_atomic()
 * @f: where
 * @json: the struct json_object, as mt_json_write() writes it
 */
void mt_json_writer(FILE *f, const void *json)
{
	if (mt_json_write(f, (struct json_object *)json))
		mt_err("out of memory");
}

/* A unit of a number on the command line, and what it multiplies by */
struct unit {
	const char *name;
	uint64_t mult;
};

/* A number with a unit from @units ("" last). */
static int parse_unit(const char *s, uint64_t *v, const struct unit *units)
{
	uint64_t n;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	for (;; units++) {
		if (!strcasecmp(end, units->name))
			break;
		if (!units->name[0])
			return -EINVAL;
	}
	if (n > UINT64_MAX / units->mult)
		return -EINVAL;
	*v = n * units->mult;
	return 0;
}

/* DUR: 500ms, 60s, 5m, 1h, or microseconds.  Return: 0 or -EINVAL. */
int mt_parse_dur(const char *s, uint64_t *us)
{
	static const struct unit units[] = {
		{ "us", 1 }, { "ms", 1000 }, { "s", 1000000 },
		{ "m", 60000000 }, { "h", 3600000000ull }, { "", 1 },
	};

	return parse_unit(s, us, units);
}

/* SIZE: 4K, 2M, 1G, 1T (powers of 1024), or bytes.  0 or -EINVAL. */
int mt_parse_size(const char *s, uint64_t *bytes)
{
	static const struct unit units[] = {
		{ "K", 1ull << 10 }, { "M", 1ull << 20 }, { "G", 1ull << 30 },
		{ "T", 1ull << 40 }, { "", 1 },
	};

	return parse_unit(s, bytes, units);
}

/* The entry of @t named by @argv's words; NULL: none.  *@used: words */
static const struct mt_subcmd *subcmd_match(const struct mt_subcmd *t,
					    size_t n, int argc, char **argv,
					    int *used)
{
	const struct mt_subcmd *best = NULL;
	size_t i;

	*used = 0;
	for (i = 0; i < n; i++) {
		const char *w = t[i].name;
		int k = 1;

		if (!*w)
			continue;
		for (;;) {
			size_t len = strcspn(w, " ");

			if (k >= argc || strlen(argv[k]) != len ||
			    strncmp(argv[k], w, len))
				break;
			w += len;
			if (!*w) {
				if (k > *used) {
					best = &t[i];
					*used = k;
				}
				break;
			}
			w++;
			k++;
		}
	}
	return best;
}

/**
 * mt_subcmd_parse() - the subcommand @argv names, from a command's table
 * @cmd: the command ("damon")
 * @t: its subcommands; the one marked dflt is taken without a word
 * @n: how many
 * @argc: the command's arguments, argv[0] the command
 * @argv: them
 * @used: set to the words of the subcommand's name
 *
 * A word where a subcommand may be named (not an option) that names none
 * is an error: "CMD: unknown action 'WORD'" (or "CMD SUB: ..." after the
 * words of a subcommand that has its own).  Return: the entry, or NULL
 * after reporting the error.
 */
const struct mt_subcmd *mt_subcmd_parse(const char *cmd,
					const struct mt_subcmd *t, size_t n,
					int argc, char **argv, int *used)
{
	const struct mt_subcmd *e = subcmd_match(t, n, argc, argv, used);
	const char *next = *used + 1 < argc ? argv[*used + 1] : NULL;
	size_t i;

	if (!e && (argc < 2 || argv[1][0] == '-')) {
		for (i = 0; i < n; i++)
			if (t[i].dflt)
				return &t[i];
	}
	if (!e) {
		mt_usage_err("%s: unknown action '%s'", cmd, argv[1]);
		return NULL;
	}
	/* a word after a subcommand that has subcommands of its own */
	if (next && next[0] != '-') {
		size_t len = strlen(e->name);

		for (i = 0; i < n; i++)
			if (!strncmp(t[i].name, e->name, len) &&
			    t[i].name[len] == ' ') {
				mt_usage_err("%s %s: unknown action '%s'", cmd,
					     e->name, next);
				return NULL;
			}
	}
	return e;
}

/**
 * mt_subcmd_usage() - the Usage lines of a command, from its table
 * @f: where to
 * @cmd: the command ("damon")
 * @t: its subcommands; those without args are parts of another's line
 * @n: how many
 *
 * "Usage: memtally CMD NAME ARGS", then "       memtally CMD NAME ARGS"
 * for each subcommand; the default's NAME in brackets; a line of ARGS
 * after a newline aligned under the first.
 */
void mt_subcmd_usage(FILE *f, const char *cmd, const struct mt_subcmd *t,
		     size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *a = t[i].args, *nl;
		int w;

		if (!a)
			continue;
		w = fprintf(f, "%s memtally %s%s%s%s%s ",
			    i ? "      " : "Usage:", cmd, *t[i].name ? " " : "",
			    t[i].dflt && *t[i].name ? "[" : "", t[i].name,
			    t[i].dflt && *t[i].name ? "]" : "");
		while ((nl = strchr(a, '\n'))) {
			fprintf(f, "%.*s\n%*s", (int)(nl - a), a, w, "");
			a = nl + 1;
		}
		fprintf(f, "%s\n", a);
	}
}

/* "a, b, c": the names @name gives, by index until NULL, into @buf */
static const char *mt_names_list(char *buf, size_t size,
				 const char *(*name)(unsigned int i))
{
	const char *n;
	unsigned int i;
	size_t len = 0;

	buf[0] = '\0';
	for (i = 0; (n = name(i)) && len < size; i++)
		len += snprintf(buf + len, size - len, "%s%s", i ? ", " : "", n);
	return buf;
}

/**
 * mt_name_arg() - which of a list of names an option's value is
 * @cmd: the command, for the error line
 * @what: what the names are ("sort key", "kind")
 * @s: what was given
 * @name: the names by index, NULL past the last
 * @v: the index of @s
 *
 * Return: 0, or MT_EXIT_USAGE after reporting "CMD: unknown WHAT 'S'
 * (A, B, C)".
 */
int mt_name_arg(const char *cmd, const char *what, const char *s,
		const char *(*name)(unsigned int i), unsigned int *v)
{
	char list[2048];	/* every counter's sort key */
	const char *n;
	unsigned int i;

	for (i = 0; (n = name(i)); i++)
		if (!strcmp(s, n)) {
			*v = i;
			return 0;
		}
	return mt_usage_err("%s: unknown %s '%s' (%s)", cmd, what, s,
			    mt_names_list(list, sizeof(list), name));
}

