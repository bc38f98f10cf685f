// SPDX-License-Identifier: GPL-2.0
/*
 * lib/test_vmalloc.c - Linux's vmalloc test module (Uladzislau Rezki,
 * lib/test_vmalloc.c), built into mmsim: the same 11 test cases, the same
 * parameters and defaults, the same "Summary:" lines, and the presets of
 * tools/testing/selftests/mm/test_vmalloc.sh:
 *
 *   performance  sequential_test_order=1 test_repeat_count=3
 *   stress       nr_threads=<CPUs> test_repeat_count=20
 *   smoke        test_loop_count=10000 test_repeat_count=10
 *
 * Workers are host threads, each entered on a CPU of the machine for its
 * whole run (worker i tries CPU i % nr_cpus first; with more workers than
 * CPUs the extra ones wait for a CPU).  The caller leaves its CPU while
 * they run and gets it back afterwards.  Randomness is a per-worker
 * xorshift seeded from the machine's seed=, so the allocation sequence of
 * each worker is reproducible; the times are not.
 *
 * Not in Linux: params->progress, if set, is called as each test starts
 * (under a lock, from the worker), so a tool can show how far a long run
 * is; the module itself prints nothing but its Summary lines.
 *
 * Stand-ins where mmsim lacks a piece of Linux: pcpu_alloc_test allocates
 * with kmalloc(ALIGN(size, align) * nr_cpus) instead of __alloc_percpu (no
 * percpu allocator yet); kvfree_rcu() frees at once (no RCU readers exist,
 * so the grace period is empty).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <mmsim/vmalloc.h>
#include <mmsim/slab.h>
#include "init/machine.h"

struct test_kvfree_rcu {
	void *rcu[2];			/* struct rcu_head */
	unsigned char array[20];
};

/* One worker's view: its parameters and its random state. */
struct tv_ctx {
	const struct test_vmalloc_params *p;
	uint64_t rng;
};

static _Thread_local struct tv_ctx *tv;

static uint32_t get_random_u32(void)
{
	uint64_t x = tv->rng;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	tv->rng = x;
	return (uint32_t)(x >> 32);
}

static uint8_t get_random_u8(void)
{
	return (uint8_t)get_random_u32();
}

/* [lo, hi] */
static uint32_t get_random_u32_inclusive(uint32_t lo, uint32_t hi)
{
	return lo + get_random_u32() % (hi - lo + 1);
}

static uint32_t get_random_u32_below(uint32_t ceil)
{
	return ceil ? get_random_u32() % ceil : 0;
}

static void kvfree_rcu_standin(void *p)
{
	vfree(p);
}

/* ---------------------------------------------------------------------
 * The test cases, as in Linux
 */

static int random_size_align_alloc_test(void)
{
	unsigned long size, align;
	unsigned int rnd;
	void *ptr;

	for (int i = 0; i < tv->p->test_loop_count; i++) {
		rnd = get_random_u8();
		/* Maximum 1024 pages, if PAGE_SIZE is 4096. */
		align = 1UL << (rnd % 23);
		/* Maximum 10 pages. */
		size = ((rnd % 10) + 1) * PAGE_SIZE;
		ptr = __vmalloc_node(size, align, GFP_KERNEL | __GFP_ZERO, 0, __VM_CALLER);
		if (!ptr)
			return -1;
		vfree(ptr);
	}
	return 0;
}

/* This test case is supposed to fail. */
static int align_shift_alloc_test(void)
{
	unsigned long align;
	void *ptr;

	for (int i = 0; i < (int)(8 * sizeof(long)); i++) {
		align = 1UL << i;
		ptr = __vmalloc_node(PAGE_SIZE, align, GFP_KERNEL | __GFP_ZERO, 0, __VM_CALLER);
		if (!ptr)
			return -1;
		vfree(ptr);
	}
	return 0;
}

static int fix_align_alloc_test(void)
{
	/* THREAD_ALIGN << 1: THREAD_SIZE is 4 pages on 64-bit, 2 on 32-bit. */
	unsigned long thread_align = (current_layout->is_64bit ? 4 : 2) * PAGE_SIZE;
	void *ptr;

	for (int i = 0; i < tv->p->test_loop_count; i++) {
		ptr = __vmalloc_node(5 * PAGE_SIZE, thread_align << 1, GFP_KERNEL | __GFP_ZERO, 0,
				     __VM_CALLER);
		if (!ptr)
			return -1;
		vfree(ptr);
	}
	return 0;
}

static int random_size_alloc_test(void)
{
	unsigned int n;
	void *p;

	for (int i = 0; i < tv->p->test_loop_count; i++) {
		n = get_random_u32_inclusive(1, 100);
		p = vmalloc(n * PAGE_SIZE);
		if (!p)
			return -1;
		*((uint8_t *)p) = 1;
		vfree(p);
	}
	return 0;
}

static int long_busy_list_alloc_test(void)
{
	void *ptr_1, *ptr_2;
	void **ptr;
	int rv = -1;
	int i;

	ptr = vmalloc(sizeof(void *) * 15000);
	if (!ptr)
		return rv;
	for (i = 0; i < 15000; i++)
		ptr[i] = vmalloc(1 * PAGE_SIZE);
	for (i = 0; i < tv->p->test_loop_count; i++) {
		ptr_1 = vmalloc(100 * PAGE_SIZE);
		if (!ptr_1)
			goto leave;
		ptr_2 = vmalloc(1 * PAGE_SIZE);
		if (!ptr_2) {
			vfree(ptr_1);
			goto leave;
		}
		*((uint8_t *)ptr_1) = 0;
		*((uint8_t *)ptr_2) = 1;
		vfree(ptr_1);
		vfree(ptr_2);
	}
	rv = 0;	/* success */
leave:
	for (i = 0; i < 15000; i++)
		vfree(ptr[i]);
	vfree(ptr);
	return rv;
}

static int full_fit_alloc_test(void)
{
	void **ptr, **junk_ptr, *tmp;
	int junk_length;
	int rv = -1;
	int i;

	junk_length = fls((unsigned int)num_online_cpus());
	junk_length *= (int)(32 * 1024 * 1024 / PAGE_SIZE);
	ptr = vmalloc(sizeof(void *) * (unsigned long)junk_length);
	if (!ptr)
		return rv;
	junk_ptr = vmalloc(sizeof(void *) * (unsigned long)junk_length);
	if (!junk_ptr) {
		vfree(ptr);
		return rv;
	}
	for (i = 0; i < junk_length; i++) {
		ptr[i] = vmalloc(1 * PAGE_SIZE);
		junk_ptr[i] = vmalloc(1 * PAGE_SIZE);
	}
	for (i = 0; i < junk_length; i++)
		vfree(junk_ptr[i]);
	for (i = 0; i < tv->p->test_loop_count; i++) {
		tmp = vmalloc(1 * PAGE_SIZE);
		if (!tmp)
			goto error;
		*((uint8_t *)tmp) = 1;
		vfree(tmp);
	}
	rv = 0;	/* success */
error:
	for (i = 0; i < junk_length; i++)
		vfree(ptr[i]);
	vfree(ptr);
	vfree(junk_ptr);
	return rv;
}

static int fix_size_alloc_test(void)
{
	int nr_pages = tv->p->nr_pages > 0 ? tv->p->nr_pages : 1;
	void *ptr;

	for (int i = 0; i < tv->p->test_loop_count; i++) {
		if (tv->p->use_huge)
			ptr = vmalloc_huge((unsigned long)nr_pages * PAGE_SIZE, GFP_KERNEL);
		else
			ptr = vmalloc((unsigned long)nr_pages * PAGE_SIZE);
		if (!ptr)
			return -1;
		*((uint8_t *)ptr) = 0;
		vfree(ptr);
	}
	return 0;
}

static int pcpu_alloc_test(void)
{
	unsigned long nr_cpus = (unsigned long)num_online_cpus();
	size_t size, align;
	void **pcpu;
	int rv = 0;
	int i;

	pcpu = vmalloc(sizeof(void *) * 35000);
	if (!pcpu)
		return -1;
	for (i = 0; i < 35000; i++) {
		size = get_random_u32_inclusive(1, (uint32_t)(PAGE_SIZE / 4));
		/* Maximum PAGE_SIZE */
		align = 1UL << get_random_u32_inclusive(1, 11);
		pcpu[i] = kmalloc(ALIGN(size, align) * nr_cpus, GFP_KERNEL);
		if (!pcpu[i])
			rv = -1;
	}
	for (i = 0; i < 35000; i++)
		kfree(pcpu[i]);
	vfree(pcpu);
	return rv;
}

static int kvfree_rcu_1_arg_vmalloc_test(void)
{
	struct test_kvfree_rcu *p;

	for (int i = 0; i < tv->p->test_loop_count; i++) {
		p = vmalloc(1 * PAGE_SIZE);
		if (!p)
			return -1;
		p->array[0] = 'a';
		kvfree_rcu_standin(p);	/* kvfree_rcu_mightsleep(p) */
	}
	return 0;
}

static int kvfree_rcu_2_arg_vmalloc_test(void)
{
	struct test_kvfree_rcu *p;

	for (int i = 0; i < tv->p->test_loop_count; i++) {
		p = vmalloc(1 * PAGE_SIZE);
		if (!p)
			return -1;
		p->array[0] = 'a';
		kvfree_rcu_standin(p);	/* kvfree_rcu(p, rcu) */
	}
	return 0;
}

static int vm_map_ram_test(void)
{
	unsigned int map_nr_pages = tv->p->nr_pages > 0 ? (unsigned int)tv->p->nr_pages : 1;
	unsigned long nr_allocated;
	unsigned char *v_ptr;
	struct page **pages;
	int i;

	pages = kcalloc(map_nr_pages, sizeof(struct page *), GFP_KERNEL);
	if (!pages)
		return -1;
	nr_allocated = alloc_pages_bulk(GFP_KERNEL, map_nr_pages, pages);
	if (nr_allocated != map_nr_pages)
		goto cleanup;
	/* Run the test loop. */
	for (i = 0; i < tv->p->test_loop_count; i++) {
		v_ptr = vm_map_ram(pages, map_nr_pages, NUMA_NO_NODE);
		if (!v_ptr) {
			nr_allocated = 0;
			break;
		}
		*v_ptr = 'a';
		vm_unmap_ram(v_ptr, map_nr_pages);
	}
cleanup:
	for (i = 0; i < (int)map_nr_pages && pages[i]; i++)
		__free_page(pages[i]);
	kfree(pages);
	/* 0 indicates success. */
	return nr_allocated != map_nr_pages;
}

struct test_case_desc {
	const char *test_name;
	int (*test_func)(void);
};

static const struct test_case_desc test_case_array[] = {
	{ "fix_size_alloc_test", fix_size_alloc_test },
	{ "full_fit_alloc_test", full_fit_alloc_test },
	{ "long_busy_list_alloc_test", long_busy_list_alloc_test },
	{ "random_size_alloc_test", random_size_alloc_test },
	{ "fix_align_alloc_test", fix_align_alloc_test },
	{ "random_size_align_alloc_test", random_size_align_alloc_test },
	{ "align_shift_alloc_test", align_shift_alloc_test },
	{ "pcpu_alloc_test", pcpu_alloc_test },
	{ "kvfree_rcu_1_arg_vmalloc_test", kvfree_rcu_1_arg_vmalloc_test },
	{ "kvfree_rcu_2_arg_vmalloc_test", kvfree_rcu_2_arg_vmalloc_test },
	{ "vm_map_ram_test", vm_map_ram_test },
};
#define NR_TESTS ((int)ARRAY_SIZE(test_case_array))
#define ALIGN_SHIFT_TEST 6	/* expected to fail */

struct test_case_data {
	int test_failed;
	int test_passed;
	uint64_t time;		/* usec, average over the repeats */
};

/* The progress calls of one run: a count over all workers, and its lock. */
struct tv_progress {
	pthread_mutex_t lock;
	int nr, total;
};

struct test_driver {
	pthread_t task;
	int index;
	struct mmsim *m;
	struct tv_progress *progress;
	struct tv_ctx ctx;
	struct test_case_data data[NR_TESTS];
	unsigned long start, stop;	/* "cycles": ns of the host clock */
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void shuffle_array(int *arr, int n)
{
	for (int i = n - 1; i > 0; i--) {
		int j = (int)get_random_u32_below((uint32_t)i);
		int t = arr[i];

		arr[i] = arr[j];
		arr[j] = t;
	}
}

/* Enter a free CPU, preferring @first. */
static void enter_some_cpu(struct mmsim *m, int first)
{
	int n = m->nr_cpus;

	for (;;) {
		for (int k = 0; k < n; k++)
			if (!mmsim_enter(m, (first + k) % n))
				return;
		sched_yield();
	}
}

static void *test_func(void *private)
{
	struct test_driver *t = private;
	const struct test_vmalloc_params *p = t->ctx.p;
	int random_array[NR_TESTS];

	enter_some_cpu(t->m, t->index % t->m->nr_cpus);
	tv = &t->ctx;
	for (int i = 0; i < NR_TESTS; i++)
		random_array[i] = i;
	if (!p->sequential_test_order)
		shuffle_array(random_array, NR_TESTS);
	t->start = (unsigned long)now_ns();
	for (int i = 0; i < NR_TESTS; i++) {
		int index = random_array[i];
		uint64_t kt, delta;

		/* Skip tests if run_test_mask has been specified. */
		if (!((p->run_test_mask & (1 << index)) >> index))
			continue;
		if (p->progress) {
			pthread_mutex_lock(&t->progress->lock);
			p->progress(p->progress_arg, ++t->progress->nr, t->progress->total,
				    test_case_array[index].test_name);
			pthread_mutex_unlock(&t->progress->lock);
		}
		kt = now_ns();
		for (int j = 0; j < p->test_repeat_count; j++) {
			if (!test_case_array[index].test_func())
				t->data[index].test_passed++;
			else
				t->data[index].test_failed++;
		}
		/* Take an average time that test took. */
		delta = (now_ns() - kt) / 1000;
		t->data[index].time = delta / (uint32_t)p->test_repeat_count;
	}
	t->stop = (unsigned long)now_ns();
	tv = NULL;
	mmsim_leave();
	return NULL;
}

void test_vmalloc_default_params(struct test_vmalloc_params *p)
{
	p->nr_threads = 0;
	p->sequential_test_order = false;
	p->test_repeat_count = 1;
	p->test_loop_count = 1000000;
	p->nr_pages = 0;
	p->use_huge = false;
	p->run_test_mask = 0x7fffffff;	/* INT_MAX */
	p->progress = NULL;
	p->progress_arg = NULL;
}

int test_vmalloc_parse(struct test_vmalloc_params *p, const char *word, char *err, size_t len)
{
	static const struct { const char *name; size_t off; bool is_bool; } keys[] = {
		{ "nr_threads", offsetof(struct test_vmalloc_params, nr_threads), false },
		{ "sequential_test_order", offsetof(struct test_vmalloc_params, sequential_test_order), true },
		{ "test_repeat_count", offsetof(struct test_vmalloc_params, test_repeat_count), false },
		{ "test_loop_count", offsetof(struct test_vmalloc_params, test_loop_count), false },
		{ "nr_pages", offsetof(struct test_vmalloc_params, nr_pages), false },
		{ "use_huge", offsetof(struct test_vmalloc_params, use_huge), true },
		{ "run_test_mask", offsetof(struct test_vmalloc_params, run_test_mask), false },
	};
	const char *eq = strchr(word, '=');
	char *end;
	long v;

	if (!eq) {
		if (!strcmp(word, "performance")) {
			p->sequential_test_order = true;
			p->test_repeat_count = 3;
		} else if (!strcmp(word, "stress")) {
			p->nr_threads = -1;	/* resolved to the CPUs at run time */
			p->test_repeat_count = 20;
		} else if (!strcmp(word, "smoke")) {
			p->test_loop_count = 10000;
			p->test_repeat_count = 10;
		} else {
			snprintf(err, len, "'%s': not a preset (performance, stress, smoke) or KEY=VALUE",
				 word);
			return -EINVAL;
		}
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		if (strlen(keys[i].name) != (size_t)(eq - word) ||
		    strncmp(word, keys[i].name, (size_t)(eq - word)))
			continue;
		if (keys[i].is_bool && (!strcmp(eq + 1, "Y") || !strcmp(eq + 1, "y") ||
					!strcmp(eq + 1, "true"))) {
			*(bool *)((char *)p + keys[i].off) = true;
			return 0;
		}
		if (keys[i].is_bool && (!strcmp(eq + 1, "N") || !strcmp(eq + 1, "n") ||
					!strcmp(eq + 1, "false"))) {
			*(bool *)((char *)p + keys[i].off) = false;
			return 0;
		}
		errno = 0;
		v = strtol(eq + 1, &end, 0);
		if (errno || end == eq + 1 || *end || v < -2147483647L - 1 || v > 2147483647L ||
		    (keys[i].is_bool && v != 0 && v != 1)) {
			snprintf(err, len, "'%s': bad value", word);
			return -EINVAL;
		}
		if (keys[i].is_bool)
			*(bool *)((char *)p + keys[i].off) = v;
		else
			*(int *)((char *)p + keys[i].off) = (int)v;
		return 0;
	}
	snprintf(err, len, "'%.*s': unknown parameter", (int)(eq - word), word);
	return -EINVAL;
}

int test_vmalloc_run(struct mmsim *m, const struct test_vmalloc_params *params)
{
	struct test_vmalloc_params p = *params;
	struct tv_progress progress = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct test_driver *tdriver;
	int prev_cpu = current_cpu && current_cpu->m == m ? smp_processor_id() : -1;
	int failed = 0;

	if (p.nr_threads < 0)
		p.nr_threads = m->nr_cpus;
	/* init_test_configurtion(), as Linux spells it. */
	p.nr_threads = clamp(p.nr_threads, 1, 65535);
	if (p.test_repeat_count <= 0)
		p.test_repeat_count = 1;
	if (p.test_loop_count <= 0)
		p.test_loop_count = 1;
	tdriver = calloc((size_t)p.nr_threads, sizeof(*tdriver));
	if (!tdriver)
		return -ENOMEM;
	for (int j = 0; j < NR_TESTS; j++)
		if (p.run_test_mask & (1 << j))
			progress.total += p.nr_threads;
	if (prev_cpu >= 0)
		mmsim_leave();
	for (int i = 0; i < p.nr_threads; i++) {
		struct test_driver *t = &tdriver[i];

		t->index = i;
		t->m = m;
		t->progress = &progress;
		t->ctx.p = &p;
		t->ctx.rng = (m->hw.hp.seed + 1) * 0x9e3779b97f4a7c15ULL + (uint64_t)i * 0xbf58476d1ce4e5b9ULL;
		if (!t->ctx.rng)
			t->ctx.rng = 1;
		if (pthread_create(&t->task, NULL, test_func, t)) {
			t->index = -1;
			fprintf(stderr, "Failed to start %d kthread\n", i);
		}
	}
	for (int i = 0; i < p.nr_threads; i++)
		if (tdriver[i].index >= 0)
			pthread_join(tdriver[i].task, NULL);
	enter_some_cpu(m, prev_cpu >= 0 ? prev_cpu : 0);
	for (int i = 0; i < p.nr_threads; i++) {
		struct test_driver *t = &tdriver[i];

		for (int j = 0; j < NR_TESTS; j++) {
			if (!((p.run_test_mask & (1 << j)) >> j))
				continue;
			pr_info("Summary: %s passed: %d failed: %d repeat: %d loops: %d avg: %llu usec\n",
				test_case_array[j].test_name, t->data[j].test_passed,
				t->data[j].test_failed, p.test_repeat_count, p.test_loop_count,
				(unsigned long long)t->data[j].time);
			if (j != ALIGN_SHIFT_TEST)
				failed += t->data[j].test_failed;
		}
		pr_info("All test took worker%d=%lu cycles\n", i, t->stop - t->start);
	}
	if (prev_cpu < 0)
		mmsim_leave();
	free(tdriver);
	pthread_mutex_destroy(&progress.lock);
	return failed;
}
