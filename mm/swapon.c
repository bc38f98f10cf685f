// SPDX-License-Identifier: GPL-2.0
/*
 * mm/swapon.c - making and unmaking swap areas (Linux's sys_swapon,
 * sys_swapoff, read_swap_header, generic_swapfile_activate, swap_show),
 * the boot areas of `swap=`, the swap header (a mkswap equivalent) and
 * the swapfile subsystem's registration.  mm/swapfile.c keeps the slots.
 *
 * Boot areas: `swap=SIZE[@PRIO],...` (at most SWAP_BOOT_MAX) makes one
 * virtio disk per area -- vdb, vdc, ... (253:16, 253:32, ...; block/genhd.c
 * blk_add_disk), each SIZE bytes (rounded down to whole pages, at least 10
 * pages, as mkswap wants 40 KiB at 4K) -- writes a swap header on it (its
 * first page, so an area has SIZE/PAGE_SIZE - 1 usable slots) and swaps on
 * to it at late_initcall time as `swapon /dev/vdX` with PRIO (0..32767)
 * or the next default priority.  Each area logs Linux's line
 * "Adding NNNk swap on /dev/vdb.  Priority:-2 extents:1 across:NNNk ".
 * /dev/vdX names are known to sys_swapon/sys_swapoff (there are no device
 * nodes in mmsim's VFS), so a boot area can be swapped off and on again.
 *
 * Swap files: sys_swapon(path) on a regular file of a disk file system
 * (mmfs on / or a directory of it) with a swap header: the header is read
 * through the page cache, the file is synced, and its blocks become the
 * area's extents through a_ops->bmap (generic_swapfile_activate: a page
 * whose blocks are not contiguous and page-aligned is skipped; a hole
 * fails with "swapon: swapfile has holes").  tmpfs has no ->bmap: -EINVAL
 * as Linux.  The area's I/O then goes straight to the file system's disk,
 * bypassing the file's page cache (as Linux; writing to an active swap
 * file is not refused here: mmsim has no S_SWAPFILE check in write()).
 * mmsim_mkswap() writes a header into an existing file, as mkswap(8);
 * mmsim_mkswap_file() first makes the file, fully allocated.
 *
 * Errors as Linux: bad flags -EINVAL; no such file -ENOENT; not a regular
 * file or block device, no signature, a bad header, holes -EINVAL; an
 * active area or the disk holding / -EBUSY; MAX_SWAPFILES in use -EPERM;
 * swapoff of something that is not an active area -EINVAL, and -ENOMEM
 * when the commit limit cannot take the area's pages back
 * (security_vm_enough_memory_mm) or try_to_unuse runs out of memory.
 *
 * /proc/swaps is swap_show's format byte for byte; /sys/kernel/debug/
 * fail_swap_alloc (mmsim) fails every Nth slot allocation (0: never).
 *
 * Locking: swapon_mutex serializes swapon and swapoff (Linux's
 * swapon_mutex); the rest is swapfile.c's.  try_to_unuse runs with only
 * swapon_mutex held.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/mm.h>
#include <mmsim/fcntl.h>
#include <mmsim/fs.h>
#include <mmsim/mm_vma.h>
#include <mmsim/printk.h>
#include <mmsim/proc_fs.h>
#include <mmsim/sched.h>
#include <mmsim/seq_file.h>
#include <mmsim/syscalls.h>
#include "mm/swapfile_internal.h"
#include "mm/swap_internal.h"
#include "lib/cmdline.h"

#define SWAP_MAGIC		"SWAPSPACE2"
#define SWAP_MAGIC_LEN		10
#define SWAP_HDR_INFO		1024	/* offsetof(union swap_header, info) */
#define SWAP_HDR_BADPAGES	(SWAP_HDR_INFO + 512)	/* info.badpages[] */
#define SWAP_MIN_PAGES		10	/* mkswap: "swap space needs to be at least 40 KiB" */
#define K(x)			((unsigned long long)(x) << (PAGE_SHIFT - 10))

/* The header's info fields (little-endian host, native byte order). */
struct swap_hdr_info {
	u32 version;
	u32 last_page;
	u32 nr_badpages;
	unsigned char sws_uuid[16];
	unsigned char sws_volume[16];
};

static unsigned long max_swap_badpages(void)
{
	return (PAGE_SIZE - SWAP_MAGIC_LEN - SWAP_HDR_BADPAGES) / sizeof(u32);
}

/* Fill @page (PAGE_SIZE bytes) with a version-1 header for @pages pages. */
static void swap_header_build(void *page, unsigned long pages, u64 uuid_seed)
{
	struct swap_hdr_info info = { .version = 1, .last_page = (u32)(pages - 1) };

	memset(page, 0, PAGE_SIZE);
	for (int i = 0; i < 16; i++)	/* a deterministic "uuid" */
		info.sws_uuid[i] = (unsigned char)(uuid_seed >> ((i % 8) * 8)) ^ (unsigned char)(i * 37);
	memcpy((char *)page + SWAP_HDR_INFO, &info, sizeof(info));
	memcpy((char *)page + PAGE_SIZE - SWAP_MAGIC_LEN, SWAP_MAGIC, SWAP_MAGIC_LEN);
}

/*
 * read_swap_header: the number of slots (header page included) the header
 * of an area of @dev_pages pages (0: unknown) allows, or 0 with Linux's
 * message; @bad gets the bad pages.
 */
static unsigned int read_swap_header(const void *page, unsigned long dev_pages, bool is_file,
				     u32 **bad, unsigned int *nr_bad)
{
	struct swap_hdr_info info;
	unsigned long maxpages, last_page;

	*bad = NULL;
	*nr_bad = 0;
	if (memcmp((const char *)page + PAGE_SIZE - SWAP_MAGIC_LEN, SWAP_MAGIC, SWAP_MAGIC_LEN)) {
		pr_err("Unable to find swap-space signature\n");
		return 0;
	}
	memcpy(&info, (const char *)page + SWAP_HDR_INFO, sizeof(info));
	if (info.version != 1) {
		pr_warn("Unable to handle swap header version %d\n", (int)info.version);
		return 0;
	}
	maxpages = max_swapfile_size();
	last_page = info.last_page;
	if (!last_page) {
		pr_warn("Empty swap-file\n");
		return 0;
	}
	if (last_page > maxpages)
		pr_warn("Truncating oversized swap area, only using %lluk out of %lluk\n",
			K(maxpages), K(last_page));
	if (maxpages > last_page)
		maxpages = last_page + 1;
	if (maxpages > 0xffffffffUL)	/* unsigned int si->max */
		maxpages = 0xffffffffUL;
	if (dev_pages && maxpages > dev_pages) {
		pr_warn("Swap area shorter than signature indicates\n");
		return 0;
	}
	if (info.nr_badpages && is_file)
		return 0;
	if (info.nr_badpages > max_swap_badpages())
		return 0;
	if (info.nr_badpages) {
		*bad = calloc(info.nr_badpages, sizeof(u32));
		if (!*bad)
			return 0;
		memcpy(*bad, (const char *)page + SWAP_HDR_BADPAGES, info.nr_badpages * sizeof(u32));
		*nr_bad = info.nr_badpages;
	}
	return (unsigned int)maxpages;
}

/* One page of a block device, by bio (the boot areas' header). */
static int bdev_rw_page(struct block_device *bdev, blk_opf_t op, void *buf)
{
	struct page *page = alloc_page(GFP_KERNEL);
	struct bio *bio;
	int ret;

	if (!page)
		return -ENOMEM;
	if (op == REQ_OP_WRITE)
		memcpy(page_address(page), buf, PAGE_SIZE);
	bio = bio_alloc(bdev, 1, op | REQ_SYNC, GFP_KERNEL);
	bio->bi_iter.bi_sector = 0;
	bio_add_page(bio, page, PAGE_SIZE, 0);
	ret = submit_bio_wait(bio);
	bio_put(bio);
	if (!ret && op == REQ_OP_READ)
		memcpy(buf, page_address(page), PAGE_SIZE);
	__free_page(page);
	return ret;
}

static struct swap_info_struct *find_active(struct swapfile_state *s, struct block_device *bdev,
					    struct inode *inode)
{
	for (unsigned int t = 0; t < s->nr_swapfiles; t++) {
		struct swap_info_struct *si = s->swap_info[t];

		if (!si || !(si->flags & SWP_USED) || !si->priv)
			continue;
		if (inode && si->swap_file && file_inode(si->swap_file) == inode)
			return si;
		if (!inode && (si->flags & SWP_BLKDEV) && si->bdev == bdev)
			return si;
	}
	return NULL;
}

static void log_adding(struct swap_info_struct *si)
{
	struct swap_area *a = swap_area_of(si);

	pr_info("Adding %lluk swap on %s.  Priority:%d extents:%u across:%lluk %s%s%s%s\n",
		K(si->pages), si->name, si->prio, a->nr_extents, K(a->span),
		(si->flags & SWP_SOLIDSTATE) ? "SS" : "",
		(si->flags & SWP_DISCARDABLE) ? "D" : "",
		(si->flags & SWP_AREA_DISCARD) ? "s" : "",
		(si->flags & SWP_PAGE_DISCARD) ? "c" : "");
}

/* swapon of a whole disk (/dev/vdX). */
static long swapon_bdev(struct swapfile_state *s, const char *name, struct block_device *bdev,
			int prio)
{
	unsigned long dev_pages = (unsigned long)(bdev_nr_sectors(bdev) >> (PAGE_SHIFT - SECTOR_SHIFT));
	struct swap_info_struct *si;
	struct swap_extent *ext;
	unsigned int maxpages, nr_bad;
	void *hdr;
	u32 *bad;
	int err;

	if (bdev == mmsim_root_bdev(current_machine()) || find_active(s, bdev, NULL))
		return -EBUSY;	/* bd_prepare_to_claim: mounted, or swapped on */
	hdr = malloc(PAGE_SIZE);
	if (!hdr)
		return -ENOMEM;
	err = bdev_rw_page(bdev, REQ_OP_READ, hdr);
	if (err) {
		free(hdr);
		return err;
	}
	maxpages = read_swap_header(hdr, dev_pages, false, &bad, &nr_bad);
	free(hdr);
	if (!maxpages)
		return -EINVAL;
	ext = calloc(1, sizeof(*ext));
	if (!ext) {
		free(bad);
		return -ENOMEM;
	}
	*ext = (struct swap_extent){ .start_page = 0, .nr_pages = maxpages, .start_block = 0 };
	si = swap_area_create(s, name, bdev, NULL, maxpages, ext, 1, 0, bad, nr_bad, &err);
	free(bad);
	if (!si)
		return err;
	swap_area_of(si)->span = si->pages;
	WRITE_ONCE(si->flags, si->flags | SWP_BLKDEV);
	swap_area_enable(s, si, prio);
	log_adding(si);
	return 0;
}

/*
 * generic_swapfile_activate: the file's pages [0, maxpages) as extents of
 * its disk, in PAGE_SIZE blocks.  Returns the pages mapped (the new max) or
 * 0 with -errno in *errp.
 */
static unsigned int swapfile_extents(struct inode *inode, unsigned int maxpages,
				     struct swap_extent **extp, unsigned int *nr_ext,
				     unsigned long long *span, int *errp)
{
	struct address_space *mapping = inode->i_mapping;
	unsigned int blkbits = inode->i_blkbits ? inode->i_blkbits : PAGE_SHIFT;
	unsigned long blocks_per_page = PAGE_SIZE >> blkbits;
	u64 last_block = (u64)i_size_read(inode) >> blkbits;
	u64 lowest = ~0ULL, highest = 0;
	unsigned int page_no = 0, n = 0, cap = 16;
	struct swap_extent *ext;
	u64 probe;

	if (!mapping->a_ops || !mapping->a_ops->bmap || blkbits > PAGE_SHIFT) {
		*errp = -EINVAL;
		return 0;
	}
	ext = calloc(cap, sizeof(*ext));
	if (!ext) {
		*errp = -ENOMEM;
		return 0;
	}
	for (probe = 0; probe + blocks_per_page <= last_block && page_no < maxpages;) {
		sector_t first = mapping->a_ops->bmap(mapping, probe);
		u64 page_block;
		bool ok = true;

		if (!first) {
			pr_err("swapon: swapfile has holes\n");
			free(ext);
			*errp = -EINVAL;
			return 0;
		}
		if (first & (blocks_per_page - 1)) {
			probe++;	/* not page-aligned on disk: try the next block */
			continue;
		}
		for (unsigned long b = 1; b < blocks_per_page; b++) {
			sector_t blk = mapping->a_ops->bmap(mapping, probe + b);

			if (!blk) {
				pr_err("swapon: swapfile has holes\n");
				free(ext);
				*errp = -EINVAL;
				return 0;
			}
			if (blk != first + b)
				ok = false;
		}
		if (!ok) {
			probe++;
			continue;
		}
		page_block = first >> (PAGE_SHIFT - blkbits);
		if (page_no) {
			if (page_block < lowest)
				lowest = page_block;
			if (page_block > highest)
				highest = page_block;
		}
		if (n && ext[n - 1].start_block + ext[n - 1].nr_pages == page_block &&
		    ext[n - 1].start_page + ext[n - 1].nr_pages == page_no) {
			ext[n - 1].nr_pages++;	/* add_swap_extent merges */
		} else {
			if (n == cap) {
				struct swap_extent *bigger = realloc(ext, 2 * cap * sizeof(*ext));

				if (!bigger) {
					free(ext);
					*errp = -ENOMEM;
					return 0;
				}
				ext = bigger;
				cap *= 2;
			}
			ext[n++] = (struct swap_extent){ .start_page = page_no, .nr_pages = 1,
							 .start_block = page_block };
		}
		page_no++;
		probe += blocks_per_page;
	}
	if (page_no <= 1) {
		free(ext);
		*errp = -EINVAL;
		return 0;
	}
	*extp = ext;
	*nr_ext = n;
	*span = 1 + highest - lowest;
	return page_no;
}

static long swapon_file(struct swapfile_state *s, const char *path, int prio)
{
	struct file *file = filp_open(path, O_RDWR | O_LARGEFILE, 0);
	struct swap_info_struct *si;
	struct swap_extent *ext = NULL;
	unsigned int maxpages, nr_bad, nr_ext = 0;
	unsigned long long span = 0;
	struct inode *inode;
	loff_t pos = 0;
	void *hdr;
	u32 *bad;
	int err = 0;

	if (IS_ERR(file))
		return PTR_ERR(file);
	inode = file_inode(file);
	if (!S_ISREG(inode->i_mode)) {
		err = -EINVAL;
		goto out;
	}
	if (find_active(s, NULL, inode)) {
		err = -EBUSY;
		goto out;
	}
	if (i_size_read(inode) < (loff_t)PAGE_SIZE) {
		err = -EINVAL;
		goto out;
	}
	hdr = malloc(PAGE_SIZE);
	if (!hdr) {
		err = -ENOMEM;
		goto out;
	}
	if (kernel_read(file, hdr, PAGE_SIZE, &pos) != (ssize_t)PAGE_SIZE) {
		free(hdr);
		err = -EINVAL;
		goto out;
	}
	maxpages = read_swap_header(hdr, (unsigned long)(i_size_read(inode) >> PAGE_SHIFT), true,
				    &bad, &nr_bad);
	free(hdr);
	if (!maxpages) {
		err = -EINVAL;
		goto out;
	}
	/* Its data must be on disk before the area writes under the page cache. */
	err = vfs_fsync(file, 0);
	if (err)
		goto out_bad;
	maxpages = swapfile_extents(inode, maxpages, &ext, &nr_ext, &span, &err);
	if (!maxpages)
		goto out_bad;
	si = swap_area_create(s, file->f_name ? file->f_name : path, inode->i_sb->s_bdev, file,
			      maxpages, ext, nr_ext, span, bad, nr_bad, &err);
	if (!si)
		goto out_bad;
	free(bad);
	swap_area_enable(s, si, prio);
	log_adding(si);
	return 0;
out_bad:
	free(bad);
out:
	fput(file);
	return err;
}

/* "/dev/vdX" of one of the machine's disks, or NULL. */
static struct block_device *dev_path_bdev(const char *path)
{
	if (strncmp(path, "/dev/", 5) || !path[5])
		return NULL;
	return blk_lookup_disk(current_machine(), path + 5);
}

long sys_swapon(const char *path, int swap_flags)
{
	struct swapfile_state *s = swapfile_state_of(current_machine());
	struct block_device *bdev;
	int prio = -1;
	long ret;

	if (swap_flags & ~SWAP_FLAGS_VALID)
		return -EINVAL;
	if (!s || !s->up)
		return -ENOSYS;
	if (!path)
		return -EFAULT;
	if (swap_flags & SWAP_FLAG_PREFER)
		prio = (swap_flags & SWAP_FLAG_PRIO_MASK) >> SWAP_FLAG_PRIO_SHIFT;
	pthread_mutex_lock(&s->swapon_mutex);
	bdev = dev_path_bdev(path);
	if (bdev)
		ret = swapon_bdev(s, path, bdev, prio);
	else
		ret = swapon_file(s, path, prio);
	pthread_mutex_unlock(&s->swapon_mutex);
	return ret;
}

long sys_swapoff(const char *path)
{
	struct swapfile_state *s = swapfile_state_of(current_machine());
	struct swap_info_struct *si;
	struct block_device *bdev;
	struct file *victim = NULL;
	struct task_struct *t = current;
	int err;

	if (!s || !s->up)
		return -ENOSYS;
	if (!path)
		return -EFAULT;
	bdev = dev_path_bdev(path);
	if (!bdev) {
		victim = filp_open(path, O_RDWR | O_LARGEFILE, 0);
		if (IS_ERR(victim))
			return PTR_ERR(victim);
	}
	pthread_mutex_lock(&s->swapon_mutex);
	si = find_active(s, bdev, victim ? file_inode(victim) : NULL);
	if (!si || !(si->flags & SWP_WRITEOK)) {
		err = -EINVAL;
		goto out;
	}
	if (security_vm_enough_memory_mm(t ? t->mm : NULL, si->pages)) {
		err = -ENOMEM;
		goto out;
	}
	vm_unacct_memory(si->pages);
	swap_area_disable(s, si);
	err = try_to_unuse((unsigned int)si->type);
	if (!err && READ_ONCE(si->inuse_pages))
		err = -EBUSY;	/* try_to_unuse left slots in use (no swap-in yet) */
	if (err) {
		swap_area_reinsert(s, si);
		goto out;
	}
	if (si->swap_file)
		fput(si->swap_file);
	swap_area_destroy(s, si);
out:
	pthread_mutex_unlock(&s->swapon_mutex);
	if (victim)
		fput(victim);
	return err;
}

/* ---------------------------------------------------------------------
 * mkswap
 */

int mmsim_mkswap(const char *path)
{
	struct file *file = filp_open(path, O_RDWR | O_LARGEFILE, 0);
	unsigned long pages;
	loff_t pos = 0;
	void *hdr;
	int err = 0;

	if (IS_ERR(file))
		return (int)PTR_ERR(file);
	if (!S_ISREG(file_inode(file)->i_mode)) {
		err = -EINVAL;
		goto out;
	}
	pages = (unsigned long)(i_size_read(file_inode(file)) >> PAGE_SHIFT);
	if (pages < SWAP_MIN_PAGES) {
		err = -EINVAL;
		goto out;
	}
	if (pages - 1 > 0xffffffffUL)
		pages = 0x100000000UL;
	hdr = malloc(PAGE_SIZE);
	if (!hdr) {
		err = -ENOMEM;
		goto out;
	}
	swap_header_build(hdr, pages, file_inode(file)->i_ino);
	if (kernel_write(file, hdr, PAGE_SIZE, &pos) != (ssize_t)PAGE_SIZE)
		err = -EIO;
	free(hdr);
	if (!err)
		err = vfs_fsync(file, 0);
out:
	fput(file);
	return err;
}

int mmsim_mkswap_file(const char *path, unsigned long long bytes)
{
	enum { CHUNK = 64 * 1024 };
	struct file *file;
	unsigned long long done = 0;
	loff_t pos = 0;
	void *zero;
	int err = 0;

	bytes &= ~((unsigned long long)PAGE_SIZE - 1);
	if (bytes < (unsigned long long)SWAP_MIN_PAGES * PAGE_SIZE)
		return -EINVAL;
	file = filp_open(path, O_RDWR | O_CREAT | O_TRUNC | O_LARGEFILE, 0600);
	if (IS_ERR(file))
		return (int)PTR_ERR(file);
	zero = calloc(1, CHUNK);
	if (!zero) {
		fput(file);
		return -ENOMEM;
	}
	while (done < bytes) {	/* dd if=/dev/zero: every block allocated, no holes */
		size_t n = bytes - done < CHUNK ? (size_t)(bytes - done) : CHUNK;
		ssize_t w = kernel_write(file, zero, n, &pos);

		if (w <= 0) {
			err = w < 0 ? (int)w : -EIO;
			break;
		}
		done += (unsigned long long)w;
	}
	free(zero);
	fput(file);
	return err ? err : mmsim_mkswap(path);
}

/* ---------------------------------------------------------------------
 * /proc/swaps
 */

/* seq_file_path's escaping of " \t\n\\": octal \ooo. */
static int put_escaped(struct seq_file *sf, const char *name)
{
	int len = 0;

	for (const char *p = name; *p; p++) {
		if (strchr(" \t\n\\", *p)) {
			seq_printf(sf, "\\%03o", (unsigned char)*p);
			len += 4;
		} else {
			seq_putc(sf, *p);
			len++;
		}
	}
	return len;
}

static int swaps_show(struct seq_file *sf, struct proc_file *f)
{
	struct swapfile_state *s = swapfile_state_of(f->m);

	seq_puts(sf, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	if (!s || !s->up)
		return 0;
	spin_lock(&s->swap_lock);
	for (unsigned int t = 0; t < s->nr_swapfiles; t++) {
		struct swap_info_struct *si = s->swap_info[t];
		unsigned long long bytes, inuse;
		int len;

		if (!si || !(si->flags & SWP_USED) || !si->swap_map)
			continue;
		bytes = K(si->pages);
		inuse = K(READ_ONCE(si->inuse_pages));
		len = put_escaped(sf, si->name);
		seq_printf(sf, "%*s%s\t%llu\t%s%llu\t%s%d\n", len < 40 ? 40 - len : 1, " ",
			   (si->flags & SWP_BLKDEV) ? "partition" : "file\t",
			   bytes, bytes < 10000000 ? "\t" : "",
			   inuse, inuse < 10000000 ? "\t" : "", si->prio);
	}
	spin_unlock(&s->swap_lock);
	return 0;
}

static int fail_show(struct seq_file *sf, struct proc_file *f)
{
	struct swapfile_state *s = swapfile_state_of(f->m);

	seq_printf(sf, "%lu\n", s ? READ_ONCE(s->fail_nth) : 0);
	return 0;
}

static int fail_store(struct proc_file *f, const char *text)
{
	struct swapfile_state *s = swapfile_state_of(f->m);
	char buf[32];
	long v;

	snprintf(buf, sizeof(buf), "%s", text);
	buf[strcspn(buf, "\n")] = '\0';
	if (!s || !s->up || cmdline_int(buf, 0, 1L << 30, &v))
		return -EINVAL;
	spin_lock(&s->swap_lock);
	s->fail_nth = (unsigned long)v;
	s->fail_count = 0;
	spin_unlock(&s->swap_lock);
	return 0;
}

static const struct proc_entry swapfile_files[] = {
	{ "/proc/swaps", swaps_show, NULL, NULL },
	{ "/sys/kernel/debug/fail_swap_alloc", fail_show, fail_store, NULL },
};

/* ---------------------------------------------------------------------
 * swap=SIZE[@PRIO],...  and the subsystem
 */

static int setup_swap(void *state, const struct kernel_param *kp, const char *word,
		      const char *val, char *err, size_t len)
{
	struct swapfile_state *s = state;
	char buf[512], *save = NULL, *tok;

	(void)kp;
	if (!*val)
		return cmdline_fail(err, len, "'%s': value missing", word);
	if (strlen(val) >= sizeof(buf))
		return cmdline_fail(err, len, "'%s': value too long", word);
	strcpy(buf, val);
	s->nr_boot = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *at = strchr(tok, '@');
		long prio = -1;
		u64 bytes;

		if (s->nr_boot >= SWAP_BOOT_MAX)
			return cmdline_fail(err, len, "'%s': at most %d areas", word, SWAP_BOOT_MAX);
		if (at) {
			*at = '\0';
			if (cmdline_int(at + 1, 0, SWAP_FLAG_PRIO_MASK, &prio))
				return cmdline_fail(err, len, "'%s': invalid priority '%s' (0 to %d)",
						    word, at + 1, SWAP_FLAG_PRIO_MASK);
		}
		if (memparse_strict(tok, &bytes) || !*tok)
			return cmdline_fail(err, len, "'%s': invalid size '%s'", word, tok);
		if (bytes < (u64)SWAP_MIN_PAGES << 16)	/* 10 pages of the largest (64K) page */
			return cmdline_fail(err, len, "'%s': area '%s' too small: at least 640K",
					    word, tok);
		if (bytes > (1ULL << 44))
			return cmdline_fail(err, len, "'%s': area '%s' too large: at most 16T",
					    word, tok);
		s->boot_bytes[s->nr_boot] = bytes;
		s->boot_prio[s->nr_boot] = (int)prio;
		s->nr_boot++;
	}
	if (!s->nr_boot)
		return cmdline_fail(err, len, "'%s': no area", word);
	return 0;
}

static const struct kernel_param swapfile_params[] = {
	__setup("swap", setup_swap),
};

static int swapfile_core_init(struct mmsim *m, char *err, size_t len)
{
	(void)err, (void)len;
	swap_area_lists_init(swapfile_state_of(m));
	return 0;
}

/* The boot areas' disks and headers (mkswap /dev/vdX), before anything swaps. */
static int swapfile_disks_init(struct mmsim *m, char *err, size_t len)
{
	struct swapfile_state *s = swapfile_state_of(m);

	for (unsigned int i = 0; i < s->nr_boot; i++) {
		u64 bytes = s->boot_bytes[i] & ~((u64)PAGE_SIZE - 1);
		void *hdr;
		int ret;

		s->boot_bdev[i] = blk_add_disk(m, bytes, err, len);
		if (!s->boot_bdev[i])
			return -EINVAL;
		hdr = malloc(PAGE_SIZE);
		if (!hdr)
			return cmdline_fail(err, len, "swap: out of memory");
		swap_header_build(hdr, (unsigned long)(bytes >> PAGE_SHIFT), i + 1);
		ret = bdev_rw_page(s->boot_bdev[i], REQ_OP_WRITE, hdr);
		free(hdr);
		if (ret)
			return cmdline_fail(err, len, "swap: cannot write the header of area %u", i);
	}
	return 0;
}

/* swapon of the boot areas, in order (as an init script's swapon -a). */
static int swapfile_late_init(struct mmsim *m, char *err, size_t len)
{
	struct swapfile_state *s = swapfile_state_of(m);

	for (unsigned int i = 0; i < s->nr_boot; i++) {
		char name[48];
		long ret;

		snprintf(name, sizeof(name), "/dev/%s", s->boot_bdev[i]->bd_disk->disk_name);
		pthread_mutex_lock(&s->swapon_mutex);
		ret = swapon_bdev(s, name, s->boot_bdev[i], s->boot_prio[i]);
		pthread_mutex_unlock(&s->swapon_mutex);
		if (ret)
			return cmdline_fail(err, len, "swapon %s: error %ld", name, ret);
	}
	return 0;
}

/*
 * Shutdown: the swap files are closed before / is unmounted; the areas'
 * maps stay (host memory) until the state is released, so that the exits
 * that run later (tasks, SysV shm, tmpfs) can still drop their entries.
 */
static void swapfile_exit(struct mmsim *m)
{
	struct swapfile_state *s = swapfile_state_of(m);

	if (!s || !s->up)
		return;
	for (unsigned int t = 0; t < s->nr_swapfiles; t++) {
		struct swap_info_struct *si = s->swap_info[t];

		if (si && si->swap_file) {
			fput(si->swap_file);
			si->swap_file = NULL;
		}
	}
}

static void swapfile_release(void *state)
{
	struct swapfile_state *s = state;

	if (!s->up)
		return;
	for (unsigned int t = 0; t < s->nr_swapfiles; t++) {
		struct swap_info_struct *si = s->swap_info[t];

		if (!si)
			continue;
		swap_area_release(si);
		free(si);
		s->swap_info[t] = NULL;
	}
	s->nr_swapfiles = 0;
	s->up = false;
	pthread_mutex_destroy(&s->swapon_mutex);
}

static int swapfile_proc_init(struct mmsim *m, char *err, size_t len)
{
	(void)m, (void)err, (void)len;
	return proc_create_table(swapfile_files);
}

static const struct initcall swapfile_initcalls[] = {
	core_initcall(swapfile_core_init, swapfile_exit),
	fs_initcall(swapfile_proc_init, NULL),
	device_initcall(swapfile_disks_init, NULL),
	late_initcall(swapfile_late_init, NULL),
};

DEFINE_SUBSYSTEM(swapfile, SUBSYS_STATE(struct swapfile_state, NULL),
		 SUBSYS_PARAMS(swapfile_params), SUBSYS_INITCALLS(swapfile_initcalls),
		 .state_release = swapfile_release);
