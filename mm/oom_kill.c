// SPDX-License-Identifier: GPL-2.0
/*
 * mm/oom_kill.c - the OOM killer (Linux's mm/oom_kill.c, 6.x): when the
 * page allocator can neither find nor reclaim memory, choose the process
 * whose death frees the most, kill it, and have the OOM reaper take its
 * anonymous memory back before it has even exited.
 *
 * Design.
 *   out_of_memory(oc) runs under the machine's oom_lock (Linux takes the
 *   mutex in __alloc_pages_may_oom; mmsim takes it here, so sysrq and the
 *   allocator share it) and does what Linux does, in Linux's order:
 *     1. current already dying (SIGKILL pending or PF_EXITING) with an mm:
 *        it becomes a victim (the reserves: ALLOC_OOM) and is queued for
 *        the reaper; nothing is killed;
 *        mmsim: a dying current whose mm is already reaped kills nobody
 *        either (Linux goes on to the scan: its victim may be stuck; an
 *        mmsim task exits when its access returns);
 *     2. a request without __GFP_FS (and not sysrq's gfp 0) kills nothing;
 *     3. constrained_alloc: always CONSTRAINT_NONE (no cpusets, mempolicy
 *        or memcgs); totalpages = RAM + swap pages (oom_totalpages());
 *     4. vm.panic_on_oom: 1 or 2 dump the header and panic ("Out of
 *        memory: system-wide panic_on_oom is enabled" / "compulsory"), not
 *        for sysrq (order -1);
 *     5. vm.oom_kill_allocating_task: current is killed if it may be;
 *     6. select_bad_process: every process but init and kernel threads,
 *        in the machine's task order; oom_badness() = RSS + swap entries
 *        + page-table pages + oom_score_adj * (totalpages / 1000); LONG_MIN
 *        (never) for adj -1000, an mm with MMF_OOM_SKIP, or no mm.  The
 *        highest wins; a tie goes to the later task (Linux's `<` test).
 *        A victim still in flight (killed, its mm not yet reaped or freed)
 *        aborts the scan: killing another would be premature (not for
 *        sysrq);
 *     7. nobody to kill but victims already reaped and still alive (they
 *        exit when their accesses return): mmsim waits for them (true)
 *        instead of Linux's panic below;
 *        nobody to kill: the header, "Out of memory and no killable
 *        processes...", and (not for sysrq) panic("System is deadlocked on
 *        memory") -- except on a machine that runs no process at all
 *        (mmsim's kernel-only tests): there the OOM killer has nobody to
 *        weigh, says nothing and returns false, and the allocation fails
 *        with warn_alloc as it would without an OOM killer;
 *     8. oom_kill_process: the header (rate-limited as Linux's oom_rs) --
 *        "X invoked oom-killer: ...", dump_stack, Mem-Info (__show_mem),
 *        the unreclaimable slab caches when they outweigh the LRU pages,
 *        the task table if vm.oom_dump_tasks, the "oom-kill:" summary --
 *        then OOM_KILL is counted, SIGKILL is sent (kernel/signal.c:
 *        send_signal_locked) and "Out of memory: Killed process ..." logged.
 *
 * The victim's death (mmsim).  Linux's victim dies on its own CPU, later;
 * the allocator meanwhile retries.  mmsim has the same two cases:
 *   - the victim runs on a CPU (current of the allocator, or of another
 *     CPU): SIGKILL is pending, and it exits at that CPU's next
 *     exit_to_user_mode() -- its mmsim_user_read/write returns -EINTR;
 *   - the victim runs nowhere: DESIGN §3b makes it exit before the call
 *     that sent the signal returns.  The call is an allocation that may
 *     hold any lock (the victim's mmap_lock in swapoff, an inode lock in a
 *     write), so its exit (exit_mmap takes mmap_lock for writing) is work
 *     due at once: it runs when the allocating call returns to user mode
 *     (exit_to_user_mode runs due work), or at the next mmsim_advance_clock.
 *   Either way the victim is an OOM victim from the kill on: tsk_is_oom_victim
 *   is true (its allocations may use ALLOC_OOM), and select_bad_process
 *   waits for it.  The allocator that finds it still in flight does what
 *   its sleeping would let Linux's reaper do: it reaps the victim's mm at
 *   once (trylock only, so whatever it holds cannot deadlock), which sets
 *   MMF_OOM_SKIP; then it retries, and the next scan may choose another.
 *
 * The OOM reaper (Linux's oom_reaper kthread) is work in virtual time:
 * OOM_REAPER_DELAY (2 s) after the kill, unless the victim freed its mm
 * first (exit_mmap sets MMF_OOM_SKIP), it unmaps every private VMA of the
 * victim's mm (anonymous and private file; shared ones keep their pages)
 * under mmap_read_trylock, logs "oom_reaper: reaped process N (comm), now
 * anon-rss:..kB, file-rss:..kB, shmem-rss:..kB" and sets MMF_OOM_SKIP.  A
 * failed trylock is retried MAX_OOM_REAP_RETRIES (10) times HZ/10 apart
 * in virtual time, then "oom_reaper: unable to reap pid:N (comm)" and the
 * mm is hidden from the OOM killer all the same.  One reaping per victim:
 * the work and a waiting allocator claim it with an atomic flag.
 *
 * State (subsystem "oom_kill", per machine): the three vm sysctls
 * (panic_on_oom 0..2, oom_kill_allocating_task, oom_dump_tasks = 1), the
 * oom_lock, and the list of victims: each record holds a task reference,
 * an mm_count reference (mmgrab: Linux's signal->oom_mm), the reaper's
 * delayed work and the exit work.  A record goes when its task has exited
 * and neither work is pending or running (swept at each out_of_memory and
 * at shutdown, in a late initcall's exit so that it runs before the task
 * subsystem frees the tasks).
 *
 * Locking: oom_lock (a pthread mutex) -> tasklist_lock -> the log lock;
 * victims_lock (a spinlock) is innermost and guards the victim list and
 * each record's flags.  The scan reads a task's mm under tasklist_lock
 * (exit clears task->mm under it before mmput, so a non-NULL mm is live).
 * The reaping and the victim's exit run with neither oom_lock nor
 * tasklist_lock held.
 *
 * Invariants (oom_victims_are_valid): every record's task has a pending
 * SIGKILL, or is exiting, or has exited; a record's mm is the one the task
 * had when killed and stays allocated while the record lives; a reaped
 * record's mm has MMF_OOM_SKIP; at most one record per task.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/oom.h>
#include <mmsim/swap.h>
#include <mmsim/sysctl.h>
#include <mmsim/workqueue.h>
#include <mmsim/ratelimit.h>
#include <mmsim/vmstat.h>
#include <mmsim/mm_vma.h>
#include <mmsim/panic.h>
#include "kernel/internal.h"
#include "init/init.h"
#include "mm/slab.h"

#define K(x) ((x) << (PAGE_SHIFT - 10))

/* Linux's: the victim gets 2 s to exit by itself before the reaper acts. */
#define OOM_REAPER_DELAY	(2 * HZ)
#define MAX_OOM_REAP_RETRIES	10

struct oom_victim {
	struct list_head list;		/* on oom_state.victims */
	struct oom_state *st;
	struct mmsim *m;
	struct task_struct *task;	/* a reference (get_task_struct) */
	struct mm_struct *mm;		/* mmgrab'ed: Linux's signal->oom_mm */
	struct delayed_work reap_work;	/* the OOM reaper, OOM_REAPER_DELAY after the kill */
	struct work_struct exit_work;	/* the victim's exit when it ran on no CPU */
	bool reap_queued;		/* MMF_OOM_REAP_QUEUED */
	bool reap_claimed;		/* the reaping ran or runs (once per victim) */
	bool reap_done;			/* the reaper work returned (touches @v no more) */
	bool exit_queued, exit_done;	/* the same for the exit work */
	int running;			/* reapings and exits running now */
};

struct oom_state {
	int panic_on_oom;
	int oom_kill_allocating_task;
	int oom_dump_tasks;
	bool ready;
	pthread_mutex_t oom_lock;	/* serializes out_of_memory */
	spinlock_t victims_lock;
	struct list_head victims;
};

static const struct oom_state oom_template = {
	.oom_dump_tasks = 1,
};

static struct oom_state *oom_state_of(struct mmsim *m)
{
	return m ? subsys_state(m, oom_kill) : NULL;
}

static bool is_sysrq_oom(const struct oom_control *oc)
{
	return oc->order == -1;
}

/* oom_unkillable_task(): init and kernel threads. */
static bool oom_unkillable_task(struct task_struct *p)
{
	struct task_state *ts = task_state_of(p->machine);

	return p == ts->init_task || (p->flags & PF_KTHREAD);
}

static struct oom_victim *find_victim_locked(struct oom_state *st, struct task_struct *t)
{
	struct oom_victim *v;

	list_for_each_entry(v, &st->victims, list)
		if (v->task == t)
			return v;
	return NULL;
}

bool tsk_is_oom_victim(struct task_struct *t)
{
	struct oom_state *st;
	bool ret;

	if (!t)
		return false;
	st = oom_state_of(t->machine);
	if (!st || !st->ready)
		return false;
	spin_lock(&st->victims_lock);
	ret = find_victim_locked(st, t) != NULL;
	spin_unlock(&st->victims_lock);
	return ret;
}

static bool mm_oom_skip(struct mm_struct *mm)
{
	return __atomic_load_n(&mm->flags, __ATOMIC_ACQUIRE) & (1UL << MMF_OOM_SKIP);
}

static void set_mm_oom_skip(struct mm_struct *mm)
{
	__atomic_fetch_or(&mm->flags, 1UL << MMF_OOM_SKIP, __ATOMIC_RELEASE);
}

/* ---------------------------------------------------------------------
 * Badness
 */

unsigned long oom_totalpages(void)
{
	struct mmsim *m = current_machine();
	long swap = get_total_swap_pages();

	if (!m)
		return 0;
	return (unsigned long)atomic_long_read(&m->totalram_pages) + (swap > 0 ? (unsigned long)swap : 0);
}

/* The badness of @p whose mm is @mm (stable: tasklist_lock held or a reference). */
static long mm_badness(struct task_struct *p, struct mm_struct *mm, unsigned long totalpages)
{
	long points, adj = READ_ONCE(p->signal->oom_score_adj);

	if (adj == OOM_SCORE_ADJ_MIN || mm_oom_skip(mm))
		return LONG_MIN;
	/* The proportion of RAM that the task's rss, page tables and swap use. */
	points = (long)(get_mm_rss(mm) + get_mm_counter(mm, MM_SWAPENTS) +
			mm_pgtables_bytes(mm) / PAGE_SIZE);
	/* Normalized to oom_score_adj units. */
	adj *= (long)(totalpages / 1000);
	return points + adj;
}

static long oom_badness_locked(struct task_struct *p, unsigned long totalpages)
{
	if (oom_unkillable_task(p) || !p->mm)
		return LONG_MIN;
	return mm_badness(p, p->mm, totalpages);
}

/**
 * oom_badness - how good a victim @p is (Linux >= 5.9)
 * @p: the task
 * @totalpages: RAM + swap pages (oom_totalpages())
 *
 * Return: RSS + swap entries + page-table pages, plus oom_score_adj *
 * totalpages / 1000; LONG_MIN if it must not be killed (init, a kernel
 * thread, no mm, oom_score_adj -1000, MMF_OOM_SKIP).
 * Context: takes tasklist_lock; do not hold it.
 */
long oom_badness(struct task_struct *p, unsigned long totalpages)
{
	struct task_state *ts;
	long points;

	if (!p)
		return LONG_MIN;
	ts = task_state_of(p->machine);
	tasklist_lock(ts);
	points = oom_badness_locked(p, totalpages);
	tasklist_unlock(ts);
	return points;
}

/* ---------------------------------------------------------------------
 * The report
 */

static const char *const oom_constraint_text[] = {
	[CONSTRAINT_NONE] = "CONSTRAINT_NONE",
	[CONSTRAINT_CPUSET] = "CONSTRAINT_CPUSET",
	[CONSTRAINT_MEMORY_POLICY] = "CONSTRAINT_MEMORY_POLICY",
	[CONSTRAINT_MEMCG] = "CONSTRAINT_MEMCG",
};

/* mems_allowed as %*pbl prints it: "0", "0-1", ... */
static void mems_allowed_str(char *buf, size_t len)
{
	int n = current_machine()->nr_nodes;

	if (n > 1)
		snprintf(buf, len, "0-%d", n - 1);
	else
		snprintf(buf, len, "0");
}

/* The name of the context that called the OOM killer (Linux: current->comm). */
static void caller_comm(char *buf, size_t len, short *adj)
{
	struct task_struct *t = current;

	*adj = 0;
	if (t) {
		snprintf(buf, len, "%s", t->comm);
		*adj = READ_ONCE(t->signal->oom_score_adj);
	} else if (wq_in_worker()) {
		snprintf(buf, len, "kworker/%d:1", smp_processor_id());	/* sysrq's moom work */
	} else {
		snprintf(buf, len, "%s", current_machine()->comm);
	}
}

/*
 * should_dump_unreclaim_slab(): unreclaimable slab larger than all user
 * memory (the LRU pages) -- the kernel itself ate the memory.
 */
static bool should_dump_unreclaim_slab(void)
{
	unsigned long nr_lru;

	nr_lru = global_node_page_state(NR_ACTIVE_ANON) + global_node_page_state(NR_INACTIVE_ANON) +
		 global_node_page_state(NR_ACTIVE_FILE) + global_node_page_state(NR_INACTIVE_FILE) +
		 global_node_page_state(NR_ISOLATED_ANON) + global_node_page_state(NR_ISOLATED_FILE) +
		 global_node_page_state(NR_UNEVICTABLE);
	return (global_node_page_state(NR_SLAB_UNRECLAIMABLE_B) >> PAGE_SHIFT) > nr_lru;
}

/* dump_unreclaimable_slab() (Linux's, mm/slab_common.c): the caches to blame. */
static void dump_unreclaimable_slab(void)
{
	struct slab_globals *sg = slab_globals();
	struct kmem_cache *s;
	struct slabinfo sinfo;

	/* Sleeping on slab_mutex in the OOM path is risky: trylock, as Linux. */
	if (pthread_mutex_trylock(&sg->slab_mutex)) {
		pr_warn("excessive unreclaimable slab but cannot dump stats\n");
		return;
	}
	pr_info("Unreclaimable slab info:\n");
	pr_info("Name                      Used          Total\n");
	list_for_each_entry(s, &sg->slab_caches, list) {
		if (s->flags & SLAB_RECLAIM_ACCOUNT)
			continue;
		get_slabinfo(s, &sinfo);
		if (sinfo.num_objs > 0)
			pr_info("%-17s %10luKB %10luKB\n", s->name,
				(sinfo.active_objs * s->size) / 1024, (sinfo.num_objs * s->size) / 1024);
	}
	pthread_mutex_unlock(&sg->slab_mutex);
}

/* dump_tasks(): one line per process with an mm (tasklist_lock held). */
static void dump_tasks_locked(struct task_state *ts)
{
	struct task_struct *p;

	pr_info("Tasks state (memory values in pages):\n");
	pr_info("[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name\n");
	list_for_each_entry(p, &ts->tasks, tasks) {
		struct mm_struct *mm = p->mm;

		if (oom_unkillable_task(p) || !mm)
			continue;
		pr_info("[%7d] %5d %5d %8lu %8lu %8lu %8lu %9lu %8ld %8lu         %5hd %s\n",
			p->pid, 0, p->tgid, mm->total_vm, get_mm_rss(mm),
			get_mm_counter(mm, MM_ANONPAGES), get_mm_counter(mm, MM_FILEPAGES),
			get_mm_counter(mm, MM_SHMEMPAGES), (long)mm_pgtables_bytes(mm),
			get_mm_counter(mm, MM_SWAPENTS), READ_ONCE(p->signal->oom_score_adj),
			p->comm);
	}
}

/* dump_header(): the report before a kill (or a panic, with @victim NULL). */
static void dump_header(struct oom_state *st, struct oom_control *oc, struct task_struct *victim)
{
	struct task_state *ts = task_state_of(current_machine());
	char comm[TASK_COMM_LEN + 16], flags[256], mems[16];
	short adj;

	caller_comm(comm, sizeof(comm), &adj);
	format_gfp_flags(oc->gfp_mask, flags, sizeof(flags));
	pr_warn("%s invoked oom-killer: gfp_mask=0x%x(%s), order=%d, oom_score_adj=%hd\n", comm,
		(unsigned int)oc->gfp_mask, flags, oc->order, adj);
	dump_stack();
	__show_mem(0, gfp_zone(oc->gfp_mask));
	if (should_dump_unreclaim_slab())
		dump_unreclaimable_slab();
	tasklist_lock(ts);
	if (READ_ONCE(st->oom_dump_tasks))
		dump_tasks_locked(ts);
	if (victim) {
		mems_allowed_str(mems, sizeof(mems));
		/* dump_oom_summary(): cpuset and memcg context of the root. */
		pr_info("oom-kill:constraint=%s,nodemask=(null),cpuset=/,mems_allowed=%s,global_oom,task_memcg=/,task=%s,pid=%d,uid=%d\n",
			oom_constraint_text[oc->constraint], mems, victim->comm, victim->pid, 0);
	}
	tasklist_unlock(ts);
}

/* ---------------------------------------------------------------------
 * Victims and the OOM reaper
 */

/* @t has exited (tasklist_lock held: exit_state changes under it). */
static bool task_exited(struct task_struct *t)
{
	return t->exit_state != 0;
}

/* Free the records whose task exited and whose works are idle. */
static void sweep_victims(struct mmsim *m, struct oom_state *st)
{
	struct task_state *ts = task_state_of(m);
	struct oom_victim *v, *n;
	LIST_HEAD(dead);

	tasklist_lock(ts);
	spin_lock(&st->victims_lock);
	list_for_each_entry_safe(v, n, &st->victims, list) {
		/* A work may run on another thread until it says it is done. */
		if (!task_exited(v->task) || v->running || (v->reap_queued && !v->reap_done) ||
		    (v->exit_queued && !v->exit_done))
			continue;
		list_move(&v->list, &dead);
	}
	spin_unlock(&st->victims_lock);
	tasklist_unlock(ts);
	list_for_each_entry_safe(v, n, &dead, list) {
		list_del(&v->list);
		mmdrop(v->mm);
		put_task_struct(v->task);
		free(v);
	}
}

/* __oom_reap_task_mm(): unmap every private VMA; false if one could not be. */
static bool __oom_reap_task_mm(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	VMA_ITERATOR(vmi, mm, 0);

	/* Readers of the victim's memory may see it vanish (get_user & co. fault). */
	__atomic_fetch_or(&mm->flags, 1UL << MMF_UNSTABLE, __ATOMIC_RELEASE);
	for_each_vma(vmi, vma) {
		if (vma->vm_flags & (VM_HUGETLB | VM_PFNMAP))
			continue;
		/*
		 * Only anonymous (and private file) pages go away without I/O;
		 * shared file pages stay for the page cache's owner.
		 */
		if (vma_is_anonymous(vma) || !(vma->vm_flags & VM_SHARED))
			zap_page_range_single(vma, vma->vm_start, vma->vm_end - vma->vm_start, NULL);
	}
	return true;
}

/* oom_reap_task_mm(): false if the mm could not be locked (try again). */
static bool oom_reap_task_mm(struct task_struct *tsk, struct mm_struct *mm)
{
	bool ret = true;

	if (!mmap_read_trylock(mm))
		return false;
	/* MMF_OOM_SKIP: exit_mmap got there first (under mmap_lock). */
	if (mm_oom_skip(mm))
		goto out_unlock;
	ret = __oom_reap_task_mm(mm);
	if (!ret)
		goto out_unlock;
	pr_info("oom_reaper: reaped process %d (%s), now anon-rss:%lukB, file-rss:%lukB, shmem-rss:%lukB\n",
		task_pid_nr(tsk), tsk->comm, K(get_mm_counter(mm, MM_ANONPAGES)),
		K(get_mm_counter(mm, MM_FILEPAGES)), K(get_mm_counter(mm, MM_SHMEMPAGES)));
out_unlock:
	mmap_read_unlock(mm);
	return ret;
}

/* oom_reap_task(): reap @v once (whoever claims it first). */
static void oom_reap_task(struct oom_victim *v)
{
	struct oom_state *st = v->st;
	struct mm_struct *mm = v->mm;
	int attempts = 0;

	spin_lock(&st->victims_lock);
	if (v->reap_claimed) {
		spin_unlock(&st->victims_lock);
		return;
	}
	v->reap_claimed = true;
	v->running++;
	spin_unlock(&st->victims_lock);

	/* Retry the mmap_read_trylock a few times, HZ/10 of virtual time apart. */
	while (attempts++ < MAX_OOM_REAP_RETRIES && !oom_reap_task_mm(v->task, mm))
		io_wait_advance_clock(v->m, (u64)1000000000 / 10);
	if (attempts > MAX_OOM_REAP_RETRIES && !mm_oom_skip(mm))
		pr_info("oom_reaper: unable to reap pid:%d (%s)\n", task_pid_nr(v->task),
			v->task->comm);
	/* Hide this mm from the OOM killer: reaped, or its lock is held for good. */
	set_mm_oom_skip(mm);

	spin_lock(&st->victims_lock);
	v->running--;
	spin_unlock(&st->victims_lock);
}

static void oom_reaper_fn(struct work_struct *work)
{
	struct oom_victim *v = container_of(to_delayed_work(work), struct oom_victim, reap_work);

	/* The victim managed to terminate on its own (exit_mmap). */
	if (!mm_oom_skip(v->mm))
		oom_reap_task(v);
	spin_lock(&v->st->victims_lock);
	v->reap_done = true;		/* last touch of @v */
	spin_unlock(&v->st->victims_lock);
}

/* The exit of a victim that ran on no CPU (see the file comment). */
static void oom_victim_exit_fn(struct work_struct *work)
{
	struct oom_victim *v = container_of(work, struct oom_victim, exit_work);
	struct task_struct *t = v->task;
	int sig;

	struct task_state *ts = task_state_of(v->m);
	bool go;

	spin_lock(&v->st->victims_lock);
	v->running++;
	spin_unlock(&v->st->victims_lock);
	tasklist_lock(ts);
	go = !task_exited(t) && !(t->flags & PF_EXITING) && t->on_cpu < 0;
	sig = t->signal->group_exit_code & 0x7f;
	tasklist_unlock(ts);
	/* do_exit_task checks again under the lock: one exit only. */
	if (go)
		do_exit_task(t, sig ? sig : SIGKILL);
	spin_lock(&v->st->victims_lock);
	v->running--;
	v->exit_done = true;		/* last touch of @v */
	spin_unlock(&v->st->victims_lock);
}

/*
 * mark_oom_victim(): @tsk (whose mm is @mm, stable) becomes a victim: the
 * reserves, a record, the reaper queued (queue_oom_reaper) unless @no_reap.
 * Returns the record, or NULL on host OOM.
 */
static struct oom_victim *mark_oom_victim(struct oom_state *st, struct task_struct *tsk,
					  struct mm_struct *mm, bool no_reap)
{
	struct oom_victim *v, *fresh = NULL;

	spin_lock(&st->victims_lock);
	v = find_victim_locked(st, tsk);
	spin_unlock(&st->victims_lock);
	if (!v) {
		fresh = calloc(1, sizeof(*fresh));
		if (!fresh)
			return NULL;
		fresh->st = st;
		fresh->m = tsk->machine;
		fresh->task = tsk;
		get_task_struct(tsk);
		fresh->mm = mm;
		mmgrab(mm);
		INIT_DELAYED_WORK(&fresh->reap_work, oom_reaper_fn);
		INIT_WORK(&fresh->exit_work, oom_victim_exit_fn);
		spin_lock(&st->victims_lock);
		list_add_tail(&fresh->list, &st->victims);
		spin_unlock(&st->victims_lock);
		v = fresh;
	}
	if (!no_reap) {
		spin_lock(&st->victims_lock);
		if (v->reap_queued) {
			spin_unlock(&st->victims_lock);
			return v;
		}
		v->reap_queued = true;
		spin_unlock(&st->victims_lock);
		queue_delayed_work(system_unbound_wq, &v->reap_work, OOM_REAPER_DELAY);
	}
	return v;
}

/* task_will_free_mem(): @task (mm stable) is dying and will let go of its mm. */
static bool task_will_free_mem(struct task_struct *task)
{
	struct mm_struct *mm = task->mm;

	if (!mm)
		return false;
	if (!fatal_signal_pending(task) && !(task->flags & PF_EXITING))
		return false;
	/* Already drained by the reaper: little more to come. */
	if (mm_oom_skip(mm))
		return false;
	/* mmsim's processes never share an mm (no CLONE_VM): nobody else pins it. */
	return true;
}

/* __oom_kill_process(): SIGKILL, the reserves, the log line, the reaper. */
static void __oom_kill_process(struct oom_state *st, struct task_struct *victim, const char *message)
{
	struct task_state *ts = task_state_of(victim->machine);
	struct mm_struct *mm;
	struct oom_victim *v;
	bool now;

	tasklist_lock(ts);
	mm = victim->mm;
	if (!mm) {
		tasklist_unlock(ts);
		pr_info("%s: OOM victim %d (%s) is already exiting. Skip killing the task\n",
			message, task_pid_nr(victim), victim->comm);
		return;
	}
	mmgrab(mm);
	/* Raise the event before the signal: the reaper must see it. */
	count_vm_event(OOM_KILL);
	now = send_signal_locked(SIGKILL, victim, false);
	pr_err("%s: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, file-rss:%lukB, shmem-rss:%lukB, UID:%u pgtables:%lukB oom_score_adj:%hd\n",
	       message, task_pid_nr(victim), victim->comm, K(mm->total_vm),
	       K(get_mm_counter(mm, MM_ANONPAGES)), K(get_mm_counter(mm, MM_FILEPAGES)),
	       K(get_mm_counter(mm, MM_SHMEMPAGES)), 0u, mm_pgtables_bytes(mm) >> 10,
	       READ_ONCE(victim->signal->oom_score_adj));
	tasklist_unlock(ts);

	v = mark_oom_victim(st, victim, mm, false);
	/* It runs nowhere: it exits when this call returns to user mode. */
	if (v && now) {
		spin_lock(&st->victims_lock);
		v->exit_queued = true;
		spin_unlock(&st->victims_lock);
		queue_work(system_unbound_wq, &v->exit_work);
	}
	mmdrop(mm);
}

/* oom_kill_process(): @oc->chosen (a reference) is killed, or just marked if dying. */
static void oom_kill_process(struct oom_state *st, struct oom_control *oc, const char *message)
{
	static DEFINE_RATELIMIT_STATE(oom_rs, DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST);
	struct task_struct *victim = oc->chosen;
	struct task_state *ts = task_state_of(victim->machine);
	bool dying;

	/* Already exiting: no alarm, just the reserves so that it dies quickly. */
	tasklist_lock(ts);
	dying = task_will_free_mem(victim);
	if (dying) {
		struct mm_struct *mm = victim->mm;

		mmgrab(mm);
		tasklist_unlock(ts);
		mark_oom_victim(st, victim, mm, false);
		mmdrop(mm);
		put_task_struct(victim);
		return;
	}
	tasklist_unlock(ts);

	if (__ratelimit(&oom_rs))
		dump_header(st, oc, victim);
	__oom_kill_process(st, victim, message);
	put_task_struct(victim);
}

/* check_panic_on_oom(): vm.panic_on_oom.  True if the machine panicked. */
static bool check_panic_on_oom(struct oom_state *st, struct oom_control *oc)
{
	int mode = READ_ONCE(st->panic_on_oom);

	if (!mode)
		return false;
	/* panic_on_oom == 1 only for CONSTRAINT_NONE (no cpuset, mempolicy or memcg). */
	if (mode != 2 && oc->constraint != CONSTRAINT_NONE)
		return false;
	/* Never for sysrq. */
	if (is_sysrq_oom(oc))
		return false;
	dump_header(st, oc, NULL);
	panic("Out of memory: %s panic_on_oom is enabled\n",
	      mode == 2 ? "compulsory" : "system-wide");
	return true;
}

/*
 * select_bad_process(): the highest badness wins; @*inflight gets a
 * victim still in flight (its reference) when the scan is aborted for it.
 */
static void select_bad_process(struct oom_state *st, struct oom_control *oc,
			       struct task_struct **inflight)
{
	struct task_state *ts = task_state_of(current_machine());
	struct task_struct *p;

	oc->chosen = NULL;
	oc->chosen_points = LONG_MIN;
	*inflight = NULL;
	tasklist_lock(ts);
	list_for_each_entry(p, &ts->tasks, tasks) {
		struct oom_victim *v;
		long points;

		if (oom_unkillable_task(p))
			continue;
		/*
		 * A victim with the reserves is being killed: do not kill
		 * another unless its mm is already reaped (MMF_OOM_SKIP).
		 */
		if (!is_sysrq_oom(oc)) {
			spin_lock(&st->victims_lock);
			v = find_victim_locked(st, p);
			spin_unlock(&st->victims_lock);
			if (v) {
				if (mm_oom_skip(v->mm))
					continue;
				get_task_struct(p);
				*inflight = p;
				oc->chosen = (void *)-1UL;
				break;
			}
		}
		points = oom_badness_locked(p, oc->totalpages);
		if (points == LONG_MIN || points < oc->chosen_points)
			continue;
		oc->chosen = p;
		oc->chosen_points = points;
	}
	if (oc->chosen && oc->chosen != (void *)-1UL)
		get_task_struct(oc->chosen);
	tasklist_unlock(ts);
}

/* Some task other than init and kernel threads has an address space. */
static bool machine_has_processes(struct mmsim *m)
{
	struct task_state *ts = task_state_of(m);
	struct task_struct *p;
	bool found = false;

	tasklist_lock(ts);
	list_for_each_entry(p, &ts->tasks, tasks) {
		if (!oom_unkillable_task(p) && p->mm) {
			found = true;
			break;
		}
	}
	tasklist_unlock(ts);
	return found;
}

/* A victim has not exited yet. */
static bool victims_alive(struct mmsim *m, struct oom_state *st)
{
	struct task_state *ts = task_state_of(m);
	struct oom_victim *v;
	bool alive = false;

	tasklist_lock(ts);
	spin_lock(&st->victims_lock);
	list_for_each_entry(v, &st->victims, list)
		if (!task_exited(v->task))
			alive = true;
	spin_unlock(&st->victims_lock);
	tasklist_unlock(ts);
	return alive;
}

/* The allocator waits for an in-flight victim: its mm is reaped now (see above). */
static void wait_for_victim(struct oom_state *st, struct task_struct *t)
{
	struct oom_victim *v;

	spin_lock(&st->victims_lock);
	v = find_victim_locked(st, t);
	if (v)
		v->running++;
	spin_unlock(&st->victims_lock);
	if (!v)
		return;
	if (!mm_oom_skip(v->mm))
		oom_reap_task(v);
	spin_lock(&st->victims_lock);
	v->running--;
	spin_unlock(&st->victims_lock);
}

/**
 * out_of_memory - kill the "best" process when we run out of memory
 * @oc: the request (zonelist, gfp_mask, order; order -1: sysrq)
 *
 * Return: true if memory will be freed (a victim was killed, one is
 * dying, or the request may not kill); false if nothing could be done.
 */
bool out_of_memory(struct oom_control *oc)
{
	struct mmsim *m = current_machine();
	struct oom_state *st = oom_state_of(m);
	struct task_struct *self = current, *inflight = NULL;
	struct mm_struct *mm = NULL;
	bool ret;

	if (!st || !st->ready || mmsim_halted(m))
		return false;
	pthread_mutex_lock(&st->oom_lock);
	sweep_victims(m, st);

	/*
	 * current dying (SIGKILL pending or exiting): it gets the reserves
	 * so that it may exit quickly and free its memory.
	 */
	if (self) {
		struct task_state *ts = task_state_of(m);

		tasklist_lock(ts);
		if (task_will_free_mem(self)) {
			mm = self->mm;
			mmgrab(mm);
		}
		tasklist_unlock(ts);
		if (mm) {
			mark_oom_victim(st, self, mm, false);
			mmdrop(mm);
			pthread_mutex_unlock(&st->oom_lock);
			return true;
		}
		/*
		 * mmsim: a dying current whose mm is already reaped
		 * (MMF_OOM_SKIP) kills nobody else either: unlike Linux's,
		 * it cannot be stuck -- it exits when this access returns.
		 */
		if (fatal_signal_pending(self)) {
			pthread_mutex_unlock(&st->oom_lock);
			return true;
		}
	}

	/*
	 * The OOM killer does not compensate for IO-less reclaim (0: sysrq
	 * and the page-fault path carry no gfp context).
	 */
	if (oc->gfp_mask && !(oc->gfp_mask & __GFP_FS)) {
		pthread_mutex_unlock(&st->oom_lock);
		return true;
	}

	/* constrained_alloc(): no cpusets, mempolicies or memcgs here. */
	oc->constraint = CONSTRAINT_NONE;
	oc->totalpages = oom_totalpages() ? oom_totalpages() : 1;
	oc->nodemask = NULL;
	if (check_panic_on_oom(st, oc)) {
		pthread_mutex_unlock(&st->oom_lock);
		return false;
	}

	if (READ_ONCE(st->oom_kill_allocating_task) && self && self->mm &&
	    !oom_unkillable_task(self) &&
	    READ_ONCE(self->signal->oom_score_adj) != OOM_SCORE_ADJ_MIN) {
		get_task_struct(self);
		oc->chosen = self;
		oom_kill_process(st, oc, "Out of memory (oom_kill_allocating_task)");
		pthread_mutex_unlock(&st->oom_lock);
		return true;
	}

	select_bad_process(st, oc, &inflight);
	/*
	 * mmsim: a machine that runs no process at all (kernel-only tests)
	 * has nobody to weigh: the allocation fails as it did before the OOM
	 * killer, with warn_alloc's report, instead of the panic below.
	 */
	if (!oc->chosen && !machine_has_processes(m)) {
		pthread_mutex_unlock(&st->oom_lock);
		return false;
	}
	/*
	 * mmsim: victims already reaped but still alive (on other CPUs, or
	 * exiting when this call returns) will free the rest: no panic.
	 */
	if (!oc->chosen && !is_sysrq_oom(oc) && victims_alive(m, st)) {
		pthread_mutex_unlock(&st->oom_lock);
		return true;
	}
	/* Found nothing?!?! */
	if (!oc->chosen) {
		dump_header(st, oc, NULL);
		pr_warn("Out of memory and no killable processes...\n");
		/*
		 * A real allocation at the system level cannot survive this:
		 * it would loop in the allocator for ever.
		 */
		if (!is_sysrq_oom(oc))
			panic("System is deadlocked on memory\n");
	}
	ret = oc->chosen != NULL;
	if (oc->chosen && oc->chosen != (void *)-1UL)
		oom_kill_process(st, oc, "Out of memory");
	pthread_mutex_unlock(&st->oom_lock);

	if (inflight) {
		if (inflight != self)
			wait_for_victim(st, inflight);
		put_task_struct(inflight);
	}
	return ret;
}

/**
 * pagefault_out_of_memory - a page fault returned VM_FAULT_OOM
 *
 * Linux's: the allocation that failed has run the OOM killer already; a
 * task with a fatal signal pending just returns (to die), anything else
 * logs "Huh VM_FAULT_OOM leaked out to the #PF handler. Retrying PF" and
 * the fault is retried.  mmsim's user accesses do not retry a failed
 * fault (arch/fault.c returns the error), so the task that would loop
 * retrying is killed instead (SIGKILL, acted on before the access
 * returns: -EINTR).
 */
void pagefault_out_of_memory(void)
{
	static DEFINE_RATELIMIT_STATE(pfoom_rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);
	struct task_struct *t = current;

	if (!t || mmsim_halted(current_machine()))
		return;
	if (fatal_signal_pending(t))
		return;
	if (__ratelimit(&pfoom_rs))
		pr_warn("Huh VM_FAULT_OOM leaked out to the #PF handler. Retrying PF\n");
	force_sig(SIGKILL);
}

/* ---------------------------------------------------------------------
 * The checker
 */

/**
 * oom_victims_are_valid - the invariants of the victim records (file comment)
 *
 * Return: true, or false after a WARN naming the first problem.
 */
bool oom_victims_are_valid(struct mmsim *m)
{
	struct oom_state *st = oom_state_of(m);
	struct oom_victim *v, *w;
	bool ok = true;

	if (!st || !st->ready)
		return true;
	tasklist_lock(task_state_of(m));
	spin_lock(&st->victims_lock);
	list_for_each_entry(v, &st->victims, list) {
		struct task_struct *t = v->task;

		if (!fatal_signal_pending(t) && !(t->flags & PF_EXITING) && !task_exited(t)) {
			WARN(1, "oom: victim %d (%s) is neither killed nor exiting\n", t->pid, t->comm);
			ok = false;
			break;
		}
		if (v->reap_claimed && !v->running && !mm_oom_skip(v->mm)) {
			WARN(1, "oom: victim %d (%s) reaped without MMF_OOM_SKIP\n", t->pid, t->comm);
			ok = false;
			break;
		}
		if (t->mm && t->mm != v->mm) {
			WARN(1, "oom: victim %d (%s) changed its mm\n", t->pid, t->comm);
			ok = false;
			break;
		}
		list_for_each_entry(w, &st->victims, list) {
			if (w != v && w->task == t) {
				WARN(1, "oom: victim %d (%s) recorded twice\n", t->pid, t->comm);
				ok = false;
				break;
			}
		}
		if (!ok)
			break;
	}
	spin_unlock(&st->victims_lock);
	tasklist_unlock(task_state_of(m));
	return ok;
}

/* ---------------------------------------------------------------------
 * The subsystem: sysctls, the lock, the victim list
 */

static const int two = 2;

static int oom_sysctl_init(struct mmsim *m, char *err, size_t len)
{
	struct oom_state *st = subsys_state(m, oom_kill);
	const struct ctl_table table[] = {
		{ .procname = "oom_dump_tasks", .data = &st->oom_dump_tasks,
		  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec },
		{ .procname = "oom_kill_allocating_task", .data = &st->oom_kill_allocating_task,
		  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec },
		{ .procname = "panic_on_oom", .data = &st->panic_on_oom,
		  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax,
		  .extra1 = SYSCTL_ZERO, .extra2 = &two },
	};
	int ret = register_sysctl("vm", table);

	if (ret)
		snprintf(err, len, "oom_kill: cannot register the vm sysctls (%d)", ret);
	return ret;
}

static int oom_init(struct mmsim *m, char *err, size_t len)
{
	struct oom_state *st = subsys_state(m, oom_kill);	/* never NULL at init */

	(void)err;
	(void)len;
	pthread_mutex_init(&st->oom_lock, NULL);
	spin_lock_init(&st->victims_lock);
	INIT_LIST_HEAD(&st->victims);
	st->ready = true;
	return 0;
}

static void oom_exit(struct mmsim *m)
{
	struct oom_state *st = oom_state_of(m);

	st->ready = false;
	pthread_mutex_destroy(&st->oom_lock);
}

static int oom_late_init(struct mmsim *m, char *err, size_t len)
{
	(void)m;
	(void)err;
	(void)len;
	return 0;
}

/* Before the tasks go (the pid subsystem's exit): drop every record. */
static void oom_late_exit(struct mmsim *m)
{
	struct oom_state *st = oom_state_of(m);
	struct oom_victim *v, *n;

	list_for_each_entry_safe(v, n, &st->victims, list) {
		cancel_delayed_work_sync(&v->reap_work);
		cancel_work_sync(&v->exit_work);
		list_del(&v->list);
		mmdrop(v->mm);
		put_task_struct(v->task);
		free(v);
	}
}

static const struct initcall oom_initcalls[] = {
	core_initcall(oom_init, oom_exit),
	fs_initcall(oom_sysctl_init, NULL),
	late_initcall(oom_late_init, oom_late_exit),
};

DEFINE_SUBSYSTEM(oom_kill, SUBSYS_STATE(struct oom_state, &oom_template),
		 SUBSYS_INITCALLS(oom_initcalls));
