// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_mmfs_vfs.c - mmfs through the VFS and the page cache: the
 * root file system mounted at boot; mkdir/create/link/unlink/rmdir and
 * readdir; bytes written with write(2) read back (cached, after
 * writeback and drop_caches, from the disk); unlink and truncate give the
 * blocks back (statfs); a shared mapping over a hole gets its block at the
 * write fault; a cold sequential read goes out in few large bios; ENOSPC
 * on a small disk; a disk=FILE image written, shut down and booted again
 * has the same bytes, and one not cleanly unmounted is recounted;
 * mmsim_import_file; meminfo Buffers counts the disk's page cache; a boot
 * that changes nothing writes nothing.  mmfs_fsck after every step.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/stat.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include <mmsim/fs.h>
#include <mmsim/fcntl.h>
#include <mmsim/mmfs.h>
#include <mmsim/pagemap.h>
#include <mmsim/writeback.h>
#include "fs/mmfs/mmfs.h"
#include "mmtest.h"

#define UBUF_PAGES	64

static struct mmsim *m;
static unsigned long ubuf;

static void start(const char *spec)
{
	struct task_struct *t;

	m = boot_or_die(spec);
	t = mmsim_spawn(m, "mmfs");
	KT_ASSERT(t);
	KT_EQ(mmsim_switch_to(t), 0);
	ubuf = sys_mmap(0, UBUF_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(ubuf));
}

static void stop(void)
{
	size_t mark = 0;
	char *log = log_since(m, &mark);

	/* Nothing went wrong underneath. */
	KT_ASSERT(!strstr(log, "WARNING"));
	KT_ASSERT(!strstr(log, "BUG"));
	KT_ASSERT(!strstr(log, "Bad page"));
	KT_ASSERT(!strstr(log, "mmfs_fsck: "));
	KT_ASSERT(!strstr(log, "I/O error"));
	free(log);
	sys_exit_group(0);
	mmsim_shutdown(m);
	m = NULL;
}

static struct super_block *root_sb(void)
{
	struct path p;
	struct super_block *sb;

	if (kern_path("/", 0, &p))
		return NULL;
	sb = p.dentry->d_sb;
	path_put(&p);
	return sb && sb->s_magic == MMFS_SUPER_MAGIC ? sb : NULL;
}

static bool fsck(void)
{
	struct super_block *sb = root_sb();

	return sb && mmfs_fsck(sb);
}

static u64 bfree(void)
{
	struct super_block *sb = root_sb();
	struct kstatfs st;
	struct dentry d = { .d_sb = sb };

	sb->s_op->statfs(&d, &st);
	return st.f_bfree;
}

static void fill(unsigned char *buf, size_t len, unsigned int seed, size_t pos)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (unsigned char)((pos + i) * 31 + seed + (pos + i) / 4096);
}

/* Write @len bytes of pattern @seed at @pos of @path (created). */
static long write_file(const char *path, size_t pos, size_t len, unsigned int seed)
{
	unsigned char *buf = malloc(len);
	long fd = sys_open(path, O_CREAT | O_WRONLY, 0644), done = 0;

	if (fd < 0) {
		free(buf);
		return fd;
	}
	fill(buf, len, seed, pos);
	while ((size_t)done < len) {
		size_t n = len - (size_t)done > UBUF_PAGES * PAGE_SIZE ? UBUF_PAGES * PAGE_SIZE :
									 len - (size_t)done;
		long w;

		KT_EQ(mmsim_user_write(ubuf, buf + done, n), 0);
		w = sys_pwrite64((int)fd, ubuf, n, (long)(pos + (size_t)done));
		if (w <= 0) {
			done = w ? w : -EIO;
			break;
		}
		done += w;
	}
	sys_close((int)fd);
	free(buf);
	return done;
}

/* Whether @path holds pattern @seed over [pos, pos + len). */
static bool check_file(const char *path, size_t pos, size_t len, unsigned int seed)
{
	unsigned char *want = malloc(len), *got = malloc(len);
	long fd = sys_open(path, O_RDONLY, 0), done = 0;
	bool ok = fd >= 0;

	fill(want, len, seed, pos);
	while (ok && (size_t)done < len) {
		size_t n = len - (size_t)done > UBUF_PAGES * PAGE_SIZE ? UBUF_PAGES * PAGE_SIZE :
									 len - (size_t)done;
		long r = sys_pread64((int)fd, ubuf, n, (long)(pos + (size_t)done));

		if (r <= 0) {
			ok = false;
			break;
		}
		KT_EQ(mmsim_user_read(ubuf, got + done, (size_t)r), 0);
		done += r;
	}
	if (ok && memcmp(want, got, len)) {
		size_t i = 0;

		while (want[i] == got[i])
			i++;
		fprintf(stderr, "%s: %s differs at %zu: %#x, want %#x\n", kt_cur_name, path, pos + i,
			got[i], want[i]);
		ok = false;
	}
	if (fd >= 0)
		sys_close((int)fd);
	free(want);
	free(got);
	return ok;
}

static void drop_caches(void)
{
	KT_EQ(sys_sync(), 0);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/drop_caches", "3"), 0);
}

struct names {
	struct dir_context ctx;
	char buf[512];
};

static bool collect(struct dir_context *ctx, const char *name, int len, loff_t off, u64 ino,
		    unsigned int type)
{
	struct names *n = container_of(ctx, struct names, ctx);

	(void)off, (void)ino;
	snprintf(n->buf + strlen(n->buf), sizeof(n->buf) - strlen(n->buf), "%.*s%s ", len, name,
		 type == DT_DIR ? "/" : "");
	return true;
}

static char *ls(const char *path)
{
	static struct names n;
	struct file *d = filp_open(path, O_RDONLY | O_DIRECTORY, 0);

	memset(&n, 0, sizeof(n));
	n.ctx.actor = collect;
	if (IS_ERR(d))
		return "(error)";
	KT_EQ(d->f_op->iterate_shared(d, &n.ctx), 0);
	filp_close(d);
	return n.buf;
}

/* /proc/diskstats of vda: reads, sectors read, writes, sectors written. */
static void diskstats(unsigned long *rd, unsigned long *rsec, unsigned long *wr,
		      unsigned long *wsec)
{
	char *s = mmsim_read(m, "/proc/diskstats");
	char *p = s ? strstr(s, " vda ") : NULL;
	unsigned long rmerge, rtime, wmerge;

	*rd = *rsec = *wr = *wsec = 0;
	if (p)
		sscanf(p + 5, "%lu %lu %lu %lu %lu %lu %lu", rd, &rmerge, rsec, &rtime, wr, &wmerge,
		       wsec);
	free(s);
}

/* --- tests ------------------------------------------------------------------ */

static void test_root_mounted(void)
{
	size_t mark = 0;
	char *log, *s;

	start("ram=128M disk=64M");
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "mmfs: mkfs.mmfs on vda");
	KT_STR_CONTAINS(log, "mmfs (vda): mounted filesystem r/w: 16384 blocks, 4096 inodes\n");
	free(log);
	KT_ASSERT(root_sb());
	KT_ASSERT(fsck());
	s = mmsim_read(m, "/proc/mounts");
	KT_STR_CONTAINS(s, "/dev/vda / mmfs ");
	free(s);
	/* The metadata read at mount is in the disk's page cache: Buffers. */
	KT_ASSERT(nr_blockdev_pages() > 0);
	s = mmsim_read(m, "/proc/meminfo");
	KT_ASSERT(field(s, "Buffers:") == nr_blockdev_pages() * (long long)(PAGE_SIZE / 1024));
	free(s);
	/* mount_root made /dev, /dev/shm and /tmp (tmpfs goes over them). */
	KT_ASSERT(!strcmp(ls("/"), "./ ../ dev/ tmp/ "));
	stop();
}

/* A boot that changes nothing writes nothing, even through sync. */
static void test_idle_boot_writes_nothing(void)
{
	char path[] = "/tmp/mmfs-idle-XXXXXX";
	int hfd = mkstemp(path);
	unsigned long rd, rsec, wr, wsec;
	char spec[160];

	close(hfd);
	unlink(path);
	snprintf(spec, sizeof(spec), "ram=128M disk=%s:16M", path);
	start(spec);			/* mkfs, and mount_root's directories */
	stop();
	start(spec);			/* nothing to make this time */
	KT_EQ(sys_sync(), 0);
	diskstats(&rd, &rsec, &wr, &wsec);
	KT_ASSERT(rd > 0);
	KT_EQ(wr, 0);
	KT_ASSERT(fsck());
	stop();
	unlink(path);
}

static void test_namespace_ops(void)
{
	struct stat st;
	long fd;

	start("ram=128M disk=64M");
	KT_EQ(sys_mkdir("/d", 0755), 0);
	KT_ASSERT(fsck());
	KT_EQ(sys_mkdir("/d", 0755), -EEXIST);
	KT_EQ(sys_mkdir("/d/e", 0700), 0);
	fd = sys_open("/d/f", O_CREAT | O_WRONLY, 0644);
	KT_ASSERT(fd >= 0);
	sys_close((int)fd);
	KT_ASSERT(fsck());
	KT_EQ(sys_stat("/d", &st), 0);
	KT_EQ(st.st_nlink, 3);
	KT_ASSERT(S_ISDIR(st.st_mode));
	KT_EQ(sys_stat("/d/f", &st), 0);
	KT_EQ(st.st_nlink, 1);
	KT_EQ(st.st_size, 0);
	KT_ASSERT(!strcmp(ls("/d"), "./ ../ e/ f "));
	KT_EQ(sys_rmdir("/d"), -ENOTEMPTY);
	KT_EQ(sys_unlink("/d/f"), 0);
	KT_EQ(sys_stat("/d/f", &st), -ENOENT);
	KT_ASSERT(fsck());
	KT_EQ(sys_rmdir("/d/e"), 0);
	KT_EQ(sys_rmdir("/d"), 0);
	KT_ASSERT(fsck());
	/* Many entries: the directory grows past one block (15 entries). */
	KT_EQ(sys_mkdir("/many", 0755), 0);
	for (int i = 0; i < 40; i++) {
		char name[32];

		snprintf(name, sizeof(name), "/many/file-%02d", i);
		fd = sys_open(name, O_CREAT | O_WRONLY, 0644);
		KT_ASSERT(fd >= 0);
		sys_close((int)fd);
	}
	KT_EQ(sys_stat("/many", &st), 0);
	KT_EQ(st.st_size, 3 * 4096);
	KT_ASSERT(fsck());
	for (int i = 0; i < 40; i += 2) {
		char name[32];

		snprintf(name, sizeof(name), "/many/file-%02d", i);
		KT_EQ(sys_unlink(name), 0);
	}
	KT_ASSERT(fsck());
	KT_ASSERT(strstr(ls("/many"), "file-01 file-03"));
	KT_ASSERT(!strstr(ls("/many"), "file-00"));
	/* A 255-byte name is fine, 256 is not. */
	{
		char name[300] = "/";

		memset(name + 1, 'n', 255);
		fd = sys_open(name, O_CREAT | O_WRONLY, 0644);
		KT_ASSERT(fd >= 0);
		sys_close((int)fd);
		name[256] = 'n';
		KT_EQ(sys_open(name, O_CREAT | O_WRONLY, 0644), -ENAMETOOLONG);
	}
	KT_ASSERT(fsck());
	stop();
}

static void test_bytes_roundtrip(void)
{
	u64 free0;
	struct stat st;

	start("ram=256M disk=64M");
	free0 = bfree();
	KT_EQ(write_file("/a", 0, 1 << 20, 1), 1 << 20);
	KT_ASSERT(fsck());
	KT_EQ(free0 - bfree(), 256);	/* 256 data blocks; the root has its directory block */
	KT_ASSERT(check_file("/a", 0, 1 << 20, 1));
	/* Partial pages, a hole, an append. */
	KT_EQ(write_file("/b", 100, 5000, 2), 5000);
	KT_EQ(write_file("/b", 40000, 10, 3), 10);
	KT_EQ(sys_stat("/b", &st), 0);
	KT_EQ(st.st_size, 40010);
	KT_ASSERT(fsck());
	drop_caches();
	KT_ASSERT(fsck());
	KT_ASSERT(check_file("/a", 0, 1 << 20, 1));
	KT_ASSERT(check_file("/b", 100, 5000, 2));
	KT_ASSERT(check_file("/b", 40000, 10, 3));
	{
		long fd = sys_open("/b", O_RDONLY, 0);
		unsigned char z[100];

		KT_EQ(sys_pread64((int)fd, ubuf, 100, 0), 100);	/* before the first write */
		KT_EQ(mmsim_user_read(ubuf, z, 100), 0);
		for (int i = 0; i < 100; i++)
			KT_EQ(z[i], 0);
		KT_EQ(sys_pread64((int)fd, ubuf, 100, 20000), 100);	/* the hole */
		KT_EQ(mmsim_user_read(ubuf, z, 100), 0);
		for (int i = 0; i < 100; i++)
			KT_EQ(z[i], 0);
		sys_close((int)fd);
	}
	/* Contiguous-first: 1 MiB written in one go is one extent. */
	{
		struct path p;

		KT_EQ(kern_path("/a", 0, &p), 0);
		KT_EQ(MMFS_I(d_inode(p.dentry))->nr_ext, 1);
		path_put(&p);
	}
	/* Truncation and unlink give the blocks back. */
	KT_EQ(sys_truncate("/a", 5000), 0);
	KT_ASSERT(fsck());
	KT_EQ(free0 - bfree(), 2 + 3);		/* /a keeps 2 blocks, /b 3 (the rest is holes) */
	KT_ASSERT(check_file("/a", 0, 5000, 1));
	KT_EQ(sys_truncate("/a", 9000), 0);	/* grows with zeroes, on the disk too */
	drop_caches();
	{
		long fd = sys_open("/a", O_RDONLY, 0);
		unsigned char z[4000];

		KT_EQ(sys_pread64((int)fd, ubuf, 4000, 5000), 4000);
		KT_EQ(mmsim_user_read(ubuf, z, 4000), 0);
		for (int i = 0; i < 4000; i++)
			if (z[i]) {
				KT_EQ(z[i], 0);
				break;
			}
		sys_close((int)fd);
	}
	KT_EQ(sys_unlink("/a"), 0);
	KT_EQ(sys_unlink("/b"), 0);
	KT_ASSERT(fsck());
	KT_EQ(free0 - bfree(), 0);
	stop();
}

static void test_unlink_open_file(void)
{
	u64 free0;
	long fd;

	start("ram=128M disk=64M");
	free0 = bfree();
	KT_EQ(write_file("/tmpf", 0, 64 * 1024, 4), 64 * 1024);
	fd = sys_open("/tmpf", O_RDONLY, 0);
	KT_ASSERT(fd >= 0);
	KT_EQ(sys_unlink("/tmpf"), 0);
	KT_ASSERT(fsck());			/* open, unlinked: its blocks still its own */
	KT_EQ(free0 - bfree(), 16);
	sys_close((int)fd);			/* the last close evicts it */
	KT_ASSERT(fsck());
	KT_EQ(free0 - bfree(), 0);
	stop();
}

/* A shared mapping over a hole: the page gets its block at the first write fault. */
static void test_mmap_shared_hole(void)
{
	u64 free0;
	unsigned long addr;
	long fd;
	unsigned char buf[64];

	start("ram=128M disk=64M");
	fd = sys_open("/sparse", O_CREAT | O_RDWR, 0644);
	KT_ASSERT(fd >= 0);
	KT_EQ(sys_ftruncate((int)fd, 16 * PAGE_SIZE), 0);
	KT_ASSERT(fsck());
	free0 = bfree();
	addr = sys_mmap(0, 16 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, (unsigned long)fd, 0);
	KT_ASSERT(!IS_ERR_VALUE(addr));
	KT_EQ(mmsim_user_read(addr + 5 * PAGE_SIZE, buf, 64), 0);	/* a hole reads zeroes */
	KT_EQ(buf[0], 0);
	KT_EQ(free0 - bfree(), 0);
	fill(buf, 64, 9, 3 * PAGE_SIZE + 100);
	KT_EQ(mmsim_user_write(addr + 3 * PAGE_SIZE + 100, buf, 64), 0);
	KT_EQ(free0 - bfree(), mmfs_blocks_per_page());	/* page_mkwrite allocated */
	KT_ASSERT(fsck());
	KT_EQ(sys_msync(addr, 16 * PAGE_SIZE, MS_SYNC), 0);
	KT_EQ(sys_munmap(addr, 16 * PAGE_SIZE), 0);
	sys_close((int)fd);
	drop_caches();
	KT_ASSERT(check_file("/sparse", 3 * PAGE_SIZE + 100, 64, 9));
	KT_ASSERT(fsck());
	stop();
}

/* A cold sequential read: readahead sends few, large bios (REQ_RAHEAD). */
static void test_cold_read_bios(void)
{
	unsigned long rd0, rsec0, wr, wsec, rd1, rsec1;

	start("ram=256M disk=64M");
	KT_EQ(write_file("/big", 0, 1 << 20, 10), 1 << 20);
	drop_caches();
	diskstats(&rd0, &rsec0, &wr, &wsec);
	KT_ASSERT(check_file("/big", 0, 1 << 20, 10));
	diskstats(&rd1, &rsec1, &wr, &wsec);
	/* 1 MiB = 2048 sectors of data (and maybe a metadata page or two),
	 * in at most 16 requests (128 KiB windows): not 256 one-page reads. */
	KT_ASSERT(rsec1 - rsec0 >= 2048 && rsec1 - rsec0 <= 2048 + 64);
	KT_ASSERT(rd1 - rd0 <= 16);
	stop();
}

/* 16K and 64K pages: a page holds 4 or 16 blocks, metadata pages several. */
static void test_big_pages(void)
{
	static const char *const specs[] = {
		"arch=arm64 page_size=16K ram=256M disk=64M",
		"arch=arm64 page_size=64K ram=512M disk=64M",
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(specs); i++) {
		u64 free0;

		start(specs[i]);
		free0 = bfree();
		KT_EQ(sys_mkdir("/d", 0755), 0);
		KT_EQ(write_file("/d/a", 0, 300000, 11), 300000);
		KT_EQ(write_file("/d/b", 5000, 70000, 12), 70000);
		KT_EQ(write_file("/d/a", 1000, 3000, 13), 3000);
		KT_ASSERT(fsck());
		drop_caches();
		KT_ASSERT(fsck());
		KT_ASSERT(check_file("/d/a", 0, 1000, 11));
		KT_ASSERT(check_file("/d/a", 1000, 3000, 13));
		KT_ASSERT(check_file("/d/a", 4000, 296000, 11));
		KT_ASSERT(check_file("/d/b", 5000, 70000, 12));
		KT_EQ(sys_truncate("/d/a", 10000), 0);
		KT_ASSERT(fsck());
		KT_EQ(sys_unlink("/d/a"), 0);
		KT_EQ(sys_unlink("/d/b"), 0);
		KT_EQ(sys_rmdir("/d"), 0);
		KT_ASSERT(fsck());
		KT_EQ(bfree(), free0);
		stop();
	}
}

static void test_enospc(void)
{
	u64 free0;
	long w;

	start("ram=128M disk=1M");
	free0 = bfree();
	w = write_file("/fill", 0, 2 << 20, 5);
	KT_ASSERT(w == -ENOSPC || (w > 0 && w < (2 << 20)));
	KT_ASSERT(fsck());
	KT_EQ(sys_sync(), 0);
	KT_ASSERT(fsck());
	KT_EQ(sys_unlink("/fill"), 0);
	KT_ASSERT(fsck());
	KT_EQ(bfree(), free0);
	stop();
}

static void test_image_reboot(void)
{
	char path[] = "/tmp/mmfs-vfs-XXXXXX";
	int hfd = mkstemp(path);
	char spec[160];
	size_t mark = 0;
	char *log;

	KT_ASSERT(hfd >= 0);
	close(hfd);
	unlink(path);
	snprintf(spec, sizeof(spec), "ram=256M disk=%s:32M", path);
	start(spec);
	KT_EQ(sys_mkdir("/keep", 0755), 0);
	KT_EQ(write_file("/keep/data", 0, 300 * 1024 + 17, 6), 300 * 1024 + 17);
	KT_EQ(write_file("/keep/small", 0, 10, 7), 10);
	KT_ASSERT(fsck());
	stop();				/* unmount at shutdown: everything written */

	start(spec);
	log = log_since(m, &mark);
	KT_ASSERT(!strstr(log, "mkfs.mmfs"));
	KT_ASSERT(!strstr(log, "not cleanly unmounted"));
	free(log);
	KT_ASSERT(fsck());
	KT_ASSERT(check_file("/keep/data", 0, 300 * 1024 + 17, 6));
	KT_ASSERT(check_file("/keep/small", 0, 10, 7));
	KT_ASSERT(!strcmp(ls("/keep"), "./ ../ data small "));
	stop();

	/* As if the machine had stopped without unmounting: state dirty and a
	 * stale free count; the mount warns and recounts from the bitmaps. */
	{
		int fd = open(path, O_RDWR);
		u32 state = 2;
		u64 wrong = 5;

		KT_ASSERT(fd >= 0);
		KT_EQ(pwrite(fd, &state, 4, 12), 4);
		KT_EQ(pwrite(fd, &wrong, 8, 24), 8);
		close(fd);
	}
	start(spec);
	mark = 0;
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "mmfs (vda): warning: mounting fs that was not cleanly unmounted");
	free(log);
	KT_ASSERT(fsck());
	KT_ASSERT(bfree() > 5);
	KT_ASSERT(check_file("/keep/small", 0, 10, 7));
	stop();
	unlink(path);
}

static void test_import(void)
{
	char path[] = "/tmp/mmfs-import-XXXXXX";
	int hfd = mkstemp(path);
	unsigned char *buf = malloc(100000);

	fill(buf, 100000, 8, 0);
	KT_EQ(write(hfd, buf, 100000), 100000);
	close(hfd);
	m = boot_or_die("ram=128M disk=64M");
	KT_EQ(mmsim_import_file(path, "/usr/share/x/data.bin"), 0);	/* no task needed */
	KT_EQ(mmsim_import_file(path, "relative"), -EINVAL);
	KT_EQ(mmsim_import_file("/nonexistent-host-file", "/y"), -ENOENT);
	{
		struct task_struct *t = mmsim_spawn(m, "check");

		KT_EQ(mmsim_switch_to(t), 0);
		ubuf = sys_mmap(0, UBUF_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	}
	KT_ASSERT(check_file("/usr/share/x/data.bin", 0, 100000, 8));
	KT_ASSERT(fsck());
	stop();
	unlink(path);
	free(buf);
}

int main(void)
{
	KT_RUN(test_root_mounted);
	KT_RUN(test_idle_boot_writes_nothing);
	KT_RUN(test_namespace_ops);
	KT_RUN(test_bytes_roundtrip);
	KT_RUN(test_unlink_open_file);
	KT_RUN(test_mmap_shared_hole);
	KT_RUN(test_cold_read_bios);
	KT_RUN(test_big_pages);
	KT_RUN(test_enospc);
	KT_RUN(test_image_reboot);
	KT_RUN(test_import);
	return kt_done();
}
