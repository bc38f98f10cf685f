// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_file_selftests.c - the semantics Linux's
 * tools/testing/selftests/mm check that apply to files, on the disk file
 * system ("/", mmfs) and on tmpfs (/tmp):
 *   - cow.c, the non-anonymous cases on a file ("Basic COW", "R/O
 *     longterm GUP pin"): a write to a MAP_PRIVATE mapping of a file
 *     copies the page; the file, a MAP_SHARED mapper and read(2) keep the
 *     old bytes; a private page not yet written is the cache's page, so it
 *     sees later writes to the file; a R/O long-term pin of a private file
 *     page unshares it first, so a later write through the page table is
 *     seen through the pin;
 *   - map_populate.c: MAP_PRIVATE|MAP_POPULATE after fork copies the pages
 *     at once (the parent's later MAP_SHARED write is not seen); every
 *     populated page is present and reading it faults no more;
 *   - mkdirty.c, for file pages: a read-only PTE of a shared file mapping
 *     is clean; mprotect(RW) + a write dirties the folio (->page_mkwrite)
 *     and the PTE; writeback cleans both and write-protects the PTE so
 *     the next write dirties it again; a write after mprotect(PROT_READ)
 *     is SIGSEGV and the page is unmodified (mkdirty.c's ptrace case, a
 *     FOLL_FORCE write into a read-only private mapping, waits for GUP's
 *     FOLL_FORCE COW writes: mm/gup.c refuses them with -EFAULT for now);
 *   - truncate + a mapped page: SIGBUS (BUS_ADRERR at the address) beyond
 *     the page of the new EOF, for shared mappings and for private copies
 *     (unmap_mapping_range even_cows); the EOF page's tail reads zero; x86
 *     logs nothing for it (do_sigbus), arm64 its "unhandled exception"
 *     line;
 *   - MAP_SHARED writes are seen by read(2) at once and the reverse; two
 *     processes mapping the file map the same page;
 *   - mincore() of a file mapping reports the page cache (not the PTEs);
 *   - mmap's EACCES rules for files (shared writable needs O_RDWR, any
 *     mapping needs read access; mprotect too).
 * On x86_64, i386 with highmem and arm64 with 64K pages.
 */
#include "file_fixture.h"
#include "mm/fault_internal.h"
#include "kernel/internal.h"
#include <mmsim/rmap.h>

#define RW	(PROT_READ | PROT_WRITE)

static struct mmsim *m;
static const char *const dirs[] = { "", "/tmp" };
static struct ubuf ub;

static struct page *page_at(struct mm_struct *mm, unsigned long va)
{
	pte_t *ptep = mm_find_pte(mm, va);
	pte_t pte = ptep ? ptep_get(ptep) : __pte(0);

	return pte_present(pte) ? pfn_to_page(pte_pfn(pte)) : NULL;
}

static pte_t pte_at(struct mm_struct *mm, unsigned long va)
{
	pte_t *ptep = mm_find_pte(mm, va);

	return ptep ? ptep_get(ptep) : __pte(0);
}

static struct task_struct *start(const char *comm)
{
	struct task_struct *t = mmsim_spawn(m, comm);

	KT_ASSERT(t);
	if (!t || mmsim_switch_to(t))
		return NULL;
	KT_ASSERT(ubuf_init(&ub, 4 * PAGE_SIZE));
	return t;
}

static struct task_struct *do_fork(void)
{
	long pid = sys_fork();

	KT_ASSERT(pid > 0);
	return pid > 0 ? find_task_by_vpid((pid_t)pid) : NULL;
}

static void reap(struct task_struct *parent, struct task_struct *child, int sig)
{
	pid_t pid = child->pid;
	int st = -1;

	if (!sig) {
		KT_EQ(mmsim_switch_to(child), 0);
		sys_exit_group(0);
	}
	KT_EQ(mmsim_switch_to(parent), 0);
	KT_EQ(sys_wait4(pid, &st, 0, NULL), pid);
	if (sig)
		KT_ASSERT(WIFSIGNALED(st) && WTERMSIG(st) == sig);
	else
		KT_ASSERT(WIFEXITED(st));
}

/* A file of @npages pages of pattern @tag gen 1: its fd. */
static int make_file(const char *dir, const char *name, unsigned int npages, unsigned int tag)
{
	char path[64];
	size_t len = (size_t)npages * PAGE_SIZE;
	unsigned char *buf = malloc(len);
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = (int)sys_open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	KT_ASSERT(fd >= 0);
	if (fd >= 0) {
		pat_fill(buf, tag, 1, 0, len);
		KT_EQ(upwrite(&ub, fd, buf, len, 0), (long)len);
	}
	free(buf);
	return fd;
}

static void drop_file(const char *dir, const char *name)
{
	char path[64];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	KT_EQ(sys_unlink(path), 0);
}

static unsigned char ubyte(unsigned long va)
{
	unsigned char c = 0;

	KT_EQ(mmsim_user_read(va, &c, 1), 0);
	return c;
}

static bool range_is(unsigned long va, unsigned int tag, unsigned int gen, u64 pos, size_t len,
		     const char *what)
{
	unsigned char *got = malloc(len), *want = malloc(len);
	bool ok;

	pat_fill(want, tag, gen, pos, len);
	ok = !mmsim_user_read(va, got, len) && pat_check(got, want, pos, len, what);
	free(got);
	free(want);
	return ok;
}

static bool file_is(int fd, unsigned int tag, unsigned int gen, u64 pos, size_t len,
		    const char *what)
{
	unsigned char *got = malloc(len), *want = malloc(len);
	bool ok;

	pat_fill(want, tag, gen, pos, len);
	ok = upread(&ub, fd, got, len, (long)pos) == (long)len &&
	     pat_check(got, want, pos, len, what);
	free(got);
	free(want);
	return ok;
}

static void user_fill(unsigned long va, unsigned int tag, unsigned int gen, u64 pos, size_t len)
{
	unsigned char *buf = malloc(len);

	pat_fill(buf, tag, gen, pos, len);
	KT_EQ(mmsim_user_write(va, buf, len), 0);
	free(buf);
}

/* --- cow.c: Basic COW, R/O longterm pin ------------------------------- */

static void cow_on(const char *dir)
{
	struct task_struct *t = start("cow"), *c;
	unsigned long mem, smem;
	struct page *cache, *priv;
	int fd;

	if (!t)
		return;
	fd = make_file(dir, "cow", 4, 0x51);
	mem = sys_mmap(0, 4 * PAGE_SIZE, RW, MAP_PRIVATE, (unsigned long)fd, 0);
	smem = sys_mmap(0, 4 * PAGE_SIZE, PROT_READ, MAP_SHARED, (unsigned long)fd, 0);
	KT_ASSERT(!IS_ERR_VALUE(mem) && !IS_ERR_VALUE(smem));
	if (IS_ERR_VALUE(mem) || IS_ERR_VALUE(smem))
		goto out;
	KT_EQ(sys_fsync(fd), 0);
	/* fault both in: the private mapping maps the cache's page read-only */
	KT_ASSERT(range_is(mem, 0x51, 1, 0, PAGE_SIZE, "private, before"));
	KT_ASSERT(range_is(smem, 0x51, 1, 0, PAGE_SIZE, "shared, before"));
	cache = page_at(t->mm, smem);
	KT_ASSERT(cache && page_at(t->mm, mem) == cache);
	KT_ASSERT(!pte_write(pte_at(t->mm, mem)));
	KT_ASSERT(cache && !page_is_anon(cache));

	/* the write copies: nobody else sees it */
	user_fill(mem, 0x51, 2, 0, PAGE_SIZE);
	priv = page_at(t->mm, mem);
	KT_ASSERT(priv && priv != cache && page_is_anon(priv));
	KT_ASSERT(range_is(mem, 0x51, 2, 0, PAGE_SIZE, "private, after its write"));
	KT_ASSERT(range_is(smem, 0x51, 1, 0, PAGE_SIZE, "shared, after the private write"));
	KT_ASSERT(file_is(fd, 0x51, 1, 0, PAGE_SIZE, "read(2), after the private write"));
	if (!*dir)
		KT_ASSERT(!fx_mapping_dirty(fx_fd_mapping(fd)));	/* the cache is clean */

	/* an untouched private page is the cache's: it sees write(2) */
	KT_ASSERT(range_is(mem + PAGE_SIZE, 0x51, 1, PAGE_SIZE, PAGE_SIZE, "private page 1"));
	{
		unsigned char buf[64];

		pat_fill(buf, 0x51, 3, PAGE_SIZE + 64, sizeof(buf));
		KT_EQ(upwrite(&ub, fd, buf, sizeof(buf), (long)PAGE_SIZE + 64), (long)sizeof(buf));
	}
	KT_ASSERT(range_is(mem + PAGE_SIZE + 64, 0x51, 3, PAGE_SIZE + 64, 64,
			   "private page 1 after write(2)"));

	/* a child inherits the private copy and the shared view */
	c = do_fork();
	if (c) {
		KT_EQ(mmsim_switch_to(c), 0);
		KT_ASSERT(range_is(mem, 0x51, 2, 0, PAGE_SIZE, "child, private"));
		KT_ASSERT(range_is(smem, 0x51, 1, 0, PAGE_SIZE, "child, shared"));
		user_fill(mem, 0x51, 4, 0, 64);			/* the child's own copy */
		KT_EQ(mmsim_switch_to(t), 0);
		KT_ASSERT(range_is(mem, 0x51, 2, 0, PAGE_SIZE, "parent after the child's write"));
		reap(t, c, 0);
	}

	/* R/O longterm pin of a private file page: unshared first */
	{
		struct page *pinned = NULL;
		unsigned long va = mem + 2 * PAGE_SIZE;

		KT_ASSERT(range_is(va, 0x51, 1, 2 * PAGE_SIZE, PAGE_SIZE, "private page 2"));
		KT_EQ(pin_user_pages_remote(t->mm, va, 1, FOLL_LONGTERM, &pinned, NULL), 1);
		if (pinned) {
			unsigned char *k;

			KT_ASSERT(page_is_anon(pinned));
			user_fill(va, 0x51, 5, 2 * PAGE_SIZE, PAGE_SIZE);
			k = kmap_local_page(pinned);
			{
				unsigned char want[64];

				pat_fill(want, 0x51, 5, 2 * PAGE_SIZE, sizeof(want));
				KT_ASSERT(!memcmp(k, want, sizeof(want)));
			}
			kunmap_local(k);
			unpin_user_page(pinned);
		}
		KT_ASSERT(file_is(fd, 0x51, 1, 2 * PAGE_SIZE, PAGE_SIZE, "read(2), after the pin"));
	}
	KT_ASSERT(mm_is_valid(t->mm));
	KT_ASSERT(mm_mapcounts_are_valid(m));
	KT_ASSERT(mapping_is_valid(fx_fd_mapping(fd)));
out:
	KT_EQ(sys_close(fd), 0);
	drop_file(dir, "cow");
	sys_exit_group(0);
}

static void test_cow_file(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(dirs); i++)
		cow_on(dirs[i]);
}

/* --- shared writes, read(2) and two processes ------------------------- */

static void shared_on(const char *dir)
{
	struct task_struct *t = start("shared"), *c;
	unsigned long a, b;
	int fd;

	if (!t)
		return;
	fd = make_file(dir, "shared", 3, 0x52);
	a = sys_mmap(0, 3 * PAGE_SIZE, RW, MAP_SHARED, (unsigned long)fd, 0);
	b = sys_mmap(0, 3 * PAGE_SIZE, RW, MAP_SHARED, (unsigned long)fd, 0);
	KT_ASSERT(!IS_ERR_VALUE(a) && !IS_ERR_VALUE(b) && a != b);
	if (IS_ERR_VALUE(a) || IS_ERR_VALUE(b))
		goto out;
	user_fill(a + 100, 0x52, 2, 100, 2 * PAGE_SIZE);
	KT_ASSERT(file_is(fd, 0x52, 2, 100, 2 * PAGE_SIZE, "read(2) after the mapping's write"));
	KT_ASSERT(range_is(b + 100, 0x52, 2, 100, 2 * PAGE_SIZE, "the other mapping"));
	KT_EQ(page_at(t->mm, a), page_at(t->mm, b));
	{
		unsigned char buf[200];

		pat_fill(buf, 0x52, 3, 2 * PAGE_SIZE + 10, sizeof(buf));
		KT_EQ(upwrite(&ub, fd, buf, sizeof(buf), 2 * PAGE_SIZE + 10), (long)sizeof(buf));
	}
	KT_ASSERT(range_is(a + 2 * PAGE_SIZE + 10, 0x52, 3, 2 * PAGE_SIZE + 10, 200,
			   "the mapping after write(2)"));
	/* another process with its own mapping (not inherited): the same page */
	c = do_fork();
	if (c) {
		unsigned long cva;
		int cfd;
		char path[64];

		KT_EQ(mmsim_switch_to(c), 0);
		snprintf(path, sizeof(path), "%s/shared", dir);
		cfd = (int)sys_open(path, O_RDWR, 0);
		KT_ASSERT(cfd >= 0);
		cva = sys_mmap(0, PAGE_SIZE, RW, MAP_SHARED, (unsigned long)cfd, 0);
		KT_ASSERT(!IS_ERR_VALUE(cva));
		if (!IS_ERR_VALUE(cva)) {
			KT_ASSERT(range_is(cva + 100, 0x52, 2, 100, 64, "the child's own mapping"));
			KT_EQ(page_at(c->mm, cva), page_at(t->mm, a));
			user_fill(cva, 0x52, 4, 0, 50);
		}
		KT_ASSERT(mm_mapcounts_are_valid(m));
		KT_EQ(mmsim_switch_to(t), 0);
		KT_ASSERT(range_is(b, 0x52, 4, 0, 50, "the child's write, in the parent"));
		reap(t, c, 0);
	}
	/* munmap and exit: the bytes stay in the file */
	KT_EQ(sys_munmap(a, 3 * PAGE_SIZE), 0);
	KT_EQ(sys_munmap(b, 3 * PAGE_SIZE), 0);
	KT_ASSERT(file_is(fd, 0x52, 4, 0, 50, "after munmap"));
	KT_ASSERT(mapping_is_valid(fx_fd_mapping(fd)));
out:
	KT_EQ(sys_close(fd), 0);
	drop_file(dir, "shared");
	sys_exit_group(0);
}

static void test_shared_write_visible(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(dirs); i++)
		shared_on(dirs[i]);
}

/* --- map_populate.c ------------------------------------------------------ */

static void populate_on(const char *dir)
{
	struct task_struct *t = start("populate"), *c;
	unsigned long smap, pmap, va;
	unsigned int v = 0;
	char path[64];
	int fd;

	if (!t)
		return;
	snprintf(path, sizeof(path), "%s/populate", dir);
	fd = (int)sys_open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	KT_ASSERT(fd >= 0);
	KT_EQ(sys_ftruncate(fd, (long)PAGE_SIZE), 0);
	smap = sys_mmap(0, PAGE_SIZE, RW, MAP_SHARED, (unsigned long)fd, 0);
	KT_ASSERT(!IS_ERR_VALUE(smap));
	if (IS_ERR_VALUE(smap))
		goto out;
	v = 0xdeadbabe;
	KT_EQ(mmsim_user_write(smap, &v, 4), 0);
	KT_EQ(sys_msync(smap, PAGE_SIZE, MS_SYNC), 0);
	c = do_fork();
	if (!c)
		goto out;
	KT_EQ(mmsim_switch_to(c), 0);
	pmap = sys_mmap(0, PAGE_SIZE, RW, MAP_PRIVATE | MAP_POPULATE, (unsigned long)fd, 0);
	KT_ASSERT(!IS_ERR_VALUE(pmap));
	if (!IS_ERR_VALUE(pmap)) {
		struct page *p = page_at(c->mm, pmap);

		/* populated for writing: already the child's own copy */
		KT_ASSERT(p && page_is_anon(p));
		KT_EQ(mmsim_user_read(pmap, &v, 4), 0);
		KT_EQ(v, 0xdeadbabe);		/* "MAP_PRIVATE | MAP_POPULATE changed file" */
		KT_EQ(mmsim_switch_to(t), 0);
		v = 0x22222BAD;
		KT_EQ(mmsim_user_write(smap, &v, 4), 0);
		KT_EQ(sys_msync(smap, PAGE_SIZE, MS_SYNC), 0);
		KT_EQ(mmsim_switch_to(c), 0);
		KT_EQ(mmsim_user_read(pmap, &v, 4), 0);
		KT_ASSERT(v != 0x22222BAD);	/* "MAP_POPULATE COW private page" */
		KT_EQ(v, 0xdeadbabe);		/* "The mapping state" */
	}
	reap(t, c, 0);

	/* MAP_SHARED|MAP_POPULATE of 8 pages: all present, no fault on reading */
	KT_EQ(sys_ftruncate(fd, 8 * (long)PAGE_SIZE), 0);
	va = sys_mmap(0, 8 * PAGE_SIZE, PROT_READ, MAP_SHARED | MAP_POPULATE, (unsigned long)fd, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	if (!IS_ERR_VALUE(va)) {
		unsigned long flt = t->min_flt + t->maj_flt;
		unsigned char vec[8];

		for (int i = 0; i < 8; i++)
			KT_ASSERT(page_at(t->mm, va + (unsigned long)i * PAGE_SIZE));
		KT_EQ(sys_mincore(va, 8 * PAGE_SIZE, vec), 0);
		for (int i = 0; i < 8; i++)
			KT_EQ_WHAT(vec[i] & 1, 1, "mincore[%d]", i);
		for (int i = 0; i < 8; i++)
			ubyte(va + (unsigned long)i * PAGE_SIZE + 5);
		KT_EQ(t->min_flt + t->maj_flt, flt);
		KT_EQ(ubyte(va), 0xad);		/* 0x22222BAD, little-endian */
	}
	KT_ASSERT(mm_is_valid(t->mm));
out:
	KT_EQ(sys_close(fd), 0);
	KT_EQ(sys_unlink(path), 0);
	sys_exit_group(0);
}

static void test_map_populate(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(dirs); i++)
		populate_on(dirs[i]);
}

/* --- truncate + a mapped page: SIGBUS -------------------------------- */

/* As @t, read @va: the task must die of SIGBUS at @va. */
static void expect_sigbus(struct task_struct *t, unsigned long va)
{
	size_t mark;
	unsigned char c;
	char *log;

	mmsim_advance_clock(m, 6000000000ULL);	/* past the signal log's ratelimit */
	mark = log_mark(m);
	get_task_struct(t);
	KT_EQ(mmsim_user_read(va, &c, 1), -EFAULT);
	KT_ASSERT(!current);
	KT_EQ(WTERMSIG(t->exit_code), SIGBUS);
	KT_EQ(task_ext(t)->fault_code, BUS_ADRERR);
	KT_EQ(task_ext(t)->fault_addr, va);
	log = log_since(m, &mark);
	if (current_layout->arch == ARCH_ARM64)
		KT_STR_CONTAINS(log, "unhandled exception: DABT (lower EL)");
	else
		KT_ASSERT(!log || !strstr(log, "segfault at"));
	free(log);
	put_task_struct(t);
}

static void sigbus_on(const char *dir)
{
	struct task_struct *t = start("sigbus"), *c;
	unsigned long s, p;
	int fd;

	if (!t)
		return;
	fd = make_file(dir, "sigbus", 4, 0x53);
	s = sys_mmap(0, 6 * PAGE_SIZE, RW, MAP_SHARED, (unsigned long)fd, 0);
	p = sys_mmap(0, 4 * PAGE_SIZE, RW, MAP_PRIVATE, (unsigned long)fd, 0);
	KT_ASSERT(!IS_ERR_VALUE(s) && !IS_ERR_VALUE(p));
	if (IS_ERR_VALUE(s) || IS_ERR_VALUE(p))
		goto out;
	for (int i = 0; i < 4; i++)
		ubyte(s + (unsigned long)i * PAGE_SIZE);
	user_fill(p + 3 * PAGE_SIZE, 0x53, 2, 3 * PAGE_SIZE, 16);	/* a private copy */
	KT_ASSERT(page_is_anon(page_at(t->mm, p + 3 * PAGE_SIZE)));

	/* a mapping longer than the file: SIGBUS beyond EOF's page (a child dies) */
	c = do_fork();
	if (c) {
		KT_EQ(mmsim_switch_to(c), 0);
		expect_sigbus(c, s + 4 * PAGE_SIZE + 8);
		reap(t, c, SIGBUS);
	}

	/* truncate to 1.5 pages: page 1's tail is zero, pages 2.. are gone */
	KT_EQ(sys_ftruncate(fd, (long)(PAGE_SIZE + PAGE_SIZE / 2)), 0);
	KT_ASSERT(!page_at(t->mm, s + 2 * PAGE_SIZE));
	KT_ASSERT(!page_at(t->mm, p + 3 * PAGE_SIZE));		/* even_cows */
	KT_ASSERT(range_is(s, 0x53, 1, 0, PAGE_SIZE + PAGE_SIZE / 2, "below the new EOF"));
	KT_EQ(ubyte(s + PAGE_SIZE + PAGE_SIZE / 2), 0);
	KT_EQ(ubyte(s + 2 * PAGE_SIZE - 1), 0);
	KT_ASSERT(mm_is_valid(t->mm));
	KT_ASSERT(mm_mapcounts_are_valid(m));
	KT_ASSERT(mapping_is_valid(fx_fd_mapping(fd)));
	c = do_fork();
	if (c) {
		KT_EQ(mmsim_switch_to(c), 0);
		expect_sigbus(c, p + 3 * PAGE_SIZE);		/* the private copy went too */
		reap(t, c, SIGBUS);
	}
	expect_sigbus(t, s + 2 * PAGE_SIZE);
	KT_ASSERT(mm_mapcounts_are_valid(m));
	if (start("sigbus2")) {
		drop_file(dir, "sigbus");
		sys_exit_group(0);
	}
	return;
out:
	KT_EQ(sys_close(fd), 0);
	drop_file(dir, "sigbus");
	sys_exit_group(0);
}

static void test_truncate_sigbus(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(dirs); i++)
		sigbus_on(dirs[i]);
}

/* --- mkdirty.c for file pages ----------------------------------------- */

static void mkdirty_on(const char *dir)
{
	struct task_struct *t = start("mkdirty"), *c;
	bool disk = !*dir;
	unsigned long s;
	struct page *page;
	int fd;

	if (!t)
		return;
	fd = make_file(dir, "mkdirty", 2, 0x54);
	KT_EQ(sys_fsync(fd), 0);
	s = sys_mmap(0, 2 * PAGE_SIZE, PROT_READ, MAP_SHARED, (unsigned long)fd, 0);
	KT_ASSERT(!IS_ERR_VALUE(s));
	if (IS_ERR_VALUE(s))
		goto out;
	ubyte(s);
	page = page_at(t->mm, s);
	KT_ASSERT(page && !pte_write(pte_at(t->mm, s)) && !pte_dirty(pte_at(t->mm, s)));
	if (disk && page)
		KT_ASSERT(!PageDirty(page));

	/* mprotect(RW) + a write: ->page_mkwrite dirties the folio */
	KT_EQ(sys_mprotect(s, 2 * PAGE_SIZE, RW), 0);
	user_fill(s + 8, 0x54, 2, 8, 8);
	KT_ASSERT(pte_write(pte_at(t->mm, s)) && pte_dirty(pte_at(t->mm, s)));
	KT_ASSERT(page && PageDirty(page));
	if (disk) {
		KT_ASSERT(fx_mapping_dirty(fx_fd_mapping(fd)));
		KT_ASSERT(fx_meminfo_kb(m, "Dirty:") > 0);

		/* writeback cleans the folio and write-protects the PTE ... */
		KT_EQ(sys_fsync(fd), 0);
		KT_ASSERT(!PageDirty(page));
		KT_ASSERT(!fx_mapping_dirty(fx_fd_mapping(fd)));
		KT_ASSERT(!pte_write(pte_at(t->mm, s)) && !pte_dirty(pte_at(t->mm, s)));
		/* ... so the next write dirties it again */
		user_fill(s + 16, 0x54, 3, 16, 8);
		KT_ASSERT(PageDirty(page) && pte_dirty(pte_at(t->mm, s)));
		KT_ASSERT(fx_mapping_dirty(fx_fd_mapping(fd)));
		KT_EQ(sys_fsync(fd), 0);
	} else {
		user_fill(s + 16, 0x54, 3, 16, 8);
	}
	KT_ASSERT(file_is(fd, 0x54, 3, 16, 8, "read(2) after the second write"));

	/* mprotect(PROT_READ): a write is SIGSEGV and the page is unchanged */
	KT_EQ(sys_mprotect(s, 2 * PAGE_SIZE, PROT_READ), 0);
	KT_ASSERT(!pte_write(pte_at(t->mm, s)));
	c = do_fork();
	if (c) {
		unsigned char x = 0x77;

		KT_EQ(mmsim_switch_to(c), 0);
		KT_EQ(mmsim_user_write(s + 16, &x, 1), -EFAULT);
		KT_ASSERT(!current);
		reap(t, c, SIGSEGV);
	}
	KT_ASSERT(file_is(fd, 0x54, 3, 16, 8, "after the refused write"));

	KT_ASSERT(mm_is_valid(t->mm));
	KT_ASSERT(mm_mapcounts_are_valid(m));
	KT_ASSERT(mapping_is_valid(fx_fd_mapping(fd)));
out:
	KT_EQ(sys_close(fd), 0);
	drop_file(dir, "mkdirty");
	sys_exit_group(0);
}

static void test_mkdirty(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(dirs); i++)
		mkdirty_on(dirs[i]);
}

/* --- mincore of file pages -------------------------------------------- */

static void mincore_on(const char *dir)
{
	struct task_struct *t = start("mincore");
	unsigned char vec[8], buf[16];
	unsigned long va;
	char path[64];
	int fd;

	if (!t)
		return;
	snprintf(path, sizeof(path), "%s/mincore", dir);
	fd = (int)sys_open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	KT_ASSERT(fd >= 0);
	KT_EQ(sys_ftruncate(fd, 8 * (long)PAGE_SIZE), 0);	/* sparse: nothing cached */
	memset(buf, 0x3c, sizeof(buf));
	KT_EQ(upwrite(&ub, fd, buf, sizeof(buf), (long)PAGE_SIZE), (long)sizeof(buf));
	KT_EQ(upwrite(&ub, fd, buf, sizeof(buf), 5 * (long)PAGE_SIZE + 7), (long)sizeof(buf));
	va = sys_mmap(0, 8 * PAGE_SIZE, PROT_READ, MAP_SHARED, (unsigned long)fd, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	if (IS_ERR_VALUE(va))
		goto out;
	KT_EQ(sys_mincore(va, 8 * PAGE_SIZE, vec), 0);
	for (int i = 0; i < 8; i++)
		KT_EQ_WHAT(vec[i], i == 1 || i == 5, "mincore[%d] (nothing mapped)", i);
	KT_EQ(sys_fsync(fd), 0);
	KT_EQ(fx_drop_caches(m, 1), 0);
	KT_EQ(sys_mincore(va, 8 * PAGE_SIZE, vec), 0);
	for (int i = 0; i < 8; i++)
		KT_EQ_WHAT(vec[i], !*dir ? 0 : i == 1 || i == 5, "mincore[%d] after drop_caches", i);
	KT_EQ(ubyte(va + 5 * PAGE_SIZE + 7), 0x3c);		/* read back in */
	KT_EQ(sys_mincore(va + 5 * PAGE_SIZE, PAGE_SIZE, vec), 0);
	KT_EQ(vec[0], 1);
out:
	KT_EQ(sys_close(fd), 0);
	KT_EQ(sys_unlink(path), 0);
	sys_exit_group(0);
}

static void test_mincore_file(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(dirs); i++)
		mincore_on(dirs[i]);
}

/* --- EACCES ------------------------------------------------------------ */

static void eacces_on(const char *dir)
{
	struct task_struct *t = start("eacces");
	unsigned long va;
	char path[64];
	int fd, ro, wo;

	if (!t)
		return;
	fd = make_file(dir, "eacces", 1, 0x55);
	snprintf(path, sizeof(path), "%s/eacces", dir);
	ro = (int)sys_open(path, O_RDONLY, 0);
	wo = (int)sys_open(path, O_WRONLY, 0);
	KT_ASSERT(ro >= 0 && wo >= 0);
	KT_EQ(sys_mmap(0, PAGE_SIZE, RW, MAP_SHARED, (unsigned long)ro, 0), -EACCES);
	KT_EQ(sys_mmap(0, PAGE_SIZE, PROT_READ, MAP_SHARED, (unsigned long)wo, 0), -EACCES);
	KT_EQ(sys_mmap(0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, (unsigned long)wo, 0), -EACCES);
	va = sys_mmap(0, PAGE_SIZE, RW, MAP_PRIVATE, (unsigned long)ro, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));		/* private: a copy is writable */
	va = sys_mmap(0, PAGE_SIZE, PROT_READ, MAP_SHARED, (unsigned long)ro, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	KT_EQ(sys_mprotect(va, PAGE_SIZE, RW), -EACCES);
	KT_EQ(sys_mmap(0, PAGE_SIZE, PROT_READ, MAP_SHARED, 77, 0), -EBADF);
	KT_EQ(sys_close(ro), 0);
	KT_EQ(sys_close(wo), 0);
	KT_EQ(sys_close(fd), 0);
	/* the mapping outlives the fds */
	KT_EQ(ubyte(va + 9), pat_byte(0x55, 1, 9));
	drop_file(dir, "eacces");
	KT_EQ(ubyte(va + 10), pat_byte(0x55, 1, 10));	/* and the name */
	sys_exit_group(0);
}

static void test_eacces(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(dirs); i++)
		eacces_on(dirs[i]);
}

static void run(const char *spec)
{
	m = boot_or_die(spec);
	printf("# %s\n", spec);
	KT_RUN(test_cow_file);
	KT_RUN(test_shared_write_visible);
	KT_RUN(test_map_populate);
	KT_RUN(test_truncate_sigbus);
	KT_RUN(test_mkdirty);
	KT_RUN(test_mincore_file);
	KT_RUN(test_eacces);
	KT_ASSERT(mm_mapcounts_are_valid(m));
	KT_ASSERT(lru_all_valid());
	mmsim_shutdown(m);
}

int main(void)
{
	run("ram=64M disk=64M");
	run("arch=i386 ram=1G disk=64M");
	run("arch=arm64 page_size=64K ram=256M disk=128M");
	return kt_done();
}
