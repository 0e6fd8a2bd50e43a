// SPDX-License-Identifier: GPL-2.0
/*
 * memtally: page faults per cgroup (x86 exceptions:page_fault_user and
 * exceptions:page_fault_kernel).
 *
 * Up to 6.x, registering a probe on these tracepoints flips the x86 static
 * key that makes the fault handler call them at all (their reg/unreg
 * functions); 7.x has the usual tracepoint key only.  Their header differs
 * (compat.h includes the right one).  Other architectures have none: the
 * hooks are listed, unavailable.
 */
#include <linux/ptrace.h>

#include "memtally.h"
#include "compat.h"

#ifdef MT_HAVE_FAULT_TRACEPOINTS
/*
 * Both probes run in the x86 page fault handler (exc_page_fault ->
 * trace_page_fault_entries) before the fault is handled, interrupts off.
 * They must not sleep, lock or allocate: mt_count_current() is a lockless
 * lookup and a per-CPU increment.
 */

/**
 * mt_probe_fault_user() - count a page fault taken in user mode
 * @data: unused
 * @address: faulting address
 * @regs: user registers
 * @error_code: x86 page fault error code
 *
 * Context: page fault handler, interrupts off; current is the faulting task.
 */
static void mt_probe_fault_user(void *data, unsigned long address,
				struct pt_regs *regs, unsigned long error_code)
{
	mt_count_current(MT_FAULTS_USER, 1);
}

MT_PROBE_CHECK(page_fault_user, mt_probe_fault_user);

/**
 * mt_probe_fault_kernel() - count a page fault taken in kernel mode
 * @data: unused
 * @address: faulting address
 * @regs: kernel registers
 * @error_code: x86 page fault error code
 *
 * Context: page fault handler, interrupts off.  Mostly copy_{to,from}_user()
 * in a system call on behalf of current; also IRQ or NMI context (a perf
 * user stack copy), where current is the interrupted task and gets the
 * count.
 */
static void mt_probe_fault_kernel(void *data, unsigned long address,
				  struct pt_regs *regs,
				  unsigned long error_code)
{
	mt_count_current(MT_FAULTS_KERNEL, 1);
}

MT_PROBE_CHECK(page_fault_kernel, mt_probe_fault_kernel);
#else
#define mt_probe_fault_user	NULL
#define mt_probe_fault_kernel	NULL
#endif

static struct mt_hook mt_fault_hook_rows[] = {
	MT_HOOK("faults-user", "page_fault_user", mt_probe_fault_user),
	MT_HOOK("faults-kernel", "page_fault_kernel", mt_probe_fault_kernel),
};

MT_HOOK_SET(mt_fault_hooks, mt_fault_hook_rows);
