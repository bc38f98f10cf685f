/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz/common.h - what the libFuzzer targets of fuzz/ share: the boot-spec
 * filter that keeps every run cheap, and the invariant checks run on a
 * machine after each input (docs/fuzzing.md).
 *
 * A finding is reported the way libFuzzer expects: the check prints what is
 * wrong on the saved standard error (the targets run with -close_fd_mask=3,
 * so the real one is closed) and calls abort().
 */
#ifndef MMSIM_FUZZ_COMMON_H
#define MMSIM_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mmsim/mmsim.h>

/* RAM a fuzzed spec may ask for; a spec without ram= gets FUZZ_RAM_DEFAULT. */
#define FUZZ_RAM_MAX		(256ULL << 20)
#define FUZZ_RAM_DEFAULT	"ram=64M"

/* Keep a copy of stderr for fuzz_fail(); call from LLVMFuzzerInitialize(). */
void fuzz_init(void);

/*
 * fuzz_spec_filter - the spec to boot instead of @spec, malloc'd, or NULL
 * when @spec is refused: a ram= word above FUZZ_RAM_MAX, or panic_on_warn=
 * (a WARN that aborts the process is that parameter's documented job, not
 * a finding).  A spec with no ram= word gets FUZZ_RAM_DEFAULT appended,
 * instead of the 1G default.
 */
char *fuzz_spec_filter(const char *spec);

/*
 * fuzz_check_machine - the invariants of @m, which the calling thread is
 * on a CPU of: mm_allocator_is_valid(), slab_is_valid() on every cache,
 * vmap_area_is_valid(), free pages within RAM, the /proc files readable and
 * /proc/meminfo consistent, and no BUG() (taint D).  Aborts with
 * @what and the kernel log on a failure.
 */
void fuzz_check_machine(struct mmsim *m, const char *what);

/* Print @fmt and the kernel log of @m (if any) on the saved stderr; abort. */
__attribute__((noreturn, format(printf, 2, 3)))
void fuzz_fail(struct mmsim *m, const char *fmt, ...);

#endif
