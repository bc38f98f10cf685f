// SPDX-License-Identifier: GPL-2.0
/*
 * mm/workingset.c - workingset detection (Linux's mm/workingset.c, the
 * classic-LRU half): shadow entries left behind by evicted page-cache and
 * swap-cache folios, the refault distance that decides whether a
 * refaulting folio is activated at once, and the shrinker that trims the
 * XArray nodes holding nothing but shadows.
 *
 * Theory (Johannes Weiner's, as in Linux).  Each lruvec keeps a clock,
 * nonresident_age, advanced by every eviction and every activation
 * (workingset_age_nonresident).  An evicted folio leaves a shadow: the
 * clock at its eviction, its node and whether it was in the workingset
 * (PG_workingset), packed into an XArray value entry.  When the folio
 * comes back (workingset_refault: filemap_add_folio over a shadow, or the
 * swap cache), the clock has moved by the refault distance: how many
 * evictions and activations the folio would have needed to survive had
 * it stayed on the inactive list.  If that distance is at most the
 * workingset the folio competes with (the active file list, plus the
 * inactive file list for anon, plus the anon lists when there is swap),
 * the folio would have stayed resident with that much more room: it is
 * activated immediately (workingset_activate_*), and if it was in the
 * workingset before eviction, it counts as a restore (workingset_restore_*)
 * and its refault charges the LRU's cost balance (lru_note_cost).
 * Every shadow refault counts workingset_refault_*.
 *
 * Shadow format (unsigned long, then xa_mk_value):
 *   [ eviction age | memcg id (16 bits, 0) | node (NODES_SHIFT 6) | workingset (1) ]
 * with EVICTION_SHIFT = 1 (value bit) + 1 + 6 + 16, so the age keeps
 * BITS_PER_LONG - 24 bits; bucket_order > 0 only when RAM has more pages
 * than that (never on 64-bit hosts, kept for Linux's arithmetic).
 *
 * Shadow nodes.  XArray stores made with mapping_set_update() call
 * workingset_update_node(): a node whose every entry is a value entry
 * (count == nr_values > 0) is on the machine's shadow-node list
 * (workingset_nodes), others are not.  The shadow-node shrinker counts
 * the nodes beyond (present pages >> 3) (Linux: shadows worth keeping at
 * a worst-case density of 1/8th) and frees a node's shadows and the node
 * (workingset_nodereclaim).
 *
 * Locking.  ws->lock (a spinlock) guards the list and its count; it nests
 * inside the XArray's xa_lock (update and free hooks run under it).  The
 * shrinker holds ws->lock and only trylocks xa_lock (the inverted order),
 * then drops ws->lock before deleting the node's shadows; holding ws->lock
 * pins a listed node and its mapping (freeing either goes through the
 * hooks, which need ws->lock).  nonresident_age is atomic.
 *
 * Invariants (workingset_is_valid): every listed node has count ==
 * nr_values > 0; the list's length == nr_nodes == the node counter
 * workingset_nodes of node 0.
 */
#include <errno.h>
#include <stdio.h>
#include <mmsim/swap.h>
#include <mmsim/shrinker.h>
#include <mmsim/shmem_fs.h>
#include <mmsim/vmstat.h>
#include <mmsim/printk.h>
#include <mmsim/pagemap.h>
#include <mmsim/fs.h>
#include "mm/workingset.h"
#include "mm/vmscan_internal.h"
#include "init/init.h"
#include "init/machine.h"

#define WORKINGSET_SHIFT	1
#define NODES_SHIFT		6
#define MEM_CGROUP_ID_SHIFT	16
#define BITS_PER_XA_VALUE	(BITS_PER_LONG - 1)
#define EVICTION_SHIFT		((BITS_PER_LONG - BITS_PER_XA_VALUE) + WORKINGSET_SHIFT + \
				 NODES_SHIFT + MEM_CGROUP_ID_SHIFT)
#define EVICTION_MASK		(~0UL >> EVICTION_SHIFT)

struct workingset_state {
	spinlock_t lock;		/* the list, nr_nodes */
	struct list_head shadow_nodes;	/* xa_node.private_list */
	long nr_nodes;
	unsigned int bucket_order;
	struct shrinker *shrinker;
	bool ready;
};

DECLARE_SUBSYSTEM(workingset);

static struct workingset_state *ws_state(void)
{
	struct mmsim *m = current_machine();

	return m && m->subsys_state ? subsys_state(m, workingset) : NULL;
}

/* ---- shadow entries ---- */

static void *pack_shadow(int memcgid, pg_data_t *pgdat, unsigned long eviction, bool workingset)
{
	eviction &= EVICTION_MASK;
	eviction = (eviction << MEM_CGROUP_ID_SHIFT) | (unsigned long)memcgid;
	eviction = (eviction << NODES_SHIFT) | (unsigned long)pgdat->node_id;
	eviction = (eviction << WORKINGSET_SHIFT) | workingset;
	return xa_mk_value(eviction);
}

static void unpack_shadow(void *shadow, int *memcgidp, pg_data_t **pgdat,
			  unsigned long *evictionp, bool *workingsetp)
{
	unsigned long entry = xa_to_value(shadow);
	int memcgid, nid;
	bool workingset;

	workingset = entry & ((1UL << WORKINGSET_SHIFT) - 1);
	entry >>= WORKINGSET_SHIFT;
	nid = (int)(entry & ((1UL << NODES_SHIFT) - 1));
	entry >>= NODES_SHIFT;
	memcgid = (int)(entry & ((1UL << MEM_CGROUP_ID_SHIFT) - 1));
	entry >>= MEM_CGROUP_ID_SHIFT;
	*memcgidp = memcgid;
	*pgdat = nid < num_online_nodes() ? NODE_DATA(nid) : NULL;
	*evictionp = entry;
	*workingsetp = workingset;
}

void workingset_age_nonresident(struct lruvec *lruvec, unsigned long nr_pages)
{
	atomic_long_add((long)nr_pages, &lruvec->nonresident_age);
}

static bool folio_is_file_lru(struct folio *folio)
{
	return !PageSwapBacked(&folio->page);
}

/*
 * workingset_eviction - @folio (locked, off the LRU, no other reference)
 * leaves its cache: the shadow to store in its place.
 */
void *workingset_eviction(struct folio *folio)
{
	struct workingset_state *ws = ws_state();
	pg_data_t *pgdat = page_pgdat(&folio->page);
	struct lruvec *lruvec = &pgdat->__lruvec;
	unsigned long eviction;

	WARN_ON_ONCE(PageLRU(&folio->page));
	WARN_ON_ONCE(!folio_test_locked(folio));
	eviction = (unsigned long)atomic_long_read(&lruvec->nonresident_age);
	eviction >>= ws ? ws->bucket_order : 0;
	workingset_age_nonresident(lruvec, 1);
	return pack_shadow(0, pgdat, eviction, PageWorkingset(&folio->page));
}

bool workingset_test_recent(void *shadow, bool file, bool *workingset)
{
	struct workingset_state *ws = ws_state();
	unsigned long refault_distance, workingset_size, refault, eviction;
	pg_data_t *pgdat;
	int memcgid;

	unpack_shadow(shadow, &memcgid, &pgdat, &eviction, workingset);
	if (!pgdat)
		return false;
	eviction <<= ws ? ws->bucket_order : 0;
	refault = (unsigned long)atomic_long_read(&pgdat->__lruvec.nonresident_age);
	/*
	 * The distance is the evictions and activations since this one: at
	 * most the room the folio would have needed on the inactive list to
	 * be found again resident.  Masked: the clock wraps in the shadow.
	 */
	refault_distance = (refault - eviction) & EVICTION_MASK;
	workingset_size = node_page_state(pgdat, NR_ACTIVE_FILE);
	if (!file)
		workingset_size += node_page_state(pgdat, NR_INACTIVE_FILE);
	if (get_nr_swap_pages() > 0) {
		workingset_size += node_page_state(pgdat, NR_ACTIVE_ANON);
		if (file)
			workingset_size += node_page_state(pgdat, NR_INACTIVE_ANON);
	}
	return refault_distance <= workingset_size;
}

/*
 * workingset_refault - @folio (new, locked, not yet on the LRU) replaces
 * @shadow: activate it if it refaulted within the workingset's reach.
 */
void workingset_refault(struct folio *folio, void *shadow)
{
	bool file = folio_is_file_lru(folio);
	pg_data_t *pgdat = page_pgdat(&folio->page);
	struct lruvec *lruvec = &pgdat->__lruvec;
	bool workingset;

	if (!shadow || !xa_is_value(shadow))
		return;
	mod_node_page_state(pgdat, file ? WORKINGSET_REFAULT_FILE : WORKINGSET_REFAULT_ANON, 1);
	if (!workingset_test_recent(shadow, file, &workingset))
		return;
	SetPageActive(&folio->page);
	workingset_age_nonresident(lruvec, 1);
	mod_node_page_state(pgdat, file ? WORKINGSET_ACTIVATE_FILE : WORKINGSET_ACTIVATE_ANON, 1);
	/* It was in the workingset before it was evicted: a restore. */
	if (workingset) {
		SetPageWorkingset(&folio->page);
		lru_note_cost(lruvec, file, 1, 0);
		mod_node_page_state(pgdat, file ? WORKINGSET_RESTORE_FILE : WORKINGSET_RESTORE_ANON, 1);
	}
}

/* A folio was activated (folio_mark_accessed's second touch): the clock moves. */
void workingset_activation(struct folio *folio)
{
	workingset_age_nonresident(&page_pgdat(&folio->page)->__lruvec, 1);
}

/* ---- the shadow-node list ---- */

static void ws_list_add(struct workingset_state *ws, struct xa_node *node)
{
	list_add_tail(&node->private_list, &ws->shadow_nodes);
	WRITE_ONCE(ws->nr_nodes, ws->nr_nodes + 1);	/* read locklessly by the count */
	mod_node_page_state(NODE_DATA(0), WORKINGSET_NODES, 1);
}

static void ws_list_del(struct workingset_state *ws, struct xa_node *node)
{
	list_del_init(&node->private_list);
	WRITE_ONCE(ws->nr_nodes, ws->nr_nodes - 1);
	mod_node_page_state(NODE_DATA(0), WORKINGSET_NODES, -1);
}

/* The XArray hook: called under xa_lock for every node a store changes. */
void workingset_update_node(struct xa_node *node)
{
	struct workingset_state *ws = ws_state();

	if (!ws || !ws->ready)
		return;
	spin_lock(&ws->lock);
	if (node->count && node->count == node->nr_values) {
		if (list_empty(&node->private_list))
			ws_list_add(ws, node);
	} else if (!list_empty(&node->private_list)) {
		ws_list_del(ws, node);
	}
	spin_unlock(&ws->lock);
}

/* lib/xarray.c's xa_node_free: a listed node is going away (a store without the hook). */
void workingset_node_freed(struct xa_node *node);
void workingset_node_freed(struct xa_node *node)
{
	struct workingset_state *ws = ws_state();

	if (!ws || !ws->ready) {
		list_del_init(&node->private_list);
		return;
	}
	spin_lock(&ws->lock);
	if (!list_empty(&node->private_list))
		ws_list_del(ws, node);
	spin_unlock(&ws->lock);
}

void mapping_set_update(struct xa_state *xas, struct address_space *mapping)
{
	if (!shmem_mapping(mapping))
		xas_set_update(xas, workingset_update_node);
}

/* The first index a node's slot 0 stands for. */
static unsigned long xa_node_index(const struct xa_node *node)
{
	unsigned long index = 0;

	for (const struct xa_node *n = node; n->parent; n = n->parent)
		index |= (unsigned long)n->offset << n->parent->shift;
	return index;
}

/*
 * count: shadow nodes beyond what refault detection can use (one node
 * per 8 pages of memory, 1/8th density of 64-slot nodes).
 */
static unsigned long count_shadow_nodes(struct shrinker *s, struct shrink_control *sc)
{
	struct workingset_state *ws = s->private_data;
	unsigned long nodes, max_nodes, pages = 0;
	int nid;

	(void)sc;
	nodes = (unsigned long)READ_ONCE(ws->nr_nodes);
	if (!nodes)
		return SHRINK_EMPTY;
	for_each_online_node(nid)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			pages += NODE_DATA(nid)->node_zones[z].present_pages;
	max_nodes = pages >> (XA_CHUNK_SHIFT - 3);
	return nodes <= max_nodes ? 0 : nodes - max_nodes;
}

/* Free one listed node's shadows (and with them the node); 1 if it did. */
static int shadow_node_reclaim(struct workingset_state *ws)
{
	struct xa_node *node;
	struct xarray *xa;
	unsigned long base, idx[XA_CHUNK_SIZE];
	unsigned int nr = 0;
	unsigned char shift;

	spin_lock(&ws->lock);
	if (list_empty(&ws->shadow_nodes)) {
		spin_unlock(&ws->lock);
		return -1;
	}
	node = list_first_entry(&ws->shadow_nodes, struct xa_node, private_list);
	xa = node->array;
	/* Coming from the list: the inverted lock order, so only a trylock. */
	if (!spin_trylock(&xa->xa_lock)) {
		list_move_tail(&node->private_list, &ws->shadow_nodes);
		spin_unlock(&ws->lock);
		return 0;
	}
	ws_list_del(ws, node);
	spin_unlock(&ws->lock);
	if (WARN_ON_ONCE(!node->nr_values || node->count != node->nr_values)) {
		xa_unlock(xa);
		return 0;
	}
	base = xa_node_index(node);
	shift = node->shift;
	/*
	 * Note the shadows' indices first: erasing them may free the node
	 * (the last one) or collapse it into the head (a root leaf left with
	 * slot 0 only), so the node is not read once erasing starts.
	 */
	for (unsigned int i = 0; i < XA_CHUNK_SIZE; i++)
		if (xa_is_value(node->slots[i]))
			idx[nr++] = base | ((unsigned long)i << shift);
	for (unsigned int i = 0; i < nr; i++) {
		XA_STATE(xas, xa, idx[i]);

		xas_set_update(&xas, workingset_update_node);
		xas_store(&xas, NULL);
	}
	xa_unlock(xa);
	mod_node_page_state(NODE_DATA(0), WORKINGSET_NODERECLAIM, 1);
	return 1;
}

static unsigned long scan_shadow_nodes(struct shrinker *s, struct shrink_control *sc)
{
	struct workingset_state *ws = s->private_data;
	unsigned long freed = 0;

	for (unsigned long i = 0; i < sc->nr_to_scan; i++) {
		int r = shadow_node_reclaim(ws);

		if (r < 0)
			break;
		freed += (unsigned long)r;
	}
	return freed;
}

/* The list agrees with the nodes and the counter (WARN and false if not). */
bool workingset_is_valid(struct mmsim *m);
bool workingset_is_valid(struct mmsim *m)
{
	struct workingset_state *ws = subsys_state(m, workingset);
	struct xa_node *node;
	long n = 0;
	bool ok = true;

	spin_lock(&ws->lock);
	list_for_each_entry(node, &ws->shadow_nodes, private_list) {
		n++;
		if (WARN(!node->count || node->count != node->nr_values,
			 "workingset: listed node %p has %u entries, %u values\n", (void *)node,
			 node->count, node->nr_values))
			ok = false;
	}
	if (WARN(n != ws->nr_nodes, "workingset: %ld nodes listed, %ld counted\n", n, ws->nr_nodes))
		ok = false;
	spin_unlock(&ws->lock);
	if (WARN((long)node_page_state(NODE_DATA(0), WORKINGSET_NODES) != n,
		 "workingset: workingset_nodes %lu, %ld listed\n",
		 node_page_state(NODE_DATA(0), WORKINGSET_NODES), n))
		ok = false;
	return ok;
}

/* ---- the subsystem ---- */

static int workingset_init(struct mmsim *m, char *err, size_t len)
{
	struct workingset_state *ws = subsys_state(m, workingset);
	unsigned int timestamp_bits = BITS_PER_LONG - EVICTION_SHIFT, max_order = 0;
	unsigned long pages = totalram_pages();

	spin_lock_init(&ws->lock);
	INIT_LIST_HEAD(&ws->shadow_nodes);
	while (max_order < BITS_PER_LONG && (1UL << max_order) < pages)
		max_order++;
	ws->bucket_order = max_order > timestamp_bits ? max_order - timestamp_bits : 0;
	ws->ready = true;
	/* One list for the machine (Linux: per node and memcg): not NUMA-aware. */
	ws->shrinker = shrinker_alloc(0, "mm-shadow");
	if (!ws->shrinker) {
		snprintf(err, len, "workingset: cannot allocate the shadow shrinker");
		return -ENOMEM;
	}
	ws->shrinker->count_objects = count_shadow_nodes;
	ws->shrinker->scan_objects = scan_shadow_nodes;
	/* Shadow nodes are cheap to recreate: scan them as hard as the LRU. */
	ws->shrinker->seeks = 0;
	ws->shrinker->private_data = ws;
	shrinker_register(ws->shrinker);
	return 0;
}

static void workingset_exit(struct mmsim *m)
{
	struct workingset_state *ws = subsys_state(m, workingset);
	struct xa_node *node, *n;

	shrinker_free(ws->shrinker);
	ws->shrinker = NULL;
	spin_lock(&ws->lock);
	list_for_each_entry_safe(node, n, &ws->shadow_nodes, private_list)
		list_del_init(&node->private_list);
	WRITE_ONCE(ws->nr_nodes, 0);
	ws->ready = false;
	spin_unlock(&ws->lock);
}

static const struct initcall workingset_initcalls[] = {
	subsys_initcall(workingset_init, workingset_exit),
};

DEFINE_SUBSYSTEM(workingset, SUBSYS_STATE(struct workingset_state, NULL),
		 SUBSYS_INITCALLS(workingset_initcalls));
