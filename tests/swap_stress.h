/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tests/swap_stress.h - the engine of the data-integrity stress under
 * memory pressure: tests/test_swap_integrity.c (one set, every checker
 * after every step), tests/test_swap_integrity_mt.c (a set per CPU on host
 * threads, the machine-wide checkers where the threads meet) and
 * tests/test_reclaim_determinism.c (the same run twice, compared byte for
 * byte).
 *
 * Design.  A set is a family of processes (forked from one another) and
 * the objects they share.  Every process has the same SS_NREG regions at
 * the same addresses, each of ss_pages pages, one kind per region:
 *
 *   0, 1  ANON     MAP_PRIVATE|MAP_ANONYMOUS (fork copies, COW)
 *   2     SHANON   MAP_SHARED|MAP_ANONYMOUS (shmem; the family shares it)
 *   3     TMPFS    MAP_SHARED of the set's tmpfs file (/tmp: shmem)
 *   4     DISK     MAP_SHARED of the set's mmfs file ("/")
 *   5     PRIVFILE MAP_PRIVATE of the same mmfs file (the file's pages
 *                  until written, then anonymous COW copies)
 *
 * The model.  A page's bytes are a function of a 32-bit stamp and the
 * page's position (ss_fill: word i of the page is (stamp << 32 | i) ^
 * SS_XOR; stamp 0 is a zero page), so the model keeps one stamp per page,
 * never a copy, and a mismatch decodes to the stamp found there: stale (an
 * older stamp of the page), another page's, or zero (lost).  Every write
 * takes a fresh stamp from the set's counter.  Objects (the two files, and
 * each shared anonymous mapping) hold a stamp per page and a count of the
 * processes' regions that reference them; private regions hold a stamp per
 * page (SS_FILE: still the file's page).  Each page of a region also has its
 * state in the process: unmapped, PROT_NONE, read-only or read-write.
 *
 * A step picks an operation from the set's xorshift generator (the
 * sequence depends only on the seed), runs it as the set's current
 * process, checks what it returns, and updates the model: write or read
 * a run of pages through a mapping, fill a whole region, kernel_write /
 * kernel_read of a file, mmap of a region anew (MAP_FIXED), munmap and
 * mprotect of a run, MADV_DONTNEED / MADV_COLD / MADV_PAGEOUT, fork, exit,
 * swapoff + swapon of an area (set 0 only), virtual time (kswapd, the
 * flusher) and drop_caches.  Every ss_verify_every steps every page of
 * every live process and both files are read back and compared.
 *
 * Pressure: the regions are sized from ss_ratio (MMSIM_SWAP_RATIO) times
 * the machine's RAM, divided among the sets: with swap and reclaim the
 * family's pages exceed RAM and must go out and come back; the peak of
 * the model's footprint (pages that hold data the kernel must keep) is
 * reported as a multiple of RAM.
 *
 * Checkers: ss_check_set() after every step (mm_is_valid of current;
 * mapping_is_valid of the set's files when it is the only set: with other
 * CPUs running, a folio may be between two states -- isolated by reclaim,
 * PG_dirty cleared for I/O before its mark -- as the checker's comment
 * allows); ss_check_global() (lru_all_valid,
 * mm_mapcounts_are_valid, swap_counts_are_valid, swap_areas_are_valid,
 * shmem_sb_is_valid of /tmp, mapping_is_valid of every set's files) after
 * every step when single-threaded, at the barriers when threaded.
 *
 * Environment: MMSIM_STRESS_SEED, MMSIM_STRESS_STEPS, MMSIM_SWAP_RATIO,
 * MMSIM_STRESS_VERIFY (verify every N steps), MMSIM_STRESS_TRACE=1 (print
 * every operation).
 */
#ifndef MMSIM_SWAP_STRESS_H
#define MMSIM_SWAP_STRESS_H

#include <stdatomic.h>
#include "file_fixture.h"
#include <mmsim/shmem_fs.h>
#include <mmsim/mmfs.h>
#include <mmsim/swapops.h>
#include <mmsim/syscalls.h>
#include "kernel/internal.h"

#define SS_NREG		6
#define SS_NPROCS	10	/* table slots */
#define SS_LIVE		4	/* live processes at most */
#define SS_NOBJ		24	/* shared objects per set */
#define SS_FILE		0xffffffffu	/* a private-file page still shows the file */
#define SS_XOR		0x5ac35ac35ac35ac3ULL
#define SS_REGION_GAP	16	/* pages between regions: no VMA merges */
#define SS_MAXRUN	16	/* pages per write/read run */

enum ss_kind { SS_ANON, SS_SHANON, SS_TMPFS, SS_DISK, SS_PRIVFILE };
static const enum ss_kind ss_region_kind[SS_NREG] = {
	SS_ANON, SS_ANON, SS_SHANON, SS_TMPFS, SS_DISK, SS_PRIVFILE
};
static const char *const ss_kind_name[] = { "anon", "shared anon", "tmpfs", "disk", "private file" };

/* A page's state in a process's region. */
enum { SS_UNMAPPED, SS_NONE, SS_RO, SS_RW };

struct ss_obj {
	int refs;			/* regions referencing it (+1 for a set's file) */
	u32 *stamp;			/* per page */
	struct file *kf;		/* files: the test's own open file */
};

struct ss_region {
	int obj;			/* shared kinds: the object; -1 for ANON */
	u8 *state;			/* per page: SS_UNMAPPED .. SS_RW */
	u32 *priv;			/* ANON, PRIVFILE: per page stamp (SS_FILE: the file's) */
};

struct ss_proc {
	struct task_struct *t;
	pid_t pid;
	int parent;			/* slot, -1: init's */
	bool alive;
	int fd_tmp, fd_disk;
	struct ss_region reg[SS_NREG];
};

struct ss_set {
	int id, step;
	u64 rng;
	struct mmsim *m;
	struct ss_obj objs[SS_NOBJ];
	int obj_tmp, obj_disk;
	char path_tmp[32], path_disk[32];
	struct ss_proc procs[SS_NPROCS];
	int cur;			/* slot, -1: none */
	u32 next_stamp;
	unsigned char *buf, *want;	/* SS_MAXRUN pages */
	int failures;
	bool single;			/* the only set: global checks per step */
	bool swap_ops;			/* this set may swapoff/swapon */
	struct super_block *tmp_sb;	/* its machine's /tmp (shmem_sb_is_valid) */
	bool disk_writes_by_syscall;	/* write the DISK region by kernel_write, not the mapping */
	size_t logmark;
	/* what happened */
	unsigned long n_ops[32], n_forks, n_exits, n_pages_written, n_pages_read;
	unsigned long n_swapoff, n_swapoff_enomem, n_swapon, n_madv_fail;
	unsigned long peak_footprint, peak_swapbacked;
};

/* Shared by every set of a run. */
static atomic_int ss_failures;
static unsigned long ss_pages = 64;		/* pages per region */
static unsigned long ss_base = 0x10000000UL;
static double ss_ratio = 0.6;
static int ss_verify_every = 50;
static bool ss_trace;

#define SS_TRACE(s, fmt, ...)							\
	do {									\
		if (ss_trace)							\
			fprintf(stderr, "set %d step %d pid %d: " fmt "\n", (s)->id, (s)->step, \
				current ? current->pid : 0, ##__VA_ARGS__);		\
	} while (0)

#define SS_CHECK(cond, s, what)							\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "%s:%d: set %d step %d: %s: %s\n",	\
				__FILE__, __LINE__, (s)->id, (s)->step, what, #cond); \
			(s)->failures++;					\
			atomic_fetch_add(&ss_failures, 1);			\
		}								\
	} while (0)

static inline u64 ss_rnd(struct ss_set *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return s->rng;
}

static inline unsigned int ss_below(struct ss_set *s, unsigned long n)
{
	return n ? (unsigned int)(ss_rnd(s) % n) : 0;
}

static inline unsigned long ss_va(int r, unsigned long pg)
{
	return ss_base + ((unsigned long)r * (ss_pages + SS_REGION_GAP) + pg) * PAGE_SIZE;
}

/* --- page contents ---------------------------------------------------- */

static inline void ss_fill(unsigned char *page, u32 stamp)
{
	u64 *w = (u64 *)page;

	if (!stamp) {
		memset(page, 0, PAGE_SIZE);
		return;
	}
	for (unsigned long i = 0; i < PAGE_SIZE / 8; i++)
		w[i] = ((u64)stamp << 32 | i) ^ SS_XOR;
}

/* Compare a page read back with what @stamp says; print what was found. */
static inline bool ss_page_ok(struct ss_set *s, const unsigned char *got, u32 stamp,
			      const char *what, unsigned long pg)
{
	unsigned long i;
	const u64 *w = (const u64 *)got;

	ss_fill(s->want, stamp);
	if (!memcmp(got, s->want, PAGE_SIZE))
		return true;
	for (i = 0; i < PAGE_SIZE / 8 && w[i] == ((const u64 *)s->want)[i]; i++)
		;
	{
		u64 d = w[i] ^ SS_XOR;

		fprintf(stderr, "%s: set %d step %d: %s page %lu: word %lu is %#llx (%s stamp %#x "
			"word %llu), the model wants stamp %#x%s\n", kt_cur_name, s->id, s->step,
			what, pg, i, (unsigned long long)w[i], w[i] ? "pattern" : "zero:",
			(unsigned)(d >> 32), (unsigned long long)(d & 0xffffffff), stamp,
			w[i] && (u32)(d >> 32) < stamp && (u32)(d >> 32) != 0 ? " (older: stale)" : "");
	}
	s->failures++;
	atomic_fetch_add(&ss_failures, 1);
	return false;
}

static inline u32 ss_new_stamp(struct ss_set *s)
{
	s->next_stamp++;
	if (s->next_stamp >= 0x00ffffffu)
		s->next_stamp = 1;
	return (u32)s->id << 24 | s->next_stamp;
}

/* --- objects ------------------------------------------------------------ */

static inline int ss_obj_new(struct ss_set *s)
{
	for (int o = 0; o < SS_NOBJ; o++) {
		if (s->objs[o].refs)
			continue;
		s->objs[o].refs = 1;
		s->objs[o].stamp = calloc(ss_pages, sizeof(u32));
		s->objs[o].kf = NULL;
		return o;
	}
	return -1;
}

static inline void ss_obj_put(struct ss_set *s, int o)
{
	if (o < 0 || --s->objs[o].refs)
		return;
	free(s->objs[o].stamp);
	s->objs[o].stamp = NULL;
	if (s->objs[o].kf)
		SS_CHECK(filp_close(s->objs[o].kf) == 0, s, "filp_close");
	s->objs[o].kf = NULL;
}

/* --- processes ---------------------------------------------------------- */

static inline struct ss_proc *ss_cur(struct ss_set *s)
{
	return s->cur >= 0 ? &s->procs[s->cur] : NULL;
}

static inline int ss_live(struct ss_set *s)
{
	int n = 0;

	for (int i = 0; i < SS_NPROCS; i++)
		n += s->procs[i].alive;
	return n;
}

static inline bool ss_run(struct ss_set *s, int slot)
{
	int r = mmsim_switch_to(s->procs[slot].t);

	SS_CHECK(r == 0, s, "switch");
	if (r)
		return false;
	s->cur = slot;
	return true;
}

static inline void ss_region_free(struct ss_set *s, struct ss_region *rg)
{
	free(rg->state);
	free(rg->priv);
	rg->state = NULL;
	rg->priv = NULL;
	ss_obj_put(s, rg->obj);
	rg->obj = -1;
}

static inline void ss_proc_forget(struct ss_set *s, struct ss_proc *p)
{
	for (int r = 0; r < SS_NREG; r++)
		ss_region_free(s, &p->reg[r]);
	p->alive = false;
}

/* (Re)map region @r of current whole, with fresh contents; true if it worked. */
static inline bool ss_map_region(struct ss_set *s, int r)
{
	struct ss_proc *p = ss_cur(s);
	struct ss_region *rg = &p->reg[r];
	enum ss_kind k = ss_region_kind[r];
	unsigned long flags = MAP_FIXED, fd = (unsigned long)-1, va;
	int obj = -1;

	switch (k) {
	case SS_ANON: flags |= MAP_PRIVATE | MAP_ANONYMOUS; break;
	case SS_SHANON: flags |= MAP_SHARED | MAP_ANONYMOUS; break;
	case SS_TMPFS: flags |= MAP_SHARED; fd = (unsigned long)p->fd_tmp; break;
	case SS_DISK: flags |= MAP_SHARED; fd = (unsigned long)p->fd_disk; break;
	case SS_PRIVFILE: flags |= MAP_PRIVATE; fd = (unsigned long)p->fd_disk; break;
	}
	va = sys_mmap(ss_va(r, 0), ss_pages * PAGE_SIZE, PROT_READ | PROT_WRITE, flags, fd, 0);
	SS_TRACE(s, "mmap region %d (%s): %#lx", r, ss_kind_name[k], va);
	SS_CHECK(va == ss_va(r, 0), s, "mmap");
	if (va != ss_va(r, 0)) {
		fprintf(stderr, "mmap region %d (%s): %ld\n", r, ss_kind_name[k], (long)va);
		return false;
	}
	if (k == SS_SHANON) {
		obj = ss_obj_new(s);
		SS_CHECK(obj >= 0, s, "model: objects");
	} else if (k == SS_TMPFS) {
		obj = s->obj_tmp;
		s->objs[obj].refs++;
	} else if (k == SS_DISK || k == SS_PRIVFILE) {
		obj = s->obj_disk;
		s->objs[obj].refs++;
	}
	ss_obj_put(s, rg->obj);
	rg->obj = obj;
	memset(rg->state, SS_RW, ss_pages);
	if (rg->priv) {
		for (unsigned long g = 0; g < ss_pages; g++)
			rg->priv[g] = k == SS_ANON ? 0 : SS_FILE;
	}
	return true;
}

/* A fresh process with the set's files open and every region mapped. */
static inline int ss_spawn(struct ss_set *s)
{
	struct task_struct *t;
	struct ss_proc *p;
	int slot;

	for (slot = 0; slot < SS_NPROCS && (s->procs[slot].alive || s->procs[slot].t); slot++)
		;
	if (slot == SS_NPROCS)
		for (slot = 0; slot < SS_NPROCS && s->procs[slot].alive; slot++)
			;
	if (slot == SS_NPROCS)
		return -1;
	t = mmsim_spawn(s->m, "swapstress");
	SS_CHECK(t != NULL, s, "spawn");
	if (!t)
		return -1;
	p = &s->procs[slot];
	memset(p, 0, sizeof(*p));
	p->t = t;
	p->pid = t->pid;
	p->parent = -1;
	p->alive = true;
	for (int r = 0; r < SS_NREG; r++) {
		p->reg[r].obj = -1;
		p->reg[r].state = calloc(ss_pages, 1);
		if (ss_region_kind[r] == SS_ANON || ss_region_kind[r] == SS_PRIVFILE)
			p->reg[r].priv = calloc(ss_pages, sizeof(u32));
	}
	if (!ss_run(s, slot))
		return -1;
	p->fd_tmp = (int)sys_open(s->path_tmp, O_RDWR, 0);
	p->fd_disk = (int)sys_open(s->path_disk, O_RDWR, 0);
	SS_CHECK(p->fd_tmp >= 0 && p->fd_disk >= 0, s, "open");
	for (int r = 0; r < SS_NREG; r++)
		ss_map_region(s, r);
	return slot;
}

/* What page @g of region @r of @p must show now. */
static inline u32 ss_expect(struct ss_set *s, struct ss_proc *p, int r, unsigned long g)
{
	struct ss_region *rg = &p->reg[r];

	if (ss_region_kind[r] == SS_ANON)
		return rg->priv[g];
	if (ss_region_kind[r] == SS_PRIVFILE && rg->priv[g] != SS_FILE)
		return rg->priv[g];
	return s->objs[rg->obj].stamp[g];
}

/* --- the checkers ------------------------------------------------------- */

static inline void ss_dump_log(struct ss_set *s)
{
	char *log = log_since(s->m, &s->logmark);

	if (log && s->failures)
		fprintf(stderr, "--- kernel log (set %d step %d) ---\n%s---\n", s->id, s->step,
			strlen(log) > 4000 ? log + strlen(log) - 4000 : log);
	free(log);
}

static inline void ss_check_set(struct ss_set *s)
{
	int before = s->failures;

	/* With other CPUs running, a folio of the set's files may be between
	 * two of its states (isolated by reclaim, PG_dirty cleared for I/O
	 * before its mark): mapping_is_valid waits for the barriers. */
	for (int o = 0; s->single && o < SS_NOBJ; o++)
		if (s->objs[o].refs && s->objs[o].kf)
			SS_CHECK(mapping_is_valid(s->objs[o].kf->f_mapping), s, "mapping_is_valid");
	if (current)
		SS_CHECK(mm_is_valid(current->mm), s, "mm_is_valid");
	if (s->failures != before && s->failures < 5)
		ss_dump_log(s);
}

static inline void ss_check_global(struct ss_set *s, struct ss_set *all, int nsets)
{
	int before = s->failures;

	SS_CHECK(lru_all_valid(), s, "lru_all_valid");
	SS_CHECK(mm_mapcounts_are_valid(s->m), s, "mm_mapcounts_are_valid");
	SS_CHECK(swap_counts_are_valid(s->m), s, "swap_counts_are_valid");
	SS_CHECK(swap_areas_are_valid(s->m), s, "swap_areas_are_valid");
	if (s->tmp_sb)
		SS_CHECK(shmem_sb_is_valid(s->tmp_sb), s, "shmem_sb_is_valid");
	for (int k = 0; k < nsets; k++)
		for (int o = 0; o < SS_NOBJ; o++)
			if (all[k].objs[o].refs && all[k].objs[o].kf)
				SS_CHECK(mapping_is_valid(all[k].objs[o].kf->f_mapping), s,
					 "mapping_is_valid (global)");
	if (s->failures != before && s->failures < 5)
		ss_dump_log(s);
}

/* The pages the kernel must keep for this set (a page read as zero counts not). */
static inline void ss_footprint(struct ss_set *s, unsigned long *all, unsigned long *swapbacked)
{
	unsigned long n = 0, sb = 0;

	for (int o = 0; o < SS_NOBJ; o++) {
		if (!s->objs[o].refs)
			continue;
		for (unsigned long g = 0; g < ss_pages; g++)
			if (s->objs[o].stamp[g]) {
				n++;
				sb += o != s->obj_disk;
			}
	}
	for (int i = 0; i < SS_NPROCS; i++) {
		struct ss_proc *p = &s->procs[i];

		if (!p->alive)
			continue;
		for (int r = 0; r < SS_NREG; r++) {
			if (!p->reg[r].priv)
				continue;
			for (unsigned long g = 0; g < ss_pages; g++)
				if (p->reg[r].state[g] != SS_UNMAPPED && p->reg[r].priv[g] &&
				    p->reg[r].priv[g] != SS_FILE) {
					n++;
					sb++;
				}
		}
	}
	*all = n;
	*swapbacked = sb;
}

/* Read back every page of @slot's regions (as it) and compare. */
static inline void ss_verify_proc(struct ss_set *s, int slot)
{
	struct ss_proc *p = &s->procs[slot];
	char what[96];

	if (!ss_run(s, slot))
		return;
	for (int r = 0; r < SS_NREG; r++) {
		for (unsigned long g = 0; g < ss_pages; g++) {
			if (p->reg[r].state[g] <= SS_NONE)
				continue;
			if (mmsim_user_read(ss_va(r, g), s->buf, PAGE_SIZE)) {
				SS_CHECK(0, s, "verify read");
				return;
			}
			snprintf(what, sizeof(what), "verify pid %d region %d (%s)", p->pid, r,
				 ss_kind_name[ss_region_kind[r]]);
			ss_page_ok(s, s->buf, ss_expect(s, p, r, g), what, g);
			s->n_pages_read++;
		}
	}
}

static inline void ss_verify_file(struct ss_set *s, int o, const char *name)
{
	char what[64];

	for (unsigned long g = 0; g < ss_pages; g += SS_MAXRUN) {
		unsigned long n = ss_pages - g < SS_MAXRUN ? ss_pages - g : SS_MAXRUN;
		loff_t pos = (loff_t)(g * PAGE_SIZE);
		ssize_t r = kernel_read(s->objs[o].kf, s->buf, n * PAGE_SIZE, &pos);

		SS_CHECK(r == (ssize_t)(n * PAGE_SIZE), s, "kernel_read (verify)");
		if (r != (ssize_t)(n * PAGE_SIZE))
			return;
		snprintf(what, sizeof(what), "verify %s file by kernel_read", name);
		for (unsigned long i = 0; i < n; i++)
			ss_page_ok(s, s->buf + i * PAGE_SIZE, s->objs[o].stamp[g + i], what, g + i);
	}
}

static inline void ss_verify_all(struct ss_set *s)
{
	int cur = s->cur;
	unsigned long fp, sb;

	ss_footprint(s, &fp, &sb);
	if (fp > s->peak_footprint)
		s->peak_footprint = fp;
	if (sb > s->peak_swapbacked)
		s->peak_swapbacked = sb;
	for (int i = 0; i < SS_NPROCS; i++)
		if (s->procs[i].alive)
			ss_verify_proc(s, i);
	ss_verify_file(s, s->obj_tmp, "tmpfs");
	ss_verify_file(s, s->obj_disk, "disk");
	if (cur >= 0 && s->procs[cur].alive)
		ss_run(s, cur);
}

/* --- the operations, as current ------------------------------------------ */

/* A run of pages [*g, *g + *n) of a random region; false if none. */
static inline int ss_pick_run(struct ss_set *s, unsigned long *g, unsigned long *n)
{
	int r = (int)ss_below(s, SS_NREG);

	*n = 1 + ss_below(s, SS_MAXRUN);
	if (*n > ss_pages)
		*n = ss_pages;
	*g = ss_below(s, ss_pages - *n + 1);
	return r;
}

static inline void ss_write_page(struct ss_set *s, int r, unsigned long g)
{
	struct ss_proc *p = ss_cur(s);
	struct ss_region *rg = &p->reg[r];
	u32 stamp = ss_new_stamp(s);

	ss_fill(s->buf, stamp);
	if (s->disk_writes_by_syscall && ss_region_kind[r] == SS_DISK) {
		loff_t pos = (loff_t)(g * PAGE_SIZE);

		SS_CHECK(kernel_write(s->objs[rg->obj].kf, s->buf, PAGE_SIZE, &pos) ==
			 (ssize_t)PAGE_SIZE, s, "kernel_write (for the mapping)");
		s->objs[rg->obj].stamp[g] = stamp;
		s->n_pages_written++;
		return;
	}
	if (mmsim_user_write(ss_va(r, g), s->buf, PAGE_SIZE)) {
		SS_CHECK(0, s, "mapping write");
		return;
	}
	if (rg->priv)
		rg->priv[g] = stamp;
	else
		s->objs[rg->obj].stamp[g] = stamp;
	s->n_pages_written++;
}

static inline void ss_op_write(struct ss_set *s, bool whole)
{
	unsigned long g, n;
	int r = ss_pick_run(s, &g, &n);
	struct ss_region *rg = &ss_cur(s)->reg[r];

	if (whole)
		g = 0, n = ss_pages;
	SS_TRACE(s, "write region %d (%s) pages [%lu, +%lu)", r, ss_kind_name[ss_region_kind[r]], g, n);
	for (unsigned long i = g; i < g + n && current; i++)
		if (rg->state[i] == SS_RW)
			ss_write_page(s, r, i);
}

static inline void ss_op_read(struct ss_set *s)
{
	unsigned long g, n;
	int r = ss_pick_run(s, &g, &n);
	struct ss_proc *p = ss_cur(s);
	char what[64];

	SS_TRACE(s, "read region %d (%s) pages [%lu, +%lu)", r, ss_kind_name[ss_region_kind[r]], g, n);
	snprintf(what, sizeof(what), "read pid %d region %d (%s)", p->pid, r,
		 ss_kind_name[ss_region_kind[r]]);
	for (unsigned long i = g; i < g + n; i++) {
		if (p->reg[r].state[i] <= SS_NONE)
			continue;
		if (mmsim_user_read(ss_va(r, i), s->buf, PAGE_SIZE)) {
			SS_CHECK(0, s, "mapping read");
			return;
		}
		ss_page_ok(s, s->buf, ss_expect(s, p, r, i), what, i);
		s->n_pages_read++;
	}
}

/* kernel_write / kernel_read of a run of one of the set's files. */
static inline void ss_op_file(struct ss_set *s, bool write)
{
	int o = ss_below(s, 2) ? s->obj_tmp : s->obj_disk;
	unsigned long n = 1 + ss_below(s, SS_MAXRUN), g;
	loff_t pos;
	ssize_t r;

	if (n > ss_pages)
		n = ss_pages;
	g = ss_below(s, ss_pages - n + 1);
	pos = (loff_t)(g * PAGE_SIZE);
	SS_TRACE(s, "kernel_%s %s file pages [%lu, +%lu)", write ? "write" : "read",
		 o == s->obj_tmp ? "tmpfs" : "disk", g, n);
	if (write) {
		u32 st[SS_MAXRUN];

		for (unsigned long i = 0; i < n; i++) {
			st[i] = ss_new_stamp(s);
			ss_fill(s->buf + i * PAGE_SIZE, st[i]);
		}
		r = kernel_write(s->objs[o].kf, s->buf, n * PAGE_SIZE, &pos);
		SS_CHECK(r == (ssize_t)(n * PAGE_SIZE), s, "kernel_write");
		if (r == (ssize_t)(n * PAGE_SIZE))
			memcpy(&s->objs[o].stamp[g], st, n * sizeof(u32));
		s->n_pages_written += n;
		return;
	}
	r = kernel_read(s->objs[o].kf, s->buf, n * PAGE_SIZE, &pos);
	SS_CHECK(r == (ssize_t)(n * PAGE_SIZE), s, "kernel_read");
	if (r != (ssize_t)(n * PAGE_SIZE))
		return;
	for (unsigned long i = 0; i < n; i++)
		ss_page_ok(s, s->buf + i * PAGE_SIZE, s->objs[o].stamp[g + i],
			   o == s->obj_tmp ? "kernel_read tmpfs" : "kernel_read disk", g + i);
	s->n_pages_read += n;
}

static inline void ss_op_mmap(struct ss_set *s)
{
	int r = (int)ss_below(s, SS_NREG);

	ss_map_region(s, r);
}

static inline void ss_op_munmap(struct ss_set *s)
{
	unsigned long g, n;
	int r = ss_pick_run(s, &g, &n);
	struct ss_region *rg = &ss_cur(s)->reg[r];

	SS_TRACE(s, "munmap region %d pages [%lu, +%lu)", r, g, n);
	SS_CHECK(sys_munmap(ss_va(r, g), n * PAGE_SIZE) == 0, s, "munmap");
	memset(rg->state + g, SS_UNMAPPED, n);
}

static inline void ss_op_mprotect(struct ss_set *s)
{
	static const int prots[] = { PROT_READ | PROT_WRITE, PROT_READ, PROT_NONE };
	static const u8 states[] = { SS_RW, SS_RO, SS_NONE };
	unsigned long g, n, i;
	int r = ss_pick_run(s, &g, &n), k = (int)ss_below(s, 3);
	struct ss_region *rg = &ss_cur(s)->reg[r];

	for (i = g; i < g + n && rg->state[i] != SS_UNMAPPED; i++)
		;
	n = i - g;		/* up to the first hole: no -ENOMEM */
	if (!n)
		return;
	SS_TRACE(s, "mprotect region %d pages [%lu, +%lu) %d", r, g, n, prots[k]);
	SS_CHECK(sys_mprotect(ss_va(r, g), n * PAGE_SIZE, (unsigned long)prots[k]) == 0, s,
		 "mprotect");
	memset(rg->state + g, states[k], n);
}

static inline void ss_op_madvise(struct ss_set *s)
{
	static const int advs[] = { MADV_DONTNEED, MADV_COLD, MADV_PAGEOUT, MADV_PAGEOUT };
	unsigned long g, n, i;
	int r = ss_pick_run(s, &g, &n), adv = advs[ss_below(s, 4)];
	struct ss_region *rg = &ss_cur(s)->reg[r];
	long ret;

	for (i = g; i < g + n && rg->state[i] != SS_UNMAPPED; i++)
		;
	n = i - g;		/* a hole is -ENOMEM (after the work): keep it simple */
	if (!n)
		return;
	ret = sys_madvise(ss_va(r, g), n * PAGE_SIZE, adv);
	SS_TRACE(s, "madvise region %d pages [%lu, +%lu) %d: %ld", r, g, n, adv, ret);
	if (adv == MADV_DONTNEED) {
		SS_CHECK(ret == 0, s, "MADV_DONTNEED");
		if (ret)
			return;
		/* Private pages are dropped: anon ones read zero, file ones the file. */
		if (rg->priv)
			for (i = g; i < g + n; i++)
				rg->priv[i] = ss_region_kind[r] == SS_ANON ? 0 : SS_FILE;
		return;
	}
	/* COLD/PAGEOUT change nothing a process can see (-EINVAL before they exist). */
	SS_CHECK(ret == 0 || ret == -EINVAL, s, "MADV_COLD/PAGEOUT");
	if (ret)
		s->n_madv_fail++;
}

static inline void ss_op_fork(struct ss_set *s)
{
	int slot, parent = s->cur;
	struct ss_proc *c, *p = ss_cur(s);
	long pid;

	if (ss_live(s) >= SS_LIVE)
		return;
	for (slot = 0; slot < SS_NPROCS && (s->procs[slot].alive || s->procs[slot].t); slot++)
		;
	if (slot == SS_NPROCS)
		return;
	pid = sys_fork();
	SS_TRACE(s, "fork: %ld", pid);
	SS_CHECK(pid > 0, s, "fork");
	if (pid <= 0)
		return;
	c = &s->procs[slot];
	*c = *p;
	c->t = find_task_by_vpid((pid_t)pid);
	c->pid = (pid_t)pid;
	c->parent = parent;
	SS_CHECK(c->t != NULL, s, "child");
	for (int r = 0; r < SS_NREG; r++) {
		struct ss_region *rg = &c->reg[r];

		rg->state = malloc(ss_pages);
		memcpy(rg->state, p->reg[r].state, ss_pages);
		if (p->reg[r].priv) {
			rg->priv = malloc(ss_pages * sizeof(u32));
			memcpy(rg->priv, p->reg[r].priv, ss_pages * sizeof(u32));
		}
		if (rg->obj >= 0)
			s->objs[rg->obj].refs++;
	}
	s->n_forks++;
}

/* A process is gone: its parent in the set reaps it. */
static inline void ss_reap(struct ss_set *s, int slot, int status)
{
	struct ss_proc *p = &s->procs[slot];
	int parent = p->parent;

	ss_proc_forget(s, p);
	for (int i = 0; i < SS_NPROCS; i++)
		if (s->procs[i].parent == slot)
			s->procs[i].parent = -1;
	if (s->cur == slot)
		s->cur = -1;
	if (parent >= 0 && s->procs[parent].alive && ss_run(s, parent)) {
		int st = -1;

		SS_CHECK(sys_wait4(p->pid, &st, 0, NULL) == p->pid, s, "wait4");
		SS_CHECK(st == status, s, "wait status");
	}
	p->t = NULL;
}

static inline void ss_op_exit(struct ss_set *s)
{
	int slot = s->cur, code = (int)ss_below(s, 256);

	if (ss_live(s) <= 1)
		return;
	SS_TRACE(s, "exit %d", code);
	sys_exit_group(code);
	SS_CHECK(current == NULL, s, "exit");
	s->n_exits++;
	ss_reap(s, slot, code << 8);
}

/*
 * swapoff of an area whose pages the others can take (with room to spare:
 * an OOM kill would break the model), then swapon again with the same
 * priority.  -ENOMEM is Linux's answer when memory is short: the area
 * stays on.  The areas come from /proc/swaps (its locking, not the test's
 * reads of swap_info_struct while other CPUs allocate slots).
 */
static inline void ss_op_swapoff(struct ss_set *s)
{
	char names[MAX_SWAPFILES][64], *text, *line;
	long size[MAX_SWAPFILES], used[MAX_SWAPFILES], ret;
	int prio[MAX_SWAPFILES], nr = 0, k;

	if (!s->swap_ops)
		return;
	text = mmsim_read(s->m, "/proc/swaps");
	line = text ? strchr(text, '\n') : NULL;	/* past the header */
	while (line && *++line && nr < MAX_SWAPFILES) {
		char type[32];

		if (sscanf(line, "%63s %31s %ld %ld %d", names[nr], type, &size[nr], &used[nr],
			   &prio[nr]) == 5)
			nr++;
		line = strchr(line, '\n');
	}
	free(text);
	if (nr < 2)
		return;
	/* The fullest area the others can take (KiB, a quarter of RAM to
	 * spare), so swapoff has pages to bring back; else a random one. */
	k = -1;
	for (int i = 0; i < nr; i++) {
		long other = 0;

		for (int j = 0; j < nr; j++)
			if (j != i)
				other += size[j] - used[j];
		if (used[i] + (long)(totalram_pages() * (PAGE_SIZE / 1024)) / 4 <= other &&
		    (k < 0 || used[i] > used[k]))
			k = i;
	}
	if (k < 0)
		return;
	if (!used[k])
		k = (int)ss_below(s, (unsigned long)nr);
	ret = sys_swapoff(names[k]);
	SS_TRACE(s, "swapoff %s (%ld KiB used): %ld", names[k], used[k], ret);
	SS_CHECK(ret == 0 || ret == -ENOMEM, s, "swapoff");
	if (ret == -ENOMEM) {
		s->n_swapoff_enomem++;
		return;
	}
	if (ret)
		return;
	s->n_swapoff++;
	ret = sys_swapon(names[k], prio[k] >= 0 ? SWAP_FLAG_PREFER | (prio[k] & SWAP_FLAG_PRIO_MASK) : 0);
	SS_TRACE(s, "swapon %s: %ld", names[k], ret);
	SS_CHECK(ret == 0, s, "swapon");
	if (!ret)
		s->n_swapon++;
}

static inline void ss_op_clock(struct ss_set *s)
{
	u64 ns = (u64)(1 + ss_below(s, 50)) * 100000000ULL;	/* to 5 s */

	SS_TRACE(s, "clock +%llu ms", (unsigned long long)(ns / 1000000));
	mmsim_advance_clock(s->m, ns);
}

static inline void ss_op_drop(struct ss_set *s)
{
	int what = 1 + (int)ss_below(s, 3);

	SS_TRACE(s, "drop_caches %d", what);
	SS_CHECK(fx_drop_caches(s->m, what) == 0, s, "drop_caches");
}

enum {
	SS_OP_WRITE, SS_OP_READ, SS_OP_FILL, SS_OP_FWRITE, SS_OP_FREAD, SS_OP_MMAP, SS_OP_MUNMAP,
	SS_OP_MPROTECT, SS_OP_MADVISE, SS_OP_FORK, SS_OP_EXIT, SS_OP_SWAPOFF, SS_OP_CLOCK,
	SS_OP_DROP, SS_NR_OPS
};

/* Cumulative weights (out of 1000). */
static const unsigned short ss_weight[SS_NR_OPS] = {
	[SS_OP_WRITE] = 260, [SS_OP_READ] = 500, [SS_OP_FILL] = 540, [SS_OP_FWRITE] = 600,
	[SS_OP_FREAD] = 650, [SS_OP_MMAP] = 690, [SS_OP_MUNMAP] = 725, [SS_OP_MPROTECT] = 780,
	[SS_OP_MADVISE] = 840, [SS_OP_FORK] = 880, [SS_OP_EXIT] = 910, [SS_OP_SWAPOFF] = 925,
	[SS_OP_CLOCK] = 985, [SS_OP_DROP] = 1000,
};

static inline void ss_step(struct ss_set *s)
{
	unsigned int r = ss_below(s, 1000);
	int op;

	if (!ss_live(s) && ss_spawn(s) < 0)
		return;
	if (s->cur < 0 || ss_below(s, 6) == 0) {
		int k;

		do
			k = (int)ss_below(s, SS_NPROCS);
		while (!s->procs[k].alive);
		if (!ss_run(s, k))
			return;
	}
	for (op = 0; op < SS_NR_OPS - 1 && r >= ss_weight[op]; op++)
		;
	s->n_ops[op]++;
	switch (op) {
	case SS_OP_WRITE: ss_op_write(s, false); break;
	case SS_OP_READ: ss_op_read(s); break;
	case SS_OP_FILL: ss_op_write(s, true); break;
	case SS_OP_FWRITE: ss_op_file(s, true); break;
	case SS_OP_FREAD: ss_op_file(s, false); break;
	case SS_OP_MMAP: ss_op_mmap(s); break;
	case SS_OP_MUNMAP: ss_op_munmap(s); break;
	case SS_OP_MPROTECT: ss_op_mprotect(s); break;
	case SS_OP_MADVISE: ss_op_madvise(s); break;
	case SS_OP_FORK: ss_op_fork(s); break;
	case SS_OP_EXIT: ss_op_exit(s); break;
	case SS_OP_SWAPOFF: ss_op_swapoff(s); break;
	case SS_OP_CLOCK: ss_op_clock(s); break;
	default: ss_op_drop(s); break;
	}
	ss_check_set(s);
	if (s->single)
		ss_check_global(s, s, 1);
	if (s->step % ss_verify_every == 0)
		ss_verify_all(s);
}

/* --- a run --------------------------------------------------------------- */

/* The environment's knobs (before sizing). */
static inline void ss_params_from_env(void)
{
	const char *e;

	ss_trace = getenv("MMSIM_STRESS_TRACE") != NULL;
	if ((e = getenv("MMSIM_STRESS_VERIFY")))
		ss_verify_every = atoi(e) > 0 ? atoi(e) : 1;
	if ((e = getenv("MMSIM_SWAP_RATIO")))
		ss_ratio = atof(e);
}

/*
 * Region size for @nsets sets at ss_ratio x RAM: a family of ~3 live
 * processes keeps about 11 regions' worth of data (private copies of the
 * anon and private-file regions, the shared objects once).
 */
static inline void ss_size_regions(int nsets)
{
	unsigned long ram = totalram_pages();

	ss_pages = (unsigned long)(ss_ratio * (double)ram / 11.0 / nsets);
	if (ss_pages < 16)
		ss_pages = 16;
}

/*
 * Can a machine booted with @spec (swap= areas) run at more than RAM?  A
 * probe, on a machine of its own: one process writes a word of every page
 * of 1.5x RAM of anonymous memory and reads them back.  False if @spec
 * does not boot (no swap= yet), or a write or read fails or reads wrong
 * (reclaim or swap-in broken).
 */
static inline bool ss_probe_swap(const char *spec)
{
	struct mmsim *m = mmsim_boot(spec);
	struct task_struct *t;
	unsigned long n, va;
	bool ok = false;
	long w;

	if (!m)
		return false;
	t = get_total_swap_pages() > 0 ? mmsim_spawn(m, "probe") : NULL;
	if (!t || mmsim_switch_to(t))
		goto out;
	n = totalram_pages() * 3 / 2;
	va = sys_mmap(0, n * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      (unsigned long)-1, 0);
	if (IS_ERR_VALUE(va))
		goto out;
	for (unsigned long g = 0; g < n; g++) {
		w = (long)g;
		if (mmsim_user_write(va + g * PAGE_SIZE, &w, sizeof(w)) || !current)
			goto out;
	}
	for (unsigned long g = 0; g < n; g++)
		if (mmsim_user_read(va + g * PAGE_SIZE, &w, sizeof(w)) || !current || w != (long)g)
			goto out;
	ok = true;
out:
	if (current)
		sys_exit_group(0);
	mmsim_shutdown(m);
	return ok;
}

/*
 * After every process is gone: a swap-cache folio whose last swap PTE went
 * while it was under writeback (or locked) stays in the swap cache holding
 * its slot, as in Linux (free_swap_and_cache only trylocks, and
 * folio_free_swap refuses a folio under writeback); reclaim drops it
 * later.  Let the writeback end and ask for proactive reclaim through the
 * root's memory.reclaim until every slot is free (or reclaim stops
 * freeing).  The caller then checks that none is left.
 */
static inline void ss_reclaim_orphans(struct mmsim *m)
{
	char req[64];

	snprintf(req, sizeof(req), "%luK swappiness=200", totalram_pages() * (PAGE_SIZE / 1024));
	for (int i = 0; i < 8 && get_nr_swap_pages() != get_total_swap_pages(); i++) {
		mmsim_advance_clock(m, 1000000000ULL);
		mmsim_write(m, "/sys/fs/cgroup/memory.reclaim", req);	/* -EAGAIN: not all of it */
	}
}

/* The super block mounted at @where. */
static inline struct super_block *ss_find_sb(const char *where)
{
	struct path path;
	struct super_block *sb = NULL;

	if (!kern_path(where, 0, &path)) {
		sb = path.dentry->d_sb;
		path_put(&path);
	}
	return sb;
}

/* A set: its files made (by a short-lived process), its generator seeded. */
static inline void ss_init_set(struct ss_set *s, struct mmsim *m, int id, u64 seed)
{
	struct task_struct *t;
	long fd;

	memset(s, 0, sizeof(*s));
	s->id = id;
	s->m = m;
	s->cur = -1;
	s->rng = (seed + 1) * 0x9e3779b97f4a7c15ULL ^ (u64)(id + 1) * 0xbf58476d1ce4e5b9ULL;
	s->buf = malloc(SS_MAXRUN * PAGE_SIZE);
	s->want = malloc(PAGE_SIZE);
	s->logmark = log_mark(m);
	s->tmp_sb = ss_find_sb("/tmp");
	snprintf(s->path_tmp, sizeof(s->path_tmp), "/tmp/swapstress%d", id);
	snprintf(s->path_disk, sizeof(s->path_disk), "/swapstress%d", id);
	t = mmsim_spawn(m, "ssinit");
	SS_CHECK(t && !mmsim_switch_to(t), s, "init task");
	s->obj_tmp = ss_obj_new(s);
	s->obj_disk = ss_obj_new(s);
	for (int k = 0; k < 2; k++) {
		const char *path = k ? s->path_disk : s->path_tmp;
		int o = k ? s->obj_disk : s->obj_tmp;

		fd = sys_open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
		SS_CHECK(fd >= 0, s, "create");
		SS_CHECK(sys_ftruncate((int)fd, (long)(ss_pages * PAGE_SIZE)) == 0, s, "ftruncate");
		sys_close((int)fd);
		s->objs[o].kf = filp_open(path, O_RDWR, 0);
		SS_CHECK(!IS_ERR_OR_NULL(s->objs[o].kf), s, "filp_open");
		if (IS_ERR_OR_NULL(s->objs[o].kf))
			s->objs[o].kf = NULL;
	}
	sys_exit_group(0);
}

/* The end: every process exits, the files go; the model's files last read. */
static inline void ss_finish(struct ss_set *s)
{
	ss_verify_all(s);
	for (int i = 0; i < SS_NPROCS; i++) {
		struct ss_proc *p = &s->procs[i];

		if (!p->alive)
			continue;
		if (ss_run(s, i)) {
			sys_exit_group(0);
			SS_CHECK(current == NULL, s, "final exit");
		}
		ss_proc_forget(s, p);
		p->t = NULL;
	}
	s->cur = -1;
	if (ss_spawn(s) >= 0) {
		SS_CHECK(sys_unlink(s->path_tmp) == 0, s, "unlink tmpfs file");
		SS_CHECK(sys_unlink(s->path_disk) == 0, s, "unlink disk file");
		sys_exit_group(0);
		ss_proc_forget(s, &s->procs[s->cur]);
		s->procs[s->cur].t = NULL;
		s->cur = -1;
	}
	ss_obj_put(s, s->obj_tmp);
	ss_obj_put(s, s->obj_disk);
	for (int o = 0; o < SS_NOBJ; o++)
		SS_CHECK(!s->objs[o].refs, s, "objects left");
	free(s->buf);
	free(s->want);
}

static inline void ss_report(struct ss_set *s)
{
	static const char *const names[SS_NR_OPS] = {
		"write", "read", "fill", "fwrite", "fread", "mmap", "munmap", "mprotect", "madvise",
		"fork", "exit", "swapoff", "clock", "drop",
	};
	unsigned long ram = totalram_pages();

	printf("set %d:", s->id);
	for (int i = 0; i < SS_NR_OPS; i++)
		printf(" %s %lu", names[i], s->n_ops[i]);
	printf("\nset %d: %lu pages written, %lu read back; %lu swapoffs (%lu -ENOMEM), %lu "
	       "swapons; peak footprint %lu pages (%.2fx RAM), %lu swap-backed (%.2fx RAM)\n",
	       s->id, s->n_pages_written, s->n_pages_read, s->n_swapoff, s->n_swapoff_enomem,
	       s->n_swapon, s->peak_footprint, (double)s->peak_footprint / (double)ram,
	       s->peak_swapbacked, (double)s->peak_swapbacked / (double)ram);
}

#endif
