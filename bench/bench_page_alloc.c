// SPDX-License-Identifier: GPL-2.0
/*
 * bench/bench_page_alloc.c - the page allocator's speed, against the limit
 * (a bare free list) and glibc's malloc of the same size, measured in the
 * same run; the host kernel's mmap+touch+munmap is printed apart, as
 * context: it is not the same work (it faults, zeroes and flushes).
 *
 *   (a) order-0 pairs      alloc_pages(GFP_KERNEL, 0) + __free_pages(): the
 *                          hot per-CPU list path
 *   (b) bursts             1,000 order-0 allocations, then 1,000 frees: the
 *                          per-CPU lists overflow and refill from the buddy
 *                          lists under zone->lock (rmqueue_bulk,
 *                          free_pcppages_bulk)
 *   (c) mixed orders 0..3  256 blocks live; each step frees a random one
 *                          and allocates a random order 0..3 in its place
 *                          (xorshift, seed 1): every pcp list and some
 *                          splitting and merging
 *   (d) threads 1..N       N = host CPUs; each thread mmsim_enter()s its own
 *                          CPU of one machine booted with cpus=N and does
 *                          order-0 pairs; ns per pair per thread and
 *                          aggregate Mops/s (thread counts 1, 2, 4, ...
 *                          and N).  What it shows: whether the per-CPU
 *                          path shares anything between CPUs (per-thread
 *                          ns stays flat if not).  It needs N idle host
 *                          cores; on a busy or 2-core host the threads
 *                          share cores and it measures the scheduler, as
 *                          the output says.
 *   (e) order-9, order-10  pairs above PAGE_ALLOC_COSTLY_ORDER: no per-CPU
 *                          list, the buddy lists under zone->lock, a split
 *                          and a merge per pair
 *   (f) peers              malloc(4096) + free() pairs of user-space
 *                          allocators: glibc's, and jemalloc, mimalloc and
 *                          tcmalloc when installed (`make bench` installs
 *                          them).  They are dlopen()ed, so they do not
 *                          replace the process's malloc; jemalloc needs
 *                          static TLS that glibc reserves only at start, so
 *                          the program re-executes itself once with
 *                          GLIBC_TUNABLES=glibc.rtld.optional_static_tls.
 *
 * Every mmsim row is followed by the same work done by the bare free list
 * and by glibc's malloc()/free() of 4 KiB << order; each prints the median
 * of BENCH_REPS timed runs and their range, and ratios divide medians (see
 * bench_common.h for the method).  The order-0 pair is also given in
 * cycles (from /proc/cpuinfo's clock) beside Linux's own figure, about
 * 163 cycles a pair (the pcp fast path on a 2023 x86 server; a sanity
 * check, not a target).  At the end the machine's allocator is checked
 * (mm_allocator_is_valid) and every page must be free again.
 */
#include "bench_common.h"
#include <dlfcn.h>
#include <pthread.h>
#include <sys/utsname.h>

#define RING_SLOTS 256	/* live blocks in the mixed-order run */
#define MIX_STEPS  8192 /* pre-drawn (slot, order) steps, cycled */
#define BURST	   1000
#define THR_ROUNDS 3 /* rounds of the thread runs (d) */

static struct mmsim *machine;

static noinline void die(const char *what)
{
	fprintf(stderr, "bench_page_alloc: %s\n", what);
	exit(1);
}

static inline struct page *must_alloc(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp, order);

	if (unlikely(!page))
		die("alloc_pages failed");
	return page;
}

static inline struct page *must_pop(struct list_head *head)
{
	struct page *page = bare_pop(head);

	if (unlikely(!page))
		die("bare free list ran dry");
	return page;
}

/* ---------------------------------------------------------------------
 * (a) and (e): pairs
 */

struct pair_ctx {
	unsigned int order;
	struct bare_list *bl;
};

static void mm_pairs(void *arg, long n)
{
	const struct pair_ctx *c = arg;

	for (long i = 0; i < n; i++) {
		struct page *page = must_alloc(GFP_KERNEL, c->order);

		bench_keep(page);
		__free_pages(page, c->order);
	}
}

static void bare_pairs(void *arg, long n)
{
	struct list_head *head = &((const struct pair_ctx *)arg)->bl->head[0];

	for (long i = 0; i < n; i++) {
		struct page *page = must_pop(head);

		bench_keep(page);
		bare_push(head, page);
	}
}

static void malloc_pairs(void *arg, long n)
{
	size_t bytes = HOST_PAGE << ((const struct pair_ctx *)arg)->order;

	for (long i = 0; i < n; i++) {
		void *p = malloc(bytes);

		if (unlikely(!p))
			die("malloc failed");
		bench_keep(p);
		free(p);
	}
}

static void host_pairs(void *arg, long n)
{
	size_t bytes = HOST_PAGE << ((const struct pair_ctx *)arg)->order;

	for (long i = 0; i < n; i++) {
		void *p = host_get(bytes);

		bench_keep(p);
		host_put(p, bytes);
	}
}

/* ---------------------------------------------------------------------
 * (b): bursts of 1,000
 */

struct burst_ctx {
	struct bare_list *bl;
	struct page *pages[BURST];
	void *host[BURST];
};

static void mm_burst(void *arg, long n)
{
	struct burst_ctx *c = arg;

	for (long r = 0; r < n; r++) {
		for (int i = 0; i < BURST; i++) {
			c->pages[i] = must_alloc(GFP_KERNEL, 0);
			bench_keep(c->pages[i]);
		}
		for (int i = 0; i < BURST; i++)
			__free_pages(c->pages[i], 0);
	}
}

static void bare_burst(void *arg, long n)
{
	struct burst_ctx *c = arg;
	struct list_head *head = &c->bl->head[0];

	for (long r = 0; r < n; r++) {
		for (int i = 0; i < BURST; i++) {
			c->pages[i] = must_pop(head);
			bench_keep(c->pages[i]);
		}
		for (int i = 0; i < BURST; i++)
			bare_push(head, c->pages[i]);
	}
}

static void malloc_burst(void *arg, long n)
{
	struct burst_ctx *c = arg;

	for (long r = 0; r < n; r++) {
		for (int i = 0; i < BURST; i++) {
			c->host[i] = malloc(HOST_PAGE);
			if (unlikely(!c->host[i]))
				die("malloc failed");
			bench_keep(c->host[i]);
		}
		for (int i = 0; i < BURST; i++)
			free(c->host[i]);
	}
}

/* ---------------------------------------------------------------------
 * (c): mixed orders
 */

struct mix_ctx {
	struct bare_list *bl;
	uint16_t slot[MIX_STEPS];
	uint8_t order[MIX_STEPS];
	uint8_t live_order[RING_SLOTS]; /* order of what each slot holds */
	struct page *live[RING_SLOTS];
	void *host[RING_SLOTS];
	long pos; /* next step, carried across runs */
};

static uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static void mix_draw(struct mix_ctx *c, uint64_t seed)
{
	for (int i = 0; i < MIX_STEPS; i++) {
		c->slot[i] = (uint16_t)(xorshift64(&seed) % RING_SLOTS);
		c->order[i] = (uint8_t)(xorshift64(&seed) % 4);
	}
	for (int i = 0; i < RING_SLOTS; i++)
		c->live_order[i] = (uint8_t)(xorshift64(&seed) % 4);
	c->pos = 0;
}

static void mm_mix(void *arg, long n)
{
	struct mix_ctx *c = arg;

	for (long i = 0; i < n; i++) {
		long k = c->pos++ & (MIX_STEPS - 1);
		int s = c->slot[k];

		__free_pages(c->live[s], c->live_order[s]);
		c->live[s] = must_alloc(GFP_KERNEL, c->order[k]);
		c->live_order[s] = c->order[k];
		bench_keep(c->live[s]);
	}
}

static void bare_mix(void *arg, long n)
{
	struct mix_ctx *c = arg;

	for (long i = 0; i < n; i++) {
		long k = c->pos++ & (MIX_STEPS - 1);
		int s = c->slot[k];

		bare_push(&c->bl->head[c->live_order[s]], c->live[s]);
		c->live[s] = must_pop(&c->bl->head[c->order[k]]);
		c->live_order[s] = c->order[k];
		bench_keep(c->live[s]);
	}
}

static void malloc_mix(void *arg, long n)
{
	struct mix_ctx *c = arg;

	for (long i = 0; i < n; i++) {
		long k = c->pos++ & (MIX_STEPS - 1);
		int s = c->slot[k];

		free(c->host[s]);
		c->host[s] = malloc(HOST_PAGE << c->order[k]);
		if (unlikely(!c->host[s]))
			die("malloc failed");
		c->live_order[s] = c->order[k];
		bench_keep(c->host[s]);
	}
}

/* ---------------------------------------------------------------------
 * (d): threads
 */

enum thr_kind {
	THR_MMSIM,
	THR_BARE,
	THR_MALLOC
};

struct thr {
	pthread_t tid;
	int cpu;
	enum thr_kind kind;
	long iters;
	pthread_barrier_t *start;
	uint64_t t0, t1;
};

static void *thr_main(void *arg)
{
	struct thr *t = arg;
	struct bare_list bl;
	struct pair_ctx pc = { .order = 0, .bl = &bl };
	bench_fn fn = t->kind == THR_MMSIM ? mm_pairs :
		      t->kind == THR_BARE  ? bare_pairs :
					     malloc_pairs;

	if (t->kind == THR_MMSIM && mmsim_enter(machine, t->cpu))
		die("mmsim_enter failed");
	if (t->kind == THR_BARE)
		bare_list_init(&bl, 64);
	fn(&pc, t->iters / 8 + 1); /* warm-up */
	pthread_barrier_wait(t->start);
	t->t0 = bench_now_ns();
	fn(&pc, t->iters);
	t->t1 = bench_now_ns();
	if (t->kind == THR_MMSIM)
		mmsim_leave();
	if (t->kind == THR_BARE)
		bare_list_free(&bl);
	return NULL;
}

/* Thread counts 1, 2, 4, ... and @ncpus: a few runs even on a large host. */
static int next_nr(int nr, int ncpus)
{
	return nr < ncpus && nr * 2 > ncpus ? ncpus : nr * 2;
}

/* Aggregate operations per second of @nr threads doing @iters pairs each. */
static double thr_run(enum thr_kind kind, int nr, long iters)
{
	struct thr t[NR_CPUS];
	pthread_barrier_t start;
	uint64_t t0 = UINT64_MAX, t1 = 0;

	pthread_barrier_init(&start, NULL, (unsigned int)nr);
	for (int i = 0; i < nr; i++) {
		t[i] = (struct thr){ .cpu = i, .kind = kind, .iters = iters, .start = &start };
		if (pthread_create(&t[i].tid, NULL, thr_main, &t[i]))
			die("pthread_create failed");
	}
	for (int i = 0; i < nr; i++) {
		pthread_join(t[i].tid, NULL);
		t0 = min(t0, t[i].t0);
		t1 = max(t1, t[i].t1);
	}
	pthread_barrier_destroy(&start);
	return (double)nr * (double)iters / ((double)(t1 - t0) / 1e9);
}

/* ---------------------------------------------------------------------
 * (f): peers
 */

struct peer {
	const char *name, *lib, *alloc_sym, *free_sym;
	void *(*alloc)(size_t size);
	void (*free)(void *ptr);
};

static struct peer peers[] = {
	{ "glibc malloc", NULL, NULL, NULL, malloc, free },
	{ "jemalloc", "libjemalloc.so.2", "malloc", "free", NULL, NULL },
	{ "mimalloc", "libmimalloc.so.2", "mi_malloc", "mi_free", NULL, NULL },
	{ "tcmalloc", "libtcmalloc_minimal.so.4", "tc_malloc", "tc_free", NULL, NULL },
};

/* Find @p's functions; NULL, or why it cannot be measured. */
static const char *peer_load(struct peer *p)
{
	void *h;

	if (p->alloc)
		return NULL;
	h = dlopen(p->lib, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *err = dlerror();

		return strstr(err, "No such file") ? "not installed (make bench installs it)" : err;
	}
	p->alloc = (void *(*)(size_t))dlsym(h, p->alloc_sym);
	p->free = (void (*)(void *))dlsym(h, p->free_sym);
	return p->alloc && p->free ? NULL : "symbols not found";
}

static void peer_pairs(void *arg, long n)
{
	const struct peer *p = arg;

	for (long i = 0; i < n; i++) {
		void *mem = p->alloc(HOST_PAGE);

		if (unlikely(!mem))
			die("peer allocation failed");
		bench_keep(mem);
		p->free(mem);
	}
}

/* Re-run this program once with static TLS room for a dlopen()ed jemalloc. */
static void reserve_static_tls(char **argv)
{
	const char *old = getenv("GLIBC_TUNABLES");
	char buf[512];

	if (getenv("MMSIM_BENCH_REEXEC"))
		return;
	snprintf(buf, sizeof(buf), "%s%sglibc.rtld.optional_static_tls=65536", old ? old : "",
		 old ? ":" : "");
	setenv("GLIBC_TUNABLES", buf, 1);
	setenv("MMSIM_BENCH_REEXEC", "1", 1);
	execv("/proc/self/exe", argv);
	/* No exec: go on; jemalloc may then fail to load and is reported so. */
}

/* ---------------------------------------------------------------------
 * Driver
 */

/* "20.4 ns [19.8-23.1]" and "(x3.01)": medians and their ratio. */
static const char *med(const struct bench_meas *m, char *buf, size_t len)
{
	return bench_fmt_med(m, buf, len);
}

static const char *ratio(const struct bench_meas *a, const struct bench_meas *b, char *buf,
			 size_t len)
{
	return bench_fmt_ratio(a->med_ns / b->med_ns, buf, len);
}

/*
 * One row of the table: mmsim's loop against the bare free list's and
 * glibc malloc's, taking turns; medians with ranges, ratios of medians.
 * The three measurements go to @out when it is not NULL.
 */
static void row(struct bench_meas *out, const char *label, bench_fn mm, bench_fn bare,
		bench_fn mal, void *mm_ctx, void *bare_ctx, void *mal_ctx, long ops_per_iter)
{
	struct bench_meas ms[3] = {
		BENCH_MEAS(mm, mm_ctx, ops_per_iter),
		BENCH_MEAS(bare, bare_ctx, ops_per_iter),
		BENCH_MEAS(mal, mal_ctx, ops_per_iter),
	};
	char a[80], b[80], c[80], rb[16], rc[16];

	bench_compare(ms, 3);
	printf("%-24s %-24s | %-24s %7s | %-24s %7s\n", label, med(&ms[0], a, sizeof(a)),
	       med(&ms[1], b, sizeof(b)), ratio(&ms[0], &ms[1], rb, sizeof(rb)),
	       med(&ms[2], c, sizeof(c)), ratio(&ms[0], &ms[2], rc, sizeof(rc)));
	fflush(stdout);
	for (int i = 0; out && i < 3; i++)
		out[i] = ms[i];
}

/* The host CPU's clock in MHz from /proc/cpuinfo, or 0 if it does not say. */
static double host_mhz(void)
{
	char line[256];
	double mhz = 0;
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "cpu MHz", 7) && strchr(line, ':')) {
			mhz = atof(strchr(line, ':') + 1);
			break;
		}
	if (f)
		fclose(f);
	return mhz;
}

static void print_host(const char *spec)
{
	char model[128] = "unknown", thp[128] = "n/a", line[256];
	struct utsname u;
	FILE *f = fopen("/proc/cpuinfo", "r");
	const char *link = getenv("MMSIM_BENCH_LINK");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "model name", 10) && strchr(line, ':')) {
			snprintf(model, sizeof(model), "%s", strchr(line, ':') + 2);
			model[strcspn(model, "\n")] = '\0';
			break;
		}
	if (f)
		fclose(f);
	f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	if (f && fgets(thp, sizeof(thp), f))
		thp[strcspn(thp, "\n")] = '\0';
	if (f)
		fclose(f);
	uname(&u);
	printf("bench_page_alloc: mmsim page allocator vs a bare free list and glibc malloc\n");
	printf("host: %s, %d CPUs, Linux %s, THP %s\n", model, bench_host_cpus(), u.release, thp);
	printf("build: cc %s, MMSIM_DEBUG_VM=%d, libmmsim %s; machine: \"%s\"\n", __VERSION__,
	       MMSIM_DEBUG_VM, link ? link : "static", spec);
	printf("ns per operation: median [range] of %d runs of ~%.0f ms after a warm-up, "
	       "the loops taking turns; (xR) = mmsim median / reference median\n",
	       BENCH_REPS, bench_run_ns() / 1e6);
	bench_rule();
	printf("%-24s %-24s | %-32s | %s\n", "", "mmsim", "bare free list (the limit)",
	       "glibc malloc(4K << order)+free");
}

int main(int argc, char **argv)
{
	int ncpus = bench_host_cpus();
	char spec[64], a[80], r[16];
	struct bare_list bl;
	struct pair_ctx pc = { .bl = &bl };
	struct bench_meas pair[3], burst[3], mix[3];
	unsigned long free_before, free_after;
	double mhz = host_mhz();

	(void)argc;
	reserve_static_tls(argv);
	snprintf(spec, sizeof(spec), "ram=1G cpus=%d", ncpus);
	machine = mmsim_boot(spec);
	if (!machine) {
		fprintf(stderr, "bench_page_alloc: boot \"%s\": %s\n", spec, mmsim_last_error());
		return 1;
	}
	print_host(spec);
	bare_list_init(&bl, 2048);
	drain_all_pages(NULL);
	free_before = nr_free_pages();

	/* (a) */
	pc.order = 0;
	row(pair, "(a) order-0 pair", mm_pairs, bare_pairs, malloc_pairs, &pc, &pc, &pc, 1);

	/* (b): ns per page (one allocation and one free) */
	struct burst_ctx *bc = calloc(1, sizeof(*bc));

	if (!bc)
		die("out of host memory");
	bc->bl = &bl;
	row(burst, "(b) burst 1000+1000", mm_burst, bare_burst, malloc_burst, bc, bc, bc, BURST);

	/* (c): three rings, each filled from its own allocator first */
	struct mix_ctx *mc = calloc(3, sizeof(*mc));

	if (!mc)
		die("out of host memory");
	for (int k = 0; k < 3; k++) {
		mc[k].bl = &bl;
		mix_draw(&mc[k], 1);
	}
	for (int s = 0; s < RING_SLOTS; s++) {
		mc[0].live[s] = must_alloc(GFP_KERNEL, mc[0].live_order[s]);
		mc[1].live[s] = must_pop(&bl.head[mc[1].live_order[s]]);
		mc[2].host[s] = malloc(HOST_PAGE << mc[2].live_order[s]);
		if (!mc[2].host[s])
			die("malloc failed");
	}
	row(mix, "(c) mixed orders 0..3", mm_mix, bare_mix, malloc_mix, &mc[0], &mc[1], &mc[2], 1);
	for (int s = 0; s < RING_SLOTS; s++) {
		__free_pages(mc[0].live[s], mc[0].live_order[s]);
		bare_push(&bl.head[mc[1].live_order[s]], mc[1].live[s]);
		free(mc[2].host[s]);
	}
	free(mc);

	/* (e): no per-CPU list; the bare list is no target here, only the floor */
	for (unsigned int order = 9; order <= 10; order++) {
		char label[32];

		pc.order = order;
		snprintf(label, sizeof(label), "(e) order-%u pair", order);
		row(NULL, label, mm_pairs, bare_pairs, malloc_pairs, &pc, &pc, &pc, 1);
	}
	bench_rule();

	/* Context, not a reference: the host kernel does more than a page pop. */
	{
		struct bench_meas h = BENCH_MEAS(host_pairs, &pc, 1);

		pc.order = 0;
		bench_compare(&h, 1);
		printf("context: host kernel mmap(4K)+write+munmap %s: a page fault, zeroing and a "
		       "TLB flush, not the same work as a page pop\n",
		       med(&h, a, sizeof(a)));
	}
	if (mhz > 0)
		printf("sanity: mmsim order-0 pair = %.0f cycles at %.0f MHz; Linux's own pcp "
		       "fast path: about 163 cycles a pair\n",
		       pair[0].med_ns * mhz / 1e3, mhz);
	else
		printf("sanity: the host does not give its clock; Linux's own pcp fast path: "
		       "about 163 cycles a pair\n");
	bench_rule();

	/* (f) */
	printf("(f) peers: malloc(4096) + free() pairs, each timed in turn with mmsim's "
	       "order-0 pair; (xR) = mmsim / peer\n");
	for (size_t i = 0; i < ARRAY_SIZE(peers); i++) {
		const char *why = peer_load(&peers[i]);

		if (why) {
			printf("    %-14s not measured: %s\n", peers[i].name, why);
			continue;
		}
		pc.order = 0;
		struct bench_meas ms[2] = {
			BENCH_MEAS(mm_pairs, &pc, 1),
			BENCH_MEAS(peer_pairs, &peers[i], 1),
		};
		char b[80];

		bench_compare(ms, 2);
		printf("    %-14s %-24s (%s; mmsim %s)\n", peers[i].name, med(&ms[1], a, sizeof(a)),
		       ratio(&ms[0], &ms[1], r, sizeof(r)), med(&ms[0], b, sizeof(b)));
	}
	bench_rule();

	/* (d) */
	printf("(d) order-0 pairs on 1..%d threads, each on its own CPU: ns per pair per thread "
	       "(median [range] of %d rounds), aggregate Mops/s\n",
	       ncpus, THR_ROUNDS);
	if (ncpus <= 2)
		printf("    only %d host CPUs: with anything else running, the threads share cores "
		       "and this measures the host's scheduler more than the per-CPU lists\n",
		       ncpus);
	printf("%-8s %-28s | %-28s | %-28s\n", "threads", "mmsim", "bare free list",
	       "glibc malloc(4096)");
	mmsim_leave(); /* CPU 0 is for the first worker */
	/*
	 * THR_ROUNDS rounds; each round runs every thread count and kind once,
	 * so a burst of other load on the host spoils one round of each rather
	 * than every run of one.
	 */
	static struct bench_meas thr[NR_CPUS + 1][3];
	const enum thr_kind kinds[3] = { THR_MMSIM, THR_BARE, THR_MALLOC };
	const struct bench_meas *one[3] = { &pair[0], &pair[1], &pair[2] };

	for (int round = 0; round < THR_ROUNDS; round++)
		for (int nr = 1; nr <= ncpus; nr = next_nr(nr, ncpus))
			for (int k = 0; k < 3; k++) {
				/* Each thread runs about 2.5 timed runs' length at (a)'s speed. */
				long iters = (long)(2.5 * bench_run_ns() / one[k]->med_ns) + 1;
				double ops = thr_run(kinds[k], nr, iters);
				struct bench_meas *m = &thr[nr][k];

				/* ns per pair per thread: nr threads did ops pairs a second */
				if (m->nr_runs < BENCH_REPS)
					m->runs[m->nr_runs++] = (double)nr * 1e9 / ops;
			}
	for (int nr = 1; nr <= ncpus; nr = next_nr(nr, ncpus)) {
		char cell[3][128];

		for (int k = 0; k < 3; k++) {
			struct bench_meas *m = &thr[nr][k];

			bench_summarize(m);
			snprintf(cell[k], sizeof(cell[k]), "%s %7.1f M/s", med(m, a, sizeof(a)),
				 (double)nr * 1e3 / m->med_ns);
		}
		printf("%-8d %-28s | %-28s | %-28s\n", nr, cell[0], cell[1], cell[2]);
	}
	if (mmsim_enter(machine, 0))
		die("cannot re-enter CPU 0");
	bench_rule();

	/* Nothing may be lost or broken by the run. */
	drain_all_pages(NULL);
	free_after = nr_free_pages();
	bool valid = mm_allocator_is_valid();
	static const char *const names[3] = { "order-0 pair", "burst", "mixed orders" };
	const struct bench_meas *rows[3] = { pair, burst, mix };

	for (int i = 0; i < 3; i++) {
		double x = rows[i][0].med_ns / rows[i][1].med_ns;

		printf("target: %-13s within 3x of the bare free list: %s (x%.2f median, "
		       "x%.2f-x%.2f over the runs' extremes)\n",
		       names[i], x <= 3.0 ? "met" : "MISSED", x,
		       rows[i][0].lo_ns / rows[i][1].hi_ns, rows[i][0].hi_ns / rows[i][1].lo_ns);
	}
	printf("after the run: free pages %lu (at start %lu), allocator invariants %s\n",
	       free_after, free_before, valid ? "hold" : "BROKEN");
	bare_list_free(&bl);
	mmsim_shutdown(machine);
	return free_after == free_before && valid ? 0 : 1;
}
