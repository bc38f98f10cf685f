// SPDX-License-Identifier: GPL-2.0
/*
 * fs/stubs_vfs.c - TEMPORARY contract stubs (issue 12).  The VFS core's
 * functions are all real now (the fs/ files); what is left is tmpfs's subsystem
 * slot, which mm/shmem.c takes over (its owner deletes this file then).
 */
#include "init/init.h"

DEFINE_SUBSYSTEM(tmpfs);
