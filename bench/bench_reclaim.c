// SPDX-License-Identifier: GPL-2.0
/*
 * bench/bench_reclaim.c - reclaim and swap under a workload at twice RAM,
 * against references measured in the same run:
 *
 *   reclaim (write pass)  one process maps 2x RAM of anonymous memory and
 *                         writes a word of every page in order: once RAM
 *                         is full, every new page costs a reclaimed one
 *                         (kswapd in virtual time, or direct reclaim), an
 *                         anon page written to a swap area.  Reported:
 *                         host ns per reclaimed page (pgsteal_kswapd +
 *                         pgsteal_direct) and pages reclaimed per second
 *                         of host time.
 *   swap-in (read pass)   the same process reads a word of every page in
 *                         order: each page not resident is a major fault
 *                         (do_swap_page, with page-cluster readahead),
 *                         while reclaim makes room.  Reported: host ns per
 *                         major fault and major faults per second.
 *   page-out vs memcpy    host time of the write pass per page written to
 *                         swap (pswpout), against a bare memcpy of one
 *                         page: the physical limit of the bookkeeping.
 *
 * The reference of the first two rows is a bare LRU list doing the same
 * page selection: struct page nodes (the kernel's struct page and
 * list.h) for the same number of pages, as many frames as the machine had
 * free, pages added at the head on first touch and evicted from the tail
 * when the frames run out, an eviction a memcpy of the frame to a host
 * "swap" array, a swap-in a memcpy back (plus the eviction that makes
 * room).  mmsim's side does the same selection and the same copies plus
 * everything Linux does around them (the rmap walk and PTE update, the
 * swap slot and swap cache, the bio through the simulated disk, the
 * fault).
 *
 * Both references are limits, not peers: the bare LRU is the least the
 * same page selection and copies can cost, the memcpy the least a page-out
 * can cost, and neither does the work mmsim's row adds (rmap, page tables,
 * swap slots, swap cache, bio, fault), which is what the ratio measures.
 *
 * A ratio "(x40)" is mmsim's median over the reference's median.  Virtual
 * time (the simulated disk's latency) is reported beside, as ms per 1,000
 * page-outs.  A machine without swap or reclaim yet prints why and stops.
 *
 * Method: PASSES rounds, each a write + read pass of mmsim in a fresh
 * mapping followed by the same passes of the bare LRU, so that the two take
 * turns as bench/bench_common.h's loops do; a row prints the median of the
 * rounds' host time per page and their range [lowest-highest].  Host time
 * is the thread's CPU time (CLOCK_THREAD_CPUTIME_ID) on both sides, so
 * other load on a shared host does not count.  The counts in a row's note
 * (pages reclaimed, faults) are medians over the rounds as well.  The
 * memcpy reference is bench_common.h's calibrated loop (wall time, median
 * of BENCH_REPS runs and their range).
 */
#include "bench_common.h"
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include <mmsim/mm.h>
#include <mmsim/swap.h>

#define BASE_SPEC	"arch=x86_64 ram=64M cpus=1"
#define SPEC		BASE_SPEC " swap=80M@5,80M@5"
#define PASSES	5	/* rounds of passes: odd, at most BENCH_REPS */

/*
 * The passes are timed in this thread's CPU time, not wall time: the
 * simulation runs on this thread alone (kswapd and the disk are work in
 * virtual time on it), and a shared host's other load then does not count.
 */
static uint64_t cpu_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

struct counters {
	long long steal, pswpout, pswpin, majflt;
	uint64_t clock_ns;
};

static long long vmstat_of(const char *text, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, name, len) && p[len] == ' ')
			return atoll(p + len + 1);
	return 0;
}

static void snap(struct mmsim *m, struct counters *c)
{
	char *t = mmsim_read(m, "/proc/vmstat");

	c->steal = vmstat_of(t, "pgsteal_kswapd") + vmstat_of(t, "pgsteal_direct");
	c->pswpout = vmstat_of(t, "pswpout");
	c->pswpin = vmstat_of(t, "pswpin");
	c->majflt = vmstat_of(t, "pgmajfault");
	c->clock_ns = mmsim_clock_ns(m);
	free(t);
}

static void die(const char *what, long err)
{
	fprintf(stderr, "bench_reclaim: %s failed (%ld)\n", what, err);
	exit(1);
}

/* A row whose mmsim side did not run: the reference alone. */
static void row_ref_only(const char *label, const char *ref_name, const struct bench_meas *ref)
{
	char b[80];

	printf("%-30s %-26s | %-28s %-26s\n", label, "none", ref_name,
	       bench_fmt_med(ref, b, sizeof(b)));
	fflush(stdout);
}

/* One round's value of a row: a run of its measurement. */
static void add_run(struct bench_meas *m, double ns)
{
	if (m->nr_runs < BENCH_REPS)
		m->runs[m->nr_runs++] = ns;
}

/* The median of @n counts. */
static double median_of(const double *v, int n)
{
	double s[PASSES];

	if (!n)
		return 0;
	memcpy(s, v, sizeof(double) * (size_t)n);
	qsort(s, (size_t)n, sizeof(double), bench_cmp_double);
	return n & 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* --- the bare LRU ------------------------------------------------------- */

struct bare_lru {
	struct page *node;		/* per page of the workload */
	long *frame;			/* per page: its frame, -1 swapped out / never touched */
	bool *swapped;
	char *frames;			/* nr_frames pages */
	char *swap;			/* a page per page of the workload */
	long nr_pages, nr_frames, next_free;	/* frames never used yet: [next_free, nr_frames) */
	struct list_head lru;		/* head: most recent */
	long evictions, swapins;
};

/* The tail page goes to "swap"; its frame is the caller's. */
static noinline long bare_evict(struct bare_lru *b)
{
	struct page *victim = list_last_entry(&b->lru, struct page, lru);
	long v = victim - b->node, f = b->frame[v];

	list_del(&victim->lru);
	memcpy(b->swap + v * HOST_PAGE, b->frames + f * HOST_PAGE, HOST_PAGE);
	b->swapped[v] = true;
	b->frame[v] = -1;
	b->evictions++;
	return f;
}

/* Touch page @i (write a word if @write): the selection and the copies. */
static noinline void bare_touch(struct bare_lru *b, long i, bool write)
{
	long f = b->frame[i];

	if (f < 0) {
		f = b->next_free < b->nr_frames ? b->next_free++ : bare_evict(b);
		b->frame[i] = f;
		if (b->swapped[i]) {
			memcpy(b->frames + f * HOST_PAGE, b->swap + i * HOST_PAGE, HOST_PAGE);
			b->swapped[i] = false;
			b->swapins++;
		} else {
			memset(b->frames + f * HOST_PAGE, 0, HOST_PAGE);
		}
		list_add(&b->node[i].lru, &b->lru);
	}
	if (write)
		*(volatile long *)(b->frames + f * HOST_PAGE) = i;
	else
		bench_keep(b->frames + f * HOST_PAGE);
}

static void bare_init(struct bare_lru *b, long nr_pages, long nr_frames)
{
	b->nr_pages = nr_pages;
	b->nr_frames = nr_frames;
	b->node = calloc((size_t)nr_pages, sizeof(struct page));
	b->frame = malloc(sizeof(long) * (size_t)nr_pages);
	b->swapped = calloc((size_t)nr_pages, sizeof(bool));
	b->frames = host_get((size_t)nr_frames * HOST_PAGE);
	b->swap = host_get((size_t)nr_pages * HOST_PAGE);
	if (!b->node || !b->frame || !b->swapped)
		die("bare LRU", 0);
}

/* One pass of @b, as mmsim's: write every page, then read every page. */
static void bare_reset(struct bare_lru *b)
{
	for (long i = 0; i < b->nr_pages; i++)
		b->frame[i] = -1;
	memset(b->swapped, 0, (size_t)b->nr_pages);
	INIT_LIST_HEAD(&b->lru);
	b->next_free = 0;
	b->evictions = b->swapins = 0;
}

static void bare_write_pass(struct bare_lru *b, double *ns_per_evict)
{
	uint64_t t;

	bare_reset(b);
	t = cpu_now_ns();
	for (long i = 0; i < b->nr_pages; i++)
		bare_touch(b, i, true);
	t = cpu_now_ns() - t;
	*ns_per_evict = (double)t / (double)(b->evictions ? b->evictions : 1);
}

static void bare_read_pass(struct bare_lru *b, double *ns_per_swapin)
{
	uint64_t t = cpu_now_ns();

	b->swapins = 0;
	for (long i = 0; i < b->nr_pages; i++)
		bare_touch(b, i, false);
	t = cpu_now_ns() - t;
	*ns_per_swapin = (double)t / (double)(b->swapins ? b->swapins : 1);
}

/* --- memcpy of a page ---------------------------------------------------- */

static char *cpy_src, *cpy_dst;

static void memcpy_loop(void *p, long iters)
{
	(void)p;
	for (long i = 0; i < iters; i++) {
		memcpy(cpy_dst + (i & 63) * HOST_PAGE, cpy_src + (i & 63) * HOST_PAGE, HOST_PAGE);
		bench_keep(cpy_dst);
	}
}

/* Per round: host ns per page of each row, and the counts the notes give. */
struct results {
	struct bench_meas w, r, out;	/* per reclaimed page, major fault, pswpout */
	double virt_out[PASSES], w_steal[PASSES], r_maj[PASSES], r_in[PASSES];
	int nr_out, nr_w, nr_r;
};

/* One write + read pass over @n pages; false (and why) if it fails. */
static bool mmsim_pass(struct mmsim *m, unsigned long n, struct results *res)
{
	struct counters c0, c1, c2;
	unsigned long va = sys_mmap(0, n * PAGE_SIZE, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, ~0UL, 0);
	uint64_t h0, h1, h2;
	long word;

	if (IS_ERR_VALUE(va))
		die("sys_mmap", (long)va);
	snap(m, &c0);
	h0 = cpu_now_ns();
	for (unsigned long g = 0; g < n; g++) {
		word = (long)g;
		if (mmsim_user_write(va + g * PAGE_SIZE, &word, sizeof(word))) {
			printf("mmsim: a write failed at page %lu of %lu (no reclaim yet?)\n", g, n);
			return false;
		}
	}
	h1 = cpu_now_ns();
	snap(m, &c1);
	for (unsigned long g = 0; g < n; g++) {
		if (mmsim_user_read(va + g * PAGE_SIZE, &word, sizeof(word)) || word != (long)g) {
			printf("mmsim: page %lu of %lu did not read back (no swap-in yet?)\n", g, n);
			return false;
		}
	}
	h2 = cpu_now_ns();
	snap(m, &c2);
	sys_munmap(va, n * PAGE_SIZE);
	if (c1.steal > c0.steal) {
		add_run(&res->w, (double)(h1 - h0) / (double)(c1.steal - c0.steal));
		res->w_steal[res->nr_w++] = (double)(c1.steal - c0.steal);
	}
	if (c1.pswpout > c0.pswpout) {
		add_run(&res->out, (double)(h1 - h0) / (double)(c1.pswpout - c0.pswpout));
		res->virt_out[res->nr_out++] = (double)(c1.clock_ns - c0.clock_ns) /
					       (double)(c1.pswpout - c0.pswpout);
	}
	if (c2.majflt > c1.majflt) {
		add_run(&res->r, (double)(h2 - h1) / (double)(c2.majflt - c1.majflt));
		res->r_maj[res->nr_r] = (double)(c2.majflt - c1.majflt);
		res->r_in[res->nr_r++] = (double)(c2.pswpin - c1.pswpin);
	}
	return true;
}

int main(void)
{
	struct mmsim *m;
	struct task_struct *t;
	struct results res = { 0 };
	struct bench_meas bare_w = { 0 }, bare_r = { 0 };
	struct bench_meas cpy = BENCH_MEAS(memcpy_loop, NULL, 1);
	unsigned long n, frames;
	struct bare_lru bare = { 0 };
	char note[160];
	bool can;

	printf("bench_reclaim: reclaim and swap at 2x RAM vs a bare LRU list (same run)\n");
	printf("median of %d rounds [range], host CPU time per page; both references are limits, "
	       "not peers;\n(xR) = mmsim median / reference median\n", PASSES);
	bench_rule();
	m = mmsim_boot(SPEC);
	can = m && get_total_swap_pages() > 0;
	if (!can) {
		printf("mmsim side skipped: '%s' %s; the references alone\n", SPEC,
		       m ? "has no swap" : "does not boot (no swap= yet)");
		if (m)
			mmsim_shutdown(m);
		m = mmsim_boot(BASE_SPEC);
		if (!m)
			die(mmsim_last_error(), 0);
	} else {
		printf("%s\n", SPEC);
	}
	t = mmsim_spawn(m, "bench");
	if (!t || mmsim_switch_to(t))
		die("mmsim_spawn", 0);
	n = 2 * totalram_pages();
	frames = nr_free_pages();
	bare_init(&bare, (long)n, (long)frames);
	for (int pass = 0; pass < PASSES; pass++) {
		double w, r;

		if (can)
			can = mmsim_pass(m, n, &res);
		bare_write_pass(&bare, &w);
		bare_read_pass(&bare, &r);
		add_run(&bare_w, w);
		add_run(&bare_r, r);
	}
	bench_summarize(&res.w);
	bench_summarize(&res.r);
	bench_summarize(&res.out);
	bench_summarize(&bare_w);
	bench_summarize(&bare_r);
	cpy_src = host_get(64 * HOST_PAGE);
	cpy_dst = host_get(64 * HOST_PAGE);
	bench_compare(&cpy, 1);
	printf("%lu pages touched (2x RAM), %lu frames free at the start\n", n, frames);
	if (res.w.nr_runs) {
		snprintf(note, sizeof(note), "  %.0f pages/s, %.0f reclaimed per pass",
			 1e9 / res.w.med_ns, median_of(res.w_steal, res.nr_w));
		bench_row_med("reclaim, per page reclaimed", &res.w, "bare LRU eviction (a limit)", &bare_w,
		    note);
	} else {
		row_ref_only("reclaim, per page reclaimed", "bare LRU eviction (a limit)", &bare_w);
	}
	if (res.r.nr_runs) {
		snprintf(note, sizeof(note), "  %.0f faults/s, %.0f major faults, %.0f pswpin per pass",
			 1e9 / res.r.med_ns, median_of(res.r_maj, res.nr_r),
			 median_of(res.r_in, res.nr_r));
		bench_row_med("swap-in, per major fault", &res.r, "bare LRU swap-in (a limit)", &bare_r, note);
	} else {
		row_ref_only("swap-in, per major fault", "bare LRU swap-in (a limit)", &bare_r);
	}
	if (res.out.nr_runs) {
		snprintf(note, sizeof(note), "  virtual %.2f ms per 1,000 page-outs",
			 median_of(res.virt_out, res.nr_out) * 1000 / 1e6);
		bench_row_med("page-out (host time/pswpout)", &res.out, "memcpy of a page (a limit)", &cpy,
		    note);
	} else {
		row_ref_only("page-out (host time/pswpout)", "memcpy of a page (a limit)", &cpy);
	}
	sys_exit_group(0);
	mmsim_shutdown(m);
	return 0;
}
