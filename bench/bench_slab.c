// SPDX-License-Identifier: GPL-2.0
/*
 * bench/bench_slab.c - kmalloc and the slab caches against the best
 * mallocs, measured as a user's program sees them.
 *
 * One process compares mmsim with the malloc() it runs with: glibc's, or
 * the one LD_PRELOAD put in front of it.  Both are called directly, in
 * loops of the same shape, as a program linked against libmmsim calls
 * them; the two loops take turns (bench_compare), and every figure is the
 * median of 7 timed runs with their range.  By default the program runs
 * itself once per peer that is installed: as it is (glibc), then with
 * LD_PRELOAD=libjemalloc.so.2, libmimalloc.so.2 and
 * libtcmalloc_minimal.so.4 - the very same source and binary, only the
 * malloc differs.  MMSIM_BENCH_PEER=<name> runs one process alone, against
 * whatever malloc it has (e.g. LD_PRELOAD=libtcmalloc.so.4
 * MMSIM_BENCH_PEER=tcmalloc bench_slab).  MMSIM_BENCH_LINK (set by
 * scripts/bench-user.sh) says how libmmsim was linked: the static build
 * (build/bench/bench_slab) and the shared one through pkg-config
 * (build/bench-user/bench_slab) print the same table.
 *
 * Rows, mmsim | peer.  The first two are the same work on both sides:
 *   pair64   kmalloc(64)+kfree            | malloc(64)+free
 *   mix      random sizes 8..4096 B, 10,000 live: free one, allocate one
 *            (kmalloc of a run-time size | malloc)
 * The next two are labelled "not the same work": mmsim does less there.
 *   cache64  kmem_cache_alloc+free of a dedicated 64-byte cache (the
 *            cache is given: no size lookup, no cache lookup on free)
 *   bulk64   kmem_cache_alloc_bulk+free_bulk of 64 (two calls) | 64
 *            mallocs, then 64 frees
 *   xcpu     objects allocated on one CPU and freed on another: a
 *            producer fills a batch of 1024 while the consumer frees the
 *            previous one, the two meeting at a barrier per batch, so the
 *            figure is the cost of a remote free (or of the allocation,
 *            whichever is slower) and not of a hand-off per object.  It
 *            needs two idle host CPUs, and says so when it has fewer.
 *   threads  N threads each doing 64-byte pairs (Mops/s, above 1 faster)
 * And mmsim alone, in the first process: kmalloc(64) with the size known
 * at compile time (the header's inline resolves the cache), with a size
 * known only at run time, and the kmem_cache pair, against each other.
 * MMSIM_BENCH_ONLY=<row> (pair64, mix, cache64, bulk64, xcpu, threads,
 * kmalloc) runs just that one.  A ratio is mmsim's median over the
 * peer's: below 1, mmsim is the faster.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include "bench_common.h"

static struct mmsim *machine;
static struct kmem_cache *cache64;
static const char *peer = "glibc";	/* the malloc this process has */

/* MMSIM_BENCH_ONLY unset, or naming @what. */
static bool want(const char *what)
{
	const char *only = getenv("MMSIM_BENCH_ONLY");

	return !only || !*only || !strcmp(only, what);
}

/* ---------------------------------------------------------------------
 * Loops: mmsim's and the peer's, the same shape, direct calls
 */

static void loop_kmalloc_pair(void *ctx, long iters)
{
	for (long i = 0; i < iters; i++) {
		void *p = kmalloc(64, GFP_KERNEL);

		bench_keep(p);
		kfree(p);
	}
}

static void loop_malloc_pair(void *ctx, long iters)
{
	for (long i = 0; i < iters; i++) {
		void *p = malloc(64);

		bench_keep(p);
		free(p);
	}
}

/* kmalloc of a size the compiler cannot see: the out-of-line lookup. */
static void loop_kmalloc_var_pair(void *ctx, long iters)
{
	size_t size = *(volatile size_t *)ctx;

	for (long i = 0; i < iters; i++) {
		void *p = kmalloc(size, GFP_KERNEL);

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

static void loop_bulk_malloc(void *ctx, long iters)
{
	void *p[BULK];

	for (long i = 0; i < iters; i++) {
		for (int j = 0; j < BULK; j++)
			p[j] = malloc(64);
		bench_keep(p);
		for (int j = 0; j < BULK; j++)
			free(p[j]);
	}
}

/* The random mix: 10,000 live objects of 8..4096 bytes. */
#define MIX_LIVE 10000
#define MIX_SEQ  (1 << 16)
struct mix_ctx {
	void *live[MIX_LIVE];
	unsigned int slot[MIX_SEQ];
	unsigned short size[MIX_SEQ];
	unsigned long pos;
};

static void loop_mix_mmsim(void *ctx, long iters)
{
	struct mix_ctx *mc = ctx;

	for (long i = 0; i < iters; i++) {
		unsigned long k = mc->pos++ & (MIX_SEQ - 1);
		unsigned int s = mc->slot[k];

		kfree(mc->live[s]);
		mc->live[s] = kmalloc(mc->size[k], GFP_KERNEL);
		bench_keep(mc->live[s]);
	}
}

static void loop_mix_malloc(void *ctx, long iters)
{
	struct mix_ctx *mc = ctx;

	for (long i = 0; i < iters; i++) {
		unsigned long k = mc->pos++ & (MIX_SEQ - 1);
		unsigned int s = mc->slot[k];

		free(mc->live[s]);
		mc->live[s] = malloc(mc->size[k]);
		bench_keep(mc->live[s]);
	}
}

/* ---------------------------------------------------------------------
 * Threads
 */

struct thr_arg {
	bool mmsim;
	int cpu;
	long iters;
	struct xcpu *x;
	pthread_barrier_t *bar;
};

static void enter_cpu(struct thr_arg *t)
{
	if (t->mmsim && mmsim_enter(machine, t->cpu)) {
		fprintf(stderr, "cannot enter CPU %d\n", t->cpu);
		exit(1);
	}
}

static void leave_cpu(struct thr_arg *t)
{
	if (t->mmsim)
		mmsim_leave();
}

/*
 * The cross-CPU row: batches handed over whole.  Round r: the producer
 * fills batch[r % 2] while the consumer frees batch[(r - 1) % 2], then
 * both wait at a spinning barrier (yielding after a while, so that a host
 * with fewer CPUs makes progress, slowly).
 */
#define XBATCH 1024
struct xcpu {
	void *batch[2][XBATCH];
	_Atomic unsigned int arrived __attribute__((aligned(64)));
	_Atomic unsigned int phase;
	long rounds;
};

static void xcpu_barrier(struct xcpu *x)
{
	unsigned int phase = atomic_load_explicit(&x->phase, memory_order_relaxed);

	if (atomic_fetch_add_explicit(&x->arrived, 1, memory_order_acq_rel) == 1) {
		atomic_store_explicit(&x->arrived, 0, memory_order_relaxed);
		atomic_store_explicit(&x->phase, phase + 1, memory_order_release);
		return;
	}
	for (unsigned long spin = 0;
	     atomic_load_explicit(&x->phase, memory_order_acquire) == phase; spin++) {
		if (spin > 1000)
			sched_yield();
		else
			cpu_relax();
	}
}

static void *xcpu_producer(void *arg)
{
	struct thr_arg *t = arg;
	struct xcpu *x = t->x;

	enter_cpu(t);
	pthread_barrier_wait(t->bar);
	for (long r = 0; r <= x->rounds; r++) {
		void **b = x->batch[r & 1];

		for (int i = 0; r < x->rounds && i < XBATCH; i++) {
			b[i] = t->mmsim ? kmalloc(64, GFP_KERNEL) : malloc(64);
			*(long *)b[i] = i;
		}
		xcpu_barrier(x);
	}
	leave_cpu(t);
	return NULL;
}

static void *xcpu_consumer(void *arg)
{
	struct thr_arg *t = arg;
	struct xcpu *x = t->x;

	enter_cpu(t);
	pthread_barrier_wait(t->bar);
	for (long r = 0; r <= x->rounds; r++) {
		void **b = x->batch[(r - 1) & 1];

		for (int i = 0; r > 0 && i < XBATCH; i++) {
			if (t->mmsim)
				kfree(b[i]);
			else
				free(b[i]);
		}
		xcpu_barrier(x);
	}
	leave_cpu(t);
	return NULL;
}

/* Batches per iteration of the cross-CPU loop: the threads' creation is
 * amortized over at least this many. */
#define XROUNDS 16

/* One cross-CPU run of @iters * XROUNDS batches. */
static void loop_xcpu(bool mmsim, long iters)
{
	struct xcpu *x = aligned_alloc(64, sizeof(*x));
	pthread_barrier_t bar;
	struct thr_arg pa = { mmsim, 1, 0, x, &bar }, ca = { mmsim, 2, 0, x, &bar };
	pthread_t tp, tc;

	memset(x, 0, sizeof(*x));
	x->rounds = iters * XROUNDS;
	pthread_barrier_init(&bar, NULL, 3);
	pthread_create(&tp, NULL, xcpu_producer, &pa);
	pthread_create(&tc, NULL, xcpu_consumer, &ca);
	pthread_barrier_wait(&bar);
	pthread_join(tp, NULL);
	pthread_join(tc, NULL);
	pthread_barrier_destroy(&bar);
	free(x);
}

static void loop_xcpu_mmsim(void *ctx, long iters) { loop_xcpu(true, iters); }
static void loop_xcpu_malloc(void *ctx, long iters) { loop_xcpu(false, iters); }

static void *pair_thread(void *arg)
{
	struct thr_arg *t = arg;

	enter_cpu(t);
	pthread_barrier_wait(t->bar);
	if (t->mmsim)
		loop_kmalloc_pair(NULL, t->iters);
	else
		loop_malloc_pair(NULL, t->iters);
	leave_cpu(t);
	return NULL;
}

/* @n threads doing 64-byte pairs, @iters * TCHUNK each: with
 * ops_per_iter = TCHUNK * n, a bench_fn's ns per operation is per pair of
 * the whole group, so Mops/s = 1000 / ns; the threads' creation is
 * amortized over TCHUNK pairs at least. */
#define TCHUNK 20000
struct threads_ctx {
	bool mmsim;
	int n;
};

static void loop_threads(void *ctx, long iters)
{
	struct threads_ctx *tc = ctx;
	struct thr_arg args[NR_CPUS];
	pthread_t th[NR_CPUS];
	pthread_barrier_t bar;

	pthread_barrier_init(&bar, NULL, (unsigned int)tc->n + 1);
	for (int i = 0; i < tc->n; i++) {
		args[i] = (struct thr_arg){ tc->mmsim, i + 1, iters * TCHUNK, NULL, &bar };
		pthread_create(&th[i], NULL, pair_thread, &args[i]);
	}
	pthread_barrier_wait(&bar);
	for (int i = 0; i < tc->n; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&bar);
}

/* ---------------------------------------------------------------------
 * Measuring and printing
 */

static void print_header(void)
{
	const char *link = getenv("MMSIM_BENCH_LINK"), *pre = getenv("LD_PRELOAD");

	printf("\n== mmsim (%s library) against %s", link && *link ? link : "static", peer);
	if (pre && *pre)
		printf(" (LD_PRELOAD=%s)", pre);
	printf(": ns per operation, median of %d runs [range]; ratio = mmsim / %s, below 1 is "
	       "faster\n", BENCH_REPS, peer);
	printf("%-8s %-52s %-24s %-24s %s\n", "row", "mmsim | peer", "mmsim", peer, "ratio");
	fflush(stdout);
}

/* mmsim's loop against the peer's: one row. */
static void row(const char *what, const char *work, bench_fn mm, void *mctx, bench_fn pf,
		void *pctx, long ops)
{
	struct bench_meas ms[2] = { BENCH_MEAS(mm, mctx, ops), BENCH_MEAS(pf, pctx, ops) };
	char a[80], b[80], r[16];

	bench_compare(ms, 2);
	printf("%-8s %-52s %-24s %-24s %s\n", what, work, bench_fmt_med(&ms[0], a, sizeof(a)),
	       bench_fmt_med(&ms[1], b, sizeof(b)),
	       bench_fmt_ratio(ms[0].med_ns / ms[1].med_ns, r, sizeof(r)));
	fflush(stdout);
}

static void bench_mix(void)
{
	struct mix_ctx *mc[2];
	uint64_t x = 0x2545F4914F6CDD1DULL;
	unsigned long live_bytes = 0, slab_before, slab_after;
	struct mallinfo2 mi0, mi1;

	for (int i = 0; i < 2; i++)
		mc[i] = calloc(1, sizeof(*mc[i]));
	for (int k = 0; k < MIX_SEQ; k++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		mc[0]->slot[k] = (unsigned int)(x % MIX_LIVE);
		mc[0]->size[k] = (unsigned short)(8 + (x >> 32) % 4089);
	}
	memcpy(mc[1]->slot, mc[0]->slot, sizeof(mc[0]->slot));
	memcpy(mc[1]->size, mc[0]->size, sizeof(mc[0]->size));
	for (int i = 0; i < MIX_LIVE; i++)
		live_bytes += mc[0]->size[i % MIX_SEQ];
	slab_before = global_node_page_state(NR_SLAB_UNRECLAIMABLE_B);
	mi0 = mallinfo2();
	for (int i = 0; i < MIX_LIVE; i++) {
		mc[0]->live[i] = kmalloc(mc[0]->size[i], GFP_KERNEL);
		mc[1]->live[i] = malloc(mc[1]->size[i]);
	}
	row("mix", "kmalloc(8..4096), 10k live | malloc (same work)", loop_mix_mmsim, mc[0],
	    loop_mix_malloc, mc[1], 1);
	slab_after = global_node_page_state(NR_SLAB_UNRECLAIMABLE_B);
	mi1 = mallinfo2();
	printf("%-8s bytes held per byte live (%lu live): mmsim %.3f", "", live_bytes,
	       (double)(slab_after - slab_before) / (double)live_bytes);
	if (!strcmp(peer, "glibc"))
		printf(", glibc %.3f",
		       (double)((mi1.arena + mi1.hblkhd) - (mi0.arena + mi0.hblkhd)) /
			       (double)live_bytes);
	printf("\n");
	for (int i = 0; i < MIX_LIVE; i++) {
		kfree(mc[0]->live[i]);
		free(mc[1]->live[i]);
	}
	free(mc[0]);
	free(mc[1]);
}

static void bench_threads(int max_threads)
{
	for (int n = 1; n <= max_threads; n *= 2) {
		struct threads_ctx a = { true, n }, b = { false, n };
		struct bench_meas ms[2] = { BENCH_MEAS(loop_threads, &a, (long)TCHUNK * n),
					    BENCH_MEAS(loop_threads, &b, (long)TCHUNK * n) };
		char what[16], x[48], y[48];

		bench_compare(ms, 2);
		snprintf(what, sizeof(what), "%d thr", n);
		/* Mops/s of the group: the median run and the range, inverted. */
		snprintf(x, sizeof(x), "%.0f Mop/s [%.0f-%.0f]", 1e3 / ms[0].med_ns,
			 1e3 / ms[0].hi_ns, 1e3 / ms[0].lo_ns);
		snprintf(y, sizeof(y), "%.0f Mop/s [%.0f-%.0f]", 1e3 / ms[1].med_ns,
			 1e3 / ms[1].hi_ns, 1e3 / ms[1].lo_ns);
		printf("%-8s %-52s %-24s %-24s x%.2f (throughput, above 1 faster)\n", what,
		       "64-byte pairs on each of N CPUs", x, y, ms[1].med_ns / ms[0].med_ns);
		fflush(stdout);
	}
}

/* mmsim alone: the kmalloc pair against the kmem_cache pair. */
static void bench_kmalloc_paths(void)
{
	size_t size = 64;
	struct bench_meas ms[3] = { BENCH_MEAS(loop_kmalloc_pair, NULL, 1),
				    BENCH_MEAS(loop_kmalloc_var_pair, &size, 1),
				    BENCH_MEAS(loop_cache_pair, NULL, 1) };
	char a[80], b[80], c[80], r1[16], r2[16];

	bench_compare(ms, 3);
	printf("\n== mmsim alone: kmalloc(64)+kfree against kmem_cache_alloc+free "
	       "(ns per pair, median [range])\n");
	printf("kmalloc(64), size a constant (cache picked inline)  %-24s %s of the kmem_cache pair\n",
	       bench_fmt_med(&ms[0], a, sizeof(a)),
	       bench_fmt_ratio(ms[0].med_ns / ms[2].med_ns, r1, sizeof(r1)));
	printf("kmalloc(n), n = 64 known at run time               %-24s %s of the kmem_cache pair\n",
	       bench_fmt_med(&ms[1], b, sizeof(b)),
	       bench_fmt_ratio(ms[1].med_ns / ms[2].med_ns, r2, sizeof(r2)));
	printf("kmem_cache_alloc+free, a dedicated 64-byte cache    %s\n",
	       bench_fmt_med(&ms[2], c, sizeof(c)));
	fflush(stdout);
}

/* One process: mmsim against the malloc it has. */
static int run_peer(bool first)
{
	int host_cpus = bench_host_cpus(), max_threads = min(host_cpus, 8);
	char spec[64];

	snprintf(spec, sizeof(spec), "ram=2G cpus=%d", max_threads + 2);
	machine = mmsim_boot(spec);
	if (!machine) {
		fprintf(stderr, "boot: %s\n", mmsim_last_error());
		return 1;
	}
	cache64 = kmem_cache_create("bench64", 64, 0, SLAB_NO_MERGE, NULL);
	if (first && want("kmalloc"))
		bench_kmalloc_paths();
	print_header();
	if (want("pair64"))
		row("pair64", "kmalloc(64)+kfree | malloc(64)+free (same work)", loop_kmalloc_pair,
		    NULL, loop_malloc_pair, NULL, 1);
	if (want("mix"))
		bench_mix();
	if (want("cache64"))
		row("cache64", "kmem_cache pair | malloc(64) pair (NOT same work)",
		    loop_cache_pair, NULL, loop_malloc_pair, NULL, 1);
	if (want("bulk64"))
		row("bulk64", "alloc_bulk+free_bulk of 64 | 64 single (NOT same)",
		    loop_bulk_mmsim, NULL, loop_bulk_malloc, NULL, BULK);
	mmsim_leave();
	if (want("xcpu")) {
		if (host_cpus >= 2)
			row("xcpu", "alloc on CPU 1, kfree on CPU 2, batches of 1024",
			    loop_xcpu_mmsim, NULL, loop_xcpu_malloc, NULL, XBATCH * XROUNDS);
		else
			printf("%-8s (needs two host CPUs; this host has %d)\n", "xcpu",
			       host_cpus);
	}
	if (want("threads"))
		bench_threads(max_threads);
	mmsim_enter(machine, 0);
	kmem_cache_destroy(cache64);
	mmsim_shutdown(machine);
	return 0;
}

/* ---------------------------------------------------------------------
 * The peers, each in a process of its own
 */

static const struct {
	const char *name, *lib, *symbol;	/* @symbol: proof the preload took */
} peers[] = {
	{ "jemalloc", "libjemalloc.so.2", "mallctl" },
	{ "mimalloc", "libmimalloc.so.2", "mi_malloc" },
	{ "tcmalloc", "libtcmalloc_minimal.so.4", "tc_malloc" },
};

/* @lib in a directory the dynamic loader searches (a few usual ones). */
static bool lib_installed(const char *lib)
{
	static const char *const dirs[] = { "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
					    "/usr/lib64", "/usr/lib", "/usr/local/lib", "/lib64" };
	char path[512];

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], lib);
		if (!access(path, R_OK))
			return true;
	}
	return false;
}

int main(int argc, char **argv)
{
	const char *only_peer = getenv("MMSIM_BENCH_PEER");
	int ret;

	(void)argc;
	if (only_peer && *only_peer) {
		peer = only_peer;
		for (size_t i = 0; i < ARRAY_SIZE(peers); i++) {
			if (!strcmp(peer, peers[i].name) && !dlsym(RTLD_DEFAULT, peers[i].symbol)) {
				printf("\n== %s: not preloaded (LD_PRELOAD=%s), skipped\n", peer,
				       peers[i].lib);
				return 0;
			}
		}
		return run_peer(getenv("MMSIM_BENCH_FIRST") != NULL);
	}
	/* This process is glibc's; each other peer is a child with its preload. */
	ret = run_peer(true);
	for (size_t i = 0; i < ARRAY_SIZE(peers) && !ret; i++) {
		pid_t pid;
		int status;

		if (!lib_installed(peers[i].lib)) {
			printf("\n== %s: %s not installed (scripts/install-deps.sh bench)\n",
			       peers[i].name, peers[i].lib);
			continue;
		}
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			setenv("LD_PRELOAD", peers[i].lib, 1);
			setenv("MMSIM_BENCH_PEER", peers[i].name, 1);
			execv("/proc/self/exe", argv);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			fprintf(stderr, "bench_slab: the %s run failed\n", peers[i].name);
	}
	return ret;
}
