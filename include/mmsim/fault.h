/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fault.h - the arch entries of a page fault (arch/fault.c) and what they
 * read of mm: Linux's do_user_addr_fault() (x86 #PF, with the hardware's
 * error code), exc_general_protection() for non-canonical addresses, and
 * arm64's do_mem_abort() (with the ESR).  The MMU (mmu.h) reports a fault;
 * whoever made the access calls arch_handle_fault() with it
 * (mm/maccess.c: copy_to_user & co. and mmsim_user_read/write/exec).
 *
 * Return: 0 when the fault was resolved and the access may be retried;
 * -EFAULT when it cannot be: a user-mode access (X86_PF_USER / an EL0
 * abort) was sent SIGSEGV or SIGBUS (force_sig_fault, acted on by
 * exit_to_user_mode()), a kernel-mode access gets the exception-table
 * fixup (no signal).  Context: current's mm; mmap_lock not held (the
 * entry takes it for reading, lock_mm_and_find_vma).
 */
#ifndef MMSIM_FAULT_H
#define MMSIM_FAULT_H

#include <mmsim/types.h>

struct pt_regs;
struct mmu_fault;

int arch_handle_fault(const struct mmu_fault *f, struct pt_regs *regs);
int do_user_addr_fault(struct pt_regs *regs, unsigned long error_code, unsigned long address);
int do_general_protection(struct pt_regs *regs, unsigned long error_code);
int do_mem_abort(unsigned long far, unsigned long esr, struct pt_regs *regs);

/* /proc/sys/debug/exception-trace (Linux's show_unhandled_signals, default
 * 1): the segfault lines are logged only when it is nonzero (mm/maccess.c). */
int show_unhandled_signals_value(void);

#endif
