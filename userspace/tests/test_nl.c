// SPDX-License-Identifier: GPL-2.0
/*
 * Extended acks of hand-built messages, the error lines, and the request
 * loop against the kernel's own nlctrl family (memtally is not loaded here).
 */
#include <errno.h>
#include <stdlib.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <linux/memtally.h>

#include "nl.h"
#include "test.h"
#include "fakenl.h"

#define NLCTRL "nlctrl"
#define EPERM_MSG "reading memtally needs CAP_PERFMON or CAP_SYS_ADMIN"

/*
 * An NLMSG_ERROR for -EPERM as the kernel builds it.  Unless capped, it
 * echoes a 10-byte request payload that itself looks like a message TLV.
 */
static struct nl_msg *error_msg(bool capped)
{
	static const char echo[10] = { 10, 0, NLMSGERR_ATTR_MSG, 0,
				       'w', 'r', 'o', 'n', 'g', 0 };
	struct nl_msg *msg;
	struct nlmsgerr *e;

	msg = nlmsg_alloc_simple(NLMSG_ERROR, NLM_F_ACK_TLVS |
				 (capped ? NLM_F_CAPPED : 0));
	e = nlmsg_reserve(msg, sizeof(*e), NLMSG_ALIGNTO);
	e->error = -EPERM;
	e->msg.nlmsg_len = NLMSG_HDRLEN + sizeof(echo);
	if (!capped)
		memcpy(nlmsg_reserve(msg, sizeof(echo), NLMSG_ALIGNTO), echo,
		       sizeof(echo));
	nla_put_u32(msg, NLMSGERR_ATTR_OFFS, 20);
	nla_put_string(msg, NLMSGERR_ATTR_MSG, EPERM_MSG);
	return msg;
}

static void extack_error(void)
{
	struct nl_msg *msg;
	char buf[128];

	msg = error_msg(false);
	mt_nl_extack(nlmsg_hdr(msg), buf, sizeof(buf));
	CHECK_STR(buf, EPERM_MSG);
	nlmsg_free(msg);

	msg = error_msg(true);
	mt_nl_extack(nlmsg_hdr(msg), buf, sizeof(buf));
	CHECK_STR(buf, EPERM_MSG);
	mt_nl_extack(nlmsg_hdr(msg), buf, 8);
	CHECK_STR(buf, "reading");

	/* without NLM_F_ACK_TLVS there are no attributes */
	nlmsg_hdr(msg)->nlmsg_flags &= ~NLM_F_ACK_TLVS;
	mt_nl_extack(nlmsg_hdr(msg), buf, sizeof(buf));
	CHECK_STR(buf, "");
	nlmsg_free(msg);
}

static void extack_done(void)
{
	struct nl_msg *msg;
	int err = -EINVAL;
	char buf[128];

	msg = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS);
	nlmsg_append(msg, &err, sizeof(err), NLMSG_ALIGNTO);
	nla_put_string(msg, NLMSGERR_ATTR_MSG, "a dump takes no cgroup id");
	mt_nl_extack(nlmsg_hdr(msg), buf, sizeof(buf));
	CHECK_STR(buf, "a dump takes no cgroup id");
	nlmsg_free(msg);

	/* a DONE without attributes */
	msg = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS);
	nlmsg_append(msg, &err, sizeof(err), NLMSG_ALIGNTO);
	mt_nl_extack(nlmsg_hdr(msg), buf, sizeof(buf));
	CHECK_STR(buf, "");
	nlmsg_free(msg);
}

static void error_lines(void)
{
	char buf[512];

	mt_nl_errline(buf, sizeof(buf), "reading cgroups", -EPERM,
		      "kernel: " EPERM_MSG);
	CHECK_STR(buf, "permission denied: reading needs CAP_PERFMON or CAP_SYS_ADMIN (run as root); kernel: " EPERM_MSG);
	mt_nl_errline(buf, sizeof(buf), "reading cgroups", -EPERM, "");
	CHECK_STR(buf, "permission denied: reading needs CAP_PERFMON or CAP_SYS_ADMIN (run as root)");
	mt_nl_errline(buf, sizeof(buf), "reading cgroups", -EINVAL,
		      "kernel: a dump takes no cgroup id");
	CHECK_STR(buf, "reading cgroups: Invalid argument; kernel: a dump takes no cgroup id");
	mt_nl_errline(buf, sizeof(buf), "reading the status", -EBADMSG, "");
	CHECK_STR(buf, "reading the status: Bad message");
}

struct families {
	int replies;
	int nlctrl;
};

static int count_family(struct nlattr *attrs, int len, void *arg)
{
	struct nlattr *a = nla_find(attrs, len, CTRL_ATTR_FAMILY_NAME);
	struct families *f = arg;

	f->replies++;
	if (a && !strcmp(nla_get_string(a), NLCTRL))
		f->nlctrl++;
	return 0;
}

static int fail_parse(struct nlattr *attrs, int len, void *arg)
{
	(void)attrs;
	(void)len;
	(void)arg;
	return -EBADMSG;
}

static struct nl_msg *getfamily(struct mt_nl *nl, int flags, const char *name)
{
	struct nl_msg *msg = mt_nl_msg(nl, CTRL_CMD_GETFAMILY, flags);

	if (name)
		nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, name);
	return msg;
}

static void exchange_nlctrl(void)
{
	struct families f = { 0 };
	struct nl_msg *msg;
	struct mt_nl nl;
	int err;

	if (mt_nl_connect(&nl, NLCTRL)) {
		t_skipped_case = true;	/* no generic netlink here */
		return;
	}
	/* do: one reply, then the ack */
	err = mt_nl_exchange(&nl, getfamily(&nl, 0, NLCTRL),
			     count_family, &f);
	CHECK(err == 0);
	CHECK(f.replies == 1 && f.nlctrl == 1);

	/* without a parser, as for a request that is only acked */
	CHECK(mt_nl_exchange(&nl, getfamily(&nl, 0, NLCTRL), NULL, NULL) == 0);

	/* dump: every family, nlctrl once, then DONE */
	f.replies = f.nlctrl = 0;
	err = mt_nl_exchange(&nl, getfamily(&nl, NLM_F_DUMP, NULL),
			     count_family, &f);
	CHECK(err == 0);
	CHECK(f.replies > 1 && f.nlctrl == 1);

	/* the kernel's errno */
	err = mt_nl_exchange(&nl, getfamily(&nl, 0, "memtally-none"),
			     count_family, &f);
	CHECK(err == -ENOENT);

	/* the kernel's errno with its extack message */
	msg = mt_nl_msg(&nl, CTRL_CMD_GETFAMILY, 0);
	nla_put_u8(msg, CTRL_ATTR_FAMILY_ID, 1);	/* a u16 */
	err = mt_nl_exchange(&nl, msg, count_family, &f);
	CHECK(err < 0 && err != -ENOENT);
	CHECK(!strncmp(nl.why, "kernel: ", 8) && strlen(nl.why) > 8);

	/* a reply the parser rejects; a message that could not be built */
	err = mt_nl_exchange(&nl, getfamily(&nl, 0, NLCTRL),
			     fail_parse, NULL);
	CHECK(err == -EBADMSG);
	CHECK(mt_nl_exchange(&nl, NULL, count_family, &f) == -ENOMEM);
	mt_nl_close(&nl);

	CHECK(mt_nl_connect(&nl, "memtally-none") == -ENOENT);
	CHECK(nl.sk == NULL);
}

/* A status-get answered once, and twice (found by fuzz_nl: a leak) */
static void status_replies(void)
{
	struct mt_status st;
	struct mt_nl nl;
	size_t len = 0;
	char buf[1024];

	fake_append(buf, &len, fake_status_msg());
	fake_append(buf, &len, fake_ack_msg());
	CHECK(fake_open(&nl, buf, len) == 0);
	CHECK(mt_nl_status(&nl, &st) == 0);
	CHECK_STR(st.version, "0.1.0");
	CHECK_U64(st.nr_cgroups, 3);
	mt_status_free(&st);
	mt_nl_close(&nl);

	len = 0;
	fake_append(buf, &len, fake_status_msg());
	fake_append(buf, &len, fake_status_msg());
	fake_append(buf, &len, fake_ack_msg());
	CHECK(fake_open(&nl, buf, len) == 0);
	CHECK(mt_nl_status(&nl, &st) == -EBADMSG);
	mt_status_free(&st);
	mt_nl_close(&nl);
}

static struct mt_rows rows_of(const uint64_t *ids, const uint64_t *faults,
			      const uint64_t *removed, size_t n)
{
	struct mt_rows l = { calloc(n + 1, sizeof(*l.v)), n, n };

	for (size_t i = 0; i < n; i++) {
		l.v[i].id = ids[i];
		l.v[i].counters[MT_CTR_FAULTS_USER] = faults[i];
		l.v[i].removed_ns = removed ? removed[i] : 0;
	}
	return l;
}

/* Changed rows replace old ones by id; removed ones go unless asked for */
static void rows_merge(void)
{
	static const uint64_t oid[] = { 1, 3, 5, 9 }, of[] = { 10, 30, 50, 90 };
	static const uint64_t cid[] = { 2, 3, 5, 7 }, cf[] = { 20, 31, 51, 70 };
	static const uint64_t crm[] = { 0, 0, 123, 0 };
	struct mt_rows old = rows_of(oid, of, NULL, 4);
	struct mt_rows ch = rows_of(cid, cf, crm, 4), out = { 0 };
	static const uint64_t want[] = { 1, 2, 3, 7, 9 }, wantf[] = { 10, 20, 31, 70, 90 };

	CHECK(mt_rows_merge(&out, &old, &ch, false) == 0);
	CHECK_U64(out.nr, 5);
	for (size_t i = 0; i < out.nr && i < 5; i++) {
		CHECK_U64(out.v[i].id, want[i]);
		CHECK_U64(out.v[i].counters[MT_CTR_FAULTS_USER], wantf[i]);
	}
	CHECK(mt_rows_merge(&out, &old, &ch, true) == 0);
	CHECK_U64(out.nr, 6);
	CHECK_U64(out.v[3].id, 5);
	CHECK_U64(out.v[3].removed_ns, 123);
	/* nothing changed: the old rows */
	ch.nr = 0;
	CHECK(mt_rows_merge(&out, &old, &ch, false) == 0);
	CHECK_U64(out.nr, 4);
	mt_rows_free(&old);
	mt_rows_free(&ch);
	mt_rows_free(&out);
}

/*
 * A dump since a generation: its first message, dump-gen alone and no
 * row, is the next one, also in a dump of nothing.  An update merges what changed,
 * dumps everything again after ESTALE, and plainly with a module that
 * refuses since-gen (EINVAL), from then on.
 */
static void cgroups_since(void)
{
	struct mt_cgroups_reader rd = { 0 };
	struct mt_rows l = { 0 }, old = { 0 };
	char buf[2048], buf2[2048];
	size_t len = 0, len2 = 0;
	uint64_t gen = 5;
	struct mt_nl nl;

	fake_append(buf, &len, fake_gen_msg(77));
	fake_append(buf, &len, fake_cgroup_msg(1, 100, 0));
	fake_append(buf, &len, fake_cgroup_msg(4, 40, 0));
	fake_append(buf, &len, fake_done_msg(0));
	CHECK(fake_open(&nl, buf, len) == 0);
	CHECK(mt_nl_cgroups_since(&nl, &gen, &l) == 0);
	CHECK_U64(gen, 77);
	CHECK_U64(l.nr, 2);
	mt_nl_close(&nl);

	/* nothing changed: a generation all the same */
	len = 0;
	fake_append(buf, &len, fake_gen_msg(78));
	fake_append(buf, &len, fake_done_msg(0));
	CHECK(fake_open(&nl, buf, len) == 0);
	l.nr = 0;
	CHECK(mt_nl_cgroups_since(&nl, &gen, &l) == 0);
	CHECK_U64(gen, 78);
	CHECK_U64(l.nr, 0);
	mt_nl_close(&nl);

	/* no generation (never from a module with since-gen): kept */
	len = 0;
	fake_append(buf, &len, fake_done_msg(0));
	CHECK(fake_open(&nl, buf, len) == 0);
	CHECK(mt_nl_cgroups_since(&nl, &gen, &l) == 0);
	CHECK_U64(gen, 78);
	CHECK_U64(l.nr, 0);
	mt_nl_close(&nl);

	/* update: the first one dumps everything (since 0) */
	len = 0;
	fake_append(buf, &len, fake_gen_msg(80));
	fake_append(buf, &len, fake_cgroup_msg(1, 100, 0));
	fake_append(buf, &len, fake_cgroup_msg(4, 40, 0));
	fake_append(buf, &len, fake_cgroup_msg(6, 60, 0));
	fake_append(buf, &len, fake_done_msg(0));
	CHECK(fake_open(&nl, buf, len) == 0);
	CHECK(mt_nl_cgroups_update(&nl, &rd, &old, &l) == 0);
	CHECK_U64(rd.gen, 80);
	CHECK_U64(l.nr, 3);
	CHECK_U64(rd.full, 1);
	mt_nl_close(&nl);

	/* then what changed: 4 counted, 6 was removed */
	old = l;
	l = (struct mt_rows){ 0 };
	len = 0;
	fake_append(buf, &len, fake_gen_msg(81));
	fake_append(buf, &len, fake_cgroup_msg(4, 44, 0));
	fake_append(buf, &len, fake_cgroup_msg(6, 60, 999));
	fake_append(buf, &len, fake_done_msg(0));
	CHECK(fake_open(&nl, buf, len) == 0);
	CHECK(mt_nl_cgroups_update(&nl, &rd, &old, &l) == 0);
	CHECK_U64(rd.gen, 81);
	CHECK_U64(rd.since, 1);
	CHECK_U64(l.nr, 2);
	CHECK_U64(l.v[0].counters[MT_CTR_FAULTS_USER], 100);
	CHECK_U64(l.v[1].counters[MT_CTR_FAULTS_USER], 44);
	mt_nl_close(&nl);

	/* ESTALE: everything again */
	mt_rows_free(&old);
	old = l;
	l = (struct mt_rows){ 0 };
	len = 0;
	fake_append(buf, &len, fake_done_msg(-ESTALE));
	fake_append(buf2, &len2, fake_gen_msg(90));
	fake_append(buf2, &len2, fake_cgroup_msg(1, 101, 0));
	fake_append(buf2, &len2, fake_done_msg(0));
	CHECK(fake_open(&nl, buf, len) == 0);
	fake_then(buf2, len2);
	CHECK(mt_nl_cgroups_update(&nl, &rd, &old, &l) == 0);
	CHECK_U64(rd.gen, 90);
	CHECK_U64(rd.full, 2);
	CHECK_U64(l.nr, 1);
	CHECK_U64(l.v[0].counters[MT_CTR_FAULTS_USER], 101);
	mt_nl_close(&nl);

	/* a module without since-gen refuses it: plain dumps from now on */
	len = len2 = 0;
	fake_append(buf, &len, fake_done_msg(-ESTALE));
	fake_append(buf2, &len2, fake_done_msg(-EINVAL));
	CHECK(fake_open(&nl, buf, len) == 0);
	fake_then(buf2, len2);
	CHECK(mt_nl_cgroups_update(&nl, &rd, &old, &l) != 0);
	mt_nl_close(&nl);
	len = len2 = 0;
	fake_append(buf, &len, fake_done_msg(-EINVAL));
	fake_append(buf2, &len2, fake_cgroup_msg(3, 3, 0));
	fake_append(buf2, &len2, fake_done_msg(0));
	rd = (struct mt_cgroups_reader){ 0 };
	CHECK(fake_open(&nl, buf, len) == 0);
	fake_then(buf2, len2);
	CHECK(mt_nl_cgroups_update(&nl, &rd, &old, &l) == 0);
	CHECK(rd.plain);
	CHECK_U64(l.nr, 1);
	CHECK_U64(l.v[0].id, 3);
	mt_nl_close(&nl);
	mt_rows_free(&old);
	mt_rows_free(&l);
}

void test_nl(void)
{
	RUN(extack_error);
	RUN(extack_done);
	RUN(error_lines);
	RUN(exchange_nlctrl);
	RUN(status_replies);
	RUN(rows_merge);
	RUN(cgroups_since);
}
