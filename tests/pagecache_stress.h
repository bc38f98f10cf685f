/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tests/pagecache_stress.h - the engine of test_pagecache_stress.c (one
 * set on one CPU, every checker after every step) and
 * test_pagecache_stress_mt.c (a set per CPU on host threads, the global
 * checkers where the threads meet).
 *
 * Design.  A set is a few processes and the files they use: names on
 * the disk ("/") and on tmpfs ("/tmp"), and objects (inodes: a name may
 * be unlinked while an fd or a mapping keeps its object).  Each object
 * has a shadow of its bytes (zero beyond its size), a size, and a
 * struct file of the test's own (filp_open: kernel_read/kernel_write and
 * its mapping for mapping_is_valid; it keeps the inode until the object
 * is forgotten, when nothing else uses it).  Each process has fds and
 * mappings of objects; a MAP_PRIVATE mapping has, per page, its private
 * copy once written (NULL: the page still is the file's, and shows every
 * later change of the file, as Linux's does).  A step picks an operation
 * from the set's xorshift generator (the sequence depends only on the
 * seed), runs it as the set's current process, checks what it returns
 * (every read is compared with the shadow) and updates the model.
 * Operations: open (O_CREAT), close, pwrite, pread, kernel_write,
 * kernel_read, mmap shared/private, munmap, reads and writes through a
 * mapping (writes of shared mappings stay below i_size; now and then a
 * deliberate access beyond the EOF page: SIGBUS kills the process),
 * MADV_DONTNEED (a private page returns to the file's), ftruncate
 * (private copies beyond the new EOF page go, even_cows), unlink, fsync,
 * fdatasync, msync, sync, drop_caches 1/2/3, virtual time (the flusher),
 * fork and exit.  Linux's semantics, so no byte may differ.
 *
 * MMSIM_STRESS_FS=disk (or tmpfs) puts every name on one file system;
 * MMSIM_STRESS_TRACE=1 prints every operation; MMSIM_STRESS_VERIFY=N
 * reads every file whole every N steps (default 20): 1 finds the step that
 * lost a byte.
 *
 * Checkers: ps_check_set() after every step -- mapping_is_valid of each
 * object, mm_is_valid of the current process; ps_check_global() --
 * lru_all_valid, mm_mapcounts_are_valid, mmfs_fsck of the root file
 * system, shmem_sb_is_valid of /tmp, mapping_is_valid of every object --
 * after every step when single-threaded, at the barriers when threaded;
 * ps_verify_all() reads every object through kernel_read every
 * PS_VERIFY_EVERY steps.
 */
#ifndef MMSIM_PAGECACHE_STRESS_H
#define MMSIM_PAGECACHE_STRESS_H

#include <stdatomic.h>
#include "file_fixture.h"
#include <mmsim/shmem_fs.h>
#include <mmsim/mmfs.h>
#include "kernel/internal.h"

#define PS_MAXP		12	/* pages per file at most */
#define PS_NNAMES	4	/* names per set: 2 on "/", 2 on /tmp */
#define PS_NOBJ		10
#define PS_NPROCS	12	/* table slots */
#define PS_LIVE		3	/* live processes at most */
#define PS_NMAPS	4
#define PS_VERIFY_EVERY	20

struct ps_obj {
	bool used;
	int name;			/* index in the set's names, -1: unlinked */
	bool disk;
	unsigned int tag, gen;
	struct file *kf;
	unsigned char *bytes;		/* PS_MAXP pages: zero beyond size */
	size_t size;
};

struct ps_map {
	unsigned long va;		/* 0: free slot */
	int obj;
	bool shared;
	unsigned char *priv[PS_MAXP];	/* private copies */
};

struct ps_proc {
	struct task_struct *t;
	pid_t pid;
	int parent;			/* slot, -1: init's */
	bool alive;
	int fd[PS_NOBJ];		/* -1: none */
	struct ps_map maps[PS_NMAPS];
};

struct ps_set {
	int id, step;
	u64 rng;
	struct mmsim *m;
	char names[PS_NNAMES][32];
	int name_obj[PS_NNAMES];
	struct ps_obj objs[PS_NOBJ];
	struct ps_proc procs[PS_NPROCS];
	int cur;			/* slot, -1: none */
	struct ubuf ub;
	unsigned char *buf, *buf2;	/* scratch, PS_MAXP pages + 1 */
	unsigned int next_tag;
	int failures;
	/* what happened */
	unsigned long n_ops[32], n_sigbus, n_forks, n_unlinked_in_use, n_drops;
	bool single;			/* the only set: global checks per step */
	size_t logmark;			/* the kernel log seen so far (ps_dump_log) */
};

static atomic_int ps_failures;
static struct super_block *ps_root_sb, *ps_tmp_sb;
static bool ps_trace;		/* MMSIM_STRESS_TRACE: print every operation */
static int ps_verify_every = PS_VERIFY_EVERY;	/* MMSIM_STRESS_VERIFY: 1 = every step */

#define PS_TRACE(s, fmt, ...)							\
	do {									\
		if (ps_trace)							\
			fprintf(stderr, "set %d step %d pid %d: " fmt "\n", (s)->id, (s)->step, \
			       current ? current->pid : 0, ##__VA_ARGS__);		\
	} while (0)

#define PS_CHECK(cond, s, what)							\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "%s:%d: set %d step %d: %s: %s\n",	\
				__FILE__, __LINE__, (s)->id, (s)->step, what, #cond); \
			(s)->failures++;					\
			atomic_fetch_add(&ps_failures, 1);			\
		}								\
	} while (0)

static inline u64 ps_rnd(struct ps_set *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return s->rng;
}

static inline unsigned int ps_below(struct ps_set *s, unsigned int n)
{
	return n ? (unsigned int)(ps_rnd(s) % n) : 0;
}

static inline size_t ps_fsize(void)
{
	return PS_MAXP * PAGE_SIZE;
}

/* The super block of the file system mounted at @where ("/": mmfs, "/tmp": tmpfs). */
static inline struct super_block *ps_find_sb(const char *where)
{
	struct path path;
	struct super_block *sb = NULL;

	if (!kern_path(where, 0, &path)) {
		sb = path.dentry->d_sb;
		path_put(&path);
	}
	return sb;
}

/* Once per machine: the two super blocks the global checkers walk. */
static inline void ps_find_sbs(void)
{
	ps_root_sb = ps_find_sb("/");
	ps_tmp_sb = ps_find_sb("/tmp");
}

/* --- processes -------------------------------------------------------- */

static inline struct ps_proc *ps_cur(struct ps_set *s)
{
	return s->cur >= 0 ? &s->procs[s->cur] : NULL;
}

static inline int ps_live(struct ps_set *s)
{
	int n = 0;

	for (int i = 0; i < PS_NPROCS; i++)
		n += s->procs[i].alive;
	return n;
}

static inline bool ps_run(struct ps_set *s, int slot)
{
	int r = mmsim_switch_to(s->procs[slot].t);

	PS_CHECK(r == 0, s, "switch");
	if (r)
		return false;
	s->cur = slot;
	return true;
}

static inline void ps_proc_forget(struct ps_set *s, struct ps_proc *p)
{
	for (int k = 0; k < PS_NMAPS; k++) {
		for (int g = 0; g < PS_MAXP; g++)
			free(p->maps[k].priv[g]);
		memset(&p->maps[k], 0, sizeof(p->maps[k]));
	}
	for (int o = 0; o < PS_NOBJ; o++)
		p->fd[o] = -1;
	p->alive = false;
	(void)s;
}

/* A fresh process with a user buffer; it becomes current. */
static inline int ps_spawn(struct ps_set *s)
{
	struct task_struct *t;
	int slot;

	for (slot = 0; slot < PS_NPROCS && (s->procs[slot].alive || s->procs[slot].t); slot++)
		;
	if (slot == PS_NPROCS)
		for (slot = 0; slot < PS_NPROCS && s->procs[slot].alive; slot++)
			;
	if (slot == PS_NPROCS)
		return -1;
	t = mmsim_spawn(s->m, "pcstress");
	PS_CHECK(t != NULL, s, "spawn");
	if (!t)
		return -1;
	memset(&s->procs[slot], 0, sizeof(s->procs[slot]));
	s->procs[slot].t = t;
	s->procs[slot].pid = t->pid;
	s->procs[slot].parent = -1;
	s->procs[slot].alive = true;
	for (int o = 0; o < PS_NOBJ; o++)
		s->procs[slot].fd[o] = -1;
	if (!ps_run(s, slot))
		return -1;
	/* every process has the user buffer at the same address (fork keeps it) */
	s->ub.len = 4 * PAGE_SIZE;
	s->ub.va = sys_mmap(0x20000000UL, s->ub.len, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, (unsigned long)-1, 0);
	PS_CHECK(s->ub.va == 0x20000000UL, s, "user buffer");
	return slot;
}

/* --- objects -------------------------------------------------------- */

static inline bool ps_obj_in_use(struct ps_set *s, int o)
{
	if (s->objs[o].name >= 0)
		return true;
	for (int i = 0; i < PS_NPROCS; i++) {
		struct ps_proc *p = &s->procs[i];

		if (!p->alive)
			continue;
		if (p->fd[o] >= 0)
			return true;
		for (int k = 0; k < PS_NMAPS; k++)
			if (p->maps[k].va && p->maps[k].obj == o)
				return true;
	}
	return false;
}

/* Forget objects nothing uses: their inode goes with the test's file. */
static inline void ps_gc_objs(struct ps_set *s)
{
	for (int o = 0; o < PS_NOBJ; o++) {
		struct ps_obj *ob = &s->objs[o];

		if (!ob->used || ps_obj_in_use(s, o))
			continue;
		PS_CHECK(filp_close(ob->kf) == 0, s, "filp_close");
		free(ob->bytes);
		memset(ob, 0, sizeof(*ob));
		ob->name = -1;
	}
}

static inline int ps_new_obj(struct ps_set *s, int name)
{
	for (int o = 0; o < PS_NOBJ; o++) {
		struct ps_obj *ob = &s->objs[o];

		if (ob->used)
			continue;
		ob->kf = filp_open(s->names[name], O_RDWR, 0);
		PS_CHECK(!IS_ERR_OR_NULL(ob->kf), s, "filp_open");
		if (IS_ERR_OR_NULL(ob->kf))
			return -1;
		ob->used = true;
		ob->name = name;
		ob->disk = strncmp(s->names[name], "/tmp/", 5) != 0;
		s->next_tag = s->next_tag % 63 + 1;
		ob->tag = (unsigned int)s->id << 6 | s->next_tag;
		ob->gen = 0;
		ob->size = 0;
		ob->bytes = calloc(1, ps_fsize());
		s->name_obj[name] = o;
		return o;
	}
	return -1;
}

/* Compare @len bytes read at @pos of object @o. */
static inline void ps_compare(struct ps_set *s, int o, const unsigned char *got, size_t pos,
			      size_t len, const char *how)
{
	char what[96];

	snprintf(what, sizeof(what), "set %d step %d obj %d (%s) %s", s->id, s->step, o,
		 s->objs[o].disk ? "disk" : "tmpfs", how);
	if (!pat_check(got, s->objs[o].bytes + pos, pos, len, what)) {
		s->failures++;
		atomic_fetch_add(&ps_failures, 1);
	}
}

/* Read all of object @o through kernel_read and compare. */
static inline void ps_verify_obj(struct ps_set *s, int o)
{
	struct ps_obj *ob = &s->objs[o];
	loff_t pos = 0;
	ssize_t r = kernel_read(ob->kf, s->buf2, ps_fsize() + 1, &pos);

	PS_CHECK(r == (ssize_t)ob->size, s, "kernel_read size");
	if (r >= 0)
		ps_compare(s, o, s->buf2, 0, (size_t)r < ob->size ? (size_t)r : ob->size,
			   "verify by kernel_read");
}

static inline void ps_verify_all(struct ps_set *s)
{
	for (int o = 0; o < PS_NOBJ; o++)
		if (s->objs[o].used)
			ps_verify_obj(s, o);
}

/* After every step: what this set may check alone. */
static inline void ps_check_set(struct ps_set *s)
{
	for (int o = 0; o < PS_NOBJ; o++)
		if (s->objs[o].used)
			PS_CHECK(mapping_is_valid(s->objs[o].kf->f_mapping), s, "mapping_is_valid");
	if (current)
		PS_CHECK(mm_is_valid(current->mm), s, "mm_is_valid");
}

/* What the kernel logged since the last call (a checker says why it failed there). */
static inline void ps_dump_log(struct ps_set *s)
{
	char *log = log_since(s->m, &s->logmark);

	if (log && s->failures)
		fprintf(stderr, "--- kernel log (set %d step %d) ---\n%s---\n", s->id, s->step,
			strlen(log) > 4000 ? log + strlen(log) - 4000 : log);
	free(log);
}

/* The machine-wide checkers (every set stopped, or only one). */
static inline void ps_check_global(struct ps_set *s, struct ps_set *all, int nsets)
{
	int before = s->failures;

	PS_CHECK(lru_all_valid(), s, "lru_all_valid");
	PS_CHECK(mm_mapcounts_are_valid(s->m), s, "mm_mapcounts_are_valid");
	if (ps_root_sb)
		PS_CHECK(mmfs_fsck(ps_root_sb), s, "mmfs_fsck");
	if (ps_tmp_sb)
		PS_CHECK(shmem_sb_is_valid(ps_tmp_sb), s, "shmem_sb_is_valid");
	for (int k = 0; k < nsets; k++)
		for (int o = 0; o < PS_NOBJ; o++)
			if (all[k].objs[o].used)
				PS_CHECK(mapping_is_valid(all[k].objs[o].kf->f_mapping), s,
					 "mapping_is_valid (global)");
	if (s->failures != before && s->failures < 5)
		ps_dump_log(s);
}

/* --- the operations, as current ------------------------------------ */

/* An object current has an fd for (its fd in *fd), or -1. */
static inline int ps_pick_fd(struct ps_set *s, int *fd)
{
	struct ps_proc *p = ps_cur(s);
	int start = (int)ps_below(s, PS_NOBJ);

	for (int i = 0; i < PS_NOBJ; i++) {
		int o = (start + i) % PS_NOBJ;

		if (p->fd[o] >= 0) {
			*fd = p->fd[o];
			return o;
		}
	}
	return -1;
}

static inline int ps_pick_obj(struct ps_set *s)
{
	int start = (int)ps_below(s, PS_NOBJ);

	for (int i = 0; i < PS_NOBJ; i++)
		if (s->objs[(start + i) % PS_NOBJ].used)
			return (start + i) % PS_NOBJ;
	return -1;
}

static inline void ps_op_open(struct ps_set *s)
{
	struct ps_proc *p = ps_cur(s);
	int n = (int)ps_below(s, PS_NNAMES), o = s->name_obj[n];
	long fd;

	if (o >= 0 && p->fd[o] >= 0)
		return;
	if (o < 0) {
		int free_slot = 0;

		for (int k = 0; k < PS_NOBJ; k++)
			free_slot += !s->objs[k].used;
		if (!free_slot)
			return;		/* the model is full: do not create a file it cannot track */
	}
	fd = sys_open(s->names[n], O_RDWR | O_CREAT, 0644);
	PS_CHECK(fd >= 0, s, "open");
	if (fd < 0)
		return;
	if (o < 0)
		o = ps_new_obj(s, n);
	if (o < 0) {
		sys_close((int)fd);
		return;
	}
	p->fd[o] = (int)fd;
	PS_TRACE(s, "open %s: fd %ld obj %d", s->names[n], fd, o);
}

static inline void ps_op_close(struct ps_set *s)
{
	int fd, o = ps_pick_fd(s, &fd);

	if (o < 0)
		return;
	PS_TRACE(s, "close fd %d obj %d", fd, o);
	PS_CHECK(sys_close(fd) == 0, s, "close");
	ps_cur(s)->fd[o] = -1;
}

static inline size_t ps_len(struct ps_set *s)
{
	switch (ps_below(s, 4)) {
	case 0:
		return 1 + ps_below(s, 64);
	case 1:
		return PAGE_SIZE;
	case 2:
		return 1 + ps_below(s, 2 * (unsigned int)PAGE_SIZE);
	default:
		return 1 + ps_below(s, (unsigned int)PAGE_SIZE);
	}
}

static inline size_t ps_pos(struct ps_set *s, size_t len)
{
	size_t max = ps_fsize() - len;

	if (ps_below(s, 3) == 0)
		return (size_t)ps_below(s, (unsigned int)(max / PAGE_SIZE + 1)) * PAGE_SIZE;
	return ps_below(s, (unsigned int)max + 1);
}

static inline void ps_shadow_write(struct ps_obj *ob, size_t pos, size_t len, unsigned int gen)
{
	pat_fill(ob->bytes + pos, ob->tag, gen, pos, len);
	if (pos + len > ob->size)
		ob->size = pos + len;
}

/* pwrite (by_kernel: kernel_write on the test's file) */
static inline void ps_op_write(struct ps_set *s, bool by_kernel)
{
	int fd = -1, o = by_kernel ? ps_pick_obj(s) : ps_pick_fd(s, &fd);
	size_t len = ps_len(s), pos = ps_pos(s, len);
	struct ps_obj *ob;
	unsigned int gen;
	long r;

	if (o < 0)
		return;
	ob = &s->objs[o];
	gen = ++ob->gen & 0xff;
	pat_fill(s->buf, ob->tag, gen, pos, len);
	if (by_kernel) {
		loff_t p = (loff_t)pos;

		r = kernel_write(ob->kf, s->buf, len, &p);
	} else {
		r = upwrite(&s->ub, fd, s->buf, len, (long)pos);
	}
	PS_TRACE(s, "%s obj %d [%#zx, +%#zx) gen %u: %ld", by_kernel ? "kernel_write" : "pwrite", o,
		 pos, len, gen, r);
	PS_CHECK(r == (long)len, s, by_kernel ? "kernel_write" : "pwrite");
	if (r > 0)
		ps_shadow_write(ob, pos, (size_t)r, gen);
}

static inline void ps_op_read(struct ps_set *s, bool by_kernel)
{
	int fd = -1, o = by_kernel ? ps_pick_obj(s) : ps_pick_fd(s, &fd);
	size_t len = ps_len(s), pos = ps_pos(s, len), want;
	struct ps_obj *ob;
	long r;

	if (o < 0)
		return;
	ob = &s->objs[o];
	want = pos >= ob->size ? 0 : (ob->size - pos < len ? ob->size - pos : len);
	if (by_kernel) {
		loff_t p = (loff_t)pos;

		r = kernel_read(ob->kf, s->buf2, len, &p);
	} else {
		r = upread(&s->ub, fd, s->buf2, len, (long)pos);
	}
	PS_CHECK(r == (long)want, s, by_kernel ? "kernel_read count" : "pread count");
	if (r > 0)
		ps_compare(s, o, s->buf2, pos, (size_t)r < want ? (size_t)r : want,
			   by_kernel ? "kernel_read" : "pread");
}

static inline void ps_op_mmap(struct ps_set *s)
{
	struct ps_proc *p = ps_cur(s);
	int fd, o = ps_pick_fd(s, &fd), k;
	bool shared = ps_below(s, 3) != 0;
	unsigned long va;

	if (o < 0)
		return;
	for (k = 0; k < PS_NMAPS && p->maps[k].va; k++)
		;
	if (k == PS_NMAPS)
		return;
	va = sys_mmap(0, ps_fsize(), PROT_READ | PROT_WRITE, shared ? MAP_SHARED : MAP_PRIVATE,
		      (unsigned long)fd, 0);
	PS_TRACE(s, "mmap %s obj %d: %#lx", shared ? "shared" : "private", o, va);
	PS_CHECK(!IS_ERR_VALUE(va), s, "mmap");
	if (IS_ERR_VALUE(va))
		return;
	p->maps[k].va = va;
	p->maps[k].obj = o;
	p->maps[k].shared = shared;
}

static inline struct ps_map *ps_pick_map(struct ps_set *s)
{
	struct ps_proc *p = ps_cur(s);
	int start = (int)ps_below(s, PS_NMAPS);

	for (int i = 0; i < PS_NMAPS; i++)
		if (p->maps[(start + i) % PS_NMAPS].va)
			return &p->maps[(start + i) % PS_NMAPS];
	return NULL;
}

static inline void ps_op_munmap(struct ps_set *s)
{
	struct ps_map *mp = ps_pick_map(s);

	if (!mp)
		return;
	PS_TRACE(s, "munmap %#lx (obj %d)", mp->va, mp->obj);
	PS_CHECK(sys_munmap(mp->va, ps_fsize()) == 0, s, "munmap");
	for (int g = 0; g < PS_MAXP; g++)
		free(mp->priv[g]);
	memset(mp, 0, sizeof(*mp));
}

/* The bytes page @g of @mp must show now: its private copy or the file's. */
static inline const unsigned char *ps_view(struct ps_set *s, struct ps_map *mp, int g)
{
	return mp->priv[g] ? mp->priv[g] : s->objs[mp->obj].bytes + (size_t)g * PAGE_SIZE;
}

/* A process died (SIGBUS/SIGSEGV or exit): its parent in the set reaps it. */
static inline void ps_reap(struct ps_set *s, int slot, int status)
{
	struct ps_proc *p = &s->procs[slot];
	int parent = p->parent;

	ps_proc_forget(s, p);
	for (int i = 0; i < PS_NPROCS; i++)
		if (s->procs[i].parent == slot)
			s->procs[i].parent = -1;
	if (s->cur == slot)
		s->cur = -1;
	if (parent >= 0 && s->procs[parent].alive && ps_run(s, parent)) {
		int st = -1;

		PS_CHECK(sys_wait4(p->pid, &st, 0, NULL) == p->pid, s, "wait4");
		PS_CHECK(st == status, s, "wait status");
	}
	p->t = NULL;
}

static inline void ps_op_touch(struct ps_set *s)
{
	struct ps_map *mp = ps_pick_map(s);
	struct ps_obj *ob;
	size_t eofp, len, pos;
	bool write = ps_below(s, 2), deliberate = ps_below(s, 30) == 0;

	if (!mp)
		return;
	ob = &s->objs[mp->obj];
	eofp = (ob->size + PAGE_SIZE - 1) / PAGE_SIZE;		/* pages that may be touched */
	if (deliberate && eofp < PS_MAXP) {
		/* beyond the EOF page: SIGBUS, the process dies */
		unsigned char c = 0;
		int slot = s->cur;
		long r;

		pos = (eofp + ps_below(s, (unsigned int)(PS_MAXP - eofp))) * PAGE_SIZE +
		      ps_below(s, (unsigned int)PAGE_SIZE);
		r = write ? mmsim_user_write(mp->va + pos, &c, 1) : mmsim_user_read(mp->va + pos, &c, 1);
		PS_TRACE(s, "%s beyond EOF obj %d at %#zx (size %#zx): SIGBUS", write ? "write" : "read",
			 mp->obj, pos, ob->size);
		PS_CHECK(r == -EFAULT, s, "SIGBUS beyond EOF");
		PS_CHECK(current == NULL, s, "dead after SIGBUS");
		s->n_sigbus++;
		ps_reap(s, slot, SIGBUS);
		return;
	}
	if (!eofp)
		return;
	len = ps_len(s);
	if (len > eofp * PAGE_SIZE)
		len = eofp * PAGE_SIZE;
	pos = ps_below(s, (unsigned int)(eofp * PAGE_SIZE - len + 1));
	if (write && mp->shared) {
		/* a shared mapping writes the file: only below i_size */
		unsigned int gen;

		if (pos >= ob->size)
			return;
		if (pos + len > ob->size)
			len = ob->size - pos;
		gen = ++ob->gen & 0xff;
		pat_fill(s->buf, ob->tag, gen, pos, len);
		PS_TRACE(s, "shared write obj %d [%#zx, +%#zx) gen %u", mp->obj, pos, len, gen);
		PS_CHECK(mmsim_user_write(mp->va + pos, s->buf, len) == 0, s, "shared write");
		pat_fill(ob->bytes + pos, ob->tag, gen, pos, len);
		return;
	}
	if (write) {
		/* private: copy on write, page by page */
		unsigned int gen = ++ob->gen & 0xff;

		pat_fill(s->buf, ob->tag, gen, pos, len);
		PS_TRACE(s, "private write obj %d [%#zx, +%#zx) gen %u", mp->obj, pos, len, gen);
		PS_CHECK(mmsim_user_write(mp->va + pos, s->buf, len) == 0, s, "private write");
		for (size_t g = pos / PAGE_SIZE; g <= (pos + len - 1) / PAGE_SIZE; g++) {
			size_t a = g * PAGE_SIZE, b = a + PAGE_SIZE;

			if (!mp->priv[g]) {
				mp->priv[g] = malloc(PAGE_SIZE);
				memcpy(mp->priv[g], ob->bytes + a, PAGE_SIZE);
			}
			a = a < pos ? pos : a;
			b = b > pos + len ? pos + len : b;
			memcpy(mp->priv[g] + (a - g * PAGE_SIZE), s->buf + (a - pos), b - a);
		}
		return;
	}
	/* a read: compare page by page with what each page must show */
	PS_CHECK(mmsim_user_read(mp->va + pos, s->buf2, len) == 0, s, "mapping read");
	for (size_t g = pos / PAGE_SIZE; g <= (pos + len - 1) / PAGE_SIZE; g++) {
		size_t a = g * PAGE_SIZE, b = a + PAGE_SIZE;
		char what[64];

		a = a < pos ? pos : a;
		b = b > pos + len ? pos + len : b;
		snprintf(what, sizeof(what), "set %d step %d %s mapping read", s->id, s->step,
			 mp->shared ? "shared" : mp->priv[g] ? "private (copied)" : "private");
		if (!pat_check(s->buf2 + (a - pos), ps_view(s, mp, (int)g) + (a - g * PAGE_SIZE), a,
			       b - a, what)) {
			s->failures++;
			atomic_fetch_add(&ps_failures, 1);
		}
	}
}

/* MADV_DONTNEED: shared pages stay in the file; private copies are dropped. */
static inline void ps_op_dontneed(struct ps_set *s)
{
	struct ps_map *mp = ps_pick_map(s);
	int a, n;

	if (!mp)
		return;
	a = (int)ps_below(s, PS_MAXP);
	n = 1 + (int)ps_below(s, (unsigned int)(PS_MAXP - a));
	PS_TRACE(s, "MADV_DONTNEED %s obj %d pages [%d, +%d)", mp->shared ? "shared" : "private",
		 mp->obj, a, n);
	PS_CHECK(sys_madvise(mp->va + (unsigned long)a * PAGE_SIZE, (size_t)n * PAGE_SIZE,
			     MADV_DONTNEED) == 0, s, "MADV_DONTNEED");
	for (int g = a; g < a + n; g++) {
		free(mp->priv[g]);
		mp->priv[g] = NULL;
	}
}

/* Truncation: the shadow, and every private copy beyond the new EOF page. */
static inline void ps_truncated(struct ps_set *s, int o, size_t size)
{
	struct ps_obj *ob = &s->objs[o];
	size_t keep = (size + PAGE_SIZE - 1) / PAGE_SIZE;

	if (size < ob->size)
		memset(ob->bytes + size, 0, ob->size - size);
	ob->size = size;
	for (int i = 0; i < PS_NPROCS; i++) {
		struct ps_proc *p = &s->procs[i];

		if (!p->alive)
			continue;
		for (int k = 0; k < PS_NMAPS; k++) {
			if (!p->maps[k].va || p->maps[k].obj != o)
				continue;
			for (size_t g = keep; g < PS_MAXP; g++) {
				free(p->maps[k].priv[g]);
				p->maps[k].priv[g] = NULL;
			}
		}
	}
}

static inline void ps_op_truncate(struct ps_set *s)
{
	int fd, o = ps_pick_fd(s, &fd);
	size_t size;

	if (o < 0)
		return;
	size = ps_below(s, 4) == 0 ? ps_below(s, PS_MAXP + 1) * PAGE_SIZE
				   : ps_below(s, (unsigned int)ps_fsize() + 1);
	PS_TRACE(s, "ftruncate obj %d %#zx (was %#zx)", o, size, s->objs[o].size);
	PS_CHECK(sys_ftruncate(fd, (long)size) == 0, s, "ftruncate");
	ps_truncated(s, o, size);
}

static inline void ps_op_unlink(struct ps_set *s)
{
	int n = (int)ps_below(s, PS_NNAMES), o = s->name_obj[n];
	long r = sys_unlink(s->names[n]);

	PS_TRACE(s, "unlink %s (obj %d): %ld", s->names[n], o, r);

	PS_CHECK(r == (o >= 0 ? 0 : -ENOENT), s, "unlink");
	if (r != (o >= 0 ? 0 : -ENOENT))
		fprintf(stderr, "unlink %s: %ld, the model has object %d\n", s->names[n], r, o);
	if (o < 0)
		return;
	s->objs[o].name = -1;
	s->name_obj[n] = -1;
	if (ps_obj_in_use(s, o))
		s->n_unlinked_in_use++;
}

static inline void ps_op_sync(struct ps_set *s)
{
	int fd, o;
	struct ps_map *mp;

	switch (ps_below(s, 4)) {
	case 0:
		o = ps_pick_fd(s, &fd);
		PS_TRACE(s, "fsync obj %d", o);
		if (o >= 0)
			PS_CHECK(sys_fsync(fd) == 0, s, "fsync");
		break;
	case 1:
		o = ps_pick_fd(s, &fd);
		PS_TRACE(s, "fdatasync obj %d", o);
		if (o >= 0)
			PS_CHECK(sys_fdatasync(fd) == 0, s, "fdatasync");
		break;
	case 2:
		mp = ps_pick_map(s);
		PS_TRACE(s, "msync obj %d", mp ? mp->obj : -1);
		if (mp)
			PS_CHECK(sys_msync(mp->va, ps_fsize(), MS_SYNC) == 0, s, "msync");
		break;
	default:
		PS_TRACE(s, "sync");
		PS_CHECK(sys_sync() == 0, s, "sync");
		break;
	}
}

static inline void ps_op_drop(struct ps_set *s)
{
	int what = 1 + (int)ps_below(s, 3);

	PS_TRACE(s, "drop_caches %d", what);
	PS_CHECK(fx_drop_caches(s->m, what) == 0, s, "drop_caches");
	s->n_drops++;
}

static inline void ps_op_clock(struct ps_set *s)
{
	u64 ns = (u64)(1 + ps_below(s, 100)) * 100000000ULL;	/* to 10 s */

	PS_TRACE(s, "clock +%llu ms", (unsigned long long)(ns / 1000000));
	mmsim_advance_clock(s->m, ns);
}

static inline void ps_op_fork(struct ps_set *s)
{
	int slot, parent = s->cur;
	long pid;

	if (ps_live(s) >= PS_LIVE)
		return;
	for (slot = 0; slot < PS_NPROCS && (s->procs[slot].alive || s->procs[slot].t); slot++)
		;
	if (slot == PS_NPROCS)
		return;
	pid = sys_fork();
	PS_CHECK(pid > 0, s, "fork");
	if (pid <= 0)
		return;
	s->procs[slot] = s->procs[parent];
	s->procs[slot].t = find_task_by_vpid((pid_t)pid);
	s->procs[slot].pid = (pid_t)pid;
	s->procs[slot].parent = parent;
	for (int k = 0; k < PS_NMAPS; k++)
		for (int g = 0; g < PS_MAXP; g++)
			if (s->procs[parent].maps[k].priv[g]) {
				s->procs[slot].maps[k].priv[g] = malloc(PAGE_SIZE);
				memcpy(s->procs[slot].maps[k].priv[g],
				       s->procs[parent].maps[k].priv[g], PAGE_SIZE);
			}
	PS_CHECK(s->procs[slot].t != NULL, s, "child");
	s->n_forks++;
	PS_TRACE(s, "fork: child pid %ld", pid);
}

static inline void ps_op_exit(struct ps_set *s)
{
	int slot = s->cur, code = (int)ps_below(s, 256);

	if (ps_live(s) <= 1)
		return;
	PS_TRACE(s, "exit %d", code);
	sys_exit_group(code);
	PS_CHECK(current == NULL, s, "exit");
	ps_reap(s, slot, code << 8);
}

enum {
	PS_OPEN, PS_CLOSE, PS_WRITE, PS_KWRITE, PS_READ, PS_KREAD, PS_MMAP, PS_MUNMAP, PS_TOUCH,
	PS_DONTNEED, PS_TRUNC, PS_UNLINK, PS_SYNC, PS_DROP, PS_CLOCK, PS_FORK, PS_EXIT, PS_NR_OPS
};

/* Cumulative weights (out of 1000). */
static const unsigned short ps_weight[PS_NR_OPS] = {
	[PS_OPEN] = 70, [PS_CLOSE] = 95, [PS_WRITE] = 215, [PS_KWRITE] = 260, [PS_READ] = 350,
	[PS_KREAD] = 390, [PS_MMAP] = 450, [PS_MUNMAP] = 480, [PS_TOUCH] = 700,
	[PS_DONTNEED] = 725, [PS_TRUNC] = 790, [PS_UNLINK] = 825, [PS_SYNC] = 875,
	[PS_DROP] = 905, [PS_CLOCK] = 945, [PS_FORK] = 975, [PS_EXIT] = 1000,
};

static inline void ps_step(struct ps_set *s)
{
	unsigned int r = ps_below(s, 1000);
	int op;

	if (!ps_live(s) && ps_spawn(s) < 0)
		return;
	if (s->cur < 0 || ps_below(s, 6) == 0) {
		int k;

		do
			k = (int)ps_below(s, PS_NPROCS);
		while (!s->procs[k].alive);
		if (!ps_run(s, k))
			return;
	}
	for (op = 0; op < PS_NR_OPS - 1 && r >= ps_weight[op]; op++)
		;
	s->n_ops[op]++;
	switch (op) {
	case PS_OPEN: ps_op_open(s); break;
	case PS_CLOSE: ps_op_close(s); break;
	case PS_WRITE: ps_op_write(s, false); break;
	case PS_KWRITE: ps_op_write(s, true); break;
	case PS_READ: ps_op_read(s, false); break;
	case PS_KREAD: ps_op_read(s, true); break;
	case PS_MMAP: ps_op_mmap(s); break;
	case PS_MUNMAP: ps_op_munmap(s); break;
	case PS_TOUCH: ps_op_touch(s); break;
	case PS_DONTNEED: ps_op_dontneed(s); break;
	case PS_TRUNC: ps_op_truncate(s); break;
	case PS_UNLINK: ps_op_unlink(s); break;
	case PS_SYNC: ps_op_sync(s); break;
	case PS_DROP: ps_op_drop(s); break;
	case PS_CLOCK: ps_op_clock(s); break;
	case PS_FORK: ps_op_fork(s); break;
	default: ps_op_exit(s); break;
	}
	ps_gc_objs(s);
	ps_check_set(s);
	if (s->single)
		ps_check_global(s, s, 1);
	if (s->step % ps_verify_every == 0)
		ps_verify_all(s);
}

static inline void ps_init_set(struct ps_set *s, struct mmsim *m, int id, u64 seed)
{
	memset(s, 0, sizeof(*s));
	s->id = id;
	s->m = m;
	s->cur = -1;
	s->rng = (seed + 1) * 0x9e3779b97f4a7c15ULL ^ (u64)(id + 1) * 0xbf58476d1ce4e5b9ULL;
	const char *only = getenv("MMSIM_STRESS_FS");	/* "disk" or "tmpfs": names on one only */

	for (int n = 0; n < PS_NNAMES; n++) {
		bool disk = only ? !strcmp(only, "disk") : n < PS_NNAMES / 2;

		snprintf(s->names[n], sizeof(s->names[n]), "%s/pcs%d-%d", disk ? "" : "/tmp", id, n);
		s->name_obj[n] = -1;
	}
	for (int o = 0; o < PS_NOBJ; o++)
		s->objs[o].name = -1;
	s->buf = malloc(ps_fsize() + 8);
	s->buf2 = malloc(ps_fsize() + 8);
	s->logmark = log_mark(m);
	ps_trace = getenv("MMSIM_STRESS_TRACE") != NULL;
	if (getenv("MMSIM_STRESS_VERIFY"))
		ps_verify_every = atoi(getenv("MMSIM_STRESS_VERIFY")) > 0 ?
				  atoi(getenv("MMSIM_STRESS_VERIFY")) : 1;
}

/* The end: every process exits, every name goes, every object is forgotten. */
static inline void ps_finish(struct ps_set *s)
{
	ps_verify_all(s);
	for (int i = 0; i < PS_NPROCS; i++) {
		struct ps_proc *p = &s->procs[i];

		if (!p->alive)
			continue;
		if (ps_run(s, i)) {
			sys_exit_group(0);
			PS_CHECK(current == NULL, s, "final exit");
		}
		ps_proc_forget(s, p);
		p->t = NULL;
	}
	s->cur = -1;
	for (int n = 0; n < PS_NNAMES; n++) {
		if (s->name_obj[n] < 0)
			continue;
		/* unlink needs a task: a short-lived one */
		if (ps_spawn(s) >= 0) {
			PS_CHECK(sys_unlink(s->names[n]) == 0, s, "final unlink");
			s->objs[s->name_obj[n]].name = -1;
			s->name_obj[n] = -1;
			sys_exit_group(0);
			ps_proc_forget(s, &s->procs[s->cur]);
			s->procs[s->cur].t = NULL;
			s->cur = -1;
		}
	}
	ps_gc_objs(s);
	for (int o = 0; o < PS_NOBJ; o++)
		PS_CHECK(!s->objs[o].used, s, "objects left");
	free(s->buf);
	free(s->buf2);
}

static inline void ps_report(struct ps_set *s)
{
	static const char *const names[PS_NR_OPS] = {
		"open", "close", "pwrite", "kwrite", "pread", "kread", "mmap", "munmap", "touch",
		"dontneed", "truncate", "unlink", "sync", "drop", "clock", "fork", "exit",
	};

	printf("set %d:", s->id);
	for (int i = 0; i < PS_NR_OPS; i++)
		printf(" %s %lu", names[i], s->n_ops[i]);
	printf("; %lu SIGBUS, %lu forks, %lu unlinked in use\n", s->n_sigbus, s->n_forks,
	       s->n_unlinked_in_use);
}

#endif
