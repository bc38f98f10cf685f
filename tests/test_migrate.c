// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_migrate.c - page migration (mm/migrate.c, mm/migrate_ptes.c):
 *   - anonymous pages mapped by a parent and its fork child move to new
 *     frames: every process reads back the same bytes, the PFN changed,
 *     the PTEs were rewritten (and the stale TLB entries flushed: a write
 *     through the MMU lands in the new page), mapcounts and refcounts are
 *     right, the old page is freed; pgmigrate_success counts them;
 *   - page-cache (mmfs) and shmem (tmpfs) pages mapped MAP_SHARED by two
 *     processes: the cache slot holds the new page, dirty state and
 *     NR_FILE_DIRTY follow, fsync writes the new page's bytes;
 *   - the dirty-page rule of a mapping without ->migrate_folio:
 *     MIGRATE_ASYNC leaves the page, MIGRATE_SYNC writes it back, then
 *     moves it;
 *   - a pinned page (pin_user_pages) is not moved: -EAGAIN until the
 *     retries run out, pgmigrate_fail, back on its LRU by putback;
 *   - swap-cache pages, unmapped and mapped: the swap cache's slot and
 *     entry move with them; a writable migration entry copied by fork
 *     becomes a read one on both sides; mprotect read-only drops write
 *     from an entry;
 *   - a randomized stress over a private anonymous and a shared (shmem)
 *     region of up to three processes: faults, forks, exits, zaps,
 *     mprotect, swap-outs and migrations in every mode (some with a page
 *     held by someone else, which must stay), with the invariant checkers
 *     and every page's bytes checked after every step;
 *   - an mlocked page, and /proc/PID/smaps in the middle of a migration.
 * Every step ends with mm_is_valid and the mapcount census.
 */
#include "fault_fixture.h"
#include "file_fixture.h"
#include "swap_fixture.h"
#include <mmsim/migrate.h>
#include <mmsim/swap.h>
#include <mmsim/vmstat.h>
#include <mmsim/highmem.h>
#include "mm/lru_internal.h"

#define VA	0x20000000UL
#define NPAGES	8

static char *uptr(struct mm_struct *mm, unsigned long va, bool write)
{
	switch_mm(NULL, mm, NULL);
	for (int i = 0; i < 4; i++) {
		char *p = mmu_access(va, (write ? MMU_WRITE : MMU_READ) | MMU_USER, NULL);

		if (p)
			return p;
		KT_EQ(fx_fault(mm, va, write) & ~VM_FAULT_MAJOR, 0);
	}
	KT_ASSERT(0);
	return NULL;
}

/* Fill page @i of the range with a pattern of its own (@salt varies it). */
static void fill_page(struct mm_struct *mm, unsigned long va, int salt)
{
	for (unsigned long off = 0; off < PAGE_SIZE; off += 64)
		*uptr(mm, va + off, true) = (char)(off / 64 + salt);
}

static bool page_holds(struct mm_struct *mm, unsigned long va, int salt)
{
	for (unsigned long off = 0; off < PAGE_SIZE; off += 64)
		if (*uptr(mm, va + off, false) != (char)(off / 64 + salt))
			return false;
	return true;
}

/*
 * Destinations come from a pool filled before the migration, so that an
 * old page freed by it is not handed out again as a later destination
 * (the per-CPU lists are LIFO) and its freeing can be checked.
 */
struct pool {
	int nr;
	struct page *pages[64];
};

static void pool_fill(struct pool *p, int nr)
{
	p->nr = 0;
	while (p->nr < nr) {
		p->pages[p->nr] = alloc_page(GFP_HIGHUSER_MOVABLE);
		KT_ASSERT(p->pages[p->nr]);
		p->nr++;
	}
}

static void pool_drain(struct pool *p)
{
	while (p->nr)
		__free_page(p->pages[--p->nr]);
}

static struct folio *new_folio(struct folio *src, unsigned long private)
{
	struct pool *p = (struct pool *)private;

	(void)src;
	return p->nr ? page_folio(p->pages[--p->nr]) : NULL;
}

static void put_new_folio(struct folio *dst, unsigned long private)
{
	struct pool *p = (struct pool *)private;

	p->pages[p->nr++] = &dst->page;
}

/* Isolate @page for migration as a caller does (NR_ISOLATED counted). */
static bool isolate(struct page *page, struct list_head *list)
{
	struct folio *folio = page_folio(page);

	if (!folio_isolate_lru(folio))
		return false;
	mod_node_page_state(page_pgdat(page),
			    folio_is_file_lru(folio) ? NR_ISOLATED_FILE : NR_ISOLATED_ANON, 1);
	lru_list_add_tail(&page->lru, list);
	return true;
}

static bool all_valid(struct mm_struct *a, struct mm_struct *b)
{
	struct mm_struct *mms[2] = { a, b };

	return fx_valid(mms, b ? 2 : 1);
}

static struct mmsim *m;

/* The isolated-page counters are back where they were (nothing leaked). */
static unsigned long nr_isolated(void)
{
	return global_node_page_state(NR_ISOLATED_ANON) + global_node_page_state(NR_ISOLATED_FILE);
}

/*
 * Migrate the one folio of @page (isolated here) with @mode: what
 * migrate_pages returned; a folio left on the list is put back.  The new
 * page is in *@newp (NULL if not moved).
 */
static int migrate_page(struct page *page, enum migrate_mode mode, struct page **newp)
{
	struct pool pool;
	unsigned int nr = 0;
	LIST_HEAD(list);
	int ret;

	if (newp)
		*newp = NULL;
	if (!isolate(page, &list))
		return -EBUSY;
	pool_fill(&pool, 1);
	ret = migrate_pages(&list, new_folio, put_new_folio, (unsigned long)&pool, mode,
			    MR_SYSCALL, &nr);
	if (ret == 0 && newp) {
		KT_EQ(nr, 1);
		KT_EQ(pool.nr, 0);
	}
	if (!list_empty(&list)) {
		KT_EQ(nr, 0);
		putback_movable_pages(&list);
	}
	pool_drain(&pool);
	return ret;
}

/*
 * Anonymous pages after fork: pages 0..NPAGES-1 written by the parent,
 * page 0 then written by the child (its own copy), the rest shared.
 * Every parent page migrates; shared ones keep being shared.
 */
static void test_anon_fork(void)
{
	struct mm_struct *parent = fx_mm(), *child;
	struct page *old[NPAGES], *now;
	unsigned long before = sum_vm_event(PGMIGRATE_SUCCESS);
	unsigned int nr = 0;
	struct pool pool;
	LIST_HEAD(list);
	int ret;

	fx_vma(parent, VA, NPAGES * PAGE_SIZE, VM_READ | VM_WRITE);
	for (int i = 0; i < NPAGES; i++)
		fill_page(parent, VA + i * PAGE_SIZE, i);
	child = fx_fork(parent);
	fill_page(child, VA, 100);
	KT_ASSERT(all_valid(parent, child));

	for (int i = 0; i < NPAGES; i++) {
		old[i] = fx_page(parent, VA + i * PAGE_SIZE);
		KT_ASSERT(old[i]);
		KT_EQ(page_mapcount(old[i]), i ? 2 : 1);
		KT_ASSERT(isolate(old[i], &list));
	}
	pool_fill(&pool, NPAGES);
	ret = migrate_pages(&list, new_folio, put_new_folio, (unsigned long)&pool, MIGRATE_SYNC,
			    MR_SYSCALL, &nr);
	KT_EQ(ret, 0);
	KT_EQ(nr, NPAGES);
	KT_EQ(pool.nr, 0);
	KT_ASSERT(list_empty(&list));
	KT_EQ(sum_vm_event(PGMIGRATE_SUCCESS) - before, NPAGES);
	KT_ASSERT(all_valid(parent, child));

	for (int i = 0; i < NPAGES; i++) {
		unsigned long va = VA + i * PAGE_SIZE;

		now = fx_page(parent, va);
		KT_ASSERT(now && now != old[i]);
		KT_EQ(page_ref_count(old[i]), 0);	/* freed */
		KT_ASSERT(PageAnon(now));
		KT_ASSERT(PageLRU(now));
		KT_EQ(page_mapcount(now), i ? 2 : 1);
		KT_EQ(page_ref_count(now), i ? 2 : 1);
		KT_ASSERT(page_holds(parent, va, i));
		if (i) {
			KT_ASSERT(fx_page(child, va) == now);
			KT_ASSERT(page_holds(child, va, i));
		} else {
			KT_ASSERT(page_holds(child, va, 100));
		}
	}
	/* A write through the MMU lands in the new page: no stale TLB entry. */
	*uptr(parent, VA, true) = 0x5a;
	{
		char c;

		memcpy_from_page(&c, fx_page(parent, VA), 0, 1);
		KT_EQ(c, 0x5a);
	}
	/* The shared pages are still COW: the child's write copies. */
	*uptr(child, VA + PAGE_SIZE, true) = 0x33;
	KT_ASSERT(fx_page(child, VA + PAGE_SIZE) != fx_page(parent, VA + PAGE_SIZE));
	KT_ASSERT(page_holds(parent, VA + PAGE_SIZE, 1));
	KT_ASSERT(all_valid(parent, child));
	pool_drain(&pool);
	fx_destroy(child);
	fx_destroy(parent);
}


/* ---------------------------------------------------------------------
 * Page-cache and shmem pages shared by two processes
 */

/* The page mapped at @va of @t's mm. */
static struct page *task_page(struct task_struct *t, unsigned long va)
{
	return fx_page(t->mm, va);
}

static bool task_holds(struct task_struct *t, unsigned long va, size_t len, unsigned int tag,
		       unsigned int gen, u64 pos)
{
	unsigned char got[512], want[512];

	KT_EQ(mmsim_switch_to(t), 0);
	for (size_t off = 0; off < len; off += sizeof(got)) {
		size_t n = len - off < sizeof(got) ? len - off : sizeof(got);

		if (mmsim_user_read(va + off, got, n))
			return false;
		pat_fill(want, tag, gen, pos + off, n);
		if (!pat_check(got, want, pos + off, n, "mapped"))
			return false;
	}
	return true;
}

static bool tasks_valid(struct task_struct *a, struct task_struct *b)
{
	return all_valid(a->mm, b ? b->mm : NULL);
}

/*
 * A file of @dir (mmfs "/" or tmpfs "/dev/shm") mapped MAP_SHARED by a
 * parent and its child; every page migrates (@mode); both read the
 * same bytes from new frames, the cache holds the new pages, a write by
 * the child is seen by the parent and by read(2), and fsync (mmfs) then
 * drop_caches shows the disk got the new page's bytes.
 */
static void shared_file_on(const char *dir, unsigned int tag, enum migrate_mode mode)
{
	struct task_struct *p = mmsim_spawn(m, "migp"), *c;
	size_t P = PAGE_SIZE, len = 4 * P;
	unsigned long va, isolated = nr_isolated();
	unsigned char *buf = malloc(len);
	struct address_space *mapping;
	struct page *old[4], *new;
	long long dirty_before;
	struct ubuf u;
	char path[64];
	long pid;
	int fd, st;

	KT_ASSERT(p && buf);
	KT_EQ(mmsim_switch_to(p), 0);
	KT_ASSERT(ubuf_init(&u, len));
	snprintf(path, sizeof(path), "%s/migrate-%u", dir, tag);
	fd = (int)sys_open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	KT_ASSERT(fd >= 0);
	pat_fill(buf, tag, 1, 0, len);
	KT_EQ(upwrite(&u, fd, buf, len, 0), (long)len);
	va = sys_mmap(0, len, PROT_READ | PROT_WRITE, MAP_SHARED, (unsigned long)fd, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	mapping = fx_fd_mapping(fd);
	KT_ASSERT(task_holds(p, va, len, tag, 1, 0));
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	c = find_task_by_vpid((pid_t)pid);
	KT_ASSERT(c && task_holds(c, va, len, tag, 1, 0));
	KT_EQ(mmsim_switch_to(p), 0);
	KT_ASSERT(tasks_valid(p, c));
	dirty_before = fx_vmstat(m, "nr_dirty");

	for (int i = 0; i < 4; i++) {
		unsigned long a = va + i * P;
		struct page *cached;

		old[i] = task_page(p, a);
		KT_ASSERT(old[i] && task_page(c, a) == old[i]);
		KT_EQ(page_mapcount(old[i]), 2);
		KT_EQ(migrate_page(old[i], mode, &new), 0);
		KT_EQ(page_ref_count(old[i]), 0);
		new = task_page(p, a);
		KT_ASSERT(new && new != old[i] && task_page(c, a) == new);
		KT_EQ(page_mapcount(new), 2);
		KT_EQ(page_ref_count(new), 3);		/* two PTEs and the cache */
		KT_ASSERT(new->mapping == mapping && new->index == (pgoff_t)i);
		cached = find_get_page(mapping, (pgoff_t)i);
		KT_ASSERT(cached == new);
		put_page(cached);
		KT_ASSERT(PageUptodate(new) && PageLRU(new));
	}
	KT_EQ(fx_vmstat(m, "nr_dirty"), dirty_before);	/* dirty state moved, not lost */
	KT_EQ(nr_isolated(), isolated);
	KT_ASSERT(mapping_is_valid(mapping));
	KT_ASSERT(tasks_valid(p, c));
	KT_ASSERT(task_holds(p, va, len, tag, 1, 0) && task_holds(c, va, len, tag, 1, 0));

	/* The child writes page 2 through its mapping; everyone sees it. */
	KT_EQ(mmsim_switch_to(c), 0);
	pat_fill(buf, tag, 2, 2 * P, P);
	KT_EQ(mmsim_user_write(va + 2 * P, buf, P), 0);
	KT_ASSERT(task_holds(p, va + 2 * P, P, tag, 2, 2 * P));
	KT_EQ(mmsim_switch_to(p), 0);
	KT_EQ(upread(&u, fd, buf, P, (long)(2 * P)), (long)P);
	{
		unsigned char want[512];

		pat_fill(want, tag, 2, 2 * P, sizeof(want));
		KT_ASSERT(pat_check(buf, want, 2 * P, sizeof(want), "read(2)"));
	}
	/* To the disk and back (mmfs): the new pages were written. */
	KT_EQ(sys_fsync(fd), 0);
	KT_EQ(mmsim_switch_to(c), 0);
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(p), 0);
	KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);
	KT_EQ(sys_munmap(va, len), 0);
	KT_EQ(fx_drop_caches(m, 1), 0);
	KT_EQ(upread(&u, fd, buf, len, 0), (long)len);
	{
		unsigned char *want = malloc(len);

		pat_fill(want, tag, 1, 0, len);
		pat_fill(want + 2 * P, tag, 2, 2 * P, P);
		KT_ASSERT(pat_check(buf, want, 0, len, "after drop_caches"));
		free(want);
	}
	KT_EQ(sys_close(fd), 0);
	KT_EQ(sys_unlink(path), 0);
	free(buf);
	sys_exit_group(0);
}

static void test_file_shared(void)
{
	shared_file_on("", 1, MIGRATE_SYNC);
	shared_file_on("", 2, MIGRATE_ASYNC);	/* dirty mmfs pages move as they are */
}

static void test_shmem_shared(void)
{
	shared_file_on("/dev/shm", 3, MIGRATE_SYNC);
	shared_file_on("/dev/shm", 4, MIGRATE_ASYNC);
}

/*
 * A mapping without ->migrate_folio (Linux's fallback_migrate_folio): a
 * dirty page is skipped by MIGRATE_ASYNC (and MIGRATE_SYNC_LIGHT) and
 * written back by MIGRATE_SYNC, whose retry then moves it clean.
 */
static void test_dirty_fallback(void)
{
	struct task_struct *p = mmsim_spawn(m, "migd");
	static struct address_space_operations no_migrate;
	const struct address_space_operations *saved;
	unsigned long fails = sum_vm_event(PGMIGRATE_FAIL);
	size_t P = PAGE_SIZE;
	unsigned char buf[512], want[512];
	struct address_space *mapping;
	struct page *page, *new;
	struct ubuf u;
	int fd;

	KT_ASSERT(p);
	KT_EQ(mmsim_switch_to(p), 0);
	KT_ASSERT(ubuf_init(&u, P));
	fd = (int)sys_open("/migrate-dirty", O_RDWR | O_CREAT | O_TRUNC, 0644);
	KT_ASSERT(fd >= 0);
	mapping = fx_fd_mapping(fd);
	saved = mapping->a_ops;
	no_migrate = *saved;
	no_migrate.migrate_folio = NULL;
	mapping->a_ops = &no_migrate;

	pat_fill(buf, 9, 1, 0, sizeof(buf));
	KT_EQ(upwrite(&u, fd, buf, sizeof(buf), 0), (long)sizeof(buf));
	page = find_get_page(mapping, 0);
	KT_ASSERT(page && PageDirty(page));
	put_page(page);
	KT_EQ(migrate_page(page, MIGRATE_ASYNC, &new), 1);
	KT_EQ(migrate_page(page, MIGRATE_SYNC_LIGHT, &new), 1);
	KT_ASSERT(find_get_page(mapping, 0) == page);
	put_page(page);
	KT_ASSERT(PageDirty(page) && PageLRU(page));
	KT_EQ(sum_vm_event(PGMIGRATE_FAIL) - fails, 2);

	KT_EQ(migrate_page(page, MIGRATE_SYNC, &new), 0);
	new = find_get_page(mapping, 0);
	KT_ASSERT(new && new != page);
	KT_ASSERT(!PageDirty(new) && !PageWriteback(new));	/* it went out first */
	put_page(new);
	KT_ASSERT(mapping_is_valid(mapping));
	KT_EQ(fx_drop_caches(m, 1), 0);
	KT_EQ(upread(&u, fd, buf, sizeof(buf), 0), (long)sizeof(buf));
	pat_fill(want, 9, 1, 0, sizeof(want));
	KT_ASSERT(pat_check(buf, want, 0, sizeof(buf), "written back by migration"));
	mapping->a_ops = saved;
	KT_EQ(sys_close(fd), 0);
	KT_EQ(sys_unlink("/migrate-dirty"), 0);
	sys_exit_group(0);
}

/* ---------------------------------------------------------------------
 * A pinned page
 */

static void test_pinned(void)
{
	struct mm_struct *mm = fx_mm();
	unsigned long fails = sum_vm_event(PGMIGRATE_FAIL), isolated = nr_isolated();
	struct page *page, *pinned = NULL, *new;

	fx_vma(mm, VA, PAGE_SIZE, VM_READ | VM_WRITE);
	fill_page(mm, VA, 7);
	KT_EQ(pin_user_pages_remote(mm, VA, 1, FOLL_WRITE | FOLL_LONGTERM, &pinned, NULL), 1);
	page = fx_page(mm, VA);
	KT_ASSERT(page == pinned);
	KT_EQ(migrate_page(page, MIGRATE_SYNC, &new), 1);
	KT_ASSERT(fx_page(mm, VA) == page);		/* not moved, still mapped */
	KT_ASSERT(PageLRU(page) && PageAnonExclusive(page));
	KT_EQ(page_mapcount(page), 1);
	KT_EQ(sum_vm_event(PGMIGRATE_FAIL) - fails, 1);
	KT_EQ(nr_isolated(), isolated);
	KT_ASSERT(all_valid(mm, NULL));
	/* The pin still sees what the process writes. */
	*uptr(mm, VA, true) = 0x42;
	{
		char c;

		memcpy_from_page(&c, pinned, 0, 1);
		KT_EQ(c, 0x42);
	}
	unpin_user_page(pinned);
	KT_EQ(migrate_page(page, MIGRATE_SYNC, &new), 0);
	KT_ASSERT(fx_page(mm, VA) != page);
	KT_EQ(*uptr(mm, VA, false), 0x42);
	KT_ASSERT(all_valid(mm, NULL));
	fx_destroy(mm);
}

/* A GUP reference taken and held (not a pin) fails the refcount freeze. */
static void test_extra_reference(void)
{
	struct mm_struct *mm = fx_mm();
	struct page *page, *new;

	fx_vma(mm, VA, PAGE_SIZE, VM_READ | VM_WRITE);
	fill_page(mm, VA, 3);
	page = fx_page(mm, VA);
	get_page(page);				/* someone else's reference */
	KT_EQ(migrate_page(page, MIGRATE_SYNC, &new), 1);
	KT_ASSERT(fx_page(mm, VA) == page);
	KT_ASSERT(page_holds(mm, VA, 3));
	put_page(page);
	KT_EQ(migrate_page(page, MIGRATE_ASYNC, &new), 0);
	KT_ASSERT(fx_page(mm, VA) != page && page_holds(mm, VA, 3));
	KT_ASSERT(all_valid(mm, NULL));
	fx_destroy(mm);
}

/* An mlocked page moves and stays mlocked: NR_MLOCK unchanged, unevictable. */
static void test_mlocked(void)
{
	struct mm_struct *mm = fx_mm();
	unsigned long mlock = global_zone_page_state(NR_MLOCK);
	unsigned long cleared = sum_vm_event(UNEVICTABLE_PGCLEARED);
	struct page *page, *new;

	fx_vma(mm, VA, 2 * PAGE_SIZE, VM_READ | VM_WRITE | VM_LOCKED);
	fill_page(mm, VA, 31);
	page = fx_page(mm, VA);
	KT_ASSERT(PageMlocked(page) && PageUnevictable(page));
	KT_EQ(global_zone_page_state(NR_MLOCK), mlock + 1);
	KT_EQ(migrate_page(page, MIGRATE_SYNC, &new), 0);
	new = fx_page(mm, VA);
	KT_ASSERT(new && new != page);
	KT_ASSERT(PageMlocked(new) && PageUnevictable(new) && PageLRU(new));
	KT_EQ(global_zone_page_state(NR_MLOCK), mlock + 1);
	KT_EQ(sum_vm_event(UNEVICTABLE_PGCLEARED), cleared);	/* src was not freed mlocked */
	KT_ASSERT(page_holds(mm, VA, 31));
	KT_ASSERT(all_valid(mm, NULL) && lru_all_valid());
	fx_destroy(mm);
	KT_EQ(global_zone_page_state(NR_MLOCK), mlock);
}

/* ---------------------------------------------------------------------
 * Swap-cache pages
 */

static void test_swap_cache(void)
{
	struct mm_struct *mm = fx_mm();
	struct page *page, *new;
	struct folio *folio;
	swp_entry_t entry;

	fx_vma(mm, VA, 2 * PAGE_SIZE, VM_READ | VM_WRITE);
	fill_page(mm, VA, 11);
	fill_page(mm, VA + PAGE_SIZE, 12);

	/* Unmapped, in the swap cache: the slot moves with it. */
	entry = swap_out_page(mm, VA, true);
	KT_ASSERT(entry.val);
	folio = swap_cache_get_folio(entry, NULL, 0);
	KT_ASSERT(folio);
	page = &folio->page;
	put_page(page);
	KT_EQ(migrate_page(page, MIGRATE_SYNC, &new), 0);
	folio = swap_cache_get_folio(entry, NULL, 0);
	KT_ASSERT(folio && &folio->page != page);
	KT_ASSERT(folio_test_swapcache(folio) && folio_swap_entry(folio).val == entry.val);
	KT_ASSERT(PageSwapBacked(&folio->page) && PageAnon(&folio->page));
	put_page(&folio->page);
	KT_EQ(page_ref_count(page), 0);
	KT_ASSERT(all_valid(mm, NULL));
	KT_ASSERT(page_holds(mm, VA, 11));		/* the fault finds the new folio */

	/* Mapped and in the swap cache (read back in from swap). */
	entry = swap_out_page(mm, VA + PAGE_SIZE, false);
	KT_ASSERT(entry.val);
	KT_ASSERT(page_holds(mm, VA + PAGE_SIZE, 12));
	page = fx_page(mm, VA + PAGE_SIZE);
	KT_ASSERT(page);
	KT_EQ(migrate_page(page, MIGRATE_SYNC, &new), 0);
	new = fx_page(mm, VA + PAGE_SIZE);
	KT_ASSERT(new && new != page);
	if (PageSwapCache(new))
		KT_EQ(folio_swap_entry(page_folio(new)).val, entry.val);
	KT_ASSERT(page_holds(mm, VA + PAGE_SIZE, 12));
	KT_ASSERT(all_valid(mm, NULL));
	fx_destroy(mm);
	/* No task maps anything now: every slot count must be back to zero. */
	KT_ASSERT(swap_counts_are_valid(m));
}

/* ---------------------------------------------------------------------
 * Migration entries seen by fork and mprotect
 */

/* Unmap @page to migration entries by hand (the state mid-migration). */
static void unmap_to_entries(struct page *page)
{
	struct folio *folio = page_folio(page);

	folio_lock(folio);
	try_to_migrate(folio, 0);
	KT_ASSERT(!folio_mapped(folio));
}

static swp_entry_t entry_at(struct mm_struct *mm, unsigned long va)
{
	pte_t pte = fx_pte(mm, va);

	KT_ASSERT(is_swap_pte(pte));
	return pte_to_swp_entry(pte);
}

static void test_entries(void)
{
	struct mm_struct *mm = fx_mm(), *child;
	struct folio *folio;
	struct page *page;
	swp_entry_t e;

	fx_vma(mm, VA, 2 * PAGE_SIZE, VM_READ | VM_WRITE);
	fill_page(mm, VA, 21);
	fill_page(mm, VA + PAGE_SIZE, 22);

	/* A writable exclusive page: a write entry, young and dirty kept. */
	page = fx_page(mm, VA);
	get_page(page);
	unmap_to_entries(page);
	e = entry_at(mm, VA);
	KT_ASSERT(is_writable_migration_entry(e) && swp_offset_pfn(e) == page_to_pfn(page));
	KT_ASSERT(is_migration_entry_young(e) && is_migration_entry_dirty(e));
	KT_ASSERT(!PageAnonExclusive(page));
	KT_ASSERT(all_valid(mm, NULL));		/* entries counted in the rss */
	/* fork: both sides get a read entry (the page is now shared). */
	child = fx_fork(mm);
	KT_ASSERT(is_readable_migration_entry(entry_at(mm, VA)));
	KT_ASSERT(is_readable_migration_entry(entry_at(child, VA)));
	KT_ASSERT(all_valid(mm, child));
	folio = page_folio(page);
	remove_migration_ptes(folio, folio, 0);
	folio_unlock(folio);
	KT_EQ(page_mapcount(page), 2);
	KT_ASSERT(!pte_write(fx_pte(mm, VA)) && !pte_write(fx_pte(child, VA)));
	KT_ASSERT(!PageAnonExclusive(page));
	KT_ASSERT(all_valid(mm, child));
	/* A write now copies on either side. */
	*uptr(child, VA, true) = 1;
	KT_ASSERT(fx_page(child, VA) != page && page_holds(mm, VA, 21));
	put_page(page);
	fx_destroy(child);
	fill_page(mm, VA + PAGE_SIZE, 22);	/* exclusive and writable again */

	/* mprotect(PROT_READ) turns a write entry into a read-exclusive one. */
	page = fx_page(mm, VA + PAGE_SIZE);
	get_page(page);
	unmap_to_entries(page);
	KT_ASSERT(is_writable_migration_entry(entry_at(mm, VA + PAGE_SIZE)));
	{
		struct mmu_gather tlb;
		struct vm_area_struct *vma;

		mmap_write_lock(mm);
		vma = vma_lookup(mm, VA);
		vma->vm_flags &= ~VM_WRITE;
		vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
		tlb_gather_mmu(&tlb, mm);
		change_protection(&tlb, vma, VA, VA + 2 * PAGE_SIZE, 0);
		tlb_finish_mmu(&tlb);
		mmap_write_unlock(mm);
	}
	e = entry_at(mm, VA + PAGE_SIZE);
	KT_ASSERT(is_readable_exclusive_migration_entry(e));
	folio = page_folio(page);
	remove_migration_ptes(folio, folio, 0);
	folio_unlock(folio);
	KT_ASSERT(!pte_write(fx_pte(mm, VA + PAGE_SIZE)) && PageAnonExclusive(page));
	put_page(page);
	KT_ASSERT(all_valid(mm, NULL));
	fx_destroy(mm);
}

/* smaps mid-migration: the page counts in Anonymous, not in Rss (Linux). */
static long long smaps_kb(int pid, unsigned long va, const char *label)
{
	char path[64], *text, *p, start[32];
	long long v = -1;

	snprintf(path, sizeof(path), "/proc/%d/smaps", pid);
	snprintf(start, sizeof(start), "%lx-", va);
	text = mmsim_read(m, path);
	p = text ? strstr(text, start) : NULL;
	if (p)
		v = field(p, label);
	free(text);
	return v;
}

static void test_smaps_entry(void)
{
	struct task_struct *t = mmsim_spawn(m, "migs");
	unsigned long va;
	struct page *page;
	struct folio *folio;
	long long rss, anon;
	char c = 1;

	KT_ASSERT(t);
	KT_EQ(mmsim_switch_to(t), 0);
	va = sys_mmap(0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      (unsigned long)-1, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	KT_EQ(mmsim_user_write(va, &c, 1), 0);
	KT_EQ(mmsim_user_write(va + PAGE_SIZE, &c, 1), 0);
	rss = smaps_kb(t->pid, va, "Rss:");
	anon = smaps_kb(t->pid, va, "Anonymous:");
	KT_EQ(rss, (long long)(2 * PAGE_SIZE / 1024));
	page = fx_page(t->mm, va);
	get_page(page);
	unmap_to_entries(page);
	KT_EQ(smaps_kb(t->pid, va, "Rss:"), rss - (long long)(PAGE_SIZE / 1024));
	KT_EQ(smaps_kb(t->pid, va, "Anonymous:"), anon);
	KT_ASSERT(mm_is_valid(t->mm) && mm_mapcounts_are_valid(m));
	folio = page_folio(page);
	remove_migration_ptes(folio, folio, 0);
	folio_unlock(folio);
	put_page(page);
	KT_EQ(smaps_kb(t->pid, va, "Rss:"), rss);
	sys_exit_group(0);
}

/* A zap (munmap) meeting an entry mid-migration: the migration maps fewer. */
static void test_zap_entry(void)
{
	struct mm_struct *mm = fx_mm();
	struct folio *folio;
	struct page *page;

	fx_vma(mm, VA, PAGE_SIZE, VM_READ | VM_WRITE);
	fill_page(mm, VA, 5);
	page = fx_page(mm, VA);
	get_page(page);
	unmap_to_entries(page);
	fx_zap(mm, VA, PAGE_SIZE);
	KT_ASSERT(pte_none(fx_pte(mm, VA)));
	KT_EQ(get_mm_counter(mm, MM_ANONPAGES), 0);
	folio = page_folio(page);
	remove_migration_ptes(folio, folio, 0);	/* finds nothing */
	KT_EQ(page_mapcount(page), 0);
	folio_unlock(folio);
	put_page(page);
	KT_ASSERT(all_valid(mm, NULL));
	fx_destroy(mm);
}

/* ---------------------------------------------------------------------
 * Randomized stress: the invariant checkers after every step
 */

#define ST_PAGES	24
#define ST_MMS		3
#define ST_STEPS	400
#define VA_SH		(VA + 0x1000000UL)	/* a MAP_SHARED|MAP_ANONYMOUS (shmem) region */

static unsigned char shared_want[ST_PAGES];	/* the shmem region's first bytes, all mms */

/* Page @pg of the stress: 0..ST_PAGES-1 private anon, the rest shmem. */
static unsigned long st_va(int pg)
{
	return pg < ST_PAGES ? VA + (unsigned long)pg * PAGE_SIZE :
			       VA_SH + (unsigned long)(pg - ST_PAGES) * PAGE_SIZE;
}

struct st_mm {
	struct mm_struct *mm;
	unsigned char want[ST_PAGES];	/* the first byte of each page (0: untouched/zapped) */
};

static unsigned int st_rand(unsigned int *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static void st_set_write(struct mm_struct *mm, bool writable)
{
	struct mmu_gather tlb;
	struct vm_area_struct *vma;

	mmap_write_lock(mm);
	for (int r = 0; r < 2; r++) {
		unsigned long start = r ? VA_SH : VA;

		vma = vma_lookup(mm, start);
		if (writable)
			vma->vm_flags |= VM_WRITE;
		else
			vma->vm_flags &= ~VM_WRITE;
		vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
		tlb_gather_mmu(&tlb, mm);
		change_protection(&tlb, vma, start, start + ST_PAGES * PAGE_SIZE,
				  writable ? 1UL /* MM_CP_TRY_CHANGE_WRITABLE */ : 0);
		tlb_finish_mmu(&tlb);
	}
	mmap_write_unlock(mm);
}

static bool st_check(struct st_mm *s, int nr)
{
	struct mm_struct *mms[ST_MMS];

	for (int i = 0; i < nr; i++) {
		mms[i] = s[i].mm;
		for (int p = 0; p < 2 * ST_PAGES; p++) {
			unsigned char want = p < ST_PAGES ? s[i].want[p] : shared_want[p - ST_PAGES];

			if (*uptr(s[i].mm, st_va(p), false) != (char)want) {
				printf("# mm %d page %d holds %d, want %d\n", i, p,
				       *uptr(s[i].mm, st_va(p), false), want);
				return false;
			}
		}
	}
	return fx_valid(mms, nr);
}

static void test_stress(void)
{
	struct st_mm s[ST_MMS];
	unsigned int seed = 12345, nr = 1;
	unsigned long moved = sum_vm_event(PGMIGRATE_SUCCESS), isolated = nr_isolated();
	unsigned long failed = sum_vm_event(PGMIGRATE_FAIL), swapped = sum_vm_event(PSWPOUT);
	bool writable = true;

	memset(s, 0, sizeof(s));
	memset(shared_want, 0, sizeof(shared_want));
	s[0].mm = fx_mm();
	fx_vma(s[0].mm, VA, ST_PAGES * PAGE_SIZE, VM_READ | VM_WRITE);
	fx_vma(s[0].mm, VA_SH, ST_PAGES * PAGE_SIZE, VM_READ | VM_WRITE | VM_SHARED);
	for (int step = 0; step < ST_STEPS; step++) {
		unsigned int r = st_rand(&seed);
		struct st_mm *t = &s[r % nr];
		int pg = (int)((r >> 4) % (2 * ST_PAGES));
		unsigned long va = st_va(pg);
		unsigned char *want = pg < ST_PAGES ? &t->want[pg] : &shared_want[pg - ST_PAGES];

		switch ((r >> 12) % 10) {
		case 0: case 1: case 2:		/* a write (made writable first if need be) */
			if (!writable) {
				for (unsigned int i = 0; i < nr; i++)
					st_set_write(s[i].mm, true);
				writable = true;
			}
			*want = (unsigned char)(1 + (r >> 20) % 250);
			*uptr(t->mm, va, true) = (char)*want;
			break;
		case 3:				/* fork */
			if (nr < ST_MMS) {
				s[nr].mm = fx_fork(t->mm);
				memcpy(s[nr].want, t->want, sizeof(t->want));
				nr++;
			}
			break;
		case 4:				/* a child exits */
			if (nr > 1) {
				fx_destroy(s[nr - 1].mm);
				nr--;
			}
			break;
		case 5:				/* MADV_DONTNEED of two pages */
			if (pg >= ST_PAGES) {	/* shmem: the cache keeps the bytes */
				fx_zap(t->mm, va, PAGE_SIZE);
				break;
			}
			fx_zap(t->mm, va, pg + 1 < ST_PAGES ? 2 * PAGE_SIZE : PAGE_SIZE);
			t->want[pg] = 0;
			if (pg + 1 < ST_PAGES)
				t->want[pg + 1] = 0;
			break;
		case 6:				/* mprotect read-only */
			for (unsigned int i = 0; i < nr; i++)
				st_set_write(s[i].mm, false);
			writable = false;
			break;
		case 7:				/* swap a page out */
			swap_out_page(t->mm, va, r & 1);
			break;
		default: {			/* migrate up to 8 pages of this mm */
			enum migrate_mode mode = (enum migrate_mode)((r >> 8) % 3);
			struct pool pool;
			unsigned int done = 0, n = 0;
			struct page *held;
			LIST_HEAD(list);
			int ret;

			for (int k = 0; k < 8; k++) {
				struct page *page = fx_page(t->mm, st_va((pg + k * 5) % (2 * ST_PAGES)));

				if (page && !is_zero_pfn(page_to_pfn(page)) && isolate(page, &list))
					n++;
			}
			/* Now and then someone else holds a reference: that one stays. */
			held = n && (r & 0x30000) == 0 ? list_first_entry(&list, struct page, lru) : NULL;
			if (held)
				get_page(held);
			pool_fill(&pool, (int)n);
			ret = migrate_pages(&list, new_folio, put_new_folio, (unsigned long)&pool, mode,
					    MR_COMPACTION, &done);
			KT_ASSERT(ret >= (held ? 1 : 0));
			KT_EQ(done + (unsigned int)ret, n);
			putback_movable_pages(&list);
			pool_drain(&pool);
			if (held)
				put_page(held);
			break;
		}
		}
		if (!st_check(s, (int)nr)) {
			printf("# step %d, op %u\n", step, (r >> 12) % 10);
			KT_ASSERT(0);
			break;
		}
		KT_EQ(nr_isolated(), isolated);
	}
	printf("# stress: %lu pages migrated, %lu failed, %lu swapped out\n",
	       sum_vm_event(PGMIGRATE_SUCCESS) - moved, sum_vm_event(PGMIGRATE_FAIL) - failed,
	       sum_vm_event(PSWPOUT) - swapped);
	KT_ASSERT(sum_vm_event(PGMIGRATE_SUCCESS) - moved > ST_STEPS / 2);
	while (nr)
		fx_destroy(s[--nr].mm);
	KT_ASSERT(swap_counts_are_valid(m));
}

static void run(const char *spec)
{
	m = boot_or_die(spec);
	printf("# %s\n", spec);
	KT_RUN(test_anon_fork);
	KT_RUN(test_file_shared);
	KT_RUN(test_shmem_shared);
	KT_RUN(test_dirty_fallback);
	KT_RUN(test_pinned);
	KT_RUN(test_extra_reference);
	KT_RUN(test_mlocked);
	KT_RUN(test_swap_cache);
	KT_RUN(test_entries);
	KT_RUN(test_zap_entry);
	KT_RUN(test_smaps_entry);
	KT_RUN(test_stress);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

int main(void)
{
	run("arch=x86_64 ram=128M cpus=2 swap=16M");
	run("arch=i386 ram=2G cpus=2 swap=16M");
	run("arch=arm64 page_size=64K ram=256M cpus=2 swap=64M");
	return kt_done();
}
