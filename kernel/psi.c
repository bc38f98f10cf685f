// SPDX-License-Identifier: GPL-2.0
/*
 * kernel/psi.c - pressure stall information for memory (Linux's
 * kernel/sched/psi.c, the memory resource of the system group):
 * /proc/pressure/memory over virtual time.
 *
 *   some avg10=0.00 avg60=0.00 avg300=0.00 total=0
 *   full avg10=0.00 avg60=0.00 avg300=0.00 total=0
 *
 * Model.  Code that stalls for memory brackets the stall with
 * psi_memstall_enter/leave (direct reclaim in the allocator's slow path,
 * kswapd's balance_pgdat, refault and swap-in waits).  The bracket marks
 * the CPU (PF_MEMSTALL in cpu_state->memalloc_flags: a task never leaves
 * its CPU inside a stall, and kswapd runs with no task), and nests as
 * Linux's current->in_memstall does (the inner enter returns a flag that
 * makes its leave a no-op).  The machine is in the SOME state while at
 * least one CPU stalls, and in FULL while every non-idle CPU (entered by
 * a thread) stalls -- Linux's per-CPU "some"/"full" weighted by non-idle
 * time, which for one running thread per CPU is the same.  Time in each
 * state is virtual time (the clock moves inside a stall when it waits for
 * I/O: writeback, a refault or swap-in read), accumulated at every state
 * change and every read, shown in microseconds (total=).
 *
 * Averages as Linux's: every psi_period (PSI_FREQ = 2*HZ+1 jiffies,
 * 2.004 s) a work item samples the stall time of the period as a
 * percentage and folds it into avg10/avg60/avg300 with the load-average
 * decay (FSHIFT 11; EXP_10s 1677, EXP_60s 1981, EXP_300s 2034), filling
 * zeros for periods it missed; the work keeps itself queued while there
 * is stall activity (as Linux's psi_avgs_work), and a read catches the
 * averages up first, so an idle machine's averages decay on reading.
 *
 * Locking.  psi->lock (a spinlock, taken inside allocations and reclaim)
 * guards every field; only wq->lock (queue_delayed_work) nests inside it.
 * The work runs with no lock held and takes psi->lock itself.
 *
 * Invariants: 0 <= nr_stalled <= nr_cpus; total[FULL] <= total[SOME];
 * avg_total[s] <= total[s]; every avg is at most 100.00 (100 << FSHIFT).
 */
#include <stdio.h>
#include <mmsim/psi.h>
#include <mmsim/jiffies.h>
#include <mmsim/workqueue.h>
#include <mmsim/proc_fs.h>
#include <mmsim/seq_file.h>
#include <mmsim/printk.h>
#include <mmsim/spinlock.h>
#include "init/init.h"
#include "init/machine.h"

#define PF_MEMSTALL	0x01000000	/* Linux's flag: stalled on memory */

#define FSHIFT		11
#define FIXED_1		(1UL << FSHIFT)
#define EXP_10s		1677
#define EXP_60s		1981
#define EXP_300s	2034
#define LOAD_INT(x)	((x) >> FSHIFT)
#define LOAD_FRAC(x)	LOAD_INT(((x) & (FIXED_1 - 1)) * 100)
#define PSI_FREQ	(2 * HZ + 1)
#define NSEC_PER_JIFFY	(1000000000ull / HZ)
#define PSI_PERIOD_NS	((u64)PSI_FREQ * NSEC_PER_JIFFY)

enum { PSI_MEM_SOME, PSI_MEM_FULL, NR_PSI_MEM };

struct psi_state {
	spinlock_t lock;
	struct delayed_work avgs_work;	/* the averaging (psi_avgs_work) */
	struct mmsim *m;
	int nr_stalled;			/* CPUs in a memory stall */
	u64 state_start;		/* when the totals were last brought up to date */
	u64 total[NR_PSI_MEM];		/* ns in each state */
	u64 avg_total[NR_PSI_MEM];	/* what the averages have folded in */
	unsigned long avg[NR_PSI_MEM][3];
	u64 avg_last_update, avg_next_update;
	bool ready;
};

DECLARE_SUBSYSTEM(psi);

static u64 psi_now(struct mmsim *m)
{
	return atomic_load_explicit(&m->hw.clock_ns, memory_order_relaxed);
}

static struct psi_state *psi_state(void)
{
	struct mmsim *m = current_machine();
	struct psi_state *psi = m && m->subsys_state ? subsys_state(m, psi) : NULL;

	return psi && psi->ready ? psi : NULL;
}

/* CPUs a thread is running on now (Linux: non-idle). */
static int nr_nonidle_cpus(struct mmsim *m)
{
	int n = 0;

	for (int i = 0; i < m->nr_cpus; i++)
		if (atomic_load(&m->cpus[i].state) != CPU_FREE)
			n++;
	return n;
}

/* Bring the totals up to @now under the state since state_start (lock held). */
static void psi_update_locked(struct psi_state *psi, u64 now)
{
	u64 delta = now > psi->state_start ? now - psi->state_start : 0;

	if (psi->nr_stalled) {
		psi->total[PSI_MEM_SOME] += delta;
		if (psi->nr_stalled >= nr_nonidle_cpus(psi->m))
			psi->total[PSI_MEM_FULL] += delta;
	}
	psi->state_start = now;
}

static unsigned long calc_load(unsigned long load, unsigned long exp, unsigned long active)
{
	unsigned long newload = load * exp + active * (FIXED_1 - exp);

	if (active >= load)
		newload += FIXED_1 - 1;
	return newload / FIXED_1;
}

/* exp^n in FSHIFT fixed point (Linux's fixed_power_int). */
static unsigned long fixed_power_int(unsigned long x, unsigned int n)
{
	unsigned long result = FIXED_1;

	if (n) {
		for (;;) {
			if (n & 1) {
				result *= x;
				result += FIXED_1 / 2;
				result >>= FSHIFT;
			}
			n >>= 1;
			if (!n)
				break;
			x *= x;
			x += FIXED_1 / 2;
			x >>= FSHIFT;
		}
	}
	return result;
}

static void calc_avgs(unsigned long avg[3], u64 missed_periods, u64 time, u64 period)
{
	static const unsigned long exps[3] = { EXP_10s, EXP_60s, EXP_300s };
	unsigned long pct;

	for (int i = 0; i < 3; i++) {
		if (missed_periods)
			avg[i] = calc_load(avg[i],
					   fixed_power_int(exps[i], (unsigned int)missed_periods), 0);
	}
	pct = period ? (unsigned long)(time * 100 / period) : 0;
	pct *= FIXED_1;
	for (int i = 0; i < 3; i++)
		avg[i] = calc_load(avg[i], exps[i], pct);
}

/* Linux's update_averages (lock held, now >= avg_next_update): the next due time. */
static u64 update_averages_locked(struct psi_state *psi, u64 now)
{
	u64 expires = psi->avg_next_update, missed = 0, period;

	if (now - expires >= PSI_PERIOD_NS)
		missed = (now - expires) / PSI_PERIOD_NS;
	psi->avg_next_update = expires + (1 + missed) * PSI_PERIOD_NS;
	period = now - (psi->avg_last_update + missed * PSI_PERIOD_NS);
	psi->avg_last_update = now;
	for (int s = 0; s < NR_PSI_MEM; s++) {
		u64 sample = psi->total[s] - psi->avg_total[s];

		if (sample > period)
			sample = period;
		psi->avg_total[s] += sample;
		calc_avgs(psi->avg[s], missed, sample, period);
	}
	return psi->avg_next_update;
}

static void psi_schedule_avgs_locked(struct psi_state *psi, u64 now)
{
	u64 due = psi->avg_next_update > now ? psi->avg_next_update - now : 0;
	unsigned long delay = (unsigned long)((due + NSEC_PER_JIFFY - 1) / NSEC_PER_JIFFY);

	if (!delayed_work_pending(&psi->avgs_work))
		queue_delayed_work(system_unbound_wq, &psi->avgs_work, delay);
}

static void psi_avgs_work(struct work_struct *work)
{
	struct psi_state *psi = (struct psi_state *)((char *)to_delayed_work(work) -
						      offsetof(struct psi_state, avgs_work));
	u64 now = psi_now(psi->m);
	bool active;

	spin_lock(&psi->lock);
	psi_update_locked(psi, now);
	/* Stalled now, or stall time the averages have not folded in yet. */
	active = psi->nr_stalled || psi->total[PSI_MEM_SOME] != psi->avg_total[PSI_MEM_SOME];
	if (now >= psi->avg_next_update)
		update_averages_locked(psi, now);
	if (active)
		psi_schedule_avgs_locked(psi, now);
	spin_unlock(&psi->lock);
}

void psi_memstall_enter(unsigned long *flags)
{
	struct psi_state *psi = psi_state();

	*flags = current_cpu ? (current_cpu->memalloc_flags & PF_MEMSTALL) != 0 : 1;
	if (*flags || !psi)
		return;
	spin_lock(&psi->lock);
	psi_update_locked(psi, psi_now(psi->m));
	psi->nr_stalled++;
	current_cpu->memalloc_flags |= PF_MEMSTALL;
	psi_schedule_avgs_locked(psi, psi_now(psi->m));
	spin_unlock(&psi->lock);
}

void psi_memstall_leave(unsigned long *flags)
{
	struct psi_state *psi;

	if (*flags || !current_cpu || !(current_cpu->memalloc_flags & PF_MEMSTALL))
		return;
	current_cpu->memalloc_flags &= ~PF_MEMSTALL;
	psi = psi_state();
	if (!psi)
		return;
	spin_lock(&psi->lock);
	psi_update_locked(psi, psi_now(psi->m));
	if (!WARN_ON_ONCE(psi->nr_stalled <= 0))
		psi->nr_stalled--;
	spin_unlock(&psi->lock);
}

/* Read the memory totals (ns) for tests: some, full. */
void psi_memory_totals(u64 *some, u64 *full);
void psi_memory_totals(u64 *some, u64 *full)
{
	struct psi_state *psi = psi_state();

	*some = *full = 0;
	if (!psi)
		return;
	spin_lock(&psi->lock);
	psi_update_locked(psi, psi_now(psi->m));
	*some = psi->total[PSI_MEM_SOME];
	*full = psi->total[PSI_MEM_FULL];
	spin_unlock(&psi->lock);
}

static int pressure_memory_show(struct seq_file *sf, struct proc_file *f)
{
	struct psi_state *psi = subsys_state(f->m, psi);
	unsigned long avg[NR_PSI_MEM][3];
	u64 total[NR_PSI_MEM], now = psi_now(f->m);

	spin_lock(&psi->lock);
	psi_update_locked(psi, now);
	if (now >= psi->avg_next_update)
		update_averages_locked(psi, now);
	for (int s = 0; s < NR_PSI_MEM; s++) {
		total[s] = psi->total[s] / 1000;
		for (int w = 0; w < 3; w++)
			avg[s][w] = psi->avg[s][w];
	}
	spin_unlock(&psi->lock);
	for (int s = 0; s < NR_PSI_MEM; s++)
		seq_printf(sf, "%s avg10=%lu.%02lu avg60=%lu.%02lu avg300=%lu.%02lu total=%llu\n",
			   s == PSI_MEM_FULL ? "full" : "some",
			   LOAD_INT(avg[s][0]), LOAD_FRAC(avg[s][0]),
			   LOAD_INT(avg[s][1]), LOAD_FRAC(avg[s][1]),
			   LOAD_INT(avg[s][2]), LOAD_FRAC(avg[s][2]),
			   (unsigned long long)total[s]);
	return 0;
}

/* The stall bookkeeping is consistent (WARN and false if not). */
bool psi_is_valid(struct mmsim *m);
bool psi_is_valid(struct mmsim *m)
{
	struct psi_state *psi = subsys_state(m, psi);
	bool ok = true;

	spin_lock(&psi->lock);
	if (WARN(psi->nr_stalled < 0 || psi->nr_stalled > m->nr_cpus, "psi: %d CPUs stalled\n",
		 psi->nr_stalled))
		ok = false;
	if (WARN(psi->total[PSI_MEM_FULL] > psi->total[PSI_MEM_SOME], "psi: full > some\n"))
		ok = false;
	for (int s = 0; s < NR_PSI_MEM; s++) {
		if (WARN(psi->avg_total[s] > psi->total[s], "psi: averaged more than stalled\n"))
			ok = false;
		for (int w = 0; w < 3; w++)
			if (WARN(psi->avg[s][w] > 100 * FIXED_1, "psi: avg above 100%%\n"))
				ok = false;
	}
	spin_unlock(&psi->lock);
	return ok;
}

static const struct proc_entry psi_entries[] = {
	{ "/proc/pressure/memory", pressure_memory_show, NULL, NULL },
};

static int psi_init(struct mmsim *m, char *err, size_t len)
{
	struct psi_state *psi = subsys_state(m, psi);
	u64 now = psi_now(m);
	int ret;

	spin_lock_init(&psi->lock);
	INIT_DELAYED_WORK(&psi->avgs_work, psi_avgs_work);
	psi->m = m;
	psi->state_start = now;
	psi->avg_last_update = now;
	psi->avg_next_update = now + PSI_PERIOD_NS;
	ret = proc_create_table(psi_entries);
	if (ret) {
		snprintf(err, len, "psi: cannot create /proc/pressure/memory (%d)", ret);
		return ret;
	}
	psi->ready = true;
	return 0;
}

static void psi_exit(struct mmsim *m)
{
	struct psi_state *psi = subsys_state(m, psi);

	psi->ready = false;
	cancel_delayed_work_sync(&psi->avgs_work);
}

static const struct initcall psi_initcalls[] = {
	fs_initcall(psi_init, psi_exit),
};

DEFINE_SUBSYSTEM(psi, SUBSYS_STATE(struct psi_state, NULL), SUBSYS_INITCALLS(psi_initcalls));
