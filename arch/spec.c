// SPDX-License-Identifier: GPL-2.0
/*
 * arch/spec.c - the hardware words of the boot spec (DESIGN §2): ram=,
 * cpus=, nodes=, arch=, page_size=, seed=, threaded, and the x86/TLB words
 * that describe the CPUs (nopcid, tlb_l1d=, tlb_l1i=, tlb_l2=).
 *
 * The spec as a whole is a kernel command line; init/main.c walks it
 * (parse_args) and offers every word first to hw_parse_word() here, then
 * to the kernel parameters the subsystems register (init/init.h).  So a
 * word either describes the hardware -- and only this file knows those --
 * or is a Linux parameter owned by the file that uses it.  Parsing is
 * strict: a malformed value or one out of range fails the boot with one
 * line naming the word.
 *
 * No locking: runs in mmsim_boot() before the machine's CPUs exist.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arch/machine.h"
#include "lib/cmdline.h"

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

void hw_params_defaults(struct hw_params *hp)
{
	memset(hp, 0, sizeof(*hp));
	hp->ram = SZ_1G;
	hp->cpus = 2;
	hp->nodes = 1;
	hp->arch = ARCH_X86_64;
	hp->page_size = SZ_4K;
	hp->seed = 1;
}

static int parse_tlb_geom(struct hw_params *hp, int which, const char *word, const char *val,
			  char *err, size_t len)
{
	unsigned int sets, ways;
	char extra;

	if (sscanf(val, "%ux%u%c", &sets, &ways, &extra) != 2 || !is_power_of_2(sets) ||
	    sets > 4096 || ways < 1 || ways > 64)
		return cmdline_fail(err, len,
				    "'%s': expected SETSxWAYS (sets a power of 2 up to 4096, 1..64 ways)",
				    word);
	hp->tlb_geom[which][0] = (unsigned short)sets;
	hp->tlb_geom[which][1] = (unsigned short)ways;
	return 1;
}

static int parse_arch(struct hw_params *hp, const char *word, const char *val, char *err,
		      size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(arch_names); i++)
		if (!strcmp(val, arch_names[i].name)) {
			hp->arch = arch_names[i].arch;
			return 1;
		}
	return cmdline_fail(err, len,
			    "'%s': unknown arch (x86_64, x86_64-la57, i386, i386-pae, arm64)", word);
}

/**
 * hw_parse_word - parse @word if it is a hardware word
 * @hp: the hardware description being built
 * @word: the whole word, for messages ("cpus=4")
 * @val: what follows '=', or NULL for a bare word
 *
 * Return: 1 when the word was a hardware word and is now in @hp; 0 when it
 * is not one (a kernel parameter, or unknown); -EINVAL with @err filled
 * when it is one with a bad value.
 */
int hw_parse_word(struct hw_params *hp, const char *word, const char *val, char *err,
		  size_t len)
{
	size_t klen = val ? (size_t)(val - 1 - word) : strlen(word);
	char key[64];
	long v;

	snprintf(key, sizeof(key), "%.*s", (int)klen, word);
	if (!val) {
		if (!strcmp(key, "threaded"))
			hp->threaded = true;
		else if (!strcmp(key, "nopcid"))
			hp->nopcid = true;
		else
			return 0;
		return 1;
	}
	if (!strcmp(key, "ram")) {
		int ret = memparse_strict(val, &hp->ram);

		if (ret == -ERANGE)
			return cmdline_fail(err, len, "'%s': too large", word);
		if (ret || !hp->ram)
			return cmdline_fail(err, len,
					    "'%s': invalid size (a number with K, M, G or T)", word);
	} else if (!strcmp(key, "cpus")) {
		if (cmdline_int(val, 1, NR_CPUS, &v))
			return cmdline_fail(err, len, "'%s': cpus must be 1..%d", word, NR_CPUS);
		hp->cpus = (int)v;
	} else if (!strcmp(key, "nodes")) {
		if (cmdline_int(val, 1, MAX_NUMNODES, &v))
			return cmdline_fail(err, len, "'%s': nodes must be 1..%d", word,
					    MAX_NUMNODES);
		hp->nodes = (int)v;
	} else if (!strcmp(key, "arch")) {
		return parse_arch(hp, word, val, err, len);
	} else if (!strcmp(key, "page_size")) {
		uint64_t ps;

		if (memparse_strict(val, &ps) || (ps != SZ_4K && ps != 16 * SZ_1K && ps != SZ_64K))
			return cmdline_fail(err, len, "'%s': page_size must be 4K, 16K or 64K", word);
		hp->page_size = ps;
		hp->page_size_given = true;
	} else if (!strcmp(key, "seed")) {
		char *end;

		errno = 0;
		hp->seed = strtoull(val, &end, 0);
		if (errno || *end || !*val)
			return cmdline_fail(err, len, "'%s': seed must be a number", word);
	} else if (!strcmp(key, "tlb_l1d")) {
		return parse_tlb_geom(hp, 0, word, val, err, len);
	} else if (!strcmp(key, "tlb_l1i")) {
		return parse_tlb_geom(hp, 1, word, val, err, len);
	} else if (!strcmp(key, "tlb_l2")) {
		return parse_tlb_geom(hp, 2, word, val, err, len);
	} else {
		return 0;
	}
	return 1;
}

/* What only the whole spec can tell: words that contradict the arch. */
int hw_params_check(const struct hw_params *hp, char *err, size_t len)
{
	if (hp->page_size_given && hp->arch != ARCH_ARM64 && hp->page_size != SZ_4K)
		return cmdline_fail(err, len, "'page_size=%luK': only arm64 has 16K and 64K pages",
				    hp->page_size >> 10);
	if (hp->nopcid && hp->arch != ARCH_X86_64 && hp->arch != ARCH_X86_64_LA57)
		return cmdline_fail(err, len, "'nopcid': only x86_64 has PCIDs");
	return 0;
}
