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

static const char cgroups_usage[] =
"Usage: memtally cgroups [-j] [-s KEY] [-p PATH | -c PATH]\n"
"\n"
"Show the counters of the cgroups memtally tracks.  A PATH is relative to\n"
"the cgroup2 mount: / or /system.slice.\n"
"\n"
"Options:\n"
"  -s, --sort KEY     sort by path (the default), id, faults-user or\n"
"                     faults-kernel; counters sort in descending order\n"
"  -p, --prefix PATH  only PATH and the cgroups below it\n"
"  -c, --cgroup PATH  only the cgroup PATH\n"
"  -j, --json         print a JSON array\n"
"  -h, --help         show this help\n";

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
	int c;

	optind = 0;	/* glibc: rescan from argv[1], forgetting earlier calls */
	while ((c = getopt_long(argc, argv, ":s:p:c:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (mt_sort_parse(optarg, &o->sort))
				return mt_usage_err("cgroups: unknown sort key '%s' (path, id, faults-user, faults-kernel)",
						    optarg);
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
		fputs(cgroups_usage, stdout);
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
