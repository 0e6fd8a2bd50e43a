/* SPDX-License-Identifier: GPL-2.0 */
/* memtally: cgroup v2 ids and paths. */
#ifndef MT_CGPATH_H
#define MT_CGPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct mt_cgent {
	uint64_t id;
	char *path;
};

/* Cgroup directories below a cgroup2 root, sorted by id. */
struct mt_cgmap {
	struct mt_cgent *ent;
	size_t nr, cap;
};

/* Removed cgroups mt_cgnames_path() remembers, the latest */
#define MT_CGNAMES_GONE	64

/* The paths of the cgroups events name, as they come */
struct mt_cgnames {
	const char *root;	/* the cgroup2 root */
	struct mt_cgmap map;	/* empty until the first lookup */
	int mnt;		/* the root open + 1; 0: not yet; < 0: walk */
	unsigned long lookups;	/* ids looked up by their file handles */
	unsigned long walks;	/* how often the map was loaded */
	uint64_t gone[MT_CGNAMES_GONE];	/* ids of no cgroup, a ring */
	size_t ngone, next;	/* how many of them; the next slot */
};

int mt_cgroot(const char *mtab, char *buf, size_t len, bool *v1);
int mt_cgroot_parse(FILE *f, char *buf, size_t len, bool *v1);
int mt_cgmap_load(struct mt_cgmap *map, const char *root);
int mt_cgmap_ids(struct mt_cgmap *map, const char *root, const uint64_t *ids,
		 size_t n);
int mt_cgmount_open(const char *root);
int mt_cgid_path(int mnt, const char *root, uint64_t id, char *buf,
		 size_t len);
const char *mt_cgmap_path(const struct mt_cgmap *map, uint64_t id);
void mt_cgmap_free(struct mt_cgmap *map);
const char *mt_cgnames_path(struct mt_cgnames *c, uint64_t id);
int mt_cgnames_ids(struct mt_cgnames *c, const uint64_t *ids, size_t n);
void mt_cgnames_drop(struct mt_cgnames *c, const uint64_t *ids, size_t n);
void mt_cgnames_free(struct mt_cgnames *c);
int mt_cgpath_id(const char *root, const char *path, uint64_t *id);
int mt_cgpath_canon(const char *root, const char *path, char *buf,
		    size_t len);
bool mt_path_has_prefix(const char *path, const char *prefix);
int mt_path_cmp(const char *a, const char *b);

#endif
