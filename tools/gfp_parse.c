// SPDX-License-Identifier: GPL-2.0
/*
 * tools/gfp_parse.c - flag names to bits: GFP flags for `alloc ... gfp=FLAGS`,
 * and scn_parse_flags(), the name-table parser other commands share
 * (SLAB_* flags in tools/cmd_slab.c).
 *
 * A FLAGS word is Linux's names joined by '|', as the kernel prints them in
 * "mode:0xcc0(GFP_KERNEL)": the combinations (GFP_KERNEL, GFP_ATOMIC,
 * GFP_HIGHUSER_MOVABLE, ...) and the single bits (__GFP_ZERO, __GFP_NOWARN,
 * ...), or a number (0xcc0).  The bits are ORed.  Names are matched
 * exactly, case and all, so a typo is an error rather than a surprise.
 *
 * The table holds every name of include/mmsim/gfp.h; keep the two in step.
 */
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "tools/scenario.h"

static const struct scn_flag_name gfp_table[] = {
	/* Combinations (include/linux/gfp_types.h, "Useful GFP flag combinations"). */
	{ "GFP_ATOMIC", GFP_ATOMIC },
	{ "GFP_KERNEL", GFP_KERNEL },
	{ "GFP_KERNEL_ACCOUNT", GFP_KERNEL_ACCOUNT },
	{ "GFP_NOWAIT", GFP_NOWAIT },
	{ "GFP_NOIO", GFP_NOIO },
	{ "GFP_NOFS", GFP_NOFS },
	{ "GFP_USER", GFP_USER },
	{ "GFP_DMA", GFP_DMA },
	{ "GFP_DMA32", GFP_DMA32 },
	{ "GFP_HIGHUSER", GFP_HIGHUSER },
	{ "GFP_HIGHUSER_MOVABLE", GFP_HIGHUSER_MOVABLE },
	{ "GFP_TRANSHUGE_LIGHT", GFP_TRANSHUGE_LIGHT },
	{ "GFP_TRANSHUGE", GFP_TRANSHUGE },
	/* Zone modifiers. */
	{ "__GFP_DMA", __GFP_DMA },
	{ "__GFP_HIGHMEM", __GFP_HIGHMEM },
	{ "__GFP_DMA32", __GFP_DMA32 },
	{ "__GFP_MOVABLE", __GFP_MOVABLE },
	/* Mobility and placement. */
	{ "__GFP_RECLAIMABLE", __GFP_RECLAIMABLE },
	{ "__GFP_WRITE", __GFP_WRITE },
	{ "__GFP_HARDWALL", __GFP_HARDWALL },
	{ "__GFP_THISNODE", __GFP_THISNODE },
	{ "__GFP_ACCOUNT", __GFP_ACCOUNT },
	/* Watermark modifiers. */
	{ "__GFP_HIGH", __GFP_HIGH },
	{ "__GFP_MEMALLOC", __GFP_MEMALLOC },
	{ "__GFP_NOMEMALLOC", __GFP_NOMEMALLOC },
	/* Reclaim modifiers. */
	{ "__GFP_IO", __GFP_IO },
	{ "__GFP_FS", __GFP_FS },
	{ "__GFP_DIRECT_RECLAIM", __GFP_DIRECT_RECLAIM },
	{ "__GFP_KSWAPD_RECLAIM", __GFP_KSWAPD_RECLAIM },
	{ "__GFP_RECLAIM", __GFP_RECLAIM },
	{ "__GFP_RETRY_MAYFAIL", __GFP_RETRY_MAYFAIL },
	{ "__GFP_NOFAIL", __GFP_NOFAIL },
	{ "__GFP_NORETRY", __GFP_NORETRY },
	/* Action modifiers. */
	{ "__GFP_NOWARN", __GFP_NOWARN },
	{ "__GFP_COMP", __GFP_COMP },
	{ "__GFP_ZERO", __GFP_ZERO },
	{ "__GFP_ZEROTAGS", __GFP_ZEROTAGS },
};

/* One name or number, @len bytes at @word, at most @max. */
static int flag_parse_one(const struct scn_flag_name *table, size_t n, const char *word,
			  size_t len, unsigned long max, unsigned long *out)
{
	char buf[64], *end;
	unsigned long v;

	if (!len || len >= sizeof(buf))
		return -1;
	memcpy(buf, word, len);
	buf[len] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(buf, table[i].name)) {
			*out = table[i].value;
			return 0;
		}
	}
	if (buf[0] < '0' || buf[0] > '9')
		return -1;
	errno = 0;
	v = strtoul(buf, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

int scn_parse_flags(const struct scn_flag_name *table, size_t n, const char *text,
		    unsigned long max, unsigned long *out, char *bad, size_t badlen)
{
	const char *p = text;
	unsigned long acc = 0;

	for (;;) {
		size_t len = strcspn(p, "|");
		unsigned long one;

		if (flag_parse_one(table, n, p, len, max, &one)) {
			snprintf(bad, badlen, "%.*s", (int)len, p);
			return -1;
		}
		acc |= one;
		if (!p[len])
			break;
		p += len + 1;
	}
	*out = acc;
	return 0;
}

int gfp_parse(const char *text, gfp_t *gfp, char *bad, size_t badlen)
{
	unsigned long v;

	if (scn_parse_flags(gfp_table, ARRAY_SIZE(gfp_table), text, (1UL << __GFP_BITS_SHIFT) - 1,
			    &v, bad, badlen))
		return -1;
	*gfp = (gfp_t)v;
	return 0;
}
