// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: the DAMON operations of the memtally family, and the decoding
 * of their replies.  As in decode.c, unknown attributes are ignored and
 * malformed ones make the reply invalid (-EBADMSG); a binary attribute
 * whose length is not what the spec says is malformed, never read past.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <linux/memtally.h>

#include "damonnl.h"
#include "nl.h"

/* The repeated target-pid attributes, in their order */
static int targets_decode(struct nlattr *attrs, int len,
			  struct mt_damon_binding *b)
{
	struct nlattr *a;
	size_t n = 0;
	int rem;

	nla_for_each_attr(a, attrs, len, rem)
		n += nla_type(a) == MEMTALLY_A_DAMON_TARGET_PID;
	if (!n)
		return 0;
	b->target_pids = calloc(n, sizeof(*b->target_pids));
	if (!b->target_pids)
		return -ENOMEM;
	nla_for_each_attr(a, attrs, len, rem)
		if (nla_type(a) == MEMTALLY_A_DAMON_TARGET_PID &&
		    mt_attr_u32(a, &b->target_pids[b->nr_targets++]))
			return -EBADMSG;
	return 0;
}

/**
 * mt_damon_info_decode() - decode a damon-get reply
 *
 * Without kdamond-pid nothing is bound, and the binding's attributes may
 * be absent; with it, ops and the intervals must be there.  The counters
 * and thresholds stay 0 where absent.
 *
 * Return: 0, -EBADMSG or -ENOMEM.  On error @info holds nothing to free.
 */
int mt_damon_info_decode(struct nlattr *attrs, int len,
			 struct mt_damon_info *info)
{
	struct nlattr *tb[MEMTALLY_A_DAMON_MAX + 1];
	struct mt_damon_binding *b = &info->b;
	int err = -EBADMSG;

	memset(info, 0, sizeof(*info));
	if (nla_parse(tb, MEMTALLY_A_DAMON_MAX, attrs, len, NULL))
		return -EBADMSG;
	b->bound = tb[MEMTALLY_A_DAMON_KDAMOND_PID];
	if (mt_may_u32(tb[MEMTALLY_A_DAMON_KDAMOND_PID], &b->kdamond_pid) ||
	    (b->bound && (mt_need_u32(tb[MEMTALLY_A_DAMON_OPS], &b->ops) ||
			  mt_need_u32(tb[MEMTALLY_A_DAMON_SAMPLE_US],
				   &b->sample_us) ||
			  mt_need_u32(tb[MEMTALLY_A_DAMON_AGGR_US], &b->aggr_us))) ||
	    mt_may_u32(tb[MEMTALLY_A_DAMON_WSS_RING], &b->wss_ring) ||
	    mt_may_u32(tb[MEMTALLY_A_DAMON_REGION_RING], &b->region_ring) ||
	    mt_may_uint(tb[MEMTALLY_A_DAMON_AGGREGATIONS], &info->aggregations) ||
	    mt_may_uint(tb[MEMTALLY_A_DAMON_UPDATED_NS], &info->updated_ns) ||
	    mt_may_uint(tb[MEMTALLY_A_DAMON_TOTAL_BYTES], &info->total_bytes) ||
	    mt_may_uint(tb[MEMTALLY_A_DAMON_UNATTRIBUTED_BYTES],
		    &info->unattributed_bytes) ||
	    mt_may_uint(tb[MEMTALLY_A_DAMON_PROBE_NS], &info->probe_ns) ||
	    mt_may_u32(tb[MEMTALLY_A_DAMON_HOT_RATE], &info->hot_rate) ||
	    mt_may_u32(tb[MEMTALLY_A_DAMON_COLD_RATE], &info->cold_rate) ||
	    mt_may_u32(tb[MEMTALLY_A_DAMON_STALE], &info->stale))
		goto fail;
	err = targets_decode(attrs, len, b);
	if (!err)
		return 0;
fail:
	mt_damon_info_free(info);
	return err;
}

const char *mt_damon_stale_why(uint32_t stale)
{
	switch (stale) {
	case 0:
		return NULL;
	case MEMTALLY_DAMON_STALE_TARGETS:
		return "the context's targets changed since the binding";
	case MEMTALLY_DAMON_STALE_INTERVALS:
		return "the context's intervals changed since the binding";
	default:
		return "the context changed since the binding";
	}
}

/**
 * mt_wss_decode() - decode one damon-wss-get reply (do, or one of a dump)
 *
 * A cgroup without samples may come without damon-wss-samples.
 *
 * Return: 0, -EBADMSG or -ENOMEM.  On error @w holds nothing to free.
 */
int mt_wss_decode(struct nlattr *attrs, int len, struct mt_wss *w)
{
	struct nlattr *tb[MEMTALLY_A_CGROUP_MAX + 1], *a;
	const size_t pair = 2 * sizeof(uint64_t);
	const char *p;
	size_t i;

	memset(w, 0, sizeof(*w));
	if (nla_parse(tb, MEMTALLY_A_CGROUP_MAX, attrs, len, NULL) ||
	    mt_need_uint(tb[MEMTALLY_A_CGROUP_ID], &w->id))
		return -EBADMSG;
	w->truncated = tb[MEMTALLY_A_CGROUP_DAMON_WSS_TRUNCATED] != NULL;
	a = tb[MEMTALLY_A_CGROUP_DAMON_WSS_SAMPLES];
	if (!a || !nla_len(a))
		return 0;
	if (nla_len(a) % pair)
		return -EBADMSG;
	w->nr = nla_len(a) / pair;
	w->v = calloc(w->nr, sizeof(*w->v));
	if (!w->v)
		return -ENOMEM;
	/* copied field by field: the payload is only 4-byte aligned */
	for (i = 0, p = nla_data(a); i < w->nr; i++, p += pair) {
		memcpy(&w->v[i].time_ns, p, sizeof(uint64_t));
		memcpy(&w->v[i].bytes, p + sizeof(uint64_t), sizeof(uint64_t));
	}
	return 0;
}

/**
 * mt_region_decode() - decode one damon-regions-get reply
 *
 * age-ms, cgroup-id (0: none) and target may be absent.
 *
 * Return: 0 or -EBADMSG.
 */
int mt_region_decode(struct nlattr *attrs, int len, struct mt_region *r)
{
	struct nlattr *tb[MEMTALLY_A_REGION_MAX + 1];

	memset(r, 0, sizeof(*r));
	if (nla_parse(tb, MEMTALLY_A_REGION_MAX, attrs, len, NULL) ||
	    mt_need_uint(tb[MEMTALLY_A_REGION_SEQ], &r->seq) ||
	    mt_need_uint(tb[MEMTALLY_A_REGION_TIME_NS], &r->time_ns) ||
	    mt_need_uint(tb[MEMTALLY_A_REGION_START], &r->start) ||
	    mt_need_uint(tb[MEMTALLY_A_REGION_END], &r->end) ||
	    mt_need_u32(tb[MEMTALLY_A_REGION_NR_ACCESSES], &r->nr_accesses) ||
	    mt_may_uint(tb[MEMTALLY_A_REGION_AGE_MS], &r->age_ms) ||
	    mt_may_uint(tb[MEMTALLY_A_REGION_CGROUP_ID], &r->cgroup_id) ||
	    mt_may_u32(tb[MEMTALLY_A_REGION_TARGET], &r->target) ||
	    r->end < r->start)
		return -EBADMSG;
	return 0;
}

/* @msg, or NULL (an allocation failure) if putting its attributes failed */
static struct nl_msg *put_or_free(struct nl_msg *msg, int failed)
{
	if (msg && failed) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

static int bind_put(struct nl_msg *msg, const struct mt_damon_binding *b)
{
	size_t i;

	if (nla_put_u32(msg, MEMTALLY_A_DAMON_KDAMOND_PID, b->kdamond_pid) ||
	    nla_put_u32(msg, MEMTALLY_A_DAMON_OPS, b->ops) ||
	    nla_put_u32(msg, MEMTALLY_A_DAMON_SAMPLE_US, b->sample_us) ||
	    nla_put_u32(msg, MEMTALLY_A_DAMON_AGGR_US, b->aggr_us) ||
	    (b->wss_ring &&
	     nla_put_u32(msg, MEMTALLY_A_DAMON_WSS_RING, b->wss_ring)) ||
	    (b->region_ring &&
	     nla_put_u32(msg, MEMTALLY_A_DAMON_REGION_RING, b->region_ring)))
		return -1;
	for (i = 0; i < b->nr_targets; i++)
		if (nla_put_u32(msg, MEMTALLY_A_DAMON_TARGET_PID,
				b->target_pids[i]))
			return -1;
	return 0;
}

/* damon-bind: attribute the aggregations of @b's kdamond from now on */
int mt_nl_damon_bind(struct mt_nl *nl, const struct mt_damon_binding *b)
{
	struct nl_msg *msg = mt_nl_msg(nl, MEMTALLY_CMD_DAMON_BIND, 0);

	return mt_nl_exchange(nl, put_or_free(msg, msg && bind_put(msg, b)),
			      NULL, NULL);
}

int mt_nl_damon_unbind(struct mt_nl *nl)
{
	return mt_nl_exchange(nl, mt_nl_msg(nl, MEMTALLY_CMD_DAMON_UNBIND, 0),
			      NULL, NULL);
}

struct info_reply {
	struct mt_damon_info *info;
	bool seen;
};

static int info_reply(struct nlattr *attrs, int len, void *arg)
{
	struct info_reply *r = arg;

	if (r->seen)	/* a second reply to a do request */
		return -EBADMSG;
	r->seen = true;
	return mt_damon_info_decode(attrs, len, r->info);
}

/* The damon-get reply into @info (free it with mt_damon_info_free()). */
int mt_nl_damon_get(struct mt_nl *nl, struct mt_damon_info *info)
{
	struct info_reply r = { .info = info };
	int err;

	memset(info, 0, sizeof(*info));
	err = mt_nl_exchange(nl, mt_nl_msg(nl, MEMTALLY_CMD_DAMON_GET, 0),
			     info_reply, &r);
	if (!err && !r.seen)	/* acked without a reply */
		err = -EBADMSG;
	return err;
}

/* config-set of the hot and cold thresholds, in accesses per second */
int mt_nl_damon_thresholds(struct mt_nl *nl, uint32_t hot_rate,
			   uint32_t cold_rate)
{
	struct nl_msg *msg = mt_nl_msg(nl, MEMTALLY_CMD_CONFIG_SET, 0);

	msg = put_or_free(msg, msg &&
			  (nla_put_u32(msg, MEMTALLY_A_CONFIG_DAMON_HOT_RATE,
				       hot_rate) ||
			   nla_put_u32(msg, MEMTALLY_A_CONFIG_DAMON_COLD_RATE,
				       cold_rate)));
	return mt_nl_exchange(nl, msg, NULL, NULL);
}

/*
 * Room for one more element at the end of @*v (of @nr, @*cap allocated, of
 * @size bytes each).  Return: 0 or -ENOMEM.
 */
static int grow(void **v, size_t *cap, size_t nr, size_t size)
{
	void *p;

	if (nr < *cap)
		return 0;
	p = realloc(*v, (*cap ? 2 * *cap : 64) * size);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = *cap ? 2 * *cap : 64;
	return 0;
}

static int wss_reply(struct nlattr *attrs, int len, void *arg)
{
	struct mt_wss_list *l = arg;
	int err = grow((void **)&l->v, &l->cap, l->nr, sizeof(*l->v));

	if (!err)
		err = mt_wss_decode(attrs, len, &l->v[l->nr]);
	if (!err)
		l->nr++;
	return err;
}

/* Appends to @l the samples of every tracked cgroup, or with @id of that. */
int mt_nl_damon_wss(struct mt_nl *nl, const uint64_t *id,
		    struct mt_wss_list *l)
{
	struct nl_msg *msg;

	msg = mt_nl_msg(nl, MEMTALLY_CMD_DAMON_WSS_GET, id ? 0 : NLM_F_DUMP);
	msg = put_or_free(msg, msg && id &&
			  nla_put_u64(msg, MEMTALLY_A_CGROUP_ID, *id));
	return mt_nl_exchange(nl, msg, wss_reply, l);
}

static int region_reply(struct nlattr *attrs, int len, void *arg)
{
	struct mt_regions *l = arg;
	int err = grow((void **)&l->v, &l->cap, l->nr, sizeof(*l->v));

	if (!err)
		err = mt_region_decode(attrs, len, &l->v[l->nr]);
	if (!err)
		l->nr++;
	return err;
}

/* Appends to @l the ring of region snapshots, oldest first. */
int mt_nl_damon_regions(struct mt_nl *nl, struct mt_regions *l)
{
	return mt_nl_exchange(nl, mt_nl_msg(nl, MEMTALLY_CMD_DAMON_REGIONS_GET,
					    NLM_F_DUMP), region_reply, l);
}

void mt_damon_info_free(struct mt_damon_info *info)
{
	free(info->b.target_pids);
	memset(info, 0, sizeof(*info));
}

void mt_wss_list_free(struct mt_wss_list *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		free(l->v[i].v);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void mt_regions_free(struct mt_regions *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}
