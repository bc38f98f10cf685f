// SPDX-License-Identifier: GPL-2.0
/*
 * mm/memory_swap.c - swap-in: the page-fault branch for a swap PTE
 * (Linux's do_swap_page of mm/memory.c), swapoff's walk that brings an
 * area back (Linux's try_to_unuse of mm/swapfile.c), and the checker of
 * the swap counts against the page tables (swap_counts_are_valid).
 *
 * Design.  A private anonymous page that reclaim swapped out is a swap
 * PTE: a non-present entry holding its swp_entry_t (<mmsim/swapops.h>,
 * the arch's encoding) and, when the page was known exclusive to this mm
 * (PageAnonExclusive), the swap-exclusive bit.  Each swap PTE holds one
 * count of its slot (swap_map), as each shmem mapping slot holding the
 * entry does; MM_SWAPENTS counts an mm's swap PTEs (VmSwap).
 *
 * do_swap_page (Linux 6.x): the slot's area is pinned (get_swap_device);
 * the swap cache is looked up (a hit is minor), else swapin_readahead
 * reads the slot and its cluster (a major fault: VM_FAULT_MAJOR and
 * PGMAJFAULT, counted here as Linux does); the folio is locked (waiting
 * for the read in virtual time) and rechecked (still the swap-cache folio
 * of this entry; the PTE still the one we saw; uptodate, else SIGBUS: the
 * read failed).  Then the slot's count is dropped (swap_free), the swap
 * cache is given up when it is no longer worth keeping
 * (should_try_to_free_swap: the swap space is more than half full
 * (vm_swap_full), the VMA or folio is mlocked, or a write fault finds the
 * cache's reference the only other one), MM_SWAPENTS -> MM_ANONPAGES, and
 * the page is mapped: writable (dirty on a write fault) when it is
 * certainly exclusive -- the PTE carried the exclusive bit, or our
 * reference is the only one left -- and RMAP_EXCLUSIVE then; otherwise
 * read-only, and a write fault goes on into do_wp_page, which copies or
 * reuses as for any COW.  A folio read in by swap-in is not anonymous yet:
 * it gets the VMA's anon_vma (folio_add_new_anon_rmap), or its root when
 * not exclusive (shared since a fork: every sharer is chained to the
 * root, not to a child's own anon_vma); one still anon
 * from before swap-out (kept in the swap cache) gets one more mapping.
 * Departure: Linux's SWP_SYNCHRONOUS_IO path (read a slot used once into
 * a folio that skips the swap cache) is not modelled: every swap-in goes
 * through the swap cache.  An entry whose area is gone while the PTE still
 * holds it is SIGBUS (Linux would refault forever).
 *
 * try_to_unuse (swapoff, SWP_WRITEOK already cleared so no new slot is
 * handed out): shmem_unuse first, then every mm of the machine's tasks:
 * each VMA with an anon_vma is walked for swap PTEs of the area, each is
 * read in (swap cache or swapin_readahead) and mapped back (unuse_pte:
 * old, read-only, exclusive if the PTE said so), and the swap cache freed;
 * then the folios left in the swap cache (readahead, slots only the cache
 * held) leave it.  It repeats while slots are in use (entries may come
 * back meanwhile: a racing fork), a bounded number of times, then gives
 * up with -EBUSY (Linux loops until a signal: -EINTR); -ENOMEM when a
 * page cannot be read in.  The area's shadow entries go at the end.
 *
 * Locking.  do_swap_page runs under mmap_lock for reading; the PTE lock
 * (the mm's page_table_lock) is taken only to recheck and set the PTE,
 * never across the read or the folio lock wait.  Order: folio lock ->
 * PTE lock -> the swap cache's xa_lock -> the area's locks.  try_to_unuse
 * takes each mm's mmap_lock for reading (it is a syscall: never in
 * reclaim) and pins the mm (get_task_mm); the PTE table found under the
 * read lock stays valid while it is held (tables are freed only under the
 * write lock).
 *
 * Invariants (swap_counts_are_valid): for every area and slot, the count
 * in swap_map == the swap PTEs of every live mm + the shmem entries that
 * hold it; SWAP_HAS_CACHE is set iff the swap cache has a folio for the
 * slot; every swap-cache folio has PG_swapcache and its entry in
 * page->private; each area's nrpages == its folios, and NR_SWAPCACHE ==
 * their sum.  mm_is_valid (mm/debug_vm.c) checks each swap PTE's entry and
 * MM_SWAPENTS.
 */
#include <errno.h>
#include <stdlib.h>
#include <mmsim/swapops.h>
#include <mmsim/migrate.h>
#include <mmsim/shmem_fs.h>
#include <mmsim/pagemap.h>
#include <mmsim/rmap.h>
#include <mmsim/vmstat.h>
#include <mmsim/printk.h>
#include <mmsim/writeback.h>
#include <mmsim/sched.h>
#include "mm/swap_internal.h"
#include "mm/fault_internal.h"
#include "mm/pagecache_internal.h"
#include "init/machine.h"

static inline bool pte_same(pte_t a, pte_t b)
{
	return pte_val(a) == pte_val(b);
}

/*
 * Linux's should_try_to_free_swap: drop the swap cache of the folio being
 * mapped when the swap space is short, when it is mlocked (it will not be
 * swapped again soon), or when a write fault may then find itself the
 * only user (the cache's reference would otherwise force a copy).
 */
static bool should_try_to_free_swap(struct folio *folio, struct vm_area_struct *vma,
				    unsigned int fault_flags)
{
	if (!folio_test_swapcache(folio))
		return false;
	if (vm_swap_full() || (vma->vm_flags & VM_LOCKED) ||
	    page_flag_test(&folio->page, PG_mlocked))
		return true;
	return (fault_flags & FAULT_FLAG_WRITE) && page_ref_count(&folio->page) == 2;
}

static void print_bad_swap_pte(struct vm_area_struct *vma, unsigned long addr, pte_t pte)
{
	pr_alert("BUG: Bad page map in process %s  pte:%08llx\n",
		 current ? current->comm : "?", (unsigned long long)pte_val(pte));
	pr_alert("addr:%lx vm_flags:%08lx anon_vma:%p mapping:%p index:%lx\n", addr,
		 (unsigned long)vma->vm_flags, (void *)vma->anon_vma,
		 vma->vm_file ? (void *)vma->vm_file->f_mapping : NULL,
		 (unsigned long)linear_page_index(vma, addr));
}

vm_fault_t do_swap_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl = pte_lockptr(mm);
	struct swap_info_struct *si;
	struct folio *folio;
	struct page *page;
	rmap_t rmap_flags = RMAP_NONE;
	bool exclusive;
	swp_entry_t entry;
	vm_fault_t ret = 0;
	pte_t pte;

	entry = pte_to_swp_entry(vmf->orig_pte);
	if (unlikely(non_swap_entry(entry))) {
		/* A page being migrated: wait for it, then fault again. */
		if (is_migration_entry(entry)) {
			migration_entry_wait(mm, vmf->pmd, vmf->address);
			return 0;
		}
		print_bad_swap_pte(vma, vmf->address, vmf->orig_pte);
		return VM_FAULT_SIGBUS;
	}
	/* Prevent swapoff from happening to us. */
	si = get_swap_device(entry);
	if (unlikely(!si)) {
		spin_lock(ptl);
		if (pte_same(ptep_get(vmf->pte), vmf->orig_pte))
			ret = VM_FAULT_SIGBUS;	/* not a stale read: no such area */
		spin_unlock(ptl);
		return ret;
	}

	folio = swap_cache_get_folio(entry, vma, vmf->address);
	if (!folio) {
		folio = swapin_readahead(entry, GFP_HIGHUSER_MOVABLE, vmf);
		if (!folio) {
			/* Back out if somebody else faulted in this PTE meanwhile. */
			spin_lock(ptl);
			if (pte_same(ptep_get(vmf->pte), vmf->orig_pte))
				ret = VM_FAULT_OOM;
			spin_unlock(ptl);
			goto out;
		}
		/* Had to read the page from the swap area: a major fault. */
		ret = VM_FAULT_MAJOR;
		count_vm_event(PGMAJFAULT);
	}
	page = &folio->page;

	folio_lock(folio);		/* waits for the read, in virtual time */
	/* folio_free_swap or swapoff may have taken it out of the cache. */
	if (unlikely(!folio_test_swapcache(folio) || folio_swap_entry(folio).val != entry.val))
		goto out_page;
	if (unlikely(!vma->anon_vma) && anon_vma_prepare_once(vma)) {
		ret = VM_FAULT_OOM;
		goto out_page;
	}

	spin_lock(ptl);
	if (unlikely(!pte_same(ptep_get(vmf->pte), vmf->orig_pte)))
		goto out_nomap;
	if (unlikely(!folio_test_uptodate(folio))) {
		ret = VM_FAULT_SIGBUS;	/* the read failed */
		goto out_nomap;
	}

	exclusive = pte_swp_exclusive(vmf->orig_pte);
	/* A folio still being written must not change under a stable-writes device. */
	if (exclusive && folio_test_writeback(folio) && (si->flags & SWP_STABLE_WRITES))
		exclusive = false;

	/* The PTE's count goes; maybe the swap cache too. */
	swap_free(entry);
	if (should_try_to_free_swap(folio, vma, vmf->flags))
		folio_free_swap(folio);

	inc_mm_counter(mm, MM_ANONPAGES);
	dec_mm_counter(mm, MM_SWAPENTS);
	pte = mk_pte(page, vma->vm_page_prot);
	/* As do_wp_page: certainly not shared when exclusive or only ours. */
	if (exclusive || page_ref_count(page) == 1) {
		if (vma->vm_flags & VM_WRITE) {
			pte = pte_mkwrite(pte, vma);
			if (vmf->flags & FAULT_FLAG_WRITE) {
				pte = pte_mkdirty(pte);
				vmf->flags &= ~FAULT_FLAG_WRITE;
			}
		}
		rmap_flags |= RMAP_EXCLUSIVE;
	}
	vmf->orig_pte = pte;
	if (!folio_test_anon(folio))
		folio_add_new_anon_rmap(folio, vma, vmf->address, rmap_flags);
	else
		folio_add_anon_rmap_pte(folio, page, vma, vmf->address, rmap_flags);
	if (unlikely((vma->vm_flags & (VM_LOCKED | VM_SPECIAL)) == VM_LOCKED))
		mlock_new_folio(folio);
	set_pte_at(mm, vmf->address, vmf->pte, pte);
	/* The lookup's reference is the PTE's now. */
	folio_unlock(folio);

	if (vmf->flags & FAULT_FLAG_WRITE) {
		/* Mapped read-only and shared: break COW now (drops the PTE lock). */
		ret |= do_wp_page(vmf);
		if (ret & VM_FAULT_ERROR)
			ret &= VM_FAULT_ERROR;
		goto out;
	}
	spin_unlock(ptl);
out:
	put_swap_device(si);
	return ret;
out_nomap:
	spin_unlock(ptl);
out_page:
	folio_unlock(folio);
	put_page(page);
	put_swap_device(si);
	return ret;
}

/* ---------------------------------------------------------------------
 * The mms of the machine
 */

/* Call @fn(mm, arg) on each live mm once (pinned, unlocked); stop on nonzero. */
static int for_each_user_mm(struct mmsim *m, int (*fn)(struct mm_struct *mm, void *arg),
			    void *arg)
{
	struct mm_struct **seen = NULL;
	struct task_struct *t = NULL, *prev = NULL;
	int nr = 0, cap = 0, ret = 0;

	while (!ret && (t = next_task_of(m, t)) != NULL) {
		struct mm_struct *mm;
		bool dup = false;

		get_task_struct(t);
		if (prev)
			put_task_struct(prev);
		prev = t;
		mm = get_task_mm(t);
		if (!mm)
			continue;
		for (int i = 0; i < nr && !dup; i++)
			dup = seen[i] == mm;
		if (!dup) {
			if (nr == cap) {
				struct mm_struct **n = realloc(seen, sizeof(*seen) * (cap ? cap * 2 : 16));

				if (!n) {
					mmput(mm);
					ret = -ENOMEM;
					break;
				}
				seen = n;
				cap = cap ? cap * 2 : 16;
			}
			/* Remembered by address only: compared, never used again. */
			seen[nr++] = mm;
			ret = fn(mm, arg);
		}
		mmput(mm);
	}
	if (prev)
		put_task_struct(prev);
	free(seen);
	return ret;
}

/* ---------------------------------------------------------------------
 * try_to_unuse: swapoff's walk
 */

/*
 * unuse_pte - map @folio (locked, uptodate or not, in the swap cache for
 * @entry) where the swap PTE at @ptep was: 1 if it did, 0 if the PTE
 * changed meanwhile.  A folio whose read failed leaves the PTE empty and
 * the data lost (Linux installs a poisoned entry: mmsim has none).
 */
static int unuse_pte(struct vm_area_struct *vma, pte_t *ptep, unsigned long addr,
		     swp_entry_t entry, struct folio *folio)
{
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl = pte_lockptr(mm);
	pte_t old, new;

	spin_lock(ptl);
	old = ptep_get(ptep);
	if (!is_swap_pte(old) || pte_to_swp_entry(old).val != entry.val) {
		spin_unlock(ptl);
		return 0;
	}
	dec_mm_counter(mm, MM_SWAPENTS);
	if (unlikely(!folio_test_uptodate(folio))) {
		pte_clear(mm, addr, ptep);
		swap_free(entry);
		spin_unlock(ptl);
		return 0;
	}
	inc_mm_counter(mm, MM_ANONPAGES);
	get_page(&folio->page);
	if (!folio_test_anon(folio))
		folio_add_new_anon_rmap(folio, vma, addr,
					pte_swp_exclusive(old) ? RMAP_EXCLUSIVE : RMAP_NONE);
	else
		folio_add_anon_rmap_pte(folio, &folio->page, vma, addr,
					pte_swp_exclusive(old) ? RMAP_EXCLUSIVE : RMAP_NONE);
	if (unlikely((vma->vm_flags & (VM_LOCKED | VM_SPECIAL)) == VM_LOCKED))
		mlock_new_folio(folio);
	new = pte_mkold(mk_pte(&folio->page, vma->vm_page_prot));
	set_pte_at(mm, addr, ptep, new);
	swap_free(entry);
	spin_unlock(ptl);
	return 1;
}

struct unuse_ctx {
	unsigned int type;
	struct swap_info_struct *si;
};

static int unuse_vma(struct vm_area_struct *vma, struct unuse_ctx *c)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long addr = vma->vm_start, end = vma->vm_end;

	while (addr < end) {
		pte_t *ptep = mm_next_pte_table(mm, &addr, end);
		unsigned long next;

		if (!ptep)
			break;
		next = min(pmd_addr_end(addr, end), end);
		for (; addr != next; addr += PAGE_SIZE, ptep = pte_next(ptep)) {
			pte_t pte = ptep_get(ptep);
			struct folio *folio;
			swp_entry_t entry;

			if (!is_swap_pte(pte))
				continue;
			entry = pte_to_swp_entry(pte);
			if (swp_type(entry) != c->type)
				continue;
			folio = swap_cache_get_folio(entry, vma, addr);
			if (!folio) {
				struct vm_fault vmf = {
					.vma = vma, .address = addr, .real_address = addr,
					.pgoff = linear_page_index(vma, addr),
					.gfp_mask = GFP_HIGHUSER_MOVABLE,
				};

				folio = swapin_readahead(entry, GFP_HIGHUSER_MOVABLE, &vmf);
			}
			if (!folio) {
				unsigned char count = __atomic_load_n(&c->si->swap_map[swp_offset(entry)],
								      __ATOMIC_RELAXED);

				if (count == 0 || count == SWAP_MAP_BAD)
					continue;	/* freed meanwhile */
				return -ENOMEM;
			}
			folio_lock(folio);
			folio_wait_writeback(folio);
			if (folio_test_swapcache(folio) && folio_swap_entry(folio).val == entry.val)
				unuse_pte(vma, ptep, addr, entry, folio);
			folio_free_swap(folio);
			folio_unlock(folio);
			put_page(&folio->page);
		}
	}
	return 0;
}

static int unuse_mm(struct mm_struct *mm, void *arg)
{
	struct vm_area_struct *vma;
	int ret = 0;

	mmap_read_lock(mm);
	{
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma) {
			if (vma->anon_vma) {
				ret = unuse_vma(vma, arg);
				if (ret)
					break;
			}
		}
	}
	mmap_read_unlock(mm);
	return ret;
}

/* The next slot after @prev in use (count or cache), 0 when none (Linux's find_next_to_unuse). */
static unsigned int find_next_to_unuse(struct swap_info_struct *si, unsigned int prev)
{
	for (unsigned int i = prev + 1; i < si->max; i++) {
		unsigned char count = __atomic_load_n(&si->swap_map[i], __ATOMIC_RELAXED);

		if (count && count != SWAP_MAP_BAD)
			return i;
	}
	return 0;
}

/* Drop the area's shadow entries (Linux does it as slots are freed). */
static void clear_shadows(unsigned int type)
{
	struct address_space *as = swap_address_space(swp_entry(type, 0));
	XA_STATE(xas, &as->i_pages, 0);
	void *old;

	xa_lock_irq(&as->i_pages);
	xas_for_each(&xas, old, ULONG_MAX) {
		if (xa_is_value(old))
			xas_store(&xas, NULL);
	}
	xa_unlock_irq(&as->i_pages);
}

#define UNUSE_MAX_PASSES	16

int try_to_unuse(unsigned int type)
{
	struct mmsim *m = current_machine();
	struct unuse_ctx c = { .type = type };
	int passes = 0, ret;

	c.si = swap_info_get(m, (int)type);
	if (!c.si || !c.si->swap_map)
		return -EINVAL;
	while (__atomic_load_n(&c.si->inuse_pages, __ATOMIC_RELAXED)) {
		unsigned int i = 0;

		if (passes++ >= UNUSE_MAX_PASSES)
			return -EBUSY;
		ret = shmem_unuse(type);
		if (ret)
			return ret;
		ret = for_each_user_mm(m, unuse_mm, &c);
		if (ret)
			return ret;
		/*
		 * What is left in use only by the swap cache (readahead,
		 * slots freed by their last PTE while the folio was locked)
		 * leaves it.
		 */
		while (__atomic_load_n(&c.si->inuse_pages, __ATOMIC_RELAXED) &&
		       (i = find_next_to_unuse(c.si, i)) != 0) {
			struct folio *folio = swap_cache_get_folio(swp_entry(type, i), NULL, 0);

			if (!folio)
				continue;
			folio_lock(folio);
			folio_wait_writeback(folio);
			folio_free_swap(folio);
			folio_unlock(folio);
			put_page(&folio->page);
		}
	}
	clear_shadows(type);
	return 0;
}

/* ---------------------------------------------------------------------
 * swap_counts_are_valid
 */

struct swap_census {
	struct mmsim *m;
	unsigned int *count[MAX_SWAPFILES];	/* [si->max] per area in use */
	unsigned int max[MAX_SWAPFILES];
	bool bad;
};

static void census_entry(struct swap_census *sc, swp_entry_t entry, const char *who,
			 unsigned long where)
{
	unsigned int type = swp_type(entry);
	pgoff_t offset = swp_offset(entry);

	if (type >= MAX_SWAPFILES || !sc->count[type] || offset == 0 || offset >= sc->max[type]) {
		pr_err("swap_counts_are_valid: %s at %lx holds entry %lx (type %u offset %lx): "
		       "no such slot\n", who, where, entry.val, type, (unsigned long)offset);
		sc->bad = true;
		return;
	}
	sc->count[type][offset]++;
}

static void census_shmem(void *arg, unsigned long val)
{
	census_entry(arg, (swp_entry_t){ val }, "a shmem mapping", 0);
}

static void census_pte(unsigned long addr, pte_t *ptep, void *arg)
{
	pte_t pte = ptep_get(ptep);

	/* Migration entries hold a pfn, not a slot. */
	if (is_swap_pte(pte) && !non_swap_entry(pte_to_swp_entry(pte)))
		census_entry(arg, pte_to_swp_entry(pte), "a PTE", addr);
}

static int census_mm(struct mm_struct *mm, void *arg)
{
	mmap_read_lock(mm);
	spin_lock(pte_lockptr(mm));
	walk_user_ptes(mm, census_pte, arg);
	spin_unlock(pte_lockptr(mm));
	mmap_read_unlock(mm);
	return 0;
}

static bool check_area(struct swap_census *sc, unsigned int type, struct swap_info_struct *si,
		       unsigned long *cached)
{
	struct address_space *as = swap_address_space(swp_entry(type, 0));
	unsigned long folios = 0;
	bool ok = true;

	for (unsigned int o = 1; o < si->max && ok; o++) {
		unsigned char map = __atomic_load_n(&si->swap_map[o], __ATOMIC_RELAXED);
		unsigned int count;
		struct folio *folio;
		void *e;

		if (map == SWAP_MAP_BAD)
			continue;
		count = map & ~SWAP_HAS_CACHE;
		if (count != sc->count[type][o]) {
			pr_err("swap_counts_are_valid: slot %u:%x has count %u, %u swap PTEs and shmem "
			       "entries hold it\n", type, o, count, sc->count[type][o]);
			ok = false;
			break;
		}
		e = xa_load(&as->i_pages, o);
		folio = e && !xa_is_value(e) ? e : NULL;
		if (!!(map & SWAP_HAS_CACHE) != !!folio) {
			pr_err("swap_counts_are_valid: slot %u:%x %s SWAP_HAS_CACHE but %s folio in the "
			       "swap cache\n", type, o, map & SWAP_HAS_CACHE ? "has" : "lacks",
			       folio ? "a" : "no");
			ok = false;
			break;
		}
		if (folio) {
			folios++;
			if (!folio_test_swapcache(folio) ||
			    folio_swap_entry(folio).val != swp_entry(type, o).val ||
			    page_ref_count(&folio->page) < 1 + folio_mapcount(folio)) {
				pr_err("swap_counts_are_valid: the swap-cache folio of slot %u:%x has "
				       "flags %lx, entry %lx, ref %d, mapcount %d\n", type, o,
				       folio->page.flags, folio->page.private,
				       page_ref_count(&folio->page), folio_mapcount(folio));
				ok = false;
			}
		}
	}
	if (ok && (long)folios != atomic_long_read(&as->nrpages)) {
		pr_err("swap_counts_are_valid: area %u: %lu folios in the swap cache, nrpages %ld\n",
		       type, folios, atomic_long_read(&as->nrpages));
		ok = false;
	}
	*cached += folios;
	return ok;
}

bool swap_counts_are_valid(struct mmsim *m)
{
	struct swap_census sc = { .m = m };
	unsigned long cached = 0, in_others = 0;
	bool ok = true;

	for (int t = 0; t < MAX_SWAPFILES; t++) {
		struct swap_info_struct *si = swap_info_get(m, t);

		if (!si || !si->swap_map || !(si->flags & SWP_USED)) {
			struct address_space *as = swap_address_space(swp_entry((unsigned long)t, 0));

			in_others += (unsigned long)atomic_long_read(&as->nrpages);
			continue;
		}
		sc.max[t] = si->max;
		sc.count[t] = calloc(si->max, sizeof(unsigned int));
		if (!sc.count[t]) {
			ok = false;
			goto out;
		}
	}
	shmem_count_swap_entries(census_shmem, &sc);
	for_each_user_mm(m, census_mm, &sc);
	if (sc.bad) {
		ok = false;
		goto out;
	}
	for (int t = 0; t < MAX_SWAPFILES && ok; t++)
		if (sc.count[t])
			ok = check_area(&sc, (unsigned int)t, swap_info_get(m, t), &cached);
	if (ok && in_others) {
		pr_err("swap_counts_are_valid: %lu folios in the swap cache of areas not in use\n",
		       in_others);
		ok = false;
	}
	if (ok && cached != global_node_page_state(NR_SWAPCACHE)) {
		pr_err("swap_counts_are_valid: NR_SWAPCACHE %lu, %lu folios in the swap cache\n",
		       global_node_page_state(NR_SWAPCACHE), cached);
		ok = false;
	}
out:
	for (int t = 0; t < MAX_SWAPFILES; t++)
		free(sc.count[t]);
	return ok;
}
