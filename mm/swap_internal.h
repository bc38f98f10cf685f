/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/swap_internal.h - what the swap files share and Linux keeps in
 * mm/swap.h: swap-in from a fault (mm/memory_swap.c), swapoff's unuse
 * walk (mm/swap_state.c's owner), and the fault path's entry point.
 */
#ifndef MMSIM_MM_SWAP_INTERNAL_H
#define MMSIM_MM_SWAP_INTERNAL_H

#include <mmsim/swapops.h>
#include <mmsim/mm_vma.h>

/* handle_pte_fault's branch for a swap PTE (mm/memory_swap.c). */
vm_fault_t do_swap_page(struct vm_fault *vmf);
/* swapoff: bring every page of area @type back into the mms that map it
 * and into shmem (shmem_unuse); 0, or -ENOMEM / -EINTR as Linux. */
int try_to_unuse(unsigned int type);

#endif
