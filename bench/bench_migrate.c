// SPDX-License-Identifier: GPL-2.0
/*
 * bench/bench_migrate.c - page migration throughput (mm/migrate.c) against
 * memcpy of the same bytes, measured in the same run:
 *
 *   anon, mapped once     a process's 4 MiB of anonymous memory, every
 *                         page migrated by one migrate_pages(MIGRATE_SYNC)
 *                         call per pass: isolation from the LRU, the
 *                         unmapping to migration entries through the rmap
 *                         (with the TLB shootdown), the refcount freeze,
 *                         the copy, the new PTEs, the putback and the free
 *                         of the old page;
 *   anon, shared by fork  the same after fork: two PTEs per page, in two
 *                         mms, both rewritten;
 *   page cache (mmfs)     4 MiB of a file's cached, unmapped pages: the
 *                         XArray slot moves instead of PTEs.
 *   memcpy                the same 4 MiB copied between two host buffers
 *                         (page by page): the physical limit, a copy with
 *                         none of the bookkeeping.
 *
 * Rows print MiB/s (the median of BENCH_REPS timed runs, and the range
 * [lowest..highest]) and ns per page; the ratio "(xR)" is mmsim's time per
 * page over memcpy's (1 would be migration at copy speed).  The page
 * lookups that build each pass's list (a page-table walk, or a page-cache
 * lookup, per page) are inside the timed loop, as move_pages(2) does them
 * too.  Method and the timing loop: bench/bench_common.h.
 */
#include "bench_common.h"
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/fcntl.h>
#include <mmsim/err.h>
#include <mmsim/mm.h>
#include <mmsim/swap.h>
#include <mmsim/pagemap.h>
#include <mmsim/migrate.h>
#include "mm/fault_internal.h"
#include "mm/lru_internal.h"

#define SPEC	"ram=256M cpus=2"
#define BYTES	(4UL << 20)

struct mig_ctx {
	struct mm_struct *mm;		/* anon rows: the mapping's mm */
	unsigned long va;
	struct address_space *mapping;	/* page-cache row */
	unsigned long nr;		/* pages */
	unsigned long failed;		/* pages not moved (must stay 0) */
};

static void die(const char *what)
{
	fprintf(stderr, "bench_migrate: %s\n", what);
	exit(1);
}

static struct folio *new_folio(struct folio *src, unsigned long private)
{
	struct page *page = alloc_pages_node(page_to_nid(&src->page), GFP_HIGHUSER_MOVABLE, 0);

	(void)private;
	return page ? page_folio(page) : NULL;
}

static void isolate_onto(struct page *page, struct list_head *list)
{
	struct folio *folio = page_folio(page);

	if (!folio_isolate_lru(folio))
		return;
	mod_node_page_state(page_pgdat(page),
			    folio_is_file_lru(folio) ? NR_ISOLATED_FILE : NR_ISOLATED_ANON, 1);
	lru_list_add_tail(&page->lru, list);
}

static void migrate_list(struct mig_ctx *c, struct list_head *list)
{
	unsigned int done = 0;
	int ret = migrate_pages(list, new_folio, NULL, 0, MIGRATE_SYNC, MR_SYSCALL, &done);

	if (ret)
		c->failed += ret > 0 ? (unsigned long)ret : c->nr;
	putback_movable_pages(list);
}

/* One pass: every page of the anonymous range moves. */
static void anon_loop(void *ctx, long iters)
{
	struct mig_ctx *c = ctx;

	for (long it = 0; it < iters; it++) {
		LIST_HEAD(list);

		for (unsigned long i = 0; i < c->nr; i++) {
			pte_t *ptep = mm_find_pte(c->mm, c->va + i * PAGE_SIZE);
			pte_t pte = ptep ? ptep_get(ptep) : __pte(0);

			if (pte_present(pte))
				isolate_onto(pfn_to_page(pte_pfn(pte)), &list);
		}
		migrate_list(c, &list);
		bench_keep(c);
	}
}

/* One pass: every cached page of the file moves. */
static void cache_loop(void *ctx, long iters)
{
	struct mig_ctx *c = ctx;

	for (long it = 0; it < iters; it++) {
		LIST_HEAD(list);

		for (unsigned long i = 0; i < c->nr; i++) {
			struct page *page = find_get_page(c->mapping, i);

			if (page) {
				isolate_onto(page, &list);
				put_page(page);
			}
		}
		migrate_list(c, &list);
		bench_keep(c);
	}
}

static char *cpy_src, *cpy_dst;

static void memcpy_loop(void *ctx, long iters)
{
	unsigned long page = PAGE_SIZE, nr = BYTES / page;

	(void)ctx;
	for (long it = 0; it < iters; it++) {
		for (unsigned long i = 0; i < nr; i++) {
			memcpy(cpy_dst + i * page, cpy_src + i * page, page);
			bench_keep(cpy_dst + i * page);
		}
	}
}

static double mibps(double ns_per_page)
{
	return (double)PAGE_SIZE / ns_per_page * 1e9 / (double)(1 << 20);
}

static void row(const char *label, const struct bench_meas *mine, const struct bench_meas *ref,
		unsigned long failed)
{
	char a[32], b[32], r[32];

	printf("%-24s %8.0f MiB/s [%.0f..%.0f] %10s/page | memcpy %8.0f MiB/s [%.0f..%.0f] %10s/page "
	       "(%s)%s\n", label, mibps(mine->med_ns), mibps(mine->hi_ns), mibps(mine->lo_ns),
	       bench_fmt_ns(mine->med_ns, a, sizeof(a)), mibps(ref->med_ns), mibps(ref->hi_ns),
	       mibps(ref->lo_ns), bench_fmt_ns(ref->med_ns, b, sizeof(b)),
	       bench_fmt_ratio(mine->med_ns / ref->med_ns, r, sizeof(r)),
	       failed ? "  SOME PAGES DID NOT MOVE" : "");
	fflush(stdout);
}

int main(void)
{
	struct mmsim *m = mmsim_boot(SPEC);
	struct task_struct *t;
	struct mig_ctx anon = { 0 }, cache = { 0 };
	unsigned long moved;
	long pid;
	int fd;

	if (!m)
		die(mmsim_last_error());
	printf("bench_migrate: migrate_pages throughput vs memcpy of the same %lu MiB (same run)\n",
	       BYTES >> 20);
	printf("%s, %lu-byte pages; median of %d runs [range]; (xR) = mmsim time / memcpy time\n",
	       SPEC, PAGE_SIZE, BENCH_REPS);
	bench_rule();
	t = mmsim_spawn(m, "bench");
	if (!t || mmsim_switch_to(t))
		die("mmsim_spawn");
	cpy_src = host_get(BYTES);
	cpy_dst = host_get(BYTES);

	/* anon, mapped once */
	anon.nr = BYTES / PAGE_SIZE;
	anon.va = sys_mmap(0, BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			   (unsigned long)-1, 0);
	if (IS_ERR_VALUE(anon.va))
		die("mmap");
	for (unsigned long off = 0; off < BYTES; off += PAGE_SIZE)
		if (mmsim_user_write(anon.va + off, &off, sizeof(off)))
			die("touch");
	anon.mm = t->mm;
	moved = sum_vm_event(PGMIGRATE_SUCCESS);
	{
		struct bench_meas ms[2] = { BENCH_MEAS(anon_loop, &anon, (long)anon.nr),
					    BENCH_MEAS(memcpy_loop, NULL, (long)anon.nr) };

		bench_compare(ms, 2);
		row("anon, mapped once", &ms[0], &ms[1], anon.failed);
	}

	/* anon, shared by a fork child */
	pid = sys_fork();
	if (pid <= 0)
		die("fork");
	{
		struct bench_meas ms[2] = { BENCH_MEAS(anon_loop, &anon, (long)anon.nr),
					    BENCH_MEAS(memcpy_loop, NULL, (long)anon.nr) };

		bench_compare(ms, 2);
		row("anon, shared by fork", &ms[0], &ms[1], anon.failed);
	}
	/* The bytes survived every pass, in both processes. */
	for (int side = 0; side < 2; side++) {
		if (side && mmsim_switch_to(find_task_by_vpid((pid_t)pid)))
			die("switch to the child");
		for (unsigned long off = 0; off < BYTES; off += PAGE_SIZE) {
			unsigned long v = ~0UL;

			if (mmsim_user_read(anon.va + off, &v, sizeof(v)) || v != off)
				die("bytes changed by migration");
		}
	}
	sys_exit_group(0);
	if (mmsim_switch_to(t))
		die("switch back");
	sys_wait4((pid_t)pid, NULL, 0, NULL);

	/* page cache: a 4 MiB file, cached and unmapped */
	fd = (int)sys_open("/bench-migrate", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("open");
	for (unsigned long off = 0; off < BYTES; off += PAGE_SIZE)
		if (sys_pwrite64(fd, anon.va, PAGE_SIZE, (long)off) != (long)PAGE_SIZE)
			die("pwrite");
	if (sys_fsync(fd))
		die("fsync");
	{
		struct file *f = fget((unsigned int)fd);

		cache.mapping = f->f_mapping;
		fput(f);
	}
	cache.nr = BYTES / PAGE_SIZE;
	{
		struct bench_meas ms[2] = { BENCH_MEAS(cache_loop, &cache, (long)cache.nr),
					    BENCH_MEAS(memcpy_loop, NULL, (long)cache.nr) };

		bench_compare(ms, 2);
		row("page cache (mmfs)", &ms[0], &ms[1], cache.failed);
	}
	printf("%lu pages migrated in all (pgmigrate_success), %lu not moved\n",
	       sum_vm_event(PGMIGRATE_SUCCESS) - moved, anon.failed + cache.failed);
	sys_close(fd);
	sys_unlink("/bench-migrate");
	sys_exit_group(0);
	host_put(cpy_src, BYTES);
	host_put(cpy_dst, BYTES);
	mmsim_shutdown(m);
	return 0;
}
