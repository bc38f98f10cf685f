// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_vfs_stress.c - a randomized run of the file system calls on
 * a testfs mount (tests/vfs_testfs.h) and, when tmpfs is registered, on
 * /tmp: open (with O_CREAT, O_EXCL, O_TRUNC, O_APPEND), close, dup,
 * write, pread, lseek, ftruncate, unlink, mkdir, rmdir, stat, fork with a
 * child that reads and exits, over a small set of names so that the calls
 * collide.  After every step vfs_is_valid (mounts, dentry trees, inode
 * lists) and files_is_valid (the fd table) must hold, and every return
 * value must be one Linux could give.  At the end everything is closed and
 * removed: file-nr is back where it started and the trees are empty.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include <mmsim/fcntl.h>
#include "mmtest.h"
#include "fs/internal.h"
#include "vfs_testfs.h"

#define STEPS	1500
#define NAMES	6

static struct mmsim *m;
static unsigned long long rng = 0x9e3779b97f4a7c15ull;

static unsigned int rnd(unsigned int n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned int)(rng % n);
}

static long file_nr(void)
{
	char *s = mmsim_read(m, "/proc/sys/fs/file-nr");
	long v = s ? strtol(s, NULL, 10) : -1;

	free(s);
	return v;
}

/* One of the names: a file or a directory under one of the roots. */
static void pick(char *buf, size_t len, const char *root, bool dir)
{
	snprintf(buf, len, "%s/%c%u", root, dir ? 'd' : 'f', rnd(NAMES));
}

static bool errno_ok(long ret, const long *ok, int n)
{
	if (ret >= 0)
		return true;
	for (int i = 0; i < n; i++)
		if (ret == ok[i])
			return true;
	return false;
}

#define EXPECT(ret, ...)							\
	do {									\
		static const long __ok[] = { __VA_ARGS__ };			\
		long __r = (ret);						\
		if (!errno_ok(__r, __ok, (int)ARRAY_SIZE(__ok))) {		\
			fprintf(stderr, "step %d: %s = %ld\n", step, #ret, __r); \
			bad++;							\
		}								\
	} while (0)

static void stress(const char **roots, int nroots)
{
	struct task_struct *t = mmsim_spawn(m, "stress");
	int fds[64], nfd = 0, bad = 0, step;
	unsigned long ubuf;
	long base = file_nr();
	char path[96];
	struct stat st;

	KT_EQ(mmsim_switch_to(t), 0);
	ubuf = sys_mmap(0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(ubuf));
	mmsim_user_write(ubuf, "stress-bytes-0123456789", 24);
	for (step = 0; step < STEPS; step++) {
		const char *root = roots[rnd((unsigned int)nroots)];
		unsigned int op = rnd(14);
		int fd = nfd ? fds[rnd((unsigned int)nfd)] : -1;

		switch (op) {
		case 0: case 1: {
			static const int modes[] = { O_RDWR, O_RDWR | O_CREAT, O_RDWR | O_CREAT | O_EXCL,
						     O_RDWR | O_TRUNC, O_WRONLY | O_APPEND | O_CREAT,
						     O_RDONLY };
			long r;

			pick(path, sizeof(path), root, rnd(8) == 0);
			r = sys_open(path, modes[rnd(ARRAY_SIZE(modes))], 0644);
			EXPECT(r, -ENOENT, -EEXIST, -EISDIR, -ENOTDIR);
			if (r >= 0 && nfd < 60)
				fds[nfd++] = (int)r;
			else if (r >= 0)
				EXPECT(sys_close((int)r));
			break;
		}
		case 2:
			if (nfd) {
				int i = (int)rnd((unsigned int)nfd);

				EXPECT(sys_close(fds[i]));
				fds[i] = fds[--nfd];
			}
			break;
		case 3:
			if (fd >= 0 && nfd < 60) {
				long r = sys_dup(fd);

				EXPECT(r);
				if (r >= 0)
					fds[nfd++] = (int)r;
			}
			break;
		case 4:
			if (fd >= 0)
				EXPECT(sys_write(fd, ubuf, 1 + rnd(24)), -EBADF, -EISDIR);
			break;
		case 5:
			if (fd >= 0)
				EXPECT(sys_pread64(fd, ubuf + 64, 1 + rnd(64), rnd(32)), -EBADF, -EISDIR);
			break;
		case 6:
			if (fd >= 0)
				EXPECT(sys_lseek(fd, rnd(100), (int)rnd(3)));
			break;
		case 7:
			if (fd >= 0)
				EXPECT(sys_ftruncate(fd, rnd(5000)), -EINVAL);
			break;
		case 8:
			pick(path, sizeof(path), root, false);
			EXPECT(sys_unlink(path), -ENOENT, -EISDIR);
			break;
		case 9:
			pick(path, sizeof(path), root, true);
			EXPECT(sys_mkdir(path, 0755), -EEXIST);
			break;
		case 10:
			pick(path, sizeof(path), root, true);
			EXPECT(sys_rmdir(path), -ENOENT, -ENOTEMPTY, -ENOTDIR);
			break;
		case 11:
			pick(path, sizeof(path), root, rnd(2));
			EXPECT(sys_stat(path, &st), -ENOENT);
			break;
		case 12: {
			/* a file inside a directory, so that rmdir meets ENOTEMPTY */
			char dir[64];
			long r;

			pick(dir, sizeof(dir), root, true);
			snprintf(path, sizeof(path), "%s/in", dir);
			r = sys_open(path, O_CREAT | O_WRONLY, 0600);
			EXPECT(r, -ENOENT, -ENOTDIR);	/* dN may be a file */
			if (r >= 0)
				EXPECT(sys_close((int)r));
			if (rnd(2))
				EXPECT(sys_unlink(path), -ENOENT, -ENOTDIR);
			break;
		}
		case 13:
			if (rnd(4) == 0) {
				long pid = sys_fork();
				struct task_struct *c = pid > 0 ? find_task_by_vpid((pid_t)pid) : NULL;
				int status;

				EXPECT(pid);
				if (c) {
					KT_EQ(mmsim_switch_to(c), 0);
					KT_ASSERT(files_is_valid(c->files));
					if (fd >= 0)
						EXPECT(sys_read(fd, ubuf + 128, 8), -EBADF, -EISDIR);
					sys_exit_group(0);
					KT_EQ(mmsim_switch_to(t), 0);
					EXPECT(sys_wait4((pid_t)pid, &status, 0, NULL));
				}
			}
			break;
		}
		if (!vfs_is_valid(m) || !files_is_valid(t->files)) {
			fprintf(stderr, "step %d (op %u): a checker failed\n", step, op);
			bad++;
			break;
		}
	}
	KT_EQ(bad, 0);
	while (nfd)
		KT_EQ(sys_close(fds[--nfd]), 0);
	KT_EQ(file_nr(), base);
	for (int r = 0; r < nroots; r++)
		for (int i = 0; i < NAMES; i++) {
			snprintf(path, sizeof(path), "%s/f%d", roots[r], i);
			sys_unlink(path);
			snprintf(path, sizeof(path), "%s/d%d/in", roots[r], i);
			sys_unlink(path);
			snprintf(path, sizeof(path), "%s/d%d", roots[r], i);
			if (sys_rmdir(path) == -ENOTDIR)
				sys_unlink(path);	/* a file named like a directory */
		}
	KT_ASSERT(vfs_is_valid(m));
	sys_exit_group(0);
}

static void test_stress(void)
{
	const char *roots[3] = { "/t" };
	int nroots = 1;
	struct task_struct *t;
	struct path p;

	m = boot_or_die("ram=128M");
	KT_EQ(register_filesystem(&testfs_type), 0);
	if (kern_path("/", 0, &p))
		KT_EQ(do_mount("none", "/", "testfs", 0, NULL), 0);
	else
		path_put(&p);
	t = mmsim_spawn(m, "setup");
	KT_EQ(mmsim_switch_to(t), 0);
	KT_EQ(sys_mkdir("/t", 0755), 0);
	KT_EQ(do_mount("testfs", "/t", "testfs", 0, NULL), 0);
	if (!kern_path("/", 0, &p)) {
		/* the root file system (mmfs on the disk) and /tmp (tmpfs) too */
		if (strcmp(p.mnt->mnt_sb->s_type->name, "testfs") && !sys_mkdir("/mm", 0755))
			roots[nroots++] = "/mm";
		path_put(&p);
	}
	if (get_fs_type("tmpfs") && !kern_path("/tmp", 0, &p)) {
		roots[nroots++] = "/tmp";
		path_put(&p);
	}
	sys_exit_group(0);
	KT_ASSERT(vfs_is_valid(m));
	printf("# roots:");
	for (int i = 0; i < nroots; i++)
		printf(" %s", roots[i]);
	printf("\n");
	stress(roots, nroots);
	{
		struct path t_root;

		KT_EQ(kern_path("/t", 0, &t_root), 0);
		KT_ASSERT(simple_empty(t_root.dentry));
		path_put(&t_root);
	}
	mmsim_shutdown(m);
}

/* The checkers see a broken tree and a broken fd table. */
static void test_checkers(void)
{
	struct task_struct *t;
	struct path p;
	unsigned int saved;
	int count;
	long fd;

	m = boot_or_die("ram=64M");
	t = mmsim_spawn(m, "check");
	KT_EQ(mmsim_switch_to(t), 0);
	if (kern_path("/", 0, &p)) {		/* nothing mounted: nothing to check */
		sys_exit_group(0);
		mmsim_shutdown(m);
		return;
	}
	path_put(&p);
	KT_EQ(sys_mkdir("/c", 0755), 0);
	fd = sys_open("/c/x", O_CREAT | O_RDWR, 0644);
	KT_ASSERT(fd >= 0);
	KT_EQ(kern_path("/c", 0, &p), 0);
	KT_ASSERT(vfs_is_valid(m));
	count = atomic_read(&p.dentry->d_count);
	atomic_set(&p.dentry->d_count, 0);	/* fewer references than children */
	KT_ASSERT(!vfs_is_valid(m));
	atomic_set(&p.dentry->d_count, count);
	KT_ASSERT(vfs_is_valid(m));
	path_put(&p);
	KT_ASSERT(files_is_valid(t->files));
	saved = t->files->nr_open;
	t->files->nr_open = saved + 1;
	KT_ASSERT(!files_is_valid(t->files));
	t->files->nr_open = saved;
	KT_ASSERT(files_is_valid(t->files));
	KT_EQ(sys_close((int)fd), 0);
	KT_EQ(sys_unlink("/c/x"), 0);
	KT_EQ(sys_rmdir("/c"), 0);
	sys_exit_group(0);
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_stress);
	KT_RUN(test_checkers);
	return kt_done();
}
