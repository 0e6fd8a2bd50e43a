/* SPDX-License-Identifier: GPL-2.0 */
/* memtally: tables and JSON, sorting and filtering of decoded replies. */
#ifndef MT_FORMAT_H
#define MT_FORMAT_H

#include <stdbool.h>
#include <stdio.h>

#include "decode.h"

struct json_object;

/* Sort keys: MT_SORT_COUNTER + i sorts by mt_cgroup_counters[i]. */
enum {
	MT_SORT_PATH,
	MT_SORT_ID,
	MT_SORT_COUNTER,
};

/* A table built cell by cell, for mt_tab_print() */
#define MT_TAB_CHARS	32	/* a cell made by mt_tab_num() and the like */
struct mt_tab {
	int ncols;
	size_t nrows;		/* without the header */
	const char **cells;	/* (nrows + 1) * ncols, the header first */
	char (*num)[MT_TAB_CHARS];	/* the text of the cells made here */
};

int mt_tab_init(struct mt_tab *t, int ncols, size_t nrows,
		const char *const *head);
void mt_tab_str(struct mt_tab *t, size_t row, int col, const char *s);
void mt_tab_num(struct mt_tab *t, size_t row, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
char *mt_tab_buf(struct mt_tab *t, size_t row, int col);
void mt_tab_u64(struct mt_tab *t, size_t row, int col, uint64_t v);
void mt_tab_bytes(struct mt_tab *t, size_t row, int col, uint64_t v);
void mt_tab_print(FILE *f, struct mt_tab *t, const bool *right,
		  const char *indent);
void mt_tab_free(struct mt_tab *t);

void mt_table_print(FILE *f, const bool *right, int ncols,
		    const char **cells, size_t nrows);
int mt_status_print(FILE *f, const struct mt_status *st);
struct json_object *mt_status_json(const struct mt_status *st);
void mt_config_print(FILE *f, const struct mt_status *st);
struct json_object *mt_config_json(const struct mt_status *st);
int mt_cgroups_print(FILE *f, const struct mt_cgroup *v, size_t n, bool all);
struct json_object *mt_cgroups_json(const struct mt_cgroup *v, size_t n);
int mt_cgroups_json_write(FILE *f, const struct mt_cgroup *v, size_t n);
void mt_hist_print(FILE *f, const uint64_t *buckets);
void mt_bytes(char *buf, size_t len, uint64_t bytes);
void mt_json_put_u64(struct json_object *o, const char *key, uint64_t v);
void mt_json_put_str(struct json_object *o, const char *key, const char *s);
void mt_stalls_print(FILE *f, const struct mt_cgroup *v, size_t n, int kind);
struct json_object *mt_stalls_json(const struct mt_cgroup *v, size_t n,
				   int kind);
void mt_event_print(FILE *f, const struct mt_event *ev);
struct json_object *mt_event_json(const struct mt_event *ev);
int mt_json_write(FILE *f, struct json_object *obj);
int mt_json_print(FILE *f, struct json_object *obj);
/* U+FFFD REPLACEMENT CHARACTER, for a byte of no valid UTF-8 sequence */
#define MT_UTF8_FFFD	"\xef\xbf\xbd"

size_t mt_utf8_len(const char *s);
void mt_utf8_fputs(const char *s, FILE *f);

/* enum memtally_hook_state: its values are 0 to MT_NR_HOOK_STATES - 1 */
#define MT_NR_HOOK_STATES	(MEMTALLY_HOOK_STATE_FAILED + 1)

const char *mt_hook_state_name(uint32_t state);
const char *mt_kind_name(uint32_t kind);
void mt_duration(char *buf, size_t len, uint64_t ns);
void mt_iso_time(char *buf, size_t len, uint64_t ns);

const char *mt_sort_name(unsigned int key);
void mt_cgroups_sort(struct mt_cgroup *v, size_t n, unsigned int key);
size_t mt_cgroups_filter(struct mt_cgroup *v, size_t n, const char *prefix);
struct mt_sums *mt_cgroups_recursive(struct mt_cgroup *v, size_t n);

#endif
