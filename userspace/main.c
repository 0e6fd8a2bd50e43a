// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: show what the memtally kernel module counts.
 *
 *   memtally [-j|--json] [-h|--help] [-V|--version] COMMAND [ARGS]
 *
 * Each command lives in its own file and parses its own options.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"

static const struct mt_cmd {
	const char *name;
	int (*fn)(int argc, char **argv, bool json);
	const char *summary;
} cmds[] = {
	{ "status",  cmd_status,  "module version, kernel release and hooks" },
	{ "cgroups", cmd_cgroups, "counters of each cgroup" },
	{ "reclaim", cmd_reclaim, "reclaim activity, like sar -B" },
	{ "vmstat",  cmd_vmstat,  "memory, swap, stalls and PSI, like vmstat 1" },
	{ "stalls",  cmd_stalls,  "reclaim stalls of each cgroup, histograms" },
	{ "events",  cmd_events,  "OOM kills and long reclaim stalls, live" },
	{ "config",  cmd_config,  "show or change the module's settings" },
	{ "ksm",     cmd_ksm,     "what KSM saves, per cgroup; a trial of KSM" },
	{ "wss",     cmd_wss,     "DAMON working set over time, per cgroup" },
	{ "hotcold", cmd_hotcold, "DAMON hot, warm and cold bytes per cgroup" },
	{ "heatmap", cmd_heatmap, "DAMON access heatmap: terminal, PNG or SVG" },
	{ "damon",   cmd_damon,   "start, stop and show DAMON for the module" },
	{ "top",     cmd_top,     "live per-cgroup view: faults, stalls, PSI" },
	{ "export",  cmd_export,  "every number, for Prometheus' node_exporter" },
	{ "snapshot", cmd_snapshot, "every number and file a report needs, saved" },
	{ "diff",    cmd_diff,    "what changed between two snapshots" },
	{ "report",  cmd_report,  "memory analysis and recommendations" },
	{ "stat",    cmd_stat,    "run a command N times in its own cgroup, like perf stat -r" },
	{ "smem",    cmd_smem,    "PSS, USS, RSS and swap per process, user, cgroup, mapping" },
};

#define NR_CMDS (sizeof(cmds) / sizeof(cmds[0]))

static void usage(void)
{
	size_t i;

	puts("Usage: memtally [-j|--json] COMMAND [OPTIONS]\n"
	     "       memtally -h|--help | -V|--version\n"
	     "\n"
	     "Show what the memtally kernel module counts.\n"
	     "\n"
	     "Commands:");
	for (i = 0; i < NR_CMDS; i++)
		printf("  %-9s %s\n", cmds[i].name, cmds[i].summary);
	puts("\n"
	     "Options:\n"
	     "  -j, --json     print JSON\n"
	     "  -h, --help     show this help\n"
	     "  -V, --version  show the version\n"
	     "\n"
	     "Run 'memtally COMMAND --help' for the options of a command.");
}

static int run(const struct mt_cmd *cmd, int argc, char **argv, bool json)
{
	int ret = cmd->fn(argc, argv, json);

	if (fflush(stdout) && !ret) {
		mt_err("write error: %s", strerror(errno));
		ret = MT_EXIT_RUNTIME;
	}
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json",    no_argument, NULL, 'j' },
		{ "help",    no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	size_t i;
	int c;

	/* '+': options after the command are the command's */
	while ((c = getopt_long(argc, argv, "+:jhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			usage();
			return MT_EXIT_OK;
		case 'V':
			puts("memtally " MT_VERSION);
			return MT_EXIT_OK;
		default:
			return mt_getopt_err(NULL, c, argv);
		}
	}
	if (optind == argc)
		return mt_usage_err("no command given");
	for (i = 0; i < NR_CMDS; i++)
		if (!strcmp(argv[optind], cmds[i].name))
			return run(&cmds[i], argc - optind, argv + optind, json);
	return mt_usage_err("unknown command '%s'", argv[optind]);
}
