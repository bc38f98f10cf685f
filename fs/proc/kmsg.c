// SPDX-License-Identifier: GPL-2.0
/*
 * fs/proc/kmsg.c - /dev/kmsg: the machine's kernel log.
 *
 * Reading gives the log in dmesg's format ("[%5lu.%06lu] text" per line,
 * virtual time), rendered by kernel/printk.c under the log's mutex: every
 * record still in the ring of log_buf_len= bytes, from the first one
 * present, as a freshly opened /dev/kmsg reads in Linux (no gap marker;
 * kernel/printk.c says why).
 * Linux's /dev/kmsg hands out one "level,seq,usec,-;text" record per
 * read(); mmsim's files are read whole, so the dmesg rendering is served
 * instead (DESIGN.md section 3).
 *
 * Writing adds one message, as devkmsg_write() does: an optional "<N>"
 * prefix gives the priority (N & 7 is the level; a kernel-facility prefix
 * is taken as the user facility, which changes nothing here); without it
 * the level is the default message loglevel (4).  A trailing newline ends
 * the record; further newlines split it into lines as printk does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fs/proc/internal.h"

static int kmsg_show(struct seq_file *sf, struct proc_file *f)
{
	char *log = printk_render_dmesg(f->m);

	if (!log)
		return -ENOMEM;
	seq_puts(sf, log);
	free(log);
	return 0;
}

/* The "<N>" prefix: its level, and the text after it; -1 if none. */
static int kmsg_prefix_level(const char *text, const char **rest)
{
	const char *p = text;
	unsigned long prio = 0;

	*rest = text;
	if (*p++ != '<' || *p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9' && prio < 1024)
		prio = prio * 10 + (unsigned long)(*p++ - '0');
	if (*p != '>')
		return -1;
	*rest = p + 1;
	return (int)(prio & 7);
}

static int kmsg_store(struct proc_file *f, const char *text)
{
	char fmt[] = KERN_SOH "4%.*s\n";	/* printk reads the level from the format */
	const char *msg;
	int level = kmsg_prefix_level(text, &msg);
	size_t len = strlen(msg);

	if (level < 0)
		level = LOGLEVEL_DEFAULT;
	if (len && msg[len - 1] == '\n')
		len--;
	fmt[1] = (char)('0' + level);
	printk(fmt, (int)len, msg);
	return 0;
}

static const struct proc_entry kmsg_entries[] = {
	{ "/dev/kmsg", kmsg_show, kmsg_store, NULL },
};

PROC_SUBSYSTEM(proc_kmsg, kmsg_entries);
