/* SPDX-License-Identifier: GPL-2.0 */
/* memtally top: display rows from two dumps and each cgroup's PSI. */
#ifndef MT_TOPROWS_H
#define MT_TOPROWS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "decode.h"
#include "procfiles.h"

struct json_object;
struct mt_ksm_savings;

/* Sort keys of memtally top: rows sort in descending order */
enum mt_top_key {
	MT_TOP_FAULTS,
	MT_TOP_STALLS,
	MT_TOP_OOM,
	MT_TOP_KSM,
	MT_TOP_WSS,
	MT_TOP_PSI_SOME,
	MT_TOP_PSI_FULL,
	MT_NR_TOP_KEYS
};

/* A line of memtally top */
struct mt_top_row {
	uint64_t id;
	const char *path;
	bool rates;		/* false: no earlier dump, rates are "-" */
	double faults;		/* user + kernel, per second */
	double stalls;		/* direct + memcg reclaim stalls, per second */
	double stall_ms;	/* ms stalled in them, per second */
	double compact_ms;	/* ms compacting zones, per second */
	uint64_t oom, oom_new;	/* OOM kills: total, since the earlier dump */
	bool has_ksm;		/* the kernel has KSM */
	uint64_t ksm_saved;	/* bytes: its share of KSM's saving */
	bool has_wss;		/* a DAMON context is bound */
	uint64_t wss;		/* bytes */
	bool psi_read;		/* psi was read (only for the rows shown) */
	struct mt_psi psi;
};

/* The columns of the table: PATH first */
enum {
	MT_TOP_COL_PATH,
	MT_TOP_COL_FAULTS,
	MT_TOP_COL_STALLS,
	MT_TOP_COL_STALL_MS,
	MT_TOP_COL_COMPACT_MS,
	MT_TOP_COL_OOM,
	MT_TOP_COL_KSM,
	MT_TOP_COL_WSS,
	MT_TOP_COL_PSI_SOME,
	MT_TOP_COL_PSI_FULL,
	MT_NR_TOP_COLS
};

#define MT_TOP_CELL	32

/*
 * The line top's / prompt edits, a key at a time from the view's loop, so
 * that the view goes on refreshing and reading signals meanwhile
 */
struct mt_top_input {
	bool active;		/* the prompt is shown */
	size_t len;
	char buf[PATH_MAX];	/* a path prefix */
};

enum { MT_TOP_INPUT_MORE, MT_TOP_INPUT_DONE, MT_TOP_INPUT_CANCEL };

extern const char *const mt_top_heads[MT_NR_TOP_COLS];
extern const bool mt_top_right[MT_NR_TOP_COLS];

const char *mt_top_key_name(unsigned int key);

void mt_top_input_start(struct mt_top_input *in);
int mt_top_input_key(struct mt_top_input *in, int ch);

int mt_psi_read(const char *root, const char *path, struct mt_psi *p);

void mt_top_rows(struct mt_top_row *out, const struct mt_cgroup *prev,
		 size_t nprev, const struct mt_cgroup *cur, size_t n,
		 double secs, const struct mt_ksm_savings *ksm, bool wss);
size_t mt_top_select(struct mt_top_row *v, size_t n, const char *prefix,
		     unsigned int key);
void mt_top_cells(char cells[MT_NR_TOP_COLS][MT_TOP_CELL],
		  const struct mt_top_row *r);
int mt_top_print(FILE *f, const char *time, double secs, unsigned int key,
		 const struct mt_top_row *v, size_t n);
struct json_object *mt_top_json(const char *time, double secs,
				unsigned int key, const struct mt_top_row *v,
				size_t n);

#endif
