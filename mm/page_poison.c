// SPDX-License-Identifier: GPL-2.0
/*
 * mm/page_poison.c - page_poison=on (Linux's CONFIG_PAGE_POISONING,
 * mm/page_poison.c): every block the page allocator frees is filled with
 * PAGE_POISON (0xaa) and checked when it is handed out again; a byte that
 * changed meanwhile - a write after free that no trap caught - is
 * reported as Linux reports it:
 *
 *   pagealloc: single bit error         (one byte, one bit flipped)
 *   pagealloc: memory corruption        (anything else)
 *   <hex dump of the first to the last changed byte, 16 a line>
 *   CPU: ... / Hardware name: ... / Call Trace: ...   (dump_stack)
 *   page:... refcount:... (dump_page, "pagealloc: corrupted page details")
 *
 * rate-limited to 10 reports per 5 s of virtual time (Linux's
 * DEFINE_RATELIMIT_STATE(ratelimit, 5 * HZ, 10)); the allocation then
 * goes on with the page as it is.
 *
 * Order with the other free/alloc steps (Linux's free_pages_prepare and
 * post_alloc_hook): free: poison, then (debug_pagealloc) unmap; alloc:
 * map, check, then init_on_alloc/__GFP_ZERO.  Poisoning takes precedence
 * over init_on_alloc and init_on_free, which page_poisoning_init() turns
 * off with Linux's "mem auto-init" message.  The boot's own frees
 * (__free_pages_core) are poisoned too.  Highmem pages are reached
 * through the host's view of all RAM (physport), as clear_pages_phys does.
 *
 * Data: one bool per machine (m->page_poisoning); no lock: a block's
 * bytes belong to whoever frees or allocates it.
 */
#include <stdio.h>
#include <string.h>
#include <mmsim/kfence.h>
#include <mmsim/ratelimit.h>
#include "init/init.h"
#include "lib/cmdline.h"
#include "mm/internal.h"

struct page_poison_state {
	bool on;			/* page_poison=on */
};

DECLARE_SUBSYSTEM(page_poison);

#ifdef CONFIG_PAGE_POISONING

bool page_poisoning_enabled(void)
{
	return unlikely(M()->page_poisoning);
}

static u8 *page_bytes(struct page *page)
{
	struct mmsim *m = M();

	if (PageHighMem(page))
		return (u8 *)m->hw.physport + (page_to_phys(page) - m->hw.layout.phys_offset);
	return page_address(page);
}

void __kernel_poison_pages(struct page *page, int n)
{
	for (int i = 0; i < n; i++)
		memset(page_bytes(page + i), PAGE_POISON, PAGE_SIZE);
}

static bool single_bit_flip(u8 a, u8 b)
{
	u8 error = a ^ b;

	return error && !(error & (error - 1));
}

/* print_hex_dump(KERN_ERR, "", DUMP_PREFIX_ADDRESS, 16, 1, addr, len, 1) */
static void poison_hex_dump(const u8 *addr, size_t len)
{
	for (size_t i = 0; i < len; i += 16) {
		char hex[16 * 3 + 1] = "", ascii[17] = "";
		size_t n = min(len - i, (size_t)16), h = 0;

		for (size_t j = 0; j < n; j++) {
			u8 c = addr[i + j];

			h += (size_t)snprintf(hex + h, sizeof(hex) - h, j ? " %02x" : "%02x", c);
			ascii[j] = (c >= 0x20 && c < 0x7f) ? (char)c : '.';
		}
		pr_err("%016lx: %-47s  %s\n", host_to_kva(addr + i), hex, ascii);
	}
}

static void check_poison_mem(struct page *page, u8 *mem, size_t bytes)
{
	static DEFINE_RATELIMIT_STATE(ratelimit, 5 * HZ, 10);
	const u64 pattern = 0x0101010101010101ull * PAGE_POISON;
	u8 *start = NULL, *end;
	size_t i = 0;

	/* memchr_inv: a word at a time (pages are word aligned), then the byte. */
	for (; i + 8 <= bytes; i += 8) {
		u64 w;

		memcpy(&w, mem + i, 8);
		if (w != pattern)
			break;
	}
	for (; i < bytes; i++)
		if (mem[i] != PAGE_POISON) {
			start = mem + i;
			break;
		}
	if (!start)
		return;
	for (end = mem + bytes - 1; end > start; end--)
		if (*end != PAGE_POISON)
			break;
	if (!__ratelimit(&ratelimit))
		return;
	if (start == end && single_bit_flip(*start, PAGE_POISON))
		pr_err("pagealloc: single bit error\n");
	else
		pr_err("pagealloc: memory corruption\n");
	poison_hex_dump(start, (size_t)(end - start + 1));
	dump_stack();
	dump_page(page, "pagealloc: corrupted page details");
}

void __kernel_unpoison_pages(struct page *page, int n)
{
	for (int i = 0; i < n; i++)
		check_poison_mem(page + i, page_bytes(page + i), PAGE_SIZE);
}

/* Linux's mem_debugging_and_hardening_init(), the poisoning half. */
void page_poisoning_init(struct mmsim *m)
{
	struct page_poison_state *st = subsys_state(m, page_poison);

	if (!st->on)
		return;
	m->page_poisoning = true;
	if (m->init_on_alloc || m->init_on_free) {
		pr_info("mem auto-init: CONFIG_PAGE_POISONING is on, will take precedence over init_on_alloc and init_on_free\n");
		m->init_on_alloc = false;
		m->init_on_free = false;
	}
}

static int early_page_poison_param(void *state, const struct kernel_param *kp, const char *word,
				   const char *val, char *err, size_t len)
{
	struct page_poison_state *st = state;

	(void)kp;
	if (cmdline_bool(val, &st->on))
		return cmdline_fail(err, len, "'%s': page_poison takes on or off", word);
	return 0;
}

static const struct kernel_param page_poison_params[] = {
	early_param("page_poison", early_page_poison_param),
};

DEFINE_SUBSYSTEM(page_poison, SUBSYS_STATE(struct page_poison_state, NULL),
		 SUBSYS_PARAMS(page_poison_params));

#else /* !CONFIG_PAGE_POISONING */

void page_poisoning_init(struct mmsim *m)
{
	(void)m;
}

static int refuse(void *state, const struct kernel_param *kp, const char *word, const char *val,
		  char *err, size_t len)
{
	(void)state;
	(void)kp;
	if (!strcmp(val, "off") || !strcmp(val, "0"))
		return 0;
	snprintf(err, len, "'%s': built without CONFIG_PAGE_POISONING", word);
	return -EINVAL;
}

static const struct kernel_param page_poison_params[] = {
	early_param("page_poison", refuse),
};

DEFINE_SUBSYSTEM(page_poison, SUBSYS_PARAMS(page_poison_params));

#endif /* CONFIG_PAGE_POISONING */
