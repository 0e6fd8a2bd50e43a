// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: requests to the memtally generic netlink family with libnl.
 * Errors are negative errnos; a kernel error comes with its extended ack
 * message, a libnl failure (-EIO) with libnl's reason, both in mt_nl.why.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <linux/memtally.h>

#include "cli.h"
#include "nl.h"

/**
 * mt_nl_connect() - open a generic netlink socket and resolve @family
 *
 * Return: 0, -ENOENT if @family does not resolve, or another negative
 * errno (-EIO with the reason in mt_nl.why).
 */
int mt_nl_connect(struct mt_nl *nl, const char *family)
{
	int one = 1, err;

	nl->why[0] = '\0';
	nl->recv = NULL;
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return -ENOMEM;
	err = genl_connect(nl->sk);
	if (err) {
		snprintf(nl->why, sizeof(nl->why), "libnl: %s",
			 nl_geterror(err));
		mt_nl_close(nl);
		return -EIO;
	}
	/* best effort: without extended acks, errors only lack a reason */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	nl->family = genl_ctrl_resolve(nl->sk, family);
	if (nl->family < 0) {
		mt_nl_close(nl);
		return -ENOENT;
	}
	return 0;
}

/*
 * Connect to the memtally family.  Prints the error.  Return: 0, -ENOENT
 * when the module is not loaded, or another negative errno.
 */
int mt_nl_open_errno(struct mt_nl *nl)
{
	int err = mt_nl_connect(nl, MEMTALLY_FAMILY_NAME);

	if (err == -ENOENT)
		mt_err("the memtally module is not loaded (load it with: modprobe memtally, or insmod memtally.ko)");
	else if (err)
		mt_nl_report(nl, "opening a generic netlink socket", err);
	return err;
}

/* Connect to the memtally family.  Prints the error.  Return: 0 or -1. */
int mt_nl_open(struct mt_nl *nl)
{
	return mt_nl_open_errno(nl) ? -1 : 0;
}

void mt_nl_close(struct mt_nl *nl)
{
	nl_socket_free(nl->sk);
	nl->sk = NULL;
}

/* A request of the memtally family without attributes, or NULL. */
struct nl_msg *mt_nl_msg(struct mt_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
				flags, cmd, MEMTALLY_FAMILY_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

/**
 * mt_nl_extack() - the extended ack message of an error or DONE message
 * @buf: receives the message, or "" if there is none
 *
 * With NLM_F_ACK_TLVS, attributes follow the struct nlmsgerr of an error
 * (and the request it echoes, unless NLM_F_CAPPED), or the errno of DONE.
 * When the kernel refused a value out of range (ERANGE) and sent the
 * attribute's policy, the range follows the message: "integer out of range
 * (allowed: 1 to 1024)".
 */
void mt_nl_extack(const struct nlmsghdr *nlh, char *buf, size_t len)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t payload = nlh->nlmsg_len - NLMSG_HDRLEN, off = sizeof(int);
	struct nlattr *pol[NL_POLICY_TYPE_ATTR_MAX + 1];
	const struct nlattr *a, *p;
	int err;
	size_t n;

	buf[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		if (payload < sizeof(*e))
			return;
		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
		    e->msg.nlmsg_len > NLMSG_HDRLEN)
			off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	}
	if (off >= payload)
		return;
	a = nla_find((const struct nlattr *)((const char *)e + off),
		     payload - off, NLMSGERR_ATTR_MSG);
	if (!a)
		return;
	snprintf(buf, len, "%.*s", nla_len(a), (const char *)nla_data(a));
	p = nla_find((const struct nlattr *)((const char *)e + off),
		     payload - off, NLMSGERR_ATTR_POLICY);
	if (!p || nla_parse_nested(pol, NL_POLICY_TYPE_ATTR_MAX,
				   (struct nlattr *)p, NULL) ||
	    !pol[NL_POLICY_TYPE_ATTR_MIN_VALUE_U] ||
	    !pol[NL_POLICY_TYPE_ATTR_MAX_VALUE_U])
		return;
	/* the errno: the nlmsgerr's, or what DONE carries before the TLVs */
	memcpy(&err, e, sizeof(err));
	if (err != -ERANGE)
		return;
	n = strlen(buf);
	snprintf(buf + n, len - n, " (allowed: %llu to %llu)",
		 (unsigned long long)nla_get_u64(pol[NL_POLICY_TYPE_ATTR_MIN_VALUE_U]),
		 (unsigned long long)nla_get_u64(pol[NL_POLICY_TYPE_ATTR_MAX_VALUE_U]));
}

struct request {
	struct mt_nl *nl;
	mt_nl_parse_t parse;
	void *arg;
	int err;
	bool done;
};

static void request_fail(struct request *req, int err,
			 const struct nlmsghdr *nlh)
{
	char msg[sizeof(req->nl->why) - 8];

	req->err = err;
	mt_nl_extack(nlh, msg, sizeof(msg));
	if (msg[0])
		snprintf(req->nl->why, sizeof(req->nl->why), "kernel: %s", msg);
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct request *req = arg;

	if (!genlmsg_valid_hdr(nlh, 0))
		req->err = -EBADMSG;
	else if (req->parse)
		req->err = req->parse(genlmsg_attrdata(gnlh, 0),
				      genlmsg_attrlen(gnlh, 0), req->arg);
	return req->err ? NL_STOP : NL_OK;
}

/* End of a dump; one that failed midway carries its errno. */
static int finish_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct request *req = arg;
	int err;

	if (nlmsg_datalen(nlh) >= (int)sizeof(err)) {
		memcpy(&err, nlmsg_data(nlh), sizeof(err));
		if (err < 0)
			request_fail(req, err, nlh);
	}
	req->done = true;
	return NL_STOP;
}

/* End of a do request (libnl asks for an ack). */
static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;

	(void)msg;
	req->done = true;
	return NL_STOP;
}

static int error_cb(struct sockaddr_nl *sa, struct nlmsgerr *e, void *arg)
{
	/* libnl passes the payload of the NLMSG_ERROR message */
	const struct nlmsghdr *nlh = (void *)((char *)e - NLMSG_HDRLEN);

	(void)sa;
	request_fail(arg, e->error, nlh);
	return NL_STOP;
}

/**
 * mt_nl_exchange() - send a request and feed each reply to @parse
 * @msg: from mt_nl_msg(), consumed; NULL stands for an allocation failure
 * @parse: NULL for a request that is only acked
 *
 * Return: 0 or a negative errno; see mt_nl.why for the reason.  -EAGAIN:
 * a dump that the module flagged NLM_F_DUMP_INTR (what it dumps changed
 * between two of its messages: @parse saw rows of both states).
 */
int mt_nl_exchange(struct mt_nl *nl, struct nl_msg *msg, mt_nl_parse_t parse,
		   void *arg)
{
	struct request req = { .nl = nl, .parse = parse, .arg = arg };
	struct nl_cb *cb;
	int err;

	nl->why[0] = '\0';
	if (!msg)
		return -ENOMEM;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, &req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, &req);
	nl_cb_err(cb, NL_CB_CUSTOM, error_cb, &req);
	if (nl->recv)
		nl_cb_overwrite_recv(cb, nl->recv);

	err = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	while (err >= 0 && !req.done && !req.err)
		err = nl_recvmsgs(nl->sk, cb);
	nl_cb_put(cb);
	if (req.err)
		return req.err;
	if (err == -NLE_DUMP_INTR) {
		snprintf(nl->why, sizeof(nl->why),
			 "what the module dumps changed during the dump");
		return -EAGAIN;
	}
	if (err < 0) {
		snprintf(nl->why, sizeof(nl->why), "libnl: %s",
			 nl_geterror(err));
		return -EIO;
	}
	return 0;
}

/*
 * One line (without the "memtally: " prefix) for a failed request: what
 * failed and why, or how to fix it where the errno tells.
 */
void mt_nl_errline(char *buf, size_t len, const char *what, int err,
		   const char *why)
{
	const char *sep = why[0] ? "; " : "";

	if (err == -EPERM)
		snprintf(buf, len, "permission denied: reading needs CAP_PERFMON or CAP_SYS_ADMIN (run as root)%s%s",
			 sep, why);
	else
		snprintf(buf, len, "%s: %s%s%s", what, strerror(-err), sep, why);
}

void mt_nl_report(const struct mt_nl *nl, const char *what, int err)
{
	char line[512];

	mt_nl_errline(line, sizeof(line), what, err, nl->why);
	mt_err("%s", line);
}

static int status_reply(struct nlattr *attrs, int len, void *arg)
{
	struct mt_status *st = arg;

	/* a second reply to a do request: decoding it would leak the first */
	if (st->version)
		return -EBADMSG;
	return mt_status_decode(attrs, len, st);
}

/* The status-get reply into @st (free it with mt_status_free()). */
int mt_nl_status(struct mt_nl *nl, struct mt_status *st)
{
	int err;

	memset(st, 0, sizeof(*st));
	err = mt_nl_exchange(nl, mt_nl_msg(nl, MEMTALLY_CMD_STATUS_GET, 0),
			     status_reply, st);
	if (!err && !st->version)	/* acked without a reply */
		err = -EBADMSG;
	return err;
}

/* Decode a reply with @decode into a new row at the end of @l. */
static int add_row(struct mt_rows *l, struct nlattr *attrs, int len,
		   int (*decode)(struct nlattr *, int, struct mt_cgroup *))
{
	struct mt_cgroup *v;

	if (l->nr == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		v = realloc(l->v, l->cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		l->v = v;
	}
	if (decode(attrs, len, &l->v[l->nr]))
		return -EBADMSG;
	l->nr++;
	return 0;
}

static int cgroup_reply(struct nlattr *attrs, int len, void *arg)
{
	return add_row(arg, attrs, len, mt_cgroup_decode);
}

/* The rows of a dump since a generation, and the one it gives */
struct since_reply {
	struct mt_rows *l;
	uint64_t gen;
};

/* The first message has dump-gen only; the rows come after it */
static int cgroup_since_reply(struct nlattr *attrs, int len, void *arg)
{
	struct since_reply *r = arg;
	struct nlattr *g = nla_find(attrs, len, MEMTALLY_A_CGROUP_DUMP_GEN);

	if (g && nla_len(g) == sizeof(uint64_t))
		r->gen = nla_get_u64(g);
	if (!nla_find(attrs, len, MEMTALLY_A_CGROUP_ID))
		return g ? 0 : -EBADMSG;
	return add_row(r->l, attrs, len, mt_cgroup_decode);
}

static int node_reply(struct nlattr *attrs, int len, void *arg)
{
	return add_row(arg, attrs, len, mt_node_decode);
}

/* dumps cut short by cgroups made or removed meanwhile: tries in all */
#define MT_DUMP_TRIES	10

/* cgroups_get() with the replies fed to @parse(@arg), which fills @l */
static int cgroups_exchange(struct mt_nl *nl, int attr, uint64_t v,
			    int flags, struct mt_rows *l,
			    mt_nl_parse_t parse, void *arg)
{
	size_t start = l->nr;
	struct nl_msg *msg;
	int err, tries = 0;

	do {
		l->nr = start;	/* rows own nothing yet */
		msg = mt_nl_msg(nl, MEMTALLY_CMD_CGROUP_GET, flags);
		if (msg && attr && nla_put_u64(msg, attr, v)) {
			nlmsg_free(msg);
			msg = NULL;
		}
		err = mt_nl_exchange(nl, msg, parse, arg);
	} while (err == -EAGAIN && ++tries < MT_DUMP_TRIES);
	if (err == -EAGAIN) {
		mt_err("cgroups were made or removed during each of %d dumps: the last is shown, and may mix the hierarchy before and after a change",
		       MT_DUMP_TRIES);
		err = 0;
	}
	return err;
}

/*
 * Appends to @l the rows of a cgroup-get request: with @attr 0 a dump of
 * every tracked cgroup, else one with attribute @attr of value @v (a do
 * by id, or a dump of an ancestor's subtree).  A dump that cgroups made or
 * removed meanwhile interrupted (its rows may mix two states of the
 * hierarchy) is dumped again, MT_DUMP_TRIES times at most; if every one
 * was interrupted, the last one's rows are kept and a line on standard
 * error says so.
 */
static int cgroups_get(struct mt_nl *nl, int attr, uint64_t v, int flags,
		       struct mt_rows *l)
{
	return cgroups_exchange(nl, attr, v, flags, l, cgroup_reply, l);
}

/* Appends to @l the rows of every tracked cgroup, or with @id of that one. */
int mt_nl_cgroups(struct mt_nl *nl, const uint64_t *id, struct mt_rows *l)
{
	return id ? cgroups_get(nl, MEMTALLY_A_CGROUP_ID, *id, 0, l) :
		    cgroups_get(nl, 0, 0, NLM_F_DUMP, l);
}

/*
 * Appends to @l the rows of cgroup @ancestor and every cgroup below it.
 * A module older than ancestor-id refuses the attribute (-EINVAL): then
 * every cgroup's, for the caller to filter by path.
 */
int mt_nl_cgroups_below(struct mt_nl *nl, uint64_t ancestor,
			struct mt_rows *l)
{
	int err = cgroups_get(nl, MEMTALLY_A_CGROUP_ANCESTOR_ID, ancestor,
			      NLM_F_DUMP, l);

	return err == -EINVAL ? mt_nl_cgroups(nl, NULL, l) : err;
}

/*
 * Appends to @l the rows of the cgroups that changed since generation
 * *@gen (0: of every cgroup), removed ones as tombstones, in id order; sets
 * *@gen to the generation for the next call (of the last dump, if cgroups
 * made or removed meanwhile made it dump again).
 * Return: 0, -ESTALE if the module can no longer tell (call with 0),
 * -EINVAL from a module without since-gen, or another negative errno.
 */
int mt_nl_cgroups_since(struct mt_nl *nl, uint64_t *gen, struct mt_rows *l)
{
	struct since_reply r = { .l = l };
	int err;

	err = cgroups_exchange(nl, MEMTALLY_A_CGROUP_SINCE_GEN, *gen,
			       NLM_F_DUMP, l, cgroup_since_reply, &r);
	if (!err && r.gen)
		*gen = r.gen;
	return err;
}

/*
 * @out: the rows of @old (sorted by id) with those of @changed (sorted by
 * id, from mt_nl_cgroups_since()) in their place; a removed cgroup's row
 * is left out unless @removed.  Return: 0 or -ENOMEM.
 */
int mt_rows_merge(struct mt_rows *out, const struct mt_rows *old,
		  const struct mt_rows *changed, bool removed)
{
	size_t i = 0, j = 0, n = old->nr + changed->nr;
	const struct mt_cgroup *r;

	out->nr = 0;
	if (n > out->cap) {
		void *v = realloc(out->v, n * sizeof(*out->v));

		if (!v)
			return -ENOMEM;
		out->v = v;
		out->cap = n;
	}
	while (i < old->nr || j < changed->nr) {
		if (j == changed->nr ||
		    (i < old->nr && old->v[i].id < changed->v[j].id)) {
			r = &old->v[i++];
		} else {
			if (i < old->nr && old->v[i].id == changed->v[j].id)
				i++;
			r = &changed->v[j++];
			if (r->removed_ns && !removed)
				continue;
		}
		out->v[out->nr++] = *r;
	}
	return 0;
}

/**
 * mt_nl_cgroups_update() - every tracked cgroup's row, from the last ones
 * @rd: the reader's state; zeroed before the first call
 * @old: the rows of the last call (sorted by id), empty for the first
 * @out: the rows, sorted by id; @old's unchanged rows are copied
 *
 * Reads only the cgroups that changed since @old where the module can tell
 * (since-gen), else every cgroup's.  @out and @old are distinct.
 * Return: 0 or a negative errno.
 */
int mt_nl_cgroups_update(struct mt_nl *nl, struct mt_cgroups_reader *rd,
			 const struct mt_rows *old, struct mt_rows *out)
{
	struct mt_rows changed = { 0 };
	int err;

	out->nr = 0;
	if (!rd->plain && rd->gen) {
		err = mt_nl_cgroups_since(nl, &rd->gen, &changed);
		if (!err) {
			rd->since++;
			err = mt_rows_merge(out, old, &changed, false);
		}
		mt_rows_free(&changed);
		if (err != -ESTALE)
			return err;
	}
	rd->full++;
	rd->gen = 0;
	if (!rd->plain) {
		err = mt_nl_cgroups_since(nl, &rd->gen, out);
		if (err != -EINVAL)
			return err;
		rd->plain = true;	/* a module without since-gen */
		out->nr = 0;
	}
	return mt_nl_cgroups(nl, NULL, out);
}

/* Appends to @l the row of every NUMA node. */
int mt_nl_nodes(struct mt_nl *nl, struct mt_rows *l)
{
	return mt_nl_exchange(nl, mt_nl_msg(nl, MEMTALLY_CMD_NODE_GET,
					    NLM_F_DUMP), node_reply, l);
}

struct ksm_reply {
	struct mt_ksm *k;
	bool seen;
};

static int ksm_reply(struct nlattr *attrs, int len, void *arg)
{
	struct ksm_reply *r = arg;

	r->seen = true;
	return mt_ksm_decode(attrs, len, r->k);
}

/* The ksm-get reply into @k. */
int mt_nl_ksm(struct mt_nl *nl, struct mt_ksm *k)
{
	struct ksm_reply r = { .k = k };
	int err;

	err = mt_nl_exchange(nl, mt_nl_msg(nl, MEMTALLY_CMD_KSM_GET, 0),
			     ksm_reply, &r);
	if (!err && !r.seen)	/* acked without a reply */
		err = -EBADMSG;
	return err;
}

void mt_rows_free(struct mt_rows *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}
