// SPDX-License-Identifier: GPL-2.0
/* memtally status: module version, kernel release, store size and hooks. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <linux/memtally.h>

#include "cli.h"
#include "nl.h"

static const char status_usage[] =
"Usage: memtally status [-j|--json]\n"
"\n"
"Show the memtally module version, the kernel release, the number of\n"
"tracked cgroups, the events no cgroup could be charged with, and the\n"
"state of each hook.\n"
"\n"
"Options:\n"
"  -j, --json  print one JSON object\n"
"  -h, --help  show this help\n";

/* Return: 0, or MT_EXIT_USAGE after reporting the error. */
int status_parse(int argc, char **argv, struct status_opts *o)
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
			o->json = true;
			break;
		case 'h':
			o->help = true;
			break;
		default:
			return mt_getopt_err("status", c, argv);
		}
	}
	if (optind < argc)
		return mt_usage_err("status: unexpected argument '%s'",
				    argv[optind]);
	return 0;
}

static int status_reply(struct nlattr *attrs, int len, void *arg)
{
	return mt_status_decode(attrs, len, arg);
}

int cmd_status(int argc, char **argv, bool json)
{
	struct status_opts o = { .json = json };
	struct mt_status st = { 0 };
	struct mt_nl nl;
	int err;

	if (status_parse(argc, argv, &o))
		return MT_EXIT_USAGE;
	if (o.help) {
		fputs(status_usage, stdout);
		return MT_EXIT_OK;
	}
	if (mt_nl_open(&nl))
		return MT_EXIT_RUNTIME;
	err = mt_nl_exchange(&nl, mt_nl_msg(&nl, MEMTALLY_CMD_STATUS_GET, 0),
			     status_reply, &st);
	if (!err && !st.version)	/* acked without a reply */
		err = -EBADMSG;
	if (err) {
		mt_nl_report(&nl, "reading the status", err);
	} else {
		err = o.json ? mt_json_print(stdout, mt_status_json(&st)) :
			       mt_status_print(stdout, &st);
		if (err)
			mt_err("out of memory");
	}
	mt_status_free(&st);
	mt_nl_close(&nl);
	return err ? MT_EXIT_RUNTIME : MT_EXIT_OK;
}
