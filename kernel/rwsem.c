// SPDX-License-Identifier: GPL-2.0
/*
 * kernel/rwsem.c - struct rw_semaphore on a host pthread_rwlock_t.
 *
 * Design: the host lock does the waiting (a simulated task that blocks on
 * mmap_lock blocks its host thread, as a task sleeps in Linux).  The
 * writer and reader counts beside it are bookkeeping for the assertions
 * (rwsem_assert_held*), updated after acquiring and before releasing, so
 * they are never wrong while the lock is held.  The lock prefers writers
 * (glibc's PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP) as Linux's rwsem
 * does in effect: a waiting writer stops new readers.
 *
 * Invariants: writer != 0 iff a writer holds the lock; readers counts the
 * read holders.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <mmsim/rwsem.h>
#include <mmsim/printk.h>

void init_rwsem(struct rw_semaphore *sem)
{
	pthread_rwlockattr_t a;

	pthread_rwlockattr_init(&a);
#ifdef PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP
	pthread_rwlockattr_setkind_np(&a, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
#endif
	pthread_rwlock_init(&sem->lock, &a);
	pthread_rwlockattr_destroy(&a);
	atomic_init(&sem->writer, 0);
	atomic_init(&sem->readers, 0);
}

void destroy_rwsem(struct rw_semaphore *sem)
{
	pthread_rwlock_destroy(&sem->lock);
}

void down_read(struct rw_semaphore *sem)
{
	pthread_rwlock_rdlock(&sem->lock);
	atomic_fetch_add_explicit(&sem->readers, 1, memory_order_relaxed);
}

int down_read_trylock(struct rw_semaphore *sem)
{
	if (pthread_rwlock_tryrdlock(&sem->lock))
		return 0;
	atomic_fetch_add_explicit(&sem->readers, 1, memory_order_relaxed);
	return 1;
}

void up_read(struct rw_semaphore *sem)
{
	atomic_fetch_sub_explicit(&sem->readers, 1, memory_order_relaxed);
	pthread_rwlock_unlock(&sem->lock);
}

void down_write(struct rw_semaphore *sem)
{
	pthread_rwlock_wrlock(&sem->lock);
	atomic_store_explicit(&sem->writer, (unsigned long)pthread_self(), memory_order_relaxed);
}

int down_write_trylock(struct rw_semaphore *sem)
{
	if (pthread_rwlock_trywrlock(&sem->lock))
		return 0;
	atomic_store_explicit(&sem->writer, (unsigned long)pthread_self(), memory_order_relaxed);
	return 1;
}

void up_write(struct rw_semaphore *sem)
{
	atomic_store_explicit(&sem->writer, 0, memory_order_relaxed);
	pthread_rwlock_unlock(&sem->lock);
}

/*
 * A host rwlock cannot be downgraded atomically; release and take it for
 * reading.  Another writer may run in between, which Linux's downgrade
 * forbids: callers re-validate what they looked up (the munmap path only
 * downgrades after its tree changes are done, as in Linux).
 */
void downgrade_write(struct rw_semaphore *sem)
{
	up_write(sem);
	down_read(sem);
}

int down_read_killable(struct rw_semaphore *sem)
{
	down_read(sem);
	return 0;
}

int down_write_killable(struct rw_semaphore *sem)
{
	down_write(sem);
	return 0;
}

void rwsem_report_unheld(const char *what, bool write, const char *file, int line)
{
	WARN(1, "%s not held%s at %s:%d\n", what, write ? " for writing" : "", file, line);
}
