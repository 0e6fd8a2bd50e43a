// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: always-on per-cgroup memory event accounting.
 *
 * Load order: store (so probes have somewhere to count), hooks, debugfs,
 * netlink.  Unload runs it backwards: no new requests, no readers, no
 * probes, then the store is freed.
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
	mt_hooks_attach();
	mt_debugfs_init();
	err = mt_genl_init();
	if (err) {
		pr_err("cannot register the generic netlink family: %d\n", err);
		mt_debugfs_exit();
		mt_hooks_detach();
		mt_store_exit();
		return err;
	}
	for (i = 0; i < mt_hooks_count(); i++)
		attached += mt_hook_get(i)->state ==
			    MEMTALLY_HOOK_STATE_ATTACHED;
	pr_info("version %s loaded: %u cgroups, %u of %u hooks attached\n",
		MEMTALLY_VERSION, mt_store_nr_cgroups(), attached,
		mt_hooks_count());
	return 0;
}

static void __exit memtally_exit(void)
{
	mt_genl_exit();
	mt_debugfs_exit();
	mt_hooks_detach();
	mt_store_exit();
	pr_info("unloaded\n");
}

module_init(memtally_init);
module_exit(memtally_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Always-on per-cgroup memory event accounting");
MODULE_VERSION(MEMTALLY_VERSION);
MODULE_AUTHOR("The memtally developers");
