// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_file_integrity.c - no byte is lost: bytes written through
 * sys_pwrite64, through a MAP_SHARED mapping (mmsim_user_write) and
 * through kernel_write read back identical through every other path
 * (sys_pread64, the mapping with mmsim_user_read, kernel_read), on the
 * disk file system at "/" (mmfs) and on tmpfs at /tmp, across
 *   - fsync, sync and the flusher (virtual time past
 *     dirty_expire_centisecs): after each the disk file has no dirty page;
 *   - drop_caches 3 with dirty pages (they must stay) and with clean ones
 *     (the disk file's cache empties and the bytes are read from disk);
 *   - truncate down into a page and back up: zeroes after the old EOF,
 *     in the cache and, after a drop, on disk;
 *   - a hole (a write past EOF): zeroes;
 *   - mmsim_shutdown + mmsim_boot of a disk=FILE:SIZE image (a host temp
 *     file): synced files, an unsynced one (the unmount at shutdown writes
 *     it back, as Linux's umount does), a directory, an unlink and a
 *     truncate all survive.
 * Design.  A file under test has a shadow (the bytes it must hold) and is
 * open three ways: an fd of the test task, a struct file from filp_open
 * (kernel_read/kernel_write), and a MAP_SHARED mapping of MAP_PAGES pages
 * (only [0, i_size) of it is touched: beyond is SIGBUS).  Every write is
 * a pattern that encodes its file, generation and position
 * (tests/file_fixture.h), so a misplaced or stale page is named on the
 * first bad byte.  After every step the whole file is read through the
 * three paths and compared with the shadow, its size through fstat, and
 * the checkers run: mapping_is_valid, lru_all_valid, mm_is_valid,
 * mm_mapcounts_are_valid.
 * On x86_64, i386 with 1G (page-cache pages in highmem, through kmap) and
 * arm64 with 64K pages (a page of several disk blocks).
 */
#include <unistd.h>
#include "file_fixture.h"

#define MAP_PAGES	24
#define MAXSIZE		(MAP_PAGES * PAGE_SIZE)

static struct mmsim *m;
static const char *arch_words;	/* the run's arch and RAM, for the image boots */

struct tfile {
	char path[64];
	unsigned int tag, gen;
	int fd;
	struct file *kf;		/* filp_open's */
	unsigned long va;		/* the shared mapping, or 0 */
	unsigned char *shadow;		/* MAXSIZE bytes */
	size_t size;
	struct ubuf *u;
};

static unsigned char *scratch, *scratch2;

static bool tf_open(struct tfile *f, const char *path, unsigned int tag, struct ubuf *u, bool trunc)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->path, sizeof(f->path), "%s", path);
	f->tag = tag;
	f->u = u;
	f->shadow = calloc(1, MAXSIZE);
	f->fd = (int)sys_open(path, O_RDWR | O_CREAT | (trunc ? O_TRUNC : 0), 0644);
	KT_ASSERT(f->fd >= 0);
	if (f->fd < 0) {
		fprintf(stderr, "open %s: %d\n", path, f->fd);
		goto fail;
	}
	f->kf = filp_open(path, O_RDWR, 0);
	KT_ASSERT(!IS_ERR_OR_NULL(f->kf));
	if (IS_ERR_OR_NULL(f->kf)) {
		f->kf = NULL;
		sys_close(f->fd);
		goto fail;
	}
	return true;
fail:
	free(f->shadow);
	f->shadow = NULL;
	f->fd = -1;
	return false;
}

static bool tf_map(struct tfile *f)
{
	f->va = sys_mmap(0, MAXSIZE, PROT_READ | PROT_WRITE, MAP_SHARED, (unsigned long)f->fd, 0);
	KT_ASSERT(!IS_ERR_VALUE(f->va));
	if (IS_ERR_VALUE(f->va)) {
		f->va = 0;
		return false;
	}
	return true;
}

static void tf_unmap(struct tfile *f)
{
	if (f->va)
		KT_EQ(sys_munmap(f->va, MAXSIZE), 0);
	f->va = 0;
}

static void tf_close(struct tfile *f)
{
	tf_unmap(f);
	if (f->kf)
		KT_EQ(filp_close(f->kf), 0);
	if (f->fd >= 0)
		KT_EQ(sys_close(f->fd), 0);
	free(f->shadow);
	f->kf = NULL;
	f->fd = -1;
	f->shadow = NULL;
}

static void shadow_write(struct tfile *f, size_t pos, size_t len, unsigned int gen)
{
	pat_fill(f->shadow + pos, f->tag, gen, pos, len);
	if (pos + len > f->size)
		f->size = pos + len;
}

enum how { BY_SYS, BY_MAP, BY_KERNEL };
static const char *const path_name[] = { "sys_pwrite64", "the mapping", "kernel_write" };

/* Write [pos, pos + len) in a new generation through @how. */
static void tf_write(struct tfile *f, enum how how, size_t pos, size_t len)
{
	unsigned int gen = ++f->gen;
	long r = -1;

	KT_ASSERT(pos + len <= MAXSIZE);
	pat_fill(scratch, f->tag, gen, pos, len);
	switch (how) {
	case BY_SYS:
		r = upwrite(f->u, f->fd, scratch, len, (long)pos);
		break;
	case BY_MAP:
		/* a mapping cannot extend the file: only within i_size */
		KT_ASSERT(f->va && pos + len <= f->size);
		r = f->va && !mmsim_user_write(f->va + pos, scratch, len) ? (long)len : -EFAULT;
		break;
	case BY_KERNEL: {
		loff_t p = (loff_t)pos;

		r = f->kf ? kernel_write(f->kf, scratch, len, &p) : -EBADF;
		if (r >= 0)
			KT_EQ(p, pos + (size_t)r);
		break;
	}
	}
	KT_EQ(r, (long)len);
	if (r != (long)len)
		fprintf(stderr, "%s: write %s [%#zx, +%#zx) of %s: %ld\n", kt_cur_name,
			path_name[how], pos, len, f->path, r);
	shadow_write(f, pos, len, gen);
}

static void tf_truncate(struct tfile *f, size_t size)
{
	KT_EQ(sys_ftruncate(f->fd, (long)size), 0);
	if (size < f->size)
		memset(f->shadow + size, 0, f->size - size);
	f->size = size;
}

static bool tf_checkers(struct tfile *f)
{
	struct address_space *mapping = fx_fd_mapping(f->fd);
	bool ok = true;

	KT_ASSERT(mapping);
	if (mapping && !mapping_is_valid(mapping)) {
		fprintf(stderr, "%s: mapping_is_valid(%s)\n", kt_cur_name, f->path);
		ok = false;
	}
	if (!lru_all_valid()) {
		fprintf(stderr, "%s: lru_all_valid\n", kt_cur_name);
		ok = false;
	}
	if (current && !mm_is_valid(current->mm)) {
		fprintf(stderr, "%s: mm_is_valid\n", kt_cur_name);
		ok = false;
	}
	if (!mm_mapcounts_are_valid(m)) {
		fprintf(stderr, "%s: mm_mapcounts_are_valid\n", kt_cur_name);
		ok = false;
	}
	KT_ASSERT(ok);
	return ok;
}

/* Read the whole file through every path and compare with the shadow. */
static void tf_verify(struct tfile *f, const char *when)
{
	char what[160];
	struct stat st;
	long r;

	KT_EQ(sys_fstat(f->fd, &st), 0);
	KT_EQ(st.st_size, f->size);

	/* sys_pread64, a byte past EOF too: a short read */
	memset(scratch2, 0xee, f->size + 1);
	r = upread(f->u, f->fd, scratch2, f->size + 1, 0);
	KT_EQ(r, (long)f->size);
	snprintf(what, sizeof(what), "%s, %s, read by sys_pread64", f->path, when);
	KT_ASSERT(pat_check(scratch2, f->shadow, 0, f->size, what));

	/* kernel_read */
	if (f->kf) {
		loff_t p = 0;

		memset(scratch2, 0xee, f->size + 1);
		r = kernel_read(f->kf, scratch2, f->size + 1, &p);
		KT_EQ(r, (long)f->size);
		KT_EQ(p, f->size);
		snprintf(what, sizeof(what), "%s, %s, read by kernel_read", f->path, when);
		KT_ASSERT(pat_check(scratch2, f->shadow, 0, f->size, what));
	}

	/* the mapping: [0, i_size); the rest of the last page reads zero */
	if (f->va && f->size) {
		size_t end = (f->size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

		memset(scratch2, 0xee, end);
		KT_EQ(mmsim_user_read(f->va, scratch2, end), 0);
		snprintf(what, sizeof(what), "%s, %s, read through the mapping", f->path, when);
		KT_ASSERT(pat_check(scratch2, f->shadow, 0, end, what));
	}
	tf_checkers(f);
}

static bool is_disk(const struct tfile *f)
{
	return strncmp(f->path, "/tmp/", 5) != 0;
}

static void expect_clean(struct tfile *f, const char *when)
{
	struct address_space *mapping = fx_fd_mapping(f->fd);

	if (!is_disk(f) || !mapping)
		return;
	if (fx_mapping_dirty(mapping)) {
		fprintf(stderr, "%s: %s: %s still has dirty pages:", kt_cur_name, f->path, when);
		for (pgoff_t i = 0; i < MAP_PAGES; i++) {
			struct page *pg = find_get_page(mapping, i);

			if (xa_get_mark(&mapping->i_pages, i, PAGECACHE_TAG_DIRTY) ||
			    (pg && PageDirty(pg)))
				fprintf(stderr, " %lu%s%s", (unsigned long)i,
					pg && PageDirty(pg) ? "(PG_dirty)" : "",
					xa_get_mark(&mapping->i_pages, i, PAGECACHE_TAG_DIRTY) ?
					"(tagged)" : "");
			if (pg)
				put_page(pg);
		}
		fprintf(stderr, "\n");
	}
	KT_ASSERT(!fx_mapping_dirty(mapping));
}

/*
 * Every path on one file of @dir: writes, overwrites across page
 * boundaries, a hole, fsync, sync, the flusher, drop_caches, truncate.
 */
static void integrity_on(const char *dir, unsigned int tag)
{
	struct task_struct *t = mmsim_spawn(m, "integrity");
	struct ubuf u;
	struct tfile f;
	char path[64];
	size_t P = PAGE_SIZE;
	struct address_space *mapping;

	KT_ASSERT(t);
	if (!t || mmsim_switch_to(t))
		return;
	KT_ASSERT(ubuf_init(&u, 4 * P));
	snprintf(path, sizeof(path), "%s/integrity-%u", dir, tag);
	if (!tf_open(&f, path, tag, &u, true))
		goto out;

	/* 9.5 pages by write(2), then through all three */
	tf_write(&f, BY_SYS, 0, 9 * P + P / 2);
	tf_verify(&f, "after write");
	if (!tf_map(&f))
		goto out;
	tf_verify(&f, "mapped");
	tf_write(&f, BY_MAP, P - 100, 300);			/* across a page boundary */
	tf_write(&f, BY_MAP, 3 * P + 7, 2 * P);			/* three pages, unaligned */
	tf_write(&f, BY_MAP, 9 * P, P / 2);			/* the partial last page */
	tf_verify(&f, "after mapping writes");
	tf_write(&f, BY_KERNEL, 5 * P - 1, P + 2);
	tf_write(&f, BY_KERNEL, f.size - 10, 2 * P);		/* extends the file */
	tf_verify(&f, "after kernel_write");
	tf_write(&f, BY_SYS, f.size + 2 * P + 5, 100);		/* a hole before it */
	tf_verify(&f, "after a hole");
	tf_write(&f, BY_SYS, 2 * P + 3, 5);			/* small, mid-page */
	tf_write(&f, BY_MAP, f.size - 3 * P, 3 * P);		/* over the hole */
	tf_verify(&f, "after filling the hole by the mapping");

	/* fsync, sync: the disk file is clean and still right */
	KT_EQ(sys_fsync(f.fd), 0);
	expect_clean(&f, "after fsync");
	tf_verify(&f, "after fsync");
	tf_write(&f, BY_MAP, 0, 2 * P);
	tf_write(&f, BY_KERNEL, 7 * P + 11, 40);
	KT_EQ(sys_sync(), 0);
	expect_clean(&f, "after sync");
	tf_verify(&f, "after sync");
	KT_EQ(sys_fdatasync(f.fd), 0);

	/* the mapping again after the clean: the page is dirtied again */
	tf_write(&f, BY_MAP, P + 1, 10);
	tf_write(&f, BY_SYS, 4 * P, P);
	tf_write(&f, BY_KERNEL, 8 * P, 64);
	fx_let_flusher_run(m);
	expect_clean(&f, "after the flusher");
	tf_verify(&f, "after the flusher");

	/* drop_caches with dirty pages: they stay */
	tf_write(&f, BY_MAP, 6 * P, 2 * P);
	tf_write(&f, BY_SYS, 10 * P - 8, 16);
	KT_EQ(fx_drop_caches(m, 3), 0);
	tf_verify(&f, "after drop_caches with dirty pages");

	/* clean, unmapped: drop_caches empties the disk file's cache */
	tf_unmap(&f);
	KT_EQ(sys_fsync(f.fd), 0);
	KT_EQ(fx_drop_caches(m, 3), 0);
	mapping = fx_fd_mapping(f.fd);
	if (is_disk(&f) && mapping)
		KT_EQ(atomic_long_read(&mapping->nrpages), 0);
	tf_verify(&f, "after fsync + drop_caches 3 (read from disk)");
	if (!tf_map(&f))
		goto out;
	tf_verify(&f, "after drop_caches, mapped again");

	/* truncate into a page, then extend: zeroes after the old EOF */
	tf_truncate(&f, 4 * P + 333);
	tf_verify(&f, "after truncate down");
	tf_truncate(&f, 8 * P + 1);
	tf_verify(&f, "after truncate up");
	tf_write(&f, BY_MAP, 4 * P + 300, 100);			/* across the old EOF */
	tf_verify(&f, "after a write across the old EOF");
	tf_unmap(&f);
	KT_EQ(sys_fsync(f.fd), 0);
	KT_EQ(fx_drop_caches(m, 3), 0);
	tf_verify(&f, "after truncate, fsync and drop_caches");
	tf_truncate(&f, 0);
	tf_verify(&f, "truncated to 0");
	tf_write(&f, BY_KERNEL, 3 * P + 17, P);
	KT_EQ(sys_fsync(f.fd), 0);
	KT_EQ(fx_drop_caches(m, 3), 0);
	tf_verify(&f, "regrown from 0, dropped");
	tf_close(&f);
	KT_EQ(sys_unlink(path), 0);
	KT_EQ(sys_open(path, O_RDONLY, 0), -ENOENT);
out:
	if (f.shadow)
		tf_close(&f);
	sys_exit_group(0);
	KT_ASSERT(mm_mapcounts_are_valid(m));
	KT_ASSERT(lru_all_valid());
}

static void test_integrity_disk(void)
{
	integrity_on("", 0x11);
}

static void test_integrity_tmpfs(void)
{
	integrity_on("/tmp", 0x22);
}

/* Two files, one page-interleaved by turns: no page lands in the other. */
static void test_two_files_interleaved(void)
{
	struct task_struct *t = mmsim_spawn(m, "two");
	struct tfile a, b;
	struct ubuf u;
	size_t P = PAGE_SIZE;

	if (!t || mmsim_switch_to(t))
		return;
	KT_ASSERT(ubuf_init(&u, 2 * P));
	if (!tf_open(&a, "/inter-a", 0x31, &u, true))
		goto out;
	if (!tf_open(&b, "/tmp/inter-b", 0x32, &u, true)) {
		tf_close(&a);
		goto out;
	}
	for (size_t i = 0; i < 8; i++) {
		tf_write(&a, i % 2 ? BY_SYS : BY_KERNEL, i * P, P);
		tf_write(&b, i % 2 ? BY_KERNEL : BY_SYS, i * P, P);
	}
	tf_map(&a);
	tf_map(&b);
	for (size_t i = 0; i < 8; i++) {
		tf_write(&a, BY_MAP, i * P + 8, P / 2);
		tf_write(&b, BY_MAP, i * P + P / 4, P / 2);
	}
	tf_verify(&a, "interleaved");
	tf_verify(&b, "interleaved");
	tf_unmap(&a);
	KT_EQ(sys_sync(), 0);
	KT_EQ(fx_drop_caches(m, 3), 0);
	tf_verify(&a, "interleaved, dropped");
	tf_verify(&b, "interleaved, dropped");
	tf_close(&a);
	tf_close(&b);
	KT_EQ(sys_unlink("/inter-a"), 0);
	KT_EQ(sys_unlink("/tmp/inter-b"), 0);
out:
	sys_exit_group(0);
}

/* --- shutdown and boot of a disk image ------------------------------- */

struct saved {
	const char *path;
	unsigned int tag;
	unsigned char *bytes;
	size_t size;
};

/* Read @s->path in a fresh task of the new machine and compare. */
static void check_saved(struct saved *s, const char *when)
{
	struct ubuf u;
	struct tfile f;
	char what[128];

	KT_ASSERT(ubuf_init(&u, 4 * PAGE_SIZE));
	if (!tf_open(&f, s->path, s->tag, &u, false))
		return;
	memcpy(f.shadow, s->bytes, s->size);
	f.size = s->size;
	snprintf(what, sizeof(what), "%s", when);
	tf_map(&f);
	tf_verify(&f, what);
	tf_close(&f);
}

static void keep(struct saved *s, struct tfile *f)
{
	s->path = strdup(f->path);
	s->tag = f->tag;
	s->size = f->size;
	s->bytes = malloc(MAXSIZE);
	memcpy(s->bytes, f->shadow, MAXSIZE);
}

static void test_shutdown_boot(void)
{
	char image[] = "/tmp/mmsim-integrity-XXXXXX", spec[128];
	struct saved sv[4] = { 0 };
	struct task_struct *t;
	struct tfile f;
	struct ubuf u;
	size_t P = PAGE_SIZE;
	struct mmsim *m2, *m1 = m;
	int hfd = mkstemp(image);

	KT_ASSERT(hfd >= 0);
	if (hfd < 0)
		return;
	close(hfd);		/* empty: the boot sizes it and mkfs's it */
	snprintf(spec, sizeof(spec), "%s disk=%s:32M", arch_words, image);

	/* boot 1: three files, one in a directory, one left dirty */
	m = m2 = boot_or_die(spec);
	t = mmsim_spawn(m2, "writer");
	if (!t || mmsim_switch_to(t))
		goto out;
	KT_ASSERT(ubuf_init(&u, 4 * P));
	KT_EQ(sys_mkdir("/d", 0755), 0);
	if (tf_open(&f, "/a", 0x41, &u, true)) {
		tf_write(&f, BY_SYS, 0, 5 * P + 77);
		tf_write(&f, BY_KERNEL, 2 * P - 5, 10);
		keep(&sv[0], &f);
		tf_close(&f);
	}
	if (tf_open(&f, "/d/b", 0x42, &u, true)) {
		tf_truncate(&f, 7 * P + 1);
		if (tf_map(&f)) {
			tf_write(&f, BY_MAP, 0, 7 * P + 1);
			KT_EQ(sys_msync(f.va, MAXSIZE, MS_SYNC), 0);
		}
		keep(&sv[1], &f);
		tf_close(&f);
	}
	if (tf_open(&f, "/c", 0x43, &u, true)) {
		tf_write(&f, BY_KERNEL, 0, 12 * P);
		tf_truncate(&f, 3 * P + 5);
		keep(&sv[2], &f);
		tf_close(&f);
	}
	KT_EQ(sys_sync(), 0);
	if (tf_open(&f, "/e-unsynced", 0x44, &u, true)) {
		tf_write(&f, BY_SYS, 0, 3 * P);
		if (tf_map(&f))
			tf_write(&f, BY_MAP, P / 2, P);
		keep(&sv[3], &f);
		tf_close(&f);
	}
	sys_exit_group(0);
	mmsim_shutdown(m2);
	m = m1;

	/* boot 2: everything is there; then change it */
	m = m2 = boot_or_die(spec);
	t = mmsim_spawn(m2, "reader");
	if (!t || mmsim_switch_to(t))
		goto out;
	{
		for (int i = 0; i < 4; i++)
			check_saved(&sv[i], i == 3 ? "after boot (unsynced at shutdown)" :
						     "after boot");
		KT_ASSERT(ubuf_init(&u, 4 * P));
		KT_EQ(sys_unlink("/c"), 0);
		if (tf_open(&f, "/a", 0x41, &u, false)) {
			memcpy(f.shadow, sv[0].bytes, sv[0].size);
			f.size = sv[0].size;
			f.gen = 10;
			tf_truncate(&f, 2 * P + 3);
			tf_write(&f, BY_SYS, 4 * P, 10);
			free(sv[0].bytes);
			free((void *)sv[0].path);
			keep(&sv[0], &f);
			tf_close(&f);
		}
	}
	sys_exit_group(0);
	mmsim_shutdown(m2);
	m = m1;

	/* boot 3: the unlink and the truncate held */
	m = m2 = boot_or_die(spec);
	t = mmsim_spawn(m2, "reader2");
	if (!t || mmsim_switch_to(t))
		goto out;
	{
		KT_EQ(sys_open("/c", O_RDONLY, 0), -ENOENT);
		check_saved(&sv[0], "after truncate, boot");
		check_saved(&sv[1], "second boot");
	}
	sys_exit_group(0);
	mmsim_shutdown(m2);
	m = m1;
out:
	for (int i = 0; i < 4; i++) {
		free((void *)sv[i].path);
		free(sv[i].bytes);
	}
	if (m != m1)
		mmsim_shutdown(m);	/* a failed step left it up */
	unlink(image);
	m = m1;
	KT_EQ(mmsim_enter(m, 0), 0);
}

static void run(const char *spec, const char *arch)
{
	arch_words = arch;
	m = boot_or_die(spec);
	printf("# %s\n", spec);
	scratch = malloc(MAXSIZE + 8);
	scratch2 = malloc(MAXSIZE + 8);
	KT_RUN(test_integrity_disk);
	KT_RUN(test_integrity_tmpfs);
	KT_RUN(test_two_files_interleaved);
	KT_RUN(test_shutdown_boot);
	KT_ASSERT(mm_mapcounts_are_valid(m));
	mmsim_shutdown(m);
	free(scratch);
	free(scratch2);
}

int main(void)
{
	run("ram=128M disk=64M", "ram=64M");
	run("arch=i386 ram=1G disk=64M", "arch=i386 ram=1G");
	run("arch=arm64 page_size=64K ram=256M disk=128M", "arch=arm64 page_size=64K ram=256M");
	return kt_done();
}
