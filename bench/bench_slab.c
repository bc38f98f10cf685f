// SPDX-License-Identifier: GPL-2.0
/*
 * bench/bench_slab.c - the slab allocator against the best mallocs.
 *
 * Workloads, each run by mmsim and by every peer in the same process:
 *   pair64     kmalloc(64)+kfree          vs malloc(64)+free
 *   cache64    kmem_cache_alloc+free      vs malloc(64)+free
 *   bulk64     alloc_bulk/free_bulk of 64 vs 64 mallocs then 64 frees
 *   mix        random sizes 8..4096, 10,000 live: free one, allocate one
 *   prodcons   64-byte objects allocated on one CPU, freed on another
 *   threads    1..N threads doing 64-byte pairs (throughput)
 * Peers: glibc malloc (linked), jemalloc, mimalloc and tcmalloc loaded with
 * dlopen (RTLD_LOCAL, so each keeps its own malloc), skipped when absent
 * (scripts/install-deps.sh bench installs them).  A ratio is mmsim's time
 * over the peer's: below 1.0 mmsim is faster.  The mix also reports memory
 * overhead: bytes the allocator holds per byte live, mmsim (slab pages)
 * against glibc (mallinfo2 arena + mmapped).  MMSIM_BENCH_ONLY=<workload>
 * (pair64, cache64, bulk64, mix, prodcons, threads) runs just that one.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include "bench_common.h"

typedef void *(*malloc_fn)(size_t);
typedef void (*free_fn)(void *);

struct alloc_ops {
	const char *name;
	malloc_fn malloc;
	free_fn free;
	bool present;
};

static void *mm_malloc(size_t n) { return kmalloc(n, GFP_KERNEL); }
static void mm_free(void *p) { kfree(p); }

enum { A_MMSIM, A_GLIBC, A_JE, A_MI, A_TC, NR_ALLOC };
static struct alloc_ops allocs[NR_ALLOC] = {
	[A_MMSIM] = { "mmsim", mm_malloc, mm_free, true },
	[A_GLIBC] = { "glibc", malloc, free, true },
	[A_JE] = { "jemalloc", NULL, NULL, false },
	[A_MI] = { "mimalloc", NULL, NULL, false },
	[A_TC] = { "tcmalloc", NULL, NULL, false },
};

static void load_peer(int i, const char *lib, const char *m, const char *f)
{
	void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);

	if (!h)
		return;
	allocs[i].malloc = (malloc_fn)dlsym(h, m);
	allocs[i].free = (free_fn)dlsym(h, f);
	allocs[i].present = allocs[i].malloc && allocs[i].free;
}

static struct mmsim *machine;
static struct kmem_cache *cache64;

/* MMSIM_BENCH_ONLY unset, or naming @what. */
static bool want(const char *what)
{
	const char *only = getenv("MMSIM_BENCH_ONLY");

	return !only || !*only || !strcmp(only, what);
}

/* ---------------------------------------------------------------------
 * Loops
 */

static void loop_pair(void *ctx, long iters)
{
	struct alloc_ops *a = ctx;

	for (long i = 0; i < iters; i++) {
		void *p = a->malloc(64);

		bench_keep(p);
		a->free(p);
	}
}

/* mmsim's own pair, direct calls as a kernel caller makes them. */
static void loop_kmalloc_pair(void *ctx, long iters)
{
	for (long i = 0; i < iters; i++) {
		void *p = kmalloc(64, GFP_KERNEL);

		bench_keep(p);
		kfree(p);
	}
}

static void loop_cache_pair(void *ctx, long iters)
{
	for (long i = 0; i < iters; i++) {
		void *p = kmem_cache_alloc(cache64, GFP_KERNEL);

		bench_keep(p);
		kmem_cache_free(cache64, p);
	}
}

#define BULK 64
static void loop_bulk_mmsim(void *ctx, long iters)
{
	void *p[BULK];

	for (long i = 0; i < iters; i++) {
		kmem_cache_alloc_bulk(cache64, GFP_KERNEL, BULK, p);
		bench_keep(p);
		kmem_cache_free_bulk(cache64, BULK, p);
	}
}

static void loop_bulk_peer(void *ctx, long iters)
{
	struct alloc_ops *a = ctx;
	void *p[BULK];

	for (long i = 0; i < iters; i++) {
		for (int j = 0; j < BULK; j++)
			p[j] = a->malloc(64);
		bench_keep(p);
		for (int j = 0; j < BULK; j++)
			a->free(p[j]);
	}
}

/* The random mix: 10,000 live objects of 8..4096 bytes. */
#define MIX_LIVE 10000
#define MIX_SEQ  (1 << 16)
struct mix_ctx {
	struct alloc_ops *a;
	void *live[MIX_LIVE];
	unsigned int slot[MIX_SEQ];
	unsigned short size[MIX_SEQ];
	unsigned long pos;
};

static void mix_fill(struct mix_ctx *mc)
{
	for (int i = 0; i < MIX_LIVE; i++)
		mc->live[i] = mc->a->malloc(mc->size[i % MIX_SEQ]);
}

static void mix_drain(struct mix_ctx *mc)
{
	for (int i = 0; i < MIX_LIVE; i++) {
		mc->a->free(mc->live[i]);
		mc->live[i] = NULL;
	}
}

static void loop_mix(void *ctx, long iters)
{
	struct mix_ctx *mc = ctx;
	struct alloc_ops *a = mc->a;

	for (long i = 0; i < iters; i++) {
		unsigned long k = mc->pos++ & (MIX_SEQ - 1);
		unsigned int s = mc->slot[k];

		a->free(mc->live[s]);
		mc->live[s] = a->malloc(mc->size[k]);
		bench_keep(mc->live[s]);
	}
}

/* ---------------------------------------------------------------------
 * Threads
 */

#define RING 4096
struct ring {
	_Atomic unsigned long head __attribute__((aligned(64)));
	_Atomic unsigned long tail __attribute__((aligned(64)));
	void *slot[RING];
};

struct thr_arg {
	struct alloc_ops *a;
	int cpu;
	long iters;
	struct ring *ring;
	pthread_barrier_t *bar;
};

static void enter_cpu(struct thr_arg *t)
{
	if (t->a == &allocs[A_MMSIM] && mmsim_enter(machine, t->cpu)) {
		fprintf(stderr, "cannot enter CPU %d\n", t->cpu);
		exit(1);
	}
}

static void *producer(void *arg)
{
	struct thr_arg *t = arg;
	struct ring *r = t->ring;

	enter_cpu(t);
	pthread_barrier_wait(t->bar);
	for (long i = 0; i < t->iters; i++) {
		void *p = t->a->malloc(64);
		unsigned long h = atomic_load_explicit(&r->head, memory_order_relaxed);

		*(long *)p = i;
		while (h - atomic_load_explicit(&r->tail, memory_order_acquire) >= RING)
			cpu_relax();
		r->slot[h % RING] = p;
		atomic_store_explicit(&r->head, h + 1, memory_order_release);
	}
	mmsim_leave();
	return NULL;
}

static void *consumer(void *arg)
{
	struct thr_arg *t = arg;
	struct ring *r = t->ring;

	enter_cpu(t);
	pthread_barrier_wait(t->bar);
	for (long i = 0; i < t->iters; i++) {
		unsigned long tl = atomic_load_explicit(&r->tail, memory_order_relaxed);

		while (tl == atomic_load_explicit(&r->head, memory_order_acquire))
			cpu_relax();
		t->a->free(r->slot[tl % RING]);
		atomic_store_explicit(&r->tail, tl + 1, memory_order_release);
	}
	mmsim_leave();
	return NULL;
}

static void *pair_thread(void *arg)
{
	struct thr_arg *t = arg;

	enter_cpu(t);
	pthread_barrier_wait(t->bar);
	loop_pair(t->a, t->iters);
	mmsim_leave();
	return NULL;
}

static double run_prodcons(struct alloc_ops *a, long iters)
{
	struct ring *r = aligned_alloc(64, sizeof(*r));
	pthread_barrier_t bar;
	struct thr_arg pa = { a, 1, iters, r, &bar }, ca = { a, 2, iters, r, &bar };
	pthread_t tp, tc;
	uint64_t t0;

	memset(r, 0, sizeof(*r));
	pthread_barrier_init(&bar, NULL, 3);
	pthread_create(&tp, NULL, producer, &pa);
	pthread_create(&tc, NULL, consumer, &ca);
	pthread_barrier_wait(&bar);
	t0 = bench_now_ns();
	pthread_join(tp, NULL);
	pthread_join(tc, NULL);
	t0 = bench_now_ns() - t0;
	pthread_barrier_destroy(&bar);
	free(r);
	return (double)t0 / (double)iters;
}

/* Mops/s of @n threads doing 64-byte pairs. */
static double run_threads(struct alloc_ops *a, int n, long iters)
{
	struct thr_arg args[64];
	pthread_t th[64];
	pthread_barrier_t bar;
	uint64_t t0;

	pthread_barrier_init(&bar, NULL, (unsigned int)n + 1);
	for (int i = 0; i < n; i++) {
		args[i] = (struct thr_arg){ a, i + 1, iters, NULL, &bar };
		pthread_create(&th[i], NULL, pair_thread, &args[i]);
	}
	pthread_barrier_wait(&bar);
	t0 = bench_now_ns();
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	t0 = bench_now_ns() - t0;
	pthread_barrier_destroy(&bar);
	return (double)n * (double)iters / ((double)t0 / 1e3);
}

/* ---------------------------------------------------------------------
 * Printing
 */

static void print_row(const char *what, const double *ns, const char *unit)
{
	printf("%-10s", what);
	for (int i = 0; i < NR_ALLOC; i++)
		if (allocs[i].present)
			printf(" %9.2f", ns[i]);
		else
			printf(" %9s", "-");
	printf("  %s |", unit);
	for (int i = 1; i < NR_ALLOC; i++)
		if (allocs[i].present)
			printf(" x%.2f", ns[0] / ns[i]);
		else
			printf("  -");
	printf("\n");
}

static void print_header(const char *title)
{
	printf("\n%s\n%-10s", title, "workload");
	for (int i = 0; i < NR_ALLOC; i++)
		printf(" %9s", allocs[i].name);
	printf("        | mmsim/glibc mmsim/jemalloc mmsim/mimalloc mmsim/tcmalloc\n");
}

static void measure(const char *what, bench_fn mmsim_fn, void *mmsim_ctx, bench_fn peer_fn,
		    void **peer_ctx, long ops)
{
	struct bench_meas ms[NR_ALLOC];
	double ns[NR_ALLOC] = { 0 };
	int idx[NR_ALLOC], nr = 0;

	for (int i = 0; i < NR_ALLOC; i++) {
		if (!allocs[i].present)
			continue;
		ms[nr] = (struct bench_meas)BENCH_MEAS(i ? peer_fn : mmsim_fn,
						      i ? peer_ctx[i] : mmsim_ctx, ops);
		idx[nr++] = i;
	}
	bench_compare(ms, nr);
	for (int j = 0; j < nr; j++)
		ns[idx[j]] = ms[j].best_ns;
	print_row(what, ns, "ns/op");
}

static void bench_mix(void)
{
	struct mix_ctx *mc[NR_ALLOC];
	void *ctx[NR_ALLOC];
	uint64_t x = 0x2545F4914F6CDD1DULL;
	unsigned long live_bytes = 0, slab_before, slab_after;
	struct mallinfo2 mi0, mi1;

	for (int i = 0; i < NR_ALLOC; i++) {
		mc[i] = calloc(1, sizeof(*mc[i]));
		mc[i]->a = &allocs[i];
		ctx[i] = mc[i];
	}
	for (int k = 0; k < MIX_SEQ; k++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		mc[0]->slot[k] = (unsigned int)(x % MIX_LIVE);
		mc[0]->size[k] = (unsigned short)(8 + (x >> 32) % 4089);
	}
	for (int i = 1; i < NR_ALLOC; i++) {
		memcpy(mc[i]->slot, mc[0]->slot, sizeof(mc[0]->slot));
		memcpy(mc[i]->size, mc[0]->size, sizeof(mc[0]->size));
	}
	for (int i = 0; i < MIX_LIVE; i++)
		live_bytes += mc[0]->size[i % MIX_SEQ];
	slab_before = global_node_page_state(NR_SLAB_UNRECLAIMABLE_B);
	mi0 = mallinfo2();
	for (int i = 0; i < NR_ALLOC; i++)
		if (allocs[i].present)
			mix_fill(mc[i]);
	measure("mix", loop_mix, mc[0], loop_mix, ctx, 1);
	slab_after = global_node_page_state(NR_SLAB_UNRECLAIMABLE_B);
	mi1 = mallinfo2();
	printf("memory held per byte live in the mix (%lu bytes live): mmsim %.3f, glibc %.3f\n",
	       live_bytes, (double)(slab_after - slab_before) / (double)live_bytes,
	       (double)((mi1.arena + mi1.hblkhd) - (mi0.arena + mi0.hblkhd)) / (double)live_bytes);
	for (int i = 0; i < NR_ALLOC; i++) {
		if (allocs[i].present)
			mix_drain(mc[i]);
		free(mc[i]);
	}
}

/*
 * jemalloc uses initial-exec TLS, which dlopen can place only in the
 * static TLS surplus: re-run once with a larger surplus (a glibc tunable).
 */
static void ensure_static_tls(char **argv)
{
	if (getenv("MMSIM_BENCH_TLS"))
		return;
	setenv("MMSIM_BENCH_TLS", "1", 1);
	setenv("GLIBC_TUNABLES", "glibc.rtld.optional_static_tls=65536", 1);
	execv("/proc/self/exe", argv);
}

int main(int argc, char **argv)
{
	int host_cpus = bench_host_cpus(), max_threads = min(host_cpus, 8);
	char spec[64];
	void *ctx[NR_ALLOC];
	double ns[NR_ALLOC];

	(void)argc;
	ensure_static_tls(argv);
	load_peer(A_JE, "libjemalloc.so.2", "malloc", "free");
	load_peer(A_MI, "libmimalloc.so.2", "mi_malloc", "mi_free");
	load_peer(A_TC, "libtcmalloc_minimal.so.4", "tc_malloc", "tc_free");
	snprintf(spec, sizeof(spec), "ram=2G cpus=%d", max_threads + 2);
	machine = mmsim_boot(spec);
	if (!machine) {
		fprintf(stderr, "boot: %s\n", mmsim_last_error());
		return 1;
	}
	cache64 = kmem_cache_create("bench64", 64, 0, SLAB_NO_MERGE, NULL);
	for (int i = 0; i < NR_ALLOC; i++)
		ctx[i] = &allocs[i];

	print_header("single thread (ns per operation; ratio = mmsim / peer, below 1 is faster)");
	if (want("pair64"))
		measure("pair64", loop_kmalloc_pair, NULL, loop_pair, ctx, 1);
	if (want("cache64"))
		measure("cache64", loop_cache_pair, NULL, loop_pair, ctx, 1);
	if (want("bulk64"))
		measure("bulk64", loop_bulk_mmsim, NULL, loop_bulk_peer, ctx, BULK);
	if (want("mix"))
		bench_mix();

	mmsim_leave();
	if (want("prodcons")) {
		print_header("two threads: allocate on one CPU, free on another (ns per object)");
		for (int i = 0; i < NR_ALLOC; i++)
			ns[i] = allocs[i].present ? run_prodcons(&allocs[i], 2000000) : 0;
		print_row("prodcons", ns, "ns/ob");
	}

	if (want("threads"))
		print_header("threads doing 64-byte pairs (Mops/s; ratio = mmsim / peer, above 1 is faster)");
	for (int n = 1; want("threads") && n <= max_threads; n *= 2) {
		char what[16];

		for (int i = 0; i < NR_ALLOC; i++)
			ns[i] = allocs[i].present ? run_threads(&allocs[i], n, 5000000) : 0;
		snprintf(what, sizeof(what), "%d thr", n);
		print_row(what, ns, "Mop/s");
	}
	mmsim_enter(machine, 0);
	kmem_cache_destroy(cache64);
	mmsim_shutdown(machine);
	return 0;
}
