// SPDX-License-Identifier: GPL-2.0
/*
 * mm/kfence/report.c - KFENCE's reports (Linux's mm/kfence/report.c):
 * the text of an out-of-bounds access, use-after-free, memory corruption,
 * invalid access or invalid free, and the object description that the
 * reports and /sys/kernel/debug/kfence/objects share.
 *
 * The text is Linux's, line for line: the ===== rule, "BUG: KFENCE: ..."
 * naming the function that did it (symbol+off/size of the host code, as
 * mm/slub_debug.c prints call sites), the access line, the stack, the
 * object ("kfence-#N: 0x...-0x..., size=S, cache=NAME"), the allocation
 * and free tracks with task, CPU and virtual time, then the CPU and
 * Hardware lines.  Addresses are simulated kernel addresses (host_to_kva),
 * never host ones; because they are not secret, mmsim prints them and the
 * corrupted bytes' values as Linux does with no_hash_pointers.  A report
 * taints the kernel 'B' (TAINT_BAD_PAGE).  Departure: panic_on_warn=1 does
 * not turn a KFENCE report into a panic here.
 *
 * Stacks: a fault's stack starts at the faulting instruction (the trap's
 * frames); a free's stack is taken here and the allocator's own frames
 * are skipped up to and including the first kfree/kmem_cache_free/
 * kmalloc/kmem_cache_alloc frame (Linux's get_stack_skipnr).
 *
 * Locking: the caller holds the object's lock (or none, for an invalid
 * access); printk takes the log lock.  Runs on the signal stack when
 * called from the fault.
 */
#define _GNU_SOURCE
#include <execinfo.h>
#include <stdio.h>
#include <string.h>
#include <mmsim/kfence.h>
#include <mmsim/sched.h>
#include <mmsim/seq_file.h>
#include "init/init.h"
#include "mm/kfence/kfence.h"

#ifdef CONFIG_KFENCE

/* printk, or the seq_file of a debugfs read. */
static __printf(2, 3) void seq_con_printf(struct seq_file *seq, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (seq)
		seq_printf(seq, "%s", line);
	else
		printk(KERN_ERR "%s", line);
}

static bool has_prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/* The first frame to show: past the allocator's entry (Linux's get_stack_skipnr). */
static int get_stack_skipnr(void *const *entries, int nr, const enum kfence_error_type *type)
{
	int skipnr, fallback = 0;
	char buf[160];

	if (type && (*type == KFENCE_ERROR_UAF || *type == KFENCE_ERROR_OOB ||
		     *type == KFENCE_ERROR_INVALID))
		return 0;
	for (skipnr = 0; skipnr < nr; skipnr++) {
		format_symbol((unsigned long)entries[skipnr], buf, sizeof(buf));
		if (has_prefix(buf, "kfence_") || has_prefix(buf, "__kfence_") ||
		    has_prefix(buf, "slab_free") || has_prefix(buf, "slab_alloc"))
			fallback = skipnr + 1;
		if (has_prefix(buf, "kfree") || has_prefix(buf, "kmem_cache_free") ||
		    has_prefix(buf, "__kmalloc") || has_prefix(buf, "kmalloc") ||
		    has_prefix(buf, "krealloc") || has_prefix(buf, "kmem_cache_alloc"))
			goto found;
	}
	if (fallback < nr)
		return fallback;
	return 0;
found:
	skipnr++;
	return skipnr < nr ? skipnr : 0;
}

/* A return address names the call before it; the faulting ip names itself. */
static void sym_of(void *entry, bool is_ip, char *buf, size_t len)
{
	unsigned long a = (unsigned long)entry;

	format_symbol(a && !is_ip ? a - 1 : a, buf, len);
}

static void kfence_print_stack(struct seq_file *seq, const struct kfence_metadata *meta,
			       bool show_alloc)
{
	const struct kfence_track *track = show_alloc ? &meta->alloc_track : &meta->free_track;
	u64 now = mmsim_clock_ns(M());
	u64 ago = now > track->ts_nsec ? now - track->ts_nsec : 0;
	char sym[160];

	/* The timestamp as printk prints its own. */
	seq_con_printf(seq, "%s by task %d on cpu %d at %lu.%06lus (%lu.%06lus ago):\n",
		       show_alloc ? "allocated" : "freed", track->pid, track->cpu,
		       (unsigned long)(track->ts_nsec / 1000000000ull),
		       (unsigned long)(track->ts_nsec % 1000000000ull) / 1000,
		       (unsigned long)(ago / 1000000000ull),
		       (unsigned long)(ago % 1000000000ull) / 1000);
	if (track->num_stack_entries) {
		int i = get_stack_skipnr(track->stack_entries, track->num_stack_entries, NULL);

		for (; i < track->num_stack_entries; i++) {
			sym_of(track->stack_entries[i], false, sym, sizeof(sym));
			seq_con_printf(seq, " %s\n", sym);
		}
	} else {
		seq_con_printf(seq, " no %s stack\n", show_alloc ? "allocation" : "deallocation");
	}
}

void kfence_print_object(struct seq_file *seq, struct kfence_state *st,
			 const struct kfence_metadata *meta)
{
	const unsigned long start = host_to_kva((void *)meta->addr);
	const struct kmem_cache *cache = meta->cache;

	if (meta->state == KFENCE_OBJECT_UNUSED) {
		seq_con_printf(seq, "kfence-#%ld unused\n", kfence_meta_index(st, meta));
		return;
	}
	seq_con_printf(seq, "kfence-#%ld: 0x%lx-0x%lx, size=%zu, cache=%s\n\n",
		       kfence_meta_index(st, meta), start, start + meta->size - 1, meta->size,
		       (cache && cache->name) ? cache->name : "<destroyed>");
	kfence_print_stack(seq, meta, true);
	if (meta->state == KFENCE_OBJECT_FREED) {
		seq_con_printf(seq, "\n");
		kfence_print_stack(seq, meta, false);
	}
}

/* Up to @bytes_to_show bytes from @address that differ from the canary. */
static void print_diff_canary(unsigned long address, size_t bytes_to_show,
			      const struct kfence_metadata *meta)
{
	const unsigned long show_until = address + bytes_to_show;
	const u8 *cur, *end;
	char buf[16 * 5 + 8];
	size_t n = 0;

	/* Not into the object, nor into the next (guard) page. */
	end = (const u8 *)(address < meta->addr ? min(show_until, meta->addr)
						: min(show_until, ALIGN(address + 1, PAGE_SIZE)));
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "[");
	for (cur = (const u8 *)address; cur < end && n < sizeof(buf); cur++) {
		if (*cur == KFENCE_CANARY_PATTERN_U8(cur))
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, " .");
		else
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, " 0x%02x", *cur);
	}
	if (n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - n, " ]");
	pr_cont("%s", buf);
}

static const char *get_access_type(bool is_write)
{
	return is_write ? "write" : "read";
}

/* Linux's dump_stack_print_info(KERN_ERR): the CPU and Hardware lines. */
static void print_cpu_lines(struct mmsim *m)
{
	struct task_struct *t = current;
	char taint[64];

	print_tainted(taint, sizeof(taint));
	if (t)
		pr_err("CPU: %d PID: %d Comm: %.15s %s 6.8.0-mmsim #1\n", smp_processor_id(),
		       t->pid, t->comm, taint);
	else
		pr_err("CPU: %d PID: %d Comm: %s %s 6.8.0-mmsim #1\n", smp_processor_id(), m->pid,
		       m->comm, taint);
	pr_err("Hardware name: mmsim %s, BIOS mmsim 0.1\n", m->hw.layout.arch_name);
}

/**
 * kfence_report_error - print one KFENCE report
 * @address: host address of the access or free
 * @ip, @frames, @nr_frames: a fault's faulting instruction and host stack
 *     (@frames NULL: the stack is taken here, from a free)
 * @meta: the object, NULL only for KFENCE_ERROR_INVALID
 */
void kfence_report_error(struct kfence_state *st, unsigned long address, bool is_write,
			 unsigned long ip, void *const *frames, int nr_frames,
			 const struct kfence_metadata *meta, enum kfence_error_type type)
{
	struct mmsim *m = M();
	void *own[KFENCE_STACK_DEPTH];
	void *const *entries = frames;
	unsigned long kaddr = host_to_kva((void *)address);
	int nr = nr_frames, skipnr = 0;
	char fn[160], sym[160];

	if (!frames) {
		nr = backtrace(own, KFENCE_STACK_DEPTH);
		entries = own;
		skipnr = get_stack_skipnr(own, nr, &type);
	} else {
		/* From the faulting instruction on: the trap's own frames go. */
		for (int i = 0; i < nr; i++)
			if ((unsigned long)frames[i] == ip) {
				skipnr = i;
				break;
			}
	}
	if (type != KFENCE_ERROR_INVALID && !meta)
		return;
	sym_of(skipnr < nr ? entries[skipnr] : NULL, frames != NULL, fn, sizeof(fn));

	pr_err("==================================================================\n");
	switch (type) {
	case KFENCE_ERROR_OOB: {
		const bool left = address < meta->addr;

		pr_err("BUG: KFENCE: out-of-bounds %s in %s\n\n", get_access_type(is_write), fn);
		pr_err("Out-of-bounds %s at 0x%lx (%luB %s of kfence-#%ld):\n",
		       get_access_type(is_write), kaddr,
		       left ? meta->addr - address : address - meta->addr,
		       left ? "left" : "right", kfence_meta_index(st, meta));
		break;
	}
	case KFENCE_ERROR_UAF:
		pr_err("BUG: KFENCE: use-after-free %s in %s\n\n", get_access_type(is_write), fn);
		pr_err("Use-after-free %s at 0x%lx (in kfence-#%ld):\n", get_access_type(is_write),
		       kaddr, kfence_meta_index(st, meta));
		break;
	case KFENCE_ERROR_CORRUPTION:
		pr_err("BUG: KFENCE: memory corruption in %s\n\n", fn);
		pr_err("Corrupted memory at 0x%lx ", kaddr);
		print_diff_canary(address, 16, meta);
		pr_cont(" (in kfence-#%ld):\n", kfence_meta_index(st, meta));
		break;
	case KFENCE_ERROR_INVALID:
		pr_err("BUG: KFENCE: invalid %s in %s\n\n", get_access_type(is_write), fn);
		pr_err("Invalid %s at 0x%lx:\n", get_access_type(is_write), kaddr);
		break;
	case KFENCE_ERROR_INVALID_FREE:
		pr_err("BUG: KFENCE: invalid free in %s\n\n", fn);
		pr_err("Invalid free of 0x%lx (in kfence-#%ld):\n", kaddr,
		       kfence_meta_index(st, meta));
		break;
	}
	for (int i = skipnr; i < nr; i++) {
		sym_of(entries[i], frames && i == skipnr, sym, sizeof(sym));
		pr_err(" %s\n", sym);
	}
	if (meta) {
		pr_err("\n");
		kfence_print_object(NULL, st, meta);
	}
	pr_err("\n");
	print_cpu_lines(m);
	pr_err("==================================================================\n");
	/* A memory safety error: taint, after the report as Linux does. */
	add_taint(TAINT_BAD_PAGE);
}

#endif /* CONFIG_KFENCE */
