// SPDX-License-Identifier: GPL-2.0
/*
 * arch/machine.c - a machine's life: boot, CPUs, shutdown.
 *
 * mmsim_boot() parses the spec, sets up the hardware (arch/setup.c), enters
 * CPU 0 and runs the kernel's memory bring-up (mm_boot() in mm/mm_init.c).
 * mmsim_shutdown() returns every host resource: the window mapping, the
 * memfd, and the malloc'd pieces; nothing else is held.
 *
 * CPUs: a host thread becomes CPU n of a machine with mmsim_enter(); the
 * CPU's per-CPU data (its pcp lists, its event counters) is then touched
 * only by that thread.  cpu_state.state is the CPU's occupancy:
 *
 *   CPU_FREE --enter--> CPU_ENTERED --leave--> CPU_FREE
 *   CPU_FREE --cpu_borrow (remote drain)--> CPU_BORROWED --cpu_return--> CPU_FREE
 *
 * A thread that finds its CPU borrowed waits the few microseconds a drain
 * takes; one that finds it entered gets -EBUSY.  Transitions are atomic
 * compare-exchanges with acquire/release ordering, so whoever holds a CPU
 * sees everything the previous holder wrote to its per-CPU data.
 *
 * Thread-local state: current_cpu (the CPU the thread is on) and
 * current_layout (its machine's constants, for PAGE_SIZE & co.).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>
#include "arch/machine.h"
#include "mm/internal.h"

_Thread_local struct cpu_state *current_cpu __tls_ie;
_Thread_local const struct mm_layout *current_layout __tls_ie;
static _Thread_local char last_error[256];

const char *mmsim_last_error(void)
{
	return last_error;
}

struct mmsim *mmsim_current(void)
{
	return current_machine();
}

int smp_processor_id(void)
{
	return current_cpu ? current_cpu->id : 0;
}

int nr_cpu_ids_of(struct mmsim *m)
{
	return m->nr_cpus;
}

int num_online_cpus(void)
{
	return current_machine()->nr_cpus;
}

int num_online_nodes(void)
{
	return current_machine()->nr_nodes;
}

int numa_node_id(void)
{
	return current_cpu ? current_cpu->node : 0;
}

int cpu_to_node(int cpu)
{
	return current_machine()->cpus[cpu].node;
}

struct memblock_state *memblock_state(void)
{
	return &current_machine()->mb;
}

void mmsim_advance_clock(struct mmsim *m, uint64_t ns)
{
	atomic_fetch_add(&m->clock_ns, ns);
}

static void set_current(struct cpu_state *c)
{
	current_cpu = c;
	current_layout = c ? &c->m->layout : NULL;
}

/* Take a free CPU for a remote operation (drain_all_pages); false if busy. */
bool cpu_borrow(struct cpu_state *c)
{
	int expected = CPU_FREE;

	return atomic_compare_exchange_strong_explicit(&c->state, &expected, CPU_BORROWED,
						       memory_order_acquire,
						       memory_order_relaxed);
}

void cpu_return(struct cpu_state *c)
{
	atomic_store_explicit(&c->state, CPU_FREE, memory_order_release);
}

void mmsim_leave(void)
{
	struct cpu_state *c = current_cpu;

	if (!c)
		return;
	pcp_drain_pending(c);
	set_current(NULL);
	atomic_store_explicit(&c->state, CPU_FREE, memory_order_release);
}

int mmsim_enter(struct mmsim *m, int cpu)
{
	struct cpu_state *c;

	if (!m || cpu < 0 || cpu >= m->nr_cpus)
		return -EINVAL;
	c = &m->cpus[cpu];
	if (current_cpu == c)
		return 0;
	mmsim_leave();
	for (;;) {
		int expected = CPU_FREE;

		if (atomic_compare_exchange_weak_explicit(&c->state, &expected, CPU_ENTERED,
							  memory_order_acquire,
							  memory_order_relaxed))
			break;
		if (expected == CPU_ENTERED)
			return -EBUSY;
		sched_yield();		/* borrowed by a drain: a moment */
	}
	set_current(c);
	pcp_drain_pending(c);
	return 0;
}

static void machine_free(struct mmsim *m)
{
	mm_teardown(m);
	arch_unmap_ram(m);
	free(m->cpus);
	free(m->spec);
	printk_free(&m->log);
	pthread_mutex_destroy(&m->cpu_lock);
	free(m);
}

static int setup_cpus(struct mmsim *m)
{
	m->nr_cpus = m->bp.cpus;
	m->cpus = aligned_alloc(64, sizeof(*m->cpus) * (size_t)m->nr_cpus);
	if (!m->cpus)
		return -ENOMEM;
	memset(m->cpus, 0, sizeof(*m->cpus) * (size_t)m->nr_cpus);
	for (int i = 0; i < m->nr_cpus; i++) {
		m->cpus[i].m = m;
		m->cpus[i].id = i;
		/* Block distribution: CPUs 0..k-1 on node 0, and so on. */
		m->cpus[i].node = (int)((long)i * m->bp.nodes / m->nr_cpus);
		atomic_init(&m->cpus[i].state, CPU_FREE);
	}
	return 0;
}

struct mmsim *mmsim_boot(const char *spec)
{
	struct mmsim *m = calloc(1, sizeof(*m));
	char err[sizeof(last_error)] = "";
	int ret;

	if (!m) {
		snprintf(last_error, sizeof(last_error), "out of host memory");
		return NULL;
	}
	m->memfd = -1;
	printk_init(&m->log);
	pthread_mutex_init(&m->cpu_lock, NULL);
	m->spec = strdup(spec ? spec : "");
	strcpy(m->comm, "swapper/0");
	ret = parse_boot_spec(m->spec, &m->bp, err, sizeof(err));
	if (!ret)
		ret = setup_cpus(m);
	if (!ret)
		ret = arch_setup_layout(m, err, sizeof(err));
	if (!ret)
		ret = arch_map_ram(m, err, sizeof(err));
	if (ret) {
		snprintf(last_error, sizeof(last_error), "%s", err[0] ? err : "boot failed");
		machine_free(m);
		return NULL;
	}
	mmsim_leave();
	atomic_store(&m->cpus[0].state, CPU_ENTERED);
	set_current(&m->cpus[0]);
	ret = mm_boot(m, err, sizeof(err));
	if (ret) {
		snprintf(last_error, sizeof(last_error), "%s", err[0] ? err : "boot failed");
		set_current(NULL);
		machine_free(m);
		return NULL;
	}
	strcpy(m->comm, "mmsim");
	m->pid = 1;
	last_error[0] = '\0';
	return m;
}

void mmsim_shutdown(struct mmsim *m)
{
	if (!m)
		return;
	if (current_cpu && current_cpu->m == m) {
		set_current(NULL);
	}
	/* Tear down with the machine current, so mm code can use its helpers. */
	struct cpu_state *saved = current_cpu;

	set_current(&m->cpus[0]);
	machine_free(m);
	current_cpu = saved;
	current_layout = saved ? &saved->m->layout : NULL;
}
