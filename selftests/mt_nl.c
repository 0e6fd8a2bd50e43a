// SPDX-License-Identifier: GPL-2.0
/*
 * Raw generic netlink for the memtally selftests.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "mt_nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Headers of a request in a zeroed buffer of any size. */
void mt_nl_hdr_init(struct nlmsghdr *nlh, uint16_t family, uint8_t cmd,
		    uint16_t flags)
{
	struct genlmsghdr *g;

	nlh->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	g = NLMSG_DATA(nlh);
	g->cmd = cmd;
	g->version = 1;
}

void mt_nl_req_init(struct mt_nl_req *req, uint16_t family, uint8_t cmd,
		    uint16_t flags)
{
	memset(req, 0, sizeof(*req));
	mt_nl_hdr_init(&req->nlh, family, cmd, flags);
}

/*
 * Append an attribute to the message at @nlh, whose buffer the caller
 * sized; padding bytes are left as they are (zero in a zeroed buffer).
 */
struct nlattr *mt_nl_put_hdr(struct nlmsghdr *nlh, uint16_t type,
			     const void *data, uint16_t len)
{
	struct nlattr *a = (void *)((char *)nlh + NLMSG_ALIGN(nlh->nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + NLA_ALIGN(a->nla_len);
	return a;
}

void mt_nl_put(struct mt_nl_req *req, uint16_t type, const void *data,
	       uint16_t len)
{
	mt_nl_put_hdr(&req->nlh, type, data, len);
}

/* NLMSGERR_ATTR_MSG of an NLMSG_ERROR or NLMSG_DONE into res->extack */
void mt_nl_extack(const struct nlmsghdr *nlh, struct mt_nl_result *res)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	const struct nlattr *a, *p;
	size_t off = sizeof(*e);
	int len, plen;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (nlh->nlmsg_type == NLMSG_DONE)	/* the errno, then the TLVs */
		off = sizeof(int);
	else if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len - sizeof(struct nlmsghdr));
	len = (int)nlh->nlmsg_len - (int)NLMSG_HDRLEN - (int)off;
	mt_nl_for_each_attr(a, (const void *)((const char *)e + off), len) {
		if (a->nla_type == NLMSGERR_ATTR_MSG) {
			strncpy(res->extack, (const char *)a + NLA_HDRLEN,
				sizeof(res->extack) - 1);
		}
		if ((a->nla_type & NLA_TYPE_MASK) != NLMSGERR_ATTR_POLICY)
			continue;
		plen = a->nla_len - NLA_HDRLEN;
		mt_nl_for_each_attr(p, (const void *)((const char *)a + NLA_HDRLEN),
				    plen) {
			if (p->nla_type == NL_POLICY_TYPE_ATTR_MIN_VALUE_U) {
				res->min = mt_nl_u64(p);
				res->range = true;
			}
			if (p->nla_type == NL_POLICY_TYPE_ATTR_MAX_VALUE_U) {
				res->max = mt_nl_u64(p);
				res->range = true;
			}
		}
	}
}

/*
 * Send @req and read until its end: the ack of a do (NLM_F_ACK is always
 * set) or NLMSG_DONE of a dump.  Every other message goes to @cb.
 * Returns 0 when the exchange completed (res->error holds the kernel's
 * verdict), -errno on a socket failure.
 */
int mt_nl_talk(struct mt_nl *nl, struct mt_nl_req *req, mt_nl_cb cb,
	       void *ctx, struct mt_nl_result *res)
{
	static char buf[MT_NL_BUF];
	uint32_t seq = ++nl->seq;

	memset(res, 0, sizeof(*res));
	req->nlh.nlmsg_seq = seq;
	req->nlh.nlmsg_flags |= NLM_F_ACK;
	if (send(nl->fd, req, req->nlh.nlmsg_len, 0) < 0)
		return -errno;
	nl->recvs = 0;
	for (;;) {
		const struct nlmsghdr *nlh;
		ssize_t n = recv(nl->fd, buf, sizeof(buf), 0);

		if (n < 0)
			return -errno;
		nl->recvs++;
		for (nlh = (void *)buf; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				res->error = ((const struct nlmsgerr *)NLMSG_DATA(nlh))->error;
				mt_nl_extack(nlh, res);
				return 0;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				int err = *(const int *)NLMSG_DATA(nlh);

				res->error = err;
				if (err)
					mt_nl_extack(nlh, res);
				return 0;
			}
			res->nmsgs++;
			if (cb)
				cb(nlh, ctx);
		}
	}
}

const struct nlattr *mt_nl_attr(const struct nlmsghdr *nlh, uint16_t type)
{
	const struct nlattr *a;
	int len = (int)nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

	mt_nl_for_each_attr(a, (const void *)((const char *)NLMSG_DATA(nlh) + GENL_HDRLEN), len)
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
	return NULL;
}

uint64_t mt_nl_u64(const struct nlattr *a)
{
	uint64_t v = 0;
	uint32_t v32;

	if (a->nla_len == NLA_HDRLEN + 8) {
		memcpy(&v, (const char *)a + NLA_HDRLEN, 8);
	} else if (a->nla_len == NLA_HDRLEN + 4) {
		memcpy(&v32, (const char *)a + NLA_HDRLEN, 4);
		v = v32;
	}
	return v;
}

/* CTRL_ATTR_OPS: the flags of each command into nl->op_flags */
static void mt_nl_family_ops(struct mt_nl *nl, const struct nlattr *ops)
{
	const struct nlattr *op, *a;
	int len = ops->nla_len - NLA_HDRLEN, olen;

	mt_nl_for_each_attr(op, (const void *)((const char *)ops + NLA_HDRLEN), len) {
		uint32_t id = 0, flags = 0;

		olen = op->nla_len - NLA_HDRLEN;
		mt_nl_for_each_attr(a, (const void *)((const char *)op + NLA_HDRLEN), olen) {
			if (a->nla_type == CTRL_ATTR_OP_ID)
				id = (uint32_t)mt_nl_u64(a);
			if (a->nla_type == CTRL_ATTR_OP_FLAGS)
				flags = (uint32_t)mt_nl_u64(a);
		}
		if (id < sizeof(nl->op_flags) / sizeof(nl->op_flags[0]))
			nl->op_flags[id] = flags;
	}
}

static void mt_nl_family_cb(const struct nlmsghdr *nlh, void *ctx)
{
	const struct nlattr *a = mt_nl_attr(nlh, CTRL_ATTR_FAMILY_ID);
	const struct nlattr *grp, *g;
	struct mt_nl *nl = ctx;
	int len, glen;

	if (a)
		memcpy(&nl->family, (const char *)a + NLA_HDRLEN, sizeof(uint16_t));
	a = mt_nl_attr(nlh, CTRL_ATTR_OPS);
	if (a)
		mt_nl_family_ops(nl, a);
	a = mt_nl_attr(nlh, CTRL_ATTR_MCAST_GROUPS);
	if (!a)
		return;
	len = a->nla_len - NLA_HDRLEN;
	mt_nl_for_each_attr(grp, (const void *)((const char *)a + NLA_HDRLEN), len) {
		uint32_t id = 0;
		bool events = false;

		glen = grp->nla_len - NLA_HDRLEN;
		mt_nl_for_each_attr(g, (const void *)((const char *)grp + NLA_HDRLEN), glen) {
			if (g->nla_type == CTRL_ATTR_MCAST_GRP_ID)
				id = (uint32_t)mt_nl_u64(g);
			if (g->nla_type == CTRL_ATTR_MCAST_GRP_NAME &&
			    !strcmp((const char *)g + NLA_HDRLEN, "events"))
				events = true;
		}
		if (events)
			nl->events_group = id;
	}
}

/* Join a multicast group; returns 0 or -errno. */
int mt_nl_join(struct mt_nl *nl, uint32_t group)
{
	int size = 1 << 20;

	/* room for a burst of events: an overrun would lose some (ENOBUFS) */
	setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	return setsockopt(nl->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			  &group, sizeof(group)) ? -errno : 0;
}

/*
 * Wait up to @timeout_ms for notifications and hand each to @cb.
 * Returns the number of messages, 0 on timeout, or -errno.
 */
int mt_nl_recv_event(struct mt_nl *nl, int timeout_ms, mt_nl_cb cb, void *ctx)
{
	static char buf[MT_NL_BUF];
	struct pollfd pfd = { .fd = nl->fd, .events = POLLIN };
	const struct nlmsghdr *nlh;
	int n = 0;
	ssize_t len;

	if (poll(&pfd, 1, timeout_ms) <= 0)
		return 0;
	len = recv(nl->fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (len < 0)
		return -errno;
	for (nlh = (void *)buf; NLMSG_OK(nlh, len); nlh = NLMSG_NEXT(nlh, len)) {
		cb(nlh, ctx);
		n++;
	}
	return n;
}

/*
 * Open a generic netlink socket with extended acks and resolve @family.
 * Returns 0 (nl->family is 0 if the family does not exist) or -errno.
 */
int mt_nl_open(struct mt_nl *nl, const char *family)
{
	struct mt_nl_result res;
	struct mt_nl_req req;
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0)
		return -errno;
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	mt_nl_req_init(&req, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	mt_nl_put(&req, CTRL_ATTR_FAMILY_NAME, family, strlen(family) + 1);
	return mt_nl_talk(nl, &req, mt_nl_family_cb, nl, &res);
}

void mt_nl_close(struct mt_nl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
}
