// SPDX-License-Identifier: GPL-2.0
/* memtally cgroups: the counters of every tracked cgroup, or of one. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgpath.h"
#include "cli.h"
#include "cmds.h"
#include "memstat.h"
#include "nl.h"

#define HELP_INDENT	21	/* column of the option descriptions */
#define HELP_WIDTH	80

static const char cgroups_usage_head[] =
"Usage: memtally cgroups [-j] [-a] [-m] [-r] [-s KEY] [-p PATH | -c PATH]\n"
"\n"
"Show the counters of the cgroups memtally tracks.  A PATH is relative to\n"
"the cgroup2 mount: / or /system.slice.\n"
"\n"
"Options:\n"
"  -a, --all          every counter, not only faults-user, faults-kernel,\n"
"                     direct-stalls, memcg-stalls, pgsteal and oom-kills\n"
"                     (JSON has every counter and histogram anyway)\n"
"  -m, --memstat      then what the cgroups' memory.stat counts and the\n"
"                     module does not (with descendants): pgmajfault,\n"
"                     workingset_refault_anon and _file, pswpin, zswpin,\n"
"                     thp_fault_alloc; with --all also workingset_activate_*\n"
"                     and _restore_*, pswpout, zswpout (- where the kernel\n"
"                     lacks one); read for the rows shown only\n";
static const char cgroups_usage_tail[] =
"  -r, --recursive    hierarchical counts: each cgroup's own, its live\n"
"                     descendants' and its removed descendants' (KSM and\n"
"                     DAMON gauges: the live ones'); JSON: under\n"
"                     \"recursive\", beside the cgroup's own\n"
"  -p, --prefix PATH  only PATH and the cgroups below it\n"
"  -c, --cgroup PATH  only the cgroup PATH\n"
"  -j, --json         print a JSON array\n"
"  -h, --help         show this help\n";

/* Print the words of @s after column @col, wrapped; returns the new column. */
static int help_words(int col, const char *s)
{
	int len;

	for (; *s; s += len + (s[len] == ' ')) {
		len = strcspn(s, " ");
		if (col + 1 + len < HELP_WIDTH) {
			col += printf(" %.*s", len, s);
		} else {
			printf("\n%*s%.*s", HELP_INDENT, "", len, s);
			col = HELP_INDENT + len;
		}
	}
	return col;
}

/* The --sort description lists every sort key. */
static void cgroups_usage(void)
{
	const char *name;
	char word[64];
	unsigned int k;
	int col;

	fputs(cgroups_usage_head, stdout);
	col = printf("%-*ssort by", HELP_INDENT, "  -s, --sort KEY");
	for (k = 0; (name = mt_sort_name(k)); k++) {
		snprintf(word, sizeof(word), "%s%s%s", name,
			 k == MT_SORT_PATH ? " (the default)" : "",
			 !mt_sort_name(k + 1) ? ";" :
			 !mt_sort_name(k + 2) ? " or" : ",");
		col = help_words(col, word);
	}
	col = help_words(col, "counters sort in descending order; a");
	help_words(col, "--memstat key sorts by it, in descending order");
	putchar('\n');
	fputs(cgroups_usage_tail, stdout);
}

/* 1 + the memory.stat key @s names, or 0 */
static int ms_key(const char *s)
{
	int k;

	for (k = 0; k < MT_NR_MS; k++)
		if (!strcmp(s, mt_ms_keys[k].key))
			return k + 1;
	return 0;
}

/* "path, id, faults-user, ...": the sort keys, for an error line */
/* Return: 0, or MT_EXIT_USAGE after reporting the error. */
int cgroups_parse(int argc, char **argv, struct cgroups_opts *o)
{
	static const struct option longopts[] = {
		{ "all",    no_argument,       NULL, 'a' },
		{ "memstat", no_argument,      NULL, 'm' },
		{ "recursive", no_argument,    NULL, 'r' },
		{ "sort",   required_argument, NULL, 's' },
		{ "prefix", required_argument, NULL, 'p' },
		{ "cgroup", required_argument, NULL, 'c' },
		{ "json",   no_argument,       NULL, 'j' },
		{ "help",   no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;	/* glibc: rescan from argv[1], forgetting earlier calls */
	while ((c = getopt_long(argc, argv, ":amrs:p:c:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			o->all = true;
			break;
		case 'm':
			o->memstat = true;
			break;
		case 'r':
			o->recursive = true;
			break;
		case 's':
			o->ms_sort = ms_key(optarg);
			if (!o->ms_sort &&
			    mt_name_arg("cgroups", "sort key", optarg,
					mt_sort_name, &o->sort))
				return MT_EXIT_USAGE;
			break;
		case 'p':
			o->prefix = optarg;
			break;
		case 'c':
			o->cgroup = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			o->help = true;
			break;
		default:
			return mt_getopt_err("cgroups", c, argv);
		}
	}
	if (optind < argc)
		return mt_usage_err("cgroups: unexpected argument '%s'",
				    argv[optind]);
	if (o->ms_sort && !o->memstat)
		return mt_usage_err("cgroups: sorting by %s needs --memstat",
				    mt_ms_keys[o->ms_sort - 1].key);
	if (o->prefix && o->cgroup)
		return mt_usage_err("cgroups: --prefix and --cgroup exclude each other");
	if ((o->prefix && o->prefix[0] != '/') ||
	    (o->cgroup && o->cgroup[0] != '/'))
		return mt_usage_err("cgroups: a cgroup path starts with / (the cgroup2 mount)");
	return 0;
}

/*
 * The memory.stat of each row of @v (an unknown path, or a file that
 * cannot be read: not ok), and v[i].ms set.  Return: the array (free it),
 * or NULL after the error.
 */
static struct mt_memstat *memstat_read(const char *root, struct mt_cgroup *v,
				       size_t n)
{
	struct mt_memstat *ms = calloc(n + 1, sizeof(*ms));
	size_t i;

	if (!ms) {
		mt_err("out of memory");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (v[i].path)
			mt_memstat_read(&ms[i], root, v[i].path);
		v[i].ms = &ms[i];
	}
	return ms;
}

/*
 * Descending by memory.stat key *@arg, a row without it last; ties by
 * path, then id, as every sort of cgroups
 */
static int memstat_cmp(const void *a, const void *b, void *arg)
{
	const struct mt_cgroup *x = a, *y = b;
	int key = *(const int *)arg;
	uint32_t bit = 1u << key;
	bool hx = x->ms->ok && x->ms->has & bit;
	bool hy = y->ms->ok && y->ms->has & bit;
	uint64_t vx = hx ? x->ms->v[key] : 0;
	uint64_t vy = hy ? y->ms->v[key] : 0;

	if (hx != hy)
		return hy - hx;
	if (vx != vy)
		return vx < vy ? 1 : -1;
	if (mt_path_cmp(x->path, y->path))
		return mt_path_cmp(x->path, y->path);
	return (x->id > y->id) - (x->id < y->id);
}

static int cgroups_show(const struct cgroups_opts *o, const char *root,
			uint64_t id, struct mt_rows *l)
{
	struct mt_memstat *ms = NULL;
	struct mt_sums *rec = NULL;
	struct mt_cgmap map = { 0 };
	char one[PATH_MAX];
	size_t n = l->nr, i, kept;
	int err;

	/*
	 * One cgroup asked for by its path: its row is that path, as the
	 * kernel resolves it; no walk of the whole hierarchy for its name
	 */
	if (o->cgroup && !o->recursive && n == 1) {
		if (mt_cgpath_canon(root, o->cgroup, one, sizeof(one))) {
			mt_err("%s: %s", o->cgroup, strerror(errno));
			return -1;
		}
		l->v[0].path = one;
	} else if (mt_cli_paths(&map, root, l->v, n)) {
		return -1;
	}
	if (o->recursive) {
		/* a module from before parent-id: every row would be a root */
		for (i = 0; i < n && !l->v[i].parent_id; i++)
			;
		if (n > 1 && i == n) {
			mt_err("the loaded memtally module sends no parent ids (load a newer one)");
			mt_cgmap_free(&map);
			return -1;
		}
		/* over the whole dump, before any filter */
		rec = mt_cgroups_recursive(l->v, n);
		if (!rec) {
			mt_err("out of memory");
			mt_cgmap_free(&map);
			return -1;
		}
	}
	if (o->prefix)
		n = mt_cgroups_filter(l->v, n, o->prefix);
	if (o->cgroup && o->recursive) {	/* read them all: keep the one */
		for (i = kept = 0; i < n; i++)
			if (l->v[i].id == id)
				l->v[kept++] = l->v[i];
		n = kept;
		if (!n) {
			mt_err("no cgroup %s tracked by memtally", o->cgroup);
			err = -1;
			goto out;
		}
	}
	mt_cgroups_sort(l->v, n, o->sort);
	if (o->memstat) {
		ms = memstat_read(root, l->v, n);
		if (!ms) {
			err = -1;
			goto out;
		}
		if (o->ms_sort) {
			int key = o->ms_sort - 1;

			qsort_r(l->v, n, sizeof(*l->v), memstat_cmp, &key);
		}
	}
	err = o->json ? mt_cgroups_json_write(stdout, l->v, n) :
			mt_cgroups_print(stdout, l->v, n, o->all);
	if (err)
		mt_err("out of memory");
out:
	mt_cgmap_free(&map);
	free(rec);
	free(ms);
	return err;
}

int cmd_cgroups(int argc, char **argv, bool json)
{
	struct cgroups_opts o = { .json = json, .sort = MT_SORT_PATH };
	struct mt_rows l = { 0 };
	char root[PATH_MAX], prefix[PATH_MAX];
	struct mt_nl nl;
	uint64_t id = 0;
	bool below;
	int err;

	if (cgroups_parse(argc, argv, &o))
		return MT_EXIT_USAGE;
	if (o.help) {
		cgroups_usage();
		return MT_EXIT_OK;
	}
	below = o.prefix && !o.recursive;
	if (mt_cli_cgroot(root, sizeof(root)) ||
	    (o.cgroup && mt_cli_cgroup_id(root, o.cgroup, &id)) ||
	    (o.prefix && mt_cli_cgroup_canon(root, o.prefix, prefix,
					     sizeof(prefix))) ||
	    (below && mt_cli_cgroup_id(root, prefix, &id)) ||
	    mt_nl_open(&nl))
		return MT_EXIT_RUNTIME;
	if (o.prefix)	/* rows' paths are as the kernel resolves them */
		o.prefix = prefix;
	/* hierarchical counts need every cgroup: a dump; --prefix its subtree */
	if (below)
		err = mt_cli_cgroups_below(&nl, o.prefix, id, &l);
	else
		err = mt_cli_cgroups(&nl, o.recursive ? NULL : o.cgroup, id, &l);
	if (!err)
		err = cgroups_show(&o, root, id, &l);
	mt_rows_free(&l);
	mt_nl_close(&nl);
	return err ? MT_EXIT_RUNTIME : MT_EXIT_OK;
}
