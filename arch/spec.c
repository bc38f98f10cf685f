// SPDX-License-Identifier: GPL-2.0
/*
 * arch/spec.c - parsing the boot spec (DESIGN §2).
 *
 * The spec is a kernel command line with hardware words: whitespace-
 * separated words, each either a hardware word (ram=, cpus=, nodes=, arch=,
 * page_size=, seed=, threaded) or a Linux kernel parameter with Linux's
 * meaning.  Parsing is strict: a word mmsim does not know, a malformed
 * value or one out of range fails the boot with one line naming the word.
 * Parameters that belong to layers mmsim does not have yet (swap=,
 * slub_debug=, kasan=, ...) are refused by name rather than ignored.
 *
 * No locking: runs in mmsim_boot() before the machine exists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <stdarg.h>
#include "arch/machine.h"
#include "lib/cmdline.h"

static int parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	if (!*s)
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || *end || v < lo || v > hi)
		return -EINVAL;
	*out = v;
	return 0;
}

static __printf(3, 4) int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static const struct {
	const char *name;
	enum mmsim_arch arch;
} arch_names[] = {
	{ "x86_64", ARCH_X86_64 },
	{ "x86_64-la57", ARCH_X86_64_LA57 },
	{ "i386", ARCH_I386 },
	{ "i386-pae", ARCH_I386_PAE },
	{ "arm64", ARCH_ARM64 },
};

/* Parameters of later layers: known to Linux, not yet to mmsim. */
static const char *const later_params[] = {
	"swap", "kasan", "kfence.sample_interval", "kmemleak",
	"transparent_hugepage", "hugepages", "hugepagesz",
};

/* kernelcore= / movablecore=: a size, a percentage, or (kernelcore) mirror. */
static int parse_core(const char *word, const char *val, uint64_t *bytes, int *pct,
		      bool *mirror, char *err, size_t len)
{
	size_t n = strlen(val);
	long p;

	if (mirror && !strcmp(val, "mirror")) {
		*mirror = true;
		return 0;
	}
	if (n > 1 && val[n - 1] == '%') {
		char tmp[32];

		if (n >= sizeof(tmp))
			return fail(err, len, "'%s': invalid percentage", word);
		memcpy(tmp, val, n - 1);
		tmp[n - 1] = '\0';
		if (parse_int(tmp, 0, 100, &p))
			return fail(err, len, "'%s': percentage must be 0..100", word);
		*pct = (int)p;
		return 0;
	}
	if (memparse_strict(val, bytes))
		return fail(err, len, "'%s': invalid size", word);
	return 0;
}

static int parse_bool01(const char *word, const char *val, bool *out, char *err, size_t len)
{
	if (!strcmp(val, "1") || !strcmp(val, "on") || !strcmp(val, "y")) {
		*out = true;
		return 0;
	}
	if (!strcmp(val, "0") || !strcmp(val, "off") || !strcmp(val, "n")) {
		*out = false;
		return 0;
	}
	return fail(err, len, "'%s': expected 0 or 1", word);
}

/* A raw value for a later layer to parse (slub_debug=, failslab=, ...). */
static int copy_param(const char *word, const char *val, char *dst, size_t size, bool *set,
		      char *err, size_t len)
{
	if (strlen(val) >= size || (!*val && !set))
		return fail(err, len, "'%s': %s", word, *val ? "value too long" : "value missing");
	strcpy(dst, val);
	if (set)
		*set = true;
	return 0;
}

static int parse_word(char *word, struct boot_params *bp, bool *page_size_given,
		      char *err, size_t len)
{
	char *eq = strchr(word, '=');
	const char *val = eq ? eq + 1 : NULL;
	char key[64];
	long v;

	snprintf(key, sizeof(key), "%.*s", eq ? (int)(eq - word) : (int)strlen(word), word);
	if (!strcmp(key, "threaded") && !val) {
		bp->threaded = true;
		return 0;
	}
	if (!strcmp(key, "nopcid") && !val) {
		bp->nopcid = true;
		return 0;
	}
	if (!strcmp(key, "slab_nomerge") && !val) {
		bp->slab_nomerge = true;
		return 0;
	}
	if (!strcmp(key, "slub_debug") && !val) {
		bp->slub_debug_set = true;
		bp->slub_debug[0] = '\0';
		return 0;
	}
	if (!val)
		return fail(err, len, "'%s': unknown boot parameter", word);
	if (!strcmp(key, "ram")) {
		if (memparse_strict(val, &bp->ram) || !bp->ram)
			return fail(err, len, "'%s': invalid size (a number with K, M, G or T)", word);
	} else if (!strcmp(key, "cpus")) {
		if (parse_int(val, 1, NR_CPUS, &v))
			return fail(err, len, "'%s': cpus must be 1..%d", word, NR_CPUS);
		bp->cpus = (int)v;
	} else if (!strcmp(key, "nodes")) {
		if (parse_int(val, 1, MAX_NUMNODES, &v))
			return fail(err, len, "'%s': nodes must be 1..%d", word, MAX_NUMNODES);
		bp->nodes = (int)v;
	} else if (!strcmp(key, "arch")) {
		size_t i;

		for (i = 0; i < ARRAY_SIZE(arch_names); i++)
			if (!strcmp(val, arch_names[i].name))
				break;
		if (i == ARRAY_SIZE(arch_names))
			return fail(err, len,
				    "'%s': unknown arch (x86_64, x86_64-la57, i386, i386-pae, arm64)",
				    word);
		bp->arch = arch_names[i].arch;
	} else if (!strcmp(key, "page_size")) {
		uint64_t ps;

		if (memparse_strict(val, &ps) || (ps != SZ_4K && ps != 16 * SZ_1K && ps != SZ_64K))
			return fail(err, len, "'%s': page_size must be 4K, 16K or 64K", word);
		bp->page_size = ps;
		*page_size_given = true;
	} else if (!strcmp(key, "seed")) {
		char *end;

		errno = 0;
		bp->seed = strtoull(val, &end, 0);
		if (errno || *end || !*val)
			return fail(err, len, "'%s': seed must be a number", word);
	} else if (!strcmp(key, "mem")) {
		if (memparse_strict(val, &bp->mem_limit) || !bp->mem_limit)
			return fail(err, len, "'%s': invalid size", word);
	} else if (!strcmp(key, "kernelcore")) {
		return parse_core(word, val, &bp->kernelcore, &bp->kernelcore_pct,
				  &bp->kernelcore_mirror, err, len);
	} else if (!strcmp(key, "movablecore")) {
		return parse_core(word, val, &bp->movablecore, &bp->movablecore_pct, NULL,
				  err, len);
	} else if (!strcmp(key, "numa")) {
		if (strcmp(val, "off"))
			return fail(err, len, "'%s': only numa=off is supported", word);
		bp->numa_off = true;
	} else if (!strcmp(key, "memblock")) {
		if (strcmp(val, "debug"))
			return fail(err, len, "'%s': only memblock=debug is supported", word);
		bp->memblock_debug = true;
	} else if (!strcmp(key, "panic_on_warn")) {
		return parse_bool01(word, val, &bp->panic_on_warn, err, len);
	} else if (!strcmp(key, "init_on_alloc")) {
		return parse_bool01(word, val, &bp->init_on_alloc, err, len);
	} else if (!strcmp(key, "init_on_free")) {
		return parse_bool01(word, val, &bp->init_on_free, err, len);
	} else if (!strcmp(key, "loglevel")) {
		if (parse_int(val, 0, 15, &v))
			return fail(err, len, "'%s': loglevel must be 0..15", word);
		bp->loglevel = (int)v;
	} else if (!strcmp(key, "tlb_l1d") || !strcmp(key, "tlb_l1i") || !strcmp(key, "tlb_l2")) {
		int which = !strcmp(key, "tlb_l1d") ? 0 : !strcmp(key, "tlb_l1i") ? 1 : 2;
		unsigned int sets, ways;
		char extra;

		if (sscanf(val, "%ux%u%c", &sets, &ways, &extra) != 2 || !is_power_of_2(sets) ||
		    sets > 4096 || ways < 1 || ways > 64)
			return fail(err, len,
				    "'%s': expected SETSxWAYS (sets a power of 2 up to 4096, 1..64 ways)",
				    word);
		bp->tlb_geom[which][0] = (unsigned short)sets;
		bp->tlb_geom[which][1] = (unsigned short)ways;
	} else if (!strcmp(key, "slub_debug")) {
		return copy_param(word, val, bp->slub_debug, sizeof(bp->slub_debug),
				  &bp->slub_debug_set, err, len);
	} else if (!strcmp(key, "slub_min_order")) {
		return copy_param(word, val, bp->slub_min_order, sizeof(bp->slub_min_order), NULL,
				  err, len);
	} else if (!strcmp(key, "slub_max_order")) {
		return copy_param(word, val, bp->slub_max_order, sizeof(bp->slub_max_order), NULL,
				  err, len);
	} else if (!strcmp(key, "slub_min_objects")) {
		return copy_param(word, val, bp->slub_min_objects, sizeof(bp->slub_min_objects),
				  NULL, err, len);
	} else if (!strcmp(key, "failslab")) {
		return copy_param(word, val, bp->failslab, sizeof(bp->failslab), NULL, err, len);
	} else if (!strcmp(key, "fail_page_alloc")) {
		if (strlen(val) >= sizeof(bp->fail_page_alloc))
			return fail(err, len, "'%s': value too long", word);
		strcpy(bp->fail_page_alloc, val);
	} else {
		for (size_t i = 0; i < ARRAY_SIZE(later_params); i++)
			if (!strcmp(key, later_params[i]))
				return fail(err, len,
					    "'%s': not supported yet (its subsystem is not in mmsim)",
					    word);
		return fail(err, len, "'%s': unknown boot parameter", word);
	}
	return 0;
}

static void boot_params_defaults(struct boot_params *bp)
{
	memset(bp, 0, sizeof(*bp));
	bp->ram = SZ_1G;
	bp->cpus = 2;
	bp->nodes = 1;
	bp->arch = ARCH_X86_64;
	bp->page_size = SZ_4K;
	bp->seed = 1;
	bp->kernelcore_pct = -1;
	bp->movablecore_pct = -1;
	bp->loglevel = 7;
}

int parse_boot_spec(const char *spec, struct boot_params *bp, char *err, size_t len)
{
	char *copy = strdup(spec ? spec : "");
	char *save = NULL, *word;
	bool page_size_given = false;
	int ret = 0;

	boot_params_defaults(bp);
	if (!copy)
		return fail(err, len, "out of host memory");
	for (word = strtok_r(copy, " \t\n", &save); word; word = strtok_r(NULL, " \t\n", &save)) {
		ret = parse_word(word, bp, &page_size_given, err, len);
		if (ret)
			break;
	}
	free(copy);
	if (ret)
		return ret;
	if (page_size_given && bp->arch != ARCH_ARM64 && bp->page_size != SZ_4K)
		return fail(err, len, "'page_size=%luK': only arm64 has 16K and 64K pages",
			    bp->page_size >> 10);
	if (bp->numa_off)
		bp->nodes = 1;
	if (bp->nopcid && bp->arch != ARCH_X86_64 && bp->arch != ARCH_X86_64_LA57)
		return fail(err, len, "'nopcid': only x86_64 has PCIDs");
	return 0;
}
