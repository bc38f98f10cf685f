/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/kmemleak_internal.h - what mm/kmemleak.c (tracking, the file) and
 * mm/kmemleak_scan.c (the scan) share.  Locking and invariants: the
 * comment atop mm/kmemleak.c.
 */
#ifndef MMSIM_MM_KMEMLEAK_INTERNAL_H
#define MMSIM_MM_KMEMLEAK_INTERNAL_H

#include <pthread.h>
#include <mmsim/list.h>
#include <mmsim/rbtree.h>
#include <mmsim/spinlock.h>
#include <mmsim/workqueue.h>

struct seq_file;
struct mmsim;

#define KMEMLEAK_TRACE			16	/* Linux's MAX_TRACE */
#define KMEMLEAK_HEX_MAX		32	/* HEX_MAX_LINES * HEX_ROW_SIZE */
#define KMEMLEAK_MSECS_MIN_AGE		5000	/* MSECS_MIN_AGE */
#define KMEMLEAK_SECS_FIRST_SCAN	60	/* SECS_FIRST_SCAN */
#define KMEMLEAK_SECS_SCAN_WAIT		600	/* SECS_SCAN_WAIT */
#define KMEMLEAK_MAX_SCAN_SIZE		4096	/* MAX_SCAN_SIZE: object->lock is dropped between chunks */

/* object->flags */
#define OBJECT_ALLOCATED	(1 << 0)	/* the block is allocated */
#define OBJECT_REPORTED		(1 << 1)	/* reported as a leak */
#define OBJECT_NO_SCAN		(1 << 2)	/* do not look inside */
#define OBJECT_FULL_SCAN	(1 << 3)	/* scan all of it despite scan areas */

/* min_count values */
#define KMEMLEAK_GREY	0	/* never reported */
#define KMEMLEAK_BLACK	-1	/* ignored */

struct kmemleak_scan_area {
	struct kmemleak_scan_area *next;
	unsigned long start;		/* host address */
	size_t size;			/* bytes */
};

struct kmemleak_object {
	spinlock_t lock;		/* the fields below marked (o) */
	unsigned int flags;		/* OBJECT_* (o) */
	struct list_head object_list;	/* on st->object_list (st->lock) */
	struct list_head gray_list;	/* on a scan's gray list (scan_mutex) */
	struct rb_node rb_node;		/* in st->root while OBJECT_ALLOCATED (st->lock) */
	int refcount;			/* list + scan references (st->lock) */
	unsigned long pointer;		/* the block's host address */
	size_t size;			/* bytes */
	int min_count;			/* references needed (o) */
	int count;			/* references found by this scan (o) */
	u32 checksum;			/* crc32 of the bytes at the last scan (o) */
	struct kmemleak_scan_area *areas; /* scan only these, if any (o) */
	unsigned long jiffies;		/* allocated at */
	pid_t pid;
	char comm[16];
	int nr_entries;
	void *trace[KMEMLEAK_TRACE];	/* host return addresses */
};

struct kmemleak_state {
	bool initialized;		/* kmemleak=on was given: the tree exists */
	bool enabled;			/* tracking (kmemleak_enabled) */
	bool stack_scan;		/* stack=on */
	bool scan_thread;		/* scan=on: scan_work is queued (scan_mutex held or boot) */
	bool found_leaks;		/* a scan found leaks since the last clear */
	bool verbose;			/* kmemleak.verbose=1: reports go to the log too */
	spinlock_t lock;		/* kmemleak_lock: root, object_list, refcounts, bounds */
	pthread_mutex_t scan_mutex;
	struct rb_root root;		/* the allocated objects by address */
	struct list_head object_list;	/* every object metadata, allocation order */
	unsigned long nr_objects;	/* objects in root */
	unsigned long min_addr, max_addr;	/* bounds of every block ever tracked */
	unsigned long jiffies_min_age;	/* 5 s */
	unsigned long jiffies_scan_wait; /* 600 s */
	unsigned long jiffies_last_scan;
	struct delayed_work scan_work;	/* the scan thread */
	/* statistics of the last scan */
	unsigned long last_scanned_bytes;
	unsigned long last_new_leaks;
};

/* A thread whose stack is scanned. */
struct kmemleak_thread {
	struct list_head list;		/* kmemleak_threads, under the thread lock */
	pthread_t thread;
	unsigned long stack_lo, stack_hi;	/* host addresses */
};

extern struct list_head kmemleak_threads;

/* mm/kmemleak.c */
struct kmemleak_state *kmemleak_state_of(struct mmsim *m);
void kmemleak_threads_lock(void);
void kmemleak_threads_unlock(void);
bool kmemleak_is_self(const struct kmemleak_thread *t);
struct kmemleak_object *__lookup_object(struct kmemleak_state *st, unsigned long ptr, bool alias);
void get_object(struct kmemleak_object *o);
void put_object(struct kmemleak_state *st, struct kmemleak_object *o);
struct kmemleak_object *find_and_get_object(struct kmemleak_state *st, unsigned long ptr,
					    bool alias);
struct kmemleak_object *kmemleak_first_object(struct kmemleak_state *st);
struct kmemleak_object *kmemleak_next_object(struct kmemleak_state *st, struct kmemleak_object *o);
void print_unreferenced(struct seq_file *sf, struct kmemleak_object *o);
void kmemleak_dump_object_info(struct kmemleak_object *o);

/* mm/kmemleak_scan.c */
void kmemleak_scan(struct kmemleak_state *st);
void kmemleak_read_bytes(void *dst, const void *src, size_t len);
bool unreferenced_object(struct kmemleak_state *st, struct kmemleak_object *o);
bool kmemleak_is_valid(struct mmsim *m);
unsigned long kmemleak_nr_objects(struct mmsim *m);


#endif
