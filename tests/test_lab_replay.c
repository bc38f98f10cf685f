// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_lab_replay.c - `mmsim replay`'s engines on small generated
 * traces (tools/lab/replay.h, docs/lab.md).
 *
 * Kernel mode takes its records from an array here (struct replay_source),
 * so each case states its trace in a few lines and its expected figures
 * are derived from the trace alone:
 *  - an id trace on a machine with RAM to spare: every id's first access
 *    is a write, so faults == distinct ids, no major fault, no swap;
 *  - an address trace with layout: mmap, writes, fork, the child's
 *    writes (copy-on-write: one fault per page), exit, munmap;
 *  - a loop over more pages than RAM with swap, with --verify's stamps:
 *    pages go out and come back (pswpout, major faults) and no stamp is
 *    lost; the debug checkers hold after the run;
 *  - the same without swap: one OOM kill, the process's later records
 *    dropped;
 *  - a txt trace read through a file of our own (the test's reader), as
 *    the command line's reader would feed it.
 * Cache mode is checked against a naive LRU written here (every size, and
 * --mrc's one pass).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <mmsim/mmsim.h>
#include <mmsim/mman.h>
#include "tools/lab/replay.h"
#include "ktest.h"

/* ---------------------------------------------------------------------
 * An array of records as a source
 */

struct arr {
	struct trace_rec *r;
	size_t n, cap, pos;
};

static int arr_read(void *arg, struct trace_rec *rec)
{
	struct arr *a = arg;

	if (a->pos == a->n)
		return 0;
	*rec = a->r[a->pos++];
	return 1;
}

static const char *arr_error(void *arg)
{
	(void)arg;
	return "array: no error";
}

static void push(struct arr *a, uint8_t op, uint32_t pid, uint64_t addr, uint64_t len)
{
	struct trace_rec *r;

	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 1024;
		a->r = realloc(a->r, a->cap * sizeof(*a->r));
		if (!a->r)
			abort();
	}
	r = &a->r[a->n++];
	memset(r, 0, sizeof(*r));
	r->op = op;
	r->pid = pid;
	r->addr = addr;
	r->len = len;
	r->id = addr >> 12;
	r->arg = (uint64_t)-1;
	r->next_access = CACHE_NEXT_NEVER;
}

static void push_id(struct arr *a, uint64_t id)
{
	push(a, TRACE_READ, 1, id << 12, 1);
	a->r[a->n - 1].id = id;
}

static struct replay_source arr_source(struct arr *a, bool addresses, bool layout)
{
	struct replay_source s = {
		.read = arr_read, .error = arr_error, .arg = a, .name = "array",
		.has_addresses = addresses, .has_layout = layout, .page_shift = 12,
		.nr_records = a->n,
	};

	a->pos = 0;
	return s;
}

static int run(struct arr *a, bool addresses, bool layout, const char *spec, bool verify,
	       struct replay_kresult *res)
{
	struct replay_source src = arr_source(a, addresses, layout);
	struct replay_kopts o = { .spec = spec, .access_ns = 10, .verify = verify, .check = true };
	char err[256];
	int ret = replay_kernel(&src, &o, res, err, sizeof(err));

	if (ret)
		fprintf(stderr, "replay_kernel: %s\n", err);
	return ret;
}

/* ---------------------------------------------------------------------
 * Kernel mode
 */

static void test_first_touch_faults(void)
{
	struct arr a = { 0 };
	struct replay_kresult res;
	const uint64_t ids = 1000;

	/* ids 5000.. in three passes: a sparse id space, compacted */
	for (int pass = 0; pass < 3; pass++)
		for (uint64_t i = 0; i < ids; i++)
			push_id(&a, 5000 + i * 7);
	KT_EQ(run(&a, false, false, "ram=128M cpus=1", false, &res), 0);
	KT_EQ(res.requests, 3 * ids);
	KT_EQ(res.first_touches, ids);
	KT_EQ(res.faults, ids);
	KT_EQ(res.major_faults, 0);
	KT_EQ(res.minor_faults, ids);
	KT_EQ(res.pswpout, 0);
	KT_EQ(res.misses, ids);
	KT_EQ(res.oom_kills, 0);
	KT_EQ(res.check_errors, 0);
	KT_EQ(res.processes, 1);
	/* every access after the first pass's is a hit: TLB or walk, no fault */
	KT_ASSERT(res.tlb_hits + res.tlb_misses >= 3 * ids);
	KT_ASSERT(res.series.nr >= 1);
	KT_ASSERT(res.virtual_ns >= 3 * ids * 10);
	replay_kresult_free(&res);
	free(a.r);
}

/* Hashed 64-bit ids (the idmap path) mixed with small ones (the flat array). */
static void test_large_ids(void)
{
	struct arr a = { 0 };
	struct replay_kresult res;

	for (int pass = 0; pass < 3; pass++)
		for (uint64_t i = 0; i < 200; i++)
			push_id(&a, i & 1 ? (i + 1) * 0x9e3779b97f4a7c15ULL : i);
	KT_EQ(run(&a, false, false, "ram=64M cpus=1", true, &res), 0);
	KT_EQ(res.requests, 600);
	KT_EQ(res.first_touches, 200);
	KT_EQ(res.faults, 200);
	KT_EQ(res.verify_errors, 0);
	replay_kresult_free(&res);
	free(a.r);
}

static void test_layout_fork_cow(void)
{
	const uint64_t base = 0x10000000, pages = 64;
	struct arr a = { 0 };
	struct replay_kresult res;

	push(&a, TRACE_MMAP, 100, base, pages << 12);
	a.r[a.n - 1].prot = PROT_READ | PROT_WRITE;
	a.r[a.n - 1].flags = MAP_PRIVATE | MAP_ANONYMOUS;
	for (uint64_t i = 0; i < pages; i++)
		push(&a, TRACE_WRITE, 100, base + (i << 12) + 8, 8);
	push(&a, TRACE_FORK, 100, 0, 0);
	a.r[a.n - 1].arg = 101;
	for (uint64_t i = 0; i < pages; i++)	/* the child writes: COW */
		push(&a, TRACE_WRITE, 101, base + (i << 12), 8);
	for (uint64_t i = 0; i < pages; i++)	/* the parent reads: its own pages */
		push(&a, TRACE_READ, 100, base + (i << 12), 8);
	push(&a, TRACE_EXIT, 101, 0, 0);
	push(&a, TRACE_MUNMAP, 100, base, pages << 12);
	push(&a, TRACE_WRITE, 100, base, 8);	/* outside every VMA now: implicit */
	KT_EQ(run(&a, true, true, "ram=64M cpus=1", true, &res), 0);
	KT_EQ(res.processes, 2);
	KT_EQ(res.layout_errors, 0);
	KT_EQ(res.requests, 3 * pages + 1);
	/* parent: 64 demand faults; child: 64 COW faults; the last write: one */
	KT_EQ(res.faults, 2 * pages + 1);
	/* the child shares its parent's pages; the last write's page was touched before */
	KT_EQ(res.first_touches, pages);
	KT_EQ(res.implicit_maps, 1);
	KT_EQ(res.verify_errors, 0);
	KT_EQ(res.killed, 0);
	KT_EQ(res.check_errors, 0);
	replay_kresult_free(&res);
	free(a.r);
}

/* A trace_reader as a source: the command line's path (tools/lab/replay.c). */
static int rd_read(void *arg, struct trace_rec *rec)
{
	return trace_read(arg, rec);
}

static const char *rd_error(void *arg)
{
	return trace_error(arg);
}

/*
 * The fork/COW trace written in mmsim's own format (tools/lab/trace.h's
 * writer) and replayed through its reader: the layout survives the file
 * and the figures are the array's.
 */
static void test_mmsim_file_layout(void)
{
	const uint64_t base = 0x30000000, pages = 32;
	char path[] = "/tmp/test_lab_replay_XXXXXX.mmsim";
	struct trace_info info = { .has_addresses = true, .page_shift = 12 };
	struct replay_kopts o = { .spec = "ram=64M cpus=1", .access_ns = 10, .check = true };
	struct replay_source src = { .read = rd_read, .error = rd_error, .name = path };
	struct replay_kresult res;
	struct trace_writer *w;
	struct trace_reader *r;
	struct arr a = { 0 };
	char err[256];
	int fd = mkstemps(path, 6);

	KT_ASSERT(fd >= 0);
	close(fd);
	push(&a, TRACE_MMAP, 7, base, pages << 12);
	a.r[a.n - 1].prot = PROT_READ | PROT_WRITE;
	a.r[a.n - 1].flags = MAP_PRIVATE | MAP_ANONYMOUS;
	for (uint64_t i = 0; i < pages; i++)
		push(&a, TRACE_WRITE, 7, base + (i << 12), 8);
	push(&a, TRACE_FORK, 7, 0, 0);
	a.r[a.n - 1].arg = 8;
	for (uint64_t i = 0; i < pages; i++)
		push(&a, TRACE_WRITE, 8, base + (i << 12), 8);
	push(&a, TRACE_READ, 8, 0x7ffd12345678, 8);	/* an untraced stack: implicit */
	push(&a, TRACE_EXIT, 8, 0, 0);
	w = trace_create(path, TRACE_FMT_MMSIM, &info, err, sizeof(err));
	KT_ASSERT(w);
	for (size_t i = 0; w && i < a.n; i++)
		KT_EQ(trace_write(w, &a.r[i]), 0);
	KT_EQ(trace_commit(w, err, sizeof(err)), 0);
	r = trace_open(path, TRACE_FMT_AUTO, err, sizeof(err));
	KT_ASSERT(r);
	if (r) {
		KT_ASSERT(trace_get_info(r)->has_layout);
		src.arg = r;
		src.has_addresses = true;
		src.has_layout = true;
		src.page_shift = 12;
		KT_EQ(replay_kernel(&src, &o, &res, err, sizeof(err)), 0);
		KT_EQ(res.processes, 2);
		KT_EQ(res.requests, 2 * pages + 1);
		KT_EQ(res.faults, 2 * pages + 1);	/* demand, COW, the stack's read */
		KT_EQ(res.implicit_maps, 1);
		KT_EQ(res.layout_errors, 0);
		KT_EQ(res.check_errors, 0);
		replay_kresult_free(&res);
		trace_close(r);
	}
	unlink(path);
	free(a.r);
}

/* A loop over @pages pages, @passes times, each page written then read. */
static void loop_trace(struct arr *a, uint64_t pages, int passes)
{
	for (int p = 0; p < passes; p++)
		for (uint64_t i = 0; i < pages; i++) {
			push(a, TRACE_WRITE, 1, 0x20000000 + (i << 12), 8);
			push(a, TRACE_READ, 1, 0x20000000 + (i << 12) + 64, 8);
		}
}

static void test_swap_no_byte_lost(void)
{
	struct arr a = { 0 };
	struct replay_kresult res;
	const uint64_t pages = 12288;	/* 48 MiB on a 32 MiB machine */

	loop_trace(&a, pages, 3);
	KT_EQ(run(&a, true, false, "ram=32M cpus=1 swap=64M", true, &res), 0);
	KT_EQ(res.requests, 2 * 3 * pages);
	KT_EQ(res.first_touches, pages);
	KT_ASSERT(res.pswpout > 0);
	KT_ASSERT(res.major_faults > 0);
	KT_ASSERT(res.pswpin > 0);
	KT_EQ(res.verify_errors, 0);
	KT_EQ(res.oom_kills, 0);
	KT_EQ(res.killed, 0);
	KT_EQ(res.check_errors, 0);
	KT_EQ(res.misses, res.first_touches + res.major_faults);
	/* the series adds up to the totals */
	{
		uint64_t f = 0, out = 0;

		for (size_t i = 0; i < res.series.nr; i++) {
			f += res.series.faults[i];
			out += res.series.pswpout[i];
		}
		KT_EQ(f, res.faults);
		KT_EQ(out, res.pswpout);
	}
	replay_kresult_free(&res);
	free(a.r);
}

static void test_oom_without_swap(void)
{
	struct arr a = { 0 };
	struct replay_kresult res;
	const uint64_t pages = 12288;

	loop_trace(&a, pages, 1);
	KT_EQ(run(&a, true, false, "ram=32M cpus=1", false, &res), 0);
	KT_EQ(res.oom_kills, 1);
	KT_EQ(res.killed, 1);
	KT_ASSERT(res.dropped > 0);
	KT_EQ(res.requests + res.dropped, 2 * pages);
	KT_EQ(res.pswpout, 0);
	KT_ASSERT(res.kmsg && strstr(res.kmsg, "Out of memory"));
	replay_kresult_free(&res);
	free(a.r);
}

/* A bad record mid-way: the source's error comes back as is. */
struct bad {
	int n;
};

static int bad_read(void *arg, struct trace_rec *rec)
{
	struct bad *b = arg;

	if (b->n++ == 10)
		return -1;
	memset(rec, 0, sizeof(*rec));
	rec->op = TRACE_READ;
	rec->id = (cache_id_t)b->n;
	return 1;
}

static const char *bad_error(void *arg)
{
	(void)arg;
	return "t.txt:11: not a number";
}

static void test_bad_record(void)
{
	struct bad b = { 0 };
	struct replay_source src = { .read = bad_read, .error = bad_error, .arg = &b,
				     .name = "t.txt", .page_shift = 12 };
	struct replay_kopts o = { .spec = "ram=64M cpus=1", .access_ns = 10 };
	struct replay_kresult res;
	char err[256];

	KT_EQ(replay_kernel(&src, &o, &res, err, sizeof(err)), -1);
	KT_ASSERT(!strcmp(err, "t.txt:11: not a number"));
	o.spec = "ram=12Q";
	b.n = 0;
	KT_EQ(replay_kernel(&src, &o, &res, err, sizeof(err)), -2);
	KT_ASSERT(!strncmp(err, "--spec: ", 8));
}

/* ---------------------------------------------------------------------
 * A txt trace through a reader of the test's own
 */

struct txt {
	FILE *f;
	const char *path;
	unsigned long line;
	char err[256];
};

static int txt_read(void *arg, struct trace_rec *rec)
{
	struct txt *t = arg;
	char buf[64], *end;

	if (!fgets(buf, sizeof(buf), t->f))
		return 0;
	t->line++;
	memset(rec, 0, sizeof(*rec));
	rec->op = TRACE_READ;
	rec->id = strtoull(buf, &end, 10);
	if (end == buf || (*end && *end != '\n')) {
		snprintf(t->err, sizeof(t->err), "%s:%lu: not an id", t->path, t->line);
		return -1;
	}
	return 1;
}

static const char *txt_error(void *arg)
{
	return ((struct txt *)arg)->err;
}

static void test_txt_file(void)
{
	char path[] = "/tmp/test_lab_replay_XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	struct txt t = { .path = path };
	struct replay_source src = { .read = txt_read, .error = txt_error, .arg = &t,
				     .name = path, .page_shift = 12 };
	struct replay_kopts o = { .spec = "ram=64M cpus=1", .access_ns = 10 };
	struct replay_kresult res;
	char err[256];

	KT_ASSERT(f);
	for (int i = 0; i < 300; i++)
		fprintf(f, "%d\n", i % 100);
	fclose(f);
	t.f = fopen(path, "r");
	KT_EQ(replay_kernel(&src, &o, &res, err, sizeof(err)), 0);
	KT_EQ(res.requests, 300);
	KT_EQ(res.faults, 100);
	replay_kresult_free(&res);
	fclose(t.f);
	unlink(path);
}

/* ---------------------------------------------------------------------
 * Cache mode against a naive LRU
 */

/* LRU misses of @ids at capacity @cap: a recency array, most recent first. */
static uint64_t naive_lru(const cache_id_t *ids, uint64_t n, uint64_t cap)
{
	cache_id_t *stack = calloc(cap, sizeof(*stack));
	uint64_t used = 0, misses = 0;

	for (uint64_t i = 0; i < n; i++) {
		uint64_t pos = 0;

		while (pos < used && stack[pos] != ids[i])
			pos++;
		if (pos == used) {
			misses++;
			if (used < cap)
				used++;
			pos = used - 1;	/* the last slot: the LRU one, dropped if full */
		}
		memmove(&stack[1], &stack[0], pos * sizeof(*stack));
		stack[0] = ids[i];
	}
	free(stack);
	return misses;
}

static void test_cache_mode_lru(void)
{
	const uint64_t n = 20000;
	cache_id_t *ids = malloc(n * sizeof(*ids));
	struct replay_copts o = { .policies = "lru,fifo", .sizes = "1,7,50,300", .threads = 2,
				  .shards = 1.0 };
	struct replay_meta meta = { .trace = "gen", .format = "txt" };
	const uint64_t sizes[] = { 1, 7, 50, 300 };
	json_t *runs = json_array();
	uint64_t x = 12345;
	char err[256];

	/* a skewed mix: a hot set of 40, a loop of 200, uniform over 2000 */
	for (uint64_t i = 0; i < n; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		switch ((x >> 33) % 4) {
		case 0:
		case 1:
			ids[i] = (x >> 40) % 40;
			break;
		case 2:
			ids[i] = 1000 + i % 200;
			break;
		default:
			ids[i] = 5000 + (x >> 20) % 2000;
		}
	}
	KT_EQ(replay_cache(&o, &meta, ids, n, runs, NULL, err, sizeof(err)), 0);
	KT_EQ(json_array_size(runs), 8);
	for (int s = 0; s < 4; s++) {
		json_t *run = json_array_get(runs, (size_t)s);

		KT_ASSERT(!strcmp(json_string_value(json_object_get(run, "policy")), "lru"));
		KT_EQ(json_integer_value(json_object_get(run, "size_pages")), sizes[s]);
		KT_EQ(json_integer_value(json_object_get(run, "requests")), n);
		KT_EQ(json_integer_value(json_object_get(run, "misses")),
		      naive_lru(ids, n, sizes[s]));
	}
	/* --mrc: the same figures from one Mattson pass */
	json_array_clear(runs);
	o.policies = "lru";
	o.mrc = true;
	KT_EQ(replay_cache(&o, &meta, ids, n, runs, NULL, err, sizeof(err)), 0);
	for (int s = 0; s < 4; s++)
		KT_EQ(json_integer_value(json_object_get(json_array_get(runs, (size_t)s), "misses")),
		      naive_lru(ids, n, sizes[s]));
	KT_ASSERT(json_object_get(json_array_get(runs, 0), "mrc"));
	/* an empty trace: every policy runs, OPT included, with no request */
	json_array_clear(runs);
	o.policies = "lru,opt";
	o.mrc = false;
	KT_EQ(replay_cache(&o, &meta, ids, 0, runs, NULL, err, sizeof(err)), 0);
	KT_EQ(json_array_size(runs), 8);
	KT_EQ(json_integer_value(json_object_get(json_array_get(runs, 7), "misses")), 0);
	/* bad arguments: status 1 and a message */
	o.policies = "nosuch";
	KT_EQ(replay_cache(&o, &meta, ids, n, runs, NULL, err, sizeof(err)), 1);
	KT_STR_CONTAINS(err, "unknown policy 'nosuch'");
	o.policies = "lru";
	o.sizes = "5,,6";
	KT_EQ(replay_cache(&o, &meta, ids, n, runs, NULL, err, sizeof(err)), 1);
	json_decref(runs);
	free(ids);
}

int main(void)
{
	KT_RUN(test_first_touch_faults);
	KT_RUN(test_large_ids);
	KT_RUN(test_layout_fork_cow);
	KT_RUN(test_mmsim_file_layout);
	KT_RUN(test_swap_no_byte_lost);
	KT_RUN(test_oom_without_swap);
	KT_RUN(test_bad_record);
	KT_RUN(test_txt_file);
	KT_RUN(test_cache_mode_lru);
	return kt_done();
}
