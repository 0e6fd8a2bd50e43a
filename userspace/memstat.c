// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: a cgroup's memory.stat, the counters the module does not
 * have.  memory.stat counts a cgroup with its descendants, and what a
 * cgroup's pages went through (a refault is charged to the cgroup of the
 * page), where the module counts what a cgroup's own tasks did.  Which
 * kernel has which key: pswpin and pswpout from Linux 6.15 (Debian's 6.1
 * and 6.12 have neither), zswpin and zswpout with CONFIG_ZSWAP (Debian's
 * kernels have it), thp_fault_alloc with CONFIG_TRANSPARENT_HUGEPAGE; a
 * key a kernel lacks is unknown (not in has).  No kernel's memory.stat
 * counts THP fault fallbacks (thp_fault_fallback is /proc/vmstat's).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "memstat.h"
#include "procfiles.h"
#include "sysfs.h"

const struct mt_ms_info mt_ms_keys[MT_NR_MS] = {
	[MT_MS_PGMAJFAULT]	= { "pgmajfault", "PGMAJFAULT", true },
	[MT_MS_REFAULT_ANON]	= { "workingset_refault_anon", "REFAULT_ANON", true },
	[MT_MS_REFAULT_FILE]	= { "workingset_refault_file", "REFAULT_FILE", true },
	[MT_MS_ACTIVATE_ANON]	= { "workingset_activate_anon", "ACTIVATE_ANON", false },
	[MT_MS_ACTIVATE_FILE]	= { "workingset_activate_file", "ACTIVATE_FILE", false },
	[MT_MS_RESTORE_ANON]	= { "workingset_restore_anon", "RESTORE_ANON", false },
	[MT_MS_RESTORE_FILE]	= { "workingset_restore_file", "RESTORE_FILE", false },
	[MT_MS_PSWPIN]		= { "pswpin", "PSWPIN", true },
	[MT_MS_PSWPOUT]		= { "pswpout", "PSWPOUT", false },
	[MT_MS_ZSWPIN]		= { "zswpin", "ZSWPIN", true },
	[MT_MS_ZSWPOUT]		= { "zswpout", "ZSWPOUT", false },
	[MT_MS_THP_FAULT_ALLOC]	= { "thp_fault_alloc", "THP_FAULT_ALLOC", true },
};

/**
 * mt_memstat_parse() - the keys of a memory.stat
 * @m: filled in: @m->ok, and in @m->has the keys @text has
 * @text: its text
 */
void mt_memstat_parse(struct mt_memstat *m, const char *text)
{
	size_t k;

	memset(m, 0, sizeof(*m));
	m->ok = true;
	for (k = 0; k < MT_NR_MS; k++)
		if (!mt_kv_get(text, mt_ms_keys[k].key, &m->v[k]))
			m->has |= 1u << k;
}

/**
 * mt_memstat_read() - a cgroup's memory.stat
 * @m: filled in; @m->ok false if it could not be read (the cgroup went
 *	away, or has no memory controller: the root of cgroup v1)
 * @root: the cgroup2 mount
 * @path: the cgroup, from @root ("/" or "/a/b")
 *
 * Return: 0, or -errno (@m->ok false).
 */
int mt_memstat_read(struct mt_memstat *m, const char *root, const char *path)
{
	static char text[32768];	/* a few times what 7.x writes */
	char dir[PATH_MAX];
	int err;

	memset(m, 0, sizeof(*m));
	if (snprintf(dir, sizeof(dir), "%s%s", root,
		     strcmp(path, "/") ? path : "") >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	err = mt_sysfs_read(dir, "memory.stat", text, sizeof(text));
	if (!err)
		mt_memstat_parse(m, text);
	return err;
}
