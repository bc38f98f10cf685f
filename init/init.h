/* SPDX-License-Identifier: GPL-2.0 */
/*
 * init/init.h - how a subsystem plugs into a machine's life, as Linux's
 * <linux/init.h> and <linux/moduleparam.h> let a file declare its boot
 * parameters and initcalls next to the code they configure.
 *
 * A subsystem is one `struct subsystem`, defined in the file that owns it
 * with DEFINE_SUBSYSTEM().  It may bring:
 *   - per-machine state: a struct the subsystem defines; init/main.c
 *     allocates it for every machine (zeroed, or a copy of the template)
 *     before the command line is parsed, frees it at shutdown, and the
 *     subsystem reaches it with subsys_state(m, name);
 *   - kernel parameters: early_param()/__setup()/core_param() entries whose
 *     handlers parse their word into that state (no central if-chain: the
 *     command line parser offers each word to the hardware (arch/spec.c)
 *     and then to every subsystem's table);
 *   - initcalls: functions run at a level (core, postcore, arch, subsys,
 *     fs, device, late) after mm_core_init(), each with an optional exit run
 *     at shutdown in exactly the reverse order of the inits that succeeded.
 *     /proc and /sys files are created from initcalls (proc_create*,
 *     register_sysctl), next to the data they show.
 *
 * The subsystems of a machine are listed once, in order, in
 * init/subsystems.h.  Within a level, initcalls run in that list order.
 * Adding a subsystem touches its own file and one line of the list.  The
 * list is explicit rather than a linker section or constructors: a static
 * libmmsim.a drops object files nothing refers to, and the order must not
 * depend on link order.
 */
#ifndef MMSIM_INIT_INIT_H
#define MMSIM_INIT_INIT_H

#include <stddef.h>
#include <mmsim/compiler.h>

struct mmsim;

/*
 * struct kernel_param - one word of the command line
 * @name:  the word before '=' ("slub_debug"), or the whole bare word
 * @set:   parses the word into @state (the subsystem's per-machine state);
 *         @val is what follows '=', or NULL for a bare word.  Returns 0, or
 *         -EINVAL with a one-line message naming @word in @err.
 * @flags: KP_VALUE: "name=value" is taken; KP_BARE: "name" alone is taken
 * @early: parsed with the early parameters (Linux parses those in
 *         setup_arch); in mmsim every parameter is parsed before boot, so
 *         this is documentation of Linux's split, not a different time
 * @offset, @min, @max, @only: for the generic core_param() setters
 */
struct kernel_param {
	const char *name;
	int (*set)(void *state, const struct kernel_param *kp, const char *word, const char *val,
		   char *err, size_t errlen);
	unsigned int flags;
	bool early;
	size_t offset;
	long min, max;
	const char *only;
};

#define KP_VALUE	1u
#define KP_BARE		2u

/* early_param("mem", early_mem): a "name=value" word, parsed early. */
#define early_param(str, fn) { .name = (str), .set = (fn), .flags = KP_VALUE, .early = true }
/* __setup("failslab=", setup_failslab): a "name=value" word. */
#define __setup(str, fn) { .name = (str), .set = (fn), .flags = KP_VALUE }
/* A parameter that is also (or only) a bare word: "slub_debug", "slab_nomerge". */
#define __setup_flags(str, fn, fl) { .name = (str), .set = (fn), .flags = (fl) }

/* core_param(name, field of the state struct): bool (0/1/on/off/y/n) or int in [lo, hi]. */
int param_set_bool(void *state, const struct kernel_param *kp, const char *word, const char *val,
		   char *err, size_t errlen);
int param_set_int(void *state, const struct kernel_param *kp, const char *word, const char *val,
		  char *err, size_t errlen);
#define core_param_bool(str, type, field) \
	{ .name = (str), .set = param_set_bool, .flags = KP_VALUE, .offset = offsetof(type, field) }
/* core_param_only("numa", "off", type, field): the one value mmsim takes sets a bool. */
int param_set_only(void *state, const struct kernel_param *kp, const char *word, const char *val,
		   char *err, size_t errlen);
#define core_param_only(str, value, type, field)					\
	{ .name = (str), .set = param_set_only, .flags = KP_VALUE,			\
	  .offset = offsetof(type, field), .only = (value) }
#define core_param_int(str, type, field, lo, hi)					\
	{ .name = (str), .set = param_set_int, .flags = KP_VALUE,			\
	  .offset = offsetof(type, field), .min = (lo), .max = (hi) }

enum initcall_level {
	INITCALL_CORE,		/* core_initcall: the subsystem's own state */
	INITCALL_POSTCORE,	/* postcore_initcall: what depends on every core */
	INITCALL_ARCH,		/* arch_initcall */
	INITCALL_SUBSYS,	/* subsys_initcall */
	INITCALL_FS,		/* fs_initcall: /proc, /sys and debugfs files */
	INITCALL_DEVICE,	/* device_initcall (module_init of built-ins) */
	INITCALL_LATE,		/* late_initcall: applies what the command line asked */
	NR_INITCALL_LEVELS
};

/*
 * struct initcall - run @fn at @level on CPU 0 of the booting machine;
 * @exit (may be NULL) undoes it at shutdown.  @fn returns 0, or -errno
 * with a one-line message in @err: the boot then fails, and the exits of
 * the initcalls that already ran are called in reverse order.
 */
struct initcall {
	enum initcall_level level;
	int (*fn)(struct mmsim *m, char *err, size_t errlen);
	void (*exit)(struct mmsim *m);
	const char *name;
};

#define core_initcall(fn, exit)		{ INITCALL_CORE, fn, exit, #fn }
#define postcore_initcall(fn, exit)	{ INITCALL_POSTCORE, fn, exit, #fn }
#define arch_initcall(fn, exit)		{ INITCALL_ARCH, fn, exit, #fn }
#define subsys_initcall(fn, exit)	{ INITCALL_SUBSYS, fn, exit, #fn }
#define fs_initcall(fn, exit)		{ INITCALL_FS, fn, exit, #fn }
#define device_initcall(fn, exit)	{ INITCALL_DEVICE, fn, exit, #fn }
#define late_initcall(fn, exit)		{ INITCALL_LATE, fn, exit, #fn }

struct subsystem {
	const char *name;
	size_t state_size;			/* bytes of per-machine state, or 0 */
	const void *state_template;		/* its initial value, or NULL: zeroed */
	const struct kernel_param *params;
	size_t nr_params;
	const struct initcall *initcalls;
	size_t nr_initcalls;
	void (*state_release)(void *state);	/* frees what the state points to, or NULL */
};

#define SUBSYS_STATE(type, tmpl)	.state_size = sizeof(type), .state_template = (tmpl)
#define SUBSYS_PARAMS(arr)		.params = (arr), .nr_params = ARRAY_SIZE(arr)
#define SUBSYS_INITCALLS(arr)		.initcalls = (arr), .nr_initcalls = ARRAY_SIZE(arr)

#define DECLARE_SUBSYSTEM(n)						\
	extern const struct subsystem subsys_##n;			\
	extern const int subsys_##n##_id

#define DEFINE_SUBSYSTEM(n, ...)					\
	const struct subsystem subsys_##n = { .name = #n, __VA_ARGS__ }

/* Every subsystem of the list, declared. */
#define SUBSYSTEM(n) DECLARE_SUBSYSTEM(n);
#include "init/subsystems.h"
#undef SUBSYSTEM

/* init/initcalls.c: the list, as an array. */
extern const struct subsystem *const subsystems[];
extern const int nr_subsystems;

/* The per-machine state of subsystem @n (a void *, as the subsystem defined it). */
#define subsys_state(m, n)	((m)->subsys_state[subsys_##n##_id])

#endif
