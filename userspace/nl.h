/* SPDX-License-Identifier: GPL-2.0 */
/* memtally: requests to the memtally generic netlink family. */
#ifndef MT_NL_H
#define MT_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"

struct nl_msg;
struct nl_sock;
struct nlattr;
struct nlmsghdr;
struct sockaddr_nl;
struct ucred;

/* Reads replies in place of the socket: nl_cb_overwrite_recv()'s function */
typedef int (*mt_nl_recv_t)(struct nl_sock *sk, struct sockaddr_nl *from,
			    unsigned char **buf, struct ucred **creds);

struct mt_nl {
	struct nl_sock *sk;
	int family;
	char why[256];	/* "kernel: <extack>" or "libnl: <error>" of a failure */
	mt_nl_recv_t recv;	/* NULL: the socket; else the fuzzers' replies */
};

/* Decodes the attributes of one reply message into @arg; 0 or -errno. */
typedef int (*mt_nl_parse_t)(struct nlattr *attrs, int len, void *arg);

/* The rows of a cgroup-get or node-get reply, as they come */
struct mt_rows {
	struct mt_cgroup *v;
	size_t nr, cap;
};

/* The state of a reader of every cgroup's rows, again and again */
struct mt_cgroups_reader {
	uint64_t gen;		/* of the rows last read; 0: none */
	bool plain;		/* the module has no since-gen: full dumps */
	unsigned long full, since;	/* reads of each kind */
};

int mt_nl_connect(struct mt_nl *nl, const char *family);
int mt_nl_open(struct mt_nl *nl);
int mt_nl_open_errno(struct mt_nl *nl);
void mt_nl_close(struct mt_nl *nl);
struct nl_msg *mt_nl_msg(struct mt_nl *nl, uint8_t cmd, int flags);
int mt_nl_exchange(struct mt_nl *nl, struct nl_msg *msg, mt_nl_parse_t parse,
		   void *arg);
void mt_nl_report(const struct mt_nl *nl, const char *what, int err);

int mt_nl_status(struct mt_nl *nl, struct mt_status *st);
int mt_nl_cgroups(struct mt_nl *nl, const uint64_t *id, struct mt_rows *l);
int mt_nl_cgroups_below(struct mt_nl *nl, uint64_t ancestor,
			struct mt_rows *l);
int mt_nl_cgroups_since(struct mt_nl *nl, uint64_t *gen, struct mt_rows *l);
int mt_rows_merge(struct mt_rows *out, const struct mt_rows *old,
		  const struct mt_rows *changed, bool removed);
int mt_nl_cgroups_update(struct mt_nl *nl, struct mt_cgroups_reader *rd,
			 const struct mt_rows *old, struct mt_rows *out);
int mt_nl_ksm(struct mt_nl *nl, struct mt_ksm *k);
int mt_nl_nodes(struct mt_nl *nl, struct mt_rows *l);
void mt_rows_free(struct mt_rows *l);

void mt_nl_extack(const struct nlmsghdr *nlh, char *buf, size_t len);
void mt_nl_errline(char *buf, size_t len, const char *what, int err,
		   const char *why);

#endif
