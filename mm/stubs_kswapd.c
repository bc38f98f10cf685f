// SPDX-License-Identifier: GPL-2.0
/*
 * mm/stubs_kswapd.c - TEMPORARY stubs (owner: kswapd, shrinkers,
 * workingset, PSI; B2) so main links while mm/kswapd.c, mm/shrinker.c,
 * mm/workingset.c and kernel/psi.c are written.  Delete each stub as its
 * function lands.
 */
#include <errno.h>
#include <mmsim/swap.h>
#include <mmsim/shrinker.h>
#include <mmsim/psi.h>
#include "init/init.h"

DEFINE_SUBSYSTEM(shrinker);
DEFINE_SUBSYSTEM(workingset);
DEFINE_SUBSYSTEM(kswapd);
DEFINE_SUBSYSTEM(psi);

void wakeup_kswapd(struct zone *zone, gfp_t gfp_flags, int order, enum zone_type highest_zoneidx)
{ (void)zone; (void)gfp_flags; (void)order; (void)highest_zoneidx; }
void *workingset_eviction(struct folio *folio) { (void)folio; return NULL; }
void workingset_refault(struct folio *folio, void *shadow) { (void)folio; (void)shadow; }
void workingset_activation(struct folio *folio) { (void)folio; }
void psi_memstall_enter(unsigned long *flags) { *flags = 0; }
void psi_memstall_leave(unsigned long *flags) { (void)flags; }
struct shrinker *shrinker_alloc(unsigned int flags, const char *fmt, ...) { (void)flags; (void)fmt; return NULL; }
void shrinker_register(struct shrinker *shrinker) { (void)shrinker; }
void shrinker_free(struct shrinker *shrinker) { (void)shrinker; }
int register_shrinker(struct shrinker *shrinker, const char *fmt, ...) { (void)shrinker; (void)fmt; return 0; }
void unregister_shrinker(struct shrinker *shrinker) { (void)shrinker; }
unsigned long shrink_slab(gfp_t gfp_mask, int nid, void *memcg, int priority)
{ (void)gfp_mask; (void)nid; (void)memcg; (void)priority; return 0; }
void drop_slab(void) { }
