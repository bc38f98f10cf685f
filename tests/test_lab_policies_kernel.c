// SPDX-License-Identifier: GPL-2.0
/*
 * test_lab_policies_kernel.c - the research policies (arc, lirs, clockpro,
 * s3fifo, linux2q) as the machine's reclaim policy, lru=NAME, through the
 * kernel adapter (mm/policy/lru_adapter.c): a 32 MiB machine with 64 MiB of
 * swap; one process writes 1.5x RAM of anonymous memory twice while
 * re-reading a hot eighth of it, then reads everything back.  Each policy
 * must swap (pswpout > 0: reclaim ran through it), return every word
 * intact and leave no WARNING or BUG in the kernel log (the adapter's and
 * the policy's is_valid WARN there).
 *
 * The adapter is another part of issue 17: on a tree without it lru=arc
 * does not boot, and the test says so and skips (it passes once merged).
 */
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include <mmsim/swap.h>
#include "mmtest.h"

static bool run(const char *policy)
{
	char spec[128], *log, *vs, *out;
	struct task_struct *t;
	unsigned long n, va, g, hot;
	struct mmsim *m;
	size_t mark;
	long w;
	int r;

	snprintf(spec, sizeof(spec), "ram=32M disk=160M swap=64M lru=%s", policy);
	m = mmsim_boot(spec);
	if (!m) {
		fprintf(stderr, "skipped: '%s' does not boot (%s): no kernel adapter in this tree\n",
			spec, mmsim_last_error());
		return false;
	}
	mark = log_mark(m);
	t = mmsim_spawn(m, "p");
	KT_ASSERT(t && !mmsim_switch_to(t));
	n = totalram_pages() * 3 / 2;
	hot = n / 8;
	va = sys_mmap(0, n * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      (unsigned long)-1, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	for (r = 0; r < 2; r++)
		for (g = 0; g < n; g++) {
			w = (long)g;
			KT_ASSERT(!mmsim_user_write(va + g * PAGE_SIZE, &w, sizeof(w)));
			if (g % 4 == 0)		/* the hot set, touched all along */
				KT_ASSERT(!mmsim_user_read(va + (g / 4) % hot * PAGE_SIZE, &w,
							   sizeof(w)));
		}
	for (g = 0; g < n; g++) {
		KT_ASSERT(!mmsim_user_read(va + g * PAGE_SIZE, &w, sizeof(w)));
		if (w != (long)g) {
			KT_EQ(w, g);
			break;
		}
	}
	vs = mmsim_read(m, "/proc/vmstat");
	out = vs ? strstr(vs, "\npswpout ") : NULL;
	KT_ASSERT(out && atol(out + 9) > 0);
	if (out)
		printf("lru=%s: pswpout %ld", policy, atol(out + 9));
	out = vs ? strstr(vs, "\npswpin ") : NULL;
	if (out)
		printf(" pswpin %ld\n", atol(out + 8));
	free(vs);
	log = log_since(m, &mark);
	KT_ASSERT(!strstr(log, "WARNING") && !strstr(log, "BUG"));
	if (strstr(log, "WARNING") || strstr(log, "BUG"))
		fprintf(stderr, "%s\n", log);
	free(log);
	sys_exit_group(0);
	mmsim_shutdown(m);
	return true;
}

static void test_policies_under_swap(void)
{
	static const char *const names[] = { "arc", "lirs", "clockpro", "s3fifo", "linux2q" };
	unsigned int k;

	for (k = 0; k < 5; k++)
		if (!run(names[k]))
			return;
}

int main(void)
{
	KT_RUN(test_policies_under_swap);
	return kt_done();
}
