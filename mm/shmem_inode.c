// SPDX-License-Identifier: GPL-2.0
/*
 * mm/shmem_inode.c - tmpfs's inodes, directories and super blocks (the
 * other half of Linux's mm/shmem.c; mm/shmem.c has the pages, the files
 * and the internal objects): shmem_get_inode, the directory operations
 * through libfs with pinned dentries, shmem_setattr's truncation, the
 * super block with its size= and nr_inodes= limits (mount options), statfs,
 * eviction, and the invariant checkers.
 *
 * Design: a directory's entries are its pinned dentries (create/mkdir/link
 * dget, unlink/rmdir dput, kill_litter_super drops the rest); every inode
 * takes a slot of nr_inodes= (a hard link one more); drop_inode always
 * drops, so the last iput of an unlinked inode evicts it (its pages, its
 * size charge, its slot).  Locking: the VFS holds the directory's
 * inode_lock around create/link/unlink/mkdir/rmdir and the inode's around
 * setattr; sbinfo->stat_lock guards the inode slots and numbers.
 * Invariants: see shmem_sb_is_valid below (docs/tmpfs.md).
 */
#include <string.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <mmsim/err.h>
#include <mmsim/slab.h>
#include <mmsim/printk.h>
#include "lib/cmdline.h"
#include "mm/fault_internal.h"
#include "mm/shmem_internal.h"

static const struct super_operations shmem_ops;
static const struct inode_operations shmem_inode_operations;
static const struct inode_operations shmem_dir_inode_operations;

/* --- inodes -------------------------------------------------------------- */

static struct inode *shmem_alloc_inode(struct super_block *sb)
{
	struct tmpfs_state *ts = tmpfs_state();
	struct shmem_inode_info *info;

	(void)sb;
	info = ts && ts->inode_cachep ? kmem_cache_alloc(ts->inode_cachep, GFP_KERNEL) : NULL;
	if (!info)
		return NULL;
	memset(info, 0, sizeof(*info));
	spin_lock_init(&info->lock);
	INIT_LIST_HEAD(&info->swaplist);
	inode_init_once(&info->vfs_inode);
	return &info->vfs_inode;
}

static void shmem_destroy_inode(struct inode *inode)
{
	struct tmpfs_state *ts = tmpfs_state();

	kmem_cache_free(ts->inode_cachep, SHMEM_I(inode));
}

/* Every page goes, and the size charge (the start of evict_inode). */
void shmem_evict_inode_pages(struct inode *inode)
{
	struct shmem_inode_info *info = SHMEM_I(inode);

	WARN_ON_ONCE(!list_empty(&inode->i_mapping->i_mmap));
	shmem_unacct_size(info);
	inode->i_size = 0;
	shmem_undo_range(inode, 0, -1);
	shmem_swaplist_del(info);	/* after shmem_unuse is done with it */
	WARN_ON_ONCE(info->alloced || info->swapped || atomic_long_read(&inode->i_mapping->nrpages));
}

static void shmem_evict_inode(struct inode *inode)
{
	if (inode->i_mapping->a_ops == &shmem_aops && S_ISREG(inode->i_mode))
		shmem_evict_inode_pages(inode);
	shmem_free_inode(inode->i_sb);
	clear_inode(inode);
}

/* Always drop at the last iput: a linked inode is pinned by its dentry. */
static int shmem_drop_inode(struct inode *inode)
{
	(void)inode;
	return 1;	/* generic_delete_inode */
}

/*
 * shmem_get_inode - a new inode of @sb: a regular file (shmem_aops,
 * shmem_file_operations) or a directory (simple_dir_operations, i_nlink 2).
 */
struct inode *shmem_get_inode(struct super_block *sb, struct inode *dir, umode_t mode,
			      dev_t dev, unsigned long flags)
{
	struct shmem_inode_info *info;
	struct inode *inode;
	unsigned long ino;
	int err;

	err = shmem_reserve_inode(sb, &ino);
	if (err)
		return ERR_PTR(err);
	inode = new_inode(sb);
	if (!inode) {
		shmem_free_inode(sb);
		return ERR_PTR(-ENOSPC);
	}
	info = SHMEM_I(inode);
	inode->i_ino = ino;
	inode_init_owner(inode, dir, mode);
	inode->i_mode = mode;
	inode->i_blocks = 0;
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time(inode);
	info->flags = flags & VM_NORESERVE;
	inode->i_mapping->a_ops = &shmem_aops;
	mapping_set_gfp_mask(inode->i_mapping, GFP_HIGHUSER_MOVABLE);
	switch (mode & S_IFMT) {
	case S_IFREG:
		inode->i_op = &shmem_inode_operations;
		inode->i_fop = &shmem_file_operations;
		break;
	case S_IFDIR:
		inc_nlink(inode);	/* "." */
		inode->i_size = 2 * BOGO_DIRENT_SIZE;
		inode->i_op = &shmem_dir_inode_operations;
		inode->i_fop = &simple_dir_operations;
		break;
	default:
		init_special_inode(inode, mode, dev);
		break;
	}
	return inode;
}

/* --- directory operations (the entries are the dcache's pinned dentries) */

static int shmem_mknod(struct inode *dir, struct dentry *dentry, umode_t mode, dev_t dev)
{
	struct inode *inode;

	if (dentry->d_name.len > SHMEM_NAME_MAX)
		return -ENAMETOOLONG;
	inode = shmem_get_inode(dir->i_sb, dir, mode, dev, VM_NORESERVE);
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	dir->i_size += BOGO_DIRENT_SIZE;
	dir->i_mtime = dir->i_ctime = current_time(dir);
	d_instantiate(dentry, inode);
	dget(dentry);		/* pinned: unlink or kill_litter_super drops it */
	return 0;
}

static int shmem_create(struct inode *dir, struct dentry *dentry, umode_t mode, bool excl)
{
	(void)excl;
	return shmem_mknod(dir, dentry, (umode_t)((mode & ~S_IFMT) | S_IFREG), 0);
}

static int shmem_mkdir(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	int err = shmem_mknod(dir, dentry, (umode_t)((mode & ~S_IFMT) | S_IFDIR), 0);

	if (err)
		return err;
	inc_nlink(dir);		/* its ".." */
	return 0;
}

static int shmem_link(struct dentry *old_dentry, struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = d_inode(old_dentry);
	int err;

	/* each link takes an inode slot, as Linux's (no inode number wanted) */
	err = shmem_reserve_inode(inode->i_sb, NULL);
	if (err)
		return err;
	dir->i_size += BOGO_DIRENT_SIZE;
	dir->i_mtime = dir->i_ctime = inode->i_ctime = current_time(inode);
	inc_nlink(inode);
	ihold(inode);
	dget(dentry);
	d_instantiate(dentry, inode);
	return 0;
}

static int shmem_unlink(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = d_inode(dentry);

	if (inode->i_nlink > 1 && !S_ISDIR(inode->i_mode))
		shmem_free_inode(inode->i_sb);	/* the link's slot */
	dir->i_size -= BOGO_DIRENT_SIZE;
	dir->i_mtime = dir->i_ctime = inode->i_ctime = current_time(inode);
	drop_nlink(inode);
	dput(dentry);		/* the pin of create: the last iput evicts */
	return 0;
}

static int shmem_rmdir(struct inode *dir, struct dentry *dentry)
{
	if (!simple_empty(dentry))
		return -ENOTEMPTY;
	drop_nlink(d_inode(dentry));
	drop_nlink(dir);
	return shmem_unlink(dir, dentry);
}

/*
 * shmem_setattr - mode, times, and size: growing only moves i_size (and
 * the size charge of a VM_ACCOUNT object); shrinking unmaps and frees
 * the pages past the new end (a mapped page there SIGBUSes next touch).
 */
static int shmem_setattr(struct dentry *dentry, struct iattr *attr)
{
	struct inode *inode = d_inode(dentry);
	struct shmem_inode_info *info = SHMEM_I(inode);
	int err;

	if ((attr->ia_valid & ATTR_SIZE) && S_ISREG(inode->i_mode)) {
		loff_t oldsize = inode->i_size, newsize = attr->ia_size;

		err = inode_newsize_ok(inode, newsize);
		if (err)
			return err;
		if (newsize != oldsize) {
			err = shmem_reacct_size(info, oldsize, newsize);
			if (err)
				return err;
			i_size_write(inode, newsize);
			inode->i_mtime = inode->i_ctime = current_time(inode);
		}
		if (newsize <= oldsize) {
			loff_t holebegin = (loff_t)PAGE_ALIGN((unsigned long)newsize);
			unsigned long alloced;

			if (oldsize > holebegin)
				unmap_mapping_range(inode->i_mapping, holebegin, 0, 1);
			spin_lock(&info->lock);
			alloced = info->alloced;
			spin_unlock(&info->lock);
			if (alloced)
				shmem_truncate_range(inode, newsize, -1);
			if (oldsize > holebegin)	/* racing COWed private pages */
				unmap_mapping_range(inode->i_mapping, holebegin, 0, 1);
		}
	}
	setattr_copy(inode, attr);
	return 0;
}

/* Pages drop_caches took (clean ones: never written) are freed blocks now. */
static int shmem_getattr(const struct dentry *dentry, struct kstat *stat)
{
	struct inode *inode = d_inode(dentry);

	if (S_ISREG(inode->i_mode))
		shmem_recalc_inode(inode, 0);
	generic_fillattr(inode, stat);
	return 0;
}

static const struct inode_operations shmem_inode_operations = {
	.setattr = shmem_setattr,
	.getattr = shmem_getattr,
};

static const struct inode_operations shmem_dir_inode_operations = {
	.create = shmem_create,
	.lookup = simple_lookup,
	.link = shmem_link,
	.unlink = shmem_unlink,
	.mkdir = shmem_mkdir,
	.rmdir = shmem_rmdir,
	.setattr = shmem_setattr,
	.getattr = shmem_getattr,
};

/* --- super blocks -------------------------------------------------------- */

static int shmem_statfs(struct dentry *dentry, struct kstatfs *buf)
{
	struct shmem_sb_info *sbinfo = SHMEM_SB(dentry->d_sb);

	buf->f_type = TMPFS_MAGIC;
	buf->f_bsize = PAGE_SIZE;
	buf->f_namelen = SHMEM_NAME_MAX;
	buf->f_blocks = buf->f_bfree = buf->f_bavail = 0;
	buf->f_files = buf->f_ffree = 0;
	if (sbinfo->max_blocks) {
		unsigned long used = (unsigned long)atomic_long_read(&sbinfo->used_blocks);

		buf->f_blocks = sbinfo->max_blocks;
		buf->f_bavail = buf->f_bfree = used < sbinfo->max_blocks ?
					       sbinfo->max_blocks - used : 0;
	}
	if (sbinfo->max_inodes) {
		buf->f_files = sbinfo->max_inodes;
		spin_lock(&sbinfo->stat_lock);
		buf->f_ffree = sbinfo->free_inodes;
		spin_unlock(&sbinfo->stat_lock);
	}
	return 0;
}

static void shmem_put_super(struct super_block *sb)
{
	struct shmem_sb_info *sbinfo = SHMEM_SB(sb);

	bool busy;

	if (!sbinfo)
		return;
	spin_lock(&sb->s_inode_list_lock);
	busy = !list_empty(&sb->s_inodes);
	spin_unlock(&sb->s_inode_list_lock);
	/* Inodes still referenced ("VFS: Busy inodes after unmount", the VFS
	 * keeps the sb): they reach sbinfo when evicted, so it stays too. */
	if (busy)
		return;
	WARN_ON_ONCE(atomic_long_read(&sbinfo->used_blocks));
	kfree(sbinfo);
	sb->s_fs_info = NULL;
}

static const struct super_operations shmem_ops = {
	.alloc_inode = shmem_alloc_inode,
	.destroy_inode = shmem_destroy_inode,
	.drop_inode = shmem_drop_inode,
	.evict_inode = shmem_evict_inode,
	.put_super = shmem_put_super,
	.statfs = shmem_statfs,
};

static unsigned long shmem_default_max_blocks(void)
{
	return totalram_pages() / 2;
}

static unsigned long shmem_default_max_inodes(void)
{
	unsigned long nr_pages = totalram_pages();
	unsigned long lowmem = nr_pages - totalhigh_pages();

	return lowmem < nr_pages / 2 ? lowmem : nr_pages / 2;
}

/*
 * The mount options: size=N[kmgtpe%], nr_inodes=N[kmgtpe], mode=OCTAL
 * (Linux's shmem_parse_one); an unknown one is "tmpfs: Unknown parameter".
 */
static int shmem_parse_options(char *opts, struct shmem_sb_info *sbinfo)
{
	char *tok, *save = NULL;

	if (!opts)
		return 0;
	for (tok = strtok_r(opts, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *val = strchr(tok, '=');
		uint64_t n;

		if (val)
			*val++ = '\0';
		if (!strcmp(tok, "size") && val) {
			size_t len = strlen(val);

			if (len && val[len - 1] == '%') {
				char *end;
				unsigned long pct;

				val[len - 1] = '\0';
				pct = strtoul(val, &end, 10);
				if (*end || end == val)
					goto bad_value;
				sbinfo->max_blocks = (unsigned long)(((uint64_t)totalram_pages() * pct +
								      99) / 100);
			} else {
				if (memparse_strict(val, &n))
					goto bad_value;
				sbinfo->max_blocks = (unsigned long)DIV_ROUND_UP(n, PAGE_SIZE);
			}
		} else if (!strcmp(tok, "nr_blocks") && val) {
			if (memparse_strict(val, &n))
				goto bad_value;
			sbinfo->max_blocks = (unsigned long)n;
		} else if (!strcmp(tok, "nr_inodes") && val) {
			if (memparse_strict(val, &n))
				goto bad_value;
			sbinfo->max_inodes = (unsigned long)n;
		} else if (!strcmp(tok, "mode") && val) {
			char *end;
			unsigned long mode = strtoul(val, &end, 8);

			if (*end || end == val)
				goto bad_value;
			sbinfo->mode = (umode_t)(mode & 07777);
		} else {
			pr_err("tmpfs: Unknown parameter '%s'\n", tok);
			return -EINVAL;
		}
		continue;
bad_value:
		pr_err("tmpfs: Bad value for '%s'\n", tok);
		return -EINVAL;
	}
	return 0;
}

static int shmem_fill_super(struct super_block *sb, void *data, int silent)
{
	struct tmpfs_state *ts = tmpfs_state();
	struct shmem_sb_info *sbinfo;
	struct inode *inode;
	char *opts = NULL;
	int err;

	(void)silent;
	sbinfo = kzalloc(sizeof(*sbinfo), GFP_KERNEL);
	if (!sbinfo)
		return -ENOMEM;
	spin_lock_init(&sbinfo->stat_lock);
	sbinfo->mode = 0777 | S_ISVTX;
	sbinfo->next_ino = 1;
	/* the internal mount (kern_mount before shm_mnt is set) has no limits */
	sbinfo->kernel = ts && !ts->shm_mnt && !ts->registered;
	if (!sbinfo->kernel) {
		sbinfo->max_blocks = shmem_default_max_blocks();
		sbinfo->max_inodes = shmem_default_max_inodes();
	}
	if (data) {
		opts = strdup((const char *)data);
		if (!opts) {
			kfree(sbinfo);
			return -ENOMEM;
		}
	}
	err = shmem_parse_options(opts, sbinfo);
	free(opts);
	if (err) {
		kfree(sbinfo);
		return err;
	}
	sbinfo->free_inodes = sbinfo->max_inodes;
	sb->s_fs_info = sbinfo;
	sb->s_maxbytes = SHMEM_MAX_BYTES;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_blocksize_bits = PAGE_SHIFT;
	sb->s_magic = TMPFS_MAGIC;
	sb->s_op = &shmem_ops;
	inode = shmem_get_inode(sb, NULL, (umode_t)(S_IFDIR | sbinfo->mode), 0, VM_NORESERVE);
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);	/* ->kill_sb -> put_super frees sbinfo */
	sb->s_root = d_make_root(inode);
	return sb->s_root ? 0 : -ENOMEM;
}

static struct dentry *shmem_mount(struct file_system_type *fs_type, int flags,
				  const char *dev_name, void *data)
{
	(void)dev_name;
	return mount_nodev(fs_type, flags, data, shmem_fill_super);
}

struct file_system_type shmem_fs_type = {
	.name = "tmpfs",
	.mount = shmem_mount,
	.kill_sb = kill_litter_super,
};

/* --- the invariant checker ---------------------------------------------- */

/* @inode at rest: its pages, its counters (false with a log line). */
bool shmem_inode_is_valid(struct inode *inode)
{
	struct shmem_inode_info *info = SHMEM_I(inode);
	struct address_space *mapping = inode->i_mapping;
	pgoff_t eof = (pgoff_t)((i_size_read(inode) + PAGE_SIZE - 1) >> PAGE_SHIFT);
	XA_STATE(xas, &mapping->i_pages, 0);
	unsigned long n = 0, nswap = 0;
	struct folio *folio;
	bool ok = true;

	if (!S_ISREG(inode->i_mode))
		return true;
	shmem_recalc_inode(inode, 0);	/* the lazy count first, as getattr does */
	xas_lock(&xas);
	xas_for_each(&xas, folio, (pgoff_t)-1) {
		struct page *page;

		if (xas_retry(&xas, folio))
			continue;
		if (xa_is_value(folio)) {	/* on swap (mm/shmem_swap.c) */
			nswap++;
			if (xas.xa_index >= eof) {
				pr_err("shmem: ino %lu: swap entry at %lu beyond %lu\n", inode->i_ino,
				       (unsigned long)xas.xa_index, (unsigned long)eof);
				ok = false;
				break;
			}
			continue;
		}
		n++;
		page = &folio->page;
		if (page->mapping != mapping || page->index != xas.xa_index ||
		    !page_flag_test(page, PG_swapbacked) || !page_flag_test(page, PG_lru) ||
		    page->index >= eof) {
			pr_err("shmem: ino %lu: page %lu (pfn %lx) flags %lx beyond %lu or not ours\n",
			       inode->i_ino, (unsigned long)xas.xa_index, page_to_pfn(page),
			       page->flags, (unsigned long)eof);
			ok = false;
			break;
		}
	}
	xas_unlock(&xas);
	spin_lock(&info->lock);
	if (ok && (n + nswap != info->alloced || nswap != info->swapped ||
		   (unsigned long)atomic_long_read(&mapping->nrpages) != n ||
		   inode->i_blocks != (blkcnt_t)((n + nswap) * BLOCKS_PER_PAGE) ||
		   (nswap && list_empty(&info->swaplist)))) {
		pr_err("shmem: ino %lu: %lu pages cached, %lu on swap (swapped %lu), nrpages %ld, "
		       "alloced %lu, i_blocks %lu\n", inode->i_ino, n, nswap, info->swapped,
		       atomic_long_read(&mapping->nrpages), info->alloced,
		       (unsigned long)inode->i_blocks);
		ok = false;
	}
	spin_unlock(&info->lock);
	return ok;
}

/* Every inode of a tmpfs @sb, and the sb's block and inode counts. */
bool shmem_sb_is_valid(struct super_block *sb)
{
	struct shmem_sb_info *sbinfo = SHMEM_SB(sb);
	unsigned long blocks = 0, inodes = 0;
	struct inode *inode;
	bool ok = true;

	if (!sbinfo || sb->s_op != &shmem_ops)
		return false;
	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		ok &= shmem_inode_is_valid(inode);
		spin_lock(&SHMEM_I(inode)->lock);
		blocks += SHMEM_I(inode)->alloced;
		spin_unlock(&SHMEM_I(inode)->lock);
		/* a hard link takes a slot of its own */
		inodes += S_ISDIR(inode->i_mode) || !inode->i_nlink ? 1 : inode->i_nlink;
	}
	spin_unlock(&sb->s_inode_list_lock);
	if (blocks != (unsigned long)atomic_long_read(&sbinfo->used_blocks) ||
	    (sbinfo->max_blocks && blocks > sbinfo->max_blocks)) {
		pr_err("shmem: %s: %lu pages owned, used_blocks %ld, size %lu\n", sb->s_id,
		       blocks, atomic_long_read(&sbinfo->used_blocks), sbinfo->max_blocks);
		ok = false;
	}
	if (sbinfo->max_inodes && !sbinfo->kernel &&
	    inodes + sbinfo->free_inodes != sbinfo->max_inodes) {
		pr_err("shmem: %s: %lu inodes + %lu free != nr_inodes %lu\n", sb->s_id, inodes,
		       sbinfo->free_inodes, sbinfo->max_inodes);
		ok = false;
	}
	return ok;
}

