// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_mmap_stress.c - a randomized run of the mmap family on one
 * CPU: mmap (private/shared, fixed/hinted, various rights), munmap,
 * mprotect, mremap (resize, move, fixed, dontunmap), madvise, mlock,
 * brk, touches, fork and exit of children, with the whole address space
 * checked after every step (the tree against map_count and the VM
 * counters, mm_is_valid, the mapcounts of every live process, the
 * overcommit charge against the VM_ACCOUNT VMAs) and, at the end, every
 * page back in the buddy allocator.  Deterministic (a fixed seed).
 */
#include "vma_test.h"
#include <mmsim/swap.h>

#define B	0x10000000UL
#define SPAN	256		/* pages of the playground */
#define P(n)	((unsigned long)(n) * PAGE_SIZE)

static unsigned long long rng = 0x9e3779b97f4a7c15ULL;

static unsigned int rnd(unsigned int n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned int)(rng % n);
}

static unsigned long rand_addr(void)
{
	return B + P(rnd(SPAN));
}

static unsigned long rand_len(void)
{
	return P(1 + rnd(rnd(4) ? 8 : 40));
}

static unsigned long rand_prot(void)
{
	static const unsigned long prots[] = { PROT_NONE, PROT_READ, RW, RW, RW,
					       PROT_READ | PROT_EXEC };

	return prots[rnd(6)];
}

static unsigned long committed_total(void)
{
	return vt_committed_expected();
}

static int last_op;
static unsigned long last_a, last_len;

static void step(int i)
{
	unsigned long a = rand_addr(), len = rand_len();
	unsigned char v = (unsigned char)i;
	int op = (int)rnd(16);

	last_op = op;
	last_a = a;
	last_len = len;
	switch (op) {
	case 0:
	case 1:
		(void)vt_mmap(a, len, rand_prot(), (rnd(5) ? PRIV : MAP_SHARED) |
			      (rnd(2) ? MAP_FIXED : 0) | (rnd(8) ? 0 : MAP_POPULATE));
		break;
	case 2:
		(void)sys_munmap(a, len);
		break;
	case 3:
	case 4:
		(void)sys_mprotect(a, len, rand_prot());
		break;
	case 5:
		(void)sys_mremap(a, len, rand_len(), rnd(2) ? MREMAP_MAYMOVE : 0, 0);
		break;
	case 6:
		(void)sys_mremap(a, len, len, MREMAP_MAYMOVE | MREMAP_FIXED |
				 (rnd(3) ? 0 : MREMAP_DONTUNMAP), rand_addr());
		break;
	case 7: {
		static const int adv[] = { MADV_DONTNEED, MADV_FREE, MADV_DONTFORK, MADV_DOFORK,
					   MADV_WIPEONFORK, MADV_KEEPONFORK, MADV_RANDOM,
					   MADV_NORMAL, MADV_POPULATE_READ, MADV_POPULATE_WRITE };

		(void)sys_madvise(a, len, adv[rnd(10)]);
		break;
	}
	case 8:
		if (rnd(2))
			(void)sys_mlock2(a, len, rnd(2) ? MLOCK_ONFAULT : 0);
		else
			(void)sys_munlock(a, len);
		break;
	case 9:
		(void)sys_brk(vt_mm()->start_brk + P(rnd(16)));
		break;
	case 10: {
		struct vm_area_struct *vma;

		/* touch inside a mapping the way the program may */
		mmap_read_lock(vt_mm());
		vma = find_vma(vt_mm(), a);
		if (vma && !(vma->vm_flags & VM_WRITE))
			vma = NULL;
		if (vma)
			a = vma->vm_start + P(rnd((unsigned int)vma_pages(vma)));
		mmap_read_unlock(vt_mm());
		if (vma)
			KT_EQ(mmsim_user_write(a, &v, 1), 0);
		break;
	}
	default: {
		struct vm_area_struct *vma;

		mmap_read_lock(vt_mm());
		vma = find_vma(vt_mm(), a);
		if (vma && !(vma->vm_flags & VM_READ))
			vma = NULL;
		if (vma)
			a = vma->vm_start + P(rnd((unsigned int)vma_pages(vma)));
		mmap_read_unlock(vt_mm());
		if (vma)
			KT_EQ(mmsim_user_read(a, &v, 1), 0);
		break;
	}
	}
}

static unsigned long free_pages_now(void)
{
	drain_all_pages(NULL);
	return global_zone_page_state(NR_FREE_PAGES);
}

static void test_stress(void)
{
	struct task_struct *parent, *child;
	unsigned long free0, slab0;
	unsigned long pt0;
	int i, st;

	/* A holder task is running at both measures: no exited mm is left
	 * loaded lazily on the CPU then. */
	struct task_struct *holder = vt_spawn("holder");
	unsigned long z = vt_mmap(0, PAGE_SIZE, PROT_READ, PRIV);

	KT_EQ(vt_read(z), 0);	/* the shared zero page exists from now on */

	free0 = free_pages_now();
	pt0 = global_node_page_state(NR_PAGETABLE);
	slab0 = global_node_page_state(NR_SLAB_UNRECLAIMABLE_B) +
		global_node_page_state(NR_SLAB_RECLAIMABLE_B);
	parent = vt_spawn("stress");
	for (i = 0; i < 3000; i++) {
		step(i);
		if (i % 250 == 249) {
			/* a child runs a while, then exits; the parent reaps it */
			long pid = sys_fork();

			KT_ASSERT(pid > 0);
			child = find_task_by_vpid((pid_t)pid);
			KT_EQ(mmsim_switch_to(child), 0);
			for (int j = 0; j < 100; j++) {
				step(i * 1000 + j);
				if (!vt_valid()) {
					printf("    invalid in the child after step %d.%d\n", i, j);
					break;
				}
			}
			sys_exit_group(0);
			KT_EQ(mmsim_switch_to(parent), 0);
			KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);
		}
		if (getenv("STRESS_DEBUG")) {
			size_t mark = 0;
			char *log = log_since(vt_m, &mark);

			if (strstr(log, "Bad page")) {
				printf("    bad page after step %d op %d at %#lx len %#lx\n", i, last_op,
				       last_a, last_len);
				free(log);
				break;
			}
			free(log);
		}
		if (!vt_valid() || !lru_all_valid() || vm_memory_committed() != committed_total()) {
			size_t mark = 0;
			char *log = log_since(vt_m, &mark);

			printf("    invalid after step %d op %d at %#lx len %#lx (committed %lu, accounted %lu)\n",
			       i, last_op, last_a, last_len, vm_memory_committed(), committed_total());
			printf("%s", log ? log + (strlen(log) > 3000 ? strlen(log) - 3000 : 0) : "");
			free(log);
			KT_ASSERT(0);
			break;
		}
	}
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(holder), 0);
	KT_EQ(vm_memory_committed(), vt_committed_expected());
	KT_EQ(global_zone_page_state(NR_MLOCK), 0);
	/* every page is back: free, or in a slab cache (VMAs, anon_vmas) */
	KT_EQ(free_pages_now() * PAGE_SIZE + global_node_page_state(NR_SLAB_UNRECLAIMABLE_B) +
	      global_node_page_state(NR_SLAB_RECLAIMABLE_B) - slab0, free0 * PAGE_SIZE);
	KT_EQ(global_node_page_state(NR_PAGETABLE), pt0);
	KT_EQ(global_node_page_state(NR_ANON_MAPPED), 0);
	/* ... and off the LRU lists */
	KT_ASSERT(lru_all_valid());
	KT_EQ(global_node_page_state(NR_INACTIVE_ANON) + global_node_page_state(NR_ACTIVE_ANON) +
	      global_node_page_state(NR_UNEVICTABLE), 0);
	sys_exit_group(0);
}

static void run(const char *spec)
{
	vt_boot(spec);
	KT_RUN(test_stress);
	vt_exit();
}

int main(void)
{
	run("arch=x86_64 ram=64M cpus=2");
	run("arch=i386-pae ram=64M cpus=2");
	run("arch=arm64 page_size=64K ram=256M cpus=2");
	return kt_done();
}
