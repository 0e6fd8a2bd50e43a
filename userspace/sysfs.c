// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: one value of a sysfs file (or of a file of a fake tree that
 * a test made).  Callers print the errors: what to say depends on them.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysfs.h"

/* The whole of @dir/@name, less trailing newlines, into @buf. */
int mt_sysfs_read(const char *dir, const char *name, char *buf, size_t len)
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

/* One decimal number, the whole of @dir/@name. */
int mt_sysfs_read_i64(const char *dir, const char *name, int64_t *v)
{
	char buf[64], *end;
	int err = mt_sysfs_read(dir, name, buf, sizeof(buf));

	if (err)
		return err;
	errno = 0;
	*v = strtoll(buf, &end, 10);
	return end == buf || *end || errno ? -EINVAL : 0;
}

/*
 * @s in one write(), as sysfs wants it: the file's store function sees
 * it whole and its error comes back from this write.
 */
int mt_sysfs_write(const char *dir, const char *name, const char *s)
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
