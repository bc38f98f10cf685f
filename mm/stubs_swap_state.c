// SPDX-License-Identifier: GPL-2.0
/*
 * mm/stubs_swap_state.c - TEMPORARY stubs (owner: the swap cache and
 * swap-in, A2) so main links while mm/swap_state.c and mm/memory_swap.c
 * are written.  Delete each stub as its function lands.
 */
#include <errno.h>
#include <mmsim/swapops.h>
#include <mmsim/mm_vma.h>
#include "mm/swap_internal.h"
#include "mm/internal.h"
#include "mm/vma_internal.h"
#include "init/init.h"

DEFINE_SUBSYSTEM(swap_state);

struct address_space *swap_address_space(swp_entry_t entry) { (void)entry; return NULL; }
int add_to_swap_cache(struct folio *folio, swp_entry_t entry, gfp_t gfp, void **shadowp)
{ (void)folio; (void)entry; (void)gfp; (void)shadowp; return -ENOMEM; }
void __delete_from_swap_cache(struct folio *folio, swp_entry_t entry, void *shadow)
{ (void)folio; (void)entry; (void)shadow; }
void delete_from_swap_cache(struct folio *folio) { (void)folio; }
bool add_to_swap(struct folio *folio) { (void)folio; return false; }
struct folio *swap_cache_get_folio(swp_entry_t entry, struct vm_area_struct *vma, unsigned long addr)
{ (void)entry; (void)vma; (void)addr; return NULL; }
struct folio *__read_swap_cache_async(swp_entry_t entry, gfp_t gfp, struct vm_area_struct *vma,
				      unsigned long addr, bool *new_page_allocated)
{ (void)entry; (void)gfp; (void)vma; (void)addr; *new_page_allocated = false; return NULL; }
struct folio *read_swap_cache_async(swp_entry_t entry, gfp_t gfp, struct vm_area_struct *vma,
				    unsigned long addr)
{ (void)entry; (void)gfp; (void)vma; (void)addr; return NULL; }
struct folio *swapin_readahead(swp_entry_t entry, gfp_t gfp, struct vm_fault *vmf)
{ (void)entry; (void)gfp; (void)vmf; return NULL; }
void free_swap_cache(struct folio *folio) { (void)folio; }
void show_swap_cache_info(void) { }
bool swap_counts_are_valid(struct mmsim *m) { (void)m; return true; }
vm_fault_t do_swap_page(struct vm_fault *vmf) { (void)vmf; return VM_FAULT_SIGBUS; }
int try_to_unuse(unsigned int type) { (void)type; return 0; }
