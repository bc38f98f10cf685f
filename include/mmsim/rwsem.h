/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rwsem.h - struct rw_semaphore, a sleeping reader/writer lock (Linux's
 * include/linux/rwsem.h names).
 *
 * Built on a host pthread_rwlock_t (writer-preferring where glibc allows),
 * so ThreadSanitizer sees its edges.  Debug builds remember the writer so
 * that rwsem_assert_held_write() can check it; readers are not tracked
 * (rwsem_assert_held() only checks that someone holds it).
 */
#ifndef MMSIM_RWSEM_H
#define MMSIM_RWSEM_H

#include <pthread.h>
#include <stdatomic.h>
#include <mmsim/compiler.h>

struct rw_semaphore {
	pthread_rwlock_t lock;
	atomic_ulong writer;		/* pthread_self() of the writer, 0 if none */
	atomic_int readers;		/* readers holding it (debug, relaxed) */
};

void init_rwsem(struct rw_semaphore *sem);
void destroy_rwsem(struct rw_semaphore *sem);	/* mmsim: returns host resources */
void down_read(struct rw_semaphore *sem);
int down_read_trylock(struct rw_semaphore *sem);	/* 1 on success */
void up_read(struct rw_semaphore *sem);
void down_write(struct rw_semaphore *sem);
int down_write_trylock(struct rw_semaphore *sem);
void up_write(struct rw_semaphore *sem);
void downgrade_write(struct rw_semaphore *sem);
int down_read_killable(struct rw_semaphore *sem);	/* 0 */
int down_write_killable(struct rw_semaphore *sem);	/* 0 */

static inline bool rwsem_is_locked(struct rw_semaphore *sem)
{
	return atomic_load_explicit(&sem->writer, memory_order_relaxed) ||
	       atomic_load_explicit(&sem->readers, memory_order_relaxed);
}
static inline bool rwsem_is_write_locked_by_me(struct rw_semaphore *sem)
{
	return atomic_load_explicit(&sem->writer, memory_order_relaxed) ==
	       (unsigned long)pthread_self();
}

void rwsem_report_unheld(const char *what, bool write, const char *file, int line);
#define rwsem_assert_held(sem)							\
	do {									\
		if (unlikely(!rwsem_is_locked(sem)))				\
			rwsem_report_unheld(#sem, false, __FILE__, __LINE__);	\
	} while (0)
#define rwsem_assert_held_write(sem)						\
	do {									\
		if (unlikely(!rwsem_is_write_locked_by_me(sem)))		\
			rwsem_report_unheld(#sem, true, __FILE__, __LINE__);	\
	} while (0)

#endif
