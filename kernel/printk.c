// SPDX-License-Identifier: GPL-2.0
/*
 * kernel/printk.c - the simulated kernel log.
 *
 * Design: each machine has an append-only array of records (sequence
 * number, virtual timestamp, level, one line of text).  printk() parses
 * the KERN_<level> prefix, splits the text at newlines into records, and
 * keeps an unterminated line pending so that KERN_CONT pieces join it, as
 * Linux's printk does.  /dev/kmsg renders the records in dmesg's format,
 * "[%5lu.%06lu] text", with the machine's virtual clock as time.
 *
 * Locking: log->lock (a mutex) protects the whole log; printk may be called
 * from any CPU thread.  Records are never removed before shutdown.
 *
 * Invariants: recs[i].seq == i; timestamps never go backwards.
 *
 * The WARN and BUG splats live here too; unlike Linux, a BUG does not kill
 * the task: the splat is printed, the machine is tainted, and the
 * simulation goes on (panic_on_warn=1 aborts instead).
 *
 * Boot parameters (subsystem "printk"): loglevel= (init/main.c's in Linux;
 * the console level, which the log ignores: every record is kept) and
 * panic_on_warn= (kernel/panic.c's core_param).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <pthread.h>
#include "init/machine.h"
#include "lib/cmdline.h"

struct printk_params {
	int loglevel;			/* console loglevel (the log keeps every level) */
	bool panic_on_warn;
};

static const struct printk_params printk_defaults = { .loglevel = 7 };

static const struct kernel_param printk_params[] = {
	core_param_int("loglevel", struct printk_params, loglevel, 0, 15),
	core_param_bool("panic_on_warn", struct printk_params, panic_on_warn),
};

DEFINE_SUBSYSTEM(printk, SUBSYS_STATE(struct printk_params, &printk_defaults),
		 SUBSYS_PARAMS(printk_params));

void printk_init(struct printk_log *log)
{
	memset(log, 0, sizeof(*log));
	pthread_mutex_init(&log->lock, NULL);
	log->cont_level = LOGLEVEL_DEFAULT;
}

void printk_free(struct printk_log *log)
{
	for (size_t i = 0; i < log->nr; i++)
		free(log->recs[i].text);
	free(log->recs);
	pthread_mutex_destroy(&log->lock);
	memset(log, 0, sizeof(*log));
}

static void log_store(struct mmsim *m, int level, const char *text, size_t len)
{
	struct printk_log *log = &m->log;
	struct log_record *r;

	if (log->nr == log->cap) {
		size_t cap = log->cap ? log->cap * 2 : 256;
		struct log_record *n = realloc(log->recs, cap * sizeof(*n));

		if (!n)
			return;		/* the log drops lines rather than fail */
		log->recs = n;
		log->cap = cap;
	}
	r = &log->recs[log->nr];
	r->text = strndup(text, len);
	if (!r->text)
		return;
	r->seq = log->next_seq++;
	r->ts_ns = atomic_load_explicit(&m->hw.clock_ns, memory_order_relaxed);
	r->level = level;
	log->nr++;
}

static void flush_cont(struct mmsim *m)
{
	struct printk_log *log = &m->log;

	if (log->cont_len) {
		log_store(m, log->cont_level, log->cont, log->cont_len);
		log->cont_len = 0;
	}
}

static void cont_append(struct printk_log *log, const char *s, size_t len)
{
	size_t room = sizeof(log->cont) - 1 - log->cont_len;

	if (len > room)
		len = room;
	memcpy(log->cont + log->cont_len, s, len);
	log->cont_len += len;
}

/* Split @text into lines; an unterminated tail stays pending for KERN_CONT. */
static void log_text(struct mmsim *m, int level, bool cont, const char *text)
{
	struct printk_log *log = &m->log;
	const char *p = text;

	if (!cont) {
		flush_cont(m);
		log->cont_level = level;
	}
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		cont_append(log, p, len);
		if (!nl)
			break;
		flush_cont(m);
		p = nl + 1;
	}
}

int vprintk(const char *fmt, va_list args)
{
	struct mmsim *m = current_machine();
	int level = LOGLEVEL_DEFAULT;
	bool cont = false;
	char buf[2048];
	int n;

	while (fmt[0] == KERN_SOH[0] && fmt[1]) {
		if (fmt[1] == 'c')
			cont = true;
		else if (fmt[1] >= '0' && fmt[1] <= '7')
			level = fmt[1] - '0';
		fmt += 2;
	}
	n = vsnprintf(buf, sizeof(buf), fmt, args);
	if (!m) {
		fputs(buf, stderr);
		return n;
	}
	pthread_mutex_lock(&m->log.lock);
	log_text(m, level, cont, buf);
	pthread_mutex_unlock(&m->log.lock);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

/* /dev/kmsg, in dmesg's format. */
char *printk_render_dmesg(struct mmsim *m)
{
	struct printk_log *log = &m->log;
	size_t cap = 4096, len = 0;
	char *out = malloc(cap);

	if (!out)
		return NULL;
	out[0] = '\0';
	pthread_mutex_lock(&log->lock);
	flush_cont(m);
	for (size_t i = 0; i < log->nr; i++) {
		const struct log_record *r = &log->recs[i];
		size_t need = strlen(r->text) + 32;

		if (len + need >= cap) {
			while (len + need >= cap)
				cap *= 2;
			char *n = realloc(out, cap);
			if (!n) {
				free(out);
				out = NULL;
				break;
			}
			out = n;
		}
		len += (size_t)snprintf(out + len, cap - len, "[%5lu.%06lu] %s\n",
					(unsigned long)(r->ts_ns / 1000000000ULL),
					(unsigned long)(r->ts_ns % 1000000000ULL / 1000),
					r->text);
	}
	pthread_mutex_unlock(&log->lock);
	return out;
}

bool warn_once_first(const void *key)
{
	struct mmsim *m = current_machine();
	bool first = true;

	if (!m)
		return true;
	pthread_mutex_lock(&m->log.lock);
	for (int i = 0; i < m->log.nr_once; i++)
		if (m->log.once_keys[i] == key)
			first = false;
	if (first && m->log.nr_once < (int)ARRAY_SIZE(m->log.once_keys))
		m->log.once_keys[m->log.nr_once++] = key;
	pthread_mutex_unlock(&m->log.lock);
	return first;
}

void add_taint(unsigned int flag)
{
	struct mmsim *m = current_machine();

	if (m)
		atomic_fetch_or(&m->taint, 1UL << flag);
}

/* print_tainted - "Not tainted" or "Tainted: G    B    W  ..." into @buf. */
void print_tainted(char *buf, size_t len)
{
	static const char letters[] = "PFSRMBUDAWCIOELKXTNJ";
	struct mmsim *m = current_machine();
	unsigned long t = m ? atomic_load(&m->taint) : 0;
	size_t i;

	if (!t) {
		snprintf(buf, len, "Not tainted");
		return;
	}
	size_t n = (size_t)snprintf(buf, len, "Tainted: ");
	for (i = 0; i < sizeof(letters) - 1 && n + 1 < len; i++) {
		char c = (t >> i) & 1 ? letters[i] : ' ';

		if (i == 0)
			c = (t & 1) ? 'P' : 'G';
		buf[n++] = c;
	}
	buf[n] = '\0';
}

void dump_stack_fn(const char *fn)
{
	struct mmsim *m = current_machine();
	char taint[64];

	if (!m)
		return;
	print_tainted(taint, sizeof(taint));
	printk(KERN_DEFAULT "CPU: %d PID: %d Comm: %s %s 6.8.0-mmsim #1\n",
	       smp_processor_id(), m->pid, m->comm, taint);
	printk(KERN_DEFAULT "Hardware name: mmsim %s, BIOS mmsim 0.1\n", m->hw.layout.arch_name);
	printk(KERN_DEFAULT "Call Trace:\n");
	printk(KERN_DEFAULT " <TASK>\n");
	printk(KERN_DEFAULT " dump_stack_lvl+0x0/0x0\n");
	printk(KERN_DEFAULT " %s+0x0/0x0\n", fn);
	printk(KERN_DEFAULT " </TASK>\n");
}

static void maybe_panic(const char *what)
{
	struct mmsim *m = current_machine();

	if (m && ((struct printk_params *)subsys_state(m, printk))->panic_on_warn) {
		char *log = printk_render_dmesg(m);

		if (log)
			fputs(log, stderr);
		free(log);
		fprintf(stderr, "Kernel panic - not syncing: %s (panic_on_warn set)\n", what);
		abort();
	}
}

bool __warn_printk(const char *file, int line, const char *fn, const char *fmt, ...)
{
	struct mmsim *m = current_machine();
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(KERN_WARNING "------------[ cut here ]------------\n");
	if (msg[0])
		printk(KERN_WARNING "%s\n", msg);
	printk(KERN_WARNING "WARNING: CPU: %d PID: %d at %s:%d %s+0x0/0x0\n",
	       smp_processor_id(), m ? m->pid : 0, file, line, fn);
	printk(KERN_WARNING "Modules linked in:\n");
	dump_stack_fn(fn);
	printk(KERN_WARNING "---[ end trace 0000000000000000 ]---\n");
	add_taint(TAINT_WARN);
	maybe_panic("WARN");
	return true;
}

void __bug(const char *file, int line, const char *fn)
{
	printk(KERN_CRIT "------------[ cut here ]------------\n");
	printk(KERN_CRIT "kernel BUG at %s:%d!\n", file, line);
	printk(KERN_WARNING "invalid opcode: 0000 [#1] PREEMPT SMP NOPTI\n");
	add_taint(TAINT_DIE);
	dump_stack_fn(fn);
	printk(KERN_WARNING "---[ end trace 0000000000000000 ]---\n");
	maybe_panic("BUG");
}

void lockdep_report_unheld(const char *what, const char *file, int line)
{
	__warn_printk(file, line, "lockdep_assert_held", "lock %s is not held", what);
}
