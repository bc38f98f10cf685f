/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tools/lab/lab.h - the research lab's subcommands (docs/lab.md) and the
 * one result format they share.
 *
 *   mmsim record -o TRACE [--backend lackey|sample] -- PROGRAM ARGS...	tools/lab/record*.c
 *   mmsim trace info|head|convert TRACE [-o OUT --to FMT]		tools/lab/cmd_trace.c
 *   mmsim replay TRACE [...]						tools/lab/replay*.c
 *   mmsim sweep --traces T... --policies P... --sizes S... -o DIR	tools/lab/sweep.c
 *   mmsim merge DIR -o OUT.csv [--report OUT.html]			tools/lab/merge.c
 *
 * Each returns the process exit status: 0, 1 (bad input: one line on
 * stderr naming the file, record or option and the problem; no output file
 * left behind), 2 (bad command line).
 *
 * The result of one run ("--json OUT": one JSON object per run, one per
 * line; `mmsim merge` and the report read it):
 *   "mmsim_lab": 1, "mode": "cache"|"kernel", "trace", "format", "policy",
 *   cache mode: "size_pages", "misses", "hits";
 *   kernel mode: "spec", "faults", "minor_faults", "major_faults",
 *     "pswpin", "pswpout", "refaults", "oom_kills", "tlb_hits",
 *     "tlb_misses", "tlb_hit_ratio", "virtual_seconds";
 *   both: "requests", "miss_ratio", "wall_seconds", "requests_per_second";
 *   optional "series" (kernel mode: the machine sampled over virtual time):
 *     {"interval_ns": N, "t": [s...], "faults": [...], "major_faults": [...],
 *      "pswpin": [...], "pswpout": [...]  (per interval),
 *      "rss_pages", "active_pages", "inactive_pages", "free_pages",
 *      "swap_used_pages": [...] (at each sample),
 *      "free_by_order": [[nr_free order 0..MAX_PAGE_ORDER] per sample]}
 *   optional "mrc": {"method": "mattson"|"shards"|"simulation",
 *     "sizes": [...], "misses": [...], "miss_ratio": [...]}
 */
#ifndef MMSIM_TOOLS_LAB_LAB_H
#define MMSIM_TOOLS_LAB_LAB_H

int cmd_record(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_merge(int argc, char **argv);

#endif
