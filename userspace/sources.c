// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: everything the module tells, read at once (export, snapshot):
 * the status, the cgroups and nodes, KSM's and DAMON's numbers, and KSM's
 * sysfs files.  What an older module does not know is left out.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ksmfs.h"
#include "sources.h"
#include "sysfs.h"

/*
 * A request an older module may not know (genetlink: -EOPNOTSUPP): then
 * its part is left out.  Prints the error.  Return: 0, 1 if left out, -1.
 */
static int optional(struct mt_nl *nl, int err, const char *what)
{
	if (err == -EOPNOTSUPP)
		return 1;
	if (err)
		mt_nl_report(nl, what, err);
	return err ? -1 : 0;
}

/* /sys/kernel/mm/ksm, if the kernel has KSM.  Prints the error. */
static int ksm_sys_load(struct mt_sources *s)
{
	const char *dir = mt_ksm_dir();
	struct stat sb;

	if (stat(dir, &sb)) {
		if (errno == ENOENT)
			return 0;	/* no CONFIG_KSM */
		mt_err("%s: %s", dir, strerror(errno));
		return -1;
	}
	if (mt_ksm_read(dir, &s->ksm_sys))
		return -1;
	s->p.ksm_sys = &s->ksm_sys;
	s->p.page_size = sysconf(_SC_PAGESIZE);
	return 0;
}

/* /proc/pressure/memory, if the kernel has PSI (CONFIG_PSI, not psi=0) */
static void psi_load(struct mt_sources *s)
{
	char text[512];

	if (!mt_sysfs_read("/proc/pressure", "memory", text, sizeof(text)) &&
	    !mt_psi_parse(text, &s->psi))
		s->p.psi = &s->psi;
}

/*
 * The cgroups: every one, or with @below (a path) that one and those under
 * it (@s->below: its path as the kernel resolves it).  Prints the error.
 * Return: 0 or -1.
 */
static int cgroups_load(struct mt_sources *s, struct mt_nl *nl,
			const char *root, const char *below)
{
	uint64_t id;

	if (!below)
		return mt_cli_cgroups(nl, NULL, 0, &s->cgroups);
	return mt_cli_cgroup_canon(root, below, s->below, sizeof(s->below)) ||
	       mt_cli_cgroup_id(root, s->below, &id) ||
	       mt_cli_cgroups_below(nl, s->below, id, &s->cgroups) ? -1 : 0;
}

/*
 * The rest, once the status came; only the paths of the cgroups @want
 * says (NULL: all).  Prints the error.  Return: 0 or -1.
 */
static int sources_load(struct mt_sources *s, struct mt_nl *nl,
			const char *below,
			bool (*want)(const struct mt_cgroup *))
{
	char root[PATH_MAX];
	int ret;

	/*
	 * KSM first: ksm-get makes a fresh walk of all processes, and the
	 * dump's rows then take their KSM gauges from it (a dump reuses a
	 * walk up to a second old): rows and sums of one walk.
	 */
	ret = optional(nl, mt_nl_ksm(nl, &s->ksm), "reading the KSM numbers");
	if (ret < 0)
		return -1;
	s->p.ksm = ret ? NULL : &s->ksm;
	if (mt_cli_cgroot(root, sizeof(root)) ||
	    cgroups_load(s, nl, root, below) ||
	    mt_cli_paths_if(&s->map, root, s->cgroups.v, s->cgroups.nr, want))
		return -1;
	mt_cgroups_sort(s->cgroups.v, s->cgroups.nr, MT_SORT_PATH);
	s->p.cgroups = s->cgroups.v;
	s->p.nr_cgroups = s->cgroups.nr;
	ret = optional(nl, mt_nl_nodes(nl, &s->nodes), "reading nodes");
	if (ret < 0)
		return -1;
	mt_cgroups_sort(s->nodes.v, s->nodes.nr, MT_SORT_ID);
	s->p.nodes = s->nodes.v;
	s->p.nr_nodes = s->nodes.nr;
	ret = optional(nl, mt_nl_damon_get(nl, &s->damon),
		       "reading the DAMON binding");
	if (ret < 0)
		return -1;
	s->p.damon = ret ? NULL : &s->damon;
	psi_load(s);
	return ksm_sys_load(s);
}

void mt_sources_free(struct mt_sources *s)
{
	mt_status_free(&s->st);
	mt_rows_free(&s->cgroups);
	mt_rows_free(&s->nodes);
	mt_cgmap_free(&s->map);
	mt_damon_info_free(&s->damon);
}

/**
 * mt_sources_load() - mt_sources_read() through @nl, open
 *
 * Return: 0 or -1.
 */
int mt_sources_load(struct mt_sources *s, struct mt_nl *nl, const char *below,
		    bool (*want)(const struct mt_cgroup *))
{
	int err;

	memset(s, 0, sizeof(*s));
	err = mt_nl_status(nl, &s->st);
	if (err) {
		mt_nl_report(nl, "reading the status", err);
		return -1;
	}
	s->p.st = &s->st;
	return sources_load(s, nl, below, want) ? -1 : 0;
}

/**
 * mt_sources_read() - the status, cgroups, nodes, KSM and DAMON numbers
 * @below: only this cgroup's and those below it (a path); NULL: every one
 * @want: only these cgroups' paths are looked up (the others' are NULL);
 *	NULL: every cgroup's
 *
 * What an older module does not know is left out (NULL in @s->p), as is
 * KSM's sysfs on a kernel without KSM.  Prints the error; without the
 * module, the one line that says so.  Free @s with mt_sources_free() in
 * any case.
 *
 * Return: 0, -ENOENT if the module is not loaded, or -1.
 */
int mt_sources_read(struct mt_sources *s, const char *below,
		    bool (*want)(const struct mt_cgroup *))
{
	struct mt_nl nl;
	int err;

	memset(s, 0, sizeof(*s));
	err = mt_nl_open_errno(&nl);
	if (err)
		return err == -ENOENT ? err : -1;
	err = mt_sources_load(s, &nl, below, want);
	mt_nl_close(&nl);
	return err;
}
