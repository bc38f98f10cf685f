/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tools/lab/shim/record_wire.h - what the sampling shim (record_shim.c, in
 * the traced program) sends `mmsim record` (record_sample.c) through the
 * pipe named by MMSIM_RECORD_FD: fixed 48-byte records, host byte order,
 * written in batches of at most PIPE_BUF bytes so that the records of
 * processes sharing the pipe never interleave inside one record.
 *
 * Only the two ends of one build read this: no version, no portability.
 */
#ifndef MMSIM_TOOLS_LAB_SHIM_RECORD_WIRE_H
#define MMSIM_TOOLS_LAB_SHIM_RECORD_WIRE_H

#include <stdint.h>

struct rec_wire {
	uint64_t time;		/* CLOCK_MONOTONIC ns */
	uint64_t addr;		/* bytes: the page (accesses), the mapping (layout), the break (brk) */
	uint64_t len;		/* bytes */
	uint64_t arg;		/* mmap: fd (int64, -1 anon); fork: the child's pid */
	uint32_t pid;		/* the process (fork: the parent) */
	uint32_t prot;		/* PROT_* (mmap, mprotect) */
	uint32_t flags;		/* MAP_* (mmap) */
	uint8_t op;		/* enum trace_op (tools/lab/trace.h) */
	uint8_t pad[3];
};

_Static_assert(sizeof(struct rec_wire) == 48, "rec_wire is 48 bytes");

/* op beyond enum trace_op: the shim has started in a new image of pid (after execve). */
#define REC_WIRE_HELLO	100

#define REC_WIRE_BATCH	(4096 / sizeof(struct rec_wire))	/* records per write: PIPE_BUF */

#endif
