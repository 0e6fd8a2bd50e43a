/* SPDX-License-Identifier: GPL-2.0 */
/* memtally: reading and writing one value of a sysfs file. */
#ifndef MT_SYSFS_H
#define MT_SYSFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* These print nothing, and try again on EBUSY.  Return: 0 or -errno. */
int mt_sysfs_read(const char *dir, const char *name, char *buf, size_t len);
int mt_sysfs_read_i64(const char *dir, const char *name, int64_t *v);
int mt_sysfs_read_u64(const char *dir, const char *name, uint64_t *v);
int mt_sysfs_write(const char *dir, const char *name, const char *s);
/* The parser of the read_*64 calls: @s is what mt_sysfs_read() read */
int mt_sysfs_parse(const char *s, bool sign, int64_t *i, uint64_t *u);
/* Whether @word is one of the words of a list file's text (controllers) */
bool mt_sysfs_has_word(const char *list, const char *word);

#endif
