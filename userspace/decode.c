// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: decode the attributes of one reply message into plain structs.
 * Callers pass the attribute stream after the generic netlink header; the
 * status reply needs the stream rather than a parsed table because its
 * hook attribute repeats.  Unknown attributes are ignored, missing or
 * malformed ones make the reply invalid (-EBADMSG).
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

static int attr_u32(const struct nlattr *a, uint32_t *v)
{
	uint64_t u;

	if (mt_attr_uint(a, &u) || u > UINT32_MAX)
		return -EBADMSG;
	*v = u;
	return 0;
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
	    attr_u32(tb[MEMTALLY_A_HOOK_STATE], &h->state) ||
	    (tb[MEMTALLY_A_HOOK_ERRNO] &&
	     attr_u32(tb[MEMTALLY_A_HOOK_ERRNO], &h->err)))
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
	    !tb[MEMTALLY_A_STATUS_NR_CGROUPS] ||
	    !tb[MEMTALLY_A_STATUS_UNATTRIBUTED] ||
	    mt_attr_uint(tb[MEMTALLY_A_STATUS_NR_CGROUPS], &st->nr_cgroups) ||
	    mt_attr_uint(tb[MEMTALLY_A_STATUS_UNATTRIBUTED],
			 &st->unattributed))
		goto fail;
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

/**
 * mt_cgroup_decode() - decode one cgroup-get reply (do, or one of a dump)
 *
 * Return: 0 or -EBADMSG.
 */
int mt_cgroup_decode(struct nlattr *attrs, int len, struct mt_cgroup *cg)
{
	struct nlattr *tb[MEMTALLY_A_CGROUP_MAX + 1], *a;
	size_t i;

	memset(cg, 0, sizeof(*cg));
	if (nla_parse(tb, MEMTALLY_A_CGROUP_MAX, attrs, len, NULL) ||
	    !tb[MEMTALLY_A_CGROUP_ID] ||
	    mt_attr_uint(tb[MEMTALLY_A_CGROUP_ID], &cg->id))
		return -EBADMSG;
	for (i = 0; i < MT_NR_CGROUP_COUNTERS; i++) {
		a = tb[mt_cgroup_counters[i].attr];
		if (!a || mt_attr_uint(a, &cg->counters[i]))
			return -EBADMSG;
	}
	return 0;
}
