// SPDX-License-Identifier: GPL-2.0
/*
 * ipc/shm.c - SysV shared memory: shmget, shmat, shmdt, shmctl on top of
 * shmem (mm/shmem.c), with Linux's semantics, limits and /proc formats.
 *
 * Design.  Each machine's subsystem state (shm) holds the segments in an
 * allocating XArray (Linux's ipc_ids IDR): a segment's index is its slot,
 * its id is (seq << 15) + index, seq counting the segments ever made (as
 * Linux's ipc_idr_alloc; wrapping at INT_MAX >> 15).  A segment
 * (struct shmid_kernel) owns a shmem file "/SYSV%08x" made by
 * shmem_kernel_file_setup, charged to Committed_AS unless SHM_NORESERVE
 * (outside overcommit mode 2), as Linux's newseg.  Its private_data points
 * at the segment and its f_op->mmap is shm_mmap, so shmat is do_mmap of that
 * file with MAP_SHARED: the VMA takes a file reference, shm_mmap lets
 * shmem set it up (shmem_mmap) and then puts shm_vm_ops in its place,
 * which wrap shmem's fault and count attaches: ->open (fork's copy of the
 * VMA, a split) and shm_mmap add one to shm_nattch, ->close (munmap, exit,
 * shmdt) takes one away.  Unlike Linux there is no per-attach file: every
 * attach maps the segment's own file (mmap_region never merges VMAs of a
 * file with f_op->mmap hooks, so each attach stays its own VMA).
 *
 * Lifetime: IPC_RMID destroys a segment with no attaches at once; else it
 * is marked SHM_DEST, its key becomes IPC_PRIVATE, and the last ->close
 * destroys it (with kernel.shm_rmid_forced, any segment whose last attach
 * goes is destroyed).  Destroying removes the id and drops the segment's
 * file reference; the file, and with it every page, goes with the last
 * VMA's reference (vm_area_free after ->close) -- or at once when no VMA
 * maps it.  A task's exit (exit_shm, from kernel/exit.c after its mm is
 * gone) orphans the segments it created and, with shm_rmid_forced,
 * destroys those without attaches.  At machine shutdown the tasks are gone
 * first (pid exits before shm) and every remaining segment is destroyed.
 *
 * Locking: one mutex per machine (ids_lock, Linux's ids->rwsem plus the
 * per-object locks) guards the XArray, every segment's fields and the
 * counters.  The order is mmap_lock -> ids_lock: ->open and ->close run
 * under mmap_lock; shmat drops ids_lock before do_mmap, as Linux does.
 *
 * Invariants: shm_nattch == the VMAs (in every mm) whose vm_ops is
 * shm_vm_ops and vm_file the segment's file; shm_tot == the pages of the
 * segments in the XArray; a segment in the XArray has SHM_DEST only while
 * it has attaches.
 */
#include <string.h>
#include <stdlib.h>
#include <limits.h>
#include <errno.h>
#include <stdio.h>
#include <pthread.h>
#include <mmsim/err.h>
#include <mmsim/ipc.h>
#include <mmsim/shm.h>
#include <mmsim/shmem_fs.h>
#include <mmsim/sched.h>
#include <mmsim/mman.h>
#include <mmsim/syscalls.h>
#include <mmsim/slab.h>
#include <mmsim/xarray.h>
#include <mmsim/jiffies.h>
#include <mmsim/proc_fs.h>
#include <mmsim/seq_file.h>
#include <mmsim/sysctl.h>
#include "init/init.h"
#include "init/machine.h"
#include "mm/vma.h"
#include <mmsim/hugetlb.h>

#define IPCMNI_SHIFT	15
#define IPCID_SEQ_MAX	(INT_MAX >> IPCMNI_SHIFT)
#define S_IRWXUGO	0777

struct shmid_kernel {
	struct ipc64_perm shm_perm;	/* key, mode, seq; uid... all root */
	int id;
	struct file *shm_file;
	unsigned long shm_nattch;
	unsigned long shm_segsz;
	long shm_atim, shm_dtim, shm_ctim;
	pid_t shm_cprid, shm_lprid;
	pid_t shm_creator;		/* the creator's pid while it lives, else 0 (orphan) */
	const struct vm_operations_struct *shmem_vm_ops;	/* shmem's, which we wrap */
	char name[16];			/* "/SYSV%08x": the file's f_name */
};

struct shm_state {
	pthread_mutex_t ids_lock;
	struct xarray ids;		/* index -> struct shmid_kernel * */
	int in_use;
	int max_idx;			/* highest index in use, or -1 */
	int seq;			/* the next segment's sequence number */
	unsigned long shm_tot;		/* pages of all segments */
	/* kernel.shmmax, shmall, shmmni, shm_rmid_forced */
	unsigned long shm_ctlmax;
	unsigned long shm_ctlall;
	int shm_ctlmni;
	int shm_rmid_forced;
};

static const struct shm_state shm_template = {
	.max_idx = -1,
	.shm_ctlmax = SHMMAX,
	.shm_ctlall = SHMALL,
	.shm_ctlmni = SHMMNI,
	.shm_rmid_forced = 0,
};

static struct shm_state *shm_ns(void)
{
	return subsys_state(current_machine(), shm);
}

static long shm_seconds(void)
{
	return (long)((get_jiffies_64() - INITIAL_JIFFIES) / HZ);
}

static pid_t current_pid(void)
{
	return current ? task_pid_nr(current) : 0;
}

static unsigned long seg_pages(unsigned long size)
{
	return (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

/* The segment of @id (checked against its seq), or NULL.  ids_lock held. */
static struct shmid_kernel *shm_obtain(struct shm_state *ns, int id)
{
	struct shmid_kernel *shp;

	if (id < 0)
		return NULL;
	shp = xa_load(&ns->ids, (unsigned long)(id & (IPCMNI - 1)));
	if (!shp || shp->id != id)
		return NULL;
	return shp;
}

static void shm_recompute_max_idx(struct shm_state *ns)
{
	unsigned long index;
	struct shmid_kernel *shp;

	ns->max_idx = -1;
	xa_for_each(&ns->ids, index, shp)
		ns->max_idx = (int)index;
}

/* shm_destroy: the id goes, and the segment's file reference.  ids_lock held. */
static void shm_destroy(struct shm_state *ns, struct shmid_kernel *shp)
{
	xa_erase(&ns->ids, (unsigned long)(shp->id & (IPCMNI - 1)));
	ns->in_use--;
	ns->shm_tot -= seg_pages(shp->shm_segsz);
	shm_recompute_max_idx(ns);
	if ((shp->shm_perm.mode & SHM_LOCKED) && !is_file_hugepages(shp->shm_file))
		shmem_lock(shp->shm_file, 0);	/* as Linux's: evictable again */
	shp->shm_file->private_data = NULL;
	fput(shp->shm_file);
	kfree(shp);
}

static bool shm_may_destroy(struct shm_state *ns, struct shmid_kernel *shp)
{
	return shp->shm_nattch == 0 &&
	       (READ_ONCE(ns->shm_rmid_forced) || (shp->shm_perm.mode & SHM_DEST));
}

/* --- the VMAs ---------------------------------------------------------- */

static struct shmid_kernel *shm_of_vma(struct vm_area_struct *vma)
{
	return vma->vm_file->private_data;
}

/* ->open: fork's copy, a split -- another attach (Linux's shm_open). */
static void shm_open(struct vm_area_struct *vma)
{
	struct shm_state *ns = shm_ns();
	struct shmid_kernel *shp;

	pthread_mutex_lock(&ns->ids_lock);
	shp = shm_of_vma(vma);
	if (!WARN_ON_ONCE(!shp)) {
		shp->shm_atim = shm_seconds();
		shp->shm_lprid = current_pid();
		shp->shm_nattch++;
	}
	pthread_mutex_unlock(&ns->ids_lock);
}

/* ->close: a detach (munmap, exit, shmdt); the last one of a removed
 * segment destroys it (Linux's shm_close). */
static void shm_close(struct vm_area_struct *vma)
{
	struct shm_state *ns = shm_ns();
	struct shmid_kernel *shp;

	pthread_mutex_lock(&ns->ids_lock);
	shp = shm_of_vma(vma);
	if (!WARN_ON_ONCE(!shp)) {
		shp->shm_lprid = current_pid();
		shp->shm_dtim = shm_seconds();
		shp->shm_nattch--;
		if (shm_may_destroy(ns, shp))
			shm_destroy(ns, shp);
	}
	pthread_mutex_unlock(&ns->ids_lock);
}

static vm_fault_t shm_fault(struct vm_fault *vmf)
{
	/* The segment may be destroyed while mapped: its shmem ops are static. */
	const struct vm_operations_struct *ops = vmf->vma->vm_private_data;

	return ops->fault(vmf);
}

/* Linux's shm_split: the backing file's rule (hugetlb: huge-page boundaries). */
static int shm_may_split(struct vm_area_struct *vma, unsigned long addr)
{
	const struct vm_operations_struct *ops = vma->vm_private_data;

	return ops && ops->may_split ? ops->may_split(vma, addr) : 0;
}

static const struct vm_operations_struct shm_vm_ops = {
	.open = shm_open,
	.close = shm_close,
	.may_split = shm_may_split,
	.fault = shm_fault,
};

/* The file's ->mmap (Linux's shm_mmap): shmem sets the VMA up, we wrap it. */
static int shm_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct shmid_kernel *shp = file->private_data;
	int ret;

	if (!shp)
		return -EIDRM;
	ret = is_file_hugepages(file) ? hugetlbfs_file_mmap(file, vma) : shmem_mmap(file, vma);
	if (ret)
		return ret;
	vma->vm_private_data = (void *)vma->vm_ops;
	vma->vm_ops = &shm_vm_ops;
	shm_open(vma);
	return 0;
}

/* The segment's file: shmem's, with shm_mmap wrapping its ->mmap; the
 * last fput frees its inode (and every page) as any shmem file's. */
static int shm_release(struct inode *inode, struct file *file)
{
	(void)inode;
	(void)file;
	return 0;
}

static const struct file_operations shm_file_operations = {
	.mmap = shm_mmap,
	.release = shm_release,
};

/* A SHM_HUGETLB segment's file: its last fput frees the hugetlb object. */
static int shm_release_huge(struct inode *inode, struct file *file)
{
	(void)inode;
	return hugetlb_file_release(file);
}

static const struct file_operations shm_file_operations_huge = {
	.mmap = shm_mmap,
	.release = shm_release_huge,
};

/* --- the system calls -------------------------------------------------- */

/* newseg: a new segment of @size bytes under @key.  ids_lock held. */
static long newseg(struct shm_state *ns, key_t key, int shmflg, size_t size)
{
	unsigned long numpages = seg_pages(size), acctflag = 0;
	struct shmid_kernel *shp;
	struct file *file;
	u32 idx;
	int err;

	if (size < SHMMIN || size > READ_ONCE(ns->shm_ctlmax))
		return -EINVAL;
	if (numpages << PAGE_SHIFT < size)
		return -ENOSPC;
	if (ns->shm_tot + numpages < ns->shm_tot ||
	    ns->shm_tot + numpages > READ_ONCE(ns->shm_ctlall))
		return -ENOSPC;
	if (ns->in_use >= READ_ONCE(ns->shm_ctlmni))
		return -ENOSPC;
	shp = kzalloc(sizeof(*shp), GFP_KERNEL);
	if (!shp)
		return -ENOMEM;
	snprintf(shp->name, sizeof(shp->name), "/SYSV%08x", (unsigned int)key);
	if ((shmflg & SHM_NORESERVE) &&
	    READ_ONCE(mm_user_sysctls()->overcommit_memory) != OVERCOMMIT_NEVER)
		acctflag = VM_NORESERVE;
	if (shmflg & SHM_HUGETLB) {
		/* Linux's newseg: a hugetlbfs file of the SHM_HUGE_* size, its
		 * pages reserved now (SHM_NORESERVE: not), huge-rounded */
		struct hstate *hs = hstate_from_mmap_flags((unsigned int)shmflg);

		if (shmflg & SHM_NORESERVE)
			acctflag = VM_NORESERVE;
		file = hs ? hugetlb_file_setup(shp->name, size, hs, true) : ERR_PTR(-EINVAL);
		if (!IS_ERR(file) && !hugetlb_file_reserve(file, acctflag)) {
			hugetlb_file_release(file);
			file = ERR_PTR(-ENOMEM);
		}
	} else {
		file = shmem_kernel_file_setup(shp->name, (loff_t)size, acctflag);
	}
	if (IS_ERR(file)) {
		kfree(shp);
		return PTR_ERR(file);
	}
	err = xa_alloc(&ns->ids, &idx, shp, XA_LIMIT(0, IPCMNI - 1), GFP_KERNEL);
	if (err) {
		fput(file);
		kfree(shp);
		return err == -EBUSY ? -ENOSPC : err;
	}
	shp->shm_perm.key = key;
	shp->shm_perm.mode = (unsigned int)(shmflg & S_IRWXUGO);
	shp->shm_perm.seq = (unsigned short)ns->seq;
	shp->id = (int)((unsigned int)ns->seq << IPCMNI_SHIFT) + (int)idx;
	if (++ns->seq > IPCID_SEQ_MAX)
		ns->seq = 0;
	shp->shm_file = file;
	file_inode(file)->i_ino = (unsigned long)shp->id;	/* as Linux: maps shows the id */
	file->private_data = shp;
	file->f_op = is_file_hugepages(file) ? &shm_file_operations_huge : &shm_file_operations;
	shp->shm_segsz = size;
	shp->shm_cprid = current_pid();
	shp->shm_creator = shp->shm_cprid;
	shp->shm_ctim = shm_seconds();
	ns->in_use++;
	ns->shm_tot += numpages;
	if ((int)idx > ns->max_idx)
		ns->max_idx = (int)idx;
	return shp->id;
}

long sys_shmget(long key, size_t size, int shmflg)
{
	struct shm_state *ns;
	struct shmid_kernel *shp, *found = NULL;
	unsigned long index;
	long ret, err = syscall_enter_check();

	if (err)
		return err;
	ns = shm_ns();
	pthread_mutex_lock(&ns->ids_lock);
	if ((key_t)key == IPC_PRIVATE) {
		ret = newseg(ns, (key_t)key, shmflg, size);
		goto out;
	}
	xa_for_each(&ns->ids, index, shp)
		if (shp->shm_perm.key == (key_t)key) {
			found = shp;
			break;
		}
	if (!found)
		ret = (shmflg & IPC_CREAT) ? newseg(ns, (key_t)key, shmflg, size) : -ENOENT;
	else if ((shmflg & IPC_CREAT) && (shmflg & IPC_EXCL))
		ret = -EEXIST;
	else if (found->shm_segsz < size)
		ret = -EINVAL;		/* shm_more_checks */
	else
		ret = found->id;	/* every task is root: ipcperms passes */
out:
	pthread_mutex_unlock(&ns->ids_lock);
	return ret;
}

unsigned long sys_shmat(int shmid, unsigned long shmaddr, int shmflg)
{
	unsigned long addr = shmaddr, flags = MAP_SHARED, prot, populate = 0, size, ret;
	struct shm_state *ns;
	struct shmid_kernel *shp;
	struct mm_struct *mm;
	struct file *file;
	long err = syscall_enter_check();

	if (err)
		return (unsigned long)err;
	if (shmid < 0)
		return (unsigned long)-EINVAL;
	if (addr) {
		if (addr & (SHMLBA - 1)) {
			if (!(shmflg & SHM_RND))
				return (unsigned long)-EINVAL;
			addr &= ~(SHMLBA - 1);
			if (!addr && (shmflg & SHM_REMAP))
				return (unsigned long)-EINVAL;
		}
		flags |= MAP_FIXED;
	} else if (shmflg & SHM_REMAP) {
		return (unsigned long)-EINVAL;
	}
	prot = (shmflg & SHM_RDONLY) ? PROT_READ : PROT_READ | PROT_WRITE;
	if (shmflg & SHM_EXEC)
		prot |= PROT_EXEC;

	ns = shm_ns();
	pthread_mutex_lock(&ns->ids_lock);
	shp = shm_obtain(ns, shmid);
	if (!shp) {
		pthread_mutex_unlock(&ns->ids_lock);
		return (unsigned long)-EINVAL;
	}
	file = get_file(shp->shm_file);
	size = (unsigned long)i_size_read(file_inode(file));	/* huge-rounded for SHM_HUGETLB */
	pthread_mutex_unlock(&ns->ids_lock);

	mm = current_user_mm();
	mmap_write_lock(mm);
	ret = (unsigned long)-EINVAL;
	if (addr && !(shmflg & SHM_REMAP)) {
		if (addr + size < addr || find_vma_intersection(mm, addr, addr + size))
			goto unlock;
	}
	ret = do_mmap(file, addr, size, prot, flags, 0, 0, &populate, NULL);
	/* Linux opens the file O_RDONLY for SHM_RDONLY: mprotect cannot add write */
	if (!IS_ERR_VALUE(ret) && (shmflg & SHM_RDONLY)) {
		struct vm_area_struct *vma = find_vma(mm, ret);

		if (vma && vma->vm_start == ret)
			vma->vm_flags &= ~VM_MAYWRITE;
	}
unlock:
	mmap_write_unlock(mm);
	fput(file);	/* the VMA holds its own; the segment may now go */
	if (!IS_ERR_VALUE(ret) && populate)
		mm_populate(ret, populate);
	return ret;
}

static bool is_shm_vma(const struct vm_area_struct *vma)
{
	return vma->vm_ops == &shm_vm_ops;
}

/*
 * shmdt: the shm VMA starting at @addr, and the other pieces of the same
 * attach within the segment's size (Linux's ksys_shmdt, MMU case).
 */
long sys_shmdt(unsigned long addr)
{
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	struct file *file = NULL;
	unsigned long size = 0, start = 0;
	long err = syscall_enter_check();

	if (err)
		return err;
	if (addr & ~PAGE_MASK)
		return -EINVAL;
	mm = current_user_mm();
	mmap_write_lock(mm);
	err = -EINVAL;
	for (vma = find_vma(mm, addr); vma; vma = find_vma(mm, vma->vm_end)) {
		if (is_shm_vma(vma) && vma->vm_start >= addr &&
		    (vma->vm_start - addr) / PAGE_SIZE == vma->vm_pgoff) {
			file = vma->vm_file;
			size = PAGE_ALIGN((unsigned long)file_inode(file)->i_size);
			start = vma->vm_end;
			do_munmap(mm, vma->vm_start, vma->vm_end - vma->vm_start, NULL);
			err = 0;
			break;
		}
	}
	if (file) {
		/* the VMA's file reference may be gone; compare pointers only */
		for (vma = find_vma(mm, start); vma && vma->vm_end - addr <= size;
		     vma = find_vma(mm, start)) {
			start = vma->vm_end;
			if (is_shm_vma(vma) && vma->vm_file == file &&
			    (vma->vm_start - addr) / PAGE_SIZE == vma->vm_pgoff)
				do_munmap(mm, vma->vm_start, vma->vm_end - vma->vm_start, NULL);
		}
	}
	mmap_write_unlock(mm);
	return err;
}

static unsigned long shm_rss(const struct shmid_kernel *shp)
{
	return (unsigned long)atomic_long_read(&shp->shm_file->f_mapping->nrpages);
}

static void fill_shmid64(const struct shmid_kernel *shp, struct shmid64_ds *out)
{
	memset(out, 0, sizeof(*out));
	out->shm_perm = shp->shm_perm;
	out->shm_segsz = shp->shm_segsz;
	out->shm_atime = shp->shm_atim;
	out->shm_dtime = shp->shm_dtim;
	out->shm_ctime = shp->shm_ctim;
	out->shm_cpid = shp->shm_cprid;
	out->shm_lpid = shp->shm_lprid;
	out->shm_nattch = shp->shm_nattch;
}

long sys_shmctl(int shmid, int cmd, void *buf)
{
	struct shm_state *ns;
	struct shmid_kernel *shp;
	unsigned long index;
	long ret, err = syscall_enter_check();

	if (err)
		return err;
	if (cmd < 0 || shmid < 0)
		return -EINVAL;
	cmd &= ~IPC_64;
	ns = shm_ns();
	pthread_mutex_lock(&ns->ids_lock);
	switch (cmd) {
	case IPC_INFO: {
		struct shminfo64 info = {
			.shmmni = (unsigned long)ns->shm_ctlmni,
			.shmseg = (unsigned long)ns->shm_ctlmni,
			.shmmax = ns->shm_ctlmax,
			.shmall = ns->shm_ctlall,
			.shmmin = SHMMIN,
		};

		ret = ns->max_idx < 0 ? 0 : ns->max_idx;
		if (!buf)
			ret = -EFAULT;
		else
			memcpy(buf, &info, sizeof(info));
		goto out;
	}
	case SHM_INFO: {
		struct mmsim_shm_info info = { .used_ids = ns->in_use, .shm_tot = ns->shm_tot };

		xa_for_each(&ns->ids, index, shp)
			info.shm_rss += shm_rss(shp);
		ret = ns->max_idx < 0 ? 0 : ns->max_idx;
		if (!buf)
			ret = -EFAULT;
		else
			memcpy(buf, &info, sizeof(info));
		goto out;
	}
	case SHM_STAT:
	case SHM_STAT_ANY:
		shp = xa_load(&ns->ids, (unsigned long)shmid);
		ret = -EINVAL;
		if (!shp || shmid >= IPCMNI)
			goto out;
		ret = shp->id;
		goto stat;
	case IPC_STAT:
		shp = shm_obtain(ns, shmid);
		ret = -EINVAL;
		if (!shp)
			goto out;
		ret = 0;
stat:
		if (!buf) {
			ret = -EFAULT;
			goto out;
		}
		fill_shmid64(shp, buf);
		goto out;
	}
	shp = shm_obtain(ns, shmid);
	ret = -EINVAL;
	if (!shp)
		goto out;
	switch (cmd) {
	case IPC_SET: {
		const struct shmid64_ds *in = buf;

		ret = -EFAULT;
		if (!in)
			break;
		shp->shm_perm.uid = in->shm_perm.uid;
		shp->shm_perm.gid = in->shm_perm.gid;
		shp->shm_perm.mode = (shp->shm_perm.mode & ~(unsigned int)S_IRWXUGO) |
				     (in->shm_perm.mode & S_IRWXUGO);
		shp->shm_ctim = shm_seconds();
		ret = 0;
		break;
	}
	case IPC_RMID:
		/* do_shm_rmid */
		if (shp->shm_nattch) {
			shp->shm_perm.mode |= SHM_DEST;
			shp->shm_perm.key = IPC_PRIVATE;	/* ipc_set_key_private */
		} else {
			shm_destroy(ns, shp);
		}
		ret = 0;
		break;
	case SHM_LOCK:
		/* shmem_lock: the pages become unevictable (AS_UNEVICTABLE) */
		if (!(shp->shm_perm.mode & SHM_LOCKED) && !is_file_hugepages(shp->shm_file))
			shmem_lock(shp->shm_file, 1);
		shp->shm_perm.mode |= SHM_LOCKED;
		ret = 0;
		break;
	case SHM_UNLOCK:
		if ((shp->shm_perm.mode & SHM_LOCKED) && !is_file_hugepages(shp->shm_file))
			shmem_lock(shp->shm_file, 0);	/* and shmem_unlock_mapping */
		shp->shm_perm.mode &= ~(unsigned int)SHM_LOCKED;
		ret = 0;
		break;
	default:
		ret = -EINVAL;
		break;
	}
out:
	pthread_mutex_unlock(&ns->ids_lock);
	return ret;
}

/*
 * exit_shm - @task exits (after its mm is gone): the segments it created are
 * orphans now; with kernel.shm_rmid_forced those without attaches go
 * (Linux's exit_shm).
 */
void exit_shm(struct task_struct *task)
{
	struct shm_state *ns = subsys_state(task->machine, shm);
	struct shmid_kernel *shp;
	unsigned long index;
	pid_t pid = task_pid_nr(task);

	pthread_mutex_lock(&ns->ids_lock);
	xa_for_each(&ns->ids, index, shp) {
		if (!pid || shp->shm_creator != pid)
			continue;
		shp->shm_creator = 0;
		if (READ_ONCE(ns->shm_rmid_forced) && shm_may_destroy(ns, shp))
			shm_destroy(ns, shp);
	}
	pthread_mutex_unlock(&ns->ids_lock);
}

/* --- /proc ------------------------------------------------------------- */

static int sysvipc_shm_show(struct seq_file *sf, struct proc_file *f)
{
	struct shm_state *ns = subsys_state(f->m, shm);
	struct shmid_kernel *shp;
	unsigned long index;

	seq_puts(sf, "       key      shmid perms                  size  cpid  lpid nattch"
		     "   uid   gid  cuid  cgid      atime      dtime      ctime"
		     "                   rss                  swap\n");
	pthread_mutex_lock(&ns->ids_lock);
	xa_for_each(&ns->ids, index, shp)
		seq_printf(sf, "%10d %10d  %4o %21lu %5u %5u  %5lu %5u %5u %5u %5u "
			   "%10llu %10llu %10llu %21lu %21lu\n",
			   (int)shp->shm_perm.key, shp->id, (unsigned int)shp->shm_perm.mode,
			   shp->shm_segsz, (unsigned int)shp->shm_cprid,
			   (unsigned int)shp->shm_lprid, shp->shm_nattch, shp->shm_perm.uid,
			   shp->shm_perm.gid, shp->shm_perm.cuid, shp->shm_perm.cgid,
			   (unsigned long long)shp->shm_atim, (unsigned long long)shp->shm_dtim,
			   (unsigned long long)shp->shm_ctim, shm_rss(shp) * PAGE_SIZE, 0UL);
	pthread_mutex_unlock(&ns->ids_lock);
	return 0;
}

static const struct proc_entry shm_files[] = {
	{ "/proc/sysvipc/shm", sysvipc_shm_show, NULL, NULL },
};

static int proc_doulong_shm(const struct ctl_table *t, int write, struct seq_file *sf,
			    const char *text)
{
	unsigned long v;
	char *end;

	if (!write) {
		seq_printf(sf, "%lu\n", *(unsigned long *)t->data);
		return 0;
	}
	errno = 0;
	v = strtoul(text, &end, 0);
	while (*end == '\n' || *end == ' ')
		end++;
	if (end == text || *end || errno || *text == '-')
		return -EINVAL;
	WRITE_ONCE(*(unsigned long *)t->data, v);
	return 0;
}

static const int ipc_mni = IPCMNI;

static int shm_sysctl_init(struct mmsim *m, char *err, size_t len)
{
	struct shm_state *ns = subsys_state(m, shm);
	const struct ctl_table table[] = {
		{ .procname = "shm_rmid_forced", .data = &ns->shm_rmid_forced,
		  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax,
		  .extra1 = SYSCTL_ZERO, .extra2 = SYSCTL_ONE },
		{ .procname = "shmall", .data = &ns->shm_ctlall,
		  .maxlen = sizeof(unsigned long), .mode = 0644, .proc_handler = proc_doulong_shm },
		{ .procname = "shmmax", .data = &ns->shm_ctlmax,
		  .maxlen = sizeof(unsigned long), .mode = 0644, .proc_handler = proc_doulong_shm },
		{ .procname = "shmmni", .data = &ns->shm_ctlmni,
		  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax,
		  .extra1 = SYSCTL_ZERO, .extra2 = &ipc_mni },
	};
	int ret = register_sysctl("kernel", table);

	if (!ret)
		ret = proc_create_table(shm_files);
	if (ret)
		snprintf(err, len, "shm: cannot register its files (%d)", ret);
	return ret;
}

static int shm_init(struct mmsim *m, char *err, size_t len)
{
	struct shm_state *ns = subsys_state(m, shm);

	(void)err;
	(void)len;
	pthread_mutex_init(&ns->ids_lock, NULL);
	xa_init_flags(&ns->ids, XA_FLAGS_ALLOC);
	return 0;
}

/* Shutdown: the tasks are gone (pid exits first); the segments go. */
static void shm_exit(struct mmsim *m)
{
	struct shm_state *ns = subsys_state(m, shm);
	struct shmid_kernel *shp;
	unsigned long index;

	pthread_mutex_lock(&ns->ids_lock);
	xa_for_each(&ns->ids, index, shp)
		shm_destroy(ns, shp);
	pthread_mutex_unlock(&ns->ids_lock);
	xa_destroy(&ns->ids);
	pthread_mutex_destroy(&ns->ids_lock);
}

static const struct initcall shm_initcalls[] = {
	core_initcall(shm_init, shm_exit),
	fs_initcall(shm_sysctl_init, NULL),
};

DEFINE_SUBSYSTEM(shm, SUBSYS_STATE(struct shm_state, &shm_template),
		 SUBSYS_INITCALLS(shm_initcalls));
