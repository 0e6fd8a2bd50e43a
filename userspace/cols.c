// SPDX-License-Identifier: GPL-2.0
/*
 * Lines of fixed-width columns: a column is as wide as its header and at
 * least COL_WIDTH; a value that cannot be told (NAN) is "-" in a line and
 * null in JSON.
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>
#include <json.h>

#include "cols.h"

#define COL_WIDTH	9	/* at least */

static int width(const struct mt_col *c)
{
	int n = strlen(c->head);

	return n > COL_WIDTH ? n : COL_WIDTH;
}

static void cell(char *buf, size_t len, const struct mt_col *c, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.*f", c->decimals, v);
}

/**
 * mt_cols_header() - the header line
 * @f: where to
 * @c: the columns
 * @n: how many
 * @path: PATH last (a line per cgroup)
 */
void mt_cols_header(FILE *f, const struct mt_col *c, size_t n, bool path)
{
	size_t i;

	fputs("TIME    ", f);
	for (i = 0; i < n; i++)
		fprintf(f, "  %*s", width(&c[i]), c[i].head);
	fputs(path ? "  PATH\n" : "\n", f);
}

/**
 * mt_cols_print() - a line
 * @f: where to
 * @time: its time, HH:MM:SS
 * @c: the columns
 * @v: their values, NAN where they cannot be told
 * @n: how many
 * @path: if not NULL, last
 */
void mt_cols_print(FILE *f, const char *time, const struct mt_col *c,
		   const double *v, size_t n, const char *path)
{
	char num[32];
	size_t i;

	fprintf(f, "%-8s", time);
	for (i = 0; i < n; i++) {
		cell(num, sizeof(num), &c[i], v[i]);
		fprintf(f, "  %*s", width(&c[i]), num);
	}
	if (path)
		fprintf(f, "  %s", path);
	fputc('\n', f);
}

/**
 * mt_cols_json() - adds the values of a line to @o, as printed
 * @o: a JSON object
 * @c: the columns
 * @v: their values; NAN is null
 * @n: how many
 */
void mt_cols_json(struct json_object *o, const struct mt_col *c,
		  const double *v, size_t n)
{
	char num[32];
	size_t i;

	for (i = 0; i < n; i++) {
		cell(num, sizeof(num), &c[i], v[i]);
		json_object_object_add(o, c[i].json, isnan(v[i]) ? NULL :
				       c[i].decimals ?
				       json_object_new_double_s(v[i], num) :
				       json_object_new_int64(llround(v[i])));
	}
}
