// SPDX-License-Identifier: GPL-2.0
/* memtally config: show or change the module's settings. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <linux/memtally.h>

#include "cli.h"
#include "cmds.h"
#include "nl.h"

#define STR_(x)	#x
#define STR(x)	STR_(x)

static const char config_usage[] =
"Usage: memtally config [--stall-threshold-us N] [-j]\n"
"\n"
"Show the settings of the memtally module, or change them (which needs\n"
"CAP_SYS_ADMIN) and show the new ones.\n"
"\n"
"Options:\n"
"      --stall-threshold-us N  send an event (see memtally events) for each\n"
"                              reclaim stall of at least N microseconds;\n"
"                              0 (the default) sends none; at most "
STR(MEMTALLY_STALL_THRESHOLD_MAX_US) "\n"
"  -j, --json                  print one JSON object\n"
"  -h, --help                  show this help\n";

enum { OPT_STALL_THRESHOLD_US = 256 };

/* Return: 0, or MT_EXIT_USAGE after reporting the error. */
int config_parse(int argc, char **argv, struct config_opts *o)
{
	static const struct option longopts[] = {
		{ "stall-threshold-us", required_argument, NULL,
		  OPT_STALL_THRESHOLD_US },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;	/* glibc: rescan from argv[1], forgetting earlier calls */
	while ((c = getopt_long(argc, argv, ":jh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_STALL_THRESHOLD_US:
			/* the module checks the range */
			if (mt_num_arg("config", "--stall-threshold-us",
				       optarg, 0, UINT64_MAX,
				       &o->stall_threshold_us))
				return MT_EXIT_USAGE;
			o->set = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			o->help = true;
			break;
		default:
			return mt_getopt_err("config", c, argv);
		}
	}
	if (optind < argc)
		return mt_usage_err("config: unexpected argument '%s'",
				    argv[optind]);
	return 0;
}

/* Prints the error.  Return: 0 or -1. */
static int config_set(struct mt_nl *nl, const struct config_opts *o)
{
	struct nl_msg *msg = mt_nl_msg(nl, MEMTALLY_CMD_CONFIG_SET, 0);
	int err;

	if (msg && nla_put_u64(msg, MEMTALLY_A_CONFIG_STALL_THRESHOLD_US,
			       o->stall_threshold_us)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	err = mt_nl_exchange(nl, msg, NULL, NULL);
	if (err == -EPERM)
		mt_err("permission denied: changing settings needs CAP_SYS_ADMIN");
	else if (err)
		mt_nl_report(nl, "changing the settings", err);
	return err ? -1 : 0;
}

int cmd_config(int argc, char **argv, bool json)
{
	struct config_opts o = { .json = json };
	struct mt_status st = { 0 };
	struct mt_nl nl;
	int err = -1;

	if (config_parse(argc, argv, &o))
		return MT_EXIT_USAGE;
	if (o.help) {
		fputs(config_usage, stdout);
		return MT_EXIT_OK;
	}
	if (mt_nl_open(&nl))
		return MT_EXIT_RUNTIME;
	if (o.set && config_set(&nl, &o))
		goto out;
	/* what the module has now */
	err = mt_nl_status(&nl, &st);
	if (err) {
		mt_nl_report(&nl, "reading the settings", err);
	} else if (!o.json) {
		mt_config_print(stdout, &st);
	} else {
		err = mt_json_print(stdout, mt_config_json(&st));
		if (err)
			mt_err("out of memory");
	}
out:
	mt_status_free(&st);
	mt_nl_close(&nl);
	return err ? MT_EXIT_RUNTIME : MT_EXIT_OK;
}
