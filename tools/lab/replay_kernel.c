// SPDX-License-Identifier: GPL-2.0
/*
 * tools/lab/replay_kernel.c - kernel mode of `mmsim replay`: a booted
 * machine replays a trace through the MMU and the whole kernel path
 * (docs/lab.md, "Kernel mode").
 *
 * Design.  One host thread, on CPU 0 of a machine booted from the spec.
 *
 *  - Processes.  Each traced pid becomes a simulated process (struct
 *    rproc): the first record of a pid that no TRACE_FORK made spawns one
 *    (mmsim_spawn: an exec'ed static program); TRACE_FORK runs sys_fork()
 *    in the parent; TRACE_EXIT runs sys_exit_group(0).  A record of
 *    another pid than the running one switches to it (mmsim_switch_to:
 *    the context switch with its ASID).  A process killed by a signal (the
 *    OOM killer, SIGSEGV) is dead: its later records are dropped and
 *    counted (res->dropped).
 *  - Layout.  TRACE_MMAP maps at the recorded address with
 *    MAP_FIXED_NOREPLACE (MAP_FIXED when an implicit mapping, below, is in
 *    the way: the program did get that address); a file-backed mapping
 *    becomes anonymous (private, or shared anonymous = shmem when it was
 *    MAP_SHARED): the trace carries neither the files nor their contents.
 *    TRACE_MUNMAP/MPROTECT go to sys_munmap/sys_mprotect; TRACE_BRK moves
 *    the break with sys_brk, except that a process's first break, while
 *    its heap is empty, places the heap there (as exec does for the
 *    program's end).  A call the machine refuses is counted
 *    (layout_errors), not fatal.
 *  - Implicit mappings.  An access that faults outside every VMA (the
 *    stack, the executable and the loader, which the kernel mapped at exec
 *    before recording began; every access of a lackey trace) first gets an
 *    anonymous private mapping: the 2 MiB-aligned block around it, clipped
 *    to its neighbours (counted: implicit_maps).
 *  - Id traces (csv, txt, oracleGeneral: no addresses): one process with
 *    one anonymous MAP_NORESERVE mapping; ids are compacted to dense page
 *    numbers in first-seen order, page n at base + n pages (ids below
 *    DIRECT_MAX through a flat array, 4 bytes an id and one load; larger
 *    ones, hashed 64-bit ids, through an idmap).
 *    The first access of an id is a write (the object comes into being),
 *    the others reads; lackey S and M are writes, L and I reads.
 *    An id trace is read RA_SIZE records ahead (ids_next): each record's
 *    direct[] slot is prefetched when it is read, and RA_WALK records
 *    before its turn the page-table entry its translation will load
 *    (mmu_prefetch).  Host-cache hints only: the records are replayed
 *    one by one in order, as before.
 *  - Accesses.  The fast path is mmu_translate() for user mode: a TLB hit
 *    costs what the MMU model charges (no data moves: the kernel sees only
 *    what the MMU sets, Accessed and Dirty).  A fault goes to the slow
 *    path: the arch entry (arch_handle_fault: demand faults, COW, swap-in,
 *    reclaim and OOM inside the allocation), retried as hardware retries,
 *    then exit_to_user_mode() acts on a signal.  --verify also moves
 *    bytes: after the access made the page accessible, the first 8 bytes
 *    of the page are read through the MMU (a TLB hit now) and compared
 *    with a host-side stamp kept per process and page (fork copies them,
 *    munmap drops them), and a write stores a new stamp there; the faults
 *    are the access's own, as without --verify (verify_errors).
 *  - First touches.  Address traces keep the set of (lineage, page) that
 *    faulted (a forked child shares its parent's lineage); id traces count
 *    new ids.  misses = first_touches + major_faults, cache mode's notion.
 *  - Virtual time.  Each access costs access_ns of virtual time, added up
 *    and given to mmsim_advance_clock() at least every QUANTUM_NS, before
 *    every fault and every layout event (so kernel threads and timers run
 *    at their time); I/O charges what the block device charges, inside
 *    the fault.  Every interval of virtual time the machine is sampled
 *    (replay_series.c), and once more at the end.
 *
 * State: struct kreplay, one per run, owned by this thread; no locks of
 * its own (the kernel's are taken by the calls it makes).
 *
 * Invariants: k->cur is NULL or a live rproc whose task is current;
 * res->minor_faults + res->major_faults == res->faults; every rproc holds
 * one reference on its task until it is dead or the run ends.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <mmsim/mmsim.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include <mmsim/fault.h>
#include <mmsim/mm_vma.h>
#include <mmsim/swap.h>
#include <mmsim/uaccess.h>
#include "init/machine.h"
#include "mm/policy/idmap.h"
#include "tools/lab/replay.h"

#define QUANTUM_NS	100000ULL	/* virtual time given to the machine at least this often */
#define PROGRESS_EVERY	(1u << 16)	/* records between progress calls */
#define IMPLICIT_ALIGN	(2UL << 20)	/* implicit mappings: the 2 MiB block around the access */
#define MAX_FAULT_TRIES	8		/* as mm/maccess.c: more means a kernel bug */
#define ADAPTIVE_START	1000000ULL	/* 1 ms */
#define DIRECT_MAX	(1ULL << 24)	/* ids below: a flat array (4 bytes an id) instead of the hash */
#define RA_SIZE		16		/* id traces: records read ahead (a power of 2) */
#define RA_WALK		8		/* ... the page-table prefetch this many records ahead */

struct rproc {
	uint32_t tpid;			/* the traced pid */
	uint32_t lineage;		/* index of the spawned ancestor: first touches per address space */
	struct task_struct *task;	/* referenced; NULL once dead */
	bool brk_placed;		/* its heap was placed by its first break */
};

struct kreplay {
	const struct replay_source *src;
	const struct replay_kopts *o;
	struct replay_kresult *res;
	struct mmsim *m;
	char *err;
	size_t errlen;
	uint64_t recno;			/* records read, the current one's index from 1 */
	unsigned int page_shift;	/* the machine's */
	unsigned long min_addr;		/* vm.mmap_min_addr */

	struct rproc *procs;
	size_t nr_procs, cap_procs;
	struct rproc *cur;		/* running, or NULL */

	/* Id traces. */
	uint32_t *direct;		/* ids < DIRECT_MAX: direct[id] = page number + 1, 0 unseen */
	uint64_t direct_cap;		/* entries of direct */
	struct idmap ids;		/* larger ids -> dense page number */
	uint64_t nr_ids;		/* distinct ids: the next page number */
	unsigned long id_base;		/* the mapping's start */
	uint64_t id_pages;		/* its length in pages */
	/* Records read ahead (ring: ra[ra_head..ra_tail) mod RA_SIZE), so that
	 * their direct[] slots and page-table entries are prefetched before
	 * they are replayed; ra_end: what the read after them said (1: not
	 * read yet, 0: the end, -1: an error). */
	struct { cache_id_t id; uint8_t op; } ra[RA_SIZE];
	unsigned int ra_head, ra_tail;
	int ra_end;

	struct idmap seen;		/* address traces: (lineage, vpn) pages that faulted */
	struct idmap stamps;		/* --verify: (lineage, vpn) -> index in stamp_val */
	uint64_t *stamp_val;
	uint64_t nr_stamps, cap_stamps;

	/* Virtual time. */
	uint64_t access_ns;
	uint64_t pending_ns;		/* access time not yet given to the machine */
	uint64_t pending_limit;		/* flush when pending_ns reaches it */
	uint64_t clock0;		/* the machine's clock when the replay began */
	uint64_t next_sample;		/* machine clock of the next sample */
	bool adaptive;

	/* Counters at the start and at the previous sample. */
	unsigned long ev0[4], ev_prev[4];	/* pgfault, pgmajfault, pswpin, pswpout */
	unsigned long refault0, oom0;
	struct tlb_stats tlb0;
	bool halted;
};

/* ---------------------------------------------------------------------
 * Errors and time
 */

static int kfail(struct kreplay *k, const char *fmt, ...)
{
	size_t n = (size_t)snprintf(k->err, k->errlen, "%s:%llu: ", k->src->name,
				    (unsigned long long)k->recno);
	va_list ap;

	if (n >= k->errlen)
		n = k->errlen - 1;
	va_start(ap, fmt);
	vsnprintf(k->err + n, k->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

static double host_seconds(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void read_events(unsigned long *ev)
{
	ev[0] = sum_vm_event(PGFAULT);
	ev[1] = sum_vm_event(PGMAJFAULT);
	ev[2] = sum_vm_event(PSWPIN);
	ev[3] = sum_vm_event(PSWPOUT);
}

static unsigned long proc_rss(struct kreplay *k)
{
	unsigned long rss = 0;

	for (size_t i = 0; i < k->nr_procs; i++) {
		struct task_struct *t = k->procs[i].task;

		if (t && t->mm)
			rss += get_mm_rss(t->mm);
	}
	return rss;
}

/* One sample of the machine into the series. */
static int take_sample(struct kreplay *k, uint64_t now)
{
	struct replay_series *s = &k->res->series;
	uint64_t delta[4], level[5], orders[NR_PAGE_ORDERS_MAX] = { 0 };
	unsigned long ev[4];
	struct zone *z;

	read_events(ev);
	for (int i = 0; i < 4; i++) {
		delta[i] = ev[i] - k->ev_prev[i];
		k->ev_prev[i] = ev[i];
	}
	level[0] = proc_rss(k);
	level[1] = global_node_page_state(NR_ACTIVE_ANON) + global_node_page_state(NR_ACTIVE_FILE);
	level[2] = global_node_page_state(NR_INACTIVE_ANON) +
		   global_node_page_state(NR_INACTIVE_FILE);
	level[3] = global_zone_page_state(NR_FREE_PAGES);
	level[4] = (uint64_t)(get_total_swap_pages() - get_nr_swap_pages());
	for_each_populated_zone(z)
		for (unsigned int o = 0; o < s->nr_orders; o++)
			orders[o] += READ_ONCE(z->free_area[o].nr_free);
	return replay_series_add(s, k->adaptive, (double)(now - k->clock0) * 1e-9, delta, level,
				 orders);
}

static void set_pending_limit(struct kreplay *k, uint64_t now)
{
	uint64_t limit = QUANTUM_NS;

	if (!k->o->no_series && k->next_sample > now && k->next_sample - now < limit)
		limit = k->next_sample - now;
	k->pending_limit = limit ? limit : 1;
}

/*
 * Give the pending access time to the machine (its timers and kernel
 * threads run on the way) and take the samples now due.
 */
static int flush_clock(struct kreplay *k)
{
	uint64_t now;

	if (k->pending_ns) {
		mmsim_advance_clock(k->m, k->pending_ns);
		k->pending_ns = 0;
	}
	now = mmsim_clock_ns(k->m);
	if (!k->o->no_series && now >= k->next_sample) {
		uint64_t iv;

		if (take_sample(k, now))
			return kfail(k, "out of memory for the samples");
		iv = k->res->series.interval_ns;	/* doubled when the series was halved */
		k->next_sample = k->clock0 + ((now - k->clock0) / iv + 1) * iv;
	}
	set_pending_limit(k, now);
	return 0;
}

/* ---------------------------------------------------------------------
 * Processes
 */

static void proc_dead(struct kreplay *k, struct rproc *p, bool killed)
{
	if (!p->task)
		return;
	put_task_struct(p->task);
	p->task = NULL;
	if (killed)
		k->res->killed++;
	if (k->cur == p)
		k->cur = NULL;
}

static struct rproc *proc_find(struct kreplay *k, uint32_t tpid)
{
	for (size_t i = k->nr_procs; i-- > 0;)
		if (k->procs[i].tpid == tpid)
			return &k->procs[i];
	return NULL;
}

static struct rproc *proc_add(struct kreplay *k, uint32_t tpid, struct task_struct *t,
			      uint32_t lineage)
{
	struct rproc *p;

	if (k->nr_procs == k->cap_procs) {
		size_t cap = k->cap_procs ? 2 * k->cap_procs : 16;
		struct rproc *np = realloc(k->procs, cap * sizeof(*np));

		if (!np)
			return NULL;
		/* k->cur points into the array */
		if (k->cur)
			k->cur = np + (k->cur - k->procs);
		k->procs = np;
		k->cap_procs = cap;
	}
	p = &k->procs[k->nr_procs];
	p->tpid = tpid;
	p->lineage = lineage == UINT32_MAX ? (uint32_t)k->nr_procs : lineage;
	p->task = t;
	p->brk_placed = false;
	k->nr_procs++;
	k->res->processes++;
	return p;
}

/* A new process for @tpid, as after exec. */
static struct rproc *proc_spawn(struct kreplay *k, uint32_t tpid)
{
	char comm[TASK_COMM_LEN];
	struct task_struct *t;
	struct rproc *p;

	snprintf(comm, sizeof(comm), "replay-%u", tpid);
	t = mmsim_spawn(k->m, comm);
	if (!t) {
		kfail(k, "cannot make a process for pid %u: %s", tpid, strerror(errno));
		return NULL;
	}
	get_task_struct(t);
	p = proc_add(k, tpid, t, UINT32_MAX);
	if (!p) {
		put_task_struct(t);
		kfail(k, "out of memory");
	}
	return p;
}

/*
 * Make @tpid's process current.  1: it runs; 0: it is dead (drop the
 * record); -1: error (in k->err).
 */
static int proc_switch(struct kreplay *k, uint32_t tpid)
{
	struct rproc *p = proc_find(k, tpid);
	int ret;

	if (!p) {
		p = proc_spawn(k, tpid);
		if (!p)
			return -1;
	}
	if (!p->task)
		return 0;
	ret = mmsim_switch_to(p->task);
	if (ret == -ESRCH) {
		proc_dead(k, p, true);	/* killed while another process ran */
		return 0;
	}
	if (ret == -EIO) {
		k->halted = true;
		return 0;
	}
	if (ret)
		return kfail(k, "cannot run pid %u: %s", tpid, strerror(-ret));
	k->cur = p;
	return 1;
}

/* ---------------------------------------------------------------------
 * Accesses
 */

static inline uint64_t page_key(const struct kreplay *k, unsigned long va)
{
	return ((uint64_t)k->cur->lineage << 52) | (va >> k->page_shift);
}

/* A fault outside every VMA: map the 2 MiB block around @va (clipped). */
static int implicit_map(struct kreplay *k, unsigned long va)
{
	struct mm_struct *mm = current->mm;
	unsigned long start = va & ~(IMPLICIT_ALIGN - 1), end = start + IMPLICIT_ALIGN, got;
	struct vm_area_struct *vma, *prev;

	if (va >= mm->task_size)
		return kfail(k, "address %#lx is beyond the machine's TASK_SIZE %#lx", va,
			     mm->task_size);
	mmap_read_lock(mm);
	vma = find_vma_prev(mm, va, &prev);
	if (vma && vma->vm_start <= va) {
		mmap_read_unlock(mm);
		return 0;	/* covered: the fault is the kernel's to take */
	}
	if (vma && vma->vm_start < end)
		end = vma->vm_start;
	if (prev && prev->vm_end > start)
		start = prev->vm_end;
	if (end > mm->task_size)
		end = mm->task_size;
	if (start < k->min_addr)
		start = k->min_addr;
	mmap_read_unlock(mm);
	if (va < start)
		return kfail(k, "address %#lx is below mmap_min_addr", va);
	got = sys_mmap(start, end - start, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE, -1UL, 0);
	if (IS_ERR_VALUE(got))
		return kfail(k, "cannot map %#lx-%#lx for an untraced access: %s", start, end,
			     strerror((int)-(long)got));
	k->res->implicit_maps++;
	return 0;
}

/* The process died of a signal during an access, or the machine halted. */
static void access_failed(struct kreplay *k)
{
	if (mmsim_halted(k->m))
		k->halted = true;
	if (k->cur)
		proc_dead(k, k->cur, true);
	k->cur = NULL;
}

/*
 * The fault @f of an access of @va: what the arch does on a #PF/abort,
 * then the retry.  0: done (the process may have died); -1: error.
 */
static noinline int access_slow(struct kreplay *k, unsigned long va, unsigned int acc,
				struct mmu_fault *f)
{
	struct task_struct *tsk = current;
	bool failed = false;
	phys_addr_t pa;
	int tries;

	if (flush_clock(k))
		return -1;
	if (mmsim_halted(k->m)) {
		access_failed(k);
		return 0;
	}
	if (k->src->has_addresses) {
		uint64_t key = page_key(k, va);

		if (idmap_get(&k->seen, key) == IDMAP_NONE) {
			if (idmap_put(&k->seen, key, 0))
				return kfail(k, "out of memory");
			k->res->first_touches++;
		}
		if (implicit_map(k, va))
			return -1;
	}
	for (tries = 0;; tries++) {
		if (arch_handle_fault(f, &tsk->regs)) {
			failed = true;
			break;
		}
		if (!mmu_translate(va, acc, &pa, f))
			break;
		if (tries == MAX_FAULT_TRIES) {
			WARN_ONCE(1, "replay: fault at %lx not resolved after %d tries\n", va, tries);
			failed = true;
			break;
		}
	}
	if (exit_to_user_mode() || failed || !current)
		access_failed(k);
	if (flush_clock(k))	/* the fault's I/O moved the clock */
		return -1;
	return 0;
}

/* --verify: the stamps' key of @va's page in the running process. */
static inline uint64_t stamp_key(const struct kreplay *k, unsigned long va)
{
	return ((uint64_t)(k->cur - k->procs) << 52) | (va >> k->page_shift);
}

static int stamp_put(struct kreplay *k, uint64_t key, uint64_t stamp)
{
	uint32_t slot = idmap_get(&k->stamps, key);

	if (slot == IDMAP_NONE) {
		if (k->nr_stamps == k->cap_stamps) {
			uint64_t cap = k->cap_stamps ? 2 * k->cap_stamps : 4096;
			uint64_t *nv = realloc(k->stamp_val, cap * sizeof(*nv));

			if (!nv)
				return kfail(k, "out of memory");
			k->stamp_val = nv;
			k->cap_stamps = cap;
		}
		slot = (uint32_t)k->nr_stamps++;
		if (idmap_put(&k->stamps, key, slot))
			return kfail(k, "out of memory");
	}
	k->stamp_val[slot] = stamp;
	return 0;
}

/* --verify: [@start, @end) of the running process left its address space. */
static void stamps_drop(struct kreplay *k, unsigned long start, unsigned long end)
{
	if (!k->o->verify || !k->cur || end <= start)
		return;
	for (unsigned long va = start; va < end; va += 1UL << k->page_shift)
		idmap_del(&k->stamps, stamp_key(k, va));	/* the slot's value is left unused */
}

/* --verify: fork copied the parent's stamps to the child @child. */
static int stamps_fork(struct kreplay *k, struct rproc *child)
{
	uint64_t parent = (uint64_t)(k->cur - k->procs), nr = 0, *keys;
	uint64_t shift_child = (uint64_t)(child - k->procs) << 52;

	if (!k->o->verify)
		return 0;
	keys = malloc((k->stamps.nr + 1) * sizeof(*keys));
	if (!keys)
		return kfail(k, "out of memory");
	for (uint64_t i = 0; i <= k->stamps.mask; i++) {
		cache_id_t key = k->stamps.tab[i].key;

		if (key != CACHE_ID_NONE && key >> 52 == parent)
			keys[nr++] = key;
	}
	for (uint64_t i = 0; i < nr; i++) {
		uint64_t v = k->stamp_val[idmap_get(&k->stamps, keys[i])];

		if (stamp_put(k, shift_child | (keys[i] & ((1ULL << 52) - 1)), v)) {
			free(keys);
			return -1;
		}
	}
	free(keys);
	return 0;
}

/*
 * --verify, after the access made @va's page accessible for @acc: read
 * the stamp at the page's start through the MMU (a TLB hit now), compare
 * it with what was last written there, write a new one on a write.  The
 * faults are the access's own, as without --verify.
 */
static int access_verify(struct kreplay *k, unsigned long va, unsigned int acc)
{
	unsigned long page = va & ~((1UL << k->page_shift) - 1);
	uint64_t key = stamp_key(k, va), want = 0, got;
	uint32_t slot = idmap_get(&k->stamps, key);
	struct mmu_fault f;
	uint64_t *p;

	if (slot != IDMAP_NONE)
		want = k->stamp_val[slot];
	p = mmu_access(page, acc, &f);
	if (!p) {
		k->res->verify_errors++;	/* the page went away between the two */
		return 0;
	}
	memcpy(&got, p, sizeof(got));
	if (got != want)
		k->res->verify_errors++;
	if (acc & MMU_WRITE) {
		uint64_t stamp = (k->recno * 0x9e3779b97f4a7c15ULL) | 1;

		memcpy(p, &stamp, sizeof(stamp));
		return stamp_put(k, key, stamp);
	}
	return 0;
}

/* One access of the running process. */
static inline int access_one(struct kreplay *k, unsigned long va, bool write)
{
	unsigned int acc = (write ? MMU_WRITE : MMU_READ) | MMU_USER;
	struct mmu_fault f;
	phys_addr_t pa;

	k->res->requests++;
	k->pending_ns += k->access_ns;
	if (likely(!mmu_translate(va, acc, &pa, &f))) {
		if (unlikely(k->o->verify))
			return access_verify(k, va, acc);
		if (unlikely(k->pending_ns >= k->pending_limit))
			return flush_clock(k);
		return 0;
	}
	if (access_slow(k, va, acc, &f))
		return -1;
	if (unlikely(k->o->verify) && k->cur)
		return access_verify(k, va, acc);
	return 0;
}

/* A new id: the next page number, in the flat array or the hash. */
static noinline int id_new(struct kreplay *k, cache_id_t id, uint32_t *n)
{
	if (k->nr_ids >= k->id_pages)
		return kfail(k, "more distinct ids (%llu) than the replay's mapping holds",
			     (unsigned long long)k->nr_ids + 1);
	*n = (uint32_t)k->nr_ids;
	if (id < DIRECT_MAX) {
		if (id >= k->direct_cap) {
			uint64_t cap = k->direct_cap ? k->direct_cap : 4096;
			uint32_t *nd;

			while (cap <= id)
				cap *= 2;
			nd = realloc(k->direct, cap * sizeof(*nd));
			if (!nd)
				return kfail(k, "out of memory");
			memset(nd + k->direct_cap, 0, (cap - k->direct_cap) * sizeof(*nd));
			k->direct = nd;
			k->direct_cap = cap;
		}
		k->direct[id] = *n + 1;
	} else if (idmap_put(&k->ids, id, *n)) {
		return kfail(k, "out of memory");
	}
	k->nr_ids++;
	k->res->first_touches++;
	return 0;
}

/* An id trace's access: the id's page, written the first time. */
static inline int access_id(struct kreplay *k, cache_id_t id)
{
	uint32_t n;

	if (id < k->direct_cap && k->direct[id]) {
		n = k->direct[id] - 1;
	} else if (id >= DIRECT_MAX && (n = idmap_get(&k->ids, id)) != IDMAP_NONE) {
		;
	} else {
		if (id_new(k, id, &n))
			return -1;
		return access_one(k, k->id_base + ((unsigned long)n << k->page_shift), true);
	}
	return access_one(k, k->id_base + ((unsigned long)n << k->page_shift), false);
}

/*
 * Id traces: the next record (1), the end (0) or an error (-1), from the
 * read-ahead ring.  Host-cache hints only, nothing simulated: a record
 * read into the ring gets its direct[] slot prefetched; when it is
 * RA_WALK records from its turn, the page-table entry its translation
 * will load (mmu_prefetch), its page number known by then.
 */
static inline int ids_next(struct kreplay *k, uint8_t *op, cache_id_t *id)
{
	unsigned int h;

	while (k->ra_tail - k->ra_head < RA_SIZE && k->ra_end > 0) {
		struct trace_rec r;
		int ret = k->src->read(k->src->arg, &r);

		if (ret <= 0) {
			k->ra_end = ret;
			break;
		}
		h = k->ra_tail++ & (RA_SIZE - 1);
		k->ra[h].id = r.id;
		k->ra[h].op = r.op;
		if (r.id < k->direct_cap)
			__builtin_prefetch(&k->direct[r.id]);
	}
	if (k->ra_head == k->ra_tail)
		return k->ra_end;
	h = k->ra_head++ & (RA_SIZE - 1);
	*op = k->ra[h].op;
	*id = k->ra[h].id;
	if (k->ra_tail - k->ra_head > RA_WALK && k->cur) {
		cache_id_t next = k->ra[(k->ra_head + RA_WALK) & (RA_SIZE - 1)].id;

		if (next < k->direct_cap && k->direct[next])
			mmu_prefetch(k->id_base + ((unsigned long)(k->direct[next] - 1) << k->page_shift));
	}
	return 1;
}

/* Id traces: the one process and its mapping. */
static int setup_id_space(struct kreplay *k)
{
	unsigned long task_size, len, base;
	uint64_t want = k->src->nr_records ? k->src->nr_records : UINT32_MAX;

	if (proc_switch(k, 1) != 1)
		return k->err[0] ? -1 : kfail(k, "cannot start the replay's process");
	task_size = current->mm->task_size;
	if (want > UINT32_MAX - 1)
		want = UINT32_MAX - 1;
	/* at most a quarter of the address space, so the layout keeps its room */
	if (want > (task_size / 4) >> k->page_shift)
		want = (task_size / 4) >> k->page_shift;
	for (;; want /= 2) {
		len = (unsigned long)want << k->page_shift;
		base = sys_mmap(0, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1UL, 0);
		if (!IS_ERR_VALUE(base))
			break;
		if (want < 2)
			return kfail(k, "cannot map the replay's pages: %s",
				     strerror((int)-(long)base));
	}
	k->id_base = base;
	k->id_pages = want;
	return 0;
}

/* ---------------------------------------------------------------------
 * Layout events
 */

static void layout_result(struct kreplay *k, long ret)
{
	if (IS_ERR_VALUE(ret))
		k->res->layout_errors++;
}

static int do_mmap_rec(struct kreplay *k, const struct trace_rec *r)
{
	unsigned long flags = r->flags & ~(MAP_FIXED | MAP_FIXED_NOREPLACE | MAP_TYPE);
	unsigned long type = r->flags & MAP_TYPE, got;
	bool file = (int64_t)r->arg >= 0 && !(r->flags & MAP_ANONYMOUS);

	if (!r->len || IS_ERR_VALUE(r->addr))
		return 0;	/* the program's own call failed: nothing was mapped */
	/* A file mapping becomes anonymous: shared stays shared (shmem). */
	flags |= MAP_ANONYMOUS | (type == MAP_PRIVATE ? MAP_PRIVATE : MAP_SHARED);
	if (file)
		flags &= ~(unsigned long)MAP_HUGETLB;
	if (!r->addr) {
		layout_result(k, (long)sys_mmap(0, r->len, r->prot, flags, -1UL, 0));
		return 0;
	}
	got = sys_mmap(r->addr, r->len, r->prot, flags | MAP_FIXED_NOREPLACE, -1UL, 0);
	if (got == (unsigned long)-EEXIST) {	/* an implicit mapping, or an unrecorded one */
		stamps_drop(k, r->addr, r->addr + r->len);
		got = sys_mmap(r->addr, r->len, r->prot, flags | MAP_FIXED, -1UL, 0);
	}
	layout_result(k, (long)got);
	return 0;
}

static void do_brk_rec(struct kreplay *k, const struct trace_rec *r)
{
	struct mm_struct *mm = current->mm;
	struct rproc *p = k->cur;

	if (!p->brk_placed) {
		p->brk_placed = true;
		mmap_write_lock(mm);
		if (mm->brk == mm->start_brk && r->addr < mm->task_size &&
		    !find_vma_intersection(mm, r->addr & ~((1UL << k->page_shift) - 1),
					   r->addr + 1)) {
			/* exec placed the program's end here: the heap starts empty */
			mm->start_brk = mm->brk = r->addr;
			mmap_write_unlock(mm);
			return;
		}
		mmap_write_unlock(mm);
	}
	if (r->addr < mm->brk)
		stamps_drop(k, (r->addr + (1UL << k->page_shift) - 1) & ~((1UL << k->page_shift) - 1),
			    mm->brk);
	if (sys_brk(r->addr) != r->addr)
		k->res->layout_errors++;
}

static int do_fork_rec(struct kreplay *k, const struct trace_rec *r)
{
	struct rproc *parent = k->cur, *child;
	struct task_struct *t;
	long pid;

	if (proc_find(k, (uint32_t)r->arg))
		return kfail(k, "fork: child pid %llu already exists", (unsigned long long)r->arg);
	pid = sys_fork();
	if (pid < 0) {
		k->res->layout_errors++;	/* the child's records will spawn it afresh */
		return 0;
	}
	t = find_task_by_vpid((pid_t)pid);
	if (!t)
		return kfail(k, "fork: the child %ld vanished", pid);
	get_task_struct(t);
	child = proc_add(k, (uint32_t)r->arg, t, parent->lineage);
	if (!child) {
		put_task_struct(t);
		return kfail(k, "out of memory");
	}
	return stamps_fork(k, child);
}

static int do_event(struct kreplay *k, const struct trace_rec *r)
{
	if (flush_clock(k))
		return -1;
	switch (r->op) {
	case TRACE_MMAP:
		return do_mmap_rec(k, r);
	case TRACE_MUNMAP:
		stamps_drop(k, r->addr, r->addr + r->len);
		layout_result(k, sys_munmap(r->addr, r->len));
		return 0;
	case TRACE_BRK:
		do_brk_rec(k, r);
		return 0;
	case TRACE_MPROTECT:
		layout_result(k, sys_mprotect(r->addr, r->len, r->prot));
		return 0;
	case TRACE_FORK:
		return do_fork_rec(k, r);
	case TRACE_EXIT: {
		struct rproc *p = k->cur;

		sys_exit_group(0);
		proc_dead(k, p, false);
		return 0;
	}
	}
	return kfail(k, "unknown record type %u", r->op);
}

/* ---------------------------------------------------------------------
 * The run
 */

/* One more record read: the progress callback every PROGRESS_EVERY. */
static inline void count_record(struct kreplay *k)
{
	k->recno++;
	if (unlikely(!(k->recno & (PROGRESS_EVERY - 1))) && k->o->progress)
		k->o->progress(k->o->progress_arg, k->recno, k->src->nr_records);
}

static int replay_loop(struct kreplay *k)
{
	const struct replay_source *src = k->src;
	struct trace_rec r;
	uint32_t cur_pid = 0;
	int ret;

	k->ra_end = 1;
	while (!k->halted && !src->has_addresses) {
		uint8_t op = 0;
		cache_id_t id = 0;

		ret = ids_next(k, &op, &id);
		if (ret == 0)
			break;
		if (ret < 0) {
			snprintf(k->err, k->errlen, "%s", src->error(src->arg));
			return -1;
		}
		count_record(k);
		if (op != TRACE_READ && op != TRACE_WRITE)
			continue;	/* ids only: nothing else has a meaning */
		if (!k->cur) {
			k->res->dropped++;
			continue;
		}
		if (access_id(k, id))
			return -1;
	}
	while (!k->halted && src->has_addresses) {
		ret = src->read(src->arg, &r);
		if (ret == 0)
			break;
		if (ret < 0) {
			snprintf(k->err, k->errlen, "%s", src->error(src->arg));
			return -1;
		}
		count_record(k);
		if (r.pid != cur_pid || !k->cur) {
			ret = proc_switch(k, r.pid);
			if (ret < 0)
				return -1;
			if (!ret) {
				k->res->dropped++;
				continue;
			}
			cur_pid = r.pid;
		}
		if (likely(r.op == TRACE_READ || r.op == TRACE_WRITE)) {
			if (access_one(k, (unsigned long)r.addr, r.op == TRACE_WRITE))
				return -1;
		} else if (do_event(k, &r)) {
			return -1;
		}
		if (!k->cur)
			cur_pid = 0;
	}
	if (k->o->progress)
		k->o->progress(k->o->progress_arg, k->recno, src->nr_records);
	if (flush_clock(k))
		return -1;
	/* the last, partial interval, so that the series adds up to the totals */
	if (!k->o->no_series && take_sample(k, mmsim_clock_ns(k->m)))
		return kfail(k, "out of memory for the samples");
	return 0;
}

/* The totals: counters now minus at the start. */
static void finish(struct kreplay *k)
{
	struct replay_kresult *res = k->res;
	unsigned long ev[4];
	struct tlb_stats tlb;

	read_events(ev);
	res->faults = ev[0] - k->ev0[0];
	res->major_faults = ev[1] - k->ev0[1];
	res->minor_faults = res->faults - res->major_faults;
	res->pswpin = ev[2] - k->ev0[2];
	res->pswpout = ev[3] - k->ev0[3];
	res->refaults = global_node_page_state(WORKINGSET_REFAULT_ANON) +
			global_node_page_state(WORKINGSET_REFAULT_FILE) - k->refault0;
	res->oom_kills = sum_vm_event(OOM_KILL) - k->oom0;
	tlb_get_stats(k->m, 0, &tlb);
	res->tlb_hits = (tlb.l1_hits + tlb.l2_hits) - (k->tlb0.l1_hits + k->tlb0.l2_hits);
	res->tlb_misses = tlb.walks - k->tlb0.walks;
	res->misses = res->first_touches + res->major_faults;
	res->virtual_ns = mmsim_clock_ns(k->m) - k->clock0;
}

static void run_checks(struct kreplay *k)
{
	if (k->halted)
		return;
	for (size_t i = 0; i < k->nr_procs; i++) {
		struct task_struct *t = k->procs[i].task;
		struct mm_struct *mm = t ? get_task_mm(t) : NULL;

		if (!mm)
			continue;
		if (!mm_is_valid(mm))
			k->res->check_errors++;
		mmput(mm);
	}
	if (!mm_mapcounts_are_valid(k->m))
		k->res->check_errors++;
}

int replay_kernel(const struct replay_source *src, const struct replay_kopts *o,
		  struct replay_kresult *res, char *err, size_t errlen)
{
	struct kreplay k = { .src = src, .o = o, .res = res, .err = err, .errlen = errlen };
	uint64_t log_seq = 0;
	double t0, c0;
	int ret = -1;

	memset(res, 0, sizeof(*res));
	err[0] = '\0';
	k.m = mmsim_boot(o->spec ? o->spec : "");
	if (!k.m) {
		snprintf(err, errlen, "--spec: %s", mmsim_last_error());
		return -2;
	}
	k.page_shift = PAGE_SHIFT;
	for (const char *const *sc = o->sysctls; sc && *sc; sc++) {
		const char *eq = strchr(*sc, '=');
		char path[256];
		int n, w;

		n = eq ? snprintf(path, sizeof(path), "/proc/sys/%.*s", (int)(eq - *sc), *sc) : 0;
		for (char *c = path + 10; n > 10 && *c; c++)
			if (*c == '.')
				*c = '/';
		w = eq && n > 10 && n < (int)sizeof(path) ? mmsim_write(k.m, path, eq + 1) : -EINVAL;
		if (w) {
			snprintf(err, errlen, "--sysctl %s: %s", *sc,
				 eq ? strerror(-w) : "not KEY=VALUE");
			mmsim_shutdown(k.m);
			return -3;
		}
	}
	{
		char *t = mmsim_read(k.m, "/proc/sys/vm/mmap_min_addr");

		k.min_addr = t ? strtoul(t, NULL, 10) : 65536;
		free(t);
	}
	k.access_ns = o->access_ns;
	k.adaptive = !o->interval_ns;
	res->ram_pages = totalram_pages();
	if (idmap_init(&k.seen, 1024) || idmap_init(&k.ids, 1024) ||
	    idmap_init(&k.stamps, o->verify ? 1024 : 1) ||
	    replay_series_init(&res->series, o->interval_ns ? o->interval_ns : ADAPTIVE_START,
			       (unsigned int)NR_PAGE_ORDERS)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (!src->has_addresses && setup_id_space(&k))
		goto out;
	read_events(k.ev0);
	memcpy(k.ev_prev, k.ev0, sizeof(k.ev0));
	k.refault0 = global_node_page_state(WORKINGSET_REFAULT_ANON) +
		     global_node_page_state(WORKINGSET_REFAULT_FILE);
	k.oom0 = sum_vm_event(OOM_KILL);
	tlb_get_stats(k.m, 0, &k.tlb0);
	k.clock0 = mmsim_clock_ns(k.m);
	free(printk_render_dmesg_since(k.m, &log_seq));	/* the log from here on is the replay's */
	k.next_sample = k.clock0 + res->series.interval_ns;
	set_pending_limit(&k, k.clock0);

	t0 = host_seconds(CLOCK_MONOTONIC);
	c0 = host_seconds(CLOCK_THREAD_CPUTIME_ID);
	ret = replay_loop(&k);
	res->wall_seconds = host_seconds(CLOCK_MONOTONIC) - t0;
	res->cpu_seconds = host_seconds(CLOCK_THREAD_CPUTIME_ID) - c0;
	res->records = k.recno;
	res->halted = k.halted;
	res->verified = o->verify;
	if (!ret) {
		finish(&k);
		if (o->check) {
			run_checks(&k);
			res->checked = true;
		}
		res->kmsg = printk_render_dmesg_since(k.m, &log_seq);
	}
out:
	for (size_t i = 0; i < k.nr_procs; i++)
		if (k.procs[i].task)
			put_task_struct(k.procs[i].task);
	free(k.procs);
	free(k.direct);
	idmap_destroy(&k.seen);
	idmap_destroy(&k.ids);
	idmap_destroy(&k.stamps);
	free(k.stamp_val);
	mmsim_shutdown(k.m);
	if (ret)
		replay_kresult_free(res);
	return ret;
}

void replay_kresult_free(struct replay_kresult *res)
{
	replay_series_free(&res->series);
	free(res->kmsg);
	res->kmsg = NULL;
}
