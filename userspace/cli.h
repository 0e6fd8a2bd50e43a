/* SPDX-License-Identifier: GPL-2.0 */
/* memtally: subcommands and the error reporting they share. */
#ifndef MT_CLI_H
#define MT_CLI_H

#include <stdbool.h>

#include "format.h"

enum { MT_EXIT_OK = 0, MT_EXIT_RUNTIME = 1, MT_EXIT_USAGE = 2 };

void mt_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int mt_usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int mt_getopt_err(const char *cmd, int c, char **argv);

struct status_opts {
	bool json;
	bool help;
};

int status_parse(int argc, char **argv, struct status_opts *o);
int cmd_status(int argc, char **argv, bool json);

struct cgroups_opts {
	bool json;
	bool help;
	unsigned int sort;	/* MT_SORT_* */
	const char *prefix;	/* only this cgroup and those below it */
	const char *cgroup;	/* only this cgroup, by a do request */
};

int cgroups_parse(int argc, char **argv, struct cgroups_opts *o);
int cmd_cgroups(int argc, char **argv, bool json);

#endif
