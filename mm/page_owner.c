// SPDX-License-Identifier: GPL-2.0
/*
 * mm/page_owner.c - who allocated each page (Linux's mm/page_owner.c),
 * with page_owner=on on the command line.
 *
 * Why: compaction fails when an unmovable page sits in a pageblock it
 * wants to empty; page_owner tells whose page it is.  Each allocation
 * records, for its head page, the order, the gfp mask, the allocating
 * task (pid, tgid, comm; a kernel context is pid 0 with the machine's
 * comm), the virtual time and the host call chain (backtrace(3), printed
 * as symbol+offset/size, or as an offset into the binary as slub_debug
 * prints call sites); a free clears it; split_page() copies it to every
 * page as order 0.  /sys/kernel/debug/page_owner (read-only) prints every
 * allocated page that has a record, in Linux's format:
 *
 *   Page allocated via order 0, mask 0xcc0(GFP_KERNEL), pid 1, tgid 1 (init), ts 1000 ns
 *   PFN 0x1234 type Unmovable Block 9 type Movable Flags 0x...(node=0|zone=1)
 *    alloc_pages+0x../0x..
 *    ...
 *   (a blank line)
 *
 * "type" is the page's migratetype by its gfp mask, "Block ... type" its
 * pageblock's: an Unmovable page in a Movable block is what keeps
 * compaction from freeing the block.
 *
 * Data: one struct page_owner per pfn of the machine (Linux's page_ext),
 * allocated at boot when enabled; pages allocated before that have none.
 * Locking: a record is written by whoever allocates or frees its page
 * (who owns the page then); the reader looks at records racily, as Linux
 * does, and may print a page that is being freed.
 * Departure: migration does not copy the record (Linux's
 * folio_copy_owner); a migrated page shows the migration target's
 * allocation (compaction's free scanner, GFP_MOVABLE).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <execinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/proc_fs.h>
#include <mmsim/seq_file.h>
#include <mmsim/sched.h>
#include "mm/internal.h"
#include "mm/slab.h"
#include "init/init.h"

#define PAGE_OWNER_STACK_DEPTH	8

struct page_owner {
	bool allocated;			/* between an allocation and its free */
	bool head;			/* the first page of the allocation */
	unsigned short order;
	gfp_t gfp_mask;
	pid_t pid, tgid;
	char comm[16];
	u64 ts_nsec;			/* virtual time of the allocation */
	u64 free_ts_nsec;		/* ... of the last free */
	int nr_entries;
	void *entries[PAGE_OWNER_STACK_DEPTH];
};

struct page_owner_state {
	bool on;			/* page_owner=on */
	unsigned long base_pfn, nr_pfns;
	struct page_owner *recs;	/* [nr_pfns], or NULL */
};

DECLARE_SUBSYSTEM(page_owner);

static struct page_owner_state *po_state(void)
{
	return subsys_state(M(), page_owner);
}

static struct page_owner *get_page_owner(struct page_owner_state *st, unsigned long pfn)
{
	if (!st->recs || pfn < st->base_pfn || pfn - st->base_pfn >= st->nr_pfns)
		return NULL;
	return &st->recs[pfn - st->base_pfn];
}

void __set_page_owner(struct page *page, unsigned int order, gfp_t gfp_mask)
{
	struct page_owner_state *st = po_state();
	unsigned long pfn = page_to_pfn(page);
	struct page_owner *po = get_page_owner(st, pfn);
	struct task_struct *t = current;

	if (!po)
		return;
	po->order = (unsigned short)order;
	po->gfp_mask = gfp_mask;
	po->pid = t ? t->pid : 0;
	po->tgid = t ? t->tgid : 0;
	snprintf(po->comm, sizeof(po->comm), "%s", t ? t->comm : M()->comm);
	po->ts_nsec = mmsim_clock_ns(M());
	po->nr_entries = backtrace(po->entries, PAGE_OWNER_STACK_DEPTH);
	po->head = true;
	po->allocated = true;
	for (unsigned long i = 1; i < (1UL << order); i++) {
		struct page_owner *tail = get_page_owner(st, pfn + i);

		if (tail) {
			tail->allocated = true;
			tail->head = false;
		}
	}
}

void __reset_page_owner(struct page *page, unsigned int order)
{
	struct page_owner_state *st = po_state();
	unsigned long pfn = page_to_pfn(page);
	u64 now = mmsim_clock_ns(M());

	for (unsigned long i = 0; i < (1UL << order); i++) {
		struct page_owner *po = get_page_owner(st, pfn + i);

		if (po) {
			po->allocated = false;
			po->free_ts_nsec = now;
		}
	}
}

/* split_page(): every page becomes an order-0 allocation of the same owner. */
void __split_page_owner(struct page *page, unsigned int order)
{
	struct page_owner_state *st = po_state();
	unsigned long pfn = page_to_pfn(page);
	struct page_owner *head = get_page_owner(st, pfn);

	if (!head || !head->allocated)
		return;
	head->order = 0;
	for (unsigned long i = 1; i < (1UL << order); i++) {
		struct page_owner *po = get_page_owner(st, pfn + i);

		if (po)
			*po = *head;
	}
}

static void print_page_owner(struct seq_file *sf, unsigned long pfn, const struct page_owner *po)
{
	struct page *page = pfn_to_page(pfn);
	char gfp[256], flags[256], sym[160];
	int page_mt = (int)((po->gfp_mask & GFP_MOVABLE_MASK) >> GFP_MOVABLE_SHIFT);

	format_gfp_flags(po->gfp_mask, gfp, sizeof(gfp));
	format_page_flags(page, flags, sizeof(flags));
	seq_printf(sf, "Page allocated via order %u, mask %#x(%s), pid %d, tgid %d (%s), ts %llu ns\n",
		   po->order, po->gfp_mask, gfp, po->pid, po->tgid, po->comm,
		   (unsigned long long)po->ts_nsec);
	seq_printf(sf, "PFN 0x%lx type %s Block %lu type %s Flags %#lx(%s)\n", pfn,
		   migratetype_names[page_mt], pfn >> pageblock_order,
		   migratetype_names[get_pageblock_migratetype(page)], READ_ONCE(page->flags), flags);
	/* Skip our own frame and the allocator's inline path into it. */
	for (int i = 1; i < po->nr_entries; i++) {
		format_symbol((unsigned long)po->entries[i], sym, sizeof(sym));
		seq_printf(sf, " %s\n", sym);
	}
	seq_putc(sf, '\n');
}

static int page_owner_show(struct seq_file *sf, struct proc_file *f)
{
	struct page_owner_state *st = po_state();

	(void)f;
	if (!st->on)
		return -EINVAL;
	for (unsigned long i = 0; i < st->nr_pfns; i++) {
		unsigned long pfn = st->base_pfn + i;
		struct page_owner po = st->recs[i];

		if (!po.allocated || !po.head || !pfn_valid(pfn))
			continue;
		if (PageBuddy(pfn_to_page(pfn)) || !page_ref_count(pfn_to_page(pfn)))
			continue;
		print_page_owner(sf, pfn, &po);
		i += (1UL << po.order) - 1;
	}
	return 0;
}

static const struct proc_entry page_owner_entries[] = {
	{ "/sys/kernel/debug/page_owner", page_owner_show, NULL, NULL },
};

static int early_page_owner_param(void *state, const struct kernel_param *kp, const char *word,
				  const char *val, char *err, size_t len)
{
	struct page_owner_state *st = state;

	(void)kp;
	if (!strcmp(val, "on")) {
		st->on = true;
		return 0;
	}
	if (!strcmp(val, "off")) {
		st->on = false;
		return 0;
	}
	snprintf(err, len, "'%s': page_owner takes on or off", word);
	return -EINVAL;
}

static const struct kernel_param page_owner_params[] = {
	early_param("page_owner", early_page_owner_param),
};

static int page_owner_init(struct mmsim *m, char *err, size_t len)
{
	struct page_owner_state *st = subsys_state(m, page_owner);
	unsigned long lo = ~0UL, hi = 0;
	int nid;

	if (!st->on)
		return 0;
	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		lo = min(lo, pgdat->node_start_pfn);
		hi = max(hi, pgdat->node_start_pfn + pgdat->node_spanned_pages);
	}
	if (hi <= lo)
		return 0;
	st->recs = calloc(hi - lo, sizeof(*st->recs));
	if (!st->recs) {
		snprintf(err, len, "page_owner: no memory for %lu records", hi - lo);
		return -ENOMEM;
	}
	st->base_pfn = lo;
	st->nr_pfns = hi - lo;
	m->page_owner = true;
	return 0;
}

static void page_owner_exit(struct mmsim *m)
{
	struct page_owner_state *st = subsys_state(m, page_owner);

	m->page_owner = false;
	free(st->recs);
	st->recs = NULL;
	st->nr_pfns = 0;
}

static int page_owner_files_init(struct mmsim *m, char *err, size_t len)
{
	int ret;

	(void)m;
	ret = proc_create_table(page_owner_entries);
	if (ret)
		snprintf(err, len, "page_owner: cannot create its file (%d)", ret);
	return ret;
}

static const struct initcall page_owner_initcalls[] = {
	core_initcall(page_owner_init, page_owner_exit),
	fs_initcall(page_owner_files_init, NULL),
};

DEFINE_SUBSYSTEM(page_owner, SUBSYS_STATE(struct page_owner_state, NULL),
		 SUBSYS_PARAMS(page_owner_params), SUBSYS_INITCALLS(page_owner_initcalls));
