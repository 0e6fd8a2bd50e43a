// SPDX-License-Identifier: GPL-2.0
/* memtally cgroups: the counters of every tracked cgroup, or of one. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <linux/memtally.h>

#include "cgpath.h"
#include "cli.h"
#include "nl.h"

#define HELP_INDENT	21	/* column of the option descriptions */
#define HELP_WIDTH	80

static const char cgroups_usage_head[] =
"Usage: memtally cgroups [-j] [-s KEY] [-p PATH | -c PATH]\n"
"\n"
"Show the counters of the cgroups memtally tracks.  A PATH is relative to\n"
"the cgroup2 mount: / or /system.slice.\n"
"\n"
"Options:\n";
static const char cgroups_usage_tail[] =
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
	help_words(col, "counters sort in descending order");
	putchar('\n');
	fputs(cgroups_usage_tail, stdout);
}

/* "path, id, faults-user, ...": the sort keys, for an error line */
static const char *sort_keys(char *buf, size_t size)
{
	const char *name;
	unsigned int k;
	size_t len = 0;

	buf[0] = '\0';
	for (k = 0; (name = mt_sort_name(k)) && len < size; k++)
		len += snprintf(buf + len, size - len, "%s%s",
				k ? ", " : "", name);
	return buf;
}

/* Return: 0, or MT_EXIT_USAGE after reporting the error. */
int cgroups_parse(int argc, char **argv, struct cgroups_opts *o)
{
	static const struct option longopts[] = {
		{ "sort",   required_argument, NULL, 's' },
		{ "prefix", required_argument, NULL, 'p' },
		{ "cgroup", required_argument, NULL, 'c' },
		{ "json",   no_argument,       NULL, 'j' },
		{ "help",   no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char keys[256];
	int c;

	optind = 0;	/* glibc: rescan from argv[1], forgetting earlier calls */
	while ((c = getopt_long(argc, argv, ":s:p:c:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (mt_sort_parse(optarg, &o->sort))
				return mt_usage_err("cgroups: unknown sort key '%s' (%s)",
						    optarg,
						    sort_keys(keys, sizeof(keys)));
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
	if (o->prefix && o->cgroup)
		return mt_usage_err("cgroups: --prefix and --cgroup exclude each other");
	if ((o->prefix && o->prefix[0] != '/') ||
	    (o->cgroup && o->cgroup[0] != '/'))
		return mt_usage_err("cgroups: a cgroup path starts with / (the cgroup2 mount)");
	return 0;
}

struct cgroup_list {
	struct mt_cgroup *v;
	size_t nr, cap;
};

static int cgroup_reply(struct nlattr *attrs, int len, void *arg)
{
	struct cgroup_list *l = arg;
	struct mt_cgroup *v;
	int err;

	if (l->nr == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		v = realloc(l->v, l->cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		l->v = v;
	}
	err = mt_cgroup_decode(attrs, len, &l->v[l->nr]);
	if (!err)
		l->nr++;
	return err;
}

/* A dump, or with @id a do request for one cgroup. */
static int cgroups_fetch(struct mt_nl *nl, const uint64_t *id,
			 struct cgroup_list *l)
{
	struct nl_msg *msg;

	msg = mt_nl_msg(nl, MEMTALLY_CMD_CGROUP_GET, id ? 0 : NLM_F_DUMP);
	if (msg && id && nla_put_u64(msg, MEMTALLY_A_CGROUP_ID, *id)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return mt_nl_exchange(nl, msg, cgroup_reply, l);
}

static int cgroups_show(const struct cgroups_opts *o, const char *root,
			struct cgroup_list *l)
{
	struct mt_cgmap map;
	size_t i, n = l->nr;
	int err;

	/* after the request, so that cgroups created meanwhile resolve */
	err = mt_cgmap_load(&map, root);
	if (err) {
		mt_err("%s: %s", root, strerror(-err));
		return err;
	}
	for (i = 0; i < n; i++)
		l->v[i].path = mt_cgmap_path(&map, l->v[i].id);
	if (o->prefix)
		n = mt_cgroups_filter(l->v, n, o->prefix);
	mt_cgroups_sort(l->v, n, o->sort);
	err = o->json ? mt_json_print(stdout, mt_cgroups_json(l->v, n)) :
			mt_cgroups_print(stdout, l->v, n);
	if (err)
		mt_err("out of memory");
	mt_cgmap_free(&map);
	return err;
}

int cmd_cgroups(int argc, char **argv, bool json)
{
	struct cgroups_opts o = { .json = json, .sort = MT_SORT_PATH };
	struct cgroup_list l = { 0 };
	char root[PATH_MAX];
	struct mt_nl nl;
	uint64_t id;
	int err;

	if (cgroups_parse(argc, argv, &o))
		return MT_EXIT_USAGE;
	if (o.help) {
		cgroups_usage();
		return MT_EXIT_OK;
	}
	err = mt_cgroot("/proc/self/mounts", root, sizeof(root));
	if (err == -ENOENT) {
		mt_err("no cgroup2 file system is mounted (mount it with: mount -t cgroup2 none /sys/fs/cgroup)");
		return MT_EXIT_RUNTIME;
	}
	if (err) {
		mt_err("cannot find the cgroup2 mount: %s", strerror(-err));
		return MT_EXIT_RUNTIME;
	}
	if (o.cgroup) {
		err = mt_cgpath_id(root, o.cgroup, &id);
		if (err) {
			mt_err("%s: %s", o.cgroup, err == -ENOENT ?
			       "no such cgroup" : strerror(-err));
			return MT_EXIT_RUNTIME;
		}
	}
	if (mt_nl_open(&nl))
		return MT_EXIT_RUNTIME;
	err = cgroups_fetch(&nl, o.cgroup ? &id : NULL, &l);
	if (err == -ENOENT && o.cgroup)
		mt_err("no cgroup %s tracked by memtally", o.cgroup);
	else if (err)
		mt_nl_report(&nl, "reading cgroups", err);
	else
		err = cgroups_show(&o, root, &l);
	free(l.v);
	mt_nl_close(&nl);
	return err ? MT_EXIT_RUNTIME : MT_EXIT_OK;
}
