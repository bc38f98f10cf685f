/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mempolicy.h - the flags of move_pages(2), mbind(2) and migrate_pages(2)
 * (Linux's include/uapi/linux/mempolicy.h, <numaif.h> for programs),
 * guarded so that it can follow the host's <numaif.h>.
 */
#ifndef MMSIM_MEMPOLICY_H
#define MMSIM_MEMPOLICY_H

#ifndef MPOL_MF_STRICT
#define MPOL_MF_STRICT		(1 << 0)	/* verify existing pages in the mapping */
#define MPOL_MF_MOVE		(1 << 1)	/* move pages owned by this process */
#define MPOL_MF_MOVE_ALL	(1 << 2)	/* move every page mapped (CAP_SYS_NICE) */
#endif

#endif
