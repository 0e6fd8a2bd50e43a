/* SPDX-License-Identifier: GPL-2.0 */
/* memtally: what the commands share (cli.c); the commands are in cmds.h. */
#ifndef MT_CLI_H
#define MT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "cgpath.h"
#include "format.h"

struct mt_damon_info;
struct mt_nl;
struct mt_rows;

enum { MT_EXIT_OK = 0, MT_EXIT_RUNTIME = 1, MT_EXIT_USAGE = 2 };

void mt_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int mt_usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *mt_err_last(void);
int mt_getopt_err(const char *cmd, int c, char **argv);
int mt_parse_plain(const char *cmd, int argc, char **argv, bool *json,
		   bool *help);
int mt_parse_u64(const char *s, uint64_t *v);
int mt_num_arg(const char *cmd, const char *what, const char *s,
	       uint64_t min, uint64_t max, uint64_t *v);

/* The cgroup2 root without a word: 0 or a negative errno */
int mt_cli_cgroot_find(char *root, size_t len, bool *v1);

/* These print the error and return -1 on failure, 0 on success. */
int mt_cli_cgroot(char *root, size_t len);
int mt_cli_cgroup_id(const char *root, const char *path, uint64_t *id);
int mt_cli_cgroups(struct mt_nl *nl, const char *path, uint64_t id,
		   struct mt_rows *l);
int mt_cli_cgroups_below(struct mt_nl *nl, const char *path, uint64_t id,
			 struct mt_rows *l);
int mt_cli_cgroup_canon(const char *root, const char *path, char *buf,
			size_t len);
int mt_cli_damon(struct mt_nl *nl, struct mt_damon_info *info,
		 bool need_bound);
int mt_cli_unbound(void);
int mt_cli_paths_if(struct mt_cgmap *map, const char *root,
		    struct mt_cgroup *v, size_t n,
		    bool (*want)(const struct mt_cgroup *));
int mt_cli_paths(struct mt_cgmap *map, const char *root, struct mt_cgroup *v,
		 size_t n);

int mt_signalfd(void);
int mt_signalfd_undo(void);
bool mt_signalled(int sfd, int timeout_ms);
uint64_t mt_now_ns(clockid_t clock);
bool mt_sleep_until(int sfd, uint64_t deadline);
uint64_t mt_next_deadline(uint64_t deadline, uint64_t interval);

/* A subcommand of a command (damon start, ksm trial), for its parser */
struct mt_subcmd {
	const char *name;	/* its words: "start", "scheme pageout"; "" none */
	const char *args;	/* its usage after them, lines split by \n;
				 * NULL: part of another's usage line */
	int id;			/* the command's own value for it */
	bool dflt;		/* taken when no word names one */
};

const struct mt_subcmd *mt_subcmd_parse(const char *cmd,
					const struct mt_subcmd *t, size_t n,
					int argc, char **argv, int *used);
void mt_subcmd_usage(FILE *f, const char *cmd, const struct mt_subcmd *t,
		     size_t n);

int mt_name_arg(const char *cmd, const char *what, const char *s,
		const char *(*name)(unsigned int i), unsigned int *v);
int mt_parse_dur(const char *s, uint64_t *us);
int mt_parse_size(const char *s, uint64_t *bytes);

/* Writes the whole file into @f; mt_write_atomic() checks for errors. */
typedef void (*mt_writer_t)(FILE *f, const void *arg);
int mt_write_atomic(const char *path, mt_writer_t write, const void *arg);
int mt_write_output(const char *path, mt_writer_t write, const void *arg);
/* An mt_writer_t of a json_object: mt_json_write() (UTF-8 whatever it holds) */
void mt_json_writer(FILE *f, const void *json);

#endif
