// SPDX-License-Identifier: GPL-2.0
/*
 * fs/drop_caches.c - vm.drop_caches (Linux's fs/drop_caches.c): a
 * write-only sysctl (mode 0200, values 1 to 4).
 *
 *   1: the page cache: invalidate_mapping_pages on every inode of every
 *      super block -- clean, unmapped, unlocked pages go; dirty pages,
 *      pages under writeback and mapped pages stay (sync first to drop
 *      more), as Linux; counts drop_pagecache in /proc/vmstat;
 *   2: slab objects: drop_slab() (mm/shrinker.c) shrinks every shrinker
 *      until a round frees little -- the super blocks' unused dentries and
 *      inodes, workingset shadow nodes, empty slabs; counts drop_slab;
 *   3: both; 4: no more log lines from now on.
 * Each write logs "<comm> (<pid>): drop_caches: <n>" at KERN_INFO, as
 * Linux does until a write with bit 4 set (its static `stfu`, here per
 * machine).
 *
 * Locking: iterate_supers holds s_umount; s_inode_list_lock around the
 * inode walk, dropped while a mapping is invalidated, with the inode
 * pinned by a reference (Linux's toput_inode dance).
 * Invariants: no dirty or writeback page is dropped; NR_FILE_DIRTY is
 * unchanged by a write.
 */
#include <limits.h>
#include <mmsim/fs.h>
#include <mmsim/pagemap.h>
#include <mmsim/printk.h>
#include <mmsim/sched.h>
#include <mmsim/sysctl.h>
#include <mmsim/shrinker.h>
#include <mmsim/vmstat.h>
#include "init/machine.h"
#include "mm/wb_internal.h"

void drop_pagecache_sb(struct super_block *sb, void *unused)
{
	struct inode *inode, *toput = NULL;

	(void)unused;
	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		spin_lock(&inode->i_lock);
		if ((inode->i_state & (I_FREEING | I_WILL_FREE | I_NEW)) ||
		    !atomic_long_read(&inode->i_mapping->nrpages)) {
			spin_unlock(&inode->i_lock);
			continue;
		}
		atomic_inc(&inode->i_count);	/* __iget */
		spin_unlock(&inode->i_lock);
		spin_unlock(&sb->s_inode_list_lock);
		invalidate_mapping_pages(inode->i_mapping, 0, (pgoff_t)-1);
		if (toput)
			iput(toput);
		toput = inode;
		spin_lock(&sb->s_inode_list_lock);
	}
	spin_unlock(&sb->s_inode_list_lock);
	if (toput)
		iput(toput);
}

int drop_caches_sysctl_handler(const struct ctl_table *t, int write, struct seq_file *sf,
			       const char *text);
int drop_caches_sysctl_handler(const struct ctl_table *t, int write, struct seq_file *sf,
			       const char *text)
{
	struct wb_state *ws = wb_state();
	struct task_struct *tsk = current;
	struct mmsim *m = current_machine();
	int ret = proc_dointvec_minmax(t, write, sf, text), v;

	if (ret || !write)
		return ret;
	v = ws->drop_caches;
	if (v & 1) {
		iterate_supers(drop_pagecache_sb, NULL);
		count_vm_event(DROP_PAGECACHE);
	}
	if (v & 2) {
		drop_slab();
		count_vm_event(DROP_SLAB);
	}
	if (!ws->drop_caches_stfu)
		pr_info("%s (%d): drop_caches: %d\n", tsk ? tsk->comm : m->comm,
			tsk ? task_pid_nr(tsk) : m->pid, v);
	ws->drop_caches_stfu |= v & 4;
	return 0;
}
