/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Raw generic netlink for the memtally selftests: the tests build requests
 * byte by byte, including malformed ones, so they do not use libnl.
 */
#ifndef MT_NL_H
#define MT_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#define MT_NL_BUF	65536

struct mt_nl {
	int fd;
	uint16_t family;	/* 0 when the family did not resolve */
	uint32_t events_group;	/* id of the "events" multicast group */
	uint32_t seq;
	int recvs;		/* recv() calls of the last request */
	/* GENL_CMD_CAP_DO/DUMP/HASPOL of each command the family has, else 0 */
	uint32_t op_flags[256];
};

/* Outcome of one request. */
struct mt_nl_result {
	int error;		/* 0 or a negative errno from NLMSG_ERROR */
	char extack[256];	/* NLMSGERR_ATTR_MSG, "" if none */
	bool range;		/* NLMSGERR_ATTR_POLICY gave an unsigned range: */
	uint64_t min, max;	/* the rejected attribute's policy */
	int nmsgs;		/* replies other than the final ack/done */
};

/* A request being built: header, genl header, attributes. */
struct mt_nl_req {
	union {
		struct nlmsghdr nlh;
		char buf[4096];
	};
};

typedef void (*mt_nl_cb)(const struct nlmsghdr *nlh, void *ctx);

int mt_nl_open(struct mt_nl *nl, const char *family);
int mt_nl_join(struct mt_nl *nl, uint32_t group);
int mt_nl_recv_event(struct mt_nl *nl, int timeout_ms, mt_nl_cb cb, void *ctx);
void mt_nl_close(struct mt_nl *nl);
void mt_nl_req_init(struct mt_nl_req *req, uint16_t family, uint8_t cmd,
		    uint16_t flags);
void mt_nl_put(struct mt_nl_req *req, uint16_t type, const void *data,
	       uint16_t len);
void mt_nl_hdr_init(struct nlmsghdr *nlh, uint16_t family, uint8_t cmd,
		    uint16_t flags);
struct nlattr *mt_nl_put_hdr(struct nlmsghdr *nlh, uint16_t type,
			     const void *data, uint16_t len);
void mt_nl_extack(const struct nlmsghdr *nlh, struct mt_nl_result *res);
int mt_nl_talk(struct mt_nl *nl, struct mt_nl_req *req, mt_nl_cb cb,
	       void *ctx, struct mt_nl_result *res);

/* attribute access in a reply */
const struct nlattr *mt_nl_attr(const struct nlmsghdr *nlh, uint16_t type);
uint64_t mt_nl_u64(const struct nlattr *a);

#define mt_nl_for_each_attr(a, start, len)				\
	for (a = (start); (len) >= (int)sizeof(*a) &&			\
	     a->nla_len >= sizeof(*a) && a->nla_len <= (len);		\
	     len -= NLA_ALIGN(a->nla_len),				\
	     a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len)))

#endif
