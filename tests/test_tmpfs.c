// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_tmpfs.c - tmpfs (mm/shmem.c) as Linux's:
 *   - shmem pages are PG_swapbacked, in the cache (meminfo Shmem) and on
 *     the anon LRU lists; SHM_LOCK makes a SysV segment's pages
 *     unevictable (meminfo Unevictable), SHM_UNLOCK rescues them;
 *   - a kernel shmem file (shmem_file_setup): writes through ->write_iter
 *     and reads through ->read_iter, a hole reads as zeroes without
 *     allocating, truncation frees the pages past the end and zeroes the
 *     partial one;
 *   - through the system calls on /tmp and /dev/shm (the VFS's mounts):
 *     create, write, read, lseek, fstat, ftruncate, unlink, mkdir, rmdir
 *     (ENOTEMPTY), Shmem growing and shrinking back, the inode evicted at
 *     the last close of an unlinked file;
 *   - a tmpfs mounted with size= gives ENOSPC (a short write first), one
 *     with nr_inodes= ENOSPC at create; statfs counts both;
 *   - a file mapped MAP_SHARED by two processes: each sees the other's
 *     bytes, and read() sees them; after ftruncate a touch past the new
 *     end is SIGBUS (BUS_ADRERR);
 *   - shmem_sb_is_valid / shmem_inode_is_valid after every step, and
 *     lru_all_valid, mm_mapcounts_are_valid.
 * The parts that need the VFS or the page-cache paths say SKIP while those
 * are stubs (-ENOSYS), so that the rest still tests shmem's own part.
 */
#include <fcntl.h>
#include <mmsim/sched.h>
#include <mmsim/signal.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include <mmsim/slab.h>
#include <mmsim/shm.h>
#include <mmsim/swap.h>
#include <mmsim/shmem_fs.h>
#include <mmsim/pagemap.h>
#include <mmsim/uio.h>
#include "mmtest.h"
#include "mm/fault_internal.h"
#include "kernel/internal.h"
#include "fs/internal.h"

#define RW	(PROT_READ | PROT_WRITE)
#define KB(pages) ((long long)(pages) * (long long)(PAGE_SIZE / 1024))

static struct mmsim *m;

static long long meminfo_kb(const char *label)
{
	char *s = mmsim_read(m, "/proc/meminfo");
	long long v = s ? field(s, label) : -1;

	free(s);
	return v;
}

static void put_byte(unsigned long va, unsigned char c)
{
	KT_EQ(mmsim_user_write(va, &c, 1), 0);
}

static int get_byte(unsigned long va)
{
	unsigned char c = 0;

	if (mmsim_user_read(va, &c, 1))
		return -1;
	return c;
}

static struct page *page_at(struct mm_struct *mm, unsigned long va)
{
	pte_t *ptep = mm_find_pte(mm, va);
	pte_t pte = ptep ? ptep_get(ptep) : __pte(0);

	return pte_present(pte) ? pfn_to_page(pte_pfn(pte)) : NULL;
}

static bool fs_valid(const char *path)
{
	struct path p;
	bool ok;

	if (kern_path(path, LOOKUP_FOLLOW, &p))
		return false;
	ok = shmem_sb_is_valid(p.dentry->d_sb);
	path_put(&p);
	return ok;
}

/* The VFS is there when /tmp resolves to a tmpfs. */
static bool have_vfs(void)
{
	struct path p;
	bool ok;

	if (!get_fs_type("tmpfs") || kern_path("/tmp", LOOKUP_FOLLOW, &p))
		return false;
	ok = p.dentry->d_sb->s_magic == TMPFS_MAGIC;
	path_put(&p);
	return ok;
}

static bool have_iov(void)
{
	struct iov_iter it = { 0 };
	char c;

	iov_iter_kvec_buf(&it, ITER_DEST, &c, 1);
	return iov_iter_count(&it) == 1;
}

/* --- shmem's own part ------------------------------------------------- */

/* Shared anonymous pages: swap-backed, Shmem, on the anon LRU. */
static void test_anon_lru(void)
{
	struct task_struct *t = mmsim_spawn(m, "lru");
	long long shmem0 = meminfo_kb("Shmem:"), inact0 = meminfo_kb("Inactive(anon):");
	unsigned long va;
	struct page *page;

	KT_EQ(mmsim_switch_to(t), 0);
	va = sys_mmap(0, 4 * PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS, -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	for (int i = 0; i < 4; i++)
		put_byte(va + i * PAGE_SIZE, (unsigned char)i);
	page = page_at(t->mm, va);
	KT_ASSERT(page && page_flag_test(page, PG_swapbacked) && page_flag_test(page, PG_lru));
	KT_ASSERT(!page_flag_test(page, PG_unevictable));
	KT_EQ(meminfo_kb("Shmem:"), shmem0 + KB(4));
	KT_EQ(meminfo_kb("Inactive(anon):"), inact0 + KB(4));
	KT_ASSERT(shmem_mapping(page->mapping));
	KT_ASSERT(shmem_inode_is_valid(page->mapping->host));
	KT_ASSERT(lru_all_valid());
	KT_EQ(sys_munmap(va, 4 * PAGE_SIZE), 0);
	KT_EQ(meminfo_kb("Shmem:"), shmem0);
	KT_EQ(meminfo_kb("Inactive(anon):"), inact0);
	KT_ASSERT(lru_all_valid());
	sys_exit_group(0);
}

/* SHM_LOCK: the segment's pages unevictable, present and future; SHM_UNLOCK. */
static void test_shm_lock(void)
{
	struct task_struct *t = mmsim_spawn(m, "shmlock");
	long long unev0 = meminfo_kb("Unevictable:");
	unsigned long va;
	long id;

	KT_EQ(mmsim_switch_to(t), 0);
	id = sys_shmget(IPC_PRIVATE, 4 * PAGE_SIZE, IPC_CREAT | 0600);
	KT_ASSERT(id >= 0);
	va = sys_shmat((int)id, 0, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	put_byte(va, 1);
	put_byte(va + PAGE_SIZE, 2);
	KT_EQ(meminfo_kb("Unevictable:"), unev0);
	KT_EQ(sys_shmctl((int)id, SHM_LOCK, NULL), 0);
	KT_EQ(meminfo_kb("Unevictable:"), unev0 + KB(2));
	KT_ASSERT(page_flag_test(page_at(t->mm, va), PG_unevictable));
	put_byte(va + 2 * PAGE_SIZE, 3);	/* a new page of a locked segment */
	KT_EQ(meminfo_kb("Unevictable:"), unev0 + KB(3));
	KT_ASSERT(lru_all_valid());
	KT_EQ(sys_shmctl((int)id, SHM_UNLOCK, NULL), 0);
	KT_EQ(meminfo_kb("Unevictable:"), unev0);
	KT_ASSERT(!page_flag_test(page_at(t->mm, va), PG_unevictable));
	KT_ASSERT(lru_all_valid());
	KT_EQ(sys_shmctl((int)id, SHM_LOCK, NULL), 0);
	KT_EQ(sys_shmctl((int)id, IPC_RMID, NULL), 0);
	KT_EQ(sys_shmdt(va), 0);		/* destroyed locked: all pages go */
	KT_EQ(meminfo_kb("Unevictable:"), unev0);
	KT_ASSERT(lru_all_valid());
	sys_exit_group(0);
}

static ssize_t kfile_write(struct file *f, const void *buf, size_t n, loff_t pos)
{
	struct kiocb kiocb = { .ki_filp = f, .ki_pos = pos };
	struct iov_iter it;

	iov_iter_kvec_buf(&it, ITER_SOURCE, (void *)buf, n);
	return f->f_op->write_iter(&kiocb, &it);
}

static ssize_t kfile_read(struct file *f, void *buf, size_t n, loff_t pos)
{
	struct kiocb kiocb = { .ki_filp = f, .ki_pos = pos };
	struct iov_iter it;

	iov_iter_kvec_buf(&it, ITER_DEST, buf, n);
	return f->f_op->read_iter(&kiocb, &it);
}

/* A kernel shmem file: write, read, holes, truncation, eviction. */
static void test_kernel_file(void)
{
	long long shmem0 = meminfo_kb("Shmem:");
	struct file *f = shmem_file_setup("kfile", 0, VM_NORESERVE);
	struct inode *inode;
	char buf[64], zero[64] = { 0 };
	struct iattr attr = { .ia_valid = ATTR_SIZE };
	struct dentry fake = { 0 };

	KT_ASSERT(!IS_ERR(f));
	if (IS_ERR(f))
		return;
	inode = file_inode(f);
	KT_ASSERT(shmem_mapping(inode->i_mapping));
	if (!have_iov() || kfile_write(f, "x", 1, 0) == -ENOSYS) {
		printf("# SKIP kernel file I/O: no iov_iter / generic_perform_write yet\n");
		fput(f);
		return;
	}
	/* "x" at 0, "hello" at 2 pages + 10: pages 0 and 2, a hole at 1 */
	KT_EQ(kfile_write(f, "hello", 5, 2 * PAGE_SIZE + 10), 5);
	KT_EQ(i_size_read(inode), 2 * PAGE_SIZE + 15);
	KT_EQ(atomic_long_read(&inode->i_mapping->nrpages), 2);
	KT_EQ(inode->i_blocks, 2 * (PAGE_SIZE / 512));
	KT_EQ(meminfo_kb("Shmem:"), shmem0 + KB(2));
	KT_ASSERT(shmem_inode_is_valid(inode));
	memset(buf, 0x55, sizeof(buf));
	KT_EQ(kfile_read(f, buf, sizeof(buf), PAGE_SIZE), (ssize_t)sizeof(buf));
	KT_ASSERT(!memcmp(buf, zero, sizeof(buf)));	/* the hole */
	KT_EQ(atomic_long_read(&inode->i_mapping->nrpages), 2);	/* not allocated */
	KT_EQ(kfile_read(f, buf, sizeof(buf), 2 * PAGE_SIZE + 8), 7);	/* short at EOF */
	KT_ASSERT(!memcmp(buf, "\0\0hello", 7));
	KT_EQ(kfile_read(f, buf, sizeof(buf), 3 * PAGE_SIZE), 0);
	/* truncate to the middle of page 2: page 2 stays, its tail zeroed */
	fake.d_inode = inode;
	attr.ia_size = 2 * PAGE_SIZE + 12;
	KT_EQ(inode->i_op && inode->i_op->setattr ? inode->i_op->setattr(&fake, &attr) : 0, 0);
	if (!inode->i_op || !inode->i_op->setattr)	/* a pre-VFS object */
		goto out;
	KT_EQ(i_size_read(inode), 2 * PAGE_SIZE + 12);
	attr.ia_size = 2 * PAGE_SIZE + 15;
	KT_EQ(inode->i_op->setattr(&fake, &attr), 0);
	KT_EQ(kfile_read(f, buf, sizeof(buf), 2 * PAGE_SIZE + 10), 5);
	KT_ASSERT(!memcmp(buf, "he\0\0\0", 5));
	attr.ia_size = 10;
	KT_EQ(inode->i_op->setattr(&fake, &attr), 0);
	KT_EQ(atomic_long_read(&inode->i_mapping->nrpages), 1);
	KT_EQ(meminfo_kb("Shmem:"), shmem0 + KB(1));
	KT_ASSERT(shmem_inode_is_valid(inode));
out:
	fput(f);
	KT_EQ(meminfo_kb("Shmem:"), shmem0);
	KT_ASSERT(lru_all_valid());
}

/* --- through the VFS -------------------------------------------------- */

static unsigned long ubuf;	/* a user buffer of the current task */

static long uwrite(int fd, const char *s, size_t n)
{
	KT_EQ(mmsim_user_write(ubuf, s, n), 0);
	return sys_write(fd, ubuf, n);
}

static long uread(int fd, char *s, size_t n)
{
	long r = sys_read(fd, ubuf, n);

	if (r > 0)
		KT_EQ(mmsim_user_read(ubuf, s, (size_t)r), 0);
	return r;
}

static struct task_struct *spawn_with_buf(const char *comm)
{
	struct task_struct *t = mmsim_spawn(m, comm);

	KT_EQ(mmsim_switch_to(t), 0);
	ubuf = sys_mmap(0, 16 * PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(ubuf));
	return t;
}

static void test_syscalls(const char *dir)
{
	char path[64], sub[64], buf[32];
	long long shmem0 = meminfo_kb("Shmem:");
	struct stat st;
	long fd, fd2;

	unsigned long committed0;

	spawn_with_buf("files");
	committed0 = vm_memory_committed();
	snprintf(path, sizeof(path), "%s/a", dir);
	fd = sys_open(path, O_CREAT | O_RDWR | O_EXCL, 0644);
	KT_ASSERT(fd >= 0);
	KT_EQ(sys_open(path, O_CREAT | O_RDWR | O_EXCL, 0644), -EEXIST);
	KT_EQ(uwrite((int)fd, "hello, tmpfs", 12), 12);
	KT_EQ(meminfo_kb("Shmem:"), shmem0 + KB(1));
	KT_EQ(vm_memory_committed(), committed0 + 1);	/* VM_NORESERVE: per page */
	KT_EQ(sys_lseek((int)fd, 7, SEEK_SET), 7);
	KT_EQ(uread((int)fd, buf, sizeof(buf)), 5);
	KT_ASSERT(!memcmp(buf, "tmpfs", 5));
	KT_EQ(sys_pwrite64((int)fd, ubuf, 1, 3 * (long)PAGE_SIZE), 1);	/* a hole at 1, 2 */
	KT_EQ(sys_fstat((int)fd, &st), 0);
	KT_EQ(st.st_size, 3 * (long)PAGE_SIZE + 1);
	KT_EQ(st.st_blocks, 2 * (long)(PAGE_SIZE / 512));
	KT_ASSERT(S_ISREG(st.st_mode));
	KT_EQ(meminfo_kb("Shmem:"), shmem0 + KB(2));
	KT_ASSERT(fs_valid(dir));
	KT_EQ(sys_ftruncate((int)fd, 5), 0);
	KT_EQ(sys_fstat((int)fd, &st), 0);
	KT_EQ(st.st_size, 5);
	KT_EQ(st.st_blocks, (long)(PAGE_SIZE / 512));
	KT_EQ(meminfo_kb("Shmem:"), shmem0 + KB(1));
	KT_EQ(sys_pread64((int)fd, ubuf, 32, 0), 5);
	KT_ASSERT(fs_valid(dir));
	/* truncate(path) grows without allocating; O_TRUNC frees everything */
	KT_EQ(sys_truncate(path, 8 * (long)PAGE_SIZE), 0);
	KT_EQ(sys_fstat((int)fd, &st), 0);
	KT_EQ(st.st_size, 8 * (long)PAGE_SIZE);
	KT_EQ(st.st_blocks, (long)(PAGE_SIZE / 512));
	fd2 = sys_open(path, O_RDWR | O_TRUNC, 0);
	KT_ASSERT(fd2 >= 0);
	KT_EQ(sys_fstat((int)fd, &st), 0);
	KT_EQ(st.st_size, 0);
	KT_EQ(st.st_blocks, 0);
	KT_EQ(meminfo_kb("Shmem:"), shmem0);
	KT_EQ(sys_close((int)fd2), 0);
	KT_EQ(uwrite((int)fd, "hello", 5), 5);	/* at f_pos 12: a hole before */
	KT_EQ(sys_pread64((int)fd, ubuf, 32, 0), 17);
	KT_EQ(sys_ftruncate((int)fd, 5), 0);
	KT_ASSERT(fs_valid(dir));
	{
		/* a read fault of a hole allocates a clean page: drop_caches may
		 * take it (zeroes again next time), never the written one */
		unsigned long v;

		KT_EQ(mmsim_user_write(ubuf, "hello", 5), 0);
		KT_EQ(sys_pwrite64((int)fd, ubuf, 5, 0), 5);
		KT_EQ(sys_ftruncate((int)fd, 2 * (long)PAGE_SIZE), 0);
		v = sys_mmap(0, 2 * PAGE_SIZE, PROT_READ, MAP_SHARED, (unsigned long)fd, 0);
		KT_ASSERT(!IS_ERR_VALUE(v));
		KT_EQ(get_byte(v + PAGE_SIZE), 0);
		KT_EQ(sys_munmap(v, 2 * PAGE_SIZE), 0);
		KT_EQ(meminfo_kb("Shmem:"), shmem0 + KB(2));
		KT_EQ(mmsim_write(m, "/proc/sys/vm/drop_caches", "1"), 0);
		KT_EQ(meminfo_kb("Shmem:"), shmem0 + KB(1));
		KT_EQ(sys_fstat((int)fd, &st), 0);
		KT_EQ(st.st_blocks, (long)(PAGE_SIZE / 512));
		KT_ASSERT(fs_valid(dir));
		KT_EQ(sys_pread64((int)fd, ubuf, 5, 0), 5);
		KT_EQ(mmsim_user_read(ubuf, buf, 5), 0);
		KT_ASSERT(!memcmp(buf, "hello", 5));
		KT_EQ(sys_ftruncate((int)fd, 5), 0);
	}

	/* a second open sees it; unlink while open: evicted at the last close */
	fd2 = sys_open(path, O_RDONLY, 0);
	KT_ASSERT(fd2 >= 0);
	KT_EQ(sys_unlink(path), 0);
	KT_EQ(sys_open(path, O_RDONLY, 0), -ENOENT);
	KT_EQ(uread((int)fd2, buf, sizeof(buf)), 5);
	KT_EQ(sys_close((int)fd), 0);
	KT_EQ(meminfo_kb("Shmem:"), shmem0 + KB(1));
	KT_EQ(sys_close((int)fd2), 0);
	KT_EQ(meminfo_kb("Shmem:"), shmem0);
	KT_EQ(vm_memory_committed(), committed0);
	KT_ASSERT(fs_valid(dir));

	/* directories */
	snprintf(sub, sizeof(sub), "%s/d", dir);
	KT_EQ(sys_mkdir(sub, 0755), 0);
	KT_EQ(sys_mkdir(sub, 0755), -EEXIST);
	snprintf(path, sizeof(path), "%s/d/f", dir);
	fd = sys_open(path, O_CREAT | O_WRONLY, 0600);
	KT_ASSERT(fd >= 0);
	KT_EQ(sys_close((int)fd), 0);
	KT_EQ(sys_rmdir(sub), -ENOTEMPTY);
	KT_EQ(sys_stat(sub, &st), 0);
	KT_ASSERT(S_ISDIR(st.st_mode));
	KT_EQ(st.st_nlink, 2);
	KT_EQ(sys_unlink(path), 0);
	KT_EQ(sys_rmdir(sub), 0);
	KT_EQ(sys_stat(sub, &st), -ENOENT);
	KT_ASSERT(fs_valid(dir));
	KT_ASSERT(lru_all_valid());
	sys_exit_group(0);
}

static void test_syscalls_tmp(void)
{
	test_syscalls("/tmp");
}

static void test_syscalls_shm(void)
{
	test_syscalls("/dev/shm");
}

static void statfs_of(const char *path, struct kstatfs *buf)
{
	struct path p;

	memset(buf, 0, sizeof(*buf));
	if (kern_path(path, LOOKUP_FOLLOW, &p))
		return;
	p.dentry->d_sb->s_op->statfs(p.dentry, buf);
	path_put(&p);
}

/* size= and nr_inodes=: ENOSPC, statfs. */
static void test_limits(void)
{
	struct kstatfs sfs;
	char data[64];
	long fd, fd2;

	spawn_with_buf("limits");
	/* the defaults, as Linux's: half of RAM, min(lowmem pages, RAM pages / 2) inodes */
	statfs_of("/tmp", &sfs);
	KT_EQ(sfs.f_blocks, totalram_pages() / 2);
	KT_EQ(sfs.f_files, totalram_pages() - totalhigh_pages() < totalram_pages() / 2 ?
			   totalram_pages() - totalhigh_pages() : totalram_pages() / 2);
	KT_EQ(sfs.f_namelen, 255);
	KT_EQ(sys_mkdir("/tmp/small", 0755), 0);
	snprintf(data, sizeof(data), "size=%lu,nr_inodes=3", 4 * PAGE_SIZE);
	KT_EQ(do_mount("tmpfs", "/tmp/small", "tmpfs", 0, data), 0);
	statfs_of("/tmp/small", &sfs);
	KT_EQ(sfs.f_type, TMPFS_MAGIC);
	KT_EQ(sfs.f_bsize, (long)PAGE_SIZE);
	KT_EQ(sfs.f_blocks, 4);
	KT_EQ(sfs.f_bfree, 4);
	KT_EQ(sfs.f_files, 3);
	KT_EQ(sfs.f_ffree, 2);		/* the root has one */
	fd = sys_open("/tmp/small/big", O_CREAT | O_RDWR, 0600);
	KT_ASSERT(fd >= 0);
	/* 5 pages into 4: a short write, then ENOSPC */
	KT_EQ(sys_write((int)fd, ubuf, 5 * PAGE_SIZE), (long)(4 * PAGE_SIZE));
	KT_EQ(sys_write((int)fd, ubuf, PAGE_SIZE), -ENOSPC);
	statfs_of("/tmp/small", &sfs);
	KT_EQ(sfs.f_bfree, 0);
	KT_EQ(sfs.f_ffree, 1);
	KT_ASSERT(fs_valid("/tmp/small"));
	fd2 = sys_open("/tmp/small/b", O_CREAT | O_RDWR, 0600);
	KT_ASSERT(fd2 >= 0);
	KT_EQ(sys_open("/tmp/small/c", O_CREAT | O_RDWR, 0600), -ENOSPC);
	/* truncation gives the space back */
	KT_EQ(sys_ftruncate((int)fd, PAGE_SIZE), 0);
	statfs_of("/tmp/small", &sfs);
	KT_EQ(sfs.f_bfree, 3);
	KT_EQ(sys_unlink("/tmp/small/b"), 0);
	statfs_of("/tmp/small", &sfs);
	KT_EQ(sfs.f_ffree, 0);		/* open: the inode keeps its slot */
	KT_EQ(sys_close((int)fd2), 0);
	statfs_of("/tmp/small", &sfs);
	KT_EQ(sfs.f_ffree, 1);
	KT_ASSERT(fs_valid("/tmp/small"));
	/* a bad option */
	KT_EQ(sys_mkdir("/tmp/bad", 0755), 0);
	KT_EQ(do_mount("tmpfs", "/tmp/bad", "tmpfs", 0, "size=lots"), -EINVAL);
	KT_EQ(do_mount("tmpfs", "/tmp/bad", "tmpfs", 0, "colour=blue"), -EINVAL);
	sys_exit_group(0);
}

/* A hard link through ->link (no link(2) in mmsim): a second name, a second slot. */
static int link_at(const char *old, const char *new)
{
	struct path op, parent;
	struct qstr last;
	struct dentry *d;
	bool trailing;
	int ret;

	ret = kern_path(old, LOOKUP_FOLLOW, &op);
	if (ret)
		return ret;
	ret = kern_path_parent(new, &parent, &last, &trailing);
	if (ret) {
		path_put(&op);
		return ret;
	}
	inode_lock(d_inode(parent.dentry));
	d = lookup_one_locked(parent.dentry, &last);
	if (IS_ERR(d)) {
		ret = (int)PTR_ERR(d);
	} else {
		ret = d_really_is_negative(d) ?
		      d_inode(parent.dentry)->i_op->link(op.dentry, d_inode(parent.dentry), d) :
		      -EEXIST;
		dput(d);
	}
	inode_unlock(d_inode(parent.dentry));
	path_put(&parent);
	path_put(&op);
	return ret;
}

static void test_link_fsync(void)
{
	struct kstatfs sfs;
	struct stat st;
	long fd;

	spawn_with_buf("link");
	KT_EQ(sys_mkdir("/tmp/lk", 0755), 0);
	KT_EQ(do_mount("tmpfs", "/tmp/lk", "tmpfs", 0, "nr_inodes=3"), 0);
	fd = sys_open("/tmp/lk/a", O_CREAT | O_RDWR, 0600);
	KT_ASSERT(fd >= 0);
	KT_EQ(uwrite((int)fd, "linked", 6), 6);
	KT_EQ(sys_fsync((int)fd), 0);		/* noop_fsync */
	KT_EQ(link_at("/tmp/lk/a", "/tmp/lk/b"), 0);
	KT_EQ(link_at("/tmp/lk/a", "/tmp/lk/c"), -ENOSPC);	/* root, a, b: full */
	KT_EQ(sys_stat("/tmp/lk/b", &st), 0);
	KT_EQ(st.st_nlink, 2);
	KT_EQ(st.st_size, 6);
	statfs_of("/tmp/lk", &sfs);
	KT_EQ(sfs.f_ffree, 0);
	KT_ASSERT(fs_valid("/tmp/lk"));
	KT_EQ(sys_unlink("/tmp/lk/a"), 0);
	KT_EQ(sys_stat("/tmp/lk/b", &st), 0);
	KT_EQ(st.st_nlink, 1);
	statfs_of("/tmp/lk", &sfs);
	KT_EQ(sfs.f_ffree, 1);		/* the link's slot back */
	KT_EQ(sys_close((int)fd), 0);
	fd = sys_open("/tmp/lk/b", O_RDONLY, 0);
	KT_EQ(uread((int)fd, (char[8]){ 0 }, 8), 6);
	KT_EQ(sys_close((int)fd), 0);
	KT_ASSERT(fs_valid("/tmp/lk"));
	sys_exit_group(0);
}

/* A file mapped MAP_SHARED by two processes; SIGBUS past EOF after ftruncate. */
static void test_shared_mmap(void)
{
	struct task_struct *a = spawn_with_buf("mapA"), *b;
	unsigned long va, vb;
	char buf[8];
	long fd, fdb;

	fd = sys_open("/dev/shm/seg", O_CREAT | O_RDWR, 0600);
	KT_ASSERT(fd >= 0);
	KT_EQ(sys_ftruncate((int)fd, 2 * (long)PAGE_SIZE), 0);
	va = sys_mmap(0, 2 * PAGE_SIZE, RW, MAP_SHARED, (unsigned long)fd, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	put_byte(va + 5, 'A');

	b = spawn_with_buf("mapB");
	fdb = sys_open("/dev/shm/seg", O_RDWR, 0);
	KT_ASSERT(fdb >= 0);
	vb = sys_mmap(0, 2 * PAGE_SIZE, RW, MAP_SHARED, (unsigned long)fdb, 0);
	KT_ASSERT(!IS_ERR_VALUE(vb));
	KT_EQ(get_byte(vb + 5), 'A');
	KT_EQ(page_at(b->mm, vb), page_at(a->mm, va));	/* the same page */
	put_byte(vb + PAGE_SIZE + 1, 'B');
	KT_EQ(sys_pread64((int)fdb, ubuf, 2, (long)PAGE_SIZE), 2);
	KT_EQ(mmsim_user_read(ubuf, buf, 2), 0);
	KT_ASSERT(buf[0] == 0 && buf[1] == 'B');
	KT_ASSERT(mm_mapcounts_are_valid(m) && mm_is_valid(b->mm));
	{
		/* MAP_PRIVATE: reads the file, a write copies (do_cow_fault) */
		unsigned long vp = sys_mmap(0, PAGE_SIZE, RW, MAP_PRIVATE, (unsigned long)fdb, 0);

		KT_ASSERT(!IS_ERR_VALUE(vp));
		KT_EQ(get_byte(vp + 5), 'A');
		put_byte(vp + 5, 'P');
		KT_EQ(get_byte(vp + 5), 'P');
		KT_EQ(get_byte(vb + 5), 'A');
		KT_ASSERT(page_at(b->mm, vp) != page_at(b->mm, vb));
		KT_EQ(sys_munmap(vp, PAGE_SIZE), 0);
	}
	KT_ASSERT(mapping_is_valid(file_inode(vma_lookup(b->mm, vb)->vm_file)->i_mapping));

	KT_EQ(mmsim_switch_to(a), 0);
	KT_EQ(get_byte(va + PAGE_SIZE + 1), 'B');
	KT_ASSERT(fs_valid("/dev/shm"));
	/* shrink to one page: the second goes from both mappings; a touch SIGBUSes */
	KT_EQ(sys_ftruncate((int)fd, (long)PAGE_SIZE), 0);
	KT_ASSERT(fs_valid("/dev/shm"));
	KT_ASSERT(mm_mapcounts_are_valid(m));
	KT_EQ(get_byte(va + 5), 'A');
	get_task_struct(a);
	KT_EQ(get_byte(va + PAGE_SIZE + 1), -1);
	KT_ASSERT(!current);
	KT_EQ(WTERMSIG(a->exit_code), SIGBUS);
	KT_EQ(task_ext(a)->fault_code, BUS_ADRERR);
	put_task_struct(a);

	KT_EQ(mmsim_switch_to(b), 0);
	KT_EQ(sys_unlink("/dev/shm/seg"), 0);
	KT_EQ(get_byte(vb + 5), 'A');		/* still mapped: the inode lives */
	sys_exit_group(0);
	KT_ASSERT(fs_valid("/dev/shm"));
	KT_ASSERT(lru_all_valid());
}

/* rootfstype=tmpfs: "/" itself is a tmpfs (no disk file system). */
static void test_root(void)
{
	struct kstatfs sfs;
	long fd;

	spawn_with_buf("root");
	fd = sys_open("/rootfile", O_CREAT | O_RDWR, 0600);
	KT_ASSERT(fd >= 0);
	KT_EQ(uwrite((int)fd, "r", 1), 1);
	statfs_of("/", &sfs);
	KT_EQ(sfs.f_type, TMPFS_MAGIC);
	KT_ASSERT(fs_valid("/"));
	KT_EQ(sys_close((int)fd), 0);
	KT_EQ(sys_unlink("/rootfile"), 0);
	KT_ASSERT(fs_valid("/"));
	sys_exit_group(0);
}

static void run(const char *spec)
{
	m = boot_or_die(spec);
	printf("# %s\n", spec);
	KT_RUN(test_anon_lru);
	KT_RUN(test_shm_lock);
	KT_RUN(test_kernel_file);
	if (have_vfs()) {
		KT_RUN(test_syscalls_tmp);
		KT_RUN(test_syscalls_shm);
		KT_RUN(test_limits);
		KT_RUN(test_link_fsync);
		KT_RUN(test_shared_mmap);
	} else {
		printf("# SKIP the system-call tests: no tmpfs on /tmp yet (the VFS)\n");
	}
	KT_ASSERT(mm_mapcounts_are_valid(m));
	mmsim_shutdown(m);
}

int main(void)
{
	m = mmsim_boot("ram=64M rootfstype=tmpfs");
	printf("# ram=64M rootfstype=tmpfs\n");
	if (m && have_vfs())
		KT_RUN(test_root);
	else
		printf("# SKIP test_root: no rootfstype= yet (the VFS)\n");
	if (m)
		mmsim_shutdown(m);
	run("ram=64M");
	run("arch=i386 ram=64M");
	run("arch=arm64 page_size=64K ram=256M");
	return kt_done();
}
