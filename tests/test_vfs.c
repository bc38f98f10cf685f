// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_vfs.c - the VFS core on its own, with "testfs", a ramfs-like
 * file system defined here (libfs directories, file bytes in a host
 * buffer per inode, read_iter/write_iter copying through the iterator):
 *   - the registry (register/get/unregister, /proc/filesystems);
 *   - mounts: testfs on "/" when nothing is there, on /t over a directory,
 *     /proc/mounts lines, ".." out of a mount, rmdir of a mountpoint;
 *   - the path walk's errors: ENOENT, ENOTDIR, ENAMETOOLONG (256-byte
 *     component, 4096-byte path), EISDIR, EEXIST, ".", "..", "//";
 *   - open with O_CREAT|O_EXCL|O_TRUNC|O_APPEND|O_DIRECTORY, read/write/
 *     pread/pwrite/lseek (SEEK_SET/CUR/END/DATA/HOLE), EBADF, EINVAL,
 *     EFBIG past s_maxbytes, fstat/stat, truncate/ftruncate, dup;
 *   - the fd table: lowest free first, growth past 64, RLIMIT_NOFILE
 *     (1024) -> EMFILE, /proc/sys/fs/file-nr;
 *   - fork shares the open files (one offset), exit closes them, the last
 *     close releases; unlink of an open file evicts at the last close;
 *   - inodes: iget_locked/ilookup/unlock_new_inode/iget_failed, cached
 *     inodes evicted by evict_inodes;
 *   - kernel_read/kernel_write, readdir through dcache_readdir;
 *   - no current task: -ESRCH.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include <mmsim/fs.h>
#include <mmsim/fcntl.h>
#include <mmsim/uio.h>
#include "mmtest.h"
#include "fs/internal.h"

static struct mmsim *m;
#include "vfs_testfs.h"

/* --- helpers ------------------------------------------------------------ */

static struct task_struct *task;
static unsigned long ubuf;	/* 4 pages of user memory of task */

static void start_task(void)
{
	task = mmsim_spawn(m, "vfs");
	KT_ASSERT(task);
	KT_EQ(mmsim_switch_to(task), 0);
	ubuf = sys_mmap(0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			-1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(ubuf));
}

static void end_task(void)
{
	sys_exit_group(0);
	task = NULL;
}

static void uput(const char *s)
{
	KT_EQ(mmsim_user_write(ubuf, s, strlen(s)), 0);
}

static char *uget(size_t n)
{
	static char out[4 * 4096 + 1];

	memset(out, 0, sizeof(out));
	KT_EQ(mmsim_user_read(ubuf, out, n), 0);
	return out;
}

static long write_str(int fd, const char *s)
{
	uput(s);
	return sys_write(fd, ubuf, strlen(s));
}

static long file_nr(void)
{
	char *s = mmsim_read(m, "/proc/sys/fs/file-nr");
	long v = s ? strtol(s, NULL, 10) : -1;

	free(s);
	return v;
}

/* --- tests ---------------------------------------------------------------- */

static void test_registry(void)
{
	static struct file_system_type other = { .name = "testfs", .mount = testfs_mount,
						 .kill_sb = kill_litter_super };
	char *s;

	KT_EQ(register_filesystem(&testfs_type), 0);
	KT_ASSERT(get_fs_type("testfs") == &testfs_type);
	KT_EQ(register_filesystem(&other), -EBUSY);
	KT_ASSERT(get_fs_type("nosuchfs") == NULL);
	s = mmsim_read(m, "/proc/filesystems");
	KT_STR_CONTAINS(s, "nodev\ttestfs\n");
	free(s);
	KT_EQ(unregister_filesystem(&testfs_type), 0);
	KT_ASSERT(get_fs_type("testfs") == NULL);
	KT_EQ(register_filesystem(&testfs_type), 0);
}

/* testfs on "/" if nothing is mounted there, and always on /t. */
static void test_mount(void)
{
	struct path p;
	struct stat st;
	char *s;

	if (kern_path("/", 0, &p)) {
		KT_EQ(do_mount("none", "/", "testfs", 0, NULL), 0);
		KT_EQ(kern_path("/", 0, &p), 0);
	}
	path_put(&p);
	KT_EQ(do_mount("none", "/nonexistent", "testfs", 0, NULL), -ENOENT);
	KT_EQ(do_mount("none", "/", "nosuchfs", 0, NULL), -ENODEV);
	start_task();
	KT_EQ(sys_mkdir("/t", 0755), 0);
	KT_EQ(sys_mkdir("/t", 0755), -EEXIST);
	KT_EQ(do_mount("testfs", "/t", "testfs", 0, NULL), 0);
	s = mmsim_read(m, "/proc/mounts");
	KT_STR_CONTAINS(s, "testfs /t testfs rw 0 0\n");
	free(s);
	/* the mount's root is a fresh directory; ".." leaves the mount */
	KT_EQ(sys_mkdir("/t/d", 0700), 0);
	KT_EQ(sys_stat("/t/d/../..", &st), 0);
	KT_EQ(kern_path("/", 0, &p), 0);
	KT_EQ(st.st_ino, d_inode(p.dentry)->i_ino);
	path_put(&p);
	KT_EQ(sys_stat("/..", &st), 0);	/* ".." of the root is the root */
	KT_EQ(kern_path("/t", 0, &p), 0);
	KT_ASSERT(p.dentry == p.mnt->mnt_root);	/* crossed into the mount */
	KT_EQ(p.mnt->mnt_sb->s_magic, TESTFS_MAGIC);
	path_put(&p);
	KT_EQ(sys_rmdir("/t"), -EBUSY);
	KT_EQ(sys_rmdir("/t/d"), 0);
	end_task();
}

static void test_walk_errors(void)
{
	char name[300], path[4200];
	struct stat st;
	int fd;

	start_task();
	KT_EQ(sys_stat("/t/nope", &st), -ENOENT);
	KT_EQ(sys_stat("", &st), -ENOENT);
	fd = (int)sys_open("/t/f", O_CREAT | O_RDWR, 0644);
	KT_ASSERT(fd >= 0);
	KT_EQ(sys_stat("/t/f/x", &st), -ENOTDIR);
	KT_EQ(sys_stat("/t/f/", &st), -ENOTDIR);
	KT_EQ(sys_open("/t/f/", O_RDONLY, 0), -ENOTDIR);
	KT_EQ(sys_open("/t/f", O_RDONLY | O_DIRECTORY, 0), -ENOTDIR);
	KT_EQ(sys_open("/t/g/", O_CREAT | O_RDWR, 0644), -EISDIR);
	KT_EQ(sys_stat("//t///f", &st), 0);
	KT_EQ(sys_stat("t/./f", &st), 0);		/* relative to "/" */
	memset(name, 'a', 256);
	name[256] = '\0';
	snprintf(path, sizeof(path), "/t/%s", name);
	KT_EQ(sys_stat(path, &st), -ENAMETOOLONG);
	KT_EQ(sys_open(path, O_CREAT | O_RDWR, 0644), -ENAMETOOLONG);
	name[255] = '\0';
	snprintf(path, sizeof(path), "/t/%s", name);
	KT_EQ(sys_stat(path, &st), -ENOENT);		/* 255 bytes is fine */
	memset(path, '/', 4096);
	path[4096] = '\0';
	KT_EQ(sys_stat(path, &st), -ENAMETOOLONG);	/* PATH_MAX counts the NUL */
	path[4095] = '\0';
	KT_EQ(sys_stat(path, &st), 0);
	KT_EQ(sys_close(fd), 0);
	KT_EQ(sys_unlink("/t/f"), 0);
	end_task();
}

static void test_open_rw(void)
{
	struct stat st;
	int fd, fd2;

	start_task();
	fd = (int)sys_open("/t/a", O_CREAT | O_EXCL | O_RDWR, 0640);
	KT_ASSERT(fd >= 0);
	KT_EQ(sys_open("/t/a", O_CREAT | O_EXCL | O_RDWR, 0640), -EEXIST);
	KT_EQ(write_str(fd, "hello world"), 11);
	KT_EQ(sys_lseek(fd, 0, SEEK_CUR), 11);
	KT_EQ(sys_lseek(fd, 0, SEEK_SET), 0);
	KT_EQ(sys_read(fd, ubuf, 100), 11);
	KT_ASSERT(!strcmp(uget(11), "hello world"));
	KT_EQ(sys_read(fd, ubuf, 100), 0);		/* EOF */
	KT_EQ(sys_pread64(fd, ubuf, 5, 6), 5);
	KT_ASSERT(!strcmp(uget(5), "world"));
	KT_EQ(sys_lseek(fd, 0, SEEK_CUR), 11);		/* pread leaves f_pos */
	uput("W");
	KT_EQ(sys_pwrite64(fd, ubuf, 1, 6), 1);
	KT_EQ(sys_pread64(fd, ubuf, 11, 0), 11);
	KT_ASSERT(!strcmp(uget(11), "hello World"));
	KT_EQ(sys_pread64(fd, ubuf, 1, -1), -EINVAL);
	KT_EQ(sys_lseek(fd, -1, SEEK_SET), -EINVAL);
	KT_EQ(sys_lseek(fd, 0, 7), -EINVAL);
	KT_EQ(sys_lseek(fd, -2, SEEK_END), 9);
	KT_EQ(sys_lseek(fd, 3, SEEK_DATA), 3);
	KT_EQ(sys_lseek(fd, 3, SEEK_HOLE), 11);
	KT_EQ(sys_lseek(fd, 11, SEEK_DATA), -ENXIO);
	KT_EQ(sys_lseek(fd, 100, SEEK_SET), 100);	/* past EOF is fine */
	KT_EQ(sys_fstat(fd, &st), 0);
	KT_EQ(st.st_size, 11);
	KT_ASSERT(S_ISREG(st.st_mode));
	KT_EQ(st.st_mode & 07777, 0640);
	KT_EQ(sys_mkdir("/t/um", 0777), 0);
	KT_EQ(sys_stat("/t/um", &st), 0);
	KT_EQ(st.st_mode & 07777, 0755);		/* umask 0022 */
	KT_EQ(sys_rmdir("/t/um"), 0);
	KT_EQ(sys_fstat(fd, &st), 0);
	KT_EQ(st.st_nlink, 1);
	/* EFBIG at s_maxbytes; writes beyond EOF leave a zero gap */
	KT_EQ(sys_pwrite64(fd, ubuf, 1, TESTFS_MAXBYTES), -EFBIG);
	KT_EQ(sys_pwrite64(fd, ubuf, 0, TESTFS_MAXBYTES), 0);
	/* O_APPEND writes at the end whatever f_pos says */
	fd2 = (int)sys_open("/t/a", O_WRONLY | O_APPEND, 0);
	KT_ASSERT(fd2 >= 0);
	KT_EQ(write_str(fd2, "!"), 1);
	KT_EQ(sys_lseek(fd2, 0, SEEK_CUR), 12);
	KT_EQ(sys_read(fd2, ubuf, 1), -EBADF);		/* not open for reading */
	KT_EQ(sys_close(fd2), 0);
	fd2 = (int)sys_open("/t/a", O_RDONLY, 0);
	KT_EQ(write_str(fd2, "x"), -EBADF);
	KT_EQ(sys_ftruncate(fd2, 0), -EINVAL);	/* not open for writing */
	KT_EQ(sys_close(fd2), 0);
	/* O_TRUNC empties it */
	fd2 = (int)sys_open("/t/a", O_RDWR | O_TRUNC, 0);
	KT_ASSERT(fd2 >= 0);
	KT_EQ(sys_fstat(fd, &st), 0);
	KT_EQ(st.st_size, 0);
	KT_EQ(sys_close(fd2), 0);
	/* truncate and ftruncate */
	KT_EQ(sys_ftruncate(fd, 5000), 0);
	KT_EQ(sys_stat("/t/a", &st), 0);
	KT_EQ(st.st_size, 5000);
	KT_EQ(sys_truncate("/t/a", 10), 0);
	KT_EQ(sys_fstat(fd, &st), 0);
	KT_EQ(st.st_size, 10);
	KT_EQ(sys_truncate("/t/a", -1), -EINVAL);
	KT_EQ(sys_truncate("/t/a", TESTFS_MAXBYTES + 1L), -EFBIG);
	KT_EQ(sys_truncate("/t", 0), -EISDIR);
	/* directories */
	KT_EQ(sys_open("/t", O_RDWR, 0), -EISDIR);
	KT_EQ(sys_open("/t", O_CREAT | O_RDWR, 0644), -EISDIR);
	fd2 = (int)sys_open("/t", O_RDONLY | O_DIRECTORY, 0);
	KT_ASSERT(fd2 >= 0);
	KT_EQ(sys_read(fd2, ubuf, 10), -EISDIR);
	KT_EQ(sys_close(fd2), 0);
	KT_EQ(sys_close(fd), 0);
	KT_EQ(sys_close(fd), -EBADF);
	KT_EQ(sys_read(fd, ubuf, 1), -EBADF);
	KT_EQ(sys_read(-1, ubuf, 1), -EBADF);
	KT_EQ(sys_unlink("/t/a"), 0);
	KT_EQ(sys_unlink("/t/a"), -ENOENT);
	end_task();
}

static void test_fd_table(void)
{
	long base = file_nr();
	int fd, fds[1100], n = 0;

	start_task();
	fd = (int)sys_open("/t/fds", O_CREAT | O_RDWR, 0644);
	KT_EQ(fd, 0);					/* lowest free first */
	KT_EQ(file_nr(), base + 1);
	{
		char path[64], *s;

		snprintf(path, sizeof(path), "/proc/%d/fd", task->pid);
		s = mmsim_read(m, path);
		KT_ASSERT(s && !strcmp(s, "0 -> /t/fds\n"));
		free(s);
		snprintf(path, sizeof(path), "/proc/%d/mounts", task->pid);
		s = mmsim_read(m, path);
		KT_STR_CONTAINS(s, "testfs /t testfs rw 0 0\n");
		free(s);
	}
	for (;;) {
		int d = (int)sys_dup(fd);

		if (d < 0) {
			KT_EQ(d, -EMFILE);
			break;
		}
		fds[n++] = d;
		if (n == 1100)
			break;
	}
	KT_EQ(n, 1023);					/* RLIMIT_NOFILE 1024 */
	KT_EQ(fds[0], 1);
	KT_EQ(fds[1022], 1023);
	KT_EQ(file_nr(), base + 1);			/* dups share the file */
	KT_EQ(files_count_open(task->files), 1024);
	KT_EQ(sys_open("/t/fds", O_RDONLY, 0), -EMFILE);
	KT_EQ(file_nr(), base + 1);			/* the failed open freed its file */
	KT_EQ(sys_close(700), 0);
	KT_EQ(sys_close(5), 0);
	KT_EQ(sys_dup(fd), 5);
	KT_EQ(sys_dup(fd), 700);
	for (int i = 1; i < 1024; i++)
		KT_EQ(sys_close(i), 0);
	KT_EQ(sys_dup(fd), 1);
	KT_EQ(sys_close(1), 0);
	KT_EQ(sys_close(0), 0);
	KT_EQ(file_nr(), base);
	KT_EQ(sys_unlink("/t/fds"), 0);
	end_task();
}

/* fork: one struct file, one offset; exit closes; the last close releases. */
static void test_fork_shares_files(void)
{
	struct task_struct *parent, *child;
	long base = file_nr(), pid;
	int released, fd, st;

	start_task();
	parent = task;
	fd = (int)sys_open("/t/shared", O_CREAT | O_RDWR, 0644);
	KT_EQ(write_str(fd, "0123456789"), 10);
	KT_EQ(sys_lseek(fd, 0, SEEK_SET), 0);
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	child = find_task_by_vpid((pid_t)pid);
	KT_ASSERT(child && child->files && child->files != parent->files);
	KT_EQ(file_nr(), base + 1);
	KT_EQ(mmsim_switch_to(child), 0);
	KT_EQ(sys_read(fd, ubuf, 4), 4);		/* the child's read moves the shared offset */
	KT_ASSERT(!strcmp(uget(4), "0123"));
	released = nr_released;
	sys_exit_group(0);				/* exit_files: one reference less */
	KT_EQ(nr_released, released);
	KT_EQ(mmsim_switch_to(parent), 0);
	KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);
	KT_EQ(sys_lseek(fd, 0, SEEK_CUR), 4);
	KT_EQ(sys_read(fd, ubuf, 2), 2);
	KT_ASSERT(!strcmp(uget(2), "45"));
	KT_EQ(sys_unlink("/t/shared"), 0);
	end_task();					/* the last reference: ->release */
	KT_EQ(nr_released, released + 1);
	KT_EQ(file_nr(), base);
}

/* An unlinked file lives while it is open; the last close evicts it. */
static void test_unlink_open(void)
{
	int fd, evicted = nr_evicted;
	struct stat st;

	start_task();
	fd = (int)sys_open("/t/tmpfile", O_CREAT | O_RDWR, 0600);
	KT_EQ(write_str(fd, "still here"), 10);
	KT_EQ(sys_unlink("/t/tmpfile"), 0);
	KT_EQ(sys_stat("/t/tmpfile", &st), -ENOENT);
	KT_EQ(sys_fstat(fd, &st), 0);
	KT_EQ(st.st_nlink, 0);
	KT_EQ(sys_pread64(fd, ubuf, 10, 0), 10);
	KT_ASSERT(!strcmp(uget(10), "still here"));
	KT_EQ(nr_evicted, evicted);
	/* a new file of the same name is another inode */
	int fd2 = (int)sys_open("/t/tmpfile", O_CREAT | O_EXCL | O_RDWR, 0600);

	KT_ASSERT(fd2 >= 0);
	KT_EQ(sys_fstat(fd2, &st), 0);
	KT_EQ(st.st_size, 0);
	KT_EQ(sys_close(fd), 0);
	KT_EQ(nr_evicted, evicted + 1);
	KT_EQ(sys_close(fd2), 0);
	KT_EQ(sys_unlink("/t/tmpfile"), 0);
	KT_EQ(nr_evicted, evicted + 2);
	end_task();
}

static void test_dirs(void)
{
	int fd;

	start_task();
	KT_EQ(sys_mkdir("/t/d1", 0755), 0);
	KT_EQ(sys_mkdir("/t/d1/d2", 0755), 0);
	KT_EQ(sys_mkdir("/t/nope/d", 0755), -ENOENT);
	KT_EQ(sys_mkdir("/", 0755), -EEXIST);
	KT_EQ(sys_mkdir("/t/d1/..", 0755), -EEXIST);
	fd = (int)sys_open("/t/d1/f", O_CREAT | O_RDWR, 0644);
	KT_ASSERT(fd >= 0);
	KT_EQ(sys_close(fd), 0);
	KT_EQ(sys_rmdir("/t/d1"), -ENOTEMPTY);
	KT_EQ(sys_rmdir("/t/d1/f"), -ENOTDIR);
	KT_EQ(sys_unlink("/t/d1/d2"), -EISDIR);
	KT_EQ(sys_unlink("/t/d1/f/"), -ENOTDIR);
	KT_EQ(sys_rmdir("/t/d1/."), -EINVAL);
	KT_EQ(sys_rmdir("/t/d1/.."), -ENOTEMPTY);
	KT_EQ(sys_rmdir("/"), -EBUSY);
	KT_EQ(sys_mkdir("/t/d1/f/x", 0755), -ENOTDIR);
	KT_EQ(sys_rmdir("/t/d1/d2"), 0);
	KT_EQ(sys_unlink("/t/d1/f"), 0);
	KT_EQ(sys_rmdir("/t/d1/"), 0);
	KT_EQ(sys_rmdir("/t/d1"), -ENOENT);
	end_task();
}

struct names {
	struct dir_context ctx;
	char buf[256];
};

static bool collect(struct dir_context *ctx, const char *name, int len, loff_t off, u64 ino,
		    unsigned int type)
{
	struct names *n = container_of(ctx, struct names, ctx);

	(void)off;
	(void)ino;
	snprintf(n->buf + strlen(n->buf), sizeof(n->buf) - strlen(n->buf), "%.*s%s ", len, name,
		 type == DT_DIR ? "/" : "");
	return true;
}

static void test_readdir_kernel_rw(void)
{
	struct names n = { .ctx.actor = collect };
	struct file *f, *d;
	char buf[16] = "";
	loff_t pos = 0;

	start_task();
	KT_EQ(sys_mkdir("/t/r", 0755), 0);
	f = filp_open("/t/r/one", O_CREAT | O_RDWR, 0644);
	KT_ASSERT(!IS_ERR(f));
	KT_EQ(kernel_write(f, "abcdef", 6, &pos), 6);
	KT_EQ(pos, 6);
	pos = 2;
	KT_EQ(kernel_read(f, buf, 3, &pos), 3);
	KT_ASSERT(!strcmp(buf, "cde"));
	KT_STR_CONTAINS(f->f_name, "/t/r/one");
	KT_EQ(filp_close(f), 0);
	KT_EQ(sys_mkdir("/t/r/sub", 0755), 0);
	d = filp_open("/t/r", O_RDONLY | O_DIRECTORY, 0);
	KT_ASSERT(!IS_ERR(d));
	KT_EQ(d->f_op->iterate_shared(d, &n.ctx), 0);
	KT_ASSERT(!strcmp(n.buf, "./ ../ one sub/ "));
	KT_EQ(filp_close(d), 0);
	KT_ASSERT(IS_ERR(filp_open("/t/r/none", O_RDONLY, 0)));
	KT_EQ(sys_unlink("/t/r/one"), 0);
	KT_EQ(sys_rmdir("/t/r/sub"), 0);
	KT_EQ(sys_rmdir("/t/r"), 0);
	end_task();
}

static void test_inode_cache(void)
{
	struct path p;
	struct super_block *sb;
	struct inode *i1, *i2;
	int evicted;

	KT_EQ(kern_path("/t", 0, &p), 0);
	sb = p.mnt->mnt_sb;
	i1 = iget_locked(sb, 424242);
	KT_ASSERT(i1 && (i1->i_state & I_NEW));
	KT_EQ(i1->i_ino, 424242);
	i1->i_mode = S_IFREG | 0600;
	unlock_new_inode(i1);
	KT_ASSERT(!(i1->i_state & I_NEW));
	i2 = iget_locked(sb, 424242);
	KT_ASSERT(i2 == i1);
	KT_EQ(atomic_read(&i1->i_count), 2);
	iput(i2);
	evicted = nr_evicted;
	iput(i1);					/* hashed, linked: stays cached */
	KT_EQ(nr_evicted, evicted);
	{
		char *s = mmsim_read(m, "/proc/sys/fs/inode-nr");
		char *tab = s ? strchr(s, '\t') : NULL;

		KT_ASSERT(tab && strtol(tab + 1, NULL, 10) >= 1);	/* unused: cached */
		free(s);
	}
	i2 = ilookup(sb, 424242);
	KT_ASSERT(i2 == i1);
	iput(i2);
	KT_ASSERT(ilookup(sb, 777) == NULL);
	evict_inodes(sb);				/* drop_caches 2 / umount */
	KT_EQ(nr_evicted, evicted + 1);
	KT_ASSERT(ilookup(sb, 424242) == NULL);
	/* a failed read: iget_failed unhashes and evicts */
	i1 = iget_locked(sb, 424243);
	KT_ASSERT(i1 && (i1->i_state & I_NEW));
	iget_failed(i1);
	KT_EQ(nr_evicted, evicted + 2);
	KT_ASSERT(ilookup(sb, 424243) == NULL);
	path_put(&p);
}

static void test_no_current(void)
{
	struct stat st;

	mmsim_switch_idle();
	KT_EQ(sys_open("/t/x", O_RDONLY, 0), -ESRCH);
	KT_EQ(sys_read(0, 0, 1), -ESRCH);
	KT_EQ(sys_stat("/t", &st), -ESRCH);
	KT_EQ(sys_mkdir("/t/x", 0755), -ESRCH);
	/* the kernel's own mkdir needs no task (boot, --import) */
	KT_EQ(init_mkdir("/t/kdir", 0777), 0);
	KT_EQ(init_mkdir("/t/kdir", 0777), -EEXIST);
	KT_EQ(init_mkdir("/t/nope/kdir", 0777), -ENOENT);
	{
		struct path p;

		KT_EQ(kern_path("/t/kdir", LOOKUP_DIRECTORY, &p), 0);
		KT_EQ(d_inode(p.dentry)->i_mode & 07777, 0755);
		path_put(&p);
	}
}

/* rootfstype= takes the types mount_root may try; others are refused. */
static void test_rootfstype(void)
{
	struct mmsim *m2;

	KT_ASSERT(mmsim_boot("ram=32M rootfstype=ext4") == NULL);
	KT_STR_CONTAINS(mmsim_last_error(), "'rootfstype=ext4': unknown root file system type");
	m2 = mmsim_boot("ram=32M disk=8M rootfstype=tmpfs");
	KT_ASSERT(m2);
	if (m2) {
		char *s = mmsim_read(m2, "/proc/mounts");

		KT_ASSERT(s && !strstr(s, "/dev/vda"));	/* the disk stays unmounted */
		free(s);
		mmsim_shutdown(m2);
	}
	KT_EQ(mmsim_enter(m, 0), 0);
}

/*
 * mount_root: mmfs from the disk on "/", tmpfs on /dev/shm and /tmp, in
 * Linux's /proc/mounts format -- for the types registered (before the
 * file systems land, only what is there is checked); then a file created
 * in each mount is found and stat'ed through the walk across the mounts.
 */
static void test_mount_root(void)
{
	struct mmsim *m2 = mmsim_boot("ram=64M disk=32M");
	bool mmfs, tmpfs;
	struct task_struct *t;
	struct stat st;
	char *s;

	KT_ASSERT(m2);
	if (!m2)
		return;
	mmfs = get_fs_type("mmfs") != NULL;
	tmpfs = get_fs_type("tmpfs") != NULL;
	s = mmsim_read(m2, "/proc/mounts");
	if (mmfs)
		KT_STR_CONTAINS(s, "/dev/vda / mmfs rw,relatime 0 0\n");
	else if (tmpfs)
		KT_STR_CONTAINS(s, "rootfs / tmpfs rw 0 0\n");
	if (tmpfs) {
		KT_STR_CONTAINS(s, "tmpfs /dev/shm tmpfs rw,nosuid,nodev 0 0\n");
		KT_STR_CONTAINS(s, "tmpfs /tmp tmpfs rw,nosuid,nodev 0 0\n");
	}
	free(s);
	t = mmsim_spawn(m2, "root");
	KT_EQ(mmsim_switch_to(t), 0);
	if (tmpfs) {
		long fd = sys_open("/tmp/x", O_CREAT | O_RDWR, 0644);
		struct stat root;

		KT_ASSERT(fd >= 0);
		KT_EQ(sys_stat("/tmp/x", &st), 0);
		KT_EQ(sys_stat("/", &root), 0);
		KT_ASSERT(st.st_dev != root.st_dev);	/* another super block */
		KT_EQ(sys_stat("/dev/shm/../../tmp/x", &st), 0);
		KT_EQ(sys_close((int)fd), 0);
		KT_EQ(sys_unlink("/tmp/x"), 0);
	}
	if (mmfs || tmpfs) {
		long fd = sys_open("/rootfile", O_CREAT | O_RDWR, 0644);

		KT_ASSERT(fd >= 0);
		KT_EQ(sys_close((int)fd), 0);
		KT_EQ(sys_stat("/rootfile", &st), 0);
		KT_EQ(sys_unlink("/rootfile"), 0);
	}
	sys_exit_group(0);
	mmsim_shutdown(m2);
	KT_EQ(mmsim_enter(m, 0), 0);
}

int main(void)
{
	m = boot_or_die("ram=64M");
	KT_RUN(test_registry);
	KT_RUN(test_mount);
	KT_RUN(test_walk_errors);
	KT_RUN(test_open_rw);
	KT_RUN(test_fd_table);
	KT_RUN(test_fork_shares_files);
	KT_RUN(test_unlink_open);
	KT_RUN(test_dirs);
	KT_RUN(test_readdir_kernel_rw);
	KT_RUN(test_inode_cache);
	KT_RUN(test_no_current);
	KT_RUN(test_rootfstype);
	KT_RUN(test_mount_root);
	{
		char *log = log_since(m, &(size_t){ 0 });

		KT_ASSERT(log && !strstr(log, "WARNING") && !strstr(log, "BUG"));
		if (log && (strstr(log, "WARNING") || strstr(log, "BUG")))
			fputs(log, stderr);
		free(log);
	}
	mmsim_shutdown(m);
	return kt_done();
}
