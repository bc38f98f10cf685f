// SPDX-License-Identifier: GPL-2.0
/*
 * fs/proc/stat.c - /proc/stat, as Linux 6.8's show_stat() prints it:
 *
 *   cpu  user nice system idle iowait irq softirq steal guest guest_nice
 *   cpuN ...                              one line per online CPU
 *   intr <sum> <one count per IRQ>
 *   ctxt <context switches>
 *   btime <boot time, seconds since the epoch>
 *   processes <forks since boot>
 *   procs_running <tasks running>
 *   procs_blocked <tasks in iowait>
 *   softirq <sum> <one count per softirq, NR_SOFTIRQS = 10>
 *
 * CPU times are in USER_HZ (100) ticks: nanoseconds / 10000000, the "cpu"
 * line converting the sum over CPUs (so it may exceed the sum of the cpuN
 * lines by rounding, as in Linux).  Numbers are plain decimals, the "cpu"
 * line has two spaces after its name, as seq_put_decimal_ull() prints.
 *
 * Where the counts come from.  Kernel work takes no virtual time: the
 * machine's clock (clock_ns) advances only through mmsim_advance_clock()
 * (`tick`).  Time that passes while a CPU has a current task (kernel/
 * sched.c) is that CPU's user time; the rest is idle; system, irq and
 * softirq time, interrupts and softirqs are 0.  ctxt counts the context
 * switches of kernel/sched.c; processes counts forks since boot, init (pid
 * 1, made at boot) included; procs_running is the CPUs running a task
 * plus the reader when its CPU runs none (Linux counts the reading task;
 * with no simulated task that is init): 1 on a machine that runs nothing.
 * procs_blocked is 0.  The clock starts at 0 at boot and there is no wall
 * clock: btime is 0 (the epoch), which keeps the file deterministic.
 * There are no interrupt lines (nr_irqs is 0), so the "intr" line is its
 * sum alone.
 *
 * The counts are read through functions named as in Linux
 * (kcpustat_cpu_fetch, kstat_cpu_irqs_sum, kstat_softirqs_cpu, nr_irqs,
 * kstat_irqs_usr, nr_context_switches, total_forks, nr_running,
 * nr_iowait), which ask kernel/sched.c and kernel/pid.c.  Idle time is
 * the clock less the busy time.
 *
 * Locking: none; the clock is an atomic, the CPU count is fixed at boot.
 */
#include <stdio.h>
#include <string.h>
#include "fs/proc/internal.h"
#include "kernel/internal.h"

#define USER_HZ		100
/* HI TIMER NET_TX NET_RX BLOCK IRQ_POLL TASKLET SCHED HRTIMER RCU */
#define NR_SOFTIRQS	10

/* include/linux/kernel_stat.h */
enum cpu_usage_stat {
	CPUTIME_USER,
	CPUTIME_NICE,
	CPUTIME_SYSTEM,
	CPUTIME_SOFTIRQ,
	CPUTIME_IRQ,
	CPUTIME_IDLE,
	CPUTIME_IOWAIT,
	CPUTIME_STEAL,
	CPUTIME_GUEST,
	CPUTIME_GUEST_NICE,
	NR_STATS,
};

struct kernel_cpustat {
	uint64_t cpustat[NR_STATS];	/* nanoseconds */
};

/* ---------------------------------------------------------------------
 * The accounting a scheduler will feed (see the comment at the top)
 */

/* The time CPU @cpu of @m spent in each state since boot. */
static void kcpustat_cpu_fetch(struct mmsim *m, struct kernel_cpustat *kcs, int cpu)
{
	uint64_t now = atomic_load(&m->hw.clock_ns), busy = 0;

	memset(kcs, 0, sizeof(*kcs));
	/* Virtual time while a task was current is user time (kernel/sched.c). */
	kcs->cpustat[CPUTIME_USER] = sched_cpu_user_ns(m, cpu);
	for (int i = 0; i < NR_STATS; i++)
		if (i != CPUTIME_IDLE && i != CPUTIME_GUEST && i != CPUTIME_GUEST_NICE)
			busy += kcs->cpustat[i];	/* guest time is inside user time */
	kcs->cpustat[CPUTIME_IDLE] = now > busy ? now - busy : 0;
}

static uint64_t kstat_cpu_irqs_sum(struct mmsim *m, int cpu)
{
	return 0;
}

/* Interrupt lines: none, no interrupt controller is simulated. */
static unsigned int nr_irqs(struct mmsim *m)
{
	return 0;
}

static unsigned int kstat_irqs_usr(struct mmsim *m, unsigned int irq)
{
	return 0;
}

static unsigned int kstat_softirqs_cpu(struct mmsim *m, int softirq, int cpu)
{
	return 0;
}

static unsigned long long nr_context_switches(struct mmsim *m)
{
	return sched_nr_context_switches(m);
}

/* Forks since boot, init's included (kernel/pid.c, kernel/fork.c). */
static unsigned long total_forks(struct mmsim *m)
{
	return atomic_load(&task_state_of(m)->total_forks);
}

/* CPUs running a task, and the reader (kernel/sched.c). */
static unsigned int nr_running(struct mmsim *m)
{
	return sched_nr_running(m);
}

static unsigned long nr_iowait(struct mmsim *m)
{
	return 0;
}

/* Seconds since the epoch at boot: no wall clock, the machine boots at 0. */
static unsigned long long boottime_sec(struct mmsim *m)
{
	return 0;
}

/* ---------------------------------------------------------------------
 * The file
 */

static unsigned long long nsec_to_clock_t(uint64_t ns)
{
	return ns / (1000000000ULL / USER_HZ);
}

static void show_times(struct seq_file *sf, const char *name, const uint64_t *t)
{
	seq_printf(sf, "%s %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu\n", name,
		   nsec_to_clock_t(t[CPUTIME_USER]), nsec_to_clock_t(t[CPUTIME_NICE]),
		   nsec_to_clock_t(t[CPUTIME_SYSTEM]), nsec_to_clock_t(t[CPUTIME_IDLE]),
		   nsec_to_clock_t(t[CPUTIME_IOWAIT]), nsec_to_clock_t(t[CPUTIME_IRQ]),
		   nsec_to_clock_t(t[CPUTIME_SOFTIRQ]), nsec_to_clock_t(t[CPUTIME_STEAL]),
		   nsec_to_clock_t(t[CPUTIME_GUEST]), nsec_to_clock_t(t[CPUTIME_GUEST_NICE]));
}

static int stat_show(struct seq_file *sf, struct proc_file *f)
{
	struct mmsim *m = f->m;
	unsigned int per_softirq_sums[NR_SOFTIRQS] = { 0 };
	uint64_t total[NR_STATS] = { 0 };
	unsigned long long sum = 0, sum_softirq = 0;
	struct kernel_cpustat kcs;
	char name[16];

	for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
		kcpustat_cpu_fetch(m, &kcs, cpu);
		for (int i = 0; i < NR_STATS; i++)
			total[i] += kcs.cpustat[i];
		sum += kstat_cpu_irqs_sum(m, cpu);
		for (int j = 0; j < NR_SOFTIRQS; j++) {
			unsigned int n = kstat_softirqs_cpu(m, j, cpu);

			per_softirq_sums[j] += n;
			sum_softirq += n;
		}
	}
	/* "cpu  ": seq_put_decimal_ull(p, "cpu  ", ...) */
	show_times(sf, "cpu ", total);
	for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
		kcpustat_cpu_fetch(m, &kcs, cpu);
		snprintf(name, sizeof(name), "cpu%d", cpu);
		show_times(sf, name, kcs.cpustat);
	}
	seq_printf(sf, "intr %llu", sum);
	for (unsigned int irq = 0; irq < nr_irqs(m); irq++)
		seq_printf(sf, " %u", kstat_irqs_usr(m, irq));
	seq_printf(sf, "\nctxt %llu\nbtime %llu\nprocesses %lu\nprocs_running %u\n"
		   "procs_blocked %lu\n",
		   nr_context_switches(m), boottime_sec(m), total_forks(m), nr_running(m),
		   nr_iowait(m));
	seq_printf(sf, "softirq %llu", sum_softirq);
	for (int j = 0; j < NR_SOFTIRQS; j++)
		seq_printf(sf, " %u", per_softirq_sums[j]);
	seq_putc(sf, '\n');
	return 0;
}

static const struct proc_entry stat_entries[] = {
	{ "/proc/stat", stat_show, NULL, NULL },
};

PROC_SUBSYSTEM(proc_stat, stat_entries);
