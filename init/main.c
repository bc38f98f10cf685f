// SPDX-License-Identifier: GPL-2.0
/*
 * init/main.c - a machine's life: boot in Linux's order, CPUs, shutdown in
 * the reverse order.
 *
 * mmsim_boot(spec) is the firmware and start_kernel() together:
 *
 *   1. the machine struct, its log, and every registered subsystem's
 *      per-machine state (init/init.h), zeroed or from its template;
 *   2. parse_args(): each word of the spec goes to the hardware
 *      (arch/spec.c: ram=, cpus=, arch=, ...) or to the subsystem that
 *      registered it (early_param/__setup/core_param); an unknown word, a
 *      bad value, or a parameter of a subsystem mmsim does not have yet
 *      fails the boot with one line naming it;
 *   3. setup_arch: the layout, RAM and the host window (arch/setup.c),
 *      which is registered with arch/traps.c so a fault in it becomes this
 *      machine's oops (unregistered first thing at shutdown); the per-CPU
 *      areas; the calling thread enters CPU 0;
 *   4. start_kernel: the banner, the firmware memory map, mm_core_init()
 *      (mm/mm_init.c: memblock, nodes, zones, the memmap, paging_init,
 *      the buddy allocator, slab, vmalloc -- Linux's fixed order), then
 *      the initcalls level by level (core .. late), in the list's order.
 *
 * mmsim_shutdown() runs the initcalls' exits in the reverse order of the
 * inits that succeeded, then mm_core_exit(), then gives the hardware back
 * (arch_unmap_ram) and frees the states.  A failed boot unwinds the same
 * way from where it stopped.
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
 * current_layout (its machine's constants, for PAGE_SIZE & co.; it is
 * also &m->hw, see arch/machine.h).
 *
 * Locking: boot and shutdown touch a machine no other thread can reach
 * yet (or any more); the CPU states are atomics.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mm/internal.h"
#include "arch/traps.h"
#include "lib/cmdline.h"
#include <mmsim/blkdev.h>
#include <mmsim/workqueue.h>
#include <mmsim/kmemleak.h>

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

struct machine_hw *mmsim_hw(struct mmsim *m)
{
	return &m->hw;
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

/* How deep this thread is in io_wait_advance_clock (no work runs inside). */
static __thread unsigned int io_wait_depth;

/*
 * The clock moves by @ns.  Outside a wait in the kernel it steps through
 * the deferred work that falls due on the way, each at its own time (the
 * flusher due at 30 s runs at 30 s, not at the end of a 60 s advance), so
 * the I/O that work starts completes within the same advance when it
 * would on a real machine.  Each step completes the disk's due I/O first.
 */
uint64_t mmsim_clock_ns(struct mmsim *m)
{
	return atomic_load(&m->hw.clock_ns);
}

void mmsim_advance_clock(struct mmsim *m, uint64_t ns)
{
	for (unsigned int steps = 0; !io_wait_depth && steps < 1000000; steps++) {
		u64 now = atomic_load(&m->hw.clock_ns), due = next_work_due(m), step;

		/* Only work due strictly between now and the end: what is due now
		 * or at the end runs once, in the run below. */
		if (!due || due <= now || due >= now + ns)
			break;
		step = due - now;
		atomic_fetch_add(&m->hw.clock_ns, step);
		ns -= step;
		blk_clock_advanced(m);
		if (!run_pending_work(m))
			break;	/* another thread runs it, or nothing was due after all */
	}
	atomic_fetch_add(&m->hw.clock_ns, ns);
	blk_clock_advanced(m);	/* the disk completes the I/O now due */
	if (!io_wait_depth)
		run_pending_work(m);	/* then the work and timers now due */
}

void io_wait_advance_clock(struct mmsim *m, u64 ns)
{
	io_wait_depth++;
	mmsim_advance_clock(m, ns);
	io_wait_depth--;
}

/* ---------------------------------------------------------------------
 * CPUs
 */

static void set_current(struct cpu_state *c)
{
	current_cpu = c;
	current_layout = c ? &c->m->hw.layout : NULL;
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
	arch_trap_thread_init();	/* a signal stack, so an overflow still reports */
	pcp_drain_pending(c);
	if (kmemleak_on(m))
		kmemleak_thread_register();	/* its stack is a root of the scans */
	return 0;
}

/* setup_per_cpu_areas: CPUs 0..k-1 on node 0, and so on (block distribution). */
static int setup_per_cpu_areas(struct mmsim *m, int nodes)
{
	m->nr_cpus = m->hw.nr_cpus = m->hw.hp.cpus;
	m->cpus = aligned_alloc(64, sizeof(*m->cpus) * (size_t)m->nr_cpus);
	if (!m->cpus)
		return -ENOMEM;
	memset(m->cpus, 0, sizeof(*m->cpus) * (size_t)m->nr_cpus);
	for (int i = 0; i < m->nr_cpus; i++) {
		m->cpus[i].hw.hw = &m->hw;
		m->cpus[i].hw.id = i;
		m->cpus[i].m = m;
		m->cpus[i].id = i;
		m->cpus[i].node = (int)((long)i * nodes / m->nr_cpus);
		atomic_init(&m->cpus[i].state, CPU_FREE);
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * The command line
 */

int param_set_bool(void *state, const struct kernel_param *kp, const char *word, const char *val,
		   char *err, size_t len)
{
	if (cmdline_bool(val, (bool *)((char *)state + kp->offset)))
		return cmdline_fail(err, len, "'%s': expected 0 or 1", word);
	return 0;
}

int param_set_int(void *state, const struct kernel_param *kp, const char *word, const char *val,
		  char *err, size_t len)
{
	long v;

	if (cmdline_int(val, kp->min, kp->max, &v))
		return cmdline_fail(err, len, "'%s': %s must be %ld..%ld", word, kp->name, kp->min,
				    kp->max);
	*(int *)((char *)state + kp->offset) = (int)v;
	return 0;
}

int param_set_only(void *state, const struct kernel_param *kp, const char *word, const char *val,
		   char *err, size_t len)
{
	if (strcmp(val, kp->only))
		return cmdline_fail(err, len, "'%s': only %s=%s is supported", word, kp->name,
				    kp->only);
	*(bool *)((char *)state + kp->offset) = true;
	return 0;
}

/* Parameters of subsystems mmsim does not have yet: known to Linux, refused by name. */
static const char *const later_params[] = {
	"swap",
};

static const struct kernel_param *find_param(const char *key, int *owner)
{
	for (int i = 0; i < nr_subsystems; i++)
		for (size_t j = 0; j < subsystems[i]->nr_params; j++)
			if (!strcmp(subsystems[i]->params[j].name, key)) {
				*owner = i;
				return &subsystems[i]->params[j];
			}
	return NULL;
}

static int parse_word(struct mmsim *m, const char *word, char *err, size_t len)
{
	const char *eq = strchr(word, '=');
	const char *val = eq ? eq + 1 : NULL;
	const struct kernel_param *kp;
	char key[64];
	int owner, ret;

	ret = hw_parse_word(&m->hw.hp, word, val, err, len);
	if (ret)
		return ret < 0 ? ret : 0;
	snprintf(key, sizeof(key), "%.*s", eq ? (int)(eq - word) : (int)strlen(word), word);
	kp = find_param(key, &owner);
	if (kp && (val ? kp->flags & KP_VALUE : kp->flags & KP_BARE))
		return kp->set(m->subsys_state[owner], kp, word, val, err, len);
	if (!val)
		return cmdline_fail(err, len, "'%s': unknown boot parameter", word);
	for (size_t i = 0; i < ARRAY_SIZE(later_params); i++)
		if (!strcmp(key, later_params[i]))
			return cmdline_fail(err, len,
					    "'%s': not supported yet (its subsystem is not in mmsim)",
					    word);
	return cmdline_fail(err, len, "'%s': unknown boot parameter", word);
}

/* parse_args: every word of @spec, in order; the first bad one fails. */
static int parse_args(struct mmsim *m, const char *spec, char *err, size_t len)
{
	char *copy = strdup(spec);
	char *save = NULL, *word;
	int ret = 0;

	if (!copy)
		return cmdline_fail(err, len, "out of host memory");
	for (word = strtok_r(copy, " \t\n", &save); word && !ret;
	     word = strtok_r(NULL, " \t\n", &save))
		ret = parse_word(m, word, err, len);
	free(copy);
	if (!ret)
		ret = hw_params_check(&m->hw.hp, err, len);
	return ret;
}

/* ---------------------------------------------------------------------
 * Subsystem states and initcalls
 */

static int alloc_subsys_states(struct mmsim *m)
{
	int total = 0;

	m->subsys_state = calloc((size_t)nr_subsystems, sizeof(void *));
	if (!m->subsys_state)
		return -ENOMEM;
	for (int i = 0; i < nr_subsystems; i++) {
		const struct subsystem *s = subsystems[i];
		void *p;

		total += (int)s->nr_initcalls;
		if (!s->state_size)
			continue;
		p = aligned_alloc(64, ALIGN(s->state_size, 64));
		if (!p)
			return -ENOMEM;
		if (s->state_template)
			memcpy(p, s->state_template, s->state_size);
		else
			memset(p, 0, s->state_size);
		m->subsys_state[i] = p;
	}
	m->initcalls_done = calloc((size_t)total + 1, sizeof(*m->initcalls_done));
	return m->initcalls_done ? 0 : -ENOMEM;
}

static void free_subsys_states(struct mmsim *m)
{
	for (int i = 0; m->subsys_state && i < nr_subsystems; i++) {
		if (m->subsys_state[i] && subsystems[i]->state_release)
			subsystems[i]->state_release(m->subsys_state[i]);
		free(m->subsys_state[i]);
	}
	free(m->subsys_state);
	free(m->initcalls_done);
	m->subsys_state = NULL;
	m->initcalls_done = NULL;
}

static int do_initcalls(struct mmsim *m, char *err, size_t len)
{
	for (int level = 0; level < NR_INITCALL_LEVELS; level++)
		for (int i = 0; i < nr_subsystems; i++)
			for (size_t j = 0; j < subsystems[i]->nr_initcalls; j++) {
				const struct initcall *ic = &subsystems[i]->initcalls[j];
				int ret;

				if ((int)ic->level != level)
					continue;
				ret = ic->fn(m, err, len);
				if (ret) {
					if (!err[0])
						snprintf(err, len, "%s: %s failed (%d)",
							 subsystems[i]->name, ic->name, ret);
					return ret;
				}
				m->initcalls_done[m->nr_initcalls_done++] = ic;
			}
	return 0;
}

static void do_initcall_exits(struct mmsim *m)
{
	while (m->nr_initcalls_done) {
		const struct initcall *ic = m->initcalls_done[--m->nr_initcalls_done];

		if (ic->exit)
			ic->exit(m);
	}
}

/* ---------------------------------------------------------------------
 * Boot and shutdown
 */

/* @started: start_kernel() ran (or began), so the kernel has state to undo. */
static void machine_free(struct mmsim *m, bool started)
{
	if (started) {
		do_initcall_exits(m);
		mm_core_exit(m);
	}
	arch_unregister_window(&m->hw);
	arch_unmap_ram(&m->hw);
	free(m->cpus);
	free(m->spec);
	free_subsys_states(m);
	printk_free(&m->log);
	pthread_mutex_destroy(&m->cpu_lock);
	free(m);
}

static int start_kernel(struct mmsim *m, char *err, size_t len)
{
	int ret;

	pr_notice("Linux version 6.8.0-mmsim (mmsim@localhost) (gcc) #1 SMP PREEMPT_DYNAMIC\n");
	pr_info("Command line: %s\n", m->spec);
	arch_print_memory_map(&m->hw);
	ret = mm_core_init(m, err, len);
	if (!ret)
		ret = do_initcalls(m, err, len);
	return ret;
}

/**
 * mmsim_boot - make a machine from a boot spec
 * @spec: hardware words and Linux kernel parameters (DESIGN §2)
 *
 * Context: any thread; on success it has left its previous CPU and is on
 * CPU 0 of the new machine.
 * Return: the machine, or NULL with mmsim_last_error() set.
 */
struct mmsim *mmsim_boot(const char *spec)
{
	struct mmsim *m = calloc(1, sizeof(*m));
	char err[sizeof(last_error)] = "";
	int ret;

	if (!m) {
		snprintf(last_error, sizeof(last_error), "out of host memory");
		return NULL;
	}
	m->hw.memfd = -1;
	m->hw.machine = m;
	hw_params_defaults(&m->hw.hp);
	printk_init(&m->log);
	pthread_mutex_init(&m->cpu_lock, NULL);
	m->spec = strdup(spec ? spec : "");
	strcpy(m->comm, "swapper/0");
	ret = !m->spec || alloc_subsys_states(m) ? -ENOMEM : 0;
	if (ret)
		snprintf(err, sizeof(err), "out of host memory");
	if (!ret)
		ret = parse_args(m, m->spec, err, sizeof(err));
	if (!ret)
		ret = setup_per_cpu_areas(m, mm_nr_nodes_wanted(m));
	if (!ret)
		ret = arch_setup_layout(&m->hw, err, sizeof(err));
	if (!ret)
		ret = arch_map_ram(&m->hw, err, sizeof(err));
	if (ret) {
		snprintf(last_error, sizeof(last_error), "%s", err[0] ? err : "boot failed");
		machine_free(m, false);
		return NULL;
	}
	/* Faults in the window become this machine's oopses (arch/traps.c). */
	arch_register_window(&m->hw);
	mmsim_leave();
	atomic_store(&m->cpus[0].state, CPU_ENTERED);
	set_current(&m->cpus[0]);
	ret = start_kernel(m, err, sizeof(err));
	if (ret) {
		snprintf(last_error, sizeof(last_error), "%s", err[0] ? err : "boot failed");
		do_initcall_exits(m);
		set_current(NULL);
		machine_free(m, true);
		return NULL;
	}
	strcpy(m->comm, "mmsim");
	m->pid = 1;
	last_error[0] = '\0';
	return m;
}

/**
 * mmsim_shutdown - return every host resource of @m
 *
 * Context: any thread that is not on a CPU of another live machine's
 * busy workload; a thread on a CPU of @m leaves it.
 */
void mmsim_shutdown(struct mmsim *m)
{
	struct cpu_state *saved;

	if (!m)
		return;
	if (current_cpu && current_cpu->m == m)
		set_current(NULL);
	/* Tear down with the machine current, so mm code can use its helpers. */
	saved = current_cpu;
	set_current(&m->cpus[0]);
	machine_free(m, true);
	current_cpu = saved;
	current_layout = saved ? &saved->m->hw.layout : NULL;
}
