/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tools/lab/record.h - `mmsim record`'s backends and the sink they feed
 * (record.c owns the command line, the sink and the trace file).
 *
 * A backend starts the program, turns what it observes into struct
 * trace_rec and hands each to rec_emit(), then returns the program's wait
 * status.  The sink counts accesses (--max-accesses), stamps the pids it
 * has seen, and at the end writes an EXIT for every process that never
 * reported one (killed, or sampling stopped), so that every recorded
 * process ends in the trace.
 */
#ifndef MMSIM_TOOLS_LAB_RECORD_H
#define MMSIM_TOOLS_LAB_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "tools/lab/trace.h"

enum rec_backend {
	REC_LACKEY,
	REC_SAMPLE,
};

struct rec_opts {
	const char *out;		/* -o TRACE */
	enum rec_backend backend;	/* --backend */
	unsigned int interval_ms;	/* --interval: sample backend's epoch (CPU time) */
	uint64_t max_accesses;		/* --max-accesses: 0 = no limit */
	bool no_instr;			/* --no-instr: lackey's instruction fetches dropped */
	char **argv;			/* PROGRAM ARGS..., NULL-terminated */
};

#define REC_MAX_PIDS 4096

struct rec_sink {
	struct trace_writer *w;
	uint64_t t0;			/* CLOCK_MONOTONIC ns at the start */
	uint64_t nr_records;
	uint64_t nr_accesses;		/* READ + WRITE records written */
	uint64_t max_accesses;		/* 0: no limit */
	bool full;			/* max_accesses reached: the backend stops */
	int err;			/* first trace_write error (-errno), 0 if none */
	unsigned int nr_pids;
	struct {
		uint32_t pid;
		bool exited;
	} pids[REC_MAX_PIDS];		/* linear: few processes */
};

/* Write @rec (its id is set from addr here); false once the sink is full or failed. */
bool rec_emit(struct rec_sink *s, const struct trace_rec *rec);
uint64_t rec_now_ns(void);
/* @pid has records and no EXIT yet. */
bool rec_pid_live(const struct rec_sink *s, uint32_t pid);

/* 0 if @prog is an executable file (a name without '/' searched in PATH), else -errno. */
int rec_check_program(const char *prog);
/* One line for a program that cannot be started; returns 1. */
int rec_start_error(const char *prog, int err);

/*
 * Run @o->argv under the backend; feed @s.  Return 0 and the program's wait
 * status in *@wstatus, or -1 after printing one error line (the program
 * could not be started).
 */
int record_lackey(const struct rec_opts *o, struct rec_sink *s, int *wstatus);
int record_sample(const struct rec_opts *o, struct rec_sink *s, int *wstatus);

#endif
