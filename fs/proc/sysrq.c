// SPDX-License-Identifier: GPL-2.0
/*
 * fs/proc/sysrq.c - /proc/sysrq-trigger: Linux's magic SysRq keys
 * (drivers/tty/sysrq.c), the ones mmsim has.
 *
 * Design.  A write hands its first character to handle_sysrq(), as
 * write_sysrq_trigger() does (no mask check: the trigger file always
 * works; a write of several characters acts on the first only).  The
 * handler logs "sysrq: " and the key's action message at KERN_INFO, then
 * acts:
 *   c  "Trigger a crash"       panic("sysrq triggered crash"): the machine
 *                              halts (kernel/panic.c)
 *   m  "Show Memory"           show_mem()
 *   f  "Manual OOM execution"  moom_callback as work (Linux: schedule_work
 *                              of a kworker; mmsim runs it at once with
 *                              flush_work, current NULL): out_of_memory()
 *                              with GFP_KERNEL and order -1 (no panic, kills
 *                              even while another victim is in flight), or
 *                              "sysrq: OOM request ignored. No task
 *                              eligible" when nobody may be killed
 * Any other key logs Linux's help line, "sysrq: HELP : " and the help
 * text of each known key.  The file is write-only (mode 0200 in Linux): a
 * read is refused with EACCES.  A write to a halted machine is refused
 * with EIO by mmsim_write, as for every file.
 *
 * Locking: none here; the actions take their own.
 * Invariants: none (no state).
 */
#include <string.h>
#include <mmsim/mm.h>
#include <mmsim/panic.h>
#include <mmsim/oom.h>
#include <mmsim/workqueue.h>
#include "fs/proc/internal.h"

struct sysrq_key_op {
	char key;
	const char *help_msg;
	const char *action_msg;
	void (*handler)(void);
};

static void sysrq_handle_crash(void)
{
	panic("sysrq triggered crash\n");
}

static void sysrq_handle_showmem(void)
{
	show_mem();
}

static void moom_callback(struct work_struct *ignored)
{
	struct oom_control oc = {
		.zonelist = NULL,
		.nodemask = NULL,
		.memcg = NULL,
		.gfp_mask = GFP_KERNEL,
		.order = -1,
	};

	(void)ignored;
	if (!out_of_memory(&oc))
		pr_info("sysrq: OOM request ignored. No task eligible\n");
}

static void sysrq_handle_moom(void)
{
	struct work_struct moom_work;

	INIT_WORK(&moom_work, moom_callback);
	schedule_work(&moom_work);
	flush_work(&moom_work);		/* on the stack: run before return */
}

/* In Linux's table order (the help line lists them so). */
static const struct sysrq_key_op sysrq_ops[] = {
	{ 'c', "crash(c)", "Trigger a crash", sysrq_handle_crash },
	{ 'f', "memory-full-oom-kill(f)", "Manual OOM execution", sysrq_handle_moom },
	{ 'm', "show-memory-usage(m)", "Show Memory", sysrq_handle_showmem },
};

static void handle_sysrq(char key)
{
	for (size_t i = 0; i < ARRAY_SIZE(sysrq_ops); i++) {
		if (sysrq_ops[i].key == key) {
			pr_info("sysrq: %s\n", sysrq_ops[i].action_msg);
			sysrq_ops[i].handler();
			return;
		}
	}
	pr_info("sysrq: HELP : ");
	for (size_t i = 0; i < ARRAY_SIZE(sysrq_ops); i++)
		pr_cont("%s ", sysrq_ops[i].help_msg);
	pr_cont("\n");
}

static int sysrq_trigger_store(struct proc_file *f, const char *text)
{
	(void)f;
	if (text[0])
		handle_sysrq(text[0]);
	return 0;
}

static const struct proc_entry sysrq_entries[] = {
	{ "/proc/sysrq-trigger", NULL, sysrq_trigger_store, NULL },
};

PROC_SUBSYSTEM(proc_sysrq, sysrq_entries);
