// SPDX-License-Identifier: GPL-2.0
/*
 * fs/proc/array.c - /proc/PID/status, /proc/PID/stat and /proc/PID/statm
 * in Linux 6.8's exact formats (fs/proc/array.c, and task_mem/task_statm
 * of fs/proc/task_mmu.c).
 *
 * status, in order: Name, Umask (not for a zombie: it has no fs), State,
 * Tgid, Ngid, Pid, PPid, TracerPid, Uid, Gid, FDSize, Groups (a tab, no
 * groups, and the trailing space Linux keeps), NStgid, NSpid, NSpgid,
 * NSsid, Kthread; then, for a task with an mm, task_mem's block (VmPeak
 * .. VmSwap, numbers right-aligned in 8 columns, HugetlbPages) with
 * CoreDumping, THP_enabled and untag_mask; then Threads, SigQ, SigPnd,
 * ShdPnd, SigBlk, SigIgn, SigCgt, CapInh .. CapAmb, NoNewPrivs, Seccomp,
 * Seccomp_filters, Speculation_Store_Bypass, SpeculationIndirectBranch,
 * Cpus_allowed(_list), Mems_allowed(_list), voluntary/nonvoluntary
 * context switches, and on x86-64 the x86_Thread_features lines.
 * Every task is root with every capability (CAP_LAST_CAP 40), no
 * handler is installed (SigIgn/SigCgt 0), may run on every CPU and use
 * every node.
 *
 * stat: the 52 fields of do_task_stat(), with utime from the virtual time
 * the task ran (kernel/sched.c) in USER_HZ ticks, start_time likewise,
 * vsize in bytes, rss in pages, rsslim RLIMIT_RSS, esp/eip 0 (Linux
 * zeroes them unless the task is dumping core), wchan 0 for the running
 * task and 1 otherwise, processor the CPU it runs or last ran on (0 if
 * it never ran).
 *
 * statm: size resident shared text lib data dt, in pages (lib and dt 0).
 *
 * Locking: tasklist_lock while the task's fields are copied out; its mm
 * through get_task_mm (an mm_users reference), read without mmap_lock as
 * Linux does (counters may be a moment stale).  The counters that the
 * task's own CPU bumps with plain stores (fault and switch counts, the mm's
 * *_vm and hiwater) are read with data_race_read_ulong, Linux's data_race():
 * a reader on another host thread (mmsim serve's) races with them by
 * design.
 *
 * Invariants: the task's fields are copied in one critical section, so a
 * file never mixes two states of the task (the mm counters may lag).
 */
#include <stdio.h>
#include <string.h>
#include "fs/proc/internal.h"
#include "kernel/internal.h"
#include <mmsim/hugetlb.h>

#define CAP_FULL_SET	0x000001ffffffffffULL	/* CAP_LAST_CAP = 40 */

/* An unsigned long counter written with plain stores elsewhere (see Locking). */
#define RACY(x) data_race_read_ulong(&(x))

/* What the renderers read of a task, copied under tasklist_lock. */
struct task_snap {
	char comm[TASK_COMM_LEN];
	char state;
	const char *state_name;
	pid_t pid, tgid, ppid, pgid, sid;
	unsigned int flags;
	bool zombie, running;
	int exit_signal, exit_code, cpu;
	unsigned long min_flt, maj_flt, cmin_flt, cmaj_flt, nvcsw, nivcsw;
	unsigned long pending;
	unsigned long rsslim;
	u64 utime, stime, cutime, cstime, start_time;
};

static const char *state_name(struct task_struct *t, char *c)
{
	if (t->exit_state == EXIT_ZOMBIE) {
		*c = 'Z';
		return "Z (zombie)";
	}
	if (t->exit_state == EXIT_DEAD) {
		*c = 'X';
		return "X (dead)";
	}
	if (t->__state == TASK_RUNNING) {
		*c = 'R';
		return "R (running)";
	}
	*c = 'S';
	return "S (sleeping)";
}

static int snap_task(struct proc_file *f, struct task_struct *t, struct task_snap *s)
{
	struct task_state *ts = task_state_of(f->m);
	struct task_ext *e = task_ext(t);

	memset(s, 0, sizeof(*s));
	tasklist_lock(ts);
	memcpy(s->comm, t->comm, sizeof(s->comm));
	s->comm[TASK_COMM_LEN - 1] = '\0';
	s->state_name = state_name(t, &s->state);
	s->pid = t->pid;
	s->tgid = t->tgid;
	s->ppid = t->real_parent ? t->real_parent->tgid : 0;
	s->pgid = e->pgid;
	s->sid = e->sid;
	s->flags = t->flags;
	s->zombie = t->exit_state != 0;
	s->running = t->__state == TASK_RUNNING && !t->exit_state;
	s->exit_signal = t->exit_signal;
	s->exit_code = t->exit_code;
	s->cpu = e->last_cpu;
	s->min_flt = RACY(t->min_flt);
	s->maj_flt = RACY(t->maj_flt);
	s->cmin_flt = t->signal->cmin_flt;
	s->cmaj_flt = t->signal->cmaj_flt;
	s->nvcsw = RACY(t->nvcsw);
	s->nivcsw = RACY(t->nivcsw);
	s->pending = __atomic_load_n(&t->pending.sig, __ATOMIC_RELAXED);
	s->rsslim = t->signal->rlim[RLIMIT_RSS].rlim_cur;
	s->utime = task_utime_ns(t);
	s->stime = t->stime;
	s->cutime = e->cutime;
	s->cstime = e->cstime;
	s->start_time = t->start_time;
	tasklist_unlock(ts);
	return 0;
}

/* seq_put_decimal_ull_width(m, delimiter, num, width) */
static void put_dec_width(struct seq_file *sf, const char *delim, unsigned long long v, int w)
{
	seq_printf(sf, "%s%*llu", delim, w, v);
}

/* Linux's "%*pb": the bitmap in hex, 32-bit chunks from the top, commas between. */
static void put_bitmap(struct seq_file *sf, unsigned int nbits, unsigned long long low)
{
	unsigned int chunks = (nbits + 31) / 32;

	for (int i = (int)chunks - 1; i >= 0; i--) {
		unsigned int bits = (unsigned int)i == chunks - 1 && nbits % 32 ? nbits % 32 : 32;
		unsigned long long word = i < 2 ? (low >> (32 * i)) & 0xffffffffULL : 0;

		seq_printf(sf, "%s%0*llx", (unsigned int)i == chunks - 1 ? "" : ",",
			   (int)((bits + 3) / 4), word);
	}
}

static void put_sigset(struct seq_file *sf, const char *header, unsigned long set)
{
	seq_printf(sf, "%s%016lx\n", header, set);
}

static bool arch_is_x86_64(void)
{
	return current_layout->arch == ARCH_X86_64 || current_layout->arch == ARCH_X86_64_LA57;
}

static bool arch_is_32bit(void)
{
	return current_layout->arch == ARCH_I386 || current_layout->arch == ARCH_I386_PAE;
}

/* task_mem() of fs/proc/task_mmu.c: the Vm and Rss lines. */
static void task_mem(struct seq_file *sf, struct mm_struct *mm)
{
	unsigned long text, lib, swap, anon, file, shmem;
	unsigned long hiwater_vm, total_vm, hiwater_rss, total_rss, exec_vm;
	const int ks = PAGE_SHIFT - 10;

	anon = get_mm_counter(mm, MM_ANONPAGES);
	file = get_mm_counter(mm, MM_FILEPAGES);
	shmem = get_mm_counter(mm, MM_SHMEMPAGES);
	hiwater_vm = total_vm = RACY(mm->total_vm);
	if (hiwater_vm < RACY(mm->hiwater_vm))
		hiwater_vm = RACY(mm->hiwater_vm);
	hiwater_rss = total_rss = anon + file + shmem;
	if (hiwater_rss < RACY(mm->hiwater_rss))
		hiwater_rss = RACY(mm->hiwater_rss);
	exec_vm = RACY(mm->exec_vm);
	text = PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK);
	if (text > exec_vm << PAGE_SHIFT)
		text = exec_vm << PAGE_SHIFT;
	lib = (exec_vm << PAGE_SHIFT) - text;
	swap = get_mm_counter(mm, MM_SWAPENTS);

	put_dec_width(sf, "VmPeak:\t", (unsigned long long)hiwater_vm << ks, 8);
	put_dec_width(sf, " kB\nVmSize:\t", (unsigned long long)total_vm << ks, 8);
	put_dec_width(sf, " kB\nVmLck:\t", (unsigned long long)RACY(mm->locked_vm) << ks, 8);
	put_dec_width(sf, " kB\nVmPin:\t",
		      (unsigned long long)atomic_long_read(&mm->pinned_vm) << ks, 8);
	put_dec_width(sf, " kB\nVmHWM:\t", (unsigned long long)hiwater_rss << ks, 8);
	put_dec_width(sf, " kB\nVmRSS:\t", (unsigned long long)total_rss << ks, 8);
	put_dec_width(sf, " kB\nRssAnon:\t", (unsigned long long)anon << ks, 8);
	put_dec_width(sf, " kB\nRssFile:\t", (unsigned long long)file << ks, 8);
	put_dec_width(sf, " kB\nRssShmem:\t", (unsigned long long)shmem << ks, 8);
	put_dec_width(sf, " kB\nVmData:\t", (unsigned long long)RACY(mm->data_vm) << ks, 8);
	put_dec_width(sf, " kB\nVmStk:\t", (unsigned long long)RACY(mm->stack_vm) << ks, 8);
	put_dec_width(sf, " kB\nVmExe:\t", text >> 10, 8);
	put_dec_width(sf, " kB\nVmLib:\t", lib >> 10, 8);
	put_dec_width(sf, " kB\nVmPTE:\t", mm_pgtables_bytes(mm) >> 10, 8);
	put_dec_width(sf, " kB\nVmSwap:\t", (unsigned long long)swap << ks, 8);
	seq_puts(sf, " kB\n");
	/* hugetlb_report_usage() */
	seq_printf(sf, "HugetlbPages:\t%8lu kB\n", hugetlb_mm_usage_kb(mm));
}

/**
 * proc_pid_status - /proc/PID/status (see the file comment for the order)
 */
int proc_pid_status(struct seq_file *sf, struct proc_file *f)
{
	struct task_struct *t = proc_pid_task(f);
	int ncpus = f->m->nr_cpus;
	struct task_snap s;
	struct mm_struct *mm;

	if (!t)
		return -ENOENT;
	snap_task(f, t, &s);
	mm = get_task_mm(t);

	seq_puts(sf, "Name:\t");
	for (const char *p = s.comm; *p; p++) {
		if (*p == '\\')
			seq_puts(sf, "\\\\");
		else if (*p == '\n')
			seq_puts(sf, "\\n");
		else
			seq_putc(sf, *p);
	}
	seq_putc(sf, '\n');
	if (!s.zombie)
		seq_puts(sf, "Umask:\t0022\n");
	seq_printf(sf, "State:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n"
		   "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t%d\nGroups:\t \n",
		   s.state_name, s.tgid, s.pid, s.ppid, s.zombie ? 0 : arch_is_32bit() ? 32 : 64);
	seq_printf(sf, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", s.tgid, s.pid, s.pgid,
		   s.sid);
	seq_printf(sf, "Kthread:\t%c\n", s.flags & PF_KTHREAD ? '1' : '0');
	if (mm) {
		task_mem(sf, mm);
		seq_puts(sf, "CoreDumping:\t0\n");
		seq_printf(sf, "THP_enabled:\t%d\n", !(mm->flags & (1UL << 24)));
		seq_printf(sf, "untag_mask:\t%#lx\n", arch_is_32bit() ? 0xffffffffUL : ~0UL);
		mmput(mm);
	}
	seq_printf(sf, "Threads:\t1\nSigQ:\t%d/%lu\n",
		   __builtin_popcountl(s.pending), t->signal->rlim[11].rlim_cur);
	put_sigset(sf, "SigPnd:\t", s.pending);
	put_sigset(sf, "ShdPnd:\t", 0);
	put_sigset(sf, "SigBlk:\t", 0);
	put_sigset(sf, "SigIgn:\t", 0);
	put_sigset(sf, "SigCgt:\t", 0);
	seq_printf(sf, "CapInh:\t%016llx\nCapPrm:\t%016llx\nCapEff:\t%016llx\nCapBnd:\t%016llx\n"
		   "CapAmb:\t%016llx\n", 0ULL, CAP_FULL_SET, CAP_FULL_SET, CAP_FULL_SET, 0ULL);
	seq_puts(sf, "NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n");
	if (current_layout->arch == ARCH_ARM64)
		seq_puts(sf, "Speculation_Store_Bypass:\tnot vulnerable\n"
			     "SpeculationIndirectBranch:\tunsupported\n");
	else
		seq_puts(sf, "Speculation_Store_Bypass:\tthread vulnerable\n"
			     "SpeculationIndirectBranch:\tconditional enabled\n");
	seq_puts(sf, "Cpus_allowed:\t");
	put_bitmap(sf, (unsigned int)ncpus, ncpus >= 64 ? ~0ULL : (1ULL << ncpus) - 1);
	seq_printf(sf, "\nCpus_allowed_list:\t");
	if (ncpus > 1)
		seq_printf(sf, "0-%d\n", ncpus - 1);
	else
		seq_puts(sf, "0\n");
	seq_puts(sf, "Mems_allowed:\t");
	put_bitmap(sf, MAX_NUMNODES, (f->m->nr_nodes >= 64 ? ~0ULL : (1ULL << f->m->nr_nodes) - 1));
	if (f->m->nr_nodes > 1)
		seq_printf(sf, "\nMems_allowed_list:\t0-%d\n", f->m->nr_nodes - 1);
	else
		seq_puts(sf, "\nMems_allowed_list:\t0\n");
	seq_printf(sf, "voluntary_ctxt_switches:\t%lu\nnonvoluntary_ctxt_switches:\t%lu\n", s.nvcsw,
		   s.nivcsw);
	if (arch_is_x86_64())
		seq_puts(sf, "x86_Thread_features:\t\nx86_Thread_features_locked:\t\n");
	put_task_struct(t);
	return 0;
}

static unsigned long long nsec_to_clock_t(u64 ns)
{
	return ns / (1000000000ULL / USER_HZ);
}

/**
 * proc_pid_stat - /proc/PID/stat: do_task_stat()'s 52 fields
 */
int proc_pid_stat(struct seq_file *sf, struct proc_file *f)
{
	struct task_struct *t = proc_pid_task(f);
	unsigned long vsize = 0, rss = 0, rsslim;
	struct mm_struct *mm;
	struct task_snap s;

	if (!t)
		return -ENOENT;
	snap_task(f, t, &s);
	mm = get_task_mm(t);
	rsslim = s.rsslim;
	if (arch_is_32bit() && rsslim == RLIM_INFINITY_UL)
		rsslim = 0xffffffffUL;
	if (mm) {
		vsize = RACY(mm->total_vm) << PAGE_SHIFT;
		rss = get_mm_rss(mm);
	}
	seq_printf(sf, "%d (%s) %c %d %d %d 0 -1 %u %lu %lu %lu %lu %llu %llu %llu %llu 20 0 %d 0 %llu",
		   s.pid, s.comm, s.state, s.ppid, s.pgid, s.sid, s.flags, s.min_flt, s.cmin_flt,
		   s.maj_flt, s.cmaj_flt, nsec_to_clock_t(s.utime), nsec_to_clock_t(s.stime),
		   nsec_to_clock_t(s.cutime), nsec_to_clock_t(s.cstime), s.zombie ? 0 : 1,
		   nsec_to_clock_t(s.start_time));
	seq_printf(sf, " %lu %lu %lu %lu %lu %lu 0 0", vsize, rss, rsslim,
		   mm ? mm->start_code : 0, mm ? mm->end_code : 0, mm ? mm->start_stack : 0);
	/* signal, blocked, sigignore, sigcatch (decimal, low 31 bits), wchan, 0, 0 */
	seq_printf(sf, " %lu 0 0 0 %d 0 0 %d %d 0 0 0 0 0", s.pending & 0x7fffffffUL,
		   s.running ? 0 : 1, s.exit_signal, s.cpu);
	if (mm)
		seq_printf(sf, " %lu %lu %lu %lu %lu %lu %lu", mm->start_data, mm->end_data,
			   mm->start_brk, mm->arg_start, mm->arg_end, mm->env_start, mm->env_end);
	else
		seq_puts(sf, " 0 0 0 0 0 0 0");
	seq_printf(sf, " %d\n", s.exit_code);
	if (mm)
		mmput(mm);
	put_task_struct(t);
	return 0;
}

/**
 * proc_pid_statm - /proc/PID/statm: task_statm() in pages
 */
int proc_pid_statm(struct seq_file *sf, struct proc_file *f)
{
	struct task_struct *t = proc_pid_task(f);
	struct mm_struct *mm;

	if (!t)
		return -ENOENT;
	mm = get_task_mm(t);
	if (mm) {
		unsigned long shared = get_mm_counter(mm, MM_FILEPAGES) +
				       get_mm_counter(mm, MM_SHMEMPAGES);
		unsigned long text = (PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK)) >>
				     PAGE_SHIFT;
		unsigned long data = RACY(mm->data_vm) + RACY(mm->stack_vm);
		unsigned long resident = shared + get_mm_counter(mm, MM_ANONPAGES);

		seq_printf(sf, "%lu %lu %lu %lu 0 %lu 0\n", RACY(mm->total_vm), resident, shared, text,
			   data);
		mmput(mm);
	} else {
		seq_puts(sf, "0 0 0 0 0 0 0\n");
	}
	put_task_struct(t);
	return 0;
}
