// SPDX-License-Identifier: GPL-2.0
/*
 * fs/dcache.c - the dentry tree (Linux's fs/dcache.c, cut down).
 *
 * Design.  A dentry names a child in its parent directory (d_name, a
 * qstr with a hash) and points at its inode (d_inode) or at nothing (a
 * negative dentry).  Children are on their parent's d_subdirs list; a
 * lookup (d_lookup) scans that list comparing hash, length and bytes.
 * "Hashed" means findable: d_alloc makes an unhashed dentry (lookups skip
 * it), d_add and d_splice_alias hash it, d_drop and d_delete of a busy
 * dentry unhash it again.  Each dentry holds a reference on its parent
 * and on its inode (the one it was instantiated with).
 *
 * Lifetime (no LRU, docs/vfs.md): at the last dput a dentry that is
 * hashed and positive stays cached with d_count 0; any other (negative,
 * unhashed, a root) is killed at once: off the parent's list, iput of its
 * inode, freed, and the parent's reference dropped (which may cache or
 * kill the parent in turn).  Cached dentries go when their super block
 * shrinks them (shrink_dcache_sb: drop_caches 2 through evict_inodes, and
 * unmount through shrink_dcache_for_umount).  tmpfs keeps its dentries by
 * holding an extra reference on each (simple_link, its create/mkdir),
 * which kill_litter_super's d_genocide drops at unmount.
 *
 * Locking: one per-machine spinlock, vfs->dcache_lock (Linux's dcache_lock
 * before 2.6.38), guards every d_subdirs/d_child list, d_flags, d_inode
 * changes and every transition of d_count to or from 0.  dget of a dentry
 * already held is a plain atomic increment; d_lookup takes its reference
 * under the lock, so a cached dentry (d_count 0) is never revived while
 * being killed.  iput and freeing happen after the lock is dropped.  The
 * lock nests inside i_rwsem (directory operations) and outside nothing.
 *
 * Invariants: a dentry's d_count >= the number of its children (each
 * holds one); a cached dentry (d_count 0) is hashed, positive and has no
 * children; every dentry of a tree has the root's d_sb.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <mmsim/err.h>
#include <mmsim/printk.h>
#include "fs/internal.h"

u32 full_name_hash(const char *name, unsigned int len)
{
	u32 h = 2166136261u;

	for (unsigned int i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	return h;
}

bool d_unhashed(const struct dentry *dentry)
{
	return d_flags_test(dentry, DCACHE_UNHASHED);
}

static bool is_root(const struct dentry *d)
{
	return d->d_parent == d;
}

struct dentry *dget(struct dentry *dentry)
{
	if (dentry)
		atomic_inc(&dentry->d_count);
	return dentry;
}

static struct dentry *__d_alloc(struct super_block *sb, const struct qstr *name)
{
	struct vfs_state *vfs = vfs_state();
	struct dentry *d = kmem_cache_alloc(vfs->dentry_cachep, GFP_KERNEL);
	char *dname;

	if (!d)
		return NULL;
	memset(d, 0, sizeof(*d));
	if (name->len >= DNAME_INLINE_LEN) {
		dname = kmalloc(name->len + 1, GFP_KERNEL);
		if (!dname) {
			kmem_cache_free(vfs->dentry_cachep, d);
			return NULL;
		}
	} else {
		dname = d->d_iname;
	}
	memcpy(dname, name->name, name->len);
	dname[name->len] = '\0';
	d->d_name.name = dname;
	d->d_name.len = name->len;
	d->d_name.hash = full_name_hash(dname, name->len);
	spin_lock_init(&d->d_lock);
	atomic_set(&d->d_count, 1);
	d->d_parent = d;
	d->d_sb = sb;
	d->d_flags = DCACHE_UNHASHED;
	INIT_LIST_HEAD(&d->d_child);
	INIT_LIST_HEAD(&d->d_subdirs);
	atomic_long_add(1, &vfs->nr_dentry);
	return d;
}

static void d_free(struct dentry *d)
{
	struct vfs_state *vfs = vfs_state();

	if (d->d_name.name != d->d_iname)
		kfree(d->d_name.name);
	atomic_long_add(-(1), &vfs->nr_dentry);
	kmem_cache_free(vfs->dentry_cachep, d);
}

struct dentry *d_alloc(struct dentry *parent, const struct qstr *name)
{
	struct vfs_state *vfs = vfs_state();
	struct dentry *d = __d_alloc(parent->d_sb, name);

	if (!d)
		return NULL;
	spin_lock(&vfs->dcache_lock);
	atomic_inc(&parent->d_count);
	d->d_parent = parent;
	list_add_tail(&d->d_child, &parent->d_subdirs);
	spin_unlock(&vfs->dcache_lock);
	return d;
}

struct dentry *d_make_root(struct inode *root_inode)
{
	static const struct qstr slash = { .name = "/", .len = 1 };
	struct dentry *d;

	if (!root_inode)
		return NULL;
	d = __d_alloc(root_inode->i_sb, &slash);
	if (!d) {
		iput(root_inode);
		return NULL;
	}
	d_flags_clear(d, DCACHE_UNHASHED);
	d->d_inode = root_inode;
	return d;
}

void d_instantiate(struct dentry *dentry, struct inode *inode)
{
	struct vfs_state *vfs = vfs_state();

	spin_lock(&vfs->dcache_lock);
	WARN_ON(dentry->d_inode);
	dentry->d_inode = inode;
	spin_unlock(&vfs->dcache_lock);
}

void d_add(struct dentry *dentry, struct inode *inode)
{
	struct vfs_state *vfs = vfs_state();

	spin_lock(&vfs->dcache_lock);
	WARN_ON(dentry->d_inode);
	dentry->d_inode = inode;
	d_flags_clear(dentry, DCACHE_UNHASHED);
	spin_unlock(&vfs->dcache_lock);
}

/*
 * mmsim keeps no alias list (no hard links to directories, no NFS
 * export), so splicing is d_add: the dentry given is the one used.
 */
struct dentry *d_splice_alias(struct inode *inode, struct dentry *dentry)
{
	if (IS_ERR(inode))
		return ERR_CAST(inode);
	d_add(dentry, inode);
	return NULL;
}

void d_drop(struct dentry *dentry)
{
	struct vfs_state *vfs = vfs_state();

	spin_lock(&vfs->dcache_lock);
	if (!is_root(dentry))
		d_flags_set(dentry, DCACHE_UNHASHED);
	spin_unlock(&vfs->dcache_lock);
}

/*
 * After a successful unlink/rmdir: the caller's is the only reference,
 * make the dentry negative (the inode may go now); else unhash it so that
 * the busy users keep the inode and new lookups miss it.
 */
void d_delete(struct dentry *dentry)
{
	struct vfs_state *vfs = vfs_state();
	struct inode *inode = NULL;

	spin_lock(&vfs->dcache_lock);
	if (atomic_read(&dentry->d_count) == 1) {
		inode = dentry->d_inode;
		dentry->d_inode = NULL;
	} else {
		d_flags_set(dentry, DCACHE_UNHASHED);
	}
	spin_unlock(&vfs->dcache_lock);
	iput(inode);
}

struct dentry *d_lookup(struct dentry *parent, const struct qstr *name)
{
	return __d_lookup(parent, name, false);
}

/* d_lookup; with @positive, a negative dentry is a miss (checked under the lock). */
struct dentry *__d_lookup(struct dentry *parent, const struct qstr *name, bool positive)
{
	struct vfs_state *vfs = vfs_state();
	u32 hash = full_name_hash(name->name, name->len);
	struct dentry *d, *found = NULL;

	spin_lock(&vfs->dcache_lock);
	list_for_each_entry(d, &parent->d_subdirs, d_child) {
		if (d_flags_test(d, DCACHE_UNHASHED) || d->d_name.hash != hash ||
		    d->d_name.len != name->len || memcmp(d->d_name.name, name->name, name->len))
			continue;
		if (positive && !d->d_inode)
			break;
		atomic_inc(&d->d_count);
		found = d;
		break;
	}
	spin_unlock(&vfs->dcache_lock);
	return found;
}

/* Kill a dentry whose d_count just reached 0 (dcache_lock held, dropped here). */
static struct dentry *dentry_kill(struct vfs_state *vfs, struct dentry *d)
{
	struct dentry *parent = is_root(d) ? NULL : d->d_parent;
	struct inode *inode = d->d_inode;

	WARN_ON(!list_empty(&d->d_subdirs));
	if (parent)
		list_del_init(&d->d_child);
	d->d_inode = NULL;
	spin_unlock(&vfs->dcache_lock);
	iput(inode);
	d_free(d);
	return parent;
}

void dput(struct dentry *dentry)
{
	struct vfs_state *vfs;

	if (!dentry)
		return;
	vfs = vfs_state();
	while (dentry) {
		int c = atomic_read(&dentry->d_count);

		while (c > 1)
			if (atomic_compare_exchange_weak(&dentry->d_count.counter, &c, c - 1))
				return;
		spin_lock(&vfs->dcache_lock);
		if (WARN_ON(atomic_read(&dentry->d_count) <= 0)) {
			spin_unlock(&vfs->dcache_lock);
			return;
		}
		if (atomic_add_return(-1, &dentry->d_count) > 0) {
			spin_unlock(&vfs->dcache_lock);
			return;
		}
		if (!d_flags_test(dentry, DCACHE_UNHASHED) && dentry->d_inode && !is_root(dentry)) {
			spin_unlock(&vfs->dcache_lock);	/* cached */
			return;
		}
		dentry = dentry_kill(vfs, dentry);
	}
}

/* Take up to @max unused leaves below @d for killing (dcache_lock held). */
static int collect_unused(struct dentry *d, struct dentry **batch, int n, int max)
{
	struct dentry *c;

	list_for_each_entry(c, &d->d_subdirs, d_child) {
		if (n >= max)
			break;
		if (atomic_read(&c->d_count) == 0) {
			atomic_set(&c->d_count, 1);
			d_flags_set(c, DCACHE_UNHASHED);
			batch[n++] = c;
		} else if (!list_empty(&c->d_subdirs)) {
			n = collect_unused(c, batch, n, max);
		}
	}
	return n;
}

/* Kill every unused dentry of @sb (leaves first, level by level). */
void shrink_dcache_sb(struct super_block *sb)
{
	struct vfs_state *vfs = vfs_state();
	struct dentry *batch[64];
	int n;

	if (!sb->s_root)
		return;
	do {
		spin_lock(&vfs->dcache_lock);
		n = collect_unused(sb->s_root, batch, 0, 64);
		spin_unlock(&vfs->dcache_lock);
		for (int i = 0; i < n; i++)
			dput(batch[i]);
	} while (n);
}

/* Unused (d_count 0, cached) dentries below @d (dcache_lock held). */
static long count_unused_below(struct dentry *d)
{
	struct dentry *c;
	long n = 0;

	list_for_each_entry(c, &d->d_subdirs, d_child) {
		if (atomic_read(&c->d_count) == 0)
			n++;
		else if (!list_empty(&c->d_subdirs))
			n += count_unused_below(c);
	}
	return n;
}

/* The super block's shrinker's count of dentries it could free. */
long dcache_nr_unused(struct super_block *sb)
{
	struct vfs_state *vfs = vfs_state();
	long n;

	if (!sb->s_root)
		return 0;
	spin_lock(&vfs->dcache_lock);
	n = count_unused_below(sb->s_root);
	spin_unlock(&vfs->dcache_lock);
	return n;
}

/*
 * The super block shrinker's dcache side (Linux's prune_dcache_sb): kill
 * up to @nr unused dentries; returns how many.  mmsim has no dentry LRU:
 * unused leaves go in tree order (Linux: least recently used first, with a
 * second chance for DCACHE_REFERENCED).  Killing a dentry drops its inode
 * reference, which may leave the inode unused for prune_icache_sb.
 */
long prune_dcache_sb(struct super_block *sb, unsigned long nr)
{
	struct vfs_state *vfs = vfs_state();
	struct dentry *batch[64];
	long freed = 0;

	if (!sb->s_root)
		return 0;
	while (nr) {
		int n, max = nr < 64 ? (int)nr : 64;

		spin_lock(&vfs->dcache_lock);
		n = collect_unused(sb->s_root, batch, 0, max);
		spin_unlock(&vfs->dcache_lock);
		for (int i = 0; i < n; i++)
			dput(batch[i]);
		if (!n)
			break;
		freed += n;
		nr -= (unsigned long)n;
	}
	return freed;
}

static void report_busy(struct dentry *d, struct super_block *sb)
{
	struct dentry *c;

	list_for_each_entry(c, &d->d_subdirs, d_child) {
		pr_err("BUG: Dentry %p{i=%lx,n=%s}  still in use (%d) [unmount of %s %s]\n",
		       (void *)c, c->d_inode ? c->d_inode->i_ino : 0, c->d_name.name,
		       atomic_read(&c->d_count), sb->s_type->name, sb->s_id);
		report_busy(c, sb);
	}
}

/* Unmount: drop every dentry of the tree and the super block's root. */
void shrink_dcache_for_umount(struct super_block *sb)
{
	struct vfs_state *vfs = vfs_state();
	struct dentry *root = sb->s_root;

	if (!root)
		return;
	shrink_dcache_sb(sb);
	spin_lock(&vfs->dcache_lock);
	if (!list_empty(&root->d_subdirs))
		report_busy(root, sb);
	spin_unlock(&vfs->dcache_lock);
	sb->s_root = NULL;
	dput(root);
}

static void genocide(struct dentry *d)
{
	struct dentry *c;

	list_for_each_entry(c, &d->d_subdirs, d_child) {
		genocide(c);
		if (c->d_inode && !d_flags_test(c, DCACHE_GENOCIDE | DCACHE_UNHASHED) &&
		    atomic_read(&c->d_count) > 0) {
			d_flags_set(c, DCACHE_GENOCIDE);
			atomic_dec(&c->d_count);
		}
	}
}

/* kill_litter_super: drop the pin tmpfs holds on each of its positive dentries. */
void d_genocide(struct dentry *root)
{
	struct vfs_state *vfs = vfs_state();

	spin_lock(&vfs->dcache_lock);
	genocide(root);
	spin_unlock(&vfs->dcache_lock);
}
