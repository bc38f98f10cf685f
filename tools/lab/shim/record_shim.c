// SPDX-License-Identifier: GPL-2.0
/*
 * tools/lab/shim/record_shim.c - libmmsim_record_shim.so, the sampling
 * backend of `mmsim record --backend sample` (docs/record.md), loaded into
 * the traced program with LD_PRELOAD.  Inert unless MMSIM_RECORD_FD names
 * the pipe `mmsim record` reads (record_wire.h).
 *
 * Sampling by protection.  Every --interval ms of the process's CPU time
 * (a POSIX timer on CLOCK_PROCESS_CPUTIME_ID raising SHIM_TICK) an epoch
 * starts: the program's writable mappings, read from /proc/self/maps, are
 * mprotect()ed PROT_NONE and remembered in the region table with their
 * protection.  The first touch of a page faults into shim_segv(): a read
 * becomes a READ record and the page PROT_READ again (so that a later
 * write still faults), a write (x86_64 page-fault error code bit 1) a
 * WRITE record and the page its own protection.  So each epoch yields the
 * first read and the first write of every page touched, in order.
 *
 * Seeing every system call.  Syscall User Dispatch (prctl
 * PR_SET_SYSCALL_USER_DISPATCH, Linux >= 5.11) turns every system call made
 * outside the shim's gadget (shim_syscall6, shim_restorer: the only
 * `syscall` instructions it allows) into SIGSYS; shim_sys() does the call
 * itself through the gadget.  That gives, in order and whoever calls them
 * (the program, libc's malloc, ld.so): mmap/munmap/mprotect/mremap/brk
 * (the region table follows them: what they unmap or re-protect leaves
 * it, what they map joins it protected; mremap ends the epoch), fork (its FORK record is written before the child runs: the
 * child waits on a pipe), exit_group (EXIT).  An image started by execve
 * loads the shim again, whose HELLO tells `mmsim record` that the old
 * image of that pid has gone (EXIT) before the new one's layout comes.
 * It also mends what protection breaks: the kernel does not fault on the
 * program's behalf but fails with EFAULT, so read/write/pread/pwrite touch
 * their buffer first (the touch is the program's access, recorded), and any
 * other call that fails with EFAULT during an epoch ends it and is retried.
 * The program's own sigreturn is redirected to shim_restorer; its attempts
 * to take SIGSEGV, SIGSYS or SHIM_TICK, to block them, to change the
 * alternate signal stack, or to close the record pipe are quietly refused.
 *
 * Limits: one thread.  At the first clone(CLONE_VM) without CLONE_VFORK
 * (pthread_create; clone3 is refused with ENOSYS so that glibc falls back
 * to clone) the process stops being sampled (epoch ended, dispatch off, a
 * line on stderr); its EXIT is added by `mmsim record`.  vfork and
 * posix_spawn's clone(CLONE_VM|CLONE_VFORK) become a fork (the child runs
 * on the stack it was given).  SysV shm and madvise are not layout records.
 *
 * Rules for code that runs in a handler (all of it but the constructor's
 * setup): no libc call, no errno, no TLS, no stack protector (built with
 * -fno-stack-protector -fno-builtin, linked -z now, CMakeLists.txt), no
 * access to memory outside the shim's own mappings and the arena, all of
 * which stay unprotected.  The handlers block SHIM_TICK, so an epoch never
 * starts inside one; SIGSYS is SA_NODEFER because the program's own signal
 * handlers may run (and make calls) while shim_sys() waits in a blocking
 * call.
 *
 * Invariants: outside an epoch no page carries a protection of ours
 * (shim_epoch_end restores every region of the table and empties it); a
 * page inside an epoch is PROT_NONE (untouched), PROT_READ (read, region
 * writable) or its region's protection (written or never writable).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <linux/sched.h>
#include "tools/lab/trace.h"
#include "tools/lab/shim/record_wire.h"

#define SHIM_SA_RESTORER 0x04000000
#define SHIM_TICK	62		/* SIGRTMAX - 2: clear of glibc's internal RT signals */
#define SHIM_PAGE	4096ul
#define SHIM_REGIONS	8192
#define SHIM_ALTSTACK	(64u << 10)
#define SHIM_MAPSBUF	(16u << 10)
#define SHIM_PATH	512
#define SHIM_DISPATCH	59		/* PR_SET_SYSCALL_USER_DISPATCH */
#define SHIM_EFAULT	14
#define SHIM_TCB_SPAN	(4 * SHIM_PAGE)	/* from the thread pointer's page: glibc's struct pthread, rseq */
#define SHIM_ENOSYS	38

/* The gadget: the only syscall instructions the dispatch lets through. */
long shim_syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6);
void shim_restorer(void);
extern char shim_gadget_start[], shim_gadget_end[];
__asm__(".text\n"
	".hidden shim_syscall6\n.hidden shim_restorer\n"
	".hidden shim_gadget_start\n.hidden shim_gadget_end\n"
	".globl shim_syscall6\n.globl shim_restorer\n"
	".globl shim_gadget_start\n.globl shim_gadget_end\n"
	"shim_gadget_start:\n"
	"shim_syscall6:\n"
	"	mov %rdi, %rax\n"
	"	mov %rsi, %rdi\n"
	"	mov %rdx, %rsi\n"
	"	mov %rcx, %rdx\n"
	"	mov %r8, %r10\n"
	"	mov %r9, %r8\n"
	"	mov 8(%rsp), %r9\n"
	"	syscall\n"
	"	ret\n"
	"shim_restorer:\n"
	"	mov $15, %eax\n"
	"	syscall\n"
	"	hlt\n"
	"shim_gadget_end:\n");

#define sys0(nr)		shim_syscall6((nr), 0, 0, 0, 0, 0, 0)
#define sys1(nr, a)		shim_syscall6((nr), (long)(a), 0, 0, 0, 0, 0)
#define sys2(nr, a, b)		shim_syscall6((nr), (long)(a), (long)(b), 0, 0, 0, 0)
#define sys3(nr, a, b, c)	shim_syscall6((nr), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sys4(nr, a, b, c, d)	shim_syscall6((nr), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

struct shim_region {
	uint64_t start, end;	/* bytes, [start, end) */
	uint32_t prot;		/* the mapping's own PROT_* */
};

/* The kernel's struct sigaction (x86_64). */
struct shim_ksigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	uint64_t mask;
};

/* The arena: one private mapping of the shim's, never protected. */
struct shim_arena {
	char altstack[SHIM_ALTSTACK];
	char maps[SHIM_MAPSBUF + SHIM_PATH];
	struct shim_region region[SHIM_REGIONS];
	struct rec_wire out[REC_WIRE_BATCH];
};

/* All the shim's state: one static struct (the shim's own .bss, never protected). */
static struct {
	int fd;				/* the record pipe (MMSIM_RECORD_FD), -1: inert */
	uint32_t pid;			/* getpid(), reset in a forked child */
	unsigned int interval_ms;	/* epoch length, CPU time */
	int timer;			/* kernel timer id, -1 none */
	volatile char selector;		/* the dispatch switch: always BLOCK */
	bool epoch;			/* regions are protected */
	bool detached;			/* threads appeared: no more sampling */
	unsigned int nr_regions;	/* arena->region[0..nr_regions) */
	unsigned int nr_out;		/* records waiting in arena->out */
	uint64_t brk;			/* the last break recorded */
	uint64_t tcb;			/* the page of the thread pointer (never protected) */
	struct shim_arena *arena;
	char self[SHIM_PATH];		/* this library's path in /proc/self/maps */
} shim = { .fd = -1, .timer = -1 };

/* ---- output ---------------------------------------------------------- */

static uint64_t shim_now(void)
{
	struct timespec ts;

	sys2(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void shim_flush(void)
{
	char *p = (char *)shim.arena->out;
	long left = (long)(shim.nr_out * sizeof(struct rec_wire));

	while (left > 0) {
		long n = sys3(SYS_write, shim.fd, p, left);

		if (n == -4)	/* EINTR */
			continue;
		if (n <= 0)
			break;	/* the recorder is gone: nothing to tell */
		p += n;
		left -= n;
	}
	shim.nr_out = 0;
}

static void shim_emit(uint8_t op, uint64_t addr, uint64_t len, uint32_t prot, uint32_t flags,
		      uint64_t arg)
{
	struct rec_wire *w;

	if (shim.nr_out == REC_WIRE_BATCH)
		shim_flush();
	w = &shim.arena->out[shim.nr_out++];
	w->time = shim_now();
	w->addr = addr;
	w->len = len;
	w->arg = arg;
	w->pid = shim.pid;
	w->prot = prot;
	w->flags = flags;
	w->op = op;
	w->pad[0] = w->pad[1] = w->pad[2] = 0;
}

static size_t shim_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static void shim_say(const char *msg)
{
	sys3(SYS_write, 2, msg, shim_strlen(msg));
}

/* ---- /proc/self/maps ----------------------------------------------- */

struct shim_map {
	uint64_t start, end;
	char perms[5];
	uint64_t inode;
	const char *path;	/* "" when none */
};

static uint64_t shim_hex(const char **p)
{
	uint64_t v = 0;

	for (;; (*p)++) {
		unsigned int c = (unsigned char)**p;

		if (c - '0' < 10)
			v = v << 4 | (c - '0');
		else if ((c | 0x20) - 'a' < 6)
			v = v << 4 | ((c | 0x20) - 'a' + 10);
		else
			return v;
	}
}

/* "start-end perms offset dev inode   path" */
static bool shim_parse_map(const char *line, struct shim_map *m)
{
	const char *p = line;

	m->start = shim_hex(&p);
	if (*p++ != '-')
		return false;
	m->end = shim_hex(&p);
	if (*p++ != ' ')
		return false;
	for (int i = 0; i < 4; i++)
		m->perms[i] = *p ? *p++ : '-';
	m->perms[4] = '\0';
	for (int field = 0; field < 2; field++) {	/* offset, dev */
		while (*p == ' ')
			p++;
		while (*p && *p != ' ')
			p++;
	}
	while (*p == ' ')
		p++;
	m->inode = 0;
	while (*p >= '0' && *p <= '9')
		m->inode = m->inode * 10 + (uint64_t)(*p++ - '0');
	while (*p == ' ')
		p++;
	m->path = p;
	return true;
}

static bool shim_streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* Call @fn on each mapping of /proc/self/maps (the line is in the arena's buffer). */
static void shim_each_map(void (*fn)(const struct shim_map *))
{
	char *buf = shim.arena->maps;
	size_t have = 0;
	int fd = (int)sys4(SYS_openat, AT_FDCWD, "/proc/self/maps", O_RDONLY | O_CLOEXEC, 0);

	if (fd < 0)
		return;
	for (;;) {
		long n = sys3(SYS_read, fd, buf + have, SHIM_MAPSBUF - have);
		size_t start = 0;

		if (n == -4)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
		for (size_t i = 0; i < have; i++) {
			if (buf[i] != '\n')
				continue;
			struct shim_map m;

			buf[i] = '\0';
			if (shim_parse_map(buf + start, &m))
				fn(&m);
			start = i + 1;
		}
		for (size_t i = start; i < have; i++)
			buf[i - start] = buf[i];
		have -= start;
		if (have == SHIM_MAPSBUF)	/* no newline in 16 KiB: not maps */
			have = 0;
	}
	sys1(SYS_close, fd);
}

static uint32_t shim_prot(const char *perms)
{
	return (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0) |
	       (perms[2] == 'x' ? PROT_EXEC : 0);
}

static bool shim_special(const struct shim_map *m)
{
	return shim_streq(m->path, "[vvar]") || shim_streq(m->path, "[vdso]") ||
	       shim_streq(m->path, "[vsyscall]") || shim_streq(m->path, "[vvar_vclock]");
}

/* Each mapping as an MMAP record: the layout the process starts from. */
static void shim_announce_one(const struct shim_map *m)
{
	bool anon = m->inode == 0;
	uint32_t flags = m->perms[3] == 's' ? MAP_SHARED : MAP_PRIVATE;

	if (shim_special(m))
		return;
	if (anon)
		flags |= MAP_ANONYMOUS;
	if (shim_streq(m->path, "[stack]"))
		flags |= MAP_GROWSDOWN;
	/* arg: -1 anonymous, -2 a file whose fd is not known (mapped before us) */
	shim_emit(TRACE_MMAP, m->start, m->end - m->start, shim_prot(m->perms), flags,
		  anon ? (uint64_t)-1 : (uint64_t)-2);
}

static void shim_announce(void)
{
	shim_emit(REC_WIRE_HELLO, 0, 0, 0, 0, 0);
	shim_each_map(shim_announce_one);
	shim.brk = (uint64_t)sys1(SYS_brk, 0);
	shim_emit(TRACE_BRK, shim.brk, 0, 0, 0, 0);
	shim_flush();
}

/* ---- epochs ---------------------------------------------------------- */

static bool shim_eligible(const struct shim_map *m)
{
	if (m->perms[1] != 'w' || shim_special(m) || shim_streq(m->path, "[stack]"))
		return false;
	if (shim.self[0] && shim_streq(m->path, shim.self))
		return false;
	return true;
}

static void shim_protect_range(uint64_t start, uint64_t end, uint32_t prot)
{
	struct shim_region *r;

	if (start >= end || shim.nr_regions == SHIM_REGIONS)
		return;
	if (sys3(SYS_mprotect, start, end - start, PROT_NONE))
		return;
	r = &shim.arena->region[shim.nr_regions++];
	r->start = start;
	r->end = end;
	r->prot = prot;
}

/*
 * A writable mapping, less what must stay open: the arena (the kernel
 * merges it with an anonymous neighbour of the same protection, such as a
 * large malloc) and the pages of the thread's control block, where the
 * kernel itself writes at any time (rseq's cpu id on each return to user
 * mode: a protected page there is a SIGSEGV it cannot deliver).
 */
static void shim_protect_one(const struct shim_map *m)
{
	uint32_t prot = shim_prot(m->perms);
	uint64_t cut[2][2] = {
		{ (uint64_t)(uintptr_t)shim.arena,
		  (uint64_t)(uintptr_t)shim.arena + ((sizeof(struct shim_arena) + SHIM_PAGE - 1) & ~(SHIM_PAGE - 1)) },
		{ shim.tcb, shim.tcb + SHIM_TCB_SPAN },
	};
	uint64_t at = m->start;

	if (!shim_eligible(m))
		return;
	if (cut[0][0] > cut[1][0]) {	/* in address order */
		uint64_t t0 = cut[0][0], t1 = cut[0][1];

		cut[0][0] = cut[1][0], cut[0][1] = cut[1][1];
		cut[1][0] = t0, cut[1][1] = t1;
	}
	for (int i = 0; i < 2; i++) {
		if (cut[i][1] <= at || cut[i][0] >= m->end)
			continue;
		if (cut[i][0] > at)
			shim_protect_range(at, cut[i][0], prot);
		at = cut[i][1];
	}
	if (at < m->end)
		shim_protect_range(at, m->end, prot);
}

static void shim_epoch_end(void)
{
	for (unsigned int i = 0; i < shim.nr_regions; i++) {
		struct shim_region *r = &shim.arena->region[i];

		sys3(SYS_mprotect, r->start, r->end - r->start, r->prot);
	}
	shim.nr_regions = 0;
	shim.epoch = false;
}

static void shim_epoch_start(void)
{
	shim_epoch_end();
	if (shim.detached)
		return;
	shim_each_map(shim_protect_one);
	shim.epoch = shim.nr_regions > 0;
	shim_flush();
}

static struct shim_region *shim_region_of(uint64_t addr)
{
	unsigned int lo = 0, hi = shim.nr_regions;

	while (lo < hi) {	/* maps is sorted: so is the table */
		unsigned int mid = (lo + hi) / 2;
		struct shim_region *r = &shim.arena->region[mid];

		if (addr < r->start)
			hi = mid;
		else if (addr >= r->end)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

/* ---- handlers -------------------------------------------------------- */

static void shim_sigaction(int sig, void *handler, unsigned long flags, uint64_t mask)
{
	struct shim_ksigaction ka = {
		.handler = handler,
		.flags = flags | SHIM_SA_RESTORER,
		.restorer = (void *)shim_restorer,
		.mask = mask,
	};

	sys4(SYS_rt_sigaction, sig, &ka, NULL, 8);
}

#define SHIM_BIT(sig)	(1ull << ((sig) - 1))
#define SHIM_OURS	(SHIM_BIT(SIGSEGV) | SHIM_BIT(SIGSYS) | SHIM_BIT(SHIM_TICK))

static void shim_segv(int sig, siginfo_t *info, void *ucv)
{
	ucontext_t *uc = ucv;
	uint64_t addr = (uint64_t)(uintptr_t)info->si_addr;
	uint64_t page = addr & ~(SHIM_PAGE - 1);
	struct shim_region *r = shim.epoch ? shim_region_of(addr) : NULL;
	bool write = uc->uc_mcontext.gregs[REG_ERR] & 2;

	if (!r || info->si_code != SEGV_ACCERR) {
		/* Not ours: the program's own crash, with the default action. */
		shim_flush();
		shim_sigaction(SIGSEGV, SIG_DFL, 0, 0);
		return;
	}
	if (write || !(r->prot & PROT_WRITE)) {
		sys3(SYS_mprotect, page, SHIM_PAGE, r->prot);
	} else {
		sys3(SYS_mprotect, page, SHIM_PAGE, r->prot & ~PROT_WRITE);
	}
	shim_emit(write ? TRACE_WRITE : TRACE_READ, page, SHIM_PAGE, 0, 0, 0);
}

/* Touch the pages of [p, p + len) that lie in protected regions: the kernel's access, made ours. */
static void shim_touch(uint64_t p, uint64_t len, bool write)
{
	uint64_t end = p + len;

	if (!shim.epoch || !len || end < p)
		return;
	for (uint64_t a = p; a < end; a = (a & ~(SHIM_PAGE - 1)) + SHIM_PAGE) {
		if (!shim_region_of(a))
			continue;
		if (write)
			__atomic_fetch_add((volatile char *)(uintptr_t)a, 0, __ATOMIC_RELAXED);
		else
			(void)*(volatile char *)(uintptr_t)a;
	}
}

static void shim_timer_start(void)
{
	/* static: no zeroing on the stack, which the compiler would make a memset() call */
	static struct {
		uint64_t value;
		int signo, notify;
		int pad[12];
	} sev;
	static struct itimerspec its;
	int id;

	sev.signo = SHIM_TICK;
	sev.notify = SIGEV_SIGNAL;
	its.it_interval.tv_sec = shim.interval_ms / 1000;
	its.it_interval.tv_nsec = (long)(shim.interval_ms % 1000) * 1000000;
	its.it_value = its.it_interval;
	if (sys3(SYS_timer_create, CLOCK_PROCESS_CPUTIME_ID, &sev, &id))
		return;
	shim.timer = id;
	sys4(SYS_timer_settime, id, 0, &its, NULL);
}

static bool shim_dispatch_on(void)
{
	shim.selector = 1;	/* SYSCALL_DISPATCH_FILTER_BLOCK */
	return shim_syscall6(SYS_prctl, SHIM_DISPATCH, 1 /* PR_SYS_DISPATCH_ON */,
			     (long)shim_gadget_start, (long)(shim_gadget_end - shim_gadget_start),
			     (long)&shim.selector, 0) == 0;
}

static void shim_tick(int sig, siginfo_t *info, void *uc)
{
	if (shim.fd >= 0 && !shim.detached)
		shim_epoch_start();
}

/* fork(), clone() without CLONE_VM, and vfork/CLONE_VFORK made a fork. */
static long shim_fork(greg_t *g, long nr, const long *a)
{
	int sync[2];
	long ret;
	char c = 0;

	shim_epoch_end();
	shim_flush();
	if (sys2(SYS_pipe2, sync, O_CLOEXEC))
		return -SHIM_ENOSYS;
	if (nr == SYS_clone)
		ret = shim_syscall6(SYS_clone, a[0] & ~(long)(CLONE_VM | CLONE_VFORK), 0, a[2], a[3], a[4], 0);
	else
		ret = sys0(SYS_fork);
	if (ret == 0) {
		shim.pid = (uint32_t)sys0(SYS_getpid);
		shim.timer = -1;
		shim_dispatch_on();
		while (sys3(SYS_read, sync[0], &c, 1) == -4)
			;
		sys1(SYS_close, sync[0]);
		sys1(SYS_close, sync[1]);
		shim_timer_start();
		if (nr == SYS_clone && a[1])	/* posix_spawn's child runs on its own stack */
			g[REG_RSP] = a[1];
		shim_epoch_start();
		return 0;
	}
	if (ret > 0) {
		shim_emit(TRACE_FORK, 0, 0, 0, 0, (uint64_t)ret);
		shim_flush();
	}
	sys3(SYS_write, sync[1], &c, 1);
	sys1(SYS_close, sync[0]);
	sys1(SYS_close, sync[1]);
	shim_epoch_start();
	return ret;
}

/* A thread is being created: stop sampling this process and let the call through. */
static void shim_detach(greg_t *g, long nr)
{
	shim_epoch_end();
	shim_flush();
	shim.detached = true;
	if (shim.timer >= 0)
		sys1(SYS_timer_delete, shim.timer);
	shim.timer = -1;
	sys4(SYS_prctl, SHIM_DISPATCH, 0, 0, 0);
	shim_say("mmsim record: sample: the program created a thread; sampling of this process stops "
		 "(docs/record.md)\n");
	g[REG_RAX] = nr;
	g[REG_RIP] -= 2;	/* the syscall instruction again, now let through */
}

/* New memory joins the running epoch, protected at once. */
static void shim_protect_new(uint64_t start, uint64_t len, uint32_t prot)
{
	unsigned int i = shim.nr_regions;
	uint64_t end = start + ((len + SHIM_PAGE - 1) & ~(SHIM_PAGE - 1));

	if (shim.detached || !(prot & PROT_WRITE) || shim.nr_regions == SHIM_REGIONS)
		return;
	if (sys3(SYS_mprotect, start, end - start, PROT_NONE))
		return;
	while (i > 0 && shim.arena->region[i - 1].start > start) {	/* keep the table sorted */
		shim.arena->region[i] = shim.arena->region[i - 1];
		i--;
	}
	shim.arena->region[i].start = start;
	shim.arena->region[i].end = end;
	shim.arena->region[i].prot = prot;
	shim.nr_regions++;
	shim.epoch = true;
}

/*
 * [start, end) left the program's layout or took the protection the
 * program asked for: it leaves the table (entries trimmed or split).
 */
static void shim_cut(uint64_t start, uint64_t end)
{
	struct shim_region *t = shim.arena->region;

	start &= ~(SHIM_PAGE - 1);
	end = (end + SHIM_PAGE - 1) & ~(SHIM_PAGE - 1);
	for (unsigned int i = 0; i < shim.nr_regions; i++) {
		struct shim_region *r = &t[i];

		if (r->end <= start || r->start >= end)
			continue;
		if (r->start < start && r->end > end) {		/* split in two */
			if (shim.nr_regions == SHIM_REGIONS) {
				shim_epoch_end();		/* no room: start afresh */
				return;
			}
			for (unsigned int j = shim.nr_regions; j > i + 1; j--)
				t[j] = t[j - 1];
			shim.nr_regions++;
			t[i + 1] = *r;
			t[i + 1].start = end;
			r->end = start;
			i++;
		} else if (r->start < start) {
			r->end = start;
		} else if (r->end > end) {
			r->start = end;
		} else {					/* all of it */
			for (unsigned int j = i; j + 1 < shim.nr_regions; j++)
				t[j] = t[j + 1];
			shim.nr_regions--;
			i--;
		}
	}
}

/*
 * The layout calls keep the epoch: the table loses what the call unmapped
 * or re-protected (shim_cut) and gains what it mapped (shim_protect_new),
 * so that the first touches of new memory - the demand faults a replay
 * cares most about - are seen.  mremap, which would carry our protection
 * along to the new place, ends the epoch first.
 */
static long shim_layout_call(long nr, const long *a)
{
	uint64_t addr = (uint64_t)a[0], len = (uint64_t)a[1];
	long ret;

	if (nr == SYS_mremap)
		shim_epoch_end();
	ret = shim_syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (ret < 0 && ret > -4096)
		return ret;
	switch (nr) {
	case SYS_mmap:
		shim_emit(TRACE_MMAP, (uint64_t)ret, len, (uint32_t)a[2], (uint32_t)a[3],
			  (a[3] & MAP_ANONYMOUS) ? (uint64_t)-1 : (uint64_t)(int64_t)(int)a[4]);
		shim_cut((uint64_t)ret, (uint64_t)ret + len);	/* MAP_FIXED: what it replaced */
		shim_protect_new((uint64_t)ret, len, (uint32_t)a[2]);
		break;
	case SYS_munmap:
		shim_emit(TRACE_MUNMAP, addr, len, 0, 0, 0);
		shim_cut(addr, addr + len);
		break;
	case SYS_mprotect:
	case SYS_pkey_mprotect:
		shim_emit(TRACE_MPROTECT, addr, len, (uint32_t)a[2], 0, 0);
		shim_cut(addr, addr + len);
		break;
	case SYS_mremap:
		shim_emit(TRACE_MUNMAP, addr, len, 0, 0, 0);
		shim_emit(TRACE_MMAP, (uint64_t)ret, (uint64_t)a[2], PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, (uint64_t)-1);
		break;
	case SYS_brk:
		if ((uint64_t)ret > shim.brk && shim.brk) {
			uint64_t from = (shim.brk + SHIM_PAGE - 1) & ~(SHIM_PAGE - 1);

			if ((uint64_t)ret > from)
				shim_protect_new(from, (uint64_t)ret - from, PROT_READ | PROT_WRITE);
		} else if ((uint64_t)ret < shim.brk) {
			shim_cut((uint64_t)ret, shim.brk);
		}
		if ((uint64_t)ret != shim.brk) {
			shim.brk = (uint64_t)ret;
			shim_emit(TRACE_BRK, shim.brk, 0, 0, 0, 0);
		}
		break;
	}
	return ret;
}

static void shim_sys(int sig, siginfo_t *info, void *ucv)
{
	ucontext_t *uc = ucv;
	greg_t *g = uc->uc_mcontext.gregs;
	long nr = info->si_syscall;
	long a[6] = { g[REG_RDI], g[REG_RSI], g[REG_RDX], g[REG_R10], g[REG_R8], g[REG_R9] };
	long ret;

	switch (nr) {
	case SYS_rt_sigreturn:	/* the program's own handler returns: do it from the gadget */
		g[REG_RIP] = (greg_t)(uintptr_t)shim_restorer;
		return;
	case SYS_rt_sigaction:
		if (a[0] < 1 || a[0] > 64)
			break;
		if (SHIM_BIT(a[0]) & SHIM_OURS) {
			if (a[2]) {	/* the old action: "default" */
				struct shim_ksigaction *old = (void *)a[2];

				shim_touch((uint64_t)a[2], sizeof(*old), true);
				old->handler = SIG_DFL;
				old->flags = 0;
				old->restorer = NULL;
				old->mask = 0;
			}
			g[REG_RAX] = 0;
			return;
		}
		if (a[1]) {	/* the program's handlers never block ours */
			struct shim_ksigaction ka;

			shim_touch((uint64_t)a[1], sizeof(ka), false);
			ka = *(struct shim_ksigaction *)a[1];
			ka.mask &= ~SHIM_OURS;
			shim_touch((uint64_t)a[2], sizeof(ka), true);
			g[REG_RAX] = shim_syscall6(nr, a[0], (long)&ka, a[2], a[3], 0, 0);
			return;
		}
		break;
	case SYS_rt_sigprocmask:
		if (a[1] && a[0] != SIG_UNBLOCK) {
			uint64_t set;

			shim_touch((uint64_t)a[1], 8, false);
			set = *(uint64_t *)a[1] & ~SHIM_OURS;
			shim_touch((uint64_t)a[2], 8, true);
			g[REG_RAX] = shim_syscall6(nr, a[0], (long)&set, a[2], a[3], 0, 0);
			return;
		}
		break;
	case SYS_mmap:
	case SYS_munmap:
	case SYS_mprotect:
	case SYS_pkey_mprotect:
	case SYS_mremap:
	case SYS_brk:
		g[REG_RAX] = shim_layout_call(nr, a);
		return;
	case SYS_clone3:
		g[REG_RAX] = -SHIM_ENOSYS;	/* glibc falls back to clone */
		return;
	case SYS_clone:
		if ((a[0] & CLONE_VM) && !(a[0] & CLONE_VFORK)) {
			shim_detach(g, nr);
			return;
		}
		g[REG_RAX] = shim_fork(g, nr, a);
		return;
	case SYS_fork:
	case SYS_vfork:
		g[REG_RAX] = shim_fork(g, SYS_fork, a);
		return;
	case SYS_exit_group:
	case SYS_exit:
		shim_epoch_end();
		shim_emit(TRACE_EXIT, 0, 0, 0, 0, 0);
		shim_flush();
		break;
	case SYS_execve:
	case SYS_execveat:	/* the new image's shim says HELLO: the old one's EXIT */
		shim_epoch_end();
		shim_flush();
		/* The new image inherits the program's mask, not this handler's (SHIM_TICK blocked). */
		sys4(SYS_rt_sigprocmask, SIG_SETMASK, &uc->uc_sigmask, NULL, 8);
		break;
	case SYS_sigaltstack:	/* ours stays: the program's may be a page we protect */
		if (a[1]) {
			stack_t *old = (void *)a[1];

			shim_touch((uint64_t)a[1], sizeof(*old), true);
			old->ss_sp = NULL;
			old->ss_flags = SS_DISABLE;
			old->ss_size = 0;
		}
		g[REG_RAX] = 0;
		return;
	case SYS_close:
		if (a[0] == shim.fd) {
			g[REG_RAX] = 0;
			return;
		}
		break;
	case SYS_dup2:
	case SYS_dup3:
		if (a[1] == shim.fd) {	/* our pipe moves out of the way first */
			long fd = sys3(SYS_fcntl, shim.fd, F_DUPFD, 900);

			if (fd >= 0) {
				sys1(SYS_close, shim.fd);
				shim.fd = (int)fd;
			}
		}
		break;
	case SYS_read:
	case SYS_pread64:
		shim_touch((uint64_t)a[1], (uint64_t)a[2], true);
		break;
	case SYS_write:
	case SYS_pwrite64:
		shim_touch((uint64_t)a[1], (uint64_t)a[2], false);
		break;
	}
	ret = shim_syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (ret == -SHIM_EFAULT && shim.epoch) {
		/* The kernel met a page of ours: give everything back and retry. */
		shim_epoch_end();
		ret = shim_syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	}
	g[REG_RAX] = ret;
}

/* ---- start ------------------------------------------------------------ */

static void shim_find_self(const struct shim_map *m)
{
	uint64_t here = (uint64_t)(uintptr_t)shim_find_self;
	size_t n = shim_strlen(m->path);

	if (here >= m->start && here < m->end && n < sizeof(shim.self))
		memcpy(shim.self, m->path, n + 1);
}

__attribute__((constructor)) static void shim_init(void)
{
	const char *fd = getenv("MMSIM_RECORD_FD");
	const char *ms = getenv("MMSIM_RECORD_INTERVAL_MS");
	stack_t ss;
	void *arena;

	if (!fd || !*fd)
		return;
	arena = mmap(NULL, sizeof(struct shim_arena), PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (arena == MAP_FAILED)
		return;
	shim.arena = arena;
	shim.fd = atoi(fd);
	shim.interval_ms = ms && atoi(ms) > 0 ? (unsigned int)atoi(ms) : 10;
	shim.pid = (uint32_t)sys0(SYS_getpid);
	{
		uint64_t fs = 0;

		sys2(SYS_arch_prctl, 0x1003 /* ARCH_GET_FS */, &fs);
		shim.tcb = fs & ~(SHIM_PAGE - 1);
	}
	shim_each_map(shim_find_self);
	shim_announce();

	ss.ss_sp = shim.arena->altstack;
	ss.ss_size = SHIM_ALTSTACK;
	ss.ss_flags = 0;
	sys2(SYS_sigaltstack, &ss, NULL);
	shim_sigaction(SIGSEGV, (void *)shim_segv, SA_SIGINFO | SA_ONSTACK, SHIM_BIT(SHIM_TICK));
	shim_sigaction(SIGSYS, (void *)shim_sys, SA_SIGINFO | SA_ONSTACK | SA_NODEFER, SHIM_BIT(SHIM_TICK));
	shim_sigaction(SHIM_TICK, (void *)shim_tick, SA_SIGINFO | SA_ONSTACK | SA_RESTART, 0);
	{
		uint64_t ours = SHIM_OURS;	/* whatever the parent left blocked */

		sys4(SYS_rt_sigprocmask, SIG_UNBLOCK, &ours, NULL, 8);
	}
	if (!shim_dispatch_on()) {
		shim_say("mmsim record: sample: this kernel has no syscall user dispatch "
			 "(Linux >= 5.11, CONFIG_SYSCALL_USER_DISPATCH); use --backend lackey\n");
		sys1(SYS_exit_group, 125);
	}
	shim_timer_start();
	shim_epoch_start();	/* main() starts inside an epoch */
}
