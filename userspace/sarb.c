// SPDX-License-Identifier: GPL-2.0
/*
 * memtally reclaim: the paging columns of sar -B, from /proc/vmstat.
 *
 * As sysstat computes them, but for reclaim: the kernel counts the pages
 * kswapd and direct reclaim scan and reclaim in pgscan_kswapd,
 * pgscan_direct (and pgscan_khugepaged, 6.2+, and pgscan_proactive, 6.16+:
 * a task's reclaim all the same, here in pgscand) only for global reclaim
 * (shrink_inactive_list(), evict_folios(): "if (!cgroup_reclaim(sc))"),
 * and every reclaim's pages in pgscan_anon/file and pgsteal_anon/file.  On
 * a host whose memory pressure comes from memory.max and memory.high, sar's
 * pgscank/s and pgscand/s stay 0 while its pgsteal/s (every pgsteal_* line
 * summed, so anon/file and kswapd/direct: twice on 6.x) is not.  Here
 * pgscanc/s is the cgroup reclaim (the rest of pgscan_anon + pgscan_file),
 * pgsteal/s every reclaimer's pages once (pgsteal_anon + pgsteal_file),
 * and %vmeff their ratio.  Linux 7.x made pgscan_* and pgsteal_* node
 * statistics that count every reclaim, cgroup reclaim in pgscan_direct
 * (and memory.reclaim in pgscan_proactive): there /proc/vmstat lists them
 * among the node statistics, before pgpgin, the first event; pgscand/s
 * then has the cgroup reclaim and pgscanc/s cannot be told (-).
 *
 * A cgroup's memory.stat counts its pages every reclaim scanned, by who
 * scanned them: pgscan_kswapd, and pgscan_direct for a task's reclaim,
 * global or the cgroup's own (memory.max, memory.high; memory.reclaim in
 * pgscan_proactive from 6.16, here in pgscand too): the kernel cannot
 * tell them apart there, so a cgroup's pgscanc/s is unknown (-), and so
 * are pgpgin/s, pgpgout/s and pgfree/s, which memory.stat does not have.
 */
#include <math.h>
#include <string.h>

#include "procfiles.h"
#include "sarb.h"

/* The columns: as sar names them; pgscanc/s is memtally's */
const struct mt_col mt_sarb_cols[MT_NR_SB] = {
	[MT_SB_PGPGIN]	= { "pgpgin/s", "pgpgin_kb_per_s", 2 },
	[MT_SB_PGPGOUT]	= { "pgpgout/s", "pgpgout_kb_per_s", 2 },
	[MT_SB_FAULT]	= { "fault/s", "fault_per_s", 2 },
	[MT_SB_MAJFLT]	= { "majflt/s", "majflt_per_s", 2 },
	[MT_SB_PGFREE]	= { "pgfree/s", "pgfree_per_s", 2 },
	[MT_SB_PGSCANK]	= { "pgscank/s", "pgscank_per_s", 2 },
	[MT_SB_PGSCAND]	= { "pgscand/s", "pgscand_per_s", 2 },
	[MT_SB_PGSCANC]	= { "pgscanc/s", "pgscanc_per_s", 2 },
	[MT_SB_PGSTEAL]	= { "pgsteal/s", "pgsteal_per_s", 2 },
	[MT_SB_VMEFF]	= { "%vmeff", "vmeff_pct", 2 },
};

/* Where the line of @key starts in @text; NULL if none */
static const char *line_of(const char *text, const char *key)
{
	size_t n = strlen(key);
	const char *p;

	for (p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, n) && p[n] == ' ')
			return p;
	return NULL;
}

/* @key's value in @text, or 0 (a counter this kernel does not have) */
static uint64_t kv0(const char *text, const char *key)
{
	uint64_t v = 0;

	return mt_kv_get(text, key, &v) ? 0 : v;
}

/**
 * mt_sarb_parse() - the counters of one /proc/vmstat
 * @s: filled in; @s->ok false if @vmstat is NULL or lacks a counter every
 *	kernel memtally serves has (pgscan_khugepaged, 6.2+, may be absent)
 * @vmstat: its text, or NULL
 */
void mt_sarb_parse(struct mt_sarb_sample *s, const char *vmstat)
{
	uint64_t anon, file, sanon, sfile;

	memset(s, 0, sizeof(*s));
	s->ok = vmstat &&
		!mt_kv_get(vmstat, "pgpgin", &s->pgpgin) &&
		!mt_kv_get(vmstat, "pgpgout", &s->pgpgout) &&
		!mt_kv_get(vmstat, "pgfault", &s->pgfault) &&
		!mt_kv_get(vmstat, "pgmajfault", &s->pgmajfault) &&
		!mt_kv_get(vmstat, "pgfree", &s->pgfree) &&
		!mt_kv_get(vmstat, "pgscan_kswapd", &s->scan_kswapd) &&
		!mt_kv_get(vmstat, "pgscan_direct", &s->scan_direct) &&
		!mt_kv_get(vmstat, "pgscan_anon", &anon) &&
		!mt_kv_get(vmstat, "pgscan_file", &file) &&
		!mt_kv_get(vmstat, "pgsteal_anon", &sanon) &&
		!mt_kv_get(vmstat, "pgsteal_file", &sfile);
	if (!s->ok)
		return;
	s->scan_all = line_of(vmstat, "pgscan_kswapd") <
		      line_of(vmstat, "pgpgin");
	s->scan_direct += kv0(vmstat, "pgscan_khugepaged") +
			  kv0(vmstat, "pgscan_proactive");
	s->scan = anon + file;
	s->steal = sanon + sfile;
}

/**
 * mt_sarb_parse_cgroup() - the counters of a cgroup's memory.stat
 * @s: filled in; @s->ok false if @memstat is NULL or lacks one
 * @memstat: its text, or NULL
 */
void mt_sarb_parse_cgroup(struct mt_sarb_sample *s, const char *memstat)
{
	memset(s, 0, sizeof(*s));
	s->cgroup = true;
	s->ok = memstat &&
		!mt_kv_get(memstat, "pgfault", &s->pgfault) &&
		!mt_kv_get(memstat, "pgmajfault", &s->pgmajfault) &&
		!mt_kv_get(memstat, "pgscan_kswapd", &s->scan_kswapd) &&
		!mt_kv_get(memstat, "pgscan_direct", &s->scan_direct) &&
		!mt_kv_get(memstat, "pgscan", &s->scan) &&
		!mt_kv_get(memstat, "pgsteal", &s->steal);
	if (s->ok)
		s->scan_direct += kv0(memstat, "pgscan_khugepaged") +
				  kv0(memstat, "pgscan_proactive");
}

/* (@cur - @prev) / @secs; 0 if the counter seems to go back */
static double rate(uint64_t prev, uint64_t cur, double secs)
{
	return cur > prev ? (cur - prev) / secs : 0;
}

/**
 * mt_sarb_calc() - the columns over an interval
 * @v: MT_NR_SB values, NAN where they cannot be told
 * @prev: the sample at its start
 * @cur: at its end, of the same file
 * @secs: its length
 */
void mt_sarb_calc(double *v, const struct mt_sarb_sample *prev,
		  const struct mt_sarb_sample *cur, double secs)
{
	double scan;
	int i;

	if (!prev->ok || !cur->ok || secs <= 0) {
		for (i = 0; i < MT_NR_SB; i++)
			v[i] = NAN;
		return;
	}
	v[MT_SB_PGPGIN] = rate(prev->pgpgin, cur->pgpgin, secs);
	v[MT_SB_PGPGOUT] = rate(prev->pgpgout, cur->pgpgout, secs);
	v[MT_SB_FAULT] = rate(prev->pgfault, cur->pgfault, secs);
	v[MT_SB_MAJFLT] = rate(prev->pgmajfault, cur->pgmajfault, secs);
	v[MT_SB_PGFREE] = rate(prev->pgfree, cur->pgfree, secs);
	v[MT_SB_PGSCANK] = rate(prev->scan_kswapd, cur->scan_kswapd, secs);
	v[MT_SB_PGSCAND] = rate(prev->scan_direct, cur->scan_direct, secs);
	scan = rate(prev->scan, cur->scan, secs);
	v[MT_SB_PGSCANC] = fmax(scan - v[MT_SB_PGSCANK] - v[MT_SB_PGSCAND], 0);
	v[MT_SB_PGSTEAL] = rate(prev->steal, cur->steal, secs);
	v[MT_SB_VMEFF] = scan > 0 ? 100 * v[MT_SB_PGSTEAL] / scan : NAN;
	if (cur->cgroup)
		v[MT_SB_PGPGIN] = v[MT_SB_PGPGOUT] = v[MT_SB_PGFREE] =
			v[MT_SB_PGSCANC] = NAN;
	if (prev->scan_all || cur->scan_all)
		v[MT_SB_PGSCANC] = NAN;
}
