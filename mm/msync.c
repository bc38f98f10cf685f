// SPDX-License-Identifier: GPL-2.0
/*
 * mm/msync.c - msync(2), Linux 6.x.  Anonymous memory has nothing to
 * write back, so msync only validates: -EINVAL for unknown flags, an
 * unaligned start or MS_ASYNC|MS_SYNC; -ENOMEM when the range wraps or
 * covers unmapped addresses (at once for plain MS_ASYNC, after the rest
 * of the range otherwise); -EBUSY for MS_INVALIDATE over a VM_LOCKED VMA.
 * MS_SYNC over a shared file mapping writes and waits for that range of
 * the file (vfs_fsync_range with datasync = 1, mmap_lock dropped around
 * it, as Linux); MS_ASYNC does nothing more (Linux 2.6.19+).
 *
 * Locking: mmap_lock for reading.
 */
#include <mmsim/fs.h>
#include "mm/vma.h"

long sys_msync(unsigned long start, size_t len, int flags)
{
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	unsigned long end;
	long error = syscall_enter_check(), unmapped_error = 0;

	if (error)
		return error;
	mm = current_user_mm();
	error = -EINVAL;
	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		goto out;
	if (start & ~PAGE_MASK)
		goto out;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		goto out;
	error = -ENOMEM;
	len = (len + ~PAGE_MASK) & PAGE_MASK;
	end = start + len;
	if (end < start)
		goto out;
	error = 0;
	if (end == start)
		goto out;
	mmap_read_lock(mm);
	vma = find_vma(mm, start);
	for (;;) {
		error = -ENOMEM;
		if (!vma)
			goto out_unlock;
		if (start < vma->vm_start) {
			if (flags == MS_ASYNC)
				goto out_unlock;
			start = vma->vm_start;
			if (start >= end)
				goto out_unlock;
			unmapped_error = -ENOMEM;
		}
		if ((flags & MS_INVALIDATE) && (vma->vm_flags & VM_LOCKED)) {
			error = -EBUSY;
			goto out_unlock;
		}
		{
			struct file *file = vma->vm_file;
			loff_t fstart = (loff_t)(start - vma->vm_start) +
					((loff_t)vma->vm_pgoff << PAGE_SHIFT);
			loff_t fend = fstart + (loff_t)((end < vma->vm_end ? end : vma->vm_end) -
							start) - 1;

			start = vma->vm_end;
			if ((flags & MS_SYNC) && file && (vma->vm_flags & VM_SHARED) &&
			    file->f_op && file->f_op->fsync) {
				get_file(file);
				mmap_read_unlock(mm);
				error = vfs_fsync_range(file, fstart, fend, 1);
				fput(file);
				if (error || start >= end)
					goto out;
				mmap_read_lock(mm);
				vma = find_vma(mm, start);
				continue;
			}
		}
		if (start >= end) {
			error = 0;
			goto out_unlock;
		}
		vma = find_vma(mm, start);
	}
out_unlock:
	mmap_read_unlock(mm);
out:
	return error ? error : unmapped_error;
}
