// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_vfs_mt.c - two CPUs, each running its own process, race the
 * VFS over the same names of one testfs directory (tests/vfs_testfs.h):
 * open with O_CREAT (and O_EXCL), write, read back, dup, close, unlink,
 * mkdir/rmdir and stat, plus a fork whose child closes the shared files
 * at exit.  Every call must return what Linux could (success or the errno
 * the race explains: ENOENT, EEXIST, ENOTEMPTY); afterwards every file is
 * closed (file-nr back to where it was), every inode evicted but the
 * directories', and the dentry tree is empty.  Under TSan in the
 * "threaded" label: dcache_lock, the inode hash, i_lock, file_lock and
 * f_pos_lock are what keep it race-free.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
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

#define ROUNDS	150
#define NAMES	4

static struct mmsim *machine;
static pthread_barrier_t start;

struct worker {
	int cpu, bad;
	char why[128];
};

#define CHECK(w, cond, ...)							\
	do {									\
		if (!(cond)) {							\
			if (!(w)->bad++)					\
				snprintf((w)->why, sizeof((w)->why), __VA_ARGS__); \
		}								\
	} while (0)

static void one_round(struct worker *w, unsigned long ubuf, int r)
{
	char path[64], dir[64];
	struct stat st;
	long ret, fd, fd2;
	int name = r % NAMES;

	snprintf(path, sizeof(path), "/t/mt/f%d", name);
	snprintf(dir, sizeof(dir), "/t/mt/d%d", name);
	fd = sys_open(path, O_CREAT | O_RDWR, 0644);
	CHECK(w, fd >= 0, "open %s: %ld", path, fd);
	if (fd >= 0) {
		ret = sys_pwrite64((int)fd, ubuf, 16, 0);
		CHECK(w, ret == 16, "pwrite %ld", ret);
		ret = sys_pread64((int)fd, ubuf + 64, 16, 0);
		CHECK(w, ret == 16, "pread %ld", ret);
		fd2 = sys_dup((int)fd);
		CHECK(w, fd2 > fd, "dup %ld", fd2);
		ret = sys_write((int)fd2, ubuf, 8);
		CHECK(w, ret == 8, "write %ld", ret);
		ret = sys_fstat((int)fd, &st);
		CHECK(w, !ret && S_ISREG(st.st_mode), "fstat %ld", ret);
		CHECK(w, !sys_close((int)fd2), "close dup");
		if (r % 7 == 0) {
			long pid = sys_fork();
			struct task_struct *self = current, *child;
			int status;

			CHECK(w, pid > 0, "fork %ld", pid);
			child = pid > 0 ? find_task_by_vpid((pid_t)pid) : NULL;
			if (child) {
				CHECK(w, !mmsim_switch_to(child), "switch child");
				ret = sys_read((int)fd, ubuf + 128, 4);
				CHECK(w, ret >= 0, "child read %ld", ret);
				sys_exit_group(0);
				CHECK(w, !mmsim_switch_to(self), "switch back");
				ret = sys_wait4((pid_t)pid, &status, 0, NULL);
				CHECK(w, ret == pid, "wait4 %ld", ret);
			}
		}
		CHECK(w, !sys_close((int)fd), "close");
	}
	ret = sys_unlink(path);
	CHECK(w, !ret || ret == -ENOENT, "unlink %ld", ret);
	ret = sys_mkdir(dir, 0755);
	CHECK(w, !ret || ret == -EEXIST, "mkdir %ld", ret);
	ret = sys_stat(dir, &st);
	CHECK(w, (!ret && S_ISDIR(st.st_mode)) || ret == -ENOENT, "stat dir %ld", ret);
	fd = sys_open(path, O_CREAT | O_EXCL | O_WRONLY, 0600);
	CHECK(w, fd >= 0 || fd == -EEXIST, "excl %ld", fd);
	if (fd >= 0)
		CHECK(w, !sys_close((int)fd), "close excl");
	ret = sys_rmdir(dir);
	CHECK(w, !ret || ret == -ENOENT, "rmdir %ld", ret);
	ret = sys_unlink(path);
	CHECK(w, !ret || ret == -ENOENT, "unlink2 %ld", ret);
}

static void *worker(void *arg)
{
	struct worker *w = arg;
	struct task_struct *t;
	unsigned long ubuf;

	if (mmsim_enter(machine, w->cpu)) {
		w->bad++;
		pthread_barrier_wait(&start);
		return NULL;
	}
	t = mmsim_spawn(machine, "vfs_mt");
	if (!t || mmsim_switch_to(t)) {
		w->bad++;
		pthread_barrier_wait(&start);
		mmsim_leave();
		return NULL;
	}
	ubuf = sys_mmap(0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	CHECK(w, !IS_ERR_VALUE(ubuf), "mmap");
	mmsim_user_write(ubuf, "0123456789abcdef", 16);
	pthread_barrier_wait(&start);
	for (int r = 0; r < ROUNDS; r++)
		one_round(w, ubuf, r);
	sys_exit_group(0);
	mmsim_leave();
	return NULL;
}

static long file_nr(void)
{
	char *s = mmsim_read(machine, "/proc/sys/fs/file-nr");
	long v = s ? strtol(s, NULL, 10) : -1;

	free(s);
	return v;
}

static void test_race(void)
{
	struct worker w[2] = { { .cpu = 1 }, { .cpu = 2 } };
	struct task_struct *t;
	struct path p;
	pthread_t th[2];
	long base;

	machine = boot_or_die("ram=128M cpus=3");
	KT_EQ(register_filesystem(&testfs_type), 0);
	if (kern_path("/", 0, &p))
		KT_EQ(do_mount("none", "/", "testfs", 0, NULL), 0);
	else
		path_put(&p);
	t = mmsim_spawn(machine, "setup");
	KT_EQ(mmsim_switch_to(t), 0);
	KT_EQ(sys_mkdir("/t", 0755), 0);
	KT_EQ(do_mount("testfs", "/t", "testfs", 0, NULL), 0);
	KT_EQ(sys_mkdir("/t/mt", 0755), 0);
	base = file_nr();
	pthread_barrier_init(&start, NULL, 2);
	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, worker, &w[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	KT_EQ(w[0].bad, 0);
	KT_EQ(w[1].bad, 0);
	if (w[0].bad || w[1].bad)
		fprintf(stderr, "worker 0: %s\nworker 1: %s\n", w[0].why, w[1].why);
	KT_EQ(file_nr(), base);
	KT_EQ(kern_path("/t/mt", 0, &p), 0);
	KT_ASSERT(simple_empty(p.dentry));
	path_put(&p);
	KT_EQ(sys_rmdir("/t/mt"), 0);
	sys_exit_group(0);
	mmsim_shutdown(machine);
}

int main(void)
{
	KT_RUN(test_race);
	return kt_done();
}
