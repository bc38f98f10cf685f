// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_mmfs_mt.c - two CPUs, each running its own process, race
 * mmfs on the root: create, write, truncate and unlink files of the same
 * names in one directory (ENOENT/EEXIST are what the race
 * explains), mkdir/rmdir there, and each writes its own larger file whose
 * bytes must come back intact; the flusher runs meanwhile (the clock
 * advances with each I/O).  Afterwards mmfs_fsck passes and the free
 * counts are back to where they started.  Under TSan in the "threaded"
 * label: the directory's inode_lock, ext_lock, alloc_lock and the
 * metadata folio locks are what keep it race-free.
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
#include <mmsim/fs.h>
#include <mmsim/mmfs.h>
#include "fs/mmfs/mmfs.h"
#include "mmtest.h"

#define ROUNDS	60
#define NAMES	3
#define OWN	(96 * 1024)

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
	long ret, fd;
	int name = r % NAMES;

	snprintf(path, sizeof(path), "/mt/f%d", name);
	snprintf(dir, sizeof(dir), "/mt/d%d", name);
	fd = sys_open(path, O_CREAT | O_RDWR, 0644);
	CHECK(w, fd >= 0, "open %s: %ld", path, fd);
	if (fd >= 0) {
		/* Writes only: a read racing a write of the same page is a
		 * byte-level race Linux allows (and TSan reports). */
		ret = sys_pwrite64((int)fd, ubuf, 8192, (long)(r % 5) * 4096);
		CHECK(w, ret == 8192, "pwrite %ld", ret);
		if (r % 4 == 0) {
			ret = sys_ftruncate((int)fd, 1000);
			CHECK(w, !ret, "ftruncate %ld", ret);
		}
		CHECK(w, !sys_close((int)fd), "close");
	}
	ret = sys_mkdir(dir, 0755);
	CHECK(w, !ret || ret == -EEXIST, "mkdir %ld", ret);
	ret = sys_unlink(path);
	CHECK(w, !ret || ret == -ENOENT, "unlink %ld", ret);
	ret = sys_rmdir(dir);
	CHECK(w, !ret || ret == -ENOENT || ret == -ENOTEMPTY, "rmdir %ld", ret);
}

static void *worker(void *arg)
{
	struct worker *w = arg;
	unsigned char *buf = malloc(OWN), *back = malloc(OWN);
	struct task_struct *t;
	unsigned long ubuf;
	char own[32];
	long fd, ret;

	if (mmsim_enter(machine, w->cpu)) {
		w->bad++;
		pthread_barrier_wait(&start);
		goto out;
	}
	t = mmsim_spawn(machine, "mmfs_mt");
	if (!t || mmsim_switch_to(t)) {
		w->bad++;
		pthread_barrier_wait(&start);
		mmsim_leave();
		goto out;
	}
	ubuf = sys_mmap(0, OWN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	for (int i = 0; i < OWN; i++)
		buf[i] = (unsigned char)(i * 13 + w->cpu);
	mmsim_user_write(ubuf, buf, OWN);
	pthread_barrier_wait(&start);
	snprintf(own, sizeof(own), "/own%d", w->cpu);
	for (int r = 0; r < ROUNDS; r++) {
		one_round(w, ubuf, r);
		if (r % 10 == 0) {	/* its own file, rewritten and checked */
			fd = sys_open(own, O_CREAT | O_RDWR | O_TRUNC, 0644);
			CHECK(w, fd >= 0, "open own %ld", fd);
			ret = sys_write((int)fd, ubuf, OWN);
			CHECK(w, ret == OWN, "write own %ld", ret);
			ret = sys_pread64((int)fd, ubuf, OWN, 0);
			CHECK(w, ret == OWN, "read own %ld", ret);
			sys_close((int)fd);
			memset(back, 0, OWN);
			mmsim_user_read(ubuf, back, OWN);
			CHECK(w, !memcmp(buf, back, OWN), "own bytes differ");
		}
	}
	sys_exit_group(0);
	mmsim_leave();
out:
	free(buf);
	free(back);
	return NULL;
}

static void test_race(void)
{
	struct worker w[2] = { { .cpu = 1 }, { .cpu = 2 } };
	struct super_block *sb;
	struct task_struct *t;
	struct path p;
	pthread_t th[2];
	u64 free0;
	u32 ifree0;

	machine = boot_or_die("ram=256M cpus=3 disk=64M");
	KT_EQ(mmsim_enter(machine, 0), 0);
	t = mmsim_spawn(machine, "setup");
	KT_EQ(mmsim_switch_to(t), 0);
	KT_EQ(sys_mkdir("/mt", 0755), 0);
	KT_EQ(kern_path("/", 0, &p), 0);
	sb = p.dentry->d_sb;
	path_put(&p);
	KT_ASSERT(sb->s_magic == MMFS_SUPER_MAGIC);
	KT_ASSERT(mmfs_fsck(sb));
	free0 = MMFS_SB(sb)->free_blocks;
	ifree0 = MMFS_SB(sb)->free_inodes;

	pthread_barrier_init(&start, NULL, 2);
	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, worker, &w[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	for (int i = 0; i < 2; i++) {
		if (w[i].bad)
			fprintf(stderr, "worker %d: %d bad, first: %s\n", w[i].cpu, w[i].bad, w[i].why);
		KT_EQ(w[i].bad, 0);
	}
	KT_EQ(sys_sync(), 0);
	KT_ASSERT(mmfs_fsck(sb));
	KT_EQ(sys_unlink("/own1"), 0);
	KT_EQ(sys_unlink("/own2"), 0);
	KT_ASSERT(mmfs_fsck(sb));
	/* Everything given back but the blocks /mt grew to. */
	KT_EQ(MMFS_SB(sb)->free_inodes, ifree0);
	KT_ASSERT(free0 - MMFS_SB(sb)->free_blocks <= 1);
	KT_EQ(sys_rmdir("/mt"), 0);
	KT_ASSERT(mmfs_fsck(sb));
	sys_exit_group(0);
	mmsim_shutdown(machine);
}

int main(void)
{
	KT_RUN(test_race);
	return kt_done();
}
