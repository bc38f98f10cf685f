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

DEFINE_SUBSYSTEM(workingset);
DEFINE_SUBSYSTEM(psi);

void *workingset_eviction(struct folio *folio) { (void)folio; return NULL; }
void workingset_refault(struct folio *folio, void *shadow) { (void)folio; (void)shadow; }
void workingset_activation(struct folio *folio) { (void)folio; }
void psi_memstall_enter(unsigned long *flags) { *flags = 0; }
void psi_memstall_leave(unsigned long *flags) { (void)flags; }
