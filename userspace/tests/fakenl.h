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

#include "nl.h"

#define FAKE_FAMILY	0x1a	/* any id: replies' nlmsg_type is not checked */

static const void *fake_reply;
static size_t fake_len;

static inline int fake_recv(struct nl_sock *sk, struct sockaddr_nl *from,
			    unsigned char **buf, struct ucred **creds)
{
	size_t n = fake_len;

	(void)sk;
	(void)creds;
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

#endif
