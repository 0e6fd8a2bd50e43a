// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: error reporting.  Every error is one line on stderr, prefixed
 * "memtally: "; usage errors end with a pointer to --help.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void vreport(const char *hint, const char *fmt, va_list ap)
{
	fputs("memtally: ", stderr);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "%s\n", hint);
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
