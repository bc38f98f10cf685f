// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_reclaim_determinism.c - a run under memory pressure is a
 * function of its spec and seed: the same spec and seed give the same
 * /proc/vmstat, /proc/meminfo, /proc/swaps, /proc/zoneinfo and kernel log,
 * byte for byte, for each LRU policy (lru=classic, lru=mglru).
 *
 * The workload is the swap-integrity stress (tests/swap_stress.h: one
 * family of processes on one CPU, anon, shmem and file pages at 2x RAM,
 * fork, exit, munmap, mprotect, MADV_PAGEOUT, swapoff, kswapd and the
 * flusher in virtual time), followed by a sequential pass that writes and
 * reads back twice RAM of anonymous memory.  Each policy runs three times:
 * once alone, then twice at once on two host threads, each thread its own
 * machine -- so state leaking between machines of one process (a global
 * where a per-machine state belongs) shows as a difference too.  A
 * different seed must give a different vmstat (the snapshot is not
 * trivially constant).
 *
 * The probe must find that the machine swaps and reclaims (the test fails
 * otherwise; the in-RAM size is only a fallback for the report); a policy whose `lru=`
 * word the machine does not know yet is skipped with a note.
 */
#include <pthread.h>
#include "swap_stress.h"

#if defined(__SANITIZE_ADDRESS__)
#define DEFAULT_STEPS	200
#else
#define DEFAULT_STEPS	800
#endif

#define RAM_MB		32
#define SWAP_SPEC	" swap=40M@5,40M@5,40M"

static int steps = DEFAULT_STEPS;
static unsigned long seed = 0xde7e5eed;
static bool can_swap;

struct run {
	const char *policy;		/* the lru= word, or NULL */
	unsigned long seed;
	char *snap;			/* the texts, concatenated */
	int failures;
};

static char *cat_files(struct mmsim *m, char *acc, const char *path)
{
	char *t = mmsim_read(m, path);
	const char *body = t ? t : "(none)\n";
	size_t a = acc ? strlen(acc) : 0;
	char *out = realloc(acc, a + strlen(body) + strlen(path) + 8);

	sprintf(out + a, "== %s\n%s", path, body);
	free(t);
	return out;
}

static void spec_of(const struct run *r, bool with_swap, char *spec, size_t len)
{
	snprintf(spec, len, "ram=%dM disk=64M%s%s%s", RAM_MB,
		 with_swap ? SWAP_SPEC : "",
		 r->policy ? " lru=" : "", r->policy ? r->policy : "");
}

/* Write 2x RAM of anonymous memory page by page, then read it back. */
static void sequential_pass(struct ss_set *s)
{
	unsigned long n = 2 * totalram_pages() / (can_swap ? 1 : 8), va;

	if (ss_spawn(s) < 0)
		return;
	va = sys_mmap(0, n * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      (unsigned long)-1, 0);
	SS_CHECK(!IS_ERR_VALUE(va), s, "mmap");
	if (IS_ERR_VALUE(va))
		return;
	for (unsigned long g = 0; g < n; g++) {
		ss_fill(s->buf, (u32)g + 1);
		if (mmsim_user_write(va + g * PAGE_SIZE, s->buf, PAGE_SIZE)) {
			SS_CHECK(0, s, "sequential write");
			return;
		}
	}
	for (unsigned long g = 0; g < n; g++) {
		if (mmsim_user_read(va + g * PAGE_SIZE, s->buf, PAGE_SIZE)) {
			SS_CHECK(0, s, "sequential read");
			return;
		}
		ss_page_ok(s, s->buf, (u32)g + 1, "sequential pass", g);
	}
	/* the process stays: ss_finish ends it */
}

/* Boot, run the workload, keep the snapshot; the machine is this thread's. */
static void *run_one(void *arg)
{
	struct run *r = arg;
	struct ss_set *s = calloc(1, sizeof(*s));
	char spec[160];
	struct mmsim *m;

	spec_of(r, can_swap, spec, sizeof(spec));
	m = mmsim_boot(spec);
	if (!m) {
		fprintf(stderr, "boot '%s' failed: %s\n", spec, mmsim_last_error());
		r->failures++;
		free(s);
		return NULL;
	}
	ss_init_set(s, m, 0, r->seed);
	/* The checkers run in test_swap_integrity; here only what must not
	 * differ between runs is compared (and every page read back is). */
	s->single = false;
	s->swap_ops = can_swap;
	for (s->step = 1; s->step <= steps && s->failures < 5; s->step++)
		ss_step(s);
	sequential_pass(s);
	ss_finish(s);
	mmsim_advance_clock(m, 5000000000ULL);
	r->failures += s->failures;
	r->snap = cat_files(m, NULL, "/proc/vmstat");
	r->snap = cat_files(m, r->snap, "/proc/meminfo");
	r->snap = cat_files(m, r->snap, "/proc/swaps");
	r->snap = cat_files(m, r->snap, "/proc/zoneinfo");
	r->snap = cat_files(m, r->snap, "/proc/pressure/memory");
	{
		size_t mark = 0;
		char *log = log_since(m, &mark);

		r->snap = realloc(r->snap, strlen(r->snap) + strlen(log) + 16);
		strcat(r->snap, "== dmesg\n");
		strcat(r->snap, log);
		free(log);
	}
	mmsim_shutdown(m);
	free(s);
	return NULL;
}

/* Equal texts, or the first line that differs. */
static bool same(const char *what, const char *a, const char *b)
{
	const char *la = a, *lb = b;
	int line = 1;

	if (!strcmp(a, b))
		return true;
	while (*la && *lb) {
		const char *ea = strchr(la, '\n'), *eb = strchr(lb, '\n');
		size_t na = ea ? (size_t)(ea - la) : strlen(la), nb = eb ? (size_t)(eb - lb) : strlen(lb);

		if (na != nb || memcmp(la, lb, na)) {
			fprintf(stderr, "%s: line %d differs:\n  < %.*s\n  > %.*s\n", what, line,
				(int)na, la, (int)nb, lb);
			return false;
		}
		la += na + (ea != NULL);
		lb += nb + (eb != NULL);
		line++;
	}
	fprintf(stderr, "%s: one snapshot ends at line %d\n", what, line);
	return false;
}

/* Does this machine know lru=@policy?  (A boot and a shutdown.) */
static bool policy_known(const char *policy)
{
	struct run r = { .policy = policy };
	char spec[160];
	struct mmsim *m;

	spec_of(&r, false, spec, sizeof(spec));
	m = mmsim_boot(spec);
	if (m)
		mmsim_shutdown(m);
	return m != NULL;
}

static void check_policy(const char *policy)
{
	struct run a = { policy, seed, NULL, 0 }, b = a, c = a, d = a;
	pthread_t tb, tc;
	char name[64];

	snprintf(name, sizeof(name), "determinism lru=%s", policy ? policy : "(default)");
	kt_begin(name);
	if (policy && !policy_known(policy)) {
		printf("skipped: the machine has no lru=%s yet\n", policy);
		kt_end();
		return;
	}
	run_one(&a);
	pthread_create(&tb, NULL, run_one, &b);
	pthread_create(&tc, NULL, run_one, &c);
	pthread_join(tb, NULL);
	pthread_join(tc, NULL);
	d.seed = seed + 1;
	run_one(&d);
	KT_EQ(a.failures + b.failures + c.failures + d.failures, 0);
	KT_ASSERT(a.snap && b.snap && c.snap && d.snap);
	if (a.snap && b.snap && c.snap && d.snap) {
		KT_ASSERT(same("alone vs thread 1", a.snap, b.snap));
		KT_ASSERT(same("alone vs thread 2", a.snap, c.snap));
		/* another seed: another run */
		KT_ASSERT(strcmp(a.snap, d.snap) != 0);
		printf("%zu bytes of /proc and log identical in 3 runs\n", strlen(a.snap));
	}
	free(a.snap);
	free(b.snap);
	free(c.snap);
	free(d.snap);
	kt_end();
}

int main(void)
{
	const char *e = getenv("MMSIM_STRESS_SEED");
	struct run probe = { 0 };
	char spec[160];
	struct mmsim *m;

	if (e)
		seed = strtoul(e, NULL, 0);
	e = getenv("MMSIM_STRESS_STEPS");
	if (e)
		steps = atoi(e);
	ss_params_from_env();
	/* Can this machine swap and reclaim?  The size of the regions follows. */
	spec_of(&probe, true, spec, sizeof(spec));
	can_swap = ss_probe_swap(spec);
	KT_ASSERT(can_swap);
	spec_of(&probe, false, spec, sizeof(spec));
	m = boot_or_die(spec);
	ss_ratio = can_swap ? 2.0 : 0.5;
	ss_size_regions(1);
	mmsim_shutdown(m);
	printf("seed %#lx, %d steps, %s, %lu pages per region\n", seed, steps,
	       can_swap ? "swap and reclaim at 2x RAM" : "no swap or reclaim yet: in RAM",
	       ss_pages);
	check_policy("classic");
	check_policy("mglru");
	return kt_done();
}
