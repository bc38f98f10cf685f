// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_proc.c - the /proc, /sys and /dev files of fs/proc/.
 *
 * Formats are checked line by line against Linux 6.8's (field order of
 * meminfo against a literal list, column counts and widths of buddyinfo
 * and pagetypeinfo, the zoneinfo layout), and values against the state
 * they render (zone fields, counters).  Writes are checked for their effect
 * (sysctls recompute watermarks, pcp high, lowmem_reserve; fail_page_alloc
 * knobs make allocations fail) and for refusing bad values without change.
 * mmsim_read/mmsim_write are also called from threads that are on no CPU,
 * on a CPU of another machine, and while every CPU of the machine is busy.
 * /proc/stat: its lines and columns, one cpuN line per CPU, idle ticks from
 * the virtual clock, and the same bytes from two machines at the same time.
 */
#include <pthread.h>
#include <regex.h>
#include <mmsim/mmsim.h>
#include "mm/internal.h"
#include "mmtest.h"

/* ---------------------------------------------------------------------
 * Helpers
 */

static int count_lines(const char *text)
{
	int n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

static bool line_matches(const char *line, const char *re)
{
	regex_t r;
	bool ok;

	if (regcomp(&r, re, REG_EXTENDED | REG_NOSUB))
		return false;
	ok = !regexec(&r, line, 0, NULL, 0);
	regfree(&r);
	return ok;
}

/* Split @text into a malloc'd array of lines (in a copy). */
static char **split_lines(const char *text, int *nr, char **copy)
{
	int n = count_lines(text), i = 0;
	char **lines = calloc((size_t)n + 1, sizeof(*lines));
	char *save, *l;

	*copy = strdup(text);
	for (l = strtok_r(*copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		lines[i++] = l;
	*nr = i;
	return lines;
}

/* ---------------------------------------------------------------------
 * /proc/meminfo
 */

static const char *const meminfo_x86_64[] = {
	"MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapCached",
	"Active", "Inactive", "Active(anon)", "Inactive(anon)", "Active(file)",
	"Inactive(file)", "Unevictable", "Mlocked", "SwapTotal", "SwapFree", "Dirty",
	"Writeback", "AnonPages", "Mapped", "Shmem", "KReclaimable", "Slab",
	"SReclaimable", "SUnreclaim", "KernelStack", "PageTables", "SecPageTables",
	"NFS_Unstable", "Bounce", "WritebackTmp", "CommitLimit", "Committed_AS",
	"VmallocTotal", "VmallocUsed", "VmallocChunk", "Percpu", "HardwareCorrupted",
	"AnonHugePages", "ShmemHugePages", "ShmemPmdMapped", "FileHugePages",
	"FilePmdMapped", "CmaTotal", "CmaFree", "HugePages_Total", "HugePages_Free", "HugePages_Rsvd",
	"HugePages_Surp", "Hugepagesize", "Hugetlb", "DirectMap4k", "DirectMap2M",
	"DirectMap1G",
};

/* Check every line's shape and return its labels in order. */
static void check_meminfo_lines(const char *text, const char **labels, int *nr)
{
	char *copy, **lines = split_lines(text, nr, &copy);

	for (int i = 0; i < *nr; i++) {
		const char *l = lines[i];
		char *colon = strchr(l, ':');

		KT_ASSERT(colon);
		if (!colon)
			continue;
		*colon = '\0';
		labels[i] = strdup(l);
		*colon = ':';
		if (!strcmp(labels[i], "HardwareCorrupted"))
			KT_ASSERT(line_matches(l, "^HardwareCorrupted: [ 0-9]{5,} kB$"));
		else if (!strncmp(l, "HugePages_", 10))
			KT_ASSERT(line_matches(l, "^HugePages_[A-Za-z]+: +[0-9]+$") && strlen(l) == 24);
		else if (!strcmp(labels[i], "VmallocTotal"))
			KT_ASSERT(line_matches(l, "^VmallocTotal: +[0-9]+ kB$"));
		else if (strlen(l) != 27 || !line_matches(l, "^[A-Za-z0-9_()]+: +[0-9]+ kB$")) {
			fprintf(stderr, "not a label(16) value(8) kB line: '%s'\n", l);
			KT_ASSERT(0);
		}
	}
	free(lines);
	free(copy);
}

static void free_labels(const char **labels, int nr)
{
	for (int i = 0; i < nr; i++)
		free((void *)labels[i]);
}

static void test_meminfo_x86_64(void)
{
	struct mmsim *m = mmsim_boot("ram=256M cpus=2");
	const char *labels[128] = { 0 };
	char *t;
	int nr = 0;

	KT_ASSERT(m);
	t = mmsim_read(m, "/proc/meminfo");
	KT_ASSERT(t);
	check_meminfo_lines(t, labels, &nr);
	KT_EQ(nr, ARRAY_SIZE(meminfo_x86_64));
	for (int i = 0; i < nr && i < (int)ARRAY_SIZE(meminfo_x86_64); i++)
		if (!labels[i] || strcmp(labels[i], meminfo_x86_64[i])) {
			fprintf(stderr, "line %d: %s, expected %s\n", i, labels[i], meminfo_x86_64[i]);
			KT_ASSERT(0);
		}
	KT_EQ(field(t, "MemTotal:"), totalram_pages() * 4);
	KT_EQ(field(t, "MemFree:"), nr_free_pages() * 4);
	KT_EQ(field(t, "MemAvailable:"), si_mem_available() * 4);
	KT_EQ(field(t, "CommitLimit:"), totalram_pages() * 50 / 100 * 4);
	KT_EQ(field(t, "VmallocTotal:"), 34359738367LL);
	KT_EQ(field(t, "Hugepagesize:"), 2048);
	/* 256M from 0: the first 2M in 4K pages, the rest in 2M pages. */
	KT_EQ(field(t, "DirectMap4k:"), 2048);
	KT_EQ(field(t, "DirectMap2M:"), 256 * 1024 - 2048);
	KT_EQ(field(t, "DirectMap1G:"), 0);
	KT_ASSERT(t[strlen(t) - 1] == '\n');
	free_labels(labels, nr);
	free(t);
	mmsim_shutdown(m);
}

/* Slab bytes shown in pages and kB; THP base pages shown as huge pages. */
static void test_meminfo_counter_units(void)
{
	struct mmsim *m = mmsim_boot("ram=128M cpus=1");
	pg_data_t *pgdat = NODE_DATA(0);
	char *t, *v;
	/* The boot's own slab (the root file system's inodes and dentries): a baseline. */
	char *t0 = mmsim_read(m, "/proc/meminfo"), *v0 = mmsim_read(m, "/proc/vmstat");

	mod_node_page_state(pgdat, NR_SLAB_RECLAIMABLE_B, 3 * (long)PAGE_SIZE);
	mod_node_page_state(pgdat, NR_SLAB_UNRECLAIMABLE_B, 5 * (long)PAGE_SIZE);
	mod_node_page_state(pgdat, NR_ANON_THPS, 512);
	mod_node_page_state(pgdat, NR_KERNEL_STACK_KB, 48);
	t = mmsim_read(m, "/proc/meminfo");
	v = mmsim_read(m, "/proc/vmstat");
	KT_EQ(field(t, "SReclaimable:") - field(t0, "SReclaimable:"), 12);
	KT_EQ(field(t, "SUnreclaim:") - field(t0, "SUnreclaim:"), 20);
	KT_EQ(field(t, "Slab:") - field(t0, "Slab:"), 32);
	KT_EQ(field(t, "KReclaimable:") - field(t0, "KReclaimable:"), 12);
	KT_EQ(field(t, "AnonHugePages:"), 2048);
	KT_EQ(field(t, "KernelStack:"), 48);
	KT_EQ(field(v, "nr_slab_reclaimable ") - field(v0, "nr_slab_reclaimable "), 3);
	KT_EQ(field(v, "nr_slab_unreclaimable ") - field(v0, "nr_slab_unreclaimable "), 5);
	KT_EQ(field(v, "nr_anon_transparent_hugepages "), 1);
	KT_EQ(field(v, "nr_kernel_stack "), 48);
	free(t);
	free(v);
	free(t0);
	free(v0);
	mod_node_page_state(pgdat, NR_SLAB_RECLAIMABLE_B, -3 * (long)PAGE_SIZE);
	mod_node_page_state(pgdat, NR_SLAB_UNRECLAIMABLE_B, -5 * (long)PAGE_SIZE);
	mod_node_page_state(pgdat, NR_ANON_THPS, -512);
	mod_node_page_state(pgdat, NR_KERNEL_STACK_KB, -48);
	mmsim_shutdown(m);
}

static void test_meminfo_direct_map_1g(void)
{
	struct mmsim *m = mmsim_boot("ram=2G cpus=1");
	char *t = mmsim_read(m, "/proc/meminfo");

	/* [0,2M) 4K, [2M,1G) 2M pages, [1G,2G) one 1G page. */
	KT_EQ(field(t, "DirectMap4k:"), 2048);
	KT_EQ(field(t, "DirectMap2M:"), 1024 * 1024 - 2048);
	KT_EQ(field(t, "DirectMap1G:"), 1024 * 1024);
	free(t);
	mmsim_shutdown(m);
}

static void test_meminfo_i386(void)
{
	struct mmsim *m = mmsim_boot("arch=i386 ram=1G cpus=2");
	const char *labels[128] = { 0 };
	char *t;
	int nr = 0, mlocked = -1;

	KT_ASSERT(m);
	t = mmsim_read(m, "/proc/meminfo");
	check_meminfo_lines(t, labels, &nr);
	for (int i = 0; i < nr; i++)
		if (labels[i] && !strcmp(labels[i], "Mlocked"))
			mlocked = i;
	KT_ASSERT(mlocked > 0 && mlocked + 5 < nr);
	if (mlocked > 0 && mlocked + 5 < nr) {
		KT_ASSERT(!strcmp(labels[mlocked + 1], "HighTotal"));
		KT_ASSERT(!strcmp(labels[mlocked + 2], "HighFree"));
		KT_ASSERT(!strcmp(labels[mlocked + 3], "LowTotal"));
		KT_ASSERT(!strcmp(labels[mlocked + 4], "LowFree"));
		KT_ASSERT(!strcmp(labels[mlocked + 5], "SwapTotal"));
	}
	KT_ASSERT(field(t, "HighTotal:") > 0);
	KT_EQ(field(t, "HighTotal:") + field(t, "LowTotal:"), field(t, "MemTotal:"));
	KT_EQ(field(t, "HighFree:") + field(t, "LowFree:"), field(t, "MemFree:"));
	KT_EQ(field(t, "Hugepagesize:"), 4096);
	KT_ASSERT(field(t, "DirectMap4k:") >= 4096);	/* the first 4M PMD, the tail */
	KT_ASSERT(field(t, "DirectMap4M:") > 0);
	KT_EQ(field(t, "DirectMap4k:") + field(t, "DirectMap4M:"),
	      (long long)(current_layout->max_low_pfn * 4));
	KT_EQ(field(t, "DirectMap2M:"), -1);
	KT_EQ(field(t, "DirectMap1G:"), -1);
	KT_EQ(field(t, "VmallocTotal:"),
	      (long long)((current_layout->vmalloc_end - current_layout->vmalloc_start) >> 10));
	free_labels(labels, nr);
	free(t);
	mmsim_shutdown(m);

	m = mmsim_boot("arch=i386-pae ram=512M cpus=1");
	KT_ASSERT(m);
	t = mmsim_read(m, "/proc/meminfo");
	KT_ASSERT(strstr(t, "\nHighTotal:"));
	KT_EQ(field(t, "Hugepagesize:"), 2048);
	KT_EQ(field(t, "DirectMap4k:"), 2048);
	KT_ASSERT(field(t, "DirectMap2M:") > 0);
	KT_EQ(field(t, "DirectMap4M:"), -1);
	KT_EQ(field(t, "DirectMap1G:"), -1);
	free(t);
	mmsim_shutdown(m);
}

static void test_arm64_64k(void)
{
	struct mmsim *m = mmsim_boot("arch=arm64 page_size=64K ram=1G cpus=2");
	char *t, *b, *copy, **lines;
	int nr;

	KT_ASSERT(m);
	if (!m)
		return;
	t = mmsim_read(m, "/proc/meminfo");
	KT_EQ(field(t, "Hugepagesize:"), 512 * 1024);
	KT_ASSERT(!strstr(t, "DirectMap"));
	KT_ASSERT(!strstr(t, "HighTotal"));
	b = mmsim_read(m, "/proc/buddyinfo");
	lines = split_lines(b, &nr, &copy);
	KT_ASSERT(nr >= 1);
	for (int i = 0; i < nr; i++) {
		int cols = 0;
		char *p = lines[i] + strlen("Node 0, zone ") + 8;

		for (char *tok = strtok(p, " "); tok; tok = strtok(NULL, " "))
			cols++;
		KT_EQ(cols, 14);
	}
	free(lines);
	free(copy);
	free(b);
	free(t);
	mmsim_shutdown(m);
}

/* ---------------------------------------------------------------------
 * buddyinfo, pagetypeinfo, zoneinfo
 */

static void test_buddyinfo(void)
{
	struct mmsim *m = mmsim_boot("ram=256M cpus=2");
	struct page *pages[64];
	char *t, *mi, *copy, **lines;
	unsigned long total_kb = 0;
	int nr, populated = 0;
	struct zone *zone;

	for (int i = 0; i < 64; i++)	/* leave some holes in the buddy lists */
		pages[i] = alloc_pages(GFP_KERNEL, (unsigned int)(i % 4));
	for (int i = 0; i < 64; i += 2)
		__free_pages(pages[i], (unsigned int)(i % 4));
	drain_all_pages(NULL);
	t = mmsim_read(m, "/proc/buddyinfo");
	mi = mmsim_read(m, "/proc/meminfo");
	lines = split_lines(t, &nr, &copy);
	for_each_populated_zone(zone)
		populated++;
	KT_EQ(nr, populated);
	for (int i = 0; i < nr; i++) {
		char name[16];
		int nid, off = 0;

		KT_ASSERT(line_matches(lines[i], "^Node [0-9]+, zone +[A-Za-z0-9]+ ( {0,5}[0-9]+ ){11}$"));
		KT_EQ(sscanf(lines[i], "Node %d, zone %15s%n", &nid, name, &off), 2);
		KT_EQ(off, (int)strlen("Node 0, zone ") + 8);
		zone = NULL;
		for (int zt = 0; zt < MAX_NR_ZONES; zt++)
			if (!strcmp(zone_of(nid, zt)->name, name))
				zone = zone_of(nid, zt);
		KT_ASSERT(zone);
		for (unsigned int order = 0; order < NR_PAGE_ORDERS && zone; order++) {
			unsigned long n = strtoul(lines[i] + off, NULL, 10);

			KT_EQ(n, zone->free_area[order].nr_free);
			total_kb += (n << order) * (PAGE_SIZE / 1024);
			off += 7;
		}
	}
	KT_EQ(total_kb, field(mi, "MemFree:"));
	for (int i = 1; i < 64; i += 2)
		__free_pages(pages[i], (unsigned int)(i % 4));
	free(lines);
	free(copy);
	free(mi);
	free(t);
	mmsim_shutdown(m);
}

static void test_pagetypeinfo(void)
{
	struct mmsim *m = mmsim_boot("ram=256M cpus=1");
	char *t, *copy, **lines;
	int nr, blocks_line = -1;
	unsigned long unmovable = 0;
	struct page *p[40];

	/* Unmovable allocations large enough to claim whole pageblocks. */
	for (int i = 0; i < 40; i++)
		p[i] = alloc_pages(GFP_KERNEL, 8);
	t = mmsim_read(m, "/proc/pagetypeinfo");
	lines = split_lines(t, &nr, &copy);
	KT_ASSERT(!strncmp(t, "Page block order: 9\nPages per block:  512\n\n", 43));
	KT_ASSERT(line_matches(lines[2], "^Free pages count per migrate type at order  ( {5}[0-9]+ | {4}[0-9]{2} ){11}$"));
	KT_EQ(strchr(lines[2], '0') - lines[2], 43 + 6);
	for (int i = 3; i < nr; i++) {
		if (!strncmp(lines[i], "Number of blocks type", 21)) {
			blocks_line = i;
			break;
		}
		KT_ASSERT(line_matches(lines[i],
				       "^Node    0, zone +[A-Za-z0-9]+, type +[A-Za-z]+ (>? {0,5}[0-9]+ ){11}$"));
	}
	/* Six types per populated zone (x86_64 256M: DMA and DMA32); CMA
	 * is there as in a CONFIG_CMA kernel, even with no area. */
	KT_EQ(blocks_line, 3 + 2 * 6);
	KT_ASSERT(!strcmp(lines[blocks_line],
			  "Number of blocks type     Unmovable      Movable  Reclaimable   HighAtomic          CMA      Isolate "));
	for (int i = blocks_line + 1; i < nr; i++) {
		unsigned long c[6], total = 0, expect = 0;
		char name[16];
		struct zone *zone = NULL;

		KT_ASSERT(line_matches(lines[i], "^Node 0, zone +[A-Za-z0-9]+ ( +[0-9]+ ){6}$"));
		KT_EQ(sscanf(lines[i], "Node 0, zone %15s %lu %lu %lu %lu %lu %lu", name, &c[0], &c[1],
			     &c[2], &c[3], &c[4], &c[5]), 7);
		for (int zt = 0; zt < MAX_NR_ZONES; zt++)
			if (!strcmp(zone_of(0, zt)->name, name))
				zone = zone_of(0, zt);
		for (int k = 0; k < 6; k++)
			total += c[k];
		for (unsigned long pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone);
		     pfn += pageblock_nr_pages)
			expect += pfn_valid(pfn);
		KT_EQ(total, expect);
		unmovable += c[MIGRATE_UNMOVABLE];
	}
	KT_ASSERT(unmovable > 0);
	for (int i = 0; i < 40; i++)
		if (p[i])
			__free_pages(p[i], 8);
	free(lines);
	free(copy);
	free(t);
	mmsim_shutdown(m);
}

struct zi_zone {
	char name[16];
	int nid;
	bool node_stats;
	long long free, min, low, high, spanned, present, managed, start_pfn;
	int nr_protection, nr_cpus;
	bool has_stats;
};

/* Parse /proc/zoneinfo into @zi; returns the number of zones. */
static int parse_zoneinfo(const char *text, struct zi_zone *zi, int max)
{
	char *copy, **lines;
	int nr, n = -1;

	lines = split_lines(text, &nr, &copy);
	for (int i = 0; i < nr; i++) {
		const char *l = lines[i];
		struct zi_zone *z = n >= 0 ? &zi[n] : NULL;

		if (!strncmp(l, "Node ", 5)) {
			if (++n >= max)
				break;
			z = &zi[n];
			memset(z, 0, sizeof(*z));
			z->start_pfn = -1;
			sscanf(l, "Node %d, zone %15s", &z->nid, z->name);
			KT_ASSERT(line_matches(l, "^Node [0-9]+, zone {1,7}[A-Za-z0-9]+$"));
			continue;
		}
		if (!z)
			continue;
		if (!strcmp(l, "  per-node stats"))
			z->node_stats = true;
		else if (!strncmp(l, "  pages free     ", 17))
			z->free = atoll(l + 17);
		else if (!strncmp(l, "        min      ", 17))
			z->min = atoll(l + 17);
		else if (!strncmp(l, "        low      ", 17))
			z->low = atoll(l + 17);
		else if (!strncmp(l, "        high     ", 17))
			z->high = atoll(l + 17);
		else if (!strncmp(l, "        spanned  ", 17))
			z->spanned = atoll(l + 17);
		else if (!strncmp(l, "        present  ", 17))
			z->present = atoll(l + 17);
		else if (!strncmp(l, "        managed  ", 17))
			z->managed = atoll(l + 17);
		else if (!strncmp(l, "        protection: (", 21)) {
			z->nr_protection = 1;
			for (const char *p = l; *p; p++)
				z->nr_protection += *p == ',';
		} else if (!strncmp(l, "      nr_free_pages ", 20))
			z->has_stats = true;
		else if (line_matches(l, "^    cpu: [0-9]+$"))
			z->nr_cpus++;
		else if (!strncmp(l, "  start_pfn:           ", 23))
			z->start_pfn = atoll(l + 23);
	}
	free(lines);
	free(copy);
	return n + 1;
}

static void test_zoneinfo(void)
{
	struct mmsim *m = mmsim_boot("ram=256M cpus=3");
	struct zi_zone zi[16];
	int n, configured = 0, idx = 0;
	char *t = mmsim_read(m, "/proc/zoneinfo");
	struct zone *zone;

	KT_STR_CONTAINS(t, "\n  pagesets\n    cpu: 0\n              count:    ");
	KT_STR_CONTAINS(t, "\n              high:     ");
	KT_STR_CONTAINS(t, "\n              batch:    ");
	KT_STR_CONTAINS(t, "\n              high_min: ");
	KT_STR_CONTAINS(t, "\n              high_max: ");
	KT_STR_CONTAINS(t, "\n  vm stats threshold: ");
	KT_STR_CONTAINS(t, "\n  node_unreclaimable:  0\n  start_pfn:           ");
	KT_STR_CONTAINS(t, "\n      nr_free_pages ");
	KT_STR_CONTAINS(t, "\n      numa_hit     ");
	KT_STR_CONTAINS(t, "\n      nr_inactive_anon 0\n");
	n = parse_zoneinfo(t, zi, 16);
	for (int zt = 0; zt < MAX_NR_ZONES; zt++)
		configured += zone_of(0, zt)->configured;
	KT_EQ(n, configured);
	for_each_zone(zone) {
		struct zi_zone *z = &zi[idx++];

		KT_ASSERT(!strcmp(z->name, zone->name));
		KT_EQ(z->node_stats, zone == zone_of(0, ZONE_DMA));
		KT_EQ(z->min, zone->_watermark[WMARK_MIN]);
		KT_EQ(z->low, zone->_watermark[WMARK_LOW]);
		KT_EQ(z->high, zone->_watermark[WMARK_HIGH]);
		KT_EQ(z->spanned, zone->spanned_pages);
		KT_EQ(z->present, zone->present_pages);
		KT_EQ(z->managed, zone_managed_pages(zone));
		KT_EQ(z->free, zone_page_state(zone, NR_FREE_PAGES));
		KT_EQ(z->nr_protection, configured);
		KT_EQ(z->has_stats, populated_zone(zone));
		KT_EQ(z->nr_cpus, populated_zone(zone) ? 3 : 0);
		KT_EQ(z->start_pfn, populated_zone(zone) ? (long long)zone->zone_start_pfn : -1);
	}
	/* An unpopulated zone stops after its protection line. */
	KT_STR_CONTAINS(t, "Node 0, zone  Movable\n  pages free     0\n");
	{
		const char *tail = "Movable\n  pages free     0\n";

		KT_ASSERT(strstr(t, tail));
		/* the last zone is Device (CONFIG_ZONE_DEVICE), never populated */
		KT_ASSERT(!strcmp(t + strlen(t) - 36, "        protection: (0, 0, 0, 0, 0)\n"));
	}
	free(t);
	mmsim_shutdown(m);
}

static void test_two_nodes(void)
{
	struct mmsim *m = mmsim_boot("ram=512M cpus=2 nodes=2");
	char *z, *p, *b;
	const char *s;
	int per_node = 0, headers = 0;

	KT_ASSERT(m);
	z = mmsim_read(m, "/proc/zoneinfo");
	p = mmsim_read(m, "/proc/pagetypeinfo");
	b = mmsim_read(m, "/proc/buddyinfo");
	for (s = z; (s = strstr(s, "per-node stats")); s++)
		per_node++;
	for (s = p; (s = strstr(s, "Page block order:")); s++)
		headers++;
	KT_EQ(per_node, 2);
	KT_EQ(headers, 2);
	KT_STR_CONTAINS(b, "Node 1, zone ");
	KT_STR_CONTAINS(z, "Node 1, zone      DMA\n  pages free     0\n");
	free(z);
	free(p);
	free(b);
	mmsim_shutdown(m);
}

/* ---------------------------------------------------------------------
 * /proc/vmstat
 */

static int line_index(const char *text, const char *name)
{
	char *copy, **lines;
	int nr, found = -1;

	lines = split_lines(text, &nr, &copy);
	for (int i = 0; i < nr && found < 0; i++) {
		size_t len = strlen(name);

		if (!strncmp(lines[i], name, len) && lines[i][len] == ' ')
			found = i;
	}
	free(lines);
	free(copy);
	return found;
}

static void test_vmstat(void)
{
	struct mmsim *m = mmsim_boot("ram=256M cpus=2");
	char *t, *copy, **lines;
	unsigned long before, after;
	long pgpgin0;
	struct page *page;
	int nr;

	t = mmsim_read(m, "/proc/vmstat");
	lines = split_lines(t, &nr, &copy);
	for (int i = 0; i < nr; i++)
		KT_ASSERT(line_matches(lines[i], "^[a-z0-9_]+ [0-9]+$"));
	KT_ASSERT(!strncmp(lines[0], "nr_free_pages ", 14));
	KT_ASSERT(!strcmp(lines[nr - 1], "nr_unstable 0"));
	KT_EQ(field(t, "nr_free_pages "), global_zone_page_state(NR_FREE_PAGES));
	KT_ASSERT(line_index(t, "nr_free_cma") < line_index(t, "numa_hit"));
	KT_ASSERT(line_index(t, "numa_other") < line_index(t, "nr_inactive_anon"));
	KT_EQ(line_index(t, "nr_swapcached") + 1, line_index(t, "nr_dirty_threshold"));
	KT_EQ(line_index(t, "nr_dirty_threshold") + 1, line_index(t, "nr_dirty_background_threshold"));
	KT_EQ(line_index(t, "nr_dirty_background_threshold") + 1, line_index(t, "pgpgin"));
	KT_ASSERT(field(t, "nr_dirty_threshold ") > 2 * field(t, "nr_dirty_background_threshold ") - 2);
	KT_ASSERT(field(t, "nr_dirty_background_threshold ") > 0);
	KT_ASSERT(line_index(t, "pgalloc_dma32") > 0);
	KT_EQ(line_index(t, "pgalloc_high"), -1);
	KT_EQ(line_index(t, "allocstall_high"), -1);
	KT_EQ(line_index(t, "pgskip_high"), -1);
	KT_ASSERT(line_index(t, "pgalloc_movable") > 0);
	before = (unsigned long)field(t, "pgalloc_dma32 ");
	pgpgin0 = field(t, "pgpgin ");	/* the boot's reads of the root file system */
	free(lines);
	free(copy);
	free(t);

	page = alloc_pages(GFP_KERNEL, 5);
	count_vm_events(PGPGIN, 10);
	t = mmsim_read(m, "/proc/vmstat");
	after = (unsigned long)field(t, "pgalloc_dma32 ");
	KT_EQ(after - before, 32);
	KT_EQ(field(t, "pgpgin ") - pgpgin0, 5);	/* sectors, shown in kB */
	__free_pages(page, 5);
	free(t);
	mmsim_shutdown(m);

	m = mmsim_boot("arch=i386 ram=1G cpus=1");
	t = mmsim_read(m, "/proc/vmstat");
	KT_ASSERT(line_index(t, "pgalloc_high") > 0);
	KT_EQ(line_index(t, "pgalloc_dma32"), -1);
	free(t);
	mmsim_shutdown(m);
}

/* ---------------------------------------------------------------------
 * /proc/sys/vm
 */

static long read_long(struct mmsim *m, const char *path)
{
	char *t = mmsim_read(m, path);
	long v = t ? strtol(t, NULL, 10) : -1;

	free(t);
	return v;
}

static void test_sysctl_min_free_kbytes(void)
{
	struct mmsim *m = mmsim_boot("ram=256M cpus=2");
	struct zone *dma32 = zone_of(0, ZONE_DMA32);
	unsigned long old_min = dma32->_watermark[WMARK_MIN];
	long mfk = read_long(m, "/proc/sys/vm/min_free_kbytes");
	char buf[32], *zi;
	struct zi_zone z[8];

	KT_EQ(mfk, m->vm.min_free_kbytes);
	snprintf(buf, sizeof(buf), "%ld\n", mfk * 2);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/min_free_kbytes", buf), 0);
	KT_EQ(read_long(m, "/proc/sys/vm/min_free_kbytes"), mfk * 2);
	KT_EQ(m->vm.user_min_free_kbytes, mfk * 2);
	KT_ASSERT(dma32->_watermark[WMARK_MIN] >= 2 * old_min - 2 &&
		  dma32->_watermark[WMARK_MIN] <= 2 * old_min + 2);
	zi = mmsim_read(m, "/proc/zoneinfo");
	parse_zoneinfo(zi, z, 8);
	KT_EQ(z[1].min, dma32->_watermark[WMARK_MIN]);
	KT_EQ(z[1].low, dma32->_watermark[WMARK_LOW]);
	KT_EQ(z[1].high, dma32->_watermark[WMARK_HIGH]);
	free(zi);

	/* Bad values change nothing. */
	KT_EQ(mmsim_write(m, "/proc/sys/vm/min_free_kbytes", "-1"), -EINVAL);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/min_free_kbytes", "abc"), -EINVAL);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/min_free_kbytes", ""), -EINVAL);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/min_free_kbytes", "12 13"), -EINVAL);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/min_free_kbytes", "12x"), -EINVAL);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/min_free_kbytes", "99999999999"), -EINVAL);
	KT_EQ(read_long(m, "/proc/sys/vm/min_free_kbytes"), mfk * 2);
	/* Base 0, as proc_dointvec. */
	KT_EQ(mmsim_write(m, "/proc/sys/vm/min_free_kbytes", " 0x1000\n"), 0);
	KT_EQ(read_long(m, "/proc/sys/vm/min_free_kbytes"), 4096);
	mmsim_shutdown(m);
}

static void test_sysctl_watermark_scale_factor(void)
{
	struct mmsim *m = mmsim_boot("ram=256M cpus=2");
	struct zone *dma32 = zone_of(0, ZONE_DMA32);
	unsigned long managed = zone_managed_pages(dma32);
	unsigned long min = dma32->_watermark[WMARK_MIN];
	unsigned long gap = dma32->_watermark[WMARK_LOW] - min;

	KT_EQ(read_long(m, "/proc/sys/vm/watermark_scale_factor"), 10);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/watermark_scale_factor", "1000"), 0);
	KT_EQ(dma32->_watermark[WMARK_MIN], min);
	KT_EQ(dma32->_watermark[WMARK_LOW] - min, max(min / 4, managed * 1000 / 10000));
	KT_ASSERT(dma32->_watermark[WMARK_LOW] - min > gap);
	KT_EQ(dma32->_watermark[WMARK_HIGH] - dma32->_watermark[WMARK_LOW],
	      dma32->_watermark[WMARK_LOW] - min);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/watermark_scale_factor", "0"), -EINVAL);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/watermark_scale_factor", "3001"), -EINVAL);
	KT_EQ(read_long(m, "/proc/sys/vm/watermark_scale_factor"), 1000);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/watermark_scale_factor", "3000"), 0);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/watermark_scale_factor", "10"), 0);
	KT_EQ(dma32->_watermark[WMARK_LOW] - min, gap);
	mmsim_shutdown(m);
}

static void test_sysctl_lowmem_reserve_ratio(void)
{
	struct mmsim *m = mmsim_boot("ram=256M cpus=2");
	struct zone *dma = zone_of(0, ZONE_DMA);
	unsigned long dma32_managed = zone_managed_pages(zone_of(0, ZONE_DMA32));
	char *t = mmsim_read(m, "/proc/sys/vm/lowmem_reserve_ratio");

	KT_ASSERT(t && !strcmp(t, "256\t256\t32\t0\t0\n"));	/* ..., Movable, Device */
	free(t);
	KT_EQ(dma->lowmem_reserve[ZONE_DMA32], dma32_managed / 256);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/lowmem_reserve_ratio", "128\t128\t16\t0\t0\n"), 0);
	KT_EQ(dma->lowmem_reserve[ZONE_DMA32], dma32_managed / 128);
	t = mmsim_read(m, "/proc/zoneinfo");
	{
		char want[128];

		snprintf(want, sizeof(want), "protection: (0, %lu, %lu, %lu, %lu)", dma32_managed / 128,
			 dma32_managed / 128, dma32_managed / 128, dma32_managed / 128);
		KT_STR_CONTAINS(t, want);
	}
	free(t);
	/* A prefix may be written; values below 1 become 0. */
	KT_EQ(mmsim_write(m, "/proc/sys/vm/lowmem_reserve_ratio", "-5"), 0);
	t = mmsim_read(m, "/proc/sys/vm/lowmem_reserve_ratio");
	KT_ASSERT(t && !strcmp(t, "0\t128\t16\t0\t0\n"));
	free(t);
	KT_EQ(dma->lowmem_reserve[ZONE_DMA32], 0);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/lowmem_reserve_ratio", "1 2 3 4 5 6"), -EINVAL);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/lowmem_reserve_ratio", "256 x"), -EINVAL);
	KT_EQ(m->vm.lowmem_reserve_ratio[ZONE_DMA], 0);
	mmsim_shutdown(m);
}

static void test_sysctl_percpu_pagelist_high_fraction(void)
{
	struct mmsim *m = mmsim_boot("ram=256M cpus=2");
	struct zone *dma32 = zone_of(0, ZONE_DMA32);
	int high = dma32->per_cpu_pageset[1].high;

	KT_EQ(read_long(m, "/proc/sys/vm/percpu_pagelist_high_fraction"), 0);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/percpu_pagelist_high_fraction", "4"), -EINVAL);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/percpu_pagelist_high_fraction", "-1"), -EINVAL);
	KT_EQ(dma32->per_cpu_pageset[1].high, high);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/percpu_pagelist_high_fraction", "8"), 0);
	KT_EQ(dma32->per_cpu_pageset[1].high,
	      max((long)(zone_managed_pages(dma32) / 8 / 2), 4L * dma32->per_cpu_pageset[1].batch));
	KT_ASSERT(dma32->per_cpu_pageset[1].high != high);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/percpu_pagelist_high_fraction", "0"), 0);
	KT_EQ(dma32->per_cpu_pageset[1].high, high);
	mmsim_shutdown(m);
}

static void test_sysctl_misc(void)
{
	struct mmsim *m = mmsim_boot("ram=128M cpus=1");
	char *t;

	KT_EQ(read_long(m, "/proc/sys/vm/watermark_boost_factor"), 15000);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/watermark_boost_factor", "-1"), -EINVAL);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/watermark_boost_factor", "0"), 0);
	KT_EQ(m->vm.watermark_boost_factor, 0);
	KT_EQ(read_long(m, "/proc/sys/vm/extfrag_threshold"), 500);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/extfrag_threshold", "1001"), -EINVAL);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/extfrag_threshold", "1000"), 0);
	KT_EQ(m->vm.extfrag_threshold, 1000);
	t = mmsim_read(m, "/proc/sys/vm/stat_refresh");
	KT_ASSERT(t && !t[0]);
	free(t);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/stat_refresh", "1"), 0);
	/* Unknown and read-only files. */
	errno = 0;
	KT_ASSERT(!mmsim_read(m, "/proc/sys/vm/no_such_knob"));
	KT_EQ(errno, ENOENT);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/no_such_knob", "1"), -ENOENT);
	KT_EQ(mmsim_write(m, "/proc/meminfo", "1"), -EACCES);
	KT_EQ(mmsim_write(m, "/proc/zoneinfo", "1"), -EACCES);
	errno = 0;
	KT_ASSERT(!mmsim_read(m, "/proc/meminfo/"));
	KT_EQ(errno, ENOENT);
	mmsim_shutdown(m);
}

/* ---------------------------------------------------------------------
 * Threads that are not on a CPU of the machine
 */

struct reader_arg {
	struct mmsim *m;		/* the machine to read */
	struct mmsim *home;		/* a machine to be on while reading, or NULL */
	int home_cpu;
	bool ok;
};

static void *reader_thread(void *p)
{
	struct reader_arg *a = p;
	char *t;

	a->ok = true;
	if (a->home && mmsim_enter(a->home, a->home_cpu))
		a->ok = false;
	t = mmsim_read(a->m, "/proc/meminfo");
	if (!t || field(t, "MemTotal:") <= 0)
		a->ok = false;
	free(t);
	t = mmsim_read(a->m, "/proc/zoneinfo");
	if (!t || !strstr(t, "pagesets"))
		a->ok = false;
	free(t);
	if (mmsim_write(a->m, "/proc/sys/vm/extfrag_threshold", "400"))
		a->ok = false;
	/* The thread is back where it was. */
	if (mmsim_current() != a->home || (a->home && smp_processor_id() != a->home_cpu))
		a->ok = false;
	if (a->home)
		mmsim_leave();
	return NULL;
}

static bool run_reader(struct reader_arg *a)
{
	pthread_t th;

	if (pthread_create(&th, NULL, reader_thread, a))
		return false;
	pthread_join(th, NULL);
	return a->ok;
}

static void test_read_from_other_threads(void)
{
	struct mmsim *a = mmsim_boot("ram=128M cpus=2");
	struct mmsim *b = mmsim_boot("ram=64M cpus=2");	/* the main thread is now on b */
	struct reader_arg ra = { .m = a };

	/* On no CPU at all. */
	KT_ASSERT(run_reader(&ra));
	KT_EQ(a->vm.extfrag_threshold, 400);
	/* On CPU 1 of another machine: it keeps that CPU. */
	ra = (struct reader_arg){ .m = a, .home = b, .home_cpu = 1 };
	KT_ASSERT(run_reader(&ra));
	/* The borrowed CPUs of a are free again. */
	KT_EQ(mmsim_enter(a, 1), 0);
	KT_EQ(mmsim_enter(a, 0), 0);
	/* A thread on a CPU of the machine it reads uses that CPU. */
	KT_EQ(mmsim_enter(b, 0), 0);
	{
		struct reader_arg own = { .m = b, .home = b, .home_cpu = 1 };

		KT_ASSERT(run_reader(&own));
	}
	ra = (struct reader_arg){ .m = a, .home = NULL };
	KT_ASSERT(run_reader(&ra));	/* a's CPUs are free: this thread left a */
	/* The calling thread, on b, reads a and stays on b. */
	{
		char *t = mmsim_read(a, "/proc/buddyinfo");

		KT_ASSERT(t && strstr(t, "DMA32"));
		free(t);
		KT_ASSERT(mmsim_current() == b && smp_processor_id() == 0);
	}
	mmsim_shutdown(a);
	mmsim_shutdown(b);
}

/* A machine whose only CPU is held by another thread is read as an observer. */
static void test_read_all_cpus_busy(void)
{
	struct mmsim *m = mmsim_boot("ram=64M cpus=1");
	struct reader_arg ra = { .m = m };

	/* This thread holds CPU 0, the only CPU; the reader is on none. */
	KT_ASSERT(run_reader(&ra));
	KT_ASSERT(mmsim_current() == m && smp_processor_id() == 0);
	mmsim_shutdown(m);
}

/* A monitor reads every file while a worker allocates and frees on CPU 1. */
struct churn_arg {
	struct mmsim *m;
	atomic_bool stop;
	bool ok;
};

static void *churn_thread(void *p)
{
	struct churn_arg *a = p;
	struct page *pages[32] = { 0 };
	unsigned int i = 0;

	a->ok = !mmsim_enter(a->m, 1);
	while (a->ok && !atomic_load(&a->stop)) {
		unsigned int slot = i++ % 32, order = slot % 5;

		if (pages[slot])
			__free_pages(pages[slot], order);
		pages[slot] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
	}
	for (unsigned int slot = 0; slot < 32; slot++)
		if (pages[slot])
			__free_pages(pages[slot], slot % 5);
	mmsim_leave();
	return NULL;
}

static void test_read_while_allocating(void)
{
	static const char *const files[] = {
		"/proc/meminfo", "/proc/buddyinfo", "/proc/pagetypeinfo", "/proc/zoneinfo",
		"/proc/vmstat", "/dev/kmsg",
	};
	struct churn_arg a = { .m = mmsim_boot("ram=128M cpus=2") };
	pthread_t th;

	atomic_init(&a.stop, false);
	mmsim_leave();		/* the monitor is on no CPU: it borrows CPU 0 */
	KT_EQ(pthread_create(&th, NULL, churn_thread, &a), 0);
	for (int round = 0; round < 20; round++) {
		for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
			char *t = mmsim_read(a.m, files[i]);

			KT_ASSERT(t && t[0]);
			free(t);
		}
		KT_EQ(mmsim_write(a.m, "/proc/sys/vm/extfrag_threshold", round & 1 ? "500" : "400"), 0);
	}
	atomic_store(&a.stop, true);
	pthread_join(th, NULL);
	KT_ASSERT(a.ok);
	KT_EQ(mmsim_enter(a.m, 0), 0);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(a.m);
}

/* ---------------------------------------------------------------------
 * fail_page_alloc and /dev/kmsg
 */

#define FPA "/sys/kernel/debug/fail_page_alloc/"

static void test_fail_page_alloc(void)
{
	struct mmsim *m = mmsim_boot("ram=128M cpus=1");
	struct page *p1, *p2, *p3;
	char *t;

	t = mmsim_read(m, FPA "ignore-gfp-wait");
	KT_ASSERT(t && !strcmp(t, "Y\n"));
	free(t);
	t = mmsim_read(m, FPA "min-order");
	KT_ASSERT(t && !strcmp(t, "1\n"));
	free(t);
	KT_EQ(read_long(m, FPA "times"), 1);
	KT_EQ(read_long(m, FPA "interval"), 1);

	KT_EQ(mmsim_write(m, FPA "probability", "100\n"), 0);
	KT_EQ(mmsim_write(m, FPA "times", "2"), 0);
	KT_EQ(mmsim_write(m, FPA "min-order", "0"), 0);
	KT_EQ(mmsim_write(m, FPA "ignore-gfp-wait", "N\n"), 0);
	KT_EQ(mmsim_write(m, FPA "verbose", "0"), 0);
	t = mmsim_read(m, FPA "ignore-gfp-wait");
	KT_ASSERT(t && !strcmp(t, "N\n"));
	free(t);

	p1 = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);
	p2 = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);
	p3 = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);
	KT_ASSERT(!p1);
	KT_ASSERT(!p2);
	KT_ASSERT(p3);
	KT_EQ(read_long(m, FPA "times"), 0);
	if (p3)
		__free_pages(p3, 0);

	/* Formats and bad values. */
	KT_EQ(mmsim_write(m, FPA "times", "-1"), 0);
	t = mmsim_read(m, FPA "times");
	KT_ASSERT(t && !strcmp(t, "-1\n"));
	free(t);
	KT_EQ(mmsim_write(m, FPA "probability", "-1"), -EINVAL);
	KT_EQ(mmsim_write(m, FPA "probability", "ten"), -EINVAL);
	KT_EQ(mmsim_write(m, FPA "ignore-gfp-highmem", "maybe"), -EINVAL);
	KT_EQ(mmsim_write(m, FPA "ignore-gfp-highmem", "off"), 0);
	KT_EQ(m->fail_page_alloc.ignore_gfp_highmem, false);
	KT_EQ(mmsim_write(m, FPA "min-order", "4294967296"), -EINVAL);
	KT_EQ(mmsim_write(m, FPA "space", "0x1000"), 0);
	KT_EQ(m->fail_page_alloc.space, 4096);
	KT_EQ(read_long(m, FPA "probability"), 100);
	KT_EQ(mmsim_write(m, FPA "probability", "0"), 0);
	p1 = alloc_pages(GFP_KERNEL, 0);
	KT_ASSERT(p1);
	if (p1)
		__free_pages(p1, 0);
	mmsim_shutdown(m);
}

static void test_kmsg(void)
{
	struct mmsim *m = mmsim_boot("ram=64M cpus=1");
	char *t;

	KT_EQ(mmsim_write(m, "/dev/kmsg", "<3>hello from test_proc\n"), 0);
	KT_EQ(mmsim_write(m, "/dev/kmsg", "plain line"), 0);
	t = mmsim_read(m, "/dev/kmsg");
	KT_STR_CONTAINS(t, "] Linux version ");
	KT_STR_CONTAINS(t, "] hello from test_proc\n");
	KT_STR_CONTAINS(t, "] plain line\n");
	KT_ASSERT(t && line_matches(t, "^\\[ *[0-9]+\\.[0-9]{6}\\] "));
	KT_EQ(log_record_at(&m->log, m->log.nr - 2)->level, 3);
	KT_EQ(log_record_at(&m->log, m->log.nr - 1)->level, LOGLEVEL_DEFAULT);
	free(t);
	mmsim_shutdown(m);
}

/* log_buf_len=: the log is a ring; the oldest records go, seqs go on. */
static void test_kmsg_ring(void)
{
	struct mmsim *m = mmsim_boot("ram=64M cpus=1 log_buf_len=5K");
	const struct log_record *first, *last;
	uint64_t bytes = 0;
	char *t;

	KT_ASSERT(m);
	if (!m)
		return;
	for (int i = 0; i < 20000; i++)
		printk(KERN_INFO "ring test line %d\n", i);
	t = mmsim_read(m, "/dev/kmsg");
	/* 5K rounds up to 8K; a line renders its 8-byte header as 16 bytes. */
	KT_ASSERT(t && strlen(t) <= 8192 + 8 * (8192 >> 5));
	KT_STR_CONTAINS(t, "] ring test line 19999\n");
	KT_ASSERT(t && !strstr(t, "] ring test line 0\n"));
	KT_ASSERT(t && !strstr(t, "Linux version"));
	KT_ASSERT(m->log.nr > 0 && m->log.nr <= 8192 >> 5);
	first = log_record_at(&m->log, 0);
	last = log_record_at(&m->log, m->log.nr - 1);
	KT_ASSERT(first->seq > 0);
	KT_EQ(last->seq - first->seq + 1, (uint64_t)m->log.nr);
	KT_EQ(last->seq + 1, m->log.next_seq);
	KT_STR_CONTAINS(t, first->text);
	for (size_t i = 0; i < m->log.nr; i++)
		bytes += ALIGN(sizeof(unsigned long) + strlen(log_record_at(&m->log, i)->text),
			       sizeof(unsigned long));
	KT_EQ(bytes, (uint64_t)m->log.bytes);
	KT_ASSERT(bytes <= 8192);
	free(t);
	mmsim_shutdown(m);

	KT_ASSERT(!mmsim_boot("log_buf_len=1K"));
	KT_STR_CONTAINS(mmsim_last_error(), "'log_buf_len=1K': smaller than the minimum 4K");
	KT_ASSERT(!mmsim_boot("log_buf_len=4G"));
	KT_STR_CONTAINS(mmsim_last_error(), "'log_buf_len=4G': log_buf over 2G is not supported");
	KT_ASSERT(!mmsim_boot("log_buf_len=12Q"));
	KT_STR_CONTAINS(mmsim_last_error(), "'log_buf_len=12Q': invalid size");
}

/* ---------------------------------------------------------------------
 * /proc/stat
 */

/* The 10 tick columns of the line of /proc/stat that starts with @name. */
static bool stat_cpu_line(const char *text, const char *name, unsigned long long *t)
{
	size_t len = strlen(name);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, name, len) && p[len] == ' ')
			return sscanf(p + len, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
				      &t[0], &t[1], &t[2], &t[3], &t[4], &t[5], &t[6], &t[7],
				      &t[8], &t[9]) == 10;
	return false;
}

static void test_stat(void)
{
	static const char *const tail[] = {
		"^intr [0-9]+( [0-9]+)*$", "^ctxt 0$", "^btime 0$", "^processes 1$",
		"^procs_running 1$", "^procs_blocked 0$", "^softirq 0( 0){10}$",
	};
	struct mmsim *m = mmsim_boot("ram=64M cpus=3");
	struct mmsim *m2 = mmsim_boot("ram=64M cpus=3");
	unsigned long long t[10], sum_idle = 0;
	char *text, *again, *other, *copy, **lines, name[16];
	int nr;

	KT_ASSERT(m && m2);
	/* Just booted: no time has passed, every column is 0. */
	text = mmsim_read(m, "/proc/stat");
	KT_ASSERT(text);
	KT_ASSERT(text && !strncmp(text, "cpu  0 0 0 0 0 0 0 0 0 0\n"
					 "cpu0 0 0 0 0 0 0 0 0 0 0\n", 50));
	free(text);

	/* 12.345 s of virtual time: all of it idle on every CPU, in USER_HZ ticks. */
	mmsim_advance_clock(m, 12345000000ULL);
	mmsim_advance_clock(m2, 12345000000ULL);
	text = mmsim_read(m, "/proc/stat");
	KT_ASSERT(text);
	if (!text)
		goto out;
	lines = split_lines(text, &nr, &copy);
	KT_EQ(nr, 1 + 3 + (int)ARRAY_SIZE(tail));
	KT_ASSERT(line_matches(lines[0], "^cpu  [0-9]+( [0-9]+){9}$"));
	for (int cpu = 0; cpu < 3 && cpu + 1 < nr; cpu++) {
		snprintf(name, sizeof(name), "cpu%d", cpu);
		KT_ASSERT(line_matches(lines[cpu + 1], "^cpu[0-9]+( [0-9]+){10}$"));
		KT_ASSERT(!strncmp(lines[cpu + 1], name, strlen(name)));
		KT_ASSERT(stat_cpu_line(text, name, t));
		KT_EQ(t[3], 1234ULL);		/* idle */
		for (int i = 0; i < 10; i++)
			if (i != 3)
				KT_EQ(t[i], 0ULL);
		sum_idle += t[3];
	}
	for (size_t i = 0; i < ARRAY_SIZE(tail) && 4 + (int)i < nr; i++)
		KT_ASSERT(line_matches(lines[4 + i], tail[i]));
	/* The "cpu" line converts the sum of nanoseconds: 37.035 s. */
	KT_ASSERT(stat_cpu_line(text, "cpu ", t));
	KT_EQ(t[3], 3703ULL);
	KT_ASSERT(t[3] >= sum_idle);
	free(lines);
	free(copy);

	/* Deterministic: the same machine and time give the same bytes. */
	again = mmsim_read(m, "/proc/stat");
	other = mmsim_read(m2, "/proc/stat");
	KT_ASSERT(again && other && !strcmp(text, again) && !strcmp(text, other));
	free(again);
	free(other);
	KT_EQ(mmsim_write(m, "/proc/stat", "1"), -EACCES);
	free(text);
out:
	mmsim_shutdown(m2);
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_meminfo_x86_64);
	KT_RUN(test_meminfo_counter_units);
	KT_RUN(test_meminfo_direct_map_1g);
	KT_RUN(test_meminfo_i386);
	KT_RUN(test_arm64_64k);
	KT_RUN(test_buddyinfo);
	KT_RUN(test_pagetypeinfo);
	KT_RUN(test_zoneinfo);
	KT_RUN(test_two_nodes);
	KT_RUN(test_vmstat);
	KT_RUN(test_sysctl_min_free_kbytes);
	KT_RUN(test_sysctl_watermark_scale_factor);
	KT_RUN(test_sysctl_lowmem_reserve_ratio);
	KT_RUN(test_sysctl_percpu_pagelist_high_fraction);
	KT_RUN(test_sysctl_misc);
	KT_RUN(test_read_from_other_threads);
	KT_RUN(test_read_all_cpus_busy);
	KT_RUN(test_read_while_allocating);
	KT_RUN(test_fail_page_alloc);
	KT_RUN(test_kmsg);
	KT_RUN(test_kmsg_ring);
	KT_RUN(test_stat);
	return kt_done();
}
