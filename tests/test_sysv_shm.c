// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_sysv_shm.c - SysV shared memory (ipc/shm.c) as Linux's:
 *   - a segment made, attached and written by one process is read by
 *     another (spawned) process that attaches it by key;
 *   - fork keeps the attach (shm_nattch 2), shmdt and exit detach;
 *   - IPC_RMID with attaches alive marks SHM_DEST and makes the key
 *     private; the last detach destroys it and every page goes back to the
 *     buddy allocator (nr_free_pages exact after draining the caches);
 *   - meminfo Shmem follows the segment's pages, Committed_AS its charge
 *     (none with SHM_NORESERVE);
 *   - the errors of LTP's shmget02/shmat02/shmctl/shmdt02 cases: EEXIST,
 *     ENOENT, EINVAL (size, id, address), ENOSPC (shmmni, shmall);
 *   - kernel.shm_rmid_forced: the last detach destroys, and so does the
 *     creator's exit for its unattached segments (exit_shm);
 *   - /proc/sysvipc/shm's header and a golden line, the kernel.shm*
 *     sysctls with Linux's defaults.
 * On x86_64, i386 and arm64 with 64K pages.
 */
#include <sys/ipc.h>	/* the host's first: mmsim's headers follow them */
#include <sys/shm.h>
#include <stddef.h>
#include <mmsim/sched.h>
#include <mmsim/signal.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include <mmsim/slab.h>
#include <mmsim/ipc.h>
#include <mmsim/shm.h>
#include "mmtest.h"
#include "mm/fault_internal.h"
#include "kernel/internal.h"

static struct mmsim *m;

/* Linux's 64-bit struct shmid64_ds is glibc's x86_64 struct shmid_ds. */
_Static_assert(sizeof(struct shmid64_ds) == 112, "shmid64_ds");
_Static_assert(offsetof(struct shmid64_ds, shm_segsz) == 48, "shm_segsz");
_Static_assert(offsetof(struct shmid64_ds, shm_nattch) == 88, "shm_nattch");
_Static_assert(sizeof(struct shminfo64) == 72, "shminfo64");
#if defined(__x86_64__)
_Static_assert(sizeof(struct shmid_ds) == sizeof(struct shmid64_ds), "glibc shmid_ds");
_Static_assert(offsetof(struct shmid_ds, shm_perm.mode) ==
	       offsetof(struct shmid64_ds, shm_perm.mode), "glibc mode");
_Static_assert(offsetof(struct shmid_ds, shm_nattch) ==
	       offsetof(struct shmid64_ds, shm_nattch), "glibc nattch");
#endif

static unsigned long settled_free_pages(void)
{
	switch_mm(NULL, &init_mm, NULL);
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	return nr_free_pages();
}

static long long meminfo_kb(const char *label)
{
	char *s = mmsim_read(m, "/proc/meminfo");
	long long v = s ? field(s, label) : -1;

	free(s);
	return v;
}

#define KB(pages) ((long long)(pages) * (long long)(PAGE_SIZE / 1024))

static unsigned long nattch(int id)
{
	struct shmid_ds ds;	/* the host's: the same layout */

	if (sys_shmctl(id, IPC_STAT, &ds))
		return ~0UL;
	return ds.shm_nattch;
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

static void test_share_fork_rmid(void)
{
	unsigned long before, cm, va, va2, size = 3 * PAGE_SIZE;
	long long shmem0;
	struct task_struct *a, *b, *c;
	struct shmid64_ds ds;
	long id, pid;
	int st = -1;

	/* the pages free with no task at all: nothing of ours is left then */
	before = settled_free_pages();
	a = mmsim_spawn(m, "writer");
	b = mmsim_spawn(m, "reader");
	KT_ASSERT(a && b);
	if (!a || !b)
		return;
	KT_EQ(mmsim_switch_to(a), 0);
	shmem0 = meminfo_kb("Shmem:");
	cm = vm_memory_committed();
	id = sys_shmget(0x1234, size, IPC_CREAT | 0600);
	KT_ASSERT(id >= 0);
	KT_EQ(vm_memory_committed(), cm + 3);		/* charged as shmem: its pages */
	KT_EQ(sys_shmget(0x1234, size, IPC_CREAT | IPC_EXCL | 0600), -EEXIST);
	KT_EQ(sys_shmget(0x1234, size, 0), id);
	KT_EQ(sys_shmget(0x1234, size + 1, 0), -EINVAL);	/* larger than it */
	va = sys_shmat((int)id, 0, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	KT_EQ(nattch((int)id), 1UL);
	put_byte(va, 0x5a);
	put_byte(va + 2 * PAGE_SIZE + 7, 0xa5);
	KT_EQ(meminfo_kb("Shmem:"), shmem0 + KB(2));

	/* another process attaches by key and reads the same bytes */
	KT_EQ(mmsim_switch_to(b), 0);
	KT_EQ(sys_shmget(0x1234, 0, 0), id);
	va2 = sys_shmat((int)id, 0, SHM_RDONLY);
	KT_ASSERT(!IS_ERR_VALUE(va2));
	KT_EQ(get_byte(va2), 0x5a);
	KT_EQ(get_byte(va2 + 2 * PAGE_SIZE + 7), 0xa5);
	KT_EQ(nattch((int)id), 2UL);
	KT_EQ(sys_mprotect(va2, PAGE_SIZE, PROT_READ | PROT_WRITE), -EACCES);
	KT_EQ(sys_shmctl((int)id, IPC_STAT, &ds), 0);
	KT_EQ(ds.shm_segsz, size);
	KT_EQ(ds.shm_cpid, a->pid);
	KT_EQ(ds.shm_lpid, b->pid);
	KT_EQ(ds.shm_perm.mode, 0600);
	KT_EQ(ds.shm_perm.key, 0x1234);
	KT_EQ(sys_shmdt(va2 + PAGE_SIZE), -EINVAL);	/* not an attach's start */
	KT_EQ(sys_shmdt(va2), 0);
	KT_EQ(nattch((int)id), 1UL);
	KT_EQ(sys_shmdt(va2), -EINVAL);

	/* fork keeps the attach */
	KT_EQ(mmsim_switch_to(a), 0);
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	c = find_task_by_vpid((pid_t)pid);
	KT_ASSERT(c);
	if (!c)
		return;
	KT_EQ(nattch((int)id), 2UL);
	KT_ASSERT(mm_is_valid(a->mm) && mm_is_valid(c->mm) && mm_mapcounts_are_valid(m));
	KT_EQ(mmsim_switch_to(c), 0);
	KT_EQ(get_byte(va + 2 * PAGE_SIZE + 7), 0xa5);
	put_byte(va + PAGE_SIZE, 0x33);

	/* IPC_RMID with attaches alive: SHM_DEST, key private, still usable */
	KT_EQ(sys_shmctl((int)id, IPC_RMID, NULL), 0);
	KT_EQ(sys_shmctl((int)id, IPC_STAT, &ds), 0);
	KT_ASSERT(ds.shm_perm.mode & SHM_DEST);
	KT_EQ(ds.shm_perm.key, IPC_PRIVATE);
	KT_EQ(sys_shmget(0x1234, size, 0), -ENOENT);
	sys_exit_group(0);				/* the child's exit detaches */
	KT_EQ(mmsim_switch_to(a), 0);
	KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);
	KT_EQ(nattch((int)id), 1UL);
	KT_EQ(get_byte(va + PAGE_SIZE), 0x33);
	KT_EQ(meminfo_kb("Shmem:"), shmem0 + KB(3));
	KT_EQ(sys_shmdt(va), 0);			/* the last detach destroys it */
	KT_EQ(sys_shmctl((int)id, IPC_STAT, &ds), -EINVAL);
	KT_EQ(meminfo_kb("Shmem:"), shmem0);
	KT_EQ(vm_memory_committed(), cm);
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(b), 0);
	sys_exit_group(0);
	KT_EQ(settled_free_pages(), before);
}

static void test_exit_detaches_and_noreserve(void)
{
	struct task_struct *t = mmsim_spawn(m, "app");
	unsigned long cm, va;
	long id, id2;

	KT_ASSERT(t);
	if (!t)
		return;
	KT_EQ(mmsim_switch_to(t), 0);
	cm = vm_memory_committed();
	id = sys_shmget(IPC_PRIVATE, 5 * PAGE_SIZE, SHM_NORESERVE | 0644);
	KT_ASSERT(id >= 0);
	KT_EQ(vm_memory_committed(), cm);
	id2 = sys_shmget(IPC_PRIVATE, 5 * PAGE_SIZE, 0644);	/* always new */
	KT_ASSERT(id2 >= 0 && id2 != id);
	KT_EQ(sys_shmctl((int)id2, IPC_RMID, NULL), 0);
	va = sys_shmat((int)id, 0, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	put_byte(va, 1);
	sys_exit_group(0);
	t = mmsim_spawn(m, "app2");
	KT_EQ(mmsim_switch_to(t), 0);
	KT_EQ(nattch((int)id), 0UL);		/* exit detached; the segment stays */
	KT_EQ(sys_shmctl((int)id, IPC_RMID, NULL), 0);
	KT_EQ(sys_shmctl((int)id, IPC_RMID, NULL), -EINVAL);
	/* kernel.shm_rmid_forced: the last detach destroys, removed or not */
	KT_EQ(mmsim_write(m, "/proc/sys/kernel/shm_rmid_forced", "1"), 0);
	id = sys_shmget(0x99, PAGE_SIZE, IPC_CREAT | 0600);
	va = sys_shmat((int)id, 0, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	KT_EQ(nattch((int)id), 1UL);
	KT_EQ(sys_shmdt(va), 0);
	KT_EQ(sys_shmget(0x99, PAGE_SIZE, 0), -ENOENT);
	/* ... and the creator's exit destroys its unattached segments */
	KT_ASSERT(sys_shmget(0x98, PAGE_SIZE, IPC_CREAT | 0600) >= 0);
	{
		long pid = sys_fork();
		struct task_struct *kid = pid > 0 ? find_task_by_vpid((pid_t)pid) : NULL;
		int st;

		KT_ASSERT(kid);
		if (kid) {
			KT_EQ(mmsim_switch_to(kid), 0);
			KT_ASSERT(sys_shmget(0x97, PAGE_SIZE, IPC_CREAT | 0600) >= 0);
			sys_exit_group(0);
			KT_EQ(mmsim_switch_to(t), 0);
			KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);
		}
	}
	KT_EQ(sys_shmget(0x97, PAGE_SIZE, 0), -ENOENT);		/* the child's: gone */
	id = sys_shmget(0x98, PAGE_SIZE, 0);			/* ours: still here */
	KT_ASSERT(id >= 0);
	KT_EQ(sys_shmctl((int)id, IPC_RMID, NULL), 0);
	KT_EQ(mmsim_write(m, "/proc/sys/kernel/shm_rmid_forced", "2"), -EINVAL);
	KT_EQ(mmsim_write(m, "/proc/sys/kernel/shm_rmid_forced", "0"), 0);
	sys_exit_group(0);
}

static void test_errors(void)
{
	struct task_struct *t = mmsim_spawn(m, "err");
	unsigned long va, va2;
	struct shminfo64 info;
	struct mmsim_shm_info sinfo;
	long id, id2, id3;

	KT_ASSERT(t);
	if (!t)
		return;
	KT_EQ(mmsim_switch_to(t), 0);
	/* shmget02 */
	KT_EQ(sys_shmget(0x777, PAGE_SIZE, 0), -ENOENT);
	KT_EQ(sys_shmget(IPC_PRIVATE, 0, IPC_CREAT), -EINVAL);	/* < SHMMIN */
	KT_EQ(sys_shmget(IPC_PRIVATE, SHMMAX + 1, IPC_CREAT), -EINVAL);
	KT_EQ(sys_shmget(IPC_PRIVATE, PAGE_SIZE, SHM_HUGETLB), -ENOMEM);
	/* shmat02 */
	KT_EQ(sys_shmat(-1, 0, 0), (unsigned long)-EINVAL);
	KT_EQ(sys_shmat(12345, 0, 0), (unsigned long)-EINVAL);
	id = sys_shmget(IPC_PRIVATE, 2 * PAGE_SIZE, 0600);
	KT_ASSERT(id >= 0);
	KT_EQ(sys_shmat((int)id, 0, SHM_REMAP), (unsigned long)-EINVAL);
	KT_EQ(sys_shmat((int)id, 0x10000001UL, 0), (unsigned long)-EINVAL);
	va = sys_shmat((int)id, 0x10000001UL + 0x100000UL, SHM_RND);	/* rounded down */
	KT_EQ(va, 0x10100000UL);
	/* an address in use: EINVAL, unless SHM_REMAP */
	KT_EQ(sys_shmat((int)id, va, 0), (unsigned long)-EINVAL);
	va2 = sys_shmat((int)id, va, SHM_REMAP);
	KT_EQ(va2, va);
	KT_EQ(nattch((int)id), 1UL);		/* the remap replaced the first */
	/* SHM_RDONLY: a write is SIGSEGV; the id of a second segment differs
	 * in its sequence (Linux: seq << 15 + index) */
	id2 = sys_shmget(IPC_PRIVATE, PAGE_SIZE, 0600);
	KT_ASSERT(id2 >= 0 && (id2 >> 15) != (id >> 15));
	KT_EQ(sys_shmctl((int)id2, SHM_LOCK, NULL), 0);
	/* IPC_INFO, SHM_INFO return the highest index in use */
	KT_EQ(sys_shmctl(0, IPC_INFO, &info), id2 & 0x7fff);
	KT_EQ(info.shmmni, 4096UL);
	KT_EQ(info.shmmax, SHMMAX);
	KT_EQ(info.shmmin, 1UL);
	KT_EQ(sys_shmctl(0, SHM_INFO, &sinfo), id2 & 0x7fff);
	KT_EQ(sinfo.used_ids, 2);
	KT_EQ(sinfo.shm_tot, 3UL);
	/* SHM_STAT takes an index and returns the id */
	{
		struct shmid64_ds ds;

		KT_EQ(sys_shmctl((int)(id2 & 0x7fff), SHM_STAT, &ds), id2);
		KT_ASSERT(ds.shm_perm.mode & SHM_LOCKED);
		ds.shm_perm.mode = 0640;
		ds.shm_perm.uid = 42;
		KT_EQ(sys_shmctl((int)id2, IPC_SET, &ds), 0);
		KT_EQ(sys_shmctl((int)id2, IPC_STAT, &ds), 0);
		KT_EQ(ds.shm_perm.mode, 0640 | SHM_LOCKED);
		KT_EQ(ds.shm_perm.uid, 42U);
	}
	KT_EQ(sys_shmctl((int)id2, 99, NULL), -EINVAL);
	/* kernel.shmmni and shmall: ENOSPC */
	KT_EQ(mmsim_write(m, "/proc/sys/kernel/shmmni", "2"), 0);
	KT_EQ(sys_shmget(IPC_PRIVATE, PAGE_SIZE, 0600), -ENOSPC);
	KT_EQ(mmsim_write(m, "/proc/sys/kernel/shmmni", "4096"), 0);
	KT_EQ(mmsim_write(m, "/proc/sys/kernel/shmall", "4"), 0);
	KT_EQ(sys_shmget(IPC_PRIVATE, 2 * PAGE_SIZE, 0600), -ENOSPC);
	id3 = sys_shmget(IPC_PRIVATE, PAGE_SIZE, 0600);
	KT_ASSERT(id3 >= 0);
	KT_EQ(mmsim_write(m, "/proc/sys/kernel/shmall", "18446744073692774399"), 0);
	KT_EQ(mmsim_write(m, "/proc/sys/kernel/shmmax", "100"), 0);
	KT_EQ(sys_shmget(IPC_PRIVATE, 101, 0600), -EINVAL);
	KT_EQ(mmsim_write(m, "/proc/sys/kernel/shmmax", "18446744073692774399"), 0);
	KT_EQ(sys_shmdt(va), 0);
	KT_EQ(sys_shmdt(va + 1), -EINVAL);
	KT_EQ(sys_shmctl((int)id, IPC_RMID, NULL), 0);
	KT_EQ(sys_shmctl((int)id2, IPC_RMID, NULL), 0);
	KT_EQ(sys_shmctl((int)id3, IPC_RMID, NULL), 0);
	sys_exit_group(0);
	KT_EQ(sys_shmget(IPC_PRIVATE, PAGE_SIZE, 0), -ESRCH);	/* no current */
}

static void test_proc_files(void)
{
	struct task_struct *t = mmsim_spawn(m, "proc");
	char *s, line[256], maps_name[32];
	unsigned long va;
	long id;

	KT_ASSERT(t);
	if (!t)
		return;
	s = mmsim_read(m, "/proc/sys/kernel/shmmax");
	KT_ASSERT(s && !strcmp(s, "18446744073692774399\n"));
	free(s);
	s = mmsim_read(m, "/proc/sys/kernel/shmall");
	KT_ASSERT(s && !strcmp(s, "18446744073692774399\n"));
	free(s);
	s = mmsim_read(m, "/proc/sys/kernel/shmmni");
	KT_ASSERT(s && !strcmp(s, "4096\n"));
	free(s);
	s = mmsim_read(m, "/proc/sys/kernel/shm_rmid_forced");
	KT_ASSERT(s && !strcmp(s, "0\n"));
	free(s);

	KT_EQ(mmsim_switch_to(t), 0);
	id = sys_shmget(0xbeef, 2 * PAGE_SIZE + 1, IPC_CREAT | 0666);
	KT_ASSERT(id >= 0);
	va = sys_shmat((int)id, 0, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	put_byte(va, 1);
	s = mmsim_read(m, "/proc/sysvipc/shm");
	KT_ASSERT(s);
	if (!s)
		return;
	KT_STR_CONTAINS(s, "       key      shmid perms                  size  cpid  lpid nattch"
			   "   uid   gid  cuid  cgid      atime      dtime      ctime"
			   "                   rss                  swap\n");
	snprintf(line, sizeof(line),
		 "     48879 %10ld   666 %21lu %5d %5d      1     0     0     0     0 ",
		 id, 2 * PAGE_SIZE + 1, t->pid, t->pid);
	KT_STR_CONTAINS(s, line);
	snprintf(line, sizeof(line), " %21lu %21lu\n", PAGE_SIZE, 0UL);
	KT_STR_CONTAINS(s, line);
	free(s);
	/* /proc/PID/maps names the attach as Linux does */
	snprintf(line, sizeof(line), "/proc/%d/maps", t->pid);
	snprintf(maps_name, sizeof(maps_name), " rw-s 00000000 00:01 %ld ", id);
	s = mmsim_read(m, line);
	KT_ASSERT(s);
	if (s) {
		KT_STR_CONTAINS(s, maps_name);	/* the inode number is the id, as Linux's */
		KT_STR_CONTAINS(s, "/SYSV0000beef (deleted)\n");
	}
	free(s);
	KT_EQ(sys_shmctl((int)id, IPC_RMID, NULL), 0);
	s = mmsim_read(m, "/proc/sysvipc/shm");
	KT_ASSERT(s && strstr(s, "  1666 "));		/* SHM_DEST | 0666 */
	free(s);
	sys_exit_group(0);		/* the last detach: gone */
	s = mmsim_read(m, "/proc/sysvipc/shm");
	KT_ASSERT(s && !strchr(strchr(s, '\n') + 1, '\n'));
	free(s);
}

/* A task still attached at shutdown: its exit detaches, the segment goes
 * with the machine (LeakSanitizer checks that nothing stays). */
static void test_left_attached(void)
{
	struct task_struct *t = mmsim_spawn(m, "stays");
	long id;

	KT_ASSERT(t);
	if (!t)
		return;
	KT_EQ(mmsim_switch_to(t), 0);
	id = sys_shmget(0x42, PAGE_SIZE, IPC_CREAT | 0600);
	KT_ASSERT(id >= 0);
	KT_ASSERT(!IS_ERR_VALUE(sys_shmat((int)id, 0, 0)));
	KT_ASSERT(sys_shmget(0x43, PAGE_SIZE, IPC_CREAT | 0600) >= 0);	/* never attached */
}

static void run(const char *spec)
{
	m = boot_or_die(spec);
	printf("# %s\n", spec);
	KT_RUN(test_share_fork_rmid);
	KT_RUN(test_exit_detaches_and_noreserve);
	KT_RUN(test_errors);
	KT_RUN(test_proc_files);
	KT_ASSERT(mm_mapcounts_are_valid(m));
	test_left_attached();
	mmsim_shutdown(m);
}

int main(void)
{
	run("ram=64M");
	run("arch=i386 ram=64M");
	run("arch=arm64 page_size=64K ram=256M");
	return kt_done();
}
