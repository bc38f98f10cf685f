// SPDX-License-Identifier: GPL-2.0
/*
 * test_kmemleak_mt - kmemleak with threads: a worker on CPU 1 allocates
 * and frees while CPU 0 scans (the scan reads blocks being freed and the
 * worker's stack while it runs: the locking of mm/kmemleak.c, and under
 * TSan the no_sanitize readers), and a block only the worker's stack
 * points to stays unreported while the worker lives (stack=on), and is
 * reported once the worker has exited.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <mmsim/kmemleak.h>
#include <mmsim/slab.h>
#include "mmtest.h"
#include "mm/slab.h"
#include "mm/kmemleak_internal.h"

#ifdef CONFIG_DEBUG_KMEMLEAK

static struct mmsim *m;
static atomic_int stop, ready, release;
static atomic_uintptr_t held_hidden;	/* ~address of the block the worker holds */

static void *worker(void *arg)
{
	void *volatile keep[32] = { 0 };
	void *volatile held;
	unsigned int seed = 7;

	(void)arg;
	KT_EQ(mmsim_enter(m, 1), 0);
	held = kmalloc(128, GFP_KERNEL);
	atomic_store(&held_hidden, ~(uintptr_t)held);
	while (!atomic_load(&stop)) {
		int i = rand_r(&seed) % 32;

		kfree(keep[i]);
		keep[i] = kmalloc(8 + (size_t)(rand_r(&seed) % 2000), GFP_KERNEL);
	}
	for (int i = 0; i < 32; i++) {
		kfree(keep[i]);
		keep[i] = NULL;
	}
	atomic_store(&ready, 1);
	while (!atomic_load(&release))
		sched_yield();
	mmsim_leave();
	return NULL;		/* @held is dropped with the stack */
}

static bool reported(uintptr_t hidden)
{
	char *t = mmsim_read(m, "/sys/kernel/debug/kmemleak"), needle[64];
	bool r;

	snprintf(needle, sizeof(needle), "unreferenced object 0x%08lx ",
		 slab_kaddr((void *)~hidden));
	r = t && strstr(t, needle);
	free(t);
	return r;
}

static void test_scan_while_allocating(void)
{
	pthread_t th;

	KT_EQ(pthread_create(&th, NULL, worker, NULL), 0);
	KT_EQ(mmsim_enter(m, 0), 0);
	while (!atomic_load(&held_hidden))
		sched_yield();
	for (int i = 0; i < 20; i++) {
		KT_EQ(mmsim_write(m, "/sys/kernel/debug/kmemleak", "scan"), 0);
		mmsim_advance_clock(m, 1000ULL * 1000 * 1000);
	}
	atomic_store(&stop, 1);
	while (!atomic_load(&ready))
		sched_yield();
	/* the worker is parked with @held on its stack: not a leak */
	for (int i = 0; i < 3; i++)
		KT_EQ(mmsim_write(m, "/sys/kernel/debug/kmemleak", "scan"), 0);
	KT_ASSERT(!reported(atomic_load(&held_hidden)));
	KT_ASSERT(kmemleak_is_valid(m));
	atomic_store(&release, 1);
	pthread_join(th, NULL);
	/* its stack is gone (and unregistered): now it is one */
	for (int i = 0; i < 3; i++)
		KT_EQ(mmsim_write(m, "/sys/kernel/debug/kmemleak", "scan"), 0);
	KT_ASSERT(reported(atomic_load(&held_hidden)));
	KT_ASSERT(kmemleak_is_valid(m));
	KT_ASSERT(slab_is_valid(kmalloc_slab(128, GFP_KERNEL)));
	kfree((void *)~atomic_load(&held_hidden));
}

int main(void)
{
	m = boot_or_die("ram=256M cpus=2 kmemleak=on");
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/kmemleak", "scan=off"), 0);
	KT_RUN(test_scan_while_allocating);
	mmsim_shutdown(m);
	return kt_done();
}

#else /* !CONFIG_DEBUG_KMEMLEAK: the boot word is known and refused by name */

int main(void)
{
	struct mmsim *m = mmsim_boot("ram=64M kmemleak=on");

	kt_begin("kmemleak_on_refused");
	KT_ASSERT(!m);
	KT_STR_CONTAINS(mmsim_last_error(), "'kmemleak=on': built without CONFIG_DEBUG_KMEMLEAK");
	m = mmsim_boot("ram=64M kmemleak=off");
	KT_ASSERT(m);
	mmsim_shutdown(m);
	kt_end();
	return kt_done();
}

#endif /* CONFIG_DEBUG_KMEMLEAK */
