/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arch/hostmap.h - mapping simulated RAM pages at chosen host addresses
 * (arch/hostmap.c): the hardware side of vmalloc, vmap, kmap and the
 * fixmap.  Internal.  Both act on the calling thread's machine.
 */
#ifndef MMSIM_ARCH_HOSTMAP_H
#define MMSIM_ARCH_HOSTMAP_H

#include "arch/machine.h"

/* Map @nr pages at @host_addr in order: mmap calls made, -ENOMEM or -EINVAL. */
int arch_map_pages_at(void *host_addr, struct page **pages, unsigned int nr);
/* Put the PROT_NONE reservation back over [@host_addr, +@size): 0 or -ENOMEM. */
int arch_unmap_range(void *host_addr, size_t size);
/* mprotect(PROT_NONE) over [@host_addr, +@size), mappings kept: 0 or -ENOMEM. */
int arch_protect_none_range(void *host_addr, size_t size);
/*
 * Anonymous host memory for KASAN's shadow (mm/kasan/init.c): @size bytes,
 * zero, MAP_NORESERVE (backed only where written), or NULL.
 */
void *arch_map_shadow(size_t size);
void arch_unmap_shadow(void *shadow, size_t size);
/* mprotect(PROT_READ | PROT_WRITE) over [@host_addr, +@size): 0 or -ENOMEM. */
int arch_protect_rw_range(void *host_addr, size_t size);
/* The host's vm.max_map_count. */
unsigned long arch_max_map_count(void);
/* host_to_kva() with the layout given: 0 outside the four kernel windows. */
unsigned long layout_host_to_kva(const struct mm_layout *l, const void *ptr);

#endif
