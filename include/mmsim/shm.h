/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shm.h - SysV shared memory (ipc/shm.c): Linux's constants
 * (include/uapi/linux/shm.h), each guarded so that this header may follow
 * the host's <sys/shm.h>, and the structures shmctl(2) fills in Linux's
 * 64-bit layout.  glibc names its own struct shmid_ds, struct shminfo and
 * struct shm_info, so mmsim's carry the kernel's 64-bit names:
 *   struct shmid64_ds  (IPC_STAT, SHM_STAT, SHM_STAT_ANY, IPC_SET) --
 *                      the layout of glibc's struct shmid_ds on x86_64;
 *   struct shminfo64   (IPC_INFO) -- glibc's struct shminfo on x86_64;
 *   struct mmsim_shm_info (SHM_INFO) -- Linux's struct shm_info.
 */
#ifndef MMSIM_SHM_H
#define MMSIM_SHM_H

#include <stddef.h>
#include <mmsim/ipc.h>

#define SHMMIN		1			/* min shared seg size (bytes) */
#define SHMMNI		4096			/* max num of segs system wide */
#define SHMMAX		(~0UL - (1UL << 24))	/* max shared seg size (bytes) */
#define SHMALL		(~0UL - (1UL << 24))	/* max shm system wide (pages) */
#define SHMSEG		SHMMNI			/* max shared segs per process */

/* shmget() shmflg values. */
#ifndef SHM_HUGETLB
#define SHM_HUGETLB	04000	/* segment will use huge TLB pages */
#endif
#ifndef SHM_NORESERVE
#define SHM_NORESERVE	010000	/* don't check for reservations */
#endif
/* mode bits of shm_perm.mode */
#ifndef SHM_DEST
#define SHM_DEST	01000	/* segment will be destroyed on last detach */
#endif
#ifndef SHM_LOCKED
#define SHM_LOCKED	02000	/* segment will not be swapped */
#endif
/* shmat() shmflg values */
#ifndef SHM_RDONLY
#define SHM_RDONLY	010000	/* read-only access */
#endif
#ifndef SHM_RND
#define SHM_RND		020000	/* round attach address to SHMLBA boundary */
#endif
#ifndef SHM_REMAP
#define SHM_REMAP	040000	/* take-over region on attach */
#endif
#ifndef SHM_EXEC
#define SHM_EXEC	0100000	/* execution access */
#endif
/* super user shmctl commands */
#ifndef SHM_LOCK
#define SHM_LOCK	11
#endif
#ifndef SHM_UNLOCK
#define SHM_UNLOCK	12
#endif
/* ipcs ctl commands */
#ifndef SHM_STAT
#define SHM_STAT	13
#endif
#ifndef SHM_INFO
#define SHM_INFO	14
#endif
#ifndef SHM_STAT_ANY
#define SHM_STAT_ANY	15
#endif
/* SHMLBA: the machine's page size on every mmsim architecture
 * (asm-generic's; glibc's is getpagesize()).  PAGE_SIZE is <mmsim/mm.h>'s
 * per-machine value (the same definition as <mmsim/vmalloc.h>'s). */
#ifndef SHMLBA
#define SHMLBA		PAGE_SIZE
#endif

struct shmid64_ds {
	struct ipc64_perm shm_perm;	/* operation perms */
	size_t shm_segsz;		/* size of segment (bytes) */
	long shm_atime;			/* last attach time */
	long shm_dtime;			/* last detach time */
	long shm_ctime;			/* last change time */
	int shm_cpid;			/* pid of creator */
	int shm_lpid;			/* pid of last operator */
	unsigned long shm_nattch;	/* no. of current attaches */
	unsigned long __unused4, __unused5;
};

struct shminfo64 {
	unsigned long shmmax, shmmin, shmmni, shmseg, shmall;
	unsigned long __unused1, __unused2, __unused3, __unused4;
};

struct mmsim_shm_info {
	int used_ids;
	unsigned long shm_tot;		/* total allocated shm (pages) */
	unsigned long shm_rss;		/* total resident shm (pages) */
	unsigned long shm_swp;		/* total swapped shm (pages) */
	unsigned long swap_attempts;
	unsigned long swap_successes;
};

struct task_struct;
/* ipc/shm.c: @task exits (kernel/exit.c, after its mm is gone). */
void exit_shm(struct task_struct *task);

#endif
