// SPDX-License-Identifier: GPL-2.0
/*
 * tests/kmsan_instr.c - a small "driver" built with KASAN's compiler
 * instrumentation (mmsim_kasan_sources in CMakeLists.txt), as a user's
 * module would be: its stores reach KMSAN through the __asan_store*_noabort
 * and __asan_mem* callbacks, so KMSAN knows which bytes it wrote without
 * any call of its own.  tests/test_kmsan.c drives it.  Built without the
 * host's ASan, by design (the two instrumentations do not combine).
 */
#include <stddef.h>
#include <string.h>
#include <mmsim/types.h>
#include <mmsim/gfp.h>
#include <mmsim/slab.h>
#include <mmsim/uaccess.h>
#include <mmsim/kasan.h>

/* What the driver hands to user space: 4 + 7 bytes of padding. */
struct drv_info {
	u32 id;		/* 0-3, then padding 4-7 */
	u64 value;	/* 8-15 */
	u8 flags;	/* 16, then padding 17-23 */
};

/* Every field written, the padding not: Linux's classic infoleak. */
noinline long drv_get_info_leaky(unsigned long ubuf)
{
	struct drv_info *info = kmalloc(sizeof(*info), GFP_KERNEL);
	long left;

	if (!info)
		return -1;
	info->id = 7;
	info->value = 0x1122334455667788ULL;
	info->flags = 1;
	left = (long)copy_to_user(ubuf, info, sizeof(*info));
	kfree(info);
	return left;
}

/* The fix: memset first (so the padding is written too). */
noinline long drv_get_info_fixed(unsigned long ubuf)
{
	struct drv_info *info = kmalloc(sizeof(*info), GFP_KERNEL);
	long left;

	if (!info)
		return -1;
	memset(info, 0, sizeof(*info));
	info->id = 7;
	info->value = 0x1122334455667788ULL;
	info->flags = 1;
	left = (long)copy_to_user(ubuf, info, sizeof(*info));
	kfree(info);
	return left;
}

/* A struct copy carries the padding's state (and origin) along. */
noinline long drv_get_info_copied(unsigned long ubuf)
{
	struct drv_info *a = kmalloc(sizeof(*a), GFP_KERNEL);
	struct drv_info *b = kzalloc(sizeof(*b), GFP_KERNEL);
	long left;

	if (!a || !b)
		return -1;
	a->id = 1;
	a->value = 2;
	a->flags = 3;
	memcpy(b, a, sizeof(*b));
	left = (long)copy_to_user(ubuf, b, sizeof(*b));
	kfree(a);
	kfree(b);
	return left;
}
