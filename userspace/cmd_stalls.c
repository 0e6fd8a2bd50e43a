// SPDX-License-Identifier: GPL-2.0
/* memtally stalls: reclaim and compaction stalls per cgroup and kind. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"
#include "decode.h"
#include "nl.h"

static const char stalls_usage[] =
"Usage: memtally stalls [-c PATH] [-k KIND] [-j]\n"
"\n"
"Show the reclaim and compaction stalls of the cgroups memtally tracks:\n"
"for each cgroup and kind of stall, their count, total and average time,\n"
"the pages they reclaimed (compaction: migrated), and a histogram of\n"
"their lengths.  A compaction stall is one zone compacted by a task of\n"
"the cgroup: direct compaction for an allocation, or a write to\n"
"compact_memory.\n"
"\n"
"Memcg reclaim that a task does of another cgroup (an agent writing its\n"
"memory.reclaim, memory.high or memory.max) is no stall of the task's\n"
"cgroup: on Linux 7.x it is kind agent, apart from the stalls.  Before\n"
"7.x the kernel does not say which cgroup is reclaimed and it counts as a\n"
"memcg stall of the writer's cgroup; a note after the table says so.\n"
"\n"
"Options:\n"
"  -c, --cgroup PATH  only the cgroup PATH (relative to the cgroup2 mount)\n"
"  -k, --kind KIND    only direct, memcg, softlimit or agent reclaim, or\n"
"                     compact (compaction)\n"
"  -j, --json         print a JSON array\n"
"  -h, --help         show this help\n";

/* The name of stall kind @k, NULL past the last */
static const char *kind_name(unsigned int k)
{
	return k < MT_NR_STALL_KINDS ? mt_stall_kinds[k].name : NULL;
}

static int kind_parse(const char *s, int *kind)
{
	unsigned int k;

	if (mt_name_arg("stalls", "kind", s, kind_name, &k))
		return MT_EXIT_USAGE;
	*kind = k;
	return 0;
}

/* Return: 0, or MT_EXIT_USAGE after reporting the error. */
int stalls_parse(int argc, char **argv, struct stalls_opts *o)
{
	static const struct option longopts[] = {
		{ "cgroup", required_argument, NULL, 'c' },
		{ "kind",   required_argument, NULL, 'k' },
		{ "json",   no_argument,       NULL, 'j' },
		{ "help",   no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;	/* glibc: rescan from argv[1], forgetting earlier calls */
	while ((c = getopt_long(argc, argv, ":c:k:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->cgroup = optarg;
			break;
		case 'k':
			if (kind_parse(optarg, &o->kind))
				return MT_EXIT_USAGE;
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			o->help = true;
			break;
		default:
			return mt_getopt_err("stalls", c, argv);
		}
	}
	if (optind < argc)
		return mt_usage_err("stalls: unexpected argument '%s'",
				    argv[optind]);
	if (o->cgroup && o->cgroup[0] != '/')
		return mt_usage_err("stalls: a cgroup path starts with / (the cgroup2 mount)");
	return 0;
}

/* Where the kernel cannot tell agent reclaim apart, say so */
static void agent_note(struct mt_nl *nl, int kind)
{
	struct mt_status st;

	if ((kind >= 0 && kind != MEMTALLY_RECLAIM_KIND_MEMCG &&
	     kind != MEMTALLY_RECLAIM_KIND_AGENT) || mt_nl_status(nl, &st))
		return;
	if (!st.reclaim_names_memcg)
		puts("\nnote: this kernel's reclaim tracepoints do not name the cgroup reclaimed:\n"
		     "memcg stalls include reclaim done for other cgroups (agent reclaim).");
	mt_status_free(&st);
}

int cmd_stalls(int argc, char **argv, bool json)
{
	struct stalls_opts o = { .json = json, .kind = -1 };
	struct mt_rows l = { 0 };
	char root[PATH_MAX];
	struct mt_cgmap map;
	struct mt_nl nl;
	uint64_t id = 0;
	int err;

	if (stalls_parse(argc, argv, &o))
		return MT_EXIT_USAGE;
	if (o.help) {
		fputs(stalls_usage, stdout);
		return MT_EXIT_OK;
	}
	if (mt_cli_cgroot(root, sizeof(root)) ||
	    (o.cgroup && mt_cli_cgroup_id(root, o.cgroup, &id)) ||
	    mt_nl_open(&nl))
		return MT_EXIT_RUNTIME;
	err = mt_cli_cgroups(&nl, o.cgroup, id, &l) ||
	      mt_cli_paths(&map, root, l.v, l.nr);
	if (!err) {
		mt_cgroups_sort(l.v, l.nr, MT_SORT_PATH);
		if (!o.json) {
			mt_stalls_print(stdout, l.v, l.nr, o.kind);
			agent_note(&nl, o.kind);
		} else if (mt_json_print(stdout, mt_stalls_json(l.v, l.nr,
								o.kind))) {
			mt_err("out of memory");
			err = -1;
		}
		mt_cgmap_free(&map);
	}
	mt_rows_free(&l);
	mt_nl_close(&nl);
	return err ? MT_EXIT_RUNTIME : MT_EXIT_OK;
}
