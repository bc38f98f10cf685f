// SPDX-License-Identifier: GPL-2.0
/*
 * kernel/printk.c - the simulated kernel log.
 *
 * Design: each machine has a ring of records (sequence number, virtual
 * timestamp, level, one line of text) of log_buf_len bytes, as Linux's
 * printk ring buffer.  printk() parses the KERN_<level> prefix, splits the
 * text at newlines into records, and keeps an unterminated line pending so
 * that KERN_CONT pieces join it, as Linux's printk does; an empty line
 * (pr_err("\n") with nothing pending) is a record of its own, as the blank
 * lines of Linux's KASAN and slub_debug reports are.  /dev/kmsg renders
 * the records in dmesg's format, "[%5lu.%06lu] text", with the machine's
 * virtual clock as time.
 *
 * The ring: a record costs what it costs in Linux's printk_ringbuffer
 * (kernel/printk/printk_ringbuffer.c): a data block of the text behind an
 * unsigned long id, aligned to unsigned long (log_record_size()), in a
 * data ring of log_buf_len bytes; and one descriptor of log_buf_len >> 5
 * (PRB_AVGBITS).  When either is full the oldest records are dropped.  The
 * sequence numbers go on increasing, so the first record still present
 * has seq > 0 once the ring wrapped.  (Linux's data blocks do not wrap
 * round the end of the data ring, which can waste up to one block there;
 * mmsim counts bytes only, so it may keep a record or two more.)  The
 * texts live in host memory of their own (one malloc per record), so the
 * host memory of a log is about twice log_buf_len at most.
 *
 * Reading: every read of /dev/kmsg is a fresh open, and Linux's
 * devkmsg_open() starts a reader at the first record still in the ring
 * (prb_first_valid_seq); only a reader that was already open when its next
 * record was overwritten gets -EPIPE once.  A whole-file read here is
 * always a fresh reader, so it starts at the first record present and
 * shows no gap marker, as `dmesg` shows none.  The seq numbers of
 * log_record_at() show the gap to whoever looks (tests).
 *
 * Locking: log->lock (a mutex) protects the whole log; printk may be called
 * from any CPU thread.
 *
 * Invariants: the records are in seq order with no hole between the first
 * and the last (log_record_at(log, i).seq == first seq + i, and the last
 * is next_seq - 1); log->bytes is the sum of their log_record_size() and
 * stays <= log_buf_len, and nr <= log_buf_len >> PRB_AVGBITS, except
 * for one record alone that is larger than the ring (kept, as its text is
 * cut at 1 KiB by printk anyway); timestamps never go backwards.
 *
 * The WARN and BUG splats live here too; unlike Linux, a BUG does not kill
 * the task: the splat is printed, the machine is tainted, and the
 * simulation goes on.  panic_on_warn=1 makes a WARN or a BUG panic() the
 * machine, and panic_on_oops=1 a BUG (Linux's oops_end()): the machine
 * halts (kernel/panic.c) and the caller goes on.
 *
 * Boot parameters (subsystem "printk"): loglevel= (init/main.c's in Linux;
 * the console level, which the log ignores: every record is kept),
 * log_buf_len= (the ring's size, rounded up to a power of 2, 4K..2G;
 * default 128K, CONFIG_LOG_BUF_SHIFT=17; unlike Linux, where it can only
 * grow the built-in buffer, a smaller size is taken too, as if the kernel
 * had been built with a smaller LOG_BUF_SHIFT) and panic_on_warn=
 * (kernel/panic.c's core_param).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <pthread.h>
#include <mmsim/panic.h>
#include <mmsim/sched.h>
#include "init/machine.h"
#include "lib/cmdline.h"

#define LOG_BUF_LEN_DEFAULT	(1UL << 17)		/* CONFIG_LOG_BUF_SHIFT=17 */
#define LOG_BUF_LEN_MIN		(1UL << 12)		/* the smallest LOG_BUF_SHIFT */
#define LOG_BUF_LEN_MAX		(1UL << 31)		/* Linux's LOG_BUF_LEN_MAX */
#define PRB_AVGBITS		5			/* one descriptor per 32 bytes */

struct printk_params {
	int loglevel;			/* console loglevel (the log keeps every level) */
	bool panic_on_warn;
	unsigned long log_buf_len;	/* bytes of the ring, a power of 2 */
};

static const struct printk_params printk_defaults = {
	.loglevel = 7,
	.log_buf_len = LOG_BUF_LEN_DEFAULT,
};

/* log_buf_len=n[KMG], as log_buf_len_setup()/log_buf_len_update(). */
static int setup_log_buf_len(void *state, const struct kernel_param *kp, const char *word,
			     const char *val, char *err, size_t len)
{
	struct printk_params *p = state;
	uint64_t size;
	int ret = memparse_strict(val, &size);

	(void)kp;
	if (ret == -ERANGE || (!ret && size > LOG_BUF_LEN_MAX))
		return cmdline_fail(err, len, "'%s': log_buf over 2G is not supported", word);
	if (ret)
		return cmdline_fail(err, len, "'%s': invalid size", word);
	if (size < LOG_BUF_LEN_MIN)
		return cmdline_fail(err, len, "'%s': smaller than the minimum 4K", word);
	p->log_buf_len = roundup_pow_of_two((unsigned long)size);
	return 0;
}

static const struct kernel_param printk_params[] = {
	core_param_int("loglevel", struct printk_params, loglevel, 0, 15),
	core_param_bool("panic_on_warn", struct printk_params, panic_on_warn),
	early_param("log_buf_len", setup_log_buf_len),
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
		free(log_record_at(log, i)->text);
	free(log->recs);
	pthread_mutex_destroy(&log->lock);
	memset(log, 0, sizeof(*log));
}

/* What a record of @len text bytes takes of the data ring: id + text, long-aligned. */
static size_t log_record_size(size_t len)
{
	return ALIGN(sizeof(unsigned long) + len, sizeof(unsigned long));
}

static unsigned long log_buf_len(struct mmsim *m)
{
	const struct printk_params *p = m->subsys_state ? subsys_state(m, printk) : NULL;

	return p ? p->log_buf_len : LOG_BUF_LEN_DEFAULT;
}

static void log_drop_oldest(struct printk_log *log)
{
	struct log_record *r = log_record_at(log, 0);

	log->bytes -= log_record_size(strlen(r->text));
	free(r->text);
	log->first = (log->first + 1) % log->cap;
	log->nr--;
}

/* Room for one more descriptor: grow the array (linearized) up to @max. */
static bool log_grow(struct printk_log *log, size_t max)
{
	size_t cap = log->cap ? log->cap * 2 : 256;
	struct log_record *n;

	if (cap > max)
		cap = max;
	if (cap <= log->cap)
		return false;
	n = malloc(cap * sizeof(*n));
	if (!n)
		return false;
	for (size_t i = 0; i < log->nr; i++)
		n[i] = *log_record_at(log, i);
	free(log->recs);
	log->recs = n;
	log->first = 0;
	log->cap = cap;
	return true;
}

static void log_store(struct mmsim *m, int level, const char *text, size_t len)
{
	struct printk_log *log = &m->log;
	unsigned long buf_len = log_buf_len(m);
	size_t max_descs = buf_len >> PRB_AVGBITS, size = log_record_size(len);
	struct log_record *r;
	char *copy = strndup(text, len);

	if (!copy)
		return;		/* the log drops lines rather than fail */
	while (log->nr && (log->bytes + size > buf_len || log->nr >= max_descs))
		log_drop_oldest(log);
	if (log->nr == log->cap && !log_grow(log, max_descs)) {
		if (!log->nr) {
			free(copy);
			return;
		}
		log_drop_oldest(log);
	}
	r = &log->recs[(log->first + log->nr) % log->cap];
	r->text = copy;
	r->seq = log->next_seq++;
	r->ts_ns = atomic_load_explicit(&m->hw.clock_ns, memory_order_relaxed);
	r->level = level;
	log->bytes += size;
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
		/* An empty line is a record of its own, as Linux's pr_err("\n"). */
		if (!log->cont_len)
			log_store(m, log->cont_level, "", 0);
		flush_cont(m);
		p = nl + 1;
	}
}

int vprintk(const char *fmt, va_list args)
{
	struct mmsim *m = current_machine();
	int level = LOGLEVEL_DEFAULT;
	bool cont = false;
	char buf[2048], *text;
	int n;

	while (fmt[0] == KERN_SOH[0] && fmt[1]) {
		if (fmt[1] == 'c')
			cont = true;
		else if (fmt[1] >= '0' && fmt[1] <= '7')
			level = fmt[1] - '0';
		fmt += 2;
	}
	n = vsnprintf(buf, sizeof(buf), fmt, args);
	/* Linux parses the prefix of the formatted text: a level may come from "%s". */
	for (text = buf; text[0] == KERN_SOH[0] && text[1]; text += 2) {
		if (text[1] == 'c')
			cont = true;
		else if (text[1] >= '0' && text[1] <= '7')
			level = text[1] - '0';
	}
	if (!m) {
		fputs(text, stderr);
		return n;
	}
	pthread_mutex_lock(&m->log.lock);
	log_text(m, level, cont, text);
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

/*
 * printk_render_dmesg_since - the records from seq *@seq on (or from the
 * first one still present, if it was overwritten), in dmesg's format;
 * *@seq becomes the seq of the next record.  A pending KERN_CONT line is
 * flushed first, as a reader of Linux's log sees it.
 */
char *printk_render_dmesg_since(struct mmsim *m, uint64_t *seq)
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
		const struct log_record *r = log_record_at(log, i);
		size_t need = strlen(r->text) + 32;

		if (r->seq < *seq)
			continue;
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
	*seq = log->next_seq;
	pthread_mutex_unlock(&log->lock);
	return out;
}

/* /dev/kmsg, in dmesg's format: every record still in the ring. */
char *printk_render_dmesg(struct mmsim *m)
{
	uint64_t seq = 0;

	return printk_render_dmesg_since(m, &seq);
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
	/* Linux's: the task the CPU runs (the machine's own name in kernel context). */
	if (current)
		printk(KERN_DEFAULT "CPU: %d PID: %d Comm: %.15s %s 6.8.0-mmsim #1\n",
		       smp_processor_id(), current->pid, current->comm, taint);
	else
		printk(KERN_DEFAULT "CPU: %d PID: %d Comm: %s %s 6.8.0-mmsim #1\n",
		       smp_processor_id(), m->pid, m->comm, taint);
	printk(KERN_DEFAULT "Hardware name: mmsim %s, BIOS mmsim 0.1\n", m->hw.layout.arch_name);
	printk(KERN_DEFAULT "Call Trace:\n");
	printk(KERN_DEFAULT " <TASK>\n");
	printk(KERN_DEFAULT " dump_stack_lvl+0x0/0x0\n");
	printk(KERN_DEFAULT " %s+0x0/0x0\n", fn);
	printk(KERN_DEFAULT " </TASK>\n");
}

/*
 * check_panic_on_warn (Linux's kernel/panic.c): panic_on_warn=1 makes a
 * WARN (and, in mmsim, a BUG splat too) panic the machine, which halts
 * (kernel/panic.c); the caller of the WARN then goes on.
 */
static void check_panic_on_warn(const char *origin)
{
	struct mmsim *m = current_machine();

	if (m && ((struct printk_params *)subsys_state(m, printk))->panic_on_warn)
		panic("%s: panic_on_warn set ...\n", origin);
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
	check_panic_on_warn("kernel");
	return true;
}

void __bug(const char *file, int line, const char *fn)
{
	struct mmsim *m = current_machine();

	printk(KERN_CRIT "------------[ cut here ]------------\n");
	printk(KERN_CRIT "kernel BUG at %s:%d!\n", file, line);
	printk(KERN_WARNING "invalid opcode: 0000 [#1] PREEMPT SMP NOPTI\n");
	add_taint(TAINT_DIE);
	dump_stack_fn(fn);
	printk(KERN_WARNING "---[ end trace 0000000000000000 ]---\n");
	/* oops_end(): a BUG is an oops, and panic_on_oops panics on it. */
	if (m && oops_panics(m))
		panic("Fatal exception");
	check_panic_on_warn("kernel");
}

void lockdep_report_unheld(const char *what, const char *file, int line)
{
	__warn_printk(file, line, "lockdep_assert_held", "lock %s is not held", what);
}
