/* SPDX-License-Identifier: GPL-2.0 */
/*
 * syscalls.h - the system calls of simulated processes (DESIGN §3b).
 *
 * Each acts on current, takes user addresses of current's mm, and returns
 * what Linux returns: a negative errno, or an address for which
 * IS_ERR_VALUE() holds.  With no current task they return -ESRCH; on a
 * halted (panicked) machine -EIO.  Host pointers (paths, wstatus, vec) are
 * the caller's memory.
 */
#ifndef MMSIM_SYSCALLS_H
#define MMSIM_SYSCALLS_H

#include <sys/types.h>
#include <sys/stat.h>
#include <stddef.h>
#include <mmsim/sched.h>

/* mm/mmap.c */
unsigned long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot,
		       unsigned long flags, unsigned long fd, unsigned long off);
long sys_munmap(unsigned long addr, size_t len);
unsigned long sys_brk(unsigned long brk);
/* mm/mprotect.c */
long sys_mprotect(unsigned long start, size_t len, unsigned long prot);
/* mm/mremap.c */
unsigned long sys_mremap(unsigned long addr, unsigned long old_len, unsigned long new_len,
			 unsigned long flags, unsigned long new_addr);
/* mm/madvise.c */
long sys_madvise(unsigned long start, size_t len, int advice);
/* mm/mlock.c */
long sys_mlock(unsigned long start, size_t len);
long sys_mlock2(unsigned long start, size_t len, int flags);
long sys_munlock(unsigned long start, size_t len);
long sys_mlockall(int flags);
long sys_munlockall(void);
/* mm/mincore.c */
long sys_mincore(unsigned long start, size_t len, unsigned char *vec);
/* mm/msync.c */
long sys_msync(unsigned long start, size_t len, int flags);
/* mm/migrate_syscalls.c: move_pages(2), migrate_pages(2).  The arrays and
 * node bitmaps are host memory; pages[] holds user addresses of @pid's mm
 * (0: current).  Flags in <mmsim/mempolicy.h>. */
long sys_move_pages(pid_t pid, unsigned long nr, const unsigned long *pages, const int *nodes,
		    int *status, int flags);
long sys_migrate_pages(pid_t pid, unsigned long maxnode, const unsigned long *old_nodes,
		       const unsigned long *new_nodes);

/* arch/ldt.c, arch/segment.c (x86; <mmsim/segment.h>): @ptr is host
 * memory holding a struct user_desc (write) or receiving the LDT (read). */
long sys_modify_ldt(int func, void *ptr, unsigned long bytecount);
long sys_arch_prctl(int option, unsigned long arg2);

/* kernel/fork.c, kernel/exit.c, kernel/signal.c */
long sys_fork(void);
void sys_exit_group(int code);
long sys_kill(pid_t pid, int sig);
long sys_wait4(pid_t pid, int *wstatus, int options, void *rusage);
long sys_getpid(void);
long sys_getppid(void);

/* fs/open.c, fs/read_write.c, fs/namei.c, fs/stat.c, fs/sync.c: files.
 * Paths are host strings, absolute or relative to "/" (every task's cwd);
 * buffers of read/write are user addresses of current; flags in
 * <mmsim/fcntl.h>.  fstat's @st is host memory (the host's struct stat). */
long sys_open(const char *path, int flags, int mode);
long sys_close(int fd);
long sys_read(int fd, unsigned long ubuf, size_t n);
long sys_write(int fd, unsigned long ubuf, size_t n);
long sys_pread64(int fd, unsigned long ubuf, size_t n, long pos);
long sys_pwrite64(int fd, unsigned long ubuf, size_t n, long pos);
long sys_lseek(int fd, long off, int whence);
long sys_ftruncate(int fd, long len);
long sys_truncate(const char *path, long len);
long sys_fsync(int fd);
long sys_fdatasync(int fd);
long sys_sync(void);
long sys_unlink(const char *path);
long sys_mkdir(const char *path, int mode);
long sys_rmdir(const char *path);
long sys_fstat(int fd, struct stat *st);
long sys_stat(const char *path, struct stat *st);
long sys_dup(int fd);
long sys_fadvise64(int fd, long offset, long len, int advice);
long sys_readahead(int fd, long offset, size_t count);

/* kernel/sys.c: resource limits of current (RLIMIT_*: <mmsim/sched.h>):
 * 0, -EINVAL (bad resource, cur > max), -EPERM (raising max without
 * CAP_SYS_RESOURCE). */
long sys_getrlimit(unsigned int resource, struct mmsim_rlimit *rlim);
long sys_setrlimit(unsigned int resource, const struct mmsim_rlimit *rlim);
/* Glue: @t leaves capability @cap (CAP_IPC_LOCK = 14, ...) -- what running
 * it as a non-root user, or capset(2) dropping it, would give.  0, -EINVAL. */
int mmsim_cap_drop(struct task_struct *t, int cap);

/* Swap areas (mm/swapfile.c): @path a host string; swap_flags SWAP_FLAG_*. */
long sys_swapon(const char *path, int swap_flags);
long sys_swapoff(const char *path);

/* ipc/shm.c: SysV shared memory (constants in <mmsim/ipc.h>, <mmsim/shm.h>;
 * sys_shmctl's @buf is host memory: a struct shmid64_ds, shminfo64 or
 * mmsim_shm_info as @cmd says) */
long sys_shmget(long key, size_t size, int shmflg);
unsigned long sys_shmat(int id, unsigned long addr, int shmflg);
long sys_shmdt(unsigned long addr);
long sys_shmctl(int id, int cmd, void *buf);

#endif
