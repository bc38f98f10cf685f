// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_lab_lru_adapter_mt.c - a cache policy as the kernel's reclaim
 * policy (mm/policy/lru_adapter.c) with two CPUs faulting at once: each
 * CPU runs its own process over a stamped anonymous working set of 1.1x
 * RAM (2.2x together) on a machine with swap, so both reclaim (direct, and
 * kswapd on its own thread) through the policy at the same time: two
 * shrinkers on one lruvec (a victim another CPU is checking is answered
 * access()), swap-ins bridged to their ids, folios freed by exit while
 * others are isolated.  A third CPU switches the machine's policy back and
 * forth (lru <-> fifo through classic) while they fault, so a shrinker
 * finds its node switched under it.  Every byte is checked after each
 * pass; the checkers (lru_all_valid: the adapter's map == the PG_lru
 * folios, the policy's is_valid; mm_mapcounts_are_valid,
 * swap_counts_are_valid) run when the CPUs are done.  Run it under TSan
 * too (build-tsan, ctest -L threaded -R lab).
 */
#include <pthread.h>
#include <unistd.h>
#include <stdatomic.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/vmstat.h>
#include <mmsim/swap.h>
#include <mmsim/lru_policy.h>
#include <mmsim/err.h>
#include "mmtest.h"
#include "file_fixture.h"
#include "mm/lru_internal.h"
#include "mm/policy/lru_adapter.h"

#define NFAULTERS	2
#if defined(__SANITIZE_THREAD__)
#define PASSES		2
#else
#define PASSES		3
#endif

static struct mmsim *machine;
static atomic_int bad, faulters_left, switches;

struct faulter {
	pthread_t th;
	int cpu;
	unsigned long pages;
};

static void *fault_worker(void *arg)
{
	struct faulter *f = arg;
	struct task_struct *t;
	unsigned long va;

	if (mmsim_enter(machine, f->cpu)) {
		atomic_fetch_add(&bad, 1);
		atomic_fetch_sub(&faulters_left, 1);
		return NULL;
	}
	t = mmsim_spawn(machine, f->cpu ? "ws1" : "ws0");
	if (!t || mmsim_switch_to(t)) {
		atomic_fetch_add(&bad, 1);
		goto out;
	}
	va = sys_mmap(0, f->pages * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1UL, 0);
	if (IS_ERR_VALUE(va)) {
		atomic_fetch_add(&bad, 1);
		sys_exit_group(0);
		goto out;
	}
	for (unsigned long pass = 1; pass <= PASSES; pass++) {
		for (unsigned long g = 0; g < f->pages; g++) {
			unsigned long w[2] = { g ^ ((unsigned long)f->cpu << 40), pass };

			/* pass 1 writes all; later ones rewrite every other page */
			if ((pass == 1 || (g & 1)) && mmsim_user_write(va + g * PAGE_SIZE, w, sizeof(w))) {
				if (atomic_fetch_add(&bad, 1) < 5)
					fprintf(stderr, "cpu %d pass %lu page %lu: write failed%s\n", f->cpu,
						pass, g, current ? "" : " (killed)");
				if (!current)
					goto out;	/* OOM-killed: the failure is counted */
			}
		}
		for (unsigned long g = 0; g < f->pages; g++) {
			unsigned long r[2], want = pass == 1 || (g & 1) ? pass : 1;

			if (mmsim_user_read(va + g * PAGE_SIZE, r, sizeof(r)) ||
			    r[0] != (g ^ ((unsigned long)f->cpu << 40)) || r[1] != want) {
				if (atomic_fetch_add(&bad, 1) < 5)
					fprintf(stderr, "cpu %d pass %lu page %lu: %lx %lu, want %lu\n",
						f->cpu, pass, g, r[0], r[1], want);
			}
		}
	}
	sys_exit_group(0);
out:
	atomic_fetch_sub(&faulters_left, 1);
	mmsim_leave();
	return NULL;
}

/* CPU 2: lru <-> fifo while the others fault. */
static void *switch_worker(void *arg)
{
	(void)arg;
	if (mmsim_enter(machine, NFAULTERS)) {
		atomic_fetch_add(&bad, 1);
		return NULL;
	}
	for (int i = 0; atomic_load(&faulters_left) > 0; i++) {
		mmsim_advance_clock(machine, 5 * 1000 * 1000ULL);
		if (lru_policy_switch(machine, i & 1 ? "lru" : "fifo"))
			atomic_fetch_add(&bad, 1);
		else
			atomic_fetch_add(&switches, 1);
		usleep(20000);
	}
	mmsim_leave();
	return NULL;
}

static void run(const char *name, bool switching)
{
	char spec[128];
	struct faulter f[NFAULTERS];
	struct lru_adapter_stats st = { 0 };
	pthread_t sw;
	unsigned long ram;

	snprintf(spec, sizeof(spec), "ram=32M cpus=%d swap=96M lru=%s", NFAULTERS + 1, name);
	kt_begin(switching ? "two CPUs faulting, a third switching" : spec);
	machine = boot_or_die(spec);
	ram = totalram_pages();
	atomic_store(&bad, 0);
	atomic_store(&switches, 0);
	atomic_store(&faulters_left, NFAULTERS);
	mmsim_leave();
	for (int i = 0; i < NFAULTERS; i++) {
		f[i].cpu = i;
		f[i].pages = ram * 11 / 10;
		pthread_create(&f[i].th, NULL, fault_worker, &f[i]);
	}
	if (switching)
		pthread_create(&sw, NULL, switch_worker, NULL);
	for (int i = 0; i < NFAULTERS; i++)
		pthread_join(f[i].th, NULL);
	if (switching)
		pthread_join(sw, NULL);
	KT_EQ(mmsim_enter(machine, 0), 0);
	KT_EQ(atomic_load(&bad), 0);
	if (atomic_load(&bad)) {
		size_t mark = 0;
		char *log = log_since(machine, &mark), *oom = log ? strstr(log, "Out of memory") : NULL;

		char *from = log;

		/* the OOM report: the invocation, Mem-Info, the task table */
		if (oom)
			from = strstr(log, "invoked oom-killer") ? strstr(log, "invoked oom-killer") : oom;
		fprintf(stderr, "%.6000s\n", from ? from : "(no log)");
		free(log);
	}
	KT_ASSERT(lru_all_valid());
	KT_ASSERT(mm_mapcounts_are_valid(machine));
	KT_ASSERT(swap_counts_are_valid(machine));
	KT_EQ(lru_adapter_get_stats(NODE_DATA(0), &st), 0);
	printf("%s: %d switches; now %s: evictions %lu accesses %lu bridged %lu rescued %lu; "
	       "pswpout %lld pswpin %lld\n", spec, atomic_load(&switches), lru_policy_current()->name,
	       st.evictions, st.accesses, st.bridged, st.rescued, fx_vmstat(machine, "pswpout"),
	       fx_vmstat(machine, "pswpin"));
	KT_ASSERT(fx_vmstat(machine, "pswpout") > 0 && fx_vmstat(machine, "pswpin") > 0);
	if (switching)
		KT_ASSERT(atomic_load(&switches) > 0);
	else
		KT_ASSERT(st.evictions > 0 && st.bridged > 0);
	kt_end();
	mmsim_shutdown(machine);
}

int main(void)
{
	run("lru", false);
	run("fifo", false);
	run("lru", true);
	return kt_done();
}
