// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: one value of a sysfs file (or of a file of a fake tree that
 * a test made).  Callers print the errors: what to say depends on them.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sysfs.h"

#define BUSY_TRIES	100	/* DAMON's files take their lock with trylock */
#define BUSY_WAIT_NS	20000000

static void busy_wait(void)
{
	struct timespec ts = { 0, BUSY_WAIT_NS };

	nanosleep(&ts, NULL);
}

/* The whole of @dir/@name, less trailing newlines, into @buf. */
static int read_once(const char *dir, const char *name, char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		err = -errno;
	close(fd);
	if (err)
		return err;
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return 0;
}

/* read_once(), again while another holder of the file's lock has it */
int mt_sysfs_read(const char *dir, const char *name, char *buf, size_t len)
{
	int i, err;

	for (i = 0; i < BUSY_TRIES; i++) {
		err = read_once(dir, name, buf, len);
		if (err != -EBUSY)
			break;
		busy_wait();
	}
	return err;
}

/*
 * One decimal number, the whole of @buf (what mt_sysfs_read() read), into
 * @i if @sign, else into @u.  Return: 0 or -EINVAL.
 */
int mt_sysfs_parse(const char *buf, bool sign, int64_t *i, uint64_t *u)
{
	char *end;

	errno = 0;
	if (sign)
		*i = strtoll(buf, &end, 10);
	else
		*u = strtoull(buf, &end, 10);
	return end == buf || *end || errno ? -EINVAL : 0;
}

/* One decimal number, the whole of @dir/@name, signed or not */
static int read_num(const char *dir, const char *name, bool sign,
		    int64_t *i, uint64_t *u)
{
	char buf[64];
	int err = mt_sysfs_read(dir, name, buf, sizeof(buf));

	return err ? err : mt_sysfs_parse(buf, sign, i, u);
}

int mt_sysfs_read_i64(const char *dir, const char *name, int64_t *v)
{
	return read_num(dir, name, true, v, NULL);
}

int mt_sysfs_read_u64(const char *dir, const char *name, uint64_t *v)
{
	return read_num(dir, name, false, NULL, v);
}

/*
 * @s in one write(), as sysfs wants it: the file's store function sees
 * it whole and its error comes back from this write.
 */
static int write_once(const char *dir, const char *name, const char *s)
{
	char path[PATH_MAX];
	size_t len = strlen(s);
	ssize_t n;
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, s, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

/* write_once(), again while another holder of the file's lock has it */
int mt_sysfs_write(const char *dir, const char *name, const char *s)
{
	int i, err;

	for (i = 0; i < BUSY_TRIES; i++) {
		err = write_once(dir, name, s);
		if (err != -EBUSY)
			break;
		busy_wait();
	}
	return err;
}

/**
 * mt_sysfs_has_word() - whether a list file names @word
 * @list: the text of a file of space-separated words (cgroup.controllers,
 *	DAMON's avail_operations), the newline included
 * @word: the word
 */
bool mt_sysfs_has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = list; (p = strstr(p, word)); p += n)
		if ((p == list || strchr(" \n", p[-1])) && strchr(" \n", p[n]))
			return true;
	return false;
}
