// SPDX-License-Identifier: GPL-2.0
/*
 * arch/ldt.c - a process's Local Descriptor Table and modify_ldt(2)
 * (Linux's arch/x86/kernel/ldt.c; docs/segmentation.md).
 *
 * The LDT of an mm is mm->context.ldt: a struct ldt_struct (kmalloc'd)
 * whose entries live in simulated memory, a zeroed page while they fit in
 * one (512 descriptors) and vmalloc'd above that, as Linux allocates them
 * (alloc_ldt_struct).  A write never edits the table in place: it builds a
 * new table of max(entry + 1, old size) entries, copies the old one, sets
 * the entry, publishes the new pointer (release store; loads read it with
 * acquire, arch/segment.c) and frees the old table (Linux's install_ldt +
 * free_ldt_struct).  Segment registers already loaded from an LDT entry
 * keep their hidden descriptor, as on the CPU; Linux then reloads DS/ES
 * (and FS/GS on i386) from the new table (refresh_ldt_segments), and so
 * does write_ldt() here for current (a selector that no longer loads
 * becomes null, as loadsegment's fixup makes it).
 *
 * modify_ldt(func, ptr, bytecount):
 *   0     read_ldt: copy min(bytecount, size of the LDT) bytes, zero-fill
 *         the rest up to bytecount (capped at LDT_ENTRIES * 8); return
 *         bytecount, or 0 with no LDT;
 *   1     write_ldt, old mode: the AVL ("useable") bit is cleared, and
 *         base 0 + limit 0 clears the entry;
 *   0x11  write_ldt, new mode: clears only for an LDT_empty() user_desc
 *         (base 0, limit 0, contents 0, read_exec_only 1, seg_32bit 0,
 *         limit_in_pages 0, seg_not_present 1, useable 0);
 *   2     read_default_ldt: zeroes min(bytecount, 128 on x86_64 / 5 * 8 on
 *         i386) bytes and returns that count;
 *   other -ENOSYS.
 * A write needs bytecount == sizeof(struct user_desc) (-EINVAL),
 * entry_number < LDT_ENTRIES (-EINVAL), and refuses contents == 3
 * (type bits 3:2 = 11: conforming code) in old mode, and in new mode
 * unless seg_not_present is set (-EINVAL).  16-bit segments (seg_32bit 0)
 * are allowed, as with Linux's default CONFIG_X86_16BIT=y.  fill_ldt() makes the descriptor: DPL 3, S 1, accessed set,
 * L never set.  @ptr is host memory (DESIGN §3b's rule for host
 * pointers).  On arm64: -ENOSYS.
 *
 * Lifetime: fork copies the LDT (ldt_dup_context from dup_mm, into new
 * simulated memory); the last mmdrop frees it (destroy_context_ldt from
 * __mmdrop).  A failed copy fails the fork with -ENOMEM.
 *
 * Locking: writes run under the mm's mmap_lock for writing (Linux has a
 * separate context.ldt_usr_sem); readers take no lock.  A process has one
 * thread here, so the only reader of an mm's LDT is the CPU running its
 * task, and the old table can be freed at once (Linux waits for the other
 * CPUs through the flush_ldt IPI).
 *
 * Invariant: mm->context.ldt is NULL or has 1 <= nr_entries <= LDT_ENTRIES
 * entries, every one of them zero or made by fill_ldt (DPL 3, S 1).
 */
#include <errno.h>
#include <string.h>
#include <mmsim/mmsim.h>
#include <mmsim/segment.h>
#include <mmsim/syscalls.h>
#include <mmsim/sched.h>
#include <mmsim/gfp.h>
#include <mmsim/slab.h>
#include <mmsim/vmalloc.h>
#include <mmsim/mm_struct.h>

static bool ldt_arch_ok(void)
{
	return current_layout && current_layout->arch != ARCH_ARM64;
}

static struct ldt_struct *alloc_ldt_struct(unsigned int num_entries)
{
	struct ldt_struct *ldt;
	size_t size = (size_t)num_entries * LDT_ENTRY_SIZE;

	if (num_entries > LDT_ENTRIES)
		return NULL;
	ldt = kmalloc(sizeof(*ldt), GFP_KERNEL);
	if (!ldt)
		return NULL;
	if (size > PAGE_SIZE)
		ldt->entries = vzalloc(size);
	else
		ldt->entries = (struct desc_struct *)get_zeroed_page(GFP_KERNEL);
	if (!ldt->entries) {
		kfree(ldt);
		return NULL;
	}
	ldt->nr_entries = num_entries;
	return ldt;
}

static void free_ldt_struct(struct ldt_struct *ldt)
{
	if (!ldt)
		return;
	if ((size_t)ldt->nr_entries * LDT_ENTRY_SIZE > PAGE_SIZE)
		vfree(ldt->entries);
	else
		free_page((unsigned long)ldt->entries);
	kfree(ldt);
}

int ldt_dup_context(struct mm_struct *old_mm, struct mm_struct *mm)
{
	struct ldt_struct *old = old_mm->context.ldt, *new;

	if (!old)
		return 0;
	new = alloc_ldt_struct(old->nr_entries);
	if (!new)
		return -ENOMEM;
	memcpy(new->entries, old->entries, (size_t)old->nr_entries * LDT_ENTRY_SIZE);
	mm->context.ldt = new;
	return 0;
}

void destroy_context_ldt(struct mm_struct *mm)
{
	free_ldt_struct(mm->context.ldt);
	mm->context.ldt = NULL;
}

static bool ldt_empty(const struct user_desc *info)
{
	return info->base_addr == 0 && info->limit == 0 && info->contents == 0 &&
	       info->read_exec_only == 1 && info->seg_32bit == 0 && info->limit_in_pages == 0 &&
	       info->seg_not_present == 1 && info->useable == 0 && info->lm == 0;
}

/* Linux's fill_ldt (asm/desc.h). */
static void fill_ldt(struct desc_struct *d, const struct user_desc *info)
{
	memset(d, 0, sizeof(*d));
	d->limit0 = info->limit & 0xffff;
	d->base0 = info->base_addr & 0xffff;
	d->base1 = (info->base_addr >> 16) & 0xff;
	d->type = ((info->read_exec_only ^ 1) << 1) | (info->contents << 2) |
		  DESC_TYPE_ACCESSED;
	d->s = 1;
	d->dpl = 3;
	d->p = info->seg_not_present ^ 1;
	d->limit1 = (info->limit >> 16) & 0xf;
	d->avl = info->useable;
	d->d = info->seg_32bit;
	d->g = info->limit_in_pages;
	d->base2 = (info->base_addr >> 24) & 0xff;
	d->l = 0;
}

static long read_ldt(void *ptr, unsigned long bytecount)
{
	struct mm_struct *mm = current->mm;
	struct ldt_struct *ldt;
	unsigned long size;

	mmap_read_lock(mm);
	ldt = mm->context.ldt;
	if (!ldt) {
		mmap_read_unlock(mm);
		return 0;
	}
	if (bytecount > LDT_ENTRY_SIZE * LDT_ENTRIES)
		bytecount = LDT_ENTRY_SIZE * LDT_ENTRIES;
	if (!ptr && bytecount) {
		mmap_read_unlock(mm);
		return -EFAULT;
	}
	size = (unsigned long)ldt->nr_entries * LDT_ENTRY_SIZE;
	if (size > bytecount)
		size = bytecount;
	memcpy(ptr, ldt->entries, size);
	mmap_read_unlock(mm);
	if (size != bytecount)
		memset((char *)ptr + size, 0, bytecount - size);
	return (long)bytecount;
}

static long read_default_ldt(void *ptr, unsigned long bytecount)
{
	unsigned long size = seg_x86_32() ? 5 * sizeof(struct desc_struct) : 128;

	if (bytecount > size)
		bytecount = size;
	if (!ptr && bytecount)
		return -EFAULT;
	memset(ptr, 0, bytecount);
	return (long)bytecount;
}

/* refresh_ldt_segments: reload current's LDT selectors from the new table. */
static void refresh_ldt_segments(void)
{
	static const int regs[] = { SEG_DS, SEG_ES, SEG_FS, SEG_GS, SEG_SS, SEG_CS };
	struct seg_regs *r = seg_current_regs();

	if (!r)
		return;
	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		u16 sel = r->r[regs[i]].sel;

		if (!(sel & SEGMENT_TI_MASK))
			continue;
		if (regs[i] == SEG_CS || regs[i] == SEG_SS) {
			/* not reloaded by Linux: the next IRET does it */
			continue;
		}
		if (load_seg(regs[i], sel, NULL))
			load_seg(regs[i], 0, NULL);
	}
}

static long write_ldt(const void *ptr, unsigned long bytecount, int oldmode)
{
	struct mm_struct *mm = current->mm;
	struct ldt_struct *new_ldt, *old_ldt;
	unsigned int old_nr_entries, new_nr_entries;
	struct user_desc ldt_info;
	struct desc_struct ldt;

	if (bytecount != sizeof(ldt_info))
		return -EINVAL;
	if (!ptr)
		return -EFAULT;
	memcpy(&ldt_info, ptr, sizeof(ldt_info));
	if (ldt_info.entry_number >= LDT_ENTRIES)
		return -EINVAL;
	if (ldt_info.contents == 3) {
		if (oldmode)
			return -EINVAL;
		if (ldt_info.seg_not_present == 0)
			return -EINVAL;
	}
	if ((ldt_info.base_addr == 0 && ldt_info.limit == 0) && (oldmode || ldt_empty(&ldt_info))) {
		memset(&ldt, 0, sizeof(ldt));	/* the user clears an entry */
	} else {
		fill_ldt(&ldt, &ldt_info);
		if (oldmode)
			ldt.avl = 0;
	}

	mmap_write_lock(mm);
	old_ldt = mm->context.ldt;
	old_nr_entries = old_ldt ? old_ldt->nr_entries : 0;
	new_nr_entries = ldt_info.entry_number + 1 > old_nr_entries ? ldt_info.entry_number + 1
								    : old_nr_entries;
	new_ldt = alloc_ldt_struct(new_nr_entries);
	if (!new_ldt) {
		mmap_write_unlock(mm);
		return -ENOMEM;
	}
	if (old_ldt)
		memcpy(new_ldt->entries, old_ldt->entries, (size_t)old_nr_entries * LDT_ENTRY_SIZE);
	new_ldt->entries[ldt_info.entry_number] = ldt;
	__atomic_store_n(&mm->context.ldt, new_ldt, __ATOMIC_RELEASE);
	free_ldt_struct(old_ldt);
	mmap_write_unlock(mm);
	refresh_ldt_segments();
	return 0;
}

long sys_modify_ldt(int func, void *ptr, unsigned long bytecount)
{
	struct task_struct *tsk = current;

	if (!tsk)
		return -ESRCH;
	if (!ldt_arch_ok() || !tsk->mm)
		return -ENOSYS;
	switch (func) {
	case 0:
		return read_ldt(ptr, bytecount);
	case 1:
		return write_ldt(ptr, bytecount, 1);
	case 2:
		return read_default_ldt(ptr, bytecount);
	case 0x11:
		return write_ldt(ptr, bytecount, 0);
	default:
		return -ENOSYS;
	}
}
