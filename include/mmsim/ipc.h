/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipc.h - SysV IPC's common constants and permission block, with Linux's
 * values (include/uapi/linux/ipc.h).  Each constant is guarded, so this
 * header may follow the host's <sys/ipc.h>.  struct ipc64_perm is Linux's
 * 64-bit layout (asm-generic/ipcbuf.h, a 32-bit mode), which glibc's
 * struct ipc_perm on x86_64 shares: a host struct shmid_ds may be handed
 * to sys_shmctl.
 */
#ifndef MMSIM_IPC_H
#define MMSIM_IPC_H

#include <sys/types.h>	/* key_t, uid_t, gid_t: the host's */

#ifndef IPC_PRIVATE
#define IPC_PRIVATE	((key_t)0)
#endif
#ifndef IPC_CREAT
#define IPC_CREAT	00001000	/* create if key is nonexistent */
#endif
#ifndef IPC_EXCL
#define IPC_EXCL	00002000	/* fail if key exists */
#endif
#ifndef IPC_NOWAIT
#define IPC_NOWAIT	00004000	/* return error on wait */
#endif
#ifndef IPC_RMID
#define IPC_RMID	0		/* remove resource */
#endif
#ifndef IPC_SET
#define IPC_SET		1		/* set ipc_perm options */
#endif
#ifndef IPC_STAT
#define IPC_STAT	2		/* get ipc_perm options */
#endif
#ifndef IPC_INFO
#define IPC_INFO	3		/* see ipcs */
#endif
#define IPC_64		0x0100		/* New version (support 32-bit UIDs, bigger message sizes, etc. */

#define IPCMNI		32768		/* <= MAX_INT limit for ipc arrays (IPCMNI_SHIFT 15) */

struct ipc64_perm {
	key_t key;
	unsigned int uid, gid, cuid, cgid;
	unsigned int mode;		/* __kernel_mode_t: no __pad1 on 64-bit */
	unsigned short seq;
	unsigned short __pad2;
	unsigned long __unused1, __unused2;
};

#endif
