// SPDX-License-Identifier: GPL-2.0
/*
 * mm/kmsan/init.c - turning KMSAN on: the boot word kmsan=on|off and the
 * metadata mapped at boot (Linux's mm/kmsan/init.c, kmsan_init_shadow()
 * and kmsan_init_runtime()).
 *
 * Departure: Linux's KMSAN is a build choice (CONFIG_KMSAN, clang's
 * -fsanitize=kernel-memory) and always on in such a kernel; mmsim builds
 * it in (CONFIG_KMSAN, on unless -DMMSIM_DEBUG_TOOLS=OFF) and turns it on
 * per machine with kmsan=on.  Without CONFIG_KMSAN, kmsan=on is refused by
 * name; kmsan=off is accepted either way.
 *
 * kmsan_init_shadow() runs in mm_core_init() before memblock_free_all(),
 * as Linux's runs before mem_init(): from then on every page the buddy
 * allocator gets and hands out has metadata, and the slab caches created
 * after (all of them) take the hooked paths (s->hooks).  Memory used
 * before (memblock allocations: the memmap, page tables) has shadow 0:
 * initialised.  The metadata is two host arrays the size of RAM each
 * (shadow: a byte per byte; origins: a 4-byte handle per 4 bytes), mapped
 * MAP_NORESERVE: the host backs only the pages that were touched.
 *
 * State: struct kmsan_state, the subsystem's per-machine state;
 * m->kmsan points at it once on (the hooks test that pointer).  It is
 * released with the machine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "mm/kmsan/kmsan.h"
#include "init/init.h"

#ifdef CONFIG_KMSAN
#define KMSAN_STATE_SIZE	sizeof(struct kmsan_state)
#else
struct kmsan_state {
	bool on;
};
#define KMSAN_STATE_SIZE	sizeof(struct kmsan_state)
#endif

DECLARE_SUBSYSTEM(kmsan);

static int early_kmsan_param(void *state, const struct kernel_param *kp, const char *word,
			     const char *val, char *err, size_t len)
{
	struct kmsan_state *st = state;

	(void)kp;
	if (!strcmp(val, "off")) {
		st->on = false;
		return 0;
	}
	if (strcmp(val, "on")) {
		snprintf(err, len, "'%s': kmsan takes on or off", word);
		return -EINVAL;
	}
#ifdef CONFIG_KMSAN
	st->on = true;
	return 0;
#else
	snprintf(err, len, "'%s': built without CONFIG_KMSAN", word);
	return -EINVAL;
#endif
}

static const struct kernel_param kmsan_params[] = {
	early_param("kmsan", early_kmsan_param),
};

#ifdef CONFIG_KMSAN
/**
 * kmsan_init_shadow - map the metadata of machine @m's RAM, if kmsan=on
 * @m: the booting machine, memblock set up, the buddy allocator not yet
 * @err: a one-line message on failure
 * @len: its size
 *
 * Return: 0, or -ENOMEM when the host refuses the mappings.
 */
int kmsan_init_shadow(struct mmsim *m, char *err, size_t len)
{
	struct kmsan_state *st = subsys_state(m, kmsan);
	const struct mm_layout *l = &m->hw.layout;

	if (!st->on)
		return 0;
	st->base_pfn = PHYS_PFN(l->phys_offset);
	st->nr_pfns = l->max_pfn - st->base_pfn;
	st->bytes = (size_t)st->nr_pfns << l->page_shift;
	st->shadow = mmap(NULL, st->bytes, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	st->origin = mmap(NULL, st->bytes, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (st->shadow == MAP_FAILED || st->origin == MAP_FAILED || kmsan_depot_init(st)) {
		snprintf(err, len, "kmsan: cannot map %zu bytes of metadata", 2 * st->bytes);
		return -ENOMEM;
	}
	pthread_mutex_init(&st->report_lock, NULL);
	m->kmsan = st;
	pr_info("Starting KernelMemorySanitizer\n");
	pr_warn("ATTENTION: KMSAN is a debugging tool! Do not use it on production machines!\n");
	return 0;
}

static void kmsan_state_release(void *state)
{
	struct kmsan_state *st = state;

	if (st->shadow && st->shadow != MAP_FAILED)
		munmap(st->shadow, st->bytes);
	if (st->origin && st->origin != MAP_FAILED)
		munmap(st->origin, st->bytes);
	st->shadow = NULL;
	st->origin = NULL;
	if (st->buckets) {
		kmsan_depot_exit(st);
		pthread_mutex_destroy(&st->report_lock);
	}
}
#else
int kmsan_init_shadow(struct mmsim *m, char *err, size_t len)
{
	(void)m;
	(void)err;
	(void)len;
	return 0;
}
#define kmsan_state_release NULL
#endif /* CONFIG_KMSAN */

DEFINE_SUBSYSTEM(kmsan, .state_size = KMSAN_STATE_SIZE, .state_template = NULL,
		 SUBSYS_PARAMS(kmsan_params), .state_release = kmsan_state_release);
