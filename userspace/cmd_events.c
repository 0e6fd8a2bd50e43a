// SPDX-License-Identifier: GPL-2.0
/* memtally events: OOM kills and long reclaim stalls as they happen. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/socket.h>
#include <linux/memtally.h>

#include "cli.h"
#include "cmds.h"
#include "nl.h"

static const char events_usage[] =
"Usage: memtally events [-j]\n"
"\n"
"Print the events of the memtally module as they happen, one line each,\n"
"until interrupted: OOM kills, and reclaim stalls at least as long as the\n"
"stall threshold (see memtally config).  Receiving them needs\n"
"CAP_SYS_ADMIN: they name other users' processes.\n"
"\n"
"Options:\n"
"  -j, --json  print a JSON object per line\n"
"  -h, --help  show this help\n";

/* Return: 0, or MT_EXIT_USAGE after reporting the error. */
int events_parse(int argc, char **argv, struct events_opts *o)
{
	return mt_parse_plain("events", argc, argv, &o->json, &o->help);
}

struct listener {
	struct mt_nl *nl;
	struct mt_cgnames names;	/* the paths of the events' cgroups */
	int sfd;
	bool json;
	bool stop;		/* a signal came */
	int err;		/* a write error; printed */
};

static int event_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct listener *ls = arg;
	struct mt_event ev;
	int err;

	if (nlh->nlmsg_type != ls->nl->family || !genlmsg_valid_hdr(nlh, 0))
		return NL_SKIP;
	err = mt_event_decode(gnlh->cmd, genlmsg_attrdata(gnlh, 0),
			      genlmsg_attrlen(gnlh, 0), &ev);
	if (err == -EOPNOTSUPP)		/* an event of a newer module */
		return NL_SKIP;
	if (err) {
		mt_err("an event the tool cannot decode (command %u)",
		       gnlh->cmd);
		return NL_SKIP;
	}
	if (mt_signalled(ls->sfd, 0)) {	/* nothing after a signal */
		ls->stop = true;
		return NL_STOP;
	}
	ev.path = mt_cgnames_path(&ls->names, ev.cgroup_id);
	if (ls->json)
		err = mt_json_print(stdout, mt_event_json(&ev));
	else
		mt_event_print(stdout, &ev);
	if (err)
		mt_err("out of memory");
	else if (fflush(stdout))
		mt_err("write error: %s", strerror(errno));
	else
		return NL_OK;
	ls->err = -1;
	return NL_STOP;
}

/* Join the events group.  Prints the error.  Return: 0 or -1. */
static int join(struct mt_nl *nl)
{
	int grp, err;

	grp = genl_ctrl_resolve_grp(nl->sk, MEMTALLY_FAMILY_NAME,
				    MEMTALLY_MCGRP_EVENTS);
	if (grp < 0) {
		mt_err("the loaded memtally module offers no events group (older than this tool, or built for a kernel that cannot limit it to CAP_SYS_ADMIN)");
		return -1;
	}
	err = nl_socket_add_membership(nl->sk, grp);
	if (err == -NLE_PERM)
		mt_err("permission denied: receiving events needs CAP_SYS_ADMIN (run as root)");
	else if (err)
		mt_err("joining the events group: %s", nl_geterror(err));
	return err ? -1 : 0;
}

/* Until a signal.  Return: 0 or -1 after the error. */
static int listen_events(struct listener *ls)
{
	struct pollfd p[2] = {
		{ .fd = ls->sfd, .events = POLLIN },
		{ .fd = nl_socket_get_fd(ls->nl->sk), .events = POLLIN },
	};
	int err;

	nl_socket_disable_seq_check(ls->nl->sk);
	nl_socket_modify_cb(ls->nl->sk, NL_CB_VALID, NL_CB_CUSTOM, event_cb,
			    ls);
	while (!ls->stop && !ls->err) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			mt_err("poll: %s", strerror(errno));
			return -1;
		}
		if (p[0].revents)
			break;
		if (!p[1].revents)
			continue;
		err = nl_recvmsgs_default(ls->nl->sk);
		if (err == -NLE_NOMEM) {	/* ENOBUFS: the queue overran */
			mt_err("some events were lost: the socket's receive queue overran");
		} else if (err < 0) {
			mt_err("receiving events: %s", nl_geterror(err));
			return -1;
		}
	}
	return ls->err;
}

int cmd_events(int argc, char **argv, bool json)
{
	struct events_opts o = { .json = json };
	struct listener ls = { 0 };
	char root[PATH_MAX];
	struct mt_nl nl;
	int err = -1;

	if (events_parse(argc, argv, &o))
		return MT_EXIT_USAGE;
	if (o.help) {
		fputs(events_usage, stdout);
		return MT_EXIT_OK;
	}
	if (mt_cli_cgroot(root, sizeof(root)) || mt_nl_open(&nl))
		return MT_EXIT_RUNTIME;
	ls.nl = &nl;
	ls.names.root = root;
	ls.json = o.json;
	ls.sfd = mt_signalfd();
	if (ls.sfd < 0)
		mt_err("signalfd: %s", strerror(errno));
	else if (!join(&nl))
		err = listen_events(&ls);
	if (ls.sfd >= 0)
		close(ls.sfd);
	mt_cgnames_free(&ls.names);
	mt_nl_close(&nl);
	return err ? MT_EXIT_RUNTIME : MT_EXIT_OK;
}
