// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: decode the attributes of one reply message into plain structs.
 * Callers pass the attribute stream after the generic netlink header; the
 * status reply needs the stream rather than a parsed table because its
 * hook attribute repeats.  Unknown attributes are ignored, malformed ones
 * make the reply invalid (-EBADMSG), and so do missing ones, except those
 * an older module does not send: the counters and histograms of a row, the
 * status fields added with them, and the uid of an OOM victim.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <linux/memtally.h>

#include "decode.h"

static const struct nla_policy status_policy[MEMTALLY_A_STATUS_MAX + 1] = {
	[MEMTALLY_A_STATUS_VERSION]		= { .type = NLA_STRING },
	[MEMTALLY_A_STATUS_KERNEL_RELEASE]	= { .type = NLA_STRING },
	[MEMTALLY_A_STATUS_HOOK]		= { .type = NLA_NESTED },
	[MEMTALLY_A_STATUS_RECLAIM_NAMES_MEMCG]	= { .type = NLA_FLAG },
};

static const struct nla_policy hook_policy[MEMTALLY_A_HOOK_MAX + 1] = {
	[MEMTALLY_A_HOOK_NAME]		= { .type = NLA_STRING },
	[MEMTALLY_A_HOOK_TRACEPOINT]	= { .type = NLA_STRING },
};

/*
 * Unsigned integers may come as 4 or 8 bytes (the kernel may send a u64
 * counter as the variable-width "uint" type); read them by length.
 */
int mt_attr_uint(const struct nlattr *a, uint64_t *v)
{
	switch (nla_len(a)) {
	case sizeof(uint32_t):
		*v = nla_get_u32(a);
		return 0;
	case sizeof(uint64_t):
		*v = nla_get_u64(a);
		return 0;
	}
	return -EBADMSG;
}

int mt_attr_u32(const struct nlattr *a, uint32_t *v)
{
	uint64_t u;

	if (mt_attr_uint(a, &u) || u > UINT32_MAX)
		return -EBADMSG;
	*v = u;
	return 0;
}

/* An attribute the message must have */
int mt_need_uint(const struct nlattr *a, uint64_t *v)
{
	return a ? mt_attr_uint(a, v) : -EBADMSG;
}

int mt_need_u32(const struct nlattr *a, uint32_t *v)
{
	return a ? mt_attr_u32(a, v) : -EBADMSG;
}

/* An attribute the message may lack: then @v keeps its value */
int mt_may_uint(const struct nlattr *a, uint64_t *v)
{
	return a ? mt_attr_uint(a, v) : 0;
}

int mt_may_u32(const struct nlattr *a, uint32_t *v)
{
	return a ? mt_attr_u32(a, v) : 0;
}

/* The policy has checked that @a is a NUL-terminated string. */
static int attr_strdup(const struct nlattr *a, char **s)
{
	*s = strdup(nla_data(a));
	return *s ? 0 : -ENOMEM;
}

static int hook_decode(struct nlattr *nest, struct mt_hook *h)
{
	struct nlattr *tb[MEMTALLY_A_HOOK_MAX + 1];
	int err;

	if (nla_parse_nested(tb, MEMTALLY_A_HOOK_MAX, nest, hook_policy) ||
	    !tb[MEMTALLY_A_HOOK_NAME] || !tb[MEMTALLY_A_HOOK_TRACEPOINT] ||
	    !tb[MEMTALLY_A_HOOK_STATE] ||
	    mt_attr_u32(tb[MEMTALLY_A_HOOK_STATE], &h->state) ||
	    (tb[MEMTALLY_A_HOOK_ERRNO] &&
	     mt_attr_u32(tb[MEMTALLY_A_HOOK_ERRNO], &h->err)))
		return -EBADMSG;
	err = attr_strdup(tb[MEMTALLY_A_HOOK_NAME], &h->name);
	if (!err)
		err = attr_strdup(tb[MEMTALLY_A_HOOK_TRACEPOINT],
				  &h->tracepoint);
	return err;
}

static int status_add_hook(struct mt_status *st, struct nlattr *nest)
{
	struct mt_hook *hooks;

	hooks = realloc(st->hooks, (st->nr_hooks + 1) * sizeof(*hooks));
	if (!hooks)
		return -ENOMEM;
	st->hooks = hooks;
	memset(&hooks[st->nr_hooks], 0, sizeof(*hooks));
	/* counted at once, so that mt_status_free() frees a partial hook */
	return hook_decode(nest, &hooks[st->nr_hooks++]);
}

/**
 * mt_status_decode() - decode a status-get reply
 *
 * Return: 0, -EBADMSG or -ENOMEM.  On error @st holds nothing to free.
 */
int mt_status_decode(struct nlattr *attrs, int len, struct mt_status *st)
{
	struct nlattr *tb[MEMTALLY_A_STATUS_MAX + 1], *a;
	int rem, err = -EBADMSG;

	memset(st, 0, sizeof(*st));
	if (nla_parse(tb, MEMTALLY_A_STATUS_MAX, attrs, len, status_policy) ||
	    !tb[MEMTALLY_A_STATUS_VERSION] ||
	    !tb[MEMTALLY_A_STATUS_KERNEL_RELEASE] ||
	    mt_need_uint(tb[MEMTALLY_A_STATUS_NR_CGROUPS], &st->nr_cgroups) ||
	    mt_need_uint(tb[MEMTALLY_A_STATUS_UNATTRIBUTED], &st->unattributed) ||
	    mt_may_uint(tb[MEMTALLY_A_STATUS_STALL_THRESHOLD_US],
		     &st->stall_threshold_us) ||
	    mt_may_uint(tb[MEMTALLY_A_STATUS_EVENTS_DROPPED],
		     &st->events_dropped) ||
	    mt_may_uint(tb[MEMTALLY_A_STATUS_RECLAIM_UNPAIRED],
		     &st->reclaim_unpaired))
		goto fail;
	st->reclaim_names_memcg =
		tb[MEMTALLY_A_STATUS_RECLAIM_NAMES_MEMCG] != NULL;
	err = attr_strdup(tb[MEMTALLY_A_STATUS_VERSION], &st->version);
	if (!err)
		err = attr_strdup(tb[MEMTALLY_A_STATUS_KERNEL_RELEASE],
				  &st->kernel_release);
	nla_for_each_attr(a, attrs, len, rem)
		if (!err && nla_type(a) == MEMTALLY_A_STATUS_HOOK)
			err = status_add_hook(st, a);
	if (!err)
		return 0;
fail:
	mt_status_free(st);
	return err;
}

void mt_status_free(struct mt_status *st)
{
	size_t i;

	for (i = 0; i < st->nr_hooks; i++) {
		free(st->hooks[i].name);
		free(st->hooks[i].tracepoint);
	}
	free(st->hooks);
	free(st->version);
	free(st->kernel_release);
	memset(st, 0, sizeof(*st));
}

/* A histogram: @n u64 in host byte order, or absent (then it stays 0) */
static int may_hist(const struct nlattr *a, uint64_t *hist, size_t n)
{
	if (!a)
		return 0;
	if ((size_t)nla_len(a) != n * sizeof(*hist))
		return -EBADMSG;
	memcpy(hist, nla_data(a), nla_len(a));
	return 0;
}

/* Counters and stall histograms into @counters, @hist; absent ones stay 0 */
static int sums_decode(struct nlattr **tb, uint64_t *counters,
		       uint64_t (*hist)[MEMTALLY_HIST_BUCKETS])
{
	size_t i;

	for (i = 0; i < MT_NR_CGROUP_COUNTERS; i++)
		if (mt_may_uint(tb[mt_cgroup_counters[i].attr], &counters[i]))
			return -EBADMSG;
	for (i = 0; i < MT_NR_STALL_KINDS; i++)
		if (may_hist(tb[mt_stall_kinds[i].hist], hist[i],
			     MEMTALLY_HIST_BUCKETS))
			return -EBADMSG;
	return 0;
}

/* The counters and histograms of a row; those @tb lacks stay 0. */
static int row_decode(struct nlattr **tb, struct mt_cgroup *row)
{
	if (sums_decode(tb, row->counters, row->hist))
		return -EBADMSG;
	return may_hist(tb[MEMTALLY_A_CGROUP_DAMON_AGE_HIST], row->damon_age,
			MEMTALLY_DAMON_AGE_BUCKETS);
}

/* parent-id, removed-ns and removed-descendants of a cgroup's row */
static int lineage_decode(struct nlattr **tb, struct mt_cgroup *cg)
{
	struct nlattr *nest[MEMTALLY_A_CGROUP_MAX + 1];

	if (mt_may_uint(tb[MEMTALLY_A_CGROUP_PARENT_ID], &cg->parent_id) ||
	    mt_may_uint(tb[MEMTALLY_A_CGROUP_REMOVED_NS], &cg->removed_ns))
		return -EBADMSG;
	if (!tb[MEMTALLY_A_CGROUP_REMOVED_DESCENDANTS])
		return 0;
	if (nla_parse_nested(nest, MEMTALLY_A_CGROUP_MAX,
			     tb[MEMTALLY_A_CGROUP_REMOVED_DESCENDANTS], NULL))
		return -EBADMSG;
	cg->has_gone = true;
	return sums_decode(nest, cg->gone.counters, cg->gone.hist);
}

/**
 * mt_cgroup_decode() - decode one cgroup-get reply (do, or one of a dump)
 *
 * Return: 0 or -EBADMSG.
 */
int mt_cgroup_decode(struct nlattr *attrs, int len, struct mt_cgroup *cg)
{
	struct nlattr *tb[MEMTALLY_A_CGROUP_MAX + 1];

	memset(cg, 0, sizeof(*cg));
	if (nla_parse(tb, MEMTALLY_A_CGROUP_MAX, attrs, len, NULL) ||
	    mt_need_uint(tb[MEMTALLY_A_CGROUP_ID], &cg->id) ||
	    lineage_decode(tb, cg))
		return -EBADMSG;
	return row_decode(tb, cg);
}

/**
 * mt_node_decode() - decode one node-get reply into a row whose id is the
 * node
 *
 * Return: 0 or -EBADMSG.
 */
int mt_node_decode(struct nlattr *attrs, int len, struct mt_cgroup *row)
{
	struct nlattr *tb[MEMTALLY_A_CGROUP_MAX + 1];
	uint32_t node;

	memset(row, 0, sizeof(*row));
	if (nla_parse(tb, MEMTALLY_A_CGROUP_MAX, attrs, len, NULL) ||
	    mt_need_u32(tb[MEMTALLY_A_CGROUP_NODE], &node))
		return -EBADMSG;
	row->id = node;
	return row_decode(tb, row);
}

/**
 * mt_ksm_decode() - decode a ksm-get reply; full-scans may be absent
 *
 * Return: 0 or -EBADMSG.
 */
int mt_ksm_decode(struct nlattr *attrs, int len, struct mt_ksm *k)
{
	struct nlattr *tb[MEMTALLY_A_KSM_MAX + 1];

	memset(k, 0, sizeof(*k));
	if (nla_parse(tb, MEMTALLY_A_KSM_MAX, attrs, len, NULL) ||
	    mt_need_uint(tb[MEMTALLY_A_KSM_UPDATED_NS], &k->updated_ns) ||
	    mt_need_uint(tb[MEMTALLY_A_KSM_MERGING_PAGES], &k->merging_pages) ||
	    mt_need_uint(tb[MEMTALLY_A_KSM_RMAP_ITEMS], &k->rmap_items) ||
	    mt_need_uint(tb[MEMTALLY_A_KSM_ZERO_PAGES], &k->zero_pages) ||
	    mt_may_uint(tb[MEMTALLY_A_KSM_FULL_SCANS], &k->full_scans))
		return -EBADMSG;
	k->has_full_scans = tb[MEMTALLY_A_KSM_FULL_SCANS];
	return 0;
}

static const struct nla_policy event_policy[MEMTALLY_A_EVENT_MAX + 1] = {
	[MEMTALLY_A_EVENT_COMM]	= { .type = NLA_STRING },
};

/**
 * mt_event_decode() - decode a notification of the events group
 * @cmd: its generic netlink command
 *
 * Return: 0, -EOPNOTSUPP for a command that is no known event, or -EBADMSG.
 * @ev->comm points into @attrs.
 */
int mt_event_decode(uint8_t cmd, struct nlattr *attrs, int len,
		    struct mt_event *ev)
{
	struct nlattr *tb[MEMTALLY_A_EVENT_MAX + 1];

	memset(ev, 0, sizeof(*ev));
	ev->cmd = cmd;
	if (cmd != MEMTALLY_CMD_OOM_KILL_NTF &&
	    cmd != MEMTALLY_CMD_RECLAIM_STALL_NTF)
		return -EOPNOTSUPP;
	if (nla_parse(tb, MEMTALLY_A_EVENT_MAX, attrs, len, event_policy) ||
	    !tb[MEMTALLY_A_EVENT_COMM] ||
	    mt_need_uint(tb[MEMTALLY_A_EVENT_TIMESTAMP_NS], &ev->timestamp_ns) ||
	    mt_need_u32(tb[MEMTALLY_A_EVENT_PID], &ev->pid) ||
	    mt_need_uint(tb[MEMTALLY_A_EVENT_CGROUP_ID], &ev->cgroup_id))
		return -EBADMSG;
	ev->comm = nla_data(tb[MEMTALLY_A_EVENT_COMM]);
	if (cmd == MEMTALLY_CMD_RECLAIM_STALL_NTF)
		return mt_need_u32(tb[MEMTALLY_A_EVENT_RECLAIM_KIND],
				&ev->reclaim_kind) ||
		       mt_need_uint(tb[MEMTALLY_A_EVENT_STALL_NS],
				 &ev->stall_ns) ||
		       mt_need_uint(tb[MEMTALLY_A_EVENT_RECLAIMED],
				 &ev->reclaimed) ? -EBADMSG : 0;
	ev->has_uid = tb[MEMTALLY_A_EVENT_UID];
	return (ev->has_uid && mt_attr_u32(tb[MEMTALLY_A_EVENT_UID], &ev->uid)) ||
	       mt_need_uint(tb[MEMTALLY_A_EVENT_ANON_RSS], &ev->anon_rss) ||
	       mt_need_uint(tb[MEMTALLY_A_EVENT_FILE_RSS], &ev->file_rss) ||
	       mt_need_uint(tb[MEMTALLY_A_EVENT_SHMEM_RSS], &ev->shmem_rss) ?
	       -EBADMSG : 0;
}
