// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: the hook layer.
 *
 * Every probe is attached to a kernel tracepoint found by name with
 * for_each_kernel_tracepoint(), so non-exported tracepoints work and no
 * kernel patch is needed.  Each probe's prototype is checked at build time
 * against the kernel's own <trace/events/...> declaration (MT_PROBE_CHECK
 * next to the probe, in the file that owns the hook).  A tracepoint this
 * kernel lacks leaves its hook "unavailable"; the module loads anyway.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/memtally.h>

#include "memtally.h"

/*
 * The hook table, in the order status reports it and hooks attach; they
 * detach in reverse.  Each file owns its rows (see struct mt_hook_set):
 * the cgroups first, so that the store tracks them, then the task-exit
 * hook, which frees what a task's begin probes left open.
 */
static const struct mt_hook_set *const mt_hook_sets[] = {
	&mt_store_hooks,
	&mt_fault_hooks,
	&mt_pair_hooks,
	&mt_reclaim_hooks,
	&mt_events_hooks,
	&mt_ksm_hooks,
	&mt_migrate_hooks,
	&mt_compact_hooks,
	&mt_thp_hooks,
	&mt_damon_hooks,
};

/* hook @i of the table, or NULL past its end */
static struct mt_hook *mt_hook_at(unsigned int i)
{
	unsigned int s;

	for (s = 0; s < ARRAY_SIZE(mt_hook_sets); s++) {
		if (i < mt_hook_sets[s]->nr)
			return &mt_hook_sets[s]->hooks[i];
		i -= mt_hook_sets[s]->nr;
	}
	return NULL;
}

/**
 * mt_hook_attached() - is the hook of this name attached?
 * @name: hook name
 *
 * Return: true if it is.
 */
bool mt_hook_attached(const char *name)
{
	struct mt_hook *h;
	unsigned int i;

	for (i = 0; (h = mt_hook_at(i)); i++)
		if (!strcmp(h->name, name))
			return h->state == MEMTALLY_HOOK_STATE_ATTACHED;
	return false;
}

static void mt_hooks_match(struct tracepoint *tp, void *priv)
{
	struct mt_hook *h;
	unsigned int i;

	for (i = 0; (h = mt_hook_at(i)); i++)
		if (!h->tp && !strcmp(tp->name, h->tp_name))
			h->tp = tp;
}

/**
 * mt_hooks_attach() - register every hook whose tracepoint exists
 *
 * Context: module init, process context.
 * Return: 0; a hook that cannot attach is recorded as unavailable or failed.
 */
int mt_hooks_attach(void)
{
	struct mt_hook *h;
	unsigned int i;
	int err;

	for_each_kernel_tracepoint(mt_hooks_match, NULL);
	for (i = 0; (h = mt_hook_at(i)); i++) {
		if (!h->probe || !h->tp) {
			h->state = MEMTALLY_HOOK_STATE_UNAVAILABLE;
			pr_info("hook %s: tracepoint %s not in this kernel\n",
				h->name, h->tp_name);
			continue;
		}
		if (h->end && !mt_hook_attached(h->end)) {
			h->state = MEMTALLY_HOOK_STATE_UNAVAILABLE;
			pr_info("hook %s: not attached without %s\n",
				h->name, h->end);
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

	for (i = mt_hooks_count(); i--; ) {
		struct mt_hook *h = mt_hook_at(i);

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
	unsigned int s, n = 0;

	for (s = 0; s < ARRAY_SIZE(mt_hook_sets); s++)
		n += mt_hook_sets[s]->nr;
	return n;
}

/**
 * mt_hook_get() - one entry of the hook table
 * @i: index, below mt_hooks_count()
 *
 * Return: the hook; its state only changes at module init and exit.
 */
const struct mt_hook *mt_hook_get(unsigned int i)
{
	return mt_hook_at(i);
}
