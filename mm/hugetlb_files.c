// SPDX-License-Identifier: GPL-2.0
/*
 * mm/hugetlb_files.c - the hugetlb subsystem: its boot parameters, boot
 * pools, and the files that show and size the pools (Linux's
 * hugetlb_sysfs/sysctl code in mm/hugetlb.c, hugetlb_report_meminfo and
 * hugetlb_show_meminfo_node; Documentation/admin-guide/mm/hugetlbpage.rst).
 *
 * Boot parameters, in command-line order as Linux reads them:
 *   hugepagesz=SIZE      the size the next hugepages= counts (K/M/G);
 *   hugepages=N          pages of the size named just before, or of the
 *                        default size when it comes first; N or
 *                        "node:count,node:count" (per node);
 *   default_hugepagesz=SIZE  the size of Hugepagesize, MAP_HUGETLB and
 *                        SHM_HUGETLB without size bits, /proc/sys/vm/nr_hugepages.
 * A size the arch lacks fails the boot naming the word (Linux ignores it
 * with a warning; mmsim's boot-spec rule).  Gigantic pages (order >
 * MAX_PAGE_ORDER: 1G on x86_64 and arm64-4K) come from memblock before the
 * buddy allocator starts (hugetlb_bootmem_alloc, called by mm_core_init);
 * the others are allocated from the buddy allocator by hugetlb_init
 * (subsys initcall), which prints Linux's "HugeTLB: registered ..." lines.
 *
 * Files, every number "%lu\n":
 *   /sys/kernel/mm/hugepages/hugepages-<N>kB/{nr_hugepages,
 *       nr_hugepages_mempolicy, free_hugepages, resv_hugepages,
 *       surplus_hugepages, nr_overcommit_hugepages}
 *   /sys/devices/system/node/node<K>/hugepages/hugepages-<N>kB/
 *       {nr_hugepages, free_hugepages, surplus_hugepages}
 *   /proc/sys/vm/{nr_hugepages, nr_hugepages_mempolicy,
 *       nr_overcommit_hugepages}: the default size's
 * Writes of nr_hugepages resize the pool (set_max_huge_pages, which may
 * get fewer pages than asked, as Linux); a gigantic pool grows through
 * alloc_contig_pages (mm/page_contig.c).
 *
 * Locking: the values are read and changed under hugetlb_lock (mm/hugetlb.c);
 * sysctl writes are serialized by sysctl_lock as well.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <mmsim/memblock.h>
#include <mmsim/proc_fs.h>
#include <mmsim/seq_file.h>
#include <mmsim/sysctl.h>
#include <mmsim/printk.h>
#include "mm/hugetlb_internal.h"
#include "init/init.h"
#include "init/machine.h"
#include "lib/cmdline.h"

/* ---------------------------------------------------------------------
 * Boot parameters
 */

static int parse_size(const char *word, const char *val, unsigned long *out, char *err,
		      size_t len)
{
	uint64_t v;

	if (!val || memparse_strict(val, &v) || !v || (v & (v - 1)))
		return cmdline_fail(err, len, "'%s': expected a power-of-two size", word);
	*out = (unsigned long)v;
	return 0;
}

static int setup_hugepagesz(void *state, const struct kernel_param *kp, const char *word,
			    const char *val, char *err, size_t len)
{
	struct hugetlb_state *hs = state;
	struct hugetlb_boot_param *p;
	unsigned long size = 0;
	int ret = parse_size(word, val, &size, err, len);

	(void)kp;
	if (ret)
		return ret;
	for (int i = 0; i < hs->nr_params; i++)
		if (hs->params[i].size == size)
			return cmdline_fail(err, len, "'%s': hugepagesz= specified twice", word);
	if (hs->nr_params == HUGETLB_MAX_BOOT_PARAMS)
		return cmdline_fail(err, len, "'%s': too many hugepagesz=", word);
	p = &hs->params[hs->nr_params++];
	memset(p, 0, sizeof(*p));
	p->size = size;
	p->count = -1;
	return 0;
}

static int setup_hugepages(void *state, const struct kernel_param *kp, const char *word,
			   const char *val, char *err, size_t len)
{
	struct hugetlb_state *hs = state;
	struct hugetlb_boot_param *p = hs->nr_params ? &hs->params[hs->nr_params - 1] : NULL;
	const char *s = val;
	long v;

	(void)kp;
	if (!p || p->count >= 0) {
		if (p)
			return cmdline_fail(err, len,
					    "'%s': hugepages= specified twice without interleaving hugepagesz=",
					    word);
		p = &hs->params[hs->nr_params++];
		memset(p, 0, sizeof(*p));	/* size 0: the default size */
	}
	if (!strchr(val, ':')) {
		if (cmdline_int(val, 0, 1L << 30, &v))
			return cmdline_fail(err, len, "'%s': expected a count", word);
		p->count = v;
		return 0;
	}
	/* node:count[,node:count...] */
	for (int i = 0; i < MAX_NUMNODES; i++)
		p->node_count[i] = -1;
	p->per_node = true;
	p->count = 0;
	while (*s) {
		char *end;
		long nid = strtol(s, &end, 10), cnt;

		if (end == s || *end != ':' || nid < 0 || nid >= MAX_NUMNODES)
			return cmdline_fail(err, len, "'%s': expected node:count,...", word);
		s = end + 1;
		cnt = strtol(s, &end, 10);
		if (end == s || cnt < 0 || (*end && *end != ','))
			return cmdline_fail(err, len, "'%s': expected node:count,...", word);
		p->node_count[nid] = cnt;
		p->count += cnt;
		s = *end ? end + 1 : end;
	}
	return 0;
}

static int setup_default_hugepagesz(void *state, const struct kernel_param *kp, const char *word,
				    const char *val, char *err, size_t len)
{
	struct hugetlb_state *hs = state;

	(void)kp;
	return parse_size(word, val, &hs->default_size_param, err, len);
}

static const struct kernel_param hugetlb_params[] = {
	__setup("hugepagesz", setup_hugepagesz),
	__setup("hugepages", setup_hugepages),
	__setup("default_hugepagesz", setup_default_hugepagesz),
};

/* The hstate a boot parameter counts pages of. */
static struct hstate *param_hstate(struct hugetlb_state *hs, const struct hugetlb_boot_param *p)
{
	unsigned long size = p->size;

	if (!size)
		return &hs->hstates[hs->default_idx];
	for (int i = 0; i < hs->nr_hstates; i++)
		if (huge_page_size(&hs->hstates[i]) == size)
			return &hs->hstates[i];
	return NULL;
}

/*
 * hugetlb_bootmem_alloc - build the hstates and take the gigantic boot
 * pages from memblock (Linux's hugetlb_hstate_alloc_pages for gigantic
 * sizes, alloc_bootmem_huge_page), before memblock_free_all.  A page
 * memblock cannot give is a warning, as Linux's.
 */
int hugetlb_bootmem_alloc(struct mmsim *m, char *err, size_t len)
{
	struct hugetlb_state *hs = subsys_state(m, hugetlb);
	int ret = hugetlb_init_hstates(hs, err, len);

	if (ret)
		return ret;
	for (int i = 0; i < hs->nr_params; i++) {
		struct hugetlb_boot_param *p = &hs->params[i];
		struct hstate *h = param_hstate(hs, p);
		int idx;
		long want;

		if (!h || !h->gigantic || p->count <= 0)
			continue;
		idx = (int)(h - hs->hstates);
		want = min(p->count, (long)HUGETLB_MAX_BOOTMEM);
		for (long k = 0; k < want; k++) {
			int nid = (int)(k % num_online_nodes());
			phys_addr_t pa;

			if (p->per_node) {
				/* the k-th page goes to the node whose share it falls in */
				long acc = 0;

				for (nid = 0; nid < MAX_NUMNODES; nid++) {
					acc += max(p->node_count[nid], 0L);
					if (k < acc)
						break;
				}
			}
			pa = memblock_phys_alloc_try_nid(huge_page_size(h), huge_page_size(h), nid);
			if (!pa) {
				char buf[32];

				hugetlb_size_string(huge_page_size(h), buf, sizeof(buf));
				pr_warn("HugeTLB: allocating %ld of page size %s failed.  Only allocated %d hugepages.\n",
					p->count, buf, hs->nr_bootmem[idx]);
				break;
			}
			hs->bootmem[idx][hs->nr_bootmem[idx]++] = pa;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * /proc/meminfo, show_mem, the totals
 */

unsigned long hugetlb_total_pages(void)
{
	int nr;
	struct hstate *h = hstate_array(&nr);
	unsigned long total = 0;

	for (int i = 0; i < nr; i++)
		total += h[i].nr_huge_pages * pages_per_huge_page(&h[i]);
	return total;
}

void hugetlb_report_meminfo(struct seq_file *sf)
{
	struct hstate *d = default_hstate();
	struct hugetlb_state *hs = hugetlb_state();
	unsigned long total_kb = 0, nr = 0, fr = 0, rs = 0, sp = 0, size = 0;

	spin_lock(&hs->lock);
	for (int i = 0; hs->ready && i < hs->nr_hstates; i++) {
		struct hstate *h = &hs->hstates[i];

		total_kb += h->nr_huge_pages * (huge_page_size(h) >> 10);
		if (h == d) {
			nr = h->nr_huge_pages;
			fr = h->free_huge_pages;
			rs = h->resv_huge_pages;
			sp = h->surplus_huge_pages;
			size = huge_page_size(h) >> 10;
		}
	}
	spin_unlock(&hs->lock);
	seq_printf(sf,
		   "HugePages_Total:   %5lu\n"
		   "HugePages_Free:    %5lu\n"
		   "HugePages_Rsvd:    %5lu\n"
		   "HugePages_Surp:    %5lu\n"
		   "Hugepagesize:   %8lu kB\n",
		   nr, fr, rs, sp, size);
	seq_printf(sf, "Hugetlb:        %8lu kB\n", total_kb);
}

void hugetlb_show_meminfo_node(int nid)
{
	int nr;
	struct hstate *h = hstate_array(&nr);

	for (int i = 0; i < nr; i++)
		printk(KERN_DEFAULT "Node %d hugepages_total=%lu hugepages_free=%lu hugepages_surp=%lu hugepages_size=%lukB\n",
		       nid, h[i].nr_huge_pages_node[nid], h[i].free_huge_pages_node[nid],
		       h[i].surplus_huge_pages_node[nid], huge_page_size(&h[i]) >> 10);
}

/* ---------------------------------------------------------------------
 * sysfs: /sys/kernel/mm/hugepages and the per-node directories
 */

enum hattr { HA_NR, HA_NR_MEMPOLICY, HA_FREE, HA_RESV, HA_SURPLUS, HA_OVERCOMMIT, HA_NR_ATTRS };

static const char *const hattr_names[HA_NR_ATTRS] = {
	"nr_hugepages", "nr_hugepages_mempolicy", "free_hugepages", "resv_hugepages",
	"surplus_hugepages", "nr_overcommit_hugepages",
};

/* data: attr | hstate << 8 | (nid + 1) << 16 (0: the global directory). */
#define HDATA(attr, hidx, nid) ((const void *)(uintptr_t)((attr) | ((hidx) << 8) | (((nid) + 1) << 16)))

static void hdata_decode(const void *data, int *attr, struct hstate **h, int *nid)
{
	uintptr_t v = (uintptr_t)data;

	*attr = (int)(v & 0xff);
	*h = &hugetlb_state()->hstates[(v >> 8) & 0xff];
	*nid = (int)(v >> 16) - 1;
}

static unsigned long hattr_value(struct hstate *h, int attr, int nid)
{
	switch (attr) {
	case HA_NR:
	case HA_NR_MEMPOLICY:
		return nid < 0 ? h->nr_huge_pages : h->nr_huge_pages_node[nid];
	case HA_FREE:
		return nid < 0 ? h->free_huge_pages : h->free_huge_pages_node[nid];
	case HA_RESV:
		return h->resv_huge_pages;
	case HA_SURPLUS:
		return nid < 0 ? h->surplus_huge_pages : h->surplus_huge_pages_node[nid];
	default:
		return h->nr_overcommit_huge_pages;
	}
}

static int hattr_show(struct seq_file *sf, struct proc_file *f)
{
	struct hugetlb_state *hs = hugetlb_state();
	struct hstate *h;
	int attr, nid;
	unsigned long v;

	hdata_decode(f->entry->data, &attr, &h, &nid);
	spin_lock(&hs->lock);
	v = hattr_value(h, attr, nid);
	spin_unlock(&hs->lock);
	seq_printf(sf, "%lu\n", v);
	return 0;
}

/* kstrtoul: base 10 here (Linux's sysfs stores use base 10), one trailing newline. */
static int parse_count(const char *text, unsigned long *out)
{
	char *end;

	if (!text || !(*text >= '0' && *text <= '9'))
		return -EINVAL;
	*out = strtoul(text, &end, 10);
	if (*end == '\n')
		end++;
	return *end ? -EINVAL : 0;
}

static int hattr_store(struct proc_file *f, const char *text)
{
	struct hstate *h;
	unsigned long count;
	int attr, nid;

	hdata_decode(f->entry->data, &attr, &h, &nid);
	if (parse_count(text, &count))
		return -EINVAL;
	if (attr == HA_OVERCOMMIT) {
		if (h->gigantic)
			return -EINVAL;	/* hstate_is_gigantic: no surplus pages */
		set_nr_overcommit_huge_pages(h, count);
		return 0;
	}
	return set_max_huge_pages(h, count, nid);
}

static int hugetlb_sysfs_init(struct hugetlb_state *hs)
{
	char path[160];
	int ret = 0;

	for (int i = 0; i < hs->nr_hstates && !ret; i++) {
		for (int a = 0; a < HA_NR_ATTRS && !ret; a++) {
			bool rw = a == HA_NR || a == HA_NR_MEMPOLICY || a == HA_OVERCOMMIT;

			snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/%s/%s",
				 hs->hstates[i].name, hattr_names[a]);
			ret = proc_create_data(path, hattr_show, rw ? hattr_store : NULL,
					       HDATA(a, i, -1));
		}
		for (int nid = 0; nid < num_online_nodes() && !ret; nid++) {
			static const int node_attrs[] = { HA_NR, HA_FREE, HA_SURPLUS };

			for (size_t a = 0; a < ARRAY_SIZE(node_attrs) && !ret; a++) {
				int at = node_attrs[a];

				snprintf(path, sizeof(path),
					 "/sys/devices/system/node/node%d/hugepages/%s/%s", nid,
					 hs->hstates[i].name, hattr_names[at]);
				ret = proc_create_data(path, hattr_show,
						       at == HA_NR ? hattr_store : NULL,
						       HDATA(at, i, nid));
			}
		}
	}
	return ret;
}

/* ---------------------------------------------------------------------
 * sysctl: vm.nr_hugepages, vm.nr_hugepages_mempolicy, vm.nr_overcommit_hugepages
 */

static int hugetlb_sysctl_handler(const struct ctl_table *table, int write, struct seq_file *sf,
				  const char *text)
{
	struct hstate *h = default_hstate();
	struct hugetlb_state *hs = hugetlb_state();
	bool overcommit = table->extra1 != NULL;
	unsigned long v;

	if (!write) {
		spin_lock(&hs->lock);
		v = overcommit ? h->nr_overcommit_huge_pages : h->max_huge_pages;
		spin_unlock(&hs->lock);
		seq_printf(sf, "%lu\n", v);
		return 0;
	}
	while (*text == ' ' || *text == '\t')
		text++;
	if (parse_count(text, &v))
		return -EINVAL;
	if (overcommit) {
		if (h->gigantic)
			return -EINVAL;
		set_nr_overcommit_huge_pages(h, v);
		return 0;
	}
	return set_max_huge_pages(h, v, -1);
}

static const int overcommit_marker = 1;

static int hugetlb_sysctl_init(void)
{
	const struct ctl_table table[] = {
		{ .procname = "nr_hugepages", .mode = 0644,
		  .proc_handler = hugetlb_sysctl_handler },
		{ .procname = "nr_hugepages_mempolicy", .mode = 0644,
		  .proc_handler = hugetlb_sysctl_handler },
		{ .procname = "nr_overcommit_hugepages", .mode = 0644,
		  .proc_handler = hugetlb_sysctl_handler, .extra1 = &overcommit_marker },
	};

	return register_sysctl("vm", table);
}

/* ---------------------------------------------------------------------
 * The subsystem
 */

/* hugetlb_init: boot pools, Linux's "HugeTLB: registered" lines, the files. */
static int hugetlb_init(struct mmsim *m, char *err, size_t len)
{
	struct hugetlb_state *hs = subsys_state(m, hugetlb);
	int ret;

	if (!hs->ready) {
		ret = hugetlb_init_hstates(hs, err, len);
		if (ret)
			return ret;
	}
	hugetlb_prep_bootmem(hs);
	for (int i = 0; i < hs->nr_params; i++) {
		struct hugetlb_boot_param *p = &hs->params[i];
		struct hstate *h = param_hstate(hs, p);

		if (!h || h->gigantic || p->count <= 0)
			continue;
		if (p->per_node) {
			for (int nid = 0; nid < num_online_nodes(); nid++)
				if (p->node_count[nid] > 0)
					set_max_huge_pages(h, (unsigned long)p->node_count[nid], nid);
		} else {
			set_max_huge_pages(h, (unsigned long)p->count, -1);
		}
		if (h->max_huge_pages < (unsigned long)p->count) {
			char buf[32];

			hugetlb_size_string(huge_page_size(h), buf, sizeof(buf));
			pr_warn("HugeTLB: allocating %ld of page size %s failed.  Only allocated %lu hugepages.\n",
				p->count, buf, h->max_huge_pages);
		}
	}
	for (int i = 0; i < hs->nr_hstates; i++) {
		char buf[32];

		hugetlb_size_string(huge_page_size(&hs->hstates[i]), buf, sizeof(buf));
		pr_info("HugeTLB: registered %s page size, pre-allocated %lu pages\n", buf,
			hs->hstates[i].free_huge_pages);
	}
	ret = hugetlb_sysfs_init(hs);
	if (!ret)
		ret = hugetlb_sysctl_init();
	if (ret)
		snprintf(err, len, "hugetlb: cannot create its files (%d)", ret);
	return ret;
}

static void hugetlb_exit(struct mmsim *m)
{
	struct hugetlb_state *hs = subsys_state(m, hugetlb);

	hugetlb_free_all_pools(hs);
	pthread_mutex_destroy(&hs->fault_mutex);
}

static const struct initcall hugetlb_initcalls[] = {
	subsys_initcall(hugetlb_init, hugetlb_exit),
};

DEFINE_SUBSYSTEM(hugetlb, SUBSYS_STATE(struct hugetlb_state, NULL), SUBSYS_PARAMS(hugetlb_params),
		 SUBSYS_INITCALLS(hugetlb_initcalls));
