// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: the DAMON operations of the generic netlink family
 * (damon-bind, damon-unbind, damon-get, damon-wss-get, damon-regions-get;
 * see Documentation/netlink/specs/memtally.yaml).  genl.c holds the op
 * table and the policies.  Handlers run in process context and may sleep.
 */
#include <linux/slab.h>
#include <net/genetlink.h>
#include <linux/memtally.h>

#include "memtally.h"
#include "compat.h"

#define MT_DAMON_DEFAULT_WSS_RING	64
#define MT_DAMON_DEFAULT_REGION_RING	8192

static int mt_damon_req_targets(struct genl_info *info,
				struct mt_damon_req *req)
{
	const struct nlattr *a;
	int rem;

	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != MEMTALLY_A_DAMON_TARGET_PID)
			continue;
		if (req->nr_targets == MT_DAMON_MAX_TARGETS) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "more than 64 targets");
			return -E2BIG;
		}
		req->targets[req->nr_targets++] = nla_get_u32(a);
	}
	return 0;
}

/**
 * memtally_nl_damon_bind_doit() - damon-bind: attribute one kdamond's aggregations
 * @skb: the request
 * @info: its parsed attributes
 *
 * Return: 0 or a negative errno with an extack message.
 */
int memtally_nl_damon_bind_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct mt_damon_req *req;
	int err;

	err = mt_genl_may_write(skb, info->extack);
	if (err)
		return err;
	if (GENL_REQ_ATTR_CHECK(info, MEMTALLY_A_DAMON_KDAMOND_PID) ||
	    GENL_REQ_ATTR_CHECK(info, MEMTALLY_A_DAMON_OPS) ||
	    GENL_REQ_ATTR_CHECK(info, MEMTALLY_A_DAMON_SAMPLE_US) ||
	    GENL_REQ_ATTR_CHECK(info, MEMTALLY_A_DAMON_AGGR_US)) {
		NL_SET_ERR_MSG(info->extack,
			       "kdamond-pid, ops, sample-us and aggr-us are required");
		return -EINVAL;
	}
	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	req->kdamond = nla_get_u32(tb[MEMTALLY_A_DAMON_KDAMOND_PID]);
	req->ops = nla_get_u32(tb[MEMTALLY_A_DAMON_OPS]);
	req->sample_us = nla_get_u32(tb[MEMTALLY_A_DAMON_SAMPLE_US]);
	req->aggr_us = nla_get_u32(tb[MEMTALLY_A_DAMON_AGGR_US]);
	req->wss_ring = tb[MEMTALLY_A_DAMON_WSS_RING] ?
		nla_get_u32(tb[MEMTALLY_A_DAMON_WSS_RING]) :
		MT_DAMON_DEFAULT_WSS_RING;
	req->region_ring = tb[MEMTALLY_A_DAMON_REGION_RING] ?
		nla_get_u32(tb[MEMTALLY_A_DAMON_REGION_RING]) :
		MT_DAMON_DEFAULT_REGION_RING;
	err = mt_damon_req_targets(info, req);
	if (err)
		goto out;
	err = -EINVAL;
	if (req->aggr_us < req->sample_us) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[MEMTALLY_A_DAMON_AGGR_US],
				    "aggregation interval below the sampling interval");
		goto out;
	}
	if (req->ops == MEMTALLY_DAMON_OPS_VADDR && !req->nr_targets) {
		NL_SET_ERR_MSG(info->extack, "vaddr needs a target-pid per target");
		goto out;
	}
	if (req->ops == MEMTALLY_DAMON_OPS_PADDR && req->nr_targets) {
		NL_SET_ERR_MSG(info->extack, "paddr takes no target-pid");
		goto out;
	}
	err = mt_damon_bind(req, info->extack);
	if (err == -ESRCH && !req->nr_targets)
		NL_SET_BAD_ATTR(info->extack, tb[MEMTALLY_A_DAMON_KDAMOND_PID]);
out:
	kfree(req);
	return err;
}

/**
 * memtally_nl_damon_unbind_doit() - damon-unbind: stop attributing
 * @skb: the request
 * @info: its parsed attributes
 *
 * Return: 0 or a negative errno with an extack message.
 */
int memtally_nl_damon_unbind_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err = mt_genl_may_write(skb, info->extack);

	return err ? err : mt_damon_unbind(info->extack);
}

static int mt_genl_put_damon(struct sk_buff *msg,
			     const struct mt_damon_info *di)
{
	u32 i;

	if (di->kdamond &&
	    (nla_put_u32(msg, MEMTALLY_A_DAMON_KDAMOND_PID, di->kdamond) ||
	     nla_put_u32(msg, MEMTALLY_A_DAMON_OPS, di->ops) ||
	     nla_put_u32(msg, MEMTALLY_A_DAMON_SAMPLE_US, di->sample_us) ||
	     nla_put_u32(msg, MEMTALLY_A_DAMON_AGGR_US, di->aggr_us) ||
	     nla_put_u32(msg, MEMTALLY_A_DAMON_WSS_RING, di->wss_ring) ||
	     nla_put_u32(msg, MEMTALLY_A_DAMON_REGION_RING, di->region_ring)))
		return -EMSGSIZE;
	for (i = 0; di->kdamond && i < di->nr_targets; i++)
		if (nla_put_u32(msg, MEMTALLY_A_DAMON_TARGET_PID,
				di->targets[i]))
			return -EMSGSIZE;
	if (nla_put_u64_64bit(msg, MEMTALLY_A_DAMON_AGGREGATIONS,
			      di->aggregations, MEMTALLY_A_DAMON_PAD) ||
	    nla_put_u64_64bit(msg, MEMTALLY_A_DAMON_UPDATED_NS, di->updated_ns,
			      MEMTALLY_A_DAMON_PAD) ||
	    nla_put_u64_64bit(msg, MEMTALLY_A_DAMON_TOTAL_BYTES,
			      di->total_bytes, MEMTALLY_A_DAMON_PAD) ||
	    nla_put_u64_64bit(msg, MEMTALLY_A_DAMON_UNATTRIBUTED_BYTES,
			      di->unattr_bytes, MEMTALLY_A_DAMON_PAD) ||
	    nla_put_u64_64bit(msg, MEMTALLY_A_DAMON_PROBE_NS, di->probe_ns,
			      MEMTALLY_A_DAMON_PAD) ||
	    nla_put_u32(msg, MEMTALLY_A_DAMON_HOT_RATE, di->hot_rate) ||
	    nla_put_u32(msg, MEMTALLY_A_DAMON_COLD_RATE, di->cold_rate) ||
	    (di->stale &&
	     nla_put_u32(msg, MEMTALLY_A_DAMON_STALE, di->stale)))
		return -EMSGSIZE;
	return 0;
}

/**
 * memtally_nl_damon_get_doit() - damon-get: the binding and its state
 * @skb: the request
 * @info: its parsed attributes
 *
 * Return: 0 or a negative errno with an extack message.
 */
int memtally_nl_damon_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mt_damon_info *di;
	struct sk_buff *msg;
	void *hdr;
	int err;

	err = mt_genl_may_read(skb, info->extack);
	if (err)
		return err;
	di = kmalloc(sizeof(*di), GFP_KERNEL);
	msg = genlmsg_new(GENLMSG_DEFAULT_SIZE, GFP_KERNEL);
	err = -ENOMEM;
	if (!di || !msg)
		goto free;
	mt_damon_info(di);
	err = -EMSGSIZE;
	hdr = mt_genl_put_hdr(msg, info->snd_portid, info->snd_seq, 0,
			      MEMTALLY_CMD_DAMON_GET);
	if (!hdr || mt_genl_put_damon(msg, di))
		goto free;
	genlmsg_end(msg, hdr);
	kfree(di);
	return genlmsg_reply(msg, info);
free:
	kfree(di);
	nlmsg_free(msg);
	return err;
}

/*
 * One cgroup's samples.  A row goes whole into a message or not at all
 * (-EMSGSIZE: the next message); only a row too big for an empty message
 * (@first) carries the newest samples that fit, and says so with
 * damon-wss-truncated.
 */
static int mt_genl_put_wss(struct sk_buff *msg, u64 id,
			   const struct mt_wss_sample *v, int n, bool first,
			   u32 portid, u32 seq, int flags)
{
	void *hdr;
	int k = n;

	hdr = mt_genl_put_hdr(msg, portid, seq, flags,
			      MEMTALLY_CMD_DAMON_WSS_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(msg, MEMTALLY_A_CGROUP_ID, id,
			      MEMTALLY_A_CGROUP_PAD))
		goto cancel;
	if (skb_tailroom(msg) < nla_total_size(n * sizeof(*v))) {
		if (!first ||
		    nla_put_flag(msg, MEMTALLY_A_CGROUP_DAMON_WSS_TRUNCATED))
			goto cancel;
		k = ((int)skb_tailroom(msg) - nla_total_size(0)) /
		    (int)sizeof(*v);
		k = clamp(k, 0, n);
	}
	if (nla_put(msg, MEMTALLY_A_CGROUP_DAMON_WSS_SAMPLES, k * sizeof(*v),
		    v + n - k))
		goto cancel;
	genlmsg_end(msg, hdr);
	return 0;
cancel:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

/**
 * memtally_nl_damon_wss_get_doit() - damon-wss-get do: samples of one cgroup
 * @skb: the request
 * @info: its parsed attributes
 *
 * Return: 0 or a negative errno with an extack message.
 */
int memtally_nl_damon_wss_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mt_wss_sample *v;
	struct sk_buff *msg;
	u64 id, found;
	int n, err;

	err = mt_genl_may_read(skb, info->extack);
	if (err)
		return err;
	if (GENL_REQ_ATTR_CHECK(info, MEMTALLY_A_CGROUP_ID)) {
		NL_SET_ERR_MSG(info->extack, "missing cgroup id");
		return -EINVAL;
	}
	v = kvmalloc_array(MEMTALLY_DAMON_WSS_RING_MAX, sizeof(*v),
			   GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	id = nla_get_u64(info->attrs[MEMTALLY_A_CGROUP_ID]);
	found = id;
	n = mt_store_damon_samples(&found, v, MEMTALLY_DAMON_WSS_RING_MAX);
	if (n < 0 || found != id) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[MEMTALLY_A_CGROUP_ID],
				    "no DAMON numbers for this cgroup id (not bound, or no such cgroup)");
		err = -ENOENT;
		goto out;
	}
	msg = genlmsg_new(nla_total_size_64bit(sizeof(u64)) +
			  nla_total_size(n * sizeof(*v)), GFP_KERNEL);
	err = -ENOMEM;
	if (!msg)
		goto out;
	err = mt_genl_put_wss(msg, id, v, n, true, info->snd_portid,
			      info->snd_seq, 0);
	if (err) {
		nlmsg_free(msg);
		goto out;
	}
	err = genlmsg_reply(msg, info);
out:
	kvfree(v);
	return err;
}

/**
 * memtally_nl_damon_wss_get_start() - damon-wss-get dump: check the request
 * @cb: the dump
 *
 * Every message of the dump gets room for at least one whole row of the
 * bound ring (netlink's default is a page, a quarter of a 1024-sample row).
 *
 * Return: 0 or a negative errno with an extack message.
 */
int memtally_nl_damon_wss_get_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = mt_genl_dump_attrs(cb);
	int err;

	err = mt_genl_may_read(cb->skb, cb->extack);
	if (err)
		return err;
	if (attrs && attrs[MEMTALLY_A_CGROUP_ID]) {
		NL_SET_ERR_MSG_ATTR(cb->extack, attrs[MEMTALLY_A_CGROUP_ID],
				    "a dump takes no cgroup id; use a do request");
		return -EINVAL;
	}
	cb->min_dump_alloc = NLMSG_SPACE(GENL_HDRLEN +
					 nla_total_size_64bit(sizeof(u64)) +
					 nla_total_size(mt_store_damon_ring() *
							sizeof(struct mt_wss_sample)));
	return 0;
}

/* where a damon-wss-get dump goes on, in cb->ctx */
struct mt_wss_dump_ctx {
	u64 next_id;		/* the lowest cgroup id not yet sent */
};

/**
 * memtally_nl_damon_wss_get_dumpit() - damon-wss-get dump: every cgroup's samples
 * @skb: the message to fill
 * @cb: the dump, resumable from its ctx
 *
 * Return: bytes written, 0 at the end, or a negative errno.
 */
int memtally_nl_damon_wss_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct mt_wss_dump_ctx *ctx = (void *)cb->ctx;
	u64 id = ctx->next_id;
	struct mt_wss_sample *v;
	int n, err = 0;

	NL_ASSERT_DUMP_CTX_FITS(struct mt_wss_dump_ctx);
	v = kvmalloc_array(MEMTALLY_DAMON_WSS_RING_MAX, sizeof(*v),
			   GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	while ((n = mt_store_damon_samples(&id, v,
					   MEMTALLY_DAMON_WSS_RING_MAX)) >= 0) {
		err = mt_genl_put_wss(skb, id, v, n, !skb->len,
				      NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI);
		if (err || id == U64_MAX)
			break;
		id++;
	}
	kvfree(v);
	ctx->next_id = id;
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return n < 0 ? 0 : err;
}

/**
 * memtally_nl_damon_regions_get_start() - damon-regions-get dump: check the caller
 * @cb: the dump
 *
 * Return: 0 or -EPERM with an extack message.
 */
int memtally_nl_damon_regions_get_start(struct netlink_callback *cb)
{
	return mt_genl_may_read(cb->skb, cb->extack);
}

static int mt_genl_put_region(struct sk_buff *msg, struct netlink_callback *cb,
			      const struct mt_region_snap *s)
{
	void *hdr;

	hdr = mt_genl_put_hdr(msg, NETLINK_CB(cb->skb).portid,
			      cb->nlh->nlmsg_seq, NLM_F_MULTI,
			      MEMTALLY_CMD_DAMON_REGIONS_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (nla_put_u64_64bit(msg, MEMTALLY_A_REGION_SEQ, s->seq,
			      MEMTALLY_A_REGION_PAD) ||
	    nla_put_u64_64bit(msg, MEMTALLY_A_REGION_TIME_NS, s->time_ns,
			      MEMTALLY_A_REGION_PAD) ||
	    nla_put_u64_64bit(msg, MEMTALLY_A_REGION_START, s->start,
			      MEMTALLY_A_REGION_PAD) ||
	    nla_put_u64_64bit(msg, MEMTALLY_A_REGION_END, s->end,
			      MEMTALLY_A_REGION_PAD) ||
	    nla_put_u32(msg, MEMTALLY_A_REGION_NR_ACCESSES, s->nr_accesses) ||
	    nla_put_u64_64bit(msg, MEMTALLY_A_REGION_AGE_MS, s->age_ms,
			      MEMTALLY_A_REGION_PAD) ||
	    (s->cgroup_id &&
	     nla_put_u64_64bit(msg, MEMTALLY_A_REGION_CGROUP_ID, s->cgroup_id,
			       MEMTALLY_A_REGION_PAD)) ||
	    nla_put_u32(msg, MEMTALLY_A_REGION_TARGET, s->target)) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

#define MT_REGIONS_BATCH	32

/* where a damon-regions-get dump goes on, in cb->ctx */
struct mt_regions_dump_ctx {
	u64 gen;		/* the binding's generation (0: not yet read) */
	u64 pos;		/* the next snapshot's sequence number */
	u64 end;		/* the ring's head when the dump started */
};

/**
 * memtally_nl_damon_regions_get_dumpit() - damon-regions-get dump: the region ring
 * @skb: the message to fill
 * @cb: the dump, resumable from its ctx
 *
 * A rebinding in the middle ends the dump, flagged NLM_F_DUMP_INTR.
 * Return: bytes written, 0 at the end, or a negative errno.
 */
int memtally_nl_damon_regions_get_dumpit(struct sk_buff *skb,
					 struct netlink_callback *cb)
{
	struct mt_regions_dump_ctx *ctx = (void *)cb->ctx;
	u64 gen = ctx->gen, pos = ctx->pos, end = ctx->end;
	struct mt_region_snap *v;
	int n, i, err = 0;

	NL_ASSERT_DUMP_CTX_FITS(struct mt_regions_dump_ctx);
	v = kmalloc_array(MT_REGIONS_BATCH, sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	for (;;) {
		n = mt_damon_regions(&gen, &pos, &end, v, MT_REGIONS_BATCH);
		if (n < 0) {
			/* the binding changed: NLMSG_DONE says so */
			cb->seq++;
			break;
		}
		cb->seq = gen;
		for (i = 0; i < n; i++) {
			err = mt_genl_put_region(skb, cb, &v[i]);
			if (err) {
				/* this one and the rest go next time */
				pos = v[i].seq;
				break;
			}
		}
		if (err || pos >= end)
			break;
	}
	kfree(v);
	ctx->gen = gen;
	ctx->pos = pos;
	ctx->end = end;
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err;
}
