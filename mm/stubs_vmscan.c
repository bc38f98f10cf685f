// SPDX-License-Identifier: GPL-2.0
/*
 * mm/stubs_vmscan.c - TEMPORARY stubs (owner: reclaim, B1) so main links
 * while mm/vmscan.c and mm/lru_policy.c are written: no reclaim.  Delete
 * each stub as its function lands.
 */
#include <errno.h>
#include <mmsim/swap.h>
#include <mmsim/lru_policy.h>
#include "mm/vmscan_internal.h"
#include "init/init.h"

DEFINE_SUBSYSTEM(vmscan);

const struct lru_policy_ops lru_classic_ops = { .name = "classic" };

unsigned long try_to_free_pages(struct zonelist *zonelist, int order, gfp_t gfp_mask,
				const unsigned long *nodemask)
{ (void)zonelist; (void)order; (void)gfp_mask; (void)nodemask; return 0; }
unsigned long try_to_free_mem_cgroup_pages(void *memcg, unsigned long nr_pages, gfp_t gfp_mask,
					   unsigned int reclaim_options, int swappiness)
{ (void)memcg; (void)nr_pages; (void)gfp_mask; (void)reclaim_options; (void)swappiness; return 0; }
unsigned long reclaim_pages(struct list_head *folio_list) { (void)folio_list; return 0; }
unsigned long zone_reclaimable_pages(struct zone *zone) { (void)zone; return 0; }
bool folio_isolate_lru(struct folio *folio) { (void)folio; return false; }
void folio_putback_lru(struct folio *folio) { (void)folio; }
long remove_mapping(struct address_space *mapping, struct folio *folio) { (void)mapping; (void)folio; return 0; }
int vm_swappiness(void) { return 60; }
bool current_is_kswapd(void) { return false; }
void shrink_node(pg_data_t *pgdat, struct scan_control *sc) { (void)pgdat; (void)sc; }
unsigned int shrink_folio_list(struct list_head *folio_list, pg_data_t *pgdat,
			       struct scan_control *sc, struct reclaim_stat *stat,
			       bool ignore_references)
{ (void)folio_list; (void)pgdat; (void)sc; (void)stat; (void)ignore_references; return 0; }
unsigned int move_folios_to_lru(struct lruvec *lruvec, struct list_head *list) { (void)lruvec; (void)list; return 0; }
int sc_swappiness(struct scan_control *sc) { (void)sc; return 60; }
bool can_reclaim_anon_pages(int nid, struct scan_control *sc) { (void)nid; (void)sc; return false; }
void lru_note_cost(struct lruvec *lruvec, bool file, unsigned int nr_io, unsigned int nr_rotated)
{ (void)lruvec; (void)file; (void)nr_io; (void)nr_rotated; }
bool pgdat_balanced(pg_data_t *pgdat, int order, int highest_zoneidx) { (void)pgdat; (void)order; (void)highest_zoneidx; return true; }
void count_reclaim_events(bool scan, bool file, unsigned long nr) { (void)scan; (void)file; (void)nr; }
int lru_policy_register(const struct lru_policy_ops *ops) { (void)ops; return -ENOSPC; }
const struct lru_policy_ops *lru_policy_find(const char *name) { (void)name; return NULL; }
int lru_policy_switch(struct mmsim *m, const char *name) { (void)m; (void)name; return -EINVAL; }
const struct lru_policy_ops *lru_policy_current(void) { return &lru_classic_ops; }
