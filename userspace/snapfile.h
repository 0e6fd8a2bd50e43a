/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memtally: snapshot files (memtally snapshot), written and read back.
 * A snapshot is one JSON object; Documentation/admin-guide/memtally.rst
 * ("Snapshots") describes its keys.
 */
#ifndef MT_SNAPFILE_H
#define MT_SNAPFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"

struct json_object;
struct mt_prom;
struct mt_regions;
struct mt_wss_list;
struct utsname;

#define MT_SNAP_FORMAT	"memtally-snapshot"
#define MT_SNAP_VERSION	1

/* What a snapshot holds, for mt_snap_json() */
struct mt_snap_in {
	const struct mt_prom *mod;	/* NULL: the module is not loaded */
	const char *cgroot;		/* the cgroup2 mount; NULL: none */
	uint64_t time_ns;		/* CLOCK_REALTIME */
	uint64_t boottime_ns;		/* CLOCK_BOOTTIME, for ksm/damon ages */
	uint64_t page_size;		/* bytes; 0: not known */
	const struct utsname *uts;
	struct json_object *files;	/* path: contents or null; taken */
	const struct mt_wss_list *wss;	/* NULL: not read (no binding) */
	const struct mt_regions *regions;
};

struct json_object *mt_snap_json(const struct mt_snap_in *in);

/* A snapshot read back.  Rows' paths point into @root. */
struct mt_snap {
	struct json_object *root;
	bool has_module;		/* "module" is not null */
	struct mt_cgroup *cgroups;	/* in the file's order */
	size_t nr_cgroups;
	struct mt_cgroup *nodes;	/* id is the node */
	size_t nr_nodes;
};

int mt_snap_parse(const char *buf, size_t len, struct mt_snap *s,
		  char *why, size_t whylen);
int mt_snap_adopt(struct json_object *root, struct mt_snap *s, char *why,
		  size_t whylen);
int mt_snap_load(const char *path, struct mt_snap *s);
void mt_snap_free(struct mt_snap *s);
const struct mt_cgroup *mt_snap_cgroup(const struct mt_snap *s,
				       const char *path);
const struct mt_cgroup *mt_snap_cgroup_id(const struct mt_snap *s,
					  uint64_t id);
const char *mt_snap_file(const struct mt_snap *s, const char *path);
struct json_object *mt_snap_files(const struct mt_snap *s);
const char *mt_snap_string(const struct mt_snap *s, const char *key);
uint64_t mt_snap_u64(const struct mt_snap *s, const char *key);
struct json_object *mt_snap_module(const struct mt_snap *s, const char *key);
int mt_snap_hook_state(const struct mt_snap *s, const char *hook);

/* The module's status, DAMON, samples and regions: tests/snapdecode.h */
struct mt_ksm_sys;
uint64_t mt_json_u64(struct json_object *o, const char *key);
int mt_snap_ksm(const struct mt_snap *s, struct mt_ksm *k);
void mt_snap_ksm_sys(const struct mt_snap *s, struct mt_ksm_sys *k);

/* What mt_snapshot_take() reads; MT_TAKE_ALL is what `snapshot` saves */
enum {
	MT_TAKE_MODULE	= 1 << 0,	/* the module's data, if loaded */
	MT_TAKE_SYSTEM	= 1 << 1,	/* /proc, cgroup and KSM files */
	MT_TAKE_PROCS	= 1 << 2,	/* /proc/PID/{status,comm,cmdline,
					 * cgroup,ksm_merging_pages,ksm_stat,
					 * smaps_rollup} of every process */
	MT_TAKE_MAPS	= 1 << 3,	/* and /proc/PID/smaps */
	MT_TAKE_ALL	= 0xf,
};

struct json_object *mt_snapshot_take(unsigned int what);
int mt_snap_take(unsigned int what, struct mt_snap *s);

#endif
