// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_process_stress_mt.c - a randomized, seeded stress of whole
 * processes across CPUs: mmap, munmap, mprotect, mremap, fork, exit, kill,
 * wait4 and user reads/writes, with mm_is_valid() after every step and
 * mm_mapcounts_are_valid() whenever the CPUs meet, and at the end every
 * page back in the buddy allocator (exactly, once caches are shrunk and
 * per-CPU lists drained).
 *
 * Design.  NSETS sets of processes, one per CPU; each set has its own
 * xorshift generator seeded from SEED and its index, an arena of
 * ARENA_PAGES pages at the same address in every process, and a shadow of
 * each process's arena: per page the protection (-1 unmapped), the byte
 * every byte of the page holds (-2 unknown: shared pages), whether it is
 * shared, and the id of the operation that mapped it (pages with one id
 * lie in one VMA, so mremap of such a run is well defined).  A step picks
 * an operation from the set's generator, runs it as the set's current
 * process, checks the result against the shadow and updates it, then
 * calls mm_is_valid(current->mm).  Every ROTATE steps the threads meet at
 * a barrier, go idle (their CPUs keep the mms lazily loaded, so later
 * unmaps and protection changes shoot down TLB entries on other CPUs),
 * check every mapcount and the task invariants (tasks_are_valid), and
 * each takes the next CPU's set.  The sequence
 * of operations of a set depends only on its seed, never on timing.
 *
 * Deliberate faults (a read of an unmapped or PROT_NONE page, a write to
 * a read-only one) kill the process with SIGSEGV; its parent (when in the
 * set) reaps it with that status.  SEED and STEPS can be set in the
 * environment (MMSIM_STRESS_SEED, MMSIM_STRESS_STEPS).
 *
 * Labelled `threaded` (the _mt suffix): `make test` runs it under TSan.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <mmsim/sched.h>
#include <mmsim/signal.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include <mmsim/slab.h>
#include <mmsim/mmu.h>
#include "kernel/internal.h"
#include "mmtest.h"
#include <mmsim/swap.h>

#define NSETS		3
#define ARENA_PAGES	48
#define MAX_PROCS	5
#define ROTATE		100
#if defined(__SANITIZE_THREAD__)
#define DEFAULT_STEPS	1200		/* TSan is ~5x slower */
#else
#define DEFAULT_STEPS	3000
#endif

static struct mmsim *machine;
static unsigned long page_size, arena_base;
static int steps = DEFAULT_STEPS;
static unsigned long seed = 0x5eed;
static atomic_int failures;
static atomic_int nr_forks, nr_exits, nr_kills, nr_segv, nr_reaped, nr_moves, nr_shoot;
static pthread_barrier_t barrier;

#define CHECK(cond, set, what)							\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "%s:%d: set %d step %d: %s: %s\n",	\
				__FILE__, __LINE__, (set)->id, (set)->step, what, #cond); \
			atomic_fetch_add(&failures, 1);			\
		}								\
	} while (0)

struct shadow_page {
	int prot;		/* PROT_*, or -1: unmapped */
	int val;		/* every byte's value; -2 unknown (shared) */
	bool shared;
	unsigned int id;	/* the mapping operation (VMA provenance) */
};

struct proc {
	struct task_struct *t;
	pid_t pid;
	struct proc *parent;	/* in the set, or NULL (init's) */
	bool alive;		/* not exited */
	bool zombie_unreaped;	/* exited, a live parent in the set must reap it */
	int expect_status;	/* wait status expected when reaped */
	struct shadow_page pg[ARENA_PAGES];
};

struct set {
	int id, step;
	u64 rng;
	unsigned int next_id;
	struct proc procs[MAX_PROCS * 4];
	int nprocs;
	struct proc *cur;
};

static struct set sets[NSETS];

static u64 rnd(struct set *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return s->rng;
}

static unsigned int rnd_below(struct set *s, unsigned int n)
{
	return (unsigned int)(rnd(s) % n);
}

static unsigned long pva(int i)
{
	return arena_base + (unsigned long)i * page_size;
}

static int live_count(struct set *s)
{
	int n = 0;

	for (int i = 0; i < s->nprocs; i++)
		n += s->procs[i].alive;
	return n;
}

/* Compact the table: drop processes that are gone for good. */
static void gc_procs(struct set *s)
{
	int j = 0;

	for (int i = 0; i < s->nprocs; i++) {
		struct proc *p = &s->procs[i];

		if (p->alive || p->zombie_unreaped) {
			if (i != j) {
				s->procs[j] = *p;
				if (s->cur == p)
					s->cur = &s->procs[j];
				for (int k = 0; k < s->nprocs; k++)
					if (s->procs[k].parent == p)
						s->procs[k].parent = &s->procs[j];
			}
			j++;
		} else {
			for (int k = 0; k < s->nprocs; k++)
				if (s->procs[k].parent == p)
					s->procs[k].parent = NULL;
			if (s->cur == p)
				s->cur = NULL;
		}
	}
	s->nprocs = j;
}

/* @p exited (or was killed) with @status: a zombie its parent will reap. */
static void proc_died(struct set *s, struct proc *p, int status)
{
	p->alive = false;
	p->expect_status = status;
	p->zombie_unreaped = p->parent && p->parent->alive;
	/* Its children go to init, which reaps them. */
	for (int k = 0; k < s->nprocs; k++)
		if (s->procs[k].parent == p) {
			s->procs[k].parent = NULL;
			s->procs[k].zombie_unreaped = false;
		}
	if (s->cur == p)
		s->cur = NULL;
}

static bool run(struct set *s, struct proc *p)
{
	int ret = mmsim_switch_to(p->t);

	CHECK(ret == 0, s, "switch");
	if (ret)
		return false;
	s->cur = p;
	return true;
}

static struct proc *spawn(struct set *s)
{
	struct proc *p = &s->procs[s->nprocs];
	struct task_struct *t = mmsim_spawn(machine, "stress");

	CHECK(t != NULL, s, "spawn");
	if (!t)
		return NULL;
	memset(p, 0, sizeof(*p));
	p->t = t;
	p->pid = t->pid;
	p->alive = true;
	for (int i = 0; i < ARENA_PAGES; i++)
		p->pg[i].prot = -1;
	s->nprocs++;
	return p;
}

/* ---------------------------------------------------------------------
 * The operations, as current = s->cur
 */

static void op_mmap(struct set *s)
{
	struct proc *p = s->cur;
	int first = (int)rnd_below(s, ARENA_PAGES), n = 1 + (int)rnd_below(s, 8);
	static const int prots[] = { PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE, PROT_READ,
				     PROT_NONE };
	int prot = prots[rnd_below(s, 4)];
	bool shared = rnd_below(s, 8) == 0;
	unsigned long ret;
	unsigned int id = ++s->next_id;

	if (first + n > ARENA_PAGES)
		n = ARENA_PAGES - first;
	ret = sys_mmap(pva(first), (unsigned long)n * page_size, (unsigned long)prot,
		       (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS | MAP_FIXED,
		       (unsigned long)-1, 0);
	CHECK(ret == pva(first), s, "mmap");
	if (ret != pva(first))
		return;
	for (int i = first; i < first + n; i++)
		p->pg[i] = (struct shadow_page){ prot, shared ? -2 : 0, shared, id };
}

static void op_munmap(struct set *s)
{
	struct proc *p = s->cur;
	int first = (int)rnd_below(s, ARENA_PAGES), n = 1 + (int)rnd_below(s, 8);
	long ret;

	if (first + n > ARENA_PAGES)
		n = ARENA_PAGES - first;
	ret = sys_munmap(pva(first), (size_t)n * page_size);
	CHECK(ret == 0, s, "munmap");
	for (int i = first; i < first + n; i++)
		p->pg[i].prot = -1;
}

/* Linux's mprotect: the pages up to the first hole change; a hole is -ENOMEM. */
static void op_mprotect(struct set *s)
{
	struct proc *p = s->cur;
	int first = (int)rnd_below(s, ARENA_PAGES), n = 1 + (int)rnd_below(s, 6);
	static const int prots[] = { PROT_READ | PROT_WRITE, PROT_READ, PROT_NONE };
	int prot = prots[rnd_below(s, 3)], hole = -1;
	unsigned int remap[8][2];	/* old id -> new id, per page of the range */
	long ret;

	if (first + n > ARENA_PAGES)
		n = ARENA_PAGES - first;
	for (int i = first; i < first + n && hole < 0; i++)
		if (p->pg[i].prot < 0)
			hole = i;
	ret = sys_mprotect(pva(first), (size_t)n * page_size, (unsigned long)prot);
	CHECK(ret == (hole < 0 ? 0 : -ENOMEM), s, "mprotect");
	/*
	 * Pages whose flags change are split off into a VMA of their own;
	 * pages whose flags stay (the same protection) stay in theirs.  So
	 * the pages of one old VMA (one old id) get one new id: a run of one
	 * id still lies in one VMA either way.
	 */
	for (int i = first; i < (hole < 0 ? first + n : hole); i++) {
		unsigned int old = p->pg[i].id, nid = 0;

		for (int j = first; j < i && !nid; j++)
			if (remap[j - first][0] == old)
				nid = remap[j - first][1];
		remap[i - first][0] = old;
		remap[i - first][1] = nid ? nid : ++s->next_id;
		p->pg[i].prot = prot;
		p->pg[i].id = remap[i - first][1];
	}
}

/* mremap of a run of one VMA: shrink in place, or move (MAYMOVE|FIXED), maybe DONTUNMAP. */
static void op_mremap(struct set *s)
{
	struct proc *p = s->cur;
	int a = (int)rnd_below(s, ARENA_PAGES), b, n, newn, dst;
	unsigned int id = (s->next_id += 2) - 1;
	struct shadow_page moved[ARENA_PAGES];
	unsigned long ret;
	bool dontunmap;

	if (p->pg[a].prot < 0)
		return;
	for (b = a; b + 1 < ARENA_PAGES && p->pg[b + 1].prot >= 0 && p->pg[b + 1].id == p->pg[a].id;
	     b++)
		;
	n = 1 + (int)rnd_below(s, (unsigned int)(b - a + 1));
	if (rnd_below(s, 3) == 0 && n > 1) {
		newn = 1 + (int)rnd_below(s, (unsigned int)n - 1);
		ret = sys_mremap(pva(a), (unsigned long)n * page_size,
				 (unsigned long)newn * page_size, 0, 0);
		CHECK(ret == pva(a), s, "mremap shrink");
		for (int i = a + newn; i < a + n; i++)
			p->pg[i].prot = -1;
		return;
	}
	newn = 1 + (int)rnd_below(s, 8);
	dontunmap = !p->pg[a].shared && rnd_below(s, 4) == 0;
	if (dontunmap || (p->pg[a].shared && newn > n))
		newn = n;	/* DONTUNMAP keeps the size; shared anon may not grow (SIGBUS) */
	dst = (int)rnd_below(s, ARENA_PAGES);
	if (dst + newn > ARENA_PAGES || (dst < a + n && a < dst + newn))
		return;		/* out of the arena, or overlapping: -EINVAL in Linux */
	memcpy(moved, &p->pg[a], sizeof(moved[0]) * (size_t)n);
	ret = sys_mremap(pva(a), (unsigned long)n * page_size, (unsigned long)newn * page_size,
			 MREMAP_MAYMOVE | MREMAP_FIXED | (dontunmap ? MREMAP_DONTUNMAP : 0),
			 pva(dst));
	CHECK(ret == pva(dst), s, "mremap move");
	if (ret != pva(dst))
		return;
	atomic_fetch_add(&nr_moves, 1);
	for (int i = a; i < a + n; i++) {
		if (dontunmap) {
			p->pg[i].val = 0;	/* the VMA stays, empty */
			p->pg[i].id = id + 1;
		} else {
			p->pg[i].prot = -1;
		}
	}
	for (int i = 0; i < newn; i++) {
		struct shadow_page sp = moved[i < n ? i : n - 1];

		if (i >= n && !sp.shared)
			sp.val = 0;		/* grown: fresh pages */
		sp.id = id;
		p->pg[dst + i] = sp;
	}
}

/* Read and write pages the shadow allows; now and then a fault on purpose. */
static void op_touch(struct set *s)
{
	struct proc *p = s->cur;
	int i = (int)rnd_below(s, ARENA_PAGES);
	struct shadow_page *sp = &p->pg[i];
	unsigned char buf[64];
	unsigned long off = (rnd(s) % (page_size / sizeof(buf))) * sizeof(buf);
	bool want_write = rnd_below(s, 2), deliberate = rnd_below(s, 40) == 0;
	long ret;

	if (sp->prot < 0 || sp->prot == PROT_NONE || (want_write && !(sp->prot & PROT_WRITE))) {
		if (!deliberate)
			return;
		/* A bad access: SIGSEGV, the process dies. */
		if (want_write) {
			memset(buf, 1, sizeof(buf));
			ret = mmsim_user_write(pva(i) + off, buf, sizeof(buf));
		} else {
			ret = mmsim_user_read(pva(i) + off, buf, sizeof(buf));
		}
		CHECK(ret == -EFAULT, s, "bad access");
		CHECK(current == NULL, s, "dead after SIGSEGV");
		proc_died(s, p, SIGSEGV);
		atomic_fetch_add(&nr_segv, 1);
		return;
	}
	if (want_write) {
		int v = (int)rnd_below(s, 255) + 1;
		unsigned char *page = malloc(page_size);

		memset(page, v, page_size);
		ret = mmsim_user_write(pva(i), page, page_size);
		free(page);
		CHECK(ret == 0, s, "write");
		if (!sp->shared)
			sp->val = v;
		return;
	}
	ret = mmsim_user_read(pva(i) + off, buf, sizeof(buf));
	CHECK(ret == 0, s, "read");
	if (!ret && sp->val >= 0)
		for (size_t k = 0; k < sizeof(buf); k++)
			if (buf[k] != sp->val) {
				CHECK(buf[k] == sp->val, s, "bytes");
				break;
			}
}

static void op_fork(struct set *s)
{
	struct proc *p = s->cur, *c;
	long pid;

	if (live_count(s) >= MAX_PROCS || s->nprocs >= (int)ARRAY_SIZE(s->procs))
		return;
	pid = sys_fork();
	CHECK(pid > 0, s, "fork");
	if (pid <= 0)
		return;
	c = &s->procs[s->nprocs++];
	p = s->cur;	/* the table did not move: no gc here */
	*c = *p;
	c->t = find_task_by_vpid((pid_t)pid);
	c->pid = (pid_t)pid;
	c->parent = p;
	c->alive = true;
	c->zombie_unreaped = false;
	CHECK(c->t && c->t->real_parent == p->t, s, "child");
	atomic_fetch_add(&nr_forks, 1);
	/* Shared pages stay shared with unknown bytes; private ones are copies. */
}

static void op_exit(struct set *s)
{
	struct proc *p = s->cur;
	int code = (int)rnd_below(s, 256);

	if (live_count(s) <= 1)
		return;
	sys_exit_group(code);
	CHECK(current == NULL, s, "exit");
	proc_died(s, p, code << 8);
	atomic_fetch_add(&nr_exits, 1);
}

static void op_kill(struct set *s)
{
	struct proc *victim = &s->procs[rnd_below(s, (unsigned int)s->nprocs)];
	int sig = rnd_below(s, 2) ? SIGKILL : SIGTERM;
	long ret;

	if (!victim->alive || victim == s->cur || live_count(s) <= 1)
		return;
	ret = sys_kill(victim->pid, sig);
	CHECK(ret == 0, s, "kill");
	CHECK(victim->t->exit_state != 0, s, "killed at once");
	proc_died(s, victim, sig);
	atomic_fetch_add(&nr_kills, 1);
}

static void op_wait(struct set *s)
{
	struct proc *p = s->cur;
	int st = -1;
	long pid = sys_wait4(-1, &st, WNOHANG, NULL);
	bool expected = false;

	for (int i = 0; i < s->nprocs; i++)
		if (s->procs[i].parent == p && s->procs[i].zombie_unreaped)
			expected = true;
	CHECK(expected ? pid > 0 : pid <= 0, s, "wait4");
	if (pid <= 0)
		return;
	for (int i = 0; i < s->nprocs; i++) {
		struct proc *c = &s->procs[i];

		if (c->pid == pid && c->zombie_unreaped && c->parent == p) {
			CHECK(st == c->expect_status, s, "wait status");
			atomic_fetch_add(&nr_reaped, 1);
			c->zombie_unreaped = false;
			return;
		}
	}
	CHECK(0, s, "reaped a stranger");
}

static void step(struct set *s)
{
	unsigned int op = rnd_below(s, 100);
	struct proc *p;

	gc_procs(s);
	if (!live_count(s)) {
		p = spawn(s);
		if (!p || !run(s, p))
			return;
	}
	if (!s->cur || rnd_below(s, 8) == 0) {
		int k;

		do
			k = (int)rnd_below(s, (unsigned int)s->nprocs);
		while (!s->procs[k].alive);
		if (!run(s, &s->procs[k]))
			return;
	}
	if (op < 18)
		op_mmap(s);
	else if (op < 28)
		op_munmap(s);
	else if (op < 40)
		op_mprotect(s);
	else if (op < 50)
		op_mremap(s);
	else if (op < 82)
		op_touch(s);
	else if (op < 88)
		op_fork(s);
	else if (op < 92)
		op_exit(s);
	else if (op < 95)
		op_kill(s);
	else
		op_wait(s);
	if (current) {
		CHECK(current == s->cur->t, s, "current");
		CHECK(mm_is_valid(current->mm), s, "mm_is_valid");
	}
}

/* The end of a set: every process exits; zombies end up reaped by init. */
static void finish(struct set *s)
{
	for (int i = 0; i < s->nprocs; i++) {
		struct proc *p = &s->procs[i];

		if (!p->alive)
			continue;
		if (run(s, p)) {
			sys_exit_group(0);
			CHECK(current == NULL, s, "final exit");
		}
		p->alive = false;
	}
	s->nprocs = 0;
	s->cur = NULL;
}

static void *worker(void *arg)
{
	int cpu = (int)(long)arg;
	int rounds = (steps + ROTATE - 1) / ROTATE;

	if (mmsim_enter(machine, cpu)) {
		atomic_fetch_add(&failures, 1);
		return NULL;
	}
	for (int r = 0; r < rounds; r++) {
		struct set *s = &sets[(cpu + r) % NSETS];

		s->cur = NULL;
		for (int i = 0; i < ROTATE && s->step < steps; i++, s->step++)
			step(s);
		mmsim_switch_idle();
		pthread_barrier_wait(&barrier);
		if (cpu == 0 && (!mm_mapcounts_are_valid(machine) || !lru_all_valid())) {
			fprintf(stderr, "round %d: mapcounts or LRU lists\n", r);
			atomic_fetch_add(&failures, 1);
		}
		if (cpu == 1 && !tasks_are_valid(machine)) {
			fprintf(stderr, "round %d: tasks\n", r);
			atomic_fetch_add(&failures, 1);
		}
		pthread_barrier_wait(&barrier);
	}
	finish(&sets[(cpu + rounds) % NSETS]);
	/* Drop the lazily loaded mm, so its page tables can go. */
	switch_mm(NULL, &init_mm, NULL);
	pthread_barrier_wait(&barrier);
	mmsim_leave();
	return NULL;
}

static unsigned long settled_free_pages(void)
{
	switch_mm(NULL, &init_mm, NULL);
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	return nr_free_pages();
}

/* A process that faults the zero page in and forks, so lazily made
 * kernel objects exist before the count is taken. */
static void warm_up(void)
{
	struct task_struct *t = mmsim_spawn(machine, "warm");
	unsigned long va;
	long pid;
	char c = 0;

	if (!t || mmsim_switch_to(t))
		return;
	va = sys_mmap(0, 4 * page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      (unsigned long)-1, 0);
	mmsim_user_read(va, &c, 1);
	mmsim_user_write(va + page_size, &c, 1);
	pid = sys_fork();
	if (pid > 0) {
		sys_kill((pid_t)pid, SIGKILL);
		sys_wait4((pid_t)pid, NULL, 0, NULL);
	}
	sys_exit_group(0);
}

static void run_stress(const char *spec)
{
	pthread_t th[NSETS];
	unsigned long before, after;
	struct task_struct *t;

	kt_begin(spec);
	machine = boot_or_die(spec);
	page_size = PAGE_SIZE;
	arena_base = 0x10000000UL;
	atomic_store(&failures, 0);
	atomic_store(&nr_forks, 0);
	atomic_store(&nr_exits, 0);
	atomic_store(&nr_kills, 0);
	atomic_store(&nr_segv, 0);
	atomic_store(&nr_reaped, 0);
	atomic_store(&nr_moves, 0);
	atomic_store(&nr_shoot, 0);
	for (int i = 0; i < NSETS; i++) {
		memset(&sets[i], 0, sizeof(sets[i]));
		sets[i].id = i;
		sets[i].rng = (seed + 1) * 0x9e3779b97f4a7c15ULL ^ (u64)(i + 1) * 0xbf58476d1ce4e5b9ULL;
	}
	warm_up();
	before = settled_free_pages();
	mmsim_leave();
	pthread_barrier_init(&barrier, NULL, NSETS);
	for (int i = 0; i < NSETS; i++)
		pthread_create(&th[i], NULL, worker, (void *)(long)i);
	for (int i = 0; i < NSETS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&barrier);
	KT_EQ(mmsim_enter(machine, 0), 0);
	/* Only init is left. */
	t = next_task_of(machine, NULL);
	KT_ASSERT(t && t->pid == 1);
	KT_ASSERT(t && !next_task_of(machine, t));
	KT_ASSERT(mm_mapcounts_are_valid(machine));
	KT_ASSERT(lru_all_valid());
	after = settled_free_pages();
	KT_EQ(after, before);
	KT_EQ(atomic_load(&failures), 0);
	for (int i = 0; i < machine->nr_cpus; i++) {
		struct tlb_stats st;

		tlb_get_stats(machine, i, &st);
		nr_shoot += (int)st.shootdowns_recv;
	}
	printf("%s: %d forks, %d exits, %d kills, %d SIGSEGVs, %d reaped by a parent, "
	       "%d mremap moves, %d remote TLB flushes\n", spec, atomic_load(&nr_forks),
	       atomic_load(&nr_exits), atomic_load(&nr_kills), atomic_load(&nr_segv),
	       atomic_load(&nr_reaped), atomic_load(&nr_moves), atomic_load(&nr_shoot));
	KT_ASSERT(atomic_load(&nr_forks) > 0 && atomic_load(&nr_segv) > 0 &&
		  atomic_load(&nr_reaped) > 0 && atomic_load(&nr_shoot) > 0);
	kt_end();
	mmsim_shutdown(machine);
}

int main(void)
{
	const char *e = getenv("MMSIM_STRESS_SEED");

	if (e)
		seed = strtoul(e, NULL, 0);
	e = getenv("MMSIM_STRESS_STEPS");
	if (e)
		steps = atoi(e);
	printf("seed %#lx, %d steps per set\n", seed, steps);
	run_stress("ram=128M cpus=3");
	run_stress("arch=arm64 page_size=64K ram=256M cpus=3");
	return kt_done();
}
