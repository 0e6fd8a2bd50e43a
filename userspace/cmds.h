/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memtally: the commands, one cmd_NAME.c each: their entry points (main.c's
 * table) and, for the tests, their options and option parsers.
 */
#ifndef MT_CMDS_H
#define MT_CMDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mt_damon_cfg;
struct mt_nl;

struct status_opts {
	bool json;
	bool help;
};

int status_parse(int argc, char **argv, struct status_opts *o);
int cmd_status(int argc, char **argv, bool json);

struct cgroups_opts {
	bool json;
	bool help;
	bool all;		/* every counter in the table */
	unsigned int sort;	/* MT_SORT_* */
	const char *prefix;	/* only this cgroup and those below it */
	const char *cgroup;	/* only this cgroup, by a do request */
	bool recursive;		/* hierarchical counts (a whole dump) */
	bool memstat;		/* the rows' memory.stat columns too */
	int ms_sort;		/* sort by memory.stat key ms_sort - 1; 0: no */
};

int cgroups_parse(int argc, char **argv, struct cgroups_opts *o);
int cmd_cgroups(int argc, char **argv, bool json);

struct reclaim_opts {
	bool json;
	bool help;
	bool by_cgroup;		/* the top cgroups rather than their sum */
	bool all;		/* the module's columns too */
	uint64_t interval;	/* seconds */
	uint64_t count;		/* lines (intervals); 0: until a signal */
	uint64_t top;		/* with by_cgroup */
	const char *cgroup;	/* only this cgroup */
};

int reclaim_parse(int argc, char **argv, struct reclaim_opts *o);
int cmd_reclaim(int argc, char **argv, bool json);

struct vmstat_opts {
	bool json;
	bool help;
	uint64_t interval;	/* seconds */
	uint64_t count;		/* lines; 0: until a signal */
};

int vmstat_parse(int argc, char **argv, struct vmstat_opts *o);
int cmd_vmstat(int argc, char **argv, bool json);

struct stalls_opts {
	bool json;
	bool help;
	int kind;		/* enum memtally_reclaim_kind; -1: every kind */
	const char *cgroup;	/* only this cgroup */
};

int stalls_parse(int argc, char **argv, struct stalls_opts *o);
int cmd_stalls(int argc, char **argv, bool json);

struct events_opts {
	bool json;
	bool help;
};

int events_parse(int argc, char **argv, struct events_opts *o);
int cmd_events(int argc, char **argv, bool json);

struct config_opts {
	bool json;
	bool help;
	bool set;		/* change the settings below */
	uint64_t stall_threshold_us;
};

int config_parse(int argc, char **argv, struct config_opts *o);
int cmd_config(int argc, char **argv, bool json);

struct ksm_opts {
	bool json;
	bool help;
	bool processes;		/* a table of processes too */
	bool trial;		/* memtally ksm trial */
	bool keep;		/* leave the trial's settings */
	uint64_t scans, pages_to_scan, sleep_ms, timeout_s;
	const char *from;	/* a snapshot rather than this host */
};

int ksm_parse(int argc, char **argv, struct ksm_opts *o);
int cmd_ksm(int argc, char **argv, bool json);
struct mt_snap;
int mt_ksm_snap_show(const struct mt_snap *s, bool json, bool processes);

enum { MT_WSS_DAMON, MT_WSS_LRU_GEN, MT_WSS_NR_SOURCES };

struct wss_opts {
	bool json;
	bool help;
	bool by_cgroup;		/* a line per cgroup rather than samples */
	bool has_source, has_window;
	bool age;		/* lru_gen: age over the window first */
	unsigned int source;	/* MT_WSS_*, with has_source */
	uint64_t window_ms;	/* lru_gen's window */
	const char *cgroup;	/* only this cgroup */
};

int wss_parse(int argc, char **argv, struct wss_opts *o);
int cmd_wss(int argc, char **argv, bool json);

struct hotcold_opts {
	bool json;
	bool help;
	bool by_cgroup;		/* a line per cgroup, not only the total */
	bool set_hot, set_cold;	/* change the module's thresholds first */
	uint32_t hot, cold;	/* accesses per second */
};

int hotcold_parse(int argc, char **argv, struct hotcold_opts *o);
int cmd_hotcold(int argc, char **argv, bool json);

struct heatmap_cli_opts {
	bool json;
	bool help;
	const char *output;	/* a .png or .svg file; NULL: the terminal */
	unsigned int width, height;	/* 0: the default */
	const char *cgroup;	/* only the regions of this cgroup */
};

int heatmap_parse(int argc, char **argv, struct heatmap_cli_opts *o);
int cmd_heatmap(int argc, char **argv, bool json);
enum {
	MT_DAMON_STATUS,	/* memtally damon [status] */
	MT_DAMON_START,
	MT_DAMON_STOP,
	MT_DAMON_SCHEME,	/* memtally damon scheme: its stats */
	MT_DAMON_PAGEOUT,	/* memtally damon scheme pageout */
	MT_DAMON_SCHEME_OFF,
};

#define MT_DAMON_MAX_PIDS	64

struct damon_opts {
	bool json;
	bool help;
	int action;		/* MT_DAMON_* */
	int target_opt;		/* start: --paddr, --pid or --cgroup */
	bool vaddr;		/* start: --pid or --cgroup */
	const char *cgroup;	/* start: its processes; pageout: its memory */
	uint32_t pids[MT_DAMON_MAX_PIDS];
	size_t nr_pids;
	uint64_t sample_us, aggr_us, update_us, min_regions, max_regions;
	uint64_t wss_ring, region_ring;	/* 0: the module's default */
	uint64_t min_age_us;	/* pageout: required */
	uint64_t min_size;	/* pageout: bytes */
};

int damon_parse(int argc, char **argv, struct damon_opts *o);
int cmd_damon(int argc, char **argv, bool json);
int damon_start_bound(const char *root, const struct damon_opts *o,
		      const struct mt_damon_cfg *c, struct mt_nl *nl);

struct export_opts {
	bool json;
	bool help;
	bool all;		/* zeros too */
	const char *prometheus;	/* the file; "-": standard output */
	const char *prefix;	/* only the cgroups below it */
	int depth;		/* only cgroups as deep; -1: all */
};

int export_parse(int argc, char **argv, struct export_opts *o);
int cmd_export(int argc, char **argv, bool json);

int cmd_snapshot(int argc, char **argv, bool json);
int cmd_smem(int argc, char **argv, bool json);

struct diff_opts {
	bool json;
	bool help;
	uint64_t top;		/* 0: every change */
	const char *cgroup;	/* only this cgroup */
	const char *a, *b;	/* the snapshots */
};

int diff_parse(int argc, char **argv, struct diff_opts *o);
int cmd_diff(int argc, char **argv, bool json);

struct top_opts {
	bool json;
	bool help;
	bool batch;		/* plain text or JSON lines, no terminal */
	double interval;	/* seconds */
	uint64_t count;		/* intervals; 0: until q or a signal */
	unsigned int key;	/* enum mt_top_key */
	const char *prefix;	/* only this cgroup and those below it */
};

int top_parse(int argc, char **argv, struct top_opts *o);
int cmd_top(int argc, char **argv, bool json);

#define MT_STAT_MAX_SET	16	/* stat --set, times */

struct stat_opts {
	bool json;
	bool help;
	bool verbose;		/* a column per run */
	bool all;		/* metrics 0 in every run too */
	bool drop_caches, compact, ksm_off;	/* before each run */
	bool compare;		/* argv: files of -o to compare */
	uint64_t repeat, warmup;	/* runs counted; left out first */
	const char *parent;	/* the runs' cgroups' parent; NULL: default */
	const char *output;	/* -o: the JSON saved here */
	char *set[MT_STAT_MAX_SET];	/* FILE=VALUE */
	size_t nset;
	char **argv;		/* the command; with compare, the files */
};

int stat_parse(int argc, char **argv, struct stat_opts *o);
int cmd_stat(int argc, char **argv, bool json);

int cmd_report(int argc, char **argv, bool json);

#endif
