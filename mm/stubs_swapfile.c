// SPDX-License-Identifier: GPL-2.0
/*
 * mm/stubs_swapfile.c - TEMPORARY stubs (owner: swap areas, A1) so main
 * links while mm/swapfile.c, mm/page_io.c, arch/swap_pte.c and
 * mm/shmem_swap.c are written.  Each stub behaves as a machine with no
 * swap.  Delete a stub when its real function lands; delete the file when
 * empty.
 */
#include <errno.h>
#include <mmsim/swapops.h>
#include <mmsim/shmem_fs.h>
#include <mmsim/syscalls.h>
#include <mmsim/writeback.h>
#include "init/init.h"





int shmem_writeout(struct folio *folio, struct writeback_control *wbc) { (void)folio; (void)wbc; return AOP_WRITEPAGE_ACTIVATE; }
int shmem_unuse(unsigned int type) { (void)type; return 0; }
unsigned long shmem_swapped(struct address_space *mapping) { (void)mapping; return 0; }
void shmem_count_swap_entries(void (*fn)(void *arg, unsigned long val), void *arg) { (void)fn; (void)arg; }
