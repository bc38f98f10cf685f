// SPDX-License-Identifier: GPL-2.0
/*
 * fs/inode.c - inodes (Linux's fs/inode.c, fs/attr.c, fs/stat.c's
 * generic_fillattr): allocation, the per-sb inode hash, reference
 * counting and eviction.
 *
 * Design.  new_inode allocates through ->alloc_inode (or the machine's
 * "inode_cache") and puts the inode on sb->s_inodes with i_count 1.
 * iget_locked finds an inode by number in the super block's hash
 * (struct super_block_ext, 256 buckets) or inserts a new one marked I_NEW,
 * which the file system fills and publishes with unlock_new_inode (or
 * gives up with iget_failed).  iput drops a reference; the last one
 * (iput_final) either keeps the inode cached (i_count 0, still on
 * s_inodes and in the hash) or, when ->drop_inode (generic_drop_inode:
 * no links, or not hashed) says so or the super block is going away,
 * evicts it: I_FREEING, off the writeback lists (inode_io_list_del),
 * ->evict_inode (or truncate_inode_pages_final + clear_inode), off
 * s_inodes and the hash, ->destroy_inode.  evict_inodes (unmount,
 * drop_caches 2 through prune_icache_sb) first prunes the super block's
 * unused dentries, which hold references on their inodes, then evicts
 * every inode with i_count 0.
 *
 * Locking: i_lock guards i_state and the i_count transitions to and from
 * 0 (iput's atomic_dec_and_lock, the hash lookup's grab); sb_ext->hash_lock
 * guards the hash chains and nests outside i_lock; s_inode_list_lock
 * guards s_inodes.  A walker of s_inodes (writeback, drop_caches) may take
 * a reference with ihold on an inode with i_count 0 under i_lock when it
 * is not I_NEW/I_FREEING/I_WILL_FREE (Linux's __iget).  Someone finding an
 * inode I_NEW or I_FREEING in the hash waits for it (the host thread
 * yields; the other side does no I/O in virtual time while holding it).
 *
 * Invariants: an inode with I_FREEING has i_count 0 and never gets a new
 * reference; a cached inode (i_count 0, not freeing) is on s_inodes; an
 * inode is in the hash iff it was hashed and is not yet evicted.
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <string.h>
#include <mmsim/err.h>
#include <mmsim/printk.h>
#include <mmsim/pagemap.h>
#include <mmsim/writeback.h>
#include <mmsim/backing-dev.h>
#include <mmsim/vmstat.h>
#include <mmsim/swap.h>
#include "fs/internal.h"

static struct list_head *inode_hashtable(struct super_block *sb, unsigned long ino)
{
	unsigned long h = ino * 0x9e3779b97f4a7c15ul;

	return &sb_ext(sb)->hash[(h >> 32) % INODE_HASH_SIZE];
}

/* I_HASHED (mmsim's, in i_state under i_lock): a neighbour's removal writes
 * our i_hash links under hash_lock, so list_empty() is not readable here. */
#define I_HASHED	(1u << 30)

bool inode_unhashed(struct inode *inode)
{
	return !(READ_ONCE(inode->i_state) & I_HASHED);
}

static void set_hashed(struct inode *inode, bool hashed)
{
	spin_lock(&inode->i_lock);
	if (hashed)
		inode->i_state |= I_HASHED;
	else
		inode->i_state &= ~I_HASHED;
	spin_unlock(&inode->i_lock);
}

/* The address space and locks of a new inode (inode_init_once + address_space_init_once). */
void inode_init_once(struct inode *inode)
{
	struct address_space *mapping = &inode->i_data;

	memset(inode, 0, sizeof(*inode));
	INIT_LIST_HEAD(&inode->i_io_list);
	INIT_LIST_HEAD(&inode->i_sb_list);
	INIT_LIST_HEAD(&inode->i_hash);
	spin_lock_init(&inode->i_lock);
	init_rwsem(&inode->i_rwsem);
	address_space_init_once(mapping);
	init_rwsem(&mapping->invalidate_lock);
	mapping->host = inode;
	inode->i_mapping = mapping;
}

static const struct address_space_operations empty_aops;
static const struct inode_operations empty_iops;
static const struct file_operations no_open_fops;

/* inode_init_always: the fields every new inode starts with. */
static void inode_init_always(struct super_block *sb, struct inode *inode)
{
	struct vfs_state *vfs = vfs_state();

	inode->i_sb = sb;
	inode->i_blkbits = sb->s_blocksize_bits;
	inode->i_flags = 0;
	atomic_set(&inode->i_count, 1);
	inode->i_op = &empty_iops;
	inode->i_fop = &no_open_fops;
	inode->i_nlink = 1;
	inode->i_state = 0;
	inode->i_data.a_ops = &empty_aops;
	inode->i_data.flags = 0;
	inode->i_data.wb_err = 0;
	inode->i_data.private_data = NULL;
	inode->i_data.writeback_index = 0;
	inode->i_private = NULL;
	if (vfs)
		atomic_long_add(1, &vfs->nr_inodes);
}

static struct inode *alloc_inode(struct super_block *sb)
{
	const struct super_operations *ops = sb->s_op;
	struct vfs_state *vfs = vfs_state();
	struct inode *inode;

	if (ops && ops->alloc_inode) {
		inode = ops->alloc_inode(sb);
	} else {
		inode = kmem_cache_alloc(vfs->inode_cachep, GFP_KERNEL);
		if (inode)
			inode_init_once(inode);
	}
	if (!inode)
		return NULL;
	/* ->alloc_inode may hand back zeroed memory or an inode_init_once'd one. */
	if (inode->i_mapping != &inode->i_data || inode->i_data.host != inode)
		inode_init_once(inode);
	inode_init_always(sb, inode);
	return inode;
}

static void destroy_inode(struct inode *inode)
{
	const struct super_operations *ops = inode->i_sb->s_op;
	struct vfs_state *vfs = vfs_state();

	if (vfs)
		atomic_long_add(-(1), &vfs->nr_inodes);
	destroy_rwsem(&inode->i_rwsem);
	destroy_rwsem(&inode->i_data.invalidate_lock);
	destroy_rwsem(&inode->i_data.i_mmap_rwsem);
	xa_destroy(&inode->i_data.i_pages);
	if (ops && ops->destroy_inode)
		ops->destroy_inode(inode);
	else
		kmem_cache_free(vfs->inode_cachep, inode);
}

static void inode_sb_list_add(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;

	spin_lock(&sb->s_inode_list_lock);
	list_add(&inode->i_sb_list, &sb->s_inodes);
	spin_unlock(&sb->s_inode_list_lock);
}

static void inode_sb_list_del(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;

	spin_lock(&sb->s_inode_list_lock);
	list_del_init(&inode->i_sb_list);
	spin_unlock(&sb->s_inode_list_lock);
}

struct inode *new_inode(struct super_block *sb)
{
	struct inode *inode;

	if (!sb)
		return NULL;
	inode = alloc_inode(sb);
	if (inode)
		inode_sb_list_add(inode);
	return inode;
}

void __insert_inode_hash(struct inode *inode, unsigned long ino)
{
	struct super_block_ext *se = sb_ext(inode->i_sb);

	inode->i_ino = ino;
	spin_lock(&se->hash_lock);
	list_add(&inode->i_hash, inode_hashtable(inode->i_sb, ino));
	set_hashed(inode, true);
	spin_unlock(&se->hash_lock);
}

static void remove_inode_hash(struct inode *inode)
{
	struct super_block_ext *se = sb_ext(inode->i_sb);

	spin_lock(&se->hash_lock);
	list_del_init(&inode->i_hash);
	set_hashed(inode, false);
	spin_unlock(&se->hash_lock);
}

/*
 * Find @ino in @sb's hash with hash_lock held: a referenced inode, NULL,
 * or ERR_PTR(-EAGAIN) when it is new or being freed (wait and retry).
 */
static struct inode *find_inode_fast(struct super_block *sb, unsigned long ino)
{
	struct inode *inode;

	list_for_each_entry(inode, inode_hashtable(sb, ino), i_hash) {
		if (inode->i_ino != ino || inode->i_sb != sb)
			continue;
		spin_lock(&inode->i_lock);
		if (inode->i_state & (I_FREEING | I_WILL_FREE | I_NEW)) {
			spin_unlock(&inode->i_lock);
			return ERR_PTR(-EAGAIN);
		}
		atomic_inc(&inode->i_count);
		spin_unlock(&inode->i_lock);
		return inode;
	}
	return NULL;
}

struct inode *ilookup(struct super_block *sb, unsigned long ino)
{
	struct super_block_ext *se = sb_ext(sb);
	struct inode *inode;

	for (;;) {
		spin_lock(&se->hash_lock);
		inode = find_inode_fast(sb, ino);
		spin_unlock(&se->hash_lock);
		if (inode != ERR_PTR(-EAGAIN))
			return inode;
		sched_yield();		/* wait_on_inode / __wait_on_freeing_inode */
	}
}

struct inode *iget_locked(struct super_block *sb, unsigned long ino)
{
	struct super_block_ext *se = sb_ext(sb);
	struct inode *inode, *new;

	inode = ilookup(sb, ino);
	if (inode)
		return inode;
	new = alloc_inode(sb);
	if (!new)
		return NULL;
	for (;;) {
		spin_lock(&se->hash_lock);
		inode = find_inode_fast(sb, ino);
		if (!inode) {
			new->i_ino = ino;
			new->i_state = I_NEW | I_HASHED;
			list_add(&new->i_hash, inode_hashtable(sb, ino));
			spin_unlock(&se->hash_lock);
			inode_sb_list_add(new);
			return new;
		}
		spin_unlock(&se->hash_lock);
		if (!IS_ERR(inode)) {
			/* somebody else added it first */
			destroy_inode(new);
			return inode;
		}
		sched_yield();
	}
}

void unlock_new_inode(struct inode *inode)
{
	spin_lock(&inode->i_lock);
	WARN_ON(!(inode->i_state & I_NEW));
	inode->i_state &= ~I_NEW;
	spin_unlock(&inode->i_lock);
}

/* The file system could not read a new inode: make it go away. */
void iget_failed(struct inode *inode)
{
	clear_nlink(inode);
	spin_lock(&inode->i_lock);
	inode->i_state &= ~I_NEW;
	inode->i_state |= I_WILL_FREE;	/* nobody may take it from the hash now */
	spin_unlock(&inode->i_lock);
	remove_inode_hash(inode);
	spin_lock(&inode->i_lock);
	inode->i_state &= ~I_WILL_FREE;
	spin_unlock(&inode->i_lock);
	iput(inode);
}

void ihold(struct inode *inode)
{
	spin_lock(&inode->i_lock);
	WARN_ON(inode->i_state & I_FREEING);
	atomic_inc(&inode->i_count);
	spin_unlock(&inode->i_lock);
}

int generic_drop_inode(struct inode *inode)
{
	return !inode->i_nlink || inode_unhashed(inode);
}

void clear_inode(struct inode *inode)
{
	WARN_ON(atomic_long_read(&inode->i_data.nrpages));
	spin_lock(&inode->i_lock);
	WARN_ON(!(inode->i_state & I_FREEING));
	WARN_ON(inode->i_state & I_CLEAR);
	inode->i_state = I_FREEING | I_CLEAR | (inode->i_state & I_HASHED);
	spin_unlock(&inode->i_lock);
}

/* Linux's evict(): the inode is I_FREEING and unreachable by new references. */
static void evict(struct inode *inode)
{
	const struct super_operations *op = inode->i_sb->s_op;

	inode_io_list_del(inode);
	inode_sb_list_del(inode);
	if (op && op->evict_inode) {
		op->evict_inode(inode);
	} else {
		truncate_inode_pages_final(&inode->i_data);
		clear_inode(inode);
	}
	remove_inode_hash(inode);
	WARN_ON(!(inode->i_state & I_CLEAR) && op && op->evict_inode &&
		atomic_long_read(&inode->i_data.nrpages));
	destroy_inode(inode);
}

/* Called with i_lock held and i_count just dropped to 0; unlocks it. */
static void iput_final(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	const struct super_operations *op = sb->s_op;
	int drop;

	WARN_ON(inode->i_state & I_NEW);
	/* ->drop_inode runs under i_lock, as Linux's: it must not sleep */
	drop = op && op->drop_inode ? op->drop_inode(inode) : generic_drop_inode(inode);
	if (!drop && (sb->s_flags & SB_ACTIVE)) {
		spin_unlock(&inode->i_lock);
		return;
	}
	inode->i_state |= I_FREEING;
	spin_unlock(&inode->i_lock);
	evict(inode);
}

void iput(struct inode *inode)
{
	int c;

	if (!inode)
		return;
	/* atomic_dec_and_lock: only the 1 -> 0 transition takes i_lock. */
	c = atomic_read(&inode->i_count);
	while (c > 1) {
		if (atomic_compare_exchange_weak(&inode->i_count.counter, &c, c - 1))
			return;
	}
	spin_lock(&inode->i_lock);
	if (WARN_ON(atomic_read(&inode->i_count) <= 0 || (inode->i_state & I_FREEING))) {
		spin_unlock(&inode->i_lock);
		return;
	}
	if (atomic_add_return(-1, &inode->i_count) > 0) {
		spin_unlock(&inode->i_lock);
		return;
	}
	iput_final(inode);
}

/* Dirty, or pages dirty or under writeback: the shrinker leaves it. */
static bool inode_dirty_for_shrink(struct inode *inode)
{
	struct xarray *xa = &inode->i_data.i_pages;
	bool dirty;

	if (inode->i_state & (I_DIRTY | I_SYNC))
		return true;
	xa_lock(xa);
	dirty = xa_marked(xa, PAGECACHE_TAG_DIRTY) || xa_marked(xa, PAGECACHE_TAG_WRITEBACK);
	xa_unlock(xa);
	return dirty;
}

/*
 * Evict the unused inodes of @sb (all of them at unmount; with
 * @clean_only, for the shrinker, those with nothing left to write, at
 * most @nr of them).  At unmount the super block's unused dentries go
 * first: they hold references on their inodes.  Returns the inodes
 * evicted; the pages they took with them count as pginodesteal (or
 * kswapd_inodesteal in kswapd), as Linux's inode_lru_isolate does.
 */
static long __evict_inodes(struct super_block *sb, bool clean_only, unsigned long nr)
{
	struct inode *inode, *next;
	unsigned long reap = 0;
	LIST_HEAD(dispose);
	long freed = 0;

	if (!clean_only)
		shrink_dcache_sb(sb);
	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry_safe(inode, next, &sb->s_inodes, i_sb_list) {
		if ((unsigned long)freed >= nr)
			break;
		spin_lock(&inode->i_lock);
		if (atomic_read(&inode->i_count) ||
		    (inode->i_state & (I_NEW | I_FREEING | I_WILL_FREE)) ||
		    (clean_only && inode_dirty_for_shrink(inode))) {
			spin_unlock(&inode->i_lock);
			continue;
		}
		inode->i_state |= I_FREEING;
		spin_unlock(&inode->i_lock);
		reap += (unsigned long)atomic_long_read(&inode->i_data.nrpages);
		list_move(&inode->i_sb_list, &dispose);
		freed++;
	}
	spin_unlock(&sb->s_inode_list_lock);
	while (!list_empty(&dispose)) {
		inode = list_first_entry(&dispose, struct inode, i_sb_list);
		list_del_init(&inode->i_sb_list);
		evict(inode);
	}
	if (clean_only && reap)
		count_vm_events(current_is_kswapd() ? KSWAPD_INODESTEAL : PGINODESTEAL, (long)reap);
	return freed;
}

/* Unmount: every unused inode goes (the file system was synced first). */
void evict_inodes(struct super_block *sb)
{
	__evict_inodes(sb, false, ULONG_MAX);
}

/* Unused inodes of @sb with nothing to write: the shrinker's count. */
long icache_nr_unused(struct super_block *sb)
{
	struct inode *inode;
	long n = 0;

	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list)
		if (!atomic_read(&inode->i_count) &&
		    !(inode->i_state & (I_NEW | I_FREEING | I_WILL_FREE | I_DIRTY | I_SYNC)))
			n++;
	spin_unlock(&sb->s_inode_list_lock);
	return n;
}

/*
 * The shrinker's side (the super block shrinker, drop_caches 2): up to
 * @nr unused inodes with nothing to write are evicted, their clean pages
 * with them (truncate_inode_pages_final), as Linux's inode_lru_isolate
 * does; dirty ones stay for writeback.  mmsim has no inode LRU: they go
 * in s_inodes order.  Returns the inodes freed.
 */
long prune_icache_sb(struct super_block *sb, unsigned long nr)
{
	return __evict_inodes(sb, true, nr);
}

/* --- attributes ------------------------------------------------------- */

void set_nlink(struct inode *inode, unsigned int nlink)
{
	inode->i_nlink = nlink;
}

void inc_nlink(struct inode *inode)
{
	inode->i_nlink++;
}

void drop_nlink(struct inode *inode)
{
	WARN_ON(inode->i_nlink == 0);
	if (inode->i_nlink)
		inode->i_nlink--;
}

void clear_nlink(struct inode *inode)
{
	inode->i_nlink = 0;
}

void inode_init_owner(struct inode *inode, const struct inode *dir, umode_t mode)
{
	inode->i_uid = 0;
	inode->i_gid = dir ? dir->i_gid : 0;
	if (dir && (dir->i_mode & S_ISGID) && S_ISDIR(mode))
		mode |= S_ISGID;
	inode->i_mode = mode;
}

void init_special_inode(struct inode *inode, umode_t mode, dev_t dev)
{
	inode->i_mode = mode;
	inode->i_rdev = dev;
}

struct timespec current_time(struct inode *inode)
{
	struct mmsim *m = current_machine();
	u64 ns = m ? atomic_load_explicit(&m->hw.clock_ns, memory_order_relaxed) : 0;

	(void)inode;
	return (struct timespec){ .tv_sec = (time_t)(ns / 1000000000ull),
				  .tv_nsec = (long)(ns % 1000000000ull) };
}

int inode_newsize_ok(const struct inode *inode, loff_t offset)
{
	if (offset < 0)
		return -EINVAL;
	if (offset > inode->i_sb->s_maxbytes)
		return -EFBIG;
	return 0;
}

void setattr_copy(struct inode *inode, const struct iattr *attr)
{
	unsigned int v = attr->ia_valid;

	/* The times under i_lock: a write's file_update_time and a file
	 * system's ->write_inode touch them without i_rwsem. */
	spin_lock(&inode->i_lock);
	if (v & ATTR_ATIME)
		inode->i_atime = attr->ia_atime;
	if (v & ATTR_MTIME)
		inode->i_mtime = attr->ia_mtime;
	if (v & ATTR_CTIME)
		inode->i_ctime = attr->ia_ctime;
	spin_unlock(&inode->i_lock);
	if (v & ATTR_MODE)
		inode->i_mode = (inode->i_mode & S_IFMT) | (attr->ia_mode & 07777);
}

int simple_setattr(struct dentry *dentry, struct iattr *attr)
{
	struct inode *inode = d_inode(dentry);

	if (attr->ia_valid & ATTR_SIZE) {
		int ret = inode_newsize_ok(inode, attr->ia_size);

		if (ret)
			return ret;
		truncate_setsize(inode, attr->ia_size);
		if (i_size_read(inode) != attr->ia_size)
			i_size_write(inode, attr->ia_size);	/* until truncate_setsize lands */
	}
	setattr_copy(inode, attr);
	mark_inode_dirty(inode);
	return 0;
}

void generic_fillattr(struct inode *inode, struct kstat *stat)
{
	memset(stat, 0, sizeof(*stat));
	stat->dev = inode->i_sb->s_dev;
	stat->ino = inode->i_ino;
	stat->mode = inode->i_mode;
	stat->nlink = inode->i_nlink;
	stat->size = i_size_read(inode);
	stat->blocks = (u64)inode->i_blocks;
	stat->blksize = 1u << (inode->i_blkbits ? inode->i_blkbits : 12);
	if (stat->blksize < 4096)
		stat->blksize = 4096;	/* i_blocksize is at least the page for these fs */
	stat->atime = inode->i_atime;
	stat->mtime = inode->i_mtime;
	stat->ctime = inode->i_ctime;
}
