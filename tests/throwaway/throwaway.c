// SPDX-License-Identifier: GPL-2.0
/*
 * tests/throwaway/throwaway.c - a subsystem made up for tests/test_subsys.c,
 * added exactly as a real one is: this file and one line of the list
 * (tests/throwaway/subsystems.h, which is init/subsystems.h plus that
 * line).  Nothing else in mmsim knows it.
 *
 * It has a boot parameter (throwaway=N, and the bare word throwaway_fail
 * that makes its late initcall fail), per-machine state, a core initcall
 * that allocates kernel memory and creates /proc/throwaway, a sysctl
 * /proc/sys/vm/throwaway_knob, and exits that record the teardown order in
 * throwaway_trace (a process-wide string the test reads).
 */
#include <stdio.h>
#include <string.h>
#include "init/machine.h"
#include "fs/proc/internal.h"
#include "lib/cmdline.h"

DECLARE_SUBSYSTEM(throwaway);

char throwaway_trace[256];	/* "init:core init:late exit:late exit:core" */

struct throwaway_state {
	int value;		/* throwaway=N */
	bool fail_late;		/* throwaway_fail */
	int knob;		/* /proc/sys/vm/throwaway_knob */
	void *buf;		/* kmalloc'd by the core initcall */
};

static const struct throwaway_state throwaway_defaults = { .value = 7, .knob = 3 };

static void trace(const char *what)
{
	size_t n = strlen(throwaway_trace);

	snprintf(throwaway_trace + n, sizeof(throwaway_trace) - n, "%s%s", n ? " " : "", what);
}

static int set_throwaway(void *state, const struct kernel_param *kp, const char *word,
			 const char *val, char *err, size_t len)
{
	long v;

	if (cmdline_int(val, 0, 1000, &v))
		return cmdline_fail(err, len, "'%s': throwaway must be 0..1000", word);
	((struct throwaway_state *)state)->value = (int)v;
	return 0;
}

static int set_throwaway_fail(void *state, const struct kernel_param *kp, const char *word,
			      const char *val, char *err, size_t len)
{
	((struct throwaway_state *)state)->fail_late = true;
	return 0;
}

static int throwaway_show(struct seq_file *sf, struct proc_file *f)
{
	struct throwaway_state *st = subsys_state(f->m, throwaway);

	seq_printf(sf, "value %d\nknob %d\nbuf %s\n", st->value, st->knob,
		   st->buf ? (char *)st->buf : "-");
	return 0;
}

static int throwaway_core_init(struct mmsim *m, char *err, size_t len)
{
	struct throwaway_state *st = subsys_state(m, throwaway);
	struct ctl_table table[] = {
		{ .procname = "throwaway_knob", .data = &st->knob, .maxlen = sizeof(int),
		  .mode = 0644, .proc_handler = proc_dointvec_minmax,
		  .extra1 = SYSCTL_ZERO, .extra2 = SYSCTL_INT_MAX },
	};
	int ret;

	st->buf = kmalloc(32, GFP_KERNEL);	/* the allocators are up at core level */
	if (!st->buf)
		return -ENOMEM;
	snprintf(st->buf, 32, "kmalloc'd %d", st->value);
	ret = proc_create_single("/proc/throwaway", throwaway_show);
	if (!ret)
		ret = register_sysctl("vm", table);
	trace("init:core");
	return ret;
}

static void throwaway_core_exit(struct mmsim *m)
{
	struct throwaway_state *st = subsys_state(m, throwaway);

	kfree(st->buf);
	st->buf = NULL;
	trace("exit:core");
}

static int throwaway_late_init(struct mmsim *m, char *err, size_t len)
{
	struct throwaway_state *st = subsys_state(m, throwaway);

	if (st->fail_late) {
		snprintf(err, len, "throwaway: failing on purpose");
		return -EINVAL;
	}
	trace("init:late");
	return 0;
}

static void throwaway_late_exit(struct mmsim *m)
{
	trace("exit:late");
}

static const struct kernel_param throwaway_params[] = {
	__setup("throwaway", set_throwaway),
	__setup_flags("throwaway_fail", set_throwaway_fail, KP_BARE),
};

static const struct initcall throwaway_initcalls[] = {
	late_initcall(throwaway_late_init, throwaway_late_exit),
	core_initcall(throwaway_core_init, throwaway_core_exit),
};

DEFINE_SUBSYSTEM(throwaway, SUBSYS_STATE(struct throwaway_state, &throwaway_defaults),
		 SUBSYS_PARAMS(throwaway_params), SUBSYS_INITCALLS(throwaway_initcalls));
