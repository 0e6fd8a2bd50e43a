// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: read-only debugfs reports for a quick cat:
 *   /sys/kernel/debug/memtally/status   module, kernel and hook table
 *   /sys/kernel/debug/memtally/cgroups  one line per tracked cgroup
 *   /sys/kernel/debug/memtally/nodes    one line per node (kswapd's work)
 *   /sys/kernel/debug/memtally/damon    the DAMON binding, bytes per cgroup
 */
#include <linux/cgroup.h>
#include <linux/debugfs.h>
#include <linux/limits.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/utsname.h>
#include <linux/memtally.h>

#include "memtally.h"

static struct dentry *mt_debugfs_dir;

static const char * const mt_hook_state_names[] = {
	[MEMTALLY_HOOK_STATE_ATTACHED]		= "attached",
	[MEMTALLY_HOOK_STATE_UNAVAILABLE]	= "unavailable",
	[MEMTALLY_HOOK_STATE_FAILED]		= "failed",
};

static int status_show(struct seq_file *m, void *v)
{
	unsigned int i;

	seq_printf(m, "version:      %s\n", MEMTALLY_VERSION);
	seq_printf(m, "kernel:       %s\n", init_utsname()->release);
	seq_printf(m, "cgroups:      %u\n", mt_store_nr_cgroups());
	seq_printf(m, "unattributed: %llu\n", mt_store_unattributed());
	seq_printf(m, "stall threshold: %llu us\n", mt_stall_threshold_us());
	seq_printf(m, "events dropped: %llu\n", mt_events_dropped());
	seq_printf(m, "reclaim unpaired: %llu\n", mt_pair_unpaired());
	seq_puts(m, "hooks:\n");
	for (i = 0; i < mt_hooks_count(); i++) {
		const struct mt_hook *h = mt_hook_get(i);

		seq_printf(m, "  %-16s %-24s %s", h->name, h->tp_name,
			   mt_hook_state_names[h->state]);
		if (h->state == MEMTALLY_HOOK_STATE_FAILED)
			seq_printf(m, " (%d)", h->err);
		seq_putc(m, '\n');
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

static void cgroups_put_path(struct seq_file *m, u64 id, char *buf)
{
	struct cgroup *cgrp = cgroup_get_from_id(id);

	if (IS_ERR(cgrp)) {
		seq_puts(m, "-");
		return;
	}
	if (cgroup_path(cgrp, buf, PATH_MAX) < 0)
		seq_puts(m, "?");
	else
		seq_puts(m, buf);
	cgroup_put(cgrp);
}

static int cgroups_show(struct seq_file *m, void *v)
{
	struct mt_snapshot *snap;
	unsigned int i;
	char *buf;
	u64 id = 0;

	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	snap = kmalloc(sizeof(*snap), GFP_KERNEL);
	if (!buf || !snap) {
		kfree(buf);
		kfree(snap);
		return -ENOMEM;
	}
	seq_printf(m, "%-12s", "id");
	for (i = 0; i < MT_NR_COUNTERS; i++)
		seq_printf(m, " %14s", mt_counter_info[i].name);
	seq_puts(m, " path\n");
	while (mt_store_find(&id, snap)) {
		seq_printf(m, "%-12llu", snap->id);
		for (i = 0; i < MT_NR_COUNTERS; i++)
			seq_printf(m, " %14llu", snap->c.v[i]);
		seq_putc(m, ' ');
		cgroups_put_path(m, snap->id, buf);
		seq_putc(m, '\n');
		if (id == U64_MAX)
			break;
		id++;
	}
	kfree(buf);
	kfree(snap);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(cgroups);

static int nodes_show(struct seq_file *m, void *v)
{
	struct mt_snapshot *snap;
	unsigned int i;
	int nid = 0;

	snap = kmalloc(sizeof(*snap), GFP_KERNEL);
	if (!snap)
		return -ENOMEM;
	seq_printf(m, "%-5s", "node");
	for (i = 0; i < MT_NR_COUNTERS; i++)
		if (mt_counter_info[i].node)
			seq_printf(m, " %14s", mt_counter_info[i].name);
	seq_putc(m, '\n');
	while (mt_store_find_node(&nid, snap)) {
		seq_printf(m, "%-5d", nid);
		for (i = 0; i < MT_NR_COUNTERS; i++)
			if (mt_counter_info[i].node)
				seq_printf(m, " %14llu", snap->c.v[i]);
		seq_putc(m, '\n');
		nid++;
	}
	kfree(snap);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nodes);

static int damon_show(struct seq_file *m, void *v)
{
	struct mt_damon_info *di;
	struct mt_snapshot *snap;
	int err = -ENOMEM;
	u64 id = 0;

	di = kmalloc(sizeof(*di), GFP_KERNEL);
	snap = kmalloc(sizeof(*snap), GFP_KERNEL);
	if (!di || !snap)
		goto out;
	err = 0;
	mt_damon_info(di);
	if (di->kdamond)
		seq_printf(m, "kdamond:      %d (%s, sample %u us, aggr %u us)\n",
			   di->kdamond,
			   di->ops == MEMTALLY_DAMON_OPS_PADDR ? "paddr" : "vaddr",
			   di->sample_us, di->aggr_us);
	else
		seq_puts(m, "kdamond:      none bound\n");
	seq_printf(m, "aggregations: %llu\n", di->aggregations);
	seq_printf(m, "bytes:        %llu, unattributed %llu\n",
		   di->total_bytes, di->unattr_bytes);
	seq_printf(m, "thresholds:   hot > %u/s, cold < %u/s\n", di->hot_rate,
		   di->cold_rate);
	seq_printf(m, "%-12s %14s %14s %14s %14s\n", "id", "wss", "hot", "warm",
		   "cold");
	while (mt_store_find(&id, snap)) {
		if (snap->has_damon)
			seq_printf(m, "%-12llu %14llu %14llu %14llu %14llu\n",
				   snap->id, snap->damon.wss, snap->damon.hot,
				   snap->damon.warm, snap->damon.cold);
		if (id == U64_MAX)
			break;
		id++;
	}
out:
	kfree(di);
	kfree(snap);
	return err;
}
DEFINE_SHOW_ATTRIBUTE(damon);

/**
 * mt_debugfs_init() - create /sys/kernel/debug/memtally
 *
 * debugfs is optional: failures are ignored, as debugfs callers should.
 */
void mt_debugfs_init(void)
{
	mt_debugfs_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("status", 0400, mt_debugfs_dir, NULL,
			    &status_fops);
	debugfs_create_file("cgroups", 0400, mt_debugfs_dir, NULL,
			    &cgroups_fops);
	debugfs_create_file("nodes", 0400, mt_debugfs_dir, NULL, &nodes_fops);
	debugfs_create_file("damon", 0400, mt_debugfs_dir, NULL, &damon_fops);
}

/**
 * mt_debugfs_exit() - remove the files
 *
 * Context: process context.  debugfs_remove() waits for readers inside
 * the files' operations.
 */
void mt_debugfs_exit(void)
{
	debugfs_remove(mt_debugfs_dir);
}
