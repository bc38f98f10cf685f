// SPDX-License-Identifier: GPL-2.0
/*
 * mm/kasan/report.c - KASAN's reports, word for word as Linux 6.8's
 * mm/kasan/report.c and report_generic.c print them, into the machine's
 * kernel log:
 *
 *   ==================================================================
 *   BUG: KASAN: slab-out-of-bounds in kmalloc_oob_right+0x4c/0x1a0
 *   Write of size 1 at addr ffff888003a1e0f0 by task mmsim/1
 *   (a blank line)
 *   CPU: 0 PID: 1 Comm: mmsim Tainted: G    B  6.8.0-mmsim #1
 *   Hardware name: mmsim x86_64, BIOS mmsim 0.1
 *   Call Trace:
 *    <TASK>
 *    ...the host call stack, symbolized as mm/slub_debug.c does...
 *    </TASK>
 *   (a blank line)
 *   Allocated by task 1:
 *    ...
 *   (a blank line)
 *   The buggy address belongs to the object at ffff888003a1e080
 *    which belongs to the cache kmalloc-128 of size 128
 *   The buggy address is located 0 bytes to the right of
 *    allocated 112-byte region [ffff888003a1e080, ffff888003a1e0f0)
 *   (a blank line)
 *   The buggy address belongs to the physical page:
 *   ...dump_page()...
 *   (a blank line)
 *   Memory state around the buggy address:
 *    ffff888003a1df80: ...16 shadow bytes, one row per 128 bytes...
 *   >ffff888003a1e080: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 fc fc
 *                                                                ^
 *   ==================================================================
 *
 * Addresses are the machine's simulated kernel addresses (%px of the
 * direct map or vmalloc), never host ones; code addresses are symbol+off/
 * size or an offset into the host binary (format_symbol).
 *
 * Only the first report of a machine is printed unless kasan_multi_shot
 * (report_enabled); kasan_disable_current() silences this thread.  A
 * report taints the machine 'B'; kasan.fault=panic (panic_on_write for a
 * write) then panics it.  report_lock keeps two CPUs' reports apart.
 */
#define _GNU_SOURCE
#include <execinfo.h>
#include <stdio.h>
#include <string.h>
#include <mmsim/panic.h>
#include <mmsim/pgtable.h>
#include <mmsim/sched.h>
#include <mmsim/vmalloc.h>
#include "mm/kasan/kasan.h"
#include "mm/slab.h"

#ifdef CONFIG_KASAN

#define META_BYTES_PER_ROW	16
#define META_MEM_BYTES_PER_ROW	(META_BYTES_PER_ROW * KASAN_GRANULE_SIZE)
#define META_ROWS_AROUND_ADDR	2
#define REPORT_STACK_DEPTH	32

static _Thread_local int kasan_depth;	/* current->kasan_depth */

void kasan_disable_current(void)
{
	kasan_depth++;
}

void kasan_enable_current(void)
{
	kasan_depth--;
}

bool kasan_report_suppressed(void)
{
	return kasan_depth > 0;
}

bool kasan_save_enable_multi_shot(void)
{
	struct kasan_state *ks = kasan_current();
	bool was;

	if (!ks)
		return false;
	was = ks->multi_shot;
	ks->multi_shot = true;
	return was;
}

void kasan_restore_multi_shot(bool enabled)
{
	struct kasan_state *ks = kasan_current();

	if (ks)
		ks->multi_shot = enabled;
}

struct kasan_report_info {
	enum kasan_report_type type;
	const void *access_addr;	/* host address */
	const void *first_bad_addr;
	size_t access_size;
	bool is_write;
	unsigned long ip;
	const char *bug_type;
	struct kmem_cache *cache;	/* the object's cache, or NULL */
	void *object;
	size_t alloc_size;
};

/* The simulated kernel address of host @p (covered by @ks, or not). */
static unsigned long kasan_kaddr(struct kasan_state *ks, const void *p)
{
	const struct mm_layout *l = &ks->m->hw.layout;
	uintptr_t a = (uintptr_t)p;

	if (a - (uintptr_t)ks->dm_host < ks->dm_size)
		return l->page_offset + (a - (uintptr_t)ks->dm_host);
	if (a - (uintptr_t)ks->vm_host < ks->vm_size)
		return l->vmalloc_start + (a - (uintptr_t)ks->vm_host);
	return host_to_kva(p) ? host_to_kva(p) : a;	/* NULL's page prints as itself */
}

static int kaddr_width(struct kasan_state *ks)
{
	return ks->m->hw.layout.is_64bit ? 16 : 8;
}

static bool report_enabled(struct kasan_state *ks)
{
	if (ks->multi_shot)
		return true;
	return !atomic_exchange(&ks->reported, true);
}

static void print_stack(const unsigned long *stack, unsigned int nr)
{
	char sym[256];

	for (unsigned int i = 0; i < nr; i++) {
		format_symbol(stack[i], sym, sizeof(sym));
		pr_err(" %s\n", sym);
	}
}

/* dump_stack_lvl(KERN_ERR): who we are, then the host call stack from the access on. */
static void dump_stack_lvl(struct kasan_state *ks)
{
	void *frames[REPORT_STACK_DEPTH];
	unsigned long stack[REPORT_STACK_DEPTH];
	int nr = backtrace(frames, REPORT_STACK_DEPTH);
	struct mmsim *m = ks->m;
	char taint[64];

	print_tainted(taint, sizeof(taint));
	if (current)
		pr_err("CPU: %d PID: %d Comm: %.15s %s 6.8.0-mmsim #1\n", smp_processor_id(),
		       current->pid, current->comm, taint);
	else
		pr_err("CPU: %d PID: %d Comm: %s %s 6.8.0-mmsim #1\n", smp_processor_id(), m->pid,
		       m->comm, taint);
	pr_err("Hardware name: mmsim %s, BIOS mmsim 0.1\n", m->hw.layout.arch_name);
	pr_err("Call Trace:\n");
	pr_err(" <TASK>\n");
	/* Frame 0 is this function; return addresses print as %pS prints them. */
	for (int i = 1; i < nr; i++)
		stack[i - 1] = (unsigned long)frames[i];
	print_stack(stack, nr > 1 ? (unsigned int)nr - 1 : 0);
	pr_err(" </TASK>\n");
}

static void print_track(const struct kasan_track *t, const char *prefix)
{
	pr_err("%s by task %u:\n", prefix, (unsigned int)t->pid);
	if (t->nr_entries)
		print_stack(t->stack, t->nr_entries);
	else
		pr_err("(stack is not available)\n");
}

static const char *shadow_bug_type(struct kasan_state *ks, const void *first_bad)
{
	uint8_t *s = kasan_shadow(ks, first_bad);

	if (!s)
		return "unknown-crash";
	/* A partial granule: the next one says what lies beyond. */
	if (*s > 0 && *s <= KASAN_GRANULE_SIZE - 1 &&
	    kasan_shadow(ks, (const char *)first_bad + KASAN_GRANULE_SIZE))
		s++;
	switch (*s) {
	case 0 ... KASAN_GRANULE_SIZE - 1:
		return "out-of-bounds";
	case KASAN_PAGE_REDZONE:
	case KASAN_SLAB_REDZONE:
		return "slab-out-of-bounds";
	case KASAN_GLOBAL_REDZONE:
		return "global-out-of-bounds";
	case KASAN_STACK_LEFT:
	case KASAN_STACK_MID:
	case KASAN_STACK_RIGHT:
	case KASAN_STACK_PARTIAL:
		return "stack-out-of-bounds";
	case KASAN_PAGE_FREE:
		return "use-after-free";
	case KASAN_SLAB_FREE:
	case KASAN_SLAB_FREETRACK:
		return "slab-use-after-free";
	case KASAN_ALLOCA_LEFT:
	case KASAN_ALLOCA_RIGHT:
		return "alloca-out-of-bounds";
	case KASAN_VMALLOC_INVALID:
		return "vmalloc-out-of-bounds";
	}
	return "unknown-crash";
}

static const char *get_bug_type(struct kasan_state *ks, struct kasan_report_info *info)
{
	uintptr_t a = (uintptr_t)info->access_addr;

	if (a + info->access_size < a)
		return "out-of-bounds";
	if (kasan_shadow(ks, info->access_addr))
		return shadow_bug_type(ks, info->first_bad_addr);
	if (a < PAGE_SIZE)
		return "null-ptr-deref";
	return "wild-memory-access";
}

/* The accessible bytes of @object, from its shadow (kasan_get_alloc_size). */
static size_t get_alloc_size(struct kasan_state *ks, struct kmem_cache *s, const void *object)
{
	const uint8_t *sh = kasan_shadow(ks, object);
	size_t size = 0;

	if (!sh)
		return 0;
	while (size < s->object_size) {
		if (*sh == 0)
			size += KASAN_GRANULE_SIZE;
		else if (*sh <= KASAN_GRANULE_SIZE - 1)
			return size + *sh;
		else
			return size;
		sh++;
	}
	return s->object_size;
}

/* The direct-map page under @p, or NULL. */
static struct page *addr_to_page(struct kasan_state *ks, const void *p)
{
	if ((uintptr_t)p - (uintptr_t)ks->dm_host >= ks->dm_size)
		return NULL;
	if (!pfn_valid(PFN_DOWN(__pa(p))))
		return NULL;
	return virt_to_page(p);
}

static void complete_report_info(struct kasan_state *ks, struct kasan_report_info *info)
{
	struct page *page;

	if (info->type == KASAN_REPORT_ACCESS && kasan_shadow(ks, info->access_addr))
		info->first_bad_addr = kasan_first_bad_addr(ks, info->access_addr,
							    info->access_size);
	else
		info->first_bad_addr = info->access_addr;
	page = addr_to_page(ks, info->access_addr);
	if (page) {
		page = compound_head(page);
		if (PageSlab(page)) {
			struct slab *slab = (struct slab *)page;

			info->cache = slab->slab_cache;
			info->object = kasan_nearest_obj(info->cache, slab, info->access_addr);
			info->alloc_size = get_alloc_size(ks, info->cache, info->object);
			if (!info->alloc_size)
				info->alloc_size = info->cache->object_size;
		}
	}
	if (info->type == KASAN_REPORT_INVALID_FREE)
		info->bug_type = "invalid-free";
	else if (info->type == KASAN_REPORT_DOUBLE_FREE)
		info->bug_type = "double-free";
	else
		info->bug_type = get_bug_type(ks, info);
}

static void print_error_description(struct kasan_state *ks, struct kasan_report_info *info)
{
	const char *comm = current ? current->comm : ks->m->comm;
	int pid = current ? current->pid : ks->m->pid;
	int w = kaddr_width(ks);
	char sym[256];

	format_symbol(info->ip, sym, sizeof(sym));
	pr_err("BUG: KASAN: %s in %s\n", info->bug_type, sym);
	if (info->type != KASAN_REPORT_ACCESS) {
		pr_err("Free of addr %0*lx by task %.15s/%d\n", w,
		       kasan_kaddr(ks, info->access_addr), comm, pid);
		return;
	}
	if (info->access_size)
		pr_err("%s of size %zu at addr %0*lx by task %.15s/%d\n",
		       info->is_write ? "Write" : "Read", info->access_size, w,
		       kasan_kaddr(ks, info->access_addr), comm, pid);
	else
		pr_err("%s at addr %0*lx by task %.15s/%d\n", info->is_write ? "Write" : "Read", w,
		       kasan_kaddr(ks, info->access_addr), comm, pid);
}

static void describe_object(struct kasan_state *ks, const void *addr,
			    struct kasan_report_info *info)
{
	struct kasan_alloc_meta *am = kasan_get_alloc_meta(info->cache, info->object);
	struct kasan_free_meta *fm = kasan_get_free_meta(info->cache, info->object);
	uint8_t *sh = kasan_shadow(ks, info->object);
	unsigned long access = (unsigned long)addr, object = (unsigned long)info->object;
	const char *rel_type, *region_state = "";
	unsigned long rel_bytes, okva = kasan_kaddr(ks, info->object);
	int w = kaddr_width(ks);

	if (am && am->alloc_track.nr_entries) {
		print_track(&am->alloc_track, "Allocated");
		pr_err("\n");
	}
	if (fm && sh && *sh == KASAN_SLAB_FREETRACK) {
		print_track(&fm->free_track, "Freed");
		pr_err("\n");
	}
	pr_err("The buggy address belongs to the object at %0*lx\n"
	       " which belongs to the cache %s of size %u\n", w, okva, info->cache->name,
	       info->cache->object_size);
	if (access < object) {
		rel_type = "to the left";
		rel_bytes = object - access;
	} else if (access >= object + info->alloc_size) {
		rel_type = "to the right";
		rel_bytes = access - (object + info->alloc_size);
	} else {
		rel_type = "inside";
		rel_bytes = access - object;
	}
	if (!strcmp(info->bug_type, "slab-out-of-bounds"))
		region_state = "allocated ";
	else if (!strcmp(info->bug_type, "slab-use-after-free"))
		region_state = "freed ";
	pr_err("The buggy address is located %d bytes %s of\n"
	       " %s%zu-byte region [%0*lx, %0*lx)\n", (int)rel_bytes, rel_type, region_state,
	       info->alloc_size, w, okva, w, okva + info->alloc_size);
}

static void print_address_description(struct kasan_state *ks, const void *addr,
				      struct kasan_report_info *info)
{
	struct page *page = addr_to_page(ks, addr);
	int w = kaddr_width(ks);

	dump_stack_lvl(ks);
	pr_err("\n");
	if (info->cache && info->object) {
		describe_object(ks, addr, info);
		pr_err("\n");
	}
	if (is_vmalloc_addr(addr)) {
		struct vm_struct *va = find_vm_area(addr);

		if (va) {
			char sym[256];

			format_symbol((unsigned long)va->caller, sym, sizeof(sym));
			pr_err("The buggy address belongs to the virtual mapping at\n"
			       " [%0*lx, %0*lx) created by:\n"
			       " %s\n", w, kasan_kaddr(ks, va->addr), w,
			       kasan_kaddr(ks, va->addr) + va->size, sym);
			pr_err("\n");
			page = vmalloc_to_page(addr);
		}
	}
	if (page) {
		pr_err("The buggy address belongs to the physical page:\n");
		dump_page(page, "kasan: bad access detected");
		pr_err("\n");
	}
}

static void print_memory_metadata(struct kasan_state *ks, const void *addr)
{
	uintptr_t row = ((uintptr_t)addr & ~(uintptr_t)(META_MEM_BYTES_PER_ROW - 1)) -
			META_ROWS_AROUND_ADDR * META_MEM_BYTES_PER_ROW;
	int w = kaddr_width(ks);

	pr_err("Memory state around the buggy address:\n");
	for (int i = -META_ROWS_AROUND_ADDR; i <= META_ROWS_AROUND_ADDR;
	     i++, row += META_MEM_BYTES_PER_ROW) {
		const uint8_t *sh = kasan_shadow(ks, (const void *)row);
		const uint8_t *she = kasan_shadow(ks, (const void *)(row + META_MEM_BYTES_PER_ROW - 1));
		char line[3 * META_BYTES_PER_ROW + 1];
		int n = 0;

		if (!sh || !she)
			continue;	/* past the covered range: no shadow to show */
		for (int j = 0; j < META_BYTES_PER_ROW; j++)
			n += snprintf(line + n, sizeof(line) - (size_t)n, j ? " %02x" : "%02x", sh[j]);
		pr_err("%c%0*lx: %s\n", i == 0 ? '>' : ' ', w, kasan_kaddr(ks, (const void *)row),
		       line);
		if ((uintptr_t)addr >= row && (uintptr_t)addr < row + META_MEM_BYTES_PER_ROW)
			pr_err("%*c\n", 3 + w + (int)(((uintptr_t)addr - row) / KASAN_GRANULE_SIZE) * 3 + 1,
			       '^');
	}
}

static void print_report(struct kasan_state *ks, struct kasan_report_info *info)
{
	const void *addr = info->access_addr;

	print_error_description(ks, info);
	pr_err("\n");
	if (kasan_shadow(ks, addr)) {
		print_address_description(ks, addr, info);
		print_memory_metadata(ks, info->first_bad_addr);
	} else {
		dump_stack_lvl(ks);
	}
}

static void end_report(struct kasan_state *ks, bool is_write)
{
	pr_err("==================================================================\n");
	add_taint(TAINT_BAD_PAGE);
	spin_unlock(&ks->report_lock);
	switch (ks->fault) {
	case KASAN_FAULT_REPORT:
		break;
	case KASAN_FAULT_PANIC:
		panic("kasan.fault=panic set ...\n");
		break;
	case KASAN_FAULT_PANIC_ON_WRITE:
		if (is_write)
			panic("kasan.fault=panic_on_write set ...\n");
		break;
	}
}

/* May this thread report on @ks's machine now? */
static bool report_allowed(struct kasan_state *ks)
{
	return !kasan_report_suppressed() && current_machine() == ks->m && report_enabled(ks);
}

/**
 * kasan_report - print the report of a bad access
 * Return: true when it was printed, false when suppressed (not the first
 * report without kasan_multi_shot, kasan_disable_current(), or a thread
 * that is not on the machine's CPU: it has no log to print to).
 */
bool kasan_report(struct kasan_state *ks, const void *addr, size_t size, bool is_write,
		  unsigned long ip)
{
	struct kasan_report_info info = {
		.type = KASAN_REPORT_ACCESS,
		.access_addr = addr,
		.access_size = size,
		.is_write = is_write,
		.ip = ip,
	};

	if (!report_allowed(ks))
		return false;
	kasan_disable_current();
	spin_lock(&ks->report_lock);
	pr_err("==================================================================\n");
	complete_report_info(ks, &info);
	print_report(ks, &info);
	end_report(ks, is_write);
	kasan_enable_current();
	return true;
}

void kasan_report_invalid_free(struct kasan_state *ks, const void *ptr, unsigned long ip,
			       enum kasan_report_type type)
{
	struct kasan_report_info info = {
		.type = type,
		.access_addr = ptr,
		.ip = ip,
	};

	if (!report_allowed(ks))
		return;
	kasan_disable_current();
	spin_lock(&ks->report_lock);
	pr_err("==================================================================\n");
	complete_report_info(ks, &info);
	print_report(ks, &info);
	end_report(ks, true);
	kasan_enable_current();
}

#endif /* CONFIG_KASAN */
