// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: the generic netlink family, as specified in
 * Documentation/netlink/specs/memtally.yaml.
 *
 * The same struct genl_ops table serves 6.1 (before split ops) and later
 * kernels, which convert full ops to split ops themselves.  The request
 * policies are generated from the spec (genl-gen.h).  Handlers run in
 * process context and may sleep; they read the store under RCU only.
 * Reads need CAP_PERFMON or CAP_SYS_ADMIN, changes CAP_SYS_ADMIN.  The
 * family is not netnsok: it only exists in the initial network namespace.
 */
#include <linux/capability.h>
#include <linux/time64.h>
#include <linux/cgroup.h>
#include <linux/utsname.h>
#include <net/genetlink.h>
#include <linux/memtally.h>

#include "memtally.h"
#include "compat.h"
#include "genl-gen.h"

static struct genl_family mt_genl_family;

/**
 * mt_genl_may_read() - may the sender of @skb read memtally's numbers?
 * @skb: a request
 * @extack: for the reason of a refusal
 *
 * Return: 0, or -EPERM with a message in @extack.
 */
int mt_genl_may_read(const struct sk_buff *skb, struct netlink_ext_ack *extack)
{
	if (netlink_capable(skb, CAP_PERFMON) ||
	    netlink_capable(skb, CAP_SYS_ADMIN))
		return 0;
	NL_SET_ERR_MSG(extack, "reading memtally needs CAP_PERFMON or CAP_SYS_ADMIN");
	return -EPERM;
}

/**
 * mt_genl_may_write() - may the sender of @skb change memtally's settings?
 * @skb: a request
 * @extack: for the reason of a refusal
 *
 * Return: 0, or -EPERM with a message in @extack.
 */
int mt_genl_may_write(const struct sk_buff *skb,
		      struct netlink_ext_ack *extack)
{
	if (netlink_capable(skb, CAP_SYS_ADMIN))
		return 0;
	NL_SET_ERR_MSG(extack, "changing memtally settings needs CAP_SYS_ADMIN");
	return -EPERM;
}

/**
 * mt_genl_put_hdr() - start a message of the memtally family
 * @msg: the buffer
 * @portid: netlink port of the receiver
 * @seq: sequence number of the request
 * @flags: netlink message flags
 * @cmd: MEMTALLY_CMD_*
 *
 * Return: the user header, NULL if @msg is full.
 */
void *mt_genl_put_hdr(struct sk_buff *msg, u32 portid, u32 seq, int flags,
		      u8 cmd)
{
	return genlmsg_put(msg, portid, seq, &mt_genl_family, flags, cmd);
}

static int mt_genl_put_hook(struct sk_buff *msg, const struct mt_hook *h)
{
	struct nlattr *nest;

	nest = nla_nest_start(msg, MEMTALLY_A_STATUS_HOOK);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(msg, MEMTALLY_A_HOOK_NAME, h->name) ||
	    nla_put_string(msg, MEMTALLY_A_HOOK_TRACEPOINT, h->tp_name) ||
	    nla_put_u32(msg, MEMTALLY_A_HOOK_STATE, h->state) ||
	    (h->state == MEMTALLY_HOOK_STATE_FAILED &&
	     nla_put_u32(msg, MEMTALLY_A_HOOK_ERRNO, -h->err))) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/* The room mt_genl_put_hook() takes for @h at most */
static size_t mt_genl_hook_size(const struct mt_hook *h)
{
	return nla_total_size(0) + nla_total_size(strlen(h->name) + 1) +
	       nla_total_size(strlen(h->tp_name) + 1) + 2 * nla_total_size(4);
}

static int memtally_nl_status_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	size_t size = GENLMSG_DEFAULT_SIZE;	/* the rest: far less */
	struct sk_buff *msg;
	unsigned int i;
	void *hdr;
	int err;

	err = mt_genl_may_read(skb, info->extack);
	if (err)
		return err;

	for (i = 0; i < mt_hooks_count(); i++)	/* every hook fits, however many */
		size += mt_genl_hook_size(mt_hook_get(i));
	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put(msg, info->snd_portid, info->snd_seq,
			  &mt_genl_family, 0, MEMTALLY_CMD_STATUS_GET);
	if (!hdr)
		goto too_big;
	if (nla_put_string(msg, MEMTALLY_A_STATUS_VERSION, MEMTALLY_VERSION) ||
	    nla_put_string(msg, MEMTALLY_A_STATUS_KERNEL_RELEASE,
			   init_utsname()->release) ||
	    nla_put_u32(msg, MEMTALLY_A_STATUS_NR_CGROUPS,
			mt_store_nr_cgroups()) ||
	    nla_put_u64_64bit(msg, MEMTALLY_A_STATUS_UNATTRIBUTED,
			      mt_store_unattributed(),
			      MEMTALLY_A_STATUS_PAD) ||
	    nla_put_u64_64bit(msg, MEMTALLY_A_STATUS_STALL_THRESHOLD_US,
			      mt_stall_threshold_us(),
			      MEMTALLY_A_STATUS_PAD) ||
	    nla_put_u64_64bit(msg, MEMTALLY_A_STATUS_EVENTS_DROPPED,
			      mt_events_dropped(), MEMTALLY_A_STATUS_PAD) ||
	    nla_put_u64_64bit(msg, MEMTALLY_A_STATUS_RECLAIM_UNPAIRED,
			      mt_pair_unpaired(), MEMTALLY_A_STATUS_PAD) ||
	    (MT_RECLAIM_NAMES_MEMCG &&
	     nla_put_flag(msg, MEMTALLY_A_STATUS_RECLAIM_NAMES_MEMCG)))
		goto too_big;
	for (i = 0; i < mt_hooks_count(); i++)
		if (mt_genl_put_hook(msg, mt_hook_get(i)))
			goto too_big;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

too_big:
	nlmsg_free(msg);
	NL_SET_ERR_MSG(info->extack, "status does not fit in one message");
	return -EMSGSIZE;
}

static const int mt_hist_attr[MT_NR_KINDS] = {
	[MEMTALLY_RECLAIM_KIND_DIRECT]	  = MEMTALLY_A_CGROUP_DIRECT_STALL_HIST,
	[MEMTALLY_RECLAIM_KIND_MEMCG]	  = MEMTALLY_A_CGROUP_MEMCG_STALL_HIST,
	[MEMTALLY_RECLAIM_KIND_SOFTLIMIT] = MEMTALLY_A_CGROUP_SOFTLIMIT_STALL_HIST,
	[MEMTALLY_RECLAIM_KIND_AGENT]	  = MEMTALLY_A_CGROUP_AGENT_STALL_HIST,
	[MEMTALLY_RECLAIM_KIND_COMPACT]	  = MEMTALLY_A_CGROUP_COMPACT_STALL_HIST,
};

static const int mt_ksm_attr[MT_NR_KSM] = {
	[MT_KSM_MERGING] = MEMTALLY_A_CGROUP_KSM_MERGING_PAGES,
	[MT_KSM_RMAP]	 = MEMTALLY_A_CGROUP_KSM_RMAP_ITEMS,
	[MT_KSM_ZERO]	 = MEMTALLY_A_CGROUP_KSM_ZERO_PAGES,
};

static int mt_genl_put_damon_row(struct sk_buff *msg,
				 const struct mt_damon_stats *d)
{
	if (nla_put_u64_64bit(msg, MEMTALLY_A_CGROUP_DAMON_WSS, d->wss,
			      MEMTALLY_A_CGROUP_PAD) ||
	    nla_put_u64_64bit(msg, MEMTALLY_A_CGROUP_DAMON_HOT, d->hot,
			      MEMTALLY_A_CGROUP_PAD) ||
	    nla_put_u64_64bit(msg, MEMTALLY_A_CGROUP_DAMON_WARM, d->warm,
			      MEMTALLY_A_CGROUP_PAD) ||
	    nla_put_u64_64bit(msg, MEMTALLY_A_CGROUP_DAMON_COLD, d->cold,
			      MEMTALLY_A_CGROUP_PAD) ||
	    nla_put(msg, MEMTALLY_A_CGROUP_DAMON_AGE_HIST, sizeof(d->age),
		    d->age))
		return -EMSGSIZE;
	return 0;
}

/* The counters and stall histograms of a row (@node: a node's counters) */
static int mt_genl_put_counters(struct sk_buff *msg,
				const struct mt_counters *c, bool node)
{
	unsigned int i;

	for (i = 0; i < MT_NR_COUNTERS; i++) {
		/* a counter of 0 is not sent: readers take absent for 0 */
		if ((node && !mt_counter_info[i].node) || !c->v[i])
			continue;
		if (nla_put_u64_64bit(msg, mt_counter_info[i].attr, c->v[i],
				      MEMTALLY_A_CGROUP_PAD))
			return -EMSGSIZE;
	}
	for (i = 0; i < MT_NR_KINDS && !node; i++)
		if (memchr_inv(c->hist[i], 0, sizeof(c->hist[i])) &&
		    nla_put(msg, mt_hist_attr[i], sizeof(c->hist[i]),
			    c->hist[i]))
			return -EMSGSIZE;
	return 0;
}

/* Where a cgroup sits: its parent, its removal, its removed descendants */
static int mt_genl_put_lineage(struct sk_buff *msg,
			       const struct mt_snapshot *s)
{
	struct nlattr *nest;

	if (s->parent_id &&
	    nla_put_u64_64bit(msg, MEMTALLY_A_CGROUP_PARENT_ID, s->parent_id,
			      MEMTALLY_A_CGROUP_PAD))
		return -EMSGSIZE;
	if (s->removed_ns &&
	    nla_put_u64_64bit(msg, MEMTALLY_A_CGROUP_REMOVED_NS, s->removed_ns,
			      MEMTALLY_A_CGROUP_PAD))
		return -EMSGSIZE;
	if (!s->has_gone)
		return 0;
	nest = nla_nest_start(msg, MEMTALLY_A_CGROUP_REMOVED_DESCENDANTS);
	if (!nest || mt_genl_put_counters(msg, &s->gone, false))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/*
 * One row: a cgroup (cgroup-get) or a node (node-get, @node true); @cb is
 * the dump it is part of, NULL for a do request.
 */
static int mt_genl_put_row(struct sk_buff *msg, const struct mt_snapshot *s,
			   bool node, u32 portid, u32 seq,
			   struct netlink_callback *cb)
{
	const struct mt_counters *c = &s->c;
	unsigned int i;
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &mt_genl_family,
			  cb ? NLM_F_MULTI : 0,
			  node ? MEMTALLY_CMD_NODE_GET : MEMTALLY_CMD_CGROUP_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (node ? nla_put_u32(msg, MEMTALLY_A_CGROUP_NODE, s->id) :
		   nla_put_u64_64bit(msg, MEMTALLY_A_CGROUP_ID, s->id,
				     MEMTALLY_A_CGROUP_PAD))
		goto cancel;
	if (mt_genl_put_counters(msg, c, node) ||
	    (!node && mt_genl_put_lineage(msg, s)))
		goto cancel;
	for (i = 0; i < MT_NR_KSM && !node; i++)
		if (s->ksm[i] &&
		    nla_put_u64_64bit(msg, mt_ksm_attr[i], s->ksm[i],
				      MEMTALLY_A_CGROUP_PAD))
			goto cancel;
	if (s->has_damon && mt_genl_put_damon_row(msg, &s->damon))
		goto cancel;
	genlmsg_end(msg, hdr);
	return 0;

cancel:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

/* The first message of a dump since a generation: only its dump-gen @gen */
static int mt_genl_put_gen(struct sk_buff *skb, struct netlink_callback *cb,
			   u64 gen)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &mt_genl_family, NLM_F_MULTI, MEMTALLY_CMD_CGROUP_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (nla_put_u64_64bit(skb, MEMTALLY_A_CGROUP_DUMP_GEN, gen,
			      MEMTALLY_A_CGROUP_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* The store's entry for @id; a cgroup created moments ago is synced first. */
static bool mt_genl_lookup(u64 id, struct mt_snapshot *snap)
{
	struct cgroup *cgrp;

	if (mt_store_get(id, snap))
		return true;
	/* walk the hierarchy only for a cgroup that exists */
	cgrp = cgroup_get_from_id(id);
	if (IS_ERR(cgrp))
		return false;
	cgroup_put(cgrp);
	mt_store_sync();
	return mt_store_get(id, snap);
}

static int memtally_nl_cgroup_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mt_snapshot *snap;
	struct sk_buff *msg;
	int err;
	u64 id;

	err = mt_genl_may_read(skb, info->extack);
	if (err)
		return err;
	if (info->attrs[MEMTALLY_A_CGROUP_ANCESTOR_ID]) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[MEMTALLY_A_CGROUP_ANCESTOR_ID],
				    "a do request takes no ancestor id; use a dump");
		return -EINVAL;
	}
	if (info->attrs[MEMTALLY_A_CGROUP_SINCE_GEN]) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[MEMTALLY_A_CGROUP_SINCE_GEN],
				    "a do request takes no since-gen; use a dump");
		return -EINVAL;
	}
	if (GENL_REQ_ATTR_CHECK(info, MEMTALLY_A_CGROUP_ID)) {
		NL_SET_ERR_MSG(info->extack, "missing cgroup id");
		return -EINVAL;
	}

	/* include-removed changes nothing: a do finds a removed cgroup */
	id = nla_get_u64(info->attrs[MEMTALLY_A_CGROUP_ID]);
	snap = kmalloc(sizeof(*snap), GFP_KERNEL);	/* ~2 KiB: not on the stack */
	if (!snap)
		return -ENOMEM;
	mt_ksm_refresh(NSEC_PER_SEC);	/* a row's gauges: a second old at most */
	if (!mt_genl_lookup(id, snap)) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[MEMTALLY_A_CGROUP_ID],
				    "no cgroup with this id");
		err = -ENOENT;
		goto out;
	}

	msg = genlmsg_new(GENLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto out;
	}
	err = mt_genl_put_row(msg, snap, false, info->snd_portid,
			      info->snd_seq, NULL);
	if (err) {
		nlmsg_free(msg);
		goto out;
	}
	err = genlmsg_reply(msg, info);
out:
	kfree(snap);
	return err;
}

#define MT_GENL_STALE \
	"since-gen is too old (or of an earlier load) to tell what changed since; dump with 0"

/* where a cgroup-get dump goes on, in cb->ctx */
struct mt_cgroup_dump_ctx {
	u64 next_id;		/* the lowest cgroup id not yet sent */
	struct mt_dump *d;	/* what it lists; freed by the done callback */
	bool put_gen;		/* since-gen asked: dump-gen not sent yet */
};

/* The ancestor-id of a dump request, which must be a tracked cgroup */
static int mt_genl_dump_ancestor(struct nlattr *attr, u64 *ancestor,
				 struct netlink_ext_ack *extack)
{
	struct mt_snapshot *snap;
	bool found;

	*ancestor = 0;
	if (!attr)
		return 0;
	snap = kmalloc(sizeof(*snap), GFP_KERNEL);	/* not on the stack */
	if (!snap)
		return -ENOMEM;
	*ancestor = nla_get_u64(attr);
	found = mt_genl_lookup(*ancestor, snap);
	kfree(snap);
	if (found)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr, "no cgroup with this id");
	return -ENOENT;
}

static int memtally_nl_cgroup_get_start(struct netlink_callback *cb)
{
	struct mt_cgroup_dump_ctx *ctx = (void *)cb->ctx;
	struct nlattr **attrs = mt_genl_dump_attrs(cb);
	struct nlattr *since;
	struct mt_dump *d;
	int err;

	err = mt_genl_may_read(cb->skb, cb->extack);
	if (err)
		return err;
	/* one op, one policy for do and dump: refuse what only do takes */
	if (attrs && attrs[MEMTALLY_A_CGROUP_ID]) {
		NL_SET_ERR_MSG_ATTR(cb->extack, attrs[MEMTALLY_A_CGROUP_ID],
				    "a dump takes no cgroup id; use a do request");
		return -EINVAL;
	}
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->removed = attrs && attrs[MEMTALLY_A_CGROUP_INCLUDE_REMOVED];
	since = attrs ? attrs[MEMTALLY_A_CGROUP_SINCE_GEN] : NULL;
	d->since = since ? nla_get_u64(since) : 0;
	/* Start from the hierarchy as it is now, with KSM sums <= 1 s old. */
	mt_store_refresh();
	mt_ksm_refresh(NSEC_PER_SEC);
	err = mt_genl_dump_ancestor(attrs ? attrs[MEMTALLY_A_CGROUP_ANCESTOR_ID] :
				    NULL, &d->below, cb->extack);
	if (!err)
		err = mt_store_dump_begin(d);
	if (err == -ESTALE)
		NL_SET_ERR_MSG_ATTR(cb->extack, since, MT_GENL_STALE);
	if (err) {
		/* the done callback runs only after a start that succeeded */
		mt_store_dump_end(d);
		kfree(d);
		return err;
	}
	ctx->d = d;
	ctx->put_gen = since;
	return 0;
}

static int memtally_nl_cgroup_get_done(struct netlink_callback *cb)
{
	struct mt_cgroup_dump_ctx *ctx = (void *)cb->ctx;

	if (ctx->d) {
		mt_store_dump_end(ctx->d);
		kfree(ctx->d);
		ctx->d = NULL;
	}
	return 0;
}

/*
 * Resumable from cb->ctx.  Rows come in ascending id order, so none twice
 * (with an ancestor, only its subtree's); a cgroup tracked or retired
 * while the dump spans several messages flags the rest NLM_F_DUMP_INTR.
 */
static int memtally_nl_cgroup_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct mt_cgroup_dump_ctx *ctx = (void *)cb->ctx;
	u64 id = ctx->next_id;
	struct mt_snapshot *snap;
	int err = 0, found = 0;

	NL_ASSERT_DUMP_CTX_FITS(struct mt_cgroup_dump_ctx);
	snap = kmalloc(sizeof(*snap), GFP_KERNEL);	/* not on the stack */
	if (!snap)
		return -ENOMEM;
	cb->seq = mt_store_changes() + 1;	/* 0 would mean "unknown" */
	if (ctx->put_gen) {
		err = mt_genl_put_gen(skb, cb, ctx->d->gen);
		if (err)
			goto out;
		ctx->put_gen = false;
	}
	while ((found = mt_store_dump_next(&id, snap, ctx->d)) > 0) {
		err = mt_genl_put_row(skb, snap, false,
				      NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, cb);
		if (err)
			break;
		if (id == U64_MAX)
			break;
		id++;
	}
out:
	kfree(snap);
	if (found < 0) {
		NL_SET_ERR_MSG(cb->extack, MT_GENL_STALE);
		return found;
	}
	ctx->next_id = id;
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err;
}

static int memtally_nl_node_get_start(struct netlink_callback *cb)
{
	return mt_genl_may_read(cb->skb, cb->extack);
}

/* where a node-get dump goes on, in cb->ctx */
struct mt_node_dump_ctx {
	int next_nid;		/* the lowest node not yet sent */
};

/* Resumable from cb->ctx, in node order. */
static int memtally_nl_node_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct mt_node_dump_ctx *ctx = (void *)cb->ctx;
	int nid = ctx->next_nid;
	struct mt_snapshot *snap;
	int err = 0;

	NL_ASSERT_DUMP_CTX_FITS(struct mt_node_dump_ctx);
	snap = kmalloc(sizeof(*snap), GFP_KERNEL);	/* not on the stack */
	if (!snap)
		return -ENOMEM;
	while (mt_store_find_node(&nid, snap)) {
		err = mt_genl_put_row(skb, snap, true,
				      NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, cb);
		if (err)
			break;
		nid++;
	}
	kfree(snap);
	ctx->next_nid = nid;
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err;
}

static int memtally_nl_ksm_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	u64 sums[MT_NR_KSM], scans, ns;
	struct sk_buff *msg;
	void *hdr;
	int err;

	err = mt_genl_may_read(skb, info->extack);
	if (err)
		return err;
	mt_ksm_refresh(0);	/* from a walk that started after the request */
	ns = mt_ksm_read(sums);
	msg = genlmsg_new(GENLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put(msg, info->snd_portid, info->snd_seq,
			  &mt_genl_family, 0, MEMTALLY_CMD_KSM_GET);
	if (!hdr ||
	    nla_put_u64_64bit(msg, MEMTALLY_A_KSM_UPDATED_NS, ns,
			      MEMTALLY_A_KSM_PAD) ||
	    nla_put_u64_64bit(msg, MEMTALLY_A_KSM_MERGING_PAGES,
			      sums[MT_KSM_MERGING], MEMTALLY_A_KSM_PAD) ||
	    nla_put_u64_64bit(msg, MEMTALLY_A_KSM_RMAP_ITEMS,
			      sums[MT_KSM_RMAP], MEMTALLY_A_KSM_PAD) ||
	    nla_put_u64_64bit(msg, MEMTALLY_A_KSM_ZERO_PAGES,
			      sums[MT_KSM_ZERO], MEMTALLY_A_KSM_PAD) ||
	    (mt_ksm_full_scans(&scans) &&
	     nla_put_u64_64bit(msg, MEMTALLY_A_KSM_FULL_SCANS, scans,
			       MEMTALLY_A_KSM_PAD))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int mt_genl_config_rates(struct genl_info *info)
{
	struct nlattr *hot_a = info->attrs[MEMTALLY_A_CONFIG_DAMON_HOT_RATE];
	struct nlattr *cold_a = info->attrs[MEMTALLY_A_CONFIG_DAMON_COLD_RATE];
	u32 hot = hot_a ? nla_get_u32(hot_a) : 0;
	u32 cold = cold_a ? nla_get_u32(cold_a) : 0;

	if (!hot_a && !cold_a)
		return 0;
	if (mt_damon_set_rates(hot_a ? &hot : NULL, cold_a ? &cold : NULL)) {
		NL_SET_ERR_MSG_ATTR(info->extack, cold_a ?: hot_a,
				    "DAMON cold rate above the hot rate");
		return -EINVAL;
	}
	return 0;
}

static int memtally_nl_config_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *a = info->attrs[MEMTALLY_A_CONFIG_STALL_THRESHOLD_US];
	int err;

	err = mt_genl_may_write(skb, info->extack);
	if (err)
		return err;
	if (!a && !info->attrs[MEMTALLY_A_CONFIG_DAMON_HOT_RATE] &&
	    !info->attrs[MEMTALLY_A_CONFIG_DAMON_COLD_RATE]) {
		NL_SET_ERR_MSG(info->extack, "nothing to set");
		return -EINVAL;
	}
	/* check everything before changing anything */
	err = mt_genl_config_rates(info);
	if (err)
		return err;
	if (a)
		mt_set_stall_threshold_us(nla_get_u64(a));
	return 0;
}

/**
 * mt_genl_has_listeners() - does anyone listen to the "events" group?
 *
 * Context: any.
 * Return: true if a socket joined the group.
 */
bool mt_genl_has_listeners(void)
{
	return MT_GENL_EVENTS &&
	       genl_has_listeners(&mt_genl_family, &init_net, 0);
}

/**
 * mt_genl_event() - multicast one event to the "events" group
 * @ev: the event
 *
 * Context: process context (the events work); may sleep.
 */
void mt_genl_event(const struct mt_event *ev)
{
	struct sk_buff *msg;
	void *hdr;

	/* sized to fit: a subscriber's receive buffer holds many events */
	msg = genlmsg_new(6 * nla_total_size_64bit(sizeof(u64)) +
			  3 * nla_total_size(sizeof(u32)) +
			  nla_total_size(sizeof(ev->comm)), GFP_KERNEL);
	if (!msg) {
		mt_event_dropped();
		return;
	}
	hdr = genlmsg_put(msg, 0, 0, &mt_genl_family, 0, ev->cmd);
	if (!hdr)
		goto free;
	if (nla_put_u64_64bit(msg, MEMTALLY_A_EVENT_TIMESTAMP_NS, ev->ts,
			      MEMTALLY_A_EVENT_PAD) ||
	    nla_put_u32(msg, MEMTALLY_A_EVENT_PID, ev->pid) ||
	    nla_put_string(msg, MEMTALLY_A_EVENT_COMM, ev->comm) ||
	    nla_put_u64_64bit(msg, MEMTALLY_A_EVENT_CGROUP_ID, ev->cgroup_id,
			      MEMTALLY_A_EVENT_PAD))
		goto free;
	if (ev->cmd == MEMTALLY_CMD_OOM_KILL_NTF &&
	    (nla_put_u32(msg, MEMTALLY_A_EVENT_UID, ev->uid) ||
	     nla_put_u64_64bit(msg, MEMTALLY_A_EVENT_ANON_RSS, ev->anon_rss,
			       MEMTALLY_A_EVENT_PAD) ||
	     nla_put_u64_64bit(msg, MEMTALLY_A_EVENT_FILE_RSS, ev->file_rss,
			       MEMTALLY_A_EVENT_PAD) ||
	     nla_put_u64_64bit(msg, MEMTALLY_A_EVENT_SHMEM_RSS, ev->shmem_rss,
			       MEMTALLY_A_EVENT_PAD)))
		goto free;
	if (ev->cmd == MEMTALLY_CMD_RECLAIM_STALL_NTF &&
	    (nla_put_u32(msg, MEMTALLY_A_EVENT_RECLAIM_KIND, ev->kind) ||
	     nla_put_u64_64bit(msg, MEMTALLY_A_EVENT_STALL_NS, ev->stall_ns,
			       MEMTALLY_A_EVENT_PAD) ||
	     nla_put_u64_64bit(msg, MEMTALLY_A_EVENT_RECLAIMED, ev->reclaimed,
			       MEMTALLY_A_EVENT_PAD)))
		goto free;
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&mt_genl_family, msg, 0, 0, GFP_KERNEL);
	return;

free:
	nlmsg_free(msg);
	mt_event_dropped();
}

static const struct genl_ops mt_genl_ops[] = {
	{
		.cmd	= MEMTALLY_CMD_STATUS_GET,
		.doit	= memtally_nl_status_get_doit,
	},
	{
		.cmd	= MEMTALLY_CMD_CGROUP_GET,
		.doit	= memtally_nl_cgroup_get_doit,
		.start	= memtally_nl_cgroup_get_start,
		.dumpit	= memtally_nl_cgroup_get_dumpit,
		.done	= memtally_nl_cgroup_get_done,
		.policy	= memtally_cgroup_get_do_nl_policy,
		.maxattr = ARRAY_SIZE(memtally_cgroup_get_do_nl_policy) - 1,
	},
	{
		.cmd	= MEMTALLY_CMD_NODE_GET,
		.start	= memtally_nl_node_get_start,
		.dumpit	= memtally_nl_node_get_dumpit,
	},
	{
		.cmd	= MEMTALLY_CMD_KSM_GET,
		.doit	= memtally_nl_ksm_get_doit,
	},
	{
		.cmd	= MEMTALLY_CMD_CONFIG_SET,
		.doit	= memtally_nl_config_set_doit,
		.policy	= memtally_config_set_nl_policy,
		.maxattr = ARRAY_SIZE(memtally_config_set_nl_policy) - 1,
	},
	{
		.cmd	= MEMTALLY_CMD_DAMON_BIND,
		.doit	= memtally_nl_damon_bind_doit,
		.policy	= memtally_damon_bind_nl_policy,
		.maxattr = ARRAY_SIZE(memtally_damon_bind_nl_policy) - 1,
	},
	{
		.cmd	= MEMTALLY_CMD_DAMON_UNBIND,
		.doit	= memtally_nl_damon_unbind_doit,
	},
	{
		.cmd	= MEMTALLY_CMD_DAMON_GET,
		.doit	= memtally_nl_damon_get_doit,
	},
	{
		.cmd	= MEMTALLY_CMD_DAMON_WSS_GET,
		.doit	= memtally_nl_damon_wss_get_doit,
		.start	= memtally_nl_damon_wss_get_start,
		.dumpit	= memtally_nl_damon_wss_get_dumpit,
		.policy	= memtally_damon_wss_get_nl_policy,
		.maxattr = ARRAY_SIZE(memtally_damon_wss_get_nl_policy) - 1,
	},
	{
		.cmd	= MEMTALLY_CMD_DAMON_REGIONS_GET,
		.start	= memtally_nl_damon_regions_get_start,
		.dumpit	= memtally_nl_damon_regions_get_dumpit,
	},
};

/* index 0: the group offset genl_has_listeners() and multicast take */
static const struct genl_multicast_group mt_genl_mcgrps[] = {
	{ .name = MEMTALLY_MCGRP_EVENTS, .flags = MT_GENL_EVENTS_FLAGS, },
};

static struct genl_family mt_genl_family = {
	.name		= MEMTALLY_FAMILY_NAME,
	.version	= MEMTALLY_FAMILY_VERSION,
	.netnsok	= false,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= mt_genl_ops,
	.n_ops		= ARRAY_SIZE(mt_genl_ops),
	/*
	 * 0: every op validates the genl header's reserved field and rejects
	 * attributes it has no policy for
	 */
	.resv_start_op	= 0,
	.mcgrps		= mt_genl_mcgrps,
	.n_mcgrps	= MT_GENL_EVENTS ? ARRAY_SIZE(mt_genl_mcgrps) : 0,
};

/**
 * mt_genl_init() - register the "memtally" generic netlink family
 *
 * Return: 0 or a negative errno.
 */
int mt_genl_init(void)
{
	return genl_register_family(&mt_genl_family);
}

/**
 * mt_genl_exit() - unregister the family
 *
 * Context: process context.  Returns after every running request finished;
 * a dump in progress holds a reference on the module, so this is only
 * reached once no dump is running.
 */
void mt_genl_exit(void)
{
	genl_unregister_family(&mt_genl_family);
}
