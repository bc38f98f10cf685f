/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tools/scenario.h - the scenario interpreter of the mmsim tool: its state,
 * its command table, and the helpers command handlers use.
 *
 * A scenario is a text file of commands, one a line (docs/cli.md).  The
 * interpreter splits each line into words and looks the first word up in
 * scn_commands[] (tools/scenario.c); the row gives the handler, whether it
 * needs a booted machine, and the synopsis and help line that `mmsim help`
 * prints.  A later layer (slab, vmalloc, processes, reclaim) adds commands
 * by writing handlers in its own tools/cmd_<layer>.c, declaring them below
 * under that file's name, and adding rows to the table.
 *
 * Errors: a handler that fails calls scn_fail() and returns -1.  The
 * interpreter then prints the one line "FILE:LINE: COMMAND: problem" on
 * stderr and stops; the tool exits 1.  Output already written stays.
 *
 * Named objects: allocations a scenario makes are kept by name (struct
 * scn_obj), so a later line can free them.  Names are unique while
 * allocated; one namespace is shared by every kind of object.  They live
 * in a chained hash table keyed by name (grown as it fills), so finding,
 * adding and deleting one takes constant time however many are held.
 *
 * Single-threaded: a scenario runs on the calling thread, which is on one
 * simulated CPU of the machine at a time (`cpu N` switches).
 */
#ifndef MMSIM_TOOLS_SCENARIO_H
#define MMSIM_TOOLS_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdatomic.h>
#include <mmsim/mmsim.h>

#define SCN_MAX_WORDS	64	/* words on one line */
#define SCN_NAME_MAX	32	/* bytes in an object name, with the NUL */

/* An allocation held under a name. */
struct scn_obj {
	char name[SCN_NAME_MAX];
	const char *kind;		/* "pages"; later layers add their own */
	unsigned int order;		/* pages: order of every block */
	gfp_t gfp;			/* flags it was allocated with */
	int nr;				/* blocks held in ptrs[] */
	void **ptrs;			/* pages: struct page * of each block */
	/* Called when the scenario forgets the object with the machine still
	 * running (a new boot, the end of the run): gives back what a driver
	 * would at process exit (an MR's pins and mm reference). */
	void (*release)(struct scn_obj *obj);
	struct scn_obj *hnext;		/* next in its scn.obj_hash bucket */
};

/*
 * A variable: what `as VAR` of a command kept (a pid, an address), used as
 * $VAR or ${VAR} in any later word (tools/scenario.c expands them after a
 * line is split into words).  Set again, a name takes the new value.
 */
struct scn_var {
	char name[SCN_NAME_MAX];
	unsigned long value;
	bool hex;			/* printed as 0x... (an address), else decimal */
};

/* One sample of the paging counters `sar -B` reads from /proc/vmstat. */
enum { SAR_PGPGIN, SAR_PGPGOUT, SAR_FAULT, SAR_MAJFLT, SAR_PGFREE, SAR_PGSCANK,
       SAR_PGSCAND, SAR_PGSTEAL, SAR_NR };
struct sar_sample {
	uint64_t ns;			/* virtual time of the sample */
	unsigned long long v[SAR_NR];
};

/* One sample of what `vmstat` reads: /proc/vmstat, /proc/stat, the clock. */
enum { VMS_USER, VMS_NICE, VMS_SYS, VMS_IDLE, VMS_IOWAIT, VMS_IRQ, VMS_SOFTIRQ, VMS_STEAL,
       VMS_GUEST, VMS_GUEST_NICE, VMS_NR_CPU };
struct vmstat_sample {
	uint64_t ns;			/* virtual time of the sample */
	unsigned long long cpu[VMS_NR_CPU];	/* the "cpu" line of /proc/stat, in ticks */
	unsigned long long intr, ctxt, running, blocked;
	unsigned long long pgpgin, pgpgout, pswpin, pswpout;	/* /proc/vmstat */
};

/* The interpreter's state for one run. */
struct scn {
	const char *file;		/* name used in error lines */
	int line;			/* line being run (1-based) */
	const char *cmd;		/* command being run, for error prefixes */
	FILE *out;			/* command output (stdout) */
	bool trace;			/* print "$ command" before each command */
	struct mmsim *m;		/* the booted machine, or NULL */
	size_t kmsg_shown;		/* kernel log lines `dmesg` has printed */
	struct scn_obj **obj_hash;	/* named allocations on m, by name */
	size_t obj_buckets;		/* size of obj_hash (a power of two or 0) */
	size_t nr_objs;			/* objects in obj_hash */
	/*
	 * Names of caches the scenario destroyed that the kernel still
	 * answers to (a merged cache keeps its names while another creator
	 * holds it): no command takes them as caches (tools/cmd_slab.c).
	 */
	char (*gone_caches)[SCN_NAME_MAX];
	size_t nr_gone_caches;
	char *last_out;			/* what the last command but expect printed */
	struct scn_var *vars;		/* variables, in the order first set */
	size_t nr_vars;
	bool sar_have;			/* sar_prev holds the previous `sar` sample */
	bool vmstat_have;		/* vmstat_prev holds the previous `vmstat` sample */
	struct vmstat_sample vmstat_prev;
	struct sar_sample sar_prev;
	/* Called after each line that ran (`mmsim sar` samples the machine there). */
	void (*after_line)(struct scn *s, void *arg);
	void *after_arg;
	/* When set and true, scn_run stops before its next line (mmsim serve). */
	const atomic_bool *stop;
	char err[512];			/* the error line, without FILE:LINE */
};

/* One row of the command table. */
struct scn_command {
	const char *name;
	int (*fn)(struct scn *s, int argc, char **argv);	/* argv[0] is the name */
	bool needs_machine;		/* refused before the first boot */
	int min_args, max_args;		/* words counting the name; max -1: any */
	const char *synopsis;		/* "alloc NAME order=N [gfp=FLAGS] ..." */
	const char *help;		/* one line */
};

extern const struct scn_command scn_commands[];

/* tools/scenario.c: running */
void scn_init(struct scn *s, const char *file, FILE *out);
/*
 * Check that @text (@len bytes, a whole scenario) is text: UTF-8 with no
 * control character but tab, CR and newline, and no NUL.  0, or -1 after
 * printing "FILE:LINE: not text (byte 0xNN)" on stderr.
 */
int scn_check_text(struct scn *s, const char *text, size_t len);
/* Run @text (a whole scenario); 0, or -1 after printing the error line. */
int scn_run(struct scn *s, const char *text);
/* Shut the machine down and forget the objects. */
void scn_destroy(struct scn *s);
/* Print the synopsis and help of every scenario command on @f. */
void scn_print_commands(FILE *f);

/* tools/scenario.c: helpers for handlers */
__printf(2, 3) int scn_fail(struct scn *s, const char *fmt, ...);
/*
 * Split argv[first..argc) into KEY=VALUE words.  @keys is a NULL-ended list
 * of the accepted keys; vals[i] receives the value of keys[i] or stays
 * NULL.  An unknown key, a word without '=' or a repeated key fails.
 */
int scn_kv_args(struct scn *s, int argc, char **argv, int first, const char *const *keys,
		const char **vals);
/* Parse @val (of word KEY=VAL) as an unsigned number in [lo, hi]. */
int scn_ulong(struct scn *s, const char *key, const char *val, unsigned long lo,
	      unsigned long hi, unsigned long *out);
/*
 * Parse @val (of word KEY=VAL) as a size in bytes in [lo, hi], the way the
 * boot spec takes one (memparse_strict): 4096, 0x1000, 4k, 8M, 2G.  Counts,
 * orders and node numbers are not sizes: they take scn_ulong().
 */
int scn_size(struct scn *s, const char *key, const char *val, unsigned long lo,
	     unsigned long hi, unsigned long *out);
/* argv[first..argc) joined by single spaces, in a malloc'd string. */
char *scn_join(int argc, char **argv, int first);
/* Print the kernel log lines not shown yet (matching @pattern if not NULL). */
int scn_dmesg(struct scn *s, const char *pattern);
struct scn_obj *scn_obj_find(struct scn *s, const char *name);
/* Set variable @name (a valid object name) to @value; -1 after scn_fail(). */
int scn_var_set(struct scn *s, const char *name, unsigned long value, bool hex);
/* The value of variable @name into *@value; false if there is none. */
bool scn_var_get(struct scn *s, const char *name, unsigned long *value);
/*
 * Parse an address or a length: a number (decimal or 0x hex, with an
 * optional memparse suffix, 4k, 2M) or a variable's name, or a sum or
 * difference of two of them, "A+B" or "A-B" (buf+0x1000, $buf+0x1000).
 * -1 after scn_fail().
 */
int scn_addr(struct scn *s, const char *what, const char *word, unsigned long *out);
/* A new object named @name; fails if the name is taken or malformed. */
struct scn_obj *scn_obj_new(struct scn *s, const char *name, const char *kind, int nr);
void scn_obj_del(struct scn *s, struct scn_obj *obj);

/* tools/cmd_page.c: the page allocator */
int cmd_alloc(struct scn *s, int argc, char **argv);
int cmd_free(struct scn *s, int argc, char **argv);
int cmd_drain(struct scn *s, int argc, char **argv);
int cmd_check(struct scn *s, int argc, char **argv);

/* tools/cmd_proc.c: what the file commands (tools/cmd_file.c) share */
struct task_struct;
/* current, or NULL after scn_fail() ("no process runs on CPU N"). */
struct task_struct *scn_running(struct scn *s);
/* "[pid N] " of current (nothing without a task). */
void scn_print_pid(struct scn *s);
/* " = RESULT\n" in strace's notation: a value, or "-1 ENAME (message)". */
void scn_print_ret(struct scn *s, long ret, bool hex);
/* Words "as VAR" at the end of argv: strips them, VAR in *@var (or NULL). */
int scn_take_as(struct scn *s, int *argc, char **argv, const char **var);

/* tools/cmd_file.c: files; the file half of `write` */
int cmd_file_write(struct scn *s, int argc, char **argv);
/* tools/cmd_view.c: the procps views; `free` with no name is the view */
int cmd_free_view(struct scn *s, int argc, char **argv);

/* tools/cmd_vmalloc.c: vmalloc */
int cmd_vmalloc(struct scn *s, int argc, char **argv);
int cmd_vfree(struct scn *s, int argc, char **argv);
int cmd_test_vmalloc(struct scn *s, int argc, char **argv);
int main_test_vmalloc(int argc, char **argv);	/* `mmsim test-vmalloc` */

/* tools/gfp_parse.c: a table of flag names and their bits */
struct scn_flag_name {
	const char *name;
	unsigned long value;
};
/*
 * Parse names of @table joined by '|', or a number up to @max, into *@out;
 * -1 with the offending word in @bad.
 */
int scn_parse_flags(const struct scn_flag_name *table, size_t n, const char *text,
		    unsigned long max, unsigned long *out, char *bad, size_t badlen);

/* tools/gfp_parse.c */
/*
 * Parse Linux's flag names joined by '|' ("GFP_KERNEL|__GFP_ZERO", or a
 * number such as 0xcc0) into *@gfp.  On an unknown name returns -1 and
 * copies the offending name into @bad.
 */
int gfp_parse(const char *text, gfp_t *gfp, char *bad, size_t badlen);

/* tools/sar.c: the `sar -B` view (scenario command and `mmsim sar`) */
/* Read the paging counters of @m now; -1 after scn_fail(). */
int sar_read(struct scn *s, struct sar_sample *out);
/* sysstat's first lines: "Linux ... (localhost) \tDATE \t_ARCH_\t(N CPU)", an empty line. */
void sar_print_banner(FILE *f, struct mmsim *m);
void sar_print_header(FILE *f, uint64_t ns);
/* One line of rates between two samples, stamped with @label or b's time. */
void sar_print_line(FILE *f, const char *label, const struct sar_sample *a,
		    const struct sar_sample *b);
int main_sar(int argc, char **argv);		/* `mmsim sar` */

/* tools/serve.c: a live machine served over FUSE (docs/serve.md) */
int main_serve(int argc, char **argv);		/* `mmsim serve` */

/* tools/tour.c */
extern const char tour_scenario[];

#endif
