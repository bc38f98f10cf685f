/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/workingset.h - what the page cache and the swap cache need from
 * mm/workingset.c beyond <mmsim/swap.h>: the XArray node hook that keeps
 * the shadow-node list (Linux's workingset_update_node and
 * mapping_set_update), and the age clock.
 *
 * Every store into a page-cache or swap-cache XArray that may add or
 * remove an entry should carry the hook (mapping_set_update(&xas, mapping)
 * before the store), as Linux does: a node that holds only shadow entries
 * is then on the machine's shadow-node list, which the shadow-node
 * shrinker trims.  A node freed without the hook is taken off the list by
 * lib/xarray.c's xa_node_free (workingset_node_freed), so a missed hook
 * costs accuracy, never memory safety.
 */
#ifndef MMSIM_MM_WORKINGSET_H
#define MMSIM_MM_WORKINGSET_H

#include <mmsim/xarray.h>
#include <mmsim/mmzone.h>

struct address_space;

void workingset_update_node(struct xa_node *node);
/* The hook for @mapping's stores (none for shmem, whose value entries are swap entries). */
void mapping_set_update(struct xa_state *xas, struct address_space *mapping);
/* Evictions and activations move the clock shadows are stamped with. */
void workingset_age_nonresident(struct lruvec *lruvec, unsigned long nr_pages);
/* Is the refault of @shadow recent enough to activate (Linux's workingset_test_recent)? */
bool workingset_test_recent(void *shadow, bool file, bool *workingset);

#endif
