/* SPDX-License-Identifier: GPL-2.0 */
/* memtally smem: a pie or bar chart of labelled sizes, PNG or SVG (cairo). */
#ifndef MT_SMEMCHART_H
#define MT_SMEMCHART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int mt_smem_chart(const char *path, bool pie, const char *title,
		  const char *const *labels, const uint64_t *values, size_t n,
		  unsigned int width, unsigned int height);

#endif
