/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memtally: the files of KSM in sysfs (/sys/kernel/mm/ksm) and procfs
 * (/proc/PID/ksm_*), and a trial of KSM (ksmfs.c).
 */
#ifndef MT_KSMFS_H
#define MT_KSMFS_H

#include <stdio.h>

#include "ksm.h"

const char *mt_ksm_dir(void);
int mt_ksm_read(const char *dir, struct mt_ksm_sys *s);
int mt_ksm_writable(const char *dir);
int mt_ksm_trial(const char *dir, struct mt_ksm_trial *t, int sfd);
int mt_ksm_unmerge(const char *dir, struct mt_ksm_trial *t);
int mt_ksm_proc_read(const char *piddir, struct mt_ksm_proc *p);
/* The parsers of mt_ksm_proc_read(), on an open file (tests, fuzzers) */
void mt_ksm_stat_parse(FILE *f, struct mt_ksm_proc *p);
char *mt_proc_cgroup_parse(FILE *f);
int mt_ksm_procs(const char *proc, struct mt_ksm_proc **v, size_t *n);
void mt_ksm_procs_free(struct mt_ksm_proc *v, size_t n);

#endif
