/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compaction_test.h - helpers shared by test_compaction.c and
 * test_compaction_huge.c: a /proc/vmstat or /proc/meminfo number, a page's
 * pattern, and Linux's compaction_test fragmentation (lock 80% of MemFree
 * in one process, then unmap every other CHUNK, so that the locked half is
 * spread over the whole zone), with its check that every page kept its
 * bytes.  Include after "vma_test.h".
 */
#ifndef MMSIM_COMPACTION_TEST_H
#define MMSIM_COMPACTION_TEST_H

#define CHUNK	(64UL << 10)	/* unmapped every other one */

static inline long vmstat_of(const char *name)
{
	char *text = mmsim_read(vt_m, "/proc/vmstat");
	char label[64];
	long long v;

	snprintf(label, sizeof(label), "%s ", name);
	v = field(text, label);
	free(text);
	return (long)v;
}

static inline long meminfo_kb(const char *name)
{
	char *text = mmsim_read(vt_m, "/proc/meminfo");
	long long v = field(text, name);

	free(text);
	return (long)v;
}

static inline void fill_page(unsigned long va, unsigned char *buf)
{
	for (size_t i = 0; i < PAGE_SIZE; i += sizeof(unsigned long)) {
		unsigned long v = va * 2654435761UL + i;

		memcpy(buf + i, &v, sizeof(v));
	}
}

static inline bool check_pages(unsigned long a, unsigned long len, bool write)
{
	unsigned char *want = malloc(PAGE_SIZE), *got = malloc(PAGE_SIZE);
	bool ok = true;

	for (unsigned long va = a; va < a + len && ok; va += PAGE_SIZE) {
		if ((va - a) / CHUNK % 2)
			continue;	/* unmapped */
		fill_page(va, want);
		if (write) {
			ok = mmsim_user_write(va, want, PAGE_SIZE) == 0;
			continue;
		}
		ok = mmsim_user_read(va, got, PAGE_SIZE) == 0 && !memcmp(want, got, PAGE_SIZE);
		if (!ok)
			fprintf(stderr, "page %#lx differs after compaction\n", va);
	}
	free(want);
	free(got);
	return ok;
}

static inline unsigned long fragment_locked(unsigned long *lenp, long *mem_free_kb)
{
	unsigned long len, a;

	*mem_free_kb = meminfo_kb("MemFree:");
	len = ALIGN_DOWN((unsigned long)*mem_free_kb * 1024 / 10 * 8, 2 * CHUNK);
	a = vt_mmap(0, len, RW, PRIV | MAP_LOCKED);
	KT_ASSERT(!IS_ERR_VALUE(a));
	KT_ASSERT(check_pages(a, len, true));
	for (unsigned long off = CHUNK; off < len; off += 2 * CHUNK)
		KT_EQ(sys_munmap(a + off, CHUNK), 0);
	lru_add_drain_all();
	drain_all_pages(NULL);
	*lenp = len;
	return a;
}

#endif
