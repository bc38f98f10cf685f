/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mman.h - the constants of mmap(2) and friends, with Linux's values
 * (asm-generic/mman-common.h, x86 and arm64 agree on all of them).
 *
 * Each is guarded, so this header may follow the host's <sys/mman.h>
 * (whose values on Linux are the same) or precede it.
 */
#ifndef MMSIM_MMAN_H
#define MMSIM_MMAN_H

#ifndef PROT_NONE
#define PROT_NONE	0x0
#endif
#ifndef PROT_READ
#define PROT_READ	0x1
#endif
#ifndef PROT_WRITE
#define PROT_WRITE	0x2
#endif
#ifndef PROT_EXEC
#define PROT_EXEC	0x4
#endif
#ifndef PROT_SEM
#define PROT_SEM	0x8
#endif
#ifndef PROT_GROWSDOWN
#define PROT_GROWSDOWN	0x01000000
#endif
#ifndef PROT_GROWSUP
#define PROT_GROWSUP	0x02000000
#endif

#ifndef MAP_SHARED
#define MAP_SHARED	0x01
#endif
#ifndef MAP_PRIVATE
#define MAP_PRIVATE	0x02
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_TYPE
#define MAP_TYPE	0x0f
#endif
#ifndef MAP_FIXED
#define MAP_FIXED	0x10
#endif
#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS	0x20
#endif
#ifndef MAP_ANON
#define MAP_ANON	MAP_ANONYMOUS
#endif
#ifndef MAP_32BIT
#define MAP_32BIT	0x40
#endif
#ifndef MAP_GROWSDOWN
#define MAP_GROWSDOWN	0x0100
#endif
#ifndef MAP_DENYWRITE
#define MAP_DENYWRITE	0x0800
#endif
#ifndef MAP_EXECUTABLE
#define MAP_EXECUTABLE	0x1000
#endif
#ifndef MAP_LOCKED
#define MAP_LOCKED	0x2000
#endif
#ifndef MAP_NORESERVE
#define MAP_NORESERVE	0x4000
#endif
#ifndef MAP_POPULATE
#define MAP_POPULATE	0x8000
#endif
#ifndef MAP_NONBLOCK
#define MAP_NONBLOCK	0x10000
#endif
#ifndef MAP_STACK
#define MAP_STACK	0x20000
#endif
#ifndef MAP_HUGETLB
#define MAP_HUGETLB	0x40000
#endif
#ifndef MAP_SYNC
#define MAP_SYNC	0x80000
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_UNINITIALIZED
#define MAP_UNINITIALIZED 0x4000000
#endif
#ifndef MAP_FAILED
#define MAP_FAILED	((void *)-1)
#endif
#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT	26
#endif
#ifndef MAP_HUGE_MASK
#define MAP_HUGE_MASK	0x3f
#endif

#ifndef MREMAP_MAYMOVE
#define MREMAP_MAYMOVE	1
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED	2
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

#ifndef MADV_NORMAL
#define MADV_NORMAL	0
#endif
#ifndef MADV_RANDOM
#define MADV_RANDOM	1
#endif
#ifndef MADV_SEQUENTIAL
#define MADV_SEQUENTIAL	2
#endif
#ifndef MADV_WILLNEED
#define MADV_WILLNEED	3
#endif
#ifndef MADV_DONTNEED
#define MADV_DONTNEED	4
#endif
#ifndef MADV_FREE
#define MADV_FREE	8
#endif
#ifndef MADV_REMOVE
#define MADV_REMOVE	9
#endif
#ifndef MADV_DONTFORK
#define MADV_DONTFORK	10
#endif
#ifndef MADV_DOFORK
#define MADV_DOFORK	11
#endif
#ifndef MADV_MERGEABLE
#define MADV_MERGEABLE	12
#endif
#ifndef MADV_UNMERGEABLE
#define MADV_UNMERGEABLE 13
#endif
#ifndef MADV_HUGEPAGE
#define MADV_HUGEPAGE	14
#endif
#ifndef MADV_NOHUGEPAGE
#define MADV_NOHUGEPAGE	15
#endif
#ifndef MADV_DONTDUMP
#define MADV_DONTDUMP	16
#endif
#ifndef MADV_DODUMP
#define MADV_DODUMP	17
#endif
#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK	18
#endif
#ifndef MADV_KEEPONFORK
#define MADV_KEEPONFORK	19
#endif
#ifndef MADV_COLD
#define MADV_COLD	20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#ifndef MADV_DONTNEED_LOCKED
#define MADV_DONTNEED_LOCKED 24
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif
#ifndef MADV_HWPOISON
#define MADV_HWPOISON	100
#endif

#ifndef MCL_CURRENT
#define MCL_CURRENT	1
#endif
#ifndef MCL_FUTURE
#define MCL_FUTURE	2
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT	4
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT	0x01
#endif

#ifndef MS_ASYNC
#define MS_ASYNC	1
#endif
#ifndef MS_INVALIDATE
#define MS_INVALIDATE	2
#endif
#ifndef MS_SYNC
#define MS_SYNC		4
#endif

#endif
