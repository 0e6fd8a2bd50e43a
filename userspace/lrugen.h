/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The multi-generational LRU's view of each memory cgroup
 * (/sys/kernel/debug/lru_gen): per memcg and node, its generations, each
 * with its age and its anonymous and file pages.  Pure: the text is read
 * elsewhere.
 *
 * A page enters the youngest generation when it is faulted in or found
 * accessed; aging makes a new youngest generation.  So a page of a
 * generation born A ms ago and followed by one born B ms ago (B < A; 0 for
 * the youngest) was last seen accessed between A and B ms ago: it is idle
 * for B ms at least and A at most.
 */
#ifndef MT_LRUGEN_H
#define MT_LRUGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MT_LRUGEN_GENS	8	/* the kernel keeps at most 4 (MAX_NR_GENS) */

enum { MT_LRUGEN_ANON, MT_LRUGEN_FILE, MT_LRUGEN_TYPES };

struct mt_lrugen_gen {
	uint64_t seq;
	uint64_t age_ms;		/* since the generation was born */
	uint64_t pages[MT_LRUGEN_TYPES];
};

/* One memcg on one node, generations oldest first */
struct mt_lrugen_lruvec {
	int node;
	size_t nr;
	struct mt_lrugen_gen gen[MT_LRUGEN_GENS];
};

struct mt_lrugen_memcg {
	uint64_t id;	/* the memcg id (Linux 6.x) or the cgroup id (7.x) */
	char *path;	/* from the cgroup2 root; "" without memcg */
	size_t nr;
	struct mt_lrugen_lruvec *v;
};

struct mt_lrugen {
	size_t nr;
	struct mt_lrugen_memcg *v;
	/*
	 * The ids are 6.x's memcg ids ("%5hu", padded: the root's line is
	 * "memcg     1 /"), 0 for a dying memcg, not cgroup ids; 7.x prints
	 * cgroup ids unpadded
	 */
	bool memcg_ids;
};

/*
 * Parse the text of /sys/kernel/debug/lru_gen.  Return: 0; -EINVAL with
 * *@line the first line that is not of its format (1-based); -ENOMEM.
 */
int mt_lrugen_parse(const char *text, struct mt_lrugen *out, size_t *line);
void mt_lrugen_free(struct mt_lrugen *l);

/* A memcg's pages by how long they have been idle, over all its nodes */
struct mt_lrugen_sum {
	uint64_t youngest_ms;	/* the oldest of its nodes' youngest generations */
	uint64_t wss[MT_LRUGEN_TYPES];	/* seen accessed within the window */
	uint64_t hot[MT_LRUGEN_TYPES];	/* idle at most hot_ms */
	uint64_t warm[MT_LRUGEN_TYPES];	/* neither */
	uint64_t cold[MT_LRUGEN_TYPES];	/* idle cold_ms at least */
	uint64_t lru[MT_LRUGEN_TYPES];	/* all: hot + warm + cold */
};

/*
 * Sum @m's generations: a generation is in the working set of @window_ms,
 * and hot, if it is no older than that (every page of it was seen accessed
 * since); cold if the next younger one is at least @cold_ms old (every page
 * of it has been idle since); else warm.
 */
void mt_lrugen_sum(const struct mt_lrugen_memcg *m, uint64_t window_ms,
		   uint64_t hot_ms, uint64_t cold_ms, struct mt_lrugen_sum *s);

/* The memcg of @l listed with @path and @id; NULL: none */
const struct mt_lrugen_memcg *mt_lrugen_find(const struct mt_lrugen *l,
					     const char *path, uint64_t id);

/*
 * The command that ages @m on its @i-th node: "+ ID NID SEQ 1 1\n" (swap
 * allowed, page tables walked even where it seems not worth it), for
 * writing to lru_gen.  Return: its length, or -1 if @len is too short.
 */
int mt_lrugen_age_cmd(const struct mt_lrugen_memcg *m, size_t i, char *buf,
		      size_t len);

/*
 * The pages of @now (anon, file) in generations younger than the youngest
 * @then had on the same node: those seen accessed since @then was read and
 * aged.  Nodes @then lacks count none.  Return: false if on some node that
 * generation is gone (aging beside ours folded it into a younger one,
 * which then holds older pages too).
 */
bool mt_lrugen_since(const struct mt_lrugen_memcg *then,
		     const struct mt_lrugen_memcg *now,
		     uint64_t pages[MT_LRUGEN_TYPES]);

#endif
