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
#include "compat.h"

#define MT_HOOK(_name, _tp, _probe) \
	{ .name = (_name), .tp_name = (_tp), .probe = (_probe),	\
	  .state = MEMTALLY_HOOK_STATE_UNAVAILABLE }

/* a begin hook, attached only after (and only if) its end hook is */
#define MT_BEGIN(_name, _tp, _probe, _end) \
	{ .name = (_name), .tp_name = (_tp), .probe = (_probe),	\
	  .state = MEMTALLY_HOOK_STATE_UNAVAILABLE, .end = (_end) }

/*
 * The hook table, in the order status reports it and hooks attach; they
 * detach in reverse.  End hooks come before their begin hooks: a begin
 * whose end is missed would hold its pairing slot until the task exits.
 */
static struct mt_hook mt_hooks[] = {
	MT_HOOK("cgroup-mkdir", "cgroup_mkdir", mt_probe_cgroup_mkdir),
	MT_HOOK("cgroup-rmdir", "cgroup_rmdir", mt_probe_cgroup_rmdir),
	MT_HOOK("faults-user", "page_fault_user", mt_probe_fault_user),
	MT_HOOK("faults-kernel", "page_fault_kernel", mt_probe_fault_kernel),
	MT_HOOK("task-exit", "sched_process_exit", mt_probe_task_exit),
	MT_HOOK("direct-end", "mm_vmscan_direct_reclaim_end",
		mt_probe_direct_end),
	MT_BEGIN("direct-begin", "mm_vmscan_direct_reclaim_begin",
		 mt_probe_direct_begin, "direct-end"),
	MT_HOOK("memcg-end", "mm_vmscan_memcg_reclaim_end", mt_probe_memcg_end),
	MT_BEGIN("memcg-begin", "mm_vmscan_memcg_reclaim_begin",
		 mt_probe_memcg_begin, "memcg-end"),
	MT_HOOK("softlimit-end", "mm_vmscan_memcg_softlimit_reclaim_end",
		mt_probe_softlimit_end),
	MT_BEGIN("softlimit-begin", "mm_vmscan_memcg_softlimit_reclaim_begin",
		 mt_probe_softlimit_begin, "softlimit-end"),
	MT_HOOK("lru-inactive", "mm_vmscan_lru_shrink_inactive",
		mt_probe_shrink_inactive),
	MT_HOOK("lru-active", "mm_vmscan_lru_shrink_active",
		mt_probe_shrink_active),
	MT_HOOK("writeback", "mm_vmscan_write_folio", mt_probe_write_folio),
	MT_HOOK("throttled", "mm_vmscan_throttled", mt_probe_throttled),
	MT_HOOK("slab-end", "mm_shrink_slab_end", mt_probe_slab_end),
	MT_BEGIN("slab-start", "mm_shrink_slab_start", mt_probe_slab_start,
		 "slab-end"),
	MT_HOOK("kswapd-wake", "mm_vmscan_kswapd_wake", mt_probe_kswapd_wake),
	MT_HOOK("wakeup-kswapd", "mm_vmscan_wakeup_kswapd",
		mt_probe_wakeup_kswapd),
	MT_HOOK("oom-victim", "mark_victim", mt_probe_mark_victim),
	MT_HOOK("ksm-full-scan", "ksm_stop_scan", mt_probe_ksm_stop_scan),
	MT_HOOK("ksm-enter", "ksm_enter", mt_probe_ksm_enter),
	MT_HOOK("ksm-exit", "ksm_exit", mt_probe_ksm_exit),
	MT_HOOK("ksm-merge", "ksm_merge_one_page", mt_probe_ksm_merge_one),
	MT_HOOK("ksm-merge-ksm", "ksm_merge_with_ksm_page",
		mt_probe_ksm_merge_ksm),
	MT_HOOK("damon-aggregated", "damon_aggregated",
		mt_probe_damon_aggregated),
};

/**
 * mt_hook_attached() - is the hook of this name attached?
 * @name: hook name
 *
 * Return: true if it is.
 */
bool mt_hook_attached(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mt_hooks); i++)
		if (!strcmp(mt_hooks[i].name, name))
			return mt_hooks[i].state == MEMTALLY_HOOK_STATE_ATTACHED;
	return false;
}

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

	for (i = ARRAY_SIZE(mt_hooks); i--; ) {
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
