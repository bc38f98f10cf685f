// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_hugetlb.c - the hugetlb pools and mappings (mm/hugetlb*.c):
 * Linux's selftests hugepage-mmap (map, write, read back) and the
 * reservation/surplus semantics of hugetlbpage.rst (HugePages_Rsvd across
 * mmap/fault/munmap, MAP_NORESERVE and SIGBUS, nr_overcommit_hugepages),
 * boot parameters (hugepagesz=1G hugepages=2, default_hugepagesz=), the
 * meminfo/sysfs/status/smaps formats, fork and COW data integrity, SysV
 * SHM_HUGETLB, mprotect, alignment errors, GUP, and a randomized stress
 * that runs every invariant checker after each step.
 */
#include <mmsim/sched.h>
#include <mmsim/signal.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/shm.h>
#include <mmsim/ipc.h>
#include <mmsim/err.h>
#include <mmsim/slab.h>
#include <mmsim/hugetlb.h>
#include "mmtest.h"
#include "hugetlb_test.h"

#define HP (2UL << 20)

static long long readnum(struct mmsim *m, const char *path)
{
	char *s = mmsim_read(m, path);
	long long v = s ? strtoll(s, NULL, 10) : -1;

	free(s);
	return v;
}

static void setnum(struct mmsim *m, const char *path, long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", v);
	KT_EQ(mmsim_write(m, path, buf), 0);
}

/* On a failure, the end of the kernel log says why (the checkers' pr_err). */
/* Total, Free, Rsvd, Surp of the default size. */
static void expect_pool(struct mmsim *m, long total, long fr, long rsvd, long surp, int line)
{
	long long t = meminfo(m, "HugePages_Total:"), f = meminfo(m, "HugePages_Free:"),
		  r = meminfo(m, "HugePages_Rsvd:"), s = meminfo(m, "HugePages_Surp:");

	if (t != total || f != fr || r != rsvd || s != surp) {
		fprintf(stderr, "line %d: pool %lld/%lld/%lld/%lld, expected %ld/%ld/%ld/%ld\n",
			line, t, f, r, s, total, fr, rsvd, surp);
		kt_cur_failed++;
		log_tail(m);
	}
	KT_ASSERT(hugetlb_pool_is_valid());
}
#define EXPECT_POOL(m, t, f, r, s) expect_pool(m, t, f, r, s, __LINE__)

static unsigned long hmap(unsigned long len, unsigned long flags)
{
	return sys_mmap(0, len, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_HUGETLB | flags,
			(unsigned long)-1, 0);
}

static struct mmsim *boot_spawn(const char *spec, struct task_struct **t)
{
	struct mmsim *m = boot_or_die(spec);

	*t = mmsim_spawn(m, "huge");
	KT_ASSERT(*t);
	KT_EQ(mmsim_switch_to(*t), 0);
	return m;
}

/* meminfo and sysfs: sizes, pool growth and shrinking, MemFree. */
static void test_pool_files(void)
{
	struct mmsim *m = boot_or_die("ram=256M");
	const char *d = "/sys/kernel/mm/hugepages/hugepages-2048kB/";
	char path[128], *s;
	long long memfree;

	kt_begin("pool_files");
	EXPECT_POOL(m, 0, 0, 0, 0);
	KT_EQ(meminfo(m, "Hugepagesize:"), 2048);
	KT_EQ(meminfo(m, "Hugetlb:"), 0);
	s = mmsim_read(m, "/proc/meminfo");
	KT_STR_CONTAINS(s, "HugePages_Total:       0\nHugePages_Free:        0\n"
			   "HugePages_Rsvd:        0\nHugePages_Surp:        0\n"
			   "Hugepagesize:       2048 kB\nHugetlb:               0 kB\n");
	free(s);
	KT_EQ(readnum(m, "/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages"), 0);
	memfree = meminfo(m, "MemFree:");
	setnum(m, "/proc/sys/vm/nr_hugepages", 8);
	EXPECT_POOL(m, 8, 8, 0, 0);
	KT_EQ(meminfo(m, "Hugetlb:"), 8 * 2048);
	KT_ASSERT(meminfo(m, "MemFree:") <= memfree - 8 * 2048);
	KT_EQ(readnum(m, "/proc/sys/vm/nr_hugepages"), 8);
	snprintf(path, sizeof(path), "%snr_hugepages", d);
	KT_EQ(readnum(m, path), 8);
	snprintf(path, sizeof(path), "%sfree_hugepages", d);
	KT_EQ(readnum(m, path), 8);
	KT_EQ(readnum(m, "/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages"),
	      8);
	s = mmsim_read(m, "/proc/vmstat");
	KT_EQ(field(s, "htlb_buddy_alloc_success"), 8);
	free(s);
	/* sysfs writes resize too; shrinking gives the memory back */
	snprintf(path, sizeof(path), "%snr_hugepages", d);
	setnum(m, path, 3);
	EXPECT_POOL(m, 3, 3, 0, 0);
	KT_EQ(mmsim_write(m, path, "x"), -EINVAL);
	setnum(m, "/proc/sys/vm/nr_hugepages", 0);
	EXPECT_POOL(m, 0, 0, 0, 0);
	drain_all_pages(NULL);
	KT_ASSERT(meminfo(m, "MemFree:") >= memfree - 64);
	kt_end();
	mmsim_shutdown(m);
}

/* Linux's selftest hugepage-mmap, private and shared, and the Rsvd walk. */
static void test_hugepage_mmap(void)
{
	struct task_struct *t;
	struct mmsim *m = boot_spawn("ram=256M hugepages=4", &t);
	unsigned long flags[] = { MAP_PRIVATE, MAP_SHARED };

	kt_begin("hugepage_mmap");
	EXPECT_POOL(m, 4, 4, 0, 0);
	for (int i = 0; i < 2; i++) {
		unsigned long va = hmap(2 * HP, flags[i]);
		unsigned char buf[64];

		KT_ASSERT(!IS_ERR_VALUE(va));
		KT_EQ(va & (HP - 1), 0);
		EXPECT_POOL(m, 4, 4, 2, 0);
		/* write a pattern, read it back (hugepage-mmap's check) */
		for (unsigned long off = 0; off < 2 * HP; off += 4096 * 37) {
			unsigned char c = (unsigned char)(off >> 12);

			KT_EQ(mmsim_user_write(va + off, &c, 1), 0);
			if (off == 0)
				EXPECT_POOL(m, 4, 3, 1, 0);
		}
		EXPECT_POOL(m, 4, 2, 0, 0);
		for (unsigned long off = 0; off < 2 * HP; off += 4096 * 37) {
			KT_EQ(mmsim_user_read(va + off, buf, 1), 0);
			KT_EQ(buf[0], (unsigned char)(off >> 12));
		}
		/* untouched bytes of the huge page read as zero */
		KT_EQ(mmsim_user_read(va + 4096 * 37 + 1, buf, 64), 0);
		for (int k = 0; k < 64; k++)
			KT_EQ(buf[k], 0);
		KT_ASSERT(mm_is_valid(t->mm));
		KT_ASSERT(mm_mapcounts_are_valid(m));
		KT_EQ(sys_munmap(va, 2 * HP), 0);
		EXPECT_POOL(m, 4, 4, 0, 0);
	}
	/* a length that is not whole huge pages maps whole ones */
	{
		unsigned long va = hmap(HP + 4096, MAP_PRIVATE);
		struct vm_area_struct *vma;

		KT_ASSERT(!IS_ERR_VALUE(va));
		mmap_read_lock(t->mm);
		vma = find_vma(t->mm, va);
		KT_ASSERT(vma && vma->vm_end - vma->vm_start == 2 * HP);
		mmap_read_unlock(t->mm);
		EXPECT_POOL(m, 4, 4, 2, 0);
		KT_EQ(sys_munmap(va, 2 * HP), 0);
	}
	EXPECT_POOL(m, 4, 4, 0, 0);
	kt_end();
	mmsim_shutdown(m);
}

/* More than the pool: -ENOMEM; MAP_NORESERVE maps and SIGBUSes at the fault. */
static void test_reserve_and_sigbus(void)
{
	struct task_struct *t;
	struct mmsim *m = boot_spawn("ram=256M hugepages=2", &t);
	unsigned long va;
	size_t mark;
	char *log;

	kt_begin("reserve_sigbus");
	KT_EQ((long)hmap(3 * HP, MAP_PRIVATE), -ENOMEM);
	KT_EQ((long)hmap(3 * HP, MAP_SHARED), -ENOMEM);
	EXPECT_POOL(m, 2, 2, 0, 0);
	va = hmap(3 * HP, MAP_PRIVATE | MAP_NORESERVE);
	KT_ASSERT(!IS_ERR_VALUE(va));
	EXPECT_POOL(m, 2, 2, 0, 0);
	KT_ASSERT(fill(va, 2 * HP, 0x5a));
	EXPECT_POOL(m, 2, 0, 0, 0);
	mark = log_mark(m);
	KT_EQ(mmsim_user_write(va + 2 * HP, "x", 1), -EFAULT);	/* SIGBUS: the pool is dry */
	KT_ASSERT(!current);
	KT_EQ(t->exit_code & 0x7f, SIGBUS);
	log = log_since(m, &mark);
	free(log);
	EXPECT_POOL(m, 2, 2, 0, 0);
	/* a reserved mapping's faults never fail: the reservation is theirs */
	t = mmsim_spawn(m, "huge2");
	KT_EQ(mmsim_switch_to(t), 0);
	va = hmap(2 * HP, MAP_PRIVATE);
	KT_ASSERT(!IS_ERR_VALUE(va));
	KT_EQ((long)hmap(HP, MAP_PRIVATE | MAP_NORESERVE) > 0, 1);
	/* the unreserved mapping may not take reserved pages */
	KT_EQ(mmsim_user_write(va + 0, "a", 1), 0);
	KT_EQ(mmsim_user_write(va + HP, "b", 1), 0);
	EXPECT_POOL(m, 2, 0, 0, 0);
	sys_exit_group(0);
	EXPECT_POOL(m, 2, 2, 0, 0);
	kt_end();
	mmsim_shutdown(m);
}

/* nr_overcommit_hugepages: surplus pages back reservations and faults. */
static void test_overcommit_surplus(void)
{
	struct task_struct *t;
	struct mmsim *m = boot_spawn("ram=256M hugepages=1", &t);
	unsigned long va, va2;

	kt_begin("overcommit_surplus");
	setnum(m, "/proc/sys/vm/nr_overcommit_hugepages", 2);
	KT_EQ(readnum(m, "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_overcommit_hugepages"), 2);
	va = hmap(3 * HP, MAP_PRIVATE);
	KT_ASSERT(!IS_ERR_VALUE(va));
	EXPECT_POOL(m, 3, 3, 3, 2);
	KT_EQ(readnum(m, "/proc/sys/vm/nr_hugepages"), 1);	/* persistent pages */
	KT_EQ(readnum(m, "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"), 3);
	KT_EQ((long)hmap(HP, MAP_PRIVATE), -ENOMEM);		/* past the overcommit */
	KT_ASSERT(fill(va, 3 * HP, 7));
	EXPECT_POOL(m, 3, 0, 0, 2);
	/* shrinking below what is in use turns in-use pages surplus */
	setnum(m, "/proc/sys/vm/nr_hugepages", 0);
	EXPECT_POOL(m, 3, 0, 0, 3);
	KT_EQ(sys_munmap(va, 3 * HP), 0);
	EXPECT_POOL(m, 0, 0, 0, 0);
	/* NORESERVE faults take surplus pages too, up to the limit */
	setnum(m, "/proc/sys/vm/nr_hugepages", 1);
	va2 = hmap(4 * HP, MAP_SHARED | MAP_NORESERVE);
	KT_ASSERT(fill(va2, 3 * HP, 1));
	EXPECT_POOL(m, 3, 0, 0, 2);
	KT_EQ(sys_munmap(va2, 4 * HP), 0);	/* the shared object goes: its cache too */
	EXPECT_POOL(m, 1, 1, 0, 0);
	/* growing again makes surplus pages persistent first */
	va = hmap(2 * HP, MAP_PRIVATE);
	EXPECT_POOL(m, 2, 2, 2, 1);
	setnum(m, "/proc/sys/vm/nr_hugepages", 2);
	EXPECT_POOL(m, 2, 2, 2, 0);
	KT_EQ(sys_munmap(va, 2 * HP), 0);
	EXPECT_POOL(m, 2, 2, 0, 0);
	kt_end();
	mmsim_shutdown(m);
}

/* fork: private pages are COW, shared ones shared; bytes survive everywhere. */
static void test_fork_cow(const char *spec)
{
	struct task_struct *p, *c;
	struct mmsim *m = boot_spawn(spec, &p);
	unsigned long hp = huge_page_size_default(), priv, shr;
	long pid;
	int st;

	kt_begin(spec);
	setnum(m, "/proc/sys/vm/nr_hugepages", 6);
	priv = sys_mmap(0, 2 * hp, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB,
			(unsigned long)-1, 0);
	shr = sys_mmap(0, hp, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB,
		       (unsigned long)-1, 0);
	KT_ASSERT(!IS_ERR_VALUE(priv) && !IS_ERR_VALUE(shr));
	KT_ASSERT(fill(priv, 2 * hp, 0xaa));
	KT_ASSERT(fill(shr, hp, 0x11));
	EXPECT_POOL(m, 6, 3, 0, 0);
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	c = find_task_by_vpid((pid_t)pid);
	KT_ASSERT(c && mm_is_valid(p->mm) && mm_is_valid(c->mm));
	KT_ASSERT(mm_mapcounts_are_valid(m));
	EXPECT_POOL(m, 6, 3, 0, 0);		/* nothing copied yet */
	KT_EQ(mmsim_switch_to(c), 0);
	KT_ASSERT(holds(priv, 2 * hp, 0xaa));
	KT_ASSERT(holds(shr, hp, 0x11));
	KT_ASSERT(fill(priv, hp, 0xcc));	/* COW: the child's copy */
	KT_ASSERT(fill(shr, hp, 0x22));		/* shared: the parent sees it */
	EXPECT_POOL(m, 6, 2, 0, 0);
	KT_ASSERT(mm_mapcounts_are_valid(m));
	KT_EQ(mmsim_switch_to(p), 0);
	KT_ASSERT(holds(priv, 2 * hp, 0xaa));
	KT_ASSERT(holds(shr, hp, 0x22));
	KT_ASSERT(fill(priv + hp, hp, 0xbb));	/* COW on the parent's side */
	EXPECT_POOL(m, 6, 1, 0, 0);
	KT_EQ(mmsim_switch_to(c), 0);
	KT_ASSERT(holds(priv, hp, 0xcc));
	KT_ASSERT(holds(priv + hp, hp, 0xaa));
	KT_ASSERT(mm_mapcounts_are_valid(m));
	sys_exit_group(3);
	KT_EQ(mmsim_switch_to(p), 0);
	KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);
	EXPECT_POOL(m, 6, 3, 0, 0);
	/* the parent's first page is its own again: a write reuses it */
	KT_ASSERT(fill(priv, hp, 0xdd));
	EXPECT_POOL(m, 6, 3, 0, 0);
	KT_ASSERT(holds(priv + hp, hp, 0xbb));
	sys_exit_group(0);
	EXPECT_POOL(m, 6, 6, 0, 0);
	kt_end();
	mmsim_shutdown(m);
}

/* hugepagesz=, hugepages=, default_hugepagesz= and the sizes of each arch. */
static void test_boot_params(void)
{
	struct mmsim *m;
	struct task_struct *t;
	unsigned long va;

	kt_begin("boot_params");
	m = boot_or_die("ram=4G hugepagesz=1G hugepages=2 hugepagesz=2M hugepages=3");
	KT_EQ(readnum(m, "/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages"), 2);
	KT_EQ(readnum(m, "/sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages"), 2);
	KT_EQ(readnum(m, "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"), 3);
	EXPECT_POOL(m, 3, 3, 0, 0);
	KT_EQ(meminfo(m, "Hugetlb:"), 2 * 1048576 + 3 * 2048);
	KT_ASSERT(meminfo(m, "MemTotal:") < 2 * 1024 * 1024);	/* 2G of 4G left memblock */
	/* a 1G mapping (MAP_HUGE_1GB) maps one PUD leaf */
	t = mmsim_spawn(m, "gig");
	KT_EQ(mmsim_switch_to(t), 0);
	va = sys_mmap(0, 1UL << 30, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | (30UL << MAP_HUGE_SHIFT),
		      (unsigned long)-1, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	KT_EQ(va & ((1UL << 30) - 1), 0);
	KT_EQ(mmsim_user_write(va + (1UL << 29) + 3, "gig", 3), 0);
	KT_ASSERT(holds(va + (1UL << 29), 3, 0));
	KT_EQ(readnum(m, "/sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages"), 1);
	KT_ASSERT(mm_is_valid(t->mm) && mm_mapcounts_are_valid(m));
	KT_EQ((long)sys_mmap(0, 1UL << 30, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
			     (29UL << MAP_HUGE_SHIFT), (unsigned long)-1, 0), -EINVAL);
	sys_exit_group(0);
	/* the gigantic pool shrinks back into the buddy allocator */
	setnum(m, "/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages", 0);
	KT_EQ(readnum(m, "/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages"), 0);
	KT_ASSERT(meminfo(m, "MemTotal:") > 3 * 1024 * 1024);
	mmsim_shutdown(m);

	m = boot_or_die("ram=3G default_hugepagesz=1G hugepages=1");
	KT_EQ(meminfo(m, "Hugepagesize:"), 1048576);
	EXPECT_POOL(m, 1, 1, 0, 0);
	mmsim_shutdown(m);

	KT_ASSERT(!mmsim_boot("hugepagesz=4M hugepages=1"));
	KT_STR_CONTAINS(mmsim_last_error(), "hugepagesz=4096K");
	KT_ASSERT(!mmsim_boot("hugepages=1 hugepages=2"));
	KT_STR_CONTAINS(mmsim_last_error(), "hugepages=2");

	/* each arch's sizes */
	{
		static const struct { const char *spec; long size; const char *other; } a[] = {
			{ "arch=i386 ram=256M hugepages=2", 4096, NULL },
			{ "arch=i386-pae ram=256M hugepages=2", 2048, NULL },
			{ "arch=arm64 ram=256M hugepages=2", 2048, "hugepages-1048576kB" },
			{ "arch=arm64 page_size=16K ram=256M hugepages=2", 32768, NULL },
			{ "arch=arm64 page_size=64K ram=4G hugepages=2", 524288, NULL },
		};

		for (size_t i = 0; i < ARRAY_SIZE(a); i++) {
			char path[128];

			m = boot_or_die(a[i].spec);
			KT_EQ(meminfo(m, "Hugepagesize:"), a[i].size);
			EXPECT_POOL(m, 2, 2, 0, 0);
			if (a[i].other) {
				snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/%s/nr_hugepages",
					 a[i].other);
				KT_EQ(readnum(m, path), 0);
			}
			t = mmsim_spawn(m, "arch");
			KT_EQ(mmsim_switch_to(t), 0);
			va = hmap((unsigned long)a[i].size << 10, MAP_PRIVATE);
			KT_ASSERT(!IS_ERR_VALUE(va));
			KT_ASSERT(fill(va, 8192, 0x3c) && holds(va, 8192, 0x3c));
			KT_ASSERT(holds(va + ((unsigned long)a[i].size << 10) - 4096, 4096, 0));
			KT_ASSERT(mm_is_valid(t->mm) && mm_mapcounts_are_valid(m));
			EXPECT_POOL(m, 2, 1, 0, 0);
			sys_exit_group(0);
			EXPECT_POOL(m, 2, 2, 0, 0);
			mmsim_shutdown(m);
		}
	}
	kt_end();
}

/* Alignment rules, mprotect, munmap of a piece, mremap, madvise. */
static void test_vma_rules(void)
{
	struct task_struct *t;
	struct mmsim *m = boot_spawn("ram=256M hugepages=4", &t);
	unsigned long va;
	char *s;

	kt_begin("vma_rules");
	va = hmap(4 * HP, MAP_PRIVATE);
	KT_ASSERT(!IS_ERR_VALUE(va));
	KT_EQ((long)sys_mmap(va + 4096, HP, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
			     MAP_FIXED, (unsigned long)-1, 0), -EINVAL);
	KT_EQ(sys_munmap(va + 4096, HP), -EINVAL);		/* splits off the huge size */
	KT_EQ(sys_mprotect(va + 4096, HP, PROT_READ), -EINVAL);
	KT_EQ((long)sys_mremap(va, 4 * HP, 8 * HP, MREMAP_MAYMOVE, 0), -EINVAL);
	KT_ASSERT(fill(va, 4 * HP, 9));
	/* mprotect read-only: a write is SIGSEGV-worthy, so test in a child */
	KT_EQ(sys_mprotect(va + HP, HP, PROT_READ), 0);
	KT_ASSERT(holds(va + HP, HP, 9));
	KT_EQ(sys_mprotect(va + HP, HP, PROT_READ | PROT_WRITE), 0);
	KT_ASSERT(fill(va + HP, HP, 8));
	KT_ASSERT(mm_is_valid(t->mm));
	/* smaps and status */
	{
		char path[64];

		snprintf(path, sizeof(path), "/proc/%d/status", t->pid);
		s = mmsim_read(m, path);
		KT_EQ(field(s, "HugetlbPages:"), 4 * 2048);
		free(s);
		snprintf(path, sizeof(path), "/proc/%d/smaps", t->pid);
		s = mmsim_read(m, path);
		KT_STR_CONTAINS(s, "KernelPageSize:     2048 kB\nMMUPageSize:        2048 kB\n");
		KT_STR_CONTAINS(s, "Private_Hugetlb:    2048 kB\n");	/* the mprotect split */
		KT_STR_CONTAINS(s, "/anon_hugepage (deleted)\n");
		if (kt_cur_failed)
			fprintf(stderr, "%s\n", s);
		KT_STR_CONTAINS(s, "Rss:                   0 kB\n");
		free(s);
	}
	/* mincore: every 4K of a faulted huge page is resident */
	{
		unsigned char vec[1024];

		KT_EQ(sys_mincore(va, 2 * HP, vec), 0);
		KT_EQ(vec[0] + vec[511] + vec[512] + vec[1023], 4);
	}
	/* munmap of one huge page in the middle */
	KT_EQ(sys_munmap(va + 2 * HP, HP), 0);
	EXPECT_POOL(m, 4, 1, 0, 0);
	KT_ASSERT(holds(va + 3 * HP, HP, 9));
	/* MADV_DONTNEED drops the page; the next touch gets a zeroed one */
	KT_EQ(sys_madvise(va + 3 * HP, HP, MADV_DONTNEED), 0);
	EXPECT_POOL(m, 4, 2, 0, 0);
	KT_ASSERT(holds(va + 3 * HP, HP, 0));
	EXPECT_POOL(m, 4, 1, 0, 0);
	/* mlock populates what is not faulted yet */
	KT_EQ(sys_munmap(va, 4 * HP), 0);
	va = hmap(2 * HP, MAP_PRIVATE);
	KT_EQ(sys_mlock(va, 2 * HP), 0);
	EXPECT_POOL(m, 4, 2, 0, 0);
	KT_ASSERT(mm_is_valid(t->mm) && mm_mapcounts_are_valid(m));
	kt_end();
	mmsim_shutdown(m);
}

/* GUP on a hugetlb page: the subpage, a pin on the folio. */
static void test_gup(void)
{
	struct task_struct *t;
	struct mmsim *m = boot_spawn("ram=256M hugepages=2", &t);
	unsigned long va = hmap(HP, MAP_PRIVATE);
	struct page *pages[2];
	struct page *head;

	kt_begin("gup");
	KT_EQ(mmsim_user_write(va + 5 * 4096, "pin", 3), 0);
	mmap_read_lock(t->mm);
	KT_EQ(pin_user_pages(va + 5 * 4096, 2, FOLL_WRITE, pages), 2);
	mmap_read_unlock(t->mm);
	head = compound_head(pages[0]);
	KT_ASSERT(PageHuge(pages[0]));
	KT_EQ(pages[0] - head, 5);
	KT_EQ(pages[1] - head, 6);
	KT_ASSERT(!memcmp(page_address(pages[0]), "pin", 3));
	KT_ASSERT(folio_maybe_dma_pinned((struct folio *)head));
	/* fork with the page pinned: the child gets its own copy at once */
	{
		long pid = sys_fork();
		struct task_struct *c = find_task_by_vpid((pid_t)pid);

		KT_ASSERT(c);
		EXPECT_POOL(m, 2, 0, 0, 0);
		KT_ASSERT(mm_mapcounts_are_valid(m));
		KT_EQ(mmsim_switch_to(c), 0);
		KT_ASSERT(holds(va + 5 * 4096 + 3, 100, 0));
		sys_exit_group(0);
		KT_EQ(mmsim_switch_to(t), 0);
		sys_wait4((pid_t)pid, NULL, 0, NULL);
	}
	/* one nr_foll_pin_acquired per page returned, one released per unpin */
	KT_EQ(node_page_state(NODE_DATA(0), NR_FOLL_PIN_ACQUIRED), 2);
	unpin_user_pages(pages, 2);
	KT_EQ(node_page_state(NODE_DATA(0), NR_FOLL_PIN_RELEASED), 2);
	KT_EQ(sys_munmap(va, HP), 0);
	EXPECT_POOL(m, 2, 2, 0, 0);
	kt_end();
	mmsim_shutdown(m);
}

/* SysV SHM_HUGETLB: reserved at shmget, shared by the attaches. */
static void test_shm_hugetlb(void)
{
	struct task_struct *t;
	struct mmsim *m = boot_spawn("ram=256M hugepages=4", &t);
	unsigned long a, b;
	long id;

	kt_begin("shm_hugetlb");
	id = sys_shmget(IPC_PRIVATE, 3 * HP, IPC_CREAT | SHM_HUGETLB | 0600);
	KT_ASSERT(id >= 0);
	EXPECT_POOL(m, 4, 4, 3, 0);
	KT_EQ(sys_shmget(IPC_PRIVATE, 2 * HP, IPC_CREAT | SHM_HUGETLB | 0600), -ENOMEM);
	a = sys_shmat((int)id, 0, 0);
	b = sys_shmat((int)id, 0, 0);
	KT_ASSERT(!IS_ERR_VALUE(a) && !IS_ERR_VALUE(b) && a != b);
	KT_EQ(a & (HP - 1), 0);
	KT_ASSERT(fill(a, 3 * HP, 0x77));
	KT_ASSERT(holds(b, 3 * HP, 0x77));
	EXPECT_POOL(m, 4, 1, 0, 0);
	KT_ASSERT(mm_mapcounts_are_valid(m));
	KT_EQ(sys_shmdt(a), 0);
	KT_EQ(sys_shmdt(b), 0);
	EXPECT_POOL(m, 4, 1, 0, 0);	/* the segment keeps its pages */
	KT_EQ(sys_shmctl((int)id, IPC_RMID, NULL), 0);
	EXPECT_POOL(m, 4, 4, 0, 0);
	/* SHM_NORESERVE: no reservation at shmget nor at shmat */
	id = sys_shmget(IPC_PRIVATE, 8 * HP, IPC_CREAT | SHM_HUGETLB | SHM_NORESERVE | 0600);
	KT_ASSERT(id >= 0);
	a = sys_shmat((int)id, 0, 0);
	KT_ASSERT(!IS_ERR_VALUE(a));
	EXPECT_POOL(m, 4, 4, 0, 0);
	KT_ASSERT(fill(a, HP, 1));
	EXPECT_POOL(m, 4, 3, 0, 0);
	KT_EQ(sys_shmdt(a), 0);
	KT_EQ(sys_shmctl((int)id, IPC_RMID, NULL), 0);
	EXPECT_POOL(m, 4, 4, 0, 0);
	kt_end();
	mmsim_shutdown(m);
}

/*
 * The TLB holds a huge entry after an access; mprotect and munmap must
 * flush it: a write after mprotect(PROT_READ) and a read after munmap
 * fault (the task dies of SIGSEGV) instead of using the stale entry.
 */
static void test_tlb_flush(void)
{
	struct task_struct *t;
	struct mmsim *m = boot_spawn("ram=256M hugepages=2", &t);
	unsigned long va = hmap(HP, MAP_PRIVATE);
	char c;

	kt_begin("tlb_flush");
	KT_EQ(mmsim_user_write(va + 100, "w", 1), 0);
	KT_EQ(mmsim_user_read(va + HP - 1, &c, 1), 0);	/* same entry */
	KT_EQ(sys_mprotect(va, HP, PROT_READ), 0);
	KT_EQ(mmsim_user_read(va + 100, &c, 1), 0);
	KT_EQ(c, 'w');
	KT_EQ(mmsim_user_write(va + 200, "x", 1), -EFAULT);
	KT_ASSERT(!current);
	KT_EQ(t->exit_code & 0x7f, SIGSEGV);
	t = mmsim_spawn(m, "huge2");
	KT_EQ(mmsim_switch_to(t), 0);
	va = hmap(HP, MAP_SHARED);
	KT_EQ(mmsim_user_write(va + 100, "w", 1), 0);
	KT_EQ(sys_munmap(va, HP), 0);
	EXPECT_POOL(m, 2, 2, 0, 0);
	KT_EQ(mmsim_user_read(va + 100, &c, 1), -EFAULT);
	KT_ASSERT(!current);
	kt_end();
	mmsim_shutdown(m);
}

/* show_mem's per-node lines. */
static void test_show_mem(void)
{
	struct mmsim *m = boot_or_die("ram=256M nodes=2 hugepages=0:1,1:2");
	size_t mark = log_mark(m);
	char *log;

	kt_begin("show_mem");
	EXPECT_POOL(m, 3, 3, 0, 0);
	KT_EQ(readnum(m, "/sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages"),
	      2);
	show_mem();
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "Node 0 hugepages_total=1 hugepages_free=1 hugepages_surp=0 hugepages_size=2048kB\n");
	KT_STR_CONTAINS(log, "Node 1 hugepages_total=2 hugepages_free=2 hugepages_surp=0 hugepages_size=2048kB\n");
	KT_STR_CONTAINS(log, "Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=1048576kB\n");
	free(log);
	/* a per-node write sizes that node only */
	setnum(m, "/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages", 3);
	EXPECT_POOL(m, 5, 5, 0, 0);
	kt_end();
	mmsim_shutdown(m);
}

/*
 * Randomized stress: processes map, touch, fork, unmap, mprotect and exit
 * while the pool is resized; every invariant checker after every step, and
 * at the end every page is back in the pool.
 */
#define NTASK 4
#define NMAP 6

struct smap {
	unsigned long va, len;
	unsigned char tag;
	bool live;
};

static void test_stress(void)
{
	struct mmsim *m = boot_or_die("ram=512M hugepages=24 seed=5");
	struct task_struct *tasks[NTASK] = { 0 };
	struct smap maps[NTASK][NMAP];
	unsigned int seed = 12345;

	kt_begin("stress");
	memset(maps, 0, sizeof(maps));
	setnum(m, "/proc/sys/vm/nr_overcommit_hugepages", 4);
	for (int step = 0; step < 400 && !kt_cur_failed; step++) {
		int ti = (int)(rand_r(&seed) % NTASK), op = (int)(rand_r(&seed) % 10);
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
		case 1:
			if (!sm->live) {
				unsigned long fl = (rand_r(&seed) & 1) ? MAP_SHARED : MAP_PRIVATE;

				if (!(rand_r(&seed) % 4))
					fl |= MAP_NORESERVE;
				sm->len = (1 + rand_r(&seed) % 3) * HP;
				sm->va = hmap(sm->len, fl);
				sm->live = !IS_ERR_VALUE(sm->va);
				sm->tag = 0;
			}
			break;
		case 2:
		case 3:
		case 4:
			if (sm->live) {
				unsigned char tag = (unsigned char)(1 + rand_r(&seed) % 250);

				/* a write may SIGBUS (NORESERVE, pool dry): the task dies */
				if (!fill(sm->va, sm->len, tag)) {
					KT_ASSERT(!current);
					break;
				}
				sm->tag = tag;
				KT_ASSERT(holds(sm->va, sm->len, tag));
			}
			break;
		case 5:
			if (sm->live) {
				sys_munmap(sm->va, sm->len);
				sm->live = false;
			}
			break;
		case 6: {
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
		case 7:
			if (sm->live)
				sys_mprotect(sm->va, sm->len,
					     (rand_r(&seed) & 1) ? PROT_READ : PROT_READ | PROT_WRITE);
			if (sm->live && sm->tag)
				KT_ASSERT(holds(sm->va, sm->len, sm->tag));
			break;
		case 8:
			setnum(m, "/proc/sys/vm/nr_hugepages", (long)(rand_r(&seed) % 32));
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
			fprintf(stderr, "stress: step %d op %d task %d\n", step, op, ti);
	}
	for (int k = 0; k < NTASK; k++)
		if (tasks[k] && !tasks[k]->exit_state && !mmsim_switch_to(tasks[k]))
			sys_exit_group(0);
	KT_EQ(meminfo(m, "HugePages_Rsvd:"), 0);
	KT_EQ(meminfo(m, "HugePages_Surp:"), 0);
	KT_EQ(meminfo(m, "HugePages_Free:"), meminfo(m, "HugePages_Total:"));
	KT_ASSERT(hugetlb_pool_is_valid());
	if (kt_cur_failed)
		log_tail(m);
	kt_end();
	mmsim_shutdown(m);
}

int main(void)
{
	test_pool_files();
	test_hugepage_mmap();
	test_reserve_and_sigbus();
	test_overcommit_surplus();
	test_fork_cow("ram=256M");
	test_fork_cow("arch=i386 ram=256M");
	test_fork_cow("arch=i386 ram=1G");	/* pages in highmem: kmap'ed zero and copy */
	test_fork_cow("arch=arm64 ram=256M");
	test_boot_params();
	test_vma_rules();
	test_gup();
	test_shm_hugetlb();
	test_tlb_flush();
	test_show_mem();
	test_stress();
	return kt_done();
}
