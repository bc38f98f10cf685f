// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_shrinker.c - mm/shrinker.c and the VFS's shrinker:
 *   - do_shrink_slab's arithmetic: delta = (freeable >> priority) * 4 /
 *     seeks, nr_deferred carried and capped at 2 * freeable, batches of
 *     128 (or all when tight), slabs_scanned, seeks == 0, SHRINK_STOP,
 *     SHRINK_EMPTY, per-node nr_deferred for NUMA-aware shrinkers;
 *   - both APIs (shrinker_alloc/register/free, register/unregister_shrinker)
 *     and /sys/kernel/debug/shrinker/NAME-ID/{count,scan};
 *   - drop_slab through drop_caches 2;
 *   - the super block shrinker: unused dentries and inodes of mmfs pruned
 *     by shrink_slab, vm.vfs_cache_pressure 0 keeps them, GFP_NOFS stops.
 * shrinkers_are_valid() after every step.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/shrinker.h>
#include "mmtest.h"
#include "fs/internal.h"

bool shrinkers_are_valid(struct mmsim *m);

static long vmstat_of(struct mmsim *m, const char *name)
{
	char *text = mmsim_read(m, "/proc/vmstat");
	char label[64];
	long long v;

	snprintf(label, sizeof(label), "%s ", name);
	v = field(text, label);
	free(text);
	return (long)v;
}

/* A cache of @objects objects; scan frees up to nr_to_scan of them. */
struct toy {
	struct shrinker *s;
	unsigned long objects;
	unsigned long scans, scanned;
	unsigned long node_objects[2];
	bool stop;
};

static unsigned long toy_count(struct shrinker *s, struct shrink_control *sc)
{
	struct toy *t = s->private_data;

	if (s->flags & SHRINKER_NUMA_AWARE)
		return t->node_objects[sc->nid];
	return t->objects ? t->objects : SHRINK_EMPTY;
}

static unsigned long toy_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct toy *t = s->private_data;
	unsigned long *pool = (s->flags & SHRINKER_NUMA_AWARE) ? &t->node_objects[sc->nid]
							       : &t->objects;
	unsigned long n = min(*pool, sc->nr_to_scan);

	if (t->stop)
		return SHRINK_STOP;
	t->scans++;
	t->scanned += sc->nr_to_scan;
	*pool -= n;
	return n;
}

static struct shrinker *toy_new(struct toy *t, unsigned int flags, int seeks)
{
	t->s = shrinker_alloc(flags, "toy");
	KT_ASSERT(t->s);
	t->s->count_objects = toy_count;
	t->s->scan_objects = toy_scan;
	t->s->seeks = seeks;
	t->s->private_data = t;
	shrinker_register(t->s);
	return t->s;
}

static void test_arithmetic(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=1");
	struct toy t = { .objects = 10000 };
	long scanned0;

	toy_new(&t, 0, DEFAULT_SEEKS);
	/* Priority 12: delta = (10000 >> 12) * 4 / 2 = 4 < batch: all deferred. */
	shrink_slab(GFP_KERNEL, 0, NULL, 12);
	KT_EQ(t.scans, 0);
	KT_EQ(t.s->nr_deferred[0], 4);
	shrink_slab(GFP_KERNEL, 0, NULL, 12);
	KT_EQ(t.s->nr_deferred[0], 8);
	KT_ASSERT(shrinkers_are_valid(m));

	/* Priority 0 with 1000 objects: delta 2000, total_scan min(8 + 2000, 2000);
	 * 15 batches of 128 (1920) and 80 deferred + the 8 carried. */
	t.objects = 1000;
	scanned0 = vmstat_of(m, "slabs_scanned");
	KT_EQ(shrink_slab(GFP_KERNEL, 0, NULL, 0), 1000);
	KT_EQ(t.scans, 15);
	KT_EQ(t.scanned, 1920);
	KT_EQ(vmstat_of(m, "slabs_scanned") - scanned0, 1920);
	KT_EQ(t.s->nr_deferred[0], 88);
	KT_EQ(t.objects, 0);
	/* Empty: SHRINK_EMPTY, nothing scanned, the deferred work kept. */
	KT_EQ(shrink_slab(GFP_KERNEL, 0, NULL, 0), 0);
	KT_EQ(t.scans, 15);
	KT_EQ(t.s->nr_deferred[0], 88);

	/* Tight: fewer objects than a batch, total_scan >= freeable: scanned at once. */
	t.objects = 50;
	KT_EQ(shrink_slab(GFP_KERNEL, 0, NULL, 0), 50);
	KT_EQ(t.scans, 16);
	/* The deferred count never exceeds 2 * freeable. */
	KT_ASSERT(t.s->nr_deferred[0] <= 100);
	KT_ASSERT(shrinkers_are_valid(m));
	shrinker_free(t.s);
	mmsim_shutdown(m);
}

static void test_seeks_zero_and_stop(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=1");
	struct toy t = { .objects = 4096 };

	toy_new(&t, 0, 0);
	/* seeks 0: delta = freeable / 2 whatever the priority. */
	KT_EQ(shrink_slab(GFP_KERNEL, 0, NULL, 12), 2048);
	KT_EQ(t.objects, 2048);
	KT_EQ(t.s->nr_deferred[0], 0);
	t.stop = true;
	KT_EQ(shrink_slab(GFP_KERNEL, 0, NULL, 12), 0);
	KT_EQ(t.objects, 2048);
	/* A stopped scan defers what it did not do: 1024, capped at 2 * 2048. */
	KT_EQ(t.s->nr_deferred[0], 1024);
	shrinker_free(t.s);
	mmsim_shutdown(m);
}

static void test_numa_aware_deferred(void)
{
	struct mmsim *m = boot_or_die("ram=128M nodes=2 cpus=2");
	struct toy t = { .node_objects = { 10000, 20000 } };

	if (num_online_nodes() < 2) {
		printf("note: no second node on this machine\n");
		mmsim_shutdown(m);
		return;
	}
	toy_new(&t, SHRINKER_NUMA_AWARE, DEFAULT_SEEKS);
	shrink_slab(GFP_KERNEL, 1, NULL, 12);
	KT_EQ(t.s->nr_deferred[0], 0);
	KT_EQ(t.s->nr_deferred[1], 8);	/* (20000 >> 12) * 4 / 2 */
	shrink_slab(GFP_KERNEL, 0, NULL, 12);
	KT_EQ(t.s->nr_deferred[0], 4);
	shrinker_free(t.s);
	mmsim_shutdown(m);
}

static unsigned long legacy_objects;
static unsigned long legacy_count(struct shrinker *s, struct shrink_control *sc)
{
	(void)s;
	(void)sc;
	return legacy_objects;
}
static unsigned long legacy_scan(struct shrinker *s, struct shrink_control *sc)
{
	unsigned long n = min(legacy_objects, sc->nr_to_scan);

	(void)s;
	legacy_objects -= n;
	return n;
}

/* The find-the-directory helper: "NAME-ID" for the first id that exists. */
static char *debugfs_count(struct mmsim *m, const char *name, int *id_out)
{
	for (int id = 0; id < 64; id++) {
		char path[128];
		char *text;

		snprintf(path, sizeof(path), "/sys/kernel/debug/shrinker/%s-%d/count", name, id);
		text = mmsim_read(m, path);
		if (text) {
			if (id_out)
				*id_out = id;
			return text;
		}
	}
	return NULL;
}

static void test_legacy_api_debugfs_drop_slab(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=1");
	struct shrinker legacy = {
		.count_objects = legacy_count,
		.scan_objects = legacy_scan,
		.seeks = DEFAULT_SEEKS,
	};
	char path[128], *text;
	int id = -1;

	KT_EQ(register_shrinker(&legacy, "legacy-%s", "x"), 0);
	KT_ASSERT(legacy.flags & SHRINKER_REGISTERED);
	legacy_objects = 300;
	text = debugfs_count(m, "legacy-x", &id);
	KT_ASSERT(text);
	KT_EQ(strcmp(text, "0 300\n"), 0);
	free(text);
	snprintf(path, sizeof(path), "/sys/kernel/debug/shrinker/legacy-x-%d/scan", id);
	KT_EQ(mmsim_write(m, path, "0 0 100"), 0);
	KT_EQ(legacy_objects, 200);
	KT_EQ(mmsim_write(m, path, "0 0"), -EINVAL);
	KT_EQ(mmsim_write(m, path, "0 5 1"), -EINVAL);
	/* drop_caches 2: drop_slab shrinks it to nothing. */
	KT_EQ(mmsim_write(m, "/proc/sys/vm/drop_caches", "2"), 0);
	KT_EQ(legacy_objects, 0);
	text = debugfs_count(m, "legacy-x", NULL);
	KT_ASSERT(text && !*text);	/* nothing to count: empty */
	free(text);
	KT_ASSERT(shrinkers_are_valid(m));
	unregister_shrinker(&legacy);
	KT_ASSERT(!(legacy.flags & SHRINKER_REGISTERED));
	KT_ASSERT(!debugfs_count(m, "legacy-x", NULL));
	mmsim_shutdown(m);
}

static struct super_block *root_sb(void)
{
	struct vfs_state *vfs = vfs_state();
	struct super_block *sb;

	list_for_each_entry(sb, &vfs->super_blocks, s_list)
		if (!strcmp(sb->s_type->name, "mmfs"))
			return sb;
	return NULL;
}

static void make_files(int n)
{
	for (int i = 0; i < n; i++) {
		char path[32];
		long fd;

		snprintf(path, sizeof(path), "/shr%d", i);
		fd = sys_open(path, O_CREAT | O_WRONLY, 0644);
		KT_ASSERT(fd >= 0);
		sys_close((int)fd);
	}
	sys_sync();
}

static void test_super_shrinker(void)
{
	struct mmsim *m = boot_or_die("ram=64M disk=64M cpus=1");
	struct task_struct *p = mmsim_spawn(m, "shr");
	struct super_block *sb;
	long d0, steal0;
	int i;

	KT_ASSERT(p);
	KT_EQ(mmsim_switch_to(p), 0);
	sb = root_sb();
	KT_ASSERT(sb);
	make_files(200);
	d0 = dcache_nr_unused(sb);
	KT_ASSERT(d0 >= 200);
	/* GFP_NOFS reclaim leaves the VFS alone. */
	shrink_slab(GFP_NOFS, 0, NULL, 0);
	KT_EQ(dcache_nr_unused(sb), d0);
	/* vm.vfs_cache_pressure 0: counted as nothing, never scanned. */
	KT_EQ(mmsim_write(m, "/proc/sys/vm/vfs_cache_pressure", "0"), 0);
	shrink_slab(GFP_KERNEL, 0, NULL, 0);
	KT_EQ(dcache_nr_unused(sb), d0);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/vfs_cache_pressure", "100"), 0);
	/* Light pressure: some go; repeated full pressure: all of them. */
	shrink_slab(GFP_KERNEL, 0, NULL, 6);
	KT_ASSERT(dcache_nr_unused(sb) <= d0);
	for (i = 0; i < 10 && (dcache_nr_unused(sb) || icache_nr_unused(sb)); i++)
		shrink_slab(GFP_KERNEL, 0, NULL, 0);
	KT_EQ(dcache_nr_unused(sb), 0);
	KT_EQ(icache_nr_unused(sb), 0);
	KT_ASSERT(shrinkers_are_valid(m));
	/* The files are still there: looked up again from the disk. */
	steal0 = vmstat_of(m, "pginodesteal");
	for (i = 0; i < 200; i += 50) {
		char path[32];
		long fd;

		snprintf(path, sizeof(path), "/shr%d", i);
		fd = sys_open(path, O_RDONLY, 0);
		KT_ASSERT(fd >= 0);
		sys_close((int)fd);
	}
	KT_ASSERT(vmstat_of(m, "pginodesteal") >= steal0);
	mmsim_switch_idle();
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_arithmetic);
	KT_RUN(test_seeks_zero_and_stop);
	KT_RUN(test_numa_aware_deferred);
	KT_RUN(test_legacy_api_debugfs_drop_slab);
	KT_RUN(test_super_shrinker);
	return kt_done();
}
