/* SPDX-License-Identifier: GPL-2.0 */
/*
 * seq_file.h - struct seq_file, the text buffer every /proc, /sys and /dev
 * file is printed into, and the functions that print into it.
 *
 * Unlike Linux's seq_file there is no paging through a file position: the
 * whole file is rendered at once and handed back to the reader.  When the
 * host runs out of memory, nomem is set, later output is dropped, and the
 * read fails with ENOMEM.
 *
 * The implementation is fs/proc/seq.c.  Code outside fs/proc (mm/'s
 * renderers of its own files: /proc/slabinfo, /sys/kernel/slab/) includes
 * this header, never fs/proc/internal.h.
 */
#ifndef MMSIM_SEQ_FILE_H
#define MMSIM_SEQ_FILE_H

#include <mmsim/compiler.h>

/*
 * struct seq_file - a growing, NUL-terminated text buffer.
 * Invariants: buf[count] == '\0' and count < size whenever buf != NULL;
 * nomem is sticky.  No locking: a seq_file belongs to the one read that
 * made it.
 */
struct seq_file {
	char *buf;		/* malloc'd text, always NUL-terminated */
	size_t count;		/* bytes of text, without the NUL */
	size_t size;		/* bytes allocated */
	bool nomem;		/* an allocation failed: the text is incomplete */
};

int seq_init(struct seq_file *sf);
void seq_free(struct seq_file *sf);
__printf(2, 3) void seq_printf(struct seq_file *sf, const char *fmt, ...);
void seq_puts(struct seq_file *sf, const char *s);
void seq_putc(struct seq_file *sf, char c);
void seq_write(struct seq_file *sf, const void *data, size_t len);

#endif
