/* SPDX-License-Identifier: GPL-2.0 */
/*
 * migrate_mode.h - how hard a migration may try (Linux's
 * include/linux/migrate_mode.h), apart so that fs.h's
 * address_space_operations can name it without the rest of migrate.h.
 */
#ifndef MMSIM_MIGRATE_MODE_H
#define MMSIM_MIGRATE_MODE_H

enum migrate_mode {
	MIGRATE_ASYNC,		/* never block: skip locked, dirty or writeback folios */
	MIGRATE_SYNC_LIGHT,	/* may block on locks, not on writeback */
	MIGRATE_SYNC,		/* may block, and write dirty folios back */
};

#endif
