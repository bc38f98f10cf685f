// SPDX-License-Identifier: GPL-2.0
/*
 * mm/kasan/init.c - KASAN's boot words, its per-machine state and the
 * shadow mapping (Linux's mm/kasan/init.c, kasan_init() of the arch, and
 * the early_params of mm/kasan/hw_tags.c and report.c).
 *
 * Boot words: kasan=on|off (off by default: a departure, Linux enables a
 * built-in KASAN unless kasan=off, but mmsim's machines are mostly not
 * debugged and the shadow costs an eighth of RAM), kasan_multi_shot (every
 * bug reported, not only the first), kasan.fault=report|panic|panic_on_write.
 * Without CONFIG_KASAN kasan=on is refused by name, kasan=off accepted.
 *
 * Shadow.  kasan_init() (from mm_core_init(), after paging_init() and
 * before memblock_free_all(), as Linux's arch code calls it in
 * setup_arch) maps two anonymous host regions with MAP_NORESERVE, one
 * byte for each 8 bytes of the direct map (low RAM) and of the vmalloc
 * window's host face (arch/setup.c: l->vmalloc_host, vmalloc_host_size).
 * They start all zero (accessible) and the host backs a page of shadow
 * only once it is written.  The fixmap, pkmap and vmemmap parts of the
 * window and highmem pages have no shadow and are not checked.
 *
 * The region table.  The compiler's callbacks see only an address: the
 * table maps it to the machine whose shadow covers it.  Up to
 * KASAN_MAX_REGIONS slots {lo, hi, state}, two per kasan=on machine,
 * claimed with a compare-and-exchange at boot and cleared at shutdown (hi
 * first); kasan_range_lo/hi is the hull of all live slots, so an address
 * outside it (any host address while no machine has kasan=on) costs the
 * callback two compares.  Readers take no lock (the table's slots are
 * atomics); a machine is not shut down while code still touches its
 * memory, so a slot seen live stays valid for the access.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "mm/kasan/kasan.h"
#include "init/init.h"

DECLARE_SUBSYSTEM(kasan);

#ifdef CONFIG_KASAN

#define KASAN_MAX_REGIONS	64

struct kasan_region {
	atomic_uintptr_t lo, hi;		/* host range; hi == 0: free slot */
	_Atomic(struct kasan_state *) ks;
};

static struct kasan_region kasan_regions[KASAN_MAX_REGIONS];
atomic_uintptr_t kasan_range_lo = UINTPTR_MAX, kasan_range_hi;
static atomic_int kasan_nr_regions;		/* slots ever used: the scan's bound */

struct kasan_state *kasan_state_of(const void *addr)
{
	uintptr_t a = (uintptr_t)addr;
	int n = atomic_load_explicit(&kasan_nr_regions, memory_order_acquire);

	for (int i = 0; i < n; i++) {
		struct kasan_region *r = &kasan_regions[i];
		uintptr_t hi = atomic_load_explicit(&r->hi, memory_order_acquire);

		if (hi && a < hi && a >= atomic_load_explicit(&r->lo, memory_order_relaxed))
			return atomic_load_explicit(&r->ks, memory_order_relaxed);
	}
	return NULL;
}

struct kasan_state *kasan_current(void)
{
	struct mmsim *m = current_machine();
	struct kasan_state *ks;

	if (!m || !m->kasan)
		return NULL;
	ks = subsys_state(m, kasan);
	return ks->on ? ks : NULL;
}

static void recompute_hull(void)
{
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	int n = atomic_load(&kasan_nr_regions);

	for (int i = 0; i < n; i++) {
		uintptr_t h = atomic_load(&kasan_regions[i].hi);

		if (!h)
			continue;
		lo = min(lo, atomic_load(&kasan_regions[i].lo));
		hi = max(hi, h);
	}
	atomic_store(&kasan_range_lo, lo);
	atomic_store(&kasan_range_hi, hi);
}

static pthread_mutex_t kasan_regions_lock = PTHREAD_MUTEX_INITIALIZER;

static int register_region(struct kasan_state *ks, const void *lo, unsigned long size)
{
	int ret = -ENOSPC;

	pthread_mutex_lock(&kasan_regions_lock);
	for (int i = 0; i < KASAN_MAX_REGIONS; i++) {
		struct kasan_region *r = &kasan_regions[i];

		if (atomic_load(&r->hi))
			continue;
		atomic_store(&r->ks, ks);
		atomic_store(&r->lo, (uintptr_t)lo);
		atomic_store_explicit(&r->hi, (uintptr_t)lo + size, memory_order_release);
		if (i >= atomic_load(&kasan_nr_regions))
			atomic_store_explicit(&kasan_nr_regions, i + 1, memory_order_release);
		ret = 0;
		break;
	}
	recompute_hull();
	pthread_mutex_unlock(&kasan_regions_lock);
	return ret;
}

static void unregister_regions(struct kasan_state *ks)
{
	pthread_mutex_lock(&kasan_regions_lock);
	for (int i = 0; i < KASAN_MAX_REGIONS; i++)
		if (atomic_load(&kasan_regions[i].ks) == ks) {
			atomic_store(&kasan_regions[i].hi, 0);
			atomic_store(&kasan_regions[i].ks, NULL);
		}
	recompute_hull();
	pthread_mutex_unlock(&kasan_regions_lock);
}

static uint8_t *map_shadow(unsigned long covered)
{
	size_t size = PAGE_ALIGN(covered >> KASAN_SHADOW_SCALE_SHIFT);
	void *p;

	if (!size)
		return NULL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void unmap_shadow(uint8_t *shadow, unsigned long covered)
{
	if (shadow)
		munmap(shadow, PAGE_ALIGN(covered >> KASAN_SHADOW_SCALE_SHIFT));
}

/**
 * kasan_init - map the shadow of the current machine (kasan=on)
 *
 * Context: boot, from mm_core_init() before the buddy allocator gets its
 * pages and before the first cache exists.
 * Return: 0, or -ENOMEM with @err set.
 */
int kasan_init(struct mmsim *m, char *err, size_t len)
{
	struct kasan_state *ks = subsys_state(m, kasan);
	const struct mm_layout *l = &m->hw.layout;

	if (!ks->on)
		return 0;
	ks->m = m;
	spin_lock_init(&ks->report_lock);
	ks->dm_host = l->direct_map;
	ks->dm_size = l->direct_map_size & ~KASAN_GRANULE_MASK;
	ks->vm_host = l->vmalloc_host;
	ks->vm_size = l->vmalloc_host_size & ~KASAN_GRANULE_MASK;
	ks->dm_shadow = map_shadow(ks->dm_size);
	ks->vm_shadow = map_shadow(ks->vm_size);
	if ((ks->dm_size && !ks->dm_shadow) || (ks->vm_size && !ks->vm_shadow) ||
	    register_region(ks, ks->dm_host, ks->dm_size) ||
	    register_region(ks, ks->vm_host, ks->vm_size)) {
		kasan_exit(m);
		snprintf(err, len, "kasan: cannot map the shadow memory");
		return -ENOMEM;
	}
	kasan_quarantine_init(ks);
	m->kasan = true;
	pr_info("KernelAddressSanitizer initialized (generic)\n");
	return 0;
}

/* Shutdown: no more hooks; the shadow goes (the quarantine's objects go with RAM). */
void kasan_exit(struct mmsim *m)
{
	struct kasan_state *ks = subsys_state(m, kasan);

	m->kasan = false;
	unregister_regions(ks);
	unmap_shadow(ks->dm_shadow, ks->dm_size);
	unmap_shadow(ks->vm_shadow, ks->vm_size);
	ks->dm_shadow = ks->vm_shadow = NULL;
	ks->dm_size = ks->vm_size = 0;
	ks->q.head = ks->q.tail = NULL;
	ks->q.bytes = ks->q.objects = 0;
}

#else /* !CONFIG_KASAN */

int kasan_init(struct mmsim *m, char *err, size_t len)
{
	(void)m; (void)err; (void)len;
	return 0;
}

void kasan_exit(struct mmsim *m)
{
	(void)m;
}

/* Nothing but the boot words' answers. */
struct kasan_state {
	bool on;
};

#endif /* CONFIG_KASAN */

/* kasan=on|off */
static int early_kasan_flag(void *state, const struct kernel_param *kp, const char *word,
			    const char *val, char *err, size_t len)
{
	struct kasan_state *ks = state;

	(void)kp;
	if (!strcmp(val, "off")) {
		ks->on = false;
		return 0;
	}
	if (strcmp(val, "on")) {
		snprintf(err, len, "'%s': kasan takes on or off", word);
		return -EINVAL;
	}
#ifdef CONFIG_KASAN
	ks->on = true;
	return 0;
#else
	snprintf(err, len, "'%s': built without CONFIG_KASAN", word);
	return -EINVAL;
#endif
}

#ifdef CONFIG_KASAN
/* kasan_multi_shot (a bare word, Linux's __setup("kasan_multi_shot")) */
static int kasan_set_multi_shot(void *state, const struct kernel_param *kp, const char *word,
				const char *val, char *err, size_t len)
{
	(void)kp; (void)word; (void)val; (void)err; (void)len;
	((struct kasan_state *)state)->multi_shot = true;
	return 0;
}

/* kasan.fault=report|panic|panic_on_write */
static int early_kasan_fault(void *state, const struct kernel_param *kp, const char *word,
			     const char *val, char *err, size_t len)
{
	struct kasan_state *ks = state;

	(void)kp;
	if (!strcmp(val, "report"))
		ks->fault = KASAN_FAULT_REPORT;
	else if (!strcmp(val, "panic"))
		ks->fault = KASAN_FAULT_PANIC;
	else if (!strcmp(val, "panic_on_write"))
		ks->fault = KASAN_FAULT_PANIC_ON_WRITE;
	else {
		snprintf(err, len, "'%s': kasan.fault takes report, panic or panic_on_write", word);
		return -EINVAL;
	}
	return 0;
}
#endif

static const struct kernel_param kasan_params[] = {
	early_param("kasan", early_kasan_flag),
#ifdef CONFIG_KASAN
	{ .name = "kasan_multi_shot", .set = kasan_set_multi_shot, .flags = KP_BARE, .early = true },
	early_param("kasan.fault", early_kasan_fault),
#endif
};

DEFINE_SUBSYSTEM(kasan, SUBSYS_STATE(struct kasan_state, NULL), SUBSYS_PARAMS(kasan_params));
