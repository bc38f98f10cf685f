// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_subsys.c - the registration seams (init/init.h), shown with a
 * throwaway subsystem that touches nothing outside its own file and one
 * line of the list (tests/throwaway/): its boot parameter is parsed, its
 * state is per machine, its initcalls run at their levels after the core
 * of mm is up and their exits in reverse at shutdown (or when the boot
 * fails half way), its /proc file and sysctl are served by mmsim_read and
 * mmsim_write.  The built-in subsystems keep working beside it.
 */
#include "mmtest.h"

extern char throwaway_trace[256];

static void test_param_state_and_proc(void)
{
	struct mmsim *a = mmsim_boot("ram=64M throwaway=42");
	struct mmsim *b = mmsim_boot("ram=64M");
	char *t;

	KT_ASSERT(a && b);
	t = mmsim_read(a, "/proc/throwaway");
	KT_STR_CONTAINS(t, "value 42\n");
	KT_STR_CONTAINS(t, "buf kmalloc'd 42\n");
	free(t);
	t = mmsim_read(b, "/proc/throwaway");
	KT_STR_CONTAINS(t, "value 7\n");	/* the state template's default */
	free(t);
	/* The built-in files are still there. */
	t = mmsim_read(a, "/proc/meminfo");
	KT_STR_CONTAINS(t, "MemTotal:");
	free(t);
	mmsim_shutdown(b);
	mmsim_shutdown(a);
}

static void test_sysctl(void)
{
	struct mmsim *m = mmsim_boot("ram=64M");
	char *t;

	KT_ASSERT(m);
	t = mmsim_read(m, "/proc/sys/vm/throwaway_knob");
	KT_ASSERT(t && !strcmp(t, "3\n"));
	free(t);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/throwaway_knob", "12\n"), 0);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/throwaway_knob", "-1"), -EINVAL);	/* below extra1 */
	KT_EQ(mmsim_write(m, "/proc/sys/vm/throwaway_knob", "x"), -EINVAL);
	t = mmsim_read(m, "/proc/throwaway");
	KT_STR_CONTAINS(t, "knob 12\n");
	free(t);
	/* The vm sysctls of mm/ are in the same directory. */
	t = mmsim_read(m, "/proc/sys/vm/min_free_kbytes");
	KT_ASSERT(t != NULL);
	free(t);
	mmsim_shutdown(m);
}

static void test_initcall_order(void)
{
	struct mmsim *m;

	throwaway_trace[0] = '\0';
	m = mmsim_boot("ram=64M");
	KT_ASSERT(m);
	/* The late initcall is listed first in the file but runs after the core one. */
	KT_ASSERT(!strcmp(throwaway_trace, "init:core init:late"));
	mmsim_shutdown(m);
	KT_ASSERT(!strcmp(throwaway_trace, "init:core init:late exit:late exit:core"));
}

static void test_bad_param(void)
{
	KT_ASSERT(!mmsim_boot("ram=64M throwaway=x"));
	KT_ASSERT(!strcmp(mmsim_last_error(), "'throwaway=x': throwaway must be 0..1000"));
	KT_ASSERT(!mmsim_boot("ram=64M throwaway_fail=1"));	/* a bare word only */
	KT_STR_CONTAINS(mmsim_last_error(), "unknown boot parameter");
}

static void test_failed_initcall_unwinds(void)
{
	throwaway_trace[0] = '\0';
	KT_ASSERT(!mmsim_boot("ram=64M throwaway_fail"));
	KT_ASSERT(!strcmp(mmsim_last_error(), "throwaway: failing on purpose"));
	/* What ran is undone: the core init's kmalloc is freed (ASan would see a leak). */
	KT_ASSERT(!strcmp(throwaway_trace, "init:core exit:core"));
	KT_ASSERT(mmsim_current() == NULL);
}

int main(void)
{
	KT_RUN(test_param_state_and_proc);
	KT_RUN(test_sysctl);
	KT_RUN(test_initcall_order);
	KT_RUN(test_bad_param);
	KT_RUN(test_failed_initcall_unwinds);
	return kt_done();
}
