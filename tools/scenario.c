// SPDX-License-Identifier: GPL-2.0
/*
 * tools/scenario.c - the scenario interpreter: lines to words, words to
 * commands, the command table, and the commands that are not about one mm
 * layer (boot, cpu, tick, cat, grep, write, dmesg, echo, expect).
 *
 * The language (docs/cli.md has the full reference):
 *
 *   - one command a line; blank lines are ignored;
 *   - words are separated by spaces or tabs; a word may be written in
 *     double quotes to hold spaces ("a b"), where \" and \\ stand for " and \;
 *   - a word that starts with '#' (outside quotes) starts a comment that
 *     runs to the end of the line, so "# text" lines are comments;
 *   - the first word names the command (scn_commands[] below); the others
 *     are its arguments, positional first, then KEY=VALUE words;
 *   - $NAME and ${NAME} in an argument are replaced by the value of a
 *     variable (set by a command's `as NAME`: a pid, an address), after the
 *     line is split, so a value never splits a word; "$$" is one '$'.
 *
 * Running a line: split it (scn_split), find the row, check the argument
 * count and that a machine is booted when the row needs one, then call the
 * handler.  The first error stops the run: scn_run() prints
 * "FILE:LINE: problem" on stderr (after flushing what the scenario printed
 * on s->out, so the two streams interleave right) and returns -1.
 *
 * State (struct scn): the machine, the objects allocated by name, the
 * variables, the previous `sar` sample, and how many kernel log lines
 * `dmesg` has shown.  A second `boot` shuts the first machine down; its
 * objects and variables go with it (their memory goes with the machine).
 *
 * Determinism: nothing here prints a host address or a host time; what
 * commands print comes from the machine, which is deterministic for a
 * given spec (DESIGN §1.5).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <regex.h>
#include "lib/cmdline.h"
#include <mmsim/oops.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include "tools/scenario.h"

/* ---------------------------------------------------------------------
 * Helpers for handlers
 */

int scn_fail(struct scn *s, const char *fmt, ...)
{
	size_t n = 0;
	va_list ap;

	if (s->cmd)
		n = (size_t)snprintf(s->err, sizeof(s->err), "%s: ", s->cmd);
	va_start(ap, fmt);
	vsnprintf(s->err + n, sizeof(s->err) - n, fmt, ap);
	va_end(ap);
	return -1;
}

int scn_kv_args(struct scn *s, int argc, char **argv, int first, const char *const *keys,
		const char **vals)
{
	int nkeys = 0;

	while (keys[nkeys])
		vals[nkeys++] = NULL;
	for (int i = first; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		int k;

		if (!eq)
			return scn_fail(s, "unexpected argument '%s' (expected KEY=VALUE)", argv[i]);
		for (k = 0; k < nkeys; k++)
			if (strlen(keys[k]) == (size_t)(eq - argv[i]) &&
			    !strncmp(argv[i], keys[k], (size_t)(eq - argv[i])))
				break;
		if (k == nkeys)
			return scn_fail(s, "unknown argument '%.*s'", (int)(eq - argv[i]), argv[i]);
		if (vals[k])
			return scn_fail(s, "%s= given twice", keys[k]);
		vals[k] = eq + 1;
	}
	return 0;
}

int scn_ulong(struct scn *s, const char *key, const char *val, unsigned long lo,
	      unsigned long hi, unsigned long *out)
{
	unsigned long v;
	char *end;

	if (val[0] < '0' || val[0] > '9')
		return scn_fail(s, "%s=%s is not a number", key, val);
	errno = 0;
	v = strtoul(val, &end, 0);
	if (errno || *end)
		return scn_fail(s, "%s=%s is not a number", key, val);
	if (v < lo || v > hi)
		return scn_fail(s, "%s=%s is out of range [%lu, %lu]", key, val, lo, hi);
	*out = v;
	return 0;
}

int scn_size(struct scn *s, const char *key, const char *val, unsigned long lo,
	     unsigned long hi, unsigned long *out)
{
	uint64_t v;
	int ret = memparse_strict(val, &v);

	if (ret == -ERANGE || (!ret && v > ~0UL))
		return scn_fail(s, "%s=%s is too large", key, val);
	if (ret)
		return scn_fail(s, "%s=%s is not a size (e.g. 4096, 0x1000, 4k, 8M)",
				key, val);
	if (v < lo || v > hi)
		return scn_fail(s, "%s=%s is out of range [%lu, %lu]", key, val, lo, hi);
	*out = (unsigned long)v;
	return 0;
}

char *scn_join(int argc, char **argv, int first)
{
	size_t len = 1;
	char *text;

	for (int i = first; i < argc; i++)
		len += strlen(argv[i]) + 1;
	text = malloc(len);
	if (!text)
		return NULL;
	text[0] = '\0';
	for (int i = first; i < argc; i++) {
		if (i > first)
			strcat(text, " ");
		strcat(text, argv[i]);
	}
	return text;
}

/* FNV-1a of @name, for the object table. */
static size_t scn_name_hash(const char *name)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 0x100000001b3ULL;
	return (size_t)(h ^ (h >> 32));
}

static struct scn_obj **scn_obj_bucket(struct scn *s, const char *name)
{
	return &s->obj_hash[scn_name_hash(name) & (s->obj_buckets - 1)];
}

struct scn_obj *scn_obj_find(struct scn *s, const char *name)
{
	if (!s->obj_buckets)
		return NULL;
	for (struct scn_obj *o = *scn_obj_bucket(s, name); o; o = o->hnext)
		if (!strcmp(o->name, name))
			return o;
	return NULL;
}

/* Double the table (or make its first 64 buckets); -1 out of host memory. */
static int scn_obj_grow(struct scn *s)
{
	size_t old = s->obj_buckets, nr = old ? old * 2 : 64;
	struct scn_obj **table = calloc(nr, sizeof(*table)), **prev = s->obj_hash;

	if (!table)
		return -1;
	s->obj_hash = table;
	s->obj_buckets = nr;
	for (size_t i = 0; i < old; i++) {
		while (prev[i]) {
			struct scn_obj *o = prev[i], **b = scn_obj_bucket(s, o->name);

			prev[i] = o->hnext;
			o->hnext = *b;
			*b = o;
		}
	}
	free(prev);
	return 0;
}

static bool scn_name_ok(const char *name)
{
	size_t len = strlen(name);

	if (!len || len >= SCN_NAME_MAX)
		return false;
	if (!(name[0] == '_' || (name[0] >= 'a' && name[0] <= 'z') ||
	      (name[0] >= 'A' && name[0] <= 'Z')))
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_.-") == len;
}

struct scn_obj *scn_obj_new(struct scn *s, const char *name, const char *kind, int nr)
{
	struct scn_obj *o, **b;

	if (!scn_name_ok(name)) {
		scn_fail(s, "bad name '%s' (a letter or '_', then letters, digits, '_.-'; "
			    "at most %d)", name, SCN_NAME_MAX - 1);
		return NULL;
	}
	if (scn_obj_find(s, name)) {
		scn_fail(s, "'%s' is already allocated", name);
		return NULL;
	}
	if (s->nr_objs >= s->obj_buckets && scn_obj_grow(s)) {
		scn_fail(s, "out of host memory");
		return NULL;
	}
	o = calloc(1, sizeof(*o));
	if (o)
		o->ptrs = calloc((size_t)(nr ? nr : 1), sizeof(*o->ptrs));
	if (!o || !o->ptrs) {
		free(o);
		scn_fail(s, "out of host memory");
		return NULL;
	}
	strcpy(o->name, name);
	o->kind = kind;
	b = scn_obj_bucket(s, name);
	o->hnext = *b;
	*b = o;
	s->nr_objs++;
	return o;
}

void scn_obj_del(struct scn *s, struct scn_obj *obj)
{
	for (struct scn_obj **pp = scn_obj_bucket(s, obj->name); *pp; pp = &(*pp)->hnext) {
		if (*pp == obj) {
			*pp = obj->hnext;
			free(obj->ptrs);
			free(obj);
			s->nr_objs--;
			return;
		}
	}
}

/* ---------------------------------------------------------------------
 * Variables
 */

static struct scn_var *scn_var_find(struct scn *s, const char *name, size_t len)
{
	for (size_t i = 0; i < s->nr_vars; i++)
		if (strlen(s->vars[i].name) == len && !strncmp(s->vars[i].name, name, len))
			return &s->vars[i];
	return NULL;
}

int scn_var_set(struct scn *s, const char *name, unsigned long value, bool hex)
{
	struct scn_var *v;

	if (!scn_name_ok(name))
		return scn_fail(s, "bad variable name '%s' (a letter or '_', then letters, "
				   "digits, '_.-'; at most %d)", name, SCN_NAME_MAX - 1);
	v = scn_var_find(s, name, strlen(name));
	if (!v) {
		struct scn_var *more = realloc(s->vars, (s->nr_vars + 1) * sizeof(*more));

		if (!more)
			return scn_fail(s, "out of host memory");
		s->vars = more;
		v = &s->vars[s->nr_vars++];
		strcpy(v->name, name);
	}
	v->value = value;
	v->hex = hex;
	return 0;
}

/* Bytes of a variable name at @p ('_', letters, digits, '_.-' after the first). */
static size_t scn_var_name_len(const char *p)
{
	size_t n = 0;

	if (!(p[0] == '_' || (p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z')))
		return 0;
	while (p[n] == '_' || (p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
	       (p[n] >= '0' && p[n] <= '9'))
		n++;
	return n;
}

/*
 * Expand $NAME and ${NAME} in @word into a malloc'd string (*@out; NULL when
 * the word has none).  "$$" is one '$'; a '$' before anything else stays
 * (regexes end in '$').  $NAME takes letters, digits and '_' (so $buf+0x10
 * and $pid/maps work); ${NAME} any valid name.  -1 after scn_fail().
 */
static int scn_expand(struct scn *s, const char *word, char **out)
{
	size_t cap = strlen(word) + 1, len = 0;
	char *buf;

	*out = NULL;
	if (!strchr(word, '$'))
		return 0;
	buf = malloc(cap);
	if (!buf)
		return scn_fail(s, "out of host memory");
	for (const char *p = word; *p;) {
		const char *name = p + 1;
		size_t n = 0, skip = 0;
		char val[32];
		struct scn_var *v;

		if (p[0] == '$' && p[1] == '$') {
			val[0] = '$';
			val[1] = '\0';
			skip = 2;
		} else if (p[0] == '$' && p[1] == '{') {
			const char *close = strchr(p + 2, '}');

			name = p + 2;
			n = close ? (size_t)(close - name) : 0;
			if (!close || !n) {
				free(buf);
				return scn_fail(s, "bad variable reference in '%s'", word);
			}
			skip = n + 3;
		} else if (p[0] == '$' && (n = scn_var_name_len(p + 1))) {
			skip = n + 1;
		}
		if (!skip) {
			val[0] = *p;
			val[1] = '\0';
			skip = 1;
		} else if (n) {
			v = scn_var_find(s, name, n);
			if (!v) {
				free(buf);
				return scn_fail(s, "no variable '%.*s' (set one with 'as NAME')",
						(int)n, name);
			}
			snprintf(val, sizeof(val), v->hex ? "%#lx" : "%lu", v->value);
		}
		if (len + strlen(val) + 1 > cap) {
			char *more;

			cap = (len + strlen(val) + 1) * 2;
			more = realloc(buf, cap);
			if (!more) {
				free(buf);
				return scn_fail(s, "out of host memory");
			}
			buf = more;
		}
		strcpy(buf + len, val);
		len += strlen(val);
		p += skip;
	}
	*out = buf;
	return 0;
}

bool scn_var_get(struct scn *s, const char *name, unsigned long *value)
{
	struct scn_var *v = scn_var_find(s, name, strlen(name));

	if (v)
		*value = v->value;
	return v != NULL;
}

/*
 * One term of scn_addr(): decimal, 0x hex, a memparse size (4k, 2M), or
 * the name of a variable.  -1: not a number; -2: no such variable.
 */
static int scn_addr_term(struct scn *s, const char *p, size_t n, unsigned long *out)
{
	char term[64];
	uint64_t v;

	if (!n || n >= sizeof(term))
		return -1;
	memcpy(term, p, n);
	term[n] = '\0';
	if (scn_var_name_len(term) == n)
		return scn_var_get(s, term, out) ? 0 : -2;
	if (term[0] < '0' || term[0] > '9' || memparse_strict(term, &v) || v > ~0UL)
		return -1;
	*out = (unsigned long)v;
	return 0;
}

int scn_addr(struct scn *s, const char *what, const char *word, unsigned long *out)
{
	const char *op = strpbrk(word, "+-");
	unsigned long a, b;

	int ra, rb = 0;

	if (!op) {
		ra = scn_addr_term(s, word, strlen(word), &a);
	} else {
		ra = scn_addr_term(s, word, (size_t)(op - word), &a);
		rb = scn_addr_term(s, op + 1, strlen(op + 1), &b);
	}
	if (ra == -2 || rb == -2)
		return scn_fail(s, "%s '%s': no such variable (set one with 'as NAME')", what, word);
	if (ra || rb)
		return scn_fail(s, "%s '%s' is not a number (e.g. 4096, 0x1000, 4k, buf+0x1000)",
				what, word);
	*out = !op ? a : *op == '+' ? a + b : a - b;
	return 0;
}

static void scn_objs_forget(struct scn *s)
{
	bool live = s->m && !mmsim_halted(s->m);

	for (size_t i = 0; i < s->obj_buckets; i++)
		while (s->obj_hash[i]) {
			if (live && s->obj_hash[i]->release)
				s->obj_hash[i]->release(s->obj_hash[i]);
			scn_obj_del(s, s->obj_hash[i]);
		}
	free(s->obj_hash);
	s->obj_hash = NULL;
	s->obj_buckets = 0;
	free(s->gone_caches);
	s->gone_caches = NULL;
	s->nr_gone_caches = 0;
	free(s->vars);
	s->vars = NULL;
	s->nr_vars = 0;
	s->sar_have = false;
	s->vmstat_have = false;
}

/* Read @path on the machine; NULL after scn_fail(). */
static char *scn_read(struct scn *s, const char *path)
{
	char *text = mmsim_read(s->m, path);

	if (!text)
		scn_fail(s, "%s: %s", path, strerror(errno));
	return text;
}

static int scn_regcomp(struct scn *s, regex_t *re, const char *pattern)
{
	int ret = regcomp(re, pattern, REG_EXTENDED | REG_NOSUB | REG_NEWLINE);

	if (ret) {
		char why[128];

		regerror(ret, re, why, sizeof(why));
		regfree(re);
		return scn_fail(s, "bad pattern '%s': %s", pattern, why);
	}
	return 0;
}

/* Print the lines of @text from line @from on (0-based) that match @re. */
static size_t print_lines(FILE *out, const char *text, size_t from, const regex_t *re)
{
	size_t nr = 0;

	for (const char *p = text; *p; nr++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (nr >= from) {
			char *line = strndup(p, len);

			if (line && (!re || !regexec(re, line, 0, NULL, 0)))
				fprintf(out, "%s\n", line);
			free(line);
		}
		p += len + (nl ? 1 : 0);
	}
	return nr;
}

/* ---------------------------------------------------------------------
 * Commands that are not about one mm layer
 */

static int cmd_boot(struct scn *s, int argc, char **argv)
{
	char *spec = scn_join(argc, argv, 1);

	if (!spec)
		return scn_fail(s, "out of host memory");
	if (s->m) {
		scn_objs_forget(s);
		mmsim_shutdown(s->m);
		s->m = NULL;
	}
	s->kmsg_shown = 0;
	s->m = mmsim_boot(spec);
	free(spec);
	if (!s->m)
		return scn_fail(s, "%s", mmsim_last_error());
	return 0;
}

static int cmd_cpu(struct scn *s, int argc, char **argv)
{
	unsigned long cpu;
	int ret;

	if (scn_ulong(s, "cpu", argv[1], 0, ~0UL, &cpu))
		return scn_fail(s, "'%s' is not a CPU number", argv[1]);
	ret = cpu < (unsigned long)nr_cpu_ids_of(s->m) ? mmsim_enter(s->m, (int)cpu) : -EINVAL;
	if (ret == -EINVAL)
		return scn_fail(s, "no CPU %lu (the machine has %d)", cpu, nr_cpu_ids_of(s->m));
	if (ret)
		return scn_fail(s, "cannot enter CPU %lu: %s", cpu, strerror(-ret));
	return 0;
}

static int cmd_tick(struct scn *s, int argc, char **argv)
{
	unsigned long ms;

	if (scn_ulong(s, "ms", argv[1], 0, 1000000000UL, &ms))
		return scn_fail(s, "'%s' is not a number of milliseconds", argv[1]);
	mmsim_advance_clock(s->m, (uint64_t)ms * 1000000ULL);
	return 0;
}

/*
 * munmap-every ADDR LEN CHUNK: unmap every other CHUNK of [ADDR, ADDR+LEN),
 * the second, the fourth, ... (what compaction_test does to its locked
 * chunks), printed as one line: the calls made and the first error.
 */
static int cmd_munmap_every(struct scn *s, int argc, char **argv)
{
	struct task_struct *t = current;
	unsigned long addr, len, chunk, calls = 0;
	long ret = 0;

	if (!t)
		return scn_fail(s, "no process runs on this CPU (spawn or switch first)");
	if (scn_addr(s, "address", argv[1], &addr) || scn_addr(s, "length", argv[2], &len) ||
	    scn_size(s, "chunk", argv[3], PAGE_SIZE, len, &chunk))
		return -1;
	for (unsigned long off = chunk; off + chunk <= len && !ret; off += 2 * chunk, calls++)
		ret = sys_munmap(addr + off, chunk);
	fprintf(s->out, "[pid %d] %lu x munmap(.., %lu) every other %lu KiB of %#lx-%#lx = %ld\n",
		task_pid_nr(t), calls, chunk, chunk >> 10, addr, addr + len, ret);
	return 0;
}

static int cmd_cat(struct scn *s, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char *text = scn_read(s, argv[i]);

		if (!text)
			return -1;
		fputs(text, s->out);
		free(text);
	}
	return 0;
}

static int cmd_grep(struct scn *s, int argc, char **argv)
{
	regex_t re;

	if (scn_regcomp(s, &re, argv[1]))
		return -1;
	for (int i = 2; i < argc; i++) {
		char *text = scn_read(s, argv[i]);

		if (!text) {
			regfree(&re);
			return -1;
		}
		print_lines(s->out, text, 0, &re);
		free(text);
	}
	regfree(&re);
	return 0;
}

/*
 * write PATH VALUE...: a file of /proc, /sys or /dev (a sysctl, a knob);
 * any other path, or a descriptor, is a file of the machine's file system
 * (tools/cmd_file.c): write FILE SIZE [pattern=...].
 */
static int cmd_write(struct scn *s, int argc, char **argv)
{
	char *value;
	int ret;

	if (strncmp(argv[1], "/proc/", 6) && strncmp(argv[1], "/sys/", 5) &&
	    strncmp(argv[1], "/dev/kmsg", 9))
		return cmd_file_write(s, argc, argv);
	value = scn_join(argc, argv, 2);

	if (!value)
		return scn_fail(s, "out of host memory");
	ret = mmsim_write(s->m, argv[1], value);
	free(value);
	if (ret < 0)
		return scn_fail(s, "%s: %s", argv[1], strerror(-ret));
	return 0;
}

int scn_dmesg(struct scn *s, const char *pattern)
{
	char *text;
	regex_t re;

	if (pattern && scn_regcomp(s, &re, pattern))
		return -1;
	text = scn_read(s, "/dev/kmsg");
	if (text) {
		s->kmsg_shown = print_lines(s->out, text, s->kmsg_shown, pattern ? &re : NULL);
		free(text);
	}
	if (pattern)
		regfree(&re);
	return text ? 0 : -1;
}

static int cmd_dmesg(struct scn *s, int argc, char **argv)
{
	char *pattern = argc > 1 ? scn_join(argc, argv, 1) : NULL;
	int ret;

	if (argc > 1 && !pattern)
		return scn_fail(s, "out of host memory");
	ret = scn_dmesg(s, pattern);
	free(pattern);
	return ret;
}

/* free NAME [order=N] frees pages; free [-b|-k|-m|-g|-h] [-t] [-w] is procps's view. */
static int cmd_free_dispatch(struct scn *s, int argc, char **argv)
{
	if (argc == 1 || argv[1][0] == '-')
		return cmd_free_view(s, argc, argv);
	if (argc > 3)
		return scn_fail(s, "usage: free NAME [order=N]");
	return cmd_free(s, argc, argv);
}

static int cmd_echo(struct scn *s, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		fprintf(s->out, "%s%s", i > 1 ? " " : "", argv[i]);
	fputc('\n', s->out);
	return 0;
}

static int cmd_expect(struct scn *s, int argc, char **argv)
{
	const char *path = argv[1], *how = argv[2];
	char *want = scn_join(argc, argv, 3), *text = NULL;
	bool found = false;
	int ret = -1;
	regex_t re;

	if (!want)
		return scn_fail(s, "out of host memory");
	if (strcmp(how, "contains") && strcmp(how, "lacks") && strcmp(how, "matches")) {
		scn_fail(s, "'%s' is not contains, lacks or matches", how);
		goto out;
	}
	if (!strcmp(path, "output"))
		text = strdup(s->last_out ? s->last_out : "");
	else
		text = scn_read(s, path);
	if (!text) {
		if (!strcmp(path, "output"))
			scn_fail(s, "out of host memory");
		goto out;
	}
	if (!strcmp(how, "matches")) {
		if (scn_regcomp(s, &re, want))
			goto out;
		found = !regexec(&re, text, 0, NULL, 0);
		regfree(&re);
	} else {
		found = strstr(text, want) != NULL;
	}
	if (!strcmp(how, "lacks") && found)
		scn_fail(s, "%s contains '%s'", path, want);
	else if (strcmp(how, "lacks") && !found)
		scn_fail(s, "%s does not %s '%s'", path,
			 !strcmp(how, "matches") ? "match" : "contain", want);
	else
		ret = 0;
out:
	free(text);
	free(want);
	return ret;
}

/* ---------------------------------------------------------------------
 * The command table.  A layer adds its commands here; keep rows grouped by
 * layer and the synopsis in the form docs/cli.md uses.
 */

const struct scn_command scn_commands[] = {
	/* The machine. */
	{ "boot", cmd_boot, false, 1, -1, "boot SPEC...",
	  "boot a machine (shutting down the previous one)" },
	{ "cpu", cmd_cpu, true, 2, 2, "cpu N",
	  "run the following commands on CPU N" },
	{ "tick", cmd_tick, true, 2, 2, "tick MS",
	  "advance the virtual clock by MS milliseconds" },
	{ "munmap-every", cmd_munmap_every, true, 4, 4, "munmap-every ADDR LEN CHUNK",
	  "munmap every other CHUNK of [ADDR, ADDR+LEN) (fragmenting)" },
	/* Files and the log. */
	{ "cat", cmd_cat, true, 2, -1, "cat PATH...",
	  "print /proc, /sys or /dev/kmsg files" },
	{ "grep", cmd_grep, true, 3, -1, "grep REGEX PATH...",
	  "print the lines that match an extended regex" },
	{ "write", cmd_write, true, 3, -1, "write PATH VALUE...",
	  "write a sysctl or another writable file of /proc, /sys" },
	{ "dmesg", cmd_dmesg, true, 1, -1, "dmesg [REGEX...]",
	  "print new kernel log lines (those matching REGEX)" },
	/* The page allocator (tools/cmd_page.c). */
	{ "alloc", cmd_alloc, true, 2, -1,
	  "alloc NAME [order=N] [gfp=FLAGS] [node=N] [count=K]",
	  "allocate K blocks of 2^N pages, called NAME" },
	{ "free", cmd_free_dispatch, true, 1, 5, "free NAME [order=N]",
	  "free NAME (__free_pages), with order N if given" },
	{ "drain", cmd_drain, true, 1, 2, "drain [local]",
	  "drain every CPU's per-CPU lists (or this CPU's)" },
	{ "check", cmd_check, true, 1, 1, "check",
	  "check the allocator's invariants" },
	/* vmalloc (tools/cmd_vmalloc.c). */
	{ "vmalloc", cmd_vmalloc, true, 3, 5, "vmalloc NAME size=BYTES [gfp=FLAGS] [node=N]",
	  "__vmalloc_node() of BYTES, called NAME" },
	{ "vfree", cmd_vfree, true, 2, 2, "vfree NAME", "vfree NAME" },
	{ "test-vmalloc", cmd_test_vmalloc, true, 1, -1, "test-vmalloc [PRESET|PARAM=VALUE...]",
	  "run Linux's test_vmalloc (Summary lines in the log)" },
	/* Scripting. */
	{ "echo", cmd_echo, false, 1, -1, "echo TEXT...", "print TEXT" },
	{ "expect", cmd_expect, true, 4, -1, "expect PATH|output contains|lacks|matches TEXT",
	  "fail unless the file's (or the last output's) text passes" },
	{ .name = NULL }
};

/*
 * Every command table: the one above, then one per layer that keeps its
 * own in tools/cmd_<layer>.c.  Registering a layer's table is one line.
 */
extern const struct scn_command scn_slab_commands[];	/* tools/cmd_slab.c */
extern const struct scn_command scn_proc_commands[];	/* tools/cmd_proc.c */
extern const struct scn_command scn_sar_commands[];	/* tools/sar.c */
extern const struct scn_command scn_file_commands[];	/* tools/cmd_file.c */
extern const struct scn_command scn_view_commands[];	/* tools/cmd_view.c */
extern const struct scn_command scn_swap_commands[];	/* tools/cmd_swap.c */
extern const struct scn_command scn_kvm_commands[];	/* tools/cmd_kvm.c */
extern const struct scn_command scn_seg_commands[];	/* tools/cmd_seg.c */
extern const struct scn_command scn_pin_commands[];	/* tools/cmd_pin.c */
static const struct scn_command *const scn_tables[] = {
	scn_commands,
	scn_slab_commands,
	scn_proc_commands,
	scn_sar_commands,
	scn_file_commands,
	scn_view_commands,
	scn_swap_commands,
	scn_kvm_commands,
	scn_seg_commands,
	scn_pin_commands,
	NULL
};

void scn_print_commands(FILE *f)
{
	for (const struct scn_command *const *t = scn_tables; *t; t++) {
		for (const struct scn_command *c = *t; c->name; c++) {
			if (strlen(c->synopsis) <= 26)
				fprintf(f, "  %-26s %s\n", c->synopsis, c->help);
			else
				fprintf(f, "  %s\n  %-26s %s\n", c->synopsis, "", c->help);
		}
	}
}

/* ---------------------------------------------------------------------
 * Running
 */

/*
 * scn_split - split @line in place into words.  Quotes group, '#' at the
 * start of a word ends the line.  Returns the number of words, or -1 after
 * scn_fail(); *@end is set to the offset where the command's text ends
 * (before any comment), for the trace.
 */
static int scn_split(struct scn *s, char *line, char **argv, size_t *end)
{
	size_t r = 0, w = 0;
	int argc = 0;

	for (;;) {
		bool quoted = false;

		while (line[r] == ' ' || line[r] == '\t')
			r++;
		if (!line[r] || line[r] == '#')
			break;
		if (argc == SCN_MAX_WORDS)
			return scn_fail(s, "too many words (at most %d)", SCN_MAX_WORDS);
		argv[argc++] = line + w;
		while (line[r] && (quoted || (line[r] != ' ' && line[r] != '\t'))) {
			if (line[r] == '"') {
				quoted = !quoted;
				r++;
				continue;
			}
			if (quoted && line[r] == '\\' && (line[r + 1] == '"' || line[r + 1] == '\\'))
				r++;
			line[w++] = line[r++];
		}
		if (quoted)
			return scn_fail(s, "unterminated quote");
		*end = r;
		if (line[r])
			r++;
		line[w++] = '\0';
	}
	return argc;
}

static const struct scn_command *scn_lookup(const char *name)
{
	for (const struct scn_command *const *t = scn_tables; *t; t++)
		for (const struct scn_command *c = *t; c->name; c++)
			if (!strcmp(c->name, name))
				return c;
	return NULL;
}

/*
 * Run @c's handler behind a recovery point: a command whose work oopses
 * (docs/oops.md) ends there, as Linux's oopsing task is killed; the report
 * is in the machine's log and the scenario goes on.
 */
static int scn_call_recover(struct scn *s, const struct scn_command *c, int argc, char **argv)
{
	struct mmsim_recovery r;
	volatile int ret = 0;	/* read after a siglongjmp */

	if (!mmsim_try(&r))
		ret = c->fn(s, argc, argv);
	else
		fprintf(s->out, "%s: killed by an oops (see dmesg)\n", c->name);
	mmsim_try_end(&r);
	return ret;
}

/*
 * Call @c's handler.  What it prints is kept in s->last_out for
 * `expect output` and passed on to s->out; expect itself leaves
 * s->last_out alone, so several expects can test one command's output.
 */
static int scn_call(struct scn *s, const struct scn_command *c, int argc, char **argv)
{
	FILE *out = s->out, *mem;
	size_t len = 0;
	char *buf = NULL;
	int ret;

	if (c->fn == cmd_expect)
		return c->fn(s, argc, argv);
	mem = open_memstream(&buf, &len);
	if (!mem)
		return scn_fail(s, "out of host memory");
	s->out = mem;
	ret = scn_call_recover(s, c, argc, argv);
	s->out = out;
	if (fclose(mem)) {
		free(buf);
		return scn_fail(s, "out of host memory");
	}
	fwrite(buf, 1, len, out);
	free(s->last_out);
	s->last_out = buf;
	return ret;
}

/*
 * The command panicked the machine (panic_on_warn, panic_on_oops, sysrq c):
 * it is halted (docs/oops.md), so the scenario stops here.  The panic's
 * lines, from "Kernel panic" on, go to the output; the error names it.
 */
static int scn_halted(struct scn *s)
{
	char *log = mmsim_read(s->m, "/dev/kmsg"), *p = NULL, *q;
	char msg[160] = "";

	for (q = log; q && (q = strstr(q, "] Kernel panic - not syncing: ")); q++)
		p = q + 2;	/* the last panic's first line, not its end line */
	if (p) {
		char *eol = strchr(p, '\n');
		char *bol = p;

		while (bol > log && bol[-1] != '\n')
			bol--;
		fputs(bol, s->out);	/* the panic is the last thing in the log */
		snprintf(msg, sizeof(msg), "%.*s", eol ? (int)(eol - p) : (int)strlen(p), p);
	}
	free(log);
	return scn_fail(s, "the machine halted: %s", msg[0] ? msg : "Kernel panic");
}

/* Run one line; 0 or -1 with s->err set. */
static int scn_line(struct scn *s, const char *text, size_t len)
{
	char *line = strndup(text, len), *trace, *argv[SCN_MAX_WORDS + 1];
	char *expanded[SCN_MAX_WORDS] = { NULL };
	const struct scn_command *c;
	size_t end = 0;
	int argc, ret = -1;

	s->cmd = NULL;
	if (!line)
		return scn_fail(s, "out of host memory");
	trace = strdup(line);
	if (!trace) {
		free(line);
		return scn_fail(s, "out of host memory");
	}
	argc = scn_split(s, line, argv, &end);
	if (argc <= 0) {
		ret = argc;
		goto out;
	}
	argv[argc] = NULL;
	c = scn_lookup(argv[0]);
	if (!c) {
		scn_fail(s, "unknown command '%s'", argv[0]);
		goto out;
	}
	s->cmd = c->name;
	for (int i = 1; i < argc; i++) {
		if (scn_expand(s, argv[i], &expanded[i]))
			goto out;
		if (expanded[i])
			argv[i] = expanded[i];
	}
	if (argc < c->min_args || (c->max_args >= 0 && argc > c->max_args)) {
		scn_fail(s, "usage: %s", c->synopsis);
		goto out;
	}
	if (c->needs_machine && !s->m) {
		scn_fail(s, "no machine (a scenario starts with boot)");
		goto out;
	}
	if (s->trace && c->fn != cmd_echo) {
		size_t start = strspn(trace, " \t");

		fprintf(s->out, "$ %.*s\n", (int)(end - start), trace + start);
	}
	ret = scn_call(s, c, argc, argv);
	if (s->m && mmsim_halted(s->m))
		ret = scn_halted(s);
	if (!ret && s->after_line)
		s->after_line(s, s->after_arg);
out:
	for (int i = 0; i < SCN_MAX_WORDS; i++)
		free(expanded[i]);
	free(trace);
	free(line);
	return ret;
}

void scn_init(struct scn *s, const char *file, FILE *out)
{
	memset(s, 0, sizeof(*s));
	s->file = file;
	s->out = out;
}

/* Bytes of the UTF-8 sequence at @p (at most @left), or 0 if it is not one. */
static size_t utf8_len(const unsigned char *p, size_t left)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	/* No overlong forms, no surrogates, nothing above U+10FFFF. */
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (left < n || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

int scn_check_text(struct scn *s, const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	int line = 1;

	for (size_t i = 0; i < len;) {
		size_t n = utf8_len(p + i, len - i);

		if (!n || (p[i] < 0x20 && p[i] != '\t' && p[i] != '\r' && p[i] != '\n') ||
		    p[i] == 0x7f) {
			fprintf(stderr, "%s:%d: not text (byte 0x%02x)\n", s->file, line, p[i]);
			return -1;
		}
		if (p[i] == '\n')
			line++;
		i += n;
	}
	return 0;
}

int scn_run(struct scn *s, const char *text)
{
	const char *p = text;

	for (s->line = 1; *p && !(s->stop && atomic_load(s->stop)); s->line++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		size_t cut = len;

		if (cut && p[cut - 1] == '\r')
			cut--;
		if (scn_line(s, p, cut)) {
			fflush(s->out);
			fprintf(stderr, "%s:%d: %s\n", s->file, s->line, s->err);
			return -1;
		}
		p += len + (nl ? 1 : 0);
	}
	fflush(s->out);
	return 0;
}

void scn_destroy(struct scn *s)
{
	scn_objs_forget(s);
	if (s->m)
		mmsim_shutdown(s->m);
	s->m = NULL;
	free(s->last_out);
	s->last_out = NULL;
}
