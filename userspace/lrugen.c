// SPDX-License-Identifier: GPL-2.0
/*
 * Parse /sys/kernel/debug/lru_gen (mm/vmscan.c, lru_gen_seq_show()):
 *
 *	memcg ID PATH			("%5hu %s" on 6.x, "%llu %s" on 7.x)
 *	 node NID
 *	 SEQ AGE_MS ANON_PAGES FILE_PAGES	(one line per generation)
 *
 * the memcg line only before its first node.  Each size is followed by a
 * mark character (a space here; lru_gen_full marks generations past the
 * oldest with 'x').
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lrugen.h"

static int add_memcg(struct mt_lrugen *l, uint64_t id, const char *path,
		     size_t len)
{
	struct mt_lrugen_memcg *v = realloc(l->v, (l->nr + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	l->v = v;
	v += l->nr;
	memset(v, 0, sizeof(*v));
	v->id = id;
	v->path = strndup(path, len);
	if (!v->path)
		return -ENOMEM;
	l->nr++;
	return 0;
}

static int add_node(struct mt_lrugen_memcg *m, int node)
{
	struct mt_lrugen_lruvec *v = realloc(m->v, (m->nr + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	m->v = v;
	v += m->nr++;
	memset(v, 0, sizeof(*v));
	v->node = node;
	return 0;
}

/* " SEQ AGE ANON FILE", each size followed by its mark; 0 or -EINVAL */
static int parse_gen(const char *s, struct mt_lrugen_gen *g)
{
	char m1, m2;
	int end = 0;

	if (sscanf(s, " %" SCNu64 " %" SCNu64 " %" SCNu64 "%c %" SCNu64 "%c%n",
		   &g->seq, &g->age_ms, &g->pages[MT_LRUGEN_ANON], &m1,
		   &g->pages[MT_LRUGEN_FILE], &m2, &end) != 6)
		return -EINVAL;
	return s[end + strspn(s + end, " ")] ? -EINVAL : 0;
}

/* One line (NUL-terminated, no newline) into @l */
static int parse_line(const char *s, struct mt_lrugen *l)
{
	struct mt_lrugen_memcg *m = l->nr ? &l->v[l->nr - 1] : NULL;
	struct mt_lrugen_lruvec *v = m && m->nr ? &m->v[m->nr - 1] : NULL;
	size_t len = strlen(s);
	int node, off = 0;
	uint64_t id;

	if (!len)
		return 0;
	if (!strncmp(s, "memcg ", 6) &&
	    sscanf(s, "memcg %" SCNu64 "%n", &id, &off) == 1) {
		if (!l->nr)	/* the first, the root: padded on 6.x */
			l->memcg_ids = s[6] == ' ';
		/* the path is the rest of the line, after one space */
		if (s[off] == ' ')
			off++;
		else if (s[off])
			return -EINVAL;
		return add_memcg(l, id, s + off, len - off);
	}
	if (sscanf(s, " node %d%n", &node, &off) == 1 && (size_t)off == len)
		return m ? add_node(m, node) : -EINVAL;
	if (!v || v->nr == MT_LRUGEN_GENS || parse_gen(s, &v->gen[v->nr]))
		return -EINVAL;
	if (v->nr && v->gen[v->nr].seq <= v->gen[v->nr - 1].seq)
		return -EINVAL;	/* oldest first, each once */
	v->nr++;
	return 0;
}

int mt_lrugen_parse(const char *text, struct mt_lrugen *out, size_t *line)
{
	struct mt_lrugen l = { 0 };
	const char *s = text, *nl;
	size_t n = 0;
	char *buf;
	int err = 0;

	for (; *s && !err; s = nl + (*nl == '\n')) {
		nl = s + strcspn(s, "\n");
		n++;
		buf = strndup(s, nl - s);
		err = buf ? parse_line(buf, &l) : -ENOMEM;
		free(buf);
	}
	if (err) {
		if (line)
			*line = n;
		mt_lrugen_free(&l);
		return err;
	}
	*out = l;
	return 0;
}

void mt_lrugen_free(struct mt_lrugen *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++) {
		free(l->v[i].path);
		free(l->v[i].v);
	}
	free(l->v);
	l->v = NULL;
	l->nr = 0;
}

void mt_lrugen_sum(const struct mt_lrugen_memcg *m, uint64_t window_ms,
		   uint64_t hot_ms, uint64_t cold_ms, struct mt_lrugen_sum *s)
{
	const struct mt_lrugen_lruvec *v;
	const struct mt_lrugen_gen *g;
	uint64_t idle_min;
	size_t i, k;
	int t;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < m->nr; i++) {
		v = &m->v[i];
		if (v->nr && v->gen[v->nr - 1].age_ms > s->youngest_ms)
			s->youngest_ms = v->gen[v->nr - 1].age_ms;
		for (k = 0; k < v->nr; k++) {
			g = &v->gen[k];
			idle_min = k + 1 < v->nr ? v->gen[k + 1].age_ms : 0;
			for (t = 0; t < MT_LRUGEN_TYPES; t++) {
				s->lru[t] += g->pages[t];
				if (g->age_ms <= window_ms)
					s->wss[t] += g->pages[t];
				if (g->age_ms <= hot_ms)
					s->hot[t] += g->pages[t];
				else if (idle_min >= cold_ms)
					s->cold[t] += g->pages[t];
				else
					s->warm[t] += g->pages[t];
			}
		}
	}
}

const struct mt_lrugen_memcg *mt_lrugen_find(const struct mt_lrugen *l,
					     const char *path, uint64_t id)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (l->v[i].id == id && !strcmp(l->v[i].path, path))
			return &l->v[i];
	return NULL;
}

int mt_lrugen_age_cmd(const struct mt_lrugen_memcg *m, size_t i, char *buf,
		      size_t len)
{
	const struct mt_lrugen_lruvec *v = &m->v[i];
	int n;

	if (!v->nr)
		return -1;
	n = snprintf(buf, len, "+ %" PRIu64 " %d %" PRIu64 " 1 1\n", m->id,
		     v->node, v->gen[v->nr - 1].seq);
	return n < 0 || (size_t)n >= len ? -1 : n;
}

bool mt_lrugen_since(const struct mt_lrugen_memcg *then,
		     const struct mt_lrugen_memcg *now,
		     uint64_t pages[MT_LRUGEN_TYPES])
{
	const struct mt_lrugen_lruvec *a, *b;
	bool kept = true;
	size_t i, k;
	int t;

	pages[MT_LRUGEN_ANON] = pages[MT_LRUGEN_FILE] = 0;
	for (i = 0; i < now->nr; i++) {
		b = &now->v[i];
		for (k = 0, a = NULL; k < then->nr && !a; k++)
			if (then->v[k].node == b->node && then->v[k].nr)
				a = &then->v[k];
		if (!a)
			continue;
		if (b->nr && b->gen[0].seq > a->gen[a->nr - 1].seq)
			kept = false;
		for (k = 0; k < b->nr; k++)
			if (b->gen[k].seq > a->gen[a->nr - 1].seq)
				for (t = 0; t < MT_LRUGEN_TYPES; t++)
					pages[t] += b->gen[k].pages[t];
	}
	return kept;
}
