/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memtally report: the recommendations, a table of rules over the data of
 * a report.  Each rule and threshold is in the admin guide ("Reports").
 */
#ifndef MT_RECOMMEND_H
#define MT_RECOMMEND_H

#include <stdbool.h>
#include <stddef.h>

#include "report.h"

/* PSI, percent of wall time (memory.pressure, /proc/pressure/memory) */
#define MT_REC_PSI_FULL_AVG10	5.0	/* full avg10 above: critical */
#define MT_REC_PSI_FULL_AVG60	2.0	/* full avg60 above: serious */
#define MT_REC_PSI_SOME_AVG10	10.0	/* some avg10 above: monitor */
/* memcg reclaim stalls of a cgroup (the module's counter) above: monitor */
#define MT_REC_MEMCG_STALLS	0
/* KSM: the trial's verdict by the bytes saved (ksm.h MT_KSM_KEEP_ABOVE) */
/* Major faults per second since boot (/proc/vmstat pgmajfault) */
#define MT_REC_MAJFLT_PER_S	100.0
/* DAMON, per cgroup: only cgroups with at least this many bytes seen */
#define MT_REC_DAMON_MIN_BYTES	(16ull << 20)
#define MT_REC_DAMON_WSS_SHARE	50.0	/* working set, % of bytes seen */
#define MT_REC_DAMON_HOT_SHARE	20.0	/* hot bytes, % of the working set */
#define MT_REC_DAMON_COLD_SHARE	50.0	/* cold bytes, % of bytes seen */

enum mt_rec_severity {
	MT_REC_CRITICAL,
	MT_REC_SERIOUS,
	MT_REC_MONITOR,
	MT_REC_INFO,
	MT_REC_KEEP,
	MT_NR_REC_SEVERITIES
};

struct mt_rec {
	enum mt_rec_severity severity;
	const char *rule;	/* the rule's id, as in the admin guide */
	char advice[256];	/* one line */
	char evidence[320];	/* the data that triggered it */
};

struct mt_recs {
	struct mt_rec *v;	/* most severe first, then in rule order */
	size_t nr, cap;
};

const char *mt_rec_severity_name(enum mt_rec_severity s);
int mt_recommend(const struct mt_report *r, struct mt_recs *out);
void mt_recs_free(struct mt_recs *l);
bool mt_recs_problems(const struct mt_recs *l);

#endif
