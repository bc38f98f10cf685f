// SPDX-License-Identifier: GPL-2.0
/*
 * mm/failslab.c - fault injection in front of the slab allocator, Linux's
 * failslab (Documentation/fault-injection/fault-injection.rst).
 *
 * Boot parameter failslab=<interval>,<probability>,<space>,<times> and the
 * debugfs knobs /sys/kernel/debug/failslab/{probability, interval, times,
 * space, verbose, ignore-gfp-wait, cache-filter} set a struct fault_attr;
 * every slab allocation then asks should_failslab().  As in Linux:
 * __GFP_NOFAIL is never failed; ignore-gfp-wait (default Y) skips
 * allocations that may reclaim; cache-filter (default N) limits failures to
 * caches with SLAB_FAILSLAB (slub_debug=A or /sys/kernel/slab/<c>/failslab);
 * a failure is injected every `interval` calls with `probability` percent,
 * while `space` bytes last, at most `times` times (-1: no limit).
 *
 * The fast path reads only s->hooks: setting a non-zero probability turns
 * the hooks on for every cache (failslab_update()).  should_fail() runs
 * under failslab.lock, so concurrent allocators keep the counters exact.
 * The decision is lib/fault-inject.c's should_fail(), shared with
 * fail_page_alloc.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <mmsim/proc_fs.h>
#include <mmsim/seq_file.h>
#include "mm/slab.h"
#include "lib/cmdline.h"

void failslab_init(struct slab_globals *sg, uint64_t seed)
{
	struct fault_attr *fa = &sg->failslab.attr;

	memset(&sg->failslab, 0, sizeof(sg->failslab));
	spin_lock_init(&sg->failslab.lock);
	fault_attr_init(fa, seed + 7);
	fa->ignore_gfp_reclaim = true;
}

/* Switch every cache's hooks to match failslab's probability. */
static void failslab_update(struct slab_globals *sg)
{
	struct kmem_cache *s;

	WRITE_ONCE(sg->failslab_on, READ_ONCE(sg->failslab.attr.probability) != 0);
	list_for_each_entry(s, &sg->slab_caches, list)
		__kmem_cache_alias_update(s, s->object_size);
}

int failslab_setup(struct slab_globals *sg, const char *str, char *err, size_t len)
{
	int ret = setup_fault_attr(&sg->failslab.attr, "failslab", str, err, len);

	if (!ret)
		sg->failslab_on = sg->failslab.attr.probability != 0;
	return ret;
}

/* failslab=<interval>,<probability>,<space>,<times>: kept until kmem_cache_init. */
struct failslab_boot {
	char str[64];
};

static int setup_failslab(void *state, const struct kernel_param *kp, const char *word,
			  const char *val, char *err, size_t len)
{
	struct failslab_boot *b = state;

	if (!*val || strlen(val) >= sizeof(b->str))
		return cmdline_fail(err, len, "'%s': %s", word,
				    *val ? "value too long" : "value missing");
	strcpy(b->str, val);
	return 0;
}

static const struct kernel_param failslab_params[] = {
	__setup("failslab", setup_failslab),
};


/* Apply the boot parameter to a starting slab allocator (kmem_cache_init). */
int failslab_boot(struct mmsim *m, struct slab_globals *sg, char *err, size_t len)
{
	const struct failslab_boot *b = subsys_state(m, failslab);

	return b->str[0] ? failslab_setup(sg, b->str, err, len) : 0;
}

bool __should_failslab(struct kmem_cache *s, gfp_t gfpflags)
{
	struct failslab_state *fs = &s->sg->failslab;
	bool ret;

	if (gfpflags & __GFP_NOFAIL)
		return false;
	spin_lock(&fs->lock);
	if ((fs->attr.ignore_gfp_reclaim && (gfpflags & __GFP_DIRECT_RECLAIM)) ||
	    (fs->cache_filter && !(s->flags & SLAB_FAILSLAB)))
		ret = false;
	else
		ret = should_fail(&fs->attr, "failslab", s->object_size);
	spin_unlock(&fs->lock);
	return ret;
}

/* /sys/kernel/debug/failslab/<knob> */
enum fs_type { FS_ULONG, FS_LONG, FS_BOOL };

static void *fs_knob(struct slab_globals *sg, const char *knob, enum fs_type *type)
{
	struct fault_attr *fa = &sg->failslab.attr;

	*type = FS_ULONG;
	if (!strcmp(knob, "probability"))
		return &fa->probability;
	if (!strcmp(knob, "interval"))
		return &fa->interval;
	if (!strcmp(knob, "verbose"))
		return &fa->verbose;
	*type = FS_LONG;
	if (!strcmp(knob, "times"))
		return &fa->times;
	if (!strcmp(knob, "space"))
		return &fa->space;
	*type = FS_BOOL;
	if (!strcmp(knob, "ignore-gfp-wait"))
		return &fa->ignore_gfp_reclaim;
	if (!strcmp(knob, "cache-filter"))
		return &sg->failslab.cache_filter;
	return NULL;
}

/* Print a knob into @sf: 0 or -ENOENT. */
int failslab_attr_show(struct seq_file *sf, const char *knob)
{
	struct slab_globals *sg = slab_globals();
	enum fs_type type;
	void *p = fs_knob(sg, knob, &type);

	if (!p)
		return -ENOENT;
	spin_lock(&sg->failslab.lock);
	if (type == FS_ULONG)
		seq_printf(sf, "%lu\n", *(unsigned long *)p);
	else if (type == FS_LONG)
		seq_printf(sf, "%ld\n", *(long *)p);
	else
		seq_printf(sf, "%s\n", *(bool *)p ? "Y" : "N");
	spin_unlock(&sg->failslab.lock);
	return 0;
}

/* Write a knob; the whole value or nothing: 0, -ENOENT or -EINVAL. */
int failslab_attr_store(const char *knob, const char *text)
{
	struct slab_globals *sg = slab_globals();
	enum fs_type type;
	void *p = fs_knob(sg, knob, &type);
	char *end;
	long long v;

	if (!p)
		return -ENOENT;
	if (type == FS_BOOL) {
		bool b;

		if (text[0] == 'Y' || text[0] == 'y' || text[0] == '1')
			b = true;
		else if (text[0] == 'N' || text[0] == 'n' || text[0] == '0')
			b = false;
		else
			return -EINVAL;
		spin_lock(&sg->failslab.lock);
		*(bool *)p = b;
		spin_unlock(&sg->failslab.lock);
		return 0;
	}
	errno = 0;
	v = strtoll(text, &end, 0);
	while (*end == '\n' || *end == ' ')
		end++;
	if (errno || end == text || *end || (type == FS_ULONG && v < 0))
		return -EINVAL;
	if (!strcmp(knob, "probability") && v > 100)
		return -EINVAL;
	spin_lock(&sg->failslab.lock);
	if (type == FS_ULONG)
		*(unsigned long *)p = (unsigned long)v;
	else
		*(long *)p = (long)v;
	spin_unlock(&sg->failslab.lock);
	pthread_mutex_lock(&sg->slab_mutex);
	failslab_update(sg);
	pthread_mutex_unlock(&sg->slab_mutex);
	return 0;
}

/* /sys/kernel/debug/failslab/<knob> (Linux's failslab_debugfs_init). */
static int failslab_seq(struct seq_file *sf, struct proc_file *f)
{
	return failslab_attr_show(sf, f->entry->data);
}

static int failslab_write(struct proc_file *f, const char *text)
{
	return failslab_attr_store(f->entry->data, text);
}

#define FS(name) { "/sys/kernel/debug/failslab/" name, failslab_seq, failslab_write, name }

static const struct proc_entry failslab_files[] = {
	FS("probability"), FS("interval"), FS("times"), FS("space"), FS("verbose"),
	FS("ignore-gfp-wait"), FS("cache-filter"),
};

static int failslab_debugfs_init(struct mmsim *m, char *err, size_t len)
{
	return proc_create_table(failslab_files);
}

static const struct initcall failslab_initcalls[] = {
	late_initcall(failslab_debugfs_init, NULL),
};

DEFINE_SUBSYSTEM(failslab, SUBSYS_STATE(struct failslab_boot, NULL),
		 SUBSYS_PARAMS(failslab_params), SUBSYS_INITCALLS(failslab_initcalls));
