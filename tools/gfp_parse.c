// SPDX-License-Identifier: GPL-2.0
/*
 * tools/gfp_parse.c - GFP flag names to bits, for `alloc ... gfp=FLAGS`.
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

static const struct {
	const char *name;
	gfp_t mask;
} gfp_table[] = {
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

/* One name or number, @len bytes at @word. */
static int gfp_parse_one(const char *word, size_t len, gfp_t *out)
{
	char buf[64], *end;
	unsigned long v;

	if (!len || len >= sizeof(buf))
		return -1;
	memcpy(buf, word, len);
	buf[len] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(gfp_table); i++) {
		if (!strcmp(buf, gfp_table[i].name)) {
			*out = gfp_table[i].mask;
			return 0;
		}
	}
	if (buf[0] < '0' || buf[0] > '9')
		return -1;
	errno = 0;
	v = strtoul(buf, &end, 0);
	if (errno || *end || v >= (1UL << __GFP_BITS_SHIFT))
		return -1;
	*out = (gfp_t)v;
	return 0;
}

int gfp_parse(const char *text, gfp_t *gfp, char *bad, size_t badlen)
{
	const char *p = text;
	gfp_t acc = 0;

	for (;;) {
		size_t len = strcspn(p, "|");
		gfp_t one;

		if (gfp_parse_one(p, len, &one)) {
			snprintf(bad, badlen, "%.*s", (int)len, p);
			return -1;
		}
		acc |= one;
		if (!p[len])
			break;
		p += len + 1;
	}
	*gfp = acc;
	return 0;
}
