// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: the hook layer.
 *
 * Every probe is attached to a kernel tracepoint found by name with
 * for_each_kernel_tracepoint(), so non-exported tracepoints work and no
 * kernel patch is needed.  Each probe's prototype is checked at build time
 * against the kernel's own <trace/events/...> declaration (MT_PROBE_CHECK
 * next to the probe).  A tracepoint this kernel lacks leaves its hook
 * "unavailable"; the module loads anyway.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/memtally.h>

#include "memtally.h"

#define MT_HOOK(_name, _tp, _probe) \
	{ .name = (_name), .tp_name = (_tp), .probe = (_probe),	\
	  .state = MEMTALLY_HOOK_STATE_UNAVAILABLE }

/* The hook table, in the order status reports it. */
static struct mt_hook mt_hooks[] = {
	MT_HOOK("cgroup-mkdir", "cgroup_mkdir", mt_probe_cgroup_mkdir),
	MT_HOOK("cgroup-rmdir", "cgroup_rmdir", mt_probe_cgroup_rmdir),
	MT_HOOK("faults-user", "page_fault_user", mt_probe_fault_user),
	MT_HOOK("faults-kernel", "page_fault_kernel", mt_probe_fault_kernel),
};

static void mt_hooks_match(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mt_hooks); i++)
		if (!mt_hooks[i].tp && !strcmp(tp->name, mt_hooks[i].tp_name))
			mt_hooks[i].tp = tp;
}

/**
 * mt_hooks_attach() - register every hook whose tracepoint exists
 *
 * Context: module init, process context.
 * Return: 0; a hook that cannot attach is recorded as unavailable or failed.
 */
int mt_hooks_attach(void)
{
	unsigned int i;
	int err;

	for_each_kernel_tracepoint(mt_hooks_match, NULL);
	for (i = 0; i < ARRAY_SIZE(mt_hooks); i++) {
		struct mt_hook *h = &mt_hooks[i];

		if (!h->probe || !h->tp) {
			h->state = MEMTALLY_HOOK_STATE_UNAVAILABLE;
			pr_info("hook %s: tracepoint %s not in this kernel\n",
				h->name, h->tp_name);
			continue;
		}
		err = tracepoint_probe_register(h->tp, h->probe, NULL);
		if (err) {
			h->state = MEMTALLY_HOOK_STATE_FAILED;
			h->err = err;
			pr_warn("hook %s: cannot attach to %s: %d\n",
				h->name, h->tp_name, err);
			continue;
		}
		h->state = MEMTALLY_HOOK_STATE_ATTACHED;
	}
	return 0;
}

/**
 * mt_hooks_detach() - unregister every attached hook
 *
 * Context: process context, may sleep.  Returns only when no probe is
 * running on any CPU any more, so what the probes reach can be freed.
 */
void mt_hooks_detach(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mt_hooks); i++) {
		struct mt_hook *h = &mt_hooks[i];

		if (h->state != MEMTALLY_HOOK_STATE_ATTACHED)
			continue;
		WARN_ON_ONCE(tracepoint_probe_unregister(h->tp, h->probe, NULL));
		h->state = MEMTALLY_HOOK_STATE_UNAVAILABLE;
	}
	tracepoint_synchronize_unregister();
}

/**
 * mt_hooks_count() - number of hooks in the table
 *
 * Return: the number of entries mt_hook_get() accepts.
 */
unsigned int mt_hooks_count(void)
{
	return ARRAY_SIZE(mt_hooks);
}

/**
 * mt_hook_get() - one entry of the hook table
 * @i: index, below mt_hooks_count()
 *
 * Return: the hook; its state only changes at module init and exit.
 */
const struct mt_hook *mt_hook_get(unsigned int i)
{
	return &mt_hooks[i];
}
