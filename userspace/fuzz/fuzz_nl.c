// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzer of the replies of the memtally family: the bytes are what "the
 * kernel" answers one request, received by libnl and decoded by the
 * tool's own mt_nl_* calls, exactly as against the module (mt_nl.recv
 * stands for the socket read), then printed and turned into JSON as the
 * commands do.
 *
 * Input: byte 0 the request (enum req, modulo), byte 1 options of the
 * output (sort key, --all, stall kind, heatmap size), then one datagram
 * of netlink messages: nlmsghdr, genlmsghdr, attributes; a dump's rows
 * then NLMSG_DONE, a do's reply then its ack (NLMSG_ERROR 0), or an
 * error.  Sequence numbers are not checked.  For REQ_EVENTS the messages
 * are notifications of the events group, decoded as events.c does.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <linux/memtally.h>

#include "damonnl.h"
#include "damonview.h"
#include "decode.h"
#include "format.h"
#include "fuzz.h"
#include "nl.h"
#include "tests/fakenl.h"

enum req {
	REQ_STATUS,
	REQ_CGROUPS,	/* dump */
	REQ_CGROUP,	/* do, one id */
	REQ_NODES,
	REQ_KSM,
	REQ_DAMON_GET,
	REQ_WSS,	/* dump */
	REQ_WSS_ONE,
	REQ_REGIONS,
	REQ_EVENTS,
	NR_REQ
};

/* What the commands fill in from the cgroup map */
static const char *const paths[] = { "/", "/a", "/a/b", NULL, "/ab", "/b" };

static void rows_show(struct mt_rows *l, uint8_t opt)
{
	unsigned int key = opt % (MT_SORT_COUNTER + MT_NR_CGROUP_COUNTERS);
	struct mt_damon_info info = { .b.bound = true };
	struct mt_cgroup total;
	size_t i, n;

	for (i = 0; i < l->nr; i++)
		l->v[i].path = paths[l->v[i].id % (sizeof(paths) /
						   sizeof(paths[0]))];
	mt_cgroups_sort(l->v, l->nr, key);
	mt_cgroups_print(fuzz_null(), l->v, l->nr, opt & 0x80);
	mt_json_print(fuzz_null(), mt_cgroups_json(l->v, l->nr));
	mt_cgroups_json_write(fuzz_null(), l->v, l->nr);
	mt_stalls_print(fuzz_null(), l->v, l->nr, opt % MT_NR_STALL_KINDS);
	mt_json_print(fuzz_null(), mt_stalls_json(l->v, l->nr,
						  opt % MT_NR_STALL_KINDS));
	n = mt_hotcold_rows(l->v, l->nr, &total);
	mt_hotcold_print(fuzz_null(), &info, l->v, n, &total);
	mt_json_print(fuzz_null(), mt_hotcold_json(&info, l->v, n, &total));
	n = mt_cgroups_filter(l->v, l->nr, "/a");
	mt_cgroups_print(fuzz_null(), l->v, n, true);
}

static void status_show(struct mt_status *st)
{
	mt_status_print(fuzz_null(), st);
	mt_json_print(fuzz_null(), mt_status_json(st));
	mt_config_print(fuzz_null(), st);
	mt_json_print(fuzz_null(), mt_config_json(st));
}

static void wss_show(struct mt_wss_list *l)
{
	struct mt_wss_sample *v;
	size_t i, n = 0;

	for (i = 0; i < l->nr; i++)
		n += l->v[i].nr;
	v = malloc((n ? n : 1) * sizeof(*v));
	if (!v)
		return;
	n = mt_wss_merge(l, v);
	mt_wss_print(fuzz_null(), v, n, 1000000000000ull);
	mt_json_print(fuzz_null(), mt_wss_json("/a", v, n, 1000000000000ull));
	free(v);
}

static void regions_show(struct mt_regions *l, uint8_t opt)
{
	struct heatmap_opts o = {
		.cols = 1 + opt % 16,
		.rows = 1 + opt / 16,
		.cgroup_id = opt & 1 ? l->nr ? l->v[0].cgroup_id : 0 : 0,
	};
	struct heatmap hm;

	if (heatmap_bin(l->v, l->nr, &o, &hm))
		return;
	heatmap_term(fuzz_null(), &hm);
	mt_json_print(fuzz_null(), heatmap_json(&hm));
	heatmap_free(&hm);
}

/* As events.c's event_cb(), for each message of the datagram */
static void events(void)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *gnlh;
	struct mt_event ev;
	void *buf;
	int rem = fake_len;

	buf = malloc(fake_len ? fake_len : 1);
	if (!buf)
		return;
	memcpy(buf, fake_reply, fake_len);
	for (nlh = buf; nlmsg_ok(nlh, rem); nlh = nlmsg_next(nlh, &rem)) {
		gnlh = nlmsg_data(nlh);
		if (nlh->nlmsg_type != FAKE_FAMILY || !genlmsg_valid_hdr(nlh, 0))
			continue;
		if (mt_event_decode(gnlh->cmd, genlmsg_attrdata(gnlh, 0),
				    genlmsg_attrlen(gnlh, 0), &ev))
			continue;
		ev.path = paths[ev.cgroup_id % (sizeof(paths) /
						sizeof(paths[0]))];
		mt_event_print(fuzz_null(), &ev);
		mt_json_print(fuzz_null(), mt_event_json(&ev));
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mt_damon_info info;
	struct mt_wss_list wl = { 0 };
	struct mt_regions rl = { 0 };
	struct mt_rows rows = { 0 };
	struct mt_status st;
	struct mt_ksm k;
	struct mt_nl nl;
	uint64_t id = 1;
	uint8_t opt;

	if (size < 2)
		return 0;
	opt = data[1];
	if (fake_open(&nl, data + 2, size - 2))
		return 0;
	if (data[0] % NR_REQ == REQ_EVENTS) {
		events();
		mt_nl_close(&nl);
		return 0;
	}
	switch (data[0] % NR_REQ) {
	case REQ_STATUS:
		if (!mt_nl_status(&nl, &st))
			status_show(&st);
		mt_status_free(&st);
		break;
	case REQ_CGROUPS:
	case REQ_CGROUP:
		if (!mt_nl_cgroups(&nl, data[0] % NR_REQ == REQ_CGROUP ? &id :
				   NULL, &rows))
			rows_show(&rows, opt);
		mt_rows_free(&rows);
		break;
	case REQ_NODES:
		if (!mt_nl_nodes(&nl, &rows))
			rows_show(&rows, opt);
		mt_rows_free(&rows);
		break;
	case REQ_KSM:
		mt_nl_ksm(&nl, &k);
		break;
	case REQ_DAMON_GET:
		mt_nl_damon_get(&nl, &info);
		mt_damon_info_free(&info);
		break;
	case REQ_WSS:
	case REQ_WSS_ONE:
		if (!mt_nl_damon_wss(&nl, data[0] % NR_REQ == REQ_WSS_ONE ?
				     &id : NULL, &wl))
			wss_show(&wl);
		mt_wss_list_free(&wl);
		break;
	case REQ_REGIONS:
		if (!mt_nl_damon_regions(&nl, &rl))
			regions_show(&rl, opt);
		mt_regions_free(&rl);
		break;
	}
	mt_nl_close(&nl);
	return 0;
}
