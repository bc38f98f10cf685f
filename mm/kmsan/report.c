// SPDX-License-Identifier: GPL-2.0
/*
 * mm/kmsan/report.c - KMSAN's reports in Linux 6.8's words
 * (mm/kmsan/report.c):
 *
 *   =====================================================
 *   BUG: KMSAN: kernel-infoleak in instrument_copy_to_user+0x../0x..
 *    instrument_copy_to_user+0x../0x..
 *    copy_to_user+0x../0x..
 *    ...
 *   (blank)
 *   Uninit was stored to memory at:       (one block per chain link)
 *    ...
 *   (blank)
 *   Uninit was created at:
 *    kmalloc_trace+0x../0x..
 *    ...
 *   (blank)
 *   Bytes 4-7 of 16 are uninitialized
 *   Memory access of size 16 starts at ffff888000123400
 *   Data copied to user address 0000000000401000
 *   (blank)
 *   CPU: 0 PID: 1 Comm: init Not tainted 6.8.0-mmsim #1
 *   Hardware name: mmsim x86_64, BIOS mmsim 0.1
 *   =====================================================
 *
 * The bug type: "uninit-value" (an explicit check, a device transfer),
 * "kernel-infoleak" (copy_to_user), each "-after-free" / "use-after-free"
 * when the bytes were poisoned by a free.  Addresses are the simulated
 * kernel addresses (slab_kaddr), user addresses as %px prints them; code
 * addresses are symbolized as slub_debug and page_owner do
 * (format_symbol).  Then the kernel is tainted 'B' and goes on.
 *
 * Locking: report_lock makes one report at a time; the runtime guard is
 * held so that nothing the report does (printk) is checked.
 */
#define _GNU_SOURCE
#include <execinfo.h>
#include <stdio.h>
#include "mm/kmsan/kmsan.h"
#include <mmsim/sched.h>
#include "mm/slab.h"

#ifdef CONFIG_KMSAN

static void print_stack(const unsigned long *entries, unsigned int nr)
{
	char sym[160];

	for (unsigned int i = 0; i < nr; i++) {
		format_symbol(entries[i], sym, sizeof(sym));
		pr_err(" %s\n", sym);
	}
}

/* Linux's kmsan_print_origin(): the chain links, then the creation stack. */
static void __kmsan_runtime kmsan_print_origin(struct kmsan_state *st, kmsan_handle_t origin)
{
	while (origin) {
		const struct kmsan_stack *r = kmsan_depot_fetch(st, origin);

		if (r && r->chain) {
			const struct kmsan_stack *where = kmsan_depot_fetch(st, (u32)r->entries[0]);

			if (kmsan_handle_depth(origin) == KMSAN_MAX_ORIGIN_DEPTH)
				pr_err("<Zero or more stacks not recorded to save memory>\n\n");
			pr_err("Uninit was stored to memory at:\n");
			if (where)
				print_stack(where->entries, where->nr_entries);
			pr_err("\n");
			origin = (kmsan_handle_t)r->entries[1];
			continue;
		}
		pr_err("Uninit was created at:\n");
		if (r && r->nr_entries)
			print_stack(r->entries, r->nr_entries);
		else
			pr_err("(stack is not available)\n");
		break;
	}
}

/* Linux's dump_stack_print_info(KERN_ERR). */
static void print_cpu_info(void)
{
	struct mmsim *m = current_machine();
	struct task_struct *t = current;
	char taint[64];

	print_tainted(taint, sizeof(taint));
	if (t)
		pr_err("CPU: %d PID: %d Comm: %.15s %s 6.8.0-mmsim #1\n", smp_processor_id(),
		       t->pid, t->comm, taint);
	else
		pr_err("CPU: %d PID: %d Comm: %s %s 6.8.0-mmsim #1\n", smp_processor_id(),
		       m->pid, m->comm, taint);
	pr_err("Hardware name: mmsim %s, BIOS mmsim 0.1\n", m->hw.layout.arch_name);
}

void __kmsan_runtime kmsan_report(struct kmsan_state *st, kmsan_handle_t origin,
				  const void *address, int size, int off_first, int off_last,
				  unsigned long user_addr, enum kmsan_bug_reason reason)
{
	void *bt[KMSAN_STACK_DEPTH + 16];
	unsigned long entries[KMSAN_STACK_DEPTH];
	unsigned int nr = 0;
	bool is_uaf = origin & KMSAN_HANDLE_UAF;
	const char *bug_type;
	char sym[160];
	int n, skip;

	if (!origin)
		return;
	kmsan_enter_runtime();
	pthread_mutex_lock(&st->report_lock);
	pr_err("=====================================================\n");
	if (reason == REASON_COPY_TO_USER)
		bug_type = is_uaf ? "kernel-infoleak-after-free" : "kernel-infoleak";
	else
		bug_type = is_uaf ? "use-after-free" : "uninit-value";
	n = backtrace(bt, (int)ARRAY_SIZE(bt));
	skip = kmsan_skip_runtime(bt, n);
	for (int i = skip; i < n && nr < KMSAN_STACK_DEPTH; i++)
		entries[nr++] = (unsigned long)bt[i];
	format_symbol(nr ? entries[0] : 0, sym, sizeof(sym));
	pr_err("BUG: KMSAN: %s in %s\n", bug_type, sym);
	print_stack(entries, nr);
	pr_err("\n");
	kmsan_print_origin(st, origin);
	if (size) {
		pr_err("\n");
		if (off_first == off_last)
			pr_err("Byte %d of %d is uninitialized\n", off_first, size);
		else
			pr_err("Bytes %d-%d of %d are uninitialized\n", off_first, off_last, size);
	}
	if (address)
		pr_err("Memory access of size %d starts at %016lx\n", size, slab_kaddr(address));
	if (user_addr && reason == REASON_COPY_TO_USER)
		pr_err("Data copied to user address %016lx\n", user_addr);
	pr_err("\n");
	print_cpu_info();
	pr_err("=====================================================\n");
	add_taint(TAINT_BAD_PAGE);
	st->nr_reports++;
	pthread_mutex_unlock(&st->report_lock);
	kmsan_leave_runtime();
}

#else
typedef int kmsan_report_unused;	/* an empty file is not C */
#endif /* CONFIG_KMSAN */
