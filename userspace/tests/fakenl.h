/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A memtally "kernel" for the unit tests and fuzz_nl: mt_nl_exchange()
 * sends its request nowhere and receives @fake_reply, bytes of netlink
 * messages, as one datagram (then the socket is dead), through libnl's
 * receive and the tool's own callbacks.  Sequence numbers are not checked.
 */
#ifndef MT_FAKENL_H
#define MT_FAKENL_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/errno.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/socket.h>
#include <netlink/genl/genl.h>
#include <linux/memtally.h>

#include "nl.h"

#define FAKE_FAMILY	0x1a	/* any id: replies' nlmsg_type is not checked */

static const void *fake_reply;
static size_t fake_len;
/* the answer to the next request, if any (fake_then()) */
static const void *fake_reply2;
static size_t fake_len2;

static inline int fake_recv(struct nl_sock *sk, struct sockaddr_nl *from,
			    unsigned char **buf, struct ucred **creds)
{
	size_t n = fake_len;

	(void)sk;
	(void)creds;
	if (!n && fake_len2) {	/* the next request's */
		fake_reply = fake_reply2;
		n = fake_len2;
		fake_len2 = 0;
	}
	if (!n)
		return -NLE_BAD_SOCK;
	fake_len = 0;
	*buf = malloc(n);
	if (!*buf)
		return -NLE_NOMEM;
	memcpy(*buf, fake_reply, n);
	memset(from, 0, sizeof(*from));
	from->nl_family = AF_NETLINK;
	return n;
}

static inline int fake_send(struct nl_sock *sk, struct nl_msg *msg)
{
	(void)sk;
	return nlmsg_hdr(msg)->nlmsg_len;
}

/* @nl talks to the fake kernel, which answers @len bytes at @reply */
static inline int fake_open(struct mt_nl *nl, const void *reply, size_t len)
{
	struct nl_cb *cb;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return -1;
	/* no NLM_F_ACK asked, and so no sequence check of the replies */
	nl_socket_disable_auto_ack(nl->sk);
	cb = nl_socket_get_cb(nl->sk);
	nl_cb_overwrite_send(cb, fake_send);
	nl_cb_put(cb);
	nl->family = FAKE_FAMILY;
	nl->recv = fake_recv;
	fake_reply = reply;
	fake_len = len;
	return 0;
}

/* After the first reply, the next request is answered @len bytes at @reply */
static inline void fake_then(const void *reply, size_t len)
{
	fake_reply2 = reply;
	fake_len2 = len;
}

/* Appends the message @msg (freed) to @buf at @len: a fake reply */
static inline void fake_append(char *buf, size_t *len, struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	memcpy(buf + *len, nlh, nlh->nlmsg_len);
	*len += NLMSG_ALIGN(nlh->nlmsg_len);
	nlmsg_free(msg);
}

/* A status-get reply with the attributes every kernel sends */
static inline struct nl_msg *fake_status_msg(void)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, 0, 0, FAKE_FAMILY, 0, 0, MEMTALLY_CMD_STATUS_GET,
		    MEMTALLY_FAMILY_VERSION);
	nla_put_string(msg, MEMTALLY_A_STATUS_VERSION, "0.1.0");
	nla_put_string(msg, MEMTALLY_A_STATUS_KERNEL_RELEASE, "6.12.0");
	nla_put_u64(msg, MEMTALLY_A_STATUS_NR_CGROUPS, 3);
	nla_put_u64(msg, MEMTALLY_A_STATUS_UNATTRIBUTED, 0);
	return msg;
}

/* The first message of a cgroup-get dump since a generation: dump-gen @gen */
static inline struct nl_msg *fake_gen_msg(uint64_t gen)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, 0, 0, FAKE_FAMILY, 0, NLM_F_MULTI,
		    MEMTALLY_CMD_CGROUP_GET, MEMTALLY_FAMILY_VERSION);
	nla_put_u64(msg, MEMTALLY_A_CGROUP_DUMP_GEN, gen);
	return msg;
}

/* A cgroup-get dump row of cgroup @id with @faults user faults */
static inline struct nl_msg *fake_cgroup_msg(uint64_t id, uint64_t faults,
					     uint64_t removed_ns)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, 0, 0, FAKE_FAMILY, 0, NLM_F_MULTI,
		    MEMTALLY_CMD_CGROUP_GET, MEMTALLY_FAMILY_VERSION);
	nla_put_u64(msg, MEMTALLY_A_CGROUP_ID, id);
	nla_put_u64(msg, MEMTALLY_A_CGROUP_PARENT_ID, id > 1 ? 1 : 0);
	if (removed_ns)
		nla_put_u64(msg, MEMTALLY_A_CGROUP_REMOVED_NS, removed_ns);
	if (faults)
		nla_put_u64(msg, MEMTALLY_A_CGROUP_FAULTS_USER, faults);
	return msg;
}

/* The end of a dump, with its errno (0: a complete one) */
static inline struct nl_msg *fake_done_msg(int err)
{
	struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI);

	nlmsg_append(msg, &err, sizeof(err), NLMSG_ALIGNTO);
	return msg;
}

/* The ack that ends a request */
static inline struct nl_msg *fake_ack_msg(void)
{
	struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_ERROR, NLM_F_CAPPED);
	struct nlmsgerr *e = nlmsg_reserve(msg, sizeof(*e), NLMSG_ALIGNTO);

	memset(e, 0, sizeof(*e));
	return msg;
}

#endif
