// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_workingset.c - mm/workingset.c:
 *   - shadow packing: node, workingset bit and eviction age survive the
 *     round trip (workingset_eviction -> workingset_test_recent);
 *   - refault distance: a folio added over a recent shadow is activated
 *     (workingset_refault/activate_file), over an old one only counted;
 *     the workingset bit makes it a restore; __GFP_WRITE adds skip it;
 *   - the clock: evictions and activations advance nonresident_age;
 *   - shadow nodes: a node holding only shadows is listed
 *     (workingset_nodes), unlisted when a folio arrives, trimmed by the
 *     shadow shrinker (workingset_nodereclaim) and taken off the list when
 *     the mapping goes; workingset_is_valid() after every step.
 */
#include <mmsim/swap.h>
#include <mmsim/shrinker.h>
#include "wb_testfs.h"
#include "mm/workingset.h"

bool workingset_is_valid(struct mmsim *m);

static struct lruvec *lruvec0(void)
{
	return &NODE_DATA(0)->__lruvec;
}

/* A shadow as reclaim would leave it, from a scratch locked folio. */
static void *make_shadow(bool workingset)
{
	struct folio *folio = page_folio(alloc_page(GFP_KERNEL));
	void *shadow;

	folio_lock(folio);
	if (workingset)
		SetPageWorkingset(&folio->page);
	shadow = workingset_eviction(folio);
	ClearPageWorkingset(&folio->page);
	folio_unlock(folio);
	put_page(&folio->page);
	return shadow;
}

/* Put @shadow at @index of @mapping as page-cache removal would. */
static void store_shadow(struct address_space *mapping, pgoff_t index, void *shadow)
{
	XA_STATE(xas, &mapping->i_pages, index);

	mapping_set_update(&xas, mapping);
	do {
		xas_lock(&xas);
		xas_store(&xas, shadow);
		xas_unlock(&xas);
	} while (xas_nomem(&xas, GFP_KERNEL));
}

/* @n active file pages: the workingset refaults are measured against. */
static struct inode *active_file(unsigned long ino, int n)
{
	struct inode *inode = tfs_inode(ino);

	for (int i = 0; i < n; i++)
		folio_activate(tfs_add_page(inode, (pgoff_t)i));
	return inode;
}

static void test_pack_and_clock(void)
{
	struct mmsim *m = boot_or_die("ram=64M disk=64M cpus=1");
	struct inode *act;
	long age0 = atomic_long_read(&lruvec0()->nonresident_age);
	void *shadow;
	bool ws = false;

	tfs_sb_init(m);
	act = active_file(50, 16);
	KT_ASSERT(node_page_state(NODE_DATA(0), NR_ACTIVE_FILE) >= 16);
	shadow = make_shadow(true);
	KT_ASSERT(xa_is_value(shadow));
	KT_EQ(atomic_long_read(&lruvec0()->nonresident_age) - age0, 1);	/* an eviction ages */
	KT_ASSERT(workingset_test_recent(shadow, true, &ws));
	KT_ASSERT(ws);
	shadow = make_shadow(false);
	KT_ASSERT(workingset_test_recent(shadow, true, &ws));
	KT_ASSERT(!ws);
	/* Far older than anything the (empty) workingset could hold: not recent. */
	workingset_age_nonresident(lruvec0(), 100000);
	KT_ASSERT(!workingset_test_recent(shadow, true, &ws));
	tfs_inode_free(act);
	mmsim_shutdown(m);
}

static void test_refault_activates(void)
{
	struct mmsim *m = boot_or_die("ram=64M disk=64M cpus=1");
	struct inode *inode, *act;
	struct folio *folio;
	long refault0, act0, restore0;

	tfs_sb_init(m);
	act = active_file(50, 16);
	inode = tfs_inode(40);
	refault0 = (long)node_page_state(NODE_DATA(0), WORKINGSET_REFAULT_FILE);
	act0 = (long)node_page_state(NODE_DATA(0), WORKINGSET_ACTIVATE_FILE);
	restore0 = (long)node_page_state(NODE_DATA(0), WORKINGSET_RESTORE_FILE);

	/* Recent, in the workingset before: refault, activate, restore. */
	store_shadow(inode->i_mapping, 3, make_shadow(true));
	KT_ASSERT(workingset_is_valid(m));
	folio = tfs_add_page(inode, 3);
	KT_ASSERT(folio);
	KT_ASSERT(PageActive(&folio->page));
	KT_ASSERT(PageWorkingset(&folio->page));
	KT_EQ((long)node_page_state(NODE_DATA(0), WORKINGSET_REFAULT_FILE) - refault0, 1);
	KT_EQ((long)node_page_state(NODE_DATA(0), WORKINGSET_ACTIVATE_FILE) - act0, 1);
	KT_EQ((long)node_page_state(NODE_DATA(0), WORKINGSET_RESTORE_FILE) - restore0, 1);
	KT_ASSERT(workingset_is_valid(m));

	/* Old: only counted as a refault, lands inactive. */
	store_shadow(inode->i_mapping, 4, make_shadow(false));
	workingset_age_nonresident(lruvec0(), 1000000);
	folio = tfs_add_page(inode, 4);
	KT_ASSERT(folio);
	KT_ASSERT(!PageActive(&folio->page));
	KT_EQ((long)node_page_state(NODE_DATA(0), WORKINGSET_REFAULT_FILE) - refault0, 2);
	KT_EQ((long)node_page_state(NODE_DATA(0), WORKINGSET_ACTIVATE_FILE) - act0, 1);

	/* A write over a shadow (__GFP_WRITE): not a refault at all. */
	store_shadow(inode->i_mapping, 5, make_shadow(true));
	{
		struct folio *f = page_folio(alloc_page(GFP_HIGHUSER_MOVABLE));

		KT_EQ(filemap_add_folio(inode->i_mapping, f, 5, GFP_KERNEL | __GFP_WRITE), 0);
		KT_ASSERT(!PageActive(&f->page));
		SetPageUptodate(&f->page);
		folio_unlock(f);
		put_page(&f->page);
	}
	KT_EQ((long)node_page_state(NODE_DATA(0), WORKINGSET_REFAULT_FILE) - refault0, 2);
	KT_ASSERT(workingset_is_valid(m));
	tfs_inode_free(inode);
	tfs_inode_free(act);
	mmsim_shutdown(m);
}

static long vmstat_value(struct mmsim *m, const char *name)
{
	return vmstat_of(m, name);
}

static void test_shadow_nodes(void)
{
	struct mmsim *m = boot_or_die("ram=64M disk=64M cpus=1");
	struct inode *inode;
	struct folio *folio;
	long nodes0, reclaim0;
	char path[96];
	int id;

	tfs_sb_init(m);
	inode = tfs_inode(41);
	nodes0 = vmstat_value(m, "workingset_nodes");
	reclaim0 = vmstat_value(m, "workingset_nodereclaim");
	/* Three leaf nodes of shadows (64 slots each) at indices 0.., 64.., 128... */
	for (pgoff_t i = 0; i < 3 * 64; i += 2)
		store_shadow(inode->i_mapping, i, make_shadow(false));
	KT_EQ(vmstat_value(m, "workingset_nodes") - nodes0, 3);
	KT_ASSERT(workingset_is_valid(m));
	/* A folio in the second node: it holds a page now, off the list. */
	folio = tfs_add_page(inode, 65);
	KT_ASSERT(folio);
	KT_EQ(vmstat_value(m, "workingset_nodes") - nodes0, 2);
	KT_ASSERT(workingset_is_valid(m));
	/* The shrinker, asked directly through debugfs: both shadow-only nodes go. */
	for (id = 0; id < 64; id++) {
		char *t;

		snprintf(path, sizeof(path), "/sys/kernel/debug/shrinker/mm-shadow-%d/count", id);
		t = mmsim_read(m, path);
		if (t) {
			free(t);
			break;
		}
	}
	KT_ASSERT(id < 64);
	snprintf(path, sizeof(path), "/sys/kernel/debug/shrinker/mm-shadow-%d/scan", id);
	KT_EQ(mmsim_write(m, path, "0 0 10"), 0);
	KT_EQ(vmstat_value(m, "workingset_nodes") - nodes0, 0);
	KT_EQ(vmstat_value(m, "workingset_nodereclaim") - reclaim0, 2);
	KT_ASSERT(xa_load(&inode->i_mapping->i_pages, 0) == NULL);
	KT_ASSERT(xa_load(&inode->i_mapping->i_pages, 130) == NULL);
	KT_ASSERT(xa_is_value(xa_load(&inode->i_mapping->i_pages, 64)));	/* shared with the folio */
	KT_ASSERT(workingset_is_valid(m));
	/* Shadows left when the mapping goes: the nodes leave the list. */
	for (pgoff_t i = 256; i < 256 + 64; i++)
		store_shadow(inode->i_mapping, i, make_shadow(false));
	KT_EQ(vmstat_value(m, "workingset_nodes") - nodes0, 1);
	folio_lock(folio);
	filemap_remove_folio(folio);
	folio_unlock(folio);
	xa_destroy(&inode->i_data.i_pages);	/* no update hook: xa_node_free unlists */
	tfs_inode_free(inode);
	KT_EQ(vmstat_value(m, "workingset_nodes") - nodes0, 0);
	KT_ASSERT(workingset_is_valid(m));
	mmsim_shutdown(m);
}

int main(void)
{
	(void)tfs_dirty;
	KT_RUN(test_pack_and_clock);
	KT_RUN(test_refault_activates);
	KT_RUN(test_shadow_nodes);
	return kt_done();
}
