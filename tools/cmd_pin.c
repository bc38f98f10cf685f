// SPDX-License-Identifier: GPL-2.0
/*
 * tools/cmd_pin.c - scenario commands for long-term pinning and ZONE_DEVICE
 * (docs/pinning.md, docs/cli.md): pin/unpin (pin_user_pages), an RDMA
 * memory registration (ib_reg_mr/ib_dereg_mr: ib_umem_get/ib_umem_release),
 * device memory (memremap/memunmap: memremap_pages, devpage: a driver
 * handing a device page out and taking it back), and the credentials that
 * make RLIMIT_MEMLOCK bite (setrlimit, capdrop).
 *
 * Objects: a pin keeps its pages (kind "pin", ptrs[] the struct pages); a
 * registration its struct ib_umem (kind "mr"); device memory its struct
 * dev_pagemap (kind "pgmap"), allocated in the simulated kernel so that a
 * scenario that never unmaps leaks nothing of the host's.
 *
 * Output follows strace for the calls made on behalf of current
 * ("[pid N] call(args) = ret"), then what was pinned where (pages by zone),
 * so a long-term pin's migration out of ZONE_MOVABLE shows.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/mmsim.h>
#include <mmsim/ib_umem.h>
#include <mmsim/cma.h>
#include <mmsim/memremap.h>
#include <mmsim/err.h>
#include <mmsim/syscalls.h>
#include "tools/scenario.h"

/* "N pages in Z1 n1, Z2 n2 (c in CMA)" of @pages, zones in index order. */
static void print_zones(struct scn *s, struct page **pages, unsigned long n)
{
	static const char *const names[MAX_NR_ZONES] = { "DMA", "DMA32", "Normal", "HighMem",
							 "Movable", "Device" };
	unsigned long count[MAX_NR_ZONES] = { 0 }, cma = 0;
	bool first = true;

	for (unsigned long i = 0; i < n; i++) {
		count[page_zonenum(pages[i])]++;
		cma += page_zonenum(pages[i]) != ZONE_DEVICE && page_in_cma(pages[i]);
	}
	fprintf(s->out, "%lu pages in", n);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		if (!count[z])
			continue;
		fprintf(s->out, "%s %s %lu", first ? "" : ",", names[z], count[z]);
		first = false;
	}
	if (cma)	/* pages lent from a CMA area (mm/cma.c) */
		fprintf(s->out, " (%lu in CMA)", cma);
	fputc('\n', s->out);
}

static struct task_struct *need_task(struct scn *s)
{
	return scn_running(s);
}

/* ---------------------------------------------------------------------
 * pin / unpin
 */

static int cmd_pin(struct scn *s, int argc, char **argv)
{
	unsigned int flags = 0;
	unsigned long addr, len, n;
	struct scn_obj *o;
	const char *flag_names;
	long ret;

	if (!need_task(s) || scn_addr(s, "address", argv[2], &addr) ||
	    scn_addr(s, "length", argv[3], &len))
		return -1;
	for (int i = 4; i < argc; i++) {
		if (!strcmp(argv[i], "longterm"))
			flags |= FOLL_LONGTERM;
		else if (!strcmp(argv[i], "write"))
			flags |= FOLL_WRITE;
		else
			return scn_fail(s, "unknown flag '%s' (longterm, write)", argv[i]);
	}
	n = (PAGE_ALIGN(addr + len) - (addr & PAGE_MASK)) >> PAGE_SHIFT;
	if (!len || n > (1UL << 20))
		return scn_fail(s, "length %lu: 1 byte to 4 GiB", len);
	o = scn_obj_new(s, argv[1], "pin", (int)n);
	if (!o)
		return -1;
	ret = pin_user_pages(addr, n, flags, (struct page **)o->ptrs);
	flag_names = (flags & (FOLL_LONGTERM | FOLL_WRITE)) == (FOLL_LONGTERM | FOLL_WRITE) ?
			     "FOLL_LONGTERM|FOLL_WRITE" : flags & FOLL_LONGTERM ? "FOLL_LONGTERM" :
			     flags & FOLL_WRITE ? "FOLL_WRITE" : "0";
	scn_print_pid(s);
	fprintf(s->out, "pin_user_pages(%#lx, %lu, %s)", addr & PAGE_MASK, n, flag_names);
	scn_print_ret(s, ret, false);
	if (ret <= 0) {
		scn_obj_del(s, o);
		return 0;
	}
	o->nr = (int)ret;
	fprintf(s->out, "%s: ", argv[1]);
	print_zones(s, (struct page **)o->ptrs, (unsigned long)ret);
	return 0;
}

static struct scn_obj *find_kind(struct scn *s, const char *name, const char *kind)
{
	struct scn_obj *o = scn_obj_find(s, name);

	if (!o || strcmp(o->kind, kind)) {
		scn_fail(s, "no %s called '%s'", kind, name);
		return NULL;
	}
	return o;
}

static int cmd_unpin(struct scn *s, int argc, char **argv)
{
	struct scn_obj *o = find_kind(s, argv[1], "pin");

	(void)argc;
	if (!o)
		return -1;
	unpin_user_pages((struct page **)o->ptrs, (unsigned long)o->nr);
	fprintf(s->out, "unpin_user_pages(%s, %d)\n", argv[1], o->nr);
	scn_obj_del(s, o);
	return 0;
}

/* ---------------------------------------------------------------------
 * RDMA memory registration
 */

static const struct {
	const char *name;
	int flag;
} ib_access_names[] = {
	{ "local_write", IB_ACCESS_LOCAL_WRITE }, { "remote_write", IB_ACCESS_REMOTE_WRITE },
	{ "remote_read", IB_ACCESS_REMOTE_READ }, { "remote_atomic", IB_ACCESS_REMOTE_ATOMIC },
	{ "mw_bind", IB_ACCESS_MW_BIND }, { "on_demand", IB_ACCESS_ON_DEMAND },
};

static int parse_access(struct scn *s, const char *word, int *access)
{
	char *copy = strdup(word), *save = NULL;

	if (!copy)
		return scn_fail(s, "out of host memory");
	*access = 0;
	for (char *tok = strtok_r(copy, ",|", &save); tok; tok = strtok_r(NULL, ",|", &save)) {
		bool found = false;

		for (size_t i = 0; i < sizeof(ib_access_names) / sizeof(ib_access_names[0]); i++) {
			if (!strcasecmp(tok, ib_access_names[i].name) ||
			    (!strncasecmp(tok, "IB_ACCESS_", 10) &&
			     !strcasecmp(tok + 10, ib_access_names[i].name))) {
				*access |= ib_access_names[i].flag;
				found = true;
			}
		}
		if (!found) {
			scn_fail(s, "unknown access '%s' (local_write, remote_write, remote_read, "
				    "remote_atomic, mw_bind, on_demand)", tok);
			free(copy);
			return -1;
		}
	}
	free(copy);
	return 0;
}

/* A registration still held when the scenario ends: the driver's file
 * would close at process exit and deregister it (ib_umem_release). */
static void mr_release(struct scn_obj *o)
{
	ib_umem_release(o->ptrs[0]);
}

static int cmd_ib_reg_mr(struct scn *s, int argc, char **argv)
{
	static struct ib_device mmsim_ib = { .name = "mlx5_0" };
	unsigned long addr, len;
	struct ib_umem *umem;
	int access = IB_ACCESS_LOCAL_WRITE;
	struct scn_obj *o;

	if (!need_task(s) || scn_addr(s, "address", argv[2], &addr) ||
	    scn_addr(s, "length", argv[3], &len))
		return -1;
	if (argc > 4 && parse_access(s, argv[4], &access))
		return -1;
	if (scn_obj_find(s, argv[1]))
		return scn_fail(s, "'%s' is already allocated", argv[1]);
	umem = ib_umem_get(&mmsim_ib, addr, len, access);
	scn_print_pid(s);
	fprintf(s->out, "ib_umem_get(%s, %#lx, %lu, %#x)", mmsim_ib.name, addr, len, access);
	if (IS_ERR(umem)) {
		scn_print_ret(s, PTR_ERR(umem), false);
		return 0;
	}
	fprintf(s->out, " = 0\n");
	o = scn_obj_new(s, argv[1], "mr", 1);
	if (!o) {
		ib_umem_release(umem);
		return -1;
	}
	o->ptrs[0] = umem;
	o->release = mr_release;
	fprintf(s->out, "%s: %zu pages, %u sg entries (first dma %#llx len %u); ", argv[1],
		ib_umem_num_pages(umem), umem->sgt.nents,
		(unsigned long long)umem->sgt.sgl[0].dma_address, umem->sgt.sgl[0].dma_length);
	print_zones(s, umem->pages, umem->nr_pinned);
	return 0;
}

static int cmd_ib_dereg_mr(struct scn *s, int argc, char **argv)
{
	struct scn_obj *o = find_kind(s, argv[1], "mr");

	(void)argc;
	if (!o)
		return -1;
	ib_umem_release(o->ptrs[0]);
	fprintf(s->out, "ib_umem_release(%s)\n", argv[1]);
	scn_obj_del(s, o);
	return 0;
}

/* ---------------------------------------------------------------------
 * Device memory
 */

static unsigned long scn_page_frees;	/* page_free callbacks seen (printed by devpage) */

static void scn_page_free(struct page *page)
{
	(void)page;
	scn_page_frees++;
}

static int scn_migrate_to_ram(void *vmf)
{
	(void)vmf;
	return 0;
}

static const struct dev_pagemap_ops scn_pgmap_ops = {
	.page_free = scn_page_free,
	.migrate_to_ram = scn_migrate_to_ram,
};

static const struct {
	const char *name;
	enum memory_type type;
} memory_types[] = {
	{ "private", MEMORY_DEVICE_PRIVATE }, { "coherent", MEMORY_DEVICE_COHERENT },
	{ "fsdax", MEMORY_DEVICE_FS_DAX }, { "generic", MEMORY_DEVICE_GENERIC },
	{ "p2pdma", MEMORY_DEVICE_PCI_P2PDMA },
};

static int cmd_memremap(struct scn *s, int argc, char **argv)
{
	static const char *const keys[] = { "type", "node", NULL };
	const char *vals[2] = { NULL, NULL };
	unsigned long size, node = 0;
	struct dev_pagemap *pgmap;
	const char *tname = "private";
	enum memory_type type = MEMORY_DEVICE_PRIVATE;
	struct scn_obj *o;
	void *ret;
	int err;

	if (scn_size(s, "size", argv[2], 1, 1UL << 40, &size) ||
	    scn_kv_args(s, argc, argv, 3, keys, vals))
		return -1;
	if (vals[0]) {
		size_t i;

		for (i = 0; i < sizeof(memory_types) / sizeof(memory_types[0]); i++)
			if (!strcmp(vals[0], memory_types[i].name))
				break;
		if (i == sizeof(memory_types) / sizeof(memory_types[0]))
			return scn_fail(s, "type '%s': private, coherent, fsdax, generic or p2pdma",
					vals[0]);
		type = memory_types[i].type;
		tname = memory_types[i].name;
	}
	if (vals[1] && scn_ulong(s, "node", vals[1], 0, MAX_NUMNODES - 1, &node))
		return -1;
	if (scn_obj_find(s, argv[1]))
		return scn_fail(s, "'%s' is already allocated", argv[1]);
	pgmap = kzalloc(sizeof(*pgmap), GFP_KERNEL);
	if (!pgmap)
		return scn_fail(s, "kzalloc failed");
	pgmap->type = type;
	pgmap->ops = &scn_pgmap_ops;
	pgmap->nr_range = 1;
	err = request_free_mem_region(size, &pgmap->range);
	ret = err ? ERR_PTR(err) : memremap_pages(pgmap, (int)node);
	fprintf(s->out, "memremap_pages(%s, type=%s, node=%lu)", argv[1], tname, node);
	if (IS_ERR(ret)) {
		scn_print_ret(s, PTR_ERR(ret), false);
		kfree(pgmap);
		return 0;
	}
	fprintf(s->out, " = 0\n%s: [mem %#018llx-%#018llx], %lu pages, memmap of %lu pages\n",
		argv[1], (unsigned long long)pgmap->range.start,
		(unsigned long long)pgmap->range.end, pgmap->pfn_end - pgmap->pfn_first,
		pgmap->nr_memmap_pages);
	o = scn_obj_new(s, argv[1], "pgmap", 1);
	if (!o)
		return -1;	/* the pgmap stays registered until shutdown */
	o->ptrs[0] = pgmap;
	return 0;
}

static int cmd_memunmap(struct scn *s, int argc, char **argv)
{
	struct scn_obj *o = find_kind(s, argv[1], "pgmap");
	struct dev_pagemap *pgmap;

	(void)argc;
	if (!o)
		return -1;
	pgmap = o->ptrs[0];
	memunmap_pages(pgmap);
	fprintf(s->out, "memunmap_pages(%s)", argv[1]);
	if (pgmap->memmap_backing) {
		fprintf(s->out, ": still in use (see the kernel log)\n");
		return 0;
	}
	fputc('\n', s->out);
	kfree(pgmap);
	scn_obj_del(s, o);
	return 0;
}

/* devpage NAME INDEX get|put: the driver hands page INDEX out, or drops a reference. */
static int cmd_devpage(struct scn *s, int argc, char **argv)
{
	struct scn_obj *o = find_kind(s, argv[1], "pgmap");
	struct dev_pagemap *pgmap;
	unsigned long idx, before = scn_page_frees;
	struct page *page;

	(void)argc;
	if (!o)
		return -1;
	pgmap = o->ptrs[0];
	if (scn_ulong(s, "index", argv[2], 0, pgmap->pfn_end - pgmap->pfn_first - 1, &idx))
		return -1;
	page = pfn_to_page(pgmap->pfn_first + idx);
	if (!strcmp(argv[3], "get")) {
		if (page_ref_count(page))
			get_page(page);
		else
			zone_device_page_init(page);
	} else if (!strcmp(argv[3], "put")) {
		put_page(page);
	} else {
		return scn_fail(s, "'%s': get or put", argv[3]);
	}
	fprintf(s->out, "%s page %lu (pfn %#lx): refcount %d%s\n", argv[1], idx,
		page_to_pfn(page), page_ref_count(page),
		scn_page_frees != before ? ", page_free called" : "");
	return 0;
}

/* ---------------------------------------------------------------------
 * CMA (mm/cma.c)
 */

/* cma_alloc NAME COUNT [ALIGN]: COUNT pages of the cma= area, kept as NAME. */
static int cmd_cma_alloc(struct scn *s, int argc, char **argv)
{
	struct cma *cma = cma_default_area();
	unsigned long count, align = 0;
	struct scn_obj *o;
	struct page *page;

	if (!cma)
		return scn_fail(s, "no CMA area (boot with cma=SIZE)");
	if (scn_ulong(s, "count", argv[2], 1, cma_get_size(cma) >> PAGE_SHIFT, &count))
		return -1;
	if (argc > 3 && scn_ulong(s, "align", argv[3], 0, MAX_PAGE_ORDER, &align))
		return -1;
	page = cma_alloc(cma, count, (unsigned int)align, false);
	fprintf(s->out, "cma_alloc(%s, %lu, %lu) = ", cma_get_name(cma), count, align);
	if (!page) {
		fprintf(s->out, "NULL\n");
		return 0;
	}
	fprintf(s->out, "pfn %#lx (%lu of %lu pages of the area in use)\n", page_to_pfn(page),
		cma_used_pages(cma), cma_get_size(cma) >> PAGE_SHIFT);
	o = scn_obj_new(s, argv[1], "cma", 2);
	if (!o) {
		cma_release(cma, page, count);
		return -1;
	}
	o->ptrs[0] = page;
	o->ptrs[1] = (void *)(uintptr_t)count;
	return 0;
}

static int cmd_cma_release(struct scn *s, int argc, char **argv)
{
	struct scn_obj *o = find_kind(s, argv[1], "cma");
	struct cma *cma = cma_default_area();
	unsigned long count;

	(void)argc;
	if (!o)
		return -1;
	count = (unsigned long)(uintptr_t)o->ptrs[1];
	fprintf(s->out, "cma_release(%s, pfn %#lx, %lu) = %s\n", cma_get_name(cma),
		page_to_pfn(o->ptrs[0]), count,
		cma_release(cma, o->ptrs[0], count) ? "true" : "false");
	scn_obj_del(s, o);
	return 0;
}

/* ---------------------------------------------------------------------
 * Credentials
 */

static int cmd_setrlimit(struct scn *s, int argc, char **argv)
{
	struct mmsim_rlimit r;
	unsigned long cur, max;
	long ret;

	if (!need_task(s))
		return -1;
	if (strcmp(argv[1], "RLIMIT_MEMLOCK") && strcmp(argv[1], "memlock"))
		return scn_fail(s, "resource '%s': RLIMIT_MEMLOCK", argv[1]);
	if (scn_size(s, "soft", argv[2], 0, ~0UL, &cur))
		return -1;
	max = cur;
	if (argc > 3 && scn_size(s, "hard", argv[3], 0, ~0UL, &max))
		return -1;
	r.rlim_cur = cur;
	r.rlim_max = max;
	ret = sys_setrlimit(RLIMIT_MEMLOCK, &r);
	scn_print_pid(s);
	fprintf(s->out, "setrlimit(RLIMIT_MEMLOCK, {rlim_cur=%lu, rlim_max=%lu})", cur, max);
	scn_print_ret(s, ret, false);
	return 0;
}

static int cmd_capdrop(struct scn *s, int argc, char **argv)
{
	struct task_struct *t = need_task(s);

	(void)argc;
	if (!t)
		return -1;
	if (strcmp(argv[1], "CAP_IPC_LOCK"))
		return scn_fail(s, "capability '%s': CAP_IPC_LOCK", argv[1]);
	mmsim_cap_drop(t, 14);
	scn_print_pid(s);
	fprintf(s->out, "drops CAP_IPC_LOCK\n");
	return 0;
}

const struct scn_command scn_pin_commands[] = {
	{ "pin", cmd_pin, true, 4, 6, "pin NAME ADDR LEN [longterm] [write]",
	  "pin_user_pages() of current's range, kept as NAME" },
	{ "unpin", cmd_unpin, true, 2, 2, "unpin NAME", "unpin_user_pages() of pin NAME" },
	{ "ib_reg_mr", cmd_ib_reg_mr, true, 4, 5, "ib_reg_mr NAME ADDR LEN [ACCESS,...]",
	  "register current's range for RDMA (ib_umem_get), kept as NAME" },
	{ "ib_dereg_mr", cmd_ib_dereg_mr, true, 2, 2, "ib_dereg_mr NAME",
	  "deregister it (ib_umem_release)" },
	{ "memremap", cmd_memremap, true, 3, 5, "memremap NAME SIZE [type=T] [node=N]",
	  "ZONE_DEVICE memory of SIZE (memremap_pages), kept as NAME" },
	{ "memunmap", cmd_memunmap, true, 2, 2, "memunmap NAME", "memunmap_pages() of NAME" },
	{ "devpage", cmd_devpage, true, 4, 4, "devpage NAME INDEX get|put",
	  "hand device page INDEX out (zone_device_page_init), or put_page it" },
	{ "cma_alloc", cmd_cma_alloc, true, 3, 4, "cma_alloc NAME COUNT [ALIGN]",
	  "COUNT pages of the cma= area, 2^ALIGN aligned (cma_alloc), kept as NAME" },
	{ "cma_release", cmd_cma_release, true, 2, 2, "cma_release NAME",
	  "give them back (cma_release)" },
	{ "setrlimit", cmd_setrlimit, true, 3, 4, "setrlimit RLIMIT_MEMLOCK SOFT [HARD]",
	  "set current's memlock limit (bytes)" },
	{ "capdrop", cmd_capdrop, true, 2, 2, "capdrop CAP_IPC_LOCK",
	  "current gives up CAP_IPC_LOCK (as a non-root user runs)" },
	{ .name = NULL }
};
