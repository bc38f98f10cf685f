// SPDX-License-Identifier: GPL-2.0
/*
 * mm/fail_page_alloc.c - fault injection in front of the page allocator,
 * Linux's fail_page_alloc (Documentation/fault-injection/).
 *
 * Boot parameter fail_page_alloc=<interval>,<probability>,<space>,<times>
 * and the debugfs knobs under /sys/kernel/debug/fail_page_alloc/
 * (probability, interval, times, space, verbose, ignore-gfp-wait,
 * ignore-gfp-highmem, min-order) set a struct fault_attr; each allocation
 * then asks should_fail_alloc_page().  As in Linux: __GFP_NOFAIL is never
 * failed; ignore-gfp-highmem skips __GFP_HIGHMEM; ignore-gfp-wait skips
 * allocations that may reclaim; orders below min-order are skipped; a
 * failure is injected every `interval` calls with `probability` percent,
 * while `space` (bytes) lasts, at most `times` times (-1: no limit).
 * Defaults are Linux's: ignore-gfp-wait=Y, ignore-gfp-highmem=Y,
 * min-order=1, interval=1, times=1.
 *
 * The decision itself is lib/fault-inject.c's should_fail(), shared with
 * failslab; randomness comes from the machine's seed, so runs repeat.
 * The state is per machine and changed under no lock: writers are the
 * configuring thread before the workload runs.  The fault_attr itself is in
 * struct mmsim (read on every allocation); this subsystem's own state is
 * the boot parameter, applied by a late initcall once the allocator runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mm/internal.h"
#include "lib/cmdline.h"

static void fault_attr_defaults(struct mmsim *m)
{
	struct fault_attr *fa = &m->fail_page_alloc;

	fault_attr_init(fa, m->hw.hp.seed);
	fa->ignore_gfp_highmem = true;
	fa->ignore_gfp_reclaim = true;
	fa->min_order = 1;
}

struct fail_page_alloc_boot {
	char str[64];		/* fail_page_alloc=<interval>,<prob>,<space>,<times> */
};

static int setup_fail_page_alloc(void *state, const struct kernel_param *kp, const char *word,
				 const char *val, char *err, size_t len)
{
	struct fail_page_alloc_boot *b = state;

	if (strlen(val) >= sizeof(b->str))
		return cmdline_fail(err, len, "'%s': value too long", word);
	strcpy(b->str, val);
	return 0;
}

static int fail_page_alloc_late_init(struct mmsim *m, char *err, size_t len)
{
	struct fail_page_alloc_boot *b = subsys_state(m, fail_page_alloc);

	if (!b->str[0])
		return 0;
	return setup_fault_attr(&m->fail_page_alloc, "fail_page_alloc", b->str, err, len);
}

static const struct kernel_param fail_page_alloc_params[] = {
	__setup("fail_page_alloc", setup_fail_page_alloc),
};

static const struct initcall fail_page_alloc_initcalls[] = {
	late_initcall(fail_page_alloc_late_init, NULL),
};

DEFINE_SUBSYSTEM(fail_page_alloc, SUBSYS_STATE(struct fail_page_alloc_boot, NULL),
		 SUBSYS_PARAMS(fail_page_alloc_params), SUBSYS_INITCALLS(fail_page_alloc_initcalls));

bool __should_fail_alloc_page(gfp_t gfp_mask, unsigned int order)
{
	struct mmsim *m = current_machine();
	struct fault_attr *fa = &m->fail_page_alloc;

	if (order < fa->min_order)
		return false;
	if (gfp_mask & __GFP_NOFAIL)
		return false;
	if (fa->ignore_gfp_highmem && (gfp_mask & __GFP_HIGHMEM))
		return false;
	if (fa->ignore_gfp_reclaim && (gfp_mask & __GFP_DIRECT_RECLAIM))
		return false;
	return should_fail(fa, "fail_page_alloc", PAGE_SIZE << order);
}

/* Linux's defaults, set when the machine boots. */
void fail_page_alloc_init(struct mmsim *m)
{
	fault_attr_defaults(m);
}
