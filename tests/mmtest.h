/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmtest.h - helpers shared by the mm tests: booting, reading the kernel
 * log since a mark, and free-area snapshots.
 */
#ifndef MMSIM_MMTEST_H
#define MMSIM_MMTEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/mmsim.h>
#include "init/machine.h"
#include "mm/internal.h"
#include "ktest.h"

static inline struct mmsim *boot_or_die(const char *spec)
{
	struct mmsim *m = mmsim_boot(spec);

	if (!m) {
		fprintf(stderr, "boot '%s' failed: %s\n", spec, mmsim_last_error());
		exit(2);
	}
	return m;
}

/*
 * The kernel log text after mark *mark (0: all of it); advances the mark.
 * The mark is a record seq, not a byte offset: the log is a ring, and its
 * oldest records go away.
 */
static inline char *log_since(struct mmsim *m, size_t *mark)
{
	uint64_t seq = *mark;
	char *out = printk_render_dmesg_since(m, &seq);

	*mark = (size_t)seq;
	return out;
}

/* No WARNING or BUG splat in the whole kernel log of @m. */
static inline bool log_is_clean(struct mmsim *m)
{
	size_t mark = 0;
	char *log = log_since(m, &mark);
	bool clean = log && !strstr(log, "WARNING:") && !strstr(log, "BUG:");

	free(log);
	return clean;
}

static inline size_t log_mark(struct mmsim *m)
{
	uint64_t seq = 0;

	free(printk_render_dmesg_since(m, &seq));
	return (size_t)seq;
}

/* Free blocks per order of a zone (what buddyinfo shows). */
static inline void zone_free_counts(struct zone *zone, unsigned long *out)
{
	spin_lock(&zone->lock);
	for (unsigned int o = 0; o < NR_PAGE_ORDERS_MAX; o++)
		out[o] = o < NR_PAGE_ORDERS ? zone->free_area[o].nr_free : 0;
	spin_unlock(&zone->lock);
}

/* The number after "@label" at the start of a line of @text; -1 if absent. */
static inline long long field(const char *text, const char *label)
{
	size_t len = strlen(label);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, label, len))
			return strtoll(p + len, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

static inline struct zone *zone_of(int nid, int zt)
{
	return &NODE_DATA(nid)->node_zones[zt];
}

/* The permissions of the host mapping holding @addr ("rw-s"), or "". */
static inline void host_prot(const void *addr, char out[5])
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];

	out[0] = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char perm[5];

		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perm) == 3 &&
		    (uintptr_t)addr >= lo && (uintptr_t)addr < hi) {
			memcpy(out, perm, 5);
			break;
		}
	}
	fclose(f);
}

#endif
