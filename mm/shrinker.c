// SPDX-License-Identifier: GPL-2.0
/*
 * mm/shrinker.c - caches that give memory back under pressure (Linux's
 * mm/shrinker.c, <mmsim/shrinker.h>): the machine's shrinker list, both
 * registration APIs, shrink_slab() with do_shrink_slab()'s arithmetic,
 * drop_slab(), vm.vfs_cache_pressure, and /sys/kernel/debug/shrinker/.
 *
 * Design.  Each machine keeps its shrinkers on one list (registration
 * order).  Reclaim calls shrink_slab(gfp, nid, NULL, priority) once per
 * node it shrinks; every shrinker is asked count_objects (freeable) and
 * then scanned, as Linux 6.x's do_shrink_slab():
 *
 *   delta      = (freeable >> priority) * 4 / seeks     (seeks == 0: freeable / 2)
 *   total_scan = min(nr_deferred >> priority + delta, 2 * freeable)
 *   scan in batches of `batch` (SHRINK_BATCH = 128) while total_scan >=
 *   batch or >= freeable; each batch counts slabs_scanned;
 *   nr_deferred = min(max(nr_deferred + delta - scanned, 0), 2 * freeable)
 *
 * nr_deferred is kept per node for SHRINKER_NUMA_AWARE shrinkers (node 0
 * for the others), taken with an exchange at the start and added back at
 * the end so concurrent reclaimers split the work.  drop_slab() calls
 * shrink_slab at priority 0 for every node until a round frees little
 * (freed >> shift++ <= 1), as Linux's.
 *
 * A shrinker and its name are host memory (calloc), as the workqueue's
 * items are: bookkeeping of the simulator, not of the simulated kernel, so
 * registering one does not move what the machine's allocators hand out.
 *
 * Locking.  shr->rwsem guards the list: shrink_slab only trylocks it for
 * reading (it runs inside allocations, which may come from a registrar's
 * caller; Linux <= 6.6 did the same), and gives up on this round if the
 * lock is contended; registration and shrinker_free take it for writing
 * (never allocating under it), so once shrinker_free returns no scan of
 * that shrinker runs and it may be freed.  nr_deferred[] is atomic.
 * Callbacks run with no mmsim lock of ours held but the read side.
 *
 * Invariants: a shrinker is on the list iff SHRINKER_REGISTERED is set;
 * every nr_deferred >= 0; the list's debugfs ids are distinct.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/shrinker.h>
#include <mmsim/slab.h>
#include <mmsim/rwsem.h>
#include <mmsim/sched.h>
#include <mmsim/signal.h>
#include <mmsim/sysctl.h>
#include <mmsim/vmstat.h>
#include <mmsim/proc_fs.h>
#include <mmsim/seq_file.h>
#include <mmsim/printk.h>
#include <mmsim/mm.h>
#include "init/init.h"
#include "init/machine.h"

#define SHRINK_BATCH	128

struct shrinker_state {
	struct rw_semaphore rwsem;	/* the list */
	struct list_head list;		/* registered shrinkers, registration order */
	int next_id;			/* debugfs ids */
	int vfs_cache_pressure;		/* vm.vfs_cache_pressure (100) */
	bool ready;
};

static const struct shrinker_state shrinker_template = {
	.vfs_cache_pressure = 100,
};

DECLARE_SUBSYSTEM(shrinker);

static struct shrinker_state *shr_state(void)
{
	struct mmsim *m = current_machine();

	return m && m->subsys_state ? subsys_state(m, shrinker) : NULL;
}

/* Linux's vfs_pressure_ratio(): @val scaled by vm.vfs_cache_pressure / 100. */
unsigned long vfs_pressure_ratio(unsigned long val);
unsigned long vfs_pressure_ratio(unsigned long val)
{
	struct shrinker_state *shr = shr_state();
	unsigned long p = shr ? (unsigned long)READ_ONCE(shr->vfs_cache_pressure) : 100;

	return (unsigned long)((unsigned long long)val * p / 100);
}

/* ---- registration ---- */

static char *shrinker_vname(const char *fmt, va_list ap)
{
	char tmp[128];

	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	return strdup(tmp);
}

static void shrinker_init_fields(struct shrinker *s)
{
	INIT_LIST_HEAD(&s->list);
	for (int i = 0; i < (int)ARRAY_SIZE(s->nr_deferred); i++)
		s->nr_deferred[i] = 0;
	s->debugfs_id = -1;
}

struct shrinker *shrinker_alloc(unsigned int flags, const char *fmt, ...)
{
	struct shrinker *s = calloc(1, sizeof(*s));
	va_list ap;

	if (!s)
		return NULL;
	shrinker_init_fields(s);
	va_start(ap, fmt);
	s->name = shrinker_vname(fmt, ap);
	va_end(ap);
	s->flags = (flags & (SHRINKER_NUMA_AWARE | SHRINKER_MEMCG_AWARE | SHRINKER_NONSLAB)) |
		   SHRINKER_ALLOCATED;
	s->seeks = DEFAULT_SEEKS;
	return s;
}

void shrinker_register(struct shrinker *s)
{
	struct shrinker_state *shr = shr_state();

	if (!s)
		return;
	if (WARN(!shr || !shr->ready, "shrinker_register: no machine\n"))
		return;
	if (WARN_ON(s->flags & SHRINKER_REGISTERED))
		return;
	if (WARN(!s->count_objects || !s->scan_objects,
		 "shrinker %s: no count_objects/scan_objects\n", s->name ? s->name : "?"))
		return;
	down_write(&shr->rwsem);
	s->debugfs_id = shr->next_id++;
	s->owner = current_machine();
	list_add_tail(&s->list, &shr->list);
	s->flags |= SHRINKER_REGISTERED;
	up_write(&shr->rwsem);
}

static void shrinker_unlink(struct shrinker *s)
{
	struct shrinker_state *shr;

	if (!(s->flags & SHRINKER_REGISTERED))
		return;
	shr = s->owner ? subsys_state((struct mmsim *)s->owner, shrinker) : NULL;
	if (WARN_ON(!shr))
		return;
	/* Waits for every running shrink_slab: none scans @s afterwards. */
	down_write(&shr->rwsem);
	list_del_init(&s->list);
	s->flags &= ~SHRINKER_REGISTERED;
	up_write(&shr->rwsem);
}

void shrinker_free(struct shrinker *s)
{
	if (!s)
		return;
	shrinker_unlink(s);
	free(s->name);
	s->name = NULL;
	if (s->flags & SHRINKER_ALLOCATED)
		free(s);
}

/* The pre-6.7 API: the caller owns @s (seeks, batch, callbacks set). */
int register_shrinker(struct shrinker *s, const char *fmt, ...)
{
	struct shrinker_state *shr = shr_state();
	va_list ap;

	if (!shr || !shr->ready)
		return -ENODEV;
	if (!s->count_objects || !s->scan_objects)
		return -EINVAL;
	shrinker_init_fields(s);
	s->flags &= ~(SHRINKER_REGISTERED | SHRINKER_ALLOCATED);
	if (!s->seeks)
		s->seeks = 0;		/* 0 is a valid "no IO to recreate" */
	va_start(ap, fmt);
	s->name = shrinker_vname(fmt, ap);
	va_end(ap);
	if (!s->name)
		return -ENOMEM;
	shrinker_register(s);
	return 0;
}

void unregister_shrinker(struct shrinker *s)
{
	if (!s)
		return;
	shrinker_unlink(s);
	free(s->name);
	s->name = NULL;
}

/* ---- shrinking ---- */

static long xchg_nr_deferred(struct shrinker *s, int nid)
{
	return __atomic_exchange_n(&s->nr_deferred[nid], 0, __ATOMIC_RELAXED);
}

static long add_nr_deferred(long nr, struct shrinker *s, int nid)
{
	return __atomic_add_fetch(&s->nr_deferred[nid], nr, __ATOMIC_RELAXED);
}

static unsigned long do_shrink_slab(struct shrink_control *sc, struct shrinker *s, int priority)
{
	long batch_size = s->batch ? s->batch : SHRINK_BATCH;
	long scanned = 0, next_deferred, freeable, nr, total_scan;
	int nid = (s->flags & SHRINKER_NUMA_AWARE) ? sc->nid : 0;
	unsigned long long delta;
	unsigned long freed = 0, count;

	if (nid < 0 || nid >= (int)ARRAY_SIZE(s->nr_deferred))
		nid = 0;
	count = s->count_objects(s, sc);
	if (count == 0 || count == SHRINK_EMPTY)
		return count;
	freeable = (long)count;
	nr = xchg_nr_deferred(s, nid);
	if (s->seeks) {
		delta = (unsigned long long)(freeable >> priority) * 4;
		delta /= (unsigned long long)s->seeks;
	} else {
		/* Free to recreate: trim them hard under pressure. */
		delta = (unsigned long long)freeable / 2;
	}
	total_scan = (nr >> priority) + (long)delta;
	total_scan = min(total_scan, 2 * freeable);

	/* Batches of batch_size, or everything when tight (total_scan >= freeable). */
	while (total_scan >= batch_size || total_scan >= freeable) {
		unsigned long nr_to_scan = (unsigned long)min(batch_size, total_scan);
		unsigned long ret;

		sc->nr_to_scan = nr_to_scan;
		sc->nr_scanned = nr_to_scan;
		ret = s->scan_objects(s, sc);
		if (ret == SHRINK_STOP)
			break;
		freed += ret;
		count_vm_events(SLABS_SCANNED, (long)sc->nr_scanned);
		total_scan -= (long)sc->nr_scanned;
		scanned += (long)sc->nr_scanned;
		if (!sc->nr_scanned)
			break;		/* mmsim: a scan that scanned nothing cannot progress */
	}
	next_deferred = max((long)(nr + (long)delta - scanned), 0L);
	next_deferred = min(next_deferred, 2 * freeable);
	add_nr_deferred(next_deferred, s, nid);
	return freed;
}

unsigned long shrink_slab(gfp_t gfp_mask, int nid, void *memcg, int priority)
{
	struct shrinker_state *shr = shr_state();
	unsigned long freed = 0;
	struct shrinker *s;

	if (!shr || !shr->ready)
		return 0;
	if (priority < 0)
		priority = 0;
	if (priority > 31)
		priority = 31;
	if (!down_read_trylock(&shr->rwsem))
		return 0;
	list_for_each_entry(s, &shr->list, list) {
		struct shrink_control sc = {
			.gfp_mask = gfp_mask,
			.nid = nid,
			.memcg = memcg,
		};
		unsigned long ret = do_shrink_slab(&sc, s, priority);

		if (ret == SHRINK_EMPTY)
			ret = 0;
		freed += ret;
	}
	up_read(&shr->rwsem);
	return freed;
}

void drop_slab(void)
{
	unsigned long freed;
	int shift = 0, nid;

	do {
		freed = 0;
		for_each_online_node(nid) {
			if (current && fatal_signal_pending(current))
				return;
			freed += shrink_slab(GFP_KERNEL, nid, NULL, 0);
		}
	} while ((freed >> shift++) > 1);
}

/* Every registered shrinker is consistent (WARN and false if not). */
bool shrinkers_are_valid(struct mmsim *m);
bool shrinkers_are_valid(struct mmsim *m)
{
	struct shrinker_state *shr = subsys_state(m, shrinker);
	struct shrinker *s, *t;
	bool ok = true;

	down_read(&shr->rwsem);
	list_for_each_entry(s, &shr->list, list) {
		if (WARN(!(s->flags & SHRINKER_REGISTERED), "shrinker %s: on the list, not registered\n",
			 s->name))
			ok = false;
		for (int i = 0; i < (int)ARRAY_SIZE(s->nr_deferred); i++)
			if (WARN(READ_ONCE(s->nr_deferred[i]) < 0, "shrinker %s: nr_deferred[%d] < 0\n",
				 s->name, i))
				ok = false;
		list_for_each_entry(t, &shr->list, list)
			if (t != s && WARN(t->debugfs_id == s->debugfs_id,
					   "shrinkers %s and %s share id %d\n", s->name, t->name,
					   s->debugfs_id))
				ok = false;
	}
	up_read(&shr->rwsem);
	return ok;
}

/* ---- /sys/kernel/debug/shrinker/NAME-ID/{count,scan} ---- */

/* The registered shrinker named "NAME-ID" (read side held). */
static struct shrinker *shrinker_by_dirname(struct shrinker_state *shr, const char *dir)
{
	struct shrinker *s;
	char buf[160];

	list_for_each_entry(s, &shr->list, list) {
		snprintf(buf, sizeof(buf), "%s-%d", s->name ? s->name : "", s->debugfs_id);
		if (!strcmp(buf, dir))
			return s;
	}
	return NULL;
}

/* "<cgroup ino> <count on node 0> <count on node 1> ...", when non-zero. */
static int shrinker_count_show(struct seq_file *sf, struct proc_file *f)
{
	struct shrinker_state *shr = shr_state();
	unsigned long counts[MAX_NUMNODES], total = 0;
	struct shrinker *s;
	int nid, ret = 0;

	down_read(&shr->rwsem);
	s = shrinker_by_dirname(shr, f->arg);
	if (!s) {
		ret = -ENOENT;
		goto out;
	}
	for_each_online_node(nid) {
		struct shrink_control sc = { .gfp_mask = GFP_KERNEL, .nid = nid };
		unsigned long c = 0;

		if (nid == 0 || (s->flags & SHRINKER_NUMA_AWARE))
			c = s->count_objects(s, &sc);
		if (c == SHRINK_EMPTY)
			c = 0;
		counts[nid] = c;
		total += c;
	}
	if (total) {
		seq_printf(sf, "%lu", 0UL);
		for_each_online_node(nid)
			seq_printf(sf, " %lu", counts[nid]);
		seq_putc(sf, '\n');
	}
out:
	up_read(&shr->rwsem);
	return ret;
}

/* "<cgroup ino> <nid> <nr_to_scan>" (ino 0: the root). */
static int shrinker_scan_store(struct proc_file *f, const char *text)
{
	struct shrinker_state *shr = shr_state();
	unsigned long ino, nr;
	struct shrinker *s;
	int nid, n = 0;

	if (sscanf(text, "%lu %d %lu %n", &ino, &nid, &nr, &n) != 3 || text[n])
		return -EINVAL;
	if (nid < 0 || nid >= num_online_nodes() || ino != 0)
		return -EINVAL;
	down_read(&shr->rwsem);
	s = shrinker_by_dirname(shr, f->arg);
	if (s) {
		struct shrink_control sc = {
			.gfp_mask = GFP_KERNEL,
			.nid = nid,
			.nr_to_scan = nr,
			.nr_scanned = nr,
		};

		s->scan_objects(s, &sc);
	}
	up_read(&shr->rwsem);
	return s ? 0 : -ENOENT;
}

static const struct proc_entry shrinker_entries[] = {
	{ "/sys/kernel/debug/shrinker/*/count", shrinker_count_show, NULL, NULL },
	{ "/sys/kernel/debug/shrinker/*/scan", NULL, shrinker_scan_store, NULL },
};

/* ---- the subsystem ---- */

static int shrinker_init(struct mmsim *m, char *err, size_t len)
{
	struct shrinker_state *shr = subsys_state(m, shrinker);

	(void)err;
	(void)len;
	init_rwsem(&shr->rwsem);
	INIT_LIST_HEAD(&shr->list);
	shr->ready = true;
	return 0;
}

static void shrinker_exit(struct mmsim *m)
{
	struct shrinker_state *shr = subsys_state(m, shrinker);
	struct shrinker *s, *n;

	/* Owners unregister theirs at their exit; forget what is left. */
	down_write(&shr->rwsem);
	list_for_each_entry_safe(s, n, &shr->list, list) {
		list_del_init(&s->list);
		s->flags &= ~SHRINKER_REGISTERED;
	}
	shr->ready = false;
	up_write(&shr->rwsem);
	destroy_rwsem(&shr->rwsem);
}

static int shrinker_sysctl_init(struct mmsim *m, char *err, size_t len)
{
	struct shrinker_state *shr = subsys_state(m, shrinker);
	const struct ctl_table table[] = {
		{ .procname = "vfs_cache_pressure", .data = &shr->vfs_cache_pressure,
		  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax,
		  .extra1 = SYSCTL_ZERO },
	};
	int ret = register_sysctl("vm", table);

	if (!ret)
		ret = proc_create_table(shrinker_entries);
	if (ret)
		snprintf(err, len, "shrinker: cannot register its files (%d)", ret);
	return ret;
}

static const struct initcall shrinker_initcalls[] = {
	core_initcall(shrinker_init, shrinker_exit),
	fs_initcall(shrinker_sysctl_init, NULL),
};

DEFINE_SUBSYSTEM(shrinker, SUBSYS_STATE(struct shrinker_state, &shrinker_template),
		 SUBSYS_INITCALLS(shrinker_initcalls));
