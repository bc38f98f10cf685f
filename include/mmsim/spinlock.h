/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spinlock.h - spinlock_t and lockdep_assert_held().
 *
 * A test-and-test-and-set lock on one atomic word: acquire on lock, release
 * on unlock, so ThreadSanitizer sees the happens-before edges.  Debug
 * builds (MMSIM_DEBUG_VM > 0) record the owning host thread, which is what
 * lockdep_assert_held() checks.
 */
#ifndef MMSIM_SPINLOCK_H
#define MMSIM_SPINLOCK_H

#include <stdatomic.h>
#include <pthread.h>
#include <sched.h>
#include <mmsim/compiler.h>

typedef struct {
	atomic_int locked;		/* 0 free, 1 held */
#if MMSIM_DEBUG_VM
	atomic_ulong owner;		/* pthread_self() of the holder */
#endif
} spinlock_t;

#if defined(__x86_64__) || defined(__i386__)
#define cpu_relax() __builtin_ia32_pause()
#else
#define cpu_relax() __asm__ __volatile__("" ::: "memory")
#endif

void lockdep_report_unheld(const char *what, const char *file, int line);

static inline void spin_lock_init(spinlock_t *l)
{
	atomic_init(&l->locked, 0);
#if MMSIM_DEBUG_VM
	atomic_init(&l->owner, 0);
#endif
}

static inline bool spin_trylock(spinlock_t *l)
{
	if (atomic_load_explicit(&l->locked, memory_order_relaxed) ||
	    atomic_exchange_explicit(&l->locked, 1, memory_order_acquire))
		return false;
#if MMSIM_DEBUG_VM
	atomic_store_explicit(&l->owner, (unsigned long)pthread_self(), memory_order_relaxed);
#endif
	return true;
}

static inline void spin_lock(spinlock_t *l)
{
	unsigned int spins = 0;

	while (!spin_trylock(l)) {
		while (atomic_load_explicit(&l->locked, memory_order_relaxed)) {
			if (++spins > 64) {
				sched_yield();
				spins = 0;
			} else {
				cpu_relax();
			}
		}
	}
}

static inline void spin_unlock(spinlock_t *l)
{
#if MMSIM_DEBUG_VM
	atomic_store_explicit(&l->owner, 0, memory_order_relaxed);
#endif
	atomic_store_explicit(&l->locked, 0, memory_order_release);
}

#define spin_lock_irqsave(l, flags)	 do { (void)(flags); spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags) do { (void)(flags); spin_unlock(l); } while (0)

#if MMSIM_DEBUG_VM
static inline bool spin_is_held_by_me(spinlock_t *l)
{
	return atomic_load_explicit(&l->locked, memory_order_relaxed) &&
	       atomic_load_explicit(&l->owner, memory_order_relaxed) ==
		       (unsigned long)pthread_self();
}
#define lockdep_assert_held(l)						\
	do {								\
		if (unlikely(!spin_is_held_by_me(l)))			\
			lockdep_report_unheld(#l, __FILE__, __LINE__);	\
	} while (0)
#else
#define lockdep_assert_held(l) do { (void)(l); } while (0)
#endif

#endif
