// SPDX-License-Identifier: GPL-2.0
/*
 * A fuzzer for the memtally generic netlink family: run as root in a guest
 * with memtally.ko loaded.
 *
 * Each of N messages (-n N or MT_FUZZ_N, default 100000) is a well-formed
 * request of a random command (every command of the uapi, also the DAMON
 * ones the module may not have yet, plus unknown numbers), mutated or not:
 * random nlmsg flags, genl version and reserved field, attributes of valid
 * types with wrong lengths, unknown types, random nests, NLA_F_NESTED flips,
 * zero-length attributes, long multi-attr lists, nlmsg_len shorter or longer
 * than what is sent, attribute lengths past the end.  Message i is built
 * from its own generator seeded with (seed, i): -s SEED (or MT_FUZZ_SEED)
 * replays a run, and the seed is printed.  MT_FUZZ_SECONDS (default 150)
 * bounds each test's loop; under TCG fewer than N messages may fit, and the
 * test says how many did.
 *
 * Every reply is read and checked (a receive timeout catches a missing
 * one) and each message is counted as one of: valid reply, error with an
 * extack message, error without one, nothing (when nothing was asked for),
 * timeout, malformed reply.  The tests fail on a timeout, on malformed
 * data, on an error without a message that fz_no_extack_ok() does not
 * explain, and when the module's status no longer reads.  The root test
 * restores the settings it may have changed; the unprivileged one checks
 * that nothing changed them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/memtally.h>

#include "kselftest_harness.h"
#include "mt_lib.h"

#define FZ_N_DEFAULT		100000UL
#define FZ_SECONDS_DEFAULT	150
/* what the loop may take of a test's time; the rest is for the checks */
#define FZ_SECONDS_MAX		(TEST_TIMEOUT_DEFAULT - 120)
#define FZ_RCV_TIMEOUT_S	10	/* a dump on the debug kernel under TCG */
#define FZ_MAX_TIMEOUTS		3	/* then stop: the kernel is unwell */
#define FZ_MSG_MAX		60000	/* < 65535: a nest's nla_len is a u16 */
#define FZ_NOTES		12

_Static_assert(FZ_SECONDS_DEFAULT <= FZ_SECONDS_MAX, "loop budget over the test timeout");

static unsigned long fz_n = FZ_N_DEFAULT;
static uint64_t fz_seed;
static unsigned int fz_seconds = FZ_SECONDS_DEFAULT;

/* splitmix64: message i has its own stream, so any message replays alone */
struct fz_rng {
	uint64_t s;
};

static uint64_t fz_rnd(struct fz_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t fz_below(struct fz_rng *r, uint32_t n)
{
	return n ? fz_rnd(r) % n : 0;
}

static bool fz_chance(struct fz_rng *r, unsigned int percent)
{
	return fz_below(r, 100) < percent;
}

/* What the fuzzer knows of each command of the uapi. */
struct fz_op {
	const char *name;
	int maxattr;		/* of the command's attribute set */
	bool writes;		/* changes settings: needs CAP_SYS_ADMIN */
};

static const struct fz_op fz_ops[MEMTALLY_CMD_MAX + 1] = {
	[MEMTALLY_CMD_STATUS_GET]	 = { "status-get", MEMTALLY_A_STATUS_MAX },
	[MEMTALLY_CMD_CGROUP_GET]	 = { "cgroup-get", MEMTALLY_A_CGROUP_MAX },
	[MEMTALLY_CMD_NODE_GET]		 = { "node-get", MEMTALLY_A_CGROUP_MAX },
	[MEMTALLY_CMD_CONFIG_SET]	 = { "config-set", MEMTALLY_A_CONFIG_MAX, true },
	[MEMTALLY_CMD_OOM_KILL_NTF]	 = { "oom-kill-ntf", MEMTALLY_A_EVENT_MAX },
	[MEMTALLY_CMD_RECLAIM_STALL_NTF] = { "reclaim-stall-ntf", MEMTALLY_A_EVENT_MAX },
	[MEMTALLY_CMD_KSM_GET]		 = { "ksm-get", MEMTALLY_A_KSM_MAX },
	[MEMTALLY_CMD_DAMON_BIND]	 = { "damon-bind", MEMTALLY_A_DAMON_MAX, true },
	[MEMTALLY_CMD_DAMON_UNBIND]	 = { "damon-unbind", MEMTALLY_A_DAMON_MAX, true },
	[MEMTALLY_CMD_DAMON_GET]	 = { "damon-get", MEMTALLY_A_DAMON_MAX },
	[MEMTALLY_CMD_DAMON_WSS_GET]	 = { "damon-wss-get", MEMTALLY_A_CGROUP_MAX },
	[MEMTALLY_CMD_DAMON_REGIONS_GET] = { "damon-regions-get", MEMTALLY_A_REGION_MAX },
};

static bool fz_op_writes(uint8_t cmd)
{
	return cmd <= MEMTALLY_CMD_MAX && fz_ops[cmd].writes;
}

/* One request as sent: nlmsg_len may disagree with len on purpose. */
struct fz_msg {
	union {
		struct nlmsghdr nlh;
		char buf[FZ_MSG_MAX + 64];
	};
	uint32_t len;		/* bytes sent */
	uint32_t dirty;		/* bytes to zero before the next build */
	uint8_t cmd;
	uint32_t nlmsg_len;	/* as sent, after mutations */
	uint16_t flags;		/* as sent */
};

static bool fz_is_dump(const struct fz_msg *m)
{
	return (m->flags & NLM_F_DUMP) == NLM_F_DUMP;
}

/* netlink_rcv_skb() passes it to genetlink (else drops it silently) */
static bool fz_processed(const struct fz_msg *m)
{
	return m->nlmsg_len >= NLMSG_HDRLEN && m->nlmsg_len <= m->len;
}

static uint32_t fz_room(const struct fz_msg *m)
{
	uint32_t used = NLMSG_ALIGN(m->nlh.nlmsg_len);

	return used < FZ_MSG_MAX ? FZ_MSG_MAX - used : 0;
}

/* append an attribute of @len bytes of @data (random bytes if NULL) */
static struct nlattr *fz_put(struct fz_rng *r, struct fz_msg *m, uint16_t type,
			     const void *data, uint16_t len)
{
	static char rnd[4096];

	if (fz_room(m) < NLA_ALIGN(NLA_HDRLEN + len) || len > sizeof(rnd))
		return NULL;
	if (!data) {
		for (unsigned int i = 0; i < len; i++)
			rnd[i] = (char)fz_rnd(r);
		data = rnd;
	}
	return mt_nl_put_hdr(&m->nlh, type, data, len);
}

static void fz_put_u32(struct fz_rng *r, struct fz_msg *m, uint16_t type, uint32_t v)
{
	fz_put(r, m, type, &v, sizeof(v));
}

static void fz_put_u64(struct fz_rng *r, struct fz_msg *m, uint16_t type, uint64_t v)
{
	fz_put(r, m, type, &v, sizeof(v));
}

/* an interesting integer: 0, 1, small, boundaries, random */
static uint64_t fz_value(struct fz_rng *r)
{
	static const uint64_t v[] = {
		0, 1, 2, 100, 1000, 65535, 65536, INT32_MAX, UINT32_MAX,
		(uint64_t)UINT32_MAX + 1, INT64_MAX, UINT64_MAX,
		MEMTALLY_STALL_THRESHOLD_MAX_US, MEMTALLY_STALL_THRESHOLD_MAX_US + 1,
	};

	if (fz_chance(r, 60))
		return v[fz_below(r, ARRAY_SIZE(v))];
	return fz_chance(r, 50) ? fz_below(r, 1 << 20) : fz_rnd(r);
}

static uint16_t fz_attr_len(struct fz_rng *r)
{
	static const uint16_t l[] = { 0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 64 };

	return fz_chance(r, 80) ? l[fz_below(r, ARRAY_SIZE(l))] :
				  fz_below(r, 1024);
}

static uint16_t fz_attr_type(struct fz_rng *r, int maxattr)
{
	switch (fz_below(r, 4)) {
	case 0:
		return maxattr + 1 + fz_below(r, 8);		/* unknown */
	case 1:
		return fz_chance(r, 20) ? 0 : fz_below(r, NLA_TYPE_MASK + 1);
	default:
		return 1 + fz_below(r, maxattr);		/* valid type */
	}
}

/* a nest of random attributes, nests in it up to @depth */
static void fz_put_nest(struct fz_rng *r, struct fz_msg *m, uint16_t type,
			int maxattr, int depth)
{
	struct nlattr *nest = fz_put(r, m, type | NLA_F_NESTED, NULL, 0);
	int n = fz_below(r, 5);

	if (!nest)
		return;
	for (int i = 0; i < n; i++) {
		uint16_t t = fz_attr_type(r, maxattr);

		if (depth > 0 && fz_chance(r, 25))
			fz_put_nest(r, m, t, maxattr, depth - 1);
		else
			fz_put(r, m, t | (fz_chance(r, 5) ? NLA_F_NET_BYTEORDER : 0),
			       NULL, fz_attr_len(r));
	}
	nest->nla_len = (char *)m->buf + m->nlh.nlmsg_len - (char *)nest;
}

static void fz_put_random(struct fz_rng *r, struct fz_msg *m, int maxattr)
{
	uint16_t type = fz_attr_type(r, maxattr);

	if (fz_chance(r, 15))
		fz_put_nest(r, m, type, maxattr, 3);
	else
		fz_put(r, m, type, NULL, fz_attr_len(r));
}

/* The well-formed request of @cmd that mutations start from. */
static void fz_seed_request(struct fz_rng *r, struct fz_msg *m, uint16_t family,
			    uint8_t cmd)
{
	uint16_t flags = NLM_F_ACK;
	int i, n;

	switch (cmd) {
	case MEMTALLY_CMD_NODE_GET:
	case MEMTALLY_CMD_DAMON_REGIONS_GET:
		flags |= NLM_F_DUMP;
		break;
	case MEMTALLY_CMD_CGROUP_GET:
	case MEMTALLY_CMD_DAMON_WSS_GET:
		if (fz_chance(r, 40))
			flags |= NLM_F_DUMP;
		break;
	}
	mt_nl_hdr_init(&m->nlh, family, cmd, flags);

	switch (cmd) {
	case MEMTALLY_CMD_CGROUP_GET:
	case MEMTALLY_CMD_DAMON_WSS_GET:
		if (!(flags & NLM_F_DUMP))
			fz_put_u64(r, m, MEMTALLY_A_CGROUP_ID,
				   fz_chance(r, 50) ? 1 : fz_value(r));
		break;
	case MEMTALLY_CMD_CONFIG_SET:
		if (fz_chance(r, 80))
			fz_put_u64(r, m, MEMTALLY_A_CONFIG_STALL_THRESHOLD_US,
				   fz_chance(r, 50) ? fz_below(r, 1000000) : fz_value(r));
		if (fz_chance(r, 20))
			fz_put_u32(r, m, MEMTALLY_A_CONFIG_DAMON_HOT_RATE, fz_value(r));
		if (fz_chance(r, 20))
			fz_put_u32(r, m, MEMTALLY_A_CONFIG_DAMON_COLD_RATE, fz_value(r));
		break;
	case MEMTALLY_CMD_DAMON_BIND:
		fz_put_u32(r, m, MEMTALLY_A_DAMON_KDAMOND_PID,
			   fz_chance(r, 50) ? 1 : fz_value(r));
		fz_put_u32(r, m, MEMTALLY_A_DAMON_OPS,
			   fz_chance(r, 80) ? fz_below(r, 2) : fz_value(r));
		fz_put_u32(r, m, MEMTALLY_A_DAMON_SAMPLE_US,
			   fz_chance(r, 50) ? 5000 : fz_value(r));
		fz_put_u32(r, m, MEMTALLY_A_DAMON_AGGR_US,
			   fz_chance(r, 50) ? 100000 : fz_value(r));
		n = fz_below(r, 4);
		for (i = 0; i < n; i++)
			fz_put_u32(r, m, MEMTALLY_A_DAMON_TARGET_PID,
				   fz_chance(r, 50) ? 1 : fz_value(r));
		if (fz_chance(r, 50))
			fz_put_u32(r, m, MEMTALLY_A_DAMON_WSS_RING, fz_value(r));
		if (fz_chance(r, 50))
			fz_put_u32(r, m, MEMTALLY_A_DAMON_REGION_RING, fz_value(r));
		break;
	}
}

/* a random attribute of the payload, or NULL */
static struct nlattr *fz_pick_attr(struct fz_rng *r, struct fz_msg *m)
{
	const struct nlattr *a, *pick = NULL;
	int len = (int)m->nlh.nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), seen = 0;

	mt_nl_for_each_attr(a, (const void *)((char *)NLMSG_DATA(&m->nlh) + GENL_HDRLEN), len)
		if (fz_below(r, ++seen) == 0)
			pick = a;
	return (struct nlattr *)pick;
}

static uint16_t fz_random_flags(struct fz_rng *r)
{
	uint16_t f = 0;

	if (fz_chance(r, 90))
		f |= NLM_F_REQUEST;
	if (fz_chance(r, 70))
		f |= NLM_F_ACK;
	if (fz_chance(r, 30))
		f |= NLM_F_ROOT;
	if (fz_chance(r, 30))
		f |= NLM_F_MATCH;
	if (fz_chance(r, 5))
		f |= NLM_F_ECHO;
	if (fz_chance(r, 10))
		f |= 1u << fz_below(r, 16);
	if (fz_chance(r, 2))
		f = (uint16_t)fz_rnd(r);
	return f;
}

/* Build message @i: a seed request, then mutations. */
static void fz_build(struct fz_rng *r, struct fz_msg *m, uint16_t family)
{
	struct genlmsghdr *g;
	struct nlattr *a;
	uint8_t cmd;
	int maxattr, n, i;

	memset(m->buf, 0, m->dirty);
	if (fz_chance(r, 5))		/* unknown commands: 0 and above max */
		cmd = fz_chance(r, 30) ? 0 : MEMTALLY_CMD_MAX + 1 +
			fz_below(r, 255 - MEMTALLY_CMD_MAX);
	else
		cmd = 1 + fz_below(r, MEMTALLY_CMD_MAX);
	maxattr = cmd <= MEMTALLY_CMD_MAX && cmd ? fz_ops[cmd].maxattr : 16;
	fz_seed_request(r, m, family, cmd);
	g = NLMSG_DATA(&m->nlh);

	if (fz_chance(r, 25))		/* some stay well-formed */
		goto done;
	if (fz_chance(r, 25))
		m->nlh.nlmsg_flags = fz_random_flags(r);
	if (fz_chance(r, 15))
		g->version = (uint8_t)fz_rnd(r);
	if (fz_chance(r, 3))
		g->reserved = (uint16_t)fz_rnd(r);
	if (fz_chance(r, 35)) {
		n = 1 + fz_below(r, 5);
		for (i = 0; i < n; i++)
			fz_put_random(r, m, maxattr);
	}
	if (fz_chance(r, 20))		/* a valid type, a wrong length */
		fz_put(r, m, 1 + fz_below(r, maxattr), NULL, fz_attr_len(r));
	if (fz_chance(r, 10))
		fz_put(r, m, fz_chance(r, 70) ? 1 + fz_below(r, maxattr) :
		       fz_attr_type(r, maxattr), NULL, 0);
	a = fz_chance(r, 10) ? fz_pick_attr(r, m) : NULL;
	if (a)
		a->nla_type ^= NLA_F_NESTED;
	if (fz_chance(r, 3)) {		/* a long multi-attr list */
		uint16_t type = cmd == MEMTALLY_CMD_DAMON_BIND ?
				MEMTALLY_A_DAMON_TARGET_PID : 1 + fz_below(r, maxattr);
		uint32_t v = 1;

		n = 100 + fz_below(r, 8000);
		for (i = 0; i < n && fz_room(m) >= 8; i++)
			fz_put(r, m, type, &v, sizeof(v));
	}
	if (fz_chance(r, 5)) {		/* random bytes over the payload */
		uint32_t start = NLMSG_LENGTH(GENL_HDRLEN);

		n = 1 + fz_below(r, 8);
		for (i = 0; i < n && m->nlh.nlmsg_len > start; i++)
			m->buf[start + fz_below(r, m->nlh.nlmsg_len - start)] =
				(char)fz_rnd(r);
	}
	a = fz_chance(r, 5) ? fz_pick_attr(r, m) : NULL;
	if (a)				/* past the end */
		a->nla_len += 1 + fz_below(r, 64);
done:
	m->len = m->nlh.nlmsg_len;
	m->dirty = m->len;
	if (fz_chance(r, 8)) {		/* nlmsg_len and the datagram disagree */
		switch (fz_below(r, 4)) {
		case 0:			/* shorter than the genl header */
			m->nlh.nlmsg_len = NLMSG_HDRLEN + fz_below(r, GENL_HDRLEN);
			break;
		case 1:			/* shorter than the nlmsghdr: dropped */
			m->nlh.nlmsg_len = fz_below(r, NLMSG_HDRLEN);
			break;
		case 2:			/* longer than what is sent: dropped */
			m->nlh.nlmsg_len += 1 + fz_below(r, 256);
			break;
		default:		/* cut short anywhere */
			m->nlh.nlmsg_len = NLMSG_HDRLEN + fz_below(r, m->len - NLMSG_HDRLEN);
			break;
		}
		/*
		 * The rest of the datagram would be parsed as more messages,
		 * to any family: zeroes end the parse (nlmsg_len 0).
		 */
		if (m->nlh.nlmsg_len < m->len)
			memset(m->buf + m->nlh.nlmsg_len, 0, m->len - m->nlh.nlmsg_len);
	}
	m->cmd = cmd;
	m->nlmsg_len = m->nlh.nlmsg_len;
	m->flags = m->nlh.nlmsg_flags;
}

enum fz_outcome {
	FZ_VALID,		/* data, an ack or a DONE without error */
	FZ_SILENT,		/* no reply, none asked for */
	FZ_ERR_EXTACK,
	FZ_ERR_NO_EXTACK,
	FZ_TIMEOUT,
	FZ_MALFORMED,
	FZ_NR_OUTCOMES
};

static const char *const fz_outcome_name[FZ_NR_OUTCOMES] = {
	"valid reply", "no reply (none asked for)", "error with extack",
	"error without extack", "timeout", "malformed reply",
};

struct fz_result {
	enum fz_outcome outcome;
	int error;
	uint16_t final_type;	/* NLMSG_ERROR or NLMSG_DONE, 0 if none */
	int nmsgs;
	struct mt_nl_result res;	/* for the extack */
	char why[96];		/* malformed: what was wrong */
};

/* Counters, shared with the unprivileged child. */
struct fz_stats {
	unsigned long sent, skipped_budget;
	unsigned long outcome[FZ_NR_OUTCOMES];
	unsigned long by_errno[4096];
	/* [0]: unknown commands */
	unsigned long cmd_sent[MEMTALLY_CMD_MAX + 1], cmd_ok[MEMTALLY_CMD_MAX + 1];
	unsigned long no_extack_ok, bad_extack, bad_unpriv, send_errors;
	double seconds;
	int nnotes;
	char notes[FZ_NOTES][256];
};

static __printf(2, 3) void fz_note(struct fz_stats *st, const char *fmt, ...)
{
	va_list ap;

	if (st->nnotes >= FZ_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(st->notes[st->nnotes++], sizeof(st->notes[0]), fmt, ap);
	va_end(ap);
}

static int fz_open(struct mt_nl *nl)
{
	struct timeval tv = { .tv_sec = FZ_RCV_TIMEOUT_S };
	int err = mt_nl_open(nl, MEMTALLY_FAMILY_NAME);

	if (err)
		return err;
	return setsockopt(nl->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ? -errno : 0;
}

/* attributes from @start fill exactly @len bytes */
static bool fz_attrs_ok(const void *start, int len)
{
	const struct nlattr *a;

	mt_nl_for_each_attr(a, (const struct nlattr *)start, len)
		;
	return len == 0;
}

#define FZ_BAD(...) do {						\
	if (!r->why[0])							\
		snprintf(r->why, sizeof(r->why), __VA_ARGS__);		\
} while (0)

/* an NLMSG_ERROR or NLMSG_DONE answering @m; sets r->error */
static void fz_check_final(const struct mt_nl *nl, const struct fz_msg *m,
			   const struct nlmsghdr *nlh, struct fz_result *r)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	const char *tlv;
	int tlvlen;

	if (nlh->nlmsg_type == NLMSG_DONE) {
		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(int))) {
			FZ_BAD("DONE of %u bytes", nlh->nlmsg_len);
			return;
		}
		if (!fz_is_dump(m) || !(nlh->nlmsg_flags & NLM_F_MULTI))
			FZ_BAD("DONE to a do request or without NLM_F_MULTI");
		r->error = *(const int *)NLMSG_DATA(nlh);
		tlv = (const char *)NLMSG_DATA(nlh) + sizeof(int);
	} else {
		size_t hdr = sizeof(*e);

		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
			FZ_BAD("NLMSG_ERROR of %u bytes", nlh->nlmsg_len);
			return;
		}
		r->error = e->error;
		if (e->msg.nlmsg_seq != m->nlh.nlmsg_seq ||
		    e->msg.nlmsg_type != nl->family ||
		    e->msg.nlmsg_len != m->nlmsg_len)
			FZ_BAD("NLMSG_ERROR echoes another header");
		/* NETLINK_CAP_ACK: the request's payload is echoed only without it */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) && r->error)
			hdr += NLMSG_ALIGN(m->nlmsg_len - NLMSG_HDRLEN);
		tlv = (const char *)e + hdr;
	}
	if (r->error > 0 || r->error < -4095)
		FZ_BAD("error %d", r->error);
	tlvlen = (int)nlh->nlmsg_len - (int)(tlv - (const char *)nlh);
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (tlvlen < 0 || !fz_attrs_ok(tlv, tlvlen)) {
		FZ_BAD("extack TLVs do not parse");
		return;
	}
	mt_nl_extack(nlh, &r->res);
	{
		const struct nlattr *a;

		mt_nl_for_each_attr(a, (const struct nlattr *)tlv, tlvlen) {
			const char *p = (const char *)a + NLA_HDRLEN;
			int plen = a->nla_len - NLA_HDRLEN;

			if (a->nla_type == NLMSGERR_ATTR_MSG &&
			    (plen < 1 || !memchr(p, 0, plen)))
				FZ_BAD("extack message not terminated");
			if (a->nla_type == NLMSGERR_ATTR_OFFS &&
			    (plen != 4 || *(const uint32_t *)p >= m->nlmsg_len))
				FZ_BAD("extack offset past the request");
		}
	}
}

/*
 * Send @m and read its replies.  Unless the kernel must answer it (a
 * request it processes, with NLM_F_ACK or NLM_F_DUMP: an error, an ack or
 * a DONE), an NLMSG_NOOP with NLM_F_ACK follows it as a barrier: the kernel
 * answers the messages of a socket in order, so the barrier's ack means
 * there is nothing more to wait for.
 */
static int fz_exchange(struct mt_nl *nl, struct fz_msg *m, struct fz_result *r)
{
	static char buf[MT_NL_BUF];
	struct nlmsghdr noop = {
		.nlmsg_len = NLMSG_HDRLEN,
		.nlmsg_type = NLMSG_NOOP,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
	};
	bool barrier = !(fz_processed(m) && (m->flags & NLM_F_REQUEST) &&
			 ((m->flags & NLM_F_ACK) || fz_is_dump(m)));
	bool final = false, barrier_acked = false, multi = false;
	uint32_t seq = ++nl->seq;

	memset(r, 0, sizeof(*r));
	m->nlh.nlmsg_seq = seq;		/* within the sent bytes: len >= 20 */
	if (send(nl->fd, m->buf, m->len, 0) < 0)
		return -errno;
	if (barrier) {
		noop.nlmsg_seq = ++nl->seq;
		if (send(nl->fd, &noop, sizeof(noop), 0) < 0)
			return -errno;
	}

	while (!(final && (!barrier || barrier_acked)) &&
	       !(barrier_acked && !(multi && !final))) {
		const struct nlmsghdr *nlh;
		ssize_t n = recv(nl->fd, buf, sizeof(buf), MSG_TRUNC);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			r->outcome = FZ_TIMEOUT;
			return 0;
		}
		if (n < 0)
			return -errno;
		if (n > (ssize_t)sizeof(buf)) {
			FZ_BAD("datagram of %zd bytes", n);
			break;
		}
		for (nlh = (void *)buf; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
			if (barrier && nlh->nlmsg_seq == noop.nlmsg_seq) {
				if (nlh->nlmsg_type != NLMSG_ERROR ||
				    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr)) ||
				    ((const struct nlmsgerr *)NLMSG_DATA(nlh))->error)
					FZ_BAD("barrier answered with type %u", nlh->nlmsg_type);
				barrier_acked = true;
				continue;
			}
			if (nlh->nlmsg_seq != seq) {
				FZ_BAD("stray message, seq %u type %u", nlh->nlmsg_seq,
				       nlh->nlmsg_type);
				continue;
			}
			if (final)
				FZ_BAD("message after the final one");
			if (nlh->nlmsg_type == NLMSG_ERROR || nlh->nlmsg_type == NLMSG_DONE) {
				fz_check_final(nl, m, nlh, r);
				r->final_type = nlh->nlmsg_type;
				final = true;
			} else if (nlh->nlmsg_type == nl->family) {
				const struct genlmsghdr *g = NLMSG_DATA(nlh);

				r->nmsgs++;
				if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN)) {
					FZ_BAD("reply of %u bytes", nlh->nlmsg_len);
					continue;
				}
				if (g->cmd != m->cmd)
					FZ_BAD("reply cmd %u to cmd %u", g->cmd, m->cmd);
				if (!!(nlh->nlmsg_flags & NLM_F_MULTI) != fz_is_dump(m))
					FZ_BAD("NLM_F_MULTI %s in a %s reply",
					       fz_is_dump(m) ? "missing" : "set",
					       fz_is_dump(m) ? "dump" : "do");
				multi |= !!(nlh->nlmsg_flags & NLM_F_MULTI);
				if (!fz_attrs_ok((const char *)g + GENL_HDRLEN,
						 nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN)))
					FZ_BAD("reply attributes do not parse");
			} else {
				FZ_BAD("reply of type %u", nlh->nlmsg_type);
			}
		}
		if (n)
			FZ_BAD("%zd bytes after the last message of a datagram", n);
		if (r->why[0])
			break;
	}

	/* what netlink_rcv_skb() promises */
	if (!fz_processed(m) && (final || r->nmsgs))
		FZ_BAD("reply to a message of nlmsg_len %u in %u bytes",
		       m->nlmsg_len, m->len);
	if (!(m->flags & NLM_F_REQUEST) && (r->nmsgs || r->error))
		FZ_BAD("a message without NLM_F_REQUEST was handled");

	if (r->why[0])
		r->outcome = FZ_MALFORMED;
	else if (final && r->error)
		r->outcome = r->res.extack[0] ? FZ_ERR_EXTACK : FZ_ERR_NO_EXTACK;
	else if (final || r->nmsgs)
		r->outcome = FZ_VALID;
	else
		r->outcome = FZ_SILENT;
	return 0;
}

static bool fz_op_exists(const struct mt_nl *nl, const struct fz_msg *m)
{
	return nl->op_flags[m->cmd] &
	       (fz_is_dump(m) ? GENL_CMD_CAP_DUMP : GENL_CMD_CAP_DO);
}

/*
 * Why an error may come without an extack message, or NULL.
 *
 * Debian's 6.1 and 6.12 agree (net/netlink/genetlink.c, lib/nlattr.c).
 * genl_family_rcv_msg() returns these before any code of the family runs,
 * and sets no message:
 *  - nlmsg_len shorter than the genl header: -EINVAL;
 *  - a command the family lacks, or lacks in that mode (do without doit,
 *    dump without dumpit): -EOPNOTSUPP from genl_get_cmd() (6.12) or from
 *    genl_family_rcv_msg_doit()/_dumpit() (6.1).  Which commands and modes
 *    exist comes from CTRL_CMD_GETFAMILY (mt_nl.op_flags), so a handler's
 *    own bare -EOPNOTSUPP is still caught;
 *  - GENL_ADMIN_PERM/GENL_UNS_ADMIN_PERM: -EPERM, but memtally's ops set
 *    neither: their handlers check and say why, so not listed here.
 * Every other error of the core carries a message: genl_header_check()
 * ("genlmsghdr.reserved field is not 0", "ambiguous or reserved bits set
 * in nlmsg_flags") and each policy error of __nla_validate_parse() and
 * validate_nla() (the bare returns in lib/nlattr.c are for policy types
 * memtally does not use).
 * One limitation of 6.1: __netlink_dump_start() runs the family's dump
 * start() with cb->extack NULL, so its error (-EPERM, a dump with an id)
 * arrives as a bare NLMSG_ERROR (mt_dump_start_has_extack()).  Errors of
 * the dump itself come in NLMSG_DONE, with the message, on both.
 */
static const char *fz_no_extack_ok(const struct mt_nl *nl, const struct fz_msg *m,
				   const struct fz_result *r)
{
	if (r->error == -EINVAL && m->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return "short genl header";
	if (r->error == -EOPNOTSUPP && !fz_op_exists(nl, m))
		return "no such op";
	if (fz_is_dump(m) && r->final_type == NLMSG_ERROR &&
	    !mt_dump_start_has_extack())
		return "6.1 dump start";
	return NULL;
}

/* the messages of the core's checks, before a family's handler runs */
static bool fz_core_message(const char *msg)
{
	static const char *const core[] = {
		"genlmsghdr.reserved field is not 0",
		"ambiguous or reserved bits set in nlmsg_flags",
		"Invalid header length",
		"Unknown attribute type",
		"invalid attribute length",
		"NLA_F_NESTED is missing",
		"NLA_F_NESTED not expected",
		"Attribute failed policy validation",
		"Unsupported attribute",
		"integer out of range",
		"binary attribute size out of range",
		"bytes leftover after parsing attributes",
		"allowed policy recursion depth exceeded",
		"Array element too short",
		"reserved bit set",
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(core); i++)
		if (!strcmp(msg, core[i]))
			return true;
	return false;
}

/*
 * Unprivileged: a request that reaches a handler must fail, and one that
 * changes settings must fail with EPERM - unless the core refused it
 * before the handler ran.
 */
static const char *fz_unpriv_bad(const struct mt_nl *nl, const struct fz_msg *m,
				 const struct fz_result *r)
{
	if (!fz_processed(m) || !(m->flags & NLM_F_REQUEST) || !fz_op_exists(nl, m))
		return NULL;
	if (r->outcome == FZ_VALID || r->outcome == FZ_SILENT)
		return "succeeded";
	if (!fz_op_writes(m->cmd) || r->error == -EPERM)
		return NULL;
	if (r->error == -EINVAL && m->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return NULL;
	if ((r->error == -EINVAL || r->error == -ERANGE) &&
	    fz_core_message(r->res.extack))
		return NULL;
	return "a change failed with another error than EPERM";
}

/* the first bytes of @m in hex, for a note */
static const char *fz_hex(const struct fz_msg *m)
{
	static char out[96];
	size_t o = 0;

	out[0] = 0;
	for (uint32_t i = 0; i < m->len && i < 40; i++)
		o += snprintf(out + o, sizeof(out) - o, "%02x", (uint8_t)m->buf[i]);
	return out;
}

static double fz_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The loop; counts into @st.  @nl is reopened after a lost exchange. */
static void fz_run(struct mt_nl *nl, struct fz_stats *st, bool unpriv)
{
	static struct fz_msg m;
	double t0 = fz_now();
	unsigned long i;

	for (i = 0; i < fz_n; i++) {
		struct fz_rng rng = { fz_seed ^ (i * 0xd1342543de82ef95ULL) };
		struct fz_result r;
		const char *why;
		int err;

		if (!(i & 63) && fz_now() - t0 > fz_seconds) {
			st->skipped_budget = fz_n - i;
			break;
		}
		fz_rnd(&rng);
		fz_build(&rng, &m, nl->family);
		err = fz_exchange(nl, &m, &r);
		st->sent++;
		st->cmd_sent[m.cmd <= MEMTALLY_CMD_MAX ? m.cmd : 0]++;
		if (err) {
			st->send_errors++;
			fz_note(st, "#%lu %s: socket error %s (len %u) %s", i,
				m.cmd <= MEMTALLY_CMD_MAX && m.cmd ? fz_ops[m.cmd].name : "?",
				strerror(-err), m.len, fz_hex(&m));
			mt_nl_close(nl);	/* its replies are not all read */
			if (fz_open(nl) || !nl->family || st->send_errors >= FZ_MAX_TIMEOUTS)
				break;
			continue;
		}
		st->outcome[r.outcome]++;
		if (r.outcome == FZ_VALID)
			st->cmd_ok[m.cmd <= MEMTALLY_CMD_MAX ? m.cmd : 0]++;
		if (r.error < 0 && r.error > -4096)
			st->by_errno[-r.error]++;
		if (r.outcome == FZ_ERR_NO_EXTACK) {
			if (fz_no_extack_ok(nl, &m, &r)) {
				st->no_extack_ok++;
			} else {
				st->bad_extack++;
				fz_note(st, "#%lu cmd %u flags %#x: %s without extack: %s",
					i, m.cmd, m.flags, strerrorname_np(-r.error) ?: "?",
					fz_hex(&m));
			}
		}
		why = unpriv ? fz_unpriv_bad(nl, &m, &r) : NULL;
		if (why) {
			st->bad_unpriv++;
			fz_note(st, "#%lu cmd %u flags %#x unprivileged: %s (%d %s) %s",
				i, m.cmd, m.flags, why, r.error, r.res.extack, fz_hex(&m));
		}
		if (r.outcome == FZ_MALFORMED)
			fz_note(st, "#%lu cmd %u flags %#x: %s: %s", i, m.cmd, m.flags,
				r.why, fz_hex(&m));
		if (r.outcome == FZ_TIMEOUT)
			fz_note(st, "#%lu cmd %u flags %#x: no reply in %d s: %s", i,
				m.cmd, m.flags, FZ_RCV_TIMEOUT_S, fz_hex(&m));
		if (r.outcome == FZ_TIMEOUT || r.outcome == FZ_MALFORMED) {
			/* replies may still come: start over on a new socket */
			mt_nl_close(nl);
			if (fz_open(nl) || !nl->family ||
			    st->outcome[FZ_TIMEOUT] >= FZ_MAX_TIMEOUTS)
				break;
		}
	}
	st->seconds = fz_now() - t0;
}

static void fz_report(struct __test_metadata *_metadata, const struct fz_stats *st)
{
	char line[1024];
	size_t o;
	int i;

	TH_LOG("%lu messages in %.1f s (%.0f/s)%s", st->sent, st->seconds,
	       st->seconds > 0 ? st->sent / st->seconds : 0.0,
	       st->skipped_budget ? ": stopped at the time budget" : "");
	if (st->skipped_budget)
		TH_LOG("%lu messages not sent (MT_FUZZ_SECONDS=%u)",
		       st->skipped_budget, fz_seconds);
	for (i = 0; i < FZ_NR_OUTCOMES; i++)
		TH_LOG("  %-26s %lu", fz_outcome_name[i], st->outcome[i]);
	TH_LOG("  errors without extack the core explains: %lu", st->no_extack_ok);
	o = 0;
	for (i = 1; i < 4096; i++)
		if (st->by_errno[i] && o < sizeof(line) - 64)
			o += snprintf(line + o, sizeof(line) - o, " %s=%lu",
				      strerrorname_np(i) ?: "?", st->by_errno[i]);
	TH_LOG("errno:%s", o ? line : " none");
	o = 0;
	for (i = 1; i <= MEMTALLY_CMD_MAX; i++)
		o += snprintf(line + o, sizeof(line) - o, " %s=%lu/%lu",
			      fz_ops[i].name, st->cmd_ok[i], st->cmd_sent[i]);
	TH_LOG("valid/sent:%s", line);
	TH_LOG("valid/sent: unknown commands=%lu/%lu", st->cmd_ok[0], st->cmd_sent[0]);
	for (i = 0; i < st->nnotes; i++)
		TH_LOG("%s", st->notes[i]);
	if (st->nnotes)
		TH_LOG("replay: %s -s %#" PRIx64 " (message #i: -n i+1)",
		       "nl_fuzz", fz_seed);
}

/* The settings a fuzzed request may change, and whether the module is up. */
struct fz_settings {
	bool status_ok;
	uint64_t threshold;
	bool damon_ok;		/* damon-get answered */
	bool damon_rates;
	uint32_t hot_rate, cold_rate, kdamond_pid;
};

static void fz_status_cb(const struct nlmsghdr *nlh, void *ctx)
{
	const struct nlattr *a = mt_nl_attr(nlh, MEMTALLY_A_STATUS_STALL_THRESHOLD_US);
	struct fz_settings *s = ctx;

	if (a && mt_nl_attr(nlh, MEMTALLY_A_STATUS_VERSION)) {
		s->threshold = mt_nl_u64(a);
		s->status_ok = true;
	}
}

static void fz_damon_cb(const struct nlmsghdr *nlh, void *ctx)
{
	const struct nlattr *hot = mt_nl_attr(nlh, MEMTALLY_A_DAMON_HOT_RATE);
	const struct nlattr *cold = mt_nl_attr(nlh, MEMTALLY_A_DAMON_COLD_RATE);
	const struct nlattr *pid = mt_nl_attr(nlh, MEMTALLY_A_DAMON_KDAMOND_PID);
	struct fz_settings *s = ctx;

	s->damon_ok = true;
	s->damon_rates = hot && cold;
	s->hot_rate = hot ? (uint32_t)mt_nl_u64(hot) : 0;
	s->cold_rate = cold ? (uint32_t)mt_nl_u64(cold) : 0;
	s->kdamond_pid = pid ? (uint32_t)mt_nl_u64(pid) : 0;
}

static void fz_settings_get(struct mt_nl *nl, struct fz_settings *s)
{
	struct mt_nl_result res;
	struct mt_nl_req req;

	memset(s, 0, sizeof(*s));
	mt_nl_req_init(&req, nl->family, MEMTALLY_CMD_STATUS_GET, 0);
	if (mt_nl_talk(nl, &req, fz_status_cb, s, &res) || res.error)
		s->status_ok = false;
	/* an error (EOPNOTSUPP before the module has DAMON) leaves it unset */
	mt_nl_req_init(&req, nl->family, MEMTALLY_CMD_DAMON_GET, 0);
	mt_nl_talk(nl, &req, fz_damon_cb, s, &res);
}

static bool fz_debugfs_ok(void)
{
	char buf[4096];
	ssize_t n;
	int fd = open("/sys/kernel/debug/memtally/status", O_RDONLY);

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	return strstr(buf, "version:");
}

static struct fz_stats *fz_stats_new(void)
{
	struct fz_stats *st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return st == MAP_FAILED ? NULL : st;
}

FIXTURE(fz) {
	struct mt_nl nl;
	struct fz_settings before;
	struct fz_stats *st;
};

FIXTURE_SETUP(fz)
{
	ASSERT_EQ(0, fz_open(&self->nl));
	ASSERT_NE(0, self->nl.family) TH_LOG("memtally family not registered: module not loaded?");
	int unknown = 0;

	for (int cmd = MEMTALLY_CMD_MAX; cmd > 0; cmd--)
		if (!fz_ops[cmd].name)
			unknown = cmd;
	ASSERT_EQ(0, unknown) TH_LOG("nl_fuzz does not know cmd %d of the uapi", unknown);

	fz_settings_get(&self->nl, &self->before);
	ASSERT_TRUE(self->before.status_ok);
	self->st = fz_stats_new();
	ASSERT_NE(NULL, self->st);
	TH_LOG("seed %#" PRIx64 ", %lu messages, at most %u s", fz_seed, fz_n, fz_seconds);
}

FIXTURE_TEARDOWN(fz)
{
	if (self->st)
		munmap(self->st, sizeof(*self->st));
	mt_nl_close(&self->nl);
}

/* the module answers, and its settings are @want's */
static void fz_check_after(struct __test_metadata *_metadata, struct mt_nl *nl,
			   const struct fz_settings *want)
{
	struct fz_settings now;

	fz_settings_get(nl, &now);
	EXPECT_TRUE(now.status_ok) TH_LOG("status-get fails after the fuzz");
	EXPECT_TRUE(fz_debugfs_ok()) TH_LOG("debugfs status does not read");
	EXPECT_EQ(want->threshold, now.threshold);
	EXPECT_EQ(want->damon_ok, now.damon_ok);
	EXPECT_EQ(want->kdamond_pid, now.kdamond_pid);
	if (want->damon_rates && now.damon_rates) {
		EXPECT_EQ(want->hot_rate, now.hot_rate);
		EXPECT_EQ(want->cold_rate, now.cold_rate);
	}
}

static void fz_check_counts(struct __test_metadata *_metadata, const struct fz_stats *st)
{
	EXPECT_GT(st->sent, 0);
	EXPECT_EQ(0, st->send_errors);
	EXPECT_EQ(0, st->outcome[FZ_TIMEOUT]);
	EXPECT_EQ(0, st->outcome[FZ_MALFORMED]);
	EXPECT_EQ(0, st->bad_extack);
}

TEST_F(fz, root)
{
	struct fz_settings *b = &self->before, want = *b;
	struct mt_nl_result res;
	struct mt_nl_req req;
	int err;

	fz_run(&self->nl, self->st, false);
	fz_report(_metadata, self->st);

	/* put back what the fuzz may have changed */
	if (self->nl.fd < 0)
		ASSERT_EQ(0, fz_open(&self->nl));
	mt_nl_req_init(&req, self->nl.family, MEMTALLY_CMD_CONFIG_SET, 0);
	mt_nl_put(&req, MEMTALLY_A_CONFIG_STALL_THRESHOLD_US, &b->threshold,
		  sizeof(b->threshold));
	if (b->damon_rates) {
		mt_nl_put(&req, MEMTALLY_A_CONFIG_DAMON_HOT_RATE, &b->hot_rate,
			  sizeof(b->hot_rate));
		mt_nl_put(&req, MEMTALLY_A_CONFIG_DAMON_COLD_RATE, &b->cold_rate,
			  sizeof(b->cold_rate));
	}
	ASSERT_EQ(0, mt_nl_talk(&self->nl, &req, NULL, NULL, &res));
	EXPECT_EQ(0, res.error) TH_LOG("restoring the settings: %s", res.extack);
	/* whatever a fuzzed damon-bind bound (the module may lack DAMON yet) */
	err = mt_raw_request(&self->nl, MEMTALLY_CMD_DAMON_UNBIND, 0, 0, NULL, 0, &res);
	TH_LOG("damon-unbind: %s %s", err ? strerrorname_np(-err) ?: "?" : "ok", res.extack);
	want.kdamond_pid = 0;

	fz_check_after(_metadata, &self->nl, &want);
	fz_check_counts(_metadata, self->st);
}

static int fz_drop_to_nobody(void)
{
	gid_t g = 65534;
	uid_t u = 65534;

	return setgroups(0, NULL) || setresgid(g, g, g) || setresuid(u, u, u) ? -1 : 0;
}

TEST_F(fz, unprivileged)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct mt_nl nl;

		if (fz_drop_to_nobody())
			_exit(2);
		if (fz_open(&nl) || !nl.family)
			_exit(3);
		fz_run(&nl, self->st, true);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	fz_report(_metadata, self->st);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status)) TH_LOG("the child could not drop to nobody or open");
	EXPECT_EQ(0, self->st->bad_unpriv);
	fz_check_after(_metadata, &self->nl, &self->before);
	fz_check_counts(_metadata, self->st);
}

static unsigned long fz_arg(const char *s, const char *what)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	if (!*s || *end) {
		fprintf(stderr, "nl_fuzz: bad %s: %s\n", what, s);
		exit(KSFT_FAIL);
	}
	return v;
}

/* -n N and -s SEED (or MT_FUZZ_N, MT_FUZZ_SEED), the rest to the harness */
int main(int argc, char **argv)
{
	const char *n = getenv("MT_FUZZ_N"), *s = getenv("MT_FUZZ_SEED");
	const char *sec = getenv("MT_FUZZ_SECONDS");
	int i, out = 1;

	for (i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "-n") || !strcmp(argv[i], "-s")) && i + 1 < argc) {
			if (argv[i][1] == 'n')
				n = argv[++i];
			else
				s = argv[++i];
			continue;
		}
		argv[out++] = argv[i];
	}
	argv[out] = NULL;
	if (n)
		fz_n = fz_arg(n, "message count");
	fz_seed = s ? fz_arg(s, "seed") : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	if (sec)
		fz_seconds = fz_arg(sec, "MT_FUZZ_SECONDS");
	if (fz_seconds > FZ_SECONDS_MAX)
		fz_seconds = FZ_SECONDS_MAX;
	printf("# nl_fuzz: seed %#" PRIx64 " (replay: -s %#" PRIx64 ")\n", fz_seed, fz_seed);
	fflush(stdout);		/* before the harness forks */
	return test_harness_run(out, argv);
}
