// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_hugetlb_cont.c - arm64's contiguous-bit hugetlb sizes: runs of
 * CONT_PTES PTEs (64K with 4K pages, 2M with 16K and 64K pages) and of
 * CONT_PMDS blocks (32M with 4K pages, 1G with 16K, 16G with 64K).  For
 * each size: the sysfs/meminfo pool, MAP_HUGETLB with the MAP_HUGE_* size
 * bits, every entry of a run carrying PTE_CONT and mapping the folio's
 * consecutive frames (checked through the page tables, the MMU and the
 * bytes), fork + COW integrity, mprotect (every entry of the run changes;
 * the MMU refuses the write), munmap (the pool refills), smaps'
 * KernelPageSize, and a randomized stress with every invariant checker
 * after each step.
 */
#include <mmsim/sched.h>
#include <mmsim/signal.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/mmu.h>
#include <mmsim/err.h>
#include <mmsim/pgtable.h>
#include <mmsim/hugetlb.h>
#include "mmtest.h"
#include "hugetlb_test.h"

#ifndef MAP_HUGE_64KB
#define MAP_HUGE_64KB	(16UL << MAP_HUGE_SHIFT)
#endif
#ifndef MAP_HUGE_32MB
#define MAP_HUGE_32MB	(25UL << MAP_HUGE_SHIFT)
#endif
#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB	(21UL << MAP_HUGE_SHIFT)
#endif
#ifndef MAP_HUGE_1GB
#define MAP_HUGE_1GB	(30UL << MAP_HUGE_SHIFT)
#endif

static long long hnum(struct mmsim *m, unsigned long sz, const char *file)
{
	char path[128], *s;
	long long v;

	snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-%lukB/%s", sz >> 10, file);
	s = mmsim_read(m, path);
	v = s ? strtoll(s, NULL, 10) : -1;
	free(s);
	return v;
}

static void hset(struct mmsim *m, unsigned long sz, long v)
{
	char path[128], buf[32];

	snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-%lukB/nr_hugepages",
		 sz >> 10);
	snprintf(buf, sizeof(buf), "%ld", v);
	KT_EQ(mmsim_write(m, path, buf), 0);
}

/* The entry size of a contiguous size: a PTE's or a PMD block's. */
static unsigned int run_entry_shift(unsigned int log)
{
	return log == CONT_PTE_SHIFT ? PAGE_SHIFT : PMD_SHIFT;
}

/* The first entry of the run mapping @va (aligned), NULL if no table. */
static u64 *run_first(struct mm_struct *mm, unsigned long va, unsigned int log)
{
	pgd_t *pgd = pgd_offset(mm, va);
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;

	if (pgd_none(pgdp_get(pgd)))
		return NULL;
	p4d = p4d_offset(pgd, va);
	if (p4d_none(p4dp_get(p4d)))
		return NULL;
	pud = pud_offset(p4d, va);
	if (pud_none(pudp_get(pud)))
		return NULL;
	pmd = pmd_offset(pud, va);
	if (run_entry_shift(log) == PMD_SHIFT)
		return (u64 *)pmd;
	if (pmd_none(pmdp_get(pmd)))
		return NULL;
	return (u64 *)pte_offset_kernel(pmd, va);
}

/*
 * The run at @va: each entry valid, PTE_CONT, a page descriptor (PTE run)
 * or a block (PMD run), the next frames of one hugetlb folio, the same
 * permission bits as the first; the MMU translates each piece to its
 * frame, whose bytes the user access reads.  @writable: every entry allows
 * a write (else none does).  Returns the head pfn, 0 on a failure.
 */
static unsigned long check_run(unsigned long va, unsigned int log, bool writable)
{
	unsigned int es = run_entry_shift(log);
	unsigned long n = 1UL << (log - es), step = 1UL << (es - PAGE_SHIFT), pfn0;
	u64 *ep = run_first(current->mm, va, log);
	u64 first;

	KT_ASSERT(ep);
	if (!ep)
		return 0;
	first = __atomic_load_n(ep, __ATOMIC_RELAXED);
	pfn0 = pte_pfn(__pte(first));
	KT_ASSERT(PageHuge(pfn_to_page(pfn0)) && PageHead(pfn_to_page(pfn0)));
	KT_EQ(compound_order(pfn_to_page(pfn0)), log - PAGE_SHIFT);
	for (unsigned long i = 0; i < n; i++) {
		u64 e = __atomic_load_n(ep + i, __ATOMIC_RELAXED);
		unsigned long piece = va + (i << es) + 8 * i + 3;
		struct mmu_fault f;
		phys_addr_t pa;
		unsigned char c;

		if (!(e & PTE_VALID) || !(e & PTE_CONT) || pte_pfn(__pte(e)) != pfn0 + i * step ||
		    !!(e & PTE_TABLE_BIT) != (es == PAGE_SHIFT) ||
		    (e & (PTE_USER | PTE_UXN | PTE_PXN | PTE_NG | PTE_WRITE)) !=
			    (first & (PTE_USER | PTE_UXN | PTE_PXN | PTE_NG | PTE_WRITE))) {
			fprintf(stderr, "run at %lx: entry %lu = %llx (first %llx)\n", va, i,
				(unsigned long long)e, (unsigned long long)first);
			kt_cur_failed++;
			return 0;
		}
		KT_EQ(mmu_translate(piece, MMU_READ | MMU_USER, &pa, &f), 0);
		KT_EQ(pa, ((phys_addr_t)(pfn0 + i * step) << PAGE_SHIFT) + 8 * i + 3);
		KT_EQ(mmsim_user_read(piece, &c, 1), 0);
		KT_EQ(c, *((unsigned char *)page_address(pfn_to_page(pfn0)) + (i << es) + 8 * i + 3));
		if (writable) {
			int r = mmu_translate(piece, MMU_WRITE | MMU_USER, &pa, &f);

			if (r)
				fprintf(stderr, "write %lx entry %lu %llx: kind %d level %d\n", piece, i,
					(unsigned long long)e, f.kind, f.level);
			KT_EQ(r, 0);
		} else {
			KT_EQ(mmu_translate(piece, MMU_WRITE | MMU_USER, &pa, &f), -EFAULT);
			KT_EQ(f.kind, MMU_FAULT_PROT);
		}
	}
	return pfn0;
}

static bool run_gone(unsigned long va, unsigned int log)
{
	unsigned int es = run_entry_shift(log);
	u64 *ep = run_first(current->mm, va, log);

	if (!ep)
		return true;
	for (unsigned long i = 0; i < 1UL << (log - es); i++)
		if (__atomic_load_n(ep + i, __ATOMIC_RELAXED))
			return false;
	return true;
}

static bool all_valid(struct mmsim *m)
{
	return mm_is_valid(current->mm) && mm_mapcounts_are_valid(m) && hugetlb_pool_is_valid();
}

/*
 * One contiguous size of one machine, with a pool of 6: map two private
 * pages and a shared one, fork, COW both ways, mprotect, munmap.
 * @runtime: grow and shrink the pool through sysfs (a buddy-sized page).
 */
static void test_cont(const char *spec, unsigned int log, bool runtime)
{
	unsigned long sz = 1UL << log, flags = (unsigned long)log << MAP_HUGE_SHIFT, priv, shr;
	char full[160], want[128], path[64], *s;
	struct task_struct *p, *c;
	struct mmsim *m;
	unsigned long pfn;
	long pid;
	int st;

	snprintf(full, sizeof(full), "%s hugepagesz=%luK hugepages=%d", spec, sz >> 10,
		 runtime ? 2 : 6);
	kt_begin(full);
	m = boot_or_die(full);
	KT_ASSERT(run_entry_shift(log) == PAGE_SHIFT ? log == CONT_PTE_SHIFT
						     : log == CONT_PMD_SHIFT);
	if (runtime)
		hset(m, sz, 6);
	KT_EQ(hnum(m, sz, "nr_hugepages"), 6);
	KT_EQ(hnum(m, sz, "free_hugepages"), 6);
	KT_EQ(meminfo(m, "Hugetlb:"), 6 * (long long)(sz >> 10));	/* the default pool is empty */
	KT_EQ(meminfo(m, "Hugepagesize:"), (long long)(PMD_SIZE >> 10));
	p = mmsim_spawn(m, "cont");
	KT_ASSERT(p);
	KT_EQ(mmsim_switch_to(p), 0);

	priv = sys_mmap(0, 2 * sz, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | flags, (unsigned long)-1, 0);
	shr = sys_mmap(0, sz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB | flags,
		       (unsigned long)-1, 0);
	KT_ASSERT(!IS_ERR_VALUE(priv) && !IS_ERR_VALUE(shr));
	KT_EQ(priv & (sz - 1), 0);
	KT_EQ(hnum(m, sz, "resv_hugepages"), 3);
	KT_ASSERT(fill(priv, 2 * sz, 0xaa));
	KT_ASSERT(fill(shr, sz, 0x11));
	KT_EQ(hnum(m, sz, "free_hugepages"), 3);
	KT_EQ(hnum(m, sz, "resv_hugepages"), 0);
	pfn = check_run(priv, log, true);
	KT_ASSERT(pfn && check_run(priv + sz, log, true) && check_run(shr, log, true));
	KT_ASSERT(all_valid(m));
	/* smaps: the huge size (Linux's vma_kernel_pagesize / vma_mmu_pagesize) */
	snprintf(path, sizeof(path), "/proc/%d/smaps", p->pid);
	s = mmsim_read(m, path);
	snprintf(want, sizeof(want), "KernelPageSize: %8lu kB\nMMUPageSize: %11lu kB\n", sz >> 10,
		 sz >> 10);
	KT_ASSERT(s && strstr(s, want));
	free(s);

	/* fork: both private pages shared read-only, then copied on write */
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	c = find_task_by_vpid((pid_t)pid);
	KT_ASSERT(c);
	KT_EQ(check_run(priv, log, false), pfn);	/* the parent's run write-protected */
	KT_ASSERT(all_valid(m));
	KT_EQ(mmsim_switch_to(c), 0);
	KT_EQ(check_run(priv, log, false), pfn);
	KT_ASSERT(holds(priv, 2 * sz, 0xaa) && holds(shr, sz, 0x11));
	KT_ASSERT(fill(priv, sz, 0xcc));		/* COW: the child's copy */
	KT_ASSERT(fill(shr, sz, 0x22));			/* shared: the parent sees it */
	KT_EQ(hnum(m, sz, "free_hugepages"), 2);
	KT_ASSERT(check_run(priv, log, true) != pfn);
	KT_ASSERT(all_valid(m));
	KT_EQ(mmsim_switch_to(p), 0);
	KT_ASSERT(holds(priv, 2 * sz, 0xaa) && holds(shr, sz, 0x22));
	KT_ASSERT(fill(priv + sz, sz, 0xbb));		/* COW on the parent's side */
	KT_EQ(hnum(m, sz, "free_hugepages"), 1);
	KT_ASSERT(all_valid(m));
	KT_EQ(mmsim_switch_to(c), 0);
	KT_ASSERT(holds(priv, sz, 0xcc) && holds(priv + sz, sz, 0xaa));
	sys_exit_group(3);
	KT_EQ(mmsim_switch_to(p), 0);
	KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);
	KT_EQ(hnum(m, sz, "free_hugepages"), 3);
	/* the first page is the parent's alone again: written in place */
	KT_ASSERT(fill(priv, sz, 0xdd));
	KT_EQ(check_run(priv, log, true), pfn);
	KT_EQ(hnum(m, sz, "free_hugepages"), 3);

	/* mprotect: every entry of the run loses the write permission */
	KT_EQ(sys_mprotect(priv, 2 * sz, PROT_READ), 0);
	KT_EQ(check_run(priv, log, false), pfn);
	KT_ASSERT(check_run(priv + sz, log, false));
	KT_ASSERT(holds(priv, sz, 0xdd) && holds(priv + sz, sz, 0xbb));
	KT_ASSERT(all_valid(m));
	KT_EQ(sys_mprotect(priv + sz, sz, PROT_READ | PROT_WRITE), 0);	/* a split at a huge page */
	/* private: read-only until the write fault (hugetlb_wp reuses the page) */
	KT_ASSERT(check_run(priv + sz, log, false));
	KT_ASSERT(fill(priv + sz, sz, 0xee));
	KT_ASSERT(check_run(priv + sz, log, true));
	KT_EQ(sys_mprotect(priv + sz / 2, sz, PROT_READ), -EINVAL);	/* not huge-aligned */
	KT_ASSERT(all_valid(m));

	/* munmap: the runs go and the pool refills */
	KT_EQ(sys_munmap(priv, sz), 0);
	KT_ASSERT(run_gone(priv, log));
	KT_EQ(hnum(m, sz, "free_hugepages"), 4);
	KT_ASSERT(holds(priv + sz, sz, 0xee));
	KT_EQ(sys_munmap(priv + sz, sz), 0);
	KT_EQ(sys_munmap(shr, sz), 0);
	KT_ASSERT(run_gone(priv + sz, log) && run_gone(shr, log));
	KT_EQ(hnum(m, sz, "free_hugepages"), 6);
	KT_EQ(hnum(m, sz, "resv_hugepages"), 0);
	KT_ASSERT(all_valid(m));
	sys_exit_group(0);
	if (runtime) {
		hset(m, sz, 0);
		KT_EQ(hnum(m, sz, "nr_hugepages"), 0);
		KT_EQ(meminfo(m, "Hugetlb:"), 0);
	}
	if (kt_cur_failed)
		log_tail(m);
	kt_end();
	mmsim_shutdown(m);
}

/* The sizes each granule registers (Linux's arm64 hugetlbpage_init). */
static void test_sizes(void)
{
	static const struct {
		const char *spec;
		unsigned long kb[4];
	} a[] = {
		{ "arch=arm64 ram=256M", { 64, 2048, 32768, 1048576 } },
		{ "arch=arm64 page_size=16K ram=256M", { 2048, 32768, 1048576 } },
		{ "arch=arm64 page_size=64K ram=1G", { 2048, 524288, 16777216 } },
		{ "ram=256M", { 2048, 1048576 } },
	};

	kt_begin("sizes");
	for (size_t i = 0; i < ARRAY_SIZE(a); i++) {
		struct mmsim *m = boot_or_die(a[i].spec);
		int nr;
		struct hstate *hs = hstate_array(&nr);
		int want = 0;

		for (int j = 0; j < 4 && a[i].kb[j]; j++, want++) {
			KT_ASSERT(j < nr && huge_page_size(&hs[j]) >> 10 == a[i].kb[j]);
			KT_EQ(hnum(m, a[i].kb[j] << 10, "nr_hugepages"), 0);
		}
		KT_EQ(nr, want);
		KT_EQ(meminfo(m, "Hugepagesize:"), (long long)(PMD_SIZE >> 10));
		mmsim_shutdown(m);
	}
	/* default_hugepagesz= and hugepagesz= take the contiguous sizes */
	{
		struct mmsim *m = boot_or_die("arch=arm64 ram=256M default_hugepagesz=64K hugepages=5");
		struct task_struct *t;
		unsigned long va;

		KT_EQ(meminfo(m, "Hugepagesize:"), 64);
		KT_EQ(meminfo(m, "HugePages_Total:"), 5);
		KT_EQ(meminfo(m, "Hugetlb:"), 5 * 64);
		t = mmsim_spawn(m, "dflt");
		KT_EQ(mmsim_switch_to(t), 0);
		/* no size bits: the default size, a 64K run */
		va = sys_mmap(0, 64 << 10, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, (unsigned long)-1, 0);
		KT_ASSERT(!IS_ERR_VALUE(va));
		KT_ASSERT(fill(va, 64 << 10, 0x5a));
		KT_ASSERT(check_run(va, 16, true));
		KT_EQ(meminfo(m, "HugePages_Free:"), 4);
		/* the checkers see a broken run: a lost PTE_CONT, a wrong frame */
		{
			u64 *ep = run_first(current->mm, va, 16), old = ep[5];

			KT_ASSERT(mm_is_valid(current->mm) && mm_mapcounts_are_valid(m));
			ep[5] = old & ~PTE_CONT;
			KT_ASSERT(!mm_is_valid(current->mm));
			KT_ASSERT(!mm_mapcounts_are_valid(m));
			ep[5] = old + (2UL << PAGE_SHIFT);
			KT_ASSERT(!mm_is_valid(current->mm));
			ep[5] = old;
			KT_ASSERT(mm_is_valid(current->mm) && mm_mapcounts_are_valid(m));
		}
		/* MAP_HUGE_64KB and MAP_HUGE_2MB on the same machine */
		KT_EQ((long)sys_mmap(0, 64 << 10, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
				     MAP_HUGETLB | MAP_HUGE_64KB, (unsigned long)-1, 0) > 0, 1);
		KT_EQ((long)sys_mmap(0, 2 << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
				     MAP_HUGETLB | MAP_HUGE_2MB, (unsigned long)-1, 0), -ENOMEM);
		KT_ASSERT(all_valid(m));
		sys_exit_group(0);
		KT_EQ(meminfo(m, "HugePages_Free:"), 5);
		mmsim_shutdown(m);
	}
	/* 16G (32 x 512M) where RAM allows: with 1G, Linux's warning, no pages */
	{
		struct mmsim *m = boot_or_die("arch=arm64 page_size=64K ram=1G hugepagesz=16G "
					      "hugepages=1");
		char *s = mmsim_read(m, "/dev/kmsg");

		KT_EQ(hnum(m, 16UL << 30, "nr_hugepages"), 0);
		KT_ASSERT(s && strstr(s, "HugeTLB: allocating 1 of page size 16.0 GiB failed"));
		free(s);
		KT_ASSERT(hugetlb_pool_is_valid());
		mmsim_shutdown(m);
	}
	/* x86 has no contiguous sizes */
	KT_ASSERT(!mmsim_boot("ram=256M hugepagesz=64K hugepages=1"));
	KT_STR_CONTAINS(mmsim_last_error(), "hugepagesz=64K");
	kt_end();
}

/* A 1G run of 32 blocks of 32M (16K pages): map, write, read, COW, unmap. */
static void test_cont_pmd_1g(void)
{
	struct mmsim *m = boot_or_die("arch=arm64 page_size=16K ram=4G hugepagesz=1G hugepages=2");
	unsigned long sz = 1UL << 30, va, pfn;
	struct task_struct *p, *c;
	long pid;
	int st;

	kt_begin("arm64-16k 1G contiguous PMDs");
	KT_EQ(hnum(m, sz, "nr_hugepages"), 2);
	p = mmsim_spawn(m, "gig");
	KT_EQ(mmsim_switch_to(p), 0);
	va = sys_mmap(0, sz, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_1GB, (unsigned long)-1, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	for (unsigned long off = 0; off < sz; off += 32UL << 20)
		KT_EQ(mmsim_user_write(va + off + 17, "cont", 4), 0);
	pfn = check_run(va, 30, true);
	KT_ASSERT(pfn);
	KT_ASSERT(all_valid(m));
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	c = find_task_by_vpid((pid_t)pid);
	KT_EQ(mmsim_switch_to(c), 0);
	KT_EQ(mmsim_user_write(va + (5UL << 25) + 100, "kid", 3), 0);	/* COW copies 1G */
	KT_ASSERT(check_run(va, 30, true) != pfn);
	KT_ASSERT(all_valid(m));
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(p), 0);
	KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);
	{
		char b[4] = { 0 };

		KT_EQ(mmsim_user_read(va + (5UL << 25) + 100, b, 3), 0);
		KT_ASSERT(!memcmp(b, "\0\0\0", 3));
		KT_EQ(mmsim_user_read(va + (31UL << 25) + 17, b, 4), 0);
		KT_ASSERT(!memcmp(b, "cont", 4));
	}
	KT_EQ(sys_munmap(va, sz), 0);
	KT_ASSERT(run_gone(va, 30));
	KT_EQ(hnum(m, sz, "free_hugepages"), 2);
	sys_exit_group(0);
	kt_end();
	mmsim_shutdown(m);
}

#define NTASK	3
#define NMAP	4

struct smap {
	unsigned long va, len;
	unsigned char tag;
	bool live;
};

/* Random maps, writes, munmaps of one page, forks, mprotects, pool resizes. */
static void test_stress(const char *spec, unsigned int log)
{
	unsigned long sz = 1UL << log, flags = (unsigned long)log << MAP_HUGE_SHIFT;
	struct task_struct *tasks[NTASK] = { 0 };
	struct smap maps[NTASK][NMAP];
	unsigned int seed = 777;
	struct mmsim *m = boot_or_die(spec);

	kt_begin("stress");
	memset(maps, 0, sizeof(maps));
	hset(m, sz, 20);
	for (int step = 0; step < 250 && !kt_cur_failed; step++) {
		int ti = (int)(rand_r(&seed) % NTASK), op = (int)(rand_r(&seed) % 9);
		struct task_struct *t = tasks[ti];
		struct smap *sm = &maps[ti][rand_r(&seed) % NMAP];

		if (!t || t->exit_state) {
			t = tasks[ti] = mmsim_spawn(m, "stress");
			memset(maps[ti], 0, sizeof(maps[ti]));
			if (!t)
				continue;
		}
		if (mmsim_switch_to(t))
			continue;
		switch (op) {
		case 0:
			if (!sm->live) {
				unsigned long fl = (rand_r(&seed) & 1) ? MAP_SHARED : MAP_PRIVATE;

				sm->len = (1 + rand_r(&seed) % 3) * sz;
				sm->va = sys_mmap(0, sm->len, PROT_READ | PROT_WRITE,
						  MAP_ANONYMOUS | MAP_HUGETLB | fl | flags,
						  (unsigned long)-1, 0);
				sm->live = !IS_ERR_VALUE(sm->va);
				sm->tag = 0;
			}
			break;
		case 1:
		case 2:
		case 3:
			if (sm->live) {
				unsigned char tag = (unsigned char)(1 + rand_r(&seed) % 250);

				if (!fill(sm->va, sm->len, tag)) {	/* SIGBUS (COW, pool dry) */
					KT_ASSERT(!current);
					break;
				}
				sm->tag = tag;
				KT_ASSERT(holds(sm->va, sm->len, tag));
				for (unsigned long o = 0; o < sm->len; o += sz)
					KT_ASSERT(check_run(sm->va + o, log, true));
			}
			break;
		case 4:
			if (sm->live) {
				/* one huge page: the first or the last */
				if (sm->len > sz && (rand_r(&seed) & 1)) {
					KT_EQ(sys_munmap(sm->va + sm->len - sz, sz), 0);
					KT_ASSERT(run_gone(sm->va + sm->len - sz, log));
					sm->len -= sz;
				} else {
					KT_EQ(sys_munmap(sm->va, sz), 0);
					KT_ASSERT(run_gone(sm->va, log));
					sm->live = sm->len > sz;
					sm->va += sz;
					sm->len -= sz;
				}
			}
			break;
		case 5: {
			long pid = sys_fork();
			struct task_struct *c = pid > 0 ? find_task_by_vpid((pid_t)pid) : NULL;

			for (int k = 0; k < NTASK && c; k++)
				if (!tasks[k] || tasks[k]->exit_state) {
					tasks[k] = c;
					memcpy(maps[k], maps[ti], sizeof(maps[k]));
					c = NULL;
				}
			if (c) {
				KT_EQ(mmsim_switch_to(c), 0);
				sys_exit_group(0);
			}
			break;
		}
		case 6:
			if (sm->live) {
				bool w = rand_r(&seed) & 1;

				KT_EQ(sys_mprotect(sm->va, sm->len,
						   w ? PROT_READ | PROT_WRITE : PROT_READ), 0);
				if (sm->tag)
					KT_ASSERT(holds(sm->va, sm->len, sm->tag));
				if (!w && sm->tag)
					KT_ASSERT(check_run(sm->va, log, false));
			}
			break;
		case 7:
			hset(m, sz, (long)(8 + rand_r(&seed) % 24));
			break;
		default:
			if (!(rand_r(&seed) % 4))
				sys_exit_group(0);
			break;
		}
		for (int k = 0; k < NTASK; k++)
			if (tasks[k] && !tasks[k]->exit_state && tasks[k]->mm)
				KT_ASSERT(mm_is_valid(tasks[k]->mm));
		KT_ASSERT(mm_mapcounts_are_valid(m));
		KT_ASSERT(hugetlb_pool_is_valid());
		if (kt_cur_failed)
			fprintf(stderr, "stress %s: step %d op %d task %d\n", spec, step, op, ti);
	}
	for (int k = 0; k < NTASK; k++)
		if (tasks[k] && !tasks[k]->exit_state && !mmsim_switch_to(tasks[k]))
			sys_exit_group(0);
	KT_EQ(hnum(m, sz, "resv_hugepages"), 0);
	KT_EQ(hnum(m, sz, "surplus_hugepages"), 0);
	KT_EQ(hnum(m, sz, "free_hugepages"), hnum(m, sz, "nr_hugepages"));
	KT_ASSERT(hugetlb_pool_is_valid());
	if (kt_cur_failed)
		log_tail(m);
	kt_end();
	mmsim_shutdown(m);
}

int main(void)
{
	test_sizes();
	test_cont("arch=arm64 ram=256M", 16, true);			/* 16 PTEs */
	test_cont("arch=arm64 ram=512M", 25, false);			/* 16 blocks of 2M */
	test_cont("arch=arm64 page_size=16K ram=256M", 21, true);	/* 128 PTEs */
	test_cont("arch=arm64 page_size=64K ram=512M", 21, true);	/* 32 PTEs */
	test_cont_pmd_1g();
	test_stress("arch=arm64 ram=256M seed=3", 16);
	test_stress("arch=arm64 page_size=16K ram=512M seed=4", 21);
	return kt_done();
}
