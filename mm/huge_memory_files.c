// SPDX-License-Identifier: GPL-2.0
/*
 * mm/huge_memory_files.c - the knobs of transparent huge pages and the
 * "thp" subsystem (Linux's hugepage_init, setup_transparent_hugepage and
 * the sysfs attributes of mm/huge_memory.c; transhuge.rst).
 *
 *   transparent_hugepage=always|madvise|never   boot parameter
 *   /sys/kernel/mm/transparent_hugepage/enabled  "always [madvise] never\n":
 *       the selected mode in brackets; a write of one of the three words
 *       (a trailing newline allowed) selects it, anything else -EINVAL.
 *   .../defrag  "always defer defer+madvise [madvise] never\n": how hard a
 *       THP fault's allocation tries (vma_thp_gfp_mask, mm/huge_memory.c).
 *   .../use_zero_page  "1\n": a read fault maps the huge zero page; 0 or 1.
 *   .../hpage_pmd_size  "2097152\n": HPAGE_PMD_SIZE in bytes, read-only.
 *
 * The defaults are Linux's with CONFIG_TRANSPARENT_HUGEPAGE_MADVISE (as
 * Debian and Ubuntu build it): enabled=madvise, defrag=madvise,
 * use_zero_page=1.  Linux's own Kconfig default is "always"; mmsim keeps
 * "madvise" so that a machine booted without the word behaves as before
 * THP existed unless a program asks (MADV_HUGEPAGE).
 *
 * State: one word of flags (enum transparent_hugepage_flag bits), changed
 * with atomic bit operations as Linux's transparent_hugepage_flags; the
 * huge zero page (freed at shutdown).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <mmsim/proc_fs.h>
#include <mmsim/seq_file.h>
#include <mmsim/rmap.h>
#include "mm/huge_memory_internal.h"
#include "init/init.h"
#include "init/machine.h"
#include "lib/cmdline.h"

#define THP_BIT(f)	(1UL << (f))
#define THP_ENABLED_MASK (THP_BIT(TRANSPARENT_HUGEPAGE_FLAG) | \
			  THP_BIT(TRANSPARENT_HUGEPAGE_REQ_MADV_FLAG))
#define THP_DEFRAG_MASK (THP_BIT(TRANSPARENT_HUGEPAGE_DEFRAG_DIRECT_FLAG) | \
			 THP_BIT(TRANSPARENT_HUGEPAGE_DEFRAG_KSWAPD_FLAG) | \
			 THP_BIT(TRANSPARENT_HUGEPAGE_DEFRAG_KSWAPD_OR_MADV_FLAG) | \
			 THP_BIT(TRANSPARENT_HUGEPAGE_DEFRAG_REQ_MADV_FLAG))

static const struct thp_state thp_template = {
	.flags = THP_BIT(TRANSPARENT_HUGEPAGE_REQ_MADV_FLAG) |
		 THP_BIT(TRANSPARENT_HUGEPAGE_DEFRAG_REQ_MADV_FLAG) |
		 THP_BIT(TRANSPARENT_HUGEPAGE_DEFRAG_KHUGEPAGED_FLAG) |
		 THP_BIT(TRANSPARENT_HUGEPAGE_USE_ZERO_PAGE_FLAG),
};

bool transparent_hugepage_flag_test(enum transparent_hugepage_flag flag)
{
	return __atomic_load_n(&thp_state()->flags, __ATOMIC_RELAXED) & THP_BIT(flag);
}

/* Replace the bits of @mask by @bits, atomically against other writers. */
static void thp_flags_set(struct thp_state *ts, unsigned long mask, unsigned long bits)
{
	unsigned long old = __atomic_load_n(&ts->flags, __ATOMIC_RELAXED);

	while (!__atomic_compare_exchange_n(&ts->flags, &old, (old & ~mask) | bits, false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

/* Linux's sysfs_streq: equal but for one trailing newline on either side. */
static bool sysfs_streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	if (*a == *b)
		return true;
	if (*a == '\n' && a[1] == '\0' && *b == '\0')
		return true;
	return *b == '\n' && b[1] == '\0' && *a == '\0';
}

/* ---------------------------------------------------------------------
 * enabled
 */

static const struct { const char *word; unsigned long bits; } enabled_modes[] = {
	{ "always", THP_BIT(TRANSPARENT_HUGEPAGE_FLAG) },
	{ "madvise", THP_BIT(TRANSPARENT_HUGEPAGE_REQ_MADV_FLAG) },
	{ "never", 0 },
};

static const struct { const char *word; unsigned long bits; } defrag_modes[] = {
	{ "always", THP_BIT(TRANSPARENT_HUGEPAGE_DEFRAG_DIRECT_FLAG) },
	{ "defer", THP_BIT(TRANSPARENT_HUGEPAGE_DEFRAG_KSWAPD_FLAG) },
	{ "defer+madvise", THP_BIT(TRANSPARENT_HUGEPAGE_DEFRAG_KSWAPD_OR_MADV_FLAG) },
	{ "madvise", THP_BIT(TRANSPARENT_HUGEPAGE_DEFRAG_REQ_MADV_FLAG) },
	{ "never", 0 },
};

#define show_modes(sf, modes, mask)						\
	do {									\
		unsigned long cur = __atomic_load_n(&thp_state()->flags,	\
						    __ATOMIC_RELAXED) & (mask);	\
		for (size_t i = 0; i < ARRAY_SIZE(modes); i++)			\
			seq_printf(sf, i ? (modes[i].bits == cur ? " [%s]" : " %s") : \
				   (modes[i].bits == cur ? "[%s]" : "%s"),	\
				   modes[i].word);				\
		seq_puts(sf, "\n");						\
	} while (0)

#define store_modes(text, modes, mask)						\
	do {									\
		for (size_t i = 0; i < ARRAY_SIZE(modes); i++)			\
			if (sysfs_streq(text, modes[i].word)) {			\
				thp_flags_set(thp_state(), (mask), modes[i].bits); \
				return 0;					\
			}							\
		return -EINVAL;							\
	} while (0)

static int enabled_show(struct seq_file *sf, struct proc_file *f)
{
	(void)f;
	show_modes(sf, enabled_modes, THP_ENABLED_MASK);
	return 0;
}

static int enabled_store(struct proc_file *f, const char *text)
{
	(void)f;
	store_modes(text, enabled_modes, THP_ENABLED_MASK);
}

static int defrag_show(struct seq_file *sf, struct proc_file *f)
{
	(void)f;
	show_modes(sf, defrag_modes, THP_DEFRAG_MASK);
	return 0;
}

static int defrag_store(struct proc_file *f, const char *text)
{
	(void)f;
	store_modes(text, defrag_modes, THP_DEFRAG_MASK);
}

static int use_zero_page_show(struct seq_file *sf, struct proc_file *f)
{
	(void)f;
	seq_printf(sf, "%d\n",
		   transparent_hugepage_flag_test(TRANSPARENT_HUGEPAGE_USE_ZERO_PAGE_FLAG));
	return 0;
}

/* Linux's single_hugepage_flag_store: kstrtoul, then only 0 or 1. */
static int use_zero_page_store(struct proc_file *f, const char *text)
{
	unsigned long bit = THP_BIT(TRANSPARENT_HUGEPAGE_USE_ZERO_PAGE_FLAG);

	(void)f;
	if (sysfs_streq(text, "1"))
		thp_flags_set(thp_state(), bit, bit);
	else if (sysfs_streq(text, "0"))
		thp_flags_set(thp_state(), bit, 0);
	else
		return -EINVAL;
	return 0;
}

static int hpage_pmd_size_show(struct seq_file *sf, struct proc_file *f)
{
	(void)f;
	seq_printf(sf, "%lu\n", HPAGE_PMD_SIZE);
	return 0;
}

static const struct proc_entry thp_files[] = {
	{ "/sys/kernel/mm/transparent_hugepage/enabled", enabled_show, enabled_store, NULL },
	{ "/sys/kernel/mm/transparent_hugepage/defrag", defrag_show, defrag_store, NULL },
	{ "/sys/kernel/mm/transparent_hugepage/use_zero_page", use_zero_page_show,
	  use_zero_page_store, NULL },
	{ "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", hpage_pmd_size_show, NULL, NULL },
};

/* ---------------------------------------------------------------------
 * The subsystem
 */

/* Linux's setup_transparent_hugepage: "always", "madvise" or "never". */
static int setup_transparent_hugepage(void *state, const struct kernel_param *kp,
				      const char *word, const char *val, char *err, size_t len)
{
	struct thp_state *ts = state;

	(void)kp;
	for (size_t i = 0; i < ARRAY_SIZE(enabled_modes); i++)
		if (!strcmp(val, enabled_modes[i].word)) {
			ts->flags = (ts->flags & ~THP_ENABLED_MASK) | enabled_modes[i].bits;
			return 0;
		}
	return cmdline_fail(err, len, "'%s': transparent_hugepage= takes always, madvise or never",
			    word);
}

static int thp_init(struct mmsim *m, char *err, size_t len)
{
	if (proc_create_table(thp_files) || khugepaged_init(subsys_state(m, thp))) {
		snprintf(err, len, "thp: cannot create /sys/kernel/mm/transparent_hugepage");
		return -ENOMEM;
	}
	return 0;
}

static void thp_exit(struct mmsim *m)
{
	struct thp_state *ts = subsys_state(m, thp);

	khugepaged_exit(ts);
	if (ts->huge_zero_folio) {
		__free_pages(&ts->huge_zero_folio->page, folio_order(ts->huge_zero_folio));
		ts->huge_zero_folio = NULL;
		ts->huge_zero_pfn = 0;
	}
}

struct thp_state *thp_state(void)
{
	return subsys_state(current_machine(), thp);
}

static const struct kernel_param thp_params[] = {
	__setup("transparent_hugepage", setup_transparent_hugepage),
};

static const struct initcall thp_initcalls[] = {
	fs_initcall(thp_init, thp_exit),
};

DEFINE_SUBSYSTEM(thp, SUBSYS_STATE(struct thp_state, &thp_template), SUBSYS_PARAMS(thp_params),
		 SUBSYS_INITCALLS(thp_initcalls));
