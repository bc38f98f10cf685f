// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_filemap_stress.c - a seeded random walk over the page
 * cache's operations on one pcfs.h file with a byte-exact model of it,
 * calling the checkers after every step (mapping_is_valid, mm_is_valid,
 * mm_mapcounts_are_valid, lru_all_valid):
 *   reads (filemap_read) of random ranges compared with the model;
 *   writes (generic_file_write_iter) that update it; truncate_setsize to
 *   random sizes (the store behind the file is cut as a file system's
 *   setattr frees blocks); invalidate_mapping_pages and
 *   invalidate_inode_pages2_range; forced readahead; POSIX_FADV_DONTNEED;
 *   through a shared mapping, reads compared with the model and writes
 *   that update it; through a private mapping, writes read back (the
 *   model unchanged); MADV_DONTNEED on both.
 * Dirty pages never reach the store (nothing writes back here), so they
 * stay cached until truncated, and the model is always what a reader
 * must see.  STRESS_SEED and STRESS_STEPS override the defaults.
 */
#include "pcfs.h"
#include "mm/pagecache_internal.h"

#define MAXP	24

static struct mmsim *m;
static struct pcfs *fs;
static unsigned char *model;
static loff_t size;
static unsigned long sh, pr;
static unsigned int seed;

static unsigned int rnd(unsigned int n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 8) % n;
}

static bool all_valid(void)
{
	return mapping_is_valid(&fs->inode.i_data) && mm_is_valid(current->mm) &&
	       mm_mapcounts_are_valid(m) && lru_all_valid();
}

static void st_read(void)
{
	size_t maxb = MAXP * PAGE_SIZE;
	loff_t pos = rnd((unsigned int)maxb);
	size_t len = 1 + rnd((unsigned int)(3 * PAGE_SIZE));
	unsigned char *buf = malloc(len);
	ssize_t want = pos >= size ? 0 : (ssize_t)min((loff_t)len, size - pos);

	KT_EQ(pcfs_kread(fs, buf, len, pos), want);
	if (want > 0 && memcmp(buf, model + pos, (size_t)want)) {
		fprintf(stderr, "read [%lld, +%zd) differs from the model\n", (long long)pos, want);
		KT_ASSERT(0);
	}
	free(buf);
}

static void st_write(void)
{
	loff_t pos = rnd(MAXP * PAGE_SIZE - 1);
	size_t len = 1 + rnd((unsigned int)min((loff_t)(2 * PAGE_SIZE),
					       (loff_t)MAXP * (loff_t)PAGE_SIZE - pos));
	unsigned char *buf = malloc(len);

	for (size_t i = 0; i < len; i++)
		buf[i] = (unsigned char)rnd(256);
	KT_EQ(pcfs_kwrite(fs, buf, len, pos, 0), (ssize_t)len);
	memcpy(model + pos, buf, len);
	if (pos + (loff_t)len > size)
		size = pos + (loff_t)len;
	KT_EQ(i_size_read(&fs->inode), size);
	free(buf);
}

static void st_truncate(void)
{
	loff_t newsize = rnd(MAXP * PAGE_SIZE);

	if (newsize < size) {
		memset(model + newsize, 0, (size_t)(size - newsize));
		if ((size_t)newsize < fs->store_size)	/* setattr frees the blocks */
			memset(fs->store + newsize, 0, fs->store_size - (size_t)newsize);
	}
	size = newsize;
	truncate_setsize(&fs->inode, newsize);
}

static void st_mapped(void)
{
	loff_t pos;
	unsigned char c;

	if (!size)
		return;
	pos = rnd((unsigned int)size);
	switch (rnd(3)) {
	case 0:
		KT_EQ(mmsim_user_read(sh + (unsigned long)pos, &c, 1), 0);
		KT_EQ_WHAT(c, model[pos], "shared byte %lld", (long long)pos);
		break;
	case 1:
		c = (unsigned char)rnd(256);
		KT_EQ(mmsim_user_write(sh + (unsigned long)pos, &c, 1), 0);
		model[pos] = c;
		break;
	default:
		c = (unsigned char)rnd(256);
		KT_EQ(mmsim_user_write(pr + (unsigned long)pos, &c, 1), 0);
		{
			unsigned char d;

			KT_EQ(mmsim_user_read(pr + (unsigned long)pos, &d, 1), 0);
			KT_EQ(d, c);
		}
		break;
	}
}

static void test_stress(void)
{
	const char *s = getenv("STRESS_SEED"), *n = getenv("STRESS_STEPS");
	unsigned int steps = n ? (unsigned int)atoi(n) : 1500;
	struct task_struct *t = mmsim_spawn(m, "stress");

	seed = s ? (unsigned int)atoi(s) : 12345u;
	printf("# seed %u, %u steps\n", seed, steps);
	KT_EQ(mmsim_switch_to(t), 0);
	size = 10 * (loff_t)PAGE_SIZE + 123;
	fs = pcfs_new(size, rnd(2), false);
	fs->store_size = MAXP * PAGE_SIZE;
	fs->store = calloc(1, fs->store_size);
	model = calloc(1, fs->store_size);
	for (loff_t i = 0; i < size; i++)
		fs->store[i] = model[i] = pcfs_byte(i);
	sh = pcfs_mmap(fs, MAXP * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	pr = pcfs_mmap(fs, MAXP * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	KT_ASSERT(!IS_ERR_VALUE(sh) && !IS_ERR_VALUE(pr));

	for (unsigned int step = 0; step < steps && !kt_cur_failed; step++) {
		unsigned int op = rnd(12);

		switch (op) {
		case 0: case 1: case 2:
			st_read();
			break;
		case 3: case 4:
			st_write();
			break;
		case 5:
			st_truncate();
			break;
		case 6:
			invalidate_mapping_pages(&fs->inode.i_data, 0, (pgoff_t)-1);
			break;
		case 7: {
			int ret = invalidate_inode_pages2_range(&fs->inode.i_data, rnd(MAXP),
								(pgoff_t)-1);

			KT_ASSERT(ret == 0 || ret == -EBUSY);
			break;
		}
		case 8:
			force_page_cache_readahead(&fs->inode.i_data, &fs->file, rnd(MAXP),
						   1 + rnd(8));
			break;
		case 9:
			KT_EQ(generic_fadvise(&fs->file, rnd(MAXP) * (loff_t)PAGE_SIZE,
					      rnd(8) * (loff_t)PAGE_SIZE, POSIX_FADV_DONTNEED), 0);
			break;
		case 10:
			st_mapped();
			st_mapped();
			break;
		default:
			sys_madvise(rnd(2) ? sh : pr, MAXP * PAGE_SIZE, MADV_DONTNEED);
			break;
		}
		if (!all_valid()) {
			fprintf(stderr, "checkers fail after step %u (op %u)\n", step, op);
			KT_ASSERT(0);
			break;
		}
	}
	/* the whole file, read and mapped, is the model */
	{
		unsigned char *buf = malloc(MAXP * PAGE_SIZE);

		KT_EQ(pcfs_kread(fs, buf, MAXP * PAGE_SIZE, 0), (ssize_t)size);
		KT_ASSERT(!memcmp(buf, model, (size_t)size));
		if (size) {
			KT_EQ(mmsim_user_read(sh, buf, (size_t)size), 0);
			KT_ASSERT(!memcmp(buf, model, (size_t)size));
		}
		free(buf);
	}
	sys_exit_group(0);
	pcfs_free(fs);
	free(model);
}

static void run(const char *spec)
{
	m = boot_or_die(spec);
	printf("# %s\n", spec);
	KT_RUN(test_stress);
	KT_ASSERT(lru_all_valid());
	mmsim_shutdown(m);
}

int main(void)
{
	run("ram=64M");
	run("arch=i386 ram=64M");
	run("arch=arm64 page_size=64K ram=256M");
	return kt_done();
}
