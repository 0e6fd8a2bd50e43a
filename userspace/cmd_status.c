// SPDX-License-Identifier: GPL-2.0
/* memtally status: module version, kernel release, store size and hooks. */
#include <stdio.h>

#include "cli.h"
#include "cmds.h"
#include "nl.h"

static const char status_usage[] =
"Usage: memtally status [-j|--json]\n"
"\n"
"Show the memtally module version, the kernel release, the number of\n"
"tracked cgroups, the events no cgroup could be charged with, the events\n"
"lost, the reclaim ends seen without their begin, the stall threshold and\n"
"the state of each hook.\n"
"\n"
"Options:\n"
"  -j, --json  print one JSON object\n"
"  -h, --help  show this help\n";

/* Return: 0, or MT_EXIT_USAGE after reporting the error. */
int status_parse(int argc, char **argv, struct status_opts *o)
{
	return mt_parse_plain("status", argc, argv, &o->json, &o->help);
}

int cmd_status(int argc, char **argv, bool json)
{
	struct status_opts o = { .json = json };
	struct mt_status st;
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
	err = mt_nl_status(&nl, &st);
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
