// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_oops.c - misuse must never corrupt or kill: vfree() clears
 * the area's PTEs at once and the lazy purge (forced by vm_unmap_aliases())
 * puts the host range back to PROT_NONE, as Linux's purge flushes the TLB;
 * a touch of a guard page or of a freed and purged vmalloc range is
 * an oops in the machine's log that comes back to the recovery point
 * (mmsim_try) with the machine consistent and other machines untouched;
 * without a recovery point the process exits MMSIM_EXIT_OOPS, with
 * panic_on_oops MMSIM_EXIT_PANIC; with panic_on_oops and a recovery point
 * the machine halts and the thread comes back; a fault outside every
 * window stays the host's crash.
 *
 * Built with ASan, whose SEGV handler the library's replaces at boot
 * (CMakeLists.txt sets ASAN_OPTIONS=handle_segv=0 for this test so the
 * order does not matter).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <mmsim/vmalloc.h>
#include <mmsim/slab.h>
#include <mmsim/oops.h>
#include <mmsim/panic.h>
#include "mmtest.h"

static unsigned long free_pages_now(void)
{
	drain_all_pages(NULL);
	return nr_free_pages();
}

/* vfree of a 16-page area: PTEs clear at once, the host range PROT_NONE once purged. */
static void test_vfree_unmaps_at_once(void)
{
	struct mmsim *m = boot_or_die("ram=256M cpus=2");
	unsigned long free0;
	unsigned char *p;
	struct page *pages[2000];
	char prot[5];
	int n = 0;

	/* The vmalloc page tables stay once made (as in Linux): make them first. */
	vfree(vmalloc(16 * PAGE_SIZE));
	vm_unmap_aliases();
	free0 = free_pages_now();
	p = vmalloc(16 * PAGE_SIZE);
	KT_ASSERT(p);
	memset(p, 0x5a, 16 * PAGE_SIZE);
	host_prot(p, prot);
	KT_ASSERT(prot[0] == 'r' && prot[1] == 'w');
	vfree(p);
	for (int i = 0; i < 16; i++)
		KT_ASSERT(!vmalloc_to_page(p + i * PAGE_SIZE));
	vm_unmap_aliases();
	for (int i = 0; i < 16; i++) {
		host_prot(p + i * PAGE_SIZE, prot);
		KT_ASSERT(!strncmp(prot, "---", 3));
	}
	/* The freed pages go to new owners; the old range still reaches none. */
	for (n = 0; n < 2000; n++) {
		pages[n] = alloc_page(GFP_KERNEL);
		if (!pages[n])
			break;
		memset(page_address(pages[n]), 0x11, PAGE_SIZE);
	}
	KT_EQ(n, 2000);
	host_prot(p, prot);
	KT_ASSERT(!strncmp(prot, "---", 3));
	for (int i = 0; i < n; i++) {
		const unsigned char *b = page_address(pages[i]);

		KT_ASSERT(b[0] == 0x11 && b[PAGE_SIZE - 1] == 0x11);
		__free_page(pages[i]);
	}
	KT_ASSERT(vmap_area_is_valid());
	vm_unmap_aliases();
	KT_EQ(free_pages_now(), free0);
	mmsim_shutdown(m);
}

/* vunmap and vm_unmap_ram clear the PTEs at once and give the host range back by the purge. */
static void test_vunmap_unmaps_at_once(void)
{
	struct mmsim *m = boot_or_die("ram=256M cpus=2");
	struct page *pages[4];
	unsigned char *v, *r;
	char prot[5];

	for (int i = 0; i < 4; i++)
		pages[i] = alloc_page(GFP_KERNEL);
	v = vmap(pages, 4, VM_MAP, PAGE_KERNEL);
	r = vm_map_ram(pages, 4, NUMA_NO_NODE);
	KT_ASSERT(v && r);
	v[0] = 1;
	KT_EQ(r[0], 1);
	vunmap(v);
	vm_unmap_ram(r, 4);
	KT_ASSERT(!vmalloc_to_page(v) && !vmalloc_to_page(r));
	vm_unmap_aliases();
	host_prot(v, prot);
	KT_ASSERT(!strncmp(prot, "---", 3));
	host_prot(r + 3 * PAGE_SIZE, prot);
	KT_ASSERT(!strncmp(prot, "---", 3));
	KT_EQ(((unsigned char *)page_address(pages[0]))[0], 1);
	for (int i = 0; i < 4; i++)
		__free_page(pages[i]);
	mmsim_shutdown(m);
}

/* volatile: the compiler must make the access the test is about. */
void poke(volatile unsigned char *p, unsigned char v);
unsigned char peek(volatile const unsigned char *p);
bool misuse(struct mmsim *m, int how, unsigned long *kva, char **logp);

/* Not static: the oops names them (-rdynamic exports them). */
noinline void poke(volatile unsigned char *p, unsigned char v)
{
	*p = v;
}

noinline unsigned char peek(volatile const unsigned char *p)
{
	return *p;
}

/* The log text without the "[    0.000000] " stamps, so lines can be matched together. */
static char *strip_stamps(char *log)
{
	char *in = log, *out = log;

	while (*in) {
		if (*in == '[' && (in == log || in[-1] == '\n') && strchr(in, ']'))
			in = strchr(in, ']') + 2;
		while (*in && *in != '\n')
			*out++ = *in++;
		if (*in)
			*out++ = *in++;
	}
	*out = '\0';
	return log;
}

enum access { WRITE_GUARD, WRITE_AFTER_VFREE, READ_AFTER_VFREE };

/*
 * One misuse on machine @m: returns whether it came back to the recovery
 * point, with the log text it produced in *logp.
 */
noinline bool misuse(struct mmsim *m, int how, unsigned long *kva, char **logp)
{
	struct mmsim_recovery r;
	size_t mark = log_mark(m);
	unsigned char *volatile p = vmalloc(16 * PAGE_SIZE);
	volatile bool came_back = false;

	*kva = host_to_kva((const void *)p) + (how == WRITE_GUARD ? 16 * PAGE_SIZE : 5 * PAGE_SIZE + 8);
	if (how != WRITE_GUARD) {
		vfree((void *)p);
		vm_unmap_aliases();	/* the purge: the host range goes */
	}
	if (!mmsim_try(&r)) {
		if (how == WRITE_GUARD)
			poke(p + 16 * PAGE_SIZE, 1);		/* the guard page */
		else if (how == WRITE_AFTER_VFREE)
			poke(p + 5 * PAGE_SIZE + 8, 0x6b);
		else
			(void)peek(p + 5 * PAGE_SIZE + 8);
	} else {
		came_back = true;
		KT_ASSERT(r.machine == m);
		KT_EQ(r.address, *kva);
	}
	mmsim_try_end(&r);
	if (how == WRITE_GUARD)
		vfree((void *)p);
	*logp = strip_stamps(log_since(m, &mark));
	return came_back;
}

static void check_misuse(enum access how, const char *access)
{
	struct mmsim *m = boot_or_die("ram=256M cpus=2");
	struct mmsim *other = boot_or_die("ram=128M cpus=1");
	unsigned long free_m, free_other, kva;
	char want[128], *log, *kmsg;

	unsigned char *keep = vmalloc(PAGE_SIZE);	/* other's memory */

	memset(keep, 0x3c, PAGE_SIZE);
	free_other = free_pages_now();
	mmsim_enter(m, 0);
	vfree(vmalloc(16 * PAGE_SIZE));		/* the page tables, made once */
	vm_unmap_aliases();
	free_m = free_pages_now();

	KT_ASSERT(misuse(m, how, &kva, &log));
	snprintf(want, sizeof(want), "BUG: unable to handle page fault for address: %016lx\n", kva);
	KT_STR_CONTAINS(log, want);
	snprintf(want, sizeof(want), "#PF: supervisor %s access in kernel mode\n", access);
	KT_STR_CONTAINS(log, want);
	KT_STR_CONTAINS(log, !strcmp(access, "write") ? "#PF: error_code(0x0002) - not-present page\n"
						   : "#PF: error_code(0x0000) - not-present page\n");
	KT_STR_CONTAINS(log, !strcmp(access, "write") ? "Oops: 0002 [#1] PREEMPT SMP NOPTI\n"
						   : "Oops: 0000 [#1] PREEMPT SMP NOPTI\n");
	KT_STR_CONTAINS(log, "CPU: 0 PID: 1 Comm: mmsim Not tainted 6.8.0-mmsim #1\n");
	KT_STR_CONTAINS(log, "Hardware name: mmsim x86_64");
	KT_STR_CONTAINS(log, !strcmp(access, "write") ? "RIP: 0010:poke+" : "RIP: 0010:peek+");
	KT_STR_CONTAINS(log, "Call Trace:\n <TASK>\n");
	KT_STR_CONTAINS(log, " misuse+");
	KT_STR_CONTAINS(log, " </TASK>\nModules linked in:\n");
	snprintf(want, sizeof(want), "CR2: %016lx\n---[ end trace 0000000000000000 ]---\n", kva);
	KT_STR_CONTAINS(log, want);
	free(log);
	/* /dev/kmsg has it too, and the machine is tainted 'D'. */
	kmsg = mmsim_read(m, "/dev/kmsg");
	KT_STR_CONTAINS(kmsg, "BUG: unable to handle page fault for address:");
	free(kmsg);
	KT_ASSERT(atomic_load(&m->taint) & (1UL << TAINT_DIE));
	/* The machine goes on, consistent: a second oops is #2, counts are back. */
	KT_ASSERT(misuse(m, how, &kva, &log));
	KT_STR_CONTAINS(log, "[#2]");
	KT_STR_CONTAINS(log, "Tainted: G      D ");
	free(log);
	vm_unmap_aliases();
	KT_EQ(free_pages_now(), free_m);
	KT_ASSERT(vmap_area_is_valid());
	for (struct zone *z = NODE_DATA(0)->node_zones; z < NODE_DATA(0)->node_zones + MAX_NR_ZONES;
	     z++)
		KT_ASSERT(zone_is_valid(z));
	/* The other machine saw nothing. */
	mmsim_enter(other, 0);
	KT_EQ(atomic_load(&other->taint), 0);
	kmsg = mmsim_read(other, "/dev/kmsg");
	KT_ASSERT(kmsg && !strstr(kmsg, "unable to handle"));
	free(kmsg);
	KT_EQ(keep[PAGE_SIZE - 1], 0x3c);
	vfree(keep);
	KT_EQ(free_pages_now(), free_other + 1);	/* + keep's page */
	mmsim_shutdown(other);
	mmsim_shutdown(m);
}

static void test_oops_write_guard_page(void)
{
	check_misuse(WRITE_GUARD, "write");
}

static void test_oops_write_after_vfree(void)
{
	check_misuse(WRITE_AFTER_VFREE, "write");
}

static void test_oops_read_after_vfree(void)
{
	check_misuse(READ_AFTER_VFREE, "read");
}

/* arm64 words for the same misuse. */
static void test_oops_arm64(void)
{
	struct mmsim *m = boot_or_die("arch=arm64 ram=256M");
	unsigned long kva;
	char want[128], *log;

	KT_ASSERT(misuse(m, WRITE_AFTER_VFREE, &kva, &log));
	snprintf(want, sizeof(want),
		 "Unable to handle kernel paging request at virtual address %016lx\n", kva);
	KT_STR_CONTAINS(log, want);
	KT_STR_CONTAINS(log, "Mem abort info:\n  ESR = 0x0000000096000047\n"
			     "  EC = 0x25: DABT (current EL), IL = 32 bits\n");
	KT_STR_CONTAINS(log, "  FSC = 0x07: level 3 translation fault\n");
	KT_STR_CONTAINS(log, "  CM = 0, WnR = 1, TnD = 0, TagAccess = 0\n");
	KT_STR_CONTAINS(log, "Internal error: Oops: 0000000096000047 [#1] PREEMPT SMP\n");
	KT_STR_CONTAINS(log, "pc : poke+");
	KT_STR_CONTAINS(log, "Call trace:\n");
	free(log);
	mmsim_shutdown(m);
}

/* i386: 32-bit addresses, EIP without the code segment. */
static void test_oops_i386(void)
{
	struct mmsim *m = boot_or_die("arch=i386 ram=256M");
	unsigned long kva;
	char want[128], *log;

	KT_ASSERT(misuse(m, READ_AFTER_VFREE, &kva, &log));
	snprintf(want, sizeof(want), "BUG: unable to handle page fault for address: %08lx\n", kva);
	KT_STR_CONTAINS(log, want);
	KT_STR_CONTAINS(log, "#PF: supervisor read access in kernel mode\n");
	KT_STR_CONTAINS(log, "EIP: peek+");
	KT_STR_CONTAINS(log, "Hardware name: mmsim i386");
	free(log);
	mmsim_shutdown(m);
}

/*
 * panic_on_oops with a recovery point: the oops panics the machine, which
 * halts (kernel/panic.c), and the thread comes back to its recovery point;
 * the log stays readable, and a later oops logs no second panic.
 */
static void test_panic_on_oops_recovers(void)
{
	struct mmsim *m = boot_or_die("ram=128M oops=panic");
	unsigned long kva;
	char *log, *s;

	KT_ASSERT(misuse(m, WRITE_AFTER_VFREE, &kva, &log));
	KT_ASSERT(mmsim_halted(m));
	KT_STR_CONTAINS(log, "Oops: 0002 [#1] PREEMPT SMP NOPTI\n");
	KT_STR_CONTAINS(log, "---[ end trace 0000000000000000 ]---\n"
			     "Kernel panic - not syncing: Fatal exception\n"
			     "---[ end Kernel panic - not syncing: Fatal exception ]---\n");
	KT_ASSERT(!strstr(strstr(log, "Kernel panic"), "Call Trace:"));	/* the oops had it */
	free(log);
	s = mmsim_read(m, "/proc/meminfo");
	KT_ASSERT(s && strstr(s, "MemTotal:"));
	free(s);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/min_free_kbytes", "4096"), -EIO);
	KT_ASSERT(misuse(m, READ_AFTER_VFREE, &kva, &log));
	KT_STR_CONTAINS(log, "Oops: 0000 [#2]");
	KT_ASSERT(!strstr(log, "Kernel panic"));
	free(log);
	mmsim_shutdown(m);
}

/* Run @fn in a child; its exit status (or 128 + signal). */
static int in_child(void (*fn)(void))
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		fn();
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void child_no_recovery(void)
{
	struct mmsim *m = boot_or_die("ram=128M");
	unsigned char *p = vmalloc(PAGE_SIZE);

	(void)m;
	if (!freopen("/dev/null", "w", stderr))
		_exit(3);
	vfree(p);
	vm_unmap_aliases();
	poke(p, 1);
}

/* panic_on_oops with no recovery point: the faulting code cannot go on. */
static void child_panic_on_oops(void)
{
	struct mmsim *m = boot_or_die("ram=128M oops=panic");
	unsigned char *p = vmalloc(PAGE_SIZE);

	(void)m;
	if (!freopen("/dev/null", "w", stderr))
		_exit(3);
	vfree(p);
	vm_unmap_aliases();
	poke(p, 1);
	_exit(0);	/* not reached */
}

static void child_host_fault(void)
{
	struct mmsim *m = boot_or_die("ram=128M");
	struct mmsim_recovery r;
	void *host = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)m;
	if (!freopen("/dev/null", "w", stderr))
		_exit(3);
	if (!mmsim_try(&r))
		poke(host, 1);
	_exit(0);	/* not reached: not the machine's fault, not its recovery */
}

static void test_oops_exit_status(void)
{
	int st;

	KT_EQ(in_child(child_no_recovery), MMSIM_EXIT_OOPS);
	KT_EQ(in_child(child_panic_on_oops), MMSIM_EXIT_PANIC);
	/* The host's crash: the signal, or a sanitizer's own report and exit. */
	st = in_child(child_host_fault);
	KT_ASSERT(st == 128 + SIGSEGV || (st > 0 && st < 128 && st != MMSIM_EXIT_OOPS &&
					  st != MMSIM_EXIT_PANIC));
}

/* ---------------------------------------------------------------------
 * Checked frees: a pointer that is not the machine's frees nothing.
 */

struct counts {
	unsigned long free_pages;
};

static void counts_now(struct counts *c)
{
	c->free_pages = free_pages_now();
}

/* Boot, warm the caches the checks touch, and return the mark. */
static struct mmsim *bad_free_machine(size_t *mark, struct counts *c)
{
	struct mmsim *m = boot_or_die("ram=128M cpus=1");

	kfree(kmalloc(64, GFP_KERNEL));
	vfree(vmalloc(PAGE_SIZE));
	vm_unmap_aliases();
	counts_now(c);
	*mark = log_mark(m);
	return m;
}

static void check_bad_free_end(struct mmsim *m, size_t *mark, const struct counts *c0,
			       const char *want)
{
	struct counts c;
	char *log = strip_stamps(log_since(m, mark));

	KT_STR_CONTAINS(log, want);
	KT_ASSERT(!strstr(log, "0x7f") && !strstr(log, " 7f"));	/* no host addresses */
	free(log);
	counts_now(&c);
	KT_EQ(c.free_pages, c0->free_pages);
	for (struct zone *z = NODE_DATA(0)->node_zones; z < NODE_DATA(0)->node_zones + MAX_NR_ZONES;
	     z++)
		KT_ASSERT(zone_is_valid(z));
	mmsim_shutdown(m);
}

static void test_kfree_stack_and_malloc(void)
{
	struct counts c0;
	size_t mark;
	struct mmsim *m = bad_free_machine(&mark, &c0);
	char on_stack[64];
	void *host = malloc(64);

	kfree(on_stack);
	kfree(host);
	kvfree(host);
	free(host);
	check_bad_free_end(m, &mark, &c0,
			   "virt_to_phys used for non-linear address: (____ptrval____) ((____ptrval____))\n");
}

static void test_kfree_vmalloc_address(void)
{
	struct counts c0;
	size_t mark;
	struct mmsim *m = bad_free_machine(&mark, &c0);
	unsigned char *v = vmalloc(PAGE_SIZE);
	char want[128];

	snprintf(want, sizeof(want), "virt_to_phys used for non-linear address: %016lx (0x%016lx)\n",
		 host_to_kva(v), host_to_kva(v));
	kfree(v);
	memset(v, 1, PAGE_SIZE);	/* still ours: nothing was freed */
	vfree(v);
	check_bad_free_end(m, &mark, &c0, want);
}

static void test_kmem_cache_free_bogus(void)
{
	struct counts c0;
	size_t mark;
	struct mmsim *m = bad_free_machine(&mark, &c0);
	struct kmem_cache *s = kmem_cache_create("oops_test", 64, 0, 0, NULL);
	void *obj = kmem_cache_alloc(s, GFP_KERNEL);
	char on_stack[64];

	kmem_cache_free(s, on_stack);
	kmem_cache_free(s, obj);
	kmem_cache_destroy(s);
	check_bad_free_end(m, &mark, &c0, "virt_to_phys used for non-linear address:");
}

static void test_kfree_page_not_kmalloc(void)
{
	struct counts c0;
	size_t mark;
	struct mmsim *m = bad_free_machine(&mark, &c0);
	struct page *page = alloc_page(GFP_KERNEL);

	kfree(page_address(page));	/* an order-0 page from the buddy allocator */
	KT_EQ(page_count(page), 1);
	__free_page(page);
	check_bad_free_end(m, &mark, &c0, "object pointer: 0x");
}

static void test_free_pages_bogus(void)
{
	struct counts c0;
	size_t mark;
	struct mmsim *m = bad_free_machine(&mark, &c0);
	struct page fake[2];
	char on_stack[64];
	void *host = malloc(sizeof(struct page));

	memset(fake, 0, sizeof(fake));
	__free_pages(fake, 0);
	__free_pages(host, 1);
	__free_pages((struct page *)((char *)pfn_to_page(4096) + 8), 0);	/* misaligned */
	free_pages((unsigned long)on_stack, 0);
	free(host);
	check_bad_free_end(m, &mark, &c0, "BUG: Bad page state in process mmsim  pfn:");
}

static void test_free_pages_bogus_text(void)
{
	struct counts c0;
	size_t mark;
	struct mmsim *m = bad_free_machine(&mark, &c0);
	struct page fake;
	char *log;
	size_t mark2 = mark;

	__free_pages(&fake, 0);
	log = log_since(m, &mark2);
	KT_STR_CONTAINS(log, "page dumped because: not a struct page of this machine\n");
	KT_STR_CONTAINS(log, "page:(____ptrval____) order:0 (not in the memmap)\n");
	KT_STR_CONTAINS(log, "Modules linked in:\n");
	free(log);
	free_pages((unsigned long)&fake, 0);
	check_bad_free_end(m, &mark2, &c0, "kernel BUG at mm/page_alloc.c:");
	KT_ASSERT(true);
}

static void test_vfree_bogus(void)
{
	struct counts c0;
	size_t mark;
	struct mmsim *m = bad_free_machine(&mark, &c0);
	unsigned char *v = vmalloc(4 * PAGE_SIZE);
	char on_stack[64], want[128], *log;
	size_t mark2 = mark;

	vfree(on_stack + 1);
	log = strip_stamps(log_since(m, &mark2));
	KT_STR_CONTAINS(log, "Trying to vfree() bad address ((____ptrval____))\n");
	free(log);
	vfree(v + PAGE_SIZE);		/* inside the area: not its start */
	snprintf(want, sizeof(want), "Trying to vfree() nonexistent vm area (%016lx)\n",
		 host_to_kva(v + PAGE_SIZE));
	log = strip_stamps(log_since(m, &mark2));
	KT_STR_CONTAINS(log, want);
	free(log);
	memset(v, 2, 4 * PAGE_SIZE);	/* still mapped */
	kvfree(v);
	check_bad_free_end(m, &mark2, &c0, "");
}

int main(void)
{
	KT_RUN(test_vfree_unmaps_at_once);
	KT_RUN(test_vunmap_unmaps_at_once);
	KT_RUN(test_oops_write_guard_page);
	KT_RUN(test_oops_write_after_vfree);
	KT_RUN(test_oops_read_after_vfree);
	KT_RUN(test_oops_arm64);
	KT_RUN(test_oops_i386);
	KT_RUN(test_oops_exit_status);
	KT_RUN(test_panic_on_oops_recovers);
	KT_RUN(test_kfree_stack_and_malloc);
	KT_RUN(test_kfree_vmalloc_address);
	KT_RUN(test_kmem_cache_free_bogus);
	KT_RUN(test_kfree_page_not_kmalloc);
	KT_RUN(test_free_pages_bogus);
	KT_RUN(test_free_pages_bogus_text);
	KT_RUN(test_vfree_bogus);
	return kt_done();
}
