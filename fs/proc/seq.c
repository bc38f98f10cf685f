// SPDX-License-Identifier: GPL-2.0
/*
 * fs/proc/seq.c - the text buffer every renderer prints into, and the
 * parsers of written values.
 *
 * struct seq_file (<mmsim/seq_file.h>) is a growing malloc'd string:
 * seq_printf() formats at the end, doubling the buffer when it is full.
 * Invariants:
 *   buf[count] == '\0' and count < size whenever buf != NULL;
 *   nomem is sticky: once an allocation failed nothing more is appended.
 *
 * The parsers follow the kernel's: proc_dointvec() for sysctls (integers
 * in base 0, separated by white space), kstrtoull()/kstrtoll() and
 * kstrtobool() for debugfs attributes.  Unlike Linux, a write holding any
 * unparsable word is refused as a whole (-EINVAL), never half applied.
 *
 * No locking: a seq_file belongs to the one read that made it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include "fs/proc/internal.h"

#define SEQ_INITIAL_SIZE 4096

int seq_init(struct seq_file *sf)
{
	memset(sf, 0, sizeof(*sf));
	sf->buf = malloc(SEQ_INITIAL_SIZE);
	if (!sf->buf) {
		sf->nomem = true;
		return -ENOMEM;
	}
	sf->size = SEQ_INITIAL_SIZE;
	sf->buf[0] = '\0';
	return 0;
}

void seq_free(struct seq_file *sf)
{
	free(sf->buf);
	memset(sf, 0, sizeof(*sf));
}

/* Make room for @len more bytes and the NUL; false (and nomem) if impossible. */
static bool seq_reserve(struct seq_file *sf, size_t len)
{
	size_t need = sf->count + len + 1, size = sf->size;
	char *n;

	if (sf->nomem)
		return false;
	if (need <= size)
		return true;
	while (size < need)
		size *= 2;
	n = realloc(sf->buf, size);
	if (!n) {
		sf->nomem = true;
		return false;
	}
	sf->buf = n;
	sf->size = size;
	return true;
}

void seq_write(struct seq_file *sf, const void *data, size_t len)
{
	if (!seq_reserve(sf, len))
		return;
	memcpy(sf->buf + sf->count, data, len);
	sf->count += len;
	sf->buf[sf->count] = '\0';
}

void seq_puts(struct seq_file *sf, const char *s)
{
	seq_write(sf, s, strlen(s));
}

void seq_putc(struct seq_file *sf, char c)
{
	seq_write(sf, &c, 1);
}

void seq_printf(struct seq_file *sf, const char *fmt, ...)
{
	va_list ap;
	int len;

	if (sf->nomem)
		return;
	va_start(ap, fmt);
	len = vsnprintf(sf->buf + sf->count, sf->size - sf->count, fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	if ((size_t)len >= sf->size - sf->count) {
		if (!seq_reserve(sf, (size_t)len))
			return;
		va_start(ap, fmt);
		vsnprintf(sf->buf + sf->count, sf->size - sf->count, fmt, ap);
		va_end(ap);
	}
	sf->count += (size_t)len;
}

/* ---------------------------------------------------------------------
 * Parsers
 */

static const char *skip_spaces(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/* One integer word at *@p in base 0; *@p moves past it.  -EINVAL if none. */
static int parse_ll_word(const char **p, long long *val)
{
	const char *s = *p;
	char *end;

	if (!isdigit((unsigned char)*s) &&
	    !((*s == '-' || *s == '+') && isdigit((unsigned char)s[1])))
		return -EINVAL;
	errno = 0;
	*val = strtoll(s, &end, 0);
	if (errno == ERANGE)
		return -EINVAL;
	if (*end && !isspace((unsigned char)*end))
		return -EINVAL;
	*p = end;
	return 0;
}

int proc_parse_ints(const char *text, int *vals, int max)
{
	const char *p = skip_spaces(text);
	int n = 0;

	while (*p) {
		long long v;

		if (n == max || parse_ll_word(&p, &v) || v < INT_MIN || v > INT_MAX)
			return -EINVAL;
		vals[n++] = (int)v;
		p = skip_spaces(p);
	}
	return n ? n : -EINVAL;
}

int proc_parse_ll(const char *text, long long *val)
{
	const char *p = skip_spaces(text);

	if (parse_ll_word(&p, val))
		return -EINVAL;
	return *skip_spaces(p) ? -EINVAL : 0;
}

int proc_parse_ull(const char *text, unsigned long long *val)
{
	const char *p = skip_spaces(text);
	char *end;

	if (!isdigit((unsigned char)*p) && !(*p == '+' && isdigit((unsigned char)p[1])))
		return -EINVAL;
	errno = 0;
	*val = strtoull(p, &end, 0);
	if (errno == ERANGE)
		return -EINVAL;
	return *skip_spaces(end) ? -EINVAL : 0;
}

int proc_parse_bool(const char *text, bool *val)
{
	const char *p = skip_spaces(text);

	/* kstrtobool() looks at the first character (two for on/off). */
	switch (p[0]) {
	case 'y': case 'Y': case '1':
		*val = true;
		return 0;
	case 'n': case 'N': case '0':
		*val = false;
		return 0;
	case 'o': case 'O':
		if (p[1] == 'n' || p[1] == 'N') {
			*val = true;
			return 0;
		}
		if (p[1] == 'f' || p[1] == 'F') {
			*val = false;
			return 0;
		}
		break;
	}
	return -EINVAL;
}
