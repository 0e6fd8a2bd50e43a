/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lines of fixed-width columns, as sar and vmstat print them (so that the
 * lines of intervals align), and their JSON objects: what reclaim and
 * vmstat print.
 */
#ifndef MT_COLS_H
#define MT_COLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct json_object;

/* A column */
struct mt_col {
	const char *head;	/* its header, as sar or vmstat names it */
	const char *json;	/* its JSON key, with the unit */
	int decimals;		/* 0: an integer in JSON too */
};

void mt_cols_header(FILE *f, const struct mt_col *c, size_t n, bool path);
void mt_cols_print(FILE *f, const char *time, const struct mt_col *c,
		   const double *v, size_t n, const char *path);
void mt_cols_json(struct json_object *o, const struct mt_col *c,
		  const double *v, size_t n);

#endif
