// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: always-on per-cgroup memory event accounting.
 *
 * Load order: the store and the event queues, netlink, debugfs, and the
 * hooks last, so a probe finds everything it uses.  Unload first detaches
 * the hooks (waiting for running probes), sends what is queued, then
 * removes netlink and debugfs (waiting for running requests and readers)
 * and frees the store.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/memtally.h>

#include "memtally.h"

static int __init memtally_init(void)
{
	unsigned int i, attached = 0;
	int err;

	err = mt_store_init();
	if (err)
		return err;
	err = mt_events_init();
	if (err)
		goto err_store;
	err = mt_genl_init();
	if (err) {
		pr_err("cannot register the generic netlink family: %d\n", err);
		goto err_events;
	}
	mt_debugfs_init();
	/* last: a probe may use everything above */
	mt_hooks_attach();
	/* cgroups made since the store's first walk, before cgroup-mkdir */
	mt_store_kick();

	for (i = 0; i < mt_hooks_count(); i++)
		attached += mt_hook_get(i)->state ==
			    MEMTALLY_HOOK_STATE_ATTACHED;
	pr_info("version %s loaded: %u cgroups, %u of %u hooks attached\n",
		MEMTALLY_VERSION, mt_store_nr_cgroups(), attached,
		mt_hooks_count());
	return 0;

err_events:
	mt_events_exit();
err_store:
	mt_store_exit();
	return err;
}

static void __exit memtally_exit(void)
{
	/* no probe runs after this; queued events are still sent */
	mt_hooks_detach();
	mt_events_exit();
	/* no request runs after this (a dump in progress pins the module) */
	mt_genl_exit();
	mt_debugfs_exit();
	mt_damon_exit();
	mt_store_exit();
	pr_info("unloaded\n");
}

module_init(memtally_init);
module_exit(memtally_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Always-on per-cgroup memory event accounting");
MODULE_VERSION(MEMTALLY_VERSION);
MODULE_AUTHOR("The memtally developers");
