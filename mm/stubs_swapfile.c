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

DEFINE_SUBSYSTEM(swapfile);

swp_entry_t folio_alloc_swap(struct folio *folio) { (void)folio; return (swp_entry_t){ 0 }; }
void put_swap_folio(struct folio *folio, swp_entry_t entry) { (void)folio; (void)entry; }
int swap_duplicate(swp_entry_t entry) { (void)entry; return -EINVAL; }
void swap_free(swp_entry_t entry) { (void)entry; }
void free_swap_and_cache(swp_entry_t entry) { (void)entry; }
int swapcache_prepare(swp_entry_t entry) { (void)entry; return -ENOENT; }
void swapcache_clear(struct swap_info_struct *si, swp_entry_t entry) { (void)si; (void)entry; }
int __swap_count(swp_entry_t entry) { (void)entry; return 0; }
int swap_swapcount(struct swap_info_struct *si, swp_entry_t entry) { (void)si; (void)entry; return 0; }
int swp_swapcount(swp_entry_t entry) { (void)entry; return 0; }
bool folio_free_swap(struct folio *folio) { (void)folio; return false; }
struct swap_info_struct *swp_swap_info(swp_entry_t entry) { (void)entry; return NULL; }
struct swap_info_struct *get_swap_device(swp_entry_t entry) { (void)entry; return NULL; }
void put_swap_device(struct swap_info_struct *si) { (void)si; }
sector_t swap_folio_sector(struct folio *folio) { (void)folio; return 0; }
sector_t swap_entry_sector(swp_entry_t entry) { (void)entry; return 0; }
long get_nr_swap_pages(void) { return 0; }
long get_total_swap_pages(void) { return 0; }
void si_swapinfo(struct sysinfo *val) { (void)val; }
bool swap_info_is_valid(struct swap_info_struct *si) { (void)si; return true; }
bool swap_areas_are_valid(struct mmsim *m) { (void)m; return true; }
struct swap_info_struct *swap_info_get(struct mmsim *m, int type) { (void)m; (void)type; return NULL; }
long sys_swapon(const char *path, int swap_flags) { (void)path; (void)swap_flags; return -ENOSYS; }
long sys_swapoff(const char *path) { (void)path; return -ENOSYS; }

int swap_writepage(struct page *page, struct writeback_control *wbc) { (void)page; (void)wbc; return -EIO; }
void swap_read_folio(struct folio *folio, bool synchronous) { (void)folio; (void)synchronous; }

swp_entry_t pte_to_swp_entry(pte_t pte) { (void)pte; return (swp_entry_t){ 0 }; }
pte_t swp_entry_to_pte(swp_entry_t entry) { (void)entry; return __pte(0); }
bool pte_swp_exclusive(pte_t pte) { (void)pte; return false; }
pte_t pte_swp_mkexclusive(pte_t pte) { return pte; }
pte_t pte_swp_clear_exclusive(pte_t pte) { return pte; }
unsigned long max_swapfile_size(void) { return 0; }

int shmem_writeout(struct folio *folio, struct writeback_control *wbc) { (void)folio; (void)wbc; return AOP_WRITEPAGE_ACTIVATE; }
int shmem_unuse(unsigned int type) { (void)type; return 0; }
unsigned long shmem_swapped(struct address_space *mapping) { (void)mapping; return 0; }
void shmem_count_swap_entries(void (*fn)(void *arg, unsigned long val), void *arg) { (void)fn; (void)arg; }
