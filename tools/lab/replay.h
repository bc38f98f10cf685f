/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tools/lab/replay.h - `mmsim replay`'s two engines and what they share
 * (docs/lab.md is the researcher's guide).
 *
 *   replay.c         the command line, the outputs (JSON lines, CSV, the
 *                    HTML report), the progress bar;
 *   replay_kernel.c  kernel mode: a booted machine replays the trace
 *                    through the MMU and the whole fault/reclaim/swap/OOM
 *                    path (replay_kernel below);
 *   replay_series.c  kernel mode's samples over virtual time and the
 *                    run's JSON object;
 *   replay_cache.c   cache mode: the bare policies on page ids.
 *
 * The engines take records from a struct replay_source, so that a test or
 * a bench can feed records from memory; replay.c wraps trace_open/
 * trace_read (tools/lab/trace.h) into one.
 */
#ifndef MMSIM_TOOLS_LAB_REPLAY_H
#define MMSIM_TOOLS_LAB_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "tools/lab/trace.h"

/* Where kernel mode's records come from. */
struct replay_source {
	/* 1: a record in *@rec; 0: the end; -1: malformed (error() tells). */
	int (*read)(void *arg, struct trace_rec *rec);
	/* The one line "FILE:RECORD: problem" after read returned -1. */
	const char *(*error)(void *arg);
	void *arg;
	const char *name;		/* the trace's path, for our own messages */
	bool has_addresses;		/* byte addresses, not ids only */
	bool has_layout;		/* mmap/munmap/brk/fork/exit events */
	unsigned int page_shift;	/* of the recorded machine (12) */
	uint64_t nr_records;		/* when known (progress, sizing), else 0 */
};

/* Progress: called now and then with the records done so far. */
typedef void (*replay_progress_fn)(void *arg, uint64_t done, uint64_t total);

struct replay_kopts {
	const char *spec;		/* the boot spec, lru= included */
	uint64_t access_ns;		/* virtual ns one access costs (default 10) */
	uint64_t interval_ns;		/* sample period; 0: adaptive (1 ms, doubled to stay <= 2048 samples) */
	bool verify;			/* stamp every written page, check every access: counts verify_errors */
	bool no_series;			/* do not sample */
	bool check;			/* at the end: mm_is_valid of every live mm, the mapcounts */
	const char *const *sysctls;	/* "vm.swappiness=100" ... written after boot, NULL-ended; or NULL */
	replay_progress_fn progress;
	void *progress_arg;
};

/* Kernel mode's samples (lab.h's "series"); arrays of nr entries each. */
struct replay_series {
	uint64_t interval_ns;
	size_t nr, cap;
	unsigned int nr_orders;		/* MAX_PAGE_ORDER + 1 of the machine */
	double *t;			/* virtual seconds at the end of each interval */
	uint64_t *faults, *major_faults, *pswpin, *pswpout;	/* per interval */
	uint64_t *rss, *active, *inactive, *free, *swap_used;	/* at each sample, pages */
	uint64_t *free_by_order;	/* nr x nr_orders: free blocks per order */
};

struct replay_kresult {
	uint64_t records;		/* every record read */
	uint64_t requests;		/* accesses replayed (records of dead processes excluded) */
	uint64_t faults, minor_faults, major_faults;	/* pgfault, pgmajfault since the replay began */
	uint64_t pswpin, pswpout, refaults, oom_kills;
	uint64_t tlb_hits, tlb_misses;	/* CPU 0: L1+L2 hits, page walks */
	uint64_t first_touches;		/* distinct pages touched (cold misses) */
	uint64_t misses;		/* first_touches + major_faults: cache mode's notion */
	uint64_t virtual_ns;		/* the machine's clock over the replay */
	uint64_t ram_pages;		/* totalram_pages() */
	uint64_t processes;		/* simulated processes made (spawn + fork) */
	uint64_t implicit_maps;		/* anonymous mappings made for untraced addresses */
	uint64_t layout_errors;		/* traced mmap/munmap/brk/mprotect the machine refused */
	uint64_t dropped;		/* records of processes that had died (OOM kill, SIGSEGV) */
	uint64_t killed;		/* traced processes killed by a signal */
	uint64_t verify_errors;		/* --verify: accesses that found a wrong stamp */
	uint64_t check_errors;		/* --check: checkers that failed (details in kmsg) */
	bool halted;			/* the machine panicked (panic_on_oom...): the replay stopped */
	double wall_seconds;		/* host time of the replay loop (boot excluded) */
	double cpu_seconds;		/* the replaying thread's CPU time over the same */
	bool verified;			/* --verify was on */
	bool checked;			/* --check was on */
	char *kmsg;			/* the machine's log of the replay, dmesg's format (malloc'd), or NULL */
	struct replay_series series;
};

/*
 * Boot a machine from @o->spec and replay @src on it.  0; -1 with one
 * line in @err: the source's error ("FILE:RECORD: problem") or a record
 * the machine cannot take ("FILE:N: problem", N the record's index from
 * 1); -2: a bad spec ("--spec: the kernel's reason"); -3: a sysctl the
 * machine refused ("--sysctl KEY=VALUE: reason").
 */
int replay_kernel(const struct replay_source *src, const struct replay_kopts *o,
		  struct replay_kresult *res, char *err, size_t errlen);
void replay_kresult_free(struct replay_kresult *res);

/* replay_series.c */
int replay_series_init(struct replay_series *s, uint64_t interval_ns, unsigned int nr_orders);
/* Append one sample; merges pairs when adaptive and full.  0 or -ENOMEM. */
int replay_series_add(struct replay_series *s, bool adaptive, double t, const uint64_t *delta4,
		      const uint64_t *level5, const uint64_t *orders);
void replay_series_free(struct replay_series *s);

/* What a run's JSON object names it by (both modes). */
struct replay_meta {
	const char *trace;
	const char *format;
	const char *policy;
	const char *spec;		/* kernel mode */
};

/* The run's object in lab.h's format; NULL on ENOMEM. */
json_t *replay_kernel_json(const struct replay_meta *meta, const struct replay_kresult *r);

/* Cache mode (replay_cache.c). */
struct replay_copts {
	const char *policies;		/* "lru,arc" */
	const char *sizes;		/* "1000,2000" */
	bool mrc;			/* lru: mrc_lru over every size in one pass */
	double shards;			/* SHARDS sampling rate for --mrc (1.0: exact) */
	int threads;			/* sizes run on this many threads (1 or 2) */
};

/*
 * Run every policy x size over @ids[0..@n); one JSON object per run
 * appended to @runs; a table on @table (NULL: none).  0, 1 (bad policy,
 * size or argument: one line in @err), or -ENOMEM.
 */
int replay_cache(const struct replay_copts *o, const struct replay_meta *meta,
		 const cache_id_t *ids, uint64_t n, json_t *runs, FILE *table, char *err,
		 size_t errlen);
/* "--policy help": the registry, one "name  title" line each. */
void replay_cache_list_policies(FILE *f);

#endif
