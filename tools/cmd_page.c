// SPDX-License-Identifier: GPL-2.0
/*
 * tools/cmd_page.c - scenario commands of the page allocator: alloc, free,
 * drain and check.
 *
 *   alloc NAME [order=N] [gfp=FLAGS] [node=N] [count=K]
 *	K calls of alloc_pages(FLAGS, N), or alloc_pages_node(node, ...);
 *	the blocks are kept as the object NAME (kind "pages").  A failed
 *	allocation is not an error: it is the kernel's answer, reported as
 *	"alloc NAME: failed" while the kernel log gets Linux's report.  The
 *	blocks obtained before a failure are kept.
 *   free NAME [order=N]
 *	__free_pages() of every block, with the order it was allocated with,
 *	or with order N to show what the kernel does with a wrong order (the
 *	"Bad page state" report; the block then leaks, as in Linux).
 *   drain [local]
 *	drain_all_pages(NULL), or drain_local_pages(NULL) for this CPU.
 *   check
 *	mm_allocator_is_valid(); a failure stops the scenario, after the
 *	kernel log lines not shown yet (they say what is wrong).
 *
 * What an allocation prints is its place in simulated physical memory
 * (pfn, zone, node), which is deterministic; never a host address.
 */
#include <stdlib.h>
#include <string.h>
#include "tools/scenario.h"

#define SCN_MAX_COUNT	(1 << 20)	/* blocks in one alloc command */

/* "DMA32", or "node 1 DMA32" on a NUMA machine. */
static void zone_label(const struct page *page, char *buf, size_t len)
{
	if (num_online_nodes() > 1)
		snprintf(buf, len, "node %d %s", page_to_nid(page), page_zone(page)->name);
	else
		snprintf(buf, len, "%s", page_zone(page)->name);
}

/* ", zone DMA32: 6, Normal: 2": where the blocks of @obj came from. */
static void print_zones(struct scn *s, struct scn_obj *obj)
{
	int counts[MAX_NUMNODES][MAX_NR_ZONES] = { { 0 } };
	char label[64];
	bool first = true;

	for (int i = 0; i < obj->nr; i++) {
		struct page *page = obj->ptrs[i];

		counts[page_to_nid(page)][page_zonenum(page)]++;
	}
	/* In the order the blocks were handed out, each zone once. */
	for (int i = 0; i < obj->nr; i++) {
		struct page *page = obj->ptrs[i];
		int *n = &counts[page_to_nid(page)][page_zonenum(page)];

		if (!*n)
			continue;
		zone_label(page, label, sizeof(label));
		fprintf(s->out, "%s %s: %d", first ? ", zone" : ",", label, *n);
		*n = 0;
		first = false;
	}
}

int cmd_alloc(struct scn *s, int argc, char **argv)
{
	static const char *const keys[] = { "order", "gfp", "node", "count", NULL };
	const char *vals[ARRAY_SIZE(keys)];
	unsigned long order = 0, node = 0, count = 1;
	struct scn_obj *obj;
	gfp_t gfp = GFP_KERNEL;
	char bad[64], label[64];
	int nr;

	if (scn_kv_args(s, argc, argv, 2, keys, vals))
		return -1;
	if (vals[0] && scn_ulong(s, "order", vals[0], 0, ~0UL, &order))
		return -1;
	if (order > MAX_PAGE_ORDER)
		return scn_fail(s, "order=%lu is above MAX_PAGE_ORDER (%u)", order,
				MAX_PAGE_ORDER);
	if (vals[1] && gfp_parse(vals[1], &gfp, bad, sizeof(bad)))
		return scn_fail(s, "unknown gfp flag '%s'", bad);
	if (vals[2] && scn_ulong(s, "node", vals[2], 0, ~0UL, &node))
		return -1;
	if (node >= (unsigned long)num_online_nodes())
		return scn_fail(s, "node=%lu is not online (the machine has %d node%s)", node,
				num_online_nodes(), num_online_nodes() > 1 ? "s" : "");
	if (vals[3] && scn_ulong(s, "count", vals[3], 1, SCN_MAX_COUNT, &count))
		return -1;

	obj = scn_obj_new(s, argv[1], "pages", (int)count);
	if (!obj)
		return -1;
	obj->order = (unsigned int)order;
	obj->gfp = gfp;
	for (nr = 0; nr < (int)count; nr++) {
		struct page *page = vals[2] ? alloc_pages_node((int)node, gfp, (unsigned int)order)
					    : alloc_pages(gfp, (unsigned int)order);
		if (!page)
			break;
		obj->ptrs[nr] = page;
	}
	obj->nr = nr;

	fprintf(s->out, "alloc %s: ", obj->name);
	if (!nr) {
		fprintf(s->out, "failed\n");
		scn_obj_del(s, obj);
		return 0;
	}
	if (count == 1) {
		zone_label(obj->ptrs[0], label, sizeof(label));
		fprintf(s->out, "order %lu, pfn %#lx, zone %s\n", order,
			page_to_pfn(obj->ptrs[0]), label);
		return 0;
	}
	if ((unsigned long)nr < count)
		fprintf(s->out, "%d of %lu x order %lu", nr, count, order);
	else
		fprintf(s->out, "%d x order %lu", nr, order);
	print_zones(s, obj);
	fprintf(s->out, "%s\n", (unsigned long)nr < count ? "; then failed" : "");
	return 0;
}

int cmd_free(struct scn *s, int argc, char **argv)
{
	static const char *const keys[] = { "order", NULL };
	const char *vals[ARRAY_SIZE(keys)];
	struct scn_obj *obj;
	unsigned long order;

	if (scn_kv_args(s, argc, argv, 2, keys, vals))
		return -1;
	obj = scn_obj_find(s, argv[1]);
	if (!obj)
		return scn_fail(s, "no allocation named '%s'", argv[1]);
	if (strcmp(obj->kind, "pages"))
		return scn_fail(s, "'%s' is not pages but %s", argv[1], obj->kind);
	order = obj->order;
	if (vals[0] && scn_ulong(s, "order", vals[0], 0, ~0UL, &order))
		return -1;
	if (order > MAX_PAGE_ORDER)
		return scn_fail(s, "order=%lu is above MAX_PAGE_ORDER (%u)", order,
				MAX_PAGE_ORDER);
	for (int i = 0; i < obj->nr; i++)
		__free_pages(obj->ptrs[i], (unsigned int)order);
	scn_obj_del(s, obj);
	return 0;
}

int cmd_drain(struct scn *s, int argc, char **argv)
{
	if (argc == 1) {
		drain_all_pages(NULL);
		return 0;
	}
	if (strcmp(argv[1], "local"))
		return scn_fail(s, "unexpected argument '%s' (usage: drain [local])", argv[1]);
	drain_local_pages(NULL);
	return 0;
}

int cmd_check(struct scn *s, int argc, char **argv)
{
	if (mm_allocator_is_valid()) {
		fprintf(s->out, "check: ok\n");
		return 0;
	}
	/* The checker printed what is wrong to the kernel log: show it. */
	scn_dmesg(s, NULL);
	return scn_fail(s, "mm_allocator_is_valid() failed (the kernel log above says why)");
}
