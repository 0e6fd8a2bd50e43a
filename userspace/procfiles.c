// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: the "key value" files of /proc and the memory cgroup
 * controller, and /proc/swaps, parsed from their text as read.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procfiles.h"

/* The value of the line that starts with @key in @text, or NULL */
static const char *kv_find(const char *text, const char *key)
{
	size_t n = strlen(key);
	const char *line;

	for (line = text; line && *line; line = strchr(line, '\n'),
	     line = line ? line + 1 : NULL) {
		if (strncmp(line, key, n))
			continue;
		if (line[n] != ':' && line[n] != ' ' && line[n] != '\t')
			continue;
		line += n + (line[n] == ':');
		return line + strspn(line, " \t");
	}
	return NULL;
}

/**
 * mt_kv_get() - a number of a "key value" file
 * @text: the file's contents: lines "key value", "key: value" or
 *	"key:   value kB" (meminfo, vmstat, memory.stat, memory.events,
 *	smaps_rollup, status)
 * @key: the key, without the colon
 * @v: the value (the unit, if any, is the caller's to know)
 *
 * Return: 0, -ENOENT without such a line, -EINVAL if it is no number.
 */
int mt_kv_get(const char *text, const char *key, uint64_t *v)
{
	const char *s = text ? kv_find(text, key) : NULL;
	char *end;

	*v = 0;
	if (!s)
		return -ENOENT;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno || (*end && !strchr(" \t\n", *end))) {
		*v = 0;
		return -EINVAL;
	}
	return 0;
}

/* The text of @key's value, up to the end of its line, into @buf */
int mt_kv_str(const char *text, const char *key, char *buf, size_t len)
{
	const char *s = text ? kv_find(text, key) : NULL;
	size_t n;

	if (len)
		buf[0] = '\0';
	if (!s)
		return -ENOENT;
	if (!len)
		return 0;	/* found; nothing of it fits */
	n = strcspn(s, "\n");
	if (n >= len)
		n = len - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return 0;
}

/**
 * mt_swaps_parse() - the devices of /proc/swaps
 * @text: its contents: a header line, then "name type size used prio"
 * @v: a new array (free() it), NULL when there is no device
 * @n: its length
 *
 * Return: 0, -EINVAL for a line that is none of these, or -ENOMEM.
 */
int mt_swaps_parse(const char *text, struct mt_swap **v, size_t *n)
{
	const char *line = strchr(text, '\n');
	struct mt_swap s, *nv;
	char fmt[64];

	*v = NULL;
	*n = 0;
	if (strncmp(text, "Filename", 8))
		return -EINVAL;
	snprintf(fmt, sizeof(fmt), "%%%zus %%%zus %%" SCNu64 " %%" SCNu64
		 " %%d", sizeof(s.name) - 1, sizeof(s.type) - 1);
	while (line && *++line) {
		if (sscanf(line, fmt, s.name, s.type, &s.size_kb, &s.used_kb,
			   &s.prio) != 5)
			goto bad;
		nv = realloc(*v, (*n + 1) * sizeof(**v));
		if (!nv) {
			free(*v);
			*v = NULL;
			*n = 0;
			return -ENOMEM;
		}
		*v = nv;
		(*v)[(*n)++] = s;
		line = strchr(line, '\n');
	}
	return 0;
bad:
	free(*v);
	*v = NULL;
	*n = 0;
	return -EINVAL;
}

/*
 * The avg10 of a line "some avg10=1.23 avg60=0.50 avg300=0.10 total=123"
 * after @kind into @v[0], and the avg60, avg300 and total that follow it
 * into @v[1], @v[2] and @total (0 when a line ends early)
 */
static bool psi_line(const char *line, const char *kind, double *v,
		     uint64_t *total)
{
	size_t n = strlen(kind);
	unsigned long long t = 0;
	char *end;

	if (strncmp(line, kind, n) || strncmp(line + n, " avg10=", 7))
		return false;
	line += n + 7;
	if (*line < '0' || *line > '9')
		return false;
	v[0] = strtod(line, &end);
	if (*end != ' ' && *end != '\n' && *end != '\0')
		return false;
	v[1] = v[2] = 0;
	if (sscanf(end, " avg60=%lf avg300=%lf total=%llu", &v[1], &v[2],
		   &t) < 3 || v[1] < 0 || v[2] < 0)
		t = 0;
	*total = t;
	return true;
}

/*
 * The figures of the text of a memory.pressure file into @p.
 * Return: 0, or -EINVAL if it has no "some" line.
 */
int mt_psi_parse(const char *text, struct mt_psi *p)
{
	const char *line;
	double v[3];

	memset(p, 0, sizeof(*p));
	for (line = text; line && *line; line = strchr(line, '\n'),
	     line = line ? line + 1 : NULL) {
		if (!p->has_some && psi_line(line, "some", v, &p->some_total)) {
			p->has_some = true;
			p->some = v[0];
			p->some60 = v[1];
			p->some300 = v[2];
		} else if (!p->has_full &&
			   psi_line(line, "full", v, &p->full_total)) {
			p->has_full = true;
			p->full = v[0];
			p->full60 = v[1];
			p->full300 = v[2];
		}
	}
	return p->has_some ? 0 : -EINVAL;
}
