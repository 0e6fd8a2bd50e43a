/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memtally stat --compare: saved runs (stat -o) side by side, each
 * metric's change against the first file and whether it is significant
 * (Welch's t-test, two-sided).
 */
#ifndef MT_STATCMP_H
#define MT_STATCMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct json_object;

#define MT_CMP_ALPHA	0.05	/* significant: p below it */

/* Welch's t-test of two samples */
struct mt_welch {
	double t;		/* (mean b - mean a) / standard error */
	double df;		/* Welch-Satterthwaite degrees of freedom */
	double p;		/* two-sided; NAN: no test (fewer than 2 each) */
};

void mt_welch(const double *a, size_t na, const double *b, size_t nb,
	      struct mt_welch *w);

/* A saved file of stat -o */
struct mt_cmp_file {
	const char *path;
	struct json_object *doc;	/* owned */
};

int mt_cmp_load(struct mt_cmp_file *f, const char *path);
void mt_cmp_free(struct mt_cmp_file *f, size_t n);
int mt_cmp_print(FILE *out, const struct mt_cmp_file *f, size_t n, bool all);
struct json_object *mt_cmp_json(const struct mt_cmp_file *f, size_t n,
				bool all);

#endif
