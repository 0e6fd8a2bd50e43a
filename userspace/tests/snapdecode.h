/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memtally's tests: decoders of the module's parts of a snapshot that only
 * the golden tests read back (tests/snapdecode.c).
 */
#ifndef MT_TESTS_SNAPDECODE_H
#define MT_TESTS_SNAPDECODE_H

struct mt_damon_info;
struct mt_regions;
struct mt_snap;
struct mt_status;
struct mt_wss_list;

int mt_snap_status(const struct mt_snap *s, struct mt_status *st);
int mt_snap_damon(const struct mt_snap *s, struct mt_damon_info *d);
int mt_snap_wss(const struct mt_snap *s, struct mt_wss_list *l);
int mt_snap_regions(const struct mt_snap *s, struct mt_regions *l);

#endif
