/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memtally: every difference between the kernels memtally supports
 * (Debian 6.1 and 6.12) lives here, as a wrapper named after what it does.
 */
#ifndef _MEMTALLY_COMPAT_H
#define _MEMTALLY_COMPAT_H

#include <net/genetlink.h>

/*
 * The MT_HAVE_* macros come from the feature tests in Kbuild, which look
 * for an API in the headers of the kernel being built against.
 */

/*
 * Parsed attributes of a dump request: 6.1 keeps them in struct
 * genl_dumpit_info, 6.6 moved them into a genl_info (genl_info_dump()).
 */
static inline struct nlattr **mt_genl_dump_attrs(struct netlink_callback *cb)
{
#ifdef MT_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

#endif /* _MEMTALLY_COMPAT_H */
